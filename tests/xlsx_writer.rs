//! The XLSX writer on the July 2024 figures: the workbook is read back with
//! calamine and every appendix cell, formula, finding and source is checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use baocao::config::Config;
use baocao::model::{Figure, Finding, FindingKind, Location, Report, Severity, UnitStatus};
use baocao::write::xlsx::xlsx_bytes;
use calamine::{Data, Reader, Xlsx, open_workbook};

mod common;

use common::{config, expected, july_document};

/// The July run as the engine should produce it, plus a finding whose text looks like
/// a formula (it must stay text).
fn july_run(cfg: &Config) -> Report {
    let mut run = common::july_run(cfg);
    let findings = &mut run.findings;
    // Text that looks like a formula must stay text.
    findings.push(Finding::new(
        Severity::Error,
        FindingKind::MissingUnit,
        Location::file("=HYPERLINK(\"x\").xlsx"),
        "=SUM(A1:A2) không phải công thức".into(),
    ));
    run
}

struct Book {
    xlsx: Xlsx<std::io::BufReader<std::fs::File>>,
    _dir: tempfile::TempDir,
}

fn write_and_open(bytes: &[u8]) -> Book {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("phu-luc.xlsx");
    std::fs::write(&path, bytes).unwrap();
    Book { xlsx: open_workbook(Path::new(&path)).unwrap(), _dir: dir }
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn num(d: Option<&Data>) -> f64 {
    match d {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("expected a number, got {other:?}"),
    }
}

#[test]
fn the_appendix_holds_every_row_total_and_ratio_with_formulas() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let names = book.xlsx.sheet_names();
    // Each appendix table on a sheet of its own, numbered as Decree 30 numbers appendices;
    // last, the hidden figures for next month's comparison.
    assert_eq!(names, ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn", "Dữ liệu so sánh"]);
    let sheet = book.xlsx.worksheet_range("Phụ lục I").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục I").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));

    assert_eq!(text(cell(0, 0)), "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06");
    assert_eq!(text(cell(1, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    // Worded as in the DOCX's appendix (tests/docx_writer.rs): one rule for both.
    assert_eq!(text(cell(2, 0)), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024)");
    assert_eq!(text(cell(3, 4)), "Đơn vị tính: hồ sơ");
    let header: Vec<String> = (0..7).map(|c| text(cell(4, c))).collect();
    assert_eq!(
        header,
        ["STT", "Dịch vụ công trực tuyến", "Kết nối Cổng DVC quốc gia", "Đơn vị thực hiện", "Tổng số hồ sơ", "", ""]
    );
    let sub: Vec<String> = (4..7).map(|c| text(cell(5, c))).collect();
    assert_eq!(sub, ["Tổng số hồ sơ", "Tiếp nhận hồ sơ trực tuyến", "Tỷ lệ %"]);

    let exp = expected();
    let consolidated = &exp["consolidated"];
    let table = &cfg.tables[0];
    assert_eq!(table.rows.len(), 15);
    for (i, row) in table.rows.iter().enumerate() {
        let r = 6 + i as u32;
        let excel_row = r + 1;
        assert_eq!(num(cell(r, 0)), row.stt as f64);
        assert_eq!(text(cell(r, 1)), row.label);
        assert_eq!(text(cell(r, 2)), "Đã kết nối");
        assert_eq!(text(cell(r, 3)), row.info["Đơn vị thực hiện"]);
        let id = |col: &str| format!("dvc_thiet_yeu.rows[{}].{col}", row.stt);
        assert_eq!(num(cell(r, 4)), consolidated[id("total")].as_f64().unwrap(), "row {}", row.stt);
        assert_eq!(num(cell(r, 5)), consolidated[id("online")].as_f64().unwrap(), "row {}", row.stt);
        match consolidated[id("ratio_pct")].as_f64() {
            Some(pct) => assert!((num(cell(r, 6)) - pct / 100.0).abs() < 1e-9, "row {}", row.stt),
            None => assert_eq!(text(cell(r, 6)), "-", "row {}", row.stt),
        }
        assert_eq!(formulas.get_value((r, 6)).unwrap(), &format!("IF(E{excel_row}=0,\"-\",F{excel_row}/E{excel_row})"));
    }
    // The "Tổng" row.
    assert_eq!(text(cell(21, 0)), "Tổng");
    assert_eq!(num(cell(21, 4)), 8725.0);
    assert_eq!(num(cell(21, 5)), 8685.0);
    let ratio = num(cell(21, 6));
    assert!((ratio - 0.9954).abs() < 1e-9, "{ratio}");
    assert_eq!(format!("{:.2}%", ratio * 100.0).replace('.', ","), "99,54%");
    assert_eq!(formulas.get_value((21, 4)).unwrap(), "SUM(E7:E21)");
    assert_eq!(formulas.get_value((21, 5)).unwrap(), "SUM(F7:F21)");
    assert_eq!(formulas.get_value((21, 6)).unwrap(), "IF(E22=0,\"-\",F22/E22)");

    // Nothing of the second table on the first table's sheet.
    assert!(sheet.end().unwrap().0 <= 21, "the Tổng row ends the sheet: {:?}", sheet.end());

    // The merged header and title regions.
    let merges = book.xlsx.merge_cells_by_sheet_name("Phụ lục I").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(0, 0, 0, 6), "title merged across");
    assert!(has(4, 0, 5, 0) && has(4, 1, 5, 1) && has(4, 2, 5, 2) && has(4, 3, 5, 3));
    assert!(has(4, 4, 4, 6), "group header over the figure columns");

    // The second table, with its group heading, on its own sheet with its own heading lines.
    let sheet = book.xlsx.worksheet_range("Phụ lục II").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục II").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));
    assert_eq!(text(cell(0, 0)), "KẾT QUẢ TRIỂN KHAI DVC THEO QUYẾT ĐỊNH 422/QĐ-TTg ngày 04/04/2022");
    assert_eq!(text(cell(1, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    // Worded as in the DOCX's appendix (tests/docx_writer.rs): one rule for both.
    assert_eq!(text(cell(2, 0)), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024)");
    assert_eq!(text(cell(3, 4)), "Đơn vị tính: hồ sơ");
    let header: Vec<String> = (0..7).map(|c| text(cell(4, c))).collect();
    assert_eq!(
        header,
        ["STT", "Dịch vụ công trực tuyến", "Kết nối Cổng DVC quốc gia", "Đơn vị thực hiện", "Tổng số hồ sơ", "", ""]
    );
    let sub: Vec<String> = (4..7).map(|c| text(cell(5, c))).collect();
    assert_eq!(sub, ["Tổng số hồ sơ", "Tiếp nhận hồ sơ trực tuyến", "Tỷ lệ %"]);
    assert_eq!(text(cell(6, 0)), "I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN");
    assert_eq!(num(cell(7, 0)), 1.0);
    assert_eq!(text(cell(7, 1)), "Xác nhận thông tin về cư trú");
    assert_eq!(text(cell(7, 2)), "Đã kết nối");
    assert_eq!(text(cell(7, 3)), "Công an");
    assert_eq!(num(cell(7, 4)), 193.0);
    assert_eq!(num(cell(7, 5)), 193.0);
    assert_eq!(num(cell(7, 6)), 1.0);
    assert_eq!(formulas.get_value((7, 6)).unwrap(), "IF(E8=0,\"-\",F8/E8)");
    // A one-row table has no "Tổng" row, as in the seed and in the DOCX's appendix: its row ends the sheet.
    assert_eq!(sheet.end().unwrap().0, 7, "{:?}", sheet.end());
    assert!(sheet.used_cells().all(|(_, _, c)| *c != calamine::Data::String("Tổng".into())));
    let merges = book.xlsx.merge_cells_by_sheet_name("Phụ lục II").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(0, 0, 0, 6), "title merged across");
    assert!(has(4, 0, 5, 0) && has(4, 1, 5, 1) && has(4, 2, 5, 2) && has(4, 3, 5, 3));
    assert!(has(4, 4, 4, 6), "group header over the figure columns");
    assert!(has(6, 0, 6, 6), "group heading row merged across");
}

#[test]
fn the_breakdown_sums_every_unit_block() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Chi tiết đơn vị").unwrap();
    let formulas = book.xlsx.worksheet_formula("Chi tiết đơn vị").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));
    // Title, period, two header rows; units in config order, two columns each.
    assert_eq!(text(cell(2, 2)), "Phường Bảo An");
    assert_eq!(text(cell(3, 2)), "Tổng số hồ sơ");
    assert_eq!(text(cell(3, 3)), "Tiếp nhận hồ sơ trực tuyến");
    let total_col = 2 + 2 * cfg.units.len() as u32;
    assert_eq!(text(cell(2, total_col)), "Tổng cộng");
    // Row STT 3 (Đăng ký thường trú): Bảo An typed 94.
    assert_eq!(num(cell(6, 2)), 94.0);
    assert_eq!(num(cell(6, total_col)), 1156.0);
    assert_eq!(num(cell(6, total_col + 1)), 1155.0);
    let f = formulas.get_value((6, total_col)).unwrap();
    assert!(f.starts_with("SUM(C7,E7,G7,"), "{f}");
    // The total row: 8725 / 8685 / 99,54%.
    assert_eq!(text(cell(19, 0)), "Tổng");
    assert_eq!(num(cell(19, total_col)), 8725.0);
    assert_eq!(num(cell(19, total_col + 1)), 8685.0);
    assert!((num(cell(19, total_col + 2)) - 0.9954).abs() < 1e-9);
    // Each unit's column total equals the sum of its figures.
    let bao_an: f64 = run.units[0]
        .figures
        .iter()
        .filter(|f| f.id.starts_with("dvc_thiet_yeu.rows[") && f.id.ends_with(".total"))
        .map(|f| f.value)
        .sum();
    assert_eq!(num(cell(19, 2)), bao_an);
    assert_eq!(formulas.get_value((19, 2)).unwrap(), "SUM(C5:C19)");
}

#[test]
fn the_checks_sheet_lists_every_finding_unit_and_skipped_file() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Kiểm tra").unwrap();
    let formulas = book.xlsx.worksheet_formula("Kiểm tra").unwrap();
    let cell = |r: u32, c: u32| text(sheet.get_value((r, c)));
    let header: Vec<String> = (0..7).map(|c| cell(0, c)).collect();
    assert_eq!(header, ["STT", "Mức độ", "Đơn vị", "Tệp", "Trang tính", "Ô", "Nội dung"]);
    for (i, f) in run.findings.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(cell(r, 1), f.severity.label());
        assert_eq!(cell(r, 2), f.unit.clone().unwrap_or_default());
        assert_eq!(cell(r, 3), &*f.location.file);
        assert_eq!(cell(r, 4), f.location.sheet.as_deref().unwrap_or_default());
        assert_eq!(cell(r, 5), f.location.cell.as_deref().unwrap_or_default());
        assert_eq!(cell(r, 6), f.message);
    }
    // The Văn Hải total row mismatch, with its values.
    assert_eq!(cell(1, 1), "cảnh báo");
    assert_eq!(cell(1, 2), "Phường Văn Hải");
    assert_eq!(cell(1, 5), "F22");
    assert_eq!(num(sheet.get_value((1, 7))), 709.0);
    assert_eq!(num(sheet.get_value((1, 8))), 710.0);
    // Text that looks like a formula stays text.
    let last = run.findings.len() as u32;
    assert_eq!(cell(last, 6), "=SUM(A1:A2) không phải công thức");
    assert_eq!(cell(last, 3), "=HYPERLINK(\"x\").xlsx");
    assert!(formulas.get_value((last, 6)).is_none_or(String::is_empty));
    // Then every unit with its status, and the skipped lock file.
    let all: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|d| text(Some(d)))).collect();
    assert!(all.iter().any(|t| t == "TÌNH TRẠNG TIẾP NHẬN BÁO CÁO"));
    for u in &cfg.units {
        assert!(all.contains(&u.name), "{}", u.name);
    }
    assert_eq!(all.iter().filter(|t| *t == "đã tổng hợp").count(), 20);
    assert!(all.iter().any(|t| t == "~$BC DA06 T7 - Kinh Dinh.xlsx"));
    assert!(all.iter().any(|t| t == "Tệp khóa của Excel, không phải bảng tính"));
}

