//! Job title → ISCO-08 unit group with a confidence in [0, 1].
//!
//! First the synonym table shipped as data (`data/title-synonyms.csv`: the way Vietnamese ads
//! name jobs — "thợ hàn", "tài xế", "phụ hồ", "telesales" — and full ad titles), matched on
//! folded word sequences, longest phrase first; then the Vietnamese labels of the ISCO-08 unit
//! groups (`OccupationCatalog`) by word overlap, with a lower confidence.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use caunoi_domain::text::fold;
use caunoi_domain::{IscoCode, OccupationCatalog};

const SYNONYMS_CSV: &str = include_str!("../data/title-synonyms.csv");

/// Below this, a guess is not a classification.
pub const MIN_CONFIDENCE: f32 = 0.3;
/// Longest synonym, in words (longer phrases are full titles matched whole).
const MAX_PHRASE_WORDS: usize = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct OccupationMatch {
    pub code: IscoCode,
    pub confidence: f32,
    /// The synonym or label that matched (folded).
    pub matched: String,
}

/// Words that say nothing about the occupation.
const STOP_WORDS: &[&str] = &[
    "va", "cac", "khac", "cua", "cho", "tai", "viec", "lam", "nhan", "vien", "tuyen", "gap", "can", "nguoi", "trong", "nghe", "loai",
    "chua", "duoc", "phan", "nhom", "the", "voi", "ve", "di", "nhat", "ban", "han", "quoc", "dai", "loan",
];

pub struct OccupationClassifier {
    /// Folded title or phrase → code.
    exact: HashMap<String, IscoCode>,
    /// Unit groups (level 4) and their content words.
    labels: Vec<(IscoCode, String, HashSet<String>)>,
}

static CLASSIFIER: LazyLock<OccupationClassifier> = LazyLock::new(OccupationClassifier::build);

fn words(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

impl OccupationClassifier {
    pub fn embedded() -> &'static OccupationClassifier {
        &CLASSIFIER
    }

    fn build() -> Self {
        let catalog = OccupationCatalog::embedded();
        let mut exact = HashMap::new();
        let mut reader = csv::Reader::from_reader(SYNONYMS_CSV.as_bytes());
        for row in reader.records().flatten() {
            let (Some(phrase), Some(code)) = (row.get(0), row.get(1)) else { continue };
            // A synonym pointing at a code the catalog lacks would be a data error: skip it.
            let Ok(code) = IscoCode::parse(code) else { continue };
            if catalog.get(&code).is_some() {
                exact.insert(words(&fold(phrase)).join(" "), code);
            }
        }
        let labels = catalog
            .all()
            .iter()
            .filter(|o| o.code.as_str().len() == 4)
            .map(|o| {
                let folded = fold(&o.label_vi);
                let content: HashSet<String> =
                    words(&folded).into_iter().filter(|w| !STOP_WORDS.contains(w)).map(str::to_owned).collect();
                (o.code.clone(), folded, content)
            })
            .collect();
        Self { exact, labels }
    }

    /// The best ISCO-08 unit group for a title, if any reaches [`MIN_CONFIDENCE`].
    pub fn classify(&self, title: &str) -> Option<OccupationMatch> {
        let folded = fold(title);
        let all_words = words(&folded);
        if all_words.is_empty() || all_words.len() > 60 {
            return None;
        }
        let joined = all_words.join(" ");
        if let Some(code) = self.exact.get(&joined) {
            return Some(OccupationMatch { code: code.clone(), confidence: 0.97, matched: joined });
        }
        // Longest synonym phrase inside the title.
        for length in (1..=MAX_PHRASE_WORDS.min(all_words.len())).rev() {
            for window in all_words.windows(length) {
                let phrase = window.join(" ");
                if let Some(code) = self.exact.get(&phrase) {
                    let coverage = length as f32 / all_words.len() as f32;
                    return Some(OccupationMatch { code: code.clone(), confidence: 0.6 + 0.35 * coverage, matched: phrase });
                }
            }
        }
        // Word overlap with the catalog's labels.
        let content: HashSet<&str> = all_words.iter().copied().filter(|w| !STOP_WORDS.contains(w)).collect();
        if content.is_empty() {
            return None;
        }
        let mut best: Option<(f32, &IscoCode, &String)> = None;
        for (code, label, label_words) in &self.labels {
            if label_words.is_empty() {
                continue;
            }
            let common = label_words.iter().filter(|w| content.contains(w.as_str())).count();
            if common == 0 {
                continue;
            }
            let union = label_words.len() + content.len() - common;
            let score = common as f32 / union as f32;
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, code, label));
            }
        }
        let (score, code, label) = best?;
        let confidence = 0.7 * score;
        (confidence >= MIN_CONFIDENCE).then(|| OccupationMatch { code: code.clone(), confidence, matched: label.clone() })
    }
}
