//! As-of dates: the date cumulative figures are counted up to, resolved over the
//! counted units that state one, and checked.
//!
//! Each counted unit's sheets say which of its figures are counted up to which
//! date ([`StatedAsOf`]). For each key of [`Report::as_of`](crate::model::Report)
//! (a dated figure's id, and the first part of the ids: "csdlqg") the date taken is
//! the one most units state: as with the period, a unit stating another date has
//! most likely kept last month's line or mistyped it, which is no reason to doubt
//! what the others say, and the latest date would let one slip ("05/9" for
//! "05/8") date everyone's figures. On a tie, a date that is neither after the
//! period nor older than last month's period wins, then the later one. Units
//! stating another date for the same figure than the one taken get a warning each
//! (`as_of_mismatch`); so does a date after the period's end (`as_of_after_period`)
//! or older than the previous month's period (`as_of_stale`): a typing slip or a
//! stale sheet. The July seed's own 07/5/2024, a month before its period
//! (05/6–05/7/2024), is within last month's period and passes.

use super::period::Decided;
use crate::config::Config;
use crate::model::date::{self, Date};
use crate::model::{AsOf, AsOfSource, CellNote, Finding, FindingKind, Severity, StatedAsOf, UnitResult};
use std::collections::{BTreeMap, BTreeSet};

/// One statement: (index of its unit, index in the unit's `as_of`).
type Stmt = (u32, u32);

/// Most statements of other units a mismatch finding lists in its cells.
const LISTED: usize = 10;

/// The as-of date of every dated key, and what is doubtful about the dates stated.
pub(super) fn resolve(cfg: &Config, decided: &Decided, units: &[UnitResult]) -> (BTreeMap<String, AsOf>, Vec<Finding>) {
    let window = Window {
        to: decided.period.to,
        stale_before: cfg.period.period_of(decided.month.previous()).from,
        from: decided.period.from,
    };
    let mut findings = Vec::new();
    let mut by_key: BTreeMap<&str, Vec<Stmt>> = BTreeMap::new();
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for (ui, u) in units.iter().enumerate().filter(|(_, u)| u.status.is_counted()) {
        for (si, s) in u.as_of.iter().enumerate() {
            findings.extend(window.check(u, s));
            let at = (ui as u32, si as u32);
            for id in &s.figures {
                ids.insert(id);
                let prefix = id.split('.').next().unwrap_or(id);
                for key in [prefix, &**id] {
                    let stmts = by_key.entry(key).or_default();
                    if stmts.last() != Some(&at) {
                        stmts.push(at);
                    }
                }
            }
        }
    }
    let stated = |(u, s): Stmt| &units[u as usize].as_of[s as usize];
    let mut told: BTreeSet<(Stmt, Date)> = BTreeSet::new();
    let mut out = BTreeMap::new();
    for (key, stmts) in &by_key {
        let mut units_by_date: BTreeMap<Date, BTreeSet<u32>> = BTreeMap::new();
        for &st in stmts {
            units_by_date.entry(stated(st).date).or_default().insert(st.0);
        }
        let (&date, agree) = units_by_date
            .iter()
            .max_by_key(|(d, us)| (us.len(), window.plausible(**d), **d))
            .expect("a key has a statement");
        if ids.contains(key) && units_by_date.len() > 1 {
            let supporters: Vec<Stmt> = stmts.iter().copied().filter(|st| stated(*st).date == date).collect();
            for &st in stmts.iter().filter(|st| stated(**st).date != date) {
                if told.insert((st, date)) {
                    let other = units_by_date[&stated(st).date].len();
                    let why = why_taken(date, (agree.len(), other), &window);
                    findings.push(mismatch(cfg, units, st, &supporters, date, &why));
                }
            }
        }
        let sources = stmts
            .iter()
            .map(|&st| AsOfSource { unit: st.0, date: stated(st).date, location: stated(st).source.clone() })
            .collect();
        out.insert(key.to_string(), AsOf { date, sources });
    }
    (out, findings)
}

/// The dates an as-of may plausibly be: not after the period's end, and not
/// before the previous month's period.
struct Window {
    from: Date,
    to: Date,
    stale_before: Date,
}

