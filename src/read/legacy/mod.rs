//! Legacy 8-bit Vietnamese encodings: TCVN3 (ABC) and VNI-Windows.
//!
//! Older government workbooks were typed with "font encodings": the text is
//! stored as single-byte Windows-1252 text, and a special font (".VnTime",
//! "VNI-Times", ...) draws Vietnamese glyphs at the byte positions. Once such
//! a file is read (or was saved as .xlsx), every byte becomes the Unicode
//! character with the same Windows-1252 / Latin-1 value, which gives the well
//! known mojibake such as TCVN3 `"Céng hoµ x· héi chñ nghÜa ViÖt Nam"` or VNI
//! `"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"`.
//!
//! This module detects such strings (from the cell's font name, or from
//! character statistics when the font is unknown), decodes them to NFC
//! Unicode, and encodes Unicode back to the legacy form (for tests and test
//! file generators).
//!
//! The encodings' tables (and where they come from) are in `tables`, the guess
//! whether a text is legacy-encoded in `detection`, and the Vietnamese syllable
//! check the guess relies on in `syllable`.

use unicode_normalization::UnicodeNormalization;

mod detection;
mod syllable;
mod tables;

pub use detection::detect;
use tables::{maps, tcvn3_char};

/// A legacy 8-bit Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Legacy {
    /// TCVN3 / ABC (fonts ".VnTime", ".VnTimeH", ".VnArial", ...).
    Tcvn3,
    /// VNI-Windows (fonts "VNI-Times", "VNI-Helve", ...).
    Vni,
}

/// Swaps the case of a single character when that gives a single character.
fn swap_case(c: char) -> Option<char> {
    if c.is_lowercase() {
        single(c.to_uppercase())
    } else if c.is_uppercase() {
        single(c.to_lowercase())
    } else {
        None
    }
}

/// The only char of `chars`, if there is exactly one.
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    match (chars.next(), chars.next()) {
        (Some(x), None) => Some(x),
        _ => None,
    }
}

/// Result of the raw (not normalized) decoding pass.
struct Decoded {
    text: String,
    /// Non-ASCII characters that were not part of any table entry.
    unconsumed: usize,
    /// VNI two-character sequences that were combined.
    pairs: usize,
}

fn decode_raw(text: &str, enc: Legacy) -> Decoded {
    let mut out = String::with_capacity(text.len() + 8);
    let mut unconsumed = 0;
    let mut pairs = 0;
    match enc {
        Legacy::Tcvn3 => {
            for c in text.chars() {
                match tcvn3_char(c) {
                    Some(u) => out.push(u),
                    None => {
                        if !c.is_ascii() {
                            unconsumed += 1;
                        }
                        out.push(c);
                    }
                }
            }
        }
        Legacy::Vni => {
            let m = maps();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if let Some(&next) = chars.peek() {
                    // Exact pair first; then, leniently, a trailing byte of
                    // the other case (the base letter decides the case).
                    let pair = m.vni_pair(c, next).or_else(|| swap_case(next).and_then(|n| m.vni_pair(c, n)));
                    if let Some(u) = pair {
                        out.push(u);
                        pairs += 1;
                        chars.next();
                        continue;
                    }
                }
                match m.vni_single(c) {
                    Some(u) => out.push(u),
                    None => {
                        if !c.is_ascii() {
                            unconsumed += 1;
                        }
                        out.push(c);
                    }
                }
            }
        }
    }
    Decoded { text: out, unconsumed, pairs }
}

/// Decode to NFC Unicode. `capitals` = true for TCVN3 "H" fonts (.VnTimeH),
/// which show lowercase codes as capitals.
///
/// Characters that are not part of the encoding's table are kept as they
/// are. With `capitals`, the whole decoded text is upper-cased, because the
/// capitals fonts draw every letter (ASCII included) as a capital.
pub fn decode(text: &str, enc: Legacy, capitals: bool) -> String {
    let raw = decode_raw(text, enc).text;
    if capitals { raw.to_uppercase().nfc().collect() } else { raw.nfc().collect() }
}

