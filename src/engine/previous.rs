//! Last month as the reference: this month's figures against those of last
//! month's appendix (read by [`crate::read::previous`]).
//!
//! - A cumulative figure ("lũy kế", `cumulative` in the config) does not go down
//!   from one month to the next unless someone corrected it: a unit's that did is
//!   a warning, and so is the consolidated figure's (naming the units it went down
//!   in, and those counted last month but not this one).
//! - A unit's figure more than `[compare] jump_factor` times last month's is a
//!   warning (a digit typed twice, a cumulative count typed for the period's),
//!   unless both months' values are under `jump_minimum`: small counts move a lot.
//!
//! The report then keeps last month's consolidated figures, so the appendix can
//! print them beside this month's.

use crate::config::{Compare, Config};
use crate::model::{Finding, FindingKind, Location, Month, Previous, PreviousMonth, Report, Severity};
use crate::number::fmt_num;
use foldhash::{HashMap, HashMapExt};

/// Compare `report` with last month's figures: the findings join the report's,
/// and last month's consolidated figures stay in `report.previous` (with its
/// "Tháng trước" column on). `previous` is taken to be the month before the report's.
pub fn compare(cfg: &Config, report: &mut Report, previous: Previous) {
    let found = findings(&cfg.compare, report, &previous);
    report.findings.extend(found);
    super::sort_findings(cfg, &mut report.findings);
    let Previous { file, month, totals, .. } = previous;
    report.previous = Some(PreviousMonth { file, month, totals, column: true });
}

/// Last month's appendix `file` was found but cannot be used (`reason`): said once,
/// and nothing is compared.
pub fn unusable(cfg: &Config, report: &mut Report, file: &str, reason: &str) {
    let message = format!(
        "Không so sánh được với tháng trước: {file}: {reason}. Số liệu lũy kế và số liệu tăng đột biến \
         chưa được kiểm tra so với tháng trước."
    );
    report.findings.push(Finding::new(Severity::Warning, FindingKind::PreviousUnusable, file_location(file), message));
    super::sort_findings(cfg, &mut report.findings);
}

/// A file's name alone, as the findings name the inbox's files.
fn file_location(file: &str) -> Location {
    let name = std::path::Path::new(file).file_name().map_or_else(|| file.into(), |n| n.to_string_lossy());
    Location::file(&name)
}

/// Whether a cumulative figure went down (by more than a rounding error).
fn went_down(before: f64, now: f64) -> bool {
    now < before - 1e-9 * before.abs().max(1.0)
}

/// Whether a figure jumped: more than `rule.jump_factor` times last month's (from
/// 0, any rise), unless both values are under `rule.jump_minimum`.
fn jumped(rule: &Compare, before: f64, now: f64) -> bool {
    before >= 0.0 && now > before * rule.jump_factor && before.max(now) >= rule.jump_minimum
}

/// How many times, to one decimal: "9,5", "75", "1.250".
fn times(ratio: f64) -> String {
    let r = (ratio * 10.0).round() / 10.0;
    if r.fract() == 0.0 { fmt_num(r) } else { format!("{},{}", fmt_num(r.trunc()), (r.fract() * 10.0).round() as i64) }
}

