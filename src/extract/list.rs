//! Reading a configured list: one value a labelled item, each item found by
//! its label (after its section heading when it has one), and the as-of date of
//! each item: its heading row's ("II. Chi trả … (tính đến ngày 07/5/2024)"), else
//! the sheet's title rows'.

use super::as_of::{stated_at, title_as_of};
use super::formula::check_formula_cache;
use super::header::find_header;
use super::meaning::best_fits;
use super::view::View;
use super::{Ctx, ListKeys};
use crate::config::List;
use crate::model::date::Date;
use crate::model::{CellNote, Figure, FindingKind, MissingWhy, StatedAsOf};
use crate::text::{Key, Match, cell_ref};
use std::sync::Arc;

/// An as-of date with the (row, column) of the cell stating it.
type Dated = (Date, u32, u32);

/// Read `list` from `sheet`: its figures and their as-of dates into `out`, its
/// findings into `ctx`.
pub(super) fn read_list(
    ctx: &mut Ctx,
    sheet: &View,
    list: &List,
    keys: &ListKeys,
    (out, as_of): (&mut Vec<Figure>, &mut Vec<StatedAsOf>),
) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!(
                "Trang tính \"{}\" không có cột tiêu đề \"{}\"; số liệu của trang chưa được tổng hợp, đơn vị thiếu số liệu.",
                sheet.name, list.label_header
            ),
        );
        let what = format!("tiêu đề “{}”", list.label_header);
        for id in &keys.ids {
            ctx.note_missing(id, MissingWhy::Header, &what, ctx.at_sheet(sheet));
        }
        return;
    };
    let Some((_, value_col)) = find_header(sheet, &keys.value_header, Some(hr)) else {
        ctx.error(
            FindingKind::MissingColumn,
            ctx.at(sheet, hr, label_col),
            format!(
                "Trang tính \"{}\" không có cột \"{}\"; số liệu chưa được tổng hợp, đơn vị thiếu số liệu.",
                sheet.name, list.value_header
            ),
        );
        let what = format!("cột “{}”", list.value_header);
        for id in &keys.ids {
            ctx.note_missing(id, MissingWhy::Column, &what, ctx.at(sheet, hr, label_col));
        }
        return;
    };
    let last = sheet.last_row().unwrap_or(hr);
    let labels: Vec<(u32, &Key)> = (hr + 1..=last).filter_map(|r| sheet.key(r, label_col).map(|k| (r, k))).collect();
    let mut rows: Vec<Option<u32>> =
        keys.items.iter().map(|(names, section)| find_item(&labels, names, section.as_ref())).collect();
    if rows.contains(&None) {
        items_by_meaning(ctx, sheet, list, keys, (&labels, label_col, value_col), &mut rows);
    }
    let dated = item_as_of(sheet, &labels, label_col, value_col, &rows);
    let mut dated_ids: Vec<(Dated, Arc<str>)> = Vec::new();
    for (((item, id), r), dated) in list.items.iter().zip(&keys.ids).zip(rows).zip(dated) {
        let Some(r) = r else {
            ctx.error(
                FindingKind::MissingItem,
                ctx.at_sheet(sheet),
                format!(
                    "Trang tính \"{}\" không có dòng \"{}\"; số liệu này chưa được tổng hợp, đơn vị thiếu số liệu. Dòng không có số liệu thì giữ dòng và để trống, không xóa dòng.",
                    sheet.name, item.label
                ),
            );
            let what = format!("dòng “{}”", item.label);
            ctx.note_missing(id, MissingWhy::Row, &what, ctx.at_sheet(sheet));
            continue;
        };
        let value = ctx.number(sheet, r, value_col);
        if value.is_none() {
            let what = format!("ô {}", crate::text::cell_ref(r, value_col));
            ctx.note_missing(id, MissingWhy::Cell, &what, ctx.at(sheet, r, value_col));
        }
        if let Some(v) = value {
            ctx.merged_value(sheet, (r, value_col), v, &format!("dòng “{}”", item.label));
            if v < 0.0 {
                ctx.warn(
                    FindingKind::NegativeCount,
                    ctx.at(sheet, r, value_col),
                    format!("Số liệu âm ({v}) ở dòng \"{}\".", item.label),
                );
            }
            check_formula_cache(ctx, sheet, r, value_col);
            out.push(Figure { id: id.clone(), value: v, source: ctx.at(sheet, r, value_col) });
            if let Some(at) = dated {
                dated_ids.push((at, id.clone()));
            }
        }
    }
    // One statement per cell stating a date, with the items it dates, in item order.
    for (i, (at, _)) in dated_ids.iter().enumerate() {
        if dated_ids[..i].iter().any(|(seen, _)| seen == at) {
            continue;
        }
        let figures = dated_ids.iter().filter(|(a, _)| a == at).map(|(_, id)| id.clone()).collect();
        as_of.push(StatedAsOf { date: at.0, source: ctx.at(sheet, at.1, at.2), figures });
    }
}

