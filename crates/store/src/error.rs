//! Errors of the store. Validation and conflicts are the caller's to show (Vietnamese message,
//! stable code); database failures are to be logged, never shown.

use caunoi_domain::ValidationError;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record was rejected before anything was written.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A unique value (CCCD, tax code, fair code, one registration per fair) is already taken.
    #[error("{field}: {message_vi}")]
    Conflict { field: &'static str, code: &'static str, message_vi: String, message_en: String },
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// A stored row no longer parses as a domain record (edited by hand, or a bug).
    #[error("stored {entity} {id} is corrupt: {reason}")]
    Corrupt { entity: &'static str, id: String, reason: String },
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl StoreError {
    /// Turns a unique-constraint violation into a conflict the user can act on.
    pub(crate) fn from_write(err: DbErr, conflict: impl FnOnce(&str) -> Option<StoreError>) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => conflict(&message).unwrap_or(Self::Database(err)),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::Invalid(ValidationError::new(
                "reference",
                "reference.not_found",
                "Bản ghi được tham chiếu (nhà tuyển dụng, phiên giao dịch, người lao động, đơn hàng…) không tồn tại.",
                "A referenced record (employer, fair, worker, job order…) does not exist.",
            )),
            _ => Self::Database(err),
        }
    }

    pub(crate) fn conflict(field: &'static str, code: &'static str, message_vi: &str, message_en: &str) -> Self {
        Self::Conflict { field, code, message_vi: message_vi.to_owned(), message_en: message_en.to_owned() }
    }

    pub(crate) fn corrupt(entity: &'static str, id: impl ToString, reason: impl ToString) -> Self {
        Self::Corrupt { entity, id: id.to_string(), reason: reason.to_string() }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
