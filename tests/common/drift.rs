//! The drift corpus: the July sample workbooks, read once, changed the ways real
//! offices' workbooks drift (headers renamed, reordered, abbreviated; labels
//! annotated or spread over two cells; sub-total rows; group header rows; extra,
//! stale (visible or hidden) and split sheets; hidden rows; merged value cells;
//! periods in date cells and other forms; numbers typed oddly, some certain and
//! some not; notes and instructions naming other units; rows and columns moved), several
//! at a time, by a seeded generator; and the property every changed inbox must
//! keep: each consolidated figure is July's, or a unit it needs is reported
//! incomplete (or not counted) with an error — never another number in silence.
//!
//! Workbooks are changed in memory, after reading (`read::Workbook`, plain
//! cells and merged ranges), and run through the engine with
//! `engine::run_workbooks`: a case costs an extraction, not a file read, so
//! hundreds run in seconds. What the reader itself does with odd packages is
//! the other tests' business (tests/formats_and_hostile.rs).
// Every mutation has one signature, a `Vec` of files, since one of them
// (`split_file`) adds a file.
#![allow(clippy::ptr_arg)]

use baocao::config::Config;
use baocao::model::{Report, Severity, UnitStatus};
use baocao::read::{Cell, Merge, Sheet, Value, Workbook};
use baocao::text::{Key, fold};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// SplitMix64: a small seeded generator whose sequence is fixed by this code,
/// so a failing case's seed names the same inbox on every machine and with
/// every crate version (`rand`'s `StdRng` does not promise that).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// The July inbox's workbooks, read once per test binary, by file name.
pub fn july() -> &'static [(String, Workbook)] {
    static JULY: OnceLock<Vec<(String, Workbook)>> = OnceLock::new();
    JULY.get_or_init(|| {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(super::root().join(super::INBOX)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if let Ok(wb) = baocao::read::read(&path) {
                out.push((name, wb));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    })
}

/// One inbox of the corpus: its workbooks and what was done to them.
pub struct Case {
    pub seed: u64,
    pub files: Vec<(String, Workbook)>,
    pub changes: Vec<String>,
}

/// The kinds of drift, each a function that changes one workbook of the inbox
/// (or adds one) and says what it did, or None when it does not apply there.
pub type Mutation = fn(&Config, &mut Vec<(String, Workbook)>, usize, &mut Rng) -> Option<String>;

/// Every kind, in a fixed order: a seed names an inbox through this order, so a
/// new kind goes at the end (and seeds found before it are run on the kinds
/// before it: [`case_with`]).
pub const MUTATIONS: [(&str, Mutation); 28] = [
    ("rename_header", rename_header),
    ("swap_columns", swap_columns),
    ("annotate_label", annotate_label),
    ("delete_row", delete_row),
    ("subtotal_row", subtotal_row),
    ("sheet_before", sheet_before),
    ("stale_copy", stale_copy),
    ("split_file", split_file),
    ("merged_value", merged_value),
    ("date_period", date_period),
    ("odd_number", odd_number),
    ("reorder_rows", reorder_rows),
    ("rename_sheet", rename_sheet),
    ("rows_on_top", rows_on_top),
    ("column_on_left", column_on_left),
    ("header_variant", header_variant),
    ("header_two_rows", header_two_rows),
    ("header_merged_down", header_merged_down),
    ("hidden_stale_copy", hidden_stale_copy),
    ("hidden_rows", hidden_rows),
    ("label_two_cells", label_two_cells),
    ("header_group_above", header_group_above),
    ("period_form", period_form),
    ("odd_number_more", odd_number_more),
    ("not_a_number", not_a_number),
    ("ratio_as_text", ratio_as_text),
    ("note_naming_unit", note_naming_unit),
    ("instructions_naming_police", instructions_naming_police),
];

/// The inbox of `seed`: one to three workbooks changed, each one to three ways.
pub fn case(cfg: &Config, seed: u64) -> Case {
    case_with(cfg, seed, &MUTATIONS)
}

/// [`case`], drawing the changes from `kinds` only.
pub fn case_with(cfg: &Config, seed: u64, kinds: &[(&str, Mutation)]) -> Case {
    let mut rng = Rng::new(seed);
    let mut files: Vec<(String, Workbook)> = july().to_vec();
    let mut changes = Vec::new();
    let workbooks = 1 + rng.below(3);
    for _ in 0..workbooks {
        let candidates: Vec<usize> = (0..files.len()).filter(|&i| !files[i].0.starts_with("~$")).collect();
        let file = *rng.pick(&candidates).unwrap();
        let times = 1 + rng.below(3);
        let mut done = 0;
        for _ in 0..times * 4 {
            if done == times {
                break;
            }
            let (name, m) = kinds[rng.below(kinds.len())];
            let file_name = files[file].0.clone();
            if let Some(what) = m(cfg, &mut files, file, &mut rng) {
                changes.push(format!("{file_name}: {name}: {what}"));
                done += 1;
            }
        }
    }
    Case { seed, files, changes }
}

/// How an inbox of the corpus came out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Every consolidated figure is July's.
    pub right: bool,
    /// Units reported incomplete (some figures missing, the rest counted).
    pub incomplete: usize,
    /// Units not counted at all (conflict, wrong period, unreadable, not found).
    pub not_counted: usize,
}

