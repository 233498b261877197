//! A job fair over HTTP from plan to report: staff of the venue's commune plan and run it, an
//! employer takes a booth, seekers take places (capacity, waiting list, promotion), tickets are
//! checked in exactly once, outcomes are recorded, a schedule is proposed, the report is
//! exported. Every step also refuses the wrong caller and bad input.

use caunoi_domain::access::Role;
use caunoi_domain::records::{VacancyStatus, Workplace};
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::backends;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

fn ba_dinh_staff() -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse("00004").unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

/// A seeker with a profile in Ba Đình, signed in again so the session knows the profile.
pub(crate) async fn seeker(app: &TestApp, login: &str, cccd: &str, phone: &str) -> (String, String) {
    let token = app.signed_in(login, Role::Seeker { worker: None }).await;
    let body = json!({
        "full_name": "Nguyễn Thị Hạnh", "sex": "female", "date_of_birth": "20/10/2001", "cccd": cccd, "phone": phone,
        "residence_commune": "00004", "desired": {"title": "Công nhân may", "occupation": "7533"}, "consents": ["matching"]
    });
    let created = app.post("/api/v1/workers/me", Some(&token), body).await;
    assert_eq!(created.status(), 201);
    let id = json_of(created).await["id"].as_str().unwrap().to_owned();
    (app.sign_in(login, PASSWORD).await, id)
}

async fn move_to(app: &TestApp, fair: &str, staff: &str, to: &str) {
    let response = app.post(&format!("/api/v1/fairs/{fair}/status"), Some(staff), json!({"to": to})).await;
    assert_eq!(response.status(), 200, "to {to}: {}", response.text().await.unwrap());
}

