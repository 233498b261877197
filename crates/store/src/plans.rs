//! Plans and results (issue #9): targets per indicator, area and year or quarter; values of
//! manual indicators; and actuals computed from the records for any period and area, rolled up
//! commune → province → nation, with % of plan and the same period last year. Exported as CSV
//! (with a byte-order mark) and XLSX, and charted as SVG.
//!
//! Each computed source is one query over its records ([`events`]); a result belongs to the area
//! of the record: the venue commune for fairs, the worker's residence commune (as it is now) for
//! interactions and overseas moves. Days are Vietnamese days (UTC+7).
//!
//! Seekers are counted once per indicator and fair, as in the fair report; over several fairs
//! the counts add up ("lượt người"), which is how the offices report them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use caunoi_domain::fairs::InteractionKind;
use caunoi_domain::plans::{
    Figure, Indicator, IndicatorCatalog, IndicatorFilter, IndicatorSource, ManualValue, Plan, PlanArea, PlanPeriod,
    ReportPeriod, achievement_chart_svg, format_percent_vi, parse_plan_row, percent_change, percent_of_plan,
    plan_columns,
};
use caunoi_domain::records::{FairStatus, OverseasStage, PriorityGroup};
use caunoi_domain::training::{EnrolmentStatus, VocationalCertificate};
use caunoi_domain::{AdminCatalog, CommuneCode, ProvinceCode, Qualification, ValidationError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, TransactionTrait};
use uuid::Uuid;

use crate::entities::{
    fair_headcount, fair_interaction, fair_place, job_fair, manual_value, overseas_registration,
    overseas_stage_history, plan, training_class, training_enrolment, worker_profile,
};
use crate::error::StoreError;
use crate::fair_report::{Cell, to_csv, to_xlsx};
use crate::fairs::{vietnam_date, vietnam_midnight};
use crate::{Store, StoreResult};

/// Rows per `IN (…)` list when loading records by id.
const IDS_PER_QUERY: usize = 500;

/// Fairs that took place: the statuses from the day itself on.
const HELD: [FairStatus; 4] =
    [FairStatus::InProgress, FairStatus::Closed, FairStatus::ResultsEntered, FairStatus::Reported];

/// Interactions that count as introducing a worker to a job.
const REFERRALS: [InteractionKind; 4] = [
    InteractionKind::Interviewed,
    InteractionKind::CvTaken,
    InteractionKind::AppointmentSet,
    InteractionKind::HiredOnSpot,
];

// ---------------------------------------------------------------------------------------------
// Plans and manual values

/// The stored quarter: 0 for the whole year (see the migration: NULLs would not be unique).
fn stored_quarter(period: &PlanPeriod) -> i16 {
    period.quarter.map_or(0, i16::from)
}

fn period_of(year: i32, quarter: i16) -> PlanPeriod {
    PlanPeriod { year, quarter: u8::try_from(quarter).ok().filter(|q| *q > 0) }
}

/// The key plans and manual values share (see the migration).
const ENTRY_KEY: [&str; 5] = ["indicator", "area_kind", "area_code", "year", "quarter"];

