//! Valid sample records (tests change one thing to make them invalid) and the steps several
//! test files share: moving a fair along its life cycle, publishing a job order, moving a
//! placement up to departure.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use caunoi_domain::overseas::{
    CostItem, CostLine, Document, DocumentId, DocumentType, Eligibility, ExchangeRate, JobOrderDetails, Payer,
    SupplyContract, SupplyContractStatus,
};
use caunoi_domain::records::*;
use caunoi_domain::*;
use caunoi_store::bulk::{self, Batch};
use caunoi_store::fairs::{self, Fair};
use caunoi_store::overseas::{self, TransitionInput};
use caunoi_store::{Store, StoreError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn employer() -> Employer {
    Employer {
        id: EmployerId::new(),
        name: "Công ty TNHH May mặc Minh Phát".into(),
        kind: EmployerKind::Domestic,
        tax_code: Some(TaxCode::parse("0300588569").expect("tax code")),
        province_code: ProvinceCode::parse("01").expect("province"),
        commune_code: Some(CommuneCode::parse("00004").expect("commune")),
        address: Some("Số 1 phố Điện Biên Phủ".into()),
        phone: Some(PhoneNumber::parse("0912 345 678").expect("phone")),
        email: None,
    }
}

pub fn placement_enterprise() -> Employer {
    Employer {
        name: "Công ty Cổ phần Cung ứng Nhân lực Quốc tế Hoàng Long".into(),
        kind: EmployerKind::PlacementEnterprise {
            licence: PlacementLicence::new("123/LĐTBXH-GP", date(2022, 3, 1), Some(date(2029, 3, 1))).expect("licence"),
        },
        tax_code: Some(TaxCode::parse("0101248141").expect("tax code")),
        ..employer()
    }
}

pub fn vacancy(employer: EmployerId) -> Vacancy {
    Vacancy {
        id: VacancyId::new(),
        employer_id: employer,
        title: "Thợ hàn điện".into(),
        description: "Mô tả công việc: hàn kết cấu thép.\nYêu cầu: có chứng chỉ hàn.".into(),
        occupation: IscoCode::parse("7212").expect("isco"),
        employment_type: EmploymentType::FullTime,
        quantity: NonZeroU32::new(5).expect("non-zero"),
        salary: SalaryRange::new(Some(8_000_000), Some(12_000_000), Currency::Vnd, PayPeriod::Month, false)
            .expect("salary"),
        salary_text: "8 - 12 triệu".into(),
        workplace: Workplace::Domestic { commune_code: CommuneCode::parse("00004").expect("commune") },
        requirements: Requirements {
            must_have: vec![Requirement::Qualification(Qualification::SoCap), Requirement::ExperienceMonths(12)],
            nice_to_have: vec![Requirement::Skill("Hàn TIG".into())],
        },
        deadline: Some(date(2026, 12, 31)),
        fair_id: None,
        status: VacancyStatus::Open,
        posted_at: Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).single().expect("time"),
    }
}

pub fn job_order(employer: EmployerId) -> Vacancy {
    Vacancy {
        title: "Đơn hàng chế biến thực phẩm đi Nhật (TTS 3 năm)".into(),
        occupation: IscoCode::parse("7514").expect("isco"),
        salary: SalaryRange::new(Some(180_000), None, Currency::Jpy, PayPeriod::Month, false).expect("salary"),
        salary_text: "180.000 yên/tháng".into(),
        workplace: Workplace::Overseas {
            country: CountryCode::parse("JP").expect("country"),
            programme: OverseasProgramme::Titp,
            contract_months: Some(36),
        },
        requirements: Requirements {
            must_have: vec![Requirement::Language(LanguageCertificate::parse("JLPT N5").expect("cert"))],
            nice_to_have: vec![],
        },
        ..vacancy(employer)
    }
}

