//! The report template: minijinja over a small Markdown-like text.
//!
//! The template names consolidated figures as `v["id"]` and prints them through
//! Vietnamese-style filters (`num`, `pct`, `pct_trim`, `pad2`, `date`). Undefined
//! names other than figures fail (strict mode) with their template line: those
//! are bugs of the template, and the run stops.
//!
//! One template serves configs that do not define every figure (issue 15): a
//! `v["id"]` the config does not define prints a [`mark::UNDEFINED`], and once
//! rendered the sentence holding it (its paragraph, as the markup reads it, but
//! not the notes' text that may continue it) is left out, with a
//! `sentence_omitted` warning naming the template line and the figure; the
//! report is not a draft for it (the config decided). [`omitted_sentences`] is
//! that list for a config alone (`baocao check-template`). Groups are named
//! through `grouped("figure")`: the groups the config's `[[aggregates]]` sum that
//! figure over, never by a literal group id.
//!
//! What the data and the notes leave open does not stop it: a figure without
//! value prints a [`mark::GAP`] naming it, and `note("III")` for a section the
//! notes do not give prints a [`mark::SLOT`]. Once rendered, each mark becomes a
//! highlighted "…" or "[Nội dung mục III: bổ sung trong ghi-chu.md]" and a
//! finding naming the figure by its label, or the section, with the template
//! line that printed it (from minijinja's output spans); a notes slot the
//! template never asks for is a finding too. The report is then a draft.
//!
//! `as_of["key"]` is the date cumulative figures are counted up to, as the
//! workbooks state it ([`Report::as_of`]): "07/5/2024". A key that names no
//! figure is a template error (a typo), unless its line names a figure the
//! config does not define: then it goes with its sentence. A key no counted unit
//! dates this month prints a highlighted "…" (never a guessed date), and
//! [`as_of_gaps`] gives the warning that says so.

use super::mark;
use super::notes::{Notes, is_slot_name};
use crate::model::{Document, Finding, FindingKind, Location, Report, Severity, date};
use crate::number::{fmt_num, fmt_pad2, fmt_pct, fmt_pct_trim};
use minijinja::value::{Enumerator, Object, ObjectExt, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, OutputSpan, UndefinedBehavior};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// What an as-of date no unit states prints as (highlighted in the DOCX).
pub const AS_OF_GAP: &str = "…";

/// Name under which the template is compiled (no auto-escaping for `.md`).
const TEMPLATE_NAME: &str = "bao-cao.md.j2";

/// An unusable template, with its line, in Vietnamese.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

/// The template rendered: the text the DOCX body is made of, and what it left
/// open (findings to add to the report before anything is written).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The report body in the markup's syntax, highlights included.
    pub text: String,
    /// One finding per figure printed as a gap and per section printed as a
    /// placeholder, in the order they appear; then one per notes slot the
    /// template has no place for.
    pub findings: Vec<Finding>,
}

/// Render `template` against the report; see [`super::render_text`].
pub fn render(report: &Report, doc: &Document, template: &str, notes: &Notes) -> Result<Rendered, TemplateError> {
    check_as_of_keys(template, report)?;
    let asked = Arc::new(Mutex::new(BTreeSet::new()));
    let undefined = Arc::new(Mutex::new(BTreeSet::new()));
    let env = environment(notes, &asked)?;
    let tmpl = env.template_from_named_str(TEMPLATE_NAME, template).map_err(|e| template_error(template, &e))?;
    let (raw, spans) =
        tmpl.render_with_spans(context(report, doc, &undefined)).map_err(|e| template_error(template, &e))?;
    let mut rendered = resolve_marks(&raw, &spans, report, notes);
    let undefined = undefined.lock().unwrap_or_else(|e| e.into_inner());
    rendered.findings.extend(unprinted_undefined(template, report, &rendered, &undefined));
    let asked = asked.lock().unwrap_or_else(|e| e.into_inner());
    rendered.findings.extend(unused_notes(notes, &asked));
    Ok(rendered)
}

/// The sentences of `template` a config cannot fill: rendered against `report`
/// (a run of that config, figures with or without values), one finding for
/// each sentence left out, naming its template lines and the figures the config
/// does not define. What `convert` warns of, before any workbook is read.
pub fn omitted_sentences(report: &Report, template: &str) -> Result<Vec<Finding>, TemplateError> {
    let rendered = render(report, &Document::default(), template, &Notes::none(super::NOTES_FILE))?;
    Ok(rendered.findings.into_iter().filter(|f| f.kind == FindingKind::SentenceOmitted).collect())
}

