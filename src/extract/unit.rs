//! Recognising which unit a workbook comes from: a unit's name, as whole words,
//! in the title rows of its sheets.

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
    /// Index every name (and other name) of every unit of `cfg`.
    pub(super) fn new(cfg: &Config) -> UnitIndex {
        let mut by_fold: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut max_words = 0;
        for (i, unit) in cfg.units.iter().enumerate() {
            for name in unit.names() {
                let key = Key::new(name);
                let n: Vec<&str> = words(&key.norm).collect();
                let f: Vec<&str> = words(&key.fold).collect();
                if n.is_empty() || n.len() != f.len() {
                    continue;
                }
                max_words = max_words.max(n.len());
                for len in 1..f.len() {
                    by_fold.entry(f[..len].join(" ")).or_default();
                }
                by_fold.entry(f.join(" ")).or_default().push((i, n.join(" ")));
            }
        }
        UnitIndex { by_fold, max_words }
    }

    /// The unit a workbook titles itself as: its name as whole words in the rows above
    /// a sheet's header. Exact spelling beats a match without diacritics, a longer name
    /// beats a shorter one; two units tied at the top give no answer.
    pub(super) fn recognise(&self, views: &[View]) -> Option<usize> {
        let mut best: Option<(Match, usize, usize)> = None; // (match, name length, unit)
        let mut tie = false;
        let (mut n, mut f) = (Vec::new(), Vec::new());
        let mut phrase = String::new();
        for view in views {
            for (_, key) in title_texts(view) {
                f.clear();
                f.extend(words(&key.fold));
                // The exact words are only needed once a phrase names a unit.
                n.clear();
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
                        let exact = n[start..start + len].join(" ");
                        for (unit, name) in hits {
                            let m = if *name == exact { Match::Exact } else { Match::Folded };
                            let cand = (m, name.len(), *unit);
                            match best {
                                Some((bm, bl, bu)) if (bm, bl) == (cand.0, cand.1) && bu != *unit => tie = true,
                                Some((bm, bl, _)) if (bm, bl) >= (cand.0, cand.1) => {}
                                _ => {
                                    best = Some(cand);
                                    tie = false;
                                }
                            }
                        }
                    }
                }
            }
        }
        if tie { None } else { best.map(|(_, _, i)| i) }
    }
}
