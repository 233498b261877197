//! Worker profiles over HTTP: self-service, walk-in with duplicate detection, consent, export,
//! and least privilege — a commune's staff never reach another commune's workers.

use caunoi_domain::access::Role;
use caunoi_domain::records::EmployerId;
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::{Backend, backends};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A valid profile in Phường Ba Đình (00004, Hà Nội). CCCD 001200012345: Hà Nội, male, born 2000.
fn profile(cccd: &str, phone: &str, commune: &str) -> Value {
    json!({
        "full_name": "Nguyễn Văn Hùng",
        "sex": "male",
        "date_of_birth": "15/03/2000",
        "cccd": cccd,
        "phone": phone,
        "residence_commune": commune,
        "skills": ["hàn TIG", "đọc bản vẽ"],
        "desired": {"title": "Thợ hàn", "occupation": "7212", "willing_abroad": true, "countries": ["JP"]},
        "consents": ["matching"]
    })
}

fn ba_dinh_staff() -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse("00004").unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

fn other_commune_staff() -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse("00097").unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn walk_in(app: &TestApp, staff: &str, body: Value) -> Value {
    let response = app.post("/api/v1/workers", Some(staff), body).await;
    assert_eq!(response.status(), 201);
    json_of(response).await
}

#[tokio::test]
async fn a_seeker_registers_edits_consents_and_exports_their_profile() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let seeker = app.signed_in("hung@example.vn", Role::Seeker { worker: None }).await;
        assert_eq!(app.get_as("/api/v1/workers/me", &seeker).await.status(), 404);
        let created = app.post("/api/v1/workers/me", Some(&seeker), profile("001200012345", "0987654321", "00004")).await;
        assert_eq!(created.status(), 201, "on {}", app.db.backend_name());
        let mine = json_of(app.get_as("/api/v1/workers/me", &seeker).await).await;
        assert_eq!(mine["cccd"], "001200012345", "the owner sees their own numbers");
        assert_eq!(mine["residence_commune_name"], "Phường Ba Đình");
        assert_eq!(app.post("/api/v1/workers/me", Some(&seeker), profile("001200012345", "0987654321", "00004")).await.status(), 409);

        let mut edited = profile("001200012345", "0987654321", "00004");
        edited["skills"] = json!(["hàn TIG", "hàn MIG"]);
        let updated = json_of(app.put("/api/v1/workers/me", &seeker, edited).await).await;
        assert_eq!(updated["skills"][1], "hàn MIG");

        let consents = app.put("/api/v1/workers/me/consents", &seeker, json!({"grant": ["share_with_employers"], "withdraw": ["matching"]})).await;
        assert_eq!(consents.status(), 200);
        let consents = json_of(consents).await;
        let matching = consents.as_array().unwrap().iter().find(|c| c["purpose"] == "matching").unwrap();
        assert!(!matching["withdrawn_at"].is_null(), "withdrawn consent kept with its date");

        let export = json_of(app.get_as("/api/v1/workers/me/export", &seeker).await).await;
        assert_eq!(export["profile"]["full_name"], "Nguyễn Văn Hùng");
        let actions: Vec<&str> = export["access_log"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"create") && actions.contains(&"update") && actions.contains(&"consent"), "{actions:?}");
    }
}

#[tokio::test]
async fn invalid_profiles_are_refused_with_the_field_named() {
    let app = spawn_app(Backend::Sqlite).await;
    let seeker = app.signed_in("a@example.vn", Role::Seeker { worker: None }).await;
    for (field, value, expected) in [
        ("cccd", json!("12345"), "cccd"),
        ("phone", json!("12"), "phone"),
        ("residence_commune", json!("99999"), "worker.residence_commune"),
        ("date_of_birth", json!("31/02/2000"), "date_of_birth"),
    ] {
        let mut body = profile("001200012345", "0987654321", "00004");
        body[field] = value;
        let response = app.post("/api/v1/workers/me", Some(&seeker), body).await;
        assert_eq!(response.status(), 422, "{field}");
        let error = json_of(response).await;
        assert_eq!(error["error"]["field"], expected, "{error}");
    }
    // A CCCD that contradicts the declared birth year.
    let mut body = profile("001200012345", "0987654321", "00004");
    body["date_of_birth"] = json!("15/03/1999");
    let error = json_of(app.post("/api/v1/workers/me", Some(&seeker), body).await).await;
    assert_eq!(error["error"]["code"], "CCCD_MISMATCH");
    assert_eq!(app.post("/api/v1/workers/me", None, profile("001200012345", "0987654321", "00004")).await.status(), 401);
}

