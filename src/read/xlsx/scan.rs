//! A fast path for worksheet XML in the shape spreadsheet programs write it.
//!
//! Profiling a 2000-unit inbox showed most of the reading time in the general
//! XML parser going event by event through sheets that are nearly all
//! `<row r=".."><c r=".." s=".." t=".."><v>..</v></c>...</row>`. This scanner
//! reads that shape with byte searches (memchr) and gives exactly what
//! [`super::parse::sheet`] gives: the same elements matter (`row`, `c` with its `v` and
//! `f`, `mergeCell`, under any prefix), read by the same helpers.
//!
//! It never guesses. On anything outside the shape it returns `None` and the
//! general parser reads the sheet instead: a carriage return anywhere in the
//! part, an entity other than the five predefined ones (or any in an attribute
//! value it reads), a comment, CDATA or DOCTYPE, rich text, a cell child other
//! than `v`, `f` and `is`, an attribute written other than `name="value"` or
//! given twice, a tab or newline in an attribute value it reads, a tag left
//! open, or a value the shared helpers refuse. Unit tests hold the two to the
//! same result on hand-made cases and on every sample sheet.

use super::RawSheet;
use super::parse::{
    Position, SharedFormula, cell_pos, cell_value, keep, merge_range, note_hidden_row, shared_formula, unescape_excel,
};
use crate::read::cells::text_value;
use crate::read::{Sheet, Value};
use foldhash::{HashMap, HashMapExt};
use memchr::memchr;
use std::borrow::Cow;

/// Read one sheet's cells and merged ranges, or `None` when the part is not in
/// the plain shape (then [`super::parse::sheet`] must read it).
pub(super) fn sheet(xml: &str, strings: &[Value], want_styles: bool) -> Option<RawSheet> {
    let b = xml.as_bytes();
    if !plain_text(xml) {
        return None;
    }
    let mut raw = RawSheet { sheet: Sheet::default(), text_styles: HashMap::new() };
    let mut shared: HashMap<u32, SharedFormula> = HashMap::new();
    let mut at = Position::default();
    let (mut i, mut depth) = (0, Depth::default());
    while let Some(lt) = find(b, i, b'<') {
        let tag = tag(xml, lt)?;
        i = tag.next;
        depth.step(tag.kind)?;
        if !matches!(tag.kind, Kind::Start | Kind::Empty) {
            continue;
        }
        match local(tag.name) {
            "row" => {
                let [r, hidden] = attrs(tag.attrs, ["r", "hidden"])?;
                at.row = match r {
                    Some(r) => r.trim().parse::<u32>().ok()?.saturating_sub(1),
                    None if at.started => at.row + 1,
                    None => 0,
                };
                at.started = true;
                at.next_col = 0;
                note_hidden_row(&mut raw.sheet, at.row, hidden);
            }
            "c" => {
                let [r, kind, style] = attrs(tag.attrs, ["r", "t", "s"])?;
                let pos = match r {
                    Some(r) => cell_pos(r)?,
                    None => (at.row, at.next_col),
                };
                at.next_col = pos.1 + 1;
                if tag.kind == Kind::Start {
                    let style = style.and_then(|s| s.trim().parse().ok());
                    let (value, formula, next) = cell_body(xml, i, tag.name, kind, strings, &mut shared, pos)?;
                    // The cell's end tag closes its start.
                    depth.step(Kind::End)?;
                    i = next;
                    keep(&mut raw, pos, value, formula, style.filter(|_| want_styles));
                }
            }
            "mergeCell" => {
                if let [Some(r)] = attrs(tag.attrs, ["ref"])? {
                    raw.sheet.merges.push(merge_range(r).ok()?);
                }
            }
            _ => {}
        }
    }
    crate::read::cells::drop_covered_cells(&mut raw.sheet);
    Some(raw)
}

