//! The consolidated XLSX workbook (issue 3): the appendix (Phụ lục) the
//! province receives, and the working papers the city keeps.
//!
//! Sheets, in order:
//! - "Phụ lục I", "Phụ lục II", ... (just "Phụ lục" when there is one): each
//!   `appendix = true` table on a sheet of its own, laid out as in the seed:
//!   title, period, "(Kèm theo Báo cáo số ...)", a two-row merged header, one
//!   row per configured row (with group heading rows) and a "Tổng" row. Totals
//!   are `SUM` formulas and ratios `IF` formulas, each stored with its computed
//!   result so viewers that do not recalculate show the right numbers. Each
//!   sheet prints on A4 landscape, one page wide, its header rows repeated.
//! - "Chi tiết đơn vị": the same tables with one column block per counted unit
//!   and a total block that sums the unit blocks.
//! - "Kiểm tra": every finding of the run, then every unit's status and every
//!   file that was not counted.
//! - "Nguồn": one row per counted unit (STT, name, and the file most of its
//!   figures come from) and one column per figure id, in config order under
//!   its table's or list's title. Each cell says where the unit's figure came
//!   from as Excel writes a reference: "DVC thiết yếu!E12", or "[tệp
//!   khác.xlsx]Số hóa!C8" from another file. A figure whose value "Chi tiết
//!   đơn vị" does not show (tables without rows or not in the appendix, lists)
//!   has a value column before its source column, so every unit figure's value
//!   is somewhere in the workbook. Then the consolidated figures.
//!
//! Every text that comes from a workbook or the config is written as a string,
//! never as a formula, and the document properties are fixed, so the same run
//! gives the same bytes.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use rust_xlsxwriter::{
    ColNum, Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, RowNum, Workbook,
    Worksheet, XlsxError, column_number_to_name, row_col_to_cell,
};

use crate::config::{self, Config, Document, Table};
use crate::model::{Location, RunResult, Severity, UnitResult, UnitStatus};
use crate::number;

type XResult<T> = Result<T, XlsxError>;

const SHEET_APPENDIX: &str = "Phụ lục";
const SHEET_BREAKDOWN: &str = "Chi tiết đơn vị";
use crate::own::{SHEET_CHECKS, SHEET_SOURCES};

const FONT: &str = "Times New Roman";
const FONT_SIZE: u32 = 12;
/// Default row height (pixels) and column width (pixels, 8 px digits) that go with the font.
const DEFAULT_ROW_HEIGHT: u32 = 21;
const DEFAULT_COL_WIDTH: u32 = 72;
const COUNT_FMT: &str = "#,##0";
const DECIMAL_FMT: &str = "#,##0.00";
const PCT_FMT: &str = "0.00%";
/// Most units on one "Chi tiết đơn vị" sheet: its total formulas then stay well
/// within Excel's 255 arguments and 8.192 characters.
const UNITS_PER_BREAKDOWN_SHEET: usize = 200;
/// The longest text a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// A4 in Excel's paper size numbering.
const PAPER_A4: u8 = 9;
/// Left and right page margins, and top and bottom ones, in inches.
const PAGE_MARGIN: f64 = 0.5;
const PAGE_MARGIN_TOP: f64 = 0.6;
/// The short side of an A4 sheet, in inches.
const A4_SHORT_SIDE: f64 = 8.27;
/// Height in points of one line of 12 pt Times New Roman, and the padding of a row.
const LINE_HEIGHT: f64 = 15.75;
const ROW_PADDING: f64 = 3.0;

/// The workbook for one run: appendix, breakdown by unit, checks and sources.
///
/// The sheets do not depend on each other, so they are built at the same time on
/// rayon's threads, "Nguồn" (the largest) on one while the others share the rest,
/// then added in order. The bytes are the same as building them one after the
/// other: each ordinary sheet numbers its formats and strings on its own and the
/// workbook merges them in sheet order when saving, and "Nguồn", the only
/// constant-memory sheet, is the only one writing to the workbook's format and
/// string tables before that.
pub fn xlsx_bytes(cfg: &Config, run: &RunResult) -> anyhow::Result<Vec<u8>> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    // Times New Roman as the workbook's Normal style: empty cells match, and
    // column widths count its digits (8 px at 12 pt, 72 px default column).
    let normal = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
    workbook.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
    workbook.set_properties(&properties(cfg));
    // Level 1 deflates several times faster than the default 6 for a slightly larger file.
    workbook.set_zip_compression_level(1);
    let counted: Vec<&UnitResult> = run.units.iter().filter(|u| u.status == UnitStatus::Counted).collect();
    // The matrix grows with units x figures: written row by row to a temp file
    // instead of held in memory. Made here: the temp file comes from the workbook.
    // Its texts go to the workbook's shared string table (not inline): a few
    // hundred distinct "Sheet!Cell" texts over a province's ~180k cells, so the
    // sheet is half the XML to write and to deflate (which is serial).
    let mut sources = workbook.new_worksheet_with_low_memory()?;
    sources.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
    let (sources, others) = rayon::join(
        || sources_sheet(&mut sources, cfg, run, &counted, &styles).map(|()| sources),
        || {
            let mut builders = sheet_builders(cfg, run, &counted, &styles);
            // "Kiểm tra" (the last sheet, and the longest to build after "Nguồn") is
            // started first: left for last, it kept one thread busy while the other
            // had nothing to do. Put back in place below.
            builders.rotate_right(1);
            let mut built = builders
                .into_par_iter()
                .map(|build| {
                    let mut ws = Worksheet::new();
                    ws.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
                    build(&mut ws)?;
                    Ok(ws)
                })
                .collect::<Vec<XResult<Worksheet>>>();
            built.rotate_left(1);
            built
        },
    );
    // In sheet order, so that the first error is the one a serial build would meet.
    for ws in others {
        workbook.push_worksheet(ws?);
    }
    workbook.push_worksheet(sources?);
    let bytes = workbook.save_to_buffer()?;
    // Freeing the sheets' cells takes a few milliseconds that nothing needs to wait for.
    rayon::spawn(move || drop(workbook));
    Ok(bytes)
}

/// Fills one worksheet; run on any thread.
type SheetBuilder<'a> = Box<dyn FnOnce(&mut Worksheet) -> XResult<()> + Send + 'a>;

/// The sheets before "Nguồn", in order: the appendix, the breakdown by unit, the checks.
fn sheet_builders<'a>(
    cfg: &'a Config,
    run: &'a RunResult,
    counted: &'a [&'a UnitResult],
    st: &'a Styles,
) -> Vec<SheetBuilder<'a>> {
    let mut builders = appendix_builders(cfg, run, st);
    // One column block per unit, at most UNITS_PER_BREAKDOWN_SHEET on a sheet: the
    // total block's SUM names one cell per unit, and Excel takes at most 255
    // arguments and 8.192 characters in a formula (and 16.384 columns in a sheet).
    // Further units go on further sheets ("Chi tiết đơn vị (2)", ...), each with
    // its own total block.
    let widest_block =
        appendix_tables(cfg).map(|t| t.columns.len() + usize::from(t.ratio.is_some())).max().unwrap_or(1);
    let per_sheet = ((16_384 - 2) / widest_block.max(1)).saturating_sub(1).clamp(1, UNITS_PER_BREAKDOWN_SHEET);
    let chunks: Vec<&[&UnitResult]> = if counted.is_empty() { vec![&[]] } else { counted.chunks(per_sheet).collect() };
    let sheets = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let name = if i == 0 { SHEET_BREAKDOWN.to_string() } else { format!("{SHEET_BREAKDOWN} ({})", i + 1) };
        let total = if sheets == 1 { "Tổng cộng" } else { "Cộng các đơn vị trong trang" };
        builders.push(Box::new(move |ws| breakdown_sheet(ws, cfg, run, chunk, (&name, total), st)));
    }
    builders.push(Box::new(move |ws| checks_sheet(ws, cfg, run, st)));
    builders
}

// ---------------------------------------------------------------------------
// Document properties, styles and small helpers
// ---------------------------------------------------------------------------

