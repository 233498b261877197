//! Vacancy ingestion for Cầu Nối: partner pushes (JSON/NDJSON), CSV/XLSX files with Vietnamese
//! headers, schema.org `JobPosting` pages and snapshot + changes feeds — normalised (NFC; wage
//! text → [`caunoi_domain::SalaryRange`]; place text, old or new, → 2025 commune; title →
//! ISCO-08 with a confidence; discriminatory conditions flagged), identified by (source,
//! external id), deduplicated across sources, and stored through `caunoi_store::ingest`.
//!
//! Architecture invariant: parsing and normalisation ([`salary`], [`location`], [`occupation`],
//! [`deadline`], [`discrimination`], [`similarity`], [`normalise`], [`sources`]) are pure
//! functions over in-memory data; only [`fetch`] does HTTP and only [`pipeline`] / [`schedule`]
//! touch the store. Nothing here knows about the API's HTTP layer: the partner-push endpoint
//! calls [`pipeline::ingest_push`].

pub mod deadline;
pub mod discrimination;
mod error;
pub mod fetch;
pub mod location;
pub mod normalise;
pub mod occupation;
pub mod pipeline;
pub mod raw;
pub mod salary;
pub mod schedule;
pub mod similarity;
pub mod sources;

pub use error::IngestError;
pub use pipeline::{IngestOptions, IngestReport, ingest, ingest_file, ingest_push};
