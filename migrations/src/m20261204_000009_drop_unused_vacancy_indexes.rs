//! Drops two vacancy indexes that no query reads: vacancies are filtered by occupation and fair
//! in the search index, not in the database, and neither occupations nor job fairs are ever
//! deleted (the only reason a foreign key would want them). Each secondary index costs every
//! imported vacancy one more B-tree insert; bulk ingestion is write-bound on SQLite.

use sea_orm_migration::prelude::*;

use crate::helpers::{index, index_name};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UNUSED: [&str; 2] = ["isco_code", "fair_id"];

// async_trait requires the trait's exact signature, `&SchemaManager` without a lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in UNUSED {
            manager.drop_index(Index::drop().name(index_name("vacancies", &[column])).table("vacancies").to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in UNUSED {
            manager.create_index(index("vacancies", &[column])).await?;
        }
        Ok(())
    }
}
