//! Worker profiles: self-service registration and editing, walk-in registration by staff with
//! duplicate detection, consent management, export of one's own data, staff search. Every read
//! of personal data by someone other than the owner, and every change, is audited.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caunoi_domain::access::{self, AccessBasis, AccessDenied, Actor, Area};
use caunoi_domain::records::{
    Availability, Consent, ConsentPurpose, DesiredWork, PastJob, PriorityGroup, WorkerId, WorkerProfile,
};
use caunoi_domain::{
    Cccd, CommuneCode, DateOfBirth, GeneralEducation, IscoCode, LanguageCertificate, PhoneNumber, Qualification, Sex,
};
use caunoi_domain::training::VocationalCertificate;
use caunoi_search::WorkerQuery;
use caunoi_store::accounts::{self, AuditRecord};
use caunoi_store::records;
use chrono::Utc;
use uuid::Uuid;

use crate::accounts::invalid;
use crate::auth::{Caller, forbidden};
use crate::error::ErrorBody;
use crate::extract::{Body, Params, Path};
use crate::openapi::{Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::{ApiError, AppState};

/// A profile as a seeker or staff member submits it.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct WorkerInput {
    full_name: String,
    sex: Sex,
    /// "dd/mm/yyyy" or ISO "yyyy-mm-dd".
    #[schema(example = "15/03/1998")]
    date_of_birth: String,
    cccd: Option<Cccd>,
    phone: Option<PhoneNumber>,
    email: Option<String>,
    ethnicity: Option<String>,
    residence_commune: CommuneCode,
    address_as_written: Option<String>,
    #[serde(default = "default_education")]
    general_education: GeneralEducation,
    #[serde(default = "default_qualification")]
    qualification: Qualification,
    #[serde(default)]
    occupation_history: Vec<PastJob>,
    #[serde(default)]
    skills: Vec<String>,
    #[serde(default)]
    languages: Vec<LanguageCertificate>,
    #[serde(default)]
    desired: DesiredWork,
    #[serde(default = "default_availability")]
    availability: Availability,
    #[serde(default)]
    priority_groups: BTreeSet<PriorityGroup>,
    /// Purposes consented to now.
    #[serde(default)]
    consents: Vec<ConsentPurpose>,
}

fn default_education() -> GeneralEducation {
    GeneralEducation::UpperSecondary
}
fn default_qualification() -> Qualification {
    Qualification::NoQualification
}
fn default_availability() -> Availability {
    Availability::Immediately
}

impl WorkerInput {
    /// The profile this input describes; consents and certificates already recorded are kept
    /// (certificates come from classes or the staff's certificate endpoint, not from this form).
    fn into_profile(self, id: WorkerId, previous: Option<WorkerProfile>) -> Result<WorkerProfile, ApiError> {
        let (previous_consents, certificates) = previous.map(|p| (p.consents, p.certificates)).unwrap_or_default();
        let today = crate::today();
        let date_of_birth = DateOfBirth::parse(&self.date_of_birth, today).map_err(invalid)?;
        let mut consents = previous_consents;
        for purpose in self.consents {
            if !consents.iter().any(|c| c.purpose == purpose && c.withdrawn_at.is_none()) {
                consents.push(Consent { purpose, granted_at: Utc::now(), withdrawn_at: None });
            }
        }
        Ok(WorkerProfile {
            id,
            full_name: self.full_name,
            sex: self.sex,
            date_of_birth,
            cccd: self.cccd,
            phone: self.phone,
            email: self.email,
            ethnicity: self.ethnicity,
            residence_commune: self.residence_commune,
            address_as_written: self.address_as_written,
            general_education: self.general_education,
            qualification: self.qualification,
            occupation_history: self.occupation_history,
            skills: self.skills,
            languages: self.languages,
            certificates,
            desired: self.desired,
            availability: self.availability,
            priority_groups: self.priority_groups,
            consents,
        })
    }
}

