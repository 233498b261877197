//! The HTTP shell of Cầu Nối (axum). Handlers translate HTTP to calls on the store and engine
//! crates and back; no business rule lives here.

mod accounts;
mod auth;
mod error;
mod export;
mod extract;
mod fairs;
mod matching;
mod openapi;
mod overseas;
mod plans;
mod pages;
mod reference;
mod search;
mod training;
mod vacancies;
mod web;
mod workers;

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;
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

/// Today in Vietnam: what "open", "due" and "expired" are reckoned against.
pub fn today() -> chrono::NaiveDate {
    caunoi_domain::vietnam_date(chrono::Utc::now())
}

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

/// The API routes, each registered with its OpenAPI description (see `openapi`).
fn api_routes() -> OpenApiRouter<AppState> {
    let (import_schemas, import_paths, import_route) = routes!(vacancies::import);
    let (upload_schemas, upload_paths, upload_route) = routes!(vacancies::upload);
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(pages::health))
        .routes(routes!(pages::ready))
        .routes(routes!(pages::stats))
        .routes(routes!(search::vacancies))
        .routes(routes!(search::complete))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::sign_in))
        .routes(routes!(accounts::sign_out))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::create_staff))
        .routes(routes!(accounts::issue_key))
        .routes(routes!(accounts::audit_log))
        .routes(routes!(workers::register_walk_in))
        .routes(routes!(workers::search))
        .routes(routes!(workers::register_own, workers::get_own, workers::update_own))
        .routes(routes!(workers::change_consents))
        .routes(routes!(workers::export_own))
        .routes(routes!(workers::get_one))
        .routes(routes!(matching::for_me))
        .routes(routes!(matching::eligibility))
        .routes(routes!(matching::for_vacancy))
        .routes(routes!(vacancies::create))
        .routes(routes!(vacancies::mine))
        .routes(routes!(vacancies::review))
        // Batches may be larger than other bodies.
        .routes((import_schemas, import_paths, import_route.layer(RequestBodyLimitLayer::new(IMPORT_BODY_BYTES))))
        .routes((upload_schemas, upload_paths, upload_route.layer(RequestBodyLimitLayer::new(IMPORT_BODY_BYTES))))
        .routes(routes!(vacancies::get_one, vacancies::update))
        .routes(routes!(vacancies::close))
        .routes(routes!(vacancies::publish))
        .routes(routes!(vacancies::quarantine))
        .routes(routes!(vacancies::snapshot))
        .routes(routes!(vacancies::changes))
        .routes(routes!(reference::provinces))
        .routes(routes!(reference::communes))
        .routes(routes!(reference::occupations))
        .routes(routes!(fairs::create, fairs::list))
        .routes(routes!(fairs::get_one))
        .routes(routes!(fairs::change_status))
        .routes(routes!(fairs::amend))
        .routes(routes!(fairs::request_booth, fairs::list_booths))
        .routes(routes!(fairs::decide_booth))
        .routes(routes!(fairs::fair_vacancies))
        .routes(routes!(fairs::register, fairs::list_places))
        .routes(routes!(fairs::my_place, fairs::cancel_my_place))
        .routes(routes!(fairs::my_ticket))
        .routes(routes!(fairs::check_in))
        .routes(routes!(fairs::headcount))
        .routes(routes!(fairs::record_interaction))
        .routes(routes!(fairs::propose_schedule))
        .routes(routes!(fairs::due_follow_ups, fairs::record_follow_up))
        .routes(routes!(fairs::report))
        .routes(routes!(fairs::rollup))
        .routes(routes!(overseas::verify))
        .routes(routes!(overseas::enterprises))
        .routes(routes!(overseas::set_licence))
        .routes(routes!(overseas::save_job_order, overseas::get_job_order))
        .routes(routes!(overseas::approve))
        .routes(routes!(overseas::order_registrations))
        .routes(routes!(overseas::register))
        .routes(routes!(overseas::get_registration))
        .routes(routes!(overseas::my_registrations))
        .routes(routes!(overseas::assign_order))
        .routes(routes!(overseas::move_stage))
        .routes(routes!(overseas::history))
        .routes(routes!(overseas::add_document, overseas::list_documents))
        .routes(routes!(overseas::checklist))
        .routes(routes!(overseas::support_policies))
        .routes(routes!(overseas::worklist))
        .routes(routes!(plans::indicators))
        .routes(routes!(plans::set_plan, plans::list_plans))
        .routes(routes!(plans::import_plans))
        .routes(routes!(plans::set_manual_value))
        .routes(routes!(plans::results))
        .routes(routes!(plans::chart))
        .routes(routes!(training::create_provider, training::list_providers))
        .routes(routes!(training::create_class, training::list_classes))
        .routes(routes!(training::get_class))
        .routes(routes!(training::move_class))
        .routes(routes!(training::enrol, training::list_enrolments))
        .routes(routes!(training::withdraw))
        .routes(routes!(training::attendance))
        .routes(routes!(training::record_result))
        .routes(routes!(training::follow_up))
        .routes(routes!(training::due_follow_ups))
        .routes(routes!(training::graduates))
        .routes(routes!(training::my_enrolments))
        .routes(routes!(training::support))
        .routes(routes!(training::suggestions))
        .routes(routes!(training::record_survey))
        .routes(routes!(training::import_survey))
        .routes(routes!(training::survey_summary))
        .routes(routes!(training::balance))
        .routes(routes!(training::leads))
}

/// The OpenAPI document of every API route.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api_routes().into_openapi()
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    let (api, document) = api_routes().split_for_parts();
    // Swagger UI's own script sets inline styles; this page alone may use them.
    let docs = Router::from(SwaggerUi::new(openapi::DOCS_UI_PATH).url(openapi::DOCUMENT_PATH, document)).layer(
        SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"),
        ),
    );
    Router::new()
        .route("/", get(pages::landing))
        .route("/static/app.css", get(pages::stylesheet))
        .merge(web::routes())
        .merge(api)
        .fallback(pages::not_found)
        .with_state(state)
        .merge(docs)
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
