//! Overseas contract labour over HTTP: the public anti-broker check and enterprise lookup;
//! licences (staff); job-order details with the itemised worker costs, supply-contract approval
//! (staff) — publishing goes through `/vacancies/{id}/publish`, which for a job order applies
//! every guard; worker registrations through the placement pipeline with their documents,
//! checklist, history, deadline worklist and support policies. Rules live in
//! `caunoi_domain::overseas` and the store; this module decides who may call.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caunoi_domain::access::{self, Area, Role};
use caunoi_domain::overseas::{self as ov, ChecklistItem, Document, DocumentId, Eligibility, JobOrderDetails, PolicyMatch, ReturnReason, Task};
use caunoi_domain::records::{OverseasProgramme, OverseasRegistrationId, OverseasStage, PlacementLicence, Vacancy, VacancyId, VacancyStatus, WorkerId, WorkerProfile};
use caunoi_domain::{CountryCode, ProvinceCode};
use caunoi_matching::{EligibilityContext, Outcome, VacancyFeatures, WageConversion, WorkerFeatures, evaluate};
use caunoi_store::overseas::{self as store_ov, EnterpriseListing, HistoryEntry, JobOrder, Registration, TransitionInput, Verification};
use caunoi_store::records;
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::auth::{Caller, forbidden};
use crate::extract::{Body, Params, Path};
use crate::openapi::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::workers::{denied, record};
use crate::{ApiError, AppState};

const ORDER_ID: &str = "Mã đơn hàng (mã việc làm) — job order (vacancy) id";
const REGISTRATION_ID: &str = "Mã hồ sơ đăng ký đi làm việc ở nước ngoài — registration id";

use crate::today;

// ---------------------------------------------------------------------------------------------
// Public: verification and enterprise lookup

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupParams {
    /// An order code ("DH-2026-0042"), a vacancy id, an enterprise name (diacritics optional)
    /// or a licence number.
    q: String,
}

/// `GET /api/v1/overseas/verify?q=` — the anti-broker check workers ask for: is this order or
/// enterprise licensed, is the supply contract approved, are there places left, what may it
/// charge.
#[utoipa::path(get, path = "/api/v1/overseas/verify", tag = "overseas", security(()), params(LookupParams),
    responses((status = 200, description = "Kết quả kiểm tra đơn hàng / doanh nghiệp — the verdict, with the fee schedule and the legal cap", body = Verification), Invalid))]
pub async fn verify(State(state): State<AppState>, Params(params): Params<LookupParams>) -> Result<Json<Verification>, ApiError> {
    Ok(Json(store_ov::verify(&state.store, &params.q, today()).await?))
}

/// `GET /api/v1/overseas/enterprises?q=` — licensed placement enterprises by name or licence.
#[utoipa::path(get, path = "/api/v1/overseas/enterprises", tag = "overseas", security(()), params(LookupParams),
    responses((status = 200, description = "Doanh nghiệp dịch vụ và tình trạng giấy phép — enterprises and their licence", body = Vec<EnterpriseListing>), Invalid))]
pub async fn enterprises(State(state): State<AppState>, Params(params): Params<LookupParams>) -> Result<Json<Vec<EnterpriseListing>>, ApiError> {
    Ok(Json(store_ov::find_enterprises(&state.store, &params.q, today()).await?))
}

/// Licences and supply-contract approvals are recorded by province staff or administrators
/// (they come from the ministry's decisions).
fn require_licensing_staff(caller: &Caller) -> Result<(), ApiError> {
    match caller.role() {
        Role::Admin | Role::ProvinceStaff { .. } => Ok(()),
        _ => Err(forbidden("PROVINCE_STAFF_ONLY", "Chỉ cán bộ cấp tỉnh hoặc quản trị viên ghi nhận giấy phép và văn bản chấp thuận.", "Only province staff or administrators record licences and approvals.")),
    }
}

