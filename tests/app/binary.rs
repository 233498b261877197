//! The `caunoi` binary as a user runs it.

use std::process::Stdio;
use std::time::Duration;

use caunoi_store::testing::{Backend, TestDatabase, backends};
use caunoi_store::stats;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn caunoi() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caunoi"));
    command.env_remove("DATABASE_URL").env("RUST_LOG", "info").env("NO_COLOR", "1").kill_on_drop(true);
    command
}

/// Starts `caunoi serve` and waits for the address it logs.
async fn start_server(data_dir: &std::path::Path) -> (Child, String) {
    start_server_with(data_dir, &["--vacancies", "100", "--workers", "150"]).await
}

async fn start_server_with(data_dir: &std::path::Path, serve_args: &[&str]) -> (Child, String) {
    let mut child = caunoi()
        .args(["--data-dir", data_dir.to_str().unwrap(), "serve", "--bind", "127.0.0.1:0"])
        .args(serve_args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(300), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(at) = line.find("http://") {
                return line[at..].trim().to_owned();
            }
        }
        panic!("caunoi exited without listening")
    })
    .await
    .expect("server started in time");
    // Keep draining the log so the child never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address)
}

#[tokio::test]
async fn run_command_on_a_fresh_machine_creates_the_database_and_serves_demo_data() {
    let data_dir = tempfile::tempdir().unwrap();
    let (mut server, address) = start_server(data_dir.path()).await;
    assert!(data_dir.path().join("caunoi.sqlite").exists());
    let html = reqwest::get(format!("{address}/")).await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong>150</strong>hồ sơ người lao động"), "{html}");
    server.kill().await.unwrap();

    // A second start on the same data directory adds nothing: reference data and demo data
    // are loaded once.
    let (mut server, address) = start_server(data_dir.path()).await;
    let stats: serde_json::Value = reqwest::get(format!("{address}/api/v1/stats")).await.unwrap().json().await.unwrap();
    assert_eq!((stats["workers"].as_u64(), stats["communes"].as_u64()), (Some(150), Some(3321)));
    server.kill().await.unwrap();
}

#[tokio::test]
async fn demo_command_fills_an_empty_database_once_on_every_backend() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let run = || async {
            caunoi().args(["--database-url", &db.url, "demo", "--vacancies", "60", "--workers", "40"]).output().await.unwrap()
        };
        let first = run().await;
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        let overview = stats::overview(&db.store).await.unwrap();
        assert_eq!(overview.workers, 40, "on {}", db.backend_name());

        let second = run().await;
        assert!(!second.status.success());
        let message = String::from_utf8_lossy(&second.stderr);
        assert!(message.contains("chỉ nạp vào cơ sở dữ liệu trống"), "{message}");
        assert_eq!(stats::overview(&db.store).await.unwrap(), overview);
        if backend == Backend::Postgres {
            assert_eq!(db.db_backend(), caunoi_store::DbBackend::Postgres);
        }
    }
}

#[tokio::test]
async fn invalid_database_url_is_a_clear_error() {
    let output = caunoi().args(["--database-url", "mysql://localhost/x", "migrate"]).output().await.unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("use sqlite://… or postgres://…"), "{message}");
}

/// kill -9 at several moments of a reindex: the next start finds every vacancy exactly once.
#[tokio::test]
async fn search_index_survives_kill_9_during_reindex() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_str().unwrap();
    let demo = caunoi().args(["--data-dir", dir, "demo", "--vacancies", "3000", "--workers", "2000"]).output().await.unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    for delay_ms in [30, 150, 400, 900, 1_600] {
        let mut reindex = caunoi().args(["--data-dir", dir, "reindex"]).stderr(Stdio::null()).spawn().unwrap();
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        // SIGKILL: no destructor, no flush — as a power cut or the OOM killer would leave it.
        reindex.kill().await.unwrap();
    }
    let (mut server, address) = start_server_with(data_dir.path(), &["--no-demo"]).await;
    let health: serde_json::Value = reqwest::get(format!("{address}/health")).await.unwrap().json().await.unwrap();
    assert_eq!(health["search_index_seq"], health["change_log_seq"], "{health}");
    let all: serde_json::Value =
        reqwest::get(format!("{address}/api/v1/vacancies/search?open=false&per_page=1")).await.unwrap().json().await.unwrap();
    assert_eq!(all["total"], 3000, "every vacancy indexed once, none lost or duplicated");
    server.kill().await.unwrap();
}

#[tokio::test]
async fn the_first_administrator_is_created_on_the_command_line() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_str().unwrap();
    let created = caunoi()
        .args(["--data-dir", dir, "create-account", "--login", "Admin@Example.vn"])
        .env("CAUNOI_ACCOUNT_PASSWORD", "mat-khau-quan-tri")
        .output()
        .await
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(!String::from_utf8_lossy(&created.stderr).contains("mat-khau-quan-tri"), "the password is never logged");
    let missing = caunoi().args(["--data-dir", dir, "create-account", "--login", "x@example.vn", "--role", "commune_staff"]).env("CAUNOI_ACCOUNT_PASSWORD", "mat-khau-quan-tri").output().await.unwrap();
    assert!(!missing.status.success());
    let (mut server, address) = start_server_with(data_dir.path(), &["--no-demo"]).await;
    let client = reqwest::Client::new();
    let signed_in = client.post(format!("{address}/api/v1/sessions")).json(&serde_json::json!({"login": "admin@example.vn", "password": "mat-khau-quan-tri"})).send().await.unwrap();
    assert_eq!(signed_in.status(), 200);
    let body: serde_json::Value = signed_in.json().await.unwrap();
    assert_eq!(body["account"]["role_kind"], "admin");
    server.kill().await.unwrap();
}
