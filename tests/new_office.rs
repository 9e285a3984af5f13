//! A second district adopts baocao (issue 15): `baocao init` into an empty
//! folder, the config edited to a district of 9 communes and 3 departments with
//! no one-stop-shop unit, `check-template` on it, then `convert` on workbooks of
//! those 12 units: every figure back (against the generator's own per-unit
//! figures, samples/expected-2024-07.json), the DOCX written with the sentences
//! the config cannot fill left out and warned of.
//!
//! The workbooks are 12 of the July sample's (the district's units bear those
//! units' names), and, in `init_edit_forms_fill_convert`, the district's own
//! blank forms (`baocao forms`) filled as its units would.

mod common;

use assert_cmd::Command;
use baocao::config::Config;
use common::month::Later;
use common::{expected, root};
use serde_json::Value;
use std::path::Path;

/// The district's 9 communes: 9 of the July wards (their workbooks serve as the communes').
const COMMUNES: [&str; 9] = [
    "Phường Bảo An",
    "Phường Đài Sơn",
    "Phường Đạo Long",
    "Phường Đô Vinh",
    "Phường Đông Hải",
    "Phường Kinh Dinh",
    "Phường Mỹ Bình",
    "Phường Phủ Hà",
    "Xã Thành Hải",
];
/// Its 3 departments; no one-stop-shop unit ("Bộ phận tiếp nhận và trả kết quả").
const DEPARTMENTS: [&str; 3] = ["Công an thành phố", "Phòng Lao động – Thương binh và Xã hội", "Trung tâm Y tế"];

