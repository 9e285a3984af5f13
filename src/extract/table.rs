//! Reading a configured table: its columns by header, its rows by label (or
//! STT), the figures of each row, and the checks on them (negative counts,
//! "small <= large" pairs, ratios, the table's own total row).

use super::header::{find_body, find_columns, find_header};
use super::meaning::best_fits;
use super::view::View;
use super::{Ctx, TableKeys};
use crate::config::Table;
use crate::model::{CellNote, Figure, Finding, FindingKind, Location, MissingWhy, Severity};
use crate::number::parse_vn;
use crate::read::{Sheet, Value};
use crate::text::{Key, Match, cell_ref};

/// How a data row of a table was matched to a configured row.
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// By its label or an alias (or its STT when the label is empty): the configured row.
    Exact(usize),
    /// By the words of its label: the configured row.
    Meaning(usize),
    /// Not a configured row (warned when it holds figures), or not certain (an error).
    None,
}

/// Read `table` from `sheet`: its figures into `out`, its findings into `ctx`.
pub(super) fn read_table(ctx: &mut Ctx, sheet: &View, table: &Table, keys: &TableKeys, out: &mut Vec<Figure>) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!(
                "Trang tính \"{}\" không có cột tiêu đề \"{}\"; không đọc được bảng \"{}\".",
                sheet.name, table.label_header, table.title
            ),
        );
        return;
    };
    let stt_col = find_header(sheet, &keys.stt, Some(hr)).map(|(_, c)| c);
    let ratio_col = keys.ratio.as_ref().and_then(|k| find_header(sheet, k, Some(hr))).map(|(_, c)| c);
    let fixed: Vec<u32> = [Some(label_col), stt_col, ratio_col].into_iter().flatten().collect();
    let (mut cols, mut col_index) = (Vec::new(), Vec::new());
    for (i, (col, pos)) in table.columns.iter().zip(find_columns(ctx, sheet, table, keys, hr, &fixed)).enumerate() {
        match pos {
            Some(pos) => {
                cols.push((col.id.as_str(), pos));
                col_index.push(i);
            }
            // Not found, or not certain (an error of `find_columns` either way):
            // every figure of the column is missing from the unit.
            None => {
                let what = format!("cột “{}”", col.header);
                for ids in &keys.ids {
                    ctx.note_missing(&ids[i], MissingWhy::Column, &what, ctx.at(sheet, hr, label_col));
                }
            }
        }
    }
    if cols.is_empty() {
        return;
    }
    // The header ends at the lowest row of its cells, merged cells counted to their last
    // row (a header cell is not taller than a few rows, whatever a broken file says).
    let last_of = |(r, c): (u32, u32)| sheet.merge_at(r, c).map_or(r, |m| m.last_row.clamp(r, r + 3));
    let header_end = cols.iter().map(|(_, p)| last_of(*p)).max().unwrap_or(hr).max(hr);
    // A data row: one of the configured rows by its label, or (for a table of column
    // sums) a labelled row with a number in a figure column.
    let is_data = |r: u32| {
        if table.rows.is_empty() {
            cols.iter().any(|(_, (_, c))| matches!(sheet.get(r, *c).map(|x| &x.value), Some(Value::Number(_))))
        } else {
            sheet.key(r, label_col).is_some_and(|k| keys.rows.iter().any(|names| k.matches_any(names).is_some()))
        }
    };
    let body = find_body(sheet, header_end, label_col, &keys.totals, is_data);
    let first_figure_col = cols.iter().map(|(_, (_, c))| *c).min().unwrap_or(label_col);
    // Column sums over every data row, for the table's own total row and for row-less tables.
    let mut sums = vec![0.0; cols.len()];
    // The column sums at the last sub-total row of a table without configured rows.
    let mut group_start = vec![0.0; cols.len()];
    // Configured rows that are there but left blank: there, not missing.
    let mut seen_blank = vec![false; table.rows.len()];
    // Whether every row found carries its configured STT: the sheet keeps the
    // official form, so a configured row it lacks was deleted from it.
    let mut official = stt_col.is_some() && !table.rows.is_empty();
    let mut data_rows = Vec::new();
    let mut subtotals = Vec::new();
    let mut rows: Vec<(u32, Vec<Option<f64>>, Read)> = Vec::new();
    for r in body.first..=body.last.max(body.first) {
        if sheet.row(r).next().is_none() || r > body.last {
            continue;
        }
        let has_numbers = cols.iter().any(|(_, (_, c))| sheet.get(r, *c).is_some());
        if !has_numbers {
            // Heading, note or blank row; a configured row left blank is there
            // (the unit has nothing to report in it), not missing.
            if !table.rows.is_empty()
                && let Some(idx) = match_row(sheet, table, keys, r, label_col, stt_col).or_else(|| {
                    // An annotated label ("- Cấp lại … (tạm tính)") of a blank row, or
                    // one spread over two cells (beside it, or below it on a row
                    // without figures): the one configured row its words fit. No
                    // figure hangs on it; a wrong fit would only leave another row
                    // absent, which is said.
                    let below = r.saturating_add(1);
                    let below_has_numbers = cols.iter().any(|(_, (_, c))| sheet.get(below, *c).is_some());
                    let data: &[u32] = if below_has_numbers { &[below] } else { &[] };
                    label_texts(sheet, r, label_col, first_figure_col, data).iter().find_map(|t| {
                        match best_fits(&keys.row_phrases, &Key::new(t).fold)[..] {
                            [] => None,
                            [one] => Some(Some(one)),
                            _ => Some(None),
                        }
                    })?
                })
            {
                seen_blank[idx] = true;
                official &= stt_col.and_then(|c| stt_at(sheet, r, c)).is_none_or(|n| n == table.rows[idx].stt);
            }
            continue;
        }
        let exact = if table.rows.is_empty() { None } else { match_row(sheet, table, keys, r, label_col, stt_col) };
        if exact.is_none()
            && (body.inner_totals.contains(&r) || sheet.key(r, label_col).is_some_and(|k| is_subtotal(k, keys)))
        {
            if table.rows.is_empty() {
                // A table whose figures are its column sums must not add a sub-total
                // ("Cộng nhóm I") into them: left out when it is the sum of the rows
                // since the last one; when it is not, it cannot be told from a row.
                let values: Vec<Option<f64>> = cols.iter().map(|(_, (_, c))| ctx.number(sheet, r, *c)).collect();
                let since: Vec<f64> = sums.iter().zip(&group_start).map(|(s, g)| s - g).collect();
                let is_sum = values.iter().zip(&since).all(|(v, s)| v.is_some_and(|v| (v - s).abs() < 1e-6));
                if !is_sum {
                    wrong_subtotal(ctx, sheet, (table, keys), (r, label_col), &col_index);
                    continue;
                }
                group_start.clone_from(&sums);
            }
            subtotals.push(r);
            continue;
        }
        if exact.is_none() && data_rows.is_empty() && is_numbering_row(sheet, r) {
            continue; // the header's column numbers "(1) (2) (3)"
        }
        data_rows.push(r);
        let values: Vec<Option<f64>> = cols.iter().map(|(_, (_, c))| ctx.number(sheet, r, *c)).collect();
        if table.rows.is_empty() {
            for ((v, (_, (_, c))), i) in values.iter().zip(&cols).zip(&col_index) {
                match v {
                    Some(v) => {
                        let what = format!("dòng {}, cột “{}”", r + 1, table.columns[*i].header);
                        ctx.merged_value(sheet, (r, *c), *v, &what);
                    }
                    // A column sum short of a cell that is no number is short of a figure.
                    None => {
                        let what = format!("ô {}", cell_ref(r, *c));
                        ctx.note_missing(&keys.ids[0][*i], MissingWhy::Cell, &what, ctx.at(sheet, r, *c));
                    }
                }
            }
        }
        for (s, v) in sums.iter_mut().zip(&values) {
            *s += v.unwrap_or(0.0);
        }
        check_row(ctx, sheet, table, r, &cols, &values);
        if let (Some(rc), Some(ratio)) = (ratio_col, &table.ratio) {
            check_ratio(ctx, sheet, table, ratio, (r, rc), &cols, &values);
        }
        if table.rows.is_empty() {
            continue;
        }
        let read = match exact {
            Some(i) => Read::Exact(i),
            None => Read::None,
        };
        rows.push((r, values, read));
    }
    if !subtotals.is_empty() {
        report_subtotals(ctx, sheet, table, label_col, &subtotals);
    }
    if !table.rows.is_empty() {
        let reads = by_meaning(ctx, sheet, table, keys, (label_col, first_figure_col, stt_col), &rows);
        for (row, read) in rows.iter_mut().zip(reads) {
            row.2 = read;
        }
    }
    let mut seen_rows: Vec<Option<u32>> = vec![None; table.rows.len()];
    // Rows with figures that were read as no configured row: (where, label).
    let mut unknown: Vec<(Location, String)> = Vec::new();
    for (r, values, read) in &rows {
        let r = *r;
        let idx = match *read {
            Read::Exact(i) | Read::Meaning(i) => i,
            Read::None => {
                if values.iter().flatten().any(|v| *v != 0.0) {
                    unknown.push((ctx.at(sheet, r, label_col), row_label(sheet, r, label_col)));
                }
                continue;
            }
        };
        if let Some(prev) = seen_rows[idx] {
            ctx.warn(
                FindingKind::DuplicateRow,
                ctx.at(sheet, r, label_col),
                format!(
                    "Dòng \"{}\" xuất hiện hai lần (dòng {} và {}); chỉ tổng hợp dòng {}.",
                    table.rows[idx].label,
                    prev + 1,
                    r + 1,
                    prev + 1
                ),
            );
            continue;
        }
        seen_rows[idx] = Some(r);
        official &= stt_col.and_then(|c| stt_at(sheet, r, c)).is_none_or(|n| n == table.rows[idx].stt);
        let row_name = format!("dòng “{}. {}”", table.rows[idx].stt, table.rows[idx].label);
        for (((_, (_, c)), v), i) in cols.iter().zip(values).zip(&col_index) {
            match v {
                Some(v) => {
                    let header = &table.columns[*i].header;
                    ctx.merged_value(sheet, (r, *c), *v, &format!("{row_name}, cột “{header}”"));
                    out.push(Figure { id: keys.ids[idx][*i].clone(), value: *v, source: ctx.at(sheet, r, *c) });
                }
                None => {
                    let what = format!("ô {}", cell_ref(r, *c));
                    ctx.note_missing(&keys.ids[idx][*i], MissingWhy::Cell, &what, ctx.at(sheet, r, *c));
                }
            }
        }
    }
    if !table.rows.is_empty() {
        let found: Vec<bool> = seen_rows.iter().zip(&seen_blank).map(|(r, blank)| r.is_some() || *blank).collect();
        missing_rows(ctx, sheet, (table, keys), &found, (official, &unknown), &col_index);
    }
    if let Some(tr) = body.total {
        check_total_row(ctx, sheet, table, tr, &cols, &sums, (&data_rows, &subtotals));
    }
    if table.rows.is_empty() {
        for (((_, (_, c)), sum), i) in cols.iter().zip(&sums).zip(&col_index) {
            let cell = match (body.total, data_rows.first(), data_rows.last()) {
                (Some(tr), _, _) => cell_ref(tr, *c),
                (None, Some(a), Some(b)) => format!("{}:{}", cell_ref(*a, *c), cell_ref(*b, *c)),
                _ => cell_ref(header_end + 1, *c),
            };
            out.push(Figure { id: keys.ids[0][*i].clone(), value: *sum, source: ctx.at_cell(sheet, cell.into()) });
        }
    }
}

