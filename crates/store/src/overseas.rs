//! Overseas contract labour in the database (DOMAIN.md §4–7; the rules are in
//! `caunoi_domain::overseas`).
//!
//! Interface. Licences: [`upsert_licence`] sets a placement enterprise's licence (number, dates,
//! status, branches; a domestic employer becomes a placement enterprise) and
//! [`find_enterprises`] looks them up by name without diacritics or by licence number.
//! Job orders: an overseas [`Vacancy`] plus [`JobOrderDetails`] in `job_orders` —
//! [`save_job_order`] (the vacancy must exist, be overseas and belong to a placement enterprise;
//! an approval is kept only while the contract's reference and partner are unchanged),
//! [`get_job_order`] (with places left), [`approve_supply_contract`] (the only way to record an
//! approval), [`publish_job_order`] (licence valid on the day, contract approved, fees within
//! the ceilings, then the vacancy goes `open` through the records update path, so the change
//! log and search indexes follow) and [`verify`] (the public check by order code, vacancy id,
//! enterprise name or licence number). Registrations: [`register`] opens one at `lead` (for an
//! order, or for a market only until [`assign_job_order`] gives it one before it applies);
//! [`get_registration`], [`registrations_for_order`]; [`transition`] makes one move of the pipeline with its guards, appends it to
//! `overseas_stage_history` (never updated or deleted: [`history`] reads it) and, on a return,
//! adds the overseas job to the worker's profile in the same transaction; [`add_document`],
//! [`documents`] and [`checklist`] keep the evidence; [`worklist`] gives the deadline tasks of the
//! placements of people living in a commune or province. Errors: `Invalid` (a `ValidationError`
//! with a stable code, Vietnamese and English), `Conflict`, `NotFound`.
//!
//! Concurrency (both back-ends): every move of a registration first updates a row — its job
//! order's `places_version` (or, for a registration without details, the registration itself;
//! for a new registration, the worker's profile) — so moves that could take the same places run
//! one after another and the count of selected registrations never exceeds the order's places.
//! The stage itself changes by compare-and-set on the stage read.

use std::collections::HashMap;

use caunoi_domain::overseas::{
    self as ov, ChecklistItem, Document, DocumentId, DocumentType, Eligibility, Finding, JobOrderDetails, OrderState,
    OrderVerdict, OverseasExperience, OverseasRules, RegistrationFacts, ReturnReason, SupplyContract,
    SupplyContractStatus, Task, TransitionContext,
};
use caunoi_domain::records::{
    Employer, EmployerId, EmployerKind, OverseasProgramme, OverseasRegistration, OverseasRegistrationId, OverseasStage,
    PlacementLicence, Vacancy, VacancyId, VacancyStatus, WorkerId, Workplace,
};
use caunoi_domain::text::{fold, normalize};
use caunoi_domain::{CommuneCode, CountryCode, ProvinceCode, TaxCode, ValidationError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{
    employer, job_order, overseas_document, overseas_registration, overseas_stage_history, vacancy, worker_profile,
};
use crate::error::StoreError;
use crate::fairs::vietnam_date;
use crate::records::{write_vacancy_update, write_worker_update};
use crate::{Store, StoreResult, mapping};

// ---------------------------------------------------------------------------------------------
// Types

/// A placement enterprise as the public and staff look it up.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnterpriseListing {
    pub employer_id: EmployerId,
    pub name: String,
    pub tax_code: Option<TaxCode>,
    pub province_code: ProvinceCode,
    pub licence: PlacementLicence,
    /// The licence is valid on the day asked about.
    pub licensed: bool,
    /// Why not (suspended, revoked, expired…).
    pub licence_problem: Option<Finding>,
    pub open_job_orders: u32,
}

/// A job order: its vacancy, what it adds, and its places.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobOrder {
    pub vacancy: Vacancy,
    pub details: JobOrderDetails,
    /// The vacancy's quantity.
    pub places: u32,
    /// Registrations selected or further along.
    pub selected: u32,
    pub places_left: u32,
    /// The first day it was published.
    pub published_on: Option<NaiveDate>,
}

/// A registration with the dates of its pipeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registration {
    #[serde(flatten)]
    pub registration: OverseasRegistration,
    /// T0.
    pub selected_on: Option<NaiveDate>,
    pub departed_on: Option<NaiveDate>,
    /// Returned, absconded, died or went missing on.
    pub ended_on: Option<NaiveDate>,
}

/// Who makes a move, why, with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionInput {
    /// The account making the move.
    pub actor: Option<Uuid>,
    pub reason: Option<String>,
    /// Evidence: documents of this registration.
    pub documents: Vec<DocumentId>,
    /// From the matching engine (needed to select and to sign).
    pub eligibility: Option<Eligibility>,
    /// For `returned_early`.
    pub return_reason: Option<ReturnReason>,
    pub at: DateTime<Utc>,
}

impl TransitionInput {
    /// A move now, with nothing else said.
    pub fn now(actor: Option<Uuid>) -> Self {
        Self { actor, reason: None, documents: Vec::new(), eligibility: None, return_reason: None, at: Utc::now() }
    }
}

/// One move of a registration, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub seq: u32,
    /// `None` for the registration itself.
    pub from: Option<OverseasStage>,
    pub to: OverseasStage,
    /// The Vietnamese day of the move.
    pub on: NaiveDate,
    pub at: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub reason: Option<String>,
    pub return_reason: Option<ReturnReason>,
    pub eligibility: Option<Eligibility>,
    pub evidence: Vec<DocumentId>,
}

/// Where the people live whose placements a worklist covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    Commune(CommuneCode),
    Province(ProvinceCode),
}

