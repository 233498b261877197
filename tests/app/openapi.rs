//! The OpenAPI 3.1 document: generated from the handlers, served by the running server, every
//! documented operation routed and exercised by this test suite; the docs UI loads offline.

use caunoi_store::testing::Backend;
use serde_json::Value;

use crate::helpers::spawn_app;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// `(method, path template)` of every operation in the document.
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    found
}

/// Whether `candidate` (a path as written in a test, perhaps with `{}` placeholders or a
/// query) is an instance of `template` (`/api/v1/workers/{id}`).
fn instance_of(candidate: &str, template: &str) -> bool {
    let candidate = candidate.split('?').next().unwrap_or_default();
    let (a, b): (Vec<&str>, Vec<&str>) = (candidate.split('/').collect(), template.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || (y.starts_with('{') && !x.is_empty()))
}

/// The string literals of the test sources that look like our paths.
fn paths_in_tests() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app");
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "openapi.rs") {
            continue; // this file only reads the document; it proves nothing about use
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for piece in source.split('"').skip(1).step_by(2) {
            // Also `"{}/api/v1/…"`, formatted with the server's address.
            if let Some(start) = piece.find("/api/") {
                paths.push(piece[start..].to_owned());
            } else if piece == "/health" || piece == "/ready" {
                paths.push(piece.to_owned());
            }
        }
    }
    paths
}

#[tokio::test]
async fn every_api_route_is_documented_routed_and_exercised_and_the_docs_work_offline() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"), "{}", document["openapi"]);
    assert_eq!(document, serde_json::to_value(caunoi_api::openapi_document()).unwrap(), "the server serves the generated document");

    let operations = operations(&document);
    assert!(operations.len() >= 36, "{} operations", operations.len());
    let used = paths_in_tests();
    for (method, path, operation) in &operations {
        // Documented ⇒ routed: the router answers something other than its fallback 404.
        let url = format!("{}{}", app.address, path.replace(['{', '}'], ""));
        let request = app.client.request(method.to_uppercase().parse().unwrap(), url);
        let response = request.header("content-type", "application/json").body("{}").send().await.unwrap();
        let status = response.status();
        assert_ne!(status, 405, "{method} {path} is documented but not routed");
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(body["error"]["code"], "NO_SUCH_ROUTE", "{method} {path} is documented but not routed");
        let public = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())));
        if !public {
            assert_eq!(status, 401, "{method} {path} without a session: {body}");
        }
        // Exercised: some test of this suite calls it.
        assert!(used.iter().any(|p| instance_of(p, path)), "no test calls {method} {path}");
        // Described: a success response, and 401 wherever a session is required.
        let responses = operation["responses"].as_object().unwrap();
        assert!(responses.keys().any(|status| status.starts_with('2')), "{method} {path} documents no success");
        assert!(public || responses.contains_key("401"), "{method} {path} needs a session but documents no 401");
        assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} has no tag");
    }
    // Every JSON body names the field at fault when it is incomplete (422), whoever sends it.
    let admin = app.signed_in("admin@example.vn", caunoi_domain::access::Role::Admin).await;
    let mut bodies = 0;
    for (method, path, operation) in &operations {
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        let Some(reference) = schema["$ref"].as_str() else {
            continue; // no body, or a raw batch (the import route reads NDJSON as well)
        };
        let name = reference.rsplit('/').next().unwrap();
        if document["components"]["schemas"][name]["required"].as_array().is_none_or(|r| r.is_empty()) {
            continue; // every field optional: `{}` is a valid body
        }
        let nil = uuid::Uuid::nil().to_string();
        let concrete: Vec<&str> = path.split('/').map(|segment| if segment.starts_with('{') { nil.as_str() } else { segment }).collect();
        let url = format!("{}{}", app.address, concrete.join("/"));
        let request = app.client.request(method.to_uppercase().parse().unwrap(), url).bearer_auth(&admin);
        let response = request.header("content-type", "application/json").body("{}").send().await.unwrap();
        assert_eq!(response.status(), 422, "{method} {path} with an empty body");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["field"].as_str().is_some_and(|f| !f.is_empty()), "{method} {path}: {body}");
        bodies += 1;
    }
    assert!(bodies >= 9, "{bodies} JSON bodies checked");
    let bad_id = app.get_as("/api/v1/workers/not-a-uuid", &admin).await;
    assert_eq!(bad_id.status(), 422, "a malformed id is answered in our format");
    assert_eq!(bad_id.json::<Value>().await.unwrap()["error"]["code"], "INVALID_PATH");
    for required in ["/api/v1/vacancies/{id}/candidates", "/api/v1/workers/me/recommendations", "/api/v1/partner/vacancies/changes"] {
        assert!(operations.iter().any(|(_, p, _)| p == required), "{required} missing");
    }
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for schema in ["ErrorBody", "WorkerInput", "VacancyInput", "Vacancy", "WorkerView", "CommuneCode", "Sex"] {
        assert!(schemas.contains_key(schema), "schema {schema} missing");
    }
    assert_eq!(schemas["Sex"]["enum"], serde_json::json!(["male", "female"]), "code enums list exactly what the parser accepts");

    // The docs page and everything it loads come from this server: no CDN, works offline.
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'self'") && !csp.contains("http"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    let mut assets = 0;
    for attribute in ["src=\"", "href=\""] {
        for piece in html.split(attribute).skip(1) {
            let target = piece.split('"').next().unwrap();
            assert!(!target.contains("//"), "the docs page loads {target} from elsewhere");
            let asset = app.get(&format!("/api/docs/{}", target.trim_start_matches("./"))).await;
            assert_eq!(asset.status(), 200, "{target}");
            assets += 1;
        }
    }
    assert!(assets >= 3, "scripts and styles are served: {assets}");
    let initializer = app.get("/api/docs/swagger-initializer.js").await.text().await.unwrap();
    assert!(initializer.contains("/api/openapi.json"), "{initializer}");
}