/// The configured rows the sheet does not have, when their figures are missing
/// rather than not the unit's to give: the sheet keeps the official form (every
/// row found carries its configured STT), so a row it lacks was deleted; or a
/// row with figures whose label fits no configured row could be any of them.
/// Each is an error naming the sheet and the labels, and the figures of those
/// rows are missing from the unit. A unit's own shorter list (its rows
/// renumbered, no unknown row) leaves out what it does not handle: not missing.
/// A row that is there but blank is never missing.
fn missing_rows(
    ctx: &mut Ctx,
    sheet: &View,
    (table, keys): (&Table, &TableKeys),
    found: &[bool],
    (official, unknown): (bool, &[(Location, String)]),
    col_index: &[usize],
) {
    let absent: Vec<usize> = (0..found.len()).filter(|&i| !found[i]).collect();
    let labels: Vec<String> =
        absent.iter().map(|&i| format!("“{}. {}”", table.rows[i].stt, table.rows[i].label)).collect();
    let (s, these) = if absent.len() > 1 { ("các dòng", "các dòng này") } else { ("dòng", "dòng này") };
    // Each row read as no configured row was told already (a warning, or an error
    // when it was not certain); while configured rows are absent, it may be one of
    // them, so its figures are missing: an error.
    for (at, label) in unknown.iter().filter(|_| !absent.is_empty()) {
        ctx.findings.push(Finding::new(
            Severity::Error,
            FindingKind::UnknownRow,
            at.clone(),
            format!(
                "Trang tính \"{}\": dòng \"{label}\" không có trong danh mục của bảng \"{}\". Có thể đây là {s} {} của danh mục; số liệu {these} chưa được tổng hợp, đơn vị thiếu số liệu.",
                sheet.name,
                table.title,
                labels.join(", ")
            ),
        ));
    }
    if absent.is_empty() || (!official && unknown.is_empty()) {
        return;
    }
    if official {
        ctx.error(
            FindingKind::MissingRow,
            ctx.at_sheet(sheet),
            format!(
                "Trang tính \"{}\": bảng \"{}\" không có {s} {}; số liệu {these} chưa được tổng hợp, đơn vị thiếu số liệu. Dòng không có số liệu thì giữ dòng và để trống, không xóa dòng.",
                sheet.name,
                table.title,
                labels.join(", ")
            ),
        );
    }
    for (&i, label) in absent.iter().zip(&labels) {
        let what = format!("dòng {label}");
        for &c in col_index {
            ctx.note_missing(&keys.ids[i][c], MissingWhy::Row, &what, ctx.at_sheet(sheet));
        }
    }
}