pub fn worker() -> WorkerProfile {
    let today = date(2026, 11, 21);
    WorkerProfile {
        id: WorkerId::new(),
        full_name: "Nguyễn Văn An".into(),
        sex: Sex::Male,
        date_of_birth: DateOfBirth::new(date(1998, 5, 17), today).expect("dob"),
        cccd: Some(Cccd::parse("001098012345").expect("cccd")),
        phone: Some(PhoneNumber::parse("+84 987 654 321").expect("phone")),
        email: None,
        ethnicity: Some("Kinh".into()),
        residence_commune: CommuneCode::parse("00004").expect("commune"),
        address_as_written: Some("xã Phúc Xá, quận Ba Đình, Hà Nội".into()),
        general_education: GeneralEducation::UpperSecondary,
        qualification: Qualification::TrungCap,
        occupation_history: vec![PastJob {
            occupation: Some(IscoCode::parse("7212").expect("isco")),
            title: "Thợ hàn".into(),
            employer: Some("Xưởng cơ khí Tân Tiến".into()),
            months: 36,
        }],
        skills: vec!["Hàn MIG".into(), "Đọc bản vẽ".into()],
        languages: vec![LanguageCertificate::parse("JLPT N4").expect("cert")],
        certificates: Vec::new(),
        desired: DesiredWork {
            occupation: Some(IscoCode::parse("7212").expect("isco")),
            title: Some("Thợ hàn".into()),
            min_monthly_vnd: Some(9_000_000),
            employment_type: Some(EmploymentType::FullTime),
            willing_abroad: true,
            countries: vec![CountryCode::parse("JP").expect("country")],
        },
        availability: Availability::Immediately,
        priority_groups: BTreeSet::from([PriorityGroup::NearPoorHousehold]),
        consents: vec![Consent {
            purpose: ConsentPurpose::Matching,
            granted_at: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).single().expect("time"),
            withdrawn_at: None,
        }],
    }
}

pub fn fair() -> JobFair {
    JobFair {
        id: JobFairId::new(),
        code: "PGD-2026-0001".into(),
        title: "Phiên giao dịch việc làm lưu động tại Phường Ba Đình".into(),
        format: FairFormat::Mobile,
        organiser: "Trung tâm Dịch vụ việc làm Hà Nội".into(),
        commune_code: CommuneCode::parse("00004").expect("commune"),
        venue: "Nhà văn hóa phường".into(),
        starts_at: Utc.with_ymd_and_hms(2026, 12, 5, 1, 0, 0).single().expect("time"),
        ends_at: Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).single().expect("time"),
        status: FairStatus::RegistrationOpen,
    }
}

// ---------------------------------------------------------------------------------------------
// Shared steps

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap()
}

/// The forward path of the life cycle, from draft.
pub const PATH: [FairStatus; 7] = [
    FairStatus::Planned,
    FairStatus::Announced,
    FairStatus::RegistrationOpen,
    FairStatus::InProgress,
    FairStatus::Closed,
    FairStatus::ResultsEntered,
    FairStatus::Reported,
];

/// Moves a fair forward until it is in `status`.
pub async fn advance(store: &Store, id: JobFairId, status: FairStatus) -> Fair {
    let mut fair = fairs::get_fair(store, id).await.unwrap();
    for next in PATH {
        if fair.fair.status == status {
            break;
        }
        if PATH
            .iter()
            .position(|s| *s == fair.fair.status)
            .is_some_and(|i| PATH.iter().position(|s| *s == next).unwrap() <= i)
        {
            continue;
        }
        fair = fairs::transition_fair(store, id, next, None).await.unwrap();
    }
    assert_eq!(fair.fair.status, status);
    fair
}

/// Noon in Vietnam on a day.
pub fn noon(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 5, 0, 0).single().unwrap()
}

pub fn move_at(at: DateTime<Utc>) -> TransitionInput {
    TransitionInput { actor: Some(uuid::Uuid::now_v7()), at, ..TransitionInput::now(None) }
}

pub const PUBLISH_DAY: (i32, u32, u32) = (2026, 12, 1);

pub fn publish_day() -> NaiveDate {
    date(PUBLISH_DAY.0, PUBLISH_DAY.1, PUBLISH_DAY.2)
}

