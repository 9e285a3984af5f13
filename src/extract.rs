//! Finding the configured figures inside one workbook.
//!
//! Nothing here knows a particular ward's layout. Sheets are found by name
//! (exact, then without diacritics, then as a prefix like "DVC thiết yếu (T6)")
//! or by the table's title; header rows by their labels anywhere in the first
//! rows; columns by header, preferring real column headers over merged group
//! headers; rows by label, or by STT when the label cell is empty.

use crate::config::{self, Config, List, Table, table_row_id};
use crate::model::{CellNote, Figure, Finding, FindingKind, Location, Period, Severity};
use crate::number::{NotNumber, parse_vn};
use crate::read::{Sheet, Value, Workbook};
use crate::text::{Key, Match, cell_ref, fold, words};
use foldhash::{HashMap, HashMapExt};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// How many rows from the top are searched for titles and headers.
const HEADER_SEARCH_ROWS: u32 = 40;

/// What one workbook gave.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Index into `cfg.units` of the unit the workbook names itself as.
    pub unit: Option<usize>,
    pub figures: Vec<Figure>,
    pub findings: Vec<Finding>,
    /// Periods stated by the sheets used, with where they were read.
    pub periods: Vec<(Period, Location)>,
}

/// The config's labels, normalised once per run, and its unit names indexed by words,
/// so reading a workbook costs the same whatever the number of units.
pub struct Prepared<'c> {
    pub cfg: &'c Config,
    period: Option<Period>,
    units: UnitIndex,
    tables: Vec<TableKeys>,
    lists: Vec<ListKeys>,
}

struct TableKeys {
    sheet: Key,
    title: Key,
    label_header: Vec<Key>,
    stt: Vec<Key>,
    columns: Vec<Vec<Key>>,
    totals: Vec<Key>,
    rows: Vec<Vec<Key>>,
    ratio: Option<Vec<Key>>,
    /// The figure id of each row's column (in `columns` order), or of each
    /// column's sum when the table has no rows: made once, shared by every unit.
    ids: Vec<Vec<Arc<str>>>,
}

struct ListKeys {
    sheet: Key,
    title: Option<Key>,
    label_header: Vec<Key>,
    value_header: Vec<Key>,
    /// (label and aliases, section heading)
    items: Vec<(Vec<Key>, Option<Key>)>,
    /// Each item's figure id, shared by every unit.
    ids: Vec<Arc<str>>,
}

fn keys<'a>(labels: impl IntoIterator<Item = &'a String>) -> Vec<Key> {
    labels.into_iter().map(|l| Key::new(l)).collect()
}

impl<'c> Prepared<'c> {
    pub fn new(cfg: &'c Config) -> Prepared<'c> {
        let tables = cfg
            .tables
            .iter()
            .map(|t| TableKeys {
                sheet: Key::new(&t.sheet),
                title: Key::new(&t.title),
                label_header: vec![Key::new(&t.label_header)],
                stt: vec![Key::new(&t.stt_header)],
                columns: t.columns.iter().map(|c| keys(std::iter::once(&c.header).chain(&c.aliases))).collect(),
                totals: keys(&t.total_labels),
                rows: t.rows.iter().map(|r| keys(std::iter::once(&r.label).chain(&r.aliases))).collect(),
                ratio: t.ratio.as_ref().map(|r| vec![Key::new(&r.header)]),
                ids: if t.rows.is_empty() {
                    vec![t.columns.iter().map(|c| Arc::from(config::table_sum_id(t, &c.id))).collect()]
                } else {
                    t.rows
                        .iter()
                        .map(|r| t.columns.iter().map(|c| Arc::from(table_row_id(&t.id, r.stt, &c.id))).collect())
                        .collect()
                },
            })
            .collect();
        let lists = cfg
            .lists
            .iter()
            .map(|l| ListKeys {
                sheet: Key::new(&l.sheet),
                title: l.title.as_deref().map(Key::new),
                label_header: vec![Key::new(&l.label_header)],
                value_header: vec![Key::new(&l.value_header)],
                items: l
                    .items
                    .iter()
                    .map(|i| (keys(std::iter::once(&i.label).chain(&i.aliases)), i.section.as_deref().map(Key::new)))
                    .collect(),
                ids: l.items.iter().map(|i| Arc::from(i.id.as_str())).collect(),
            })
            .collect();
        Prepared { cfg, period: cfg.period(), units: UnitIndex::new(cfg), tables, lists }
    }
}

/// A sheet with the normalised key of each text cell, computed the first time it is
/// needed (titles, headers and labels are; most other text is never compared).
struct View<'s> {
    sheet: &'s Sheet,
    name_key: Key,
    /// The sheet's text cells in (row, column) order: a sorted list is all the lookups
    /// need, and far cheaper to build per sheet than a second map.
    texts: Vec<TextCell<'s>>,
    /// The first row of the header ("STT"), once found.
    title_stop: OnceCell<u32>,
}

/// One text cell of a [`View`].
struct TextCell<'s> {
    pos: (u32, u32),
    text: &'s str,
    key: OnceCell<Rc<Key>>,
}

impl TextCell<'_> {
    fn key(&self) -> &Key {
        self.key.get_or_init(|| cached_key(self.text))
    }
}

/// Most distinct texts the key cache of one thread holds before it starts afresh.
const KEY_CACHE_LIMIT: usize = 50_000;

thread_local! {
    /// Keys of the texts this thread has seen: the same titles, headers and row
    /// labels come back in every workbook of an inbox, and a key costs far more to
    /// work out than to look up.
    static KEYS: RefCell<HashMap<Box<str>, Rc<Key>>> = RefCell::new(HashMap::new());
}

/// [`Key::from_nfc`] of `text`, from this thread's cache when it has been seen.
fn cached_key(text: &str) -> Rc<Key> {
    KEYS.with_borrow_mut(|cache| {
        if let Some(key) = cache.get(text) {
            return Rc::clone(key);
        }
        if cache.len() >= KEY_CACHE_LIMIT {
            cache.clear();
        }
        let key = Rc::new(Key::from_nfc(text));
        cache.insert(text.into(), Rc::clone(&key));
        key
    })
}

