//! Private-use characters the renderer puts in the text it hands to the markup,
//! for what the markup cannot spell: a highlighted run (a placeholder, a gap),
//! and, before they are resolved, the places where a figure had no value or a
//! section had no notes. No input can make them: [`strip`] takes them out of
//! the notes, and the template's own text never holds them.

/// Starts a highlighted run (yellow in the DOCX).
pub const HIGHLIGHT_OPEN: char = '\u{E000}';
/// Ends a highlighted run.
pub const HIGHLIGHT_CLOSE: char = '\u{E001}';
/// Starts a figure without value, as the template prints it: the figure id
/// follows, up to [`END`]. Resolved into a highlighted "…" once rendered.
pub const GAP: char = '\u{E010}';
/// Starts a slot the notes do not give, as `note()` prints it: the slot name
/// follows, up to [`END`]. Resolved into a highlighted placeholder once rendered.
pub const SLOT: char = '\u{E012}';
/// Starts a figure (or an as-of key) the config does not define, as the
/// template prints it: the id follows, up to [`END`]. Its sentence is left out
/// of the report once rendered.
pub const UNDEFINED: char = '\u{E013}';
/// Starts the text `note()` printed (kept whole when a sentence is left out).
pub const NOTE_OPEN: char = '\u{E014}';
/// Ends the text `note()` printed.
pub const NOTE_CLOSE: char = '\u{E015}';
/// Ends a [`GAP`], [`SLOT`] or [`UNDEFINED`] mark.
pub const END: char = '\u{E011}';

/// Whether `c` is one of baocao's marks (the block U+E000–U+E0FF is kept for them).
pub fn is_mark(c: char) -> bool {
    ('\u{E000}'..='\u{E0FF}').contains(&c)
}

/// `text` without any of baocao's marks.
pub fn strip(text: &str) -> String {
    text.chars().filter(|c| !is_mark(*c)).collect()
}

/// `text` highlighted.
pub fn highlighted(text: &str) -> String {
    format!("{HIGHLIGHT_OPEN}{text}{HIGHLIGHT_CLOSE}")
}