/// Every finding of the comparison, units in report order, figures in config order.
fn findings(rule: &Compare, report: &Report, previous: &Previous) -> Vec<Finding> {
    let (was, now) = (previous.month.short(), this_month(report).short());
    // Each figure once (an id named in two lists is one figure of the unit's).
    let mut seen = std::collections::HashSet::new();
    let heads: Vec<_> = report.unit_figures().into_iter().filter(|h| seen.insert(h.figure)).collect();
    let mut out = Vec::new();
    // Per cumulative figure id, the units it went down in: (name, before, now).
    let mut down: HashMap<&str, Vec<(&str, f64, f64)>> = HashMap::new();
    for u in report.counted_units() {
        let Some(before) = previous.units.get(&u.name) else { continue };
        // The unit's value of each id (an id given twice adds up), and where it was read.
        let mut values: HashMap<&str, (f64, &Location)> = HashMap::with_capacity(u.figures.len());
        for f in &u.figures {
            values.entry(&f.id).and_modify(|(v, _)| *v += f.value).or_insert((f.value, &f.source));
        }
        for h in &heads {
            let total = report.total(h.figure);
            let (Some(&(value, at)), Some(&was_value)) = (values.get(&*total.id), before.get(&*total.id)) else {
                continue;
            };
            if h.cumulative && went_down(was_value, value) {
                down.entry(&total.id).or_default().push((&u.name, was_value, value));
                let message = format!(
                    "Số liệu lũy kế “{}” của {} giảm so với tháng trước: tháng {was} là {}, tháng {now} là {}. \
                     Số liệu lũy kế không giảm, trừ khi đã điều chỉnh số liệu; đề nghị đơn vị kiểm tra lại.",
                    total.label,
                    u.name,
                    fmt_num(was_value),
                    fmt_num(value)
                );
                let f = Finding::new(Severity::Warning, FindingKind::CumulativeDecrease, at.clone(), message);
                out.push(f.unit(Some(&u.name)).values(value, was_value));
            } else if jumped(rule, was_value, value) {
                let how_much = if was_value > 0.0 {
                    format!(
                        " (gấp {} lần; cảnh báo khi gấp hơn {} lần)",
                        times(value / was_value),
                        fmt_num(rule.jump_factor)
                    )
                } else {
                    String::new()
                };
                let message = format!(
                    "Số liệu “{}” của {} tăng đột biến so với tháng trước: tháng {was} là {}, tháng {now} là {}{how_much}. \
                     Đề nghị đơn vị kiểm tra lại (nhập thừa chữ số, hay ghi số lũy kế thay cho số trong kỳ).",
                    total.label,
                    u.name,
                    fmt_num(was_value),
                    fmt_num(value)
                );
                let mut f = Finding::new(Severity::Warning, FindingKind::SuddenJump, at.clone(), message);
                f.found = Some(value);
                out.push(f.unit(Some(&u.name)));
            }
        }
    }
    for h in heads.iter().filter(|h| h.cumulative) {
        let total = report.total(h.figure);
        let (Some(value), Some(&was_value)) = (total.value, previous.totals.get(&*total.id)) else { continue };
        if !went_down(was_value, value) {
            continue;
        }
        let mut message = format!(
            "Số liệu tổng hợp lũy kế “{}” giảm so với tháng trước: tháng {was} là {}, tháng {now} là {}.",
            total.label,
            fmt_num(was_value),
            fmt_num(value)
        );
        if let Some(units) = down.get(&*total.id) {
            let list: Vec<String> =
                units.iter().map(|(n, b, v)| format!("{n} ({} → {})", fmt_num(*b), fmt_num(*v))).collect();
            message += &format!(" Giảm ở: {}.", list.join(", "));
        }
        let absent: Vec<&str> = report
            .units
            .iter()
            .filter(|u| !u.status.is_counted() || u.missing.iter().any(|m| m.id == total.id))
            .filter(|u| previous.units.get(&u.name).is_some_and(|m| m.contains_key(&*total.id)))
            .map(|u| u.name.as_str())
            .collect();
        if !absent.is_empty() {
            message += &format!(" Tháng trước có số liệu, tháng này chưa tổng hợp: {}.", absent.join(", "));
        }
        let f =
            Finding::new(Severity::Warning, FindingKind::CumulativeDecrease, file_location(&previous.file), message);
        out.push(f.values(value, was_value));
    }
    out
}

