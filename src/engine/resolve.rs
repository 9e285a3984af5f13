//! Consolidation: every unit figure summed over the counted units, then the
//! table totals, ratios, group sums and percentages, each with its label; and
//! every configured table and list resolved into the [`Report`]'s own shape, so
//! the writers need nothing else.

use crate::config::{self, Config};
use crate::model::{
    Column, FigureLine, Finding, FindingKind, Group, ListItem, ListReport, Location, RatioColumn, Report, ReportPeriod,
    Severity, SkippedFile, SourceRef, TableReport, TableRow, Total, TotalRef, Totals, UnitResult, date, id,
};
use crate::number::ratio_pct;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// The report of a run whose files are sorted out into `units`.
pub(super) fn report(
    cfg: &Config,
    decided: &super::period::Decided,
    units: Vec<UnitResult>,
    skipped: Vec<SkippedFile>,
    mut findings: Vec<Finding>,
) -> Report {
    let (as_of, doubts) = super::as_of::resolve(cfg, decided, &units);
    findings.extend(doubts);
    let sums = UnitSums::new(&units);
    let mut totals = Totals::default();
    let tables = cfg.tables.iter().map(|t| table(t, &sums, &mut totals)).collect();
    let lists = cfg.lists.iter().map(|l| list(l, &sums, &mut totals)).collect();
    let aggregates = reported_aggregates(cfg, &mut findings);
    let groups: Vec<Group> = cfg
        .groups
        .iter()
        .map(|g| Group {
            id: g.id.clone(),
            name: g.name.clone(),
            level: g.level.clone().unwrap_or_else(|| g.name.clone()),
            sums: aggregates
                .iter()
                .filter(|a| *a.group.get_ref() == g.id)
                .map(|a| (a.sum.get_ref().clone(), a.id.clone()))
                .collect(),
        })
        .collect();
    for a in &aggregates {
        let group = groups.iter().find(|g| g.id == *a.group.get_ref()).map_or(a.group.get_ref(), |g| &g.name);
        let base = a.sum.get_ref();
        let (label, name) = match totals.find(base) {
            Some(at) => (totals.get(at).label.clone(), totals.get(at).name.clone()),
            None => (base.clone(), base.clone()),
        };
        let (value, sources) = sums.sum(base, Some(a.group.get_ref()));
        let suffix = format!(" (các {group})");
        let missing = sums.missing(base, Some(a.group.get_ref()));
        let (label, name) = (label + &suffix, name + &suffix);
        totals.insert(Total { id: a.id.as_str().into(), label, name, value, sources, missing });
    }
    for d in &cfg.derived {
        let [num, den] = &d.percent;
        // A percentage of a sum left out above is left out too (its sentence with it).
        if [num, den].iter().any(|f| skipped_sum(cfg, &aggregates, f.get_ref())) {
            continue;
        }
        let name = |id: &str| totals.find(id).map_or_else(|| id.to_string(), |at| totals.get(at).name.clone());
        let label = format!("Tỷ lệ %: {} / {}", name(num.get_ref()), name(den.get_ref()));
        let value = match (totals.value(num.get_ref()), totals.value(den.get_ref())) {
            (Some(n), Some(d)) => ratio_pct(n, d),
            _ => None,
        };
        let missing = missing_of(&totals, [num.get_ref().as_str(), den.get_ref().as_str()]);
        totals.insert(Total { missing, ..plain(&d.id, label.clone(), label, value) });
    }
    let inexact = sums.inexact.take();
    drop(sums);
    let period = ReportPeriod {
        text: decided.period.text(),
        from: date::short(decided.period.from),
        to: date::short(decided.period.to),
        month: decided.month.month as u32,
        year: decided.month.year as u32,
        basis: decided.basis,
    };
    let mut findings = findings;
    for id in inexact {
        let label = totals.find(&id).map_or_else(|| id.clone(), |at| totals.get(at).label.clone());
        findings.push(Finding::new(
            Severity::Error,
            FindingKind::NumberOutOfRange,
            Location::default(),
            format!(
                "Tổng \"{label}\" từ 9.007.199.254.740.992 trở lên, quá lớn để tính chính xác; không in số này. Hãy kiểm tra các ô nguồn (có thể gõ nhầm)."
            ),
        ));
    }
    Report { period, groups, units, skipped, totals, tables, lists, as_of, findings, previous: None }
}

