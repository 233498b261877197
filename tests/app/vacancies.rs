//! Vacancies over HTTP: employers draft and edit their own, staff of the area publish, partners
//! read a snapshot and the changes with tombstones; reference data; operational headers.

use caunoi_domain::access::Role;
use caunoi_domain::records::{EmployerId, Workplace};
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::{Backend, backends};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// A domestic employer of the demo data and the commune its first vacancy is in.
async fn domestic_employer(app: &TestApp) -> (EmployerId, String) {
    let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap();
    let vacancy = vacancies.iter().find(|v| !v.workplace.is_overseas()).unwrap();
    let Workplace::Domestic { commune_code } = &vacancy.workplace else { unreachable!() };
    (vacancy.employer_id, commune_code.as_str().to_owned())
}

fn draft(commune: &str) -> Value {
    json!({
        "title": "Thợ hàn điện",
        "description": "Mô tả công việc: hàn kết cấu thép.\nYêu cầu: có chứng chỉ hàn.",
        "occupation": "7212",
        "quantity": 5,
        "salary_text": "8 - 12 triệu",
        "workplace": {"kind": "domestic", "commune_code": commune},
        "deadline": "2030-12-31"
    })
}

fn staff_of(commune: &str) -> Role {
    let code = CommuneCode::parse(commune).unwrap();
    let province = caunoi_domain::AdminCatalog::embedded().commune(&code).unwrap().province_code.clone();
    Role::CommuneStaff { commune: code, province }
}

#[tokio::test]
async fn an_employer_drafts_staff_of_the_area_publish_and_partners_follow_the_changes() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (employer, commune) = domestic_employer(&app).await;
        let hr = app.signed_in("hr@example.vn", Role::Employer { employer, placement_enterprise: false }).await;
        let created = app.post("/api/v1/vacancies", Some(&hr), draft(&commune)).await;
        assert_eq!(created.status(), 201, "on {}", app.db.backend_name());
        let vacancy = json_of(created).await;
        let id = vacancy["id"].as_str().unwrap().to_owned();
        assert_eq!(vacancy["status"], "draft");
        // "8 - 12 triệu" was parsed as the ingestion pipeline parses it (VND has no minor unit).
        assert_eq!((vacancy["salary"]["min"].as_i64(), vacancy["salary"]["max"].as_i64()), (Some(8_000_000), Some(12_000_000)), "{vacancy}");
        assert_eq!(app.get(&format!("/api/v1/vacancies/{id}")).await.status(), 404, "drafts are not public");
        let mine = json_of(app.get_as("/api/v1/vacancies/mine", &hr).await).await;
        assert!(mine.as_array().unwrap().iter().any(|v| v["id"] == id.as_str()));

        let mut edited = draft(&commune);
        edited["title"] = json!("Thợ hàn điện bậc 3");
        assert_eq!(json_of(app.put(&format!("/api/v1/vacancies/{id}"), &hr, edited).await).await["title"], "Thợ hàn điện bậc 3");

        // Only staff of the workplace's commune (or above) publish.
        let elsewhere = if commune == "00004" { "00097" } else { "00004" };
        let other_staff = app.signed_in("other@example.vn", staff_of(elsewhere)).await;
        assert_eq!(app.post(&format!("/api/v1/vacancies/{id}/publish"), Some(&other_staff), json!({})).await.status(), 403);
        assert_eq!(app.post(&format!("/api/v1/vacancies/{id}/publish"), Some(&hr), json!({})).await.status(), 403);
        let staff = app.signed_in("xa@example.vn", staff_of(&commune)).await;
        let partner = app.signed_in("partner@example.vn", Role::Seeker { worker: None }).await;
        let before = json_of(app.get_as("/api/v1/partner/vacancies?limit=1", &partner).await).await["change_seq"].as_i64().unwrap();
        let published = app.post(&format!("/api/v1/vacancies/{id}/publish"), Some(&staff), json!({})).await;
        assert_eq!(published.status(), 200);
        assert_eq!(app.get(&format!("/api/v1/vacancies/{id}")).await.status(), 200, "open vacancies are public");

        let changes = json_of(app.get_as(&format!("/api/v1/partner/vacancies/changes?since={before}"), &partner).await).await;
        let last = changes["changes"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["id"].as_str(), last["operation"].as_str()), (Some(id.as_str()), Some("upsert")));
        let since = changes["next_since"].as_i64().unwrap();
        assert_eq!(app.post(&format!("/api/v1/vacancies/{id}/close"), Some(&hr), json!({})).await.status(), 200);
        let tombstone = json_of(app.get_as(&format!("/api/v1/partner/vacancies/changes?since={since}"), &partner).await).await;
        assert_eq!(tombstone["changes"][0]["operation"], "delete", "a closed vacancy leaves the open set: {tombstone}");
        assert_eq!(app.get("/api/v1/partner/vacancies/changes?since=0").await.status(), 401);
    }
}

