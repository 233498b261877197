//! Valid sample records; tests change one thing to make them invalid.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use caunoi_domain::records::*;
use caunoi_domain::*;
use chrono::{NaiveDate, TimeZone, Utc};

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
        salary: SalaryRange::new(Some(8_000_000), Some(12_000_000), Currency::Vnd, PayPeriod::Month, false).expect("salary"),
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