#[test]
fn a_finding_about_many_cells_lists_five_and_counts_the_rest() {
    let cfg = config();
    let mut run = july_run(&cfg);
    let cells = (1..=39)
        .map(|r| baocao::model::CellNote {
            sheet: "DVC thiết yếu".into(),
            cell: format!("E{r}"),
            text: "1.020".into(),
            value: Some(1020.0),
        })
        .collect();
    run.findings.push(Finding {
        cells,
        ..Finding::new(
            Severity::Info,
            FindingKind::TextNumbersConverted,
            Location::file("a.xlsx"),
            "Có số được nhập dạng chữ".into(),
        )
    });
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Kiểm tra").unwrap();
    let listed = text(sheet.get_value((run.findings.len() as u32, 9)));
    assert!(listed.starts_with("DVC thiết yếu!E1: \"1.020\" → 1.020; "), "{listed}");
    assert!(listed.ends_with("; … và 34 ô khác"), "{listed}");
    assert_eq!(listed.matches("; ").count(), 5, "{listed}");
}

/// The figure columns of "Nguồn": every figure id some counted unit has, in config order, each
/// with a value column first when "Chi tiết đơn vị" does not show its value (it shows the
/// appendix tables with rows), then its source column; after STT, Đơn vị and Tệp.
fn source_columns(cfg: &Config, run: &Report) -> Vec<(String, Option<u32>, u32)> {
    let present: BTreeSet<&str> = run
        .units
        .iter()
        .filter(|u| u.status == UnitStatus::Counted)
        .flat_map(|u| u.figures.iter().map(|f| &*f.id))
        .collect();
    let on_breakdown = |id: &str| {
        cfg.tables.iter().any(|t| t.appendix && !t.rows.is_empty() && id.starts_with(&format!("{}.rows[", t.id)))
    };
    let mut col = 3;
    let mut columns = Vec::new();
    for f in unit_figures(run).into_iter().filter(|f| present.contains(f.id.as_str())) {
        let value = if on_breakdown(&f.id) {
            None
        } else {
            col += 1;
            Some(col - 1)
        };
        columns.push((f.id, value, col));
        col += 1;
    }
    columns
}

