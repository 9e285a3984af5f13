//! Finding a header label's cell in the first rows, and the rows of a table's
//! body below its header.

use super::HEADER_SEARCH_ROWS;
use super::view::View;
use crate::text::{Key, Match};

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
}

/// Where the body of a table whose header ends at `header_end` lies: it stops
/// at the last row labelled as a total in or left of `label_col`. An earlier
/// one ("Cộng" under a group of rows) is a sub-total inside the body: stopping
/// there would leave the rows below it unread, and their figures out in silence.
pub(super) fn find_body(view: &View, header_end: u32, label_col: u32, total_labels: &[Key]) -> Body {
    let last_row = view.last_row().unwrap_or(header_end);
    let is_total = |r: u32| {
        view.row(r)
            .take(4)
            .any(|(c, _)| c <= label_col && view.key(r, c).is_some_and(|k| k.matches_any(total_labels).is_some()))
    };
    let total = (header_end + 1..=last_row).rev().find(|&r| is_total(r));
    let end = total.map_or(last_row, |t| t.saturating_sub(1));
    let last = (header_end + 1..=end).rev().find(|&r| view.row(r).next().is_some()).unwrap_or(header_end);
    Body { first: header_end + 1, total, last }
}
