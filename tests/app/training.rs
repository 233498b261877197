//! Vocational training over HTTP: staff open a class, seekers find it near them and enrol (the
//! second on the waiting list), a seeker's skill gap for a vacancy points to the class, the
//! support they are entitled to is shown with its legal reference, the class runs and the
//! certificate lands on the profile; the needs survey is entered and imported from XLSX (all or
//! nothing, other areas refused) and summed against vacancies; other areas are refused.

use std::num::NonZeroU32;

use caunoi_domain::access::Role;
use caunoi_domain::records::*;
use caunoi_domain::*;
use caunoi_store::testing::backends;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

fn staff_of(commune: &str) -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse(commune).unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

/// A seeker of Phường Ba Đình with a profile (poor household, so state support applies).
async fn seeker(app: &TestApp, login: &str, cccd: &str, phone: &str) -> (String, String) {
    let token = app.signed_in(login, Role::Seeker { worker: None }).await;
    let profile = json!({
        "full_name": "Hà Văn Tuấn", "sex": "male", "date_of_birth": "15/03/2000", "cccd": cccd, "phone": phone,
        "residence_commune": "00004", "skills": ["đọc bản vẽ"], "priority_groups": ["poor_household"],
        "desired": {"title": "Thợ hàn", "occupation": "7212", "willing_abroad": false}, "consents": ["matching"]
    });
    let created = app.post("/api/v1/workers/me", Some(&token), profile).await;
    assert_eq!(created.status(), 201);
    let id = json_of(created).await["id"].as_str().unwrap().to_owned();
    (token, id)
}

/// An open welding vacancy in the commune that requires "hàn TIG".
async fn welding_vacancy(app: &TestApp) -> VacancyId {
    let employer = Employer {
        id: EmployerId::new(),
        name: "Công ty Cơ khí Đông Anh".into(),
        kind: EmployerKind::Domestic,
        tax_code: None,
        province_code: ProvinceCode::parse("01").unwrap(),
        commune_code: Some(CommuneCode::parse("00004").unwrap()),
        address: None,
        phone: None,
        email: None,
    };
    let vacancy = Vacancy {
        id: VacancyId::new(),
        employer_id: employer.id,
        title: "Thợ hàn TIG".into(),
        description: "Hàn kết cấu thép không gỉ.".into(),
        occupation: IscoCode::parse("7212").unwrap(),
        employment_type: EmploymentType::FullTime,
        quantity: NonZeroU32::new(4).unwrap(),
        salary: SalaryRange::new(Some(9_000_000), Some(12_000_000), Currency::Vnd, PayPeriod::Month, false).unwrap(),
        salary_text: "9 - 12 triệu".into(),
        workplace: Workplace::Domestic { commune_code: CommuneCode::parse("00004").unwrap() },
        requirements: Requirements { must_have: vec![Requirement::Skill("hàn TIG".into())], nice_to_have: vec![] },
        deadline: None,
        fair_id: None,
        status: VacancyStatus::Open,
        posted_at: Utc::now(),
    };
    let id = vacancy.id;
    caunoi_store::bulk::write(
        &app.db.store,
        caunoi_store::bulk::Batch { employers: vec![employer], vacancies: vec![vacancy], ..Default::default() },
    )
    .await
    .unwrap();
    id
}