/// The property: every consolidated figure of `report` is July's, or the
/// figure says which incomplete units it lacks, or a unit is not counted at
/// all; and every unit that is not reported complete has an error. The
/// figures of a unit reported complete are exactly its July figures, and an
/// incomplete unit's found figures are July's too, its missing ones listed.
/// Err says what was quietly wrong.
pub fn check(report: &Report, expected: &Json) -> Result<Outcome, String> {
    let mut problems = Vec::new();
    let mut outcome = Outcome { right: true, ..Outcome::default() };
    for u in &report.units {
        let july: BTreeMap<&str, f64> = expected["units"][&u.name]["figures"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.as_f64().unwrap())).collect())
            .unwrap_or_default();
        let mut now: BTreeMap<&str, f64> = BTreeMap::new();
        for f in &u.figures {
            *now.entry(&f.id).or_default() += f.value;
        }
        let has_error = report.findings.iter().any(|f| {
            f.severity == Severity::Error
                && (f.unit.as_deref() == Some(&u.name) || u.files.iter().any(|n| **n == *f.location.file))
        });
        match u.status {
            UnitStatus::Counted => {
                for (id, v) in &july {
                    match now.get(id) {
                        Some(n) if n == v => {}
                        // A figure of 0 read from a blank cell is the same figure.
                        None if *v == 0.0 => {}
                        other => problems.push(format!("{} (đủ số liệu): {id} = {other:?}, tháng 7 là {v}", u.name)),
                    }
                }
                for (id, n) in &now {
                    if !july.contains_key(id) && *n != 0.0 {
                        problems.push(format!("{} (đủ số liệu): {id} = {n}, tháng 7 không có", u.name));
                    }
                }
            }
            UnitStatus::Incomplete => {
                outcome.incomplete += 1;
                if !has_error {
                    problems.push(format!("{}: thiếu số liệu mà không có lỗi", u.name));
                }
                for (id, n) in &now {
                    if july.get(id).copied().unwrap_or(0.0) != *n {
                        problems.push(format!(
                            "{} (thiếu số liệu): số liệu đọc được {id} = {n}, tháng 7 là {:?}",
                            u.name,
                            july.get(id)
                        ));
                    }
                }
                for (id, v) in &july {
                    if !now.contains_key(id) && *v != 0.0 && !u.missing.iter().any(|m| &*m.id == *id) {
                        problems.push(format!("{} (thiếu số liệu): {id} không đọc được mà không ghi là thiếu", u.name));
                    }
                }
            }
            _ => {
                outcome.not_counted += 1;
                if !has_error {
                    problems.push(format!("{}: {} mà không có lỗi", u.name, u.status.label()));
                }
            }
        }
    }
    for (id, v) in expected["consolidated"].as_object().unwrap() {
        let now = report.totals.value(id);
        if now == v.as_f64() {
            continue;
        }
        outcome.right = false;
        let total = report.totals.get(report.totals.find(id).unwrap());
        let loud = !total.missing.is_empty() || outcome.not_counted > 0;
        if !loud {
            problems.push(format!("tổng hợp {id} = {now:?}, tháng 7 là {v}, không đơn vị nào bị báo thiếu"));
        }
    }
    if !outcome.right && !report.has_errors() {
        problems.push("số liệu tổng hợp khác tháng 7 mà báo cáo không có lỗi (không phải bản nháp)".into());
    }
    if problems.is_empty() { Ok(outcome) } else { Err(problems.join("\n")) }
}

// ---- finding things in a sheet -------------------------------------------------

fn text(sheet: &Sheet, r: u32, c: u32) -> Option<&str> {
    sheet.text(r, c)
}

fn set_text(sheet: &mut Sheet, r: u32, c: u32, t: &str) {
    sheet.cells.insert((r, c), Cell { value: Value::Text(Arc::from(t)), formula: None });
}

fn same(a: &str, b: &str) -> bool {
    fold(a).split_whitespace().eq(fold(b).split_whitespace())
}

/// A table or list of the config found in a sheet: where its header and label
/// column are, its figure columns (by index into the config's), and its rows
/// (row, index of the configured row or item).
struct Layout {
    header_row: u32,
    label_col: u32,
    figure_cols: Vec<(u32, String)>,
    rows: Vec<(u32, usize)>,
    /// A table whose rows all carry their configured STT (the official form).
    official: bool,
    is_table: bool,
}

fn find_cell(sheet: &Sheet, label: &str, rows: std::ops::Range<u32>) -> Option<(u32, u32)> {
    sheet
        .cells
        .iter()
        .filter(|((r, _), _)| rows.contains(r))
        .find(|((r, c), _)| text(sheet, *r, *c).is_some_and(|t| same(t, label)))
        .map(|(p, _)| *p)
}

