//! `baocao check` on the July 2024 inbox gives every figure and problem of
//! samples/expected-2024-07.json, with provenance.

mod common;

use assert_cmd::Command;
use baocao::text::nfc;
use common::{check_json, expected, inbox_without, root};
use serde_json::Value;

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

#[test]
fn every_consolidated_figure_matches_the_expected_json() {
    let exp = expected();
    let (code, run) = check_json(&root().join("samples/inbox-2024-07"));
    assert_eq!(code, 0, "July has warnings but no error");
    let mut wrong = Vec::new();
    for (id, want) in exp["consolidated"].as_object().unwrap() {
        let got = &run["totals"][id]["value"];
        if !same(got, want) {
            wrong.push(format!("{id}: expected {want}, got {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The seed's appendix totals.
    assert_eq!(run["totals"]["dvc_thiet_yeu.total.total"]["value"], 8725.0);
    assert_eq!(run["totals"]["dvc_thiet_yeu.total.online"]["value"], 8685.0);
    assert_eq!(run["totals"]["dvc_thiet_yeu.total.ratio_pct"]["value"], 99.54);
}

#[test]
fn every_unit_figure_has_its_value_and_cell() {
    let exp = expected();
    let (_, run) = check_json(&root().join("samples/inbox-2024-07"));
    let files = exp["files"].as_array().unwrap();
    let mut wrong = Vec::new();
    for (name, want) in exp["units"].as_object().unwrap() {
        let unit = run["units"].as_array().unwrap().iter().find(|u| u["name"] == *name).unwrap();
        assert_eq!(unit["status"], "counted", "{name}");
        assert_eq!(unit["files"], want["files"], "{name}");
        let cells = &files.iter().find(|f| f["unit"] == *name).unwrap()["cells"];
        for (id, value) in want["figures"].as_object().unwrap() {
            let Some(fig) = unit["figures"].as_array().unwrap().iter().find(|f| f["id"] == *id) else {
                wrong.push(format!("{name} {id}: missing"));
                continue;
            };
            if !same(&fig["value"], value) {
                wrong.push(format!("{name} {id}: expected {value}, got {}", fig["value"]));
            }
            assert_eq!(fig["source"]["file"], want["files"][0]);
            if let Some(cell) = cells.get(id) {
                let sheet = nfc(cell[0].as_str().unwrap());
                let got_sheet = nfc(fig["source"]["sheet"].as_str().unwrap_or(""));
                if sheet != got_sheet || fig["source"]["cell"] != cell[1] {
                    wrong.push(format!("{name} {id}: expected {cell}, got {}", fig["source"]));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // A figure summed over a group keeps where each part came from.
    let sources = run["totals"]["so_hoa.phuong_xa.da_so_hoa"]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 16);
    assert!(sources.iter().all(|s| s["file"].is_string() && s["cell"].is_string()));
}

#[test]
fn every_expected_problem_is_reported_where_it_is() {
    let exp = expected();
    let (_, run) = check_json(&root().join("samples/inbox-2024-07"));
    let findings = run["findings"].as_array().unwrap();
    for p in exp["problems"].as_array().unwrap() {
        let hit = findings.iter().find(|f| {
            f["kind"] == p["kind"]
                && f["severity"] == p["severity"]
                && f["location"]["file"] == p["file"]
                && p.get("sheet")
                    .is_none_or(|s| nfc(s.as_str().unwrap()) == nfc(f["location"]["sheet"].as_str().unwrap_or("")))
                && p.get("cell").is_none_or(|c| *c == f["location"]["cell"])
                && (p["unit"].is_null() || p["unit"] == f["unit"])
        });
        let Some(hit) = hit else { panic!("problem {} not reported: {p}\nfindings: {findings:#?}", p["id"]) };
        if let Some(found) = p.get("found").and_then(Value::as_f64) {
            assert_eq!(hit["found"].as_f64(), Some(found), "{}", p["id"]);
            assert_eq!(hit["expected"].as_f64(), p["expected"].as_f64(), "{}", p["id"]);
        }
        if let Some(cells) = p.get("cells").and_then(Value::as_array) {
            for c in cells {
                assert!(
                    hit["cells"].as_array().unwrap().iter().any(|h| h["sheet"] == c["sheet"]
                        && h["cell"] == c["cell"]
                        && h["text"] == c["text"]
                        && same(&h["value"], &c["value"])),
                    "{}: cell {c} not listed",
                    p["id"]
                );
            }
        }
        let msg = hit["message"].as_str().unwrap();
        assert!(
            !msg.is_empty() && msg.chars().any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c)),
            "{msg}"
        );
    }
    // Exactly these, nothing about the layouts the units are free to use.
    assert_eq!(findings.len(), exp["problems"].as_array().unwrap().len(), "{findings:#?}");
}

#[test]
fn a_ward_that_sent_nothing_is_named() {
    let dir = inbox_without(&["PHU HA - BC DA06 T7-2024.xlsx"]);
    let (code, run) = check_json(dir.path());
    assert_eq!(code, 1, "a missing unit is an error");
    let unit = run["units"].as_array().unwrap().iter().find(|u| u["name"] == "Phường Phủ Hà").unwrap();
    assert_eq!(unit["status"], "missing");
    let f = run["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "missing_unit").unwrap();
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap().contains("Phường Phủ Hà"));
    // The others still add up: Phủ Hà's 357 records are out of the total.
    assert_eq!(run["totals"]["dvc_thiet_yeu.total.total"]["value"], 8725.0 - 357.0);
    // And the plain-text report names it too.
    let out = Command::cargo_bin("baocao")
        .unwrap()
        .args(["check"])
        .arg(dir.path())
        .arg("--config")
        .arg(root().join("samples/phan-rang-thap-cham.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Phường Phủ Hà: chưa gửi báo cáo"), "{text}");
    assert!(text.contains("19/20 đơn vị"), "{text}");
}

#[test]
fn a_bad_config_exits_2_with_its_line_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = std::fs::read_to_string(root().join("samples/phan-rang-thap-cham.toml")).unwrap();
    let bad = cfg.replacen("parts = [\"lam_sach.c10.da_cap_nhat\"", "parts = [\"lam_sach.c10.khong_co\"", 1);
    std::fs::write(dir.path().join("c.toml"), &bad).unwrap();
    let out = Command::cargo_bin("baocao")
        .unwrap()
        .args(["check", "/nonexistent-inbox", "--config"])
        .arg(dir.path().join("c.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let line = bad.lines().position(|l| l.contains("lam_sach.c10.khong_co")).unwrap() + 1;
    assert!(err.contains(&format!("dòng {line}")) && err.contains("lam_sach.c10.khong_co"), "{err}");
}
