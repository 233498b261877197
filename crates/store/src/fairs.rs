//! Job fairs: plan and life cycle, booths, seekers' places with capacity and a waiting list,
//! QR tickets checked in exactly once, headcounts of anonymous walk-ins, interactions at the
//! booths, 30/90-day follow-ups, and the fair report with roll-ups.
//!
//! Concurrency (both back-ends): every change to a fair's places first bumps the fair's
//! `places_version` row (`UPDATE job_fairs … WHERE id = ?`) inside the transaction, so on
//! PostgreSQL the row lock and on SQLite the write lock serialise registrations, cancellations
//! and promotions of one fair: capacity is never exceeded. A check-in is one conditional
//! `UPDATE … WHERE checked_in_at IS NULL`, so a ticket is checked in exactly once.

use std::collections::HashMap;

use caunoi_domain::ValidationError;
use caunoi_domain::fairs::{
    BoothStatus, FOLLOW_UP_DAYS, FairKind, FollowUpStatus, InteractionKind, PlaceStatus, TicketToken,
};
use caunoi_domain::records::{
    EmployerId, EmployerKind, FairStatus, JobFair, JobFairId, PriorityGroup, VacancyId, VacancyStatus, WorkerId,
    clean_text,
};
use caunoi_domain::text::normalize;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SubsecRound, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{
    fair_amendment, fair_booth, fair_booth_vacancy, fair_follow_up, fair_headcount, fair_interaction, fair_place,
    job_fair, worker_profile,
};
use crate::error::StoreError;
use crate::{Store, StoreResult, mapping};

/// What a fair adds to [`JobFair`]: its kind, how many seekers it takes, for whom, with whom.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairPlan {
    pub kind: Option<FairKind>,
    /// Places for pre-registered and walk-in seekers together; `None`: unlimited.
    pub capacity: Option<u32>,
    pub target_groups: Vec<PriorityGroup>,
    /// Commune people's committees, youth union, VET schools… as written.
    pub co_hosts: Vec<String>,
    pub online_url: Option<String>,
}

/// A fair as stored: the record, its plan, and how many amendments it has had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fair {
    #[serde(flatten)]
    pub fair: JobFair,
    #[serde(flatten)]
    pub plan: FairPlan,
    pub confirmed: u32,
    pub waiting: u32,
    pub checked_in: u32,
    /// Corrections after the report was locked.
    pub amendments: u32,
    /// The venue's commune and province by name ("Phường Ba Đình, Hà Nội"), for people.
    pub place: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairFilter {
    pub province: Option<String>,
    pub commune: Option<String>,
    pub status: Option<FairStatus>,
    /// Only announced and later (not drafts, not cancelled).
    pub public_only: bool,
    /// Fairs starting on or after / before this day.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A correction to a reported (locked) fair: which field, its new value, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amendment {
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: serde_json::Value,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booth {
    pub id: Uuid,
    pub fair_id: JobFairId,
    pub employer_id: EmployerId,
    pub status: BoothStatus,
    /// Given on approval: 1, 2, 3… in order of approval.
    pub number: Option<u32>,
    pub vacancies: Vec<VacancyId>,
    /// Interviews the booth can hold at once, per time slot of the fair.
    pub slot_capacity: Vec<u32>,
    pub requested_at: DateTime<Utc>,
}

/// A seeker's place at a fair.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub id: Uuid,
    pub fair_id: JobFairId,
    pub worker_id: WorkerId,
    pub status: PlaceStatus,
    /// 1-based position on the waiting list (only while waiting).
    pub waiting_position: Option<u32>,
    pub ticket: TicketToken,
    /// Registered by staff on the day.
    pub walk_in: bool,
    pub registered_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// The result of scanning a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    /// Checked in now.
    First(Place),
    /// Scanned before: `checked_in_at` says when ("đã check-in lúc …").
    Again(Place),
}

/// Something that happened between a seeker and a booth, about one vacancy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interaction {
    pub id: Uuid,
    pub fair_id: JobFairId,
    pub worker_id: WorkerId,
    pub vacancy_id: Option<VacancyId>,
    pub employer_id: Option<EmployerId>,
    pub kind: InteractionKind,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    pub recorded_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    pub id: Uuid,
    /// The `hired_on_spot` interaction followed up.
    pub interaction_id: Uuid,
    /// 30 or 90.
    pub day: u16,
    pub status: FollowUpStatus,
    pub checked_on: NaiveDate,
    pub recorded_by: Option<Uuid>,
}

/// A hire whose 30- or 90-day check is due and not yet recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueFollowUp {
    pub interaction_id: Uuid,
    pub worker_id: WorkerId,
    pub vacancy_id: Option<VacancyId>,
    pub day: u16,
    pub due_on: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

pub(crate) use caunoi_domain::vietnam_date;

/// Midnight in Vietnam at the start of `day`, as UTC.
pub(crate) fn vietnam_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - Duration::hours(7)
}

/// PostgreSQL keeps microseconds: trimming first makes what a call returns equal what a later
/// read gives back, on both back-ends.
fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn invalid(
    field: &'static str,
    code: &'static str,
    message_vi: impl Into<String>,
    message_en: impl Into<String>,
) -> StoreError {
    StoreError::Invalid(ValidationError::new(field, code, message_vi, message_en))
}

fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

fn count_u32(n: i64) -> u32 {
    u32::try_from(std::cmp::max(n, 0)).unwrap_or(u32::MAX)
}

/// Plain data serialises to JSON without fail.
fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

fn fair_status(row: &job_fair::Model) -> StoreResult<FairStatus> {
    FairStatus::parse(&row.status).map_err(|e| StoreError::corrupt("job_fair", row.id, format!("status: {e}")))
}

/// A reported fair is locked: only amendments change it.
fn require_unlocked(status: FairStatus) -> StoreResult<()> {
    if status.is_locked() {
        return Err(invalid(
            "status",
            "fair.locked",
            "Phiên đã báo cáo và đã khóa; chỉ có thể đính chính kèm lý do.",
            "The fair has been reported and is locked; only amendments with a reason are possible.",
        ));
    }
    Ok(())
}

fn require_status(
    status: FairStatus,
    allowed: bool,
    code: &'static str,
    doing_vi: &str,
    doing_en: &str,
) -> StoreResult<()> {
    require_unlocked(status)?;
    if !allowed {
        return Err(invalid(
            "status",
            code,
            format!("Phiên đang ở trạng thái \"{}\", chưa hoặc không còn {doing_vi}.", status.label_vi()),
            format!("The fair is {}; it does not {doing_en} now.", status.code()),
        ));
    }
    Ok(())
}

async fn fair_row(db: &impl ConnectionTrait, id: JobFairId) -> StoreResult<job_fair::Model> {
    job_fair::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("job_fair", id.0))
}

/// How the fair's row is locked at the start of a transaction.
#[derive(Clone, Copy)]
enum Lock {
    /// A change to the fair's places: the version goes up.
    Places,
    /// Anything else that must not interleave with other changes of the fair (booth numbers,
    /// amendment versions, status checks).
    Row,
}

