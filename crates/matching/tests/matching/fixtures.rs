//! Hand-built workers and vacancies with exactly the fields a test is about.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use caunoi_domain::records::*;
use caunoi_domain::*;
use caunoi_matching::{VacancyFeatures, WageConversion, WorkerFeatures};
use chrono::{NaiveDate, TimeZone, Utc};

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn isco(code: &str) -> IscoCode {
    IscoCode::parse(code).unwrap()
}

pub fn commune(code: &str) -> CommuneCode {
    CommuneCode::parse(code).unwrap()
}

/// Ba Đình, Hà Nội.
pub const HANOI: &str = "00004";
/// Ngọc Hà, Hà Nội (about 2 km from Ba Đình).
pub const HANOI_NEAR: &str = "00008";
/// Thủ Dầu Một (south, about 1,150 km away).
pub const SOUTH: &str = "25747";

pub fn profile(born: NaiveDate) -> WorkerProfile {
    WorkerProfile {
        id: WorkerId(uuid::Uuid::from_u128(born.to_string().bytes().fold(7u128, |a, b| a * 31 + u128::from(b)))),
        full_name: "Nguyễn Văn An".into(),
        sex: Sex::Male,
        date_of_birth: DateOfBirth::new(born, ymd(2026, 12, 1)).unwrap(),
        cccd: None,
        phone: None,
        email: None,
        ethnicity: Some("Kinh".into()),
        residence_commune: commune(HANOI),
        address_as_written: None,
        general_education: GeneralEducation::UpperSecondary,
        qualification: Qualification::SoCap,
        occupation_history: vec![PastJob { occupation: Some(isco("7212")), title: "Thợ hàn".into(), employer: None, months: 24 }],
        skills: vec!["Hàn MIG".into(), "Đọc bản vẽ kỹ thuật".into()],
        languages: Vec::new(),
        certificates: Vec::new(),
        desired: DesiredWork {
            occupation: Some(isco("7212")),
            title: Some("Thợ hàn".into()),
            min_monthly_vnd: Some(9_000_000),
            employment_type: Some(EmploymentType::FullTime),
            willing_abroad: true,
            countries: Vec::new(),
        },
        availability: Availability::Immediately,
        priority_groups: BTreeSet::new(),
        consents: vec![Consent { purpose: ConsentPurpose::Matching, granted_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), withdrawn_at: None }],
    }
}

pub fn worker(born: NaiveDate) -> WorkerFeatures {
    WorkerFeatures::from_profile(&profile(born))
}

pub fn with(mut profile: WorkerProfile, change: impl FnOnce(&mut WorkerProfile)) -> WorkerFeatures {
    change(&mut profile);
    WorkerFeatures::from_profile(&profile)
}

pub fn domestic_vacancy(commune_code: &str, occupation: &str) -> Vacancy {
    Vacancy {
        id: VacancyId(uuid::Uuid::from_u128(0xd0 + u128::from(occupation.parse::<u16>().unwrap()))),
        employer_id: EmployerId(uuid::Uuid::from_u128(1)),
        title: "Tuyển thợ hàn".into(),
        description: "Hàn kết cấu thép, yêu cầu biết hàn MIG và đọc bản vẽ kỹ thuật.".into(),
        occupation: isco(occupation),
        employment_type: EmploymentType::FullTime,
        quantity: NonZeroU32::new(3).unwrap(),
        salary: SalaryRange::new(Some(8_000_000), Some(12_000_000), Currency::Vnd, PayPeriod::Month, false).unwrap(),
        salary_text: "8 - 12 triệu".into(),
        workplace: Workplace::Domestic { commune_code: commune(commune_code) },
        requirements: Requirements::default(),
        deadline: Some(ymd(2027, 1, 31)),
        fair_id: None,
        status: VacancyStatus::Open,
        posted_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
    }
}

pub fn job_order(programme: OverseasProgramme, country: &str, occupation: &str) -> Vacancy {
    Vacancy {
        workplace: Workplace::Overseas { country: CountryCode::parse(country).unwrap(), programme, contract_months: Some(36) },
        salary: SalaryRange::new(Some(180_000), Some(200_000), Currency::Jpy, PayPeriod::Month, false).unwrap(),
        salary_text: "180.000 - 200.000 yên".into(),
        title: "Đơn hàng đi làm việc ở nước ngoài".into(),
        ..domestic_vacancy(HANOI, occupation)
    }
}

pub fn features(vacancy: &Vacancy) -> VacancyFeatures {
    VacancyFeatures::from_vacancy(vacancy, &WageConversion::default())
}