/// `PUT /api/v1/overseas/enterprises/{id}/licence` — record an enterprise's licence (number,
/// dates, status, branches).
#[utoipa::path(put, path = "/api/v1/overseas/enterprises/{id}/licence", tag = "overseas",
    params(("id" = Uuid, Path, description = "Mã doanh nghiệp — employer id")), request_body = PlacementLicence,
    responses((status = 200, description = "Đã ghi giấy phép — the enterprise with its licence", body = caunoi_domain::records::Employer), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn set_licence(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(licence): Body<PlacementLicence>) -> Result<Json<caunoi_domain::records::Employer>, ApiError> {
    require_licensing_staff(&caller)?;
    Ok(Json(store_ov::upsert_licence(&state.store, caunoi_domain::records::EmployerId(id), licence).await?))
}

// ---------------------------------------------------------------------------------------------
// Job orders

/// The placement enterprise that posted the vacancy.
fn require_owner(caller: &Caller, vacancy: &Vacancy) -> Result<(), ApiError> {
    match caller.role() {
        Role::Employer { employer, placement_enterprise: true } if *employer == vacancy.employer_id => Ok(()),
        _ => Err(forbidden("NOT_OWNER", "Chỉ doanh nghiệp đăng đơn hàng mới sửa được đơn hàng này.", "Only the enterprise that posted this job order may change it.")),
    }
}

fn is_owner(caller: Option<&Caller>, vacancy: &Vacancy) -> bool {
    caller.is_some_and(|c| require_owner(c, vacancy).is_ok())
}

/// `PUT /api/v1/overseas/job-orders/{id}` — the enterprise saves what a job order adds to its
/// vacancy: sector, hours, supply contract, interview dates and the itemised worker costs.
#[utoipa::path(put, path = "/api/v1/overseas/job-orders/{id}", tag = "overseas", params(("id" = Uuid, Path, description = ORDER_ID)), request_body = JobOrderDetails,
    responses((status = 200, description = "Đơn hàng — the job order with its places", body = JobOrder), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn save_job_order(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(mut details): Body<JobOrderDetails>) -> Result<Json<JobOrder>, ApiError> {
    let vacancy = records::get_vacancy(&state.store, VacancyId(id)).await?;
    require_owner(&caller, &vacancy)?;
    details.vacancy_id = vacancy.id;
    Ok(Json(store_ov::save_job_order(&state.store, details).await?))
}

/// `GET /api/v1/overseas/job-orders/{id}` — open orders for everyone (with the fee schedule);
/// the enterprise and staff see the rest.
#[utoipa::path(get, path = "/api/v1/overseas/job-orders/{id}", tag = "overseas", security((), ("session" = []), ("bearer" = [])), params(("id" = Uuid, Path, description = ORDER_ID)),
    responses((status = 200, description = "Đơn hàng — the job order", body = JobOrder), NotFound))]