/// A figure the template names that prints no number: one the config does not
/// define (or an as-of key), whose sentence is left out ([`mark::UNDEFINED`]),
/// or one without value, printed as a highlighted gap ([`mark::GAP`]). It prints
/// as its mark with its id and is false in an `{% if %}`.
#[derive(Debug)]
struct Unprinted {
    mark: char,
    id: Arc<str>,
}

impl Unprinted {
    fn undefined(id: Arc<str>) -> Value {
        Value::from_object(Unprinted { mark: mark::UNDEFINED, id })
    }

    fn gap(id: Arc<str>) -> Value {
        Value::from_object(Unprinted { mark: mark::GAP, id })
    }

    fn mark(&self) -> String {
        format!("{}{}{}", self.mark, self.id, mark::END)
    }
}

impl Object for Unprinted {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        false
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.mark())
    }
}

/// `v`: the consolidated figures by id. An id the config does not define is an
/// [`Unprinted`] (and remembered, to say so even where nothing printed it).
#[derive(Debug)]
struct Figures {
    values: BTreeMap<String, Value>,
    undefined: Arc<Mutex<BTreeSet<String>>>,
}

impl Object for Figures {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        Some(self.values.get(key).cloned().unwrap_or_else(|| {
            self.undefined.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string());
            Unprinted::undefined(key.into())
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.values.keys().map(|k| Value::from(k.as_str()))))
    }
}

/// `note(name)` and `note(name, standing)`: the notes' text of a slot; when the
/// notes do not give it, the standing text, or (none given) a [`mark::SLOT`]
/// that becomes a highlighted placeholder. Every slot asked for is kept in `asked`.
fn note_function(
    notes: &Notes,
    asked: &Arc<Mutex<BTreeSet<String>>>,
) -> impl Fn(&str, Option<&str>) -> Result<String, Error> + Send + Sync + 'static {
    let texts: BTreeMap<String, String> =
        notes.slots().filter_map(|(name, _)| Some((name.to_string(), notes.text(name)?.to_string()))).collect();
    let asked = Arc::clone(asked);
    move |name: &str, standing: Option<&str>| {
        if !is_slot_name(name) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("note(\"{name}\"): không phải tên mục (I … V, hoặc một phần như II.1)"),
            ));
        }
        asked.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string());
        let text = match (texts.get(name), standing) {
            (Some(text), _) => text.clone(),
            (None, Some(standing)) => standing.to_string(),
            (None, None) => format!("{}{name}{}", mark::SLOT, mark::END),
        };
        // Marked as the notes' own: a sentence left out before it never takes it along.
        Ok(format!("{}{text}{}", mark::NOTE_OPEN, mark::NOTE_CLOSE))
    }
}

