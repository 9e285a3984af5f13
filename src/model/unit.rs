//! Where figures come from: locations, unit figures, and what became of each
//! expected unit and of every other file of the inbox.

use serde::Serialize;
use std::sync::Arc;

/// Where a value or a problem sits: file, and sheet and cell when there is one.
///
/// File and sheet names are shared (`Arc<str>`) between the many figures of one
/// sheet: a province's run holds hundreds of thousands of locations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Location {
    /// The file's name in the inbox.
    pub file: Arc<str>,
    /// The sheet, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    /// A1-style cell ("F22") or range ("C9:C24"); shared too, as most units
    /// keep their figures in the same cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Arc<str>>,
}

impl Location {
    /// A whole file.
    pub fn file(file: &str) -> Self {
        Location { file: file.into(), sheet: None, cell: None }
    }
    /// A sheet of a file.
    pub fn sheet(file: &str, sheet: &str) -> Self {
        Location { file: file.into(), sheet: Some(sheet.into()), cell: None }
    }
    /// A cell (or range) of a sheet.
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

/// One number taken from one unit's workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Figure id from the config, e.g. "dvc_thiet_yeu.rows[3].total" (shared by
    /// every unit's figure of that id).
    pub id: Arc<str>,
    /// The number, as read (text converted, formulas checked).
    pub value: f64,
    /// Where it was read.
    pub source: Location,
}

/// A date a unit's sheet says some of its figures are counted up to (cumulative
/// figures): "(Số liệu lũy kế tính đến ngày 07/5/2024)" in its title rows, or a
/// list's section heading "Chi trả … (tính đến ngày 07/5/2024)" over its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatedAsOf {
    /// The date, as "07/5/2024" in the JSON.
    #[serde(serialize_with = "super::date::serialize_short")]
    pub date: super::date::Date,
    /// The cell stating it.
    pub source: Location,
    /// The ids of the unit's figures it dates (shared with its [`Figure`]s).
    pub figures: Vec<Arc<str>>,
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
    /// Its workbook is recognised, of the period, but every figure cell is empty
    /// (a blank form sent back unfilled): not counted. JSON `"blank"`.
    Blank,
}

impl UnitStatus {
    /// The status in Vietnamese, as the summary and the appendix print it.
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Counted => "đã tổng hợp",
            UnitStatus::Missing => "chưa gửi báo cáo",
            UnitStatus::Conflict => "gửi trùng, số liệu khác nhau",
            UnitStatus::WrongPeriod => "báo cáo không đúng kỳ",
            UnitStatus::Unreadable => "không đọc được",
            UnitStatus::Blank => "chưa điền số liệu",
        }
    }
}

/// One expected unit and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    /// Its official name.
    pub name: String,
    /// The id of its group.
    pub group: String,
    /// What became of it this period.
    pub status: UnitStatus,
    /// Every workbook recognised as this unit's.
    pub files: Vec<String>,
    /// The figures counted (empty unless `status` is `Counted`).
    pub figures: Vec<Figure>,
    /// The as-of dates its sheets state for those figures (empty unless `status`
    /// is `Counted`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub as_of: Vec<StatedAsOf>,
}

/// A file of the inbox that is not counted as any unit's workbook.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// Its name in the inbox.
    pub file: String,
    /// Why it was not counted, in Vietnamese.
    pub reason: String,
}
