//! The terminal report of `baocao check`: findings grouped by unit, then a summary.

use crate::model::{Finding, FindingKind, PeriodBasis, Report, Severity, UnitStatus};
use std::fmt::Write;

/// The heading of the findings that compare the consolidated figures with last month's.
const LAST_MONTH: &str = "So sánh số liệu tổng hợp với tháng trước";

/// Findings grouped by unit (in config order), then a summary of units and counts.
pub fn text(run: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", period_line(run));
    if let Some(p) = &run.previous {
        let _ = writeln!(out, "So sánh với tháng trước (tháng {}): {}", p.month.short(), p.file);
    }
    let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = Vec::new();
    for f in &run.findings {
        // The consolidated figures against last month's are no file's: a heading of their own.
        let key = match (f.unit.as_deref(), f.kind) {
            (None, FindingKind::CumulativeDecrease | FindingKind::PreviousUnusable) => Some(LAST_MONTH),
            (unit, _) => unit,
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    for (unit, list) in &groups {
        let _ = writeln!(out, "\n■ {}", unit.unwrap_or("Tệp không thuộc đơn vị nào"));
        for f in list {
            let _ = write!(out, "  [{}] ", f.severity.label());
            if !f.location.file.is_empty() {
                let _ = write!(out, "{}: ", f.location);
            }
            let _ = writeln!(out, "{}", f.message);
        }
    }
    let counted = run.units.iter().filter(|u| u.status == UnitStatus::Counted).count();
    let _ = writeln!(out, "\nTóm tắt: {counted}/{} đơn vị đã tổng hợp.", run.units.len());
    for u in run.units.iter().filter(|u| u.status != UnitStatus::Counted) {
        let _ = writeln!(out, "  - {}: {}", u.name, u.status.label());
    }
    let _ = writeln!(
        out,
        "{} lỗi, {} cảnh báo, {} thông tin.",
        run.count(Severity::Error),
        run.count(Severity::Warning),
        run.count(Severity::Info)
    );
    out
}

/// The first line: the period and how it was decided, "Kỳ báo cáo: từ ngày
/// 05/7/2024 đến ngày 05/8/2024 (tháng 8/2024) — theo 17/19 tệp".
pub fn period_line(run: &Report) -> String {
    let p = &run.period;
    let basis = match p.basis {
        PeriodBasis::Given => "theo tham số --period".to_string(),
        PeriodBasis::Workbooks { agree, stating } => format!("theo {agree}/{stating} tệp ghi kỳ báo cáo"),
    };
    format!("Kỳ báo cáo: từ ngày {} đến ngày {} (tháng {}/{}) — {basis}", p.from, p.to, p.month, p.year)
}
