//! Text normalisation and label matching.
//!
//! Workbooks spell the same label in many ways: NFC or NFD Unicode, odd case,
//! doubled or trailing spaces, no diacritics at all ("DVC thiet yeu"). Every
//! comparison in baocao goes through [`norm`] (exact, case- and
//! space-insensitive) and falls back to [`fold`] (diacritic-insensitive).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// NFC form with case folded to lower and every run of whitespace (including
/// NBSP and line breaks) collapsed into one space, trimmed.
pub fn norm(s: &str) -> String {
    if is_nfc(s) { lower_collapsed(s.chars(), s.len()) } else { lower_collapsed(s.nfc(), s.len()) }
}

/// Whether `s` is certainly NFC already (the common case): no need to compose it.
fn is_nfc(s: &str) -> bool {
    s.is_ascii()
        || s.chars().all(is_nfc_anywhere)
        || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Chars that are NFC whatever surrounds them (quick check "yes", combining class 0):
/// Latin below the combining marks, the Vietnamese letters of Latin Extended Additional,
/// and general punctuation (dashes, quotes). Saves the table lookups of the full check.
fn is_nfc_anywhere(c: char) -> bool {
    c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c) || ('\u{2010}'..='\u{205F}').contains(&c)
}

/// En and em dashes typed for hyphens ("Lao động – Thương binh") compare as "-".
fn unify_dash(c: char) -> char {
    match c {
        '–' | '—' | '‒' | '−' => '-',
        _ => c,
    }
}

/// [`norm`] plus diacritics removed: "Đăng ký  KHAI SINH " -> "dang ky khai sinh".
/// `đ`/`Đ` do not decompose in Unicode and are mapped to `d` explicitly.
pub fn fold(s: &str) -> String {
    let table = fold_table();
    let mut out = Collapsed::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match table.get(c as usize) {
            Some(None) => {} // a combining mark
            Some(Some(b)) => out.push(*b),
            None => unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    d.to_lowercase().for_each(|l| out.push(unify_dash(l)));
                }
            }),
        }
    }
    out.into_string()
}

/// The folded form of every char below U+1F00 (Latin, Vietnamese, combining marks),
/// worked out once: None for a mark, else the lowercase base letter.
fn fold_table() -> &'static [Option<char>] {
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| table_below_1f00(fold_char))
}

/// The folded form of one char: None for a combining mark, else its lowercase base letter.
fn fold_char(c: char) -> Option<char> {
    if c == 'đ' || c == 'Đ' {
        return Some('d');
    }
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first.is_none() && !is_combining_mark(d) {
            first = Some(d);
        }
    });
    let b = first?;
    let mut lower = b.to_lowercase();
    Some(match (lower.next(), lower.next()) {
        (Some(l), None) => unify_dash(l),
        _ => b,
    })
}

/// `f` of every char below U+1F00 (Latin, Vietnamese, combining marks), indexed by code point.
fn table_below_1f00(f: fn(char) -> Option<char>) -> Vec<Option<char>> {
    (0u32..0x1F00).map(|u| char::from_u32(u).and_then(f)).collect()
}

/// NFC form of a string, whitespace untouched except trimmed.
pub fn nfc(s: &str) -> String {
    nfc_cow(s).into_owned()
}

/// [`nfc`], borrowing `s` (trimmed) when it is already NFC.
pub fn nfc_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc(s) { s.trim().into() } else { s.nfc().collect::<String>().trim().to_string().into() }
}

/// The chars lowercased, dashes unified and whitespace collapsed: [`norm`] of NFC text.
fn lower_collapsed(chars: impl Iterator<Item = char>, len: usize) -> String {
    let lower = lower_table();
    let mut out = Collapsed::with_capacity(len);
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(Some(l)) = lower.get(c as usize) {
            out.push(*l);
        } else {
            c.to_lowercase().for_each(|l| out.push(unify_dash(l)));
        }
    }
    out.into_string()
}

/// The lowercase form (dash unified) of every char below U+1F00 that lowercases to
/// a single char, worked out once; None where `char::to_lowercase` must be asked.
fn lower_table() -> &'static [Option<char>] {
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        table_below_1f00(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(unify_dash(l)),
                _ => None,
            }
        })
    })
}

/// A string built char by char with every run of whitespace (including NBSP and line
/// breaks) collapsed into one space, and no space at either end.
struct Collapsed {
    out: String,
    pending_space: bool,
}

impl Collapsed {
    fn with_capacity(len: usize) -> Collapsed {
        Collapsed { out: String::with_capacity(len), pending_space: false }
    }

