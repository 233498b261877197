//! Accounts, sessions, throttling, roles and the audit log over HTTP.

use caunoi_domain::access::Role;
use caunoi_store::testing::{Backend, backends};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_seeker_registers_signs_in_and_out() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let created = app.post("/api/v1/accounts", None, json!({"login": "0912 345 678", "password": "mật khẩu dài", "display_name": "Lò Thị Mai", "role": "seeker"})).await;
        assert_eq!(created.status(), 201, "on {}", app.db.backend_name());
        let account: serde_json::Value = created.json().await.unwrap();
        assert_eq!(account["login"], "+84912345678", "the phone is the normalised login");
        assert_eq!(account["role_kind"], "seeker");

        let again = app.post("/api/v1/accounts", None, json!({"login": "0912.345.678", "password": "khác hẳn rồi", "display_name": "X", "role": "seeker"})).await;
        assert_eq!(again.status(), 409, "the same phone in another form is the same login");

        let token = app.sign_in("0912345678", "mật khẩu dài").await;
        let me: serde_json::Value = app.get_as("/api/v1/me", &token).await.json().await.unwrap();
        assert_eq!(me["display_name"], "Lò Thị Mai");
        assert_eq!(app.delete_as("/api/v1/sessions/current", &token).await.status(), 204);
        assert_eq!(app.get_as("/api/v1/me", &token).await.status(), 401, "signed out");
        assert_eq!(app.get("/api/v1/me").await.status(), 401);
    }
}

#[tokio::test]
async fn the_session_cookie_works_like_the_bearer_token() {
    let app = spawn_app(Backend::Sqlite).await;
    app.account("an@example.vn", Role::Seeker { worker: None }).await;
    let response = app.post("/api/v1/sessions", None, json!({"login": "AN@example.vn", "password": "mat-khau-thu"})).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_owned();
    let me = app.client.get(format!("{}/api/v1/me", app.address)).header("cookie", pair).send().await.unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled() {
    let app = spawn_app(Backend::Sqlite).await;
    app.account("binh@example.vn", Role::Seeker { worker: None }).await;
    for _ in 0..5 {
        let wrong = app.post("/api/v1/sessions", None, json!({"login": "binh@example.vn", "password": "sai-mat-khau"})).await;
        assert_eq!(wrong.status(), 401);
        let body: serde_json::Value = wrong.json().await.unwrap();
        assert_eq!(body["error"]["code"], "INVALID_CREDENTIALS");
    }
    // Even the right password is refused while throttled.
    let right = app.post("/api/v1/sessions", None, json!({"login": "binh@example.vn", "password": "mat-khau-thu"})).await;
    assert_eq!(right.status(), 429);
    let body: serde_json::Value = right.json().await.unwrap();
    assert_eq!(body["error"]["code"], "TOO_MANY_ATTEMPTS");
    assert!(body["error"]["message"].as_str().unwrap().contains("thử lại sau"));
}

#[tokio::test]
async fn registration_errors_name_the_field() {
    let app = spawn_app(Backend::Sqlite).await;
    for (body, field) in [
        (json!({"login": "not-a-phone", "password": "mat-khau-thu", "display_name": "A", "role": "seeker"}), "login"),
        (json!({"login": "c@example.vn", "password": "ngan", "display_name": "A", "role": "seeker"}), "password"),
        (json!({"login": "c@example.vn", "password": "mat-khau-thu", "display_name": "A", "role": "admin"}), "role"),
        (json!({"login": "c@example.vn", "password": "mat-khau-thu", "display_name": "A", "role": "employer",
                "employer": {"name": "Công ty A", "tax_code": "0100109106", "province_code": "99"}}), "employer.province_code"),
        (json!({"login": "c@example.vn", "password": "mat-khau-thu", "display_name": "A", "role": "employer",
                "employer": {"name": "Công ty A", "tax_code": "123", "province_code": "01"}}), "employer.tax_code"),
    ] {
        let response = app.post("/api/v1/accounts", None, body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
        assert!(!error["error"]["message"].as_str().unwrap().is_empty());
    }
    // A valid employer registration creates the employer too.
    let ok = app.post("/api/v1/accounts", None, json!({"login": "c@example.vn", "password": "mat-khau-thu", "display_name": "Phòng nhân sự", "role": "employer",
        "employer": {"name": "Công ty TNHH Cơ khí Hòa Phát", "province_code": "01"}})).await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn only_administrators_create_staff_and_read_the_audit_log() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let admin = app.signed_in("admin@example.vn", Role::Admin).await;
        let seeker = app.signed_in("seeker@example.vn", Role::Seeker { worker: None }).await;
        let staff = json!({"login": "xa.badinh@example.vn", "password": "mat-khau-thu", "display_name": "Cán bộ Ba Đình", "role": "commune_staff", "commune_code": "00004"});
        assert_eq!(app.post("/api/v1/admin/accounts", Some(&seeker), staff.clone()).await.status(), 403);
        assert_eq!(app.post("/api/v1/admin/accounts", None, staff.clone()).await.status(), 401);
        let created = app.post("/api/v1/admin/accounts", Some(&admin), staff).await;
        assert_eq!(created.status(), 201, "on {}", app.db.backend_name());
        let missing_scope = app.post("/api/v1/admin/accounts", Some(&admin), json!({"login": "p@example.vn", "password": "mat-khau-thu", "display_name": "P", "role": "province_staff"})).await;
        assert_eq!(missing_scope.status(), 422);
        let body: serde_json::Value = missing_scope.json().await.unwrap();
        assert_eq!(body["error"]["field"], "province_code");

        assert_eq!(app.get_as("/api/v1/admin/audit", &seeker).await.status(), 403);
        assert_eq!(app.get_as("/api/v1/admin/audit", &admin).await.status(), 200);
    }
}

#[tokio::test]
async fn partner_api_keys_authenticate_as_their_account() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.signed_in("admin@example.vn", Role::Admin).await;
    let partner = app.account("partner@example.vn", Role::Seeker { worker: None }).await;
    let issued = app.post("/api/v1/admin/api-keys", Some(&admin), json!({"account_id": partner, "label": "Cổng việc làm tỉnh"})).await;
    assert_eq!(issued.status(), 201);
    let key: serde_json::Value = issued.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("cn_"));
    let me: serde_json::Value = app.get_as("/api/v1/me", &key).await.json().await.unwrap();
    assert_eq!(me["login"], "partner@example.vn");
    assert_eq!(app.get_as("/api/v1/me", "cn_forged").await.status(), 401);
}
