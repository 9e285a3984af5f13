//! Numbers as Vietnamese workbooks type them, and as Vietnamese documents print them.
//!
//! Parsing accepts what people really type into a cell stored as text:
//! "1.020", "1.584.779.000", "99,5%", "-", "1 020", "25.000 đ". Formatting
//! gives the seed's style: 1.584.779.000 and 45,92%.

/// A number read from text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parsed {
    /// The number.
    pub value: f64,
    /// The text ended with "%": `value` is the percentage as written (99.5 for "99,5%").
    pub percent: bool,
    /// The text was a dash or blank, read as zero.
    pub dash: bool,
}

/// Why a text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotNumber {
    /// Plain words: "không có", "x", "chưa báo cáo".
    Text,
    /// A form like "1,020" that reads 1,02 in Vietnamese and 1020 in English.
    Ambiguous,
    /// Digits too many to be held exactly (2^53 and over): a count would be rounded.
    TooLarge,
}

/// 2^53: from here on not every whole number has an exact `f64`, so a count at or
/// beyond it (or a sum reaching it) would be silently rounded.
pub const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// `v` is a number that can be counted with exactly: finite and below 2^53.
pub fn is_exact(v: f64) -> bool {
    v.is_finite() && v.abs() < MAX_EXACT
}

/// Parse a Vietnamese-style number typed as text.
pub fn parse_vn(text: &str) -> Result<Parsed, NotNumber> {
    let mut s: String =
        text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
    if s.is_empty() || matches!(s.as_str(), "-" | "–" | "—" | "--") {
        return Ok(Parsed { value: 0.0, percent: false, dash: true });
    }
    let lower = s.to_lowercase();
    for suffix in ["đồng", "đ", "vnđ", "vnd"] {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            s.truncate(s.len() - suffix.len());
            break;
        }
    }
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    let negative = s.starts_with('-') || (s.starts_with('(') && s.ends_with(')'));
    let body = s.trim_start_matches(['-', '+', '(']).trim_end_matches(')');
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(NotNumber::Text);
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NotNumber::Text);
    }
    let digits = to_plain(body)?;
    let value: f64 = digits.parse().map_err(|_| NotNumber::Text)?;
    if !is_exact(value) {
        return Err(NotNumber::TooLarge);
    }
    Ok(Parsed { value: if negative { -value } else { value }, percent, dash: false })
}

/// Turn "1.584.779.000" / "99,5" / "1.234,5" into a plain "1584779000" / "99.5" / "1234.5".
fn to_plain(body: &str) -> Result<String, NotNumber> {
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let groups_of_three = |sep: char| body.split(sep).skip(1).all(|g| g.len() == 3);
    match (dots, commas) {
        (0, 0) => Ok(body.to_string()),
        // "1.020", "1.584.779.000": thousands dots.
        (_, 0) if groups_of_three('.') => Ok(body.replace('.', "")),
        // "1.5": an English decimal point.
        (1, 0) => Ok(body.to_string()),
        // "99,5": a Vietnamese decimal comma; "1,020" could be either.
        (0, 1) if groups_of_three(',') => Err(NotNumber::Ambiguous),
        (0, 1) => Ok(body.replace(',', ".")),
        // "1,234,567": English thousands.
        (0, _) if groups_of_three(',') => Ok(body.replace(',', "")),
        (_, _) => {
            let last_dot = body.rfind('.').unwrap_or(0);
            let last_comma = body.rfind(',').unwrap_or(0);
            if last_comma > last_dot && commas == 1 {
                let (int, frac) = body.split_at(last_comma);
                if int.split('.').skip(1).all(|g| g.len() == 3) {
                    return Ok(format!("{}.{}", int.replace('.', ""), &frac[1..]));
                }
            } else if last_dot > last_comma && dots == 1 {
                let (int, frac) = body.split_at(last_dot);
                if int.split(',').skip(1).all(|g| g.len() == 3) {
                    return Ok(format!("{}.{}", int.replace(',', ""), &frac[1..]));
                }
            }
            Err(NotNumber::Text)
        }
    }
}

/// `num / den` as a percentage rounded half-up to 2 decimals; `None` when `den` is 0.
/// Whole numbers are divided exactly, so 8685/8725 gives 99.54 and never 99.53999.
pub fn ratio_pct(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        return None;
    }
    let integral = |x: f64| x.fract() == 0.0 && x.abs() < 1e15;
    if integral(num) && integral(den) {
        let (n, d) = (num as i128, den as i128);
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let scaled = n * 10_000;
        let q = if scaled >= 0 { (2 * scaled + d) / (2 * d) } else { -((-2 * scaled + d) / (2 * d)) };
        return Some(q as f64 / 100.0);
    }
    Some(((num / den) * 10_000.0).round() / 100.0)
}

