//! Choosing the sheet for a table or list (by name, then by title; a stale copy
//! beside the current sheet is told by the period it states), and reading that
//! period ("Từ ngày ... đến ngày ...").

use super::Ctx;
use super::view::{View, title_texts};
use crate::model::{Finding, FindingKind, Location, Period, Severity};
use crate::text::{Key, Match, fold};

/// The "Từ ngày ... đến ngày ..." line of a sheet, if it has one above its header.
fn sheet_period(view: &View) -> Option<(Period, u32, u32)> {
    title_texts(view).find_map(|((r, c), k)| parse_folded_period(&k.fold).map(|p| (p, r, c)))
}

/// Parse "(Từ ngày 05/6/2024 đến ngày 05/7/2024)"; other dated lines are not periods.
pub fn parse_period(text: &str) -> Option<Period> {
    parse_folded_period(&fold(text))
}

fn parse_folded_period(f: &str) -> Option<Period> {
    let start = f.find("tu ngay")?;
    let rest = &f[start..];
    if !rest.contains("den") {
        return None;
    }
    let dates: Vec<crate::model::date::Date> = rest
        .split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '.' || c == '-'))
        .filter_map(|tok| crate::model::date::parse(tok.trim_matches(['.', '-'])))
        .collect();
    match dates.as_slice() {
        [from, to, ..] => Some(Period { from: *from, to: *to }),
        _ => None,
    }
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
) -> Option<&'w View<'s>> {
    let mut cands: Vec<(u8, &View)> =
        views.iter().filter_map(|v| sheet_score(v, name, title).map(|score| (score, v))).collect();
    if cands.is_empty() {
        return None;
    }
    let period_ok = |s: &View| match (sheet_period(s), want) {
        (Some((p, _, _)), Some(w)) => p == w,
        _ => true,
    };
    // Best: states the report's period, then the closest name.
    cands.sort_by_key(|(score, s)| (std::cmp::Reverse(period_ok(s)), std::cmp::Reverse(*score)));
    let chosen = cands[0].1;
    for (_, other) in &cands[1..] {
        if std::ptr::eq(*other, chosen) {
            continue;
        }
        let (msg, loc) = match sheet_period(other) {
            Some((p, r, c)) => (
                format!(
                    "Trang tính \"{}\" là số liệu kỳ khác ({}); không tổng hợp trang này, dùng trang \"{}\".",
                    other.name,
                    p.describe(),
                    chosen.name
                ),
                ctx.at(other, r, c),
            ),
            None => (
                format!(
                    "Trang tính \"{}\" trùng nội dung với \"{}\"; không tổng hợp trang này.",
                    other.name, chosen.name
                ),
                ctx.at_sheet(other),
            ),
        };
        if !ctx.findings.iter().any(|f| f.kind == FindingKind::StaleSheetIgnored && f.location.sheet == loc.sheet) {
            ctx.findings.push(Finding::new(Severity::Info, FindingKind::StaleSheetIgnored, loc, msg));
        }
    }
    if let Some((p, r, c)) = sheet_period(chosen) {
        let loc = ctx.at(chosen, r, c);
        if !periods.iter().any(|(_, l)| l.sheet == loc.sheet) {
            periods.push((p, loc));
        }
    }
    Some(chosen)
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
