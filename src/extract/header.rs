//! Finding a header label's cell in the first rows, a table's figure columns
//! (by header, else by meaning), and the rows of a table's body below its header.

use super::meaning::{abbreviations, word_set};
use super::view::View;
use super::{Ctx, HEADER_SEARCH_ROWS, TableKeys};
use crate::config::Table;
use crate::model::{Finding, FindingKind, Severity};
use crate::read::Value;
use crate::text::{Key, Match, cell_ref, col_name};

/// Where a header label sits: the best-matching cell in the first rows, preferring
/// exact matches, then real column headers over merged group headers, then lower rows.
pub(super) fn find_header(view: &View, labels: &[Key], below: Option<u32>) -> Option<(u32, u32)> {
    /// (match quality, is a real column header, row) -> position
    type Ranked = ((Match, bool, u32), (u32, u32));
    let mut best: Option<Ranked> = None;
    let first = below.map_or(0, |r| r.saturating_sub(3));
    let last = below.map_or(HEADER_SEARCH_ROWS, |r| r + 3);
    for ((r, c), key) in view.keys(first, last) {
        let Some(m) = key.matches_any(labels) else { continue };
        let is_group = view.merge_at(r, c).is_some_and(|m| m.last_col > m.first_col);
        let key = (m, !is_group, r);
        if best.is_none_or(|(k, _)| key > k) {
            best = Some((key, (r, c)));
        }
    }
    best.map(|(_, pos)| pos)
}

/// The rows of a table's body: after the header, up to (not including) its total row.
pub(super) struct Body {
    /// The first row after the header.
    pub(super) first: u32,
    /// The total row and its label, if the table has one.
    pub(super) total: Option<u32>,
    /// The last row before the total row (or the sheet's end) that holds a cell.
    pub(super) last: u32,
    /// Rows labelled as a total ("Cộng") with data rows below them: sub-totals.
    pub(super) inner_totals: Vec<u32>,
}

/// Where the body of a table whose header ends at `header_end` lies: up to the
/// first row labelled as a total (in or left of `label_col`) below the last data
/// row (`is_data`); rows labelled so above a data row are sub-totals inside it.
pub(super) fn find_body(
    view: &View,
    header_end: u32,
    label_col: u32,
    total_labels: &[Key],
    is_data: impl Fn(u32) -> bool,
) -> Body {
    let last_row = view.last_row().unwrap_or(header_end);
    let mut totals = Vec::new();
    let mut last_data = None;
    // The rows that hold a cell, in order (a stray cell a million rows down costs nothing).
    let mut rows: Vec<u32> = view.cells.range((header_end + 1, 0)..).map(|(&(r, _), _)| r).collect();
    rows.dedup();
    for r in rows {
        let is_total = view
            .row(r)
            .take(4)
            .any(|(c, _)| c <= label_col && view.key(r, c).is_some_and(|k| k.matches_any(total_labels).is_some()));
        if is_total {
            totals.push(r);
        } else if !totals.is_empty() && view.key(r, label_col).is_some() && is_data(r) {
            // Only data below a total-labelled row can make it a sub-total: rows above
            // the first are not asked (the body's rows are matched once, later).
            last_data = Some(r);
        }
    }
    let total = totals.iter().copied().find(|&t| last_data.is_none_or(|d| t > d));
    let inner_totals = totals.iter().copied().filter(|&t| total.is_none_or(|end| t < end)).collect();
    let end = total.map_or(last_row, |t| t.saturating_sub(1));
    let last = if end > header_end {
        view.cells.range((header_end + 1, 0)..=(end, u32::MAX)).next_back().map_or(header_end, |(&(r, _), _)| r)
    } else {
        header_end
    };
    Body { first: header_end + 1, total, last, inner_totals }
}

/// Whether the header cell at `pos` is a group header: merged across columns.
fn is_group(view: &View, (r, c): (u32, u32)) -> bool {
    view.merge_at(r, c).is_some_and(|m| m.last_col > m.first_col)
}