impl Window {
    fn plausible(&self, d: Date) -> bool {
        self.stale_before <= d && d <= self.to
    }

    /// A warning when `s` states a date after the period or older than last month's.
    fn check(&self, u: &UnitResult, s: &StatedAsOf) -> Option<Finding> {
        let d = s.date;
        let sheet = s.source.sheet.as_deref().unwrap_or_default();
        let (kind, why) = if d > self.to {
            (
                FindingKind::AsOfAfterPeriod,
                format!("sau ngày cuối kỳ báo cáo ({}): có thể gõ nhầm ngày", date::short(self.to)),
            )
        } else if d < self.stale_before {
            (
                FindingKind::AsOfStale,
                format!(
                    "trước cả kỳ báo cáo tháng trước (bắt đầu từ ngày {}): có thể trang tính cũ chưa sửa ngày, \
                     hoặc gõ nhầm",
                    date::short(self.stale_before)
                ),
            )
        } else {
            return None;
        };
        let hint = self.swapped(d).map(|s| format!(" Có phải ngày {} (gõ đảo ngày và tháng)?", date::short(s)));
        let message = format!(
            "Trang tính \"{sheet}\" ghi số liệu lũy kế tính đến ngày {}, {why}.{} Số liệu vẫn được tổng hợp; đề nghị \
             kiểm tra lại.",
            date::short(d),
            hint.unwrap_or_default()
        );
        Some(Finding::new(Severity::Warning, kind, s.source.clone(), message).unit(Some(&u.name)))
    }

    /// `d` with day and month swapped, when that falls in the period.
    fn swapped(&self, d: Date) -> Option<Date> {
        let s = Date::new(d.year(), d.day(), d.month()).ok()?;
        (s != d && self.from <= s && s <= self.to).then_some(s)
    }
}

/// Why `date` was taken over another one, stated by `(agree, other)` units.
fn why_taken(date: Date, (agree, other): (usize, usize), window: &Window) -> String {
    if agree > other {
        return "ngày được nhiều đơn vị ghi nhất".into();
    }
    let reason =
        if window.plausible(date) { "nằm trong khoảng hợp lý của kỳ báo cáo" } else { "muộn hơn" };
    format!("số đơn vị ghi mỗi ngày bằng nhau, lấy ngày {reason}")
}

