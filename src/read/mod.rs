//! Reading any workbook calamine can read into plain cells.
//!
//! The format is chosen by the file's first bytes, never by its extension.
//! xlsx sheets are read by the single-pass reader in `xlsx` (cells and merged
//! ranges together, with a cap, so a stray cell at XFD1048576 costs nothing), or
//! by calamine's streaming reader for a package that one does not expect; the
//! other formats by calamine. Merged ranges come along where the format has them
//! (xlsx, xls). Strings are normalised to NFC (xls in code page 1258 decodes to
//! combining marks).
//!
//! One module a job: `sniff` tells the format from the content (and
//! refuses a zip bomb), `xlsx` is the single-pass .xlsx package reader,
//! `with_calamine` the calamine reader for everything else (and for an .xlsx the
//! single-pass reader does not expect), `workarounds` rewrites the bytes calamine
//! would misread, `child` runs the calamine formats in a child process with a
//! memory and time limit, `cells` holds what every reader does to a cell,
//! [`legacy`] decodes TCVN3 and VNI-Windows text, and [`previous`] reads last
//! month's figures back from the appendix baocao wrote.

use calamine::{Xls, Xlsb};
use cells::decode_legacy;
use legacy::Legacy;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

mod cells;
mod child;
pub mod legacy;
pub mod previous;
mod sniff;
mod with_calamine;
mod workarounds;
mod xlsx;

pub use child::{CHILD_MEMORY_BYTES, CHILD_SECONDS, isolate_with, serve_child};
pub(crate) use sniff::sniff;
use sniff::sniff_opening;
use with_calamine::{read_other, read_xlsx_with_calamine};
use workarounds::{xls_clamp_dimensions, xlsb_long_cell_records};

/// For the `scan` fuzz target: whether the byte scanner and the general parser
/// agree on one worksheet part (`true` also when the scanner hands it on).
#[cfg(fuzzing)]
pub fn scanner_agrees(xml: &str) -> bool {
    xlsx::scanner_agrees(xml)
}

/// Largest input file read at all (bytes).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Most non-empty cells kept from one sheet.
pub const MAX_CELLS_PER_SHEET: usize = 200_000;
/// Longest text kept in one cell (characters); longer text is cut.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most bytes the parts of one zipped workbook (.xlsx, .xlsm, .xlsb, .ods) may unpack
/// to, all parts together: a "zip bomb" of a few MB stops here, before any parsing.
pub const MAX_UNZIPPED_BYTES: u64 = 100 * 1024 * 1024;

/// Spreadsheet formats, as sniffed from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Office Open XML (.xlsx, .xlsm): a zip package of XML parts.
    Xlsx,
    /// Excel binary workbook (.xlsb): a zip package of BIFF12 records.
    Xlsb,
    /// Excel 97-2003 (.xls): BIFF records in a compound file.
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    /// A number; dates and times are their serial number.
    Number(f64),
    /// Shared by the cells that hold the same shared string.
    Text(Arc<str>),
    /// TRUE or FALSE.
    Bool(bool),
    /// An Excel error such as #DIV/0!.
    Error(String),
    /// No value (also: a formula with no cached result).
    Empty,
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    /// The value, or a formula's cached result.
    pub value: Value,
    /// Formula text without the leading "=", when the cell holds a formula.
    pub formula: Option<String>,
}

/// A merged range, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Merge {
    /// Top row.
    pub first_row: u32,
    /// Left column.
    pub first_col: u32,
    /// Bottom row.
    pub last_row: u32,
    /// Right column.
    pub last_col: u32,
}

impl Merge {
    /// The range with corners `a` and `b` (row, column), in either order: a
    /// range written "B5:A1" is A1:B5, as Excel reads it.
    pub fn spanning(a: (u32, u32), b: (u32, u32)) -> Self {
        Merge { first_row: a.0.min(b.0), first_col: a.1.min(b.1), last_row: a.0.max(b.0), last_col: a.1.max(b.1) }
    }
}

