//! The report template: minijinja over a small Markdown-like text.
//!
//! The template names consolidated figures as `v["id"]` and prints them through
//! Vietnamese-style filters (`num`, `pct`, `pct_trim`, `pad2`, `date`). Undefined
//! names fail (strict mode), and every `v["id"]` is checked against the run
//! before rendering, so a typo is reported with its template line and name.
//!
//! `as_of["key"]` is the date cumulative figures are counted up to, as the
//! workbooks state it ([`Report::as_of`]): "07/5/2024". A key that names no
//! figure is a template error like an unknown `v["id"]`; a key no counted unit
//! dates this month prints "…" (never a guessed date), and [`as_of_gaps`] gives
//! the warning that says so.

use crate::model::{Document, Finding, FindingKind, Location, Report, Severity, UnitStatus, date};
use crate::number::{fmt_num, fmt_pad2, fmt_pct, fmt_pct_trim};
use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What an as-of date no unit states prints as.
pub const AS_OF_GAP: &str = "…";

/// Name under which the template is compiled (no auto-escaping for `.md`).
const TEMPLATE_NAME: &str = "bao-cao.md.j2";

/// The sections a notes file may give, in report order.
pub const NOTE_SECTIONS: [&str; 5] = ["I", "II", "III", "IV", "V"];

/// An unusable template or notes file, with its line, in Vietnamese.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

/// Render `template` against the report; see [`super::render_text`].
pub fn render(report: &Report, doc: &Document, template: &str, notes: Option<&str>) -> Result<String, TemplateError> {
    check_figure_names(template, report)?;
    check_as_of_keys(template, report)?;
    let notes = match notes {
        Some(text) => parse_notes(text)?,
        None => BTreeMap::new(),
    };
    let env = environment()?;
    let tmpl = env.template_from_named_str(TEMPLATE_NAME, template).map_err(|e| template_error(template, &e))?;
    tmpl.render(context(report, doc, &notes)).map_err(|e| template_error(template, &e))
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
fn context(report: &Report, doc: &Document, notes: &BTreeMap<String, String>) -> Value {
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
        NOTE_SECTIONS.iter().map(|s| (*s, notes.get(*s).cloned().unwrap_or_default())).collect();
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
        as_of => Value::from_object(AsOfDates(
            report.as_of.iter().map(|(k, a)| (k.clone(), Value::from(a.short()))).collect()
        )),
    }
}

/// `as_of`: the as-of date of each dated key ("07/5/2024"); any other key is
/// [`AS_OF_GAP`] (which keys may be named at all is checked before rendering).
#[derive(Debug)]
struct AsOfDates(BTreeMap<String, Value>);

impl Object for AsOfDates {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        Some(self.0.get(key).cloned().unwrap_or_else(|| Value::from(AS_OF_GAP)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.0.keys().map(|k| Value::from(k.as_str()))))
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
    refs(template, "v[")
}

/// Every `as_of["key"]` of the template, with its 1-based line.
pub fn as_of_refs(template: &str) -> Vec<(usize, String)> {
    refs(template, "as_of[")
}

