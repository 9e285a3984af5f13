//! Shared by the integration tests: the bundled samples, temp inboxes built from
//! them, and running the `baocao` binary.
#![allow(dead_code)] // each test file uses its own part

pub mod audit;
pub mod drift;
pub mod forms;
pub mod month;

use assert_cmd::Command;
use baocao::config::Config;
use baocao::model::{
    Figure, Finding, FindingKind, Location, Report, Severity, SkippedFile, StatedAsOf, UnitResult, UnitStatus,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const CONFIG: &str = "samples/phan-rang-thap-cham.toml";
pub const INBOX: &str = "samples/inbox-2024-07";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// samples/expected-2024-07.json
pub fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("samples/expected-2024-07.json")).unwrap()).unwrap()
}

/// A temp copy of the July inbox without the files named in `drop`.
pub fn inbox_without(drop: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join(INBOX)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !drop.contains(&name.as_str()) {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    dir
}

/// `baocao SUBCOMMAND INBOX --config samples/... ARGS...`
pub fn baocao(sub: &str, inbox: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("baocao")
        .unwrap()
        .arg(sub)
        .arg(inbox)
        .arg("--config")
        .arg(root().join(CONFIG))
        .args(args)
        .output()
        .unwrap()
}

/// `baocao check INBOX --json`: exit code and the parsed JSON.
pub fn check_json(inbox: &Path) -> (i32, Value) {
    let out = baocao("check", inbox, &["--json"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

/// The first finding of a kind.
pub fn finding<'a>(run: &'a Value, kind: &str) -> &'a Value {
    run["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} finding in {:#}", run["findings"]))
}

/// A consolidated value.
pub fn total(run: &Value, id: &str) -> f64 {
    run["totals"][id]["value"].as_f64().unwrap()
}

/// One unit of the run by name.
pub fn unit<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["units"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap()
}

/// The July report's document as the clerk numbered and dated it (the seed's
/// "Số: 287/BC-TCTĐA06", "ngày 12 tháng 7 năm 2024"): what `convert --number 287
/// --date 12/07/2024` makes of the config's standing parts.
pub fn july_document() -> baocao::model::Document {
    let july = baocao::model::Month::new(2024, 7).unwrap();
    config().document.for_month(july, Some("287"), baocao::model::date::parse("12/07/2024"))
}

/// The flags that number and date the July report as the seed is.
pub const JULY_SIGNING: [&str; 4] = ["--number", "287", "--date", "12/07/2024"];

/// samples/phan-rang-thap-cham.toml
pub fn config() -> Config {
    Config::load(&root().join(CONFIG)).unwrap()
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

/// An as-of line of a July workbook: its unit, sheet, cell and date, and which of
/// the unit's figures it dates.
pub struct JulyAsOf {
    pub unit: &'static str,
    pub sheet: &'static str,
    pub cell: &'static str,
    pub date: &'static str,
    pub dates: fn(&str) -> bool,
}

/// The as-of lines of the city units' July workbooks (samples/expected-2024-07.json
/// does not list them; the seed prints Công an's and LĐTBXH's 07/5/2024). The
/// wards' "Lao động" lines (05/7/2024) are not printed by the seed and left out.
pub const JULY_AS_OF: [JulyAsOf; 4] = [
    JulyAsOf {
        unit: "Công an thành phố",
        sheet: "Cập nhật CSDLQG",
        cell: "A6",
        date: "07/5/2024",
        dates: |id| id.starts_with("csdlqg."),
    },
    JulyAsOf {
        unit: "Công an thành phố",
        sheet: "Làm sạch dữ liệu",
        cell: "B16",
        date: "05/7/2024",
        dates: |id| id.starts_with("lam_sach.thieu_truong."),
    },
    // The heading "II. Chi trả … (tính đến ngày 07/5/2024)" over items 3 to 6.
    JulyAsOf {
        unit: "Phòng Lao động – Thương binh và Xã hội",
        sheet: "An sinh xã hội",
        cell: "B11",
        date: "07/5/2024",
        dates: |id| id.starts_with("an_sinh.") && !id.ends_with("dong_bo_csdlqg") && !id.ends_with("bo_sung_dc01"),
    },
    JulyAsOf {
        unit: "Trung tâm Y tế",
        sheet: "Hồ sơ sức khỏe",
        cell: "A6",
        date: "05/7/2024",
        dates: |id| id.starts_with("hssk."),
    },
];

/// The July report as the engine should produce it, built from samples/expected-2024-07.json:
/// every unit with its figures and cells and the listed problems, consolidated by the
/// engine, whose totals must be the expected consolidated figures.
pub fn july_run(cfg: &Config) -> Report {
    let exp = expected();
    let units = cfg
        .units
        .iter()
        .map(|u| {
            let e = &exp["units"][&u.name];
            let files: Vec<String> =
                e["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
            let figures: Vec<Figure> = e["figures"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(id, v)| Figure {
                    id: id.as_str().into(),
                    value: v.as_f64().unwrap(),
                    source: location(&exp, &files[0], id),
                })
                .collect();
            let as_of = JULY_AS_OF
                .iter()
                .filter(|a| a.unit == u.name)
                .map(|a| StatedAsOf {
                    date: baocao::model::date::parse(a.date).unwrap(),
                    source: Location::cell(&files[0], a.sheet, a.cell),
                    figures: figures.iter().filter(|f| (a.dates)(&f.id)).map(|f| f.id.clone()).collect(),
                })
                .collect();
            UnitResult {
                name: u.name.clone(),
                group: u.group.get_ref().clone(),
                status: UnitStatus::Counted,
                files,
                missing: Vec::new(),
                figures,
                as_of,
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
        let kind: FindingKind = serde_json::from_value(p["kind"].clone()).unwrap();
        let mut f =
            Finding::new(severity(p["severity"].as_str().unwrap()), kind, loc, p["detail"].as_str().unwrap().into())
                .unit(p["unit"].as_str());
        if let (Some(found), Some(expected)) = (p["found"].as_f64(), p["expected"].as_f64()) {
            f = f.values(found, expected);
        }
        findings.push(f);
    }
    let july = baocao::model::Month::new(2024, 7).unwrap();
    let report = baocao::engine::report_of(cfg, july, units, skipped, findings);
    assert_eq!(report.period.text, exp["period"].as_str().unwrap());
    for (id, v) in exp["consolidated"].as_object().unwrap() {
        assert_eq!(report.totals.value(id), v.as_f64(), "consolidated {id}");
    }
    report
}