/// What the public learns about one job order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderCheck {
    pub vacancy_id: VacancyId,
    pub code: Option<String>,
    pub title: String,
    pub country: CountryCode,
    pub programme: OverseasProgramme,
    pub status: VacancyStatus,
    pub enterprise: EnterpriseListing,
    pub supply_contract: SupplyContract,
    pub places: u32,
    pub places_left: u32,
    pub costs: Vec<ov::CostLine>,
    #[serde(flatten)]
    pub verdict: OrderVerdict,
}

/// The answer to a public verification: the orders matching an order code or vacancy id, or
/// else the enterprises matching a name or licence number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    pub query: String,
    pub on: NaiveDate,
    pub orders: Vec<OrderCheck>,
    pub enterprises: Vec<EnterpriseListing>,
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

fn invalid(field: &'static str, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Invalid(ValidationError::new(field, code, vi, en))
}

/// Plain data serialises to JSON without fail.
fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn from_json<T: serde::de::DeserializeOwned>(
    entity: &'static str,
    id: Uuid,
    column: &str,
    text: &str,
) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(entity, id, format!("{column}: {e}")))
}

fn parsed<T>(entity: &'static str, id: Uuid, column: &str, result: Result<T, ValidationError>) -> StoreResult<T> {
    result.map_err(|e| StoreError::corrupt(entity, id, format!("{column}: {e}")))
}

fn count_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// PostgreSQL keeps microseconds: what a call returns equals what a later read gives back.
fn now_stored() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn rules() -> &'static OverseasRules {
    OverseasRules::embedded()
}

/// Bound parameters per `IN (…)` list: well under both back-ends' limits.
const IDS_PER_QUERY: usize = 500;

async fn vacancy_of(db: &impl ConnectionTrait, id: VacancyId) -> StoreResult<Vacancy> {
    let row = vacancy::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("vacancy", id))?;
    mapping::vacancy_from_row(row)
}

async fn employer_of(db: &impl ConnectionTrait, id: EmployerId) -> StoreResult<Employer> {
    let row = employer::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("employer", id))?;
    mapping::employer_from_row(row)
}

// ---------------------------------------------------------------------------------------------
// Licences and enterprises

/// Sets an employer's placement licence (replacing any earlier one); a domestic employer
/// becomes a placement enterprise, which needs a tax code.
pub async fn upsert_licence(store: &Store, employer: EmployerId, licence: PlacementLicence) -> StoreResult<Employer> {
    let db = store.connection();
    let mut record = employer_of(db, employer).await?;
    record.kind = EmployerKind::PlacementEnterprise { licence };
    record.validate()?;
    let mut row = mapping::employer_row(&record, now_stored());
    row.created_at = NotSet;
    employer::Entity::update(row)
        .exec(db)
        .await
        .map_err(|e| StoreError::from_write(e, crate::bulk::unique_conflict))?;
    employer_of(db, employer).await
}

fn listing(employer: Employer, on: NaiveDate, open_job_orders: u32) -> Option<EnterpriseListing> {
    let EmployerKind::PlacementEnterprise { licence } = employer.kind else { return None };
    let problem = licence.check_valid_on(on).err();
    Some(EnterpriseListing {
        employer_id: employer.id,
        name: employer.name,
        tax_code: employer.tax_code,
        province_code: employer.province_code,
        licensed: problem.is_none(),
        licence_problem: problem.as_ref().map(Finding::from),
        licence,
        open_job_orders,
    })
}

/// Open overseas job orders per employer.
async fn open_orders(db: &impl ConnectionTrait, employers: &[Uuid]) -> StoreResult<HashMap<Uuid, u32>> {
    let mut counts = HashMap::new();
    for chunk in employers.chunks(IDS_PER_QUERY) {
        let rows: Vec<(Uuid, i64)> = vacancy::Entity::find()
            .select_only()
            .column(vacancy::Column::EmployerId)
            .column_as(Expr::col(vacancy::Column::Id).count(), "n")
            .filter(vacancy::Column::EmployerId.is_in(chunk.iter().copied()))
            .filter(vacancy::Column::IsOverseas.eq(true))
            .filter(vacancy::Column::Status.eq(VacancyStatus::Open.code()))
            .group_by(vacancy::Column::EmployerId)
            .into_tuple()
            .all(db)
            .await?;
        counts.extend(rows.into_iter().map(|(id, n)| (id, count_u32(u64::try_from(n).unwrap_or(0)))));
    }
    Ok(counts)
}

/// At most this many enterprises per lookup.
const MAX_ENTERPRISES: usize = 50;

/// Placement enterprises whose name (compared without diacritics or case) or licence number
/// contains `query`, by name, with whether each licence is valid on `on`. At least two
/// characters are needed.
pub async fn find_enterprises(store: &Store, query: &str, on: NaiveDate) -> StoreResult<Vec<EnterpriseListing>> {
    let needle = fold(query);
    if needle.chars().count() < 2 {
        return Err(invalid(
            "query",
            "enterprise.query_too_short",
            "Nhập ít nhất 2 ký tự của tên doanh nghiệp hoặc số giấy phép.",
            "Type at least 2 characters of the enterprise's name or licence number.",
        ));
    }
    let db = store.connection();
    // About five hundred enterprises hold a licence nationwide: folding the licence numbers
    // here is cheaper than keeping a folded copy of them.
    let rows = employer::Entity::find()
        .filter(employer::Column::Kind.eq("placement_enterprise"))
        .order_by_asc(employer::Column::NameFolded)
        .all(db)
        .await?;
    let found: Vec<employer::Model> = rows
        .into_iter()
        .filter(|row| {
            row.name_folded.contains(&needle)
                || row.licence_number.as_deref().is_some_and(|n| fold(n).contains(&needle))
        })
        .take(MAX_ENTERPRISES)
        .collect();
    let ids: Vec<Uuid> = found.iter().map(|row| row.id).collect();
    let counts = open_orders(db, &ids).await?;
    let mut listings = Vec::with_capacity(found.len());
    for row in found {
        let open = counts.get(&row.id).copied().unwrap_or(0);
        listings.extend(listing(mapping::employer_from_row(row)?, on, open));
    }
    Ok(listings)
}