/// Upsert on the entry key: entering the same indicator, area and period again replaces
/// `updated`.
fn replacing(updated: &[&'static str]) -> OnConflict {
    OnConflict::columns(ENTRY_KEY.map(Alias::new)).update_columns(updated.iter().map(|c| Alias::new(*c))).to_owned()
}

fn plan_row(plan: &Plan) -> plan::ActiveModel {
    plan::ActiveModel {
        indicator: Set(plan.indicator.clone()),
        area_kind: Set(plan.area.kind().to_owned()),
        area_code: Set(plan.area.code().to_owned()),
        year: Set(plan.period.year),
        quarter: Set(stored_quarter(&plan.period)),
        target_hundredths: Set(plan.target.hundredths()),
        entered_by: Set(plan.entered_by),
        entered_at: Set(plan.entered_at),
    }
}

/// Writes plans, replacing any with the same indicator, area and period.
async fn write_plans(db: &impl ConnectionTrait, plans: &[Plan]) -> StoreResult<()> {
    for plan in plans {
        plan::Entity::insert(plan_row(plan))
            .on_conflict(replacing(&["target_hundredths", "entered_by", "entered_at"]))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Enters a plan (a target), replacing the one for the same indicator, area and period.
pub async fn upsert_plan(store: &Store, plan: Plan) -> StoreResult<Plan> {
    plan.validate(IndicatorCatalog::embedded())?;
    write_plans(store.connection(), std::slice::from_ref(&plan)).await?;
    Ok(plan)
}

fn plan_from(row: plan::Model) -> StoreResult<Plan> {
    let area = PlanArea::from_stored(&row.area_kind, &row.area_code)
        .map_err(|e| StoreError::corrupt("plan", &row.area_code, e.message_en))?;
    Ok(Plan {
        period: period_of(row.year, row.quarter),
        indicator: row.indicator,
        area,
        target: Figure::from_hundredths(row.target_hundredths),
        entered_by: row.entered_by,
        entered_at: row.entered_at,
    })
}

/// The plans of a year (yearly and quarterly), optionally of one area, by indicator and area.
pub async fn plans_of_year(store: &Store, year: i32, area: Option<&PlanArea>) -> StoreResult<Vec<Plan>> {
    let mut query = plan::Entity::find().filter(plan::Column::Year.eq(year));
    if let Some(area) = area {
        query = query.filter(plan::Column::AreaKind.eq(area.kind())).filter(plan::Column::AreaCode.eq(area.code()));
    }
    let mut plans = query.all(store.connection()).await?.into_iter().map(plan_from).collect::<StoreResult<Vec<_>>>()?;
    plans.sort_by(|a, b| (&a.indicator, &a.area, a.period).cmp(&(&b.indicator, &b.area, b.period)));
    Ok(plans)
}

/// Enters the value of a manual indicator (a survey figure) for an area and period, replacing
/// the one entered before.
pub async fn record_manual_value(
    store: &Store,
    indicator: &str,
    area: PlanArea,
    period: PlanPeriod,
    value: Figure,
    source_note: &str,
    entered_by: Option<Uuid>,
) -> StoreResult<ManualValue> {
    let entry = ManualValue {
        indicator: indicator.trim().to_owned(),
        area,
        period,
        value,
        source_note: caunoi_domain::text::normalize(source_note),
        entered_by,
        entered_at: now(),
    };
    entry.validate(IndicatorCatalog::embedded())?;
    let row = manual_value::ActiveModel {
        indicator: Set(entry.indicator.clone()),
        area_kind: Set(entry.area.kind().to_owned()),
        area_code: Set(entry.area.code().to_owned()),
        year: Set(entry.period.year),
        quarter: Set(stored_quarter(&entry.period)),
        value_hundredths: Set(entry.value.hundredths()),
        source_note: Set(entry.source_note.clone()),
        entered_by: Set(entry.entered_by),
        entered_at: Set(entry.entered_at),
    };
    manual_value::Entity::insert(row)
        .on_conflict(replacing(&["value_hundredths", "source_note", "entered_by", "entered_at"]))
        .exec_without_returning(store.connection())
        .await?;
    Ok(entry)
}

/// PostgreSQL keeps microseconds: trimming first makes what a call returns equal a later read.
fn now() -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(Utc::now(), 6)
}

// ---------------------------------------------------------------------------------------------
// Plan import from a spreadsheet

pub use crate::sheet::RowProblem;
use crate::sheet::read_first_sheet;

/// What an import did: every plan applied, or none and the rows that stopped it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanImport {
    /// Plans written (0 when any row was refused).
    pub applied: u32,
    pub rejected: Vec<RowProblem>,
}

/// Reads the plans of the first sheet (header "Mã chỉ tiêu | Địa bàn (mã xã hoặc mã tỉnh) | Năm
/// | Quý | Kế hoạch", with or without diacritics). Every bad row is reported; a row repeating an
/// earlier one's indicator, area and period is refused too, since one of them would be lost.
pub fn read_plan_sheet(
    bytes: &[u8],
    entered_by: Option<Uuid>,
    entered_at: DateTime<Utc>,
) -> Result<Vec<Plan>, Vec<RowProblem>> {
    let sheet = read_first_sheet(bytes, "plan_import.file").map_err(|p| vec![p])?;
    let columns = plan_columns(&sheet.header).map_err(|e| vec![RowProblem::new(sheet.header_row, e)])?;
    let catalog = IndicatorCatalog::embedded();
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, PlanArea, PlanPeriod), u32> = HashMap::new();
    for (number, texts) in sheet.rows {
        let cell = |c: usize| texts.get(columns[c]).map_or("", String::as_str);
        match parse_plan_row(catalog, [cell(0), cell(1), cell(2), cell(3), cell(4)], entered_by, entered_at) {
            Ok(plan) => {
                let key = (plan.indicator.clone(), plan.area.clone(), plan.period);
                if let Some(earlier) = seen.insert(key, number) {
                    problems.push(RowProblem::new(
                        number,
                        ValidationError::new(
                            "row",
                            "plan_import.duplicate",
                            format!("Trùng chỉ tiêu, địa bàn và kỳ với dòng {earlier}."),
                            format!("Same indicator, area and period as row {earlier}."),
                        ),
                    ));
                }
                plans.push(plan);
            }
            Err(e) => problems.push(RowProblem::new(number, e)),
        }
    }
    if problems.is_empty() { Ok(plans) } else { Err(problems) }
}

/// Imports plans from an XLSX sheet, all or nothing: with any bad row nothing is written and
/// every bad row is reported with its number and reason.
pub async fn import_plans_xlsx(store: &Store, bytes: &[u8], entered_by: Option<Uuid>) -> StoreResult<PlanImport> {
    let plans = match read_plan_sheet(bytes, entered_by, now()) {
        Ok(plans) => plans,
        Err(rejected) => return Ok(PlanImport { applied: 0, rejected }),
    };
    let txn = store.connection().begin().await?;
    write_plans(&txn, &plans).await?;
    txn.commit().await?;
    Ok(PlanImport { applied: u32::try_from(plans.len()).unwrap_or(u32::MAX), rejected: Vec::new() })
}

// ---------------------------------------------------------------------------------------------
// Events: what each source counts, one per record

/// One counted record: where and when, how much, and the key that makes it distinct (a seeker
/// per fair), if any.
#[derive(Debug, Clone)]
struct Event {
    commune: String,
    day: NaiveDate,
    weight: u64,
    distinct: Option<(Uuid, Uuid)>,
}

/// The area a query is narrowed to in SQL, before the roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultArea {
    Nation,
    Province(ProvinceCode),
    Commune(CommuneCode),
}

