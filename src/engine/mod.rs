//! The engine: read an inbox, match workbooks to units, consolidate and check.
//!
//! Every readable workbook of the period is counted once. A unit with no
//! workbook, two workbooks that disagree, or a workbook of another period is
//! reported and left out rather than guessed at.
//!
//! The steps, each in its module: [`inbox`] lists the folder; every file is read
//! ([`crate::read`]) and its figures taken ([`crate::extract`]) in parallel;
//! `units` sorts the files to the units they name; `checks` runs the config's
//! checks on each unit; `resolve` consolidates the figures and resolves every
//! table and list into the [`Report`] the writers print; `as_of` resolves the
//! dates cumulative figures are counted up to (the one most counted units state)
//! and warns of units stating another, or an implausible one. [`previous`] then
//! compares the report with last month's appendix, when there is one.
//!
//! [`forms`] goes the other way: from the config alone, the blank workbook each
//! unit fills for a month, laid out as `extract` reads it back.

mod as_of;
mod checks;
pub mod forms;
mod inbox;
mod period;
pub mod previous;
mod resolve;
mod units;

use crate::config::Config;
use crate::extract::{self, Extracted};
use crate::model::{Finding, Month, Report, SkippedFile, UnitResult};
use crate::read::{self, ReadError};
use foldhash::HashMap;
use rayon::prelude::*;
use std::path::Path;

/// Why a run could not start: the inbox itself cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The inbox folder cannot be opened.
    #[error("Không mở được thư mục báo cáo {path}: {reason}")]
    Inbox {
        /// The folder.
        path: String,
        /// Why, in Vietnamese.
        reason: String,
    },
    /// No `--period`, and the workbooks do not say which month they are for.
    #[error("{0}")]
    Period(String),
}

/// One inbox file after reading.
struct FileResult {
    path: std::path::PathBuf,
    name: String,
    outcome: Result<Extracted, ReadError>,
}

/// Told how reading goes, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// Reading starts, with this many files.
    fn start(&self, _files: usize) {}
    /// One more file has been read.
    fn file_done(&self) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// Run the whole job on a folder of workbooks, for the period they state.
pub fn run(cfg: &Config, inbox: &Path) -> Result<Report, EngineError> {
    run_with_progress(cfg, inbox, None, &Quiet)
}

/// [`run`] for `month` when given (the workbooks are checked against its period),
/// else for the period most workbooks state; telling `progress` as each file is
/// read. Files are read in parallel and each workbook is dropped once its figures
/// are taken; results are put back in name order, so the output never depends on
/// scheduling.
pub fn run_with_progress(
    cfg: &Config,
    inbox: &Path,
    month: Option<Month>,
    progress: &dyn Progress,
) -> Result<Report, EngineError> {
    let files = inbox::list(inbox)?;
    let given = month.map(|m| period::given(cfg, m));
    let prepared = extract::Prepared::with_period(cfg, given.map(|d| d.period));
    progress.start(files.len());
    let mut results: Vec<FileResult> = files
        .into_par_iter()
        .map(|path| {
            let result = read_file(&prepared, path);
            progress.file_done();
            result
        })
        .collect();
    let mut run_findings = Vec::new();
    let decided = match given {
        Some(d) => {
            run_findings.extend(period::check_given(&d, &results));
            d
        }
        None => {
            let d = period::from_workbooks(cfg, &inbox.display().to_string(), &results)?;
            // A workbook with copies of a sheet for different periods is read again,
            // now that it is known which period is current (rare: a stale copy kept).
            let again = extract::Prepared::with_period(cfg, Some(d.period));
            for r in results.iter_mut().filter(|r| r.outcome.as_ref().is_ok_and(|x| x.undecided)) {
                *r = read_file(&again, std::mem::take(&mut r.path));
            }
            d
        }
    };
    let mut report = consolidate(cfg, results, decided);
    report.findings.extend(run_findings);
    Ok(report)
}

/// Read one inbox file and take its figures.
fn read_file(prepared: &extract::Prepared, path: std::path::PathBuf) -> FileResult {
    let name = path.file_name().map(inbox::display_name).unwrap_or_default();
    if units::is_companion(&name) {
        // The config and the notes are read by the command that names them, never as a workbook.
        let outcome = Err(ReadError::NotAWorkbook("tệp cấu hình hoặc ghi chú của báo cáo".into()));
        return FileResult { path, name, outcome };
    }
    let outcome = read::read(&path).map(|wb| extract::extract_prepared(prepared, &name, &wb));
    FileResult { path, name, outcome }
}

/// Every file read: sorted to units, checked, and consolidated into the report.
fn consolidate(cfg: &Config, results: Vec<FileResult>, decided: period::Decided) -> Report {
    let units::Sorted { units, skipped, findings } = units::sort_out(cfg, results, decided.period);
    let mut report = resolve::report(cfg, &decided, units, skipped, findings);
    checks::run(cfg, &report.units, &report.totals, &mut report.findings);
    sort_findings(cfg, &mut report.findings);
    report
}

/// Build the report from units already sorted out (e.g. a run made by hand in a
/// test) for `month`: the config's checks are not run, the figures are consolidated.
pub fn report_of(
    cfg: &Config,
    month: Month,
    units: Vec<UnitResult>,
    skipped: Vec<SkippedFile>,
    findings: Vec<Finding>,
) -> Report {
    resolve::report(cfg, &period::given(cfg, month), units, skipped, findings)
}

/// Findings in config order of their unit, then by place and severity (a map,
/// not a scan per comparison: a province has thousands of units and of findings).
fn sort_findings(cfg: &Config, findings: &mut [Finding]) {
    let order: HashMap<&str, usize> = cfg.units.iter().enumerate().rev().map(|(i, u)| (u.name.as_str(), i)).collect();
    let unit_order = |unit: &Option<String>| unit.as_deref().and_then(|u| order.get(u).copied()).unwrap_or(usize::MAX);
    findings.sort_by(|a, b| {
        (unit_order(&a.unit), &a.location, a.severity).cmp(&(unit_order(&b.unit), &b.location, b.severity))
    });
}
