//! Money and wages. Amounts are integers in the currency's ISO 4217 minor unit, so no value is
//! ever rounded by floating point; display follows Vietnamese conventions (`.` groups
//! thousands, `,` marks decimals) and the way Vietnamese job ads write wages.

use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::text::fold;

/// Currencies wages are paid in: at home, and in the main overseas labour markets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Currency {
    Vnd,
    Jpy,
    Krw,
    Twd,
    Usd,
    Eur,
}

impl Currency {
    pub const ALL: &'static [Self] = &[Self::Vnd, Self::Jpy, Self::Krw, Self::Twd, Self::Usd, Self::Eur];

    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Vnd => "VND",
            Self::Jpy => "JPY",
            Self::Krw => "KRW",
            Self::Twd => "TWD",
            Self::Usd => "USD",
            Self::Eur => "EUR",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Vnd => "Đồng Việt Nam",
            Self::Jpy => "Yên Nhật",
            Self::Krw => "Won Hàn Quốc",
            Self::Twd => "Đài tệ",
            Self::Usd => "Đô la Mỹ",
            Self::Eur => "Euro",
        }
    }

    /// Accepts ISO codes in any case and the unambiguous words and symbols Vietnamese use
    /// ("đ", "₫", "đồng", "yên", "¥", "won", "₩", "Đài tệ", "NT$", "đô", "$", "€").
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = fold(input);
        let found = match key.as_str() {
            "vnd" | "d" | "₫" | "dong" | "dong viet nam" => Some(Self::Vnd),
            "jpy" | "yen" | "yen nhat" | "¥" | "円" => Some(Self::Jpy),
            "krw" | "won" | "won han quoc" | "₩" => Some(Self::Krw),
            "twd" | "nt$" | "dai te" | "tan dai te" => Some(Self::Twd),
            "usd" | "$" | "us$" | "do" | "do la" | "do la my" => Some(Self::Usd),
            "eur" | "€" | "euro" => Some(Self::Eur),
            _ => None,
        };
        found.ok_or_else(|| {
            ValidationError::new(
                "currency",
                "currency.unknown",
                format!("Đơn vị tiền tệ \"{input}\" không được hỗ trợ; chấp nhận: VND, JPY, KRW, TWD, USD, EUR."),
                format!("Unsupported currency \"{input}\"; expected one of VND, JPY, KRW, TWD, USD, EUR."),
            )
        })
    }

    /// Digits after the decimal point in ISO 4217.
    pub fn minor_units(self) -> u32 {
        match self {
            Self::Vnd | Self::Jpy | Self::Krw => 0,
            Self::Twd | Self::Usd | Self::Eur => 2,
        }
    }

    /// The currency sign: "đ", "¥", "₩", "NT$", "$", "€".
    pub fn symbol_vi(self) -> &'static str {
        match self {
            Self::Vnd => "đ",
            Self::Jpy => "¥",
            Self::Krw => "₩",
            Self::Twd => "NT$",
            Self::Usd => "$",
            Self::Eur => "€",
        }
    }

    /// The unit written after an amount in Vietnamese text and job ads:
    /// "đ", "yên", "won", "Đài tệ", "USD", "EUR".
    pub fn unit_vi(self) -> &'static str {
        match self {
            Self::Vnd => "đ",
            Self::Jpy => "yên",
            Self::Krw => "won",
            Self::Twd => "Đài tệ",
            Self::Usd => "USD",
            Self::Eur => "EUR",
        }
    }

    fn minor_per_major(self) -> i64 {
        10_i64.pow(self.minor_units())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Currency> for &'static str {
    fn from(value: Currency) -> Self {
        value.code()
    }
}


/// A non-negative minor-unit amount as Vietnamese write it: "1.200", "1.200,50"
/// (decimals only when there is a fraction).
fn format_amount(amount_minor: i64, currency: Currency) -> String {
    let amount = amount_minor.unsigned_abs();
    let per_major = currency.minor_per_major().unsigned_abs();
    let (whole, fraction) = (amount / per_major, amount % per_major);
    let sign = if amount_minor < 0 { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{}", crate::text::group_thousands(whole))
    } else {
        let width = currency.minor_units() as usize;
        format!("{sign}{},{fraction:0width$}", crate::text::group_thousands(whole))
    }
}

