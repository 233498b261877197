//! Filters that keep most of the index, remembered per segment as bitsets.
//!
//! "Open today" (the open flag and a deadline not passed) and "in Vietnam" keep most vacancies,
//! and nearly every search of the day carries them. As posting lists or column ranges they are
//! the costliest clauses of a filtered search: the intersection seeks them once per candidate,
//! decoding a dense posting block or reading two columns each time. A bitset answers the same
//! seek with a word lookup. Segments never change their documents (deletes are applied by the
//! collector, from the segment's alive set), so a bitset computed for a segment stays right for
//! as long as the segment is searched; entries of segments gone after a merge are dropped.
//! This is the filter cache Lucene and Elasticsearch keep, restricted to dense filters: a sparse
//! filter's posting list is already the cheapest way to lead an intersection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::query::{ConstScoreQuery, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::index::SegmentId;
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// Entries beyond which the cache starts again empty (each is a bit per document of a segment:
/// at 1M vacancies a filter's bitsets take 125 kB, and 256 entries 4 MB or so).
const MAX_ENTRIES: usize = 256;

/// A filter is worth caching when it keeps at least this share of the documents.
const DENSE_SHARE: u64 = 8;

type Entries = HashMap<(SegmentId, String), Arc<BitSet>>;

/// The bitsets of one index's dense filters, by segment and filter key.
#[derive(Debug, Default, Clone)]
pub(crate) struct FilterCache {
    entries: Arc<Mutex<Entries>>,
}

impl FilterCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A bitset is inserted whole or not at all: a panic elsewhere leaves nothing half-made.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops the bitsets of segments that `searcher` no longer has (merged away).
    pub(crate) fn keep_segments_of(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
        self.entries().retain(|(segment, _), _| live.contains(segment));
    }

    /// `filter` (score 0) as a cached bitset under `key` when it keeps at least 1/8 of the
    /// documents (judged from its terms' document frequencies), else as it is. `key` must name
    /// what the filter keeps ("open:20413"): two filters with one key would share a bitset.
    pub(crate) fn dense(&self, searcher: &Searcher, key: String, filter: Box<dyn Query>) -> Box<dyn Query> {
        let mut terms: Vec<Term> = Vec::new();
        filter.query_terms(&mut |term, _| terms.push(term.clone()));
        let matches: u64 = terms.iter().map(|term| searcher.doc_freq(term).unwrap_or(0)).sum();
        if matches.saturating_mul(DENSE_SHARE) >= searcher.num_docs() {
            self.cached(key, filter)
        } else {
            Box::new(ConstScoreQuery::new(filter, 0.0))
        }
    }

    /// `filter` as a cached bitset under `key`, whatever its size: for a filter nearly every
    /// search carries ("open on this day"), whose terms alone do not tell how much it keeps.
    pub(crate) fn cached(&self, key: String, filter: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(CachedFilter { cache: self.clone(), key, filter })
    }

    fn bitset(&self, reader: &SegmentReader, key: &str, weight: &dyn Weight) -> tantivy::Result<Arc<BitSet>> {
        let entry = (reader.segment_id(), key.to_owned());
        if let Some(bits) = self.entries().get(&entry) {
            return Ok(Arc::clone(bits));
        }
        // Computed outside the lock: the other core may be filling another segment's.
        let mut bits = BitSet::with_max_value(reader.max_doc());
        weight.for_each_no_score(reader, &mut |docs| {
            for &doc in docs {
                bits.insert(doc);
            }
        })?;
        let bits = Arc::new(bits);
        let mut entries = self.entries();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(entry, Arc::clone(&bits));
        Ok(bits)
    }
}

/// A filter (score 0) answered from the cache's bitset for each segment.
struct CachedFilter {
    cache: FilterCache,
    key: String,
    filter: Box<dyn Query>,
}

impl Clone for CachedFilter {
    fn clone(&self) -> Self {
        Self { cache: self.cache.clone(), key: self.key.clone(), filter: self.filter.box_clone() }
    }
}

impl std::fmt::Debug for CachedFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedFilter").field("key", &self.key).finish_non_exhaustive()
    }
}

