use caunoi_api::AppState;
use caunoi_demo::DemoConfig;
use caunoi_store::testing::{Backend, TestDatabase};
use chrono::NaiveDate;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDatabase,
    pub indexes: std::sync::Arc<caunoi_search::Indexes>,
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
    let state = AppState::new(db.store.clone(), std::sync::Arc::clone(&indexes));
    tokio::spawn(async move { caunoi_api::serve(listener, state).await });
    TestApp { address, client: reqwest::Client::new(), db, indexes }
}

/// The password of every account the tests create.
pub const PASSWORD: &str = "mat-khau-thu";

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request")
    }

    /// Brings the search indexes up to date now (the server's follower does it every second).
    pub async fn catch_up(&self) {
        self.indexes.catch_up(&self.db.store, &caunoi_search::ExchangeRates::default()).await.expect("catch up");
    }

    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn delete_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.delete(format!("{}{path}", self.address)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: serde_json::Value) -> reqwest::Response {
        let request = self.client.post(format!("{}{path}", self.address)).json(&body);
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        request.send().await.expect("request")
    }

    pub async fn put(&self, path: &str, token: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.put(format!("{}{path}", self.address)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    /// Creates an account directly in the store; returns its id.
    pub async fn account(&self, login: &str, role: caunoi_domain::access::Role) -> uuid::Uuid {
        let new = caunoi_store::accounts::NewAccount {
            login: login.to_owned(),
            password: PASSWORD.to_owned(),
            display_name: login.to_owned(),
            role,
        };
        caunoi_store::accounts::create_account(&self.db.store, new).await.expect("account").id
    }

    /// Signs in over HTTP; returns the session token.
    pub async fn sign_in(&self, login: &str, password: &str) -> String {
        let response = self.post("/api/v1/sessions", None, serde_json::json!({"login": login, "password": password})).await;
        assert_eq!(response.status(), 200, "sign in as {login}");
        let body: serde_json::Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    /// An account of this role, signed in.
    pub async fn signed_in(&self, login: &str, role: caunoi_domain::access::Role) -> String {
        self.account(login, role).await;
        self.sign_in(login, PASSWORD).await
    }
}
