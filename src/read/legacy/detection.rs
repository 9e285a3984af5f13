//! Whether a workbook string is in a legacy encoding, and which: from the
//! cell's font when it names one, otherwise from word statistics (remembered
//! per thread, since the same labels come back in every workbook).

use super::syllable::is_syllable;
use super::tables::tcvn3_char;
use super::{Legacy, decode_raw, font_encoding};

/// Characters that only occur in proper Unicode Vietnamese (never in a
/// cp1252-mojibake string): the letters outside Latin-1 and combining marks.
fn is_unicode_vietnamese(c: char) -> bool {
    matches!(
        c,
        '\u{0102}' | '\u{0103}' // Ă ă
            | '\u{0110}' | '\u{0111}' // Đ đ
            | '\u{0128}' | '\u{0129}' // Ĩ ĩ
            | '\u{0168}' | '\u{0169}' // Ũ ũ
            | '\u{01A0}' | '\u{01A1}' // Ơ ơ
            | '\u{01AF}' | '\u{01B0}' // Ư ư
            | '\u{0300}'..='\u{036F}' // combining diacritics
            | '\u{1EA0}'..='\u{1EF9}' // Ạ .. ỹ
    )
}

/// Guess whether a workbook string is legacy-encoded, from the cell's font
/// name when known (".VnTime", ".VnTimeH", ".VnArial", "VNI-Times", ...) and
/// otherwise from character statistics (characters typical of TCVN3/VNI
/// mojibake and absent from proper Vietnamese Unicode). Must NOT flag
/// ordinary Unicode Vietnamese, English, or numbers.
///
/// Rules:
/// * Text containing letters that exist only in Unicode Vietnamese (ơ, ư,
///   đ, ă, ạ..ỹ, combining marks) is never legacy.
/// * Legacy font (see [`font_encoding`]): the font's encoding is returned
///   when decoding would change something, i.e. the text has a non-ASCII
///   character, or the font is a capitals ("H") font and the text has an
///   ASCII lowercase letter. Pure ASCII text and numbers give `None`.
/// * Otherwise (no font, or a Unicode font such as "Times New Roman") the
///   text is split into words and each word containing non-ASCII characters
///   is decoded with each encoding. A word is evidence when all its non-ASCII
///   characters belong to the encoding, the decoded word is a well-formed
///   Vietnamese syllable, and the raw word itself is *not* a well-formed
///   Vietnamese syllable (so Unicode words such as "Bình" that happen to be
///   valid TCVN3 too are ignored as ambiguous). An encoding is chosen when
///   at least 60 % of the non-ambiguous candidate words are evidence and
///   there are two evidence words, or one with a character that never
///   appears in Western text (TCVN3 0xA1..=0xBF, a VNI base+diacritic pair),
///   or one of at least three characters. Ties go to the encoding with more
///   evidence, then more strong evidence, then TCVN3.
pub fn detect(text: &str, font: Option<&str>) -> Option<Legacy> {
    if text.chars().any(is_unicode_vietnamese) {
        return None;
    }
    if let Some((enc, capitals)) = font.and_then(font_encoding) {
        let changes = text.chars().any(|c| !c.is_ascii() || (capitals && c.is_ascii_lowercase()));
        return changes.then_some(enc);
    }
    if text.is_ascii() {
        return None;
    }
    detect_by_statistics(text)
}

/// Most texts one thread remembers the statistical verdict of before starting afresh.
const VERDICT_CACHE_LIMIT: usize = 20_000;

thread_local! {
    /// Verdicts of [`detect_by_statistics`]: the same labels ("Ghi chú", "Công an")
    /// come back in every workbook of an inbox.
    static VERDICTS: std::cell::RefCell<foldhash::HashMap<Box<str>, Option<Legacy>>> = Default::default();
}

/// Which legacy encoding `text` reads as, from its words alone (remembered per thread).
fn detect_by_statistics(text: &str) -> Option<Legacy> {
    if let Some(verdict) = VERDICTS.with_borrow(|cache| cache.get(text).copied()) {
        return verdict;
    }
    let verdict = score_encodings(text);
    VERDICTS.with_borrow_mut(|cache| {
        if cache.len() >= VERDICT_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(text.into(), verdict);
    });
    verdict
}

/// Score `text` under both encodings and pick the one it is confidently in, if any.
fn score_encodings(text: &str) -> Option<Legacy> {
    let t = Score::of(text, Legacy::Tcvn3);
    let v = Score::of(text, Legacy::Vni);
    match (t.confident(), v.confident()) {
        (false, false) => None,
        (true, false) => Some(Legacy::Tcvn3),
        (false, true) => Some(Legacy::Vni),
        (true, true) => {
            if (v.evidence, v.strong) > (t.evidence, t.strong) {
                Some(Legacy::Vni)
            } else {
                Some(Legacy::Tcvn3)
            }
        }
    }
}

/// Word statistics of one text under one encoding.
#[derive(Debug, Default)]
struct Score {
    /// Words that decode to a Vietnamese syllable and are not one as-is.
    evidence: usize,
    /// Evidence words with a character never used in Western text.
    strong: usize,
    /// Candidate words that do not decode to a Vietnamese syllable.
    against: usize,
    /// Longest evidence word, in characters.
    longest: usize,
}

impl Score {
    fn of(text: &str, enc: Legacy) -> Score {
        let is_word_char = |c: char| {
            c.is_ascii_alphabetic()
                || (('\u{A1}'..='\u{FF}').contains(&c)
                    && (c.is_alphabetic() || (enc == Legacy::Tcvn3 && tcvn3_char(c).is_some())))
        };
        let mut score = Score::default();
        for word in text.split(|c: char| !is_word_char(c)) {
            if word.is_empty() || word.is_ascii() {
                continue;
            }
            let len = word.chars().count();
            // A lone symbol ("«", "©", "×") says nothing either way.
            if len < 2 && !word.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let d = decode_raw(word, enc);
            if d.unconsumed == 0 && is_syllable(&d.text) {
                if is_syllable(word) {
                    continue; // ambiguous: valid as Unicode as well
                }
                score.evidence += 1;
                score.longest = score.longest.max(len);
                let strong = match enc {
                    Legacy::Tcvn3 => word.chars().any(|c| ('\u{A1}'..='\u{BF}').contains(&c)),
                    Legacy::Vni => d.pairs > 0,
                };
                if strong {
                    score.strong += 1;
                }
            } else {
                score.against += 1;
            }
        }
        score
    }

    fn confident(&self) -> bool {
        self.evidence >= 1
            && self.evidence * 10 >= (self.evidence + self.against) * 6
            && (self.evidence >= 2 || self.strong >= 1 || self.longest >= 3)
    }
}