/// Group the integer part with "." and use "," for decimals: 1584779000 -> "1.584.779.000".
pub fn fmt_num(x: f64) -> String {
    fmt_fixed(x, if x.fract() == 0.0 { 0 } else { 2 }, true)
}

/// A percentage with exactly 2 decimals: 45.92 -> "45,92%", 1.9 -> "1,90%" (report body style).
pub fn fmt_pct(p: f64) -> String {
    format!("{}%", fmt_fixed(p, 2, false))
}

/// A percentage with trailing zeros trimmed: 89.6 -> "89,6%", 100 -> "100%" (appendix style).
pub fn fmt_pct_trim(p: f64) -> String {
    let s = fmt_fixed(p, 2, false);
    let s = if s.contains(',') { s.trim_end_matches('0').trim_end_matches(',').to_string() } else { s };
    format!("{s}%")
}

/// Counts below 10 with a leading zero, as the seed writes them: 5 -> "05", 24929 -> "24.929".
pub fn fmt_pad2(x: f64) -> String {
    if x.fract() == 0.0 && (0.0..10.0).contains(&x) { format!("0{}", x as i64) } else { fmt_num(x) }
}

fn fmt_fixed(x: f64, decimals: usize, group: bool) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if group && i > 0 && (len - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(s: &str) -> f64 {
        parse_vn(s).unwrap().value
    }

    #[test]
    fn vietnamese_thousands_and_decimals() {
        // Cases typed in Tấn Tài's workbook and the seed.
        assert_eq!(val("1.020"), 1020.0);
        assert_eq!(val("6.314"), 6314.0);
        assert_eq!(val("1.584.779.000"), 1_584_779_000.0);
        assert_eq!(val("128"), 128.0);
        assert_eq!(val("1.234,5"), 1234.5);
        assert_eq!(val(" 1\u{a0}020 "), 1020.0);
        assert_eq!(val("25.000 đ"), 25000.0);
    }

    #[test]
    fn percents_dashes_and_signs() {
        let p = parse_vn("99,5%").unwrap();
        assert!(p.percent && p.value == 99.5);
        let d = parse_vn("-").unwrap();
        assert!(d.dash && d.value == 0.0);
        assert!(parse_vn("").unwrap().dash);
        assert_eq!(val("-5"), -5.0);
        assert_eq!(val("1.5"), 1.5);
    }

    #[test]
    fn words_are_not_numbers() {
        assert_eq!(parse_vn("không có"), Err(NotNumber::Text));
        assert_eq!(parse_vn("12a"), Err(NotNumber::Text));
        assert_eq!(parse_vn("."), Err(NotNumber::Text));
        assert_eq!(parse_vn("1,020"), Err(NotNumber::Ambiguous));
    }

    #[test]
    fn ratios_round_half_up() {
        assert_eq!(ratio_pct(8685.0, 8725.0), Some(99.54));
        assert_eq!(ratio_pct(3452.0, 7518.0), Some(45.92));
        assert_eq!(ratio_pct(3042.0, 160330.0), Some(1.9));
        assert_eq!(ratio_pct(1.0, 8.0), Some(12.5));
        assert_eq!(ratio_pct(1.0, 200.0), Some(0.5));
        assert_eq!(ratio_pct(0.0, 0.0), None);
    }

    #[test]
    fn formatting_follows_the_seed() {
        assert_eq!(fmt_num(1_584_779_000.0), "1.584.779.000");
        assert_eq!(fmt_num(199.0), "199");
        assert_eq!(fmt_num(22700.0), "22.700");
        assert_eq!(fmt_pct(45.92), "45,92%");
        assert_eq!(fmt_pct(1.9), "1,90%");
        assert_eq!(fmt_pct_trim(89.6), "89,6%");
        assert_eq!(fmt_pct_trim(100.0), "100%");
        assert_eq!(fmt_pct_trim(87.76), "87,76%");
        assert_eq!(fmt_pad2(5.0), "05");
        assert_eq!(fmt_pad2(11.0), "11");
        assert_eq!(fmt_pad2(2781.0), "2.781");
    }
}