impl<'s> View<'s> {
    fn new(sheet: &'s Sheet) -> View<'s> {
        let texts = sheet
            .cells
            .iter()
            .filter_map(|(&pos, c)| match &c.value {
                Value::Text(t) => Some(TextCell { pos, text: t, key: OnceCell::new() }),
                _ => None,
            })
            .collect();
        View { sheet, name_key: Key::new(&sheet.name), texts, title_stop: OnceCell::new() }
    }

    fn key(&self, row: u32, col: u32) -> Option<&Key> {
        self.texts.binary_search_by_key(&(row, col), |t| t.pos).ok().map(|i| self.texts[i].key())
    }

    /// Text cells from row `first` up to (not including) row `last`, with their keys.
    fn keys(&self, first: u32, last: u32) -> impl Iterator<Item = ((u32, u32), &Key)> {
        let start = self.texts.partition_point(|t| t.pos < (first, 0));
        let end = self.texts.partition_point(|t| t.pos < (last, 0));
        self.texts[start..end].iter().map(|t| (t.pos, t.key()))
    }
}

impl std::ops::Deref for View<'_> {
    type Target = Sheet;
    fn deref(&self) -> &Sheet {
        self.sheet
    }
}

/// Read every configured table and list out of `wb` (prepares the config each call;
/// the engine uses [`extract_prepared`] with one [`Prepared`] per run).
pub fn extract(cfg: &Config, file: &str, wb: &Workbook) -> Extracted {
    extract_prepared(&Prepared::new(cfg), file, wb)
}

/// Read every configured table and list out of `wb`.
pub fn extract_prepared(prep: &Prepared, file: &str, wb: &Workbook) -> Extracted {
    let cfg = prep.cfg;
    let views: Vec<View> = wb.sheets.iter().map(View::new).collect();
    let mut x = Extracted { unit: prep.units.recognise(&views), ..Extracted::default() };
    let mut ctx =
        Ctx { file: Arc::from(file), last_sheet: RefCell::new(None), converted: Vec::new(), findings: Vec::new() };
    let want = prep.period;
    report_reading(&mut ctx, wb);
    for (table, keys) in cfg.tables.iter().zip(&prep.tables) {
        if let Some(view) = choose_sheet(&mut ctx, &views, &keys.sheet, Some(&keys.title), want, &mut x.periods) {
            read_table(&mut ctx, view, table, keys, &mut x.figures);
        }
    }
    for (list, keys) in cfg.lists.iter().zip(&prep.lists) {
        if let Some(view) = choose_sheet(&mut ctx, &views, &keys.sheet, keys.title.as_ref(), want, &mut x.periods) {
            read_list(&mut ctx, view, list, keys, &mut x.figures);
        }
    }
    if !ctx.converted.is_empty() {
        let first = ctx.converted[0].clone();
        let examples: Vec<String> =
            ctx.converted.iter().take(4).map(|c| format!("{} \"{}\"", c.cell, c.text)).collect();
        ctx.findings.push(Finding {
            cells: std::mem::take(&mut ctx.converted),
            ..Finding::new(
                Severity::Info,
                FindingKind::TextNumbersConverted,
                Location::cell(file, &first.sheet, &first.cell),
                format!(
                    "Có số được nhập dạng chữ (ví dụ {}); đã đọc theo kiểu Việt Nam (\"1.020\" = 1020, \"-\" = 0) và đưa vào tổng hợp.",
                    examples.join(", ")
                ),
            )
        });
    }
    x.findings = ctx.findings;
    x
}

/// What the reader did to a workbook that the user should know: legacy text decoded,
/// sheets cut at the cell limit.
fn report_reading(ctx: &mut Ctx, wb: &Workbook) {
    for sheet in &wb.sheets {
        if sheet.truncated {
            ctx.warn(
                FindingKind::SheetTruncated,
                ctx.at_sheet(sheet),
                format!(
                    "Trang tính \"{}\" có quá nhiều ô (hơn {} ô có dữ liệu); đã dừng đọc phần còn lại. Nếu số liệu nằm ở phần sau, hãy xóa các ô thừa rồi gửi lại.",
                    sheet.name,
                    crate::number::fmt_num(crate::read::MAX_CELLS_PER_SHEET as f64)
                ),
            );
        }
        for &(r, c) in &sheet.cut_cells {
            ctx.warn(
                FindingKind::CellTruncated,
                ctx.at(sheet, r, c),
                format!(
                    "Ô có nội dung quá dài (hơn {} ký tự); chỉ đọc phần đầu của ô này.",
                    crate::number::fmt_num(crate::read::MAX_CELL_CHARS as f64)
                ),
            );
        }
        let Some(first) = sheet.legacy.first() else { continue };
        let name = |e: crate::read::legacy::Legacy| match e {
            crate::read::legacy::Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
            crate::read::legacy::Legacy::Vni => "VNI-Windows (phông VNI-Times)",
        };
        let mut encodings: Vec<&str> = sheet.legacy.iter().map(|l| name(l.encoding)).collect();
        encodings.dedup();
        let shown = sheet.text(first.row, first.col).unwrap_or("");
        ctx.findings.push(Finding {
            cells: sheet
                .legacy
                .iter()
                .map(|l| CellNote { sheet: sheet.name.clone(), cell: cell_ref(l.row, l.col), text: l.stored.clone(), value: None })
                .collect(),
            ..Finding::new(
                Severity::Info,
                FindingKind::LegacyEncoding,
                ctx.at(sheet, first.row, first.col),
                format!(
                    "Trang tính \"{}\" gõ bằng bảng mã cũ {} ở {} ô (ví dụ \"{}\" đọc là \"{}\"); đã chuyển sang Unicode để đối chiếu.",
                    sheet.name,
                    encodings.join(", "),
                    sheet.legacy.len(),
                    first.stored,
                    shown
                ),
            )
        });
    }
}

