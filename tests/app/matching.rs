//! Ranked candidates for a vacancy over HTTP: staff see people of their own area, with the
//! factors of each score and a fairness report; the vacancy's employer sees only people who
//! consented to share with employers, without identity numbers; everyone else is refused.

use caunoi_domain::access::Role;
use caunoi_domain::records::{EmployerId, VacancyStatus, Workplace};
use caunoi_domain::{AdminCatalog, CommuneCode};
use caunoi_store::testing::backends;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

/// A profile living in `commune`, wanting the occupation `isco`.
fn candidate(name: &str, cccd: &str, phone: &str, commune: &str, isco: &str, consents: &[&str]) -> Value {
    json!({
        "full_name": name,
        "sex": "female",
        "date_of_birth": "02/09/1999",
        "cccd": cccd,
        "phone": phone,
        "residence_commune": commune,
        "skills": ["may công nghiệp"],
        "desired": {"occupation": isco, "willing_abroad": false},
        "consents": consents,
    })
}

fn ids_of(list: &Value) -> Vec<String> {
    list["candidates"].as_array().unwrap().iter().map(|c| c["worker"]["id"].as_str().unwrap().to_owned()).collect()
}

async fn register(app: &TestApp, staff: &str, body: Value) -> String {
    let response = app.post("/api/v1/workers", Some(staff), body).await;
    assert_eq!(response.status(), 201);
    json_of(response).await["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn candidates_for_a_vacancy_are_ranked_explained_and_scoped_to_the_caller() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let today = caunoi_api::today();
        let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap();
        let vacancy = vacancies
            .iter()
            .find(|v| !v.workplace.is_overseas() && v.status == VacancyStatus::Open && v.deadline.is_none_or(|d| d >= today))
            .unwrap();
        let Workplace::Domestic { commune_code } = &vacancy.workplace else { unreachable!() };
        let province = AdminCatalog::embedded().commune(commune_code).unwrap().province_code.clone();
        let isco = vacancy.occupation.as_str();
        let staff = app.signed_in("xa@example.vn", Role::CommuneStaff { commune: commune_code.clone(), province: province.clone() }).await;
        let sharing = register(&app, &staff, candidate("Lê Thị Hoa", "001199012345", "0911111111", commune_code.as_str(), isco, &["matching", "share_with_employers"])).await;
        let private = register(&app, &staff, candidate("Trần Thị Mai", "001199054321", "0922222222", commune_code.as_str(), isco, &["matching"])).await;
        // Someone of another commune of the province, registered by that commune's staff.
        let other_commune: CommuneCode = AdminCatalog::embedded()
            .communes()
            .iter()
            .find(|c| c.province_code == province && &c.code != commune_code)
            .unwrap()
            .code
            .clone();
        let other_staff = app.signed_in("xa2@example.vn", Role::CommuneStaff { commune: other_commune.clone(), province: province.clone() }).await;
        let elsewhere = register(&app, &other_staff, candidate("Phạm Thị Lan", "001199067890", "0933333333", other_commune.as_str(), isco, &["matching"])).await;
        app.catch_up().await;
        let path = format!("/api/v1/vacancies/{}/candidates", vacancy.id.0);

        // Staff of the vacancy's commune: their people, ranked and explained, identity masked.
        let response = app.get_as(&format!("{path}?limit=50&radius_km=0&include_ineligible=true"), &staff).await;
        assert_eq!(response.status(), 200, "on {}", app.db.backend_name());
        let list = json_of(response).await;
        let ids = ids_of(&list);
        assert!(ids.contains(&sharing) && ids.contains(&private), "{list}");
        assert!(!ids.contains(&elsewhere), "another commune's worker is outside this staff member's area: {list}");
        let first = &list["candidates"][0];
        assert_eq!(first["rank"], 1);
        let factors = first["explanation"]["score"]["factors"].as_array().unwrap();
        assert!(!factors.is_empty() && factors.iter().all(|f| f["points"].is_number()), "{first}");
        let ranks: Vec<u64> = list["candidates"].as_array().unwrap().iter().map(|c| c["rank"].as_u64().unwrap()).collect();
        assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
        assert!(list["candidates"].as_array().unwrap().iter().all(|c| c["scored"]["score"].is_number()));
        assert!(list["candidates"].as_array().unwrap().iter().all(|c| c["worker"]["cccd"].as_str().is_none_or(|v| v.contains('*'))));
        let fairness = &list["fairness"];
        assert_eq!(fairness["ranked"].as_u64().unwrap() as usize, ids.len(), "{fairness}");
        assert!(fairness["groups"].as_array().unwrap().iter().any(|g| g["attribute"] == "sex"), "{fairness}");

        // Province staff reach both communes.
        let provincial = app.signed_in("tinh@example.vn", Role::ProvinceStaff { province: province.clone() }).await;
        let wide = json_of(app.get_as(&format!("{path}?limit=50&radius_km=0&include_ineligible=true"), &provincial).await).await;
        assert!(ids_of(&wide).contains(&elsewhere) && ids_of(&wide).contains(&sharing), "{wide}");

        // The vacancy's employer: only those who consented to share with employers, no CCCD,
        // no fairness report (it aggregates sensitive categories).
        let owner = app.signed_in("hr@example.vn", Role::Employer { employer: vacancy.employer_id, placement_enterprise: false }).await;
        let seen = json_of(app.get_as(&format!("{path}?limit=50&radius_km=0&include_ineligible=true"), &owner).await).await;
        let seen_ids = ids_of(&seen);
        assert!(seen_ids.contains(&sharing) && !seen_ids.contains(&private) && !seen_ids.contains(&elsewhere), "{seen}");
        assert!(seen["candidates"].as_array().unwrap().iter().all(|c| c["worker"]["cccd"].is_null() && c["worker"].get("ethnicity").is_none()));
        assert!(seen.get("fairness").is_none(), "{seen}");

        // Everyone else is refused; bad filters name the field.
        let other_employer: EmployerId = vacancies.iter().map(|v| v.employer_id).find(|e| *e != vacancy.employer_id).unwrap();
        let stranger = app.signed_in("other-hr@example.vn", Role::Employer { employer: other_employer, placement_enterprise: false }).await;
        let refused = app.get_as(&path, &stranger).await;
        assert_eq!(refused.status(), 403);
        assert_eq!(json_of(refused).await["error"]["code"], "NOT_OWNER");
        let seeker = app.signed_in("seeker@example.vn", Role::Seeker { worker: None }).await;
        assert_eq!(app.get_as(&path, &seeker).await.status(), 403);
        assert_eq!(app.get(&path).await.status(), 401);
        let invalid = app.get_as(&format!("{path}?limit=0"), &staff).await;
        assert_eq!(invalid.status(), 422);
        assert_eq!(json_of(invalid).await["error"]["field"], "limit");
        let other_province = if province.as_str() == "01" { "79" } else { "01" };
        let outside = app.get_as(&format!("{path}?province={other_province}"), &provincial).await;
        assert_eq!(outside.status(), 403, "province staff cannot ask for another province's people");
        assert_eq!(app.get_as(&format!("/api/v1/vacancies/{}/candidates", uuid::Uuid::now_v7()), &staff).await.status(), 404);

        // Every listed profile was audited, with the vacancy as the reason.
        let admin = app.signed_in("admin@example.vn", Role::Admin).await;
        let audit = json_of(app.get_as(&format!("/api/v1/admin/audit?entity_id={sharing}"), &admin).await).await;
        let listed = audit.as_array().unwrap().iter().filter(|r| r["action"] == "candidates").count();
        assert!(listed >= 3, "staff, province staff and employer listings are audited: {audit}");
        assert!(audit.as_array().unwrap().iter().any(|r| r["basis"] == "employer_with_consent"), "{audit}");
    }
}
