//! The live appendix: LibreOffice recalculates the XLSX `convert` writes and gets
//! the values baocao cached, on July, on July with a unit missing, and on August
//! with July's figures in the "Tháng trước" columns. A test of the formulas and
//! of their cached results at once: a formula that does not add up to the
//! consolidated figure, or a result cached wrong, changes a value here.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};

mod common;

use common::month::{self, Later};
use common::{JULY_SIGNING, baocao, root};

/// The sheets whose cells are formulas over each other.
fn live_sheet(name: &str) -> bool {
    name.starts_with("Phụ lục") || name.starts_with("Chi tiết đơn vị")
}

/// LibreOffice's program, when installed.
fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        let ok = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
        ok.then(|| PathBuf::from(name))
    })
}

/// A LibreOffice profile that recalculates every formula of an OOXML file on
/// load (by default it keeps the cached results of a file that says Excel wrote it).
fn recalculating_profile(dir: &Path) -> String {
    let user = dir.join("user");
    std::fs::create_dir_all(&user).unwrap();
    let xcu = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;
    std::fs::write(user.join("registrymodifications.xcu"), xcu).unwrap();
    format!("-env:UserInstallation=file://{}", dir.display())
}

/// `xlsx` loaded, recalculated and saved again by LibreOffice, into `out`.
fn recalculated(soffice: &Path, xlsx: &Path, out: &Path) -> PathBuf {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(soffice)
        .arg(recalculating_profile(profile.path()))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(out)
        .arg(xlsx)
        .output()
        .unwrap();
    let path = out.join(xlsx.file_name().unwrap());
    assert!(path.exists(), "LibreOffice wrote nothing: {}", String::from_utf8_lossy(&status.stderr));
    path
}

/// Every cell of the live sheets, by (sheet, row, column).
fn live_cells(path: &Path) -> Vec<((String, u32, u32), Data)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut cells = Vec::new();
    for name in book.sheet_names().into_iter().filter(|n| live_sheet(n)) {
        let range = book.worksheet_range(&name).unwrap();
        for (r, c, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            if *d != Data::Empty {
                cells.push(((name.clone(), r0 + r as u32, c0 + c as u32), d.clone()));
            }
        }
    }
    cells
}

/// Asserts LibreOffice's recalculation of `xlsx` gives every cached value; returns how many
/// formula cells the appendix sheets have.
fn assert_recalculation_keeps_every_value(soffice: &Path, xlsx: &Path) -> usize {
    let out = tempfile::tempdir().unwrap();
    let again = recalculated(soffice, xlsx, out.path());
    let (cached, recalculated) = (live_cells(xlsx), live_cells(&again));
    assert_eq!(cached.len(), recalculated.len(), "the same cells");
    for ((at, a), (at_b, b)) in cached.iter().zip(&recalculated) {
        assert_eq!(at, at_b);
        match (a, b) {
            (Data::Float(x), Data::Float(y)) => {
                assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{at:?}: cached {x}, recalculated {y}")
            }
            _ => assert_eq!(a, b, "{at:?}"),
        }
    }
    let mut book: Xlsx<_> = open_workbook(xlsx).unwrap();
    let names: Vec<String> = book.sheet_names().into_iter().filter(|n| n.starts_with("Phụ lục")).collect();
    names
        .iter()
        .map(|n| book.worksheet_formula(n).unwrap().used_cells().filter(|(_, _, f)| !f.is_empty()).count())
        .sum()
}

/// `convert` of `inbox` into `out`, with `extra` flags; the appendix written.
fn convert(inbox: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let res = baocao("convert", inbox, &args);
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap_or_else(|| panic!("no appendix: {}", String::from_utf8_lossy(&res.stderr)))
}

#[test]
fn libreoffice_recalculates_the_appendix_to_the_values_baocao_cached() {
    let Some(soffice) = soffice() else {
        eprintln!("LibreOffice (soffice) is not installed: the recalculation test is skipped");
        return;
    };
    // First, that the profile does make LibreOffice recalculate: a cached 5 for 1+1 becomes 2.
    let probe = tempfile::tempdir().unwrap();
    let path = probe.path().join("probe.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_formula(0, 0, rust_xlsxwriter::Formula::new("=1+1").set_result("5")).unwrap();
    wb.save(&path).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut again: Xlsx<_> = open_workbook(recalculated(&soffice, &path, out.path())).unwrap();
    let sheet = again.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.get_value((0, 0)), Some(&Data::Float(2.0)), "LibreOffice recalculated");

    // July, every unit counted.
    let july = tempfile::tempdir().unwrap();
    let july_xlsx = convert(&root().join("samples/inbox-2024-07"), july.path(), &JULY_SIGNING);
    assert!(assert_recalculation_keeps_every_value(&soffice, &july_xlsx) > 30, "Phụ lục I and II are formulas");

    // July with a unit missing: its cells are empty, the totals of the others are the figures.
    let inbox = common::inbox_without(&["BC DA06 T7-2024 - Bao An.xlsx"]);
    let out = tempfile::tempdir().unwrap();
    let xlsx = convert(inbox.path(), out.path(), &JULY_SIGNING);
    assert_recalculation_keeps_every_value(&soffice, &xlsx);

    // August, July's figures in the "Tháng trước" columns beside August's.
    let august = month::inbox(Later::new(1, 1.1));
    let out = tempfile::tempdir().unwrap();
    let xlsx = convert(august.path(), out.path(), &["--previous", july_xlsx.to_str().unwrap()]);
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let appendix = book.worksheet_range("Phụ lục I").unwrap();
    assert!(appendix.used_cells().any(|(_, _, d)| *d == Data::String("Tháng trước".into())), "last month's column");
    assert_recalculation_keeps_every_value(&soffice, &xlsx);
}
