//! The appendix (Phụ lục): every `[[tables]]` with `appendix = true`, laid out like
//! the seed's end: title, period, "(Kèm theo Báo cáo số ...)", a bordered table with
//! merged header cells, one row per configured row, and the "Tổng" row, all
//! read from the report's resolved tables. When last month is the reference, a
//! "Tháng trước" column follows each figure column, as on the XLSX's sheets; the
//! fixed columns narrow so that the label keeps room on the landscape page.

use super::Child;
use super::style::{BLACK, Look, line, para, run};
use crate::model::{Document, FigureLine, Report, TableReport};
use crate::number::{fmt_num, fmt_pct_trim};
use crate::write::appendix::PREVIOUS_HEADER;
use docx_rs::{
    AlignmentType, BorderType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

/// Text width of a landscape page: 297 - 30 - 15 mm.
pub const LANDSCAPE_TEXT: i32 = 14287;
const STT_W: i32 = 700;
const INFO_W: i32 = 1600;
const FIG_W: i32 = 1350;
/// With last month's columns: info, figure and last month's columns.
const INFO_W_PREVIOUS: i32 = 1400;
const FIG_W_PREVIOUS: i32 = 1250;
const PREVIOUS_W: i32 = 1150;
/// Table text: 12 pt.
const CELL: Look = Look::new(12);

/// One appendix: its heading lines and its table, whose header rows repeat on
/// every page. `index` is 0-based, `count` the number of appendices (with two or
/// more they are numbered I, II, ...).
pub fn appendix(report: &Report, doc: &Document, t: &TableReport, index: usize, count: usize) -> Vec<Child> {
    let label = crate::write::appendix::label(index, count);
    let mut out = vec![
        Child::p(para(AlignmentType::Center, 0, 60).add_run(run(&label, Look::new(14).bold()))),
        Child::p(line(&t.title, Look::new(14).bold(), AlignmentType::Center)),
        Child::p(line(&report.period.text, Look::new(14).italic(), AlignmentType::Center)),
        Child::p(line(
            &crate::write::appendix::attached_line(doc, report.period.month, report.period.year),
            Look::new(14).italic(),
            AlignmentType::Center,
        )),
    ];
    let unit = t.unit_of_count.as_deref().unwrap_or("");
    out.push(Child::p(para(AlignmentType::Right, 120, 60).add_run(run(unit, CELL.italic()))));
    let (table, header_rows) = table(report, t);
    out.push(Child::T(Box::new(table), header_rows));
    if let Some(note) = crate::write::appendix::coverage_note(report) {
        out.push(Child::p(para(AlignmentType::Left, 120, 0).add_run(run(&note, CELL.italic()))));
    }
    out
}

/// Column widths: STT, label, info columns, then the figure columns in order
/// (each `true` of `previous`: a last month's column).
fn widths(info: usize, figures: &[bool]) -> Vec<i32> {
    let with_previous = figures.iter().any(|p| *p);
    let (info_w, fig_w) = if with_previous { (INFO_W_PREVIOUS, FIG_W_PREVIOUS) } else { (INFO_W, FIG_W) };
    let figure_w: Vec<i32> = figures.iter().map(|p| if *p { PREVIOUS_W } else { fig_w }).collect();
    let fixed = STT_W + info_w * info as i32 + figure_w.iter().sum::<i32>();
    let mut w = vec![STT_W, (LANDSCAPE_TEXT - fixed).max(2000)];
    w.extend(std::iter::repeat_n(info_w, info));
    w.extend(figure_w);
    w
}

/// A bordered table cell with one paragraph of text.
fn cell(text: &str, width: i32, look: Look, align: AlignmentType) -> TableCell {
    kept_cell(text, width, look, align, false)
}

/// [`cell`], kept on the page of the next row when `keep` (its paragraph is
/// "keep with next": a row whose every cell keeps with the next row moves with it).
fn kept_cell(text: &str, width: i32, look: Look, align: AlignmentType, keep: bool) -> TableCell {
    TableCell::new()
        .width(width as usize, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(para(align, 0, 0).size(look.size).keep_next(keep).add_run(run(text, look)))
}

/// Fewest data rows a page break may leave together: at the end of a table (with
/// its total), and after a group heading.
const KEEP_ROWS: usize = 3;

/// A figure of the appendix as the seed prints it: plain digits (8725), decimals with ",".
fn figure(value: Option<f64>) -> String {
    match value {
        Some(v) if v.fract() == 0.0 => format!("{}", v as i64),
        Some(v) => fmt_num(v),
        None => "-".to_string(),
    }
}

/// A ratio of the appendix: "89,6%", "100%", "-" when there is none (0/0).
fn ratio(value: Option<f64>) -> String {
    value.map(fmt_pct_trim).unwrap_or_else(|| "-".to_string())
}

/// The figures of one line of the table: each column (and last month's beside
/// it when `previous`), then the ratio.
fn line_figures(report: &Report, line: &FigureLine, previous: bool) -> Vec<String> {
    let mut out = Vec::new();
    for at in &line.cells {
        out.push(figure(report.value(*at)));
        if previous {
            out.push(figure(report.previous_value(*at)));
        }
    }
    if let Some(at) = line.ratio {
        out.push(ratio(report.value(at)));
    }
    out
}

/// The bordered appendix table, and how many of its first rows are its header.
fn table(report: &Report, t: &TableReport) -> (Table, usize) {
    let info = &t.info_headers;
    let previous = report.previous_column().is_some();
    // Each figure column's header, and whether it is last month's.
    let mut fig_headers: Vec<(&str, bool)> = Vec::new();
    for c in &t.columns {
        fig_headers.push((&c.header, false));
        if previous {
            fig_headers.push((PREVIOUS_HEADER, true));
        }
    }
    if let Some(r) = &t.ratio {
        fig_headers.push((&r.header, false));
    }
    let kinds: Vec<bool> = fig_headers.iter().map(|(_, p)| *p).collect();
    let fig_headers: Vec<&str> = fig_headers.into_iter().map(|(h, _)| h).collect();
    let w = widths(info.len(), &kinds);
    let head = CELL.bold();
    let center = AlignmentType::Center;
    let mut rows = Vec::new();
    let lead: Vec<&str> =
        [t.stt_header.as_str(), t.label_header.as_str()].into_iter().chain(info.iter().map(String::as_str)).collect();
    let header_rows = if t.columns_group.is_some() { 2 } else { 1 };
    match &t.columns_group {
        Some(group) => {
            let mut first: Vec<TableCell> = lead
                .iter()
                .enumerate()
                .map(|(i, h)| kept_cell(h, w[i], head, center, true).vertical_merge(VMergeType::Restart))
                .collect();
            let span: i32 = w[lead.len()..].iter().sum();
            first.push(kept_cell(group, span, head, center, true).grid_span(fig_headers.len()));
            let mut second: Vec<TableCell> = lead
                .iter()
                .enumerate()
                .map(|(i, _)| kept_cell("", w[i], head, center, true).vertical_merge(VMergeType::Continue))
                .collect();
            second.extend(
                fig_headers.iter().enumerate().map(|(i, h)| kept_cell(h, w[lead.len() + i], head, center, true)),
            );
            rows.push(TableRow::new(first).cant_split());
            rows.push(TableRow::new(second).cant_split());
        }
        None => {
            let all: Vec<TableCell> = lead
                .iter()
                .chain(fig_headers.iter())
                .enumerate()
                .map(|(i, h)| kept_cell(h, w[i], head, center, true))
                .collect();
            rows.push(TableRow::new(all).cant_split());
        }
    }
    let total_w: i32 = w.iter().sum();
    // The header keeps with the first rows, a group heading with its first rows, and
    // the last rows with the total, so no page holds a header, a heading or a total
    // with fewer than KEEP_ROWS data rows.
    let n = t.rows.len();
    let end = if t.total.is_some() { n } else { n.saturating_sub(1) };
    let mut since_heading = KEEP_ROWS;
    for (i, r) in t.rows.iter().enumerate() {
        if let Some(h) = &r.heading {
            let heading = kept_cell(h, total_w, CELL.bold(), AlignmentType::Left, true).grid_span(w.len());
            rows.push(TableRow::new(vec![heading]).cant_split());
            since_heading = 0;
        }
        let keep = (i < KEEP_ROWS - 1 || since_heading < KEEP_ROWS - 1 || i + KEEP_ROWS >= n) && i < end;
        since_heading += 1;
        let mut cells = vec![
            kept_cell(&r.stt.to_string(), w[0], CELL, center, keep),
            kept_cell(&r.label, w[1], CELL, AlignmentType::Left, keep),
        ];
        cells.extend(r.info.iter().enumerate().map(|(i, v)| kept_cell(v, w[2 + i], CELL, center, keep)));
        let figs = line_figures(report, &r.figures, previous);
        cells.extend(figs.iter().enumerate().map(|(i, f)| kept_cell(f, w[lead.len() + i], CELL, center, keep)));
        rows.push(TableRow::new(cells).cant_split());
    }
    if let Some(line) = &t.total {
        let lead_w: i32 = w[..lead.len()].iter().sum();
        let mut total = vec![cell("Tổng", lead_w, CELL.bold(), center).grid_span(lead.len())];
        let figs = line_figures(report, line, previous);
        total.extend(figs.iter().enumerate().map(|(i, f)| cell(f, w[lead.len() + i], CELL.bold(), center)));
        rows.push(TableRow::new(total).cant_split());
    }

    let border = |p| TableBorder::new(p).border_type(BorderType::Single).size(4).color(BLACK);
    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, p| b.set(border(p)));
    let table = Table::new(rows)
        .set_grid(w.iter().map(|x| *x as usize).collect())
        .width(total_w as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
        .set_borders(borders);
    (table, header_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_as_the_seed_prints_them() {
        assert_eq!(figure(Some(8725.0)), "8725");
        assert_eq!(ratio(Some(99.54)), "99,54%");
        assert_eq!(ratio(None), "-");
    }
}
