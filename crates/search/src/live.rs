//! What every index of this crate shares: one tantivy index with one writer, replaced documents
//! by id, and commits that carry the change-log sequence they reach.
//!
//! The sequence is the payload of each tantivy commit, so an index that is killed mid-way
//! reopens at its last commit and knows where to resume (see [`crate::sync`]).

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tantivy::schema::{Field, Schema, TantivyDocument};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};
use uuid::Uuid;

use crate::{SearchError, analysis};

/// Writer memory: enough for large segments on a 2-core machine (STACK.md §2.4).
const WRITER_BYTES: usize = 128 * 1024 * 1024;

pub(crate) struct LiveIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    id: Field,
}

impl LiveIndex {
    /// Opens the index in `dir`, creating it when empty. `id` is the field documents are
    /// replaced by.
    pub(crate) fn open(dir: &Path, schema: Schema, id: Field) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        Self::with_index(Index::open_or_create(directory, schema)?, id)
    }

    pub(crate) fn in_memory(schema: Schema, id: Field) -> Result<Self, SearchError> {
        Self::with_index(Index::create_in_ram(schema), id)
    }

    fn with_index(index: Index, id: Field) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, reader, writer: Mutex::new(writer), id })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-applied on disk: uncommitted
        // operations are simply lost and replayed from the change log.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `doc`, replacing any document with the same id (visible after the next commit).
    pub(crate) fn replace(&self, id: Uuid, doc: TantivyDocument) -> Result<(), SearchError> {
        let writer = self.writer();
        writer.delete_term(self.id_term(id));
        writer.add_document(doc)?;
        Ok(())
    }

    pub(crate) fn delete(&self, id: Uuid) {
        self.writer().delete_term(self.id_term(id));
    }

    fn id_term(&self, id: Uuid) -> Term {
        Term::from_field_text(self.id, &id.to_string())
    }

    /// Makes pending changes durable together with the change-log sequence they reach.
    pub(crate) fn commit(&self, applied_seq: i64) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&applied_seq.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-log sequence of the last commit (0 for a new index).
    pub(crate) fn applied_seq(&self) -> Result<i64, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Drops every document (before a rebuild); durable at the next commit.
    pub(crate) fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }
}

/// Counts of the direct children of a facet root ("/province" → [("01", 12), …]).
pub(crate) fn facet_children(counts: &tantivy::collector::FacetCounts, root: &str) -> Vec<(String, u64)> {
    counts.get(root).map(|(facet, count)| (facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(), count)).collect()
}

/// The id stored in a document.
pub(crate) fn stored_id(doc: &TantivyDocument, id: Field) -> Option<Uuid> {
    use tantivy::schema::Value;
    doc.get_first(id).and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok())
}

/// The public methods an index type exposes from its [`LiveIndex`] (field `live`): written once
/// for the vacancy and the worker index.
macro_rules! delegate_to_live {
    () => {
        /// Removes a document (durable at the next commit).
        pub fn delete(&self, id: uuid::Uuid) -> Result<(), crate::SearchError> {
            self.live.delete(id);
            Ok(())
        }

        /// Makes pending changes durable together with the change-log sequence they reach.
        pub fn commit(&self, applied_seq: i64) -> Result<(), crate::SearchError> {
            self.live.commit(applied_seq)
        }

        /// The change-log sequence of the last commit (0 for a new index).
        pub fn applied_seq(&self) -> Result<i64, crate::SearchError> {
            self.live.applied_seq()
        }

        /// Drops every document (before a rebuild); durable at the next commit.
        pub fn clear(&self) -> Result<(), crate::SearchError> {
            self.live.clear()
        }

        pub fn num_docs(&self) -> u64 {
            self.live.searcher().num_docs()
        }
    };
}
pub(crate) use delegate_to_live;
