//! Final touches on the packed DOCX: deterministic paragraph ids, property
//! elements in schema order ([`super::schema`]), and a zip with fixed timestamps.
//!
//! docx-rs numbers paragraphs from a per-thread counter (so a second report in
//! the same thread would get other ids) and writes property children in an
//! order the schema does not allow, which strict readers may report as
//! damaged. Both are fixed here, byte-for-byte reproducibly.

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

/// What the package's core properties say of the document (Word's
/// File › Info: title, author, dates).
pub struct Meta {
    /// The report's summary line.
    pub title: String,
    /// The issuing body.
    pub creator: String,
    /// The document's date, as W3CDTF ("2024-07-12T00:00:00Z").
    pub date: String,
}

/// Parts docx-rs always writes, with what in `word/document.xml` would use them:
/// unused, they are dropped (docx-rs gives comments and numbering a content type
/// but no relationship, and footnotes neither).
const OPTIONAL_PARTS: [(&str, &str); 4] = [
    ("word/comments.xml", "<w:commentReference"),
    ("word/commentsExtended.xml", "<w:commentReference"),
    ("word/numbering.xml", "<w:numPr"),
    ("word/footnotes.xml", "<w:footnoteReference"),
];

/// The theme: docx-rs writes none, and Word expects one (fonts and colours a
/// style may refer to). Times New Roman, as the document.
const THEME: &str = include_str!("theme1.xml");
const THEME_PART: &str = "word/theme/theme1.xml";

/// Rewrite the package `bytes` (a DOCX written by docx-rs).
/// `header_rows` says, for each table of `word/document.xml` in order, how many of
/// its first rows are a header to repeat on every page (as the writer made it).
pub fn normalize(bytes: &[u8], header_rows: &[usize], meta: &Meta) -> Result<Vec<u8>, PackageError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut parts = Vec::with_capacity(archive.len() + 1);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        parts.push((name, data));
    }
    let document = parts.iter().find(|(n, _)| n == "word/document.xml").map(|(_, d)| d.clone()).unwrap_or_default();
    let document = String::from_utf8_lossy(&document);
    let unused: Vec<&str> =
        OPTIONAL_PARTS.iter().filter(|(_, used_by)| !document.contains(used_by)).map(|(part, _)| *part).collect();
    parts.retain(|(n, _)| !unused.contains(&n.as_str()));
    parts.push((THEME_PART.to_owned(), THEME.as_bytes().to_vec()));

    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Level 1, as for the XLSX: the report is small, and it is built beside the
    // appendix on a core the appendix's sheets are waiting for.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut next_id = 1u32;
    for (name, mut data) in parts {
        let is_xml = name.ends_with(".xml") || name.ends_with(".rels");
        if is_xml && name != THEME_PART {
            let mut xml = String::from_utf8(data)?;
            match name.as_str() {
                "[Content_Types].xml" => {
                    for part in &unused {
                        xml = drop_element(&xml, "<Override ", &format!("PartName=\"/{part}\""));
                    }
                    xml = insert_before(
                        &xml,
                        "</Types>",
                        &format!(
                            "<Override PartName=\"/{THEME_PART}\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\" />"
                        ),
                    );
                }
                "word/_rels/document.xml.rels" => {
                    for part in &unused {
                        let target = part.trim_start_matches("word/");
                        xml = drop_element(&xml, "<Relationship ", &format!("Target=\"{target}\""));
                    }
                    xml = insert_before(
                        &xml,
                        "</Relationships>",
                        "<Relationship Id=\"rIdTheme1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme\" Target=\"theme/theme1.xml\" />",
                    );
                }
                "docProps/core.xml" => xml = core_properties(meta),
                "word/styles.xml" => {
                    // Vietnamese, so Word checks the spelling in Vietnamese, not as English.
                    xml = insert_before(&xml, "</w:rPr></w:rPrDefault>", LANGUAGE);
                }
                "word/settings.xml" => {
                    xml = insert_before(&xml, "</w:settings>", "<w:themeFontLang w:val=\"vi-VN\" />");
                }
                _ => {}
            }
            if name.starts_with("word/") {
                xml = renumber_para_ids(&xml, &mut next_id);
                xml = super::schema::order(&xml);
                if name == "word/document.xml" {
                    xml = repeat_header_rows(&xml, header_rows);
                }
            }
            data = xml.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

/// The document's language, in the styles' run defaults.
const LANGUAGE: &str = "<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\" />";

/// `docProps/core.xml` for `meta` (docx-rs writes "unknown" as the author and has no title).
fn core_properties(meta: &Meta) -> String {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><cp:lastModifiedBy>{creator}</cp:lastModifiedBy>",
            "<dc:language>vi-VN</dc:language><cp:revision>1</cp:revision>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = esc(&meta.title),
        creator = esc(&meta.creator),
        date = esc(&meta.date),
    )
}

/// `xml` with `text` inserted before the first `anchor` (unchanged if there is none).
fn insert_before(xml: &str, anchor: &str, text: &str) -> String {
    match xml.find(anchor) {
        Some(at) => format!("{}{text}{}", &xml[..at], &xml[at..]),
        None => xml.to_owned(),
    }
}

/// `xml` without the self-closing elements starting with `open` that contain `needle`.
fn drop_element(xml: &str, open: &str, needle: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(open) {
        let Some(len) = rest[at..].find("/>") else { break };
        let element = &rest[at..at + len + 2];
        out.push_str(&rest[..at]);
        if !element.contains(needle) {
            out.push_str(element);
        }
        rest = &rest[at + len + 2..];
    }
    out.push_str(rest);
    out
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