/// The shared-string table, or `None` when the part is not in the plain shape
/// (then [`super::parse::shared_strings`] must read it): each `<si>`'s `<t>` runs
/// outside phonetic guides, as [`super::parse::string_item`] reads them.
pub(super) fn shared_strings(xml: &str) -> Option<Vec<Value>> {
    if !plain_text(xml) {
        return None;
    }
    let mut strings = Vec::new();
    // This part is read with end tags checked against their start tags.
    let (mut i, mut open) = (0, Open::default());
    while let Some(lt) = find(xml.as_bytes(), i, b'<') {
        let tag = tag(xml, lt)?;
        i = tag.next;
        match (tag.kind, local(tag.name)) {
            (Kind::Start, "si") => {
                let (text, next) = string_item(xml, i, tag.name)?;
                i = next;
                strings.push(text_value(&text));
            }
            (Kind::Empty, "si") => strings.push(Value::Empty),
            _ => open.step(&tag)?,
        }
    }
    Some(strings)
}

/// No carriage return (which the general parser would turn into a line feed)
/// and no reference but the five predefined entities.
fn plain_text(xml: &str) -> bool {
    let b = xml.as_bytes();
    memchr(b'\r', b).is_none() && memchr::memchr_iter(b'&', b).all(|at| entity(&b[at..]).is_some())
}

/// The value and formula of a cell whose start tag ends before `i`, and where
/// its end tag ends.
fn cell_body(
    xml: &str,
    mut i: usize,
    name: &str,
    kind: Option<&str>,
    strings: &[Value],
    shared: &mut HashMap<u32, SharedFormula>,
    pos: (u32, u32),
) -> Option<(Value, Option<String>, usize)> {
    let (mut value, mut formula) = (Value::Empty, None);
    loop {
        let tag = tag(xml, find(xml.as_bytes(), i, b'<')?)?;
        i = tag.next;
        match tag.kind {
            Kind::End if tag.name == name => return Some((value, formula, i)),
            Kind::End => return None,
            Kind::Skip => {}
            Kind::Start | Kind::Empty => match local(tag.name) {
                "v" if tag.kind == Kind::Start => {
                    let (text, next) = text_to_end(xml, i, tag.name)?;
                    i = next;
                    value = cell_value(&text, kind, strings).ok()?;
                }
                "is" if tag.kind == Kind::Start => {
                    let (text, next) = string_item(xml, i, tag.name)?;
                    i = next;
                    value = text_value(&text);
                }
                // An empty <v/> leaves the cell empty, as in the general parser.
                "v" => {}
                "f" => {
                    let [t, si, has_ref] = attrs(tag.attrs, ["t", "si", "ref"])?;
                    let text = if tag.kind == Kind::Start {
                        let (text, next) = text_to_end(xml, i, tag.name)?;
                        i = next;
                        Some(text.into_owned())
                    } else {
                        None
                    };
                    formula = match t {
                        Some("shared") => shared_formula(si, has_ref.is_some(), text, shared, pos).ok()?,
                        _ => text,
                    };
                }
                _ => return None,
            },
        }
    }
}

/// The text of a string item (`<si>` or an inline `<is>`) whose start tag
/// (`name`) ends before `i`, as [`super::parse::string_item`] reads it: every `<t>`
/// outside a phonetic guide (`<rPh>`), trimmed unless `xml:space="preserve"`,
/// Excel's `_xHHHH_` escapes decoded, other elements (rich text runs and their
/// properties) passed over; and where its end tag ends.
fn string_item(xml: &str, mut i: usize, name: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut phonetic = false;
    let mut open = Open::default();
    loop {
        let tag = tag(xml, find(xml.as_bytes(), i, b'<')?)?;
        i = tag.next;
        // The general parser ends the item at the first end tag of its name,
        // whatever is open inside it: only an item whose tags all match is read here.
        if tag.kind == Kind::End && tag.name == name {
            return open.0.is_empty().then_some((out, i));
        }
        open.step(&tag)?;
        match (tag.kind, local(tag.name)) {
            (Kind::Start, "rPh") => phonetic = true,
            (Kind::End, "rPh") => phonetic = false,
            (Kind::Start, "t") if !phonetic => {
                let [space] = attrs(tag.attrs, ["xml:space"])?;
                let (text, next) = text_to_end(xml, i, tag.name)?;
                open.0.pop();
                i = next;
                let text = if space == Some("preserve") { &*text } else { text.trim_matches([' ', '\t', '\r', '\n']) };
                out.push_str(&unescape_excel(text));
            }
            _ => {}
        }
    }
}

