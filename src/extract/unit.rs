//! Recognising which unit a workbook comes from: a unit's name, as whole words,
//! in the title rows of its data sheets, on a line that names the sender rather
//! than in a note that mentions another unit.

use super::view::{View, title_texts};
use crate::config::Config;
use crate::text::{Key, Match, words};
use foldhash::{HashMap, HashMapExt};

/// Unit names by their folded words, for recognising a unit in a title line
/// without comparing the line with every unit.
pub(super) struct UnitIndex {
    /// folded words of a name -> (unit, normalised words of the name); every leading run
    /// of a name's words is a key too (with no units when it is only the start of names),
    /// so a title's phrase stops growing as soon as no name begins with it.
    by_fold: HashMap<String, Vec<(usize, String)>>,
    max_words: usize,
}

impl UnitIndex {
    /// Index every name (and other name) of every unit of `cfg`, each also as
    /// offices abbreviate it ("P. Bảo An", "X. Thành Hải", "Công an TP").
    pub(super) fn new(cfg: &Config) -> UnitIndex {
        let mut by_fold: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut max_words = 0;
        for (i, unit) in cfg.units.iter().enumerate() {
            for name in unit.names() {
                let key = Key::new(name);
                let n: Vec<String> = words(&key.norm).map(str::to_string).collect();
                let f: Vec<String> = words(&key.fold).map(str::to_string).collect();
                if n.is_empty() || n.len() != f.len() {
                    continue;
                }
                for (n, f) in std::iter::once((n.clone(), f.clone())).chain(abbreviated(&n, &f)) {
                    max_words = max_words.max(n.len());
                    for len in 1..f.len() {
                        by_fold.entry(f[..len].join(" ")).or_default();
                    }
                    let names = by_fold.entry(f.join(" ")).or_default();
                    let name = (i, n.join(" "));
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        UnitIndex { by_fold, max_words }
    }

    /// The unit a workbook titles itself as, from the title rows of `views` (the
    /// sheets its figures are read from; see [`UnitIndex::sender_of`] for one sheet).
    /// Each sheet votes for its sender; the unit most sheets name is the workbook's,
    /// and two units with as many votes give no answer. A sheet whose title rows
    /// only mention units in notes votes for none.
    pub(super) fn recognise<'v, 's: 'v>(&self, views: impl IntoIterator<Item = &'v View<'s>>) -> Option<usize> {
        let mut votes: Vec<(usize, usize)> = Vec::new(); // (unit, sheets)
        for view in views {
            if let Some(unit) = self.sender_of(view) {
                match votes.iter_mut().find(|(u, _)| *u == unit) {
                    Some((_, n)) => *n += 1,
                    None => votes.push((unit, 1)),
                }
            }
        }
        let top = votes.iter().map(|(_, n)| *n).max()?;
        let mut best = votes.iter().filter(|(_, n)| *n == top);
        match (best.next(), best.next()) {
            (Some((unit, _)), None) => Some(*unit),
            _ => None,
        }
    }

    /// The unit one sheet titles itself as: a unit's name, as whole words, in a
    /// title cell that names the sender ("UBND PHƯỜNG BẢO AN", "TỔ CÔNG TÁC ĐỀ ÁN 06
    /// PHƯỜNG KINH DINH", "CÔNG AN THÀNH PHỐ PHAN RANG - THÁP CHÀM"), not in a note
    /// that mentions another unit ("(Số liệu do Công an thành phố cung cấp)", see
    /// [`is_note`]). The first line naming a unit is the sender's, unless the line
    /// right below it (or the same cell, further on) names another: a document's
    /// header puts the body above the unit ("CÔNG AN THÀNH PHỐ …" over "CÔNG AN
    /// PHƯỜNG BẢO AN"). A name inside a longer name counts as the longer one; of two
    /// names at one place, exact spelling beats a match without diacritics and a
    /// longer name a shorter one; a tie gives no answer.
    pub(super) fn sender_of(&self, view: &View) -> Option<usize> {
        let mut found: Vec<Mention> = Vec::new();
        let mut phrase = String::new();
        for ((row, col), cell_key) in title_texts(view) {
            // Past the line below the first one naming a unit, nothing can change the answer.
            if found.first().is_some_and(|m| row > m.row + 1) {
                break;
            }
            // A cell of several lines ("CÔNG AN THÀNH PHỐ …" newline "CÔNG AN PHƯỜNG …")
            // is read line by line, as rows are.
            let lines: Vec<Key> = match view.text(row, col) {
                Some(raw) if raw.contains('\n') => raw.lines().map(Key::new).collect(),
                _ => Vec::new(),
            };
            let keys: Vec<&Key> = if lines.is_empty() { vec![cell_key] } else { lines.iter().collect() };
            for (line, key) in keys.into_iter().enumerate() {
                let f: Vec<&str> = words(&key.fold).collect();
                // The exact words are only needed once a phrase names a unit.
                let mut n: Vec<&str> = Vec::new();
                'text: for start in 0..f.len() {
                    phrase.clear();
                    for len in 1..=self.max_words.min(f.len() - start) {
                        if len > 1 {
                            phrase.push(' ');
                        }
                        phrase.push_str(f[start + len - 1]);
                        let Some(hits) = self.by_fold.get(&phrase) else { break };
                        if hits.is_empty() {
                            continue;
                        }
                        if n.is_empty() {
                            n.extend(words(&key.norm));
                        }
                        if n.len() != f.len() {
                            break 'text; // words lost or gained by folding: no reliable match
                        }
                        if is_note(&key.fold, &f[..start], &f[start + len..]) {
                            continue;
                        }
                        let exact = n[start..start + len].join(" ");
                        for (unit, name) in hits {
                            let matched = if *name == exact { Match::Exact } else { Match::Folded };
                            let end = start + len;
                            found.push(Mention { row, line, start, end, matched, name_len: name.len(), unit: *unit });
                        }
                    }
                }
            }
        }
        let first = found.first()?.row;
        // A name inside a longer one of another unit at the same place is part of it.
        let inside = |m: &Mention| {
            found.iter().any(|o| {
                (o.row, o.line) == (m.row, m.line)
                    && o.start <= m.start
                    && m.end <= o.end
                    && (o.end - o.start) > (m.end - m.start)
            })
        };
        let mut best: Option<&Mention> = None;
        let mut tie = false;
        for m in found.iter().filter(|m| m.row <= first + 1 && !inside(m)) {
            let rank = |m: &Mention| (m.row, m.line, m.start, m.matched, m.name_len);
            match best {
                Some(b) if rank(b) == rank(m) && b.unit != m.unit => tie = true,
                Some(b) if rank(b) >= rank(m) => {}
                _ => {
                    best = Some(m);
                    tie = false;
                }
            }
        }
        if tie { None } else { best.map(|m| m.unit) }
    }
}

/// A unit's name found in a title cell: its row (and line), its words' span,
/// how it matched, the configured name's length, and the unit.
struct Mention {
    row: u32,
    /// The line in the cell, for a cell of several lines.
    line: usize,
    start: usize,
    end: usize,
    matched: Match,
    name_len: usize,
    unit: usize,
}

/// How offices shorten the words of unit names in title rows (folded words, and
/// the short form): "UBND P. BẢO AN", "UBND X. THÀNH HẢI", "CÔNG AN TP PHAN RANG".
const ABBREVIATIONS: [(&[&str], &str); 4] =
    [(&["phuong"], "p"), (&["xa"], "x"), (&["thi", "tran"], "tt"), (&["thanh", "pho"], "tp")];

/// A name's words (normalised `n`, folded `f`) with each abbreviation of
/// [`ABBREVIATIONS`] applied where its words occur, one variant per abbreviation.
fn abbreviated(n: &[String], f: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for (long, short) in ABBREVIATIONS {
        let Some(at) = f.windows(long.len()).position(|w| w.iter().zip(long.iter()).all(|(a, b)| a == b)) else {
            continue;
        };
        let splice = |words: &[String]| {
            let mut v = words[..at].to_vec();
            v.push(short.to_string());
            v.extend_from_slice(&words[at + long.len()..]);
            v
        };
        // Nothing left but the short form is no name ("Phường" alone).
        if f.len() > long.len() {
            out.push((splice(n), splice(f)));
        }
    }
    out
}

/// Words that, before a unit's name in a title cell, make the cell a note about
/// that unit rather than the line naming the sender: "(Số liệu do Công an thành
/// phố cung cấp)", "theo hướng dẫn của …", "phối hợp với …", "Kính gửi: …",
/// "Ghi chú: …", "Lưu ý: …", "các đơn vị thuộc …" (folded).
const NOTE_WORDS: [&str; 11] = ["do", "theo", "voi", "gui", "cho", "phoi", "nguon", "xem", "ghi", "luu", "thuoc"];

/// Most words a sender's line puts before the name ("TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN
/// 06 CẤP PHƯỜNG") or after it (the city, "PHAN RANG - THÁP CHÀM"); more is a sentence.
const SENDER_LINE_WORDS: usize = 8;

/// Whether a title cell (folded text `fold`) that names a unit between the words
/// `before` and `after` is a note mentioning it: it opens with "(" or "*", a word
/// before the name is one of [`NOTE_WORDS`], or the name sits in a sentence. An
/// appendix's line "(Kèm theo Báo cáo số …/BC-UBND ngày … của UBND phường Bảo An)"
/// is not a note: the unit it names is the one that sends the appendix.
fn is_note(fold: &str, before: &[&str], after: &[&str]) -> bool {
    if before.windows(2).any(|w| w == ["kem", "theo"]) {
        return after.len() > SENDER_LINE_WORDS;
    }
    fold.trim_start().starts_with(['(', '*', '['])
        || before.iter().any(|w| NOTE_WORDS.contains(w))
        || before.len() > SENDER_LINE_WORDS
        || after.len() > SENDER_LINE_WORDS
}
