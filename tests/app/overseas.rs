//! Overseas contract labour over HTTP: staff record a licence, the enterprise posts a job order
//! with its itemised costs (the fee guard refuses an overcharge), publishing waits for the
//! supply contract's approval, the public verification answers, and a worker goes through the
//! pipeline with documents, checklist, history, worklist and support policies — each step
//! refusing the wrong caller.

use caunoi_domain::access::Role;
use caunoi_domain::records::EmployerId;
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::backends;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

pub(crate) fn details(service_fee_vnd: i64) -> Value {
    json!({
        "vacancy_id": uuid::Uuid::nil(),
        "code": "DH-2026-0042",
        "sector": "Chế biến thực phẩm",
        "working_hours": "8 giờ/ngày, 5 ngày/tuần",
        "supply_contract": {"reference": "HĐCU-2026/15", "foreign_partner": "Kanto Food Cooperative", "status": "submitted", "submitted_on": "2026-10-01"},
        "interview_dates": ["2026-12-15"],
        "costs": [
            {"item": "service_fee", "amount": {"amount_minor": service_fee_vnd, "currency": "vnd"}, "payer": "worker"},
            {"item": "fund_contribution", "amount": {"amount_minor": 100000, "currency": "vnd"}, "payer": "worker"}
        ],
        "exchange_rate": {"currency": "jpy", "vnd_per_thousand_units": 170000, "on": "2026-11-25", "source": "Vietcombank, tỷ giá bán"}
    })
}

/// A demo employer with a tax code, to be licensed as a placement enterprise.
async fn employer_with_tax_code(app: &TestApp) -> caunoi_domain::records::Employer {
    for vacancy in caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap() {
        let employer = caunoi_store::records::get_employer(&app.db.store, vacancy.employer_id).await.unwrap();
        if employer.tax_code.is_some() {
            return employer;
        }
    }
    panic!("the demo data has an employer with a tax code")
}

/// A licensed enterprise's job order for Japan, approved and published, with a lawful fee
/// schedule (code `DH-2026-0042`); returns the order's id and title. The steps' refusals are
/// the business of the test below.
pub(crate) async fn published_job_order(app: &TestApp) -> (String, String) {
    let enterprise = employer_with_tax_code(app).await;
    let province = app.signed_in("tinh-don-hang@example.vn", Role::ProvinceStaff { province: enterprise.province_code.clone() }).await;
    let licence = json!({"number": "123/LĐTBXH-GP", "issued_on": "2022-03-01", "valid_until": "2029-06-30"});
    assert_eq!(app.put(&format!("/api/v1/overseas/enterprises/{}/licence", enterprise.id.0), &province, licence).await.status(), 200);
    let hr = app.signed_in("hr-don-hang@example.vn", Role::Employer { employer: EmployerId(enterprise.id.0), placement_enterprise: true }).await;
    let title = "Chế biến thực phẩm tại Chiba";
    let draft = json!({
        "title": title, "description": "Đơn hàng thực tập sinh kỹ năng 3 năm.", "occupation": "7514", "quantity": 2,
        "salary": {"min": 180000, "max": null, "currency": "jpy", "period": "month", "negotiable": false},
        "salary_text": "180.000 yên/tháng", "workplace": {"kind": "overseas", "country": "JP", "programme": "titp", "contract_months": 36}
    });
    let order = json_of(app.post("/api/v1/vacancies", Some(&hr), draft).await).await["id"].as_str().unwrap().to_owned();
    assert_eq!(app.put(&format!("/api/v1/overseas/job-orders/{order}"), &hr, details(40_000_000)).await.status(), 200);
    let approval = json!({"decision_no": "1234/QLLĐNN-TT", "approved_on": "2026-11-20"});
    assert_eq!(app.post(&format!("/api/v1/overseas/job-orders/{order}/approval"), Some(&province), approval).await.status(), 200);
    assert_eq!(app.post(&format!("/api/v1/vacancies/{order}/publish"), Some(&province), json!({})).await.status(), 200);
    app.catch_up().await;
    (order, title.to_owned())
}

/// A seeker with a profile in Ba Đình who wants to work in Japan, signed in again afterwards.
async fn seeker(app: &TestApp, login: &str, cccd: &str, phone: &str) -> (String, String) {
    let token = app.signed_in(login, Role::Seeker { worker: None }).await;
    let body = json!({
        "full_name": "Trần Văn Nam", "sex": "male", "date_of_birth": "12/04/2001", "cccd": cccd, "phone": phone,
        "residence_commune": "00004", "desired": {"title": "Chế biến thực phẩm", "willing_abroad": true, "countries": ["JP"]},
        "consents": ["matching"]
    });
    let created = app.post("/api/v1/workers/me", Some(&token), body).await;
    assert_eq!(created.status(), 201);
    let id = json_of(created).await["id"].as_str().unwrap().to_owned();
    (app.sign_in(login, PASSWORD).await, id)
}

