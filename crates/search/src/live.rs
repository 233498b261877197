//! What every index of this crate shares: one tantivy index with one writer, replaced documents
//! by id, ids read from columns, and commits that carry the change-log sequence they reach.
//!
//! The sequence is the payload of each tantivy commit, so an index that is killed mid-way
//! reopens at its last commit and knows where to resume (see [`crate::sync`]). An index on disk
//! written with another schema (an older version of this crate) is started again empty, with
//! no sequence, so following the change log rebuilds it from the database.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tantivy::columnar::Column;
use tantivy::directory::{INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::schema::{FAST, Field, STRING, Schema, SchemaBuilder, TantivyDocument};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{
    DocAddress, DocId, DocSet, Directory, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, SegmentReader, TantivyError, Term,
};
use uuid::Uuid;

use crate::filter_cache::FilterCache;
use crate::{SearchError, analysis};

/// Writer memory, shared by the indexing threads (STACK.md §2.4: 64–256 MB for a bulk reindex).
/// At 256 MB a rebuild of 1M vacancies flushes six segments of 125–181k, fewer than the eight
/// that make tantivy's merge policy merge them while the rebuild still runs: at 128 MB it wrote
/// fourteen and merged eight of them into one during the rebuild, on the cores indexing needs.
const WRITER_BYTES: usize = 256 * 1024 * 1024;
/// Threads that one search may use to collect segments in parallel (a search is split into as
/// many parts: more parts per thread were measured slower, in the median and the worst case).
const MAX_SEARCH_THREADS: usize = 4;

/// Names of the two fast columns holding a document's id (high and low 64 bits of the UUID).
const ID_HI: &str = "id_hi";
const ID_LO: &str = "id_lo";

/// The id fields every index has: `id`, the UUID as an indexed string (what a replace or a
/// delete goes by), and `id_hi` / `id_lo`, its two halves as fast u64 columns (what hits are
/// read from: a column read per hit instead of decompressing a doc-store block).
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdFields {
    id: Field,
    hi: Field,
    lo: Field,
}

impl IdFields {
    /// Adds the id fields to a schema being built.
    pub(crate) fn add_to(builder: &mut SchemaBuilder) -> Self {
        Self { id: builder.add_text_field("id", STRING), hi: builder.add_u64_field(ID_HI, FAST), lo: builder.add_u64_field(ID_LO, FAST) }
    }

    fn write(self, doc: &mut TantivyDocument, id: Uuid) {
        let (hi, lo) = id.as_u64_pair();
        doc.add_text(self.id, id.to_string());
        doc.add_u64(self.hi, hi);
        doc.add_u64(self.lo, lo);
    }

    fn term(self, id: Uuid) -> Term {
        Term::from_field_text(self.id, &id.to_string())
    }
}

/// The ids of the documents at `addresses` (in the same order), read from the id columns of
/// each segment. `None` only for a document without ids, which [`LiveIndex::replace`] never
/// writes.
pub(crate) fn read_ids(searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<Option<Uuid>>, SearchError> {
    let mut columns: Vec<Option<(Column<u64>, Column<u64>)>> = (0..searcher.segment_readers().len()).map(|_| None).collect();
    let mut ids = Vec::with_capacity(addresses.len());
    for address in addresses {
        let slot = &mut columns[address.segment_ord as usize];
        let (hi, lo) = match slot {
            Some(pair) => pair,
            None => {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                slot.insert((fast.u64(ID_HI)?, fast.u64(ID_LO)?))
            }
        };
        ids.push(hi.first(address.doc_id).zip(lo.first(address.doc_id)).map(|(h, l)| Uuid::from_u64_pair(h, l)));
    }
    Ok(ids)
}

pub(crate) struct LiveIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    ids: IdFields,
    schema_reset: bool,
    filter_cache: FilterCache,
    /// Parts a search is split into (one per search thread).
    search_parts: u32,
}

impl LiveIndex {
    /// Opens the index in `dir`, creating it when empty. `schema` must contain `ids`.
    ///
    /// When `dir` holds an index whose schema or document order is not `schema`'s or
    /// `settings`' (written by another version),
    /// the index is recreated empty: no documents and no commit payload, so its applied
    /// sequence is 0 and [`crate::sync::catch_up`] / [`crate::sync::rebuild`] fill it again from
    /// the database. The old segment files go at the first commit.
    pub(crate) fn open(dir: &Path, schema: Schema, settings: IndexSettings, ids: IdFields) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
        if !Index::exists(&directory).map_err(TantivyError::from)? {
            return Self::with_index(Index::create(directory, schema, settings)?, ids, false);
        }
        let existing = Index::open(directory.clone())?;
        if existing.schema() == schema && existing.settings().sort_by_field == settings.sort_by_field {
            return Self::with_index(existing, ids, false);
        }
        drop(existing);
        // Held while the metadata is replaced: fails, rather than wiping, if another process
        // is writing to this index.
        let lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(TantivyError::from)?;
        let index = Index::create(directory, schema, settings)?;
        drop(lock);
        Self::with_index(index, ids, true)
    }

    pub(crate) fn in_memory(schema: Schema, settings: IndexSettings, ids: IdFields) -> Result<Self, SearchError> {
        Self::with_index(Index::builder().schema(schema).settings(settings).create_in_ram()?, ids, false)
    }

    fn with_index(mut index: Index, ids: IdFields, schema_reset: bool) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // A search collects its segments on every core: a query matching half the corpus
        // answers in about half the time, which is what a person waiting for a page sees.
        let search_threads = cores.min(MAX_SEARCH_THREADS);
        if search_threads > 1 {
            index.set_multithread_executor(search_threads)?;
        }
        // Two indexing threads where there are two cores: a rebuild keeps both busy (one reads
        // the database and makes documents, the writer tokenizes on the other(s)).
        let threads = cores.clamp(1, 2);
        let writer = index.writer_with_num_threads(threads, WRITER_BYTES)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            ids,
            schema_reset,
            filter_cache: FilterCache::default(),
            search_parts: u32::try_from(search_threads).unwrap_or(1),
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves nothing half-applied on disk: uncommitted
        // operations are simply lost and replayed from the change log.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `doc` under `id` (the id fields are written here), replacing any document with
    /// the same id (visible after the next commit).
    pub(crate) fn replace(&self, id: Uuid, mut doc: TantivyDocument) -> Result<(), SearchError> {
        self.ids.write(&mut doc, id);
        let writer = self.writer();
        writer.delete_term(self.ids.term(id));
        writer.add_document(doc)?;
        Ok(())
    }

    /// Adds `doc` under `id` without looking for an older document: only for a rebuild, which
    /// cleared the index and writes each id once. A delete per document would cost every
    /// segment written before the commit a lookup of every later id.
    pub(crate) fn add_new(&self, id: Uuid, mut doc: TantivyDocument) -> Result<(), SearchError> {
        self.ids.write(&mut doc, id);
        self.writer().add_document(doc)?;
        Ok(())
    }

    pub(crate) fn delete(&self, id: Uuid) {
        self.writer().delete_term(self.ids.term(id));
    }

    /// Whether [`LiveIndex::open`] found an index of another schema and started it empty.
    pub(crate) fn schema_reset(&self) -> bool {
        self.schema_reset
    }

    /// Makes pending changes durable together with the change-log sequence they reach.
    pub(crate) fn commit(&self, applied_seq: i64) -> Result<(), SearchError> {
        let mut writer = self.writer();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&applied_seq.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.filter_cache.keep_segments_of(&self.reader.searcher());
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

    /// The bitsets of dense filters, per segment of this index.
    pub(crate) fn filter_cache(&self) -> &FilterCache {
        &self.filter_cache
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Runs `query` into `collector` on `searcher`, split into equal runs of documents, one per
    /// search thread. tantivy gives each thread whole segments, so one large segment beside
    /// small ones sets the time of every search; here a segment may be cut in two, each part
    /// starting its own scorer at the cut (a seek through the skip lists).
    pub(crate) fn search<C: Collector>(&self, searcher: &Searcher, query: &dyn Query, collector: &C) -> tantivy::Result<C::Fruit> {
        let scoring = collector.requires_scoring();
        let enable = if scoring { EnableScoring::enabled_from_searcher(searcher) } else { EnableScoring::disabled_from_searcher(searcher) };
        let weight = query.weight(enable)?;
        collector.check_schema(searcher.schema())?;
        let max_docs: Vec<DocId> = searcher.segment_readers().iter().map(SegmentReader::max_doc).collect();
        let fruits = searcher.index().search_executor().map(
            |part: Vec<DocRun>| {
                part.into_iter().map(|run| collect_run(collector, weight.as_ref(), searcher, run, scoring)).collect::<tantivy::Result<Vec<_>>>()
            },
            split_into_runs(&max_docs, self.search_parts).into_iter(),
        )?;
        collector.merge_fruits(fruits.into_iter().flatten().collect())
    }
}

/// Documents `start..end` of one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DocRun {
    segment: u32,
    start: DocId,
    end: DocId,
}

/// The documents of segments of `max_docs` sizes as `parts` lists of runs holding about as many
/// documents each, in order (a part may end inside a segment and the next go on from there).
fn split_into_runs(max_docs: &[DocId], parts: u32) -> Vec<Vec<DocRun>> {
    let total: u64 = max_docs.iter().map(|&n| u64::from(n)).sum();
    let per_part = total.div_ceil(u64::from(parts.max(1))).max(1);
    let mut split = vec![Vec::new()];
    let mut room = per_part;
    for (segment, &max_doc) in (0u32..).zip(max_docs) {
        let mut start = 0;
        while start < max_doc {
            if room == 0 {
                split.push(Vec::new());
                room = per_part;
            }
            let take = u64::from(max_doc - start).min(room);
            let end = start + DocId::try_from(take).unwrap_or(DocId::MAX);
            if let Some(part) = split.last_mut() {
                part.push(DocRun { segment, start, end });
            }
            room -= take;
            start = end;
        }
    }
    split.retain(|part| !part.is_empty());
    split
}

/// What tantivy's `Collector::collect_segment` does, for one run of a segment's documents.
fn collect_run<C: Collector>(
    collector: &C,
    weight: &dyn Weight,
    searcher: &Searcher,
    run: DocRun,
    scoring: bool,
) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
    let reader = searcher.segment_reader(run.segment);
    let mut child = collector.for_segment(run.segment, reader)?;
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut doc = scorer.doc();
    if doc < run.start {
        doc = scorer.seek(run.start);
    }
    let alive = reader.alive_bitset();
    while doc < run.end {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            child.collect(doc, if scoring { scorer.score() } else { 0.0 });
        }
        doc = scorer.advance();
    }
    Ok(child.harvest())
}

