//! Recommendations for a seeker, explained; ranked candidates for a vacancy (staff of the
//! candidates' area; the vacancy's employer, among those who consented to share with it);
//! eligibility of a worker for a job order (staff). Scoring and rules live in
//! `caunoi-matching`; this module only loads records, applies the caller's scope and answers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use caunoi_domain::access::{self, Area, Role};
use caunoi_domain::records::{ConsentPurpose, VacancyId, WorkerId};
use caunoi_domain::{ProvinceCode, Sex};
use caunoi_matching::candidates::VacancyCandidates;
use caunoi_matching::{
    CandidateFilters, Eligibility, EligibilityContext, FairnessConfig, FairnessReport, Matcher, RankedMatch, RecommendationScope,
    VacancyFeatures, WageConversion, WorkerFeatures, WorkerPool, candidate_pool, evaluate, fairness_report, rank_pool, top_vacancies,
};
use caunoi_store::records;
use uuid::Uuid;

use crate::auth::{Caller, forbidden};
use crate::extract::{Params, Path};
use crate::openapi::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::workers::{Disclosure, WorkerView, denied, record};
use crate::{ApiError, AppState};

/// Recommendations per request.
const RECOMMENDATIONS: usize = 20;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Recommendation {
    vacancy_id: Uuid,
    title: String,
    /// `rank`, `scored` (score, eligibility) and `explanation`: every score factor with its
    /// contribution and a Vietnamese reason, the rules passed / failed / unknown, the gaps and
    /// the training that would close them.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    ranked: RankedMatch,
    /// For each gap, upcoming vocational classes near the seeker that teach it.
    training: Vec<crate::training::GapClasses>,
}


/// `GET /api/v1/workers/me/recommendations` — the best open vacancies for the caller, each with
/// its score factors, eligibility per rule and the gaps to close ("thiếu JLPT N4 — có N5").
#[utoipa::path(get, path = "/api/v1/workers/me/recommendations", tag = "matching",
    responses((status = 200, description = "Việc làm phù hợp nhất, có giải thích — best vacancies, explained", body = Vec<Recommendation>), Unauthenticated, Forbidden, NotFound))]
