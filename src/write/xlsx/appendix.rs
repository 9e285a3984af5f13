//! Sheet "Phụ lục" (or "Phụ lục I", "Phụ lục II", ...): each appendix table on a
//! sheet of its own, laid out as in the seed, from the report's resolved tables.
//! When last month's appendix was the reference (and its column is not turned
//! off), each figure column is followed by a "Tháng trước" column with last
//! month's figures ([`PREVIOUS_HEADER`]), as numbers: last month is not on
//! the breakdown. This month's figures are formulas over "Chi tiết đơn vị"
//! ([`BreakdownLinks`]), cached with the consolidated values.

use super::breakdown::BreakdownLinks;
use super::fit::{bold_lines_needed, fit_row, height_for, lines_needed, set_height};
use super::style::{LINE_HEIGHT, STT_WIDTH, Styles, merge, number_text, page_setup, put_text, write_count};
use super::{SheetBuilder, XResult};
use crate::model::{Document, FigureLine, Report, TableReport, TableRow};
use crate::write::appendix::{PREVIOUS_HEADER, attached_line, label};
use rust_xlsxwriter::{ColNum, Format, Formula, RowNum, Worksheet, row_col_to_cell};

/// The sheet's name when the config prints no table in the appendix.
const SHEET_APPENDIX: &str = "Phụ lục";

/// Where one appendix table's columns sit: STT, label, info columns, figures
/// (each followed by last month's when `previous`), ratio.
struct Layout<'a> {
    table: &'a TableReport,
    previous: bool,
}

const LABEL_WIDTH: f64 = 48.0;
const INFO_WIDTH: f64 = 14.0;
const FIGURE_WIDTH: f64 = 13.0;
const RATIO_WIDTH: f64 = 11.0;
const PREVIOUS_WIDTH: f64 = 12.0;

impl<'a> Layout<'a> {
    fn new(table: &'a TableReport, previous: bool) -> Self {
        Layout { table, previous }
    }

    /// Headers of the rows' `info` columns, in order of first appearance.
    fn info(&self) -> &'a [String] {
        &self.table.info_headers
    }

    fn info_col(&self, i: usize) -> ColNum {
        2 + i as ColNum
    }

    /// Column of figure `i` (`i` = the number of figures: the ratio's).
    fn figure_col(&self, i: usize) -> ColNum {
        let per_figure = if self.previous { 2 } else { 1 };
        2 + (self.info().len() + i * per_figure) as ColNum
    }

    /// Column of last month's value of figure `i`, when it is printed.
    fn previous_col(&self, i: usize) -> Option<ColNum> {
        self.previous.then(|| self.figure_col(i) + 1)
    }

    fn is_previous_col(&self, col: ColNum) -> bool {
        (0..self.table.columns.len()).any(|i| self.previous_col(i) == Some(col))
    }

    fn ratio_col(&self) -> Option<ColNum> {
        self.table.ratio.as_ref().map(|_| self.figure_col(self.table.columns.len()))
    }

    fn last_col(&self) -> ColNum {
        self.ratio_col().unwrap_or_else(|| self.figure_col(self.table.columns.len()) - 1)
    }

    /// The width (in characters) of each column.
    fn width(&self, col: ColNum) -> f64 {
        match col {
            0 => STT_WIDTH,
            1 => LABEL_WIDTH,
            c if c < self.figure_col(0) => INFO_WIDTH,
            c if Some(c) == self.ratio_col() => RATIO_WIDTH,
            c if self.is_previous_col(c) => PREVIOUS_WIDTH,
            _ => FIGURE_WIDTH,
        }
    }

    /// Headers of the figure columns, then the ratio's.
    fn figure_headers(&self) -> Vec<&'a str> {
        let mut headers: Vec<&str> = self.table.columns.iter().map(|c| c.header.as_str()).collect();
        if let Some(r) = &self.table.ratio {
            headers.push(&r.header);
        }
        headers
    }
}

