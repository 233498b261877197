//! Search over vacancies (and, later, worker profiles) with tantivy, tuned for Vietnamese.
//!
//! Architecture invariant: knows nothing of HTTP or SQL. Indexes are derived state, built from
//! domain records; the database is the source of truth.

pub mod analysis;
pub mod document;
pub mod relevance;
pub mod vacancy_index;

pub use document::{ExchangeRates, VacancyDocument};
pub use vacancy_index::{SortBy, VacancyHit, VacancyIndex, VacancyQuery, VacancyResults};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
}
