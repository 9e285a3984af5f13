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
//! # Tables
//!
//! * **TCVN3 (ABC, TCVN 5712:1993 "VN3")**: one byte per letter. All 67
//!   accented/modified lowercase letters live in 0xA1..=0xFE, plus the seven
//!   capitals Ă Â Ê Ô Ơ Ư Đ at 0xA1..=0xA7. There are no accented capitals
//!   such as "Ộ": documents use the "H" fonts (".VnTimeH", ".VnArialH", ...)
//!   whose glyphs at the lowercase codes (and at ASCII a..z) are capitals.
//!   Unused bytes in the upper half (0xAF..=0xB4, 0xBA, 0xBF..=0xC5, 0xCD,
//!   0xD9..=0xDB, 0xE0, 0xF0, 0xFF) are left as-is.
//! * **VNI-Windows**: an ASCII base letter followed by one diacritic byte that
//!   carries the vowel modifier and/or tone (e.g. `a` + `ù` 0xF9 = á,
//!   `o` + `ä` 0xE4 = ộ), plus single bytes for the letters that have their
//!   own glyph: ơ `ô` 0xF4, ư `ö` 0xF6, đ `ñ` 0xF1, í ì ỉ ĩ ị `í ì æ ó ò`
//!   and ỵ `î` 0xEE (capitals: the same bytes minus 0x20). Tones on ơ/ư are
//!   again a trailing byte (`ôù` = ớ, `öï` = ự). Trailing bytes for capitals
//!   are the capital forms (`AÙ` = Á).
//!
//!   | vowel group (base)      | sắc  | huyền | hỏi  | ngã  | nặng | no tone |
//!   |-------------------------|------|-------|------|------|------|---------|
//!   | a e o u y, ơ `ô`, ư `ö` | ù F9 | ø F8  | û FB | õ F5 | ï EF |         |
//!   | ă (base `a`)            | é E9 | è E8  | ú FA | ü FC | ë EB | ê EA    |
//!   | â ê ô (base `a` `e` `o`)| á E1 | à E0  | å E5 | ã E3 | ä E4 | â E2    |
//!
//!   (ỵ is the single byte `î`, not `y` + `ï`; i has only single bytes.)
//!   Capitals: base `A` `E` `O` `U` `Y` `Ô` `Ö` and the trailing byte minus
//!   0x20 (Ù D9, Ø D8, Û DB, Õ D5, Ï CF, Ê CA, É C9, È C8, Ú DA, Ü DC, Ë CB,
//!   Â C2, Á C1, À C0, Å C5, Ã C3, Ä C4).
//!
//! Sources: the tables below follow the widely used converter tables
//! (Unikey/VietKey "TCVN3 (ABC)" and "VNI Windows" charsets); they were
//! compared with public VB/C# "AbcToUni"/"VniToUni" converter tables (same
//! byte strings, letter by letter), and are also checked by
//! the well known mojibake of the national motto quoted above, and by the
//! consistency tests at the bottom of this file (every letter has a unique
//! sequence, decode(encode(x)) == x).

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// A legacy 8-bit Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Legacy {
    /// TCVN3 / ABC (fonts ".VnTime", ".VnTimeH", ".VnArial", ...).
    Tcvn3,
    /// VNI-Windows (fonts "VNI-Times", "VNI-Helve", ...).
    Vni,
}

