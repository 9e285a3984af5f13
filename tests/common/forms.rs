//! Blank forms of a config (`baocao forms`) filled as a unit would fill them, and
//! read back: shared by tests/forms_round_trip.rs and tests/new_office.rs.
//!
//! Numbers are typed the way Excel stores them: into the package XML of each
//! input cell (an unlocked cell, as the form's styles say), and every formula's
//! stored result worked out again, as Excel does on saving.

use assert_cmd::Command;
use baocao::config::Config;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::Path;

pub const PERIOD: &str = "2024-09";

/// `baocao forms --config CFG --period PERIOD --out DIR ARGS…`
pub fn forms_with(cfg: &Path, out: &Path, args: &[&str]) -> std::process::Output {
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
pub fn baocao_with(sub: &str, cfg: &Path, inbox: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("baocao").unwrap().arg(sub).arg(inbox).arg("--config").arg(cfg).args(args).output().unwrap()
}

/// `baocao check INBOX --config CFG --json`: the exit code and the JSON.
pub fn check_with(cfg: &Path, inbox: &Path) -> (i32, serde_json::Value) {
    let out = baocao_with("check", cfg, inbox, &["--json"]);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), json)
}

pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// What was typed into one form: (sheet, cell) -> value, for the input cells and
/// the formula cells worked out from them; and which cells were typed in.
#[derive(Default)]
pub struct Typed {
    /// (sheet, cell) -> the number typed there, or worked out by its formula.
    pub values: HashMap<(String, String), f64>,
    /// The cells typed in.
    pub inputs: BTreeSet<(String, String)>,
    /// SUM cells and the cells they add.
    pub sums: HashMap<(String, String), Vec<String>>,
}

/// Fill every unlocked cell of the form `bytes` (a number into a number cell, a
/// name into a text cell), numbers counting down from `*next`, and work out its
/// formulas again. Numbers count down in reading order: in every form a figure
/// comes after the one it may not exceed, so the checks hold.
pub fn fill(bytes: &[u8], next: &mut f64) -> (Vec<u8>, Typed) {
    fill_fixed(bytes, next, &HashMap::new())
}

/// [`fill`], with the numbers `fixed` gives for some cells, by (sheet, cell).
pub fn fill_fixed(bytes: &[u8], next: &mut f64, fixed: &HashMap<(String, String), f64>) -> (Vec<u8>, Typed) {
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
pub fn fill_all(
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
pub fn round_trip(cfg_path: &Path) -> tempfile::TempDir {
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
        assert_eq!(super::total(&run, id), *sum, "{id}");
    }
    // A table's totals are its rows'.
    for t in cfg.tables.iter().filter(|t| !t.rows.is_empty()) {
        for c in &t.columns {
            let rows: f64 = t.rows.iter().map(|r| by_id[&format!("{}.rows[{}].{}", t.id, r.stt, c.id)]).sum();
            assert_eq!(super::total(&run, &format!("{}.total.{}", t.id, c.id)), rows, "{} {}", t.id, c.id);
        }
    }
    inbox
}
