//! Errors that stop a whole run (a record's own problems are quarantined, not errors).

use caunoi_store::StoreError;

use crate::fetch::FetchError;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("Không đọc được nguồn dữ liệu: {0} (cannot read the source)")]
    Read(String),
    #[error("Tệp thiếu cột bắt buộc \"{header}\"; các cột tìm thấy: {found}. (A required column is missing; see the template.)")]
    MissingColumn { header: String, found: String },
    #[error("Loại tệp \"{0}\" không được hỗ trợ; chấp nhận .csv, .xlsx, .json, .ndjson, .jsonl. (Unsupported file type.)")]
    UnsupportedFile(String),
    #[error("Nguồn cấp dữ liệu không hợp lệ: {0} (invalid feed)")]
    Feed(String),
    #[error("Cấu hình nguồn không hợp lệ: {0} (invalid source configuration)")]
    Config(String),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    /// Stable English code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Read(_) => "ingest.read_failed",
            Self::MissingColumn { .. } => "ingest.missing_column",
            Self::UnsupportedFile(_) => "ingest.unsupported_file",
            Self::Feed(_) => "ingest.invalid_feed",
            Self::Config(_) => "ingest.invalid_config",
            Self::Fetch(_) => "ingest.fetch_failed",
            Self::Store(_) => "ingest.store_failed",
        }
    }
}
