//! The report: everything one run found, resolved once by the engine into the
//! shape the documents print, so that every writer reads the same tables,
//! labels and totals and none of them needs the config.

use super::{Finding, FindingKind, Location, Severity, SkippedFile, UnitResult, UnitStatus};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything one run found: the input to every writer (terminal summary,
/// JSON, XLSX and DOCX), built by [`crate::engine`].
#[derive(Debug, Clone)]
pub struct Report {
    /// The reporting period.
    pub period: ReportPeriod,
    /// The groups of units, in config order.
    pub groups: Vec<Group>,
    /// Every expected unit, in config order, with its status and figures.
    pub units: Vec<UnitResult>,
    /// Files of the inbox not counted as any unit's workbook.
    pub skipped: Vec<SkippedFile>,
    /// Every consolidated figure.
    pub totals: Totals,
    /// Every configured table, resolved: headers, rows and their totals.
    pub tables: Vec<TableReport>,
    /// Every configured list of single figures.
    pub lists: Vec<ListReport>,
    /// The dates cumulative figures are counted up to, as the counted units'
    /// sheets state them ("tính đến ngày 07/5/2024"). Keyed by the first part of
    /// the figure ids ("csdlqg", "an_sinh", a table's id "hssk": every dated
    /// figure under it) and by each dated figure's own id
    /// ("an_sinh.tong_ra_soat"); a key no counted unit dates is absent.
    pub as_of: BTreeMap<String, AsOf>,
    /// Every finding, in config order of its unit.
    pub findings: Vec<Finding>,
    /// Last month's consolidated figures, when its appendix was there to compare
    /// with (`convert`); None says nothing of last month is printed.
    pub previous: Option<super::PreviousMonth>,
}

/// Why a report is a draft, counted from its findings: it is one as soon as
/// anything is counted. The DOCX's banner and `convert`'s last line say it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Draft {
    /// Errors in the data.
    pub errors: usize,
    /// Sections printed as a placeholder (no notes for them).
    pub missing_notes: usize,
    /// Figures printed as a gap "…" (no value).
    pub figure_gaps: usize,
    /// Sections of the notes the template has no place for (not in the report).
    pub unused_notes: usize,
}

impl Draft {
    /// Whether there is anything left to do before the report can be sent.
    pub fn is_draft(&self) -> bool {
        *self != Draft::default()
    }

    /// What is left, in Vietnamese, each count written by `count`: "còn 02 lỗi
    /// chưa xử lý, 03 số liệu trống". Empty when the report is not a draft.
    pub fn describe(&self, count: impl Fn(usize) -> String) -> String {
        let parts: Vec<String> = [
            (self.errors, "lỗi chưa xử lý"),
            (self.missing_notes, "mục chưa có nội dung"),
            (self.figure_gaps, "số liệu trống"),
            (self.unused_notes, "mục ghi chú không có chỗ trong mẫu"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{} {what}", count(n)))
        .collect();
        if parts.is_empty() { String::new() } else { format!("còn {}", parts.join(", ")) }
    }
}

/// The reporting period of a run.
#[derive(Debug, Clone, Default)]
pub struct ReportPeriod {
    /// As the workbooks and the appendix write it: "(Từ ngày 05/6/2024 đến ngày 05/7/2024)".
    pub text: String,
    /// First day, as given ("05/6/2024").
    pub from: String,
    /// Last day, as given ("05/7/2024").
    pub to: String,
    /// The month the report is for (1-12).
    pub month: u32,
    /// The year the report is for.
    pub year: u32,
    /// How the period was decided: given, or stated by most workbooks.
    pub basis: super::PeriodBasis,
}

/// The date a set of cumulative figures is counted up to, resolved over the
/// counted units that state one (see [`crate::engine`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AsOf {
    /// The date taken: the one most units state (ties: a date that is neither
    /// after the period nor older than last month's period, then the later one).
    pub date: super::date::Date,
    /// Every counted unit's statement for these figures, agreeing or not, in
    /// unit order.
    pub sources: Vec<AsOfSource>,
}

impl AsOf {
    /// The date as a sentence writes it: "07/5/2024".
    pub fn short(&self) -> String {
        super::date::short(self.date)
    }
}

/// One unit's statement of an as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct AsOfSource {
    /// Index into [`Report::units`].
    pub unit: u32,
    /// The date it states.
    pub date: super::date::Date,
    /// The cell stating it.
    pub location: Location,
}

