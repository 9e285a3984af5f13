//! The small Markdown-like text the template renders to, parsed into blocks.
//!
//! - `# I. HEADING`: a section heading (bold capitals as written);
//! - `## 1. Clause`, `### 2.1. Item`: clause headings (bold);
//! - `- text`, `+ text`: list paragraphs, printed with their marker like the seed;
//! - any other line: paragraph text; consecutive lines join into one paragraph,
//!   a blank line ends it;
//! - inline `**bold**`, `*italic*`, and `\*` for a literal asterisk;
//! - highlighted runs between [`mark::HIGHLIGHT_OPEN`] and [`mark::HIGHLIGHT_CLOSE`],
//!   which only the renderer writes (a placeholder, a gap "…").

use super::mark;

/// What a block is, which decides its paragraph style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `# I. ...`
    Section,
    /// `## 1. ...`
    Clause,
    /// `### 2.1. ...`
    Item,
    /// Body text, list lines included.
    Body,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Marked for a person to fill in (yellow).
    pub highlight: bool,
}

/// One paragraph of the report body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    pub spans: Vec<Span>,
}

impl Block {
    /// The paragraph's plain text.
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Parse rendered template text into paragraphs.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<String> = None;
    let flush = |open: &mut Option<String>, blocks: &mut Vec<Block>| {
        if let Some(p) = open.take() {
            blocks.push(Block { kind: Kind::Body, spans: spans(p.trim()) });
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut open, &mut blocks);
            continue;
        }
        if let Some((kind, rest)) = heading(line) {
            flush(&mut open, &mut blocks);
            blocks.push(Block { kind, spans: spans(rest) });
            continue;
        }
        if line.starts_with("- ") || line.starts_with("+ ") {
            flush(&mut open, &mut blocks);
            open = Some(line.to_string());
            continue;
        }
        match &mut open {
            Some(p) => {
                p.push(' ');
                p.push_str(line);
            }
            None => open = Some(line.to_string()),
        }
    }
    flush(&mut open, &mut blocks);
    blocks
}

/// A heading line's kind and text, or None for other lines.
fn heading(line: &str) -> Option<(Kind, &str)> {
    if let Some(rest) = line.strip_prefix("### ") {
        Some((Kind::Item, rest.trim()))
    } else if let Some(rest) = line.strip_prefix("## ") {
        Some((Kind::Clause, rest.trim()))
    } else {
        line.strip_prefix("# ").map(|rest| (Kind::Section, rest.trim()))
    }
}

/// Split inline `**bold**`, `*italic*` and highlight markup into styled spans.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut look = (false, false, false);
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let push = |out: &mut Vec<Span>, cur: &mut String, (bold, italic, highlight): (bool, bool, bool)| {
        if !cur.is_empty() {
            out.push(Span { text: std::mem::take(cur), bold, italic, highlight });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                cur.push('*');
                chars.next();
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                push(&mut out, &mut cur, look);
                look.0 = !look.0;
            }
            '*' => {
                push(&mut out, &mut cur, look);
                look.1 = !look.1;
            }
            mark::HIGHLIGHT_OPEN | mark::HIGHLIGHT_CLOSE => {
                push(&mut out, &mut cur, look);
                look.2 = c == mark::HIGHLIGHT_OPEN;
            }
            c if mark::is_mark(c) => {}
            _ => cur.push(c),
        }
    }
    push(&mut out, &mut cur, look);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_joining() {
        let b = parse("# I. A\n\n## 1. B\nline one\nline two\n- item\n+ sub\n\n### 2.1. C\n");
        let kinds: Vec<Kind> = b.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![Kind::Section, Kind::Clause, Kind::Body, Kind::Body, Kind::Body, Kind::Item]);
        assert_eq!(b[2].text(), "line one line two");
        assert_eq!(b[3].text(), "- item");
    }

    #[test]
    fn inline_styles() {
        let s = spans("a **05** b (*02 x*) \\*");
        assert_eq!(s.len(), 5);
        assert!(s[1].bold && s[1].text == "05");
        assert!(s[3].italic && s[3].text == "02 x");
        assert_eq!(s[4].text, ") *");
    }

    #[test]
    fn highlighted_runs_keep_the_styles_around_them() {
        let s = spans(&format!("Rà soát **{}** trường hợp", mark::highlighted("…")));
        let texts: Vec<(&str, bool, bool)> = s.iter().map(|s| (s.text.as_str(), s.bold, s.highlight)).collect();
        assert_eq!(texts, [("Rà soát ", false, false), ("…", true, true), (" trường hợp", false, false)]);
        assert_eq!(spans("a\u{E010}b").len(), 1, "a stray mark is dropped, never printed");
    }
}
