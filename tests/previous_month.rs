//! Last month as the reference (issue 13, item 7): the July appendix written by
//! `convert` on the samples, given as the previous month of an August inbox built
//! from them (tests/common/month.rs: figures doubled), in which Công an lowered one
//! cumulative figure, raised one figure more than five times and one small count.

mod common;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use common::month::{self, Later};
use common::{JULY_SIGNING, baocao, root};
use regex::Regex;
use std::path::{Path, PathBuf};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `convert` of `inbox` into `out` with `args`.
fn convert(inbox: &Path, out: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    baocao("convert", inbox, &all)
}

/// The July appendix as `convert` writes it on the samples, in its own folder.
fn july_appendix() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(&root().join(common::INBOX), dir.path(), &JULY_SIGNING);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = dir.path().join("phu-luc-2024-07.xlsx");
    assert!(path.is_file());
    (dir, path)
}

/// One cell's cached value set in a worksheet's XML.
fn set(xml: String, cell: &str, value: &str) -> String {
    let re = Regex::new(&format!(r#"<c r="{cell}"([^>]*)><v>[^<]*</v>"#)).unwrap();
    assert!(re.is_match(&xml), "{cell} not in the sheet");
    re.replace(&xml, format!(r#"<c r="{cell}"${{1}}><v>{value}</v>"#)).into_owned()
}

/// August, figures doubled, except in Công an's workbook: "Cập nhật CSDLQG › Hội
/// Nông dân" (cumulative, 1.994 in July) down to 1.900; the VNeID reports (21 in
/// July) up to 200; the posts of "Tuyên truyền" (2 in July) up to 15, a small count.
fn august() -> tempfile::TempDir {
    let edit = |file: &str, part: &str, xml: String| {
        if !file.starts_with("CATP") {
            return xml;
        }
        match part {
            "xl/worksheets/sheet4.xml" => set(xml, "D10", "1900"),
            "xl/worksheets/sheet2.xml" => set(xml, "D17", "200"),
            "xl/worksheets/sheet5.xml" => set(xml, "D8", "15"),
            _ => xml,
        }
    };
    let dir = month::inbox(Later { edit: Some(&edit), ..Later::new(1, 2.0) });
    month::write_notes(dir.path(), "8/2024");
    dir
}

/// The findings' lines of the terminal summary that compare with last month.
fn comparison_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with('■'))
        .filter(|l| l.contains("so với tháng trước") || l.contains("So sánh") || l.contains("Tháng trước"))
        .collect()
}

/// The cells of an appendix sheet as text or number, by (row, column) from A1.
struct Sheet(calamine::Range<Data>);

impl Sheet {
    fn open(xlsx: &Path, name: &str) -> Sheet {
        let mut book: Xlsx<_> = open_workbook(xlsx).unwrap();
        Sheet(book.worksheet_range(name).unwrap())
    }

    fn text(&self, r: u32, c: u32) -> String {
        self.0.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default()
    }

    fn num(&self, r: u32, c: u32) -> Option<f64> {
        self.0.get_value((r, c)).and_then(|d| d.as_f64())
    }

    /// Every cell holding `text`.
    fn find(&self, text: &str) -> Vec<(u32, u32)> {
        self.0
            .used_cells()
            .filter(|(_, _, d)| d.get_string() == Some(text))
            .map(|(r, c, _)| (r as u32, c as u32))
            .collect()
    }

    /// The row whose first cell is this STT.
    fn stt_row(&self, stt: u32) -> u32 {
        (0..self.0.height() as u32).find(|r| self.num(*r, 0) == Some(stt as f64)).unwrap()
    }
}

#[test]
fn last_months_appendix_in_out_is_the_reference_a_cumulative_fall_and_a_jump_are_warned() {
    let (_july_dir, july) = july_appendix();
    let inbox = august();
    let out = tempfile::tempdir().unwrap();
    std::fs::copy(&july, out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let run = convert(inbox.path(), out.path(), &[]);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(0), "warnings only: {text}{}", stderr(&run));
    let second = text.lines().nth(1).unwrap();
    assert!(second.starts_with("So sánh với tháng trước (tháng 7/2024): ") && second.ends_with("phu-luc-2024-07.xlsx"));

    // The unit's cumulative figure that went down: label, unit, both values, its cell.
    let fall = "CATP - BC DA06 T8.2024.xlsx › Cập nhật CSDLQG › D10: Số liệu lũy kế “Cập nhật CSDLQG › Hội Nông dân” \
                của Công an thành phố giảm so với tháng trước: tháng 7/2024 là 1.994, tháng 8/2024 là 1.900.";
    assert!(text.contains(&format!("[cảnh báo] {fall}")), "{text}");
    // And the consolidated figure, which it takes down with it, under a heading of its own.
    let heading = text.find("■ So sánh số liệu tổng hợp với tháng trước").expect("a heading");
    assert!(
        text[heading..].contains(
            "Số liệu tổng hợp lũy kế “Cập nhật CSDLQG › Hội Nông dân” giảm so với tháng trước: tháng 7/2024 là 1.994, \
             tháng 8/2024 là 1.900. Giảm ở: Công an thành phố (1.994 → 1.900)."
        ),
        "{text}"
    );
    // The jump: 21 to 200; the small count 2 to 15 and the doubled figures say nothing.
    let jump = "CATP - BC DA06 T8.2024.xlsx › Căn cước - ĐDĐT › D17: Số liệu “Căn cước - ĐDĐT › Số tin báo tiếp nhận từ \
                ứng dụng VNeID” của Công an thành phố tăng đột biến so với tháng trước: tháng 7/2024 là 21, tháng \
                8/2024 là 200 (gấp 9,5 lần; cảnh báo khi gấp hơn 5 lần).";
    assert!(text.contains(jump), "{text}");
    let lines = comparison_lines(&text);
    assert_eq!(lines.len(), 4, "the path, two falls and one jump, nothing of the doubled figures: {lines:#?}");
    assert!(!text.contains("Tuyên truyền › Số tin, bài"), "a small count is no jump");
    let id = Regex::new(r"[a-z_]+\.[a-z_]+").unwrap();
    for l in &lines {
        assert!(!id.is_match(l.split(": ").nth(1).unwrap_or(l)), "no id: {l}");
    }

    // The "Tháng trước" column beside each figure column holds July's figures.
    let xlsx = out.path().join("phu-luc-2024-08.xlsx");
    let expected = common::expected();
    let july_value = |id: String| expected["consolidated"][&id].as_f64().unwrap();
    for (name, table, rows) in [("Phụ lục I", "dvc_thiet_yeu", 15), ("Phụ lục II", "dvc_qd422", 1)] {
        let sheet = Sheet::open(&xlsx, name);
        let previous = sheet.find("Tháng trước");
        assert_eq!(previous.len(), 2, "{name}: one beside each figure column");
        let (header, total_col) = (previous[0].0, previous[0].1);
        assert_eq!(sheet.text(header, total_col - 1), "Tổng số hồ sơ");
        assert_eq!(sheet.text(header, previous[1].1 - 1), "Tiếp nhận hồ sơ trực tuyến");
        assert_eq!(sheet.text(header, previous[1].1 + 1), "Tỷ lệ %");
        for stt in 1..=rows {
            let r = sheet.stt_row(stt);
            for ((_, col), column) in previous.iter().zip(["total", "online"]) {
                let july = july_value(format!("{table}.rows[{stt}].{column}"));
                assert_eq!(sheet.num(r, *col), Some(july), "{name} row {stt} {column}");
                // This month's beside it: July's doubled (Đạo Long's .xls kept July's).
                assert!(sheet.num(r, col - 1).unwrap() >= july, "{name} row {stt} {column}");
            }
        }
        if rows > 1 {
            let total = sheet.find("Tổng")[0].0;
            assert_eq!(sheet.num(total, total_col), Some(8725.0), "July's total, cached with its SUM");
            assert_eq!(sheet.num(total, previous[1].1), Some(8685.0));
        }
    }
    // The DOCX's appendix tables too, on the same landscape page width.
    let docx = month::docx_text(&out.path().join("bao-cao-2024-08.docx"));
    let header = "Tổng số hồ sơ\nTháng trước\nTiếp nhận hồ sơ trực tuyến\nTháng trước\nTỷ lệ %\n";
    assert_eq!(docx.matches(header).count(), 2, "both appendix tables: {docx}");
    assert!(Regex::new(r"\nTổng\n\d+\n8725\n\d+\n8685\n").unwrap().is_match(&docx), "July's totals: {docx}");
    // This month's own figures for next month: August's.
    let data = Sheet::open(&xlsx, "Dữ liệu so sánh");
    assert_eq!((data.text(0, 0), data.text(1, 1)), ("baocao-figures".into(), "2024-08".into()));
}

#[test]
fn previous_names_last_months_appendix_anywhere_and_the_column_can_be_left_out() {
    let (_july_dir, july) = july_appendix();
    let inbox = august();
    let by_name = tempfile::tempdir().unwrap();
    std::fs::copy(&july, by_name.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let found = stdout(&convert(inbox.path(), by_name.path(), &[]));

    let out = tempfile::tempdir().unwrap();
    let run = convert(inbox.path(), out.path(), &["--previous", july.to_str().unwrap()]);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(text.lines().nth(1).unwrap().ends_with(&format!(": {}", july.display())));
    // The same findings as with the appendix found in --out (their lines but the path's).
    let findings = |t: &str| comparison_lines(t).into_iter().skip(1).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(findings(&text), findings(&found));
    assert_eq!(findings(&text).len(), 3);
    let xlsx = out.path().join("phu-luc-2024-08.xlsx");
    assert_eq!(Sheet::open(&xlsx, "Phụ lục I").find("Tháng trước").len(), 2);

    // --no-previous-column: the same findings, no column; the table as without a previous month.
    let plain = tempfile::tempdir().unwrap();
    let run = convert(inbox.path(), plain.path(), &["--previous", july.to_str().unwrap(), "--no-previous-column"]);
    assert_eq!(findings(&stdout(&run)), findings(&text));
    let xlsx = plain.path().join("phu-luc-2024-08.xlsx");
    for name in ["Phụ lục I", "Phụ lục II"] {
        let sheet = Sheet::open(&xlsx, name);
        assert!(sheet.find("Tháng trước").is_empty(), "{name}");
        assert_eq!(sheet.0.width(), 7, "{name}: STT, label, two info columns, two figures and the ratio");
    }
    assert!(!month::docx_text(&plain.path().join("bao-cao-2024-08.docx")).contains("Tháng trước"));
}

#[test]
fn without_last_months_appendix_nothing_of_it_is_said() {
    let inbox = august();
    let out = tempfile::tempdir().unwrap();
    let run = convert(inbox.path(), out.path(), &[]);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(0));
    assert!(comparison_lines(&text).is_empty(), "{text}");
    assert!(!text.contains("Số liệu lũy kế “") && !text.contains("đột biến"), "{text}");
    let xlsx = out.path().join("phu-luc-2024-08.xlsx");
    for name in ["Phụ lục I", "Phụ lục II", "Kiểm tra"] {
        let sheet = Sheet::open(&xlsx, name);
        assert!(sheet.find("Tháng trước").is_empty(), "{name}");
        assert!(!sheet.0.used_cells().any(|(_, _, d)| d.to_string().contains("tháng trước")), "{name}");
    }
    assert!(!month::docx_text(&out.path().join("bao-cao-2024-08.docx")).contains("Tháng trước"));
    // The July run has no June appendix beside it either: as the seed.
    let (july_dir, _) = july_appendix();
    assert!(Sheet::open(&july_dir.path().join("phu-luc-2024-07.xlsx"), "Phụ lục I").find("Tháng trước").is_empty());
}

#[test]
fn a_previous_that_cannot_be_used_stops_before_anything_is_written() {
    let inbox = august();
    let ward = root().join(common::INBOX).join("BC DA06 T7 - Kinh Dinh.xlsx");
    let (_july_dir, july) = july_appendix();
    let missing = root().join("khong-co/phu-luc-2024-07.xlsx");
    for (file, says) in [
        (ward.clone(), "không phải phụ lục XLSX do baocao ghi"),
        (root().join(common::INBOX).join("DAO LONG T7.xls"), "không phải tệp .xlsx"),
        (missing, "không tìm thấy"),
        (root().join(common::CONFIG), "không phải tệp bảng tính"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let run = convert(inbox.path(), out.path(), &["--previous", file.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(2), "{}", file.display());
        let err = stderr(&run);
        assert!(err.contains("không dùng được phụ lục tháng trước") && err.contains(&file.display().to_string()));
        assert!(err.contains(says), "{err}");
        assert!(!stdout(&run).contains("Kỳ báo cáo"), "refused before reading the workbooks");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
    }
    // July's appendix is not September's previous month: refused, naming both months.
    let september = month::inbox(Later::new(2, 2.0));
    month::write_notes(september.path(), "9/2024");
    let out = tempfile::tempdir().unwrap();
    let run = convert(september.path(), out.path(), &["--previous", july.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(err.contains("là phụ lục tháng 7/2024, không phải tháng trước của tháng báo cáo 9/2024"), "{err}");
    assert!(err.contains("phụ lục tháng 8/2024"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");

    // Found in --out by its name, an appendix holding another month (or none) is one
    // warning and the report is written without the comparison.
    let out = tempfile::tempdir().unwrap();
    std::fs::copy(&july, out.path().join("phu-luc-2024-08.xlsx")).unwrap();
    std::fs::copy(&ward, out.path().join("phu-luc-2024-07.xlsx")).unwrap();
    for (inbox, says) in [
        (september.path(), "phu-luc-2024-08.xlsx: ghi số liệu tháng 7/2024, không phải tháng 8/2024"),
        (inbox.path(), "phu-luc-2024-07.xlsx: không phải phụ lục XLSX do baocao ghi"),
    ] {
        let run = convert(inbox, out.path(), &[]);
        let text = stdout(&run);
        assert_eq!(run.status.code(), Some(0), "{text}");
        assert!(text.contains(&format!("Không so sánh được với tháng trước: {}", out.path().join("").display())));
        assert!(text.contains(says), "{text}");
        assert!(!text.contains("So sánh với tháng trước"), "{text}");
        assert!(!text.contains("lũy kế “"), "nothing compared: {text}");
    }
    assert!(out.path().join("phu-luc-2024-09.xlsx").is_file() && out.path().join("bao-cao-2024-08.docx").is_file());
}

#[test]
fn last_months_appendix_kept_in_the_inbox_is_skipped_as_a_workbook_and_used_as_the_reference() {
    let (_july_dir, july) = july_appendix();
    let inbox = august();
    std::fs::copy(&july, inbox.path().join("phu-luc-2024-07.xlsx")).unwrap();
    let run = convert(inbox.path(), inbox.path(), &[]);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(0), "{text}");
    assert!(text.contains("phu-luc-2024-07.xlsx: Bỏ qua: phụ lục tổng hợp do chính baocao ghi ra trước đây"), "{text}");
    assert!(text.contains("Tóm tắt: 20/20 đơn vị đã tổng hợp."));
    assert_eq!(comparison_lines(&text).len(), 4, "{text}");
    // And this month's appendix left there is skipped next month too.
    let again = stdout(&convert(inbox.path(), inbox.path(), &[]));
    assert!(
        again.contains("phu-luc-2024-08.xlsx: Bỏ qua: phụ lục tổng hợp do chính baocao ghi ra trước đây"),
        "{again}"
    );
    assert!(again.contains("Tóm tắt: 20/20 đơn vị đã tổng hợp."));
}