/// One worksheet, sparse.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Sheet {
    /// The sheet's name (NFC).
    pub name: String,
    /// The non-empty cells by zero-based (row, column).
    #[serde(with = "cells_as_list")]
    pub cells: BTreeMap<(u32, u32), Cell>,
    /// The merged ranges, where the format has them.
    pub merges: Vec<Merge>,
    /// The sheet had more cells than [`MAX_CELLS_PER_SHEET`]; the rest were not read.
    pub truncated: bool,
    /// Cells whose text was longer than [`MAX_CELL_CHARS`] and was cut.
    pub cut_cells: Vec<(u32, u32)>,
    /// Cells whose text was in a legacy Vietnamese encoding and was decoded to Unicode,
    /// with the text as it was stored.
    pub legacy: Vec<LegacyCell>,
    /// The blank cells the file writes furthest down and furthest right (a cell of
    /// spaces, an empty string): not in `cells`, but part of the range Excel treats
    /// as used, so a far one is worth telling the unit about.
    #[serde(default)]
    pub far_blanks: FarBlanks,
    /// The workbook hides the sheet (hidden or "very hidden"): a clerk's stale copy
    /// or a lookup sheet, never preferred over a visible one. Every reader sets it.
    #[serde(default)]
    pub hidden: bool,
    /// The rows the sheet hides (zero-based, ascending), where the reader can tell:
    /// the .xlsx reader does; calamine (.xls, .xlsb, .ods, an odd .xlsx) does not
    /// expose row properties, so there it stays empty. Hidden rows are read like
    /// the others; extraction tells the user which ones it counted.
    #[serde(default)]
    pub hidden_rows: Vec<u32>,
}

/// See [`Sheet::far_blanks`]: zero-based (row, column) of the lowest blank cell and
/// of the rightmost one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FarBlanks {
    /// The blank cell with the greatest row.
    pub lowest: Option<(u32, u32)>,
    /// The blank cell with the greatest column.
    pub rightmost: Option<(u32, u32)>,
}

impl FarBlanks {
    /// Count in a blank cell at `pos`.
    pub fn note(&mut self, pos: (u32, u32)) {
        if self.lowest.is_none_or(|(r, _)| pos.0 > r) {
            self.lowest = Some(pos);
        }
        if self.rightmost.is_none_or(|(_, c)| pos.1 > c) {
            self.rightmost = Some(pos);
        }
    }
}

/// A cell decoded from TCVN3 or VNI-Windows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegacyCell {
    /// The cell's row (zero-based).
    pub row: u32,
    /// The cell's column (zero-based).
    pub col: u32,
    /// The encoding the text was decoded from.
    pub encoding: Legacy,
    /// The text as it was stored, before decoding.
    pub stored: String,
}

impl Sheet {
    /// The cell at (row, col), if it is not empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    /// The text of a cell, if it holds text.
    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.get(row, col).map(|c| &c.value) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// The cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells.range((row, 0)..=(row, u32::MAX)).map(|(&(_, c), cell)| (c, cell))
    }

    /// Last row holding a cell, if any.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().next_back().map(|&(r, _)| r)
    }

    /// The merge whose top-left corner is (row, col).
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.first_row == row && m.first_col == col)
    }

    /// The merge covering (row, col), if any.
    pub fn merge_covering(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges
            .iter()
            .find(|m| (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col))
    }
}

/// A whole workbook, read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Workbook {
    /// The format, as sniffed from the content.
    pub format: Format,
    /// The sheets, in workbook order.
    pub sheets: Vec<Sheet>,
}

/// Why a file is not read as a workbook; the text is for the user, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
pub enum ReadError {
    /// Not a spreadsheet at all (lock file, PDF, image, empty file, folder...): skipped.
    #[error("{0}")]
    NotAWorkbook(String),
    /// A spreadsheet that cannot be read (encrypted, corrupt, too large).
    #[error("{0}")]
    Unreadable(String),
}

