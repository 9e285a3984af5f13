//! The DOCX report, checked on the July 2024 sample figures against the seed report.

mod common;

use baocao::model::{Finding, FindingKind, Location, Report, Severity};
use baocao::write::docx::{NOTES_FILE, Notes, docx_bytes, render_text};
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

fn no_notes() -> Notes {
    Notes::none(NOTES_FILE)
}

/// July's notes file, as a clerk wrote it beside the July workbooks.
fn july_notes() -> Notes {
    let text = std::fs::read_to_string(root().join("samples/inbox-2024-07/ghi-chu.md")).unwrap();
    Notes::parse(NOTES_FILE, &text).unwrap()
}

/// The 1-based line of the template holding `needle`.
fn template_line(needle: &str) -> usize {
    template().lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// The DOCX of a run as `convert` makes it: the template rendered, what it left
/// open added to the findings, then the document written.
fn docx_of(mut run: Report, template: &str, notes: &Notes) -> Vec<u8> {
    let rendered = render_text(&run, &july_document(), template, notes).unwrap();
    run.findings.extend(rendered.findings);
    docx_bytes(&run, &july_document(), &rendered.text).unwrap()
}

fn july_docx() -> Vec<u8> {
    docx_of(july_run(), &template(), &july_notes())
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
    let text = render_text(&july_run(), &july_document(), &template(), &no_notes()).unwrap().text;
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
    assert!(paras.iter().any(
        |p| p == "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác Đề án 06 thành phố)"
    ));
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

/// Issue 15 changed this: a sentence naming a figure the config does not define
/// is left out with a warning (its line and the figure), not a failure, so one
/// template serves configs that do not have every figure. A name that is not a
/// figure at all still fails with its line.
#[test]
fn a_sentence_naming_an_undefined_figure_is_left_out_with_its_line() {
    let bad = template().replacen(
        "# II. KẾT QUẢ",
        "- Câu thử nghiệm: {{ v[\"so_hoa.khong_co\"]|num }} hồ sơ,\ndòng tiếp của câu.\n\n# II. KẾT QUẢ",
        1,
    );
    let line = bad.lines().position(|l| l.contains("so_hoa.khong_co")).unwrap() + 1;
    let rendered = render_text(&july_run(), &july_document(), &bad, &no_notes()).unwrap();
    assert!(!rendered.text.contains("Câu thử nghiệm") && !rendered.text.contains("dòng tiếp của câu"));
    let omitted: Vec<&Finding> = rendered.findings.iter().filter(|f| f.kind == FindingKind::SentenceOmitted).collect();
    assert_eq!(omitted.len(), 1, "{:#?}", rendered.findings);
    let message = &omitted[0].message;
    assert!(
        message.starts_with(&format!("Mẫu báo cáo, dòng {line}: bỏ câu “- Câu thử nghiệm: … hồ sơ, dòng tiếp")),
        "{message}"
    );
    assert!(message.contains("“so_hoa.khong_co”") && message.contains("(có: so_hoa."), "{message}");
    assert_eq!(omitted[0].severity, Severity::Warning);
    // Everything else is as the template without the sentence renders it.
    let plain = render_text(&july_run(), &july_document(), &template(), &no_notes()).unwrap();
    let squeeze =
        |t: &str| t.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| p.trim().to_string()).collect::<Vec<_>>();
    assert_eq!(squeeze(&rendered.text), squeeze(&plain.text));
    // Left out by the config's choice: not a draft.
    let mut run = july_run();
    run.findings.extend(omitted.iter().map(|f| (*f).clone()));
    assert!(!run.is_draft());
    let err = render_text(&july_run(), &july_document(), "a\n{{ khong_co }}\n", &no_notes()).unwrap_err().to_string();
    assert!(err.contains("dòng 2") && err.contains("khong_co"), "{err}");
}

#[test]
fn a_figure_without_value_prints_a_highlighted_gap_and_makes_a_draft() {
    let mut run = july_run();
    let id = "an_sinh.ty_le_co_tai_khoan_pct";
    let at = run.totals.find(id).unwrap();
    run.totals.get_mut(at).value = None;
    let label = run.total(at).label.clone();
    let line = template().lines().position(|l| l.contains(id)).unwrap() + 1;

    let rendered = render_text(&run, &july_document(), &template(), &july_notes()).unwrap();
    assert_eq!(rendered.findings.len(), 1, "{:#?}", rendered.findings);
    let f = &rendered.findings[0];
    assert_eq!((f.severity, f.kind), (Severity::Warning, FindingKind::FigureGap));
    assert!(f.message.contains(&format!("dòng {line}:")) && f.message.contains(&label), "{}", f.message);
    assert!(!f.message.contains(id) && !rendered.text.contains(id), "named by its label, never its id");

    let xml = part(&docx_of(run, &template(), &july_notes()), "word/document.xml");
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], "BẢN NHÁP – còn 01 số liệu trống (xem trang tính “Kiểm tra” trong tệp XLSX)");
    assert!(
        paras
            .iter()
            .any(|p| p.contains("trong đó có 3.452 trường hợp có tài khoản ngân hàng (đạt tỷ lệ … so với tổng")),
        "the sentence keeps its place with a gap"
    );
    let gap = xml.find(">…</w:t>").unwrap();
    let run_start = xml[..gap].rfind("<w:r>").unwrap();
    assert!(xml[run_start..gap].contains("<w:highlight w:val=\"yellow\" />"), "{}", &xml[run_start..gap]);
    assert!(xml[run_start..gap].contains("<w:i />"), "the gap keeps the italics of its sentence");
}

