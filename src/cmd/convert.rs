//! `baocao convert`: check the inbox, then write the DOCX report and the XLSX
//! appendix, both rendered in memory first and then put on disk atomically.

use super::error::{CmdError, Outcome};
use super::progress::Bar;
use super::{Input, keep_until_exit, load_config};
use baocao::model::{Month, Severity, date};
use baocao::{engine, write};
use std::path::{Path, PathBuf};

/// The report template shipped with baocao.
const DEFAULT_TEMPLATE: &str = include_str!("../../templates/bao-cao.md.j2");
/// The notes file looked for next to the workbooks.
const NOTES_FILE: &str = "ghi-chu.md";

/// What `convert` writes, and from what.
pub struct Options {
    /// Folder of the outputs.
    pub out: PathBuf,
    /// The report template (the built-in one when None).
    pub template: Option<PathBuf>,
    /// The notes file (ghi-chu.md in the inbox when None and it exists).
    pub notes: Option<PathBuf>,
    /// The number and date the clerk gave, if any.
    pub signing: Signing,
    /// Write nothing when the data have errors.
    pub strict: bool,
}

/// The document's number and signing date from `--number` and `--date`: given by
/// the clerk when the signed report is registered, never carried from a config.
#[derive(Debug, Default)]
pub struct Signing {
    number: Option<String>,
    date: Option<date::Date>,
}

impl Signing {
    /// Check the flags' values before anything is read.
    pub fn parse(number: Option<&str>, date_text: Option<&str>) -> Result<Signing, CmdError> {
        let number = number.map(str::trim).map(|n| {
            if !n.is_empty()
                && n.len() <= 6
                && n.chars().all(|c| c.is_ascii_digit())
                && !n.trim_start_matches('0').is_empty()
            {
                Ok(n.to_string())
            } else {
                Err(CmdError::Usage(format!(
                    "--number \"{n}\" không phải số văn bản: ghi số do văn thư cấp, chỉ gồm chữ số, ví dụ --number 312 \
                     (ký hiệu \"/BC-…\" lấy từ cấu hình)"
                )))
            }
        });
        let date = date_text.map(str::trim).map(|d| {
            date::parse(d).or_else(|| iso_date(d)).ok_or_else(|| {
                CmdError::Usage(format!(
                    "--date \"{d}\" không phải ngày có thật: ghi ngày/tháng/năm, ví dụ --date 12/08/2024"
                ))
            })
        });
        Ok(Signing { number: number.transpose()?, date: date.transpose()? })
    }

    /// A signing date before the period ends cannot be right.
    fn check_against(&self, period_to: &str, month: Month) -> Result<(), CmdError> {
        let (Some(d), Some(end)) = (self.date, date::parse(period_to)) else { return Ok(()) };
        if d < end {
            return Err(CmdError::Usage(format!(
                "--date {} trước ngày kết thúc kỳ báo cáo tháng {} ({}): báo cáo chỉ ký được sau khi hết kỳ",
                date::short(d),
                month.short(),
                date::short(end)
            )));
        }
        Ok(())
    }
}

/// "2024-08-12", the other way scripts write dates.
fn iso_date(text: &str) -> Option<date::Date> {
    let mut it = text.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 {
        return None;
    }
    date::parse(&format!("{d}/{m}/{y}"))
}

/// Consolidate, render both documents in memory, then write them atomically.
pub fn run(input: &Input, opts: &Options) -> Result<Outcome, CmdError> {
    let inbox = input.inbox();
    let month = input.month()?;
    let cfg = load_config(input)?;
    if let Some(m) = month {
        opts.signing.check_against(&date::short(cfg.period.period_of(m).to), m)?;
    }
    let template = match &opts.template {
        Some(p) => read_text(p, "mẫu")?,
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let notes_path = opts.notes.clone().or_else(|| Some(inbox.join(NOTES_FILE)).filter(|p| p.is_file()));
    let notes = notes_path.as_deref().map(|p| read_text(p, "ghi chú")).transpose()?;
    let mut report = keep_until_exit(engine::run_with_progress(&cfg, &inbox, month, &Bar::default())?);
    let month = Month::new(report.period.year as i16, report.period.month as i8).expect("a decided month");
    opts.signing.check_against(&report.period.to, month)?;
    // An as-of date the template prints that no workbook states is a gap in the
    // report: said before the summary, so the terminal and the XLSX tell it too.
    let gaps = write::docx::as_of_gaps(&report, &template);
    report.findings.extend(gaps);
    print!("{}", write::summary::text(&report));
    if opts.strict && report.has_errors() {
        return Err(CmdError::Strict);
    }
    let doc = &cfg.document.for_month(month, opts.signing.number.as_deref(), opts.signing.date);
    // The two documents are independent: rendered side by side.
    let (docx, xlsx) = rayon::join(
        || write::docx::docx_bytes(&report, doc, &template, notes.as_deref()),
        || write::xlsx::xlsx_bytes(&report, doc),
    );
    let unusable = |e: &dyn std::fmt::Display| CmdError::Unusable(e.to_string());
    let docx = docx.map_err(|e| unusable(&e))?;
    let xlsx = xlsx.map_err(|e| unusable(&e))?;
    let stem = month.stem();
    let docx_path = opts.out.join(format!("bao-cao-{stem}.docx"));
    let xlsx_path = opts.out.join(format!("phu-luc-{stem}.xlsx"));
    // Each write waits for the disk (fsync): both at once.
    let (wrote_docx, wrote_xlsx) =
        rayon::join(|| write::write_atomic(&docx_path, &docx), || write::write_atomic(&xlsx_path, &xlsx));
    for wrote in [wrote_docx, wrote_xlsx] {
        wrote.map_err(|e| unusable(&e))?;
    }
    println!("\nĐã ghi: {}\n       {}", docx_path.display(), xlsx_path.display());
    if report.has_errors() {
        println!(
            "Báo cáo là BẢN NHÁP vì còn {} lỗi (xem trang tính “Kiểm tra” trong tệp XLSX).",
            report.count(Severity::Error)
        );
    }
    Ok(Outcome::of(report.has_errors()))
}

/// A text file named on the command line; `what` names it in the message.
fn read_text(path: &Path, what: &str) -> Result<String, CmdError> {
    std::fs::read_to_string(path).map_err(|e| {
        CmdError::Unusable(format!("không đọc được {what} {}: {}", path.display(), baocao::io_error_vi(&e)))
    })
}