// ---------------------------------------------------------------------------------------------
// Job orders

fn job_order_row(details: &JobOrderDetails, now: DateTime<Utc>) -> job_order::ActiveModel {
    let contract = &details.supply_contract;
    job_order::ActiveModel {
        vacancy_id: Set(details.vacancy_id.0),
        code: Set(details.code.clone()),
        sector: Set(details.sector.clone()),
        working_hours: Set(details.working_hours.clone()),
        scheme: Set(details.scheme.clone()),
        supply_reference: Set(contract.reference.clone()),
        foreign_partner: Set(contract.foreign_partner.clone()),
        supply_status: Set(contract.status.code().to_owned()),
        supply_submitted_on: Set(contract.submitted_on),
        supply_decision_no: Set(contract.decision_no.clone()),
        supply_approved_on: Set(contract.approved_on),
        interview_dates: Set(json_text(&details.interview_dates)),
        costs: Set(json_text(&details.costs)),
        exchange_rate: Set(details.exchange_rate.as_ref().map(json_text)),
        published_on: Set(None),
        places_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn details_from_row(row: &job_order::Model) -> StoreResult<JobOrderDetails> {
    const E: &str = "job_order";
    let id = row.vacancy_id;
    Ok(JobOrderDetails {
        vacancy_id: VacancyId(id),
        code: row.code.clone(),
        sector: row.sector.clone(),
        working_hours: row.working_hours.clone(),
        scheme: row.scheme.clone(),
        supply_contract: SupplyContract {
            reference: row.supply_reference.clone(),
            foreign_partner: row.foreign_partner.clone(),
            status: parsed(E, id, "supply_status", SupplyContractStatus::parse(&row.supply_status))?,
            submitted_on: row.supply_submitted_on,
            decision_no: row.supply_decision_no.clone(),
            approved_on: row.supply_approved_on,
        },
        interview_dates: from_json(E, id, "interview_dates", &row.interview_dates)?,
        costs: from_json(E, id, "costs", &row.costs)?,
        exchange_rate: row.exchange_rate.as_deref().map(|text| from_json(E, id, "exchange_rate", text)).transpose()?,
    })
}

/// The stage codes that hold one of an order's places.
fn holding_codes() -> Vec<&'static str> {
    OverseasStage::ALL.iter().filter(|s| s.holds_place()).map(|s| s.code()).collect()
}

/// Registrations of an order that hold a place.
async fn selected_count(db: &impl ConnectionTrait, order: VacancyId) -> StoreResult<u32> {
    let n = overseas_registration::Entity::find()
        .filter(overseas_registration::Column::JobOrderId.eq(order.0))
        .filter(overseas_registration::Column::Stage.is_in(holding_codes()))
        .count(db)
        .await?;
    Ok(count_u32(n))
}

async fn order_row(db: &impl ConnectionTrait, id: VacancyId) -> StoreResult<job_order::Model> {
    job_order::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("job_order", id))
}

async fn load_job_order(db: &impl ConnectionTrait, id: VacancyId) -> StoreResult<JobOrder> {
    let row = order_row(db, id).await?;
    let vacancy = vacancy_of(db, id).await?;
    let selected = selected_count(db, id).await?;
    let places = vacancy.quantity.get();
    Ok(JobOrder {
        details: details_from_row(&row)?,
        places,
        selected,
        places_left: places.saturating_sub(selected),
        published_on: row.published_on,
        vacancy,
    })
}

fn code_taken(_: &str) -> Option<StoreError> {
    Some(StoreError::conflict(
        "job_order.code",
        "job_order.code_taken",
        "Mã đơn hàng này đã được dùng.",
        "This job order code is already taken.",
    ))
}

/// Records (or replaces) what a job order adds to its vacancy. The vacancy must be overseas and
/// belong to a placement enterprise. The ministry's approval of the supply contract is recorded
/// only by [`approve_supply_contract`]; a save keeps it while the contract's reference and
/// partner stay the same, and an approval in the input is otherwise refused. An order already
/// published must stay publishable (licence, approval, fees) after the change.
pub async fn save_job_order(store: &Store, mut details: JobOrderDetails) -> StoreResult<JobOrder> {
    details.validate()?;
    let db = store.connection();
    let vacancy = vacancy_of(db, details.vacancy_id).await?;
    let enterprise = employer_of(db, vacancy.employer_id).await?;
    ov::require_job_order(&vacancy, &enterprise)?;
    let existing = job_order::Entity::find_by_id(details.vacancy_id.0).one(db).await?;
    let stored = existing.as_ref().map(details_from_row).transpose()?;
    let approval = stored.map(|d| d.supply_contract).filter(|c| {
        c.status == SupplyContractStatus::Approved
            && c.reference == details.supply_contract.reference
            && c.foreign_partner == details.supply_contract.foreign_partner
    });
    match approval {
        Some(approval) => details.supply_contract = approval,
        None if details.supply_contract.status == SupplyContractStatus::Approved => {
            return Err(invalid(
                "job_order.supply_contract.status",
                "supply_contract.approval_not_recorded",
                "Việc chấp thuận hợp đồng cung ứng lao động chỉ được ghi theo văn bản chấp thuận của Bộ.",
                "The approval of a supply contract is recorded only from the ministry's decision.",
            ));
        }
        None => details.supply_contract.approved_on = None,
    }
    if vacancy.status == VacancyStatus::Open {
        ov::check_publishable(&vacancy, &enterprise, &details, &rules().fees, vietnam_date(Utc::now()))?;
    }
    let mut row = job_order_row(&details, now_stored());
    let write = if existing.is_some() {
        row.created_at = NotSet;
        row.places_version = NotSet;
        row.published_on = NotSet;
        job_order::Entity::update(row).exec(db).await.map(|_| ())
    } else {
        job_order::Entity::insert(row).exec_without_returning(db).await.map(|_| ())
    };
    write.map_err(|e| StoreError::from_write(e, code_taken))?;
    load_job_order(db, details.vacancy_id).await
}

