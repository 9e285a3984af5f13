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
//! event by event; the scanner hands anything else to the quick-xml parser here.
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

mod scan;

use super::{Cell, MAX_CELLS_PER_SHEET, Merge, Sheet, Value, is_cut, text_value};
use foldhash::{HashMap, HashMapExt};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::borrow::Cow;
use std::io::Cursor;

/// Why the fast reader gave up on a file (the caller falls back to calamine).
#[derive(Debug)]
pub struct Unexpected(
    /// What was not expected; shown by the tests that hold the reader to calamine.
    #[allow(dead_code)]
    pub String,
);

pub type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;
type Result<T> = std::result::Result<T, Unexpected>;

fn unexpected(what: impl Into<String>) -> Unexpected {
    Unexpected(what.into())
}

impl From<quick_xml::Error> for Unexpected {
    fn from(e: quick_xml::Error) -> Self {
        Unexpected(format!("xml: {e}"))
    }
}

/// A sheet as read here, with the style of each text cell when the workbook
/// names a legacy font (for [`super::decode_legacy`]).
pub struct RawSheet {
    pub sheet: Sheet,
    pub text_styles: HashMap<(u32, u32), u32>,
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
pub struct RawBook {
    pub sheets: Vec<RawSheet>,
    pub style_fonts: Vec<Option<String>>,
}

/// Read every sheet of the .xlsx held in `bytes`, through its package `zip` (opened on them).
pub fn read_package<'b>(bytes: &'b [u8], zip: Zip<'b>) -> Result<RawBook> {
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
    for (name, rid) in sheet_list(utf8(&workbook)?)? {
        let rel = rels.iter().find(|r| r.id == rid).ok_or_else(|| unexpected(format!("no rel {rid}")))?;
        let xml = pkg.part(&rel.target)?.ok_or_else(|| unexpected(format!("no part {}", rel.target)))?;
        let (xml, want_styles) = (utf8(&xml)?, !style_fonts.is_empty());
        let mut raw = match scan::sheet(xml, &strings, want_styles) {
            Some(raw) => raw,
            None => sheet(xml, &strings, want_styles)?,
        };
        raw.sheet.name = crate::text::nfc(&name);
        sheets.push(raw);
    }
    Ok(RawBook { sheets, style_fonts })
}

/// Whether the byte scanner gives what the general parser gives on `xml`, read
/// both as a sheet (with a small shared-string table) and as a shared-string
/// table, whenever it reads it.
#[cfg(fuzzing)]
pub fn scanner_agrees(xml: &str) -> bool {
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

/// The zip package, its parts unpacked straight from the bytes in memory.
struct Package<'b> {
    bytes: &'b [u8],
    zip: Zip<'b>,
}

impl<'b> Package<'b> {
    #[cfg(test)]
    fn open(bytes: &'b [u8]) -> Result<Self> {
        let zip = Zip::new(Cursor::new(bytes)).map_err(|e| unexpected(format!("zip: {e}")))?;
        Ok(Package { bytes, zip })
    }

    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        part(self.bytes, &mut self.zip, name)
    }
}

/// The unpacked bytes of a part of the package `zip` opened on `bytes`; `None` when
/// there is no such part. Part names are case-insensitive in a package; the exact
/// name is tried first. A part unpacks to at most its declared size (which the
/// sniffer bounded) and must match its checksum.
pub fn part(bytes: &[u8], zip: &mut Zip, name: &str) -> Result<Option<Vec<u8>>> {
    let index = match zip.index_for_name(name) {
        Some(i) => i,
        None => match zip.file_names().flatten().position(|n| n.eq_ignore_ascii_case(name)) {
            Some(i) => i,
            None => return Ok(None),
        },
    };
    let bad = |what: &str| unexpected(format!("{name}: {what}"));
    let file = zip.by_index_raw(index).map_err(|e| bad(&e.to_string()))?;
    let (method, size, packed, crc) = (file.compression(), file.size(), file.compressed_size(), file.crc32());
    let start = file.data_start().ok_or_else(|| bad("no data offset"))?;
    drop(file);
    if size > super::MAX_UNZIPPED_BYTES {
        return Err(bad("too large"));
    }
    let data = usize::try_from(start)
        .ok()
        .zip(usize::try_from(packed).ok())
        .and_then(|(start, packed)| bytes.get(start..start.checked_add(packed)?))
        .ok_or_else(|| bad("data out of the file"))?;
    let out = match method {
        zip::CompressionMethod::Stored if data.len() as u64 == size => data.to_vec(),
        zip::CompressionMethod::Deflated => inflate(data, size as usize).map_err(|e| bad(&e))?,
        _ => return Err(bad("unsupported compression")),
    };
    if out.len() as u64 != size || crc32fast::hash(&out) != crc {
        return Err(bad("size or checksum differs"));
    }
    Ok(Some(out))
}

