//! What makes `baocao convert` write a draft rather than stop, run on the July
//! samples: a figure without value, and the month's narrative from the notes file.

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{baocao, inbox_without};
use std::io::Read;
use std::path::Path;

fn convert(inbox: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    baocao("convert", inbox, &args)
}

/// document.xml of a DOCX.
fn docx_xml(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// The text of each paragraph of document.xml, in order.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            for piece in p.split("<w:t").skip(1) {
                let Some(open_end) = piece.find('>') else { continue };
                if piece[..open_end].ends_with('/') || !(piece.starts_with('>') || piece.starts_with(' ')) {
                    continue;
                }
                let body = &piece[open_end + 1..];
                let end = body.find("</w:t>").unwrap_or(body.len());
                text.push_str(&body[..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"));
            }
            text
        })
        .collect()
}

/// Every run of document.xml holding `text`, with its properties.
fn runs_with<'a>(xml: &'a str, text: &str) -> Vec<&'a str> {
    xml.split("<w:r>").filter(|r| r.contains(&format!(">{text}</w:t>"))).collect()
}

#[test]
fn a_department_not_sent_gives_a_draft_with_gaps_not_a_failure() {
    let inbox = inbox_without(&["Phong LDTBXH - An sinh xa hoi T7-2024.xlsx"]);
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &[]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert_eq!(res.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&res.stderr));

    // The terminal: each figure left open, by its label and the template line.
    let template = std::fs::read_to_string(common::root().join("templates/bao-cao.md.j2")).unwrap();
    let line = template.lines().position(|l| l.contains("an_sinh.tong_ra_soat")).unwrap() + 1;
    let gap = format!(
        "Mẫu báo cáo, dòng {line}: để trống “…” vì số liệu “An sinh xã hội › Tổng số đối tượng an sinh xã hội đã rà soát trên địa bàn” không có giá trị"
    );
    assert!(stdout.contains(&gap), "{stdout}");
    assert!(!stdout.contains("an_sinh.tong_ra_soat"), "figures named by label, not id: {stdout}");
    assert!(stdout.contains("Báo cáo là BẢN NHÁP vì còn 1 lỗi chưa xử lý, 9 số liệu trống"), "{stdout}");

    // The DOCX: written, a draft that says why, the sentence kept with highlighted gaps.
    let xml = docx_xml(&out.path().join("bao-cao-2024-07.docx"));
    let paras = paragraphs(&xml);
    assert_eq!(
        paras[0],
        "BẢN NHÁP – còn 01 lỗi chưa xử lý, 09 số liệu trống (xem trang tính “Kiểm tra” trong tệp XLSX)"
    );
    let sentence = paras.iter().find(|p| p.contains("cụ thể: Rà soát")).unwrap();
    assert!(
        sentence.contains("Rà soát … trường hợp thuộc diện an sinh xã hội trên địa bàn, trong đó có … trường hợp có tài khoản ngân hàng (đạt tỷ lệ … so với"),
        "{sentence}"
    );
    assert!(sentence.contains("với tổng số tiền … đồng."), "{sentence}");
    let gaps = runs_with(&xml, "…");
    assert_eq!(gaps.len(), 9, "one gap per figure of the sentence");
    assert!(gaps.iter().all(|r| r.contains("<w:highlight w:val=\"yellow\" />")), "{gaps:?}");
    assert!(paras.iter().any(|p| p.contains("Thu nhận 538 hồ sơ cấp căn cước")), "the other figures are there");

    // The XLSX: the same findings on "Kiểm tra".
    let mut wb: Xlsx<_> = open_workbook(out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let checks = wb.worksheet_range("Kiểm tra").unwrap();
    let cells: Vec<String> = checks.used_cells().map(|(_, _, c)| c.to_string()).collect();
    assert_eq!(cells.iter().filter(|c| c.contains("để trống “…” vì số liệu")).count(), 9);
    assert!(cells.iter().any(|c| c.starts_with(&gap)));
}

#[test]
fn a_draft_is_not_written_with_strict() {
    let inbox = inbox_without(&["Phong LDTBXH - An sinh xa hoi T7-2024.xlsx"]);
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &["--strict"]);
    assert_eq!(res.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&res.stdout).contains("Báo cáo là BẢN NHÁP vì còn 1 lỗi chưa xử lý, 9 số liệu trống")
    );
    assert!(String::from_utf8_lossy(&res.stderr).contains("--strict"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn a_malformed_notes_heading_stops_the_run_with_its_line_before_reading() {
    let inbox = inbox_without(&[]);
    let notes = "# I. CÔNG TÁC CHỈ ĐẠO TRIỂN KHAI\n- Văn bản của tháng.\n\n#III. NHẬN XÉT ĐÁNH GIÁ\n- Ưu điểm.\n";
    std::fs::write(inbox.path().join("ghi-chu.md"), notes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &[]);
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("ghi-chu.md, dòng 4") && stderr.contains("#III."), "{stderr}");
    assert!(String::from_utf8_lossy(&res.stdout).is_empty(), "stopped before the workbooks were checked");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}