pub async fn get_job_order(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<Uuid>) -> Result<Json<JobOrder>, ApiError> {
    let order = store_ov::get_job_order(&state.store, VacancyId(id)).await?;
    let staff = caller.as_ref().is_some_and(|c| c.role().is_staff());
    if order.vacancy.status == VacancyStatus::Open || staff || is_owner(caller.as_ref(), &order.vacancy) {
        Ok(Json(order))
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Approval {
    /// Number of the ministry's approval of the supply contract (văn bản chấp thuận).
    #[schema(example = "1234/QLLĐNN-TT")]
    decision_no: String,
    approved_on: NaiveDate,
}

/// `POST /api/v1/overseas/job-orders/{id}/approval` — record the ministry's approval of the
/// order's supply contract (province staff, administrators).
#[utoipa::path(post, path = "/api/v1/overseas/job-orders/{id}/approval", tag = "overseas", params(("id" = Uuid, Path, description = ORDER_ID)), request_body = Approval,
    responses((status = 200, description = "Đã ghi văn bản chấp thuận — approval recorded", body = JobOrder), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn approve(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(approval): Body<Approval>) -> Result<Json<JobOrder>, ApiError> {
    require_licensing_staff(&caller)?;
    Ok(Json(store_ov::approve_supply_contract(&state.store, VacancyId(id), &approval.decision_no, approval.approved_on).await?))
}

/// `GET /api/v1/overseas/job-orders/{id}/registrations` — the order's candidates (the
/// enterprise, staff). Staff lists are limited to their area's people.
#[utoipa::path(get, path = "/api/v1/overseas/job-orders/{id}/registrations", tag = "overseas", params(("id" = Uuid, Path, description = ORDER_ID)),
    responses((status = 200, description = "Hồ sơ đăng ký của đơn hàng — registrations for the order", body = Vec<Registration>), Unauthenticated, Forbidden, NotFound))]
pub async fn order_registrations(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<Registration>>, ApiError> {
    let order = store_ov::get_job_order(&state.store, VacancyId(id)).await?;
    let all = store_ov::registrations_for_order(&state.store, order.vacancy.id).await?;
    if is_owner(Some(&caller), &order.vacancy) {
        return Ok(Json(all));
    }
    caller.require_staff()?;
    let ids: Vec<WorkerId> = all.iter().map(|r| r.registration.worker_id).collect();
    let actor = caller.actor();
    let visible: std::collections::HashSet<WorkerId> =
        records::workers_by_ids(&state.store, &ids).await?.into_iter().filter(|w| access::may_read_worker(&actor, w).is_ok()).map(|w| w.id).collect();
    Ok(Json(all.into_iter().filter(|r| visible.contains(&r.registration.worker_id)).collect()))
}

// ---------------------------------------------------------------------------------------------
// Registrations

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct RegistrationInput {
    /// Staff registering someone of their area; seekers leave it out.
    worker_id: Option<Uuid>,
    /// A specific job order; or only a market and programme for now.
    job_order_id: Option<Uuid>,
    country: CountryCode,
    programme: OverseasProgramme,
}

/// Who may see and move a registration, and on what basis (for the audit log).
async fn registration_for(state: &AppState, caller: &Caller, id: Uuid) -> Result<(Registration, WorkerProfile, &'static str), ApiError> {
    let registration = store_ov::get_registration(&state.store, OverseasRegistrationId(id)).await?;
    let worker = records::get_worker(&state.store, registration.registration.worker_id).await?;
    // The order's enterprise sees its own candidates without a separate consent: applying to
    // its order is the sharing.
    if let Some(order) = registration.registration.job_order_id {
        let vacancy = records::get_vacancy(&state.store, order).await?;
        if is_owner(Some(caller), &vacancy) {
            return Ok((registration, worker, "placement_enterprise_of_order"));
        }
    }
    let basis = access::may_read_worker(&caller.actor(), &worker).map_err(denied)?;
    Ok((registration, worker, basis.code()))
}

/// `POST /api/v1/overseas/registrations` — a seeker registers (for an order, or a market and
/// programme); staff register people of their area.
#[utoipa::path(post, path = "/api/v1/overseas/registrations", tag = "overseas", request_body = RegistrationInput,
    responses((status = 201, description = "Đã đăng ký (giai đoạn lead) — registered at `lead`", body = Registration), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn register(State(state): State<AppState>, caller: Caller, Body(input): Body<RegistrationInput>) -> Result<(StatusCode, Json<Registration>), ApiError> {
    let worker = match (caller.role(), input.worker_id) {
        (Role::Seeker { worker: Some(own) }, None) => *own,
        (role, Some(worker)) if role.is_staff() => {
            let profile = records::get_worker(&state.store, WorkerId(worker)).await?;
            let basis = access::may_edit_worker(&caller.actor(), &profile).map_err(denied)?;
            record(&state, &caller.actor(), "overseas_register", profile.id, basis.code(), None).await?;
            profile.id
        }
        _ => return Err(forbidden("SEEKER_OR_STAFF", "Người lao động tự đăng ký, hoặc cán bộ đăng ký cho người trong địa bàn (worker_id).", "Seekers register themselves; staff give worker_id.")),
    };
    let registration = store_ov::register(&state.store, worker, input.job_order_id.map(VacancyId), input.country, input.programme).await?;
    Ok((StatusCode::CREATED, Json(registration)))
}

/// `GET /api/v1/workers/me/overseas` — a seeker's own overseas registrations and their stage.
#[utoipa::path(get, path = "/api/v1/workers/me/overseas", tag = "overseas",
    responses((status = 200, description = "Hồ sơ đi làm việc ở nước ngoài của tôi — my registrations", body = Vec<Registration>), Unauthenticated, Forbidden, NotFound))]
pub async fn my_registrations(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Registration>>, ApiError> {
    let worker = caller.profile()?;
    Ok(Json(store_ov::registrations_of_worker(&state.store, worker).await?))
}

/// `GET /api/v1/overseas/registrations/{id}`
#[utoipa::path(get, path = "/api/v1/overseas/registrations/{id}", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)),
    responses((status = 200, description = "Hồ sơ đăng ký — the registration", body = Registration), Unauthenticated, Forbidden, NotFound))]
