//! The date cumulative figures are counted up to, as a sheet states it: "(Số liệu
//! lũy kế tính đến ngày 07/5/2024)", "… (tính đến ngày 05/7/2024)", "Lũy kế đến
//! 05/8/2024", "tính đến hết ngày 05 tháng 8 năm 2024", or "Tính đến ngày" with
//! the date in the next cell (typed as text or as an Excel date). "Tính đến nay"
//! names no date, and there is then none to print.
//!
//! Only title rows (above the header) and a list's heading rows are looked at,
//! never figure cells. None of these lines is a period: [`super::parse_period`]
//! refuses them, and [`parse_as_of`] refuses a period.

use super::sheet::excel_date;
use super::view::{View, title_texts};
use crate::model::date::{self, Date};
use crate::read::Value;
use crate::text::fold;

/// What a folded line says about an as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stated {
    /// "… tính đến ngày 07/5/2024".
    Date(Date),
    /// "… tính đến ngày", the date left to the next cell.
    Open,
}

/// The as-of date a text states, if it states one.
///
/// ```
/// use baocao::extract::parse_as_of;
/// let d = parse_as_of("(Số liệu lũy kế tính đến ngày 07/5/2024)").unwrap();
/// assert_eq!((d.day(), d.month(), d.year()), (7, 5, 2024));
/// assert!(parse_as_of("Lũy kế đến 05/8/2024").is_some());
/// assert!(parse_as_of("Số liệu tính đến nay").is_none());
/// assert!(parse_as_of("(Từ ngày 05/6/2024 đến ngày 05/7/2024)").is_none());
/// ```
pub fn parse_as_of(text: &str) -> Option<Date> {
    match parse_folded(&fold(text))? {
        Stated::Date(d) => Some(d),
        Stated::Open => None,
    }
}

/// "tính đến [hết] [ngày] D" or "lũy kế … đến [ngày] D" in folded text; a "đến"
/// after a date ("từ ngày A đến ngày B") is a period's, not an as-of.
fn parse_folded(f: &str) -> Option<Stated> {
    if !f.contains("den") {
        return None;
    }
    let words: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':' | ',' | ';' | '[' | ']'))
        .filter(|w| !w.is_empty())
        .collect();
    let at = (0..words.len()).find(|&i| {
        words[i] == "den" && ((i > 0 && words[i - 1] == "tinh") || words[..i].windows(2).any(|w| w == ["luy", "ke"]))
    })?;
    let mut rest = words[at + 1..].iter().copied().skip_while(|w| matches!(*w, "het" | "ngay"));
    let Some(first) = rest.next() else { return Some(Stated::Open) };
    if let Some(d) = date::parse(first.trim_end_matches(['.', '-'])) {
        return Some(Stated::Date(d));
    }
    // "05 tháng 8 năm 2024"; anything else ("đến nay", "đến thời điểm báo cáo") names no date.
    let rest: Vec<&str> = rest.take(4).collect();
    match rest.as_slice() {
        ["thang", m, "nam", y, ..] => {
            let y = y.trim_end_matches(['.', '-']);
            date::parse(&format!("{first}/{m}/{y}")).map(Stated::Date)
        }
        _ => None,
    }
}

/// The as-of date the text cell at (`row`, `col`), folded `folded`, states (a title,
/// or a list's heading row "Chi trả … (tính đến ngày 07/5/2024)"), with the cell
/// holding the date: its own, or the next cell of the row when it ends with "tính
/// đến ngày".
pub(super) fn stated_at(view: &View, (row, col): (u32, u32), folded: &str) -> Option<(Date, u32, u32)> {
    match parse_folded(folded)? {
        Stated::Date(d) => Some((d, row, col)),
        Stated::Open => {
            let (next, cell) = view.row(row).find(|(c, _)| *c > col)?;
            let d = match &cell.value {
                Value::Number(n) => excel_date(*n)?,
                Value::Text(t) => date::parse(t.trim())?,
                _ => return None,
            };
            Some((d, row, next))
        }
    }
}