fn layout(cfg: &Config, sheet: &Sheet) -> Option<Layout> {
    for t in &cfg.tables {
        let Some((hr, lc)) = find_cell(sheet, &t.label_header, 0..40) else { continue };
        let figure_cols: Vec<(u32, String)> = t
            .columns
            .iter()
            .filter_map(|c| find_cell(sheet, &c.header, hr..hr + 3).map(|(_, col)| (col, c.header.clone())))
            .collect();
        if figure_cols.is_empty() {
            continue;
        }
        let stt_col = find_cell(sheet, &t.stt_header, hr..hr + 1).map(|p| p.1);
        let mut rows = Vec::new();
        let mut official = stt_col.is_some() && !t.rows.is_empty();
        let last = sheet.last_row().unwrap_or(hr);
        for r in hr + 1..=last {
            let Some(label) = text(sheet, r, lc) else { continue };
            let key = Key::new(label);
            if let Some(i) = t.rows.iter().position(|row| key.matches(&Key::new(&row.label)).is_some()) {
                let stt = stt_col.and_then(|c| match sheet.get(r, c).map(|c| &c.value) {
                    Some(Value::Number(n)) => Some(*n as u32),
                    _ => None,
                });
                official &= stt == Some(t.rows[i].stt);
                rows.push((r, i));
            } else if t.rows.is_empty() && figure_cols.iter().any(|(c, _)| sheet.get(r, *c).is_some()) {
                if t.total_labels.iter().any(|l| same(label, l)) || same(label, "Tổng cộng") {
                    continue;
                }
                rows.push((r, 0));
            }
        }
        return Some(Layout { header_row: hr, label_col: lc, figure_cols, rows, official, is_table: true });
    }
    for l in &cfg.lists {
        let Some((hr, lc)) = find_cell(sheet, &l.label_header, 0..40) else { continue };
        let Some((_, vc)) = find_cell(sheet, &l.value_header, hr..hr + 3) else { continue };
        let title_ok =
            l.title.as_ref().is_none_or(|t| find_cell(sheet, t, 0..hr).is_some()) || same(&sheet.name, &l.sheet);
        if !title_ok {
            continue;
        }
        let last = sheet.last_row().unwrap_or(hr);
        let mut rows = Vec::new();
        for r in hr + 1..=last {
            let Some(label) = text(sheet, r, lc) else { continue };
            let key = Key::new(label);
            if let Some(i) = l.items.iter().position(|it| key.matches(&Key::new(&it.label)).is_some()) {
                rows.push((r, i));
            }
        }
        return Some(Layout {
            header_row: hr,
            label_col: lc,
            figure_cols: vec![(vc, l.value_header.clone())],
            rows,
            official: false,
            is_table: false,
        });
    }
    None
}

/// A sheet of workbook `file` with a table or list, picked at random.
fn pick_sheet(cfg: &Config, files: &[(String, Workbook)], file: usize, rng: &mut Rng) -> Option<(usize, Layout)> {
    let with: Vec<usize> =
        (0..files[file].1.sheets.len()).filter(|&s| layout(cfg, &files[file].1.sheets[s]).is_some()).collect();
    let s = *rng.pick(&with)?;
    Some((s, layout(cfg, &files[file].1.sheets[s])?))
}

/// Every cell at or below row `from` moved down by `by` rows (merged ranges too).
fn shift_rows(sheet: &mut Sheet, from: u32, by: u32) {
    let cells = std::mem::take(&mut sheet.cells);
    sheet.cells = cells.into_iter().map(|((r, c), v)| (if r >= from { (r + by, c) } else { (r, c) }, v)).collect();
    for r in &mut sheet.hidden_rows {
        if *r >= from {
            *r += by;
        }
    }
    for m in &mut sheet.merges {
        if m.first_row >= from {
            m.first_row += by;
            m.last_row += by;
        } else if m.last_row >= from {
            m.last_row += by;
        }
    }
}

/// Row `row` removed, the rows below moved up (merged ranges inside it dropped).
fn delete_sheet_row(sheet: &mut Sheet, row: u32) {
    let cells = std::mem::take(&mut sheet.cells);
    sheet.cells = cells
        .into_iter()
        .filter(|((r, _), _)| *r != row)
        .map(|((r, c), v)| (if r > row { (r - 1, c) } else { (r, c) }, v))
        .collect();
    sheet.hidden_rows.retain(|r| *r != row);
    for r in &mut sheet.hidden_rows {
        if *r > row {
            *r -= 1;
        }
    }
    sheet.merges.retain(|m| !(m.first_row == row && m.last_row == row));
    for m in &mut sheet.merges {
        if m.first_row > row {
            m.first_row -= 1;
            m.last_row -= 1;
        } else if m.last_row >= row {
            m.last_row -= 1;
        }
    }
}

