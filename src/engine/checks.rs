//! The config's checks (`sum`, `not_greater`), on each counted unit's own figures.

use crate::config::{CheckKind, Config};
use crate::model::{CellNote, Figure, Finding, FindingKind, Severity, Totals, UnitResult, UnitStatus};
use crate::number::fmt_num;

/// The config's checks, on each counted unit's own figures.
pub(super) fn run(cfg: &Config, units: &[UnitResult], totals: &Totals, findings: &mut Vec<Finding>) {
    // The row's own words ("Số trường hợp đã xử lý"), as the unit typed them in its sheet.
    let label = |f: &Figure| totals.find(&f.id).map_or(&*f.id, |at| totals.get(at).name.as_str()).to_string();
    let name = |f: &Figure| format!("“{}” ({})", label(f), fmt_num(f.value));
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
                                // What is said of each part: its label, never its id.
                                .map(|p| CellNote::at(&p.source, label(p), Some(p.value)))
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