/// Most cells a thread remembers the shared reference text of.
const SHARED_CELL_REFS: usize = 50_000;

thread_local! {
    /// "E12" by (row, column), one copy per thread: units keep their figures in
    /// the same cells, so a province's figures share a few hundred of these.
    static CELL_REFS: RefCell<HashMap<(u32, u32), Arc<str>>> = RefCell::new(HashMap::new());
}

/// The A1 reference of a cell, shared with every other figure in that cell.
fn shared_cell_ref(row: u32, col: u32) -> Arc<str> {
    CELL_REFS.with_borrow_mut(|refs| {
        if refs.len() >= SHARED_CELL_REFS {
            refs.clear();
        }
        refs.entry((row, col)).or_insert_with(|| cell_ref(row, col).into()).clone()
    })
}

struct Ctx {
    /// The file's name and the last sheet's name, shared by every location
    /// taken in them (one copy per file and sheet, not one per figure).
    file: Arc<str>,
    last_sheet: RefCell<Option<Arc<str>>>,
    converted: Vec<CellNote>,
    findings: Vec<Finding>,
}

impl Ctx {
    fn at(&self, sheet: &Sheet, row: u32, col: u32) -> Location {
        self.at_cell(sheet, shared_cell_ref(row, col))
    }

    /// `cell` (a cell or a range) of `sheet`.
    fn at_cell(&self, sheet: &Sheet, cell: Arc<str>) -> Location {
        Location { cell: Some(cell), ..self.at_sheet(sheet) }
    }

    /// `sheet` as a whole.
    fn at_sheet(&self, sheet: &Sheet) -> Location {
        let mut last = self.last_sheet.borrow_mut();
        let name = match &*last {
            Some(name) if **name == *sheet.name => name.clone(),
            _ => last.insert(Arc::from(sheet.name.as_str())).clone(),
        };
        Location { file: self.file.clone(), sheet: Some(name), cell: None }
    }

    fn warn(&mut self, kind: FindingKind, loc: Location, msg: String) {
        self.findings.push(Finding::new(Severity::Warning, kind, loc, msg));
    }

    fn error(&mut self, kind: FindingKind, loc: Location, msg: String) {
        self.findings.push(Finding::new(Severity::Error, kind, loc, msg));
    }

    /// The number in a figure cell. Blank is 0; text is parsed the Vietnamese way and
    /// noted; anything that cannot be read as a number is a finding and gives `None`.
    fn number(&mut self, sheet: &Sheet, row: u32, col: u32) -> Option<f64> {
        let Some(cell) = sheet.get(row, col) else { return Some(0.0) };
        let loc = || self.at(sheet, row, col);
        match &cell.value {
            Value::Number(n) => Some(*n),
            Value::Empty => match &cell.formula {
                Some(f) => match eval_simple(sheet, f) {
                    Some(v) => {
                        let msg = format!(
                            "Ô có công thức ={f} nhưng không có giá trị lưu sẵn (tệp được lưu bằng phần mềm không tính công thức); đã tự tính lại = {}.",
                            crate::number::fmt_num(v)
                        );
                        self.warn(FindingKind::FormulaNoCache, loc(), msg);
                        Some(v)
                    }
                    None => {
                        let msg = format!(
                            "Ô có công thức ={f} nhưng không có giá trị lưu sẵn và không tự tính lại được; số liệu này chưa được tổng hợp. Hãy mở tệp bằng Excel, lưu lại rồi gửi lại."
                        );
                        self.error(FindingKind::FormulaNoCache, loc(), msg);
                        None
                    }
                },
                None => Some(0.0),
            },
            Value::Text(t) => match parse_vn(t) {
                Ok(p) => {
                    self.converted.push(CellNote {
                        sheet: sheet.name.clone(),
                        cell: cell_ref(row, col),
                        text: t.to_string(),
                        value: Some(p.value),
                    });
                    Some(p.value)
                }
                Err(NotNumber::Ambiguous) => {
                    let msg = format!(
                        "Ô ghi \"{t}\": không rõ là số thập phân hay số có dấu phân cách hàng nghìn; số liệu này chưa được tổng hợp. Hãy nhập lại dạng số."
                    );
                    self.error(FindingKind::AmbiguousNumber, loc(), msg);
                    None
                }
                Err(NotNumber::Text) => {
                    let msg = format!("Ô ghi \"{t}\", không phải là số; số liệu này chưa được tổng hợp.");
                    self.error(FindingKind::NotANumber, loc(), msg);
                    None
                }
            },
            Value::Bool(b) => {
                self.error(
                    FindingKind::NotANumber,
                    loc(),
                    format!("Ô ghi giá trị logic {b}, không phải là số; chưa tổng hợp."),
                );
                None
            }
            Value::Error(e) => {
                self.error(
                    FindingKind::NotANumber,
                    loc(),
                    format!("Ô báo lỗi công thức {e}; số liệu này chưa được tổng hợp."),
                );
                None
            }
        }
    }
}

// ---------------------------------------------------------------- units

/// Unit names by their folded words, for recognising a unit in a title line
/// without comparing the line with every unit.
struct UnitIndex {
    /// folded words of a name -> (unit, normalised words of the name); every leading run
    /// of a name's words is a key too (with no units when it is only the start of names),
    /// so a title's phrase stops growing as soon as no name begins with it.
    by_fold: HashMap<String, Vec<(usize, String)>>,
    max_words: usize,
}

impl UnitIndex {
    fn new(cfg: &Config) -> UnitIndex {
        let mut by_fold: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut max_words = 0;
        for (i, unit) in cfg.units.iter().enumerate() {
            for name in unit.names() {
                let key = Key::new(name);
                let n: Vec<&str> = words(&key.norm).collect();
                let f: Vec<&str> = words(&key.fold).collect();
                if n.is_empty() || n.len() != f.len() {
                    continue;
                }
                max_words = max_words.max(n.len());
                for len in 1..f.len() {
                    by_fold.entry(f[..len].join(" ")).or_default();
                }
                by_fold.entry(f.join(" ")).or_default().push((i, n.join(" ")));
            }
        }
        UnitIndex { by_fold, max_words }
    }

