//! A blank collection workbook for one unit, as plain data: what `baocao forms`
//! hands out, built from the config by `engine::forms` and turned into XLSX by
//! `write::forms` (which never sees the config).
//!
//! A form is a list of sheets; a sheet is its title lines, a header of columns
//! and rows. Positions are indices into the sheet's `columns` and `rows`, never
//! cells: where they land is the writer's business.

use super::Month;

/// One unit's blank workbook for one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The unit's official name, as its title rows print it.
    pub unit: String,
    /// The month it is for.
    pub month: Month,
    /// The file's name: "Phường Bảo An - DA06 - 2024-08.xlsx".
    pub file_name: String,
    /// Its sheets, in config order.
    pub sheets: Vec<FormSheet>,
}

/// One sheet of a form: a configured table or list.
#[derive(Debug, Clone, PartialEq)]
pub struct FormSheet {
    /// The sheet's name (the config's usual name).
    pub name: String,
    /// The lines above the header, in order: the unit, the title, the period,
    /// the date cumulative figures are counted up to, the instructions.
    pub titles: Vec<TitleLine>,
    /// Printed right-aligned just above the header ("Đơn vị tính: hồ sơ").
    pub unit_of_count: Option<String>,
    /// The header's columns, left to right.
    pub columns: Vec<FormColumn>,
    /// The rows below the header, top to bottom.
    pub rows: Vec<FormRow>,
}

/// A line above a sheet's header.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleLine {
    /// Its text.
    pub text: String,
    /// How it is set.
    pub kind: TitleKind,
}

/// How a title line is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    /// The unit's name, bold, left.
    Unit,
    /// The sheet's title, bold, centred.
    Title,
    /// The period or an as-of date, italic, centred.
    Dated,
    /// What to do, italic, left.
    Instructions,
}

/// A column of a sheet's header.
#[derive(Debug, Clone, PartialEq)]
pub struct FormColumn {
    /// Its header text.
    pub header: String,
    /// What its cells hold.
    pub kind: ColumnKind,
}

/// What the cells of a column hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The row's number.
    Stt,
    /// The row's label.
    Label,
    /// Figures the unit types (whole numbers, at least 0).
    Input,
    /// A percentage worked out by formula, row by row: numerator column over
    /// denominator column (indices into `columns`).
    Ratio {
        /// The numerator's column.
        numerator: usize,
        /// The denominator's column.
        denominator: usize,
    },
}

/// A row below a sheet's header.
#[derive(Debug, Clone, PartialEq)]
pub enum FormRow {
    /// A heading over the rows below it, in the label column and across the columns after it.
    Heading(String),
    /// A row the unit fills.
    Item(FormItem),
    /// A row of totals: each input column summed over the item rows since the
    /// header (or the last total), each ratio worked out on the sums.
    Total(String),
}

/// A row the unit fills.
#[derive(Debug, Clone, PartialEq)]
pub struct FormItem {
    /// Its number ("1"); empty for a row the unit names itself.
    pub stt: String,
    /// Its label; `None`: the unit types it (a row of a table without fixed rows).
    pub label: Option<String>,
    /// Its input cells, one per `Input` column, left to right.
    pub inputs: Vec<InputCell>,
}

/// A cell the unit types a figure into.
#[derive(Debug, Clone, PartialEq)]
pub struct InputCell {
    /// Its column (an index into `columns`).
    pub column: usize,
    /// Other input cells of the sheet, as (row, column) indices, that its figure
    /// must not exceed (a config check: online at most the total).
    pub at_most: Vec<(usize, usize)>,
    /// The title of the message shown when the cell is selected (at most 32 characters).
    pub title: String,
    /// The message shown when the cell is selected (at most 255 characters).
    pub message: String,
    /// The message shown when what is typed is refused.
    pub error: String,
}
