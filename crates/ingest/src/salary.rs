//! Wage text as Vietnamese job ads write it → [`SalaryRange`].
//!
//! Accepted forms (DOMAIN.md §3.7): "8 - 12 triệu", "8tr - 12tr", "7tr5", "Từ 8 triệu",
//! "Trên 11 triệu VND", "Lên đến 35 triệu", "Thỏa thuận" / "Thoả thuận" / "Cạnh tranh",
//! "$1200 - $1800", "1.000 - 1.500 USD", "180.000 yên/tháng", "18 man" (= ¥180,000),
//! "300k/ngày", "25.000đ/giờ", "8.000.000đ", "120 - 180 triệu/năm". `.` groups thousands and `,`
//! marks decimals the Vietnamese way; "1,200.50" (English) is read too. A bare number below
//! 1,000 in VND is read in millions, as salary columns of job-fair sheets are written ("8 - 12").

use caunoi_domain::text::fold;
use caunoi_domain::{Currency, PayPeriod, SalaryRange, ValidationError};

/// An amount as written: digits and a count of decimal places (no floating point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    digits: i128,
    scale: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(Decimal),
    Word(String),
    /// A currency or period sign: `$`, `¥`, `₫`, `€`, `₩`, `/`.
    Sign(char),
    /// `-`, `–`, `—`, `~`: a range.
    Dash,
    /// Digits written right after "tr"/"triệu" without a space: the "5" of "7tr5" (7.5 million).
    Fraction(Decimal),
    /// `+`, `(`, `;`: what follows is an allowance or a note, not the wage.
    Stop,
}

fn unparsed(input: &str) -> ValidationError {
    ValidationError::new(
        "salary",
        "salary.unparsed",
        format!(
            "Không đọc được mức lương \"{input}\". Hãy ghi ví dụ \"8 - 12 triệu\", \"Từ 8 triệu\", \"300.000 đ/ngày\", \"180.000 yên/tháng\" hoặc \"Thỏa thuận\"."
        ),
        format!("Cannot read the wage \"{input}\"; write e.g. \"8 - 12 triệu\", \"Từ 8 triệu\", \"300.000 đ/ngày\" or \"Thỏa thuận\"."),
    )
}

fn too_large(input: &str) -> ValidationError {
    ValidationError::new(
        "salary",
        "salary.too_large",
        format!("Mức lương \"{input}\" quá lớn."),
        format!("The wage \"{input}\" is too large."),
    )
}

/// Reads a numeric run: Vietnamese "1.200.000" / "8,5", English "1,200.50", plain "8.5".
fn parse_number(text: &str) -> Option<Decimal> {
    let text = text.trim_matches(|c| c == '.' || c == ',');
    if text.is_empty() || text.len() > 24 {
        return None;
    }
    let dots = text.matches('.').count();
    let commas = text.matches(',').count();
    // Which character, if any, is the decimal separator.
    let decimal_separator = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let separator = if dots > 0 { '.' } else { ',' };
            let groups: Vec<&str> = text.split(separator).collect();
            let grouping = groups.len() > 2 || groups[1..].iter().all(|g| g.len() == 3);
            if grouping {
                if !groups[1..].iter().all(|g| g.len() == 3) || groups[0].is_empty() || groups[0].len() > 3 {
                    return None;
                }
                None
            } else {
                Some(separator)
            }
        }
        _ => {
            // Both appear: the last one is the decimal separator.
            let last_dot = text.rfind('.')?;
            let last_comma = text.rfind(',')?;
            Some(if last_dot > last_comma { '.' } else { ',' })
        }
    };
    let mut digits: i128 = 0;
    let mut scale = 0u32;
    let mut after_decimal = false;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            digits = digits.checked_mul(10)?.checked_add(i128::from(d))?;
            if after_decimal {
                scale += 1;
            }
        } else if Some(c) == decimal_separator {
            if after_decimal {
                return None;
            }
            after_decimal = true;
        }
    }
    Some(Decimal { digits, scale })
}

fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = folded.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || ((chars[i] == '.' || chars[i] == ',') && i + 1 < chars.len() && chars[i + 1].is_ascii_digit())) {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            match parse_number(&text) {
                Some(number) => tokens.push(Token::Number(number)),
                None => tokens.push(Token::Word(text)),
            }
            continue;
        }
        if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let joined_fraction = (word == "tr" || word == "trieu") && i < chars.len() && chars[i].is_ascii_digit();
            tokens.push(Token::Word(word));
            if joined_fraction {
                let digits_start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = chars[digits_start..i].iter().collect();
                if let Some(fraction) = parse_number(&text).filter(|_| text.len() <= 3) {
                    let scale = text.len() as u32;
                    tokens.push(Token::Fraction(Decimal { digits: fraction.digits, scale }));
                }
            }
            continue;
        }
        match c {
            '-' | '–' | '—' | '~' => tokens.push(Token::Dash),
            '+' | '(' | ';' => tokens.push(Token::Stop),
            '$' | '¥' | '₫' | '€' | '₩' | '/' | '円' => tokens.push(Token::Sign(c)),
            _ => {}
        }
        i += 1;
    }
    tokens
}

