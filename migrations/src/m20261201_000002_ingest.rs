//! Vacancy ingestion: configured sources and their pull state, the link from (source, external
//! id) to a vacancy (identity, content hash, near-duplicate key), the quarantine of rejected
//! records, and one report row per ingestion run.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A link row disappears with its vacancy (a deleted vacancy is ingested afresh next time).
fn cascade_to_vacancy(column: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_vacancy_sources_{column}"))
        .from("vacancy_sources", column)
        .to("vacancies", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("ingest_sources")
                    .col(string("name").primary_key())
                    .col(string("kind"))
                    // Conditional-request validators per URL and the change-feed cursor.
                    .col(json_binary("state"))
                    .col(timestamp_with_time_zone_null("last_pulled_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("vacancy_sources")
                    .col(string("source"))
                    .col(string("external_id"))
                    .col(uuid("vacancy_id"))
                    .col(uuid("canonical_vacancy_id"))
                    .col(boolean("is_duplicate"))
                    .col(string("content_hash"))
                    .col(string("dedupe_key"))
                    .col(big_integer("simhash"))
                    .col(json_binary("flags"))
                    .col(boolean("removed"))
                    .col(timestamp_with_time_zone("first_seen_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .primary_key(Index::create().col("source").col("external_id"))
                    .foreign_key(&mut cascade_to_vacancy("vacancy_id"))
                    .foreign_key(&mut cascade_to_vacancy("canonical_vacancy_id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("vacancy_sources", &["dedupe_key"])).await?;
        manager.create_index(index("vacancy_sources", &["vacancy_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("ingest_runs")
                    .col(uuid("id").primary_key())
                    .col(string("source"))
                    .col(string("kind"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(big_integer("received"))
                    .col(big_integer("inserted"))
                    .col(big_integer("updated"))
                    .col(big_integer("unchanged"))
                    .col(big_integer("duplicate"))
                    .col(big_integer("quarantined"))
                    .col(big_integer("removed"))
                    .col(text_null("error"))
                    .take(),
            )
            .await?;
        manager.create_index(index("ingest_runs", &["source", "started_at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("ingest_quarantine")
                    .col(big_pk_auto("id"))
                    .col(uuid("run_id"))
                    .col(string("source"))
                    .col(string_null("external_id"))
                    .col(text("raw"))
                    .col(string("field"))
                    .col(string("code"))
                    .col(text("message_vi"))
                    .col(text("message_en"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ingest_quarantine_run_id")
                            .from("ingest_quarantine", "run_id")
                            .to("ingest_runs", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager.create_index(index("ingest_quarantine", &["source", "created_at"])).await?;
        manager.create_index(index("ingest_quarantine", &["run_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["ingest_quarantine", "ingest_runs", "vacancy_sources", "ingest_sources"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
