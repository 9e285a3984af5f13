//! The engine: read an inbox, match workbooks to units, consolidate and check.
//!
//! Every readable workbook of the period is counted once. A unit with no
//! workbook, two workbooks that disagree, or a workbook of another period is
//! reported and left out rather than guessed at.

use crate::config::{CheckKind, Config, table_row_id};
use crate::extract::{self, Extracted};
use crate::model::{
    CellNote, Figure, Finding, FindingKind, Location, Period, RunResult, Severity, SkippedFile, SourceRef, Total,
    UnitResult, UnitStatus,
};
use crate::number::{fmt_num, ratio_pct};
use crate::read::{self, ReadError};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One inbox file after reading.
struct FileResult {
    name: String,
    outcome: Result<Extracted, ReadError>,
}

/// Told how reading goes, e.g. to draw a progress bar.
pub trait Progress: Sync {
    fn start(&self, _files: usize) {}
    fn file_done(&self) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// Run the whole job on a folder of workbooks.
pub fn run(cfg: &Config, inbox: &Path) -> anyhow::Result<RunResult> {
    run_with_progress(cfg, inbox, &Quiet)
}

/// [`run`], telling `progress` as each file is read. Files are read in parallel and
/// each workbook is dropped once its figures are taken; results are put back in name
/// order, so the output never depends on scheduling.
pub fn run_with_progress(cfg: &Config, inbox: &Path, progress: &dyn Progress) -> anyhow::Result<RunResult> {
    let files = list_inbox(inbox)?;
    let prepared = extract::Prepared::new(cfg);
    progress.start(files.len());
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let outcome = read::read(path).map(|wb| extract::extract_prepared(&prepared, &name, &wb));
            progress.file_done();
            FileResult { name, outcome }
        })
        .collect();
    Ok(consolidate(cfg, results))
}

/// Every entry of the inbox, sorted by name so results never depend on the file system.
fn list_inbox(inbox: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(inbox).map_err(|e| {
        anyhow::anyhow!("Không mở được thư mục báo cáo {}: {}", inbox.display(), crate::io_error_vi(&e))
    })?;
    // By name: the same order as the paths (one folder), without comparing paths
    // component by component (milliseconds for a province's inbox).
    let mut files: Vec<(std::ffi::OsString, PathBuf)> =
        entries.filter_map(|e| e.ok().map(|e| (e.file_name(), e.path()))).collect();
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// The one unreadable file whose name names `unit`, if exactly one does. A file that
/// cannot be opened cannot say whose it is, so its name is the only clue; it is used
/// to tell "sent, unreadable" from "sent nothing", never to count figures. The unit's
/// name is matched without its group's words ("Phường Phủ Hà" in "phường, xã" is
/// looked for as "phu ha"), as people name files.
fn unreadable_file_of<'f>(cfg: &Config, unit: &crate::config::Unit, files: &'f [String]) -> Option<&'f str> {
    use crate::text::{fold, words};
    let group_words: Vec<String> = cfg
        .groups
        .iter()
        .filter(|g| g.id == *unit.group.get_ref())
        .flat_map(|g| words(&fold(&g.name)).map(str::to_string).collect::<Vec<_>>())
        .collect();
    let names: Vec<Vec<String>> = unit
        .names()
        .map(|n| {
            let folded = fold(n);
            words(&folded).filter(|w| !group_words.iter().any(|g| g == w)).map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut hits = files.iter().filter(|file| {
        let folded = fold(file);
        let file_words: Vec<&str> = words(&folded).collect();
        names.iter().any(|name| file_words.windows(name.len()).any(|w| w.iter().zip(name).all(|(a, b)| a == b)))
    });
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one.as_str()),
        _ => None,
    }
}

/// Files that belong beside the workbooks on purpose: the config and the notes file.
fn is_companion(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".toml") || lower.ends_with(".md")
}

