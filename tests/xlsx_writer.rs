//! The XLSX writer on the July 2024 figures: the workbook is read back with
//! calamine and every appendix cell, formula, finding and source is checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use baocao::config::Config;
use baocao::model::{Figure, Finding, FindingKind, Location, Report, Severity};
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
    assert_eq!(
        names,
        ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn", "Số liệu tổng hợp", "Dữ liệu so sánh"]
    );
    let sheet = book.xlsx.worksheet_range("Phụ lục I").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục I").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));

    // Decree 30 (III.1.a-b): the word "Phụ lục" and its number on a line of their own, above the title.
    assert_eq!(text(cell(0, 0)), "Phụ lục I");
    assert_eq!(text(cell(1, 0)), "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06");
    assert_eq!(text(cell(2, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    // Worded as in the DOCX's appendix (tests/docx_writer.rs): one rule for both.
    assert_eq!(
        text(cell(3, 0)),
        "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác Đề án 06 thành phố)"
    );
    assert_eq!(text(cell(4, 4)), "Đơn vị tính: hồ sơ");
    let header: Vec<String> = (0..7).map(|c| text(cell(5, c))).collect();
    assert_eq!(
        header,
        ["STT", "Dịch vụ công trực tuyến", "Kết nối Cổng DVC quốc gia", "Đơn vị thực hiện", "Tổng số hồ sơ", "", ""]
    );
    let sub: Vec<String> = (4..7).map(|c| text(cell(6, c))).collect();
    assert_eq!(sub, ["Tổng số hồ sơ", "Tiếp nhận hồ sơ trực tuyến", "Tỷ lệ %"]);

    let exp = expected();
    let consolidated = &exp["consolidated"];
    let table = &cfg.tables[0];
    assert_eq!(table.rows.len(), 15);
    for (i, row) in table.rows.iter().enumerate() {
        let r = 7 + i as u32;
        let excel_row = r + 1;
        assert_eq!(num(cell(r, 0)), row.stt as f64);
        assert_eq!(text(cell(r, 1)), row.label);
        assert_eq!(text(cell(r, 2)), "Đã kết nối");
        assert_eq!(text(cell(r, 3)), row.info["Đơn vị thực hiện"]);
        let id = |col: &str| format!("dvc_thiet_yeu.rows[{}].{col}", row.stt);
        let (total, online) =
            (consolidated[id("total")].as_f64().unwrap(), consolidated[id("online")].as_f64().unwrap());
        assert_eq!(num(cell(r, 4)), total, "row {}", row.stt);
        assert_eq!(num(cell(r, 5)), online, "row {}", row.stt);
        // The figures are formulas over the breakdown's total block (row: title, period, two header rows first).
        for (c, block_col) in [(4, 2 + 2 * cfg.units.len() as u32), (5, 3 + 2 * cfg.units.len() as u32)] {
            let want = format!("'Chi tiết đơn vị'!{}{}", baocao::text::col_name(block_col), 5 + i);
            assert_eq!(formulas.get_value((r, c)).unwrap(), &want, "row {}", row.stt);
        }
        // The ratio cached at full precision; the engine's percentage is it rounded.
        match consolidated[id("ratio_pct")].as_f64() {
            Some(pct) => {
                assert_eq!(num(cell(r, 6)), online / total, "row {}", row.stt);
                assert!((num(cell(r, 6)) * 100.0 - pct).abs() <= 0.005 + 1e-9, "row {}", row.stt);
            }
            None => assert_eq!(text(cell(r, 6)), "-", "row {}", row.stt),
        }
        assert_eq!(formulas.get_value((r, 6)).unwrap(), &format!("IF(E{excel_row}=0,\"-\",F{excel_row}/E{excel_row})"));
    }
    // The "Tổng" row.
    assert_eq!(text(cell(22, 0)), "Tổng");
    assert_eq!(num(cell(22, 4)), 8725.0);
    assert_eq!(num(cell(22, 5)), 8685.0);
    let ratio = num(cell(22, 6));
    assert_eq!(ratio, 8685.0 / 8725.0, "at full precision");
    assert_eq!(format!("{:.2}%", ratio * 100.0).replace('.', ","), "99,54%");
    assert_eq!(formulas.get_value((22, 4)).unwrap(), "SUM(E8:E22)");
    assert_eq!(formulas.get_value((22, 5)).unwrap(), "SUM(F8:F22)");
    assert_eq!(formulas.get_value((22, 6)).unwrap(), "IF(E23=0,\"-\",F23/E23)");

    // Nothing of the second table on the first table's sheet.
    assert!(sheet.end().unwrap().0 <= 22, "the Tổng row ends the sheet: {:?}", sheet.end());

    // The merged header and title regions.
    let merges = book.xlsx.merge_cells_by_sheet_name("Phụ lục I").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(0, 0, 0, 6), "label merged across");
    assert!(has(1, 0, 1, 6), "title merged across");
    assert!(has(5, 0, 6, 0) && has(5, 1, 6, 1) && has(5, 2, 6, 2) && has(5, 3, 6, 3));
    assert!(has(5, 4, 5, 6), "group header over the figure columns");

    // The second table, with its group heading, on its own sheet with its own heading lines.
    let sheet = book.xlsx.worksheet_range("Phụ lục II").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục II").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c));
    assert_eq!(text(cell(0, 0)), "Phụ lục II");
    assert_eq!(text(cell(1, 0)), "KẾT QUẢ TRIỂN KHAI DVC THEO QUYẾT ĐỊNH 422/QĐ-TTg ngày 04/04/2022");
    assert_eq!(text(cell(2, 0)), "(Từ ngày 05/6/2024 đến ngày 05/7/2024)");
    // Worded as in the DOCX's appendix (tests/docx_writer.rs): one rule for both.
    assert_eq!(
        text(cell(3, 0)),
        "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác Đề án 06 thành phố)"
    );
    assert_eq!(text(cell(4, 4)), "Đơn vị tính: hồ sơ");
    let header: Vec<String> = (0..7).map(|c| text(cell(5, c))).collect();
    assert_eq!(
        header,
        ["STT", "Dịch vụ công trực tuyến", "Kết nối Cổng DVC quốc gia", "Đơn vị thực hiện", "Tổng số hồ sơ", "", ""]
    );
    let sub: Vec<String> = (4..7).map(|c| text(cell(6, c))).collect();
    assert_eq!(sub, ["Tổng số hồ sơ", "Tiếp nhận hồ sơ trực tuyến", "Tỷ lệ %"]);
    assert_eq!(text(cell(7, 0)), "I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN");
    assert_eq!(num(cell(8, 0)), 1.0);
    assert_eq!(text(cell(8, 1)), "Xác nhận thông tin về cư trú");
    assert_eq!(text(cell(8, 2)), "Đã kết nối");
    assert_eq!(text(cell(8, 3)), "Công an");
    assert_eq!(num(cell(8, 4)), 193.0);
    assert_eq!(num(cell(8, 5)), 193.0);
    assert_eq!(num(cell(8, 6)), 1.0);
    assert_eq!(formulas.get_value((8, 6)).unwrap(), "IF(E9=0,\"-\",F9/E9)");
    // A one-row table has no "Tổng" row, as in the seed and in the DOCX's appendix: its row ends the sheet.
    assert_eq!(sheet.end().unwrap().0, 8, "{:?}", sheet.end());
    assert!(sheet.used_cells().all(|(_, _, c)| *c != calamine::Data::String("Tổng".into())));
    let merges = book.xlsx.merge_cells_by_sheet_name("Phụ lục II").unwrap();
    let has = |r0: u32, c0: u32, r1: u32, c1: u32| merges.iter().any(|d| d.start == (r0, c0) && d.end == (r1, c1));
    assert!(has(0, 0, 0, 6), "label merged across");
    assert!(has(1, 0, 1, 6), "title merged across");
    assert!(has(5, 0, 6, 0) && has(5, 1, 6, 1) && has(5, 2, 6, 2) && has(5, 3, 6, 3));
    assert!(has(5, 4, 5, 6), "group header over the figure columns");
    assert!(has(7, 0, 7, 6), "group heading row merged across");
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
    assert_eq!(num(cell(19, total_col + 2)), 8685.0 / 8725.0, "at full precision");
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

/// The "files" entry of the expected JSON for one workbook.
fn expected_file<'a>(exp: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    exp["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap_or_else(|| panic!("no entry for {file}"))
}

/// The rows of a sheet, each cell as text.
fn rows_of(book: &mut Book, name: &str) -> Vec<Vec<String>> {
    let sheet = book.xlsx.worksheet_range(name).unwrap();
    sheet.rows().map(|r| r.iter().map(|d| text(Some(d))).collect()).collect()
}

/// The header of "Nguồn": the id last, for machines.
const SOURCES_HEADER: [&str; 8] = ["STT", "Đơn vị", "Số liệu", "Giá trị", "Tệp", "Trang tính", "Ô", "Mã số liệu"];

#[test]
fn the_sources_sheet_lists_every_unit_figure_with_its_label_and_cell() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Nguồn").unwrap();
    let rows = rows_of(&mut book, "Nguồn");
    assert_eq!(rows[0], SOURCES_HEADER);
    // One row per unit figure, as `check --json` counts them (478 in July), in unit order.
    let figures: Vec<(&str, &Figure)> =
        run.counted_units().flat_map(|u| u.figures.iter().map(move |f| (u.name.as_str(), f))).collect();
    let (_, json) = common::check_json(&common::root().join("samples/inbox-2024-07"));
    let json_count: usize =
        json["units"].as_array().unwrap().iter().map(|u| u["figures"].as_array().unwrap().len()).sum();
    assert_eq!(figures.len(), json_count);
    assert_eq!(rows.len(), 1 + figures.len(), "a header and one row per unit figure");
    let exp = expected();
    for (i, (unit, f)) in figures.iter().enumerate() {
        let r = 1 + i;
        let row = &rows[r];
        assert_eq!(num(sheet.get_value((r as u32, 0))), r as f64, "STT");
        assert_eq!(row[1], *unit);
        let label = &run.total(run.totals.find(&f.id).unwrap()).label;
        assert_eq!(row[2], *label, "the label, never the id");
        assert_eq!(num(sheet.get_value((r as u32, 3))), f.value, "{unit} {}", f.id);
        assert_eq!(row[4], *f.source.file);
        // Where the expected figures say the unit typed it.
        let at = expected_file(&exp, &f.source.file)["cells"][&*f.id].as_array().unwrap();
        assert_eq!(
            (row[5].as_str(), row[6].as_str()),
            (at[0].as_str().unwrap(), at[1].as_str().unwrap()),
            "{unit} {}",
            f.id
        );
        assert_eq!(row[7], *f.id);
    }
    let bao_an = rows.iter().find(|r| r[1] == "Phường Bảo An" && r[7] == "dvc_thiet_yeu.rows[3].total").unwrap();
    assert_eq!(
        bao_an[2..7],
        [
            "DVC thiết yếu › 3. Đăng ký thường trú › Tổng số hồ sơ",
            "94",
            "BC DA06 T7-2024 - Bao An.xlsx",
            "DVC thiết yếu",
            "E9"
        ]
    );
}