    /// The unit a workbook titles itself as: its name as whole words in the rows above
    /// a sheet's header. Exact spelling beats a match without diacritics, a longer name
    /// beats a shorter one; two units tied at the top give no answer.
    fn recognise(&self, views: &[View]) -> Option<usize> {
        let mut best: Option<(Match, usize, usize)> = None; // (match, name length, unit)
        let mut tie = false;
        let (mut n, mut f) = (Vec::new(), Vec::new());
        let mut phrase = String::new();
        for view in views {
            for (_, key) in title_texts(view) {
                f.clear();
                f.extend(words(&key.fold));
                // The exact words are only needed once a phrase names a unit.
                n.clear();
                'text: for start in 0..f.len() {
                    phrase.clear();
                    for len in 1..=self.max_words.min(f.len() - start) {
                        if len > 1 {
                            phrase.push(' ');
                        }
                        phrase.push_str(f[start + len - 1]);
                        let Some(hits) = self.by_fold.get(&phrase) else { break };
                        if hits.is_empty() {
                            continue;
                        }
                        if n.is_empty() {
                            n.extend(words(&key.norm));
                        }
                        if n.len() != f.len() {
                            break 'text; // words lost or gained by folding: no reliable match
                        }
                        let exact = n[start..start + len].join(" ");
                        for (unit, name) in hits {
                            let m = if *name == exact { Match::Exact } else { Match::Folded };
                            let cand = (m, name.len(), *unit);
                            match best {
                                Some((bm, bl, bu)) if (bm, bl) == (cand.0, cand.1) && bu != *unit => tie = true,
                                Some((bm, bl, _)) if (bm, bl) >= (cand.0, cand.1) => {}
                                _ => {
                                    best = Some(cand);
                                    tie = false;
                                }
                            }
                        }
                    }
                }
            }
        }
        if tie { None } else { best.map(|(_, _, i)| i) }
    }
}

/// Text cells above the first header row (the rows a sheet titles itself with).
fn title_texts<'v>(view: &'v View) -> impl Iterator<Item = ((u32, u32), &'v Key)> {
    let stop = *view.title_stop.get_or_init(|| {
        view.keys(0, HEADER_SEARCH_ROWS).find(|(_, k)| k.norm == "stt").map(|((r, _), _)| r).unwrap_or(10)
    });
    view.keys(0, stop)
}

// ---------------------------------------------------------------- periods

/// The "Từ ngày ... đến ngày ..." line of a sheet, if it has one above its header.
fn sheet_period(view: &View) -> Option<(Period, u32, u32)> {
    title_texts(view).find_map(|((r, c), k)| parse_folded_period(&k.fold).map(|p| (p, r, c)))
}

/// Parse "(Từ ngày 05/6/2024 đến ngày 05/7/2024)"; other dated lines are not periods.
pub fn parse_period(text: &str) -> Option<Period> {
    parse_folded_period(&fold(text))
}

fn parse_folded_period(f: &str) -> Option<Period> {
    let start = f.find("tu ngay")?;
    let rest = &f[start..];
    if !rest.contains("den") {
        return None;
    }
    let dates: Vec<(u32, u32, u32)> = rest
        .split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '.' || c == '-'))
        .filter_map(|tok| crate::config::parse_date(tok.trim_matches(['.', '-'])))
        .collect();
    match dates.as_slice() {
        [from, to, ..] => Some(Period { from: *from, to: *to }),
        _ => None,
    }
}

// ---------------------------------------------------------------- sheets

/// Pick the sheet for one table or list. Several candidates (a stale "(T6)" copy
/// beside the current sheet) are decided by the period they state, then by name.
fn choose_sheet<'w, 's>(
    ctx: &mut Ctx,
    views: &'w [View<'s>],
    name: &Key,
    title: Option<&Key>,
    want: Option<Period>,
    periods: &mut Vec<(Period, Location)>,
) -> Option<&'w View<'s>> {
    let mut cands: Vec<(u8, &View)> =
        views.iter().filter_map(|v| sheet_score(v, name, title).map(|score| (score, v))).collect();
    if cands.is_empty() {
        return None;
    }
    let period_ok = |s: &View| match (sheet_period(s), want) {
        (Some((p, _, _)), Some(w)) => p == w,
        _ => true,
    };
    // Best: states the report's period, then the closest name.
    cands.sort_by_key(|(score, s)| (std::cmp::Reverse(period_ok(s)), std::cmp::Reverse(*score)));
    let chosen = cands[0].1;
    for (_, other) in &cands[1..] {
        if std::ptr::eq(*other, chosen) {
            continue;
        }
        let (msg, loc) = match sheet_period(other) {
            Some((p, r, c)) => (
                format!(
                    "Trang tính \"{}\" là số liệu kỳ khác ({}); không tổng hợp trang này, dùng trang \"{}\".",
                    other.name,
                    p.describe(),
                    chosen.name
                ),
                ctx.at(other, r, c),
            ),
            None => (
                format!(
                    "Trang tính \"{}\" trùng nội dung với \"{}\"; không tổng hợp trang này.",
                    other.name, chosen.name
                ),
                ctx.at_sheet(other),
            ),
        };
        if !ctx.findings.iter().any(|f| f.kind == FindingKind::StaleSheetIgnored && f.location.sheet == loc.sheet) {
            ctx.findings.push(Finding::new(Severity::Info, FindingKind::StaleSheetIgnored, loc, msg));
        }
    }
    if let Some((p, r, c)) = sheet_period(chosen) {
        let loc = ctx.at(chosen, r, c);
        if !periods.iter().any(|(_, l)| l.sheet == loc.sheet) {
            periods.push((p, loc));
        }
    }
    Some(chosen)
}

