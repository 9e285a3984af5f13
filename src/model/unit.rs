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
    /// Its workbook was read, but figures it should give were not found (a
    /// column or a labelled row its sheet lacks, a cell that holds no number):
    /// the figures found are counted, and every consolidated figure that lacks
    /// one of the missing ones says so ([`super::Total::missing`]); the missing
    /// ones are listed in [`UnitResult::missing`]. "incomplete" in the JSON.
    Incomplete,
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
            UnitStatus::Incomplete => "thiếu số liệu",
        }
    }

    /// Whether the unit's figures (those found) are in the consolidation:
    /// counted, or counted with some missing.
    pub fn is_counted(self) -> bool {
        matches!(self, UnitStatus::Counted | UnitStatus::Incomplete)
    }
}

/// Why a figure a unit's workbook should give is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingWhy {
    /// The table's or list's header row was not found on its sheet.
    Header,
    /// The figure's column was not found.
    Column,
    /// The figure's labelled row (a table row, a list item) was not found.
    Row,
    /// Its cell holds something that is not a number (or not certainly one).
    Cell,
    /// Two copies of its sheet disagree, so neither is counted.
    Conflict,
    /// Its workbooks have no sheet of its table or list, which every unit of
    /// its group must report.
    Sheet,
}

/// A figure a unit's workbook should give (its sheet is there) and does not.
/// A row the unit left blank is not missing: it gives no figure, rightly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingFigure {
    /// Its figure id.
    pub id: Arc<str>,
    /// Its label, as the report names it ("DVC thiết yếu › 3. Đăng ký thường trú › Tổng số hồ sơ").
    pub label: String,
    /// Why it is missing.
    pub why: MissingWhy,
    /// What of its sheet could not be found or read, in Vietnamese: "cột “Tổng
    /// số hồ sơ”", "dòng “3. Đăng ký thường trú”", "ô E9".
    pub what: String,
    /// Where it should have been: the file and sheet (and the cell, when one was read).
    #[serde(flatten)]
    pub location: Location,
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
    /// The figures counted (empty unless `status` is counted,
    /// [`UnitStatus::is_counted`]).
    pub figures: Vec<Figure>,
    /// The figures its workbook should give and does not (empty unless
    /// `status` is `Incomplete`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingFigure>,
    /// The as-of dates its sheets state for those figures (empty unless `status`
    /// is `Counted`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub as_of: Vec<StatedAsOf>,
}

impl UnitResult {
    /// What the unit's workbook lacks, in Vietnamese, sheet by sheet, at most
    /// `most` things named: "DVC thiết yếu: cột “Tổng số hồ sơ”; Số hóa: dòng
    /// “Số hồ sơ, kết quả đã số hóa”". Empty when nothing is missing.
    pub fn missing_text(&self, most: usize) -> String {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for m in &self.missing {
            let sheet = m.location.sheet.as_deref().unwrap_or("");
            if !seen.contains(&(sheet, m.what.as_str())) {
                seen.push((sheet, m.what.as_str()));
            }
        }
        let more = seen.len().saturating_sub(most);
        let mut parts: Vec<String> = Vec::new();
        for (sheet, what) in seen.into_iter().take(most) {
            match parts.last_mut() {
                Some(last) if last.starts_with(&format!("{sheet}: ")) => {
                    last.push_str(", ");
                    last.push_str(what);
                }
                _ => parts.push(format!("{sheet}: {what}")),
            }
        }
        let mut text = parts.join("; ");
        if more > 0 {
            text.push_str(&format!(" và {more} chỗ khác"));
        }
        text
    }
}

/// A file of the inbox that is not counted as any unit's workbook.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// Its name in the inbox.
    pub file: String,
    /// Why it was not counted, in Vietnamese.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing(sheet: &str, what: &str) -> MissingFigure {
        let location = Location::sheet("a.xlsx", sheet);
        MissingFigure { id: "x".into(), label: String::new(), why: MissingWhy::Row, what: what.into(), location }
    }

    #[test]
    fn what_a_unit_lacks_is_said_sheet_by_sheet_each_thing_once() {
        let unit = UnitResult {
            name: "Phường Bảo An".into(),
            group: "phuong_xa".into(),
            status: UnitStatus::Incomplete,
            files: Vec::new(),
            figures: Vec::new(),
            missing: vec![
                missing("DVC thiết yếu", "dòng “3. Đăng ký thường trú”"),
                missing("DVC thiết yếu", "dòng “3. Đăng ký thường trú”"),
                missing("DVC thiết yếu", "cột “Tổng số hồ sơ”"),
                missing("Số hóa", "dòng “Số hồ sơ, kết quả đã số hóa”"),
                missing("Lao động", "ô C9"),
            ],
            as_of: Vec::new(),
        };
        assert_eq!(
            unit.missing_text(3),
            "DVC thiết yếu: dòng “3. Đăng ký thường trú”, cột “Tổng số hồ sơ”; Số hóa: dòng “Số hồ sơ, kết quả đã số hóa” và 1 chỗ khác"
        );
        assert!(UnitStatus::Incomplete.is_counted() && UnitStatus::Counted.is_counted());
        assert!(!UnitStatus::Conflict.is_counted());
        assert_eq!(UnitStatus::Incomplete.label(), "thiếu số liệu");
    }
}
