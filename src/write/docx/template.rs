//! The report template: minijinja over a small Markdown-like text.
//!
//! The template names consolidated figures as `v["id"]` and prints them through
//! Vietnamese-style filters (`num`, `pct`, `pct_trim`, `pad2`, `date`). Undefined
//! names fail (strict mode), and every `v["id"]` is checked against the run
//! before rendering, so a typo is reported with its template line and name.

use super::notes::{Notes, SECTIONS};
use crate::model::{Document, Report, Severity, UnitStatus, date};
use crate::number::{fmt_num, fmt_pad2, fmt_pct, fmt_pct_trim};
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use std::collections::BTreeMap;

/// Name under which the template is compiled (no auto-escaping for `.md`).
const TEMPLATE_NAME: &str = "bao-cao.md.j2";

/// An unusable template, with its line, in Vietnamese.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

/// Render `template` against the report; see [`super::render_text`].
pub fn render(report: &Report, doc: &Document, template: &str, notes: &Notes) -> Result<String, TemplateError> {
    check_figure_names(template, report)?;
    let env = environment()?;
    let tmpl = env.template_from_named_str(TEMPLATE_NAME, template).map_err(|e| template_error(template, &e))?;
    tmpl.render(context(report, doc, notes)).map_err(|e| template_error(template, &e))
}

/// A strict environment with the Vietnamese filters and block-friendly whitespace.
fn environment() -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| TemplateError(format!("Cú pháp mẫu báo cáo: {e}")))?;
    env.set_syntax(syntax);
    env.add_filter("num", filter_num);
    env.add_filter("pct", filter_pct);
    env.add_filter("pct_trim", filter_pct_trim);
    env.add_filter("pad2", filter_pad2);
    env.add_filter("date", filter_date);
    Ok(env)
}

/// Everything the template can name.
fn context(report: &Report, doc: &Document, notes: &Notes) -> Value {
    let v: BTreeMap<&str, Value> =
        report.totals.by_id().map(|t| (&*t.id, t.value.map(Value::from).unwrap_or(Value::from(())))).collect();
    let mut expected: BTreeMap<String, usize> = report.groups.iter().map(|g| (g.id.clone(), 0)).collect();
    let mut reported = expected.clone();
    for u in &report.units {
        *expected.entry(u.group.clone()).or_default() += 1;
        if u.status == UnitStatus::Counted {
            *reported.entry(u.group.clone()).or_default() += 1;
        }
    }
    let groups: BTreeMap<String, String> = report.groups.iter().map(|g| (g.id.clone(), g.name.clone())).collect();
    let notes: BTreeMap<&str, String> =
        SECTIONS.iter().map(|s| (*s, notes.text(s).unwrap_or_default().to_string())).collect();
    let period = &report.period;
    minijinja::context! {
        v => v,
        period => period.text.clone(),
        period_from => period.from.clone(),
        period_to => period.to.clone(),
        month => period.month,
        year => period.year,
        doc => document_value(doc),
        groups => groups,
        units_expected => expected,
        units_reported => reported,
        coverage => crate::write::appendix::coverage_note(report),
        errors => report.count(Severity::Error),
        warnings => report.count(Severity::Warning),
        notes => notes,
    }
}

/// The document's standing parts as a template value.
fn document_value(d: &Document) -> Value {
    minijinja::context! {
        parent_body => d.parent_body.clone(),
        issuing_body => d.issuing_body.clone(),
        number => d.number.clone(),
        symbol => d.symbol.clone(),
        place => d.place.clone(),
        date => d.date.clone(),
        summary => d.summary.clone(),
        recipients => d.recipients.clone(),
        signer_titles => d.signer_titles.clone(),
        signer_name => d.signer_name.clone(),
    }
}

/// Every `v["id"]` / `v['id']` of the template, with its 1-based line.
pub fn figure_refs(template: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code_only(template).lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find("v[") {
            let before = rest[..pos].chars().last();
            rest = &rest[pos + 2..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let trimmed = rest.trim_start();
            let Some(quote) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            if let Some(end) = trimmed[1..].find(quote) {
                out.push((i + 1, trimmed[1..1 + end].to_string()));
            }
        }
    }
    out
}