/// A profile as shown: identity numbers in full only to the owner and staff of the area;
/// employers never see them, nor ethnicity or priority groups.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct WorkerView {
    id: Uuid,
    full_name: String,
    sex: Sex,
    /// dd/mm/yyyy.
    date_of_birth: String,
    age: u32,
    /// In full for the owner and staff opening one profile; masked in lists (`0010******45`); absent for employers.
    cccd: Option<String>,
    /// Masked except for the owner and staff opening one profile.
    phone: Option<String>,
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ethnicity: Option<String>,
    residence_commune: String,
    residence_commune_name: String,
    general_education: GeneralEducation,
    qualification: Qualification,
    occupation_history: Vec<PastJob>,
    skills: Vec<String>,
    languages: Vec<LanguageCertificate>,
    certificates: Vec<VocationalCertificate>,
    desired: DesiredWork,
    availability: Availability,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_groups: Option<BTreeSet<PriorityGroup>>,
    consents: Vec<Consent>,
}

/// How much of a profile a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disclosure {
    /// The owner, or staff opening one profile: everything.
    Full,
    /// Staff lists: identity numbers masked.
    Masked,
    /// Employers with consent: no identity numbers, no sensitive categories.
    Employer,
}

impl WorkerView {
    pub(crate) fn of(worker: WorkerProfile, disclosure: Disclosure) -> Self {
        let today = crate::today();
        let commune_name = caunoi_domain::AdminCatalog::embedded()
            .commune(&worker.residence_commune)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let (cccd, phone) = match disclosure {
            Disclosure::Full => (worker.cccd.map(|c| c.as_str().to_owned()), worker.phone.map(|p| p.as_str().to_owned())),
            Disclosure::Masked => (worker.cccd.map(|c| c.masked()), worker.phone.map(|p| p.masked())),
            Disclosure::Employer => (None, worker.phone.map(|p| p.masked())),
        };
        let sensitive = disclosure != Disclosure::Employer;
        Self {
            id: worker.id.0,
            age: worker.date_of_birth.age_on(today),
            date_of_birth: worker.date_of_birth.format_vi(),
            full_name: worker.full_name,
            sex: worker.sex,
            cccd,
            phone,
            email: worker.email,
            ethnicity: if sensitive { worker.ethnicity } else { None },
            residence_commune: worker.residence_commune.as_str().to_owned(),
            residence_commune_name: commune_name,
            general_education: worker.general_education,
            qualification: worker.qualification,
            occupation_history: worker.occupation_history,
            skills: worker.skills,
            languages: worker.languages,
            certificates: worker.certificates,
            desired: worker.desired,
            availability: worker.availability,
            priority_groups: sensitive.then_some(worker.priority_groups),
            consents: worker.consents,
        }
    }
}

pub(crate) fn denied(reason: AccessDenied) -> ApiError {
    forbidden(reason.code(), &reason.to_string(), reason.message_en())
}

pub async fn record(state: &AppState, actor: &Actor, action: &str, worker: WorkerId, basis: &str, detail: Option<String>) -> Result<(), ApiError> {
    accounts::audit(
        &state.store,
        AuditRecord {
            at: Utc::now(),
            actor_account_id: Some(actor.account_id),
            actor_role: actor.role.kind().code().to_owned(),
            action: action.to_owned(),
            entity: "worker_profile".to_owned(),
            entity_id: worker.0.to_string(),
            basis: basis.to_owned(),
            detail,
        },
    )
    .await?;
    Ok(())
}



/// Refuses a profile whose CCCD or phone is already registered (returns the existing ids).
async fn refuse_duplicates(state: &AppState, profile: &WorkerProfile) -> Result<(), ApiError> {
    let existing: Vec<WorkerId> = records::workers_with_identity(&state.store, profile.cccd.as_ref(), profile.phone.as_ref())
        .await?
        .into_iter()
        .filter(|id| *id != profile.id)
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(ApiError::Client {
        status: StatusCode::CONFLICT,
        code: "DUPLICATE_WORKER".into(),
        field: Some(if profile.cccd.is_some() { "cccd".into() } else { "phone".into() }),
        message_vi: format!(
            "Đã có hồ sơ với số CCCD hoặc số điện thoại này (mã hồ sơ {}). Hãy cập nhật hồ sơ đó thay vì tạo mới.",
            existing.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(", ")
        ),
        message_en: "A profile with this CCCD or phone number already exists; update it instead of creating another.".into(),
    })
}

/// `POST /api/v1/workers/me` — a seeker registers their own profile.
#[utoipa::path(post, path = "/api/v1/workers/me", tag = "workers", request_body = WorkerInput,
    responses((status = 201, description = "Hồ sơ đã tạo — profile created", body = WorkerView), Unauthenticated, Forbidden, Invalid, Conflict))]
