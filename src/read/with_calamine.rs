//! Reading through calamine: .xls, .xlsb and .ods, and any .xlsx the single-pass
//! reader in `xlsx` does not expect. calamine's values become [`Value`]s by the
//! same rules as the single-pass reader's (see `cells`), and its errors the
//! user's [`ReadError`]s.

use super::cells::{decode_legacy, drop_covered_cells, is_cut, text_value};
use super::{Cell, Format, MAX_CELLS_PER_SHEET, Merge, ReadError, Sheet, Value, Workbook, xlsx};
use calamine::{Data, DataRef, Reader, Xls, Xlsb, Xlsx};
use std::io::Cursor;

/// An .xlsx through calamine's streaming reader (merged ranges and, when a legacy
/// font is named, styles in further passes over each sheet).
pub(super) fn read_xlsx_with_calamine(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let legacy_fonts = styles_name_legacy_fonts(bytes);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let names = wb.sheet_names();
    let hidden = hidden_sheets(wb.sheets_metadata());
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let hidden = hidden.contains(&name);
        let mut sheet = Sheet { name: crate::text::nfc(&name), hidden, ..Sheet::default() };
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| xlsx_error(&e))?;
        loop {
            let next = reader.next_cell_with_formula().map_err(|e| xlsx_error(&e))?;
            let Some(c) = next else { break };
            let value = from_ref(c.value);
            if is_cut(&value) {
                sheet.cut_cells.push(c.pos);
            }
            let formula = c.formula.filter(|f| !f.is_empty());
            if value == Value::Empty && formula.is_none() {
                sheet.far_blanks.note(c.pos);
                continue;
            }
            if sheet.cells.len() >= MAX_CELLS_PER_SHEET {
                sheet.truncated = true;
                break;
            }
            sheet.cells.insert(c.pos, Cell { value, formula });
        }
        drop(reader);
        sheet.merges = wb.merge_cells_by_sheet_name(&name).map(to_merges).unwrap_or_default();
        drop_covered_cells(&mut sheet);
        // Font names tell legacy text for sure; only worth a second pass when the
        // workbook's styles name such a font at all.
        let fonts = if legacy_fonts { wb.worksheet_style(&name).ok() } else { None };
        decode_legacy(&mut sheet, |r, c| {
            let style = fonts.as_ref()?.get((r, c))?;
            style.font.as_ref()?.name.clone()
        });
        sheets.push(sheet);
    }
    Ok(Workbook { format: Format::Xlsx, sheets })
}

/// Formats calamine parses whole at open (xls, xlsb, ods); bounded by [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
pub(super) fn read_other<R>(format: Format, bytes: Vec<u8>) -> Result<Workbook, ReadError>
where
    R: Reader<Cursor<Vec<u8>>> + MergesOf,
    R::Error: std::fmt::Display,
{
    let mut wb = R::new(Cursor::new(bytes)).map_err(|e| other_error(&e.to_string()))?;
    let mut sheets = Vec::new();
    let hidden = hidden_sheets(wb.sheets_metadata());
    for name in wb.sheet_names() {
        let hidden = hidden.contains(&name);
        let mut sheet = Sheet { name: crate::text::nfc(&name), hidden, ..Sheet::default() };
        let range = wb.worksheet_range(&name).map_err(|e| other_error(&e.to_string()))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let value = from_data(v);
            if is_cut(&value) {
                sheet.cut_cells.push((r0 + r as u32, c0 + c as u32));
            }
            if value == Value::Empty {
                sheet.far_blanks.note((r0 + r as u32, c0 + c as u32));
                continue;
            }
            if sheet.cells.len() >= MAX_CELLS_PER_SHEET {
                sheet.truncated = true;
                break;
            }
            sheet.cells.insert((r0 + r as u32, c0 + c as u32), Cell { value, formula: None });
        }
        if let Ok(formulas) = wb.worksheet_formula(&name) {
            let (f0, g0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                if f.is_empty() {
                    continue;
                }
                let pos = (f0 + r as u32, g0 + c as u32);
                let len = sheet.cells.len();
                match sheet.cells.get_mut(&pos) {
                    Some(cell) => cell.formula = Some(f.clone()),
                    None if len < MAX_CELLS_PER_SHEET => {
                        sheet.cells.insert(pos, Cell { value: Value::Empty, formula: Some(f.clone()) });
                    }
                    None => sheet.truncated = true,
                }
            }
        }
        sheet.merges = wb.merges(&name);
        drop_covered_cells(&mut sheet);
        decode_legacy(&mut sheet, |_, _| None);
        sheets.push(sheet);
    }
    Ok(Workbook { format, sheets })
}

/// The names of the sheets the workbook hides (calamine's hidden and very hidden).
fn hidden_sheets(meta: &[calamine::Sheet]) -> Vec<String> {
    meta.iter().filter(|s| s.visible != calamine::SheetVisible::Visible).map(|s| s.name.clone()).collect()
}

/// Whether xl/styles.xml names a legacy Vietnamese font (".VnTime", "VNI-Times", ...).
fn styles_name_legacy_fonts(bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
    let Ok(file) = zip.by_name("xl/styles.xml") else { return false };
    let mut xml = String::new();
    if file.take(4 * 1024 * 1024).read_to_string(&mut xml).is_err() {
        return false;
    }
    xlsx::names_legacy_font(&xml)
}

/// Merged ranges where the format has them.
pub(super) trait MergesOf {
    fn merges(&mut self, _sheet: &str) -> Vec<Merge> {
        Vec::new()
    }
}
impl MergesOf for Xls<Cursor<Vec<u8>>> {
    fn merges(&mut self, sheet: &str) -> Vec<Merge> {
        self.merge_cells_by_sheet_name(sheet).map(to_merges).unwrap_or_default()
    }
}
impl MergesOf for Xlsb<Cursor<Vec<u8>>> {}
impl MergesOf for calamine::Ods<Cursor<Vec<u8>>> {}

fn to_merges(dims: Vec<calamine::Dimensions>) -> Vec<Merge> {
    dims.into_iter().map(|d| Merge::spanning(d.start, d.end)).collect()
}

fn from_ref(v: DataRef<'_>) -> Value {
    match v {
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::String(s) => text_value(&s),
        DataRef::SharedString(s) => text_value(s),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_value(&s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn from_data(v: &Data) -> Value {
    match v {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => text_value(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => text_value(s),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    other_error(&e.to_string())
}

fn other_error(msg: &str) -> ReadError {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        ReadError::Unreadable("bảng tính có đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại".into())
    } else {
        ReadError::Unreadable(format!("tệp bảng tính bị hỏng, không đọc được ({msg})"))
    }
}
