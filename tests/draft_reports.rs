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
    let line = template.lines().position(|l| l.contains("v[\"an_sinh.tong_ra_soat\"]")).unwrap() + 1;
    let gap = format!(
        "Mẫu báo cáo, dòng {line}: để trống “…” vì số liệu “An sinh xã hội › Tổng số đối tượng an sinh xã hội đã rà soát trên địa bàn” không có giá trị"
    );
    assert!(stdout.contains(&gap), "{stdout}");
    assert!(!stdout.contains("an_sinh.tong_ra_soat"), "figures named by label, not id: {stdout}");
    // Nine figures of the an sinh sentence, and its as-of date ("Tính đến ngày …").
    assert!(stdout.contains("Báo cáo là BẢN NHÁP vì còn 1 lỗi chưa xử lý, 10 số liệu trống"), "{stdout}");
    assert!(stdout.contains("để trống “…” ở ngày lũy kế của số liệu “An sinh xã hội”"), "{stdout}");

    // The DOCX: written, a draft that says why, the sentence kept with highlighted gaps.
    let xml = docx_xml(&out.path().join("bao-cao-2024-07.docx"));
    let paras = paragraphs(&xml);
    assert_eq!(
        paras[0],
        "BẢN NHÁP – còn 01 lỗi chưa xử lý, 10 số liệu trống (xem trang tính “Kiểm tra” trong tệp XLSX)"
    );
    let sentence = paras.iter().find(|p| p.contains("cụ thể: Rà soát")).unwrap();
    assert!(
        sentence.contains("Rà soát … trường hợp thuộc diện an sinh xã hội trên địa bàn, trong đó có … trường hợp có tài khoản ngân hàng (đạt tỷ lệ … so với"),
        "{sentence}"
    );
    assert!(sentence.contains("với tổng số tiền … đồng."), "{sentence}");
    let gaps = runs_with(&xml, "…");
    assert_eq!(gaps.len(), 10, "one gap per figure of the sentence, and its as-of date");
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
fn july_without_its_notes_is_a_draft_with_highlighted_placeholders_and_nothing_of_july() {
    let inbox = inbox_without(&["ghi-chu.md"]);
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &[]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert_eq!(res.status.code(), Some(1), "{stdout}\n{}", String::from_utf8_lossy(&res.stderr));
    for s in ["I", "III", "IV", "V"] {
        let warning = format!("[cảnh báo] ghi-chu.md: Mục {s} của báo cáo chưa có nội dung (chưa có tệp ghi-chu.md)");
        assert!(stdout.contains(&warning), "{stdout}");
    }
    assert!(stdout.contains("0 lỗi, 6 cảnh báo, 3 thông tin."), "the data's own findings are July's: {stdout}");
    assert!(stdout.contains("Báo cáo là BẢN NHÁP vì còn 4 mục chưa có nội dung"), "{stdout}");

    let xml = docx_xml(&out.path().join("bao-cao-2024-07.docx"));
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], "BẢN NHÁP – còn 04 mục chưa có nội dung (xem trang tính “Kiểm tra” trong tệp XLSX)");
    for s in ["I", "III", "IV", "V"] {
        let placeholder = format!("[Nội dung mục {s}: bổ sung trong ghi-chu.md]");
        assert!(paras.contains(&placeholder), "{placeholder}");
        let runs = runs_with(&xml, &placeholder);
        assert!(runs.len() == 1 && runs[0].contains("<w:highlight w:val=\"yellow\" />"), "{runs:?}");
    }
    let text = paras.join("\n");
    for july in ["06/7/2024", "282/KH-UBND", "3107/UBND-CA"] {
        assert!(!text.contains(july), "July's narrative repeats: {july}");
    }
    assert!(text.contains("Tiếp nhận 21 tin báo từ ứng dụng VNeID."), "the figures are all there");

    let mut wb: Xlsx<_> = open_workbook(out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let checks = wb.worksheet_range("Kiểm tra").unwrap();
    let rows: Vec<Vec<String>> = checks.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let placeholders = rows.iter().filter(|r| r.iter().any(|c| c.contains("của báo cáo chưa có nội dung"))).count();
    assert_eq!(placeholders, 4);
    assert!(rows.iter().any(|r| r.contains(&"cảnh báo".to_string()) && r.contains(&"ghi-chu.md".to_string())));
}

#[test]
fn strict_writes_no_draft_even_without_errors_in_the_data() {
    let inbox = inbox_without(&["ghi-chu.md"]);
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &["--strict"]);
    assert_eq!(res.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        stdout.contains("0 lỗi") && stdout.contains("Báo cáo là BẢN NHÁP vì còn 4 mục chưa có nội dung"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&res.stderr).contains("--strict"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn notes_given_with_the_flag_are_the_ones_placeholders_name() {
    let inbox = inbox_without(&["ghi-chu.md"]);
    let notes_dir = tempfile::tempdir().unwrap();
    let notes = notes_dir.path().join("thang-7.md");
    std::fs::write(&notes, "# I\n- Văn bản chỉ đạo của tháng.\n# III\n# IV\n- Kiến nghị.\n# V\n1. Nhiệm vụ.\n")
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let res = convert(inbox.path(), out.path(), &["--notes", notes.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert_eq!(res.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "Mục III của báo cáo chưa có nội dung (dòng 3 của thang-7.md có “# III” nhưng không có nội dung dưới đó)"
        ),
        "{stdout}"
    );
    let paras = paragraphs(&docx_xml(&out.path().join("bao-cao-2024-07.docx")));
    assert!(paras.contains(&"- Văn bản chỉ đạo của tháng.".to_string()));
    assert!(paras.contains(&"[Nội dung mục III: bổ sung trong thang-7.md]".to_string()));
    assert_eq!(paras[0], "BẢN NHÁP – còn 01 mục chưa có nội dung (xem trang tính “Kiểm tra” trong tệp XLSX)");
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