pub async fn register_own(State(state): State<AppState>, caller: Caller, Body(input): Body<WorkerInput>) -> Result<(StatusCode, Json<WorkerView>), ApiError> {
    if caller.own_worker()?.is_some() {
        return Err(ApiError::Client {
            status: StatusCode::CONFLICT,
            code: "PROFILE_EXISTS".into(),
            field: None,
            message_vi: "Bạn đã có hồ sơ; hãy sửa hồ sơ hiện có.".into(),
            message_en: "You already have a profile; edit it instead.".into(),
        });
    }
    let profile = input.into_profile(WorkerId(Uuid::now_v7()), None)?;
    refuse_duplicates(&state, &profile).await?;
    let id = records::insert_worker(&state.store, profile).await?;
    accounts::link_worker(&state.store, caller.0.id, id).await?;
    record(&state, &caller.actor(), "create", id, AccessBasis::OwnProfile.code(), None).await?;
    Ok((StatusCode::CREATED, Json(WorkerView::of(records::get_worker(&state.store, id).await?, Disclosure::Full))))
}

/// `GET /api/v1/workers/me`
#[utoipa::path(get, path = "/api/v1/workers/me", tag = "workers",
    responses((status = 200, description = "Hồ sơ của mình — the caller's profile", body = WorkerView), Unauthenticated, Forbidden, NotFound))]
pub async fn get_own(State(state): State<AppState>, caller: Caller) -> Result<Json<WorkerView>, ApiError> {
    let id = caller.profile()?;
    Ok(Json(WorkerView::of(records::get_worker(&state.store, id).await?, Disclosure::Full)))
}

/// `PUT /api/v1/workers/me`
#[utoipa::path(put, path = "/api/v1/workers/me", tag = "workers", request_body = WorkerInput,
    responses((status = 200, description = "Đã cập nhật — updated", body = WorkerView), Unauthenticated, Forbidden, NotFound, Invalid, Conflict))]
