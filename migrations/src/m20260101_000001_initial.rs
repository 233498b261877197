//! Reference tables, the core records, and the change log that feeds search indexes.

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
        // ---- reference data (loaded idempotently at start-up) ----
        manager
            .create_table(
                Table::create()
                    .table("reference_datasets")
                    .col(string("name").primary_key())
                    .col(string("fingerprint"))
                    .col(integer("row_count"))
                    .col(timestamp_with_time_zone("loaded_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("provinces")
                    .col(string("code").primary_key())
                    .col(string("name"))
                    .col(string("name_folded"))
                    .col(string("kind"))
                    .col(string("slug"))
                    .col(string("name_with_type"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("communes")
                    .col(string("code").primary_key())
                    .col(string("name"))
                    .col(string("name_folded"))
                    .col(string("kind"))
                    .col(string("province_code"))
                    .col(double("lat"))
                    .col(double("lon"))
                    .col(double_null("area_km2"))
                    .foreign_key(&mut references("communes", "province_code", "provinces", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("communes", &["province_code"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("legacy_communes")
                    .col(pk_auto("id"))
                    .col(string("old_province_code"))
                    .col(string("old_province_name"))
                    .col(string("old_district_code"))
                    .col(string("old_district_name"))
                    .col(string_null("old_code"))
                    .col(string_null("old_name"))
                    .col(string_null("old_name_folded"))
                    .col(string("new_code"))
                    .col(boolean("split"))
                    .col(boolean("is_default_new"))
                    .foreign_key(&mut references("legacy_communes", "new_code", "communes", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("legacy_communes", &["old_code"])).await?;
        manager.create_index(index("legacy_communes", &["new_code"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("occupations")
                    .col(string("code").primary_key())
                    .col(small_integer("level"))
                    .col(string_null("parent_code"))
                    .col(string("label_vi"))
                    .col(string("label_en"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("countries")
                    .col(string("code").primary_key())
                    .col(string("name_vi"))
                    .col(string("name_en"))
                    .take(),
            )
            .await?;

        // ---- core records ----
        manager
            .create_table(
                Table::create()
                    .table("employers")
                    .col(uuid("id").primary_key())
                    .col(string("kind"))
                    .col(string("name"))
                    .col(string("name_folded"))
                    .col(string_null("tax_code").unique_key())
                    .col(string_null("licence_number"))
                    .col(date_null("licence_issued_on"))
                    .col(date_null("licence_valid_until"))
                    .col(string("province_code"))
                    .col(string_null("commune_code"))
                    .col(text_null("address"))
                    .col(string_null("phone"))
                    .col(string_null("email"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("employers", "province_code", "provinces", "code"))
                    .foreign_key(&mut references("employers", "commune_code", "communes", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("employers", &["name_folded"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("job_fairs")
                    .col(uuid("id").primary_key())
                    .col(string("code").unique_key())
                    .col(string("title"))
                    .col(string("format"))
                    .col(string("organiser"))
                    .col(string("province_code"))
                    .col(string("commune_code"))
                    .col(string("venue"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("job_fairs", "province_code", "provinces", "code"))
                    .foreign_key(&mut references("job_fairs", "commune_code", "communes", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("job_fairs", &["commune_code", "starts_at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("vacancies")
                    .col(uuid("id").primary_key())
                    .col(uuid("employer_id"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(string("isco_code"))
                    .col(string("employment_type"))
                    .col(integer("quantity"))
                    .col(big_integer_null("salary_min"))
                    .col(big_integer_null("salary_max"))
                    .col(string("salary_currency"))
                    .col(string("salary_period"))
                    .col(boolean("salary_negotiable"))
                    .col(string("salary_text"))
                    .col(boolean("is_overseas"))
                    .col(string_null("workplace_commune_code"))
                    .col(string_null("workplace_province_code"))
                    .col(string("country_code"))
                    .col(string_null("programme"))
                    .col(small_integer_null("contract_months"))
                    .col(json_binary("requirements"))
                    .col(date_null("deadline"))
                    .col(uuid_null("fair_id"))
                    .col(string("status"))
                    .col(timestamp_with_time_zone("posted_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("vacancies", "employer_id", "employers", "id"))
                    .foreign_key(&mut references("vacancies", "isco_code", "occupations", "code"))
                    .foreign_key(&mut references("vacancies", "workplace_commune_code", "communes", "code"))
                    .foreign_key(&mut references("vacancies", "workplace_province_code", "provinces", "code"))
                    .foreign_key(&mut references("vacancies", "country_code", "countries", "code"))
                    .foreign_key(&mut references("vacancies", "fair_id", "job_fairs", "id"))
                    .take(),
            )
            .await?;
        for columns in [&["employer_id"][..], &["workplace_province_code"], &["isco_code"], &["fair_id"], &["status", "posted_at"]] {
            manager.create_index(index("vacancies", columns)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("worker_profiles")
                    .col(uuid("id").primary_key())
                    .col(string("full_name"))
                    .col(string("sex"))
                    .col(date("date_of_birth"))
                    // Sensitive identity fields: never indexed for search, masked on display.
                    .col(string_null("cccd").unique_key())
                    .col(string_null("phone"))
                    .col(string_null("email"))
                    .col(string_null("ethnicity"))
                    .col(string("residence_commune_code"))
                    .col(string("residence_province_code"))
                    .col(text_null("address_as_written"))
                    .col(string("general_education"))
                    .col(string("qualification"))
                    .col(json_binary("occupation_history"))
                    .col(json_binary("skills"))
                    .col(json_binary("languages"))
                    .col(string_null("desired_isco_code"))
                    .col(json_binary("desired"))
                    .col(boolean("willing_abroad"))
                    .col(string("availability"))
                    .col(date_null("available_from"))
                    .col(json_binary("priority_groups"))
                    .col(json_binary("consents"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut references("worker_profiles", "residence_commune_code", "communes", "code"))
                    .foreign_key(&mut references("worker_profiles", "residence_province_code", "provinces", "code"))
                    .foreign_key(&mut references("worker_profiles", "desired_isco_code", "occupations", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("worker_profiles", &["residence_commune_code"])).await?;
        manager.create_index(index("worker_profiles", &["residence_province_code"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("fair_registrations")
                    .col(uuid("id").primary_key())
                    .col(uuid("fair_id"))
                    .col(uuid_null("worker_id"))
                    .col(uuid_null("employer_id"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(timestamp_with_time_zone_null("checked_in_at"))
                    .foreign_key(&mut references("fair_registrations", "fair_id", "job_fairs", "id"))
                    .foreign_key(&mut references("fair_registrations", "worker_id", "worker_profiles", "id"))
                    .foreign_key(&mut references("fair_registrations", "employer_id", "employers", "id"))
                    .take(),
            )
            .await?;
        // One registration per worker (and per employer) and fair.
        manager.create_index(index("fair_registrations", &["fair_id", "worker_id"]).unique().take()).await?;
        manager.create_index(index("fair_registrations", &["fair_id", "employer_id"]).unique().take()).await?;
        manager
            .create_table(
                Table::create()
                    .table("overseas_registrations")
                    .col(uuid("id").primary_key())
                    .col(uuid("worker_id"))
                    .col(uuid_null("job_order_id"))
                    .col(string("country_code"))
                    .col(string("programme"))
                    .col(string("stage"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(text_null("note"))
                    .foreign_key(&mut references("overseas_registrations", "worker_id", "worker_profiles", "id"))
                    .foreign_key(&mut references("overseas_registrations", "job_order_id", "vacancies", "id"))
                    .foreign_key(&mut references("overseas_registrations", "country_code", "countries", "code"))
                    .take(),
            )
            .await?;
        manager.create_index(index("overseas_registrations", &["worker_id"])).await?;

        // ---- change log: one row per change to a vacancy or worker profile, written in the
        // same transaction as the change; search indexes replay it in `seq` order. ----
        manager
            .create_table(
                Table::create()
                    .table("change_log")
                    .col(big_pk_auto("seq"))
                    .col(string("entity"))
                    .col(uuid("entity_id"))
                    .col(string("operation"))
                    .col(timestamp_with_time_zone("changed_at"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "change_log",
            "overseas_registrations",
            "fair_registrations",
            "worker_profiles",
            "vacancies",
            "job_fairs",
            "employers",
            "countries",
            "occupations",
            "legacy_communes",
            "communes",
            "provinces",
            "reference_datasets",
        ] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