/// A sub-total row inside a table without configured rows that is not the sum
/// of the rows since the last one: it cannot be told whether it is a row to add
/// or a sub-total typed wrong, so the column sums are missing from the unit (an
/// error). One that is the sum is told with the other sub-totals.
fn wrong_subtotal(
    ctx: &mut Ctx,
    sheet: &View,
    (table, keys): (&Table, &TableKeys),
    (r, label_col): (u32, u32),
    col_index: &[usize],
) {
    let label = row_label(sheet, r, label_col);
    let at = ctx.at(sheet, r, label_col);
    ctx.error(
        FindingKind::UnknownRow,
        at.clone(),
        format!(
            "Trang tính \"{}\": dòng \"{label}\" ghi như dòng cộng nhưng không bằng tổng các dòng trên nó; không biết có phải cộng vào bảng \"{}\" hay không, nên số liệu của bảng chưa được tổng hợp, đơn vị thiếu số liệu. Đề nghị đơn vị kiểm tra lại dòng này.",
            sheet.name, table.title
        ),
    );
    let what = format!("dòng “{label}”");
    for &i in col_index {
        ctx.note_missing(&keys.ids[0][i], MissingWhy::Row, &what, at.clone());
    }
}

/// The STT written in row `r` of the STT column `c`, when it is a whole number.
fn stt_at(sheet: &View, r: u32, c: u32) -> Option<u32> {
    match sheet.get(r, c)?.value {
        Value::Number(n) if n >= 0.0 && n.fract() == 0.0 && n < 1e6 => Some(n as u32),
        Value::Text(ref t) => t.trim().trim_end_matches('.').parse().ok(),
        _ => None,
    }
}