pub async fn update_own(State(state): State<AppState>, caller: Caller, Body(input): Body<WorkerInput>) -> Result<Json<WorkerView>, ApiError> {
    let id = caller.profile()?;
    let current = records::get_worker(&state.store, id).await?;
    let profile = input.into_profile(id, Some(current))?;
    refuse_duplicates(&state, &profile).await?;
    records::update_worker(&state.store, profile).await?;
    record(&state, &caller.actor(), "update", id, AccessBasis::OwnProfile.code(), None).await?;
    Ok(Json(WorkerView::of(records::get_worker(&state.store, id).await?, Disclosure::Full)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ConsentChange {
    #[serde(default)]
    grant: Vec<ConsentPurpose>,
    #[serde(default)]
    withdraw: Vec<ConsentPurpose>,
}

/// `PUT /api/v1/workers/me/consents` — grant or withdraw consent per purpose; withdrawn
/// consents stay on record with their date.
#[utoipa::path(put, path = "/api/v1/workers/me/consents", tag = "workers", request_body = ConsentChange,
    responses((status = 200, description = "Các đồng ý, kể cả đã rút — all consents, withdrawn ones with their date", body = Vec<Consent>), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn change_consents(State(state): State<AppState>, caller: Caller, Body(change): Body<ConsentChange>) -> Result<Json<Vec<Consent>>, ApiError> {
    let id = caller.profile()?;
    let mut profile = records::get_worker(&state.store, id).await?;
    let now = Utc::now();
    let codes = |purposes: &[ConsentPurpose]| purposes.iter().map(|p| p.code()).collect::<Vec<_>>().join(",");
    let detail = format!("grant={} withdraw={}", codes(&change.grant), codes(&change.withdraw));
    for purpose in &change.withdraw {
        for consent in profile.consents.iter_mut().filter(|c| c.purpose == *purpose && c.withdrawn_at.is_none()) {
            consent.withdrawn_at = Some(now);
        }
    }
    for purpose in change.grant {
        if !profile.has_consent(purpose) {
            profile.consents.push(Consent { purpose, granted_at: now, withdrawn_at: None });
        }
    }
    let consents = profile.consents.clone();
    records::update_worker(&state.store, profile).await?;
    record(&state, &caller.actor(), "consent", id, AccessBasis::OwnProfile.code(), Some(detail)).await?;
    Ok(Json(consents))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Export {
    profile: WorkerView,
    /// Who read or changed this profile, and why.
    access_log: Vec<AuditRecord>,
}

/// `GET /api/v1/workers/me/export` — everything held about the caller (data-subject access).
#[utoipa::path(get, path = "/api/v1/workers/me/export", tag = "workers",
    responses((status = 200, description = "Toàn bộ dữ liệu về mình và nhật ký truy cập — everything held, and who accessed it", body = Export), Unauthenticated, Forbidden, NotFound))]
pub async fn export_own(State(state): State<AppState>, caller: Caller) -> Result<Json<Export>, ApiError> {
    let id = caller.profile()?;
    let profile = WorkerView::of(records::get_worker(&state.store, id).await?, Disclosure::Full);
    let access_log = accounts::audit_log(&state.store, Some(&id.0.to_string()), 1_000).await?;
    record(&state, &caller.actor(), "export", id, AccessBasis::OwnProfile.code(), None).await?;
    Ok(Json(Export { profile, access_log }))
}

/// A walk-in on the day: the existing profile with the same CCCD or phone (one of the staff
/// member's area), else a new profile. Returns the worker and whether it already existed.
pub(crate) async fn walk_in_or_existing(state: &AppState, caller: &Caller, input: WorkerInput) -> Result<(WorkerId, bool), ApiError> {
    let profile = input.into_profile(WorkerId(Uuid::now_v7()), None)?;
    let actor = caller.actor();
    let existing = records::workers_with_identity(&state.store, profile.cccd.as_ref(), profile.phone.as_ref()).await?;
    if let Some(id) = existing.first() {
        let found = records::get_worker(&state.store, *id).await?;
        let basis = access::may_read_worker(&actor, &found).map_err(denied)?;
        record(state, &actor, "read", found.id, basis.code(), Some("walk-in matched by CCCD/phone".into())).await?;
        return Ok((found.id, true));
    }
    access::may_edit_worker(&actor, &profile).map_err(denied)?;
    let id = records::insert_worker(&state.store, profile).await?;
    record(state, &actor, "create", id, AccessBasis::StaffOfArea.code(), Some("walk-in at a fair".into())).await?;
    Ok((id, false))
}

/// `POST /api/v1/workers` — staff register a walk-in worker of their area.
#[utoipa::path(post, path = "/api/v1/workers", tag = "workers", request_body = WorkerInput,
    responses((status = 201, description = "Hồ sơ đã tạo — profile created", body = WorkerView), Unauthenticated, Forbidden, Invalid,
        (status = 409, description = "Đã có hồ sơ cùng CCCD hoặc số điện thoại — duplicate CCCD or phone", body = ErrorBody)))]
pub async fn register_walk_in(State(state): State<AppState>, caller: Caller, Body(input): Body<WorkerInput>) -> Result<(StatusCode, Json<WorkerView>), ApiError> {
    caller.require_staff()?;
    let profile = input.into_profile(WorkerId(Uuid::now_v7()), None)?;
    access::may_edit_worker(&caller.actor(), &profile).map_err(denied)?;
    refuse_duplicates(&state, &profile).await?;
    let id = records::insert_worker(&state.store, profile).await?;
    record(&state, &caller.actor(), "create", id, AccessBasis::StaffOfArea.code(), Some("walk-in".into())).await?;
    Ok((StatusCode::CREATED, Json(WorkerView::of(records::get_worker(&state.store, id).await?, Disclosure::Full))))
}

/// `GET /api/v1/workers/{id}` — staff of the worker's area, or an employer the worker consented
/// to share with. Audited.
#[utoipa::path(get, path = "/api/v1/workers/{id}", tag = "workers", params(("id" = Uuid, Path, description = "Mã hồ sơ — worker id")),
    responses((status = 200, description = "Hồ sơ; doanh nghiệp không thấy CCCD, dân tộc, nhóm ưu tiên — the profile (employers see less)", body = WorkerView), Unauthenticated, Forbidden, NotFound))]
