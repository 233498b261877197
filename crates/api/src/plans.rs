//! Plans and results over HTTP: the indicator catalogue (public); targets and survey values
//! entered by staff for their own area (or imported from XLSX); results computed from the
//! records for a period and area, rolled up, with % of plan and last year, as JSON, CSV, XLSX
//! or an SVG chart. A commune's staff plan and see their commune, a province's staff the
//! province and its communes, administrators everything.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caunoi_domain::access::Role;
use caunoi_domain::plans::{Figure, Indicator, IndicatorCatalog, ManualValue, Plan, PlanArea, PlanPeriod, ReportPeriod};
use caunoi_domain::{AdminCatalog, ValidationError};
use caunoi_store::plans::{self as store_plans, Breakdown, PlanImport, ResultArea, ResultQuery, ResultsReport};
use chrono::{NaiveDate, Utc};

use crate::accounts::invalid;
use crate::auth::{Caller, forbidden};
use crate::export::{ExportFormat, export};
use crate::extract::{Body, Params};
use crate::openapi::{Forbidden, Invalid, Unauthenticated};
use crate::{ApiError, AppState};

fn outside_area() -> ApiError {
    forbidden("OUTSIDE_AREA", "Địa bàn này nằm ngoài phạm vi quản lý của bạn.", "This area is outside yours.")
}

/// Whether the caller's role covers `area` (a commune, a province, or the nation).
fn covers(role: &Role, area: &ResultArea) -> bool {
    let province_of = |commune: &caunoi_domain::CommuneCode| AdminCatalog::embedded().commune(commune).map(|c| c.province_code.clone());
    match (role, area) {
        (Role::Admin, _) => true,
        (Role::ProvinceStaff { province }, ResultArea::Province(p)) => p == province,
        (Role::ProvinceStaff { province }, ResultArea::Commune(c)) => province_of(c).as_ref() == Some(province),
        (Role::CommuneStaff { commune, .. }, ResultArea::Commune(c)) => c == commune,
        _ => false,
    }
}

fn result_area(area: &PlanArea) -> ResultArea {
    match area {
        PlanArea::Commune(c) => ResultArea::Commune(c.clone()),
        PlanArea::Province(p) => ResultArea::Province(p.clone()),
    }
}

pub(crate) fn require_covers(caller: &Caller, area: &ResultArea) -> Result<(), ApiError> {
    caller.require_staff()?;
    if covers(caller.role(), area) { Ok(()) } else { Err(outside_area()) }
}

/// `GET /api/v1/indicators` — what plans and results are kept for, and how each is computed.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "plans", security(()),
    responses((status = 200, description = "Danh mục chỉ tiêu — the indicator catalogue", body = Vec<Indicator>)))]
pub async fn indicators() -> Json<&'static [Indicator]> {
    Json(IndicatorCatalog::embedded().all())
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct PlanInput {
    /// An indicator code of the catalogue.
    #[schema(example = "workers_referred")]
    indicator: String,
    /// A commune code (5 digits) or a province code (2 digits).
    #[schema(example = "00004")]
    area: String,
    year: i32,
    /// 1–4; absent for the whole year.
    quarter: Option<u8>,
    /// The target (for percent indicators, e.g. 78.5).
    target: Figure,
}

/// `PUT /api/v1/plans` — set the target of an indicator for an area and year (or quarter).
#[utoipa::path(put, path = "/api/v1/plans", tag = "plans", request_body = PlanInput,
    responses((status = 200, description = "Kế hoạch đã lưu — the plan", body = Plan), Unauthenticated, Forbidden, Invalid))]