/// A figure that adds up no unit figure (a table total, a ratio).
fn plain(id: &str, label: String, name: String, value: Option<f64>) -> Total {
    Total { id: id.into(), label, name, value, sources: Vec::new(), missing: Vec::new() }
}

/// A figure summed over the units, under `label › name`; `missing`: the units
/// whose figure for it is missing.
fn summed(
    id: String,
    (label, name): (&str, &str),
    (value, sources): (Option<f64>, Vec<SourceRef>),
    missing: Vec<u32>,
) -> Total {
    Total { id: id.into(), label: format!("{label} › {name}"), name: name.to_string(), value, sources, missing }
}

/// The units missing from any of the figures `ids` (a ratio, a total computed
/// from them lacks what they lack), in unit order, each once.
fn missing_of<'a>(totals: &Totals, ids: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut units: Vec<u32> =
        ids.into_iter().filter_map(|id| totals.find(id)).flat_map(|at| totals.get(at).missing.clone()).collect();
    units.sort_unstable();
    units.dedup();
    units
}

/// One table: its columns, each row's figures (0 where no unit reported one, as
/// the seed's appendix prints it), ratios, and the "Tổng" row.
fn table(t: &config::Table, sums: &UnitSums, totals: &mut Totals) -> TableReport {
    let columns: Vec<Column> = (t.columns.iter().map(|c| Column {
        id: c.id.clone(),
        header: c.header.clone(),
        cumulative: c.cumulative.unwrap_or(t.cumulative),
    }))
    .collect();
    let position = |id: &str| t.columns.iter().position(|c| c.id == id).unwrap_or(0);
    let ratio = t.ratio.as_ref().map(|r| RatioColumn {
        header: r.header.clone(),
        numerator: position(&r.numerator),
        denominator: position(&r.denominator),
    });
    let mut info_headers: Vec<String> = Vec::new();
    for key in t.rows.iter().flat_map(|r| r.info.keys()) {
        if !info_headers.contains(key) {
            info_headers.push(key.clone());
        }
    }
    // The ratio of a line of figures (its id made from the ratio's column id),
    // from its numerator and denominator cells.
    let line = |cells: Vec<TotalRef>, totals: &mut Totals, id: &dyn Fn(&str) -> String, label: &str| {
        let ratio = t.ratio.as_ref().zip(ratio.as_ref()).map(|(r, at)| {
            let value = match (totals.get(cells[at.numerator]).value, totals.get(cells[at.denominator]).value) {
                (Some(n), Some(d)) => ratio_pct(n, d),
                _ => None,
            };
            let parts = [cells[at.numerator], cells[at.denominator]].map(|p| totals.get(p).id.clone());
            let missing = missing_of(totals, parts.iter().map(|p| &**p));
            let ratio = plain(&id(&r.id), format!("{label} › {}", r.header), r.header.clone(), value);
            totals.insert(Total { missing, ..ratio })
        });
        FigureLine { cells, ratio }
    };
    let mut rows = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        let label = format!("{} › {}. {}", t.sheet, r.stt, r.label);
        let id = |col: &str| id::table_row(&t.id, r.stt, col);
        let cells = t
            .columns
            .iter()
            .map(|c| {
                let (value, sources) = sums.sum(&id(&c.id), None);
                let missing = sums.missing(&id(&c.id), None);
                totals.insert(summed(id(&c.id), (&label, &c.header), (value.or(Some(0.0)), sources), missing))
            })
            .collect();
        rows.push(TableRow {
            stt: r.stt,
            label: r.label.clone(),
            heading: r.heading.clone(),
            info: info_headers.iter().map(|k| r.info.get(k).cloned().unwrap_or_default()).collect(),
            figures: line(cells, totals, &id, &label),
        });
    }
    let total = if t.rows.is_empty() {
        // The table's figures are its column sums.
        let id = |col: &str| id::table_sum(&t.id, col);
        let cells = t
            .columns
            .iter()
            .map(|c| {
                let missing = sums.missing(&id(&c.id), None);
                totals.insert(summed(id(&c.id), (&t.sheet, &c.header), sums.sum(&id(&c.id), None), missing))
            })
            .collect();
        line(cells, totals, &id, &t.sheet)
    } else {
        let label = format!("{} › Tổng", t.sheet);
        let id = |col: &str| id::table_total(&t.id, col);
        let cells = (t.columns.iter().enumerate())
            .map(|(i, c)| {
                let sum: f64 = rows.iter().map(|r| totals.get(r.figures.cells[i]).value.unwrap_or(0.0)).sum();
                let sum = Some(sum).filter(|v| sums.exact(&id(&c.id), *v));
                let row_ids: Vec<String> = rows.iter().map(|r| totals.get(r.figures.cells[i]).id.to_string()).collect();
                let missing = missing_of(totals, row_ids.iter().map(String::as_str));
                let total = plain(&id(&c.id), format!("{label} › {}", c.header), c.header.clone(), sum);
                totals.insert(Total { missing, ..total })
            })
            .collect();
        line(cells, totals, &id, &label)
    };
    TableReport {
        id: t.id.clone(),
        sheet: t.sheet.clone(),
        title: t.title.clone(),
        stt_header: t.stt_header.clone(),
        label_header: t.label_header.clone(),
        columns,
        ratio,
        columns_group: t.columns_group.clone(),
        unit_of_count: t.unit_of_count.clone(),
        info_headers,
        appendix: t.appendix,
        cumulative: t.cumulative,
        // A one-row table has no "Tổng" row, as the seed prints its QĐ 422 table.
        total: (t.rows.len() != 1).then_some(total),
        rows,
    }
}

