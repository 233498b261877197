//! Snapshot + changes JSON feeds, the JobTech JobStream / EURES shape (ANCHORS.md): a snapshot
//! lists every open posting; a changes call returns what changed since a cursor, withdrawn
//! postings as tombstones (`"removed": true`). A body is either an array of postings or an
//! object holding one (`items`, `ads`, `vacancies`, `changes`, `data`) plus an optional next
//! cursor (`next`, `cursor`, `next_since`).

use serde_json::Value;

use crate::error::IngestError;
use crate::sources::{Item, item_from_value, malformed};

/// The postings of one feed page and the cursor to ask for next, if the feed gave one.
pub fn page(body: &[u8]) -> Result<(Vec<Item>, Option<String>), IngestError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| IngestError::Feed(format!("not JSON: {e}")))?;
    let (list, cursor) = match value {
        Value::Array(list) => (list, None),
        Value::Object(mut map) => {
            let list = ["items", "ads", "vacancies", "changes", "data"]
                .iter()
                .find_map(|key| match map.remove(*key) {
                    Some(Value::Array(list)) => Some(list),
                    _ => None,
                })
                .ok_or_else(|| IngestError::Feed("no list of postings (items/ads/vacancies/changes/data)".to_owned()))?;
            let cursor = ["next", "cursor", "next_since"].iter().find_map(|key| match map.remove(*key) {
                Some(Value::String(s)) => Some(s),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            });
            (list, cursor)
        }
        _ => return Err(IngestError::Feed("the body is neither an array nor an object".to_owned())),
    };
    let items = list
        .into_iter()
        .map(|element| {
            let original = element.to_string();
            match element {
                object @ Value::Object(_) => item_from_value(object, original),
                _ => Item::Rejected(malformed(&original, "not an object")),
            }
        })
        .collect();
    Ok((items, cursor))
}