pub async fn get_one(State(state): State<AppState>, caller: Caller, Path(id): Path<Uuid>) -> Result<Json<WorkerView>, ApiError> {
    let worker = records::get_worker(&state.store, WorkerId(id)).await?;
    let actor = caller.actor();
    let basis = access::may_read_worker(&actor, &worker).map_err(denied)?;
    record(&state, &actor, "read", worker.id, basis.code(), None).await?;
    let disclosure = match basis {
        AccessBasis::OwnProfile | AccessBasis::StaffOfArea => Disclosure::Full,
        AccessBasis::EmployerWithConsent | AccessBasis::PlacementEnterpriseWithConsent => Disclosure::Employer,
    };
    Ok(Json(WorkerView::of(worker, disclosure)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkerSearchParams {
    /// Desired occupation, skills, experience; diacritics optional.
    q: Option<String>,
    /// Commune code; commune staff may only give their own.
    commune: Option<String>,
    /// ISCO-08 code at any level.
    isco: Option<String>,
    sex: Option<Sex>,
    min_age: Option<u32>,
    max_age: Option<u32>,
    willing_abroad: Option<bool>,
    country: Option<String>,
    min_qualification: Option<Qualification>,
    page: Option<usize>,
    per_page: Option<usize>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct WorkerSearchResponse {
    total: usize,
    hits: Vec<WorkerView>,
    facets: WorkerFacets,
}

/// Counts per value, as `[value, count]` pairs.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct WorkerFacets {
    provinces: Vec<(String, u64)>,
    occupations: Vec<(String, u64)>,
    sexes: Vec<(String, u64)>,
}

/// `GET /api/v1/workers/search` — staff search within their own area only; lists mask
/// identity numbers.
#[utoipa::path(get, path = "/api/v1/workers/search", tag = "workers", params(WorkerSearchParams),
    responses((status = 200, description = "Hồ sơ trong địa bàn, CCCD và điện thoại được che — profiles of the caller's area, masked", body = WorkerSearchResponse), Unauthenticated, Forbidden, Invalid))]
pub async fn search(State(state): State<AppState>, caller: Caller, Params(params): Params<WorkerSearchParams>) -> Result<Json<WorkerSearchResponse>, ApiError> {
    caller.require_staff()?;
    let per_page = params.per_page.unwrap_or(20).clamp(1, 100);
    let mut query = WorkerQuery {
        text: params.q.unwrap_or_default(),
        commune: params.commune,
        isco: params.isco.map(|c| IscoCode::parse(&c).map_err(|e| invalid(e.for_field("isco")))).transpose()?,
        sex: params.sex,
        min_age: params.min_age,
        max_age: params.max_age,
        willing_abroad: params.willing_abroad,
        country: params.country,
        min_qualification: params.min_qualification,
        consent: Some(ConsentPurpose::Matching),
        offset: (params.page.unwrap_or(1).max(1) - 1) * per_page,
        limit: per_page,
        ..WorkerQuery::default()
    };
    match caller.role().staff_area() {
        Some(Area::Commune(commune)) => {
            if query.commune.as_ref().is_some_and(|c| c != commune.as_str()) {
                return Err(denied(AccessDenied::OutsideArea));
            }
            query.commune = Some(commune.as_str().to_owned());
        }
        Some(Area::Province(province)) => query.province = Some(province.as_str().to_owned()),
        Some(Area::Everywhere) => {}
        None => return Err(denied(AccessDenied::NotAllowed)),
    }
    let indexes = Arc::clone(&state.indexes);
    let results = tokio::task::spawn_blocking(move || indexes.workers.search(&query))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let ids: Vec<WorkerId> = results.hits.iter().map(|h| WorkerId(h.id)).collect();
    let mut profiles = records::workers_by_ids(&state.store, &ids).await?;
    // Keep the ranking order; and check each profile again against the caller's area (the index
    // may lag a move to another commune by a second).
    profiles.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
    let actor = caller.actor();
    let mut hits = Vec::with_capacity(profiles.len());
    for profile in profiles {
        if access::may_read_worker(&actor, &profile).is_ok() {
            record(&state, &actor, "search", profile.id, AccessBasis::StaffOfArea.code(), None).await?;
            hits.push(WorkerView::of(profile, Disclosure::Masked));
        }
    }
    Ok(Json(WorkerSearchResponse {
        total: results.total,
        hits,
        facets: WorkerFacets { provinces: results.provinces, occupations: results.occupations, sexes: results.sexes },
    }))
}
