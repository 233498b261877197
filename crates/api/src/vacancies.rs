//! Vacancies and job orders: employers create, edit, close and list their own; staff review and
//! publish, import batches and see the quarantine; partners read a snapshot and the changes.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caunoi_domain::access::{Area, Role};
use caunoi_domain::records::{EmploymentType, Requirements, Vacancy, VacancyId, VacancyStatus, Workplace};
use caunoi_domain::{Currency, IscoCode, SalaryRange, ValidationError};
use caunoi_store::change_log::{self, ChangedEntity, Operation};
use caunoi_store::{ingest as stored_ingest, records};
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use crate::accounts::invalid;
use crate::auth::{Caller, forbidden};
use crate::error::ErrorBody;
use crate::extract::{Body, Params, Path};
use crate::openapi::{Forbidden, Invalid, NotFound, TooMany, Unauthenticated};
use crate::{ApiError, AppState};

/// A vacancy as an employer writes it. The wage may be given as text only ("8 - 12 triệu",
/// "Thỏa thuận", "180.000 yên/tháng"): it is parsed as the ingestion pipeline parses it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct VacancyInput {
    title: String,
    description: String,
    occupation: IscoCode,
    #[serde(default = "full_time")]
    employment_type: EmploymentType,
    #[schema(value_type = u32, minimum = 1)]
    quantity: NonZeroU32,
    /// Structured wage; when absent it is parsed from `salary_text`.
    salary: Option<SalaryRange>,
    /// The wage as written: "8 - 12 triệu", "Thỏa thuận", "180.000 yên/tháng".
    #[schema(example = "8 - 12 triệu")]
    salary_text: String,
    workplace: Workplace,
    #[serde(default)]
    requirements: Requirements,
    deadline: Option<NaiveDate>,
}

fn full_time() -> EmploymentType {
    EmploymentType::FullTime
}

impl VacancyInput {
    fn into_vacancy(self, id: VacancyId, employer: caunoi_domain::records::EmployerId, status: VacancyStatus) -> Result<Vacancy, ApiError> {
        let currency = match &self.workplace {
            Workplace::Domestic { .. } => Currency::Vnd,
            Workplace::Overseas { country, .. } => match country.as_str() {
                "JP" => Currency::Jpy,
                "KR" => Currency::Krw,
                "TW" => Currency::Twd,
                _ => Currency::Usd,
            },
        };
        let salary = match self.salary {
            Some(salary) => salary,
            None => caunoi_ingest::salary::parse_salary(&self.salary_text, currency).map_err(|e| invalid(e.for_field("salary_text")))?,
        };
        Ok(Vacancy {
            id,
            employer_id: employer,
            title: self.title,
            description: self.description,
            occupation: self.occupation,
            employment_type: self.employment_type,
            quantity: self.quantity,
            salary,
            salary_text: self.salary_text,
            workplace: self.workplace,
            requirements: self.requirements,
            deadline: self.deadline,
            fair_id: None,
            status,
            posted_at: Utc::now(),
        })
    }
}


fn not_yours() -> ApiError {
    forbidden("NOT_OWNER", "Việc làm này không thuộc doanh nghiệp của bạn.", "This vacancy belongs to another employer.")
}

/// Whether staff of `role` may review a vacancy: its workplace in their area; overseas job
/// orders by the province of the enterprise, or administrators.
async fn staff_covers(state: &AppState, role: &Role, vacancy: &Vacancy) -> Result<bool, ApiError> {
    Ok(match (role.staff_area(), &vacancy.workplace) {
        (Some(Area::Everywhere), _) => true,
        (Some(area), Workplace::Domestic { commune_code }) => {
            let province = caunoi_domain::AdminCatalog::embedded().commune(commune_code).map(|c| c.province_code.clone());
            match area {
                Area::Commune(commune) => &commune == commune_code,
                Area::Province(own) => province.as_ref() == Some(&own),
                Area::Everywhere => true,
            }
        }
        (Some(Area::Province(own)), Workplace::Overseas { .. }) => {
            records::get_employer(&state.store, vacancy.employer_id).await?.province_code == own
        }
        (Some(Area::Commune(_)), Workplace::Overseas { .. }) | (None, _) => false,
    })
}

/// `POST /api/v1/vacancies` — an employer drafts a vacancy; staff publish it.
#[utoipa::path(post, path = "/api/v1/vacancies", tag = "vacancies", request_body = VacancyInput,
    responses((status = 201, description = "Bản nháp đã tạo, chờ cán bộ duyệt — draft created, awaiting review", body = Vacancy), Unauthenticated, Forbidden, Invalid))]
