//! The HTTP shell of Cầu Nối (axum). Handlers translate HTTP to calls on the store and engine
//! crates and back; no business rule lives here.

mod accounts;
mod auth;
mod error;
mod extract;
mod matching;
mod pages;
mod reference;
mod search;
mod vacancies;
mod workers;

use std::time::Duration;

use axum::Router;
use axum::routing::{delete, get, post, put};
use caunoi_store::Store;
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::http::{HeaderValue, Method};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// This node's search indexes, kept in step with the database by the change-log follower.
    pub indexes: std::sync::Arc<caunoi_search::Indexes>,
    /// Rate limits of the partner distribution routes.
    pub partners: std::sync::Arc<vacancies::PartnerLimiter>,
}

impl AppState {
    pub fn new(store: Store, indexes: std::sync::Arc<caunoi_search::Indexes>) -> Self {
        Self { store, indexes, partners: vacancies::limiter() }
    }
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::landing))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/health", get(pages::health))
        .route("/ready", get(pages::ready))
        .route("/api/v1/stats", get(pages::stats))
        .route("/api/v1/vacancies/search", get(search::vacancies))
        .route("/api/v1/vacancies/complete", get(search::complete))
        .route("/api/v1/accounts", post(accounts::register))
        .route("/api/v1/sessions", post(accounts::sign_in))
        .route("/api/v1/sessions/current", delete(accounts::sign_out))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/admin/accounts", post(accounts::create_staff))
        .route("/api/v1/admin/api-keys", post(accounts::issue_key))
        .route("/api/v1/admin/audit", get(accounts::audit_log))
        .route("/api/v1/workers", post(workers::register_walk_in))
        .route("/api/v1/workers/search", get(workers::search))
        .route("/api/v1/workers/me", post(workers::register_own).get(workers::get_own).put(workers::update_own))
        .route("/api/v1/workers/me/consents", put(workers::change_consents))
        .route("/api/v1/workers/me/export", get(workers::export_own))
        .route("/api/v1/workers/{id}", get(workers::get_one))
        .route("/api/v1/workers/me/recommendations", get(matching::for_me))
        .route("/api/v1/workers/{worker}/eligibility/{vacancy}", get(matching::eligibility))
        .route("/api/v1/vacancies", post(vacancies::create))
        .route("/api/v1/vacancies/mine", get(vacancies::mine))
        .route("/api/v1/vacancies/import", post(vacancies::import).layer(RequestBodyLimitLayer::new(IMPORT_BODY_BYTES)))
        .route("/api/v1/vacancies/{id}", get(vacancies::get_one).put(vacancies::update))
        .route("/api/v1/vacancies/{id}/close", post(vacancies::close))
        .route("/api/v1/vacancies/{id}/publish", post(vacancies::publish))
        .route("/api/v1/ingest/quarantine", get(vacancies::quarantine))
        .route("/api/v1/partner/vacancies", get(vacancies::snapshot))
        .route("/api/v1/partner/vacancies/changes", get(vacancies::changes))
        .route("/api/v1/provinces", get(reference::provinces))
        .route("/api/v1/communes", get(reference::communes))
        .route("/api/v1/occupations", get(reference::occupations))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_BYTES))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CompressionLayer::new())
        .layer(cors())
        .layer(SetResponseHeaderLayer::if_not_present(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            // No external origin at all: the pages work offline and load nothing from a CDN.
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<axum::body::Body>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Request bodies larger than this are refused (413), except for batch imports.
const BODY_BYTES: usize = 1024 * 1024;
const IMPORT_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Cross-origin callers allowed by `CAUNOI_CORS_ORIGINS` (comma-separated); none by default,
/// since the web pages are served from the same origin.
fn cors() -> CorsLayer {
    let origins: Vec<HeaderValue> = std::env::var("CAUNOI_CORS_ORIGINS")
        .unwrap_or_default()
        .split(',')
        .filter(|o| !o.trim().is_empty())
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([axum::http::header::CONTENT_TYPE, axum::http::header::AUTHORIZATION])
}

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM), then drains open requests.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
