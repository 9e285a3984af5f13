//! Completeness as a fact of the report (issue 14, items 1 and 7), on July
//! inboxes whose package XML is edited: a column the reader cannot match, a
//! labelled row or a list item deleted, a ward without a table its group must
//! report — the unit is "thiếu số liệu" with an error naming the sheet and the
//! labels, the totals lacking it say so, the summary and the DOCX say so and
//! the report is a draft. A row left blank is not missing. A value cell merged
//! over two rows is counted once, with a warning naming the range.

mod common;

use common::month::{self, Later};
use common::{check_json, finding, total, unit};
use regex::Regex;
use serde_json::Value;
use std::path::Path;

const BAO_AN: &str = "BC DA06 T7-2024 - Bao An.xlsx";
/// Bảo An's "DVC thiết yếu" and "Số hóa" sheets.
const DVC: &str = "xl/worksheets/sheet1.xml";
const SO_HOA: &str = "xl/worksheets/sheet3.xml";

/// The July inbox with one part of Bảo An's workbook edited by `edit`.
fn bao_an_with(part: &'static str, edit: fn(String) -> String) -> tempfile::TempDir {
    let f = move |file: &str, p: &str, xml: String| if file == BAO_AN && p == part { edit(xml) } else { xml };
    month::inbox(Later { months: 0, factor: 1.0, edit: Some(&f) })
}

/// The whole `<row r="N">…</row>` removed.
fn without_row(xml: &str, row: u32) -> String {
    let re = Regex::new(&format!(r#"<row r="{row}"[^>]*>.*?</row>"#)).unwrap();
    assert!(re.is_match(xml), "row {row}");
    re.replace(xml, "").into_owned()
}

fn errors_of<'a>(run: &'a Value, unit_name: &str) -> Vec<&'a Value> {
    run["findings"].as_array().unwrap().iter().filter(|f| f["unit"] == unit_name && f["severity"] == "error").collect()
}

fn july(id: &str) -> f64 {
    common::expected()["consolidated"][id].as_f64().unwrap()
}

fn bao_an_july(id: &str) -> f64 {
    common::expected()["units"]["Phường Bảo An"]["figures"][id].as_f64().unwrap()
}

