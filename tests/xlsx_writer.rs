//! The XLSX writer on the July 2024 figures: the workbook is read back with
//! calamine and every appendix cell, formula, finding and source is checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baocao::config::Config;
use baocao::model::{Figure, Finding, Location, RunResult, Severity, SkippedFile, Total, UnitResult, UnitStatus};
use baocao::writer::xlsx::xlsx_bytes;
use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Config {
    Config::load(&root().join("samples/phan-rang-thap-cham.toml")).unwrap()
}

fn expected() -> Value {
    let text = std::fs::read_to_string(root().join("samples/expected-2024-07.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Where a figure of a file sits, from the "cells" map of its "files" entry.
fn location(exp: &Value, file: &str, id: &str) -> Location {
    let entry = exp["files"].as_array().unwrap().iter().find(|f| f["file"] == file);
    match entry.and_then(|f| f["cells"][id].as_array()) {
        Some(cell) => Location::cell(file, cell[0].as_str().unwrap(), cell[1].as_str().unwrap()),
        None => Location::file(file),
    }
}

fn severity(s: &str) -> Severity {
    match s {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    }
}

/// The July run as the engine should produce it, from the expected figures.
fn july_run(cfg: &Config) -> RunResult {
    let exp = expected();
    let totals: BTreeMap<String, Total> = exp["consolidated"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, v)| (id.clone(), Total { value: v.as_f64(), sources: Vec::new() }))
        .collect();
    let units = cfg
        .units
        .iter()
        .map(|u| {
            let e = &exp["units"][&u.name];
            let files: Vec<String> =
                e["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
            let figures = e["figures"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(id, v)| Figure {
                    id: id.clone(),
                    value: v.as_f64().unwrap(),
                    source: location(&exp, &files[0], id),
                })
                .collect();
            UnitResult {
                name: u.name.clone(),
                group: u.group.get_ref().clone(),
                status: UnitStatus::Counted,
                files,
                figures,
            }
        })
        .collect();
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    for p in exp["problems"].as_array().unwrap() {
        let file = p["file"].as_str().unwrap();
        if p["kind"] == "not_a_workbook" {
            skipped.push(SkippedFile {
                file: file.into(), reason: "Tệp khóa của Excel, không phải bảng tính".into()
            });
        }
        let loc = match (p["sheet"].as_str(), p["cell"].as_str()) {
            (Some(s), Some(c)) => Location::cell(file, s, c),
            (Some(s), None) => Location::sheet(file, s),
            _ => Location::file(file),
        };
        let kind: &'static str = Box::leak(p["kind"].as_str().unwrap().to_string().into_boxed_str());
        let mut f =
            Finding::new(severity(p["severity"].as_str().unwrap()), kind, loc, p["detail"].as_str().unwrap().into())
                .unit(p["unit"].as_str());
        if let (Some(found), Some(expected)) = (p["found"].as_f64(), p["expected"].as_f64()) {
            f = f.values(found, expected);
        }
        findings.push(f);
    }
    // Text that looks like a formula must stay text.
    findings.push(Finding::new(
        Severity::Error,
        "missing_unit",
        Location::file("=HYPERLINK(\"x\").xlsx"),
        "=SUM(A1:A2) không phải công thức".into(),
    ));
    RunResult { period: exp["period"].as_str().unwrap().into(), units, skipped, totals, findings }
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
    let mut book = write_and_open(&xlsx_bytes(&cfg, &run).unwrap());
    let names = book.xlsx.sheet_names();
    assert_eq!(names, ["Phụ lục", "Chi tiết đơn vị", "Kiểm tra", "Nguồn"]);
    let sheet = book.xlsx.worksheet_range("Phụ lục").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));

    assert_eq!(text(cell(0, 0)), "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06");
    assert_eq!(text(cell(1, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    assert_eq!(text(cell(2, 0)), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12/7/2024)");
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

    // The second table, with its group heading, two rows further down.
    assert_eq!(text(cell(24, 0)), "KẾT QUẢ TRIỂN KHAI DVC THEO QUYẾT ĐỊNH 422/QĐ-TTg ngày 04/04/2022");
    assert_eq!(text(cell(25, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    assert_eq!(text(cell(29, 0)), "I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN");
    assert_eq!(text(cell(30, 1)), "Xác nhận thông tin về cư trú");
    assert_eq!(num(cell(30, 4)), 193.0);
    assert_eq!(num(cell(30, 5)), 193.0);
    assert_eq!(num(cell(30, 6)), 1.0);
    assert_eq!(text(cell(31, 0)), "Tổng");
    assert_eq!(num(cell(31, 4)), 193.0);
    assert_eq!(formulas.get_value((31, 4)).unwrap(), "SUM(E31:E31)");

    // The merged header and title regions.
    let merges = book.xlsx.merge_cells_by_sheet_name("Phụ lục").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(0, 0, 0, 6), "title merged across");
    assert!(has(4, 0, 5, 0) && has(4, 1, 5, 1) && has(4, 2, 5, 2) && has(4, 3, 5, 3));
    assert!(has(4, 4, 4, 6), "group header over the figure columns");
    assert!(has(29, 0, 29, 6), "group heading row merged across");
}

#[test]
fn the_breakdown_sums_every_unit_block() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&cfg, &run).unwrap());
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
    let mut book = write_and_open(&xlsx_bytes(&cfg, &run).unwrap());
    let sheet = book.xlsx.worksheet_range("Kiểm tra").unwrap();
    let formulas = book.xlsx.worksheet_formula("Kiểm tra").unwrap();
    let cell = |r: u32, c: u32| text(sheet.get_value((r, c)));
    let header: Vec<String> = (0..7).map(|c| cell(0, c)).collect();
    assert_eq!(header, ["STT", "Mức độ", "Đơn vị", "Tệp", "Trang tính", "Ô", "Nội dung"]);
    for (i, f) in run.findings.iter().enumerate() {
        let r = 1 + i as u32;
        assert_eq!(cell(r, 1), f.severity.label());
        assert_eq!(cell(r, 2), f.unit.clone().unwrap_or_default());
        assert_eq!(cell(r, 3), f.location.file);
        assert_eq!(cell(r, 4), f.location.sheet.clone().unwrap_or_default());
        assert_eq!(cell(r, 5), f.location.cell.clone().unwrap_or_default());
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
fn the_sources_sheet_gives_every_figure_its_cell() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&cfg, &run).unwrap());
    let sheet = book.xlsx.worksheet_range("Nguồn").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|d| text(Some(d))).collect()).collect();
    assert_eq!(rows[0][..7], ["Mã số liệu", "Nội dung", "Đơn vị", "Giá trị", "Tệp", "Trang tính", "Ô"]);
    let figures: usize = run.units.iter().map(|u| u.figures.len()).sum();
    let bao_an = rows
        .iter()
        .find(|r| r[0] == "dvc_thiet_yeu.rows[3].total" && r[2] == "Phường Bảo An")
        .expect("Bảo An's figure");
    assert_eq!(bao_an[3], "94");
    assert_eq!(bao_an[4..7], ["BC DA06 T7-2024 - Bao An.xlsx", "DVC thiết yếu", "E9"]);
    assert!(bao_an[1].contains("Đăng ký thường trú"), "{}", bao_an[1]);
    // The consolidated figures follow the unit figures.
    let start = rows.iter().position(|r| r[0] == "SỐ LIỆU TỔNG HỢP").unwrap();
    assert_eq!(start, figures + 3, "header, figures, two blank rows");
    let total = rows.iter().skip(start).find(|r| r[0] == "dvc_thiet_yeu.total.total").unwrap();
    assert_eq!(total[3], "8725");
    let none = rows.iter().skip(start).find(|r| r[0] == "dvc_thiet_yeu.rows[1].ratio_pct").unwrap();
    assert_eq!(none[3], "-");
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let cfg = config();
    let run = july_run(&cfg);
    let a = xlsx_bytes(&cfg, &run).unwrap();
    let b = xlsx_bytes(&cfg, &run).unwrap();
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

#[test]
fn the_appendix_prints_on_a4_landscape_in_times_new_roman() {
    let mut cfg = config();
    let run = july_run(&cfg);
    // Two tables: each on a page of its own, scaled to the page width.
    let bytes = xlsx_bytes(&cfg, &run).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"paperSize="9""#) && sheet.contains(r#"orientation="landscape""#), "{sheet}");
    assert!(sheet.contains("<rowBreaks"), "each table starts a page");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<name val="Times New Roman"/>"#));
    assert!(!styles.contains("Calibri"), "every font is Times New Roman");
    assert!(styles.contains(r#"formatCode="0.00%""#) && styles.contains(r##"formatCode="#,##0""##));
    assert!(part(&bytes, "docProps/core.xml").contains("2024-07-12T00:00:00Z"));
    // One table: fit to one page wide, header rows repeated on every page.
    for t in cfg.tables.iter_mut().skip(1) {
        t.appendix = false;
    }
    let bytes = xlsx_bytes(&cfg, &run).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    assert!(sheet.contains(r#"fitToHeight="0""#));
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("'Phụ lục'!$5:$6"), "{workbook}");
}
