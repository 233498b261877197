//! Report downloads: the same data as JSON, or as a CSV (UTF-8 with a byte-order mark) or XLSX
//! file named for the report.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn download(body: Vec<u8>, content_type: &'static str, filename: String) -> Response {
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))], body)
        .into_response()
}

/// `data` in `format` (JSON when absent); files are named `{name}.csv` / `{name}.xlsx`.
pub fn export<T: serde::Serialize>(
    format: Option<ExportFormat>,
    data: &T,
    name: &str,
    csv: impl FnOnce() -> String,
    xlsx: impl FnOnce() -> caunoi_store::StoreResult<Vec<u8>>,
) -> Result<Response, ApiError> {
    Ok(match format.unwrap_or_default() {
        ExportFormat::Json => Json(data).into_response(),
        ExportFormat::Csv => download(csv().into_bytes(), "text/csv; charset=utf-8", format!("{name}.csv")),
        ExportFormat::Xlsx => download(xlsx()?, XLSX, format!("{name}.xlsx")),
    })
}