#[tokio::test]
async fn vacancy_rules_and_validation() {
    let app = spawn_app(Backend::Sqlite).await;
    let (employer, commune) = domestic_employer(&app).await;
    let hr = app.signed_in("hr@example.vn", Role::Employer { employer, placement_enterprise: false }).await;
    let seeker = app.signed_in("s@example.vn", Role::Seeker { worker: None }).await;
    assert_eq!(app.post("/api/v1/vacancies", Some(&seeker), draft(&commune)).await.status(), 403);
    assert_eq!(app.post("/api/v1/vacancies", None, draft(&commune)).await.status(), 401);
    let mut abroad = draft(&commune);
    abroad["workplace"] = json!({"kind": "overseas", "country": "JP", "programme": "titp", "contract_months": 36});
    let refused = app.post("/api/v1/vacancies", Some(&hr), abroad).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(json_of(refused).await["error"]["code"], "LICENCE_REQUIRED");
    for (field, value, expected) in [
        ("occupation", json!("72a"), "occupation"),
        ("quantity", json!(0), "quantity"),
        ("salary_text", json!("rất nhiều tiền"), "salary_text"),
        ("workplace", json!({"kind": "domestic", "commune_code": "99999"}), "vacancy.workplace.commune_code"),
    ] {
        let mut body = draft(&commune);
        body[field] = value;
        let response = app.post("/api/v1/vacancies", Some(&hr), body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(json_of(response).await["error"]["field"], expected, "{field}");
    }
    // Another employer's vacancy cannot be edited.
    let other = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap().into_iter().find(|v| v.employer_id != employer).unwrap();
    assert_eq!(app.put(&format!("/api/v1/vacancies/{}", other.id.0), &hr, draft(&commune)).await.status(), 403);
}

#[tokio::test]
async fn staff_import_a_batch_and_see_its_rejected_records() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let province = app.signed_in("tinh@example.vn", Role::ProvinceStaff { province: ProvinceCode::parse("01").unwrap() }).await;
        let good = json!({"external_id": "A1", "title": "Công nhân may", "employer_name": "Công ty May Hà Nội", "location": "Phường Ba Đình, Hà Nội", "salary": "7 - 9 triệu", "description": "May công nghiệp", "quantity": 10});
        let bad = json!({"external_id": "A2", "title": "", "employer_name": "Công ty May Hà Nội", "location": "Hà Nội"});
        let body = format!("{good}\n{bad}\n");
        let response = app.client.post(format!("{}/api/v1/vacancies/import?source=test-feed", app.address)).bearer_auth(&province).body(body).send().await.unwrap();
        assert_eq!(response.status(), 200, "on {}", app.db.backend_name());
        let report = json_of(response).await;
        assert_eq!(report["counts"]["quarantined"], 1, "{report}");
        let quarantine = json_of(app.get_as("/api/v1/ingest/quarantine?source=test-feed", &province).await).await;
        assert_eq!(quarantine.as_array().unwrap().len(), 1, "{quarantine}");
        assert!(!quarantine[0]["message"].as_str().unwrap().is_empty());
        let seeker = app.signed_in("s@example.vn", Role::Seeker { worker: None }).await;
        assert_eq!(app.get_as("/api/v1/ingest/quarantine", &seeker).await.status(), 403);
    }
}

#[tokio::test]
async fn reference_data_resolves_old_names_and_operations_headers_are_set() {
    let app = spawn_app(Backend::Sqlite).await;
    let provinces = json_of(app.get("/api/v1/provinces").await).await;
    assert_eq!(provinces.as_array().unwrap().len(), 34);
    let old = json_of(app.get("/api/v1/communes?q=phuc%20xa").await).await;
    assert!(old.as_array().unwrap().iter().any(|c| c["code"] == "00097" && c["matched_old_name"].is_string()), "{old}");
    let welders = json_of(app.get("/api/v1/occupations?q=han&level=4").await).await;
    assert!(welders.as_array().unwrap().iter().any(|o| o["code"] == "7212"), "{welders}");

    let response = app.client.get(format!("{}/api/v1/provinces", app.address)).header("accept-encoding", "gzip").send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(headers.contains_key("x-request-id"));
    assert_eq!(headers["content-encoding"], "gzip");
    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200);
    let huge = app.client.post(format!("{}/api/v1/accounts", app.address)).header("content-type", "application/json").body(vec![b' '; 2 * 1024 * 1024]).send().await.unwrap();
    assert_eq!(huge.status(), 413);
}