impl ResultArea {
    fn kind(&self) -> &'static str {
        match self {
            Self::Nation => "nation",
            Self::Province(_) => "province",
            Self::Commune(_) => "commune",
        }
    }

    fn code(&self) -> String {
        match self {
            Self::Nation => String::new(),
            Self::Province(p) => p.to_string(),
            Self::Commune(c) => c.to_string(),
        }
    }

    fn name(&self) -> String {
        match self {
            Self::Nation => "Toàn quốc".to_owned(),
            Self::Province(p) => PlanArea::Province(p.clone()).name(),
            Self::Commune(c) => PlanArea::Commune(c.clone()).name(),
        }
    }

    fn plan_area(&self) -> Option<PlanArea> {
        match self {
            Self::Nation => None,
            Self::Province(p) => Some(PlanArea::Province(p.clone())),
            Self::Commune(c) => Some(PlanArea::Commune(c.clone())),
        }
    }

    fn contains(&self, commune: &str, provinces: &ProvinceOf) -> bool {
        match self {
            Self::Nation => true,
            Self::Province(p) => provinces.of(commune).is_some_and(|q| q == p.as_str()),
            Self::Commune(c) => c.as_str() == commune,
        }
    }

    fn require_exists(&self) -> Result<(), ValidationError> {
        self.plan_area().map_or(Ok(()), |a| a.require_exists())
    }
}

/// Each commune's province, from the reference catalogue.
#[derive(Default)]
struct ProvinceOf(HashMap<String, Option<String>>);

impl ProvinceOf {
    fn of(&self, commune: &str) -> Option<&str> {
        self.0.get(commune).and_then(|p| p.as_deref())
    }

    fn learn(&mut self, commune: &str) {
        self.0.entry(commune.to_owned()).or_insert_with(|| {
            CommuneCode::parse(commune)
                .ok()
                .and_then(|c| AdminCatalog::embedded().commune(&c).map(|c| c.province_code.to_string()))
        });
    }
}

/// The workers living in the area (for the worker-based sources).
pub(crate) fn workers_in(area: &ResultArea) -> Option<SelectStatement> {
    let query = worker_profile::Entity::find().select_only().column(worker_profile::Column::Id);
    match area {
        ResultArea::Nation => None,
        ResultArea::Province(p) => {
            Some(query.filter(worker_profile::Column::ResidenceProvinceCode.eq(p.as_str())).into_query())
        }
        ResultArea::Commune(c) => {
            Some(query.filter(worker_profile::Column::ResidenceCommuneCode.eq(c.as_str())).into_query())
        }
    }
}

struct WorkerInfo {
    commune: String,
    poor: bool,
}

async fn worker_info(db: &impl ConnectionTrait, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, WorkerInfo>> {
    let poor = [PriorityGroup::PoorHousehold.code(), PriorityGroup::NearPoorHousehold.code()];
    let mut info = HashMap::with_capacity(ids.len());
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(Uuid, String, serde_json::Value)> = worker_profile::Entity::find()
            .select_only()
            .column(worker_profile::Column::Id)
            .column(worker_profile::Column::ResidenceCommuneCode)
            .column(worker_profile::Column::PriorityGroups)
            .filter(worker_profile::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, commune, groups) in rows {
            let groups: Vec<String> = serde_json::from_value(groups)
                .map_err(|e| StoreError::corrupt("worker_profile", id, format!("priority_groups: {e}")))?;
            info.insert(id, WorkerInfo { commune, poor: groups.iter().any(|g| poor.contains(&g.as_str())) });
        }
    }
    Ok(info)
}

fn held_fairs() -> SelectStatement {
    job_fair::Entity::find()
        .select_only()
        .column(job_fair::Column::Id)
        .filter(job_fair::Column::Status.is_in(HELD.iter().map(|s| s.code())))
        .into_query()
}

/// Seekers with an interaction of these kinds, by the day of the interaction.
async fn interaction_events(
    db: &impl ConnectionTrait,
    kinds: &[InteractionKind],
    area: &ResultArea,
    (from, to): (NaiveDate, NaiveDate),
    poor_only: bool,
) -> StoreResult<Vec<Event>> {
    let mut query = fair_interaction::Entity::find()
        .select_only()
        .column(fair_interaction::Column::FairId)
        .column(fair_interaction::Column::WorkerId)
        .column(fair_interaction::Column::At)
        .filter(fair_interaction::Column::Kind.is_in(kinds.iter().map(|k| k.code())))
        .filter(fair_interaction::Column::At.gte(vietnam_midnight(from)))
        .filter(fair_interaction::Column::At.lt(vietnam_midnight(to) + Duration::days(1)))
        // Outcomes of a fair cancelled after it opened do not count, as the fair does not.
        .filter(Expr::col(fair_interaction::Column::FairId).in_subquery(held_fairs()));
    if let Some(workers) = workers_in(area) {
        query = query.filter(Expr::col(fair_interaction::Column::WorkerId).in_subquery(workers));
    }
    let rows: Vec<(Uuid, Uuid, DateTime<Utc>)> = query.into_tuple().all(db).await?;
    let info = worker_info(db, &rows.iter().map(|r| r.1).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(fair, worker, at)| {
            let w = info.get(&worker).filter(|w| !poor_only || w.poor)?;
            Some(Event { commune: w.commune.clone(), day: vietnam_date(at), weight: 1, distinct: Some((fair, worker)) })
        })
        .collect())
}

