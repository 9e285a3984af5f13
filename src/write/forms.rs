//! A blank collection workbook ([`crate::model::form::Form`]) as XLSX, through
//! rust_xlsxwriter: each sheet its title lines, a bordered header, the rows, the
//! totals as `SUM` and the ratios as `IF` formulas (stored with the result a blank
//! form has, so viewers that do not recalculate show it right).
//!
//! Every cell is locked but the input cells (white, unlocked, a whole number at
//! least 0, with a message in Vietnamese when selected), and each sheet is
//! protected without a password: a unit can fill the form but not move its
//! labels, which is what lets `check` read it back cell for cell. Pages are A4,
//! one page wide, the header repeated.

use crate::model::Month;
use crate::model::form::{ColumnKind, Form, FormRow, FormSheet, InputCell, TitleKind};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};

/// The form could not be built (a text too long for Excel, say).
#[derive(Debug, thiserror::Error)]
#[error("Không tạo được biểu mẫu {file}: {source}")]
pub struct FormWriteError {
    /// The form's file name.
    pub file: String,
    /// What rust_xlsxwriter said.
    #[source]
    pub source: XlsxError,
}

const FONT: &str = "Times New Roman";
const FONT_SIZE: f64 = 12.0;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;
/// Grey of the cells the unit does not type in.
const FIXED_FILL: u32 = 0xF2F2F2;
/// More columns than this print landscape.
const PORTRAIT_COLUMNS: usize = 5;

/// The XLSX bytes of `form`; the same form gives the same bytes.
pub fn form_bytes(form: &Form) -> Result<Vec<u8>, FormWriteError> {
    build(form).map_err(|source| FormWriteError { file: form.file_name.clone(), source })
}

fn build(form: &Form) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(form)?);
    let st = Styles::new();
    for sheet in &form.sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet, &st)?;
    }
    if let Some(first) = wb.worksheets_mut().first_mut() {
        first.set_active(true);
    }
    wb.save_to_buffer()
}

/// Fixed properties (the first day of the month as the creation date), so the
/// same form gives the same bytes.
fn properties(form: &Form) -> Result<DocProperties, XlsxError> {
    let Month { year, month } = form.month;
    let created = ExcelDateTime::from_ymd(year.max(1900) as u16, month as u8, 1)?;
    Ok(DocProperties::new()
        .set_title(format!("Biểu mẫu số liệu Đề án 06 tháng {}/{} – {}", month, year, form.unit))
        .set_author(crate::own::AUTHOR)
        .set_creation_datetime(&created))
}

/// The cell formats of a form.
struct Styles {
    unit: Format,
    title: Format,
    dated: Format,
    instructions: Format,
    unit_of_count: Format,
    header: Format,
    stt: Format,
    label: Format,
    label_input: Format,
    heading: Format,
    input: Format,
    total_label: Format,
    total: Format,
    ratio: Format,
    total_ratio: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        let boxed = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        let fixed = boxed.clone().set_background_color(Color::RGB(FIXED_FILL));
        Styles {
            unit: base.clone().set_bold(),
            title: base.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            dated: base.clone().set_italic().set_align(FormatAlign::Center),
            instructions: base.clone().set_italic().set_text_wrap().set_align(FormatAlign::VerticalCenter),
            unit_of_count: base.clone().set_italic().set_align(FormatAlign::Right),
            header: fixed.clone().set_bold().set_align(FormatAlign::Center),
            stt: fixed.clone().set_align(FormatAlign::Center),
            label: fixed.clone(),
            label_input: boxed.clone().set_unlocked().set_num_format("@"),
            heading: fixed.clone().set_bold(),
            input: boxed.clone().set_unlocked().set_num_format("[$-42A]#,##0"),
            total_label: fixed.clone().set_bold().set_align(FormatAlign::Center),
            total: fixed.clone().set_bold().set_num_format("[$-42A]#,##0"),
            ratio: fixed.clone().set_num_format("[$-42A]0.00%"),
            total_ratio: fixed.set_bold().set_num_format("[$-42A]0.00%"),
        }
    }
}

/// A1 name of column `c` (0-based).
fn col_name(c: usize) -> String {
    rust_xlsxwriter::utility::column_number_to_name(c as u16)
}

/// A1 reference of (row, col), both 0-based.
fn cell(row: u32, col: usize) -> String {
    format!("{}{}", col_name(col), row + 1)
}

