//! The DOCX report, checked on the July 2024 sample figures against the seed report.

mod common;

use baocao::model::{Finding, FindingKind, Location, Report, Severity};
use baocao::write::docx::{docx_bytes, render_text};
use common::{config, july_document, root};
use std::io::Read;

fn template() -> String {
    std::fs::read_to_string(root().join("templates/bao-cao.md.j2")).unwrap()
}

/// The July run as the engine should produce it (see tests/common).
fn july_run() -> Report {
    common::july_run(&config())
}

/// The text of one part of a DOCX package.
fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The plain text of each paragraph of document.xml, in order.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            let mut rest = p;
            while let Some(pos) = rest.find("<w:t") {
                let after = &rest[pos..];
                if !(after.starts_with("<w:t>") || after.starts_with("<w:t ")) {
                    rest = &after[4..];
                    continue;
                }
                let Some(open_end) = after.find('>') else { break };
                if after[..open_end].ends_with('/') {
                    rest = &after[open_end + 1..];
                    continue;
                }
                let body = &after[open_end + 1..];
                let Some(close) = body.find("</w:t>") else { break };
                text.push_str(&unescape(&body[..close]));
                rest = &body[close..];
            }
            text
        })
        .collect()
}

fn july_docx() -> Vec<u8> {
    docx_bytes(&july_run(), &july_document(), &template(), None).unwrap()
}

#[test]
fn every_figure_sentence_of_section_ii_is_filled_from_the_data() {
    let doc = paragraphs(&part(&july_docx(), "word/document.xml")).join("\n");
    let expected = [
        "Đăng tải 02 tin, bài trên trang mạng xã hội (Zalo, Facebook,...), 18 lượt tuyên truyền qua loa đài, thu hút hơn 22.700 lượt theo dõi, tương tác",
        "cổng dịch vụ công cho 199 cơ sở lưu trú sử dụng phần mềm quản lý lưu trú ASM",
        "Trong tháng đã số hóa 181/181 hồ sơ",
        "Trong tháng đã số hóa 4.490/4.490 hồ sơ",
        "Tính đến ngày 07/5/2024, Công an thành phố đã cập nhật thông tin trên Cơ sở dữ liệu quốc gia về dân cư",
        "Tính đến ngày 07/5/2024, Công an thành phố phối hợp với Phòng Lao động – Thương binh và Xã hội thành phố",
        "Hội Người cao tuổi: 2.781 trường hợp, Hội Nông dân: 1.994 trường hợp, Hội Cựu chiến binh: 133 trường hợp, Hội Chữ thập đỏ: 15 cá nhân/02 tập thể, Người có công: 550 trường hợp, Thông tin người lao động: 24.929 phiếu thông tin, Thông tin phương tiện: 13.565 tờ khai/23.630 phương tiện, Thông tin người thất nghiệp: 919 trường hợp.",
        "đồng bộ với Cơ sở dữ liệu quốc gia về dân cư 8.150 trường hợp, dữ liệu cập nhật bổ sung từ DC01 mở rộng 4.490 trường hợp",
        "Rà soát 7.518 trường hợp thuộc diện an sinh xã hội trên địa bàn, trong đó có 3.452 trường hợp có tài khoản ngân hàng (đạt tỷ lệ 45,92% so với tổng đối tượng quản lý trên địa bàn)",
        "thực hiện chi trả qua tài khoản ngân hàng 3.369 trường hợp (đạt tỷ lệ 44,81% so với tổng đối tượng quản lý trên địa bàn và đạt 97,60% so với tổng số đối tượng có tài khoản ngân hàng) với tổng số tiền 1.584.779.000 đồng.",
        "Tổng số lao động đã điều tra thu thập thông tin 37.009/65.261 trường hợp (đạt 56,71%)",
        "cập nhật trong Cơ sở dữ liệu quốc gia về dân cư 15.938 trường hợp.",
        "Thu nhận 538 hồ sơ cấp căn cước (tiếp nhận 249 tờ khai căn cước trực tuyến), thu nhận 794 hồ sơ định danh điện tử mức 2 và 343 hồ sơ định danh điện tử mức 1, kích hoạt thành công 536 tài khoản định danh mức 2 và 196 tài khoản định danh mức 1.",
        "Tiếp nhận 21 tin báo từ ứng dụng VNeID.",
        "rà soát đối với 2.244 trường hợp xác minh phạm nhân nguồn từ Cục C10, cụ thể: Đã rà soát cập nhật thông tin 2.233 trường hợp, 11 trường hợp lực lượng Công an tiếp tục rà soát.",
        "Đã xử lý 05 trường hợp (02 trường hợp không có CMND 9 số, 02 trường hợp đã cập nhật thông tin).",
        "Đối với 84.917 trường hợp thiếu các trường thông tin (Tính đến 05/7/2024): Đã cập nhật bổ sung thông tin 63.551 trường hợp, xác nhận không có thông tin để cập nhật 21.366 trường hợp.",
        "Xác nhận đã tạo yêu cầu hủy số 11 trường hợp, 02 trường hợp công dân có đề nghị giữ lại số sai cấu trúc, 01 trường hợp Công an phường, xã đang liên hệ xác minh thông tin.",
        "+ Khởi tạo Hồ sơ sức khỏe (phần A): 160.330/170.491 đạt 94,04%.",
        "(phần B): 88.865/160.330 đạt 55,43%.",
        "(phần C): 3.042/160.330 đạt 1,90% (có phần mềm quản lý tiêm chủng riêng).",
        "(phần D): 140.761/160.330 đạt 87,79%.",
        "Sổ khám chữa bệnh điện tử: 69.233/170.491 đạt 40,61%.",
        "Số lượt được quét thanh toán là 257 lượt, với tổng số tiền quét thanh toán là: 32.187.693 đồng, đạt tỷ lệ 33,25% (257 lượt/773 lượt phát sinh thu).",
        "Số lượt được thực hiện trong tháng là 19 lượt",
        "+ Tổng số lượt khám chữa bệnh chung là 20.435 lượt.",
        "+ Tổng số lượt khám chữa bệnh bằng căn cước: 20.419 lượt, đạt tỷ lệ 99,92% (20.419/20.435). Trong đó: Số lượt tra cứu thành công là: 20.303 lượt, đạt tỷ lệ 99,43% (20.303/20.419).",
        "Kết quả triển khai các thủ tục hành chính (từ ngày 05/6/2024 đến 05/7/2024):",
        "(Phụ lục thống kê gửi kèm báo cáo)",
    ];
    for e in expected {
        assert!(doc.contains(e), "missing in the report: {e}");
    }
    for heading in [
        "I. CÔNG TÁC CHỈ ĐẠO TRIỂN KHAI",
        "II. KẾT QUẢ CÁC MẶT CÔNG TÁC",
        "III. NHẬN XÉT ĐÁNH GIÁ",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. PHƯƠNG HƯỚNG NHIỆM VỤ TRONG THỜI GIAN TỚI",
    ] {
        assert!(doc.lines().any(|l| l == heading), "missing heading {heading}");
    }
}

