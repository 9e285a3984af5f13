//! Sheet "Nguồn": one row per counted unit and one column per figure, each
//! cell saying where the unit's figure came from; then the consolidated figures.

use super::XResult;
use super::fit::{bold_lines_needed, fit_row, height_for, set_height};
use super::style::{Styles, cell_text, merge, page_setup, put_text};
use crate::model::{Location, Report, UnitResult};
use crate::own::SHEET_SOURCES;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet};
use std::collections::{HashMap, HashSet};

/// The unit columns of the sources matrix, left of the figure columns: header and width.
const SOURCE_UNIT_COLUMNS: [(&str, f64); 3] = [("STT", 6.0), ("Đơn vị", 30.0), ("Tệp", 40.0)];
/// Header rows of the sources matrix: tables' and lists' titles, figure labels, "Giá trị" / "Ô nguồn".
const SOURCE_HEADER_ROWS: RowNum = 3;
const SOURCE_REF_WIDTH: f64 = 20.0;
const SOURCE_VALUE_WIDTH: f64 = 12.0;
/// Width of a column of the consolidated figures' section that no figure column sets.
const TOTALS_MIN_WIDTH: f64 = 14.0;
/// The consolidated figures' section starts in the wide "Đơn vị" column, and has five columns.
const TOTALS_FIRST_COL: ColNum = 1;
const TOTALS_COLUMNS: ColNum = 5;
/// Longest row label or item label, in characters, a figure's header shows uncut.
const SOURCE_LABEL_CHARS: usize = 60;
/// Title over figures the config does not name.
const OTHER_FIGURES: &str = "Số liệu khác";

/// One figure of the sources matrix: its source column, after its value column
/// when no other sheet shows its value.
struct SourceFigure {
    /// Title of its table or list, merged over the columns of that table or list.
    title: String,
    label: String,
    value_col: Option<ColNum>,
    source_col: ColNum,
}

impl SourceFigure {
    fn first_col(&self) -> ColNum {
        self.value_col.unwrap_or(self.source_col)
    }
}

/// The figure columns of the sources matrix.
struct SourceLayout {
    figures: Vec<SourceFigure>,
    /// For each unit, in the order given, the index in `figures` of each of its figures.
    slots: Vec<Vec<usize>>,
}

impl SourceLayout {
    /// Every figure id some counted unit has: the config's in config order, then
    /// any other in order of first appearance.
    fn new(report: &Report, units: &[&UnitResult]) -> Self {
        // Each distinct id numbered in order of first appearance, and each unit
        // figure's number: the one hash of each of the many unit figures.
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        let mut present: Vec<&str> = Vec::new();
        let mut unit_numbers: Vec<Vec<usize>> = Vec::with_capacity(units.len());
        for u in units {
            let mut of_unit = Vec::with_capacity(u.figures.len());
            for f in &u.figures {
                let n = *numbers.entry(&f.id).or_insert(present.len());
                if n == present.len() {
                    present.push(&f.id);
                }
                of_unit.push(n);
            }
            unit_numbers.push(of_unit);
        }
        let mut named: Vec<(String, String, String)> = report
            .unit_figures()
            .into_iter()
            .filter(|f| numbers.contains_key(&*report.total(f.figure).id))
            .map(|f| {
                let label = figure_header(f.row.as_deref(), f.name);
                (report.total(f.figure).id.to_string(), f.title.to_string(), label)
            })
            .collect();
        let known: HashSet<&str> = named.iter().map(|(id, _, _)| id.as_str()).collect();
        let others: Vec<&str> = present.iter().copied().filter(|id| !known.contains(id)).collect();
        named.extend(others.into_iter().map(|id| (id.to_string(), OTHER_FIGURES.to_string(), id.to_string())));
        let on_breakdown = breakdown_figure_ids(report);
        let mut col = SOURCE_UNIT_COLUMNS.len() as ColNum;
        let mut figures = Vec::with_capacity(named.len());
        // Where each numbered id goes; an id named twice goes to its last column.
        let mut slot_of = vec![0; present.len()];
        for (id, title, label) in named {
            let value_col = if on_breakdown.contains(&id) {
                None
            } else {
                col += 1;
                Some(col - 1)
            };
            slot_of[numbers[id.as_str()]] = figures.len();
            figures.push(SourceFigure { title, label, value_col, source_col: col });
            col += 1;
        }
        let slots = unit_numbers.into_iter().map(|ns| ns.into_iter().map(|n| slot_of[n]).collect()).collect();
        SourceLayout { figures, slots }
    }