#[test]
fn the_consolidated_figures_have_a_sheet_of_their_own_with_labels() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let rows = rows_of(&mut book, "Số liệu tổng hợp");
    assert_eq!(rows[0], ["STT", "Số liệu", "Số đơn vị cộng vào", "Giá trị", "Tính đến ngày", "Mã số liệu"]);
    assert_eq!(rows.len(), 1 + run.totals.len(), "every consolidated figure");
    let by_id = |id: &str| rows.iter().find(|r| r[5] == id).unwrap_or_else(|| panic!("no row for {id}"));
    let total = by_id("dvc_thiet_yeu.total.total");
    assert_eq!(total[3], "8725");
    assert_eq!(total[1], run.total(run.totals.find("dvc_thiet_yeu.total.total").unwrap()).label);
    assert_eq!(by_id("dvc_thiet_yeu.rows[1].ratio_pct")[3], "-");
    // A cumulative figure with the date its workbook counts it to; a figure of the period without.
    assert_eq!(by_id("csdlqg.hoi_nong_dan")[4], "07/5/2024");
    assert_eq!(total[4], "");
    // Bảo An, Đài Sơn, ...: each unit giving row 3 adds to it.
    let row3 = by_id("dvc_thiet_yeu.rows[3].total");
    assert_eq!(row3[2], run.total(run.totals.find("dvc_thiet_yeu.rows[3].total").unwrap()).sources.len().to_string());
}

