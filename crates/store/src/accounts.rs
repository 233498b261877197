//! Accounts, sessions, partner API keys, login throttling and the audit log.
//!
//! Secrets never rest in the database in usable form: passwords as Argon2id hashes, session
//! cookies and API keys as SHA-256 digests of 256-bit random tokens. Throttling counts failed
//! logins in the database, so it holds across stateless API nodes.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use caunoi_domain::access::{Actor, Role, RoleKind};
use caunoi_domain::records::{EmployerId, WorkerId};
use caunoi_domain::{CommuneCode, PhoneNumber, ProvinceCode, ValidationError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entities::{account, api_key, audit_entry, login_attempt, session};
use crate::error::{StoreError, StoreResult};
use crate::Store;

/// How long a web session lasts.
pub const SESSION_DAYS: i64 = 14;
/// Failed logins for one login name within the window before further attempts are refused.
pub const MAX_FAILED_LOGINS: u64 = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    #[serde(skip)]
    pub role: Role,
    pub role_kind: RoleKind,
    pub disabled: bool,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor { account_id: self.id, role: self.role.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub password: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("Sai tên đăng nhập hoặc mật khẩu.")]
    InvalidCredentials,
    #[error("Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {retry_after_minutes} phút.")]
    Throttled { retry_after_minutes: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An e-mail address (lower-cased) or a Vietnamese phone number (normalised): one person, one login.
pub fn normalize_login(login: &str) -> Result<String, ValidationError> {
    let login = caunoi_domain::text::normalize(login);
    if login.contains('@') {
        let lower = login.to_lowercase();
        let valid = lower.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.') && !domain.starts_with('.'));
        if valid && lower.len() <= 200 && !lower.contains(' ') {
            return Ok(lower);
        }
        return Err(ValidationError::new(
            "login",
            "login.email",
            "Địa chỉ thư điện tử không hợp lệ.",
            "The e-mail address is not valid.",
        ));
    }
    PhoneNumber::parse(&login).map(|phone| phone.as_str().to_owned()).map_err(|e| e.for_field("login"))
}

fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::corrupt("password", "-", e))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A fresh 256-bit token, URL-safe.
fn new_token() -> String {
    random_token::<32>()
}

/// `N` bytes from the operating system's CSPRNG as URL-safe base64 without padding
/// (4 characters per 3 bytes): session tokens, API keys, fair tickets.
pub(crate) fn random_token<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn role_columns(role: &Role) -> (Option<String>, Option<String>, Option<Uuid>, Option<Uuid>) {
    match role {
        Role::Seeker { worker } => (None, None, None, worker.map(|w| w.0)),
        Role::Employer { employer, .. } => (None, None, Some(employer.0), None),
        Role::CommuneStaff { commune, province } => (Some(province.as_str().to_owned()), Some(commune.as_str().to_owned()), None, None),
        Role::ProvinceStaff { province } => (Some(province.as_str().to_owned()), None, None, None),
        Role::Admin => (None, None, None, None),
    }
}

async fn account_from_row(store: &Store, row: account::Model) -> StoreResult<Account> {
    let corrupt = |reason: &str| StoreError::corrupt("account", row.id, reason);
    let kind = RoleKind::parse(&row.role).ok_or_else(|| corrupt("unknown role"))?;
    let province = || row.scope_province_code.as_deref().and_then(|p| ProvinceCode::parse(p).ok()).ok_or_else(|| corrupt("missing province"));
    let role = match kind {
        RoleKind::Seeker => Role::Seeker { worker: row.worker_id.map(WorkerId) },
        RoleKind::Employer => {
            let employer = row.employer_id.ok_or_else(|| corrupt("missing employer"))?;
            let kind = crate::records::get_employer(store, EmployerId(employer)).await?.kind;
            Role::Employer {
                employer: EmployerId(employer),
                placement_enterprise: matches!(kind, caunoi_domain::records::EmployerKind::PlacementEnterprise { .. }),
            }
        }
        RoleKind::CommuneStaff => Role::CommuneStaff {
            commune: row.scope_commune_code.as_deref().and_then(|c| CommuneCode::parse(c).ok()).ok_or_else(|| corrupt("missing commune"))?,
            province: province()?,
        },
        RoleKind::ProvinceStaff => Role::ProvinceStaff { province: province()? },
        RoleKind::Admin => Role::Admin,
    };
    Ok(Account { id: row.id, login: row.login, display_name: row.display_name, role, role_kind: kind, disabled: row.disabled })
}

/// Creates an account. The login must be unused; the password at least 8 characters.
pub async fn create_account(store: &Store, new: NewAccount) -> StoreResult<Account> {
    let login = normalize_login(&new.login)?;
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ValidationError::new(
            "password",
            "password.too_short",
            format!("Mật khẩu phải có ít nhất {MIN_PASSWORD_CHARS} ký tự."),
            format!("The password must have at least {MIN_PASSWORD_CHARS} characters."),
        )
        .into());
    }
    let display_name = caunoi_domain::text::normalize(&new.display_name);
    if display_name.is_empty() || display_name.chars().count() > 150 {
        return Err(ValidationError::new("display_name", "display_name.length", "Tên hiển thị phải có từ 1 đến 150 ký tự.", "The display name must have 1 to 150 characters.").into());
    }
    if let Role::CommuneStaff { commune, province } = &new.role {
        let unit = caunoi_domain::AdminCatalog::embedded().require_commune(commune).map_err(|e| e.for_field("scope_commune_code"))?;
        if &unit.province_code != province {
            return Err(ValidationError::new("scope_province_code", "scope.mismatch", "Xã không thuộc tỉnh đã chọn.", "The commune is not in that province.").into());
        }
    }
    let password = new.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::corrupt("password", "-", e))??;
    let (scope_province_code, scope_commune_code, employer_id, worker_id) = role_columns(&new.role);
    let id = Uuid::now_v7();
    let row = account::ActiveModel {
        id: Set(id),
        login: Set(login.clone()),
        password_hash: Set(password_hash),
        display_name: Set(display_name.clone()),
        role: Set(new.role.kind().code().to_owned()),
        scope_province_code: Set(scope_province_code),
        scope_commune_code: Set(scope_commune_code),
        employer_id: Set(employer_id),
        worker_id: Set(worker_id),
        disabled: Set(false),
        created_at: Set(Utc::now()),
    };
    account::Entity::insert(row).exec(store.connection()).await.map_err(|e| {
        StoreError::from_write(e, |_| {
            Some(StoreError::conflict("login", "login.taken", "Tên đăng nhập này đã được dùng.", "This login is already taken."))
        })
    })?;
    Ok(Account { id, login, display_name, role_kind: new.role.kind(), role: new.role, disabled: false })
}

