//! The HTTP shell of Cầu Nối (axum). Handlers translate HTTP to calls on the store and engine
//! crates and back; no business rule lives here.

mod accounts;
mod auth;
mod error;
mod extract;
mod pages;
mod search;
mod workers;

use std::time::Duration;

use axum::Router;
use axum::routing::{delete, get, post, put};
use caunoi_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// This node's search indexes, kept in step with the database by the change-log follower.
    pub indexes: std::sync::Arc<caunoi_search::Indexes>,
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::landing))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/health", get(pages::health))
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
        .fallback(pages::not_found)
        .with_state(state)
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http())
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