/// TCVN3 table: Unicode letter and the legacy byte, given as the
/// Windows-1252/Latin-1 character of the same value. Order: the 67 lowercase
/// letters (a-group, e-group, i, o-group, u-group, y, đ), then the 7 capitals
/// TCVN3 can represent on its own.
#[rustfmt::skip]
const TCVN3_TABLE: [(char, char); 74] = [
    ('á', '\u{B8}'), // 0xB8 ¸
    ('à', '\u{B5}'), // 0xB5 µ
    ('ả', '\u{B6}'), // 0xB6 ¶
    ('ã', '\u{B7}'), // 0xB7 ·
    ('ạ', '\u{B9}'), // 0xB9 ¹
    ('ă', '\u{A8}'), // 0xA8 ¨
    ('ắ', '\u{BE}'), // 0xBE ¾
    ('ằ', '\u{BB}'), // 0xBB »
    ('ẳ', '\u{BC}'), // 0xBC ¼
    ('ẵ', '\u{BD}'), // 0xBD ½
    ('ặ', '\u{C6}'), // 0xC6 Æ
    ('â', '\u{A9}'), // 0xA9 ©
    ('ấ', '\u{CA}'), // 0xCA Ê
    ('ầ', '\u{C7}'), // 0xC7 Ç
    ('ẩ', '\u{C8}'), // 0xC8 È
    ('ẫ', '\u{C9}'), // 0xC9 É
    ('ậ', '\u{CB}'), // 0xCB Ë
    ('é', '\u{D0}'), // 0xD0 Ð
    ('è', '\u{CC}'), // 0xCC Ì
    ('ẻ', '\u{CE}'), // 0xCE Î
    ('ẽ', '\u{CF}'), // 0xCF Ï
    ('ẹ', '\u{D1}'), // 0xD1 Ñ
    ('ê', '\u{AA}'), // 0xAA ª
    ('ế', '\u{D5}'), // 0xD5 Õ
    ('ề', '\u{D2}'), // 0xD2 Ò
    ('ể', '\u{D3}'), // 0xD3 Ó
    ('ễ', '\u{D4}'), // 0xD4 Ô
    ('ệ', '\u{D6}'), // 0xD6 Ö
    ('í', '\u{DD}'), // 0xDD Ý
    ('ì', '\u{D7}'), // 0xD7 ×
    ('ỉ', '\u{D8}'), // 0xD8 Ø
    ('ĩ', '\u{DC}'), // 0xDC Ü
    ('ị', '\u{DE}'), // 0xDE Þ
    ('ó', '\u{E3}'), // 0xE3 ã
    ('ò', '\u{DF}'), // 0xDF ß
    ('ỏ', '\u{E1}'), // 0xE1 á
    ('õ', '\u{E2}'), // 0xE2 â
    ('ọ', '\u{E4}'), // 0xE4 ä
    ('ô', '\u{AB}'), // 0xAB «
    ('ố', '\u{E8}'), // 0xE8 è
    ('ồ', '\u{E5}'), // 0xE5 å
    ('ổ', '\u{E6}'), // 0xE6 æ
    ('ỗ', '\u{E7}'), // 0xE7 ç
    ('ộ', '\u{E9}'), // 0xE9 é
    ('ơ', '\u{AC}'), // 0xAC ¬
    ('ớ', '\u{ED}'), // 0xED í
    ('ờ', '\u{EA}'), // 0xEA ê
    ('ở', '\u{EB}'), // 0xEB ë
    ('ỡ', '\u{EC}'), // 0xEC ì
    ('ợ', '\u{EE}'), // 0xEE î
    ('ú', '\u{F3}'), // 0xF3 ó
    ('ù', '\u{EF}'), // 0xEF ï
    ('ủ', '\u{F1}'), // 0xF1 ñ
    ('ũ', '\u{F2}'), // 0xF2 ò
    ('ụ', '\u{F4}'), // 0xF4 ô
    ('ư', '\u{AD}'), // 0xAD (soft hyphen)
    ('ứ', '\u{F8}'), // 0xF8 ø
    ('ừ', '\u{F5}'), // 0xF5 õ
    ('ử', '\u{F6}'), // 0xF6 ö
    ('ữ', '\u{F7}'), // 0xF7 ÷
    ('ự', '\u{F9}'), // 0xF9 ù
    ('ý', '\u{FD}'), // 0xFD ý
    ('ỳ', '\u{FA}'), // 0xFA ú
    ('ỷ', '\u{FB}'), // 0xFB û
    ('ỹ', '\u{FC}'), // 0xFC ü
    ('ỵ', '\u{FE}'), // 0xFE þ
    ('đ', '\u{AE}'), // 0xAE ®
    ('Ă', '\u{A1}'), // 0xA1 ¡
    ('Â', '\u{A2}'), // 0xA2 ¢
    ('Ê', '\u{A3}'), // 0xA3 £
    ('Ô', '\u{A4}'), // 0xA4 ¤
    ('Ơ', '\u{A5}'), // 0xA5 ¥
    ('Ư', '\u{A6}'), // 0xA6 ¦
    ('Đ', '\u{A7}'), // 0xA7 §
];

