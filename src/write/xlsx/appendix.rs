//! Sheet "Phụ lục" (or "Phụ lục I", "Phụ lục II", ...): each appendix table on a
//! sheet of its own, laid out as in the seed, from the report's resolved tables.
//! When last month's appendix was the reference (and its column is not turned
//! off), each figure column is followed by a "Tháng trước" column with last
//! month's figures ([`PREVIOUS_HEADER`]), as numbers: last month is not on
//! the breakdown. This month's figures are formulas over "Chi tiết đơn vị"
//! ([`BreakdownLinks`]), cached with the consolidated values.

use super::breakdown::BreakdownLinks;
use super::fit::{bold_lines_needed, fit_row, height_for, lines_needed, set_height};
use super::style::{
    A4_LONG_SIDE, A4_SHORT_SIDE, FONT_SIZE, HEADING_SIZE, LINE_HEIGHT, PAGE_MARGIN, PAGE_MARGIN_TOP, STT_WIDTH, Styles,
    appendix_page_numbers, merge, number_text, page_setup, put_text, write_count,
};
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
            let label = label(i, count);
            ws.set_name(&label)?;
            page_setup(ws, true);
            appendix_page_numbers(ws);
            set_appendix_widths(ws, &layout)?;
            let placed = appendix_table(ws, (report, links), doc, (&label, &layout), st)?;
            ws.set_repeat_rows(placed.header_row, placed.header_row + 1)?;
            paginate(ws, &layout, &placed)?;
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

/// Height in points of `lines` lines of the appendix's heading size.
fn heading_height(lines: usize) -> f64 {
    height_for(lines) * f64::from(HEADING_SIZE) / f64::from(FONT_SIZE)
}

/// Where an appendix table landed on its sheet, for its pagination.
struct Placed {
    /// The first of its two header rows.
    header_row: RowNum,
    /// The height in points of each row from the top of the sheet.
    heights: Vec<f64>,
    /// The group heading rows, which stay on the page of the row under them.
    headings: Vec<RowNum>,
    /// The table's last row (its "Tổng" row when it has one), and whether it is a total.
    last: (RowNum, bool),
}

impl Placed {
    /// Record the height of `row` (rows left at the default height count as one line).
    fn track(&mut self, row: RowNum, height: f64) {
        let row = row as usize;
        if self.heights.len() <= row {
            self.heights.resize(row + 1, LINE_HEIGHT);
        }
        self.heights[row] = height;
    }
}

/// One appendix table from the top of its sheet, under its label ("Phụ lục I"
/// on a line of its own, as Decree 30 heads an appendix: III.1.a-b).
fn appendix_table(
    ws: &mut Worksheet,
    (report, links): (&Report, &BreakdownLinks),
    doc: &Document,
    (label, l): (&str, &Layout),
    st: &Styles,
) -> XResult<Placed> {
    let mut placed = Placed { header_row: 0, heights: Vec::new(), headings: Vec::new(), last: (0, false) };
    let p = &mut placed;
    let t = l.table;
    let last = l.last_col();
    let full_width: f64 = (0..=last).map(|c| l.width(c)).sum();
    // Widths count 12 pt digits: a 14 pt heading fits fewer characters.
    let heading_width = full_width * 0.9 * f64::from(FONT_SIZE) / f64::from(HEADING_SIZE);
    let mut row = 0;
    merge(ws, (row, 0), (row, last), label, &st.appendix_label)?;
    p.track(row, set_height(ws, row, heading_height(1))?);
    row += 1;
    merge(ws, (row, 0), (row, last), &t.title, &st.title)?;
    p.track(row, set_height(ws, row, heading_height(bold_lines_needed(&t.title, heading_width)) + 2.0)?);
    row += 1;
    let attached = attached_line(doc, report.period.month, report.period.year);
    for text in [report.period.text.as_str(), &attached] {
        merge(ws, (row, 0), (row, last), text, &st.subtitle)?;
        // The attached line names the issuing body: it may take two lines.
        p.track(row, set_height(ws, row, heading_height(lines_needed(text, heading_width)))?);
        row += 1;
    }
    if let Some(unit) = &t.unit_of_count {
        merge(ws, (row, l.figure_col(0)), (row, last), unit, &st.note)?;
        p.track(row, set_height(ws, row, LINE_HEIGHT)?);
        row += 1;
    }
    p.header_row = row;
    let (top, below) = appendix_header(ws, l, row, st)?;
    p.track(row, top);
    p.track(row + 1, below);
    row += 2;
    if t.rows.is_empty() {
        if let Some(sums) = &t.total {
            p.track(row, appendix_total(ws, report, l, sums, (None, row), st)?);
            p.last = (row, true);
        }
        return Ok(placed);
    }
    let mut first_data = None;
    for (index, r) in t.rows.iter().enumerate() {
        if let Some(heading) = &r.heading {
            merge(ws, (row, 0), (row, last), heading, &st.heading)?;
            p.track(row, fit_row(ws, row, &[(heading, full_width)])?);
            p.headings.push(row);
            row += 1;
        }
        first_data.get_or_insert(row);
        p.track(row, appendix_row(ws, (report, links), l, (index, r), row, st)?);
        row += 1;
    }
    p.last = (row - 1, false);
    if let Some(total) = &t.total {
        let span = (first_data.unwrap_or(row), row - 1);
        p.track(row, appendix_total(ws, report, l, total, (Some(span), row), st)?);
        p.last = (row, true);
        row += 1;
    }
    if let Some(note) = crate::write::appendix::coverage_note(report) {
        let row = row + 1;
        merge(ws, (row, 0), (row, last), &note, &st.note)?;
        p.track(row, fit_row(ws, row, &[(&note, full_width)])?);
    }
    Ok(placed)
}

