//! Integration tests of caunoi-ingest: parser tables, properties, readers, remote pulls against
//! a local HTTP server, and end-to-end imports on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]

mod end_to_end;
mod location;
mod normalise;
mod occupation;
mod properties;
mod readers;
mod remote;
mod rules;
mod salary;