fn number(sheet: &Sheet, r: u32, c: u32) -> Option<f64> {
    match sheet.get(r, c).map(|c| &c.value) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

// ---- the mutations ---------------------------------------------------------------

/// A figure column's header said another way: abbreviated, cased, broken over
/// two lines, words dropped or replaced (some are certain, some are not).
fn rename_header(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let &(col, ref header) = rng.pick(&lay.figure_cols)?;
    let (r, c) = find_cell(sheet, header, lay.header_row..lay.header_row + 3).filter(|p| p.1 == col)?;
    let words: Vec<&str> = header.split_whitespace().collect();
    let initials: String = words.iter().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect();
    let variants = [
        header.to_uppercase(),
        words.join("\n"),
        initials,
        words[..words.len().saturating_sub(1).max(1)].join(" "),
        format!("{header} (hồ sơ)"),
        format!("Cột {}", c + 1),
        words.iter().rev().cloned().collect::<Vec<_>>().join(" "),
    ];
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} \"{header}\" → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// Header cells written with extra spaces, a colon, or a unit in parentheses.
fn header_variant(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let &(col, ref header) = rng.pick(&lay.figure_cols)?;
    let (r, c) = find_cell(sheet, header, lay.header_row..lay.header_row + 3).filter(|p| p.1 == col)?;
    let variants = [format!("  {header}  "), format!("{header}:"), header.to_lowercase(), format!("{header} (*)")];
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// Two figure columns swapped, headers and figures together.
fn swap_columns(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    if lay.figure_cols.len() < 2 {
        return None;
    }
    let a = rng.below(lay.figure_cols.len());
    let b = (a + 1 + rng.below(lay.figure_cols.len() - 1)) % lay.figure_cols.len();
    let (ca, cb) = (lay.figure_cols[a].0, lay.figure_cols[b].0);
    let sheet = &mut files[file].1.sheets[s];
    let last = sheet.last_row()?;
    // Only the column headers' own rows and below; a group header above stays.
    let first = lay.header_row + 1;
    let top = (lay.header_row..first + 2).find(|r| sheet.get(*r, ca).is_some() && sheet.get(*r, cb).is_some())?;
    for r in top..=last {
        let x = sheet.cells.remove(&(r, ca));
        let y = sheet.cells.remove(&(r, cb));
        if let Some(x) = x {
            sheet.cells.insert((r, cb), x);
        }
        if let Some(y) = y {
            sheet.cells.insert((r, ca), y);
        }
    }
    // Merges in those columns no longer fit: drop those below the header.
    sheet.merges.retain(|m| m.first_row < top || (m.first_col != ca && m.first_col != cb));
    Some(format!("\"{}\": cột \"{}\" và \"{}\" đổi chỗ", sheet.name, lay.figure_cols[a].1, lay.figure_cols[b].1))
}

/// A row label with something added: a note, a line break, a leading mark.
fn annotate_label(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let &(r, _) = rng.pick(&lay.rows)?;
    let sheet = &mut files[file].1.sheets[s];
    let old = text(sheet, r, lay.label_col)?.to_string();
    let words: Vec<&str> = old.split_whitespace().collect();
    let mid = words.len() / 2;
    let variants = [
        format!("{old} (ghi chú)"),
        format!("- {old}"),
        format!("a) {old}"),
        format!("+ {old}"),
        format!("{}\n{}", words[..mid].join(" "), words[mid..].join(" ")),
        format!("{old} - số liệu tạm tính"),
        format!("{old}:"),
        old.to_uppercase(),
    ];
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, lay.label_col, &new);
    Some(format!("\"{}\"!{} \"{old}\" → \"{new}\"", sheet.name, baocao::text::cell_ref(r, lay.label_col)))
}

/// A labelled row deleted: a list's item, or an official table's row (a unit's
/// own shorter list of rows may leave out what it does not handle, so deleting
/// one of those changes nothing that can be told).
fn delete_row(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    if lay.is_table && !lay.official {
        return None;
    }
    let &(r, _) = rng.pick(&lay.rows)?;
    let sheet = &mut files[file].1.sheets[s];
    let label = text(sheet, r, lay.label_col).unwrap_or("").to_string();
    delete_sheet_row(sheet, r);
    Some(format!("\"{}\": xóa dòng {} \"{label}\"", sheet.name, r + 1))
}

/// A sub-total row inserted after a data row: "Cộng …" with the sum of the rows above.
fn subtotal_row(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    if !lay.is_table || lay.rows.len() < 2 {
        return None;
    }
    let k = 1 + rng.below(lay.rows.len() - 1);
    let after = lay.rows[k - 1].0;
    let sheet = &mut files[file].1.sheets[s];
    let labels = ["Cộng nhóm I", "Cộng", "Tổng nhóm Công an", "Cộng (các dòng trên)"];
    let label = rng.pick(&labels)?.to_string();
    let sums: Vec<(u32, f64)> = lay
        .figure_cols
        .iter()
        .map(|(c, _)| (*c, lay.rows[..k].iter().filter_map(|(r, _)| number(sheet, *r, *c)).sum()))
        .collect();
    shift_rows(sheet, after + 1, 1);
    set_text(sheet, after + 1, lay.label_col, &label);
    for (c, v) in sums {
        sheet.cells.insert((after + 1, c), Cell { value: Value::Number(v), formula: None });
    }
    Some(format!("\"{}\": thêm dòng \"{label}\" sau dòng {}", sheet.name, after + 1))
}

/// An instructions sheet before the data, naming other units.
fn sheet_before(_: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let mut sheet = Sheet { name: "Hướng dẫn".into(), ..Sheet::default() };
    let lines = [
        "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
        "Các phường, xã điền số liệu vào các trang sau; không sửa tên cột.",
        "Số liệu gửi về Công an thành phố (Tổ công tác Đề án 06) trước ngày 05 hằng tháng.",
        "Đơn vị tính: hồ sơ",
    ];
    for (i, l) in lines.iter().enumerate() {
        set_text(&mut sheet, i as u32 + rng.below(2) as u32, 0, l);
    }
    files[file].1.sheets.insert(0, sheet);
    Some("trang \"Hướng dẫn\" đặt trước các trang số liệu".into())
}

/// A stale copy of a data sheet (last month's, other figures) kept beside it.
fn stale_copy(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, _) = pick_sheet(cfg, files, file, rng)?;
    let mut copy = files[file].1.sheets[s].clone();
    copy.name = format!("{} (T6)", copy.name);
    for cell in copy.cells.values_mut() {
        match &mut cell.value {
            Value::Text(t) if t.contains("/2024") => {
                *t = Arc::from(t.replace("05/6/2024", "05/5/2024").replace("05/7/2024", "05/6/2024").as_str());
            }
            Value::Number(n) if *n >= 10.0 && n.fract() == 0.0 => *n = (*n * 0.9).floor(),
            _ => {}
        }
    }
    let at = if rng.below(2) == 0 { s } else { s + 1 };
    let name = copy.name.clone();
    files[file].1.sheets.insert(at, copy);
    Some(format!("bản cũ \"{name}\" (kỳ tháng 6, số liệu khác)"))
}