fn consolidate(cfg: &Config, results: Vec<FileResult>) -> RunResult {
    let want = cfg.period();
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    let mut by_unit: Vec<Vec<(String, Extracted)>> = cfg.units.iter().map(|_| Vec::new()).collect();
    let mut unreadable = Vec::new();
    for FileResult { name, outcome } in results {
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
        };
        let tag = |mut f: Finding| {
            f.unit = Some(unit.name.clone());
            f
        };
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
                let (name, x) = files.into_iter().next().expect("one file");
                let period_ok = check_periods(&name, &x, want, &mut findings, &unit.name);
                findings.extend(x.findings.into_iter().map(tag));
                if period_ok {
                    result.figures = x.figures;
                } else {
                    result.status = UnitStatus::WrongPeriod;
                }
            }
            _ => {
                let (status, figures) = resolve_duplicates(&unit.name, files, want, &mut findings);
                result.status = status;
                result.figures = figures;
            }
        }
        units.push(result);
    }
    run_checks(cfg, &units, &mut findings);
    let totals = totals(cfg, &units);
    // Findings in config order of their unit (a map, not a scan per comparison:
    // a province has thousands of units and of findings).
    let order: HashMap<&str, usize> = cfg.units.iter().enumerate().rev().map(|(i, u)| (u.name.as_str(), i)).collect();
    let unit_order = |unit: &Option<String>| unit.as_deref().and_then(|u| order.get(u).copied()).unwrap_or(usize::MAX);
    findings.sort_by(|a, b| {
        (unit_order(&a.unit), &a.location, a.severity).cmp(&(unit_order(&b.unit), &b.location, b.severity))
    });
    RunResult { period: cfg.period_text(), units, skipped, totals, findings }
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

/// One unit, several workbooks: identical figures are counted once; different ones not at all.
fn resolve_duplicates(
    unit: &str,
    files: Vec<(String, Extracted)>,
    want: Option<Period>,
    findings: &mut Vec<Finding>,
) -> (UnitStatus, Vec<Figure>) {
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    // Files of another period drop out first (last month's copy sent again).
    let mut current = Vec::new();
    for (name, x) in files {
        let mut sink = Vec::new();
        if check_periods(&name, &x, want, &mut sink, unit) {
            current.push((name, x));
        } else {
            findings.extend(sink);
        }
    }
    let list = names.join("\", \"");
    if current.len() == 1 {
        let (name, x) = current.pop().expect("one file");
        findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::DuplicateUnit,
                Location::file(&name),
                format!("{unit} có nhiều tệp (\"{list}\"); chỉ tệp \"{name}\" đúng kỳ báo cáo nên đã dùng tệp này."),
            )
            .unit(Some(unit)),
        );
        findings.extend(x.findings.into_iter().map(|f| f.unit(Some(unit))));
        return (UnitStatus::Counted, x.figures);
    }
    if current.is_empty() {
        return (UnitStatus::WrongPeriod, Vec::new());
    }
    fn values(x: &Extracted) -> BTreeMap<&str, f64> {
        x.figures.iter().map(|f| (&*f.id, f.value)).collect()
    }
    let first = values(&current[0].1);
    let mut diffs = Vec::new();
    for (name, x) in &current[1..] {
        let other = values(x);
        for id in first.keys().chain(other.keys()) {
            let (a, b) = (first.get(id), other.get(id));
            if a != b && !diffs.iter().any(|d: &CellNote| d.text.starts_with(&format!("{id}:"))) {
                let loc = x
                    .figures
                    .iter()
                    .find(|f| *f.id == **id)
                    .map(|f| f.source.clone())
                    .unwrap_or_else(|| Location::file(name));
                let text = format!(
                    "{id}: {} / {}",
                    a.map_or("—".into(), |v| fmt_num(*v)),
                    b.map_or("—".into(), |v| fmt_num(*v))
                );
                diffs.push(CellNote::at(&loc, text, b.copied()));
            }
        }
    }
    if diffs.is_empty() {
        let (name, x) = current.into_iter().next().expect("a file");
        findings.push(
            Finding::new(
                Severity::Warning,
                FindingKind::DuplicateUnit,
                Location::file(&name),
                format!("{unit} gửi nhiều tệp giống hệt số liệu (\"{list}\"); chỉ tính một lần, dùng tệp \"{name}\"."),
            )
            .unit(Some(unit)),
        );
        findings.extend(x.findings.into_iter().map(|f| f.unit(Some(unit))));
        return (UnitStatus::Counted, x.figures);
    }
    let shown: Vec<String> = diffs.iter().take(5).map(|d| d.text.clone()).collect();
    findings.push(Finding {
        cells: diffs,
        ..Finding::new(
            Severity::Error,
            FindingKind::DuplicateUnit,
            Location::file(&current[1].0),
            format!(
                "{unit} gửi {} tệp với số liệu khác nhau (\"{list}\"), ví dụ {}. Không tổng hợp tệp nào; hãy giữ lại đúng một tệp rồi chạy lại.",
                current.len(),
                shown.join("; ")
            ),
        )
        .unit(Some(unit))
    });
    (UnitStatus::Conflict, Vec::new())
}

