//! Which workbook is whose: files sorted to the units they name, a unit's several
//! files resolved, files of another period left out, and each expected unit's
//! status decided.

use super::FileResult;
use crate::config::Config;
use crate::extract::Extracted;
use crate::model::{
    CellNote, Finding, FindingKind, Location, MissingFigure, MissingWhy, Period, Severity, SkippedFile, UnitResult,
    UnitStatus,
};
use crate::number::fmt_num;
use crate::read::ReadError;
use std::collections::BTreeMap;

/// Files that belong beside the workbooks on purpose: the config, the report
/// template (`baocao init` writes `bao-cao.md.j2` beside the config) and the notes file.
pub(super) fn is_companion(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".toml") || lower.ends_with(".md") || lower.ends_with(".j2")
}

/// The inbox sorted out: every expected unit with its status and figures, the
/// files not counted, and what was found on the way.
pub(super) struct Sorted {
    pub units: Vec<UnitResult>,
    pub skipped: Vec<SkippedFile>,
    pub findings: Vec<Finding>,
}

/// Sort every file to the unit it names and decide each expected unit's status.
pub(super) fn sort_out(cfg: &Config, results: Vec<FileResult>, want: Period) -> Sorted {
    let want = Some(want);
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut by_unit: Vec<Vec<(String, Extracted)>> = cfg.units.iter().map(|_| Vec::new()).collect();
    let mut unreadable = Vec::new();
    for FileResult { name, outcome, .. } in results {
        if is_companion(&name) {
            skipped
                .push(SkippedFile { file: name, reason: "tệp cấu hình hoặc ghi chú của báo cáo".into() });
            continue;
        }
        match outcome {
            Err(ReadError::NotAWorkbook(reason)) => {
                findings.push(Finding::new(
                    Severity::Info,
                    FindingKind::NotAWorkbook,
                    Location::file(&name),
                    format!("Bỏ qua: {reason}."),
                ));
                skipped.push(SkippedFile { file: name, reason });
            }
            Err(ReadError::Unreadable(reason)) => {
                findings.push(Finding::new(
                    Severity::Error,
                    FindingKind::Unreadable,
                    Location::file(&name),
                    format!("Không đọc được: {reason}. Số liệu trong tệp này chưa được tổng hợp."),
                ));
                unreadable.push(name.clone());
                skipped.push(SkippedFile { file: name, reason });
            }
            Ok(x) => match x.unit {
                Some(u) => by_unit[u].push((name, x)),
                None => {
                    findings.push(Finding::new(
                        Severity::Error,
                        FindingKind::UnknownUnit,
                        Location::file(&name),
                        "Không nhận ra đơn vị gửi báo cáo: dòng tiêu đề của các trang tính không ghi tên đơn vị nào trong danh sách cấu hình. Số liệu trong tệp này chưa được tổng hợp.".into(),
                    ));
                    findings.extend(x.findings);
                    skipped.push(SkippedFile { file: name, reason: "không nhận ra đơn vị".into() });
                }
            },
        }
    }
    let mut units = Vec::new();
    for (i, unit) in cfg.units.iter().enumerate() {
        let files = std::mem::take(&mut by_unit[i]);
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let mut result = UnitResult {
            name: unit.name.clone(),
            group: unit.group.get_ref().clone(),
            status: UnitStatus::Counted,
            files: names.clone(),
            figures: Vec::new(),
            missing: Vec::new(),
            as_of: Vec::new(),
        };
        let tag = |mut f: Finding| {
            f.unit = Some(unit.name.clone());
            f
        };
        let files = if files.len() > 1 { drop_blank_copies(&unit.name, files, &mut findings) } else { files };
        match files.len() {
            0 => match unreadable_file_of(cfg, unit, &unreadable) {
                // Its file could not be read: say so rather than "sent nothing".
                Some(file) => {
                    result.status = UnitStatus::Unreadable;
                    result.files = vec![file.to_string()];
                    for f in
                        findings.iter_mut().filter(|f| f.kind == FindingKind::Unreadable && *f.location.file == *file)
                    {
                        f.unit = Some(unit.name.clone());
                        f.message = format!("{} (tệp có vẻ là của {}, đoán theo tên tệp.)", f.message, unit.name);
                    }
                }
                None => {
                    result.status = UnitStatus::Missing;
                    findings.push(tag(Finding::new(
                        Severity::Error,
                        FindingKind::MissingUnit,
                        Location::default(),
                        format!("{} chưa gửi báo cáo kỳ này (không có tệp nào trong thư mục).", unit.name),
                    )));
                }
            },
            1 => {
                let (name, mut x) = files.into_iter().next().expect("one file");
                let period_ok = check_periods(&name, &x, want, &mut findings, &unit.name);
                let blank = period_ok && is_blank(&x);
                findings.extend(std::mem::take(&mut x.findings).into_iter().map(tag));
                if blank {
                    result.status = UnitStatus::Blank;
                    findings.push(blank_finding(&unit.name, &name));
                } else if period_ok {
                    count(cfg, &mut result, (&name, x), &mut findings);
                } else {
                    result.status = UnitStatus::WrongPeriod;
                }
            }
            _ => {
                let (status, counted) = resolve_duplicates(cfg, &unit.name, files, want, &mut findings);
                result.status = status;
                if let Some((name, x)) = counted {
                    if is_blank(&x) {
                        result.status = UnitStatus::Blank;
                        findings.push(blank_finding(&unit.name, &name));
                    } else {
                        count(cfg, &mut result, (&name, x), &mut findings);
                    }
                }
            }
        }
        units.push(result);
    }
    Sorted { units, skipped, findings }
}

