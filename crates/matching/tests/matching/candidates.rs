//! Top-K through the real search indexes, checked against scoring every profile by hand.

use std::collections::HashMap;

use caunoi_demo::{DemoConfig, Generator};
use caunoi_domain::records::{ConsentPurpose, Vacancy, WorkerProfile, Workplace};
use caunoi_matching::candidates::{age_bounds, isco_group};
use caunoi_matching::ranking::top_k;
use caunoi_matching::{
    CandidateFilters, EligibilityContext, Matcher, Outcome, RecommendationScope, Scored, VacancyCandidates, VacancyCatalogue,
    VacancyFeatures, WageConversion, WorkerFeatures, recommend_batch, top_candidates, top_vacancies,
};
use caunoi_search::{ExchangeRates, VacancyDocument, VacancyIndex, WorkerDocument, WorkerIndex};
use chrono::Duration;
use uuid::Uuid;

use crate::fixtures::*;

const WORKERS: usize = 3_000;
const VACANCIES: usize = 400;

struct World {
    profiles: Vec<WorkerProfile>,
    workers: HashMap<Uuid, WorkerFeatures>,
    worker_index: WorkerIndex,
    vacancies: Vec<Vacancy>,
    vacancy_features: HashMap<Uuid, VacancyFeatures>,
    vacancy_index: VacancyIndex,
}

fn world() -> World {
    let generator = Generator::new(DemoConfig { seed: 11, as_of: ymd(2026, 12, 1), vacancies: VACANCIES, workers: WORKERS });
    let profiles: Vec<WorkerProfile> = (0..WORKERS).map(|i| generator.worker(i).0).collect();
    let worker_index = WorkerIndex::in_memory().unwrap();
    for profile in &profiles {
        worker_index.upsert(&WorkerDocument::from_profile(profile)).unwrap();
    }
    worker_index.commit(1).unwrap();
    let vacancies: Vec<Vacancy> = (0..VACANCIES).map(|i| generator.vacancy(i)).collect();
    let vacancy_index = VacancyIndex::in_memory().unwrap();
    for vacancy in &vacancies {
        vacancy_index.upsert(&VacancyDocument::from_vacancy(vacancy, "Công ty mẫu", &ExchangeRates::default())).unwrap();
    }
    vacancy_index.commit(1).unwrap();
    World {
        workers: profiles.iter().map(|p| (p.id.0, WorkerFeatures::from_profile(p))).collect(),
        profiles,
        worker_index,
        vacancy_features: vacancies.iter().map(|v| (v.id.0, VacancyFeatures::from_vacancy(v, &WageConversion::default()))).collect(),
        vacancies,
        vacancy_index,
    }
}

/// The same pool rule, applied by hand to every profile.
fn by_hand(world: &World, vacancy: &VacancyFeatures, filters: &CandidateFilters, k: usize, matcher: &Matcher, context: &EligibilityContext<'_>) -> Vec<Uuid> {
    let on = context.on;
    let (min_age, max_age) = age_bounds(context.table, vacancy, context.variants, on);
    let group = isco_group(&vacancy.occupation, 2);
    let scored: Vec<Scored> = world
        .profiles
        .iter()
        .filter(|p| p.has_consent(filters.consent))
        .map(|p| &world.workers[&p.id.0])
        .filter(|w| {
            let in_group = w.desired_occupation.iter().chain(w.experience.iter().filter_map(|e| e.occupation.as_ref())).any(|o| o.is_within(&group));
            let available = match &w.availability {
                caunoi_domain::records::Availability::Immediately => true,
                caunoi_domain::records::Availability::From(d) => *d <= on + Duration::days(matcher.scoring.availability_horizon_days),
                caunoi_domain::records::Availability::NotLooking => false,
            };
            let age = w.age_on(on);
            let near = match (vacancy.overseas.is_some(), vacancy.location, filters.radius_km) {
                (true, _, _) => w.willing_abroad,
                (false, Some(place), Some(radius)) => w.location.unwrap().distance_km(place) <= radius,
                _ => true,
            };
            in_group && available && near && min_age.is_none_or(|m| age >= m) && max_age.is_none_or(|m| age <= m)
        })
        .map(|w| {
            let (eligibility, score) = matcher.score_pair(w, vacancy, context);
            Scored { id: w.id, score, priority: matcher.is_priority(w), eligibility }
        })
        .filter(|s| s.eligibility != Outcome::Fail)
        .collect();
    top_k(scored, k, Scored::key, &matcher.priority).into_iter().map(|s| s.id).collect()
}

#[test]
fn candidates_through_the_worker_index_equal_scoring_everyone_by_hand() {
    let world = world();
    let matcher = Matcher::default();
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    let filters = CandidateFilters { pool_limit: 10_000, ..CandidateFilters::default() };
    let mut checked_domestic = 0;
    let mut checked_abroad = 0;
    for vacancy in world.vacancies.iter().take(60) {
        let features = &world.vacancy_features[&vacancy.id.0];
        let results = top_candidates(&world.worker_index, &world.workers, features, &filters, 10, &matcher, &context).unwrap();
        let got: Vec<Uuid> = results.top.iter().map(|r| r.scored.id).collect();
        let expected = by_hand(&world, features, &filters, 10, &matcher, &context);
        assert_eq!(got, expected, "vacancy {} ({})", vacancy.id, vacancy.title);
        for (i, ranked) in results.top.iter().enumerate() {
            assert_eq!(ranked.rank, i + 1);
            assert_ne!(ranked.explanation.eligibility.outcome, Outcome::Fail);
            assert!((ranked.explanation.score.total - ranked.scored.score).abs() < 1e-9);
        }
        if !got.is_empty() {
            match vacancy.workplace {
                Workplace::Domestic { .. } => checked_domestic += 1,
                Workplace::Overseas { .. } => checked_abroad += 1,
            }
        }
    }
    assert!(checked_domestic >= 20 && checked_abroad >= 1, "{checked_domestic} domestic, {checked_abroad} abroad");
}