/// A multiplier word after a number: "triệu", "tr", "k", "nghìn", "tỷ", "man" (万, ×10,000 yen).
fn multiplier(word: &str) -> Option<(i128, Option<Currency>)> {
    match word {
        "trieu" | "tr" | "cu" | "m" | "million" | "millions" => Some((1_000_000, None)),
        "k" | "nghin" | "ngan" | "ng" | "thousand" => Some((1_000, None)),
        "ty" | "ti" | "billion" => Some((1_000_000_000, None)),
        "man" => Some((10_000, Some(Currency::Jpy))),
        _ => None,
    }
}

fn currency_word(word: &str) -> Option<Currency> {
    match word {
        "d" | "dong" | "vnd" | "vnđ" => Some(Currency::Vnd),
        "yen" | "jpy" => Some(Currency::Jpy),
        "won" | "krw" => Some(Currency::Krw),
        "twd" | "ntd" | "nt" => Some(Currency::Twd),
        "usd" | "do" | "dollar" | "dollars" => Some(Currency::Usd),
        "eur" | "euro" | "euros" => Some(Currency::Eur),
        _ => None,
    }
}

fn currency_sign(sign: char) -> Option<Currency> {
    match sign {
        '$' => Some(Currency::Usd),
        '¥' | '円' => Some(Currency::Jpy),
        '₫' => Some(Currency::Vnd),
        '€' => Some(Currency::Eur),
        '₩' => Some(Currency::Krw),
        _ => None,
    }
}

fn period_word(word: &str) -> Option<PayPeriod> {
    match word {
        "gio" | "h" | "hour" | "hourly" | "tieng" => Some(PayPeriod::Hour),
        "ngay" | "day" | "daily" | "cong" => Some(PayPeriod::Day),
        "thang" | "month" | "monthly" => Some(PayPeriod::Month),
        "nam" | "year" | "yearly" | "annual" => Some(PayPeriod::Year),
        _ => None,
    }
}

/// How a single amount bounds the wage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Exact,
    AtLeast,
    AtMost,
}

fn bound_word(words: &[&str]) -> Option<Bound> {
    match words {
        ["tu", ..] | ["tren", ..] | ["hon", ..] | ["toi", "thieu", ..] | ["it", "nhat", ..] | ["from", ..] | ["min", ..] => {
            Some(Bound::AtLeast)
        }
        ["len", "den", ..] | ["len", "toi", ..] | ["den", ..] | ["toi", "da", ..] | ["toi", ..] | ["duoi", ..] | ["up", "to", ..]
        | ["max", ..] | ["cao", "nhat", ..] => Some(Bound::AtMost),
        _ => None,
    }
}

struct Amount {
    value: Decimal,
    multiplier: Option<i128>,
    currency: Option<Currency>,
}

/// Whole units × 10^minor_units of `currency`, or `None` on overflow.
fn to_minor(amount: Decimal, multiplier: i128, currency: Currency) -> Option<i64> {
    let minor_per_major = 10_i128.pow(currency.minor_units());
    let scaled = amount.digits.checked_mul(multiplier)?.checked_mul(minor_per_major)?;
    let divisor = 10_i128.checked_pow(amount.scale)?;
    i64::try_from(scaled / divisor).ok()
}