pub async fn get_job_order(store: &Store, id: VacancyId) -> StoreResult<JobOrder> {
    load_job_order(store.connection(), id).await
}

/// Records the ministry's approval of the order's supply contract (decision number and date).
pub async fn approve_supply_contract(
    store: &Store,
    id: VacancyId,
    decision_no: &str,
    approved_on: NaiveDate,
) -> StoreResult<JobOrder> {
    let db = store.connection();
    let row = order_row(db, id).await?;
    let mut details = details_from_row(&row)?;
    details.supply_contract.status = SupplyContractStatus::Approved;
    details.supply_contract.decision_no = Some(decision_no.to_owned());
    details.supply_contract.approved_on = Some(approved_on);
    details.validate()?;
    let contract = &details.supply_contract;
    job_order::Entity::update_many()
        .col_expr(job_order::Column::SupplyStatus, Expr::value(contract.status.code()))
        .col_expr(job_order::Column::SupplyDecisionNo, Expr::value(contract.decision_no.clone()))
        .col_expr(job_order::Column::SupplyApprovedOn, Expr::value(contract.approved_on))
        .col_expr(job_order::Column::UpdatedAt, Expr::value(now_stored()))
        .filter(job_order::Column::VacancyId.eq(id.0))
        .exec(db)
        .await?;
    load_job_order(db, id).await
}

/// The first statement of a transaction that must not interleave with others on the same
/// order: an UPDATE of its row (row lock on PostgreSQL, the write lock on SQLite — a write as
/// the first statement waits in the busy handler rather than failing on a stale snapshot).
/// `bump` raises `places_version`. Whether the order has a row.
async fn lock_order(txn: &DatabaseTransaction, id: VacancyId, bump: bool) -> StoreResult<bool> {
    let version = if bump {
        Expr::col(job_order::Column::PlacesVersion).add(1)
    } else {
        Expr::col(job_order::Column::PlacesVersion)
    };
    let updated = job_order::Entity::update_many()
        .col_expr(job_order::Column::PlacesVersion, version)
        .filter(job_order::Column::VacancyId.eq(id.0))
        .exec(txn)
        .await?;
    Ok(updated.rows_affected > 0)
}

