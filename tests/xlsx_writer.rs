//! The XLSX writer on the July 2024 figures: the workbook is read back with
//! calamine and every appendix cell, formula, finding and source is checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baocao::config::Config;
use baocao::model::{Finding, Location, RunResult, Severity};
use baocao::writer::xlsx::xlsx_bytes;
use calamine::{Data, Reader, Xlsx, open_workbook};

mod common;

use common::{config, expected};

/// The July run as the engine should produce it, plus a finding whose text looks like
/// a formula (it must stay text).
fn july_run(cfg: &Config) -> RunResult {
    let mut run = common::july_run(cfg);
    let findings = &mut run.findings;
    // Text that looks like a formula must stay text.
    findings.push(Finding::new(
        Severity::Error,
        "missing_unit",
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
    let mut book = write_and_open(&xlsx_bytes(&cfg, &run).unwrap());
    let names = book.xlsx.sheet_names();
    // Each appendix table on a sheet of its own, numbered as Decree 30 numbers appendices.
    assert_eq!(names, ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn"]);
    let sheet = book.xlsx.worksheet_range("Phụ lục I").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục I").unwrap();
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
    assert_eq!(text(cell(2, 0)), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12/7/2024)");
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
    assert_eq!(text(cell(8, 0)), "Tổng");
    assert_eq!(num(cell(8, 4)), 193.0);
    assert_eq!(num(cell(8, 5)), 193.0);
    assert_eq!(num(cell(8, 6)), 1.0);
    assert_eq!(formulas.get_value((8, 4)).unwrap(), "SUM(E8:E8)");
    assert_eq!(formulas.get_value((8, 5)).unwrap(), "SUM(F8:F8)");
    assert_eq!(formulas.get_value((8, 6)).unwrap(), "IF(E9=0,\"-\",F9/E9)");
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
    let bytes = xlsx_bytes(&cfg, &run).unwrap();
    let sheets = sheet_parts(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn"]);
    let workbook = part(&bytes, "xl/workbook.xml");
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
    // Nguồn: likewise.
    let (name, path) = &sheets[4];
    assert_a4_landscape_fit_to_width(name, &part(&bytes, path));
    assert_eq!(print_titles(&workbook, 4).as_deref(), Some("Nguồn!$1:$1"), "{workbook}");
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
    let bytes = xlsx_bytes(&cfg, &run).unwrap();
    let sheets = sheet_parts(&bytes);
    assert_eq!(sheets[0].0, "Phụ lục");
    assert_eq!(sheets[1].0, "Chi tiết đơn vị");
    assert_a4_landscape_fit_to_width("Phụ lục", &part(&bytes, &sheets[0].1));
    let workbook = part(&bytes, "xl/workbook.xml");
    assert_eq!(print_titles(&workbook, 0).as_deref(), Some("'Phụ lục'!$5:$6"), "{workbook}");
}

#[test]
fn a_national_roll_up_spreads_the_breakdown_over_sheets_within_excels_column_limit() {
    use baocao::model::{Figure, Location, RunResult, UnitResult, UnitStatus};
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
            figures: vec![Figure {
                id: "dvc_thiet_yeu.rows[3].total".into(),
                value: 1.0,
                source: Location::cell(&format!("xa {i}.xlsx"), "DVC thiết yếu", "E9"),
            }],
        })
        .collect();
    let run = RunResult {
        period: "(Từ ngày 05/6/2024 đến ngày 05/7/2024)".into(),
        units,
        skipped: Vec::new(),
        totals: Default::default(),
        findings: Vec::new(),
    };
    let bytes = baocao::writer::xlsx::xlsx_bytes(&cfg, &run).expect("6000 units fit");
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let names = wb.sheet_names();
    assert!(
        names.contains(&"Chi tiết đơn vị".to_string()) && names.contains(&"Chi tiết đơn vị (2)".to_string()),
        "{names:?}"
    );
    let second = wb.worksheet_range("Chi tiết đơn vị (2)").unwrap();
    let has = |text: &str| second.used_cells().any(|(_, _, c)| *c == calamine::Data::String(text.into()));
    assert!(has("Xã 6000") && has("Cộng các đơn vị trong trang"));
}
