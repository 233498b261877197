//! Job fairs over HTTP: staff plan and run fairs of their area; employers ask for booths;
//! seekers take a place (or join the waiting list) and get a QR ticket; staff scan tickets,
//! count anonymous walk-ins, record what happened at the booths, propose interview schedules,
//! follow up hires and export the fair report. Rules live in `caunoi_domain::fairs` and the
//! store; this module checks who is calling and translates.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use caunoi_domain::access::Role;
use caunoi_domain::fairs::{BoothStatus, FairKind, FollowUpStatus, InteractionKind, PlaceStatus, TicketToken};
use caunoi_domain::records::{FairFormat, FairStatus, JobFair, JobFairId, PriorityGroup, VacancyId, WorkerId};
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_matching::{
    EligibilityContext, InterviewOption, Matcher, Outcome, Schedule, ScheduleRequest, Seeker, VacancyFeatures, WageConversion,
    WorkerFeatures, schedule,
};
use caunoi_store::fair_report::{self, FairReport, Period, RollupArea, RollupRow};
use caunoi_store::fairs::{self, Amendment, Booth, CheckIn, DueFollowUp, Fair, FairFilter, FairPlan, FollowUp, Interaction, Place};
use caunoi_store::records;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::auth::{Caller, forbidden};
use crate::error::ErrorBody;
use crate::export::{ExportFormat, export};
use crate::extract::{Body, Params, Path};
use crate::openapi::{Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::workers::{WorkerInput, record, walk_in_or_existing};
use crate::{ApiError, AppState};

const FAIR_ID: &str = "Mã phiên giao dịch việc làm — fair id";


fn province_of(fair: &JobFair) -> Option<ProvinceCode> {
    fair.province_code()
}

/// Staff whose area holds the fair's venue commune.
fn require_staff_of(caller: &Caller, fair: &JobFair) -> Result<(), ApiError> {
    caller.require_staff()?;
    let province = province_of(fair).ok_or_else(|| ApiError::internal("fair commune without province"))?;
    if caller.role().covers(&fair.commune_code, &province) {
        Ok(())
    } else {
        Err(forbidden(
            "OUTSIDE_AREA",
            "Phiên giao dịch này thuộc địa bàn khác; bạn chỉ quản lý được phiên trong địa bàn của mình.",
            "This fair is outside your area.",
        ))
    }
}

fn is_staff_of(caller: Option<&Caller>, fair: &JobFair) -> bool {
    caller.is_some_and(|c| require_staff_of(c, fair).is_ok())
}



// ---------------------------------------------------------------------------------------------
// Fairs

/// A fair as staff plan it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct FairInput {
    /// Human reference, unique: "PGD-2026-0042".
    #[schema(example = "PGD-2026-0042")]
    code: String,
    #[schema(example = "Phiên giao dịch việc làm lưu động xã Ba Đình")]
    title: String,
    #[serde(default = "onsite")]
    format: FairFormat,
    kind: Option<FairKind>,
    /// Organising centre, e.g. "Trung tâm Dịch vụ việc làm Hà Nội".
    organiser: String,
    commune_code: CommuneCode,
    venue: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// Places for seekers (pre-registered and walk-ins); absent: unlimited.
    capacity: Option<u32>,
    #[serde(default)]
    target_groups: Vec<PriorityGroup>,
    #[serde(default)]
    co_hosts: Vec<String>,
    online_url: Option<String>,
}

fn onsite() -> FairFormat {
    FairFormat::Onsite
}

/// `POST /api/v1/fairs` — staff plan a fair in their area (it starts as a draft).
#[utoipa::path(post, path = "/api/v1/fairs", tag = "fairs", request_body = FairInput,
    responses((status = 201, description = "Phiên đã tạo (bản nháp) — fair created as a draft", body = Fair), Unauthenticated, Forbidden, Invalid, Conflict))]
