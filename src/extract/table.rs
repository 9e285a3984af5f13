//! Reading a configured table: its columns by header, its rows by label (or
//! STT), the figures of each row, and the checks on them (negative counts,
//! "small <= large" pairs, ratios, the table's own total row).

use super::header::{find_body, find_header};
use super::view::View;
use super::{Ctx, TableKeys};
use crate::config::Table;
use crate::model::{Figure, Finding, FindingKind, Location, MissingWhy, Severity};
use crate::number::parse_vn;
use crate::read::{Sheet, Value};
use crate::text::{Match, cell_ref};

/// Read `table` from `sheet`: its figures into `out`, its findings into `ctx`.
pub(super) fn read_table(ctx: &mut Ctx, sheet: &View, table: &Table, keys: &TableKeys, out: &mut Vec<Figure>) {
    let Some((hr, label_col)) = find_header(sheet, &keys.label_header, None) else {
        ctx.error(
            FindingKind::MissingHeader,
            ctx.at_sheet(sheet),
            format!(
                "Trang tính \"{}\" không có cột tiêu đề \"{}\"; không đọc được bảng \"{}\": đơn vị thiếu số liệu của cả bảng.",
                sheet.name, table.label_header, table.title
            ),
        );
        let what = format!("tiêu đề “{}”", table.label_header);
        for id in keys.ids.iter().flatten() {
            ctx.note_missing(id, MissingWhy::Header, &what, ctx.at_sheet(sheet));
        }
        return;
    };
    let stt_col = find_header(sheet, &keys.stt, Some(hr)).map(|(_, c)| c);
    let (mut cols, mut col_index) = (Vec::new(), Vec::new());
    for (i, (col, labels)) in table.columns.iter().zip(&keys.columns).enumerate() {
        match find_header(sheet, labels, Some(hr)) {
            Some(pos) => {
                cols.push((col.id.as_str(), pos));
                col_index.push(i);
            }
            None => {
                ctx.error(
                    FindingKind::MissingColumn,
                    ctx.at(sheet, hr, label_col),
                    format!(
                        "Trang tính \"{}\": bảng \"{}\" không có cột \"{}\"; số liệu cột này chưa được tổng hợp, đơn vị thiếu số liệu.",
                        sheet.name, table.title, col.header
                    ),
                );
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
    let header_end = cols.iter().map(|(_, (r, _))| *r).max().unwrap_or(hr).max(hr);
    let ratio_col = keys.ratio.as_ref().and_then(|k| find_header(sheet, k, Some(hr))).map(|(_, c)| c);
    let body = find_body(sheet, header_end, label_col, &keys.totals);
    // Column sums over every data row, for the table's own total row and for row-less tables.
    let mut sums = vec![0.0; cols.len()];
    // The column sums at the last sub-total row of a table without configured rows.
    let mut group_start = vec![0.0; cols.len()];
    let mut seen_rows: Vec<Option<u32>> = vec![None; table.rows.len()];
    let mut seen_blank = vec![false; table.rows.len()];
    // Rows with figures whose label is no configured row's: (row, label).
    let mut unknown: Vec<(Location, String)> = Vec::new();
    // Whether every row found carries its configured STT: the sheet keeps the
    // official form, so a configured row it lacks was deleted from it.
    let mut official = stt_col.is_some() && !table.rows.is_empty();
    let mut data_rows = Vec::new();
    for r in body.first..=body.last.max(body.first) {
        if sheet.row(r).next().is_none() || r > body.last {
            continue;
        }
        let label = sheet.text(r, label_col).unwrap_or("");
        let has_numbers = cols.iter().any(|(_, (_, c))| sheet.get(r, *c).is_some());
        if !has_numbers {
            // Heading, note or blank row; a configured row left blank is there
            // (the unit has nothing to report in it), not missing.
            if !table.rows.is_empty()
                && let Some(idx) = match_row(sheet, table, keys, r, label_col, stt_col)
            {
                seen_blank[idx] = true;
                official &= stt_col.and_then(|c| stt_at(sheet, r, c)).is_none_or(|n| n == table.rows[idx].stt);
            }
            continue;
        }
        let values: Vec<Option<f64>> = cols.iter().map(|(_, (_, c))| ctx.number(sheet, r, *c)).collect();
        if table.rows.is_empty() && is_subtotal_label(label) {
            // A table whose figures are its column sums must not add a sub-total
            // ("Cộng nhóm I") into them: left out when it is the sum of the rows
            // since the last one; when it is not, it cannot be told from a row.
            let since: Vec<f64> = sums.iter().zip(&group_start).map(|(s, g)| s - g).collect();
            let is_sum = values.iter().zip(&since).all(|(v, s)| v.is_some_and(|v| (v - s).abs() < 1e-6));
            subtotal(ctx, sheet, (table, keys), (r, label_col), &col_index, is_sum);
            if is_sum {
                group_start.clone_from(&sums);
                continue;
            }
        }
        data_rows.push(r);
        if table.rows.is_empty() {
            for ((v, (_, (_, c))), i) in values.iter().zip(&cols).zip(&col_index) {
                if let Some(v) = v {
                    let what = format!("dòng {}, cột “{}”", r + 1, table.columns[*i].header);
                    ctx.merged_value(sheet, (r, *c), *v, &what);
                }
            }
            // A column sum short of a cell that is no number is short of a figure.
            for ((v, (_, (_, c))), i) in values.iter().zip(&cols).zip(&col_index) {
                if v.is_none() {
                    let what = format!("ô {}", cell_ref(r, *c));
                    ctx.note_missing(&keys.ids[0][*i], MissingWhy::Cell, &what, ctx.at(sheet, r, *c));
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
        let Some(idx) = match_row(sheet, table, keys, r, label_col, stt_col) else {
            if values.iter().flatten().any(|v| *v != 0.0) {
                unknown.push((ctx.at(sheet, r, label_col), label.trim().to_string()));
            }
            continue;
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
        for (((_, (_, c)), v), i) in cols.iter().zip(&values).zip(&col_index) {
            if let Some(v) = v {
                let header = &table.columns[*i].header;
                ctx.merged_value(sheet, (r, *c), *v, &format!("{row_name}, cột “{header}”"));
            }
            match v {
                Some(v) => out.push(Figure { id: keys.ids[idx][*i].clone(), value: *v, source: ctx.at(sheet, r, *c) }),
                None => {
                    let what = format!("ô {}", cell_ref(r, *c));
                    ctx.note_missing(&keys.ids[idx][*i], MissingWhy::Cell, &what, ctx.at(sheet, r, *c));
                }
            }
        }
    }
    let found: Vec<bool> = seen_rows.iter().zip(&seen_blank).map(|(r, blank)| r.is_some() || *blank).collect();
    missing_rows(ctx, sheet, (table, keys), &found, (official, &unknown), &col_index);
    if let Some(tr) = body.total {
        check_total_row(ctx, sheet, table, tr, &cols, &sums, (body.first, tr.saturating_sub(1)));
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
    for (at, label) in unknown {
        let (severity, could_be) = if absent.is_empty() {
            (Severity::Warning, String::new())
        } else {
            (Severity::Error, format!(" Có thể đây là {s} {} của danh mục; đơn vị thiếu số liệu.", labels.join(", ")))
        };
        ctx.findings.push(Finding::new(
            severity,
            FindingKind::UnknownRow,
            at.clone(),
            format!(
                "Trang tính \"{}\": dòng \"{label}\" không có trong danh mục của bảng \"{}\"; số liệu dòng này không được tổng hợp.{could_be}",
                sheet.name, table.title
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

/// A label that opens like a sub-total's: "Cộng …", "Tổng …" (words, not "Cộng đồng").
fn is_subtotal_label(label: &str) -> bool {
    let folded = crate::text::fold(label);
    let mut words = crate::text::words(&folded);
    matches!(words.next(), Some("cong" | "tong")) && words.next() != Some("dong")
}

/// A sub-total row inside a table without configured rows: a warning when it
/// is the sum of the rows above it (left out of the column sums); an error,
/// and the column sums missing from the unit, when it is not, since it cannot
/// be told whether it is a row to add or a sub-total typed wrong.
fn subtotal(
    ctx: &mut Ctx,
    sheet: &View,
    (table, keys): (&Table, &TableKeys),
    (r, label_col): (u32, u32),
    col_index: &[usize],
    is_sum: bool,
) {
    let label = sheet.text(r, label_col).unwrap_or("").trim().to_string();
    let at = ctx.at(sheet, r, label_col);
    if is_sum {
        ctx.warn(
            FindingKind::UnknownRow,
            at,
            format!(
                "Trang tính \"{}\": dòng \"{label}\" là dòng cộng của các dòng trên nó; không cộng dòng này vào số liệu bảng \"{}\".",
                sheet.name, table.title
            ),
        );
        return;
    }
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
    (first, last): (u32, u32),
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
        let range = format!("{}:{}", cell_ref(first, *c), cell_ref(last.max(first), *c));
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
                            "{what} ghi {} ở cột \"{header}\", nhưng cộng các dòng {range} được {}; đã dùng tổng các dòng ({}).",
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