/// A figure a unit's workbook can give, with the names that head it.
struct UnitFigure<'a> {
    id: String,
    title: &'a str,
    row: Option<String>,
    name: &'a str,
}

/// Every figure a unit's workbook can give, in config order, as the report lists them.
fn unit_figures(run: &Report) -> Vec<UnitFigure<'_>> {
    run.unit_figures()
        .into_iter()
        .map(|f| UnitFigure { id: run.total(f.figure).id.to_string(), title: f.title, row: f.row, name: f.name })
        .collect()
}

/// The "files" entry of the expected JSON for one workbook.
fn expected_file<'a>(exp: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    exp["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap_or_else(|| panic!("no entry for {file}"))
}

#[test]
fn the_sources_sheet_gives_every_figure_its_cell() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Nguồn").unwrap();
    let merges = book.xlsx.merge_cells_by_sheet_name("Nguồn").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    let cell = |r: u32, c: u32| text(sheet.get_value((r, c)));
    let columns = source_columns(&cfg, &run);
    let col_of = |id: &str| columns.iter().find(|(i, ..)| i == id).unwrap_or_else(|| panic!("no column for {id}"));
    // The 89 ids the July units give; the last column is the last figure's source.
    assert_eq!(columns.len(), 89);
    assert_eq!(sheet.end().unwrap().1, columns.last().unwrap().2, "nothing right of the last figure");

    // Header: STT, Đơn vị and Tệp over the three header rows; each table's or list's title over its
    // columns; each figure's label over its value and source columns; what each column holds.
    for (c, header) in ["STT", "Đơn vị", "Tệp"].iter().enumerate() {
        assert_eq!(cell(0, c as u32), *header);
        assert!(has(0, c as u32, 2, c as u32), "{header} over the three header rows");
    }
    let figures = unit_figures(&run);
    let mut title_start = 0;
    for (i, (id, value_col, source_col)) in columns.iter().enumerate() {
        let f = figures.iter().find(|f| &f.id == id).unwrap();
        let first = value_col.unwrap_or(*source_col);
        if i == 0 || figures.iter().find(|g| g.id == columns[i - 1].0).unwrap().title != f.title {
            assert_eq!(cell(0, first), f.title, "title over {id}");
            title_start = first;
        }
        let last_of_title = columns
            .get(i + 1)
            .is_none_or(|(next, ..)| figures.iter().find(|g| &g.id == next).unwrap().title != f.title);
        if last_of_title {
            assert!(has(0, title_start, 0, *source_col), "{} merged over its figures", f.title);
        }
        let label = cell(1, first);
        assert!(label.ends_with(f.name) || label.ends_with('…'), "{id}: {label}");
        if let Some(row) = &f.row {
            assert!(
                label.starts_with(&row[..row.char_indices().nth(10).map_or(row.len(), |(i, _)| i)]),
                "{id}: {label}"
            );
        }
        assert!(label.chars().count() <= 2 * 61 + 3, "{id}: a short label, not {label}");
        if let Some(v) = value_col {
            assert_eq!(cell(2, *v), "Giá trị", "{id}");
            assert!(has(1, *v, 1, *source_col), "{id}: label over value and source");
        }
        assert_eq!(cell(2, *source_col), "Ô nguồn", "{id}");
    }
    assert_eq!(cell(1, col_of("dvc_thiet_yeu.rows[3].total").2), "3. Đăng ký thường trú › Tổng số hồ sơ");
    assert_eq!(cell(1, col_of("hssk.dan_so").1.unwrap()), "Dân số");
    assert_eq!(cell(1, col_of("csdlqg.hoi_chu_thap_do.tap_the").1.unwrap()), "Hội Chữ thập đỏ › Tập thể");
    assert_eq!(
        cell(1, col_of("luu_tru.tai_khoan_asm").1.unwrap()),
        "Số cơ sở lưu trú được tạo tài khoản thông báo lưu trú trên…"
    );
    assert_eq!(cell(0, 3), "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06");

    // One row per unit: for every figure of every unit, where it came from (and its value
    // when no other sheet shows it); empty where the unit has no such figure.
    let exp = expected();
    for (u, unit) in run.units.iter().enumerate() {
        let r = 3 + u as u32;
        assert_eq!(num(sheet.get_value((r, 0))), (u + 1) as f64);
        assert_eq!(cell(r, 1), unit.name);
        assert_eq!(cell(r, 2), unit.files[0]);
        let cells = &expected_file(&exp, &unit.files[0])["cells"];
        for (id, value_col, source_col) in &columns {
            match unit.figures.iter().find(|f| *f.id == **id) {
                Some(f) => {
                    let at = cells[id].as_array().unwrap_or_else(|| panic!("{}: no cell for {id}", unit.name));
                    let want = format!("{}!{}", at[0].as_str().unwrap(), at[1].as_str().unwrap());
                    assert_eq!(cell(r, *source_col), want, "{} {id}", unit.name);
                    if let Some(v) = value_col {
                        assert_eq!(num(sheet.get_value((r, *v))), f.value, "{} {id}", unit.name);
                    }
                }
                None => {
                    assert_eq!(cell(r, *source_col), "", "{} has no {id}", unit.name);
                    if let Some(v) = value_col {
                        assert_eq!(cell(r, *v), "", "{} has no {id}", unit.name);
                    }
                }
            }
        }
    }
    assert_eq!(cell(3, col_of("dvc_thiet_yeu.rows[3].total").2), "DVC thiết yếu!E9", "Bảo An typed 94 in E9");
    let so_hoa = col_of("so_hoa.tong_ho_so");
    assert_eq!((num(sheet.get_value((3, so_hoa.1.unwrap()))), cell(3, so_hoa.2)), (495.0, "Số hóa!C8".into()));

    // The consolidated figures follow the units, from the "Đơn vị" column.
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|d| text(Some(d))).collect()).collect();
    let start = rows.iter().position(|r| r[1] == "SỐ LIỆU TỔNG HỢP").unwrap();
    assert_eq!(start, 3 + run.units.len() + 2, "three header rows, one row per unit, two blank rows");
    assert_eq!(rows[start + 1][1..6], ["Mã số liệu", "Nội dung", "Số đơn vị cộng vào", "Giá trị", "Tính đến ngày"]);
    assert_eq!(rows.len(), start + 2 + run.totals.len(), "every consolidated figure");
    let total = rows.iter().skip(start).find(|r| r[1] == "dvc_thiet_yeu.total.total").unwrap();
    assert_eq!(total[4], "8725");
    let none = rows.iter().skip(start).find(|r| r[1] == "dvc_thiet_yeu.rows[1].ratio_pct").unwrap();
    assert_eq!(none[4], "-");
    // A cumulative figure with the date its workbook counts it to; a figure of the period without.
    let dated = rows.iter().skip(start).find(|r| r[1] == "csdlqg.hoi_nong_dan").unwrap();
    assert_eq!(dated[5], "07/5/2024");
    assert_eq!(total[5], "");
}

