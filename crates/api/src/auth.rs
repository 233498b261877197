//! Who is calling: a session cookie (web) or a bearer token (a session token or a partner API
//! key). Authorisation decisions themselves live in `caunoi_domain::access`.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use caunoi_domain::access::{Actor, Role};
use caunoi_store::accounts::{self, Account};

use crate::{ApiError, AppState};

pub const SESSION_COOKIE: &str = "caunoi_session";

/// The credential a request carries, if any.
fn credential(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) {
        return Some(bearer.trim().to_owned());
    }
    cookie(headers, SESSION_COOKIE).map(str::to_owned)
}

/// The value of one cookie of the request.
pub fn cookie<'h>(headers: &'h HeaderMap, wanted: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.trim())
}

/// The session token of the request (for logging out).
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    credential(headers)
}

pub fn unauthenticated() -> ApiError {
    ApiError::Client {
        status: StatusCode::UNAUTHORIZED,
        code: "UNAUTHENTICATED".into(),
        field: None,
        message_vi: "Bạn cần đăng nhập để dùng chức năng này.".into(),
        message_en: "You need to sign in to use this.".into(),
    }
}

pub fn forbidden(code: &str, message_vi: &str, message_en: &str) -> ApiError {
    ApiError::Client { status: StatusCode::FORBIDDEN, code: code.into(), field: None, message_vi: message_vi.into(), message_en: message_en.into() }
}

/// A signed-in caller.
pub struct Caller(pub Account);

impl Caller {
    pub fn actor(&self) -> Actor {
        self.0.actor()
    }

    pub fn role(&self) -> &Role {
        &self.0.role
    }

    /// Staff of any level, or a 403.
    pub fn require_staff(&self) -> Result<(), ApiError> {
        if self.0.role.is_staff() {
            Ok(())
        } else {
            Err(forbidden("STAFF_ONLY", "Chức năng này chỉ dành cho cán bộ.", "Only staff may use this."))
        }
    }

    /// The caller's employer, or a 403 for everyone else.
    pub fn employer(&self) -> Result<caunoi_domain::records::EmployerId, ApiError> {
        match &self.0.role {
            Role::Employer { employer, .. } => Ok(*employer),
            _ => Err(forbidden("EMPLOYERS_ONLY", "Chức năng này dành cho doanh nghiệp.", "Only employers may use this.")),
        }
    }

    /// A seeker's profile, if registered yet; a 403 for other roles.
    pub fn own_worker(&self) -> Result<Option<caunoi_domain::records::WorkerId>, ApiError> {
        match &self.0.role {
            Role::Seeker { worker } => Ok(*worker),
            _ => Err(forbidden("SEEKERS_ONLY", "Chức năng này dành cho người tìm việc.", "Only job seekers may use this.")),
        }
    }

    /// A seeker's profile, or a 404 `NO_PROFILE` while they have none.
    pub fn profile(&self) -> Result<caunoi_domain::records::WorkerId, ApiError> {
        self.own_worker()?.ok_or_else(|| ApiError::Client {
            status: StatusCode::NOT_FOUND,
            code: "NO_PROFILE".into(),
            field: None,
            message_vi: "Bạn chưa có hồ sơ người lao động; hãy đăng ký hồ sơ trước.".into(),
            message_en: "You have no worker profile yet; register one first.".into(),
        })
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.0.role == Role::Admin {
            Ok(())
        } else {
            Err(forbidden("ADMIN_ONLY", "Chức năng này chỉ dành cho quản trị viên.", "Only administrators may use this."))
        }
    }
}

async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Account>, ApiError> {
    let Some(token) = credential(&parts.headers) else { return Ok(None) };
    if token.starts_with("cn_") {
        return Ok(accounts::api_key_account(&state.store, &token).await?);
    }
    Ok(accounts::session_account(&state.store, &token, chrono::Utc::now()).await?)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        resolve(parts, state).await?.map(Caller).ok_or_else(unauthenticated)
    }
}

impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        Ok(resolve(parts, state).await?.map(Caller))
    }
}
