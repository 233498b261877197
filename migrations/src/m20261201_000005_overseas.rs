//! Overseas contract labour as a feature (DOMAIN.md §4–7): a licence's status and branches on
//! `employers`; job-order details beside their vacancy (`job_orders`: supply contract and its
//! approval, interview dates, the worker cost schedule); the placement pipeline's dates on
//! `overseas_registrations` with an append-only history of every move; and the evidence
//! documents of each registration. `overseas_registrations` keeps its columns (the demo data
//! writes them), so existing rows stay valid.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{index, references};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// SQLite takes one `ADD COLUMN` per `ALTER TABLE`: (table, column) pairs, each nullable or
/// with a default.
fn added_columns() -> Vec<(&'static str, ColumnDef)> {
    vec![
        // NULL on rows written before: read as a licence in force.
        ("employers", string_null("licence_status")),
        // JSON array of branches assigned to the placement service.
        ("employers", text("licence_branches").default("[]").take()),
        // T0, the day of departure, the day the placement ended abroad (Vietnamese dates).
        ("overseas_registrations", date_null("selected_on")),
        ("overseas_registrations", date_null("departed_on")),
        ("overseas_registrations", date_null("ended_on")),
    ]
}

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, mut column) in added_columns() {
            manager.alter_table(Table::alter().table(table).add_column(&mut column).take()).await?;
        }
        // Places held per order are counted by stage; the worklist reads by stage.
        manager.create_index(index("overseas_registrations", &["job_order_id", "stage"])).await?;
        manager.create_index(index("overseas_registrations", &["stage"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("job_orders")
                    .col(uuid("vacancy_id").primary_key())
                    // Human reference ("DH-2026-0042"); NULLs are distinct on both back-ends.
                    .col(string_null("code").unique_key())
                    .col(string("sector"))
                    .col(string("working_hours"))
                    .col(string_null("scheme"))
                    .col(string("supply_reference"))
                    .col(string("foreign_partner"))
                    .col(string("supply_status"))
                    .col(date_null("supply_submitted_on"))
                    .col(string_null("supply_decision_no"))
                    .col(date_null("supply_approved_on"))
                    // JSON: [dates], [cost lines], the exchange rate.
                    .col(text("interview_dates"))
                    .col(text("costs"))
                    .col(text_null("exchange_rate"))
                    .col(date_null("published_on"))
                    // Bumped first in every transaction that changes who holds the order's
                    // places: the row lock (PostgreSQL) or write lock (SQLite) serialises them.
                    .col(big_integer("places_version").default(0).take())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("job_orders", "vacancy_id", "vacancies", "id"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("overseas_stage_history")
                    .col(uuid("id").primary_key())
                    .col(uuid("registration_id"))
                    // 1, 2, 3… per registration; unique, so two moves cannot both be "next".
                    .col(integer("seq"))
                    .col(string_null("from_stage"))
                    .col(string("to_stage"))
                    .col(date("on_date"))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid_null("actor"))
                    .col(text_null("reason"))
                    .col(string_null("return_reason"))
                    .col(string_null("eligibility"))
                    // JSON array of the evidence documents' ids.
                    .col(text("evidence"))
                    .foreign_key(&mut references(
                        "overseas_stage_history",
                        "registration_id",
                        "overseas_registrations",
                        "id",
                    ))
                    .take(),
            )
            .await?;
        manager.create_index(index("overseas_stage_history", &["registration_id", "seq"]).unique().take()).await?;

        manager
            .create_table(
                Table::create()
                    .table("overseas_documents")
                    .col(uuid("id").primary_key())
                    .col(uuid("registration_id"))
                    .col(string("kind"))
                    // Identity-document numbers are personal data (like CCCD on profiles).
                    .col(string_null("number"))
                    .col(string_null("issuer"))
                    .col(date_null("issued_on"))
                    .col(date_null("expires_on"))
                    .col(string_null("detail"))
                    .col(string_null("file_hash"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut references(
                        "overseas_documents",
                        "registration_id",
                        "overseas_registrations",
                        "id",
                    ))
                    .take(),
            )
            .await?;
        manager.create_index(index("overseas_documents", &["registration_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["overseas_documents", "overseas_stage_history", "job_orders"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        for name in ["ix_overseas_registrations_stage", "ix_overseas_registrations_job_order_id_stage"] {
            manager.drop_index(Index::drop().name(name).table("overseas_registrations").to_owned()).await?;
        }
        for (table, column) in added_columns().into_iter().rev() {
            let name = column.get_column_name();
            manager.alter_table(Table::alter().table(table).drop_column(name).take()).await?;
        }
        Ok(())
    }
}
