//! Choosing the sheet for a table or list (by name, then by title; a stale copy
//! beside the current sheet is told by the period it states), and reading that
//! period ("Từ ngày ... đến ngày ...").

use super::Ctx;
use super::view::{View, title_texts};
use crate::model::date::{self, Date};
use crate::model::{Finding, FindingKind, Location, Month, Period, PeriodRule, Severity};
use crate::read::Value;
use crate::text::{Key, Match, fold};

/// A period a sheet states, with the row and column of the cell stating it.
type Stated = (Period, u32, u32);

/// The period a sheet states above its header, with the cell it was read from:
/// a "Từ ngày ... đến ngày ..." text (also "Kỳ báo cáo: từ 05/7 đến 05/8/2024",
/// "từ 05/7 - 05/8/2024", "Từ ngày 05 tháng 7 năm 2024 đến ngày 05 tháng 8 năm
/// 2024", dates written 05/7/2024, 5-7-2024 or 05.07.2024), the same spread over
/// the cells of a row or of two rows ("Từ ngày" | 05/7/2024 | "đến ngày" |
/// 05/8/2024, dates typed as text or as Excel dates), or a month ("Tháng 8/2024",
/// "Kỳ báo cáo tháng 8/2024", "Tháng 08 năm 2024", or "Tháng" | 8 | "năm" | 2024
/// over cells), whose period the city's rule gives.
fn sheet_period(view: &View, rule: &PeriodRule) -> Option<Stated> {
    if let Some(found) = title_texts(view).find_map(|((r, c), k)| parse_folded_period(&k.fold).map(|p| (p, r, c))) {
        return Some(found);
    }
    let stop = title_texts(view).map(|((r, _), _)| r + 1).max().unwrap_or(0);
    // Each title row's cells as words, with the column of its first cell.
    let rows: Vec<Option<(u32, String)>> = (0..stop)
        .map(|r| {
            let mut cells = view.row(r).peekable();
            let &(first, _) = cells.peek()?;
            let words: Vec<String> = cells
                .filter_map(|(_, cell)| match &cell.value {
                    Value::Text(t) => Some(fold(t)),
                    Value::Number(n) => excel_date(*n)
                        .map(date::short)
                        .or_else(|| (n.fract() == 0.0 && (1.0..10_000.0).contains(n)).then(|| format!("{n}"))),
                    _ => None,
                })
                .collect();
            Some((first, words.join(" ")))
        })
        .collect();
    for (r, row) in rows.iter().enumerate() {
        if let Some((first, text)) = row
            && let Some(p) = parse_folded_period(text)
        {
            return Some((p, r as u32, *first));
        }
    }
    // "Từ ngày: 05/7/2024" over "Đến ngày: 05/8/2024".
    for (r, pair) in rows.windows(2).enumerate() {
        if let [Some((first, text)), Some((_, next))] = pair
            && next.starts_with("den")
            && let Some(p) = parse_folded_period(&format!("{text} {next}"))
        {
            return Some((p, r as u32, *first));
        }
    }
    title_texts(view).find_map(|((r, c), k)| parse_folded_month(&k.fold).map(|m| (rule.period_of(m), r, c))).or_else(
        || {
            rows.iter().enumerate().find_map(|(r, row)| {
                let (first, text) = row.as_ref()?;
                parse_folded_month(text).map(|m| (rule.period_of(m), r as u32, *first))
            })
        },
    )
}

/// An Excel date serial (whole days since 1899-12-30, as Excel counts after
/// February 1900) of this century, as a date.
pub(super) fn excel_date(serial: f64) -> Option<Date> {
    if serial.fract() != 0.0 || !(36_526.0..=73_050.0).contains(&serial) {
        return None;
    }
    Date::constant(1899, 12, 30).checked_add(jiff::Span::new().days(serial as i64)).ok()
}

