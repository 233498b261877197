//! Integration tests of the store. Every test runs on SQLite, and on PostgreSQL as well when
//! `TEST_DATABASE_URL` is set; each run gets its own fresh database.

#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
#![allow(clippy::print_stdout, reason = "CI prints which database servers answered")]

mod fairs;
mod fixtures;
mod overseas;
mod plans;
mod records;
mod reference;
mod training;

use caunoi_store::testing::{TestDatabase, backends};

/// Runs `test` once per configured back-end, each on a fresh database.
async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(TestDatabase) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        eprintln!("running on {}", db.backend_name());
        test(db).await;
    }
}
