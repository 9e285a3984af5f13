//! The simple formulas totals use (`SUM(A1:B9)`, `A1+B2-C3`), evaluated on the
//! sheet's values: to stand in for a missing cached value, and to check one.

use super::Ctx;
use crate::model::{Finding, FindingKind, Severity};
use crate::number::parse_vn;
use crate::read::{Sheet, Value};

/// A formula whose cached value differs from what its cells add up to.
pub(super) fn check_formula_cache(ctx: &mut Ctx, sheet: &Sheet, r: u32, c: u32) {
    let Some(cell) = sheet.get(r, c) else { return };
    let (Value::Number(cached), Some(f)) = (&cell.value, &cell.formula) else { return };
    if let Some(v) = eval_simple(sheet, f)
        && (v - cached).abs() > 1e-6
    {
        ctx.findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::FormulaCacheMismatch,
                ctx.at(sheet, r, c),
                format!(
                    "Giá trị lưu sẵn của công thức ={f} là {}, nhưng tính lại được {}; đã dùng giá trị ghi trong tệp. Hãy mở tệp bằng Excel để tính lại.",
                    crate::number::fmt_num(*cached),
                    crate::number::fmt_num(v)
                ),
            )
            .values(*cached, v),
        );
    }
}

/// Evaluate the simple formulas totals use: `SUM(A1:B9)`, `A1+B2-C3`, `SUM(A1,B2)`.
/// Anything else gives `None`.
pub fn eval_simple(sheet: &Sheet, formula: &str) -> Option<f64> {
    let f: String = formula.trim().trim_start_matches('=').chars().filter(|c| !c.is_whitespace()).collect();
    let upper = f.to_uppercase();
    if let Some(inner) = upper.strip_prefix("SUM(").and_then(|s| s.strip_suffix(')')) {
        return inner.split([',', ';']).map(|part| eval_range(sheet, part)).sum();
    }
    let mut total = 0.0;
    let mut sign = 1.0;
    let mut term = String::new();
    for ch in upper.chars().chain(std::iter::once('+')) {
        if ch == '+' || ch == '-' {
            if !term.is_empty() {
                total += sign * eval_range(sheet, &term)?;
                term.clear();
            } else if ch == '-' {
                sign = -sign;
                continue;
            }
            sign = if ch == '-' { -1.0 } else { 1.0 };
        } else {
            term.push(ch);
        }
    }
    Some(total)
}

fn eval_range(sheet: &Sheet, part: &str) -> Option<f64> {
    let (a, b) = part.split_once(':').unwrap_or((part, part));
    let (r0, c0) = parse_ref(a)?;
    let (r1, c1) = parse_ref(b)?;
    if r1 < r0 || c1 < c0 || (r1 - r0) as u64 * (c1 - c0 + 1) as u64 > 100_000 {
        return None;
    }
    let mut sum = 0.0;
    for r in r0..=r1 {
        for c in c0..=c1 {
            match sheet.get(r, c).map(|cell| &cell.value) {
                Some(Value::Number(n)) => sum += n,
                Some(Value::Text(t)) => sum += parse_vn(t).ok()?.value,
                Some(Value::Empty) | None => {}
                _ => return None,
            }
        }
    }
    Some(sum)
}

/// "E22" or "$E$22" -> zero-based (row, col).
pub(super) fn parse_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col))
}