/// The appendix: each appendix table on a sheet of its own, named "Phụ lục I",
/// "Phụ lục II", ... as Decree 30 numbers several appendices ("Phụ lục" alone
/// when there is one). Each prints on A4 landscape, one page wide and as many
/// tall as it needs, its two header rows repeated on every page.
pub(super) fn builders<'a>(
    report: &'a Report,
    doc: &'a Document,
    links: &'a BreakdownLinks,
    st: &'a Styles,
) -> Vec<SheetBuilder<'a>> {
    let previous = report.previous_column().is_some();
    let layouts: Vec<Layout> = report.appendix_tables().map(|t| Layout::new(t, previous)).collect();
    if layouts.is_empty() {
        return vec![Box::new(move |ws| {
            ws.set_name(SHEET_APPENDIX)?;
            page_setup(ws, true);
            put_text(ws, 0, 0, "Cấu hình chưa có bảng nào được in vào phụ lục (appendix = true).", &st.section)
        })];
    }
    let count = layouts.len();
    let build = move |(i, layout): (usize, Layout<'a>)| -> SheetBuilder<'a> {
        Box::new(move |ws| {
            ws.set_name(label(i, count))?;
            page_setup(ws, true);
            set_appendix_widths(ws, &layout)?;
            let header_row = appendix_table(ws, (report, links), doc, &layout, st)?;
            ws.set_repeat_rows(header_row, header_row + 1)?;
            Ok(())
        })
    };
    layouts.into_iter().enumerate().map(build).collect()
}

/// Fixed column widths (no autofit: it measures Calibri and counts merged titles).
fn set_appendix_widths(ws: &mut Worksheet, layout: &Layout) -> XResult<()> {
    for col in 0..=layout.last_col() {
        ws.set_column_width(col, layout.width(col))?;
    }
    Ok(())
}

/// One appendix table from the top of its sheet; returns the first of its two header rows.
fn appendix_table(
    ws: &mut Worksheet,
    (report, links): (&Report, &BreakdownLinks),
    doc: &Document,
    l: &Layout,
    st: &Styles,
) -> XResult<RowNum> {
    let t = l.table;
    let last = l.last_col();
    let full_width: f64 = (0..=last).map(|c| l.width(c)).sum();
    let mut row = 0;
    merge(ws, (row, 0), (row, last), &t.title, &st.title)?;
    set_height(ws, row, height_for(bold_lines_needed(&t.title, full_width * 0.9)) + 2.0)?;
    row += 1;
    let attached = attached_line(doc, report.period.month, report.period.year);
    let mut lines: Vec<(&str, ColNum, &Format)> =
        vec![(&report.period.text, 0, &st.subtitle), (&attached, 0, &st.subtitle)];
    if let Some(unit) = &t.unit_of_count {
        lines.push((unit, l.figure_col(0), &st.note));
    }
    for (text, from, fmt) in lines {
        merge(ws, (row, from), (row, last), text, fmt)?;
        // The attached line names the issuing body: it may take two lines.
        let width: f64 = (from..=last).map(|c| l.width(c)).sum();
        let lines = lines_needed(text, width * 0.9);
        set_height(ws, row, if lines > 1 { height_for(lines) } else { LINE_HEIGHT })?;
        row += 1;
    }
    let header_row = row;
    row = appendix_header(ws, l, row, st)?;
    if t.rows.is_empty() {
        if let Some(sums) = &t.total {
            appendix_total(ws, report, l, sums, (None, row), st)?;
        }
        return Ok(header_row);
    }
    let mut first_data = None;
    for (index, r) in t.rows.iter().enumerate() {
        if let Some(heading) = &r.heading {
            merge(ws, (row, 0), (row, last), heading, &st.heading)?;
            fit_row(ws, row, &[(heading, full_width)])?;
            row += 1;
        }
        first_data.get_or_insert(row);
        appendix_row(ws, (report, links), l, (index, r), row, st)?;
        row += 1;
    }
    if let Some(total) = &t.total {
        appendix_total(ws, report, l, total, (Some((first_data.unwrap_or(row), row - 1)), row), st)?;
        row += 1;
    }
    if let Some(note) = crate::write::appendix::coverage_note(report) {
        let row = row + 1;
        merge(ws, (row, 0), (row, last), &note, &st.note)?;
        fit_row(ws, row, &[(&note, full_width)])?;
    }
    Ok(header_row)
}