    /// Append one char; whitespace is held back until a non-space char follows it.
    #[inline(always)]
    fn push(&mut self, c: char) {
        if c.is_whitespace() || c == '\u{a0}' {
            self.pending_space = !self.out.is_empty();
        } else {
            if self.pending_space {
                self.out.push(' ');
                self.pending_space = false;
            }
            self.out.push(c);
        }
    }

    fn into_string(self) -> String {
        self.out
    }
}

/// How well two labels match: exact after [`norm`], or only after [`fold`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// Equal only without diacritics and case ("Tong cong" for "Tổng cộng").
    Folded = 1,
    /// Equal after normalisation (NFC, spaces, dashes, case).
    Exact = 2,
}

/// A label normalised once, for many comparisons: [`norm`] and [`fold`] forms,
/// trailing punctuation ("Tổng cộng:") dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Key {
    /// The [`norm`] form.
    pub norm: String,
    /// The [`fold`] form.
    pub fold: String,
}

impl Key {
    /// The key of any text.
    pub fn new(s: &str) -> Key {
        Key::from_norm(norm(s))
    }

    /// [`Key::new`] for text already in NFC (every cell text the reader gives).
    pub fn from_nfc(s: &str) -> Key {
        Key::from_norm(lower_collapsed(s.chars(), s.len()))
    }

    fn from_norm(mut norm: String) -> Key {
        let kept = norm.trim_end_matches(['.', ':', ';', ',', '*', ' ']).len();
        norm.truncate(kept);
        let fold = if norm.is_ascii() { norm.clone() } else { fold(&norm) };
        Key { norm, fold }
    }

    /// Compare a label from a workbook (`self`) with one from the config.
    pub fn matches(&self, wanted: &Key) -> Option<Match> {
        if self.norm.is_empty() || wanted.norm.is_empty() {
            None
        } else if self.norm == wanted.norm {
            Some(Match::Exact)
        } else if self.fold == wanted.fold {
            Some(Match::Folded)
        } else {
            None
        }
    }

    /// The best match against any of several keys (a label and its aliases).
    pub fn matches_any(&self, wanted: &[Key]) -> Option<Match> {
        wanted.iter().filter_map(|w| self.matches(w)).max()
    }
}

/// Compare a label from a workbook with a label from the config.
pub fn label_match(found: &str, wanted: &str) -> Option<Match> {
    Key::new(found).matches(&Key::new(wanted))
}

/// The words of a normalised text: runs of letters and digits.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A1-style reference of a zero-based (row, column) position: (0, 0) -> "A1".
/// Built by hand rather than with `format!`: every figure and finding carries one.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut out = String::with_capacity(12);
    push_col_name(&mut out, col);
    push_decimal(&mut out, row + 1);
    out
}

/// Spreadsheet column letters of a zero-based column index: 0 -> "A", 26 -> "AA".
pub fn col_name(col: u32) -> String {
    let mut out = String::with_capacity(4);
    push_col_name(&mut out, col);
    out
}