/// The report's month.
fn this_month(report: &Report) -> Month {
    Month::new(report.period.year as i16, report.period.month as i8).expect("a decided month")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, UnitResult, UnitStatus};
    use std::collections::BTreeMap;

    const RULE: Compare = Compare { jump_factor: 5.0, jump_minimum: 20.0 };

    #[test]
    fn a_cumulative_figure_may_stay_or_grow_never_go_down() {
        assert!(went_down(5562.0, 5000.0));
        assert!(went_down(1.0, 0.0));
        assert!(!went_down(5562.0, 5562.0) && !went_down(5562.0, 11124.0));
        assert!(!went_down(0.3, 0.1 + 0.2), "a rounding error is no decrease");
    }

    #[test]
    fn a_jump_is_more_than_the_factor_and_not_between_small_counts() {
        assert!(!jumped(&RULE, 100.0, 200.0), "doubled");
        assert!(!jumped(&RULE, 100.0, 500.0), "five times is the limit, not over it");
        assert!(jumped(&RULE, 100.0, 501.0));
        assert!(jumped(&RULE, 21.0, 200.0));
        assert!(!jumped(&RULE, 2.0, 15.0), "both under 20");
        assert!(jumped(&RULE, 2.0, 20.0), "one of them at the minimum");
        assert!(jumped(&RULE, 0.0, 25.0), "from nothing to a count that is not small");
        assert!(!jumped(&RULE, 0.0, 19.0) && !jumped(&RULE, 0.0, 0.0));
        assert!(!jumped(&RULE, 500.0, 20.0), "a fall is not a jump");
        let loose = Compare { jump_factor: 10.0, jump_minimum: 0.0 };
        assert!(!jumped(&loose, 21.0, 200.0) && jumped(&loose, 1.0, 11.0));
        assert_eq!((times(200.0 / 21.0), times(75.0), times(1250.04)), ("9,5".into(), "75".into(), "1.250".into()));
    }

    fn unit(name: &str, status: UnitStatus, figures: &[(&str, f64)]) -> UnitResult {
        let file = format!("{name}.xlsx");
        UnitResult {
            name: name.into(),
            group: "phuong_xa".into(),
            status,
            files: vec![file.clone()],
            missing: Vec::new(),
            figures: figures
                .iter()
                .map(|(id, v)| Figure { id: (*id).into(), value: *v, source: Location::cell(&file, "Trang", "D9") })
                .collect(),
            as_of: Vec::new(),
        }
    }

    fn map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn the_report_is_compared_unit_by_unit_and_in_total() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let cfg = Config::load(&path).unwrap();
        let (july, august) = (Month::new(2024, 7).unwrap(), Month::new(2024, 8).unwrap());
        let units = vec![
            unit("Phường Bảo An", UnitStatus::Counted, &[("lao_dong.da_thu_thap", 3691.0), ("vneid.tin_bao", 30.0)]),
            unit("Phường Đài Sơn", UnitStatus::Missing, &[]),
            unit(
                "Công an thành phố",
                UnitStatus::Counted,
                &[
                    ("csdlqg.hoi_nong_dan", 1900.0),
                    ("vneid.tin_bao", 200.0),
                    ("tuyen_truyen.tin_bai", 15.0),
                    ("ddt.ho_so_muc_2", 1588.0),
                ],
            ),
        ];
        let mut report = crate::engine::report_of(&cfg, august, units, Vec::new(), Vec::new());
        let previous = Previous {
            file: "/tmp/ra/phu-luc-2024-07.xlsx".into(),
            month: july,
            totals: map(&[("csdlqg.hoi_nong_dan", 1994.0), ("lao_dong.da_thu_thap", 5355.0), ("vneid.tin_bao", 51.0)]),
            units: BTreeMap::from([
                ("Phường Bảo An".into(), map(&[("lao_dong.da_thu_thap", 3691.0), ("vneid.tin_bao", 30.0)])),
                ("Phường Đài Sơn".into(), map(&[("lao_dong.da_thu_thap", 1664.0)])),
                (
                    "Công an thành phố".into(),
                    map(&[
                        ("csdlqg.hoi_nong_dan", 1994.0),
                        ("vneid.tin_bao", 21.0),
                        ("tuyen_truyen.tin_bai", 2.0),
                        ("ddt.ho_so_muc_2", 794.0),
                    ]),
                ),
            ]),
        };
        compare(&cfg, &mut report, previous);
        let said: Vec<(FindingKind, Option<&str>, &str)> =
            report.findings.iter().map(|f| (f.kind, f.unit.as_deref(), f.message.as_str())).collect();
        let of = |kind| said.iter().filter(move |(k, _, _)| *k == kind).collect::<Vec<_>>();
        let down = of(FindingKind::CumulativeDecrease);
        assert_eq!(down.len(), 3, "{said:#?}");
        let (_, unit, message) = down[0];
        assert_eq!(*unit, Some("Công an thành phố"));
        assert!(message.contains("“Cập nhật CSDLQG › Hội Nông dân” của Công an thành phố"), "{message}");
        assert!(message.contains("tháng 7/2024 là 1.994, tháng 8/2024 là 1.900"), "{message}");
        assert!(!message.contains("csdlqg."), "the label, not the id: {message}");
        // The totals: one with the unit it went down in, one that fell because a unit is not counted.
        let totals: Vec<&str> = down.iter().filter(|(_, u, _)| u.is_none()).map(|(_, _, m)| *m).collect();
        assert!(
            totals.iter().any(|m| m.starts_with("Số liệu tổng hợp lũy kế “Cập nhật CSDLQG › Hội Nông dân”")
                && m.contains("Giảm ở: Công an thành phố (1.994 → 1.900)")),
            "{totals:#?}"
        );
        assert!(
            totals.iter().any(|m| m.contains("“Lao động › Số lao động đã điều tra thu thập”")
                && m.contains("5.355")
                && m.contains("chưa tổng hợp: Phường Đài Sơn")),
            "{totals:#?}"
        );
        let f = report.findings.iter().find(|f| f.kind == FindingKind::CumulativeDecrease && f.unit.is_some()).unwrap();
        assert_eq!((f.found, f.expected), (Some(1900.0), Some(1994.0)));
        assert_eq!(f.location, Location::cell("Công an thành phố.xlsx", "Trang", "D9"), "this month's cell");
        let f = report.findings.iter().find(|f| f.kind == FindingKind::CumulativeDecrease && f.unit.is_none()).unwrap();
        assert_eq!(f.location, Location::file("phu-luc-2024-07.xlsx"));
        // Jumps: 21 → 200 is one; doubling, 2 → 15 and a non-cumulative figure that stayed are not.
        let jumps = of(FindingKind::SuddenJump);
        assert_eq!(jumps.len(), 1, "{said:#?}");
        assert!(
            jumps[0].2.contains("“Căn cước - ĐDĐT › Số tin báo tiếp nhận từ ứng dụng VNeID” của Công an thành phố")
        );
        assert!(jumps[0].2.contains("tháng 7/2024 là 21, tháng 8/2024 là 200 (gấp 9,5 lần"), "{}", jumps[0].2);
        assert!(report.findings.iter().all(|f| f.severity == Severity::Warning));
        // Last month's totals stay for the appendix's column.
        let kept = report.previous.as_ref().unwrap();
        assert!(kept.column && kept.month == july);
        let at = report.totals.find("csdlqg.hoi_nong_dan").unwrap();
        assert_eq!(report.previous_value(at), Some(1994.0));
        assert_eq!(report.previous_value(report.totals.find("hssk.dan_so").unwrap()), None);
    }

    #[test]
    fn an_unusable_appendix_is_one_warning_and_nothing_compared() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let cfg = Config::load(&path).unwrap();
        let mut report =
            crate::engine::report_of(&cfg, Month::new(2024, 8).unwrap(), Vec::new(), Vec::new(), Vec::new());
        unusable(&cfg, &mut report, "ra/phu-luc-2024-07.xlsx", "là phụ lục tháng 6/2024");
        assert_eq!(report.findings.len(), 1);
        let f = &report.findings[0];
        assert_eq!((f.kind, f.severity), (FindingKind::PreviousUnusable, Severity::Warning));
        assert!(f.message.contains("ra/phu-luc-2024-07.xlsx: là phụ lục tháng 6/2024"), "{}", f.message);
        assert!(report.previous.is_none());
    }
}
