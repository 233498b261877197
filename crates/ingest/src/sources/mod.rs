//! Readers that turn a source's bytes into raw records: JSON arrays and NDJSON (partner pushes,
//! files), CSV and XLSX sheets with Vietnamese headers, schema.org `JobPosting` JSON-LD in HTML
//! pages, and snapshot + changes JSON feeds. Readers stream where the format allows (NDJSON,
//! JSON arrays, CSV); a record that cannot be read is an [`Item::Rejected`], the rest go on.

pub mod feed;
pub mod json;
pub mod jsonld;
pub mod table;

use caunoi_domain::ValidationError;
use caunoi_store::ingest::Quarantined;

use crate::raw::{RawVacancy, SourceRecord, bounded};

/// One record read from a source.
#[derive(Debug, Clone)]
pub enum Item {
    Record(Box<SourceRecord>),
    Rejected(Quarantined),
}

impl Item {
    /// The item, placed at `position` in what was sent (a sheet row, an NDJSON line).
    pub(crate) fn at(mut self, position: u64) -> Self {
        match &mut self {
            Self::Record(record) => record.position = Some(position),
            Self::Rejected(rejected) => rejected.position = Some(position),
        }
        self
    }
}

/// A JSON value → a record, or the record quarantined as malformed.
pub(crate) fn item_from_value(value: serde_json::Value, original: String) -> Item {
    match serde_json::from_value::<RawVacancy>(value) {
        Ok(raw) => Item::Record(Box::new(SourceRecord { raw, original, position: None })),
        Err(error) => Item::Rejected(malformed(&original, &error.to_string())),
    }
}

/// A record that is not valid JSON or not a vacancy object.
pub(crate) fn malformed(original: &str, detail: &str) -> Quarantined {
    Quarantined {
        external_id: None,
        position: None,
        raw: bounded(original),
        error: ValidationError::new(
            "record",
            "record.malformed",
            format!("Bản ghi không đúng định dạng JSON của tin tuyển dụng ({detail})."),
            format!("The record is not a well-formed vacancy JSON object ({detail})."),
        ),
    }
}
