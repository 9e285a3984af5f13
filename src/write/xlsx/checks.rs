//! Sheet "Kiểm tra": every finding of the run, then every unit's status and every
//! file that was not counted.

use super::XResult;
use super::fit::{bold_lines_needed, fit_row, height_for};
use super::style::{Styles, merge, page_setup, put_text};
use crate::model::{Finding, Report, UnitStatus};
use crate::number;
use crate::own::SHEET_CHECKS;
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet};

/// Columns of the findings table: header and width.
const CHECK_COLUMNS: [(&str, f64); 10] = [
    ("STT", 6.0),
    ("Mức độ", 11.0),
    ("Đơn vị", 22.0),
    ("Tệp", 28.0),
    ("Trang tính", 14.0),
    ("Ô", 7.0),
    ("Nội dung", 60.0),
    ("Giá trị trong tệp", 11.0),
    ("Giá trị đúng", 11.0),
    ("Các ô liên quan", 30.0),
];

/// Most cells one finding's row lists: more would make a row taller than a
/// screen (a finding about 39 converted cells); the rest are counted.
const SHOWN_CELLS: usize = 5;

/// Column widths and the header row of a list sheet, frozen and repeated when printing.
pub(super) fn list_header_row(ws: &mut Worksheet, columns: &[(&str, f64)], st: &Styles) -> XResult<()> {
    for (c, (header, width)) in columns.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
        put_text(ws, 0, c as ColNum, header, &st.list_header)?;
    }
    let lines = columns.iter().map(|(header, width)| bold_lines_needed(header, *width)).max().unwrap_or(1);
    ws.set_row_height(0, height_for(lines))?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Every finding, then each unit's status and each file not counted.
pub(super) fn sheet(ws: &mut Worksheet, run: &Report, st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_CHECKS)?;
    page_setup(ws, true);
    list_header_row(ws, &CHECK_COLUMNS, st)?;
    let last_col = (CHECK_COLUMNS.len() - 1) as ColNum;
    let mut row = 1;
    for (i, f) in run.findings.iter().enumerate() {
        finding_row(ws, f, i + 1, row, st)?;
        row += 1;
    }
    if run.findings.is_empty() {
        merge(ws, (row, 0), (row, last_col), "Không có vấn đề nào.", &st.list_text)?;
        row += 1;
    }
    ws.autofilter(0, 0, row - 1, last_col)?;
    status_section(ws, run, row + 2, st)?;
    Ok(())
}

/// One finding: severity, unit, where, what, the values and the cells concerned.
fn finding_row(ws: &mut Worksheet, f: &Finding, n: usize, row: RowNum, st: &Styles) -> XResult<()> {
    ws.write_number_with_format(row, 0, n as f64, &st.list_stt)?;
    put_text(ws, row, 1, f.severity.label(), st.severity(f.severity))?;
    let mut listed: Vec<String> = f
        .cells
        .iter()
        .take(SHOWN_CELLS)
        .map(|c| {
            let value = c.value.map(|v| format!(" → {}", number::fmt_num(v))).unwrap_or_default();
            format!("{}!{}: \"{}\"{value}", c.sheet, c.cell, c.text)
        })
        .collect();
    if f.cells.len() > SHOWN_CELLS {
        listed.push(format!("… và {} ô khác", f.cells.len() - SHOWN_CELLS));
    }
    let cells = listed.join("; ");
    let texts = [
        (2, f.unit.as_deref().unwrap_or("")),
        (3, &*f.location.file),
        (4, f.location.sheet.as_deref().unwrap_or("")),
        (5, f.location.cell.as_deref().unwrap_or("")),
        (6, f.message.as_str()),
        (9, cells.as_str()),
    ];
    for (c, text) in texts {
        put_text(ws, row, c, text, &st.list_text)?;
    }
    for (c, value) in [(7, f.found), (8, f.expected)] {
        match value {
            Some(v) => ws.write_number_with_format(row, c, v, st.list_number(v))?,
            None => ws.write_blank(row, c, &st.list_text)?,
        };
    }
    let fit: Vec<(&str, f64)> = texts.iter().map(|(c, text)| (*text, CHECK_COLUMNS[*c as usize].1)).collect();
    fit_row(ws, row, &fit)?;
    Ok(())
}

/// "Tình trạng tiếp nhận báo cáo": every expected unit, then every file not counted.
fn status_section(ws: &mut Worksheet, run: &Report, mut row: RowNum, st: &Styles) -> XResult<()> {
    put_text(ws, row, 0, "TÌNH TRẠNG TIẾP NHẬN BÁO CÁO", &st.section)?;
    row += 1;
    let headers = ["STT", "Tình trạng", "Đơn vị", "Tệp"];
    for (c, header) in headers.iter().enumerate() {
        put_text(ws, row, c as ColNum, header, &st.list_header)?;
    }
    merge(ws, (row, 4), (row, 6), "Ghi chú", &st.list_header)?;
    row += 1;
    let mut n = 0;
    for u in &run.units {
        n += 1;
        let files = u.files.join("\n");
        let group = run.group_name(&u.group);
        let fmt = match u.status {
            UnitStatus::Counted => &st.list_text,
            UnitStatus::Conflict
            | UnitStatus::WrongPeriod
            | UnitStatus::Unreadable
            | UnitStatus::Missing
            | UnitStatus::Blank => &st.error,
        };
        status_row(ws, row, n, (u.status.label(), fmt), &u.name, &files, &format!("Nhóm: {group}"), st)?;
        row += 1;
    }
    for s in &run.skipped {
        n += 1;
        status_row(ws, row, n, ("không tổng hợp", &st.list_text), "", &s.file, &s.reason, st)?;
        row += 1;
    }
    Ok(())
}

/// One line of the status section; the note is merged over three columns.
#[allow(clippy::too_many_arguments)]
fn status_row(
    ws: &mut Worksheet,
    row: RowNum,
    n: usize,
    (status, status_fmt): (&str, &Format),
    unit: &str,
    files: &str,
    note: &str,
    st: &Styles,
) -> XResult<()> {
    ws.write_number_with_format(row, 0, n as f64, &st.list_stt)?;
    put_text(ws, row, 1, status, status_fmt)?;
    put_text(ws, row, 2, unit, &st.list_text)?;
    put_text(ws, row, 3, files, &st.list_text)?;
    merge(ws, (row, 4), (row, 6), note, &st.list_text)?;
    let note_width = CHECK_COLUMNS[4].1 + CHECK_COLUMNS[5].1 + CHECK_COLUMNS[6].1;
    fit_row(
        ws,
        row,
        &[(status, CHECK_COLUMNS[1].1), (unit, CHECK_COLUMNS[2].1), (files, CHECK_COLUMNS[3].1), (note, note_width)],
    )?;
    Ok(())
}