#[test]
fn every_unit_figure_value_is_on_the_breakdown_or_the_sources_sheet() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sources = book.xlsx.worksheet_range("Nguồn").unwrap();
    let breakdown = book.xlsx.worksheet_range("Chi tiết đơn vị").unwrap();
    let columns = source_columns(&cfg, &run);
    let mut on_breakdown = 0usize;
    for (u, unit) in run.units.iter().enumerate() {
        for f in &unit.figures {
            let (_, value_col, _) = columns.iter().find(|(id, ..)| **id == *f.id).unwrap();
            if let Some(c) = value_col {
                assert_eq!(num(sources.get_value((3 + u as u32, *c))), f.value, "{} {}", unit.name, f.id);
                continue;
            }
            // A row of an appendix table: the unit's block on "Chi tiết đơn vị", under the table's title.
            let (t, stt, i) = cfg
                .tables
                .iter()
                .filter(|t| t.appendix)
                .flat_map(|t| {
                    t.rows.iter().flat_map(move |r| t.columns.iter().enumerate().map(move |(i, c)| (t, r.stt, i, c)))
                })
                .find(|(t, stt, _, c)| *baocao::model::id::table_row(&t.id, *stt, &c.id) == *f.id)
                .map(|(t, stt, i, _)| (t, stt, i))
                .unwrap_or_else(|| panic!("{} is neither on Nguồn with its value nor in an appendix table", f.id));
            let title = breakdown.rows().position(|r| text(r.first()) == t.title).unwrap() as u32;
            let row = (title..)
                .find(|r| matches!(breakdown.get_value((*r, 0)), Some(Data::Float(n)) if *n == stt as f64))
                .unwrap();
            let col = 2 + (u * t.columns.len() + i) as u32;
            assert_eq!(num(breakdown.get_value((row, col))), f.value, "{} {}", unit.name, f.id);
            on_breakdown += 1;
        }
    }
    assert!(on_breakdown > 0 && on_breakdown < run.units.iter().map(|u| u.figures.len()).sum::<usize>());
}

