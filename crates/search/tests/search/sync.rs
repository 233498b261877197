//! The index follows the database's change log, on SQLite and PostgreSQL.

use caunoi_demo::DemoConfig;
use caunoi_search::sync::{catch_up, rebuild};
use caunoi_search::{ExchangeRates, VacancyIndex, VacancyQuery};
use caunoi_store::testing::{TestDatabase, backends};
use caunoi_store::{change_log, records, stats};
use chrono::NaiveDate;

const DEMO: DemoConfig =
    DemoConfig { seed: 5, as_of: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), vacancies: 300, workers: 50 };

fn all() -> VacancyQuery {
    VacancyQuery { limit: 10, ..VacancyQuery::default() }
}

#[tokio::test]
async fn index_follows_inserts_updates_and_deletes() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        caunoi_demo::populate(&db.store, DEMO, |_| {}).await.unwrap();
        let rates = ExchangeRates::default();
        let index = VacancyIndex::in_memory().unwrap();
        catch_up(&index, &db.store, &rates).await.unwrap();
        assert_eq!(index.num_docs(), 300, "on {}", db.backend_name());
        assert_eq!(index.applied_seq().unwrap(), change_log::latest_seq(&db.store).await.unwrap());

        let page = records::vacancies_after(&db.store, None, 2).await.unwrap();
        let mut changed = page[0].clone();
        changed.title = "Kỹ thuật viên điện mặt trời áp mái".into();
        records::update_vacancy(&db.store, changed.clone()).await.unwrap();
        records::delete_vacancy(&db.store, page[1].id).await.unwrap();
        assert_eq!(catch_up(&index, &db.store, &rates).await.unwrap(), 2);
        assert_eq!(index.num_docs(), 299);
        let found = index.search(&VacancyQuery { text: "dien mat troi ap mai".into(), ..all() }).unwrap();
        assert_eq!(found.hits[0].id, changed.id.0);
        assert_eq!(catch_up(&index, &db.store, &rates).await.unwrap(), 0, "nothing new");
    }
}

#[tokio::test]
async fn a_crash_before_commit_loses_nothing_and_duplicates_nothing() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        caunoi_demo::populate(&db.store, DEMO, |_| {}).await.unwrap();
        let rates = ExchangeRates::default();
        let dir = tempfile::tempdir().unwrap();
        {
            let index = VacancyIndex::open(dir.path()).unwrap();
            catch_up(&index, &db.store, &rates).await.unwrap();
            // Work after the last commit, then the process dies (the index is dropped without
            // committing, as kill -9 would leave it).
            let page = records::vacancies_after(&db.store, None, 10).await.unwrap();
            for vacancy in &page {
                let mut changed = vacancy.clone();
                changed.title = format!("{} hiệuchỉnhxyz", changed.title);
                records::update_vacancy(&db.store, changed).await.unwrap();
            }
            for vacancy in &page {
                let doc = caunoi_search::VacancyDocument::from_vacancy(vacancy, "x", &rates);
                index.upsert(&doc).unwrap();
            }
        }
        let index = VacancyIndex::open(dir.path()).unwrap();
        assert_eq!(index.num_docs(), 300);
        assert_eq!(catch_up(&index, &db.store, &rates).await.unwrap(), 10);
        assert_eq!(index.num_docs(), 300, "no duplicates on {}", db.backend_name());
        let updated = index.search(&VacancyQuery { text: "hieuchinhxyz".into(), limit: 100, ..all() }).unwrap();
        assert_eq!(updated.total, 10);
    }
}

#[tokio::test]
async fn rebuild_indexes_everything_and_resumes_from_the_log() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        caunoi_demo::populate(&db.store, DEMO, |_| {}).await.unwrap();
        let index = VacancyIndex::in_memory().unwrap();
        let mut progress = Vec::new();
        let indexed = rebuild(&index, &db.store, &ExchangeRates::default(), |n| progress.push(n)).await.unwrap();
        assert_eq!(indexed, 300);
        assert_eq!(progress.last(), Some(&300));
        assert_eq!(index.num_docs(), 300);
        assert_eq!(index.applied_seq().unwrap(), change_log::latest_seq(&db.store).await.unwrap());
        let overview = stats::overview(&db.store).await.unwrap();
        let open = index.search(&VacancyQuery { open_on: Some(DEMO.as_of), ..all() }).unwrap();
        assert_eq!(open.total as u64, overview.open_vacancies);
        let overseas = index.search(&VacancyQuery { overseas: Some(true), ..all() }).unwrap();
        assert_eq!(overseas.total, 15, "one vacancy in twenty is an overseas job order");
    }
}