/// Publishes a job order on `on`: refused unless the enterprise's licence is valid that day,
/// the supply contract is approved and the fees are within the ceilings (the error names
/// which); then the vacancy goes `open` with a change-log entry, in the same transaction.
pub async fn publish_job_order(store: &Store, id: VacancyId, on: NaiveDate) -> StoreResult<JobOrder> {
    let txn = store.connection().begin().await?;
    if !lock_order(&txn, id, false).await? {
        return Err(not_found("job_order", id));
    }
    let row = order_row(&txn, id).await?;
    let mut vacancy = vacancy_of(&txn, id).await?;
    let enterprise = employer_of(&txn, vacancy.employer_id).await?;
    ov::check_publishable(&vacancy, &enterprise, &details_from_row(&row)?, &rules().fees, on)?;
    let now = now_stored();
    if vacancy.status != VacancyStatus::Open {
        vacancy.status = VacancyStatus::Open;
        vacancy.validate()?;
        write_vacancy_update(&txn, &vacancy, now).await?;
    }
    if row.published_on.is_none() {
        job_order::Entity::update_many()
            .col_expr(job_order::Column::PublishedOn, Expr::value(on))
            .col_expr(job_order::Column::UpdatedAt, Expr::value(now))
            .filter(job_order::Column::VacancyId.eq(id.0))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    load_job_order(store.connection(), id).await
}

async fn order_check(db: &impl ConnectionTrait, order: JobOrder, on: NaiveDate) -> StoreResult<Option<OrderCheck>> {
    let enterprise = employer_of(db, order.vacancy.employer_id).await?;
    let verdict = ov::verdict(&order.vacancy, &enterprise, &order.details, &rules().fees, on);
    let open = open_orders(db, &[enterprise.id.0]).await?.get(&enterprise.id.0).copied().unwrap_or(0);
    let Some(listing) = listing(enterprise, on, open) else { return Ok(None) };
    let Workplace::Overseas { country, programme, .. } = order.vacancy.workplace else { return Ok(None) };
    Ok(Some(OrderCheck {
        vacancy_id: order.vacancy.id,
        code: order.details.code,
        title: order.vacancy.title,
        country,
        programme,
        status: order.vacancy.status,
        enterprise: listing,
        supply_contract: order.details.supply_contract,
        places: order.places,
        places_left: order.places_left,
        costs: order.details.costs,
        verdict,
    }))
}

/// The public check (R-OV-P2, R-FEE-5): by a job order's code or vacancy id — is the
/// enterprise licensed on `on`, is the supply contract approved, how many places are left, the
/// fee schedule with its legal caps —, or else by an enterprise's name or licence number.
pub async fn verify(store: &Store, query: &str, on: NaiveDate) -> StoreResult<Verification> {
    let query = normalize(query);
    if query.is_empty() {
        return Err(invalid(
            "query",
            "verify.query_empty",
            "Nhập mã đơn hàng, tên doanh nghiệp hoặc số giấy phép.",
            "Give a job order code, an enterprise name or a licence number.",
        ));
    }
    let db = store.connection();
    let ids: Vec<Uuid> = match Uuid::parse_str(&query) {
        Ok(id) => vec![id],
        Err(_) => job_order::Entity::find()
            .filter(job_order::Column::Code.eq(query.to_uppercase()))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.vacancy_id)
            .collect(),
    };
    let mut orders = Vec::new();
    for id in ids {
        match load_job_order(db, VacancyId(id)).await {
            Ok(order) => orders.extend(order_check(db, order, on).await?),
            Err(StoreError::NotFound { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    let enterprises = if orders.is_empty() && fold(&query).chars().count() >= 2 {
        find_enterprises(store, &query, on).await?
    } else {
        Vec::new()
    };
    Ok(Verification { query, on, orders, enterprises })
}

// ---------------------------------------------------------------------------------------------
// Registrations and their moves

fn registration_from_row(row: overseas_registration::Model) -> StoreResult<Registration> {
    let (selected_on, departed_on, ended_on) = (row.selected_on, row.departed_on, row.ended_on);
    Ok(Registration { registration: mapping::overseas_from_row(row)?, selected_on, departed_on, ended_on })
}

async fn registration_row(
    db: &impl ConnectionTrait,
    id: OverseasRegistrationId,
) -> StoreResult<overseas_registration::Model> {
    overseas_registration::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("overseas_registration", id))
}

pub async fn get_registration(store: &Store, id: OverseasRegistrationId) -> StoreResult<Registration> {
    registration_from_row(registration_row(store.connection(), id).await?)
}

/// The registrations for a job order, oldest first.
pub async fn registrations_for_order(store: &Store, order: VacancyId) -> StoreResult<Vec<Registration>> {
    registrations_where(store, overseas_registration::Column::JobOrderId.eq(order.0)).await
}

/// One worker's registrations, oldest first (their own status page).
pub async fn registrations_of_worker(store: &Store, worker: WorkerId) -> StoreResult<Vec<Registration>> {
    registrations_where(store, overseas_registration::Column::WorkerId.eq(worker.0)).await
}

async fn registrations_where(store: &Store, condition: impl sea_orm::sea_query::IntoCondition) -> StoreResult<Vec<Registration>> {
    overseas_registration::Entity::find()
        .filter(condition)
        .order_by_asc(overseas_registration::Column::RegisteredAt)
        .order_by_asc(overseas_registration::Column::Id)
        .all(store.connection())
        .await?
        .into_iter()
        .map(registration_from_row)
        .collect()
}

struct HistoryRow<'a> {
    registration: OverseasRegistrationId,
    seq: i32,
    from: Option<OverseasStage>,
    to: OverseasStage,
    at: DateTime<Utc>,
    actor: Option<Uuid>,
    reason: Option<&'a str>,
    return_reason: Option<ReturnReason>,
    eligibility: Option<Eligibility>,
    evidence: &'a [DocumentId],
}

async fn append_history(txn: &DatabaseTransaction, entry: HistoryRow<'_>) -> StoreResult<()> {
    overseas_stage_history::Entity::insert(overseas_stage_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        registration_id: Set(entry.registration.0),
        seq: Set(entry.seq),
        from_stage: Set(entry.from.map(|s| s.code().to_owned())),
        to_stage: Set(entry.to.code().to_owned()),
        on_date: Set(vietnam_date(entry.at)),
        at: Set(entry.at),
        actor: Set(entry.actor),
        reason: Set(entry.reason.map(str::to_owned)),
        return_reason: Set(entry.return_reason.map(|r| r.code().to_owned())),
        eligibility: Set(entry.eligibility.map(|e| e.code().to_owned())),
        evidence: Set(json_text(&entry.evidence)),
    })
    .exec_without_returning(txn)
    .await
    .map_err(|e| {
        StoreError::from_write(e, |_| {
            Some(StoreError::conflict(
                "stage",
                "overseas.concurrent_change",
                "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại.",
                "The registration was just changed by someone else; reload and try again.",
            ))
        })
    })?;
    Ok(())
}

/// Refused unless the job order is of the registration's country and programme.
async fn require_same_market(
    db: &impl ConnectionTrait,
    order: VacancyId,
    country: &CountryCode,
    programme: OverseasProgramme,
) -> StoreResult<()> {
    match vacancy_of(db, order).await?.workplace {
        Workplace::Overseas { country: c, programme: p, .. } if c == *country && p == programme => Ok(()),
        _ => Err(invalid(
            "job_order",
            "overseas.order_mismatch",
            "Đơn hàng không thuộc thị trường và chương trình đã chọn.",
            "The job order is not of the chosen country and programme.",
        )),
    }
}

/// The first statement of a transaction that adds or re-targets a worker's registration: an
/// UPDATE of the worker's row that changes no value (so no change-log entry), which serialises
/// such transactions of one worker for the duplicate check.
async fn lock_worker(txn: &DatabaseTransaction, worker: WorkerId) -> StoreResult<()> {
    let locked = worker_profile::Entity::update_many()
        .col_expr(worker_profile::Column::UpdatedAt, Expr::col(worker_profile::Column::UpdatedAt))
        .filter(worker_profile::Column::Id.eq(worker.0))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(not_found("worker_profile", worker));
    }
    Ok(())
}

