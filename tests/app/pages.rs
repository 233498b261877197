use caunoi_store::testing::backends;

use crate::helpers::{DEMO, spawn_app};

#[tokio::test]
async fn landing_page_counts_what_the_database_holds() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let stats: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
        assert_eq!(stats["workers"], DEMO.workers, "on {}", app.db.backend_name());
        assert_eq!(stats["communes"], 3321);

        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"vi\">"));
        assert!(html.contains("<strong>80</strong>hồ sơ người lao động"), "{html}");
        assert!(html.contains("<strong>3.321</strong>xã, phường, đặc khu"), "{html}");
        let open = stats["open_vacancies"].as_u64().unwrap();
        assert!(open > 0 && open <= 120);
        assert!(html.contains(&format!("<strong>{open}</strong>việc làm đang tuyển")));
        assert!(html.contains("This service uses the ESCO classification of the European Commission."));
        assert_eq!(app.get("/static/app.css").await.status(), 200);
    }
}

#[tokio::test]
async fn health_names_the_database_and_the_change_log_position() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let health: serde_json::Value = app.get("/health").await.json().await.unwrap();
        assert_eq!(health["status"], "ok");
        let expected = if app.db.backend_name() == "postgres" { "postgresql" } else { "sqlite" };
        assert_eq!(health["database"], expected);
        // Every demo vacancy and worker profile was logged once.
        assert_eq!(health["change_log_seq"], DEMO.vacancies + DEMO.workers);
        assert_eq!(health["search_index_seq"], health["change_log_seq"]);
    }
}

#[tokio::test]
async fn unknown_path_answers_in_vietnamese_with_a_stable_code() {
    let app = spawn_app(caunoi_store::testing::Backend::Sqlite).await;
    let response = app.get("/khong-co").await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "NO_SUCH_ROUTE");
    assert_eq!(body["error"]["message"], "Không có trang hoặc chức năng này.");
}
