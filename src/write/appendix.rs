//! What the two appendices (Phụ lục in the DOCX, the XLSX's sheets) say the same
//! way, so they cannot disagree: their numbering, the attached line, the header
//! of last month's column, and the note on units not yet in the consolidation
//! (also offered to the template).

use crate::model::{Document, Report, UnitStatus};

/// Header of the column of last month's figures printed beside each figure column
/// when last month's appendix was the reference ([`Report::previous_column`]).
pub const PREVIOUS_HEADER: &str = "Tháng trước";

/// "Phụ lục I", "Phụ lục II", ... for appendix `index` (0-based) of `count`;
/// "Phụ lục" when there is only one (Decree 30, III.1.b).
pub fn label(index: usize, count: usize) -> String {
    if count > 1 { format!("Phụ lục {}", roman(index + 1)) } else { "Phụ lục".to_string() }
}

/// "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác
/// ...)", as Decree 30 writes it (Phụ lục III, III.1.c and Mẫu 2.1): the date in
/// words, then the issuing body as a sentence writes it (`issuing_body_in_text`,
/// else the header's lines in sentence case); blanks for the clerk where the
/// number or the date is not set yet ("ngày      tháng 8 năm 2024").
pub fn attached_line(doc: &Document, month: u32, year: u32) -> String {
    let body = match doc.issuing_body_in_text.trim() {
        "" => in_a_sentence(&doc.issuing_body.join(" ")),
        named => named.to_string(),
    };
    let of = if body.is_empty() { String::new() } else { format!(" của {body}") };
    format!("(Kèm theo Báo cáo số {} {}{of})", doc.number_symbol(), doc.date_in_words(month, year))
}

/// A name the header writes in capitals ("TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06") as a
/// sentence writes it: lowercase after its first letter ("Tổ công tác triển
/// khai đề án 06"), abbreviations without a vowel kept ("UBND", "HĐND").
fn in_a_sentence(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let abbreviation = is_abbreviation(word);
            if abbreviation {
                return word.to_string();
            }
            let lower = word.to_lowercase();
            if i > 0 {
                return lower;
            }
            let mut chars = lower.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect();
    words.join(" ")
}

/// When some expected units are not in the consolidation, or are in it with
/// figures missing ("thiếu số liệu"): how many of each group are in it in full,
/// and which are not, e.g. "Số liệu tổng hợp từ 15/16 phường, xã và 4/4 phòng,
/// ban, đơn vị thành phố; chưa có số liệu của: Phường Phủ Hà." or "Số liệu tổng
/// hợp đủ từ 14/16 phường, xã và 4/4 phòng, ban, đơn vị thành phố; thiếu số liệu:
/// Phường Bảo An (DVC thiết yếu: cột “Tổng số hồ sơ”); chưa có số liệu của: Phường
/// Phủ Hà." None when every unit is in it in full.
pub fn coverage_note(report: &Report) -> Option<String> {
    let absent: Vec<&str> = report.units.iter().filter(|u| !u.status.is_counted()).map(|u| u.name.as_str()).collect();
    let incomplete: Vec<String> = report
        .units
        .iter()
        .filter(|u| u.status == UnitStatus::Incomplete)
        .map(|u| format!("{} ({})", u.name, u.missing_text(MISSING_NAMED)))
        .collect();
    if absent.is_empty() && incomplete.is_empty() {
        return None;
    }
    let mut note = format!(
        "Số liệu tổng hợp {}từ {}",
        if incomplete.is_empty() { "" } else { "đủ " },
        group_counts(report).join(" và ")
    );
    if !incomplete.is_empty() {
        note += &format!("; thiếu số liệu: {}", incomplete.join(", "));
    }
    if !absent.is_empty() {
        note += &format!("; chưa có số liệu của: {}", absent.join(", "));
    }
    Some(note + ".")
}

/// Most things a unit lacks that a note names ("… và 3 chỗ khác" for the rest).
pub const MISSING_NAMED: usize = 3;