/// One list: each item's figure summed over the units.
fn list(l: &config::List, sums: &UnitSums, totals: &mut Totals) -> ListReport {
    let items = l
        .items
        .iter()
        .map(|i| {
            let label = match &i.section {
                Some(section) => format!("{} › {section} › {}", l.sheet, i.label),
                None => format!("{} › {}", l.sheet, i.label),
            };
            let (value, sources) = sums.sum(&i.id, None);
            let missing = sums.missing(&i.id, None);
            let total = Total { id: i.id.as_str().into(), label, name: i.label.clone(), value, sources, missing };
            ListItem {
                label: i.label.clone(),
                section: i.section.clone(),
                figure: totals.insert(total),
                cumulative: i.cumulative.unwrap_or(l.cumulative),
            }
        })
        .collect();
    let title = l.title.clone().unwrap_or_else(|| l.sheet.clone());
    ListReport { sheet: l.sheet.clone(), title, cumulative: l.cumulative, items }
}

/// Every counted unit figure by id (units in config order): its place, group and
/// value, never a copy of its provenance. A province has hundreds of thousands.
struct UnitSums<'u> {
    by_id: HashMap<&'u str, Vec<(SourceRef, &'u str, f64)>>,
    /// The counted units whose figure of an id is missing (unit index, group).
    missing: HashMap<&'u str, Vec<(u32, &'u str)>>,
    /// Figures whose sum is too large to be exact: left without a value.
    inexact: std::cell::RefCell<Vec<String>>,
}

impl<'u> UnitSums<'u> {
    /// The units are split between the cores, each part's lists then joined in order.
    fn new(units: &'u [UnitResult]) -> Self {
        type ById<'u> = HashMap<&'u str, Vec<(SourceRef, &'u str, f64)>>;
        fn part(first: usize, of: &[UnitResult]) -> ById<'_> {
            let mut by_id: ById = HashMap::new();
            for (ui, u) in (first..).zip(of).filter(|(_, u)| u.status.is_counted()) {
                for (fi, f) in u.figures.iter().enumerate() {
                    let at = SourceRef { unit: ui as u32, figure: fi as u32 };
                    by_id.entry(&f.id).or_default().push((at, u.group.as_str(), f.value));
                }
            }
            by_id
        }
        let per_part = units.len().div_ceil(rayon::current_num_threads()).max(1);
        let parts: Vec<ById> = units.par_chunks(per_part).enumerate().map(|(i, of)| part(i * per_part, of)).collect();
        let mut parts = parts.into_iter();
        let mut by_id = parts.next().unwrap_or_default();
        for later in parts {
            for (id, figures) in later {
                by_id.entry(id).or_default().extend(figures);
            }
        }
        let mut missing: HashMap<&str, Vec<(u32, &str)>> = HashMap::new();
        for (ui, u) in units.iter().enumerate().filter(|(_, u)| u.status.is_counted()) {
            for m in &u.missing {
                missing.entry(&m.id).or_default().push((ui as u32, u.group.as_str()));
            }
        }
        UnitSums { by_id, missing, inexact: Default::default() }
    }

