//! Reading any workbook calamine can read into plain cells.
//!
//! The format is chosen by the file's first bytes, never by its extension.
//! xlsx sheets are read by the single-pass reader in [`xlsx`] (cells and merged
//! ranges together, with a cap, so a stray cell at XFD1048576 costs nothing), or
//! by calamine's streaming reader for a package that one does not expect; the
//! other formats by calamine. Merged ranges come along where the format has them
//! (xlsx, xls). Strings are normalised to NFC (xls in code page 1258 decodes to
//! combining marks).

use calamine::{Data, DataRef, Reader, Xls, Xlsb, Xlsx};
use legacy::Legacy;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

pub mod legacy;
mod xlsx;

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
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Number(f64),
    /// Shared by the cells that hold the same shared string.
    Text(Arc<str>),
    Bool(bool),
    /// An Excel error such as #DIV/0!.
    Error(String),
    /// No value (also: a formula with no cached result).
    Empty,
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    pub value: Value,
    /// Formula text without the leading "=", when the cell holds a formula.
    pub formula: Option<String>,
}

/// A merged range, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
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
    pub name: String,
    #[serde(with = "cells_as_list")]
    pub cells: BTreeMap<(u32, u32), Cell>,
    pub merges: Vec<Merge>,
    /// The sheet had more cells than [`MAX_CELLS_PER_SHEET`]; the rest were not read.
    pub truncated: bool,
    /// Cells whose text was longer than [`MAX_CELL_CHARS`] and was cut.
    pub cut_cells: Vec<(u32, u32)>,
    /// Cells whose text was in a legacy Vietnamese encoding and was decoded to Unicode,
    /// with the text as it was stored.
    pub legacy: Vec<LegacyCell>,
}

/// A cell decoded from TCVN3 or VNI-Windows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegacyCell {
    pub row: u32,
    pub col: u32,
    pub encoding: Legacy,
    pub stored: String,
}

impl Sheet {
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
    pub format: Format,
    pub sheets: Vec<Sheet>,
}

/// Why a file is not read as a workbook; the text is for the user, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    /// Not a spreadsheet at all (lock file, PDF, image, empty file, folder...): skipped.
    NotAWorkbook(String),
    /// A spreadsheet that cannot be read (encrypted, corrupt, too large).
    Unreadable(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotAWorkbook(s) | ReadError::Unreadable(s) => f.write_str(s),
        }
    }
}