/// The two-row header: STT, label and info columns span both rows; the figure
/// columns sit under the merged `columns_group` header when there is one.
/// Returns the next row.
fn appendix_header(ws: &mut Worksheet, l: &Layout, row: RowNum, st: &Styles) -> XResult<RowNum> {
    let t = l.table;
    let below = row + 1;
    merge(ws, (row, 0), (below, 0), &t.stt_header, &st.header)?;
    merge(ws, (row, 1), (below, 1), &t.label_header, &st.header)?;
    for (i, key) in l.info().iter().enumerate() {
        let c = l.info_col(i);
        merge(ws, (row, c), (below, c), key, &st.header)?;
    }
    let headers = l.figure_headers();
    let mut lines_top = 1;
    let mut lines_below = 1;
    match &t.columns_group {
        Some(group) => {
            merge(ws, (row, l.figure_col(0)), (row, l.last_col()), group, &st.header)?;
            let group_width: f64 = (l.figure_col(0)..=l.last_col()).map(|c| l.width(c)).sum();
            lines_top = bold_lines_needed(group, group_width);
            for (i, header) in headers.iter().enumerate() {
                let c = l.figure_col(i);
                put_text(ws, below, c, header, &st.header)?;
                lines_below = lines_below.max(bold_lines_needed(header, l.width(c)));
            }
            for c in (0..t.columns.len()).filter_map(|i| l.previous_col(i)) {
                put_text(ws, below, c, PREVIOUS_HEADER, &st.header)?;
                lines_below = lines_below.max(bold_lines_needed(PREVIOUS_HEADER, l.width(c)));
            }
        }
        None => {
            let previous = (0..t.columns.len()).filter_map(|i| l.previous_col(i)).map(|c| (PREVIOUS_HEADER, c));
            let all = headers.iter().enumerate().map(|(i, h)| (*h, l.figure_col(i))).chain(previous);
            for (header, c) in all {
                merge(ws, (row, c), (below, c), header, &st.header)?;
                lines_below = lines_below.max(bold_lines_needed(header, l.width(c)).saturating_sub(1));
            }
        }
    }
    // The headers spanning both rows must fit in the two rows together.
    let spanning = std::iter::once((t.stt_header.as_str(), 0))
        .chain(std::iter::once((t.label_header.as_str(), 1)))
        .chain(l.info().iter().enumerate().map(|(i, k)| (k.as_str(), l.info_col(i))))
        .map(|(text, c)| bold_lines_needed(text, l.width(c)))
        .max()
        .unwrap_or(1);
    lines_below = lines_below.max(spanning.saturating_sub(lines_top));
    set_height(ws, row, height_for(lines_top))?;
    set_height(ws, below, height_for(lines_below))?;
    Ok(below + 1)
}

/// One configured row: STT, label, info values, figures and the ratio formula.
/// Each figure is a formula over "Chi tiết đơn vị" ([`BreakdownLinks::formula`]),
/// cached with the consolidated value; a number where the breakdown cannot give it.
fn appendix_row(
    ws: &mut Worksheet,
    (report, links): (&Report, &BreakdownLinks),
    l: &Layout,
    (index, r): (usize, &TableRow),
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    ws.write_number_with_format(row, 0, r.stt, &st.center)?;
    put_text(ws, row, 1, &r.label, &st.text)?;
    let mut fit: Vec<(&str, f64)> = vec![(&r.label, LABEL_WIDTH)];
    for (i, value) in r.info.iter().enumerate() {
        put_text(ws, row, l.info_col(i), value, &st.center)?;
        fit.push((value, l.width(l.info_col(i))));
    }
    let values: Vec<Option<f64>> = r.figures.cells.iter().map(|at| report.value(*at)).collect();
    for (i, value) in values.iter().enumerate() {
        let col = l.figure_col(i);
        match value.and_then(|v| links.formula(l.table, index, i, v)) {
            Some(formula) => {
                ws.write_formula_with_format(row, col, formula, &st.count)?;
            }
            None => write_count(ws, row, col, *value, &st.count)?,
        }
    }
    for (i, at) in r.figures.cells.iter().enumerate() {
        if let Some(col) = l.previous_col(i) {
            write_count(ws, row, col, report.previous_value(*at), &st.count)?;
        }
    }
    write_ratio(ws, l, &r.figures, &values, row, &st.ratio)?;
    fit_row(ws, row, &fit)?;
    Ok(())
}

