//! Identifiers of people and businesses: citizen identity number (CCCD), enterprise tax code
//! (mã số thuế) and phone number.
//!
//! CCCD and phone numbers are personal data: their `Debug` output is masked so they never reach
//! logs in full; `Display` and serialisation keep the full canonical value.

use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::person::Sex;
use crate::text::normalize;

/// Implements `as_str`, `Display`, `FromStr` and the `String` conversions serde uses.
macro_rules! string_value {
    ($name:ident) => {
        impl $name {
            /// The canonical form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

/// The 63 province codes in force before the 2025 merger. A CCCD records where the birth was
/// registered at issue time, so these codes are frozen history, not the current 34 provinces.
const CCCD_PROVINCE_PREFIXES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Số định danh cá nhân on a citizen identity card (căn cước công dân / căn cước): 12 digits.
///
/// Layout: birth-registration province (3 digits, pre-2025 codes), century-and-sex digit,
/// last two digits of the birth year, 6 random digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cccd(String);

impl Cccd {
    /// Accepts the number with spaces, dots or dashes between digit groups.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let digits: String = normalize(input).chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        if digits.is_empty() {
            return Err(ValidationError::new("cccd", "cccd.empty", "Chưa nhập số CCCD.", "The CCCD number is empty."));
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::new(
                "cccd",
                "cccd.not_digits",
                format!("Số CCCD chỉ được gồm chữ số (nhận được \"{}\").", normalize(input)),
                format!("A CCCD number may contain digits only (got \"{}\").", normalize(input)),
            ));
        }
        if digits.len() != 12 {
            let count = digits.len();
            return Err(ValidationError::new(
                "cccd",
                "cccd.length",
                format!("Số CCCD phải gồm đúng 12 chữ số (nhận được {count} ký tự)."),
                format!("A CCCD number has exactly 12 digits (got {count})."),
            ));
        }
        let prefix = &digits[..3];
        if !CCCD_PROVINCE_PREFIXES.contains(&prefix) {
            return Err(ValidationError::new(
                "cccd",
                "cccd.province",
                format!("Ba chữ số đầu của số CCCD ({prefix}) không phải mã tỉnh, thành phố nơi đăng ký khai sinh."),
                format!(
                    "The first three digits of a CCCD number ({prefix}) are not a birth-registration province code."
                ),
            ));
        }
        Ok(Self(digits))
    }

    /// Code (pre-2025, 3 digits) of the province where the birth was registered.
    pub fn birth_province_prefix(&self) -> &str {
        &self.0[..3]
    }

    fn century_sex_digit(&self) -> u8 {
        self.0.as_bytes()[3] - b'0'
    }

    /// Even century digits are male, odd ones female.
    pub fn sex(&self) -> Sex {
        if self.century_sex_digit().is_multiple_of(2) { Sex::Male } else { Sex::Female }
    }

    pub fn birth_year(&self) -> i32 {
        let century = match self.century_sex_digit() {
            0 | 1 => 1900,
            2 | 3 => 2000,
            4 | 5 => 2100,
            6 | 7 => 2200,
            _ => 1800,
        };
        let bytes = self.0.as_bytes();
        century + i32::from(bytes[4] - b'0') * 10 + i32::from(bytes[5] - b'0')
    }

    /// Only the last 4 digits, for least-privilege display: "********1234".
    pub fn masked(&self) -> String {
        format!("********{}", &self.0[8..])
    }
}

string_value!(Cccd);

impl fmt::Debug for Cccd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cccd").field(&self.masked()).finish()
    }
}

const TAX_CODE_WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// Mã số thuế of an enterprise: 10 digits with a check digit, or 10 digits + "-" + a 3-digit
/// branch number for a branch or dependent unit. Canonical: "0100109106" / "0100109106-001".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

