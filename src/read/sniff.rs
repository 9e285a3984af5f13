//! Telling a workbook's format from its first bytes, never from its extension,
//! and refusing what is not a spreadsheet (lock files, PDFs, images, HTML saved
//! as .xls) or a zip that would unpack past [`MAX_UNZIPPED_BYTES`] (a "zip bomb").

use super::{Format, MAX_UNZIPPED_BYTES, ReadError, xlsx};
use std::io::Cursor;

/// Decide the format from the first bytes (and, for a zip, refuse one that would
/// unpack past [`MAX_UNZIPPED_BYTES`]).
pub(crate) fn sniff(name: &str, bytes: &[u8]) -> Result<Format, ReadError> {
    sniff_opening(name, bytes).map(|(format, _)| format)
}

/// [`sniff`], and the zip package it opened to tell (for the formats that are one).
pub(super) fn sniff_opening<'b>(name: &str, bytes: &'b [u8]) -> Result<(Format, Option<xlsx::Zip<'b>>), ReadError> {
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