/// Append the column letters of a zero-based column index (at most 7 for a u32).
fn push_col_name(out: &mut String, col: u32) {
    let mut letters = [0u8; 8];
    let mut start = letters.len();
    let mut n = col as u64 + 1;
    while n > 0 {
        start -= 1;
        letters[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    letters[start..].iter().for_each(|&b| out.push(char::from(b)));
}

/// Append the decimal digits of `n`.
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..].iter().for_each(|&b| out.push(char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_odd_case_match_exactly() {
        // Thanh Sơn's workbook: NFD text, capitals, doubled and trailing spaces.
        let nfd: String = "ĐĂNG KÝ  KHAI SINH ".nfd().collect();
        assert_eq!(label_match(&nfd, "Đăng ký khai sinh"), Some(Match::Exact));
        assert_eq!(label_match("Đăng ký  tạm trú ", "Đăng ký tạm trú"), Some(Match::Exact));
    }

    #[test]
    fn missing_diacritics_match_only_folded() {
        // Mỹ Hải's sheet names carry no diacritics.
        assert_eq!(label_match("DVC thiet yeu", "DVC thiết yếu"), Some(Match::Folded));
        assert_eq!(label_match("So hoa", "Số hóa"), Some(Match::Folded));
        assert_eq!(fold("ĐƯỜNG Đô Vinh"), "duong do vinh");
    }

    #[test]
    fn different_labels_do_not_match() {
        assert_eq!(label_match("Đăng ký khai tử", "Đăng ký khai sinh"), None);
        assert_eq!(label_match("Đã cập nhật thông tin", "Đã cập nhật bổ sung thông tin"), None);
        assert_eq!(label_match("", "x"), None);
    }

    /// Whitespace runs (NBSP included) to one space, trimmed: the plain definition.
    fn reference_collapse(chars: impl Iterator<Item = char>) -> String {
        let s: String = chars.map(|c| if c.is_whitespace() || c == '\u{a0}' { ' ' } else { c }).collect();
        s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    /// [`norm`] by its definition: NFC, lowercase, dashes unified, whitespace collapsed.
    fn reference_norm(s: &str) -> String {
        reference_collapse(s.nfc().flat_map(char::to_lowercase).map(unify_dash))
    }

    /// [`fold`] by its definition: NFD, drop marks, đ -> d, lowercase, whitespace collapsed.
    fn reference_fold(s: &str) -> String {
        reference_collapse(
            s.nfd()
                .filter(|c| !is_combining_mark(*c))
                .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
                .flat_map(char::to_lowercase)
                .map(unify_dash),
        )
    }

    #[test]
    fn the_fold_table_agrees_with_decomposition() {
        for u in 0u32..0x1F00 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("a{c}b");
            assert_eq!(fold(&s), reference_fold(&s), "U+{u:04X}");
        }
    }

    #[test]
    fn the_lowercase_table_agrees_with_to_lowercase() {
        for u in 0u32..0x2100 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("X{c}y \u{a0}{c}");
            assert_eq!(norm(&s), reference_norm(&s), "U+{u:04X}");
            let nfc: String = s.nfc().collect();
            assert_eq!(Key::from_nfc(&nfc), Key::new(&s), "U+{u:04X}");
        }
    }

    #[test]
    fn labels_normalise_as_defined() {
        let labels = [
            "Đăng ký khai sinh",
            "ĐĂNG KÝ  KHAI SINH ",
            "Đăng ký\u{a0}tạm trú:",
            "\tTổng cộng:\n",
            "Lao động – Thương binh và Xã hội",
            "Phòng LĐTBXH — TP ‒ x − y",
            "Số hồ sơ (tiếp nhận)*",
            "Uỷ ban nhân dân tỉnh Khánh Hòa: 1.234 người, 56,7%",
            "DVC thiet yeu",
            "“Không có CMND 9 số”",
            "a\u{301} \u{301} b",
            "İstanbul ẞ STRASSE",
            "Ἄλφα ΩΜΈΓΑ",
            "x\u{2007}y\u{3000}z\u{2028}w",
            "K\u{212A} \u{2000}",
            "",
            " \u{a0}\t",
        ];
        for label in labels {
            for s in [label.to_string(), label.nfd().collect::<String>()] {
                assert_eq!(norm(&s), reference_norm(&s), "{s:?}");
                assert_eq!(fold(&s), reference_fold(&s), "{s:?}");
                let nfc: String = s.nfc().collect();
                assert_eq!(Key::from_nfc(&nfc), Key::new(&s), "{s:?}");
                assert_eq!(Key::new(&s).fold, fold(&Key::new(&s).norm), "{s:?}");
            }
        }
    }

    #[test]
    fn chars_taken_as_nfc_without_lookup_are() {
        use unicode_normalization::char::canonical_combining_class;
        for u in 0u32..0x11_0000 {
            let Some(c) = char::from_u32(u) else { continue };
            if is_nfc_anywhere(c) {
                let yes = unicode_normalization::is_nfc_quick(std::iter::once(c));
                assert_eq!(yes, unicode_normalization::IsNormalized::Yes, "U+{u:04X}");
                assert_eq!(canonical_combining_class(c), 0, "U+{u:04X}");
            }
        }
        let nfd: String = "Việt".nfd().collect();
        assert!(!is_nfc(&nfd));
        assert!(is_nfc("Việt – “Nam”"));
    }

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(21, 5), "F22");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(16383), "XFD");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
        assert_eq!(cell_ref(u32::MAX - 1, u32::MAX), "MWLQKWV4294967295");
        // The plain definition: letters are bijective base 26, rows are 1-based.
        let letters = |c: u32| {
            let (mut n, mut out) = (c as u64 + 1, Vec::new());
            while n > 0 {
                out.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
                n = (n - 1) / 26;
            }
            out.into_iter().collect::<String>()
        };
        for (r, c) in (0..2000).map(|i| (i * 7919 % 1_100_000, i * 131 % 20_000)) {
            assert_eq!(cell_ref(r, c), format!("{}{}", letters(c), r + 1));
            assert_eq!(col_name(c), letters(c));
        }
    }
}