/// Each found item's as-of date, with the cell stating it: that of the heading row
/// above it (a labelled row without a value that is no item) when that heading
/// states one, else the title rows'. A heading stating none ends the one before.
fn item_as_of(
    sheet: &View,
    labels: &[(u32, &Key)],
    label_col: u32,
    value_col: u32,
    rows: &[Option<u32>],
) -> Vec<Option<Dated>> {
    let title = title_as_of(sheet);
    let mut current = title;
    let mut by_row: Vec<(u32, Option<Dated>)> = Vec::with_capacity(rows.len());
    for &(r, key) in labels {
        if rows.contains(&Some(r)) {
            by_row.push((r, current));
        } else if sheet.get(r, value_col).is_none() {
            current = stated_at(sheet, (r, label_col), &key.fold).or(title);
        }
    }
    rows.iter().map(|r| r.and_then(|r| by_row.iter().find(|(at, _)| *at == r).and_then(|(_, d)| *d))).collect()
}

/// The row of a list item: its label, searched after its section heading when it has one.
fn find_item(labels: &[(u32, &Key)], names: &[Key], section: Option<&Key>) -> Option<u32> {
    let start = match section {
        Some(sec) => {
            labels.iter().position(|(_, k)| k.matches(sec).is_some() || k.fold.starts_with(sec.fold.as_str()))? + 1
        }
        None => 0,
    };
    let mut best: Option<(Match, u32)> = None;
    for (r, k) in &labels[start.min(labels.len())..] {
        if let Some(m) = k.matches_any(names)
            && best.is_none_or(|(bm, _)| m > bm)
        {
            best = Some((m, *r));
            if m == Match::Exact {
                break;
            }
        }
    }
    best.map(|(_, r)| r)
}

/// The items not found by label that a row fits by the words of its label: every
/// word of the item's label (or an alias) there, in a row with a value that no
/// item was found at, after the item's section heading, and no other item fitting that row better
/// (one whose words include the item's). The row taken is told in an info; a row
/// that fits two items, or two rows that fit one, is an error and the item is not read.
fn items_by_meaning(
    ctx: &mut Ctx,
    sheet: &View,
    list: &List,
    keys: &ListKeys,
    (labels, label_col, value_col): (&[(u32, &Key)], u32, u32),
    rows: &mut [Option<u32>],
) {
    let found: Vec<u32> = rows.iter().flatten().copied().collect();
    // Each free label row's best-fitting items (none when it fits none).
    let best: Vec<(u32, Vec<usize>)> = labels
        .iter()
        .filter(|(r, _)| !found.contains(r) && sheet.get(*r, value_col).is_some())
        .map(|(r, k)| {
            // The label cell alone, else with the text cells beside it up to the
            // value column, else with the label cell of the row below when that row
            // holds no value and no item (a label spread over two cells).
            let beside: Vec<&str> = sheet
                .row(*r)
                .filter(|(c, _)| *c > label_col && *c < value_col)
                .filter_map(|(c, _)| sheet.text(*r, c))
                .collect();
            let below = r.checked_add(1).filter(|b| sheet.get(*b, value_col).is_none() && !found.contains(b));
            let mut texts = vec![k.fold.clone()];
            if !beside.is_empty() {
                texts.push(Key::new(&format!("{} {}", k.fold, beside.join(" "))).fold);
            }
            if let Some(b) = below.and_then(|b| sheet.key(b, label_col)) {
                texts.push(Key::new(&format!("{} {}", k.fold, b.fold)).fold);
            }
            (*r, texts.iter().map(|t| best_fits(&keys.item_phrases, t)).find(|b| !b.is_empty()).unwrap_or_default())
        })
        .filter(|(_, b)| !b.is_empty())
        .collect();
    let mut read_as = Vec::new();
    let shown = |r: u32| format!("{} \"{}\"", cell_ref(r, label_col), sheet.text(r, label_col).unwrap_or("").trim());
    for (i, item) in list.items.iter().enumerate() {
        if rows[i].is_some() {
            continue;
        }
        let start = match &keys.items[i].1 {
            Some(sec) => labels
                .iter()
                .find(|(_, k)| k.matches(sec).is_some() || k.fold.starts_with(sec.fold.as_str()))
                .map_or(u32::MAX, |(r, _)| *r),
            None => 0,
        };
        let fitting: Vec<&(u32, Vec<usize>)> = best.iter().filter(|(r, b)| *r > start && b.contains(&i)).collect();
        match fitting.as_slice() {
            [] => {}
            [(r, b)] if b.len() == 1 => {
                rows[i] = Some(*r);
                read_as.push(CellNote {
                    sheet: sheet.name.clone(),
                    cell: cell_ref(*r, label_col),
                    text: format!("{} là dòng \"{}\"", shown(*r), item.label),
                    value: None,
                });
            }
            _ => {
                let what: Vec<String> = fitting
                    .iter()
                    .map(|(r, b)| {
                        let names: Vec<String> = b.iter().map(|&j| format!("\"{}\"", list.items[j].label)).collect();
                        format!("{} (có thể là dòng {})", shown(*r), names.join(" hoặc "))
                    })
                    .collect();
                ctx.error(
                    FindingKind::AmbiguousRow,
                    ctx.at(sheet, fitting[0].0, label_col),
                    format!(
                        "Không rõ dòng nào là dòng \"{}\" của trang tính \"{}\": {}. Số liệu này chưa được tổng hợp; hãy ghi tên dòng theo mẫu rồi gửi lại.",
                        item.label,
                        sheet.name,
                        what.join("; ")
                    ),
                );
            }
        }
    }
    let shown: Vec<String> = read_as.iter().take(5).map(|c| c.text.clone()).collect();
    ctx.rows_by_meaning(sheet, format!("Trang tính \"{}\"", sheet.name), shown, read_as);
}