#[tokio::test]
async fn worker_index_follows_the_log_and_holds_no_identity_numbers() {
    use caunoi_search::{WorkerIndex, WorkerQuery};
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        caunoi_demo::populate(&db.store, DEMO, |_| {}).await.unwrap();
        let rates = ExchangeRates::default();
        let index = WorkerIndex::in_memory().unwrap();
        let indexed = rebuild(&index, &db.store, &rates, |_| {}).await.unwrap();
        assert_eq!(indexed, 50);
        assert_eq!(index.num_docs(), 50, "on {}", db.backend_name());

        let workers = records::workers_after(&db.store, None, 50).await.unwrap();
        let with_identity = workers.iter().find(|w| w.cccd.is_some() && w.phone.is_some()).expect("demo workers have CCCD and phone");
        for secret in [with_identity.cccd.as_ref().unwrap().as_str(), with_identity.phone.as_ref().unwrap().as_str()] {
            let found = index.search(&WorkerQuery { text: secret.to_owned(), limit: 10, ..WorkerQuery::default() }).unwrap();
            assert_eq!(found.total, 0, "an identity number must not be searchable");
        }

        let mut changed = workers[0].clone();
        changed.desired.title = Some("Kỹ thuật viên điện mặt trời áp mái".into());
        records::update_worker(&db.store, changed.clone()).await.unwrap();
        records::delete_worker(&db.store, workers[1].id).await.unwrap();
        assert_eq!(catch_up(&index, &db.store, &rates).await.unwrap(), 2);
        assert_eq!(index.num_docs(), 49);
        let found = index.search(&WorkerQuery { text: "dien mat troi ap mai".into(), limit: 5, ..WorkerQuery::default() }).unwrap();
        assert_eq!(found.hits[0].id, changed.id.0);
        assert_eq!(index.applied_seq().unwrap(), change_log::latest_seq(&db.store).await.unwrap());
    }
}

/// An index directory as an older version of the crate left it: the id only as a stored
/// string (no id columns), one document, and a commit at `seq`.
fn index_with_an_older_schema(dir: &std::path::Path, seq: i64) -> Vec<String> {
    use tantivy::schema::{STORED, STRING, Schema, TEXT};
    std::fs::create_dir_all(dir).unwrap();
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT | STORED);
    let index = tantivy::Index::create_in_dir(dir, builder.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut doc = tantivy::TantivyDocument::default();
    doc.add_text(id, uuid::Uuid::from_u128(7).to_string());
    doc.add_text(title, "Hồ sơ cũ");
    writer.add_document(doc).unwrap();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(&seq.to_string());
    prepared.commit().unwrap();
    drop(writer);
    // The old segment's file-name prefix (what the reset must eventually remove).
    index.searchable_segment_metas().unwrap().iter().map(|meta| meta.id().uuid_string()).collect()
}

#[tokio::test]
async fn an_index_written_with_another_schema_is_started_again_and_refilled_from_the_log() {
    use caunoi_search::{Indexes, WorkerIndex, WorkerQuery};
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        caunoi_demo::populate(&db.store, DEMO, |_| {}).await.unwrap();
        let rates = ExchangeRates::default();
        let latest = change_log::latest_seq(&db.store).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Commits at the latest sequence: kept as they are, they would look up to date.
        let old_worker_segments = index_with_an_older_schema(&dir.path().join("workers"), latest);
        index_with_an_older_schema(&dir.path().join("vacancies"), latest);

        let indexes = Indexes::open(dir.path()).unwrap();
        for (name, reset, docs, seq) in [
            ("workers", indexes.workers.schema_reset(), indexes.workers.num_docs(), indexes.workers.applied_seq().unwrap()),
            ("vacancies", indexes.vacancies.schema_reset(), indexes.vacancies.num_docs(), indexes.vacancies.applied_seq().unwrap()),
        ] {
            assert!(reset, "{name}: the schema differs");
            assert_eq!((docs, seq), (0, 0), "{name}: empty, and nothing applied");
        }
        assert_eq!(indexes.applied_seq().unwrap(), 0, "so the server rebuilds on start");

        // Catch-up from sequence 0 replays the whole log (workers); a rebuild reads the tables
        // (vacancies).
        assert_eq!(catch_up(&indexes.workers, &db.store, &rates).await.unwrap(), 50);
        assert_eq!(rebuild(&indexes.vacancies, &db.store, &rates, |_| {}).await.unwrap(), 300);
        assert_eq!(indexes.workers.num_docs(), 50, "on {}", db.backend_name());
        assert_eq!(indexes.vacancies.num_docs(), 300);
        assert_eq!(indexes.applied_seq().unwrap(), latest);
        assert_eq!(old_worker_segments.len(), 1);
        for entry in std::fs::read_dir(dir.path().join("workers")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!old_worker_segments.iter().any(|s| name.starts_with(s.as_str())), "old segment file {name} removed at the commit");
        }
        // Ids read back from the id columns are the database's.
        let found = indexes.workers.search(&WorkerQuery { limit: 100, ..WorkerQuery::default() }).unwrap();
        let mut ids: Vec<_> = found.hits.iter().map(|h| h.id).collect();
        ids.sort_unstable();
        let mut expected: Vec<_> = records::workers_after(&db.store, None, 100).await.unwrap().iter().map(|w| w.id.0).collect();
        expected.sort_unstable();
        assert_eq!(ids, expected);
        let open = indexes.vacancies.search(&VacancyQuery { limit: 100, ..VacancyQuery::default() }).unwrap();
        let stored = records::vacancies_by_ids(&db.store, &open.hits.iter().map(|h| caunoi_domain::records::VacancyId(h.id)).collect::<Vec<_>>())
            .await
            .unwrap();
        assert_eq!(stored.len(), 100, "every hit's id is a vacancy of the database");
        drop(indexes);

        // Reopened with the current schema: kept, at the sequence it reached.
        let workers = WorkerIndex::open(&dir.path().join("workers")).unwrap();
        assert!(!workers.schema_reset());
        assert_eq!((workers.num_docs(), workers.applied_seq().unwrap()), (50, latest));
    }
}
