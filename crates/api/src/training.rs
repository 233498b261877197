//! Vocational training over HTTP (issue #11): providers and classes (listed publicly, managed by
//! staff of the class's area), enrolment (a seeker for themself, staff for a worker), attendance,
//! results with the certificate going onto the profile, the six-month follow-up, the support a
//! trainee is entitled to, the training-needs survey (entered, or imported from the commune's
//! XLSX list) with its summary against open vacancies, enrolment leads from fair sign-ups, and
//! classes that close the gaps matching finds. The rules are in `caunoi_domain::training`, the
//! records in `caunoi_store::training`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caunoi_domain::access::{self, Role};
use caunoi_domain::records::{JobFairId, VacancyId, WorkerId, WorkerProfile};
use caunoi_domain::training::{
    ClassId, ClassOffer, ClassStatus, ClassSuggestion, EnrolmentSource, Funding, GraduateOutcome, ProviderId,
    SupportEntitlement, SurveyResponse, SurveySummary, TradeBalance, TrainingClass, TrainingLevel, TrainingProvider,
    TrainingSupports, suggest_classes, support_for,
};
use caunoi_domain::{AdminCatalog, CommuneCode, IscoCode, ProvinceCode};
use caunoi_ingest::occupation::OccupationClassifier;
use caunoi_matching::{EligibilityContext, Matcher, VacancyFeatures, WageConversion, WorkerFeatures};
use caunoi_store::plans::ResultArea;
use caunoi_store::records;
use caunoi_store::training::{
    self as store_tr, ClassFilter, ClassView, Completion, Enrolment, GraduateReport, Lead, SurveyImport,
};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::auth::{Caller, forbidden};
use crate::extract::{Body, Params, Path};
use crate::openapi::{Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::plans::{parse_area, require_covers};
use crate::workers::denied;
use crate::{ApiError, AppState};

const CLASS_ID: &str = "Mã lớp học — class id";

/// How far a suggested class may be from the worker's home.
const SUGGESTION_RADIUS_KM: f64 = 60.0;
const SUGGESTIONS_PER_GAP: usize = 3;

use crate::today;

fn province_of(commune: &CommuneCode) -> Result<ProvinceCode, ApiError> {
    AdminCatalog::embedded().commune(commune).map(|c| c.province_code.clone()).ok_or_else(|| ApiError::internal("commune without province"))
}

/// Staff whose area holds `commune`.
fn require_staff_at(caller: &Caller, commune: &CommuneCode) -> Result<(), ApiError> {
    require_covers(caller, &ResultArea::Commune(commune.clone()))
}

fn is_staff_at(caller: &Caller, commune: &CommuneCode) -> bool {
    caller.role().is_staff() && province_of(commune).is_ok_and(|p| caller.role().covers(commune, &p))
}

/// The trade a survey answer or sheet names, as the vacancy classifier reads titles.
fn classify(text: &str) -> Option<IscoCode> {
    OccupationClassifier::embedded().classify(text).map(|m| m.code)
}

// ---------------------------------------------------------------------------------------------
// Providers and classes

/// `POST /api/v1/training/providers` — a vocational school, centre or enterprise (staff of its
/// area).
#[utoipa::path(post, path = "/api/v1/training/providers", tag = "training", request_body = TrainingProvider,
    responses((status = 201, description = "Cơ sở đào tạo đã tạo — provider created", body = TrainingProvider), Unauthenticated, Forbidden, Invalid))]
