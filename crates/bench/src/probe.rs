//! `caunoi-bench probe`: the mix's searches on an index the benchmark built earlier, each run
//! several times in turn, with the median and the worst run per query. A quick check of a
//! change to the search code on the same 1M index (minutes, not the hour of a whole run with
//! its peers); the benchmark itself stays the measurement of record.

use std::path::Path;
use std::time::Instant;

use caunoi_search::VacancyIndex;
use chrono::NaiveDate;

use crate::BenchError;
use crate::engine::Engine;
use crate::measure::Samples;
use crate::mix::{QueryClass, Request, query_mix};

/// One search of the mix on the index: its matches and its latencies.
#[derive(Debug, Clone)]
pub struct ProbeRow {
    pub label: String,
    pub class: QueryClass,
    pub matches: u64,
    pub samples: Samples,
}

#[derive(Debug, thiserror::Error)]
#[error(
    "Chỉ mục {0} trống (hoặc thuộc phiên bản khác nên vừa được tạo lại rỗng); chạy `caunoi-bench search` để xây lại. \
     (bench.probe_index_empty: the index is empty, or was of another schema and has been started again empty; \
     run `caunoi-bench search` to rebuild it.)"
)]
pub struct EmptyIndex(pub String);

/// Runs each free-text and faceted search of the mix (those whose label contains `only`)
/// `runs` times, query after query in turn
/// (so that a slow moment of the machine is spread over every query).
pub async fn probe(index_dir: &Path, as_of: NaiveDate, runs: usize, only: Option<&str>) -> Result<Vec<ProbeRow>, BenchError> {
    // Opening with another schema resets the index (derived state): say so rather than measure
    // an empty index.
    let index = VacancyIndex::open(index_dir)?;
    if index.schema_reset() || index.num_docs() == 0 {
        return Err(BenchError::Probe(EmptyIndex(index_dir.display().to_string())));
    }
    let engine = Engine::Tantivy(Box::new(index));
    let searches: Vec<_> = query_mix(as_of)
        .into_iter()
        .filter(|q| matches!(q.class, QueryClass::FreeText | QueryClass::Faceted) && matches!(q.request, Request::Search(_)))
        .filter(|q| only.is_none_or(|only| q.label().contains(only)))
        .collect();
    let mut rows: Vec<ProbeRow> =
        searches.iter().map(|q| ProbeRow { label: q.label(), class: q.class, matches: 0, samples: Samples::default() }).collect();
    // One unmeasured pass: the first touch of each posting list reads it from disk.
    for query in &searches {
        engine.run(&query.request).await?;
    }
    for _ in 0..runs {
        for (query, row) in searches.iter().zip(&mut rows) {
            let started = Instant::now();
            let outcome = engine.run(&query.request).await?;
            row.samples.push(started.elapsed());
            row.matches = outcome.total;
        }
    }
    Ok(rows)
}

/// The rows as a Markdown table, and per class the median and the worst of all runs.
pub fn markdown(rows: &[ProbeRow]) -> String {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let mut out = String::from("| query | class | matches | median ms | worst ms |\n|---|---|---:|---:|---:|\n");
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {:.2} | {:.2} |\n",
            row.label,
            row.class.label(),
            row.matches,
            ms(row.samples.percentile(0.5)),
            ms(row.samples.percentile(1.0))
        ));
    }
    for class in [QueryClass::FreeText, QueryClass::Faceted] {
        let mut all = Samples::default();
        rows.iter().filter(|r| r.class == class).for_each(|r| all.extend(r.samples.clone()));
        out.push_str(&format!(
            "\n{}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms over {} runs",
            class.label(),
            ms(all.percentile(0.5)),
            ms(all.percentile(0.95)),
            ms(all.percentile(0.99)),
            all.len()
        ));
    }
    out.push('\n');
    out
}