/// Refused when the worker has another active registration for the order (or, without an
/// order, for the same market).
async fn require_no_other(txn: &DatabaseTransaction, registration: &OverseasRegistration) -> StoreResult<()> {
    let active: Vec<&str> = OverseasStage::ALL.iter().filter(|s| !s.is_final()).map(|s| s.code()).collect();
    let same = overseas_registration::Entity::find()
        .filter(overseas_registration::Column::WorkerId.eq(registration.worker_id.0))
        .filter(overseas_registration::Column::Id.ne(registration.id.0))
        .filter(overseas_registration::Column::Stage.is_in(active));
    let same = match registration.job_order_id {
        Some(order) => same.filter(overseas_registration::Column::JobOrderId.eq(order.0)),
        None => same
            .filter(overseas_registration::Column::JobOrderId.is_null())
            .filter(overseas_registration::Column::CountryCode.eq(registration.country.as_str()))
            .filter(overseas_registration::Column::Programme.eq(registration.programme.code())),
    };
    if same.count(txn).await? > 0 {
        return Err(StoreError::conflict(
            "worker_id",
            "overseas.already_registered",
            "Người lao động đã có hồ sơ đang xử lý cho đơn hàng (hoặc thị trường) này.",
            "The worker already has an active registration for this job order (or market).",
        ));
    }
    Ok(())
}

/// Opens a registration at `lead`, for a job order or for a market (country and programme)
/// only; one active registration per worker and order (or market without order). A job order
/// must be of that country and programme.
pub async fn register(
    store: &Store,
    worker: WorkerId,
    job_order: Option<VacancyId>,
    country: CountryCode,
    programme: OverseasProgramme,
) -> StoreResult<Registration> {
    let db = store.connection();
    let now = now_stored();
    let mut registration = OverseasRegistration {
        id: OverseasRegistrationId::new(),
        worker_id: worker,
        job_order_id: job_order,
        country,
        programme,
        stage: OverseasStage::Lead,
        registered_at: now,
        note: None,
    };
    registration.validate()?;
    if let Some(order) = job_order {
        require_same_market(db, order, &registration.country, registration.programme).await?;
    }
    let txn = db.begin().await?;
    lock_worker(&txn, worker).await?;
    require_no_other(&txn, &registration).await?;
    overseas_registration::Entity::insert(mapping::overseas_row(&registration, now))
        .exec_without_returning(&txn)
        .await
        .map_err(|e| StoreError::from_write(e, crate::bulk::unique_conflict))?;
    append_history(
        &txn,
        HistoryRow {
            registration: registration.id,
            seq: 1,
            from: None,
            to: OverseasStage::Lead,
            at: now,
            actor: None,
            reason: None,
            return_reason: None,
            eligibility: None,
            evidence: &[],
        },
    )
    .await?;
    txn.commit().await?;
    get_registration(store, registration.id).await
}

/// Points a registration of interest in a market at one of its job orders, before it applies
/// (lead, counselled or source preparation).
pub async fn assign_job_order(
    store: &Store,
    id: OverseasRegistrationId,
    order: VacancyId,
) -> StoreResult<Registration> {
    let db = store.connection();
    let current = registration_from_row(registration_row(db, id).await?)?.registration;
    require_same_market(db, order, &current.country, current.programme).await?;
    let txn = db.begin().await?;
    lock_worker(&txn, current.worker_id).await?;
    let mut registration = registration_from_row(registration_row(&txn, id).await?)?.registration;
    if registration.stage.rank().is_none_or(|rank| rank >= OverseasStage::Applied.rank().unwrap_or(0)) {
        return Err(invalid(
            "job_order",
            "overseas.order_fixed",
            format!("Hồ sơ đang ở bước \"{}\": chỉ đổi đơn hàng trước khi nộp hồ sơ.", registration.stage.label_vi()),
            "The job order can be changed only before the registration applies.",
        ));
    }
    registration.job_order_id = Some(order);
    require_no_other(&txn, &registration).await?;
    overseas_registration::Entity::update_many()
        .col_expr(overseas_registration::Column::JobOrderId, Expr::value(order.0))
        .col_expr(overseas_registration::Column::UpdatedAt, Expr::value(now_stored()))
        .filter(overseas_registration::Column::Id.eq(id.0))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    get_registration(store, id).await
}

async fn history_rows(
    db: &impl ConnectionTrait,
    id: OverseasRegistrationId,
) -> StoreResult<Vec<overseas_stage_history::Model>> {
    Ok(overseas_stage_history::Entity::find()
        .filter(overseas_stage_history::Column::RegistrationId.eq(id.0))
        .order_by_asc(overseas_stage_history::Column::Seq)
        .all(db)
        .await?)
}

fn history_entry(row: overseas_stage_history::Model) -> StoreResult<HistoryEntry> {
    const E: &str = "overseas_stage_history";
    let id = row.id;
    Ok(HistoryEntry {
        seq: u32::try_from(row.seq).unwrap_or(0),
        from: row.from_stage.as_deref().map(|s| parsed(E, id, "from_stage", OverseasStage::parse(s))).transpose()?,
        to: parsed(E, id, "to_stage", OverseasStage::parse(&row.to_stage))?,
        on: row.on_date,
        at: row.at,
        actor: row.actor,
        reason: row.reason,
        return_reason: row
            .return_reason
            .as_deref()
            .map(|r| parsed(E, id, "return_reason", ReturnReason::parse(r)))
            .transpose()?,
        eligibility: row
            .eligibility
            .as_deref()
            .map(|e| parsed(E, id, "eligibility", Eligibility::parse(e)))
            .transpose()?,
        evidence: from_json(E, id, "evidence", &row.evidence)?,
    })
}

