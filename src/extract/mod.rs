//! Finding the configured figures inside one workbook.
//!
//! Nothing here knows a particular ward's layout. Sheets are found by name
//! (exact, then without diacritics, then as a prefix like "DVC thiết yếu (T6)")
//! or by the table's title; header rows by their labels anywhere in the first
//! rows; columns by header, preferring real column headers over merged group
//! headers, else by meaning (a synonym, or the words only that column uses);
//! rows by label, by STT when the label cell is empty, else by the words of the
//! label. What fits two columns or rows is an error, never a pick.
//!
//! One module a step: `view` gives a sheet's text cells their normalised keys,
//! `unit` recognises the unit from the title rows, `sheet` chooses the sheet
//! for a table or list (and reads the period it states), `header` finds the
//! header cells and a table's body, `meaning` matches a cell to a configured
//! phrase by its words, `table` and `list` read the figures and
//! check them (sub-total rows apart), `cell` reads the number in a figure cell, `formula`
//! evaluates the simple formulas totals use and checks their cached values, and
//! `as_of` reads the date cumulative figures are counted up to.

use crate::config::Config;
use crate::model::id;
use crate::model::{
    CellNote, Figure, Finding, FindingKind, Location, MissingFigure, MissingWhy, Period, Severity, StatedAsOf,
};
use crate::number::fmt_num;
use crate::read::{Sheet, Workbook};
use crate::text::{Key, cell_ref};
use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;
use std::sync::Arc;

mod as_of;
mod cell;
mod formula;
mod header;
mod list;
mod meaning;
mod sheet;
mod table;
mod unit;
mod view;

pub use as_of::parse_as_of;
pub use formula::eval_simple;
use list::read_list;
use meaning::Phrase;
use sheet::choose_sheet;
pub use sheet::parse_period;
use table::read_table;
use unit::UnitIndex;
use view::View;

/// How many rows from the top are searched for titles and headers.
const HEADER_SEARCH_ROWS: u32 = 40;

/// What one workbook gave.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Index into `cfg.units` of the unit the workbook names itself as.
    pub unit: Option<usize>,
    /// The figures read, each with the cell it was read from.
    pub figures: Vec<Figure>,
    /// What reading found worth telling: unreadable cells, failed checks, notes.
    pub findings: Vec<Finding>,
    /// The figures its sheets should give and do not: the configured columns,
    /// labelled rows and list items of every table and list whose sheet it has
    /// that were not found, or whose cell held no number (each also an error in
    /// `findings`). A row found but left blank is not missing.
    pub missing: Vec<MissingFigure>,
    /// The config's tables (by index) whose sheet the workbook has.
    pub tables_found: Vec<usize>,
    /// The config's lists (by index) whose sheet the workbook has.
    pub lists_found: Vec<usize>,
    /// Periods stated by the sheets used, with where they were read.
    pub periods: Vec<(Period, Location)>,
    /// As-of dates stated by the sheets used (title rows, a list's heading rows),
    /// each with the figures it dates.
    pub as_of: Vec<StatedAsOf>,
    /// Read with no period wanted, and some table or list had copies stating
    /// different periods: which copy is current depends on the inbox's period, so
    /// the engine reads the workbook again once it is known.
    pub undecided: bool,
    /// Some figure cell held something (a number, text, a formula). False for a
    /// workbook whose figure cells are all empty, like a blank form of `baocao
    /// forms`: the engine tells such a unit apart as not filled in.
    pub filled: bool,
}

/// The config's labels, normalised once per run, and its unit names indexed by words,
/// so reading a workbook costs the same whatever the number of units.
pub struct Prepared<'c> {
    /// The config prepared.
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
    /// Each column's synonyms, matched as a whole header cell.
    synonyms: Vec<Vec<Key>>,
    /// Each column's header, aliases and synonyms as phrases needing only the words
    /// no other column of the table uses (see [`meaning`]); phrases with none are left out.
    meanings: Vec<Vec<Phrase>>,
    totals: Vec<Key>,
    rows: Vec<Vec<Key>>,
    /// Each row's label and aliases as phrases needing every word.
    row_phrases: Vec<Vec<Phrase>>,
    /// The group headings the rows sit under ("I. NHÓM DỊCH VỤ CÔNG …").
    headings: Vec<Key>,
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
    /// Each item's label and aliases as phrases needing every word.
    item_phrases: Vec<Vec<Phrase>>,
    /// Each item's figure id, shared by every unit.
    ids: Vec<Arc<str>>,
}

