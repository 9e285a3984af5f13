//! The documents as Word's rules see them: every DOCX and XLSX the tool writes is
//! checked by the Open XML validator `openxml-audit` (strict, Office 2016 and
//! Microsoft 365 rules), for July, for a draft (a department missing), and for a
//! later month; and the package says what the document is.

mod common;

use common::{audit, baocao, inbox_without};
use std::io::Read;
use std::path::{Path, PathBuf};

/// `convert` of `inbox` into a new folder: the DOCX and the XLSX written.
fn convert(inbox: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--out", out.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    let res = baocao("convert", inbox, &args);
    assert!(matches!(res.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&res.stderr));
    let find = |ext: &str| {
        std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap_or_else(|| panic!("no .{ext} written"))
    };
    let (docx, xlsx) = (find("docx"), find("xlsx"));
    (out, docx, xlsx)
}

fn assert_valid(file: &Path) {
    for format in ["office2016", "microsoft365"] {
        let errors = audit::errors(file, format);
        assert!(errors.is_empty(), "{} ({format}): {} findings\n{}", file.display(), errors.len(), errors.join("\n"));
    }
}

fn part(file: &Path, name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).unwrap();
    Some(text)
}

#[test]
fn the_july_report_and_appendix_pass_the_validator_and_say_what_they_are() {
    let inbox = inbox_without(&[]);
    let (_out, docx, xlsx) = convert(inbox.path(), &["--number", "287", "--date", "12/07/2024"]);
    assert_valid(&docx);
    assert_valid(&xlsx);

    let core = part(&docx, "docProps/core.xml").unwrap();
    assert!(core.contains("<dc:title>Kết quả triển khai Đề án"), "{core}");
    assert!(core.contains("<dc:creator>TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN"), "{core}");
    assert!(core.contains(">2024-07-12T00:00:00Z</dcterms:created>"), "{core}");
    assert!(!core.contains("unknown"), "{core}");
    let styles = part(&docx, "word/styles.xml").unwrap();
    let defaults = &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    assert!(defaults.contains("w:val=\"vi-VN\""), "Vietnamese is the proofing language: {defaults}");
    assert!(part(&docx, "word/theme/theme1.xml").is_some(), "a theme part");

    // Every part is reached from a relationship, and every relationship reaches a part.
    let types = part(&docx, "[Content_Types].xml").unwrap();
    let rels = part(&docx, "word/_rels/document.xml.rels").unwrap();
    for piece in types.split("PartName=\"/word/").skip(1) {
        let name = &piece[..piece.find('"').unwrap()];
        if name.starts_with("_rels/") || name == "document.xml" {
            continue;
        }
        assert!(rels.contains(&format!("Target=\"{name}\"")), "{name} has a content type but no relationship");
    }
    for piece in rels.split("Target=\"").skip(1) {
        let target = &piece[..piece.find('"').unwrap()];
        assert!(part(&docx, &format!("word/{target}")).is_some(), "a relationship to a missing part {target}");
    }

    // The header block stays inside the margins: no table reaches into them.
    let body = part(&docx, "word/document.xml").unwrap();
    assert!(!body.contains("<w:tblInd w:w=\"-"), "a table indented into the left margin");

    // Phụ lục I (the third table): no row splits over two pages; its header, its
    // first rows, and its last three data rows keep with the next row, so a page
    // break leaves at least three rows with the total; the rows between do not.
    let table = body.split("<w:tbl>").nth(3).unwrap();
    let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 2 + 15 + 1, "two header rows, 15 services, the total");
    assert!(rows.iter().all(|r| r.contains("<w:cantSplit")));
    let keeps: Vec<bool> = rows.iter().map(|r| r.contains("<w:keepNext")).collect();
    assert!(keeps[..4].iter().all(|k| *k), "header and first rows: {keeps:?}");
    assert!(keeps[14..17].iter().all(|k| *k), "the last three data rows: {keeps:?}");
    assert!(!keeps[17], "the total ends the chain");
    assert!(!keeps[6..14].iter().any(|k| *k), "the middle rows may break: {keeps:?}");
}

#[test]
fn a_draft_and_a_later_month_pass_the_validator_too() {
    let inbox = inbox_without(&["Phong LDTBXH - An sinh xa hoi T7-2024.xlsx"]);
    let (_out, docx, xlsx) = convert(inbox.path(), &[]);
    assert!(common::month::docx_text(&docx).contains("BẢN NHÁP"), "the missing department makes a draft");
    assert_valid(&docx);
    assert_valid(&xlsx);

    let august = common::month::inbox(common::month::Later::new(1, 1.1));
    let (_out, docx, xlsx) = convert(august.path(), &["--number", "312", "--date", "12/08/2024"]);
    assert_valid(&docx);
    assert_valid(&xlsx);
}
