//! The figures of a run and their Markdown rendering.

use std::fmt::Write as _;
use std::time::Duration;

use caunoi_search::relevance::RelevanceReport;

use crate::engine::Outcome;
use crate::measure::{Memory, Samples};
use crate::mix::QueryClass;
use crate::profile::ProfileRow;

#[derive(Debug, Clone)]
pub struct BuildFigure {
    pub engine: String,
    pub documents: u64,
    /// None when an earlier run's index was reused.
    pub seconds: Option<f64>,
    pub size_bytes: u64,
}

#[derive(Debug, Clone)]
pub struct ClassFigure {
    pub engine: String,
    pub class: QueryClass,
    pub samples: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub per_second: f64,
    pub total: Duration,
}

impl ClassFigure {
    pub fn new(engine: &str, class: QueryClass, samples: &Samples) -> Self {
        Self {
            engine: engine.to_owned(),
            class,
            samples: samples.len(),
            p50: samples.percentile(0.50),
            p95: samples.percentile(0.95),
            p99: samples.percentile(0.99),
            per_second: samples.per_second(),
            total: samples.total(),
        }
    }
}

/// What each engine returned for one query of the mix (in its last round).
#[derive(Debug, Clone)]
pub struct QueryOutcome {
    pub label: String,
    pub class: QueryClass,
    pub is_search: bool,
    pub outcomes: Vec<(String, Outcome)>,
    /// Median latency of each engine on this query (same order as `outcomes`).
    pub medians: Vec<Duration>,
}

#[derive(Debug, Clone)]
pub struct RelevanceFigure {
    pub engine: String,
    pub report: RelevanceReport,
}

#[derive(Debug, Clone)]
pub struct BenchReport {
    pub vacancies: u64,
    pub warmup_rounds: usize,
    pub rounds: usize,
    /// Engine names, tantivy first.
    pub engines: Vec<String>,
    pub builds: Vec<BuildFigure>,
    pub classes: Vec<ClassFigure>,
    pub queries: Vec<QueryOutcome>,
    pub relevance: Vec<RelevanceFigure>,
    pub profile: Vec<ProfileRow>,
    pub memory_after_build: Memory,
    pub memory_at_end: Memory,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.2}") } else { format!("{ms:.1}") }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn ratio(peer: Duration, tantivy: Duration) -> String {
    if tantivy.is_zero() { "–".to_owned() } else { format!("{:.1}×", peer.as_secs_f64() / tantivy.as_secs_f64()) }
}

impl BenchReport {
    fn class(&self, engine: &str, class: QueryClass) -> Option<&ClassFigure> {
        self.classes.iter().find(|c| c.engine == engine && c.class == class)
    }

    /// Time one engine spends on a whole round of the mix (all classes).
    fn mix_time(&self, engine: &str) -> Duration {
        let total: Duration = self.classes.iter().filter(|c| c.engine == engine).map(|c| c.total).sum();
        total / u32::try_from(self.rounds.max(1)).unwrap_or(1)
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let tantivy = self.engines.first().map_or("tantivy", String::as_str);
        let queries_per_round = self.queries.len();
        let _ = writeln!(
            out,
            "Corpus: {} vacancies. Query mix: {queries_per_round} queries, {} warm-up rounds, {} measured rounds, \
             one query at a time on one thread, engines interleaved query by query.\n",
            self.vacancies, self.warmup_rounds, self.rounds
        );

        out.push_str("**Build** (from the corpus database: tantivy with `caunoi_search::sync::rebuild` from SQLite, each peer from its own database)\n\n");
        out.push_str("| engine | documents | build time | documents/s | size on disk |\n|---|---:|---:|---:|---:|\n");
        for b in &self.builds {
            let (time, rate) = match b.seconds {
                Some(s) => (format!("{s:.1} s"), format!("{:.0}", b.documents as f64 / s.max(1e-9))),
                None => ("reused".to_owned(), "–".to_owned()),
            };
            let size = if b.size_bytes == 0 { "–".to_owned() } else { mib(b.size_bytes) };
            let _ = writeln!(out, "| {} | {} | {time} | {rate} | {size} |", b.engine, b.documents);
        }

        out.push_str("\n**Latency per query class** (ms; ratio = peer latency ÷ tantivy latency, higher is better for tantivy)\n\n");
        out.push_str("| class | engine | samples | p50 | p95 | p99 | queries/s | ratio p50 | ratio p99 |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for class in QueryClass::ALL {
            let Some(base) = self.class(tantivy, class) else { continue };
            for engine in &self.engines {
                let Some(c) = self.class(engine, class) else { continue };
                let (r50, r99) = if engine == tantivy { ("1×".to_owned(), "1×".to_owned()) } else { (ratio(c.p50, base.p50), ratio(c.p99, base.p99)) };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {:.0} | {r50} | {r99} |",
                    class.label(),
                    c.engine,
                    c.samples,
                    ms(c.p50),
                    ms(c.p95),
                    ms(c.p99),
                    c.per_second
                );
            }
        }

