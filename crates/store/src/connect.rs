use std::time::Duration;

use caunoi_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::error::{StoreError, StoreResult};

/// A connection pool to the database, SQLite or PostgreSQL by URL.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connects to `sqlite://path?mode=rwc` (the file is created) or `postgres://…`.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let mut options = ConnectOptions::new(url);
        options.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
        if url.starts_with("sqlite:") {
            // WAL lets readers run while one writer writes; NORMAL sync is safe with WAL.
            options
                .max_connections(4)
                .map_sqlx_sqlite_opts(|o| {
                    o.create_if_missing(true)
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(30))
                        // Checkpoint every 64 MiB of WAL instead of 4 MiB: a bulk import
                        // rewrites the same index pages batch after batch, and each checkpoint
                        // copies them to the database file and syncs it.
                        .pragma("wal_autocheckpoint", "16384")
                        // Statement journals and sort scratch stay in memory: a multi-row
                        // INSERT inside a transaction otherwise writes a sub-journal file.
                        .pragma("temp_store", "memory")
                        // 16 MiB page cache per connection (negative = KiB; the default is
                        // 2 MiB), so an import's index pages stay cached between batches. 64 MiB
                        // was faster still but raised a 1M import's peak RSS by 230 MB.
                        .pragma("cache_size", "-16384")
                });
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            options.max_connections(16);
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        }
        Ok(Self { db: Database::connect(options).await? })
    }

    /// Applies pending migrations (the same on both back-ends).
    pub async fn migrate(&self) -> StoreResult<()> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Bytes the database occupies (file pages on SQLite, `pg_database_size` on PostgreSQL).
    pub async fn size_bytes(&self) -> StoreResult<i64> {
        let sql = match self.backend() {
            DbBackend::Postgres => "SELECT pg_database_size(current_database())::bigint AS n",
            _ => "SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()",
        };
        let row = self.db.query_one_raw(Statement::from_string(self.backend(), sql)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
    }

    pub async fn close(self) -> StoreResult<()> {
        self.db.close().await?;
        Ok(())
    }
}

/// Serialises writers of one kind on PostgreSQL until the transaction ends. SQLite has a single
/// writer already. Used so that change-log sequence order equals commit order.
pub(crate) async fn lock_transaction(conn: &impl ConnectionTrait, key: i64) -> StoreResult<()> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}