/// Every `NAME["key"]` / `NAME['key']` of the template's code, `open` being `NAME[`.
fn refs(template: &str, open: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code_only(template).lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find(open) {
            let before = rest[..pos].chars().last();
            rest = &rest[pos + open.len()..];
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

/// Whether `key` may be named in `as_of`: a figure's id, or the first part of one.
fn is_as_of_key(report: &Report, key: &str) -> bool {
    report.totals.contains(key) || report.totals.by_id().any(|t| t.id.split('.').next() == Some(key))
}

/// Fail before rendering when the template names an as-of key that names no figure.
fn check_as_of_keys(template: &str, report: &Report) -> Result<(), TemplateError> {
    for (line, key) in as_of_refs(template) {
        if !is_as_of_key(report, &key) {
            let text = template.lines().nth(line - 1).unwrap_or("").trim();
            return Err(TemplateError(format!(
                "Mẫu báo cáo, dòng {line}: as_of[\"{key}\"] không phải mã số liệu hay nhóm số liệu nào của kết quả \
                 tổng hợp (ví dụ as_of[\"csdlqg\"]){}.\n  {line}| {text}",
                suggestion(&key, report)
            )));
        }
    }
    Ok(())
}

/// One warning for each as-of key the template prints that no counted unit
/// dates this month: the sentence shows [`AS_OF_GAP`] there, rather than a
/// guessed date (the period's end is not it: the July seed's cumulative figures
/// are counted to 07/5/2024, its period ends 05/7/2024). Each names the template
/// lines and the units and sheets the key's figures come from.
pub fn as_of_gaps(report: &Report, template: &str) -> Vec<Finding> {
    let mut gaps: Vec<(String, Vec<usize>)> = Vec::new();
    for (line, key) in as_of_refs(template) {
        if report.as_of.contains_key(&key) || !is_as_of_key(report, &key) {
            continue;
        }
        match gaps.iter_mut().find(|(k, _)| *k == key) {
            Some((_, lines)) => lines.push(line),
            None => gaps.push((key, vec![line])),
        }
    }
    gaps.into_iter().map(|(key, lines)| as_of_gap(report, &key, &lines)).collect()
}

/// The warning for one undated as-of key.
fn as_of_gap(report: &Report, key: &str, lines: &[usize]) -> Finding {
    let under = |id: &str| id == key || id.strip_prefix(key).is_some_and(|rest| rest.starts_with('.'));
    // Where the key's figures come from: unit and sheet, each once, in unit order.
    let mut places: Vec<(u32, Location)> = Vec::new();
    for total in report.totals.by_id().filter(|t| under(&t.id)) {
        for r in &total.sources {
            let at = report.source(*r).location;
            let sheet = Location { cell: None, ..at.clone() };
            if !places.iter().any(|(u, l)| *u == r.unit && *l == sheet) {
                places.push((r.unit, sheet));
            }
        }
    }
    places.sort_by_key(|(u, _)| *u);
    let shown: Vec<String> = places
        .iter()
        .take(4)
        .map(|(u, l)| format!("{}: {l}", report.units[*u as usize].name))
        .chain((places.len() > 4).then(|| format!("và {} trang tính khác", places.len() - 4)))
        .collect();
    let why = if shown.is_empty() {
        "không đơn vị nào đã tổng hợp có các số liệu này".to_string()
    } else {
        format!("bảng tính đã tổng hợp ({}) không ghi “tính đến ngày …” cho các số liệu này", shown.join("; "))
    };
    let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
    let message = format!(
        "Mẫu báo cáo, dòng {}: để trống “{AS_OF_GAP}” ở ngày lũy kế của số liệu “{key}” vì {why}. Hãy ghi ngày vào \
         báo cáo trước khi gửi, hoặc đề nghị đơn vị ghi dòng “(Số liệu lũy kế tính đến ngày …)” trên trang tính \
         rồi chạy lại.",
        lines.join(", ")
    );
    let (unit, location) = match places.first() {
        Some((u, l)) => (Some(report.units[*u as usize].name.as_str()), l.clone()),
        None => (None, Location::default()),
    };
    Finding::new(Severity::Warning, FindingKind::AsOfMissing, location, message).unit(unit)
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

/// Split a notes file into its sections "I", "II", "III", "IV", "V".
///
/// A section starts at a line "# I" (anything may follow the numeral, e.g.
/// "# III. NHẬN XÉT ĐÁNH GIÁ") and runs to the next such line. Lines before
/// the first section and empty sections are ignored.
pub fn parse_notes(text: &str) -> Result<BTreeMap<String, String>, TemplateError> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# ") {
            let numeral: String = rest.trim().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !NOTE_SECTIONS.contains(&numeral.as_str()) {
                return Err(TemplateError(format!(
                    "Tệp ghi chú, dòng {}: \"{}\" không phải mục I, II, III, IV hay V (viết \"# III\" hoặc \"# III. NHẬN XÉT ĐÁNH GIÁ\").",
                    i + 1,
                    line.trim()
                )));
            }
            current = Some(numeral);
            continue;
        }
        if let Some(section) = &current {
            let body = out.entry(section.clone()).or_default();
            body.push_str(line);
            body.push('\n');
        }
    }
    out.retain(|_, body| {
        *body = body.trim().to_string();
        !body.is_empty()
    });
    Ok(out)
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

    #[test]
    fn notes_split_by_section() {
        let n = parse_notes("ignored\n# I. CÔNG TÁC\n## 1. A\nx\n# IV\n- y\n# V\n\n").unwrap();
        assert_eq!(n["I"], "## 1. A\nx");
        assert_eq!(n["IV"], "- y");
        assert!(!n.contains_key("V"));
        assert!(parse_notes("# VI\n").unwrap_err().to_string().contains("dòng 1"));
    }
}