/// Whether a text is, or holds, a figure id of the run.
fn holds_an_id(text: &str, ids: &BTreeSet<String>) -> bool {
    text.split(|c: char| c.is_whitespace() || "\"“”;:,()".contains(c)).any(|word| ids.contains(word))
}

/// Asserts no cell of the workbook's sheets a person reads holds one of `ids`, outside
/// the "Mã số liệu" columns (the hidden "Dữ liệu so sánh" is for machines); returns
/// how many ids the "Mã số liệu" columns hold.
fn assert_no_id_outside_the_id_columns(book: &mut Book, ids: &BTreeSet<String>) -> usize {
    let mut seen_ids = 0;
    for name in book.xlsx.sheet_names() {
        if name == "Dữ liệu so sánh" {
            continue;
        }
        let rows = rows_of(book, &name);
        let id_col = rows.first().and_then(|h| h.iter().position(|c| c == "Mã số liệu"));
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if Some(c) == id_col && r > 0 {
                    seen_ids += usize::from(ids.contains(cell));
                    continue;
                }
                assert!(!holds_an_id(cell, ids), "{name} row {} column {}: {cell}", r + 1, c + 1);
            }
        }
    }
    seen_ids
}

#[test]
fn no_cell_a_person_reads_shows_a_figure_id() {
    // The July run as `convert` writes it, findings and all.
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--out", out.path().to_str().unwrap()];
    args.extend_from_slice(&common::JULY_SIGNING);
    let res = common::baocao("convert", &common::root().join("samples/inbox-2024-07"), &args);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let (_, json) = common::check_json(&common::root().join("samples/inbox-2024-07"));
    let ids: BTreeSet<String> = json["totals"].as_object().unwrap().keys().cloned().collect();
    let mut book = Book {
        xlsx: open_workbook(out.path().join("phu-luc-2024-07.xlsx")).unwrap(),
        _dir: tempfile::tempdir().unwrap(),
    };
    let figures: usize = json["units"].as_array().unwrap().iter().map(|u| u["figures"].as_array().unwrap().len()).sum();
    let on_lists = assert_no_id_outside_the_id_columns(&mut book, &ids);
    assert_eq!(on_lists, figures + ids.len(), "each unit figure on Nguồn, each consolidated one on its sheet");
    // The check of Công an thành phố's parts (its "Làm sạch dữ liệu" sheet) names them by their labels.
    let checks = rows_of(&mut book, "Kiểm tra");
    let mismatch =
        checks.iter().find(|r| r[2] == "Công an thành phố" && r[9].contains("Làm sạch dữ liệu!D14")).unwrap();
    assert!(mismatch[9].starts_with("Làm sạch dữ liệu!D14: \"Không có CMND 9 số\" → 2"), "{}", mismatch[9]);

    // A figure the config does not name: its label says so, its id stays in "Mã số liệu".
    let cfg = config();
    let mut run = july_run(&cfg);
    let file = run.units[1].files[0].clone();
    run.units[1].figures.push(Figure {
        id: "ngoai_cau_hinh".into(),
        value: 7.5,
        source: Location::cell(&file, "Khác", "B2"),
    });
    let mut ids: BTreeSet<String> = run.totals.by_id().map(|t| t.id.to_string()).collect();
    ids.insert("ngoai_cau_hinh".into());
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    assert!(assert_no_id_outside_the_id_columns(&mut book, &ids) > 0);
    let rows = rows_of(&mut book, "Nguồn");
    let other = rows.iter().find(|r| r[7] == "ngoai_cau_hinh").unwrap();
    assert_eq!(other[2..7], ["Số liệu khác (không có trong cấu hình)", "7.5", file.as_str(), "Khác", "B2"]);
}