impl Query for CachedFilter {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // The filter never scores: its weight is built without scoring whatever the search does.
        let weight = self.filter.weight(EnableScoring::disabled_from_schema(scoring.schema()))?;
        Ok(Box::new(CachedFilterWeight { cache: self.cache.clone(), key: self.key.clone(), weight }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.filter.query_terms(visitor);
    }
}

struct CachedFilterWeight {
    cache: FilterCache,
    key: String,
    weight: Box<dyn Weight>,
}

impl Weight for CachedFilterWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bits = self.cache.bitset(reader, &self.key, self.weight.as_ref())?;
        Ok(Box::new(ConstScorer::new(SharedBitSetDocSet::new(bits), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc || doc == TERMINATED {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document #{doc} does not match")));
        }
        Ok(Explanation::new("cached filter", 0.0))
    }
}

/// The documents of a shared bitset, in order. Unlike tantivy's `BitSetDocSet` it borrows the
/// cached bitset instead of owning a copy, and a seek inside the current 64-document word
/// masks the word instead of stepping through its bits one by one (the filter is dense, and
/// the intersection seeks it to each candidate).
struct SharedBitSetDocSet {
    bits: Arc<BitSet>,
    doc: DocId,
}

impl SharedBitSetDocSet {
    fn new(bits: Arc<BitSet>) -> Self {
        let mut docset = Self { bits, doc: 0 };
        docset.doc = docset.first_from(0);
        docset
    }

    /// The 64 documents from `bucket * 64` as the bits of a word.
    fn word(&self, bucket: u32) -> u64 {
        u64::from_le_bytes(self.bits.tinyset(bucket).into_bytes())
    }

    /// The first document at or after `target`, or `TERMINATED`.
    fn first_from(&self, target: DocId) -> DocId {
        if target >= self.bits.max_value() {
            return TERMINATED;
        }
        let bucket = target / 64;
        let rest = self.word(bucket) & (u64::MAX << (target % 64));
        if rest != 0 {
            return bucket * 64 + rest.trailing_zeros();
        }
        if bucket + 1 >= self.bits.max_value().div_ceil(64) {
            return TERMINATED;
        }
        match self.bits.first_non_empty_bucket(bucket + 1) {
            Some(next) => next * 64 + self.word(next).trailing_zeros(),
            None => TERMINATED,
        }
    }
}

impl DocSet for SharedBitSetDocSet {
    fn advance(&mut self) -> DocId {
        self.doc = if self.doc == TERMINATED { TERMINATED } else { self.first_from(self.doc + 1) };
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.doc {
            self.doc = self.first_from(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.bits.len()).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use tantivy::{BitSet, DocSet, TERMINATED};

    use super::SharedBitSetDocSet;

    fn bits(max: u32, docs: &[u32]) -> Arc<BitSet> {
        let mut bits = BitSet::with_max_value(max);
        docs.iter().for_each(|&doc| {
            bits.insert(doc);
        });
        Arc::new(bits)
    }

    #[test]
    fn advances_and_seeks_like_the_set_it_holds() {
        let docs: Vec<u32> = vec![0, 1, 5, 63, 64, 65, 127, 200, 640, 641, 999];
        let set: BTreeSet<u32> = docs.iter().copied().collect();
        let mut all = SharedBitSetDocSet::new(bits(1000, &docs));
        let mut seen = vec![all.doc()];
        while all.advance() != TERMINATED {
            seen.push(all.doc());
        }
        assert_eq!(seen, docs);
        for target in 0..1001 {
            let mut docset = SharedBitSetDocSet::new(bits(1000, &docs));
            let expected = set.range(target..).next().copied().unwrap_or(TERMINATED);
            assert_eq!(docset.seek(target), expected, "seek({target})");
            // A second seek to the same place or behind stays put.
            assert_eq!(docset.seek(target), expected);
        }
        assert_eq!(SharedBitSetDocSet::new(bits(1000, &[])).doc(), TERMINATED);
        assert_eq!(SharedBitSetDocSet::new(bits(0, &[])).doc(), TERMINATED);
        assert_eq!(SharedBitSetDocSet::new(bits(1000, &docs)).size_hint(), 11);
    }
}