    /// The first column right of the figure columns.
    fn next_col(&self) -> ColNum {
        self.figures.last().map_or(SOURCE_UNIT_COLUMNS.len() as ColNum, |f| f.source_col + 1)
    }

    fn width(&self, col: ColNum) -> f64 {
        if let Some((_, width)) = SOURCE_UNIT_COLUMNS.get(col as usize) {
            return *width;
        }
        match self.figures.iter().find(|f| f.first_col() <= col && col <= f.source_col) {
            Some(f) if f.value_col == Some(col) => SOURCE_VALUE_WIDTH,
            Some(_) => SOURCE_REF_WIDTH,
            None => TOTALS_MIN_WIDTH,
        }
    }

    /// Each run of figures under the same title: the title, its first and last column.
    fn title_spans(&self) -> Vec<(&str, ColNum, ColNum)> {
        let mut spans: Vec<(&str, ColNum, ColNum)> = Vec::new();
        for f in &self.figures {
            match spans.last_mut() {
                Some((title, _, last)) if *title == f.title => *last = f.source_col,
                _ => spans.push((&f.title, f.first_col(), f.source_col)),
            }
        }
        spans
    }
}

/// The ids of the unit figures whose values "Chi tiết đơn vị" shows: those of
/// the rows of the appendix tables.
fn breakdown_figure_ids(report: &Report) -> HashSet<String> {
    report
        .appendix_tables()
        .flat_map(|t| t.rows.iter().flat_map(|r| r.figures.cells.iter().map(|at| report.total(*at).id.to_string())))
        .collect()
}

/// A figure's header under its table's or list's title: "3. Đăng ký thường trú ›
/// Tổng số hồ sơ", long row and item labels cut short.
fn figure_header(row: Option<&str>, name: &str) -> String {
    let name = shorten(name, SOURCE_LABEL_CHARS);
    match row {
        Some(row) => format!("{} › {name}", shorten(row, SOURCE_LABEL_CHARS)),
        None => name,
    }
}

/// `text` cut after the last whole word within `max` characters, with "…", when it is longer.
fn shorten(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..end];
    let head = match head.rfind(' ') {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// The file most of a unit's figures come from (the first of them on a tie); its
/// first file when it has no figure.
fn main_file(u: &UnitResult) -> &str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for f in &u.figures {
        match counts.iter_mut().find(|(file, _)| **file == *f.source.file) {
            Some((_, n)) => *n += 1,
            None => counts.push((&f.source.file, 1)),
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (file, n) in counts {
        if best.is_none_or(|(_, most)| n > most) {
            best = Some((file, n));
        }
    }
    best.map(|(file, _)| file).or_else(|| u.files.first().map(String::as_str)).unwrap_or("")
}

/// Where a figure came from, as Excel writes a reference: "DVC thiết yếu!E12", or
/// "[tệp khác.xlsx]DVC thiết yếu!E12" when it is not from the unit's file `main`;
/// pushed onto `out` ("Nguồn" has one per unit figure, tens of thousands).
fn push_source_ref(out: &mut String, source: &Location, main: &str) {
    let file = &*source.file;
    let Some(sheet) = &source.sheet else {
        out.extend(["[", file, "]"]);
        return;
    };
    if file != main {
        out.extend(["[", file, "]"]);
    }
    out.push_str(sheet);
    if let Some(cell) = &source.cell {
        out.push('!');
        out.push_str(cell);
    }
}

/// One row per counted unit, one column per figure holding where the unit's
/// figure came from (and its value when no other sheet shows it); then the
/// consolidated figures.
pub(super) fn sheet(ws: &mut Worksheet, report: &Report, units: &[&UnitResult], st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_SOURCES)?;
    // Too wide for one page: it prints across pages, the unit columns repeated.
    page_setup(ws, false);
    let layout = SourceLayout::new(report, units);
    sources_header(ws, &layout, st)?;
    let mut row = SOURCE_HEADER_ROWS;
    let mut cells: Vec<SourceCell> = layout.figures.iter().map(|_| SourceCell::default()).collect();
    for (i, (u, slots)) in units.iter().zip(&layout.slots).enumerate() {
        sources_row(ws, &layout, (u, slots), &mut cells, (i + 1, row), st)?;
        row += 1;
    }
    let last_col = layout.next_col() - 1;
    ws.autofilter(SOURCE_HEADER_ROWS - 1, 0, row - 1, last_col)?;
    let totals_cols = TOTALS_FIRST_COL..TOTALS_FIRST_COL + TOTALS_COLUMNS;
    for col in layout.next_col()..totals_cols.end {
        ws.set_column_width(col, TOTALS_MIN_WIDTH)?;
    }
    let widths: Vec<f64> = totals_cols.map(|c| layout.width(c)).collect();
    totals_section(ws, report, (row + 2, TOTALS_FIRST_COL), &widths, st)?;
    Ok(())
}

/// The three header rows, written top down as constant-memory mode needs: the
/// unit columns' headers over all three, each title over its figures, each
/// figure's label over its columns, then what each column holds.
fn sources_header(ws: &mut Worksheet, l: &SourceLayout, st: &Styles) -> XResult<()> {
    let last = SOURCE_HEADER_ROWS - 1;
    for (c, (header, width)) in SOURCE_UNIT_COLUMNS.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
        merge(ws, (0, c as ColNum), (last, c as ColNum), header, &st.list_header)?;
    }
    let span_width = |first: ColNum, last: ColNum| (first..=last).map(|c| l.width(c)).sum::<f64>();
    let mut lines = 1;
    // Titles from the left: a title centred over many columns would print on none of the pages they span.
    for (title, first, last) in l.title_spans() {
        merge(ws, (0, first), (0, last), title, &st.list_group)?;
        lines = lines.max(bold_lines_needed(title, span_width(first, last)));
    }
    set_height(ws, 0, height_for(lines))?;
    let mut lines = 1;
    for f in &l.figures {
        merge(ws, (1, f.first_col()), (1, f.source_col), &f.label, &st.list_header)?;
        lines = lines.max(bold_lines_needed(&f.label, span_width(f.first_col(), f.source_col)));
    }
    set_height(ws, 1, height_for(lines))?;
    for f in &l.figures {
        if let Some(col) = f.value_col {
            ws.set_column_width(col, SOURCE_VALUE_WIDTH)?;
            // Whole numbers grouped, set once for the column rather than on every cell.
            ws.set_column_format(col, &st.plain_count)?;
            put_text(ws, last, col, "Giá trị", &st.list_header)?;
        }
        ws.set_column_width(f.source_col, SOURCE_REF_WIDTH)?;
        put_text(ws, last, f.source_col, "Ô nguồn", &st.list_header)?;
    }
    set_height(ws, last, height_for(1))?;
    ws.set_freeze_panes(SOURCE_HEADER_ROWS, SOURCE_UNIT_COLUMNS.len() as ColNum)?;
    ws.set_repeat_rows(0, last)?;
    ws.set_repeat_columns(0, SOURCE_UNIT_COLUMNS.len() as ColNum - 1)?;
    Ok(())
}

