//! The judged relevance set (`tests/relevance/`, see its README) and NDCG@10.
//!
//! One implementation for every engine that is scored on the set: the crate's relevance test
//! and the benchmark (which scores PostgreSQL and SQLite full-text search as well) load the same
//! documents and compute the same metric, so their figures compare.
//!
//! Everything here is pure except [`JudgedSet::load`], which only reads the two CSV files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use caunoi_domain::records::OverseasProgramme;
use caunoi_domain::{AdminCatalog, CommuneCode, IscoCode};
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

use crate::document::{market_names, place_names};
use crate::{SearchError, VacancyDocument, VacancyIndex, VacancyQuery};

/// Rank cut-off of the metric: a phone shows about ten results.
pub const CUTOFF: usize = 10;

/// The corpus and judgment files, as named in the set's README.
pub const CORPUS_FILE: &str = "corpus.csv";
pub const JUDGMENTS_FILE: &str = "judgments.csv";

/// Where the judged set lives in this repository.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("relevance")
}

#[derive(Debug, thiserror::Error)]
pub enum RelevanceError {
    #[error("Không đọc được tệp {path} của bộ đánh giá: {source} (relevance.read: cannot read the judged-set file)")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("Tệp {file} dòng {line}: {message_vi} ({code}: {message_en})")]
    Invalid { file: &'static str, line: u64, code: &'static str, message_vi: String, message_en: String },
}

impl RelevanceError {
    /// A stable English code (`relevance.read`, `relevance.csv`, `relevance.key`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read { .. } => "relevance.read",
            Self::Invalid { code, .. } => code,
        }
    }
}

/// The 239 judged vacancies as index documents, and each query's graded relevant documents
/// (a document not listed has grade 0).
#[derive(Debug, Clone)]
pub struct JudgedSet {
    pub documents: Vec<VacancyDocument>,
    pub judgments: BTreeMap<String, HashMap<Uuid, u32>>,
}

/// NDCG@10 of one engine: per query (in query order) and the mean.
#[derive(Debug, Clone, PartialEq)]
pub struct RelevanceReport {
    pub per_query: Vec<(String, f64)>,
    pub mean: f64,
}

/// The document id of a corpus key: `v017` → the UUID with value 17.
pub fn key_id(key: &str) -> Option<Uuid> {
    key.strip_prefix('v')?.parse::<u128>().ok().map(Uuid::from_u128)
}

fn dcg(gains: impl Iterator<Item = u32>) -> f64 {
    gains.take(CUTOFF).enumerate().map(|(rank, grade)| (2f64.powi(grade as i32) - 1.0) / (rank as f64 + 2.0).log2()).sum()
}

/// NDCG@10 of a ranking against graded judgments (unjudged documents count 0).
pub fn ndcg_at_10(ranking: &[Uuid], judged: &HashMap<Uuid, u32>) -> f64 {
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter());
    if best == 0.0 {
        return 0.0;
    }
    dcg(ranking.iter().map(|id| judged.get(id).copied().unwrap_or(0))) / best
}

/// Every judged document was posted at the same moment, so no engine can rank by date.
fn posted_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap_or_default()
}

fn invalid(file: &'static str, line: u64, code: &'static str, message_vi: String, message_en: String) -> RelevanceError {
    RelevanceError::Invalid { file, line, code, message_vi, message_en }
}

/// The data rows of a CSV file with their line numbers.
fn rows(file: &'static str, text: &str) -> impl Iterator<Item = Result<(u64, csv::StringRecord), RelevanceError>> {
    csv::Reader::from_reader(text.as_bytes()).into_records().map(move |record| {
        record.map(|r| (r.position().map_or(0, csv::Position::line), r)).map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            invalid(file, line, "relevance.csv", format!("CSV không hợp lệ: {e}"), format!("invalid CSV: {e}"))
        })
    })
}

fn document_id(file: &'static str, line: u64, key: &str) -> Result<Uuid, RelevanceError> {
    key_id(key).ok_or_else(|| {
        invalid(file, line, "relevance.key", format!("khóa tài liệu «{key}» không có dạng v001"), format!("document key '{key}' is not like v001"))
    })
}

