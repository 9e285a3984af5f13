//! The number in a figure cell: typed, a formula's cached value (or, with none,
//! the formula worked out again), or text read the Vietnamese way; anything
//! else is a finding.

use super::Ctx;
use super::formula::eval_simple;
use crate::model::{CellNote, FindingKind};
use crate::number::{NotNumber, parse_vn};
use crate::read::{Sheet, Value};
use crate::text::cell_ref;

impl Ctx {
    /// The number in a figure cell. Blank is 0; text is parsed the Vietnamese way and
    /// noted; anything that cannot be read as a number is a finding and gives `None`.
    pub(super) fn number(&mut self, sheet: &Sheet, row: u32, col: u32) -> Option<f64> {
        let Some(cell) = sheet.get(row, col) else { return Some(0.0) };
        let loc = || self.at(sheet, row, col);
        match &cell.value {
            Value::Number(n) => Some(*n),
            Value::Empty => match &cell.formula {
                Some(f) => match eval_simple(sheet, f) {
                    Some(v) => {
                        let msg = format!(
                            "Ô có công thức ={f} nhưng không có giá trị lưu sẵn (tệp được lưu bằng phần mềm không tính công thức); đã tự tính lại = {}.",
                            crate::number::fmt_num(v)
                        );
                        self.warn(FindingKind::FormulaNoCache, loc(), msg);
                        Some(v)
                    }
                    None => {
                        let msg = format!(
                            "Ô có công thức ={f} nhưng không có giá trị lưu sẵn và không tự tính lại được; số liệu này chưa được tổng hợp. Hãy mở tệp bằng Excel, lưu lại rồi gửi lại."
                        );
                        self.error(FindingKind::FormulaNoCache, loc(), msg);
                        None
                    }
                },
                None => Some(0.0),
            },
            Value::Text(t) => match parse_vn(t) {
                Ok(p) => {
                    self.converted.push(CellNote {
                        sheet: sheet.name.clone(),
                        cell: cell_ref(row, col),
                        text: t.to_string(),
                        value: Some(p.value),
                    });
                    Some(p.value)
                }
                Err(NotNumber::Ambiguous) => {
                    let msg = format!(
                        "Ô ghi \"{t}\": không rõ là số thập phân hay số có dấu phân cách hàng nghìn; số liệu này chưa được tổng hợp. Hãy nhập lại dạng số."
                    );
                    self.error(FindingKind::AmbiguousNumber, loc(), msg);
                    None
                }
                Err(NotNumber::Text) => {
                    let msg = format!("Ô ghi \"{t}\", không phải là số; số liệu này chưa được tổng hợp.");
                    self.error(FindingKind::NotANumber, loc(), msg);
                    None
                }
            },
            Value::Bool(b) => {
                self.error(
                    FindingKind::NotANumber,
                    loc(),
                    format!("Ô ghi giá trị logic {b}, không phải là số; chưa tổng hợp."),
                );
                None
            }
            Value::Error(e) => {
                self.error(
                    FindingKind::NotANumber,
                    loc(),
                    format!("Ô báo lỗi công thức {e}; số liệu này chưa được tổng hợp."),
                );
                None
            }
        }
    }
}