pub async fn create(State(state): State<AppState>, caller: Caller, Body(input): Body<FairInput>) -> Result<(StatusCode, Json<Fair>), ApiError> {
    let fair = JobFair {
        id: JobFairId::new(),
        code: input.code,
        title: input.title,
        format: input.format,
        organiser: input.organiser,
        commune_code: input.commune_code,
        venue: input.venue,
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        status: FairStatus::Draft,
    };
    if caunoi_domain::AdminCatalog::embedded().commune(&fair.commune_code).is_none() {
        return Err(crate::accounts::invalid(caunoi_domain::ValidationError::new(
            "commune_code",
            "commune_code.unknown",
            format!("Không có xã/phường mã {}.", fair.commune_code),
            format!("No commune has code {}.", fair.commune_code),
        )));
    }
    require_staff_of(&caller, &fair)?;
    let plan = FairPlan { kind: input.kind, capacity: input.capacity, target_groups: input.target_groups, co_hosts: input.co_hosts, online_url: input.online_url };
    Ok((StatusCode::CREATED, Json(fairs::create_fair(&state.store, fair, plan).await?)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FairListParams {
    province: Option<String>,
    commune: Option<String>,
    status: Option<FairStatus>,
    /// Fairs starting on or after this day (yyyy-mm-dd).
    from: Option<NaiveDate>,
    /// … and on or before this day.
    to: Option<NaiveDate>,
    /// A commune code (a seeker's home): only fairs within `radius_km` of it (default 30 km),
    /// nearest first.
    near: Option<CommuneCode>,
    radius_km: Option<f64>,
}

/// How far "near me" reaches unless asked otherwise: a bus ride to a neighbouring commune.
const NEAR_RADIUS_KM: f64 = 30.0;

/// `GET /api/v1/fairs` — announced fairs for everyone; staff also see drafts and cancelled
/// fairs of their area.
#[utoipa::path(get, path = "/api/v1/fairs", tag = "fairs", security((), ("session" = []), ("bearer" = [])), params(FairListParams),
    responses((status = 200, description = "Các phiên giao dịch việc làm — fairs", body = Vec<Fair>), Invalid))]
pub async fn list(State(state): State<AppState>, caller: Option<Caller>, Params(params): Params<FairListParams>) -> Result<Json<Vec<Fair>>, ApiError> {
    let filter = FairFilter { province: params.province, commune: params.commune, status: params.status, public_only: false, from: params.from, to: params.to };
    let found = fairs::list_fairs(&state.store, &filter).await?;
    let visible = found.into_iter().filter(|f| f.fair.status.is_public() || is_staff_of(caller.as_ref(), &f.fair));
    let Some(home) = params.near else { return Ok(Json(visible.collect())) };
    let catalog = caunoi_domain::AdminCatalog::embedded();
    catalog.require_commune(&home).map_err(|e| crate::accounts::invalid(e.for_field("near")))?;
    let radius = params.radius_km.unwrap_or(NEAR_RADIUS_KM);
    if !(0.0..=2_000.0).contains(&radius) {
        return Err(ApiError::bad_param("radius_km", "Bán kính phải từ 0 đến 2.000 km.", "radius_km must be between 0 and 2,000."));
    }
    let mut near: Vec<(f64, Fair)> = visible
        .filter_map(|f| catalog.distance_km(&home, &f.fair.commune_code).filter(|d| *d <= radius).map(|d| (d, f)))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(Json(near.into_iter().map(|(_, f)| f).collect()))
}

/// `GET /api/v1/fairs/{id}`
#[utoipa::path(get, path = "/api/v1/fairs/{id}", tag = "fairs", security((), ("session" = []), ("bearer" = [])), params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Phiên giao dịch — the fair", body = Fair), NotFound))]
pub async fn get_one(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<Uuid>) -> Result<Json<Fair>, ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    if fair.fair.status.is_public() || is_staff_of(caller.as_ref(), &fair.fair) { Ok(Json(fair)) } else { Err(ApiError::not_found()) }
}

/// Loads a fair for staff of its area.
async fn fair_for_staff(state: &AppState, caller: &Caller, id: Uuid) -> Result<Fair, ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    require_staff_of(caller, &fair.fair)?;
    Ok(fair)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// The next state: `planned`, `announced`, `registration_open`, `in_progress`, `closed`,
    /// `results_entered`, `reported`, or `cancelled` (before `in_progress`).
    to: FairStatus,
}

