//! `baocao forms` and back (issue 15, items 1-2): the blank forms of the sample
//! config for September 2024 are each recognised by `check` as their unit's and
//! reported "chưa điền số liệu"; the same forms with a distinct number typed into
//! every open cell give back exactly those numbers, each with its cell, and no
//! finding about their layout. The forms pass openxml-audit (strict).
//!
//! Numbers are typed the way Excel stores them (tests/common/forms.rs).

mod common;

use assert_cmd::Command;
use baocao::config::Config;
use common::forms::{PERIOD, baocao_with, files, fill, forms_with, round_trip};
use common::{CONFIG, check_json, root};
use regex::Regex;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// `baocao forms --config CONFIG --period PERIOD --out DIR ARGS…`
fn forms(out: &Path, args: &[&str]) -> std::process::Output {
    forms_with(&root().join(CONFIG), out, args)
}

fn config() -> Config {
    Config::load(&root().join(CONFIG)).unwrap()
}

fn blank_forms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = forms(dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

#[test]
fn one_form_per_unit_named_for_it_and_never_overwritten_silently() {
    let cfg = config();
    let dir = blank_forms();
    let mut want: Vec<String> = cfg.units.iter().map(|u| format!("{} - DA06 - {PERIOD}.xlsx", u.name)).collect();
    want.sort();
    assert_eq!(files(dir.path()), want);
    let bao_an = dir.path().join(format!("Phường Bảo An - DA06 - {PERIOD}.xlsx"));
    let before = std::fs::read(&bao_an).unwrap();
    // Again into the same folder: refused, nothing touched.
    std::fs::write(&bao_an, b"do not touch").unwrap();
    let again = forms(dir.path(), &[]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("--force") && err.contains("không ghi đè"), "{err}");
    assert_eq!(std::fs::read(&bao_an).unwrap(), b"do not touch");
    // --force writes them again, the same bytes as the first time.
    assert!(forms(dir.path(), &["--force"]).status.success());
    assert_eq!(std::fs::read(&bao_an).unwrap(), before);
}

#[test]
fn blank_forms_are_each_their_units_and_reported_not_filled_in() {
    let cfg = config();
    let dir = blank_forms();
    let (code, run) = check_json(dir.path());
    assert_eq!(code, 1, "a unit without figures is an error in the data, as a unit not sent");
    assert_eq!(run["month"], PERIOD);
    assert_eq!(run["period"], "(Từ ngày 05/8/2024 đến ngày 05/9/2024)");
    assert_eq!(run["skipped"].as_array().unwrap().len(), 0, "{:#}", run["skipped"]);
    let units = run["units"].as_array().unwrap();
    assert_eq!(units.len(), cfg.units.len());
    for u in units {
        assert_eq!(u["status"], "blank", "{}", u["name"]);
        let file = format!("{} - DA06 - {PERIOD}.xlsx", u["name"].as_str().unwrap());
        assert_eq!(u["files"], serde_json::json!([file]), "each form is recognised as its own unit's");
        assert_eq!(u["figures"].as_array().unwrap().len(), 0);
    }
    // One error a unit, and nothing else: a blank form has nothing wrong in its layout.
    let findings = run["findings"].as_array().unwrap();
    assert_eq!(findings.len(), cfg.units.len(), "{findings:#?}");
    assert!(findings.iter().all(|f| f["kind"] == "blank_unit" && f["severity"] == "error"), "{findings:#?}");
    // The summary says it in words.
    let out = common::baocao("check", dir.path(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches(": chưa điền số liệu").count(), cfg.units.len(), "{text}");
    assert!(!text.contains("chưa gửi") && !text.contains("không nhận ra đơn vị"), "{text}");
    // convert makes a draft of it, as for missing data.
    let out_dir = tempfile::tempdir().unwrap();
    let conv = common::baocao("convert", dir.path(), &["--out", out_dir.path().to_str().unwrap()]);
    assert_eq!(conv.status.code(), Some(1), "{}", String::from_utf8_lossy(&conv.stderr));
}

#[test]
fn blank_forms_pass_openxml_audit() {
    let dir = blank_forms();
    for name in ["Phường Bảo An", "Công an thành phố", "Trung tâm Y tế"] {
        let file = dir.path().join(format!("{name} - DA06 - {PERIOD}.xlsx"));
        for format in ["office2016", "microsoft365"] {
            let errors = common::audit::errors(&file, format);
            assert!(errors.is_empty(), "{name} ({format}): {errors:#?}");
        }
    }
}

#[test]
fn filled_forms_give_back_every_typed_number_with_its_cell() {
    round_trip(&root().join(CONFIG));
}

/// The sample config with its units replaced by a district's: nine communes and
/// three departments, each table and list reported by whom the district says.
fn district_config() -> String {
    let sample = std::fs::read_to_string(root().join(CONFIG)).unwrap();
    let (head, rest) = sample.split_at(sample.find("[[units]]").unwrap());
    let tail = &rest[rest.find("# ---- Tables").unwrap()..];
    let communes =
        ["Phước Hậu", "Phước Thuận", "Phước Sơn", "Phước Hải", "Phước Vinh", "Phước Thái", "Phước Hữu", "Phước Dinh"];
    let mut units: String =
        communes.iter().map(|c| format!("[[units]]\nname = \"Xã {c}\"\ngroup = \"phuong_xa\"\n\n")).collect();
    units.push_str("[[units]]\nname = \"Thị trấn Phước Dân\"\ngroup = \"phuong_xa\"\naliases = [\"TT Phước Dân\"]\n\n");
    for d in ["Công an huyện Ninh Phước", "Văn phòng HĐND và UBND huyện", "Trung tâm Y tế huyện"] {
        units.push_str(&format!("[[units]]\nname = \"{d}\"\ngroup = \"thanh_pho\"\n\n"));
    }
    let tail = tail
        .replace("\"Công an thành phố\"", "\"Công an huyện Ninh Phước\"")
        .replace(
            "\"Văn phòng HĐND và UBND thành phố (Bộ phận tiếp nhận và trả kết quả)\"",
            "\"Văn phòng HĐND và UBND huyện\"",
        )
        .replace("\"Trung tâm Y tế\"", "\"Trung tâm Y tế huyện\"")
        .replace("[\"Phòng Lao động – Thương binh và Xã hội\"]", "[\"phuong_xa\"]");
    let text = format!("{head}{units}{tail}").replace("PHAN RANG - THÁP CHÀM", "NINH PHƯỚC");
    assert!(!text.contains("thành phố\"]") && !text.contains("\"Trung tâm Y tế\""), "every unit renamed");
    text
}

#[test]
fn a_district_of_nine_communes_fills_its_forms_and_gets_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let cfg_path = dir.path().join("ninh-phuoc.toml");
    std::fs::write(&cfg_path, district_config()).unwrap();
    let cfg = Config::load(&cfg_path).unwrap();
    assert_eq!(cfg.units.len(), 12);
    let inbox = round_trip(&cfg_path);
    let out = tempfile::tempdir().unwrap();
    let conv = baocao_with("convert", &cfg_path, inbox.path(), &["--out", out.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&conv.stderr);
    // Without the month's notes the report is a draft (exit 1), but written.
    assert_ne!(conv.status.code(), Some(2), "{err}");
    for file in [format!("bao-cao-{PERIOD}.docx"), format!("phu-luc-{PERIOD}.xlsx")] {
        assert!(out.path().join(&file).is_file(), "{file}: {err}");
    }
}

#[test]
fn a_blank_form_beside_the_filled_one_is_left_out() {
    let blank = blank_forms();
    let inbox = tempfile::tempdir().unwrap();
    let name = format!("Phường Bảo An - DA06 - {PERIOD}.xlsx");
    let bytes = std::fs::read(blank.path().join(&name)).unwrap();
    let (filled, _) = fill(&bytes, &mut 1000.0);
    std::fs::write(inbox.path().join(&name), filled).unwrap();
    std::fs::write(inbox.path().join("Bảo An - mẫu trống.xlsx"), &bytes).unwrap();
    let (_, run) = check_json(inbox.path());
    let u = common::unit(&run, "Phường Bảo An");
    assert_eq!(u["status"], "counted");
    assert!(u["figures"].as_array().unwrap().iter().all(|f| f["source"]["file"] == name.as_str()));
    let f = common::finding(&run, "blank_unit");
    assert_eq!(
        (f["severity"].as_str(), f["location"]["file"].as_str()),
        (Some("info"), Some("Bảo An - mẫu trống.xlsx"))
    );
    assert!(
        !run["findings"].as_array().unwrap().iter().any(|f| f["kind"] == "duplicate_unit"),
        "{:#}",
        run["findings"]
    );
    // The other units sent nothing.
    assert_eq!(common::unit(&run, "Phường Đài Sơn")["status"], "missing");
}

/// The parts of a package by name, as text.
fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().unwrap().to_string(), text)
        })
        .collect()
}

