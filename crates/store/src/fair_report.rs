//! The fair report (R-JF-6), aggregated from what the fair recorded — booths and their
//! vacancies, places and check-ins, door headcounts, interactions at the booths, follow-ups —
//! and its roll-ups by month, quarter or year and by commune or province; both exported as CSV
//! (UTF-8 with a byte-order mark, so Excel reads the Vietnamese right) and XLSX, Vietnamese
//! headers first.
//!
//! Seekers are counted once per indicator and fair ("interviewed" is people interviewed, not
//! interviews); a roll-up adds fairs up, so a person at two fairs counts twice there — the
//! "lượt người" the published reports use.

use std::collections::{BTreeMap, HashMap, HashSet};

use caunoi_domain::fairs::{BoothStatus, InteractionKind, PlaceStatus};
use caunoi_domain::records::{FairStatus, JobFairId, Requirement, Vacancy, VacancyId, WorkerId, WorkerProfile};
use caunoi_domain::{AdminCatalog, CommuneCode, OccupationCatalog, ProvinceCode, Qualification, Sex};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use crate::entities::{
    employer, fair_booth, fair_booth_vacancy, fair_headcount, fair_interaction, fair_place, job_fair, vacancy,
};
use crate::error::StoreError;
use crate::fairs::{self, AmendmentRecord, FairFilter, vietnam_date};
use crate::{Store, StoreResult, records};

/// Rows per `IN (…)` list when loading records by id.
const IDS_PER_QUERY: usize = 500;

/// A count within one group of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupCount {
    pub code: String,
    pub label: String,
    pub count: u32,
}

/// Vacancies and openings (chỉ tiêu tuyển dụng: the sum of their quantities) of one group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VacancyGroup {
    pub code: String,
    pub label: String,
    pub vacancies: u32,
    pub openings: u64,
}

/// Distinct seekers with at least one interaction of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcomes {
    pub counselled: u32,
    pub interviewed: u32,
    /// Đạt yêu cầu.
    pub passed: u32,
    /// Tuyển dụng tại phiên.
    pub hired_on_spot: u32,
    pub cv_taken: u32,
    pub appointments: u32,
    pub training_signups: u32,
    pub overseas_signups: u32,
    /// Every interaction kind the platform knows, in its order (the ones above included).
    pub by_kind: Vec<GroupCount>,
}

/// What the 30- or 90-day checks of the fair's hires found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpSummary {
    pub day: u16,
    /// Hires at the fair (`hired_on_spot` interactions) to follow up.
    pub hires: u32,
    pub recorded: u32,
    pub started: u32,
    pub still_employed: u32,
    pub not_started: u32,
    pub left: u32,
    pub unreachable: u32,
}

/// The report of one fair (R-JF-6), as submitted by the ESC to the Sở Nội vụ.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairReport {
    pub fair_id: JobFairId,
    pub code: String,
    pub title: String,
    pub organiser: String,
    pub status: FairStatus,
    /// The fair's day in Vietnam.
    pub date: NaiveDate,
    pub commune_code: String,
    pub commune_name: String,
    pub province_code: String,
    pub province_name: String,

    /// Employers with an approved booth.
    pub enterprises: u32,
    /// … of which licensed placement enterprises (overseas recruitment).
    pub placement_enterprises: u32,
    /// Distinct vacancies brought by approved booths, and their openings.
    pub vacancies: u32,
    pub openings: u64,
    /// By ISCO-08 major group (1 digit).
    pub by_occupation: Vec<VacancyGroup>,
    /// By the qualification a vacancy requires (`not_required` when it names none).
    pub by_qualification: Vec<VacancyGroup>,
    pub domestic: VacancyGroup,
    pub overseas: VacancyGroup,

    /// Places not cancelled (confirmed + waiting).
    pub registered: u32,
    pub confirmed: u32,
    pub waiting: u32,
    pub cancelled: u32,
    /// Places registered by staff on the day (not cancelled).
    pub walk_ins: u32,

    /// Seekers whose ticket was checked in.
    pub attendees_identified: u32,
    /// Walk-ins counted at the door without identity.
    pub attendees_anonymous: u32,
    pub attendees_total: u32,
    /// Identified attendees by sex, age band on the fair's day, ethnic minority, commune.
    pub attendees_by_sex: Vec<GroupCount>,
    pub attendees_by_age_band: Vec<GroupCount>,
    pub attendees_by_ethnicity: Vec<GroupCount>,
    pub attendees_by_commune: Vec<GroupCount>,

    pub outcomes: Outcomes,
    /// At 30 and 90 days.
    pub follow_ups: Vec<FollowUpSummary>,
    /// Corrections after the report was locked, oldest first.
    pub amendments: Vec<AmendmentRecord>,
    pub generated_at: DateTime<Utc>,
}

