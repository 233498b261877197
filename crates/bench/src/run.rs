//! One benchmark run: build every engine over the corpus, run the query mix on each
//! (interleaved, so that background load hits all engines alike), score the judged set.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use caunoi_search::relevance::JudgedSet;
use caunoi_search::{ExchangeRates, VacancyIndex, sync};
use caunoi_store::Store;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::documents::DocumentPages;
use crate::engine::{Engine, Outcome};
use crate::measure::{Memory, Samples, dir_size};
use crate::mix::{Filters, QueryClass, Request, SearchRequest, query_mix};
use crate::report::{BenchReport, BuildFigure, ClassFigure, QueryOutcome, RelevanceFigure};
use crate::sql_peer::SqlPeer;
use crate::{BenchError, corpus};

/// The corpus in each database (the same generated rows), and empty databases for the judged
/// set's peers.
pub struct Corpora {
    pub sqlite: Store,
    pub postgres: Option<Store>,
    pub judged_sqlite: Store,
    pub judged_postgres: Option<Store>,
}

#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Where the tantivy index is built.
    pub index_dir: PathBuf,
    /// The corpus's "today", for the open filter.
    pub as_of: NaiveDate,
    pub warmup_rounds: usize,
    pub rounds: usize,
    /// Keep indexes from an earlier run when they hold the whole corpus (no build figures then).
    pub reuse_indexes: bool,
    /// The judged relevance set (`caunoi_search::relevance::default_dir()`).
    pub judged_dir: PathBuf,
}

async fn build_tantivy(config: &RunConfig, store: &Store, vacancies: u64, log: &mut impl FnMut(String)) -> Result<(VacancyIndex, BuildFigure), BenchError> {
    if config.reuse_indexes && config.index_dir.exists() {
        let index = VacancyIndex::open(&config.index_dir)?;
        if index.num_docs() == vacancies {
            log(format!("tantivy: reusing the index in {}", config.index_dir.display()));
            let size = dir_size(&config.index_dir)?;
            return Ok((index, BuildFigure { engine: "tantivy".into(), documents: vacancies, seconds: None, size_bytes: size }));
        }
    }
    if config.index_dir.exists() {
        std::fs::remove_dir_all(&config.index_dir)?;
    }
    let index = VacancyIndex::open(&config.index_dir)?;
    let started = Instant::now();
    let mut next_report = 100_000;
    let indexed = sync::rebuild(&index, store, &ExchangeRates::default(), |n| {
        if n >= next_report {
            log(format!("tantivy: {n} vacancies indexed"));
            next_report += 100_000;
        }
    })
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    let size = dir_size(&config.index_dir)?;
    Ok((index, BuildFigure { engine: "tantivy".into(), documents: indexed as u64, seconds: Some(seconds), size_bytes: size }))
}

async fn build_peer(
    store: &Store,
    vacancies: u64,
    reuse: bool,
    log: &mut impl FnMut(String),
) -> Result<(SqlPeer, BuildFigure), BenchError> {
    let peer = SqlPeer::new(store.clone());
    let name = peer.name().to_owned();
    if reuse && peer.num_docs().await? == Some(vacancies) {
        log(format!("{name}: reusing its tables"));
        let size = peer.size_bytes().await?;
        return Ok((peer, BuildFigure { engine: name, documents: vacancies, seconds: None, size_bytes: size }));
    }
    let started = Instant::now();
    peer.create().await?;
    let mut pages = DocumentPages::new(store, ExchangeRates::default());
    let mut loaded = 0u64;
    let mut next_report = 100_000;
    while let Some(documents) = pages.next_page().await? {
        peer.insert(&documents).await?;
        loaded += documents.len() as u64;
        if loaded >= next_report {
            log(format!("{name}: {loaded} vacancies loaded"));
            next_report += 100_000;
        }
    }
    peer.finish().await?;
    let seconds = started.elapsed().as_secs_f64();
    let size = peer.size_bytes().await?;
    Ok((peer, BuildFigure { engine: name, documents: loaded, seconds: Some(seconds), size_bytes: size }))
}

/// Reading the corpus as documents without indexing them: the share of every build that is the
/// database and the record mapping, not the engine.
async fn read_documents(store: &Store) -> Result<BuildFigure, BenchError> {
    let started = Instant::now();
    let mut pages = DocumentPages::new(store, ExchangeRates::default());
    let mut read = 0u64;
    while let Some(documents) = pages.next_page().await? {
        read += documents.len() as u64;
    }
    Ok(BuildFigure { engine: READ_ONLY.into(), documents: read, seconds: Some(started.elapsed().as_secs_f64()), size_bytes: 0 })
}

/// The build row of [`read_documents`].
pub const READ_ONLY: &str = "(reading the documents only, no index)";

