//! The plain data model every part of baocao shares: figures with their
//! provenance, findings, and the result of one run. Readers and the engine
//! produce it; the writers (terminal, JSON, XLSX, DOCX) only read it.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where a value or a problem sits: file, and sheet and cell when there is one.
///
/// File and sheet names are shared (`Arc<str>`) between the many figures of one
/// sheet: a province's run holds hundreds of thousands of locations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Location {
    pub file: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    /// A1-style cell ("F22") or range ("C9:C24"); shared too, as most units
    /// keep their figures in the same cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Arc<str>>,
}

impl Location {
    pub fn file(file: &str) -> Self {
        Location { file: file.into(), sheet: None, cell: None }
    }
    pub fn sheet(file: &str, sheet: &str) -> Self {
        Location { file: file.into(), sheet: Some(sheet.into()), cell: None }
    }
    pub fn cell(file: &str, sheet: &str, cell: &str) -> Self {
        Location { file: file.into(), sheet: Some(sheet.into()), cell: Some(cell.into()) }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " › {s}")?;
        }
        if let Some(c) = &self.cell {
            write!(f, " › {c}")?;
        }
        Ok(())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A unit's figures are missing from the consolidation or may be wrong in it.
    Error,
    /// Counted, but doubtful: someone should look.
    Warning,
    /// Handled (skipped, ignored, converted) and worth one line.
    Info,
}

impl Severity {
    /// The Vietnamese word used in every output.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Info => "thông tin",
        }
    }
}

/// One cell a finding concerns, with what it held and what it was read as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellNote {
    pub sheet: String,
    pub cell: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl CellNote {
    /// A note on the cell at `at` (its sheet and cell, empty when it has none).
    pub fn at(at: &Location, text: String, value: Option<f64>) -> Self {
        let part = |p: &Option<Arc<str>>| p.as_deref().unwrap_or_default().to_string();
        CellNote { sheet: part(&at.sheet), cell: part(&at.cell), text, value }
    }
}

/// What a finding is about: a stable machine name, given in `--json` as a
/// snake_case string ("total_row_mismatch", "missing_unit", ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A text in a figure cell whose meaning is not certain ("1,020").
    AmbiguousNumber,
    /// A unit's total differs from the sum of its parts (a `sum` check).
    BreakdownMismatch,
    /// A cell longer than a cell may be was cut.
    CellTruncated,
    /// A table row that appears twice in one sheet.
    DuplicateRow,
    /// One unit sent several workbooks.
    DuplicateUnit,
    /// A figure larger than the figure it is part of (a `not_greater` check).
    ExceedsTotal,
    /// A formula's cached value differs from what it computes.
    FormulaCacheMismatch,
    /// A formula stored without a cached value.
    FormulaNoCache,
    /// Text in a legacy Vietnamese encoding (TCVN3, VNI) was converted.
    LegacyEncoding,
    /// A configured figure column was not found.
    MissingColumn,
    /// A table's or list's header row was not found.
    MissingHeader,
    /// A configured list item was not found.
    MissingItem,
    /// An expected unit sent no workbook.
    MissingUnit,
    /// A negative count.
    NegativeCount,
    /// A figure cell that holds no number.
    NotANumber,
    /// A file of the inbox that is not a workbook (skipped).
    NotAWorkbook,
    /// A sheet or file states a period other than the report's.
    PeriodMismatch,
    /// A file states no period.
    PeriodMissing,
    /// A sheet's percentage cell differs from its row's figures.
    RatioMismatch,
    /// A sheet had more cells than are read.
    SheetTruncated,
    /// A sheet of another period beside the current one was not used.
    StaleSheetIgnored,
    /// Numbers typed as text were read as numbers.
    TextNumbersConverted,
    /// A hand-typed total row differs from the sum of the rows.
    TotalRowMismatch,
    /// A workbook names no configured unit.
    UnknownUnit,
    /// A table row that is not in the configured list of rows.
    UnknownRow,
    /// A file that could not be read.
    Unreadable,
}

/// A problem, or a thing handled, that a person should know about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// What it is about (a stable machine name in the JSON).
    pub kind: FindingKind,
    /// The unit concerned, by its configured name, when known.
    pub unit: Option<String>,
    pub location: Location,
    /// What happened and what was done, in Vietnamese.
    pub message: String,
    /// The value found in the cell, when the finding is about a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<f64>,
    /// The value it should have, when known (e.g. the sum of the rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
    /// Further cells concerned (e.g. every number converted from text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellNote>,
}

impl Finding {
    pub fn new(severity: Severity, kind: FindingKind, location: Location, message: String) -> Self {
        Finding { severity, kind, unit: None, location, message, found: None, expected: None, cells: Vec::new() }
    }
    pub fn unit(mut self, unit: Option<&str>) -> Self {
        self.unit = unit.map(str::to_string);
        self
    }
    pub fn values(mut self, found: f64, expected: f64) -> Self {
        self.found = Some(found);
        self.expected = Some(expected);
        self
    }
}

