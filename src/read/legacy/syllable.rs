//! Whether a word is a well-formed Vietnamese syllable, the plausibility check
//! that statistical detection judges a decoded word by.

use super::single;

/// The twelve Vietnamese vowels with their six tone forms, in the order
/// (no tone, huyền, hỏi, ngã, sắc, nặng). Used by the syllable checker.
#[rustfmt::skip]
pub(super) const VOWEL_FORMS: [[char; 6]; 12] = [
    ['a', 'à', 'ả', 'ã', 'á', 'ạ'],
    ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ'],
    ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
    ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ'],
    ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ'],
    ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'],
    ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ'],
    ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ'],
    ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ'],
    ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ'],
    ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự'],
    ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'],
];

/// Tone index of sắc in [`VOWEL_FORMS`].
const TONE_SAC: usize = 4;
/// Tone index of nặng in [`VOWEL_FORMS`].
const TONE_NANG: usize = 5;

/// Which consonant endings a vowel nucleus allows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coda {
    /// No final consonant (the nucleus already ends in a glide, or is ia/ua/ưa).
    Open,
    /// A final consonant is required (ă, â, iê, uô, ươ, ...).
    Closed,
    /// Either.
    Any,
}

fn nucleus_coda(n: &str) -> Option<Coda> {
    use Coda::*;
    Some(match n {
        "a" | "e" | "ê" | "i" | "o" | "ô" | "ơ" | "u" | "ư" | "y" => Any,
        "oa" | "oe" | "uê" | "uy" => Any,
        "ă" | "â" | "iê" | "yê" | "uô" | "ươ" | "oă" | "uâ" | "uyê" | "oo" => Closed,
        "ai" | "ao" | "au" | "ay" | "âu" | "ây" | "eo" | "êu" | "ia" | "iu" | "oi" | "ôi" | "ơi" | "ua" | "ui"
        | "ưa" | "ưi" | "ưu" | "uơ" | "iêu" | "yêu" | "ươi" | "ươu" | "uôi" | "oai" | "oay" | "oao" | "oeo" | "uây"
        | "uya" | "uyu" => Open,
        _ => return None,
    })
}

const INITIALS: [&str; 28] = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu",
    "r", "s", "t", "th", "tr", "v", "x",
];

const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether `word` is a well-formed (lowercase or capitalised) Vietnamese
/// syllable in Unicode: initial consonant, vowel nucleus, final consonant,
/// at most one tone, with the main spelling and tone constraints (stop
/// finals c/ch/p/t only take sắc or nặng; k/gh/ngh only before i e ê y; ...).
/// A plausibility check for detection, not a full phonotactic validator.
pub(super) fn is_syllable(word: &str) -> bool {
    // Each char gives one base letter, and the longest initial, nucleus and final
    // ("ngh", "uyê", "ng") add up to 8 letters: longer words are never syllables.
    const MAX_LETTERS: usize = 8;
    let mut buf = [0u8; 4 * MAX_LETTERS];
    let mut len = 0;
    let mut tone = 0;
    for (i, c) in word.chars().enumerate() {
        if i == MAX_LETTERS {
            return false;
        }
        let Some(lc) = single(c.to_lowercase()) else { return false };
        if lc.is_ascii_lowercase() || lc == 'đ' {
            len += lc.encode_utf8(&mut buf[len..]).len();
            continue;
        }
        let Some((b, t)) =
            VOWEL_FORMS.iter().find_map(|forms| forms.iter().position(|&f| f == lc).map(|t| (forms[0], t)))
        else {
            return false;
        };
        if t != 0 {
            if tone != 0 {
                return false;
            }
            tone = t;
        }
        len += b.encode_utf8(&mut buf[len..]).len();
    }
    let Ok(base) = std::str::from_utf8(&buf[..len]) else { return false };
    INITIALS.iter().any(|ini| {
        let Some(rest) = base.strip_prefix(ini) else {
            return false;
        };
        FINALS.iter().any(|fin| {
            let Some(nucleus) = rest.strip_suffix(fin) else {
                return false;
            };
            rhyme_ok(ini, nucleus, fin, tone)
        })
    })
}

fn rhyme_ok(ini: &str, nucleus: &str, fin: &str, tone: usize) -> bool {
    let Some(coda) = nucleus_coda(nucleus) else {
        return false;
    };
    match coda {
        Coda::Open if !fin.is_empty() => return false,
        Coda::Closed if fin.is_empty() => return false,
        _ => {}
    }
    if nucleus == "oo" && fin != "ng" && fin != "c" {
        return false;
    }
    if (fin == "ch" || fin == "nh") && !matches!(nucleus, "a" | "ê" | "i" | "oa" | "uê" | "uy") {
        return false;
    }
    if matches!(fin, "c" | "ch" | "p" | "t") && tone != TONE_SAC && tone != TONE_NANG {
        return false;
    }
    let first = nucleus.chars().next().unwrap_or(' ');
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    match ini {
        "k" | "gh" | "ngh" if !front => false,
        "c" | "ng" if front => false,
        "g" if matches!(first, 'e' | 'ê') => false,
        "qu" if matches!(first, 'u' | 'o') => false,
        _ => true,
    }
}