pub async fn get_registration(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Registration>, ApiError> {
    let (registration, worker, basis) = registration_for(&state, &caller, id).await?;
    if basis != "own_profile" {
        record(&state, &caller.actor(), "overseas_read", worker.id, basis, Some(format!("registration {id}"))).await?;
    }
    Ok(Json(registration))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct AssignOrder {
    job_order_id: Uuid,
}

/// `POST /api/v1/overseas/registrations/{id}/job-order` — give a market-only registration its
/// job order before it applies.
#[utoipa::path(post, path = "/api/v1/overseas/registrations/{id}/job-order", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)), request_body = AssignOrder,
    responses((status = 200, description = "Đã gắn đơn hàng — assigned", body = Registration), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn assign_order(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<AssignOrder>) -> Result<Json<Registration>, ApiError> {
    registration_for(&state, &caller, id).await?;
    Ok(Json(store_ov::assign_job_order(&state.store, OverseasRegistrationId(id), VacancyId(input.job_order_id)).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Move {
    to: OverseasStage,
    reason: Option<String>,
    /// Documents of this registration that evidence the move.
    #[serde(default)]
    documents: Vec<DocumentId>,
    /// Required for `returned_early`.
    return_reason: Option<ReturnReason>,
}

/// The matching engine's verdict on the worker for the registration's job order.
fn eligibility(worker: &WorkerProfile, order: Option<&Vacancy>) -> Option<Eligibility> {
    let vacancy = order?;
    let outcome = evaluate(
        &WorkerFeatures::from_profile(worker),
        &VacancyFeatures::from_vacancy(vacancy, &WageConversion::default()),
        &EligibilityContext::on(today()),
    )
    .outcome;
    Some(match outcome {
        Outcome::Pass => Eligibility::Pass,
        Outcome::Unknown => Eligibility::Unknown,
        Outcome::Fail => Eligibility::Fail,
    })
}

/// `POST /api/v1/overseas/registrations/{id}/transitions` — one move of the placement
/// pipeline. Staff of the worker's area and the order's enterprise move it; the worker may
/// withdraw. Illegal moves and failed guards are 422s naming the rule.
#[utoipa::path(post, path = "/api/v1/overseas/registrations/{id}/transitions", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)), request_body = Move,
    responses((status = 200, description = "Giai đoạn mới — the registration at its new stage", body = Registration), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn move_stage(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<Move>) -> Result<Json<Registration>, ApiError> {
    let (registration, worker, basis) = registration_for(&state, &caller, id).await?;
    if basis == "own_profile" && input.to != OverseasStage::Withdrawn {
        return Err(forbidden("WITHDRAW_ONLY", "Người lao động chỉ có thể tự rút hồ sơ; các bước khác do cán bộ hoặc doanh nghiệp thực hiện.", "Workers may only withdraw; staff or the enterprise make the other moves."));
    }
    let order = match registration.registration.job_order_id {
        Some(order) => Some(records::get_vacancy(&state.store, order).await?),
        None => None,
    };
    let transition = TransitionInput {
        actor: Some(caller.0.id),
        reason: input.reason,
        documents: input.documents,
        eligibility: eligibility(&worker, order.as_ref()),
        return_reason: input.return_reason,
        at: Utc::now(),
    };
    let moved = store_ov::transition(&state.store, OverseasRegistrationId(id), input.to, transition).await?;
    record(&state, &caller.actor(), "overseas_move", worker.id, basis, Some(format!("registration {id} → {}", input.to.code()))).await?;
    Ok(Json(moved))
}

/// `GET /api/v1/overseas/registrations/{id}/history` — every move, append-only.
#[utoipa::path(get, path = "/api/v1/overseas/registrations/{id}/history", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)),
    responses((status = 200, description = "Lịch sử các bước — the moves, oldest first", body = Vec<HistoryEntry>), Unauthenticated, Forbidden, NotFound))]
pub async fn history(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    registration_for(&state, &caller, id).await?;
    Ok(Json(store_ov::history(&state.store, OverseasRegistrationId(id)).await?))
}

/// `POST /api/v1/overseas/registrations/{id}/documents` — add a document (passport, health
/// certificate, orientation certificate, visa…) with its dates.
#[utoipa::path(post, path = "/api/v1/overseas/registrations/{id}/documents", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)), request_body = Document,
    responses((status = 201, description = "Đã lưu giấy tờ — stored", body = Document), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn add_document(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(mut document): Body<Document>) -> Result<(StatusCode, Json<Document>), ApiError> {
    registration_for(&state, &caller, id).await?;
    document.id = DocumentId::new();
    Ok((StatusCode::CREATED, Json(store_ov::add_document(&state.store, OverseasRegistrationId(id), document).await?)))
}

/// `GET /api/v1/overseas/registrations/{id}/documents`
#[utoipa::path(get, path = "/api/v1/overseas/registrations/{id}/documents", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)),
    responses((status = 200, description = "Giấy tờ — documents", body = Vec<Document>), Unauthenticated, Forbidden, NotFound))]
pub async fn list_documents(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<Document>>, ApiError> {
    registration_for(&state, &caller, id).await?;
    Ok(Json(store_ov::documents(&state.store, OverseasRegistrationId(id)).await?))
}

/// `GET /api/v1/overseas/registrations/{id}/checklist` — which documents the programme needs
/// at which stage: present, missing, expiring.
#[utoipa::path(get, path = "/api/v1/overseas/registrations/{id}/checklist", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)),
    responses((status = 200, description = "Danh mục giấy tờ — the checklist", body = Vec<ChecklistItem>), Unauthenticated, Forbidden, NotFound))]
pub async fn checklist(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<ChecklistItem>>, ApiError> {
    registration_for(&state, &caller, id).await?;
    Ok(Json(store_ov::checklist(&state.store, OverseasRegistrationId(id), today()).await?))
}

/// `GET /api/v1/overseas/registrations/{id}/support-policies` — preferential loans and
/// support the worker qualifies for today (dated rules with their references).
#[utoipa::path(get, path = "/api/v1/overseas/registrations/{id}/support-policies", tag = "overseas", params(("id" = Uuid, Path, description = REGISTRATION_ID)),
    responses((status = 200, description = "Chính sách hỗ trợ được hưởng — policies", body = Vec<PolicyMatch>), Unauthenticated, Forbidden, NotFound))]
pub async fn support_policies(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<PolicyMatch>>, ApiError> {
    let (registration, worker, _) = registration_for(&state, &caller, id).await?;
    Ok(Json(ov::policies_for(&worker, Some(registration.registration.programme), today(), ov::OverseasRules::embedded())))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorklistParams {
    /// Administrators choose a province.
    province: Option<ProvinceCode>,
}

/// `GET /api/v1/overseas/worklist` — deadlines as tasks for staff: 150 and 180 days after
/// selection without departure, liquidation due, documents expiring — for the people of the
/// caller's commune or province.
#[utoipa::path(get, path = "/api/v1/overseas/worklist", tag = "overseas", params(WorklistParams),
    responses((status = 200, description = "Việc cần làm — tasks, most urgent first", body = Vec<Task>), Unauthenticated, Forbidden, Invalid))]
pub async fn worklist(State(state): State<AppState>, caller: Caller, Params(params): Params<WorklistParams>) -> Result<Json<Vec<Task>>, ApiError> {
    caller.require_staff()?;
    let area = match (caller.role().staff_area(), params.province) {
        (Some(Area::Commune(commune)), _) => store_ov::Area::Commune(commune),
        (Some(Area::Province(province)), _) => store_ov::Area::Province(province),
        (Some(Area::Everywhere), Some(province)) => store_ov::Area::Province(province),
        _ => {
            return Err(crate::accounts::invalid(caunoi_domain::ValidationError::new(
                "province",
                "province.required",
                "Chọn tỉnh/thành phố để xem danh sách việc cần làm.",
                "Choose a province.",
            )));
        }
    };
    Ok(Json(store_ov::worklist(&state.store, &area, today()).await?))
}
