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
    #[error("the page reader stopped: {0}")]
    Reader(String),
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
    /// One page of records in id order after `after`, made into documents (the work that needs
    /// no index, so [`rebuild`] reads the next page while the index takes this one).
    type Page: Send + 'static;
    fn read_page(
        store: &Store,
        rates: &ExchangeRates,
        after: Option<Uuid>,
        limit: u64,
    ) -> impl Future<Output = Result<RebuildPage<Self::Page>, SyncError>> + Send;
    fn index_page(&self, page: Self::Page) -> Result<(), SearchError>;
    /// [`FollowsChangeLog::index_page`] into an index that [`rebuild`] cleared, whose pages
    /// hold each id once: documents are added without replacing.
    fn add_page(&self, page: Self::Page) -> Result<(), SearchError>;
}

/// A page read for [`rebuild`]: its documents, its last id and its size.
pub struct RebuildPage<P> {
    documents: P,
    last: Option<Uuid>,
    len: usize,
}

async fn vacancy_documents(store: &Store, rates: &ExchangeRates, vacancies: &[Vacancy]) -> Result<Vec<VacancyDocument>, SyncError> {
    let employers: Vec<EmployerId> = vacancies.iter().map(|v| v.employer_id).collect::<BTreeSet<_>>().into_iter().collect();
    let names: HashMap<EmployerId, String> = records::employer_names(store, &employers).await?;
    Ok(vacancies
        .iter()
        .map(|vacancy| VacancyDocument::from_vacancy(vacancy, names.get(&vacancy.employer_id).map_or("", String::as_str), rates))
        .collect())
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
        self.index_page(vacancy_documents(store, rates, &current).await?)?;
        Ok(current.iter().map(|v| v.id.0).collect())
    }
    type Page = Vec<VacancyDocument>;
    async fn read_page(store: &Store, rates: &ExchangeRates, after: Option<Uuid>, limit: u64) -> Result<RebuildPage<Self::Page>, SyncError> {
        let page = records::vacancies_after(store, after.map(VacancyId), limit).await?;
        let documents = vacancy_documents(store, rates, &page).await?;
        Ok(RebuildPage { documents, last: page.last().map(|v| v.id.0), len: page.len() })
    }
    fn index_page(&self, documents: Self::Page) -> Result<(), SearchError> {
        documents.iter().try_for_each(|document| self.upsert(document))
    }

    fn add_page(&self, documents: Self::Page) -> Result<(), SearchError> {
        documents.iter().try_for_each(|document| self.add_new(document))
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
        self.index_page(current.iter().map(WorkerDocument::from_profile).collect())?;
        Ok(current.iter().map(|w| w.id.0).collect())
    }
    type Page = Vec<WorkerDocument>;
    async fn read_page(store: &Store, _rates: &ExchangeRates, after: Option<Uuid>, limit: u64) -> Result<RebuildPage<Self::Page>, SyncError> {
        let page = records::workers_after(store, after.map(WorkerId), limit).await?;
        let documents = page.iter().map(WorkerDocument::from_profile).collect();
        Ok(RebuildPage { documents, last: page.last().map(|w| w.id.0), len: page.len() })
    }
    fn index_page(&self, documents: Self::Page) -> Result<(), SearchError> {
        documents.iter().try_for_each(|document| self.upsert(document))
    }

    fn add_page(&self, documents: Self::Page) -> Result<(), SearchError> {
        documents.iter().try_for_each(|document| self.add_new(document))
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
pub async fn rebuild<I: FollowsChangeLog + 'static>(
    index: &I,
    store: &Store,
    rates: &ExchangeRates,
    mut on_progress: impl FnMut(usize),
) -> Result<usize, SyncError> {
    // Taken first: anything written while the rebuild reads is replayed by `catch_up` after.
    let seq = change_log::latest_seq(store).await?;
    index.clear()?;
    // The next page is read (on another worker of a multi-threaded runtime) while this one is
    // indexed: reading and making documents costs about as much as indexing them.
    let read = |after: Option<Uuid>| {
        let (store, rates) = (store.clone(), *rates);
        tokio::spawn(async move { I::read_page(&store, &rates, after, REBUILD_PAGE).await })
    };
    let mut next = read(None);
    let mut indexed = 0;
    loop {
        let page = next.await.map_err(|e| SyncError::Reader(e.to_string()))??;
        let Some(last) = page.last else { break };
        next = read(Some(last));
        index.add_page(page.documents)?;
        indexed += page.len;
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
