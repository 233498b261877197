//! Registration, sign-in and sign-out, the caller's own account; administrators create staff
//! accounts, issue partner keys and read the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use caunoi_domain::access::{Role, RoleKind};
use caunoi_domain::records::{Employer, EmployerId, EmployerKind};
use caunoi_domain::{CommuneCode, ProvinceCode, ValidationError};
use caunoi_store::accounts::{self, Account, AuditRecord, LoginError, NewAccount};

use crate::auth::{Caller, SESSION_COOKIE, session_token};
use crate::error::ErrorBody;
use crate::extract::{Body, Params};
use crate::openapi::{Conflict, Forbidden, Invalid, NotFound, TooMany, Unauthenticated};
use crate::{ApiError, AppState};

/// A domestic employer as it registers itself (placement enterprises are created by staff,
/// who check the licence).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct EmployerDetails {
    name: String,
    tax_code: Option<caunoi_domain::TaxCode>,
    province_code: ProvinceCode,
    commune_code: Option<CommuneCode>,
    address: Option<String>,
    phone: Option<caunoi_domain::PhoneNumber>,
    email: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Registration {
    login: String,
    /// At least 8 characters.
    password: String,
    display_name: String,
    /// `seeker` or `employer`.
    #[schema(example = "seeker")]
    role: String,
    employer: Option<EmployerDetails>,
}

pub fn invalid(error: ValidationError) -> ApiError {
    ApiError::from(caunoi_store::StoreError::Invalid(error))
}

fn cookie(token: &str, max_age_seconds: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}")
}

/// `POST /api/v1/accounts` — a seeker or a domestic employer registers.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", security(()), request_body = Registration,
    responses((status = 201, description = "Tài khoản đã tạo — account created", body = Account), Invalid, Conflict))]
pub async fn register(State(state): State<AppState>, Body(registration): Body<Registration>) -> Result<(StatusCode, Json<Account>), ApiError> {
    let role = match (registration.role.as_str(), registration.employer) {
        ("seeker", _) => Role::Seeker { worker: None },
        ("employer", Some(details)) => {
            // Refuse a taken login before creating the employer record.
            if accounts::login_taken(&state.store, &registration.login).await? {
                return Err(caunoi_store::StoreError::Conflict {
                    field: "login",
                    code: "login.taken",
                    message_vi: "Tên đăng nhập này đã được dùng.".into(),
                    message_en: "This login is already taken.".into(),
                }
                .into());
            }
            let employer = Employer {
                id: EmployerId(uuid::Uuid::now_v7()),
                name: details.name,
                kind: EmployerKind::Domestic,
                tax_code: details.tax_code,
                province_code: details.province_code,
                commune_code: details.commune_code,
                address: details.address,
                phone: details.phone,
                email: details.email,
            };
            let id = employer.id;
            caunoi_store::records::insert_employer(&state.store, employer).await?;
            Role::Employer { employer: id, placement_enterprise: false }
        }
        ("employer", None) => {
            return Err(invalid(ValidationError::new(
                "employer",
                "employer.required",
                "Tài khoản doanh nghiệp cần thông tin doanh nghiệp (tên, mã số thuế, tỉnh).",
                "An employer account needs the employer's details (name, tax code, province).",
            )));
        }
        _ => {
            return Err(invalid(ValidationError::new(
                "role",
                "role.self_service",
                "Chỉ người tìm việc và doanh nghiệp tự đăng ký được; tài khoản cán bộ do quản trị viên cấp.",
                "Only seekers and employers register themselves; staff accounts are created by administrators.",
            )));
        }
    };
    let account = accounts::create_account(
        &state.store,
        NewAccount { login: registration.login, password: registration.password, display_name: registration.display_name, role },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    login: String,
    password: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    account: Account,
    /// Also set as an HttpOnly cookie; API clients may send it as `Authorization: Bearer …`.
    token: String,
}

/// `POST /api/v1/sessions` — sign in; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "accounts", security(()), request_body = Credentials,
    responses((status = 200, description = "Đã đăng nhập; cookie `caunoi_session` được đặt — signed in", body = SignedIn),
        (status = 401, description = "Sai tên đăng nhập hoặc mật khẩu — INVALID_CREDENTIALS", body = ErrorBody), TooMany, Invalid))]
pub async fn sign_in(State(state): State<AppState>, Body(credentials): Body<Credentials>) -> Result<Response, ApiError> {
    let now = chrono::Utc::now();
    let account = accounts::authenticate(&state.store, &credentials.login, &credentials.password, now).await.map_err(|e| match e {
        LoginError::InvalidCredentials => ApiError::Client {
            status: StatusCode::UNAUTHORIZED,
            code: "INVALID_CREDENTIALS".into(),
            field: None,
            message_vi: e.to_string(),
            message_en: "Wrong login or password.".into(),
        },
        LoginError::Throttled { retry_after_minutes } => ApiError::Client {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "TOO_MANY_ATTEMPTS".into(),
            field: None,
            message_vi: e.to_string(),
            message_en: format!("Too many failed sign-ins; try again in {retry_after_minutes} minutes."),
        },
        LoginError::Store(store) => store.into(),
    })?;
    let token = accounts::start_session(&state.store, account.id, now).await?;
    let max_age = accounts::SESSION_DAYS * 24 * 3600;
    Ok(([(SET_COOKIE, cookie(&token, max_age))], Json(SignedIn { account, token })).into_response())
}