fn survey_sheet(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["Ho va ten", "Ma xa", "Nghe muon hoc", "Can ho tro"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_class_is_found_joined_closes_a_gap_and_certifies() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let staff = app.signed_in("hoc-nghe@example.vn", staff_of("00004")).await;
        let stranger = app.signed_in("xa-khac@example.vn", staff_of("00097")).await;

        let provider = json!({"name": "Trung tâm GDNN Ba Đình", "kind": "centre", "commune_code": "00004", "address": null, "registration_no": null});
        assert_eq!(app.post("/api/v1/training/providers", Some(&stranger), provider.clone()).await.status(), 403);
        let provider = json_of(app.post("/api/v1/training/providers", Some(&staff), provider).await).await;
        let providers = json_of(app.get("/api/v1/training/providers?area=00004&q=ba dinh").await).await;
        assert_eq!(providers.as_array().unwrap().len(), 1, "{providers}");

        let starts = caunoi_api::today() + Duration::days(30);
        let class = json!({
            "provider_id": provider["id"], "title": "Hàn TIG cơ bản", "trade": "7212", "skills": ["hàn TIG"], "level": "so_cap",
            "commune_code": "00004", "venue": "Xưởng thực hành", "starts_on": starts, "ends_on": starts + Duration::days(90),
            "capacity": 1, "funding": {"kind": "state_supported"}, "status": "enrolling"
        });
        let created = app.post("/api/v1/training/classes", Some(&staff), class).await;
        assert_eq!(created.status(), 201);
        let class = json_of(created).await;
        let id = class["id"].as_str().unwrap().to_owned();
        let near = json_of(app.get("/api/v1/training/classes?upcoming=true&near=00008&radius_km=20").await).await;
        assert_eq!(near[0]["id"].as_str(), Some(id.as_str()), "{near}");
        let one = json_of(app.get(&format!("/api/v1/training/classes/{id}")).await).await;
        assert_eq!(one["seats_left"], 1);

        // Two seekers: one seat, then the waiting list.
        let (first, first_id) = seeker(&app, "tuan@example.vn", "001200012345", "0987654321").await;
        let (second, second_id) = seeker(&app, "minh@example.vn", "001200054321", "0912345678").await;
        let enrolled = json_of(app.post(&format!("/api/v1/training/classes/{id}/enrolments"), Some(&first), json!({})).await).await;
        assert_eq!((enrolled["status"].as_str(), enrolled["source"].as_str()), (Some("enrolled"), Some("online")));
        let waiting = app.post(&format!("/api/v1/training/classes/{id}/enrolments"), Some(&second), json!({})).await;
        assert_eq!(waiting.status(), 201);
        assert_eq!(json_of(waiting).await["waiting_position"], 1);
        assert_eq!(app.post(&format!("/api/v1/training/classes/{id}/enrolments"), Some(&second), json!({})).await.status(), 409);
        let mine = json_of(app.get_as("/api/v1/workers/me/training", &second).await).await;
        assert_eq!(mine[0]["status"], "waiting");

        // The second seeker lacks "hàn TIG" for the vacancy: the class is suggested.
        let vacancy = welding_vacancy(&app).await;
        let gaps = json_of(app.get_as(&format!("/api/v1/training/suggestions?vacancy_id={vacancy}"), &second).await).await;
        let gap = gaps.as_array().unwrap().iter().find(|g| g["missing_vi"].as_str().unwrap().contains("hàn TIG")).unwrap();
        assert_eq!(gap["classes"][0]["class_id"].as_str(), Some(id.as_str()), "{gaps}");
        assert!(gap["classes"][0]["message_vi"].as_str().unwrap().contains("khai giảng"), "{gap}");
        // Staff of another commune may not look at this worker's gaps.
        let refused = app.get_as(&format!("/api/v1/training/suggestions?vacancy_id={vacancy}&worker_id={second_id}"), &stranger).await;
        assert_eq!(refused.status(), 403);

        // Support for a poor household at a state-supported sơ cấp class, with its legal basis.
        let support = json_of(app.get_as(&format!("/api/v1/training/support?class_id={id}"), &first).await).await;
        let tuition = support.as_array().unwrap().iter().find(|s| s["support"]["item"] == "tuition").unwrap();
        assert!(tuition["support"]["legal_ref"].as_str().unwrap().contains("46/2015"), "{tuition}");
        assert_eq!(tuition["support"]["verified"], false, "recalled amounts say so");

        // The waiting seeker withdraws; the class runs; only its area's staff move it.
        let withdrawn = json_of(app.delete_as(&format!("/api/v1/training/classes/{id}/enrolments/{second_id}"), &second).await).await;
        assert_eq!(withdrawn["withdrawn"]["status"], "withdrawn");
        let start = json!({"to": "running", "on": starts});
        assert_eq!(app.post(&format!("/api/v1/training/classes/{id}/transitions"), Some(&stranger), start.clone()).await.status(), 403);
        let running = json_of(app.post(&format!("/api/v1/training/classes/{id}/transitions"), Some(&staff), start).await).await;
        assert_eq!(running["status"], "running");
        let marked = app.post(&format!("/api/v1/training/classes/{id}/attendance"), Some(&staff), json!({"on": starts, "present": [first_id]})).await;
        assert_eq!(json_of(marked).await[0]["attendance"]["days_present"], 1);
        let listed = json_of(app.get_as(&format!("/api/v1/training/classes/{id}/enrolments"), &staff).await).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);

        let result = json!({"worker_id": first_id, "passed": true, "certificate_number": "SC-0001", "issued_on": starts + Duration::days(90)});
        let done = json_of(app.post(&format!("/api/v1/training/classes/{id}/results"), Some(&staff), result).await).await;
        assert_eq!(done["certificate"]["kind"], "so_cap_certificate");
        let profile = json_of(app.get_as("/api/v1/workers/me", &first).await).await;
        assert_eq!(profile["certificates"][0]["number"], "SC-0001", "{profile}");
        // The certificate is kept when the seeker edits their profile.
        let mut edit = profile.clone();
        edit["date_of_birth"] = json!("15/03/2000");
        edit["consents"] = json!(["matching"]);
        let edited = json_of(app.put("/api/v1/workers/me", &first, edit).await).await;
        assert_eq!(edited["certificates"].as_array().unwrap().len(), 1, "{edited}");

        let follow = json!({"worker_id": first_id, "outcome": "employed", "on": starts + Duration::days(300)});
        assert_eq!(app.post(&format!("/api/v1/training/classes/{id}/follow-ups"), Some(&staff), follow).await.status(), 200);
        assert_eq!(json_of(app.get_as("/api/v1/training/follow-ups/due", &staff).await).await, json!([]));
        let period = format!("from={}&to={}", starts, starts + Duration::days(400));
        let graduates = json_of(app.get_as(&format!("/api/v1/training/graduates?{period}"), &staff).await).await;
        assert_eq!((graduates["graduates"].as_u64(), graduates["with_work"].as_u64()), (Some(1), Some(1)), "{graduates}");
        assert_eq!(app.get_as("/api/v1/training/graduates?area=00097", &staff).await.status(), 403);
    }
}