/// VNI-Windows table: Unicode letter and its legacy sequence (one or two
/// Windows-1252/Latin-1 characters). 67 lowercase letters, then the same 67
/// in capitals.
#[rustfmt::skip]
const VNI_TABLE: [(char, &str); 134] = [
    ('á', "a\u{F9}"), // a 0x61 + ù 0xF9
    ('à', "a\u{F8}"), // a 0x61 + ø 0xF8
    ('ả', "a\u{FB}"), // a 0x61 + û 0xFB
    ('ã', "a\u{F5}"), // a 0x61 + õ 0xF5
    ('ạ', "a\u{EF}"), // a 0x61 + ï 0xEF
    ('ă', "a\u{EA}"), // a 0x61 + ê 0xEA
    ('ắ', "a\u{E9}"), // a 0x61 + é 0xE9
    ('ằ', "a\u{E8}"), // a 0x61 + è 0xE8
    ('ẳ', "a\u{FA}"), // a 0x61 + ú 0xFA
    ('ẵ', "a\u{FC}"), // a 0x61 + ü 0xFC
    ('ặ', "a\u{EB}"), // a 0x61 + ë 0xEB
    ('â', "a\u{E2}"), // a 0x61 + â 0xE2
    ('ấ', "a\u{E1}"), // a 0x61 + á 0xE1
    ('ầ', "a\u{E0}"), // a 0x61 + à 0xE0
    ('ẩ', "a\u{E5}"), // a 0x61 + å 0xE5
    ('ẫ', "a\u{E3}"), // a 0x61 + ã 0xE3
    ('ậ', "a\u{E4}"), // a 0x61 + ä 0xE4
    ('é', "e\u{F9}"), // e 0x65 + ù 0xF9
    ('è', "e\u{F8}"), // e 0x65 + ø 0xF8
    ('ẻ', "e\u{FB}"), // e 0x65 + û 0xFB
    ('ẽ', "e\u{F5}"), // e 0x65 + õ 0xF5
    ('ẹ', "e\u{EF}"), // e 0x65 + ï 0xEF
    ('ê', "e\u{E2}"), // e 0x65 + â 0xE2
    ('ế', "e\u{E1}"), // e 0x65 + á 0xE1
    ('ề', "e\u{E0}"), // e 0x65 + à 0xE0
    ('ể', "e\u{E5}"), // e 0x65 + å 0xE5
    ('ễ', "e\u{E3}"), // e 0x65 + ã 0xE3
    ('ệ', "e\u{E4}"), // e 0x65 + ä 0xE4
    ('í', "\u{ED}"), // í 0xED
    ('ì', "\u{EC}"), // ì 0xEC
    ('ỉ', "\u{E6}"), // æ 0xE6
    ('ĩ', "\u{F3}"), // ó 0xF3
    ('ị', "\u{F2}"), // ò 0xF2
    ('ó', "o\u{F9}"), // o 0x6F + ù 0xF9
    ('ò', "o\u{F8}"), // o 0x6F + ø 0xF8
    ('ỏ', "o\u{FB}"), // o 0x6F + û 0xFB
    ('õ', "o\u{F5}"), // o 0x6F + õ 0xF5
    ('ọ', "o\u{EF}"), // o 0x6F + ï 0xEF
    ('ô', "o\u{E2}"), // o 0x6F + â 0xE2
    ('ố', "o\u{E1}"), // o 0x6F + á 0xE1
    ('ồ', "o\u{E0}"), // o 0x6F + à 0xE0
    ('ổ', "o\u{E5}"), // o 0x6F + å 0xE5
    ('ỗ', "o\u{E3}"), // o 0x6F + ã 0xE3
    ('ộ', "o\u{E4}"), // o 0x6F + ä 0xE4
    ('ơ', "\u{F4}"), // ô 0xF4
    ('ớ', "\u{F4}\u{F9}"), // ô 0xF4 + ù 0xF9
    ('ờ', "\u{F4}\u{F8}"), // ô 0xF4 + ø 0xF8
    ('ở', "\u{F4}\u{FB}"), // ô 0xF4 + û 0xFB
    ('ỡ', "\u{F4}\u{F5}"), // ô 0xF4 + õ 0xF5
    ('ợ', "\u{F4}\u{EF}"), // ô 0xF4 + ï 0xEF
    ('ú', "u\u{F9}"), // u 0x75 + ù 0xF9
    ('ù', "u\u{F8}"), // u 0x75 + ø 0xF8
    ('ủ', "u\u{FB}"), // u 0x75 + û 0xFB
    ('ũ', "u\u{F5}"), // u 0x75 + õ 0xF5
    ('ụ', "u\u{EF}"), // u 0x75 + ï 0xEF
    ('ư', "\u{F6}"), // ö 0xF6
    ('ứ', "\u{F6}\u{F9}"), // ö 0xF6 + ù 0xF9
    ('ừ', "\u{F6}\u{F8}"), // ö 0xF6 + ø 0xF8
    ('ử', "\u{F6}\u{FB}"), // ö 0xF6 + û 0xFB
    ('ữ', "\u{F6}\u{F5}"), // ö 0xF6 + õ 0xF5
    ('ự', "\u{F6}\u{EF}"), // ö 0xF6 + ï 0xEF
    ('ý', "y\u{F9}"), // y 0x79 + ù 0xF9
    ('ỳ', "y\u{F8}"), // y 0x79 + ø 0xF8
    ('ỷ', "y\u{FB}"), // y 0x79 + û 0xFB
    ('ỹ', "y\u{F5}"), // y 0x79 + õ 0xF5
    ('ỵ', "\u{EE}"), // î 0xEE
    ('đ', "\u{F1}"), // ñ 0xF1
    ('Á', "A\u{D9}"), // A 0x41 + Ù 0xD9
    ('À', "A\u{D8}"), // A 0x41 + Ø 0xD8
    ('Ả', "A\u{DB}"), // A 0x41 + Û 0xDB
    ('Ã', "A\u{D5}"), // A 0x41 + Õ 0xD5
    ('Ạ', "A\u{CF}"), // A 0x41 + Ï 0xCF
    ('Ă', "A\u{CA}"), // A 0x41 + Ê 0xCA
    ('Ắ', "A\u{C9}"), // A 0x41 + É 0xC9
    ('Ằ', "A\u{C8}"), // A 0x41 + È 0xC8
    ('Ẳ', "A\u{DA}"), // A 0x41 + Ú 0xDA
    ('Ẵ', "A\u{DC}"), // A 0x41 + Ü 0xDC
    ('Ặ', "A\u{CB}"), // A 0x41 + Ë 0xCB
    ('Â', "A\u{C2}"), // A 0x41 + Â 0xC2
    ('Ấ', "A\u{C1}"), // A 0x41 + Á 0xC1
    ('Ầ', "A\u{C0}"), // A 0x41 + À 0xC0
    ('Ẩ', "A\u{C5}"), // A 0x41 + Å 0xC5
    ('Ẫ', "A\u{C3}"), // A 0x41 + Ã 0xC3
    ('Ậ', "A\u{C4}"), // A 0x41 + Ä 0xC4
    ('É', "E\u{D9}"), // E 0x45 + Ù 0xD9
    ('È', "E\u{D8}"), // E 0x45 + Ø 0xD8
    ('Ẻ', "E\u{DB}"), // E 0x45 + Û 0xDB
    ('Ẽ', "E\u{D5}"), // E 0x45 + Õ 0xD5
    ('Ẹ', "E\u{CF}"), // E 0x45 + Ï 0xCF
    ('Ê', "E\u{C2}"), // E 0x45 + Â 0xC2
    ('Ế', "E\u{C1}"), // E 0x45 + Á 0xC1
    ('Ề', "E\u{C0}"), // E 0x45 + À 0xC0
    ('Ể', "E\u{C5}"), // E 0x45 + Å 0xC5
    ('Ễ', "E\u{C3}"), // E 0x45 + Ã 0xC3
    ('Ệ', "E\u{C4}"), // E 0x45 + Ä 0xC4
    ('Í', "\u{CD}"), // Í 0xCD
    ('Ì', "\u{CC}"), // Ì 0xCC
    ('Ỉ', "\u{C6}"), // Æ 0xC6
    ('Ĩ', "\u{D3}"), // Ó 0xD3
    ('Ị', "\u{D2}"), // Ò 0xD2
    ('Ó', "O\u{D9}"), // O 0x4F + Ù 0xD9
    ('Ò', "O\u{D8}"), // O 0x4F + Ø 0xD8
    ('Ỏ', "O\u{DB}"), // O 0x4F + Û 0xDB
    ('Õ', "O\u{D5}"), // O 0x4F + Õ 0xD5
    ('Ọ', "O\u{CF}"), // O 0x4F + Ï 0xCF
    ('Ô', "O\u{C2}"), // O 0x4F + Â 0xC2
    ('Ố', "O\u{C1}"), // O 0x4F + Á 0xC1
    ('Ồ', "O\u{C0}"), // O 0x4F + À 0xC0
    ('Ổ', "O\u{C5}"), // O 0x4F + Å 0xC5
    ('Ỗ', "O\u{C3}"), // O 0x4F + Ã 0xC3
    ('Ộ', "O\u{C4}"), // O 0x4F + Ä 0xC4
    ('Ơ', "\u{D4}"), // Ô 0xD4
    ('Ớ', "\u{D4}\u{D9}"), // Ô 0xD4 + Ù 0xD9
    ('Ờ', "\u{D4}\u{D8}"), // Ô 0xD4 + Ø 0xD8
    ('Ở', "\u{D4}\u{DB}"), // Ô 0xD4 + Û 0xDB
    ('Ỡ', "\u{D4}\u{D5}"), // Ô 0xD4 + Õ 0xD5
    ('Ợ', "\u{D4}\u{CF}"), // Ô 0xD4 + Ï 0xCF
    ('Ú', "U\u{D9}"), // U 0x55 + Ù 0xD9
    ('Ù', "U\u{D8}"), // U 0x55 + Ø 0xD8
    ('Ủ', "U\u{DB}"), // U 0x55 + Û 0xDB
    ('Ũ', "U\u{D5}"), // U 0x55 + Õ 0xD5
    ('Ụ', "U\u{CF}"), // U 0x55 + Ï 0xCF
    ('Ư', "\u{D6}"), // Ö 0xD6
    ('Ứ', "\u{D6}\u{D9}"), // Ö 0xD6 + Ù 0xD9
    ('Ừ', "\u{D6}\u{D8}"), // Ö 0xD6 + Ø 0xD8
    ('Ử', "\u{D6}\u{DB}"), // Ö 0xD6 + Û 0xDB
    ('Ữ', "\u{D6}\u{D5}"), // Ö 0xD6 + Õ 0xD5
    ('Ự', "\u{D6}\u{CF}"), // Ö 0xD6 + Ï 0xCF
    ('Ý', "Y\u{D9}"), // Y 0x59 + Ù 0xD9
    ('Ỳ', "Y\u{D8}"), // Y 0x59 + Ø 0xD8
    ('Ỷ', "Y\u{DB}"), // Y 0x59 + Û 0xDB
    ('Ỹ', "Y\u{D5}"), // Y 0x59 + Õ 0xD5
    ('Ỵ', "\u{CE}"), // Î 0xCE
    ('Đ', "\u{D1}"), // Ñ 0xD1
];