/// The first statement of every transaction that changes a fair's places, booths or
/// amendments: an UPDATE of the fair's row. On PostgreSQL it takes the row lock, on SQLite the
/// database write lock (a write as the first statement waits in the busy handler instead of
/// failing on a stale snapshot), so concurrent changes of one fair run one after another and
/// every read below sees all earlier ones. Then reads the row back.
async fn lock_fair(txn: &DatabaseTransaction, id: JobFairId, lock: Lock) -> StoreResult<job_fair::Model> {
    let bump = match lock {
        Lock::Places => Expr::col(job_fair::Column::PlacesVersion).add(1),
        Lock::Row => Expr::col(job_fair::Column::PlacesVersion),
    };
    let updated = job_fair::Entity::update_many()
        .col_expr(job_fair::Column::PlacesVersion, bump)
        .filter(job_fair::Column::Id.eq(id.0))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(not_found("job_fair", id.0));
    }
    fair_row(txn, id).await
}

// ---------------------------------------------------------------------------------------------
// Fairs

fn validate_plan(plan: &mut FairPlan) -> Result<(), ValidationError> {
    if let Some(capacity) = plan.capacity
        && (capacity == 0 || i32::try_from(capacity).is_err())
    {
        return Err(ValidationError::new(
            "fair.capacity",
            "fair.capacity",
            "Số chỗ phải là số dương (để trống nếu không giới hạn).",
            "Capacity must be a positive number (leave it out for unlimited).",
        ));
    }
    let mut hosts: Vec<String> = Vec::with_capacity(plan.co_hosts.len());
    for mut host in std::mem::take(&mut plan.co_hosts) {
        clean_text("fair.co_hosts", &mut host, 300)?;
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    if hosts.len() > 50 {
        return Err(ValidationError::new(
            "fair.co_hosts",
            "fair.co_hosts",
            "Tối đa 50 đơn vị phối hợp.",
            "At most 50 co-hosts.",
        ));
    }
    plan.co_hosts = hosts;
    let mut groups = Vec::with_capacity(plan.target_groups.len());
    for group in std::mem::take(&mut plan.target_groups) {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    plan.target_groups = groups;
    if let Some(url) = plan.online_url.take() {
        let url = normalize(&url);
        if !url.is_empty() {
            let lower = url.to_ascii_lowercase();
            let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
                && url.len() > 8
                && url.len() <= 500
                && !url.contains(' ');
            if !ok {
                return Err(ValidationError::new(
                    "fair.online_url",
                    "fair.online_url",
                    "Đường dẫn trực tuyến phải là địa chỉ http(s):// hợp lệ, tối đa 500 ký tự.",
                    "The online link must be a valid http(s):// address of at most 500 characters.",
                ));
            }
            plan.online_url = Some(url);
        }
    }
    Ok(())
}

fn plan_from_row(row: &job_fair::Model) -> StoreResult<FairPlan> {
    let corrupt =
        |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("job_fair", row.id, format!("{column}: {e}"));
    Ok(FairPlan {
        kind: row.kind.as_deref().map(FairKind::parse).transpose().map_err(|e| corrupt("kind", &e))?,
        capacity: row.capacity.map(|c| u32::try_from(c).map_err(|e| corrupt("capacity", &e))).transpose()?,
        target_groups: serde_json::from_str(&row.target_groups).map_err(|e| corrupt("target_groups", &e))?,
        co_hosts: serde_json::from_str(&row.co_hosts).map_err(|e| corrupt("co_hosts", &e))?,
        online_url: row.online_url.clone(),
    })
}

/// The computed counts of a fair.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    confirmed: u32,
    waiting: u32,
    checked_in: u32,
    amendments: u32,
}

/// Bound parameters per `IN (…)` list: well under both back-ends' limits.
const IDS_PER_QUERY: usize = 500;

async fn counts_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, Counts>> {
    let mut counts: HashMap<Uuid, Counts> = ids.iter().map(|id| (*id, Counts::default())).collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let by_status: Vec<(Uuid, String, i64)> = fair_place::Entity::find()
            .select_only()
            .column(fair_place::Column::FairId)
            .column(fair_place::Column::Status)
            .column_as(Expr::col(fair_place::Column::Id).count(), "n")
            .filter(fair_place::Column::FairId.is_in(chunk.iter().copied()))
            .group_by(fair_place::Column::FairId)
            .group_by(fair_place::Column::Status)
            .into_tuple()
            .all(db)
            .await?;
        for (fair, status, n) in by_status {
            let entry = counts.entry(fair).or_default();
            if status == PlaceStatus::Confirmed.code() {
                entry.confirmed = count_u32(n);
            } else if status == PlaceStatus::Waiting.code() {
                entry.waiting = count_u32(n);
            }
        }
        let checked_in: Vec<(Uuid, i64)> = fair_place::Entity::find()
            .select_only()
            .column(fair_place::Column::FairId)
            .column_as(Expr::col(fair_place::Column::Id).count(), "n")
            .filter(fair_place::Column::FairId.is_in(chunk.iter().copied()))
            .filter(fair_place::Column::CheckedInAt.is_not_null())
            .group_by(fair_place::Column::FairId)
            .into_tuple()
            .all(db)
            .await?;
        for (fair, n) in checked_in {
            counts.entry(fair).or_default().checked_in = count_u32(n);
        }
        let amendments: Vec<(Uuid, i64)> = fair_amendment::Entity::find()
            .select_only()
            .column(fair_amendment::Column::FairId)
            .column_as(Expr::col(fair_amendment::Column::Id).count(), "n")
            .filter(fair_amendment::Column::FairId.is_in(chunk.iter().copied()))
            .group_by(fair_amendment::Column::FairId)
            .into_tuple()
            .all(db)
            .await?;
        for (fair, n) in amendments {
            counts.entry(fair).or_default().amendments = count_u32(n);
        }
    }
    Ok(counts)
}

fn to_fair(row: job_fair::Model, counts: Counts) -> StoreResult<Fair> {
    let plan = plan_from_row(&row)?;
    let fair = mapping::fair_from_row(row)?;
    let place = caunoi_domain::AdminCatalog::embedded().place_name(&fair.commune_code).unwrap_or_default();
    Ok(Fair {
        fair,
        place,
        plan,
        confirmed: counts.confirmed,
        waiting: counts.waiting,
        checked_in: counts.checked_in,
        amendments: counts.amendments,
    })
}

async fn load_fair(db: &impl ConnectionTrait, id: JobFairId) -> StoreResult<Fair> {
    let row = fair_row(db, id).await?;
    let counts = counts_of(db, &[id.0]).await?.remove(&id.0).unwrap_or_default();
    to_fair(row, counts)
}

fn plan_columns(row: &mut job_fair::ActiveModel, plan: &FairPlan) {
    row.kind = Set(plan.kind.map(|k| k.code().to_owned()));
    // Validated to fit.
    row.capacity = Set(plan.capacity.and_then(|c| i32::try_from(c).ok()));
    row.target_groups = Set(json_text(&plan.target_groups));
    row.co_hosts = Set(json_text(&plan.co_hosts));
    row.online_url = Set(plan.online_url.clone());
}

