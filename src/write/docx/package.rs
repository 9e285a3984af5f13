//! Final touches on the packed DOCX: deterministic paragraph ids, section
//! properties in schema order, and a zip with fixed timestamps.
//!
//! docx-rs numbers paragraphs from a per-thread counter (so a second report in
//! the same thread would get other ids) and writes `w:sectPr` children in an
//! order the schema does not allow (`w:pgSz` before `w:headerReference`), which
//! strict readers may report as damaged. Both are fixed here, byte-for-byte
//! reproducibly.

use std::io::{Cursor, Read, Write};

/// The package docx-rs wrote could not be rewritten.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// A zip error.
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    /// A read or write of the in-memory package.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A part that should be UTF-8 XML is not.
    #[error("{0}")]
    Utf8(#[from] std::string::FromUtf8Error),
}
use zip::write::SimpleFileOptions;

/// Rewrite the package `bytes` (a DOCX written by docx-rs).
/// `header_rows` says, for each table of `word/document.xml` in order, how many of
/// its first rows are a header to repeat on every page (as the writer made it).
pub fn normalize(bytes: &[u8], header_rows: &[usize]) -> Result<Vec<u8>, PackageError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Level 1, as for the XLSX: the report is small, and it is built beside the
    // appendix on a core the appendix's sheets are waiting for.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut next_id = 1u32;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.to_string();
        if entry.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        if name.starts_with("word/") && name.ends_with(".xml") {
            let mut xml = String::from_utf8(data)?;
            xml = renumber_para_ids(&xml, &mut next_id);
            if name == "word/document.xml" {
                xml = order_section_properties(&xml);
                xml = repeat_header_rows(&xml, header_rows);
            }
            data = xml.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Replace every `w14:paraId="…"` with a sequential id, continuing from `next`.
fn renumber_para_ids(xml: &str, next: &mut u32) -> String {
    const KEY: &str = "w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(pos) = rest.find(KEY) {
        let start = pos + KEY.len();
        let Some(len) = rest[start..].find('"') else { break };
        out.push_str(&rest[..start]);
        out.push_str(&format!("{:08X}", *next));
        *next += 1;
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Rank of a `w:sectPr` child in the order of CT_SectPr.
fn rank(tag: &str) -> usize {
    const ORDER: [&str; 20] = [
        "w:headerReference",
        "w:footerReference",
        "w:footnotePr",
        "w:endnotePr",
        "w:type",
        "w:pgSz",
        "w:pgMar",
        "w:paperSrc",
        "w:pgBorders",
        "w:lnNumType",
        "w:pgNumType",
        "w:cols",
        "w:formProt",
        "w:vAlign",
        "w:noEndnote",
        "w:titlePg",
        "w:textDirection",
        "w:bidi",
        "w:rtlGutter",
        "w:docGrid",
    ];
    let tag = if tag == "w:footerReference" { "w:headerReference" } else { tag };
    ORDER.iter().position(|t| *t == tag).unwrap_or(ORDER.len())
}

/// Sort the (self-closing) children of every `<w:sectPr>` into schema order.
fn order_section_properties(xml: &str) -> String {
    const OPEN: &str = "<w:sectPr>";
    const CLOSE: &str = "</w:sectPr>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(pos) = rest.find(OPEN) {
        let inner_start = pos + OPEN.len();
        let Some(len) = rest[inner_start..].find(CLOSE) else { break };
        let inner = &rest[inner_start..inner_start + len];
        out.push_str(&rest[..inner_start]);
        match self_closing_children(inner) {
            Some(mut children) => {
                children.sort_by_key(|c| rank(tag_name(c)));
                out.push_str(&children.concat());
            }
            None => out.push_str(inner),
        }
        rest = &rest[inner_start + len..];
    }
    out.push_str(rest);
    out
}

/// Split `<a .../><b .../>` into its elements; None if any child is not self-closing.
fn self_closing_children(inner: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if !rest.starts_with('<') {
            return None;
        }
        let end = rest.find('>')? + 1;
        let element = &rest[..end];
        if !element.ends_with("/>") {
            return None;
        }
        out.push(element);
        rest = rest[end..].trim_start();
    }
    Some(out)
}

/// "w:pgSz" of `<w:pgSz w:w="…" />`.
fn tag_name(element: &str) -> &str {
    element[1..].split(|c: char| c.is_whitespace() || c == '/' || c == '>').next().unwrap_or("")
}

/// docx-rs cannot mark a table's header rows to repeat on each page (`w:tblHeader`).
/// Mark the first `header_rows[i]` rows of the document's `i`-th table, as the
/// writer says it made them, so a table running onto a second page repeats its
/// header. Tables are not nested in this document.
fn repeat_header_rows(xml: &str, header_rows: &[usize]) -> String {
    const ROW: &str = "<w:tr><w:trPr>";
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    let mut index = 0;
    while let Some(start) = rest.find("<w:tbl>") {
        let end = rest[start..].find("</w:tbl>").map_or(rest.len(), |e| start + e);
        let (before, table) = (&rest[..start], &rest[start..end]);
        out.push_str(before);
        let want = header_rows.get(index).copied().unwrap_or(0);
        index += 1;
        let mut marked = 0;
        let mut t = table;
        while marked < want
            && let Some(at) = t.find(ROW)
        {
            out.push_str(&t[..at + ROW.len()]);
            out.push_str("<w:tblHeader />");
            t = &t[at + ROW.len()..];
            marked += 1;
        }
        out.push_str(t);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_children_follow_the_schema() {
        let x =
            r#"<w:sectPr><w:pgSz w:w="1" /><w:cols w:num="1" /><w:headerReference r:id="a" /><w:titlePg /></w:sectPr>"#;
        assert_eq!(
            order_section_properties(x),
            r#"<w:sectPr><w:headerReference r:id="a" /><w:pgSz w:w="1" /><w:cols w:num="1" /><w:titlePg /></w:sectPr>"#
        );
    }

    #[test]
    fn header_rows_are_marked_as_the_writer_says() {
        let row = "<w:tr><w:trPr></w:trPr></w:tr>";
        let table = format!("<w:tbl>{row}{row}{row}</w:tbl>");
        let xml = format!("{table}{table}");
        let marked = repeat_header_rows(&xml, &[0, 1]);
        assert_eq!(marked.matches("<w:tblHeader />").count(), 1);
        assert!(marked.starts_with(&table), "the first table has no header rows");
        assert!(repeat_header_rows(&xml, &[2, 2]).matches("<w:tblHeader />").count() == 4);
    }

    #[test]
    fn para_ids_are_sequential() {
        let mut n = 1;
        let x = renumber_para_ids(r#"<w:p w14:paraId="00000abc"><w:p w14:paraId="ffff0001">"#, &mut n);
        assert_eq!(x, r#"<w:p w14:paraId="00000001"><w:p w14:paraId="00000002">"#);
    }
}