/// What a mark of the rendered text stands for.
#[derive(PartialEq, Eq)]
enum Open<'a> {
    /// A figure without value, by id.
    Gap(&'a str),
    /// A slot the notes do not give, by name.
    Slot(&'a str),
}

/// The rendered text with every mark resolved (a gap into a highlighted "…", a
/// slot into a highlighted placeholder), and a finding for each, naming the
/// template lines that printed it. A sentence printing a figure the config does
/// not define is left out first, with a finding of its own.
fn resolve_marks(raw: &str, spans: &[OutputSpan], report: &Report, notes: &Notes) -> Rendered {
    let (dropped, mut findings) = omitted(raw, spans, report);
    let mut text = String::with_capacity(raw.len());
    let mut open: Vec<(Open, Vec<usize>)> = Vec::new();
    let mut kept_from = 0;
    for range in dropped.iter().cloned().chain(std::iter::once(raw.len()..raw.len())) {
        resolve_part(raw, kept_from..range.start, spans, notes, &mut text, &mut open);
        kept_from = range.end;
    }
    findings.extend(open.iter().map(|(what, lines)| match what {
        Open::Gap(id) => gap_finding(report, id, lines),
        Open::Slot(name) => missing_note_finding(notes, name, lines),
    }));
    Rendered { text, findings }
}

/// The marks of `raw[part]` resolved into `text`, and the gaps and slots found in `open`.
fn resolve_part<'a>(
    raw: &'a str,
    part: std::ops::Range<usize>,
    spans: &[OutputSpan],
    notes: &Notes,
    text: &mut String,
    open: &mut Vec<(Open<'a>, Vec<usize>)>,
) {
    let mut at = part.start;
    let end_of_part = part.end;
    while let Some(found) = raw[at..end_of_part].find([mark::GAP, mark::SLOT, mark::NOTE_OPEN, mark::NOTE_CLOSE]) {
        let start = at + found;
        text.push_str(&raw[at..start]);
        let kind = raw[start..].chars().next().unwrap_or(mark::GAP);
        let after = start + kind.len_utf8();
        if kind == mark::NOTE_OPEN || kind == mark::NOTE_CLOSE {
            at = after;
            continue;
        }
        let Some(end) = raw[after..end_of_part].find(mark::END).map(|e| after + e) else {
            // Not one of ours: nothing of it is printed.
            at = after;
            continue;
        };
        let what = if kind == mark::SLOT { Open::Slot(&raw[after..end]) } else { Open::Gap(&raw[after..end]) };
        text.push_str(&mark::highlighted(&match what {
            Open::Gap(_) => "…".to_string(),
            Open::Slot(name) => placeholder(name, notes),
        }));
        let line = line_at(spans, start);
        match open.iter_mut().find(|(o, _)| *o == what) {
            Some((_, lines)) if !lines.contains(&line) => lines.push(line),
            Some(_) => {}
            None => open.push((what, vec![line])),
        }
        at = end + mark::END.len_utf8();
    }
    text.push_str(&raw[at..end_of_part]);
}

/// The byte ranges of `raw` to leave out: each sentence (paragraph of the
/// rendered text, as the markup reads it) that prints an [`mark::UNDEFINED`],
/// without the notes' text that may continue it; and a finding for each.
fn omitted(raw: &str, spans: &[OutputSpan], report: &Report) -> (Vec<std::ops::Range<usize>>, Vec<Finding>) {
    if !raw.contains(mark::UNDEFINED) {
        return (Vec::new(), Vec::new());
    }
    // Lines with their byte ranges, and whether each is the notes' text.
    let mut lines: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    let (mut pos, mut in_note) = (0, false);
    for line in raw.split_inclusive('\n') {
        let starts_in_note = in_note || line.starts_with(mark::NOTE_OPEN);
        for c in line.chars() {
            if c == mark::NOTE_OPEN {
                in_note = true;
            } else if c == mark::NOTE_CLOSE {
                in_note = false;
            }
        }
        lines.push((pos..pos + line.len(), starts_in_note));
        pos += line.len();
    }
    let plain = |r: &std::ops::Range<usize>| mark::strip(&raw[r.clone()]).trim().to_string();
    let starts_block = |r: &std::ops::Range<usize>| {
        let t = plain(r);
        t.is_empty() || t.starts_with("- ") || t.starts_with("+ ") || t.starts_with('#')
    };
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut findings = Vec::new();
    let mut at = 0;
    while let Some(found) = raw[at..].find(mark::UNDEFINED) {
        let start = at + found;
        at = start + mark::UNDEFINED.len_utf8();
        if ranges.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let i = lines.partition_point(|(r, _)| r.end <= start);
        let (mut first, mut last) = (i, i);
        // Back over the lines this one continues (never a heading: it is a block of its own).
        while first > 0 && !starts_block(&lines[first].0) && !lines[first - 1].1 && {
            let t = plain(&lines[first - 1].0);
            !t.is_empty() && !t.starts_with('#')
        } {
            first -= 1;
        }
        while last + 1 < lines.len() && !lines[last + 1].1 && !starts_block(&lines[last + 1].0) {
            last += 1;
        }
        let range = lines[first].0.start..lines[last].0.end;
        // Every figure the sentence names that the config does not define, and the lines printing them.
        let (mut ids, mut template_lines): (Vec<&str>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut rest = range.start;
        while let Some(f) = raw[rest..range.end].find(mark::UNDEFINED) {
            let s = rest + f + mark::UNDEFINED.len_utf8();
            let e = raw[s..range.end].find(mark::END).map_or(range.end, |e| s + e);
            if !ids.contains(&&raw[s..e]) {
                ids.push(&raw[s..e]);
            }
            let line = line_at(spans, rest + f);
            if !template_lines.contains(&line) {
                template_lines.push(line);
            }
            rest = e;
        }
        findings.push(omitted_finding(report, &sentence_text(&raw[range.clone()]), &ids, &template_lines));
        ranges.push(range);
    }
    ranges.sort_by_key(|r| r.start);
    (ranges, findings)
}

/// A sentence as a clerk would recognise it: marks taken out (a figure as “…”), cut at about 90 characters.
fn sentence_text(raw: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in raw.chars() {
        match c {
            mark::GAP | mark::SLOT | mark::UNDEFINED => {
                inside = true;
                out.push('…');
            }
            mark::END => inside = false,
            c if mark::is_mark(c) || inside => {}
            '*' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    match out.char_indices().nth(90) {
        Some((cut, _)) => format!("{} …", out[..cut].trim_end()),
        None => out,
    }
}

/// "Mẫu báo cáo, dòng 99: bỏ câu “…” vì cấu hình không khai báo số liệu “…”".
fn omitted_finding(report: &Report, sentence: &str, ids: &[&str], lines: &[usize]) -> Finding {
    let named: Vec<String> = ids.iter().map(|id| format!("“{id}”")).collect();
    let near: Vec<String> = ids.iter().map(|id| suggestion(id, report)).filter(|s| !s.is_empty()).collect();
    let message = format!(
        "Mẫu báo cáo, {}: bỏ câu “{sentence}” vì cấu hình không khai báo số liệu {}{}. Nếu địa phương có số liệu \
         này, hãy khai báo trong cấu hình (xem docs/cau-hinh.md); nếu không, có thể xóa câu khỏi mẫu báo cáo.",
        lines_text(lines),
        named.join(", "),
        near.first().map_or("", String::as_str)
    );
    Finding::new(Severity::Warning, FindingKind::SentenceOmitted, Location::default(), message)
}

/// A finding for each figure the template asked for that the config does not
/// define and that no sentence printed (asked in an `{% if %}`, say): the
/// text it guards is left out.
fn unprinted_undefined(
    template: &str,
    report: &Report,
    rendered: &Rendered,
    undefined: &BTreeSet<String>,
) -> Vec<Finding> {
    let said = |id: &str| {
        rendered
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::SentenceOmitted && f.message.contains(&format!("“{id}”")))
    };
    undefined
        .iter()
        .filter(|id| !said(id))
        .map(|id| {
            let lines: Vec<usize> =
                figure_refs(template).into_iter().filter(|(_, name)| name == id).map(|(line, _)| line).collect();
            let message = format!(
                "Mẫu báo cáo, {}: bỏ phần dùng số liệu “{id}” vì cấu hình không khai báo số liệu này{}.",
                if lines.is_empty() { "dòng ?".to_string() } else { lines_text(&lines) },
                suggestion(id, report)
            );
            Finding::new(Severity::Warning, FindingKind::SentenceOmitted, Location::default(), message)
        })
        .collect()
}

/// The template line that wrote the output at byte `at`.
fn line_at(spans: &[OutputSpan], at: usize) -> usize {
    let i = spans.partition_point(|s| s.output_range().end <= at);
    spans.get(i).map_or(0, |s| s.line())
}

/// "dòng 104" or "dòng 128, 130".
fn lines_text(lines: &[usize]) -> String {
    let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
    format!("dòng {}", lines.join(", "))
}

/// "Mẫu báo cáo, dòng 104: để trống “…” vì số liệu “…” không có giá trị (…)".
fn gap_finding(report: &Report, id: &str, lines: &[usize]) -> Finding {
    let label = report.totals.find(id).map_or(id, |at| report.total(at).label.as_str());
    let missing: Vec<&str> = report.units.iter().filter(|u| !u.status.is_counted()).map(|u| &*u.name).collect();
    let missing = match missing.len() {
        0 => String::new(),
        1..=5 => format!("; chưa tổng hợp: {}", missing.join(", ")),
        n => format!("; chưa tổng hợp {n} đơn vị: {}, …", missing[..5].join(", ")),
    };
    let message = format!(
        "Mẫu báo cáo, {}: để trống “…” vì số liệu “{label}” không có giá trị (không có trong bảng tính nào \
         đã tổng hợp, hoặc là tỷ lệ có mẫu số bằng 0{missing}).",
        lines_text(lines)
    );
    Finding::new(Severity::Warning, FindingKind::FigureGap, Location::default(), message)
}

/// What the report prints where the notes do not give a slot.
fn placeholder(name: &str, notes: &Notes) -> String {
    format!("[Nội dung mục {name}: bổ sung trong {}]", notes.file())
}

/// "Mục III của báo cáo chưa có nội dung (…)", about the notes file.
fn missing_note_finding(notes: &Notes, name: &str, lines: &[usize]) -> Finding {
    let file = notes.file();
    let (why, fix) = match notes.line(name) {
        _ if !notes.is_read() => (
            format!("chưa có tệp {file}"),
            format!("Tạo tệp {file} cạnh các bảng tính, viết nội dung của tháng dưới dòng “# {name}”, rồi chạy lại."),
        ),
        Some(line) => (
            format!("dòng {line} của {file} có “# {name}” nhưng không có nội dung dưới đó"),
            format!("Viết nội dung của tháng dưới dòng “# {name}” trong {file} rồi chạy lại."),
        ),
        None => (
            format!("{file} không có mục “# {name}”"),
            format!("Thêm dòng “# {name}” và nội dung của tháng vào {file} rồi chạy lại."),
        ),
    };
    let message = format!(
        "Mục {name} của báo cáo chưa có nội dung ({why}); báo cáo in “{}” (mẫu báo cáo, {}). {fix}",
        placeholder(name, notes),
        lines_text(lines)
    );
    Finding::new(Severity::Warning, FindingKind::NotesMissing, Location::file(file), message)
}

/// A finding for each slot of the notes the template never asked for: its text is not in the report.
fn unused_notes(notes: &Notes, asked: &BTreeSet<String>) -> Vec<Finding> {
    let places: Vec<&str> = asked.iter().map(String::as_str).collect();
    notes
        .slots()
        .filter(|(name, _)| !asked.contains(*name))
        .map(|(name, line)| {
            let message = format!(
                "Dòng {line}: mẫu báo cáo không có chỗ cho mục “{name}” (mẫu in các mục: {}); nội dung của mục \
                 này không có trong báo cáo.",
                places.join(", ")
            );
            Finding::new(Severity::Warning, FindingKind::NotesUnused, Location::file(notes.file()), message)
        })
        .collect()
}

/// A strict environment with the Vietnamese filters and block-friendly whitespace.
fn environment(notes: &Notes, asked: &Arc<Mutex<BTreeSet<String>>>) -> Result<Environment<'static>, TemplateError> {
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
    env.add_function("note", note_function(notes, asked));
    Ok(env)
}

/// A figure's value for the template: its number, or a gap ([`Unprinted`]).
fn figure_value(t: &crate::model::Total) -> Value {
    t.value.map_or_else(|| Unprinted::gap(t.id.clone()), Value::from)
}

/// `grouped("so_hoa.da_so_hoa")`: the groups the config sums that figure over
/// (`[[aggregates]]`), in `[[groups]]` order; each with its `id`, `name`,
/// `level`, `units` (how many units it expects) and `v`, the sums over the group
/// by the summed figure's id (`g.v["so_hoa.da_so_hoa"]`). A figure the config
/// does not sum over the group is [`Unprinted`] there, and its sentence is left
/// out. (The built-in template sorts them by `units`: a city's or district's
/// offices before its communes, as the report has always read.)
fn grouped_function(report: &Report) -> impl Fn(&str) -> Value + Send + Sync + 'static {
    type Sum = (String, Option<Value>);
    let groups: Vec<(String, String, String, usize, Vec<Sum>)> = report
        .groups
        .iter()
        .map(|g| {
            let sums = g
                .sums
                .iter()
                .map(|(of, id)| (of.clone(), report.totals.find(id).map(|at| figure_value(report.total(at)))))
                .collect();
            let units = report.units.iter().filter(|u| u.group == g.id).count();
            (g.id.clone(), g.name.clone(), g.level.clone(), units, sums)
        })
        .collect();
    move |figure: &str| {
        let found: Vec<Value> = groups
            .iter()
            .filter(|(.., sums)| sums.iter().any(|(of, v)| of == figure && v.is_some()))
            .map(|(id, name, level, units, sums)| {
                let values = sums.iter().filter_map(|(of, v)| Some((of.clone(), v.clone()?))).collect();
                let v = Figures { values, undefined: Arc::new(Mutex::new(BTreeSet::new())) };
                minijinja::context! { id => id, name => name, level => level, units => units, v => Value::from_object(v) }
            })
            .collect();
        Value::from(found)
    }
}

/// Everything the template can name.
fn context(report: &Report, doc: &Document, undefined: &Arc<Mutex<BTreeSet<String>>>) -> Value {
    let values: BTreeMap<String, Value> = report.totals.by_id().map(|t| (t.id.to_string(), figure_value(t))).collect();
    let v = Figures { values, undefined: Arc::clone(undefined) };
    let mut expected: BTreeMap<String, usize> = report.groups.iter().map(|g| (g.id.clone(), 0)).collect();
    let mut reported = expected.clone();
    for u in &report.units {
        *expected.entry(u.group.clone()).or_default() += 1;
        if u.status.is_counted() {
            *reported.entry(u.group.clone()).or_default() += 1;
        }
    }
    let groups: BTreeMap<String, String> = report.groups.iter().map(|g| (g.id.clone(), g.name.clone())).collect();
    let period = &report.period;
    minijinja::context! {
        v => Value::from_object(v),
        grouped => Value::from_function(grouped_function(report)),
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
        as_of => Value::from_object(AsOfDates {
            dates: report.as_of.iter().map(|(k, a)| (k.clone(), Value::from(a.short()))).collect(),
            keys: report.totals.by_id().flat_map(|t| [t.id.to_string(), t.id.split('.').next().unwrap_or("").to_string()]).collect(),
        }),
    }
}

/// `as_of`: the as-of date of each dated key ("07/5/2024"); a key of the
/// config's figures that no unit dates is [`AS_OF_GAP`]; a key naming no figure
/// of the config is [`Unprinted`], and its sentence is left out.
#[derive(Debug)]
struct AsOfDates {
    dates: BTreeMap<String, Value>,
    /// Every key that may be named: the figures' ids and their first parts.
    keys: BTreeSet<String>,
}

impl Object for AsOfDates {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        Some(match self.dates.get(key) {
            Some(date) => date.clone(),
            None if self.keys.contains(key) => Value::from(mark::highlighted(AS_OF_GAP)),
            None => Unprinted::undefined(format!("as_of[\"{key}\"]").into()),
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| Box::new(this.dates.keys().map(|k| Value::from(k.as_str()))))
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

/// Whether `key` may be named in `as_of`: a figure's id, or the first part of one.
fn is_as_of_key(report: &Report, key: &str) -> bool {
    report.totals.contains(key) || report.totals.by_id().any(|t| t.id.split('.').next() == Some(key))
}

/// Fail before rendering when the template names an as-of key that names no
/// figure, on a line whose figures the config all defines: a typo of the
/// template. On a line that names a figure the config does not define, the
/// sentence is left out with it (the config has none of those figures).
fn check_as_of_keys(template: &str, report: &Report) -> Result<(), TemplateError> {
    let undefined_lines: BTreeSet<usize> =
        figure_refs(template).into_iter().filter(|(_, id)| !report.totals.contains(id)).map(|(line, _)| line).collect();
    for (line, key) in as_of_refs(template) {
        if !is_as_of_key(report, &key) && !undefined_lines.contains(&line) {
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
    // Named as a clerk knows them: by the sheets their labels begin with, not the key.
    let mut sheets: Vec<&str> = Vec::new();
    for total in report.totals.by_id().filter(|t| under(&t.id)) {
        // Unit figures are labelled "Sheet › item"; ratios and group sums are not a sheet's.
        let Some((sheet, _)) = total.label.split_once(" › ") else { continue };
        if !sheets.contains(&sheet) {
            sheets.push(sheet);
        }
    }
    let named = if sheets.is_empty() { key.to_string() } else { sheets.join("”, “") };
    let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
    let message = format!(
        "Mẫu báo cáo, dòng {}: để trống “{AS_OF_GAP}” ở ngày lũy kế của số liệu “{named}” vì {why}. Hãy ghi ngày vào \
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

/// A figure as a filter prints it: `fmt` of its number, or the gap mark of a
/// figure without value; anything else that is not a number is a template error.
fn print(value: &Value, fmt: fn(f64) -> String) -> Result<String, Error> {
    match value.downcast_object_ref::<Unprinted>() {
        Some(unprinted) => Ok(unprinted.mark()),
        None => number_arg(value).map(fmt),
    }
}

/// The number a filter was given, or an error naming what was wrong.
fn number_arg(value: &Value) -> Result<f64, Error> {
    if value.is_undefined() {
        return Err(Error::new(ErrorKind::UndefinedError, "số liệu không có"));
    }
    if value.is_none() {
        return Err(Error::new(ErrorKind::InvalidOperation, "giá trị trống (none) không phải là số"));
    }
    f64::try_from(value.clone())
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("\"{value}\" không phải là số")))
}

/// `num`: 1584779000 -> "1.584.779.000".
fn filter_num(value: Value) -> Result<String, Error> {
    print(&value, fmt_num)
}

/// `pct`: 45.92 -> "45,92%", 1.9 -> "1,90%".
fn filter_pct(value: Value) -> Result<String, Error> {
    print(&value, fmt_pct)
}

/// `pct_trim`: 89.6 -> "89,6%", 100 -> "100%".
fn filter_pct_trim(value: Value) -> Result<String, Error> {
    print(&value, fmt_pct_trim)
}

/// `pad2`: 5 -> "05", 2781 -> "2.781".
fn filter_pad2(value: Value) -> Result<String, Error> {
    print(&value, fmt_pad2)
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

    /// A report holding only these figures.
    fn report_of(figures: &[(&str, Option<f64>)]) -> Report {
        let mut totals = crate::model::Totals::default();
        for (id, value) in figures {
            let label = format!("Nhãn của {id}");
            totals.insert(crate::model::Total { id: (*id).into(), label, value: *value, ..Default::default() });
        }
        Report {
            period: Default::default(),
            groups: Vec::new(),
            units: Vec::new(),
            skipped: Vec::new(),
            totals,
            tables: Vec::new(),
            lists: Vec::new(),
            findings: Vec::new(),
            previous: None,
            as_of: Default::default(),
        }
    }

    #[test]
    fn gaps_name_each_figure_once_with_every_line_that_printed_it() {
        let report = report_of(&[("a.x", None), ("a.y", Some(5.0)), ("a.z", None)]);
        let t = "{{ v['a.y']|pad2 }} {{ v['a.x']|num }}\n{% if v['a.x'] %}có{% else %}không{% endif %}\n\
                 {{ v['a.z']|pct }} {{ v['a.x']|pad2 }} {{ v['a.x'] }}\n";
        let r = render(&report, &Document::default(), t, &Notes::none("ghi-chu.md")).unwrap();
        let gap = mark::highlighted("…");
        // trim_blocks takes the newline after a block tag.
        assert_eq!(r.text, format!("05 {gap}\nkhông{gap} {gap} {gap}"));
        let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:#?}");
        assert!(messages[0].starts_with("Mẫu báo cáo, dòng 1, 3: ") && messages[0].contains("“Nhãn của a.x”"));
        assert!(messages[1].starts_with("Mẫu báo cáo, dòng 3: ") && messages[1].contains("“Nhãn của a.z”"));
        assert!(r.findings.iter().all(|f| f.kind == FindingKind::FigureGap && f.severity == Severity::Warning));
    }

    #[test]
    fn an_undefined_figure_leaves_out_its_sentence_but_not_the_notes_that_continue_it() {
        let report = report_of(&[("a.x", Some(1.0))]);
        let notes = Notes::parse("ghi-chu.md", "# II.1\nLễ trao thẻ ngày 06/7.\n\n- Ý riêng.\n").unwrap();
        let t = "## 1. Tuyên truyền\n\n- Đăng {{ v['a.x']|pad2 }} tin.\n\n- Thu hút {{ v['a.khong'] }} lượt đến {{ as_of['khong'] }},\n\
                 tương tác nhiều.\n{{ note('II.1', '') }}\n\n- Kết.\n";
        let r = render(&report, &Document::default(), t, &notes).unwrap();
        assert_eq!(r.text, "## 1. Tuyên truyền\n\n- Đăng 01 tin.\n\nLễ trao thẻ ngày 06/7.\n\n- Ý riêng.\n\n- Kết.");
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        let m = &r.findings[0].message;
        assert!(m.starts_with("Mẫu báo cáo, dòng 5: bỏ câu “- Thu hút … lượt đến …, tương tác nhiều.”"), "{m}");
        assert!(m.contains("“a.khong”, “as_of[\"khong\"]”") && m.contains("(có: a.x)"), "{m}");
    }

    #[test]
    fn an_undefined_figure_in_a_condition_is_said_with_its_line() {
        let report = report_of(&[("a.x", Some(1.0))]);
        let t = "Đầu.\n{% if v['a.khong'] %}\nCó {{ v['a.x'] }}.\n{% endif %}\nCuối.\n";
        let r = render(&report, &Document::default(), t, &Notes::none("ghi-chu.md")).unwrap();
        assert_eq!(r.text, "Đầu.\nCuối.");
        assert_eq!(r.findings.len(), 1);
        assert!(r.findings[0].message.starts_with("Mẫu báo cáo, dòng 2: bỏ phần dùng số liệu “a.khong”"));
        assert_eq!(r.findings[0].kind, FindingKind::SentenceOmitted);
    }

    #[test]
    fn an_as_of_typo_on_a_line_of_defined_figures_fails() {
        let report = report_of(&[("csdlqg.a", Some(1.0))]);
        let t = "Tính đến {{ as_of['csdlgq'] }}: {{ v['csdlqg.a'] }}.\n";
        let e = render(&report, &Document::default(), t, &Notes::none("ghi-chu.md")).unwrap_err().to_string();
        assert!(e.starts_with("Mẫu báo cáo, dòng 1: as_of[\"csdlgq\"]"), "{e}");
    }

    #[test]
    fn grouped_gives_the_groups_a_figure_is_summed_over_with_their_level() {
        let mut report = report_of(&[
            ("s.da", Some(1.0)),
            ("s.xa.da", Some(3.0)),
            ("s.xa.tong", Some(4.0)),
            ("s.huyen.da", Some(7.0)),
            ("s.huyen.tong", Some(8.0)),
            ("s.thieu.da", Some(5.0)),
        ]);
        let group = |id: &str, level: &str, sums: &[(&str, &str)]| crate::model::Group {
            id: id.into(),
            name: format!("các đơn vị {id}"),
            level: level.into(),
            sums: sums.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        };
        report.groups = vec![
            group("xa", "xã, thị trấn", &[("s.da", "s.xa.da"), ("s.tong", "s.xa.tong")]),
            group("huyen", "huyện", &[("s.da", "s.huyen.da"), ("s.tong", "s.huyen.tong")]),
            group("thieu", "thiếu", &[("s.da", "s.thieu.da")]),
            group("khac", "khác", &[]),
        ];
        let unit = |name: &str, group: &str| crate::model::UnitResult {
            name: name.into(),
            group: group.into(),
            status: crate::model::UnitStatus::Counted,
            files: Vec::new(),
            missing: Vec::new(),
            figures: Vec::new(),
            as_of: Vec::new(),
        };
        report.units = vec![unit("A", "xa"), unit("B", "xa"), unit("C", "huyen")];
        let t = "{% for g in grouped('s.da') %}\n+ {{ g.level }} ({{ g.units }}): {{ g.v['s.da']|num }}/{{ g.v['s.tong']|num }}\n{% endfor %}\n\n\
                 {% for g in grouped('s.da')|sort(attribute='units') %}{{ g.id }} {% endfor %}";
        let r = render(&report, &Document::default(), t, &Notes::none("ghi-chu.md")).unwrap();
        // In [[groups]] order; sorted by units, the district's offices come first.
        assert_eq!(r.text, "+ xã, thị trấn (2): 3/4\n+ huyện (1): 7/8\n\nthieu huyen xa ");
        // The group the config sums one figure over, not the other: its sentence is left out, said.
        assert_eq!(r.findings.len(), 1);
        assert!(
            r.findings[0].message.contains("bỏ câu “+ thiếu (0): 5/…”") && r.findings[0].message.contains("“s.tong”")
        );
    }

    #[test]
    fn the_date_filter_spells_dates_in_words() {
        assert_eq!(filter_date(Value::from("12/07/2024")).unwrap(), "ngày 12 tháng 7 năm 2024");
        assert_eq!(filter_date(Value::from("")).unwrap(), "ngày     tháng     năm     ");
        assert!(filter_date(Value::from("31/02/2024")).is_err());
    }
}