/// Read the workbook at `path`. The file is opened read-only and read once.
pub fn read(path: &Path) -> Result<Workbook, ReadError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ReadError::Unreadable(format!("không mở được tệp: {}", crate::io_error_vi(&e))))?;
    if meta.is_dir() {
        return Err(ReadError::NotAWorkbook("là thư mục, không phải tệp bảng tính".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::Unreadable(format!(
            "tệp quá lớn ({} MB, giới hạn {} MB)",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let bytes = std::fs::read(path)
        .map_err(|e| ReadError::Unreadable(format!("không đọc được tệp: {}", crate::io_error_vi(&e))))?;
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
        && let Some(exe) = ISOLATE.get()
    {
        return isolated::read(exe, name, bytes);
    }
    read_in_process(format, bytes)
}

/// The program that reads workbooks in a child process (`baocao __doc-workbook`).
static ISOLATE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Read xls, xlsb and ods through `exe __doc-workbook NAME` (stdin: the bytes;
/// stdout: the workbook as JSON), which must call [`serve_child`].
pub fn isolate_with(exe: std::path::PathBuf) {
    let _ = ISOLATE.set(exe);
}

/// Memory a child reader may map.
pub const CHILD_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Time a child reader may take.
pub const CHILD_SECONDS: u64 = 60;

/// The child side of [`isolate_with`]: read stdin as the workbook `name`, write the result.
pub fn serve_child(name: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes)?;
    let result = match sniff(name, &bytes) {
        Ok(format) => read_in_process(format, bytes),
        Err(e) => Err(e),
    };
    let json = serde_json::to_vec(&result).map_err(std::io::Error::other)?;
    std::io::stdout().write_all(&json)
}

mod isolated {
    use super::{CHILD_MEMORY_BYTES, CHILD_SECONDS, ReadError, Workbook};
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    pub fn read(exe: &std::path::Path, name: &str, bytes: Vec<u8>) -> Result<Workbook, ReadError> {
        let broke = |why: &str| ReadError::Unreadable(format!("tệp hỏng: {why}"));
        let mut cmd = Command::new(exe);
        cmd.arg("__doc-workbook").arg(name).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
        #[cfg(unix)]
        unsafe {
            use std::os::unix::process::CommandExt;
            // Only setrlimit between fork and exec: async-signal-safe.
            cmd.pre_exec(|| {
                let limit = libc::rlimit { rlim_cur: CHILD_MEMORY_BYTES as _, rlim_max: CHILD_MEMORY_BYTES as _ };
                libc::setrlimit(libc::RLIMIT_AS, &limit);
                Ok(())
            });
        }
        let mut child = cmd.spawn().map_err(|e| ReadError::Unreadable(format!("không chạy được trình đọc: {e}")))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        let mut stdout = child.stdout.take().expect("piped stdout");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            out
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if start.elapsed() < Duration::from_secs(CHILD_SECONDS) => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        match status {
            None => Err(broke(&format!("đọc quá {CHILD_SECONDS} giây, đã dừng"))),
            Some(s) if !s.success() => Err(broke(&format!(
                "trình đọc bảng tính dừng đột ngột (vượt giới hạn {} MB bộ nhớ hoặc cấu trúc tệp sai)",
                CHILD_MEMORY_BYTES / (1024 * 1024)
            ))),
            Some(_) => serde_json::from_slice::<Result<Workbook, ReadError>>(&out)
                .unwrap_or_else(|_| Err(broke("trình đọc trả kết quả không hợp lệ"))),
        }
    }
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

/// Decide the format from the first bytes (and, for a zip, refuse one that would
/// unpack past [`MAX_UNZIPPED_BYTES`]).
pub fn sniff(name: &str, bytes: &[u8]) -> Result<Format, ReadError> {
    sniff_opening(name, bytes).map(|(format, _)| format)
}

/// [`sniff`], and the zip package it opened to tell (for the formats that are one).
fn sniff_opening<'b>(name: &str, bytes: &'b [u8]) -> Result<(Format, Option<xlsx::Zip<'b>>), ReadError> {
    let not = |s: &str| Err(ReadError::NotAWorkbook(s.to_string()));
    if name.starts_with("~$") && bytes.len() < 1024 {
        return not("tệp khóa tạm của Excel (tạo ra khi một bảng tính đang mở), không phải bảng tính");
    }
    if bytes.is_empty() {
        return not("tệp rỗng (0 byte)");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            ReadError::Unreadable("tệp .xlsx bị hỏng hoặc tải về chưa hết (không mở được gói nén)".into())
        })?;
        check_unzipped_size(&mut zip)?;
        let has = |n: &str| zip.index_for_name(n).is_some();
        return if has("mimetype") && has("content.xml") {
            Ok((Format::Ods, Some(zip)))
        } else if has("xl/workbook.bin") {
            Ok((Format::Xlsb, Some(zip)))
        } else if has("xl/workbook.xml") {
            Ok((Format::Xlsx, Some(zip)))
        } else if has("word/document.xml") {
            not("tệp Word (.docx), không phải bảng tính")
        } else {
            not("tệp nén zip, không phải bảng tính")
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(ReadError::Unreadable("bảng tính có đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại".into()));
        }
        return Ok((Format::Xls, None));
    }
    if bytes.starts_with(b"%PDF") {
        return not("tệp PDF, không phải bảng tính");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"GIF8")
    {
        return not("tệp ảnh, không phải bảng tính");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head.trim_start_matches('\u{feff}').trim_start().starts_with('<') {
        return Err(ReadError::Unreadable(
            "tệp HTML/XML đặt tên như bảng tính (thường do phần mềm xuất ra); hãy mở bằng Excel và lưu lại dạng .xlsx"
                .into(),
        ));
    }
    not("không phải tệp bảng tính (không nhận ra định dạng)")
}

/// Refuse a zip whose parts would unpack past [`MAX_UNZIPPED_BYTES`], before any
/// parsing. The sizes come from the central directory, unpacking nothing: they may
/// lie, but the zip reader stops any part at its declared size with an error (which
/// the workbook reader then reports), so the declared total bounds what is unpacked.
fn check_unzipped_size(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ReadError> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        total = total.saturating_add(part.size());
        if total > MAX_UNZIPPED_BYTES {
            return Err(ReadError::Unreadable(format!(
                "gói nén giải ra hơn {} MB (giới hạn đọc), phần \"{}\" quá lớn; có thể là tệp \"bom nén\"",
                MAX_UNZIPPED_BYTES / (1024 * 1024),
                part.name().unwrap_or_default()
            )));
        }
    }
    Ok(())
}

/// calamine 0.38 reads only the long .xlsb cell records (BrtCellRk, BrtCellSt, ...) and
/// silently skips the short ones (BrtShortRk, BrtShortSt, ...: the same records without
/// the column, which is the previous cell's plus one) that SheetJS and Aspose write for
/// every cell after the first of a row; it also drops a formula cell whose cached value
/// is an error (BrtFmlaError). Rewrite the worksheets with long records so no cell is
/// lost. Anything unexpected leaves the bytes as they are, for calamine to judge.
fn xlsb_long_cell_records(bytes: Vec<u8>) -> Vec<u8> {
    xlsb_rewrite_sheets(&bytes).unwrap_or(bytes)
}

fn xlsb_rewrite_sheets(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::with_capacity(zip.len());
    let mut changed = false;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).ok()?;
        let name = part.name().ok()?.into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).ok()?;
        if name.starts_with("xl/worksheets/")
            && name.ends_with(".bin")
            && let Some(long) = xlsb_sheet_long_records(&data)
        {
            data = long;
            changed = true;
        }
        parts.push((name, data));
    }
    if !changed {
        return None;
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in &parts {
        out.start_file(name.as_str(), opts).ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// calamine 0.38 reserves room for every cell a .xls DIMENSIONS record claims, before
/// reading any cell: a crafted 16 KB file claiming billions of rows asks for hundreds of
/// GB, and a failed allocation aborts the whole run (it is not a panic that
/// [`read_bytes`] can catch; found by fuzzing). Clamp such records, in place, to what
/// BIFF allows (65,536 rows, 256 columns); claims within that are left alone. The scan
/// runs over the raw file, so a record split across two CFB sectors is not seen.
fn xls_clamp_dimensions(mut bytes: Vec<u8>) -> Vec<u8> {
    let u16_at = |b: &[u8], i: usize| u32::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let mut i = 0;
    while i + 16 <= bytes.len() {
        // Record type 0x0200 (DIMENSIONS), length 14 or 16 (BIFF8) or 10 (BIFF5).
        let wide = match bytes[i..i + 4] {
            [0x00, 0x02, 0x0E | 0x10, 0x00] => true,
            [0x00, 0x02, 0x0A, 0x00] => false,
            _ => {
                i += 1;
                continue;
            }
        };
        let (rf, rl, cols_at) = if wide {
            let u32_at = |k: usize| u32::from_le_bytes([bytes[k], bytes[k + 1], bytes[k + 2], bytes[k + 3]]);
            (u32_at(i + 4), u32_at(i + 8), i + 12)
        } else {
            (u16_at(&bytes, i + 4), u16_at(&bytes, i + 6), i + 8)
        };
        let (cf, cl) = (u16_at(&bytes, cols_at), u16_at(&bytes, cols_at + 2));
        // The cells calamine would reserve, computed as it does (u32, wrapping in release).
        let claimed = if rl >= 1 && cl >= 1 {
            let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
            let rows = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
            let cols = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
            rows.saturating_mul(cols)
        } else {
            1
        };
        // Only absurd claims are touched: other bytes that happen to look like the record
        // header are left as they are unless they would claim more than BIFF8 can hold.
        if claimed > 65_536 * 256 {
            let (rl, cl) = (rl.min(65_536), cl.min(256));
            if wide {
                bytes[i + 4..i + 8].copy_from_slice(&0u32.to_le_bytes());
                bytes[i + 8..i + 12].copy_from_slice(&rl.to_le_bytes());
            } else {
                bytes[i + 4..i + 6].copy_from_slice(&0u16.to_le_bytes());
                bytes[i + 6..i + 8].copy_from_slice(&(rl.min(65_535) as u16).to_le_bytes());
            }
            bytes[cols_at..cols_at + 2].copy_from_slice(&0u16.to_le_bytes());
            bytes[cols_at + 2..cols_at + 4].copy_from_slice(&(cl as u16).to_le_bytes());
        }
        i += 4;
    }
    bytes
}

/// One worksheet part with its short cell records made long; None when it has none
/// (or does not parse as BIFF12 records).
fn xlsb_sheet_long_records(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 2);
    let mut pos = 0;
    let mut next_col: u32 = 0;
    let mut changed = false;
    while pos < data.len() {
        let start = pos;
        // Record type: one or two bytes, 7 bits each, as calamine reads it.
        let b = *data.get(pos)?;
        pos += 1;
        let mut typ = u16::from(b & 0x7F);
        if b & 0x80 != 0 {
            typ |= u16::from(*data.get(pos)? & 0x7F) << 7;
            pos += 1;
        }
        // Record size: up to four bytes, 7 bits each.
        let mut len = 0usize;
        for i in 0..4 {
            let b = *data.get(pos)?;
            pos += 1;
            len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        let body = data.get(pos..pos.checked_add(len)?)?;
        pos += len;
        match typ {
            0x0000 => next_col = 0, // BrtRowHdr
            0x0001..=0x000B if body.len() >= 4 => {
                let col = u32::from_le_bytes(body[..4].try_into().ok()?);
                next_col = col.wrapping_add(1);
                if typ == 0x000B && body.len() >= 9 {
                    // BrtFmlaError: the value as a BrtCellError first, then the formula.
                    push_record(&mut out, 0x0003, &body[..9]);
                    changed = true;
                }
            }
            0x000C..=0x0012 => {
                // BrtShortBlank..BrtShortIsst -> BrtCellBlank..BrtCellIsst
                let mut long = Vec::with_capacity(body.len() + 4);
                long.extend_from_slice(&next_col.to_le_bytes());
                long.extend_from_slice(body);
                push_record(&mut out, typ - 0x000B, &long);
                next_col = next_col.wrapping_add(1);
                changed = true;
                continue;
            }
            _ => {}
        }
        out.extend_from_slice(&data[start..pos]);
    }
    changed.then_some(out)
}

fn push_record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8 & 0x7F);
    }
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(body);
}

