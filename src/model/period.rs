//! Reporting periods: the "Từ ngày ... đến ngày ..." span a workbook states, the
//! month a report is for, and the city's rule that ties the two together.
//!
//! Offices keep their own cut-off (Decree 09/2019 says the 15th of the month
//! before to the 14th; Phan Rang – Tháp Chàm counts from the 5th to the 5th), so
//! the rule is one line of the config and every month's period follows from it.

use super::date::{self, Date};
use serde::Deserialize;

/// A "Từ ngày ... đến ngày ..." period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

impl Period {
    /// The period inside a sentence: "từ ngày 05/5/2024 đến ngày 05/6/2024".
    pub fn describe(&self) -> String {
        format!("từ ngày {} đến ngày {}", date::short(self.from), date::short(self.to))
    }

    /// As the workbooks and the appendix write it: "(Từ ngày 05/6/2024 đến ngày 05/7/2024)".
    pub fn text(&self) -> String {
        format!("(Từ ngày {} đến ngày {})", date::short(self.from), date::short(self.to))
    }
}

/// The month a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// The month, 1 to 12.
    pub month: i8,
}

impl Month {
    /// The month, when `month` is 1 to 12 and the year a plausible one.
    pub fn new(year: i16, month: i8) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some(Month { year, month })
    }

    /// The month as `--period` takes it: "2024-08", "8/2024", "08/2024" (also
    /// "08-2024", "8.2024", "T8/2024", "tháng 8/2024").
    ///
    /// ```
    /// use baocao::model::Month;
    /// let aug = Month::new(2024, 8).unwrap();
    /// for text in ["2024-08", "8/2024", "08/2024", "T8/2024", "tháng 8/2024"] {
    ///     assert_eq!(Month::parse(text), Some(aug), "{text}");
    /// }
    /// assert_eq!(Month::parse("2024-13"), None);
    /// assert_eq!(Month::parse("8"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Month> {
        let folded = crate::text::fold(text);
        let t = folded.trim();
        let t = t.strip_prefix("thang").or_else(|| t.strip_prefix('t')).unwrap_or(t).trim();
        let parts: Vec<&str> = t.split(['/', '-', '.', ' ']).filter(|p| !p.is_empty()).collect();
        let [a, b] = parts.as_slice() else { return None };
        if !a.chars().chain(b.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (year, month) = if a.len() == 4 { (a, b) } else { (b, a) };
        if year.len() != 4 || month.len() > 2 {
            return None;
        }
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }

    /// The month before.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// "2024-08", as the output files are named.
    pub fn stem(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// "8/2024", as a sentence names it.
    pub fn short(self) -> String {
        format!("{}/{}", self.month, self.year)
    }
}

/// The city's rule for the period of a month: from day `start_day` of the month
/// before to day `cut_off_day` of the month (a day past a month's end is its last
/// day). The config's `[period]`.
///
/// ```
/// use baocao::model::{Month, PeriodRule};
/// let rule = PeriodRule { cut_off_day: 5, start_day: None };
/// let aug = Month::new(2024, 8).unwrap();
/// assert_eq!(rule.period_of(aug).describe(), "từ ngày 05/7/2024 đến ngày 05/8/2024");
/// assert_eq!(rule.month_of(rule.period_of(aug)), Some(aug));
/// let decree_09 = PeriodRule { cut_off_day: 14, start_day: Some(15) };
/// assert_eq!(decree_09.period_of(aug).describe(), "từ ngày 15/7/2024 đến ngày 14/8/2024");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodRule {
    /// The last day of a month's period, in that month (5: "... đến ngày 05/8").
    pub cut_off_day: i8,
    /// The first day of the period, in the month before; the cut-off day when not
    /// given (5: "từ ngày 05/7 ..."; Decree 09/2019: 15, with cut-off day 14).
    #[serde(default)]
    pub start_day: Option<i8>,
}

impl Default for PeriodRule {
    /// Decree 09/2019/NĐ-CP, art. 12: from the 15th of the month before to the 14th.
    fn default() -> Self {
        PeriodRule { cut_off_day: 14, start_day: Some(15) }
    }
}

impl PeriodRule {
    /// Both days are 1 to 31.
    pub fn is_valid(&self) -> bool {
        (1..=31).contains(&self.cut_off_day) && self.start_day.is_none_or(|d| (1..=31).contains(&d))
    }

    /// The period of `month` under this rule.
    pub fn period_of(&self, month: Month) -> Period {
        let prev = month.previous();
        Period { from: day_in(prev, self.start_day.unwrap_or(self.cut_off_day)), to: day_in(month, self.cut_off_day) }
    }

    /// The month whose period `p` is under this rule, if it is one.
    pub fn month_of(&self, p: Period) -> Option<Month> {
        let month = Month::new(p.to.year(), p.to.month())?;
        (self.period_of(month) == p).then_some(month)
    }

    /// The rule in words: "từ ngày 5 tháng trước đến ngày 5 tháng báo cáo".
    pub fn describe(&self) -> String {
        format!(
            "từ ngày {} tháng trước đến ngày {} tháng báo cáo",
            self.start_day.unwrap_or(self.cut_off_day),
            self.cut_off_day
        )
    }
}

/// Day `day` of `month`, or the month's last day when it is shorter.
fn day_in(month: Month, day: i8) -> Date {
    let first = Date::new(month.year, month.month, 1).expect("a valid month");
    let last = first.days_in_month();
    Date::new(month.year, month.month, day.clamp(1, last)).expect("a day of the month")
}

/// How the period of a run was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodBasis {
    /// Given on the command line (`--period`).
    #[default]
    Given,
    /// Stated by `agree` of the `stating` workbooks that state a period.
    Workbooks {
        /// Workbooks stating the period taken.
        agree: usize,
        /// Workbooks stating any period.
        stating: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_follow_the_rule_across_years_and_short_months() {
        let rule = PeriodRule { cut_off_day: 31, start_day: Some(1) };
        let feb = Month::new(2024, 2).unwrap();
        assert_eq!(rule.period_of(feb).describe(), "từ ngày 01/1/2024 đến ngày 29/2/2024");
        let five = PeriodRule { cut_off_day: 5, start_day: None };
        let jan = Month::new(2025, 1).unwrap();
        assert_eq!(five.period_of(jan).describe(), "từ ngày 05/12/2024 đến ngày 05/1/2025");
        assert_eq!(five.month_of(five.period_of(jan)), Some(jan));
        let other = Period { from: date::parse("01/7/2024").unwrap(), to: date::parse("31/7/2024").unwrap() };
        assert_eq!(five.month_of(other), None);
    }

    #[test]
    fn month_flags_are_read_strictly() {
        for bad in ["", "2024", "13/2024", "0/2024", "2024-8-1", "8/24", "abc", "8/2024x", "2024/123"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(Month::parse(" 12/2024 "), Month::new(2024, 12));
        assert_eq!(Month::new(2025, 1).unwrap().previous(), Month::new(2024, 12).unwrap());
    }
}