/// Reporting period of a roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    /// "2026-11", "2026-Q4", "2026": sorting the labels sorts the periods.
    pub fn label(self, day: NaiveDate) -> String {
        match self {
            Self::Month => format!("{:04}-{:02}", day.year(), day.month()),
            Self::Quarter => format!("{:04}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
            Self::Year => format!("{:04}", day.year()),
        }
    }
}

/// The area a roll-up groups fairs by: the venue's commune or its province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RollupArea {
    Commune,
    Province,
}

/// One period and area of a roll-up: the fairs' numbers added up.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupRow {
    /// "2026-11", "2026-Q4" or "2026".
    pub period: String,
    pub area_code: String,
    pub area_name: String,
    pub fairs: u32,
    /// Employer participations (an employer at two fairs counts twice).
    pub enterprises: u32,
    pub placement_enterprises: u32,
    pub vacancies: u32,
    pub openings: u64,
    pub overseas_openings: u64,
    pub registered: u32,
    pub walk_ins: u32,
    pub attendees_identified: u32,
    pub attendees_anonymous: u32,
    pub counselled: u32,
    pub interviewed: u32,
    pub passed: u32,
    pub hired_on_spot: u32,
    pub cv_taken: u32,
    pub appointments: u32,
    pub training_signups: u32,
    pub overseas_signups: u32,
}

// ---------------------------------------------------------------------------------------------
// Groups

fn age_band(age: u32) -> (&'static str, &'static str) {
    match age {
        0..=24 => ("15-24", "15–24 tuổi"),
        25..=34 => ("25-34", "25–34 tuổi"),
        35..=44 => ("35-44", "35–44 tuổi"),
        45..=54 => ("45-54", "45–54 tuổi"),
        _ => ("55+", "Từ 55 tuổi trở lên"),
    }
}

const AGE_BANDS: [u32; 5] = [15, 25, 35, 45, 55];

const ETHNICITY_GROUPS: [(&str, &str); 3] =
    [("ethnic_minority", "Dân tộc thiểu số"), ("kinh", "Dân tộc Kinh"), ("unknown", "Chưa ghi nhận dân tộc")];

fn ethnicity_group(worker: &WorkerProfile) -> (&'static str, &'static str) {
    match worker.ethnic_minority() {
        Some(true) => ETHNICITY_GROUPS[0],
        Some(false) => ETHNICITY_GROUPS[1],
        None => ETHNICITY_GROUPS[2],
    }
}

/// The highest qualification among a vacancy's must-haves; `None` when it names none.
fn required_qualification(vacancy: &Vacancy) -> Option<Qualification> {
    vacancy
        .requirements
        .must_have
        .iter()
        .filter_map(|r| match r {
            Requirement::Qualification(q) => Some(*q),
            _ => None,
        })
        .max()
}

fn occupation_group(vacancy: &Vacancy) -> (String, String) {
    let major = vacancy.occupation.major();
    let label = OccupationCatalog::embedded().get(&major).map_or_else(|| major.to_string(), |o| o.label_vi.clone());
    (major.to_string(), label)
}

fn commune_name(code: &str) -> String {
    CommuneCode::parse(code)
        .ok()
        .and_then(|c| AdminCatalog::embedded().commune(&c).map(|c| c.name.clone()))
        .unwrap_or_else(|| code.to_owned())
}

fn province_name(code: &str) -> String {
    ProvinceCode::parse(code)
        .ok()
        .and_then(|p| AdminCatalog::embedded().province(&p).map(|p| p.name_with_type.clone()))
        .unwrap_or_else(|| code.to_owned())
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Adds a vacancy to its group, keeping groups in the order of their sort key.
fn add_vacancy(groups: &mut BTreeMap<String, VacancyGroup>, key: String, code: String, label: String, quantity: u64) {
    let group = groups.entry(key).or_insert_with(|| VacancyGroup { code, label, vacancies: 0, openings: 0 });
    group.vacancies += 1;
    group.openings += quantity;
}

fn add_count(groups: &mut BTreeMap<String, GroupCount>, key: String, code: &str, label: &str) {
    groups
        .entry(key)
        .or_insert_with(|| GroupCount { code: code.to_owned(), label: label.to_owned(), count: 0 })
        .count += 1;
}

/// Distinct seekers per interaction kind.
fn outcomes_from(kinds: &HashMap<InteractionKind, u32>) -> Outcomes {
    let of = |kind: InteractionKind| kinds.get(&kind).copied().unwrap_or(0);
    Outcomes {
        counselled: of(InteractionKind::Counselled),
        interviewed: of(InteractionKind::Interviewed),
        passed: of(InteractionKind::Passed),
        hired_on_spot: of(InteractionKind::HiredOnSpot),
        cv_taken: of(InteractionKind::CvTaken),
        appointments: of(InteractionKind::AppointmentSet),
        training_signups: of(InteractionKind::TrainingSignup),
        overseas_signups: of(InteractionKind::OverseasSignup),
        by_kind: InteractionKind::ALL
            .iter()
            .map(|kind| GroupCount {
                code: kind.code().to_owned(),
                label: kind.label_vi().to_owned(),
                count: of(*kind),
            })
            .collect(),
    }
}

async fn vacancies_of(store: &Store, ids: &[VacancyId]) -> StoreResult<Vec<Vacancy>> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        all.extend(records::vacancies_by_ids(store, chunk).await?);
    }
    Ok(all)
}

