//! The TCVN3 and VNI-Windows tables, and the lookup arrays decoding and
//! encoding use, built from them once.
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
//! consistency tests of the legacy module (every letter has a unique
//! sequence, decode(encode(x)) == x).

use std::collections::HashMap;
use std::sync::OnceLock;

/// TCVN3 table: Unicode letter and the legacy byte, given as the
/// Windows-1252/Latin-1 character of the same value. Order: the 67 lowercase
/// letters (a-group, e-group, i, o-group, u-group, y, đ), then the 7 capitals
/// TCVN3 can represent on its own.
#[rustfmt::skip]
pub(super) const TCVN3_TABLE: [(char, char); 74] = [
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
pub(super) const VNI_TABLE: [(char, &str); 134] = [
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
pub(super) fn tcvn3_char(c: char) -> Option<char> {
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
pub(super) struct Maps {
    /// Letter -> TCVN3 byte.
    pub(super) tcvn3_enc: HashMap<char, char>,
    /// Letter -> VNI sequence.
    pub(super) vni_enc: HashMap<char, &'static str>,
    /// [base in `VNI_BASES`][trailing byte slot] -> letter.
    pub(super) vni_pair: [[Option<char>; 64]; VNI_BASES.len()],
    /// one-byte slot -> letter (ơ ư đ and the i/ỵ family).
    pub(super) vni_single: [Option<char>; 64],
}

impl Maps {
    /// The letter a VNI base followed by a trailing byte stands for.
    pub(super) fn vni_pair(&self, base: char, mark: char) -> Option<char> {
        let b = VNI_BASES.iter().position(|&x| x == base)?;
        self.vni_pair[b][vni_slot(mark)?]
    }

    /// The letter a one-byte VNI code stands for.
    pub(super) fn vni_single(&self, c: char) -> Option<char> {
        self.vni_single[vni_slot(c)?]
    }
}

/// The lookup tables, built on first use.
pub(super) fn maps() -> &'static Maps {
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
