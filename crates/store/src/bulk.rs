//! Writing many records at once — the demo generator, file imports, partner pushes. A batch is
//! validated whole before anything is written, then written in one transaction together with
//! its change-log entries: it lands entirely or not at all.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, TransactionTrait};

use caunoi_domain::records::{Employer, FairRegistration, JobFair, OverseasRegistration, Vacancy, WorkerProfile};
use caunoi_domain::ValidationError;

use crate::change_log::{self, ChangedEntity, Operation};
use crate::entities::{employer, fair_registration, job_fair, overseas_registration, vacancy, worker_profile};
use crate::error::{StoreError, StoreResult};
use crate::mapping;
use crate::Store;

/// Records to write together. Order of insertion follows the foreign keys: employers and fairs
/// first, then vacancies and workers, then registrations.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    pub employers: Vec<Employer>,
    pub fairs: Vec<JobFair>,
    pub vacancies: Vec<Vacancy>,
    pub workers: Vec<WorkerProfile>,
    pub fair_registrations: Vec<FairRegistration>,
    pub overseas_registrations: Vec<OverseasRegistration>,
}

/// How many records of each kind a batch wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BatchCounts {
    pub employers: usize,
    pub fairs: usize,
    pub vacancies: usize,
    pub workers: usize,
    pub fair_registrations: usize,
    pub overseas_registrations: usize,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.employers.len()
            + self.fairs.len()
            + self.vacancies.len()
            + self.workers.len()
            + self.fair_registrations.len()
            + self.overseas_registrations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Validates every record; the error names the record's position ("vacancies[3].title").
    fn validate(&mut self) -> Result<(), ValidationError> {
        fn each<T>(
            kind: &str,
            records: &mut [T],
            validate: impl Fn(&mut T) -> Result<(), ValidationError>,
        ) -> Result<(), ValidationError> {
            for (position, record) in records.iter_mut().enumerate() {
                validate(record).map_err(|e| {
                    let field = format!("{kind}[{position}].{}", e.field);
                    e.for_field(field)
                })?;
            }
            Ok(())
        }
        each("employers", &mut self.employers, Employer::validate)?;
        each("fairs", &mut self.fairs, JobFair::validate)?;
        each("vacancies", &mut self.vacancies, Vacancy::validate)?;
        each("workers", &mut self.workers, WorkerProfile::validate)?;
        each("overseas_registrations", &mut self.overseas_registrations, OverseasRegistration::validate)?;
        Ok(())
    }
}

/// Bound parameters per INSERT statement, far under SQLite's 32,766 and PostgreSQL's 65,535:
/// statements of 30,000 went no faster and raised an import's peak memory by half.
const MAX_PARAMETERS: usize = 3_000;

pub(crate) async fn insert_chunked<A>(conn: &impl ConnectionTrait, rows: Vec<A>, columns: usize) -> StoreResult<()>
where
    A: ActiveModelTrait + Send,
{
    let per_statement = (MAX_PARAMETERS / columns.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(conn)
            .await
            .map_err(|e| StoreError::from_write(e, unique_conflict))?;
    }
    Ok(())
}

pub(crate) fn column_count<E: EntityTrait>() -> usize {
    use sea_orm::Iterable;
    E::Column::iter().count()
}

/// Names the unique value that was already taken, from the database's message.
pub(crate) fn unique_conflict(message: &str) -> Option<StoreError> {
    let conflict = if message.contains("cccd") {
        StoreError::conflict("worker.cccd", "cccd.taken", "Số CCCD này đã có trong một hồ sơ khác.", "This CCCD number already belongs to another profile.")
    } else if message.contains("tax_code") {
        StoreError::conflict("employer.tax_code", "tax_code.taken", "Mã số thuế này đã được đăng ký cho một đơn vị khác.", "This tax code is already registered to another employer.")
    } else if message.contains("job_fairs") && message.contains("code") {
        StoreError::conflict("fair.code", "fair.code_taken", "Mã phiên giao dịch việc làm đã tồn tại.", "A fair with this code already exists.")
    } else if message.contains("fair_registrations") && (message.contains("worker_id") || message.contains("employer_id")) {
        StoreError::conflict("fair_registration", "fair_registration.duplicate", "Đã đăng ký tham gia phiên giao dịch việc làm này rồi.", "Already registered for this fair.")
    } else {
        StoreError::conflict("id", "record.duplicate", "Bản ghi đã tồn tại.", "The record already exists.")
    };
    Some(conflict)
}

/// Validates and writes a batch in one transaction, with change-log entries for its vacancies
/// and worker profiles.
pub async fn write(store: &Store, mut batch: Batch) -> StoreResult<BatchCounts> {
    batch.validate()?;
    let now = Utc::now();
    let counts = BatchCounts {
        employers: batch.employers.len(),
        fairs: batch.fairs.len(),
        vacancies: batch.vacancies.len(),
        workers: batch.workers.len(),
        fair_registrations: batch.fair_registrations.len(),
        overseas_registrations: batch.overseas_registrations.len(),
    };
    let changes: Vec<_> = batch
        .vacancies
        .iter()
        .map(|v| (ChangedEntity::Vacancy, v.id.0, Operation::Upsert))
        .chain(batch.workers.iter().map(|w| (ChangedEntity::WorkerProfile, w.id.0, Operation::Upsert)))
        .collect();

    let txn = store.connection().begin().await?;
    insert_chunked(&txn, batch.employers.iter().map(|e| mapping::employer_row(e, now)).collect(), column_count::<employer::Entity>()).await?;
    insert_chunked(&txn, batch.fairs.iter().map(|f| mapping::fair_row(f, now)).collect(), column_count::<job_fair::Entity>()).await?;
    insert_chunked(&txn, batch.vacancies.iter().map(|v| mapping::vacancy_row(v, now)).collect(), column_count::<vacancy::Entity>()).await?;
    insert_chunked(&txn, batch.workers.iter().map(|w| mapping::worker_row(w, now)).collect(), column_count::<worker_profile::Entity>()).await?;
    insert_chunked(
        &txn,
        batch.fair_registrations.iter().map(mapping::fair_registration_row).collect(),
        column_count::<fair_registration::Entity>(),
    )
    .await?;
    insert_chunked(
        &txn,
        batch.overseas_registrations.iter().map(|o| mapping::overseas_row(o, now)).collect(),
        column_count::<overseas_registration::Entity>(),
    )
    .await?;
    change_log::append(&txn, changes, now).await?;
    txn.commit().await?;
    Ok(counts)
}
