//! Matching a header or a row label by its words, when it is not the configured
//! text: the words a configured phrase needs, the abbreviations a cell may use
//! for them ("TT" for "trực tuyến"), and whether a cell holds them all.
//!
//! Written here rather than taken from a fuzzy-matching crate on purpose: a
//! similarity score would pick the closest column or row, and a pick is what
//! must never happen. The rules are set containment of whole words, which either
//! fit one configured thing or are reported as not certain.

use crate::text::words;

/// Words that carry no meaning of their own in a header ("Số …", "… của …", "Đã …"),
/// without diacritics: a phrase is never told apart from another by them.
const FUNCTION_WORDS: &[&str] =
    &["so", "luong", "cac", "cua", "va", "da", "duoc", "trong", "do", "tai", "theo", "cho", "la", "ve", "voi", "nhung"];

/// Whether `word` (folded) is a function word.
fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word)
}

/// The words of a folded text, sorted and without repeats.
pub(super) fn word_set(fold: &str) -> Vec<&str> {
    let mut set: Vec<&str> = words(fold).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// A configured phrase (a header, an alias, a synonym, a row label) as matching
/// by meaning needs it.
#[derive(Debug, Clone)]
pub(super) struct Phrase {
    /// Its words in order, folded, function words included (abbreviations run over them).
    pub(super) words: Vec<String>,
    /// The words a cell must hold for the phrase to fit it, sorted.
    pub(super) needed: Vec<String>,
}

impl Phrase {
    /// The phrase of a folded header text, needing all its words but function words.
    pub(super) fn new(fold: &str) -> Phrase {
        Phrase::needing(fold, |w| !is_function_word(w))
    }

    /// The phrase of a folded row label, needing every word.
    pub(super) fn all(fold: &str) -> Phrase {
        Phrase::needing(fold, |_| true)
    }

    fn needing(fold: &str, keep: impl Fn(&str) -> bool) -> Phrase {
        let words: Vec<String> = words(fold).map(str::to_string).collect();
        let mut needed: Vec<String> = words.iter().filter(|w| keep(w)).cloned().collect();
        needed.sort_unstable();
        needed.dedup();
        Phrase { words, needed }
    }

    /// Whether the cell whose words are `cell` (sorted, as [`word_set`] gives) and
    /// whose capitalised tokens are `abbrevs` holds every needed word, counting
    /// an abbreviation as the run of the phrase's words it stands for.
    pub(super) fn fits(&self, cell: &[&str], abbrevs: &[String]) -> bool {
        if self.needed.is_empty() {
            return false;
        }
        let expanded: Vec<&str> = abbrevs.iter().flat_map(|a| self.expand(a)).collect();
        self.needed.iter().all(|w| cell.binary_search(&w.as_str()).is_ok() || expanded.contains(&w.as_str()))
    }

    /// The words of the first run of two or more of the phrase's words that `token`
    /// abbreviates, each word giving its first letter or itself ("tt" -> "trực
    /// tuyến", "dvctt" -> "dvc trực tuyến"); none when it abbreviates no run.
    fn expand(&self, token: &str) -> impl Iterator<Item = &str> {
        let run = (0..self.words.len()).find_map(|start| {
            let len = abbreviated_run(token.as_bytes(), &self.words[start..])?;
            (len >= 2).then_some(start..start + len)
        });
        run.into_iter().flat_map(move |r| self.words[r].iter().map(String::as_str))
    }
}

/// How many of `words`, from the first, `token` spells out exactly when each word
/// gives its first letter or all of itself; the longest such run.
fn abbreviated_run(token: &[u8], words: &[String]) -> Option<usize> {
    if token.is_empty() {
        return Some(0);
    }
    let word = words.first()?.as_bytes();
    let mut best = None;
    if token.starts_with(word) {
        best = abbreviated_run(&token[word.len()..], &words[1..]).map(|n| n + 1);
    }
    if word.first() == token.first()
        && let Some(n) = abbreviated_run(&token[1..], &words[1..])
    {
        best = best.max(Some(n + 1));
    }
    best
}

/// The tokens of a cell's text written in capitals and at least two letters long
/// ("TT", "DVCTT", "HSSK"), folded: the ones that may be abbreviations.
pub(super) fn abbreviations(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() >= 2 && t.chars().all(|c| c.is_uppercase()))
        .map(crate::text::fold)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn fits(phrase: &str, cell: &str) -> bool {
        let cell_fold = fold(cell);
        Phrase::new(&fold(phrase)).fits(&word_set(&cell_fold), &abbreviations(cell))
    }

    #[test]
    fn a_phrase_fits_a_cell_holding_its_words() {
        assert!(fits("Trực tuyến", "Số hồ sơ nộp trực tuyến (hồ sơ)"));
        assert!(fits("Trực tuyến", "TRUC TUYEN"));
        assert!(!fits("Trực tuyến", "Tuyến"));
        assert!(!fits("Qua DVC", "Kết nối Cổng DVC quốc gia"));
        // Function words are not needed, and a phrase of function words alone fits nothing.
        assert!(fits("Số hồ sơ đã số hóa", "Hồ sơ số hóa"));
        assert!(!fits("Số của", "Số của"));
    }

    #[test]
    fn a_label_fits_best_when_its_words_stand_together() {
        let rows: Vec<Vec<Phrase>> = [
            "Đăng ký thường trú",
            "Đăng ký tạm trú",
            "Đăng ký khai sinh",
            "Liên thông đăng ký khai sinh đăng ký thường trú",
        ]
        .iter()
        .map(|l| vec![Phrase::all(&fold(l))])
        .collect();
        let best = |cell: &str| best_fits(&rows, &fold(cell));
        assert_eq!(best("- Đăng ký thường trú (tạm tính)"), [0]);
        assert_eq!(best("a) Đăng ký tạm trú\n(qua VNeID)"), [1]);
        assert_eq!(best("Liên thông đăng ký khai sinh đăng ký thường trú (tạm tính)"), [3]);
        assert_eq!(best("Đăng ký thường trú, tạm trú"), [0, 1]);
        assert_eq!(best("Đăng ký (lại) thường trú"), [0]);
        assert_eq!(best("Đăng ký kết hôn"), Vec::<usize>::new());
        // "Of which" is a part of the row above, not the row it names.
        assert_eq!(best("Trong đó: Đăng ký thường trú trực tuyến"), Vec::<usize>::new());
    }

    #[test]
    fn capitals_abbreviate_runs_of_words() {
        assert!(fits("Trực tuyến", "Số hồ sơ TT"));
        assert!(fits("DVC trực tuyến", "Hồ sơ DVCTT"));
        assert!(fits("Số hồ sơ sức khỏe đã khởi tạo (phần A)", "HSSK khởi tạo (phần A)"));
        // Lower case is a word, not an abbreviation; one letter abbreviates nothing.
        assert!(!fits("Trực tuyến", "Số hồ sơ tt"));
        assert!(!fits("Trực tuyến", "T"));
        assert!(!fits("Tổng số", "TT"));
    }
}

