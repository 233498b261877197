//! Rule tables: the CSVs in `data/` that hold what law or practice sets (fee ceilings, day
//! counts, support amounts…), each row with its dates in force, legal reference and whether it
//! was verified (DOMAIN.md §10.1). One reader for all of them: comments, row numbers, the
//! provenance columns and errors that name the file and row.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::error::ValidationError;


/// When a row of a rule table is in force: both ends inclusive, open when empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effective {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Effective {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }

    pub(crate) fn overlaps(&self, other: &Effective) -> bool {
        let ends_before = |a: &Effective, b: &Effective| matches!((a.to, b.from), (Some(to), Some(from)) if to < from);
        !ends_before(self, other) && !ends_before(other, self)
    }
}

/// A row of a rule table that cannot be used: the field names the file and row.
pub(crate) fn table_error(
    file: &str,
    row: usize,
    code: &'static str,
    vi: impl AsRef<str>,
    en: impl AsRef<str>,
) -> ValidationError {
    ValidationError::new(
        format!("{file}:{row}"),
        code,
        format!("Dòng {row} của {file}: {}", vi.as_ref()),
        format!("Row {row} of {file}: {}", en.as_ref()),
    )
}

/// A value's own error re-told as a row's: `.map_err(because(FILE, row, "rule_table.country"))`.
pub(crate) fn because(file: &'static str, row: usize, code: &'static str) -> impl Fn(ValidationError) -> ValidationError {
    move |e| table_error(file, row, code, e.message_vi, e.message_en)
}

/// The data rows of a rule CSV (lines starting with `#` are comments), numbered from 1.
pub(crate) fn read_rows<T: serde::de::DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<Vec<(usize, T)>, ValidationError> {
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
    reader
        .deserialize::<T>()
        .enumerate()
        .map(|(index, row)| {
            let number = index + 1;
            row.map(|row| (number, row)).map_err(|e| {
                table_error(
                    file,
                    number,
                    "rule_table.unreadable",
                    format!("không đọc được dòng ({e})."),
                    format!("unreadable row ({e})."),
                )
            })
        })
        .collect()
}

/// The columns every rule table has: dates in force, verification, legal reference.
pub(crate) struct Provenance {
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
}

pub(crate) fn provenance(
    file: &'static str,
    row: usize,
    from: &str,
    to: &str,
    verified: &str,
    legal_ref: &str,
) -> Result<Provenance, ValidationError> {
    let date = |name: &str, text: &str| -> Result<Option<NaiveDate>, ValidationError> {
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
            table_error(
                file,
                row,
                "rule_table.date",
                format!("ngày {name} \"{text}\" phải có dạng YYYY-MM-DD."),
                format!("{name} \"{text}\" must be YYYY-MM-DD."),
            )
        })
    };
    let effective = Effective { from: date("effective_from", from)?, to: date("effective_to", to)? };
    if let (Some(from), Some(to)) = (effective.from, effective.to)
        && to < from
    {
        return Err(table_error(
            file,
            row,
            "rule_table.dates",
            "ngày hết hiệu lực trước ngày có hiệu lực.",
            "effective_to is before effective_from.",
        ));
    }
    let verified = match verified {
        "true" => true,
        "false" => false,
        other => {
            return Err(table_error(
                file,
                row,
                "rule_table.verified",
                format!("cột verified phải là true hoặc false (nhận được \"{other}\")."),
                format!("verified must be true or false (got \"{other}\")."),
            ));
        }
    };
    if legal_ref.is_empty() {
        return Err(table_error(
            file,
            row,
            "rule_table.legal_ref",
            "thiếu căn cứ pháp lý.",
            "the legal reference is missing.",
        ));
    }
    Ok(Provenance { effective, verified, legal_ref: legal_ref.to_owned() })
}

/// A non-negative decimal with at most three decimals, in thousandths: "1.5" → 1500.
pub(crate) fn thousandths(file: &'static str, row: usize, text: &str) -> Result<i64, ValidationError> {
    let bad = || {
        table_error(
            file,
            row,
            "rule_table.value",
            format!("giá trị \"{text}\" phải là số không âm, tối đa 3 chữ số thập phân."),
            format!("value \"{text}\" must be a non-negative number with at most 3 decimals."),
        )
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 3 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let fraction: i64 = format!("{fraction:0<3}").parse().map_err(|_| bad())?;
    whole.checked_mul(1000).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)
}

/// An optional whole amount in đồng ("4000000"); empty is `None`.
pub(crate) fn vnd_amount(file: &'static str, row: usize, text: &str) -> Result<Option<crate::money::Money>, ValidationError> {
    use crate::money::{Currency, Money};
    optional_text(text)
        .map(|text| {
            text.parse::<i64>().ok().and_then(|v| Money::from_major(v, Currency::Vnd).ok()).ok_or_else(|| {
                table_error(file, row, "rule_table.amount", format!("số tiền \"{text}\" không hợp lệ."), format!("invalid amount \"{text}\"."))
            })
        })
        .transpose()
}

pub(crate) fn optional_text(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// `lower_snake` identifiers for schemes and support items ("im_japan", "eps_deposit").
pub(crate) fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 50
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) fn unique_ids<'a>(file: &'static str, ids: impl Iterator<Item = (usize, &'a str)>) -> Result<(), ValidationError> {
    let mut seen = BTreeSet::new();
    for (row, id) in ids {
        if id.is_empty() || !seen.insert(id) {
            return Err(table_error(
                file,
                row,
                "rule_table.id",
                format!("mã dòng \"{id}\" bị trống hoặc trùng."),
                format!("row id \"{id}\" is empty or repeated."),
            ));
        }
    }
    Ok(())
}

