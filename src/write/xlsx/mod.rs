//! The consolidated XLSX workbook (issue 3): the appendix (Phụ lục) the
//! province receives, and the working papers the city keeps.
//!
//! Sheets, in order:
//! - "Phụ lục I", "Phụ lục II", ... (just "Phụ lục" when there is one): each
//!   `appendix = true` table on a sheet of its own, laid out as in the seed:
//!   title, period, "(Kèm theo Báo cáo số ...)", a two-row merged header, one
//!   row per configured row (with group heading rows) and a "Tổng" row. The
//!   rows' figures are formulas over the total blocks of "Chi tiết đơn vị"
//!   (a number only where the breakdown cannot give the consolidated figure,
//!   see [`breakdown::BreakdownLinks`]), totals `SUM` formulas and ratios `IF`
//!   formulas, each stored with its computed result (ratios at full precision)
//!   so viewers that do not recalculate show the right numbers and a
//!   recalculation changes none. Each sheet prints on A4 landscape, one page
//!   wide, its header rows repeated.
//! - "Chi tiết đơn vị": the same tables with one column block per counted unit
//!   and a total block that sums the unit blocks; printed with the STT and
//!   label columns repeated and a page break between unit blocks, so that no
//!   unit's columns are split over two pages.
//! - "Kiểm tra": every finding of the run, then every unit's status and every
//!   file that was not counted.
//! - "Nguồn": one row per unit figure (STT, Đơn vị, Số liệu: its label, Giá
//!   trị, Tệp, Trang tính, Ô, and last "Mã số liệu", its id, for machines),
//!   filtered, its header frozen and repeated, printed one page wide.
//! - "Số liệu tổng hợp": every consolidated figure with its label, how many
//!   unit figures it adds, its value and the date a cumulative one is counted
//!   up to ("Tính đến ngày": the as-of date its workbooks state); its id last.
//! - "Dữ liệu so sánh", hidden: every consolidated figure and every counted
//!   unit's figures by figure id, in a form of its own that does not follow the
//!   layout of the sheets above, for next month's comparison ([`figures`] says
//!   how it is laid out; `read::previous` reads it).
//!
//! Every text that comes from a workbook or the config is written as a string,
//! never as a formula, and the document properties are fixed, so the same run
//! gives the same bytes.
//!
//! One module per sheet ([`appendix`], [`breakdown`], [`checks`], [`sources`], [`totals`],
//! [`figures`]),
//! the cell formats and small cell helpers in [`style`], and row heights in [`fit`].

mod appendix;
mod breakdown;
mod checks;
mod figures;
mod fit;
mod sources;
mod style;
mod totals;

use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::model::{Document, Report, UnitResult};
use breakdown::BreakdownLinks;
use style::{DEFAULT_COL_WIDTH, DEFAULT_ROW_HEIGHT, FONT, FONT_SIZE, Styles};

type XResult<T> = Result<T, XlsxError>;

/// The name of the breakdown sheet (and, numbered, of its continuations).
const SHEET_BREAKDOWN: &str = "Chi tiết đơn vị";
/// Most units on one "Chi tiết đơn vị" sheet: its total formulas then stay well
/// within Excel's 255 arguments and 8.192 characters.
const UNITS_PER_BREAKDOWN_SHEET: usize = 200;

