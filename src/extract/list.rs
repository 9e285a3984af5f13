//! Reading a configured list: one value a labelled item, each item found by
//! its label (after its section heading when it has one), and the as-of date of
//! each item: its heading row's ("II. Chi trả … (tính đến ngày 07/5/2024)"), else
//! the sheet's title rows'.

use super::as_of::{stated_at, title_as_of};
use super::formula::check_formula_cache;
use super::header::find_header;
use super::view::View;
use super::{Ctx, ListKeys};
use crate::config::List;
use crate::model::date::Date;
use crate::model::{Figure, FindingKind, MissingWhy, StatedAsOf};
use crate::text::{Key, Match};
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
    let rows: Vec<Option<u32>> =
        keys.items.iter().map(|(names, section)| find_item(&labels, names, section.as_ref())).collect();
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
