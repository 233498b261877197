//! Matching benchmark (issue 5): top-20 candidates for a vacancy among N profiles, top-20
//! vacancies for many workers, and a job-fair interview schedule.
//!
//! ```sh
//! cargo run --release -p caunoi-matching --example matching-bench -- \
//!     --workers 1000000 --vacancies 100000 --queries 120 --recommend 100000 \
//!     --seekers 2000 --employers 50 --slots 16
//! ```
//!
//! Profiles and vacancies come from the deterministic demo generator (in memory, no
//! database); the worker and vacancy indexes are real tantivy indexes in a temporary
//! directory. The peer for the candidate query is an exhaustive scan that scores every profile
//! passing the same pool rule, measured in the same run.
#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use caunoi_demo::{DemoConfig, Generator};
use caunoi_domain::records::{Availability, Vacancy, Workplace};
use caunoi_matching::candidates::{age_bounds, isco_group};
use caunoi_matching::ranking::top_k;
use caunoi_matching::{
    CandidateFilters, EligibilityContext, Employer, InterviewOption, Matcher, Outcome, RecommendationScope, ScheduleRequest,
    Scored, Seeker, VacancyCatalogue, WorkerPool, VacancyFeatures, WageConversion, WorkerFeatures, recommend_batch, schedule, top_candidates,
};
use caunoi_search::{ExchangeRates, VacancyDocument, VacancyIndex, WorkerDocument, WorkerIndex};
use chrono::NaiveDate;
use rayon::prelude::*;
use uuid::Uuid;

