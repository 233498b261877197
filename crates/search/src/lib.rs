//! Search over vacancies and worker profiles with tantivy, tuned for Vietnamese.
//!
//! Architecture invariant: knows nothing of HTTP. Indexes are derived state, built from domain
//! records; the database is the source of truth, read only through the store ([`sync`]).

pub mod analysis;
pub mod document;
mod filter_cache;
mod live;
pub mod relevance;
mod seeking_union;
pub mod suggest;
pub mod sync;
mod text_query;
pub mod vacancy_facets;
pub mod vacancy_index;
pub mod worker_index;

pub use document::{ExchangeRates, VacancyDocument};
pub use suggest::{Suggestion, SuggestionKind};
pub use sync::Indexes;
pub use vacancy_index::{Near, SortBy, VacancyHit, VacancyIndex, VacancyQuery, VacancyResults};
pub use worker_index::{WorkerDocument, WorkerHit, WorkerIndex, WorkerQuery, WorkerResults};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
}
