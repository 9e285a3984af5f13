//! A single-pass reader for .xlsx/.xlsm sheets.
//!
//! calamine streams a sheet's cells but gives its merged ranges only by parsing
//! the sheet a second time, and it parses the whole style table at open to tell
//! dates from numbers (baocao wants the serial number either way). On a
//! province-sized inbox those two costs were a third of the reading time, so the
//! common case is read here: each part is unpacked once and parsed once, cells
//! and merged ranges in the same pass, styles only when a legacy Vietnamese font
//! is named. Sheets and shared strings in the plain shape spreadsheet programs
//! write are read by a byte scanner ([`scan`]), several times faster than going
//! event by event; the scanner hands anything else to the quick-xml parser.
//! quick-xml 0.41 (the one docx-rs already brings) rather than calamine's 0.42:
//! 0.42 checks the UTF-8 of every tag again, which was 5% of reading; here each
//! part is checked once, and only the texts and attribute values used are decoded.
//!
//! The reader follows calamine 0.38 cell for cell (shared strings, inline and
//! rich text, `_xHHHH_` escapes, shared formulas through
//! [`calamine::expand_shared_formula`], booleans, errors, text in number cells);
//! a unit test holds it to calamine on every sample and fixture workbook. Anything
//! it does not expect (a part missing, a malformed reference, bad XML) is an
//! [`Unexpected`], and the caller then reads the file with calamine instead, so an
//! odd file is never worse off than before.
//!
//! The zip package is unpacked in `package`, the parts are parsed in `parse`
//! (quick-xml), and the plain sheets and shared strings scanned in [`scan`].

mod package;
mod parse;
mod scan;

pub(crate) use package::{Zip, part, utf8};
pub(crate) use parse::names_legacy_font;

use super::Sheet;
#[cfg(any(test, fuzzing))]
use super::Value;
use foldhash::HashMap;
use package::Package;
use parse::{relationships, shared_strings, sheet, sheet_list, style_fonts};

/// Why the fast reader gave up on a file: the caller falls back to calamine,
/// unless the file is certainly broken in a way calamine reads leniently (then
/// `corrupt` says why, in Vietnamese, and the file is unreadable).
#[derive(Debug)]
pub(crate) struct Unexpected(
    /// What was not expected; shown by the tests that hold the reader to calamine.
    #[allow(dead_code)]
    pub(crate) String,
    /// The file is broken: why, for the user.
    pub(crate) Option<String>,
);

type Result<T> = std::result::Result<T, Unexpected>;

fn unexpected(what: impl Into<String>) -> Unexpected {
    Unexpected(what.into(), None)
}

/// A file broken in a way no reader should guess around; `why` is for the user.
fn corrupt(why: String) -> Unexpected {
    Unexpected(why.clone(), Some(why))
}

impl From<quick_xml::Error> for Unexpected {
    fn from(e: quick_xml::Error) -> Self {
        Unexpected(format!("xml: {e}"), None)
    }
}

/// A sheet as read here, with the style of each text cell when the workbook
/// names a legacy font (for [`crate::read::cells::decode_legacy`]).
pub(super) struct RawSheet {
    /// The sheet's cells and merged ranges.
    pub(super) sheet: Sheet,
    /// The style index of each text cell (only when a legacy font is named).
    pub(super) text_styles: HashMap<(u32, u32), u32>,
}

#[cfg(any(test, fuzzing))]
impl RawSheet {
    /// Everything read, as text to compare two readings by (styles in cell order).
    fn comparable(self) -> String {
        let mut styles: Vec<_> = self.text_styles.into_iter().collect();
        styles.sort();
        format!("{:?}", (self.sheet, styles))
    }
}

/// Every sheet of the workbook, in workbook order, and the font name of each
/// cell style when the styles name a legacy Vietnamese font (else empty).
pub(super) struct RawBook {
    /// The sheets, in workbook order.
    pub(super) sheets: Vec<RawSheet>,
    /// The font name of each cell style, by style index.
    pub(super) style_fonts: Vec<Option<String>>,
}

