//! The inbox's period: the one most workbooks state, checked against the city's
//! rule, when `--period` does not give it.
//!
//! In a normal month most units state the same period; a unit stating another has
//! sent the wrong file, which is no reason to doubt the month. No majority, or a
//! majority the rule does not give for any month, is not guessed at: the run
//! stops and asks for `--period`, rather than blaming twenty units.

use super::{EngineError, FileResult};
use crate::config::Config;
use crate::model::{Finding, FindingKind, Location, Month, Period, PeriodBasis, Severity};
use std::collections::BTreeMap;

/// The period a run is for, and how it was decided.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decided {
    pub month: Month,
    pub period: Period,
    pub basis: PeriodBasis,
}

/// The period of the month given on the command line.
pub(super) fn given(cfg: &Config, month: Month) -> Decided {
    Decided { month, period: cfg.period.period_of(month), basis: PeriodBasis::Given }
}

/// How many readable workbooks state each period (a workbook's own period being
/// the one most of its sheets state), and how many state one at all.
fn tally(results: &[FileResult]) -> (BTreeMap<Period, usize>, usize) {
    let mut votes: BTreeMap<Period, usize> = BTreeMap::new();
    let mut stating = 0;
    for x in results.iter().filter_map(|r| r.outcome.as_ref().ok()) {
        if let Some(p) = stated(&x.periods) {
            *votes.entry(p).or_default() += 1;
            stating += 1;
        }
    }
    (votes, stating)
}

/// With `--period`, a warning when most workbooks state another period: the units
/// then reported "không đúng kỳ" may be right and the flag wrong.
pub(super) fn check_given(decided: &Decided, results: &[FileResult]) -> Option<Finding> {
    let (votes, stating) = tally(results);
    let (&period, &agree) = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    (period != decided.period && agree * 2 > stating).then(|| {
        Finding::new(
            Severity::Warning,
            FindingKind::PeriodFlagDisagrees,
            Location::default(),
            format!(
                "Đa số tệp ({agree}/{stating}) ghi kỳ {}, không phải kỳ của tham số --period {} ({}): các đơn vị bị báo \"không đúng kỳ\" có thể đã gửi đúng. Hãy kiểm tra lại --period.",
                period.describe(),
                decided.month.stem(),
                decided.period.describe()
            ),
        )
    })
}

/// The period most readable workbooks state, if it is a month's period under the rule.
pub(super) fn from_workbooks(cfg: &Config, inbox: &str, results: &[FileResult]) -> Result<Decided, EngineError> {
    let (votes, stating) = tally(results);
    let ask = |why: String| {
        EngineError::Period(format!(
            "Không xác định được kỳ báo cáo của thư mục {inbox}: {why} Hãy ghi rõ tháng báo cáo, ví dụ: --period {}.",
            example_month(&votes)
        ))
    };
    let mut ranked: Vec<(Period, usize)> = votes.iter().map(|(p, n)| (*p, *n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let Some(&(period, agree)) = ranked.first() else {
        return Err(ask(
            "không bảng tính nào ghi kỳ báo cáo (dòng \"Từ ngày … đến ngày …\" hoặc \"Tháng 8/2024\").".into()
        ));
    };
    if agree * 2 <= stating {
        let listed: Vec<String> = ranked.iter().take(4).map(|(p, n)| format!("{} ({n} tệp)", p.describe())).collect();
        return Err(ask(format!("các tệp ghi kỳ khác nhau, không kỳ nào quá nửa: {}.", listed.join("; "))));
    }
    let Some(month) = cfg.period.month_of(period) else {
        let near = Month::new(period.to.year(), period.to.month()).map(|m| cfg.period.period_of(m));
        return Err(ask(format!(
            "đa số tệp ({agree}/{stating}) ghi kỳ {}, nhưng theo quy tắc kỳ của cấu hình ([period]: {}) thì đó không phải kỳ của tháng nào{}.",
            period.describe(),
            cfg.period.describe(),
            near.map(|p| format!(" (tháng {}/{} là kỳ {})", period.to.month(), period.to.year(), p.describe()))
                .unwrap_or_default()
        )));
    };
    Ok(Decided { month, period, basis: PeriodBasis::Workbooks { agree, stating } })
}

/// The one period a workbook states: the one most of its sheets state.
fn stated(periods: &[(Period, crate::model::Location)]) -> Option<Period> {
    let mut count: BTreeMap<Period, usize> = BTreeMap::new();
    for (p, _) in periods {
        *count.entry(*p).or_default() += 1;
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(p, _)| p)
}

/// A month to show in the hint: the one of the most stated period, or this one.
fn example_month(votes: &BTreeMap<Period, usize>) -> String {
    votes
        .iter()
        .max_by_key(|(_, n)| **n)
        .and_then(|(p, _)| Month::new(p.to.year(), p.to.month()))
        .map_or_else(|| "2024-08".to_string(), Month::stem)
}
