use caunoi_api::AppState;
use caunoi_demo::DemoConfig;
use caunoi_store::testing::{Backend, TestDatabase};
use chrono::NaiveDate;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
}

pub const DEMO: DemoConfig = DemoConfig {
    seed: 11,
    as_of: match NaiveDate::from_ymd_opt(2026, 11, 21) {
        Some(date) => date,
        None => panic!("valid date"),
    },
    vacancies: 120,
    workers: 80,
};

/// The server on a free port over a fresh database holding a small demo data set.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let db = TestDatabase::new(backend).await;
    caunoi_demo::populate(&db.store, DEMO, |_| {}).await.expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let indexes = std::sync::Arc::new(caunoi_search::Indexes::in_memory().expect("indexes"));
    indexes.catch_up(&db.store, &caunoi_search::ExchangeRates::default()).await.expect("indexes");
    let state = AppState { store: db.store.clone(), indexes };
    tokio::spawn(async move { caunoi_api::serve(listener, state).await });
    TestApp { address, client: reqwest::Client::new(), db }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request")
    }
}
