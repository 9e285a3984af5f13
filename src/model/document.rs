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
    /// Document number ("287"); empty leaves a blank for the clerk.
    pub number: String,
    /// Symbol after the number ("BC-TCTĐA06").
    pub symbol: String,
    /// Place in the date line ("Phan Rang – Tháp Chàm").
    pub place: String,
    /// Signing date "dd/mm/yyyy"; empty leaves blanks for the clerk.
    pub date: String,
    /// Summary line under "BÁO CÁO".
    pub summary: String,
    /// "Nơi nhận" lines, without the leading "- ".
    pub recipients: Vec<String>,
    /// Signing authority and titles in capitals, e.g. ["TỔ TRƯỞNG", "CHỦ TỊCH UBND THÀNH PHỐ"].
    pub signer_titles: Vec<String>,
    /// The signer's name.
    pub signer_name: String,
}

impl Document {
    /// The signing date, when one is set and valid.
    pub fn date(&self) -> Option<super::date::Date> {
        super::date::parse(&self.date)
    }

    /// The signing date in words, "ngày 12 tháng 7 năm 2024"; blanks for the clerk
    /// when it is not set yet ("ngày     tháng     năm 2024", `year` the report's).
    pub fn date_in_words(&self, year: u32) -> String {
        self.date().map(super::date::in_words).unwrap_or_else(|| format!("ngày     tháng     năm {year}"))
    }

    /// "287/BC-TCTĐA06"; an empty number leaves room for the clerk ("      /BC-TCTĐA06").
    pub fn number_symbol(&self) -> String {
        let number = if self.number.trim().is_empty() { "      ".to_string() } else { self.number.trim().to_string() };
        format!("{number}/{}", self.symbol.trim())
    }
}
