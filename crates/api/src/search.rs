//! Public vacancy search and typeahead. Worker-profile search is for staff and waits for
//! accounts and roles (the API issue); it is not exposed here.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caunoi_domain::{CommuneCode, IscoCode, ValidationError};
use caunoi_search::{Near, SortBy, Suggestion, VacancyQuery, VacancyResults};
use chrono::NaiveDate;

use crate::extract::Params;
use crate::openapi::Invalid;
use crate::{ApiError, AppState};

/// Results per page unless asked otherwise, and the most a page may hold.
const DEFAULT_PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 100;

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Free text, diacritics optional.
    pub(crate) q: Option<String>,
    /// Province code (2025), e.g. `01`.
    pub(crate) province: Option<String>,
    /// Commune code (2025), e.g. `00004`.
    pub(crate) commune: Option<String>,
    /// A commune code; with `radius_km` (default 20 km).
    pub(crate) near: Option<String>,
    pub(crate) radius_km: Option<f64>,
    /// ISCO-08 code at any level (1–4 digits): `7` finds every craft job, `7212` welders.
    pub(crate) isco: Option<String>,
    /// `true`: overseas job orders only; `false`: domestic only.
    pub(crate) overseas: Option<bool>,
    /// Destination country (ISO alpha-2), e.g. `JP`.
    pub(crate) country: Option<String>,
    /// `titp`, `ssw`, `eps`, `seasonal_e8`…
    pub(crate) programme: Option<String>,
    /// Employment type: `full_time`, `part_time`, `seasonal`…
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub(crate) employment_type: Option<String>,
    /// `true` (default): only vacancies open today.
    pub(crate) open: Option<bool>,
    /// Monthly wage bounds in VND (other currencies converted at the configured rate).
    pub(crate) min_salary_vnd: Option<u64>,
    pub(crate) max_salary_vnd: Option<u64>,
    /// `relevance` (default), `newest`, `salary`.
    pub(crate) sort: Option<String>,
    /// From 1.
    pub(crate) page: Option<usize>,
    /// 1–100, default 20.
    pub(crate) per_page: Option<usize>,
}

fn invalid(error: ValidationError) -> ApiError {
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: error.code.to_uppercase().replace('.', "_"),
        field: Some(error.field),
        message_vi: error.message_vi,
        message_en: error.message_en,
    }
}


impl SearchParams {
    pub(crate) fn into_query(self, today: NaiveDate) -> Result<VacancyQuery, ApiError> {
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
        let page = self.page.unwrap_or(1).max(1);
        let sort = match self.sort.as_deref().unwrap_or("relevance") {
            "relevance" => SortBy::Relevance,
            "newest" => SortBy::Newest,
            "salary" => SortBy::SalaryHighest,
            _ => {
                return Err(ApiError::bad_param(
                    "sort",
                    "Cách sắp xếp không hợp lệ; chấp nhận: relevance, newest, salary.",
                    "Unknown sort; expected relevance, newest or salary.",
                ));
            }
        };
        let near = match self.near {
            Some(code) => {
                let commune = CommuneCode::parse(&code).map_err(|e| invalid(e.for_field("near")))?;
                caunoi_domain::AdminCatalog::embedded().require_commune(&commune).map_err(|e| invalid(e.for_field("near")))?;
                let radius_km = self.radius_km.unwrap_or(20.0);
                if !(0.0..=2_000.0).contains(&radius_km) {
                    return Err(ApiError::bad_param("radius_km", "Bán kính phải từ 0 đến 2.000 km.", "radius_km must be between 0 and 2,000."));
                }
                Some(Near { commune, radius_km })
            }
            None => None,
        };
        Ok(VacancyQuery {
            text: self.q.unwrap_or_default(),
            province: self.province,
            commune: self.commune,
            near,
            isco: self.isco.map(|code| IscoCode::parse(&code).map_err(|e| invalid(e.for_field("isco")))).transpose()?,
            overseas: self.overseas,
            country: self.country.map(|c| c.to_uppercase()),
            programme: self.programme,
            employment_type: self.employment_type,
            fair: None,
            open_on: self.open.unwrap_or(true).then_some(today),
            min_salary_vnd: self.min_salary_vnd,
            max_salary_vnd: self.max_salary_vnd,
            sort,
            offset: (page - 1).saturating_mul(per_page),
            limit: per_page,
        })
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    total: usize,
    hits: Vec<Hit>,
    facets: Facets,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Hit {
    id: uuid::Uuid,
    title: String,
    /// HTML: matched words in `<b>`, everything else escaped.
    snippet_html: String,
}

/// Counts per value, as `[value, count]` pairs, largest first.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Facets {
    provinces: Vec<(String, u64)>,
    occupations: Vec<(String, u64)>,
    markets: Vec<(String, u64)>,
    employment_types: Vec<(String, u64)>,
    programmes: Vec<(String, u64)>,
}

impl From<VacancyResults> for SearchResponse {
    fn from(results: VacancyResults) -> Self {
        Self {
            total: results.total,
            hits: results.hits.into_iter().map(|h| Hit { id: h.id, title: h.title, snippet_html: h.snippet }).collect(),
            facets: Facets {
                provinces: results.provinces,
                occupations: results.occupations,
                markets: results.markets,
                employment_types: results.employment_types,
                programmes: results.programmes,
            },
        }
    }
}

/// Searches run on the blocking pool: tantivy reads memory-mapped files.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, caunoi_search::SearchError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(ApiError::internal)?.map_err(ApiError::internal)
}

/// `GET /api/v1/vacancies/search` — full text, filters, facets, pagination.
#[utoipa::path(get, path = "/api/v1/vacancies/search", tag = "search", security(()), params(SearchParams),
    responses((status = 200, description = "Kết quả, có đoạn trích và số đếm theo bộ lọc — hits with snippets and facet counts", body = SearchResponse), Invalid))]
pub async fn vacancies(State(state): State<AppState>, Params(params): Params<SearchParams>) -> Result<Json<SearchResponse>, ApiError> {
    let query = params.into_query(crate::today())?;
    let indexes = Arc::clone(&state.indexes);
    let results = blocking(move || indexes.vacancies.search(&query)).await?;
    Ok(Json(results.into()))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompleteParams {
    /// What has been typed so far, diacritics optional.
    q: Option<String>,
    /// Default 8.
    limit: Option<usize>,
}

/// `GET /api/v1/vacancies/complete?q=tho h` — typeahead over titles, employers and places.
#[utoipa::path(get, path = "/api/v1/vacancies/complete", tag = "search", security(()), params(CompleteParams),
    responses((status = 200, description = "Gợi ý: `{kind: title|employer|place, text, count, code}` — suggestions as the user types", body = Vec<serde_json::Value>), Invalid))]
pub async fn complete(State(state): State<AppState>, Params(params): Params<CompleteParams>) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let typed = params.q.unwrap_or_default();
    let limit = params.limit.unwrap_or(8);
    let indexes = Arc::clone(&state.indexes);
    Ok(Json(blocking(move || indexes.vacancies.complete(&typed, limit)).await?))
}