/// `POST /api/v1/fairs/{id}/status` — move the fair along its life cycle (staff of the area).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/status", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = StatusChange,
    responses((status = 200, description = "Trạng thái mới — the fair in its new state", body = Fair), Unauthenticated, Forbidden, NotFound,
        (status = 422, description = "Chuyển trạng thái không hợp lệ — FAIR_TRANSITION, with the allowed moves", body = ErrorBody)))]
pub async fn change_status(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(change): Body<StatusChange>) -> Result<Json<Fair>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    Ok(Json(fairs::transition_fair(&state.store, JobFairId(id), change.to, Some(caller.0.id)).await?))
}

/// `POST /api/v1/fairs/{id}/amendments` — a correction to a reported fair, with its reason.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/amendments", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = Amendment,
    responses((status = 200, description = "Đã ghi đính chính — amendment recorded", body = Fair), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn amend(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(amendment): Body<Amendment>) -> Result<Json<Fair>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    Ok(Json(fairs::amend_fair(&state.store, JobFairId(id), amendment, Some(caller.0.id)).await?))
}

// ---------------------------------------------------------------------------------------------
// Booths

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct BoothRequest {
    /// The employer's own open vacancies (overseas job orders: licensed enterprises only).
    vacancies: Vec<Uuid>,
    /// Interviews the booth can hold at once in each time slot of the fair.
    #[schema(example = json!([2, 2, 1, 1]))]
    slot_capacity: Vec<u32>,
}

/// `POST /api/v1/fairs/{id}/booths` — an employer asks for a booth.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/booths", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = BoothRequest,
    responses((status = 201, description = "Đã gửi đăng ký gian hàng, chờ duyệt — booth requested", body = Booth), Unauthenticated, Forbidden, NotFound, Invalid, Conflict))]
pub async fn request_booth(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(request): Body<BoothRequest>) -> Result<(StatusCode, Json<Booth>), ApiError> {
    let employer = caller.employer()?;
    let vacancies = request.vacancies.into_iter().map(VacancyId).collect();
    let booth = fairs::request_booth(&state.store, JobFairId(id), employer, vacancies, request.slot_capacity).await?;
    Ok((StatusCode::CREATED, Json(booth)))
}

/// `GET /api/v1/fairs/{id}/booths` — approved booths for everyone; staff of the area see all,
/// an employer also its own requests.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/booths", tag = "fairs", security((), ("session" = []), ("bearer" = [])), params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Gian hàng — booths", body = Vec<Booth>), NotFound))]
pub async fn list_booths(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<Uuid>) -> Result<Json<Vec<Booth>>, ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    let staff = is_staff_of(caller.as_ref(), &fair.fair);
    if !fair.fair.status.is_public() && !staff {
        return Err(ApiError::not_found());
    }
    let employer = caller.as_ref().and_then(|c| c.employer().ok());
    let booths = fairs::booths(&state.store, JobFairId(id)).await?;
    Ok(Json(booths.into_iter().filter(|b| staff || b.status == BoothStatus::Approved || Some(b.employer_id) == employer).collect()))
}