/// Read every sheet of the .xlsx held in `bytes`, through its package `zip` (opened on them).
pub(super) fn read_package<'b>(bytes: &'b [u8], zip: Zip<'b>) -> Result<RawBook> {
    let mut pkg = Package { bytes, zip };
    let workbook = pkg.part("xl/workbook.xml")?.ok_or_else(|| unexpected("no xl/workbook.xml"))?;
    let rels = pkg.part("xl/_rels/workbook.xml.rels")?.ok_or_else(|| unexpected("no workbook rels"))?;
    let rels = relationships(utf8(&rels)?)?;
    let strings = match rels.iter().find(|r| r.kind.ends_with("/sharedStrings")) {
        Some(r) => pkg.part(&r.target)?,
        None => pkg.part("xl/sharedStrings.xml")?,
    };
    let strings = match strings {
        Some(xml) => {
            let xml = utf8(&xml)?;
            match scan::shared_strings(xml) {
                Some(strings) => strings,
                None => shared_strings(xml)?,
            }
        }
        None => Vec::new(),
    };
    let style_fonts = match pkg.part("xl/styles.xml")? {
        Some(xml) => match utf8(&xml)? {
            xml if names_legacy_font(xml) => style_fonts(xml)?,
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let mut sheets = Vec::new();
    for (name, rid, hidden) in sheet_list(utf8(&workbook)?)? {
        let rel = rels.iter().find(|r| r.id == rid).ok_or_else(|| unexpected(format!("no rel {rid}")))?;
        let xml = pkg.part(&rel.target)?.ok_or_else(|| unexpected(format!("no part {}", rel.target)))?;
        let (xml, want_styles) = (utf8(&xml)?, !style_fonts.is_empty());
        let mut raw = match scan::sheet(xml, &strings, want_styles) {
            Some(raw) => raw,
            None => sheet(xml, &strings, want_styles).map_err(|e| match e.1 {
                Some(why) => corrupt(format!("trang tính \"{}\": {why}", crate::text::nfc(&name))),
                None => e,
            })?,
        };
        raw.sheet.name = crate::text::nfc(&name);
        raw.sheet.hidden = hidden;
        sheets.push(raw);
    }
    Ok(RawBook { sheets, style_fonts })
}

/// Whether the byte scanner gives what the general parser gives on `xml`, read
/// both as a sheet (with a small shared-string table) and as a shared-string
/// table, whenever it reads it.
#[cfg(fuzzing)]
pub(super) fn scanner_agrees(xml: &str) -> bool {
    let strings = [Value::Text("a".into()), Value::Text(" b ".into()), Value::Number(1.0)];
    let sheet_agrees = match scan::sheet(xml, &strings, true) {
        None => true,
        Some(fast) => sheet(xml, &strings, true).is_ok_and(|general| general.comparable() == fast.comparable()),
    };
    let strings_agree = match scan::shared_strings(xml) {
        None => true,
        Some(fast) => shared_strings(xml).is_ok_and(|general| general == fast),
    };
    sheet_agrees && strings_agree
}

#[cfg(test)]
mod tests {
    use super::*;
    use parse::{cell_pos, resolve_target, unescape_excel};
    use std::io::Cursor;

    /// [`read_package`] of the package in `bytes`.
    fn read(bytes: &[u8]) -> Result<RawBook> {
        read_package(bytes, Package::open(bytes)?.zip)
    }

    #[test]
    fn excel_escapes_are_decoded() {
        assert_eq!(unescape_excel("a_x000D_b"), "a\rb");
        assert_eq!(unescape_excel("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_excel("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_excel("_xZZZZ_ và _x12"), "_xZZZZ_ và _x12");
    }

    #[test]
    fn references_and_targets() {
        assert_eq!(cell_pos("A1"), Some((0, 0)));
        assert_eq!(cell_pos("AB12"), Some((11, 27)));
        assert_eq!(cell_pos("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_pos("XFE1"), None);
        assert_eq!(cell_pos("A0"), None);
        assert_eq!(cell_pos("12"), None);
        assert_eq!(resolve_target("worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve_target("../customXml/item1.xml"), "customXml/item1.xml");
    }

    /// Both readers on one package: the single-pass reader must read it, and give
    /// exactly what calamine gives.
    fn assert_same_as_calamine(what: &str, bytes: &[u8]) {
        let fast = read(bytes).unwrap_or_else(|e| panic!("{what}: the single-pass reader gave up: {}", e.0));
        let fast = super::super::decoded_sheets(fast);
        let slow = super::super::read_xlsx_with_calamine(bytes).expect("calamine reads it");
        // `far_blanks` is a hint for the stray-cell warning, not content: calamine also
        // yields valueless styled cells as blanks, our reader only blank values.
        // calamine does not expose rows' hidden flags: `hidden_rows` is ours alone.
        let json = |s: &[Sheet]| {
            let s: Vec<Sheet> = s
                .iter()
                .cloned()
                .map(|s| Sheet { far_blanks: Default::default(), hidden_rows: Vec::new(), ..s })
                .collect();
            serde_json::to_string_pretty(&s).unwrap()
        };
        assert_eq!(json(&fast), json(&slow.sheets), "{what}");
    }

    /// Every .xlsx (by content) under samples/ and tests/fixtures/, with its bytes.
    fn sample_xlsx_files() -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("samples"), root.join("tests/fixtures")];
        let mut found = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if super::super::sniff(&name, &bytes).ok() == Some(super::super::Format::Xlsx) {
                    found.push((path, bytes));
                }
            }
        }
        found
    }

    #[test]
    fn every_sample_and_fixture_xlsx_reads_as_calamine_reads_it() {
        let files = sample_xlsx_files();
        for (path, bytes) in &files {
            assert_same_as_calamine(&path.display().to_string(), bytes);
        }
        assert!(files.len() >= 20, "only {} xlsx files found", files.len());
    }

    /// Every sheet and shared-string table of every sample and fixture .xlsx: the
    /// byte scanner gives what the general parser gives whenever it reads one, and
    /// it reads the ordinary ones (the sample workbooks as units keep them).
    #[test]
    fn the_scanner_reads_every_sample_sheet_as_the_general_parser() {
        let (mut scanned, mut handed_on) = (0, Vec::new());
        for (path, bytes) in sample_xlsx_files() {
            let mut pkg = Package::open(&bytes).unwrap();
            let parts: Vec<String> = pkg
                .zip
                .file_names()
                .flatten()
                .filter(|n| n.starts_with("xl/worksheets/sheet"))
                .map(String::from)
                .collect();
            let strings = match pkg.part("xl/sharedStrings.xml").unwrap() {
                Some(xml) => {
                    let (xml, what) = (utf8(&xml).unwrap(), path.display());
                    let general = shared_strings(xml).unwrap();
                    match scan::shared_strings(xml) {
                        Some(fast) => assert_eq!(fast, general, "{what} shared strings"),
                        None => handed_on.push(format!("{what} shared strings")),
                    }
                    general
                }
                None => Vec::new(),
            };
            for part in parts {
                let xml = pkg.part(&part).unwrap().unwrap();
                let xml = utf8(&xml).unwrap();
                let what = format!("{} {part}", path.display());
                match scan::sheet(xml, &strings, true) {
                    Some(fast) => {
                        let general = sheet(xml, &strings, true).unwrap_or_else(|e| panic!("{what}: {}", e.0));
                        assert_eq!(fast.comparable(), general.comparable(), "{what}");
                        scanned += 1;
                    }
                    None => handed_on.push(what),
                }
            }
        }
        assert!(scanned >= 60, "only {scanned} sheets scanned; handed on: {handed_on:#?}");
        let july_handed_on: Vec<&String> = handed_on.iter().filter(|w| w.contains("inbox-2024-07")).collect();
        assert!(july_handed_on.is_empty(), "July sheets not scanned: {july_handed_on:#?}");
    }

    /// A package from (part name, XML) pairs.
    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let root = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        );
        for (name, xml) in [("_rels/.rels", root.as_str())].iter().chain(parts) {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    #[test]
    fn the_constructs_other_writers_use_read_as_calamine_reads_them() {
        let workbook = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{MAIN}" xmlns:r="{RELS}"><x:sheets>
            <x:sheet name="DVC &amp; Số hóa" sheetId="1" r:id="rId7"/><x:sheet name="Trống" sheetId="2" state="hidden" r:id="rId8"/>
            </x:sheets></x:workbook>"#
        );
        let rels = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId7" Type="{RELS}/worksheet" Target="/xl/worksheets/data.xml"/>
            <Relationship Id="rId8" Type="{RELS}/worksheet" Target="worksheets/empty.xml"/>
            <Relationship Id="rId9" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
        );
        let strings = format!(
            r#"<sst xmlns="{MAIN}"><si><t>Phường  Phủ Hà</t></si>
            <si><r><rPr><b/></rPr><t xml:space="preserve">Tổng </t></r><r><t>cộng</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>
            <si><t>Dòng_x000D_mới &amp; &#x110;&#273;</t></si><si/><si><t xml:space="preserve">  cách  </t></si>
            <si><t>_x005F_x000D_ và _xD83D__xDCF7_</t></si></sst>"#
        );
        let sheet = format!(
            r#"<worksheet xmlns="{MAIN}"><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c t="s"><v>2</v></c></row>
            <row r="3" hidden="1"><c r="A3"><v>1.5</v></c><c r="B3" t="n"><v>-20</v></c><c r="C3"><v>12a</v></c>
              <c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" t="str"><f>A3&amp;"x"</f><v>1.5x</v></c>
              <c r="G3" t="inlineStr"><is><r><t>Nội </t></r><r><t>tuyến</t></r></is></c><c r="H3" t="d"><v>2024-07-05T00:00:00</v></c></row>
            <row r="4"><c r="A4"><f t="shared" ref="A4:C4" si="0">SUM(A$1:A3)+$B3</f><v>3</v></c>
              <c r="B4"><f t="shared" si="0"/><v>4</v></c><c r="C4"><f t="shared" si="0"/></c><c r="D4"><f>1/0</f></c>
              <c r="E4" s="1"/><c r="F4" t="s"><v>3</v></c><c r="G4" t="s"><v>4</v></c><c r="H4" t="s"><v>5</v></c></row>
            <row><c><v>7</v></c><c><v>8</v></c></row>
            <row r="9"><c r="A9" t="s"><v>0</v></c><c r="B9"><v>99</v></c><c r="C9"><v>5</v></c></row>
            </sheetData><mergeCells count="2"><mergeCell ref="A9:B9"/><mergeCell ref="C1"/></mergeCells></worksheet>"#
        );
        let empty = format!(r#"<worksheet xmlns="{MAIN}"><sheetData/></worksheet>"#);
        let bytes = package(&[
            ("xl/workbook.xml", &workbook),
            ("xl/_rels/workbook.xml.rels", &rels),
            ("xl/sharedStrings.xml", &strings),
            ("xl/worksheets/data.xml", &sheet),
            ("xl/worksheets/empty.xml", &empty),
        ]);
        assert_same_as_calamine("handmade package", &bytes);
        // And what the reader gives is what was written.
        let book = read(&bytes).unwrap();
        let sheet = &book.sheets[0].sheet;
        assert_eq!(sheet.name, "DVC & Số hóa");
        assert_eq!(sheet.text(0, 2), Some("Tổng cộng"));
        assert_eq!(sheet.text(0, 3), Some("Dòng\rmới & Đđ"));
        assert_eq!(sheet.get(3, 1).unwrap().formula.as_deref(), Some("SUM(B$1:B3)+$B3"));
        assert_eq!(sheet.get(4, 1).unwrap().value, Value::Number(8.0));
        assert_eq!(sheet.get(8, 1), None, "a value under a merged cell is dropped");
        assert_eq!((sheet.hidden, book.sheets[1].sheet.hidden), (false, true));
        assert_eq!(sheet.hidden_rows, [2]);
    }

    #[test]
    fn a_legacy_font_in_the_styles_decodes_by_style() {
        let workbook = format!(
            r#"<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        );
        let rels = format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
        );
        let styles = format!(
            r#"<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><name val=".VnTime"/></font></fonts>
            <cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>"#
        );
        let sheet = format!(
            r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>Ph­êng</t></is></c><c r="B1" t="inlineStr"><is><t>Ph­êng</t></is></c></row></sheetData></worksheet>"#
        );
        let bytes = package(&[
            ("xl/workbook.xml", &workbook),
            ("xl/_rels/workbook.xml.rels", &rels),
            ("xl/styles.xml", &styles),
            ("xl/worksheets/sheet1.xml", &sheet),
        ]);
        assert_same_as_calamine("legacy font", &bytes);
        let book = read(&bytes).unwrap();
        assert_eq!(book.style_fonts, [Some("Calibri".to_string()), Some(".VnTime".to_string())]);
        assert_eq!(book.sheets[0].text_styles.get(&(0, 0)), Some(&1));
    }
}