#[test]
fn a_unit_with_figures_from_two_files_names_the_other_file_in_each_cell() {
    let cfg = config();
    let mut run = july_run(&cfg);
    // Bảo An sent its lists in a second workbook: most figures still come from the first.
    let extra = "Bao An - bổ sung.xlsx";
    run.units[0].files.push(extra.into());
    for f in run.units[0].figures.iter_mut().filter(|f| !f.id.starts_with("dvc_")) {
        f.source.file = extra.into();
    }
    // Đài Sơn's digitisation figures come from a file listed before the one most figures come from.
    let older = "Đài Sơn - bản trước.xlsx";
    run.units[1].files.insert(0, older.into());
    for f in run.units[1].figures.iter_mut().filter(|f| f.id.starts_with("so_hoa.")) {
        f.source.file = older.into();
    }
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Nguồn").unwrap();
    let cell = |r: u32, c: u32| text(sheet.get_value((r, c)));
    let columns = source_columns(&cfg, &run);
    let col_of = |id: &str| columns.iter().find(|(i, ..)| i == id).unwrap().2;
    for (u, other) in [(0, extra), (1, older)] {
        let unit = &run.units[u];
        let r = 3 + u as u32;
        let main = unit.files.iter().find(|f| *f != other).unwrap();
        assert_eq!(&cell(r, 2), main, "Tệp: the file most figures come from");
        let mut from_other = 0;
        for f in &unit.figures {
            let at = format!("{}!{}", f.source.sheet.as_deref().unwrap(), f.source.cell.as_deref().unwrap());
            let want = if *f.source.file == *other {
                from_other += 1;
                format!("[{other}]{at}")
            } else {
                at
            };
            assert_eq!(cell(r, col_of(&f.id)), want, "{} {}", unit.name, f.id);
        }
        assert!(from_other > 0);
    }
    assert_eq!(cell(3, col_of("so_hoa.tong_ho_so")), "[Bao An - bổ sung.xlsx]Số hóa!C8");
    assert_eq!(cell(3, col_of("lao_dong.da_chuyen_cong_an")), "[Bao An - bổ sung.xlsx]Lao động!C10");
    assert_eq!(cell(3, col_of("dvc_thiet_yeu.rows[3].total")), "DVC thiết yếu!E9");
    assert_eq!(cell(4, col_of("so_hoa.da_so_hoa")), "[Đài Sơn - bản trước.xlsx]Số hóa!C9");
}