/// A workbook of the unit that has its sheets (it gave figures, or states a
/// period) but not one figure cell filled in: a blank form sent back as it was.
fn is_blank(x: &Extracted) -> bool {
    !x.filled && (!x.figures.is_empty() || !x.periods.is_empty())
}

/// The error telling that `unit` sent `file` without figures.
fn blank_finding(unit: &str, file: &str) -> Finding {
    Finding::new(
        Severity::Error,
        FindingKind::BlankUnit,
        Location::file(file),
        format!(
            "{unit} gửi tệp nhưng chưa điền số liệu (mọi ô số liệu đều trống); chưa tổng hợp đơn vị này. Đề nghị đơn vị điền số liệu vào các ô trắng (ghi 0 nếu không phát sinh) rồi gửi lại."
        ),
    )
    .unit(Some(unit))
}

/// Of a unit's several workbooks, the blank ones are left out when another is
/// filled in (a blank form sent beside the filled one), with an info each.
fn drop_blank_copies(
    unit: &str,
    files: Vec<(String, Extracted)>,
    findings: &mut Vec<Finding>,
) -> Vec<(String, Extracted)> {
    if files.iter().all(|(_, x)| is_blank(x)) {
        return files;
    }
    let (blank, filled): (Vec<_>, Vec<_>) = files.into_iter().partition(|(_, x)| is_blank(x));
    for (name, _) in &blank {
        findings.push(
            Finding::new(
                Severity::Info,
                FindingKind::BlankUnit,
                Location::file(name),
                format!("Tệp \"{name}\" của {unit} là biểu mẫu chưa điền số liệu; bỏ qua, dùng tệp đã điền."),
            )
            .unit(Some(unit)),
        );
    }
    filled
}

