//! Sheet "Chi tiết đơn vị": the appendix tables with one column block per counted
//! unit and a total block that sums the unit blocks.

use super::XResult;
use super::fit::{bold_lines_needed, fit_row, height_for, lines_needed, set_height};
use super::style::{
    A4_LONG_SIDE, LINE_HEIGHT, PAGE_MARGIN, STT_WIDTH, Styles, cell_text, format_row_span, height_scale, merge,
    number_text, page_setup, put_text,
};
use crate::model::{Report, TableReport, UnitResult};
use foldhash::{HashMap, HashMapExt};
use rust_xlsxwriter::{ColNum, Format, Formula, RowNum, Worksheet, column_number_to_name, row_col_to_cell};

/// Where a written table ended up.
struct Placed {
    /// The first free row after the table.
    next: RowNum,
    /// The first of its two header rows.
    header_row: RowNum,
    /// Its printed height, in points.
    height: f64,
}

const UNIT_COL_WIDTH: f64 = 12.0;
const BREAKDOWN_LABEL_WIDTH: f64 = 40.0;

/// Columns of one table on the breakdown sheet: STT, label, one block of figure
/// columns per unit, then the total block (figures and ratio).
struct Blocks<'a> {
    table: &'a TableReport,
    units: usize,
    /// The letters of each figure column of every block ("C", "D", ...), from column 2:
    /// the total formulas name thousands of cells, each column's letters are worked out once.
    letters: Vec<String>,
}

impl<'a> Blocks<'a> {
    fn new(table: &'a TableReport, units: usize) -> Self {
        let figure_cols = (units + 1) * table.columns.len();
        let letters = (0..figure_cols).map(|i| column_number_to_name(2 + i as ColNum)).collect();
        Blocks { table, units, letters }
    }

    fn per_unit(&self) -> usize {
        self.table.columns.len()
    }

    /// Column of figure `i` of unit `u`; `u == units` is the total block.
    fn col(&self, u: usize, i: usize) -> ColNum {
        2 + (u * self.per_unit() + i) as ColNum
    }

    fn ratio_col(&self) -> Option<ColNum> {
        self.table.ratio.as_ref().map(|_| self.col(self.units, self.per_unit()))
    }

    fn last_col(&self) -> ColNum {
        self.ratio_col().unwrap_or_else(|| self.col(self.units, self.per_unit()) - 1)
    }

    /// Column of figure `i` of the total block.
    fn total_col(&self, i: usize) -> ColNum {
        self.col(self.units, i)
    }

    /// The letters of figure `i` of block `u`.
    fn letters(&self, u: usize, i: usize) -> &str {
        &self.letters[u * self.per_unit() + i]
    }

    /// "C7,E7,G7,...": figure `i` of every unit block on `row`, as `SUM` arguments.
    fn unit_cells(&self, i: usize, row: RowNum) -> String {
        let row = (row + 1).to_string();
        let mut cells = String::with_capacity(self.units * (row.len() + 4));
        for u in 0..self.units {
            if u > 0 {
                cells.push(',');
            }
            cells.push_str(self.letters(u, i));
            cells.push_str(&row);
        }
        cells
    }

    /// The unit blocks' figure columns, first and last, when there is any.
    fn unit_span(&self) -> Option<(ColNum, ColNum)> {
        (self.units > 0 && self.per_unit() > 0).then(|| (self.col(0, 0), self.col(self.units, 0) - 1))
    }

    /// The figure columns of the unit blocks and of the total block, first and last.
    fn figure_span(&self) -> Option<(ColNum, ColNum)> {
        (self.per_unit() > 0).then(|| (self.col(0, 0), self.col(self.units, self.per_unit() - 1)))
    }
}

/// The unit figures of one breakdown table: each unit's value in each row and
/// column, when it has one. Looked up once for the sheet rather than by id in
/// every unit for every cell and again for the totals.
pub(super) struct TableFigures {
    rows: usize,
    cols: usize,
    values: Vec<Option<f64>>,
}

impl TableFigures {
    /// Unit `u`'s value in row `r` (index in the table's rows) and column `c`.
    fn get(&self, u: usize, r: usize, c: usize) -> Option<f64> {
        self.values[(u * self.rows + r) * self.cols + c]
    }
}