/// Whether a row label is a sub-total or group row inside the table: "Cộng …" or
/// "Tổng …" (after a leading "-", "+", "a)" or roman numeral), or a configured
/// group heading. Asked only of rows that are no configured row.
fn is_subtotal(label: &Key, keys: &TableKeys) -> bool {
    if label.matches_any(&keys.headings).is_some() {
        return true;
    }
    // "Cộng" and "Tổng" with their marks ("Công an" is no sum), or without any mark
    // when the label has none at all.
    let plain = label.norm.is_ascii();
    let is_sum_word = |w: &str| matches!(w, "cộng" | "tổng") || (plain && matches!(w, "cong" | "tong"));
    let mut words = crate::text::words(&label.norm).peekable();
    // A leading marker: "a)", "1.", "I." or "II -" are read as words of their own.
    if let Some(w) = words.peek()
        && (w.chars().count() == 1 || w.chars().all(|c| c.is_ascii_digit()) || w.chars().all(|c| "ivx".contains(c)))
    {
        words.next();
    }
    // "Cộng đồng …" (a community) is a name, not a sum.
    words.next().is_some_and(is_sum_word) && words.next().is_some_and(|w| !matches!(w, "đồng" | "dong"))
}

/// Whether row `r` numbers the header's columns: "(1) (2) (3) …" or 1 2 3 …, in
/// cells side by side from 1 up, at least three, and nothing else. Asked only of
/// the rows above a table's first data row.
fn is_numbering_row(sheet: &Sheet, r: u32) -> bool {
    let mut last: Option<(f64, u32)> = None;
    let mut count = 0;
    for (c, cell) in sheet.row(r) {
        let n = match &cell.value {
            Value::Number(n) => *n,
            Value::Text(t) => {
                let t = t.trim();
                let t = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(t);
                match t.parse::<u32>() {
                    Ok(n) => f64::from(n),
                    Err(_) => return false,
                }
            }
            Value::Empty if cell.formula.is_none() => continue,
            _ => return false,
        };
        let next = last.map_or((1.0, c), |(l, lc)| (l + 1.0, lc.saturating_add(1)));
        if (n, c) != next {
            return false;
        }
        last = Some((n, c));
        count += 1;
    }
    count >= 3
}

