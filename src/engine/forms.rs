//! The blank collection workbooks of a month, one per unit, built from the config
//! ([`crate::model::form`]): laid out the way `extract` reads them back, so a
//! filled form gives every figure with its cell and no finding about its layout.
//!
//! What the readers look for, and where each form puts it:
//! - the unit's name, as whole words, in a row above the header (`extract::unit`);
//! - the period as "(Từ ngày 05/7/2024 đến ngày 05/8/2024)" in the same rows, the
//!   config's `[period]` rule applied to the month (`extract::sheet`), and for
//!   cumulative figures "(Số liệu lũy kế tính đến ngày 05/8/2024)", the period's
//!   end (`extract::as_of`); a list's section of cumulative items states it in its
//!   heading row;
//! - the sheet under its usual name, with its title (`extract::sheet`);
//! - a header row with the STT, label and figure headers as the config spells
//!   them, then one row per configured row or item under its label (list items
//!   below their section's heading), and a table's total row labelled with its
//!   first total label (`extract::header`, `extract::table`, `extract::list`).
//!
//! A unit gets only the tables and lists it reports (`reported_by`, see
//! [`Config`]); a table without configured rows (figures summed down the sheet)
//! gets [`FREE_ROWS`] rows the unit names itself.

use crate::config::{CheckKind, Config, Unit};
use crate::model::date::{self, Date};
use crate::model::form::{ColumnKind, Form, FormColumn, FormItem, FormRow, FormSheet, InputCell, TitleKind, TitleLine};
use crate::model::{Month, PeriodRule, id};
use std::collections::HashMap;

/// Rows given to a table without configured rows, for the unit to name and fill.
pub const FREE_ROWS: usize = 20;

/// The line above every form's header that says what to do.
pub const INSTRUCTIONS: &str = "Điền số liệu vào các ô trắng (số nguyên, ghi 0 nếu không phát sinh); \
     các ô tô màu là tiêu đề hoặc được tính sẵn. Không đổi tên trang, không thêm hay xóa dòng, cột.";

/// Most characters of a label quoted in an input message (Excel allows 255 in all).
const QUOTED_LABEL: usize = 90;

/// The month a clerk making forms today most likely means: the one whose period
/// has not ended yet (it ends today or later) under `rule`. On 08/12/2026, with
/// periods from the 5th to the 5th, that is January 2027 (05/12/2026–05/01/2027).
///
/// ```
/// use baocao::engine::forms::month_for;
/// use baocao::model::{Month, PeriodRule};
/// let rule = PeriodRule { cut_off_day: 5, start_day: None };
/// let on = |y, m, d| jiff::civil::date(y, m, d);
/// assert_eq!(month_for(&rule, on(2024, 7, 20)), Month::new(2024, 8).unwrap());
/// assert_eq!(month_for(&rule, on(2024, 8, 5)), Month::new(2024, 8).unwrap());
/// assert_eq!(month_for(&rule, on(2026, 12, 8)), Month::new(2027, 1).unwrap());
/// ```
pub fn month_for(rule: &PeriodRule, today: Date) -> Month {
    let this = Month { year: today.year(), month: today.month() };
    if rule.period_of(this).to >= today {
        return this;
    }
    if this.month == 12 { Month { year: this.year + 1, month: 1 } } else { Month { month: this.month + 1, ..this } }
}