#[test]
fn figures_the_config_does_not_name_come_last_with_their_values() {
    let cfg = config();
    let mut run = july_run(&cfg);
    let file = run.units[1].files[0].clone();
    run.units[1].figures.push(Figure {
        id: "ngoai_cau_hinh".into(),
        value: 7.5,
        source: Location::cell(&file, "Khác", "B2"),
    });
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Nguồn").unwrap();
    let cell = |r: u32, c: u32| text(sheet.get_value((r, c)));
    let last = source_columns(&cfg, &run).last().unwrap().2 + 2;
    assert_eq!(sheet.end().unwrap().1, last);
    let header: Vec<String> = (0..3).map(|r| cell(r, last - 1)).collect();
    assert_eq!(header, ["Số liệu khác", "ngoai_cau_hinh", "Giá trị"]);
    assert_eq!(cell(2, last), "Ô nguồn");
    assert_eq!((num(sheet.get_value((4, last - 1))), cell(4, last)), (7.5, "Khác!B2".into()));
    assert_eq!((cell(3, last - 1), cell(3, last)), (String::new(), String::new()));
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let cfg = config();
    let run = july_run(&cfg);
    let a = xlsx_bytes(&run, &july_document()).unwrap();
    let b = xlsx_bytes(&run, &july_document()).unwrap();
    assert!(a == b, "two writes differ");
    assert_eq!(&a[..2], b"PK");
}

/// One part of the written package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The sheets of a written package in order: (name, its part "xl/worksheets/sheetN.xml").
fn sheet_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let workbook = part(bytes, "xl/workbook.xml");
    let rels = part(bytes, "xl/_rels/workbook.xml.rels");
    let attr = |tag: &str, name: &str| -> String {
        let tag = format!(" {}", &tag[..tag.find('>').unwrap()]);
        let start = tag.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 3;
        tag[start..].split('"').next().unwrap().to_string()
    };
    workbook
        .split("<sheet ")
        .skip(1)
        .map(|tag| {
            let id = attr(tag, "r:id");
            let rel =
                rels.split("<Relationship ").skip(1).find(|r| attr(r, "Id") == id).expect("the sheet's relationship");
            (attr(tag, "name"), format!("xl/{}", attr(rel, "Target").trim_start_matches("/xl/")))
        })
        .collect()
}