/// Whether an account already uses this login (after normalisation).
pub async fn login_taken(store: &Store, login: &str) -> StoreResult<bool> {
    let login = normalize_login(login)?;
    Ok(account::Entity::find().filter(account::Column::Login.eq(login)).count(store.connection()).await? > 0)
}

pub async fn get_account(store: &Store, id: Uuid) -> StoreResult<Account> {
    let row = account::Entity::find_by_id(id)
        .one(store.connection())
        .await?
        .ok_or_else(|| StoreError::NotFound { entity: "account", id: id.to_string() })?;
    account_from_row(store, row).await
}

/// Checks a login and password, refusing while too many recent attempts failed.
pub async fn authenticate(store: &Store, login: &str, password: &str, now: DateTime<Utc>) -> Result<Account, LoginError> {
    let login = normalize_login(login).map_err(|_| LoginError::InvalidCredentials)?;
    let window_start = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Login.eq(&login))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::AttemptedAt.gt(window_start))
        .count(store.connection())
        .await
        .map_err(StoreError::from)?;
    if failures >= MAX_FAILED_LOGINS {
        return Err(LoginError::Throttled { retry_after_minutes: THROTTLE_WINDOW_MINUTES });
    }
    let row = account::Entity::find().filter(account::Column::Login.eq(&login)).one(store.connection()).await.map_err(StoreError::from)?;
    let hash = row.as_ref().map(|r| r.password_hash.clone());
    let password = password.to_owned();
    // Verify even for an unknown login, so response time does not reveal which logins exist.
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    let ok = verified && row.as_ref().is_some_and(|r| !r.disabled);
    login_attempt::Entity::insert(login_attempt::ActiveModel {
        id: NotSet,
        login: Set(login),
        succeeded: Set(ok),
        attempted_at: Set(now),
    })
    .exec(store.connection())
    .await
    .map_err(StoreError::from)?;
    match row {
        Some(row) if ok => Ok(account_from_row(store, row).await?),
        _ => Err(LoginError::InvalidCredentials),
    }
}

