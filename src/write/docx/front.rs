//! The fixed parts of the report around the template's body: the two-column
//! header, the draft warning, the title, and the recipients/signature block.

use super::style::{Look, bold_text_width, line, para, rule, run};
use crate::model::{Document, Draft};
use docx_rs::{
    AlignmentType, Paragraph, Table, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// Text width of a portrait page: 210 - 30 - 15 mm.
pub const PORTRAIT_TEXT: i32 = 9355;
/// Header columns: left (parent and issuing body, number), right (national name,
/// date), together the text width, so the block stays inside the margins. The
/// left column is as wide as its widest line needs (Decree 30 puts the issuing
/// body's lines centred over each other), within these bounds; the right gets the rest.
const HEAD_LEFT_MIN: i32 = 3600;
const HEAD_LEFT_MAX: i32 = 4300;
/// Room either side of a header line, so a measured line never just touches the edge.
const HEAD_PAD: i32 = 60;
/// Signature block columns: left ("Nơi nhận"), right (signer).
const SIGN_LEFT: i32 = 4400;
const SIGN_RIGHT: i32 = PORTRAIT_TEXT - SIGN_LEFT;

const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// Size of the header lines: 13 pt (national name 12 pt so it fits one line).
const HEAD: Look = Look::new(13);

/// A borderless table with fixed columns and no cell padding.
fn borderless(widths: &[i32], rows: Vec<TableRow>) -> Table {
    let total: i32 = widths.iter().sum();
    Table::without_borders(rows)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(total as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
}

/// A top-aligned cell of a fixed width holding `paras`.
fn cell(width: i32, paras: Vec<Paragraph>) -> TableCell {
    paras
        .into_iter()
        .fold(TableCell::new().width(width as usize, WidthType::Dxa).vertical_align(VAlignType::Top), |c, p| {
            c.add_paragraph(p)
        })
}

/// "Phan Rang – Tháp Chàm, ngày 12 tháng 7 năm 2024".
pub fn place_date(doc: &Document, month: u32, year: u32) -> String {
    let date = doc.date_in_words(month, year);
    if doc.place.trim().is_empty() { date } else { format!("{}, {date}", doc.place.trim()) }
}

/// The header block of page 1 (Decree 30 cells 1-4), as a borderless 2x2 table so the
/// number and the place/date share a line.
pub fn header_table(doc: &Document, month: u32, year: u32) -> Table {
    // Bold widths bound the plain lines' widths too.
    let widest = doc.issuing_body.iter().map(|l| bold_text_width(l, HEAD.size)).max().unwrap_or(0);
    let widest_any = doc.parent_body.iter().map(|l| bold_text_width(l, HEAD.size)).max().unwrap_or(0).max(widest);
    let head_left = (widest_any + 2 * HEAD_PAD).clamp(HEAD_LEFT_MIN, HEAD_LEFT_MAX);
    let head_right = PORTRAIT_TEXT - head_left;
    let mut left: Vec<Paragraph> = doc.parent_body.iter().map(|l| line(l, HEAD, AlignmentType::Center)).collect();
    left.extend(doc.issuing_body.iter().map(|l| line(l, HEAD.bold(), AlignmentType::Center)));
    if widest > 0 {
        left.push(rule(widest.min(head_left) * 2 / 5, head_left));
    }
    let right = vec![
        line(NATIONAL_NAME, Look::new(12).bold(), AlignmentType::Center),
        line(MOTTO, HEAD.bold(), AlignmentType::Center),
        rule(bold_text_width(MOTTO, HEAD.size), head_right),
    ];
    let number_text = format!("Số: {}", doc.number_symbol());
    let date_text = place_date(doc, month, year);
    let number = para(AlignmentType::Center, 120, 0).add_run(run(&number_text, HEAD));
    let date = para(AlignmentType::Center, 120, 0).add_run(run(&date_text, HEAD.italic()));
    // A long place and date ("Phan Rang – Tháp Chàm, ngày 12 tháng 7 năm 2024")
    // borrows width from the number's cell, which needs less than the block above it.
    let room = head_left - bold_text_width(&number_text, HEAD.size) - 2 * HEAD_PAD;
    let borrow = (bold_text_width(&date_text, HEAD.size) + 2 * HEAD_PAD - head_right).clamp(0, room.max(0));
    if borrow == 0 {
        return borderless(
            &[head_left, head_right],
            vec![
                TableRow::new(vec![cell(head_left, left), cell(head_right, right)]),
                TableRow::new(vec![cell(head_left, vec![number]), cell(head_right, vec![date])]),
            ],
        );
    }
    borderless(
        &[head_left - borrow, borrow, head_right],
        vec![
            TableRow::new(vec![cell(head_left, left).grid_span(2), cell(head_right, right)]),
            TableRow::new(vec![
                cell(head_left - borrow, vec![number]),
                cell(head_right + borrow, vec![date]).grid_span(2),
            ]),
        ],
    )
}

/// The red warning on page 1 of a draft, saying what is left: "BẢN NHÁP – còn
/// 02 lỗi chưa xử lý, 03 số liệu trống (xem …)".
pub fn draft_banner(draft: &Draft) -> Paragraph {
    let text = format!(
        "BẢN NHÁP – {} (xem trang tính “Kiểm tra” trong tệp XLSX)",
        draft.describe(|n| crate::number::fmt_pad2(n as f64))
    );
    para(AlignmentType::Center, 0, 120).add_run(run(&text, Look::new(13).bold()).color("FF0000"))
}

/// "BÁO CÁO", the summary under it, and a short line.
pub fn title(doc: &Document) -> Vec<Paragraph> {
    let mut out = vec![para(AlignmentType::Center, 360, 0).add_run(run("BÁO CÁO", Look::new(14).bold()))];
    if !doc.summary.trim().is_empty() {
        out.push(para(AlignmentType::Center, 0, 40).add_run(run(doc.summary.trim(), Look::new(14).bold())));
        let width = bold_text_width(doc.summary.trim(), 28).min(PORTRAIT_TEXT) * 2 / 5;
        out.push(rule(width, PORTRAIT_TEXT));
    }
    out.push(para(AlignmentType::Center, 0, 120));
    out
}

/// "Nơi nhận" beside the signature: authority and titles in bold capitals, room for the
/// signature and seal, then the signer's name in bold.
///
/// With several titles, as for a working group signed by the city chairman, the last
/// title goes under the signature space, above the name (the seed's "TỔ TRƯỞNG" …
/// "CHỦ TỊCH UBND THÀNH PHỐ" / "Nguyễn Thành Phú").
pub fn signature_table(doc: &Document) -> Table {
    let mut left = vec![para(AlignmentType::Left, 240, 0).add_run(run("Nơi nhận:", Look::new(12).bold().italic()))];
    left.extend(doc.recipients.iter().map(|r| line(&format!("- {}", r.trim()), Look::new(11), AlignmentType::Left)));
    let title = Look::new(14).bold();
    let (top, under): (&[String], &[String]) = match doc.signer_titles.len() {
        0 | 1 => (&doc.signer_titles[..], &[]),
        n => doc.signer_titles.split_at(n - 1),
    };
    let mut right: Vec<Paragraph> = top.iter().map(|t| line(t, title, AlignmentType::Center)).collect();
    if let Some(first) = right.first_mut() {
        first.property = first.property.clone().line_spacing(docx_rs::LineSpacing::new().before(240).after(0));
    }
    right.extend((0..4).map(|_| line("", title, AlignmentType::Center)));
    right.extend(under.iter().map(|t| line(t, title, AlignmentType::Center)));
    right.push(line(doc.signer_name.trim(), title, AlignmentType::Center));
    borderless(
        &[SIGN_LEFT, SIGN_RIGHT],
        vec![TableRow::new(vec![cell(SIGN_LEFT, left), cell(SIGN_RIGHT, right)]).cant_split()],
    )
}
