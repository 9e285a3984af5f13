//! `baocao check-template`: which sentences of the report template a config
//! cannot fill (they name a figure the config does not define), before any
//! workbook is there: the sentences `convert` would leave out, with a warning.

use super::error::{CmdError, Outcome};
use baocao::config::Config;
use baocao::model::Month;
use std::path::Path;

/// Render the template against an empty run of `config` and list what it leaves out.
///
/// Exit code: 0 when every sentence can be filled, 1 when some would be left out,
/// 2 when the config or the template cannot be used.
pub fn run(config: &Path, template: Option<&Path>) -> Result<Outcome, CmdError> {
    let cfg = Config::load(config)?;
    let (text, name) = super::convert::template_text(template)?;
    // Any month: only which figures the config defines matters, not their values.
    let month = Month::new(2024, 1).expect("a valid month");
    let report = baocao::engine::report_of(&cfg, month, Vec::new(), Vec::new(), Vec::new());
    let omitted =
        baocao::write::docx::omitted_sentences(&report, &text).map_err(|e| CmdError::Unusable(e.to_string()))?;
    println!("Mẫu báo cáo: {name}\nCấu hình: {}", config.display());
    if omitted.is_empty() {
        println!("Mọi câu của mẫu báo cáo đều có số liệu trong cấu hình.");
        return Ok(Outcome::Clean);
    }
    println!(
        "\n{} câu nêu số liệu mà cấu hình không khai báo; convert sẽ bỏ các câu này (kèm cảnh báo):",
        omitted.len()
    );
    for f in &omitted {
        println!("  - {}", f.message);
    }
    Ok(Outcome::DataErrors)
}
