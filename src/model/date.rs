//! Calendar dates as Vietnamese documents write them.
//!
//! Dates are validated by `jiff` (a well-kept date crate): "31/02/2024" is not a
//! date. What is hand-written here is only the Vietnamese spelling, which no
//! crate knows: "05/6/2024" in figures, "ngày 12 tháng 7 năm 2024" in words.

pub use jiff::civil::Date;

/// Years a report date may fall in; anything else is a typing slip.
const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// A date typed as "05/6/2024" (also with "-" or "." between the parts), day first.
///
/// ```
/// use baocao::model::date;
/// let d = date::parse("05/6/2024").unwrap();
/// assert_eq!((d.day(), d.month(), d.year()), (5, 6, 2024));
/// assert!(date::parse("31/02/2024").is_none());
/// assert!(date::parse("2024").is_none());
/// ```
pub fn parse(text: &str) -> Option<Date> {
    let mut it = text.trim().split(['/', '-', '.']);
    let day: i8 = it.next()?.trim().parse().ok()?;
    let month: i8 = it.next()?.trim().parse().ok()?;
    let year: i16 = it.next()?.trim().parse().ok()?;
    if it.next().is_some() || !YEARS.contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// A date in words: "ngày 12 tháng 7 năm 2024", "ngày 05 tháng 01 năm 2020"
/// (days below 10 and months 1 and 2 with a leading 0, Decree 30 II.4.c).
pub fn in_words(d: Date) -> String {
    let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// A date inside a sentence as the workbooks write it: "05/6/2024" (day padded, month not).
pub fn short(d: Date) -> String {
    format!("{:02}/{}/{}", d.day(), d.month(), d.year())
}

/// [`short`] for serde: a date in the JSON is "05/6/2024", as the workbooks write it.
pub fn serialize_short<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&short(*d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_dates_are_refused() {
        for bad in ["31/02/2024", "29/02/2023", "0/1/2024", "1/13/2024", "1/1/1800", "1/1/2024/1", "", "a/b/c"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        assert!(parse("29/02/2024").is_some());
        assert_eq!(parse(" 5-6-2024 ").map(short).as_deref(), Some("05/6/2024"));
    }

    #[test]
    fn spelled_as_decree_30_writes_them() {
        let d = |s| parse(s).unwrap();
        assert_eq!(short(d("12/07/2024")), "12/7/2024");
        assert_eq!(short(d("5/2/2024")), "05/2/2024");
        assert_eq!(in_words(d("12/07/2024")), "ngày 12 tháng 7 năm 2024");
        assert_eq!(in_words(d("5/1/2020")), "ngày 05 tháng 01 năm 2020");
    }
}