async fn move_to(app: &TestApp, registration: &str, token: &str, to: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/overseas/registrations/{registration}/transitions"), Some(token), json!({"to": to})).await
}

#[tokio::test]
async fn a_job_order_is_licensed_approved_published_verified_and_a_worker_goes_through_the_pipeline() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let commune = app.signed_in("xa@example.vn", Role::CommuneStaff { commune: CommuneCode::parse("00004").unwrap(), province: ProvinceCode::parse("01").unwrap() }).await;

        // A licence, recorded by province staff (commune staff may not).
        let enterprise = employer_with_tax_code(&app).await;
        // Province staff of the enterprise's seat record its licence and publish its orders.
        let province = app.signed_in("tinh@example.vn", Role::ProvinceStaff { province: enterprise.province_code.clone() }).await;
        let licence_path = format!("/api/v1/overseas/enterprises/{}/licence", enterprise.id.0);
        let licence = json!({"number": "123/LĐTBXH-GP", "issued_on": "2022-03-01", "valid_until": "2029-06-30"});
        assert_eq!(app.put(&licence_path, &commune, licence.clone()).await.status(), 403);
        let licensed = app.put(&licence_path, &province, licence).await;
        assert_eq!(licensed.status(), 200, "on {}", app.db.backend_name());
        let listing = json_of(app.get("/api/v1/overseas/enterprises?q=123%2FL%C4%90TBXH-GP").await).await;
        assert!(listing.as_array().unwrap().iter().any(|e| e["licensed"] == true), "{listing}");

        // The enterprise drafts a job order and its details; an overcharge is refused.
        let hr = app.signed_in("hr@example.vn", Role::Employer { employer: EmployerId(enterprise.id.0), placement_enterprise: true }).await;
        let draft = json!({
            "title": "Chế biến thực phẩm tại Chiba", "description": "Đơn hàng thực tập sinh kỹ năng 3 năm.", "occupation": "7514",
            "quantity": 2, "salary": {"min": 180000, "max": null, "currency": "jpy", "period": "month", "negotiable": false},
            "salary_text": "180.000 yên/tháng", "workplace": {"kind": "overseas", "country": "JP", "programme": "titp", "contract_months": 36}
        });
        let created = app.post("/api/v1/vacancies", Some(&hr), draft).await;
        assert_eq!(created.status(), 201);
        let order = json_of(created).await["id"].as_str().unwrap().to_owned();
        let order_path = format!("/api/v1/overseas/job-orders/{order}");
        assert_eq!(app.put(&order_path, &province, details(40_000_000)).await.status(), 403, "only the enterprise edits its order");
        let saved = app.put(&order_path, &hr, details(200_000_000)).await;
        assert_eq!(saved.status(), 200, "a draft may still be wrong");
        assert_eq!(json_of(saved).await["places_left"], 2);
        assert_eq!(app.get(&order_path).await.status(), 404, "a draft order is not public");

        // Publishing waits for the supply contract's approval and fees within the ceiling.
        let publish = format!("/api/v1/vacancies/{order}/publish");
        let early = app.post(&publish, Some(&province), json!({})).await;
        assert_eq!(early.status(), 422, "not approved yet");
        let approval = json!({"decision_no": "1234/QLLĐNN-TT", "approved_on": "2026-11-20"});
        assert_eq!(app.post(&format!("/api/v1/overseas/job-orders/{order}/approval"), Some(&hr), approval.clone()).await.status(), 403);
        assert_eq!(app.post(&format!("/api/v1/overseas/job-orders/{order}/approval"), Some(&province), approval).await.status(), 200);
        let overcharged = app.post(&publish, Some(&province), json!({})).await;
        assert_eq!(overcharged.status(), 422, "a service fee over the legal ceiling");
        let overcharged = json_of(overcharged).await;
        assert!(overcharged["error"]["code"].as_str().unwrap().contains("FEE"), "{overcharged}");
        assert_eq!(app.put(&order_path, &hr, details(40_000_000)).await.status(), 200);
        let published = app.post(&publish, Some(&province), json!({})).await;
        assert_eq!(published.status(), 200, "{}", published.text().await.unwrap());
        let public = json_of(app.get(&order_path).await).await;
        assert_eq!(public["vacancy"]["status"], "open", "{public}");

        // The anti-broker check, by order code.
        let verdict = json_of(app.get("/api/v1/overseas/verify?q=DH-2026-0042").await).await;
        let checked = &verdict["orders"][0];
        assert_eq!(checked["places_left"], 2, "{verdict}");
        assert!(!checked["costs"].as_array().unwrap().is_empty(), "{verdict}");

        // A worker registers for the order and goes through the selection stages.
        let (worker, worker_id) = seeker(&app, "nam@example.vn", "001201012345", "0912000001").await;
        let registered = app.post("/api/v1/overseas/registrations", Some(&worker), json!({"job_order_id": order, "country": "JP", "programme": "titp"})).await;
        assert_eq!(registered.status(), 201);
        let registration = json_of(registered).await;
        assert_eq!(registration["stage"], "lead", "{registration}");
        let id = registration["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/overseas/registrations/{id}");
        assert_eq!(app.get_as(&path, &worker).await.status(), 200);
        let (other, _) = seeker(&app, "khac@example.vn", "001201054321", "0912000002").await;
        assert_eq!(app.get_as(&path, &other).await.status(), 403);
        assert_eq!(app.get(&path).await.status(), 401);
        // The worker's own status page lists it; another seeker's lists only theirs.
        let mine = json_of(app.get_as("/api/v1/workers/me/overseas", &worker).await).await;
        assert_eq!((mine.as_array().unwrap().len(), mine[0]["id"].as_str()), (1, Some(id.as_str())), "{mine}");
        assert_eq!(json_of(app.get_as("/api/v1/workers/me/overseas", &other).await).await, json!([]));
        assert_eq!(app.get("/api/v1/workers/me/overseas").await.status(), 401);
        assert_eq!(move_to(&app, &id, &worker, "counselled").await.status(), 403, "the worker may only withdraw");
        for to in ["counselled", "applied", "prescreened", "selected"] {
            let moved = move_to(&app, &id, &commune, to).await;
            assert_eq!(moved.status(), 200, "to {to}: {}", moved.text().await.unwrap());
        }
        let jump = move_to(&app, &id, &commune, "departed").await;
        assert_eq!(jump.status(), 422, "departure needs the stages and documents before it");
        let history = json_of(app.get_as(&format!("/api/v1/overseas/registrations/{id}/history"), &commune).await).await;
        assert_eq!(history.as_array().unwrap().len(), 5, "registration and four moves: {history}");
        let candidates = json_of(app.get_as(&format!("/api/v1/overseas/job-orders/{order}/registrations"), &hr).await).await;
        assert!(candidates.as_array().unwrap().iter().any(|r| r["id"] == id.as_str()), "{candidates}");
        assert_eq!(app.get_as(&format!("/api/v1/overseas/job-orders/{order}/registrations"), &worker).await.status(), 403);

        // Documents and the checklist of what the programme needs.
        let documents = format!("/api/v1/overseas/registrations/{id}/documents");
        let passport = json!({"id": uuid::Uuid::nil(), "kind": "passport", "number": "C1234567", "issued_on": "2025-01-10", "expires_on": "2035-01-10"});
        assert_eq!(app.post(&documents, Some(&other), passport.clone()).await.status(), 403);
        assert_eq!(app.post(&documents, Some(&commune), passport).await.status(), 201);
        assert_eq!(json_of(app.get_as(&documents, &commune).await).await.as_array().unwrap().len(), 1);
        let checklist = json_of(app.get_as(&format!("/api/v1/overseas/registrations/{id}/checklist"), &worker).await).await;
        assert!(!checklist.as_array().unwrap().is_empty(), "{checklist}");
        let policies = app.get_as(&format!("/api/v1/overseas/registrations/{id}/support-policies"), &commune).await;
        assert_eq!(policies.status(), 200);
        let worklist = app.get_as("/api/v1/overseas/worklist", &commune).await;
        assert_eq!(worklist.status(), 200);
        assert!(json_of(worklist).await.is_array());
        assert_eq!(app.get_as("/api/v1/overseas/worklist", &worker).await.status(), 403);

        // A market-only registration gets its order later; the worker may withdraw.
        let (third, _) = seeker(&app, "ba@example.vn", "001201067890", "0912000003").await;
        let open = json_of(app.post("/api/v1/overseas/registrations", Some(&third), json!({"country": "JP", "programme": "titp"})).await).await;
        let open_id = open["id"].as_str().unwrap().to_owned();
        let assigned = app.post(&format!("/api/v1/overseas/registrations/{open_id}/job-order"), Some(&commune), json!({"job_order_id": order})).await;
        assert_eq!(assigned.status(), 200, "{}", assigned.text().await.unwrap());
        let withdrawn = app.post(&format!("/api/v1/overseas/registrations/{open_id}/transitions"), Some(&third), json!({"to": "withdrawn", "reason": "Gia đình không đồng ý"})).await;
        assert_eq!(withdrawn.status(), 200, "{}", withdrawn.text().await.unwrap());

        // Every read and move of the worker's registration by others was audited.
        let admin = app.signed_in("admin@example.vn", Role::Admin).await;
        let audit = json_of(app.get_as(&format!("/api/v1/admin/audit?entity_id={worker_id}"), &admin).await).await;
        assert!(audit.as_array().unwrap().iter().any(|r| r["action"] == "overseas_move"), "{audit}");
    }
}
