//! Facts about a person: sex (as recorded on the CCCD) and date of birth.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::error::ValidationError;
use crate::text::{fold, normalize};

/// Sex as recorded on identity papers ("Giới tính: Nam/Nữ").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub const ALL: &'static [Self] = &[Self::Male, Self::Female];

    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Male => "Nam",
            Self::Female => "Nữ",
        }
    }

    /// Accepts "nam"/"nữ"/"nu", "male"/"female", "m"/"f", in any case, with or without diacritics.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        match fold(input).as_str() {
            "nam" | "male" | "m" => Ok(Self::Male),
            "nu" | "female" | "f" => Ok(Self::Female),
            _ => Err(ValidationError::new(
                "sex",
                "sex.unknown",
                format!("Giới tính \"{input}\" không hợp lệ; chấp nhận: Nam, Nữ."),
                format!("Unknown sex \"{input}\"; expected male or female."),
            )),
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Sex {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Sex {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Sex> for &'static str {
    fn from(value: Sex) -> Self {
        value.code()
    }
}

/// The oldest age accepted; anything older is a typing error (wrong century).
const MAX_AGE_YEARS: u32 = 120;

/// A date of birth that is not in the future and implies an age of at most 120 years.
///
/// Both checks need "today", which a pure crate cannot read, so the constructors take it.
/// Deserialisation (ISO "yyyy-mm-dd") trusts stored data and does not re-check against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateOfBirth(NaiveDate);

impl DateOfBirth {
    pub fn new(date: NaiveDate, today: NaiveDate) -> Result<Self, ValidationError> {
        if date > today {
            return Err(ValidationError::new(
                "date_of_birth",
                "dob.future",
                format!("Ngày sinh {} nằm sau ngày hôm nay.", format_vi(date)),
                format!("Date of birth {date} is in the future."),
            ));
        }
        let candidate = Self(date);
        if candidate.age_on(today) > MAX_AGE_YEARS {
            return Err(ValidationError::new(
                "date_of_birth",
                "dob.too_old",
                format!("Ngày sinh {} cho tuổi trên {MAX_AGE_YEARS}; hãy kiểm tra lại năm sinh.", format_vi(date)),
                format!("Date of birth {date} implies an age above {MAX_AGE_YEARS}; check the year."),
            ));
        }
        Ok(candidate)
    }

    /// Accepts "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy" (Vietnamese order) and ISO "yyyy-mm-dd".
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, ValidationError> {
        let text = normalize(input);
        let format_error = || {
            ValidationError::new(
                "date_of_birth",
                "dob.format",
                format!("Ngày sinh \"{text}\" không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/1998."),
                format!("Invalid date of birth \"{text}\"; use dd/mm/yyyy, e.g. 05/09/1998."),
            )
        };
        let parts: Vec<&str> = text.split(['/', '-']).collect();
        let separators_consistent = text.matches('/').count() == 2 || text.matches('-').count() == 2;
        let &[first, second, third] = parts.as_slice() else {
            return Err(format_error());
        };
        if !separators_consistent || ![first, second, third].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(format_error());
        }
        let (year, month, day) =
            if first.len() == 4 && text.contains('-') { (first, second, third) } else { (third, second, first) };
        if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
            return Err(format_error());
        }
        let (Ok(year), Ok(month), Ok(day)) = (year.parse::<i32>(), month.parse::<u32>(), day.parse::<u32>()) else {
            return Err(format_error());
        };
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(format_error)?;
        Self::new(date, today)
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }

    /// Age in full years on `date`; a 29 February birthday falls on 1 March in common years.
    /// Zero for dates before the birth.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        let birth = self.0;
        if date <= birth {
            return 0;
        }
        let birthday_this_year = if (birth.month(), birth.day()) == (2, 29) && !is_leap_year(date.year()) {
            (3, 1)
        } else {
            (birth.month(), birth.day())
        };
        let mut years = date.year() - birth.year();
        if (date.month(), date.day()) < birthday_this_year {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }

    /// The latest birth date whose age on `on` is at least `years` — the bound an "aged at
    /// least N" range filter needs, with the same 29 February rule as [`Self::age_on`].
    pub fn latest_for_age(years: u32, on: NaiveDate) -> NaiveDate {
        let guess = on.checked_sub_months(chrono::Months::new(years.saturating_mul(12))).unwrap_or(NaiveDate::MIN);
        // The calendar guess is within a day of the boundary; step onto it.
        let mut birth = guess.checked_add_days(chrono::Days::new(2)).unwrap_or(guess);
        while birth > NaiveDate::MIN && Self(birth).age_on(on) < years {
            birth = birth.pred_opt().unwrap_or(NaiveDate::MIN);
        }
        birth
    }

    /// "dd/mm/yyyy", as written on Vietnamese forms.
    pub fn format_vi(&self) -> String {
        format_vi(self.0)
    }
}

impl fmt::Display for DateOfBirth {
    /// ISO "yyyy-mm-dd", the same form as serialisation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn format_vi(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn is_leap_year(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2025, 9, 15);

