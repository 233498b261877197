//! sea-orm entities of the ingestion tables (migration `m20261201_000002_ingest`).

pub mod ingest_source {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ingest_sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub kind: String,
        #[sea_orm(column_type = "JsonBinary")]
        pub state: Json,
        pub last_pulled_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod vacancy_source {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "vacancy_sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub source: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub external_id: String,
        pub vacancy_id: Uuid,
        pub canonical_vacancy_id: Uuid,
        pub is_duplicate: bool,
        pub content_hash: String,
        pub dedupe_key: String,
        pub simhash: i64,
        #[sea_orm(column_type = "JsonBinary")]
        pub flags: Json,
        pub removed: bool,
        pub first_seen_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ingest_run {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ingest_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub source: String,
        pub kind: String,
        pub status: String,
        pub started_at: DateTimeUtc,
        pub finished_at: Option<DateTimeUtc>,
        pub received: i64,
        pub inserted: i64,
        pub updated: i64,
        pub unchanged: i64,
        pub duplicate: i64,
        pub quarantined: i64,
        pub removed: i64,
        pub error: Option<String>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ingest_quarantine {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ingest_quarantine")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub run_id: Uuid,
        pub source: String,
        pub external_id: Option<String>,
        /// The sheet row or NDJSON line the record came from (migration 000008).
        pub position: Option<i64>,
        pub raw: String,
        pub field: String,
        pub code: String,
        pub message_vi: String,
        pub message_en: String,
        pub created_at: DateTimeUtc,
    }

    impl ActiveModelBehavior for ActiveModel {}
}
