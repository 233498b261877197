//! ISO 3166-1 alpha-2 country codes (markets for overseas work, "VN" for domestic jobs).

use crate::error::ValidationError;
use crate::text::normalize;

/// Two upper-case ASCII letters. Existence is checked against the shipped CLDR list by
/// [`crate::reference::countries`], not here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    pub const VIETNAM: &'static str = "VN";

    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = normalize(input).to_ascii_uppercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else {
            Err(ValidationError::new(
                "country_code",
                "country_code.format",
                format!("Mã quốc gia phải gồm 2 chữ cái theo ISO 3166 (nhận được \"{input}\")."),
                format!("A country code must be two ISO 3166 letters (got \"{input}\")."),
            ))
        }
    }

    pub fn vietnam() -> Self {
        Self(Self::VIETNAM.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(value: CountryCode) -> Self {
        value.0
    }
}

impl std::str::FromStr for CountryCode {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}
