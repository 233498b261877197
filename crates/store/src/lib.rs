//! Persistence of Cầu Nối on SQLite (embedded default) or PostgreSQL (production), with sea-orm 2.
//!
//! Architecture invariants:
//! - The database is the source of truth; search indexes are derived from it through the
//!   [`change_log`], which every write to a vacancy or worker profile appends to **in the same
//!   transaction** as the write.
//! - Records are validated (`validate()` of the domain record) before any statement runs; a batch
//!   is written in one transaction, so it is applied whole or not at all.
//! - This crate knows nothing of HTTP. Errors are [`StoreError`]s.

pub mod accounts;
pub mod bulk;
pub mod change_log;
mod connect;
pub mod entities;
mod error;
pub mod fair_report;
pub mod fairs;
pub mod ingest;
pub mod overseas;
pub mod plans;
mod ingest_entities;
mod mapping;
pub mod records;
pub mod sheet;
pub mod training;
pub mod reference;
pub mod stats;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::Store;
pub use error::{StoreError, StoreResult};
pub use sea_orm::DbBackend;
