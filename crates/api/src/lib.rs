//! The HTTP shell of Cầu Nối (axum). Handlers translate HTTP to calls on the store and engine
//! crates and back; no business rule lives here.

mod error;
mod pages;
mod search;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
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
