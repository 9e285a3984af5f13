//! Numbers as Vietnamese workbooks type them, and as Vietnamese documents print them.
//!
//! Parsing accepts what people really type into a cell stored as text:
//! "1.020", "1.584.779.000", "99,5%", "99,5 %", "-", "1 020" (a space or a
//! non-breaking space between groups of three), "25.000 đ", "12 hồ sơ". Formatting
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
    /// Plain words: "không có", "x", "chưa báo cáo", "khoảng 12", "12-15".
    Text,
    /// A form like "1,020" that reads 1,02 in Vietnamese and 1020 in English.
    Ambiguous,
    /// Digits parted by spaces that are not groups of three ("1 2", "12 3456"):
    /// one number with a stray space, or two numbers in one cell.
    Spaced,
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

/// The spaces people type between digit groups: plain, non-breaking, narrow, thin.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t')
}

/// The unit words a count or an amount is typed with ("12 hồ sơ", "3 lượt",
/// "1.500.000 đồng"), without diacritics. Only words that name what is counted:
/// none that scales the number ("triệu", "nghìn", "tỷ" are not here, so
/// "1,5 triệu đồng" stays text).
const UNIT_WORDS: &[&str] = &[
    "ho so",
    "hs",
    "luot",
    "nguoi",
    "truong hop",
    "th",
    "tai khoan",
    "doi tuong",
    "phieu",
    "to khai",
    "phuong tien",
    "co so",
    "tin",
    "bai",
    "tin bai",
    "tin, bai",
    "ho",
    "don vi",
    "dong",
    "d",
    "vnd",
    "vnđ",
];

/// Parse a Vietnamese-style number typed as text: "1.020", "1.584.779.000",
/// "99,5%", "99,5 %", "-", "1 234" (spaces or non-breaking spaces between groups
/// of three), "12 hồ sơ", "1.500.000 đồng". Whatever is not certain is an error:
/// "1 2", "12 3456" ([`NotNumber::Spaced`]), "1,020" ([`NotNumber::Ambiguous`]),
/// "khoảng 12", "12-15", "1,5 triệu đồng" ([`NotNumber::Text`]).
pub fn parse_vn(text: &str) -> Result<Parsed, NotNumber> {
    let t = text.trim_matches(|c: char| is_space(c) || c.is_whitespace());
    if t.is_empty() || matches!(t, "-" | "–" | "—" | "--") {
        return Ok(Parsed { value: 0.0, percent: false, dash: true });
    }
    // The number, then what follows it: nothing, "%", or one unit word.
    let head_len = t
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | '(' | ')') || is_space(c)))
        .unwrap_or(t.len());
    let (head, tail) = t.split_at(head_len);
    let tail = tail.trim_matches(|c: char| is_space(c) || c.is_whitespace());
    let percent = tail == "%";
    if !tail.is_empty() && !percent && !is_unit_word(tail) {
        return Err(NotNumber::Text);
    }
    let head = head.trim_matches(is_space);
    let negative = head.starts_with('-') || (head.starts_with('(') && head.ends_with(')'));
    let body = head.strip_prefix(['-', '+', '(']).unwrap_or(head).trim_start_matches(is_space);
    let body = if head.starts_with('(') { body.strip_suffix(')').ok_or(NotNumber::Text)? } else { body };
    let body = body.trim_end_matches(is_space);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NotNumber::Text);
    }
    if !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space(c)) {
        return Err(NotNumber::Text);
    }
    let body = join_space_groups(body)?;
    let digits = to_plain(&body)?;
    let value: f64 = digits.parse().map_err(|_| NotNumber::Text)?;
    if !is_exact(value) {
        return Err(NotNumber::TooLarge);
    }
    Ok(Parsed { value: if negative { -value } else { value }, percent, dash: false })
}

/// Whether `tail` is one of [`UNIT_WORDS`] (case, spacing and diacritics forgiven).
fn is_unit_word(tail: &str) -> bool {
    let folded = crate::text::fold(tail);
    let folded = folded.trim_end_matches('.');
    UNIT_WORDS.contains(&folded)
}

