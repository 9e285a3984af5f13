//! The plain data model every part of baocao shares.
//!
//! Readers and the extractor produce unit figures with their provenance
//! ([`Figure`], [`Location`]) and [`Finding`]s; the engine turns them into one
//! [`Report`]: the period, every unit with its status, every table and list
//! resolved with its consolidated figures, and the findings. The writers
//! (terminal, JSON, XLSX, DOCX) read only the report and the [`Document`]'s
//! standing parts, never the config.

pub mod date;
mod document;
mod finding;
pub mod id;
mod report;
mod unit;

pub use document::Document;
pub use finding::{CellNote, Finding, FindingKind, Severity};
pub use report::{
    Column, FigureLine, Group, ListItem, ListReport, RatioColumn, Report, ReportPeriod, Source, SourceRef, TableReport,
    TableRow, Total, TotalRef, Totals, UnitFigureHead,
};
pub use unit::{Figure, Location, SkippedFile, UnitResult, UnitStatus};

/// A "Từ ngày ... đến ngày ..." period, as (day, month, year) pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: (u32, u32, u32),
    /// Last day.
    pub to: (u32, u32, u32),
}

impl Period {
    /// The period inside a sentence: "từ ngày 05/5/2024 đến ngày 05/6/2024".
    pub fn describe(&self) -> String {
        let d = |(d, m, y): (u32, u32, u32)| format!("{d:02}/{m}/{y}");
        format!("từ ngày {} đến ngày {}", d(self.from), d(self.to))
    }
}