/// One unit's tables in two workbooks: some sheets moved to a second file.
fn split_file(_: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let n = files[file].1.sheets.len();
    if n < 2 {
        return None;
    }
    let k = 1 + rng.below(n - 1);
    let moved: Vec<Sheet> = files[file].1.sheets.drain(k..).collect();
    let names: Vec<String> = moved.iter().map(|s| s.name.clone()).collect();
    let stem = files[file].0.rsplit_once('.').map_or(files[file].0.clone(), |(s, _)| s.to_string());
    let second = format!("{stem} (phần 2).xlsx");
    let wb = Workbook { format: files[file].1.format, sheets: moved };
    files.push((second.clone(), wb));
    Some(format!("trang {} chuyển sang tệp \"{second}\"", names.join(", ")))
}

/// A value cell merged with the blank cell below it (the figure stays one).
fn merged_value(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let mut spots = Vec::new();
    for &(r, _) in &lay.rows {
        for (c, _) in &lay.figure_cols {
            let below_blank =
                sheet.get(r + 1, *c).is_none_or(|x| matches!(&x.value, Value::Empty) && x.formula.is_none());
            let below_data = lay.rows.iter().any(|(b, _)| *b == r + 1);
            if number(sheet, r, *c).is_some() && below_blank && below_data && sheet.merge_covering(r, *c).is_none() {
                spots.push((r, *c));
            }
        }
    }
    let &(r, c) = rng.pick(&spots)?;
    sheet.cells.remove(&(r + 1, c));
    sheet.merges.push(Merge { first_row: r, first_col: c, last_row: r + 1, last_col: c });
    let range = format!("{}:{}", baocao::text::cell_ref(r, c), baocao::text::cell_ref(r + 1, c));
    Some(format!("\"{}\": gộp ô {range}", sheet.name))
}

/// The period as two date cells instead of "(Từ ngày … đến ngày …)".
fn date_period(_: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let wb = &mut files[file].1;
    let spots: Vec<(usize, u32, u32)> = wb
        .sheets
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.cells.iter().filter_map(move |((r, c), cell)| match &cell.value {
                Value::Text(t) if fold(t).contains("tu ngay 05/6/2024 den ngay 05/7/2024") => Some((i, *r, *c)),
                _ => None,
            })
        })
        .collect();
    let &(s, r, c) = rng.pick(&spots)?;
    let sheet = &mut wb.sheets[s];
    sheet.merges.retain(|m| !(m.first_row == r && m.first_col == c));
    set_text(sheet, r, c, "Từ ngày");
    // 05/6/2024 and 05/7/2024 as Excel date serials.
    sheet.cells.insert((r, c + 1), Cell { value: Value::Number(45448.0), formula: None });
    set_text(sheet, r, c + 2, "đến ngày");
    sheet.cells.insert((r, c + 3), Cell { value: Value::Number(45478.0), formula: None });
    Some(format!("\"{}\": kỳ báo cáo ghi bằng hai ô ngày ở dòng {}", sheet.name, r + 1))
}

/// A figure typed as text the way people do: "1 234", "12 hồ sơ", "1.234", "45 %".
fn odd_number(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let spots: Vec<(u32, u32, f64)> = lay
        .rows
        .iter()
        .flat_map(|(r, _)| lay.figure_cols.iter().map(move |(c, _)| (*r, *c)))
        .filter_map(|(r, c)| number(sheet, r, c).filter(|n| n.fract() == 0.0 && *n >= 0.0).map(|n| (r, c, n)))
        .collect();
    let &(r, c, n) = rng.pick(&spots)?;
    let digits = format!("{}", n as u64);
    let grouped = |sep: &str| {
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(ch);
        }
        out
    };
    let variants = [
        grouped(" "),
        grouped("\u{a0}"),
        format!("{digits} hồ sơ"),
        format!("{digits} lượt"),
        grouped("."),
        format!(" {digits} "),
    ];
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} {n} → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// Two data rows of a table swapped (STT, label and figures together).
fn reorder_rows(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    if lay.rows.len() < 2 {
        return None;
    }
    let a = lay.rows[rng.below(lay.rows.len())].0;
    let b = lay.rows[rng.below(lay.rows.len())].0;
    if a == b {
        return None;
    }
    let sheet = &mut files[file].1.sheets[s];
    if sheet.merges.iter().any(|m| (m.first_row..=m.last_row).contains(&a) || (m.first_row..=m.last_row).contains(&b)) {
        return None;
    }
    let row_a: Vec<(u32, Cell)> = sheet.cells.range((a, 0)..(a + 1, 0)).map(|((_, c), v)| (*c, v.clone())).collect();
    let row_b: Vec<(u32, Cell)> = sheet.cells.range((b, 0)..(b + 1, 0)).map(|((_, c), v)| (*c, v.clone())).collect();
    sheet.cells.retain(|(r, _), _| *r != a && *r != b);
    for (c, v) in row_a {
        sheet.cells.insert((b, c), v);
    }
    for (c, v) in row_b {
        sheet.cells.insert((a, c), v);
    }
    Some(format!("\"{}\": dòng {} và {} đổi chỗ", sheet.name, a + 1, b + 1))
}