pub async fn create_provider(State(state): State<AppState>, caller: Caller, Body(mut provider): Body<TrainingProvider>) -> Result<(StatusCode, Json<TrainingProvider>), ApiError> {
    require_staff_at(&caller, &provider.commune_code)?;
    provider.id = ProviderId::new();
    Ok((StatusCode::CREATED, Json(store_tr::create_provider(&state.store, provider).await?)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaParams {
    /// `nation`, a province code or a commune code; absent: the caller's own area (or the nation).
    area: Option<String>,
    /// Name, diacritics optional.
    q: Option<String>,
}

/// `GET /api/v1/training/providers` — providers of an area (public).
#[utoipa::path(get, path = "/api/v1/training/providers", tag = "training", security(()), params(AreaParams),
    responses((status = 200, description = "Cơ sở đào tạo — providers", body = Vec<TrainingProvider>), Invalid))]
pub async fn list_providers(State(state): State<AppState>, Params(params): Params<AreaParams>) -> Result<Json<Vec<TrainingProvider>>, ApiError> {
    let area = parse_area(params.area.as_deref(), &Role::Admin)?;
    Ok(Json(store_tr::list_providers(&state.store, &area, params.q.as_deref()).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ClassInput {
    provider_id: ProviderId,
    #[schema(example = "Hàn điện cơ bản — khóa 1/2027")]
    title: String,
    /// ISCO-08 code of the trade.
    #[schema(example = "7212")]
    trade: IscoCode,
    /// What it teaches, as vacancies name skills ("hàn điện", "hàn TIG").
    #[serde(default)]
    skills: Vec<String>,
    level: TrainingLevel,
    commune_code: CommuneCode,
    venue: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    capacity: u32,
    funding: Funding,
    /// `planned` (default) or `enrolling`.
    status: Option<ClassStatus>,
}

/// `POST /api/v1/training/classes` — open a class (staff of the class's commune).
#[utoipa::path(post, path = "/api/v1/training/classes", tag = "training", request_body = ClassInput,
    responses((status = 201, description = "Lớp học đã tạo — class created", body = ClassView), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn create_class(State(state): State<AppState>, caller: Caller, Body(input): Body<ClassInput>) -> Result<(StatusCode, Json<ClassView>), ApiError> {
    require_staff_at(&caller, &input.commune_code)?;
    let class = TrainingClass {
        id: ClassId::new(),
        provider_id: input.provider_id,
        title: input.title,
        trade: input.trade,
        skills: input.skills,
        level: input.level,
        commune_code: input.commune_code,
        venue: input.venue,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        capacity: input.capacity,
        funding: input.funding,
        status: input.status.unwrap_or(ClassStatus::Planned),
    };
    Ok((StatusCode::CREATED, Json(store_tr::create_class(&state.store, class).await?)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassParams {
    /// `nation`, a province code or a commune code; absent: everywhere.
    area: Option<String>,
    status: Option<ClassStatus>,
    /// Only classes not started yet that take or will take enrolments.
    #[serde(default)]
    upcoming: bool,
    /// ISCO-08 code prefix of the trade.
    trade: Option<String>,
    /// With `near`: only classes within `radius_km` of this commune, nearest first.
    near: Option<CommuneCode>,
    radius_km: Option<f64>,
}

/// `GET /api/v1/training/classes` — classes (public): by area, status, trade; "near me" sorts
/// by distance from a commune.
#[utoipa::path(get, path = "/api/v1/training/classes", tag = "training", security(()), params(ClassParams),
    responses((status = 200, description = "Lớp học — classes", body = Vec<ClassView>), Invalid))]
pub async fn list_classes(State(state): State<AppState>, Params(params): Params<ClassParams>) -> Result<Json<Vec<ClassView>>, ApiError> {
    let area = match params.area.as_deref() {
        None => None,
        some => Some(parse_area(some, &Role::Admin)?),
    };
    let filter = ClassFilter { area, status: params.status, upcoming_from: params.upcoming.then(today), trade: params.trade };
    let mut classes = store_tr::list_classes(&state.store, &filter).await?;
    if let Some(near) = &params.near {
        let catalog = AdminCatalog::embedded();
        catalog.require_commune(near).map_err(crate::accounts::invalid)?;
        let radius = params.radius_km.unwrap_or(SUGGESTION_RADIUS_KM);
        let mut with_distance: Vec<(f64, ClassView)> = classes
            .into_iter()
            .filter_map(|c| catalog.distance_km(near, &c.class.commune_code).filter(|d| *d <= radius).map(|d| (d, c)))
            .collect();
        with_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
        classes = with_distance.into_iter().map(|(_, c)| c).collect();
    }
    Ok(Json(classes))
}

/// `GET /api/v1/training/classes/{id}` — one class with its seats (public).
#[utoipa::path(get, path = "/api/v1/training/classes/{id}", tag = "training", security(()), params(("id" = Uuid, Path, description = CLASS_ID)),
    responses((status = 200, description = "Lớp học — the class", body = ClassView), NotFound))]
pub async fn get_class(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<ClassView>, ApiError> {
    Ok(Json(store_tr::get_class(&state.store, ClassId(id)).await?))
}

async fn class_of_staff(state: &AppState, caller: &Caller, id: Uuid) -> Result<ClassView, ApiError> {
    let class = store_tr::get_class(&state.store, ClassId(id)).await?;
    require_staff_at(caller, &class.class.commune_code)?;
    Ok(class)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ClassMove {
    to: ClassStatus,
    /// The day of the move (the opening day for `running`); default today.
    on: Option<NaiveDate>,
}

/// `POST /api/v1/training/classes/{id}/transitions` — planned → enrolling → running → finished,
/// or cancelled before it runs (staff of the class's area). Starting closes the waiting list.
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/transitions", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)), request_body = ClassMove,
    responses((status = 200, description = "Trạng thái mới — the class at its new status", body = ClassView), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn move_class(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<ClassMove>) -> Result<Json<ClassView>, ApiError> {
    class_of_staff(&state, &caller, id).await?;
    Ok(Json(store_tr::transition_class(&state.store, ClassId(id), input.to, input.on.unwrap_or_else(today)).await?))
}

// ---------------------------------------------------------------------------------------------
// Enrolments

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct EnrolInput {
    /// Staff name the worker; a seeker enrols themself (leave it out).
    worker_id: Option<WorkerId>,
    /// `walk_in`, `fair` (with `fair_id`), `survey`; a seeker's own enrolment is `online`.
    source: Option<EnrolmentSource>,
    fair_id: Option<JobFairId>,
}

/// `POST /api/v1/training/classes/{id}/enrolments` — enrol while seats remain, else join the
/// waiting list (its position is returned). A seeker for themself; staff of the class's or the
/// worker's area for a worker. 409 when already enrolled or waiting.
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/enrolments", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)), request_body = EnrolInput,
    responses((status = 201, description = "Đã ghi danh hoặc vào danh sách chờ — enrolled or waiting", body = Enrolment), Unauthenticated, Forbidden, NotFound, Invalid, Conflict))]
pub async fn enrol(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<EnrolInput>) -> Result<(StatusCode, Json<Enrolment>), ApiError> {
    let class = store_tr::get_class(&state.store, ClassId(id)).await?;
    let (worker, source) = match (caller.role(), input.worker_id) {
        (Role::Seeker { .. }, _) => (caller.profile()?, EnrolmentSource::Online),
        (_, Some(worker)) => {
            caller.require_staff()?;
            if !is_staff_at(&caller, &class.class.commune_code) {
                let profile = records::get_worker(&state.store, worker).await?;
                access::may_read_worker(&caller.actor(), &profile).map_err(denied)?;
            }
            (worker, input.source.unwrap_or(EnrolmentSource::WalkIn))
        }
        (_, None) => {
            return Err(crate::accounts::invalid(caunoi_domain::ValidationError::new(
                "worker_id",
                "enrolment.worker_missing",
                "Cán bộ ghi danh phải chọn người lao động.",
                "Staff must name the worker to enrol.",
            )));
        }
    };
    let enrolment = store_tr::enrol(&state.store, ClassId(id), worker, source, input.fair_id).await?;
    Ok((StatusCode::CREATED, Json(enrolment)))
}

/// `GET /api/v1/training/classes/{id}/enrolments` — trainees and the waiting list in order,
/// with attendance and results (staff of the class's area).
#[utoipa::path(get, path = "/api/v1/training/classes/{id}/enrolments", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)),
    responses((status = 200, description = "Học viên và danh sách chờ — enrolments", body = Vec<Enrolment>), Unauthenticated, Forbidden, NotFound))]
pub async fn list_enrolments(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vec<Enrolment>>, ApiError> {
    class_of_staff(&state, &caller, id).await?;
    Ok(Json(store_tr::enrolments(&state.store, ClassId(id)).await?))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Withdrawal {
    withdrawn: Enrolment,
    /// The first on the waiting list, who took the seat.
    promoted: Option<Enrolment>,
}

/// `DELETE /api/v1/training/classes/{id}/enrolments/{worker_id}` — withdraw (the worker, or
/// staff of the class's area); a freed seat goes to the first on the waiting list.
#[utoipa::path(delete, path = "/api/v1/training/classes/{id}/enrolments/{worker_id}", tag = "training",
    params(("id" = Uuid, Path, description = CLASS_ID), ("worker_id" = Uuid, Path, description = "Mã người lao động — worker id")),
    responses((status = 200, description = "Đã rút — withdrawn", body = Withdrawal), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn withdraw(State(state): State<AppState>, caller: Caller, Path((id, worker)): Path<(Uuid, Uuid)>) -> Result<Json<Withdrawal>, ApiError> {
    let own = matches!(caller.role(), Role::Seeker { worker: Some(w) } if w.0 == worker);
    if !own {
        class_of_staff(&state, &caller, id).await?;
    }
    let (withdrawn, promoted) = store_tr::withdraw(&state.store, ClassId(id), WorkerId(worker)).await?;
    Ok(Json(Withdrawal { withdrawn, promoted }))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct AttendanceInput {
    on: NaiveDate,
    /// Workers present; the other trainees are marked absent.
    present: Vec<WorkerId>,
}

/// `POST /api/v1/training/classes/{id}/attendance` — one class day (staff of the class's area,
/// while it runs); the same day again replaces it.
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/attendance", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)), request_body = AttendanceInput,
    responses((status = 200, description = "Đã điểm danh — trainees with their attendance", body = Vec<Enrolment>), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn attendance(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<AttendanceInput>) -> Result<Json<Vec<Enrolment>>, ApiError> {
    class_of_staff(&state, &caller, id).await?;
    Ok(Json(store_tr::record_attendance(&state.store, ClassId(id), input.on, &input.present).await?))
}

/// `POST /api/v1/training/classes/{id}/results` — a trainee's result; passing issues the
/// certificate, which joins the worker's profile (matching then counts it).
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/results", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)), request_body = Completion,
    responses((status = 200, description = "Kết quả đã ghi — the enrolment with its certificate", body = Enrolment), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn record_result(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<Completion>) -> Result<Json<Enrolment>, ApiError> {
    class_of_staff(&state, &caller, id).await?;
    let worker = input.worker_id;
    let enrolment = store_tr::complete(&state.store, ClassId(id), input).await?;
    crate::workers::record(&state, &caller.actor(), "certificate", worker, access::AccessBasis::StaffOfArea.code(), Some(format!("class {id}"))).await?;
    Ok(Json(enrolment))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct GraduateFollowUp {
    worker_id: WorkerId,
    outcome: GraduateOutcome,
    on: Option<NaiveDate>,
}

/// `POST /api/v1/training/classes/{id}/follow-ups` — whether a graduate had work six months on.
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/follow-ups", tag = "training", params(("id" = Uuid, Path, description = CLASS_ID)), request_body = GraduateFollowUp,
    responses((status = 200, description = "Đã ghi — recorded", body = Enrolment), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn follow_up(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<GraduateFollowUp>) -> Result<Json<Enrolment>, ApiError> {
    class_of_staff(&state, &caller, id).await?;
    Ok(Json(store_tr::record_graduate_follow_up(&state.store, ClassId(id), input.worker_id, input.outcome, input.on.unwrap_or_else(today)).await?))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// `nation`, a province code or a commune code; absent: the caller's own area.
    area: Option<String>,
    /// First and last day (both included); default the current year.
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn bounds(params: &PeriodParams) -> (NaiveDate, NaiveDate) {
    let year = today().year();
    (
        params.from.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)),
        params.to.unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)),
    )
}

fn staff_area(caller: &Caller, params: &PeriodParams) -> Result<ResultArea, ApiError> {
    caller.require_staff()?;
    let area = parse_area(params.area.as_deref(), caller.role())?;
    require_covers(caller, &area)?;
    Ok(area)
}

/// `GET /api/v1/training/follow-ups/due` — graduates of the area whose six-month follow-up is due.
#[utoipa::path(get, path = "/api/v1/training/follow-ups/due", tag = "training", params(PeriodParams),
    responses((status = 200, description = "Cần theo dõi — due follow-ups", body = Vec<Enrolment>), Unauthenticated, Forbidden, Invalid))]
pub async fn due_follow_ups(State(state): State<AppState>, caller: Caller, Params(params): Params<PeriodParams>) -> Result<Json<Vec<Enrolment>>, ApiError> {
    let area = staff_area(&caller, &params)?;
    Ok(Json(store_tr::due_graduate_follow_ups(&state.store, &area, today()).await?))
}

/// `GET /api/v1/training/graduates` — graduates of a period and how many had work at six months.
#[utoipa::path(get, path = "/api/v1/training/graduates", tag = "training", params(PeriodParams),
    responses((status = 200, description = "Học viên tốt nghiệp và việc làm sau 6 tháng — graduates and outcomes", body = GraduateReport), Unauthenticated, Forbidden, Invalid))]
pub async fn graduates(State(state): State<AppState>, caller: Caller, Params(params): Params<PeriodParams>) -> Result<Json<GraduateReport>, ApiError> {
    let area = staff_area(&caller, &params)?;
    Ok(Json(store_tr::graduate_report(&state.store, &area, bounds(&params)).await?))
}

/// `GET /api/v1/workers/me/training` — the caller's enrolments and certificates' classes.
#[utoipa::path(get, path = "/api/v1/workers/me/training", tag = "training",
    responses((status = 200, description = "Các lớp đã ghi danh — my enrolments", body = Vec<Enrolment>), Unauthenticated, Forbidden, NotFound))]
pub async fn my_enrolments(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Enrolment>>, ApiError> {
    Ok(Json(store_tr::enrolments_of_worker(&state.store, caller.profile()?).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupportParams {
    class_id: Uuid,
    /// Staff ask for a worker; a seeker for themself.
    worker_id: Option<Uuid>,
}

/// The worker a seeker or a staff member asks about (staff must be allowed to read the profile).
async fn worker_for(state: &AppState, caller: &Caller, worker_id: Option<Uuid>) -> Result<WorkerProfile, ApiError> {
    match (caller.role(), worker_id) {
        (Role::Seeker { .. }, _) => Ok(records::get_worker(&state.store, caller.profile()?).await?),
        (_, Some(id)) => {
            caller.require_staff()?;
            let worker = records::get_worker(&state.store, WorkerId(id)).await?;
            access::may_read_worker(&caller.actor(), &worker).map_err(denied)?;
            Ok(worker)
        }
        (_, None) => Err(forbidden("SEEKERS_ONLY", "Cán bộ phải chọn người lao động.", "Staff must name the worker.")),
    }
}

/// `GET /api/v1/training/support?class_id=` — what a trainee gets for a state-supported class
/// (tuition, meals, travel): per item the highest level their groups open, with the legal
/// reference and whether the amount was verified.
#[utoipa::path(get, path = "/api/v1/training/support", tag = "training", params(SupportParams),
    responses((status = 200, description = "Chế độ hỗ trợ — support entitlements", body = Vec<SupportEntitlement>), Unauthenticated, Forbidden, NotFound))]
pub async fn support(State(state): State<AppState>, caller: Caller, Params(params): Params<SupportParams>) -> Result<Json<Vec<SupportEntitlement>>, ApiError> {
    let worker = worker_for(&state, &caller, params.worker_id).await?;
    let class = store_tr::get_class(&state.store, ClassId(params.class_id)).await?;
    Ok(Json(support_for(&worker, &class.class, TrainingSupports::embedded())))
}

// ---------------------------------------------------------------------------------------------
// Skill gaps → classes

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapParams {
    vacancy_id: Uuid,
    /// Staff ask for a worker; a seeker for themself.
    worker_id: Option<Uuid>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct GapClasses {
    /// The gap as matching states it ("Kỹ năng hàn TIG").
    missing_vi: String,
    missing_en: String,
    required: bool,
    classes: Vec<ClassSuggestion>,
}

/// Upcoming classes of the worker's province (suggestions are then narrowed by distance).
pub(crate) async fn offers_near(state: &AppState, worker: &WorkerProfile) -> Result<Vec<ClassOffer>, ApiError> {
    let province = province_of(&worker.residence_commune)?;
    Ok(store_tr::upcoming_offers(&state.store, &ResultArea::Province(province), today()).await?)
}

/// For each gap matching finds, the upcoming classes near the worker that teach it.
pub(crate) fn classes_for_gaps(worker: &WorkerProfile, offers: &[ClassOffer], gaps: &[caunoi_matching::RequirementGap]) -> Vec<GapClasses> {
    let day = today();
    gaps.iter()
        .map(|g| GapClasses {
            missing_vi: g.gap.missing.vi.clone(),
            missing_en: g.gap.missing.en.clone(),
            required: g.required,
            classes: g
                .gap
                .need
                .as_ref()
                .map(|need| suggest_classes(need, &worker.residence_commune, offers, day, SUGGESTION_RADIUS_KM, SUGGESTIONS_PER_GAP))
                .unwrap_or_default(),
        })
        .collect()
}

/// `GET /api/v1/training/suggestions?vacancy_id=` — what the worker lacks for the vacancy and the
/// upcoming classes near them that teach it.
#[utoipa::path(get, path = "/api/v1/training/suggestions", tag = "training", params(GapParams),
    responses((status = 200, description = "Thiếu gì và lớp nào dạy — gaps and classes", body = Vec<GapClasses>), Unauthenticated, Forbidden, NotFound))]
pub async fn suggestions(State(state): State<AppState>, caller: Caller, Params(params): Params<GapParams>) -> Result<Json<Vec<GapClasses>>, ApiError> {
    let worker = worker_for(&state, &caller, params.worker_id).await?;
    let vacancy = records::get_vacancy(&state.store, VacancyId(params.vacancy_id)).await?;
    let features = WorkerFeatures::from_profile(&worker);
    let vacancy_features = VacancyFeatures::from_vacancy(&vacancy, &WageConversion::default());
    let explanation = Matcher::default().explain(&features, &vacancy_features, &EligibilityContext::on(today()));
    let offers = offers_near(&state, &worker).await?;
    Ok(Json(classes_for_gaps(&worker, &offers, &explanation.gaps)))
}

// ---------------------------------------------------------------------------------------------
// Survey and leads

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct SurveyBatch {
    /// Trades without an ISCO code are classified from their text.
    responses: Vec<SurveyResponse>,
}

/// `POST /api/v1/training/survey` — answers of the training-needs survey (staff of each answer's
/// commune): all written, or none and every bad row reported.
#[utoipa::path(post, path = "/api/v1/training/survey", tag = "training", request_body = SurveyBatch,
    responses((status = 200, description = "Số phiếu đã lưu, hoặc các dòng bị từ chối — recorded count or refused rows", body = SurveyImport), Unauthenticated, Forbidden))]
pub async fn record_survey(State(state): State<AppState>, caller: Caller, Body(batch): Body<SurveyBatch>) -> Result<Json<SurveyImport>, ApiError> {
    caller.require_staff()?;
    let mut responses = batch.responses;
    for response in &mut responses {
        require_staff_at(&caller, &response.commune_code)?;
        response.id = caunoi_domain::training::SurveyResponseId::new();
        for trade in &mut response.trades {
            if trade.occupation.is_none() {
                trade.occupation = classify(&trade.text);
            }
        }
    }
    Ok(Json(store_tr::record_survey(&state.store, responses, Some(caller.0.id)).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The commune of rows without a "Mã xã"; default the caller's commune.
    commune: Option<CommuneCode>,
}

/// `POST /api/v1/training/survey/import` — the commune's XLSX list ("Họ và tên | Mã xã | Giới
/// tính | Năm sinh | Nghề muốn học | Thời gian học | Địa điểm học | Cần hỗ trợ | Nhóm ưu tiên |
/// Ngày khảo sát", headers with or without diacritics): all rows, or none and every bad row.
#[utoipa::path(post, path = "/api/v1/training/survey/import", tag = "training", params(ImportParams),
    request_body(content = Vec<u8>, description = "Tệp XLSX — the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, description = "Số phiếu đã lưu, hoặc các dòng bị từ chối — recorded count or refused rows", body = SurveyImport), Unauthenticated, Forbidden))]
pub async fn import_survey(State(state): State<AppState>, caller: Caller, Params(params): Params<ImportParams>, body: axum::body::Bytes) -> Result<Json<SurveyImport>, ApiError> {
    caller.require_staff()?;
    let commune = params.commune.or_else(|| match caller.role() {
        Role::CommuneStaff { commune, .. } => Some(commune.clone()),
        _ => None,
    });
    if let Some(commune) = &commune {
        require_staff_at(&caller, commune)?;
    }
    let in_area = |c: &CommuneCode| is_staff_at(&caller, c);
    Ok(Json(store_tr::import_survey_xlsx(&state.store, &body, commune.as_ref(), &classify, &in_area, Some(caller.0.id)).await?))
}

/// `GET /api/v1/training/survey/summary` — the survey of an area and period summed by commune,
/// trade, priority group and preferred time (staff of the area).
#[utoipa::path(get, path = "/api/v1/training/survey/summary", tag = "training", params(PeriodParams),
    responses((status = 200, description = "Tổng hợp nhu cầu học nghề — survey summary", body = SurveySummary), Unauthenticated, Forbidden, Invalid))]
pub async fn survey_summary(State(state): State<AppState>, caller: Caller, Params(params): Params<PeriodParams>) -> Result<Json<SurveySummary>, ApiError> {
    let area = staff_area(&caller, &params)?;
    Ok(Json(store_tr::survey_summary(&state.store, &area, bounds(&params)).await?))
}

/// `GET /api/v1/training/balance` — per trade: places in open vacancies against trained workers
/// and class seats, and how many people want to learn it; shortfalls first.
#[utoipa::path(get, path = "/api/v1/training/balance", tag = "training", params(PeriodParams),
    responses((status = 200, description = "Cung và cầu theo nghề — demand against trained supply", body = Vec<TradeBalance>), Unauthenticated, Forbidden, Invalid))]