/// The config's checks, on each counted unit's own figures.
fn run_checks(cfg: &Config, units: &[UnitResult], findings: &mut Vec<Finding>) {
    let labels = cfg.figure_labels();
    // The row's own words ("Số trường hợp đã xử lý"), as the unit typed them in its sheet.
    let name = |f: &Figure| {
        let label = labels.get(&*f.id).map_or(&*f.id, |l| l.rsplit(" › ").next().unwrap_or(l));
        format!("“{label}” ({})", fmt_num(f.value))
    };
    for u in units.iter().filter(|u| u.status == UnitStatus::Counted) {
        let fig = |id: &str| u.figures.iter().find(|f| *f.id == *id);
        for check in &cfg.checks {
            match check.kind {
                CheckKind::Sum => {
                    let Some(total) = check.total.as_ref().and_then(|t| fig(t.get_ref())) else { continue };
                    let parts: Option<Vec<&Figure>> = check.parts.iter().map(|p| fig(p.get_ref())).collect();
                    let Some(parts) = parts else { continue };
                    let sum: f64 = parts.iter().map(|p| p.value).sum();
                    if (sum - total.value).abs() > 1e-6 {
                        let terms: Vec<String> = parts.iter().map(|p| name(p)).collect();
                        findings.push(Finding {
                            cells: parts
                                .iter()
                                .map(|p| CellNote::at(&p.source, p.id.to_string(), Some(p.value)))
                                .collect(),
                            ..Finding::new(
                                Severity::Warning,
                                FindingKind::BreakdownMismatch,
                                total.source.clone(),
                                format!(
                                    "{} khác tổng các phần: {} = {}. Số liệu vẫn lấy đúng như đơn vị báo cáo; đề nghị đơn vị kiểm tra lại.",
                                    name(total),
                                    terms.join(" + "),
                                    fmt_num(sum)
                                ),
                            )
                            .unit(Some(&u.name))
                            .values(total.value, sum)
                        });
                    }
                }
                CheckKind::NotGreater => {
                    let (Some(s), Some(l)) = (
                        check.small.as_ref().and_then(|x| fig(x.get_ref())),
                        check.large.as_ref().and_then(|x| fig(x.get_ref())),
                    ) else {
                        continue;
                    };
                    if s.value > l.value {
                        findings.push(
                            Finding::new(
                                Severity::Warning,
                                FindingKind::ExceedsTotal,
                                s.source.clone(),
                                format!(
                                    "{} lớn hơn {} ở ô {}; đề nghị đơn vị kiểm tra lại.",
                                    name(s),
                                    name(l),
                                    l.source.cell.as_deref().unwrap_or_default()
                                ),
                            )
                            .unit(Some(&u.name))
                            .values(s.value, l.value),
                        );
                    }
                }
            }
        }
    }
}