    /// The counted units (of one group only, when given) whose figure `id` is
    /// missing, in unit order.
    fn missing(&self, id: &str, group: Option<&str>) -> Vec<u32> {
        let of_group = self.missing.get(id).into_iter().flatten();
        let mut units: Vec<u32> =
            of_group.filter(|(_, g)| group.is_none_or(|want| *g == want)).map(|(u, _)| *u).collect();
        units.dedup();
        units
    }

    /// The sum of one figure over the units (of one group only, when given): its
    /// value (None when no unit gave it) and the unit figures it adds.
    fn sum(&self, id: &str, group: Option<&str>) -> (Option<f64>, Vec<SourceRef>) {
        let of_group = self.by_id.get(id).into_iter().flatten().filter(|(_, g, _)| group.is_none_or(|want| *g == want));
        let sources: Vec<SourceRef> = of_group.clone().map(|(at, _, _)| *at).collect();
        let value = if sources.is_empty() { None } else { Some(of_group.map(|(_, _, v)| v).sum()) };
        (value.filter(|v| self.exact(id, *v)), sources)
    }

    /// `v` can be printed as the sum of `id`; if not (2^53 or more, see
    /// [`crate::number::MAX_EXACT`]) it is noted, and the figure has no value.
    fn exact(&self, id: &str, v: f64) -> bool {
        let exact = crate::number::is_exact(v);
        if !exact {
            self.inexact.borrow_mut().push(id.to_string());
        }
        exact
    }
}

/// The config's `[[aggregates]]` that some unit of their group reports: a sum over
/// a group none of whose units reports the figure's table or list (`reported_by`
/// names neither the group nor any of its units: a district without a one-stop
/// shop keeps the sample's sums over the city's offices) has no figure to give,
/// so it is left out with a warning, and the report's sentence on it is left out
/// too, rather than printed with a gap.
fn reported_aggregates<'c>(cfg: &'c Config, findings: &mut Vec<Finding>) -> Vec<&'c config::Aggregate> {
    let mut kept = Vec::new();
    for a in &cfg.aggregates {
        let group = a.group.get_ref();
        let reported = match cfg.reported_by_of(a.sum.get_ref()) {
            Some(by) if !by.is_empty() => {
                cfg.units.iter().any(|u| u.group.get_ref() == group && Config::reports(u, by))
            }
            _ => true,
        };
        if reported {
            kept.push(a);
            continue;
        }
        let name = cfg.groups.iter().find(|g| g.id == *group).map_or(group.as_str(), |g| g.name.as_str());
        let figure = cfg.figure_label(a.sum.get_ref()).unwrap_or_else(|| a.sum.get_ref().clone());
        findings.push(Finding::new(
            Severity::Warning,
            FindingKind::SumNotReported,
            Location::default(),
            format!(
                "Cấu hình cộng \"{figure}\" riêng cho các {name} ([[aggregates]] \"{}\"), nhưng không đơn vị nào của nhóm này báo cáo bảng đó (reported_by); bỏ qua số liệu này, báo cáo không in câu về nó. Nếu nhóm có đơn vị báo cáo bảng này, thêm đơn vị vào reported_by; nếu không, xóa [[aggregates]] này.",
                a.id
            ),
        ));
    }
    kept
}