/// Fixed properties: the creation time is the signing date (or the first day of
/// the report month), never the clock, so two runs give identical bytes.
fn properties(cfg: &Config) -> DocProperties {
    let (day, month, year) = config::parse_date(&cfg.document.date).unwrap_or((1, cfg.report.month, cfg.report.year));
    let created = u16::try_from(year)
        .ok()
        .and_then(|y| ExcelDateTime::from_ymd(y, month as u8, day as u8).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let mut props = DocProperties::new()
        .set_title(format!("Số liệu tổng hợp tháng {} năm {}", cfg.report.month, cfg.report.year))
        .set_author(crate::own::AUTHOR);
    if let Some(created) = &created {
        props = props.set_creation_datetime(created);
    }
    props
}

/// The cell formats of every sheet.
struct Styles {
    title: Format,
    subtitle: Format,
    note: Format,
    header: Format,
    text: Format,
    center: Format,
    count: Format,
    ratio: Format,
    heading: Format,
    total_label: Format,
    total_count: Format,
    total_ratio: Format,
    section: Format,
    block_title: Format,
    caption: Format,
    list_header: Format,
    list_group: Format,
    list_text: Format,
    list_stt: Format,
    list_count: Format,
    list_decimal: Format,
    plain_count: Format,
    plain_decimal: Format,
    error: Format,
    warning: Format,
}

impl Styles {
    fn new() -> Self {
        let base = || Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        let cell = || base().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        let centred = || cell().set_align(FormatAlign::Center);
        let list = || base().set_border(FormatBorder::Thin).set_align(FormatAlign::Top).set_text_wrap();
        let header_fill = Color::RGB(0xD9_E1_F2);
        Styles {
            title: base()
                .set_font_size(13)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: base().set_italic().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
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
            list_group: cell().set_bold().set_background_color(header_fill),
            list_text: list(),
            list_stt: list().set_align(FormatAlign::Center),
            list_count: list().set_num_format(COUNT_FMT),
            list_decimal: list().set_num_format(DECIMAL_FMT),
            plain_count: base().set_num_format(COUNT_FMT),
            plain_decimal: base().set_num_format(DECIMAL_FMT),
            error: list().set_bold().set_background_color(Color::RGB(0xF8_CB_AD)),
            warning: list().set_background_color(Color::RGB(0xFF_E6_99)),
        }
    }

    /// The severity cell's format: errors and warnings stand out.
    fn severity(&self, severity: Severity) -> &Format {
        match severity {
            Severity::Error => &self.error,
            Severity::Warning => &self.warning,
            Severity::Info => &self.list_text,
        }
    }

    /// Number format for a value on the working sheets: whole numbers grouped, others with 2 decimals.
    fn list_number(&self, value: f64) -> &Format {
        if value.fract() == 0.0 { &self.list_count } else { &self.list_decimal }
    }
}

/// A text as a cell can hold it (Excel keeps at most 32 767 characters).
fn cell_text(text: &str) -> &str {
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
fn put_text(ws: &mut Worksheet, row: RowNum, col: ColNum, text: &str, fmt: &Format) -> XResult<()> {
    ws.write_string_with_format(row, col, cell_text(text), fmt)?;
    Ok(())
}

/// Merge a range holding `text` (a plain string); a one-cell range is just written.
fn merge(
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
fn number_text(value: f64) -> String {
    format!("{value}")
}

/// A percentage (99.54) as the fraction a percent-formatted cell holds ("0.9954").
fn fraction_text(pct: f64) -> String {
    let text = format!("{:.6}", pct / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" { "0".into() } else { text.to_string() }
}

/// Lines a wrapped text needs in a column `width` units wide (a unit is the
/// width of a digit of the default font), wrapping whole words as Excel and
/// LibreOffice do. An estimate for 12 pt Times New Roman.
fn lines_needed(text: &str, width: f64) -> usize {
    text.split('\n').map(|paragraph| paragraph_lines(paragraph, width.max(1.0))).sum()
}

/// Lines of one paragraph wrapped greedily at spaces into lines `width` units
/// wide; a word longer than a line is broken across lines.
fn paragraph_lines(paragraph: &str, width: f64) -> usize {
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
fn char_width(c: char) -> f64 {
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
fn bold_lines_needed(text: &str, width: f64) -> usize {
    lines_needed(text, width * 0.9)
}

/// Row height in points for `lines` lines of text.
fn height_for(lines: usize) -> f64 {
    lines.max(1) as f64 * LINE_HEIGHT + ROW_PADDING
}

/// Give a row the height its tallest wrapped cell needs; `cells` are (text,
/// column width). Returns the height set, in points.
fn fit_row(ws: &mut Worksheet, row: RowNum, cells: &[(&str, f64)]) -> XResult<f64> {
    let lines = cells.iter().map(|(text, width)| lines_needed(text, *width)).max().unwrap_or(1);
    set_height(ws, row, height_for(lines))
}

/// Set a row's height in points and return it.
fn set_height(ws: &mut Worksheet, row: RowNum, height: f64) -> XResult<f64> {
    ws.set_row_height(row, height)?;
    Ok(height)
}

/// A4 page setup; `fit_width` shrinks the sheet to one page wide.
fn page_setup(ws: &mut Worksheet, fit_width: bool) {
    ws.set_paper_size(PAPER_A4)
        .set_landscape()
        .set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN_TOP, PAGE_MARGIN_TOP, 0.3, 0.3)
        .set_print_center_horizontally(true)
        .set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
    if fit_width {
        ws.set_print_fit_to_pages(1, 0);
    }
}

/// A date as official documents print it (Nghị định 30/2020): the day always with
/// two digits, the month with two only for January and February ("12/7/2024", "05/02/2024").
fn official_date(text: &str) -> String {
    match config::parse_date(text) {
        Some((d, m, y)) if m < 3 => format!("{d:02}/{m:02}/{y}"),
        Some((d, m, y)) => format!("{d:02}/{m}/{y}"),
        None => text.trim().to_string(),
    }
}

/// "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12/7/2024)"; blanks for the clerk
/// where the number or the date is not set yet.
fn attached_line(doc: &Document) -> String {
    let number = match doc.number.trim() {
        "" => ".......",
        n => n,
    };
    let symbol = match doc.symbol.trim() {
        "" => String::new(),
        s => format!("/{s}"),
    };
    let date = match doc.date.trim() {
        "" => "....../....../......".to_string(),
        d => official_date(d),
    };
    format!("(Kèm theo Báo cáo số {number}{symbol} ngày {date})")
}

/// The tables printed in the appendix, in config order.
fn appendix_tables(cfg: &Config) -> impl Iterator<Item = &Table> {
    cfg.tables.iter().filter(|t| t.appendix)
}

/// The tables on "Chi tiết đơn vị": the appendix tables with configured rows.
fn breakdown_tables(cfg: &Config) -> impl Iterator<Item = &Table> {
    appendix_tables(cfg).filter(|t| !t.rows.is_empty())
}

use config::{table_sum_id as column_sum_id, table_total_id as total_id};

// ---------------------------------------------------------------------------
// Sheet "Phụ lục"
// ---------------------------------------------------------------------------

/// Where one appendix table's columns sit: STT, label, info columns, figures, ratio.
struct Layout<'a> {
    table: &'a Table,
    /// Headers of the rows' `info` columns, in order of first appearance.
    info: Vec<&'a str>,
}

const STT_WIDTH: f64 = 6.0;
const LABEL_WIDTH: f64 = 48.0;
const INFO_WIDTH: f64 = 14.0;
const FIGURE_WIDTH: f64 = 13.0;
const RATIO_WIDTH: f64 = 11.0;

impl<'a> Layout<'a> {
    fn new(table: &'a Table) -> Self {
        let mut info: Vec<&str> = Vec::new();
        for key in table.rows.iter().flat_map(|r| r.info.keys()) {
            if !info.contains(&key.as_str()) {
                info.push(key);
            }
        }
        Layout { table, info }
    }

    fn info_col(&self, i: usize) -> ColNum {
        2 + i as ColNum
    }

    fn figure_col(&self, i: usize) -> ColNum {
        2 + (self.info.len() + i) as ColNum
    }

    fn ratio_col(&self) -> Option<ColNum> {
        self.table.ratio.as_ref().map(|_| self.figure_col(self.table.columns.len()))
    }

    fn last_col(&self) -> ColNum {
        self.ratio_col().unwrap_or_else(|| self.figure_col(self.table.columns.len()) - 1)
    }

    /// Column of the figure column with this id.
    fn col_of(&self, id: &str) -> Option<ColNum> {
        let i = self.table.columns.iter().position(|c| c.id == id)?;
        Some(self.figure_col(i))
    }

    /// The width (in characters) of each column.
    fn width(&self, col: ColNum) -> f64 {
        match col {
            0 => STT_WIDTH,
            1 => LABEL_WIDTH,
            c if c < self.figure_col(0) => INFO_WIDTH,
            c if Some(c) == self.ratio_col() => RATIO_WIDTH,
            _ => FIGURE_WIDTH,
        }
    }

    /// Headers of the figure columns, then the ratio's.
    fn figure_headers(&self) -> Vec<&'a str> {
        let mut headers: Vec<&str> = self.table.columns.iter().map(|c| c.header.as_str()).collect();
        if let Some(r) = &self.table.ratio {
            headers.push(&r.header);
        }
        headers
    }
}

/// The appendix: each appendix table on a sheet of its own, named "Phụ lục I",
/// "Phụ lục II", ... as Decree 30 numbers several appendices ("Phụ lục" alone
/// when there is one). Each prints on A4 landscape, one page wide and as many
/// tall as it needs, its two header rows repeated on every page.
fn appendix_builders<'a>(cfg: &'a Config, run: &'a RunResult, st: &'a Styles) -> Vec<SheetBuilder<'a>> {
    let layouts: Vec<Layout> = appendix_tables(cfg).map(Layout::new).collect();
    if layouts.is_empty() {
        return vec![Box::new(move |ws| {
            ws.set_name(SHEET_APPENDIX)?;
            page_setup(ws, true);
            put_text(ws, 0, 0, "Cấu hình chưa có bảng nào được in vào phụ lục (appendix = true).", &st.section)
        })];
    }
    let count = layouts.len();
    let build = move |(i, layout): (usize, Layout<'a>)| -> SheetBuilder<'a> {
        Box::new(move |ws| {
            ws.set_name(appendix_sheet_name(i, count))?;
            page_setup(ws, true);
            set_appendix_widths(ws, &layout)?;
            let header_row = appendix_table(ws, cfg, run, &layout, st)?;
            ws.set_repeat_rows(header_row, header_row + 1)?;
            Ok(())
        })
    };
    layouts.into_iter().enumerate().map(build).collect()
}

/// "Phụ lục I", "Phụ lục II", ... for appendix `index` (0-based) of `count`;
/// "Phụ lục" when there is only one.
fn appendix_sheet_name(index: usize, count: usize) -> String {
    if count > 1 { format!("{SHEET_APPENDIX} {}", roman(index + 1)) } else { SHEET_APPENDIX.to_string() }
}

/// I, II, III, IV, ... for appendix numbers.
fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The print scale (percent) that makes `height` points one landscape A4 page
/// tall, never below 60 % nor above 100 %.
fn height_scale(height: f64) -> u16 {
    let printable_height = (A4_SHORT_SIDE - 2.0 * PAGE_MARGIN_TOP) * 72.0;
    (100.0 * printable_height / height.max(1.0)).floor().clamp(60.0, 100.0) as u16
}

/// Fixed column widths (no autofit: it measures Calibri and counts merged titles).
fn set_appendix_widths(ws: &mut Worksheet, layout: &Layout) -> XResult<()> {
    for col in 0..=layout.last_col() {
        ws.set_column_width(col, layout.width(col))?;
    }
    Ok(())
}

/// Where a written table ended up.
struct Placed {
    /// The first free row after the table.
    next: RowNum,
    /// The first of its two header rows.
    header_row: RowNum,
    /// Its printed height, in points.
    height: f64,
}

/// One appendix table from the top of its sheet; returns the first of its two header rows.
fn appendix_table(ws: &mut Worksheet, cfg: &Config, run: &RunResult, l: &Layout, st: &Styles) -> XResult<RowNum> {
    let t = l.table;
    let last = l.last_col();
    let full_width: f64 = (0..=last).map(|c| l.width(c)).sum();
    let mut row = 0;
    merge(ws, (row, 0), (row, last), &t.title, &st.title)?;
    set_height(ws, row, height_for(bold_lines_needed(&t.title, full_width * 0.9)) + 2.0)?;
    row += 1;
    let attached = attached_line(&cfg.document);
    let mut lines: Vec<(&str, ColNum, &Format)> = vec![(&run.period, 0, &st.subtitle), (&attached, 0, &st.subtitle)];
    if let Some(unit) = &t.unit_of_count {
        lines.push((unit, l.figure_col(0), &st.note));
    }
    for (text, from, fmt) in lines {
        merge(ws, (row, from), (row, last), text, fmt)?;
        set_height(ws, row, LINE_HEIGHT)?;
        row += 1;
    }
    let header_row = row;
    row = appendix_header(ws, l, row, st)?;
    if t.rows.is_empty() {
        appendix_column_sums(ws, run, l, row, st)?;
        return Ok(header_row);
    }
    let mut first_data = None;
    for r in &t.rows {
        if let Some(heading) = &r.heading {
            merge(ws, (row, 0), (row, last), heading, &st.heading)?;
            fit_row(ws, row, &[(heading, full_width)])?;
            row += 1;
        }
        first_data.get_or_insert(row);
        appendix_row(ws, run, l, r, row, st)?;
        row += 1;
    }
    appendix_total(ws, run, l, (first_data.unwrap_or(row), row - 1), row, st)?;
    if let Some(note) = super::coverage_note(cfg, run) {
        let row = row + 2;
        merge(ws, (row, 0), (row, last), &note, &st.note)?;
        fit_row(ws, row, &[(&note, full_width)])?;
    }
    Ok(header_row)
}

/// The two-row header: STT, label and info columns span both rows; the figure
/// columns sit under the merged `columns_group` header when there is one.
/// Returns the next row.
fn appendix_header(ws: &mut Worksheet, l: &Layout, row: RowNum, st: &Styles) -> XResult<RowNum> {
    let t = l.table;
    let below = row + 1;
    merge(ws, (row, 0), (below, 0), &t.stt_header, &st.header)?;
    merge(ws, (row, 1), (below, 1), &t.label_header, &st.header)?;
    for (i, key) in l.info.iter().enumerate() {
        let c = l.info_col(i);
        merge(ws, (row, c), (below, c), key, &st.header)?;
    }
    let headers = l.figure_headers();
    let mut lines_top = 1;
    let mut lines_below = 1;
    match &t.columns_group {
        Some(group) => {
            merge(ws, (row, l.figure_col(0)), (row, l.last_col()), group, &st.header)?;
            let group_width: f64 = (l.figure_col(0)..=l.last_col()).map(|c| l.width(c)).sum();
            lines_top = bold_lines_needed(group, group_width);
            for (i, header) in headers.iter().enumerate() {
                let c = l.figure_col(i);
                put_text(ws, below, c, header, &st.header)?;
                lines_below = lines_below.max(bold_lines_needed(header, l.width(c)));
            }
        }
        None => {
            for (i, header) in headers.iter().enumerate() {
                let c = l.figure_col(i);
                merge(ws, (row, c), (below, c), header, &st.header)?;
                lines_below = lines_below.max(bold_lines_needed(header, l.width(c)).saturating_sub(1));
            }
        }
    }
    // The headers spanning both rows must fit in the two rows together.
    let spanning = std::iter::once((t.stt_header.as_str(), 0))
        .chain(std::iter::once((t.label_header.as_str(), 1)))
        .chain(l.info.iter().enumerate().map(|(i, k)| (*k, l.info_col(i))))
        .map(|(text, c)| bold_lines_needed(text, l.width(c)))
        .max()
        .unwrap_or(1);
    lines_below = lines_below.max(spanning.saturating_sub(lines_top));
    set_height(ws, row, height_for(lines_top))?;
    set_height(ws, below, height_for(lines_below))?;
    Ok(below + 1)
}

/// One configured row: STT, label, info values, figures and the ratio formula.
fn appendix_row(
    ws: &mut Worksheet,
    run: &RunResult,
    l: &Layout,
    r: &config::Row,
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = l.table;
    ws.write_number_with_format(row, 0, r.stt, &st.center)?;
    put_text(ws, row, 1, &r.label, &st.text)?;
    let mut fit: Vec<(&str, f64)> = vec![(&r.label, LABEL_WIDTH)];
    for (i, key) in l.info.iter().enumerate() {
        let value = r.info.get(*key).map(String::as_str).unwrap_or("");
        put_text(ws, row, l.info_col(i), value, &st.center)?;
        fit.push((value, l.width(l.info_col(i))));
    }
    for (i, c) in t.columns.iter().enumerate() {
        let value = run.value(&config::table_row_id(&t.id, r.stt, &c.id));
        write_count(ws, row, l.figure_col(i), value, &st.count)?;
    }
    if let (Some(ratio), Some(col)) = (&t.ratio, l.ratio_col()) {
        let pct = run.value(&config::table_row_id(&t.id, r.stt, &ratio.id));
        let num = run.value(&config::table_row_id(&t.id, r.stt, &ratio.numerator));
        let den = run.value(&config::table_row_id(&t.id, r.stt, &ratio.denominator));
        let formula = ratio_formula(row, l, num, den, pct);
        ws.write_formula_with_format(row, col, formula, &st.ratio)?;
    }
    fit_row(ws, row, &fit)?;
    Ok(())
}

/// A count, or an empty bordered cell when the figure is unknown.
fn write_count(ws: &mut Worksheet, row: RowNum, col: ColNum, value: Option<f64>, fmt: &Format) -> XResult<()> {
    match value {
        Some(v) => ws.write_number_with_format(row, col, v, fmt)?,
        None => ws.write_blank(row, col, fmt)?,
    };
    Ok(())
}

/// `=IF(E7=0,"-",F7/E7)` for the ratio of one row, stored with its result: the
/// fraction (the engine's rounded percentage / 100), or "-" when the denominator is 0.
fn ratio_formula(row: RowNum, l: &Layout, num: Option<f64>, den: Option<f64>, pct: Option<f64>) -> Formula {
    let ratio = l.table.ratio.as_ref().expect("ratio_formula needs a ratio");
    let num_col = l.col_of(&ratio.numerator).unwrap_or(0);
    let den_col = l.col_of(&ratio.denominator).unwrap_or(0);
    let n = row_col_to_cell(row, num_col);
    let d = row_col_to_cell(row, den_col);
    let den = den.unwrap_or(0.0);
    let result = match pct {
        _ if den == 0.0 => "-".to_string(),
        Some(p) => fraction_text(p),
        None => number_text(num.unwrap_or(0.0) / den),
    };
    Formula::new(format!("=IF({d}=0,\"-\",{n}/{d})")).set_result(result)
}

/// The "Tổng" row: `SUM` over the data rows, then the ratio of the sums.
fn appendix_total(
    ws: &mut Worksheet,
    run: &RunResult,
    l: &Layout,
    (first, last): (RowNum, RowNum),
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = l.table;
    merge(ws, (row, 0), (row, l.figure_col(0) - 1), "Tổng", &st.total_label)?;
    let mut sums = HashMap::new();
    for (i, c) in t.columns.iter().enumerate() {
        let col = l.figure_col(i);
        // The cached result is what the formula gives: the sum of the rows written.
        let sum: f64 = t.rows.iter().filter_map(|r| run.value(&config::table_row_id(&t.id, r.stt, &c.id))).sum();
        sums.insert(c.id.as_str(), sum);
        let range = format!("{}:{}", row_col_to_cell(first, col), row_col_to_cell(last, col));
        let formula = Formula::new(format!("=SUM({range})")).set_result(number_text(sum));
        ws.write_formula_with_format(row, col, formula, &st.total_count)?;
    }
    if let (Some(ratio), Some(col)) = (&t.ratio, l.ratio_col()) {
        let pct = run.value(&total_id(t, &ratio.id));
        let num = sums.get(ratio.numerator.as_str()).copied();
        let den = sums.get(ratio.denominator.as_str()).copied();
        let formula = ratio_formula(row, l, num, den, pct);
        ws.write_formula_with_format(row, col, formula, &st.total_ratio)?;
    }
    set_height(ws, row, height_for(1) + 2.0)?;
    Ok(())
}

/// A table without configured rows: one "Tổng" row holding its column sums.
fn appendix_column_sums(ws: &mut Worksheet, run: &RunResult, l: &Layout, row: RowNum, st: &Styles) -> XResult<()> {
    let t = l.table;
    merge(ws, (row, 0), (row, l.figure_col(0) - 1), "Tổng", &st.total_label)?;
    for (i, c) in t.columns.iter().enumerate() {
        let value = run.value(&column_sum_id(t, &c.id));
        write_count(ws, row, l.figure_col(i), value, &st.total_count)?;
    }
    if let (Some(ratio), Some(col)) = (&t.ratio, l.ratio_col()) {
        let num = run.value(&column_sum_id(t, &ratio.numerator));
        let den = run.value(&column_sum_id(t, &ratio.denominator));
        let pct = run.value(&column_sum_id(t, &ratio.id));
        let formula = ratio_formula(row, l, num, den, pct);
        ws.write_formula_with_format(row, col, formula, &st.total_ratio)?;
    }
    set_height(ws, row, height_for(1) + 2.0)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sheet "Chi tiết đơn vị"
// ---------------------------------------------------------------------------

const UNIT_COL_WIDTH: f64 = 12.0;
const BREAKDOWN_LABEL_WIDTH: f64 = 40.0;

/// Columns of one table on the breakdown sheet: STT, label, one block of figure
/// columns per unit, then the total block (figures and ratio).
struct Blocks<'a> {
    table: &'a Table,
    units: usize,
    /// The letters of each figure column of every block ("C", "D", ...), from column 2:
    /// the total formulas name thousands of cells, each column's letters are worked out once.
    letters: Vec<String>,
}

impl<'a> Blocks<'a> {
    fn new(table: &'a Table, units: usize) -> Self {
        let figure_cols = (units + 1) * table.columns.len();
        let letters = (0..figure_cols).map(|i| column_number_to_name(2 + i as ColNum)).collect();
        Blocks { table, units, letters }
    }

    fn per_unit(&self) -> usize {
        self.table.columns.len()
    }

    /// Column of figure `i` of unit `u`; `u == units` is the total block.
    fn col(&self, u: usize, i: usize) -> ColNum {
        2 + (u * self.per_unit() + i) as ColNum
    }

    fn ratio_col(&self) -> Option<ColNum> {
        self.table.ratio.as_ref().map(|_| self.col(self.units, self.per_unit()))
    }

    fn last_col(&self) -> ColNum {
        self.ratio_col().unwrap_or_else(|| self.col(self.units, self.per_unit()) - 1)
    }

    fn total_col(&self, id: &str) -> Option<ColNum> {
        let i = self.table.columns.iter().position(|c| c.id == id)?;
        Some(self.col(self.units, i))
    }

    /// The letters of figure `i` of block `u`.
    fn letters(&self, u: usize, i: usize) -> &str {
        &self.letters[u * self.per_unit() + i]
    }

    /// "C7,E7,G7,...": figure `i` of every unit block on `row`, as `SUM` arguments.
    fn unit_cells(&self, i: usize, row: RowNum) -> String {
        let row = (row + 1).to_string();
        let mut cells = String::with_capacity(self.units * (row.len() + 4));
        for u in 0..self.units {
            if u > 0 {
                cells.push(',');
            }
            cells.push_str(self.letters(u, i));
            cells.push_str(&row);
        }
        cells
    }

    /// The unit blocks' figure columns, first and last, when there is any.
    fn unit_span(&self) -> Option<(ColNum, ColNum)> {
        (self.units > 0 && self.per_unit() > 0).then(|| (self.col(0, 0), self.col(self.units, 0) - 1))
    }

    /// The figure columns of the unit blocks and of the total block, first and last.
    fn figure_span(&self) -> Option<(ColNum, ColNum)> {
        (self.per_unit() > 0).then(|| (self.col(0, 0), self.col(self.units, self.per_unit() - 1)))
    }
}

/// The unit figures of one breakdown table: each unit's value in each row and
/// column, when it has one. Looked up once for the sheet rather than by id in
/// every unit for every cell and again for the totals.
struct TableFigures {
    rows: usize,
    cols: usize,
    values: Vec<Option<f64>>,
}

impl TableFigures {
    /// Unit `u`'s value in row `r` (index in the table's rows) and column `c`.
    fn get(&self, u: usize, r: usize, c: usize) -> Option<f64> {
        self.values[(u * self.rows + r) * self.cols + c]
    }
}

/// Each table's unit figures, from one pass over the units' figures; of an id a
/// unit has twice, the last.
fn table_figures(tables: &[&Table], units: &[&UnitResult]) -> Vec<TableFigures> {
    // Where each id goes: (table, row, column), more than one place when rows share an STT.
    let mut places: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, column) in table.columns.iter().enumerate() {
                places.entry(config::table_row_id(&table.id, row.stt, &column.id)).or_default().push((t, r, c));
            }
        }
    }
    let mut figures: Vec<TableFigures> = tables
        .iter()
        .map(|t| TableFigures {
            rows: t.rows.len(),
            cols: t.columns.len(),
            values: vec![None; units.len() * t.rows.len() * t.columns.len()],
        })
        .collect();
    for (u, unit) in units.iter().enumerate() {
        for f in &unit.figures {
            for &(t, r, c) in places.get(&*f.id).map_or(&[][..], Vec::as_slice) {
                let table = &mut figures[t];
                table.values[(u * table.rows + r) * table.cols + c] = Some(f.value);
            }
        }
    }
    figures
}

