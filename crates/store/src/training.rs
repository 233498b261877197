//! Vocational training in the database (issue #11; the rules are in
//! `caunoi_domain::training`): providers, classes with their life cycle, enrolments with
//! capacity and a waiting list, attendance per class day, completion with a certificate that
//! joins the worker's profile (through the records update path, so the change log and the
//! worker index follow), the six-month follow-up of graduates, the training-needs survey with
//! its summary and its comparison with open vacancies, and the enrolment leads that training
//! sign-ups at job fairs leave.
//!
//! Concurrency (both back-ends): every change to who holds a class's seats first bumps the
//! class's `seats_version` (`UPDATE training_classes … WHERE id = ?`), so on PostgreSQL the row
//! lock and on SQLite the write lock serialise enrolments, withdrawals and promotions of one
//! class: capacity is never exceeded and the waiting list keeps its order.

use std::collections::{BTreeMap, HashMap, HashSet};

use caunoi_domain::fairs::InteractionKind;
use caunoi_domain::records::{JobFairId, WorkerId};
use caunoi_domain::text::fold;
use caunoi_domain::training::{
    self as tr, ClassId, ClassOffer, ClassStatus, EnrolmentId, EnrolmentSource, EnrolmentStatus, Funding,
    GraduateOutcome, ProviderId, ProviderKind, SurveyResponse, SurveyResponseId, SurveySummary, TradeBalance,
    TrainingClass, TrainingLevel, TrainingProvider, VocationalCertificate,
};
use caunoi_domain::{AdminCatalog, CommuneCode, IscoCode, Sex, ValidationError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::entities::{
    fair_interaction, training_attendance, training_class, training_enrolment, training_provider,
    training_survey_response, vacancy, worker_profile,
};
use crate::error::StoreError;
use crate::plans::{ResultArea, workers_in};
use crate::records::{get_worker, write_worker_update};
use crate::sheet::{RowProblem, read_first_sheet};
use crate::{Store, StoreResult};

// ---------------------------------------------------------------------------------------------
// Types

/// A class as listed: with its provider's name and its seats.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassView {
    #[serde(flatten)]
    pub class: TrainingClass,
    pub provider_name: String,
    pub enrolled: u32,
    pub waiting: u32,
    pub seats_left: u32,
    /// The day it started running.
    pub opened_on: Option<NaiveDate>,
}

/// Days present out of the class days recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendance {
    pub days_present: u32,
    pub days_recorded: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolment {
    pub id: EnrolmentId,
    pub class_id: ClassId,
    pub worker_id: WorkerId,
    pub status: EnrolmentStatus,
    /// 1-based, while on the waiting list.
    pub waiting_position: Option<u32>,
    pub source: EnrolmentSource,
    pub fair_id: Option<JobFairId>,
    pub enrolled_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub completed_on: Option<NaiveDate>,
    pub certificate: Option<VocationalCertificate>,
    /// Six months after completion, for those who completed.
    pub follow_up_due: Option<NaiveDate>,
    pub follow_up_outcome: Option<GraduateOutcome>,
    pub followed_up_on: Option<NaiveDate>,
    pub attendance: Attendance,
}

/// The result of a class for one trainee.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completion {
    pub worker_id: WorkerId,
    /// Passed: a certificate is issued and added to the profile.
    pub passed: bool,
    /// Số hiệu chứng chỉ.
    pub certificate_number: Option<String>,
    pub issued_on: NaiveDate,
}

/// A training sign-up at a job fair that no enrolment has followed yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub worker_id: WorkerId,
    pub fair_id: JobFairId,
    pub signed_up_at: DateTime<Utc>,
    pub residence_commune: CommuneCode,
    pub desired_occupation: Option<IscoCode>,
}