/// A part's bytes as text, validated with SIMD (simdutf8, already a dependency of
/// the dependencies): several times faster than the standard check on Vietnamese text.
pub fn utf8(bytes: &[u8]) -> Result<&str> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| unexpected("part is not UTF-8"))
}

thread_local! {
    /// One inflater per thread: setting one up costs more than unpacking a small part.
    /// libdeflate, because a part is unpacked whole into a buffer of its declared size,
    /// which is what it is made for: about twice as fast as a streaming inflater here
    /// (unpacking was a quarter of reading a province's inbox).
    static INFLATER: std::cell::RefCell<libdeflater::Decompressor> =
        std::cell::RefCell::new(libdeflater::Decompressor::new());
}

/// Inflate raw deflate `data`, which must unpack to at most `size` bytes.
fn inflate(data: &[u8], size: usize) -> std::result::Result<Vec<u8>, String> {
    let mut out = vec![0; size];
    let unpacked = INFLATER.with_borrow_mut(|inflater| inflater.deflate_decompress(data, &mut out));
    match unpacked {
        Ok(n) => {
            out.truncate(n);
            Ok(out)
        }
        Err(libdeflater::DecompressionError::InsufficientSpace) => Err("deflate stream longer than declared".into()),
        Err(libdeflater::DecompressionError::BadData) => Err("bad deflate stream".into()),
    }
}

// ---------------------------------------------------------------- workbook parts

struct Rel {
    id: String,
    kind: String,
    /// The part name, resolved against `xl/`.
    target: String,
}

fn relationships(xml: &str) -> Result<Vec<Rel>> {
    let mut reader = Reader::from_str(xml);
    let mut rels = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let [id, kind, target] = attrs(&e, ["Id", "Type", "Target"])?;
                if let (Some(id), Some(target)) = (id, target) {
                    let kind = kind.unwrap_or_default();
                    rels.push(Rel { id, kind, target: resolve_target(&target) });
                }
            }
            Event::Eof => return Ok(rels),
            _ => {}
        }
    }
}

/// "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml"; "/xl/x.xml" -> "xl/x.xml";
/// "../x.xml" -> "x.xml".
fn resolve_target(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

/// (name, relationship id) of every sheet, in workbook order.
fn sheet_list(xml: &str) -> Result<Vec<(String, String)>> {
    let mut reader = Reader::from_str(xml);
    let mut sheets = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                let name = attr(&e, "name")?.ok_or_else(|| unexpected("sheet without name"))?;
                let rid = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"id")
                    .map(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(Cow::into_owned))
                    .transpose()
                    .map_err(|e| unexpected(format!("sheet id: {e}")))?
                    .ok_or_else(|| unexpected("sheet without r:id"))?;
                sheets.push((name, rid));
            }
            Event::Eof => return Ok(sheets),
            _ => {}
        }
    }
}

/// The shared string table: `<si>` items, rich text runs joined, phonetic runs left
/// out, each already the cell value it gives (trimmed, NFC, cut to the cell limit),
/// since most are used by many cells.
fn shared_strings(xml: &str) -> Result<Vec<Value>> {
    let mut reader = Reader::from_str(xml);
    let mut strings = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                strings.push(text_value(&string_item(&mut reader, &e)?))
            }
            Event::Empty(e) if e.local_name().as_ref() == b"si" => strings.push(Value::Empty),
            Event::Eof => return Ok(strings),
            _ => {}
        }
    }
}

/// The text of a string item (`<si>` or `<is>`), up to its end tag: every `<t>`
/// outside `<rPh>`; a `<t>` without `xml:space="preserve"` loses its outer ASCII
/// whitespace, and `_xHHHH_` escapes are decoded, both as calamine does.
fn string_item(reader: &mut Reader<&[u8]>, start: &BytesStart) -> Result<String> {
    let mut out = String::new();
    let mut phonetic = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == b"rPh" => phonetic = true,
            Event::End(e) if e.local_name().as_ref() == b"rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == b"t" && !phonetic => {
                let preserve = attr(&e, "xml:space")?.is_some_and(|v| v == "preserve");
                let text = element_text(reader, &e)?;
                let text = if preserve { &*text } else { text.trim_matches([' ', '\t', '\r', '\n']) };
                out.push_str(&unescape_excel(text));
            }
            Event::End(e) if e.name() == start.name() => return Ok(out),
            Event::Eof => return Err(unexpected("string item not closed")),
            _ => {}
        }
    }
}