/// One figure of a unit on "Nguồn": its value and where it came from. Kept from row
/// to row so that the text is not allocated again for every cell.
#[derive(Default)]
struct SourceCell {
    used: bool,
    value: f64,
    sources: String,
}

/// One unit's row: number, name, main file, then each of its figures' source
/// (and value). Plain cells on one line: a province has thousands of units.
/// `slots` are the unit's figures' places in `l.figures`; `cells` has one unused
/// cell per figure column and is left so.
fn sources_row(
    ws: &mut Worksheet,
    l: &SourceLayout,
    (u, slots): (&UnitResult, &[usize]),
    cells: &mut [SourceCell],
    (n, row): (usize, RowNum),
    st: &Styles,
) -> XResult<()> {
    let main = main_file(u);
    ws.write_number(row, 0, n as f64)?;
    ws.write_string(row, 1, cell_text(&u.name))?;
    ws.write_string(row, 2, cell_text(main))?;
    // An id given twice (the same id in two lists) shows both sources and the
    // sum, as the consolidation adds both.
    for (f, &slot) in u.figures.iter().zip(slots) {
        let cell = &mut cells[slot];
        if cell.used {
            cell.value += f.value;
            cell.sources.push_str("; ");
        } else {
            cell.used = true;
            cell.value = f.value;
            cell.sources.clear();
        }
        push_source_ref(&mut cell.sources, &f.source, main);
    }
    for (f, cell) in l.figures.iter().zip(cells) {
        if !std::mem::take(&mut cell.used) {
            continue;
        }
        if let Some(col) = f.value_col {
            if cell.value.fract() == 0.0 {
                ws.write_number(row, col, cell.value)?;
            } else {
                ws.write_number_with_format(row, col, cell.value, &st.plain_decimal)?;
            }
        }
        ws.write_string(row, f.source_col, cell_text(&cell.sources))?;
    }
    Ok(())
}