/// A sheet renamed: no diacritics, upper case, a month suffix.
fn rename_sheet(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, _) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let old = sheet.name.clone();
    let variants = [fold(&old), old.to_uppercase(), format!("{old} T7"), format!("{old} (tháng 7)")];
    let new = rng.pick(&variants)?.clone();
    if files[file].1.sheets.iter().any(|x| x.name == new) {
        return None;
    }
    files[file].1.sheets[s].name = new.clone();
    Some(format!("trang \"{old}\" đổi tên \"{new}\""))
}

/// Rows inserted above everything (a longer title block).
fn rows_on_top(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, _) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let by = 1 + rng.below(3) as u32;
    shift_rows(sheet, 0, by);
    if rng.below(2) == 0 {
        set_text(sheet, 0, 0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    }
    Some(format!("\"{}\": thêm {by} dòng trên cùng", sheet.name))
}

/// A column inserted at the left (every cell moved one column right).
fn column_on_left(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, _) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let cells = std::mem::take(&mut sheet.cells);
    sheet.cells = cells.into_iter().map(|((r, c), v)| ((r, c + 1), v)).collect();
    for m in &mut sheet.merges {
        m.first_col += 1;
        m.last_col += 1;
    }
    Some(format!("\"{}\": thêm một cột bên trái", sheet.name))
}

/// A figure column's header written over two rows: its first words in the
/// header row, the rest in a row inserted below it.
fn header_two_rows(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let &(col, ref header) = rng.pick(&lay.figure_cols)?;
    let (r, c) = find_cell(sheet, header, lay.header_row..lay.header_row + 3).filter(|p| p.1 == col)?;
    let words: Vec<&str> = header.split_whitespace().collect();
    if words.len() < 2 {
        return None;
    }
    let mid = words.len() / 2;
    shift_rows(sheet, r + 1, 1);
    set_text(sheet, r, c, &words[..mid].join(" "));
    set_text(sheet, r + 1, c, &words[mid..].join(" "));
    Some(format!("\"{}\"!{}: \"{header}\" ghi trên hai dòng", sheet.name, baocao::text::cell_ref(r, c)))
}

/// The header row made two rows tall, every header cell merged down over both.
fn header_merged_down(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let r = lay.header_row;
    // Only a one-row header (a two-row one is merged already).
    if sheet.merges.iter().any(|m| m.first_row <= r && m.last_row >= r) {
        return None;
    }
    let cols: Vec<u32> = sheet.cells.range((r, 0)..(r + 1, 0)).map(|((_, c), _)| *c).collect();
    shift_rows(sheet, r + 1, 1);
    for c in &cols {
        sheet.merges.push(Merge { first_row: r, first_col: *c, last_row: r + 1, last_col: *c });
    }
    Some(format!("\"{}\": dòng tiêu đề {} gộp với dòng dưới", sheet.name, r + 1))
}

/// A hidden stale copy of a data sheet (last month's, or this month's with
/// other figures) placed before the visible one, as a clerk's kept copy is.
fn hidden_stale_copy(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, _) = pick_sheet(cfg, files, file, rng)?;
    let mut copy = files[file].1.sheets[s].clone();
    copy.name = format!("{} (2)", copy.name);
    if files[file].1.sheets.iter().any(|x| x.name == copy.name) {
        return None;
    }
    let old_period = rng.below(2) == 0;
    for cell in copy.cells.values_mut() {
        match &mut cell.value {
            Value::Text(t) if old_period && t.contains("/2024") => {
                *t = Arc::from(t.replace("05/6/2024", "05/5/2024").replace("05/7/2024", "05/6/2024").as_str());
            }
            Value::Number(n) if *n >= 10.0 && n.fract() == 0.0 => *n = (*n * 0.9).floor(),
            _ => {}
        }
    }
    copy.hidden = true;
    let name = copy.name.clone();
    files[file].1.sheets.insert(s, copy);
    let period = if old_period { "kỳ tháng 6" } else { "cùng kỳ" };
    Some(format!("trang ẩn \"{name}\" ({period}, số liệu khác) đặt trước trang thật"))
}

/// Some data rows of a table hidden (their figures still count).
fn hidden_rows(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let mut hidden = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let &(r, _) = rng.pick(&lay.rows)?;
        hidden.push(r);
    }
    sheet.hidden_rows.extend(&hidden);
    sheet.hidden_rows.sort_unstable();
    sheet.hidden_rows.dedup();
    let shown: Vec<String> = hidden.iter().map(|r| (r + 1).to_string()).collect();
    Some(format!("\"{}\": ẩn dòng {}", sheet.name, shown.join(", ")))
}

/// A row label spread over two cells: its last words in a column inserted right
/// of the label column, or in the label cell of a row inserted below it.
fn label_two_cells(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let &(r, _) = rng.pick(&lay.rows)?;
    let sheet = &mut files[file].1.sheets[s];
    let old = text(sheet, r, lay.label_col)?.to_string();
    let words: Vec<&str> = old.split_whitespace().collect();
    if words.len() < 3 {
        return None;
    }
    let mid = words.len().div_ceil(2);
    let (head, tail) = (words[..mid].join(" "), words[mid..].join(" "));
    let lc = lay.label_col;
    let (how, at) = if rng.below(2) == 0 {
        // A column inserted right of the labels.
        let cells = std::mem::take(&mut sheet.cells);
        sheet.cells = cells.into_iter().map(|((r, c), v)| ((r, if c > lc { c + 1 } else { c }), v)).collect();
        for m in &mut sheet.merges {
            if m.first_col > lc {
                m.first_col += 1;
                m.last_col += 1;
            } else if m.last_col > lc {
                m.last_col += 1;
            }
        }
        set_text(sheet, r, lc + 1, &tail);
        ("ô bên phải", baocao::text::cell_ref(r, lc + 1))
    } else {
        if sheet.merges.iter().any(|m| m.first_row <= r && m.last_row > r) {
            return None;
        }
        shift_rows(sheet, r + 1, 1);
        set_text(sheet, r + 1, lc, &tail);
        ("dòng dưới", baocao::text::cell_ref(r + 1, lc))
    };
    set_text(sheet, r, lc, &head);
    Some(format!("\"{}\": tên dòng \"{old}\" ghi thành \"{head}\" + \"{tail}\" ({how}, {at})", sheet.name))
}