/// Count the figures of the workbook `x` (file `name`) as the unit's: it is
/// "thiếu số liệu" ([`UnitStatus::Incomplete`]) when figures its sheets should
/// give are missing (each already an error of the workbook's, naming the sheet
/// and the labels), or when it has no sheet of a table or list the config says
/// it, or every unit of its group, must report (an error here, naming the sheet).
fn count(cfg: &Config, result: &mut UnitResult, (name, x): (&str, Extracted), findings: &mut Vec<Finding>) {
    let group = result.group.as_str();
    // Required of the unit by its name (Some(true)) or as one of its group (Some(false)).
    let required = |from: &[toml::Spanned<String>]| {
        let by_name = from.iter().any(|g| *g.get_ref() == result.name);
        (by_name || from.iter().any(|g| *g.get_ref() == group)).then_some(by_name)
    };
    let mut absent: Vec<(&str, &str, Vec<String>, bool)> = Vec::new();
    for (i, t) in cfg.tables.iter().enumerate() {
        if let Some(by_name) = required(&t.reported_by)
            && !x.tables_found.contains(&i)
        {
            absent.push((&t.sheet, &t.title, t.unit_figure_ids(), by_name));
        }
    }
    for (i, l) in cfg.lists.iter().enumerate() {
        if let Some(by_name) = required(&l.reported_by)
            && !x.lists_found.contains(&i)
        {
            let title = l.title.as_deref().unwrap_or(&l.sheet);
            absent.push((&l.sheet, title, l.items.iter().map(|it| it.id.clone()).collect(), by_name));
        }
    }
    result.figures = x.figures;
    result.as_of = x.as_of;
    result.missing = x.missing;
    let group_name = cfg.groups.iter().find(|g| g.id == group).map_or(group, |g| g.name.as_str());
    for (sheet, title, ids, by_name) in absent {
        let who = if by_name { result.name.clone() } else { format!("mọi {group_name}") };
        findings.push(
            Finding::new(
                Severity::Error,
                FindingKind::MissingSheet,
                Location::file(name),
                format!(
                    "Tệp không có trang \"{sheet}\" (bảng \"{title}\"), bảng {who} phải báo cáo; số liệu bảng này chưa được tổng hợp, đơn vị thiếu số liệu."
                ),
            )
            .unit(Some(&result.name)),
        );
        for id in ids {
            result.missing.push(MissingFigure {
                label: cfg.figure_label(&id).unwrap_or_else(|| id.clone()),
                id: id.into(),
                why: MissingWhy::Sheet,
                what: "không có trang này".into(),
                location: Location::sheet(name, sheet),
            });
        }
    }
    if !result.missing.is_empty() {
        result.status = UnitStatus::Incomplete;
    }
}

/// The one unreadable file whose name names `unit`, if exactly one does and names no
/// other unit as well. A file that cannot be opened cannot say whose it is, so its
/// name is the only clue; it is used to tell "sent, unreadable" from "sent nothing",
/// never to count figures. See [`name_match`] for how names are matched.
fn unreadable_file_of<'f>(cfg: &Config, unit: &crate::config::Unit, files: &'f [String]) -> Option<&'f str> {
    let me = cfg.units.iter().position(|u| std::ptr::eq(u, unit))?;
    let mut hits = files.iter().filter(|file| {
        let scores: Vec<u8> = cfg.units.iter().map(|u| name_match(cfg, u, file)).collect();
        let best = scores.iter().copied().max().unwrap_or(0);
        best > 0 && scores[me] == best && scores.iter().filter(|s| **s == best).count() == 1
    });
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one.as_str()),
        _ => None,
    }
}

/// How well a file name names `unit`: 2 when the unit's name words (without its
/// group's words: "Phường Phủ Hà" in "phường, xã" is "phu ha") appear in order,
/// 1 in another order, 0 not at all. Case, diacritics, separators and spacing do
/// not matter, and words run together count ("PhuHa", "PHUHA", "DoVinh").
fn name_match(cfg: &Config, unit: &crate::config::Unit, file: &str) -> u8 {
    use crate::text::{fold, words};
    let group_words: Vec<String> = cfg
        .groups
        .iter()
        .filter(|g| g.id == *unit.group.get_ref())
        .flat_map(|g| words(&fold(&g.name)).map(str::to_string).collect::<Vec<_>>())
        .collect();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let folded = fold(&split_camel_case(stem));
    let tokens: Vec<&str> = words(&folded).collect();
    let mut best = 0;
    for name in unit.names() {
        let folded = fold(name);
        let name_words: Vec<&str> = words(&folded).filter(|w| !group_words.iter().any(|g| g == w)).collect();
        if name_words.is_empty() {
            continue;
        }
        if runs_together(&tokens, &name_words.concat()) {
            return 2;
        }
        if name_words.len() <= 4 {
            let mut reversed = name_words.clone();
            reversed.reverse();
            if name_words.len() > 1 && runs_together(&tokens, &reversed.concat()) {
                best = 1;
            }
        }
    }
    best
}

/// Some run of consecutive `tokens` spells `joined` exactly.
fn runs_together(tokens: &[&str], joined: &str) -> bool {
    (0..tokens.len()).any(|start| {
        let mut spelled = String::new();
        tokens[start..].iter().any(|t| {
            spelled.push_str(t);
            spelled == joined || !joined.starts_with(spelled.as_str())
        }) && spelled == joined
    })
}

