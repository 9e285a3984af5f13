//! Sheet "Nguồn": one row per unit figure, a long list a clerk can filter and
//! print: who gave it, what it is (its label), its value, and the file, sheet and
//! cell it was read from; the figure's id last, for machines.

use super::XResult;
use super::checks::list_header_row;
use super::fit::{height_for, lines_needed};
use super::style::{Styles, cell_text, page_setup};
use crate::model::{Report, UnitResult};
use crate::own::SHEET_SOURCES;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet};
use std::collections::HashMap;

/// The columns of the list: header and width. The id comes last ("Mã số
/// liệu"), the one column a person need not read.
pub(super) const SOURCE_COLUMNS: [(&str, f64); 8] = [
    ("STT", 6.0),
    ("Đơn vị", 22.0),
    ("Số liệu", 62.0),
    ("Giá trị", 11.0),
    ("Tệp", 30.0),
    ("Trang tính", 15.0),
    ("Ô", 7.0),
    ("Mã số liệu", 30.0),
];
const UNIT: ColNum = 1;
const LABEL: ColNum = 2;
const VALUE: ColNum = 3;
const FILE: ColNum = 4;
const SHEET: ColNum = 5;
const CELL: ColNum = 6;
const ID: ColNum = 7;

/// Label of a figure the config does not name (its id is in "Mã số liệu").
const OTHER_FIGURE: &str = "Số liệu khác (không có trong cấu hình)";

/// One row per figure of every counted unit, in unit order and, within a unit,
/// in the order its workbooks gave them; fitted one page wide on A4 landscape,
/// the header repeated on every printed page, frozen and filtered on screen.
pub(super) fn sheet(ws: &mut Worksheet, report: &Report, units: &[&UnitResult], st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_SOURCES)?;
    page_setup(ws, true);
    // Column formats, so that the many cells are written without one: text
    // wrapped from the top of the cell, values grouped (no borders: a column's
    // format is also that of its empty cells, down to the sheet's last row).
    for col in [0, UNIT, LABEL, FILE, SHEET, CELL, ID] {
        ws.set_column_format(col, &st.plain_wrap)?;
    }
    ws.set_column_format(VALUE, &st.plain_count)?;
    list_header_row(ws, &SOURCE_COLUMNS, st)?;
    let width = |col: ColNum| SOURCE_COLUMNS[col as usize].1;
    // Each id's label and the lines it takes, worked out once: a province has
    // thousands of units giving the same figures.
    let mut labels: HashMap<&str, (&str, usize)> = HashMap::new();
    for t in report.totals.by_id() {
        labels.insert(&t.id, (t.label.as_str(), lines_needed(&t.label, width(LABEL))));
    }
    let other = (OTHER_FIGURE, lines_needed(OTHER_FIGURE, width(LABEL)));
    let mut row: RowNum = 1;
    for u in units {
        let name = cell_text(&u.name);
        let name_lines = lines_needed(name, width(UNIT));
        // A unit's figures mostly come from one file: measured once per file.
        let mut file_lines: (&str, usize) = ("", 1);
        for f in &u.figures {
            let (label, label_lines) = labels.get(&*f.id).copied().unwrap_or(other);
            let file = cell_text(&f.source.file);
            if file_lines.0 != file {
                file_lines = (file, lines_needed(file, width(FILE)));
            }
            ws.write_number(row, 0, f64::from(row))?;
            ws.write_string(row, UNIT, name)?;
            ws.write_string(row, LABEL, cell_text(label))?;
            if f.value.fract() == 0.0 {
                ws.write_number(row, VALUE, f.value)?;
            } else {
                ws.write_number_with_format(row, VALUE, f.value, &st.plain_decimal)?;
            }
            ws.write_string(row, FILE, file)?;
            if let Some(sheet) = &f.source.sheet {
                ws.write_string(row, SHEET, cell_text(sheet))?;
            }
            if let Some(cell) = &f.source.cell {
                ws.write_string(row, CELL, cell_text(cell))?;
            }
            ws.write_string(row, ID, cell_text(&f.id))?;
            let lines = name_lines.max(label_lines).max(file_lines.1);
            if lines > 1 {
                ws.set_row_height(row, height_for(lines))?;
            }
            row += 1;
        }
    }
    ws.autofilter(0, 0, row - 1, ID)?;
    Ok(())
}