#[test]
fn only_the_input_cells_are_open_each_checked_and_explained_and_pages_are_a4() {
    let dir = blank_forms();
    let bytes = std::fs::read(dir.path().join(format!("Phường Bảo An - DA06 - {PERIOD}.xlsx"))).unwrap();
    let (_, typed) = fill(&bytes, &mut 1000.0);
    let parts = parts(&bytes);
    let sheets: Vec<&String> =
        parts.iter().filter(|(n, _)| n.starts_with("xl/worksheets/sheet")).map(|(_, x)| x).collect();
    assert_eq!(sheets.len(), 4, "DVC thiết yếu, DVC QĐ 422, Số hóa, Lao động");
    let validation = Regex::new(
        r#"<dataValidation type="(\w+)"[^>]*prompt="([^"]*)" sqref="([A-Z]+\d+)"><formula1>([^<]*)</formula1>"#,
    )
    .unwrap();
    let mut validated = 0;
    let mut held = Vec::new();
    for xml in &sheets {
        assert!(xml.contains(r#"<sheetProtection sheet="1""#) && !xml.contains("password"), "protected, no password");
        assert!(xml.contains(r#"<pageSetup paperSize="9""#), "A4");
        for c in validation.captures_iter(xml) {
            validated += 1;
            assert!(c[2].starts_with("Nhập số nguyên từ 0 trở lên"), "{}", &c[2]);
            match &c[1] {
                "whole" => assert_eq!(&c[4], "0"),
                "custom" => held
                    .push((c[3].to_string(), c[4].replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<"))),
                other => panic!("{other}"),
            }
        }
    }
    assert_eq!(validated, typed.inputs.len(), "one validation per open cell, none elsewhere");
    // 15 + 1 services "online <= total" on their row, and "đã số hóa" and "đã thu thập" under their totals.
    assert_eq!(held.len(), 18, "{held:?}");
    assert!(
        held.contains(&("D10".into(), r#"AND(ISNUMBER(D10),D10>=0,D10=INT(D10),OR(C10="",D10<=C10))"#.into())),
        "{held:?}"
    );
    let so_hoa = &parts["xl/worksheets/sheet3.xml"];
    assert!(
        so_hoa.contains(r#"sqref="C8"><formula1>AND(ISNUMBER(C8),C8&gt;=0,C8=INT(C8),OR(C7="",C8&lt;=C7))"#),
        "the second item held to the first: {so_hoa}"
    );
    let strings = &parts["xl/sharedStrings.xml"];
    for text in [
        "Đơn vị báo cáo: Phường Bảo An",
        "(Từ ngày 05/8/2024 đến ngày 05/9/2024)",
        "Điền số liệu vào các ô trắng",
        "Tổng cộng",
    ] {
        assert!(strings.contains(text), "{text}");
    }
}

#[test]
fn without_period_the_running_period_is_taken_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("baocao")
        .unwrap()
        .args(["forms", "--config"])
        .arg(root().join(CONFIG))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Không ghi --period: lấy tháng có kỳ báo cáo đang diễn ra"), "{text}");
    // The month said is the month of the files, and its period has not ended by yesterday.
    let said = Regex::new(r"biểu mẫu tháng (\d+)/(\d{4}) \(từ ngày \d+/\d+/\d{4} đến ngày (\d+/\d+/\d{4})\)").unwrap();
    let c = said.captures(&text).unwrap_or_else(|| panic!("{text}"));
    let month = baocao::model::Month::new(c[2].parse().unwrap(), c[1].parse().unwrap()).unwrap();
    assert!(files(dir.path()).iter().all(|f| f.ends_with(&format!(" - DA06 - {}.xlsx", month.stem()))));
    let end = baocao::model::date::parse(&c[3]).unwrap();
    let yesterday = jiff::Zoned::now().date().yesterday().unwrap();
    assert!(end >= yesterday, "{end} is the end of a period still running");
}

#[test]
fn two_units_that_would_share_a_file_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = std::fs::read_to_string(root().join(CONFIG))
        .unwrap()
        .replace("name = \"Phường Bảo An\"", "name = \"Phường Bảo:An\"")
        .replace("name = \"Phường Đài Sơn\"", "name = \"Phường Bảo/An\"");
    let cfg_path = dir.path().join("c.toml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let out_dir = dir.path().join("bieu-mau");
    let out = forms_with(&cfg_path, &out_dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Phường Bảo:An") && err.contains("Phường Bảo/An"), "{err}");
    assert!(!out_dir.exists(), "nothing written");
}