pub async fn set_plan(State(state): State<AppState>, caller: Caller, Body(input): Body<PlanInput>) -> Result<Json<Plan>, ApiError> {
    let area = PlanArea::parse(&input.area).map_err(|e| invalid(e.for_field("area")))?;
    require_covers(&caller, &result_area(&area))?;
    let plan = Plan {
        indicator: input.indicator,
        area,
        period: PlanPeriod { year: input.year, quarter: input.quarter },
        target: input.target,
        entered_by: Some(caller.0.id),
        entered_at: Utc::now(),
    };
    Ok(Json(store_plans::upsert_plan(&state.store, plan).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanListParams {
    year: i32,
    /// A commune or province code; absent: the caller's own area.
    area: Option<String>,
}

/// The caller's own area as a plan area (administrators have none).
fn own_area(role: &Role) -> Option<PlanArea> {
    match role {
        Role::CommuneStaff { commune, .. } => Some(PlanArea::Commune(commune.clone())),
        Role::ProvinceStaff { province } => Some(PlanArea::Province(province.clone())),
        _ => None,
    }
}

/// `GET /api/v1/plans?year=` — the plans of a year for an area.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PlanListParams),
    responses((status = 200, description = "Kế hoạch — plans", body = Vec<Plan>), Unauthenticated, Forbidden, Invalid))]
pub async fn list_plans(State(state): State<AppState>, caller: Caller, Params(params): Params<PlanListParams>) -> Result<Json<Vec<Plan>>, ApiError> {
    caller.require_staff()?;
    let area = match params.area {
        Some(code) => Some(PlanArea::parse(&code).map_err(|e| invalid(e.for_field("area")))?),
        None => own_area(caller.role()),
    };
    match &area {
        Some(area) => require_covers(&caller, &result_area(area))?,
        None => require_covers(&caller, &ResultArea::Nation)?,
    }
    Ok(Json(store_plans::plans_of_year(&state.store, params.year, area.as_ref()).await?))
}

/// `POST /api/v1/plans/import` — an XLSX sheet "Mã chỉ tiêu | Địa bàn | Năm | Quý | Kế hoạch"
/// (headers with or without diacritics): all rows applied, or none and every bad row reported
/// with its number.
#[utoipa::path(post, path = "/api/v1/plans/import", tag = "plans",
    request_body(content = Vec<u8>, description = "Tệp XLSX — the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, description = "Số kế hoạch đã lưu, hoặc các dòng bị từ chối — applied count or the refused rows", body = PlanImport), Unauthenticated, Forbidden))]
pub async fn import_plans(State(state): State<AppState>, caller: Caller, body: axum::body::Bytes) -> Result<Json<PlanImport>, ApiError> {
    caller.require_staff()?;
    // Every row must lie in the caller's area before anything is written.
    if let Ok(plans) = store_plans::read_plan_sheet(&body, Some(caller.0.id), Utc::now())
        && plans.iter().any(|p| !covers(caller.role(), &result_area(&p.area)))
    {
        return Err(outside_area());
    }
    Ok(Json(store_plans::import_plans_xlsx(&state.store, &body, Some(caller.0.id)).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ManualInput {
    /// A manual indicator (e.g. `trained_labour_ratio`).
    indicator: String,
    area: String,
    year: i32,
    quarter: Option<u8>,
    value: Figure,
    /// Where the figure comes from ("Điều tra lao động việc làm 2026").
    source_note: String,
}

/// `PUT /api/v1/manual-values` — the value of a manual indicator for an area and period.
#[utoipa::path(put, path = "/api/v1/manual-values", tag = "plans", request_body = ManualInput,
    responses((status = 200, description = "Đã lưu — recorded", body = ManualValue), Unauthenticated, Forbidden, Invalid))]
pub async fn set_manual_value(State(state): State<AppState>, caller: Caller, Body(input): Body<ManualInput>) -> Result<Json<ManualValue>, ApiError> {
    let area = PlanArea::parse(&input.area).map_err(|e| invalid(e.for_field("area")))?;
    require_covers(&caller, &result_area(&area))?;
    let period = PlanPeriod { year: input.year, quarter: input.quarter };
    Ok(Json(store_plans::record_manual_value(&state.store, &input.indicator, area, period, input.value, &input.source_note, Some(caller.0.id)).await?))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultParams {
    /// `nation`, a province code or a commune code; absent: the caller's own area.
    area: Option<String>,
    /// A year; with `quarter` or `month` a part of it.
    year: Option<i32>,
    quarter: Option<u8>,
    month: Option<u8>,
    /// Or an inclusive range of days (may cross a year).
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// Indicator codes, comma-separated; absent: all.
    indicators: Option<String>,
    /// `province` or `commune`: one row per sub-area as well.
    breakdown: Option<Breakdown>,
    format: Option<ExportFormat>,
}

pub(crate) fn parse_area(code: Option<&str>, role: &Role) -> Result<ResultArea, ApiError> {
    match code {
        Some("nation") => Ok(ResultArea::Nation),
        Some(code) => Ok(result_area(&PlanArea::parse(code).map_err(|e| invalid(e.for_field("area")))?)),
        None => Ok(own_area(role).map_or(ResultArea::Nation, |a| result_area(&a))),
    }
}

fn parse_period(params: &ResultParams) -> Result<ReportPeriod, ApiError> {
    match (params.year, params.quarter, params.month, params.from, params.to) {
        (Some(year), None, None, None, None) => Ok(ReportPeriod::Year(year)),
        (Some(year), Some(quarter), None, None, None) => Ok(ReportPeriod::Quarter { year, quarter }),
        (Some(year), None, Some(month), None, None) => Ok(ReportPeriod::Month { year, month }),
        (None, None, None, Some(from), Some(to)) => Ok(ReportPeriod::Range { from, to }),
        _ => Err(invalid(ValidationError::new(
            "period",
            "period.required",
            "Chọn kỳ báo cáo: năm (year), quý (year + quarter), tháng (year + month) hoặc khoảng ngày (from + to).",
            "Give a year, a year and quarter, a year and month, or from and to.",
        ))),
    }
}

/// `GET /api/v1/results` — actuals computed from the records, with % of plan ("112,06%") and
/// the same period last year; JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/results", tag = "plans", params(ResultParams),
    responses((status = 200, description = "Kết quả thực hiện so với kế hoạch — results against plan (JSON; or CSV / XLSX with `format`)", body = ResultsReport), Unauthenticated, Forbidden, Invalid))]
pub async fn results(State(state): State<AppState>, caller: Caller, Params(params): Params<ResultParams>) -> Result<Response, ApiError> {
    let area = parse_area(params.area.as_deref(), caller.role())?;
    require_covers(&caller, &area)?;
    let query = ResultQuery {
        area,
        period: parse_period(&params)?,
        indicators: params.indicators.as_deref().map(|list| list.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()),
        breakdown: params.breakdown,
    };
    let report = store_plans::results(&state.store, &query).await?;
    export(params.format, &report, "ket-qua-thuc-hien", || report.to_csv(), || report.to_xlsx())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartParams {
    indicator: String,
    year: i32,
    /// `nation`, a province or a commune code; absent: the caller's own area.
    area: Option<String>,
}

/// `GET /api/v1/results/chart.svg` — achievement over the months of a year: monthly actuals,
/// the cumulative actual and the yearly plan (self-contained SVG).
#[utoipa::path(get, path = "/api/v1/results/chart.svg", tag = "plans", params(ChartParams),
    responses((status = 200, description = "Biểu đồ (SVG) — the chart", content_type = "image/svg+xml", body = String), Unauthenticated, Forbidden, Invalid))]
pub async fn chart(State(state): State<AppState>, caller: Caller, Params(params): Params<ChartParams>) -> Result<Response, ApiError> {
    let area = parse_area(params.area.as_deref(), caller.role())?;
    require_covers(&caller, &area)?;
    let svg = store_plans::achievement_chart(&state.store, &area, &params.indicator, params.year).await?;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}