/// The smallest print scale (percent) at which a table is shrunk to one page
/// tall; a longer one prints at its width's scale over several pages.
const MIN_ONE_PAGE_SCALE: f64 = 70.0;

/// Print a table on as few pages as it reads well on: one page wide, and one
/// page tall when it takes no more than a little shrinking; otherwise at the
/// scale of its width with page breaks that never leave a total with fewer
/// than three rows above it, nor a group heading at the foot of a page.
fn paginate(ws: &mut Worksheet, l: &Layout, placed: &Placed) -> XResult<()> {
    // Column widths in pixels at 96 dpi: 8 px a digit of 12 pt Times New Roman, 5 px of padding.
    let width: f64 = (0..=l.last_col()).map(|c| (l.width(c) * 8.0 + 5.0).trunc()).sum();
    let page_width = (A4_LONG_SIDE - 2.0 * PAGE_MARGIN) * 96.0;
    let width_scale = (100.0 * page_width / width).floor().min(100.0);
    // Points a page holds at 100 %, less a little for LibreOffice's and Excel's rounding.
    let page_height = (A4_SHORT_SIDE - 2.0 * PAGE_MARGIN_TOP) * 72.0 * 0.97;
    let height: f64 = placed.heights.iter().sum();
    let height_scale = 100.0 * page_height / height.max(1.0);
    if height_scale >= width_scale {
        return Ok(()); // One page wide is one page tall.
    }
    if height_scale >= MIN_ONE_PAGE_SCALE {
        ws.set_print_fit_to_pages(1, 1);
        return Ok(());
    }
    ws.set_print_scale(width_scale as u16);
    let breaks = row_breaks(placed, page_height * 100.0 / width_scale);
    ws.set_page_breaks(&breaks)?;
    Ok(())
}

/// The first row of each printed page after the first, for pages holding
/// `page` points, the two header rows repeated on each: as many rows as fit,
/// then, where that would strand them, a group heading moved to the next page
/// with its first row, and the last page given at least three rows above the total.
fn row_breaks(placed: &Placed, page: f64) -> Vec<RowNum> {
    let h = |r: RowNum| placed.heights.get(r as usize).copied().unwrap_or(LINE_HEIGHT);
    let header = h(placed.header_row) + h(placed.header_row + 1);
    let first_body = placed.header_row + 2;
    let (last, is_total) = placed.last;
    let mut breaks: Vec<RowNum> = Vec::new();
    let mut used: f64 = (0..first_body).map(h).sum();
    let mut row = first_body;
    while row <= last {
        let start = breaks.last().map_or(first_body, |b| *b);
        if used + h(row) > page && row > start {
            let mut at = row;
            // A heading goes with the row under it.
            while at > start + 1 && placed.headings.contains(&(at - 1)) {
                at -= 1;
            }
            breaks.push(at);
            used = header + (at..=row).map(h).sum::<f64>();
        } else {
            used += h(row);
        }
        row += 1;
    }
    // A total keeps three rows above it on its page (as many as the table has).
    if is_total && !breaks.is_empty() {
        let n = breaks.len();
        let previous = if n > 1 { breaks[n - 2] } else { first_body };
        // Three rows up from the total, over the headings between them.
        let (mut earlier, mut rows) = (last, 0);
        while rows < 3 && earlier > first_body {
            earlier -= 1;
            rows += usize::from(!placed.headings.contains(&earlier));
        }
        let earlier = breaks_floor(&placed.headings, earlier);
        if breaks[n - 1] > earlier && earlier > previous {
            breaks[n - 1] = earlier;
        }
    }
    breaks
}