/// Read the workbook at `path`. Only a regular file is read (see [`crate::file`]),
/// opened read-only and read once, at most [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Workbook, ReadError> {
    use crate::file::{FileError, read_regular};
    let bytes = read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        FileError::NotAFile(reason) => ReadError::NotAWorkbook(reason),
        FileError::TooLarge(cap) => ReadError::Unreadable(format!("tệp quá lớn (giới hạn {} MB)", cap / (1024 * 1024))),
        FileError::Io(reason) => ReadError::Unreadable(format!("không mở được tệp: {reason}")),
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    read_bytes(&name, bytes)
}

/// Read a workbook from its bytes; `name` is the file name (only used to spot Excel lock files).
///
/// xlsx is streamed here with its caps. The formats calamine parses whole at open
/// (xls, xlsb, ods) are read in a child process with a memory and time limit when
/// [`isolate_with`] has named the program to run: a crafted file that makes calamine
/// allocate without bound then costs that one file, not the run.
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Workbook, ReadError> {
    let (format, zip) = sniff_opening(name, &bytes)?;
    if let Some(zip) = zip.filter(|_| format == Format::Xlsx) {
        // The package the sniffer opened is the one read: its directory is parsed once.
        return caught(|| read_xlsx(&bytes, zip));
    }
    if format != Format::Xlsx
        && let Some(exe) = child::ISOLATE.get()
    {
        return child::read(exe, name, bytes);
    }
    read_in_process(format, bytes)
}

/// (row, col) keys do not fit JSON objects: cells travel as a list.
mod cells_as_list {
    use super::Cell;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(cells: &BTreeMap<(u32, u32), Cell>, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<(u32, u32, &Cell)> = cells.iter().map(|(&(r, c), cell)| (r, c, cell)).collect();
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<(u32, u32), Cell>, D::Error> {
        let list: Vec<(u32, u32, Cell)> = Vec::deserialize(d)?;
        Ok(list.into_iter().map(|(r, c, cell)| ((r, c), cell)).collect())
    }
}

fn read_in_process(format: Format, bytes: Vec<u8>) -> Result<Workbook, ReadError> {
    caught(|| match format {
        Format::Xlsx => match zip::ZipArchive::new(Cursor::new(&bytes[..])) {
            Ok(zip) => read_xlsx(&bytes, zip),
            Err(_) => read_xlsx_with_calamine(&bytes),
        },
        Format::Xls => read_other::<Xls<_>>(Format::Xls, xls_clamp_dimensions(bytes)),
        Format::Xlsb => read_other::<Xlsb<_>>(Format::Xlsb, xlsb_long_cell_records(bytes)),
        Format::Ods => read_other::<calamine::Ods<_>>(Format::Ods, bytes),
    })
}

/// `read`, with a panic inside a reader turned into "unreadable" (the run goes on
/// with the other files).
fn caught(read: impl FnOnce() -> Result<Workbook, ReadError>) -> Result<Workbook, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(ReadError::Unreadable("tệp hỏng: thư viện đọc bảng tính gặp lỗi nội bộ".into())))
}

/// Our own appendix, written into the inbox by an earlier run: its author is "baocao".
fn written_by_baocao(bytes: &[u8], zip: &mut xlsx::Zip) -> bool {
    let Ok(Some(xml)) = xlsx::part(bytes, zip, "docProps/core.xml") else { return false };
    xlsx::utf8(&xml).is_ok_and(|xml| xml.contains(&crate::own::creator_element()))
}

/// An .xlsx, by the single-pass reader; a file it does not expect is read by calamine.
/// The appendix baocao wrote (left in the inbox) is refused, not read as a unit's report.
fn read_xlsx(bytes: &[u8], zip: xlsx::Zip) -> Result<Workbook, ReadError> {
    let book = match xlsx::read_package(bytes, zip) {
        Ok(book) => book,
        Err(xlsx::Unexpected(_, Some(why))) => {
            return Err(ReadError::Unreadable(format!(
                "bảng tính bị hỏng, {why}; hãy mở bằng Excel, lưu lại rồi gửi lại"
            )));
        }
        Err(_) => {
            refuse_own_appendix(bytes)?;
            return read_xlsx_with_calamine(bytes);
        }
    };
    // Its creator is only looked up (one more part to unpack) when a sheet has the
    // name of one of baocao's own sheets.
    if book.sheets.iter().any(|s| crate::own::OWN_SHEETS.contains(&s.sheet.name.as_str())) {
        refuse_own_appendix(bytes)?;
    }
    Ok(Workbook { format: Format::Xlsx, sheets: decoded_sheets(book) })
}