/// A header row added above the column headers: the figure columns under one
/// group header merged across them, the other header cells merged down over
/// both rows (a header of two rows, or three when it had two).
fn header_group_above(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    if !lay.is_table {
        return None;
    }
    let sheet = &mut files[file].1.sheets[s];
    let hr = lay.header_row;
    let fig: Vec<u32> = lay.figure_cols.iter().map(|(c, _)| *c).collect();
    let lo = *fig.iter().min()?;
    // Over a group header already there too ("Tổng số hồ sơ" over its columns).
    let hi = sheet
        .merges
        .iter()
        .filter(|m| m.first_row > hr && m.first_row < hr + 3 && m.first_col <= lo && m.last_col >= lo)
        .map(|m| m.last_col)
        .chain(fig.iter().copied())
        .max()?;
    // At most three header rows once done: the figure headers within the next row.
    let deepest = lay
        .figure_cols
        .iter()
        .filter_map(|(c, h)| find_cell(sheet, h, hr..hr + 3).filter(|p| p.1 == *c).map(|p| p.0))
        .max()?;
    if deepest > hr + 1 {
        return None;
    }
    // Not where a header cell left of the figure columns spans into them.
    if sheet.merges.iter().any(|m| m.first_row <= hr && m.last_row >= hr && m.first_col < lo && m.last_col >= lo) {
        return None;
    }
    let others: Vec<u32> =
        sheet.cells.range((hr, 0)..(hr + 1, 0)).map(|((_, c), _)| *c).filter(|c| !(lo..=hi).contains(c)).collect();
    shift_rows(sheet, hr, 1);
    for c in others {
        if let Some(cell) = sheet.cells.remove(&(hr + 1, c)) {
            sheet.cells.insert((hr, c), cell);
        }
        match sheet.merges.iter_mut().find(|m| m.first_row == hr + 1 && m.first_col == c) {
            Some(m) => m.first_row = hr,
            None => sheet.merges.push(Merge { first_row: hr, first_col: c, last_row: hr + 1, last_col: c }),
        }
    }
    let groups = ["Kết quả thực hiện", "Số liệu trong kỳ báo cáo", "Trong tháng"];
    let group = rng.pick(&groups)?.to_string();
    set_text(sheet, hr, lo, &group);
    if hi > lo {
        sheet.merges.push(Merge { first_row: hr, first_col: lo, last_row: hr, last_col: hi });
    }
    Some(format!("\"{}\": thêm dòng tiêu đề nhóm \"{group}\" trên dòng {}", sheet.name, hr + 1))
}

/// The period written in another common form: "Từ ngày" with the date in the
/// next cell, two rows "Từ ngày:" / "Đến ngày:", dotted dates with a dash.
fn period_form(_: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let wb = &mut files[file].1;
    let spots: Vec<(usize, u32, u32)> = wb
        .sheets
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.cells.iter().filter_map(move |((r, c), cell)| match &cell.value {
                Value::Text(t) if fold(t).contains("tu ngay 05/6/2024 den ngay 05/7/2024") => Some((i, *r, *c)),
                _ => None,
            })
        })
        .collect();
    let &(s, r, c) = rng.pick(&spots)?;
    let sheet = &mut wb.sheets[s];
    sheet.merges.retain(|m| !(m.first_row == r && m.first_col == c));
    let date = |n: f64| Cell { value: Value::Number(n), formula: None };
    let how = match rng.below(4) {
        0 => {
            set_text(sheet, r, c, "Từ ngày");
            set_text(sheet, r, c + 1, "05/6/2024");
            set_text(sheet, r, c + 2, "đến ngày");
            set_text(sheet, r, c + 3, "05/7/2024");
            "\"Từ ngày\" | 05/6/2024 | \"đến ngày\" | 05/7/2024"
        }
        1 => {
            if sheet.merges.iter().any(|m| m.first_row <= r && m.last_row > r) {
                return None;
            }
            shift_rows(sheet, r + 1, 1);
            set_text(sheet, r, c, "Từ ngày:");
            sheet.cells.insert((r, c + 1), date(45448.0));
            set_text(sheet, r + 1, c, "Đến ngày:");
            sheet.cells.insert((r + 1, c + 1), date(45478.0));
            "\"Từ ngày:\" | ngày trên một dòng, \"Đến ngày:\" | ngày ở dòng dưới"
        }
        2 => {
            set_text(sheet, r, c, "05.06.2024 - 05.07.2024");
            "\"05.06.2024 - 05.07.2024\""
        }
        _ => {
            set_text(sheet, r, c, "Kỳ báo cáo: từ 05/6 - 05/7/2024");
            "\"Kỳ báo cáo: từ 05/6 - 05/7/2024\""
        }
    };
    Some(format!("\"{}\"!{}: kỳ báo cáo ghi {how}", sheet.name, baocao::text::cell_ref(r, c)))
}

