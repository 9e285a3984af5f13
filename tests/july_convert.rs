//! `baocao convert` on the July samples: the XLSX appendix read back with calamine,
//! the DOCX opened as zip + XML, byte-identical re-runs, --strict and atomic outputs.

mod common;

use baocao::text::nfc;
use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::{JULY_SIGNING, baocao, inbox_without, root};
use std::io::Read;
use std::path::Path;

fn convert(inbox: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    // Numbered and dated as the seed is (a clerk's flags, never the config's).
    let mut args = vec!["--out", out.to_str().unwrap()];
    args.extend_from_slice(&JULY_SIGNING);
    args.extend_from_slice(extra);
    baocao("convert", inbox, &args)
}

fn docx_xml(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

fn docx_text(path: &Path) -> String {
    let xml = docx_xml(path);
    // Text runs only, so sentences split over several runs read whole.
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        if after[..open_end].ends_with('/') {
            rest = &after[open_end + 1..];
            continue;
        }
        let body = &after[open_end + 1..];
        let end = body.find("</w:t>").unwrap();
        text.push_str(&body[..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
        rest = &body[end..];
    }
    text
}

#[test]
fn convert_writes_the_appendix_and_report_with_the_seed_figures() {
    let out = tempfile::tempdir().unwrap();
    let res = convert(&root().join("samples/inbox-2024-07"), out.path(), &[]);
    assert_eq!(res.status.code(), Some(0), "{}", String::from_utf8_lossy(&res.stderr));
    let xlsx = out.path().join("phu-luc-2024-07.xlsx");
    let docx = out.path().join("bao-cao-2024-07.docx");

    // XLSX: the Tổng row of the first appendix table, with its formulas and cached values.
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = wb.worksheet_range("Phụ lục I").unwrap();
    let formulas = wb.worksheet_formula("Phụ lục I").unwrap();
    let (r0, c0) = sheet.start().unwrap();
    let row =
        sheet.rows().position(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == "Tổng"))).expect("a Tổng row");
    let cells: Vec<&Data> = sheet.rows().nth(row).unwrap().iter().collect();
    let nums: Vec<f64> = cells.iter().filter_map(|c| c.as_f64()).collect();
    assert!(nums.contains(&8725.0) && nums.contains(&8685.0), "{cells:?}");
    assert!(nums.iter().any(|v| (v - 0.9954).abs() < 5e-5), "ratio cached as a fraction: {cells:?}");
    let abs_row = r0 + row as u32;
    let total_formulas: Vec<String> = (c0..c0 + cells.len() as u32)
        .filter_map(|c| formulas.get_value((abs_row, c)).cloned())
        .filter(|f| !f.is_empty())
        .collect();
    assert!(total_formulas.iter().any(|f| f.starts_with("SUM(")), "{total_formulas:?}");
    assert!(total_formulas.iter().any(|f| f.starts_with("IF(")), "{total_formulas:?}");

    // XLSX: every row of both appendix tables, by STT: total, online and ratio (cached
    // as a fraction, or "-" for a row with no records) equal the expected figures.
    let expected = common::expected();
    for (sheet_name, table, rows) in [("Phụ lục I", "dvc_thiet_yeu", 15), ("Phụ lục II", "dvc_qd422", 1)] {
        let range = wb.worksheet_range(sheet_name).unwrap();
        for stt in 1..=rows {
            let row = range
                .rows()
                .find(|r| r.first().and_then(|c| c.as_f64()) == Some(stt as f64))
                .unwrap_or_else(|| panic!("{sheet_name}: no row {stt}"));
            let want = |col: &str| expected["consolidated"][format!("{table}.rows[{stt}].{col}")].clone();
            let nums: Vec<f64> = row.iter().skip(2).filter_map(|c| c.as_f64()).collect();
            let (total, online) = (want("total").as_f64().unwrap(), want("online").as_f64().unwrap());
            assert_eq!(&nums[..2], &[total, online], "{sheet_name} row {stt}: {row:?}");
            match want("ratio_pct").as_f64() {
                Some(pct) => assert!((nums[2] * 100.0 - pct).abs() < 0.005, "{sheet_name} row {stt}: {row:?}"),
                None => assert!(row.iter().any(|c| c == &Data::String("-".into())), "{sheet_name} row {stt}: {row:?}"),
            }
        }
    }

    // XLSX: the Kiểm tra sheet holds every expected problem with its file and cell.
    let checks = wb.worksheet_range("Kiểm tra").unwrap();
    let rows: Vec<Vec<String>> = checks.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    for p in expected["problems"].as_array().unwrap() {
        let file = p["file"].as_str().unwrap();
        let cell = p["cell"].as_str();
        assert!(
            rows.iter().any(|r| r.iter().any(|c| c == file) && cell.is_none_or(|cell| r.iter().any(|c| c == cell))),
            "Kiểm tra lacks {} ({file} {cell:?})",
            p["id"]
        );
    }

    // XLSX: on "Nguồn" (one row per unit figure: STT, Đơn vị, Số liệu, Giá trị, Tệp, Trang tính,
    // Ô, Mã số liệu), each unit's rows name its file and the sheet and cell of each of its
    // figures, as the expected cells list them.
    let sources = wb.worksheet_range("Nguồn").unwrap();
    let header: Vec<String> =
        (0..8).map(|c| sources.get_value((0, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(header, ["STT", "Đơn vị", "Số liệu", "Giá trị", "Tệp", "Trang tính", "Ô", "Mã số liệu"]);
    let text_at = |r: u32, c: u32| match sources.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    for (name, unit) in expected["units"].as_object().unwrap() {
        let file = unit["files"][0].as_str().unwrap();
        let rows: Vec<u32> = (1..sources.height() as u32).filter(|r| text_at(*r, 1) == *name).collect();
        assert!(!rows.is_empty(), "Nguồn: no row for {name}");
        assert!(rows.iter().all(|r| text_at(*r, 4) == file), "{name}: {file}");
        let mut found: Vec<String> = rows.iter().map(|r| format!("{}!{}", text_at(*r, 5), text_at(*r, 6))).collect();
        let cells = &expected["files"].as_array().unwrap().iter().find(|f| f["file"] == file).unwrap()["cells"];
        let mut want: Vec<String> = unit["figures"]
            .as_object()
            .unwrap()
            .keys()
            // Sheet names as the engine reads them: NFC (one workbook names its sheets in NFD).
            .map(|id| format!("{}!{}", nfc(cells[id][0].as_str().unwrap()), cells[id][1].as_str().unwrap()))
            .collect();
        found.sort();
        want.sort();
        assert_eq!(found, want, "{name}");
    }

    // DOCX: section II's figure sentences as the seed writes them, and the appendix totals.
    let text = docx_text(&docx);
    for needle in [
        "Tạo tài khoản thông báo lưu trú trên cổng dịch vụ công cho 199 cơ sở",
        "số hóa 181/181 hồ sơ",
        "số hóa 4.490/4.490 hồ sơ",
        "Tính đến ngày 07/5/2024, Công an thành phố đã cập nhật thông tin trên Cơ sở dữ liệu quốc gia về dân cư",
        "Tính đến ngày 07/5/2024, Công an thành phố phối hợp với Phòng Lao động – Thương binh và Xã hội thành phố",
        "Hội Người cao tuổi: 2.781 trường hợp",
        "Hội Chữ thập đỏ: 15 cá nhân/02 tập thể",
        "Thông tin người lao động: 24.929 phiếu thông tin",
        "13.565 tờ khai/23.630 phương tiện",
        "đạt tỷ lệ 45,92% so với tổng đối tượng quản lý",
        "97,60% so với tổng số đối tượng có tài khoản ngân hàng",
        "1.584.779.000 đồng",
        "37.009/65.261 trường hợp",
        "đạt 56,71%",
        "Thu nhận 538 hồ sơ cấp căn cước",
        "Đã xử lý 05 trường hợp (02 trường hợp không có CMND 9 số, 02 trường hợp đã cập nhật thông tin)",
        "160.330/170.491 đạt 94,04%",
        "3.042/160.330 đạt 1,90%",
        "32.187.693 đồng, đạt tỷ lệ 33,25%",
        "20.419 lượt, đạt tỷ lệ 99,92%",
        "KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06",
        "8725",
        "8685",
        "99,54%",
    ] {
        assert!(text.contains(needle), "DOCX lacks {needle:?}");
    }
    assert!(!text.contains("BẢN NHÁP"), "July has no error: not a draft");

    // DOCX layout: A4 portrait body, margins top/bottom 20 mm, left 30 mm, right 15 mm
    // (in twips), a landscape appendix section, Times New Roman everywhere.
    let xml = docx_xml(&docx);
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4 portrait");
    assert!(xml.contains(r#"w:orient="landscape""#), "landscape appendix");
    for margin in [r#"w:top="1134""#, r#"w:bottom="1134""#, r#"w:left="1701""#, r#"w:right="850""#] {
        assert!(xml.contains(margin), "margin {margin}");
    }
    assert!(xml.contains(r#"w:ascii="Times New Roman""#) && xml.contains(r#"w:hAnsi="Times New Roman""#));
    assert!(!xml.contains(".VnTime") && !xml.contains("Arial"), "only Times New Roman");
    // The two header rows of each appendix table repeat when the table runs onto another page.
    assert_eq!(xml.matches("<w:tblHeader").count(), 4, "2 header rows x 2 appendix tables");
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for d in [&a, &b] {
        assert!(convert(&root().join("samples/inbox-2024-07"), d.path(), &[]).status.success());
    }
    for name in ["phu-luc-2024-07.xlsx", "bao-cao-2024-07.docx"] {
        assert_eq!(std::fs::read(a.path().join(name)).unwrap(), std::fs::read(b.path().join(name)).unwrap(), "{name}");
    }
}

#[test]
fn errors_make_a_draft_and_strict_writes_nothing() {
    let inbox = inbox_without(&["Xa Thanh Hai - BC DA06 thang 7-2024.xlsx"]);
    // Without --strict: outputs are written, the report says it is a draft.
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &[]);
    assert_eq!(res.status.code(), Some(1));
    let text = docx_text(&out.path().join("bao-cao-2024-07.docx"));
    assert!(text.contains("BẢN NHÁP"), "draft banner missing");

    // With --strict: nothing is written and earlier outputs stay as they were.
    let before = std::fs::read(out.path().join("bao-cao-2024-07.docx")).unwrap();
    std::fs::remove_file(out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let res = convert(inbox.path(), out.path(), &["--strict"]);
    assert_eq!(res.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&res.stderr).contains("--strict"));
    assert!(!out.path().join("phu-luc-2024-07.xlsx").exists());
    assert_eq!(std::fs::read(out.path().join("bao-cao-2024-07.docx")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temp files left: {leftovers:?}");
}

#[test]
fn outputs_written_into_the_inbox_are_not_read_back_as_a_unit() {
    let inbox = inbox_without(&[]);
    assert!(convert(inbox.path(), inbox.path(), &[]).status.success());
    let again = convert(inbox.path(), inbox.path(), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stdout));
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("20/20 đơn vị"), "{stdout}");
    assert!(stdout.contains("phu-luc-2024-07.xlsx: Bỏ qua"), "{stdout}");
}

#[test]
fn a_missing_unit_is_counted_out_loud_in_the_report_and_the_appendix() {
    let inbox = inbox_without(&["PHU HA - BC DA06 T7-2024.xlsx"]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(convert(inbox.path(), out.path(), &[]).status.code(), Some(1));
    let note =
        "Số liệu tổng hợp từ 15/16 phường, xã và 4/4 phòng, ban, đơn vị thành phố; chưa có số liệu của: Phường Phủ Hà.";
    let text = docx_text(&out.path().join("bao-cao-2024-07.docx"));
    assert_eq!(text.matches(note).count(), 3, "section II and both appendix tables: {text}");
    let mut wb: Xlsx<_> = open_workbook(out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    for sheet in ["Phụ lục I", "Phụ lục II"] {
        let range = wb.worksheet_range(sheet).unwrap();
        assert!(range.used_cells().any(|(_, _, c)| c == &Data::String(note.into())), "{sheet}");
    }
}