fn negative_money(field: &str, code: &'static str) -> ValidationError {
    ValidationError::new(field, code, "Số tiền không được âm.", "An amount of money cannot be negative.")
}

/// A non-negative amount of money, in the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "MoneyRepr")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    amount_minor: i64,
    currency: Currency,
}

#[derive(serde::Deserialize)]
struct MoneyRepr {
    amount_minor: i64,
    currency: Currency,
}

impl TryFrom<MoneyRepr> for Money {
    type Error = ValidationError;
    fn try_from(value: MoneyRepr) -> Result<Self, Self::Error> {
        Self::new(value.amount_minor, value.currency)
    }
}

impl Money {
    pub fn new(amount_minor: i64, currency: Currency) -> Result<Self, ValidationError> {
        if amount_minor < 0 {
            return Err(negative_money("money", "money.negative"));
        }
        Ok(Self { amount_minor, currency })
    }

    /// From whole units: 8_000_000 VND → 8_000_000 minor; 1_200 USD → 120_000 minor.
    pub fn from_major(amount: i64, currency: Currency) -> Result<Self, ValidationError> {
        let minor = amount.checked_mul(currency.minor_per_major()).ok_or_else(|| {
            ValidationError::new("money", "money.overflow", "Số tiền quá lớn.", "The amount of money is too large.")
        })?;
        Self::new(minor, currency)
    }

    pub fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whole major units, truncating any fraction (1.200,50 USD → 1200).
    pub fn whole_units(&self) -> i64 {
        self.amount_minor / self.currency.minor_per_major()
    }

    /// "90.000.000 đ", "180.000 yên", "1.200,50 USD".
    pub fn format_vi(&self) -> String {
        format!("{} {}", format_amount(self.amount_minor, self.currency), self.currency.unit_vi())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_vi())
    }
}

/// The period a wage is quoted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum PayPeriod {
    Hour,
    Day,
    Month,
    Year,
}

impl PayPeriod {
    pub const ALL: &'static [Self] = &[Self::Hour, Self::Day, Self::Month, Self::Year];

    pub fn code(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Hour => "giờ",
            Self::Day => "ngày",
            Self::Month => "tháng",
            Self::Year => "năm",
        }
    }

    /// Accepts the codes, the Vietnamese words with or without diacritics ("tháng", "thang",
    /// "/tháng") and "hourly"/"daily"/"monthly"/"yearly".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = fold(input);
        let key = key.trim_start_matches('/').trim();
        let found = match key {
            "hour" | "hourly" | "gio" => Some(Self::Hour),
            "day" | "daily" | "ngay" => Some(Self::Day),
            "month" | "monthly" | "thang" => Some(Self::Month),
            "year" | "yearly" | "annual" | "nam" => Some(Self::Year),
            _ => None,
        };
        found.ok_or_else(|| {
            ValidationError::new(
                "pay_period",
                "pay_period.unknown",
                format!("Kỳ trả lương \"{input}\" không hợp lệ; chấp nhận: giờ, ngày, tháng, năm."),
                format!("Unknown pay period \"{input}\"; expected hour, day, month or year."),
            )
        })
    }
}

impl fmt::Display for PayPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for PayPeriod {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PayPeriod {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PayPeriod> for &'static str {
    fn from(value: PayPeriod) -> Self {
        value.code()
    }
}

const ONE_MILLION_VND: i64 = 1_000_000;

/// A wage as a job ad states it: optional bounds (minor units of `currency`) per `period`,
/// possibly negotiable. At least one bound is present unless the wage is negotiable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "SalaryRangeRepr")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalaryRange {
    min: Option<i64>,
    max: Option<i64>,
    currency: Currency,
    period: PayPeriod,
    negotiable: bool,
}

#[derive(serde::Deserialize)]
struct SalaryRangeRepr {
    min: Option<i64>,
    max: Option<i64>,
    currency: Currency,
    period: PayPeriod,
    negotiable: bool,
}