/// Give the cells of `row` from `first` to `last` column one format, hashed once: rust_xlsxwriter
/// hashes the whole format of every cell written with one, and the breakdown has tens of
/// thousands. Cells written without a format take it; missing ones become bordered blanks.
fn format_row_span(ws: &mut Worksheet, row: RowNum, span: Option<(ColNum, ColNum)>, fmt: &Format) -> XResult<()> {
    if let Some((first, last)) = span {
        ws.set_range_format(row, first, row, last, fmt)?;
    }
    Ok(())
}

/// Each appendix table with one column block per counted unit.
fn breakdown_sheet(
    ws: &mut Worksheet,
    cfg: &Config,
    run: &RunResult,
    units: &[&UnitResult],
    (name, total_label): (&str, &str),
    st: &Styles,
) -> XResult<()> {
    ws.set_name(name)?;
    page_setup(ws, false);
    ws.set_repeat_columns(0, 1)?;
    ws.set_column_width(0, STT_WIDTH)?;
    ws.set_column_width(1, BREAKDOWN_LABEL_WIDTH)?;
    let tables: Vec<&Table> = breakdown_tables(cfg).collect();
    let figures = table_figures(&tables, units);
    let mut row = 0;
    let mut widest = 1;
    let mut breaks = Vec::new();
    let mut tallest: f64 = 0.0;
    for (i, (table, figures)) in tables.iter().zip(&figures).enumerate() {
        let b = Blocks::new(table, units.len());
        if i > 0 {
            // Each table starts a printed page of its own.
            row += 2;
            breaks.push(row);
        }
        let placed = breakdown_table(ws, run, &b, (units, total_label), figures, row, st)?;
        if i == 0 {
            ws.set_freeze_panes(placed.header_row + 2, 2)?;
            // Repeated header rows would stack over the next table's own header.
            if tables.len() == 1 {
                ws.set_repeat_rows(placed.header_row, placed.header_row + 1)?;
            }
        }
        let gap = if i + 1 < tables.len() { 2.0 * LINE_HEIGHT } else { 0.0 };
        tallest = tallest.max(placed.height + gap);
        row = placed.next;
        widest = widest.max(b.last_col());
    }
    // The unit blocks run across as many pages as they need; each table is
    // scaled (down to 60 %) to be one page tall.
    ws.set_page_breaks(&breaks)?;
    ws.set_print_scale(height_scale(tallest));
    for col in 2..=widest {
        ws.set_column_width(col, UNIT_COL_WIDTH)?;
    }
    Ok(())
}