/// Our own appendix, written into the inbox by an earlier run: its author is "baocao".
fn written_by_baocao(bytes: &[u8], zip: &mut xlsx::Zip) -> bool {
    let Ok(Some(xml)) = xlsx::part(bytes, zip, "docProps/core.xml") else { return false };
    xlsx::utf8(&xml).is_ok_and(|xml| xml.contains(&crate::own::creator_element()))
}

/// An .xlsx, by the single-pass reader; a file it does not expect is read by calamine.
/// The appendix baocao wrote (left in the inbox) is refused, not read as a unit's report.
fn read_xlsx(bytes: &[u8], zip: xlsx::Zip) -> Result<Workbook, ReadError> {
    let Ok(book) = xlsx::read_package(bytes, zip) else {
        refuse_own_appendix(bytes)?;
        return read_xlsx_with_calamine(bytes);
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

/// An .xlsx through calamine's streaming reader (merged ranges and, when a legacy
/// font is named, styles in further passes over each sheet).
fn read_xlsx_with_calamine(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let legacy_fonts = styles_name_legacy_fonts(bytes);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let names = wb.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut sheet = Sheet { name: crate::text::nfc(&name), ..Sheet::default() };
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| xlsx_error(&e))?;
        loop {
            let next = reader.next_cell_with_formula().map_err(|e| xlsx_error(&e))?;
            let Some(c) = next else { break };
            let value = from_ref(c.value);
            if is_cut(&value) {
                sheet.cut_cells.push(c.pos);
            }
            let formula = c.formula.filter(|f| !f.is_empty());
            if value == Value::Empty && formula.is_none() {
                continue;
            }
            if sheet.cells.len() >= MAX_CELLS_PER_SHEET {
                sheet.truncated = true;
                break;
            }
            sheet.cells.insert(c.pos, Cell { value, formula });
        }
        drop(reader);
        sheet.merges = wb.merge_cells_by_sheet_name(&name).map(to_merges).unwrap_or_default();
        drop_covered_cells(&mut sheet);
        // Font names tell legacy text for sure; only worth a second pass when the
        // workbook's styles name such a font at all.
        let fonts = if legacy_fonts { wb.worksheet_style(&name).ok() } else { None };
        decode_legacy(&mut sheet, |r, c| {
            let style = fonts.as_ref()?.get((r, c))?;
            style.font.as_ref()?.name.clone()
        });
        sheets.push(sheet);
    }
    Ok(Workbook { format: Format::Xlsx, sheets })
}