#[test]
fn every_unit_figure_of_an_appendix_table_is_on_the_breakdown() {
    let cfg = config();
    let run = july_run(&cfg);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let breakdown = book.xlsx.worksheet_range("Chi tiết đơn vị").unwrap();
    let mut on_breakdown = 0usize;
    for (u, unit) in run.units.iter().enumerate() {
        for f in &unit.figures {
            // A row of an appendix table: the unit's block on "Chi tiết đơn vị", under the table's title.
            let Some((t, stt, i)) = cfg
                .tables
                .iter()
                .filter(|t| t.appendix)
                .flat_map(|t| {
                    t.rows.iter().flat_map(move |r| t.columns.iter().enumerate().map(move |(i, c)| (t, r.stt, i, c)))
                })
                .find(|(t, stt, _, c)| *baocao::model::id::table_row(&t.id, *stt, &c.id) == *f.id)
                .map(|(t, stt, i, _)| (t, stt, i))
            else {
                continue;
            };
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
fn a_unit_with_figures_from_two_files_names_each_figures_file() {
    let cfg = config();
    let mut run = july_run(&cfg);
    // Bảo An sent its lists in a second workbook.
    let extra = "Bao An - bổ sung.xlsx";
    run.units[0].files.push(extra.into());
    for f in run.units[0].figures.iter_mut().filter(|f| !f.id.starts_with("dvc_")) {
        f.source.file = extra.into();
    }
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let rows = rows_of(&mut book, "Nguồn");
    let bao_an: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "Phường Bảo An").collect();
    assert_eq!(bao_an.len(), run.units[0].figures.len());
    for (row, f) in bao_an.iter().zip(&run.units[0].figures) {
        assert_eq!(row[7], *f.id);
        assert_eq!(row[4], *f.source.file, "{}", f.id);
    }
    let so_hoa = bao_an.iter().find(|r| r[7] == "so_hoa.tong_ho_so").unwrap();
    assert_eq!(so_hoa[3..7], ["495", extra, "Số hóa", "C8"]);
    let dvc = bao_an.iter().find(|r| r[7] == "dvc_thiet_yeu.rows[3].total").unwrap();
    assert_eq!(dvc[4..7], ["BC DA06 T7-2024 - Bao An.xlsx", "DVC thiết yếu", "E9"]);
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
    assert_a4_landscape_fit(name, sheet, "0");
}

/// [`assert_a4_landscape_fit_to_width`], `tall` pages tall ("0": as many as it needs).
fn assert_a4_landscape_fit(name: &str, sheet: &str, tall: &str) {
    let setup = attributes(sheet, "pageSetup");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{name}: A4 {setup:?}");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{name}: {setup:?}");
    // fitToWidth defaults to 1 in OOXML (ECMA-376 §18.3.1.64), so rust_xlsxwriter leaves it out.
    assert_eq!(setup.get("fitToWidth").map_or("1", String::as_str), "1", "{name}: one page wide {setup:?}");
    // fitToHeight defaults to 1 as well.
    assert_eq!(setup.get("fitToHeight").map_or("1", String::as_str), tall, "{name}: pages tall {setup:?}");
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
    assert_eq!(
        names,
        ["Phụ lục I", "Phụ lục II", "Chi tiết đơn vị", "Kiểm tra", "Nguồn", "Số liệu tổng hợp", "Dữ liệu so sánh"]
    );
    let workbook = part(&bytes, "xl/workbook.xml");
    let hidden: Vec<&str> = workbook
        .split("<sheet ")
        .skip(1)
        .filter(|s| s.contains(r#"state="hidden""#))
        .map(|s| s.split('"').nth(1).unwrap())
        .collect();
    assert_eq!(hidden, ["Dữ liệu so sánh"], "only the figures sheet is hidden: {workbook}");
    // Each appendix sheet repeats its own two header rows (rows 6 and 7, under the label, title,
    // period, attached line and unit) and fits one page wide.
    for (i, (name, path)) in sheets.iter().enumerate().take(2) {
        let sheet = part(&bytes, path);
        // Phụ lục I (15 rows, some of two or three lines) is a little taller than a page: shrunk
        // to one page tall, it no longer leaves rows 14-15 and the total on a page of their own
        // (issue 16, item 2). Phụ lục II fits as it is.
        assert_a4_landscape_fit(name, &sheet, if i == 0 { "1" } else { "0" });
        assert_eq!(print_titles(&workbook, i).as_deref(), Some(format!("'{name}'!$6:$7").as_str()), "{workbook}");
        // Decree 30 page numbers (I.7, III.1.đ): the number alone, centred in the top margin,
        // 14 pt upright (as the DOCX), each appendix numbered from 1.
        assert!(
            sheet.contains(r#"<oddHeader>&amp;C&amp;"Times New Roman,Regular"&amp;14&amp;P</oddHeader>"#),
            "{name}"
        );
        assert!(!sheet.contains("<oddFooter>"), "{name}: no second page number at the foot");
        assert!(sheet.contains(r#"<headerFooter differentFirst="1">"#), "{name}: no number on the first page");
        assert!(!sheet.contains("<firstHeader>"), "{name}: nothing on the first page's header");
        let setup = attributes(&sheet, "pageSetup");
        // firstPageNumber defaults to 1 (ECMA-376 §18.3.1.63); useFirstPageNumber makes it count.
        assert_eq!(setup.get("firstPageNumber").map_or("1", String::as_str), "1", "{name}: {setup:?}");
        assert_eq!(setup.get("useFirstPageNumber").map(String::as_str), Some("1"), "{name}: {setup:?}");
    }
    // Kiểm tra: landscape, its header row repeated, one page wide.
    let (name, path) = &sheets[3];
    assert_a4_landscape_fit_to_width(name, &part(&bytes, path));
    assert_eq!(print_titles(&workbook, 3).as_deref(), Some("'Kiểm tra'!$1:$1"), "{workbook}");
    // Nguồn and Số liệu tổng hợp: long lists on A4 landscape, one page wide, the header row repeated
    // on each page and frozen on screen, the filter over every row.
    let figures: usize = run.counted_units().map(|u| u.figures.len()).sum();
    for (i, rows, last) in [(4, 1 + figures, 'H'), (5, 1 + run.totals.len(), 'F')] {
        let (name, path) = &sheets[i];
        let sheet = part(&bytes, path);
        assert_a4_landscape_fit_to_width(name, &sheet);
        let quoted = if name.contains(' ') { format!("'{name}'") } else { name.clone() };
        assert_eq!(print_titles(&workbook, i).as_deref(), Some(format!("{quoted}!$1:$1").as_str()), "{workbook}");
        let pane = attributes(&sheet, "pane");
        let pane: Vec<&str> = ["ySplit", "topLeftCell", "state"].iter().map(|k| pane[*k].as_str()).collect();
        assert_eq!(pane, ["1", "A2", "frozen"], "{name}");
        assert_eq!(attributes(&sheet, "autoFilter")["ref"], format!("A1:{last}{rows}"), "{name}");
    }
    // Chi tiết đơn vị: landscape A4, the STT and label columns repeated as the unit
    // blocks run across pages, each table on a page of its own.
    let breakdown = part(&bytes, &sheets[2].1);
    let setup = attributes(&breakdown, "pageSetup");
    assert_eq!(setup.get("paperSize").map(String::as_str), Some("9"), "{setup:?}");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"), "{setup:?}");
    assert_eq!(print_titles(&workbook, 2).as_deref(), Some("'Chi tiết đơn vị'!$A:$B"), "{workbook}");
    // A table's pages across its unit blocks first, then the next table's.
    assert_eq!(setup.get("pageOrder").map(String::as_str), Some("overThenDown"), "{setup:?}");
    // Each working sheet numbers its own pages under its name (the appendix's number theirs).
    for (name, path) in &sheets[2..6] {
        let sheet = part(&bytes, path);
        assert!(
            sheet.contains("<oddFooter>&amp;C&amp;\"Times New Roman\"&amp;10&amp;A - trang &amp;P</oddFooter>"),
            "{name}"
        );
        assert_eq!(attributes(&sheet, "pageSetup").get("useFirstPageNumber").map(String::as_str), Some("1"), "{name}");
    }
    assert!(breakdown.contains("<rowBreaks"), "each breakdown table starts a page");
    // Each unit's two columns on one page: the pages break between unit blocks (C:D, E:F, ...),
    // never inside one, and no page holds more blocks than its width allows.
    let col_breaks = &breakdown[breakdown.find("<colBreaks").expect("vertical page breaks")..];
    let col_breaks = &col_breaks[..col_breaks.find("</colBreaks>").unwrap()];
    let ids: Vec<u32> =
        col_breaks.split("<brk id=\"").skip(1).map(|b| b.split('"').next().unwrap().parse().unwrap()).collect();
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| *id >= 2 && (id - 2) % 2 == 0), "between unit blocks: {ids:?}");
    let total_block = 2 + 2 * cfg.units.len() as u32;
    assert!(ids.iter().all(|id| *id <= total_block), "{ids:?}");
    let widest_page = ids.windows(2).map(|w| w[1] - w[0]).chain([ids[0] - 2]).max().unwrap();
    assert!((2..=14).contains(&widest_page), "a page holds whole blocks, a few of them: {ids:?}");

    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<name val="Times New Roman"/>"#));
    assert!(!styles.contains("Calibri"), "every font is Times New Roman");
    // Number formats carry the Vietnamese locale ([$-42A]): 1.156 and 87,76% in any client's locale.
    assert!(styles.contains(r#"formatCode="[$-42A]0.00%""#) && styles.contains(r##"formatCode="[$-42A]#,##0""##));
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
    assert_a4_landscape_fit("Phụ lục", &part(&bytes, &sheets[0].1), "1");
    let workbook = part(&bytes, "xl/workbook.xml");
    assert_eq!(print_titles(&workbook, 0).as_deref(), Some("'Phụ lục'!$6:$7"), "{workbook}");
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

#[test]
fn an_appendix_figure_the_breakdown_cannot_give_stays_a_number() {
    let cfg = config();
    let mut run = july_run(&cfg);
    // Bảo An gives row 3's total twice: the consolidation adds both, its block on the
    // breakdown shows one, so a formula over the breakdown would recalculate to less.
    let id = "dvc_thiet_yeu.rows[3].total";
    let twice = run.units[0].figures.iter().find(|f| &*f.id == id).unwrap().clone();
    run.units[0].figures.push(twice.clone());
    let at = run.totals.find(id).unwrap();
    let total = run.totals.get(at).value.unwrap() + twice.value;
    run.totals.get_mut(at).value = Some(total);
    let mut book = write_and_open(&xlsx_bytes(&run, &july_document()).unwrap());
    let sheet = book.xlsx.worksheet_range("Phụ lục I").unwrap();
    let formulas = book.xlsx.worksheet_formula("Phụ lục I").unwrap();
    // Row STT 3 is the third data row (row 10, index 9).
    assert_eq!(num(sheet.get_value((9, 0))), 3.0);
    assert_eq!(num(sheet.get_value((9, 4))), total);
    assert!(formulas.get_value((9, 4)).is_none_or(String::is_empty), "a number, not a formula");
    // The other figures still come from the breakdown.
    assert!(formulas.get_value((9, 5)).unwrap().starts_with("'Chi tiết đơn vị'!"));
    assert!(formulas.get_value((10, 4)).unwrap().starts_with("'Chi tiết đơn vị'!"));
}

#[test]
fn no_row_of_any_sheet_is_taller_than_a_screen() {
    let cfg = config();
    let mut run = july_run(&cfg);
    // A finding about many cells, and a unit with a long name.
    run.findings.push(Finding {
        cells: (1..=60)
            .map(|r| baocao::model::CellNote {
                sheet: "DVC thiết yếu".into(),
                cell: format!("E{r}"),
                text: "1.020".into(),
                value: Some(1020.0),
            })
            .collect(),
        ..Finding::new(Severity::Info, FindingKind::TextNumbersConverted, Location::file("a.xlsx"), "Có số".into())
    });
    run.units[2].name =
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố (Bộ phận tiếp nhận và trả kết quả)".into();
    let bytes = xlsx_bytes(&run, &july_document()).unwrap();
    for (name, path) in sheet_parts(&bytes) {
        let sheet = part(&bytes, &path);
        let tallest = sheet
            .split(" ht=\"")
            .skip(1)
            .map(|h| h.split('"').next().unwrap().parse::<f64>().unwrap())
            .fold(0.0, f64::max);
        // A laptop screen shows about 40 rows of 15 pt: a row stays well under half of it.
        assert!(tallest <= 150.0, "{name}: a row {tallest} pt tall");
    }
}