/// The text from `i` up to the end tag of `name`, which must come next, its
/// entities resolved; and where that end tag ends.
fn text_to_end<'a>(xml: &'a str, i: usize, name: &str) -> Option<(Cow<'a, str>, usize)> {
    let lt = find(xml.as_bytes(), i, b'<')?;
    let tag = tag(xml, lt)?;
    if tag.kind != Kind::End || tag.name != name {
        return None;
    }
    let text = xml.get(i..lt)?;
    if !text.contains('&') {
        return Some((Cow::Borrowed(text), tag.next));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let (c, len) = entity(&rest.as_bytes()[amp..])?;
        out.push(c);
        rest = &rest[amp + len..];
    }
    out.push_str(rest);
    Some((Cow::Owned(out), tag.next))
}

/// The character of one of XML's five predefined entities at the start of `b`
/// ("&amp;"...), and the entity's length; `None` for any other reference (a
/// character reference, say), which is left to the general parser.
fn entity(b: &[u8]) -> Option<(char, usize)> {
    const ENTITIES: [(&[u8], char); 5] =
        [(b"&amp;", '&'), (b"&lt;", '<'), (b"&gt;", '>'), (b"&quot;", '"'), (b"&apos;", '\'')];
    ENTITIES.iter().find(|(name, _)| b.starts_with(name)).map(|(name, c)| (*c, name.len()))
}

/// How many elements are open. The general parser refuses an end tag when none
/// is (whatever its name: it does not match names here), so this scanner must too.
#[derive(Default)]
struct Depth(usize);

impl Depth {
    /// Count `kind` in; `None` for an end tag with nothing open.
    fn step(&mut self, kind: Kind) -> Option<()> {
        match kind {
            Kind::Start => self.0 += 1,
            Kind::End => self.0 = self.0.checked_sub(1)?,
            Kind::Empty | Kind::Skip => {}
        }
        Some(())
    }
}

/// The names of the open elements, where end tags must match their start tags
/// (as the general parser checks them in every part but the sheets).
#[derive(Default)]
struct Open<'a>(Vec<&'a str>);

impl<'a> Open<'a> {
    /// Count `tag` in; `None` for an end tag that does not close the last open element.
    fn step(&mut self, tag: &Tag<'a>) -> Option<()> {
        match tag.kind {
            Kind::Start => self.0.push(tag.name),
            Kind::End => (self.0.pop()? == tag.name).then_some(())?,
            Kind::Empty | Kind::Skip => {}
        }
        Some(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Start,
    Empty,
    End,
    /// A processing instruction (the XML declaration among them).
    Skip,
}

/// One tag: its kind, qualified name, the text of its attributes, and where it ends.
struct Tag<'a> {
    kind: Kind,
    name: &'a str,
    attrs: &'a str,
    next: usize,
}

/// The tag that starts at `lt` (a '<'); `None` for a comment, CDATA, DOCTYPE or
/// anything left open or oddly written.
fn tag(xml: &str, lt: usize) -> Option<Tag<'_>> {
    let b = xml.as_bytes();
    let from = lt + 1;
    match b.get(from)? {
        b'?' => {
            // As the general parser: the first '>' after a '?', which must not be
            // the opening one ("<?>" is refused).
            let gt = memchr::memchr_iter(b'>', &b[from..]).find(|&k| k > 0 && b[from + k - 1] == b'?')?;
            (gt > 1).then_some(Tag { kind: Kind::Skip, name: "", attrs: "", next: from + gt + 1 })
        }
        b'!' => None,
        b'/' => {
            let gt = find(b, from, b'>')?;
            let name = xml.get(from + 1..gt)?.trim_end_matches([' ', '\t', '\n', '\r']);
            // The general parser reads end tags quote-aware, as start tags: one
            // with a quote is left to it.
            if name.is_empty() || name.bytes().any(|c| is_space(c) || c == b'"' || c == b'\'') {
                return None;
            }
            Some(Tag { kind: Kind::End, name, attrs: "", next: gt + 1 })
        }
        _ => {
            // The closing '>' outside quoted attribute values; a '<' in the
            // tag is left to the general parser.
            let mut j = from;
            let gt = loop {
                let k = next_markup(b, j)?;
                match b[k] {
                    b'>' => break k,
                    b'<' => return None,
                    quote => {
                        let mut p = k + 1;
                        j = loop {
                            let m = next_markup(b, p)?;
                            match b[m] {
                                c if c == quote => break m + 1,
                                b'<' => return None,
                                _ => p = m + 1,
                            }
                        };
                    }
                }
            };
            let inner = xml.get(from..gt)?;
            let (inner, kind) = match inner.strip_suffix('/') {
                Some(inner) => (inner, Kind::Empty),
                None => (inner, Kind::Start),
            };
            let name_end = inner.bytes().position(is_space).unwrap_or(inner.len());
            let name = &inner[..name_end];
            if name.is_empty() {
                return None;
            }
            Some(Tag { kind, name, attrs: &inner[name_end..], next: gt + 1 })
        }
    }
}