impl TaxCode {
    /// Accepts spaces anywhere and the 13-digit branch form without a dash.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let compact: String = normalize(input)
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| if matches!(c, '–' | '—' | '‐' | '‑') { '-' } else { c })
            .collect();
        if compact.is_empty() {
            return Err(ValidationError::new(
                "tax_code",
                "tax_code.empty",
                "Chưa nhập mã số thuế.",
                "The tax code is empty.",
            ));
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let (head, branch) = match compact.split_once('-') {
            Some((head, branch)) if head.len() == 10 && branch.len() == 3 && all_digits(head) && all_digits(branch) => {
                (head, Some(branch))
            }
            None if compact.len() == 10 && all_digits(&compact) => (compact.as_str(), None),
            None if compact.len() == 13 && all_digits(&compact) => (&compact[..10], Some(&compact[10..])),
            _ => {
                return Err(ValidationError::new(
                    "tax_code",
                    "tax_code.format",
                    format!(
                        "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số của đơn vị phụ thuộc (nhận được \"{}\").",
                        normalize(input)
                    ),
                    format!(
                        "A tax code is 10 digits, or 10 digits, a dash and a 3-digit branch number (got \"{}\").",
                        normalize(input)
                    ),
                ));
            }
        };
        if !check_digit_matches(head) {
            return Err(ValidationError::new(
                "tax_code",
                "tax_code.check_digit",
                format!("Mã số thuế {head} không hợp lệ: chữ số kiểm tra không khớp."),
                format!("Tax code {head} is invalid: the check digit does not match."),
            ));
        }
        match branch {
            Some("000") => Err(ValidationError::new(
                "tax_code",
                "tax_code.branch",
                "Số thứ tự đơn vị phụ thuộc trong mã số thuế phải từ 001 đến 999.",
                "The branch number of a tax code must be between 001 and 999.",
            )),
            Some(branch) => Ok(Self(format!("{head}-{branch}"))),
            None => Ok(Self(head.to_owned())),
        }
    }

    /// The 10-digit code of the enterprise itself.
    pub fn head(&self) -> &str {
        &self.0[..10]
    }

    /// The 3-digit branch / dependent-unit number, if any.
    pub fn branch(&self) -> Option<&str> {
        self.0.get(11..)
    }
}

string_value!(TaxCode);

/// `d10 = 10 − (Σ dᵢ·wᵢ mod 11)` over the first nine digits; a result of 10 is never issued.
fn check_digit_matches(head: &str) -> bool {
    let digits: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits.iter().zip(TAX_CODE_WEIGHTS).map(|(d, w)| d * w).sum();
    let check = 10 - sum % 11;
    check < 10 && digits.get(9) == Some(&check)
}

/// A Vietnamese mobile or landline number, stored in E.164 ("+84912345678").
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts "+84…", "0084…", "84…" (11–12 digits) and national "0…" forms, with spaces, dots,
    /// dashes and parentheses anywhere.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let shown = normalize(input);
        let compact: String = shown.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        if compact.is_empty() {
            return Err(ValidationError::new(
                "phone",
                "phone.empty",
                "Chưa nhập số điện thoại.",
                "The phone number is empty.",
            ));
        }
        let (international, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                "phone",
                "phone.format",
                format!("Số điện thoại chỉ được gồm chữ số, có thể bắt đầu bằng +84 (nhận được \"{shown}\")."),
                format!("A phone number may contain only digits, optionally starting with +84 (got \"{shown}\")."),
            ));
        }
        // After the country code, a trunk "0" is often kept, as in "+84 (0) 912 345 678".
        let after_country_code = |rest: &str| format!("0{}", rest.strip_prefix('0').unwrap_or(rest));
        let national = if international {
            digits.strip_prefix("84").map(after_country_code)
        } else if let Some(rest) = digits.strip_prefix("0084") {
            Some(after_country_code(rest))
        } else if digits.starts_with("84") && (11..=12).contains(&digits.len()) {
            Some(after_country_code(&digits[2..]))
        } else if digits.starts_with('0') && !digits.starts_with("00") {
            Some(digits.to_owned())
        } else {
            None
        };
        let wrong_prefix = || {
            ValidationError::new(
                "phone",
                "phone.prefix",
                format!(
                    "\"{shown}\" không phải số điện thoại Việt Nam: số di động bắt đầu bằng 03, 05, 07, 08, 09; số cố định bắt đầu bằng 02; hoặc +84."
                ),
                format!(
                    "\"{shown}\" is not a Vietnamese phone number: mobiles start with 03, 05, 07, 08, 09, landlines with 02, or +84."
                ),
            )
        };
        let national = national.ok_or_else(wrong_prefix)?;
        let expected_len = match national.as_bytes().get(1) {
            Some(b'3' | b'5' | b'7' | b'8' | b'9') => 10,
            Some(b'2') => 11,
            _ => return Err(wrong_prefix()),
        };
        if national.len() != expected_len {
            let (kind_vi, kind_en) =
                if expected_len == 10 { ("di động", "mobile") } else { ("cố định", "landline") };
            let got = national.len();
            return Err(ValidationError::new(
                "phone",
                "phone.length",
                format!("Số điện thoại {kind_vi} phải gồm {expected_len} chữ số kể cả số 0 đầu (nhận được {got})."),
                format!("A {kind_en} number has {expected_len} digits including the leading 0 (got {got})."),
            ));
        }
        Ok(Self(format!("+84{}", &national[1..])))
    }

    /// National form with the leading 0: "0912345678".
    pub fn national(&self) -> String {
        format!("0{}", &self.0[3..])
    }

    pub fn is_mobile(&self) -> bool {
        !self.0.starts_with("+842")
    }

    /// Grouped as Vietnamese write it: mobile "0912 345 678"; landline "024 3826 4411" for
    /// Hà Nội and TP HCM (3-digit area code), "0236 382 1234" elsewhere.
    pub fn display(&self) -> String {
        let n = self.national();
        if self.is_mobile() {
            format!("{} {} {}", &n[..4], &n[4..7], &n[7..])
        } else if n.starts_with("024") || n.starts_with("028") {
            format!("{} {} {}", &n[..3], &n[3..7], &n[7..])
        } else {
            format!("{} {} {}", &n[..4], &n[4..7], &n[7..])
        }
    }

    /// The middle group hidden: "0912 *** 678".
    pub fn masked(&self) -> String {
        let n = self.national();
        format!("{} *** {}", &n[..4], &n[n.len() - 3..])
    }
}

