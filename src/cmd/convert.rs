//! `baocao convert`: check the inbox, then write the DOCX report and the XLSX
//! appendix, both rendered in memory first and then put on disk atomically.

use super::error::{CmdError, Outcome};
use super::progress::Bar;
use super::{Input, config_path, keep_until_exit, load_config, template_beside};
use baocao::config::Config;
use baocao::model::{Document, Month, Previous, Report, date};
use baocao::write::docx::{NOTES_FILE, Notes};
use baocao::{engine, read, write};
use std::path::{Path, PathBuf};

/// The report template shipped with baocao.
pub(super) const DEFAULT_TEMPLATE: &str = include_str!("../../templates/bao-cao.md.j2");

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
    /// Last month's appendix (`--previous`); when None, the one of last month in `out`, if there.
    pub previous: Option<PathBuf>,
    /// Print the "Tháng trước" column in the appendix tables (off: `--no-previous-column`).
    pub previous_column: bool,
    /// Write nothing when the report would be a draft.
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
    super::refuse_windows_path(&opts.out)?;
    let cfg = load_config(input)?;
    if let Some(m) = month {
        opts.signing.check_against(&date::short(cfg.period.period_of(m).to), m)?;
    }
    let template_path = opts.template.clone().or_else(|| template_beside(&config_path(input)));
    let (template, _) = template_text(template_path.as_deref())?;
    let notes = load_notes(&inbox, opts)?;
    // A file named on the command line is checked before the workbooks are read.
    let given_previous = opts.previous.as_deref().map(read_given_previous).transpose()?;
    let mut report = keep_until_exit(engine::run_with_progress(&cfg, &inbox, month, &Bar::default())?);
    let month = Month::new(report.period.year as i16, report.period.month as i8).expect("a decided month");
    opts.signing.check_against(&report.period.to, month)?;
    compare_with_last_month(&cfg, &mut report, month, given_previous, opts)?;
    // An as-of date the template prints that no workbook states is a gap in the
    // report: said before the summary, so the terminal and the XLSX tell it too.
    let gaps = write::docx::as_of_gaps(&report, &template);
    report.findings.extend(gaps);
    let doc = &cfg.document.for_month(month, opts.signing.number.as_deref(), opts.signing.date);
    // Rendered first: what the text leaves open is reported with the rest.
    let body = render_body(&mut report, doc, &template, &notes)?;
    print!("{}", write::summary::text(&report));
    if opts.strict && report.is_draft() {
        println!("\n{}", draft_line(&report));
        return Err(CmdError::Strict);
    }
    // The two documents are independent: rendered side by side.
    let (docx, xlsx) = rayon::join(|| write::docx::docx_bytes(&report, doc, &body), || xlsx_bytes(&report, doc));
    let unusable = |e: &dyn std::fmt::Display| CmdError::Unusable(e.to_string());
    let docx = docx.map_err(|e| unusable(&e))?;
    let xlsx = xlsx?;
    let stem = month.stem();
    let docx_path = opts.out.join(format!("bao-cao-{stem}.docx"));
    let xlsx_path = opts.out.join(format!("phu-luc-{stem}.xlsx"));
    // One unit: both complete before either replaces last run's pair.
    write::write_together(&[(&docx_path, &docx), (&xlsx_path, &xlsx)]).map_err(|e| unusable(&e))?;
    println!("\nĐã ghi: {}\n       {}", docx_path.display(), xlsx_path.display());
    if report.is_draft() {
        println!("{}", draft_line(&report));
    }
    Ok(Outcome::of(report.is_draft()))
}

/// The appendix `--previous` names: a file that cannot be used stops the run (exit 2).
fn read_given_previous(path: &Path) -> Result<Previous, CmdError> {
    read::previous::read(path).map_err(|e| {
        CmdError::Unusable(format!("không dùng được phụ lục tháng trước {} (--previous): {e}", path.display()))
    })
}

/// Last month as the reference: the appendix `--previous` named, or else last
/// month's in `--out` (`phu-luc-2024-07.xlsx` for August), when there is one.
///
/// An appendix of another month is never compared with. Named by `--previous`, it
/// is refused (exit 2, nothing written) rather than compared with a warning: the
/// appendix would print that month's figures under "Tháng trước" in a document
/// sent to the province, and the jump rule is a rule of one month's growth; the
/// clerk who named it can name last month's, or leave the flag off. Found in
/// `--out` by its name (nobody asked for it), one unusable there is a warning and
/// the run goes on without the comparison.
fn compare_with_last_month(
    cfg: &Config,
    report: &mut Report,
    month: Month,
    given: Option<Previous>,
    opts: &Options,
) -> Result<(), CmdError> {
    let last = month.previous();
    let previous = match given {
        Some(p) if p.month == last => Some(p),
        Some(p) => {
            return Err(CmdError::Unusable(format!(
                "{} (--previous) là phụ lục tháng {}, không phải tháng trước của tháng báo cáo {}: \
                 hãy dùng phụ lục tháng {}, hoặc bỏ --previous",
                p.file,
                p.month.short(),
                month.short(),
                last.short()
            )));
        }
        None => {
            let path = opts.out.join(format!("phu-luc-{}.xlsx", last.stem()));
            let shown = path.display().to_string();
            match path.is_file().then(|| read::previous::read(&path)) {
                None => None,
                Some(Ok(p)) if p.month == last => Some(p),
                Some(Ok(p)) => {
                    let why = format!("ghi số liệu tháng {}, không phải tháng {}", p.month.short(), last.short());
                    engine::previous::unusable(cfg, report, &shown, &why);
                    None
                }
                Some(Err(e)) => {
                    engine::previous::unusable(cfg, report, &shown, &e.to_string());
                    None
                }
            }
        }
    };
    if let Some(p) = previous {
        engine::previous::compare(cfg, report, p);
        if let Some(kept) = report.previous.as_mut() {
            kept.column = opts.previous_column;
        }
    }
    Ok(())
}

/// The appendix workbook. rust_xlsxwriter's constant-memory sheets write through
/// temporary files and panic when a write fails (a full temporary disk, a file
/// size limit): that is a Vietnamese error here, and the run ends as any unusable
/// output does, nothing written.
fn xlsx_bytes(report: &Report, doc: &Document) -> Result<Vec<u8>, CmdError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write::xlsx::xlsx_bytes(report, doc))) {
        Ok(built) => built.map_err(|e| CmdError::Unusable(e.to_string())),
        Err(_) => Err(CmdError::Unusable(format!(
            "Không tạo được tệp XLSX: không ghi được tệp tạm trong {} (ổ đĩa đầy hoặc vượt giới hạn kích thước tệp). \
             Hãy giải phóng chỗ trống rồi chạy lại; tệp cũ trong thư mục kết quả vẫn giữ nguyên.",
            std::env::temp_dir().display()
        ))),
    }
}

/// The template at `path` (the built-in one when None), and how to name it.
pub(super) fn template_text(path: Option<&Path>) -> Result<(String, String), CmdError> {
    match path {
        Some(p) => Ok((read_text(p, "mẫu báo cáo")?, p.display().to_string())),
        None => Ok((DEFAULT_TEMPLATE.to_string(), "mẫu có sẵn (templates/bao-cao.md.j2)".to_string())),
    }
}

/// A text file named on the command line (a regular file, at most 10 MB); `what`
/// names it in the message.
fn read_text(path: &Path, what: &str) -> Result<String, CmdError> {
    baocao::file::read_text(path, 10 * 1024 * 1024, what).map_err(CmdError::Unusable)
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