/// Moves to `stage` in the overseas stage history, by the day of the move.
async fn stage_events(
    db: &impl ConnectionTrait,
    stage: OverseasStage,
    filter: Option<&IndicatorFilter>,
    area: &ResultArea,
    (from, to): (NaiveDate, NaiveDate),
    poor_only: bool,
) -> StoreResult<Vec<Event>> {
    let moves: Vec<(Uuid, NaiveDate)> = overseas_stage_history::Entity::find()
        .select_only()
        .column(overseas_stage_history::Column::RegistrationId)
        .column(overseas_stage_history::Column::OnDate)
        .filter(overseas_stage_history::Column::ToStage.eq(stage.code()))
        .filter(overseas_stage_history::Column::OnDate.between(from, to))
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<Uuid> = moves.iter().map(|m| m.0).collect();
    ids.sort();
    ids.dedup();
    let mut registrations: HashMap<Uuid, Uuid> = HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut query = overseas_registration::Entity::find()
            .select_only()
            .column(overseas_registration::Column::Id)
            .column(overseas_registration::Column::WorkerId)
            .filter(overseas_registration::Column::Id.is_in(chunk.iter().copied()));
        if let Some(country) = filter.and_then(|f| f.country.as_ref()) {
            query = query.filter(overseas_registration::Column::CountryCode.eq(country.to_string()));
        }
        if let Some(programme) = filter.and_then(|f| f.programme) {
            query = query.filter(overseas_registration::Column::Programme.eq(programme.code()));
        }
        if let Some(workers) = workers_in(area) {
            query = query.filter(Expr::col(overseas_registration::Column::WorkerId).in_subquery(workers));
        }
        registrations.extend(query.into_tuple::<(Uuid, Uuid)>().all(db).await?);
    }
    let info = worker_info(db, &registrations.values().copied().collect::<Vec<_>>()).await?;
    Ok(moves
        .into_iter()
        .filter_map(|(registration, day)| {
            let w = registrations.get(&registration).and_then(|w| info.get(w)).filter(|w| !poor_only || w.poor)?;
            Some(Event { commune: w.commune.clone(), day, weight: 1, distinct: None })
        })
        .collect())
}

/// Fairs held in the period (by the day they started), with the attendance of each when asked.
async fn fair_events(
    db: &impl ConnectionTrait,
    area: &ResultArea,
    (from, to): (NaiveDate, NaiveDate),
    attendance: bool,
) -> StoreResult<Vec<Event>> {
    let mut condition = sea_orm::Condition::all()
        .add(job_fair::Column::Status.is_in(HELD.iter().map(|s| s.code())))
        .add(job_fair::Column::StartsAt.gte(vietnam_midnight(from)))
        .add(job_fair::Column::StartsAt.lt(vietnam_midnight(to) + Duration::days(1)));
    condition = match area {
        ResultArea::Nation => condition,
        ResultArea::Province(p) => condition.add(job_fair::Column::ProvinceCode.eq(p.as_str())),
        ResultArea::Commune(c) => condition.add(job_fair::Column::CommuneCode.eq(c.as_str())),
    };
    let fairs: Vec<(Uuid, String, DateTime<Utc>)> = job_fair::Entity::find()
        .select_only()
        .column(job_fair::Column::Id)
        .column(job_fair::Column::CommuneCode)
        .column(job_fair::Column::StartsAt)
        .filter(condition.clone())
        .into_tuple()
        .all(db)
        .await?;
    let mut attendees: HashMap<Uuid, u64> = HashMap::new();
    if attendance {
        let ids = job_fair::Entity::find().select_only().column(job_fair::Column::Id).filter(condition).into_query();
        let checked_in: Vec<(Uuid, i64)> = fair_place::Entity::find()
            .select_only()
            .column(fair_place::Column::FairId)
            .column_as(Expr::col(fair_place::Column::CheckedInAt).count(), "n")
            .filter(Expr::col(fair_place::Column::FairId).in_subquery(ids.clone()))
            .group_by(fair_place::Column::FairId)
            .into_tuple()
            .all(db)
            .await?;
        let anonymous: Vec<(Uuid, Option<i64>)> = fair_headcount::Entity::find()
            .select_only()
            .column(fair_headcount::Column::FairId)
            .column_as(Expr::col(fair_headcount::Column::Count).sum(), "n")
            .filter(Expr::col(fair_headcount::Column::FairId).in_subquery(ids))
            .group_by(fair_headcount::Column::FairId)
            .into_tuple()
            .all(db)
            .await?;
        for (fair, n) in checked_in.into_iter().chain(anonymous.into_iter().map(|(f, n)| (f, n.unwrap_or(0)))) {
            *attendees.entry(fair).or_default() += u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(fairs
        .into_iter()
        .map(|(id, commune, starts_at)| Event {
            commune,
            day: vietnam_date(starts_at),
            weight: if attendance { attendees.get(&id).copied().unwrap_or(0) } else { 1 },
            distinct: None,
        })
        .collect())
}

/// Classes that opened (moved to running) in the period, at the class's commune.
async fn class_events(db: &impl ConnectionTrait, area: &ResultArea, (from, to): (NaiveDate, NaiveDate)) -> StoreResult<Vec<Event>> {
    let mut select = training_class::Entity::find()
        .select_only()
        .column(training_class::Column::CommuneCode)
        .column(training_class::Column::OpenedOn)
        .filter(training_class::Column::OpenedOn.between(from, to));
    select = match area {
        ResultArea::Nation => select,
        ResultArea::Province(p) => select.filter(training_class::Column::ProvinceCode.eq(p.as_str())),
        ResultArea::Commune(c) => select.filter(training_class::Column::CommuneCode.eq(c.as_str())),
    };
    let rows: Vec<(String, Option<NaiveDate>)> = select.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(commune, day)| Some(Event { commune, day: day?, weight: 1, distinct: None }))
        .collect())
}