/// "15/16 phường, xã", "4/4 phòng, ban, đơn vị thành phố": of each group, the
/// units whose figures are all in the consolidation, of those expected.
pub fn group_counts(report: &Report) -> Vec<String> {
    report
        .groups
        .iter()
        .filter_map(|g| {
            let of_group: Vec<_> = report.units.iter().filter(|u| u.group == g.id).collect();
            let complete = of_group.iter().filter(|u| u.status == UnitStatus::Counted).count();
            (!of_group.is_empty()).then(|| format!("{complete}/{} {}", of_group.len(), g.name))
        })
        .collect()
}

/// Whether a word in capitals is an abbreviation ("UBND", "HĐND", "ĐA06"), not a
/// syllable: it has digits among its letters, no vowel, or three consonants in a
/// row (other than "ngh", as in "NGHĨA").
fn is_abbreviation(word: &str) -> bool {
    let folded = crate::text::fold(word);
    let letters = folded.chars().any(|c| c.is_ascii_alphabetic());
    if !letters {
        return false;
    }
    if folded.chars().any(|c| c.is_ascii_digit()) || !folded.chars().any(|c| "aeiouy".contains(c)) {
        return true;
    }
    let mut run = String::new();
    for c in folded.chars().filter(char::is_ascii_alphabetic) {
        if "aeiouy".contains(c) {
            run.clear();
            continue;
        }
        run.push(c);
        if run.len() >= 3 && run != "ngh" {
            return true;
        }
    }
    false
}

/// I, II, III, IV, ... for appendix numbers.
pub fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appendices_are_numbered_in_roman_numerals() {
        assert_eq!(label(0, 1), "Phụ lục");
        assert_eq!(label(0, 2), "Phụ lục I");
        assert_eq!(label(1, 2), "Phụ lục II");
        assert_eq!(label(3, 5), "Phụ lục IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(49), "XLIX");
        assert_eq!(roman(1999), "MCMXCIX");
        // Excel's 31-character limit on sheet names leaves room for any plausible number of appendices.
        assert!(label(387, 400).chars().count() <= 31);
    }

    #[test]
    fn the_attached_line_leaves_blanks_for_the_clerk() {
        let mut doc = Document {
            number: "287".into(),
            symbol: "BC-TCTĐA06".into(),
            date: "12/07/2024".into(),
            ..Document::default()
        };
        assert_eq!(attached_line(&doc, 7, 2024), "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024)");
        doc.issuing_body = vec!["TỔ CÔNG TÁC TRIỂN KHAI ĐỀ".into(), "ÁN 06 CỦA UBND THÀNH PHỐ".into()];
        assert_eq!(
            attached_line(&doc, 7, 2024),
            "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác triển khai đề án 06 của UBND thành phố)"
        );
        // The name as the config writes it in a sentence wins: sentence case cannot know "Đề án" is a name.
        doc.issuing_body_in_text = "Tổ công tác Đề án 06 thành phố".into();
        assert_eq!(
            attached_line(&doc, 7, 2024),
            "(Kèm theo Báo cáo số 287/BC-TCTĐA06 ngày 12 tháng 7 năm 2024 của Tổ công tác Đề án 06 thành phố)"
        );
        doc.issuing_body_in_text.clear();
        doc.issuing_body.clear();
        for (word, abbreviation) in [("UBND", true), ("HĐND", true), ("ĐA06", true), ("NGHĨA", false), ("THÀNH", false)]
        {
            assert_eq!(is_abbreviation(word), abbreviation, "{word}");
        }
        doc.number.clear();
        doc.date.clear();
        assert_eq!(attached_line(&doc, 8, 2024), "(Kèm theo Báo cáo số      /BC-TCTĐA06 ngày      tháng 8 năm 2024)");
        assert_eq!(attached_line(&doc, 1, 2025), "(Kèm theo Báo cáo số      /BC-TCTĐA06 ngày      tháng 01 năm 2025)");
    }
}
