//! Vocational training (issue #11): certificates on worker profiles; providers and their
//! classes (with a `seats_version` bumped first in every transaction that changes who holds a
//! seat, as fairs do with places); enrolments with the waiting list, completion and the
//! six-month follow-up; attendance per class day; and the training-needs survey.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{index, references};

#[derive(DeriveMigrationName)]
pub struct Migration;

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table("worker_profiles").add_column(json_binary("certificates").default("[]").take()).take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("training_providers")
                    .col(uuid("id").primary_key())
                    .col(string("name"))
                    .col(string("name_folded"))
                    .col(string("kind"))
                    .col(string("commune_code"))
                    .col(string("province_code"))
                    .col(text_null("address"))
                    .col(string_null("registration_no"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut references("training_providers", "commune_code", "communes", "code"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("training_classes")
                    .col(uuid("id").primary_key())
                    .col(uuid("provider_id"))
                    .col(string("title"))
                    .col(string("trade"))
                    // JSON array of what the class teaches.
                    .col(text("skills"))
                    .col(string("level"))
                    .col(string("commune_code"))
                    .col(string("province_code"))
                    .col(string("venue"))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(integer("capacity"))
                    // JSON: the funding and, for tuition, its amount.
                    .col(text("funding"))
                    .col(string("status"))
                    // The day the class started running (for "classes opened").
                    .col(date_null("opened_on"))
                    .col(big_integer("seats_version").default(0).take())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("training_classes", "provider_id", "training_providers", "id"))
                    .foreign_key(&mut references("training_classes", "commune_code", "communes", "code"))
                    .foreign_key(&mut references("training_classes", "trade", "occupations", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("training_classes", &["status", "starts_on"])).await?;
        manager.create_index(index("training_classes", &["province_code"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("training_enrolments")
                    .col(uuid("id").primary_key())
                    .col(uuid("class_id"))
                    .col(uuid("worker_id"))
                    .col(string("status"))
                    // Where the enrolment came from: walk_in, fair (a sign-up there), survey, online.
                    .col(string("source"))
                    .col(uuid_null("fair_id"))
                    // Order of the waiting list; reset when the worker enrols again.
                    .col(timestamp_with_time_zone("enrolled_at"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .col(date_null("completed_on"))
                    // JSON certificate issued on completion.
                    .col(text_null("certificate"))
                    .col(string_null("follow_up_outcome"))
                    .col(date_null("followed_up_on"))
                    .foreign_key(&mut references("training_enrolments", "class_id", "training_classes", "id"))
                    .foreign_key(&mut references("training_enrolments", "worker_id", "worker_profiles", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("training_enrolments", &["class_id", "worker_id"]).unique().take()).await?;
        manager.create_index(index("training_enrolments", &["worker_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("training_attendance")
                    .col(uuid("enrolment_id"))
                    .col(date("on_date"))
                    .col(boolean("present"))
                    .primary_key(Index::create().col("enrolment_id").col("on_date"))
                    .foreign_key(&mut references("training_attendance", "enrolment_id", "training_enrolments", "id"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("training_survey_responses")
                    .col(uuid("id").primary_key())
                    .col(string("commune_code"))
                    .col(string("province_code"))
                    .col(uuid_null("worker_id"))
                    .col(string("respondent_name"))
                    .col(string_null("sex"))
                    .col(integer_null("birth_year"))
                    // JSON array of {text, occupation}.
                    .col(text("trades"))
                    .col(string("preferred_time"))
                    .col(string_null("preferred_place"))
                    .col(boolean("needs_support"))
                    // JSON array of priority-group codes (sensitive, like the profile's).
                    .col(text("priority_groups"))
                    .col(string("source"))
                    .col(uuid_null("fair_id"))
                    .col(date("surveyed_on"))
                    .col(uuid_null("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut references("training_survey_responses", "commune_code", "communes", "code"))
                    .foreign_key(&mut references("training_survey_responses", "worker_id", "worker_profiles", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("training_survey_responses", &["commune_code", "surveyed_on"])).await?;
        manager.create_index(index("training_survey_responses", &["province_code", "surveyed_on"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            ["training_survey_responses", "training_attendance", "training_enrolments", "training_classes", "training_providers"]
        {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        manager.alter_table(Table::alter().table("worker_profiles").drop_column("certificates").take()).await?;
        Ok(())
    }
}