/// A group of units ("phường, xã"; "phòng, ban thành phố").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its id, as units name it.
    pub id: String,
    /// Its name in a sentence ("phường, xã").
    pub name: String,
}

/// A consolidated figure: its value (None for a ratio over zero), its label,
/// and the unit figures it adds up.
#[derive(Debug, Clone, Default)]
pub struct Total {
    /// Its figure id ([`super::id`]).
    pub id: Arc<str>,
    /// Where it sits, for a reader: "DVC thiết yếu › 2. Cấp lại... › Tổng số hồ sơ".
    pub label: String,
    /// Its own words, the last part of the label: "Tổng số hồ sơ".
    pub name: String,
    /// The value; None when no unit gave it or a ratio's denominator is 0.
    pub value: Option<f64>,
    /// The unit figures it sums (empty for ratios and table totals); their
    /// provenance is read through [`Report::source`], not copied: a province's
    /// totals name hundreds of thousands of unit figures.
    pub sources: Vec<SourceRef>,
}

/// One unit figure inside a consolidated figure: `Report::units[unit].figures[figure]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRef {
    /// Index into [`Report::units`].
    pub unit: u32,
    /// Index into that unit's figures.
    pub figure: u32,
}

/// One unit figure inside a consolidated figure, with its provenance, as the JSON
/// output gives it: `{"unit", "value", "file", "sheet", "cell"}`.
#[derive(Debug, serde::Serialize)]
pub struct Source<'a> {
    /// The unit's name.
    pub unit: &'a str,
    /// Its value.
    pub value: f64,
    /// Where it was read.
    #[serde(flatten)]
    pub location: &'a Location,
}

/// A consolidated figure of a [`Report`], by its place in [`Totals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TotalRef(u32);

/// Every consolidated figure, in the order the engine made them, and by id.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    list: Vec<Total>,
    by_id: BTreeMap<Arc<str>, TotalRef>,
}

impl Totals {
    /// Add a figure (or replace the one of the same id, keeping its place).
    pub fn insert(&mut self, total: Total) -> TotalRef {
        if let Some(&at) = self.by_id.get(&total.id) {
            self.list[at.0 as usize] = total;
            return at;
        }
        let at = TotalRef(self.list.len() as u32);
        self.by_id.insert(total.id.clone(), at);
        self.list.push(total);
        at
    }

    /// The figure `at` names.
    pub fn get(&self, at: TotalRef) -> &Total {
        &self.list[at.0 as usize]
    }

    /// The figure `at` names, to change (when building a report by hand).
    pub fn get_mut(&mut self, at: TotalRef) -> &mut Total {
        &mut self.list[at.0 as usize]
    }

    /// The figure of this id.
    pub fn find(&self, id: &str) -> Option<TotalRef> {
        self.by_id.get(id).copied()
    }

    /// The value of the figure of this id (None when unknown or empty).
    pub fn value(&self, id: &str) -> Option<f64> {
        self.find(id).and_then(|at| self.get(at).value)
    }

    /// Whether a figure of this id exists.
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Every figure, sorted by id (as `--json` lists them).
    pub fn by_id(&self) -> impl Iterator<Item = &Total> {
        self.by_id.values().map(|at| self.get(*at))
    }

    /// Every figure, in the order the engine made them: the tables' figures,
    /// then the lists', each in config order.
    pub fn iter(&self) -> impl Iterator<Item = &Total> {
        self.list.iter()
    }