/// Trainees by their residence: seat holders of the classes opened in the period (by the
/// opening day), or those certified in the period (by the day of completion).
async fn trainee_events(
    db: &impl ConnectionTrait,
    area: &ResultArea,
    (from, to): (NaiveDate, NaiveDate),
    certified: bool,
) -> StoreResult<Vec<Event>> {
    let rows: Vec<(Uuid, Uuid, Option<NaiveDate>)> = if certified {
        let mut query = training_enrolment::Entity::find()
            .select_only()
            .column(training_enrolment::Column::WorkerId)
            .column(training_enrolment::Column::ClassId)
            .column(training_enrolment::Column::CompletedOn)
            .filter(training_enrolment::Column::Status.eq(EnrolmentStatus::Completed.code()))
            .filter(training_enrolment::Column::CompletedOn.between(from, to));
        if let Some(workers) = workers_in(area) {
            query = query.filter(Expr::col(training_enrolment::Column::WorkerId).in_subquery(workers));
        }
        query.into_tuple().all(db).await?
    } else {
        let opened: HashMap<Uuid, Option<NaiveDate>> = training_class::Entity::find()
            .select_only()
            .column(training_class::Column::Id)
            .column(training_class::Column::OpenedOn)
            .filter(training_class::Column::OpenedOn.between(from, to))
            .into_tuple::<(Uuid, Option<NaiveDate>)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let holding: Vec<&str> = EnrolmentStatus::ALL.iter().filter(|s| s.holds_seat()).map(|s| s.code()).collect();
        let mut query = training_enrolment::Entity::find()
            .select_only()
            .column(training_enrolment::Column::WorkerId)
            .column(training_enrolment::Column::ClassId)
            .filter(training_enrolment::Column::Status.is_in(holding))
            .filter(training_enrolment::Column::ClassId.is_in(opened.keys().copied()));
        if let Some(workers) = workers_in(area) {
            query = query.filter(Expr::col(training_enrolment::Column::WorkerId).in_subquery(workers));
        }
        let rows: Vec<(Uuid, Uuid)> = query.into_tuple().all(db).await?;
        rows.into_iter().map(|(worker, class)| (worker, class, opened.get(&class).copied().flatten())).collect()
    };
    let info = worker_info(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(worker, class, day)| {
            Some(Event { commune: info.get(&worker)?.commune.clone(), day: day?, weight: 1, distinct: Some((class, worker)) })
        })
        .collect())
}

/// Residents whose profile shows a vocational qualification by `to`: a certificate issued by
/// then, or a recorded qualification from sơ cấp up (undated: counted in every period). One
/// event per person, on the day they first qualified.
async fn certified_residents(db: &impl ConnectionTrait, area: &ResultArea, to: NaiveDate) -> StoreResult<Vec<Event>> {
    let mut query = worker_profile::Entity::find()
        .select_only()
        .column(worker_profile::Column::Id)
        .column(worker_profile::Column::ResidenceCommuneCode)
        .column(worker_profile::Column::Qualification)
        .column(worker_profile::Column::Certificates);
    if let Some(workers) = workers_in(area) {
        query = query.filter(Expr::col(worker_profile::Column::Id).in_subquery(workers));
    }
    let rows: Vec<(Uuid, String, String, serde_json::Value)> = query.into_tuple().all(db).await?;
    let mut events = Vec::new();
    for (id, commune, qualification, certificates) in rows {
        let certificates: Vec<VocationalCertificate> = serde_json::from_value(certificates)
            .map_err(|e| StoreError::corrupt("worker_profile", id, format!("certificates: {e}")))?;
        let qualified = Qualification::parse(&qualification).is_ok_and(|q| q >= Qualification::SoCap);
        let first_certificate = certificates.iter().map(|c| c.issued_on).filter(|d| *d <= to).min();
        let day = if qualified { Some(to) } else { first_certificate };
        if let Some(day) = day {
            events.push(Event { commune, day, weight: 1, distinct: None });
        }
    }
    Ok(events)
}

/// The records a computed indicator counts in the period and area; nothing for a manual one.
async fn events(
    db: &impl ConnectionTrait,
    indicator: &Indicator,
    area: &ResultArea,
    bounds: (NaiveDate, NaiveDate),
) -> StoreResult<Vec<Event>> {
    let filter = indicator.filter.as_ref();
    let mut events = match indicator.source {
        IndicatorSource::Referrals => interaction_events(db, &REFERRALS, area, bounds, false).await?,
        IndicatorSource::Hires => interaction_events(db, &[InteractionKind::HiredOnSpot], area, bounds, false).await?,
        IndicatorSource::TrainingSignups => {
            interaction_events(db, &[InteractionKind::TrainingSignup], area, bounds, false).await?
        }
        IndicatorSource::FairsHeld => fair_events(db, area, bounds, false).await?,
        IndicatorSource::FairAttendees => fair_events(db, area, bounds, true).await?,
        IndicatorSource::Departures => stage_events(db, OverseasStage::Departed, filter, area, bounds, false).await?,
        IndicatorSource::Reintegrated => {
            stage_events(db, OverseasStage::Reintegration, filter, area, bounds, false).await?
        }
        IndicatorSource::PoorPlaced => {
            let mut placed = interaction_events(db, &[InteractionKind::HiredOnSpot], area, bounds, true).await?;
            placed.extend(stage_events(db, OverseasStage::Departed, filter, area, bounds, true).await?);
            placed
        }
        IndicatorSource::ClassesOpened => class_events(db, area, bounds).await?,
        IndicatorSource::TraineesEnrolled => trainee_events(db, area, bounds, false).await?,
        IndicatorSource::TraineesCertified => trainee_events(db, area, bounds, true).await?,
        IndicatorSource::CertifiedShare => certified_residents(db, area, bounds.1).await?,
        IndicatorSource::Manual => Vec::new(),
    };
    // A seeker counts once per fair, on the first day seen (for the monthly series).
    events.sort_by_key(|e| e.day);
    let mut seen = HashSet::new();
    events.retain(|e| e.distinct.is_none_or(|key| seen.insert(key)));
    Ok(events)
}