/// `row`, moved up over any group heading right above it.
fn breaks_floor(headings: &[RowNum], mut row: RowNum) -> RowNum {
    while row > 0 && headings.contains(&(row - 1)) {
        row -= 1;
    }
    row
}

/// The two-row header: STT, label and info columns span both rows; the figure
/// columns sit under the merged `columns_group` header when there is one.
/// Returns the two rows' heights.
fn appendix_header(ws: &mut Worksheet, l: &Layout, row: RowNum, st: &Styles) -> XResult<(f64, f64)> {
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
    Ok((set_height(ws, row, height_for(lines_top))?, set_height(ws, below, height_for(lines_below))?))
}

/// One configured row: STT, label, info values, figures and the ratio formula.
/// Each figure is a formula over "Chi tiết đơn vị" ([`BreakdownLinks::formula`]),
/// cached with the consolidated value; a number where the breakdown cannot give it.
/// Returns the row's height.
fn appendix_row(
    ws: &mut Worksheet,
    (report, links): (&Report, &BreakdownLinks),
    l: &Layout,
    (index, r): (usize, &TableRow),
    row: RowNum,
    st: &Styles,
) -> XResult<f64> {
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
    fit_row(ws, row, &fit)
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
/// plain numbers (last month's as last month's appendix had them). Then the
/// ratio. Returns the row's height.
fn appendix_total(
    ws: &mut Worksheet,
    report: &Report,
    l: &Layout,
    total: &FigureLine,
    (rows, row): (Option<(RowNum, RowNum)>, RowNum),
    st: &Styles,
) -> XResult<f64> {
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
    set_height(ws, row, height_for(1) + 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of `rows` rows of 20 pt under five heading lines and two header
    /// rows, a heading before each tenth row, and a total.
    fn placed(rows: u32) -> Placed {
        let header_row = 5;
        let mut p = Placed { header_row, heights: vec![22.0; 5], headings: Vec::new(), last: (0, true) };
        p.heights.extend([19.0, 35.0]);
        let mut row = header_row + 2;
        for i in 0..rows {
            if i % 10 == 0 {
                p.headings.push(row);
                p.track(row, 19.0);
                row += 1;
            }
            // Some rows wrap over two or three lines.
            p.track(row, [19.0, 35.0, 51.0][(i % 7) as usize % 3]);
            row += 1;
        }
        p.track(row, 21.0);
        p.last = (row, true);
        p
    }

    #[test]
    fn pages_break_where_they_fit_never_stranding_a_heading_or_a_total() {
        for rows in [12, 25, 31, 40, 57, 80] {
            for page in [300.0, 420.0, 493.0] {
                let p = placed(rows);
                let breaks = row_breaks(&p, page);
                let h = |r: RowNum| p.heights[r as usize];
                let header = h(5) + h(6);
                let (last, _) = p.last;
                let mut starts = vec![0];
                starts.extend(&breaks);
                assert!(starts.windows(2).all(|w| w[0] < w[1]), "{rows} rows, {page}: {breaks:?}");
                for (i, start) in starts.iter().enumerate() {
                    let end = starts.get(i + 1).map_or(last + 1, |b| *b);
                    let repeated = if i > 0 { header } else { 0.0 };
                    let used: f64 = repeated + (*start..end).map(h).sum::<f64>();
                    // The last page may take the rows moved to keep the total company.
                    let slack = if end == last + 1 { 2.0 * 51.0 } else { 0.0 };
                    assert!(used <= page + slack, "{rows} rows, {page}: page {i} holds {used} pt: {breaks:?}");
                    assert!(!p.headings.contains(&(end - 1)), "{rows} rows, {page}: a heading ends page {i}");
                }
                if let Some(b) = breaks.last() {
                    let data = (*b..last).filter(|r| !p.headings.contains(r)).count();
                    assert!(data >= 3, "{rows} rows, {page}: {data} rows above the total: {breaks:?}");
                }
            }
        }
    }

    #[test]
    fn a_table_that_fits_has_no_break() {
        let p = placed(12);
        let height: f64 = p.heights.iter().sum();
        assert!(row_breaks(&p, height + 1.0).is_empty());
    }
}