/// Encode Unicode Vietnamese into the legacy form (as the cp1252-char string
/// a workbook would carry); used by tests and test-file generators.
/// Characters not representable are kept as-is.
///
/// The input is NFC-normalized first. TCVN3 has no accented capitals other
/// than Ă Â Ê Ô Ơ Ư Đ; other capitals such as "Ộ" are not representable and
/// are kept (to produce text for a ".VnTimeH" font, encode the lowercase
/// text).
pub fn encode(text: &str, enc: Legacy) -> String {
    let m = maps();
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.nfc() {
        match enc {
            Legacy::Tcvn3 => out.push(m.tcvn3_enc.get(&c).copied().unwrap_or(c)),
            Legacy::Vni => match m.vni_enc.get(&c) {
                Some(seq) => out.push_str(seq),
                None => out.push(c),
            },
        }
    }
    out
}

/// Whether a font name is a legacy Vietnamese font, and which, and whether it
/// is a capitals ("H") font.
///
/// * TCVN3: names starting with ".Vn" (".VnTime", ".VnArial Narrow",
///   ".VnCentury Schoolbook", ...), also "VnTime"/"VnArial" without the dot.
///   A family name ending in a capital "H" (".VnTimeH", ".VnArial NarrowH")
///   is a capitals font; a trailing style word (" Bold", " Italic") is
///   ignored for that test.
/// * VNI: names starting with "VNI-", "VNI " or "VNI_" ("VNI-Times",
///   "VNI-Helve", ...). VNI capitals fonts are not recognised (always false).
///
/// Matching is case-insensitive except for the final "H".
pub fn font_encoding(font: &str) -> Option<(Legacy, bool)> {
    let name = font.trim();
    // Asked of every value in a workbook's styles: no lowercase copy to answer "no".
    let starts = |prefix: &str| name.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
    if starts(".vn") || starts("vntime") || starts("vnarial") {
        let mut family = name;
        loop {
            let fl = family.to_ascii_lowercase();
            let cut = [" bold", " italic", " regular", " normal"]
                .iter()
                .find(|s| fl.ends_with(*s))
                .map(|s| family.len() - s.len());
            match cut {
                Some(n) => family = family[..n].trim_end(),
                None => break,
            }
        }
        return Some((Legacy::Tcvn3, family.ends_with('H')));
    }
    if starts("vni-") || starts("vni ") || starts("vni_") {
        return Some((Legacy::Vni, false));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use syllable::{VOWEL_FORMS, is_syllable};
    use tables::{TCVN3_TABLE, VNI_TABLE, maps};

    /// The 67 lowercase non-ASCII Vietnamese letters.
    fn lowercase_letters() -> Vec<char> {
        let mut v: Vec<char> =
            VOWEL_FORMS.iter().flat_map(|forms| forms.iter().copied()).filter(|c| !c.is_ascii()).collect();
        v.push('đ');
        v
    }

    fn upper(c: char) -> char {
        let mut it = c.to_uppercase();
        let u = it.next().unwrap();
        assert!(it.next().is_none());
        u
    }

    const PHRASES: [&str; 6] = [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Đăng ký khai sinh",
        "Phường Đô Vinh",
        "Tổng cộng",
        "Uỷ ban nhân dân tỉnh Khánh Hòa: 1.234 người, 56,7%",
    ];

    #[test]
    fn tcvn3_table_is_consistent() {
        let letters: HashSet<char> = TCVN3_TABLE.iter().map(|e| e.0).collect();
        let codes: HashSet<char> = TCVN3_TABLE.iter().map(|e| e.1).collect();
        assert_eq!(letters.len(), 74);
        assert_eq!(codes.len(), 74);
        for &(_, code) in TCVN3_TABLE.iter() {
            assert!((0xA1..=0xFE).contains(&(code as u32)), "{code:?}");
        }
        let lower = lowercase_letters();
        assert_eq!(lower.len(), 67);
        for c in &lower {
            assert!(letters.contains(c), "TCVN3 lacks {c}");
        }
        for c in "ĂÂÊÔƠƯĐ".chars() {
            assert!(letters.contains(&c), "TCVN3 lacks {c}");
        }
    }

    #[test]
    fn vni_table_is_consistent() {
        let letters: HashSet<char> = VNI_TABLE.iter().map(|e| e.0).collect();
        let seqs: HashSet<&str> = VNI_TABLE.iter().map(|e| e.1).collect();
        assert_eq!(letters.len(), 134);
        assert_eq!(seqs.len(), 134);
        for c in lowercase_letters() {
            assert!(letters.contains(&c), "VNI lacks {c}");
            assert!(letters.contains(&upper(c)), "VNI lacks {}", upper(c));
        }
        // Capital entries are the lowercase entries with every character
        // upper-cased, in the same order.
        for i in 0..67 {
            let (l, ls) = VNI_TABLE[i];
            let (u, us) = VNI_TABLE[i + 67];
            assert_eq!(upper(l), u);
            assert_eq!(ls.to_uppercase(), us);
        }
        // Sequences are 1 or 2 characters, all in cp1252's Latin-1 part.
        for &(_, s) in VNI_TABLE.iter() {
            let n = s.chars().count();
            assert!(n == 1 || n == 2, "{s}");
            assert!(s.chars().all(|c| (c as u32) < 0x100));
        }
        // No single-character entry is also a trailing diacritic byte, so
        // greedy decoding of adjacent letters is unambiguous.
        let singles: HashSet<char> =
            VNI_TABLE.iter().filter(|e| e.1.chars().count() == 1).map(|e| e.1.chars().next().unwrap()).collect();
        let marks: HashSet<char> = VNI_TABLE.iter().filter_map(|e| e.1.chars().nth(1)).collect();
        assert!(singles.is_disjoint(&marks));
    }

    #[test]
    fn vni_decode_arrays_hold_every_sequence() {
        let m = maps();
        for &(uni, seq) in VNI_TABLE.iter() {
            let mut it = seq.chars();
            let decoded = match (it.next(), it.next()) {
                (Some(a), Some(b)) => m.vni_pair(a, b),
                (Some(a), None) => m.vni_single(a),
                _ => None,
            };
            assert_eq!(decoded, Some(uni), "{seq:?}");
        }
        let filled = m.vni_pair.iter().flatten().chain(&m.vni_single).filter(|u| u.is_some()).count();
        assert_eq!(filled, VNI_TABLE.len());
    }

    #[test]
    fn long_words_are_not_syllables() {
        assert!(is_syllable("nghiêng"));
        assert!(is_syllable("NGHIÊNG"));
        assert!(is_syllable("khuyết"));
        assert!(!is_syllable("nghiêngg"));
        assert!(!is_syllable("Nguyễnnnn"));
    }

    #[test]
    fn tcvn3_round_trip_every_letter() {
        for c in lowercase_letters() {
            let s = c.to_string();
            let e = encode(&s, Legacy::Tcvn3);
            assert_eq!(e.chars().count(), 1, "{c}");
            // TCVN3 keeps ý at its Latin-1 position 0xFD.
            assert!(e != s || c == 'ý', "{c} must be encoded");
            assert_eq!(decode(&e, Legacy::Tcvn3, false), s);
            // Capitals come from the "H" fonts.
            assert_eq!(decode(&e, Legacy::Tcvn3, true), upper(c).to_string());
        }
        for c in "ĂÂÊÔƠƯĐ".chars() {
            let s = c.to_string();
            let e = encode(&s, Legacy::Tcvn3);
            assert_ne!(e, s);
            assert_eq!(decode(&e, Legacy::Tcvn3, false), s);
        }
        // All letters in one run.
        let all: String = lowercase_letters().into_iter().collect();
        let e = encode(&all, Legacy::Tcvn3);
        assert_eq!(decode(&e, Legacy::Tcvn3, false), all);
        assert_eq!(decode(&e, Legacy::Tcvn3, true), all.to_uppercase());
    }

    #[test]
    fn tcvn3_unrepresentable_capitals_are_kept() {
        assert_eq!(encode("Ộ", Legacy::Tcvn3), "Ộ");
        assert_eq!(encode("ABC xyz 123", Legacy::Tcvn3), "ABC xyz 123");
    }

    #[test]
    fn vni_round_trip_every_letter() {
        let lower = lowercase_letters();
        let all: Vec<char> = lower.iter().copied().chain(lower.iter().map(|&c| upper(c))).collect();
        assert_eq!(all.len(), 134);
        for &c in &all {
            let s = c.to_string();
            let e = encode(&s, Legacy::Vni);
            // VNI keeps í ì Í Ì at their Latin-1 positions.
            assert!(e != s || "íìÍÌ".contains(c), "{c} must be encoded");
            assert_eq!(decode(&e, Legacy::Vni, false), s, "{c} via {e}");
        }
        // Adjacent letters (every ordered pair) stay unambiguous.
        for &a in &all {
            for &b in &all {
                let s: String = [a, b].iter().collect();
                assert_eq!(decode(&encode(&s, Legacy::Vni), Legacy::Vni, false), s);
            }
        }
        // Letters next to ASCII vowels too.
        for &c in &all {
            for v in ['a', 'e', 'o', 'u', 'y', 'A', 'O'] {
                let s: String = [v, c, v].iter().collect();
                assert_eq!(decode(&encode(&s, Legacy::Vni), Legacy::Vni, false), s);
            }
        }
    }

    #[test]
    fn well_known_mojibake_decodes() {
        let motto = "Cộng hoà xã hội chủ nghĩa Việt Nam";
        let tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
        let vni = "Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam";
        assert_eq!(decode(tcvn3, Legacy::Tcvn3, false), motto);
        assert_eq!(decode(vni, Legacy::Vni, false), motto);
        assert_eq!(encode(motto, Legacy::Tcvn3), tcvn3);
        assert_eq!(encode(motto, Legacy::Vni), vni);
        assert_eq!(decode("§éc lËp - Tù do - H¹nh phóc", Legacy::Tcvn3, false), "Độc lập - Tự do - Hạnh phúc");
        assert_eq!(decode("Ñoäc laäp - Töï do - Haïnh phuùc", Legacy::Vni, false), "Độc lập - Tự do - Hạnh phúc");
        assert_eq!(decode("Ph\u{AD}êng", Legacy::Tcvn3, false), "Phường");
        assert_eq!(decode("Phöôøng", Legacy::Vni, false), "Phường");
        assert_eq!(decode("céng hoµ x· héi", Legacy::Tcvn3, true), "CỘNG HOÀ XÃ HỘI");
        assert_eq!(decode("COÄNG HOØA", Legacy::Vni, false), "CỘNG HÒA");
    }

    #[test]
    fn phrases_round_trip() {
        for p in PHRASES {
            for enc in [Legacy::Tcvn3, Legacy::Vni] {
                let e = encode(p, enc);
                assert_ne!(e, p);
                assert!(e.chars().all(|c| (c as u32) < 0x100), "{e}");
                let d = decode(&e, enc, false);
                assert_eq!(d, p, "{enc:?}");
            }
            let lower = p.to_lowercase();
            let e = encode(&lower, Legacy::Tcvn3);
            assert_eq!(decode(&e, Legacy::Tcvn3, true), p.to_uppercase());
        }
    }

    #[test]
    fn decode_is_nfc_and_vni_is_lenient_about_mark_case() {
        // Decomposed input is recomposed.
        assert_eq!(decode("Vie\u{0323}\u{0302}t", Legacy::Vni, false), "Việt");
        // Base letter decides the case of a VNI pair.
        assert_eq!(decode("Aù", Legacy::Vni, false), "Á");
        assert_eq!(decode("aÙ", Legacy::Vni, false), "á");
        // Unknown bytes are kept.
        assert_eq!(decode("°C", Legacy::Tcvn3, false), "°C");
    }

    #[test]
    fn detects_encoded_phrases() {
        for p in PHRASES {
            let t = encode(p, Legacy::Tcvn3);
            assert_eq!(detect(&t, None), Some(Legacy::Tcvn3), "{t}");
            let v = encode(p, Legacy::Vni);
            assert_eq!(detect(&v, None), Some(Legacy::Vni), "{v}");
            // Unicode font names do not prevent statistical detection.
            assert_eq!(detect(&t, Some("Times New Roman")), Some(Legacy::Tcvn3));
            assert_eq!(detect(&v, Some("Arial")), Some(Legacy::Vni));
        }
        for w in ["Tæng", "Hµ Néi", "Coäng", "Toång soá"] {
            assert!(detect(w, None).is_some(), "{w}");
        }
    }

    #[test]
    fn does_not_flag_unicode_ascii_numbers_or_western_text() {
        let samples = [
            "",
            "   ",
            "Total",
            "UBND",
            "Report for Q3 2024 (final)",
            "1.234.567",
            "12,5%",
            "-",
            "Café",
            "Zürich",
            "naïve",
            "Crème brûlée",
            "São Paulo",
            "Müller GmbH, Köln",
            "Señor Núñez",
            "Noël à Genève",
            "© 2024 Company®",
            "5 × 3 ÷ 2 ± 1 °C",
            "« quoted »",
            // Unicode Vietnamese, including words made only of Latin-1 letters.
            "Tân Bình",
            "Bá",
            "Sóc",
            "Cà Mau",
            "Mê Linh",
            "Tỉnh Bà Rịa – Vũng Tàu",
        ];
        for s in samples.iter().copied().chain(PHRASES) {
            assert_eq!(detect(s, None), None, "{s}");
            assert_eq!(detect(s, Some("Times New Roman")), None, "{s}");
        }
        for p in PHRASES {
            assert_eq!(detect(p, Some(".VnTime")), None, "{p}");
            assert_eq!(detect(p, Some("VNI-Times")), None, "{p}");
        }
    }

    #[test]
    fn detects_from_font() {
        assert_eq!(detect("Tæng céng", Some(".VnTime")), Some(Legacy::Tcvn3));
        assert_eq!(detect("Coäng", Some("VNI-Times")), Some(Legacy::Vni));
        // The font wins over statistics.
        assert_eq!(detect("Café", Some(".VnTime")), Some(Legacy::Tcvn3));
        // Nothing to decode.
        assert_eq!(detect("Total 2024", Some(".VnTime")), None);
        assert_eq!(detect("123", Some("VNI-Times")), None);
        assert_eq!(detect("TOTAL", Some(".VnTimeH")), None);
        // A capitals font changes ASCII lowercase.
        assert_eq!(detect("tong", Some(".VnTimeH")), Some(Legacy::Tcvn3));
    }

    #[test]
    fn font_names() {
        assert_eq!(font_encoding(".VnTime"), Some((Legacy::Tcvn3, false)));
        assert_eq!(font_encoding(".VnTimeH"), Some((Legacy::Tcvn3, true)));
        assert_eq!(font_encoding(".VnArial"), Some((Legacy::Tcvn3, false)));
        assert_eq!(font_encoding(".VnArial NarrowH"), Some((Legacy::Tcvn3, true)));
        assert_eq!(font_encoding(" .VnTimeH Bold "), Some((Legacy::Tcvn3, true)));
        assert_eq!(font_encoding(".vntime"), Some((Legacy::Tcvn3, false)));
        assert_eq!(font_encoding("VnTime"), Some((Legacy::Tcvn3, false)));
        assert_eq!(font_encoding("VNI-Times"), Some((Legacy::Vni, false)));
        assert_eq!(font_encoding("VNI-Helve"), Some((Legacy::Vni, false)));
        assert_eq!(font_encoding("Times New Roman"), None);
        assert_eq!(font_encoding("Arial"), None);
        assert_eq!(font_encoding(""), None);
    }

    #[test]
    fn syllable_checker() {
        for w in [
            "Việt",
            "nghĩa",
            "Nguyễn",
            "khuya",
            "giữ",
            "gìn",
            "quốc",
            "Đăng",
            "ký",
            "Phường",
            "xoong",
            "thuở",
            "TỔNG",
            "ở",
            "huỳnh",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["Café", "cen", "ket", "tết", "kan", "ghu", "Zürich", "oo", "ăn", "nhanh", "ăm"] {
            let expect = matches!(w, "tết" | "ăn" | "nhanh" | "ăm");
            assert_eq!(is_syllable(w), expect, "{w}");
        }
    }
}
