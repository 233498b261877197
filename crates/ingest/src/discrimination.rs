//! Discriminatory conditions in domestic postings (Labour Code 2019 Art. 8; Decree 125/2021):
//! a required sex, an age band or upper age limit, appearance, marital status, pregnancy.
//! They are flagged, not rejected (DOMAIN.md §3.7, R-JP-1). The phrases, their legal reference
//! and the date from which each applies are data (`data/discrimination-phrases.csv`); `{n}`
//! in a pattern stands for a number. Lawful conditions written without an upper bound ("Từ đủ
//! 18 tuổi") match no pattern. Overseas job orders are not scanned: their age bands are host
//! programme rules (Law 69/2020 Art. 44).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use caunoi_domain::text::fold;

const PHRASES_CSV: &str = include_str!("../data/discrimination-phrases.csv");

/// One flagged condition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiscriminationFlag {
    /// `sex`, `age`, `appearance`, `marital_status`, `pregnancy`.
    pub ground: String,
    /// The words that matched, as folded text ("chi tuyen nu", "18 35 tuoi").
    pub matched: String,
    pub legal_reference: String,
}

struct Rule {
    ground: String,
    pattern: Vec<String>,
    effective_from: NaiveDate,
    legal_reference: String,
}

pub struct DiscriminationScanner {
    /// Rules by their first pattern word (`{n}` for a number).
    by_first_word: HashMap<String, Vec<Rule>>,
}

static SCANNER: LazyLock<DiscriminationScanner> = LazyLock::new(|| DiscriminationScanner::from_csv(PHRASES_CSV));

const NUMBER: &str = "{n}";

fn tokens(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !(c.is_ascii_alphanumeric() || c == '{' || c == '}')).filter(|w| !w.is_empty()).collect()
}

impl DiscriminationScanner {
    pub fn embedded() -> &'static DiscriminationScanner {
        &SCANNER
    }

    /// Rules from CSV `ground,pattern,effective_from,legal_reference,note`; malformed rows are skipped.
    pub fn from_csv(csv_text: &str) -> Self {
        let mut by_first_word: HashMap<String, Vec<Rule>> = HashMap::new();
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        for row in reader.records().flatten() {
            let (Some(ground), Some(pattern), Some(from), Some(reference)) = (row.get(0), row.get(1), row.get(2), row.get(3)) else {
                continue;
            };
            let Ok(effective_from) = NaiveDate::parse_from_str(from, "%Y-%m-%d") else { continue };
            let pattern: Vec<String> = tokens(&fold(pattern)).into_iter().map(str::to_owned).collect();
            let Some(first) = pattern.first().cloned() else { continue };
            by_first_word.entry(first).or_default().push(Rule {
                ground: ground.to_owned(),
                pattern,
                effective_from,
                legal_reference: reference.to_owned(),
            });
        }
        Self { by_first_word }
    }

    /// Conditions in `text` that the rules in force on `on` flag, each ground once.
    pub fn scan(&self, text: &str, on: NaiveDate) -> Vec<DiscriminationFlag> {
        self.scan_folded(&fold(text), on)
    }

    /// [`Self::scan`] of text already passed through [`fold`].
    pub fn scan_folded(&self, folded: &str, on: NaiveDate) -> Vec<DiscriminationFlag> {
        let words = tokens(folded);
        let mut flags: Vec<DiscriminationFlag> = Vec::new();
        for start in 0..words.len() {
            let first_is_number = words[start].starts_with(|c: char| c.is_ascii_digit());
            let keys = [Some(words[start]), first_is_number.then_some(NUMBER)];
            for rules in keys.into_iter().flatten().filter_map(|k| self.by_first_word.get(k)) {
                for rule in rules {
                    if rule.effective_from > on || flags.iter().any(|f| f.ground == rule.ground) {
                        continue;
                    }
                    let Some(window) = words.get(start..start + rule.pattern.len()) else { continue };
                    let matches = rule.pattern.iter().zip(window).all(|(p, w)| {
                        if p == NUMBER { w.starts_with(|c: char| c.is_ascii_digit()) } else { p == w }
                    });
                    if matches {
                        flags.push(DiscriminationFlag {
                            ground: rule.ground.clone(),
                            matched: window.join(" "),
                            legal_reference: rule.legal_reference.clone(),
                        });
                    }
                }
            }
        }
        flags
    }
}
