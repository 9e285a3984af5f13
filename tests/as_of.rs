//! As-of dates come from the workbooks (issue 13, item 4): the date cumulative
//! figures are counted up to is the one the counted units' sheets state, printed
//! in the report's "Tính đến ngày …" sentences; units stating different dates, or
//! implausible ones, are warned of; a date no unit states is a visible gap.

mod common;

use common::month::{self, Later, docx_text};
use common::{JULY_SIGNING, baocao, check_json, root, unit};
use serde_json::Value;
use std::path::Path;

/// `convert` of `inbox` into a temp folder: the exit code, stdout and the DOCX's text.
fn convert(inbox: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--out", out.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = baocao("convert", inbox, &args);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let docx = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .unwrap_or_else(|| panic!("no DOCX: {stdout}{}", String::from_utf8_lossy(&run.stderr)));
    (run.status.code().unwrap(), stdout, docx_text(&docx))
}

/// The findings of a kind.
fn findings<'a>(run: &'a Value, kind: &str) -> Vec<&'a Value> {
    run["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

const CSDLQG: &str = ", Công an thành phố đã cập nhật thông tin trên Cơ sở dữ liệu quốc gia về dân cư";
const AN_SINH: &str = ", Công an thành phố phối hợp với Phòng Lao động – Thương binh và Xã hội thành phố";

#[test]
fn july_reads_its_as_of_dates_from_title_rows_and_a_lists_heading_row() {
    let (code, run) = check_json(&root().join(common::INBOX));
    assert_eq!(code, 0);
    for kind in ["as_of_mismatch", "as_of_after_period", "as_of_stale", "as_of_missing"] {
        assert!(findings(&run, kind).is_empty(), "the seed's own 07/5/2024 is no problem: {kind}");
    }
    assert_eq!(run["as_of"]["csdlqg"]["date"], "07/5/2024");
    assert_eq!(run["as_of"]["an_sinh"]["date"], "07/5/2024");
    assert_eq!(run["as_of"]["lao_dong"]["date"], "05/7/2024");
    assert_eq!(run["as_of"]["lao_dong"]["sources"].as_array().unwrap().len(), 16, "every ward's 'Lao động'");
    // LĐTBXH dates only the items under "II. Chi trả … (tính đến ngày 07/5/2024)".
    let stated = &unit(&run, "Phòng Lao động – Thương binh và Xã hội")["as_of"][0];
    assert_eq!((&stated["source"]["sheet"], &stated["source"]["cell"]), (&"An sinh xã hội".into(), &"B11".into()));
    let dated: Vec<&str> = stated["figures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(
        dated,
        ["an_sinh.tong_ra_soat", "an_sinh.co_tai_khoan", "an_sinh.chi_tra_qua_tai_khoan", "an_sinh.so_tien_dong"]
    );
    // Công an's "Làm sạch dữ liệu" dates one section; the next heading ends it.
    let cong_an = unit(&run, "Công an thành phố")["as_of"].as_array().unwrap();
    let lam_sach = cong_an.iter().find(|s| s["source"]["sheet"] == "Làm sạch dữ liệu").unwrap();
    assert_eq!(lam_sach["date"], "05/7/2024");
    assert!(
        lam_sach["figures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.as_str().unwrap().starts_with("lam_sach.thieu_truong."))
    );
    assert!(run["as_of"].get("dvc_thiet_yeu").is_none(), "figures of the period state no as-of");

    let (code, _, text) = convert(&root().join(common::INBOX), &JULY_SIGNING);
    assert_eq!(code, 0);
    for sentence in [CSDLQG, AN_SINH] {
        assert!(text.contains(&format!("Tính đến ngày 07/5/2024{sentence}")), "{sentence}");
    }
}

#[test]
fn august_says_the_as_of_date_of_its_workbooks() {
    let dir = month::inbox(Later::new(1, 2.0));
    month::write_notes(dir.path(), "8/2024");
    let (code, run) = check_json(dir.path());
    assert_eq!(code, 0, "{:#}", run["findings"]);
    assert_eq!(run["month"], "2024-08");
    assert_eq!(run["as_of"]["csdlqg"]["date"], "07/6/2024", "the July line moved on a month");
    assert_eq!(run["as_of"]["lao_dong"]["date"], "05/8/2024");
    for kind in ["as_of_mismatch", "as_of_after_period", "as_of_stale"] {
        assert!(findings(&run, kind).is_empty(), "{kind}: {:#}", run["findings"]);
    }
    let (code, stdout, text) = convert(dir.path(), &[]);
    assert_eq!(code, 0, "{stdout}");
    for sentence in [CSDLQG, AN_SINH] {
        assert!(text.contains(&format!("Tính đến ngày 07/6/2024{sentence}")), "{sentence}");
    }
    assert!(!text.contains("07/5/2024"), "May's date is July's, not August's");
    assert!(!stdout.contains("để trống"), "{stdout}");
}

#[test]
fn a_ward_stating_another_as_of_date_is_warned_with_both_dates() {
    // Đô Vinh kept July's line on its August "Lao động" sheet.
    let edit = |file: &str, part: &str, xml: String| {
        if file.starts_with("BC_DA06_DoVinh") && part == "xl/sharedStrings.xml" {
            xml.replace("(Số liệu lũy kế tính đến ngày 05/8/2024)", "(Số liệu lũy kế tính đến ngày 05/7/2024)")
        } else {
            xml
        }
    };
    let dir = month::inbox(Later { edit: Some(&edit), ..Later::new(1, 1.0) });
    month::write_notes(dir.path(), "8/2024");
    let (code, run) = check_json(dir.path());
    assert_eq!(code, 0, "a warning, the figures are counted: {:#}", run["findings"]);
    let found = findings(&run, "as_of_mismatch");
    assert_eq!(found.len(), 1, "one warning for the ward, not one per figure: {found:#?}");
    let f = found[0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["unit"], "Phường Đô Vinh");
    let at = &f["location"];
    assert_eq!(at["file"], "BC_DA06_DoVinh_T8_2024.xlsx");
    assert_eq!((&at["sheet"], &at["cell"]), (&"Lao động".into(), &"A5".into()));
    let message = f["message"].as_str().unwrap();
    for part in ["Phường Đô Vinh", "05/7/2024", "05/8/2024", "Lao động", "A5", "15 đơn vị"] {
        assert!(message.contains(part), "{part} in {message}");
    }
    // Every unit stating the date taken is named with its cell.
    let cells = f["cells"].as_array().unwrap();
    assert!(cells.iter().any(|c| c["text"].as_str().unwrap().contains("Phường Bảo An")), "{cells:#?}");
    assert_eq!(run["as_of"]["lao_dong"]["date"], "05/8/2024", "the date most wards state");
    let stated: Vec<&str> =
        run["as_of"]["lao_dong"]["sources"].as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert_eq!(stated.iter().filter(|d| **d == "05/7/2024").count(), 1);
}

#[test]
fn implausible_as_of_dates_are_warned_and_a_missing_one_is_a_visible_gap() {
    // August: LĐTBXH types a date after the period; Công an drops its as-of line.
    let edit = |file: &str, part: &str, xml: String| match (file, part) {
        (f, "xl/sharedStrings.xml") if f.starts_with("Phong LDTBXH") => {
            xml.replace("(tính đến ngày 07/6/2024)", "(tính đến ngày 07/9/2024)")
        }
        (f, "xl/sharedStrings.xml") if f.starts_with("CATP") => {
            xml.replace("(Số liệu lũy kế tính đến ngày 07/6/2024)", "(Số liệu lũy kế tính đến nay)")
        }
        _ => xml,
    };
    let dir = month::inbox(Later { edit: Some(&edit), ..Later::new(1, 1.0) });
    month::write_notes(dir.path(), "8/2024");
    let (_, run) = check_json(dir.path());
    let after = findings(&run, "as_of_after_period");
    assert_eq!(after.len(), 1, "{:#}", run["findings"]);
    assert_eq!(after[0]["unit"], "Phòng Lao động – Thương binh và Xã hội");
    assert_eq!(after[0]["location"]["cell"], "B11");
    assert!(after[0]["message"].as_str().unwrap().contains("07/9/2024"));
    assert!(run["as_of"].get("csdlqg").is_none(), "\"tính đến nay\" names no date");

    let (code, stdout, text) = convert(dir.path(), &[]);
    assert_eq!(code, 1, "a gap in the report makes a draft: {stdout}");
    assert!(text.contains("BẢN NHÁP – còn 01 số liệu trống"), "the banner says why");
    assert!(text.contains(&format!("Tính đến ngày …{CSDLQG}")), "a gap, not a guessed date");
    assert!(text.contains(&format!("Tính đến ngày 07/9/2024{AN_SINH}")), "printed as stated, with the warning");
    let gap = stdout.lines().find(|l| l.contains("để trống “…”")).unwrap_or_else(|| panic!("{stdout}"));
    for part in ["[cảnh báo]", "“Cập nhật CSDLQG”", "Công an thành phố", "Cập nhật CSDLQG"] {
        assert!(gap.contains(part), "{part} in {gap}");
    }
    assert!(!gap.contains("csdlqg"), "named by its sheet, not the key: {gap}");
}

#[test]
fn an_as_of_key_naming_no_figure_fails_before_writing() {
    let template = std::fs::read_to_string(root().join("templates/bao-cao.md.j2"))
        .unwrap()
        .replace("as_of[\"csdlqg\"]", "as_of[\"csdlgq\"]");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), template).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = baocao(
        "convert",
        &root().join(common::INBOX),
        &["--out", out.path().to_str().unwrap(), "--template", file.path().to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("as_of[\"csdlgq\"]") && err.contains("dòng"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}