/// Whether `id` is the id of an aggregate [`reported_aggregates`] left out.
fn skipped_sum(cfg: &Config, kept: &[&config::Aggregate], id: &str) -> bool {
    cfg.aggregates.iter().any(|a| a.id == id) && !kept.iter().any(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_figures_come_in_config_order_row_by_row() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let c = Config::load(&path).unwrap();
        let july = super::super::period::given(&c, crate::model::Month::new(2024, 7).unwrap());
        let report = report(&c, &july, Vec::new(), Vec::new(), Vec::new());
        let figures = report.unit_figures();
        let ids: Vec<&str> = figures.iter().map(|f| &*report.total(f.figure).id).collect();
        assert_eq!(
            ids[..3],
            ["dvc_thiet_yeu.rows[1].total", "dvc_thiet_yeu.rows[1].online", "dvc_thiet_yeu.rows[2].total"]
        );
        // 15 + 1 rows of two columns, then the six column sums of the table without rows, then the lists.
        assert_eq!(ids[32..34], ["hssk.dan_so", "hssk.phan_a"]);
        assert_eq!(ids[38], "so_hoa.tong_ho_so");
        assert_eq!(ids.last(), Some(&"kcb.bhyt_tra_cuu_thanh_cong"));
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "no id twice");
        assert_eq!(c.unit_figure_ids().len(), ids.len());
        let row3 = &figures[4];
        assert_eq!(row3.title, "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06");
        assert_eq!((row3.row.as_deref(), row3.name), (Some("3. Đăng ký thường trú"), "Tổng số hồ sơ"));
        let by_id = |id: &str| figures.iter().find(|f| &*report.total(f.figure).id == id).unwrap();
        let section = by_id("csdlqg.hoi_chu_thap_do.tap_the");
        assert_eq!((section.row.as_deref(), section.name), (Some("Hội Chữ thập đỏ"), "Tập thể"));
        let sum = by_id("hssk.dan_so");
        assert_eq!(
            (sum.title, sum.row.as_deref(), sum.name),
            ("KẾT QUẢ TẠO LẬP HỒ SƠ SỨC KHỎE ĐIỆN TỬ", None, "Dân số")
        );
    }

    #[test]
    fn every_figure_is_labelled_and_a_one_row_table_has_no_total_row() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let c = Config::load(&path).unwrap();
        let july = super::super::period::given(&c, crate::model::Month::new(2024, 7).unwrap());
        let report = report(&c, &july, Vec::new(), Vec::new(), Vec::new());
        let label = |id: &str| report.total(report.totals.find(id).unwrap()).label.clone();
        assert_eq!(
            label("dvc_thiet_yeu.rows[2].total"),
            "DVC thiết yếu › 2. Cấp lại, đổi thẻ căn cước công dân › Tổng số hồ sơ"
        );
        assert_eq!(label("dvc_thiet_yeu.total.ratio_pct"), "DVC thiết yếu › Tổng › Tỷ lệ %");
        assert_eq!(label("hssk.dan_so"), "Hồ sơ sức khỏe › Dân số");
        assert!(report.totals.by_id().all(|t| !t.label.is_empty() && !t.name.is_empty()), "every figure labelled");
        let qd422 = report.tables.iter().find(|t| t.id == "dvc_qd422").unwrap();
        assert_eq!(qd422.rows.len(), 1);
        assert!(qd422.total.is_none(), "as the seed prints it");
        assert!(report.totals.contains("dvc_qd422.total.total"), "the figure itself still exists");
        // No unit reported: rows are 0, as the appendix prints them, and totals add them.
        assert_eq!(report.totals.value("dvc_thiet_yeu.rows[2].total"), Some(0.0));
        assert_eq!(report.totals.value("dvc_thiet_yeu.total.total"), Some(0.0));
        assert_eq!(report.totals.value("dvc_thiet_yeu.total.ratio_pct"), None, "0 / 0");
        assert_eq!(report.totals.value("hssk.dan_so"), None, "a column sum no unit gave");
    }

    #[test]
    fn cumulative_flags_reach_the_report_with_item_and_column_overrides() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let c = Config::load(&path).unwrap();
        let july = super::super::period::given(&c, crate::model::Month::new(2024, 7).unwrap());
        let report = report(&c, &july, Vec::new(), Vec::new(), Vec::new());
        let cumulative = |id: &str| {
            let heads = report.unit_figures();
            heads.iter().find(|f| &*report.total(f.figure).id == id).unwrap().cumulative
        };
        assert!(cumulative("csdlqg.hoi_nong_dan"), "a cumulative list");
        assert!(cumulative("luu_tru.tai_khoan_asm") && !cumulative("vneid.tin_bao"), "one item of a list");
        assert!(cumulative("hssk.phan_a") && !cumulative("hssk.dan_so"), "a column of a cumulative table");
        assert!(!cumulative("dvc_thiet_yeu.rows[3].total"));
        let hssk = report.tables.iter().find(|t| t.id == "hssk").unwrap();
        assert!(hssk.cumulative && !hssk.columns[0].cumulative && hssk.columns[1].cumulative);
        assert!(report.lists.iter().find(|l| l.sheet == "Lao động").unwrap().cumulative);
    }
}