#[test]
fn staff_filters_narrow_the_shortlist() {
    let world = world();
    let matcher = Matcher::default();
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    let vacancy = world.vacancies.iter().find(|v| !v.workplace.is_overseas()).unwrap();
    let features = &world.vacancy_features[&vacancy.id.0];
    let filters = CandidateFilters {
        sex: Some(caunoi_domain::Sex::Female),
        max_age: Some(30),
        radius_km: None,
        consent: ConsentPurpose::ShareWithEmployers,
        ..CandidateFilters::default()
    };
    let results = top_candidates(&world.worker_index, &world.workers, features, &filters, 20, &matcher, &context).unwrap();
    assert!(!results.top.is_empty());
    for ranked in &results.top {
        let profile = world.profiles.iter().find(|p| p.id.0 == ranked.scored.id).unwrap();
        assert_eq!(profile.sex, caunoi_domain::Sex::Female);
        assert!(profile.date_of_birth.age_on(context.on) <= 30);
        assert!(profile.has_consent(ConsentPurpose::ShareWithEmployers));
    }
}

#[test]
fn vacancies_for_a_worker_through_the_vacancy_index() {
    let world = world();
    let matcher = Matcher::default();
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    let scope = RecommendationScope::default();
    let mut with_results = 0;
    for profile in world.profiles.iter().take(100) {
        let worker = &world.workers[&profile.id.0];
        let top = top_vacancies(&world.vacancy_index, &world.vacancy_features, worker, &scope, 5, &matcher, &context).unwrap();
        for ranked in &top {
            let vacancy = &world.vacancy_features[&ranked.scored.id];
            assert!(vacancy.is_open_on(context.on));
            assert_ne!(ranked.explanation.eligibility.outcome, Outcome::Fail);
            let groups: Vec<_> = worker.desired_occupation.iter().map(|o| isco_group(o, 2)).collect();
            assert!(groups.iter().any(|g| vacancy.occupation.is_within(g)) || !worker.experience.is_empty());
            if vacancy.overseas.is_some() {
                assert!(worker.willing_abroad);
            }
        }
        with_results += usize::from(!top.is_empty());
        let scores: Vec<f64> = top.iter().map(|r| r.scored.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1] - 1.0), "best first within the tie band: {scores:?}");
    }
    // 400 vacancies over 3,321 communes, 60 km, same sub-major group, must-haves met: sparse
    // on purpose (about 15 of these 100 workers get any), but never none.
    assert!(with_results >= 10, "only {with_results} of 100 workers got recommendations");
    // The in-memory catalogue applies the same candidate rule as the index, and the batch
    // path returns the same top lists as one worker at a time.
    let catalogue = VacancyCatalogue::new(world.vacancy_features.values().cloned().collect());
    let wide = RecommendationScope { per_query: 10_000, ..scope };
    let mut non_empty = 0;
    for profile in &world.profiles[..300] {
        let worker = &world.workers[&profile.id.0];
        let from_index = world.vacancy_index.candidates(worker, &wide, context.on).unwrap();
        let from_memory = catalogue.candidates(worker, &wide, context.on).unwrap();
        assert_eq!(from_index, from_memory, "worker {}", worker.id);
        non_empty += usize::from(!from_index.is_empty());
    }
    assert!(non_empty >= 40, "only {non_empty} of 300 workers have candidates");
    let workers: Vec<&WorkerFeatures> = world.profiles.iter().take(200).map(|p| &world.workers[&p.id.0]).collect();
    let batch = recommend_batch(&catalogue, &catalogue, &workers, &wide, 5, &matcher, &context).unwrap();
    for (worker, scored) in workers.iter().zip(&batch) {
        let single = top_vacancies(&world.vacancy_index, &world.vacancy_features, worker, &wide, 5, &matcher, &context).unwrap();
        assert_eq!(scored.iter().map(|s| s.id).collect::<Vec<_>>(), single.iter().map(|r| r.scored.id).collect::<Vec<_>>());
    }
}

#[test]
fn a_cut_pool_takes_the_closest_occupations_first() {
    let world = world();
    let matcher = Matcher::default();
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    let filters = CandidateFilters { pool_limit: 25, radius_km: None, ..CandidateFilters::default() };
    let vacancy = world.vacancies.iter().find(|v| !v.workplace.is_overseas()).unwrap();
    let features = &world.vacancy_features[&vacancy.id.0];
    let results = top_candidates(&world.worker_index, &world.workers, features, &filters, 10, &matcher, &context).unwrap();
    assert!(results.total_matching > 25, "{}", results.total_matching);
    assert_eq!(results.considered, 25);
    let unit = isco_group(&features.occupation, 4);
    let same_unit = world
        .profiles
        .iter()
        .filter(|p| p.has_consent(ConsentPurpose::Matching) && !matches!(p.availability, caunoi_domain::records::Availability::NotLooking))
        .filter(|p| p.desired.occupation.as_ref().is_some_and(|o| o.is_within(&unit)))
        .count();
    // With at least 25 people in the unit group, every ranked candidate is from it.
    if same_unit >= 25 {
        for ranked in &results.top {
            let worker = &world.workers[&ranked.scored.id];
            let in_unit = worker.desired_occupation.iter().chain(worker.experience.iter().filter_map(|e| e.occupation.as_ref())).any(|o| o.is_within(&unit));
            assert!(in_unit, "{} is outside unit group {unit}", ranked.scored.id);
        }
    }
}
