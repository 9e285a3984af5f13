//! Last month's figures, as baocao wrote them into that month's appendix
//! workbook: what `read::previous` reads back for the month-over-month checks
//! (`engine::previous`), and what the report keeps of them for its writers.

use super::Month;
use std::collections::BTreeMap;

/// Last month's figures, read from the appendix baocao wrote for that month.
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    /// The file they were read from, as the user or `--out` names it (for messages).
    pub file: String,
    /// The month of that appendix.
    pub month: Month,
    /// Every consolidated figure that had a value, by figure id.
    pub totals: BTreeMap<String, f64>,
    /// Every counted unit's figures, by the unit's configured name, then by figure id.
    pub units: BTreeMap<String, BTreeMap<String, f64>>,
}

/// What the report keeps of last month for the writers: its consolidated figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousMonth {
    /// The appendix they were read from.
    pub file: String,
    /// Its month.
    pub month: Month,
    /// Every consolidated figure that had a value, by figure id.
    pub totals: BTreeMap<String, f64>,
    /// Whether the appendix tables print a "Tháng trước" column beside each figure
    /// column (`convert --no-previous-column` turns it off; the checks stay).
    pub column: bool,
}
