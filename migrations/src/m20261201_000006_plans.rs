//! Plans and results (issue #9): targets per indicator, area and year or quarter (`plans`), and
//! the values of manual indicators entered by staff (`manual_values`). Indicators themselves are
//! data compiled into the domain (`indicators.csv`), so these tables only name them by code.
//!
//! A whole-year entry has quarter 0 rather than NULL: NULLs are distinct in a unique key on both
//! back-ends, which would let a yearly plan be entered twice.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The key every entry shares; the primary key, so entering one again replaces it.
fn keyed(table: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(string("indicator"))
        // "commune" or "province"; the code alone would do (5 or 2 digits) but says less.
        .col(string("area_kind"))
        .col(string("area_code"))
        .col(integer("year"))
        // 1–4, or 0 for the whole year.
        .col(small_integer("quarter"))
        .primary_key(Index::create().col("indicator").col("area_kind").col("area_code").col("year").col("quarter"))
        .take()
}

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                keyed("plans")
                    // Hundredths: a percent target of 72,50 is 7250, exactly.
                    .col(big_integer("target_hundredths"))
                    .col(uuid_null("entered_by"))
                    .col(timestamp_with_time_zone("entered_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                keyed("manual_values")
                    .col(big_integer("value_hundredths"))
                    .col(text("source_note"))
                    .col(uuid_null("entered_by"))
                    .col(timestamp_with_time_zone("entered_at"))
                    .take(),
            )
            .await?;
        // Results read interactions and stage moves by date, across all fairs and registrations.
        manager.create_index(index("fair_interactions", &["kind", "at"])).await?;
        manager.create_index(index("overseas_stage_history", &["to_stage", "on_date"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            ("overseas_stage_history", "ix_overseas_stage_history_to_stage_on_date"),
            ("fair_interactions", "ix_fair_interactions_kind_at"),
        ] {
            manager.drop_index(Index::drop().name(name).table(table).to_owned()).await?;
        }
        for table in ["manual_values", "plans"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
