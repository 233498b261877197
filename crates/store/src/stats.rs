//! Counts for the landing page and health checks.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::{commune, employer, job_fair, occupation, overseas_registration, province, vacancy, worker_profile};
use crate::error::StoreResult;
use crate::Store;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub provinces: u64,
    pub communes: u64,
    pub occupations: u64,
    pub employers: u64,
    pub placement_enterprises: u64,
    pub open_vacancies: u64,
    pub overseas_job_orders: u64,
    pub workers: u64,
    pub job_fairs: u64,
    pub overseas_registrations: u64,
}

pub async fn overview(store: &Store) -> StoreResult<Overview> {
    let db = store.connection();
    Ok(Overview {
        provinces: province::Entity::find().count(db).await?,
        communes: commune::Entity::find().count(db).await?,
        occupations: occupation::Entity::find().count(db).await?,
        employers: employer::Entity::find().count(db).await?,
        placement_enterprises: employer::Entity::find()
            .filter(employer::Column::Kind.eq("placement_enterprise"))
            .count(db)
            .await?,
        open_vacancies: vacancy::Entity::find().filter(vacancy::Column::Status.eq("open")).count(db).await?,
        overseas_job_orders: vacancy::Entity::find()
            .filter(vacancy::Column::Status.eq("open"))
            .filter(vacancy::Column::IsOverseas.eq(true))
            .count(db)
            .await?,
        workers: worker_profile::Entity::find().count(db).await?,
        job_fairs: job_fair::Entity::find().count(db).await?,
        overseas_registrations: overseas_registration::Entity::find().count(db).await?,
    })
}

/// All vacancies, open or not (the size of a full reindex).
pub async fn vacancy_count(store: &Store) -> StoreResult<u64> {
    Ok(vacancy::Entity::find().count(store.connection()).await?)
}

/// All worker profiles (the size of a full reindex).
pub async fn worker_count(store: &Store) -> StoreResult<u64> {
    Ok(worker_profile::Entity::find().count(store.connection()).await?)
}