pub async fn create(State(state): State<AppState>, caller: Caller, Body(input): Body<VacancyInput>) -> Result<(StatusCode, Json<Vacancy>), ApiError> {
    let employer = caller.employer()?;
    if let (Role::Employer { placement_enterprise: false, .. }, Workplace::Overseas { .. }) = (caller.role(), &input.workplace) {
        return Err(forbidden(
            "LICENCE_REQUIRED",
            "Chỉ doanh nghiệp được cấp phép đưa người lao động đi làm việc ở nước ngoài mới đăng đơn hàng.",
            "Only licensed placement enterprises may post overseas job orders.",
        ));
    }
    let vacancy = input.into_vacancy(VacancyId(Uuid::now_v7()), employer, VacancyStatus::Draft)?;
    let id = records::insert_vacancy(&state.store, vacancy).await?;
    Ok((StatusCode::CREATED, Json(records::get_vacancy(&state.store, id).await?)))
}

/// `PUT /api/v1/vacancies/{id}` — the owner edits; the status stays as it was.
#[utoipa::path(put, path = "/api/v1/vacancies/{id}", tag = "vacancies", params(("id" = Uuid, Path, description = "Mã việc làm — vacancy id")), request_body = VacancyInput,
    responses((status = 200, description = "Đã sửa — updated", body = Vacancy), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn update(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>, Body(input): Body<VacancyInput>) -> Result<Json<Vacancy>, ApiError> {
    let employer = caller.employer()?;
    let current = records::get_vacancy(&state.store, VacancyId(id)).await?;
    if current.employer_id != employer {
        return Err(not_yours());
    }
    let mut vacancy = input.into_vacancy(current.id, employer, current.status)?;
    vacancy.posted_at = current.posted_at;
    vacancy.fair_id = current.fair_id;
    records::update_vacancy(&state.store, vacancy).await?;
    Ok(Json(records::get_vacancy(&state.store, current.id).await?))
}

async fn set_status(state: &AppState, id: VacancyId, status: VacancyStatus) -> Result<Vacancy, ApiError> {
    let mut vacancy = records::get_vacancy(&state.store, id).await?;
    vacancy.status = status;
    records::update_vacancy(&state.store, vacancy).await?;
    Ok(records::get_vacancy(&state.store, id).await?)
}

/// `POST /api/v1/vacancies/{id}/close` — the owner, or staff of the workplace's area.
#[utoipa::path(post, path = "/api/v1/vacancies/{id}/close", tag = "vacancies", params(("id" = Uuid, Path, description = "Mã việc làm — vacancy id")),
    responses((status = 200, description = "Đã đóng — closed", body = Vacancy), Unauthenticated, Forbidden, NotFound))]
pub async fn close(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vacancy>, ApiError> {
    let vacancy = records::get_vacancy(&state.store, VacancyId(id)).await?;
    let allowed = match caller.role() {
        Role::Employer { employer, .. } => *employer == vacancy.employer_id,
        role => staff_covers(&state, role, &vacancy).await?,
    };
    if !allowed {
        return Err(not_yours());
    }
    Ok(Json(set_status(&state, vacancy.id, VacancyStatus::Closed).await?))
}

/// `POST /api/v1/vacancies/{id}/publish` — staff of the workplace's area review and publish.
#[utoipa::path(post, path = "/api/v1/vacancies/{id}/publish", tag = "vacancies", params(("id" = Uuid, Path, description = "Mã việc làm — vacancy id")),
    responses((status = 200, description = "Đã duyệt và đăng — published", body = Vacancy), Unauthenticated, Forbidden, NotFound))]
pub async fn publish(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<Vacancy>, ApiError> {
    caller.require_staff()?;
    let vacancy = records::get_vacancy(&state.store, VacancyId(id)).await?;
    if !staff_covers(&state, caller.role(), &vacancy).await? {
        return Err(forbidden("OUTSIDE_SCOPE", "Việc làm này thuộc địa bàn khác.", "This vacancy is in another area."));
    }
    if vacancy.deadline.is_some_and(|d| d < crate::today()) {
        return Err(invalid(ValidationError::new(
            "deadline",
            "vacancy.expired",
            "Hạn nộp hồ sơ đã qua; hãy sửa hạn trước khi đăng.",
            "The application deadline has passed; change it before publishing.",
        )));
    }
    if vacancy.workplace.is_overseas() {
        // A job order: licence valid today, supply contract approved, worker costs within the
        // legal ceilings — all checked by the store before it opens.
        return Ok(Json(caunoi_store::overseas::publish_job_order(&state.store, vacancy.id, crate::today()).await?.vacancy));
    }
    Ok(Json(set_status(&state, vacancy.id, VacancyStatus::Open).await?))
}

/// `GET /api/v1/vacancies/review` — employers' drafts in the caller's area, waiting to be
/// checked and published (staff).
#[utoipa::path(get, path = "/api/v1/vacancies/review", tag = "vacancies",
    responses((status = 200, description = "Tin chờ duyệt — drafts waiting for review, oldest first", body = Vec<Vacancy>), Unauthenticated, Forbidden))]
