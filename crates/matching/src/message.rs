//! Bilingual text: every explanation the engine gives is Vietnamese first, English beside it.

use caunoi_domain::training::SkillNeed;
use serde::Serialize;

/// A sentence in Vietnamese (shown to users) and English (for logs, partners, reviewers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub vi: String,
    pub en: String,
}

impl Message {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self { vi: vi.into(), en: en.into() }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.vi, self.en)
    }
}

/// Something a worker lacks for a vacancy, and the training or step that would close it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub missing: Message,
    pub training: Option<Message>,
    /// What a class would have to teach to close it, when a class can (see
    /// `caunoi_domain::training::suggest_classes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need: Option<SkillNeed>,
}

/// "dd/mm/yyyy", the Vietnamese date format (DOMAIN.md §10.4).
pub fn date_vi(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}
