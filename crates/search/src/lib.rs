//! Search over vacancies (and, later, worker profiles) with tantivy, tuned for Vietnamese.
//!
//! Architecture invariant: knows nothing of HTTP or SQL. Indexes are derived state, built from
//! domain records; the database is the source of truth.

pub mod analysis;
pub mod document;