async fn workers_of(store: &Store, ids: &[WorkerId]) -> StoreResult<Vec<WorkerProfile>> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        all.extend(records::workers_by_ids(store, chunk).await?);
    }
    Ok(all)
}

/// Employers among `ids` that are placement enterprises.
async fn placement_enterprises_among(db: &impl ConnectionTrait, ids: &[Uuid]) -> StoreResult<HashSet<Uuid>> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<Uuid> = employer::Entity::find()
            .select_only()
            .column(employer::Column::Id)
            .filter(employer::Column::Id.is_in(chunk.iter().copied()))
            .filter(employer::Column::Kind.eq("placement_enterprise"))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// The fair report

/// The report of one fair, computed from what it recorded (any status; normally after results
/// are entered).
pub async fn fair_report(store: &Store, fair: JobFairId) -> StoreResult<FairReport> {
    let db = store.connection();
    let stored = fairs::get_fair(store, fair).await?;
    let date = vietnam_date(stored.fair.starts_at);
    let commune_code = stored.fair.commune_code.as_str().to_owned();
    let province_code = stored.fair.province_code().map(|p| p.as_str().to_owned()).unwrap_or_default();

    // Enterprises and vacancies: approved booths only.
    let approved: Vec<_> =
        fairs::booths(store, fair).await?.into_iter().filter(|b| b.status == BoothStatus::Approved).collect();
    let employer_ids: Vec<Uuid> = approved.iter().map(|b| b.employer_id.0).collect();
    let placement = placement_enterprises_among(db, &employer_ids).await?;
    let mut vacancy_ids: Vec<VacancyId> = approved.iter().flat_map(|b| b.vacancies.iter().copied()).collect();
    vacancy_ids.sort();
    vacancy_ids.dedup();
    let vacancies = vacancies_of(store, &vacancy_ids).await?;
    let mut by_occupation = BTreeMap::new();
    let mut by_qualification = BTreeMap::new();
    let mut domestic =
        VacancyGroup { code: "domestic".into(), label: "Trong nước".into(), vacancies: 0, openings: 0 };
    let mut overseas =
        VacancyGroup {
            code: "overseas".into(), label: "Đi làm việc ở nước ngoài".into(), vacancies: 0, openings: 0
        };
    for vacancy in &vacancies {
        let quantity = u64::from(vacancy.quantity.get());
        let (code, label) = occupation_group(vacancy);
        add_vacancy(&mut by_occupation, code.clone(), code, label, quantity);
        let (key, code, label) = match required_qualification(vacancy) {
            // Sorted by level, "not required" first.
            Some(q) => (
                format!("{}", Qualification::ALL.iter().position(|x| *x == q).unwrap_or(0) + 1),
                q.code(),
                q.label_vi(),
            ),
            None => ("0".to_owned(), "not_required", "Không yêu cầu trình độ chuyên môn kỹ thuật"),
        };
        add_vacancy(&mut by_qualification, key, code.to_owned(), label.to_owned(), quantity);
        let side = if vacancy.workplace.is_overseas() { &mut overseas } else { &mut domestic };
        side.vacancies += 1;
        side.openings += quantity;
    }

    // Places and attendance.
    let places = fairs::places(store, fair).await?;
    let live = |p: &&fairs::Place| p.status != PlaceStatus::Cancelled;
    let registered = count_u32(places.iter().filter(live).count());
    let walk_ins = count_u32(places.iter().filter(live).filter(|p| p.walk_in).count());
    let cancelled = count_u32(places.iter().filter(|p| p.status == PlaceStatus::Cancelled).count());
    let attended: Vec<WorkerId> = places.iter().filter(|p| p.checked_in_at.is_some()).map(|p| p.worker_id).collect();
    let attendees_anonymous = fairs::anonymous_total(db, fair).await?;
    let workers = workers_of(store, &attended).await?;
    let mut by_sex = BTreeMap::new();
    for sex in Sex::ALL {
        // Both sexes are always listed, zero or not.
        by_sex.insert(
            sex.code().to_owned(),
            GroupCount { code: sex.code().to_owned(), label: sex.label_vi().to_owned(), count: 0 },
        );
    }
    // Band codes sort in age order ("15-24" < … < "55+"); every band is listed.
    let mut by_age = BTreeMap::new();
    for start in AGE_BANDS {
        let (code, label) = age_band(start);
        by_age.insert(code.to_owned(), GroupCount { code: code.to_owned(), label: label.to_owned(), count: 0 });
    }
    let mut by_ethnicity = BTreeMap::new();
    for (code, label) in ETHNICITY_GROUPS {
        by_ethnicity.insert(code.to_owned(), GroupCount { code: code.to_owned(), label: label.to_owned(), count: 0 });
    }
    let mut by_commune = BTreeMap::new();
    for worker in &workers {
        add_count(&mut by_sex, worker.sex.code().to_owned(), worker.sex.code(), worker.sex.label_vi());
        let (code, label) = age_band(worker.date_of_birth.age_on(date));
        add_count(&mut by_age, code.to_owned(), code, label);
        let (code, label) = ethnicity_group(worker);
        add_count(&mut by_ethnicity, code.to_owned(), code, label);
        let commune = worker.residence_commune.as_str();
        add_count(&mut by_commune, commune.to_owned(), commune, &commune_name(commune));
    }

    // Outcomes: distinct seekers per kind.
    let interactions = fairs::interactions(store, fair).await?;
    let mut seekers: HashMap<InteractionKind, HashSet<WorkerId>> = HashMap::new();
    for interaction in &interactions {
        seekers.entry(interaction.kind).or_default().insert(interaction.worker_id);
    }
    let kinds: HashMap<InteractionKind, u32> = seekers.into_iter().map(|(k, s)| (k, count_u32(s.len()))).collect();
    let hires = count_u32(interactions.iter().filter(|i| i.kind == InteractionKind::HiredOnSpot).count());
    let checks = fairs::follow_ups(store, fair).await?;
    let follow_ups = caunoi_domain::fairs::FOLLOW_UP_DAYS
        .iter()
        .map(|day| {
            let of_day: Vec<_> = checks.iter().filter(|f| f.day == *day).collect();
            let with = |status: caunoi_domain::fairs::FollowUpStatus| {
                count_u32(of_day.iter().filter(|f| f.status == status).count())
            };
            use caunoi_domain::fairs::FollowUpStatus as S;
            FollowUpSummary {
                day: *day,
                hires,
                recorded: count_u32(of_day.len()),
                started: with(S::Started),
                still_employed: with(S::StillEmployed),
                not_started: with(S::NotStarted),
                left: with(S::Left),
                unreachable: with(S::Unreachable),
            }
        })
        .collect();

    Ok(FairReport {
        fair_id: fair,
        code: stored.fair.code.clone(),
        title: stored.fair.title.clone(),
        organiser: stored.fair.organiser.clone(),
        status: stored.fair.status,
        date,
        commune_name: commune_name(&commune_code),
        commune_code,
        province_name: province_name(&province_code),
        province_code,
        enterprises: count_u32(approved.len()),
        placement_enterprises: count_u32(employer_ids.iter().filter(|e| placement.contains(e)).count()),
        vacancies: count_u32(vacancies.len()),
        openings: vacancies.iter().map(|v| u64::from(v.quantity.get())).sum(),
        by_occupation: by_occupation.into_values().collect(),
        by_qualification: by_qualification.into_values().collect(),
        domestic,
        overseas,
        registered,
        confirmed: stored.confirmed,
        waiting: stored.waiting,
        cancelled,
        walk_ins,
        attendees_identified: count_u32(attended.len()),
        attendees_anonymous,
        attendees_total: count_u32(attended.len()).saturating_add(attendees_anonymous),
        attendees_by_sex: by_sex.into_values().collect(),
        attendees_by_age_band: by_age.into_values().collect(),
        attendees_by_ethnicity: by_ethnicity.into_values().collect(),
        attendees_by_commune: by_commune.into_values().collect(),
        outcomes: outcomes_from(&kinds),
        follow_ups,
        amendments: fairs::amendments(store, fair).await?,
        generated_at: Utc::now(),
    })
}