/// Formats calamine parses whole at open (xls, xlsb, ods); bounded by [`MAX_FILE_BYTES`].
fn read_other<R>(format: Format, bytes: Vec<u8>) -> Result<Workbook, ReadError>
where
    R: Reader<Cursor<Vec<u8>>> + MergesOf,
    R::Error: std::fmt::Display,
{
    let mut wb = R::new(Cursor::new(bytes)).map_err(|e| other_error(&e.to_string()))?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let mut sheet = Sheet { name: crate::text::nfc(&name), ..Sheet::default() };
        let range = wb.worksheet_range(&name).map_err(|e| other_error(&e.to_string()))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let value = from_data(v);
            if is_cut(&value) {
                sheet.cut_cells.push((r0 + r as u32, c0 + c as u32));
            }
            if value == Value::Empty {
                continue;
            }
            if sheet.cells.len() >= MAX_CELLS_PER_SHEET {
                sheet.truncated = true;
                break;
            }
            sheet.cells.insert((r0 + r as u32, c0 + c as u32), Cell { value, formula: None });
        }
        if let Ok(formulas) = wb.worksheet_formula(&name) {
            let (f0, g0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                if f.is_empty() {
                    continue;
                }
                let pos = (f0 + r as u32, g0 + c as u32);
                let len = sheet.cells.len();
                match sheet.cells.get_mut(&pos) {
                    Some(cell) => cell.formula = Some(f.clone()),
                    None if len < MAX_CELLS_PER_SHEET => {
                        sheet.cells.insert(pos, Cell { value: Value::Empty, formula: Some(f.clone()) });
                    }
                    None => sheet.truncated = true,
                }
            }
        }
        sheet.merges = wb.merges(&name);
        drop_covered_cells(&mut sheet);
        decode_legacy(&mut sheet, |_, _| None);
        sheets.push(sheet);
    }
    Ok(Workbook { format, sheets })
}

