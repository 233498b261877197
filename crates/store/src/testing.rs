//! Throw-away databases for integration tests: a fresh SQLite file always, and a fresh
//! PostgreSQL database when `TEST_DATABASE_URL` points at a server. Each is migrated and loaded
//! with reference data, and removed when dropped (even when the test panics).

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::{Store, reference};

/// Which back-end a test database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The back-ends to run every store test on: SQLite, plus PostgreSQL when configured.
///
/// # Panics
/// When `CAUNOI_REQUIRE_POSTGRES=1` (set by CI) but `TEST_DATABASE_URL` is not: PostgreSQL must
/// not be skipped silently there.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        backends.push(Backend::Postgres);
    } else if std::env::var("CAUNOI_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("CAUNOI_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
    }
    backends
}

enum Cleanup {
    Sqlite(#[allow(dead_code, reason = "deleting the directory on drop is the point")] tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

pub struct TestDatabase {
    pub store: Store,
    pub url: String,
    pub backend: Backend,
    cleanup: Option<Cleanup>,
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(server_url: &str, name: &str) -> String {
    let without_query = server_url.split('?').next().unwrap_or(server_url);
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    match without_query[authority_start..].find('/') {
        Some(slash) => format!("{}/{name}", &without_query[..authority_start + slash]),
        None => format!("{without_query}/{name}"),
    }
}

impl TestDatabase {
    /// A migrated database with reference data on `backend`.
    ///
    /// # Panics
    /// When the database cannot be created: a test cannot run without one.
    pub async fn new(backend: Backend) -> Self {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.sqlite").display());
                (url, Cleanup::Sqlite(dir))
            }
            Backend::Postgres => {
                let server_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
                let name = format!("caunoi_test_{}", uuid::Uuid::now_v7().simple());
                let server = Database::connect(&server_url).await.expect("connect to TEST_DATABASE_URL");
                server
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                server.close().await.ok();
                (with_database(&server_url, &name), Cleanup::Postgres { server_url, name })
            }
        };
        let store = Store::connect(&url).await.expect("connect to test database");
        store.migrate().await.expect("migrate test database");
        reference::load(&store).await.expect("load reference data");
        Self { store, url, backend, cleanup: Some(cleanup) }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub fn db_backend(&self) -> DbBackend {
        self.store.backend()
    }

    /// Runs a raw statement (for tests that tamper with rows on purpose).
    pub async fn execute(&self, sql: &str) {
        self.store
            .connection()
            .execute_raw(Statement::from_string(self.db_backend(), sql))
            .await
            .expect("raw statement");
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(Cleanup::Postgres { server_url, name }) = self.cleanup.take() {
            // Drop may run on the test's runtime thread, which this blocks: a separate thread gets
            // its own runtime, and FORCE ends the pool's connections without needing the test's.
            let handle = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                runtime.block_on(async move {
                    if let Ok(server) = Database::connect(&server_url).await {
                        server.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok();
                        server.close().await.ok();
                    }
                });
            });
            handle.join().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name_in_url() {
        assert_eq!(super::with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x");
    }
}