// ---------------------------------------------------------------------------------------------
// Roll-ups

/// Per-fair totals for a set of fairs, read with one grouped query per table.
#[derive(Debug, Default, Clone)]
struct FairTotals {
    enterprises: u32,
    placement_enterprises: u32,
    vacancies: u32,
    openings: u64,
    overseas_openings: u64,
    registered: u32,
    walk_ins: u32,
    attendees_identified: u32,
    attendees_anonymous: u32,
    kinds: HashMap<InteractionKind, u32>,
}

fn n32(n: i64) -> u32 {
    u32::try_from(std::cmp::max(n, 0)).unwrap_or(u32::MAX)
}

async fn totals_of(db: &impl ConnectionTrait, fairs: &SelectStatement) -> StoreResult<HashMap<Uuid, FairTotals>> {
    let mut totals: HashMap<Uuid, FairTotals> = HashMap::new();

    // Approved booths and whether each employer is a placement enterprise.
    let booths: Vec<(Uuid, Uuid, Uuid)> = fair_booth::Entity::find()
        .select_only()
        .column(fair_booth::Column::Id)
        .column(fair_booth::Column::FairId)
        .column(fair_booth::Column::EmployerId)
        .filter(fair_booth::Column::Status.eq(BoothStatus::Approved.code()))
        .filter(Expr::col(fair_booth::Column::FairId).in_subquery(fairs.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let placement = placement_enterprises_among(db, &booths.iter().map(|b| b.2).collect::<Vec<_>>()).await?;
    let fair_of_booth: HashMap<Uuid, Uuid> = booths.iter().map(|(booth, fair, _)| (*booth, *fair)).collect();
    for (_, fair, employer) in &booths {
        let entry = totals.entry(*fair).or_default();
        entry.enterprises += 1;
        if placement.contains(employer) {
            entry.placement_enterprises += 1;
        }
    }

    // Their vacancies: (booth, vacancy) links, then each vacancy's quantity and side.
    let approved_booths = fair_booth::Entity::find()
        .select_only()
        .column(fair_booth::Column::Id)
        .filter(fair_booth::Column::Status.eq(BoothStatus::Approved.code()))
        .filter(Expr::col(fair_booth::Column::FairId).in_subquery(fairs.clone()))
        .into_query();
    let links: Vec<(Uuid, Uuid)> = fair_booth_vacancy::Entity::find()
        .select_only()
        .column(fair_booth_vacancy::Column::BoothId)
        .column(fair_booth_vacancy::Column::VacancyId)
        .filter(Expr::col(fair_booth_vacancy::Column::BoothId).in_subquery(approved_booths.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let linked = fair_booth_vacancy::Entity::find()
        .select_only()
        .column(fair_booth_vacancy::Column::VacancyId)
        .filter(Expr::col(fair_booth_vacancy::Column::BoothId).in_subquery(approved_booths))
        .into_query();
    let quantities: HashMap<Uuid, (i32, bool)> = vacancy::Entity::find()
        .select_only()
        .column(vacancy::Column::Id)
        .column(vacancy::Column::Quantity)
        .column(vacancy::Column::IsOverseas)
        .filter(Expr::col(vacancy::Column::Id).in_subquery(linked))
        .into_tuple::<(Uuid, i32, bool)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, quantity, overseas)| (id, (quantity, overseas)))
        .collect();
    for (booth, vacancy) in &links {
        let (Some(fair), Some((quantity, overseas))) = (fair_of_booth.get(booth), quantities.get(vacancy)) else {
            continue;
        };
        let entry = totals.entry(*fair).or_default();
        let quantity = u64::try_from(*quantity).unwrap_or(0);
        entry.vacancies += 1;
        entry.openings += quantity;
        if *overseas {
            entry.overseas_openings += quantity;
        }
    }

    // Places: registered (not cancelled), walk-ins, checked in.
    let places: Vec<(Uuid, String, bool, i64, i64)> = fair_place::Entity::find()
        .select_only()
        .column(fair_place::Column::FairId)
        .column(fair_place::Column::Status)
        .column(fair_place::Column::WalkIn)
        .column_as(Expr::col(fair_place::Column::Id).count(), "n")
        .column_as(Expr::col(fair_place::Column::CheckedInAt).count(), "checked_in")
        .filter(Expr::col(fair_place::Column::FairId).in_subquery(fairs.clone()))
        .group_by(fair_place::Column::FairId)
        .group_by(fair_place::Column::Status)
        .group_by(fair_place::Column::WalkIn)
        .into_tuple()
        .all(db)
        .await?;
    for (fair, status, walk_in, n, checked_in) in places {
        let entry = totals.entry(fair).or_default();
        if status != PlaceStatus::Cancelled.code() {
            entry.registered += n32(n);
            if walk_in {
                entry.walk_ins += n32(n);
            }
        }
        entry.attendees_identified += n32(checked_in);
    }

    let headcounts: Vec<(Uuid, Option<i64>)> = fair_headcount::Entity::find()
        .select_only()
        .column(fair_headcount::Column::FairId)
        .column_as(Expr::col(fair_headcount::Column::Count).sum(), "n")
        .filter(Expr::col(fair_headcount::Column::FairId).in_subquery(fairs.clone()))
        .group_by(fair_headcount::Column::FairId)
        .into_tuple()
        .all(db)
        .await?;
    for (fair, n) in headcounts {
        totals.entry(fair).or_default().attendees_anonymous += n32(n.unwrap_or(0));
    }

    let outcomes: Vec<(Uuid, String, i64)> = fair_interaction::Entity::find()
        .select_only()
        .column(fair_interaction::Column::FairId)
        .column(fair_interaction::Column::Kind)
        .column_as(Expr::col(fair_interaction::Column::WorkerId).count_distinct(), "n")
        .filter(Expr::col(fair_interaction::Column::FairId).in_subquery(fairs.clone()))
        .group_by(fair_interaction::Column::FairId)
        .group_by(fair_interaction::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    for (fair, kind, n) in outcomes {
        let kind = InteractionKind::parse(&kind)
            .map_err(|e| StoreError::corrupt("fair_interaction", fair, format!("kind: {e}")))?;
        *totals.entry(fair).or_default().kinds.entry(kind).or_default() += n32(n);
    }
    Ok(totals)
}

/// Fair results added up per period and area, for fairs matching `filter` that were not
/// cancelled, sorted by period then area code.
pub async fn rollup(
    store: &Store,
    filter: &FairFilter,
    period: Period,
    area: RollupArea,
) -> StoreResult<Vec<RollupRow>> {
    let db = store.connection();
    let condition = fairs::fair_condition(filter).add(job_fair::Column::Status.ne(FairStatus::Cancelled.code()));
    let rows: Vec<(Uuid, String, String, DateTime<Utc>)> = job_fair::Entity::find()
        .select_only()
        .column(job_fair::Column::Id)
        .column(job_fair::Column::CommuneCode)
        .column(job_fair::Column::ProvinceCode)
        .column(job_fair::Column::StartsAt)
        .filter(condition.clone())
        .order_by_asc(job_fair::Column::StartsAt)
        .into_tuple()
        .all(db)
        .await?;
    let ids = job_fair::Entity::find().select_only().column(job_fair::Column::Id).filter(condition).into_query();
    let totals = totals_of(db, &ids).await?;

    let mut grouped: BTreeMap<(String, String), RollupRow> = BTreeMap::new();
    for (id, commune, province, starts_at) in rows {
        let label = period.label(vietnam_date(starts_at));
        let (area_code, area_name) = match area {
            RollupArea::Commune => (commune.clone(), commune_name(&commune)),
            RollupArea::Province => (province.clone(), province_name(&province)),
        };
        let row = grouped.entry((label.clone(), area_code.clone())).or_insert_with(|| RollupRow {
            period: label,
            area_code,
            area_name,
            ..RollupRow::default()
        });
        row.fairs += 1;
        let Some(t) = totals.get(&id) else { continue };
        let of = |kind: InteractionKind| t.kinds.get(&kind).copied().unwrap_or(0);
        row.enterprises += t.enterprises;
        row.placement_enterprises += t.placement_enterprises;
        row.vacancies += t.vacancies;
        row.openings += t.openings;
        row.overseas_openings += t.overseas_openings;
        row.registered += t.registered;
        row.walk_ins += t.walk_ins;
        row.attendees_identified += t.attendees_identified;
        row.attendees_anonymous += t.attendees_anonymous;
        row.counselled += of(InteractionKind::Counselled);
        row.interviewed += of(InteractionKind::Interviewed);
        row.passed += of(InteractionKind::Passed);
        row.hired_on_spot += of(InteractionKind::HiredOnSpot);
        row.cv_taken += of(InteractionKind::CvTaken);
        row.appointments += of(InteractionKind::AppointmentSet);
        row.training_signups += of(InteractionKind::TrainingSignup);
        row.overseas_signups += of(InteractionKind::OverseasSignup);
    }
    Ok(grouped.into_values().collect())
}

// ---------------------------------------------------------------------------------------------
// Exports

/// A cell of an exported table (shared with the plan-and-result export in `plans.rs`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(u64),
    /// A figure with decimals (a percent, a manual value); written as a number.
    Decimal(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<u32> for Cell {
    fn from(value: u32) -> Self {
        Self::Number(u64::from(value))
    }
}

impl From<u64> for Cell {
    fn from(value: u64) -> Self {
        Self::Number(value)
    }
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading apostrophe: exported fair titles and notes are user input.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn csv_field(cell: &Cell) -> String {
    let text = match cell {
        Cell::Text(text) => defused(text),
        Cell::Number(n) => n.to_string(),
        Cell::Decimal(x) => x.to_string(),
        Cell::Empty => String::new(),
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// RFC 4180 CSV (CRLF line ends) with a UTF-8 byte-order mark. Written by hand rather than
/// through a writer: into memory it cannot fail, so the exports stay infallible.
pub(crate) fn to_csv(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from('\u{FEFF}');
    let header: Vec<String> = header.iter().map(|h| csv_field(&Cell::from(*h))).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let fields: Vec<String> = row.iter().map(csv_field).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> StoreError {
    StoreError::corrupt("xlsx", "-", error)
}

/// One sheet: a bold, frozen header row, then the rows; numbers as numbers.
pub(crate) fn to_xlsx(sheet: &str, header: &[&str], widths: &[f64], rows: &[Vec<Cell>]) -> StoreResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(xlsx_error)?;
    for (col, title) in header.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        worksheet.write_string_with_format(0, col, *title, &bold).map_err(xlsx_error)?;
        if let Some(width) = widths.get(usize::from(col)) {
            worksheet.set_column_width(col, *width).map_err(xlsx_error)?;
        }
    }
    worksheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                // Excel does not evaluate strings written as strings; no defusing needed here.
                Cell::Text(text) => {
                    worksheet.write_string(r, c, text).map_err(xlsx_error)?;
                }
                #[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
                Cell::Number(n) => {
                    worksheet.write_number(r, c, *n as f64).map_err(xlsx_error)?;
                }
                Cell::Decimal(x) => {
                    worksheet.write_number(r, c, *x).map_err(xlsx_error)?;
                }
                Cell::Empty => {}
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

const REPORT_HEADER: [&str; 3] = ["Chỉ tiêu / Indicator", "Phân loại / Breakdown", "Số lượng / Count"];

impl FairReport {
    /// The report as a three-column table: indicator, breakdown (empty for totals), count.
    fn table(&self) -> Vec<Vec<Cell>> {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut info = |indicator: &str, value: String| rows.push(vec![indicator.into(), value.into(), Cell::Empty]);
        info("Mã phiên / Fair code", self.code.clone());
        info("Tên phiên / Title", self.title.clone());
        info("Đơn vị tổ chức / Organiser", self.organiser.clone());
        info("Ngày tổ chức / Date", self.date.format("%d/%m/%Y").to_string());
        info("Địa điểm (xã/phường) / Commune", format!("{} ({})", self.commune_name, self.commune_code));
        info("Tỉnh/thành phố / Province", format!("{} ({})", self.province_name, self.province_code));
        info("Trạng thái / Status", self.status.label_vi().to_owned());

        let mut total = |indicator: &str, value: Cell| rows.push(vec![indicator.into(), Cell::Empty, value]);
        total("Doanh nghiệp tham gia / Enterprises", self.enterprises.into());
        total(
            "Trong đó: doanh nghiệp dịch vụ đưa người lao động đi làm việc ở nước ngoài / Placement enterprises",
            self.placement_enterprises.into(),
        );
        total("Vị trí việc làm / Vacancies", self.vacancies.into());
        total("Chỉ tiêu tuyển dụng / Openings", self.openings.into());
        for (indicator, group) in [
            ("Chỉ tiêu tuyển dụng trong nước / Domestic openings", &self.domestic),
            ("Chỉ tiêu đi làm việc ở nước ngoài / Overseas openings", &self.overseas),
        ] {
            total(indicator, group.openings.into());
        }
        for group in &self.by_occupation {
            rows.push(vec![
                "Chỉ tiêu tuyển dụng theo nhóm nghề / Openings by occupation group".into(),
                format!("{} – {}", group.code, group.label).into(),
                group.openings.into(),
            ]);
        }
        for group in &self.by_qualification {
            rows.push(vec![
                "Chỉ tiêu tuyển dụng theo trình độ / Openings by qualification".into(),
                group.label.clone().into(),
                group.openings.into(),
            ]);
        }

        let mut total = |indicator: &str, value: u32| rows.push(vec![indicator.into(), Cell::Empty, value.into()]);
        total("Lượt đăng ký tham gia / Registered", self.registered);
        total("Đã xác nhận chỗ / Confirmed", self.confirmed);
        total("Danh sách chờ / Waiting", self.waiting);
        total("Đăng ký tại chỗ / Walk-ins", self.walk_ins);
        total("Đã hủy đăng ký / Cancelled", self.cancelled);
        total("Người tham gia có danh tính (check-in) / Identified attendees", self.attendees_identified);
        total("Người tham gia không khai danh tính / Anonymous attendees", self.attendees_anonymous);
        total("Tổng số người tham gia / Attendees in total", self.attendees_total);
        for (indicator, groups) in [
            ("Người tham gia theo giới tính / Attendees by sex", &self.attendees_by_sex),
            ("Người tham gia theo nhóm tuổi / Attendees by age band", &self.attendees_by_age_band),
            ("Người tham gia theo dân tộc / Attendees by ethnicity", &self.attendees_by_ethnicity),
            ("Người tham gia theo xã/phường cư trú / Attendees by commune", &self.attendees_by_commune),
        ] {
            for group in groups {
                rows.push(vec![indicator.into(), group.label.clone().into(), group.count.into()]);
            }
        }

        let o = &self.outcomes;
        let mut total = |indicator: &str, value: u32| rows.push(vec![indicator.into(), Cell::Empty, value.into()]);
        total("Được tư vấn / Counselled", o.counselled);
        total("Được phỏng vấn / Interviewed", o.interviewed);
        total("Đạt yêu cầu / Passed", o.passed);
        total("Tuyển dụng tại phiên / Hired on the spot", o.hired_on_spot);
        total("Nhận hồ sơ / CVs taken", o.cv_taken);
        total("Hẹn phỏng vấn sau / Appointments", o.appointments);
        total("Đăng ký học nghề / Training sign-ups", o.training_signups);
        total("Đăng ký đi làm việc ở nước ngoài / Overseas sign-ups", o.overseas_signups);
        for f in &self.follow_ups {
            let day = f.day;
            for (what, value) in [
                ("đã kiểm tra / checked", f.recorded),
                ("đã đi làm / started", f.started),
                ("vẫn đang làm việc / still employed", f.still_employed),
                ("chưa đi làm / not started", f.not_started),
                ("đã nghỉ việc / left", f.left),
                ("không liên lạc được / unreachable", f.unreachable),
            ] {
                rows.push(vec![
                    format!("Theo dõi sau {day} ngày / Follow-up at {day} days").into(),
                    what.into(),
                    value.into(),
                ]);
            }
        }
        rows.push(vec!["Số lần đính chính / Amendments".into(), Cell::Empty, count_u32(self.amendments.len()).into()]);
        for a in &self.amendments {
            let value = match &a.amendment.value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            rows.push(vec![
                format!("Đính chính lần {} / Amendment {}", a.version, a.version).into(),
                format!("{}: {} — {}", a.amendment.field, value, a.amendment.reason).into(),
                Cell::Empty,
            ]);
        }
        rows
    }

    /// UTF-8 CSV with a byte-order mark; Vietnamese headers first.
    pub fn to_csv(&self) -> String {
        to_csv(&REPORT_HEADER, &self.table())
    }

    /// One sheet "Báo cáo phiên", the same table as the CSV.
    pub fn to_xlsx(&self) -> StoreResult<Vec<u8>> {
        to_xlsx("Báo cáo phiên", &REPORT_HEADER, &[60.0, 50.0, 14.0], &self.table())
    }
}

/// The roll-up's columns: header and value of a row.
#[allow(clippy::type_complexity, reason = "a plain table of column definitions")]
const ROLLUP_COLUMNS: [(&str, fn(&RollupRow) -> Cell); 21] = [
    ("Kỳ báo cáo / Period", |r| r.period.clone().into()),
    ("Mã địa bàn / Area code", |r| r.area_code.clone().into()),
    ("Địa bàn / Area", |r| r.area_name.clone().into()),
    ("Số phiên / Fairs", |r| r.fairs.into()),
    ("Lượt doanh nghiệp tham gia / Enterprises", |r| r.enterprises.into()),
    ("Trong đó DN đưa người lao động đi làm việc ở nước ngoài / Placement enterprises", |r| {
        r.placement_enterprises.into()
    }),
    ("Vị trí việc làm / Vacancies", |r| r.vacancies.into()),
    ("Chỉ tiêu tuyển dụng / Openings", |r| r.openings.into()),
    ("Chỉ tiêu đi làm việc ở nước ngoài / Overseas openings", |r| r.overseas_openings.into()),
    ("Lượt đăng ký / Registered", |r| r.registered.into()),
    ("Đăng ký tại chỗ / Walk-ins", |r| r.walk_ins.into()),
    ("Người tham gia có danh tính / Identified attendees", |r| r.attendees_identified.into()),
    ("Người tham gia không khai danh tính / Anonymous attendees", |r| r.attendees_anonymous.into()),
    ("Được tư vấn / Counselled", |r| r.counselled.into()),
    ("Được phỏng vấn / Interviewed", |r| r.interviewed.into()),
    ("Đạt yêu cầu / Passed", |r| r.passed.into()),
    ("Tuyển dụng tại phiên / Hired on the spot", |r| r.hired_on_spot.into()),
    ("Nhận hồ sơ / CVs taken", |r| r.cv_taken.into()),
    ("Hẹn phỏng vấn sau / Appointments", |r| r.appointments.into()),
    ("Đăng ký học nghề / Training sign-ups", |r| r.training_signups.into()),
    ("Đăng ký đi làm việc ở nước ngoài / Overseas sign-ups", |r| r.overseas_signups.into()),
];

fn rollup_table(rows: &[RollupRow]) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let header = ROLLUP_COLUMNS.iter().map(|(h, _)| *h).collect();
    let body = rows.iter().map(|row| ROLLUP_COLUMNS.iter().map(|(_, value)| value(row)).collect()).collect();
    (header, body)
}

/// UTF-8 CSV with a byte-order mark; Vietnamese headers first.
pub fn rollup_csv(rows: &[RollupRow]) -> String {
    let (header, body) = rollup_table(rows);
    to_csv(&header, &body)
}

/// One sheet "Tổng hợp", the same table as the CSV.
pub fn rollup_xlsx(rows: &[RollupRow]) -> StoreResult<Vec<u8>> {
    let (header, body) = rollup_table(rows);
    let mut widths = vec![12.0, 12.0, 30.0];
    widths.resize(header.len(), 16.0);
    to_xlsx("Tổng hợp", &header, &widths, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_labelled_so_that_they_sort() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert_eq!(Period::Month.label(day), "2026-11");
        assert_eq!(Period::Quarter.label(day), "2026-Q4");
        assert_eq!(Period::Year.label(day), "2026");
        let march = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(Period::Quarter.label(march), "2026-Q1");
        assert!(Period::Month.label(march) < Period::Month.label(day));
    }

    #[test]
    fn csv_quotes_and_defuses() {
        let csv =
            to_csv(&["A / a", "B"], &[vec!["x, \"y\"".into(), "=SUM(A1)".into()], vec![Cell::Empty, 3u32.into()]]);
        assert!(csv.starts_with('\u{FEFF}'));
        assert_eq!(csv.trim_start_matches('\u{FEFF}'), "A / a,B\r\n\"x, \"\"y\"\"\",'=SUM(A1)\r\n,3\r\n");
    }
}
