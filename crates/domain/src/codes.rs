//! Classification codes: ISCO-08 occupations and the 2025 administrative units.
//!
//! These types check only the shape of a code; whether it exists is checked against the
//! shipped reference data (see `crate::reference`). Codes are strings: leading zeros matter,
//! so "4" is not the commune "00004".

use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::text::normalize;

/// Implements `as_str`, `Display`, `FromStr` and the `String` conversions serde uses.
macro_rules! string_code {
    ($name:ident) => {
        impl $name {
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

fn is_ascii_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// An ISCO-08 occupation group: 1 digit (major group) to 4 digits (unit group).
/// "0" (armed forces) is a valid major group; "7212" is Welders and flame cutters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IscoCode(String);

impl IscoCode {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = normalize(input);
        if !is_ascii_digits(&code) {
            return Err(ValidationError::new(
                "isco",
                "isco.format",
                format!("Mã nghề ISCO-08 phải gồm từ 1 đến 4 chữ số (nhận được \"{code}\")."),
                format!("An ISCO-08 code is 1 to 4 digits (got \"{code}\")."),
            ));
        }
        if code.len() > 4 {
            let count = code.len();
            return Err(ValidationError::new(
                "isco",
                "isco.length",
                format!("Mã nghề ISCO-08 có nhiều nhất 4 chữ số (nhận được {count} chữ số)."),
                format!("An ISCO-08 code has at most 4 digits (got {count})."),
            ));
        }
        Ok(Self(code))
    }

    /// 1 = major group, 2 = sub-major, 3 = minor, 4 = unit group.
    pub fn level(&self) -> u8 {
        // At most 4 by construction.
        self.0.len() as u8
    }

    /// The enclosing group one level up; `None` for a major group.
    pub fn parent(&self) -> Option<IscoCode> {
        (self.0.len() > 1).then(|| Self(self.0[..self.0.len() - 1].to_owned()))
    }

    /// Every group from the major group down to this one, inclusive: 7212 → [7, 72, 721, 7212].
    pub fn ancestors(&self) -> Vec<IscoCode> {
        (1..=self.0.len()).map(|len| Self(self.0[..len].to_owned())).collect()
    }

    /// Whether this code lies in `group` (or is it): 7212 is within 72 and 7, not within 73.
    pub fn is_within(&self, group: &IscoCode) -> bool {
        self.0.starts_with(&group.0)
    }

    /// The 1-digit major group.
    pub fn major(&self) -> IscoCode {
        Self(self.0[..1].to_owned())
    }
}

string_code!(IscoCode);

/// A province-level unit code (2 digits) of the 2025 two-tier administration: "01" Hà Nội,
/// "79" TP Hồ Chí Minh.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvinceCode(String);

impl ProvinceCode {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = normalize(input);
        if code.len() == 2 && is_ascii_digits(&code) {
            Ok(Self(code))
        } else {
            Err(ValidationError::new(
                "province_code",
                "province_code.format",
                format!("Mã tỉnh, thành phố phải gồm đúng 2 chữ số, ví dụ 01 (nhận được \"{code}\")."),
                format!("A province code is exactly 2 digits, e.g. 01 (got \"{code}\")."),
            ))
        }
    }
}

string_code!(ProvinceCode);

/// A commune-level unit code (xã, phường, đặc khu; 5 digits) of the 2025 administration: "00004".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommuneCode(String);

impl CommuneCode {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = normalize(input);
        if code.len() == 5 && is_ascii_digits(&code) {
            Ok(Self(code))
        } else {
            Err(ValidationError::new(
                "commune_code",
                "commune_code.format",
                format!("Mã xã, phường phải gồm đúng 5 chữ số, kể cả số 0 ở đầu, ví dụ 00004 (nhận được \"{code}\")."),
                format!("A commune code is exactly 5 digits including leading zeros, e.g. 00004 (got \"{code}\")."),
            ))
        }
    }
}

string_code!(CommuneCode);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn isco(code: &str) -> IscoCode {
        IscoCode::parse(code).unwrap()
    }

    #[test]
    fn isco_accepts_one_to_four_digits() {
        for code in ["0", "7", "72", "721", "7212", " 7212 "] {
            assert_eq!(isco(code).as_str(), code.trim());
        }
        assert_eq!("9111".parse::<IscoCode>().unwrap().to_string(), "9111");
    }

    #[test]
    fn isco_rejects_bad_codes() {
        assert_eq!(IscoCode::parse("").unwrap_err().code, "isco.format");
        assert_eq!(IscoCode::parse("72a").unwrap_err().code, "isco.format");
        assert_eq!(IscoCode::parse("72 12").unwrap_err().code, "isco.format");
        assert_eq!(IscoCode::parse("-7").unwrap_err().code, "isco.format");
        assert_eq!(IscoCode::parse("72121").unwrap_err().code, "isco.length");
    }

    #[test]
    fn isco_hierarchy() {
        let welder = isco("7212");
        assert_eq!(welder.level(), 4);
        assert_eq!(welder.parent(), Some(isco("721")));
        assert_eq!(isco("7").parent(), None);
        assert_eq!(welder.major(), isco("7"));
        assert_eq!(welder.ancestors(), vec![isco("7"), isco("72"), isco("721"), isco("7212")]);
        assert_eq!(isco("0").ancestors(), vec![isco("0")]);
        assert_eq!(isco("72").level(), 2);
    }

    #[test]
    fn isco_is_within_is_a_prefix_test() {
        let welder = isco("7212");
        assert!(welder.is_within(&isco("72")));
        assert!(welder.is_within(&isco("7")));
        assert!(welder.is_within(&welder));
        assert!(!welder.is_within(&isco("73")));
        assert!(!welder.is_within(&isco("7213")));
        assert!(!isco("72").is_within(&welder));
    }

    #[test]
    fn province_code_is_two_digits() {
        assert_eq!(ProvinceCode::parse("01").unwrap().as_str(), "01");
        assert_eq!(ProvinceCode::parse(" 79 ").unwrap().to_string(), "79");
        for bad in ["1", "001", "ab", "", "7 9"] {
            assert_eq!(ProvinceCode::parse(bad).unwrap_err().code, "province_code.format", "{bad}");
        }
    }

    #[test]
    fn commune_code_is_five_digits_with_leading_zeros() {
        assert_eq!(CommuneCode::parse("00004").unwrap().as_str(), "00004");
        for bad in ["4", "0004", "000004", "0000a", ""] {
            assert_eq!(CommuneCode::parse(bad).unwrap_err().code, "commune_code.format", "{bad}");
        }
    }

    #[test]
    fn codes_serialize_as_strings_and_validate_on_deserialize() {
        assert_eq!(serde_json::to_string(&isco("7212")).unwrap(), "\"7212\"");
        assert_eq!(serde_json::from_str::<ProvinceCode>("\"01\"").unwrap().as_str(), "01");
        assert_eq!(serde_json::from_str::<CommuneCode>("\"00004\"").unwrap().as_str(), "00004");
        assert!(serde_json::from_str::<CommuneCode>("\"4\"").is_err());
        assert!(serde_json::from_str::<IscoCode>("\"12345\"").is_err());
    }
}
