//! Row heights: how many lines a wrapped text needs in a column, estimated for
//! 12 pt Times New Roman. rust_xlsxwriter writes the heights it is given and
//! measures no text, so the writer sets each row's height itself.

use super::XResult;
use super::style::{LINE_HEIGHT, ROW_PADDING};
use rust_xlsxwriter::{RowNum, Worksheet};

/// Lines a wrapped text needs in a column `width` units wide (a unit is the
/// width of a digit of the default font), wrapping whole words as Excel and
/// LibreOffice do. An estimate for 12 pt Times New Roman.
pub(super) fn lines_needed(text: &str, width: f64) -> usize {
    text.split('\n').map(|paragraph| paragraph_lines(paragraph, width.max(1.0))).sum()
}

/// Lines of one paragraph wrapped greedily at spaces into lines `width` units
/// wide; a word longer than a line is broken across lines.
pub(super) fn paragraph_lines(paragraph: &str, width: f64) -> usize {
    let space = char_width(' ');
    let mut lines = 1;
    let mut used = 0.0;
    for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
        let len: f64 = word.chars().map(char_width).sum();
        if used > 0.0 && used + space + len <= width {
            used += space + len;
            continue;
        }
        if used > 0.0 {
            lines += 1;
        }
        // A word wider than the column runs over several lines.
        let extra = ((len / width).ceil() as usize).max(1) - 1;
        lines += extra;
        used = len - extra as f64 * width;
    }
    lines
}

/// Approximate width of a character of Times New Roman, in digit widths.
pub(super) fn char_width(c: char) -> f64 {
    match c {
        ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.5,
        '(' | ')' | '[' | ']' | '-' | '/' | 'i' | 'l' | 'j' | 't' | 'f' | 'r' => 0.65,
        'm' | 'w' | 'M' | 'W' | '%' => 1.5,
        c if c.is_uppercase() => 1.35,
        c if c.is_ascii_digit() || c == '_' => 1.0,
        _ => 0.95,
    }
}

/// [`lines_needed`] for bold text, which runs about a tenth wider.
pub(super) fn bold_lines_needed(text: &str, width: f64) -> usize {
    lines_needed(text, width * 0.9)
}

/// Row height in points for `lines` lines of text.
pub(super) fn height_for(lines: usize) -> f64 {
    lines.max(1) as f64 * LINE_HEIGHT + ROW_PADDING
}

/// Give a row the height its tallest wrapped cell needs; `cells` are (text,
/// column width). Returns the height set, in points.
pub(super) fn fit_row(ws: &mut Worksheet, row: RowNum, cells: &[(&str, f64)]) -> XResult<f64> {
    let lines = cells.iter().map(|(text, width)| lines_needed(text, *width)).max().unwrap_or(1);
    set_height(ws, row, height_for(lines))
}

/// Set a row's height in points and return it.
pub(super) fn set_height(ws: &mut Worksheet, row: RowNum, height: f64) -> XResult<f64> {
    ws.set_row_height(row, height)?;
    Ok(height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_estimated_per_paragraph() {
        assert_eq!(lines_needed("", 10.0), 1);
        assert_eq!(lines_needed("abc\ndef", 10.0), 2);
        assert_eq!(lines_needed(&"0".repeat(100), 10.0), 10);
        // Capitals are wide and words are not split: two lines in a column of 28.
        assert_eq!(lines_needed("MY BINH_BC DA 06_T7.2024.xlsx", 28.0), 2);
        assert_eq!(lines_needed("Đăng ký khai sinh", 48.0), 1);
        let label = "Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dân";
        assert_eq!(lines_needed(label, 48.0), 2);
    }
}