#[tokio::test]
async fn walk_in_registration_detects_duplicates_by_cccd_and_phone() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let staff = app.signed_in("xa@example.vn", ba_dinh_staff()).await;
        walk_in(&app, &staff, profile("001200012345", "0987654321", "00004")).await;
        for duplicate in [profile("001200012345", "0911111111", "00004"), profile("001200099999", "+84987654321", "00004")] {
            let response = app.post("/api/v1/workers", Some(&staff), duplicate).await;
            assert_eq!(response.status(), 409, "on {}", app.db.backend_name());
            assert_eq!(json_of(response).await["error"]["code"], "DUPLICATE_WORKER");
        }
        // Staff register only residents of their own commune.
        let elsewhere = app.post("/api/v1/workers", Some(&staff), profile("001200077777", "0922222222", "00097")).await;
        assert_eq!(elsewhere.status(), 403);
        let seeker = app.signed_in("s@example.vn", Role::Seeker { worker: None }).await;
        assert_eq!(app.post("/api/v1/workers", Some(&seeker), profile("001200088888", "0933333333", "00004")).await.status(), 403);
    }
}

#[tokio::test]
async fn commune_staff_cannot_reach_another_communes_workers_on_any_staff_route() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let ba_dinh = app.signed_in("badinh@example.vn", ba_dinh_staff()).await;
        let hong_ha = app.signed_in("hongha@example.vn", other_commune_staff()).await;
        let province = app.signed_in("hanoi@example.vn", Role::ProvinceStaff { province: ProvinceCode::parse("01").unwrap() }).await;
        let worker = walk_in(&app, &ba_dinh, profile("001200012345", "0987654321", "00004")).await;
        let id = worker["id"].as_str().unwrap();

        // Read one profile.
        assert_eq!(app.get_as(&format!("/api/v1/workers/{id}"), &ba_dinh).await.status(), 200);
        let refused = app.get_as(&format!("/api/v1/workers/{id}"), &hong_ha).await;
        assert_eq!(refused.status(), 403, "on {}", app.db.backend_name());
        assert_eq!(json_of(refused).await["error"]["code"], "OUTSIDE_SCOPE");
        assert_eq!(app.get_as(&format!("/api/v1/workers/{id}"), &province).await.status(), 200);
        assert_eq!(app.get(&format!("/api/v1/workers/{id}")).await.status(), 401);

        // Search: the other commune's staff find nothing of Ba Đình, even when asking for it.
        app.catch_up().await;
        let own = json_of(app.get_as("/api/v1/workers/search?q=tho+han", &ba_dinh).await).await;
        assert!(own["hits"].as_array().unwrap().iter().any(|h| h["id"] == id), "{own}");
        assert_eq!(own["hits"][0]["cccd"], "********2345", "lists mask identity numbers");
        let other = json_of(app.get_as("/api/v1/workers/search?q=tho+han", &hong_ha).await).await;
        assert!(!other["hits"].as_array().unwrap().iter().any(|h| h["id"] == id), "{other}");
        assert_eq!(app.get_as("/api/v1/workers/search?commune=00004", &hong_ha).await.status(), 403);
        assert_eq!(app.get("/api/v1/workers/search").await.status(), 401);

        // Register: only in one's own commune (see the walk-in test); the audit log shows the reads.
        let admin = app.signed_in("admin@example.vn", Role::Admin).await;
        let audit = json_of(app.get_as(&format!("/api/v1/admin/audit?entity_id={id}"), &admin).await).await;
        let actions: Vec<(&str, &str)> =
            audit.as_array().unwrap().iter().map(|r| (r["action"].as_str().unwrap(), r["basis"].as_str().unwrap())).collect();
        assert!(actions.contains(&("read", "staff_of_area")) && actions.contains(&("search", "staff_of_area")), "{actions:?}");
        assert!(!audit.to_string().contains("001200012345"), "no identity number in the audit log");
    }
}