/// The attributes of the first `<element ...>` of a part, as (name, value) pairs.
fn attributes(xml: &str, element: &str) -> BTreeMap<String, String> {
    let start = xml.find(&format!("<{element} ")).unwrap_or_else(|| panic!("no <{element}> in {xml}"));
    let tag = &xml[start + element.len() + 2..];
    let tag = &tag[..tag.find('>').unwrap()];
    tag.trim_end_matches('/')
        .split('"')
        .collect::<Vec<_>>()
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].trim().trim_end_matches('=').to_string(), c[1].to_string()))
        .collect()
}

/// The print titles ("_xlnm.Print_Titles") defined for the sheet at `index`.
fn print_titles(workbook: &str, index: usize) -> Option<String> {
    let local = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{index}\">");
    let start = workbook.find(&local)? + local.len();
    Some(workbook[start..].split("</definedName>").next()?.to_string())
}

/// Asserts a sheet prints on A4 landscape, one page wide and as many tall as it needs.
fn assert_a4_landscape_fit_to_width(name: &str, sheet: &str) {
    let setup = attributes(sheet, "pageSetup");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{name}: A4 {setup:?}");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{name}: {setup:?}");
    // fitToWidth defaults to 1 in OOXML (ECMA-376 §18.3.1.64), so rust_xlsxwriter leaves it out.
    assert_eq!(setup.get("fitToWidth").map_or("1", String::as_str), "1", "{name}: one page wide {setup:?}");
    assert_eq!(setup.get("fitToHeight").map(String::as_str), Some("0"), "{name}: as many pages tall {setup:?}");
    assert!(!setup.contains_key("scale"), "{name}: no fixed scale under fit-to {setup:?}");
    // <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>: without it the fitTo* attributes are ignored.
    let pr_start = sheet.find("<sheetPr").unwrap_or_else(|| panic!("{name}: no <sheetPr>"));
    let pr_end = sheet[pr_start..].find("</sheetPr>").map(|e| pr_start + e).expect("a closed <sheetPr>");
    let sheet_pr = &sheet[pr_start..pr_end];
    assert!(sheet_pr.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{name}: fit to page in {sheet_pr}");
    assert!(!sheet.contains("<rowBreaks"), "{name}: no manual page breaks (Excel ignores them under fit-to)");
}