/// The template with everything outside `{{ … }}` and `{% … %}` blanked (newlines
/// kept), so comments and plain text are not read as figure names.
fn code_only(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut close: Option<&str> = None;
    let mut i = 0;
    while i < template.len() {
        let rest = &template[i..];
        let c = rest.chars().next().unwrap_or(' ');
        match close {
            None if rest.starts_with("{{") || rest.starts_with("{%") || rest.starts_with("{#") => {
                close = Some(match &rest[..2] {
                    "{{" => "}}",
                    "{%" => "%}",
                    _ => "#}",
                });
                out.push_str("  ");
                i += 2;
                continue;
            }
            Some(end) if rest.starts_with(end) => {
                close = None;
                out.push_str("  ");
                i += 2;
                continue;
            }
            Some(end) if end != "#}" || c == '\n' => out.push(c),
            _ => out.push(if c == '\n' { '\n' } else { ' ' }),
        }
        i += c.len_utf8();
    }
    out
}

/// Fail before rendering when the template names a figure the run does not have.
fn check_figure_names(template: &str, report: &Report) -> Result<(), TemplateError> {
    for (line, name) in figure_refs(template) {
        if !report.totals.contains(&name) {
            let text = template.lines().nth(line - 1).unwrap_or("").trim();
            return Err(TemplateError(format!(
                "Mẫu báo cáo, dòng {line}: số liệu \"{name}\" không có trong kết quả tổng hợp{}.\n  {line}| {text}",
                suggestion(&name, report)
            )));
        }
    }
    Ok(())
}

/// " (có: a, b, …)" listing figures that share the unknown name's first part.
fn suggestion(name: &str, report: &Report) -> String {
    let prefix = name.split('.').next().unwrap_or(name);
    let near: Vec<&str> =
        report.totals.by_id().map(|t| &*t.id).filter(|k| k.split('.').next() == Some(prefix)).take(8).collect();
    if near.is_empty() { String::new() } else { format!(" (có: {})", near.join(", ")) }
}

/// A minijinja error as one Vietnamese message with the template line.
fn template_error(template: &str, e: &Error) -> TemplateError {
    let detail = match e.kind() {
        ErrorKind::UndefinedError => "tên không được định nghĩa (undefined)".to_string(),
        _ => e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string()),
    };
    match e.line() {
        Some(line) => {
            let text = template.lines().nth(line.saturating_sub(1)).unwrap_or("").trim();
            TemplateError(format!("Mẫu báo cáo, dòng {line}: {detail}.\n  {line}| {text}"))
        }
        None => TemplateError(format!("Mẫu báo cáo: {detail}.")),
    }
}

/// The number a filter was given, or an error naming what was wrong.
fn number_arg(value: &Value) -> Result<f64, Error> {
    if value.is_undefined() {
        return Err(Error::new(ErrorKind::UndefinedError, "số liệu không có"));
    }
    if value.is_none() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "số liệu trống (không có giá trị, ví dụ tỷ lệ có mẫu số bằng 0)",
        ));
    }
    f64::try_from(value.clone())
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("\"{value}\" không phải là số")))
}

/// `num`: 1584779000 -> "1.584.779.000".
fn filter_num(value: Value) -> Result<String, Error> {
    number_arg(&value).map(fmt_num)
}

/// `pct`: 45.92 -> "45,92%", 1.9 -> "1,90%".
fn filter_pct(value: Value) -> Result<String, Error> {
    number_arg(&value).map(fmt_pct)
}

/// `pct_trim`: 89.6 -> "89,6%", 100 -> "100%".
fn filter_pct_trim(value: Value) -> Result<String, Error> {
    number_arg(&value).map(fmt_pct_trim)
}

/// `pad2`: 5 -> "05", 2781 -> "2.781".
fn filter_pad2(value: Value) -> Result<String, Error> {
    number_arg(&value).map(fmt_pad2)
}

/// `date`: "12/07/2024" -> "ngày 12 tháng 7 năm 2024"; empty leaves blanks for the clerk.
fn filter_date(value: Value) -> Result<String, Error> {
    let text = value.as_str().unwrap_or_default();
    if text.trim().is_empty() {
        return Ok("ngày     tháng     năm     ".to_string());
    }
    date::parse(text)
        .map(date::in_words)
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("\"{text}\" không phải ngày dd/mm/yyyy")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_refs_find_both_quotes_and_lines() {
        let t = "a {{ v['x.y']|num }}\n{# v['c'] #}\nb v['t'] {{ v[\"z\"] }} {{ nov['q'] }}";
        assert_eq!(figure_refs(t), vec![(1, "x.y".to_string()), (3, "z".to_string())]);
    }

    #[test]
    fn the_date_filter_spells_dates_in_words() {
        assert_eq!(filter_date(Value::from("12/07/2024")).unwrap(), "ngày 12 tháng 7 năm 2024");
        assert_eq!(filter_date(Value::from("")).unwrap(), "ngày     tháng     năm     ");
        assert!(filter_date(Value::from("31/02/2024")).is_err());
    }
}