pub async fn balance(State(state): State<AppState>, caller: Caller, Params(params): Params<PeriodParams>) -> Result<Json<Vec<TradeBalance>>, ApiError> {
    let area = staff_area(&caller, &params)?;
    Ok(Json(store_tr::trade_balance(&state.store, &area, bounds(&params)).await?))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LeadView {
    #[serde(flatten)]
    lead: Lead,
    /// Upcoming classes near the worker in the trade they want.
    classes: Vec<ClassSuggestion>,
}

/// `GET /api/v1/training/leads` — training sign-ups at job fairs not yet followed by an
/// enrolment, each with the upcoming classes near the worker in their desired trade.
#[utoipa::path(get, path = "/api/v1/training/leads", tag = "training", params(PeriodParams),
    responses((status = 200, description = "Người đăng ký học nghề tại phiên chưa ghi danh — enrolment leads", body = Vec<LeadView>), Unauthenticated, Forbidden, Invalid))]
pub async fn leads(State(state): State<AppState>, caller: Caller, Params(params): Params<PeriodParams>) -> Result<Json<Vec<LeadView>>, ApiError> {
    let area = staff_area(&caller, &params)?;
    let day = today();
    let offers = store_tr::upcoming_offers(&state.store, &area, day).await?;
    let leads = store_tr::leads(&state.store, &area).await?;
    Ok(Json(
        leads
            .into_iter()
            .map(|lead| {
                let classes = lead
                    .desired_occupation
                    .clone()
                    .map(|o| {
                        let need = caunoi_domain::training::SkillNeed::Occupation(o);
                        suggest_classes(&need, &lead.residence_commune, &offers, day, SUGGESTION_RADIUS_KM, SUGGESTIONS_PER_GAP)
                    })
                    .unwrap_or_default();
                LeadView { lead, classes }
            })
            .collect(),
    ))
}
