//! Domain model of Cầu Nối: validated value types, the records the platform keeps, and the
//! reference data (administrative units, occupations, countries) shipped with it.
//!
//! Architecture invariant: this crate does no I/O — no database, no HTTP, no files at run time
//! (reference data is compiled in with `include_str!`). Every value type validates on
//! construction, so a value that exists is valid; errors are [`ValidationError`]s that name the
//! field, carry a stable English code and say why in Vietnamese.

pub mod access;
pub mod codes;
pub mod country;
pub mod error;
pub mod identity;
pub mod money;
#[cfg(feature = "openapi")]
mod openapi;
pub mod person;
pub mod qualifications;
#[macro_use]
pub mod records;
pub mod fairs;
pub mod overseas;
pub mod plans;
pub mod reference;
pub mod rule_table;
pub mod training;
pub mod text;

pub use codes::{CommuneCode, IscoCode, ProvinceCode};
pub use country::CountryCode;
pub use error::ValidationError;
pub use identity::{Cccd, PhoneNumber, TaxCode};
pub use money::{Currency, Money, PayPeriod, SalaryRange};
pub use person::{DateOfBirth, Sex};
pub use qualifications::{GeneralEducation, JlptLevel, LanguageCertificate, Qualification};
pub use records::*;
pub use reference::{AdminCatalog, OccupationCatalog};

/// The calendar date in Vietnam at an instant: Vietnam keeps UTC+7 all year, and deadlines, a
/// fair's day, ages and due dates are reckoned there.
pub fn vietnam_date(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    (at + chrono::Duration::hours(7)).date_naive()
}
