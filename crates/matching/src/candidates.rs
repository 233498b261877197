//! Top-K in both directions. Candidates come from the search indexes (filters only, so the
//! pool is decided by the same rules for everybody), then each candidate is checked against
//! the eligibility rules and scored in full, and the best K are explained.
//!
//! Candidates for a vacancy: profiles in the vacancy's ISCO sub-major group — when more than
//! `pool_limit` match, those of the unit group first, then the minor group, then the rest, up
//! to `pool_limit`; for a domestic vacancy only
//! those living within `radius_km`; for a job order only those willing to go abroad and inside
//! the age band of the programme's rules in force. Vacancies for a worker: open vacancies in
//! the sub-major groups of the worker's desired and past occupations, near home, plus job
//! orders abroad when the worker wants to go.

use std::collections::{BTreeSet, HashMap};

use caunoi_domain::records::ConsentPurpose;
use caunoi_domain::{IscoCode, ProvinceCode, Sex};
use caunoi_search::{Near, SearchError, VacancyIndex, VacancyQuery, WorkerIndex, WorkerQuery};
use chrono::{Duration, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::eligibility::{EligibilityContext, Outcome, evaluate};
use crate::engine::{MatchExplanation, Matcher, Scored};
use crate::evidence::WorkerEvidence;
use crate::features::{VacancyFeatures, WorkerFeatures};
use crate::ranking::compare;
use crate::scoring::score;
use crate::rules::{Check, RuleTable};

#[derive(Debug, thiserror::Error)]
pub enum MatchingError {
    #[error("Lỗi chỉ mục tìm kiếm khi lấy ứng viên (search index error while generating candidates): {0}")]
    Search(#[from] SearchError),
}

/// Where full worker features (and recorded evidence) are looked up by id.
pub trait WorkerSource: Sync {
    fn worker(&self, id: Uuid) -> Option<&WorkerFeatures>;

    fn evidence(&self, _id: Uuid) -> &WorkerEvidence {
        WorkerEvidence::none()
    }
}

impl WorkerSource for HashMap<Uuid, WorkerFeatures> {
    fn worker(&self, id: Uuid) -> Option<&WorkerFeatures> {
        self.get(&id)
    }
}

/// Worker features in memory, looked up by id (one copy, in insertion order).
#[derive(Debug, Default)]
pub struct WorkerPool {
    workers: Vec<WorkerFeatures>,
    by_id: HashMap<Uuid, usize>,
}

impl WorkerPool {
    pub fn new(workers: Vec<WorkerFeatures>) -> Self {
        let by_id = workers.iter().enumerate().map(|(i, w)| (w.id, i)).collect();
        Self { workers, by_id }
    }

    pub fn as_slice(&self) -> &[WorkerFeatures] {
        &self.workers
    }
}

impl WorkerSource for WorkerPool {
    fn worker(&self, id: Uuid) -> Option<&WorkerFeatures> {
        self.by_id.get(&id).map(|&i| &self.workers[i])
    }
}

/// Where vacancy features are looked up by id.
pub trait VacancySource: Sync {
    fn vacancy(&self, id: Uuid) -> Option<&VacancyFeatures>;
}

impl VacancySource for HashMap<Uuid, VacancyFeatures> {
    fn vacancy(&self, id: Uuid) -> Option<&VacancyFeatures> {
        self.get(&id)
    }
}

/// Staff filters for a shortlist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateFilters {
    pub province: Option<ProvinceCode>,
    /// Only people living in this commune (commune staff see their commune only).
    pub commune: Option<String>,
    pub sex: Option<Sex>,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// Domestic vacancies: only people living this close to the workplace (`None`: anywhere).
    pub radius_km: Option<f64>,
    /// Keep candidates who fail a rule (shown with the reason) instead of dropping them.
    pub include_ineligible: bool,
    /// The consent a profile must have in force to be proposed.
    pub consent: ConsentPurpose,
    /// How many profiles are scored in full at most.
    pub pool_limit: usize,
}

impl Default for CandidateFilters {
    fn default() -> Self {
        Self {
            province: None,
            commune: None,
            sex: None,
            min_age: None,
            max_age: None,
            radius_km: Some(60.0),
            include_ineligible: false,
            consent: ConsentPurpose::Matching,
            pool_limit: 3_000,
        }
    }
}

/// One result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedMatch {
    /// 1-based.
    pub rank: usize,
    pub scored: Scored,
    pub explanation: MatchExplanation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateResults {
    /// Profiles the index matched at the widest tier tried (the pool may have been cut).
    pub total_matching: usize,
    /// Profiles scored in full.
    pub considered: usize,
    /// Profiles whose eligibility rules were evaluated, best score first, until `k` passed.
    pub checked: usize,
    pub top: Vec<RankedMatch>,
}

/// The first `digits` digits of an ISCO code (the code itself if shorter).
pub fn isco_group(code: &IscoCode, digits: usize) -> IscoCode {
    code.ancestors().into_iter().nth(digits.saturating_sub(1)).unwrap_or_else(|| code.clone())
}

/// The tightest age band of the age rules in force for a vacancy (for prefiltering only; the
/// rules themselves are still evaluated on every candidate).
pub fn age_bounds(table: &RuleTable, vacancy: &VacancyFeatures, variants: &[String], on: NaiveDate) -> (Option<u32>, Option<u32>) {
    let mut bounds = (None, None);
    for rule in table.applicable(vacancy.programme(), variants, on) {
        if let Check::AgeBand { min, max } = rule.check {
            bounds.0 = bounds.0.max(min);
            bounds.1 = match (bounds.1, max) {
                (Some(a), Some(b)) => Some(u32::min(a, b)),
                (a, b) => a.or(b),
            };
        }
    }
    bounds
}

fn tighter_min(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    a.max(b)
}

fn tighter_max(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// The best `k` by rank among `scored` that pass eligibility (unless `keep_failed`): ranks
/// everything by score, then evaluates the rules best first, only until `k` are found — the
/// same result as filtering first, without checking rules for people who would not be shown.
/// Returns the chosen and how many had their rules checked.
fn best_eligible(
    mut scored: Vec<Scored>,
    k: usize,
    matcher: &Matcher,
    keep_failed: bool,
    eligibility: impl Fn(&Scored) -> Outcome,
) -> (Vec<Scored>, usize) {
    scored.sort_by(|a, b| compare(&a.key(), &b.key(), &matcher.priority));
    let mut chosen = Vec::with_capacity(k);
    let mut checked = 0;
    for mut candidate in scored {
        if chosen.len() >= k {
            break;
        }
        checked += 1;
        candidate.eligibility = eligibility(&candidate);
        if keep_failed || candidate.eligibility != Outcome::Fail {
            chosen.push(candidate);
        }
    }
    (chosen, checked)
}

/// Explains ranked items, numbering them from 1.
fn explained(chosen: Vec<Scored>, explain: impl Fn(&Scored) -> Option<MatchExplanation>) -> Vec<RankedMatch> {
    chosen
        .into_iter()
        .filter_map(|s| explain(&s).map(|explanation| (s, explanation)))
        .enumerate()
        .map(|(i, (scored, explanation))| RankedMatch { rank: i + 1, scored, explanation })
        .collect()
}

/// The profiles a shortlist is drawn from: ids in pool order (closest occupations first) and
/// how many matched at the widest tier tried.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidatePool {
    pub ids: Vec<Uuid>,
    pub total_matching: usize,
}

/// Top-`k` candidates for a vacancy (staff only): [`candidate_pool`] then [`rank_pool`].
pub fn top_candidates(
    index: &WorkerIndex,
    workers: &impl WorkerSource,
    vacancy: &VacancyFeatures,
    filters: &CandidateFilters,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> Result<CandidateResults, MatchingError> {
    let pool = candidate_pool(index, vacancy, filters, k, matcher, context)?;
    Ok(rank_pool(&pool, workers, vacancy, filters, k, matcher, context))
}

/// Who may be proposed for a vacancy, decided by index filters only (the same rules for
/// everybody). Callers whose profiles live elsewhere (a database) load the pool's ids, then
/// call [`rank_pool`].
pub fn candidate_pool(
    index: &WorkerIndex,
    vacancy: &VacancyFeatures,
    filters: &CandidateFilters,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> Result<CandidatePool, MatchingError> {
    let on = context.on;
    let (rule_min, rule_max) = age_bounds(context.table, vacancy, context.variants, on);
    let mut base = WorkerQuery {
        province: filters.province.as_ref().map(|p| p.to_string()),
        commune: filters.commune.clone(),
        sex: filters.sex,
        min_age: tighter_min(filters.min_age, rule_min),
        max_age: tighter_max(filters.max_age, rule_max),
        as_of: Some(on),
        available_by: Some(on + Duration::days(matcher.scoring.availability_horizon_days)),
        consent: Some(filters.consent),
        limit: filters.pool_limit.max(k),
        ..WorkerQuery::default()
    };
    match (&vacancy.overseas, &vacancy.commune, filters.radius_km) {
        (Some(_), _, _) => base.willing_abroad = Some(true),
        (None, Some(commune), Some(radius_km)) => base.near = Some(Near { commune: commune.clone(), radius_km }),
        _ => {}
    }
    // One query for the whole sub-major group when it fits in the pool (the usual case);
    // otherwise closest occupations first: unit group, minor group, then the rest.
    let limit = base.limit;
    let query_group = |digits: usize| WorkerQuery { isco: Some(isco_group(&vacancy.occupation, digits)), ..base.clone() };
    // A count first (one id read), so a cut pool reads no more ids than it keeps.
    let total_matching = index.search(&WorkerQuery { limit: 1, ..query_group(2) })?.total;
    let mut pool: Vec<Uuid> = Vec::with_capacity(limit);
    let mut seen = std::collections::HashSet::new();
    let tiers: Vec<usize> = if total_matching <= limit {
        vec![2]
    } else {
        [4, 3].into_iter().filter(|d| *d <= vacancy.occupation.level() as usize).chain([2]).collect()
    };
    for digits in tiers {
        let results = index.search(&query_group(digits))?;
        pool.extend(results.hits.iter().map(|h| h.id).filter(|id| seen.insert(*id)));
        if pool.len() >= limit {
            break;
        }
    }
    pool.truncate(limit);
    Ok(CandidatePool { ids: pool, total_matching })
}

/// Scores a pool in full and explains the best `k` that pass eligibility (all `k` best with
/// `include_ineligible`). Pool members `workers` does not know are skipped.
pub fn rank_pool(
    pool: &CandidatePool,
    workers: &impl WorkerSource,
    vacancy: &VacancyFeatures,
    filters: &CandidateFilters,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> CandidateResults {
    let on = context.on;
    let total_matching = pool.total_matching;
    let candidates: Vec<&WorkerFeatures> = pool.ids.iter().filter_map(|id| workers.worker(*id)).collect();
    // Scores first (in parallel); rules only for those who could make the top k.
    let scored: Vec<Scored> = candidates
        .par_iter()
        .map(|worker| Scored {
            id: worker.id,
            score: score(worker, vacancy, on, &matcher.scoring),
            priority: matcher.is_priority(worker),
            eligibility: Outcome::Unknown,
        })
        .collect();
    let considered = scored.len();
    let (chosen, checked) = best_eligible(scored, k, matcher, filters.include_ineligible, |s| {
        workers.worker(s.id).map_or(Outcome::Fail, |worker| {
            evaluate(worker, vacancy, &context.with_evidence(workers.evidence(s.id))).outcome
        })
    });
    let top = explained(chosen, |s| {
        let worker = workers.worker(s.id)?;
        Some(matcher.explain(worker, vacancy, &context.with_evidence(workers.evidence(s.id))))
    });
    CandidateResults { total_matching, considered, checked, top }
}

/// How far the vacancy search for a worker reaches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecommendationScope {
    /// Domestic vacancies within this distance of home.
    pub radius_km: f64,
    /// Vacancies scored in full at most, per occupation group and direction (domestic/abroad).
    pub per_query: usize,
}

impl Default for RecommendationScope {
    fn default() -> Self {
        Self { radius_km: 60.0, per_query: 100 }
    }
}

/// The ISCO sub-major groups a worker is looking in: desired occupation and past jobs.
fn worker_groups(worker: &WorkerFeatures) -> BTreeSet<IscoCode> {
    worker
        .desired_occupation
        .iter()
        .chain(worker.experience.iter().filter_map(|e| e.occupation.as_ref()))
        .map(|code| isco_group(code, 2))
        .collect()
}

/// Where candidate vacancies for a worker come from: the vacancy index (one worker at a time,
/// always current) or a [`VacancyCatalogue`] in memory (batches). Both apply the same rule:
/// open vacancies in the worker's occupation groups, domestic ones within `radius_km` of home,
/// job orders abroad when the worker wants to go, the newest `per_query` of each.
pub trait VacancyCandidates: Sync {
    fn candidates(&self, worker: &WorkerFeatures, scope: &RecommendationScope, on: NaiveDate) -> Result<BTreeSet<Uuid>, MatchingError>;
}

impl VacancyCandidates for VacancyIndex {
    fn candidates(&self, worker: &WorkerFeatures, scope: &RecommendationScope, on: NaiveDate) -> Result<BTreeSet<Uuid>, MatchingError> {
        vacancy_candidates(self, worker, scope, on)
    }
}

/// Candidate vacancy ids for a worker from the vacancy index.
pub fn vacancy_candidates(index: &VacancyIndex, worker: &WorkerFeatures, scope: &RecommendationScope, on: NaiveDate) -> Result<BTreeSet<Uuid>, MatchingError> {
    let mut ids = BTreeSet::new();
    for group in worker_groups(worker) {
        let base = VacancyQuery { isco: Some(group), open_on: Some(on), limit: scope.per_query, ..VacancyQuery::default() };
        let home = VacancyQuery {
            overseas: Some(false),
            near: Some(Near { commune: worker.residence_commune.clone(), radius_km: scope.radius_km }),
            ..base.clone()
        };
        let mut queries = vec![home];
        if worker.willing_abroad {
            queries.push(VacancyQuery { overseas: Some(true), ..base });
        }
        for query in queries {
            // Without text the index returns the newest first; it pages by 100.
            let mut offset = 0;
            while offset < scope.per_query {
                let page = index.search(&VacancyQuery { offset, limit: (scope.per_query - offset).min(100), ..query.clone() })?;
                let got = page.hits.len();
                ids.extend(page.hits.into_iter().map(|h| h.id));
                offset += got;
                if got == 0 || offset >= page.total {
                    break;
                }
            }
        }
    }
    Ok(ids)
}

/// Size of the map cells domestic vacancies are filed under, in degrees.
const CELL_DEGREES: f64 = 0.5;
/// Kilometres per degree of latitude, and of longitude at Vietnam's northern tip (23.4° N),
/// the narrowest: scanning enough cells there is enough everywhere.
const KM_PER_DEGREE_LAT: f64 = 111.0;
const KM_PER_DEGREE_LON_MIN: f64 = 101.8;

/// Vacancy features in memory, filed by ISCO sub-major group and map cell, for batch
/// recommendations where an index query per worker would cost more than the scoring.
pub struct VacancyCatalogue {
    vacancies: Vec<VacancyFeatures>,
    by_id: HashMap<Uuid, usize>,
    /// (group, cell) → domestic vacancies, newest first.
    domestic: HashMap<(IscoCode, (i32, i32)), Vec<usize>>,
    /// group → job orders abroad, newest first.
    abroad: HashMap<IscoCode, Vec<usize>>,
}

fn cell_of(point: crate::features::GeoPoint) -> (i32, i32) {
    ((point.lat / CELL_DEGREES).floor() as i32, (point.lon / CELL_DEGREES).floor() as i32)
}

impl VacancyCatalogue {
    pub fn new(vacancies: Vec<VacancyFeatures>) -> Self {
        let mut domestic: HashMap<(IscoCode, (i32, i32)), Vec<usize>> = HashMap::new();
        let mut abroad: HashMap<IscoCode, Vec<usize>> = HashMap::new();
        for (i, v) in vacancies.iter().enumerate() {
            let group = isco_group(&v.occupation, 2);
            match (&v.overseas, v.location) {
                (Some(_), _) => abroad.entry(group).or_default().push(i),
                (None, Some(point)) => domestic.entry((group, cell_of(point))).or_default().push(i),
                (None, None) => {}
            }
        }
        let newest_first = |list: &mut Vec<usize>| {
            list.sort_by(|&a, &b| vacancies[b].posted_at.cmp(&vacancies[a].posted_at).then(vacancies[a].id.cmp(&vacancies[b].id)));
        };
        domestic.values_mut().for_each(newest_first);
        abroad.values_mut().for_each(newest_first);
        let by_id = vacancies.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
        Self { vacancies, by_id, domestic, abroad }
    }

    pub fn len(&self) -> usize {
        self.vacancies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vacancies.is_empty()
    }
}

impl VacancySource for VacancyCatalogue {
    fn vacancy(&self, id: Uuid) -> Option<&VacancyFeatures> {
        self.by_id.get(&id).map(|&i| &self.vacancies[i])
    }
}

impl VacancyCandidates for VacancyCatalogue {
    fn candidates(&self, worker: &WorkerFeatures, scope: &RecommendationScope, on: NaiveDate) -> Result<BTreeSet<Uuid>, MatchingError> {
        let mut ids = BTreeSet::new();
        for group in worker_groups(worker) {
            if let Some(home) = worker.location {
                let (row, col) = cell_of(home);
                let rows = (scope.radius_km / (KM_PER_DEGREE_LAT * CELL_DEGREES)).ceil() as i32;
                let cols = (scope.radius_km / (KM_PER_DEGREE_LON_MIN * CELL_DEGREES)).ceil() as i32;
                let mut near: Vec<usize> = Vec::new();
                for r in row - rows..=row + rows {
                    for c in col - cols..=col + cols {
                        if let Some(list) = self.domestic.get(&(group.clone(), (r, c))) {
                            near.extend(list.iter().copied().filter(|&i| {
                                let v = &self.vacancies[i];
                                v.is_open_on(on) && v.location.is_some_and(|p| p.distance_km(home) <= scope.radius_km)
                            }));
                        }
                    }
                }
                near.sort_by(|&a, &b| {
                    self.vacancies[b].posted_at.cmp(&self.vacancies[a].posted_at).then(self.vacancies[a].id.cmp(&self.vacancies[b].id))
                });
                ids.extend(near.into_iter().take(scope.per_query).map(|i| self.vacancies[i].id));
            }
            if worker.willing_abroad
                && let Some(list) = self.abroad.get(&group)
            {
                let open = list.iter().map(|&i| &self.vacancies[i]).filter(|v| v.is_open_on(on));
                ids.extend(open.take(scope.per_query).map(|v| v.id));
            }
        }
        Ok(ids)
    }
}

/// Scores the open candidate vacancies and keeps the best `k` the worker is not ineligible for.
fn best_vacancies(
    worker: &WorkerFeatures,
    ids: &BTreeSet<Uuid>,
    vacancies: &impl VacancySource,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> Vec<Scored> {
    let scored: Vec<Scored> = ids
        .iter()
        .filter_map(|id| vacancies.vacancy(*id))
        .filter(|v| v.is_open_on(context.on))
        .map(|vacancy| Scored {
            id: vacancy.id,
            score: score(worker, vacancy, context.on, &matcher.scoring),
            priority: false,
            eligibility: Outcome::Unknown,
        })
        .collect();
    best_eligible(scored, k, matcher, false, |s| {
        vacancies.vacancy(s.id).map_or(Outcome::Fail, |vacancy| evaluate(worker, vacancy, context).outcome)
    })
    .0
}

/// Top-`k` vacancies for one worker, explained. Vacancies the worker fails a rule of are left out.
pub fn top_vacancies(
    index: &impl VacancyCandidates,
    vacancies: &impl VacancySource,
    worker: &WorkerFeatures,
    scope: &RecommendationScope,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> Result<Vec<RankedMatch>, MatchingError> {
    let ids = index.candidates(worker, scope, context.on)?;
    let chosen = best_vacancies(worker, &ids, vacancies, k, matcher, context);
    Ok(explained(chosen, |s| vacancies.vacancy(s.id).map(|v| matcher.explain(worker, v, context))))
}

/// Top-`k` vacancies for many workers at once (scores only; explain a pair when it is shown),
/// in parallel. Results are in the order of `workers`.
pub fn recommend_batch(
    index: &impl VacancyCandidates,
    vacancies: &impl VacancySource,
    workers: &[&WorkerFeatures],
    scope: &RecommendationScope,
    k: usize,
    matcher: &Matcher,
    context: &EligibilityContext<'_>,
) -> Result<Vec<Vec<Scored>>, MatchingError> {
    workers
        .par_iter()
        .map(|worker| {
            let ids = index.candidates(worker, scope, context.on)?;
            Ok(best_vacancies(worker, &ids, vacancies, k, matcher, context))
        })
        .collect()
}