fn write_sheet(ws: &mut Worksheet, sheet: &FormSheet, st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let last = sheet.columns.len().saturating_sub(1) as u16;
    for (c, col) in sheet.columns.iter().enumerate() {
        let width = match col.kind {
            ColumnKind::Stt => 6.0,
            ColumnKind::Label if sheet.columns.len() > PORTRAIT_COLUMNS => 36.0,
            ColumnKind::Label => 58.0,
            ColumnKind::Input => 16.0,
            ColumnKind::Ratio { .. } => 11.0,
        };
        ws.set_column_width(c as u16, width)?;
    }
    // Title lines, each across the sheet.
    let mut row: u32 = 0;
    for line in &sheet.titles {
        let (format, height) = match line.kind {
            TitleKind::Unit => (&st.unit, None),
            TitleKind::Title => (&st.title, Some(33.0)),
            TitleKind::Dated => (&st.dated, None),
            TitleKind::Instructions => (&st.instructions, Some(48.0)),
        };
        if last > 0 {
            ws.merge_range(row, 0, row, last, &line.text, format)?;
        } else {
            ws.write_string_with_format(row, 0, &line.text, format)?;
        }
        if let Some(h) = height {
            ws.set_row_height(row, h)?;
        }
        row += 1;
    }
    if let Some(text) = &sheet.unit_of_count {
        ws.write_string_with_format(row, last, text, &st.unit_of_count)?;
    }
    row += 1;
    // The header.
    let header_row = row;
    for (c, col) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, &col.header, &st.header)?;
    }
    ws.set_row_height(row, 48.0)?;
    ws.set_repeat_rows(header_row, header_row)?;
    row += 1;
    // Row index -> sheet row, for formulas and limits.
    let first_body = row;
    let at = |ri: usize| first_body + ri as u32;
    let mut block_start = first_body;
    let label_col = sheet.columns.iter().position(|c| c.kind == ColumnKind::Label).unwrap_or(0);
    for (ri, r) in sheet.rows.iter().enumerate() {
        let row = at(ri);
        match r {
            FormRow::Heading(text) => {
                for c in 0..label_col {
                    ws.write_blank(row, c as u16, &st.heading)?;
                }
                if (label_col as u16) < last {
                    ws.merge_range(row, label_col as u16, row, last, text, &st.heading)?;
                } else {
                    ws.write_string_with_format(row, label_col as u16, text, &st.heading)?;
                }
            }
            FormRow::Item(item) => {
                for (c, col) in sheet.columns.iter().enumerate() {
                    let c16 = c as u16;
                    match col.kind {
                        ColumnKind::Stt => {
                            ws.write_string_with_format(row, c16, &item.stt, &st.stt)?;
                        }
                        ColumnKind::Label => match &item.label {
                            Some(label) => {
                                ws.write_string_with_format(row, c16, label, &st.label)?;
                            }
                            None => {
                                ws.write_blank(row, c16, &st.label_input)?;
                                let dv = DataValidation::new()
                                    .allow_any_value()
                                    .set_input_title("Tên dòng")?
                                    .set_input_message(format!(
                                        "Ghi tên của dòng (\"{}\"), rồi điền số liệu các cột bên phải.",
                                        col.header
                                    ))?;
                                ws.add_data_validation(row, c16, row, c16, &dv)?;
                            }
                        },
                        ColumnKind::Input => {
                            ws.write_blank(row, c16, &st.input)?;
                            if let Some(input) = item.inputs.iter().find(|i| i.column == c) {
                                let dv = validation(input, row, c, &at)?;
                                ws.add_data_validation(row, c16, row, c16, &dv)?;
                            }
                        }
                        ColumnKind::Ratio { numerator, denominator } => {
                            ratio(ws, row, c, (numerator, denominator), &st.ratio)?;
                        }
                    }
                }
                // Rows a unit names itself grow with what it types.
                if item.label.is_some() {
                    let chars = item.label.as_deref().map_or(0, |l| l.chars().count());
                    let width = if sheet.columns.len() > PORTRAIT_COLUMNS { 36 } else { 58 };
                    let lines = chars.div_ceil(width).max(1);
                    ws.set_row_height(row, 16.0 * lines as f64 + 4.0)?;
                }
            }
            FormRow::Total(label) => {
                let (first, end) = (block_start, row.saturating_sub(1));
                for (c, col) in sheet.columns.iter().enumerate() {
                    let c16 = c as u16;
                    match col.kind {
                        ColumnKind::Stt => {
                            ws.write_blank(row, c16, &st.total_label)?;
                        }
                        ColumnKind::Label => {
                            ws.write_string_with_format(row, c16, label, &st.total_label)?;
                        }
                        ColumnKind::Input => {
                            let f = Formula::new(format!("SUM({}:{})", cell(first, c), cell(end.max(first), c)))
                                .set_result("0");
                            ws.write_formula_with_format(row, c16, f, &st.total)?;
                        }
                        ColumnKind::Ratio { numerator, denominator } => {
                            ratio(ws, row, c, (numerator, denominator), &st.total_ratio)?;
                        }
                    }
                }
                block_start = row + 1;
            }
        }
    }
    let end = at(sheet.rows.len()).saturating_sub(1);
    ws.set_print_area(0, 0, end.max(header_row), last)?;
    ws.set_paper_size(PAPER_A4);
    if sheet.columns.len() > PORTRAIT_COLUMNS {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.protect();
    Ok(())
}

/// `IF(N(denominator)=0,"-",numerator/denominator)` in (row, c), with a blank form's result ("-": no ratio).
fn ratio(ws: &mut Worksheet, row: u32, c: usize, (num, den): (usize, usize), format: &Format) -> Result<(), XlsxError> {
    let f = Formula::new(format!("IF(N({d})=0,\"-\",{n}/{d})", d = cell(row, den), n = cell(row, num))).set_result("-");
    ws.write_formula_with_format(row, c as u16, f, format)?;
    Ok(())
}

/// The validation of one input cell: a whole number at least 0, and at most each
/// cell of `at_most` that holds a number.
fn validation(input: &InputCell, row: u32, c: usize, at: &impl Fn(usize) -> u32) -> Result<DataValidation, XlsxError> {
    let dv = if input.at_most.is_empty() {
        DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
    } else {
        let me = cell(row, c);
        let limits: Vec<String> = input
            .at_most
            .iter()
            .map(|&(r, lc)| {
                let other = cell(at(r), lc);
                format!("OR({other}=\"\",{me}<={other})")
            })
            .collect();
        DataValidation::new()
            .allow_custom(Formula::new(format!("AND(ISNUMBER({me}),{me}>=0,{me}=INT({me}),{})", limits.join(","))))
    };
    dv.set_input_title(&input.title)?
        .set_input_message(&input.message)?
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message(&input.error)
}