/// Parse "(Từ ngày 05/6/2024 đến ngày 05/7/2024)"; other dated lines are not periods.
///
/// ```
/// use baocao::extract::parse_period;
/// assert_eq!(parse_period("(Từ ngày 05/7/2024 đến ngày 05/8/2024)").unwrap().describe(),
///            "từ ngày 05/7/2024 đến ngày 05/8/2024");
/// assert_eq!(parse_period("Kỳ báo cáo: từ 05/7 đến 05/8/2024").unwrap().describe(),
///            "từ ngày 05/7/2024 đến ngày 05/8/2024");
/// assert_eq!(parse_period("Từ ngày 05/12 đến ngày 05/01/2025").unwrap().describe(),
///            "từ ngày 05/12/2024 đến ngày 05/1/2025");
/// assert!(parse_period("Số liệu lũy kế tính đến ngày 07/5/2024").is_none());
/// // A cumulative span is an as-of date (05/7/2024), not a period.
/// assert!(parse_period("Lũy kế từ ngày 01/01/2024 đến ngày 05/7/2024").is_none());
/// ```
pub fn parse_period(text: &str) -> Option<Period> {
    parse_folded_period(&fold(text))
}

/// Folded text as the words a period is read from: dates written in words
/// ("05 thang 7 nam 2024") made "05/7/2024", a range typed without spaces
/// ("05/7-05/8/2024") split, and a dash or "tới" between two dates read as "den".
fn period_words(f: &str) -> Vec<String> {
    let raw: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':' | ',' | ';'))
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: Option<&&str>| w.is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
    let mut words = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        if number(Some(&w)) && raw.get(i + 1) == Some(&"thang") && number(raw.get(i + 2)) {
            if raw.get(i + 3) == Some(&"nam") && number(raw.get(i + 4)) {
                words.push(format!("{w}/{}/{}", raw[i + 2], raw[i + 4]));
                i += 5;
            } else {
                words.push(format!("{w}/{}", raw[i + 2]));
                i += 3;
            }
            continue;
        }
        match w.split_once('-') {
            Some((a, b)) if w.contains(['/', '.']) && !a.is_empty() && !b.is_empty() => {
                words.extend([a.to_string(), "den".to_string(), b.to_string()]);
            }
            _ if w.chars().all(|c| c == '-') || w == "toi" => words.push("den".to_string()),
            _ => words.push(w.to_string()),
        }
        i += 1;
    }
    words
}

fn parse_folded_period(f: &str) -> Option<Period> {
    let words = period_words(f);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    // "từ ... đến ...", or "Kỳ báo cáo: 05/7/2024 - 05/8/2024" with no "từ".
    let at = match words.iter().position(|w| *w == "tu") {
        Some(at) => at,
        None => {
            let ky = words.iter().position(|w| *w == "ky")?;
            let first_date = ky + words[ky..].iter().position(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
            first_date.checked_sub(1)?
        }
    };
    if words[..at].windows(2).any(|w| w == ["luy", "ke"]) {
        return None;
    }
    let mut rest = words[at + 1..].iter().copied().skip_while(|w| *w == "ngay");
    let from = rest.next()?;
    let mut rest = rest.skip_while(|w| *w == "ngay");
    if rest.next()? != "den" {
        return None;
    }
    // "đến hết ngày 05/8/2024"
    let to = rest.find(|w| *w != "ngay" && *w != "het")?;
    let to = date::parse(to.trim_end_matches(['.', '-']))?;
    let from = from.trim_end_matches(['.', '-']);
    let from = date::parse(from).or_else(|| {
        // "từ 05/7 đến 05/8/2024": the first date's year is the second's (or the one before).
        let (d, m) = from.split_once(['/', '-', '.'])?;
        let (d, m): (i8, i8) = (d.parse().ok()?, m.parse().ok()?);
        let year = if m > to.month() { to.year() - 1 } else { to.year() };
        Date::new(year, m, d).ok()
    })?;
    (from < to).then_some(Period { from, to })
}

/// "tháng 8/2024", "tháng 08-2024", "tháng 8 năm 2024" in folded text.
fn parse_folded_month(f: &str) -> Option<Month> {
    let words: Vec<&str> = f
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ':' | ',' | ';'))
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).enumerate().find_map(|(i, w)| {
        if w[0] != "thang" {
            return None;
        }
        if let Some((m, y)) = w[1].split_once(['/', '-', '.']) {
            return (y.len() == 4).then(|| Month::new(y.parse().ok()?, m.parse().ok()?)).flatten();
        }
        let m: i8 = w[1].parse().ok()?;
        match words.get(i + 2..i + 4) {
            Some(["nam" | "/" | "-" | ".", y]) if y.len() == 4 => Month::new(y.parse().ok()?, m),
            _ => None,
        }
    })
}