/// Graduates of a period and how many had work at the six-month follow-up.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraduateReport {
    pub graduates: u32,
    pub followed_up: u32,
    pub with_work: u32,
    /// `with_work / followed_up`, as a percentage.
    pub with_work_percent: Option<f64>,
    pub by_outcome: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyImport {
    /// Answers written (0 when any row was refused).
    pub imported: u32,
    pub rejected: Vec<RowProblem>,
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn invalid(field: &'static str, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::Invalid(ValidationError::new(field, code, vi, en))
}

fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

/// PostgreSQL keeps microseconds: trimming first makes what a call returns equal a later read.
fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn from_json<T: serde::de::DeserializeOwned>(entity: &'static str, id: Uuid, column: &str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(entity, id, format!("{column}: {e}")))
}

fn count_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn province_of(commune: &CommuneCode) -> String {
    AdminCatalog::embedded().commune(commune).map(|c| c.province_code.to_string()).unwrap_or_default()
}

fn parse_code<T>(entity: &'static str, id: Uuid, column: &str, parsed: Result<T, ValidationError>) -> StoreResult<T> {
    parsed.map_err(|e| StoreError::corrupt(entity, id, format!("{column}: {}", e.message_en)))
}

/// Rows of an area, by the table's commune and province columns.
fn in_area<C: ColumnTrait>(area: &ResultArea, commune: C, province: C) -> Condition {
    match area {
        ResultArea::Nation => Condition::all(),
        ResultArea::Province(p) => Condition::all().add(province.eq(p.as_str())),
        ResultArea::Commune(c) => Condition::all().add(commune.eq(c.as_str())),
    }
}

// ---------------------------------------------------------------------------------------------
// Providers

fn provider_from(row: training_provider::Model) -> StoreResult<TrainingProvider> {
    let id = row.id;
    Ok(TrainingProvider {
        id: ProviderId(id),
        name: row.name,
        kind: parse_code("training_provider", id, "kind", ProviderKind::parse(&row.kind))?,
        commune_code: parse_code("training_provider", id, "commune_code", CommuneCode::parse(&row.commune_code))?,
        address: row.address,
        registration_no: row.registration_no,
    })
}

pub async fn create_provider(store: &Store, mut provider: TrainingProvider) -> StoreResult<TrainingProvider> {
    provider.validate()?;
    let row = training_provider::ActiveModel {
        id: Set(provider.id.0),
        name: Set(provider.name.clone()),
        name_folded: Set(fold(&provider.name)),
        kind: Set(provider.kind.code().to_owned()),
        commune_code: Set(provider.commune_code.to_string()),
        province_code: Set(province_of(&provider.commune_code)),
        address: Set(provider.address.clone()),
        registration_no: Set(provider.registration_no.clone()),
        created_at: Set(stored_time(Utc::now())),
    };
    training_provider::Entity::insert(row)
        .exec_without_returning(store.connection())
        .await
        .map_err(|e| StoreError::from_write(e, |_| None))?;
    Ok(provider)
}

/// Providers of an area, by name; `query` matches names without diacritics.
pub async fn list_providers(store: &Store, area: &ResultArea, query: Option<&str>) -> StoreResult<Vec<TrainingProvider>> {
    let mut select = training_provider::Entity::find()
        .filter(in_area(area, training_provider::Column::CommuneCode, training_provider::Column::ProvinceCode))
        .order_by_asc(training_provider::Column::NameFolded);
    if let Some(q) = query.map(fold).filter(|q| !q.is_empty()) {
        select = select.filter(training_provider::Column::NameFolded.contains(&q));
    }
    select.all(store.connection()).await?.into_iter().map(provider_from).collect()
}

// ---------------------------------------------------------------------------------------------
// Classes

fn class_from(row: &training_class::Model) -> StoreResult<TrainingClass> {
    let id = row.id;
    let e = "training_class";
    Ok(TrainingClass {
        id: ClassId(id),
        provider_id: ProviderId(row.provider_id),
        title: row.title.clone(),
        trade: parse_code(e, id, "trade", IscoCode::parse(&row.trade))?,
        skills: from_json(e, id, "skills", &row.skills)?,
        level: parse_code(e, id, "level", TrainingLevel::parse(&row.level))?,
        commune_code: parse_code(e, id, "commune_code", CommuneCode::parse(&row.commune_code))?,
        venue: row.venue.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        capacity: u32::try_from(row.capacity).unwrap_or(0),
        funding: from_json::<Funding>(e, id, "funding", &row.funding)?,
        status: parse_code(e, id, "status", ClassStatus::parse(&row.status))?,
    })
}

/// Seats held (enrolled or further) and waiting, per class.
async fn seat_counts(db: &impl ConnectionTrait, classes: &[Uuid]) -> StoreResult<HashMap<Uuid, (u32, u32)>> {
    let mut counts: HashMap<Uuid, (u32, u32)> = HashMap::new();
    if classes.is_empty() {
        return Ok(counts);
    }
    let rows: Vec<(Uuid, String, i64)> = training_enrolment::Entity::find()
        .select_only()
        .column(training_enrolment::Column::ClassId)
        .column(training_enrolment::Column::Status)
        .column_as(Expr::col(training_enrolment::Column::Id).count(), "n")
        .filter(training_enrolment::Column::ClassId.is_in(classes.iter().copied()))
        .group_by(training_enrolment::Column::ClassId)
        .group_by(training_enrolment::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (class, status, n) in rows {
        let n = count_u32(u64::try_from(n).unwrap_or(0));
        let entry = counts.entry(class).or_default();
        match EnrolmentStatus::parse(&status) {
            Ok(s) if s.holds_seat() => entry.0 += n,
            Ok(EnrolmentStatus::Waiting) => entry.1 += n,
            _ => {}
        }
    }
    Ok(counts)
}

async fn views(db: &impl ConnectionTrait, rows: Vec<training_class::Model>) -> StoreResult<Vec<ClassView>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let counts = seat_counts(db, &ids).await?;
    let provider_ids: HashSet<Uuid> = rows.iter().map(|r| r.provider_id).collect();
    let names: HashMap<Uuid, String> = training_provider::Entity::find()
        .filter(training_provider::Column::Id.is_in(provider_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    rows.iter()
        .map(|row| {
            let class = class_from(row)?;
            let (enrolled, waiting) = counts.get(&row.id).copied().unwrap_or_default();
            Ok(ClassView {
                provider_name: names.get(&row.provider_id).cloned().unwrap_or_default(),
                enrolled,
                waiting,
                seats_left: class.capacity.saturating_sub(enrolled),
                opened_on: row.opened_on,
                class,
            })
        })
        .collect()
}

async fn class_row(db: &impl ConnectionTrait, id: ClassId) -> StoreResult<training_class::Model> {
    training_class::Entity::find_by_id(id.0).one(db).await?.ok_or_else(|| not_found("training_class", id.0))
}

/// The first statement of every transaction that changes a class: an UPDATE of its row (the
/// row lock on PostgreSQL, the write lock on SQLite), then the row read back.
async fn lock_class(txn: &DatabaseTransaction, id: ClassId) -> StoreResult<training_class::Model> {
    let updated = training_class::Entity::update_many()
        .col_expr(training_class::Column::SeatsVersion, Expr::col(training_class::Column::SeatsVersion).add(1))
        .filter(training_class::Column::Id.eq(id.0))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(not_found("training_class", id.0));
    }
    class_row(txn, id).await
}

fn require_class_status(status: ClassStatus, allowed: bool, code: &'static str, doing_vi: &str, doing_en: &str) -> StoreResult<()> {
    if allowed {
        return Ok(());
    }
    Err(invalid(
        "status",
        code,
        format!("Lớp đang ở trạng thái \"{}\", chưa hoặc không còn {doing_vi}.", status.label_vi()),
        format!("The class is {}; it does not {doing_en} now.", status.code()),
    ))
}

/// A new class of an existing provider, planned or already enrolling.
pub async fn create_class(store: &Store, mut class: TrainingClass) -> StoreResult<ClassView> {
    class.validate()?;
    if !matches!(class.status, ClassStatus::Planned | ClassStatus::Enrolling) {
        return Err(invalid(
            "status",
            "class.initial_status",
            "Lớp mới phải ở trạng thái dự kiến hoặc đang tuyển sinh.",
            "A new class must be planned or enrolling.",
        ));
    }
    let db = store.connection();
    if training_provider::Entity::find_by_id(class.provider_id.0).one(db).await?.is_none() {
        return Err(not_found("training_provider", class.provider_id.0));
    }
    let now = stored_time(Utc::now());
    let row = training_class::ActiveModel {
        id: Set(class.id.0),
        provider_id: Set(class.provider_id.0),
        title: Set(class.title.clone()),
        trade: Set(class.trade.to_string()),
        skills: Set(json_text(&class.skills)),
        level: Set(class.level.code().to_owned()),
        commune_code: Set(class.commune_code.to_string()),
        province_code: Set(province_of(&class.commune_code)),
        venue: Set(class.venue.clone()),
        starts_on: Set(class.starts_on),
        ends_on: Set(class.ends_on),
        capacity: Set(i32::try_from(class.capacity).unwrap_or(i32::MAX)),
        funding: Set(json_text(&class.funding)),
        status: Set(class.status.code().to_owned()),
        opened_on: Set(None),
        seats_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    };
    training_class::Entity::insert(row).exec_without_returning(db).await.map_err(|e| StoreError::from_write(e, |_| None))?;
    get_class(store, class.id).await
}

pub async fn get_class(store: &Store, id: ClassId) -> StoreResult<ClassView> {
    let db = store.connection();
    let row = class_row(db, id).await?;
    views(db, vec![row]).await?.pop().ok_or_else(|| not_found("training_class", id.0))
}

/// What to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct ClassFilter {
    pub area: Option<ResultArea>,
    pub status: Option<ClassStatus>,
    /// Only classes not yet started on or after this day that still take or will take
    /// enrolments (planned or enrolling).
    pub upcoming_from: Option<NaiveDate>,
    /// ISCO code prefix (any level).
    pub trade: Option<String>,
}

/// Classes by start date.
pub async fn list_classes(store: &Store, filter: &ClassFilter) -> StoreResult<Vec<ClassView>> {
    let db = store.connection();
    let mut select = training_class::Entity::find().order_by_asc(training_class::Column::StartsOn).order_by_asc(training_class::Column::Id);
    if let Some(area) = &filter.area {
        select = select.filter(in_area(area, training_class::Column::CommuneCode, training_class::Column::ProvinceCode));
    }
    if let Some(status) = filter.status {
        select = select.filter(training_class::Column::Status.eq(status.code()));
    }
    if let Some(day) = filter.upcoming_from {
        select = select
            .filter(training_class::Column::StartsOn.gte(day))
            .filter(training_class::Column::Status.is_in([ClassStatus::Planned.code(), ClassStatus::Enrolling.code()]));
    }
    if let Some(trade) = filter.trade.as_deref().filter(|t| !t.is_empty()) {
        select = select.filter(training_class::Column::Trade.starts_with(trade));
    }
    let rows = select.all(db).await?;
    views(db, rows).await
}

/// Upcoming classes with their seats, for suggestions.
pub async fn upcoming_offers(store: &Store, area: &ResultArea, today: NaiveDate) -> StoreResult<Vec<ClassOffer>> {
    let filter = ClassFilter { area: Some(area.clone()), upcoming_from: Some(today), ..ClassFilter::default() };
    Ok(list_classes(store, &filter)
        .await?
        .into_iter()
        .map(|v| ClassOffer { seats_left: v.seats_left, class: v.class })
        .collect())
}

/// One move of a class's life cycle; running records the day it opened (`on`).
pub async fn transition_class(store: &Store, id: ClassId, to: ClassStatus, on: NaiveDate) -> StoreResult<ClassView> {
    let txn = store.connection().begin().await?;
    let row = lock_class(&txn, id).await?;
    let from = class_from(&row)?.status;
    from.transition(to)?;
    let mut update = training_class::Entity::update_many()
        .col_expr(training_class::Column::Status, Expr::value(to.code()))
        .col_expr(training_class::Column::UpdatedAt, Expr::value(stored_time(Utc::now())))
        .filter(training_class::Column::Id.eq(id.0))
        .filter(training_class::Column::Status.eq(from.code()));
    if to == ClassStatus::Running {
        update = update.col_expr(training_class::Column::OpenedOn, Expr::value(on));
    }
    update.exec(&txn).await?;
    if to == ClassStatus::Running {
        // The waiting list is closed when the class starts.
        training_enrolment::Entity::update_many()
            .col_expr(training_enrolment::Column::Status, Expr::value(EnrolmentStatus::Withdrawn.code()))
            .col_expr(training_enrolment::Column::WithdrawnAt, Expr::value(stored_time(Utc::now())))
            .filter(training_enrolment::Column::ClassId.eq(id.0))
            .filter(training_enrolment::Column::Status.eq(EnrolmentStatus::Waiting.code()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    get_class(store, id).await
}

// ---------------------------------------------------------------------------------------------
// Enrolments

async fn enrolment_row(db: &impl ConnectionTrait, class: ClassId, worker: WorkerId) -> StoreResult<Option<training_enrolment::Model>> {
    Ok(training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.eq(class.0))
        .filter(training_enrolment::Column::WorkerId.eq(worker.0))
        .one(db)
        .await?)
}

async fn held_seats(db: &impl ConnectionTrait, class: ClassId) -> StoreResult<u64> {
    let holding: Vec<&str> = EnrolmentStatus::ALL.iter().filter(|s| s.holds_seat()).map(|s| s.code()).collect();
    Ok(training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.eq(class.0))
        .filter(training_enrolment::Column::Status.is_in(holding))
        .count(db)
        .await?)
}

/// Waiting enrolments of a class in line order (enrolled at, then id).
async fn waiting_line(db: &impl ConnectionTrait, class: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(training_enrolment::Entity::find()
        .select_only()
        .column(training_enrolment::Column::Id)
        .filter(training_enrolment::Column::ClassId.eq(class))
        .filter(training_enrolment::Column::Status.eq(EnrolmentStatus::Waiting.code()))
        .order_by_asc(training_enrolment::Column::EnrolledAt)
        .order_by_asc(training_enrolment::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

async fn attendance_of(db: &impl ConnectionTrait, rows: &[training_enrolment::Model]) -> StoreResult<HashMap<Uuid, Attendance>> {
    let mut out: HashMap<Uuid, Attendance> = HashMap::new();
    let classes: HashSet<Uuid> = rows.iter().map(|r| r.class_id).collect();
    if rows.is_empty() {
        return Ok(out);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let marks: Vec<(Uuid, NaiveDate, bool)> = training_attendance::Entity::find()
        .select_only()
        .column(training_attendance::Column::EnrolmentId)
        .column(training_attendance::Column::OnDate)
        .column(training_attendance::Column::Present)
        .filter(training_attendance::Column::EnrolmentId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    // Days recorded per class: any day with a mark for one of its trainees.
    let class_of: HashMap<Uuid, Uuid> = rows.iter().map(|r| (r.id, r.class_id)).collect();
    let mut days: HashMap<Uuid, HashSet<NaiveDate>> = classes.into_iter().map(|c| (c, HashSet::new())).collect();
    for (enrolment, day, present) in &marks {
        if let Some(class) = class_of.get(enrolment) {
            days.entry(*class).or_default().insert(*day);
        }
        if *present {
            out.entry(*enrolment).or_default().days_present += 1;
        }
    }
    for row in rows {
        out.entry(row.id).or_default().days_recorded = count_u32(days.get(&row.class_id).map_or(0, |d| d.len() as u64));
    }
    Ok(out)
}

async fn to_enrolments(db: &impl ConnectionTrait, rows: Vec<training_enrolment::Model>) -> StoreResult<Vec<Enrolment>> {
    let attendance = attendance_of(db, &rows).await?;
    let mut lines: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for class in rows.iter().filter(|r| r.status == EnrolmentStatus::Waiting.code()).map(|r| r.class_id).collect::<HashSet<_>>() {
        lines.insert(class, waiting_line(db, class).await?);
    }
    rows.into_iter()
        .map(|row| {
            let e = "training_enrolment";
            let id = row.id;
            let status = parse_code(e, id, "status", EnrolmentStatus::parse(&row.status))?;
            let waiting_position = lines
                .get(&row.class_id)
                .and_then(|line| line.iter().position(|w| *w == id))
                .map(|p| count_u32(p as u64 + 1));
            let certificate = row.certificate.as_deref().map(|t| from_json(e, id, "certificate", t)).transpose()?;
            Ok(Enrolment {
                id: EnrolmentId(id),
                class_id: ClassId(row.class_id),
                worker_id: WorkerId(row.worker_id),
                status,
                waiting_position: if status == EnrolmentStatus::Waiting { waiting_position } else { None },
                source: parse_code(e, id, "source", EnrolmentSource::parse(&row.source))?,
                fair_id: row.fair_id.map(JobFairId),
                enrolled_at: row.enrolled_at,
                withdrawn_at: row.withdrawn_at,
                completed_on: row.completed_on,
                follow_up_due: (status == EnrolmentStatus::Completed).then(|| row.completed_on.map(tr::follow_up_due)).flatten(),
                follow_up_outcome: row
                    .follow_up_outcome
                    .as_deref()
                    .map(|o| parse_code(e, id, "follow_up_outcome", GraduateOutcome::parse(o)))
                    .transpose()?,
                followed_up_on: row.followed_up_on,
                certificate,
                attendance: attendance.get(&id).copied().unwrap_or_default(),
            })
        })
        .collect()
}

async fn one_enrolment(db: &impl ConnectionTrait, row: training_enrolment::Model) -> StoreResult<Enrolment> {
    let id = row.id;
    to_enrolments(db, vec![row]).await?.pop().ok_or_else(|| not_found("training_enrolment", id))
}

fn already_enrolled() -> StoreError {
    StoreError::conflict(
        "worker_id",
        "enrolment.exists",
        "Người lao động đã ghi danh hoặc đang trong danh sách chờ của lớp này.",
        "The worker is already enrolled in or waiting for this class.",
    )
}

/// Enrols a worker while seats remain, otherwise puts them on the waiting list. One enrolment
/// per worker and class (`Conflict`); a worker who withdrew may enrol again, at the end of the
/// line. Only while the class is enrolling.
pub async fn enrol(
    store: &Store,
    class: ClassId,
    worker: WorkerId,
    source: EnrolmentSource,
    fair: Option<JobFairId>,
) -> StoreResult<Enrolment> {
    let db = store.connection();
    // Reads before the transaction: on SQLite its first statement must be the write.
    if worker_profile::Entity::find_by_id(worker.0).one(db).await?.is_none() {
        return Err(not_found("worker_profile", worker.0));
    }
    if source == EnrolmentSource::Fair && fair.is_none() {
        return Err(invalid("fair_id", "enrolment.fair_missing", "Ghi danh từ phiên giao dịch việc làm phải ghi phiên nào.", "An enrolment from a job fair must name the fair."));
    }
    let txn = db.begin().await?;
    let locked = lock_class(&txn, class).await?;
    let status = class_from(&locked)?.status;
    require_class_status(status, status.accepts_enrolment(), "class.not_enrolling", "nhận ghi danh", "take enrolments")?;
    let existing = enrolment_row(&txn, class, worker).await?;
    if existing.as_ref().is_some_and(|e| e.status != EnrolmentStatus::Withdrawn.code()) {
        return Err(already_enrolled());
    }
    let held = held_seats(&txn, class).await?;
    let has_seat = held < u64::try_from(locked.capacity).unwrap_or(0);
    let new_status = if has_seat { EnrolmentStatus::Enrolled } else { EnrolmentStatus::Waiting };
    let now = stored_time(Utc::now());
    let row = training_enrolment::Model {
        id: existing.as_ref().map_or_else(Uuid::now_v7, |e| e.id),
        class_id: class.0,
        worker_id: worker.0,
        status: new_status.code().to_owned(),
        source: source.code().to_owned(),
        fair_id: fair.map(|f| f.0),
        enrolled_at: now,
        withdrawn_at: None,
        completed_on: None,
        certificate: None,
        follow_up_outcome: None,
        followed_up_on: None,
    };
    if existing.is_some() {
        // `reset_all`: a model converted as is counts as unchanged, and nothing would be written.
        training_enrolment::Entity::update(training_enrolment::ActiveModel::from(row.clone()).reset_all()).exec(&txn).await?;
    } else {
        training_enrolment::Entity::insert(training_enrolment::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(|e| StoreError::from_write(e, |_| Some(already_enrolled())))?;
    }
    let enrolment = one_enrolment(&txn, row).await?;
    txn.commit().await?;
    Ok(enrolment)
}

/// Withdraws a worker (enrolled or waiting) while the class is enrolling; a freed seat goes to
/// the first on the waiting list, who is returned.
pub async fn withdraw(store: &Store, class: ClassId, worker: WorkerId) -> StoreResult<(Enrolment, Option<Enrolment>)> {
    let txn = store.connection().begin().await?;
    let locked = lock_class(&txn, class).await?;
    let status = class_from(&locked)?.status;
    require_class_status(status, status.accepts_enrolment(), "class.not_enrolling", "nhận thay đổi ghi danh", "take changes to enrolments")?;
    let row = enrolment_row(&txn, class, worker).await?.ok_or_else(|| not_found("training_enrolment", worker.0))?;
    let was = parse_code("training_enrolment", row.id, "status", EnrolmentStatus::parse(&row.status))?;
    if was == EnrolmentStatus::Withdrawn {
        let same = one_enrolment(&txn, row).await?;
        txn.commit().await?;
        return Ok((same, None));
    }
    let now = stored_time(Utc::now());
    training_enrolment::Entity::update_many()
        .col_expr(training_enrolment::Column::Status, Expr::value(EnrolmentStatus::Withdrawn.code()))
        .col_expr(training_enrolment::Column::WithdrawnAt, Expr::value(now))
        .filter(training_enrolment::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    let promoted = if was == EnrolmentStatus::Enrolled {
        match waiting_line(&txn, class.0).await?.first() {
            Some(first) => {
                training_enrolment::Entity::update_many()
                    .col_expr(training_enrolment::Column::Status, Expr::value(EnrolmentStatus::Enrolled.code()))
                    .filter(training_enrolment::Column::Id.eq(*first))
                    .exec(&txn)
                    .await?;
                let promoted = training_enrolment::Entity::find_by_id(*first).one(&txn).await?.ok_or_else(|| not_found("training_enrolment", first))?;
                Some(one_enrolment(&txn, promoted).await?)
            }
            None => None,
        }
    } else {
        None
    };
    let withdrawn = training_enrolment::Model { status: EnrolmentStatus::Withdrawn.code().to_owned(), withdrawn_at: Some(now), ..row };
    let withdrawn = one_enrolment(&txn, withdrawn).await?;
    txn.commit().await?;
    Ok((withdrawn, promoted))
}

/// Every enrolment of a class: seat holders and the waiting list in line order.
pub async fn enrolments(store: &Store, class: ClassId) -> StoreResult<Vec<Enrolment>> {
    let db = store.connection();
    class_row(db, class).await?;
    let rows = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.eq(class.0))
        .order_by_asc(training_enrolment::Column::EnrolledAt)
        .order_by_asc(training_enrolment::Column::Id)
        .all(db)
        .await?;
    to_enrolments(db, rows).await
}

pub async fn enrolments_of_worker(store: &Store, worker: WorkerId) -> StoreResult<Vec<Enrolment>> {
    let db = store.connection();
    let rows = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::WorkerId.eq(worker.0))
        .order_by_desc(training_enrolment::Column::EnrolledAt)
        .all(db)
        .await?;
    to_enrolments(db, rows).await
}

/// Marks one class day: the workers named were present, the other enrolled trainees absent.
/// Marking the same day again replaces it. Only while the class runs, on a day of the class.
pub async fn record_attendance(store: &Store, class: ClassId, day: NaiveDate, present: &[WorkerId]) -> StoreResult<Vec<Enrolment>> {
    let txn = store.connection().begin().await?;
    let locked = lock_class(&txn, class).await?;
    let record = class_from(&locked)?;
    require_class_status(record.status, record.status.accepts_attendance(), "class.not_running", "điểm danh", "take attendance")?;
    if day < record.starts_on || day > record.ends_on {
        return Err(invalid("on_date", "attendance.date", "Ngày điểm danh nằm ngoài thời gian của lớp.", "The day is outside the class's dates."));
    }
    let trainees = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.eq(class.0))
        .filter(training_enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.code()))
        .all(&txn)
        .await?;
    let present: HashSet<Uuid> = present.iter().map(|w| w.0).collect();
    let enrolled: HashSet<Uuid> = trainees.iter().map(|t| t.worker_id).collect();
    if let Some(stranger) = present.iter().find(|w| !enrolled.contains(w)) {
        return Err(invalid(
            "present",
            "attendance.not_enrolled",
            format!("Người lao động {stranger} không có tên trong lớp."),
            format!("Worker {stranger} is not enrolled in the class."),
        ));
    }
    let ids: Vec<Uuid> = trainees.iter().map(|t| t.id).collect();
    training_attendance::Entity::delete_many()
        .filter(training_attendance::Column::EnrolmentId.is_in(ids.clone()))
        .filter(training_attendance::Column::OnDate.eq(day))
        .exec(&txn)
        .await?;
    if !trainees.is_empty() {
        training_attendance::Entity::insert_many(trainees.iter().map(|t| training_attendance::ActiveModel {
            enrolment_id: Set(t.id),
            on_date: Set(day),
            present: Set(present.contains(&t.worker_id)),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let result = to_enrolments(&txn, trainees).await?;
    txn.commit().await?;
    Ok(result)
}

/// Records a trainee's result. Passed: the enrolment is completed and the certificate (kind from
/// the class's level) is added to the worker's profile in the same transaction, through the
/// records update path (so search and matching see it). Not passed: `not_completed`.
pub async fn complete(store: &Store, class: ClassId, mut completion: Completion) -> StoreResult<Enrolment> {
    let db = store.connection();
    let worker = completion.worker_id;
    let mut profile = get_worker(store, worker).await?;
    let provider_name = {
        let row = class_row(db, class).await?;
        training_provider::Entity::find_by_id(row.provider_id).one(db).await?.map(|p| p.name).unwrap_or_default()
    };
    let txn = db.begin().await?;
    let locked = lock_class(&txn, class).await?;
    let record = class_from(&locked)?;
    require_class_status(record.status, record.status.accepts_results(), "class.not_running", "ghi kết quả học", "take results")?;
    if completion.issued_on < record.starts_on {
        return Err(invalid("issued_on", "completion.date", "Ngày cấp chứng chỉ trước ngày khai giảng.", "The certificate is dated before the class started."));
    }
    let row = enrolment_row(&txn, class, worker).await?.ok_or_else(|| not_found("training_enrolment", worker.0))?;
    if row.status != EnrolmentStatus::Enrolled.code() {
        return Err(invalid(
            "worker_id",
            "completion.not_enrolled",
            "Chỉ ghi kết quả cho học viên đang học; kết quả đã ghi không sửa ở đây.",
            "Results are recorded once, for trainees who are enrolled.",
        ));
    }
    let certificate = if completion.passed {
        let mut certificate = VocationalCertificate {
            kind: record.level.certificate_kind(),
            number: completion.certificate_number.take(),
            issued_on: completion.issued_on,
            trade: record.trade.clone(),
            title: record.title.clone(),
            level: record.level,
            skills: record.skills.clone(),
            issuer: if provider_name.is_empty() { "—".to_owned() } else { provider_name },
            class_id: Some(class),
        };
        certificate.validate()?;
        Some(certificate)
    } else {
        None
    };
    let status = if completion.passed { EnrolmentStatus::Completed } else { EnrolmentStatus::NotCompleted };
    training_enrolment::Entity::update_many()
        .col_expr(training_enrolment::Column::Status, Expr::value(status.code()))
        .col_expr(training_enrolment::Column::CompletedOn, Expr::value(completion.issued_on))
        .col_expr(training_enrolment::Column::Certificate, Expr::value(certificate.as_ref().map(json_text)))
        .filter(training_enrolment::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    if let Some(certificate) = &certificate {
        profile.certificates.push(certificate.clone());
        write_worker_update(&txn, &profile, Utc::now()).await?;
    }
    let updated = training_enrolment::Entity::find_by_id(row.id).one(&txn).await?.ok_or_else(|| not_found("training_enrolment", row.id))?;
    let enrolment = one_enrolment(&txn, updated).await?;
    txn.commit().await?;
    Ok(enrolment)
}

/// Whether a graduate had work six months on (the follow-up, once, on or after completion).
pub async fn record_graduate_follow_up(
    store: &Store,
    class: ClassId,
    worker: WorkerId,
    outcome: GraduateOutcome,
    on: NaiveDate,
) -> StoreResult<Enrolment> {
    let db = store.connection();
    let row = enrolment_row(db, class, worker).await?.ok_or_else(|| not_found("training_enrolment", worker.0))?;
    let Some(completed_on) = row.completed_on.filter(|_| row.status == EnrolmentStatus::Completed.code()) else {
        return Err(invalid("worker_id", "follow_up.not_graduate", "Chỉ theo dõi việc làm của học viên đã hoàn thành khóa học.", "Only graduates are followed up."));
    };
    if on < completed_on {
        return Err(invalid("on", "follow_up.date", "Ngày theo dõi trước ngày hoàn thành khóa học.", "The follow-up is dated before completion."));
    }
    training_enrolment::Entity::update_many()
        .col_expr(training_enrolment::Column::FollowUpOutcome, Expr::value(outcome.code()))
        .col_expr(training_enrolment::Column::FollowedUpOn, Expr::value(on))
        .filter(training_enrolment::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    let row = training_enrolment::Model { follow_up_outcome: Some(outcome.code().to_owned()), followed_up_on: Some(on), ..row };
    one_enrolment(db, row).await
}

/// Completed enrolments of workers in `area` (by residence) completed between the dates.
/// Without `from`, every completion up to `to` (PostgreSQL refuses dates as early as `NaiveDate::MIN`).
async fn graduates(db: &impl ConnectionTrait, area: &ResultArea, from: Option<NaiveDate>, to: NaiveDate) -> StoreResult<Vec<training_enrolment::Model>> {
    let mut select = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::Status.eq(EnrolmentStatus::Completed.code()))
        .filter(training_enrolment::Column::CompletedOn.lte(to));
    if let Some(from) = from {
        select = select.filter(training_enrolment::Column::CompletedOn.gte(from));
    }
    if let Some(residents) = workers_in(area) {
        select = select.filter(Expr::col(training_enrolment::Column::WorkerId).in_subquery(residents));
    }
    Ok(select.order_by_asc(training_enrolment::Column::CompletedOn).all(db).await?)
}

/// Graduates of the area whose six-month follow-up is due by `today` and not yet recorded.
pub async fn due_graduate_follow_ups(store: &Store, area: &ResultArea, today: NaiveDate) -> StoreResult<Vec<Enrolment>> {
    let db = store.connection();
    let latest_completion = today.checked_sub_months(chrono::Months::new(tr::FOLLOW_UP_MONTHS)).unwrap_or(today);
    let rows: Vec<training_enrolment::Model> = graduates(db, area, None, latest_completion)
        .await?
        .into_iter()
        .filter(|r| r.follow_up_outcome.is_none())
        .collect();
    to_enrolments(db, rows).await
}

/// Graduates of the area who completed between the dates, and how they fared.
pub async fn graduate_report(store: &Store, area: &ResultArea, bounds: (NaiveDate, NaiveDate)) -> StoreResult<GraduateReport> {
    let rows = graduates(store.connection(), area, Some(bounds.0), bounds.1).await?;
    let mut by_outcome: BTreeMap<String, u32> = BTreeMap::new();
    let (mut followed_up, mut with_work) = (0u32, 0u32);
    for outcome in rows.iter().filter_map(|r| r.follow_up_outcome.as_deref()) {
        followed_up += 1;
        *by_outcome.entry(outcome.to_owned()).or_default() += 1;
        with_work += u32::from(GraduateOutcome::parse(outcome).is_ok_and(GraduateOutcome::has_work));
    }
    Ok(GraduateReport {
        graduates: count_u32(rows.len() as u64),
        followed_up,
        with_work,
        with_work_percent: (followed_up > 0).then(|| f64::from(with_work) * 100.0 / f64::from(followed_up)),
        by_outcome,
    })
}

/// Training sign-ups at job fairs by workers of the area that no enrolment made since has
/// followed: the people to call when a class opens.
pub async fn leads(store: &Store, area: &ResultArea) -> StoreResult<Vec<Lead>> {
    let db = store.connection();
    let mut select = fair_interaction::Entity::find()
        .select_only()
        .column(fair_interaction::Column::WorkerId)
        .column(fair_interaction::Column::FairId)
        .column(fair_interaction::Column::At)
        .filter(fair_interaction::Column::Kind.eq(InteractionKind::TrainingSignup.code()))
        .order_by_asc(fair_interaction::Column::At);
    if let Some(residents) = workers_in(area) {
        select = select.filter(Expr::col(fair_interaction::Column::WorkerId).in_subquery(residents));
    }
    let signups: Vec<(Uuid, Uuid, DateTime<Utc>)> = select.into_tuple().all(db).await?;
    let workers: Vec<Uuid> = signups.iter().map(|s| s.0).collect::<HashSet<_>>().into_iter().collect();
    let mut latest_enrolment: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let mut profiles: HashMap<Uuid, (String, Option<String>)> = HashMap::new();
    for chunk in workers.chunks(500) {
        let rows: Vec<(Uuid, DateTime<Utc>)> = training_enrolment::Entity::find()
            .select_only()
            .column(training_enrolment::Column::WorkerId)
            .column(training_enrolment::Column::EnrolledAt)
            .filter(training_enrolment::Column::WorkerId.is_in(chunk.iter().copied()))
            .filter(training_enrolment::Column::Status.ne(EnrolmentStatus::Withdrawn.code()))
            .into_tuple()
            .all(db)
            .await?;
        for (worker, at) in rows {
            let entry = latest_enrolment.entry(worker).or_insert(at);
            *entry = Ord::max(*entry, at);
        }
        let rows: Vec<(Uuid, String, Option<String>)> = worker_profile::Entity::find()
            .select_only()
            .column(worker_profile::Column::Id)
            .column(worker_profile::Column::ResidenceCommuneCode)
            .column(worker_profile::Column::DesiredIscoCode)
            .filter(worker_profile::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        profiles.extend(rows.into_iter().map(|(id, commune, isco)| (id, (commune, isco))));
    }
    // The latest sign-up per worker, if nothing followed it.
    let mut latest: HashMap<Uuid, (Uuid, DateTime<Utc>)> = HashMap::new();
    for (worker, fair, at) in signups {
        latest.insert(worker, (fair, at));
    }
    let mut out: Vec<Lead> = latest
        .into_iter()
        .filter(|(worker, (_, at))| latest_enrolment.get(worker).is_none_or(|enrolled| enrolled < at))
        .filter_map(|(worker, (fair, at))| {
            let (commune, isco) = profiles.get(&worker)?;
            Some(Lead {
                worker_id: WorkerId(worker),
                fair_id: JobFairId(fair),
                signed_up_at: at,
                residence_commune: CommuneCode::parse(commune).ok()?,
                desired_occupation: isco.as_deref().and_then(|c| IscoCode::parse(c).ok()),
            })
        })
        .collect();
    out.sort_by_key(|l| (l.signed_up_at, l.worker_id));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Survey

fn survey_row(response: &SurveyResponse, by: Option<Uuid>, now: DateTime<Utc>) -> training_survey_response::ActiveModel {
    training_survey_response::ActiveModel {
        id: Set(response.id.0),
        commune_code: Set(response.commune_code.to_string()),
        province_code: Set(province_of(&response.commune_code)),
        worker_id: Set(response.worker_id.map(|w| w.0)),
        respondent_name: Set(response.respondent_name.clone()),
        sex: Set(response.sex.map(|s| s.code().to_owned())),
        birth_year: Set(response.birth_year.map(i32::from)),
        trades: Set(json_text(&response.trades)),
        preferred_time: Set(response.preferred_time.code().to_owned()),
        preferred_place: Set(response.preferred_place.clone()),
        needs_support: Set(response.needs_support),
        priority_groups: Set(json_text(&response.priority_groups)),
        source: Set(response.source.code().to_owned()),
        fair_id: Set(response.fair_id.map(|f| f.0)),
        surveyed_on: Set(response.surveyed_on),
        recorded_by: Set(by),
        recorded_at: Set(now),
    }
}

fn survey_from(row: training_survey_response::Model) -> StoreResult<SurveyResponse> {
    let e = "training_survey_response";
    let id = row.id;
    Ok(SurveyResponse {
        id: SurveyResponseId(id),
        commune_code: parse_code(e, id, "commune_code", CommuneCode::parse(&row.commune_code))?,
        worker_id: row.worker_id.map(WorkerId),
        respondent_name: row.respondent_name,
        sex: row.sex.as_deref().map(|s| parse_code(e, id, "sex", Sex::parse(s))).transpose()?,
        birth_year: row.birth_year.and_then(|y| u16::try_from(y).ok()),
        trades: from_json(e, id, "trades", &row.trades)?,
        preferred_time: parse_code(e, id, "preferred_time", tr::PreferredTime::parse(&row.preferred_time))?,
        preferred_place: row.preferred_place,
        needs_support: row.needs_support,
        priority_groups: from_json(e, id, "priority_groups", &row.priority_groups)?,
        source: parse_code(e, id, "source", tr::SurveySource::parse(&row.source))?,
        fair_id: row.fair_id.map(JobFairId),
        surveyed_on: row.surveyed_on,
    })
}

/// Records survey answers in one transaction: every answer is validated first; if any is
/// invalid nothing is written and every row's problem is returned (the sheet is fixed and sent
/// again whole, so a list is never half in).
pub async fn record_survey(store: &Store, mut responses: Vec<SurveyResponse>, by: Option<Uuid>) -> StoreResult<SurveyImport> {
    let mut rejected = Vec::new();
    for (index, response) in responses.iter_mut().enumerate() {
        if let Err(error) = response.validate() {
            rejected.push(RowProblem::new(count_u32(index as u64 + 1), error));
        }
    }
    if !rejected.is_empty() {
        return Ok(SurveyImport { imported: 0, rejected });
    }
    let now = stored_time(Utc::now());
    let txn = store.connection().begin().await?;
    for chunk in responses.chunks(200) {
        training_survey_response::Entity::insert_many(chunk.iter().map(|r| survey_row(r, by, now)))
            .exec_without_returning(&txn)
            .await
            .map_err(|e| StoreError::from_write(e, |_| None))?;
    }
    txn.commit().await?;
    Ok(SurveyImport { imported: count_u32(responses.len() as u64), rejected })
}

/// Imports the commune's survey list from an XLSX sheet (the columns of
/// [`tr::SURVEY_HEADERS`]), all or nothing, with every bad row reported by its row number. A
/// row whose commune `in_area` refuses (outside the importer's area) is a bad row.
pub async fn import_survey_xlsx(
    store: &Store,
    bytes: &[u8],
    commune: Option<&CommuneCode>,
    classify: &(dyn Fn(&str) -> Option<IscoCode> + Sync),
    in_area: &(dyn Fn(&CommuneCode) -> bool + Sync),
    by: Option<Uuid>,
) -> StoreResult<SurveyImport> {
    let today = crate::fairs::vietnam_date(Utc::now());
    let sheet = match read_first_sheet(bytes, "survey_import.file") {
        Ok(sheet) => sheet,
        Err(problem) => return Ok(SurveyImport { imported: 0, rejected: vec![problem] }),
    };
    let columns = match tr::SurveyColumns::from_header(&sheet.header) {
        Ok(columns) => columns,
        Err(e) => return Ok(SurveyImport { imported: 0, rejected: vec![RowProblem::new(sheet.header_row, e)] }),
    };
    let mut responses = Vec::with_capacity(sheet.rows.len());
    let mut rejected = Vec::new();
    for (number, cells) in &sheet.rows {
        match columns.parse_row(cells, commune, today, classify) {
            Ok(response) if !in_area(&response.commune_code) => rejected.push(RowProblem::new(
                *number,
                ValidationError::new(
                    "commune",
                    "survey.outside_area",
                    format!("Xã {} nằm ngoài địa bàn của bạn.", response.commune_code),
                    format!("Commune {} is outside your area.", response.commune_code),
                ),
            )),
            Ok(response) => responses.push(response),
            Err(e) => rejected.push(RowProblem::new(*number, e)),
        }
    }
    if !rejected.is_empty() {
        return Ok(SurveyImport { imported: 0, rejected });
    }
    record_survey(store, responses, by).await
}

/// Answers taken in the area between the dates (both included).
pub async fn survey_responses(store: &Store, area: &ResultArea, (from, to): (NaiveDate, NaiveDate)) -> StoreResult<Vec<SurveyResponse>> {
    training_survey_response::Entity::find()
        .filter(in_area(area, training_survey_response::Column::CommuneCode, training_survey_response::Column::ProvinceCode))
        .filter(training_survey_response::Column::SurveyedOn.between(from, to))
        .order_by_asc(training_survey_response::Column::SurveyedOn)
        .order_by_asc(training_survey_response::Column::Id)
        .all(store.connection())
        .await?
        .into_iter()
        .map(survey_from)
        .collect()
}

pub async fn survey_summary(store: &Store, area: &ResultArea, bounds: (NaiveDate, NaiveDate)) -> StoreResult<SurveySummary> {
    Ok(tr::summarise(&survey_responses(store, area, bounds).await?))
}

/// Per trade (ISCO unit group) in the area: places in open domestic vacancies, certificates held
/// by residents, seats in classes not yet finished, and how many surveyed people want it.
pub async fn trade_balance(store: &Store, area: &ResultArea, bounds: (NaiveDate, NaiveDate)) -> StoreResult<Vec<TradeBalance>> {
    let db = store.connection();
    let summary = survey_summary(store, area, bounds).await?;

    let mut demand: BTreeMap<String, u32> = BTreeMap::new();
    let open: Vec<(String, i32)> = vacancy::Entity::find()
        .select_only()
        .column(vacancy::Column::IscoCode)
        .column(vacancy::Column::Quantity)
        .filter(vacancy::Column::Status.eq("open"))
        .filter(vacancy::Column::IsOverseas.eq(false))
        .filter(in_area(area, vacancy::Column::WorkplaceCommuneCode, vacancy::Column::WorkplaceProvinceCode))
        .into_tuple()
        .all(db)
        .await?;
    for (isco, quantity) in open {
        let key: String = isco.chars().take(4).collect();
        *demand.entry(key).or_default() += u32::try_from(quantity).unwrap_or(0);
    }

    let mut trained: BTreeMap<String, u32> = BTreeMap::new();
    let residents: Vec<serde_json::Value> = worker_profile::Entity::find()
        .select_only()
        .column(worker_profile::Column::Certificates)
        .filter(in_area(area, worker_profile::Column::ResidenceCommuneCode, worker_profile::Column::ResidenceProvinceCode))
        .into_tuple()
        .all(db)
        .await?;
    for certificates in residents {
        let certificates: Vec<VocationalCertificate> = serde_json::from_value(certificates).unwrap_or_default();
        let trades: HashSet<String> = certificates.iter().map(|c| tr::unit_group(&c.trade)).collect();
        for trade in trades {
            *trained.entry(trade).or_default() += 1;
        }
    }

    let mut seats: BTreeMap<String, u32> = BTreeMap::new();
    let classes: Vec<(String, i32)> = training_class::Entity::find()
        .select_only()
        .column(training_class::Column::Trade)
        .column(training_class::Column::Capacity)
        .filter(training_class::Column::Status.is_in([ClassStatus::Planned.code(), ClassStatus::Enrolling.code(), ClassStatus::Running.code()]))
        .filter(in_area(area, training_class::Column::CommuneCode, training_class::Column::ProvinceCode))
        .into_tuple()
        .all(db)
        .await?;
    for (trade, capacity) in classes {
        let key: String = trade.chars().take(4).collect();
        *seats.entry(key).or_default() += u32::try_from(capacity).unwrap_or(0);
    }
    Ok(tr::balance(&demand, &trained, &seats, &summary))
}