struct Args {
    workers: usize,
    vacancies: usize,
    queries: usize,
    recommend: usize,
    seekers: usize,
    employers: usize,
    slots: usize,
    exhaustive: usize,
    index_sample: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        workers: 1_000_000,
        vacancies: 100_000,
        queries: 120,
        recommend: 100_000,
        seekers: 2_000,
        employers: 50,
        slots: 16,
        exhaustive: 10,
        index_sample: 5_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value: usize = it.next().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or_else(|| panic!("{flag} needs a number"));
        match flag.as_str() {
            "--workers" => args.workers = value,
            "--vacancies" => args.vacancies = value,
            "--queries" => args.queries = value,
            "--recommend" => args.recommend = value,
            "--seekers" => args.seekers = value,
            "--employers" => args.employers = value,
            "--slots" => args.slots = value,
            "--exhaustive" => args.exhaustive = value,
            "--index-sample" => args.index_sample = value,
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The pool rule of `top_candidates`, applied to every profile, then full scoring.
fn exhaustive_top(workers: &[WorkerFeatures], consents: &[bool], vacancy: &VacancyFeatures, k: usize, matcher: &Matcher, context: &EligibilityContext<'_>, radius_km: f64) -> Vec<Uuid> {
    let on = context.on;
    let (min_age, max_age) = age_bounds(context.table, vacancy, context.variants, on);
    let group = isco_group(&vacancy.occupation, 2);
    let horizon = on + chrono::Duration::days(matcher.scoring.availability_horizon_days);
    let scored: Vec<Scored> = workers
        .par_iter()
        .zip(consents.par_iter())
        .filter(|(w, consent)| {
            let in_group = w.desired_occupation.iter().chain(w.experience.iter().filter_map(|e| e.occupation.as_ref())).any(|o| o.is_within(&group));
            let available = match &w.availability {
                Availability::Immediately => true,
                Availability::From(d) => *d <= horizon,
                Availability::NotLooking => false,
            };
            let age = w.age_on(on);
            let place = match (vacancy.overseas.is_some(), vacancy.location, w.location) {
                (true, _, _) => w.willing_abroad,
                (false, Some(work), Some(home)) => home.distance_km(work) <= radius_km,
                _ => false,
            };
            **consent && in_group && available && place && min_age.is_none_or(|m| age >= m) && max_age.is_none_or(|m| age <= m)
        })
        .filter_map(|(w, _)| {
            let (eligibility, score) = matcher.score_pair(w, vacancy, context);
            (eligibility != Outcome::Fail).then_some(Scored { id: w.id, score, priority: matcher.is_priority(w), eligibility })
        })
        .collect();
    top_k(scored, k, Scored::key, &matcher.priority).into_iter().map(|s| s.id).collect()
}

fn main() {
    let args = parse_args();
    let on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let generator = Generator::new(DemoConfig { seed: 2025, as_of: on, vacancies: args.vacancies, workers: args.workers });
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let threads = rayon::current_num_threads();
    println!("# matching-bench: {} workers, {} vacancies, {threads} threads, as of {on}", args.workers, args.vacancies);

    // Profiles → features (kept) and index documents.
    let started = Instant::now();
    let worker_index = WorkerIndex::open(&dir.path().join("workers")).unwrap_or_else(|e| panic!("worker index: {e}"));
    let mut workers: Vec<WorkerFeatures> = Vec::with_capacity(args.workers);
    let mut consents: Vec<bool> = Vec::with_capacity(args.workers);
    const CHUNK: usize = 50_000;
    for start in (0..args.workers).step_by(CHUNK) {
        let chunk: Vec<(WorkerFeatures, bool, WorkerDocument)> = (start..(start + CHUNK).min(args.workers))
            .into_par_iter()
            .map(|i| {
                let profile = generator.worker(i).0;
                let consent = profile.has_consent(caunoi_domain::records::ConsentPurpose::Matching);
                (WorkerFeatures::from_profile(&profile), consent, WorkerDocument::from_profile(&profile))
            })
            .collect();
        for (features, consent, document) in chunk {
            worker_index.upsert(&document).unwrap_or_else(|e| panic!("index worker: {e}"));
            workers.push(features);
            consents.push(consent);
        }
    }
    worker_index.commit(1).unwrap_or_else(|e| panic!("commit: {e}"));
    let worker_build = started.elapsed();
    let pool = WorkerPool::new(workers);
    let workers = pool.as_slice();
    println!("built worker index and features in {:.1} s", worker_build.as_secs_f64());

    let started = Instant::now();
    let vacancy_index = VacancyIndex::open(&dir.path().join("vacancies")).unwrap_or_else(|e| panic!("vacancy index: {e}"));
    let vacancies: Vec<Vacancy> = (0..args.vacancies).into_par_iter().map(|i| generator.vacancy(i)).collect();
    let rates = ExchangeRates::default();
    let wages = WageConversion::default();
    for vacancy in &vacancies {
        vacancy_index.upsert(&VacancyDocument::from_vacancy(vacancy, "Doanh nghiệp mẫu", &rates)).unwrap_or_else(|e| panic!("index vacancy: {e}"));
    }
    vacancy_index.commit(1).unwrap_or_else(|e| panic!("commit: {e}"));
    let vacancy_features: HashMap<Uuid, VacancyFeatures> =
        vacancies.par_iter().map(|v| (v.id.0, VacancyFeatures::from_vacancy(v, &wages))).collect();
    println!("built vacancy index and features in {:.1} s", started.elapsed().as_secs_f64());

    let matcher = Matcher::default();
    let context = EligibilityContext::on(on);

    // 1. Top-20 candidates per vacancy.
    let filters = CandidateFilters::default();
    let sample: Vec<&Vacancy> = vacancies.iter().filter(|v| v.status == caunoi_domain::records::VacancyStatus::Open).take(args.queries).collect();
    let domestic = sample.iter().filter(|v| matches!(v.workplace, Workplace::Domestic { .. })).count();
    // Warm the caches once.
    for vacancy in sample.iter().take(5) {
        let _ = top_candidates(&worker_index, &pool, &vacancy_features[&vacancy.id.0], &filters, 20, &matcher, &context);
    }
    let mut latencies = Vec::with_capacity(sample.len());
    let mut considered = 0usize;
    let mut checked = 0usize;
    let mut results_cache = Vec::new();
    for vacancy in &sample {
        let features = &vacancy_features[&vacancy.id.0];
        let started = Instant::now();
        let results = top_candidates(&worker_index, &pool, features, &filters, 20, &matcher, &context)
            .unwrap_or_else(|e| panic!("candidates: {e}"));
        latencies.push(started.elapsed());
        considered += results.considered;
        checked += results.checked;
        results_cache.push(results.top.iter().map(|r| r.scored.id).collect::<Vec<_>>());
    }
    latencies.sort();
    println!(
        "top-20 candidates among {} profiles, {} vacancies ({} domestic, {} abroad): p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; per query on average {:.0} profiles scored, {:.0} checked against the rules",
        args.workers,
        sample.len(),
        domestic,
        sample.len() - domestic,
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 95.0)),
        ms(percentile(&latencies, 99.0)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
        considered as f64 / sample.len().max(1) as f64,
        checked as f64 / sample.len().max(1) as f64
    );

    // Peer: exhaustive scan of every profile (same pool rule, all threads).
    let mut peer = Vec::new();
    let mut agreement = 0usize;
    let mut compared = 0usize;
    for (vacancy, ours) in sample.iter().zip(&results_cache).take(args.exhaustive) {
        let features = &vacancy_features[&vacancy.id.0];
        let started = Instant::now();
        let best = exhaustive_top(workers, &consents, features, 20, &matcher, &context, filters.radius_km.unwrap_or(f64::INFINITY));
        peer.push(started.elapsed());
        agreement += ours.iter().filter(|id| best.contains(id)).count();
        compared += best.len();
    }
    if !peer.is_empty() {
        peer.sort();
        let ours_p50 = percentile(&latencies, 50.0);
        let peer_p50 = percentile(&peer, 50.0);
        println!(
            "peer (exhaustive scan of all {} profiles, {} vacancies): p50 {:.1} ms → index-based candidates are {:.1}× faster; top-20 overlap with the exhaustive top-20: {:.1}%",
            args.workers,
            peer.len(),
            ms(peer_p50),
            peer_p50.as_secs_f64() / ours_p50.as_secs_f64().max(1e-9),
            100.0 * agreement as f64 / compared.max(1) as f64
        );
    }

    // 2. Recommendations for many workers, candidates from the in-memory catalogue; the peer
    // is the same candidate rule through the vacancy index, on a sample.
    let catalogue = VacancyCatalogue::new(vacancy_features.values().cloned().collect());
    let batch: Vec<&WorkerFeatures> = workers.iter().take(args.recommend).collect();
    let scope = RecommendationScope::default();
    let started = Instant::now();
    let recommendations = recommend_batch(&catalogue, &catalogue, &batch, &scope, 20, &matcher, &context)
        .unwrap_or_else(|e| panic!("recommendations: {e}"));
    let recommend_time = started.elapsed();
    let served = recommendations.iter().filter(|r| !r.is_empty()).count();
    let mean: f64 = recommendations.iter().map(Vec::len).sum::<usize>() as f64 / recommendations.len().max(1) as f64;
    println!(
        "top-20 vacancies for {} workers (in-memory catalogue): {:.1} s total ({:.3} ms per worker); {} workers got at least one, {:.1} per worker on average",
        batch.len(),
        recommend_time.as_secs_f64(),
        ms(recommend_time) / batch.len().max(1) as f64,
        served,
        mean
    );
    let sample_size = batch.len().min(args.index_sample);
    let started = Instant::now();
    let through_index = recommend_batch(&vacancy_index, &vacancy_features, &batch[..sample_size], &scope, 20, &matcher, &context)
        .unwrap_or_else(|e| panic!("recommendations: {e}"));
    let index_time = started.elapsed();
    let same = through_index.iter().zip(&recommendations).filter(|(a, b)| a == b).count();
    let per_worker_index = index_time.as_secs_f64() / sample_size.max(1) as f64;
    let per_worker_catalogue = recommend_time.as_secs_f64() / batch.len().max(1) as f64;
    println!(
        "peer (same rule through the vacancy index, {} workers): {:.3} ms per worker → catalogue {:.1}× faster; identical top-20 lists for {}/{} workers",
        sample_size,
        per_worker_index * 1000.0,
        per_worker_index / per_worker_catalogue.max(1e-12),
        same,
        sample_size
    );

    // 3. Interview schedule for a fair.
    let seekers: Vec<&WorkerFeatures> = workers.iter().filter(|w| !matches!(w.availability, Availability::NotLooking)).take(args.seekers).collect();
    let per_employer = 4;
    let fair_vacancies: Vec<&VacancyFeatures> = vacancies
        .iter()
        .filter(|v| matches!(v.workplace, Workplace::Domestic { .. }))
        .take(args.employers * per_employer)
        .map(|v| &vacancy_features[&v.id.0])
        .collect();
    let employer_of = |i: usize| Uuid::from_u128(0xE000_0000 + (i / per_employer) as u128);
    let started = Instant::now();
    let options: Vec<InterviewOption> = seekers
        .par_iter()
        .flat_map_iter(|seeker| {
            fair_vacancies.iter().enumerate().filter_map(|(i, vacancy)| {
                let (eligibility, score) = matcher.score_pair(seeker, vacancy, &context);
                (eligibility != Outcome::Fail && score > 0.0).then_some(InterviewOption { seeker: seeker.id, employer: employer_of(i), vacancy: vacancy.id, score })
            })
        })
        .collect();
    let scoring_time = started.elapsed();
    let employer_count = fair_vacancies.len().div_ceil(per_employer);
    let request = |capacity: &dyn Fn(usize, usize) -> u32| ScheduleRequest {
        slots: args.slots,
        seekers: seekers.iter().map(|s| Seeker { id: s.id, max_interviews: 3 }).collect(),
        employers: (0..employer_count)
            .map(|e| Employer { id: employer_of(e * per_employer), capacity: (0..args.slots).map(|t| capacity(e, t)).collect() })
            .collect(),
        options: options.clone(),
    };
    let uniform = request(&|_, _| 3);
    let started = Instant::now();
    let fair = schedule(&uniform).unwrap_or_else(|e| panic!("schedule: {e}"));
    let schedule_time = started.elapsed();
    println!(
        "schedule {} seekers × {} employers × {} slots ({} scored options, scored in {:.2} s): {:.2} s; {} interviews, total {:.0} (bound {:.0}), proven optimal: {}",
        uniform.seekers.len(),
        employer_count,
        args.slots,
        options.len(),
        scoring_time.as_secs_f64(),
        schedule_time.as_secs_f64(),
        fair.interviews.len(),
        fair.total_score,
        fair.upper_bound,
        fair.proven_optimal
    );
    // Varying capacity: each employer absent from a quarter of the slots.
    let varying = request(&|e, t| if (e + t) % 4 == 0 { 0 } else { 1 + ((e + t) % 3) as u32 });
    let started = Instant::now();
    let uneven = schedule(&varying).unwrap_or_else(|e| panic!("schedule: {e}"));
    println!(
        "schedule with varying capacity: {:.2} s; {} interviews, total {:.0} of bound {:.0} ({:.3}% gap), proven optimal: {}",
        started.elapsed().as_secs_f64(),
        uneven.interviews.len(),
        uneven.total_score,
        uneven.upper_bound,
        100.0 * (uneven.upper_bound - uneven.total_score) / uneven.upper_bound.max(1e-9),
        uneven.proven_optimal
    );
}