/// Starts a web session; returns the token for the cookie (only its digest is stored).
pub async fn start_session(store: &Store, account_id: Uuid, now: DateTime<Utc>) -> StoreResult<String> {
    let token = new_token();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(digest(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
    })
    .exec(store.connection())
    .await?;
    Ok(token)
}

/// The account behind a session token, if the session exists, has not expired and the account
/// is not disabled.
pub async fn session_account(store: &Store, token: &str, now: DateTime<Utc>) -> StoreResult<Option<Account>> {
    let Some(session) = session::Entity::find_by_id(digest(token)).one(store.connection()).await? else { return Ok(None) };
    if session.expires_at <= now {
        return Ok(None);
    }
    let account = get_account(store, session.account_id).await?;
    Ok((!account.disabled).then_some(account))
}

pub async fn end_session(store: &Store, token: &str) -> StoreResult<()> {
    session::Entity::delete_by_id(digest(token)).exec(store.connection()).await?;
    Ok(())
}

/// Issues a partner API key for an account; returns the key (shown once).
pub async fn issue_api_key(store: &Store, account_id: Uuid, label: &str) -> StoreResult<String> {
    let key = format!("cn_{}", new_token());
    api_key::Entity::insert(api_key::ActiveModel {
        key_hash: Set(digest(&key)),
        account_id: Set(account_id),
        label: Set(caunoi_domain::text::normalize(label)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    })
    .exec(store.connection())
    .await?;
    Ok(key)
}

pub async fn api_key_account(store: &Store, key: &str) -> StoreResult<Option<Account>> {
    let Some(row) = api_key::Entity::find_by_id(digest(key)).one(store.connection()).await? else { return Ok(None) };
    if row.revoked_at.is_some() {
        return Ok(None);
    }
    let account = get_account(store, row.account_id).await?;
    Ok((!account.disabled).then_some(account))
}

/// Links a seeker's account to the profile they registered.
pub async fn link_worker(store: &Store, account_id: Uuid, worker: WorkerId) -> StoreResult<()> {
    account::Entity::update_many()
        .col_expr(account::Column::WorkerId, sea_orm::sea_query::Expr::value(worker.0))
        .filter(account::Column::Id.eq(account_id))
        .exec(store.connection())
        .await?;
    Ok(())
}

/// One audited access or change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub at: DateTime<Utc>,
    pub actor_account_id: Option<Uuid>,
    pub actor_role: String,
    /// `read`, `create`, `update`, `export`, `search`…
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// Why it was allowed (`own_profile`, `staff_of_area`, `employer_with_consent`…).
    pub basis: String,
    pub detail: Option<String>,
}

pub async fn audit(store: &Store, record: AuditRecord) -> StoreResult<()> {
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        id: NotSet,
        at: Set(record.at),
        actor_account_id: Set(record.actor_account_id),
        actor_role: Set(record.actor_role),
        action: Set(record.action),
        entity: Set(record.entity),
        entity_id: Set(record.entity_id),
        basis: Set(record.basis),
        detail: Set(record.detail),
    })
    .exec(store.connection())
    .await?;
    Ok(())
}

/// The newest audit records, optionally about one entity.
pub async fn audit_log(store: &Store, entity_id: Option<&str>, limit: u64) -> StoreResult<Vec<AuditRecord>> {
    let mut query = audit_entry::Entity::find().order_by_desc(audit_entry::Column::Id).limit(limit);
    if let Some(id) = entity_id {
        query = query.filter(audit_entry::Column::EntityId.eq(id));
    }
    Ok(query
        .all(store.connection())
        .await?
        .into_iter()
        .map(|row| AuditRecord {
            at: row.at,
            actor_account_id: row.actor_account_id,
            actor_role: row.actor_role,
            action: row.action,
            entity: row.entity,
            entity_id: row.entity_id,
            basis: row.basis,
            detail: row.detail,
        })
        .collect())
}
