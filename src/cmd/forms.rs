//! `baocao forms`: one blank collection workbook per configured unit for a month,
//! built from the config (`engine::forms`) and written as XLSX (`write::forms`).
//!
//! Without `--period` the month is the one whose period under the config's
//! `[period]` rule has not ended by today (Vietnam time): the forms a clerk
//! sends out are for the period now running. Files already in `--out` are never
//! overwritten silently: the run stops naming them, unless `--force`. All forms
//! are written together (`write::write_together`): all of them, or none.

use super::error::{CmdError, Outcome};
use super::parse_month;
use baocao::config::Config;
use baocao::engine::forms;
use baocao::model::Month;
use baocao::write;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `baocao forms` was asked.
pub struct Options {
    /// Where the forms go.
    pub out: PathBuf,
    /// The config (default `baocao.toml` in the current folder).
    pub config: Option<PathBuf>,
    /// `--period`, as typed.
    pub period: Option<String>,
    /// Overwrite forms already in `out`.
    pub force: bool,
}

/// Write the month's forms.
pub fn run(opts: &Options) -> Result<Outcome, CmdError> {
    let given = opts.period.as_deref().map(parse_month).transpose()?;
    let cfg = Config::load(opts.config.as_deref().unwrap_or(Path::new("baocao.toml")))?;
    let month = given.unwrap_or_else(|| forms::month_for(&cfg.period, today()));
    let all = forms::forms(&cfg, month);
    // Names that differ only by characters a file name cannot hold would overwrite each other.
    for (i, f) in all.iter().enumerate() {
        if let Some(other) = all[..i].iter().find(|o| o.file_name.to_lowercase() == f.file_name.to_lowercase()) {
            return Err(CmdError::Unusable(format!(
                "hai đơn vị \"{}\" và \"{}\" có cùng tên tệp biểu mẫu \"{}\"; hãy sửa tên một đơn vị trong cấu hình",
                other.unit, f.unit, f.file_name
            )));
        }
    }
    let paths: Vec<PathBuf> = all.iter().map(|f| opts.out.join(&f.file_name)).collect();
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into())
        .collect();
    if !existing.is_empty() && !opts.force {
        return Err(CmdError::Unusable(format!(
            "thư mục {} đã có {} biểu mẫu tháng {} (ví dụ \"{}\"); không ghi đè. Hãy chọn thư mục khác, hoặc thêm --force để ghi đè",
            opts.out.display(),
            existing.len(),
            month.short(),
            existing[0]
        )));
    }
    let bytes = all
        .iter()
        .map(write::forms::form_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CmdError::Unusable(e.to_string()))?;
    let outputs: Vec<(&Path, &[u8])> =
        paths.iter().map(PathBuf::as_path).zip(bytes.iter().map(Vec::as_slice)).collect();
    write::write_together(&outputs).map_err(|e| CmdError::Unusable(e.to_string()))?;
    let mut text = written(&cfg, month, given.is_none(), &opts.out, all.len());
    for f in &all {
        text.push_str(&format!("\n  {}", f.file_name));
    }
    // The forms are written: a closed stdout (`| head`) is no reason to fail.
    let _ = writeln!(std::io::stdout().lock(), "{text}");
    Ok(Outcome::Clean)
}

/// What was written, and how the month was chosen when `--period` was not given.
fn written(cfg: &Config, month: Month, defaulted: bool, out: &Path, n: usize) -> String {
    let period = cfg.period.period_of(month).describe();
    let mut text = format!("Đã ghi {n} biểu mẫu tháng {} ({period}) vào {}:", month.short(), out.display());
    if defaulted {
        text = format!(
            "Không ghi --period: lấy tháng có kỳ báo cáo đang diễn ra hôm nay. Muốn tháng khác thì ghi --period NĂM-THÁNG, ví dụ --period 2024-08.\n{text}"
        );
    }
    text
}

/// Today in Vietnam (UTC+7, no daylight saving), whatever the machine's zone.
fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7))).date()
}
