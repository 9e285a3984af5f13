//! The months after July, made from the July samples (tests/common/month.rs), run
//! with the unchanged sample config: the period comes from the workbooks or
//! `--period`, nothing of July reaches the documents, and the number and date are
//! the clerk's flags or blanks.

mod common;

use common::month::{self, Later, docx_text, file_name, scale_numbers_for_test, shift_dates};
use common::{baocao, check_json, root, total, unit};
use std::path::Path;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_month_builder_moves_dates_and_names_and_keeps_old_references() {
    assert_eq!(shift_dates("(Từ ngày 05/6/2024 đến ngày 05/7/2024)", 1), "(Từ ngày 05/7/2024 đến ngày 05/8/2024)");
    assert_eq!(shift_dates("QĐ 422/QĐ-TTg ngày 04/04/2022", 1), "QĐ 422/QĐ-TTg ngày 04/04/2022");
    assert_eq!(shift_dates("Bảo An, ngày 05 tháng 7 năm 2024", 6), "Bảo An, ngày 05 tháng 1 năm 2025");
    assert_eq!(file_name("BC_DA06_DoVinh_T7_2024.xlsx", 1), "BC_DA06_DoVinh_T8_2024.xlsx");
    assert_eq!(file_name("Tấn Tài - ĐA06 - 07.2024.xlsx", 2), "Tấn Tài - ĐA06 - 09.2024.xlsx");
    assert_eq!(file_name("Dong Hai - De an 06 thang 7.xlsx", 1), "Dong Hai - De an 06 thang 8.xlsx");
    assert_eq!(
        scale_numbers_for_test(r#"<c r="E7" s="3"><v>12</v></c><c r="A1" t="s"><v>3</v></c>"#, 2.0),
        r#"<c r="E7" s="3"><v>24</v></c><c r="A1" t="s"><v>3</v></c>"#
    );
}

#[test]
fn august_and_september_are_found_from_the_workbooks_with_the_unchanged_config() {
    let (_, july) = check_json(&root().join(common::INBOX));
    for (months, name, text) in [
        (1, "2024-08", "(Từ ngày 05/7/2024 đến ngày 05/8/2024)"),
        (2, "2024-09", "(Từ ngày 05/8/2024 đến ngày 05/9/2024)"),
    ] {
        let dir = month::inbox(Later::new(months, 2.0));
        let (code, run) = check_json(dir.path());
        assert_eq!(run["month"], name);
        assert_eq!(run["period"], text);
        assert_eq!(run["period_basis"]["given"], false);
        let (agree, stating) = (&run["period_basis"]["stated_by"], &run["period_basis"]["stating"]);
        assert_eq!(agree, stating, "every workbook states the month: {:#}", run["period_basis"]);
        assert_eq!(stating, 20);
        assert_eq!(code, 0, "{:#}", run["findings"]);
        for u in run["units"].as_array().unwrap() {
            assert_eq!(u["status"], "counted", "{}", u["name"]);
        }
        // Figures are the month's: Công an's (an .xlsx) doubled, Đạo Long's (.xls, kept) July's.
        for id in ["can_cuoc.ho_so_cap_can_cuoc", "vneid.tin_bao", "dvc_thiet_yeu.total.total"] {
            assert!(total(&run, id) > total(&july, id), "{id}");
        }
        assert_eq!(total(&run, "can_cuoc.ho_so_cap_can_cuoc"), 2.0 * total(&july, "can_cuoc.ho_so_cap_can_cuoc"));
        let dao_long = |r: &serde_json::Value| -> Vec<serde_json::Value> {
            unit(r, "Phường Đạo Long")["figures"].as_array().unwrap().iter().map(|f| f["value"].clone()).collect()
        };
        assert_eq!(dao_long(&run), dao_long(&july));
        // The first line of the terminal report says which period, and why.
        let out = baocao("check", dir.path(), &[]);
        let first = stdout(&out).lines().next().unwrap_or_default().to_string();
        assert!(first.starts_with(&format!("Kỳ báo cáo: {}", &text[1..text.len() - 1].to_lowercase())), "{first}");
        assert!(first.ends_with("theo 20/20 tệp ghi kỳ báo cáo"), "{first}");
    }
}

#[test]
fn a_unit_stating_another_month_sent_the_wrong_file_the_month_stands() {
    // Đạo Long kept July's file: 19 of 20 say August.
    let dir = month::inbox(Later::new(1, 1.0));
    let xls = dir.path().join(file_name("DAO LONG T7.xls", 1));
    std::fs::copy(root().join(common::INBOX).join("DAO LONG T7.xls"), &xls).unwrap();
    let (code, run) = check_json(dir.path());
    assert_eq!(run["month"], "2024-08");
    assert_eq!(
        (run["period_basis"]["stated_by"].as_u64(), run["period_basis"]["stating"].as_u64()),
        (Some(19), Some(20))
    );
    assert_eq!(unit(&run, "Phường Đạo Long")["status"], "wrong_period");
    let wrong = common::finding(&run, "period_mismatch");
    assert!(wrong["message"].as_str().unwrap().contains("05/6/2024"), "{wrong:#}");
    assert_eq!(code, 1);
}

#[test]
fn no_majority_or_a_majority_against_the_rule_asks_for_the_period() {
    // Half July, half August.
    let dir = month::inbox(Later::new(1, 1.0));
    let mut names: Vec<_> = std::fs::read_dir(root().join(common::INBOX)).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let workbooks = names.iter().filter(|p| {
        p.extension().is_some_and(|e| e == "xlsx") && !p.file_name().unwrap().to_string_lossy().starts_with("~$")
    });
    for july in workbooks.step_by(2) {
        let name = july.file_name().unwrap().to_string_lossy().to_string();
        std::fs::remove_file(dir.path().join(file_name(&name, 1))).unwrap();
        std::fs::copy(july, dir.path().join(&name)).unwrap();
    }
    let out = baocao("check", dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("không kỳ nào quá nửa") && err.contains("--period"), "{err}");
    // With --period the same inbox is checked against August, and the July files are named.
    let out = baocao("check", dir.path(), &["--period", "8/2024", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["period_basis"]["given"], true);
    assert!(run["findings"].as_array().unwrap().iter().all(|f| f["kind"] != "period_flag_disagrees"), "no majority");
    // A --period most files disagree with is said once, not only unit by unit.
    let (_, july) = {
        let out = baocao("check", &root().join(common::INBOX), &["--period", "2024-08", "--json"]);
        (out.status.code(), serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap())
    };
    let f = common::finding(&july, "period_flag_disagrees");
    assert!(f["message"].as_str().unwrap().contains("20/20") && f["message"].as_str().unwrap().contains("05/6/2024"));
    assert!(run["units"].as_array().unwrap().iter().any(|u| u["status"] == "wrong_period"));
    assert!(run["units"].as_array().unwrap().iter().any(|u| u["status"] == "counted"));

    // A rule that gives no month the workbooks' period: the rule is named, not the units.
    let cfg =
        std::fs::read_to_string(root().join(common::CONFIG)).unwrap().replace("cut_off_day = 5", "cut_off_day = 1");
    let cfg_path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(cfg_path.path(), cfg).unwrap();
    let out = assert_cmd::Command::cargo_bin("baocao")
        .unwrap()
        .args(["check", root().join(common::INBOX).to_str().unwrap(), "--config", cfg_path.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("20/20") && err.contains("[period]") && err.contains("--period 2024-07"), "{err}");
}

#[test]
fn a_month_written_as_tháng_or_over_two_cells_is_the_period() {
    let edit = |file: &str, part: &str, xml: String| {
        if file.starts_with("BC DA06 T7-2024 - Bao An") && part == "xl/sharedStrings.xml" {
            xml.replace("(Từ ngày 05/7/2024 đến ngày 05/8/2024)", "Kỳ báo cáo: Tháng 8/2024")
        } else if file.starts_with("Dong Hai") && part == "xl/sharedStrings.xml" {
            xml.replace("(Từ ngày 05/7/2024 đến ngày 05/8/2024)", "Kỳ báo cáo: từ 05/7 đến 05/8/2024")
        } else {
            xml
        }
    };
    let dir = month::inbox(Later { edit: Some(&edit), ..Later::new(1, 1.0) });
    let (code, run) = check_json(dir.path());
    assert_eq!(run["month"], "2024-08");
    assert_eq!(run["period_basis"]["stated_by"], 20, "{:#}", run["findings"]);
    assert_eq!(unit(&run, "Phường Bảo An")["status"], "counted");
    assert_eq!(unit(&run, "Phường Đông Hải")["status"], "counted");
    assert_eq!(code, 0, "{:#}", run["findings"]);
}

#[test]
fn flags_with_impossible_values_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = root().join(common::INBOX);
    for (args, says) in [
        (vec!["--period", "2024-13"], "--period \"2024-13\""),
        (vec!["--period", "tháng bảy"], "--period"),
        (vec!["--number", "28a"], "--number \"28a\""),
        (vec!["--date", "31/02/2024"], "--date \"31/02/2024\""),
        (vec!["--period", "2024-07", "--date", "01/07/2024"], "trước ngày kết thúc kỳ"),
    ] {
        let mut all = vec!["--out", dir.path().to_str().unwrap()];
        all.extend(args);
        let out = baocao("convert", &inbox, &all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(stderr(&out).contains(says), "{all:?}: {}", stderr(&out));
        assert!(!stdout(&out).contains("Kỳ báo cáo"), "nothing is read: {}", stdout(&out));
    }
    // Without --period the date is checked once the workbooks gave the period, before writing.
    let out = baocao("convert", &inbox, &["--out", dir.path().to_str().unwrap(), "--date", "04/07/2024"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("trước ngày kết thúc kỳ"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn a_config_that_still_names_a_month_is_refused_with_what_to_do() {
    let cfg = std::fs::read_to_string(root().join(common::CONFIG)).unwrap();
    let old = cfg.replace(
        "[period]\ncut_off_day = 5",
        "[report]\nperiod_from = \"05/6/2024\"\nperiod_to = \"05/7/2024\"\nmonth = 7\nyear = 2024",
    );
    let path = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(path.path(), old).unwrap();
    let out = assert_cmd::Command::cargo_bin("baocao")
        .unwrap()
        .args(["check", root().join(common::INBOX).to_str().unwrap(), "--config", path.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[report] không còn dùng") && stderr(&out).contains("--period"), "{}", stderr(&out));
}

/// `convert` of a built month into a fresh folder: (exit code, DOCX text, folder).
fn convert_month(inbox: &Path, args: &[&str]) -> (i32, String, tempfile::TempDir, String) {
    let out_dir = tempfile::tempdir().unwrap();
    let mut all = vec!["--out", out_dir.path().to_str().unwrap()];
    all.extend_from_slice(args);
    let out = baocao("convert", inbox, &all);
    let docx = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .unwrap_or_else(|| panic!("no DOCX: {}", stderr(&out)));
    (out.status.code().unwrap(), docx_text(&docx), out_dir, stdout(&out))
}

#[test]
fn the_august_report_carries_nothing_of_july_and_leaves_number_and_date_to_the_clerk() {
    let dir = month::inbox(Later::new(1, 2.0));
    let (code, text, out_dir, _) = convert_month(dir.path(), &[]);
    assert_eq!(code, 1, "no notes for August yet: a draft");
    assert!(text.contains("[Nội dung mục I: bổ sung trong ghi-chu.md]"));
    let names: Vec<String> =
        std::fs::read_dir(out_dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    assert!(names.contains(&"bao-cao-2024-08.docx".to_string()) && names.contains(&"phu-luc-2024-08.xlsx".into()));
    for july in [
        "tháng 7 năm 2024",
        "287/BC",
        "12/07/2024",
        "ngày 12 tháng 7",
        "05/6/2024",
        "06/7/2024",
        "282/KH-UBND",
        "3107/UBND-CA",
        "07/5/2024",
    ] {
        assert!(!text.contains(july), "July's \"{july}\" in the August report");
    }
    assert!(text.contains("Số:      /BC-TCTĐA06"), "open number");
    assert!(text.contains("Phan Rang – Tháp Chàm, ngày      tháng 8 năm 2024"), "open date");
    assert!(text.contains("trên địa bàn thành phố tháng 8 năm 2024"), "the summary's month");
    // The as-of dates are the ones the August workbooks state (July's shifted by a month).
    assert_eq!(text.matches("Tính đến ngày 07/6/2024,").count(), 2, "both as-of sentences");
    assert!(text.contains(
        "(Kèm theo Báo cáo số      /BC-TCTĐA06 ngày      tháng 8 năm 2024 của Tổ công tác Đề án 06 thành phố)"
    ));

    // Numbered and dated by the clerk: everywhere, the XLSX too.
    let (_, text, out_dir, _) = convert_month(dir.path(), &["--number", "312", "--date", "12/08/2024"]);
    assert!(text.contains("Số: 312/BC-TCTĐA06"));
    assert!(text.contains("Phan Rang – Tháp Chàm, ngày 12 tháng 8 năm 2024"));
    let attached = "(Kèm theo Báo cáo số 312/BC-TCTĐA06 ngày 12 tháng 8 năm 2024 của Tổ công tác Đề án 06 thành phố)";
    assert_eq!(text.matches(attached).count(), 2, "under both appendix titles");
    let xlsx = out_dir.path().join("phu-luc-2024-08.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range(&book.sheet_names()[0]).unwrap();
    assert!(sheet.cells().any(|(_, _, v)| v.get_string() == Some(attached)), "the XLSX's attached line");
}

#[test]
fn a_truncated_file_whose_name_names_its_unit_is_unreadable_not_missing() {
    let dir = month::inbox(Later::new(1, 1.0));
    for (july, broken, unit_name) in [
        ("BC_DA06_DoVinh_T7_2024.xlsx", "BC_DA06_DoVinh_T8_2024.xlsx", "Phường Đô Vinh"),
        ("BC De an 06 - My Huong (T7).xlsx", "BC-DA06-MyHuong-thang8.xlsx", "Phường Mỹ Hương"),
        ("PHU HA - BC DA06 T7-2024.xlsx", "PHUHA_T8.xlsx", "Phường Phủ Hà"),
        ("Thanh Son_BC DA06_T7.xlsx", "BC T8 - son thanh.xlsx", "Phường Thanh Sơn"),
    ] {
        let path = dir.path().join(file_name(july, 1));
        let good = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::write(dir.path().join(broken), &good[..good.len() / 2]).unwrap();
        let (_, run) = check_json(dir.path());
        let u = unit(&run, unit_name);
        assert_eq!(u["status"], "unreadable", "{broken}: {u:#}");
        assert_eq!(u["files"][0], broken);
    }
}

#[test]
fn two_different_files_of_one_unit_are_told_apart_by_their_labels() {
    let dir = month::inbox(Later::new(1, 1.0));
    let kinh_dinh = dir.path().join(file_name("BC DA06 T7 - Kinh Dinh.xlsx", 1));
    let again = month::inbox(Later::new(1, 2.0));
    std::fs::copy(
        again.path().join(file_name("BC DA06 T7 - Kinh Dinh.xlsx", 1)),
        dir.path().join("Kinh Dinh (gui lai).xlsx"),
    )
    .unwrap();
    assert!(kinh_dinh.exists());
    let (code, run) = check_json(dir.path());
    assert_eq!(code, 1);
    let f = common::finding(&run, "duplicate_unit");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("DVC thiết yếu › "), "{message}");
    assert!(!message.contains("rows["), "no internal ids: {message}");
    assert!(f["cells"].as_array().unwrap().iter().all(|c| !c["text"].as_str().unwrap().contains("rows[")));
}