/// The file name of `unit`'s form for `month`: "Phường Bảo An - DA06 - 2024-08.xlsx",
/// with characters no file system takes in a name (`/ \ : * ? " < > |`) made "-".
pub fn file_name(unit: &str, month: Month) -> String {
    let name: String =
        unit.chars().map(|c| if r#"/\:*?"<>|"#.contains(c) || c.is_control() { '-' } else { c }).collect();
    format!("{} - DA06 - {}.xlsx", name.trim(), month.stem())
}

/// Every unit's blank form for `month`, in config order.
pub fn forms(cfg: &Config, month: Month) -> Vec<Form> {
    cfg.units.iter().map(|u| form(cfg, u, month)).collect()
}

/// Where a figure sits on a form: (sheet, row, column) indices.
type At = (usize, usize, usize);

/// One unit's blank form for `month`.
pub fn form(cfg: &Config, unit: &Unit, month: Month) -> Form {
    let period = cfg.period.period_of(month);
    let dated = |cumulative: bool| {
        let mut lines = vec![TitleLine { text: period.text(), kind: TitleKind::Dated }];
        if cumulative {
            lines.push(TitleLine { text: as_of_line(period.to), kind: TitleKind::Dated });
        }
        lines
    };
    let head = |title: &str, cumulative: bool| {
        let mut lines = vec![
            TitleLine { text: format!("Đơn vị báo cáo: {}", unit.name), kind: TitleKind::Unit },
            TitleLine { text: title.to_string(), kind: TitleKind::Title },
        ];
        lines.extend(dated(cumulative));
        lines.push(TitleLine { text: INSTRUCTIONS.into(), kind: TitleKind::Instructions });
        lines
    };
    let mut sheets = Vec::new();
    // Where each figure's input cell is, and what it is called, for the config's checks.
    let mut at: HashMap<String, (At, String)> = HashMap::new();
    for t in cfg.tables.iter().filter(|t| Config::reports(unit, &t.reported_by)) {
        let s = sheets.len();
        let mut columns = vec![
            FormColumn { header: t.stt_header.clone(), kind: ColumnKind::Stt },
            FormColumn { header: t.label_header.clone(), kind: ColumnKind::Label },
        ];
        let first_input = columns.len();
        columns.extend(t.columns.iter().map(|c| FormColumn { header: c.header.clone(), kind: ColumnKind::Input }));
        let col_of = |id: &str| t.columns.iter().position(|c| c.id == id).map(|i| first_input + i);
        if let Some(r) = &t.ratio
            && let (Some(numerator), Some(denominator)) = (col_of(&r.numerator), col_of(&r.denominator))
        {
            columns.push(FormColumn { header: r.header.clone(), kind: ColumnKind::Ratio { numerator, denominator } });
        }
        // An item row at row index `ri`, "online <= total" on its own row.
        let item = |ri: usize, stt: String, label: Option<String>| FormItem {
            stt,
            label,
            inputs: t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut cell = input(first_input + i, &c.header);
                    for [small, large] in &t.not_greater {
                        if *small == c.id
                            && let Some(lc) = col_of(large)
                        {
                            cell.at_most.push((ri, lc));
                            limit_text(&mut cell, &columns[lc].header);
                        }
                    }
                    cell
                })
                .collect(),
        };
        let mut rows = Vec::new();
        if t.rows.is_empty() {
            for n in 1..=FREE_ROWS {
                rows.push(FormRow::Item(item(rows.len(), n.to_string(), None)));
            }
        } else {
            for r in &t.rows {
                if let Some(h) = &r.heading {
                    rows.push(FormRow::Heading(h.clone()));
                }
                let ri = rows.len();
                for (i, c) in t.columns.iter().enumerate() {
                    let what = format!("{}. {} › {}", r.stt, r.label, c.header);
                    at.insert(id::table_row(&t.id, r.stt, &c.id), ((s, ri, first_input + i), what));
                }
                rows.push(FormRow::Item(item(ri, r.stt.to_string(), Some(r.label.clone()))));
            }
        }
        rows.push(FormRow::Total(t.total_labels.first().cloned().unwrap_or_else(|| "Tổng cộng".into())));
        sheets.push(FormSheet {
            name: t.sheet.clone(),
            titles: head(&t.title, t.cumulative || t.columns.iter().any(|c| c.cumulative == Some(true))),
            unit_of_count: t.unit_of_count.clone(),
            columns,
            rows,
        });
    }
    for l in cfg.lists.iter().filter(|l| Config::reports(unit, &l.reported_by)) {
        let s = sheets.len();
        let columns = vec![
            FormColumn { header: "STT".into(), kind: ColumnKind::Stt },
            FormColumn { header: l.label_header.clone(), kind: ColumnKind::Label },
            FormColumn { header: l.value_header.clone(), kind: ColumnKind::Input },
        ];
        let cumulative = |i: &crate::config::Item| i.cumulative.unwrap_or(l.cumulative);
        // The title dates the list when it is cumulative, or when an item outside
        // any section is; a section of cumulative items is dated in its heading.
        let title_dated = l.cumulative || l.items.iter().any(|i| i.section.is_none() && cumulative(i));
        let mut rows = Vec::new();
        let mut section: Option<&str> = None;
        for (n, i) in l.items.iter().enumerate() {
            if i.section.as_deref() != section
                && let Some(sec) = i.section.as_deref()
            {
                let dated_section =
                    !title_dated && l.items.iter().filter(|o| o.section.as_deref() == Some(sec)).any(&cumulative);
                rows.push(FormRow::Heading(if dated_section {
                    format!("{sec} {}", as_of_line(period.to))
                } else {
                    sec.to_string()
                }));
            }
            section = i.section.as_deref();
            at.insert(i.id.clone(), ((s, rows.len(), 2), i.label.clone()));
            rows.push(FormRow::Item(FormItem {
                stt: (n + 1).to_string(),
                label: Some(i.label.clone()),
                inputs: vec![input(2, &l.value_header)],
            }));
        }
        let title = l.title.clone().unwrap_or_else(|| l.sheet.to_uppercase());
        sheets.push(FormSheet {
            name: l.sheet.clone(),
            titles: head(&title, title_dated),
            unit_of_count: None,
            columns,
            rows,
        });
    }
    // The config's "small <= large" checks between two figures of one sheet.
    for c in cfg.checks.iter().filter(|c| c.kind == CheckKind::NotGreater) {
        let (Some(small), Some(large)) = (&c.small, &c.large) else { continue };
        let (Some(&((s, r, col), _)), Some(((ls, lr, lc), what))) = (at.get(small.get_ref()), at.get(large.get_ref()))
        else {
            continue;
        };
        if s != *ls {
            continue;
        }
        let FormRow::Item(it) = &mut sheets[s].rows[r] else { continue };
        if let Some(cell) = it.inputs.iter_mut().find(|i| i.column == col)
            && !cell.at_most.contains(&(*lr, *lc))
        {
            cell.at_most.push((*lr, *lc));
            limit_text(cell, what);
        }
    }
    Form { unit: unit.name.clone(), month, file_name: file_name(&unit.name, month), sheets }
}