/// A draft TITP order to Japan: 180,000 yên a month for 36 months, `places` places.
pub fn draft_order(employer: EmployerId, places: u32) -> Vacancy {
    Vacancy {
        status: VacancyStatus::Draft,
        quantity: NonZeroU32::new(places).unwrap(),
        deadline: None,
        salary: SalaryRange::new(Some(180_000), None, Currency::Jpy, PayPeriod::Month, false).unwrap(),
        ..job_order(employer)
    }
}

pub fn vnd(amount: i64) -> Money {
    Money::new(amount, Currency::Vnd).unwrap()
}

/// The order's details: a submitted supply contract, a service fee of `fee` đồng paid by the
/// worker, and the yên rate that compares it with the wage (the ceiling is 3 months' wage:
/// 540,000 yên = 91,800,000 đ).
pub fn order_details(order: VacancyId, code: &str, fee: i64) -> JobOrderDetails {
    JobOrderDetails {
        vacancy_id: order,
        code: Some(code.into()),
        sector: "Chế biến thực phẩm".into(),
        working_hours: "8 giờ/ngày, 5 ngày/tuần".into(),
        scheme: None,
        supply_contract: SupplyContract {
            reference: "HĐCU-2026/15".into(),
            foreign_partner: "Kanto Food Cooperative".into(),
            status: SupplyContractStatus::Submitted,
            submitted_on: Some(date(2026, 10, 1)),
            decision_no: None,
            approved_on: None,
        },
        interview_dates: vec![date(2026, 12, 15)],
        costs: vec![
            CostLine { item: CostItem::ServiceFee, description: None, amount: vnd(fee), payer: Payer::Worker },
            CostLine {
                item: CostItem::FundContribution,
                description: None,
                amount: vnd(100_000),
                payer: Payer::Worker,
            },
            CostLine {
                item: CostItem::Airfare,
                description: None,
                amount: vnd(9_000_000),
                payer: Payer::ForeignPartner,
            },
        ],
        exchange_rate: Some(ExchangeRate {
            currency: Currency::Jpy,
            vnd_per_thousand_units: 170_000,
            on: date(2026, 11, 25),
            source: "Vietcombank, tỷ giá bán".into(),
        }),
    }
}

/// A placement enterprise with a licence valid until 2029 and a published order of `places`.
pub async fn published_order(store: &Store, code: &str, places: u32) -> (EmployerId, VacancyId) {
    published_order_on(store, code, places, publish_day()).await
}

/// As [`published_order`], published on `day`: the supply contract was submitted 61 days and
/// approved 11 days before, the rate is of 6 days before and the interview 14 days after.
pub async fn published_order_on(store: &Store, code: &str, places: u32, day: NaiveDate) -> (EmployerId, VacancyId) {
    let enterprise = placement_enterprise();
    let employer = enterprise.id;
    let order = draft_order(employer, places);
    let id = order.id;
    bulk::write(store, Batch { employers: vec![enterprise], vacancies: vec![order], ..Batch::default() })
        .await
        .unwrap();
    let mut details = order_details(id, code, 40_000_000);
    details.supply_contract.submitted_on = Some(day - Duration::days(61));
    details.interview_dates = vec![day + Duration::days(14)];
    if let Some(rate) = details.exchange_rate.as_mut() {
        rate.on = day - Duration::days(6);
    }
    overseas::save_job_order(store, details).await.unwrap();
    overseas::approve_supply_contract(store, id, "1234/QLLĐNN-TT", day - Duration::days(11)).await.unwrap();
    overseas::publish_job_order(store, id, day).await.unwrap();
    (employer, id)
}

pub fn japan() -> CountryCode {
    CountryCode::parse("JP").unwrap()
}

pub fn document(kind: DocumentType, issued: NaiveDate, expires: Option<NaiveDate>) -> Document {
    Document::new(kind, Some(issued), expires)
}

