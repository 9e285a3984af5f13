//! The cell formats of the appendix workbook, its page setup, and the small
//! helpers every sheet writes cells through.

use super::XResult;
use crate::model::Severity;
use rust_xlsxwriter::{ColNum, Color, Format, FormatAlign, FormatBorder, RowNum, Worksheet};

/// The one font of the workbook and its size.
pub(super) const FONT: &str = "Times New Roman";
pub(super) const FONT_SIZE: u32 = 12;
/// Default row height (pixels) and column width (pixels, 8 px digits) that go with the font.
pub(super) const DEFAULT_ROW_HEIGHT: u32 = 21;
pub(super) const DEFAULT_COL_WIDTH: u32 = 72;
pub(super) const COUNT_FMT: &str = "[$-42A]#,##0";
pub(super) const DECIMAL_FMT: &str = "[$-42A]#,##0.00";
pub(super) const PCT_FMT: &str = "[$-42A]0.00%";
/// The longest text a cell holds.
pub(super) const MAX_CELL_CHARS: usize = 32_767;
/// A4 in Excel's paper size numbering.
pub(super) const PAPER_A4: u8 = 9;
/// Left and right page margins, and top and bottom ones, in inches.
pub(super) const PAGE_MARGIN: f64 = 0.5;
pub(super) const PAGE_MARGIN_TOP: f64 = 0.6;
/// The short side of an A4 sheet, in inches.
pub(super) const A4_SHORT_SIDE: f64 = 8.27;
/// The long side of an A4 sheet, in inches.
pub(super) const A4_LONG_SIDE: f64 = 11.69;
/// Height in points of one line of 12 pt Times New Roman, and the padding of a row.
pub(super) const LINE_HEIGHT: f64 = 15.75;
pub(super) const ROW_PADDING: f64 = 3.0;

/// The size of an appendix's heading lines ("Phụ lục I", title, period, attached
/// line), as in the DOCX's appendix (Decree 30, III.1 and Mẫu 2.1: 13-14 pt).
pub(super) const HEADING_SIZE: u32 = 14;

/// Width (in characters) of an STT column.
pub(super) const STT_WIDTH: f64 = 6.0;

/// The cell formats of every sheet.
pub(super) struct Styles {
    pub(super) appendix_label: Format,
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) note: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) center: Format,
    pub(super) count: Format,
    pub(super) ratio: Format,
    pub(super) heading: Format,
    pub(super) total_label: Format,
    pub(super) total_count: Format,
    pub(super) total_ratio: Format,
    pub(super) section: Format,
    pub(super) block_title: Format,
    pub(super) caption: Format,
    pub(super) list_header: Format,
    pub(super) list_text: Format,
    pub(super) list_stt: Format,
    pub(super) list_count: Format,
    pub(super) list_decimal: Format,
    pub(super) plain_count: Format,
    pub(super) plain_wrap: Format,
    pub(super) plain_decimal: Format,
    pub(super) error: Format,
    pub(super) warning: Format,
}