pub async fn review(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Vacancy>>, ApiError> {
    caller.require_staff()?;
    let (commune, province) = match caller.role().staff_area() {
        Some(Area::Commune(commune)) => (Some(commune.as_str().to_owned()), None),
        Some(Area::Province(province)) => (None, Some(province.as_str().to_owned())),
        _ => (None, None),
    };
    Ok(Json(records::drafts_awaiting_review(&state.store, commune.as_deref(), province.as_deref(), 200).await?))
}

/// `GET /api/v1/vacancies/mine`
#[utoipa::path(get, path = "/api/v1/vacancies/mine", tag = "vacancies",
    responses((status = 200, description = "Việc làm của doanh nghiệp mình — the caller's employer's vacancies", body = Vec<Vacancy>), Unauthenticated, Forbidden))]
pub async fn mine(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Vacancy>>, ApiError> {
    let employer = caller.employer()?;
    Ok(Json(records::vacancies_of_employer(&state.store, employer).await?))
}

/// `GET /api/v1/vacancies/{id}` — anyone for open vacancies; the owner and staff for the rest.
#[utoipa::path(get, path = "/api/v1/vacancies/{id}", tag = "vacancies", security((), ("session" = []), ("bearer" = [])), params(("id" = Uuid, Path, description = "Mã việc làm — vacancy id")),
    responses((status = 200, description = "Việc làm — the vacancy", body = Vacancy), NotFound))]
pub async fn get_one(State(state): State<AppState>, caller: Option<Caller>, Path(id): Path<Uuid>) -> Result<Json<Vacancy>, ApiError> {
    let vacancy = records::get_vacancy(&state.store, VacancyId(id)).await?;
    if vacancy.status == VacancyStatus::Open {
        return Ok(Json(vacancy));
    }
    let visible = match caller.as_ref().map(Caller::role) {
        Some(Role::Employer { employer, .. }) => *employer == vacancy.employer_id,
        Some(role) => staff_covers(&state, role, &vacancy).await?,
        None => false,
    };
    if visible { Ok(Json(vacancy)) } else { Err(ApiError::not_found()) }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Source name for deduplication and the run report (default `push:<login>`).
    source: Option<String>,
}

/// `POST /api/v1/vacancies/import` — a JSON array or NDJSON batch through the ingestion
/// pipeline (staff, partners with a key). Bad records are quarantined, never dropped.
#[utoipa::path(post, path = "/api/v1/vacancies/import", tag = "vacancies", params(ImportParams),
    request_body(content = String, description = "Mảng JSON hoặc NDJSON các tin tuyển dụng (tối đa 64 MB) — a JSON array or NDJSON of vacancies", content_type = "application/json"),
    responses((status = 200, description = "Báo cáo: nhận, thêm, cập nhật, trùng, cách ly — the run report", body = caunoi_ingest::pipeline::IngestReport),
        Unauthenticated, Forbidden, (status = 422, description = "Không đọc được lô — UNREADABLE_BATCH", body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Params(params): Params<ImportParams>,
    body: axum::body::Bytes,
) -> Result<Json<caunoi_ingest::pipeline::IngestReport>, ApiError> {
    caller.require_staff()?;
    let source = params.source.unwrap_or_else(|| format!("push:{}", caller.0.login));
    let report = caunoi_ingest::pipeline::ingest_push(&state.store, &source, body.to_vec())
        .await
        .map_err(|e| ingest_failure(e, "UNREADABLE_BATCH", None, "Không đọc được lô dữ liệu", "The batch could not be read."))?;
    Ok(Json(report))
}

/// An ingestion run that stopped: the store's own error, or input that could not be read (422
/// with `code`, saying what was wrong in Vietnamese).
fn ingest_failure(error: caunoi_ingest::IngestError, code: &str, field: Option<&str>, what_vi: &str, message_en: &str) -> ApiError {
    match error {
        caunoi_ingest::IngestError::Store(store) => ApiError::from(store),
        other => ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: code.into(),
            field: field.map(str::to_owned),
            message_vi: format!("{what_vi}: {other}"),
            message_en: message_en.into(),
        },
    }
}

