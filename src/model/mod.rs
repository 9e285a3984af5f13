//! The plain data model every part of baocao shares.
//!
//! Readers and the extractor produce unit figures with their provenance
//! ([`Figure`], [`Location`]) and [`Finding`]s; the engine turns them into one
//! [`Report`]: the period, every unit with its status, every table and list
//! resolved with its consolidated figures, and the findings. The writers
//! (terminal, JSON, XLSX, DOCX) read only the report and the [`Document`]'s
//! standing parts, never the config.
//!
//! [`form`] is the other way round: the blank workbook of one unit, as the
//! engine builds it from the config and `write::forms` prints it.

pub mod date;
mod document;
mod finding;
pub mod form;
pub mod id;
mod period;
mod previous;
mod report;
mod unit;

pub use document::Document;
pub use finding::{CellNote, Finding, FindingKind, Severity};
pub use period::{Month, Period, PeriodBasis, PeriodRule};
pub use previous::{Previous, PreviousMonth};
pub use report::{
    AsOf, AsOfSource, Column, Draft, FigureLine, Group, ListItem, ListReport, RatioColumn, Report, ReportPeriod,
    Source, SourceRef, TableReport, TableRow, Total, TotalRef, Totals, UnitFigureHead,
};
pub use unit::{Figure, Location, SkippedFile, StatedAsOf, UnitResult, UnitStatus};
