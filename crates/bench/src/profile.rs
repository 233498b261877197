//! Where the tantivy index's query time goes — a diagnostic beside the benchmark, not a second
//! search implementation. It opens the benchmark's index directory read-only and runs, for each
//! free-text query of the mix, one plain "every word, in any folded text field" query with
//! growing sets of collectors: top 10 only; + total count; + the five facet counts the results
//! page shows; + snippets of the 10 hits. The differences between the columns are the cost of
//! counting, facet collection and snippets on that many matches.

use std::path::Path;
use std::time::{Duration, Instant};

use caunoi_search::analysis;
use caunoi_search::vacancy_facets::FacetCounter;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, Term};

use crate::BenchError;
use crate::measure::Samples;

/// Folded text fields of the vacancy index (by their schema names).
const TEXT_FIELDS: &[&str] = &["title", "body", "employer", "place"];

#[derive(Debug, Clone)]
pub struct ProfileRow {
    pub text: String,
    /// Documents holding every word.
    pub matches: usize,
    pub top_only: Duration,
    pub with_count: Duration,
    pub with_facets: Duration,
    pub with_snippets: Duration,
}

fn field(index: &Index, name: &str) -> Result<tantivy::schema::Field, BenchError> {
    Ok(index.schema().get_field(name).map_err(caunoi_search::SearchError::from)?)
}

fn every_word(index: &Index, text: &str) -> Result<Option<Box<dyn Query>>, BenchError> {
    let words = analysis::folded_words(text);
    if words.is_empty() {
        return Ok(None);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in &words {
        let mut any_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for name in TEXT_FIELDS {
            let term = Term::from_field_text(field(index, name)?, word);
            any_field.push((Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_field))));
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// The facet counts the results page shows, as the index collects them.
fn facets() -> FacetCounter {
    FacetCounter
}

/// Medians over `rounds` runs (after one warm-up run) for each text.
pub fn profile(index_dir: &Path, texts: &[&str], rounds: usize) -> Result<Vec<ProfileRow>, BenchError> {
    let index = Index::open_in_dir(index_dir).map_err(caunoi_search::SearchError::from)?;
    analysis::register(index.tokenizers());
    let searcher = index.reader().map_err(caunoi_search::SearchError::from)?.searcher();
    let body = field(&index, "body")?;
    let search_err = |e: tantivy::TantivyError| BenchError::Search(e.into());
    let mut rows = Vec::new();
    for text in texts {
        let Some(query) = every_word(&index, text)? else { continue };
        let mut samples = [Samples::default(), Samples::default(), Samples::default(), Samples::default()];
        let mut matches = 0;
        for round in 0..=rounds {
            let mut timed = Vec::with_capacity(4);
            let started = Instant::now();
            searcher.search(&query, &TopDocs::with_limit(10).order_by_score()).map_err(search_err)?;
            timed.push(started.elapsed());
            let started = Instant::now();
            let (_, count) = searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count)).map_err(search_err)?;
            timed.push(started.elapsed());
            matches = count;
            let started = Instant::now();
            searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count, facets())).map_err(search_err)?;
            timed.push(started.elapsed());
            let started = Instant::now();
            let (top, _, _) = searcher.search(&query, &(TopDocs::with_limit(10).order_by_score(), Count, facets())).map_err(search_err)?;
            let mut generator = SnippetGenerator::create(&searcher, &*query, body).map_err(search_err)?;
            generator.set_max_num_chars(160);
            for (_, address) in top {
                let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
                std::hint::black_box(generator.snippet_from_doc(&doc).to_html());
            }
            timed.push(started.elapsed());
            if round > 0 {
                for (s, t) in samples.iter_mut().zip(timed) {
                    s.push(t);
                }
            }
        }
        let [a, b, c, d] = samples.map(|s| s.percentile(0.5));
        rows.push(ProfileRow { text: (*text).to_owned(), matches, top_only: a, with_count: b, with_facets: c, with_snippets: d });
    }
    Ok(rows)
}