impl TryFrom<SalaryRangeRepr> for SalaryRange {
    type Error = ValidationError;
    fn try_from(r: SalaryRangeRepr) -> Result<Self, Self::Error> {
        Self::new(r.min, r.max, r.currency, r.period, r.negotiable)
    }
}

impl SalaryRange {
    pub fn new(
        min: Option<i64>,
        max: Option<i64>,
        currency: Currency,
        period: PayPeriod,
        negotiable: bool,
    ) -> Result<Self, ValidationError> {
        if min.is_some_and(|v| v < 0) || max.is_some_and(|v| v < 0) {
            return Err(negative_money("salary", "salary.negative"));
        }
        if let (Some(low), Some(high)) = (min, max)
            && low > high
        {
            return Err(ValidationError::new(
                "salary",
                "salary.min_above_max",
                format!(
                    "Mức lương tối thiểu ({}) lớn hơn mức tối đa ({}).",
                    format_amount(low, currency),
                    format_amount(high, currency)
                ),
                format!(
                    "The minimum wage ({}) is above the maximum ({}).",
                    format_amount(low, currency),
                    format_amount(high, currency)
                ),
            ));
        }
        if min.is_none() && max.is_none() && !negotiable {
            return Err(ValidationError::new(
                "salary",
                "salary.empty",
                "Cần ghi mức lương hoặc chọn \"Thỏa thuận\".",
                "Give a wage or mark it as negotiable.",
            ));
        }
        Ok(Self { min, max, currency, period, negotiable })
    }

    /// "Thỏa thuận": no figure given.
    pub fn negotiable(currency: Currency, period: PayPeriod) -> Self {
        Self { min: None, max: None, currency, period, negotiable: true }
    }

    /// Lower bound in minor units of [`Self::currency`].
    pub fn min(&self) -> Option<i64> {
        self.min
    }

    /// Upper bound in minor units of [`Self::currency`].
    pub fn max(&self) -> Option<i64> {
        self.max
    }

    pub fn min_money(&self) -> Option<Money> {
        self.min.map(|amount_minor| Money { amount_minor, currency: self.currency })
    }

