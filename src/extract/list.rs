//! Reading a configured list: one value a labelled item, each item found by
//! its label (after its section heading when it has one).

use super::formula::check_formula_cache;
use super::header::find_header;
use super::view::View;
use super::{Ctx, ListKeys};
use crate::config::List;
use crate::model::{Figure, FindingKind};
use crate::text::{Key, Match};

/// Read `list` from `sheet`: its figures into `out`, its findings into `ctx`.
pub(super) fn read_list(ctx: &mut Ctx, sheet: &View, list: &List, keys: &ListKeys, out: &mut Vec<Figure>) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!("Trang tính \"{}\" không có cột tiêu đề \"{}\".", sheet.name, list.label_header),
        );
        return;
    };
    let Some((_, value_col)) = find_header(sheet, &keys.value_header, Some(hr)) else {
        ctx.error(
            FindingKind::MissingColumn,
            ctx.at(sheet, hr, label_col),
            format!(
                "Trang tính \"{}\" không có cột \"{}\"; số liệu chưa được tổng hợp.",
                sheet.name, list.value_header
            ),
        );
        return;
    };
    let last = sheet.last_row().unwrap_or(hr);
    let labels: Vec<(u32, &Key)> = (hr + 1..=last).filter_map(|r| sheet.key(r, label_col).map(|k| (r, k))).collect();
    for ((item, (names, section)), id) in list.items.iter().zip(&keys.items).zip(&keys.ids) {
        let Some(r) = find_item(&labels, names, section.as_ref()) else {
            ctx.warn(
                FindingKind::MissingItem,
                ctx.at_sheet(sheet),
                format!(
                    "Trang tính \"{}\" không có dòng \"{}\"; số liệu này không có trong báo cáo của đơn vị.",
                    sheet.name, item.label
                ),
            );
            continue;
        };
        if let Some(v) = ctx.number(sheet, r, value_col) {
            if v < 0.0 {
                ctx.warn(
                    FindingKind::NegativeCount,
                    ctx.at(sheet, r, value_col),
                    format!("Số liệu âm ({v}) ở dòng \"{}\".", item.label),
                );
            }
            check_formula_cache(ctx, sheet, r, value_col);
            out.push(Figure { id: id.clone(), value: v, source: ctx.at(sheet, r, value_col) });
        }
    }
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
