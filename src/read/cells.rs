//! What every reader does to the cells it keeps, whichever format they came
//! from: text trimmed, made NFC and cut at [`MAX_CELL_CHARS`]; values hidden
//! under a merged range dropped; legacy Vietnamese text decoded.

use super::{LegacyCell, MAX_CELL_CHARS, Sheet, Value, legacy};

/// Only the top-left cell of a merged range is shown; the others may still hold old
/// values nobody sees (a number typed before the cells were merged). Such values are
/// dropped so they are never counted.
pub(super) fn drop_covered_cells(sheet: &mut Sheet) {
    let mut covered = Vec::new();
    for m in &sheet.merges {
        for (&(r, c), _) in sheet.cells.range((m.first_row, 0)..=(m.last_row, u32::MAX)) {
            if (m.first_col..=m.last_col).contains(&c) && (r, c) != (m.first_row, m.first_col) {
                covered.push((r, c));
            }
        }
    }
    for pos in covered {
        sheet.cells.remove(&pos);
    }
}

/// Decode every text cell stored in TCVN3 or VNI-Windows: by its font when `font`
/// knows it, otherwise by character statistics.
pub(super) fn decode_legacy(sheet: &mut Sheet, font: impl Fn(u32, u32) -> Option<String>) {
    for (&(r, c), cell) in sheet.cells.iter_mut() {
        let Value::Text(text) = &cell.value else { continue };
        let font = font(r, c);
        let Some(enc) = legacy::detect(text, font.as_deref()) else { continue };
        let capitals = font.as_deref().and_then(legacy::font_encoding).is_some_and(|(_, caps)| caps);
        let decoded = legacy::decode(text, enc, capitals);
        if decoded != **text {
            sheet.legacy.push(LegacyCell { row: r, col: c, encoding: enc, stored: text.to_string() });
            cell.value = Value::Text(decoded.into());
        }
    }
}

/// A text cut to [`MAX_CELL_CHARS`] by [`text_value`].
pub(super) fn is_cut(v: &Value) -> bool {
    matches!(v, Value::Text(t) if t.len() >= MAX_CELL_CHARS && t.chars().count() == MAX_CELL_CHARS)
}

/// A text as a cell value: blank is empty, otherwise NFC, cut to [`MAX_CELL_CHARS`].
pub(super) fn text_value(s: &str) -> Value {
    if s.trim().is_empty() {
        return Value::Empty;
    }
    let t = crate::text::nfc_cow(s);
    if t.len() > MAX_CELL_CHARS && t.chars().count() > MAX_CELL_CHARS {
        return Value::Text(t.chars().take(MAX_CELL_CHARS).collect::<String>().into());
    }
    Value::Text(t.into())
}