/// `DELETE /api/v1/sessions/current` — sign out.
#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "accounts",
    responses((status = 204, description = "Đã đăng xuất — signed out"), Unauthenticated))]
pub async fn sign_out(State(state): State<AppState>, _caller: Caller, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = session_token(&headers) {
        accounts::end_session(&state.store, &token).await?;
    }
    Ok(([(SET_COOKIE, cookie("", 0))], StatusCode::NO_CONTENT).into_response())
}

/// `GET /api/v1/me`
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, description = "Tài khoản đang đăng nhập — the caller's account", body = Account), Unauthenticated))]
pub async fn me(caller: Caller) -> Json<Account> {
    Json(caller.0)
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct StaffAccount {
    login: String,
    password: String,
    display_name: String,
    /// `commune_staff`, `province_staff`, `admin`, or `employer` (for a placement enterprise
    /// or an employer created by staff).
    role: String,
    province_code: Option<ProvinceCode>,
    commune_code: Option<CommuneCode>,
    employer_id: Option<uuid::Uuid>,
}

fn scope_missing(field: &str) -> ApiError {
    invalid(ValidationError::new(
        field.to_owned(),
        "scope.required",
        "Cần chọn địa bàn (tỉnh, xã) hoặc doanh nghiệp cho tài khoản này.",
        "This account needs its area (province, commune) or employer.",
    ))
}

/// `POST /api/v1/admin/accounts` — administrators create staff (and verified employer) accounts.
#[utoipa::path(post, path = "/api/v1/admin/accounts", tag = "accounts", request_body = StaffAccount,
    responses((status = 201, description = "Tài khoản đã tạo — account created", body = Account), Unauthenticated, Forbidden, Invalid, Conflict))]
pub async fn create_staff(State(state): State<AppState>, caller: Caller, Body(request): Body<StaffAccount>) -> Result<(StatusCode, Json<Account>), ApiError> {
    caller.require_admin()?;
    let role = match RoleKind::parse(&request.role) {
        Some(RoleKind::CommuneStaff) => {
            let commune = request.commune_code.ok_or_else(|| scope_missing("commune_code"))?;
            let province = caunoi_domain::AdminCatalog::embedded().require_commune(&commune).map_err(|e| invalid(e.for_field("commune_code")))?.province_code.clone();
            Role::CommuneStaff { commune, province }
        }
        Some(RoleKind::ProvinceStaff) => Role::ProvinceStaff { province: request.province_code.ok_or_else(|| scope_missing("province_code"))? },
        Some(RoleKind::Admin) => Role::Admin,
        Some(RoleKind::Employer) => {
            let employer = caunoi_store::records::get_employer(&state.store, EmployerId(request.employer_id.ok_or_else(|| scope_missing("employer_id"))?)).await?;
            Role::Employer { employer: employer.id, placement_enterprise: matches!(employer.kind, EmployerKind::PlacementEnterprise { .. }) }
        }
        Some(RoleKind::Seeker) | None => {
            return Err(invalid(ValidationError::new("role", "role.unknown", "Vai trò không hợp lệ.", "Unknown role.")));
        }
    };
    let account = accounts::create_account(
        &state.store,
        NewAccount { login: request.login, password: request.password, display_name: request.display_name, role },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ApiKeyRequest {
    account_id: uuid::Uuid,
    label: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IssuedKey {
    /// Shown once; only its digest is stored.
    key: String,
}

/// `POST /api/v1/admin/api-keys` — a bearer key for a partner's account.
#[utoipa::path(post, path = "/api/v1/admin/api-keys", tag = "accounts", request_body = ApiKeyRequest,
    responses((status = 201, description = "Khoá mới, chỉ hiện một lần — the new key, shown once", body = IssuedKey), Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn issue_key(State(state): State<AppState>, caller: Caller, Body(request): Body<ApiKeyRequest>) -> Result<(StatusCode, Json<IssuedKey>), ApiError> {
    caller.require_admin()?;
    accounts::get_account(&state.store, request.account_id).await?;
    let key = accounts::issue_api_key(&state.store, request.account_id, &request.label).await?;
    Ok((StatusCode::CREATED, Json(IssuedKey { key })))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only records about this entity (a worker id, say).
    entity_id: Option<String>,
    /// At most this many (default 100, at most 1,000).
    limit: Option<u64>,
}

/// `GET /api/v1/admin/audit` — who read or changed personal data, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "accounts", params(AuditQuery),
    responses((status = 200, description = "Nhật ký truy cập dữ liệu cá nhân — audit records, newest first", body = Vec<AuditRecord>), Unauthenticated, Forbidden))]
pub async fn audit_log(State(state): State<AppState>, caller: Caller, Params(query): Params<AuditQuery>) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    caller.require_admin()?;
    Ok(Json(accounts::audit_log(&state.store, query.entity_id.as_deref(), query.limit.unwrap_or(100).min(1_000)).await?))
}
