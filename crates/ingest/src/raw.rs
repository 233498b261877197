//! A vacancy as a source sends it, before normalisation: every field optional text, read
//! leniently (numbers and booleans become text; `{"text": …}` / `{"name": …}` objects, as
//! JobStream-style feeds nest them, become their text). One shape for partner pushes, feeds,
//! file rows and JSON-LD pages.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn text_of(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.into_iter().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        Value::Object(mut map) => ["text", "name", "value", "label"]
            .iter()
            .find_map(|key| map.remove(*key).and_then(text_of))
            .or_else(|| Some(Value::Object(map).to_string())),
    }
}

fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?.and_then(text_of).filter(|s| !s.trim().is_empty()))
}

fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Bool(b)) => b,
        Some(Value::String(s)) => matches!(s.trim().to_lowercase().as_str(), "true" | "1" | "yes" | "co" | "có"),
        Some(Value::Number(n)) => n.as_i64().is_some_and(|v| v != 0),
        _ => false,
    })
}

macro_rules! raw_vacancy {
    ($($(#[doc = $doc:literal])* $field:ident $(: $($alias:literal),+)?;)+) => {
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct RawVacancy {
            $(
                $(#[doc = $doc])*
                #[serde(deserialize_with = "lenient", skip_serializing_if = "Option::is_none" $($(, alias = $alias)+)?)]
                pub $field: Option<String>,
            )+
            /// A tombstone: the source withdrew this posting.
            #[serde(deserialize_with = "lenient_bool", skip_serializing_if = "std::ops::Not::not", alias = "deleted")]
            pub removed: bool,
        }
    };
}

raw_vacancy! {
    /// The source's own id of the posting; with the source name it is the identity.
    external_id: "id", "identifier", "ma_tin";
    title: "headline", "job_title";
    description: "mo_ta";
    requirements: "yeu_cau";
    benefits: "quyen_loi", "phuc_loi";
    employer_name: "employer", "company", "hiring_organization";
    employer_tax_code: "tax_code", "mst";
    /// ISCO-08 code, when the source classifies its postings.
    occupation_code: "isco", "isco_code", "occupation";
    /// The wage as written: "8 - 12 triệu", "Thỏa thuận".
    salary: "salary_text", "wage";
    /// Workplace as written: "Xã Tân Lập, huyện Đan Phượng, Hà Nội".
    location: "workplace", "address", "workplace_address";
    commune_code;
    province;
    /// Destination country of an overseas job order (ISO code or Vietnamese name).
    country;
    programme;
    contract_months;
    employment_type;
    quantity: "vacancies", "so_luong";
    deadline: "application_deadline", "valid_through", "last_application_date";
    posted_at: "date_posted", "publication_date", "published";
    status;
}

impl RawVacancy {
    /// A hash of the record's content (field order fixed by this struct, so key order and
    /// whitespace in the source do not matter): equal hash ⇒ unchanged.
    pub fn content_hash(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&canonical);
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// A record read from a source: the parsed fields and the text as received (kept verbatim
/// for the quarantine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    pub raw: RawVacancy,
    pub original: String,
    /// Where it was in what was sent (`caunoi_store::ingest::IncomingVacancy::position`).
    pub position: Option<u64>,
}

/// Cuts stored raw text to a bound (a quarantined 10 MB line must not bloat the table).
pub fn bounded(text: &str) -> String {
    const MAX_RAW_BYTES: usize = 64 * 1024;
    if text.len() <= MAX_RAW_BYTES {
        return text.to_owned();
    }
    let mut end = MAX_RAW_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
