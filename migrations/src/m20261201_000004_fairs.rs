//! Job fairs as a feature (DOMAIN.md §3.5): the fair's plan (kind, capacity, target groups,
//! co-hosts, online link), employers' booths and the vacancies they bring, seekers' places with
//! their QR tickets, anonymous headcounts, interactions at the booths, 30/90-day follow-ups, and
//! amendments to reported fairs. `fair_registrations` (the older, simpler table the demo data
//! fills) stays as it is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{index, references};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to `job_fairs`. SQLite takes one `ADD COLUMN` per `ALTER TABLE`, so each is its
/// own statement; every one is nullable or has a default, so existing rows stay valid.
fn fair_columns() -> Vec<ColumnDef> {
    vec![
        string_null("kind"),
        integer_null("capacity"),
        // JSON arrays as text: [priority group codes], [co-host names].
        text("target_groups").default("[]").take(),
        text("co_hosts").default("[]").take(),
        string_null("online_url"),
        // Bumped first in every transaction that changes the fair's places: the row lock
        // (PostgreSQL) or the write lock (SQLite) it takes serialises them per fair.
        big_integer("places_version").default(0).take(),
    ]
}

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in fair_columns() {
            manager.alter_table(Table::alter().table("job_fairs").add_column(&mut column).take()).await?;
        }
        manager.create_index(index("job_fairs", &["province_code", "starts_at"])).await?;
        manager.create_index(index("job_fairs", &["status", "starts_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_booths")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    .col(uuid("employer_id"))
                    .col(string("status"))
                    // 1, 2, 3… per fair in order of approval; NULL until approved.
                    .col(integer_null("number"))
                    // JSON array: interviews the booth can hold at once, per time slot.
                    .col(text("slot_capacity"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(uuid_null("decided_by"))
                    .foreign_key(&mut references("fair_booths", "fair_id", "job_fairs", "id"))
                    .foreign_key(&mut references("fair_booths", "employer_id", "employers", "id"))
                    .take(),
            )
            .await?;
        // One booth per employer and fair; booth numbers unique per fair (NULLs are distinct
        // on both back-ends, so any number of undecided booths may wait).
        manager.create_index(index("fair_booths", &["fair_id", "employer_id"]).unique().take()).await?;
        manager.create_index(index("fair_booths", &["fair_id", "number"]).unique().take()).await?;
        manager.create_index(index("fair_booths", &["employer_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_booth_vacancies")
                    .col(uuid("booth_id"))
                    .col(uuid("vacancy_id"))
                    .primary_key(Index::create().col("booth_id").col("vacancy_id"))
                    .foreign_key(&mut references("fair_booth_vacancies", "booth_id", "fair_booths", "id"))
                    .foreign_key(&mut references("fair_booth_vacancies", "vacancy_id", "vacancies", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_booth_vacancies", &["vacancy_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_places")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    .col(uuid("worker_id"))
                    // Random, URL-safe; the only thing a QR ticket carries.
                    .col(string("ticket").unique_key())
                    .col(string("status"))
                    .col(boolean("walk_in"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(timestamp_with_time_zone_null("checked_in_at"))
                    .col(timestamp_with_time_zone_null("cancelled_at"))
                    .foreign_key(&mut references("fair_places", "fair_id", "job_fairs", "id"))
                    .foreign_key(&mut references("fair_places", "worker_id", "worker_profiles", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_places", &["fair_id", "worker_id"]).unique().take()).await?;
        // The check-in UPDATE names fair and ticket: this index makes its plan one row whatever
        // the statistics say (right after 20,000 registrations PostgreSQL's are stale, and a plan
        // through the index below then walked every place of the fair for each scan).
        manager.create_index(index("fair_places", &["fair_id", "ticket"]).unique().take()).await?;
        // Counting confirmed places and finding the first waiting one, per fair.
        manager.create_index(index("fair_places", &["fair_id", "status", "registered_at"])).await?;
        manager.create_index(index("fair_places", &["worker_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_headcounts")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    .col(integer("count"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .col(uuid_null("recorded_by"))
                    .foreign_key(&mut references("fair_headcounts", "fair_id", "job_fairs", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_headcounts", &["fair_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_interactions")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    .col(uuid("worker_id"))
                    .col(uuid_null("vacancy_id"))
                    .col(uuid_null("employer_id"))
                    .col(string("kind"))
                    .col(text_null("note"))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid_null("recorded_by"))
                    .foreign_key(&mut references("fair_interactions", "fair_id", "job_fairs", "id"))
                    .foreign_key(&mut references("fair_interactions", "worker_id", "worker_profiles", "id"))
                    .foreign_key(&mut references("fair_interactions", "vacancy_id", "vacancies", "id"))
                    .foreign_key(&mut references("fair_interactions", "employer_id", "employers", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_interactions", &["fair_id", "kind"])).await?;
        manager.create_index(index("fair_interactions", &["worker_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_follow_ups")
                    .col(uuid("id").primary_key())
                    .col(uuid("interaction_id"))
                    .col(small_integer("day"))
                    .col(string("status"))
                    .col(date("checked_on"))
                    .col(uuid_null("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut references("fair_follow_ups", "interaction_id", "fair_interactions", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_follow_ups", &["interaction_id", "day"]).unique().take()).await?;

        manager
            .create_table(
                Table::create()
                    .table("fair_amendments")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    // 1, 2, 3… per fair: the report's version after this correction.
                    .col(integer("version"))
                    .col(string("field"))
                    .col(json_binary("value"))
                    .col(text("reason"))
                    .col(uuid_null("amended_by"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut references("fair_amendments", "fair_id", "job_fairs", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("fair_amendments", &["fair_id", "version"]).unique().take()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "fair_amendments",
            "fair_follow_ups",
            "fair_interactions",
            "fair_headcounts",
            "fair_places",
            "fair_booth_vacancies",
            "fair_booths",
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        for name in ["ix_job_fairs_status_starts_at", "ix_job_fairs_province_code_starts_at"] {
            manager.drop_index(Index::drop().name(name).table("job_fairs").to_owned()).await?;
        }
        for column in ["places_version", "online_url", "co_hosts", "target_groups", "capacity", "kind"] {
            manager.alter_table(Table::alter().table("job_fairs").drop_column(column).take()).await?;
        }
        Ok(())
    }
}
