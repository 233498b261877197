//! Store side of vacancy ingestion: the identity of an ingested record is (source, external id);
//! a batch of already-normalised records is applied in one transaction (or a few batches in one,
//! [`BatchGroup`]) — new vacancies inserted, edited ones updated in place, unchanged ones skipped
//! by content hash, near-duplicates from another source linked to the canonical vacancy, rejects
//! quarantined — with the change-log rows for every vacancy written in the same transaction.
//!
//! Parsing and normalisation are not here (they are pure functions in `caunoi-ingest`); this
//! module only resolves what needs the database: employers, existing links, duplicate candidates.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use caunoi_domain::records::{Employer, EmployerId, EmployerKind, Vacancy, VacancyId, Workplace};
use caunoi_domain::text::fold;
use caunoi_domain::{TaxCode, ValidationError};

use crate::bulk::{column_count, insert_chunked};
use crate::change_log::{self, ChangedEntity, Operation};
use crate::entities::{employer, vacancy};
pub use crate::ingest_entities::{ingest_quarantine, ingest_run, ingest_source, vacancy_source};
use crate::error::{StoreError, StoreResult};
use crate::mapping;
use crate::Store;

/// Values bound per `IN (…)` lookup: far below every back-end's parameter limit.
const LOOKUP_CHUNK: usize = 500;

/// Who posted a vacancy, as the source names them: matched by tax code, else by normalised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerHint {
    pub name: String,
    pub tax_code: Option<TaxCode>,
}

/// A record ready to store: a validated-shape vacancy (its `employer_id` is resolved here) plus
/// what identity and duplicate detection need.
#[derive(Debug, Clone)]
pub struct IncomingVacancy {
    pub external_id: String,
    /// Hash of the record as received: equal hash ⇒ "unchanged".
    pub content_hash: String,
    pub vacancy: Vacancy,
    pub employer: EmployerHint,
    /// Normalised title and place; with the employer they form the near-duplicate key.
    pub title_key: String,
    pub place_key: String,
    /// SimHash of the posting's text.
    pub simhash: u64,
    /// Normalisation notes kept beside the link (discrimination flags, occupation confidence…).
    pub flags: serde_json::Value,
    /// The record as received (for the quarantine, should storing it fail validation).
    pub raw: String,
    /// Where the record was in what was sent: the row of a sheet (numbered as the spreadsheet
    /// numbers it, the header being row 1; a CSV row's first line), the line of an NDJSON
    /// batch, or the element of a JSON array (from 1). None for pages and feeds.
    pub position: Option<u64>,
}

/// One record of a batch.
#[derive(Debug, Clone)]
pub enum Incoming {
    Upsert(Box<IncomingVacancy>),
    /// A tombstone: the source withdrew the posting; its vacancy is closed.
    Remove { external_id: String },
}

impl Incoming {
    fn external_id(&self) -> &str {
        match self {
            Self::Upsert(record) => &record.external_id,
            Self::Remove { external_id } => external_id,
        }
    }
}

/// A record that failed parsing or validation, kept with the reason.
#[derive(Debug, Clone)]
pub struct Quarantined {
    pub external_id: Option<String>,
    /// Where the record was in what was sent (see [`IncomingVacancy::position`]).
    pub position: Option<u64>,
    pub raw: String,
    pub error: ValidationError,
}

/// Identifies one ingestion run (its report row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunId(pub Uuid);

#[derive(Debug, Clone)]
pub struct IngestBatch {
    pub run: RunId,
    pub source: String,
    pub records: Vec<Incoming>,
    pub quarantined: Vec<Quarantined>,
    /// Records of another source with the same key whose SimHashes differ in at most this many
    /// bits are the same posting.
    pub max_simhash_distance: u32,
}

/// What a run (or a batch) did with the records it received.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestCounts {
    pub received: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub duplicate: u64,
    pub quarantined: u64,
    pub removed: u64,
}