/// A "Từ ngày ... đến ngày ..." period, as (day, month, year) pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: (u32, u32, u32),
    pub to: (u32, u32, u32),
}

impl Period {
    /// The period inside a sentence: "từ ngày 05/5/2024 đến ngày 05/6/2024".
    pub fn describe(&self) -> String {
        let d = |(d, m, y): (u32, u32, u32)| format!("{d:02}/{m}/{y}");
        format!("từ ngày {} đến ngày {}", d(self.from), d(self.to))
    }
}

/// One number taken from one unit's workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Figure id from the config, e.g. "dvc_thiet_yeu.rows[3].total" (shared by
    /// every unit's figure of that id).
    pub id: Arc<str>,
    pub value: f64,
    pub source: Location,
}

/// What became of one expected unit this period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// One workbook, read and counted.
    Counted,
    /// No workbook this period.
    Missing,
    /// Several workbooks with different figures: none counted.
    Conflict,
    /// Its workbook states another period (e.g. last month's sent again): not counted.
    WrongPeriod,
    /// Its workbook could not be read.
    Unreadable,
}

impl UnitStatus {
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Counted => "đã tổng hợp",
            UnitStatus::Missing => "chưa gửi báo cáo",
            UnitStatus::Conflict => "gửi trùng, số liệu khác nhau",
            UnitStatus::WrongPeriod => "báo cáo không đúng kỳ",
            UnitStatus::Unreadable => "không đọc được",
        }
    }
}

/// One expected unit and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub name: String,
    pub group: String,
    pub status: UnitStatus,
    /// Every workbook recognised as this unit's.
    pub files: Vec<String>,
    /// The figures counted (empty unless `status` is `Counted`).
    pub figures: Vec<Figure>,
}

/// A file of the inbox that is not counted as any unit's workbook.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    pub file: String,
    pub reason: String,
}

/// A consolidated figure: its value (None for a ratio over zero) and what it adds up.
#[derive(Debug, Clone, Default)]
pub struct Total {
    pub value: Option<f64>,
    /// The unit figures it sums (empty for derived ratios); their provenance is
    /// read through [`RunResult::source`], not copied: a province's totals name
    /// hundreds of thousands of unit figures.
    pub sources: Vec<SourceRef>,
}

/// One unit figure inside a consolidated figure: `RunResult::units[unit].figures[figure]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRef {
    pub unit: u32,
    pub figure: u32,
}

/// One unit figure inside a consolidated figure, with its provenance, as the JSON
/// output gives it: `{"unit", "value", "file", "sheet", "cell"}`.
#[derive(Debug, Serialize)]
pub struct Source<'a> {
    pub unit: &'a str,
    pub value: f64,
    #[serde(flatten)]
    pub location: &'a Location,
}

/// Everything one run found: the input to every writer.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The reporting period, as in the config: "(Từ ngày 05/6/2024 đến ngày 05/7/2024)".
    pub period: String,
    pub units: Vec<UnitResult>,
    pub skipped: Vec<SkippedFile>,
    /// Consolidated figures by id.
    pub totals: BTreeMap<String, Total>,
    pub findings: Vec<Finding>,
}

/// The JSON of a run: every total with its sources spelled out.
impl Serialize for RunResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Run<'a> {
            period: &'a str,
            units: &'a [UnitResult],
            skipped: &'a [SkippedFile],
            totals: Totals<'a>,
            findings: &'a [Finding],
        }
        struct Totals<'a>(&'a RunResult);
        impl Serialize for Totals<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.totals.iter().map(|(id, t)| (id, TotalJson(self.0, t))))
            }
        }
        struct TotalJson<'a>(&'a RunResult, &'a Total);
        impl Serialize for TotalJson<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let (run, total) = (self.0, self.1);
                let mut st = s.serialize_struct("Total", 2)?;
                st.serialize_field("value", &total.value)?;
                if total.sources.is_empty() {
                    st.skip_field("sources")?;
                } else {
                    st.serialize_field("sources", &Sources(run, &total.sources))?;
                }
                st.end()
            }
        }
        struct Sources<'a>(&'a RunResult, &'a [SourceRef]);
        impl Serialize for Sources<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.1.iter().map(|r| self.0.source(*r)))
            }
        }
        Run {
            period: &self.period,
            units: &self.units,
            skipped: &self.skipped,
            totals: Totals(self),
            findings: &self.findings,
        }
        .serialize(s)
    }
}

impl RunResult {
    /// The unit figure `r` points at, with its unit's name and its provenance.
    ///
    /// # Panics
    /// When `r` was not made from this run's units (the engine makes them).
    pub fn source(&self, r: SourceRef) -> Source<'_> {
        let unit = &self.units[r.unit as usize];
        let figure = &unit.figures[r.figure as usize];
        Source { unit: &unit.name, value: figure.value, location: &figure.source }
    }
    /// A consolidated value by id (None when unknown or a ratio over zero).
    pub fn value(&self, id: &str) -> Option<f64> {
        self.totals.get(id).and_then(|t| t.value)
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}