string_value!(PhoneNumber);

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&self.masked()).finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cccd_error(input: &str) -> &'static str {
        Cccd::parse(input).unwrap_err().code
    }

    #[test]
    fn cccd_accepts_twelve_digits_with_separators() {
        let cccd = Cccd::parse(" 001 099.012-345 ").unwrap();
        assert_eq!(cccd.as_str(), "001099012345");
        assert_eq!(cccd.to_string(), "001099012345");
        assert_eq!("079203001234".parse::<Cccd>().unwrap().as_str(), "079203001234");
    }

    #[test]
    fn cccd_decodes_province_sex_and_birth_year() {
        let man_1985 = Cccd::parse("001085012345").unwrap();
        assert_eq!(man_1985.birth_province_prefix(), "001");
        assert_eq!(man_1985.sex(), Sex::Male);
        assert_eq!(man_1985.birth_year(), 1985);

        let woman_1999 = Cccd::parse("079199000001").unwrap();
        assert_eq!(woman_1999.sex(), Sex::Female);
        assert_eq!(woman_1999.birth_year(), 1999);

        let man_2003 = Cccd::parse("038203000001").unwrap();
        assert_eq!((man_2003.sex(), man_2003.birth_year()), (Sex::Male, 2003));
        let woman_2007 = Cccd::parse("038307000001").unwrap();
        assert_eq!((woman_2007.sex(), woman_2007.birth_year()), (Sex::Female, 2007));
        let woman_2101 = Cccd::parse("038501000001").unwrap();
        assert_eq!((woman_2101.sex(), woman_2101.birth_year()), (Sex::Female, 2101));
        let man_2200 = Cccd::parse("038600000001").unwrap();
        assert_eq!((man_2200.sex(), man_2200.birth_year()), (Sex::Male, 2200));
        let woman_1899 = Cccd::parse("038999000001").unwrap();
        assert_eq!((woman_1899.sex(), woman_1899.birth_year()), (Sex::Female, 1899));
    }

    #[test]
    fn cccd_rejects_bad_input_with_specific_codes() {
        assert_eq!(cccd_error(""), "cccd.empty");
        assert_eq!(cccd_error(" - . "), "cccd.empty");
        assert_eq!(cccd_error("00108501234A"), "cccd.not_digits");
        assert_eq!(cccd_error("００１０８５０１２３４５"), "cccd.not_digits"); // full-width digits
        assert_eq!(cccd_error("00108501234"), "cccd.length");
        assert_eq!(cccd_error("0010850123456"), "cccd.length");
        assert_eq!(cccd_error("123456789"), "cccd.length"); // old 9-digit CMND
        assert_eq!(cccd_error("003085012345"), "cccd.province");
        assert_eq!(cccd_error("097085012345"), "cccd.province");
        assert_eq!(cccd_error("000085012345"), "cccd.province");
    }

    #[test]
    fn cccd_errors_explain_in_vietnamese() {
        let error = Cccd::parse("00108501234").unwrap_err();
        assert_eq!(error.field, "cccd");
        assert_eq!(error.message_vi, "Số CCCD phải gồm đúng 12 chữ số (nhận được 11 ký tự).");
        let error = Cccd::parse("099085012345").unwrap_err();
        assert!(error.message_vi.contains("(099)"), "{}", error.message_vi);
    }

    #[test]
    fn cccd_every_listed_province_is_accepted() {
        for prefix in CCCD_PROVINCE_PREFIXES {
            assert!(Cccd::parse(&format!("{prefix}190000001")).is_ok(), "{prefix}");
        }
    }

    #[test]
    fn cccd_debug_is_masked_but_display_and_serde_are_full() {
        let cccd = Cccd::parse("001085011234").unwrap();
        assert_eq!(cccd.masked(), "********1234");
        let debug = format!("{cccd:?}");
        assert_eq!(debug, "Cccd(\"********1234\")");
        assert!(!debug.contains("00108501"));
        assert_eq!(serde_json::to_string(&cccd).unwrap(), "\"001085011234\"");
        let back: Cccd = serde_json::from_str("\"001 085 011 234\"").unwrap();
        assert_eq!(back, cccd);
        assert!(serde_json::from_str::<Cccd>("\"12345\"").is_err());
    }

    fn tax_error(input: &str) -> &'static str {
        TaxCode::parse(input).unwrap_err().code
    }

    #[test]
    fn tax_code_accepts_known_enterprises() {
        for code in ["0300588569", "0101248141", "0100109106"] {
            let tax = TaxCode::parse(code).unwrap();
            assert_eq!(tax.as_str(), code);
            assert_eq!(tax.head(), code);
            assert_eq!(tax.branch(), None);
        }
        assert_eq!(TaxCode::parse(" 0300 588 569 ").unwrap().as_str(), "0300588569");
    }

    #[test]
    fn tax_code_branch_forms_canonicalise_with_a_dash() {
        for input in ["0100109106-001", "0100109106001", "0100109106 - 001", "0100109106–001"] {
            let tax = TaxCode::parse(input).unwrap();
            assert_eq!(tax.as_str(), "0100109106-001", "{input}");
            assert_eq!(tax.head(), "0100109106");
            assert_eq!(tax.branch(), Some("001"));
        }
        assert_eq!(TaxCode::parse("0101248141-999").unwrap().branch(), Some("999"));
    }

    #[test]
    fn tax_code_rejects_bad_input_with_specific_codes() {
        assert_eq!(tax_error("  "), "tax_code.empty");
        assert_eq!(tax_error("030058856"), "tax_code.format");
        assert_eq!(tax_error("03005885690"), "tax_code.format");
        assert_eq!(tax_error("0300588569-01"), "tax_code.format");
        assert_eq!(tax_error("030058856A"), "tax_code.format");
        assert_eq!(tax_error("0300588569-001-002"), "tax_code.format");
        assert_eq!(tax_error("0300588568"), "tax_code.check_digit");
        assert_eq!(tax_error("0300588568-001"), "tax_code.check_digit");
        assert_eq!(tax_error("0100109106-000"), "tax_code.branch");
        assert_eq!(tax_error("0100109106000"), "tax_code.branch");
    }

    #[test]
    fn tax_code_check_digit_of_ten_is_never_valid() {
        // Any head whose weighted sum is a multiple of 11 would need check digit 10.
        let head = (0..1_000u32)
            .map(|n| format!("{n:09}"))
            .find(|head| {
                let sum: u32 = head.bytes().zip(TAX_CODE_WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
                sum.is_multiple_of(11)
            })
            .unwrap();
        for last in 0..10 {
            assert_eq!(tax_error(&format!("{head}{last}")), "tax_code.check_digit", "{head}{last}");
        }
    }

    #[test]
    fn tax_code_serde_round_trip() {
        let tax = TaxCode::parse("0100109106001").unwrap();
        let json = serde_json::to_string(&tax).unwrap();
        assert_eq!(json, "\"0100109106-001\"");
        assert_eq!(serde_json::from_str::<TaxCode>(&json).unwrap(), tax);
        assert!(serde_json::from_str::<TaxCode>("\"0300588568\"").is_err());
    }

    fn phone_error(input: &str) -> &'static str {
        PhoneNumber::parse(input).unwrap_err().code
    }

    #[test]
    fn phone_accepts_all_mobile_forms() {
        for input in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84 912 345 678",
            "+84912345678",
            "84912345678",
            "0084912345678",
            "(+84) 912-345-678",
            "+84 (0) 912 345 678",
            "840912345678",
        ] {
            let phone = PhoneNumber::parse(input).unwrap();
            assert_eq!(phone.as_str(), "+84912345678", "{input}");
            assert!(phone.is_mobile());
        }
        for prefix in ["03", "05", "07", "08", "09"] {
            assert!(PhoneNumber::parse(&format!("{prefix}12345678")).is_ok(), "{prefix}");
        }
    }

    #[test]
    fn phone_mobile_views() {
        let phone = PhoneNumber::parse("0912345678").unwrap();
        assert_eq!(phone.national(), "0912345678");
        assert_eq!(phone.display(), "0912 345 678");
        assert_eq!(phone.masked(), "0912 *** 678");
        assert_eq!(phone.to_string(), "+84912345678");
        assert_eq!(format!("{phone:?}"), "PhoneNumber(\"0912 *** 678\")");
    }

    #[test]
    fn phone_accepts_landlines() {
        let hanoi = PhoneNumber::parse("(024) 3826 4411").unwrap();
        assert_eq!(hanoi.as_str(), "+842438264411");
        assert!(!hanoi.is_mobile());
        assert_eq!(hanoi.national(), "02438264411");
        assert_eq!(hanoi.display(), "024 3826 4411");
        assert_eq!(hanoi.masked(), "0243 *** 411");
        assert_eq!(PhoneNumber::parse("842438264411").unwrap(), hanoi);
        assert_eq!(PhoneNumber::parse("+84 24 3826 4411").unwrap(), hanoi);

        let da_nang = PhoneNumber::parse("0236 382 1234").unwrap();
        assert_eq!(da_nang.display(), "0236 382 1234");
    }

    #[test]
    fn phone_rejects_bad_input_with_specific_codes() {
        assert_eq!(phone_error(" ( ) "), "phone.empty");
        assert_eq!(phone_error("0912abc678"), "phone.format");
        assert_eq!(phone_error("+"), "phone.format");
        assert_eq!(phone_error("09+12345678"), "phone.format");
        assert_eq!(phone_error("091234567"), "phone.length");
        assert_eq!(phone_error("09123456789"), "phone.length");
        assert_eq!(phone_error("0243826441"), "phone.length");
        assert_eq!(phone_error("+8491234567"), "phone.length");
        assert_eq!(phone_error("01234567890"), "phone.prefix"); // retired 11-digit mobile
        assert_eq!(phone_error("0612345678"), "phone.prefix");
        assert_eq!(phone_error("+1 415 555 0100"), "phone.prefix");
        assert_eq!(phone_error("001415555010"), "phone.prefix");
        assert_eq!(phone_error("912345678"), "phone.prefix");
        assert_eq!(phone_error("8491234567"), "phone.prefix");
    }

    #[test]
    fn phone_serde_round_trip_validates() {
        let phone = PhoneNumber::parse("0987 654 321").unwrap();
        let json = serde_json::to_string(&phone).unwrap();
        assert_eq!(json, "\"+84987654321\"");
        assert_eq!(serde_json::from_str::<PhoneNumber>(&json).unwrap(), phone);
        assert!(serde_json::from_str::<PhoneNumber>("\"0612345678\"").is_err());
    }
}