/// "Số liệu tổng hợp" from `(row, col)`: every consolidated figure, its value, how
/// many unit figures it adds, and the date a cumulative one is counted up to (as the
/// workbooks state it); `widths` are those of its five columns.
fn totals_section(
    ws: &mut Worksheet,
    report: &Report,
    (mut row, col): (RowNum, ColNum),
    widths: &[f64],
    st: &Styles,
) -> XResult<()> {
    put_text(ws, row, col, "SỐ LIỆU TỔNG HỢP", &st.section)?;
    row += 1;
    let headers = ["Mã số liệu", "Nội dung", "Số đơn vị cộng vào", "Giá trị", "Tính đến ngày"];
    for (c, header) in headers.iter().enumerate() {
        put_text(ws, row, col + c as ColNum, header, &st.list_header)?;
    }
    let lines = headers.iter().zip(widths).map(|(h, w)| bold_lines_needed(h, *w)).max().unwrap_or(1);
    set_height(ws, row, height_for(lines))?;
    row += 1;
    for total in report.totals.by_id() {
        let (id, label) = (&*total.id, total.label.as_str());
        put_text(ws, row, col, id, &st.list_text)?;
        put_text(ws, row, col + 1, label, &st.list_text)?;
        if total.sources.is_empty() {
            ws.write_blank(row, col + 2, &st.list_text)?;
        } else {
            ws.write_number_with_format(row, col + 2, total.sources.len() as f64, &st.list_count)?;
        }
        match total.value {
            Some(v) => ws.write_number_with_format(row, col + 3, v, st.list_number(v))?,
            None => ws.write_string_with_format(row, col + 3, "-", &st.list_text)?,
        };
        match report.as_of.get(id) {
            Some(as_of) => ws.write_string_with_format(row, col + 4, as_of.short(), &st.list_text)?,
            None => ws.write_blank(row, col + 4, &st.list_text)?,
        };
        fit_row(ws, row, &[(id, widths[0]), (label, widths[1])])?;
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitStatus;

    #[test]
    fn long_labels_are_cut_at_a_word() {
        assert_eq!(shorten("Đăng ký thường trú", 60), "Đăng ký thường trú");
        assert_eq!(shorten("Đăng ký thường trú", 12), "Đăng ký…");
        assert_eq!(shorten("Cấp lại, đổi thẻ", 9), "Cấp lại…");
        assert_eq!(shorten("Khaibáotạmvắng", 5), "Khaib…");
        assert_eq!(
            figure_header(Some("3. Đăng ký thường trú"), "Tổng số hồ sơ"),
            "3. Đăng ký thường trú › Tổng số hồ sơ"
        );
        assert_eq!(figure_header(None, "Dân số"), "Dân số");
    }

    #[test]
    fn a_source_names_its_file_only_when_it_is_not_the_units_file() {
        let source_ref = |source: &Location, main: &str| {
            let mut text = String::new();
            push_source_ref(&mut text, source, main);
            text
        };
        let main = "BC Bảo An.xlsx";
        assert_eq!(source_ref(&Location::cell(main, "DVC thiết yếu", "E12"), main), "DVC thiết yếu!E12");
        assert_eq!(source_ref(&Location::cell("khác.xlsx", "Số hóa", "C8"), main), "[khác.xlsx]Số hóa!C8");
        assert_eq!(source_ref(&Location::cell(main, "Hồ sơ sức khỏe", "C9:C24"), main), "Hồ sơ sức khỏe!C9:C24");
        assert_eq!(source_ref(&Location::sheet(main, "Số hóa"), main), "Số hóa");
        // Without a sheet there is nothing but the file to show, even the unit's own.
        assert_eq!(source_ref(&Location::file(main), main), "[BC Bảo An.xlsx]");
    }

    #[test]
    fn the_main_file_gives_most_figures_the_first_on_a_tie() {
        use crate::model::Figure;
        let figure = |file: &str| Figure { id: "x".into(), value: 1.0, source: Location::cell(file, "S", "A1") };
        let mut unit = UnitResult {
            name: "Phường Bảo An".into(),
            group: "phuong_xa".into(),
            status: UnitStatus::Counted,
            files: vec!["a.xlsx".into(), "b.xlsx".into()],
            missing: Vec::new(),
            figures: vec![figure("b.xlsx"), figure("a.xlsx"), figure("a.xlsx")],
            as_of: Vec::new(),
        };
        assert_eq!(main_file(&unit), "a.xlsx");
        unit.figures.pop();
        assert_eq!(main_file(&unit), "b.xlsx", "a tie goes to the file of the first figure");
        unit.figures.clear();
        assert_eq!(main_file(&unit), "a.xlsx", "no figure: the unit's first file");
        unit.files.clear();
        assert_eq!(main_file(&unit), "");
    }
}
