//! The one error type of the API: a stable English code and a Vietnamese message for the user;
//! the cause of an internal error is logged and never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caunoi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{code}: {message_en}")]
    Client { status: StatusCode, code: String, field: Option<String>, message_vi: String, message_en: String },
    #[error("internal error: {0}")]
    Internal(String),
}

/// What every failure carries: `{"error":{"code":"…","message":"…"}}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable English code for programs: `NOT_FOUND`, `OUTSIDE_AREA`, `CCCD_FORMAT`…
    #[schema(example = "OUTSIDE_AREA")]
    code: String,
    /// The field at fault, for validation failures (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// For people, in Vietnamese.
    message: String,
    message_en: String,
}

impl ApiError {
    /// A failure of ours (logged, never shown).
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::Internal(error.to_string())
    }

    /// A query parameter out of range: 422 naming it.
    pub fn bad_param(field: &str, message_vi: &str, message_en: &str) -> Self {
        Self::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "INVALID_PARAMETER".into(),
            field: Some(field.into()),
            message_vi: message_vi.into(),
            message_en: message_en.into(),
        }
    }

    pub fn not_found() -> Self {
        Self::Client {
            status: StatusCode::NOT_FOUND,
            code: "NOT_FOUND".into(),
            field: None,
            message_vi: "Không tìm thấy trang hoặc bản ghi yêu cầu.".into(),
            message_en: "The requested page or record was not found.".into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Invalid(e) => Self::Client {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: e.code.to_uppercase().replace('.', "_"),
                field: Some(e.field),
                message_vi: e.message_vi,
                message_en: e.message_en,
            },
            StoreError::Conflict { field, code, message_vi, message_en } => Self::Client {
                status: StatusCode::CONFLICT,
                code: code.to_uppercase().replace('.', "_"),
                field: Some(field.to_owned()),
                message_vi,
                message_en,
            },
            StoreError::NotFound { .. } => Self::not_found(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Client { status, code, field, message_vi, message_en } => {
                let body = ErrorBody { error: ErrorDetail { code, field, message: message_vi, message_en } };
                (status, Json(body)).into_response()
            }
            Self::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                let body = ErrorBody {
                    error: ErrorDetail {
                        code: "INTERNAL".into(),
                        field: None,
                        message: "Hệ thống đang gặp sự cố, vui lòng thử lại sau.".into(),
                        message_en: "Something went wrong on our side; please try again later.".into(),
                    },
                };
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