/// The ratio cell of a line, when the table has one, from the line's own values.
fn write_ratio(
    ws: &mut Worksheet,
    l: &Layout,
    line: &FigureLine,
    values: &[Option<f64>],
    row: RowNum,
    fmt: &Format,
) -> XResult<()> {
    let (Some(ratio), Some(col), Some(_)) = (&l.table.ratio, l.ratio_col(), line.ratio) else {
        return Ok(());
    };
    let (num, den) = (values[ratio.numerator], values[ratio.denominator]);
    let formula = ratio_formula(row, l, num, den);
    ws.write_formula_with_format(row, col, formula, fmt)?;
    Ok(())
}

/// `=IF(E7=0,"-",F7/E7)` for the ratio of one row, stored with its result at
/// full precision, as a recalculation gives it (the engine's percentage is
/// rounded for the text): the line's two figures divided, or "-" when the
/// denominator is 0 or has no value (no unit gave it).
fn ratio_formula(row: RowNum, l: &Layout, num: Option<f64>, den: Option<f64>) -> Formula {
    let ratio = l.table.ratio.as_ref().expect("ratio_formula needs a ratio");
    let n = row_col_to_cell(row, l.figure_col(ratio.numerator));
    let d = row_col_to_cell(row, l.figure_col(ratio.denominator));
    let den = den.unwrap_or(0.0);
    let result = if den == 0.0 { "-".to_string() } else { number_text(num.unwrap_or(0.0) / den) };
    Formula::new(format!("=IF({d}=0,\"-\",{n}/{d})")).set_result(result)
}

/// The "Tổng" row. Over data rows `(first, last)`: `SUM` formulas, each cached
/// with the table's total (the sum of the rows written), last month's columns
/// too. For a table without configured rows (`rows` None): its column sums as
/// plain numbers (last month's as last month's appendix had them). Then the ratio.
fn appendix_total(
    ws: &mut Worksheet,
    report: &Report,
    l: &Layout,
    total: &FigureLine,
    (rows, row): (Option<(RowNum, RowNum)>, RowNum),
    st: &Styles,
) -> XResult<()> {
    merge(ws, (row, 0), (row, l.figure_col(0) - 1), "Tổng", &st.total_label)?;
    let values: Vec<Option<f64>> = total.cells.iter().map(|at| report.value(*at)).collect();
    let sum = |col: ColNum, (first, last): (RowNum, RowNum), value: f64| {
        let range = format!("{}:{}", row_col_to_cell(first, col), row_col_to_cell(last, col));
        Formula::new(format!("=SUM({range})")).set_result(number_text(value))
    };
    for (i, value) in values.iter().enumerate() {
        let col = l.figure_col(i);
        match rows {
            Some(span) => {
                ws.write_formula_with_format(row, col, sum(col, span, value.unwrap_or(0.0)), &st.total_count)?;
            }
            None => write_count(ws, row, col, *value, &st.total_count)?,
        }
        let Some(col) = l.previous_col(i) else { continue };
        match rows {
            Some(span) => {
                // The rows' last-month values as written above: what the formula adds up.
                let rows_sum: f64 = l.table.rows.iter().filter_map(|r| report.previous_value(r.figures.cells[i])).sum();
                ws.write_formula_with_format(row, col, sum(col, span, rows_sum), &st.total_count)?;
            }
            None => write_count(ws, row, col, report.previous_value(total.cells[i]), &st.total_count)?,
        }
    }
    write_ratio(ws, l, total, &values, row, &st.total_ratio)?;
    set_height(ws, row, height_for(1) + 2.0)?;
    Ok(())
}