/// Sums per commune.
fn per_commune(events: &[Event]) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    for e in events {
        *sums.entry(e.commune.clone()).or_default() += e.weight;
    }
    sums
}

// ---------------------------------------------------------------------------------------------
// Results

/// How a result is broken down below its area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    Commune,
    Province,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultQuery {
    pub area: ResultArea,
    pub period: ReportPeriod,
    /// Indicator codes; all of the catalogue when `None`.
    pub indicators: Option<Vec<String>>,
    /// Sub-areas: provinces under the nation, communes under the nation or a province.
    pub breakdown: Option<Breakdown>,
}

/// One indicator in one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub unit_vi: String,
    /// "nation", "province" or "commune".
    pub area_kind: String,
    /// Empty for the nation.
    pub area_code: String,
    pub area_name: String,
    /// `None` for a manual indicator without an entered value.
    pub actual: Option<Figure>,
    /// `None` for months and arbitrary ranges, or when no plan was entered.
    pub plan: Option<Figure>,
    pub percent_of_plan: Option<f64>,
    /// "112,06%".
    pub percent_vi: Option<String>,
    pub last_year_actual: Option<Figure>,
    pub change: Option<Figure>,
    pub change_percent: Option<f64>,
    pub change_percent_vi: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsReport {
    pub area_kind: String,
    pub area_code: String,
    pub area_name: String,
    pub period: ReportPeriod,
    /// "Năm 2026", "Quý IV/2026", "Từ 01/12/2025 đến 31/01/2026".
    pub period_label_vi: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Per indicator, the area's row first, then its sub-areas by code.
    pub rows: Vec<ResultRow>,
    pub generated_at: DateTime<Utc>,
}

/// Entered figures (plans or manual values) of one period, by indicator and area.
type Entered = HashMap<(String, PlanArea), Figure>;

async fn entered_plans(db: &impl ConnectionTrait, period: &PlanPeriod) -> StoreResult<Entered> {
    let rows = plan::Entity::find()
        .filter(plan::Column::Year.eq(period.year))
        .filter(plan::Column::Quarter.eq(stored_quarter(period)))
        .all(db)
        .await?;
    rows.into_iter().map(plan_from).map(|p| p.map(|p| ((p.indicator, p.area), p.target))).collect()
}

async fn entered_values(db: &impl ConnectionTrait, period: &PlanPeriod) -> StoreResult<Entered> {
    let rows = manual_value::Entity::find()
        .filter(manual_value::Column::Year.eq(period.year))
        .filter(manual_value::Column::Quarter.eq(stored_quarter(period)))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let area = PlanArea::from_stored(&r.area_kind, &r.area_code)
                .map_err(|e| StoreError::corrupt("manual_value", &r.area_code, e.message_en))?;
            Ok(((r.indicator, area), Figure::from_hundredths(r.value_hundredths)))
        })
        .collect()
}

/// The plan of an area: its own; for the nation, the provinces' plans added up (counts only).
fn plan_for(plans: &Entered, indicator: &Indicator, area: &ResultArea) -> Option<Figure> {
    match area.plan_area() {
        Some(own) => plans.get(&(indicator.code.clone(), own)).copied(),
        None if indicator.is_additive() => {
            let provinces: Vec<Figure> = plans
                .iter()
                .filter(|((code, area), _)| *code == indicator.code && matches!(area, PlanArea::Province(_)))
                .map(|(_, f)| *f)
                .collect();
            (!provinces.is_empty()).then(|| provinces.into_iter().sum())
        }
        None => None,
    }
}

fn row(
    indicator: &Indicator,
    area: &ResultArea,
    actual: Option<Figure>,
    plan: Option<Figure>,
    last: Option<Figure>,
) -> ResultRow {
    let percent = actual.zip(plan).and_then(|(a, p)| percent_of_plan(a, p));
    let change_percent = actual.zip(last).and_then(|(a, l)| percent_change(a, l));
    ResultRow {
        code: indicator.code.clone(),
        name_vi: indicator.name_vi.clone(),
        name_en: indicator.name_en.clone(),
        unit_vi: indicator.unit_vi.clone(),
        area_kind: area.kind().to_owned(),
        area_code: area.code(),
        area_name: area.name(),
        actual,
        plan,
        percent_of_plan: percent,
        percent_vi: percent.map(format_percent_vi),
        last_year_actual: last,
        change: actual.zip(last).map(|(a, l)| a - l),
        change_percent,
        change_percent_vi: change_percent.map(format_percent_vi),
    }
}

