//! Schema migrations of Cầu Nối. The same migrations run on SQLite (the embedded default) and on
//! PostgreSQL (production); they use only sea-query's portable schema builder.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20260101_000001_initial;
mod m20261201_000002_ingest;
mod m20261201_000003_accounts;
mod m20261201_000004_fairs;
mod m20261201_000005_overseas;
mod m20261201_000006_plans;
mod m20261202_000007_training;
mod m20261203_000008_quarantine_position;
mod m20261204_000009_drop_unused_vacancy_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_initial::Migration),
            Box::new(m20261201_000002_ingest::Migration),
            Box::new(m20261201_000003_accounts::Migration),
            Box::new(m20261201_000004_fairs::Migration),
            Box::new(m20261201_000005_overseas::Migration),
            Box::new(m20261201_000006_plans::Migration),
            Box::new(m20261202_000007_training::Migration),
            Box::new(m20261203_000008_quarantine_position::Migration),
            Box::new(m20261204_000009_drop_unused_vacancy_indexes::Migration),
        ]
    }
}