/// "1 234 567" -> "1234567", "1 234,5" -> "1234,5": spaces are taken as thousands
/// separators only between a first group of one to three digits and groups of
/// exactly three (the last may carry a decimal comma), with no other separator
/// mixed in. Anything else with a space in it is [`NotNumber::Spaced`].
fn join_space_groups(body: &str) -> Result<std::borrow::Cow<'_, str>, NotNumber> {
    if !body.contains(is_space) {
        return Ok(body.into());
    }
    let groups: Vec<&str> = body.split(is_space).filter(|g| !g.is_empty()).collect();
    let all_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let (last, rest) = groups.split_last().ok_or(NotNumber::Text)?;
    let (last_int, last_frac) = match last.split_once(',') {
        Some((int, frac)) if all_digits(frac) => (int, Some(frac)),
        Some(_) => return Err(NotNumber::Spaced),
        None => (*last, None),
    };
    let Some((first, middle)) = rest.split_first() else { return Err(NotNumber::Text) };
    let first_ok = all_digits(first) && first.len() <= 3;
    let middle_ok = middle.iter().all(|g| all_digits(g) && g.len() == 3);
    if !first_ok || !middle_ok || !all_digits(last_int) || last_int.len() != 3 {
        return Err(NotNumber::Spaced);
    }
    let mut out: String = rest.concat();
    out.push_str(last_int);
    if let Some(frac) = last_frac {
        out.push(',');
        out.push_str(frac);
    }
    Ok(out.into())
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
    fn digits_grouped_by_spaces() {
        assert_eq!(val("1 234"), 1234.0);
        assert_eq!(val("1\u{a0}234"), 1234.0);
        assert_eq!(val("1\u{202f}234\u{202f}567"), 1_234_567.0);
        assert_eq!(val("12 345 678"), 12_345_678.0);
        assert_eq!(val("1 234,5"), 1234.5);
        assert_eq!(val("- 1 234"), -1234.0);
        assert_eq!(val("(1 234)"), -1234.0);
        // Not groups of three: a stray space or two numbers in one cell.
        for s in ["1 2", "12 3456", "1234 567", "1 23", "1 2345", "1 234.5", "1.234 567", "1 234,5,6"] {
            assert_eq!(parse_vn(s), Err(NotNumber::Spaced), "{s}");
        }
    }

    #[test]
    fn a_unit_word_after_the_number() {
        assert_eq!(val("12 hồ sơ"), 12.0);
        assert_eq!(val("12 Hồ Sơ"), 12.0);
        assert_eq!(val("3 lượt"), 3.0);
        assert_eq!(val("3lượt"), 3.0);
        assert_eq!(val("1.500.000 đồng"), 1_500_000.0);
        assert_eq!(val("1 500 000 đ"), 1_500_000.0);
        assert_eq!(val("25.000đ"), 25000.0);
        assert_eq!(val("7 người"), 7.0);
        assert_eq!(val("2 trường hợp"), 2.0);
        // Words that scale the number, or that are not units, stay text.
        for s in ["1,5 triệu đồng", "12 nghìn", "12 chưa báo cáo", "khoảng 12", "12-15", "12 hồ sơ %", "hồ sơ"]
        {
            assert_eq!(parse_vn(s), Err(NotNumber::Text), "{s}");
        }
    }

    #[test]
    fn percent_after_a_space() {
        let p = parse_vn("99,5 %").unwrap();
        assert!(p.percent && p.value == 99.5);
        let p = parse_vn("100\u{a0}%").unwrap();
        assert!(p.percent && p.value == 100.0);
        assert_eq!(parse_vn("% 5"), Err(NotNumber::Text));
    }

    /// A small deterministic generator (xorshift): the same cases every run.
    fn numbers(seed: u64, n: usize) -> impl Iterator<Item = u64> {
        let mut x = seed;
        std::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .take(n)
    }

    #[test]
    fn a_number_printed_the_vietnamese_way_parses_back() {
        for (i, r) in numbers(0x9E37_79B9_7F4A_7C15, 20_000).enumerate() {
            // Whole numbers of every length up to 15 digits, and some with two decimals.
            let digits = 1 + (r % 15) as u32;
            let whole = (r >> 8) % 10u64.pow(digits);
            let x = if i % 3 == 0 { whole as f64 + ((r >> 4) % 100) as f64 / 100.0 } else { whole as f64 };
            let x = if i % 7 == 0 { -x } else { x };
            let printed = fmt_num(x);
            let back = parse_vn(&printed).unwrap_or_else(|e| panic!("{printed}: {e:?}"));
            assert!((back.value - x).abs() < 1e-6 * x.abs().max(1.0), "{printed} -> {}", back.value);
            // The same number grouped by spaces or non-breaking spaces, and with a unit.
            for sep in [" ", "\u{a0}"] {
                let spaced = printed.replace('.', sep);
                assert_eq!(parse_vn(&spaced).map(|p| p.value), Ok(back.value), "{spaced:?}");
                let with_unit = format!("{spaced} hồ sơ");
                assert_eq!(parse_vn(&with_unit).map(|p| p.value), Ok(back.value), "{with_unit:?}");
            }
            let pct = format!("{} %", fmt_pct(x.abs() % 1000.0).trim_end_matches('%'));
            assert!(parse_vn(&pct).unwrap().percent, "{pct}");
        }
    }

    #[test]
    fn spaced_digits_that_are_not_groups_never_parse() {
        // Two numbers typed in one cell, "12 3456": whatever the digits, an error.
        for r in numbers(42, 5_000) {
            let a = 1 + r % 999;
            let b = (r >> 16) % 100_000;
            let width = 1 + (r >> 40) % 5;
            let text = format!("{a} {b:0w$}", w = width as usize);
            let groups = text.split(' ').nth(1).unwrap().len() == 3;
            match parse_vn(&text) {
                Ok(p) => {
                    assert!(groups && p.value == format!("{a}{b:0w$}", w = width as usize).parse::<f64>().unwrap())
                }
                Err(e) => assert!(!groups && e == NotNumber::Spaced, "{text}: {e:?}"),
            }
        }
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