/// Plans a fair. It starts as a draft or, when imported from an existing plan, as planned;
/// every later state is reached through [`transition_fair`].
pub async fn create_fair(store: &Store, mut fair: JobFair, mut plan: FairPlan) -> StoreResult<Fair> {
    fair.validate()?;
    validate_plan(&mut plan)?;
    if !matches!(fair.status, FairStatus::Draft | FairStatus::Planned) {
        return Err(invalid(
            "status",
            "fair.initial_status",
            "Phiên mới phải ở trạng thái \"Bản nháp\" hoặc \"Đã lên kế hoạch\"; các trạng thái sau được chuyển lần lượt.",
            "A new fair starts as draft or planned; later states are reached by transitions.",
        ));
    }
    let now = stored_time(Utc::now());
    let mut row = mapping::fair_row(&fair, now);
    plan_columns(&mut row, &plan);
    row.places_version = Set(0);
    job_fair::Entity::insert(row)
        .exec_without_returning(store.connection())
        .await
        .map_err(|e| StoreError::from_write(e, crate::bulk::unique_conflict))?;
    load_fair(store.connection(), fair.id).await
}

/// Changes a fair's record and plan (not its status: that is [`transition_fair`]). Refused
/// once reported. A larger capacity confirms places from the waiting list at once; a capacity
/// below the places already confirmed is refused.
pub async fn update_fair(store: &Store, mut fair: JobFair, mut plan: FairPlan) -> StoreResult<Fair> {
    fair.validate()?;
    validate_plan(&mut plan)?;
    let txn = store.connection().begin().await?;
    let stored = lock_fair(&txn, fair.id, Lock::Places).await?;
    let status = fair_status(&stored)?;
    require_unlocked(status)?;
    if fair.status != status {
        return Err(invalid(
            "status",
            "fair.status_by_transition",
            "Trạng thái phiên chỉ thay đổi qua chuyển trạng thái.",
            "A fair's status changes only through a transition.",
        ));
    }
    let confirmed = count_places(&txn, fair.id, PlaceStatus::Confirmed).await?;
    if let Some(capacity) = plan.capacity
        && u64::from(capacity) < confirmed
    {
        return Err(invalid(
            "fair.capacity",
            "fair.capacity_below_confirmed",
            format!("Đã có {confirmed} chỗ được xác nhận; số chỗ không thể nhỏ hơn."),
            format!("{confirmed} places are already confirmed; capacity cannot be lower."),
        ));
    }
    let now = stored_time(Utc::now());
    let mut row = mapping::fair_row(&fair, now);
    plan_columns(&mut row, &plan);
    row.created_at = NotSet;
    job_fair::Entity::update(row)
        .exec(&txn)
        .await
        .map_err(|e| StoreError::from_write(e, crate::bulk::unique_conflict))?;
    let free = match plan.capacity {
        Some(capacity) => u64::from(capacity).saturating_sub(confirmed),
        None => u64::MAX,
    };
    for _ in 0..free {
        if promote_first_waiting(&txn, fair.id).await?.is_none() {
            break;
        }
    }
    txn.commit().await?;
    load_fair(store.connection(), fair.id).await
}

pub async fn get_fair(store: &Store, id: JobFairId) -> StoreResult<Fair> {
    load_fair(store.connection(), id).await
}