/// "BC_DA06_DoVinh_T8" -> "BC_DA06_Do Vinh_T8": a space where a lower-case letter
/// meets an upper-case one, as people run words together in file names.
fn split_camel_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev_lower = false;
    for c in text.chars() {
        if prev_lower && c.is_uppercase() {
            out.push(' ');
        }
        prev_lower = c.is_lowercase();
        out.push(c);
    }
    out
}

/// A workbook whose sheets state another period is not counted.
fn check_periods(file: &str, x: &Extracted, want: Option<Period>, findings: &mut Vec<Finding>, unit: &str) -> bool {
    let Some(want) = want else { return true };
    if x.periods.is_empty() && !x.figures.is_empty() {
        findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::PeriodMissing,
                Location::file(file),
                format!(
                    "Tệp không ghi kỳ báo cáo (dòng \"Từ ngày ... đến ngày ...\"), nên không đối chiếu được với kỳ báo cáo ({}); vẫn tổng hợp, đề nghị kiểm tra.",
                    want.describe()
                ),
            )
            .unit(Some(unit)),
        );
        return true;
    }
    let wrong: Vec<&(Period, Location)> = x.periods.iter().filter(|(p, _)| *p != want).collect();
    // Counted when at least one sheet states the report's period (or none states another).
    if wrong.len() < x.periods.len() || wrong.is_empty() {
        for (p, loc) in wrong {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    FindingKind::PeriodMismatch,
                    loc.clone(),
                    format!(
                        "Trang tính ghi kỳ {}, khác kỳ báo cáo ({}); vẫn tổng hợp vì các trang khác đúng kỳ. Đề nghị kiểm tra.",
                        p.describe(),
                        want.describe()
                    ),
                )
                .unit(Some(unit)),
            );
        }
        return true;
    }
    let (p, loc) = wrong[0];
    findings.push(
        Finding::new(
            Severity::Error,
            FindingKind::PeriodMismatch,
            loc.clone(),
            format!(
                "Tệp {file} ghi kỳ {}, không phải kỳ báo cáo ({}): có thể là báo cáo kỳ trước gửi lại. Số liệu trong tệp này chưa được tổng hợp.",
                p.describe(),
                want.describe()
            ),
        )
        .unit(Some(unit)),
    );
    false
}

/// The part of a unit's report a figure belongs to: the configured table or
/// list (by its index, tables first), named by its sheet. A unit's two offices
/// (its police and its justice office) each send whole parts.
struct Parts<'c> {
    by_id: std::collections::HashMap<String, usize>,
    names: Vec<&'c str>,
}