/// Sum every figure over the counted units, then the group sums, table totals and ratios.
fn totals(cfg: &Config, units: &[UnitResult]) -> BTreeMap<String, Total> {
    // Every counted unit figure by id (units in config order): its place and value,
    // never a copy of its provenance. A province has hundreds of thousands: the
    // units are split between the cores, each part's lists then joined in order.
    type ById<'u> = HashMap<&'u str, Vec<(SourceRef, &'u str, f64)>>;
    fn part(first: usize, of: &[UnitResult]) -> ById<'_> {
        let mut by_id: ById = HashMap::new();
        for (ui, u) in (first..).zip(of).filter(|(_, u)| u.status == UnitStatus::Counted) {
            for (fi, f) in u.figures.iter().enumerate() {
                let at = SourceRef { unit: ui as u32, figure: fi as u32 };
                by_id.entry(&f.id).or_default().push((at, u.group.as_str(), f.value));
            }
        }
        by_id
    }
    let per_part = units.len().div_ceil(rayon::current_num_threads()).max(1);
    let parts: Vec<ById> = units.par_chunks(per_part).enumerate().map(|(i, of)| part(i * per_part, of)).collect();
    let mut parts = parts.into_iter();
    let mut by_id = parts.next().unwrap_or_default();
    for later in parts {
        for (id, figures) in later {
            by_id.entry(id).or_default().extend(figures);
        }
    }
    let sum_of = |id: &str, group: Option<&str>| -> Total {
        let of_group = by_id.get(id).into_iter().flatten().filter(|(_, g, _)| group.is_none_or(|want| *g == want));
        let sources: Vec<SourceRef> = of_group.clone().map(|(at, _, _)| *at).collect();
        let value = if sources.is_empty() { None } else { Some(of_group.map(|(_, _, v)| v).sum()) };
        Total { value, sources }
    };
    let mut out: BTreeMap<String, Total> = cfg
        .unit_figure_ids()
        .into_iter()
        .map(|id| {
            let total = sum_of(&id, None);
            (id, total)
        })
        .collect();
    let plain = |v: Option<f64>| Total { value: v, sources: Vec::new() };
    for t in &cfg.tables {
        if t.rows.is_empty() {
            continue;
        }
        for c in &t.columns {
            let mut total = 0.0;
            for r in &t.rows {
                let id = table_row_id(&t.id, r.stt, &c.id);
                // A service no unit reported is 0 in the appendix, as the seed prints it.
                let v = out.get(&id).and_then(|x| x.value).unwrap_or(0.0);
                out.entry(id).and_modify(|x| x.value = Some(v));
                total += v;
            }
            out.insert(crate::config::table_total_id(t, &c.id), plain(Some(total)));
        }
        if let Some(ratio) = &t.ratio {
            let keys: Vec<String> = t.rows.iter().map(|r| format!("rows[{}]", r.stt)).chain(["total".into()]).collect();
            for k in keys {
                let get = |col: &str| out.get(&format!("{}.{k}.{col}", t.id)).and_then(|x| x.value);
                let v = match (get(&ratio.numerator), get(&ratio.denominator)) {
                    (Some(n), Some(d)) => ratio_pct(n, d),
                    _ => None,
                };
                out.insert(format!("{}.{k}.{}", t.id, ratio.id), plain(v));
            }
        }
    }
    for a in &cfg.aggregates {
        out.insert(a.id.clone(), sum_of(a.sum.get_ref(), Some(a.group.get_ref())));
    }
    for d in &cfg.derived {
        let get = |i: usize| out.get(d.percent[i].get_ref()).and_then(|x| x.value);
        let v = match (get(0), get(1)) {
            (Some(n), Some(dd)) => ratio_pct(n, dd),
            _ => None,
        };
        out.insert(d.id.clone(), plain(v));
    }
    out
}
