//! Recommendations for a seeker, explained; eligibility of a worker for a job order (staff).
//! Scoring and rules live in `caunoi-matching`; this module only loads records and answers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use caunoi_domain::access;
use caunoi_domain::records::{VacancyId, WorkerId};
use caunoi_matching::candidates::VacancyCandidates;
use caunoi_matching::{
    Eligibility, EligibilityContext, Matcher, RankedMatch, RecommendationScope, VacancyFeatures, WageConversion, WorkerFeatures,
    evaluate, top_vacancies,
};
use caunoi_store::records;
use chrono::Utc;
use uuid::Uuid;

use crate::auth::{Caller, forbidden};
use crate::workers::record;
use crate::{ApiError, AppState};

/// Recommendations per request.
const RECOMMENDATIONS: usize = 20;

#[derive(serde::Serialize)]
pub struct Recommendation {
    vacancy_id: Uuid,
    title: String,
    #[serde(flatten)]
    ranked: RankedMatch,
}

fn internal(error: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(error.to_string())
}

/// `GET /api/v1/workers/me/recommendations` — the best open vacancies for the caller, each with
/// its score factors, eligibility per rule and the gaps to close ("thiếu JLPT N4 — có N5").
pub async fn for_me(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Recommendation>>, ApiError> {
    let worker_id = match caller.role() {
        caunoi_domain::access::Role::Seeker { worker: Some(id) } => *id,
        _ => return Err(forbidden("SEEKERS_ONLY", "Chức năng này dành cho người tìm việc đã có hồ sơ.", "Only seekers with a profile may use this.")),
    };
    let worker = WorkerFeatures::from_profile(&records::get_worker(&state.store, worker_id).await?);
    let today = Utc::now().date_naive();
    let scope = RecommendationScope::default();
    let indexes = Arc::clone(&state.indexes);
    let candidate_worker = worker.clone();
    let ids = tokio::task::spawn_blocking(move || indexes.vacancies.candidates(&candidate_worker, &scope, today))
        .await
        .map_err(internal)?
        .map_err(internal)?;
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
    .map_err(internal)?
    .map_err(internal)?;
    Ok(Json(
        ranked
            .into_iter()
            .map(|ranked| {
                let vacancy_id = ranked.explanation.vacancy_id;
                Recommendation { vacancy_id, title: titles.get(&vacancy_id).cloned().unwrap_or_default(), ranked }
            })
            .collect(),
    ))
}

/// `GET /api/v1/workers/{worker}/eligibility/{vacancy}` — pass / fail / unknown per rule of the
/// programme and per must-have of the job order, for staff of the worker's area (audited).
pub async fn eligibility(State(state): State<AppState>, caller: Caller, Path((worker, vacancy)): Path<(Uuid, Uuid)>) -> Result<Json<Eligibility>, ApiError> {
    caller.require_staff()?;
    let profile = records::get_worker(&state.store, WorkerId(worker)).await?;
    let actor = caller.actor();
    let basis = access::may_read_worker(&actor, &profile)
        .map_err(|reason| forbidden(reason.code(), &reason.to_string(), reason.message_en()))?;
    let vacancy = records::get_vacancy(&state.store, VacancyId(vacancy)).await?;
    record(&state, &actor, "eligibility", profile.id, basis.code(), Some(format!("vacancy {}", vacancy.id.0))).await?;
    let today = Utc::now().date_naive();
    let result = evaluate(
        &WorkerFeatures::from_profile(&profile),
        &VacancyFeatures::from_vacancy(&vacancy, &WageConversion::default()),
        &EligibilityContext::on(today),
    );
    Ok(Json(result))
}