/// Each table's unit figures, from one pass over the units' figures; of an id a
/// unit has twice, the last.
pub(super) fn table_figures(report: &Report, tables: &[&TableReport], units: &[&UnitResult]) -> Vec<TableFigures> {
    // Where each figure id goes: (table, row, column).
    let mut places: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, at) in row.figures.cells.iter().enumerate() {
                places.entry(&report.total(*at).id).or_default().push((t, r, c));
            }
        }
    }
    let mut figures: Vec<TableFigures> = tables
        .iter()
        .map(|t| TableFigures {
            rows: t.rows.len(),
            cols: t.columns.len(),
            values: vec![None; units.len() * t.rows.len() * t.columns.len()],
        })
        .collect();
    for (u, unit) in units.iter().enumerate() {
        for f in &unit.figures {
            for &(t, r, c) in places.get(&*f.id).map_or(&[][..], Vec::as_slice) {
                let table = &mut figures[t];
                table.values[(u * table.rows + r) * table.cols + c] = Some(f.value);
            }
        }
    }
    figures
}

/// The tables the breakdown shows: the appendix tables with configured rows.
fn shown_tables(report: &Report) -> Vec<&TableReport> {
    report.appendix_tables().filter(|t| !t.rows.is_empty()).collect()
}

/// Where the breakdown puts each of `tables`' rows: for each table, the sheet
/// row of each of its configured rows, then of its "Tổng" row. Each table has a
/// title, a period and two header rows, a row per group heading and per
/// configured row, the "Tổng" row, then two blank rows before the next.
fn table_rows(tables: &[&TableReport]) -> Vec<(Vec<RowNum>, RowNum)> {
    let mut row = 0;
    let mut out = Vec::with_capacity(tables.len());
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            row += 2;
        }
        row += 4;
        let mut rows = Vec::with_capacity(t.rows.len());
        for r in &t.rows {
            if r.heading.is_some() {
                row += 1;
            }
            rows.push(row);
            row += 1;
        }
        out.push((rows, row));
        row += 1;
    }
    out
}

/// Where the appendix finds each of its figures on the breakdown sheets: the
/// cells of their total blocks, which sum the units' cells. Built once for the
/// workbook, from the same layout the breakdown sheets are written with.
pub(super) struct BreakdownLinks {
    /// Each breakdown sheet: its name and how many units it shows.
    sheets: Vec<(String, usize)>,
    /// By table id: the sheet row of each configured row, and per row and
    /// column what the formulas over the unit cells give (None: no unit cell).
    tables: HashMap<String, LinkedTable>,
}

/// One table of [`BreakdownLinks`]: the sheet row of each configured row, and
/// per row and column what the formulas over the unit cells give.
struct LinkedTable {
    rows: Vec<RowNum>,
    sums: Vec<Vec<Option<f64>>>,
}

impl BreakdownLinks {
    /// The links for `report`'s breakdown sheets, each `(name, units)`, which
    /// show `units` in order.
    pub(super) fn new(report: &Report, units: &[&UnitResult], sheets: Vec<(String, usize)>) -> Self {
        let tables = shown_tables(report);
        let places = table_rows(&tables);
        let mut sums: Vec<Vec<Vec<Option<f64>>>> =
            tables.iter().map(|t| vec![vec![None; t.columns.len()]; t.rows.len()]).collect();
        let mut first = 0;
        for (_, count) in &sheets {
            let chunk = &units[first..(first + count).min(units.len())];
            first += count;
            // Each sheet's total block, then the sum over the sheets, as the formulas add them.
            for ((t, figures), sums) in tables.iter().zip(table_figures(report, &tables, chunk)).zip(&mut sums) {
                for (r, row) in sums.iter_mut().enumerate() {
                    for (c, cell) in row.iter_mut().enumerate().take(t.columns.len()) {
                        let values: Vec<f64> = (0..chunk.len()).filter_map(|u| figures.get(u, r, c)).collect();
                        if !values.is_empty() {
                            *cell = Some(cell.unwrap_or(0.0) + values.iter().sum::<f64>());
                        }
                    }
                }
            }
        }
        let tables = tables
            .iter()
            .zip(places)
            .zip(sums)
            .map(|((t, (rows, _)), sums)| (t.id.clone(), LinkedTable { rows, sums }))
            .collect();
        BreakdownLinks { sheets, tables }
    }