/// One table of the breakdown from `row`.
fn breakdown_table(
    ws: &mut Worksheet,
    run: &RunResult,
    b: &Blocks,
    (units, total_label): (&[&UnitResult], &str),
    figures: &TableFigures,
    mut row: RowNum,
    st: &Styles,
) -> XResult<Placed> {
    let t = b.table;
    // Title and period over the STT and label columns, which repeat on every printed page.
    let width = STT_WIDTH + BREAKDOWN_LABEL_WIDTH;
    merge(ws, (row, 0), (row, 1), &t.title, &st.block_title)?;
    let mut height = set_height(ws, row, height_for(bold_lines_needed(&t.title, width)))?;
    row += 1;
    merge(ws, (row, 0), (row, 1), &run.period, &st.caption)?;
    height += set_height(ws, row, height_for(lines_needed(&run.period, width)))?;
    row += 1;
    let header_row = row;
    let header_height;
    (row, header_height) = breakdown_header(ws, b, (units, total_label), row, st)?;
    height += header_height;
    let mut first_data = None;
    for (index, r) in t.rows.iter().enumerate() {
        if let Some(heading) = &r.heading {
            merge(ws, (row, 0), (row, b.last_col()), heading, &st.heading)?;
            height += set_height(ws, row, LINE_HEIGHT)?;
            row += 1;
        }
        first_data.get_or_insert(row);
        ws.write_number_with_format(row, 0, r.stt, &st.center)?;
        put_text(ws, row, 1, &r.label, &st.text)?;
        height += fit_row(ws, row, &[(&r.label, BREAKDOWN_LABEL_WIDTH)])?;
        breakdown_values(ws, b, figures, index, row, st)?;
        row += 1;
    }
    breakdown_total(ws, b, figures, (first_data.unwrap_or(row), row - 1), row, st)?;
    height += set_height(ws, row, height_for(1) + 2.0)?;
    Ok(Placed { next: row + 1, header_row, height })
}