/// NDCG@10 of each engine on the judged set, each over the set's 239 documents loaded into it.
async fn score_judged_set(config: &RunConfig, corpora: &Corpora) -> Result<Vec<RelevanceFigure>, BenchError> {
    let set = JudgedSet::load(&config.judged_dir)?;
    let mut figures = vec![RelevanceFigure { engine: "tantivy".into(), report: set.evaluate_index(&set.index_in_memory()?)? }];
    let stores = corpora.judged_postgres.iter().chain(std::iter::once(&corpora.judged_sqlite));
    for store in stores {
        let peer = SqlPeer::new(store.clone());
        peer.create().await?;
        peer.insert(&set.documents).await?;
        peer.finish().await?;
        let mut rankings: HashMap<&str, Vec<Uuid>> = HashMap::new();
        for query in set.judgments.keys() {
            let request = SearchRequest { text: query.clone(), filters: Filters::default(), facets: false, limit: caunoi_search::relevance::CUTOFF };
            rankings.insert(query, peer.search(&request).await?.ids);
        }
        let report = set.evaluate(|query| Ok::<_, BenchError>(rankings.remove(query).unwrap_or_default()))?;
        figures.push(RelevanceFigure { engine: peer.name().into(), report });
    }
    Ok(figures)
}

/// Runs the whole benchmark; `log` receives progress lines.
pub async fn run(config: &RunConfig, corpora: &Corpora, mut log: impl FnMut(String)) -> Result<BenchReport, BenchError> {
    let vacancies = corpus::vacancy_count(&corpora.sqlite).await?;
    if let Some(postgres) = &corpora.postgres {
        let found = corpus::vacancy_count(postgres).await?;
        if found != vacancies {
            return Err(BenchError::CorpusMismatch { place: "PostgreSQL".into(), found, wanted: vacancies });
        }
    }
    let read_only = read_documents(&corpora.sqlite).await?;
    log(format!("documents read from SQLite in {:.1} s", read_only.seconds.unwrap_or_default()));
    let (index, tantivy_build) = build_tantivy(config, &corpora.sqlite, vacancies, &mut log).await?;
    log(format!("tantivy: {} documents", index.num_docs()));
    let mut builds = vec![read_only, tantivy_build];
    let mut engines = vec![Engine::Tantivy(Box::new(index))];
    for store in corpora.postgres.iter().chain(std::iter::once(&corpora.sqlite)) {
        let (peer, build) = build_peer(store, vacancies, config.reuse_indexes, &mut log).await?;
        log(format!("{}: built", peer.name()));
        builds.push(build);
        engines.push(Engine::Sql(peer));
    }
    let memory_after_build = Memory::of_this_process();

    let mix = query_mix(config.as_of);
    let mut samples: BTreeMap<(usize, QueryClass), Samples> = BTreeMap::new();
    let mut last: Vec<Vec<Outcome>> = vec![Vec::new(); mix.len()];
    let mut per_query: Vec<Vec<Samples>> = vec![vec![Samples::default(); engines.len()]; mix.len()];
    for round in 0..config.warmup_rounds + config.rounds {
        let measured = round >= config.warmup_rounds;
        for (q, query) in mix.iter().enumerate() {
            last[q].clear();
            for (e, engine) in engines.iter().enumerate() {
                let started = Instant::now();
                let outcome = engine.run(&query.request).await?;
                let elapsed = started.elapsed();
                if measured {
                    samples.entry((e, query.class)).or_default().push(elapsed);
                    per_query[q][e].push(elapsed);
                }
                last[q].push(outcome);
            }
        }
        log(format!("round {}/{} done{}", round + 1, config.warmup_rounds + config.rounds, if measured { "" } else { " (warm-up)" }));
    }
    let classes = samples
        .iter()
        .map(|((e, class), s)| ClassFigure::new(engines[*e].name(), *class, s))
        .collect();
    let queries = mix
        .iter()
        .zip(last)
        .zip(per_query)
        .map(|((query, outcomes), samples)| QueryOutcome {
            label: query.label(),
            class: query.class,
            is_search: matches!(query.request, Request::Search(_)),
            outcomes: engines.iter().map(|e| e.name().to_owned()).zip(outcomes).collect(),
            medians: samples.iter().map(|s| s.percentile(0.5)).collect(),
        })
        .collect();

    log("profiling tantivy's query costs".into());
    let profile = crate::profile::profile(&config.index_dir, crate::mix::FREE_TEXT, config.rounds.max(1))?;
    log("scoring the judged set".into());
    let relevance = score_judged_set(config, corpora).await?;
    Ok(BenchReport {
        vacancies,
        warmup_rounds: config.warmup_rounds,
        rounds: config.rounds,
        engines: engines.iter().map(|e| e.name().to_owned()).collect(),
        builds,
        classes,
        queries,
        relevance,
        profile,
        memory_after_build,
        memory_at_end: Memory::of_this_process(),
    })
}
