//! Turning what a user typed into a tantivy query, the same way for every index: folded terms
//! for recall, the exact spelling for ranking, syllable bigrams for multi-syllable words, and a
//! cautious typo budget.

use tantivy::Searcher;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis;
use crate::seeking_union::SeekingUnion;

/// The fields of one index that free text is searched in, with their boosts.
pub(crate) struct TextFields {
    /// Folded fields (`vi_fold`).
    pub folded: Vec<(Field, f32)>,
    /// Folded fields that also get typo-tolerant variants.
    pub fuzzy: Vec<(Field, f32)>,
    /// The field indexed with diacritics kept (`vi_exact`), aligned token for token with the
    /// first folded field.
    pub exact: Option<Field>,
    /// Bigram fields (`vi_bigram`).
    pub bigrams: Vec<(Field, f32)>,
    /// Fields whose vocabulary tells whether a short token is a real word here.
    pub vocabulary: Vec<Field>,
}

/// Folded word pairs that only say "job" or "hiring".
const GENERIC_PHRASES: &[(&str, &str)] =
    &[("viec", "lam"), ("lam", "viec"), ("tuyen", "dung"), ("can", "tuyen"), ("tim", "viec"), ("tuyen", "gap")];

pub(crate) type Clause = (Occur, Box<dyn Query>);

fn boosted(query: Box<dyn Query>, boost: f32) -> Clause {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// How many of the query's distinctive words a document must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Words {
    Every,
    /// One of three or more may be missing.
    AllButOne,
}

/// How the alternatives of one word (fields, spellings, typo variants) and the optional
/// clauses are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alternatives {
    /// tantivy's buffered union: the fastest when the text itself drives the search.
    Buffered,
    /// [`SeekingUnion`]: when a filter drives and the text is only checked where it matches.
    Seeking,
}

impl Alternatives {
    /// Seeking when the filters keep clearly fewer documents than the text matches: then most
    /// of the text's postings lie between the filter's documents and are skipped. When both
    /// sizes are close (a trade filter beside that trade's words: "lái xe" among drivers),
    /// nearly every candidate is a hit and the buffered union scores them faster.
    ///
    /// Sizes are estimated from document frequencies, without running anything: a filter by
    /// the sum over its terms (the smallest such filter; range filters, which name no terms,
    /// keep most documents and are left out), the text by its rarest word in the field where
    /// that word is most frequent.
    pub(crate) fn choose(searcher: &Searcher, text: &str, fields: &TextFields, filters: &[Clause]) -> Self {
        let doc_freq = |term: &Term| searcher.doc_freq(term).unwrap_or(0);
        let filter_matches = filters
            .iter()
            .filter(|(occur, _)| *occur == Occur::Must)
            .filter_map(|(_, filter)| {
                let mut terms = Vec::new();
                filter.query_terms(&mut |term, _| terms.push(term.clone()));
                (!terms.is_empty()).then(|| terms.iter().map(doc_freq).sum::<u64>())
            })
            .min();
        let Some(filter_matches) = filter_matches else { return Self::Buffered };
        let text_matches = analysis::folded_words(text)
            .iter()
            .map(|word| fields.folded.iter().map(|&(field, _)| doc_freq(&Term::from_field_text(field, word))).max().unwrap_or(0))
            .min()
            .unwrap_or(0);
        if filter_matches.saturating_mul(2) < text_matches { Self::Seeking } else { Self::Buffered }
    }

    fn any_of(self, clauses: Vec<Clause>) -> Box<dyn Query> {
        match self {
            Self::Buffered => Box::new(BooleanQuery::new(clauses)),
            Self::Seeking => Box::new(SeekingUnion::new(clauses.into_iter().map(|(_, query)| query).collect())),
        }
    }
}

/// The filters as the first clauses of a search (each run of [`search_with_fallback`] needs its own).
pub(crate) fn clauses_of(filters: &[Clause]) -> Vec<Clause> {
    filters.iter().map(|(occur, filter)| (*occur, filter.box_clone())).collect()
}

/// Documents a token must occur in to be taken as a word of the index (not a typo): one in
/// 100,000, at least one. A misspelling left in a few descriptions of a large index is still
/// treated as a typo of the word it misspells.
fn known_word_floor(num_docs: u64) -> u64 {
    (num_docs / 100_000).max(1)
}

/// Below this many hits with every word required, a search is run again with one word allowed
/// to be missing: a stray word should not empty the page.
pub(crate) const RELAX_BELOW: usize = 10;