/// A header cell that fits one or more figure columns by meaning.
struct Candidate {
    pos: (u32, u32),
    /// Merged across columns (a group header over several columns).
    span: Option<(u32, u32)>,
    /// The figure columns (indexes into the table's columns) it fits.
    fits: Vec<usize>,
}

/// The header cell of each figure column of `table`, whose label header is at row
/// `hr`; `fixed` are the columns the label, STT and ratio headers hold.
///
/// A column is its header's or an alias's cell (a real column header before a group
/// header merged over several columns); else the one header cell that fits it and no
/// other column by meaning ([`TableKeys::synonyms`], [`TableKeys::meanings`]), with
/// an info naming the cell; else the group header its header names. Two cells that
/// fit one column, or a cell that fits two, is an error naming them, and the column
/// is not read; so is none.
pub(super) fn find_columns(
    ctx: &mut Ctx,
    view: &View,
    table: &Table,
    keys: &TableKeys,
    hr: u32,
    fixed: &[u32],
) -> Vec<Option<(u32, u32)>> {
    let n = table.columns.len();
    let mut found: Vec<Option<(u32, u32)>> = vec![None; n];
    let mut groups: Vec<Option<(u32, u32)>> = vec![None; n];
    for (i, labels) in keys.columns.iter().enumerate() {
        match find_header(view, labels, Some(hr)) {
            Some(pos) if is_group(view, pos) => groups[i] = Some(pos),
            Some(pos) => found[i] = Some(pos),
            None => {}
        }
    }
    if found.iter().all(Option::is_some) {
        return found;
    }
    // The header's rows: from two above the label header to the first row holding a number.
    let top = hr.saturating_sub(2);
    let data = (hr + 1..hr + 4).find(|&r| view.row(r).any(|(_, c)| matches!(c.value, Value::Number(_))));
    let bottom = data.unwrap_or(hr + 4).min(hr + 4);
    let taken: Vec<u32> = fixed.iter().copied().chain(found.iter().flatten().map(|p| p.1)).collect();
    let mut candidates = Vec::new();
    let mut unread = Vec::new();
    for ((r, c), key) in view.keys(top, bottom) {
        if taken.contains(&c) || key.norm.is_empty() {
            continue;
        }
        let text = view.text(r, c).unwrap_or("");
        if is_ratio_header(&key.fold) {
            continue; // a percentage column ("Tỷ lệ trực tuyến (%)") holds no count
        }
        let set = word_set(&key.fold);
        let abbrevs = abbreviations(text);
        let fits: Vec<usize> = (0..n)
            .filter(|&j| {
                key.matches_any(&keys.synonyms[j]).is_some() || keys.meanings[j].iter().any(|p| p.fits(&set, &abbrevs))
            })
            .collect();
        let span = view.merge_at(r, c).filter(|m| m.last_col > m.first_col).map(|m| (m.first_col, m.last_col));
        if fits.is_empty() {
            if r >= hr && span.is_none() {
                unread.push((r, c));
            }
        } else {
            candidates.push(Candidate { pos: (r, c), span, fits });
        }
    }
    let shown =
        |pos: &(u32, u32)| format!("{} \"{}\"", cell_ref(pos.0, pos.1), view.text(pos.0, pos.1).unwrap_or("").trim());
    let mut by_meaning: Vec<usize> = Vec::new();
    for j in 0..n {
        if found[j].is_some() {
            continue;
        }
        let header = &table.columns[j].header;
        let mut sole: Vec<&Candidate> = candidates.iter().filter(|c| c.fits == [j]).collect();
        if sole.iter().any(|c| c.span.is_none()) {
            sole.retain(|c| c.span.is_none());
        }
        let mut cols: Vec<u32> = sole.iter().map(|c| c.pos.1).collect();
        cols.sort_unstable();
        cols.dedup();
        // A cell that fits this column and another, unless it is a group header over the one cell found.
        let shared: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.fits.len() > 1 && c.fits.contains(&j))
            .filter(|c| !(cols.len() == 1 && c.span.is_some_and(|(a, b)| (a..=b).contains(&cols[0]))))
            .collect();
        match (cols.len(), shared.is_empty()) {
            (1, true) => {
                let pos = sole.iter().map(|c| c.pos).max().unwrap_or(sole[0].pos);
                found[j] = Some(pos);
                by_meaning.push(j);
            }
            (0, true) => match groups[j] {
                Some(g) if !taken.contains(&g.1) => found[j] = Some(g),
                _ => {
                    let seen: Vec<String> = unread.iter().take(6).map(shown).collect();
                    let seen = if seen.is_empty() {
                        String::new()
                    } else {
                        format!(" Các ô tiêu đề không nhận ra: {}.", seen.join(", "))
                    };
                    ctx.error(
                        FindingKind::MissingColumn,
                        ctx.at(view, hr, fixed.first().copied().unwrap_or(0)),
                        format!(
                            "Trang tính \"{}\": bảng \"{}\" không có cột \"{header}\"; số liệu cột này chưa được tổng hợp, đơn vị thiếu số liệu.{seen}",
                            view.name, table.title
                        ),
                    );
                }
            },
            _ => {
                // The cells fitting two columns first: the finding is where the doubt is.
                let mut cells: Vec<(u32, u32)> = shared.iter().map(|c| c.pos).collect();
                cells.sort_unstable();
                let mut sole: Vec<(u32, u32)> = sole.iter().map(|c| c.pos).collect();
                sole.sort_unstable();
                cells.extend(sole);
                let what: Vec<String> = cells
                    .iter()
                    .map(|p| {
                        let c = candidates.iter().find(|c| c.pos == *p).expect("a candidate");
                        let names: Vec<String> =
                            c.fits.iter().map(|&k| format!("\"{}\"", table.columns[k].header)).collect();
                        format!("{} (có thể là cột {})", shown(p), names.join(" hoặc "))
                    })
                    .collect();
                ctx.error(
                    FindingKind::AmbiguousColumn,
                    ctx.at(view, cells[0].0, cells[0].1),
                    format!(
                        "Không rõ cột nào là cột \"{header}\" của bảng \"{}\": {}. Số liệu cột này chưa được tổng hợp; hãy sửa tiêu đề cột theo mẫu rồi gửi lại.",
                        table.title,
                        what.join("; ")
                    ),
                );
            }
        }
    }
    // Two columns read by meaning from one sheet column: neither is certain.
    let twins: Vec<Option<usize>> = by_meaning
        .iter()
        .map(|&j| {
            let col = found[j].map(|p| p.1);
            (0..n).find(|&k| k != j && found[k].map(|p| p.1) == col)
        })
        .collect();
    for (&j, twin) in by_meaning.iter().zip(twins) {
        let Some(pos) = found[j] else { continue };
        if let Some(k) = twin {
            ctx.error(
                FindingKind::AmbiguousColumn,
                ctx.at(view, pos.0, pos.1),
                format!(
                    "Cột {} có thể là cột \"{}\" hoặc cột \"{}\" của bảng \"{}\"; số liệu cột \"{}\" chưa được tổng hợp.",
                    col_name(pos.1),
                    table.columns[j].header,
                    table.columns[k].header,
                    table.title,
                    table.columns[j].header
                ),
            );
            found[j] = None;
            continue;
        }
        ctx.findings.push(Finding::new(
            Severity::Info,
            FindingKind::ColumnByMeaning,
            ctx.at(view, pos.0, pos.1),
            format!(
                "Ô tiêu đề {} được đọc là cột \"{}\" của bảng \"{}\".",
                shown(&pos),
                table.columns[j].header,
                table.title
            ),
        ));
    }
    found
}

/// Whether a header (folded) names a percentage: "Tỷ lệ …" or a "%": such a column
/// is never a figure column by meaning, whatever other words it shares with one.
fn is_ratio_header(fold: &str) -> bool {
    fold.contains('%') || fold.contains("ty le")
}
