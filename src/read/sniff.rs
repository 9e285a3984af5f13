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
            match odf_kind(&mut zip) {
                Some(other) => not(&format!("{other}, không phải bảng tính")),
                None => Ok((Format::Ods, Some(zip))),
            }
        } else if has("ppt/presentation.xml") {
            not("tệp PowerPoint (.pptx), không phải bảng tính")
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

/// What an OpenDocument package is when it is not a spreadsheet (its `mimetype`
/// part says), e.g. "tài liệu văn bản OpenDocument (.odt)"; None for a spreadsheet
/// or a mimetype that cannot be read (then the spreadsheet reader decides).
fn odf_kind(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<&'static str> {
    use std::io::Read;
    let mut mime = String::new();
    zip.by_name("mimetype").ok()?.take(200).read_to_string(&mut mime).ok()?;
    let kind = mime.trim().strip_prefix("application/vnd.oasis.opendocument.")?;
    let kind = kind.strip_suffix("-template").unwrap_or(kind);
    Some(match kind {
        "spreadsheet" => return None,
        "text" | "text-master" | "text-web" => "tài liệu văn bản OpenDocument (.odt)",
        "graphics" => "bản vẽ OpenDocument (.odg)",
        "presentation" => "bản trình chiếu OpenDocument (.odp)",
        "formula" => "công thức OpenDocument (.odf)",
        "chart" => "biểu đồ OpenDocument (.odc)",
        _ => "tệp OpenDocument không phải bảng tính",
    })
}

/// Refuse a zip whose parts would unpack past [`MAX_UNZIPPED_BYTES`], before any
/// parsing. The sizes come from the central directory, unpacking nothing: they may
/// lie, but the zip reader stops any part at its declared size with an error (which
/// the workbook reader then reports), so the declared total bounds what is unpacked.
///
/// Also refused: two parts whose names differ only in case ("xl/worksheets/sheet1.xml"
/// and ".../Sheet1.xml"). Part names are case-insensitive in the standard, so which
/// one is "the" sheet depends on the reader; the figures must not.
fn check_unzipped_size(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ReadError> {
    let mut total: u64 = 0;
    let mut names = std::collections::HashSet::with_capacity(zip.len());
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { continue };
        let name = part.name().unwrap_or_default().to_string();
        if !names.insert(name.to_lowercase()) {
            return Err(ReadError::Unreadable(format!(
                "gói nén có hai phần cùng tên \"{name}\" (chỉ khác chữ hoa, chữ thường): không biết phần nào là đúng; hãy mở bằng Excel, lưu lại rồi gửi lại"
            )));
        }
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

#[cfg(test)]
mod odf_tests {
    use super::*;
    use std::io::Write;

    fn odf(mime: &str) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(mime.as_bytes()).unwrap();
        z.start_file("content.xml", stored).unwrap();
        z.write_all(b"<office:document-content/>").unwrap();
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn two_parts_differing_only_in_case_are_refused() {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/Sheet1.xml"] {
            z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"<x/>").unwrap();
        }
        let bytes = z.finish().unwrap().into_inner();
        match sniff("x.xlsx", &bytes) {
            Err(ReadError::Unreadable(r)) => assert!(r.contains("Sheet1.xml") && r.contains("chữ hoa"), "{r}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_odt_or_odg_named_xlsx_is_said_to_be_one() {
        let said = |mime| match sniff("x.xlsx", &odf(mime)) {
            Err(ReadError::NotAWorkbook(r)) => r,
            other => panic!("{other:?}"),
        };
        assert!(said("application/vnd.oasis.opendocument.text").contains(".odt"));
        assert!(said("application/vnd.oasis.opendocument.graphics").contains(".odg"));
        assert_eq!(sniff("x.xlsx", &odf("application/vnd.oasis.opendocument.spreadsheet")).unwrap(), Format::Ods);
    }
}
