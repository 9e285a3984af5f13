//! The terminal report of `baocao check` and `convert`: findings grouped by unit
//! (those about the report's own text under "Báo cáo"), then a summary.

use crate::model::{Finding, FindingKind, PeriodBasis, Report, Severity, UnitStatus};
use crate::write::appendix::MISSING_NAMED;
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
    // Findings about the report's own text (found when rendering it), and those
    // comparing the consolidated figures with last month's, apart from the files'.
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in &run.findings {
        let header = match (f.unit.as_deref(), f.kind) {
            _ if f.kind.is_report_gap() || f.kind == FindingKind::SentenceOmitted => {
                "Báo cáo (mẫu báo cáo và tệp ghi chú)"
            }
            (None, FindingKind::CumulativeDecrease | FindingKind::PreviousUnusable) => LAST_MONTH,
            (Some(unit), _) => unit,
            (None, _) => "Tệp không thuộc đơn vị nào",
        };
        match groups.iter_mut().find(|(h, _)| *h == header) {
            Some((_, v)) => v.push(f),
            None => groups.push((header, vec![f])),
        }
    }
    for (header, list) in &groups {
        let _ = writeln!(out, "\n■ {header}");
        for f in list {
            let _ = write!(out, "  [{}] ", f.severity.label());
            if !f.location.file.is_empty() {
                let _ = write!(out, "{}: ", f.location);
            }
            let _ = writeln!(out, "{}", f.message);
        }
    }
    let complete = run.units.iter().filter(|u| u.status == UnitStatus::Counted).count();
    let _ = writeln!(out, "\nTóm tắt: {complete}/{} đơn vị đã tổng hợp.", run.units.len());
    let incomplete: Vec<&str> =
        run.units.iter().filter(|u| u.status == UnitStatus::Incomplete).map(|u| u.name.as_str()).collect();
    if !incomplete.is_empty() {
        // "14/16 phường, xã đủ số liệu; thiếu: …": an incomplete unit is counted in part only.
        let counts = crate::write::appendix::group_counts(run);
        let _ = writeln!(out, "{} đủ số liệu; thiếu: {}.", counts.join(", "), incomplete.join(", "));
    }
    for u in run.units.iter().filter(|u| u.status != UnitStatus::Counted) {
        match u.status {
            UnitStatus::Incomplete => {
                let _ = writeln!(out, "  - {}: {} ({})", u.name, u.status.label(), u.missing_text(MISSING_NAMED));
            }
            _ => {
                let _ = writeln!(out, "  - {}: {}", u.name, u.status.label());
            }
        }
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