pub async fn for_me(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Recommendation>>, ApiError> {
    let worker_id = match caller.role() {
        caunoi_domain::access::Role::Seeker { worker: Some(id) } => *id,
        _ => return Err(forbidden("SEEKERS_ONLY", "Chức năng này dành cho người tìm việc đã có hồ sơ.", "Only seekers with a profile may use this.")),
    };
    let profile = records::get_worker(&state.store, worker_id).await?;
    let worker = WorkerFeatures::from_profile(&profile);
    let today = crate::today();
    let scope = RecommendationScope::default();
    let indexes = Arc::clone(&state.indexes);
    let candidate_worker = worker.clone();
    let ids = tokio::task::spawn_blocking(move || indexes.vacancies.candidates(&candidate_worker, &scope, today))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let ids: Vec<VacancyId> = ids.into_iter().map(VacancyId).collect();
    let vacancies = records::vacancies_by_ids(&state.store, &ids).await?;
    let titles: HashMap<Uuid, String> = vacancies.iter().map(|v| (v.id.0, v.title.clone())).collect();
    let wages = WageConversion::default();
    let features: HashMap<Uuid, VacancyFeatures> = vacancies.iter().map(|v| (v.id.0, VacancyFeatures::from_vacancy(v, &wages))).collect();
    let indexes = Arc::clone(&state.indexes);
    let ranked = tokio::task::spawn_blocking(move || {
        top_vacancies(&indexes.vacancies, &features, &worker, &scope, RECOMMENDATIONS, &Matcher::default(), &EligibilityContext::on(today))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let offers = crate::training::offers_near(&state, &profile).await?;
    Ok(Json(
        ranked
            .into_iter()
            .map(|ranked| {
                let vacancy_id = ranked.explanation.vacancy_id;
                let training = crate::training::classes_for_gaps(&profile, &offers, &ranked.explanation.gaps);
                Recommendation { vacancy_id, title: titles.get(&vacancy_id).cloned().unwrap_or_default(), ranked, training }
            })
            .collect(),
    ))
}

/// `GET /api/v1/workers/{worker}/eligibility/{vacancy}` — pass / fail / unknown per rule of the
/// programme and per must-have of the job order, for staff of the worker's area (audited).
#[utoipa::path(get, path = "/api/v1/workers/{worker}/eligibility/{vacancy}", tag = "matching",
    params(("worker" = Uuid, Path, description = "Mã hồ sơ — worker id"), ("vacancy" = Uuid, Path, description = "Mã việc làm / đơn hàng — vacancy or job order id")),
    responses((status = 200, description = "Đạt / không đạt / thiếu dữ liệu theo từng điều kiện, có căn cứ — pass / fail / unknown per rule, with its reference", body = serde_json::Value),
        Unauthenticated, Forbidden, NotFound))]
pub async fn eligibility(State(state): State<AppState>, caller: Caller, Path((worker, vacancy)): Path<(Uuid, Uuid)>) -> Result<Json<Eligibility>, ApiError> {
    caller.require_staff()?;
    let profile = records::get_worker(&state.store, WorkerId(worker)).await?;
    let actor = caller.actor();
    let basis = access::may_read_worker(&actor, &profile)
        .map_err(|reason| forbidden(reason.code(), &reason.to_string(), reason.message_en()))?;
    let vacancy = records::get_vacancy(&state.store, VacancyId(vacancy)).await?;
    record(&state, &actor, "eligibility", profile.id, basis.code(), Some(format!("vacancy {}", vacancy.id.0))).await?;
    let today = crate::today();
    let result = evaluate(
        &WorkerFeatures::from_profile(&profile),
        &VacancyFeatures::from_vacancy(&vacancy, &WageConversion::default()),
        &EligibilityContext::on(today),
    );
    Ok(Json(result))
}

/// Candidates per request at most.
const MAX_CANDIDATES: usize = 50;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    /// How many (1–50, default 20).
    limit: Option<usize>,
    /// Province code (2025): only people living there (within the caller's area).
    province: Option<ProvinceCode>,
    sex: Option<Sex>,
    min_age: Option<u32>,
    max_age: Option<u32>,
    /// Domestic vacancies: only people living this close to the workplace (default 60 km; 0 = anywhere).
    radius_km: Option<f64>,
    /// Also list people who fail a rule, with the reason (default false).
    include_ineligible: Option<bool>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Candidate {
    /// As the caller may see it: masked identity numbers for staff; for employers no CCCD,
    /// ethnicity or priority groups.
    worker: WorkerView,
    /// `rank`, `scored` and `explanation` (factors with contributions, rules, gaps, training).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    ranked: RankedMatch,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CandidateList {
    vacancy_id: Uuid,
    /// Profiles the index matched (occupation group, place, age band, consent, availability).
    total_matching: usize,
    /// Profiles scored in full.
    considered: usize,
    candidates: Vec<Candidate>,
    /// Staff only: exposure by sex, age band, ethnicity, disability and province in this list,
    /// against the pool it was drawn from; groups under-exposed are flagged.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    fairness: Option<FairnessReport>,
}


/// `GET /api/v1/vacancies/{id}/candidates` — the best candidates for a vacancy or job order,
/// each with the factors of its score. Staff see people of their own area who consented to
/// matching; the vacancy's employer sees only people who consented to share with employers
/// (placement enterprises: with placement enterprises). Every listed profile is audited.
#[utoipa::path(get, path = "/api/v1/vacancies/{id}/candidates", tag = "matching",
    params(("id" = Uuid, Path, description = "Mã việc làm / đơn hàng — vacancy or job order id"), CandidateParams),
    responses((status = 200, description = "Ứng viên xếp hạng, có giải thích và báo cáo công bằng (cán bộ) — ranked candidates, explained; fairness report for staff", body = CandidateList),
        Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn for_vacancy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    Params(params): Params<CandidateParams>,
) -> Result<Json<CandidateList>, ApiError> {
    let vacancy = records::get_vacancy(&state.store, VacancyId(id)).await?;
    let mut filters = CandidateFilters {
        province: params.province,
        sex: params.sex,
        min_age: params.min_age,
        max_age: params.max_age,
        include_ineligible: params.include_ineligible.unwrap_or(false),
        ..CandidateFilters::default()
    };
    if let Some(radius_km) = params.radius_km {
        if !(0.0..=2_000.0).contains(&radius_km) {
            return Err(ApiError::bad_param("radius_km", "Bán kính phải từ 0 đến 2.000 km.", "radius_km must be between 0 and 2,000."));
        }
        filters.radius_km = (radius_km > 0.0).then_some(radius_km);
    }
    let k = params.limit.unwrap_or(20);
    if !(1..=MAX_CANDIDATES).contains(&k) {
        return Err(ApiError::bad_param("limit", "Số ứng viên phải từ 1 đến 50.", "limit must be between 1 and 50."));
    }
    // The caller's scope, applied before the index is asked.
    let is_staff = match caller.role() {
        Role::Employer { employer, placement_enterprise } => {
            if *employer != vacancy.employer_id {
                return Err(forbidden("NOT_OWNER", "Chỉ doanh nghiệp đăng tin mới xem được ứng viên của tin này.", "Only the vacancy's employer may see its candidates."));
            }
            filters.consent = if *placement_enterprise { ConsentPurpose::ShareWithPlacementEnterprises } else { ConsentPurpose::ShareWithEmployers };
            false
        }
        role => match role.staff_area() {
            Some(Area::Commune(commune)) => {
                filters.commune = Some(commune.as_str().to_owned());
                true
            }
            Some(Area::Province(province)) => {
                if filters.province.as_ref().is_some_and(|p| *p != province) {
                    return Err(denied(access::AccessDenied::OutsideArea));
                }
                filters.province = Some(province);
                true
            }
            Some(Area::Everywhere) => true,
            None => return Err(forbidden("STAFF_OR_EMPLOYER_ONLY", "Chức năng này dành cho cán bộ và doanh nghiệp đăng tin.", "Only staff and the vacancy's employer may use this.")),
        },
    };
    let today = crate::today();
    let features = VacancyFeatures::from_vacancy(&vacancy, &WageConversion::default());
    let indexes = Arc::clone(&state.indexes);
    let (pool_features, pool_filters) = (features.clone(), filters.clone());
    let pool = tokio::task::spawn_blocking(move || {
        candidate_pool(&indexes.workers, &pool_features, &pool_filters, k, &Matcher::default(), &EligibilityContext::on(today))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    // Profiles from the database, each checked again against the caller (the index may lag a
    // withdrawn consent or a move by a moment).
    let ids: Vec<WorkerId> = pool.ids.iter().copied().map(WorkerId).collect();
    let actor = caller.actor();
    let profiles: HashMap<Uuid, _> = records::workers_by_ids(&state.store, &ids)
        .await?
        .into_iter()
        .filter_map(|profile| access::may_read_worker(&actor, &profile).ok().map(|basis| (profile.id.0, (profile, basis))))
        .collect();
    let workers = WorkerPool::new(profiles.values().map(|(profile, _)| WorkerFeatures::from_profile(profile)).collect());
    let (results, workers) = tokio::task::spawn_blocking(move || {
        let results = rank_pool(&pool, &workers, &features, &filters, k, &Matcher::default(), &EligibilityContext::on(today));
        (results, workers)
    })
    .await
    .map_err(ApiError::internal)?;
    let fairness = is_staff.then(|| {
        let ranked: Vec<&WorkerFeatures> = results.top.iter().filter_map(|r| caunoi_matching::WorkerSource::worker(&workers, r.scored.id)).collect();
        let pool: Vec<&WorkerFeatures> = workers.as_slice().iter().collect();
        fairness_report(&ranked, &pool, today, &FairnessConfig::default())
    });
    let mut candidates = Vec::with_capacity(results.top.len());
    for ranked in results.top {
        let Some((profile, basis)) = profiles.get(&ranked.scored.id) else { continue };
        record(&state, &actor, "candidates", profile.id, basis.code(), Some(format!("vacancy {id}"))).await?;
        let disclosure = if is_staff { Disclosure::Masked } else { Disclosure::Employer };
        candidates.push(Candidate { worker: WorkerView::of(profile.clone(), disclosure), ranked });
    }
    Ok(Json(CandidateList { vacancy_id: id, total_matching: results.total_matching, considered: results.considered, candidates, fairness }))
}
