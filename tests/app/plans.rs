//! Plans and results over HTTP: staff set targets for their own area (or import a sheet, all or
//! nothing), the results come from the records — a fair held in the commune counts — with % of
//! plan in the Vietnamese format, roll-ups for the province, exports and a chart; every route
//! refuses other areas.

use caunoi_domain::access::Role;
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::backends;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

fn staff_of(commune: &str) -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse(commune).unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

/// A plan sheet with the official headers and these rows.
fn sheet(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["Mã chỉ tiêu", "Địa bàn (mã xã hoặc mã tỉnh)", "Năm", "Quý", "Kế hoạch"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, token: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client.post(format!("{}/api/v1/plans/import", app.address)).bearer_auth(token).body(bytes).send().await.unwrap()
}

/// A fair in the commune that took place (moved to in progress).
async fn hold_fair(app: &TestApp, staff: &str) {
    let plan = json!({
        "code": "PGD-2026-0100", "title": "Ngày hội việc làm phường Ba Đình", "organiser": "Trung tâm Dịch vụ việc làm Hà Nội",
        "commune_code": "00004", "venue": "Nhà văn hóa", "starts_at": "2026-11-10T01:00:00Z", "ends_at": "2026-11-10T09:00:00Z"
    });
    let fair = json_of(app.post("/api/v1/fairs", Some(staff), plan).await).await;
    let id = fair["id"].as_str().unwrap();
    for to in ["announced", "registration_open", "in_progress"] {
        assert_eq!(app.post(&format!("/api/v1/fairs/{id}/status"), Some(staff), json!({"to": to})).await.status(), 200);
    }
}

#[tokio::test]
async fn plans_are_set_per_area_and_results_come_from_the_records() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let catalogue = json_of(app.get("/api/v1/indicators").await).await;
        assert!(catalogue.as_array().unwrap().iter().any(|i| i["code"] == "fairs_held"), "{catalogue}");

        let ba_dinh = app.signed_in("badinh@example.vn", staff_of("00004")).await;
        let other = app.signed_in("khac@example.vn", staff_of("00097")).await;
        let province = app.signed_in("tinh@example.vn", Role::ProvinceStaff { province: ProvinceCode::parse("01").unwrap() }).await;
        let seeker = app.signed_in("s@example.vn", Role::Seeker { worker: None }).await;

        // Targets: staff of the area only; bad input names the field.
        let target = json!({"indicator": "fairs_held", "area": "00004", "year": 2026, "target": 2});
        assert_eq!(app.put("/api/v1/plans", &other, target.clone()).await.status(), 403, "on {}", app.db.backend_name());
        assert_eq!(app.put("/api/v1/plans", &seeker, target.clone()).await.status(), 403);
        assert_eq!(app.client.put(format!("{}/api/v1/plans", app.address)).json(&target).send().await.unwrap().status(), 401);
        let unknown = app.put("/api/v1/plans", &ba_dinh, json!({"indicator": "no_such", "area": "00004", "year": 2026, "target": 2})).await;
        assert_eq!(unknown.status(), 422);
        assert_eq!(json_of(unknown).await["error"]["field"], "indicator");
        assert_eq!(app.put("/api/v1/plans", &ba_dinh, json!({"indicator": "fairs_held", "area": "00004", "year": 2026, "quarter": 5, "target": 1})).await.status(), 422);
        assert_eq!(app.put("/api/v1/plans", &ba_dinh, target).await.status(), 200);
        let plans = json_of(app.get_as("/api/v1/plans?year=2026", &ba_dinh).await).await;
        assert_eq!(plans.as_array().unwrap().len(), 1, "{plans}");
        assert_eq!(app.get_as("/api/v1/plans?year=2026&area=00004", &other).await.status(), 403);

        // One fair held: 1 of 2 planned, "50,00%".
        hold_fair(&app, &ba_dinh).await;
        let results = app.get_as("/api/v1/results?year=2026&indicators=fairs_held", &ba_dinh).await;
        assert_eq!(results.status(), 200);
        let results = json_of(results).await;
        let row = &results["rows"][0];
        assert_eq!((row["actual"].as_f64(), row["plan"].as_f64(), row["percent_vi"].as_str()), (Some(1.0), Some(2.0), Some("50,00%")), "{results}");
        assert_eq!(app.get_as("/api/v1/results?year=2026&area=00004", &other).await.status(), 403);
        assert_eq!(app.get_as("/api/v1/results?year=2026&area=01", &ba_dinh).await.status(), 403, "a commune's staff see their commune only");
        assert_eq!(app.get_as("/api/v1/results?year=2026&area=nation", &province).await.status(), 403);
        assert_eq!(app.get_as("/api/v1/results?area=00004", &ba_dinh).await.status(), 422, "a period is needed");

        // The province rolls its communes up, with a row per commune on request.
        let rolled = json_of(app.get_as("/api/v1/results?year=2026&area=01&indicators=fairs_held&breakdown=commune", &province).await).await;
        let rows = rolled["rows"].as_array().unwrap();
        assert!(rows.iter().any(|r| r["area_kind"] == "province" && r["actual"].as_f64() == Some(1.0)), "{rolled}");
        assert!(rows.iter().any(|r| r["area_code"] == "00004" && r["actual"].as_f64() == Some(1.0)), "{rolled}");
        let december = json_of(app.get_as("/api/v1/results?from=2025-12-01&to=2026-01-31&indicators=fairs_held", &ba_dinh).await).await;
        assert_eq!(december["rows"][0]["actual"].as_f64(), Some(0.0), "a range across the year, without the November fair: {december}");

        // A survey figure for a manual indicator.
        let survey = json!({"indicator": "trained_labour_ratio", "area": "00004", "year": 2026, "value": 78.81, "source_note": "Điều tra lao động 2026"});
        assert_eq!(app.put("/api/v1/manual-values", &other, survey.clone()).await.status(), 403);
        assert_eq!(app.put("/api/v1/manual-values", &ba_dinh, survey).await.status(), 200);
        let computed = json!({"indicator": "fairs_held", "area": "00004", "year": 2026, "value": 3, "source_note": "tay"});
        assert_eq!(app.put("/api/v1/manual-values", &ba_dinh, computed).await.status(), 422, "computed indicators are not typed in");

        // Exports and the chart.
        let csv = app.get_as("/api/v1/results?year=2026&format=csv", &ba_dinh).await;
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(csv.text().await.unwrap().contains("fairs_held"));
        let xlsx = app.get_as("/api/v1/results?year=2026&format=xlsx", &ba_dinh).await;
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
        let chart = app.get_as("/api/v1/results/chart.svg?indicator=fairs_held&year=2026", &ba_dinh).await;
        assert_eq!(chart.status(), 200);
        assert!(chart.text().await.unwrap().contains("<svg"));
        assert_eq!(app.get_as("/api/v1/results/chart.svg?indicator=fairs_held&year=2026&area=00004", &other).await.status(), 403);

        // A plan sheet: one bad row refuses the whole sheet, with its row number; rows of
        // another area are refused before anything is read into the database.
        let refused = json_of(import(&app, &ba_dinh, sheet(&[["fair_attendees", "00004", "2026", "", "500"], ["khong_co", "00004", "2026", "", "1"]])).await).await;
        assert_eq!(refused["applied"], 0, "{refused}");
        assert_eq!(refused["rejected"][0]["row"], 3, "{refused}");
        assert_eq!(import(&app, &ba_dinh, sheet(&[["fair_attendees", "00097", "2026", "", "500"]])).await.status(), 403);
        let applied = json_of(import(&app, &ba_dinh, sheet(&[["fair_attendees", "00004", "2026", "4", "500"]])).await).await;
        assert_eq!(applied["applied"], 1, "{applied}");
    }
}