/// A row's label as a message shows it: the label cell's text (else the first text
/// left of it, where a "Cộng" merged over the first columns sits), on one line.
fn row_label(sheet: &Sheet, r: u32, label_col: u32) -> String {
    let text = sheet
        .text(r, label_col)
        .or_else(|| sheet.row(r).filter(|(c, _)| *c < label_col).find_map(|(c, _)| sheet.text(r, c)))
        .unwrap_or("");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tell which rows were taken as sub-totals and left out of the sum.
fn report_subtotals(ctx: &mut Ctx, sheet: &View, table: &Table, label_col: u32, subtotals: &[u32]) {
    let cells: Vec<CellNote> = subtotals
        .iter()
        .map(|&r| CellNote {
            sheet: sheet.name.clone(),
            cell: cell_ref(r, label_col),
            text: row_label(sheet, r, label_col),
            value: None,
        })
        .collect();
    let shown: Vec<String> = cells.iter().take(5).map(|c| format!("{} \"{}\"", c.cell, c.text)).collect();
    let more = cells.len().saturating_sub(5);
    let more = if more > 0 { format!(" và {more} dòng khác") } else { String::new() };
    ctx.findings.push(Finding {
        cells,
        ..Finding::new(
            Severity::Info,
            FindingKind::SubtotalRow,
            ctx.at(sheet, subtotals[0], label_col),
            format!(
                "Bảng \"{}\" có dòng cộng nhóm {}{more}: không tính là một dòng số liệu và không cộng vào tổng của bảng.",
                table.title,
                shown.join(", ")
            ),
        )
    });
}

/// The rows not matched by label that a configured row fits by the words of their
/// label: the configured label's words all there (the label cell alone, else with
/// the text cells beside it up to the first figure column, else with the label
/// cell of the row below when that row holds no figure), and no other configured
/// row fitting better (one whose words include the other's). Two rows that fit
/// equally are told apart by the STT when the sheet numbers its rows as the
/// config does; else, and when two sheet rows fit one configured row, an error.
fn by_meaning(
    ctx: &mut Ctx,
    sheet: &View,
    table: &Table,
    keys: &TableKeys,
    (label_col, first_figure_col, stt_col): (u32, u32, Option<u32>),
    rows: &[(u32, Vec<Option<f64>>, Read)],
) -> Vec<Read> {
    let mut reads: Vec<Read> = rows.iter().map(|r| r.2).collect();
    if !reads.contains(&Read::None) {
        return reads;
    }
    let mut claimed = vec![false; table.rows.len()];
    for read in &reads {
        if let Read::Exact(i) = read {
            claimed[*i] = true;
        }
    }
    let stt_of = |r: u32| stt_at(sheet, r, stt_col?);
    // The sheet numbers its rows as the config does: every row read by label has its STT.
    let numbered_alike = claimed.iter().filter(|c| **c).count() >= 2
        && rows.iter().all(|(r, _, read)| match read {
            Read::Exact(i) => stt_of(*r) == Some(table.rows[*i].stt),
            _ => true,
        });
    let data: Vec<u32> = rows.iter().map(|r| r.0).collect();
    let mut fits: Vec<(usize, usize)> = Vec::new(); // (index into rows, the configured row it alone fits)
    for (k, (r, values, read)) in rows.iter().enumerate() {
        if *read != Read::None {
            continue;
        }
        let texts = label_texts(sheet, *r, label_col, first_figure_col, &data);
        let best = texts
            .iter()
            .map(|t| best_fits(&keys.row_phrases, &Key::new(t).fold))
            .find(|b| !b.is_empty())
            .unwrap_or_default();
        let best = match best.as_slice() {
            [_, _, ..] if numbered_alike => {
                match stt_of(*r).and_then(|n| best.iter().find(|&&i| table.rows[i].stt == n)) {
                    Some(&i) => vec![i],
                    None => best,
                }
            }
            _ => best,
        };
        if best.len() > 1 {
            let names: Vec<String> =
                best.iter().map(|&i| format!("\"{}. {}\"", table.rows[i].stt, table.rows[i].label)).collect();
            ctx.error(
                FindingKind::AmbiguousRow,
                ctx.at(sheet, *r, label_col),
                format!(
                    "Dòng \"{}\" của bảng \"{}\" có thể là dòng {}; số liệu dòng này chưa được tổng hợp. Hãy ghi tên dòng theo mẫu rồi gửi lại.",
                    texts[0], table.title, names.join(" hoặc ")
                ),
            );
            continue;
        }
        let figures = values.iter().flatten().any(|v| *v != 0.0);
        match best.first() {
            Some(&i) if claimed[i] && figures => ctx.warn(
                FindingKind::UnknownRow,
                ctx.at(sheet, *r, label_col),
                format!(
                    "Dòng \"{}\" giống dòng \"{}\" của bảng \"{}\" nhưng dòng đó đã có trong bảng; số liệu dòng này không được tổng hợp.",
                    texts[0], table.rows[i].label, table.title
                ),
            ),
            Some(&i) if claimed[i] => {}
            Some(&i) => fits.push((k, i)),
            None if figures => ctx.warn(
                FindingKind::UnknownRow,
                ctx.at(sheet, *r, label_col),
                format!(
                    "Dòng \"{}\" không có trong danh mục của bảng \"{}\"; số liệu dòng này không được tổng hợp.",
                    texts.first().map_or("", String::as_str),
                    table.title
                ),
            ),
            None => {}
        }
    }
    // The sheet rows each configured row fits, in sheet order.
    let mut fitted: Vec<Vec<usize>> = vec![Vec::new(); table.rows.len()];
    for &(k, i) in &fits {
        fitted[i].push(k);
    }
    let mut read_as: Vec<CellNote> = Vec::new();
    for &(k, i) in &fits {
        let (r, ..) = rows[k];
        let same = &fitted[i];
        if same.len() > 1 {
            if same[0] != k {
                continue; // told with the first
            }
            let cells: Vec<String> = same.iter().map(|&k2| cell_ref(rows[k2].0, label_col)).collect();
            ctx.error(
                FindingKind::AmbiguousRow,
                ctx.at(sheet, r, label_col),
                format!(
                    "Các dòng {} của bảng \"{}\" đều có thể là dòng \"{}. {}\"; số liệu các dòng này chưa được tổng hợp. Hãy ghi tên dòng theo mẫu rồi gửi lại.",
                    cells.join(", "),
                    table.title,
                    table.rows[i].stt,
                    table.rows[i].label
                ),
            );
            continue;
        }
        reads[k] = Read::Meaning(i);
        read_as.push(CellNote {
            sheet: sheet.name.clone(),
            cell: cell_ref(r, label_col),
            text: format!(
                "\"{}\" là dòng {}. {}",
                row_label(sheet, r, label_col),
                table.rows[i].stt,
                table.rows[i].label
            ),
            value: None,
        });
    }
    let shown: Vec<String> = read_as.iter().take(5).map(|c| format!("{} {}", c.cell, c.text)).collect();
    ctx.rows_by_meaning(sheet, format!("Bảng \"{}\"", table.title), shown, read_as);
    reads
}

/// The texts a row's label may be read from, in order: the label cell; it and the
/// text cells beside it up to the first figure column; it and the label cell of the
/// row below, when that row holds no figure (a label spread over two cells).
fn label_texts(sheet: &View, r: u32, label_col: u32, first_figure_col: u32, data: &[u32]) -> Vec<String> {
    let own = row_label(sheet, r, label_col);
    let beside: Vec<&str> = sheet
        .row(r)
        .filter(|(c, _)| *c > label_col && *c < first_figure_col)
        .filter_map(|(c, _)| sheet.text(r, c))
        .collect();
    let mut texts = vec![own.clone()];
    if !beside.is_empty() {
        texts.push(format!("{own} {}", beside.join(" ")));
    }
    let next = r.saturating_add(1);
    if let Some(below) = sheet.text(next, label_col).filter(|_| next > r)
        && data.binary_search(&next).is_err()
    {
        texts.push(format!("{own} {below}"));
    }
    texts
}

/// The config row a sheet row stands for: by label, or by STT when the label is empty.
fn match_row(
    sheet: &View,
    table: &Table,
    keys: &TableKeys,
    r: u32,
    label_col: u32,
    stt_col: Option<u32>,
) -> Option<usize> {
    if let Some(label) = sheet.key(r, label_col).filter(|k| !k.norm.is_empty()) {
        let mut best: Option<(Match, usize)> = None;
        for (i, names) in keys.rows.iter().enumerate() {
            if let Some(m) = label.matches_any(names)
                && best.is_none_or(|(bm, _)| m > bm)
            {
                best = Some((m, i));
            }
        }
        return best.map(|(_, i)| i);
    }
    let stt = stt_at(sheet, r, stt_col?)?;
    table.rows.iter().position(|row| row.stt == stt)
}

/// Per-row checks: counts are not negative, and the configured "small <= large" pairs hold.
fn check_row(ctx: &mut Ctx, sheet: &Sheet, table: &Table, r: u32, cols: &[(&str, (u32, u32))], values: &[Option<f64>]) {
    for ((_, (_, c)), v) in cols.iter().zip(values) {
        if let Some(v) = v
            && *v < 0.0
        {
            ctx.warn(
                FindingKind::NegativeCount,
                ctx.at(sheet, r, *c),
                format!("Số liệu âm ({}) ở bảng \"{}\".", v, table.title),
            );
        }
    }
    let get = |id: &str| cols.iter().position(|(cid, _)| *cid == id).and_then(|i| values[i].map(|v| (v, cols[i].1.1)));
    for [small, large] in &table.not_greater {
        if let (Some((s, sc)), Some((l, _))) = (get(small), get(large))
            && s > l
        {
            let header = |id: &str| {
                table.columns.iter().find(|c| c.id == id).map_or_else(|| id.to_string(), |c| c.header.clone())
            };
            ctx.warn(
                FindingKind::ExceedsTotal,
                ctx.at(sheet, r, sc),
                format!(
                    "\"{}\" ({}) lớn hơn \"{}\" ({}) ở cùng dòng.",
                    header(small),
                    crate::number::fmt_num(s),
                    header(large),
                    crate::number::fmt_num(l)
                ),
            );
        }
    }
}

/// A ratio cell ("Tỷ lệ %": a formula's cached fraction, or text like "99,5%") must
/// agree with its row's parts, to the precision it is written with.
fn check_ratio(
    ctx: &mut Ctx,
    sheet: &Sheet,
    table: &Table,
    ratio: &crate::config::Ratio,
    (r, c): (u32, u32),
    cols: &[(&str, (u32, u32))],
    values: &[Option<f64>],
) {
    let get = |id: &str| cols.iter().position(|(cid, _)| *cid == id).and_then(|i| values[i]);
    let (Some(num), Some(den)) = (get(&ratio.numerator), get(&ratio.denominator)) else { return };
    let computed = crate::number::ratio_pct(num, den);
    // (percentage written, tolerance in percentage points); None: the cell says "no ratio".
    let given: Option<(f64, f64)> = match sheet.get(r, c).map(|cell| &cell.value) {
        None | Some(Value::Empty) | Some(Value::Error(_)) | Some(Value::Bool(_)) => return,
        Some(Value::Number(x)) => Some(if *x > 1.0 + 1e-9 { (*x, 0.005) } else { (x * 100.0, 0.005) }),
        Some(Value::Text(t)) => match parse_vn(t) {
            Ok(p) if p.dash => None,
            Ok(p) => {
                let decimals = t
                    .rsplit([',', '.'])
                    .next()
                    .filter(|_| t.contains([',', '.']))
                    .map_or(0, |d| d.chars().filter(char::is_ascii_digit).count() as i32);
                let pct = if p.percent || p.value > 1.0 { p.value } else { p.value * 100.0 };
                Some((pct, 0.5 * 10f64.powi(-decimals) + 1e-9))
            }
            Err(_) => return,
        },
    };
    let agrees = match (given, computed) {
        (None, None) => true,
        (Some((g, _)), None) => g == 0.0,
        (None, Some(_)) => false,
        (Some((g, tol)), Some(c)) => (g - c).abs() <= tol.max(0.005),
    };
    if agrees {
        return;
    }
    let header =
        |id: &str| table.columns.iter().find(|col| col.id == id).map_or(id.to_string(), |col| col.header.clone());
    let shown = given.map_or("-".to_string(), |(g, _)| crate::number::fmt_pct_trim((g * 100.0).round() / 100.0));
    let right = computed.map_or("không tính được (mẫu số bằng 0)".to_string(), crate::number::fmt_pct_trim);
    ctx.warn(
        FindingKind::RatioMismatch,
        ctx.at(sheet, r, c),
        format!(
            "Tỷ lệ ghi {shown}, nhưng \"{}\"/\"{}\" = {}/{} cho {right}; báo cáo dùng tỷ lệ tính lại từ số liệu.",
            header(&ratio.numerator),
            header(&ratio.denominator),
            crate::number::fmt_num(num),
            crate::number::fmt_num(den)
        ),
    );
}

/// Compare a table's own total row (typed or formula) with the sum of its rows.
fn check_total_row(
    ctx: &mut Ctx,
    sheet: &Sheet,
    table: &Table,
    tr: u32,
    cols: &[(&str, (u32, u32))],
    sums: &[f64],
    (added, subtotals): (&[u32], &[u32]),
) {
    for ((id, (_, c)), sum) in cols.iter().zip(sums) {
        let Some(cell) = sheet.get(tr, *c) else { continue };
        let header = table.columns.iter().find(|col| col.id == *id).map_or(*id, |col| col.header.as_str());
        let shown = match &cell.value {
            Value::Number(n) => Some(*n),
            Value::Text(_) => ctx.number(sheet, tr, *c),
            _ => None,
        };
        let loc = ctx.at(sheet, tr, *c);
        let range = rows_added(added, subtotals, *c);
        match (shown, &cell.formula) {
            (Some(v), formula) if (v - sum).abs() > 1e-6 => {
                let (kind, what) = if formula.is_some() {
                    (
                        FindingKind::FormulaCacheMismatch,
                        format!("Giá trị lưu sẵn của công thức ={}", formula.as_deref().unwrap_or("")),
                    )
                } else {
                    (FindingKind::TotalRowMismatch, "Dòng tổng cộng (nhập tay)".to_string())
                };
                ctx.findings.push(
                    Finding::new(
                        Severity::Warning,
                        kind,
                        loc,
                        format!(
                            "{what} ghi {} ở cột \"{header}\", nhưng cộng {range} được {}; đã dùng tổng các dòng ({}).",
                            crate::number::fmt_num(v),
                            crate::number::fmt_num(*sum),
                            crate::number::fmt_num(*sum)
                        ),
                    )
                    .values(v, *sum),
                );
            }
            (None, Some(f)) => ctx.warn(
                FindingKind::FormulaNoCache,
                loc,
                format!(
                    "Ô tổng cộng có công thức ={f} nhưng không có giá trị lưu sẵn; đã dùng tổng các dòng ({}).",
                    crate::number::fmt_num(*sum)
                ),
            ),
            _ => {}
        }
    }
}

/// What a table's sum adds, for its messages: "các ô E7:E12, E14:E21 (không cộng
/// dòng cộng nhóm E13)", the data rows in runs that only sub-total rows break
/// (rows between them with no figure add nothing).
fn rows_added(added: &[u32], subtotals: &[u32], c: u32) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &r in added {
        match runs.last_mut() {
            Some((_, last)) if !subtotals.iter().any(|s| (*last..r).contains(s)) => *last = r,
            _ => runs.push((r, r)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .map(|&(a, b)| if a == b { cell_ref(a, c) } else { format!("{}:{}", cell_ref(a, c), cell_ref(b, c)) })
        .collect();
    let what = if shown.is_empty() {
        "không có dòng số liệu nào".to_string()
    } else {
        format!("các ô {}", shown.join(", "))
    };
    if subtotals.is_empty() {
        what
    } else {
        let skipped: Vec<String> = subtotals.iter().map(|&r| cell_ref(r, c)).collect();
        format!("{what} (không cộng dòng cộng nhóm {})", skipped.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Cell;

    fn sheet_with(rows: &[(u32, u32, Value)]) -> Sheet {
        let mut sheet = Sheet::default();
        for (r, c, v) in rows {
            sheet.cells.insert((*r, *c), Cell { value: v.clone(), formula: None });
        }
        sheet
    }

    #[test]
    fn a_row_numbering_the_columns_is_told_from_a_data_row() {
        let text = |s: &str| Value::Text(s.into());
        let numbered =
            sheet_with(&[(0, 0, text("(1)")), (0, 1, text("(2)")), (0, 2, text("(3)")), (0, 3, text("(4)"))]);
        assert!(is_numbering_row(&numbered, 0));
        let plain = sheet_with(&[(0, 0, Value::Number(1.0)), (0, 1, Value::Number(2.0)), (0, 2, Value::Number(3.0))]);
        assert!(is_numbering_row(&plain, 0));
        // A data row: STT 5, a label, figures; or numbers that skip a column or a step.
        let data = sheet_with(&[(0, 0, Value::Number(5.0)), (0, 1, text("Đăng ký")), (0, 4, Value::Number(6.0))]);
        assert!(!is_numbering_row(&data, 0));
        let gap = sheet_with(&[(0, 0, Value::Number(1.0)), (0, 1, Value::Number(2.0)), (0, 3, Value::Number(3.0))]);
        assert!(!is_numbering_row(&gap, 0));
        let step = sheet_with(&[(0, 0, Value::Number(1.0)), (0, 1, Value::Number(3.0)), (0, 2, Value::Number(4.0))]);
        assert!(!is_numbering_row(&step, 0));
        let two = sheet_with(&[(0, 0, Value::Number(1.0)), (0, 1, Value::Number(2.0))]);
        assert!(!is_numbering_row(&two, 0));
    }

    #[test]
    fn sub_total_labels() {
        let keys = TableKeys {
            sheet: Key::default(),
            title: Key::default(),
            label_header: Vec::new(),
            stt: Vec::new(),
            columns: Vec::new(),
            synonyms: Vec::new(),
            meanings: Vec::new(),
            totals: Vec::new(),
            rows: Vec::new(),
            row_phrases: Vec::new(),
            ratio: None,
            headings: vec![Key::new("I. NHÓM DỊCH VỤ CÔNG THIẾT YẾU CỦA CÁ NHÂN")],
            ids: Vec::new(),
        };
        let sub = |s: &str| is_subtotal(&Key::new(s), &keys);
        for s in [
            "Cộng lĩnh vực Công an",
            "- Cộng Tư pháp",
            "a) Tổng số nhóm I",
            "II. Cộng nhóm II",
            "TỔNG CÔNG AN",
            "I. Nhóm dịch vụ công thiết yếu của cá nhân",
        ] {
            assert!(sub(s), "{s}");
        }
        for s in ["Cộng", "Tổng", "Công an xã", "Tòng", "Đăng ký thường trú", "Liên thông tổng hợp", ""]
        {
            assert!(!sub(s), "{s}");
        }
        // Typed without any diacritics.
        for s in ["Cong nhom Cong an", "- tong linh vuc tu phap"] {
            assert!(sub(s), "{s}");
        }
        for s in ["Công an xã (cong an)", "Cong"] {
            assert!(!sub(s), "{s}");
        }
    }

    #[test]
    fn sum_messages_name_the_cells_added() {
        assert_eq!(rows_added(&[6, 7, 8, 10, 11], &[], 4), "các ô E7:E12");
        assert_eq!(rows_added(&[6, 7, 9, 10], &[8], 4), "các ô E7:E8, E10:E11 (không cộng dòng cộng nhóm E9)");
        assert_eq!(rows_added(&[6], &[], 5), "các ô F7");
        assert_eq!(rows_added(&[], &[3], 5), "không có dòng số liệu nào (không cộng dòng cộng nhóm F4)");
    }
}