/// Registers a worker for an order and moves the registration up to selection on `day`.
pub async fn select(
    store: &Store,
    worker: WorkerId,
    order: VacancyId,
    day: DateTime<Utc>,
) -> Result<overseas::Registration, StoreError> {
    let registration = overseas::register(store, worker, Some(order), japan(), OverseasProgramme::Titp).await?;
    let id = registration.registration.id;
    overseas::transition(store, id, OverseasStage::Applied, move_at(day)).await?;
    overseas::transition(store, id, OverseasStage::Prescreened, move_at(day)).await?;
    overseas::transition(
        store,
        id,
        OverseasStage::Selected,
        TransitionInput { eligibility: Some(Eligibility::Pass), ..move_at(day) },
    )
    .await
}

pub async fn hold(
    store: &Store,
    id: OverseasRegistrationId,
    kind: DocumentType,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> DocumentId {
    overseas::add_document(store, id, document(kind, from, to)).await.unwrap().id
}

/// Moves a selected registration through orientation, medical check, contract, fees, fund and
/// papers, orientation on `first`: each with its document, the visa valid from 40 to 130 days
/// after `first`; the papers are ready 44 days after.
pub async fn prepare_departure(store: &Store, id: OverseasRegistrationId, first: NaiveDate) {
    let day = |offset: i64| first + Duration::days(offset);
    let at = |offset: i64| {
        let d = day(offset);
        noon(d.year(), d.month(), d.day())
    };
    let step = |to: OverseasStage, offset: i64, evidence: DocumentId| async move {
        let input =
            TransitionInput { documents: vec![evidence], eligibility: Some(Eligibility::Pass), ..move_at(at(offset)) };
        overseas::transition(store, id, to, input).await.unwrap();
    };
    let certificate = hold(store, id, DocumentType::OrientationCertificate, day(-50), None).await;
    step(OverseasStage::OrientationDone, 0, certificate).await;
    let health = hold(store, id, DocumentType::HealthCertificate, day(5), Some(day(186))).await;
    step(OverseasStage::MedicalOk, 6, health).await;
    let contract = hold(store, id, DocumentType::WorkerContract, day(12), None).await;
    step(OverseasStage::ContractSigned, 12, contract).await;
    let receipt = hold(store, id, DocumentType::FeeReceipt, day(14), None).await;
    step(OverseasStage::FeesSettled, 14, receipt).await;
    let fund = hold(store, id, DocumentType::FundReceipt, day(15), None).await;
    step(OverseasStage::FundPaid, 15, fund).await;
    hold(store, id, DocumentType::Passport, day(-233), Some(day(3420))).await;
    // Departure needs a visa valid on the day.
    let visa = hold(store, id, DocumentType::Visa, day(40), Some(day(130))).await;
    step(OverseasStage::DocsReady, 44, visa).await;
}

/// A fair in progress at which `worker` registered and signed up for vocational training.
pub async fn held_fair_with_signup(store: &Store, worker: WorkerId) -> JobFairId {
    let record = JobFair { id: JobFairId::new(), code: format!("PGD-HOC-{}", worker.0.simple()), status: FairStatus::Draft, ..fair() };
    let id = fairs::create_fair(store, record, fairs::FairPlan::default()).await.unwrap().fair.id;
    advance(store, id, FairStatus::RegistrationOpen).await;
    fairs::register_seeker(store, id, worker, false).await.unwrap();
    advance(store, id, FairStatus::InProgress).await;
    let signup = fairs::Interaction {
        id: uuid::Uuid::now_v7(),
        fair_id: id,
        worker_id: worker,
        vacancy_id: None,
        employer_id: None,
        kind: caunoi_domain::fairs::InteractionKind::TrainingSignup,
        note: None,
        at: Utc::now(),
        recorded_by: None,
    };
    fairs::record_interaction(store, signup).await.unwrap();
    id
}

/// `n` workers without identity numbers (so they never collide), written in one batch.
pub async fn workers(store: &Store, n: usize) -> Vec<WorkerId> {
    let profiles: Vec<WorkerProfile> =
        (0..n).map(|_| WorkerProfile { id: WorkerId::new(), cccd: None, phone: None, ..worker() }).collect();
    let ids = profiles.iter().map(|w| w.id).collect();
    bulk::write(store, Batch { workers: profiles, ..Batch::default() }).await.unwrap();
    ids
}