/// How well a sheet fits: 4 exact name, 3 name without diacritics, 2 name as prefix, 1 title only.
fn sheet_score(view: &View, name: &Key, title: Option<&Key>) -> Option<u8> {
    match view.name_key.matches(name) {
        Some(Match::Exact) => return Some(4),
        Some(Match::Folded) => return Some(3),
        None => {}
    }
    let (sf, nf) = (&view.name_key.fold, &name.fold);
    if !nf.is_empty() && sf.starts_with(nf.as_str()) && sf[nf.len()..].starts_with([' ', '(', '_', '-']) {
        return Some(2);
    }
    let title = title?;
    title_texts(view).any(|(_, k)| k.matches(title).is_some()).then_some(1)
}

// ---------------------------------------------------------------- headers

/// Where a header label sits: the best-matching cell in the first rows, preferring
/// exact matches, then real column headers over merged group headers, then lower rows.
fn find_header(view: &View, labels: &[Key], below: Option<u32>) -> Option<(u32, u32)> {
    /// (match quality, is a real column header, row) -> position
    type Ranked = ((Match, bool, u32), (u32, u32));
    let mut best: Option<Ranked> = None;
    let first = below.map_or(0, |r| r.saturating_sub(3));
    let last = below.map_or(HEADER_SEARCH_ROWS, |r| r + 3);
    for ((r, c), key) in view.keys(first, last) {
        let Some(m) = key.matches_any(labels) else { continue };
        let is_group = view.merge_at(r, c).is_some_and(|m| m.last_col > m.first_col);
        let key = (m, !is_group, r);
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, (r, c)));
        }
    }
    best.map(|(_, pos)| pos)
}

/// The rows of a table's body: after the header, up to (not including) its total row.
struct Body {
    first: u32,
    /// The total row and its label, if the table has one.
    total: Option<u32>,
    last: u32,
}

fn find_body(view: &View, header_end: u32, label_col: u32, total_labels: &[Key]) -> Body {
    let last_row = view.last_row().unwrap_or(header_end);
    let mut total = None;
    let mut last = header_end;
    for r in header_end + 1..=last_row {
        let is_total = view
            .row(r)
            .take(4)
            .any(|(c, _)| c <= label_col && view.key(r, c).is_some_and(|k| k.matches_any(total_labels).is_some()));
        if is_total {
            total = Some(r);
            break;
        }
        if view.row(r).next().is_some() {
            last = r;
        }
    }
    Body { first: header_end + 1, total, last }
}

// ---------------------------------------------------------------- tables

fn read_table(ctx: &mut Ctx, sheet: &View, table: &Table, keys: &TableKeys, out: &mut Vec<Figure>) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!(
                "Trang tính \"{}\" không có cột tiêu đề \"{}\"; không đọc được bảng \"{}\".",
                sheet.name, table.label_header, table.title
            ),
        );
        return;
    };
    let stt_col = find_header(sheet, &keys.stt, Some(hr)).map(|(_, c)| c);
    let (mut cols, mut col_index) = (Vec::new(), Vec::new());
    for (i, (col, labels)) in table.columns.iter().zip(&keys.columns).enumerate() {
        match find_header(sheet, labels, Some(hr)) {
            Some(pos) => {
                cols.push((col.id.as_str(), pos));
                col_index.push(i);
            }
            None => ctx.error(
                FindingKind::MissingColumn,
                ctx.at(sheet, hr, label_col),
                format!("Bảng \"{}\" thiếu cột \"{}\"; số liệu cột này chưa được tổng hợp.", table.title, col.header),
            ),
        }
    }
    if cols.is_empty() {
        return;
    }
    let header_end = cols.iter().map(|(_, (r, _))| *r).max().unwrap_or(hr).max(hr);
    let ratio_col = keys.ratio.as_ref().and_then(|k| find_header(sheet, k, Some(hr))).map(|(_, c)| c);
    let body = find_body(sheet, header_end, label_col, &keys.totals);
    // Column sums over every data row, for the table's own total row and for row-less tables.
    let mut sums = vec![0.0; cols.len()];
    let mut seen_rows: Vec<Option<u32>> = vec![None; table.rows.len()];
    let mut data_rows = Vec::new();
    for r in body.first..=body.last.max(body.first) {
        if sheet.row(r).next().is_none() || r > body.last {
            continue;
        }
        let label = sheet.text(r, label_col).unwrap_or("");
        let has_numbers = cols.iter().any(|(_, (_, c))| sheet.get(r, *c).is_some());
        if !has_numbers {
            continue; // heading, note or blank row
        }
        data_rows.push(r);
        let values: Vec<Option<f64>> = cols.iter().map(|(_, (_, c))| ctx.number(sheet, r, *c)).collect();
        for (s, v) in sums.iter_mut().zip(&values) {
            *s += v.unwrap_or(0.0);
        }
        check_row(ctx, sheet, table, r, &cols, &values);
        if let (Some(rc), Some(ratio)) = (ratio_col, &table.ratio) {
            check_ratio(ctx, sheet, table, ratio, (r, rc), &cols, &values);
        }
        if table.rows.is_empty() {
            continue;
        }
        let Some(idx) = match_row(sheet, table, keys, r, label_col, stt_col) else {
            if values.iter().flatten().any(|v| *v != 0.0) {
                ctx.warn(
                    FindingKind::UnknownRow,
                    ctx.at(sheet, r, label_col),
                    format!(
                        "Dòng \"{}\" không có trong danh mục của bảng \"{}\"; số liệu dòng này không được tổng hợp.",
                        label.trim(),
                        table.title
                    ),
                );
            }
            continue;
        };
        if let Some(prev) = seen_rows[idx] {
            ctx.warn(
                FindingKind::DuplicateRow,
                ctx.at(sheet, r, label_col),
                format!(
                    "Dòng \"{}\" xuất hiện hai lần (dòng {} và {}); chỉ tổng hợp dòng {}.",
                    table.rows[idx].label,
                    prev + 1,
                    r + 1,
                    prev + 1
                ),
            );
            continue;
        }
        seen_rows[idx] = Some(r);
        for (((_, (_, c)), v), i) in cols.iter().zip(&values).zip(&col_index) {
            if let Some(v) = v {
                out.push(Figure { id: keys.ids[idx][*i].clone(), value: *v, source: ctx.at(sheet, r, *c) });
            }
        }
    }
    if let Some(tr) = body.total {
        check_total_row(ctx, sheet, table, tr, &cols, &sums, (body.first, tr.saturating_sub(1)));
    }
    if table.rows.is_empty() {
        for (((_, (_, c)), sum), i) in cols.iter().zip(&sums).zip(&col_index) {
            let cell = match (body.total, data_rows.first(), data_rows.last()) {
                (Some(tr), _, _) => cell_ref(tr, *c),
                (None, Some(a), Some(b)) => format!("{}:{}", cell_ref(*a, *c), cell_ref(*b, *c)),
                _ => cell_ref(header_end + 1, *c),
            };
            out.push(Figure { id: keys.ids[0][*i].clone(), value: *sum, source: ctx.at_cell(sheet, cell.into()) });
        }
    }
}

