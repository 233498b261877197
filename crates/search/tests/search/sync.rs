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