fn invalid_breakdown() -> ValidationError {
    ValidationError::new(
        "breakdown",
        "results.breakdown",
        "Chỉ chia nhỏ được theo địa bàn cấp dưới: tỉnh hoặc xã dưới toàn quốc, xã dưới tỉnh.",
        "A breakdown must be finer than the area: provinces or communes under the nation, communes under a province.",
    )
}

/// The indicators asked for, in the catalogue's order.
fn indicators_of(query: &ResultQuery) -> Result<Vec<&'static Indicator>, ValidationError> {
    let catalog = IndicatorCatalog::embedded();
    match &query.indicators {
        None => Ok(catalog.all().iter().collect()),
        Some(codes) => codes.iter().map(|c| catalog.require(c)).collect(),
    }
}

/// Results for an area and period: one row per indicator (and per sub-area under a breakdown)
/// with the actual, the plan of the period when it is a year or a quarter, % of plan and the
/// same period last year. Counts add up from communes; a manual value is the area's own.
pub async fn results(store: &Store, query: &ResultQuery) -> StoreResult<ResultsReport> {
    let db = store.connection();
    query.area.require_exists()?;
    let indicators = indicators_of(query)?;
    match (&query.area, query.breakdown) {
        (_, None) | (ResultArea::Nation, Some(_)) | (ResultArea::Province(_), Some(Breakdown::Commune)) => {}
        _ => return Err(invalid_breakdown().into()),
    }
    let (from, to) = query.period.bounds()?;
    let last_period = query.period.last_year();
    let last_bounds = last_period.bounds()?;
    let plan_period = query.period.plan_period();
    let plans = match &plan_period {
        Some(p) => entered_plans(db, p).await?,
        None => Entered::new(),
    };
    let (values, last_values) = match (&plan_period, last_period.plan_period()) {
        (Some(p), Some(l)) => (entered_values(db, p).await?, entered_values(db, &l).await?),
        _ => (Entered::new(), Entered::new()),
    };

    let mut provinces = ProvinceOf::default();
    let mut rows = Vec::new();
    for indicator in indicators {
        let (now, last) = if indicator.is_manual() {
            (BTreeMap::new(), BTreeMap::new())
        } else {
            (
                per_commune(&events(db, indicator, &query.area, (from, to)).await?),
                per_commune(&events(db, indicator, &query.area, last_bounds).await?),
            )
        };
        let entered_areas: Vec<PlanArea> = plans
            .keys()
            .chain(values.keys())
            .chain(last_values.keys())
            .filter(|(code, _)| *code == indicator.code)
            .map(|(_, a)| a.clone())
            .collect();
        let communes: BTreeSet<String> = now
            .keys()
            .chain(last.keys())
            .cloned()
            .chain(entered_areas.iter().filter_map(|a| match a {
                PlanArea::Commune(c) => Some(c.to_string()),
                PlanArea::Province(_) => None,
            }))
            .collect();
        for commune in &communes {
            provinces.learn(commune);
        }
        let provinces = &provinces;
        let actual_in = |sums: &BTreeMap<String, u64>, entered: &Entered, area: &ResultArea| -> Option<Figure> {
            if indicator.is_manual() {
                area.plan_area().and_then(|a| entered.get(&(indicator.code.clone(), a)).copied())
            } else if indicator.source == IndicatorSource::CertifiedShare {
                let count: u64 = sums.iter().filter(|(c, _)| area.contains(c, provinces)).map(|(_, n)| *n).sum();
                let labour_force = area.plan_area().and_then(|a| entered.get(&(Indicator::LABOUR_FORCE.to_owned(), a)).copied())?;
                Figure::share(count, labour_force)
            } else {
                let total = sums.iter().filter(|(c, _)| area.contains(c, provinces)).map(|(_, n)| *n).sum();
                Some(Figure::from_count(total))
            }
        };
        let mut areas = vec![query.area.clone()];
        if let Some(breakdown) = query.breakdown {
            let mut subs: BTreeSet<ResultArea> = communes
                .iter()
                .filter_map(|commune| match breakdown {
                    Breakdown::Commune => CommuneCode::parse(commune).ok().map(ResultArea::Commune),
                    Breakdown::Province => {
                        provinces.of(commune).and_then(|p| ProvinceCode::parse(p).ok()).map(ResultArea::Province)
                    }
                })
                .collect();
            if breakdown == Breakdown::Province {
                subs.extend(entered_areas.iter().filter_map(|a| match a {
                    PlanArea::Province(p) => Some(ResultArea::Province(p.clone())),
                    PlanArea::Commune(_) => None,
                }));
            }
            areas.extend(subs.into_iter().filter(|s| query.area.contains_area(s, provinces)));
        }
        for area in &areas {
            let actual = actual_in(&now, &values, area);
            let last_actual = actual_in(&last, &last_values, area);
            rows.push(row(indicator, area, actual, plan_for(&plans, indicator, area), last_actual));
        }
    }
    Ok(ResultsReport {
        area_kind: query.area.kind().to_owned(),
        area_code: query.area.code(),
        area_name: query.area.name(),
        period: query.period,
        period_label_vi: query.period.label_vi(),
        from,
        to,
        rows,
        generated_at: Utc::now(),
    })
}