    /// The formula giving column `i` of row `r` (its index in the table's rows)
    /// of `table` from the breakdown's total blocks, cached with `value`: only
    /// when the breakdown's unit cells add up to exactly `value`, so that a
    /// recalculation never changes a figure. None otherwise (the appendix then
    /// writes the figure as a number).
    pub(super) fn formula(&self, table: &TableReport, r: usize, i: usize, value: f64) -> Option<Formula> {
        let LinkedTable { rows, sums } = self.tables.get(&table.id)?;
        if sums.get(r)?.get(i).copied().flatten() != Some(value) {
            return None;
        }
        let row = *rows.get(r)?;
        let cells: Vec<String> = self
            .sheets
            .iter()
            .filter(|(_, units)| *units > 0)
            .map(|(name, units)| {
                // Blocks::col of the total block, without working out every block's letters.
                let col = 2 + (units * table.columns.len() + i) as ColNum;
                format!("'{}'!{}", name.replace('\'', "''"), row_col_to_cell(row, col))
            })
            .collect();
        if cells.is_empty() {
            return None;
        }
        Some(Formula::new(format!("={}", cells.join("+"))).set_result(number_text(value)))
    }
}

/// Each appendix table with one column block per counted unit.
pub(super) fn sheet(
    ws: &mut Worksheet,
    report: &Report,
    units: &[&UnitResult],
    (name, total_label): (&str, &str),
    st: &Styles,
) -> XResult<()> {
    ws.set_name(name)?;
    page_setup(ws, false);
    ws.set_repeat_columns(0, 1)?;
    ws.set_column_width(0, STT_WIDTH)?;
    ws.set_column_width(1, BREAKDOWN_LABEL_WIDTH)?;
    let tables = shown_tables(report);
    let planned = table_rows(&tables);
    let figures = table_figures(report, &tables, units);
    let mut row = 0;
    let mut widest = 1;
    let mut breaks = Vec::new();
    let mut tallest: f64 = 0.0;
    for (i, (table, figures)) in tables.iter().zip(&figures).enumerate() {
        let b = Blocks::new(table, units.len());
        if i > 0 {
            // Each table starts a printed page of its own.
            row += 2;
            breaks.push(row);
        }
        let placed = breakdown_table(ws, report, &b, (units, total_label), figures, row, st)?;
        // The appendix's formulas point at the rows the plan gives.
        debug_assert_eq!(placed.next - 1, planned[i].1, "the breakdown's layout and its plan agree");
        if i == 0 {
            ws.set_freeze_panes(placed.header_row + 2, 2)?;
            // Repeated header rows would stack over the next table's own header.
            if tables.len() == 1 {
                ws.set_repeat_rows(placed.header_row, placed.header_row + 1)?;
            }
        }
        let gap = if i + 1 < tables.len() { 2.0 * LINE_HEIGHT } else { 0.0 };
        tallest = tallest.max(placed.height + gap);
        row = placed.next;
        widest = widest.max(b.last_col());
    }
    // The unit blocks run across as many pages as they need; each table is
    // scaled (down to 60 %) to be one page tall.
    ws.set_page_breaks(&breaks)?;
    let scale = height_scale(tallest);
    ws.set_print_scale(scale);
    // Each unit's columns on one printed page: a manual break before the block
    // that would not fit. Laid out for the first table (the tables of the
    // config have as many columns per unit).
    if let Some(first) = tables.first() {
        let columns = unit_page_breaks(&Blocks::new(first, units.len()), scale);
        if columns.len() <= MAX_PAGE_BREAKS {
            ws.set_vertical_page_breaks(&columns)?;
        }
    }
    for col in 2..=widest {
        ws.set_column_width(col, UNIT_COL_WIDTH)?;
    }
    Ok(())
}

/// Most manual page breaks Excel keeps in a sheet.
const MAX_PAGE_BREAKS: usize = 1023;

/// Width in pixels (at 96 dpi, 100 %) of a column `width` characters wide:
/// 8 px a digit of the workbook's 12 pt Times New Roman, and 5 px of padding.
fn column_pixels(width: f64) -> f64 {
    (width * 8.0 + 5.0).trunc()
}