impl std::ops::AddAssign for IngestCounts {
    fn add_assign(&mut self, other: Self) {
        self.received += other.received;
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.duplicate += other.duplicate;
        self.quarantined += other.quarantined;
        self.removed += other.removed;
    }
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Opens a run's report row ("running"); [`finish_run`] completes it.
pub async fn start_run(store: &Store, source: &str, kind: &str) -> StoreResult<RunId> {
    let id = Uuid::now_v7();
    let row = ingest_run::ActiveModel {
        id: Set(id),
        source: Set(source.to_owned()),
        kind: Set(kind.to_owned()),
        status: Set("running".to_owned()),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        received: Set(0),
        inserted: Set(0),
        updated: Set(0),
        unchanged: Set(0),
        duplicate: Set(0),
        quarantined: Set(0),
        removed: Set(0),
        error: Set(None),
    };
    ingest_run::Entity::insert(row).exec_without_returning(store.connection()).await?;
    Ok(RunId(id))
}

/// Writes a run's final counts; `error` marks it failed (what was committed before stays).
pub async fn finish_run(store: &Store, run: RunId, counts: IngestCounts, error: Option<String>) -> StoreResult<()> {
    let row = ingest_run::ActiveModel {
        id: Set(run.0),
        status: Set(if error.is_some() { "failed" } else { "finished" }.to_owned()),
        finished_at: Set(Some(Utc::now())),
        received: Set(count(counts.received)),
        inserted: Set(count(counts.inserted)),
        updated: Set(count(counts.updated)),
        unchanged: Set(count(counts.unchanged)),
        duplicate: Set(count(counts.duplicate)),
        quarantined: Set(count(counts.quarantined)),
        removed: Set(count(counts.removed)),
        error: Set(error),
        ..Default::default()
    };
    ingest_run::Entity::update(row).exec(store.connection()).await?;
    Ok(())
}

/// The latest runs, newest first (optionally of one source).
pub async fn runs(store: &Store, source: Option<&str>, limit: u64) -> StoreResult<Vec<ingest_run::Model>> {
    let mut query = ingest_run::Entity::find().order_by_desc(ingest_run::Column::StartedAt).limit(limit);
    if let Some(source) = source {
        query = query.filter(ingest_run::Column::Source.eq(source));
    }
    Ok(query.all(store.connection()).await?)
}

/// Quarantined records for staff, newest first (optionally of one source).
pub async fn quarantine(store: &Store, source: Option<&str>, limit: u64) -> StoreResult<Vec<ingest_quarantine::Model>> {
    let mut query = ingest_quarantine::Entity::find().order_by_desc(ingest_quarantine::Column::Id).limit(limit);
    if let Some(source) = source {
        query = query.filter(ingest_quarantine::Column::Source.eq(source));
    }
    Ok(query.all(store.connection()).await?)
}

/// The records one run quarantined, in the order they arrived.
pub async fn quarantine_of_run(store: &Store, run: RunId) -> StoreResult<Vec<ingest_quarantine::Model>> {
    Ok(ingest_quarantine::Entity::find()
        .filter(ingest_quarantine::Column::RunId.eq(run.0))
        .order_by_asc(ingest_quarantine::Column::Id)
        .all(store.connection())
        .await?)
}

/// The link of one ingested record.
pub async fn link(store: &Store, source: &str, external_id: &str) -> StoreResult<Option<vacancy_source::Model>> {
    Ok(vacancy_source::Entity::find_by_id((source.to_owned(), external_id.to_owned())).one(store.connection()).await?)
}

/// Number of (source, external id) links, optionally of one source.
pub async fn link_count(store: &Store, source: Option<&str>) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    let mut query = vacancy_source::Entity::find();
    if let Some(source) = source {
        query = query.filter(vacancy_source::Column::Source.eq(source));
    }
    Ok(query.count(store.connection()).await?)
}

/// Number of quarantined records, optionally of one source.
pub async fn quarantine_count(store: &Store, source: Option<&str>) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    let mut query = ingest_quarantine::Entity::find();
    if let Some(source) = source {
        query = query.filter(ingest_quarantine::Column::Source.eq(source));
    }
    Ok(query.count(store.connection()).await?)
}

/// A remote source's pull state (validators per URL, feed cursor), if it was pulled before.
pub async fn source_state(store: &Store, name: &str) -> StoreResult<Option<serde_json::Value>> {
    Ok(ingest_source::Entity::find_by_id(name.to_owned()).one(store.connection()).await?.map(|row| row.state))
}

