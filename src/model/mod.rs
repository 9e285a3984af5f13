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
    Column, Draft, FigureLine, Group, ListItem, ListReport, RatioColumn, Report, ReportPeriod, Source, SourceRef,
    TableReport, TableRow, Total, TotalRef, Totals, UnitFigureHead,
};
pub use unit::{Figure, Location, SkippedFile, UnitResult, UnitStatus};

/// A "Từ ngày ... đến ngày ..." period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: date::Date,
    /// Last day.
    pub to: date::Date,
}

impl Period {
    /// The period inside a sentence: "từ ngày 05/5/2024 đến ngày 05/6/2024".
    pub fn describe(&self) -> String {
        format!("từ ngày {} đến ngày {}", date::short(self.from), date::short(self.to))
    }
}