#[test]
fn figures_are_bold_where_the_seed_bolds_them() {
    let text = render_text(&july_run(), &july_document(), &template(), None).unwrap();
    assert!(text.contains("số hóa **4.490/4.490** hồ sơ"));
    assert!(text.contains("**1.584.779.000** đồng"));
    assert!(text.contains(
        "Đã xử lý **05** trường hợp (*02 trường hợp không có CMND 9 số, 02 trường hợp đã cập nhật thông tin*)"
    ));
    let xml = part(&july_docx(), "word/document.xml");
    let at = xml.find(">1.584.779.000</w:t>").unwrap();
    let run_start = xml[..at].rfind("<w:r>").unwrap();
    assert!(xml[run_start..at].contains("<w:b />"), "the amount is not bold");
}

#[test]
fn header_title_and_signature_follow_the_config() {
    let paras = paragraphs(&part(&july_docx(), "word/document.xml"));
    for e in [
        "UBND THÀNH PHỐ",
        "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ",
        "Số: 287/BC-TCTĐA06",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phan Rang – Tháp Chàm, ngày 12 tháng 7 năm 2024",
        "BÁO CÁO",
        "Nơi nhận:",
        "- Lưu: VT, CATP.",
        "TỔ TRƯỞNG",
        "CHỦ TỊCH UBND THÀNH PHỐ",
        "Nguyễn Thành Phú",
    ] {
        assert!(paras.iter().any(|p| p == e), "missing paragraph {e}");
    }
    assert!(paras.iter().any(|p| p.starts_with("Trên đây là báo cáo kết quả triển khai thực hiện Đề án 06")));
    assert!(!paras.iter().any(|p| p.contains("BẢN NHÁP")));
}

#[test]
fn appendix_tables_total_like_the_seed() {
    let paras = paragraphs(&part(&july_docx(), "word/document.xml"));
    let totals: Vec<&[String]> = paras.windows(4).filter(|w| w[0] == "Tổng").collect();
    assert_eq!(totals.len(), 1, "the one-row QĐ 422 table has no total row, as in the seed");
    assert_eq!(totals[0][1..], ["8725", "8685", "99,54%"]);
    let qd422 = paras.iter().position(|p| p == "Xác nhận thông tin về cư trú").unwrap();
    assert_eq!(paras[qd422 + 3..qd422 + 6], ["193", "193", "100%"]);
    assert_eq!(paras[qd422 - 2], "I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN");
    let pos = |s: &str| paras.iter().position(|p| p == s).unwrap_or_else(|| panic!("missing {s}"));
    assert!(pos("KẾT QUẢ TRIỂN KHAI DỊCH VỤ CÔNG THIẾT YẾU THEO ĐỀ ÁN 06") < pos("Tổng"));
    assert!(paras.iter().any(|p| p == "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024)"));
    // Row 10 (125 / 112) and an empty row (0 / 0).
    let row10 = pos(
        "Đăng ký thuế lần đầu, đăng ký thay đổi thông tin đăng ký thuế đối với người nộp thuế là hộ gia đình, cá nhân",
    );
    assert_eq!(paras[row10 + 3..row10 + 6], ["125", "112", "89,6%"]);
    let row1 = pos("Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dân");
    assert_eq!(paras[row1 + 3..row1 + 6], ["0", "0", "-"]);
    let xml = part(&july_docx(), "word/document.xml");
    assert!(xml.contains("<w:gridSpan w:val=\"3\" />"), "merged 'Tổng số hồ sơ' header");
    assert!(xml.contains("<w:vMerge w:val=\"restart\" />") && xml.contains("<w:vMerge w:val=\"continue\" />"));
}