/// The filter as a condition on `job_fairs` (shared with the roll-ups).
pub(crate) fn fair_condition(filter: &FairFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(province) = &filter.province {
        condition = condition.add(job_fair::Column::ProvinceCode.eq(province.trim()));
    }
    if let Some(commune) = &filter.commune {
        condition = condition.add(job_fair::Column::CommuneCode.eq(commune.trim()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(job_fair::Column::Status.eq(status.code()));
    }
    if filter.public_only {
        let public: Vec<&str> = FairStatus::ALL.iter().filter(|s| s.is_public()).map(|s| s.code()).collect();
        condition = condition.add(job_fair::Column::Status.is_in(public));
    }
    if let Some(from) = filter.from {
        condition = condition.add(job_fair::Column::StartsAt.gte(vietnam_midnight(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.succ_opt()) {
        condition = condition.add(job_fair::Column::StartsAt.lt(vietnam_midnight(to)));
    }
    condition
}

/// Fairs matching the filter, soonest first. Days are Vietnamese calendar days; `to` is
/// inclusive.
pub async fn list_fairs(store: &Store, filter: &FairFilter) -> StoreResult<Vec<Fair>> {
    let db = store.connection();
    let rows = job_fair::Entity::find()
        .filter(fair_condition(filter))
        .order_by_asc(job_fair::Column::StartsAt)
        .order_by_asc(job_fair::Column::Code)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut counts = counts_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let c = counts.remove(&row.id).unwrap_or_default();
            to_fair(row, c)
        })
        .collect()
}

/// Moves a fair along its life cycle (`FairStatus::transition`); illegal moves are `Invalid`.
pub async fn transition_fair(store: &Store, id: JobFairId, to: FairStatus, by: Option<Uuid>) -> StoreResult<Fair> {
    // Who moved it is the API's audit row; the fair keeps only its state.
    let _ = by;
    let db = store.connection();
    // Compare-and-set on the status: a concurrent move makes this one re-check against the
    // state it produced instead of overwriting it.
    for _ in 0..3 {
        let row = fair_row(db, id).await?;
        let from = fair_status(&row)?;
        require_unlocked(from)?;
        let to = from.transition(to)?;
        let updated = job_fair::Entity::update_many()
            .col_expr(job_fair::Column::Status, Expr::value(to.code()))
            .col_expr(job_fair::Column::UpdatedAt, Expr::value(stored_time(Utc::now())))
            .filter(job_fair::Column::Id.eq(id.0))
            .filter(job_fair::Column::Status.eq(from.code()))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            if to == FairStatus::InProgress {
                // The doors open: the registrations are in and the scans begin. Fresh planner
                // statistics make every scan's UPDATE go through the (fair, ticket) index; with
                // PostgreSQL's from before the registrations, its plan walked all the fair's
                // places per scan (about 400 check-ins/s instead of thousands).
                db.execute_unprepared("ANALYZE fair_places").await?;
            }
            return load_fair(db, id).await;
        }
    }
    Err(StoreError::conflict(
        "status",
        "fair.concurrent_change",
        "Trạng thái phiên vừa được thay đổi bởi người khác; vui lòng tải lại.",
        "The fair's status was just changed by someone else; reload and try again.",
    ))
}

/// An amendment as recorded: its version (1, 2, 3… per fair), who and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmendmentRecord {
    pub id: Uuid,
    pub version: u32,
    #[serde(flatten)]
    pub amendment: Amendment,
    pub by: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// Records a correction to a reported fair (refused unless it is reported).
pub async fn amend_fair(store: &Store, id: JobFairId, mut amendment: Amendment, by: Option<Uuid>) -> StoreResult<Fair> {
    clean_text("amendment.field", &mut amendment.field, 100)?;
    clean_text("amendment.reason", &mut amendment.reason, 2000)?;
    let txn = store.connection().begin().await?;
    let row = lock_fair(&txn, id, Lock::Row).await?;
    let status = fair_status(&row)?;
    if status != FairStatus::Reported {
        return Err(invalid(
            "status",
            "fair.not_reported",
            format!(
                "Chỉ đính chính được phiên đã báo cáo; phiên đang ở trạng thái \"{}\" và có thể sửa trực tiếp.",
                status.label_vi()
            ),
            format!("Only reported fairs take amendments; this one is {} and can be changed directly.", status.code()),
        ));
    }
    let latest: Option<i32> = fair_amendment::Entity::find()
        .select_only()
        .column_as(Expr::col(fair_amendment::Column::Version).max(), "v")
        .filter(fair_amendment::Column::FairId.eq(id.0))
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    fair_amendment::Entity::insert(fair_amendment::ActiveModel {
        id: Set(Uuid::now_v7()),
        fair_id: Set(id.0),
        version: Set(latest.unwrap_or(0) + 1),
        field: Set(amendment.field),
        value: Set(amendment.value),
        reason: Set(amendment.reason),
        amended_by: Set(by),
        at: Set(stored_time(Utc::now())),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    load_fair(store.connection(), id).await
}

/// The amendments of a fair, oldest first.
pub async fn amendments(store: &Store, fair: JobFairId) -> StoreResult<Vec<AmendmentRecord>> {
    let db = store.connection();
    fair_row(db, fair).await?;
    let rows = fair_amendment::Entity::find()
        .filter(fair_amendment::Column::FairId.eq(fair.0))
        .order_by_asc(fair_amendment::Column::Version)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| AmendmentRecord {
            id: row.id,
            version: u32::try_from(row.version).unwrap_or(0),
            amendment: Amendment { field: row.field, value: row.value, reason: row.reason },
            by: row.amended_by,
            at: row.at,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Booths

fn booth_conflict(_: &str) -> Option<StoreError> {
    Some(StoreError::conflict(
        "employer_id",
        "booth.already_requested",
        "Đơn vị này đã đăng ký gian hàng tại phiên.",
        "This employer has already asked for a booth at this fair.",
    ))
}

async fn booth_vacancies(db: &impl ConnectionTrait, booths: &[Uuid]) -> StoreResult<HashMap<Uuid, Vec<VacancyId>>> {
    let mut by_booth: HashMap<Uuid, Vec<VacancyId>> = HashMap::new();
    for chunk in booths.chunks(IDS_PER_QUERY) {
        let rows = fair_booth_vacancy::Entity::find()
            .filter(fair_booth_vacancy::Column::BoothId.is_in(chunk.iter().copied()))
            .order_by_asc(fair_booth_vacancy::Column::VacancyId)
            .all(db)
            .await?;
        for row in rows {
            by_booth.entry(row.booth_id).or_default().push(VacancyId(row.vacancy_id));
        }
    }
    Ok(by_booth)
}

fn to_booth(row: fair_booth::Model, vacancies: Vec<VacancyId>) -> StoreResult<Booth> {
    let corrupt =
        |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("fair_booth", row.id, format!("{column}: {e}"));
    Ok(Booth {
        id: row.id,
        fair_id: JobFairId(row.fair_id),
        employer_id: EmployerId(row.employer_id),
        status: BoothStatus::parse(&row.status).map_err(|e| corrupt("status", &e))?,
        number: row.number.map(|n| u32::try_from(n).map_err(|e| corrupt("number", &e))).transpose()?,
        vacancies,
        slot_capacity: serde_json::from_str(&row.slot_capacity).map_err(|e| corrupt("slot_capacity", &e))?,
        requested_at: row.requested_at,
    })
}

async fn load_booth(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<Booth> {
    let row = fair_booth::Entity::find_by_id(id).one(db).await?.ok_or_else(|| not_found("fair_booth", id))?;
    let vacancies = booth_vacancies(db, &[id]).await?.remove(&id).unwrap_or_default();
    to_booth(row, vacancies)
}

/// At most this many time slots per booth.
const MAX_SLOTS: usize = 48;

/// An employer asks for a booth, bringing vacancies (its own, open; job orders only from a
/// licensed placement enterprise) and its interview capacity per slot.
pub async fn request_booth(
    store: &Store,
    fair: JobFairId,
    employer: EmployerId,
    vacancies: Vec<VacancyId>,
    slot_capacity: Vec<u32>,
) -> StoreResult<Booth> {
    let db = store.connection();
    let fair_row_before = fair_row(db, fair).await?;
    let status = fair_status(&fair_row_before)?;
    require_status(
        status,
        status.accepts_booths(),
        "fair.not_accepting_booths",
        "nhận đăng ký gian hàng",
        "take booth requests",
    )?;
    let fair_day = vietnam_date(fair_row_before.starts_at);
    let owner = crate::records::get_employer(store, employer).await?;
    if slot_capacity.len() > MAX_SLOTS {
        return Err(invalid(
            "slot_capacity",
            "booth.slot_capacity",
            format!("Tối đa {MAX_SLOTS} khung giờ phỏng vấn."),
            format!("At most {MAX_SLOTS} interview slots."),
        ));
    }
    let mut wanted: Vec<VacancyId> = Vec::with_capacity(vacancies.len());
    for id in vacancies {
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    for id in &wanted {
        let vacancy = crate::records::get_vacancy(store, *id).await?;
        if vacancy.employer_id != employer {
            return Err(invalid(
                "vacancies",
                "booth.vacancy_not_own",
                format!("Vị trí \"{}\" không phải của đơn vị đăng ký gian hàng.", vacancy.title),
                format!("Vacancy {id} does not belong to this employer."),
            ));
        }
        if vacancy.status != VacancyStatus::Open {
            return Err(invalid(
                "vacancies",
                "booth.vacancy_not_open",
                format!("Vị trí \"{}\" không ở trạng thái đang tuyển.", vacancy.title),
                format!("Vacancy {id} is not open."),
            ));
        }
        if vacancy.workplace.is_overseas() {
            let licensed =
                matches!(&owner.kind, EmployerKind::PlacementEnterprise { licence } if licence.is_valid_on(fair_day));
            if !licensed {
                return Err(invalid(
                    "vacancies",
                    "booth.overseas_needs_licence",
                    "Chỉ doanh nghiệp dịch vụ có giấy phép đưa người lao động đi làm việc ở nước ngoài còn hiệu lực vào ngày tổ chức phiên mới được mang đơn hàng đi nước ngoài.",
                    "Only a placement enterprise whose licence is valid on the fair's day may bring overseas job orders.",
                ));
            }
        }
    }

    let txn = db.begin().await?;
    let locked = lock_fair(&txn, fair, Lock::Row).await?;
    let status = fair_status(&locked)?;
    require_status(
        status,
        status.accepts_booths(),
        "fair.not_accepting_booths",
        "nhận đăng ký gian hàng",
        "take booth requests",
    )?;
    let id = Uuid::now_v7();
    fair_booth::Entity::insert(fair_booth::ActiveModel {
        id: Set(id),
        fair_id: Set(fair.0),
        employer_id: Set(employer.0),
        status: Set(BoothStatus::Requested.code().to_owned()),
        number: Set(None),
        slot_capacity: Set(json_text(&slot_capacity)),
        requested_at: Set(stored_time(Utc::now())),
        decided_at: Set(None),
        decided_by: Set(None),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(|e| StoreError::from_write(e, booth_conflict))?;
    if !wanted.is_empty() {
        let links = wanted.iter().map(|v| fair_booth_vacancy::ActiveModel { booth_id: Set(id), vacancy_id: Set(v.0) });
        fair_booth_vacancy::Entity::insert_many(links)
            .exec_without_returning(&txn)
            .await
            .map_err(|e| StoreError::from_write(e, |_| None))?;
    }
    txn.commit().await?;
    load_booth(db, id).await
}

/// Staff approve (giving the next booth number) or reject a requested booth.
pub async fn decide_booth(store: &Store, booth: Uuid, approve: bool, by: Option<Uuid>) -> StoreResult<Booth> {
    let db = store.connection();
    let requested =
        fair_booth::Entity::find_by_id(booth).one(db).await?.ok_or_else(|| not_found("fair_booth", booth))?;
    let fair = JobFairId(requested.fair_id);
    let txn = db.begin().await?;
    // Under the fair's lock, so two approvals never draw the same number.
    let locked = lock_fair(&txn, fair, Lock::Row).await?;
    let status = fair_status(&locked)?;
    let open = status.accepts_booths() || status == FairStatus::InProgress;
    require_status(status, open, "fair.not_accepting_booths", "nhận đăng ký gian hàng", "take booth decisions")?;
    let (new_status, number) = if approve {
        let highest: Option<i32> = fair_booth::Entity::find()
            .select_only()
            .column_as(Expr::col(fair_booth::Column::Number).max(), "n")
            .filter(fair_booth::Column::FairId.eq(fair.0))
            .into_tuple::<Option<i32>>()
            .one(&txn)
            .await?
            .flatten();
        (BoothStatus::Approved, Some(highest.unwrap_or(0) + 1))
    } else {
        (BoothStatus::Rejected, None)
    };
    let updated = fair_booth::Entity::update_many()
        .col_expr(fair_booth::Column::Status, Expr::value(new_status.code()))
        .col_expr(fair_booth::Column::Number, Expr::value(number))
        .col_expr(fair_booth::Column::DecidedAt, Expr::value(stored_time(Utc::now())))
        .col_expr(fair_booth::Column::DecidedBy, Expr::value(by))
        .filter(fair_booth::Column::Id.eq(booth))
        .filter(fair_booth::Column::Status.eq(BoothStatus::Requested.code()))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(invalid(
            "booth",
            "booth.already_decided",
            "Gian hàng này đã được duyệt hoặc từ chối trước đó.",
            "This booth has already been decided.",
        ));
    }
    if approve {
        // The booth's openings are now at this fair: their pages and the fair filter of search
        // say so (through the change log, like every vacancy change).
        let now = Utc::now();
        let links = fair_booth_vacancy::Entity::find().filter(fair_booth_vacancy::Column::BoothId.eq(booth)).all(&txn).await?;
        for link in links {
            let Some(row) = crate::entities::vacancy::Entity::find_by_id(link.vacancy_id).one(&txn).await? else { continue };
            let mut vacancy = mapping::vacancy_from_row(row)?;
            vacancy.fair_id = Some(fair);
            crate::records::write_vacancy_update(&txn, &vacancy, now).await?;
        }
    }
    txn.commit().await?;
    load_booth(db, booth).await
}

/// The booths of a fair: approved ones by number, then the others in order of request.
pub async fn booths(store: &Store, fair: JobFairId) -> StoreResult<Vec<Booth>> {
    let db = store.connection();
    fair_row(db, fair).await?;
    let rows = fair_booth::Entity::find()
        .filter(fair_booth::Column::FairId.eq(fair.0))
        .order_by_asc(fair_booth::Column::RequestedAt)
        .order_by_asc(fair_booth::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut vacancies = booth_vacancies(db, &ids).await?;
    let mut booths = rows
        .into_iter()
        .map(|row| {
            let v = vacancies.remove(&row.id).unwrap_or_default();
            to_booth(row, v)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    booths.sort_by_key(|b| (b.number.is_none(), b.number, b.requested_at, b.id));
    Ok(booths)
}

// ---------------------------------------------------------------------------------------------
// Places

fn already_registered() -> StoreError {
    StoreError::conflict(
        "worker_id",
        "fair.already_registered",
        "Người lao động đã đăng ký tham gia phiên này.",
        "This seeker is already registered for this fair.",
    )
}

async fn count_places(db: &impl ConnectionTrait, fair: JobFairId, status: PlaceStatus) -> StoreResult<u64> {
    Ok(fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(fair.0))
        .filter(fair_place::Column::Status.eq(status.code()))
        .count(db)
        .await?)
}

/// 1-based position of a waiting place: those registered before it (ties by id) plus one.
async fn waiting_position(db: &impl ConnectionTrait, row: &fair_place::Model) -> StoreResult<Option<u32>> {
    if row.status != PlaceStatus::Waiting.code() {
        return Ok(None);
    }
    let before = fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(row.fair_id))
        .filter(fair_place::Column::Status.eq(PlaceStatus::Waiting.code()))
        .filter(
            Condition::any().add(fair_place::Column::RegisteredAt.lt(row.registered_at)).add(
                Condition::all()
                    .add(fair_place::Column::RegisteredAt.eq(row.registered_at))
                    .add(fair_place::Column::Id.lt(row.id)),
            ),
        )
        .count(db)
        .await?;
    Ok(Some(u32::try_from(before + 1).unwrap_or(u32::MAX)))
}

fn to_place(row: fair_place::Model, waiting_position: Option<u32>) -> StoreResult<Place> {
    let corrupt =
        |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("fair_place", row.id, format!("{column}: {e}"));
    Ok(Place {
        id: row.id,
        fair_id: JobFairId(row.fair_id),
        worker_id: WorkerId(row.worker_id),
        status: PlaceStatus::parse(&row.status).map_err(|e| corrupt("status", &e))?,
        waiting_position,
        ticket: TicketToken::parse(&row.ticket).map_err(|e| corrupt("ticket", &e))?,
        walk_in: row.walk_in,
        registered_at: row.registered_at,
        checked_in_at: row.checked_in_at,
    })
}

async fn place_row(
    db: &impl ConnectionTrait,
    fair: JobFairId,
    worker: WorkerId,
) -> StoreResult<Option<fair_place::Model>> {
    Ok(fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(fair.0))
        .filter(fair_place::Column::WorkerId.eq(worker.0))
        .one(db)
        .await?)
}

/// Confirms the first place on the waiting list (by registration time, then id), if any.
/// Only inside a transaction that holds the fair's lock.
async fn promote_first_waiting(txn: &DatabaseTransaction, fair: JobFairId) -> StoreResult<Option<fair_place::Model>> {
    let Some(first) = fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(fair.0))
        .filter(fair_place::Column::Status.eq(PlaceStatus::Waiting.code()))
        .order_by_asc(fair_place::Column::RegisteredAt)
        .order_by_asc(fair_place::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    fair_place::Entity::update_many()
        .col_expr(fair_place::Column::Status, Expr::value(PlaceStatus::Confirmed.code()))
        .filter(fair_place::Column::Id.eq(first.id))
        .exec(txn)
        .await?;
    Ok(Some(fair_place::Model { status: PlaceStatus::Confirmed.code().to_owned(), ..first }))
}

/// A fresh ticket: 24 random bytes, 32 URL-safe characters, nothing else.
fn new_ticket() -> String {
    crate::accounts::random_token::<24>()
}

/// A place for a seeker: confirmed while places remain, otherwise on the waiting list. One per
/// worker and fair (`Conflict` otherwise). A seeker who cancelled may register again: the
/// place is reused with a new ticket and goes to the end of the line.
pub async fn register_seeker(store: &Store, fair: JobFairId, worker: WorkerId, walk_in: bool) -> StoreResult<Place> {
    let db = store.connection();
    // Reads before the transaction: on SQLite its first statement must be the write.
    if worker_profile::Entity::find_by_id(worker.0).one(db).await?.is_none() {
        return Err(not_found("worker_profile", worker.0));
    }
    let txn = db.begin().await?;
    let locked = lock_fair(&txn, fair, Lock::Places).await?;
    let status = fair_status(&locked)?;
    require_status(
        status,
        status.accepts_registrations(),
        "fair.not_accepting_registrations",
        "nhận đăng ký",
        "take registrations",
    )?;
    let existing = place_row(&txn, fair, worker).await?;
    if existing.as_ref().is_some_and(|p| p.status != PlaceStatus::Cancelled.code()) {
        return Err(already_registered());
    }
    let confirmed = count_places(&txn, fair, PlaceStatus::Confirmed).await?;
    let has_room = locked.capacity.is_none_or(|capacity| confirmed < u64::try_from(capacity).unwrap_or(0));
    let place_status = if has_room { PlaceStatus::Confirmed } else { PlaceStatus::Waiting };
    let now = stored_time(Utc::now());
    let row = match existing {
        Some(old) => {
            let row = fair_place::Model {
                ticket: new_ticket(),
                status: place_status.code().to_owned(),
                walk_in,
                registered_at: now,
                checked_in_at: None,
                cancelled_at: None,
                ..old
            };
            // `reset_all`: a model converted as is counts as unchanged, and nothing would be written.
            fair_place::Entity::update(fair_place::ActiveModel::from(row.clone()).reset_all()).exec(&txn).await?;
            row
        }
        None => {
            let row = fair_place::Model {
                id: Uuid::now_v7(),
                fair_id: fair.0,
                worker_id: worker.0,
                ticket: new_ticket(),
                status: place_status.code().to_owned(),
                walk_in,
                registered_at: now,
                checked_in_at: None,
                cancelled_at: None,
            };
            fair_place::Entity::insert(fair_place::ActiveModel::from(row.clone()))
                .exec_without_returning(&txn)
                .await
                .map_err(|e| StoreError::from_write(e, |_| Some(already_registered())))?;
            row
        }
    };
    let position = waiting_position(&txn, &row).await?;
    txn.commit().await?;
    to_place(row, position)
}

/// Cancels a seeker's place; a freed confirmed place goes to the first on the waiting list,
/// who is returned. Cancelling a cancelled place changes nothing; a place already checked in
/// cannot be cancelled.
pub async fn cancel_place(store: &Store, fair: JobFairId, worker: WorkerId) -> StoreResult<(Place, Option<Place>)> {
    let txn = store.connection().begin().await?;
    let locked = lock_fair(&txn, fair, Lock::Places).await?;
    let status = fair_status(&locked)?;
    require_status(
        status,
        status.accepts_registrations(),
        "fair.not_accepting_registrations",
        "nhận thay đổi đăng ký",
        "take changes to registrations",
    )?;
    let place = place_row(&txn, fair, worker).await?.ok_or_else(|| not_found("fair_place", worker.0))?;
    if place.status == PlaceStatus::Cancelled.code() {
        txn.commit().await?;
        return Ok((to_place(place, None)?, None));
    }
    if place.checked_in_at.is_some() {
        return Err(invalid(
            "place",
            "place.checked_in",
            "Đã check-in tại phiên, không thể hủy đăng ký.",
            "Already checked in at the fair; the place cannot be cancelled.",
        ));
    }
    let was_confirmed = place.status == PlaceStatus::Confirmed.code();
    let now = stored_time(Utc::now());
    fair_place::Entity::update_many()
        .col_expr(fair_place::Column::Status, Expr::value(PlaceStatus::Cancelled.code()))
        .col_expr(fair_place::Column::CancelledAt, Expr::value(now))
        .filter(fair_place::Column::Id.eq(place.id))
        .exec(&txn)
        .await?;
    let promoted = if was_confirmed { promote_first_waiting(&txn, fair).await? } else { None };
    txn.commit().await?;
    let cancelled =
        fair_place::Model { status: PlaceStatus::Cancelled.code().to_owned(), cancelled_at: Some(now), ..place };
    Ok((to_place(cancelled, None)?, promoted.map(|p| to_place(p, None)).transpose()?))
}

pub async fn place_of(store: &Store, fair: JobFairId, worker: WorkerId) -> StoreResult<Option<Place>> {
    let db = store.connection();
    match place_row(db, fair, worker).await? {
        Some(row) => {
            let position = waiting_position(db, &row).await?;
            Ok(Some(to_place(row, position)?))
        }
        None => Ok(None),
    }
}

/// Every place of a fair in registration order, with waiting positions.
pub async fn places(store: &Store, fair: JobFairId) -> StoreResult<Vec<Place>> {
    let db = store.connection();
    fair_row(db, fair).await?;
    let rows = fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(fair.0))
        .order_by_asc(fair_place::Column::RegisteredAt)
        .order_by_asc(fair_place::Column::Id)
        .all(db)
        .await?;
    let mut waiting = 0u32;
    rows.into_iter()
        .map(|row| {
            let position = (row.status == PlaceStatus::Waiting.code()).then(|| {
                waiting += 1;
                waiting
            });
            to_place(row, position)
        })
        .collect()
}

/// Scans a ticket of this fair. Unknown tickets are `NotFound`; a waiting or cancelled place
/// is `Invalid` (`ticket.not_confirmed`).
pub async fn check_in(store: &Store, fair: JobFairId, ticket: &TicketToken, at: DateTime<Utc>) -> StoreResult<CheckIn> {
    let db = store.connection();
    let status = fair_status(&fair_row(db, fair).await?)?;
    require_status(
        status,
        status.accepts_check_ins(),
        "fair.not_in_progress",
        "diễn ra (chưa check-in được)",
        "run (no check-ins)",
    )?;
    let at = stored_time(at);
    // One conditional UPDATE: of any number of simultaneous scans exactly one matches the row
    // while `checked_in_at` is still NULL. The fair's status is part of the condition, so a
    // scan racing the fair's closing cannot slip in after it.
    let fair_in_progress = job_fair::Entity::find()
        .select_only()
        .column(job_fair::Column::Id)
        .filter(job_fair::Column::Id.eq(fair.0))
        .filter(job_fair::Column::Status.eq(FairStatus::InProgress.code()))
        .into_query();
    let updated = fair_place::Entity::update_many()
        .col_expr(fair_place::Column::CheckedInAt, Expr::value(at))
        .filter(fair_place::Column::FairId.eq(fair.0))
        .filter(fair_place::Column::Ticket.eq(ticket.as_str()))
        .filter(fair_place::Column::Status.eq(PlaceStatus::Confirmed.code()))
        .filter(fair_place::Column::CheckedInAt.is_null())
        .filter(Expr::col(fair_place::Column::FairId).in_subquery(fair_in_progress))
        .exec(db)
        .await?;
    let row = fair_place::Entity::find()
        .filter(fair_place::Column::FairId.eq(fair.0))
        .filter(fair_place::Column::Ticket.eq(ticket.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| not_found("ticket", ticket.as_str()))?;
    if updated.rows_affected == 1 {
        return Ok(CheckIn::First(to_place(row, None)?));
    }
    if row.checked_in_at.is_some() {
        return Ok(CheckIn::Again(to_place(row, None)?));
    }
    if row.status != PlaceStatus::Confirmed.code() {
        return Err(invalid(
            "ticket",
            "ticket.not_confirmed",
            "Vé này chưa được xác nhận chỗ (đang trong danh sách chờ) hoặc đã hủy.",
            "This ticket has no confirmed place (it is on the waiting list or cancelled).",
        ));
    }
    // Confirmed, not checked in, and still not updated: the fair stopped running meanwhile.
    let status = fair_status(&fair_row(db, fair).await?)?;
    require_status(status, false, "fair.not_in_progress", "diễn ra (chưa check-in được)", "run (no check-ins)")?;
    Err(not_found("ticket", ticket.as_str()))
}

/// Anonymous walk-ins counted at the door, kept apart from identified attendees. Returns the
/// fair's anonymous total so far.
pub async fn record_headcount(store: &Store, fair: JobFairId, count: u32, by: Option<Uuid>) -> StoreResult<u32> {
    let db = store.connection();
    let status = fair_status(&fair_row(db, fair).await?)?;
    require_status(
        status,
        status.accepts_outcomes(),
        "fair.not_in_progress",
        "diễn ra (chưa đếm được người vào)",
        "run (no headcounts)",
    )?;
    let count = i32::try_from(count).ok().filter(|c| *c > 0).ok_or_else(|| {
        invalid("count", "headcount.count", "Số người phải là số dương.", "The count must be a positive number.")
    })?;
    fair_headcount::Entity::insert(fair_headcount::ActiveModel {
        id: Set(Uuid::now_v7()),
        fair_id: Set(fair.0),
        count: Set(count),
        recorded_at: Set(stored_time(Utc::now())),
        recorded_by: Set(by),
    })
    .exec_without_returning(db)
    .await?;
    anonymous_total(db, fair).await
}

pub(crate) async fn anonymous_total(db: &impl ConnectionTrait, fair: JobFairId) -> StoreResult<u32> {
    let total: Option<i64> = fair_headcount::Entity::find()
        .select_only()
        .column_as(Expr::col(fair_headcount::Column::Count).sum(), "n")
        .filter(fair_headcount::Column::FairId.eq(fair.0))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(count_u32(total.unwrap_or(0)))
}

// ---------------------------------------------------------------------------------------------
// Interactions and follow-ups

/// The employer of the approved booth at this fair that brought `vacancy`, if any.
async fn booth_employer_of(
    db: &impl ConnectionTrait,
    fair: JobFairId,
    vacancy: VacancyId,
) -> StoreResult<Option<EmployerId>> {
    let approved_booths = fair_booth::Entity::find()
        .select_only()
        .column(fair_booth::Column::Id)
        .filter(fair_booth::Column::FairId.eq(fair.0))
        .filter(fair_booth::Column::Status.eq(BoothStatus::Approved.code()))
        .into_query();
    let Some(link) = fair_booth_vacancy::Entity::find()
        .filter(fair_booth_vacancy::Column::VacancyId.eq(vacancy.0))
        .filter(Expr::col(fair_booth_vacancy::Column::BoothId).in_subquery(approved_booths))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let booth = fair_booth::Entity::find_by_id(link.booth_id).one(db).await?;
    Ok(booth.map(|b| EmployerId(b.employer_id)))
}

fn to_interaction(row: fair_interaction::Model) -> StoreResult<Interaction> {
    Ok(Interaction {
        id: row.id,
        fair_id: JobFairId(row.fair_id),
        worker_id: WorkerId(row.worker_id),
        vacancy_id: row.vacancy_id.map(VacancyId),
        employer_id: row.employer_id.map(EmployerId),
        kind: InteractionKind::parse(&row.kind)
            .map_err(|e| StoreError::corrupt("fair_interaction", row.id, format!("kind: {e}")))?,
        note: row.note,
        at: row.at,
        recorded_by: row.recorded_by,
    })
}

/// Records what happened between a seeker (who has a place at the fair) and a booth, while the
/// fair runs or until its results are entered. A vacancy must be one an approved booth of the
/// fair brought; the interaction's employer is that booth's employer.
pub async fn record_interaction(store: &Store, mut interaction: Interaction) -> StoreResult<Interaction> {
    let db = store.connection();
    let fair = interaction.fair_id;
    let status = fair_status(&fair_row(db, fair).await?)?;
    require_status(
        status,
        status.accepts_outcomes(),
        "fair.not_accepting_outcomes",
        "nhận ghi kết quả tại gian hàng",
        "take outcomes",
    )?;
    let has_place =
        place_row(db, fair, interaction.worker_id).await?.is_some_and(|p| p.status != PlaceStatus::Cancelled.code());
    if !has_place {
        return Err(invalid(
            "worker_id",
            "interaction.no_place",
            "Người lao động chưa đăng ký tham gia phiên này.",
            "This seeker has no place at this fair.",
        ));
    }
    if let Some(vacancy) = interaction.vacancy_id {
        let Some(employer) = booth_employer_of(db, fair, vacancy).await? else {
            return Err(invalid(
                "vacancy_id",
                "interaction.vacancy_not_at_fair",
                "Vị trí việc làm này không thuộc gian hàng nào đã được duyệt tại phiên.",
                "This vacancy is not at any approved booth of the fair.",
            ));
        };
        if interaction.employer_id.is_some_and(|e| e != employer) {
            return Err(invalid(
                "employer_id",
                "interaction.employer_mismatch",
                "Vị trí việc làm này thuộc gian hàng của đơn vị khác.",
                "This vacancy belongs to another employer's booth.",
            ));
        }
        interaction.employer_id = Some(employer);
    } else if let Some(employer) = interaction.employer_id {
        let at_fair = fair_booth::Entity::find()
            .filter(fair_booth::Column::FairId.eq(fair.0))
            .filter(fair_booth::Column::EmployerId.eq(employer.0))
            .filter(fair_booth::Column::Status.eq(BoothStatus::Approved.code()))
            .count(db)
            .await?
            > 0;
        if !at_fair {
            return Err(invalid(
                "employer_id",
                "interaction.employer_not_at_fair",
                "Đơn vị này không có gian hàng đã được duyệt tại phiên.",
                "This employer has no approved booth at the fair.",
            ));
        }
    }
    if let Some(mut note) = interaction.note.take() {
        note = normalize(&note);
        if !note.is_empty() {
            clean_text("note", &mut note, 2000)?;
            interaction.note = Some(note);
        }
    }
    if interaction.id.is_nil() {
        interaction.id = Uuid::now_v7();
    }
    interaction.at = stored_time(interaction.at);
    fair_interaction::Entity::insert(fair_interaction::ActiveModel {
        id: Set(interaction.id),
        fair_id: Set(fair.0),
        worker_id: Set(interaction.worker_id.0),
        vacancy_id: Set(interaction.vacancy_id.map(|v| v.0)),
        employer_id: Set(interaction.employer_id.map(|e| e.0)),
        kind: Set(interaction.kind.code().to_owned()),
        note: Set(interaction.note.clone()),
        at: Set(interaction.at),
        recorded_by: Set(interaction.recorded_by),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| {
        StoreError::from_write(e, |_| {
            Some(StoreError::conflict(
                "id",
                "interaction.duplicate",
                "Tương tác này đã được ghi nhận.",
                "This interaction is already recorded.",
            ))
        })
    })?;
    Ok(interaction)
}

/// The interactions of a fair in the order they happened.
pub async fn interactions(store: &Store, fair: JobFairId) -> StoreResult<Vec<Interaction>> {
    let db = store.connection();
    fair_row(db, fair).await?;
    fair_interaction::Entity::find()
        .filter(fair_interaction::Column::FairId.eq(fair.0))
        .order_by_asc(fair_interaction::Column::At)
        .order_by_asc(fair_interaction::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_interaction)
        .collect()
}

/// Records a 30- or 90-day check of a hire at the fair: one per hire and day (`Conflict`
/// otherwise). Follow-ups are what happened after the fair, so they are accepted after it was
/// reported too (the fair's own record stays locked).
pub async fn record_follow_up(store: &Store, follow_up: FollowUp) -> StoreResult<FollowUp> {
    let db = store.connection();
    let hire = fair_interaction::Entity::find_by_id(follow_up.interaction_id)
        .one(db)
        .await?
        .ok_or_else(|| not_found("fair_interaction", follow_up.interaction_id))?;
    if hire.kind != InteractionKind::HiredOnSpot.code() {
        return Err(invalid(
            "interaction_id",
            "follow_up.not_a_hire",
            "Chỉ theo dõi sau 30/90 ngày những người được tuyển dụng tại phiên.",
            "Only hires at the fair are followed up at 30 and 90 days.",
        ));
    }
    if !FOLLOW_UP_DAYS.contains(&follow_up.day) {
        let days: Vec<String> = FOLLOW_UP_DAYS.iter().map(u16::to_string).collect();
        return Err(invalid(
            "day",
            "follow_up.day",
            format!("Chỉ theo dõi vào các mốc {} ngày sau phiên.", days.join(" và ")),
            format!("Follow-ups are at {} days only.", days.join(" and ")),
        ));
    }
    // Not before the hire, by any reckoning of its day (UTC or Vietnam).
    if follow_up.checked_on < hire.at.date_naive() {
        return Err(invalid(
            "checked_on",
            "follow_up.checked_on",
            "Ngày kiểm tra không thể trước ngày tuyển dụng.",
            "A follow-up cannot be dated before the hire.",
        ));
    }
    let id = if follow_up.id.is_nil() { Uuid::now_v7() } else { follow_up.id };
    fair_follow_up::Entity::insert(fair_follow_up::ActiveModel {
        id: Set(id),
        interaction_id: Set(follow_up.interaction_id),
        // One of FOLLOW_UP_DAYS, so it fits.
        day: Set(i16::try_from(follow_up.day).unwrap_or(i16::MAX)),
        status: Set(follow_up.status.code().to_owned()),
        checked_on: Set(follow_up.checked_on),
        recorded_by: Set(follow_up.recorded_by),
        recorded_at: Set(stored_time(Utc::now())),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| {
        StoreError::from_write(e, |_| {
            Some(StoreError::conflict(
                "day",
                "follow_up.duplicate",
                "Đã ghi kết quả theo dõi mốc này cho người lao động này.",
                "This follow-up has already been recorded.",
            ))
        })
    })?;
    Ok(FollowUp { id, ..follow_up })
}

pub(crate) fn to_follow_up(row: fair_follow_up::Model) -> StoreResult<FollowUp> {
    Ok(FollowUp {
        id: row.id,
        interaction_id: row.interaction_id,
        day: u16::try_from(row.day).unwrap_or(0),
        status: FollowUpStatus::parse(&row.status)
            .map_err(|e| StoreError::corrupt("fair_follow_up", row.id, format!("status: {e}")))?,
        checked_on: row.checked_on,
        recorded_by: row.recorded_by,
    })
}

/// The follow-ups recorded for the hires of a fair.
pub async fn follow_ups(store: &Store, fair: JobFairId) -> StoreResult<Vec<FollowUp>> {
    let db = store.connection();
    fair_row(db, fair).await?;
    let hires = fair_interaction::Entity::find()
        .select_only()
        .column(fair_interaction::Column::Id)
        .filter(fair_interaction::Column::FairId.eq(fair.0))
        .filter(fair_interaction::Column::Kind.eq(InteractionKind::HiredOnSpot.code()))
        .into_query();
    fair_follow_up::Entity::find()
        .filter(Expr::col(fair_follow_up::Column::InteractionId).in_subquery(hires))
        .order_by_asc(fair_follow_up::Column::InteractionId)
        .order_by_asc(fair_follow_up::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(to_follow_up)
        .collect()
}

/// Hires of this fair whose 30- or 90-day check is due on or before `today` and not recorded.
/// Due days count from the hire's day in Vietnam.
pub async fn due_follow_ups(store: &Store, fair: JobFairId, today: NaiveDate) -> StoreResult<Vec<DueFollowUp>> {
    let hires: Vec<Interaction> =
        interactions(store, fair).await?.into_iter().filter(|i| i.kind == InteractionKind::HiredOnSpot).collect();
    let recorded: std::collections::HashSet<(Uuid, u16)> =
        follow_ups(store, fair).await?.into_iter().map(|f| (f.interaction_id, f.day)).collect();
    let mut due = Vec::new();
    for hire in &hires {
        for day in FOLLOW_UP_DAYS {
            let Some(due_on) = vietnam_date(hire.at).checked_add_days(chrono::Days::new(u64::from(day))) else {
                continue;
            };
            if due_on <= today && !recorded.contains(&(hire.id, day)) {
                due.push(DueFollowUp {
                    interaction_id: hire.id,
                    worker_id: hire.worker_id,
                    vacancy_id: hire.vacancy_id,
                    day,
                    due_on,
                });
            }
        }
    }
    due.sort_by_key(|d| (d.due_on, d.day, d.interaction_id));
    Ok(due)
}
