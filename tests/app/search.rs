//! Public vacancy search over HTTP: without diacritics, with filters, typeahead, bad parameters.

use caunoi_domain::text::fold;
use caunoi_store::testing::{Backend, backends};

use crate::helpers::spawn_app;

#[tokio::test]
async fn search_without_diacritics_finds_what_the_accented_query_finds() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let all: serde_json::Value = app.get("/api/v1/vacancies/search?open=false&sort=newest&per_page=5").await.json().await.unwrap();
        assert_eq!(all["total"], 120, "on {}", app.db.backend_name());
        let title = all["hits"][0]["title"].as_str().unwrap().to_owned();
        let accented: serde_json::Value =
            app.client.get(format!("{}/api/v1/vacancies/search", app.address)).query(&[("q", title.as_str()), ("open", "false")]).send().await.unwrap().json().await.unwrap();
        let plain: serde_json::Value = app
            .client
            .get(format!("{}/api/v1/vacancies/search", app.address))
            .query(&[("q", fold(&title).as_str()), ("open", "false")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(plain["total"].as_u64().unwrap() >= 1, "{title}");
        assert_eq!(plain["total"], accented["total"], "{title}");
        assert!(plain["hits"].as_array().unwrap().iter().any(|h| h["title"] == title.as_str()), "{title}");
        let facets = &plain["facets"]["markets"];
        assert!(facets.is_array());
    }
}

#[tokio::test]
async fn filters_facets_and_typeahead() {
    let app = spawn_app(Backend::Sqlite).await;
    let overseas: serde_json::Value = app.get("/api/v1/vacancies/search?open=false&overseas=true&per_page=100").await.json().await.unwrap();
    let total = overseas["total"].as_u64().unwrap();
    assert!(total > 0 && total < 120);
    let markets = overseas["facets"]["markets"].as_array().unwrap();
    assert!(markets.iter().all(|m| m[0] != "VN"), "{markets:?}");
    assert_eq!(markets.iter().map(|m| m[1].as_u64().unwrap()).sum::<u64>(), total);

    let suggestions: serde_json::Value = app.get("/api/v1/vacancies/complete?q=ha%20n").await.json().await.unwrap();
    let places: Vec<&str> =
        suggestions.as_array().unwrap().iter().filter(|s| s["kind"] == "place").map(|s| s["text"].as_str().unwrap()).collect();
    assert!(places.contains(&"Thành phố Hà Nội"), "{suggestions}");
}

#[tokio::test]
async fn bad_parameters_name_the_field_in_vietnamese() {
    let app = spawn_app(Backend::Sqlite).await;
    for (path, field) in [
        ("/api/v1/vacancies/search?isco=72a", "isco"),
        ("/api/v1/vacancies/search?near=99999", "near"),
        ("/api/v1/vacancies/search?sort=cheapest", "sort"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 422, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    // Any text is a valid query.
    let odd = app.get("/api/v1/vacancies/search?q=%22%27%29%28%F0%9F%98%80%20OR%201%3D1").await;
    assert_eq!(odd.status(), 200);
}