/// The as-of date a sheet states in its title rows, with the cell holding it.
pub(super) fn title_as_of(view: &View) -> Option<(Date, u32, u32)> {
    title_texts(view).find_map(|(at, key)| stated_at(view, at, &key.fold))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Cell, Sheet};

    fn d(text: &str) -> Date {
        date::parse(text).unwrap()
    }

    #[test]
    fn the_as_of_forms_are_read_and_a_period_is_not_one() {
        for (text, want) in [
            ("(Số liệu lũy kế tính đến ngày 07/5/2024)", "07/5/2024"),
            ("Chi trả trợ cấp an sinh xã hội qua tài khoản ngân hàng (tính đến ngày 07/5/2024)", "07/5/2024"),
            ("Lũy kế đến 05/8/2024", "05/8/2024"),
            ("Luỹ kế đến ngày 05/8/2024.", "05/8/2024"),
            ("Lũy kế từ ngày 01/01/2024 đến ngày 05/7/2024", "05/7/2024"),
            ("Số liệu tính đến hết ngày 05 tháng 8 năm 2024", "05/8/2024"),
            ("SỐ LIỆU TÍNH ĐẾN NGÀY 5-8-2024", "05/8/2024"),
            ("so lieu tinh den ngay 05/8/2024", "05/8/2024"),
        ] {
            assert_eq!(parse_as_of(text), Some(d(want)), "{text}");
            assert!(super::super::parse_period(text).is_none(), "an as-of line is no period: {text}");
        }
        for text in [
            "Số liệu tính đến nay",
            "Lũy kế đến nay",
            "tính đến thời điểm báo cáo",
            "(Từ ngày 05/6/2024 đến ngày 05/7/2024)",
            "Kỳ báo cáo: từ 05/7 đến 05/8/2024",
            "KẾT QUẢ TRIỂN KHAI DVC THEO QUYẾT ĐỊNH 422/QĐ-TTg ngày 04/04/2022",
            "Số liệu tính đến ngày 31/02/2024",
        ] {
            assert_eq!(parse_as_of(text), None, "{text}");
        }
        assert_eq!(parse_folded("so lieu luy ke tinh den ngay"), Some(Stated::Open));
    }

    fn sheet(rows: &[&[Value]]) -> Sheet {
        let mut sheet = Sheet::default();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if *v != Value::Empty {
                    sheet.cells.insert((r as u32, c as u32), Cell { value: v.clone(), formula: None });
                }
            }
        }
        sheet
    }

    fn text(t: &str) -> Value {
        Value::Text(t.into())
    }

    #[test]
    fn a_title_row_states_the_date_in_its_text_or_in_the_next_cell() {
        let s = sheet(&[
            &[text("UBND PHƯỜNG BẢO AN")],
            &[text("(Từ ngày 05/7/2024 đến ngày 05/8/2024)")],
            &[text("(Số liệu lũy kế tính đến ngày 05/8/2024)")],
            &[text("STT"), text("Nội dung")],
        ]);
        assert_eq!(title_as_of(&View::new(&s)), Some((d("05/8/2024"), 2, 0)));
        // The date as an Excel date (45478 is 05/7/2024), or as text, after "tính đến ngày".
        let s = sheet(&[&[text("Số liệu tính đến ngày"), Value::Empty, Value::Number(45478.0)], &[text("STT")]]);
        assert_eq!(title_as_of(&View::new(&s)), Some((d("05/7/2024"), 0, 2)));
        let s = sheet(&[&[text("Lũy kế đến ngày:"), text("05/8/2024")], &[text("STT")]]);
        assert_eq!(title_as_of(&View::new(&s)), Some((d("05/8/2024"), 0, 1)));
        // "tính đến nay", a period, or a date below the header: no as-of.
        let s = sheet(&[
            &[text("(Số liệu tính đến nay)")],
            &[text("Từ ngày"), Value::Number(45478.0), text("đến ngày"), text("05/8/2024")],
            &[text("STT")],
            &[text("Ghi chú: số liệu tạm tính đến ngày 04/7/2024")],
        ]);
        assert_eq!(title_as_of(&View::new(&s)), None);
    }
}