/// `GET /api/v1/fairs/{id}/vacancies` — the openings of the fair's approved booths, for the
/// fair page and the outcome form at the booth.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/vacancies", tag = "fairs", security((), ("session" = []), ("bearer" = [])), params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Việc làm tại các gian hàng đã duyệt — openings at approved booths", body = Vec<caunoi_domain::records::Vacancy>), NotFound))]
pub async fn fair_vacancies(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<Uuid>) -> Result<Json<Vec<caunoi_domain::records::Vacancy>>, ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    if !fair.fair.status.is_public() && !is_staff_of(caller.as_ref(), &fair.fair) {
        return Err(ApiError::not_found());
    }
    let ids: Vec<VacancyId> = fairs::booths(&state.store, JobFairId(id))
        .await?
        .into_iter()
        .filter(|b| b.status == BoothStatus::Approved)
        .flat_map(|b| b.vacancies)
        .collect();
    Ok(Json(caunoi_store::records::vacancies_by_ids(&state.store, &ids).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct BoothDecision {
    approve: bool,
}

/// `POST /api/v1/fairs/{id}/booths/{booth}/decision` — staff approve (a booth number is given)
/// or reject.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/booths/{booth}/decision", tag = "fairs",
    params(("id" = Uuid, Path, description = FAIR_ID), ("booth" = Uuid, Path, description = "Mã gian hàng — booth id")), request_body = BoothDecision,
    responses((status = 200, description = "Đã quyết định — decided", body = Booth), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn decide_booth(State(state): State<AppState>, caller: Caller, Path((id, booth)): Path<(Uuid, Uuid)>, Body(decision): Body<BoothDecision>) -> Result<Json<Booth>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    if !fairs::booths(&state.store, JobFairId(id)).await?.iter().any(|b| b.id == booth) {
        return Err(ApiError::not_found());
    }
    Ok(Json(fairs::decide_booth(&state.store, booth, decision.approve, Some(caller.0.id)).await?))
}

// ---------------------------------------------------------------------------------------------
// Seekers' places and tickets

/// Staff register a walk-in by an existing profile, or by the profile itself (matched by CCCD
/// or phone to an existing one when there is one). Seekers send nothing.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PlaceRequest {
    worker_id: Option<Uuid>,
    worker: Option<WorkerInput>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PlaceView {
    #[serde(flatten)]
    place: Place,
    /// For staff walk-ins given a profile: whether it matched an existing one by CCCD/phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_existing_profile: Option<bool>,
    /// "Bạn ở vị trí số 3 trong danh sách chờ" / "Đã xác nhận chỗ".
    message: String,
}

fn place_message(place: &Place) -> String {
    match (place.status, place.waiting_position) {
        (PlaceStatus::Confirmed, _) => "Đã xác nhận chỗ; mang mã QR đến phiên để check-in.".into(),
        (PlaceStatus::Waiting, Some(position)) => format!("Phiên đã đủ chỗ; bạn ở vị trí số {position} trong danh sách chờ, sẽ được tự động xác nhận khi có chỗ."),
        (PlaceStatus::Waiting, None) => "Bạn đang trong danh sách chờ.".into(),
        (PlaceStatus::Cancelled, _) => "Đã hủy đăng ký.".into(),
    }
}

fn view(place: Place, matched_existing_profile: Option<bool>) -> PlaceView {
    let message = place_message(&place);
    PlaceView { place, matched_existing_profile, message }
}

/// `POST /api/v1/fairs/{id}/places` — a seeker takes a place (confirmed while places remain,
/// else the waiting list); staff register walk-ins on the day.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/places", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = PlaceRequest,
    responses((status = 201, description = "Đã đăng ký: xác nhận hoặc danh sách chờ, kèm mã vé — registered (confirmed or waiting), with the ticket", body = PlaceView),
        Unauthenticated, Forbidden, NotFound, Invalid, Conflict))]
pub async fn register(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(request): Body<PlaceRequest>) -> Result<(StatusCode, Json<PlaceView>), ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    let (worker, walk_in, matched) = if caller.role().is_staff() {
        require_staff_of(&caller, &fair.fair)?;
        match (request.worker_id, request.worker) {
            (Some(worker), _) => {
                let profile = records::get_worker(&state.store, WorkerId(worker)).await?;
                let basis = caunoi_domain::access::may_read_worker(&caller.actor(), &profile).map_err(crate::workers::denied)?;
                record(&state, &caller.actor(), "fair_walk_in", profile.id, basis.code(), Some(format!("fair {id}"))).await?;
                (profile.id, true, None)
            }
            (None, Some(input)) => {
                let (worker, existed) = walk_in_or_existing(&state, &caller, input).await?;
                (worker, true, Some(existed))
            }
            (None, None) => {
                return Err(crate::accounts::invalid(caunoi_domain::ValidationError::new(
                    "worker",
                    "worker.required",
                    "Cần chọn hồ sơ (worker_id) hoặc nhập hồ sơ người lao động (worker).",
                    "Give worker_id or the worker's profile.",
                )));
            }
        }
    } else {
        (caller.profile()?, false, None)
    };
    let place = fairs::register_seeker(&state.store, JobFairId(id), worker, walk_in).await?;
    Ok((StatusCode::CREATED, Json(view(place, matched))))
}