    /// How many figures there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// A configured table, resolved: what the appendix prints and what the breakdown
/// by unit lays out.
#[derive(Debug, Clone)]
pub struct TableReport {
    /// The table's id in the config.
    pub id: String,
    /// Its usual sheet name ("DVC thiết yếu").
    pub sheet: String,
    /// Its title ("KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06").
    pub title: String,
    /// Header of the STT column.
    pub stt_header: String,
    /// Header of the column naming each row.
    pub label_header: String,
    /// The figure columns.
    pub columns: Vec<Column>,
    /// The ratio column, when the table has one.
    pub ratio: Option<RatioColumn>,
    /// Header printed over the figure columns ("Tổng số hồ sơ").
    pub columns_group: Option<String>,
    /// The unit of count printed above the table ("Đơn vị tính: hồ sơ").
    pub unit_of_count: Option<String>,
    /// Headers of the fixed information columns of the rows, in order of first appearance.
    pub info_headers: Vec<String>,
    /// Printed in the appendix (Phụ lục) of the report.
    pub appendix: bool,
    /// Its figures are counted up to a date ("lũy kế"), not over the period (a
    /// column may say otherwise: [`Column::cumulative`] is what holds for its figures).
    pub cumulative: bool,
    /// The configured rows; empty for a table whose figures are its column sums.
    pub rows: Vec<TableRow>,
    /// The "Tổng" row: the totals of the rows, or the column sums of a table
    /// without rows. None for a table of one row, which the seed prints without
    /// one (its QĐ 422 table).
    pub total: Option<FigureLine>,
}

/// A figure column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Its id in the config.
    pub id: String,
    /// Its header.
    pub header: String,
    /// Its figures are cumulative: they do not go down from one month to the next.
    pub cumulative: bool,
}

/// A ratio column: numerator over denominator, two of the figure columns.
#[derive(Debug, Clone)]
pub struct RatioColumn {
    /// Its header ("Tỷ lệ %").
    pub header: String,
    /// Index into [`TableReport::columns`] of the numerator.
    pub numerator: usize,
    /// Index into [`TableReport::columns`] of the denominator.
    pub denominator: usize,
}

/// One configured row of a table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// Its number in the official table.
    pub stt: u32,
    /// Its label.
    pub label: String,
    /// A group heading printed above it ("I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN").
    pub heading: Option<String>,
    /// Its fixed information, one per [`TableReport::info_headers`] ("" when it has none).
    pub info: Vec<String>,
    /// Its figures.
    pub figures: FigureLine,
}

/// The figures of one line of a table: one per column, then the ratio.
#[derive(Debug, Clone)]
pub struct FigureLine {
    /// One consolidated figure per [`TableReport::columns`].
    pub cells: Vec<TotalRef>,
    /// The ratio, when the table has one.
    pub ratio: Option<TotalRef>,
}

/// A configured list of single figures, one per row ("Nội dung" | "Số lượng").
#[derive(Debug, Clone)]
pub struct ListReport {
    /// Its usual sheet name.
    pub sheet: String,
    /// Its title, or its sheet name when it has none.
    pub title: String,
    /// Its figures are counted up to a date ("lũy kế"), not over the period (an
    /// item may say otherwise: [`ListItem::cumulative`] is what holds for it).
    pub cumulative: bool,
    /// Its items.
    pub items: Vec<ListItem>,
}

/// One item of a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    /// Its label.
    pub label: String,
    /// The heading row it sits under, when it has one.
    pub section: Option<String>,
    /// Its consolidated figure.
    pub figure: TotalRef,
    /// Its figure is cumulative: it does not go down from one month to the next.
    pub cumulative: bool,
}

/// A figure a unit's workbook gives, with the names that head it (for "Nguồn").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitFigureHead<'a> {
    /// Its consolidated figure.
    pub figure: TotalRef,
    /// Title of its table or list.
    pub title: &'a str,
    /// Its table row ("3. Đăng ký thường trú") or list section, when it has one.
    pub row: Option<String>,
    /// Its column header or list item label.
    pub name: &'a str,
    /// It is cumulative: it does not go down from one month to the next.
    pub cumulative: bool,
}