/// Runs `run` with the text query requiring every word, and again allowing one missing word
/// when that found fewer than [`RELAX_BELOW`] hits (and the text has three distinctive words or
/// more). Requiring every word first keeps the common case cheap: at 1M vacancies "công nhân
/// may" matches 520k documents with every word, 881k with one missing. `run` gets `None` when
/// the text holds no searchable word.
pub(crate) fn search_with_fallback<T>(
    searcher: &Searcher,
    text: &str,
    fields: &TextFields,
    filters: &[Clause],
    mut run: impl FnMut(Option<Box<dyn Query>>) -> Result<T, crate::SearchError>,
    total: impl Fn(&T) -> usize,
) -> Result<T, crate::SearchError> {
    let alternatives = Alternatives::choose(searcher, text, fields, filters);
    let Some((strict, relaxable)) = build(searcher, text, fields, Words::Every, alternatives) else { return run(None) };
    let results = run(Some(strict))?;
    if !relaxable || total(&results) >= RELAX_BELOW {
        return Ok(results);
    }
    run(build(searcher, text, fields, Words::AllButOne, alternatives).map(|(query, _)| query))
}

/// The query for `text` and whether [`Words::AllButOne`] would differ from [`Words::Every`],
/// or `None` when the text holds no searchable word (empty, punctuation, emoji).
pub(crate) fn build(
    searcher: &Searcher,
    text: &str,
    fields: &TextFields,
    words: Words,
    alternatives: Alternatives,
) -> Option<(Box<dyn Query>, bool)> {
    let text = caunoi_domain::text::normalize(text);
    let folded = analysis::folded_words(&text);
    if folded.is_empty() {
        return None;
    }
    let exact = analysis::tokens(&mut analysis::exact_analyzer(), &text);
    // "việc làm", "tuyển dụng"… say "a job" and nothing about which: they may score, but a
    // document need not contain them ("việc làm Dĩ An" is about Dĩ An).
    let mut generic = vec![false; folded.len()];
    for (i, pair) in folded.windows(2).enumerate() {
        if GENERIC_PHRASES.contains(&(pair[0].as_str(), pair[1].as_str())) {
            generic[i] = true;
            generic[i + 1] = true;
        }
    }
    if generic.iter().all(|g| *g) {
        generic.fill(false);
    }
    let mut per_token: Vec<Clause> = Vec::new();
    let mut optional: Vec<Clause> = Vec::new();
    let known_word_floor = known_word_floor(searcher.num_docs());
    for (i, token) in folded.iter().enumerate() {
        let mut variants: Vec<Clause> =
            fields.folded.iter().map(|&(field, boost)| boosted(term_query(Term::from_field_text(field, token)), boost)).collect();
        // The exact spelling ranks above look-alikes: "máy" above "may" when the user typed the
        // accent, and plain "may" (sew) above "máy" when they did not.
        if let (Some(field), Some(spelled)) = (fields.exact, exact.get(i)) {
            let boost = if spelled == token { 1.5 } else { 3.0 };
            variants.push(boosted(term_query(Term::from_field_text(field, spelled)), boost));
        }
        // Meilisearch's budget (one typo from 5 letters, two from 9), given only to words the
        // index does not know. Folded syllables are short and one edit apart from each other:
        // "duong" is one from "luong" (lương, in nearly every description), "trinh" from "tinh"
        // (tỉnh). A word the index already holds (see [`known_word_floor`]) was typed on purpose,
        // and variants of it only add false matches ("điều lương" for "điều dưỡng") and work. Short unknown
        // tokens get one typo too: "hna" occurs nowhere, so it is a typo ("tho hna").
        let known = fields
            .vocabulary
            .iter()
            .any(|&field| searcher.doc_freq(&Term::from_field_text(field, token)).unwrap_or(0) >= known_word_floor);
        let typos = match token.chars().count() {
            _ if known => 0,
            0..=2 => 0,
            3..=8 => 1,
            _ => 2,
        };
        if typos > 0 {
            for &(field, boost) in &fields.fuzzy {
                variants.push(boosted(Box::new(FuzzyTermQuery::new(Term::from_field_text(field, token), typos, true)), boost));
            }
        }
        let token_query = alternatives.any_of(variants);
        if generic[i] { optional.push((Occur::Should, token_query)) } else { per_token.push((Occur::Should, token_query)) }
    }
    // Every word must match somewhere, or all but one of three or more.
    let relaxable = per_token.len() >= 3;
    let required = if relaxable && words == Words::AllButOne { per_token.len() - 1 } else { per_token.len() };
    let words = BooleanQuery::with_minimum_required_clauses(per_token, required);
    for pair in folded.windows(2) {
        let bigram = format!("{}_{}", pair[0], pair[1]);
        for &(field, boost) in &fields.bigrams {
            optional.push(boosted(term_query(Term::from_field_text(field, &bigram)), boost));
        }
    }
    let mut clauses: Vec<Clause> = vec![(Occur::Must, Box::new(words))];
    match alternatives {
        Alternatives::Buffered => clauses.extend(optional),
        Alternatives::Seeking if !optional.is_empty() => clauses.push((Occur::Should, alternatives.any_of(optional))),
        Alternatives::Seeking => {}
    }
    Some((Box::new(BooleanQuery::new(clauses)), relaxable))
}