/// How a configured label fits a cell's words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fit {
    /// Its words in order, side by side: `start..start + len` of the cell's words.
    Run(usize, usize),
    /// Its words all there, but apart.
    Apart,
}

/// Where the words of `phrase` stand side by side in `cell` (ordered words), if they do.
fn run_in(phrase: &[String], cell: &[&str]) -> Option<usize> {
    if phrase.is_empty() || phrase.len() > cell.len() {
        return None;
    }
    cell.windows(phrase.len()).position(|w| w.iter().zip(phrase).all(|(a, b)| *a == b.as_str()))
}

/// The configured labels (each with its aliases) that a cell's text fits best,
/// by index: those whose words are all in the cell, less those another fitting
/// label's words include (it fits better), less those whose words are there only
/// apart when another label's stand side by side and the cell does not also say
/// the end of theirs outside it ("Đăng ký thường trú (tạm tính)" is "Đăng ký
/// thường trú", not also "Đăng ký tạm trú"; "Đăng ký thường trú, tạm trú" is both).
/// A cell saying "Trong đó: …" (of which) fits only labels that say it too.
/// One index: the label it is; several: not certain; none: no label fits.
pub(super) fn best_fits(labels: &[Vec<Phrase>], fold: &str) -> Vec<usize> {
    let ordered: Vec<&str> = words(fold).collect();
    let set = word_set(fold);
    // "Trong đó: …" is a part of the row above, never the row its words name, unless
    // the configured label says "Trong đó" too.
    let of_which = |w: &[String]| w.len() >= 2 && w[0] == "trong" && w[1] == "do";
    let part = ordered.len() >= 2 && ordered[0] == "trong" && ordered[1] == "do";
    let fitting: Vec<(usize, &Phrase, Fit)> = labels
        .iter()
        .enumerate()
        .filter_map(|(i, names)| {
            names
                .iter()
                .filter(|p| p.fits(&set, &[]) && (!part || of_which(&p.words)))
                .map(|p| (p, run_in(&p.words, &ordered).map_or(Fit::Apart, |s| Fit::Run(s, p.words.len()))))
                .max_by_key(|(p, fit)| (matches!(fit, Fit::Run(..)), p.needed.len()))
                .map(|(p, fit)| (i, p, fit))
        })
        .collect();
    let includes = |a: &Phrase, b: &Phrase| {
        a.needed.len() > b.needed.len() && b.needed.iter().all(|w| a.needed.binary_search(w).is_ok())
    };
    let best: Vec<&(usize, &Phrase, Fit)> =
        fitting.iter().filter(|(_, p, _)| !fitting.iter().any(|(_, q, _)| includes(q, p))).collect();
    let runs: Vec<(usize, usize)> =
        best.iter().filter_map(|(_, _, f)| if let Fit::Run(s, l) = f { Some((*s, *l)) } else { None }).collect();
    if runs.len() != 1 {
        return best.iter().map(|(i, ..)| *i).collect();
    }
    let (start, len) = runs[0];
    // A label there only apart still competes when its last words (two, or its only
    // one) stand side by side outside the run of the one that is there whole.
    let outside: Vec<&str> = ordered[..start].iter().chain(&ordered[start + len..]).copied().collect();
    best.iter()
        .filter(|(_, p, fit)| match fit {
            Fit::Run(..) => true,
            Fit::Apart => run_in(&p.words[p.words.len().saturating_sub(2)..], &outside).is_some(),
        })
        .map(|(i, ..)| *i)
        .collect()
}
