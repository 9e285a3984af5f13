//! The notes file (`ghi-chu.md` beside the workbooks): what people write each
//! month, split into the slots of the report the template prints it in.
//!
//! A slot starts at a heading line `# NAME` and runs to the next one. `NAME` is
//! one of the report's five sections `I` … `V`, or a part of one, numbered as
//! the report numbers its clauses (`II.1`, `II.2.3`); a title may follow it
//! (`# III. NHẬN XÉT ĐÁNH GIÁ`, `# II.1. Tuyên truyền`). Inside a slot, `## ` and
//! `### ` lines are the report's clause headings and everything else is text in
//! the template's syntax. Lines before the first slot are the clerk's own and are
//! not printed.
//!
//! Which slots the report prints, and where, is the template's business
//! (`note("III")`); a heading this parser cannot place (`#III.` without a space,
//! `# 3.`, `# VI`, a slot given twice) is an error with its line, never dropped.

use super::mark;
use std::collections::BTreeMap;

/// The notes file looked for beside the workbooks.
pub const NOTES_FILE: &str = "ghi-chu.md";

/// The report's sections, the first part of every slot name.
pub const SECTIONS: [&str; 5] = ["I", "II", "III", "IV", "V"];

/// A notes file that cannot be used, with its line, in Vietnamese.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotesError(String);

/// A parsed notes file: the text of each slot, with the line of its heading.
#[derive(Debug, Clone)]
pub struct Notes {
    file: String,
    /// Whether a notes file was read (not [`Notes::none`]).
    read: bool,
    slots: BTreeMap<String, Slot>,
}

/// One slot of the notes file.
#[derive(Debug, Clone)]
struct Slot {
    /// 1-based line of its heading.
    line: usize,
    /// Its text, trimmed; empty when the heading has nothing under it.
    text: String,
}

impl Notes {
    /// No notes: every slot is absent. `file` is the notes file the report
    /// tells people to write (its placeholders say "bổ sung trong {file}").
    pub fn none(file: &str) -> Self {
        Notes { file: file.to_string(), read: false, slots: BTreeMap::new() }
    }

    /// Parse the notes file named `file` (its name only, for messages).
    pub fn parse(file: &str, text: &str) -> Result<Self, NotesError> {
        let mut notes = Notes { read: true, ..Notes::none(file) };
        let mut current: Option<(String, Vec<&str>)> = None;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            match heading(line).map_err(|why| notes.error(n, line, &why))? {
                Some(name) => {
                    if let Some((name, body)) = current.take() {
                        notes.close(name, &body);
                    }
                    if let Some(first) = notes.slots.get(&name) {
                        let why = format!("mục “{name}” đã có ở dòng {}; gộp hai phần vào một mục", first.line);
                        return Err(notes.error(n, line, &why));
                    }
                    notes.slots.insert(name.clone(), Slot { line: n, text: String::new() });
                    current = Some((name, Vec::new()));
                }
                None => {
                    if let Some((_, body)) = &mut current {
                        body.push(line);
                    }
                }
            }
        }
        if let Some((name, body)) = current.take() {
            notes.close(name, &body);
        }
        Ok(notes)
    }

    /// The file's name, as messages and placeholders give it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Whether a notes file was read (false for [`Notes::none`]).
    pub fn is_read(&self) -> bool {
        self.read
    }

    /// The text of a slot; None when the notes do not give it or give only its heading.
    pub fn text(&self, slot: &str) -> Option<&str> {
        self.slots.get(slot).map(|s| s.text.as_str()).filter(|t| !t.is_empty())
    }

    /// The line of a slot's heading, when the notes have one (even with no text under it).
    pub fn line(&self, slot: &str) -> Option<usize> {
        self.slots.get(slot).map(|s| s.line)
    }

    /// Every slot the notes give a heading for, with that line, in name order.
    pub fn slots(&self) -> impl Iterator<Item = (&str, usize)> {
        self.slots.iter().map(|(name, s)| (name.as_str(), s.line))
    }

    /// Store a slot's body, trimmed and without baocao's own marks.
    fn close(&mut self, name: String, body: &[&str]) {
        if let Some(slot) = self.slots.get_mut(&name) {
            slot.text = mark::strip(body.join("\n").trim());
        }
    }

    /// "Tệp ghi chú ghi-chu.md, dòng 3: “#III.”: why."
    fn error(&self, line: usize, text: &str, why: &str) -> NotesError {
        NotesError(format!("Tệp ghi chú {}, dòng {line}: “{}”: {why}.", self.file, text.trim()))
    }
}