impl<'c> Parts<'c> {
    fn new(cfg: &'c Config) -> Parts<'c> {
        let mut by_id = std::collections::HashMap::new();
        let mut names = Vec::new();
        for t in &cfg.tables {
            for c in &t.columns {
                if t.rows.is_empty() {
                    by_id.insert(crate::model::id::table_sum(&t.id, &c.id), names.len());
                }
                for r in &t.rows {
                    by_id.insert(crate::model::id::table_row(&t.id, r.stt, &c.id), names.len());
                }
            }
            names.push(t.sheet.as_str());
        }
        for l in &cfg.lists {
            for i in &l.items {
                by_id.insert(i.id.clone(), names.len());
            }
            names.push(l.sheet.as_str());
        }
        Parts { by_id, names }
    }

    /// The part of figure `id`; an id the config does not name is a part of its own.
    fn of(&self, id: &str) -> Part {
        match self.by_id.get(id) {
            Some(&i) => Part::Configured(i),
            None => Part::Other(id.to_string()),
        }
    }

    fn name(&self, part: &Part) -> String {
        match part {
            Part::Configured(i) => format!("\"{}\"", self.names[*i]),
            Part::Other(id) => format!("\"{id}\""),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Configured(usize),
    Other(String),
}

/// One workbook's figures by part, then by id.
fn by_part<'x>(parts: &Parts, x: &'x Extracted) -> BTreeMap<Part, BTreeMap<&'x str, f64>> {
    let mut out: BTreeMap<Part, BTreeMap<&str, f64>> = BTreeMap::new();
    for f in &x.figures {
        out.entry(parts.of(&f.id)).or_default().insert(&f.id, f.value);
    }
    out
}

/// One unit, several workbooks. A part (table or list) several of them hold must
/// hold the same figures in each: a workbook sent again is counted once, and
/// different figures for one part mean none can be trusted, so the unit is not
/// counted (an error naming the figures by label). Workbooks holding different
/// parts (the unit's police sent the DVC tables, its justice office the lists)
/// are combined, each part from the workbook that holds it, with an info naming
/// the files. Returns the unit's status and, when counted, what is counted.
fn resolve_duplicates(
    cfg: &Config,
    unit: &str,
    files: Vec<(String, Extracted)>,
    want: Option<Period>,
    findings: &mut Vec<Finding>,
) -> (UnitStatus, Option<(String, Extracted)>) {
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    // Files of another period drop out first (last month's copy sent again).
    let mut current = Vec::new();
    let mut current_notes = Vec::new();
    for (name, x) in files {
        let mut sink = Vec::new();
        if check_periods(&name, &x, want, &mut sink, unit) {
            current.push((name, x));
            current_notes.push(sink);
        } else {
            findings.extend(sink);
        }
    }
    let list = names.join("\", \"");
    if current.len() == 1 {
        let (name, mut x) = current.pop().expect("one file");
        findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::DuplicateUnit,
                Location::file(&name),
                format!("{unit} có nhiều tệp (\"{list}\"); chỉ tệp \"{name}\" đúng kỳ báo cáo nên đã dùng tệp này."),
            )
            .unit(Some(unit)),
        );
        findings.extend(std::mem::take(&mut x.findings).into_iter().map(|f| f.unit(Some(unit))));
        return (UnitStatus::Counted, Some((name, x)));
    }
    if current.is_empty() {
        return (UnitStatus::WrongPeriod, None);
    }
    let parts = Parts::new(cfg);
    let mut held: Vec<_> = current.iter().map(|(_, x)| by_part(&parts, x)).collect();
    // A part left blank in one file (the template's sheet the other office fills:
    // every figure 0) while another file fills it is not held by the blank file.
    let filled: std::collections::BTreeSet<Part> = held
        .iter()
        .flat_map(|h| h.iter().filter(|(_, f)| f.values().any(|v| *v != 0.0)).map(|(p, _)| p.clone()))
        .collect();
    let mut blank: Vec<(usize, Part)> = Vec::new();
    for (k, h) in held.iter_mut().enumerate() {
        h.retain(|p, f| {
            let left_blank = filled.contains(p) && f.values().all(|v| *v == 0.0);
            if left_blank {
                blank.push((k, p.clone()));
            }
            !left_blank
        });
    }
    // Differences inside the parts two files both hold, against the first file holding the part.
    let mut diffs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (k, (name, x)) in current.iter().enumerate() {
        for (part, other) in &held[k] {
            let Some(first) = held[..k].iter().find_map(|h| h.get(part)) else { continue };
            for id in first.keys().chain(other.keys()) {
                let (a, b) = (first.get(id), other.get(id));
                if a != b && !seen.contains(id) {
                    seen.insert(*id);
                    let loc = x
                        .figures
                        .iter()
                        .find(|f| *f.id == **id)
                        .map(|f| f.source.clone())
                        .unwrap_or_else(|| Location::file(name));
                    let text = format!(
                        "{}: {} / {}",
                        cfg.figure_label(id).unwrap_or_else(|| id.to_string()),
                        a.map_or("—".into(), |v| fmt_num(*v)),
                        b.map_or("—".into(), |v| fmt_num(*v))
                    );
                    diffs.push(CellNote::at(&loc, text, b.copied()));
                }
            }
        }
    }
    if !diffs.is_empty() {
        let shown: Vec<String> = diffs.iter().take(5).map(|d| d.text.clone()).collect();
        let at = current.iter().skip(1).map(|(n, _)| n).next().expect("two files");
        findings.push(Finding {
            cells: diffs,
            ..Finding::new(
                Severity::Error,
                FindingKind::DuplicateUnit,
                Location::file(at),
                format!(
                    "{unit} gửi {} tệp với số liệu khác nhau (\"{list}\"), ví dụ {}. Không tổng hợp tệp nào; hãy giữ lại đúng một tệp rồi chạy lại.",
                    current.len(),
                    shown.join("; ")
                ),
            )
            .unit(Some(unit))
        });
        return (UnitStatus::Conflict, None);
    }
    let same_parts = blank.is_empty() && held.iter().all(|h| h.keys().eq(held[0].keys()));
    if same_parts {
        let (name, mut x) = current.into_iter().next().expect("a file");
        findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::DuplicateUnit,
                Location::file(&name),
                format!("{unit} gửi nhiều tệp giống hệt số liệu (\"{list}\"); chỉ tính một lần, dùng tệp \"{name}\"."),
            )
            .unit(Some(unit)),
        );
        findings.extend(std::mem::take(&mut x.findings).into_iter().map(|f| f.unit(Some(unit))));
        return (UnitStatus::Counted, Some((name, x)));
    }
    // Parts that do not overlap (or overlap with the same figures): combined, each
    // part from the first file that holds it.
    let held: Vec<std::collections::BTreeSet<Part>> = held.iter().map(|h| h.keys().cloned().collect()).collect();
    let mut taken: std::collections::BTreeSet<Part> = std::collections::BTreeSet::new();
    let mut described = Vec::new();
    let mut shared = std::collections::BTreeSet::new();
    let mut combined = Extracted::default();
    let first = current[0].0.clone();
    let at = Location::file(&first);
    // A part no file holds (its sheet there but its header not found, say): what
    // each file lacks of it stays missing.
    let held_by_any: std::collections::BTreeSet<Part> = held.iter().flatten().cloned().collect();
    for (k, ((name, x), notes)) in current.into_iter().zip(current_notes).enumerate() {
        let mine: std::collections::BTreeSet<Part> = held[k].iter().filter(|p| !taken.contains(*p)).cloned().collect();
        let theirs: Vec<String> = held[k].iter().map(|p| parts.name(p)).collect();
        for p in held[k].iter().filter(|p| taken.contains(*p)) {
            shared.insert(parts.name(p));
        }
        let left: Vec<String> = blank.iter().filter(|(b, _)| *b == k).map(|(_, p)| parts.name(p)).collect();
        let left = if left.is_empty() {
            String::new()
        } else {
            format!(" (trang {} để trống, không tính)", left.join(", "))
        };
        described.push(if theirs.is_empty() {
            format!("tệp \"{name}\" không có số liệu nào{left}")
        } else {
            format!("tệp \"{name}\" có trang {}{left}", theirs.join(", "))
        });
        // Every field named, so a field added to `Extracted` must be combined here too.
        let Extracted {
            unit: named,
            figures,
            findings: found,
            periods,
            as_of,
            undecided,
            filled,
            missing,
            tables_found,
            lists_found,
        } = x;
        let lacks = |p: &Part| mine.contains(p) || !held_by_any.contains(p);
        combined.missing.extend(missing.into_iter().filter(|m| lacks(&parts.of(&m.id))));
        combined.tables_found.extend(tables_found);
        combined.lists_found.extend(lists_found);
        let kept: Vec<_> = figures.into_iter().filter(|f| mine.contains(&parts.of(&f.id))).collect();
        combined.as_of.extend(as_of.into_iter().filter(|a| a.figures.iter().any(|id| mine.contains(&parts.of(id)))));
        combined.figures.extend(kept);
        combined.periods.extend(periods);
        combined.undecided |= undecided;
        combined.filled |= filled;
        combined.unit = combined.unit.or(named);
        findings.extend(notes);
        findings.extend(found.into_iter().map(|f| f.unit(Some(unit))));
        taken.extend(mine);
    }
    for found in [&mut combined.tables_found, &mut combined.lists_found] {
        found.sort_unstable();
        found.dedup();
    }
    let shared = if shared.is_empty() {
        String::new()
    } else {
        let shared: Vec<String> = shared.into_iter().collect();
        format!(" (trang {} có ở nhiều tệp với số liệu giống nhau, chỉ tính một lần)", shared.join(", "))
    };
    findings.push(
        Finding::new(
            Severity::Info,
            FindingKind::UnitFilesCombined,
            at,
            format!(
                "{unit} gửi số liệu trong {} tệp, mỗi tệp một phần: {}{shared}; đã gộp các tệp để tổng hợp.",
                described.len(),
                described.join("; ")
            ),
        )
        .unit(Some(unit)),
    );
    (UnitStatus::Counted, Some((first, combined)))
}
