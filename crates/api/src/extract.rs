//! Request extractors whose failures are API errors: a JSON body that does not parse names the
//! field (`employer.tax_code`) and says why, in our error format.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::ApiError;

/// `Json<T>` with field-naming errors.
pub struct Body<T>(pub T);

fn unreadable(field: Option<String>, detail: String) -> ApiError {
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "INVALID_BODY".into(),
        message_vi: match &field {
            Some(field) => format!("Dữ liệu gửi lên không hợp lệ ở trường \"{field}\": {detail}"),
            None => format!("Dữ liệu gửi lên không phải JSON hợp lệ: {detail}"),
        },
        message_en: "The request body is not valid JSON for this request.".into(),
        field,
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|e| unreadable(None, e.body_text()))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(Body(value)),
            Err(error) => {
                let path = error.path().to_string();
                let detail = error.into_inner().to_string();
                let field = missing_field(&path, &detail).or((path != ".").then_some(path));
                Err(unreadable(field, detail))
            }
        }
    }
}

/// A missing field is reported at its parent's path; name the field itself
/// (`employer.tax_code`, not `employer`).
fn missing_field(path: &str, detail: &str) -> Option<String> {
    let name = detail.strip_prefix("missing field `")?.split('`').next()?;
    Some(if path == "." { name.to_owned() } else { format!("{path}.{name}") })
}

/// `Query<T>` whose failures are API errors.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Params(value)),
            Err(rejection) => Err(ApiError::Client {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "INVALID_PARAMETER".into(),
                field: None,
                message_vi: format!("Tham số truy vấn không hợp lệ: {}", rejection.body_text()),
                message_en: "A query parameter is not valid.".into(),
            }),
        }
    }
}

/// `Path<T>` whose failures are API errors: `/api/v1/workers/abc` is a 422 naming the
/// parameter, in our format, not a plain-text 400.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(ApiError::Client {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "INVALID_PATH".into(),
                field: None,
                message_vi: format!("Đường dẫn không hợp lệ (mã phải là UUID): {}", rejection.body_text()),
                message_en: "A path parameter is not valid (ids are UUIDs).".into(),
            }),
        }
    }
}