/// Counts of the direct children of a facet root ("/province" → [("01", 12), …]).
pub(crate) fn facet_children(counts: &tantivy::collector::FacetCounts, root: &str) -> Vec<(String, u64)> {
    counts.get(root).map(|(facet, count)| (facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(), count)).collect()
}

/// The public methods an index type exposes from its [`LiveIndex`] (field `live`): written once
/// for the vacancy and the worker index.
macro_rules! delegate_to_live {
    () => {
        /// Opens the index in `dir`, creating it (or starting it again when its schema is
        /// another version's).
        pub fn open(dir: &std::path::Path) -> Result<Self, crate::SearchError> {
            let (schema, fields) = schema();
            Ok(Self { live: crate::live::LiveIndex::open(dir, schema, index_settings(), fields.ids)?, fields })
        }

        /// An index in memory (tests, benchmarks).
        pub fn in_memory() -> Result<Self, crate::SearchError> {
            let (schema, fields) = schema();
            Ok(Self { live: crate::live::LiveIndex::in_memory(schema, index_settings(), fields.ids)?, fields })
        }

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

        /// Whether opening found an index written with another schema (an older version) and
        /// started it again empty, with applied sequence 0, for the change log to refill.
        pub fn schema_reset(&self) -> bool {
            self.live.schema_reset()
        }
    };
}
pub(crate) use delegate_to_live;