impl ResultArea {
    /// Whether a sub-area lies within this area.
    fn contains_area(&self, sub: &ResultArea, provinces: &ProvinceOf) -> bool {
        match (self, sub) {
            (Self::Nation, _) => true,
            (Self::Province(p), Self::Commune(c)) => provinces.of(c.as_str()).is_some_and(|q| q == p.as_str()),
            (Self::Province(p), Self::Province(q)) => p == q,
            (Self::Commune(c), Self::Commune(d)) => c == d,
            _ => false,
        }
    }
}

fn manual_has_no_series(indicator: &str) -> ValidationError {
    ValidationError::new(
        "indicator",
        "indicator.manual_series",
        format!("Chỉ tiêu \"{indicator}\" là số nhập tay hoặc tỷ lệ theo năm hoặc quý, không có số liệu hằng tháng."),
        format!("Indicator \"{indicator}\" is entered or a ratio per year or quarter; it has no monthly series."),
    )
}

/// The actual of each month of a year (1–12), for charts.
pub async fn monthly_series(
    store: &Store,
    area: &ResultArea,
    indicator: &str,
    year: i32,
) -> StoreResult<Vec<(u32, Figure)>> {
    area.require_exists()?;
    let indicator = IndicatorCatalog::embedded().require(indicator)?;
    if indicator.is_manual() || indicator.source == IndicatorSource::CertifiedShare {
        return Err(manual_has_no_series(&indicator.code).into());
    }
    let bounds = ReportPeriod::Year(year).bounds()?;
    let mut months = [0u64; 12];
    for event in events(store.connection(), indicator, area, bounds).await? {
        if let Some(slot) = months.get_mut(event.day.month0() as usize) {
            *slot += event.weight;
        }
    }
    Ok((1..=12).zip(months).map(|(m, n)| (m, Figure::from_count(n))).collect())
}

/// The achievement chart of a year (SVG text): monthly actuals, the cumulative actual and the
/// area's yearly plan.
pub async fn achievement_chart(store: &Store, area: &ResultArea, indicator: &str, year: i32) -> StoreResult<String> {
    let series = monthly_series(store, area, indicator, year).await?;
    let indicator = IndicatorCatalog::embedded().require(indicator)?;
    let plans = entered_plans(store.connection(), &PlanPeriod { year, quarter: None }).await?;
    let mut monthly = [Figure::ZERO; 12];
    for (slot, (_, figure)) in monthly.iter_mut().zip(series) {
        *slot = figure;
    }
    let title = format!("{} — {}", indicator.name_vi, area.name());
    Ok(achievement_chart_svg(&title, &indicator.unit_vi, year, &monthly, plan_for(&plans, indicator, area)))
}

// ---------------------------------------------------------------------------------------------
// Exports

/// The export's columns: header and value of a row.
#[allow(clippy::type_complexity, reason = "a plain table of column definitions")]
const RESULT_COLUMNS: [(&str, fn(&ResultRow) -> Cell); 13] = [
    ("Mã chỉ tiêu / Indicator code", |r| r.code.clone().into()),
    ("Chỉ tiêu / Indicator", |r| r.name_vi.clone().into()),
    ("Đơn vị tính / Unit", |r| r.unit_vi.clone().into()),
    ("Mã địa bàn / Area code", |r| r.area_code.clone().into()),
    ("Địa bàn / Area", |r| r.area_name.clone().into()),
    ("Thực hiện / Actual", |r| figure_cell(r.actual)),
    ("Kế hoạch / Plan", |r| figure_cell(r.plan)),
    ("Tỷ lệ đạt kế hoạch (%) / % of plan", |r| percent_cell(r.percent_of_plan)),
    ("Tỷ lệ đạt kế hoạch / % of plan (text)", |r| r.percent_vi.clone().map_or(Cell::Empty, Cell::from)),
    ("Cùng kỳ năm trước / Same period last year", |r| figure_cell(r.last_year_actual)),
    ("Tăng, giảm / Change", |r| figure_cell(r.change)),
    ("Tăng, giảm (%) / Change (%)", |r| percent_cell(r.change_percent)),
    ("Tăng, giảm / Change (text)", |r| r.change_percent_vi.clone().map_or(Cell::Empty, Cell::from)),
];

fn figure_cell(figure: Option<Figure>) -> Cell {
    match figure {
        None => Cell::Empty,
        Some(f) if f.hundredths() >= 0 && f.hundredths() % 100 == 0 => {
            Cell::Number(u64::try_from(f.hundredths() / 100).unwrap_or(0))
        }
        Some(f) => Cell::Decimal(f.to_f64()),
    }
}

fn percent_cell(percent: Option<f64>) -> Cell {
    percent.and_then(Figure::from_f64).map_or(Cell::Empty, |p| Cell::Decimal(p.to_f64()))
}

impl ResultsReport {
    fn table(&self) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
        let header = RESULT_COLUMNS.iter().map(|(h, _)| *h).collect();
        let body = self.rows.iter().map(|row| RESULT_COLUMNS.iter().map(|(_, value)| value(row)).collect()).collect();
        (header, body)
    }

    /// UTF-8 CSV with a byte-order mark; Vietnamese headers first.
    pub fn to_csv(&self) -> String {
        let (header, body) = self.table();
        to_csv(&header, &body)
    }

    /// One sheet "Kết quả thực hiện", the same table as the CSV.
    pub fn to_xlsx(&self) -> StoreResult<Vec<u8>> {
        let (header, body) = self.table();
        let mut widths = vec![22.0, 50.0, 10.0, 12.0, 30.0];
        widths.resize(header.len(), 16.0);
        to_xlsx("Kết quả thực hiện", &header, &widths, &body)
    }
}