    fn today() -> NaiveDate {
        ymd(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn sex_parse_accepts_vietnamese_and_english() {
        for input in ["Nam", "nam", "NAM", "male", "M", "m"] {
            assert_eq!(Sex::parse(input).unwrap(), Sex::Male, "{input}");
        }
        for input in ["Nữ", "nữ", "NỮ", "nu", "Nu\u{0303}", "female", "F"] {
            assert_eq!(Sex::parse(input).unwrap(), Sex::Female, "{input}");
        }
        assert_eq!(Sex::parse("khác").unwrap_err().code, "sex.unknown");
        assert_eq!(Sex::parse("").unwrap_err().code, "sex.unknown");
    }

    #[test]
    fn sex_codes_labels_and_serde() {
        assert_eq!(Sex::Male.code(), "male");
        assert_eq!(Sex::Female.label_vi(), "Nữ");
        assert_eq!(Sex::ALL, &[Sex::Male, Sex::Female]);
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"female\"");
        assert_eq!(serde_json::from_str::<Sex>("\"male\"").unwrap(), Sex::Male);
        assert!(serde_json::from_str::<Sex>("\"x\"").is_err());
    }

    #[test]
    fn dob_parse_accepts_vietnamese_and_iso_forms() {
        let expected = ymd(1998, 9, 5);
        for input in ["05/09/1998", "5/9/1998", "05-09-1998", "1998-09-05", " 5/09/1998 "] {
            assert_eq!(DateOfBirth::parse(input, today()).unwrap().date(), expected, "{input}");
        }
    }

    #[test]
    fn dob_parse_rejects_malformed_dates() {
        for input in [
            "",
            "1998",
            "05/09/98",
            "05.09.1998",
            "31/02/2000",
            "13/13/2000",
            "05/09-1998",
            "1998/09/05",
            "aa/bb/cccc",
            "05/09/1998/1",
            "005/09/1998",
        ] {
            assert_eq!(DateOfBirth::parse(input, today()).unwrap_err().code, "dob.format", "{input}");
        }
    }

    #[test]
    fn dob_rejects_future_and_implausible_ages() {
        assert_eq!(DateOfBirth::new(ymd(2025, 9, 16), today()).unwrap_err().code, "dob.future");
        assert_eq!(DateOfBirth::parse("16/09/2025", today()).unwrap_err().code, "dob.future");
        assert!(DateOfBirth::new(today(), today()).is_ok());
        // 120 is the limit: accepted up to the day before the 121st birthday.
        assert_eq!(DateOfBirth::new(ymd(1905, 9, 15), today()).unwrap().age_on(today()), 120);
        assert_eq!(DateOfBirth::new(ymd(1904, 9, 16), today()).unwrap().age_on(today()), 120);
        assert_eq!(DateOfBirth::new(ymd(1904, 9, 15), today()).unwrap_err().code, "dob.too_old");
        assert_eq!(DateOfBirth::parse("01/01/1825", today()).unwrap_err().code, "dob.too_old");
    }

    #[test]
    fn age_counts_full_years() {
        let dob = DateOfBirth::new(ymd(2000, 6, 10), today()).unwrap();
        assert_eq!(dob.age_on(ymd(2025, 6, 9)), 24);
        assert_eq!(dob.age_on(ymd(2025, 6, 10)), 25);
        assert_eq!(dob.age_on(ymd(2025, 12, 31)), 25);
        assert_eq!(dob.age_on(ymd(2000, 6, 10)), 0);
        assert_eq!(dob.age_on(ymd(1999, 1, 1)), 0);
    }

    #[test]
    fn leap_day_birthdays_count_on_first_of_march_in_common_years() {
        let dob = DateOfBirth::new(ymd(2004, 2, 29), today()).unwrap();
        assert_eq!(dob.age_on(ymd(2022, 2, 28)), 17);
        assert_eq!(dob.age_on(ymd(2022, 3, 1)), 18);
        assert_eq!(dob.age_on(ymd(2024, 2, 28)), 19);
        assert_eq!(dob.age_on(ymd(2024, 2, 29)), 20);
    }

    #[test]
    fn latest_birth_for_an_age_is_the_exact_boundary() {
        let mut on = ymd(2023, 1, 1);
        while on < ymd(2025, 1, 1) {
            for years in [0, 1, 18, 39, 40] {
                let latest = DateOfBirth::latest_for_age(years, on);
                assert!(DateOfBirth(latest).age_on(on) >= years || years == 0, "{on} {years}");
                let day_after = latest.succ_opt().unwrap();
                assert!(DateOfBirth(day_after).age_on(on) < years || years == 0, "{on} {years}: {latest}");
            }
            on = on.succ_opt().unwrap();
        }
        // Born 29 Feb 2008: 18 only from 1 March 2026.
        assert_eq!(DateOfBirth::latest_for_age(18, ymd(2026, 2, 28)), ymd(2008, 2, 28));
        assert!(DateOfBirth::latest_for_age(18, ymd(2026, 3, 1)) >= ymd(2008, 2, 29));
    }

    #[test]
    fn dob_formats_and_serde() {
        let dob = DateOfBirth::parse("5/9/1998", today()).unwrap();
        assert_eq!(dob.format_vi(), "05/09/1998");
        assert_eq!(dob.to_string(), "1998-09-05");
        let json = serde_json::to_string(&dob).unwrap();
        assert_eq!(json, "\"1998-09-05\"");
        assert_eq!(serde_json::from_str::<DateOfBirth>(&json).unwrap(), dob);
        assert!(serde_json::from_str::<DateOfBirth>("\"05/09/1998\"").is_err());
    }

    #[test]
    fn dob_errors_name_the_field() {
        let error = DateOfBirth::parse("31/02/2000", today()).unwrap_err();
        assert_eq!(error.field, "date_of_birth");
        assert!(error.message_vi.contains("31/02/2000"), "{}", error.message_vi);
    }
}