/// The unit is "thiếu số liệu" in the JSON, the summary and the DOCX, and the report a draft.
fn assert_incomplete_everywhere(inbox: &Path, missing_ids: &[&str], says: &[&str]) -> Value {
    let (code, run) = check_json(inbox);
    assert_eq!(code, 1, "an error, not a clean run");
    let u = unit(&run, "Phường Bảo An");
    assert_eq!(u["status"], "incomplete");
    let missing: Vec<&str> = u["missing"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    for id in missing_ids {
        assert!(missing.contains(id), "{id} not in {missing:?}");
        // The consolidated figure names the unit it lacks, and is the other units' sum.
        let t = &run["totals"][id];
        assert_eq!(t["incomplete"], serde_json::json!(["Phường Bảo An"]), "{id}: {t:#}");
        if let Some(before) = common::expected()["consolidated"][id].as_f64() {
            assert_eq!(total(&run, id), before - bao_an_july(id), "{id}");
        }
    }
    let errors = errors_of(&run, "Phường Bảo An");
    assert!(!errors.is_empty());
    let text = errors.iter().map(|f| f["message"].as_str().unwrap()).collect::<Vec<_>>().join("\n");
    for s in says {
        assert!(text.contains(s), "{s:?} not in {text}");
    }
    // Every other unit is complete and untouched.
    for other in run["units"].as_array().unwrap().iter().filter(|u| u["name"] != "Phường Bảo An") {
        assert_eq!(other["status"], "counted", "{}", other["name"]);
    }

    let out = common::baocao("check", inbox, &[]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Tóm tắt: 19/20 đơn vị đã tổng hợp."), "{summary}");
    assert!(
        summary.contains("15/16 phường, xã, 4/4 phòng, ban, đơn vị thành phố đủ số liệu; thiếu: Phường Bảo An."),
        "{summary}"
    );
    assert!(summary.contains("  - Phường Bảo An: thiếu số liệu ("), "{summary}");

    let dir = tempfile::tempdir().unwrap();
    let res = common::baocao("convert", inbox, &["--out", dir.path().to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(1), "{}", String::from_utf8_lossy(&res.stderr));
    let docx = month::docx_text(&dir.path().join("bao-cao-2024-07.docx"));
    assert!(docx.contains("BẢN NHÁP"), "a draft");
    assert!(docx.contains("Số liệu tổng hợp đủ từ 15/16 phường, xã và 4/4 phòng, ban, đơn vị thành phố; thiếu số liệu: Phường Bảo An ("), "{docx}");
    run
}

#[test]
fn a_column_header_the_reader_cannot_match_makes_the_unit_incomplete() {
    // The online column's header, said in words no configured column has.
    let inbox = bao_an_with(DVC, |xml| {
        let re = Regex::new(r#"<c r="F6"([^>]*) t="s"><v>\d+</v></c>"#).unwrap();
        assert!(re.is_match(&xml));
        re.replace(&xml, r#"<c r="F6"$1 t="inlineStr"><is><t>Nhận qua mạng</t></is></c>"#).into_owned()
    });
    let run = assert_incomplete_everywhere(
        inbox.path(),
        &["dvc_thiet_yeu.rows[3].online", "dvc_thiet_yeu.rows[15].online"],
        &["Trang tính \"DVC thiết yếu\"", "không có cột \"Tiếp nhận hồ sơ trực tuyến\"", "thiếu số liệu"],
    );
    // The other column of the same table is read.
    assert_eq!(total(&run, "dvc_thiet_yeu.rows[3].total"), july("dvc_thiet_yeu.rows[3].total"));
    assert_eq!(finding(&run, "missing_column")["location"]["sheet"], "DVC thiết yếu");
}

#[test]
fn a_deleted_labelled_row_of_the_official_form_makes_the_unit_incomplete() {
    // "3. Đăng ký thường trú" (E9 = 94) deleted; the other rows keep their STT.
    let inbox = bao_an_with(DVC, |xml| without_row(&xml, 9));
    assert_incomplete_everywhere(
        inbox.path(),
        &["dvc_thiet_yeu.rows[3].total", "dvc_thiet_yeu.rows[3].online"],
        &["Trang tính \"DVC thiết yếu\"", "không có dòng “3. Đăng ký thường trú”", "không xóa dòng"],
    );
}

#[test]
fn a_deleted_list_item_makes_the_unit_incomplete() {
    let inbox = bao_an_with(SO_HOA, |xml| without_row(&xml, 9));
    let run = assert_incomplete_everywhere(
        inbox.path(),
        &["so_hoa.da_so_hoa"],
        &["Trang tính \"Số hóa\" không có dòng \"Số hồ sơ, kết quả đã số hóa\"", "thiếu số liệu"],
    );
    assert_eq!(finding(&run, "missing_item")["severity"], "error");
    // The group sum lacks it too, and is the other wards' sum.
    let id = "so_hoa.phuong_xa.da_so_hoa";
    assert_eq!(run["totals"][id]["incomplete"], serde_json::json!(["Phường Bảo An"]));
    assert_eq!(total(&run, id), july(id) - bao_an_july("so_hoa.da_so_hoa"));
}

#[test]
fn a_ward_without_a_table_its_group_reports_is_incomplete() {
    // The "Số hóa" sheet dropped from the workbook (every ward must report it).
    let inbox = bao_an_with("xl/workbook.xml", |xml| {
        let re = Regex::new(r#"<sheet name="Số hóa"[^>]*/>"#).unwrap();
        assert!(re.is_match(&xml));
        re.replace(&xml, "").into_owned()
    });
    let run = assert_incomplete_everywhere(
        inbox.path(),
        &["so_hoa.tong_ho_so", "so_hoa.da_so_hoa"],
        &["Tệp không có trang \"Số hóa\"", "mọi phường, xã phải báo cáo"],
    );
    assert_eq!(finding(&run, "missing_sheet")["location"]["file"], BAO_AN);
}

#[test]
fn a_row_left_blank_is_not_missing() {
    // "3. Đăng ký thường trú" kept, its figures cleared: the unit has nothing to report there.
    let inbox = bao_an_with(DVC, |xml| {
        let re = Regex::new(r#"<c r="([EF]9)"([^>]*)><v>[^<]*</v></c>"#).unwrap();
        assert_eq!(re.find_iter(&xml).count(), 2);
        re.replace_all(&xml, r#"<c r="$1"$2/>"#).into_owned()
    });
    let (_, run) = check_json(inbox.path());
    assert_eq!(unit(&run, "Phường Bảo An")["status"], "counted");
    assert!(errors_of(&run, "Phường Bảo An").is_empty(), "{:#}", run["findings"]);
    let id = "dvc_thiet_yeu.rows[3].total";
    assert_eq!(total(&run, id), july(id) - 94.0, "the figure is not there: the sum lacks it, rightly");
    assert!(run["totals"][id].get("incomplete").is_none());
}

#[test]
fn a_value_cell_merged_over_two_rows_is_counted_once_with_a_warning() {
    // E12 (270, "6. Thông báo lưu trú") merged with the blank E13 below it.
    let inbox = bao_an_with(DVC, |xml| {
        let xml = xml.replace(r#"<c r="E13" s="9"/>"#, "");
        xml.replace("<mergeCells count=\"14\">", "<mergeCells count=\"15\"><mergeCell ref=\"E12:E13\"/>")
    });
    let (code, run) = check_json(inbox.path());
    assert_eq!(code, 0, "a warning, not an error");
    let f = finding(&run, "merged_value");
    let at = &f["location"];
    assert_eq!(
        (f["severity"].as_str(), at["sheet"].as_str(), at["cell"].as_str()),
        (Some("warning"), Some("DVC thiết yếu"), Some("E12:E13"))
    );
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("Ô E12:E13 được gộp qua 2 dòng") && msg.contains("6. Thông báo lưu trú"), "{msg}");
    for id in ["dvc_thiet_yeu.rows[6].total", "dvc_thiet_yeu.rows[7].total", "dvc_thiet_yeu.total.total"] {
        assert_eq!(total(&run, id), july(id), "{id}: counted once, under E12");
    }
    assert_eq!(unit(&run, "Phường Bảo An")["status"], "counted");
}