#[test]
fn a_run_with_errors_is_marked_as_a_draft_in_red() {
    let mut run = july_run();
    let f = Finding::new(Severity::Error, FindingKind::MissingUnit, Location::file("x.xlsx"), "thiếu".into());
    run.findings = vec![f.clone(), f];
    let xml = part(&docx_of(run, &template(), &july_notes()), "word/document.xml");
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], "BẢN NHÁP – còn 02 lỗi chưa xử lý (xem trang tính “Kiểm tra” trong tệp XLSX)");
    assert!(xml.contains("<w:color w:val=\"FF0000\" />"));
}

#[test]
fn notes_replace_the_narrative_sections() {
    let notes = "# III. NHẬN XÉT ĐÁNH GIÁ\n## 1. Ưu điểm\n- Nhận xét **mới** của tháng.\n# V\n1. Nhiệm vụ mới.\n";
    let notes = Notes::parse(NOTES_FILE, notes).unwrap();
    let rendered = render_text(&july_run(), &july_document(), &template(), &notes).unwrap();
    let text = &rendered.text;
    assert!(text.contains("- Nhận xét **mới** của tháng."));
    assert!(text.contains("1. Nhiệm vụ mới."));
    assert!(!text.contains("Triển khai thực hiện Đề án 06 đã góp phần nâng cao nhận thức"));
    // Section I is no longer in the template: without notes it is a placeholder, not July's text.
    assert!(!text.contains("Thường xuyên tổ chức quán triệt"), "July's section I does not repeat");
    assert!(text.contains("[Nội dung mục I: bổ sung trong ghi-chu.md]"));
    let missing: Vec<&str> = rendered.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(missing.len(), 2, "{missing:#?}");
    assert!(missing[0].starts_with("Mục I của báo cáo chưa có nội dung (ghi-chu.md không có mục “# I”)"));
    assert!(missing[1].starts_with("Mục IV của báo cáo chưa có nội dung"));
    let err = Notes::parse(NOTES_FILE, "# VII\nx").unwrap_err().to_string();
    assert!(err.contains("dòng 1"), "{err}");
}