/// Header: STT and label over two rows, each unit's name merged over its block;
/// returns the next row and the header's height in points.
fn breakdown_header(
    ws: &mut Worksheet,
    b: &Blocks,
    (units, total_label): (&[&UnitResult], &str),
    row: RowNum,
    st: &Styles,
) -> XResult<(RowNum, f64)> {
    let t = b.table;
    let below = row + 1;
    merge(ws, (row, 0), (below, 0), &t.stt_header, &st.header)?;
    merge(ws, (row, 1), (below, 1), &t.label_header, &st.header)?;
    let block_width = b.per_unit() as f64 * UNIT_COL_WIDTH;
    let mut lines_top = 1;
    // Every block has the same column headers.
    let lines_below = t.columns.iter().map(|c| bold_lines_needed(&c.header, UNIT_COL_WIDTH)).fold(1, usize::max);
    let names = units.iter().map(|u| u.name.as_str()).chain([total_label]);
    for (u, name) in names.enumerate() {
        let last = if u == b.units { b.last_col() } else { b.col(u, b.per_unit() - 1) };
        merge(ws, (row, b.col(u, 0)), (row, last), name, &st.header)?;
        lines_top = lines_top.max(bold_lines_needed(name, block_width));
        for (i, c) in t.columns.iter().enumerate() {
            ws.write_string(below, b.col(u, i), cell_text(&c.header))?;
        }
    }
    format_row_span(ws, below, b.figure_span(), &st.header)?;
    if let (Some(ratio), Some(col)) = (&t.ratio, b.ratio_col()) {
        put_text(ws, below, col, &ratio.header, &st.header)?;
    }
    let height = set_height(ws, row, height_for(lines_top))? + set_height(ws, below, height_for(lines_below))?;
    Ok((below + 1, height))
}

/// One row's unit figures (row `index` of the table), and the total block summing them.
fn breakdown_values(
    ws: &mut Worksheet,
    b: &Blocks,
    figures: &TableFigures,
    index: usize,
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = b.table;
    let mut sums = HashMap::new();
    for (i, c) in t.columns.iter().enumerate() {
        let mut sum = 0.0;
        for u in 0..b.units {
            if let Some(value) = figures.get(u, index, i) {
                sum += value;
                ws.write_number(row, b.col(u, i), value)?;
            }
        }
        sums.insert(c.id.as_str(), sum);
        write_sum(ws, row, b.col(b.units, i), &b.unit_cells(i, row), sum)?;
    }
    // The unit figures, bordered blanks where a unit has none, then the total block.
    format_row_span(ws, row, b.unit_span(), &st.count)?;
    format_row_span(ws, row, b.figure_span().map(|(_, last)| (b.col(b.units, 0), last)), &st.total_count)?;
    breakdown_ratio(ws, b, &sums, row, &st.total_ratio)
}

/// `=SUM(args)` with its result; a plain 0 when there is nothing to add. Unformatted:
/// the caller formats the row's span at once ([`format_row_span`]).
fn write_sum(ws: &mut Worksheet, row: RowNum, col: ColNum, args: &str, sum: f64) -> XResult<()> {
    if args.is_empty() {
        ws.write_number(row, col, 0.0)?;
    } else {
        let formula = Formula::new(format!("=SUM({args})")).set_result(number_text(sum));
        ws.write_formula(row, col, formula)?;
    }
    Ok(())
}

/// The total block's ratio, from the block's own sums.
fn breakdown_ratio(
    ws: &mut Worksheet,
    b: &Blocks,
    sums: &HashMap<&str, f64>,
    row: RowNum,
    fmt: &Format,
) -> XResult<()> {
    let (Some(ratio), Some(col)) = (&b.table.ratio, b.ratio_col()) else {
        return Ok(());
    };
    let num = sums.get(ratio.numerator.as_str()).copied().unwrap_or(0.0);
    let den = sums.get(ratio.denominator.as_str()).copied().unwrap_or(0.0);
    let n = row_col_to_cell(row, b.total_col(&ratio.numerator).unwrap_or(0));
    let d = row_col_to_cell(row, b.total_col(&ratio.denominator).unwrap_or(0));
    let result = if den == 0.0 {
        "-".to_string()
    } else {
        number::ratio_pct(num, den).map_or_else(|| "-".to_string(), fraction_text)
    };
    let formula = Formula::new(format!("=IF({d}=0,\"-\",{n}/{d})")).set_result(result);
    ws.write_formula_with_format(row, col, formula, fmt)?;
    Ok(())
}

/// The "Tổng" row of the breakdown: every column summed down.
fn breakdown_total(
    ws: &mut Worksheet,
    b: &Blocks,
    figures: &TableFigures,
    (first, last): (RowNum, RowNum),
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = b.table;
    merge(ws, (row, 0), (row, 1), "Tổng", &st.total_label)?;
    let mut sums = HashMap::new();
    for (i, c) in t.columns.iter().enumerate() {
        let unit_sum = |u: usize| -> f64 { (0..t.rows.len()).filter_map(|r| figures.get(u, r, i)).sum() };
        let mut all = 0.0;
        for u in 0..=b.units {
            let col = b.col(u, i);
            let sum = if u < b.units { unit_sum(u) } else { (0..b.units).map(unit_sum).sum() };
            if u == b.units {
                all = sum;
            }
            let letters = b.letters(u, i);
            let range = format!("{letters}{}:{letters}{}", first + 1, last + 1);
            write_sum(ws, row, col, &range, sum)?;
        }
        sums.insert(c.id.as_str(), all);
    }
    format_row_span(ws, row, b.figure_span(), &st.total_count)?;
    breakdown_ratio(ws, b, &sums, row, &st.total_ratio)
}