/// "(Số liệu lũy kế tính đến ngày 05/8/2024)".
fn as_of_line(d: Date) -> String {
    format!("(Số liệu lũy kế tính đến ngày {})", date::short(d))
}

/// An input cell of `column`, headed `header`, held to nothing yet.
fn input(column: usize, header: &str) -> InputCell {
    InputCell {
        column,
        at_most: Vec::new(),
        title: clip(header, 32),
        message: "Nhập số nguyên từ 0 trở lên; ghi 0 nếu không phát sinh.".into(),
        error: "Chỉ nhập số nguyên từ 0 trở lên.".into(),
    }
}

/// Add to `cell`'s messages that its figure may not exceed `what`'s.
fn limit_text(cell: &mut InputCell, what: &str) {
    let more = format!(" Không được lớn hơn \"{}\".", clip(what, QUOTED_LABEL));
    if cell.message.chars().count() + more.chars().count() <= 255 {
        cell.message.push_str(&more);
    }
    if cell.error.chars().count() + more.chars().count() <= 255 {
        cell.error.push_str(&more);
    }
}

/// `text` cut to at most `max` characters, "…" marking the cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Config {
        Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phan-rang-thap-cham.toml"))
            .unwrap()
    }

    #[test]
    fn a_unit_gets_what_it_reports_and_each_form_is_dated_by_the_rule() {
        let cfg = sample();
        let aug = Month::new(2024, 8).unwrap();
        let all = forms(&cfg, aug);
        let sheets = |unit: &str| -> Vec<String> {
            all.iter().find(|f| f.unit == unit).unwrap().sheets.iter().map(|s| s.name.clone()).collect()
        };
        assert_eq!(sheets("Phường Bảo An"), ["DVC thiết yếu", "DVC QĐ 422", "Số hóa", "Lao động"]);
        assert_eq!(sheets("Trung tâm Y tế"), ["Hồ sơ sức khỏe", "Thanh toán - KCB"]);
        assert_eq!(sheets("Phòng Lao động – Thương binh và Xã hội"), ["An sinh xã hội"]);
        let bao_an = &all[0];
        assert_eq!(bao_an.file_name, "Phường Bảo An - DA06 - 2024-08.xlsx");
        let titles: Vec<&str> = bao_an.sheets[3].titles.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(titles[0], "Đơn vị báo cáo: Phường Bảo An");
        assert!(titles.contains(&"(Từ ngày 05/7/2024 đến ngày 05/8/2024)"), "{titles:?}");
        assert!(titles.contains(&"(Số liệu lũy kế tính đến ngày 05/8/2024)"), "Lao động is cumulative: {titles:?}");
        assert!(titles.last().unwrap().starts_with("Điền số liệu vào các ô trắng"));
        // 15 services and the total; "online" is held to "total" on its own row.
        let dvc = &bao_an.sheets[0];
        assert_eq!(dvc.rows.len(), 16);
        let FormRow::Item(third) = &dvc.rows[2] else { panic!() };
        assert_eq!(third.label.as_deref(), Some("Đăng ký thường trú"));
        assert_eq!(third.inputs[1].at_most, [(2, 2)]);
        assert!(third.inputs[1].message.contains("Tổng số hồ sơ"));
        // A list's check between two items: "đã số hóa" at most "tổng".
        let so_hoa = &bao_an.sheets[2];
        let FormRow::Item(second) = &so_hoa.rows[1] else { panic!() };
        assert_eq!(second.inputs[0].at_most, [(0, 2)]);
        let y_te = all.iter().find(|f| f.unit == "Trung tâm Y tế").unwrap();
        assert_eq!(y_te.sheets[0].rows.len(), FREE_ROWS + 1, "rows the unit names, and the total");
    }

    #[test]
    fn names_are_safe_and_the_default_month_follows_the_rule() {
        let m = Month::new(2024, 8).unwrap();
        assert_eq!(file_name("Tổ 1/2: \"A\"", m), "Tổ 1-2- -A- - DA06 - 2024-08.xlsx");
        let decree = PeriodRule::default(); // 15th to the 14th
        assert_eq!(month_for(&decree, jiff::civil::date(2024, 12, 20)), Month::new(2025, 1).unwrap());
        assert_eq!(month_for(&decree, jiff::civil::date(2024, 12, 14)), Month::new(2024, 12).unwrap());
    }
}