    pub fn max_money(&self) -> Option<Money> {
        self.max.map(|amount_minor| Money { amount_minor, currency: self.currency })
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn period(&self) -> PayPeriod {
        self.period
    }

    pub fn is_negotiable(&self) -> bool {
        self.negotiable
    }

    /// The wage as Vietnamese job ads write it: "8 - 12 triệu", "Từ 8 triệu", "Lên đến 35 triệu",
    /// "Thỏa thuận", "300.000 đ/ngày", "160.000 - 200.000 yên/tháng", "1.200 - 1.800 USD/tháng".
    ///
    /// VND is written in millions ("triệu", monthly implied) when every bound is at least a
    /// million and a whole number of ten-thousands; otherwise amounts are written in full.
    pub fn display_vi(&self) -> String {
        let bounds: Vec<i64> = self.min.iter().chain(self.max.iter()).copied().collect();
        if bounds.is_empty() {
            return "Thỏa thuận".to_owned();
        }
        let in_millions =
            self.currency == Currency::Vnd && bounds.iter().all(|v| *v >= ONE_MILLION_VND && v % 10_000 == 0);
        let amount = |value: i64| {
            if in_millions { format_millions(value) } else { format_amount(value, self.currency) }
        };
        let unit = match (in_millions, self.period) {
            (true, PayPeriod::Month) => " triệu".to_owned(),
            (true, period) => format!(" triệu/{}", period.label_vi()),
            (false, period) => format!(" {}/{}", self.currency.unit_vi(), period.label_vi()),
        };
        let text = match (self.min, self.max) {
            (Some(low), Some(high)) if low == high => format!("{}{unit}", amount(low)),
            (Some(low), Some(high)) => format!("{} - {}{unit}", amount(low), amount(high)),
            (Some(low), None) => format!("Từ {}{unit}", amount(low)),
            (None, Some(high)) => format!("Lên đến {}{unit}", amount(high)),
            (None, None) => String::new(),
        };
        if self.negotiable { format!("{text} (thỏa thuận)") } else { text }
    }
}

/// VND in millions with a decimal comma: 8_500_000 → "8,5"; 12_000_000 → "12".
fn format_millions(amount_vnd: i64) -> String {
    let amount = amount_vnd.unsigned_abs();
    let whole = crate::text::group_thousands(amount / 1_000_000);
    let hundredths = (amount % 1_000_000) / 10_000;
    match hundredths {
        0 => whole,
        h if h.is_multiple_of(10) => format!("{whole},{}", h / 10),
        h => format!("{whole},{h:02}"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn salary(min: Option<i64>, max: Option<i64>, currency: Currency, period: PayPeriod) -> SalaryRange {
        SalaryRange::new(min, max, currency, period, false).unwrap()
    }

    const M: i64 = 1_000_000;

    #[test]
    fn currency_codes_and_minor_units() {
        let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["VND", "JPY", "KRW", "TWD", "USD", "EUR"]);
        let minor: Vec<u32> = Currency::ALL.iter().map(|c| c.minor_units()).collect();
        assert_eq!(minor, [0, 0, 0, 2, 2, 2]);
        assert_eq!(Currency::Twd.symbol_vi(), "NT$");
        assert_eq!(Currency::Vnd.symbol_vi(), "đ");
    }

    #[test]
    fn currency_parse_accepts_codes_words_and_symbols() {
        for (input, expected) in [
            ("vnd", Currency::Vnd),
            ("VND", Currency::Vnd),
            ("đ", Currency::Vnd),
            ("₫", Currency::Vnd),
            ("VNĐ", Currency::Vnd),
            ("đồng", Currency::Vnd),
            ("yên", Currency::Jpy),
            ("¥", Currency::Jpy),
            ("jpy", Currency::Jpy),
            ("Won", Currency::Krw),
            ("₩", Currency::Krw),
            ("twd", Currency::Twd),
            ("NT$", Currency::Twd),
            ("Đài tệ", Currency::Twd),
            ("usd", Currency::Usd),
            ("$", Currency::Usd),
            ("đô", Currency::Usd),
            ("€", Currency::Eur),
            ("Eur", Currency::Eur),
        ] {
            assert_eq!(Currency::parse(input).unwrap(), expected, "{input}");
        }
        for rejected in ["tệ", "ndt", "yuan", "", "dollar"] {
            assert_eq!(Currency::parse(rejected).unwrap_err().code, "currency.unknown", "{rejected}");
        }
    }

    #[test]
    fn currency_serializes_as_code() {
        assert_eq!(serde_json::to_string(&Currency::Krw).unwrap(), "\"KRW\"");
        assert_eq!(serde_json::from_str::<Currency>("\"JPY\"").unwrap(), Currency::Jpy);
        assert!(serde_json::from_str::<Currency>("\"XYZ\"").is_err());
    }

    #[test]
    fn money_rejects_negative_amounts() {
        assert_eq!(Money::new(-1, Currency::Vnd).unwrap_err().code, "money.negative");
        assert_eq!(Money::from_major(-5, Currency::Usd).unwrap_err().code, "money.negative");
        assert_eq!(Money::from_major(i64::MAX, Currency::Usd).unwrap_err().code, "money.overflow");
        assert_eq!(Money::new(0, Currency::Vnd).unwrap().amount_minor(), 0);
    }

    #[test]
    fn money_from_major_scales_by_minor_units() {
        assert_eq!(Money::from_major(8_000_000, Currency::Vnd).unwrap().amount_minor(), 8_000_000);
        assert_eq!(Money::from_major(1_200, Currency::Usd).unwrap().amount_minor(), 120_000);
        assert_eq!(Money::new(120_050, Currency::Usd).unwrap().whole_units(), 1_200);
        assert_eq!(Money::new(180_000, Currency::Jpy).unwrap().whole_units(), 180_000);
    }

    #[test]
    fn money_format_vi_uses_vietnamese_separators() {
        assert_eq!(Money::from_major(90_000_000, Currency::Vnd).unwrap().format_vi(), "90.000.000 đ");
        assert_eq!(Money::from_major(180_000, Currency::Jpy).unwrap().format_vi(), "180.000 yên");
        assert_eq!(Money::new(120_050, Currency::Usd).unwrap().format_vi(), "1.200,50 USD");
        assert_eq!(Money::new(120_005, Currency::Eur).unwrap().format_vi(), "1.200,05 EUR");
        assert_eq!(Money::from_major(1_200, Currency::Usd).unwrap().to_string(), "1.200 USD");
        assert_eq!(Money::new(999, Currency::Vnd).unwrap().format_vi(), "999 đ");
        assert_eq!(Money::new(0, Currency::Vnd).unwrap().format_vi(), "0 đ");
    }

    #[test]
    fn money_serde_round_trip_validates() {
        let money = Money::from_major(1_200, Currency::Usd).unwrap();
        let json = serde_json::to_string(&money).unwrap();
        assert_eq!(json, r#"{"amount_minor":120000,"currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), money);
        assert!(serde_json::from_str::<Money>(r#"{"amount_minor":-1,"currency":"USD"}"#).is_err());
    }

    #[test]
    fn pay_period_codes_labels_and_parse() {
        let codes: Vec<&str> = PayPeriod::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["hour", "day", "month", "year"]);
        let labels: Vec<&str> = PayPeriod::ALL.iter().map(|p| p.label_vi()).collect();
        assert_eq!(labels, ["giờ", "ngày", "tháng", "năm"]);
        assert_eq!(PayPeriod::parse("Tháng").unwrap(), PayPeriod::Month);
        assert_eq!(PayPeriod::parse("/ngày").unwrap(), PayPeriod::Day);
        assert_eq!(PayPeriod::parse("gio").unwrap(), PayPeriod::Hour);
        assert_eq!(PayPeriod::parse("year").unwrap(), PayPeriod::Year);
        assert_eq!(PayPeriod::parse("tuần").unwrap_err().code, "pay_period.unknown");
        assert_eq!(serde_json::to_string(&PayPeriod::Month).unwrap(), "\"month\"");
    }

    #[test]
    fn salary_vnd_monthly_in_millions() {
        let v = Currency::Vnd;
        let month = PayPeriod::Month;
        assert_eq!(salary(Some(8 * M), Some(12 * M), v, month).display_vi(), "8 - 12 triệu");
        assert_eq!(salary(Some(8_500_000), Some(12 * M), v, month).display_vi(), "8,5 - 12 triệu");
        assert_eq!(salary(Some(6_250_000), None, v, month).display_vi(), "Từ 6,25 triệu");
        assert_eq!(salary(Some(8 * M), None, v, month).display_vi(), "Từ 8 triệu");
        assert_eq!(salary(None, Some(35 * M), v, month).display_vi(), "Lên đến 35 triệu");
        assert_eq!(salary(Some(10 * M), Some(10 * M), v, month).display_vi(), "10 triệu");
        assert_eq!(salary(Some(1_500 * M), None, v, month).display_vi(), "Từ 1.500 triệu");
    }

    #[test]
    fn salary_vnd_odd_amounts_are_written_in_full() {
        let v = Currency::Vnd;
        assert_eq!(salary(Some(7_654_321), None, v, PayPeriod::Month).display_vi(), "Từ 7.654.321 đ/tháng");
        assert_eq!(
            salary(Some(800_000), Some(1_500_000), v, PayPeriod::Month).display_vi(),
            "800.000 - 1.500.000 đ/tháng"
        );
    }

    #[test]
    fn salary_vnd_daily_and_hourly() {
        let v = Currency::Vnd;
        assert_eq!(salary(Some(300_000), Some(300_000), v, PayPeriod::Day).display_vi(), "300.000 đ/ngày");
        assert_eq!(salary(Some(25_000), None, v, PayPeriod::Hour).display_vi(), "Từ 25.000 đ/giờ");
        assert_eq!(salary(None, Some(25_000), v, PayPeriod::Hour).display_vi(), "Lên đến 25.000 đ/giờ");
        assert_eq!(salary(Some(250_000), Some(350_000), v, PayPeriod::Day).display_vi(), "250.000 - 350.000 đ/ngày");
        assert_eq!(salary(Some(1_200_000), None, v, PayPeriod::Day).display_vi(), "Từ 1,2 triệu/ngày");
        assert_eq!(salary(Some(120 * M), Some(180 * M), v, PayPeriod::Year).display_vi(), "120 - 180 triệu/năm");
    }

    #[test]
    fn salary_negotiable_forms() {
        assert_eq!(SalaryRange::negotiable(Currency::Vnd, PayPeriod::Month).display_vi(), "Thỏa thuận");
        let with_amounts = SalaryRange::new(Some(8 * M), Some(12 * M), Currency::Vnd, PayPeriod::Month, true).unwrap();
        assert_eq!(with_amounts.display_vi(), "8 - 12 triệu (thỏa thuận)");
        assert!(with_amounts.is_negotiable());
        let explicit = SalaryRange::new(None, None, Currency::Jpy, PayPeriod::Month, true).unwrap();
        assert_eq!(explicit, SalaryRange::negotiable(Currency::Jpy, PayPeriod::Month));
    }

    #[test]
    fn salary_foreign_currencies() {
        let month = PayPeriod::Month;
        assert_eq!(salary(Some(180_000), Some(180_000), Currency::Jpy, month).display_vi(), "180.000 yên/tháng");
        assert_eq!(
            salary(Some(160_000), Some(200_000), Currency::Jpy, month).display_vi(),
            "160.000 - 200.000 yên/tháng"
        );
        assert_eq!(salary(Some(2_096_270), None, Currency::Krw, month).display_vi(), "Từ 2.096.270 won/tháng");
        assert_eq!(salary(Some(2_096_270), Some(2_096_270), Currency::Krw, month).display_vi(), "2.096.270 won/tháng");
        assert_eq!(salary(Some(120_000), Some(180_000), Currency::Usd, month).display_vi(), "1.200 - 1.800 USD/tháng");
        assert_eq!(salary(Some(2_859_000), Some(2_859_000), Currency::Twd, month).display_vi(), "28.590 Đài tệ/tháng");
        assert_eq!(salary(None, Some(200_000), Currency::Eur, month).display_vi(), "Lên đến 2.000 EUR/tháng");
        assert_eq!(salary(Some(1_250), None, Currency::Usd, PayPeriod::Hour).display_vi(), "Từ 12,50 USD/giờ");
    }

    #[test]
    fn salary_rejects_invalid_ranges() {
        let err = |min, max, negotiable| {
            SalaryRange::new(min, max, Currency::Vnd, PayPeriod::Month, negotiable).unwrap_err().code
        };
        assert_eq!(err(Some(-1), None, false), "salary.negative");
        assert_eq!(err(None, Some(-1), true), "salary.negative");
        assert_eq!(err(Some(12 * M), Some(8 * M), false), "salary.min_above_max");
        assert_eq!(err(None, None, false), "salary.empty");
    }

    #[test]
    fn salary_getters() {
        let range = salary(Some(8 * M), None, Currency::Vnd, PayPeriod::Month);
        assert_eq!(range.min(), Some(8 * M));
        assert_eq!(range.max(), None);
        assert_eq!(range.currency(), Currency::Vnd);
        assert_eq!(range.period(), PayPeriod::Month);
        assert!(!range.is_negotiable());
        assert_eq!(range.min_money().unwrap().format_vi(), "8.000.000 đ");
        assert_eq!(range.max_money(), None);
    }

    #[test]
    fn salary_serde_round_trip_validates() {
        let range = SalaryRange::new(Some(160_000), Some(200_000), Currency::Jpy, PayPeriod::Month, true).unwrap();
        let json = serde_json::to_string(&range).unwrap();
        assert_eq!(json, r#"{"min":160000,"max":200000,"currency":"JPY","period":"month","negotiable":true}"#);
        assert_eq!(serde_json::from_str::<SalaryRange>(&json).unwrap(), range);
        let inverted = r#"{"min":2,"max":1,"currency":"VND","period":"month","negotiable":false}"#;
        assert!(serde_json::from_str::<SalaryRange>(inverted).is_err());
        let empty = r#"{"min":null,"max":null,"currency":"VND","period":"month","negotiable":false}"#;
        assert!(serde_json::from_str::<SalaryRange>(empty).is_err());
    }
}