/// Paragraphs of the seed report (July 2024) that are narrative, not figures:
/// they come from July's notes file now, and must read exactly as the seed.
const SEED_NARRATIVE: [&str; 8] = [
    "UBND thành phố, Tổ công tác Đề án 06 thành phố đã ban hành các văn bản triển khai, chỉ đạo thực hiện các nhiệm vụ Đề án 06 và chuyển đổi số: Công văn số 3107/UBND-CA ngày 14/6/2024 về việc chuyển đổi, sử dụng tài khoản VNeID trong thực hiện thủ tục hành chính; Công văn số 3115/UBND-LĐTBOXH ngày 14/6/2024 về việc đẩy nhanh tiến độ thu thập thông tin về người lao động và cập nhật dữ liệu thông tin người lao động vào phần mềm hệ thống cơ sở dữ liệu quốc gia về dân cư năm 2024; Kế hoạch số 282/KH-UBND ngày 01/7/2024 về tổ chức cuộc thi “Tìm hiểu pháp luật về căn cước, định danh và xác thực điện tử của Việt Nam” trên địa bàn thành phố; Kế hoạch số 269/KH-UBND ngày 19/6/2024 về tổ chức Hội nghị sơ kết 06 tháng đầu năm 2024 triển khai thực hiện Đề án 06 trên địa bàn thành phố; Công văn số 3290/UBND-TH ngày 25/6/2024 về việc triển khai miễn phí giải pháp KIOSK y tế thông minh đối với các cơ sở y tế toàn quốc theo Đề án 06; Công văn số 3451/UBND-TP ngày 03/7/2024 về việc tăng cường phối hợp xây dựng Cơ sở dữ liệu lý lịch tư pháp trên địa bàn thành phố; Công văn số 3452/UBND-TP ngày 03/7/2024 về triển khai thực hiện các quy định của Nghị định số 63/2024/NĐ-CP và Thông tư số 04/2024/TT-BTP; Công văn số 3463/UBND-CA ngày 03/7/2024 về việc thực hiện công tác kích hoạt tài khoản định danh và xác thực điện tử; Công văn số 3558/UBND-CA ngày 09/7/2024 về việc triển khai thực hiện một số nhiệm vụ của Đề án 06 và Công văn số 4746/TCTTKĐA ngày 11/6/2024 của Thư ký Tổ công tác triển khai Đề án 06 của Chính phủ.",
    "- Thực hiện công tác tuyên truyền về các tiện ích của tài khoản định danh điện tử, Cổng dịch vụ công trực tuyến, phổ biến những điểm mới của Luật Căn cước năm 2023 có hiệu lực từ 01/7/2024 tập trung vào các điểm mới của Luật Căn cước năm 2023: Đăng tải 02 tin, bài trên trang mạng xã hội (Zalo, Facebook,...), 18 lượt tuyên truyền qua loa đài, thu hút hơn 22.700 lượt theo dõi, tương tác; đăng tải thông tin trên loa thông tin phường, xã. Tổ chức Lễ phát động thu nhận hồ sơ căn cước và giấy chứng nhận căn cước trên địa bàn thành phố, đồng thời ngày 06/7/2024 tổ chức trao thẻ căn cước cho công dân dưới 14 tuổi đầu tiên được thu nhận thẻ căn cước ngay trong những ngày đầu Luật Căn cước triển khai có hiệu lực. Việc làm thẻ căn cước tạo điều kiện thuận lợi cho công dân dưới 14 tuổi trong các hoạt động liên quan hàng ngày thay thế giấy khai sinh, thể hiện sự thúc đẩy của Chính phủ trong đẩy mạnh Công dân số, Chính phủ số góp phần thúc đẩy phát triển kinh tế xã hội. Công an thành phố tiếp tục đẩy mạnh thu nhận hồ sơ cấp căn cước, làm thêm ngoài giờ hành chính để đáp ứng nhu cầu của công dân.",
    "- UBND thành phố đã ban hành Kế hoạch số 282/KH-UBND ngày 01/7/2024 về tổ chức cuộc thi “Tìm hiểu pháp luật về căn cước, định danh và xác thực điện tử của Việt Nam” trên địa bàn thành phố, thông qua cuộc thi đã đẩy mạnh công tác tuyên truyền, phổ biến, quán triệt đến cán bộ, công chức, viên chức, lực lượng vũ trang và nhân dân trên địa bàn thành phố, nâng cao nhận thức và trách nhiệm của các Phòng, ban, ngành, đoàn thể các cấp trong việc triển khai thi hành Luật Căn cước và các văn bản hướng dẫn.",
    "- Triển khai thực hiện Đề án 06 đã góp phần nâng cao nhận thức, tư duy trong công tác chỉ đạo, tổ chức thực hiện, huy động sự tham gia của cả hệ thống chính trị, nhất là lực lượng cấp cơ sở trong công tác quản lý nhà nước trên các lĩnh vực, bảo đảm an ninh an toàn thông tin tất cả các cấp.",
    "+ Hiện nay trên cổng dịch vụ công trực tuyến chưa có thủ tục khai báo nơi ở hiện tại với công dân đang có nơi thường trú, thủ tục hiện có trên cổng dịch vụ công trực tuyến \"Khai báo thông tin về cư trú đối với người chưa đủ điều kiện đăng ký thường trú, đăng ký tạm trú\" chỉ áp dụng đối với người dân không có cả nơi thường trú và tạm trú.",
    "+ Kiến nghị không áp đặt chỉ tiêu nộp phạt qua cổng dịch vụ công, thay vào đó sẽ hướng dẫn người dân thao tác thanh toán qua dịch vụ công trực tuyến đối với các trường hợp đủ điều kiện nộp phạt. Đối với các trường hợp không đủ điều kiện nộp phạt dịch vụ công trực tuyến thì để người vi phạm tự nộp phạt tại ngân hàng.",
    "- Chuẩn hóa, thống nhất chung định dạng các trường thông tin, dữ liệu trên hệ thống của các cơ quan, đơn vị để hạn chế tình trạng lỗi không đồng bộ dữ liệu.",
    "5. Thường xuyên rà soát, cập nhật làm giàu dữ liệu các cơ sở dữ liệu chuyên ngành đảm bảo thông tin công dân “đúng, đủ, sạch, sống”. Tiếp tục triển khai các giải pháp ứng dụng những tiện ích được phát triển từ nền tảng Cơ sở dữ liệu quốc gia về dân cư, căn cước và định danh điện tử.",
];