#[cfg(test)]
mod tests {
    use super::{DocRun, split_into_runs};

    fn run(segment: u32, start: u32, end: u32) -> DocRun {
        DocRun { segment, start, end }
    }

    #[test]
    fn a_large_segment_is_cut_so_that_parts_hold_as_many_documents() {
        // One segment of 600 beside two of 200: two parts of 500 each.
        let parts = split_into_runs(&[600, 200, 200], 2);
        assert_eq!(parts, vec![vec![run(0, 0, 500)], vec![run(0, 500, 600), run(1, 0, 200), run(2, 0, 200)]]);
    }

    #[test]
    fn every_document_is_in_exactly_one_part() {
        for (sizes, parts) in [(vec![7, 0, 3, 11], 4), (vec![1], 2), (vec![5, 5], 1), (vec![], 2), (vec![3, 3, 3], 3)] {
            let split = split_into_runs(&sizes, parts);
            assert!(split.len() <= parts as usize);
            let mut seen: Vec<(u32, u32)> = Vec::new();
            for part in &split {
                assert!(!part.is_empty());
                for r in part {
                    assert!(r.start < r.end, "{r:?}");
                    seen.extend((r.start..r.end).map(|doc| (r.segment, doc)));
                }
            }
            let expected: Vec<(u32, u32)> = (0u32..).zip(&sizes).flat_map(|(segment, &n)| (0..n).map(move |doc| (segment, doc))).collect();
            assert_eq!(seen, expected, "{sizes:?} in {parts}");
        }
    }
}
