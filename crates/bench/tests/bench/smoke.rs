use caunoi_bench::mix::{QueryClass, query_mix};
use caunoi_bench::{Corpora, RunConfig, corpus};
use caunoi_demo::DemoConfig;
use caunoi_store::testing::{Backend, TestDatabase, backends};
use chrono::NaiveDate;

/// Enough vacancies that every query of the mix, filters included, has matches (the demo
/// generator is seeded, so this holds for this seed and date).
const VACANCIES: usize = 4_000;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

#[tokio::test]
async fn every_engine_answers_the_mix_and_is_scored_on_the_judged_set() {
    let with_postgres = backends().contains(&Backend::Postgres);
    let demo = DemoConfig { seed: 2025, as_of: as_of(), vacancies: VACANCIES, workers: 0 };
    let sqlite = TestDatabase::new(Backend::Sqlite).await;
    let judged_sqlite = TestDatabase::new(Backend::Sqlite).await;
    corpus::fill(&sqlite.store, "SQLite", demo, |_| {}).await.unwrap();
    let (postgres, judged_postgres) = if with_postgres {
        let postgres = TestDatabase::new(Backend::Postgres).await;
        corpus::fill(&postgres.store, "PostgreSQL", demo, |_| {}).await.unwrap();
        (Some(postgres), Some(TestDatabase::new(Backend::Postgres).await))
    } else {
        (None, None)
    };
    let dir = tempfile::tempdir().unwrap();
    let config = RunConfig {
        index_dir: dir.path().join("tantivy"),
        as_of: as_of(),
        warmup_rounds: 1,
        rounds: 1,
        reuse_indexes: false,
        judged_dir: caunoi_search::relevance::default_dir(),
    };
    let corpora = Corpora {
        sqlite: sqlite.store.clone(),
        postgres: postgres.as_ref().map(|db| db.store.clone()),
        judged_sqlite: judged_sqlite.store.clone(),
        judged_postgres: judged_postgres.as_ref().map(|db| db.store.clone()),
    };
    let report = caunoi_bench::run(&config, &corpora, |_| {}).await.unwrap();

    let mut expected = vec!["tantivy"];
    if with_postgres {
        expected.push("PostgreSQL FTS");
    }
    expected.push("SQLite FTS5");
    assert_eq!(report.engines, expected);
    assert_eq!(report.vacancies, VACANCIES as u64);
    for build in &report.builds {
        assert_eq!(build.documents, VACANCIES as u64, "{}", build.engine);
        assert!(build.seconds.is_some(), "{build:?}");
        assert_eq!(build.size_bytes > 0, build.engine != caunoi_bench::run::READ_ONLY, "{build:?}");
    }
    assert_eq!(report.builds.len(), expected.len() + 1);

    assert_eq!(report.queries.len(), query_mix(as_of()).len());
    let mut problems = Vec::new();
    for query in &report.queries {
        assert_eq!(query.outcomes.len(), expected.len());
        for (engine, outcome) in &query.outcomes {
            let what = format!("{engine} on {} ({})", query.class.label(), query.label);
            let answered = match query.class {
                QueryClass::Typeahead => !outcome.suggestions.is_empty(),
                class => {
                    assert!(outcome.ids.len() <= 10 && outcome.ids.len() as u64 <= outcome.total, "{what}");
                    !outcome.ids.is_empty() && (outcome.facet_buckets > 0) == (class == QueryClass::Faceted)
                }
            };
            if outcome.total == 0 || !answered {
                problems.push(what);
            }
        }
    }
    assert!(problems.is_empty(), "no (or incomplete) answer from:\n{}", problems.join("\n"));
    for class in QueryClass::ALL {
        for engine in &expected {
            assert!(report.classes.iter().any(|c| c.class == class && c.engine == *engine && c.samples > 0), "{engine} {class:?}");
        }
    }

    let scored: Vec<&str> = report.relevance.iter().map(|r| r.engine.as_str()).collect();
    assert_eq!(scored, expected);
    for figure in &report.relevance {
        assert_eq!(figure.report.per_query.len(), 61, "{}", figure.engine);
        assert!(figure.report.mean > 0.0 && figure.report.mean <= 1.0, "{}: {}", figure.engine, figure.report.mean);
    }

    let markdown = report.markdown();
    for engine in &expected {
        assert!(markdown.contains(engine), "{engine} missing from the report");
    }
}
