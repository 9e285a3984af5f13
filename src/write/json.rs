//! The JSON of `baocao check --json`: the period, every unit with its status and
//! figures (and the as-of dates its sheets state), the files not counted, every
//! consolidated figure with its sources spelled out, the as-of date of each dated
//! key, and the findings.
//!
//! Its keys and the statuses and kinds in it are stable snake_case English: scripts read them.

use crate::model::{AsOf, Finding, PeriodBasis, Report, SkippedFile, SourceRef, Total, UnitResult, date};
use serde::Serialize;

/// The report as pretty-printed JSON.
pub fn to_string(report: &Report) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&Json(report))
}

/// The report in the JSON shape of `check --json`.
pub struct Json<'a>(pub &'a Report);

impl Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Run<'a> {
            period: &'a str,
            month: String,
            period_basis: Basis,
            units: &'a [UnitResult],
            skipped: &'a [SkippedFile],
            totals: Totals<'a>,
            as_of: AsOfs<'a>,
            findings: &'a [Finding],
        }
        let report = self.0;
        let p = &report.period;
        Run {
            period: &p.text,
            month: format!("{}-{:02}", p.year, p.month),
            period_basis: match p.basis {
                PeriodBasis::Given => Basis { given: true, stated_by: None, stating: None },
                PeriodBasis::Workbooks { agree, stating } => {
                    Basis { given: false, stated_by: Some(agree), stating: Some(stating) }
                }
            },
            units: &report.units,
            skipped: &report.skipped,
            totals: Totals(report),
            as_of: AsOfs(report),
            findings: &report.findings,
        }
        .serialize(s)
    }
}

/// How the period was decided: `{"given": true}` (`--period`), or
/// `{"given": false, "stated_by": 17, "stating": 19}` (17 of the 19 workbooks
/// stating a period state this one).
#[derive(Serialize)]
struct Basis {
    given: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stated_by: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stating: Option<usize>,
}

/// Every consolidated figure by id, in id order.
struct Totals<'a>(&'a Report);

impl Serialize for Totals<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.totals.by_id().map(|t| (&*t.id, TotalJson(self.0, t))))
    }
}

/// `{"csdlqg": {"date": "07/5/2024", "sources": [{"unit", "date", "file", "sheet", "cell"}, …]}, …}`:
/// each dated key's as-of date and every counted unit's statement of it.
struct AsOfs<'a>(&'a Report);

impl Serialize for AsOfs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.as_of.iter().map(|(k, a)| (k, AsOfJson(self.0, a))))
    }
}

/// One as-of date with its statements.
struct AsOfJson<'a>(&'a Report, &'a AsOf);

impl Serialize for AsOfJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Stated<'a> {
            unit: &'a str,
            date: String,
            #[serde(flatten)]
            location: &'a crate::model::Location,
        }
        let (report, as_of) = (self.0, self.1);
        let sources: Vec<Stated> = as_of
            .sources
            .iter()
            .map(|src| Stated {
                unit: &report.units[src.unit as usize].name,
                date: date::short(src.date),
                location: &src.location,
            })
            .collect();
        let mut st = s.serialize_struct("AsOf", 2)?;
        st.serialize_field("date", &as_of.short())?;
        st.serialize_field("sources", &sources)?;
        st.end()
    }
}

/// `{"value": …, "sources": [{"unit", "value", "file", "sheet", "cell"}, …],
/// "incomplete": ["Phường Bảo An"]}`: "incomplete" names the units whose figure
/// the total lacks (they are "thiếu số liệu"), only when there are some.
struct TotalJson<'a>(&'a Report, &'a Total);

impl Serialize for TotalJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (report, total) = (self.0, self.1);
        let mut st = s.serialize_struct("Total", 3)?;
        st.serialize_field("value", &total.value)?;
        if total.sources.is_empty() {
            st.skip_field("sources")?;
        } else {
            st.serialize_field("sources", &Sources(report, &total.sources))?;
        }
        if total.missing.is_empty() {
            st.skip_field("incomplete")?;
        } else {
            let names: Vec<&str> = total.missing.iter().map(|u| report.units[*u as usize].name.as_str()).collect();
            st.serialize_field("incomplete", &names)?;
        }
        st.end()
    }
}

/// The unit figures a total adds up, each with its unit and provenance.
struct Sources<'a>(&'a Report, &'a [SourceRef]);

impl Serialize for Sources<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|r| self.0.source(*r)))
    }
}