/// What an upload did: the run's counts and each rejected row with its field and reason.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UploadReport {
    #[serde(flatten)]
    report: caunoi_ingest::pipeline::IngestReport,
    /// The rows that were not imported, in file order: the row's cells as read, the field at
    /// fault and why. Every other row was imported (see the counts).
    rejected: Vec<QuarantinedRecord>,
}

/// `POST /api/v1/vacancies/upload` — an employer's CSV or XLSX file (the template's Vietnamese
/// headers); every row is posted as the caller's employer, as a draft for staff review.
#[utoipa::path(post, path = "/api/v1/vacancies/upload", tag = "vacancies",
    request_body(content = String, description = "Tệp CSV (text/csv) hoặc XLSX — a CSV or XLSX file", content_type = "text/csv"),
    responses((status = 200, description = "Kết quả từng dòng bị từ chối và số đếm — counts and each rejected row", body = UploadReport),
        Unauthenticated, Forbidden, (status = 422, description = "Không đọc được tệp — UNREADABLE_FILE", body = ErrorBody)))]
pub async fn upload(State(state): State<AppState>, caller: Caller, headers: axum::http::HeaderMap, body: axum::body::Bytes) -> Result<Json<UploadReport>, ApiError> {
    let employer = records::get_employer(&state.store, caller.employer()?).await?;
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let format = if content_type.contains("spreadsheetml") || body.starts_with(b"PK") {
        caunoi_ingest::pipeline::UploadFormat::Xlsx
    } else {
        caunoi_ingest::pipeline::UploadFormat::Csv
    };
    let report = caunoi_ingest::pipeline::ingest_employer_upload(&state.store, &employer, format, body.to_vec()).await.map_err(|e| {
        ingest_failure(e, "UNREADABLE_FILE", Some("file"), "Không đọc được tệp", "The file could not be read; use the CSV or XLSX template.")
    })?;
    let rejected = stored_ingest::quarantine_of_run(&state.store, report.run).await?.into_iter().map(QuarantinedRecord::from).collect();
    Ok(Json(UploadReport { report, rejected }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuarantineParams {
    /// Only this source.
    source: Option<String>,
    /// Default 100, at most 1,000.
    limit: Option<u64>,
}

/// `GET /api/v1/ingest/quarantine` — rejected records with their reason (staff).
#[utoipa::path(get, path = "/api/v1/ingest/quarantine", tag = "vacancies", params(QuarantineParams),
    responses((status = 200, description = "Bản ghi bị từ chối kèm lý do — rejected records with the field and reason", body = Vec<QuarantinedRecord>), Unauthenticated, Forbidden))]
pub async fn quarantine(State(state): State<AppState>, caller: Caller, Params(params): Params<QuarantineParams>) -> Result<Json<Vec<QuarantinedRecord>>, ApiError> {
    caller.require_staff()?;
    let rows = stored_ingest::quarantine(&state.store, params.source.as_deref(), params.limit.unwrap_or(100).min(1_000)).await?;
    Ok(Json(rows.into_iter().map(QuarantinedRecord::from).collect()))
}

impl From<stored_ingest::ingest_quarantine::Model> for QuarantinedRecord {
    fn from(row: stored_ingest::ingest_quarantine::Model) -> Self {
        Self {
            source: row.source,
            external_id: row.external_id,
            row: row.position,
            raw: row.raw,
            field: row.field,
            code: row.code,
            message: row.message_vi,
            message_en: row.message_en,
            at: row.created_at,
        }
    }
}

/// A rejected record as staff see it: what arrived, which field, and why.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct QuarantinedRecord {
    source: String,
    external_id: Option<String>,
    /// Where it was in what was sent: the sheet row (as the spreadsheet numbers it, the header
    /// being row 1), the NDJSON line, or the JSON array element (from 1); absent for pages and feeds.
    row: Option<i64>,
    raw: String,
    field: String,
    code: String,
    message: String,
    message_en: String,
    at: chrono::DateTime<Utc>,
}

/// Requests per second one partner account may make to the distribution routes.
const PARTNER_REQUESTS_PER_SECOND: f64 = 10.0;
const PARTNER_BURST: f64 = 20.0;

/// Per-account token buckets (per node; each node limits its own share).
#[derive(Default)]
pub struct PartnerLimiter(Mutex<HashMap<Uuid, (f64, Instant)>>);