// ---------------------------------------------------------------------------
// Sheet "Kiểm tra"
// ---------------------------------------------------------------------------

/// Columns of the findings table: header and width.
const CHECK_COLUMNS: [(&str, f64); 10] = [
    ("STT", 6.0),
    ("Mức độ", 11.0),
    ("Đơn vị", 22.0),
    ("Tệp", 28.0),
    ("Trang tính", 14.0),
    ("Ô", 7.0),
    ("Nội dung", 60.0),
    ("Giá trị trong tệp", 11.0),
    ("Giá trị đúng", 11.0),
    ("Các ô liên quan", 30.0),
];

/// Column widths and the header row of a list sheet, frozen and repeated when printing.
fn list_header_row(ws: &mut Worksheet, columns: &[(&str, f64)], st: &Styles) -> XResult<()> {
    for (c, (header, width)) in columns.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
        put_text(ws, 0, c as ColNum, header, &st.list_header)?;
    }
    let lines = columns.iter().map(|(header, width)| bold_lines_needed(header, *width)).max().unwrap_or(1);
    ws.set_row_height(0, height_for(lines))?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Every finding, then each unit's status and each file not counted.
fn checks_sheet(ws: &mut Worksheet, cfg: &Config, run: &RunResult, st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_CHECKS)?;
    page_setup(ws, true);
    list_header_row(ws, &CHECK_COLUMNS, st)?;
    let last_col = (CHECK_COLUMNS.len() - 1) as ColNum;
    let mut row = 1;
    for (i, f) in run.findings.iter().enumerate() {
        finding_row(ws, f, i + 1, row, st)?;
        row += 1;
    }
    if run.findings.is_empty() {
        merge(ws, (row, 0), (row, last_col), "Không có vấn đề nào.", &st.list_text)?;
        row += 1;
    }
    ws.autofilter(0, 0, row - 1, last_col)?;
    status_section(ws, cfg, run, row + 2, st)?;
    Ok(())
}

