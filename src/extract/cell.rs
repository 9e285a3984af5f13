//! The number in a figure cell: typed, a formula's cached value (or, with none,
//! the formula worked out again), or text read the Vietnamese way; anything
//! else is a finding.

use super::Ctx;
use super::formula::eval_simple;
use crate::model::{CellNote, FindingKind};
use crate::number::{NotNumber, is_exact, parse_vn};
use crate::read::{Sheet, Value};
use crate::text::cell_ref;

impl Ctx {
    /// The number in a figure cell. Blank is 0; text is parsed the Vietnamese way and
    /// noted; anything that cannot be read as a number is a finding and gives `None`.
    pub(super) fn number(&mut self, sheet: &Sheet, row: u32, col: u32) -> Option<f64> {
        let Some(cell) = sheet.get(row, col) else { return Some(0.0) };
        self.filled |= cell.value != Value::Empty || cell.formula.is_some();
        let loc = || self.at(sheet, row, col);
        match &cell.value {
            Value::Number(n) if is_exact(*n) => Some(*n),
            Value::Number(n) => {
                self.error(FindingKind::NumberOutOfRange, loc(), out_of_range(*n));
                None
            }
            Value::Empty => match &cell.formula {
                Some(f) => match eval_simple(sheet, f) {
                    Some(v) if !is_exact(v) => {
                        self.error(FindingKind::NumberOutOfRange, loc(), out_of_range(v));
                        None
                    }
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
                Err(NotNumber::Spaced) => {
                    let msg = format!(
                        "Ô ghi \"{t}\": các chữ số bị cách quãng không theo nhóm ba chữ số, không rõ là một số hay hai số; số liệu này chưa được tổng hợp. Hãy nhập lại dạng số."
                    );
                    self.error(FindingKind::AmbiguousNumber, loc(), msg);
                    None
                }
                Err(NotNumber::TooLarge) => {
                    let msg = format!(
                        "Ô ghi \"{t}\": số quá lớn để tính chính xác (từ 9.007.199.254.740.992 trở lên sẽ bị làm tròn); số liệu này chưa được tổng hợp. Hãy kiểm tra lại ô này."
                    );
                    self.error(FindingKind::NumberOutOfRange, loc(), msg);
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

/// Why a stored number is not counted: not finite (NaN, infinity), or too large to be exact.
fn out_of_range(v: f64) -> String {
    if v.is_nan() {
        "Ô ghi giá trị NaN (không phải số); số liệu này chưa được tổng hợp.".into()
    } else if v.is_infinite() {
        "Ô ghi giá trị vô cực (không phải số hữu hạn); số liệu này chưa được tổng hợp.".into()
    } else {
        format!(
            "Ô ghi số {v:e}, quá lớn để tính chính xác (từ 9.007.199.254.740.992 trở lên sẽ bị làm tròn); số liệu này chưa được tổng hợp."
        )
    }
}
