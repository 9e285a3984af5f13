//! What baocao itself writes into its outputs, in one place: the writers put it
//! there and the reader looks for it, so an appendix left in the inbox by an
//! earlier run is recognised and never counted as a unit's workbook.

/// The author (`dc:creator`) of every document baocao writes.
pub const AUTHOR: &str = "baocao";

/// The sheet of the appendix workbook that lists every finding.
pub const SHEET_CHECKS: &str = "Kiểm tra";

/// The sheet of the appendix workbook that says where every unit figure came from.
pub const SHEET_SOURCES: &str = "Nguồn";

/// Sheets every appendix workbook has: a workbook holding one of them may be an
/// appendix left in the inbox (the reader then checks its author).
pub const OWN_SHEETS: [&str; 2] = [SHEET_CHECKS, SHEET_SOURCES];

/// The `dc:creator` element of a package baocao wrote, as it appears in `docProps/core.xml`.
pub fn creator_element() -> String {
    format!("<dc:creator>{AUTHOR}</dc:creator>")
}
