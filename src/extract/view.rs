//! A sheet as extraction looks at it: its text cells with their normalised keys,
//! worked out the first time each is compared (and cached per thread), and the
//! rows a sheet titles itself with.

use super::HEADER_SEARCH_ROWS;
use crate::read::{Sheet, Value};
use crate::text::Key;
use foldhash::{HashMap, HashMapExt};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// A sheet with the normalised key of each text cell, computed the first time it is
/// needed (titles, headers and labels are; most other text is never compared).
pub(super) struct View<'s> {
    sheet: &'s Sheet,
    /// The sheet name's key.
    pub(super) name_key: Key,
    /// The sheet's text cells in (row, column) order: a sorted list is all the lookups
    /// need, and far cheaper to build per sheet than a second map.
    texts: Vec<TextCell<'s>>,
    /// The first row of the header ("STT"), once found.
    title_stop: OnceCell<u32>,
}

/// One text cell of a [`View`].
struct TextCell<'s> {
    pos: (u32, u32),
    text: &'s str,
    key: OnceCell<Rc<Key>>,
}

impl TextCell<'_> {
    fn key(&self) -> &Key {
        self.key.get_or_init(|| cached_key(self.text))
    }
}

/// Most distinct texts the key cache of one thread holds before it starts afresh.
const KEY_CACHE_LIMIT: usize = 50_000;

thread_local! {
    /// Keys of the texts this thread has seen: the same titles, headers and row
    /// labels come back in every workbook of an inbox, and a key costs far more to
    /// work out than to look up.
    static KEYS: RefCell<HashMap<Box<str>, Rc<Key>>> = RefCell::new(HashMap::new());
}

/// [`Key::from_nfc`] of `text`, from this thread's cache when it has been seen.
fn cached_key(text: &str) -> Rc<Key> {
    KEYS.with_borrow_mut(|cache| {
        if let Some(key) = cache.get(text) {
            return Rc::clone(key);
        }
        if cache.len() >= KEY_CACHE_LIMIT {
            cache.clear();
        }
        let key = Rc::new(Key::from_nfc(text));
        cache.insert(text.into(), Rc::clone(&key));
        key
    })
}

impl<'s> View<'s> {
    /// The view of `sheet`, no key worked out yet.
    pub(super) fn new(sheet: &'s Sheet) -> View<'s> {
        let texts = sheet
            .cells
            .iter()
            .filter_map(|(&pos, c)| match &c.value {
                Value::Text(t) => Some(TextCell { pos, text: t, key: OnceCell::new() }),
                _ => None,
            })
            .collect();
        View { sheet, name_key: Key::new(&sheet.name), texts, title_stop: OnceCell::new() }
    }

    /// The key of the text cell at (row, col), if it holds text.
    pub(super) fn key(&self, row: u32, col: u32) -> Option<&Key> {
        self.texts.binary_search_by_key(&(row, col), |t| t.pos).ok().map(|i| self.texts[i].key())
    }

    /// Text cells from row `first` up to (not including) row `last`, with their keys.
    pub(super) fn keys(&self, first: u32, last: u32) -> impl Iterator<Item = ((u32, u32), &Key)> {
        let start = self.texts.partition_point(|t| t.pos < (first, 0));
        let end = self.texts.partition_point(|t| t.pos < (last, 0));
        self.texts[start..end].iter().map(|t| (t.pos, t.key()))
    }
}

impl std::ops::Deref for View<'_> {
    type Target = Sheet;
    fn deref(&self) -> &Sheet {
        self.sheet
    }
}

/// Text cells above the first header row (the rows a sheet titles itself with).
pub(super) fn title_texts<'v>(view: &'v View) -> impl Iterator<Item = ((u32, u32), &'v Key)> {
    let stop = *view.title_stop.get_or_init(|| {
        view.keys(0, HEADER_SEARCH_ROWS).find(|(_, k)| k.norm == "stt").map(|((r, _), _)| r).unwrap_or(10)
    });
    view.keys(0, stop)
}