impl Report {
    /// The unit figure `r` points at, with its unit's name and its provenance.
    ///
    /// # Panics
    /// When `r` was not made from this report's units (the engine makes them).
    pub fn source(&self, r: SourceRef) -> Source<'_> {
        let unit = &self.units[r.unit as usize];
        let figure = &unit.figures[r.figure as usize];
        Source { unit: &unit.name, value: figure.value, location: &figure.source }
    }

    /// A consolidated figure.
    pub fn total(&self, at: TotalRef) -> &Total {
        self.totals.get(at)
    }

    /// A consolidated value (None when no unit gave it, or a ratio over zero).
    pub fn value(&self, at: TotalRef) -> Option<f64> {
        self.totals.get(at).value
    }

    /// Last month's value of a consolidated figure, when last month's appendix
    /// is known and had one.
    pub fn previous_value(&self, at: TotalRef) -> Option<f64> {
        self.previous.as_ref()?.totals.get(&*self.totals.get(at).id).copied()
    }

    /// Last month, when the appendix tables print its "Tháng trước" column.
    pub fn previous_column(&self) -> Option<&super::PreviousMonth> {
        self.previous.as_ref().filter(|p| p.column)
    }

    /// How many findings of a severity there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// A consolidated figure or unit figure that is not a finite number, if any.
    /// The reader and the engine never make one (a NaN or infinite cell is an
    /// error, an inexact sum has no value); the writers check it anyway, so that
    /// "NaN" or "inf" can never reach a document.
    pub fn non_finite(&self) -> Option<String> {
        let total = self.totals.by_id().find(|t| t.value.is_some_and(|v| !v.is_finite()));
        if let Some(t) = total {
            return Some(t.label.clone());
        }
        self.units
            .iter()
            .flat_map(|u| u.figures.iter().map(move |f| (u, f)))
            .find(|(_, f)| !f.value.is_finite())
            .map(|(u, f)| format!("{} › {}", u.name, f.id))
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// What keeps the report a draft: errors in the data, and the places its
    /// text leaves open (findings of [`FindingKind::is_report_gap`]).
    pub fn draft(&self) -> Draft {
        let mut d = Draft { errors: self.count(Severity::Error), ..Draft::default() };
        for f in &self.findings {
            match f.kind {
                // An as-of date no unit states prints "…" in its sentence: a gap too.
                FindingKind::FigureGap | FindingKind::AsOfMissing => d.figure_gaps += 1,
                FindingKind::NotesMissing => d.missing_notes += 1,
                FindingKind::NotesUnused => d.unused_notes += 1,
                _ => {}
            }
        }
        d
    }

    /// Whether the report is a draft: an error in the data, or a gap in its text.
    pub fn is_draft(&self) -> bool {
        self.draft().is_draft()
    }

    /// The units whose figures are in the consolidation.
    pub fn counted_units(&self) -> impl Iterator<Item = &UnitResult> {
        self.units.iter().filter(|u| u.status == UnitStatus::Counted)
    }

    /// A group's name by its id (the id itself when unknown).
    pub fn group_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.groups.iter().find(|g| g.id == id).map_or(id, |g| g.name.as_str())
    }

    /// The tables printed in the appendix, in config order.
    pub fn appendix_tables(&self) -> impl Iterator<Item = &TableReport> {
        self.tables.iter().filter(|t| t.appendix)
    }

    /// Every figure a unit's workbook can give, in config order: each table's
    /// rows (or its column sums when it has none) column by column, then each
    /// list's items.
    pub fn unit_figures(&self) -> Vec<UnitFigureHead<'_>> {
        let mut out = Vec::new();
        for t in &self.tables {
            let mut push = |cells: &[TotalRef], row: Option<String>| {
                for (c, at) in t.columns.iter().zip(cells) {
                    let (title, name, cumulative) = (t.title.as_str(), c.header.as_str(), c.cumulative);
                    out.push(UnitFigureHead { figure: *at, title, row: row.clone(), name, cumulative });
                }
            };
            if t.rows.is_empty() {
                // Its figures are its column sums, on its "Tổng" line.
                if let Some(sums) = &t.total {
                    push(&sums.cells, None);
                }
            }
            for r in &t.rows {
                push(&r.figures.cells, Some(format!("{}. {}", r.stt, r.label)));
            }
        }
        for l in &self.lists {
            for i in &l.items {
                out.push(UnitFigureHead {
                    figure: i.figure,
                    title: &l.title,
                    row: i.section.clone(),
                    name: &i.label,
                    cumulative: i.cumulative,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_says_what_is_left_in_report_order() {
        assert!(!Draft::default().is_draft());
        assert_eq!(Draft::default().describe(|n| n.to_string()), "");
        let d = Draft { errors: 1, missing_notes: 4, figure_gaps: 9, unused_notes: 0 };
        assert!(d.is_draft());
        assert_eq!(
            d.describe(|n| format!("{n:02}")),
            "còn 01 lỗi chưa xử lý, 04 mục chưa có nội dung, 09 số liệu trống"
        );
        let only_notes = Draft { unused_notes: 1, ..Draft::default() };
        assert_eq!(only_notes.describe(|n| n.to_string()), "còn 1 mục ghi chú không có chỗ trong mẫu");
    }
}
