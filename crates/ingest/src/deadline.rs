//! Dates as postings write them: "30/12/2026", "30-12-2026", "2026-12-30", "2026-12-30T17:00:00+07:00",
//! "ngày 30 tháng 12 năm 2026", "Hạn nộp: 30/12" (no year: the next such day on or after the
//! reference date), "30/12/26".

use chrono::{Datelike, NaiveDate};

use caunoi_domain::ValidationError;
use caunoi_domain::text::fold;

fn invalid(field: &str, input: &str) -> ValidationError {
    ValidationError::new(
        field,
        "date.invalid",
        format!("Không đọc được ngày \"{input}\"; hãy ghi theo dạng ngày/tháng/năm, ví dụ 30/12/2026."),
        format!("Cannot read the date \"{input}\"; write day/month/year, e.g. 30/12/2026."),
    )
}

/// Parses a calendar date; `reference` supplies the year when none is written.
pub fn parse_date(field: &str, input: &str, reference: NaiveDate) -> Result<NaiveDate, ValidationError> {
    let folded = fold(input);
    // An ISO timestamp: the date part is the calendar date as published.
    let date_part = folded.split(['t', ' ']).next().unwrap_or_default();
    if let Ok(date) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d") {
        return Ok(date);
    }
    let numbers: Vec<&str> = folded.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).take(4).collect();
    let value = |s: &str| s.parse::<u32>().ok();
    let date = match numbers.as_slice() {
        [year, month, day, ..] if year.len() == 4 => {
            NaiveDate::from_ymd_opt(year.parse().unwrap_or(0), value(month).unwrap_or(0), value(day).unwrap_or(0))
        }
        [day, month, year, ..] if year.len() == 4 || year.len() == 2 => {
            let year: i32 = year.parse().unwrap_or(0);
            let year = if year < 100 { 2000 + year } else { year };
            NaiveDate::from_ymd_opt(year, value(month).unwrap_or(0), value(day).unwrap_or(0))
        }
        [day, month] => {
            let (day, month) = (value(day).unwrap_or(0), value(month).unwrap_or(0));
            NaiveDate::from_ymd_opt(reference.year(), month, day)
                .map(|d| if d < reference { NaiveDate::from_ymd_opt(reference.year() + 1, month, day).unwrap_or(d) } else { d })
        }
        _ => None,
    };
    date.filter(|d| (1990..=2200).contains(&d.year())).ok_or_else(|| invalid(field, input))
}