/// The config row a sheet row stands for: by label, or by STT when the label is empty.
fn match_row(
    sheet: &View,
    table: &Table,
    keys: &TableKeys,
    r: u32,
    label_col: u32,
    stt_col: Option<u32>,
) -> Option<usize> {
    if let Some(label) = sheet.key(r, label_col).filter(|k| !k.norm.is_empty()) {
        let mut best: Option<(Match, usize)> = None;
        for (i, names) in keys.rows.iter().enumerate() {
            if let Some(m) = label.matches_any(names)
                && best.is_none_or(|(bm, _)| m > bm)
            {
                best = Some((m, i));
            }
        }
        return best.map(|(_, i)| i);
    }
    let stt = match sheet.get(r, stt_col?)?.value {
        Value::Number(n) => n as u32,
        Value::Text(ref t) => t.trim().parse().ok()?,
        _ => return None,
    };
    table.rows.iter().position(|row| row.stt == stt)
}

/// Per-row checks: counts are not negative, and the configured "small <= large" pairs hold.
fn check_row(ctx: &mut Ctx, sheet: &Sheet, table: &Table, r: u32, cols: &[(&str, (u32, u32))], values: &[Option<f64>]) {
    for ((_, (_, c)), v) in cols.iter().zip(values) {
        if let Some(v) = v
            && *v < 0.0
        {
            ctx.warn(
                FindingKind::NegativeCount,
                ctx.at(sheet, r, *c),
                format!("Số liệu âm ({}) ở bảng \"{}\".", v, table.title),
            );
        }
    }
    let get = |id: &str| cols.iter().position(|(cid, _)| *cid == id).and_then(|i| values[i].map(|v| (v, cols[i].1.1)));
    for [small, large] in &table.not_greater {
        if let (Some((s, sc)), Some((l, _))) = (get(small), get(large))
            && s > l
        {
            let header = |id: &str| {
                table.columns.iter().find(|c| c.id == id).map_or_else(|| id.to_string(), |c| c.header.clone())
            };
            ctx.warn(
                FindingKind::ExceedsTotal,
                ctx.at(sheet, r, sc),
                format!(
                    "\"{}\" ({}) lớn hơn \"{}\" ({}) ở cùng dòng.",
                    header(small),
                    crate::number::fmt_num(s),
                    header(large),
                    crate::number::fmt_num(l)
                ),
            );
        }
    }
}

/// A ratio cell ("Tỷ lệ %": a formula's cached fraction, or text like "99,5%") must
/// agree with its row's parts, to the precision it is written with.
fn check_ratio(
    ctx: &mut Ctx,
    sheet: &Sheet,
    table: &Table,
    ratio: &crate::config::Ratio,
    (r, c): (u32, u32),
    cols: &[(&str, (u32, u32))],
    values: &[Option<f64>],
) {
    let get = |id: &str| cols.iter().position(|(cid, _)| *cid == id).and_then(|i| values[i]);
    let (Some(num), Some(den)) = (get(&ratio.numerator), get(&ratio.denominator)) else { return };
    let computed = crate::number::ratio_pct(num, den);
    // (percentage written, tolerance in percentage points); None: the cell says "no ratio".
    let given: Option<(f64, f64)> = match sheet.get(r, c).map(|cell| &cell.value) {
        None | Some(Value::Empty) | Some(Value::Error(_)) | Some(Value::Bool(_)) => return,
        Some(Value::Number(x)) => Some(if *x > 1.0 + 1e-9 { (*x, 0.005) } else { (x * 100.0, 0.005) }),
        Some(Value::Text(t)) => match parse_vn(t) {
            Ok(p) if p.dash => None,
            Ok(p) => {
                let decimals = t
                    .rsplit([',', '.'])
                    .next()
                    .filter(|_| t.contains([',', '.']))
                    .map_or(0, |d| d.chars().filter(char::is_ascii_digit).count() as i32);
                let pct = if p.percent || p.value > 1.0 { p.value } else { p.value * 100.0 };
                Some((pct, 0.5 * 10f64.powi(-decimals) + 1e-9))
            }
            Err(_) => return,
        },
    };
    let agrees = match (given, computed) {
        (None, None) => true,
        (Some((g, _)), None) => g == 0.0,
        (None, Some(_)) => false,
        (Some((g, tol)), Some(c)) => (g - c).abs() <= tol.max(0.005),
    };
    if agrees {
        return;
    }
    let header =
        |id: &str| table.columns.iter().find(|col| col.id == id).map_or(id.to_string(), |col| col.header.clone());
    let shown = given.map_or("-".to_string(), |(g, _)| crate::number::fmt_pct_trim((g * 100.0).round() / 100.0));
    let right = computed.map_or("không tính được (mẫu số bằng 0)".to_string(), crate::number::fmt_pct_trim);
    ctx.warn(
        FindingKind::RatioMismatch,
        ctx.at(sheet, r, c),
        format!(
            "Tỷ lệ ghi {shown}, nhưng \"{}\"/\"{}\" = {}/{} cho {right}; báo cáo dùng tỷ lệ tính lại từ số liệu.",
            header(&ratio.numerator),
            header(&ratio.denominator),
            crate::number::fmt_num(num),
            crate::number::fmt_num(den)
        ),
    );
}

