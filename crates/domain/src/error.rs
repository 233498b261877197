//! The one error type of the domain: a value that was rejected, and why.

/// A rejected value: which field, a stable English code, and why in Vietnamese (and English).
///
/// `code` is part of the API contract (clients and tests match on it); the messages are for
/// people and may be reworded. The Vietnamese message is the one shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{field}: {message_vi}")]
pub struct ValidationError {
    /// The field that was rejected, e.g. `cccd` or, once re-targeted, `worker.cccd`.
    pub field: String,
    /// Stable `lower_snake` code with a dot, e.g. `cccd.length`, `tax_code.check_digit`.
    pub code: &'static str,
    /// Why, in Vietnamese (NFC, full diacritics).
    pub message_vi: String,
    /// Why, in English.
    pub message_en: String,
}

impl ValidationError {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self { field: field.into(), code, message_vi: message_vi.into(), message_en: message_en.into() }
    }

    /// The same error reported against another field, so a value type's error can name the
    /// record field it came from (`cccd` → `worker.cccd`).
    #[must_use]
    pub fn for_field(self, field: impl Into<String>) -> Self {
        Self { field: field.into(), ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_field_and_vietnamese_message() {
        let error = ValidationError::new(
            "cccd",
            "cccd.length",
            "Số CCCD phải gồm đúng 12 chữ số.",
            "A CCCD number has 12 digits.",
        );
        assert_eq!(error.to_string(), "cccd: Số CCCD phải gồm đúng 12 chữ số.");
    }

    #[test]
    fn for_field_replaces_only_the_field() {
        let error = ValidationError::new("cccd", "cccd.length", "vi", "en").for_field("worker.cccd");
        assert_eq!(error.field, "worker.cccd");
        assert_eq!(error.code, "cccd.length");
        assert_eq!(error.message_vi, "vi");
        assert_eq!(error.message_en, "en");
    }
}