#[test]
fn july_notes_give_the_seed_narrative_in_its_place() {
    let paras = paragraphs(&part(&july_docx(), "word/document.xml"));
    let pos =
        |s: &str| paras.iter().position(|p| p == s).unwrap_or_else(|| panic!("not a paragraph of the report: {s}"));
    let mut last = 0;
    for p in SEED_NARRATIVE {
        let at = pos(p);
        assert!(at > last, "out of order: {p}");
        last = at;
    }
    // Each under its section, as in the seed.
    assert!(pos("I. CÔNG TÁC CHỈ ĐẠO TRIỂN KHAI") < pos(SEED_NARRATIVE[0]));
    assert!(
        pos(SEED_NARRATIVE[2])
            < pos(
                "2. Nhóm phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử phục vụ các nhóm tiện ích"
            )
    );
    assert!(pos("III. NHẬN XÉT ĐÁNH GIÁ") < pos(SEED_NARRATIVE[3]));
    assert!(pos("IV. KIẾN NGHỊ, ĐỀ XUẤT") < pos(SEED_NARRATIVE[5]));
    assert!(pos("V. PHƯƠNG HƯỚNG NHIỆM VỤ TRONG THỜI GIAN TỚI") < pos(SEED_NARRATIVE[7]));
    assert!(paras.iter().any(|p| p.contains("Bộ phận tiếp nhận và trả kết quả thành phố và 16 phường, xã rà soát")));
    let rendered = render_text(&july_run(), &july_document(), &template(), &july_notes()).unwrap();
    assert!(rendered.findings.is_empty(), "July's notes fill every section: {:#?}", rendered.findings);
}

#[test]
fn without_notes_nothing_of_july_repeats_and_each_section_is_a_highlighted_placeholder() {
    let rendered = render_text(&july_run(), &july_document(), &template(), &no_notes()).unwrap();
    let sections = ["I", "III", "IV", "V"];
    assert_eq!(rendered.findings.len(), sections.len(), "{:#?}", rendered.findings);
    for (f, s) in rendered.findings.iter().zip(sections) {
        assert_eq!((f.severity, f.kind), (Severity::Warning, FindingKind::NotesMissing));
        assert_eq!(&*f.location.file, "ghi-chu.md");
        let line = template_line(&format!("{{{{ note(\"{s}\") }}}}"));
        assert!(
            f.message.starts_with(&format!("Mục {s} của báo cáo chưa có nội dung (chưa có tệp ghi-chu.md)")),
            "{}",
            f.message
        );
        assert!(f.message.contains(&format!("(mẫu báo cáo, dòng {line})")), "{}", f.message);
    }
    let xml = part(&docx_of(july_run(), &template(), &no_notes()), "word/document.xml");
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], "BẢN NHÁP – còn 04 mục chưa có nội dung (xem trang tính “Kiểm tra” trong tệp XLSX)");
    for s in sections {
        let placeholder = format!("[Nội dung mục {s}: bổ sung trong ghi-chu.md]");
        let at = paras.iter().position(|p| *p == placeholder).unwrap_or_else(|| panic!("no {placeholder}"));
        assert!(paras[at - 1].starts_with(&format!("{s}. ")), "under its heading: {}", paras[at - 1]);
        let run = xml.split("<w:r>").find(|r| r.contains(&format!(">{placeholder}</w:t>"))).unwrap();
        assert!(run.contains("<w:highlight w:val=\"yellow\" />"), "{run}");
    }
    let body = paras.join("\n");
    for july in [
        "06/7/2024",
        "282/KH-UBND",
        "3107/UBND-CA",
        "Thường xuyên tổ chức quán triệt",
        "Kiến nghị không áp đặt chỉ tiêu",
    ] {
        assert!(!body.contains(july), "July's narrative repeats: {july}");
    }
}

