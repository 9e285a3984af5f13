//! Fonts, sizes and small paragraph builders shared by every part of the report.

use docx_rs::{
    AlignmentType, BorderType, LineSpacing, LineSpacingType, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType,
};
use unicode_normalization::UnicodeNormalization;

/// The one font of the document (Decree 30, I.4).
pub const FONT: &str = "Times New Roman";
/// Black, on every run.
pub const BLACK: &str = "000000";
/// Body size, 14 pt in half-points.
pub const BODY: usize = 28;
/// First-line indent of body paragraphs: 1.27 cm.
pub const FIRST_LINE: i32 = 720;
/// Space after body paragraphs: 6 pt.
pub const AFTER: u32 = 120;
/// Line spacing of body paragraphs, in 240ths of a line (1.1 lines).
pub const LINE: i32 = 264;

/// Millimetres to twips.
pub fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// Times New Roman on all four font slots (Vietnamese letters use hAnsi).
pub fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).east_asia(FONT).cs(FONT)
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    /// Size in half-points.
    pub size: usize,
    pub bold: bool,
    pub italic: bool,
    /// Yellow highlight: text a person has to fill in (a placeholder, a gap).
    pub highlight: bool,
}

impl Look {
    pub const fn new(pt: usize) -> Self {
        Look { size: pt * 2, bold: false, italic: false, highlight: false }
    }
    pub const fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub const fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
}

/// A run of text in the document font, black.
pub fn run(text: &str, look: Look) -> Run {
    let mut r = Run::new().add_text(text).fonts(fonts()).size(look.size).color(BLACK);
    if look.bold {
        r = r.bold();
    }
    if look.italic {
        r = r.italic();
    }
    if look.highlight {
        r = r.highlight("yellow");
    }
    r
}

/// An empty paragraph with explicit spacing (before, after in twips; single lines).
pub fn para(align: AlignmentType, before: u32, after: u32) -> Paragraph {
    Paragraph::new()
        .align(align)
        .line_spacing(LineSpacing::new().before(before).after(after).line(240).line_rule(LineSpacingType::Auto))
}

/// A one-run paragraph, e.g. a header line.
pub fn line(text: &str, look: Look, align: AlignmentType) -> Paragraph {
    para(align, 0, 0).size(look.size).fonts(fonts()).add_run(run(text, look))
}

/// A body paragraph: justified, first line indented 1.27 cm, 6 pt after.
pub fn body_para() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE)), None, None)
        .line_spacing(LineSpacing::new().before(0).after(AFTER).line(LINE).line_rule(LineSpacingType::Auto))
        .size(BODY)
        .fonts(fonts())
}

/// A short solid line of `width` twips centred in `avail` twips: an empty paragraph
/// whose top border is narrowed by equal left and right indents.
pub fn rule(width: i32, avail: i32) -> Paragraph {
    let side = ((avail - width) / 2).max(0);
    let mut p = Paragraph::new()
        .align(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(LineSpacing::new().before(60).after(0).line(80).line_rule(LineSpacingType::Exact))
        .size(4)
        .fonts(fonts());
    let top = ParagraphBorder::new(ParagraphBorderPosition::Top).val(BorderType::Single).size(6).space(1).color(BLACK);
    p.property = p.property.set_borders(ParagraphBorders::with_empty().set(top));
    p
}

/// Advance widths of Times New Roman Bold, in 1/1000 em, by base letter.
fn bold_width(c: char) -> u32 {
    match c {
        ' ' | ',' | '.' => 250,
        '-' | ':' | ';' | '(' | ')' | 'f' | 't' | 'j' | '\'' => 333,
        '–' => 500,
        'I' => 389,
        'J' | 'a' | 'e' | 'g' | 'o' | 'v' | 'x' | 'y' | '0'..='9' => 500,
        'S' => 556,
        'F' | 'P' => 611,
        'B' | 'E' | 'L' | 'T' | 'Z' => 667,
        'A' | 'C' | 'D' | 'Đ' | 'N' | 'R' | 'U' | 'V' | 'X' | 'Y' | 'w' => 722,
        'G' | 'H' | 'K' | 'O' | 'Q' => 778,
        'M' => 944,
        'W' => 1000,
        'i' | 'l' | '/' => 278,
        'c' | 'r' | 'z' => 444,
        's' => 389,
        'b' | 'd' | 'đ' | 'h' | 'k' | 'n' | 'p' | 'q' | 'u' => 556,
        'm' => 833,
        _ => 556,
    }
}

/// Estimated width in twips of `text` set in Times New Roman Bold at `size` half-points.
pub fn bold_text_width(text: &str, size: usize) -> i32 {
    let milli: u32 = text
        .chars()
        .map(|c| {
            let base = if matches!(c, 'Đ' | 'đ') { c } else { c.to_string().nfd().next().unwrap_or(c) };
            bold_width(base)
        })
        .sum();
    // 1/1000 em * (size/2 pt) * 20 twips/pt
    (milli as f64 * size as f64 / 2.0 * 20.0 / 1000.0).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motto_width_is_measured() {
        // 12197/1000 em at 13 pt = 158.6 pt = 3171 twips.
        assert_eq!(bold_text_width("Độc lập - Tự do - Hạnh phúc", 26), 3171);
        assert_eq!(mm(20.0), 1134);
        assert_eq!(mm(30.0), 1701);
        assert_eq!(mm(15.0), 850);
    }
}