        out.push_str("\n**Whole mix** (one round of every query)\n\n| engine | time per round | queries/s | tantivy is faster by |\n|---|---:|---:|---:|\n");
        let base = self.mix_time(tantivy);
        for engine in &self.engines {
            let time = self.mix_time(engine);
            let qps = if time.is_zero() { 0.0 } else { queries_per_round as f64 / time.as_secs_f64() };
            let faster = if engine == tantivy { "–".to_owned() } else { ratio(time, base) };
            let _ = writeln!(out, "| {engine} | {} ms | {qps:.0} | {faster} |", ms(time));
        }

        out.push_str("\n**Relevance** (judged set: 239 vacancies, 61 queries; each engine indexes the same documents)\n\n| engine | mean NDCG@10 |\n|---|---:|\n");
        for r in &self.relevance {
            let _ = writeln!(out, "| {} | {:.3} |", r.engine, r.report.mean);
        }

        out.push_str(
            "\n**Where tantivy's time goes** (`profile`: every word in any folded field, no typo variants or bigrams; \
             median ms with growing sets of collectors)\n\n\
             | text | matches | top 10 | + count | + facet counts | + 10 snippets |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for p in &self.profile {
            let _ = writeln!(
                out,
                "| \"{}\" | {} | {} | {} | {} | {} |",
                p.text,
                p.matches,
                ms(p.top_only),
                ms(p.with_count),
                ms(p.with_facets),
                ms(p.with_snippets)
            );
        }

        let _ = writeln!(
            out,
            "\n**Memory of the benchmark process** (tantivy runs in it; the databases' own processes are not counted): \
             after building VmHWM {} / VmRSS {}; at the end VmHWM {} / VmRSS {}.",
            mib(self.memory_after_build.peak_kib * 1024),
            mib(self.memory_after_build.current_kib * 1024),
            mib(self.memory_at_end.peak_kib * 1024),
            mib(self.memory_at_end.current_kib * 1024),
        );

        out.push_str("\n**Per query**: matches (searches) or suggestions (typeahead) in the last round, and median latency in ms\n\n| class | query |");
        for engine in &self.engines {
            let _ = write!(out, " {engine} |");
        }
        out.push_str("\n|---|---|");
        for _ in &self.engines {
            out.push_str("---:|");
        }
        out.push('\n');
        for q in &self.queries {
            let _ = write!(out, "| {} | {} |", q.class.label(), q.label.replace('|', "\\|"));
            for ((_, outcome), median) in q.outcomes.iter().zip(&q.medians) {
                let facets = if outcome.facet_buckets > 0 { format!(", {} facet buckets", outcome.facet_buckets) } else { String::new() };
                let _ = write!(out, " {}{facets} · {} ms |", outcome.total, ms(*median));
            }
            out.push('\n');
        }
        out
    }
}