#[tokio::test]
async fn employers_see_only_consenting_workers_and_never_their_identity_numbers() {
    let app = spawn_app(Backend::Sqlite).await;
    let staff = app.signed_in("xa@example.vn", ba_dinh_staff()).await;
    let worker = walk_in(&app, &staff, profile("001200012345", "0987654321", "00004")).await;
    let id = worker["id"].as_str().unwrap();
    let employer_id = caunoi_store::records::vacancies_after(&app.db.store, None, 1).await.unwrap()[0].employer_id;
    let employer = app.signed_in("hr@example.vn", Role::Employer { employer: EmployerId(employer_id.0), placement_enterprise: false }).await;
    let refused = app.get_as(&format!("/api/v1/workers/{id}"), &employer).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(json_of(refused).await["error"]["code"], "NO_CONSENT");
    assert_eq!(app.get_as("/api/v1/workers/search", &employer).await.status(), 403, "search is for staff");

    let mut with_consent = profile("001200054321", "0977777777", "00004");
    with_consent["consents"] = json!(["matching", "share_with_employers"]);
    let consenting = walk_in(&app, &staff, with_consent).await;
    let seen = json_of(app.get_as(&format!("/api/v1/workers/{}", consenting["id"].as_str().unwrap()), &employer).await).await;
    assert!(seen["cccd"].is_null(), "{seen}");
    assert!(seen.get("priority_groups").is_none() && seen.get("ethnicity").is_none(), "{seen}");
}

#[tokio::test]
async fn a_seeker_sees_recommendations_explained_and_staff_check_eligibility() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let seeker = app.signed_in("hung@example.vn", Role::Seeker { worker: None }).await;
        assert_eq!(app.get_as("/api/v1/workers/me/recommendations", &seeker).await.status(), 403, "no profile yet");
        // A welder in the commune of a demo welding vacancy, so there is something near to recommend.
        let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap();
        let today = caunoi_api::today();
        let target = vacancies
            .iter()
            .find(|v| {
                !v.workplace.is_overseas()
                    && v.status == caunoi_domain::records::VacancyStatus::Open
                    && v.deadline.is_none_or(|d| d >= today)
            })
            .unwrap();
        let caunoi_domain::records::Workplace::Domestic { commune_code } = &target.workplace else { unreachable!() };
        let mut body = profile("001200012345", "0987654321", commune_code.as_str());
        body["desired"] = json!({"title": target.title, "occupation": target.occupation.as_str(), "willing_abroad": false});
        let created = app.post("/api/v1/workers/me", Some(&seeker), body).await;
        assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
        app.catch_up().await;
        // The account now points at the profile; sign in again for a fresh role.
        let seeker = app.sign_in("hung@example.vn", crate::helpers::PASSWORD).await;
        let response = app.get_as("/api/v1/workers/me/recommendations", &seeker).await;
        assert_eq!(response.status(), 200, "on {}", app.db.backend_name());
        let recommendations = json_of(response).await;
        let list = recommendations.as_array().unwrap();
        assert!(!list.is_empty(), "{recommendations}");
        let first = &list[0];
        assert!(first["title"].is_string());
        let factors = first["explanation"]["score"]["factors"].as_array().unwrap();
        assert!(!factors.is_empty());
        assert!(factors.iter().all(|f| !f["explanation"]["vi"].as_str().unwrap().is_empty()), "every factor is explained: {factors:?}");
        assert!(list.iter().any(|r| r["vacancy_id"] == target.id.0.to_string()), "the welding vacancy next door is recommended");

        // Eligibility: staff of the area only.
        let me = json_of(app.get_as("/api/v1/workers/me", &seeker).await).await;
        let worker = me["id"].as_str().unwrap();
        let path = format!("/api/v1/workers/{worker}/eligibility/{}", target.id.0);
        let area = caunoi_domain::AdminCatalog::embedded().commune(commune_code).unwrap().province_code.clone();
        let staff = app.signed_in("xa@example.vn", Role::CommuneStaff { commune: commune_code.clone(), province: area }).await;
        let result = app.get_as(&path, &staff).await;
        assert_eq!(result.status(), 200);
        let eligibility = json_of(result).await;
        assert!(!eligibility["results"].as_array().unwrap().is_empty(), "{eligibility}");
        assert!(eligibility["outcome"].is_string(), "{eligibility}");
        let elsewhere = if commune_code.as_str() == "00004" { other_commune_staff() } else { ba_dinh_staff() };
        let other = app.signed_in("other@example.vn", elsewhere).await;
        assert_eq!(app.get_as(&path, &other).await.status(), 403);
        assert_eq!(app.get_as(&path, &seeker).await.status(), 403);
    }
}
