//! Later months made from the July samples, as the next inboxes will look: every
//! date of 2023 or later in the workbooks' text moved on by whole months (the
//! period, the as-of dates, the signing line "ngày 06 tháng 7 năm 2024"), the
//! file names' month ("T7" -> "T8"), and the numbers of the `.xlsx` files'
//! numeric cells multiplied, so a month's figures are not July's. Older dates
//! (a decision of 04/04/2022) stay as they are.
//!
//! The `.xls` file is edited in place byte for byte (its strings have lengths
//! in the records), so only same-length date changes are made there; its
//! numbers stay July's.

use regex::{Captures, Regex};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::LazyLock;

/// A last edit of one part of one workbook: (file name, part name, XML) -> XML.
pub type Edit<'a> = &'a dyn Fn(&str, &str, String) -> String;

/// How a later inbox is made.
#[derive(Clone, Copy)]
pub struct Later<'a> {
    /// Months after July 2024.
    pub months: i32,
    /// What numeric cells of `.xlsx` files are multiplied by.
    pub factor: f64,
    /// A last edit of one part of one workbook.
    pub edit: Option<Edit<'a>>,
}

impl Later<'_> {
    /// `months` later, figures multiplied by `factor`.
    pub fn new(months: i32, factor: f64) -> Later<'static> {
        Later { months, factor, edit: None }
    }
}

/// The July inbox moved on as `later` says, in a new temp folder.
pub fn inbox(later: Later) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(super::root().join(super::INBOX)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let lower = name.to_lowercase();
        let out = if lower.ends_with(".xlsx") && !name.starts_with("~$") {
            xlsx(&name, &bytes, later)
        } else if lower.ends_with(".xls") {
            xls(&bytes, later.months)
        } else if lower.ends_with(".md") {
            // July's notes are July's: a later month has its own or none.
            continue;
        } else {
            bytes
        };
        std::fs::write(dir.path().join(file_name(&name, later.months)), out).unwrap();
    }
    dir
}

/// The file's name with its month moved on: "BC DA06 T7 - Kinh Dinh" -> "… T8 …".
pub fn file_name(name: &str, months: i32) -> String {
    static MONTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(\bT|thang |tháng |_T)0?7([^0-9]|$)").unwrap());
    static DOTTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b07([.\-])2024").unwrap());
    let m = 7 + months;
    let name = MONTH.replace_all(name, |c: &Captures| format!("{}{m}{}", &c[1], &c[2]));
    DOTTED.replace_all(&name, |c: &Captures| format!("{m:02}{}2024", &c[1])).into_owned()
}

/// Every part of an `.xlsx` rewritten: dates moved on, numbers multiplied.
fn xlsx(name: &str, bytes: &[u8], later: Later) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let part = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if part.ends_with(".xml") {
            let mut text = String::from_utf8(data).unwrap();
            if part.starts_with("xl/sharedStrings") || part.starts_with("xl/worksheets/") {
                text = shift_dates(&text, later.months);
            }
            if part.starts_with("xl/worksheets/") && later.factor != 1.0 {
                text = scale_numbers(&text, later.factor);
            }
            if let Some(edit) = later.edit {
                text = edit(name, &part, text);
            }
            data = text.into_bytes();
        }
        out.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// "05/6/2024" -> "05/7/2024", "tháng 7 năm 2024" -> "tháng 8 năm 2024" (dates of
/// 2023 on only, so references to older documents stay).
pub fn shift_dates(text: &str, months: i32) -> String {
    static DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/(20[2-9]\d)\b").unwrap());
    static WORDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(tháng )(\d{1,2})( năm )(20[2-9]\d)").unwrap());
    let text = DATE.replace_all(text, |c: &Captures| {
        let (d, m, y): (i8, i8, i16) = (c[1].parse().unwrap(), c[2].parse().unwrap(), c[3].parse().unwrap());
        match moved(d, m, y, months) {
            Some((d2, m2, y2)) => format!("{}/{}/{y2}", pad(d2, c[1].len()), pad(m2, c[2].len())),
            None => c[0].to_string(),
        }
    });
    WORDS
        .replace_all(&text, |c: &Captures| {
            let (m, y): (i8, i16) = (c[2].parse().unwrap(), c[4].parse().unwrap());
            match moved(1, m, y, months) {
                Some((_, m2, y2)) => format!("{}{}{}{y2}", &c[1], pad(m2, c[2].len()), &c[3]),
                None => c[0].to_string(),
            }
        })
        .into_owned()
}

