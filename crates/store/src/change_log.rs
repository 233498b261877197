//! The change log: an append-only list of (sequence, entity, id, operation) written in the same
//! transaction as each change to a vacancy or worker profile. Search indexes remember the last
//! sequence they applied and replay the rest, so they can always catch up or be rebuilt.
//!
//! Ordering: on PostgreSQL, appends take a transaction-scoped advisory lock first, so a
//! transaction that draws a higher sequence commits after every lower one; a reader that has
//! seen sequence N never later finds an N−1 appearing (SQLite has one writer at a time anyway).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::connect::lock_transaction;
use crate::entities::change_log;
use crate::error::{StoreError, StoreResult};
use crate::Store;

/// Advisory-lock key of change-log appends ("caunoi" + 1).
const CHANGE_LOG_LOCK: i64 = 0x6361_756e_6f69_0001;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangedEntity {
    Vacancy,
    WorkerProfile,
}

impl ChangedEntity {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vacancy => "vacancy",
            Self::WorkerProfile => "worker_profile",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Vacancy, Self::WorkerProfile].into_iter().find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Created or updated: re-read the record.
    Upsert,
    Delete,
}

impl Operation {
    pub fn code(self) -> &'static str {
        match self {
            Self::Upsert => "upsert",
            Self::Delete => "delete",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Upsert, Self::Delete].into_iter().find(|o| o.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub seq: i64,
    pub entity: ChangedEntity,
    pub entity_id: Uuid,
    pub operation: Operation,
    pub changed_at: DateTime<Utc>,
}

/// Rows per INSERT: keeps bound parameters far below SQLite's and PostgreSQL's limits.
const APPEND_CHUNK: usize = 2_000;

/// Appends changes inside the caller's transaction.
pub(crate) async fn append(
    txn: &impl ConnectionTrait,
    changes: impl IntoIterator<Item = (ChangedEntity, Uuid, Operation)>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let rows: Vec<change_log::ActiveModel> = changes
        .into_iter()
        .map(|(entity, id, operation)| change_log::ActiveModel {
            entity: Set(entity.code().to_owned()),
            entity_id: Set(id),
            operation: Set(operation.code().to_owned()),
            changed_at: Set(at),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    lock_transaction(txn, CHANGE_LOG_LOCK).await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(APPEND_CHUNK).collect();
        change_log::Entity::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Changes with a sequence greater than `after`, oldest first, at most `limit`.
pub async fn changes_since(store: &Store, after: i64, limit: u64) -> StoreResult<Vec<Change>> {
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(after))
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .all(store.connection())
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Change {
                seq: row.seq,
                entity: ChangedEntity::parse(&row.entity)
                    .ok_or_else(|| StoreError::corrupt("change_log", row.seq, format!("entity {}", row.entity)))?,
                entity_id: row.entity_id,
                operation: Operation::parse(&row.operation)
                    .ok_or_else(|| StoreError::corrupt("change_log", row.seq, format!("operation {}", row.operation)))?,
                changed_at: row.changed_at,
            })
        })
        .collect()
}

/// The highest sequence written so far (0 for an empty log).
pub async fn latest_seq(store: &Store) -> StoreResult<i64> {
    let last = change_log::Entity::find()
        .order_by_desc(change_log::Column::Seq)
        .one(store.connection())
        .await?;
    Ok(last.map_or(0, |row| row.seq))
}