/// The columns each printed page starts with after the first, so that no unit
/// block (nor the total block) is cut across two pages: each page holds the
/// repeated STT and label columns and as many whole blocks as fit at `scale` %.
fn unit_page_breaks(b: &Blocks, scale: u16) -> Vec<u32> {
    // A4 landscape's long side less the side margins, in pixels at 96 dpi,
    // as much as fits at the print scale; a little kept for rounding.
    let page = (A4_LONG_SIDE - 2.0 * PAGE_MARGIN) * 96.0 * 100.0 / f64::from(scale.max(1)) * 0.97;
    let labels = column_pixels(STT_WIDTH) + column_pixels(BREAKDOWN_LABEL_WIDTH);
    let room = page - labels;
    let unit_block = b.per_unit() as f64 * column_pixels(UNIT_COL_WIDTH);
    let total_block = (b.last_col() + 1 - b.col(b.units, 0)) as f64 * column_pixels(UNIT_COL_WIDTH);
    let mut breaks = Vec::new();
    let mut used = 0.0;
    for u in 0..=b.units {
        let width = if u == b.units { total_block } else { unit_block };
        if used > 0.0 && used + width > room {
            breaks.push(u32::from(b.col(u, 0)));
            used = 0.0;
        }
        used += width;
    }
    breaks
}

/// One table of the breakdown from `row`.
fn breakdown_table(
    ws: &mut Worksheet,
    report: &Report,
    b: &Blocks,
    (units, total_label): (&[&UnitResult], &str),
    figures: &TableFigures,
    mut row: RowNum,
    st: &Styles,
) -> XResult<Placed> {
    let t = b.table;
    // Title and period over the STT and label columns, which repeat on every printed page.
    let width = STT_WIDTH + BREAKDOWN_LABEL_WIDTH;
    merge(ws, (row, 0), (row, 1), &t.title, &st.block_title)?;
    let mut height = set_height(ws, row, height_for(bold_lines_needed(&t.title, width)))?;
    row += 1;
    merge(ws, (row, 0), (row, 1), &report.period.text, &st.caption)?;
    height += set_height(ws, row, height_for(lines_needed(&report.period.text, width)))?;
    row += 1;
    let header_row = row;
    let header_height;
    (row, header_height) = breakdown_header(ws, b, (units, total_label), row, st)?;
    height += header_height;
    let mut first_data = None;
    for (index, r) in t.rows.iter().enumerate() {
        if let Some(heading) = &r.heading {
            merge(ws, (row, 0), (row, b.last_col()), heading, &st.heading)?;
            height += set_height(ws, row, LINE_HEIGHT)?;
            row += 1;
        }
        first_data.get_or_insert(row);
        ws.write_number_with_format(row, 0, r.stt, &st.center)?;
        put_text(ws, row, 1, &r.label, &st.text)?;
        height += fit_row(ws, row, &[(&r.label, BREAKDOWN_LABEL_WIDTH)])?;
        breakdown_values(ws, b, figures, index, row, st)?;
        row += 1;
    }
    breakdown_total(ws, b, figures, (first_data.unwrap_or(row), row - 1), row, st)?;
    height += set_height(ws, row, height_for(1) + 2.0)?;
    Ok(Placed { next: row + 1, header_row, height })
}

/// Header: STT and label over two rows, each unit's name merged over its block;
/// returns the next row and the header's height in points.
fn breakdown_header(
    ws: &mut Worksheet,
    b: &Blocks,
    (units, total_label): (&[&UnitResult], &str),
    row: RowNum,
    st: &Styles,
) -> XResult<(RowNum, f64)> {
    let t = b.table;
    let below = row + 1;
    merge(ws, (row, 0), (below, 0), &t.stt_header, &st.header)?;
    merge(ws, (row, 1), (below, 1), &t.label_header, &st.header)?;
    let block_width = b.per_unit() as f64 * UNIT_COL_WIDTH;
    let mut lines_top = 1;
    // Every block has the same column headers.
    let lines_below = t.columns.iter().map(|c| bold_lines_needed(&c.header, UNIT_COL_WIDTH)).fold(1, usize::max);
    let names = units.iter().map(|u| u.name.as_str()).chain([total_label]);
    for (u, name) in names.enumerate() {
        let last = if u == b.units { b.last_col() } else { b.col(u, b.per_unit() - 1) };
        merge(ws, (row, b.col(u, 0)), (row, last), name, &st.header)?;
        lines_top = lines_top.max(bold_lines_needed(name, block_width));
        for (i, c) in t.columns.iter().enumerate() {
            ws.write_string(below, b.col(u, i), cell_text(&c.header))?;
        }
    }
    format_row_span(ws, below, b.figure_span(), &st.header)?;
    if let (Some(ratio), Some(col)) = (&t.ratio, b.ratio_col()) {
        put_text(ws, below, col, &ratio.header, &st.header)?;
    }
    let height = set_height(ws, row, height_for(lines_top))? + set_height(ws, below, height_for(lines_below))?;
    Ok((below + 1, height))
}