fn moved(d: i8, m: i8, y: i16, months: i32) -> Option<(i8, i8, i16)> {
    if y < 2023 {
        return None;
    }
    let date = jiff::civil::Date::new(y, m, d).ok()?;
    let later = date.checked_add(jiff::Span::new().months(months)).ok()?;
    Some((later.day(), later.month(), later.year()))
}

fn pad(n: i8, width: usize) -> String {
    format!("{n:0width$}")
}

/// Numeric cells' values (and formulas' cached results) multiplied by `factor`.
fn scale_numbers(xml: &str, factor: f64) -> String {
    static CELL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"<c ([^>]*)>((?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?)<v>([^<]*)</v>"#).unwrap());
    CELL.replace_all(xml, |c: &Captures| {
        let attrs = &c[1];
        let numeric = !attrs.contains(" t=\"") && !attrs.starts_with("t=\"") || attrs.contains("t=\"n\"");
        match (numeric, c[3].parse::<f64>()) {
            (true, Ok(v)) => format!("<c {attrs}>{}<v>{}</v>", &c[2], v * factor),
            _ => c[0].to_string(),
        }
    })
    .into_owned()
}

/// An `.xls` with its dates moved on where the text keeps its length, in both
/// of BIFF's string encodings (8-bit and UTF-16LE).
fn xls(bytes: &[u8], months: i32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for stride in [1, 2] {
        let mut i = 0;
        while i + 9 * stride <= out.len() {
            let text: Option<String> = (0..10)
                .map(|k| i + k * stride)
                .take_while(|&j| j < out.len())
                .map(|j| {
                    let ok = stride == 1 || out.get(j + 1) == Some(&0);
                    ok.then_some(out[j] as char)
                })
                .collect::<Option<String>>();
            if let Some(t) = text.filter(|t| t.starts_with(|c: char| c.is_ascii_digit())) {
                let shifted = shift_dates(&t, months);
                if shifted != t && shifted.len() == t.len() {
                    for (k, b) in shifted.bytes().enumerate() {
                        out[i + k * stride] = b;
                    }
                    i += t.len() * stride;
                    continue;
                }
            }
            i += 1;
        }
    }
    out
}

/// The text of a DOCX's document part, tags dropped.
pub fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<w:p[ >]").unwrap());
    let xml = TAG.replace_all(&xml, "\n$0");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

/// [`scale_numbers`], for the builder's own test.
pub fn scale_numbers_for_test(xml: &str, factor: f64) -> String {
    scale_numbers(xml, factor)
}

/// A month's notes file in `inbox`: every section the template asks for, one line
/// each, as a clerk writes them, so a run of a built month is not a draft for want
/// of narrative.
pub fn write_notes(inbox: &Path, month: &str) {
    let mut text = format!("Ghi chú báo cáo tháng {month}.\n");
    for (section, body) in [
        ("I. CÔNG TÁC CHỈ ĐẠO TRIỂN KHAI", "UBND thành phố tiếp tục chỉ đạo triển khai Đề án 06."),
        ("III. NHẬN XÉT ĐÁNH GIÁ", "- Các đơn vị báo cáo đầy đủ, đúng hạn."),
        ("IV. KIẾN NGHỊ, ĐỀ XUẤT", "- Không có."),
        ("V. PHƯƠNG HƯỚNG NHIỆM VỤ TRONG THỜI GIAN TỚI", "1. Tiếp tục thực hiện các nhiệm vụ của Đề án 06."),
    ] {
        text.push_str(&format!("\n# {section}\n\n{body}\n"));
    }
    std::fs::write(inbox.join("ghi-chu.md"), text).unwrap();
}
