//! What baocao itself writes into its outputs, in one place: the writers put it
//! there and the reader looks for it, so an appendix left in the inbox by an
//! earlier run is recognised and never counted as a unit's workbook.

/// The author (`dc:creator`) of every document baocao writes.
pub const AUTHOR: &str = "baocao";

/// The sheet of the appendix workbook that lists every finding.
pub const SHEET_CHECKS: &str = "Kiểm tra";

/// The sheet of the appendix workbook that says where every unit figure came from.
pub const SHEET_SOURCES: &str = "Nguồn";

/// The hidden sheet of the appendix workbook that holds the month's figures, by
/// unit and figure id, for next month's comparison: written by
/// `write::xlsx::figures` (which documents its layout), read by `read::previous`.
pub const SHEET_FIGURES: &str = "Dữ liệu so sánh";

/// A1 of [`SHEET_FIGURES`]: what the sheet is.
pub const FIGURES_FORMAT: &str = "baocao-figures";

/// B1 of [`SHEET_FIGURES`]: the version of its layout. A reader refuses a later
/// one; a change that old readers would misread takes the next number.
pub const FIGURES_VERSION: u32 = 1;

/// Column A of [`SHEET_FIGURES`]: the row giving the month ("2024-07" in column B).
pub const FIGURES_MONTH: &str = "month";

/// Column A of [`SHEET_FIGURES`]: the header row; columns C on name the figure ids.
pub const FIGURES_HEADER: &str = "scope";

/// Column A of [`SHEET_FIGURES`]: the row of consolidated figures.
pub const FIGURES_TOTAL: &str = "total";

/// Column A of [`SHEET_FIGURES`]: a row of one unit's figures (its name in column B).
pub const FIGURES_UNIT: &str = "unit";

/// Sheets every appendix workbook has: a workbook holding one of them may be an
/// appendix left in the inbox (the reader then checks its author).
pub const OWN_SHEETS: [&str; 3] = [SHEET_CHECKS, SHEET_SOURCES, SHEET_FIGURES];

/// The `dc:creator` element of a package baocao wrote, as it appears in `docProps/core.xml`.
pub fn creator_element() -> String {
    format!("<dc:creator>{AUTHOR}</dc:creator>")
}