#[tokio::test]
async fn a_fair_runs_from_plan_to_report_over_http() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let staff = app.signed_in("xa@example.vn", ba_dinh_staff()).await;
        let elsewhere = app.signed_in("xa2@example.vn", Role::CommuneStaff { commune: CommuneCode::parse("00097").unwrap(), province: ProvinceCode::parse("01").unwrap() }).await;
        let plan = json!({
            "code": "PGD-2026-0042", "title": "Phiên giao dịch việc làm lưu động phường Ba Đình", "format": "mobile", "kind": "mobile",
            "organiser": "Trung tâm Dịch vụ việc làm Hà Nội", "commune_code": "00004", "venue": "Nhà văn hóa phường",
            "starts_at": "2026-12-10T01:00:00Z", "ends_at": "2026-12-10T09:00:00Z", "capacity": 2,
            "target_groups": ["poor_household"], "co_hosts": ["UBND phường Ba Đình", "Đoàn Thanh niên"]
        });

        // Plan: staff of the venue's commune only; bad dates name the field.
        assert_eq!(app.post("/api/v1/fairs", None, plan.clone()).await.status(), 401);
        assert_eq!(app.post("/api/v1/fairs", Some(&elsewhere), plan.clone()).await.status(), 403);
        let mut backwards = plan.clone();
        backwards["ends_at"] = json!("2026-12-09T01:00:00Z");
        let invalid = app.post("/api/v1/fairs", Some(&staff), backwards).await;
        assert_eq!(invalid.status(), 422);
        assert_eq!(json_of(invalid).await["error"]["field"], "fair.ends_at");
        let created = app.post("/api/v1/fairs", Some(&staff), plan.clone()).await;
        assert_eq!(created.status(), 201, "on {}", app.db.backend_name());
        let fair = json_of(created).await;
        assert_eq!(fair["status"], "draft");
        let id = fair["id"].as_str().unwrap().to_owned();
        assert_eq!(app.post("/api/v1/fairs", Some(&staff), plan).await.status(), 409, "fair codes are unique");

        // Drafts are not public; an illegal move says which moves are possible.
        let public = json_of(app.get("/api/v1/fairs?commune=00004").await).await;
        assert!(!public.as_array().unwrap().iter().any(|f| f["id"] == id.as_str()));
        assert_eq!(app.get(&format!("/api/v1/fairs/{id}")).await.status(), 404);
        let jump = app.post(&format!("/api/v1/fairs/{id}/status"), Some(&staff), json!({"to": "in_progress"})).await;
        assert_eq!(jump.status(), 422);
        let jump = json_of(jump).await;
        assert_eq!(jump["error"]["code"], "FAIR_TRANSITION");
        assert!(jump["error"]["message"].as_str().unwrap().contains("Bản nháp"), "{jump}");
        assert_eq!(app.post(&format!("/api/v1/fairs/{id}/status"), Some(&elsewhere), json!({"to": "announced"})).await.status(), 403);
        move_to(&app, &id, &staff, "announced").await;
        let public = json_of(app.get("/api/v1/fairs?commune=00004").await).await;
        assert!(public.as_array().unwrap().iter().any(|f| f["id"] == id.as_str()), "{public}");
        assert_eq!(app.get(&format!("/api/v1/fairs/{id}")).await.status(), 200);

        // A booth: the employer of an open domestic vacancy asks, staff approve and number it.
        let today = caunoi_api::today();
        let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap();
        let vacancy = vacancies
            .iter()
            .find(|v| matches!(v.workplace, Workplace::Domestic { .. }) && v.status == VacancyStatus::Open && v.deadline.is_none_or(|d| d >= today))
            .unwrap();
        let employer = app.signed_in("hr@example.vn", Role::Employer { employer: vacancy.employer_id, placement_enterprise: false }).await;
        let booth_request = json!({"vacancies": [vacancy.id.0], "slot_capacity": [1, 1]});
        assert_eq!(app.post(&format!("/api/v1/fairs/{id}/booths"), Some(&staff), booth_request.clone()).await.status(), 403, "employers ask for booths");
        let booth = app.post(&format!("/api/v1/fairs/{id}/booths"), Some(&employer), booth_request).await;
        assert_eq!(booth.status(), 201);
        let booth = json_of(booth).await;
        assert_eq!(booth["status"], "requested");
        let booth_id = booth["id"].as_str().unwrap().to_owned();
        let listed = json_of(app.get(&format!("/api/v1/fairs/{id}/booths")).await).await;
        assert!(listed.as_array().unwrap().is_empty(), "requested booths are not public: {listed}");
        let decision_path = format!("/api/v1/fairs/{id}/booths/{booth_id}/decision");
        assert_eq!(app.post(&decision_path, Some(&employer), json!({"approve": true})).await.status(), 403);
        let approved = json_of(app.post(&decision_path, Some(&staff), json!({"approve": true})).await).await;
        assert_eq!((approved["status"].as_str(), approved["number"].as_u64()), (Some("approved"), Some(1)), "{approved}");

        // Places: two for three seekers; the third waits and is promoted when one cancels.
        move_to(&app, &id, &staff, "registration_open").await;
        let (first, _) = seeker(&app, "hanh1@example.vn", "001301012345", "0911000001").await;
        let (second, second_id) = seeker(&app, "hanh2@example.vn", "001301012346", "0911000002").await;
        let (third, third_id) = seeker(&app, "hanh3@example.vn", "001301012347", "0911000003").await;
        let places = format!("/api/v1/fairs/{id}/places");
        for token in [&first, &second] {
            let place = json_of(app.post(&places, Some(token), json!({})).await).await;
            assert_eq!(place["status"], "confirmed", "{place}");
        }
        let waiting = json_of(app.post(&places, Some(&third), json!({})).await).await;
        assert_eq!((waiting["status"].as_str(), waiting["waiting_position"].as_u64()), (Some("waiting"), Some(1)), "{waiting}");
        assert!(waiting["message"].as_str().unwrap().contains("danh sách chờ"));
        assert_eq!(app.post(&places, Some(&third), json!({})).await.status(), 409, "one place per seeker");
        let cancelled = json_of(app.delete_as(&format!("/api/v1/fairs/{id}/places/me"), &first).await).await;
        assert_eq!(cancelled["promoted_worker_id"], third_id.as_str(), "{cancelled}");
        assert_eq!(json_of(app.get_as(&format!("/api/v1/fairs/{id}/places/me"), &third).await).await["status"], "confirmed");

        // Walk-ins on the day: an identified walk-in joins the waiting list (the fair is full);
        // the same person again is matched by CCCD and refused a second place.
        let walk_in = json!({"worker": {"full_name": "Lò Văn Sáng", "sex": "male", "date_of_birth": "1998-05-01", "cccd": "001098012349",
            "phone": "0977000001", "residence_commune": "00004", "consents": ["matching"]}});
        let first_walk_in = json_of(app.post(&places, Some(&staff), walk_in.clone()).await).await;
        assert_eq!((first_walk_in["walk_in"].as_bool(), first_walk_in["matched_existing_profile"].as_bool()), (Some(true), Some(false)), "{first_walk_in}");
        assert_eq!(app.post(&places, Some(&staff), walk_in.clone()).await.status(), 409);
        assert_eq!(app.post(&places, Some(&elsewhere), walk_in).await.status(), 403);
        let list = json_of(app.get_as(&places, &staff).await).await;
        assert_eq!((list["confirmed"].as_u64(), list["waiting"].as_u64()), (Some(2), Some(1)), "{list}");
        assert_eq!(app.get_as(&places, &second).await.status(), 403);

        // The QR ticket holds only the opaque token.
        let ticket = app.get_as(&format!("/api/v1/fairs/{id}/places/me/ticket.svg"), &second).await;
        assert_eq!(ticket.status(), 200);
        assert_eq!(ticket.headers()["content-type"], "image/svg+xml");
        assert!(ticket.text().await.unwrap().contains("<svg"));
        let token = json_of(app.get_as(&format!("/api/v1/fairs/{id}/places/me"), &second).await).await["ticket"].as_str().unwrap().to_owned();

        // Check-in exactly once, while the fair runs.
        let check_ins = format!("/api/v1/fairs/{id}/check-ins");
        let early = app.post(&check_ins, Some(&staff), json!({"ticket": token})).await;
        assert_eq!(early.status(), 422, "not in progress yet");
        move_to(&app, &id, &staff, "in_progress").await;
        let scanned = app.post(&check_ins, Some(&staff), json!({"ticket": token})).await;
        assert_eq!(scanned.status(), 200);
        assert_eq!(json_of(scanned).await["worker_id"], second_id.as_str());
        let again = app.post(&check_ins, Some(&staff), json!({"ticket": token})).await;
        assert_eq!(again.status(), 409);
        let again = json_of(again).await;
        assert_eq!(again["error"]["code"], "ALREADY_CHECKED_IN");
        assert!(again["error"]["message"].as_str().unwrap().contains("đã check-in lúc"), "{again}");
        let unknown = app.post(&check_ins, Some(&staff), json!({"ticket": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})).await;
        assert_eq!(unknown.status(), 404);
        assert_eq!(app.post(&check_ins, Some(&staff), json!({"ticket": "x"})).await.status(), 422);
        assert_eq!(app.post(&check_ins, Some(&elsewhere), json!({"ticket": token})).await.status(), 403);
        let headcounts = format!("/api/v1/fairs/{id}/headcounts");
        assert_eq!(json_of(app.post(&headcounts, Some(&staff), json!({"count": 5})).await).await["anonymous_total"], 5);
        assert_eq!(json_of(app.post(&headcounts, Some(&staff), json!({"count": 3})).await).await["anonymous_total"], 8);

        // At the booth: interest, then the employer records the hire; strangers are refused.
        let interactions = format!("/api/v1/fairs/{id}/interactions");
        let interest = app.post(&interactions, Some(&second), json!({"vacancy_id": vacancy.id.0, "kind": "interested"})).await;
        assert_eq!(interest.status(), 201);
        assert_eq!(app.post(&interactions, Some(&second), json!({"vacancy_id": vacancy.id.0, "kind": "hired_on_spot"})).await.status(), 403);
        let hire = app.post(&interactions, Some(&employer), json!({"worker_id": second_id, "vacancy_id": vacancy.id.0, "kind": "hired_on_spot"})).await;
        assert_eq!(hire.status(), 201);
        let hire_id = json_of(hire).await["id"].as_str().unwrap().to_owned();
        let other_employer = vacancies.iter().map(|v| v.employer_id).find(|e| *e != vacancy.employer_id).unwrap();
        let stranger = app.signed_in("other-hr@example.vn", Role::Employer { employer: other_employer, placement_enterprise: false }).await;
        assert_eq!(app.post(&interactions, Some(&stranger), json!({"worker_id": second_id, "vacancy_id": vacancy.id.0, "kind": "interviewed"})).await.status(), 403);
        assert_eq!(app.post(&interactions, Some(&staff), json!({"vacancy_id": vacancy.id.0, "kind": "cv_taken"})).await.status(), 422, "staff name the seeker");
        assert_eq!(app.post(&interactions, Some(&staff), json!({"worker_id": second_id, "kind": "no_such_kind"})).await.status(), 422);

        // A proposed schedule respects the booth's capacity per slot.
        let proposal = app.post(&format!("/api/v1/fairs/{id}/schedule"), Some(&staff), json!({"max_interviews": 1})).await;
        assert_eq!(proposal.status(), 200);
        let proposal = json_of(proposal).await;
        let interviews = proposal["schedule"]["interviews"].as_array().unwrap();
        for slot in 0..2 {
            assert!(interviews.iter().filter(|i| i["slot"] == slot).count() <= 1, "{proposal}");
        }
        assert_eq!(app.post(&format!("/api/v1/fairs/{id}/schedule"), Some(&employer), json!({})).await.status(), 403);

        // Follow-up: nothing is due on the day; the 30-day check can be recorded.
        let follow_ups = format!("/api/v1/fairs/{id}/follow-ups");
        assert_eq!(json_of(app.get_as(&follow_ups, &staff).await).await, json!([]));
        let check = app.post(&follow_ups, Some(&staff), json!({"interaction_id": hire_id, "day": 30, "status": "started"})).await;
        assert_eq!(check.status(), 201);
        assert_eq!(app.post(&follow_ups, Some(&staff), json!({"interaction_id": hire_id, "day": 45, "status": "started"})).await.status(), 422);

        // Results, report and lock; corrections only as amendments with a reason.
        for to in ["closed", "results_entered", "reported"] {
            move_to(&app, &id, &staff, to).await;
        }
        assert_eq!(app.post(&format!("/api/v1/fairs/{id}/status"), Some(&staff), json!({"to": "closed"})).await.status(), 422, "reported is final");
        let amended = app.post(&format!("/api/v1/fairs/{id}/amendments"), Some(&staff), json!({"field": "venue", "value": "Hội trường UBND phường", "reason": "Đổi địa điểm do mưa"})).await;
        assert_eq!(amended.status(), 200);
        assert_eq!(json_of(amended).await["amendments"], 1);
        let report_path = format!("/api/v1/fairs/{id}/report");
        let report = app.get_as(&report_path, &staff).await;
        assert_eq!(report.status(), 200);
        let report = json_of(report).await;
        assert!(report.is_object(), "{report}");
        let csv = app.get_as(&format!("{report_path}?format=csv"), &staff).await;
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(!csv.text().await.unwrap().is_empty());
        let xlsx = app.get_as(&format!("{report_path}?format=xlsx"), &staff).await;
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "an XLSX file is a zip");
        assert_eq!(app.get_as(&report_path, &elsewhere).await.status(), 403);
        assert_eq!(app.get_as(&format!("{report_path}?format=pdf"), &staff).await.status(), 422);

        let rollup = app.get_as("/api/v1/reports/fairs?period=month&by=commune", &staff).await;
        assert_eq!(rollup.status(), 200);
        assert!(!json_of(rollup).await.as_array().unwrap().is_empty());
        let rollup_csv = app.get_as("/api/v1/reports/fairs?period=quarter&by=province&format=csv", &staff).await;
        assert_eq!(rollup_csv.status(), 200);
        assert_eq!(app.get_as("/api/v1/reports/fairs?period=week&by=commune", &staff).await.status(), 422);
        assert_eq!(app.get_as("/api/v1/reports/fairs?period=month&by=commune", &second).await.status(), 403);
    }
}
