//! `baocao convert`: check the inbox, then write the DOCX report and the XLSX
//! appendix, both rendered in memory first and then put on disk atomically.

use super::error::{CmdError, Outcome};
use super::progress::Bar;
use super::{Input, keep_until_exit, load_config};
use baocao::model::{Document, Report};
use baocao::write::docx::{NOTES_FILE, Notes};
use baocao::{engine, write};
use std::path::{Path, PathBuf};

/// The report template shipped with baocao.
const DEFAULT_TEMPLATE: &str = include_str!("../../templates/bao-cao.md.j2");

/// What `convert` writes, and from what.
pub struct Options {
    /// Folder of the outputs.
    pub out: PathBuf,
    /// The report template (the built-in one when None).
    pub template: Option<PathBuf>,
    /// The notes file (ghi-chu.md in the inbox when None and it exists).
    pub notes: Option<PathBuf>,
    /// Write nothing when the report would be a draft.
    pub strict: bool,
}

/// Consolidate, render both documents in memory, then write them atomically.
pub fn run(input: &Input, opts: &Options) -> Result<Outcome, CmdError> {
    let inbox = input.inbox();
    let cfg = load_config(input)?;
    let template = match &opts.template {
        Some(p) => read_text(p, "mẫu")?,
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let notes = load_notes(&inbox, opts)?;
    let mut report = keep_until_exit(engine::run_with_progress(&cfg, &inbox, &Bar::default())?);
    let doc = &cfg.document;
    // Rendered first: what the text leaves open is reported with the rest.
    let body = render_body(&mut report, doc, &template, &notes)?;
    print!("{}", write::summary::text(&report));
    if opts.strict && report.is_draft() {
        println!("\n{}", draft_line(&report));
        return Err(CmdError::Strict);
    }
    // The two documents are independent: rendered side by side.
    let (docx, xlsx) =
        rayon::join(|| write::docx::docx_bytes(&report, doc, &body), || write::xlsx::xlsx_bytes(&report, doc));
    let unusable = |e: &dyn std::fmt::Display| CmdError::Unusable(e.to_string());
    let docx = docx.map_err(|e| unusable(&e))?;
    let xlsx = xlsx.map_err(|e| unusable(&e))?;
    let stem = format!("{}-{:02}", report.period.year, report.period.month);
    let docx_path = opts.out.join(format!("bao-cao-{stem}.docx"));
    let xlsx_path = opts.out.join(format!("phu-luc-{stem}.xlsx"));
    // Each write waits for the disk (fsync): both at once.
    let (wrote_docx, wrote_xlsx) =
        rayon::join(|| write::write_atomic(&docx_path, &docx), || write::write_atomic(&xlsx_path, &xlsx));
    for wrote in [wrote_docx, wrote_xlsx] {
        wrote.map_err(|e| unusable(&e))?;
    }
    println!("\nĐã ghi: {}\n       {}", docx_path.display(), xlsx_path.display());
    if report.is_draft() {
        println!("{}", draft_line(&report));
    }
    Ok(Outcome::of(report.is_draft()))
}

/// A text file named on the command line; `what` names it in the message.
fn read_text(path: &Path, what: &str) -> Result<String, CmdError> {
    std::fs::read_to_string(path).map_err(|e| {
        CmdError::Unusable(format!("không đọc được {what} {}: {}", path.display(), baocao::io_error_vi(&e)))
    })
}

/// The notes file (`--notes`, or ghi-chu.md beside the workbooks when there is
/// one), parsed before any workbook is read: a heading it cannot place stops
/// the run with its line.
fn load_notes(inbox: &Path, opts: &Options) -> Result<Notes, CmdError> {
    let path = opts.notes.clone().or_else(|| Some(inbox.join(NOTES_FILE)).filter(|p| p.is_file()));
    let Some(path) = path else { return Ok(Notes::none(NOTES_FILE)) };
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    Notes::parse(&name, &read_text(&path, "ghi chú")?).map_err(|e| CmdError::Unusable(e.to_string()))
}

/// The report body rendered from the template; what it leaves open (a figure
/// without value, a section without notes, notes it has no place for) joins the
/// report's findings, so the summary, the XLSX's "Kiểm tra" sheet and the DOCX's
/// draft banner all say it.
fn render_body(report: &mut Report, doc: &Document, template: &str, notes: &Notes) -> Result<String, CmdError> {
    let rendered =
        write::docx::render_text(report, doc, template, notes).map_err(|e| CmdError::Unusable(e.to_string()))?;
    report.findings.extend(rendered.findings);
    Ok(rendered.text)
}

/// "Báo cáo là BẢN NHÁP vì còn 1 lỗi chưa xử lý, 4 mục chưa có nội dung (…)."
fn draft_line(report: &Report) -> String {
    format!(
        "Báo cáo là BẢN NHÁP vì {} (xem trang tính “Kiểm tra” trong tệp XLSX).",
        report.draft().describe(|n| n.to_string())
    )
}