/// The sheet chosen for one table or list, and the other sheets that fit it
/// as well and state the same period (or, like it, none): a copy that may or
/// may not hold the same figures, which the caller reads and compares.
pub(super) struct Chosen<'w, 's> {
    pub(super) sheet: &'w View<'s>,
    pub(super) twins: Vec<&'w View<'s>>,
}

/// Pick the sheet for one table or list. Several candidates (a stale "(T6)" copy
/// beside the current sheet) are decided by the period they state, then by name.
pub(super) fn choose_sheet<'w, 's>(
    ctx: &mut Ctx,
    views: &'w [View<'s>],
    name: &Key,
    title: Option<&Key>,
    want: Option<Period>,
    periods: &mut Vec<(Period, Location)>,
) -> Option<Chosen<'w, 's>> {
    let rule = ctx.rule;
    let mut cands: Vec<(u8, &View, Option<Stated>)> = views
        .iter()
        .filter_map(|v| sheet_score(v, name, title).map(|score| (score, v, sheet_period(v, &rule))))
        .collect();
    if cands.is_empty() {
        return None;
    }
    // A hidden sheet is never preferred over a visible one: it is a stale copy the
    // clerk hid, or a lookup sheet. Only with no visible candidate is it read.
    let hidden: Vec<&View> = cands.iter().filter(|(_, v, _)| v.hidden).map(|(_, v, _)| *v).collect();
    let all_hidden = hidden.len() == cands.len();
    if !all_hidden {
        cands.retain(|(_, v, _)| !v.hidden);
    }
    // 2: states the period wanted; 1: states none (or none is wanted yet); 0: states another.
    let fit = |p: &Option<Stated>| match (p, want) {
        (Some((p, _, _)), Some(w)) => 2 * u8::from(*p == w),
        _ => 1,
    };
    // Best: states the report's period, then the closest name.
    cands.sort_by_key(|(score, _, p)| (std::cmp::Reverse(fit(p)), std::cmp::Reverse(*score)));
    let (_, chosen, chosen_period) = cands[0];
    if all_hidden {
        let msg = format!(
            "Trang tính \"{}\" đang bị ẩn nhưng là trang duy nhất có bảng này; vẫn đọc và tổng hợp số liệu của trang này.",
            chosen.name
        );
        note_once(ctx, FindingKind::HiddenSheetRead, ctx.at_sheet(chosen), msg);
    } else {
        for other in hidden {
            let msg = format!(
                "Trang tính \"{}\" đang bị ẩn; không tổng hợp trang này, dùng trang \"{}\" đang hiện.",
                other.name, chosen.name
            );
            note_once(ctx, FindingKind::HiddenSheetIgnored, ctx.at_sheet(other), msg);
        }
    }
    let mut twins = Vec::new();
    for &(_, other, other_period) in &cands[1..] {
        if std::ptr::eq(other, chosen) {
            continue;
        }
        if other_period.map(|o| o.0) == chosen_period.map(|c| c.0) {
            twins.push(other);
            continue;
        }
        let (msg, loc) = match (other_period, chosen_period) {
            (Some((p, r, c)), _) => (
                format!(
                    "Trang tính \"{}\" là số liệu kỳ khác ({}); không tổng hợp trang này, dùng trang \"{}\".",
                    other.name,
                    p.describe(),
                    chosen.name
                ),
                ctx.at(other, r, c),
            ),
            (None, stated) => (
                format!(
                    "Trang tính \"{}\" cũng có bảng này nhưng không ghi kỳ báo cáo; không tổng hợp trang này, dùng trang \"{}\"{}.",
                    other.name,
                    chosen.name,
                    stated.map(|(q, _, _)| format!(" (ghi kỳ {})", q.describe())).unwrap_or_default()
                ),
                ctx.at_sheet(other),
            ),
        };
        note_once(ctx, FindingKind::StaleSheetIgnored, loc, msg);
    }
    if want.is_none() {
        // Which copy is current is decided once the inbox's period is known.
        let mut stated: Vec<Period> = cands.iter().filter_map(|(_, _, p)| p.map(|p| p.0)).collect();
        stated.sort();
        stated.dedup();
        ctx.undecided |= stated.len() > 1;
    }
    if let Some((p, r, c)) = chosen_period {
        let loc = ctx.at(chosen, r, c);
        if !periods.iter().any(|(_, l)| l.sheet == loc.sheet) {
            periods.push((p, loc));
        }
    }
    Some(Chosen { sheet: chosen, twins })
}

