//! Where a quarantined record was in what was sent: the sheet row or the NDJSON line, so staff
//! and employers can find the row to fix ("dòng 17") even when it has no id of its own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("ingest_quarantine").add_column(big_integer_null("position")).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("ingest_quarantine").drop_column("position").take()).await
    }
}
