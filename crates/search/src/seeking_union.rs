//! A union of clauses (scores summed) that moves each clause on its own when asked to skip
//! ahead — for text queries driven by a selective filter.
//!
//! tantivy's own union buffers a window of 4,096 documents: skipping to any document inside the
//! window first decodes and scores every posting of every clause in it. Behind a filter that
//! keeps one document in thirty, that is the whole posting list of "công", "nhân" and "may"
//! scored for nothing (at 1M vacancies the filtered query cost as much as the unfiltered one).
//! Here a skip moves each clause's posting cursor with its skip list, and a document is scored
//! only when the intersection lands on it. Going through most of the text's documents — no
//! filter, or a filter about as large as the text's matches — is what the buffered union does
//! better, so `text_query::Alternatives::choose` keeps it there.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Matches documents that any clause matches; the score is the sum of the matching clauses'.
#[derive(Debug)]
pub(crate) struct SeekingUnion {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for SeekingUnion {
    fn clone(&self) -> Self {
        Self { clauses: self.clauses.iter().map(|clause| clause.box_clone()).collect() }
    }
}

impl SeekingUnion {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>) -> Self {
        Self { clauses }
    }
}

impl Query for SeekingUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self.clauses.iter().map(|clause| clause.weight(enable_scoring)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekingUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SeekingUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekingUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(Box::new(SeekingUnionScorer::new(scorers)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document #{doc} does not match")));
        }
        let mut explanation = Explanation::new("SeekingUnion, sum of", scorer.score());
        for weight in &self.weights {
            if let Ok(child) = weight.explain(reader, doc) {
                explanation.add_detail(child);
            }
        }
        Ok(explanation)
    }
}

struct SeekingUnionScorer {
    scorers: Vec<Box<dyn Scorer>>,
    /// Each clause's position, kept beside it: asking a boxed scorer costs a virtual call, and
    /// a skip asks every clause.
    docs: Vec<DocId>,
    doc: DocId,
}

impl SeekingUnionScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>) -> Self {
        let docs = scorers.iter().map(|scorer| scorer.doc()).collect();
        let mut union = Self { scorers, docs, doc: TERMINATED };
        union.settle();
        union
    }

    /// Moves `doc` to the smallest clause position, dropping exhausted clauses now and then.
    fn settle(&mut self) -> DocId {
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        if self.docs.contains(&TERMINATED) {
            let mut i = 0;
            while i < self.docs.len() {
                if self.docs[i] == TERMINATED {
                    self.docs.swap_remove(i);
                    drop(self.scorers.swap_remove(i));
                } else {
                    i += 1;
                }
            }
        }
        self.doc
    }
}

impl DocSet for SeekingUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc == current {
                *doc = scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (scorer, doc) in self.scorers.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|scorer| scorer.size_hint()).fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|scorer| scorer.cost()).sum()
    }
}

impl Scorer for SeekingUnionScorer {
    fn score(&mut self) -> Score {
        let current = self.doc;
        let mut score = 0.0;
        for (scorer, doc) in self.scorers.iter_mut().zip(&self.docs) {
            if *doc == current {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, doc};

    use super::*;

    /// The same documents and scores as tantivy's union, with and without a filter in front.
    #[test]
    fn matches_and_scores_like_the_buffered_union() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let tag = builder.add_text_field("tag", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["han", "dien", "may", "xay", "dung"];
        for i in 0..20_000u32 {
            let mut document = TantivyDocument::default();
            for (w, word) in words.iter().enumerate() {
                if (i as usize * (w + 3)).is_multiple_of(w + 2 + (i as usize % 5)) {
                    document.add_text(text, word);
                }
            }
            document.add_text(tag, if i % 37 == 0 { "rare" } else { "common" });
            writer.add_document(document).unwrap();
        }
        writer.add_document(doc!(tag => "rare")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clauses = || -> Vec<Box<dyn Query>> {
            ["han", "may", "dung"]
                .iter()
                .map(|w| Box::new(TermQuery::new(Term::from_field_text(text, w), IndexRecordOption::WithFreqs)) as Box<dyn Query>)
                .collect()
        };
        let buffered: Box<dyn Query> = Box::new(BooleanQuery::new(clauses().into_iter().map(|q| (Occur::Should, q)).collect()));
        let seeking: Box<dyn Query> = Box::new(SeekingUnion::new(clauses()));
        let filtered = |union: Box<dyn Query>| -> Box<dyn Query> {
            let rare = TermQuery::new(Term::from_field_text(tag, "rare"), IndexRecordOption::Basic);
            Box::new(BooleanQuery::new(vec![(Occur::Must, union), (Occur::Must, Box::new(rare))]))
        };
        for (expected, actual) in [(buffered.box_clone(), seeking.box_clone()), (filtered(buffered), filtered(seeking))] {
            let every = |query: &dyn Query| {
                let (mut hits, count) = searcher.search(query, &(TopDocs::with_limit(100_000).order_by_score(), Count)).unwrap();
                hits.sort_by_key(|(_, address)| address.doc_id);
                (hits, count)
            };
            let (want, want_count) = every(expected.as_ref());
            let (got, got_count) = every(actual.as_ref());
            assert!(want_count > 50, "the test needs more matches than a page: {want_count}");
            assert_eq!(got_count, want_count);
            for ((want_score, want_doc), (got_score, got_doc)) in want.iter().zip(&got) {
                assert_eq!(want_doc, got_doc);
                assert!((want_score - got_score).abs() < 1e-4, "{want_score} vs {got_score}");
            }
        }
    }
}