#[test]
fn section_ii_slots_continue_their_clause_or_start_a_paragraph() {
    let notes = "# II.2.3\nTrong tháng, tổ chức tập huấn cho 16 phường, xã.\n\n- Lễ ra quân ngày 20/8/2024.\n\
                 # II\n- Đoạn cuối mục II.\n";
    let notes = Notes::parse(NOTES_FILE, notes).unwrap();
    let paras = paragraphs(&part(&docx_of(july_run(), &template(), &notes), "word/document.xml"));
    let vneid = paras.iter().position(|p| p.contains("Tiếp nhận 21 tin báo từ ứng dụng VNeID.")).unwrap();
    assert!(
        paras[vneid]
            .ends_with("Tiếp nhận 21 tin báo từ ứng dụng VNeID. Trong tháng, tổ chức tập huấn cho 16 phường, xã.")
    );
    assert_eq!(paras[vneid + 1], "- Lễ ra quân ngày 20/8/2024.");
    assert!(paras[vneid + 2].starts_with("2.4. "), "{}", paras[vneid + 2]);
    let last_ii = paras.iter().position(|p| p == "- Đoạn cuối mục II.").unwrap();
    assert_eq!(paras[last_ii + 1], "III. NHẬN XÉT ĐÁNH GIÁ");
    assert!(paras[last_ii - 1].starts_with("+ Tổng số lượt khám chữa bệnh bằng căn cước"));
}

#[test]
fn a_notes_slot_the_template_has_no_place_for_is_reported_not_dropped() {
    let mut text = std::fs::read_to_string(root().join("samples/inbox-2024-07/ghi-chu.md")).unwrap();
    text.push_str("\n# II.7. Nhóm khác\n- Nội dung bị lạc.\n");
    let line = text.lines().count() - 1;
    let notes = Notes::parse(NOTES_FILE, &text).unwrap();
    let rendered = render_text(&july_run(), &july_document(), &template(), &notes).unwrap();
    assert_eq!(rendered.findings.len(), 1, "{:#?}", rendered.findings);
    let f = &rendered.findings[0];
    assert_eq!((f.severity, f.kind), (Severity::Warning, FindingKind::NotesUnused));
    assert!(f.message.starts_with(&format!("Dòng {line}: mẫu báo cáo không có chỗ cho mục “II.7”")), "{}", f.message);
    assert!(f.message.contains("I, II, II.1, II.2.1, II.2.2, II.2.3, II.2.4, III, IV, V"), "{}", f.message);
    let paras = paragraphs(&part(&docx_of(july_run(), &template(), &notes), "word/document.xml"));
    assert_eq!(
        paras[0],
        "BẢN NHÁP – còn 01 mục ghi chú không có chỗ trong mẫu (xem trang tính “Kiểm tra” trong tệp XLSX)"
    );
}

#[test]
fn a_slot_with_standing_text_is_replaced_by_its_notes() {
    let t = "{{ note(\"II.2\", \"Đoạn cố định của mẫu.\") }}\n{{ note(\"V\") }}";
    let none = render_text(&july_run(), &july_document(), t, &Notes::none("thang-8.md")).unwrap();
    assert_eq!(none.findings.len(), 1, "the standing text needs no notes: {:#?}", none.findings);
    assert!(none.text.starts_with("Đoạn cố định của mẫu.\n"));
    assert!(none.text.contains("[Nội dung mục V: bổ sung trong thang-8.md]"), "{}", none.text);
    let notes = Notes::parse("thang-8.md", "# II.2\nĐoạn của tháng.\n# V\nx").unwrap();
    let given = render_text(&july_run(), &july_document(), t, &notes).unwrap();
    assert_eq!(given.text, "Đoạn của tháng.\nx");
    assert!(given.findings.is_empty());
    let err = render_text(&july_run(), &july_document(), "a\n{{ note(\"VI\") }}", &notes).unwrap_err().to_string();
    assert!(err.contains("dòng 2") && err.contains("không phải tên mục"), "{err}");
}

/// Writes the July report for a visual check: `DOCX_OUT=/tmp/x.docx cargo test --test docx_writer write_sample -- --ignored`.
#[test]
#[ignore]
fn write_sample() {
    let out = std::env::var("DOCX_OUT").unwrap_or_else(|_| "/tmp/bao-cao-2024-07.docx".into());
    std::fs::write(out, july_docx()).unwrap();
}