/// `GET /api/v1/fairs/{id}/places/me` — the caller's place, ticket and waiting position.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/places/me", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Chỗ của mình — the caller's place", body = PlaceView), Unauthenticated, Forbidden, NotFound))]
pub async fn my_place(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<PlaceView>, ApiError> {
    let worker = caller.profile()?;
    let place = fairs::place_of(&state.store, JobFairId(id), worker).await?.ok_or_else(ApiError::not_found)?;
    Ok(Json(view(place, None)))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Cancellation {
    cancelled: Place,
    /// Who got the freed place from the waiting list (their id only).
    promoted_worker_id: Option<Uuid>,
}

/// `DELETE /api/v1/fairs/{id}/places/me` — give the place back; the first on the waiting list
/// gets it.
#[utoipa::path(delete, path = "/api/v1/fairs/{id}/places/me", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Đã hủy — cancelled", body = Cancellation), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn cancel_my_place(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Cancellation>, ApiError> {
    let worker = caller.profile()?;
    let (cancelled, promoted) = fairs::cancel_place(&state.store, JobFairId(id), worker).await?;
    Ok(Json(Cancellation { cancelled, promoted_worker_id: promoted.map(|p| p.worker_id.0) }))
}

/// `GET /api/v1/fairs/{id}/places/me/ticket.svg` — the QR ticket: it encodes only the opaque
/// token, nothing personal.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/places/me/ticket.svg", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Mã QR (SVG) — the QR code", content_type = "image/svg+xml", body = String), Unauthenticated, Forbidden, NotFound))]
pub async fn my_ticket(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Response, ApiError> {
    let worker = caller.profile()?;
    let place = fairs::place_of(&state.store, JobFairId(id), worker).await?.ok_or_else(ApiError::not_found)?;
    let code = qrcode::QrCode::new(place.ticket.as_str().as_bytes()).map_err(ApiError::internal)?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg).into_response())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PlaceList {
    confirmed: u32,
    waiting: u32,
    checked_in: u32,
    /// Places in registration order (worker ids and statuses; no personal data).
    places: Vec<Place>,
}

/// `GET /api/v1/fairs/{id}/places` — staff of the area.
#[utoipa::path(get, path = "/api/v1/fairs/{id}/places", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Danh sách đăng ký — places", body = PlaceList), Unauthenticated, Forbidden, NotFound))]
pub async fn list_places(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<PlaceList>, ApiError> {
    let fair = fair_for_staff(&state, &caller, id).await?;
    let places = fairs::places(&state.store, JobFairId(id)).await?;
    Ok(Json(PlaceList { confirmed: fair.confirmed, waiting: fair.waiting, checked_in: fair.checked_in, places }))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Scan {
    /// What the QR code holds.
    ticket: TicketToken,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CheckedIn {
    worker_id: Uuid,
    checked_in_at: DateTime<Utc>,
    message: String,
}

fn time_vi(at: DateTime<Utc>) -> String {
    // Vietnam has kept UTC+7 all year since 1975.
    let local = at + chrono::Duration::hours(7);
    local.format("%H:%M %d/%m/%Y").to_string()
}

/// `POST /api/v1/fairs/{id}/check-ins` — scan a ticket (staff of the area, while the fair is
/// in progress). Exactly once: a second scan is a 409 saying when it was checked in.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/check-ins", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = Scan,
    responses((status = 200, description = "Check-in thành công — checked in", body = CheckedIn), Unauthenticated, Forbidden, NotFound, Invalid,
        (status = 409, description = "Vé đã check-in trước đó — ALREADY_CHECKED_IN, \"đã check-in lúc …\"", body = ErrorBody)))]
pub async fn check_in(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(scan): Body<Scan>) -> Result<Json<CheckedIn>, ApiError> {
    // The plain record (no place counts): this route takes a scan every millisecond at the door.
    require_staff_of(&caller, &records::get_fair(&state.store, JobFairId(id)).await?)?;
    match fairs::check_in(&state.store, JobFairId(id), &scan.ticket, Utc::now()).await? {
        CheckIn::First(place) => {
            let at = place.checked_in_at.unwrap_or_else(Utc::now);
            Ok(Json(CheckedIn { worker_id: place.worker_id.0, checked_in_at: at, message: format!("Check-in thành công lúc {}.", time_vi(at)) }))
        }
        CheckIn::Again(place) => {
            let at = place.checked_in_at.map(time_vi).unwrap_or_default();
            Err(ApiError::Client {
                status: StatusCode::CONFLICT,
                code: "ALREADY_CHECKED_IN".into(),
                field: Some("ticket".into()),
                message_vi: format!("Vé này đã check-in lúc {at}."),
                message_en: format!("This ticket was already checked in at {at} (Vietnam time)."),
            })
        }
    }
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Headcount {
    /// People who came in without giving any identity (counted, never named).
    count: u32,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct HeadcountTotal {
    anonymous_total: u32,
}

/// `POST /api/v1/fairs/{id}/headcounts` — anonymous walk-ins counted at the door.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/headcounts", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = Headcount,
    responses((status = 200, description = "Tổng số người vào không khai danh tính — the anonymous total", body = HeadcountTotal), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn headcount(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(count): Body<Headcount>) -> Result<Json<HeadcountTotal>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    let anonymous_total = fairs::record_headcount(&state.store, JobFairId(id), count.count, Some(caller.0.id)).await?;
    Ok(Json(HeadcountTotal { anonymous_total }))
}

// ---------------------------------------------------------------------------------------------
// At the booths

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct InteractionInput {
    /// Staff and employers name the seeker; a seeker marking interest sends nothing.
    worker_id: Option<Uuid>,
    vacancy_id: Option<Uuid>,
    kind: InteractionKind,
    note: Option<String>,
}

/// `POST /api/v1/fairs/{id}/interactions` — a seeker marks interest in a vacancy; staff of the
/// area or the booth's employer record what happened (interviewed, passed, hired on the spot,
/// CV taken, appointment, training or overseas sign-up).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/interactions", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = InteractionInput,
    responses((status = 201, description = "Đã ghi nhận — recorded", body = Interaction), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn record_interaction(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<InteractionInput>) -> Result<(StatusCode, Json<Interaction>), ApiError> {
    let fair = fairs::get_fair(&state.store, JobFairId(id)).await?;
    let vacancy = input.vacancy_id.map(VacancyId);
    let (worker, employer) = match caller.role() {
        Role::Seeker { .. } => {
            if input.kind != InteractionKind::Interested {
                return Err(forbidden("STAFF_OR_BOOTH_ONLY", "Người tìm việc chỉ đánh dấu được việc làm quan tâm.", "Seekers may only mark interest."));
            }
            (caller.profile()?, None)
        }
        Role::Employer { employer, .. } => {
            let booths = fairs::booths(&state.store, JobFairId(id)).await?;
            let at_booth = booths.iter().any(|b| b.employer_id == *employer && b.status == BoothStatus::Approved && vacancy.is_some_and(|v| b.vacancies.contains(&v)));
            if !at_booth {
                return Err(forbidden("NOT_YOUR_BOOTH", "Doanh nghiệp chỉ ghi kết quả cho việc làm tại gian hàng của mình.", "Employers record outcomes for their own booth's vacancies only."));
            }
            (WorkerId(input.worker_id.ok_or_else(|| missing("worker_id"))?), Some(*employer))
        }
        _ => {
            require_staff_of(&caller, &fair.fair)?;
            (WorkerId(input.worker_id.ok_or_else(|| missing("worker_id"))?), None)
        }
    };
    let interaction = Interaction {
        id: Uuid::now_v7(),
        fair_id: JobFairId(id),
        worker_id: worker,
        vacancy_id: vacancy,
        employer_id: employer,
        kind: input.kind,
        note: input.note,
        at: Utc::now(),
        recorded_by: Some(caller.0.id),
    };
    Ok((StatusCode::CREATED, Json(fairs::record_interaction(&state.store, interaction).await?)))
}

fn missing(field: &str) -> ApiError {
    crate::accounts::invalid(caunoi_domain::ValidationError::new(
        field.to_owned(),
        "field.required",
        format!("Thiếu trường \"{field}\"."),
        format!("The field \"{field}\" is required."),
    ))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ScheduleParams {
    /// At most this many interviews per seeker (default 3).
    max_interviews: Option<u32>,
    /// Only seekers already checked in (default: every confirmed place).
    #[serde(default)]
    checked_in_only: bool,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ScheduleProposal {
    /// Interviews by slot: seeker, booth's employer, vacancy, match score.
    #[schema(value_type = Object)]
    schedule: Schedule,
    /// Pairs considered (seeker × booth vacancy, eligible or not yet known).
    options: usize,
}

/// `POST /api/v1/fairs/{id}/schedule` — an interview schedule proposal: the matching engine's
/// exact assignment maximising the total match score within each booth's capacity per slot,
/// each seeker's maximum and never two interviews of one seeker in one slot.
#[utoipa::path(post, path = "/api/v1/fairs/{id}/schedule", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = ScheduleParams,
    responses((status = 200, description = "Lịch phỏng vấn đề xuất — proposed schedule", body = ScheduleProposal), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn propose_schedule(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(params): Body<ScheduleParams>) -> Result<Json<ScheduleProposal>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    let booths: Vec<Booth> = fairs::booths(&state.store, JobFairId(id)).await?.into_iter().filter(|b| b.status == BoothStatus::Approved).collect();
    let slots = booths.iter().map(|b| b.slot_capacity.len()).max().unwrap_or(0);
    let places: Vec<Place> = fairs::places(&state.store, JobFairId(id))
        .await?
        .into_iter()
        .filter(|p| p.status == PlaceStatus::Confirmed && (!params.checked_in_only || p.checked_in_at.is_some()))
        .collect();
    let worker_ids: Vec<WorkerId> = places.iter().map(|p| p.worker_id).collect();
    let workers: Vec<WorkerFeatures> = records::workers_by_ids(&state.store, &worker_ids).await?.iter().map(WorkerFeatures::from_profile).collect();
    let vacancy_ids: Vec<VacancyId> = booths.iter().flat_map(|b| b.vacancies.iter().copied()).collect();
    let wages = WageConversion::default();
    let vacancies: HashMap<Uuid, VacancyFeatures> =
        records::vacancies_by_ids(&state.store, &vacancy_ids).await?.iter().map(|v| (v.id.0, VacancyFeatures::from_vacancy(v, &wages))).collect();
    let max_interviews = params.max_interviews.unwrap_or(3).clamp(1, 16);
    let today = crate::today();
    let request = tokio::task::spawn_blocking(move || {
        let matcher = Matcher::default();
        let context = EligibilityContext::on(today);
        // Every eligible (or not yet decidable) pair; the scheduler keeps each seeker's best
        // vacancy per employer, since a seeker meets an employer once.
        let mut options = Vec::new();
        for booth in &booths {
            for vacancy_id in &booth.vacancies {
                let Some(vacancy) = vacancies.get(&vacancy_id.0) else { continue };
                for worker in &workers {
                    let (outcome, score) = matcher.score_pair(worker, vacancy, &context);
                    if outcome != Outcome::Fail {
                        options.push(InterviewOption { seeker: worker.id, employer: booth.employer_id.0, vacancy: vacancy_id.0, score });
                    }
                }
            }
        }
        let employers = booths
            .iter()
            .map(|b| {
                let mut capacity = b.slot_capacity.clone();
                capacity.resize(slots, 0);
                caunoi_matching::Employer { id: b.employer_id.0, capacity }
            })
            .collect();
        ScheduleRequest { slots, seekers: workers.iter().map(|w| Seeker { id: w.id, max_interviews }).collect(), employers, options }
    })
    .await
    .map_err(ApiError::internal)?;
    let options = request.options.len();
    let result = schedule(&request).map_err(|e| ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "SCHEDULE_INVALID".into(),
        field: None,
        message_vi: format!("Không lập được lịch: {}", e.message_vi),
        message_en: e.message_en.clone(),
    })?;
    Ok(Json(ScheduleProposal { schedule: result, options }))
}

// ---------------------------------------------------------------------------------------------
// Follow-up and reports

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct FollowUpInput {
    /// The `hired_on_spot` interaction followed up.
    interaction_id: Uuid,
    /// 30 or 90.
    day: u16,
    status: FollowUpStatus,
}

/// `GET /api/v1/fairs/{id}/follow-ups` — hires whose 30- or 90-day check is due (staff).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/follow-ups", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)),
    responses((status = 200, description = "Các lượt kiểm tra đến hạn — due follow-ups", body = Vec<DueFollowUp>), Unauthenticated, Forbidden, NotFound))]
pub async fn due_follow_ups(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<DueFollowUp>>, ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    Ok(Json(fairs::due_follow_ups(&state.store, JobFairId(id), crate::today()).await?))
}

/// `POST /api/v1/fairs/{id}/follow-ups` — record a 30- or 90-day check (staff).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/follow-ups", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID)), request_body = FollowUpInput,
    responses((status = 201, description = "Đã ghi — recorded", body = FollowUp), Unauthenticated, Forbidden, NotFound, Invalid, Conflict))]
pub async fn record_follow_up(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<FollowUpInput>) -> Result<(StatusCode, Json<FollowUp>), ApiError> {
    fair_for_staff(&state, &caller, id).await?;
    let follow_up = FollowUp {
        id: Uuid::now_v7(),
        interaction_id: input.interaction_id,
        day: input.day,
        status: input.status,
        checked_on: crate::today(),
        recorded_by: Some(caller.0.id),
    };
    Ok((StatusCode::CREATED, Json(fairs::record_follow_up(&state.store, follow_up).await?)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// `json` (default), `csv` or `xlsx`.
    format: Option<ExportFormat>,
}

/// `GET /api/v1/fairs/{id}/report` — the fair report (R-JF-6): enterprises, vacancies,
/// attendees, interviews, hires, sign-ups; as JSON, CSV or XLSX (staff of the area).
#[utoipa::path(get, path = "/api/v1/fairs/{id}/report", tag = "fairs", params(("id" = Uuid, Path, description = FAIR_ID), ReportParams),
    responses((status = 200, description = "Báo cáo phiên — the fair report (JSON; or CSV / XLSX with `format`)", body = FairReport), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn report(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Params(params): Params<ReportParams>) -> Result<Response, ApiError> {
    let fair = fair_for_staff(&state, &caller, id).await?;
    let report = fair_report::fair_report(&state.store, JobFairId(id)).await?;
    export(params.format, &report, &format!("bao-cao-{}", fair.fair.code), || report.to_csv(), || report.to_xlsx())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollupParams {
    /// `month`, `quarter` or `year`.
    period: Period,
    /// `commune` or `province`.
    by: RollupArea,
    /// Fairs starting on or after this day.
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    format: Option<ExportFormat>,
}

/// `GET /api/v1/reports/fairs` — fair results rolled up by month, quarter or year and by commune
/// or province, within the caller's area (staff).
#[utoipa::path(get, path = "/api/v1/reports/fairs", tag = "fairs", params(RollupParams),
    responses((status = 200, description = "Tổng hợp theo kỳ và địa bàn — roll-up rows (JSON; or CSV / XLSX)", body = Vec<RollupRow>), Unauthenticated, Forbidden, Invalid))]
pub async fn rollup(State(state): State<AppState>, caller: Caller, Params(params): Params<RollupParams>) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let mut filter = FairFilter { from: params.from, to: params.to, ..FairFilter::default() };
    match caller.role().staff_area() {
        Some(caunoi_domain::access::Area::Commune(commune)) => filter.commune = Some(commune.as_str().to_owned()),
        Some(caunoi_domain::access::Area::Province(province)) => filter.province = Some(province.as_str().to_owned()),
        _ => {}
    }
    let rows = fair_report::rollup(&state.store, &filter, params.period, params.by).await?;
    export(params.format, &rows, "tong-hop-phien-giao-dich", || fair_report::rollup_csv(&rows), || fair_report::rollup_xlsx(&rows))
}
