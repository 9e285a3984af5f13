//! Findings: what a person should know about a run, each pinned to its file,
//! sheet and cell.

use super::Location;
use serde::Serialize;
use std::sync::Arc;

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
    /// Its sheet.
    pub sheet: String,
    /// Its A1-style reference.
    pub cell: String,
    /// What it held, or what is said of it.
    pub text: String,
    /// The number it was read as, when it was.
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
    /// A header cell fits two figure columns, or two header cells fit one: the
    /// column is not read.
    AmbiguousColumn,
    /// A row label fits two configured rows, or two row labels fit one: the row
    /// is not read.
    AmbiguousRow,
    /// A sheet dates its cumulative figures after the period's end.
    AsOfAfterPeriod,
    /// Units state different as-of dates for the same figure.
    AsOfMismatch,
    /// The report prints an as-of date no counted unit states (printed as "…").
    AsOfMissing,
    /// A sheet dates its cumulative figures before the previous month's period.
    AsOfStale,
    /// A unit's total differs from the sum of its parts (a `sum` check).
    BreakdownMismatch,
    /// A cell longer than a cell may be was cut.
    CellTruncated,
    /// A figure column was found by the meaning of its header, not its configured text.
    ColumnByMeaning,
    /// A cumulative figure ("lũy kế") is lower than in last month's appendix.
    CumulativeDecrease,
    /// A table row that appears twice in one sheet.
    DuplicateRow,
    /// One workbook has two sheets of one table and one period (counted once
    /// when their figures agree, not at all when they differ).
    DuplicateSheet,
    /// One unit sent several workbooks.
    DuplicateUnit,
    /// A figure larger than the figure it is part of (a `not_greater` check).
    ExceedsTotal,
    /// A formula's cached value differs from what it computes.
    FormulaCacheMismatch,
    /// A formula stored without a cached value.
    FormulaNoCache,
    /// A figure the report's text prints has no value (no unit gave it, or a
    /// ratio over zero): the sentence shows a gap "…".
    FigureGap,
    /// Rows a sheet hides were read and counted like the others.
    HiddenRowsRead,
    /// A sheet the workbook hides was not used: a visible sheet holds the same table.
    HiddenSheetIgnored,
    /// A sheet the workbook hides was read: no visible sheet holds its table.
    HiddenSheetRead,
    /// Text in a legacy Vietnamese encoding (TCVN3, VNI) was converted.
    LegacyEncoding,
    /// A configured figure column was not found.
    MissingColumn,
    /// A table's or list's header row was not found.
    MissingHeader,
    /// A configured list item was not found.
    MissingItem,
    /// A configured table row was not found.
    MissingRow,
    /// A unit's workbooks have no sheet of a table or list its group must report.
    MissingSheet,
    /// A figure cell merged over several rows: counted once, under its top-left cell.
    MergedValue,
    /// An expected unit sent no workbook.
    MissingUnit,
    /// An expected unit's workbook has every figure cell empty (a blank form).
    BlankUnit,
    /// A negative count.
    NegativeCount,
    /// A figure cell that holds no number.
    NotANumber,
    /// A number that cannot be counted exactly: NaN, infinity, 2^53 or more
    /// (in a cell, or a sum of cells).
    NumberOutOfRange,
    /// A section of the report the notes file does not give: a highlighted
    /// placeholder is printed in its place.
    NotesMissing,
    /// A section of the notes file the template has no place for: its text is
    /// not in the report.
    NotesUnused,
    /// A file of the inbox that is not a workbook (skipped).
    NotAWorkbook,
    /// `--period` names a period other than the one most workbooks state.
    PeriodFlagDisagrees,
    /// A sheet or file states a period other than the report's.
    PeriodMismatch,
    /// A file states no period.
    PeriodMissing,
    /// Last month's appendix was found but cannot be compared with (nothing is).
    PreviousUnusable,
    /// A sheet's percentage cell differs from its row's figures.
    RatioMismatch,
    /// Table rows were found by the words of their labels, not their configured text.
    RowByMeaning,
    /// A sentence of the template that names a figure the config does not
    /// define was left out of the report (not a draft: the config decides).
    SentenceOmitted,
    /// A sheet had more cells than are read.
    SheetTruncated,
    /// A `[[aggregates]]` sum over a group none of whose units reports the
    /// figure's table or list: left out, with its sentence.
    SumNotReported,
    /// A few cells far outside the sheet's data (a stray space at XFD1048576):
    /// not part of any table, but they make the used range huge.
    StrayCells,
    /// A sheet of another period beside the current one was not used.
    StaleSheetIgnored,
    /// Sub-total or group rows inside a table ("Cộng …"): not rows, not added to the sum.
    SubtotalRow,
    /// A unit's figure is many times last month's.
    SuddenJump,
    /// Numbers typed as text were read as numbers.
    TextNumbersConverted,
    /// A hand-typed total row differs from the sum of the rows.
    TotalRowMismatch,
    /// One unit's figures came in several workbooks that do not overlap (each
    /// office of the unit sent its part): combined.
    UnitFilesCombined,
    /// The data sheets name no unit; the unit was read from another sheet (a cover).
    UnitFromOtherSheet,
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
    /// How serious it is.
    pub severity: Severity,
    /// What it is about (a stable machine name in the JSON).
    pub kind: FindingKind,
    /// The unit concerned, by its configured name, when known.
    pub unit: Option<String>,
    /// Where it is: file, sheet, cell.
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

impl FindingKind {
    /// Whether the finding is about a place the report's text leaves open (a
    /// figure printed as a gap, a section without notes, notes the template
    /// does not print): found when the template is rendered, and the report is
    /// then a draft whatever the severity.
    pub fn is_report_gap(self) -> bool {
        matches!(
            self,
            FindingKind::FigureGap | FindingKind::AsOfMissing | FindingKind::NotesMissing | FindingKind::NotesUnused
        )
    }
}

impl Finding {
    /// A finding about no unit yet, with no values or cells.
    pub fn new(severity: Severity, kind: FindingKind, location: Location, message: String) -> Self {
        Finding { severity, kind, unit: None, location, message, found: None, expected: None, cells: Vec::new() }
    }
    /// The same finding, about `unit`.
    pub fn unit(mut self, unit: Option<&str>) -> Self {
        self.unit = unit.map(str::to_string);
        self
    }
    /// The same finding, with the value found and the value expected.
    pub fn values(mut self, found: f64, expected: f64) -> Self {
        self.found = Some(found);
        self.expected = Some(expected);
        self
    }
}
