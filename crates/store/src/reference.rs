//! Loads the reference data compiled into `caunoi-domain` into the database, idempotently: a
//! dataset whose fingerprint is already recorded is skipped, and a changed one is upserted by
//! code, so loading twice changes nothing and records that point at a commune stay valid.

use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, Iterable, TransactionTrait};

use caunoi_domain::reference::{
    self, AdminCatalog, COMMUNES_CSV, COUNTRIES_CSV, Dataset, LEGACY_COMMUNES_CSV, OCCUPATIONS_CSV, OccupationCatalog,
    PROVINCES_CSV,
};
use caunoi_domain::text::fold;

use crate::connect::lock_transaction;
use crate::entities::{commune, country, legacy_commune, occupation, province, reference_dataset};
use crate::error::StoreResult;
use crate::Store;

/// Advisory-lock key of reference loading, so two nodes starting together do not interleave.
const REFERENCE_LOCK: i64 = 0x6361_756e_6f69_0002;

/// What happened to each dataset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatasetOutcome {
    pub name: &'static str,
    pub rows: usize,
    /// False when the database already held exactly this version.
    pub loaded: bool,
}

const CHUNK_PARAMETERS: usize = 30_000;

/// Upserts rows by primary key, replacing every other column.
async fn upsert<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> StoreResult<()>
where
    A: ActiveModelTrait + Send,
{
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let primary: Vec<_> = <A::Entity as EntityTrait>::PrimaryKey::iter().collect();
    let primary_names: Vec<String> = primary.iter().map(|p| format!("{p:?}").to_lowercase()).collect();
    let updatable: Vec<_> = columns
        .iter()
        .copied()
        .filter(|c| !primary_names.contains(&format!("{c:?}").to_lowercase()))
        .collect();
    let per_statement = (CHUNK_PARAMETERS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        let on_conflict = OnConflict::columns(primary.iter().map(|p| sea_orm::PrimaryKeyToColumn::into_column(*p)))
            .update_columns(updatable.iter().copied())
            .to_owned();
        <A::Entity as EntityTrait>::insert_many(chunk).on_conflict(on_conflict).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Loads every dataset whose fingerprint differs from the recorded one.
pub async fn load(store: &Store) -> StoreResult<Vec<DatasetOutcome>> {
    let admin = AdminCatalog::embedded();
    let occupations = OccupationCatalog::embedded();
    let mut outcomes = Vec::new();

    outcomes.push(
        load_dataset(store, PROVINCES_CSV, admin.provinces().len(), |txn| {
            Box::pin(async move {
                let rows = admin.provinces().iter().map(|p| province::ActiveModel {
                    code: Set(p.code.as_str().to_owned()),
                    name: Set(p.name.clone()),
                    name_folded: Set(fold(&p.name)),
                    kind: Set(p.kind.code().to_owned()),
                    slug: Set(p.slug.clone()),
                    name_with_type: Set(p.name_with_type.clone()),
                });
                upsert(txn, rows.collect()).await
            })
        })
        .await?,
    );
    outcomes.push(
        load_dataset(store, COMMUNES_CSV, admin.communes().len(), |txn| {
            Box::pin(async move {
                let rows = admin.communes().iter().map(|c| commune::ActiveModel {
                    code: Set(c.code.as_str().to_owned()),
                    name: Set(c.name.clone()),
                    name_folded: Set(fold(&c.name)),
                    kind: Set(c.kind.code().to_owned()),
                    province_code: Set(c.province_code.as_str().to_owned()),
                    lat: Set(c.lat),
                    lon: Set(c.lon),
                    area_km2: Set(c.area_km2),
                });
                upsert(txn, rows.collect()).await
            })
        })
        .await?,
    );
    outcomes.push(
        load_dataset(store, LEGACY_COMMUNES_CSV, admin.legacy_communes().len(), |txn| {
            Box::pin(async move {
                // Nothing references these rows, so a changed map is simply replaced.
                legacy_commune::Entity::delete_many().exec(txn).await?;
                let rows = admin.legacy_communes().iter().map(|u| legacy_commune::ActiveModel {
                    old_province_code: Set(u.old_province_code.clone()),
                    old_province_name: Set(u.old_province_name.clone()),
                    old_district_code: Set(u.old_district_code.clone()),
                    old_district_name: Set(u.old_district_name.clone()),
                    old_code: Set(u.old_code.clone()),
                    old_name: Set(u.old_name.clone()),
                    old_name_folded: Set(u.old_name.as_deref().map(fold)),
                    new_code: Set(u.new_code.as_str().to_owned()),
                    split: Set(u.split),
                    is_default_new: Set(u.is_default_new),
                    ..Default::default()
                });
                let rows: Vec<_> = rows.collect();
                for chunk in rows.chunks(2_000) {
                    legacy_commune::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
                }
                Ok(())
            })
        })
        .await?,
    );
    outcomes.push(
        load_dataset(store, OCCUPATIONS_CSV, occupations.all().len(), |txn| {
            Box::pin(async move {
                let rows = occupations.all().iter().map(|o| occupation::ActiveModel {
                    code: Set(o.code.as_str().to_owned()),
                    level: Set(i16::from(o.code.level())),
                    parent_code: Set(o.code.parent().map(|p| p.as_str().to_owned())),
                    label_vi: Set(o.label_vi.clone()),
                    label_en: Set(o.label_en.clone()),
                });
                upsert(txn, rows.collect()).await
            })
        })
        .await?,
    );
    outcomes.push(
        load_dataset(store, COUNTRIES_CSV, reference::countries().len(), |txn| {
            Box::pin(async move {
                let rows = reference::countries().iter().map(|c| country::ActiveModel {
                    code: Set(c.code.as_str().to_owned()),
                    name_vi: Set(c.name_vi.clone()),
                    name_en: Set(c.name_en.clone()),
                });
                upsert(txn, rows.collect()).await
            })
        })
        .await?,
    );
    Ok(outcomes)
}

type LoadFuture<'t> = std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<()>> + Send + 't>>;

async fn load_dataset(
    store: &Store,
    dataset: Dataset,
    rows: usize,
    write: impl for<'t> FnOnce(&'t DatabaseTransaction) -> LoadFuture<'t>,
) -> StoreResult<DatasetOutcome> {
    let fingerprint = dataset.fingerprint();
    let txn = store.connection().begin().await?;
    lock_transaction(&txn, REFERENCE_LOCK).await?;
    let recorded = reference_dataset::Entity::find_by_id(dataset.name.to_owned()).one(&txn).await?;
    if recorded.as_ref().is_some_and(|r| r.fingerprint == fingerprint) {
        txn.commit().await?;
        return Ok(DatasetOutcome { name: dataset.name, rows, loaded: false });
    }
    write(&txn).await?;
    let record = reference_dataset::ActiveModel {
        name: Set(dataset.name.to_owned()),
        fingerprint: Set(fingerprint),
        row_count: Set(i32::try_from(rows).unwrap_or(i32::MAX)),
        loaded_at: Set(Utc::now()),
    };
    upsert(&txn, vec![record]).await?;
    txn.commit().await?;
    Ok(DatasetOutcome { name: dataset.name, rows, loaded: true })
}

/// Row counts of the reference tables as stored.
pub async fn stored_counts(store: &Store) -> StoreResult<Vec<(&'static str, u64)>> {
    use sea_orm::PaginatorTrait;
    let db = store.connection();
    Ok(vec![
        ("provinces", province::Entity::find().count(db).await?),
        ("communes", commune::Entity::find().count(db).await?),
        ("legacy_communes", legacy_commune::Entity::find().count(db).await?),
        ("occupations", occupation::Entity::find().count(db).await?),
        ("countries", country::Entity::find().count(db).await?),
    ])
}

