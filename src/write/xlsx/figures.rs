//! Sheet "Dữ liệu so sánh" ([`crate::own::SHEET_FIGURES`]), hidden: the month's
//! figures in a plain machine-readable form, so that next month's run can compare
//! with them (`read::previous` reads it back). It depends on no other sheet's
//! layout: the appendix and the working sheets may be laid out anew, this sheet
//! keeps its form, and a change that old readers would misread takes a new version.
//!
//! Layout, version 1 (rows and columns as Excel numbers them):
//!
//! | row | A | B | C, D, … |
//! |---|---|---|---|
//! | 1 | `baocao-figures` | 1 (the version, a number) | |
//! | 2 | `month` | `2024-07` (the report's month) | |
//! | 3 | `note` | a line for a person who unhides the sheet | |
//! | 5 | `scope` | `name` | one figure id per column: `csdlqg.hoi_nong_dan`, `dvc_thiet_yeu.rows[3].total`, … |
//! | 6 | `total` | | the consolidated value of each figure (blank when it has none) |
//! | 7 … | `unit` | the unit's configured name | that unit's value of each figure (blank when it gave none) |
//!
//! The columns are every consolidated figure, sorted by id, then any unit figure id
//! no consolidated figure has; one `unit` row per counted unit, in config order (a
//! unit not counted that month has no row). A unit that gives one id twice has the
//! sum, as the consolidation adds both. Readers find the rows by column A, not by
//! their number, and ignore keys they do not know.
//!
//! Written in constant-memory mode with inline strings and no formats, so it
//! neither holds a province's figures in memory nor touches the workbook's shared
//! tables (the build of the other sheets stays byte for byte the same).

use super::XResult;
use crate::model::{Report, UnitResult};
use crate::own::{FIGURES_FORMAT, FIGURES_HEADER, FIGURES_MONTH, FIGURES_TOTAL, FIGURES_UNIT, FIGURES_VERSION};
use foldhash::{HashMap, HashMapExt};
use rust_xlsxwriter::{ColNum, RowNum, Worksheet};

/// The first figure column (C).
const FIRST: ColNum = 2;

/// The note for whoever unhides the sheet.
const NOTE: &str = "Trang này do baocao ghi: số liệu của tháng theo mã số liệu, để lần tổng hợp tháng sau \
                    so sánh (số liệu lũy kế giảm, số liệu tăng đột biến). Không sửa trang này.";

/// The hidden figures sheet of `report`'s counted `units`.
pub(super) fn sheet(ws: &mut Worksheet, report: &Report, units: &[&UnitResult]) -> XResult<()> {
    ws.set_name(crate::own::SHEET_FIGURES)?;
    ws.set_hidden(true);
    let mut ids: Vec<&str> = report.totals.by_id().map(|t| &*t.id).collect();
    let known: std::collections::HashSet<&str> = ids.iter().copied().collect();
    let mut others: Vec<&str> =
        units.iter().flat_map(|u| u.figures.iter().map(|f| &*f.id)).filter(|id| !known.contains(id)).collect();
    others.sort_unstable();
    others.dedup();
    ids.extend(others);
    let mut col_of: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        col_of.insert(id, i);
    }
    ws.write_string(0, 0, FIGURES_FORMAT)?;
    ws.write_number(0, 1, FIGURES_VERSION)?;
    let p = &report.period;
    ws.write_string(1, 0, FIGURES_MONTH)?;
    ws.write_string(1, 1, format!("{}-{:02}", p.year, p.month))?;
    ws.write_string(2, 0, "note")?;
    ws.write_string(2, 1, NOTE)?;
    ws.write_string(4, 0, FIGURES_HEADER)?;
    ws.write_string(4, 1, "name")?;
    for (i, id) in ids.iter().enumerate() {
        ws.write_string(4, FIRST + i as ColNum, *id)?;
    }
    ws.write_string(5, 0, FIGURES_TOTAL)?;
    for (i, t) in report.totals.by_id().enumerate() {
        if let Some(v) = t.value {
            ws.write_number(5, FIRST + i as ColNum, v)?;
        }
    }
    // One unit's values, reused from row to row: a province has thousands of units.
    let mut values: Vec<Option<f64>> = vec![None; ids.len()];
    for (row, u) in (6 as RowNum..).zip(units) {
        values.iter_mut().for_each(|v| *v = None);
        for f in &u.figures {
            let v = &mut values[col_of[&*f.id]];
            *v = Some(v.unwrap_or(0.0) + f.value);
        }
        ws.write_string(row, 0, FIGURES_UNIT)?;
        ws.write_string(row, 1, &u.name)?;
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(row, FIRST + i as ColNum, *v)?;
            }
        }
    }
    Ok(())
}