/// Parses a wage written in a job ad. `default_currency` applies when the text names none
/// (VND at home; the destination's currency for an overseas order).
pub fn parse_salary(input: &str, default_currency: Currency) -> Result<SalaryRange, ValidationError> {
    let folded = fold(input);
    if folded.chars().count() > 200 {
        return Err(unparsed(input));
    }
    let tokens = tokenize(&folded);
    let words: Vec<&str> = tokens.iter().filter_map(|t| if let Token::Word(w) = t { Some(w.as_str()) } else { None }).collect();
    let negotiable = words.windows(2).any(|w| matches!(w, ["thoa", "thuan"] | ["thuong", "luong"] | ["canh", "tranh"]))
        || words.iter().any(|w| matches!(*w, "negotiable" | "competitive" | "deal"));

    let mut amounts: Vec<Amount> = Vec::new();
    let mut currency: Option<Currency> = None;
    let mut period: Option<PayPeriod> = None;
    let mut bound: Option<Bound> = None;
    let mut range = false;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Number(value) => {
                let mut amount = Amount { value: *value, multiplier: None, currency: None };
                if let Some(Token::Word(word)) = tokens.get(i + 1)
                    && let Some((factor, implied)) = multiplier(word)
                {
                    amount.multiplier = Some(factor);
                    amount.currency = implied;
                    i += 1;
                    // "7tr5" = 7.5 million.
                    if let Some(Token::Fraction(fraction)) = tokens.get(i + 1)
                        && value.scale == 0
                    {
                        let shift = 10_i128.pow(fraction.scale);
                        amount.value = Decimal { digits: value.digits.saturating_mul(shift).saturating_add(fraction.digits), scale: fraction.scale };
                        i += 1;
                    }
                }
                amounts.push(amount);
            }
            Token::Word(word) => {
                let rest: Vec<&str> = tokens[i..].iter().filter_map(|t| if let Token::Word(w) = t { Some(w.as_str()) } else { None }).collect();
                let found_currency = if rest.starts_with(&["dai", "te"]) { Some(Currency::Twd) } else { currency_word(word) };
                if let Some(found) = found_currency {
                    currency = currency.or(Some(found));
                    if let Some(last) = amounts.last_mut() {
                        last.currency.get_or_insert(found);
                    }
                } else if let Some(found) = period_word(word) {
                    let after_slash = matches!(i.checked_sub(1).and_then(|p| tokens.get(p)), Some(Token::Sign('/')));
                    let after_per = matches!(i.checked_sub(1).and_then(|p| tokens.get(p)), Some(Token::Word(w)) if w == "moi" || w == "mot" || w == "per" || w == "theo" || w == "luong" || w == "a");
                    // "năm" is also "five" and "nam" appears in place names: only "/năm" etc. count.
                    if after_slash || after_per || found != PayPeriod::Year {
                        period = period.or(Some(found));
                    }
                } else if word == "den" && !amounts.is_empty() {
                    range = true;
                } else if amounts.is_empty()
                    && bound.is_none()
                    && let Some(found) = bound_word(&rest)
                {
                    bound = Some(found);
                }
            }
            Token::Sign(sign) => {
                if let Some(found) = currency_sign(*sign) {
                    currency = currency.or(Some(found));
                    // "$1200" puts the sign before, "1200$" after.
                    match tokens.get(i + 1) {
                        Some(Token::Number(_)) => {}
                        _ => {
                            if let Some(last) = amounts.last_mut() {
                                last.currency.get_or_insert(found);
                            }
                        }
                    }
                }
            }
            Token::Dash => {
                if !amounts.is_empty() {
                    range = true;
                }
            }
            Token::Fraction(_) => {}
            Token::Stop => {
                if !amounts.is_empty() {
                    break;
                }
            }
        }
        i += 1;
    }

    let implied_currency = amounts.iter().find_map(|a| a.currency);
    let currency = currency.or(implied_currency).unwrap_or(default_currency);
    let period = period.unwrap_or(PayPeriod::Month);
    if amounts.is_empty() {
        return if negotiable { Ok(SalaryRange::negotiable(currency, period)) } else { Err(unparsed(input)) };
    }
    // "8 - 12 triệu": a bare first amount takes the multiplier of the next one.
    let shared_multiplier = amounts.iter().rev().find_map(|a| a.multiplier);
    let mut values: Vec<i64> = Vec::new();
    for amount in amounts.iter().take(2) {
        let factor = match amount.multiplier {
            Some(factor) => factor,
            None => {
                let whole = amount.value.digits / 10_i128.pow(amount.value.scale.min(30));
                match shared_multiplier {
                    Some(shared) if whole < 1_000 => shared,
                    // Salary columns write "8 - 12" for millions of đồng a month.
                    None if currency == Currency::Vnd && whole < 1_000 && period == PayPeriod::Month => 1_000_000,
                    _ => 1,
                }
            }
        };
        values.push(to_minor(amount.value, factor, currency).ok_or_else(|| too_large(input))?);
    }
    let (min, max) = match (values.as_slice(), range || values.len() > 1) {
        ([low, high, ..], _) => (Some((*low).min(*high)), Some((*low).max(*high))),
        ([only], _) => match bound.unwrap_or(Bound::Exact) {
            Bound::Exact => (Some(*only), Some(*only)),
            Bound::AtLeast => (Some(*only), None),
            Bound::AtMost => (None, Some(*only)),
        },
        ([], _) => (None, None),
    };
    SalaryRange::new(min, max, currency, period, negotiable).map_err(|_| unparsed(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_vietnamese_and_english_grouping() {
        let n = |s| parse_number(s).map(|d| (d.digits, d.scale));
        assert_eq!(n("1.200.000"), Some((1_200_000, 0)));
        assert_eq!(n("8,5"), Some((85, 1)));
        assert_eq!(n("1,200.50"), Some((120_050, 2)));
        assert_eq!(n("1.200,50"), Some((120_050, 2)));
        assert_eq!(n("8.5"), Some((85, 1)));
        assert_eq!(n("1,500"), Some((1_500, 0)));
        assert_eq!(n("12.34.567"), None);
    }
}