/// Whole figures of a table or list: (row, column, value).
fn whole_figures(sheet: &Sheet, lay: &Layout) -> Vec<(u32, u32, f64)> {
    lay.rows
        .iter()
        .flat_map(|(r, _)| lay.figure_cols.iter().map(move |(c, _)| (*r, *c)))
        .filter_map(|(r, c)| number(sheet, r, c).filter(|n| n.fract() == 0.0 && *n >= 0.0).map(|n| (r, c, n)))
        .collect()
}

/// Digits grouped by threes with `sep`.
fn grouped(n: f64, sep: &str) -> String {
    let digits = format!("{}", n as u64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// More figures typed the way people do, each with one certain meaning:
/// "1.500.000 đồng", "3 lượt", "1\u{a0}234 hồ sơ", "12 người".
fn odd_number_more(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let &(r, c, n) = rng.pick(&whole_figures(sheet, &lay))?;
    let variants = [
        format!("{} đồng", grouped(n, ".")),
        format!("{} lượt", grouped(n, ".")),
        format!("{} hồ sơ", grouped(n, "\u{a0}")),
        format!("{}\u{a0}", grouped(n, "\u{a0}")),
        format!("{} người", grouped(n, " ")),
    ];
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} {n} → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// A figure typed so its meaning is not certain ("1 23", "khoảng 12",
/// "12-15", "1,5 triệu đồng"): it must stay an error, never a number.
fn not_a_number(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let &(r, c, n) = rng.pick(&whole_figures(sheet, &lay))?;
    let digits = format!("{}", n as u64);
    let mut variants = vec![format!("khoảng {digits}"), format!("{digits}-{}", n as u64 + 3), format!("~{digits}")];
    // Spaces that are not thousands groups: the part after the space is not three digits.
    if let Some(k) = (1..digits.len()).rev().find(|k| (digits.len() - k) % 3 != 0) {
        variants.push(format!("{} {}", &digits[..k], &digits[k..]));
    }
    let new = rng.pick(&variants)?.clone();
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} {n} → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// A ratio cell typed as text with a space before "%": "99,5 %" (its value kept).
fn ratio_as_text(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let cols: Vec<u32> = cfg
        .tables
        .iter()
        .filter_map(|t| t.ratio.as_ref())
        .filter_map(|ratio| find_cell(sheet, &ratio.header, lay.header_row..lay.header_row + 3).map(|p| p.1))
        .collect();
    let spots: Vec<(u32, u32, f64)> = lay
        .rows
        .iter()
        .flat_map(|(r, _)| cols.iter().map(move |c| (*r, *c)))
        .filter_map(|(r, c)| number(sheet, r, c).map(|n| (r, c, n)))
        .collect();
    let &(r, c, n) = rng.pick(&spots)?;
    let pct = if n <= 1.0 { n * 100.0 } else { n };
    let new = format!("{} %", format!("{pct:.1}").replace('.', ","));
    set_text(sheet, r, c, &new);
    Some(format!("\"{}\"!{} {n} → \"{new}\"", sheet.name, baocao::text::cell_ref(r, c)))
}

/// A note below a data sheet's table naming other units ("… Công an thành phố …").
fn note_naming_unit(cfg: &Config, files: &mut Vec<(String, Workbook)>, file: usize, rng: &mut Rng) -> Option<String> {
    let (s, lay) = pick_sheet(cfg, files, file, rng)?;
    let sheet = &mut files[file].1.sheets[s];
    let last = sheet.last_row()?;
    let notes = [
        "Ghi chú: số liệu đã đối chiếu với Công an thành phố.",
        "Ghi chú: số hồ sơ do Công an thành phố và Phòng Lao động – Thương binh và Xã hội chuyển về.",
        "* Số liệu lấy từ hệ thống của Trung tâm Y tế thành phố, Phường Kinh Dinh chuyển sang.",
    ];
    let note = rng.pick(&notes)?.to_string();
    let at = last + 1 + rng.below(2) as u32;
    let col = if rng.below(2) == 0 { 0 } else { lay.label_col };
    set_text(sheet, at, col, &note);
    Some(format!("\"{}\"!{}: ghi chú \"{note}\"", sheet.name, baocao::text::cell_ref(at, col)))
}

/// An instructions sheet headed by the city police, as the template they send
/// out is, anywhere in the workbook (before, between or after the data sheets).
fn instructions_naming_police(
    _: &Config,
    files: &mut Vec<(String, Workbook)>,
    file: usize,
    rng: &mut Rng,
) -> Option<String> {
    let mut sheet = Sheet { name: "HD".into(), ..Sheet::default() };
    if files[file].1.sheets.iter().any(|x| x.name == sheet.name) {
        return None;
    }
    let lines = [
        "CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM",
        "TỔ CÔNG TÁC ĐỀ ÁN 06",
        "HƯỚNG DẪN BÁO CÁO KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06 THÁNG 7/2024",
        "Kỳ báo cáo: từ ngày 05/6/2024 đến ngày 05/7/2024",
        "Đơn vị gửi báo cáo ghi tên đơn vị ở góc trên bên trái của từng trang số liệu.",
    ];
    for (i, l) in lines.iter().enumerate() {
        set_text(&mut sheet, i as u32, 0, l);
    }
    let at = rng.below(files[file].1.sheets.len() + 1);
    files[file].1.sheets.insert(at, sheet);
    Some(format!("trang \"HD\" của Công an thành phố ở vị trí {}", at + 1))
}
