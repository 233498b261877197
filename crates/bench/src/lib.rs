//! Benchmarks of Cầu Nối. `search`: the tantivy vacancy index against PostgreSQL full-text search
//! (unaccent + GIN) and SQLite FTS5 over the same generated corpus, measured in the same run —
//! build time and size, latency per query class, typeahead, and NDCG@10 on the judged set.
//!
//! Every engine indexes the same [`caunoi_search::VacancyDocument`]s, read from its database
//! through the store, so the peers see exactly the text and filter values tantivy sees.

pub mod checkin;
pub mod corpus;
pub mod documents;
pub mod engine;
pub mod measure;
pub mod mix;
pub mod probe;
pub mod profile;
pub mod report;
pub mod run;
pub mod sql_peer;

pub use engine::Engine;
pub use report::BenchReport;
pub use run::{Corpora, RunConfig, run};

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error(transparent)]
    Store(#[from] caunoi_store::StoreError),
    #[error("cơ sở dữ liệu / database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Search(#[from] caunoi_search::SearchError),
    #[error(transparent)]
    Sync(#[from] caunoi_search::sync::SyncError),
    #[error(transparent)]
    Demo(#[from] caunoi_demo::DemoError),
    #[error(transparent)]
    Relevance(#[from] caunoi_search::relevance::RelevanceError),
    #[error("tệp / file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Probe(#[from] crate::probe::EmptyIndex),
    #[error(
        "Kho dữ liệu mẫu {place} có {found} việc làm, không phải {wanted}; chạy lại với --fresh để tạo lại. \
         (bench.corpus_mismatch: the corpus holds {found} vacancies, not {wanted}; rerun with --fresh.)"
    )]
    CorpusMismatch { place: String, found: u64, wanted: u64 },
}

impl BenchError {
    /// A stable English code for each kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(_) => "bench.store",
            Self::Database(_) => "bench.database",
            Self::Search(_) => "bench.search",
            Self::Sync(_) => "bench.sync",
            Self::Demo(_) => "bench.demo",
            Self::Relevance(e) => e.code(),
            Self::Io(_) => "bench.io",
            Self::CorpusMismatch { .. } => "bench.corpus_mismatch",
            Self::Probe(_) => "bench.probe_index_empty",
        }
    }
}
