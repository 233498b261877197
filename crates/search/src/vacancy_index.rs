//! The vacancy index: full text over title, description, requirements, employer and place
//! names; filters and facet counts on place, occupation, market, type; sort by relevance,
//! newest or salary; highlighted snippets.
//!
//! The change-log sequence applied last is stored as the payload of each tantivy commit, so an
//! index that is killed mid-way reopens at its last commit and knows where to resume.

use std::path::Path;
use std::sync::Mutex;

use caunoi_domain::IscoCode;
use chrono::NaiveDate;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term};
use uuid::Uuid;

use crate::analysis::{self, BIGRAM, EXACT, FOLD};
use crate::document::VacancyDocument;
use crate::SearchError;

/// Writer memory: enough for large segments on a 2-core machine (STACK.md §2.4).
const WRITER_BYTES: usize = 128 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    title_exact: Field,
    title_bigram: Field,
    body: Field,
    body_bigram: Field,
    employer: Field,
    place: Field,
    place_bigram: Field,
    facets: Field,
    province: Field,
    commune: Field,
    country: Field,
    programme: Field,
    employment_type: Field,
    fair: Field,
    open: Field,
    deadline_day: Field,
    posted_at: Field,
    salary_min: Field,
    salary_max: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored { options.set_stored() } else { options }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(FOLD, true)),
        title_exact: b.add_text_field("title_exact", text(EXACT, false)),
        title_bigram: b.add_text_field("title_bigram", text(BIGRAM, false)),
        body: b.add_text_field("body", text(FOLD, true)),
        body_bigram: b.add_text_field("body_bigram", text(BIGRAM, false)),
        employer: b.add_text_field("employer", text(FOLD, true)),
        place: b.add_text_field("place", text(FOLD, true)),
        place_bigram: b.add_text_field("place_bigram", text(BIGRAM, false)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        province: b.add_text_field("province", STRING | STORED),
        commune: b.add_text_field("commune", STRING | STORED),
        country: b.add_text_field("country", STRING | STORED),
        programme: b.add_text_field("programme", STRING),
        employment_type: b.add_text_field("employment_type", STRING),
        fair: b.add_text_field("fair", STRING),
        open: b.add_u64_field("open", INDEXED | FAST),
        deadline_day: b.add_i64_field("deadline_day", INDEXED | FAST),
        posted_at: b.add_i64_field("posted_at", FAST | STORED),
        salary_min: b.add_u64_field("salary_min", INDEXED | FAST),
        salary_max: b.add_u64_field("salary_max", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// Days since 1970-01-01 (deadlines compare as whole Vietnamese calendar days).
fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The ISCO facet path of a code: 7212 → /isco/7/72/721/7212.
fn isco_facet(code: &IscoCode) -> Facet {
    let parts: Vec<String> = std::iter::once("isco".to_owned()).chain(code.ancestors().iter().map(|c| c.as_str().to_owned())).collect();
    Facet::from_path(parts)
}

/// Folded word pairs that only say "job" or "hiring".
const GENERIC_PHRASES: &[(&str, &str)] =
    &[("viec", "lam"), ("lam", "viec"), ("tuyen", "dung"), ("can", "tuyen"), ("tim", "viec"), ("tuyen", "gap")];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Relevance,
    Newest,
    SalaryHighest,
}

/// A search over vacancies. Text may be anything a user types; filters are exact codes.
#[derive(Debug, Clone, Default)]
pub struct VacancyQuery {
    pub text: String,
    pub province: Option<String>,
    pub commune: Option<String>,
    /// ISCO code at any level: "7" (crafts), "72", "721", "7212".
    pub isco: Option<IscoCode>,
    pub overseas: Option<bool>,
    pub country: Option<String>,
    pub programme: Option<String>,
    pub employment_type: Option<String>,
    pub fair: Option<Uuid>,
    /// Only vacancies that are open and whose deadline is not before this day.
    pub open_on: Option<NaiveDate>,
    /// Only vacancies that pay at least this much (VND, upper bound of the posted range).
    pub min_salary_vnd: Option<u64>,
    pub sort: SortBy,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VacancyHit {
    pub id: Uuid,
    pub score: f32,
    pub title: String,
    /// Description excerpt with matched words in `<b>…</b>` (HTML-escaped otherwise).
    pub snippet: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VacancyResults {
    pub total: usize,
    pub hits: Vec<VacancyHit>,
    /// Counts per province code, per ISCO major group, per market ("VN", "JP", …), per type.
    pub provinces: Vec<(String, u64)>,
    pub occupations: Vec<(String, u64)>,
    pub markets: Vec<(String, u64)>,
    pub employment_types: Vec<(String, u64)>,
}

pub struct VacancyIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl VacancyIndex {
    /// Opens the index in `dir`, creating it when empty.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        let index = Index::open_or_create(directory, schema)?;
        Self::with_index(index)
    }

    /// An index in memory (tests).
    pub fn in_memory() -> Result<Self, SearchError> {
        Self::with_index(Index::create_in_ram(schema().0))
    }

    fn with_index(index: Index) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        let (_, fields) = schema();
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, writer: Mutex::new(writer), fields })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-applied on disk: uncommitted
        // operations are simply lost and replayed from the change log.
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds or replaces a vacancy (visible after the next commit).
    pub fn upsert(&self, document: &VacancyDocument) -> Result<(), SearchError> {
        let f = self.fields;
        let id = document.id.to_string();
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &id);
        for field in [f.title, f.title_exact, f.title_bigram] {
            doc.add_text(field, &document.title);
        }
        doc.add_text(f.body, &document.body);
        doc.add_text(f.body_bigram, &document.body);
        doc.add_text(f.employer, &document.employer_name);
        doc.add_text(f.place, &document.place_names);
        doc.add_text(f.place_bigram, &document.place_names);
        doc.add_facet(f.facets, isco_facet(&document.isco));
        doc.add_facet(f.facets, Facet::from_path(["market", document.country.as_str()]));
        doc.add_facet(f.facets, Facet::from_path(["type", document.employment_type.as_str()]));
        if let Some(province) = &document.province_code {
            doc.add_text(f.province, province);
            doc.add_facet(f.facets, Facet::from_path(["province", province.as_str()]));
        }
        if let Some(commune) = &document.commune_code {
            doc.add_text(f.commune, commune);
        }
        doc.add_text(f.country, &document.country);
        if let Some(programme) = &document.programme {
            doc.add_text(f.programme, programme);
        }
        doc.add_text(f.employment_type, &document.employment_type);
        if let Some(fair) = document.fair_id {
            doc.add_text(f.fair, fair.to_string());
        }
        doc.add_u64(f.open, u64::from(document.open));
        doc.add_i64(f.deadline_day, document.deadline.map_or(i64::MAX, day_number));
        doc.add_i64(f.posted_at, document.posted_at.timestamp());
        doc.add_u64(f.salary_min, document.salary_min_vnd.or(document.salary_max_vnd).unwrap_or(0));
        doc.add_u64(f.salary_max, document.salary_max_vnd.or(document.salary_min_vnd).unwrap_or(0));
        let writer = self.writer();
        writer.delete_term(Term::from_field_text(f.id, &id));
        writer.add_document(doc)?;
        Ok(())
    }

    pub fn delete(&self, id: Uuid) -> Result<(), SearchError> {
        self.writer().delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        Ok(())
    }

    /// Makes pending changes durable together with the change-log sequence they reach.
    pub fn commit(&self, applied_seq: i64) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&applied_seq.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-log sequence of the last commit (0 for a new index).
    pub fn applied_seq(&self) -> Result<i64, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Drops every document (before a rebuild); durable at the next commit.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn text_query(&self, searcher: &tantivy::Searcher, text: &str) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let text = caunoi_domain::text::normalize(text);
        let folded = analysis::tokens(&mut analysis::fold_analyzer(), &text);
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
        let mut per_token: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut optional: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, token) in folded.iter().enumerate() {
            let term = |field| Term::from_field_text(field, token);
            let boosted = |query: Box<dyn Query>, boost: f32| -> (Occur, Box<dyn Query>) {
                (Occur::Should, Box::new(BoostQuery::new(query, boost)))
            };
            let mut variants: Vec<(Occur, Box<dyn Query>)> = vec![
                boosted(Box::new(TermQuery::new(term(f.title), IndexRecordOption::WithFreqs)), 3.0),
                boosted(Box::new(TermQuery::new(term(f.body), IndexRecordOption::WithFreqs)), 1.0),
                boosted(Box::new(TermQuery::new(term(f.employer), IndexRecordOption::WithFreqs)), 1.5),
                boosted(Box::new(TermQuery::new(term(f.place), IndexRecordOption::WithFreqs)), 2.0),
            ];
            // The exact spelling in a title ranks above look-alikes: "máy" above "may" when the
            // user typed the accent, and plain "may" (sew) above "máy" when they did not.
            if let Some(spelled) = exact.get(i) {
                let exact_term = Term::from_field_text(f.title_exact, spelled);
                let boost = if spelled == token { 1.5 } else { 3.0 };
                variants.push(boosted(Box::new(TermQuery::new(exact_term, IndexRecordOption::WithFreqs)), boost));
            }
            // Meilisearch's rule: no typo below 5 letters, one from 5, two from 9 — folded
            // syllables are short, so a typo budget on real syllables ("dien"→"dieu") would match
            // half the language. One refinement, justified by the judged set ("tho hna"): a
            // short token that occurs nowhere in the index is certainly a typo, so it gets one.
            let known = searcher.doc_freq(&term(f.title)).unwrap_or(0) + searcher.doc_freq(&term(f.body)).unwrap_or(0) > 0;
            let typos = match token.chars().count() {
                0..=2 => 0,
                3..=4 if known => 0,
                3..=8 => 1,
                _ => 2,
            };
            if typos > 0 {
                for (field, boost) in [(f.title, 0.6), (f.body, 0.2)] {
                    variants.push(boosted(Box::new(FuzzyTermQuery::new(term(field), typos, true)), boost));
                }
            }
            let token_query: Box<dyn Query> = Box::new(BooleanQuery::new(variants));
            if generic[i] { optional.push((Occur::Should, token_query)) } else { per_token.push((Occur::Should, token_query)) }
        }
        // Every word must match somewhere, but one of three or more may be missing (a stray
        // word should not empty the page).
        let required = if per_token.len() <= 2 { per_token.len() } else { per_token.len() - 1 };
        let words = BooleanQuery::with_minimum_required_clauses(per_token, required);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(words))];
        clauses.extend(optional);
        for pair in folded.windows(2) {
            let bigram = format!("{}_{}", pair[0], pair[1]);
            for (field, boost) in [(f.title_bigram, 4.0), (f.body_bigram, 1.5), (f.place_bigram, 4.0)] {
                let query = TermQuery::new(Term::from_field_text(field, &bigram), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    fn filters(&self, query: &VacancyQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let exact = |field: Field, value: &str| -> (Occur, Box<dyn Query>) {
            let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0)))
        };
        let mut filters = Vec::new();
        if let Some(province) = &query.province {
            filters.push(exact(f.province, province));
        }
        if let Some(commune) = &query.commune {
            filters.push(exact(f.commune, commune));
        }
        if let Some(country) = &query.country {
            filters.push(exact(f.country, country));
        }
        if let Some(programme) = &query.programme {
            filters.push(exact(f.programme, programme));
        }
        if let Some(kind) = &query.employment_type {
            filters.push(exact(f.employment_type, kind));
        }
        if let Some(fair) = query.fair {
            filters.push(exact(f.fair, &fair.to_string()));
        }
        match query.overseas {
            Some(true) => filters.push((Occur::MustNot, Box::new(TermQuery::new(Term::from_field_text(f.country, "VN"), IndexRecordOption::Basic)))),
            Some(false) => filters.push(exact(f.country, "VN")),
            None => {}
        }
        if let Some(isco) = &query.isco {
            let term = TermQuery::new(Term::from_facet(f.facets, &isco_facet(isco)), IndexRecordOption::Basic);
            filters.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0))));
        }
        if let Some(day) = query.open_on {
            let open = TermQuery::new(Term::from_field_u64(f.open, 1), IndexRecordOption::Basic);
            filters.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(open), 0.0))));
            let not_expired = RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_i64(f.deadline_day, day_number(day))),
                std::ops::Bound::Unbounded,
            );
            filters.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(not_expired), 0.0))));
        }
        if let Some(min) = query.min_salary_vnd {
            let pays = RangeQuery::new(std::ops::Bound::Included(Term::from_field_u64(f.salary_max, min)), std::ops::Bound::Unbounded);
            filters.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(pays), 0.0))));
        }
        filters
    }

    /// Runs a search. Never fails on what the user typed: any text gives results or none.
    pub fn search(&self, query: &VacancyQuery) -> Result<VacancyResults, SearchError> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let text = self.text_query(&searcher, &query.text);
        let mut clauses = self.filters(query);
        let has_text = text.is_some();
        match text {
            Some(text) => clauses.push((Occur::Must, text)),
            None => clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)))),
        }
        let combined = BooleanQuery::new(clauses);
        let limit = query.limit.clamp(1, 100);
        let top = TopDocs::with_limit(limit).and_offset(query.offset.min(10_000));
        let mut facets = FacetCollector::for_field("facets");
        for root in ["/province", "/isco", "/market", "/type"] {
            facets.add_facet(root);
        }
        let sort = if has_text { query.sort } else if query.sort == SortBy::Relevance { SortBy::Newest } else { query.sort };
        let (addresses, total, facet_counts): (Vec<(f32, DocAddress)>, usize, _) = match sort {
            SortBy::Relevance => searcher.search(&combined, &(top.order_by_score(), Count, facets))?,
            SortBy::Newest => {
                let (docs, total, counts) =
                    searcher.search(&combined, &(top.order_by_fast_field::<i64>("posted_at", Order::Desc), Count, facets))?;
                (docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
            }
            SortBy::SalaryHighest => {
                let (docs, total, counts) =
                    searcher.search(&combined, &(top.order_by_fast_field::<u64>("salary_max", Order::Desc), Count, facets))?;
                (docs.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
            }
        };
        let mut snippets = SnippetGenerator::create(&searcher, &combined, f.body)?;
        snippets.set_max_num_chars(160);
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc.get_first(f.id).and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok());
            let Some(id) = id else { continue };
            let title = doc.get_first(f.title).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            hits.push(VacancyHit { id, score, title, snippet: snippets.snippet_from_doc(&doc).to_html() });
        }
        let children = |root: &str| -> Vec<(String, u64)> {
            facet_counts.get(root).map(|(facet, count)| (facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(), count)).collect()
        };
        Ok(VacancyResults {
            total,
            hits,
            provinces: children("/province"),
            occupations: children("/isco"),
            markets: children("/market"),
            employment_types: children("/type"),
        })
    }
}