/// Whether a line is a slot heading (its name), another line (None), or a
/// heading that cannot be placed (why, in Vietnamese).
fn heading(line: &str) -> Result<Option<String>, String> {
    let t = line.trim_start();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if hashes == 0 {
        return Ok(None);
    }
    let rest = &t[hashes..];
    let spaced = rest.starts_with(char::is_whitespace);
    let marks = &t[..hashes];
    match hashes {
        1 if spaced => slot_name(rest.trim()).map(Some),
        1 => Err(format!(
            "thiếu dấu cách sau “#” (viết “# {}”)",
            if rest.trim().is_empty() { "III. NHẬN XÉT ĐÁNH GIÁ" } else { rest.trim_end() }
        )),
        2 | 3 if spaced && !rest.trim().is_empty() => Ok(None),
        2 | 3 if spaced => Err(format!("tiêu đề “{marks}” không có chữ")),
        2 | 3 => Err(format!("thiếu dấu cách sau “{marks}” (viết “{marks} {}”)", rest.trim_end())),
        _ => Err(format!(
            "“{marks}” không phải tiêu đề: “# ” mở một mục (I … V, II.1), “## ” và “### ” là tiêu đề trong mục"
        )),
    }
}

/// Whether `name` is a slot name: a section `I` … `V`, then numbered parts (`II.2.1`).
pub fn is_slot_name(name: &str) -> bool {
    let mut parts = name.split('.');
    let section = parts.next().unwrap_or("");
    SECTIONS.contains(&section) && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// The slot a `# ` heading names: its first word, without a final '.' or ':'.
fn slot_name(words: &str) -> Result<String, String> {
    let first = words.split_whitespace().next().unwrap_or("");
    let name = first.trim_end_matches(['.', ':']).to_ascii_uppercase();
    if is_slot_name(&name) {
        Ok(name)
    } else {
        Err("không phải mục của báo cáo: viết “# I”, “# II”, “# III”, “# IV”, “# V” (có thể kèm tên mục, \
             như “# III. NHẬN XÉT ĐÁNH GIÁ”), hoặc “# II.1” cho một phần của mục II"
            .to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Notes::parse(NOTES_FILE, text).unwrap_err().to_string()
    }

    #[test]
    fn slots_split_by_heading_with_or_without_a_title() {
        let n = Notes::parse(
            NOTES_FILE,
            "\u{feff}Ghi chú riêng\n# I. CÔNG TÁC\n## 1. A\nx\n\n# ii.1. Tuyên truyền\ny\n# IV\n- z\r\n# V\n\n",
        )
        .unwrap();
        assert_eq!(n.text("I"), Some("## 1. A\nx"));
        assert_eq!(n.text("II.1"), Some("y"));
        assert_eq!(n.text("IV"), Some("- z"));
        assert_eq!(n.text("V"), None, "a heading with nothing under it gives no text");
        assert_eq!(n.line("V"), Some(10));
        assert_eq!(n.text("III"), None);
        let slots: Vec<(&str, usize)> = n.slots().collect();
        assert_eq!(slots, [("I", 2), ("II.1", 6), ("IV", 8), ("V", 10)]);
        assert_eq!(n.file(), "ghi-chu.md");
    }

    #[test]
    fn text_before_the_first_slot_is_not_a_slot() {
        let n = Notes::parse(NOTES_FILE, "tháng 8\n\n## 1. Không thuộc mục nào\n").unwrap();
        assert_eq!(n.slots().count(), 0);
    }

    #[test]
    fn malformed_headings_are_errors_with_their_line() {
        let e = err("# I\nx\n#III.\ny\n");
        assert!(e.contains("ghi-chu.md, dòng 3") && e.contains("“#III.”") && e.contains("thiếu dấu cách"), "{e}");
        assert!(e.contains("“# III.”"), "the fix is spelled out: {e}");
        let e = err("#IV\n");
        assert!(e.contains("dòng 1") && e.contains("“# IV”"), "{e}");
        let e = err("# I\n\n# 3. Nhận xét\n");
        assert!(e.contains("dòng 3") && e.contains("không phải mục"), "{e}");
        assert!(err("# VII\nx").contains("dòng 1"));
        assert!(err("# II.a\n").contains("không phải mục"));
        assert!(err("# II..1\n").contains("không phải mục"));
        assert!(err("#\n").contains("thiếu dấu cách"));
    }

    #[test]
    fn malformed_clause_headings_inside_a_slot_are_errors_too() {
        let e = err("# III\n##1. Ưu điểm\n");
        assert!(e.contains("dòng 2") && e.contains("“## 1. Ưu điểm”"), "{e}");
        assert!(err("# III\n#### x\n").contains("không phải tiêu đề"));
        assert!(err("# III\n##   \n").contains("không có chữ"));
        let ok = Notes::parse(NOTES_FILE, "# III\n## 1. Ưu điểm\n### 1.1. Chi tiết\n- a\n").unwrap();
        assert_eq!(ok.text("III"), Some("## 1. Ưu điểm\n### 1.1. Chi tiết\n- a"));
    }

    #[test]
    fn a_slot_given_twice_is_an_error_naming_both_lines() {
        let e = err("# III\na\n# IV\nb\n# III. NHẬN XÉT\nc\n");
        assert!(e.contains("dòng 5") && e.contains("đã có ở dòng 1"), "{e}");
    }

    #[test]
    fn notes_cannot_carry_baocao_marks() {
        let n = Notes::parse(NOTES_FILE, "# V\na\u{E000}b\u{E010}c\n").unwrap();
        assert_eq!(n.text("V"), Some("abc"));
    }
}