impl JudgedSet {
    /// Reads `corpus.csv` and `judgments.csv` from `dir` (see [`default_dir`]).
    pub fn load(dir: &Path) -> Result<Self, RelevanceError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| RelevanceError::Read { path, source })
        };
        Self::parse(&read(CORPUS_FILE)?, &read(JUDGMENTS_FILE)?)
    }

    /// Builds the set from the two files' contents.
    pub fn parse(corpus_csv: &str, judgments_csv: &str) -> Result<Self, RelevanceError> {
        let admin = AdminCatalog::embedded();
        let mut documents = Vec::new();
        // key,title,employer,isco,commune_code,country,programme,salary_text,description
        for row in rows(CORPUS_FILE, corpus_csv) {
            let (line, row) = row?;
            let field = |i: usize| row.get(i).unwrap_or_default();
            let isco = IscoCode::parse(field(3)).map_err(|e| {
                invalid(CORPUS_FILE, line, "relevance.isco", format!("mã ISCO sai: {}", e.message_vi), format!("bad ISCO code: {}", e.message_en))
            })?;
            let commune = (!field(4).is_empty()).then(|| field(4).to_owned());
            let province = commune
                .as_deref()
                .and_then(|c| admin.commune(&CommuneCode::parse(c).ok()?))
                .map(|c| c.province_code.as_str().to_owned());
            let programme = (!field(6).is_empty()).then(|| field(6).to_owned());
            let programme_label = programme.as_deref().and_then(|p| OverseasProgramme::parse(p).ok()).map(|p| p.label_vi());
            documents.push(VacancyDocument {
                id: document_id(CORPUS_FILE, line, field(0))?,
                title: field(1).to_owned(),
                body: field(8).to_owned(),
                employer_name: field(2).to_owned(),
                isco,
                employment_type: "full_time".into(),
                place_names: match commune.as_deref() {
                    Some(commune) => place_names(commune),
                    None => market_names(field(5), programme_label),
                },
                commune_code: commune,
                province_code: province,
                country: if field(5).is_empty() { "VN".into() } else { field(5).to_owned() },
                programme,
                salary_min_vnd: None,
                salary_max_vnd: None,
                fair_id: None,
                deadline: None,
                posted_at: posted_at(),
                open: true,
            });
        }
        let mut judgments: BTreeMap<String, HashMap<Uuid, u32>> = BTreeMap::new();
        // query,key,grade
        for row in rows(JUDGMENTS_FILE, judgments_csv) {
            let (line, row) = row?;
            let field = |i: usize| row.get(i).unwrap_or_default();
            let grade = field(2).parse::<u32>().ok().filter(|g| (1..=3).contains(g)).ok_or_else(|| {
                let grade = field(2);
                invalid(JUDGMENTS_FILE, line, "relevance.grade", format!("điểm «{grade}» phải là 1, 2 hoặc 3"), format!("grade '{grade}' must be 1, 2 or 3"))
            })?;
            judgments.entry(field(0).to_owned()).or_default().insert(document_id(JUDGMENTS_FILE, line, field(1))?, grade);
        }
        Ok(Self { documents, judgments })
    }

    /// Scores an engine: `rank` returns the engine's ranking of document ids for a query (only
    /// the first [`CUTOFF`] count).
    pub fn evaluate<E>(&self, mut rank: impl FnMut(&str) -> Result<Vec<Uuid>, E>) -> Result<RelevanceReport, E> {
        let mut per_query = Vec::with_capacity(self.judgments.len());
        for (query, judged) in &self.judgments {
            per_query.push((query.clone(), ndcg_at_10(&rank(query)?, judged)));
        }
        let mean = if per_query.is_empty() { 0.0 } else { per_query.iter().map(|(_, s)| s).sum::<f64>() / per_query.len() as f64 };
        Ok(RelevanceReport { per_query, mean })
    }

    /// The corpus in an in-memory vacancy index.
    pub fn index_in_memory(&self) -> Result<VacancyIndex, SearchError> {
        let index = VacancyIndex::in_memory()?;
        for document in &self.documents {
            index.upsert(document)?;
        }
        index.commit(1)?;
        Ok(index)
    }

    /// Scores a vacancy index holding the corpus, with plain text queries as a user types them.
    pub fn evaluate_index(&self, index: &VacancyIndex) -> Result<RelevanceReport, SearchError> {
        self.evaluate(|query| {
            let results = index.search(&VacancyQuery { text: query.to_owned(), limit: CUTOFF, ..VacancyQuery::default() })?;
            Ok(results.hits.iter().map(|hit| hit.id).collect())
        })
    }
}