fn bin() -> Command {
    Command::cargo_bin("baocao").unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The init config with its units and groups edited as the district's clerk
/// would: the units section replaced, the one-stop shop and its group sums
/// removed, the commune group renamed, the pilot the district does not run
/// (remote examination at Thành Hải) taken out of the mapping.
fn district_config(init: &str) -> String {
    let start = init.find("\n[[units]]\n").unwrap() + 1;
    let end = init.find("# ==== Cách đọc số liệu").unwrap();
    let mut units = String::new();
    for name in COMMUNES {
        units.push_str(&format!("[[units]]\nname = \"{name}\"\ngroup = \"xa\"\n\n"));
    }
    for name in DEPARTMENTS {
        units.push_str(&format!("[[units]]\nname = \"{name}\"\ngroup = \"huyen\"\n\n"));
    }
    let mut cfg = format!("{}{units}{}", &init[..start], &init[end..]);
    let groups_before = "[[groups]]\nid = \"phuong_xa\"\nname = \"phường, xã\"\n\n[[groups]]\nid = \"thanh_pho\"\nname = \"phòng, ban, đơn vị thành phố\"\nlevel = \"thành phố\"\n";
    let groups_after = "[[groups]]\nid = \"xa\"\nname = \"xã, thị trấn\"\n\n[[groups]]\nid = \"huyen\"\nname = \"phòng, ban, đơn vị huyện\"\nlevel = \"huyện\"\n";
    assert!(cfg.contains(groups_before), "the init config's groups");
    cfg = cfg.replace(groups_before, groups_after);
    // No one-stop shop: no sum of digitisation over the departments.
    for figure in ["tong_ho_so", "da_so_hoa"] {
        let block = format!(
            "[[aggregates]]\nid = \"so_hoa.thanh_pho.{figure}\"\nsum = \"so_hoa.{figure}\"\ngroup = \"thanh_pho\"\n\n"
        );
        assert!(cfg.contains(&block), "{block}");
        cfg = cfg.replace(&block, "");
    }
    cfg = cfg
        .replace("id = \"so_hoa.phuong_xa.", "id = \"so_hoa.xa.")
        .replace("\"phuong_xa\"", "\"xa\"")
        .replace(", \"Văn phòng HĐND và UBND thành phố (Bộ phận tiếp nhận và trả kết quả)\"", "");
    let pilot = cfg.lines().find(|l| l.contains("\"kcb.kham_tu_xa\"")).unwrap().to_string();
    cfg.replace(&format!("{pilot}\n"), "")
}

/// The inbox of the district's month `months` after July: the 12 units'
/// workbooks (July's, or July's moved on by tests/common/month.rs, dates shifted,
/// figures kept) and the month's notes.
fn district_inbox(months: i32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = if months == 0 { None } else { Some(common::month::inbox(Later::new(months, 1.0))) };
    let source = from.as_ref().map_or_else(|| root().join(common::INBOX), |d| d.path().to_path_buf());
    let exp = expected();
    for name in COMMUNES.iter().chain(DEPARTMENTS.iter()) {
        for file in exp["units"][name]["files"].as_array().unwrap() {
            let file = common::month::file_name(file.as_str().unwrap(), months);
            std::fs::copy(source.join(&file), dir.path().join(&file)).unwrap();
        }
    }
    if months == 0 {
        std::fs::copy(root().join(common::INBOX).join("ghi-chu.md"), dir.path().join("ghi-chu.md")).unwrap();
    } else {
        common::month::write_notes(dir.path(), &(7 + months).to_string());
    }
    dir
}

/// The generator's figure `id` summed over `units` (a unit without it adds nothing).
fn expected_sum(units: &[&str], id: &str) -> Option<f64> {
    let exp = expected();
    let values: Vec<f64> = units.iter().filter_map(|u| exp["units"][*u]["figures"][id].as_f64()).collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

#[test]
fn init_writes_a_valid_commented_config_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("huyen-moi");
    let out = bin().arg("init").arg(&target).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let cfg = Config::load(&target.join("baocao.toml")).unwrap();
    // The indicator mapping of the sample, kept whole.
    let sample = Config::load(&root().join(common::CONFIG)).unwrap();
    assert_eq!(cfg.unit_figure_ids(), sample.unit_figure_ids());
    assert_eq!(cfg.derived.len(), sample.derived.len());
    assert_eq!(cfg.checks.len(), sample.checks.len());
    // Every line of the config that is not a value is a Vietnamese comment.
    let config = std::fs::read_to_string(target.join("baocao.toml")).unwrap();
    let comments = config.lines().filter(|l| l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n");
    for english in [" the ", " and ", " of ", "figures", "Sums over", "Checks on"] {
        assert!(!comments.contains(english), "English in the comments: {english:?}");
    }
    // The template is the built-in one under a Vietnamese note; the notes a skeleton.
    let template = std::fs::read_to_string(target.join("bao-cao.md.j2")).unwrap();
    let builtin = std::fs::read_to_string(root().join("templates/bao-cao.md.j2")).unwrap();
    assert!(template.ends_with(&builtin) && template.starts_with("{#-\n  Mẫu báo cáo của địa phương"));
    let notes = std::fs::read_to_string(target.join("ghi-chu.md")).unwrap();
    for slot in ["# I.", "# III.", "# IV.", "# V."] {
        assert!(notes.lines().any(|l| l.starts_with(slot)), "{slot}");
    }

    // A second init writes nothing and names what is there.
    std::fs::write(target.join("baocao.toml"), "# đã sửa\n").unwrap();
    std::fs::remove_file(target.join("ghi-chu.md")).unwrap();
    let again = bin().arg("init").arg(&target).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    let err = text(&again.stderr);
    assert!(err.contains("baocao.toml") && err.contains("bao-cao.md.j2") && err.contains("không ghi đè"), "{err}");
    assert!(!err.contains("ghi-chu.md"), "only the files that exist: {err}");
    assert_eq!(std::fs::read_to_string(target.join("baocao.toml")).unwrap(), "# đã sửa\n");
    assert!(!target.join("ghi-chu.md").exists(), "nothing written, not even the missing file");
}

#[test]
fn a_district_of_nine_communes_without_a_one_stop_shop_gets_its_report() {
    district_month(0);
}

/// The same district two months on (September's workbooks, made from July's).
#[test]
fn the_district_s_september_report() {
    district_month(2);
}

/// init, the district's config, check-template, convert and every figure, for
/// the month `months` after July.
fn district_month(months: i32) {
    let stem = format!("2024-{:02}", 7 + months);
    let office = tempfile::tempdir().unwrap();
    let out = bin().arg("init").arg(office.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let config = office.path().join("baocao.toml");
    let init = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, district_config(&init)).unwrap();
    // The clerk edits the template beside the config: convert uses it.
    let template_path = office.path().join("bao-cao.md.j2");
    let template = std::fs::read_to_string(&template_path).unwrap().replace("Phan Rang và Tháp Chàm", "huyện");
    std::fs::write(&template_path, &template).unwrap();
    let pilot_line = template.lines().position(|l| l.contains("kcb.kham_tu_xa")).unwrap() + 1;

    // check-template names the one sentence the district's config cannot fill.
    let checked = bin().args(["check-template", "--config"]).arg(&config).output().unwrap();
    let stdout = text(&checked.stdout);
    assert_eq!(checked.status.code(), Some(1), "{stdout}{}", text(&checked.stderr));
    assert!(stdout.contains(&format!("Mẫu báo cáo: {}", template_path.display())), "{stdout}");
    let listed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(listed.len(), 1, "{stdout}");
    assert!(
        listed[0].contains(&format!("dòng {pilot_line}: bỏ câu “- Đã xây dựng Kế hoạch số 961/KH-TTYT")),
        "{stdout}"
    );
    assert!(listed[0].contains("“kcb.kham_tu_xa”"), "{stdout}");

    // convert: the report is written, not a draft, the sentence left out with a warning.
    let inbox = district_inbox(months);
    let outdir = tempfile::tempdir().unwrap();
    let run = bin()
        .arg("convert")
        .arg(inbox.path())
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(outdir.path())
        .output()
        .unwrap();
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(stdout.contains("Tóm tắt: 12/12 đơn vị đã tổng hợp."), "{stdout}");
    let warned: Vec<&str> = stdout.lines().filter(|l| l.contains("bỏ câu")).collect();
    assert_eq!(warned.len(), 1, "{stdout}");
    assert!(
        warned[0].starts_with("  [cảnh báo] Mẫu báo cáo, dòng") && warned[0].contains("kcb.kham_tu_xa"),
        "{stdout}"
    );
    let docx = outdir.path().join(format!("bao-cao-{stem}.docx"));
    assert!(docx.is_file() && outdir.path().join(format!("phu-luc-{stem}.xlsx")).is_file());
    let body = docx_text(&docx);
    assert!(body.contains(&format!("trên địa bàn thành phố tháng {} năm 2024", 7 + months)), "{body}");
    assert!(!body.contains("Kế hoạch số 961/KH-TTYT") && !body.contains("khám bệnh, chữa bệnh từ xa"));
    assert!(body.contains("khu vực huyện"), "the edited template beside the config is the one used");
    assert!(!body.contains("Bộ phận tiếp nhận và trả kết quả thành phố: Trong tháng"));
    assert!(!body.contains("Bộ phận tiếp nhận và trả kết quả huyện:"), "no one-stop shop, no sentence");
    let (da, tong) =
        (expected_sum(&COMMUNES, "so_hoa.da_so_hoa").unwrap(), expected_sum(&COMMUNES, "so_hoa.tong_ho_so").unwrap());
    let sentence = format!(
        "Bộ phận tiếp nhận và trả kết quả xã, thị trấn: Trong tháng đã số hóa {}/{} hồ sơ",
        baocao::number::fmt_pad2(da),
        baocao::number::fmt_pad2(tong)
    );
    assert!(body.contains(&sentence), "{sentence}\n{body}");
    // The month's notes are in (July's: still following their figure sentences).
    match months {
        0 => assert!(body.contains("Tổ chức Lễ phát động thu nhận hồ sơ căn cước")),
        _ => assert!(body.contains("Các đơn vị báo cáo đầy đủ, đúng hạn.")),
    }

    // Every figure back: each unit figure the district's config reads is the sum
    // of the generator's figures over the 12 units, and the group sum over the 9.
    let json = bin().arg("check").arg(inbox.path()).arg("--config").arg(&config).arg("--json").output().unwrap();
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let cfg = Config::load(&config).unwrap();
    let all: Vec<&str> = COMMUNES.iter().chain(DEPARTMENTS.iter()).copied().collect();
    let mut compared = 0;
    for id in cfg.unit_figure_ids() {
        let got = json["totals"][&id]["value"].as_f64();
        match expected_sum(&all, &id) {
            Some(want) => {
                assert_eq!(got, Some(want), "{id}");
                compared += 1;
            }
            // Reported by none of the 12: a table row counts 0, a list item has no value.
            None => assert!(got.is_none() || got == Some(0.0), "{id}: {got:?}"),
        }
    }
    assert!(compared >= 60, "compared {compared} figures");
    assert_eq!(json["totals"]["so_hoa.xa.da_so_hoa"]["value"].as_f64(), Some(da));
    assert!(json["totals"].get("so_hoa.thanh_pho.da_so_hoa").is_none());
}

/// Issue 15's end-to-end check: `init` into a temp folder, the units edited to
/// a 9-commune district, `baocao forms` written and filled as units fill them
/// (tests/common/forms.rs: every typed number read back from its cell, every
/// consolidated figure the sum of what was typed), then `convert`: the DOCX
/// written, with the district's sums in its sentences.
#[test]
fn init_edit_forms_fill_convert() {
    let office = tempfile::tempdir().unwrap();
    let init = bin().arg("init").arg(office.path()).output().unwrap();
    assert_eq!(init.status.code(), Some(0));
    let config = office.path().join("baocao.toml");
    std::fs::write(&config, district_config(&std::fs::read_to_string(&config).unwrap())).unwrap();
    assert_eq!(Config::load(&config).unwrap().units.len(), COMMUNES.len() + DEPARTMENTS.len());
    let inbox = common::forms::round_trip(&config);
    common::month::write_notes(inbox.path(), "9");
    let (_, json) = common::forms::check_with(&config, inbox.path());
    let outdir = tempfile::tempdir().unwrap();
    let run = common::forms::baocao_with("convert", &config, inbox.path(), &["--out", outdir.path().to_str().unwrap()]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}{}", text(&run.stderr));
    assert!(stdout.contains("Tóm tắt: 12/12 đơn vị đã tổng hợp."), "{stdout}");
    let docx = outdir.path().join(format!("bao-cao-{}.docx", common::forms::PERIOD));
    let body = docx_text(&docx);
    let value = |id: &str| json["totals"][id]["value"].as_f64().unwrap_or_else(|| panic!("{id}"));
    let sentence = format!(
        "Bộ phận tiếp nhận và trả kết quả xã, thị trấn: Trong tháng đã số hóa {}/{} hồ sơ",
        baocao::number::fmt_pad2(value("so_hoa.xa.da_so_hoa")),
        baocao::number::fmt_pad2(value("so_hoa.xa.tong_ho_so"))
    );
    assert!(body.contains(&sentence), "{sentence}\n{body}");
    let tin_bai = format!("Đăng tải {} tin, bài", baocao::number::fmt_pad2(value("tuyen_truyen.tin_bai")));
    assert!(body.contains(&tin_bai), "{tin_bai}");
    assert!(!body.contains("Kế hoạch số 961/KH-TTYT"), "the pilot the district does not run is left out");
}

/// The text runs of the DOCX body, joined.
fn docx_text(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        if after[..open_end].ends_with('/') || !(after[4..].starts_with('>') || after[4..].starts_with(' ')) {
            rest = &after[open_end + 1..];
            continue;
        }
        let body = &after[open_end + 1..];
        let end = body.find("</w:t>").unwrap();
        out.push_str(&body[..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
        rest = &body[end..];
    }
    out
}

#[test]
fn a_group_sum_no_unit_of_the_group_reports_is_left_out_with_a_warning() {
    // The sample's city without its one-stop shop: the unit and its name in
    // `reported_by` removed, the sums of digitisation over the city's offices kept
    // (the clerk forgot them). No office of the city reports "Số hóa" now.
    let sample = std::fs::read_to_string(root().join(common::CONFIG)).unwrap();
    let one_stop = "Văn phòng HĐND và UBND thành phố (Bộ phận tiếp nhận và trả kết quả)";
    let block_start = sample.find(&format!("[[units]]\nname = \"{one_stop}\"")).unwrap();
    let block_end = block_start + sample[block_start..].find("\n\n").unwrap() + 2;
    let cfg_text =
        format!("{}{}", &sample[..block_start], &sample[block_end..]).replace(&format!(", \"{one_stop}\""), "");
    assert!(!cfg_text.contains(one_stop));
    assert!(cfg_text.contains("id = \"so_hoa.thanh_pho.da_so_hoa\""), "the sums are kept");
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("baocao.toml");
    std::fs::write(&cfg, cfg_text).unwrap();
    let inbox = common::inbox_without(&["BP Mot cua TP - DA06 T7.xlsx"]);

    let out = bin().arg("check").arg(inbox.path()).arg("--config").arg(&cfg).arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only: {}", text(&out.stderr));
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    let said: Vec<&str> = run["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "sum_not_reported")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(said.len(), 2, "{said:?}");
    for (id, msg) in ["so_hoa.thanh_pho.tong_ho_so", "so_hoa.thanh_pho.da_so_hoa"].iter().zip(&said) {
        assert!(msg.contains(id) && msg.contains("phòng, ban, đơn vị thành phố"), "{msg}");
        assert!(run["totals"].get(*id).is_none(), "{id} is no figure");
    }
    // The wards' sums are untouched.
    assert_eq!(
        run["totals"]["so_hoa.phuong_xa.da_so_hoa"]["value"].as_f64(),
        expected()["consolidated"]["so_hoa.phuong_xa.da_so_hoa"].as_f64()
    );

    let out_dir = tempfile::tempdir().unwrap();
    let res = bin()
        .arg("convert")
        .arg(inbox.path())
        .arg("--config")
        .arg(&cfg)
        .arg("--out")
        .arg(out_dir.path())
        .output()
        .unwrap();
    let stdout = text(&res.stdout);
    assert_eq!(res.status.code(), Some(0), "{stdout}{}", text(&res.stderr));
    let body = common::month::docx_text(&out_dir.path().join("bao-cao-2024-07.docx"));
    assert!(!body.contains("BẢN NHÁP"), "no gap, no draft");
    assert!(!body.contains("Bộ phận tiếp nhận và trả kết quả thành phố:"), "no sentence on the city's sum");
    assert!(body.contains("Bộ phận tiếp nhận và trả kết quả phường"), "the wards' sentence stays");
}
