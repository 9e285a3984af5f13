//! The appendix (Phụ lục): every `[[tables]]` with `appendix = true`, laid out like
//! the seed's end: title, period, "(Kèm theo Báo cáo số ...)", a bordered table with
//! merged header cells, one row per configured row, and the "Tổng" row.

use super::Child;
use super::front::number_symbol;
use super::style::{BLACK, Look, line, para, run};
use super::template::full_date;
use crate::config::{Config, Table as TableCfg, table_row_id};
use crate::model::RunResult;
use crate::number::{fmt_num, fmt_pct_trim, ratio_pct};
use docx_rs::{
    AlignmentType, BorderType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

/// Text width of a landscape page: 297 - 30 - 15 mm.
pub const LANDSCAPE_TEXT: i32 = 14287;
const STT_W: i32 = 700;
const INFO_W: i32 = 1600;
const FIG_W: i32 = 1350;
/// Table text: 12 pt.
const CELL: Look = Look::new(12);

/// The appendix tables of the config, in order.
pub fn appendix_tables(cfg: &Config) -> Vec<&TableCfg> {
    cfg.tables.iter().filter(|t| t.appendix).collect()
}

/// One appendix: its heading lines and its table. `index` is 0-based, `count` the
/// number of appendices (with two or more they are numbered I, II, ...).
pub fn appendix(cfg: &Config, result: &RunResult, t: &TableCfg, index: usize, count: usize) -> Vec<Child> {
    let label = if count > 1 { format!("Phụ lục {}", roman(index + 1)) } else { "Phụ lục".to_string() };
    let doc = &cfg.document;
    let date = full_date(&doc.date).unwrap_or_else(|| format!("ngày     tháng     năm {}", cfg.report.year));
    let mut out = vec![
        Child::p(para(AlignmentType::Center, 0, 60).add_run(run(&label, Look::new(14).bold()))),
        Child::p(line(&t.title, Look::new(14).bold(), AlignmentType::Center)),
        Child::p(line(&result.period, Look::new(14).italic(), AlignmentType::Center)),
        Child::p(line(
            &format!("(Kèm theo Báo cáo số {} {date})", number_symbol(doc)),
            Look::new(14).italic(),
            AlignmentType::Center,
        )),
    ];
    let unit = t.unit_of_count.as_deref().unwrap_or("");
    out.push(Child::p(para(AlignmentType::Right, 120, 60).add_run(run(unit, CELL.italic()))));
    out.push(Child::T(Box::new(table(result, t))));
    if let Some(note) = crate::write::coverage_note(cfg, result) {
        out.push(Child::p(para(AlignmentType::Left, 120, 0).add_run(run(&note, CELL.italic()))));
    }
    out
}

/// I, II, III, ... for appendix numbers.
fn roman(n: usize) -> String {
    const DIGITS: [(usize, &str); 9] =
        [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in DIGITS {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The headers of the fixed information columns, in first-seen order.
fn info_headers(t: &TableCfg) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &t.rows {
        for k in r.info.keys() {
            if !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

/// Column widths: STT, label, info columns, figure columns (ratio included).
fn widths(info: usize, figures: usize) -> Vec<i32> {
    let fixed = STT_W + INFO_W * info as i32 + FIG_W * figures as i32;
    let mut w = vec![STT_W, (LANDSCAPE_TEXT - fixed).max(2000)];
    w.extend(std::iter::repeat_n(INFO_W, info));
    w.extend(std::iter::repeat_n(FIG_W, figures));
    w
}

/// A bordered table cell with one paragraph of text.
fn cell(text: &str, width: i32, look: Look, align: AlignmentType) -> TableCell {
    TableCell::new()
        .width(width as usize, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(para(align, 0, 0).size(look.size).add_run(run(text, look)))
}

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

/// The figures of one row (or of the total row): each column, then the ratio.
fn row_figures(result: &RunResult, t: &TableCfg, id: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out: Vec<String> = t.columns.iter().map(|c| figure(result.value(&id(&c.id)))).collect();
    if let Some(r) = &t.ratio {
        out.push(ratio(result.value(&id(&r.id))));
    }
    out
}

/// The figures of the "Tổng" row: the run's table totals, or the sum of the rows
/// when the run has none.
fn total_figures(result: &RunResult, t: &TableCfg) -> Vec<String> {
    let id = |c: &str| if t.rows.is_empty() { format!("{}.{c}", t.id) } else { format!("{}.total.{c}", t.id) };
    let sum = |c: &str| -> Option<f64> {
        result.value(&id(c)).or_else(|| {
            let values: Option<Vec<f64>> =
                t.rows.iter().map(|r| result.value(&table_row_id(&t.id, r.stt, c))).collect();
            values.map(|v| v.iter().sum())
        })
    };
    let mut out: Vec<String> = t.columns.iter().map(|c| figure(sum(&c.id))).collect();
    if let Some(r) = &t.ratio {
        let value = result
            .totals
            .get(&id(&r.id))
            .map(|total| total.value)
            .unwrap_or_else(|| ratio_pct(sum(&r.numerator)?, sum(&r.denominator)?));
        out.push(ratio(value));
    }
    out
}

/// The bordered appendix table.
fn table(result: &RunResult, t: &TableCfg) -> Table {
    let info = info_headers(t);
    let mut fig_headers: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
    if let Some(r) = &t.ratio {
        fig_headers.push(&r.header);
    }
    let w = widths(info.len(), fig_headers.len());
    let head = CELL.bold();
    let center = AlignmentType::Center;
    let mut rows = Vec::new();
    let lead: Vec<&str> =
        [t.stt_header.as_str(), t.label_header.as_str()].into_iter().chain(info.iter().map(String::as_str)).collect();
    match &t.columns_group {
        Some(group) => {
            let mut first: Vec<TableCell> = lead
                .iter()
                .enumerate()
                .map(|(i, h)| cell(h, w[i], head, center).vertical_merge(VMergeType::Restart))
                .collect();
            let span: i32 = w[lead.len()..].iter().sum();
            first.push(cell(group, span, head, center).grid_span(fig_headers.len()));
            let mut second: Vec<TableCell> = lead
                .iter()
                .enumerate()
                .map(|(i, _)| cell("", w[i], head, center).vertical_merge(VMergeType::Continue))
                .collect();
            second.extend(fig_headers.iter().enumerate().map(|(i, h)| cell(h, w[lead.len() + i], head, center)));
            rows.push(TableRow::new(first).cant_split());
            rows.push(TableRow::new(second).cant_split());
        }
        None => {
            let all: Vec<TableCell> =
                lead.iter().chain(fig_headers.iter()).enumerate().map(|(i, h)| cell(h, w[i], head, center)).collect();
            rows.push(TableRow::new(all).cant_split());
        }
    }
    let total_w: i32 = w.iter().sum();
    for r in &t.rows {
        if let Some(h) = &r.heading {
            rows.push(TableRow::new(vec![cell(h, total_w, CELL.bold(), AlignmentType::Left).grid_span(w.len())]));
        }
        let mut cells =
            vec![cell(&r.stt.to_string(), w[0], CELL, center), cell(&r.label, w[1], CELL, AlignmentType::Left)];
        cells.extend(
            info.iter()
                .enumerate()
                .map(|(i, k)| cell(r.info.get(k).map(String::as_str).unwrap_or(""), w[2 + i], CELL, center)),
        );
        let figs = row_figures(result, t, &|c| table_row_id(&t.id, r.stt, c));
        cells.extend(figs.iter().enumerate().map(|(i, f)| cell(f, w[lead.len() + i], CELL, center)));
        rows.push(TableRow::new(cells).cant_split());
    }
    // A one-row table has no "Tổng" row, as in the seed's QĐ 422 table.
    if t.rows.len() != 1 {
        let lead_w: i32 = w[..lead.len()].iter().sum();
        let mut total = vec![cell("Tổng", lead_w, CELL.bold(), center).grid_span(lead.len())];
        let figs = total_figures(result, t);
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
    Table::new(rows)
        .set_grid(w.iter().map(|x| *x as usize).collect())
        .width(total_w as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
        .set_borders(borders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_and_figures() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(14), "XIV");
        assert_eq!(figure(Some(8725.0)), "8725");
        assert_eq!(ratio(Some(99.54)), "99,54%");
        assert_eq!(ratio(None), "-");
    }
}
