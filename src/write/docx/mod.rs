//! The DOCX report (issue 4): the official monthly report under Decree 30/2020/NĐ-CP.
//!
//! The wording comes from a template the city edits (`templates/bao-cao.md.j2`,
//! minijinja over a small Markdown-like text, see [`template`] and [`markup`]); the
//! figures come from the run. The document itself is generated from code with
//! docx-rs: A4 portrait body (header block, title, body, recipients and signature)
//! and one landscape section per appendix table, each numbered from 1.

mod appendix;
mod front;
mod mark;
mod markup;
mod notes;
mod package;
mod schema;
mod style;
mod template;

use crate::model::{Document, Report, date};
use docx_rs::{
    AlignmentType, Docx, FieldCharType, Header, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    PageNumType, PageOrientationType, PageSize, Paragraph, Run, SectionProperty, Table,
};
use markup::{Block, Kind};
use style::{BLACK, BODY, Look, body_para, fonts, mm, run};

/// A4 in twips (portrait).
const A4_W: u32 = 11906;
const A4_H: u32 = 16838;

pub use notes::{NOTES_FILE, Notes, NotesError, SECTIONS};
pub use template::{AS_OF_GAP, Rendered, TemplateError, as_of_gaps, as_of_refs, figure_refs, omitted_sentences};

/// Why the report could not be built (its template was rendered before, by [`render_text`]).
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs or the zip writer failed.
    #[error("Không tạo được tệp DOCX: {0}")]
    Package(String),
}

/// Render the template against the report: the body's text, and the findings of
/// what it leaves open (figures printed as a gap "…"), which belong in the report
/// before anything is written ([`docx_bytes`] reads them for its draft banner).
///
/// Fails, before anything is written, only for a template that cannot be used:
/// its syntax, a name it does not know (with the line). A sentence naming a
/// `v["id"]` the config does not define is left out, with a warning.
pub fn render_text(report: &Report, doc: &Document, template: &str, notes: &Notes) -> Result<Rendered, TemplateError> {
    template::render(report, doc, template, notes)
}

/// The whole report as DOCX bytes, its body the `text` [`render_text`] made; a
/// draft ([`Report::is_draft`]) says so on top of page 1. The same inputs give
/// the same bytes.
pub fn docx_bytes(report: &Report, doc: &Document, text: &str) -> Result<Vec<u8>, DocxError> {
    if let Some(what) = report.non_finite() {
        return Err(DocxError::Package(format!("số liệu \"{what}\" không phải số hữu hạn")));
    }
    let mut parts = vec![Part { children: body(report, doc, text), landscape: false, restart: false }];
    let tables: Vec<_> = report.appendix_tables().collect();
    for (i, t) in tables.iter().enumerate() {
        let children = appendix::appendix(report, doc, t, i, tables.len());
        parts.push(Part { children, landscape: true, restart: true });
    }
    let (docx, header_rows) = assemble(parts, &timestamp(report, doc));
    let mut packed = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut packed).map_err(|e| DocxError::Package(e.to_string()))?;
    let meta = package::Meta {
        title: doc.summary.trim().to_owned(),
        creator: doc.issuing_body.join(" "),
        date: timestamp(report, doc),
    };
    package::normalize(&packed.into_inner(), &header_rows, &meta).map_err(|e| DocxError::Package(e.to_string()))
}

/// A paragraph or a table of the document body.
pub enum Child {
    /// A paragraph.
    P(Box<Paragraph>),
    /// A table, and how many of its first rows are a header to repeat on every
    /// page it runs onto (docx-rs cannot say so; [`package`] marks them).
    T(Box<Table>, usize),
}

impl Child {
    /// A paragraph child.
    pub fn p(p: Paragraph) -> Self {
        Child::P(Box::new(p))
    }

    /// A table child with no header rows to repeat.
    pub fn t(t: Table) -> Self {
        Child::T(Box::new(t), 0)
    }
}

/// A run of content with its own page setup (one DOCX section).
struct Part {
    children: Vec<Child>,
    landscape: bool,
    /// Number pages from 1 again (each appendix is numbered separately).
    restart: bool,
}

/// Page 1 to the signature: draft warning, header block, title, template body, signature.
fn body(report: &Report, doc: &Document, text: &str) -> Vec<Child> {
    let mut out = Vec::new();
    let draft = report.draft();
    if draft.is_draft() {
        out.push(Child::p(front::draft_banner(&draft)));
    }
    out.push(Child::t(front::header_table(doc, report.period.month, report.period.year)));
    out.extend(front::title(doc).into_iter().map(Child::p));
    let blocks = markup::parse(text);
    for (i, b) in blocks.iter().enumerate() {
        let p = block_paragraph(b);
        // The closing paragraph stays on the signature's page.
        out.push(Child::p(if i + 1 == blocks.len() { p.keep_next(true).keep_lines(true) } else { p }));
    }
    out.push(Child::t(front::signature_table(doc)));
    out
}

