//! Keeping indexes in step with the database through the store's change log.
//!
//! Each change names a record, not its new content: applying it means reading the record as it
//! is now (absent → delete). Applying a change twice therefore changes nothing, which is what
//! makes recovery simple — after a crash an index reopens at its last commit, whose payload is
//! the last applied sequence, and replays from there. Nothing is lost (uncommitted work is
//! replayed) and nothing is duplicated (an upsert replaces by id).
//!
//! Each index follows the log on its own (its own applied sequence), reading only its entity.

use std::collections::{BTreeSet, HashMap};

use caunoi_domain::records::{EmployerId, Vacancy, VacancyId, WorkerId};
use caunoi_store::change_log::{self, ChangedEntity};
use caunoi_store::{Store, StoreError, records};
use uuid::Uuid;

use crate::document::{ExchangeRates, VacancyDocument};
use crate::worker_index::{WorkerDocument, WorkerIndex};
use crate::{SearchError, VacancyIndex};

/// Changes read and committed together.
const CHANGES_PER_COMMIT: u64 = 5_000;
/// Records per page when rebuilding.
const REBUILD_PAGE: u64 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An index fed from the change log: which entity it follows and how it reads records.
pub trait FollowsChangeLog {
    const ENTITY: ChangedEntity;
    fn applied_seq(&self) -> Result<i64, SearchError>;
    fn commit(&self, applied_seq: i64) -> Result<(), SearchError>;
    fn clear(&self) -> Result<(), SearchError>;
    fn delete(&self, id: Uuid) -> Result<(), SearchError>;
    /// Indexes the records among `ids` that exist; returns the ids it found.
    fn index_ids(&self, store: &Store, rates: &ExchangeRates, ids: &[Uuid]) -> impl Future<Output = Result<BTreeSet<Uuid>, SyncError>>;
    /// Indexes one page of records in id order after `after`; returns the page's last id and size.
    fn index_page(
        &self,
        store: &Store,
        rates: &ExchangeRates,
        after: Option<Uuid>,
        limit: u64,
    ) -> impl Future<Output = Result<Option<(Uuid, usize)>, SyncError>>;
}

async fn index_vacancies(index: &VacancyIndex, store: &Store, rates: &ExchangeRates, vacancies: &[Vacancy]) -> Result<(), SyncError> {
    let employers: Vec<EmployerId> = vacancies.iter().map(|v| v.employer_id).collect::<BTreeSet<_>>().into_iter().collect();
    let names: HashMap<EmployerId, String> = records::employer_names(store, &employers).await?;
    for vacancy in vacancies {
        let employer = names.get(&vacancy.employer_id).map_or("", String::as_str);
        index.upsert(&VacancyDocument::from_vacancy(vacancy, employer, rates))?;
    }
    Ok(())
}