/// Only the top-left cell of a merged range is shown; the others may still hold old
/// values nobody sees (a number typed before the cells were merged). Such values are
/// dropped so they are never counted.
fn drop_covered_cells(sheet: &mut Sheet) {
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

/// Whether xl/styles.xml names a legacy Vietnamese font (".VnTime", "VNI-Times", ...).
fn styles_name_legacy_fonts(bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
    let Ok(file) = zip.by_name("xl/styles.xml") else { return false };
    let mut xml = String::new();
    if file.take(4 * 1024 * 1024).read_to_string(&mut xml).is_err() {
        return false;
    }
    xlsx::names_legacy_font(&xml)
}

/// Decode every text cell stored in TCVN3 or VNI-Windows: by its font when `font`
/// knows it, otherwise by character statistics.
fn decode_legacy(sheet: &mut Sheet, font: impl Fn(u32, u32) -> Option<String>) {
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

/// Merged ranges where the format has them.
trait MergesOf {
    fn merges(&mut self, _sheet: &str) -> Vec<Merge> {
        Vec::new()
    }
}
impl MergesOf for Xls<Cursor<Vec<u8>>> {
    fn merges(&mut self, sheet: &str) -> Vec<Merge> {
        self.merge_cells_by_sheet_name(sheet).map(to_merges).unwrap_or_default()
    }
}
impl MergesOf for Xlsb<Cursor<Vec<u8>>> {}
impl MergesOf for calamine::Ods<Cursor<Vec<u8>>> {}

fn to_merges(dims: Vec<calamine::Dimensions>) -> Vec<Merge> {
    dims.into_iter().map(|d| Merge::spanning(d.start, d.end)).collect()
}

/// A text cut to [`MAX_CELL_CHARS`] by [`text_value`].
fn is_cut(v: &Value) -> bool {
    matches!(v, Value::Text(t) if t.len() >= MAX_CELL_CHARS && t.chars().count() == MAX_CELL_CHARS)
}

fn text_value(s: &str) -> Value {
    if s.trim().is_empty() {
        return Value::Empty;
    }
    let t = crate::text::nfc_cow(s);
    if t.len() > MAX_CELL_CHARS && t.chars().count() > MAX_CELL_CHARS {
        return Value::Text(t.chars().take(MAX_CELL_CHARS).collect::<String>().into());
    }
    Value::Text(t.into())
}

fn from_ref(v: DataRef<'_>) -> Value {
    match v {
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::String(s) => text_value(&s),
        DataRef::SharedString(s) => text_value(s),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_value(&s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn from_data(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => text_value(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => text_value(s),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    other_error(&e.to_string())
}

fn other_error(msg: &str) -> ReadError {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ReadError::Unreadable("bảng tính có đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại".into())
    } else {
        ReadError::Unreadable(format!("tệp bảng tính bị hỏng, không đọc được ({msg})"))
    }
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