/// Compare a table's own total row (typed or formula) with the sum of its rows.
fn check_total_row(
    ctx: &mut Ctx,
    sheet: &Sheet,
    table: &Table,
    tr: u32,
    cols: &[(&str, (u32, u32))],
    sums: &[f64],
    (first, last): (u32, u32),
) {
    for ((id, (_, c)), sum) in cols.iter().zip(sums) {
        let Some(cell) = sheet.get(tr, *c) else { continue };
        let header = table.columns.iter().find(|col| col.id == *id).map_or(*id, |col| col.header.as_str());
        let shown = match &cell.value {
            Value::Number(n) => Some(*n),
            Value::Text(_) => ctx.number(sheet, tr, *c),
            _ => None,
        };
        let loc = ctx.at(sheet, tr, *c);
        let range = format!("{}:{}", cell_ref(first, *c), cell_ref(last.max(first), *c));
        match (shown, &cell.formula) {
            (Some(v), formula) if (v - sum).abs() > 1e-6 => {
                let (kind, what) = if formula.is_some() {
                    (
                        FindingKind::FormulaCacheMismatch,
                        format!("Giá trị lưu sẵn của công thức ={}", formula.as_deref().unwrap_or("")),
                    )
                } else {
                    (FindingKind::TotalRowMismatch, "Dòng tổng cộng (nhập tay)".to_string())
                };
                ctx.findings.push(
                    Finding::new(
                        Severity::Warning,
                        kind,
                        loc,
                        format!(
                            "{what} ghi {} ở cột \"{header}\", nhưng cộng các dòng {range} được {}; đã dùng tổng các dòng ({}).",
                            crate::number::fmt_num(v),
                            crate::number::fmt_num(*sum),
                            crate::number::fmt_num(*sum)
                        ),
                    )
                    .values(v, *sum),
                );
            }
            (None, Some(f)) => ctx.warn(
                FindingKind::FormulaNoCache,
                loc,
                format!(
                    "Ô tổng cộng có công thức ={f} nhưng không có giá trị lưu sẵn; đã dùng tổng các dòng ({}).",
                    crate::number::fmt_num(*sum)
                ),
            ),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- lists

fn read_list(ctx: &mut Ctx, sheet: &View, list: &List, keys: &ListKeys, out: &mut Vec<Figure>) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!("Trang tính \"{}\" không có cột tiêu đề \"{}\".", sheet.name, list.label_header),
        );
        return;
    };
    let Some((_, value_col)) = find_header(sheet, &keys.value_header, Some(hr)) else {
        ctx.error(
            FindingKind::MissingColumn,
            ctx.at(sheet, hr, label_col),
            format!(
                "Trang tính \"{}\" không có cột \"{}\"; số liệu chưa được tổng hợp.",
                sheet.name, list.value_header
            ),
        );
        return;
    };
    let last = sheet.last_row().unwrap_or(hr);
    let labels: Vec<(u32, &Key)> = (hr + 1..=last).filter_map(|r| sheet.key(r, label_col).map(|k| (r, k))).collect();
    for ((item, (names, section)), id) in list.items.iter().zip(&keys.items).zip(&keys.ids) {
        let Some(r) = find_item(&labels, names, section.as_ref()) else {
            ctx.warn(
                FindingKind::MissingItem,
                ctx.at_sheet(sheet),
                format!(
                    "Trang tính \"{}\" không có dòng \"{}\"; số liệu này không có trong báo cáo của đơn vị.",
                    sheet.name, item.label
                ),
            );
            continue;
        };
        if let Some(v) = ctx.number(sheet, r, value_col) {
            if v < 0.0 {
                ctx.warn(
                    FindingKind::NegativeCount,
                    ctx.at(sheet, r, value_col),
                    format!("Số liệu âm ({v}) ở dòng \"{}\".", item.label),
                );
            }
            check_formula_cache(ctx, sheet, r, value_col);
            out.push(Figure { id: id.clone(), value: v, source: ctx.at(sheet, r, value_col) });
        }
    }
}

/// The row of a list item: its label, searched after its section heading when it has one.
fn find_item(labels: &[(u32, &Key)], names: &[Key], section: Option<&Key>) -> Option<u32> {
    let start = match section {
        Some(sec) => {
            labels.iter().position(|(_, k)| k.matches(sec).is_some() || k.fold.starts_with(sec.fold.as_str()))? + 1
        }
        None => 0,
    };
    let mut best: Option<(Match, u32)> = None;
    for (r, k) in &labels[start.min(labels.len())..] {
        if let Some(m) = k.matches_any(names)
            && best.is_none_or(|(bm, _)| m > bm)
        {
            best = Some((m, *r));
            if m == Match::Exact {
                break;
            }
        }
    }
    best.map(|(_, r)| r)
}

/// A formula whose cached value differs from what its cells add up to.
fn check_formula_cache(ctx: &mut Ctx, sheet: &Sheet, r: u32, c: u32) {
    let Some(cell) = sheet.get(r, c) else { return };
    let (Value::Number(cached), Some(f)) = (&cell.value, &cell.formula) else { return };
    if let Some(v) = eval_simple(sheet, f)
        && (v - cached).abs() > 1e-6
    {
        ctx.findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::FormulaCacheMismatch,
                ctx.at(sheet, r, c),
                format!(
                    "Giá trị lưu sẵn của công thức ={f} là {}, nhưng tính lại được {}; đã dùng giá trị ghi trong tệp. Hãy mở tệp bằng Excel để tính lại.",
                    crate::number::fmt_num(*cached),
                    crate::number::fmt_num(v)
                ),
            )
            .values(*cached, v),
        );
    }
}

