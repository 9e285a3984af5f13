//! `baocao forms` and back (issue 15, items 1-2): the blank forms of the sample
//! config for September 2024 are each recognised by `check` as their unit's and
//! reported "chưa điền số liệu"; the same forms with a distinct number typed into
//! every open cell give back exactly those numbers, each with its cell, and no
//! finding about their layout. The forms pass openxml-audit (strict).
//!
//! Numbers are typed the way Excel stores them: into the package XML of each
//! input cell (an unlocked cell, as the form's styles say), and every formula's
//! stored result worked out again, as Excel does on saving.

mod common;

use assert_cmd::Command;
use baocao::config::Config;
use common::{CONFIG, check_json, root};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::Path;

const PERIOD: &str = "2024-09";

/// `baocao forms --config CONFIG --period PERIOD --out DIR ARGS…`
fn forms(out: &Path, args: &[&str]) -> std::process::Output {
    forms_with(&root().join(CONFIG), out, args)
}

/// `baocao forms --config CFG --period PERIOD --out DIR ARGS…`
fn forms_with(cfg: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("baocao")
        .unwrap()
        .args(["forms", "--config"])
        .arg(cfg)
        .args(["--period", PERIOD, "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

/// `baocao SUB INBOX --config CFG ARGS…`
fn baocao_with(sub: &str, cfg: &Path, inbox: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("baocao").unwrap().arg(sub).arg(inbox).arg("--config").arg(cfg).args(args).output().unwrap()
}

/// `baocao check INBOX --config CFG --json`: the exit code and the JSON.
fn check_with(cfg: &Path, inbox: &Path) -> (i32, serde_json::Value) {
    let out = baocao_with("check", cfg, inbox, &["--json"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
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

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
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

/// What was typed into one form: (sheet, cell) -> value, for the input cells and
/// the formula cells worked out from them; and which cells were typed in.
#[derive(Default)]
struct Typed {
    values: HashMap<(String, String), f64>,
    inputs: BTreeSet<(String, String)>,
    /// SUM cells and the cells they add.
    sums: HashMap<(String, String), Vec<String>>,
}

/// Fill every unlocked cell of the form `bytes` (a number into a number cell, a
/// name into a text cell), numbers counting down from `*next`, and work out its
/// formulas again. Numbers count down in reading order: in every form a figure
/// comes after the one it may not exceed, so the checks hold.
fn fill(bytes: &[u8], next: &mut f64) -> (Vec<u8>, Typed) {
    fill_fixed(bytes, next, &HashMap::new())
}

/// [`fill`], with the numbers `fixed` gives for some cells, by (sheet, cell).
fn fill_fixed(bytes: &[u8], next: &mut f64, fixed: &HashMap<(String, String), f64>) -> (Vec<u8>, Typed) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts: Vec<(String, String)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.push((f.name().unwrap().to_string(), text));
    }
    let part = |parts: &[(String, String)], name: &str| parts.iter().find(|(n, _)| n == name).unwrap().1.clone();
    // Unlocked styles, and which of them are text ("@").
    let styles = part(&parts, "xl/styles.xml");
    let text_fmts: BTreeSet<String> = Regex::new(r#"<numFmt numFmtId="(\d+)" formatCode="@"/>"#)
        .unwrap()
        .captures_iter(&styles)
        .map(|c| c[1].to_string())
        .collect();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xf = Regex::new(r#"<xf numFmtId="(\d+)"[^>]*?(/>|>.*?</xf>)"#).unwrap();
    let mut open: HashMap<String, bool> = HashMap::new(); // style index -> is text
    for (i, c) in xf.captures_iter(xfs).enumerate() {
        if c[2].contains(r#"locked="0""#) {
            open.insert(i.to_string(), text_fmts.contains(&c[1]));
        }
    }
    let sheet_names: Vec<String> = Regex::new(r#"<sheet name="([^"]+)""#)
        .unwrap()
        .captures_iter(&part(&parts, "xl/workbook.xml"))
        .map(|c| c[1].replace("&amp;", "&"))
        .collect();
    let mut typed = Typed::default();
    let empty = Regex::new(r#"<c r="([A-Z]+\d+)" s="(\d+)"/>"#).unwrap();
    let formula = Regex::new(r#"<c r="([A-Z]+\d+)" s="(\d+)"( t="str")?><f>([^<]*)</f><v>[^<]*</v></c>"#).unwrap();
    let sum = Regex::new(r"^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$").unwrap();
    let ratio = Regex::new(r#"^IF\(N\(([A-Z]+\d+)\)=0,"-",([A-Z]+\d+)/([A-Z]+\d+)\)$"#).unwrap();
    let mut label = 0;
    for (i, sheet) in sheet_names.iter().enumerate() {
        let name = format!("xl/worksheets/sheet{}.xml", i + 1);
        let xml = part(&parts, &name);
        let xml = empty.replace_all(&xml, |c: &regex::Captures| match open.get(&c[2]) {
            None => c[0].to_string(),
            Some(true) => {
                label += 1;
                format!(r#"<c r="{}" s="{}" t="inlineStr"><is><t>Trạm Y tế số {label}</t></is></c>"#, &c[1], &c[2])
            }
            Some(false) => {
                *next -= 7.0;
                let at = (sheet.clone(), c[1].to_string());
                let v = fixed.get(&at).copied().unwrap_or(*next);
                typed.values.insert(at.clone(), v);
                typed.inputs.insert(at);
                format!(r#"<c r="{}" s="{}"><v>{v}</v></c>"#, &c[1], &c[2])
            }
        });
        // Sums first, then the ratios (a total row's ratio divides two sums).
        let mut xml = xml.into_owned();
        for pass in [0, 1] {
            xml = formula
                .replace_all(&xml, |c: &regex::Captures| {
                    let (cell, style, f) = (&c[1], &c[2], &c[4]);
                    let get = |r: &str| typed.values.get(&(sheet.clone(), r.to_string())).copied().unwrap_or(0.0);
                    if let Some(s) = sum.captures(f) {
                        if pass == 1 {
                            return c[0].to_string();
                        }
                        assert_eq!(s[1], s[3], "a SUM down one column: {f}");
                        let rows: u32 = s[2].parse().unwrap();
                        let cells: Vec<String> =
                            (rows..=s[4].parse().unwrap()).map(|r| format!("{}{r}", &s[1])).collect();
                        let v: f64 = cells.iter().map(|r| get(r)).sum();
                        typed.values.insert((sheet.clone(), cell.to_string()), v);
                        typed.sums.insert((sheet.clone(), cell.to_string()), cells);
                        return format!(r#"<c r="{cell}" s="{style}"><f>{f}</f><v>{v}</v></c>"#);
                    }
                    let r = ratio.captures(f).unwrap_or_else(|| panic!("a formula the forms do not write: {f}"));
                    if pass == 0 {
                        return c[0].to_string();
                    }
                    let (den, num) = (get(&r[1]), get(&r[2]));
                    assert_eq!(&r[1], &r[3]);
                    assert!(den > 0.0, "every row is filled");
                    format!(r#"<c r="{cell}" s="{style}"><f>{f}</f><v>{}</v></c>"#, num / den)
                })
                .into_owned();
        }
        parts.iter_mut().find(|(n, _)| *n == name).unwrap().1 = xml;
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in &parts {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    (out.finish().unwrap().into_inner(), typed)
}

/// Every form of `blank` filled ([`fill_fixed`], numbers counting down from one
/// start, `fixed` by file) into a new inbox.
fn fill_all(
    blank: &Path,
    fixed: &BTreeMap<String, HashMap<(String, String), f64>>,
) -> (tempfile::TempDir, BTreeMap<String, Typed>) {
    let inbox = tempfile::tempdir().unwrap();
    let mut next = 9_000_000.0;
    let mut typed = BTreeMap::new();
    let none = HashMap::new();
    for name in files(blank) {
        let bytes = std::fs::read(blank.join(&name)).unwrap();
        let (bytes, t) = fill_fixed(&bytes, &mut next, fixed.get(&name).unwrap_or(&none));
        assert!(!t.inputs.is_empty(), "{name} has cells to fill");
        std::fs::write(inbox.path().join(&name), bytes).unwrap();
        typed.insert(name, t);
    }
    (inbox, typed)
}

/// The forms of the config at `cfg_path` for PERIOD, filled and checked: every
/// unit counted, every figure the number typed in its cell, every consolidated
/// figure the sum of what was typed, and no finding but infos. The numbers
/// typed are distinct and count down in reading order (a figure comes after the
/// one it may not exceed); the totals of the config's `sum` checks are then
/// typed as the sums of their parts (found by a first run), so the check is clean.
/// Returns the filled inbox.
fn round_trip(cfg_path: &Path) -> tempfile::TempDir {
    let cfg = Config::load(cfg_path).unwrap();
    let blank = tempfile::tempdir().unwrap();
    let out = forms_with(cfg_path, blank.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files(blank.path()).len(), cfg.units.len());
    // First run: which cell holds which figure.
    let (inbox, typed) = fill_all(blank.path(), &BTreeMap::new());
    let (_, run) = check_with(cfg_path, inbox.path());
    let mut fixed: BTreeMap<String, HashMap<(String, String), f64>> = BTreeMap::new();
    for u in run["units"].as_array().unwrap() {
        let Some(file) = u["files"][0].as_str() else { continue };
        let at: HashMap<&str, (String, String)> = u["figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let src = &f["source"];
                (
                    f["id"].as_str().unwrap(),
                    (src["sheet"].as_str().unwrap().into(), src["cell"].as_str().unwrap().into()),
                )
            })
            .collect();
        for c in cfg.checks.iter().filter(|c| c.kind == baocao::config::CheckKind::Sum) {
            let total = c.total.as_ref().unwrap().get_ref().as_str();
            let (Some(total_at), Some(parts)) =
                (at.get(total), c.parts.iter().map(|p| at.get(p.get_ref().as_str())).collect::<Option<Vec<_>>>())
            else {
                continue;
            };
            let sum: f64 = parts.iter().map(|p| typed[file].values[*p]).sum();
            fixed.entry(file.to_string()).or_default().insert(total_at.clone(), sum);
        }
    }
    // Second run: the filled forms as a unit would send them.
    let (inbox, typed) = fill_all(blank.path(), &fixed);
    let (code, run) = check_with(cfg_path, inbox.path());
    let findings = run["findings"].as_array().unwrap();
    // Nothing about the layout, nor anything else: only infos.
    assert!(findings.iter().all(|f| f["severity"] == "info"), "{findings:#?}");
    assert!(!findings.iter().any(|f| f["kind"] == "text_numbers_converted" || f["kind"] == "blank_unit"));
    assert_eq!(code, 0);
    // Every unit counted, every figure the number in its cell.
    let mut by_id: BTreeMap<String, f64> = BTreeMap::new();
    for u in run["units"].as_array().unwrap() {
        assert_eq!(u["status"], "counted", "{}", u["name"]);
        let file = u["files"][0].as_str().unwrap();
        let t = &typed[file];
        let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
        let figures = u["figures"].as_array().unwrap();
        assert!(!figures.is_empty(), "{}", u["name"]);
        for f in figures {
            let src = &f["source"];
            assert_eq!(src["file"], file);
            let at = (src["sheet"].as_str().unwrap().to_string(), src["cell"].as_str().unwrap().to_string());
            let want = t.values.get(&at).unwrap_or_else(|| panic!("{} read {at:?}, not a cell of the form", u["name"]));
            assert_eq!(f["value"].as_f64().unwrap(), *want, "{} {} at {at:?}", u["name"], f["id"]);
            *by_id.entry(f["id"].as_str().unwrap().to_string()).or_default() += want;
            match t.sums.get(&at) {
                // A table without rows: its figure is the total of the cells typed above.
                Some(cells) => covered.extend(cells.iter().map(|c| (at.0.clone(), c.clone()))),
                None => {
                    assert!(t.inputs.contains(&at), "{at:?} is an input cell");
                    covered.insert(at);
                }
            }
        }
        let missed: Vec<_> = t.inputs.difference(&covered).collect();
        assert!(missed.is_empty(), "{}: typed but not read: {missed:?}", u["name"]);
    }
    // Every consolidated figure of a unit figure id is the sum of what was typed.
    let ids = cfg.unit_figure_ids();
    assert_eq!(by_id.keys().cloned().collect::<BTreeSet<_>>(), ids, "every figure of the config is on some form");
    for (id, sum) in &by_id {
        assert_eq!(common::total(&run, id), *sum, "{id}");
    }
    // A table's totals are its rows'.
    for t in cfg.tables.iter().filter(|t| !t.rows.is_empty()) {
        for c in &t.columns {
            let rows: f64 = t.rows.iter().map(|r| by_id[&format!("{}.rows[{}].{}", t.id, r.stt, c.id)]).sum();
            assert_eq!(common::total(&run, &format!("{}.total.{}", t.id, c.id)), rows, "{} {}", t.id, c.id);
        }
    }
    inbox
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