impl PartnerLimiter {
    fn allow(&self, account: Uuid) -> bool {
        let mut buckets = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let (tokens, at) = buckets.entry(account).or_insert((PARTNER_BURST, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * PARTNER_REQUESTS_PER_SECOND).min(PARTNER_BURST);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn rate_limited() -> ApiError {
    ApiError::Client {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "RATE_LIMITED".into(),
        field: None,
        message_vi: "Quá nhiều yêu cầu; vui lòng giảm tần suất.".into(),
        message_en: "Too many requests; slow down.".into(),
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SnapshotParams {
    /// Keyset cursor: the last id of the previous page.
    after: Option<Uuid>,
    /// Default 500, at most 1,000.
    limit: Option<u64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    vacancies: Vec<Vacancy>,
    /// Pass as `after` for the next page; absent on the last page.
    next: Option<Uuid>,
    /// Read `changes?since=` from here to stay current after the snapshot.
    change_seq: i64,
}

/// `GET /api/v1/partner/vacancies` — all open vacancies, page by page.
#[utoipa::path(get, path = "/api/v1/partner/vacancies", tag = "partners", params(SnapshotParams),
    responses((status = 200, description = "Một trang tin đang tuyển — a page of open vacancies", body = Snapshot), Unauthenticated, TooMany, Invalid))]
pub async fn snapshot(State(state): State<AppState>, caller: Caller, Params(params): Params<SnapshotParams>) -> Result<Json<Snapshot>, ApiError> {
    if !state.partners.allow(caller.0.id) {
        return Err(rate_limited());
    }
    let change_seq = change_log::latest_seq(&state.store).await?;
    let limit = params.limit.unwrap_or(500).clamp(1, 1_000);
    let page = records::vacancies_after(&state.store, params.after.map(VacancyId), limit).await?;
    let next = (page.len() as u64 == limit).then(|| page.last().map(|v| v.id.0)).flatten();
    let vacancies = page.into_iter().filter(|v| v.status == VacancyStatus::Open).collect();
    Ok(Json(Snapshot { vacancies, next, change_seq }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// The `change_seq` of a snapshot, or the `next_since` of the previous call.
    since: i64,
    /// Default 500, at most 1,000.
    limit: Option<u64>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct ChangeItem {
    seq: i64,
    id: Uuid,
    /// `upsert` with the vacancy as it is now, or `delete` (deleted, closed or unpublished).
    operation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    vacancy: Option<Vacancy>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Changes {
    changes: Vec<ChangeItem>,
    /// Pass as `since` next time.
    next_since: i64,
}

/// `GET /api/v1/partner/vacancies/changes?since=N` — what changed after sequence N, with
/// tombstones for vacancies that left the open set.
#[utoipa::path(get, path = "/api/v1/partner/vacancies/changes", tag = "partners", params(ChangesParams),
    responses((status = 200, description = "Thay đổi sau `since`, có bản ghi xoá — changes with tombstones", body = Changes), Unauthenticated, TooMany, Invalid))]
pub async fn changes(State(state): State<AppState>, caller: Caller, Params(params): Params<ChangesParams>) -> Result<Json<Changes>, ApiError> {
    if !state.partners.allow(caller.0.id) {
        return Err(rate_limited());
    }
    let log = change_log::changes_since(&state.store, params.since.max(0), params.limit.unwrap_or(500).clamp(1, 1_000)).await?;
    let next_since = log.last().map_or(params.since, |c| c.seq);
    let ids: Vec<VacancyId> = log.iter().filter(|c| c.entity == ChangedEntity::Vacancy).map(|c| VacancyId(c.entity_id)).collect();
    let current: HashMap<Uuid, Vacancy> = records::vacancies_by_ids(&state.store, &ids).await?.into_iter().map(|v| (v.id.0, v)).collect();
    let changes = log
        .into_iter()
        .filter(|c| c.entity == ChangedEntity::Vacancy)
        .map(|c| {
            let open = current.get(&c.entity_id).filter(|v| v.status == VacancyStatus::Open && c.operation == Operation::Upsert);
            match open {
                Some(vacancy) => ChangeItem { seq: c.seq, id: c.entity_id, operation: "upsert", vacancy: Some(vacancy.clone()) },
                None => ChangeItem { seq: c.seq, id: c.entity_id, operation: "delete", vacancy: None },
            }
        })
        .collect();
    Ok(Json(Changes { changes, next_since }))
}

/// Shared limiter for the router state.
pub fn limiter() -> Arc<PartnerLimiter> {
    Arc::new(PartnerLimiter::default())
}