impl FollowsChangeLog for VacancyIndex {
    const ENTITY: ChangedEntity = ChangedEntity::Vacancy;
    fn applied_seq(&self) -> Result<i64, SearchError> {
        VacancyIndex::applied_seq(self)
    }
    fn commit(&self, applied_seq: i64) -> Result<(), SearchError> {
        VacancyIndex::commit(self, applied_seq)
    }
    fn clear(&self) -> Result<(), SearchError> {
        VacancyIndex::clear(self)
    }
    fn delete(&self, id: Uuid) -> Result<(), SearchError> {
        VacancyIndex::delete(self, id)
    }
    async fn index_ids(&self, store: &Store, rates: &ExchangeRates, ids: &[Uuid]) -> Result<BTreeSet<Uuid>, SyncError> {
        let ids: Vec<VacancyId> = ids.iter().copied().map(VacancyId).collect();
        let current = records::vacancies_by_ids(store, &ids).await?;
        index_vacancies(self, store, rates, &current).await?;
        Ok(current.iter().map(|v| v.id.0).collect())
    }
    async fn index_page(
        &self,
        store: &Store,
        rates: &ExchangeRates,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Option<(Uuid, usize)>, SyncError> {
        let page = records::vacancies_after(store, after.map(VacancyId), limit).await?;
        index_vacancies(self, store, rates, &page).await?;
        Ok(page.last().map(|last| (last.id.0, page.len())))
    }
}

impl FollowsChangeLog for WorkerIndex {
    const ENTITY: ChangedEntity = ChangedEntity::WorkerProfile;
    fn applied_seq(&self) -> Result<i64, SearchError> {
        WorkerIndex::applied_seq(self)
    }
    fn commit(&self, applied_seq: i64) -> Result<(), SearchError> {
        WorkerIndex::commit(self, applied_seq)
    }
    fn clear(&self) -> Result<(), SearchError> {
        WorkerIndex::clear(self)
    }
    fn delete(&self, id: Uuid) -> Result<(), SearchError> {
        WorkerIndex::delete(self, id)
    }
    async fn index_ids(&self, store: &Store, _rates: &ExchangeRates, ids: &[Uuid]) -> Result<BTreeSet<Uuid>, SyncError> {
        let ids: Vec<WorkerId> = ids.iter().copied().map(WorkerId).collect();
        let current = records::workers_by_ids(store, &ids).await?;
        for worker in &current {
            self.upsert(&WorkerDocument::from_profile(worker))?;
        }
        Ok(current.iter().map(|w| w.id.0).collect())
    }
    async fn index_page(
        &self,
        store: &Store,
        _rates: &ExchangeRates,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<Option<(Uuid, usize)>, SyncError> {
        let page = records::workers_after(store, after.map(WorkerId), limit).await?;
        for worker in &page {
            self.upsert(&WorkerDocument::from_profile(worker))?;
        }
        Ok(page.last().map(|last| (last.id.0, page.len())))
    }
}

/// Applies every change after the index's last commit; returns how many of its entity's
/// changes were read.
pub async fn catch_up<I: FollowsChangeLog>(index: &I, store: &Store, rates: &ExchangeRates) -> Result<usize, SyncError> {
    let mut applied = index.applied_seq()?;
    let mut read = 0;
    loop {
        let changes = change_log::changes_since(store, applied, CHANGES_PER_COMMIT).await?;
        let Some(last) = changes.last() else { break };
        let last_seq = last.seq;
        let ids: Vec<Uuid> =
            changes.iter().filter(|c| c.entity == I::ENTITY).map(|c| c.entity_id).collect::<BTreeSet<_>>().into_iter().collect();
        let present = index.index_ids(store, rates, &ids).await?;
        for id in ids.iter().filter(|id| !present.contains(id)) {
            index.delete(*id)?;
        }
        index.commit(last_seq)?;
        applied = last_seq;
        read += ids.len();
    }
    Ok(read)
}

/// Rebuilds the index from the database, then applies what changed meanwhile. The old index
/// stays readable (and intact after a crash) until the final commit replaces it.
pub async fn rebuild<I: FollowsChangeLog>(
    index: &I,
    store: &Store,
    rates: &ExchangeRates,
    mut on_progress: impl FnMut(usize),
) -> Result<usize, SyncError> {
    // Taken first: anything written while the rebuild reads is replayed by `catch_up` after.
    let seq = change_log::latest_seq(store).await?;
    index.clear()?;
    let mut after = None;
    let mut indexed = 0;
    while let Some((last, count)) = index.index_page(store, rates, after, REBUILD_PAGE).await? {
        after = Some(last);
        indexed += count;
        on_progress(indexed);
    }
    index.commit(seq)?;
    catch_up(index, store, rates).await?;
    Ok(indexed)
}

/// This node's indexes, each following the change log on its own.
pub struct Indexes {
    pub vacancies: VacancyIndex,
    pub workers: WorkerIndex,
}

impl Indexes {
    /// Opens (or creates) `dir/vacancies` and `dir/workers`.
    pub fn open(dir: &std::path::Path) -> Result<Self, SearchError> {
        Ok(Self { vacancies: VacancyIndex::open(&dir.join("vacancies"))?, workers: WorkerIndex::open(&dir.join("workers"))? })
    }

    pub fn in_memory() -> Result<Self, SearchError> {
        Ok(Self { vacancies: VacancyIndex::in_memory()?, workers: WorkerIndex::in_memory()? })
    }

    /// The change-log position both indexes have reached.
    pub fn applied_seq(&self) -> Result<i64, SearchError> {
        Ok(self.vacancies.applied_seq()?.min(self.workers.applied_seq()?))
    }

    /// Brings both indexes up to date; returns the changes applied to each.
    pub async fn catch_up(&self, store: &Store, rates: &ExchangeRates) -> Result<(usize, usize), SyncError> {
        Ok((catch_up(&self.vacancies, store, rates).await?, catch_up(&self.workers, store, rates).await?))
    }
}