/// Every move of a registration, in order (append-only).
pub async fn history(store: &Store, id: OverseasRegistrationId) -> StoreResult<Vec<HistoryEntry>> {
    let db = store.connection();
    registration_row(db, id).await?;
    history_rows(db, id).await?.into_iter().map(history_entry).collect()
}

/// Moves a registration to `to` on the Vietnamese day of `input.at`, if the pipeline allows
/// it and its guards pass (eligibility before selection and signing, places left, the supply
/// contract approved before signing and fees, required documents, medical check, Fund paid, a
/// valid visa or permit and the 180-day window before departure, a reason for early returns
/// and side exits). The move is appended to the history with its actor, reason and evidence;
/// a return adds the overseas job to the worker's profile in the same transaction.
pub async fn transition(
    store: &Store,
    id: OverseasRegistrationId,
    to: OverseasStage,
    input: TransitionInput,
) -> StoreResult<Registration> {
    let reason = input.reason.as_deref().map(normalize).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(invalid(
            "reason",
            "text.too_long",
            "Lý do tối đa 2000 ký tự.",
            "The reason is at most 2000 characters.",
        ));
    }
    let db = store.connection();
    // Which row to lock is read first: on SQLite the transaction's first statement must write.
    let job_order = registration_row(db, id).await?.job_order_id.map(VacancyId);
    let at = input.at.trunc_subsecs(6);
    let on = vietnam_date(at);
    let txn = db.begin().await?;
    let has_details = match job_order {
        Some(order) => lock_order(&txn, order, true).await?,
        None => false,
    };
    if !has_details {
        // Without details there are no places to guard: lock the registration itself.
        overseas_registration::Entity::update_many()
            .col_expr(overseas_registration::Column::UpdatedAt, Expr::col(overseas_registration::Column::UpdatedAt))
            .filter(overseas_registration::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
    }
    let row = registration_row(&txn, id).await?;
    let registration = registration_from_row(row)?;
    let from = registration.registration.stage;

    let (vacancy, details) = match job_order {
        Some(order) => {
            let vacancy = vacancy_of(&txn, order).await?;
            let details = match has_details {
                true => Some(details_from_row(&order_row(&txn, order).await?)?),
                false => None,
            };
            (Some(vacancy), details)
        }
        None => (None, None),
    };
    let order_state = match &vacancy {
        Some(vacancy) => {
            let selected = selected_count(&txn, vacancy.id).await?;
            Some(OrderState {
                open: vacancy.status == VacancyStatus::Open,
                supply_contract_approved: details.as_ref().is_some_and(|d| d.supply_contract.is_approved_on(on)),
                places_left: vacancy.quantity.get().saturating_sub(selected),
            })
        }
        None => None,
    };
    let history = history_rows(&txn, id).await?;
    let mut reached: Vec<OverseasStage> =
        history.iter().filter_map(|h| OverseasStage::parse(&h.to_stage).ok()).collect();
    reached.push(from);
    let documents = documents_of(&txn, id).await?;
    if let Some(unknown) = input.documents.iter().find(|d| !documents.iter().any(|held| held.id == **d)) {
        return Err(invalid(
            "documents",
            "overseas.evidence_unknown",
            format!("Giấy tờ {unknown} không thuộc hồ sơ này."),
            format!("Document {unknown} does not belong to this registration."),
        ));
    }
    let context = TransitionContext {
        on,
        programme: registration.registration.programme,
        order: order_state,
        eligibility: input.eligibility,
        selected_on: registration.selected_on,
        reached: &reached,
        documents: &documents,
        return_reason: input.return_reason,
        reason: reason.as_deref(),
        rules: rules(),
    };
    from.transition(to, &context)?;

    let mut update = overseas_registration::Entity::update_many()
        .col_expr(overseas_registration::Column::Stage, Expr::value(to.code()))
        .col_expr(overseas_registration::Column::UpdatedAt, Expr::value(at))
        .filter(overseas_registration::Column::Id.eq(id.0))
        .filter(overseas_registration::Column::Stage.eq(from.code()));
    if to == OverseasStage::Selected {
        update = update.col_expr(overseas_registration::Column::SelectedOn, Expr::value(on));
    }
    if to == OverseasStage::Departed {
        update = update.col_expr(overseas_registration::Column::DepartedOn, Expr::value(on));
    }
    if to.contract_ended() {
        update = update.col_expr(overseas_registration::Column::EndedOn, Expr::value(on));
    }
    if update.exec(&txn).await?.rows_affected == 0 {
        return Err(StoreError::conflict(
            "stage",
            "overseas.concurrent_change",
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại.",
            "The registration was just changed by someone else; reload and try again.",
        ));
    }
    let seq = history.last().map_or(0, |h| h.seq) + 1;
    append_history(
        &txn,
        HistoryRow {
            registration: id,
            seq,
            from: Some(from),
            to,
            at,
            actor: input.actor,
            reason: reason.as_deref(),
            return_reason: input.return_reason,
            eligibility: input.eligibility,
            evidence: &input.documents,
        },
    )
    .await?;

    if to.is_return() {
        let worker = registration.registration.worker_id;
        let row = worker_profile::Entity::find_by_id(worker.0)
            .one(&txn)
            .await?
            .ok_or_else(|| not_found("worker_profile", worker))?;
        let mut profile = mapping::worker_from_row(row)?;
        let experience = OverseasExperience::of_placement(
            registration.registration.country.clone(),
            registration.registration.programme,
            vacancy.as_ref().map(|v| v.occupation.clone()),
            details.map(|d| d.supply_contract.foreign_partner),
            registration.departed_on.or(registration.selected_on).unwrap_or(on),
            on,
            &documents,
        );
        if ov::add_overseas_experience(&mut profile, &experience) {
            profile.validate()?;
            write_worker_update(&txn, &profile, at).await?;
        }
    }
    txn.commit().await?;
    get_registration(store, id).await
}

