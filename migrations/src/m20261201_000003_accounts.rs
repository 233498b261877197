//! Accounts with their role and scope, web sessions, partner API keys, login attempts (for
//! throttling across stateless nodes), and the audit log of access to personal data.

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
            .create_table(
                Table::create()
                    .table("accounts")
                    .col(uuid("id").primary_key())
                    // An e-mail address or a normalised phone number.
                    .col(string("login").unique_key())
                    .col(string("password_hash"))
                    .col(string("display_name"))
                    .col(string("role"))
                    .col(string_null("scope_province_code"))
                    .col(string_null("scope_commune_code"))
                    .col(uuid_null("employer_id"))
                    .col(uuid_null("worker_id"))
                    .col(boolean("disabled"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut references("accounts", "employer_id", "employers", "id"))
                    .take(),
            )
            .await?;
        manager.create_index(index("accounts", &["worker_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    // SHA-256 of the cookie value: a stolen database holds no usable session.
                    .col(string("token_hash").primary_key())
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(&mut references("sessions", "account_id", "accounts", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_keys")
                    .col(string("key_hash").primary_key())
                    .col(uuid("account_id"))
                    .col(string("label"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut references("api_keys", "account_id", "accounts", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_attempts")
                    .col(big_pk_auto("id"))
                    .col(string("login"))
                    .col(boolean("succeeded"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .take(),
            )
            .await?;
        manager.create_index(index("login_attempts", &["login", "attempted_at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(uuid_null("actor_account_id"))
                    .col(string("actor_role"))
                    .col(string("action"))
                    .col(string("entity"))
                    .col(string("entity_id"))
                    // Why access was allowed (own_profile, staff_of_area, employer_with_consent…).
                    .col(string("basis"))
                    .col(string_null("detail"))
                    .take(),
            )
            .await?;
        manager.create_index(index("audit_log", &["entity", "entity_id"])).await?;
        manager.create_index(index("audit_log", &["actor_account_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["audit_log", "login_attempts", "api_keys", "sessions", "accounts"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
