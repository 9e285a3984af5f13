//! Sheet "Số liệu tổng hợp": every consolidated figure, one per row: its
//! label, how many unit figures it adds, its value and the date a cumulative one
//! is counted up to; its id last, for machines.

use super::XResult;
use super::checks::list_header_row;
use super::fit::fit_row;
use super::style::{Styles, page_setup, put_text};
use crate::model::Report;
use rust_xlsxwriter::{ColNum, Worksheet};

/// The sheet's name.
pub(super) const SHEET_TOTALS: &str = "Số liệu tổng hợp";

/// Its columns: header and width.
pub(super) const TOTALS_COLUMNS: [(&str, f64); 6] = [
    ("STT", 6.0),
    ("Số liệu", 70.0),
    ("Số đơn vị cộng vào", 12.0),
    ("Giá trị", 16.0),
    ("Tính đến ngày", 13.0),
    ("Mã số liệu", 40.0),
];

/// Every consolidated figure, in the order the report makes them (tables, then
/// lists, each in config order), on A4 landscape one page wide.
pub(super) fn sheet(ws: &mut Worksheet, report: &Report, st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_TOTALS)?;
    page_setup(ws, true);
    list_header_row(ws, &TOTALS_COLUMNS, st)?;
    let mut row = 1;
    for (n, total) in report.totals.iter().enumerate() {
        let (id, label) = (&*total.id, total.label.as_str());
        ws.write_number_with_format(row, 0, (n + 1) as f64, &st.list_stt)?;
        put_text(ws, row, 1, label, &st.list_text)?;
        if total.sources.is_empty() {
            ws.write_blank(row, 2, &st.list_text)?;
        } else {
            ws.write_number_with_format(row, 2, total.sources.len() as f64, &st.list_count)?;
        }
        match total.value {
            Some(v) => ws.write_number_with_format(row, 3, v, st.list_number(v))?,
            None => ws.write_string_with_format(row, 3, "-", &st.list_text)?,
        };
        match report.as_of.get(id) {
            Some(as_of) => ws.write_string_with_format(row, 4, as_of.short(), &st.list_text)?,
            None => ws.write_blank(row, 4, &st.list_text)?,
        };
        put_text(ws, row, 5, id, &st.list_text)?;
        fit_row(ws, row, &[(label, TOTALS_COLUMNS[1].1), (id, TOTALS_COLUMNS[5].1)])?;
        row += 1;
    }
    let last = (TOTALS_COLUMNS.len() - 1) as ColNum;
    ws.autofilter(0, 0, row.max(2) - 1, last)?;
    Ok(())
}