#[test]
fn page_setup_fonts_and_page_numbers_follow_decree_30() {
    let docx = july_docx();
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\" />"), "A4 portrait");
    assert!(xml.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\" />"), "landscape appendix");
    assert!(
        xml.contains("<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""),
        "margins 20/15/20/30 mm"
    );
    assert!(xml.contains("<w:titlePg />"), "no number on page 1");
    assert!(
        xml.contains("<w:jc w:val=\"both\" />") && xml.contains("w:firstLine=\"720\""),
        "justified, 1.27 cm indent"
    );
    let fonts: Vec<&str> = xml.split("<w:rFonts").skip(1).map(|s| &s[..s.find("/>").unwrap()]).collect();
    assert!(!fonts.is_empty());
    for f in &fonts {
        for slot in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
            assert!(f.contains(&format!("{slot}=\"Times New Roman\"")), "font slot {slot} in {f}");
        }
    }
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:hAnsi=\"Times New Roman\""));
    let colors: Vec<&str> = xml.split("<w:color w:val=\"").skip(1).map(|s| &s[..6]).collect();
    assert!(colors.iter().all(|c| *c == "000000"), "all text black");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx[..])).unwrap();
    let headers: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .filter(|n| n.starts_with("word/header"))
        .collect();
    assert!(headers.iter().any(|h| part(&docx, h).contains("PAGE")), "PAGE field in a header");
}

#[test]
fn same_inputs_give_the_same_bytes() {
    assert_eq!(july_docx(), july_docx());
}

#[test]
fn an_unknown_figure_fails_with_its_line_and_name() {
    let bad = template().replacen("# II. KẾT QUẢ", "{{ v[\"so_hoa.khong_co\"]|num }}\n# II. KẾT QUẢ", 1);
    let line = bad.lines().position(|l| l.contains("so_hoa.khong_co")).unwrap() + 1;
    let err = docx_bytes(&july_run(), &july_document(), &bad, None).unwrap_err().to_string();
    assert!(err.contains(&format!("dòng {line}")) && err.contains("so_hoa.khong_co"), "{err}");
    let err = render_text(&july_run(), &july_document(), "a\n{{ khong_co }}\n", None).unwrap_err().to_string();
    assert!(err.contains("dòng 2") && err.contains("khong_co"), "{err}");
}

#[test]
fn a_figure_without_value_fails_loudly() {
    let mut run = july_run();
    let at = run.totals.find("an_sinh.ty_le_co_tai_khoan_pct").unwrap();
    run.totals.get_mut(at).value = None;
    let err = render_text(&run, &july_document(), &template(), None).unwrap_err().to_string();
    assert!(err.contains("an_sinh.ty_le_co_tai_khoan_pct") && err.contains("dòng"), "{err}");
}

#[test]
fn a_run_with_errors_is_marked_as_a_draft_in_red() {
    let mut run = july_run();
    let f = Finding::new(Severity::Error, FindingKind::MissingUnit, Location::file("x.xlsx"), "thiếu".into());
    run.findings = vec![f.clone(), f];
    let xml = part(&docx_bytes(&run, &july_document(), &template(), None).unwrap(), "word/document.xml");
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], "BẢN NHÁP – còn 02 lỗi chưa xử lý (xem trang tính “Kiểm tra” trong tệp XLSX)");
    assert!(xml.contains("<w:color w:val=\"FF0000\" />"));
}

#[test]
fn notes_replace_the_narrative_sections() {
    let notes = "# III. NHẬN XÉT ĐÁNH GIÁ\n## 1. Ưu điểm\n- Nhận xét **mới** của tháng.\n# V\n1. Nhiệm vụ mới.\n";
    let text = render_text(&july_run(), &july_document(), &template(), Some(notes)).unwrap();
    assert!(text.contains("- Nhận xét **mới** của tháng."));
    assert!(text.contains("1. Nhiệm vụ mới."));
    assert!(!text.contains("Triển khai thực hiện Đề án 06 đã góp phần nâng cao nhận thức"));
    assert!(text.contains("Thường xuyên tổ chức quán triệt"), "section I stays from the template");
    let err = render_text(&july_run(), &july_document(), &template(), Some("# VII\nx")).unwrap_err().to_string();
    assert!(err.contains("dòng 1"), "{err}");
}

/// Writes the July report for a visual check: `DOCX_OUT=/tmp/x.docx cargo test --test docx_writer write_sample -- --ignored`.
#[test]
#[ignore]
fn write_sample() {
    let out = std::env::var("DOCX_OUT").unwrap_or_else(|_| "/tmp/bao-cao-2024-07.docx".into());
    std::fs::write(out, july_docx()).unwrap();
}
