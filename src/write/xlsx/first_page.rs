//! A post-pass over the saved workbook: no page number on an appendix's first
//! page, as Decree 30 numbers pages (I.7: "không hiển thị số trang thứ nhất").
//!
//! Written by hand because rust_xlsxwriter (0.102) has no "different first
//! page" header: the sheets it wrote with the appendix's page-number header
//! ([`APPENDIX_HEADER`]) get `differentFirst="1"` and no first-page header
//! (an empty one). Every other part is copied as it is, still compressed.

use super::XResult;
use super::style::APPENDIX_HEADER;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// `bytes` (a workbook rust_xlsxwriter saved) with no page number on the first
/// printed page of each of its first `sheets` sheets (the appendix's) numbered
/// with [`APPENDIX_HEADER`]. The others (the large "Nguồn" among them) are not
/// even read.
pub(super) fn hide_first_page_numbers(bytes: Vec<u8>, sheets: usize) -> XResult<Vec<u8>> {
    let names: Vec<String> = (1..=sheets).map(|i| format!("xl/worksheets/sheet{i}.xml")).collect();
    let escaped = APPENDIX_HEADER.replace('&', "&amp;");
    let plain = format!("<headerFooter><oddHeader>{escaped}</oddHeader>");
    let wanted = format!("<headerFooter differentFirst=\"1\"><oddHeader>{escaped}</oddHeader>");
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.to_string();
        let xml = if names.contains(&name) {
            let mut xml = String::new();
            entry.read_to_string(&mut xml)?;
            Some(xml).filter(|x| x.contains(&plain))
        } else {
            None
        };
        match xml {
            Some(xml) => {
                let options = SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .compression_level(Some(1))
                    .last_modified_time(entry.last_modified().unwrap_or_default());
                drop(entry);
                out.start_file(name, options)?;
                out.write_all(xml.replacen(&plain, &wanted, 1).as_bytes())?;
            }
            None => {
                drop(entry);
                out.raw_copy_file(archive.by_index_raw(i)?)?;
            }
        }
    }
    Ok(out.finish()?.into_inner())
}