/// One row's unit figures (row `index` of the table), and the total block summing them.
fn breakdown_values(
    ws: &mut Worksheet,
    b: &Blocks,
    figures: &TableFigures,
    index: usize,
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = b.table;
    let mut sums = Vec::with_capacity(t.columns.len());
    for i in 0..t.columns.len() {
        let mut sum = 0.0;
        for u in 0..b.units {
            if let Some(value) = figures.get(u, index, i) {
                sum += value;
                ws.write_number(row, b.col(u, i), value)?;
            }
        }
        sums.push(sum);
        write_sum(ws, row, b.col(b.units, i), &b.unit_cells(i, row), sum)?;
    }
    // The unit figures, bordered blanks where a unit has none, then the total block.
    format_row_span(ws, row, b.unit_span(), &st.count)?;
    format_row_span(ws, row, b.figure_span().map(|(_, last)| (b.col(b.units, 0), last)), &st.total_count)?;
    breakdown_ratio(ws, b, &sums, row, &st.total_ratio)
}

/// `=SUM(args)` with its result; a plain 0 when there is nothing to add. Unformatted:
/// the caller formats the row's span at once ([`format_row_span`]).
fn write_sum(ws: &mut Worksheet, row: RowNum, col: ColNum, args: &str, sum: f64) -> XResult<()> {
    if args.is_empty() {
        ws.write_number(row, col, 0.0)?;
    } else {
        let formula = Formula::new(format!("=SUM({args})")).set_result(number_text(sum));
        ws.write_formula(row, col, formula)?;
    }
    Ok(())
}

/// The total block's ratio, from the block's own sums.
fn breakdown_ratio(ws: &mut Worksheet, b: &Blocks, sums: &[f64], row: RowNum, fmt: &Format) -> XResult<()> {
    let (Some(ratio), Some(col)) = (&b.table.ratio, b.ratio_col()) else {
        return Ok(());
    };
    let (num, den) = (sums[ratio.numerator], sums[ratio.denominator]);
    let n = row_col_to_cell(row, b.total_col(ratio.numerator));
    let d = row_col_to_cell(row, b.total_col(ratio.denominator));
    // At full precision, as a recalculation gives it.
    let result = if den == 0.0 { "-".to_string() } else { number_text(num / den) };
    let formula = Formula::new(format!("=IF({d}=0,\"-\",{n}/{d})")).set_result(result);
    ws.write_formula_with_format(row, col, formula, fmt)?;
    Ok(())
}

/// The "Tổng" row of the breakdown: every column summed down.
fn breakdown_total(
    ws: &mut Worksheet,
    b: &Blocks,
    figures: &TableFigures,
    (first, last): (RowNum, RowNum),
    row: RowNum,
    st: &Styles,
) -> XResult<()> {
    let t = b.table;
    merge(ws, (row, 0), (row, 1), "Tổng", &st.total_label)?;
    let mut sums = Vec::with_capacity(t.columns.len());
    for i in 0..t.columns.len() {
        let unit_sum = |u: usize| -> f64 { (0..t.rows.len()).filter_map(|r| figures.get(u, r, i)).sum() };
        let mut all = 0.0;
        for u in 0..=b.units {
            let col = b.col(u, i);
            let sum = if u < b.units { unit_sum(u) } else { (0..b.units).map(unit_sum).sum() };
            if u == b.units {
                all = sum;
            }
            let letters = b.letters(u, i);
            let range = format!("{letters}{}:{letters}{}", first + 1, last + 1);
            write_sum(ws, row, col, &range, sum)?;
        }
        sums.push(all);
    }
    format_row_span(ws, row, b.figure_span(), &st.total_count)?;
    breakdown_ratio(ws, b, &sums, row, &st.total_ratio)
}