/// One template block as a body paragraph: headings bold and kept with the next.
fn block_paragraph(block: &Block) -> Paragraph {
    let heading = block.kind != Kind::Body;
    let mut p = body_para();
    if heading {
        p = p.keep_next(true);
    }
    for s in &block.spans {
        let mut look = Look::new(BODY / 2);
        look.bold = heading || s.bold;
        look.italic = s.italic;
        look.highlight = s.highlight;
        p = p.add_run(run(&s.text, look));
    }
    p
}

/// Relationship ids of the two header parts every section shares: the page number,
/// and the empty header of each section's first page. docx-rs names them in the
/// order [`Docx::header`] and [`Docx::first_header`] are called, first thing in
/// [`assemble`].
const PAGE_HEADER_RID: &str = "rIdHeader1";
const FIRST_HEADER_RID: &str = "rIdHeader2";

/// Build the document. Every part but the last ends with a section-break paragraph
/// whose section properties point at the shared header parts (docx-rs's `Section`
/// keeps only one header per section); the last part uses the document's own.
///
/// Also gives, for each table in document order, its header rows to repeat.
fn assemble(parts: Vec<Part>, stamp: &str) -> (Docx, Vec<usize>) {
    let mut header_rows = Vec::new();
    let mut docx = Docx::new()
        .default_fonts(fonts())
        .default_size(BODY)
        .created_at(stamp)
        .updated_at(stamp)
        .header(page_header())
        .first_header(empty_header());
    let count = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        let last = i + 1 == count;
        let (landscape, restart) = (part.landscape, part.restart);
        for c in part.children {
            docx = match c {
                Child::P(p) => docx.add_paragraph(*p),
                Child::T(t, rows) => {
                    header_rows.push(rows);
                    docx.add_table(*t)
                }
            };
        }
        if last {
            let (w, h) = if landscape { (A4_H, A4_W) } else { (A4_W, A4_H) };
            docx = docx.page_size(w, h).page_margin(page_margin());
            if landscape {
                docx = docx.page_orient(PageOrientationType::Landscape);
            }
            if restart {
                docx = docx.page_num_type(PageNumType::new().start(1));
            }
        } else {
            docx = docx.add_paragraph(section_break(landscape, restart));
        }
    }
    (docx, header_rows)
}

/// The empty paragraph that ends a section and carries its page setup.
fn section_break(landscape: bool, restart: bool) -> Paragraph {
    let mut sp = SectionProperty::new()
        .page_size(page_size(landscape))
        .page_margin(page_margin())
        .header(Header::new(), PAGE_HEADER_RID)
        .first_header(Header::new(), FIRST_HEADER_RID);
    if restart {
        sp = sp.page_num_type(PageNumType::new().start(1));
    }
    Paragraph::new()
        .size(2)
        .line_spacing(LineSpacing::new().before(0).after(0).line(40).line_rule(LineSpacingType::Exact))
        .section_property(sp)
}

/// A4, portrait or landscape.
fn page_size(landscape: bool) -> PageSize {
    if landscape {
        PageSize::new().size(A4_H, A4_W).orient(PageOrientationType::Landscape)
    } else {
        PageSize::new().size(A4_W, A4_H)
    }
}

/// Top 20, bottom 20, left 30, right 15 mm; header 10 mm from the edge.
fn page_margin() -> PageMargin {
    PageMargin {
        top: mm(20.0),
        bottom: mm(20.0),
        left: mm(30.0),
        right: mm(15.0),
        header: mm(10.0),
        footer: mm(10.0),
        gutter: 0,
    }
}

/// The page number, centred at the top: a PAGE field with a cached result.
fn page_header() -> Header {
    let field = Run::new()
        .fonts(fonts())
        .size(BODY)
        .color(BLACK)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("2")
        .add_field_char(FieldCharType::End, false);
    Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(field))
}

/// The first page's header: empty, so page 1 shows no number.
fn empty_header() -> Header {
    Header::new().add_paragraph(Paragraph::new())
}

/// Creation time of the document, from its signing date (or the period's end), so
/// the same inputs give the same bytes.
fn timestamp(report: &Report, doc: &Document) -> String {
    let d = doc.date().or_else(|| date::parse(&report.period.to)).unwrap_or(date::Date::constant(2000, 1, 1));
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year(), d.month(), d.day())
}
