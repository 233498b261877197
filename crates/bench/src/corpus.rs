//! The generated corpus: demo vacancies (with their employers and fairs, no worker profiles),
//! written through the store's validated batch path into SQLite and PostgreSQL, and kept
//! between runs so that a 1M corpus is generated once.

use std::path::Path;

use caunoi_demo::{DemoConfig, Progress};
use caunoi_store::{Store, reference};
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::BenchError;

/// Vacancies in the corpus's `vacancies` table.
pub async fn vacancy_count(store: &Store) -> Result<u64, BenchError> {
    let sql = "SELECT CAST(count(*) AS bigint) AS n FROM vacancies";
    let row = store.connection().query_one_raw(Statement::from_string(store.backend(), sql)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.map_or(0, |n| n.max(0) as u64))
}

/// Migrates, loads reference data and, when the database holds no vacancies, generates
/// `config.vacancies` of them. A database that holds another number is refused.
pub async fn fill(store: &Store, place: &str, config: DemoConfig, mut on_progress: impl FnMut(Progress)) -> Result<(), BenchError> {
    store.migrate().await?;
    reference::load(store).await?;
    let wanted = config.vacancies as u64;
    match vacancy_count(store).await? {
        0 => {
            caunoi_demo::populate(store, DemoConfig { workers: 0, ..config }, &mut on_progress).await?;
            Ok(())
        }
        found if found == wanted => Ok(()),
        found => Err(BenchError::CorpusMismatch { place: place.to_owned(), found, wanted }),
    }
}

/// The SQLite corpus file in `data_dir` (removed first when `fresh`).
pub async fn open_sqlite(path: &Path, fresh: bool) -> Result<Store, BenchError> {
    if fresh {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{}{suffix}", path.display());
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(Store::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?)
}

/// `server_url` with its database name replaced by `name`.
pub fn database_url(server_url: &str, name: &str) -> String {
    let without_query = server_url.split('?').next().unwrap_or(server_url);
    let authority = without_query.find("://").map_or(0, |i| i + 3);
    match without_query[authority..].find('/') {
        Some(slash) => format!("{}/{name}", &without_query[..authority + slash]),
        None => format!("{without_query}/{name}"),
    }
}

/// The PostgreSQL database `name` on the server (dropped and recreated when `fresh`).
/// `name` is ours (a constant prefix and a size), never user text.
pub async fn open_postgres(server_url: &str, name: &str, fresh: bool) -> Result<Store, BenchError> {
    let server = Database::connect(server_url).await?;
    if fresh {
        server.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    }
    let exists = server
        .query_one_raw(Statement::from_sql_and_values(
            server.get_database_backend(),
            "SELECT 1 AS found FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?
        .is_some();
    if !exists {
        server.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    }
    server.close().await?;
    Ok(Store::connect(&database_url(server_url, name)).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(super::database_url("postgres://postgres@127.0.0.1:5432/postgres", "b"), "postgres://postgres@127.0.0.1:5432/b");
        assert_eq!(super::database_url("postgres://u@h", "b"), "postgres://u@h/b");
    }
}