/// The warning for statement `st`, whose date differs from `date`, the one the
/// `supporters` state for the same figure.
fn mismatch(cfg: &Config, units: &[UnitResult], st: Stmt, supporters: &[Stmt], date: Date, why: &str) -> Finding {
    let unit = &units[st.0 as usize];
    let s = &unit.as_of[st.1 as usize];
    let first = s.figures.first().map_or("", |id| &**id);
    let label = cfg.figure_label(first).unwrap_or_else(|| first.to_string());
    let more = match s.figures.len() {
        0 | 1 => String::new(),
        n => format!(" và {} số liệu khác", n - 1),
    };
    let named = |&(u, i): &Stmt| {
        let u = &units[u as usize];
        (u, &u.as_of[i as usize])
    };
    let agree: BTreeSet<u32> = supporters.iter().map(|(u, _)| *u).collect();
    let mut listed: Vec<String> =
        supporters.iter().take(3).map(named).map(|(u, s)| format!("{} ({})", u.name, s.source)).collect();
    if supporters.len() > 3 {
        listed.push(format!("và {} đơn vị khác", supporters.len() - 3));
    }
    let message = format!(
        "{} ghi số liệu lũy kế tính đến ngày {} ({}), khác ngày {} mà {} đơn vị khác ghi cho cùng số liệu “{label}”\
         {more}: {}. Báo cáo ghi “tính đến ngày {}” ({why}); đề nghị kiểm tra lại ngày ở ô này (có thể còn ngày của \
         kỳ trước, hoặc gõ nhầm).",
        unit.name,
        date::short(s.date),
        s.source,
        date::short(date),
        agree.len(),
        listed.join("; "),
        date::short(date),
    );
    let note = |(u, s): (&UnitResult, &StatedAsOf)| {
        CellNote::at(&s.source, format!("{} ({}): tính đến ngày {}", u.name, s.source.file, date::short(s.date)), None)
    };
    let mut cells = vec![note((unit, s))];
    cells.extend(supporters.iter().take(LISTED).map(named).map(note));
    Finding {
        cells,
        ..Finding::new(Severity::Warning, FindingKind::AsOfMismatch, s.source.clone(), message).unit(Some(&unit.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Location, Month, UnitStatus};
    use std::sync::Arc;

    fn config() -> Config {
        Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml"))
            .unwrap()
    }

    /// A counted unit whose "Lao động" sheet dates its figures `date`.
    fn ward(name: &str, date: &str) -> UnitResult {
        let file = format!("{name}.xlsx");
        UnitResult {
            name: name.into(),
            group: "phuong_xa".into(),
            status: UnitStatus::Counted,
            files: vec![file.clone()],
            missing: Vec::new(),
            figures: Vec::new(),
            as_of: vec![StatedAsOf {
                date: date::parse(date).unwrap(),
                source: Location::cell(&file, "Lao động", "A5"),
                figures: vec![Arc::from("lao_dong.phai_thu_thap"), Arc::from("lao_dong.da_thu_thap")],
            }],
        }
    }

    /// The as-of of "lao_dong" in August 2024 (period 05/7–05/8/2024), and the kinds found.
    fn august(units: &[UnitResult]) -> (String, Vec<(FindingKind, String)>) {
        let cfg = config();
        let decided = super::super::period::given(&cfg, Month::new(2024, 8).unwrap());
        let (as_of, findings) = resolve(&cfg, &decided, units);
        assert_eq!(as_of["lao_dong"].date, as_of["lao_dong.da_thu_thap"].date);
        let found = findings.into_iter().map(|f| (f.kind, f.unit.unwrap_or_default())).collect();
        (as_of["lao_dong"].short(), found)
    }

    #[test]
    fn the_date_most_units_state_is_taken_and_the_others_are_named() {
        let (date, found) = august(&[ward("A", "05/8/2024"), ward("B", "05/7/2024"), ward("C", "05/8/2024")]);
        assert_eq!(date, "05/8/2024");
        assert_eq!(found, [(FindingKind::AsOfMismatch, "B".to_string())], "one warning for B, not one per figure");
        // The latest would let one slip date everyone's figures; it is warned twice.
        let (date, found) = august(&[ward("A", "05/8/2024"), ward("B", "05/9/2024"), ward("C", "05/8/2024")]);
        assert_eq!(date, "05/8/2024");
        assert_eq!(
            found,
            [(FindingKind::AsOfAfterPeriod, "B".to_string()), (FindingKind::AsOfMismatch, "B".to_string())]
        );
    }

    #[test]
    fn a_tie_goes_to_a_plausible_date_then_to_the_later_one() {
        let (date, _) = august(&[ward("A", "05/9/2024"), ward("B", "01/8/2024")]);
        assert_eq!(date, "01/8/2024", "05/9 is after the period");
        let (date, found) = august(&[ward("A", "01/8/2024"), ward("B", "05/8/2024")]);
        assert_eq!(date, "05/8/2024");
        assert_eq!(found, [(FindingKind::AsOfMismatch, "A".to_string())]);
    }

    #[test]
    fn a_date_older_than_last_months_period_is_stale_and_a_swap_is_hinted() {
        // August: last month's period starts 05/6/2024. 07/6 (the seed's own line moved on) passes.
        assert!(august(&[ward("A", "07/6/2024")]).1.is_empty());
        assert_eq!(august(&[ward("A", "04/6/2024")]).1, [(FindingKind::AsOfStale, "A".to_string())]);
        let cfg = config();
        let decided = super::super::period::given(&cfg, Month::new(2024, 8).unwrap());
        let (_, findings) = resolve(&cfg, &decided, &[ward("A", "08/5/2024")]);
        assert!(findings[0].message.contains("Có phải ngày 05/8/2024"), "{}", findings[0].message);
        assert!(findings[0].message.contains("Lao động"), "{}", findings[0].message);
    }

    #[test]
    fn units_not_counted_state_nothing() {
        let mut b = ward("B", "05/7/2024");
        b.status = UnitStatus::WrongPeriod;
        let (date, found) = august(&[ward("A", "05/8/2024"), b]);
        assert_eq!((date.as_str(), found.len()), ("05/8/2024", 0));
    }
}