fn keys<'a>(labels: impl IntoIterator<Item = &'a String>) -> Vec<Key> {
    labels.into_iter().map(|l| Key::new(l)).collect()
}

/// Each column's header, aliases and synonyms as phrases that need only their
/// distinctive words: those no other column's header, aliases or synonyms use.
fn column_meanings(t: &crate::config::Table) -> Vec<Vec<Phrase>> {
    let phrases: Vec<Vec<Phrase>> = t
        .columns
        .iter()
        .map(|c| {
            std::iter::once(&c.header)
                .chain(&c.aliases)
                .chain(&c.synonyms)
                .map(|l| Phrase::new(&Key::new(l).fold))
                .collect()
        })
        .collect();
    let used_by = |i: usize, w: &str| {
        phrases.iter().enumerate().any(|(j, ps)| j != i && ps.iter().any(|p| p.words.iter().any(|x| x == w)))
    };
    phrases
        .iter()
        .enumerate()
        .map(|(i, ps)| {
            ps.iter()
                .map(|p| Phrase { needed: p.needed.iter().filter(|w| !used_by(i, w)).cloned().collect(), ..p.clone() })
                .filter(|p| !p.needed.is_empty())
                .collect()
        })
        .collect()
}

impl<'c> Prepared<'c> {
    /// Normalise the labels and index the unit names of `cfg`, for reading with
    /// no period wanted (the inbox's period is decided from what the files state).
    pub fn new(cfg: &'c Config) -> Prepared<'c> {
        Prepared::with_period(cfg, None)
    }

    /// [`Prepared::new`], reading for the period `want`: of a sheet's copies, the
    /// one stating it is taken.
    pub fn with_period(cfg: &'c Config, want: Option<Period>) -> Prepared<'c> {
        let tables = cfg
            .tables
            .iter()
            .map(|t| TableKeys {
                sheet: Key::new(&t.sheet),
                title: Key::new(&t.title),
                label_header: vec![Key::new(&t.label_header)],
                stt: vec![Key::new(&t.stt_header)],
                columns: t.columns.iter().map(|c| keys(std::iter::once(&c.header).chain(&c.aliases))).collect(),
                synonyms: t.columns.iter().map(|c| keys(&c.synonyms)).collect(),
                meanings: column_meanings(t),
                totals: keys(&t.total_labels),
                rows: t.rows.iter().map(|r| keys(std::iter::once(&r.label).chain(&r.aliases))).collect(),
                row_phrases: t
                    .rows
                    .iter()
                    .map(|r| {
                        std::iter::once(&r.label).chain(&r.aliases).map(|l| Phrase::all(&Key::new(l).fold)).collect()
                    })
                    .collect(),
                headings: keys(t.rows.iter().filter_map(|r| r.heading.as_ref())),
                ratio: t.ratio.as_ref().map(|r| vec![Key::new(&r.header)]),
                ids: if t.rows.is_empty() {
                    vec![t.columns.iter().map(|c| Arc::from(id::table_sum(&t.id, &c.id))).collect()]
                } else {
                    t.rows
                        .iter()
                        .map(|r| t.columns.iter().map(|c| Arc::from(id::table_row(&t.id, r.stt, &c.id))).collect())
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
                item_phrases: l
                    .items
                    .iter()
                    .map(|i| {
                        std::iter::once(&i.label).chain(&i.aliases).map(|l| Phrase::all(&Key::new(l).fold)).collect()
                    })
                    .collect(),
                ids: l.items.iter().map(|i| Arc::from(i.id.as_str())).collect(),
            })
            .collect();
        Prepared { cfg, period: want, units: UnitIndex::new(cfg), tables, lists }
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
    let mut x = Extracted::default();
    // The sheets figures are read from: their title rows name the sender.
    let mut data_sheets: Vec<usize> = Vec::new();
    let mut note_data_sheet = |chosen: &sheet::Chosen| {
        if let Some(i) = views.iter().position(|v| std::ptr::eq(v, chosen.sheet))
            && !data_sheets.contains(&i)
        {
            data_sheets.push(i);
        }
    };
    let mut ctx = Ctx {
        file: Arc::from(file),
        last_sheet: RefCell::new(None),
        converted: Vec::new(),
        findings: Vec::new(),
        missing: Vec::new(),
        rule: cfg.period,
        undecided: false,
        filled: false,
    };
    let want = prep.period;
    report_reading(&mut ctx, wb);
    for (i, (table, keys)) in cfg.tables.iter().zip(&prep.tables).enumerate() {
        if let Some(chosen) = choose_sheet(&mut ctx, &views, &keys.sheet, Some(&keys.title), want, &mut x.periods) {
            note_data_sheet(&chosen);
            x.tables_found.push(i);
            let read = |ctx: &mut Ctx, view: &View, figures: &mut Vec<Figure>, stated: &mut Vec<StatedAsOf>| {
                let first = figures.len();
                read_table(ctx, view, table, keys, figures);
                if let Some((date, r, c)) = as_of::title_as_of(view)
                    && figures.len() > first
                {
                    let figures = figures[first..].iter().map(|f| f.id.clone()).collect();
                    stated.push(StatedAsOf { date, source: ctx.at(view, r, c), figures });
                }
            };
            let ids: Vec<Arc<str>> = keys.ids.iter().flatten().cloned().collect();
            read_with_twins(&mut ctx, cfg, &chosen, (&table.title, &ids), &mut x, read);
        }
    }
    for (i, (list, keys)) in cfg.lists.iter().zip(&prep.lists).enumerate() {
        if let Some(chosen) = choose_sheet(&mut ctx, &views, &keys.sheet, keys.title.as_ref(), want, &mut x.periods) {
            note_data_sheet(&chosen);
            x.lists_found.push(i);
            let read = |ctx: &mut Ctx, view: &View, figures: &mut Vec<Figure>, stated: &mut Vec<StatedAsOf>| {
                read_list(ctx, view, list, keys, (figures, stated));
            };
            let what = list.title.as_deref().unwrap_or(&list.sheet);
            read_with_twins(&mut ctx, cfg, &chosen, (what, &keys.ids), &mut x, read);
        }
    }
    // The unit is the one the data sheets name. An instructions sheet, a cover or a
    // lookup sheet speaks only when no data sheet names any unit, and then with a
    // warning naming the sheet: a name found off the data is not certain.
    data_sheets.sort_unstable();
    x.unit = if data_sheets.iter().any(|&i| prep.units.sender_of(&views[i]).is_some()) {
        prep.units.recognise(data_sheets.iter().map(|&i| &views[i]))
    } else {
        let others: Vec<&View> = views.iter().filter(|v| !v.hidden).collect();
        let others = if others.is_empty() { views.iter().collect() } else { others };
        let unit = prep.units.recognise(others.iter().copied());
        if let Some(u) = unit
            && !data_sheets.is_empty()
            && let Some(named) = others.iter().find(|v| prep.units.sender_of(v) == Some(u))
        {
            let data: Vec<String> = data_sheets.iter().map(|&i| format!("\"{}\"", views[i].name)).collect();
            ctx.warn(
                FindingKind::UnitFromOtherSheet,
                ctx.at_sheet(named),
                format!(
                    "Các trang số liệu ({}) không ghi tên đơn vị ở dòng tiêu đề; đơn vị được nhận ra là {} theo trang \"{}\". Đề nghị kiểm tra và ghi tên đơn vị ở đầu các trang số liệu.",
                    data.join(", "),
                    cfg.units[u].name,
                    named.name
                ),
            );
        }
        unit
    };
    report_hidden_rows(&mut ctx, &views, &data_sheets);
    if !ctx.converted.is_empty() {
        let first = ctx.converted[0].clone();
        let examples: Vec<String> = ctx
            .converted
            .iter()
            .take(4)
            .map(|c| format!("{} \"{}\" = {}", c.cell, c.text, fmt_num(c.value.unwrap_or(0.0))))
            .collect();
        ctx.findings.push(Finding {
            cells: std::mem::take(&mut ctx.converted),
            ..Finding::new(
                Severity::Info,
                FindingKind::TextNumbersConverted,
                Location::cell(file, &first.sheet, &first.cell),
                format!(
                    "Có số được nhập dạng chữ (ví dụ {}); đã đọc theo kiểu Việt Nam (\"1.020\" và \"1 020\" là 1020, \"12 hồ sơ\" là 12, \"-\" là 0) và đưa vào tổng hợp.",
                    examples.join(", ")
                ),
            )
        });
    }
    x.findings = ctx.findings;
    x.undecided = ctx.undecided;
    x.filled = ctx.filled;
    x.missing = missing_figures(cfg, ctx.missing);
    // A figure missing is not also given in part (a column sum short of a cell
    // that is no number): the unit gives it whole or not at all.
    if !x.missing.is_empty() {
        let missing: foldhash::HashSet<&str> = x.missing.iter().map(|m| &*m.id).collect();
        x.figures.retain(|f| !missing.contains(&*f.id));
    }
    x
}

/// The missing figures noted while reading, each once (the first reason
/// found), labelled as the report labels them.
fn missing_figures(cfg: &Config, noted: Vec<Missing>) -> Vec<MissingFigure> {
    let mut seen = foldhash::HashSet::default();
    noted
        .into_iter()
        .filter(|m| seen.insert(m.id.clone()))
        .map(|m| MissingFigure {
            label: cfg.figure_label(&m.id).unwrap_or_else(|| m.id.to_string()),
            id: m.id,
            why: m.why,
            what: m.what,
            location: m.location,
        })
        .collect()
}

/// Most hidden rows a finding names one by one.
const SHOWN_HIDDEN_ROWS: usize = 10;

/// Hidden rows of the sheets figures are read from: read and counted like the
/// others (a hidden row is still the unit's figure), and told, naming the rows,
/// so the unit can check it meant them.
fn report_hidden_rows(ctx: &mut Ctx, views: &[View], data_sheets: &[usize]) {
    for &i in data_sheets {
        let sheet = &views[i];
        let rows: Vec<u32> = sheet.hidden_rows.iter().copied().filter(|&r| sheet.row(r).next().is_some()).collect();
        let Some(&first) = rows.first() else { continue };
        let mut shown: Vec<String> = rows.iter().take(SHOWN_HIDDEN_ROWS).map(|r| (r + 1).to_string()).collect();
        if rows.len() > SHOWN_HIDDEN_ROWS {
            shown.push(format!("và {} dòng khác", rows.len() - SHOWN_HIDDEN_ROWS));
        }
        let col = sheet.row(first).next().map_or(0, |(c, _)| c);
        ctx.findings.push(Finding {
            cells: rows
                .iter()
                .filter_map(|&r| {
                    let (c, cell) = sheet.row(r).next()?;
                    let text = match &cell.value {
                        crate::read::Value::Text(t) => t.to_string(),
                        crate::read::Value::Number(n) => fmt_num(*n),
                        _ => String::new(),
                    };
                    Some(CellNote { sheet: sheet.name.clone(), cell: cell_ref(r, c), text, value: None })
                })
                .collect(),
            ..Finding::new(
                Severity::Info,
                FindingKind::HiddenRowsRead,
                ctx.at(sheet, first, col),
                format!(
                    "Trang tính \"{}\" có {} dòng bị ẩn (dòng {}); các dòng ẩn vẫn được đọc và tổng hợp như các dòng khác. Đề nghị đơn vị kiểm tra các dòng này.",
                    sheet.name,
                    rows.len(),
                    shown.join(", ")
                ),
            )
        });
    }
}

/// A figure noted missing while reading a sheet (see [`Extracted::missing`]).
struct Missing {
    id: Arc<str>,
    why: MissingWhy,
    what: String,
    location: Location,
}

/// Most differing figures a message about two copies of a sheet names.
const SHOWN_DIFFERENCES: usize = 5;

/// Read one table or list (`what`) from its chosen sheet, and from every other
/// sheet of the workbook that fits it as well and states the same period: a copy
/// with the same figures is counted once (an info); a copy with other figures
/// means neither can be trusted, so the table is not counted (an error naming
/// both sheets and the differing cells), as for two files of one unit.
fn read_with_twins(
    ctx: &mut Ctx,
    cfg: &Config,
    chosen: &sheet::Chosen,
    (what, table_ids): (&str, &[Arc<str>]),
    x: &mut Extracted,
    read: impl Fn(&mut Ctx, &View, &mut Vec<Figure>, &mut Vec<StatedAsOf>),
) {
    let (first, first_as_of, first_missing) = (x.figures.len(), x.as_of.len(), ctx.missing.len());
    read(ctx, chosen.sheet, &mut x.figures, &mut x.as_of);
    let a = &chosen.sheet.name;
    for twin in &chosen.twins {
        // The copy is read only to be compared: what reading it finds is not told twice.
        let mut scratch = Ctx {
            file: ctx.file.clone(),
            last_sheet: RefCell::new(None),
            converted: Vec::new(),
            findings: Vec::new(),
            missing: Vec::new(),
            rule: ctx.rule,
            undecided: false,
            filled: false,
        };
        let (mut figures, mut stated) = (Vec::new(), Vec::new());
        read(&mut scratch, twin, &mut figures, &mut stated);
        if figures.is_empty() {
            continue; // its name or title fits, but it holds no such table
        }
        let b = &twin.name;
        let ours: HashMap<&str, &Figure> = x.figures[first..].iter().map(|f| (&*f.id, f)).collect();
        let theirs: HashMap<&str, &Figure> = figures.iter().map(|f| (&*f.id, f)).collect();
        let mut diffs = Vec::new();
        let mut ids: Vec<&str> = ours.keys().chain(theirs.keys()).copied().collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let (p, q) = (ours.get(id), theirs.get(id));
            if p.map(|f| f.value) == q.map(|f| f.value) {
                continue;
            }
            let label = cfg.figure_label(id).unwrap_or_else(|| id.to_string());
            let shown = |f: Option<&&Figure>, sheet: &str| match f {
                Some(f) => format!("{} ở \"{sheet}\"!{}", fmt_num(f.value), f.source.cell.as_deref().unwrap_or("")),
                None => format!("trống ở \"{sheet}\""),
            };
            let text = format!("{label}: {} / {}", shown(p, a), shown(q, b));
            for f in [p, q].into_iter().flatten() {
                diffs.push(CellNote::at(&f.source, text.clone(), Some(f.value)));
            }
        }
        if diffs.is_empty() {
            ctx.findings.push(Finding::new(
                Severity::Info,
                FindingKind::DuplicateSheet,
                ctx.at_sheet(twin),
                format!(
                    "Trang tính \"{b}\" là bản sao của trang \"{a}\" (cùng kỳ, cùng số liệu bảng \"{what}\"); chỉ tính một lần, dùng trang \"{a}\"."
                ),
            ));
            continue;
        }
        let mut shown: Vec<String> = diffs.iter().map(|d| d.text.clone()).collect();
        shown.dedup();
        let more = shown.len().saturating_sub(SHOWN_DIFFERENCES);
        shown.truncate(SHOWN_DIFFERENCES);
        let more = if more > 0 { format!(" và {more} số liệu khác") } else { String::new() };
        ctx.findings.push(Finding {
            cells: diffs,
            ..Finding::new(
                Severity::Error,
                FindingKind::DuplicateSheet,
                ctx.at_sheet(twin),
                format!(
                    "Hai trang tính \"{a}\" và \"{b}\" cùng là bảng \"{what}\" của cùng kỳ nhưng số liệu khác nhau: {}{more}. Không tổng hợp bảng này của đơn vị; hãy xóa trang không đúng rồi gửi lại.",
                    shown.join("; ")
                ),
            )
        });
        x.figures.truncate(first);
        x.as_of.truncate(first_as_of);
        // None of the table's figures is counted: each is missing from the unit.
        ctx.missing.truncate(first_missing);
        let at = ctx.at_sheet(twin);
        for id in table_ids {
            ctx.missing.push(Missing {
                id: id.clone(),
                why: MissingWhy::Conflict,
                what: format!("hai trang “{a}” và “{b}” khác số liệu"),
                location: at.clone(),
            });
        }
        return;
    }
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
        report_stray_cells(ctx, sheet);
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

/// Rows of nothing between a sheet's data and a cell below it that make that cell stray.
const STRAY_ROW_GAP: u32 = 1000;
/// Columns of nothing between a sheet's data and a cell right of it that make it stray.
const STRAY_COL_GAP: u32 = 100;
/// More cells than this out there are a second block of the sheet, not strays.
const MAX_STRAY_CELLS: usize = 10;

/// A few cells far below or right of a sheet's data (one space at XFD1048576):
/// no table reads them, but Excel counts the sheet as used up to there, so the
/// file opens slowly and prints blank pages. Told to the unit, so it clears them.
fn report_stray_cells(ctx: &mut Ctx, sheet: &Sheet) {
    let blanks = [sheet.far_blanks.lowest, sheet.far_blanks.rightmost];
    let last_row = sheet.last_row().into_iter().chain(blanks.iter().flatten().map(|p| p.0)).max();
    let last_col = sheet.cells.keys().map(|p| p.1).chain(blanks.iter().flatten().map(|p| p.1)).max();
    let (Some(last_row), Some(last_col)) = (last_row, last_col) else { return };
    if last_row < STRAY_ROW_GAP && last_col < STRAY_COL_GAP {
        return; // nothing can be that far: the common case costs one pass
    }
    // The data: rows from the first, as long as no gap is wider than STRAY_ROW_GAP;
    // then, within those rows, columns from the first the same way.
    let mut block_end_row = None;
    for &(r, _) in sheet.cells.keys() {
        match block_end_row {
            Some(end) if r > end + STRAY_ROW_GAP => break,
            _ => block_end_row = Some(r),
        }
    }
    let Some(block_end_row) = block_end_row else { return };
    let mut cols: Vec<u32> = sheet.cells.range(..=(block_end_row, u32::MAX)).map(|(p, _)| p.1).collect();
    cols.sort_unstable();
    cols.dedup();
    let mut block_end_col = cols[0];
    for &c in &cols[1..] {
        if c > block_end_col + STRAY_COL_GAP {
            break;
        }
        block_end_col = c;
    }
    let far = |&(r, c): &(u32, u32)| r > block_end_row + STRAY_ROW_GAP || c > block_end_col + STRAY_COL_GAP;
    let mut strays: Vec<((u32, u32), bool)> =
        sheet.cells.keys().filter(|p| far(p)).take(MAX_STRAY_CELLS + 1).map(|&p| (p, false)).collect();
    for p in blanks.into_iter().flatten().filter(far) {
        if !strays.iter().any(|(q, _)| *q == p) {
            strays.push((p, true));
        }
    }
    if strays.is_empty() || strays.len() > MAX_STRAY_CELLS {
        return;
    }
    let first_row = sheet.cells.keys().next().map_or(0, |p| p.0);
    let data = format!("{}:{}", cell_ref(first_row, cols[0]), cell_ref(block_end_row, block_end_col));
    let shown: Vec<String> = strays
        .iter()
        .map(|&((r, c), blank)| if blank { format!("{} (chỉ có dấu cách)", cell_ref(r, c)) } else { cell_ref(r, c) })
        .collect();
    let ((r, c), _) = strays[0];
    ctx.findings.push(Finding {
        cells: strays
            .iter()
            .map(|&((r, c), _)| CellNote {
                sheet: sheet.name.clone(),
                cell: cell_ref(r, c),
                text: sheet.text(r, c).unwrap_or("").to_owned(),
                value: None,
            })
            .collect(),
        ..Finding::new(
            Severity::Warning,
            FindingKind::StrayCells,
            ctx.at(sheet, r, c),
            format!(
                "Trang tính \"{}\" có ô nằm rất xa vùng số liệu ({}): {}. {} không thuộc bảng nào nên không được tính, nhưng làm Excel coi cả vùng đến đó là đang dùng (tệp mở chậm, in ra nhiều trang trắng). Đề nghị đơn vị xóa nội dung ô rồi lưu lại.",
                sheet.name,
                data,
                shown.join(", "),
                if strays.len() > 1 { "Các ô này" } else { "Ô này" }
            ),
        )
    });
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
    /// See [`Extracted::missing`].
    missing: Vec<Missing>,
    /// The city's period rule (a sheet stating only "Tháng 8/2024").
    rule: crate::model::PeriodRule,
    /// See [`Extracted::undecided`].
    undecided: bool,
    /// See [`Extracted::filled`].
    filled: bool,
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

    /// One info for the rows of `sheet` read by the words of their label, not
    /// their configured text: `cells` names each, `shown` says the first five
    /// in the message ("Bảng …" or "Trang tính …" is `subject`), the rest counted.
    fn rows_by_meaning(&mut self, sheet: &Sheet, subject: String, shown: Vec<String>, cells: Vec<CellNote>) {
        let Some(first) = cells.first().map(|c| c.cell.clone()) else { return };
        let more = cells.len().saturating_sub(shown.len());
        let more = if more > 0 { format!(" và {more} dòng khác") } else { String::new() };
        let at = self.at_cell(sheet, first.into());
        self.findings.push(Finding {
            cells,
            ..Finding::new(
                Severity::Info,
                FindingKind::RowByMeaning,
                at,
                format!("{subject}: tên dòng ghi khác mẫu, đã đọc theo nội dung: {}{more}.", shown.join("; ")),
            )
        });
    }

    /// A figure cell at (`row`, `col`) merged over several rows holds one value:
    /// it is counted once, for the row of its top-left cell (`what`), and the
    /// range is named so the unit can split it if it meant several rows.
    fn merged_value(&mut self, sheet: &Sheet, (row, col): (u32, u32), value: f64, what: &str) {
        let Some(m) = sheet.merge_at(row, col).filter(|m| m.last_row > m.first_row) else { return };
        let range = format!("{}:{}", cell_ref(m.first_row, m.first_col), cell_ref(m.last_row, m.last_col));
        let loc = self.at_cell(sheet, range.as_str().into());
        self.warn(
            FindingKind::MergedValue,
            loc,
            format!(
                "Ô {range} được gộp qua {} dòng (dòng {}–{}) nhưng chỉ có một số liệu ({}); đã tính một lần, cho {what}. Nếu đây là số liệu của nhiều dòng, đề nghị đơn vị tách ô và ghi số của từng dòng.",
                m.last_row - m.first_row + 1,
                m.first_row + 1,
                m.last_row + 1,
                fmt_num(value)
            ),
        );
    }

    /// Note the figure `id` missing from the unit: `what` of its sheet (a column,
    /// a row, a cell) was not found or not read, at `location`.
    fn note_missing(&mut self, id: &Arc<str>, why: MissingWhy, what: &str, location: Location) {
        self.missing.push(Missing { id: id.clone(), why, what: what.to_string(), location });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Value;
    use formula::parse_ref;

    #[test]
    fn periods_are_recognised_and_notes_are_not() {
        let p = parse_period("(Từ ngày 05/6/2024 đến ngày 05/7/2024)").unwrap();
        assert_eq!((p.from.day(), p.from.month(), p.from.year()), (5, 6, 2024));
        assert_eq!((p.to.day(), p.to.month(), p.to.year()), (5, 7, 2024));
        assert_eq!(p.describe(), "từ ngày 05/6/2024 đến ngày 05/7/2024");
        assert!(parse_period("Ghi chú: số liệu tạm tính đến ngày 04/7/2024").is_none());
        assert!(parse_period("(Số liệu lũy kế tính đến ngày 07/5/2024)").is_none());
        assert!(parse_period("(Tu ngay 05/5/2024 den ngay 05/6/2024)").is_some());
    }

    /// The stray-cell findings of a sheet with text in `cells` and the blank cells `blanks`.
    fn strays(cells: &[(u32, u32)], blanks: &[(u32, u32)]) -> Vec<String> {
        let mut sheet = Sheet { name: "S".into(), ..Sheet::default() };
        for &p in cells {
            sheet.cells.insert(p, crate::read::Cell { value: Value::Text("x".into()), formula: None });
        }
        for &p in blanks {
            sheet.far_blanks.note(p);
        }
        let mut ctx = Ctx {
            file: "f.xlsx".into(),
            last_sheet: RefCell::new(None),
            converted: Vec::new(),
            findings: Vec::new(),
            missing: Vec::new(),
            rule: sample_config().period,
            undecided: false,
            filled: false,
        };
        report_stray_cells(&mut ctx, &sheet);
        ctx.findings.iter().map(|f| f.message.clone()).collect()
    }

    #[test]
    fn a_few_cells_far_from_the_data_are_strays_a_second_block_is_not() {
        let data: Vec<(u32, u32)> = (0..40).flat_map(|r| (0..8).map(move |c| (r, c))).collect();
        assert!(!strays(&data, &[(39, 200)]).is_empty(), "a blank far right");
        assert!(strays(&data, &[(50, 7)]).is_empty(), "a blank just below the data is not far");
        let with = |extra: &[(u32, u32)]| strays(&[&data[..], extra].concat(), &[]);
        let one = with(&[(5000, 2)]);
        assert_eq!(one.len(), 1);
        assert!(one[0].contains("vùng số liệu (A1:H40): C5001. Ô này"), "{}", one[0]);
        assert!(with(&[(2000, 0), (2000, 300)])[0].contains("A2001, KO2001. Các ô này"));
        // A second table far below (a notes block, another month's copy) is not a stray.
        let block: Vec<(u32, u32)> = (3000..3011).map(|r| (r, 0)).collect();
        assert!(with(&block).is_empty());
        // Data that starts far down is one block.
        assert!(strays(&data.iter().map(|&(r, c)| (r + 5000, c + 300)).collect::<Vec<_>>(), &[]).is_empty());
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
    fn a_note_naming_another_unit_is_not_the_sender() {
        let cfg = sample_config();
        let name = |t: &[&str]| unit_of(&cfg, t);
        let bao_an = Some("Phường Bảo An");
        // Notes in the title block that mention the city police.
        for note in [
            "(Số liệu dịch vụ công do Công an thành phố cung cấp)",
            "Ghi chú: số liệu đã đối chiếu với Công an thành phố",
            "Kính gửi: Công an thành phố Phan Rang - Tháp Chàm",
            "Thực hiện theo hướng dẫn của Công an thành phố Phan Rang - Tháp Chàm",
        ] {
            assert_eq!(name(&["UBND PHƯỜNG BẢO AN", "BÁO CÁO", note]).as_deref(), bao_an, "{note}");
            assert_eq!(name(&[note, "UBND PHƯỜNG BẢO AN"]).as_deref(), bao_an, "{note}");
        }
        // A header names the body above the unit: the lower line is the sender.
        assert_eq!(name(&["CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM", "CÔNG AN PHƯỜNG BẢO AN"]).as_deref(), bao_an);
        assert_eq!(
            name(&["CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM\nCÔNG AN PHƯỜNG BẢO AN"]).as_deref(),
            bao_an,
            "the same, in one cell"
        );
        // Further down the title block, a line naming another unit is not the sender.
        assert_eq!(
            name(&["UBND PHƯỜNG BẢO AN", "BÁO CÁO KẾT QUẢ", "Số liệu phân hệ Công an thành phố"]).as_deref(),
            bao_an
        );
        // An appendix's line names its sender.
        assert_eq!(
            name(&["PHỤ LỤC", "(Kèm theo Báo cáo số 125/BC-UBND ngày 05/7/2024 của UBND phường Bảo An)"]).as_deref(),
            bao_an
        );
        // Names as offices shorten them.
        assert_eq!(name(&["UBND P. BẢO AN"]).as_deref(), bao_an);
        assert_eq!(name(&["UBND P.BẢO AN"]).as_deref(), bao_an);
        assert_eq!(name(&["UBND X. THÀNH HẢI"]).as_deref(), Some("Xã Thành Hải"));
        assert_eq!(name(&["CÔNG AN TP PHAN RANG - THÁP CHÀM"]).as_deref(), Some("Công an thành phố"));
        // A note alone names no sender.
        assert_eq!(name(&["(Số liệu do Công an thành phố cung cấp)"]), None);
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