/// Saves a source's pull state after a pull.
pub async fn save_source_state(store: &Store, name: &str, kind: &str, state: serde_json::Value) -> StoreResult<()> {
    let now = Utc::now();
    let row = ingest_source::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(kind.to_owned()),
        state: Set(state),
        last_pulled_at: Set(Some(now)),
        updated_at: Set(now),
    };
    let txn = store.connection().begin().await?;
    if ingest_source::Entity::find_by_id(name.to_owned()).one(&txn).await?.is_some() {
        ingest_source::Entity::update(row).exec(&txn).await?;
    } else {
        ingest_source::Entity::insert(row).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Applies a batch in one transaction and says what happened to each record.
pub async fn apply_batch(store: &Store, batch: IngestBatch) -> StoreResult<IngestCounts> {
    let mut group = BatchGroup::begin(store).await?;
    let counts = group.apply(batch).await?;
    group.commit().await?;
    Ok(counts)
}

/// Several batches applied in one transaction: all of them or none. A bulk import commits every
/// few batches rather than after each, because each commit writes every page the batch
/// touched — the same index pages, batch after batch — and that write was a sixth to a fifth of
/// an import's time on SQLite; memory still holds one batch at a time.
pub struct BatchGroup {
    txn: DatabaseTransaction,
}

impl BatchGroup {
    pub async fn begin(store: &Store) -> StoreResult<Self> {
        let txn = store.connection().begin().await?;
        if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
            // Ingestion grows these tables fast: a plan the connection cached while they were
            // nearly empty (a sequential scan) would make every lookup cost the table's size.
            txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan").await?;
        }
        Ok(Self { txn })
    }

    /// Applies a batch inside the group's transaction and says what happened to each record
    /// (which holds once [`Self::commit`] succeeds; dropping the group rolls every batch back).
    ///
    /// A record whose external id repeats inside the batch is applied after the earlier one (the
    /// batch is cut into segments of distinct ids), so the last version wins and the counts stay
    /// exact.
    pub async fn apply(&mut self, batch: IngestBatch) -> StoreResult<IngestCounts> {
        let now = Utc::now();
        let IngestBatch { run, source, records, quarantined, max_simhash_distance } = batch;
        let mut counts = IngestCounts { received: (records.len() + quarantined.len()) as u64, ..IngestCounts::default() };
        let mut writer = SegmentWriter { source: &source, run, now, max_simhash_distance, counts: &mut counts };
        let txn = &self.txn;
        writer.quarantine(txn, quarantined).await?;
        let mut segment: Vec<Incoming> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for record in records {
            if !seen.insert(record.external_id().to_owned()) {
                writer.apply(txn, std::mem::take(&mut segment)).await?;
                seen.clear();
                seen.insert(record.external_id().to_owned());
            }
            segment.push(record);
        }
        writer.apply(txn, segment).await?;
        Ok(counts)
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

struct SegmentWriter<'a> {
    source: &'a str,
    run: RunId,
    now: DateTime<Utc>,
    max_simhash_distance: u32,
    counts: &'a mut IngestCounts,
}

/// What a batch needs to know of an existing (source, external id) link.
struct KnownLink {
    vacancy_id: Uuid,
    is_duplicate: bool,
    content_hash: String,
    removed: bool,
}

/// Employers known to this segment, by tax code and by folded name.
#[derive(Default)]
struct EmployerDirectory {
    by_tax_code: HashMap<String, EmployerId>,
    by_name: HashMap<String, EmployerId>,
    created: Vec<Employer>,
}

impl EmployerDirectory {
    fn find(&self, hint: &EmployerHint) -> Option<EmployerId> {
        hint.tax_code
            .as_ref()
            .and_then(|tax| self.by_tax_code.get(tax.as_str()))
            .or_else(|| self.by_name.get(&fold(&hint.name)))
            .copied()
    }

    fn remember(&mut self, id: EmployerId, name: &str, tax_code: Option<&str>) {
        if let Some(tax) = tax_code {
            self.by_tax_code.entry(tax.to_owned()).or_insert(id);
        }
        self.by_name.entry(fold(name)).or_insert(id);
    }
}

fn employer_not_registered(name: &str) -> ValidationError {
    ValidationError::new(
        "employer",
        "employer.not_registered",
        format!(
            "Doanh nghiệp \"{name}\" chưa có trong hệ thống. Đơn hàng đi làm việc ở nước ngoài chỉ được nhận từ doanh nghiệp dịch vụ đã đăng ký và có giấy phép."
        ),
        format!("Employer \"{name}\" is not registered. Overseas job orders are accepted only from registered, licensed placement enterprises."),
    )
}

fn quarantine_row(source: &str, run: RunId, now: DateTime<Utc>, record: Quarantined) -> ingest_quarantine::ActiveModel {
    ingest_quarantine::ActiveModel {
        id: NotSet,
        run_id: Set(run.0),
        source: Set(source.to_owned()),
        external_id: Set(record.external_id),
        position: Set(record.position.map(|p| i64::try_from(p).unwrap_or(i64::MAX))),
        raw: Set(record.raw),
        field: Set(record.error.field),
        code: Set(record.error.code.to_owned()),
        message_vi: Set(record.error.message_vi),
        message_en: Set(record.error.message_en),
        created_at: Set(now),
    }
}

impl SegmentWriter<'_> {
    async fn quarantine(&mut self, txn: &impl ConnectionTrait, records: Vec<Quarantined>) -> StoreResult<()> {
        self.counts.quarantined += records.len() as u64;
        let rows: Vec<_> = records.into_iter().map(|r| quarantine_row(self.source, self.run, self.now, r)).collect();
        insert_chunked(txn, rows, column_count::<ingest_quarantine::Entity>()).await
    }

    /// A link to `vacancy_id`: the record's own vacancy, or (`is_duplicate`) the canonical
    /// vacancy of the same posting from another source.
    fn link_row(&self, record: &IncomingVacancy, vacancy_id: Uuid, is_duplicate: bool, dedupe_key: String) -> vacancy_source::ActiveModel {
        vacancy_source::ActiveModel {
            source: Set(self.source.to_owned()),
            external_id: Set(record.external_id.clone()),
            vacancy_id: Set(vacancy_id),
            canonical_vacancy_id: Set(vacancy_id),
            is_duplicate: Set(is_duplicate),
            content_hash: Set(record.content_hash.clone()),
            dedupe_key: Set(dedupe_key),
            // Stored as the same 64 bits, read back with `as u64`.
            simhash: Set(record.simhash as i64),
            flags: Set(record.flags.clone()),
            removed: Set(false),
            first_seen_at: Set(self.now),
            last_seen_at: Set(self.now),
        }
    }

    async fn existing_links(&self, txn: &impl ConnectionTrait, ids: Vec<String>) -> StoreResult<HashMap<String, KnownLink>> {
        use vacancy_source::Column;
        let mut links = HashMap::new();
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(String, Uuid, bool, String, bool)> = vacancy_source::Entity::find()
                .select_only()
                .columns([Column::ExternalId, Column::VacancyId, Column::IsDuplicate, Column::ContentHash, Column::Removed])
                .filter(Column::Source.eq(self.source))
                .filter(Column::ExternalId.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(txn)
                .await?;
            links.extend(rows.into_iter().map(|(external_id, vacancy_id, is_duplicate, content_hash, removed)| {
                (external_id, KnownLink { vacancy_id, is_duplicate, content_hash, removed })
            }));
        }
        Ok(links)
    }

    async fn employers(&self, txn: &impl ConnectionTrait, hints: &[&EmployerHint]) -> StoreResult<EmployerDirectory> {
        use employer::Column;
        let mut directory = EmployerDirectory::default();
        // Only the three columns the directory needs: decoding whole rows (timestamps, contact
        // fields) for every record of a batch cost more than the lookup itself.
        let select = || employer::Entity::find().select_only().columns([Column::Id, Column::Name, Column::TaxCode]);
        let tax_codes: Vec<String> = hints
            .iter()
            .filter_map(|h| h.tax_code.as_ref().map(|t| t.as_str().to_owned()))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for chunk in tax_codes.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, String, Option<String>)> =
                select().filter(Column::TaxCode.is_in(chunk.iter().cloned())).into_tuple().all(txn).await?;
            for (id, name, tax_code) in rows {
                directory.remember(EmployerId(id), &name, tax_code.as_deref());
            }
        }
        // Names are looked up only for the hints their tax code did not resolve.
        let resolved_by_tax_code =
            |h: &EmployerHint| h.tax_code.as_ref().is_some_and(|tax| directory.by_tax_code.contains_key(tax.as_str()));
        let names: Vec<String> =
            hints.iter().filter(|h| !resolved_by_tax_code(h)).map(|h| fold(&h.name)).collect::<HashSet<_>>().into_iter().collect();
        for chunk in names.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, String, Option<String>)> =
                select().filter(Column::NameFolded.is_in(chunk.iter().cloned())).into_tuple().all(txn).await?;
            for (id, name, tax_code) in rows {
                directory.remember(EmployerId(id), &name, tax_code.as_deref());
            }
        }
        Ok(directory)
    }

    /// Canonical links of other sources that share a duplicate key: their vacancy and SimHash.
    async fn duplicate_candidates(&self, txn: &impl ConnectionTrait, keys: Vec<String>) -> StoreResult<HashMap<String, Vec<(Uuid, u64)>>> {
        use vacancy_source::Column;
        let mut candidates: HashMap<String, Vec<(Uuid, u64)>> = HashMap::new();
        for chunk in keys.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(String, Uuid, i64)> = vacancy_source::Entity::find()
                .select_only()
                .columns([Column::DedupeKey, Column::VacancyId, Column::Simhash])
                .filter(Column::DedupeKey.is_in(chunk.iter().cloned()))
                .filter(Column::Source.ne(self.source))
                .filter(Column::IsDuplicate.eq(false))
                .filter(Column::Removed.eq(false))
                .into_tuple()
                .all(txn)
                .await?;
            for (key, vacancy_id, simhash) in rows {
                // Stored as the same 64 bits (see `link_row`).
                candidates.entry(key).or_default().push((vacancy_id, simhash as u64));
            }
        }
        Ok(candidates)
    }

    async fn apply(&mut self, txn: &impl ConnectionTrait, records: Vec<Incoming>) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        let links = self.existing_links(txn, records.iter().map(|r| r.external_id().to_owned()).collect()).await?;

        // Split: unchanged records are done; removals close; the rest need an employer.
        let mut to_write: Vec<IncomingVacancy> = Vec::new();
        let mut closed: Vec<Uuid> = Vec::new();
        let mut removed_links: Vec<String> = Vec::new();
        for record in records {
            match record {
                Incoming::Remove { external_id } => match links.get(&external_id) {
                    Some(link) if !link.removed => {
                        if !link.is_duplicate {
                            closed.push(link.vacancy_id);
                        }
                        removed_links.push(external_id);
                        self.counts.removed += 1;
                    }
                    _ => self.counts.unchanged += 1,
                },
                Incoming::Upsert(record) => match links.get(&record.external_id) {
                    Some(link) if link.content_hash == record.content_hash && !link.removed => self.counts.unchanged += 1,
                    _ => to_write.push(*record),
                },
            }
        }

        let hints: Vec<&EmployerHint> = to_write.iter().map(|r| &r.employer).collect();
        let mut employers = self.employers(txn, &hints).await?;
        let mut quarantined: Vec<Quarantined> = Vec::new();
        let mut resolved: Vec<IncomingVacancy> = Vec::with_capacity(to_write.len());
        for mut record in to_write {
            let employer_id = match employers.find(&record.employer) {
                Some(id) => id,
                None => match new_employer(&record) {
                    Ok(employer) => {
                        let id = employer.id;
                        employers.remember(id, &employer.name, employer.tax_code.as_ref().map(TaxCode::as_str));
                        employers.created.push(employer);
                        id
                    }
                    Err(error) => {
                        quarantined.push(Quarantined { external_id: Some(record.external_id), position: record.position, raw: record.raw, error });
                        continue;
                    }
                },
            };
            record.vacancy.employer_id = employer_id;
            if let Err(error) = record.vacancy.validate() {
                quarantined.push(Quarantined { external_id: Some(record.external_id), position: record.position, raw: record.raw, error });
                continue;
            }
            resolved.push(record);
        }

        let keys: Vec<String> = resolved
            .iter()
            .filter(|r| !links.contains_key(&r.external_id))
            .map(dedupe_key)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let candidates = self.duplicate_candidates(txn, keys).await?;

        let mut new_vacancies: Vec<vacancy::ActiveModel> = Vec::new();
        let mut new_links: Vec<vacancy_source::ActiveModel> = Vec::new();
        let mut changed: Vec<Uuid> = Vec::new();
        for mut record in resolved {
            let key = dedupe_key(&record);
            if let Some(link) = links.get(&record.external_id) {
                // An edited record: update its vacancy in place (a duplicate link only follows).
                record.vacancy.id = VacancyId(link.vacancy_id);
                if link.is_duplicate {
                    self.counts.duplicate += 1;
                } else {
                    let mut row = mapping::vacancy_row(&record.vacancy, self.now);
                    row.created_at = NotSet;
                    vacancy::Entity::update(row).exec(txn).await.map_err(|e| StoreError::from_write(e, |_| None))?;
                    changed.push(link.vacancy_id);
                    self.counts.updated += 1;
                }
                let mut row = self.link_row(&record, link.vacancy_id, link.is_duplicate, key);
                row.first_seen_at = NotSet;
                vacancy_source::Entity::update(row).exec(txn).await?;
                continue;
            }
            let near = candidates.get(&key).and_then(|rows| {
                rows.iter().find(|(_, simhash)| (simhash ^ record.simhash).count_ones() <= self.max_simhash_distance)
            });
            if let Some(&(canonical, _)) = near {
                new_links.push(self.link_row(&record, canonical, true, key));
                self.counts.duplicate += 1;
            } else {
                let id = record.vacancy.id.0;
                new_vacancies.push(mapping::vacancy_row(&record.vacancy, self.now));
                new_links.push(self.link_row(&record, id, false, key));
                changed.push(id);
                self.counts.inserted += 1;
            }
        }

        if !closed.is_empty() {
            for chunk in closed.chunks(LOOKUP_CHUNK) {
                vacancy::Entity::update_many()
                    .col_expr(vacancy::Column::Status, Expr::value("closed"))
                    .col_expr(vacancy::Column::UpdatedAt, Expr::value(self.now))
                    .filter(vacancy::Column::Id.is_in(chunk.iter().copied()))
                    .exec(txn)
                    .await?;
            }
            for chunk in removed_links.chunks(LOOKUP_CHUNK) {
                vacancy_source::Entity::update_many()
                    .col_expr(vacancy_source::Column::Removed, Expr::value(true))
                    .col_expr(vacancy_source::Column::LastSeenAt, Expr::value(self.now))
                    .filter(vacancy_source::Column::Source.eq(self.source))
                    .filter(vacancy_source::Column::ExternalId.is_in(chunk.iter().cloned()))
                    .exec(txn)
                    .await?;
            }
        }
        let created: Vec<_> = employers.created.iter().map(|e| mapping::employer_row(e, self.now)).collect();
        insert_chunked(txn, created, column_count::<employer::Entity>()).await?;
        insert_chunked(txn, new_vacancies, column_count::<vacancy::Entity>()).await?;
        insert_chunked(txn, new_links, column_count::<vacancy_source::Entity>()).await?;
        self.quarantine(txn, quarantined).await?;
        let changes = changed.into_iter().chain(closed).map(|id| (ChangedEntity::Vacancy, id, Operation::Upsert));
        change_log::append(txn, changes, self.now).await?;
        Ok(())
    }
}

fn dedupe_key(record: &IncomingVacancy) -> String {
    format!("{}|{}|{}", record.vacancy.employer_id, record.title_key, record.place_key)
}

/// A domestic employer first seen in a posting, placed where the job is. Overseas job orders
/// come only from registered (licensed) placement enterprises.
fn new_employer(record: &IncomingVacancy) -> Result<Employer, ValidationError> {
    let Workplace::Domestic { commune_code } = &record.vacancy.workplace else {
        return Err(employer_not_registered(&record.employer.name));
    };
    let province_code = record.vacancy.workplace_province().ok_or_else(|| employer_not_registered(&record.employer.name))?;
    let mut employer = Employer {
        id: EmployerId::new(),
        name: record.employer.name.clone(),
        kind: EmployerKind::Domestic,
        tax_code: record.employer.tax_code.clone(),
        province_code,
        commune_code: Some(commune_code.clone()),
        address: None,
        phone: None,
        email: None,
    };
    employer.validate().map_err(|e| e.for_field("employer"))?;
    Ok(employer)
}

