//! Typeahead: suggestions as the user types, diacritics optional.
//!
//! Titles and employer names are indexed as whole terms `"<folded words>\u{1}<display>"`, once
//! from each of their first few word starts ("Thợ hàn điện" → "tho han dien…", "han dien…",
//! "dien…"). Completing a prefix is then a range scan of one term dictionary per segment, ranked
//! by how many vacancies carry the term — no posting list is read for the scan itself. Places
//! come from the reference catalogue (2025 units, and pre-2025 names pointing to them).

use std::collections::HashMap;
use std::sync::LazyLock;

use caunoi_domain::AdminCatalog;
use tantivy::Searcher;
use tantivy::schema::Field;

use crate::SearchError;
use crate::analysis;

/// Separates the folded key from the display text inside a suggestion term.
const SEPARATOR: char = '\u{1}';
/// Word starts per text that can begin a suggestion.
const MAX_WORD_STARTS: usize = 6;
/// Terms read per segment and field: bounds the work for a one-letter prefix.
const MAX_SCANNED_TERMS: usize = 4_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Title,
    Employer,
    Place,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// As written ("Thợ hàn điện", "Phường Ba Đình, Thành phố Hà Nội").
    pub text: String,
    /// Vacancies carrying it (titles, employers); 0 for places.
    pub count: u64,
    /// For places: the 2025 commune or province code the suggestion resolves to.
    pub code: Option<String>,
}

// Keys and prefixes are compared as folded words joined by single spaces.
use analysis::folded_words;

/// The suggestion terms of one text.
pub(crate) fn terms(display: &str) -> Vec<String> {
    let display = caunoi_domain::text::normalize(display);
    let words = folded_words(&display);
    (0..words.len().min(MAX_WORD_STARTS)).map(|start| format!("{}{SEPARATOR}{display}", words[start..].join(" "))).collect()
}

/// The key prefix to scan for what the user has typed so far: a trailing space means the last
/// word is complete.
fn key_prefix(typed: &str) -> Option<String> {
    let words = folded_words(typed);
    if words.is_empty() {
        return None;
    }
    let mut prefix = words.join(" ");
    if typed.ends_with(char::is_whitespace) {
        prefix.push(' ');
    }
    Some(prefix)
}

/// The most frequent indexed texts in `field` with a word start matching `typed`.
pub(crate) fn from_index(
    searcher: &Searcher,
    field: Field,
    typed: &str,
    kind: SuggestionKind,
    limit: usize,
) -> Result<Vec<Suggestion>, SearchError> {
    let Some(prefix) = key_prefix(typed) else { return Ok(Vec::new()) };
    let mut upper = prefix.clone();
    upper.push(char::MAX);
    let mut counts: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).lt(upper.as_bytes()).into_stream()?;
        let mut scanned = 0;
        while scanned < MAX_SCANNED_TERMS && stream.advance() {
            scanned += 1;
            let Ok(key) = std::str::from_utf8(stream.key()) else { continue };
            let Some((_, display)) = key.split_once(SEPARATOR) else { continue };
            // Deleted documents count until their segment is merged; alive documents are what
            // the search would return, so counts are per alive document when it matters.
            *counts.entry(display.to_owned()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Hide texts whose every vacancy has been deleted since the last merge.
    let mut out = Vec::with_capacity(limit);
    for (text, count) in ranked {
        if out.len() == limit {
            break;
        }
        let alive = terms(&text).first().map(|term| alive_docs(searcher, field, term)).transpose()?.unwrap_or(0);
        if alive > 0 {
            out.push(Suggestion { kind, text, count: alive.min(count), code: None });
        }
    }
    Ok(out)
}

fn alive_docs(searcher: &Searcher, field: Field, term: &str) -> Result<u64, SearchError> {
    let query = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(field, term),
        tantivy::schema::IndexRecordOption::Basic,
    );
    Ok(searcher.search(&query, &tantivy::collector::Count)? as u64)
}

struct PlaceEntry {
    key: String,
    display: String,
    code: String,
    /// 0 for provinces, 1 for communes, 2 for pre-2025 names: provinces first.
    rank: u8,
}

/// Every place name keyed by its folded word starts, sorted by key.
static PLACES: LazyLock<Vec<PlaceEntry>> = LazyLock::new(|| {
    let admin = AdminCatalog::embedded();
    let mut entries = Vec::new();
    let mut add = |name: &str, display: String, code: &str, rank: u8| {
        let words = folded_words(name);
        for start in 0..words.len().min(MAX_WORD_STARTS) {
            entries.push(PlaceEntry { key: words[start..].join(" "), display: display.clone(), code: code.to_owned(), rank });
        }
    };
    for province in admin.provinces() {
        add(&province.name_with_type, province.name_with_type.clone(), province.code.as_str(), 0);
    }
    for commune in admin.communes() {
        let province = admin.province(&commune.province_code).map(|p| p.name_with_type.as_str()).unwrap_or_default();
        add(&commune.name, format!("{}, {province}", commune.name), commune.code.as_str(), 1);
    }
    for old in admin.legacy_communes().iter().filter(|old| old.is_default_new || !old.split) {
        let (Some(old_name), Some(new)) = (old.old_name.as_deref(), admin.commune(&old.new_code)) else { continue };
        let display = format!("{old_name}, {} (cũ) → {}", old.old_district_name, new.name);
        add(&format!("{old_name} {}", old.old_district_name), display, new.code.as_str(), 2);
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key).then(a.rank.cmp(&b.rank)).then_with(|| a.display.cmp(&b.display)));
    entries
});

/// Places whose name has a word start matching `typed`: provinces, then communes, then old names.
pub(crate) fn places(typed: &str, limit: usize) -> Vec<Suggestion> {
    let Some(prefix) = key_prefix(typed) else { return Vec::new() };
    let places = &*PLACES;
    let start = places.partition_point(|p| p.key.as_str() < prefix.as_str());
    let mut matches: Vec<&PlaceEntry> =
        places[start..].iter().take_while(|p| p.key.starts_with(&prefix)).take(MAX_SCANNED_TERMS).collect();
    // Provinces before communes before old names; shorter (more specific) names first.
    matches.sort_by(|a, b| (a.rank, a.display.len(), &a.display).cmp(&(b.rank, b.display.len(), &b.display)));
    let mut seen = std::collections::HashSet::new();
    matches
        .into_iter()
        .filter(|p| seen.insert(p.display.as_str()))
        .take(limit)
        .map(|p| Suggestion { kind: SuggestionKind::Place, text: p.display.clone(), count: 0, code: Some(p.code.clone()) })
        .collect()
}

/// Interleaves the kinds (one title, one employer, one place, …) so every kind shows.
pub(crate) fn interleave(groups: Vec<Vec<Suggestion>>, limit: usize) -> Vec<Suggestion> {
    let mut iters: Vec<_> = groups.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::with_capacity(limit);
    while out.len() < limit {
        let before = out.len();
        for iter in &mut iters {
            if out.len() < limit
                && let Some(s) = iter.next()
            {
                out.push(s);
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}