/// Evaluate the simple formulas totals use: `SUM(A1:B9)`, `A1+B2-C3`, `SUM(A1,B2)`.
/// Anything else gives `None`.
pub fn eval_simple(sheet: &Sheet, formula: &str) -> Option<f64> {
    let f: String = formula.trim().trim_start_matches('=').chars().filter(|c| !c.is_whitespace()).collect();
    let upper = f.to_uppercase();
    if let Some(inner) = upper.strip_prefix("SUM(").and_then(|s| s.strip_suffix(')')) {
        return inner.split([',', ';']).map(|part| eval_range(sheet, part)).sum();
    }
    let mut total = 0.0;
    let mut sign = 1.0;
    let mut term = String::new();
    for ch in upper.chars().chain(std::iter::once('+')) {
        if ch == '+' || ch == '-' {
            if !term.is_empty() {
                total += sign * eval_range(sheet, &term)?;
                term.clear();
            } else if ch == '-' {
                sign = -sign;
                continue;
            }
            sign = if ch == '-' { -1.0 } else { 1.0 };
        } else {
            term.push(ch);
        }
    }
    Some(total)
}

fn eval_range(sheet: &Sheet, part: &str) -> Option<f64> {
    let (a, b) = part.split_once(':').unwrap_or((part, part));
    let (r0, c0) = parse_ref(a)?;
    let (r1, c1) = parse_ref(b)?;
    if r1 < r0 || c1 < c0 || (r1 - r0) as u64 * (c1 - c0 + 1) as u64 > 100_000 {
        return None;
    }
    let mut sum = 0.0;
    for r in r0..=r1 {
        for c in c0..=c1 {
            match sheet.get(r, c).map(|cell| &cell.value) {
                Some(Value::Number(n)) => sum += n,
                Some(Value::Text(t)) => sum += parse_vn(t).ok()?.value,
                Some(Value::Empty) | None => {}
                _ => return None,
            }
        }
    }
    Some(sum)
}

/// "E22" or "$E$22" -> zero-based (row, col).
fn parse_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_recognised_and_notes_are_not() {
        let p = parse_period("(Từ ngày 05/6/2024 đến ngày 05/7/2024)").unwrap();
        assert_eq!(p.from, (5, 6, 2024));
        assert_eq!(p.to, (5, 7, 2024));
        assert_eq!(p.describe(), "từ ngày 05/6/2024 đến ngày 05/7/2024");
        assert!(parse_period("Ghi chú: số liệu tạm tính đến ngày 04/7/2024").is_none());
        assert!(parse_period("(Số liệu lũy kế tính đến ngày 07/5/2024)").is_none());
        assert!(parse_period("(Tu ngay 05/5/2024 den ngay 05/6/2024)").is_some());
    }

    fn sample_config() -> Config {
        Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml"))
            .unwrap()
    }

    /// The unit named by a sheet whose title rows hold `titles`.
    fn unit_of(cfg: &Config, titles: &[&str]) -> Option<String> {
        let mut sheet = Sheet::default();
        for (r, t) in titles.iter().enumerate() {
            sheet.cells.insert((r as u32, 0), crate::read::Cell { value: Value::Text((*t).into()), formula: None });
        }
        sheet.cells.insert((8, 0), crate::read::Cell { value: Value::Text("STT".into()), formula: None });
        let index = UnitIndex::new(cfg);
        index.recognise(&[View::new(&sheet)]).map(|i| cfg.units[i].name.clone())
    }

    #[test]
    fn units_are_recognised_from_title_rows_as_whole_words() {
        let cfg = sample_config();
        let name = |t: &[&str]| unit_of(&cfg, t);
        // Titles from the July inbox.
        assert_eq!(name(&["TỔ CÔNG TÁC ĐỀ ÁN 06 PHƯỜNG KINH DINH"]).as_deref(), Some("Phường Kinh Dinh"));
        assert_eq!(
            name(&["UBND THÀNH PHỐ PHAN RANG - THÁP CHÀM", "UBND PHƯỜNG MỸ HẢI"]).as_deref(),
            Some("Phường Mỹ Hải"),
            "a parent body line names no unit"
        );
        assert_eq!(
            name(&["CÔNG AN TỈNH NINH THUẬN", "CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM"]).as_deref(),
            Some("Công an thành phố")
        );
        assert_eq!(
            name(&["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]).as_deref(),
            Some("Phòng Lao động – Thương binh và Xã hội")
        );
        // No diacritics at all still matches; a longer word does not. (NFD text is made NFC
        // by the reader before any matching: see the July test on Thanh Sơn.)
        assert_eq!(name(&["to cong tac xa thanh hai"]).as_deref(), Some("Xã Thành Hải"));
        assert_eq!(name(&["PHƯỜNG VĂN HẢIX"]), None);
        // Rows below the header ("Trạm Y tế phường Bảo An" in a table) are not titles.
        assert_eq!(name(&["BÁO CÁO"]), None);
    }

    #[test]
    fn simple_formulas_are_evaluated() {
        let mut s = Sheet::default();
        let num = |v| crate::read::Cell { value: Value::Number(v), formula: None };
        s.cells.insert((9, 3), num(2233.0));
        s.cells.insert((10, 3), num(11.0));
        assert_eq!(eval_simple(&s, "D10+D11"), Some(2244.0));
        assert_eq!(eval_simple(&s, "=SUM(D10:D11)"), Some(2244.0));
        assert_eq!(eval_simple(&s, "D10-D11"), Some(2222.0));
        assert_eq!(eval_simple(&s, "IF(E7=0,\"-\",F7/E7)"), None);
        assert_eq!(parse_ref("$AA$3"), Some((2, 26)));
    }
}
