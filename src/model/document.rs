//! The standing parts of the formal report: who issues it, its symbol, who it
//! goes to and who signs. Read from the config's `[document]`; the writers take
//! it beside the [`super::Report`].

use serde::Deserialize;

/// Metadata of the formal report (the DOCX header, title and signature, the
/// appendices' attached line and the XLSX's properties).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Document {
    /// Parent body lines, e.g. ["UBND THÀNH PHỐ", "PHAN RANG - THÁP CHÀM"].
    pub parent_body: Vec<String>,
    /// Issuing body lines, e.g. ["TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"].
    pub issuing_body: Vec<String>,
    /// The issuing body's name as a sentence writes it, for the appendices'
    /// attached line ("… của Tổ công tác Đề án 06 thành phố"); empty: the header's
    /// lines in sentence case, which cannot know which words are names.
    pub issuing_body_in_text: String,
    /// Document number ("287"), given at `convert` (`--number`), never in the
    /// config; empty leaves a blank for the clerk.
    pub number: String,
    /// Symbol after the number ("BC-TCTĐA06").
    pub symbol: String,
    /// Place in the date line ("Phan Rang – Tháp Chàm").
    pub place: String,
    /// Signing date "dd/mm/yyyy", given at `convert` (`--date`), never in the
    /// config; empty leaves a blank for the clerk.
    pub date: String,
    /// Summary line under "BÁO CÁO", without the month: [`Document::for_month`]
    /// adds "tháng 8 năm 2024".
    pub summary: String,
    /// "Nơi nhận" lines, without the leading "- ".
    pub recipients: Vec<String>,
    /// Signing authority and titles in capitals, e.g. ["TỔ TRƯỞNG", "CHỦ TỊCH UBND THÀNH PHỐ"].
    pub signer_titles: Vec<String>,
    /// The signer's name.
    pub signer_name: String,
}

impl Document {
    /// The document of one month's report: the standing parts, the summary ending
    /// with the month ("… trên địa bàn thành phố tháng 8 năm 2024"), and the number
    /// and date the clerk gave, if any (a draft leaves them open).
    pub fn for_month(&self, month: super::Month, number: Option<&str>, date: Option<super::date::Date>) -> Document {
        let summary = self.summary.trim();
        Document {
            summary: if summary.is_empty() {
                String::new()
            } else {
                format!("{summary} tháng {} năm {}", month_in_words(month.month as u32), month.year)
            },
            number: number.unwrap_or_default().trim().to_string(),
            date: date.map(super::date::short).unwrap_or_default(),
            ..self.clone()
        }
    }

    /// What the config may not hold, because it changes every month: a number, a
    /// date, or a month in the summary. The message names the key, in Vietnamese.
    pub fn validate_standing(&self) -> Result<(), String> {
        if !self.number.trim().is_empty() {
            return Err(format!(
                "number = \"{}\": số văn bản do văn thư cấp khi vào sổ, mỗi tháng một số, nên không ghi trong cấu hình \
                 (tháng sau sẽ in lại số cũ). Xóa dòng này; khi có số, chạy convert với --number.",
                self.number.trim()
            ));
        }
        if !self.date.trim().is_empty() {
            return Err(format!(
                "date = \"{}\": ngày văn bản thay đổi mỗi tháng nên không ghi trong cấu hình. Xóa dòng này; \
                 khi có ngày ký, chạy convert với --date dd/mm/yyyy.",
                self.date.trim()
            ));
        }
        if let Some(month) = names_a_month(&self.summary) {
            return Err(format!(
                "summary ghi \"{month}\": trích yếu không ghi tháng, baocao tự thêm \"tháng … năm …\" theo kỳ báo cáo. \
                 Xóa phần \"{month}\" ở cuối trích yếu."
            ));
        }
        Ok(())
    }

    /// The signing date, when one is set and valid.
    pub fn date(&self) -> Option<super::date::Date> {
        super::date::parse(&self.date)
    }

    /// The signing date in words, "ngày 12 tháng 7 năm 2024"; a blank day for the
    /// clerk when it is not set yet ("ngày      tháng 8 năm 2024", the report's month).
    pub fn date_in_words(&self, month: u32, year: u32) -> String {
        self.date()
            .map(super::date::in_words)
            .unwrap_or_else(|| format!("ngày      tháng {} năm {year}", month_in_words(month)))
    }

    /// "287/BC-TCTĐA06"; an empty number leaves room for the clerk ("     /BC-TCTĐA06",
    /// which prints "Số:      /BC-TCTĐA06" as a draft does).
    pub fn number_symbol(&self) -> String {
        let number = if self.number.trim().is_empty() { "     ".to_string() } else { self.number.trim().to_string() };
        format!("{number}/{}", self.symbol.trim())
    }
}

/// A month in a date written out: 1 and 2 with a leading 0 (Decree 30 II.4.c).
fn month_in_words(month: u32) -> String {
    if month <= 2 { format!("{month:02}") } else { month.to_string() }
}

/// "tháng 7 năm 2024" or "tháng 7/2024" in `text`, as written, if there is one.
fn names_a_month(text: &str) -> Option<String> {
    let folded = crate::text::fold(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded_words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() != folded_words.len() {
        // Folding changed the word count (unusual punctuation): look at the folded text only.
        return folded_words
            .windows(2)
            .find(|w| w[0] == "thang" && w[1].starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.join(" "));
    }
    let at = folded_words.windows(2).position(|w| w[0] == "thang" && w[1].starts_with(|c: char| c.is_ascii_digit()))?;
    let end = if folded_words.get(at + 2) == Some(&"nam") { (at + 4).min(words.len()) } else { at + 2 };
    Some(words[at..end].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Month;

    #[test]
    fn a_month_document_ends_its_summary_with_the_month_and_leaves_blanks() {
        let standing = Document {
            summary: "Kết quả triển khai Đề án 06 trên địa bàn thành phố".into(),
            ..Document::default()
        };
        assert!(standing.validate_standing().is_ok());
        let aug = standing.for_month(Month::new(2024, 8).unwrap(), None, None);
        assert_eq!(aug.summary, "Kết quả triển khai Đề án 06 trên địa bàn thành phố tháng 8 năm 2024");
        assert_eq!(aug.date_in_words(8, 2024), "ngày      tháng 8 năm 2024");
        let signed =
            standing.for_month(Month::new(2025, 1).unwrap(), Some(" 312 "), crate::model::date::parse("12/1/2025"));
        assert_eq!(signed.summary, "Kết quả triển khai Đề án 06 trên địa bàn thành phố tháng 01 năm 2025");
        assert_eq!(signed.date_in_words(1, 2025), "ngày 12 tháng 01 năm 2025");
        assert_eq!(signed.number, "312");
    }

    #[test]
    fn what_changes_every_month_is_refused_in_the_config() {
        let d = |f: fn(&mut Document)| {
            let mut d = Document::default();
            f(&mut d);
            d.validate_standing()
        };
        assert!(d(|d| d.number = "287".into()).unwrap_err().contains("--number"));
        assert!(d(|d| d.date = "12/07/2024".into()).unwrap_err().contains("--date"));
        let e = d(|d| d.summary = "Kết quả … trên địa bàn thành phố tháng 7 năm 2024".into()).unwrap_err();
        assert!(e.contains("\"tháng 7 năm 2024\""), "{e}");
        assert!(d(|d| d.summary = "Kết quả tháng 7/2024".into()).is_err());
        assert!(d(|d| d.summary = "Kết quả hằng tháng".into()).is_ok());
    }
}
