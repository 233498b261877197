//! Landing page, health check and statistics.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use caunoi_domain::reference::{ADMIN_VERSION, ATTRIBUTION};
use caunoi_domain::text::group_thousands;
use caunoi_store::{change_log, stats};

use crate::web::escape;
use crate::{ApiError, AppState};

const LANDING: &str = include_str!("../../../web/landing.html");
const STYLESHEET: &str = include_str!("../../../web/app.css");


/// The landing page, with what the database holds counted on it.
pub async fn landing(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let overview = stats::overview(&state.store).await?;
    let counts = [
        (overview.open_vacancies, "việc làm đang tuyển", "open vacancies"),
        (overview.overseas_job_orders, "đơn hàng đi làm việc ở nước ngoài", "overseas job orders"),
        (overview.workers, "hồ sơ người lao động", "worker profiles"),
        (overview.employers, "doanh nghiệp, đơn vị tuyển dụng", "employers"),
        (overview.job_fairs, "phiên giao dịch việc làm", "job fairs"),
        (overview.overseas_registrations, "lượt đăng ký đi làm việc ở nước ngoài", "overseas registrations"),
        (overview.communes, "xã, phường, đặc khu", "communes"),
        (overview.occupations, "nhóm nghề ISCO-08", "ISCO-08 groups"),
    ]
    .iter()
    .map(|(n, vi, en)| {
        format!("      <li><strong>{}</strong>{vi} <span class=\"en\" lang=\"en\">/ {en}</span></li>", group_thousands(*n))
    })
    .collect::<Vec<_>>()
    .join("\n");
    let credits = ATTRIBUTION.iter().map(|line| format!("      <li>{}</li>", escape(line))).collect::<Vec<_>>().join("\n");
    Ok(Html(
        LANDING.replace("{{counts}}", &counts).replace("{{credits}}", &credits).replace("{{admin_version}}", ADMIN_VERSION),
    ))
}

pub async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    database: &'static str,
    change_log_seq: i64,
    /// The change-log sequence this node's search index has applied.
    search_index_seq: i64,
}

/// Ready when the database answers.
#[utoipa::path(get, path = "/health", tag = "operations", security(()),
    responses((status = 200, description = "Cơ sở dữ liệu trả lời — the database answers", body = Health)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let change_log_seq = change_log::latest_seq(&state.store).await?;
    let database = match state.store.backend() {
        caunoi_store::DbBackend::Postgres => "postgresql",
        _ => "sqlite",
    };
    let search_index_seq = state.indexes.applied_seq().map_err(ApiError::internal)?;
    Ok(Json(Health { status: "ok", database, change_log_seq, search_index_seq }))
}

/// How far this node's indexes may trail the change log and still take traffic.
const READY_MAX_LAG: i64 = 10_000;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    ready: bool,
    change_log_seq: i64,
    search_index_seq: i64,
}

#[utoipa::path(get, path = "/ready", tag = "operations", security(()),
    responses((status = 200, description = "Sẵn sàng — ready for traffic", body = Readiness),
        (status = 503, description = "Chỉ mục tìm kiếm đang bắt kịp — indexes still catching up", body = Readiness)))]
/// `GET /ready` — 200 once the database answers and the search indexes have caught up (a node
/// rebuilding its index stays out of the load balancer), 503 otherwise.
pub async fn ready(State(state): State<AppState>) -> Result<(axum::http::StatusCode, Json<Readiness>), ApiError> {
    let change_log_seq = change_log::latest_seq(&state.store).await?;
    let search_index_seq = state.indexes.applied_seq().map_err(ApiError::internal)?;
    let ready = change_log_seq - search_index_seq <= READY_MAX_LAG;
    let status = if ready { axum::http::StatusCode::OK } else { axum::http::StatusCode::SERVICE_UNAVAILABLE };
    Ok((status, Json(Readiness { ready, change_log_seq, search_index_seq })))
}

/// `GET /api/v1/stats` — what the database holds, counted.
#[utoipa::path(get, path = "/api/v1/stats", tag = "operations", security(()),
    responses((status = 200, description = "Số liệu tổng hợp — counts", body = stats::Overview)))]
pub async fn stats(State(state): State<AppState>) -> Result<Json<stats::Overview>, ApiError> {
    Ok(Json(stats::overview(&state.store).await?))
}

/// No route matches: a code of its own, so a missing record and a wrong address differ.
pub async fn not_found() -> ApiError {
    ApiError::Client {
        status: axum::http::StatusCode::NOT_FOUND,
        code: "NO_SUCH_ROUTE".into(),
        field: None,
        message_vi: "Không có trang hoặc chức năng này.".into(),
        message_en: "There is no page or API route at this address.".into(),
    }
}
