//! The general parser of the .xlsx parts, quick-xml event by event: the
//! workbook's sheet list and relationships, the shared strings, the styles (only
//! when a legacy font is named) and every sheet the byte scanner in `scan` hands on.

use super::{RawSheet, Result, unexpected};
use crate::read::cells::{drop_covered_cells, is_cut, text_value};
use crate::read::{Cell, MAX_CELLS_PER_SHEET, Merge, Sheet, Value};
use foldhash::{HashMap, HashMapExt};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::borrow::Cow;

// ---------------------------------------------------------------- workbook parts

/// One relationship of the workbook part.
pub(super) struct Rel {
    /// Its id (`rId7`), as sheets name it.
    pub(super) id: String,
    /// Its type, a URI ending in `/worksheet`, `/sharedStrings`, ...
    pub(super) kind: String,
    /// The part name, resolved against `xl/`.
    pub(super) target: String,
}

/// The relationships in a `.rels` part.
pub(super) fn relationships(xml: &str) -> Result<Vec<Rel>> {
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
pub(super) fn resolve_target(target: &str) -> String {
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

/// (name, relationship id, hidden) of every sheet, in workbook order; a sheet is
/// hidden when its `state` is "hidden" or "veryHidden".
pub(super) fn sheet_list(xml: &str) -> Result<Vec<(String, String, bool)>> {
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
                let hidden = matches!(attr(&e, "state")?.as_deref(), Some("hidden" | "veryHidden"));
                sheets.push((name, rid, hidden));
            }
            Event::Eof => return Ok(sheets),
            _ => {}
        }
    }
}

/// The shared string table: `<si>` items, rich text runs joined, phonetic runs left
/// out, each already the cell value it gives (trimmed, NFC, cut to the cell limit),
/// since most are used by many cells.
pub(super) fn shared_strings(xml: &str) -> Result<Vec<Value>> {
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
pub(super) fn unescape_excel(s: &str) -> Cow<'_, str> {
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
pub(crate) fn names_legacy_font(xml: &str) -> bool {
    xml.split("val=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .any(|v| crate::read::legacy::font_encoding(v).is_some())
}

/// The font name of each cell style (`cellXfs` index -> `fonts[fontId]` name).
pub(super) fn style_fonts(xml: &str) -> Result<Vec<Option<String>>> {
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
pub(super) struct SharedFormula {
    text: String,
    origin: (u32, u32),
}

/// Where the sheet parser is.
#[derive(Default)]
pub(super) struct Position {
    /// The row of the last `<row>` (zero-based) and the column after the last cell.
    pub(super) row: u32,
    pub(super) next_col: u32,
    /// Whether a `<row>` has been met.
    pub(super) started: bool,
}

/// Read one sheet's cells and merged ranges in one pass.
pub(super) fn sheet(xml: &str, strings: &[Value], want_styles: bool) -> Result<RawSheet> {
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
                let [r, hidden] = attrs(&e, ["r", "hidden"])?;
                at.row = match r {
                    Some(r) => r.trim().parse::<u32>().map_err(|_| unexpected("bad row"))?.saturating_sub(1),
                    None if at.started => at.row + 1,
                    None => 0,
                };
                at.started = true;
                at.next_col = 0;
                note_hidden_row(&mut raw.sheet, at.row, hidden.as_deref());
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
    drop_covered_cells(&mut raw.sheet);
    Ok(raw)
}

/// Count row `row` among the sheet's hidden rows when its `hidden` attribute says so
/// (an xsd:boolean: "1" or "true").
pub(super) fn note_hidden_row(sheet: &mut Sheet, row: u32, hidden: Option<&str>) {
    if matches!(hidden.map(str::trim), Some("1" | "true")) && sheet.hidden_rows.last().is_none_or(|&last| last < row) {
        sheet.hidden_rows.push(row);
    }
}

/// Store a cell read from the sheet (skipping empty ones), within the sheet's cap.
pub(super) fn keep(raw: &mut RawSheet, pos: (u32, u32), value: Value, formula: Option<String>, style: Option<u32>) {
    let sheet = &mut raw.sheet;
    if sheet.truncated {
        return;
    }
    if is_cut(&value) {
        sheet.cut_cells.push(pos);
    }
    let formula = formula.filter(|f| !f.is_empty());
    if value == Value::Empty && formula.is_none() {
        sheet.far_blanks.note(pos);
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
pub(super) fn cell_pos(r: &str) -> Option<(u32, u32)> {
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
pub(super) fn merge_range(r: &str) -> Result<Merge> {
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
                value = cell_value(&text, kind, strings).map_err(|e| match e.1 {
                    Some(why) => super::corrupt(format!("{why} (ô {})", crate::text::cell_ref(pos.0, pos.1))),
                    None => e,
                })?;
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
pub(super) fn cell_value(v: &str, kind: Option<&str>, strings: &[Value]) -> Result<Value> {
    Ok(match kind {
        Some("s") if v.is_empty() => Value::Empty,
        Some("s") => {
            // "x12" or "-1" is no index: never string 0 (a label read as another one).
            let Ok(i) = v.trim().parse::<usize>() else {
                return Err(super::corrupt(format!(
                    "ô trỏ tới chuỗi dùng chung số \"{v}\", không phải số thứ tự hợp lệ"
                )));
            };
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
pub(super) fn shared_formula(
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