#[tokio::test]
async fn the_survey_is_entered_imported_and_summed_against_vacancies() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let staff = app.signed_in("dieu-tra@example.vn", staff_of("00004")).await;
        let today = caunoi_api::today();
        let answer = json!({
            "commune_code": "00004", "worker_id": null, "respondent_name": "Lò Thị Mai", "sex": "female", "birth_year": 1996,
            "trades": [{"text": "thợ hàn", "occupation": null}], "preferred_time": "off_season", "preferred_place": null,
            "needs_support": true, "priority_groups": ["ethnic_minority"], "source": "walk_in", "fair_id": null, "surveyed_on": today
        });
        let mut other = answer.clone();
        other["commune_code"] = json!("00097");
        assert_eq!(app.post("/api/v1/training/survey", Some(&staff), json!({"responses": [other]})).await.status(), 403);
        let recorded = json_of(app.post("/api/v1/training/survey", Some(&staff), json!({"responses": [answer]})).await).await;
        assert_eq!(recorded["imported"], 1, "{recorded}");

        // A sheet with a bad row: nothing written, the row named; then the fixed sheet.
        let bad = survey_sheet(&[["Nguyễn Văn Bình", "00004", "may công nghiệp", "có"], ["Trần Văn Cường", "00004", "", "không"]]);
        let import = |bytes: Vec<u8>| {
            app.client.post(format!("{}/api/v1/training/survey/import", app.address)).bearer_auth(&staff).body(bytes).send()
        };
        let refused = json_of(import(bad).await.unwrap()).await;
        assert_eq!((refused["imported"].as_u64(), refused["rejected"][0]["row"].as_u64()), (Some(0), Some(3)), "{refused}");
        assert_eq!(refused["rejected"][0]["code"], "survey.trades");
        let elsewhere = json_of(import(survey_sheet(&[["Lê Văn Dũng", "00097", "thợ hàn", ""]])).await.unwrap()).await;
        assert_eq!(elsewhere["rejected"][0]["code"], "survey.outside_area", "{elsewhere}");
        let good = survey_sheet(&[["Nguyễn Văn Bình", "4", "may công nghiệp; thợ hàn", "có"], ["Trần Văn Cường", "", "thợ hàn", "không"]]);
        assert_eq!(json_of(import(good).await.unwrap()).await["imported"], 2);

        let summary = json_of(app.get_as("/api/v1/training/survey/summary", &staff).await).await;
        assert_eq!(summary["respondents"], 3, "{summary}");
        assert_eq!(summary["by_commune"]["00004"]["need_support"], 2);
        let welding = summary["by_trade"].as_object().unwrap().iter().find(|(code, _)| code.starts_with("721")).map(|(_, c)| c["people"].clone());
        assert_eq!(welding, Some(json!(3)), "welders classified from the text: {summary}");

        welding_vacancy(&app).await;
        let balance = json_of(app.get_as("/api/v1/training/balance?area=00004", &staff).await).await;
        let row = balance.as_array().unwrap().iter().find(|r| r["trade"] == "7212").unwrap();
        assert!(row["vacancy_places"].as_u64().unwrap() >= 4, "{row}");
        assert_eq!(json_of(app.get_as("/api/v1/training/leads", &staff).await).await, json!([]));
        assert_eq!(app.get_as("/api/v1/training/survey/summary?area=00097", &staff).await.status(), 403);
    }
}
