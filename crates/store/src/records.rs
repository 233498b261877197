//! One-record operations on the core records. Inserts go through [`crate::bulk::write`] so a
//! single record and a million follow the same validation and change-log path.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::NotSet;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use uuid::Uuid;

use caunoi_domain::records::*;

use crate::bulk::{self, Batch, unique_conflict};
use crate::change_log::{self, ChangedEntity, Operation};
use crate::entities::{employer, fair_registration, job_fair, overseas_registration, vacancy, worker_profile};
use crate::error::{StoreError, StoreResult};
use crate::mapping;
use crate::Store;

fn not_found(entity: &'static str, id: Uuid) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

/// Writes a batch of one record; a validation error names the record's field as a single
/// record has it (`worker.cccd`, not `workers[0].worker.cccd`).
async fn write_one(store: &Store, batch: Batch) -> StoreResult<()> {
    match bulk::write(store, batch).await {
        Ok(_) => Ok(()),
        Err(StoreError::Invalid(error)) => {
            let field = error.field.split_once("].").map_or(error.field.clone(), |(_, rest)| rest.to_owned());
            Err(StoreError::Invalid(error.for_field(field)))
        }
        Err(other) => Err(other),
    }
}

pub async fn insert_employer(store: &Store, employer: Employer) -> StoreResult<EmployerId> {
    let id = employer.id;
    write_one(store, Batch { employers: vec![employer], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn get_employer(store: &Store, id: EmployerId) -> StoreResult<Employer> {
    let row = employer::Entity::find_by_id(id.0).one(store.connection()).await?.ok_or_else(|| not_found("employer", id.0))?;
    mapping::employer_from_row(row)
}

pub async fn insert_vacancy(store: &Store, vacancy: Vacancy) -> StoreResult<VacancyId> {
    let id = vacancy.id;
    write_one(store, Batch { vacancies: vec![vacancy], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn get_vacancy(store: &Store, id: VacancyId) -> StoreResult<Vacancy> {
    let row = vacancy::Entity::find_by_id(id.0).one(store.connection()).await?.ok_or_else(|| not_found("vacancy", id.0))?;
    mapping::vacancy_from_row(row)
}

/// Replaces a vacancy and logs the change, atomically.
pub async fn update_vacancy(store: &Store, mut vacancy: Vacancy) -> StoreResult<()> {
    vacancy.validate()?;
    let txn = store.connection().begin().await?;
    write_vacancy_update(&txn, &vacancy, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

/// The replacement of a validated vacancy and its change-log entry, inside the caller's
/// transaction (features that change a vacancy among other rows use it).
pub(crate) async fn write_vacancy_update(txn: &impl ConnectionTrait, vacancy: &Vacancy, now: DateTime<Utc>) -> StoreResult<()> {
    let mut row = mapping::vacancy_row(vacancy, now);
    row.created_at = NotSet;
    vacancy::Entity::update(row).exec(txn).await.map_err(|e| missing_or(e, "vacancy", vacancy.id.0))?;
    change_log::append(txn, [(ChangedEntity::Vacancy, vacancy.id.0, Operation::Upsert)], now).await
}

pub async fn delete_vacancy(store: &Store, id: VacancyId) -> StoreResult<()> {
    let txn = store.connection().begin().await?;
    let deleted = vacancy::Entity::delete_by_id(id.0).exec(&txn).await.map_err(|e| StoreError::from_write(e, |_| None))?;
    if deleted.rows_affected == 0 {
        return Err(not_found("vacancy", id.0));
    }
    change_log::append(&txn, [(ChangedEntity::Vacancy, id.0, Operation::Delete)], Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn insert_worker(store: &Store, worker: WorkerProfile) -> StoreResult<WorkerId> {
    let id = worker.id;
    write_one(store, Batch { workers: vec![worker], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn get_worker(store: &Store, id: WorkerId) -> StoreResult<WorkerProfile> {
    let row = worker_profile::Entity::find_by_id(id.0)
        .one(store.connection())
        .await?
        .ok_or_else(|| not_found("worker_profile", id.0))?;
    mapping::worker_from_row(row)
}

/// Replaces a worker profile and logs the change, atomically.
pub async fn update_worker(store: &Store, mut worker: WorkerProfile) -> StoreResult<()> {
    worker.validate()?;
    let txn = store.connection().begin().await?;
    write_worker_update(&txn, &worker, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

/// The replacement of a validated worker profile and its change-log entry, inside the caller's
/// transaction.
pub(crate) async fn write_worker_update(txn: &impl ConnectionTrait, worker: &WorkerProfile, now: DateTime<Utc>) -> StoreResult<()> {
    let mut row = mapping::worker_row(worker, now);
    row.created_at = NotSet;
    worker_profile::Entity::update(row).exec(txn).await.map_err(|e| missing_or(e, "worker_profile", worker.id.0))?;
    change_log::append(txn, [(ChangedEntity::WorkerProfile, worker.id.0, Operation::Upsert)], now).await
}

pub async fn delete_worker(store: &Store, id: WorkerId) -> StoreResult<()> {
    let txn = store.connection().begin().await?;
    let deleted = worker_profile::Entity::delete_by_id(id.0).exec(&txn).await.map_err(|e| StoreError::from_write(e, |_| None))?;
    if deleted.rows_affected == 0 {
        return Err(not_found("worker_profile", id.0));
    }
    change_log::append(&txn, [(ChangedEntity::WorkerProfile, id.0, Operation::Delete)], Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn insert_fair(store: &Store, fair: JobFair) -> StoreResult<JobFairId> {
    let id = fair.id;
    write_one(store, Batch { fairs: vec![fair], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn get_fair(store: &Store, id: JobFairId) -> StoreResult<JobFair> {
    let row = job_fair::Entity::find_by_id(id.0).one(store.connection()).await?.ok_or_else(|| not_found("job_fair", id.0))?;
    mapping::fair_from_row(row)
}

pub async fn register_for_fair(store: &Store, registration: FairRegistration) -> StoreResult<FairRegistrationId> {
    let id = registration.id;
    write_one(store, Batch { fair_registrations: vec![registration], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn fair_registrations(store: &Store, fair: JobFairId) -> StoreResult<Vec<FairRegistration>> {
    fair_registration::Entity::find()
        .filter(fair_registration::Column::FairId.eq(fair.0))
        .order_by_asc(fair_registration::Column::RegisteredAt)
        .all(store.connection())
        .await?
        .into_iter()
        .map(mapping::fair_registration_from_row)
        .collect()
}

pub async fn register_overseas(store: &Store, registration: OverseasRegistration) -> StoreResult<OverseasRegistrationId> {
    let id = registration.id;
    write_one(store, Batch { overseas_registrations: vec![registration], ..Batch::default() }).await?;
    Ok(id)
}

pub async fn overseas_registrations_of(store: &Store, worker: WorkerId) -> StoreResult<Vec<OverseasRegistration>> {
    overseas_registration::Entity::find()
        .filter(overseas_registration::Column::WorkerId.eq(worker.0))
        .order_by_asc(overseas_registration::Column::RegisteredAt)
        .all(store.connection())
        .await?
        .into_iter()
        .map(mapping::overseas_from_row)
        .collect()
}

/// An update that matched no row is "not found"; a taken unique value is a conflict.
fn missing_or(err: DbErr, entity: &'static str, id: Uuid) -> StoreError {
    match err {
        DbErr::RecordNotUpdated | DbErr::RecordNotFound(_) => not_found(entity, id),
        other => StoreError::from_write(other, unique_conflict),
    }
}

/// Rows of `E` in id order after `after`, mapped to records (keyset pagination).
async fn rows_after<E, T>(
    store: &Store,
    id: E::Column,
    after: Option<Uuid>,
    limit: u64,
    map: fn(E::Model) -> StoreResult<T>,
) -> StoreResult<Vec<T>>
where
    E: EntityTrait,
{
    use sea_orm::QuerySelect;
    let mut query = E::find().order_by_asc(id).limit(limit);
    if let Some(after) = after {
        query = query.filter(id.gt(after));
    }
    query.all(store.connection()).await?.into_iter().map(map).collect()
}

/// The rows of `E` that still exist among `ids`, mapped to records.
async fn rows_by_ids<E, T>(store: &Store, id: E::Column, ids: &[Uuid], map: fn(E::Model) -> StoreResult<T>) -> StoreResult<Vec<T>>
where
    E: EntityTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    E::find().filter(id.is_in(ids.iter().copied())).all(store.connection()).await?.into_iter().map(map).collect()
}

/// Vacancies in id order after `after` (keyset pagination for rebuilding indexes).
pub async fn vacancies_after(store: &Store, after: Option<VacancyId>, limit: u64) -> StoreResult<Vec<Vacancy>> {
    rows_after::<vacancy::Entity, _>(store, vacancy::Column::Id, after.map(|id| id.0), limit, mapping::vacancy_from_row).await
}

/// The vacancies that still exist among `ids`.
pub async fn vacancies_by_ids(store: &Store, ids: &[VacancyId]) -> StoreResult<Vec<Vacancy>> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    rows_by_ids::<vacancy::Entity, _>(store, vacancy::Column::Id, &ids, mapping::vacancy_from_row).await
}

/// Worker profiles in id order after `after` (keyset pagination for rebuilding indexes).
pub async fn workers_after(store: &Store, after: Option<WorkerId>, limit: u64) -> StoreResult<Vec<WorkerProfile>> {
    rows_after::<worker_profile::Entity, _>(store, worker_profile::Column::Id, after.map(|id| id.0), limit, mapping::worker_from_row)
        .await
}

/// The worker profiles that still exist among `ids`.
pub async fn workers_by_ids(store: &Store, ids: &[WorkerId]) -> StoreResult<Vec<WorkerProfile>> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    rows_by_ids::<worker_profile::Entity, _>(store, worker_profile::Column::Id, &ids, mapping::worker_from_row).await
}

/// Up to `limit` worker ids, in id order (benchmarks, batch jobs).
pub async fn worker_ids(store: &Store, limit: usize) -> StoreResult<Vec<WorkerId>> {
    use sea_orm::{QuerySelect, sea_query::Expr};
    let ids: Vec<Uuid> = worker_profile::Entity::find()
        .select_only()
        .column_as(Expr::col(worker_profile::Column::Id), "id")
        .order_by_asc(worker_profile::Column::Id)
        .limit(limit as u64)
        .into_tuple()
        .all(store.connection())
        .await?;
    Ok(ids.into_iter().map(WorkerId).collect())
}

/// Names of the given employers (for search documents).
pub async fn employer_names(store: &Store, ids: &[EmployerId]) -> StoreResult<std::collections::HashMap<EmployerId, String>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows = employer::Entity::find()
        .filter(employer::Column::Id.is_in(ids.iter().map(|id| id.0)))
        .all(store.connection())
        .await?;
    Ok(rows.into_iter().map(|row| (EmployerId(row.id), row.name)).collect())
}

/// Profiles already registered with this CCCD or this phone number (walk-in duplicate check).
pub async fn workers_with_identity(store: &Store, cccd: Option<&caunoi_domain::Cccd>, phone: Option<&caunoi_domain::PhoneNumber>) -> StoreResult<Vec<WorkerId>> {
    use sea_orm::Condition;
    if cccd.is_none() && phone.is_none() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    if let Some(cccd) = cccd {
        any = any.add(worker_profile::Column::Cccd.eq(cccd.as_str()));
    }
    if let Some(phone) = phone {
        any = any.add(worker_profile::Column::Phone.eq(phone.as_str()));
    }
    let rows = worker_profile::Entity::find().filter(any).all(store.connection()).await?;
    Ok(rows.into_iter().map(|row| WorkerId(row.id)).collect())
}

/// An employer's vacancies, newest first.
pub async fn vacancies_of_employer(store: &Store, employer: EmployerId) -> StoreResult<Vec<Vacancy>> {
    vacancy::Entity::find()
        .filter(vacancy::Column::EmployerId.eq(employer.0))
        .order_by_desc(vacancy::Column::PostedAt)
        .all(store.connection())
        .await?
        .into_iter()
        .map(mapping::vacancy_from_row)
        .collect()
}

/// Domestic vacancies waiting for staff review (drafts), oldest first: in one commune, one
/// province, or everywhere (`None`, `None`).
pub async fn drafts_awaiting_review(store: &Store, commune: Option<&str>, province: Option<&str>, limit: u64) -> StoreResult<Vec<Vacancy>> {
    use sea_orm::QuerySelect;
    let mut query = vacancy::Entity::find()
        .filter(vacancy::Column::Status.eq(VacancyStatus::Draft.code()))
        .filter(vacancy::Column::IsOverseas.eq(false));
    if let Some(commune) = commune {
        query = query.filter(vacancy::Column::WorkplaceCommuneCode.eq(commune));
    }
    if let Some(province) = province {
        query = query.filter(vacancy::Column::WorkplaceProvinceCode.eq(province));
    }
    query
        .order_by_asc(vacancy::Column::PostedAt)
        .limit(limit)
        .all(store.connection())
        .await?
        .into_iter()
        .map(mapping::vacancy_from_row)
        .collect()
}