// ---------------------------------------------------------------------------------------------
// Documents

fn document_from_row(row: overseas_document::Model) -> StoreResult<Document> {
    Ok(Document {
        id: DocumentId(row.id),
        kind: parsed("overseas_document", row.id, "kind", DocumentType::parse(&row.kind))?,
        number: row.number,
        issuer: row.issuer,
        issued_on: row.issued_on,
        expires_on: row.expires_on,
        detail: row.detail,
        file_hash: row.file_hash,
    })
}

async fn documents_of(db: &impl ConnectionTrait, id: OverseasRegistrationId) -> StoreResult<Vec<Document>> {
    overseas_document::Entity::find()
        .filter(overseas_document::Column::RegistrationId.eq(id.0))
        .order_by_asc(overseas_document::Column::RecordedAt)
        .order_by_asc(overseas_document::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(document_from_row)
        .collect()
}

/// Adds a document to a registration's evidence.
pub async fn add_document(
    store: &Store,
    registration: OverseasRegistrationId,
    mut document: Document,
) -> StoreResult<Document> {
    document.validate()?;
    let db = store.connection();
    registration_row(db, registration).await?;
    overseas_document::Entity::insert(overseas_document::ActiveModel {
        id: Set(document.id.0),
        registration_id: Set(registration.0),
        kind: Set(document.kind.code().to_owned()),
        number: Set(document.number.clone()),
        issuer: Set(document.issuer.clone()),
        issued_on: Set(document.issued_on),
        expires_on: Set(document.expires_on),
        detail: Set(document.detail.clone()),
        file_hash: Set(document.file_hash.clone()),
        recorded_at: Set(now_stored()),
    })
    .exec_without_returning(db)
    .await
    .map_err(|e| StoreError::from_write(e, crate::bulk::unique_conflict))?;
    Ok(document)
}

/// A registration's documents, in the order they were recorded.
pub async fn documents(store: &Store, registration: OverseasRegistrationId) -> StoreResult<Vec<Document>> {
    let db = store.connection();
    registration_row(db, registration).await?;
    documents_of(db, registration).await
}

/// What the registration's programme needs, step by step, and how each document stands on `on`.
pub async fn checklist(
    store: &Store,
    registration: OverseasRegistrationId,
    on: NaiveDate,
) -> StoreResult<Vec<ChecklistItem>> {
    let db = store.connection();
    let row = registration_from_row(registration_row(db, registration).await?)?;
    let documents = documents_of(db, registration).await?;
    Ok(ov::checklist(row.registration.stage, row.registration.programme, &documents, on, rules()))
}

// ---------------------------------------------------------------------------------------------
// Worklist

/// The deadline tasks on `today` of the placements of people living in `area` (by their
/// profile's residence): departure windows closing or passed, liquidations due or overdue,
/// documents expiring. Breaches first, then by due date.
pub async fn worklist(store: &Store, area: &Area, today: NaiveDate) -> StoreResult<Vec<Task>> {
    let db = store.connection();
    let residents = match area {
        Area::Commune(code) => worker_profile::Column::ResidenceCommuneCode.eq(code.as_str()),
        Area::Province(code) => worker_profile::Column::ResidenceProvinceCode.eq(code.as_str()),
    };
    let residents =
        Query::select().column(worker_profile::Column::Id).from(worker_profile::Entity).and_where(residents).to_owned();
    // Finished placements have nothing due (a liquidated contract, a side exit).
    let active: Vec<&str> = OverseasStage::ALL
        .iter()
        .filter(|s| !s.is_final() && **s != OverseasStage::Liquidated)
        .map(|s| s.code())
        .collect();
    let rows = overseas_registration::Entity::find()
        .filter(overseas_registration::Column::Stage.is_in(active))
        .filter(overseas_registration::Column::WorkerId.in_subquery(residents))
        .order_by_asc(overseas_registration::Column::RegisteredAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut documents: HashMap<Uuid, Vec<Document>> = HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let found = overseas_document::Entity::find()
            .filter(overseas_document::Column::RegistrationId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for row in found {
            let owner = row.registration_id;
            documents.entry(owner).or_default().push(document_from_row(row)?);
        }
    }
    let orders: Vec<Uuid> = rows.iter().filter_map(|r| r.job_order_id).collect();
    let mut months: HashMap<Uuid, Option<u16>> = HashMap::new();
    for chunk in orders.chunks(IDS_PER_QUERY) {
        let found: Vec<(Uuid, Option<i16>)> = vacancy::Entity::find()
            .select_only()
            .column(vacancy::Column::Id)
            .column(vacancy::Column::ContractMonths)
            .filter(vacancy::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        months.extend(found.into_iter().map(|(id, m)| (id, m.and_then(|m| u16::try_from(m).ok()))));
    }
    let registrations: Vec<Registration> = rows.into_iter().map(registration_from_row).collect::<StoreResult<_>>()?;
    let none: Vec<Document> = Vec::new();
    let facts: Vec<RegistrationFacts<'_>> = registrations
        .iter()
        .map(|r| RegistrationFacts {
            id: r.registration.id,
            worker_id: r.registration.worker_id,
            stage: r.registration.stage,
            selected_on: r.selected_on,
            departed_on: r.departed_on,
            ended_on: r.ended_on,
            contract_months: r.registration.job_order_id.and_then(|o| months.get(&o.0).copied().flatten()),
            documents: documents.get(&r.registration.id.0).unwrap_or(&none),
        })
        .collect();
    Ok(ov::tasks(&facts, today, rules()))
}