/// The text content of an element up to its end tag, entities resolved, line ends
/// normalised; borrowed from the XML in the common case of one plain text run.
fn element_text<'a>(reader: &mut Reader<&'a [u8]>, start: &BytesStart) -> Result<Cow<'a, str>> {
    let mut out: Option<Cow<'a, str>> = None;
    let mut append = |piece: Cow<'a, str>| match &mut out {
        None => out = Some(piece),
        Some(text) => text.to_mut().push_str(&piece),
    };
    loop {
        match reader.read_event()? {
            Event::Text(t) => append(t.xml10_content().map_err(|e| unexpected(format!("text: {e}")))?),
            Event::CData(t) => append(t.xml10_content().map_err(|e| unexpected(format!("text: {e}")))?),
            Event::GeneralRef(r) => {
                let mut s = String::new();
                push_entity(&r, &mut s)?;
                append(Cow::Owned(s));
            }
            Event::End(e) if e.name() == start.name() => return Ok(out.unwrap_or_default()),
            Event::Eof => return Err(unexpected("element not closed")),
            _ => {}
        }
    }
}

fn push_entity(r: &BytesRef, out: &mut String) -> Result<()> {
    let name = r.decode().map_err(|e| unexpected(format!("entity: {e}")))?;
    if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
        out.push_str(s);
        return Ok(());
    }
    match r.resolve_char_ref() {
        Ok(Some(c)) => {
            out.push(c);
            Ok(())
        }
        _ => Err(unexpected(format!("unknown entity &{name};"))),
    }
}

/// The values of the attributes named `names` (each its first occurrence), read in
/// one pass over the element's attributes; the pass stops once all are found, so it
/// meets the same malformed attribute [`attr`] would meet looking for each in turn.
fn attrs<const N: usize>(e: &BytesStart, names: [&str; N]) -> Result<[Option<String>; N]> {
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut missing = N;
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| unexpected(format!("{}: {e}", names.join("/"))))?;
        let Some(i) = names.iter().position(|n| a.key.as_ref() == n.as_bytes()) else { continue };
        if found[i].is_none() {
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0);
            found[i] = Some(value.map_err(|e| unexpected(format!("{}: {e}", names[i])))?.into_owned());
            missing -= 1;
            if missing == 0 {
                break;
            }
        }
    }
    Ok(found)
}

/// An attribute's unescaped value.
fn attr(e: &BytesStart, name: &str) -> Result<Option<String>> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|e| unexpected(format!("{name}: {e}"))),
        Ok(None) => Ok(None),
        Err(e) => Err(unexpected(format!("{name}: {e}"))),
    }
}