/// The first `byte` at or after `from`: a plain loop over the next bytes, which
/// in sheet XML are usually few, then a SIMD search.
fn find(b: &[u8], from: usize, byte: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    let near = rest.len().min(32);
    match rest[..near].iter().position(|c| *c == byte) {
        Some(k) => Some(from + k),
        None => memchr(byte, &rest[near..]).map(|k| from + near + k),
    }
}

/// The first '>', '"', '\'' or '<' at or after `from`, eight bytes at a time (a
/// tag is a few dozen bytes: too short for a search call per quote to pay).
fn next_markup(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` equal to `c`; a false one can only follow
    // a true one, so the lowest is exact.
    let equal = |x: u64, c: u8| {
        let y = x ^ (ONES * u64::from(c));
        y.wrapping_sub(ONES) & !y & HIGHS
    };
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().ok()?);
        let found = equal(x, b'>') | equal(x, b'"') | equal(x, b'\'') | equal(x, b'<');
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|c| matches!(c, b'>' | b'"' | b'\'' | b'<')).map(|k| i + k)
}

/// XML white space.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// A qualified name without its prefix ("x:c" -> "c"), as quick-xml's `local_name`.
fn local(name: &str) -> &str {
    match name.bytes().position(|c| c == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// The values of the `wanted` attributes of a tag (`None` for one not there), or
/// `None` when the attributes are not all written `name="value"` (or with single
/// quotes) separated by white space, when a wanted one is given twice, or when a
/// wanted value holds a tab or newline (which the general parser would turn
/// into spaces).
fn attrs<'a, const N: usize>(text: &'a str, wanted: [&str; N]) -> Option<[Option<&'a str>; N]> {
    let mut values = [None; N];
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        if i == b.len() {
            return Some(values);
        }
        if i == start && start > 0 {
            return None;
        }
        let name_start = i;
        while *b.get(i)? != b'=' {
            if is_space(b[i]) || matches!(b[i], b'"' | b'\'' | b'<' | b'>' | b'/') {
                return None;
            }
            i += 1;
        }
        let name = text.get(name_start..i).filter(|n| !n.is_empty())?;
        let quote = *b.get(i + 1)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let from = i + 2;
        let close = from + b.get(from..)?.iter().position(|c| *c == quote)?;
        // Names are a letter or two: compared inline, not through a memcmp call.
        let same = |w: &&str| w.len() == name.len() && w.bytes().zip(name.bytes()).all(|(a, b)| a == b);
        if let Some(k) = wanted.iter().position(same) {
            let value = text.get(from..close)?;
            // The general parser reads some values raw and some with entities
            // resolved: a value with an entity is left to it.
            if values[k].is_some() || value.bytes().any(|c| matches!(c, b'\t' | b'\n' | b'&')) {
                return None;
            }
            values[k] = Some(value);
        }
        i = close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> Vec<Value> {
        vec![Value::Text("Tên".into()), Value::Text("x".into())]
    }

    /// The general parser's reading of `xml`, as text to compare.
    fn general(xml: &str) -> String {
        match super::super::sheet(xml, &strings(), true) {
            Ok(raw) => raw.comparable(),
            Err(e) => format!("error: {}", e.0),
        }
    }

    fn fast(xml: &str) -> Option<String> {
        sheet(xml, &strings(), true).map(RawSheet::comparable)
    }

    fn wrap(data: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#
        )
    }

    #[test]
    fn the_plain_shape_reads_as_the_general_parser_reads_it() {
        let cases = [
            r#"<row r="1" spans="1:3"><c r="A1" s="2" t="s"><v>0</v></c><c r="B1" s="2"/><c r="C1"><v>12.5</v></c></row>"#,
            r#"<row r="3"><c r="A3" t="str"><f>B3&amp;C3</f><v>ab</v></c></row>"#,
            r#"<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c></row>"#,
            r#"<row r="2"><c r="A2"><f t="shared" ref="A2:A4" si="0">B2*2</f><v>4</v></c></row><row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c></row>"#,
            r#"<x:row r="5"><x:c r="B5" t="s"><x:v>1</x:v></x:c></x:row>"#,
            r#"<row r='7'><c r='C7' s = "1"><v>3</v></c></row>"#,
            r#"<row r="8"><c r="A8" t="inlineStr"><is><t>chữ</t></is></c></row>"#,
            r#"<row r="9"><c r="A9"><v>1</v><extLst/></c></row>"#,
            r#"<row r="10"><c r="A10"><!-- note --><v>1</v></c></row>"#,
            r#"<row r="11"><c r="A11" r="B11"><v>1</v></c></row>"#,
            r#"<row r="12"><c r="A12"><v>1</v></row>"#,
            r#"<row r="13"><c r="A13" t="s"><v>7</v></c></row>"#,
            r#"<row r="14"><c r="A14"><v>abc</v></c><c r="B14" t="n"><v></v></c><c r="C14"><v/></c></row>"#,
            r#"<row r="x"><c r="A1"><v>1</v></c></row>"#,
            r#"<row r="15"><c r="ZZZZ15"><v>1</v></c></row>"#,
            "<row r=\"16\"><c r=\"A16\"><v>1\r\n2</v></c></row>",
            r#"<row r="17"><c r="A17" t="str"><v>a_x000D_b</v></c><c r="B17"><f>SUM(A1:A2)</f></c></row>"#,
            r#"<row r="18"><c r="A18" t="inlineStr"><is><t xml:space="preserve"> a &lt;b&gt; </t><t> c_x0041_ </t></is></c></row>"#,
            r#"<row r="19"><c r="A19"><f>IF(B19=0,&quot;-&quot;,1)</f><v>1</v></c><c r="B19" t="e"><v>#N/A</v></c></row>"#,
            r#"<row r="20"><c r="A20" t="inlineStr"><is><r><t>a</t></r></is></c></row>"#,
            r#"<row r="21"><c r="A21" t="str"><v>&#233;</v></c></row>"#,
            r#"<row r="22"><c r="A22" t="s&amp;"><v>0</v></c></row>"#,
            // One end tag too many (found by fuzzing): the general parser refuses the part.
            r#"</row><row r="23"><c r="A23"><v>1</v></c></row>"#,
            // An end tag with a quote, which the general parser reads quote-aware (found by fuzzing).
            r#"<row r="25"><c r="A25"><v>1</v></c></row></wop:x"><c r="A26"><v>2</v></c>"#,
            // A merged range written backwards (found by fuzzing: it panicked both parsers).
            r#"<row r="24"><c r="A24"><v>1</v></c><c r="B24"><v>2</v></c></row></sheetData><mergeCells><mergeCell ref="B25:A24"/></mergeCells><sheetData>"#,
            // Hidden rows, as "1" or "true".
            r#"<row r="8" hidden="1"><c r="A8"><v>1</v></c></row><row r="9" hidden="true"/><row r="10" hidden="0"/>"#,
        ];
        let mut fast_read = 0;
        for case in cases {
            let xml = wrap(case);
            if let Some(got) = fast(&xml) {
                assert_eq!(got, general(&xml), "{case}");
                fast_read += 1;
            }
        }
        // The plain cases are read here, not all handed on.
        assert!(fast_read >= 10, "only {fast_read} cases read by the scanner");
        assert!(fast(&wrap(cases[0])).is_some() && fast(&wrap(cases[4])).is_some());
        let backwards = sheet(&wrap(cases[24]), &strings(), false).expect("read");
        assert!(backwards.sheet.merges.contains(&crate::read::Merge {
            first_row: 23,
            first_col: 0,
            last_row: 24,
            last_col: 1
        }));
        assert!(backwards.sheet.get(23, 1).is_none(), "a value under a merge is dropped");
        let hidden = sheet(&wrap(cases[25]), &strings(), false).expect("scanned");
        assert_eq!(hidden.sheet.hidden_rows, [7, 8]);
        // And the odd ones are handed on.
        for odd in [5, 7, 8, 9, 10, 11, 13, 14, 15, 20, 21, 22, 23] {
            assert_eq!(fast(&wrap(cases[odd])), None, "{}", cases[odd]);
        }
    }

    #[test]
    fn shared_strings_read_as_the_general_parser_reads_them() {
        let sst = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6">
            <si><t>Tên đơn vị</t></si><si><t xml:space="preserve">  Tổng  </t></si><si/>
            <si><r><rPr><b/><sz val="12"/><rFont val="Times New Roman"/></rPr><t xml:space="preserve">Tổng </t></r><r><t>cộng</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></si>
            <si><t>A &amp; B &lt;1&gt; _x0041_</t></si><si><t>   </t></si></sst>"#;
        let fast = shared_strings(sst).expect("the plain shape");
        assert_eq!(fast, super::super::shared_strings(sst).unwrap());
        assert_eq!(fast[3], Value::Text("Tổng cộng".into()));
        for odd in [
            "<sst><si><t>&#233;</t></si></sst>",
            "<sst><si><t>a\r\nb</t></si></sst>",
            "<sst><si><t>a<!-- x --></t></si></sst>",
        ] {
            assert_eq!(shared_strings(odd), None, "{odd}");
        }
    }

    #[test]
    fn markup_is_found_as_a_byte_loop_finds_it() {
        let text = "ab\"cd'ef<gh>ij klmnopqrstuvwxyz0123456789>\u{1EA0}\u{1EA1}\"";
        let b = text.as_bytes();
        for from in 0..=b.len() {
            let slow = b[from..].iter().position(|c| matches!(c, b'>' | b'"' | b'\'' | b'<')).map(|k| from + k);
            assert_eq!(next_markup(b, from), slow, "from {from}");
        }
        // Every byte value next to every position in a word.
        for c in 0..=255u8 {
            for at in 0..8 {
                let mut w = [b'x'; 11];
                w[at] = c;
                let want = w.iter().position(|c| matches!(c, b'>' | b'"' | b'\'' | b'<'));
                assert_eq!(next_markup(&w, 0), want, "{c} at {at}");
            }
        }
    }

    #[test]
    fn tags_and_attributes() {
        let xml = r#"<a x="1>2" y='q"'/><b ></b ><?pi x?><c"#;
        let t = tag(xml, 0).unwrap();
        assert_eq!((t.kind, t.name, t.attrs), (Kind::Empty, "a", r#" x="1>2" y='q"'"#));
        assert_eq!(attrs(t.attrs, ["x", "y", "z"]), Some([Some("1>2"), Some("q\""), None]));
        let t = tag(xml, t.next).unwrap();
        assert_eq!((t.kind, t.name), (Kind::Start, "b"));
        let t = tag(xml, t.next).unwrap();
        assert_eq!((t.kind, t.name), (Kind::End, "b"));
        let t = tag(xml, t.next).unwrap();
        assert_eq!(t.kind, Kind::Skip);
        assert!(tag(xml, t.next).is_none(), "a tag left open");
        assert!(tag("<?>", 0).is_none(), "refused by the general parser");
        assert_eq!(tag("<??>", 0).map(|t| (t.kind, t.next)), Some((Kind::Skip, 4)));
        assert!(attrs(r#" a="1"b="2""#, ["a"]).is_none());
        assert!(attrs(r#" a=1"#, ["a"]).is_none());
        assert!(attrs(" a=\"1\n2\"", ["a"]).is_none());
        assert!(attrs(r#" a="1" a="2""#, ["a"]).is_none());
        // A tab in an attribute not read, or one given twice, is left to the general parser's rules too.
        assert_eq!(attrs(" b=\"1\t\" b=\"2\" a=\"3\"", ["a"]), Some([Some("3")]));
        assert_eq!(local("x:row"), "row");
    }
}