impl Styles {
    pub(super) fn new() -> Self {
        let base = || Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        let cell = || base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        let centred = || cell().set_align(FormatAlign::Center);
        let list = || base().set_border(FormatBorder::Thin).set_align(FormatAlign::Top).set_text_wrap();
        let header_fill = Color::RGB(0xD9_E1_F2);
        Styles {
            appendix_label: base()
                .set_font_size(HEADING_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            title: base()
                .set_font_size(HEADING_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: base()
                .set_font_size(HEADING_SIZE)
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            note: base().set_italic().set_align(FormatAlign::Right),
            header: centred().set_bold(),
            text: cell(),
            center: centred(),
            count: centred().set_num_format(COUNT_FMT),
            ratio: centred().set_num_format(PCT_FMT),
            heading: cell().set_bold(),
            total_label: centred().set_bold(),
            total_count: centred().set_bold().set_num_format(COUNT_FMT),
            total_ratio: centred().set_bold().set_num_format(PCT_FMT),
            section: base().set_bold(),
            block_title: base().set_bold().set_text_wrap().set_align(FormatAlign::Bottom),
            caption: base().set_italic().set_text_wrap(),
            list_header: centred().set_bold().set_background_color(header_fill),
            list_text: list(),
            list_stt: list().set_align(FormatAlign::Center),
            list_count: list().set_num_format(COUNT_FMT),
            list_decimal: list().set_num_format(DECIMAL_FMT),
            plain_count: base().set_num_format(COUNT_FMT).set_align(FormatAlign::Top),
            plain_wrap: base().set_align(FormatAlign::Top).set_text_wrap(),
            plain_decimal: base().set_num_format(DECIMAL_FMT).set_align(FormatAlign::Top),
            error: list().set_bold().set_background_color(Color::RGB(0xF8_CB_AD)),
            warning: list().set_background_color(Color::RGB(0xFF_E6_99)),
        }
    }

    /// The severity cell's format: errors and warnings stand out.
    pub(super) fn severity(&self, severity: Severity) -> &Format {
        match severity {
            Severity::Error => &self.error,
            Severity::Warning => &self.warning,
            Severity::Info => &self.list_text,
        }
    }

    /// Number format for a value on the working sheets: whole numbers grouped, others with 2 decimals.
    pub(super) fn list_number(&self, value: f64) -> &Format {
        if value.fract() == 0.0 { &self.list_count } else { &self.list_decimal }
    }
}

/// A text as a cell can hold it (Excel keeps at most 32 767 characters).
pub(super) fn cell_text(text: &str) -> &str {
    // No more bytes than that, so no more characters: most texts need no count.
    if text.len() <= MAX_CELL_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Write `text` always as a string, never as a formula, even when it starts with "=".
pub(super) fn put_text(ws: &mut Worksheet, row: RowNum, col: ColNum, text: &str, fmt: &Format) -> XResult<()> {
    ws.write_string_with_format(row, col, cell_text(text), fmt)?;
    Ok(())
}

/// Merge a range holding `text` (a plain string); a one-cell range is just written.
pub(super) fn merge(
    ws: &mut Worksheet,
    (first_row, first_col): (RowNum, ColNum),
    (last_row, last_col): (RowNum, ColNum),
    text: &str,
    fmt: &Format,
) -> XResult<()> {
    if first_row == last_row && first_col == last_col {
        return put_text(ws, first_row, first_col, text, fmt);
    }
    ws.merge_range(first_row, first_col, last_row, last_col, cell_text(text), fmt)?;
    Ok(())
}

/// A number as a formula result: the shortest text that reads back as the same value.
pub(super) fn number_text(value: f64) -> String {
    format!("{value}")
}

/// A4 page setup; `fit_width` shrinks the sheet to one page wide. Each sheet's
/// pages are numbered from 1 under the sheet's name ("Kiểm tra - trang 2"):
/// the appendix sheets number their pages on their own, so a count over the
/// whole workbook ("Trang 3/35") would not follow on from them.
pub(super) fn page_setup(ws: &mut Worksheet, fit_width: bool) {
    ws.set_paper_size(PAPER_A4)
        .set_landscape()
        .set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN_TOP, PAGE_MARGIN_TOP, 0.3, 0.3)
        .set_print_center_horizontally(true)
        .set_footer("&C&\"Times New Roman\"&10&A - trang &P")
        .set_print_first_page_number(1);
    if fit_width {
        ws.set_print_fit_to_pages(1, 0);
    }
}

/// Page numbers as Decree 30 places them on an appendix (I.7, III.1.đ): the
/// number alone, Arabic, 14 pt upright (as the DOCX numbers its pages), centred in the top margin, each
/// appendix numbered from 1 on its own (not after the sheets printed before it).
/// Not on a sheet's first page ([`super::first_page`]).
pub(super) fn appendix_page_numbers(ws: &mut Worksheet) {
    ws.set_footer("").set_header(APPENDIX_HEADER).set_print_first_page_number(1);
}

/// The header of an appendix sheet: its page number, centred, 14 pt Times New Roman upright.
pub(super) const APPENDIX_HEADER: &str = "&C&\"Times New Roman,Regular\"&14&P";

/// The print scale (percent) that makes `height` points one landscape A4 page
/// tall, never below 60 % nor above 100 %.
pub(super) fn height_scale(height: f64) -> u16 {
    let printable_height = (A4_SHORT_SIDE - 2.0 * PAGE_MARGIN_TOP) * 72.0;
    (100.0 * printable_height / height.max(1.0)).floor().clamp(60.0, 100.0) as u16
}

/// Give the cells of `row` from `first` to `last` column one format, hashed once: rust_xlsxwriter
/// hashes the whole format of every cell written with one, and the breakdown has tens of
/// thousands. Cells written without a format take it; missing ones become bordered blanks.
pub(super) fn format_row_span(
    ws: &mut Worksheet,
    row: RowNum,
    span: Option<(ColNum, ColNum)>,
    fmt: &Format,
) -> XResult<()> {
    if let Some((first, last)) = span {
        ws.set_range_format(row, first, row, last, fmt)?;
    }
    Ok(())
}

/// A count, or an empty bordered cell when the figure is unknown.
pub(super) fn write_count(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: Option<f64>,
    fmt: &Format,
) -> XResult<()> {
    match value {
        Some(v) => ws.write_number_with_format(row, col, v, fmt)?,
        None => ws.write_blank(row, col, fmt)?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_the_shortest_text_of_the_same_value() {
        assert_eq!(number_text(8725.0), "8725");
        let ratio = 8685.0 / 8725.0;
        assert_eq!(number_text(ratio).parse::<f64>().unwrap(), ratio, "full precision");
    }

    #[test]
    fn long_texts_are_cut_to_what_a_cell_holds() {
        let long = "ă".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("ngắn"), "ngắn");
    }
}