#[test]
fn each_appendix_sheet_prints_on_a4_landscape_with_its_header_repeated_and_fit_to_width() {
    let mut cfg = config();
    let run = july_run(&cfg);
    let bytes = xlsx_bytes(&run, &july_document()).unwrap();
    let sheets = sheet_parts(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn", "Dữ liệu so sánh"]);
    let workbook = part(&bytes, "xl/workbook.xml");
    let hidden: Vec<&str> = workbook
        .split("<sheet ")
        .skip(1)
        .filter(|s| s.contains(r#"state="hidden""#))
        .map(|s| s.split('"').nth(1).unwrap())
        .collect();
    assert_eq!(hidden, ["Dữ liệu so sánh"], "only the figures sheet is hidden: {workbook}");
    // Each appendix sheet repeats its own two header rows (rows 5 and 6) and fits one page wide.
    for (i, (name, path)) in sheets.iter().enumerate().take(2) {
        let sheet = part(&bytes, path);
        assert_a4_landscape_fit_to_width(name, &sheet);
        assert_eq!(print_titles(&workbook, i).as_deref(), Some(format!("'{name}'!$5:$6").as_str()), "{workbook}");
    }
    // Kiểm tra: landscape, its header row repeated, one page wide.
    let (name, path) = &sheets[3];
    assert_a4_landscape_fit_to_width(name, &part(&bytes, path));
    assert_eq!(print_titles(&workbook, 3).as_deref(), Some("'Kiểm tra'!$1:$1"), "{workbook}");
    // Nguồn: landscape A4 across as many pages as its figure columns need, its three header
    // rows and its unit columns (STT, Đơn vị, Tệp) repeated on each page and frozen on screen,
    // the filter on the last header row over every unit row.
    let sources = part(&bytes, &sheets[4].1);
    let setup = attributes(&sources, "pageSetup");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{setup:?}");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{setup:?}");
    assert!(!sources.contains("fitToPage") && !setup.contains_key("fitToWidth"), "not shrunk to one page wide");
    assert_eq!(print_titles(&workbook, 4).as_deref(), Some("Nguồn!$A:$C,Nguồn!$1:$3"), "{workbook}");
    let pane = attributes(&sources, "pane");
    let pane: Vec<&str> = ["xSplit", "ySplit", "topLeftCell", "state"].iter().map(|k| pane[*k].as_str()).collect();
    assert_eq!(pane, ["3", "3", "D4", "frozen"]);
    let last_col = source_columns(&cfg, &run).last().unwrap().2;
    let filter = format!("A3:{}{}", baocao::text::col_name(last_col), 3 + run.units.len());
    assert_eq!(attributes(&sources, "autoFilter")["ref"], filter);
    // Chi tiết đơn vị: landscape A4, the STT and label columns repeated as the unit
    // blocks run across pages, each table on a page of its own.
    let breakdown = part(&bytes, &sheets[2].1);
    let setup = attributes(&breakdown, "pageSetup");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{setup:?}");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{setup:?}");
    assert_eq!(print_titles(&workbook, 2).as_deref(), Some("'Chi tiết đơn vị'!$A:$B"), "{workbook}");
    assert!(breakdown.contains("<rowBreaks"), "each breakdown table starts a page");

    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<name val="Times New Roman"/>"#));
    assert!(!styles.contains("Calibri"), "every font is Times New Roman");
    assert!(styles.contains(r#"formatCode="0.00%""#) && styles.contains(r##"formatCode="#,##0""##));
    assert!(part(&bytes, "docProps/core.xml").contains("2024-07-12T00:00:00Z"));

    // One appendix table: one sheet named "Phụ lục", set up the same way.
    for t in cfg.tables.iter_mut().skip(1) {
        t.appendix = false;
    }
    let run = july_run(&cfg);
    let bytes = xlsx_bytes(&run, &july_document()).unwrap();
    let sheets = sheet_parts(&bytes);
    assert_eq!(sheets[0].0, "Phụ lục");
    assert_eq!(sheets[1].0, "Chi tiết đơn vị");
    assert_a4_landscape_fit_to_width("Phụ lục", &part(&bytes, &sheets[0].1));
    let workbook = part(&bytes, "xl/workbook.xml");
    assert_eq!(print_titles(&workbook, 0).as_deref(), Some("'Phụ lục'!$5:$6"), "{workbook}");
}

#[test]
fn a_national_roll_up_spreads_the_breakdown_over_sheets_within_excels_formula_and_column_limits() {
    use baocao::model::{Figure, Location, UnitResult, UnitStatus};
    let cfg = baocao::config::Config::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml"),
    )
    .unwrap();
    let units: Vec<UnitResult> = (1..=6000)
        .map(|i| UnitResult {
            name: format!("Xã {i}"),
            group: "phuong_xa".into(),
            status: UnitStatus::Counted,
            files: vec![format!("xa {i}.xlsx")],
            missing: Vec::new(),
            figures: vec![Figure {
                id: "dvc_thiet_yeu.rows[3].total".into(),
                value: 1.0,
                source: Location::cell(&format!("xa {i}.xlsx"), "DVC thiết yếu", "E9"),
            }],
            as_of: Vec::new(),
        })
        .collect();
    let run =
        baocao::engine::report_of(&cfg, baocao::model::Month::new(2024, 7).unwrap(), units, Vec::new(), Vec::new());
    let bytes = baocao::write::xlsx::xlsx_bytes(&run, &july_document()).expect("6000 units fit");
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let names = wb.sheet_names();
    let breakdown: Vec<String> = names.iter().filter(|n| n.starts_with("Chi tiết đơn vị")).cloned().collect();
    assert_eq!(breakdown.len(), 30, "6000 units, 200 a sheet: {names:?}");
    assert_eq!(breakdown[1], "Chi tiết đơn vị (2)");
    // Excel refuses a formula with more than 255 arguments or 8.192 characters.
    for name in &breakdown {
        let formulas = wb.worksheet_formula(name).unwrap();
        let mut sums = 0;
        for (_, _, f) in formulas.used_cells().filter(|(_, _, f)| !f.is_empty()) {
            assert!(f.len() <= 8192, "{name}: formula of {} characters", f.len());
            for call in f.split("SUM(").skip(1) {
                let args = call.split(')').next().unwrap().split(',').count();
                assert!(args <= 255, "{name}: SUM with {args} arguments");
                sums += 1;
            }
        }
        assert!(sums > 0, "{name} has no totals");
    }
    let last = wb.worksheet_range(breakdown.last().unwrap()).unwrap();
    let has = |text: &str| last.used_cells().any(|(_, _, c)| *c == calamine::Data::String(text.into()));
    assert!(has("Xã 6000") && has("Cộng các đơn vị trong trang"));
}