/// The appendix workbook could not be built.
#[derive(Debug, thiserror::Error)]
#[error("Không tạo được tệp XLSX: {0}")]
pub struct XlsxWriteError(#[from] XlsxError);

/// The workbook for one run: appendix, breakdown by unit, checks and sources.
///
/// The sheets do not depend on each other, so they are built at the same time on
/// rayon's threads, "Nguồn" (the largest) on one while the others share the rest,
/// then added in order. The bytes are the same as building them one after the
/// other: each ordinary sheet numbers its formats and strings on its own and the
/// workbook merges them in sheet order when saving, and "Nguồn" is the only one
/// writing to the workbook's format and string tables before that (the other
/// constant-memory sheet, "Dữ liệu so sánh", writes its strings inline and its
/// cells without formats; its default format is set here, before the threads).
pub fn xlsx_bytes(report: &Report, doc: &Document) -> Result<Vec<u8>, XlsxWriteError> {
    if let Some(what) = report.non_finite() {
        return Err(XlsxError::ParameterError(format!("số liệu \"{what}\" không phải số hữu hạn")).into());
    }
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    // Times New Roman as the workbook's Normal style: empty cells match, and
    // column widths count its digits (8 px at 12 pt, 72 px default column).
    let normal = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
    workbook.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
    workbook.set_properties(&properties(report, doc));
    // Level 1 deflates several times faster than the default 6 for a slightly larger file.
    workbook.set_zip_compression_level(1);
    let counted: Vec<&UnitResult> = report.counted_units().collect();
    // The matrix grows with units x figures: written row by row to a temp file
    // instead of held in memory. Made here: the temp file comes from the workbook.
    // Its texts go to the workbook's shared string table (not inline): a few
    // hundred distinct "Sheet!Cell" texts over a province's ~180k cells, so the
    // sheet is half the XML to write and to deflate (which is serial).
    let mut sources = workbook.new_worksheet_with_low_memory()?;
    sources.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
    // As large as "Nguồn" in cells, but numbers: written to a temp file too.
    let mut data = workbook.new_worksheet_with_constant_memory()?;
    data.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
    let (sources, (others, data)) = rayon::join(
        || -> XResult<(Worksheet, Worksheet)> {
            sources::sheet(&mut sources, report, &counted, &styles)?;
            // The consolidated figures: short, built on the same thread after "Nguồn".
            let mut totals = Worksheet::new();
            totals.set_default_format(&normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
            totals::sheet(&mut totals, report, &styles)?;
            Ok((sources, totals))
        },
        || {
            rayon::join(
                || ordinary_sheets(report, doc, &counted, &styles, &normal),
                || figures::sheet(&mut data, report, &counted).map(|()| data),
            )
        },
    );
    // In sheet order, so that the first error is the one a serial build would meet.
    for ws in others {
        workbook.push_worksheet(ws?);
    }
    let (sources, totals) = sources?;
    workbook.push_worksheet(sources);
    workbook.push_worksheet(totals);
    workbook.push_worksheet(data?);
    let bytes = workbook.save_to_buffer()?;
    // Freeing the sheets' cells takes a few milliseconds that nothing needs to wait for.
    rayon::spawn(move || drop(workbook));
    Ok(bytes)
}

/// The sheets before "Nguồn", built side by side, in order.
fn ordinary_sheets(
    report: &Report,
    doc: &Document,
    counted: &[&UnitResult],
    styles: &Styles,
    normal: &Format,
) -> Vec<XResult<Worksheet>> {
    let chunks = breakdown_chunks(report, counted);
    let sheets = chunks.iter().enumerate().map(|(i, units)| (breakdown_name(i), units.len())).collect();
    let links = BreakdownLinks::new(report, counted, sheets);
    let mut builders = sheet_builders(report, doc, &chunks, &links, styles);
    // "Kiểm tra" (the last sheet, and the longest to build after "Nguồn") is
    // started first: left for last, it kept one thread busy while the other
    // had nothing to do. Put back in place below.
    builders.rotate_right(1);
    let mut built = builders
        .into_par_iter()
        .map(|build| {
            let mut ws = Worksheet::new();
            ws.set_default_format(normal, DEFAULT_ROW_HEIGHT, DEFAULT_COL_WIDTH)?;
            build(&mut ws)?;
            Ok(ws)
        })
        .collect::<Vec<XResult<Worksheet>>>();
    built.rotate_left(1);
    built
}

/// Fills one worksheet; run on any thread.
type SheetBuilder<'a> = Box<dyn FnOnce(&mut Worksheet) -> XResult<()> + Send + 'a>;

/// The name of breakdown sheet `i` (0-based): "Chi tiết đơn vị", then "Chi tiết đơn vị (2)", ...
fn breakdown_name(i: usize) -> String {
    if i == 0 { SHEET_BREAKDOWN.to_string() } else { format!("{SHEET_BREAKDOWN} ({})", i + 1) }
}

/// The counted units of each breakdown sheet, in order.
///
/// One column block per unit, at most UNITS_PER_BREAKDOWN_SHEET on a sheet: the
/// total block's SUM names one cell per unit, and Excel takes at most 255
/// arguments and 8.192 characters in a formula (and 16.384 columns in a sheet).
/// Further units go on further sheets ("Chi tiết đơn vị (2)", ...), each with
/// its own total block.
fn breakdown_chunks<'a>(report: &Report, counted: &'a [&'a UnitResult]) -> Vec<&'a [&'a UnitResult]> {
    let widest_block =
        report.appendix_tables().map(|t| t.columns.len() + usize::from(t.ratio.is_some())).max().unwrap_or(1);
    let per_sheet = ((16_384 - 2) / widest_block.max(1)).saturating_sub(1).clamp(1, UNITS_PER_BREAKDOWN_SHEET);
    if counted.is_empty() { vec![&[]] } else { counted.chunks(per_sheet).collect() }
}

/// The sheets before "Nguồn", in order: the appendix (its figures linked to the
/// breakdown), the breakdown by unit, the checks.
fn sheet_builders<'a>(
    report: &'a Report,
    doc: &'a Document,
    chunks: &[&'a [&'a UnitResult]],
    links: &'a BreakdownLinks,
    st: &'a Styles,
) -> Vec<SheetBuilder<'a>> {
    let mut builders = appendix::builders(report, doc, links, st);
    let sheets = chunks.len();
    for (i, chunk) in chunks.iter().copied().enumerate() {
        let name = breakdown_name(i);
        let total = if sheets == 1 { "Tổng cộng" } else { "Cộng các đơn vị trong trang" };
        builders.push(Box::new(move |ws| breakdown::sheet(ws, report, chunk, (&name, total), st)));
    }
    builders.push(Box::new(move |ws| checks::sheet(ws, report, st)));
    builders
}

/// Fixed properties: the creation time is the signing date (or the first day of
/// the report month), never the clock, so two runs give identical bytes.
fn properties(report: &Report, doc: &Document) -> DocProperties {
    let (month, year) = (report.period.month, report.period.year);
    let (day, month, year) =
        doc.date().map_or((1, month, year), |d| (d.day() as u32, d.month() as u32, d.year() as u32));
    let created = u16::try_from(year)
        .ok()
        .and_then(|y| ExcelDateTime::from_ymd(y, month as u8, day as u8).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let mut props = DocProperties::new()
        .set_title(format!("Số liệu tổng hợp tháng {} năm {}", report.period.month, report.period.year))
        .set_author(crate::own::AUTHOR);
    if let Some(created) = &created {
        props = props.set_creation_datetime(created);
    }
    props
}