/// An error when the .xlsx in `bytes` was written by baocao.
fn refuse_own_appendix(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    if written_by_baocao(bytes, &mut zip) {
        return Err(ReadError::NotAWorkbook(
            "phụ lục tổng hợp do chính baocao ghi ra trước đây, không phải báo cáo của đơn vị".into(),
        ));
    }
    Ok(())
}

/// The sheets the single-pass reader gave, legacy text decoded by each cell's font.
fn decoded_sheets(book: xlsx::RawBook) -> Vec<Sheet> {
    let fonts = &book.style_fonts;
    book.sheets
        .into_iter()
        .map(|raw| {
            let mut sheet = raw.sheet;
            let styles = &raw.text_styles;
            decode_legacy(&mut sheet, |r, c| fonts.get(*styles.get(&(r, c))? as usize)?.clone());
            sheet
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An .xlsx with one sheet `sheet` whose author is `author`.
    fn workbook_by(author: &str, sheet: &str) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_author(author));
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_string(0, 0, "Phường Phủ Hà").unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn only_an_appendix_written_by_baocao_is_refused() {
        let own = read_bytes("phu-luc.xlsx", workbook_by("baocao", "Nguồn"));
        assert!(matches!(own, Err(ReadError::NotAWorkbook(m)) if m.contains("do chính baocao ghi ra")));
        // A unit's sheet may have one of those names; someone else's workbook is read.
        let theirs = read_bytes("phu-ha.xlsx", workbook_by("Phường Phủ Hà", "Kiểm tra")).unwrap();
        assert_eq!(theirs.sheets[0].text(0, 0), Some("Phường Phủ Hà"));
        // So is one by baocao without its sheets (the name alone is no reason to look).
        assert!(read_bytes("x.xlsx", workbook_by("baocao", "DVC thiết yếu")).is_ok());
    }

    #[test]
    fn sniffing_ignores_the_extension() {
        assert!(matches!(sniff("a.xlsx", b""), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff("a.xlsx", b"%PDF-1.4 ..."), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff("a.xls", b"<html><body>"), Err(ReadError::Unreadable(_))));
        assert!(matches!(sniff("~$a.xlsx", &[7u8; 162]), Err(ReadError::NotAWorkbook(_))));
        assert!(matches!(sniff("a.xlsx", b"PK\x03\x04garbage"), Err(ReadError::Unreadable(_))));
        assert_eq!(sniff("a.xlsx", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]), Ok(Format::Xls));
    }

    fn sample(name: &str) -> Workbook {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox-2024-07").join(name);
        read(&p).unwrap()
    }

    #[test]
    fn xlsx_cells_formulas_and_merges() {
        let wb = sample("CATP - BC DA06 T7.2024.xlsx");
        assert_eq!(wb.format, Format::Xlsx);
        let s = wb.sheets.iter().find(|s| s.name == "DVC thiết yếu").unwrap();
        assert_eq!(s.get(7, 4).unwrap().value, Value::Number(196.0)); // E8
        let total = s.get(21, 4).unwrap(); // E22
        assert_eq!(total.formula.as_deref(), Some("SUM(E7:E21)"));
        assert_eq!(total.value, Value::Number(998.0));
        assert!(s.merge_at(4, 4).is_some_and(|m| m.last_col == 6)); // E5:G5
    }

    #[test]
    fn xls_is_read_by_content_with_nfc_text() {
        let wb = sample("DAO LONG T7.xls");
        assert_eq!(wb.format, Format::Xls);
        let s = wb.sheets.iter().find(|s| s.name == "DVC thiết yếu").unwrap();
        assert_eq!(s.text(0, 0).map(crate::text::norm), Some("tổ công tác đề án 06 phường đạo long".into()));
        assert!(s.merge_at(4, 4).is_some());
    }
}