/// An info of `kind` about a sheet, unless one was given about that sheet already
/// (a sheet that fits several tables is told once).
fn note_once(ctx: &mut Ctx, kind: FindingKind, loc: Location, msg: String) {
    if !ctx.findings.iter().any(|f| f.kind == kind && f.location.sheet == loc.sheet) {
        ctx.findings.push(Finding::new(Severity::Info, kind, loc, msg));
    }
}

/// How well a sheet fits: 4 exact name, 3 name without diacritics, 2 name as prefix, 1 title only.
fn sheet_score(view: &View, name: &Key, title: Option<&Key>) -> Option<u8> {
    match view.name_key.matches(name) {
        Some(Match::Exact) => return Some(4),
        Some(Match::Folded) => return Some(3),
        None => {}
    }
    let (sf, nf) = (&view.name_key.fold, &name.fold);
    if !nf.is_empty() && sf.starts_with(nf.as_str()) && sf[nf.len()..].starts_with([' ', '(', '_', '-']) {
        return Some(2);
    }
    let title = title?;
    title_texts(view).any(|(_, k)| k.matches(title).is_some()).then_some(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Cell, Sheet};

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

    const RULE: PeriodRule = PeriodRule { cut_off_day: 5, start_day: None };

    #[test]
    fn a_period_over_two_date_cells_or_as_a_month_is_read() {
        // "Từ ngày" | 05/7/2024 (an Excel date) | "đến ngày" | "05/8/2024" (text).
        let s = sheet(&[
            &[text("UBND PHƯỜNG BẢO AN")],
            &[text("Từ ngày"), Value::Number(45478.0), text("đến ngày"), text("05/8/2024")],
            &[text("STT"), text("Dịch vụ")],
        ]);
        let (p, r, c) = sheet_period(&View::new(&s), &RULE).unwrap();
        assert_eq!((p.describe().as_str(), r, c), ("từ ngày 05/7/2024 đến ngày 05/8/2024", 1, 0));
        let s = sheet(&[&[text("BÁO CÁO THÁNG 8 NĂM 2024")], &[text("STT")]]);
        assert_eq!(sheet_period(&View::new(&s), &RULE).unwrap().0.describe(), "từ ngày 05/7/2024 đến ngày 05/8/2024");
        let s = sheet(&[&[text("Kỳ báo cáo: Tháng 08/2024")], &[text("STT")]]);
        assert_eq!(sheet_period(&View::new(&s), &RULE).unwrap().0.describe(), "từ ngày 05/7/2024 đến ngày 05/8/2024");
        // A range beats a month on the same sheet; a note and a number are no period.
        let s = sheet(&[&[text("Tháng 8/2024")], &[text("(Từ ngày 04/7/2024 đến ngày 05/8/2024)")], &[text("STT")]]);
        assert_eq!(sheet_period(&View::new(&s), &RULE).unwrap().0.describe(), "từ ngày 04/7/2024 đến ngày 05/8/2024");
        let s = sheet(&[
            &[text("Số liệu tính đến ngày"), Value::Number(45478.0)],
            &[text("6 tháng đầu năm 2024")],
            &[text("STT")],
        ]);
        assert!(sheet_period(&View::new(&s), &RULE).is_none());
    }

    #[test]
    fn the_common_ways_of_writing_a_period_are_read() {
        let july = "từ ngày 05/6/2024 đến ngày 05/7/2024";
        for text in [
            "(Từ ngày 05/6/2024 đến ngày 05/7/2024)",
            "Từ ngày 5-6-2024 đến ngày 5-7-2024",
            "Từ ngày 05.06.2024 đến ngày 05.07.2024",
            "Kỳ báo cáo: từ 05/6 - 05/7/2024",
            "Kỳ báo cáo: từ 05/6–05/7/2024",
            "(từ 05/6/2024-05/7/2024)",
            "Kỳ báo cáo: 05/6/2024 - 05/7/2024",
            "Từ ngày 05 tháng 6 năm 2024 đến ngày 05 tháng 7 năm 2024",
            "Từ ngày 05 tháng 6 đến ngày 05 tháng 7 năm 2024",
            "Từ ngày 05/6/2024 tới ngày 05/7/2024",
            "Từ ngày 05/6/2024 đến hết ngày 05/7/2024",
        ] {
            assert_eq!(parse_period(text).map(|p| p.describe()).as_deref(), Some(july), "{text}");
        }
        // Months: the rule gives the period.
        for month in ["Kỳ báo cáo tháng 7/2024", "Tháng 07 năm 2024", "BÁO CÁO THÁNG 7 / 2024", "tháng 7-2024"]
        {
            let s = sheet(&[&[text("UBND PHƯỜNG BẢO AN")], &[text(month)], &[text("STT")]]);
            assert_eq!(sheet_period(&View::new(&s), &RULE).map(|p| p.0.describe()).as_deref(), Some(july), "{month}");
        }
        // Over cells: "Từ ngày" | a date, on one row or two; a month over four cells.
        let rows: [&[&[Value]]; 4] = [
            &[&[text("Từ ngày"), Value::Number(45448.0), text("đến ngày"), Value::Number(45478.0)], &[text("STT")]],
            &[&[text("Từ ngày:"), text("05/6/2024")], &[text("Đến ngày:"), text("05/7/2024")], &[text("STT")]],
            &[&[text("Từ ngày"), Value::Number(45448.0)], &[text("đến ngày"), Value::Number(45478.0)], &[text("STT")]],
            &[&[text("Tháng"), Value::Number(7.0), text("năm"), Value::Number(2024.0)], &[text("STT")]],
        ];
        for (i, rows) in rows.iter().enumerate() {
            let s = sheet(rows);
            let (p, r, c) = sheet_period(&View::new(&s), &RULE).unwrap_or_else(|| panic!("case {i}"));
            assert_eq!((p.describe().as_str(), r, c), (july, 0, 0), "case {i}");
        }
        // Not periods: a cumulative span, a dash between words, a signing line.
        assert!(parse_period("Lũy kế từ 01/01/2024 - 05/7/2024").is_none());
        assert!(parse_period("Phòng Lao động - Thương binh và Xã hội").is_none());
        assert!(parse_period("Ninh Thuận, ngày 06 tháng 7 năm 2024").is_none());
    }
}