/// One finding: severity, unit, where, what, the values and the cells concerned.
fn finding_row(ws: &mut Worksheet, f: &crate::model::Finding, n: usize, row: RowNum, st: &Styles) -> XResult<()> {
    ws.write_number_with_format(row, 0, n as f64, &st.list_stt)?;
    put_text(ws, row, 1, f.severity.label(), st.severity(f.severity))?;
    let cells = f
        .cells
        .iter()
        .map(|c| {
            let value = c.value.map(|v| format!(" → {}", number::fmt_num(v))).unwrap_or_default();
            format!("{}!{}: \"{}\"{value}", c.sheet, c.cell, c.text)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let texts = [
        (2, f.unit.as_deref().unwrap_or("")),
        (3, &*f.location.file),
        (4, f.location.sheet.as_deref().unwrap_or("")),
        (5, f.location.cell.as_deref().unwrap_or("")),
        (6, f.message.as_str()),
        (9, cells.as_str()),
    ];
    for (c, text) in texts {
        put_text(ws, row, c, text, &st.list_text)?;
    }
    for (c, value) in [(7, f.found), (8, f.expected)] {
        match value {
            Some(v) => ws.write_number_with_format(row, c, v, st.list_number(v))?,
            None => ws.write_blank(row, c, &st.list_text)?,
        };
    }
    let fit: Vec<(&str, f64)> = texts.iter().map(|(c, text)| (*text, CHECK_COLUMNS[*c as usize].1)).collect();
    fit_row(ws, row, &fit)?;
    Ok(())
}

/// "Tình trạng tiếp nhận báo cáo": every expected unit, then every file not counted.
fn status_section(ws: &mut Worksheet, cfg: &Config, run: &RunResult, mut row: RowNum, st: &Styles) -> XResult<()> {
    put_text(ws, row, 0, "TÌNH TRẠNG TIẾP NHẬN BÁO CÁO", &st.section)?;
    row += 1;
    let headers = ["STT", "Tình trạng", "Đơn vị", "Tệp"];
    for (c, header) in headers.iter().enumerate() {
        put_text(ws, row, c as ColNum, header, &st.list_header)?;
    }
    merge(ws, (row, 4), (row, 6), "Ghi chú", &st.list_header)?;
    row += 1;
    let groups: HashMap<&str, &str> = cfg.groups.iter().map(|g| (g.id.as_str(), g.name.as_str())).collect();
    let mut n = 0;
    for u in &run.units {
        n += 1;
        let files = u.files.join("\n");
        let group = groups.get(u.group.as_str()).copied().unwrap_or(u.group.as_str());
        let fmt = match u.status {
            UnitStatus::Counted => &st.list_text,
            UnitStatus::Conflict | UnitStatus::WrongPeriod | UnitStatus::Unreadable | UnitStatus::Missing => &st.error,
        };
        status_row(ws, row, n, (u.status.label(), fmt), &u.name, &files, &format!("Nhóm: {group}"), st)?;
        row += 1;
    }
    for s in &run.skipped {
        n += 1;
        status_row(ws, row, n, ("không tổng hợp", &st.list_text), "", &s.file, &s.reason, st)?;
        row += 1;
    }
    Ok(())
}

/// One line of the status section; the note is merged over three columns.
#[allow(clippy::too_many_arguments)]
fn status_row(
    ws: &mut Worksheet,
    row: RowNum,
    n: usize,
    (status, status_fmt): (&str, &Format),
    unit: &str,
    files: &str,
    note: &str,
    st: &Styles,
) -> XResult<()> {
    ws.write_number_with_format(row, 0, n as f64, &st.list_stt)?;
    put_text(ws, row, 1, status, status_fmt)?;
    put_text(ws, row, 2, unit, &st.list_text)?;
    put_text(ws, row, 3, files, &st.list_text)?;
    merge(ws, (row, 4), (row, 6), note, &st.list_text)?;
    let note_width = CHECK_COLUMNS[4].1 + CHECK_COLUMNS[5].1 + CHECK_COLUMNS[6].1;
    fit_row(
        ws,
        row,
        &[(status, CHECK_COLUMNS[1].1), (unit, CHECK_COLUMNS[2].1), (files, CHECK_COLUMNS[3].1), (note, note_width)],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Sheet "Nguồn"
// ---------------------------------------------------------------------------

/// The unit columns of the sources matrix, left of the figure columns: header and width.
const SOURCE_UNIT_COLUMNS: [(&str, f64); 3] = [("STT", 6.0), ("Đơn vị", 30.0), ("Tệp", 40.0)];
/// Header rows of the sources matrix: tables' and lists' titles, figure labels, "Giá trị" / "Ô nguồn".
const SOURCE_HEADER_ROWS: RowNum = 3;
const SOURCE_REF_WIDTH: f64 = 20.0;
const SOURCE_VALUE_WIDTH: f64 = 12.0;
/// Width of a column of the consolidated figures' section that no figure column sets.
const TOTALS_MIN_WIDTH: f64 = 14.0;
/// The consolidated figures' section starts in the wide "Đơn vị" column, and has four columns.
const TOTALS_FIRST_COL: ColNum = 1;
const TOTALS_COLUMNS: ColNum = 4;
/// Longest row label or item label, in characters, a figure's header shows uncut.
const SOURCE_LABEL_CHARS: usize = 60;
/// Title over figures the config does not name.
const OTHER_FIGURES: &str = "Số liệu khác";

/// One figure of the sources matrix: its source column, after its value column
/// when no other sheet shows its value.
struct SourceFigure {
    /// Title of its table or list, merged over the columns of that table or list.
    title: String,
    label: String,
    value_col: Option<ColNum>,
    source_col: ColNum,
}

impl SourceFigure {
    fn first_col(&self) -> ColNum {
        self.value_col.unwrap_or(self.source_col)
    }
}

/// The figure columns of the sources matrix.
struct SourceLayout {
    figures: Vec<SourceFigure>,
    /// For each unit, in the order given, the index in `figures` of each of its figures.
    slots: Vec<Vec<usize>>,
}

impl SourceLayout {
    /// Every figure id some counted unit has: the config's in config order, then
    /// any other in order of first appearance.
    fn new(cfg: &Config, units: &[&UnitResult]) -> Self {
        // Each distinct id numbered in order of first appearance, and each unit
        // figure's number: the one hash of each of the many unit figures.
        let mut numbers: HashMap<&str, usize> = HashMap::new();
        let mut present: Vec<&str> = Vec::new();
        let mut unit_numbers: Vec<Vec<usize>> = Vec::with_capacity(units.len());
        for u in units {
            let mut of_unit = Vec::with_capacity(u.figures.len());
            for f in &u.figures {
                let n = *numbers.entry(&f.id).or_insert(present.len());
                if n == present.len() {
                    present.push(&f.id);
                }
                of_unit.push(n);
            }
            unit_numbers.push(of_unit);
        }
        let mut named: Vec<(String, String, String)> = cfg
            .unit_figures()
            .into_iter()
            .filter(|f| numbers.contains_key(f.id.as_str()))
            .map(|f| {
                let label = figure_header(f.row.as_deref(), f.name);
                (f.id, f.title.to_string(), label)
            })
            .collect();
        let known: HashSet<&str> = named.iter().map(|(id, _, _)| id.as_str()).collect();
        let others: Vec<&str> = present.iter().copied().filter(|id| !known.contains(id)).collect();
        named.extend(others.into_iter().map(|id| (id.to_string(), OTHER_FIGURES.to_string(), id.to_string())));
        let on_breakdown = breakdown_figure_ids(cfg);
        let mut col = SOURCE_UNIT_COLUMNS.len() as ColNum;
        let mut figures = Vec::with_capacity(named.len());
        // Where each numbered id goes; an id named twice goes to its last column.
        let mut slot_of = vec![0; present.len()];
        for (id, title, label) in named {
            let value_col = if on_breakdown.contains(&id) {
                None
            } else {
                col += 1;
                Some(col - 1)
            };
            slot_of[numbers[id.as_str()]] = figures.len();
            figures.push(SourceFigure { title, label, value_col, source_col: col });
            col += 1;
        }
        let slots = unit_numbers.into_iter().map(|ns| ns.into_iter().map(|n| slot_of[n]).collect()).collect();
        SourceLayout { figures, slots }
    }

    /// The first column right of the figure columns.
    fn next_col(&self) -> ColNum {
        self.figures.last().map_or(SOURCE_UNIT_COLUMNS.len() as ColNum, |f| f.source_col + 1)
    }

    fn width(&self, col: ColNum) -> f64 {
        if let Some((_, width)) = SOURCE_UNIT_COLUMNS.get(col as usize) {
            return *width;
        }
        match self.figures.iter().find(|f| f.first_col() <= col && col <= f.source_col) {
            Some(f) if f.value_col == Some(col) => SOURCE_VALUE_WIDTH,
            Some(_) => SOURCE_REF_WIDTH,
            None => TOTALS_MIN_WIDTH,
        }
    }

    /// Each run of figures under the same title: the title, its first and last column.
    fn title_spans(&self) -> Vec<(&str, ColNum, ColNum)> {
        let mut spans: Vec<(&str, ColNum, ColNum)> = Vec::new();
        for f in &self.figures {
            match spans.last_mut() {
                Some((title, _, last)) if *title == f.title => *last = f.source_col,
                _ => spans.push((&f.title, f.first_col(), f.source_col)),
            }
        }
        spans
    }
}

/// The ids of the unit figures whose values "Chi tiết đơn vị" shows.
fn breakdown_figure_ids(cfg: &Config) -> HashSet<String> {
    breakdown_tables(cfg)
        .flat_map(|t| {
            t.rows.iter().flat_map(move |r| t.columns.iter().map(move |c| config::table_row_id(&t.id, r.stt, &c.id)))
        })
        .collect()
}

/// A figure's header under its table's or list's title: "3. Đăng ký thường trú ›
/// Tổng số hồ sơ", long row and item labels cut short.
fn figure_header(row: Option<&str>, name: &str) -> String {
    let name = shorten(name, SOURCE_LABEL_CHARS);
    match row {
        Some(row) => format!("{} › {name}", shorten(row, SOURCE_LABEL_CHARS)),
        None => name,
    }
}

/// `text` cut after the last whole word within `max` characters, with "…", when it is longer.
fn shorten(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..end];
    let head = match head.rfind(' ') {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// The file most of a unit's figures come from (the first of them on a tie); its
/// first file when it has no figure.
fn main_file(u: &UnitResult) -> &str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for f in &u.figures {
        match counts.iter_mut().find(|(file, _)| **file == *f.source.file) {
            Some((_, n)) => *n += 1,
            None => counts.push((&f.source.file, 1)),
        }
    }
    let mut best: Option<(&str, usize)> = None;
    for (file, n) in counts {
        if best.is_none_or(|(_, most)| n > most) {
            best = Some((file, n));
        }
    }
    best.map(|(file, _)| file).or_else(|| u.files.first().map(String::as_str)).unwrap_or("")
}

/// Where a figure came from, as Excel writes a reference: "DVC thiết yếu!E12", or
/// "[tệp khác.xlsx]DVC thiết yếu!E12" when it is not from the unit's file `main`;
/// pushed onto `out` ("Nguồn" has one per unit figure, tens of thousands).
fn push_source_ref(out: &mut String, source: &Location, main: &str) {
    let file = &*source.file;
    let Some(sheet) = &source.sheet else {
        out.extend(["[", file, "]"]);
        return;
    };
    if file != main {
        out.extend(["[", file, "]"]);
    }
    out.push_str(sheet);
    if let Some(cell) = &source.cell {
        out.push('!');
        out.push_str(cell);
    }
}

/// One row per counted unit, one column per figure holding where the unit's
/// figure came from (and its value when no other sheet shows it); then the
/// consolidated figures.
fn sources_sheet(ws: &mut Worksheet, cfg: &Config, run: &RunResult, units: &[&UnitResult], st: &Styles) -> XResult<()> {
    ws.set_name(SHEET_SOURCES)?;
    // Too wide for one page: it prints across pages, the unit columns repeated.
    page_setup(ws, false);
    let layout = SourceLayout::new(cfg, units);
    sources_header(ws, &layout, st)?;
    let mut row = SOURCE_HEADER_ROWS;
    let mut cells: Vec<SourceCell> = layout.figures.iter().map(|_| SourceCell::default()).collect();
    for (i, (u, slots)) in units.iter().zip(&layout.slots).enumerate() {
        sources_row(ws, &layout, (u, slots), &mut cells, (i + 1, row), st)?;
        row += 1;
    }
    let last_col = layout.next_col() - 1;
    ws.autofilter(SOURCE_HEADER_ROWS - 1, 0, row - 1, last_col)?;
    let totals_cols = TOTALS_FIRST_COL..TOTALS_FIRST_COL + TOTALS_COLUMNS;
    for col in layout.next_col()..totals_cols.end {
        ws.set_column_width(col, TOTALS_MIN_WIDTH)?;
    }
    let widths: Vec<f64> = totals_cols.map(|c| layout.width(c)).collect();
    totals_section(ws, run, &cfg.figure_labels(), (row + 2, TOTALS_FIRST_COL), &widths, st)?;
    Ok(())
}

/// The three header rows, written top down as constant-memory mode needs: the
/// unit columns' headers over all three, each title over its figures, each
/// figure's label over its columns, then what each column holds.
fn sources_header(ws: &mut Worksheet, l: &SourceLayout, st: &Styles) -> XResult<()> {
    let last = SOURCE_HEADER_ROWS - 1;
    for (c, (header, width)) in SOURCE_UNIT_COLUMNS.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
        merge(ws, (0, c as ColNum), (last, c as ColNum), header, &st.list_header)?;
    }
    let span_width = |first: ColNum, last: ColNum| (first..=last).map(|c| l.width(c)).sum::<f64>();
    let mut lines = 1;
    // Titles from the left: a title centred over many columns would print on none of the pages they span.
    for (title, first, last) in l.title_spans() {
        merge(ws, (0, first), (0, last), title, &st.list_group)?;
        lines = lines.max(bold_lines_needed(title, span_width(first, last)));
    }
    set_height(ws, 0, height_for(lines))?;
    let mut lines = 1;
    for f in &l.figures {
        merge(ws, (1, f.first_col()), (1, f.source_col), &f.label, &st.list_header)?;
        lines = lines.max(bold_lines_needed(&f.label, span_width(f.first_col(), f.source_col)));
    }
    set_height(ws, 1, height_for(lines))?;
    for f in &l.figures {
        if let Some(col) = f.value_col {
            ws.set_column_width(col, SOURCE_VALUE_WIDTH)?;
            // Whole numbers grouped, set once for the column rather than on every cell.
            ws.set_column_format(col, &st.plain_count)?;
            put_text(ws, last, col, "Giá trị", &st.list_header)?;
        }
        ws.set_column_width(f.source_col, SOURCE_REF_WIDTH)?;
        put_text(ws, last, f.source_col, "Ô nguồn", &st.list_header)?;
    }
    set_height(ws, last, height_for(1))?;
    ws.set_freeze_panes(SOURCE_HEADER_ROWS, SOURCE_UNIT_COLUMNS.len() as ColNum)?;
    ws.set_repeat_rows(0, last)?;
    ws.set_repeat_columns(0, SOURCE_UNIT_COLUMNS.len() as ColNum - 1)?;
    Ok(())
}

/// One figure of a unit on "Nguồn": its value and where it came from. Kept from row
/// to row so that the text is not allocated again for every cell.
#[derive(Default)]
struct SourceCell {
    used: bool,
    value: f64,
    sources: String,
}

/// One unit's row: number, name, main file, then each of its figures' source
/// (and value). Plain cells on one line: a province has thousands of units.
/// `slots` are the unit's figures' places in `l.figures`; `cells` has one unused
/// cell per figure column and is left so.
fn sources_row(
    ws: &mut Worksheet,
    l: &SourceLayout,
    (u, slots): (&UnitResult, &[usize]),
    cells: &mut [SourceCell],
    (n, row): (usize, RowNum),
    st: &Styles,
) -> XResult<()> {
    let main = main_file(u);
    ws.write_number(row, 0, n as f64)?;
    ws.write_string(row, 1, cell_text(&u.name))?;
    ws.write_string(row, 2, cell_text(main))?;
    // An id given twice (the same id in two lists) shows both sources and the
    // sum, as the consolidation adds both.
    for (f, &slot) in u.figures.iter().zip(slots) {
        let cell = &mut cells[slot];
        if cell.used {
            cell.value += f.value;
            cell.sources.push_str("; ");
        } else {
            cell.used = true;
            cell.value = f.value;
            cell.sources.clear();
        }
        push_source_ref(&mut cell.sources, &f.source, main);
    }
    for (f, cell) in l.figures.iter().zip(cells) {
        if !std::mem::take(&mut cell.used) {
            continue;
        }
        if let Some(col) = f.value_col {
            if cell.value.fract() == 0.0 {
                ws.write_number(row, col, cell.value)?;
            } else {
                ws.write_number_with_format(row, col, cell.value, &st.plain_decimal)?;
            }
        }
        ws.write_string(row, f.source_col, cell_text(&cell.sources))?;
    }
    Ok(())
}

/// "Số liệu tổng hợp" from `(row, col)`: every consolidated figure, its value and how
/// many unit figures it adds; `widths` are those of its four columns.
fn totals_section(
    ws: &mut Worksheet,
    run: &RunResult,
    labels: &BTreeMap<String, String>,
    (mut row, col): (RowNum, ColNum),
    widths: &[f64],
    st: &Styles,
) -> XResult<()> {
    put_text(ws, row, col, "SỐ LIỆU TỔNG HỢP", &st.section)?;
    row += 1;
    let headers = ["Mã số liệu", "Nội dung", "Số đơn vị cộng vào", "Giá trị"];
    for (c, header) in headers.iter().enumerate() {
        put_text(ws, row, col + c as ColNum, header, &st.list_header)?;
    }
    let lines = headers.iter().zip(widths).map(|(h, w)| bold_lines_needed(h, *w)).max().unwrap_or(1);
    set_height(ws, row, height_for(lines))?;
    row += 1;
    for (id, total) in &run.totals {
        let label = labels.get(id).map(String::as_str).unwrap_or("");
        put_text(ws, row, col, id, &st.list_text)?;
        put_text(ws, row, col + 1, label, &st.list_text)?;
        if total.sources.is_empty() {
            ws.write_blank(row, col + 2, &st.list_text)?;
        } else {
            ws.write_number_with_format(row, col + 2, total.sources.len() as f64, &st.list_count)?;
        }
        match total.value {
            Some(v) => ws.write_number_with_format(row, col + 3, v, st.list_number(v))?,
            None => ws.write_string_with_format(row, col + 3, "-", &st.list_text)?,
        };
        fit_row(ws, row, &[(id, widths[0]), (label, widths[1])])?;
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_dates_pad_the_day_and_only_early_months() {
        assert_eq!(official_date("12/07/2024"), "12/7/2024");
        assert_eq!(official_date("5/6/2024"), "05/6/2024");
        assert_eq!(official_date("5/2/2024"), "05/02/2024");
        assert_eq!(official_date("không rõ"), "không rõ");
    }

    #[test]
    fn the_attached_line_leaves_blanks_for_the_clerk() {
        let mut doc = Document {
            number: "287".into(),
            symbol: "BC-TCTĐA06".into(),
            date: "12/07/2024".into(),
            ..Document::default()
        };
        assert_eq!(attached_line(&doc), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12/7/2024)");
        doc.number.clear();
        doc.date.clear();
        assert_eq!(attached_line(&doc), "(Kèm theo Báo cáo số ......./BC-TCTĐA06 ngày ....../....../......)");
    }

    #[test]
    fn appendix_sheets_are_numbered_in_roman_numerals() {
        assert_eq!(appendix_sheet_name(0, 1), "Phụ lục");
        assert_eq!(appendix_sheet_name(0, 2), "Phụ lục I");
        assert_eq!(appendix_sheet_name(1, 2), "Phụ lục II");
        assert_eq!(appendix_sheet_name(3, 5), "Phụ lục IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(49), "XLIX");
        // Excel's 31-character limit leaves room for any plausible number of appendices.
        assert!(appendix_sheet_name(387, 400).chars().count() <= 31);
    }

    #[test]
    fn fractions_are_short_and_exact() {
        assert_eq!(fraction_text(99.54), "0.9954");
        assert_eq!(fraction_text(100.0), "1");
        assert_eq!(fraction_text(87.76), "0.8776");
        assert_eq!(fraction_text(0.0), "0");
        assert_eq!(number_text(8725.0), "8725");
    }

    #[test]
    fn long_texts_are_cut_to_what_a_cell_holds() {
        let long = "ă".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("ngắn"), "ngắn");
    }

    #[test]
    fn long_labels_are_cut_at_a_word() {
        assert_eq!(shorten("Đăng ký thường trú", 60), "Đăng ký thường trú");
        assert_eq!(shorten("Đăng ký thường trú", 12), "Đăng ký…");
        assert_eq!(shorten("Cấp lại, đổi thẻ", 9), "Cấp lại…");
        assert_eq!(shorten("Khaibáotạmvắng", 5), "Khaib…");
        assert_eq!(
            figure_header(Some("3. Đăng ký thường trú"), "Tổng số hồ sơ"),
            "3. Đăng ký thường trú › Tổng số hồ sơ"
        );
        assert_eq!(figure_header(None, "Dân số"), "Dân số");
    }

    #[test]
    fn a_source_names_its_file_only_when_it_is_not_the_units_file() {
        let source_ref = |source: &Location, main: &str| {
            let mut text = String::new();
            push_source_ref(&mut text, source, main);
            text
        };
        let main = "BC Bảo An.xlsx";
        assert_eq!(source_ref(&Location::cell(main, "DVC thiết yếu", "E12"), main), "DVC thiết yếu!E12");
        assert_eq!(source_ref(&Location::cell("khác.xlsx", "Số hóa", "C8"), main), "[khác.xlsx]Số hóa!C8");
        assert_eq!(source_ref(&Location::cell(main, "Hồ sơ sức khỏe", "C9:C24"), main), "Hồ sơ sức khỏe!C9:C24");
        assert_eq!(source_ref(&Location::sheet(main, "Số hóa"), main), "Số hóa");
        // Without a sheet there is nothing but the file to show, even the unit's own.
        assert_eq!(source_ref(&Location::file(main), main), "[BC Bảo An.xlsx]");
    }

    #[test]
    fn the_main_file_gives_most_figures_the_first_on_a_tie() {
        use crate::model::Figure;
        let figure = |file: &str| Figure { id: "x".into(), value: 1.0, source: Location::cell(file, "S", "A1") };
        let mut unit = UnitResult {
            name: "Phường Bảo An".into(),
            group: "phuong_xa".into(),
            status: UnitStatus::Counted,
            files: vec!["a.xlsx".into(), "b.xlsx".into()],
            figures: vec![figure("b.xlsx"), figure("a.xlsx"), figure("a.xlsx")],
        };
        assert_eq!(main_file(&unit), "a.xlsx");
        unit.figures.pop();
        assert_eq!(main_file(&unit), "b.xlsx", "a tie goes to the file of the first figure");
        unit.figures.clear();
        assert_eq!(main_file(&unit), "a.xlsx", "no figure: the unit's first file");
        unit.files.clear();
        assert_eq!(main_file(&unit), "");
    }

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