/// The twelve Vietnamese vowels with their six tone forms, in the order
/// (no tone, huyền, hỏi, ngã, sắc, nặng). Used by the syllable checker.
#[rustfmt::skip]
const VOWEL_FORMS: [[char; 6]; 12] = [
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

/// First byte of the TCVN3 decode array.
const TCVN3_FIRST: u32 = 0xA1;

/// TCVN3 byte (0xA1..=0xFE) to Unicode, built from [`TCVN3_TABLE`].
const TCVN3_DECODE: [Option<char>; 94] = build_tcvn3_decode();

const fn build_tcvn3_decode() -> [Option<char>; 94] {
    let mut out = [None; 94];
    let mut i = 0;
    while i < TCVN3_TABLE.len() {
        let (uni, code) = TCVN3_TABLE[i];
        out[(code as u32 - TCVN3_FIRST) as usize] = Some(uni);
        i += 1;
    }
    out
}

/// Decodes one TCVN3 character, if it is a table code.
fn tcvn3_char(c: char) -> Option<char> {
    let v = c as u32;
    if (TCVN3_FIRST..TCVN3_FIRST + 94).contains(&v) { TCVN3_DECODE[(v - TCVN3_FIRST) as usize] } else { None }
}

/// First code of the VNI decode arrays: every VNI trailing byte and every one-byte
/// VNI letter is a Latin-1 letter in 0xC0..=0xFF.
const VNI_FIRST: u32 = 0xC0;

/// The characters a two-byte VNI letter starts with: a e o u y, ơ `ô` and ư `ö`,
/// lowercase then capital.
const VNI_BASES: [char; 14] =
    ['a', 'e', 'o', 'u', 'y', '\u{F4}', '\u{F6}', 'A', 'E', 'O', 'U', 'Y', '\u{D4}', '\u{D6}'];

/// Index of a code in the VNI decode arrays, if it is in 0xC0..=0xFF.
fn vni_slot(c: char) -> Option<usize> {
    (c as u32).checked_sub(VNI_FIRST).filter(|&i| i < 64).map(|i| i as usize)
}

/// Lookup tables built once from the const tables. Decoding runs on every text cell
/// that statistics have to judge, so its tables are arrays rather than hash maps.
struct Maps {
    tcvn3_enc: HashMap<char, char>,
    vni_enc: HashMap<char, &'static str>,
    /// [base in `VNI_BASES`][trailing byte slot] -> letter.
    vni_pair: [[Option<char>; 64]; VNI_BASES.len()],
    /// one-byte slot -> letter (ơ ư đ and the i/ỵ family).
    vni_single: [Option<char>; 64],
}

impl Maps {
    /// The letter a VNI base followed by a trailing byte stands for.
    fn vni_pair(&self, base: char, mark: char) -> Option<char> {
        let b = VNI_BASES.iter().position(|&x| x == base)?;
        self.vni_pair[b][vni_slot(mark)?]
    }

    /// The letter a one-byte VNI code stands for.
    fn vni_single(&self, c: char) -> Option<char> {
        self.vni_single[vni_slot(c)?]
    }
}

fn maps() -> &'static Maps {
    static MAPS: OnceLock<Maps> = OnceLock::new();
    MAPS.get_or_init(|| {
        let tcvn3_enc = TCVN3_TABLE.iter().copied().collect();
        let vni_enc = VNI_TABLE.iter().copied().collect();
        let mut vni_pair = [[None; 64]; VNI_BASES.len()];
        let mut vni_single = [None; 64];
        // Every sequence fits the arrays: the round-trip tests decode all 134 letters.
        for &(uni, seq) in VNI_TABLE.iter() {
            let mut it = seq.chars();
            match (it.next(), it.next()) {
                (Some(a), Some(b)) => {
                    if let (Some(base), Some(slot)) = (VNI_BASES.iter().position(|&x| x == a), vni_slot(b)) {
                        vni_pair[base][slot] = Some(uni);
                    }
                }
                (Some(a), None) => {
                    if let Some(slot) = vni_slot(a) {
                        vni_single[slot] = Some(uni);
                    }
                }
                _ => {}
            }
        }
        Maps { tcvn3_enc, vni_enc, vni_pair, vni_single }
    })
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
fn is_syllable(word: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
