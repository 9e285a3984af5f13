//! Last month's appendix, read back: the figures baocao wrote into its hidden
//! sheet "Dữ liệu so sánh" (laid out as `write::xlsx::figures` documents), per
//! unit and per figure id, for the month-over-month checks. Nothing else of the
//! appendix is read, so its human layout may change freely.
//!
//! The file is sniffed and bounded like any workbook (size, zip bomb), then read
//! with calamine; a file that is not an appendix baocao wrote with that sheet is
//! refused with the reason, in Vietnamese.

use super::{Format, MAX_FILE_BYTES, ReadError, sniff};
use crate::model::{Month, Previous};
use crate::own::{
    FIGURES_FORMAT, FIGURES_HEADER, FIGURES_MONTH, FIGURES_TOTAL, FIGURES_UNIT, FIGURES_VERSION, OWN_SHEETS,
    SHEET_FIGURES,
};
use calamine::{Data, Range, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

/// Last month's figures from the appendix at `path`.
pub fn read(path: &Path) -> Result<Previous, ReadError> {
    let unreadable =
        |what: &str, e: &std::io::Error| ReadError::Unreadable(format!("{what}: {}", crate::io_error_vi(e)));
    let meta = std::fs::metadata(path).map_err(|e| unreadable("không mở được tệp", &e))?;
    if meta.is_dir() {
        return Err(ReadError::NotAWorkbook("là thư mục, không phải tệp phụ lục".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::Unreadable(format!("tệp quá lớn (giới hạn {} MB)", MAX_FILE_BYTES / (1024 * 1024))));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable("không đọc được tệp", &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    from_bytes(&path.display().to_string(), &name, bytes)
}

/// [`read`] from the file's bytes; `file` names it in the result, `name` is its file name.
pub fn from_bytes(file: &str, name: &str, bytes: Vec<u8>) -> Result<Previous, ReadError> {
    if sniff(name, &bytes)? != Format::Xlsx {
        return Err(not_ours("không phải tệp .xlsx"));
    }
    // calamine on a damaged package: its panic is this file's error, not the run's end.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || parse(file, bytes)))
        .unwrap_or_else(|_| Err(ReadError::Unreadable("tệp hỏng: thư viện đọc bảng tính gặp lỗi nội bộ".into())))
}

/// "not an appendix baocao wrote", with why.
fn not_ours(why: &str) -> ReadError {
    ReadError::NotAWorkbook(format!("không phải phụ lục XLSX do baocao ghi ({why})"))
}

fn parse(file: &str, bytes: Vec<u8>) -> Result<Previous, ReadError> {
    let broken = |e: &dyn std::fmt::Display| ReadError::Unreadable(format!("tệp .xlsx bị hỏng ({e})"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let names: Vec<String> = book.sheet_names().iter().map(|n| crate::text::nfc(n)).collect();
    let Some(at) = names.iter().position(|n| n == SHEET_FIGURES) else {
        if names.iter().any(|n| OWN_SHEETS.contains(&n.as_str())) {
            return Err(ReadError::NotAWorkbook(format!(
                "là phụ lục do phiên bản baocao cũ ghi, chưa có trang \"{SHEET_FIGURES}\" chứa số liệu để so sánh"
            )));
        }
        return Err(not_ours(&format!("không có trang \"{SHEET_FIGURES}\"")));
    };
    let sheet = book.sheet_names()[at].clone();
    let range = book.worksheet_range(&sheet).map_err(|e| broken(&e))?;
    figures(file, &range)
}

/// The text of a cell ("" when empty or not text).
fn text(range: &Range<Data>, row: u32, col: u32) -> &str {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.trim(),
        _ => "",
    }
}

/// A figure cell: None when empty, a number, or an error naming the cell.
fn number(range: &Range<Data>, row: u32, col: u32) -> Result<Option<f64>, ReadError> {
    match range.get_value((row, col)) {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::Float(v)) => Ok(Some(*v)),
        Some(Data::Int(v)) => Ok(Some(*v as f64)),
        Some(Data::String(s)) if s.trim().is_empty() => Ok(None),
        Some(other) => Err(ReadError::Unreadable(format!(
            "trang \"{SHEET_FIGURES}\", ô {}: \"{other}\" không phải số (trang này đã bị sửa?)",
            crate::text::col_name(col) + &(row + 1).to_string()
        ))),
    }
}

/// The sheet's figures: marker and version in A1:B1, then rows found by column A.
fn figures(file: &str, range: &Range<Data>) -> Result<Previous, ReadError> {
    let sheet_says = |what: String| ReadError::Unreadable(format!("trang \"{SHEET_FIGURES}\" {what}"));
    if text(range, 0, 0) != FIGURES_FORMAT {
        return Err(not_ours(&format!("ô A1 của trang \"{SHEET_FIGURES}\" không ghi \"{FIGURES_FORMAT}\"")));
    }
    match number(range, 0, 1) {
        Ok(Some(v)) if v == f64::from(FIGURES_VERSION) => {}
        Ok(Some(v)) if v > f64::from(FIGURES_VERSION) => {
            return Err(sheet_says(format!(
                "do phiên bản baocao mới hơn ghi (dạng {v}); hãy cập nhật baocao rồi chạy lại"
            )));
        }
        _ => return Err(sheet_says("ghi dạng không rõ ở ô B1".into())),
    }
    let end = range.end().map_or(0, |(r, _)| r);
    let width = range.end().map_or(0, |(_, c)| c);
    let mut month = None;
    let mut ids: Vec<(u32, String)> = Vec::new();
    let mut totals = BTreeMap::new();
    let mut units: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for row in 0..=end {
        match text(range, row, 0) {
            FIGURES_MONTH => month = Month::parse(text(range, row, 1)),
            FIGURES_HEADER => {
                ids = (2..=width)
                    .map(|c| (c, text(range, row, c).to_string()))
                    .filter(|(_, id)| !id.is_empty())
                    .collect();
            }
            key @ (FIGURES_TOTAL | FIGURES_UNIT) => {
                if ids.is_empty() {
                    return Err(sheet_says(format!("thiếu dòng tiêu đề \"{FIGURES_HEADER}\" trước dòng {}", row + 1)));
                }
                let mut values = BTreeMap::new();
                for (col, id) in &ids {
                    if let Some(v) = number(range, row, *col)? {
                        values.insert(id.clone(), v);
                    }
                }
                if key == FIGURES_TOTAL {
                    totals = values;
                } else {
                    let name = text(range, row, 1);
                    if name.is_empty() {
                        return Err(sheet_says(format!("dòng {} không ghi tên đơn vị", row + 1)));
                    }
                    units.insert(crate::text::nfc(name), values);
                }
            }
            _ => {}
        }
    }
    let month = month.ok_or_else(|| sheet_says(format!("không ghi tháng (dòng \"{FIGURES_MONTH}\")")))?;
    Ok(Previous { file: file.to_string(), month, totals, units })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Location, UnitResult, UnitStatus};

    fn sample_report() -> crate::model::Report {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml");
        let cfg = crate::config::Config::load(&path).unwrap();
        let unit = |name: &str, figures: &[(&str, f64)]| UnitResult {
            name: name.into(),
            group: "phuong_xa".into(),
            status: UnitStatus::Counted,
            files: vec![format!("{name}.xlsx")],
            missing: Vec::new(),
            figures: figures
                .iter()
                .map(|(id, v)| Figure { id: (*id).into(), value: *v, source: Location::file(&format!("{name}.xlsx")) })
                .collect(),
            as_of: Vec::new(),
        };
        let mut missing = unit("Phường Đài Sơn", &[("vneid.tin_bao", 3.0)]);
        missing.status = UnitStatus::Missing;
        let units = vec![
            unit("Phường Bảo An", &[("csdlqg.hoi_nong_dan", 120.0), ("dvc_thiet_yeu.rows[3].total", 0.1 + 0.2)]),
            missing,
            // The same id twice (two lists naming it): the sum, as the consolidation adds both.
            unit(
                "Công an thành phố",
                &[("csdlqg.hoi_nong_dan", 1994.0), ("vneid.tin_bao", 4.0), ("vneid.tin_bao", 17.0)],
            ),
        ];
        crate::engine::report_of(&cfg, Month::new(2024, 7).unwrap(), units, Vec::new(), Vec::new())
    }

    #[test]
    fn what_the_appendix_writes_is_read_back_exactly() {
        let report = sample_report();
        let bytes = crate::write::xlsx::xlsx_bytes(&report, &crate::model::Document::default()).unwrap();
        let back = from_bytes("phu-luc-2024-07.xlsx", "phu-luc-2024-07.xlsx", bytes).unwrap();
        assert_eq!(back.file, "phu-luc-2024-07.xlsx");
        assert_eq!(back.month, Month::new(2024, 7).unwrap());
        let names: Vec<&str> = back.units.keys().map(String::as_str).collect();
        assert_eq!(names, ["Công an thành phố", "Phường Bảo An"], "counted units only");
        let bao_an = &back.units["Phường Bảo An"];
        assert_eq!(bao_an["csdlqg.hoi_nong_dan"], 120.0);
        assert_eq!(bao_an["dvc_thiet_yeu.rows[3].total"], 0.1 + 0.2, "every bit of the value");
        assert_eq!(bao_an.len(), 2, "only what the unit gave");
        assert_eq!(back.units["Công an thành phố"]["vneid.tin_bao"], 21.0);
        assert_eq!(back.totals["csdlqg.hoi_nong_dan"], 2114.0);
        assert_eq!(back.totals["dvc_thiet_yeu.total.total"], 0.1 + 0.2);
        assert!(!back.totals.contains_key("hssk.dan_so"), "a figure no unit gave has no value");
        for t in report.totals.by_id() {
            assert_eq!(back.totals.get(&*t.id).copied(), t.value, "{}", t.id);
        }
    }

    #[test]
    fn a_workbook_that_is_not_an_appendix_with_figures_is_refused_with_why() {
        let ward = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox-2024-07/BC DA06 T7 - Kinh Dinh.xlsx");
        let e = read(&ward).unwrap_err().to_string();
        assert!(e.contains("không phải phụ lục XLSX do baocao ghi") && e.contains(SHEET_FIGURES), "{e}");
        let xls = ward.with_file_name("DAO LONG T7.xls");
        assert!(read(&xls).unwrap_err().to_string().contains("không phải tệp .xlsx"));
        let e = read(&ward.with_file_name("khong-co.xlsx")).unwrap_err().to_string();
        assert!(e.contains("không mở được tệp") && e.contains("không tìm thấy"), "{e}");
        let e = from_bytes("x.xlsx", "x.xlsx", b"PK\x03\x04 cut short".to_vec()).unwrap_err().to_string();
        assert!(e.contains("hỏng"), "{e}");
    }

    #[test]
    fn the_sheet_is_read_by_its_keys_and_a_later_version_or_a_changed_cell_is_refused() {
        let mut range: Range<Data> = Range::new((0, 0), (8, 4));
        let mut put = |r: u32, c: u32, d: Data| range.set_value((r, c), d);
        put(0, 0, Data::String(FIGURES_FORMAT.into()));
        put(0, 1, Data::Float(1.0));
        put(1, 0, Data::String("a key a later version may add".into()));
        put(3, 0, Data::String(FIGURES_MONTH.into()));
        put(3, 1, Data::String("2024-12".into()));
        put(4, 0, Data::String(FIGURES_HEADER.into()));
        put(4, 2, Data::String("a.b".into()));
        put(4, 3, Data::String("c".into()));
        put(5, 0, Data::String(FIGURES_UNIT.into()));
        put(5, 1, Data::String("Phường Bảo An".into()));
        put(5, 2, Data::Int(7));
        put(6, 0, Data::String(FIGURES_TOTAL.into()));
        put(6, 3, Data::Float(2.5));
        let back = figures("f.xlsx", &range).unwrap();
        assert_eq!(back.month, Month::new(2024, 12).unwrap());
        assert_eq!(back.units["Phường Bảo An"], BTreeMap::from([("a.b".to_string(), 7.0)]));
        assert_eq!(back.totals, BTreeMap::from([("c".to_string(), 2.5)]));

        let mut later = range.clone();
        later.set_value((0, 1), Data::Float(2.0));
        assert!(figures("f.xlsx", &later).unwrap_err().to_string().contains("phiên bản baocao mới hơn"));
        let mut edited = range.clone();
        edited.set_value((5, 2), Data::String("bảy".into()));
        let e = figures("f.xlsx", &edited).unwrap_err().to_string();
        assert!(e.contains("ô C6") && e.contains("bảy"), "{e}");
        let mut no_month = range;
        no_month.set_value((3, 1), Data::String("tháng bảy".into()));
        assert!(figures("f.xlsx", &no_month).unwrap_err().to_string().contains("không ghi tháng"));
    }
}
