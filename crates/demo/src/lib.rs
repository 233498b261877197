//! Realistic, deterministic Vietnamese demo data: employers and licensed placement enterprises,
//! domestic vacancies and overseas job orders, worker profiles spread over the real 2025
//! communes, commune job fairs, fair and overseas registrations.
//!
//! Determinism: every record is drawn from its own generator seeded by (seed, kind, index), so
//! the same [`DemoConfig`] (seed and `as_of` date) always yields the same records, whatever the
//! batch size. Records go through the store's normal validated batch path.

mod catalog;
mod generate;
mod rng;

pub use generate::{DemoConfig, DemoPlan, Generator};

use caunoi_store::bulk::{self, Batch};
use caunoi_store::{Store, StoreError, stats};

/// Records written per transaction.
const BATCH: usize = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "Cơ sở dữ liệu đã có {vacancies} việc làm và {workers} hồ sơ; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống. \
         (The database already holds data; demo data is only loaded into an empty database.)"
    )]
    NotEmpty { vacancies: u64, workers: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Progress of a demo load: records written so far out of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub written: usize,
    pub total: usize,
}

/// Whether the database has no vacancies and no worker profiles yet.
pub async fn is_empty(store: &Store) -> Result<bool, StoreError> {
    let overview = stats::overview(store).await?;
    Ok(overview.employers == 0 && overview.workers == 0)
}

/// Generates and writes the demo data set into an empty database.
pub async fn populate(store: &Store, config: DemoConfig, mut on_progress: impl FnMut(Progress)) -> Result<DemoPlan, DemoError> {
    let overview = stats::overview(store).await?;
    if overview.employers > 0 || overview.workers > 0 {
        return Err(DemoError::NotEmpty { vacancies: overview.open_vacancies, workers: overview.workers });
    }
    let generator = Generator::new(config);
    let plan = generator.plan();
    let total = plan.total_records();
    let mut written = 0;
    let mut report = |count: usize| {
        written += count;
        on_progress(Progress { written, total });
    };

    // Employers (with their fair booths' owners) and fairs come first: the rest refers to them.
    for start in (0..plan.employers).step_by(BATCH) {
        let employers: Vec<_> = (start..(start + BATCH).min(plan.employers)).map(|i| generator.employer(i)).collect();
        let count = employers.len();
        bulk::write(store, Batch { employers, ..Batch::default() }).await?;
        report(count);
    }
    let fairs: Vec<_> = (0..plan.fairs).map(|i| generator.fair(i)).collect();
    let fair_registrations: Vec<_> = (0..plan.fairs).flat_map(|i| generator.fair_employer_registrations(i)).collect();
    let count = fairs.len() + fair_registrations.len();
    bulk::write(store, Batch { fairs, fair_registrations, ..Batch::default() }).await?;
    report(count);

    for start in (0..plan.vacancies).step_by(BATCH) {
        let vacancies: Vec<_> = (start..(start + BATCH).min(plan.vacancies)).map(|i| generator.vacancy(i)).collect();
        let count = vacancies.len();
        bulk::write(store, Batch { vacancies, ..Batch::default() }).await?;
        report(count);
    }
    for start in (0..plan.workers).step_by(BATCH) {
        let mut batch = Batch::default();
        for i in start..(start + BATCH).min(plan.workers) {
            let (worker, fair_registration, overseas_registration) = generator.worker(i);
            batch.workers.push(worker);
            batch.fair_registrations.extend(fair_registration);
            batch.overseas_registrations.extend(overseas_registration);
        }
        let count = batch.workers.len();
        bulk::write(store, batch).await?;
        report(count);
    }
    Ok(plan)
}