/// Decode Excel's `_xHHHH_` escapes (a UTF-16 unit each; `_x005F_` is a literal "_").
fn unescape_excel(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let unit_at = |i: usize| -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if &b[..2] != b"_x" || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(&s[i + 2..i + 6], 16).ok()
    };
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    while let Some(off) = s[i..].find("_x") {
        let at = i + off;
        let Some(unit) = unit_at(at) else {
            i = at + 2;
            continue;
        };
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00))
                }
                _ => None,
            },
            _ => char::from_u32(u32::from(unit)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        i = next;
        copied = next;
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

// ---------------------------------------------------------------- styles

/// Whether styles.xml names a legacy Vietnamese font (".VnTime", "VNI-Times", ...).
pub fn names_legacy_font(xml: &str) -> bool {
    xml.split("val=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .any(|v| crate::read::legacy::font_encoding(v).is_some())
}

/// The font name of each cell style (`cellXfs` index -> `fonts[fontId]` name).
fn style_fonts(xml: &str) -> Result<Vec<Option<String>>> {
    let mut reader = Reader::from_str(xml);
    let (mut fonts, mut xf_fonts): (Vec<Option<String>>, Vec<Option<usize>>) = (Vec::new(), Vec::new());
    let (mut in_fonts, mut in_xfs) = (false, false);
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == b"fonts" => in_fonts = true,
            Event::End(e) if e.local_name().as_ref() == b"fonts" => in_fonts = false,
            Event::Start(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = true,
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Event::Start(e) | Event::Empty(e) if in_fonts && e.local_name().as_ref() == b"font" => fonts.push(None),
            Event::Start(e) | Event::Empty(e) if in_fonts && e.local_name().as_ref() == b"name" => {
                if let Some(last) = fonts.last_mut() {
                    *last = attr(&e, "val")?;
                }
            }
            Event::Start(e) | Event::Empty(e) if in_xfs && e.local_name().as_ref() == b"xf" => {
                xf_fonts.push(attr(&e, "fontId")?.and_then(|v| v.parse().ok()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(xf_fonts.into_iter().map(|f| f.and_then(|i| fonts.get(i).cloned().flatten())).collect())
}

// ---------------------------------------------------------------- sheets

/// A shared formula's anchor: its text and top-left cell.
struct SharedFormula {
    text: String,
    origin: (u32, u32),
}

/// Where the sheet parser is.
#[derive(Default)]
struct Position {
    /// The row of the last `<row>` (zero-based) and the column after the last cell.
    row: u32,
    next_col: u32,
    started: bool,
}

/// Read one sheet's cells and merged ranges in one pass.
fn sheet(xml: &str, strings: &[Value], want_styles: bool) -> Result<RawSheet> {
    let mut reader = Reader::from_str(xml);
    // Elements are matched to their end by name here; the parser's own stack of
    // open names is not needed.
    reader.config_mut().check_end_names = false;
    let mut raw = RawSheet { sheet: Sheet::default(), text_styles: HashMap::new() };
    let mut shared: HashMap<u32, SharedFormula> = HashMap::new();
    let mut at = Position::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"row" => {
                at.row = match attr(&e, "r")? {
                    Some(r) => r.trim().parse::<u32>().map_err(|_| unexpected("bad row"))?.saturating_sub(1),
                    None if at.started => at.row + 1,
                    None => 0,
                };
                at.started = true;
                at.next_col = 0;
            }
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let CellAttrs { pos, kind, style } = cell_attrs(&e, &at)?;
                at.next_col = pos.1 + 1;
                let (value, formula) = cell_body(&mut reader, &e, kind.as_deref(), strings, &mut shared, pos)?;
                keep(&mut raw, pos, value, formula, style.filter(|_| want_styles));
            }
            Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                at.next_col = cell_attrs(&e, &at)?.pos.1 + 1;
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"mergeCell" => {
                if let Some(r) = attr(&e, "ref")? {
                    raw.sheet.merges.push(merge_range(&r)?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    super::drop_covered_cells(&mut raw.sheet);
    Ok(raw)
}

/// Store a cell read from the sheet (skipping empty ones), within the sheet's cap.
fn keep(raw: &mut RawSheet, pos: (u32, u32), value: Value, formula: Option<String>, style: Option<u32>) {
    let sheet = &mut raw.sheet;
    if sheet.truncated {
        return;
    }
    if is_cut(&value) {
        sheet.cut_cells.push(pos);
    }
    let formula = formula.filter(|f| !f.is_empty());
    if value == Value::Empty && formula.is_none() {
        return;
    }
    if sheet.cells.len() >= MAX_CELLS_PER_SHEET {
        sheet.truncated = true;
        return;
    }
    if let (Value::Text(_), Some(s)) = (&value, style) {
        raw.text_styles.insert(pos, s);
    }
    sheet.cells.insert(pos, Cell { value, formula });
}

/// The attributes of a `<c>` element.
struct CellAttrs<'e> {
    pos: (u32, u32),
    /// The `t` attribute: "s", "str", "b", "e", "n", "d", "inlineStr".
    kind: Option<Cow<'e, str>>,
    style: Option<u32>,
}

/// A cell's position (from `r`, else after the previous cell), type and style.
fn cell_attrs<'e>(e: &'e BytesStart, at: &Position) -> Result<CellAttrs<'e>> {
    let mut c = CellAttrs { pos: (at.row, at.next_col), kind: None, style: None };
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| unexpected(format!("cell attribute: {e}")))?;
        let value = utf8_cow(a.value)?;
        match a.key.as_ref() {
            b"r" => c.pos = cell_pos(&value).ok_or_else(|| unexpected(format!("bad cell ref {value}")))?,
            b"t" => c.kind = Some(value),
            b"s" => c.style = value.trim().parse().ok(),
            _ => {}
        }
    }
    Ok(c)
}

/// Raw attribute bytes as text, borrowed when they were.
fn utf8_cow(value: Cow<[u8]>) -> Result<Cow<str>> {
    match value {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed).map_err(|_| unexpected("attribute not UTF-8")),
        Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(|_| unexpected("attribute not UTF-8")),
    }
}

/// "B3" -> (2, 1), zero-based (row, column).
fn cell_pos(r: &str) -> Option<(u32, u32)> {
    let r = r.trim();
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 || letters == r.len() {
        return None;
    }
    let col = r[..letters].bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let row: u32 = r[letters..].parse().ok()?;
    (row >= 1 && col <= 16_384 && row <= 1_048_576).then(|| (row - 1, col - 1))
}

/// "A1:C2" (or "A1") as a merged range.
fn merge_range(r: &str) -> Result<Merge> {
    let bad = || unexpected(format!("bad merge {r}"));
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (first, last) = (cell_pos(a).ok_or_else(bad)?, cell_pos(b).ok_or_else(bad)?);
    Ok(Merge::spanning(first, last))
}

/// The value and formula inside a `<c>` element, up to its end tag.
fn cell_body(
    reader: &mut Reader<&[u8]>,
    start: &BytesStart,
    kind: Option<&str>,
    strings: &[Value],
    shared: &mut HashMap<u32, SharedFormula>,
    pos: (u32, u32),
) -> Result<(Value, Option<String>)> {
    let (mut value, mut formula) = (Value::Empty, None);
    loop {
        match reader.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == b"v" => {
                let text = element_text(reader, &e)?;
                value = cell_value(&text, kind, strings)?;
            }
            Event::Start(e) if e.local_name().as_ref() == b"is" => {
                value = text_value(&string_item(reader, &e)?);
            }
            Event::Start(e) if e.local_name().as_ref() == b"f" => {
                let text = element_text(reader, &e)?;
                formula = cell_formula(&e, Some(text.into_owned()), shared, pos)?;
            }
            Event::Empty(e) if e.local_name().as_ref() == b"f" => formula = cell_formula(&e, None, shared, pos)?,
            Event::End(e) if e.name() == start.name() => return Ok((value, formula)),
            Event::Eof => return Err(unexpected("cell not closed")),
            _ => {}
        }
    }
}

/// A `<v>` value by the cell's type.
fn cell_value(v: &str, kind: Option<&str>, strings: &[Value]) -> Result<Value> {
    Ok(match kind {
        Some("s") if v.is_empty() => Value::Empty,
        Some("s") => {
            let i: usize = v.parse().unwrap_or(0);
            strings.get(i).ok_or_else(|| unexpected("shared string index out of range"))?.clone()
        }
        Some("b") => match v.trim() {
            "" => Value::Empty,
            "0" => Value::Bool(false),
            "1" => Value::Bool(true),
            t if t.eq_ignore_ascii_case("false") => Value::Bool(false),
            t if t.eq_ignore_ascii_case("true") => Value::Bool(true),
            _ => return Err(unexpected("bad boolean")),
        },
        Some("d") => text_value(v),
        Some("e") => Value::Error(v.to_string()),
        Some("str") | Some("inlineStr") => text_value(&unescape_excel(v)),
        Some("n") | None if v.is_empty() => Value::Empty,
        Some("n") | None => match v.parse::<f64>() {
            Ok(n) => Value::Number(n),
            Err(_) if kind.is_none() => text_value(v),
            Err(_) => return Err(unexpected("bad number")),
        },
        Some(_) => return Err(unexpected("unknown cell type")),
    })
}

/// A cell's formula: its own text, or a shared formula's text moved to this cell.
fn cell_formula(
    e: &BytesStart,
    text: Option<String>,
    shared: &mut HashMap<u32, SharedFormula>,
    pos: (u32, u32),
) -> Result<Option<String>> {
    if attr(e, "t")?.as_deref() != Some("shared") {
        return Ok(text);
    }
    let si = attr(e, "si")?;
    let has_ref = attr(e, "ref")?.is_some();
    shared_formula(si.as_deref(), has_ref, text, shared, pos)
}

/// A shared formula's cell: the anchor (it has `ref`) records its text, the
/// others get the anchor's text moved to their place.
fn shared_formula(
    si: Option<&str>,
    has_ref: bool,
    text: Option<String>,
    shared: &mut HashMap<u32, SharedFormula>,
    pos: (u32, u32),
) -> Result<Option<String>> {
    let si: u32 = si.and_then(|s| s.trim().parse().ok()).ok_or_else(|| unexpected("shared without si"))?;
    if has_ref {
        let text = text.unwrap_or_default();
        shared.insert(si, SharedFormula { text: text.clone(), origin: pos });
        return Ok(Some(text));
    }
    match shared.get(&si) {
        Some(f) => calamine::expand_shared_formula(&f.text, f.origin, pos)
            .map(Some)
            .map_err(|e| unexpected(format!("shared formula: {e}"))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let json = |s: &[Sheet]| serde_json::to_string_pretty(s).unwrap();
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
            <x:sheet name="DVC &amp; Số hóa" sheetId="1" r:id="rId7"/><x:sheet name="Trống" sheetId="2" r:id="rId8"/>
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
            <row r="3"><c r="A3"><v>1.5</v></c><c r="B3" t="n"><v>-20</v></c><c r="C3"><v>12a</v></c>
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
