//! Building one record at a time from the catalogues and the reference data.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroU32;
use std::sync::LazyLock;

use caunoi_domain::records::*;
use caunoi_domain::reference::{AdminCatalog, Commune, LegacyCommune};
use caunoi_domain::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::catalog::{self, OccupationTemplate, OverseasTemplate};
use crate::rng::Rng;

/// What to generate. `as_of` anchors dates (deadlines, ages, fair dates) so that a given seed
/// and date always give the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    pub as_of: NaiveDate,
    pub vacancies: usize,
    pub workers: usize,
}

/// How many records of each kind a configuration produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DemoPlan {
    pub employers: usize,
    /// The first `placement_enterprises` employers are licensed overseas placement enterprises.
    pub placement_enterprises: usize,
    pub fairs: usize,
    /// Employers registered per fair.
    pub booths_per_fair: usize,
    pub vacancies: usize,
    pub workers: usize,
}

impl DemoPlan {
    pub fn total_records(&self) -> usize {
        self.employers + self.fairs * (1 + self.booths_per_fair) + self.vacancies + self.workers
    }
}

// Record kinds, mixed into each record's seed.
const EMPLOYER: u64 = 1;
const FAIR: u64 = 2;
const VACANCY: u64 = 3;
const WORKER: u64 = 4;

/// Pre-2025 province codes, the first three digits of a CCCD (DOMAIN.md: CCCD province prefix).
const CCCD_PREFIXES: &[&str] = &[
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Mobile prefixes in use (after the leading 0).
const MOBILE_PREFIXES: &[&str] = &[
    "32", "33", "34", "35", "36", "37", "38", "39", "56", "58", "70", "76", "77", "78", "79", "81", "82", "83", "84",
    "85", "86", "88", "89", "90", "91", "93", "94", "96", "97", "98",
];

/// Surname frequencies (percent, approximate national shares).
const SURNAME_WEIGHTS: &[(&str, u32)] = &[
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
];

const ETHNIC_MINORITIES: &[&str] =
    &["Tày", "Thái", "Mường", "Khmer", "H'Mông", "Nùng", "Dao", "Gia Rai", "Ê Đê", "Ba Na", "Sán Dìu", "Chăm"];

struct Names {
    female: Vec<String>,
    male: Vec<String>,
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let mut names = Names { female: Vec::new(), male: Vec::new() };
    let mut reader = csv::ReaderBuilder::new().from_reader(include_str!("../data/given-names-vi.csv").as_bytes());
    for record in reader.records().flatten() {
        let (Some(name), Some(sex)) = (record.get(0), record.get(1)) else { continue };
        match sex {
            "female" => names.female.push(name.to_owned()),
            "male" => names.male.push(name.to_owned()),
            _ => {
                names.female.push(name.to_owned());
                names.male.push(name.to_owned());
            }
        }
    }
    names
});

/// Builds demo records by index.
pub struct Generator {
    config: DemoConfig,
    plan: DemoPlan,
    communes: &'static [Commune],
    communes_by_province: HashMap<String, Vec<usize>>,
    legacy_by_new: HashMap<String, Vec<&'static LegacyCommune>>,
}

impl Generator {
    pub fn new(config: DemoConfig) -> Self {
        let admin = AdminCatalog::embedded();
        let mut communes_by_province: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, commune) in admin.communes().iter().enumerate() {
            communes_by_province.entry(commune.province_code.as_str().to_owned()).or_default().push(i);
        }
        let mut legacy_by_new: HashMap<String, Vec<&'static LegacyCommune>> = HashMap::new();
        for unit in admin.legacy_communes().iter().filter(|u| u.old_name.is_some()) {
            legacy_by_new.entry(unit.new_code.as_str().to_owned()).or_default().push(unit);
        }
        let employers = (config.vacancies / 20).max(12).min(config.vacancies.max(12));
        let plan = DemoPlan {
            employers,
            placement_enterprises: catalog::PLACEMENT_ENTERPRISES.len().min(employers / 4).max(1),
            fairs: (config.vacancies / 500).max(3),
            booths_per_fair: 5.min(employers),
            vacancies: config.vacancies,
            workers: config.workers,
        };
        Self { config, plan, communes: admin.communes(), communes_by_province, legacy_by_new }
    }

    pub fn plan(&self) -> DemoPlan {
        self.plan
    }

    fn rng(&self, kind: u64, index: usize) -> Rng {
        Rng::for_record(self.config.seed, kind, index as u64)
    }

    fn commune_near(&self, rng: &mut Rng, province: &ProvinceCode) -> &'static Commune {
        let communes = self.communes;
        match self.communes_by_province.get(province.as_str()) {
            Some(indexes) => &communes[*rng.pick(indexes)],
            None => rng.pick(communes),
        }
    }

    fn employer_id(&self, index: usize) -> EmployerId {
        EmployerId(self.rng(EMPLOYER, index).uuid())
    }

    fn fair_id(&self, index: usize) -> JobFairId {
        JobFairId(self.rng(FAIR, index).uuid())
    }

    fn vacancy_id(&self, index: usize) -> VacancyId {
        VacancyId(self.rng(VACANCY, index).uuid())
    }

    /// The index of the `n`-th job order among vacancies: every 20th vacancy is one.
    fn is_job_order(index: usize) -> bool {
        index % 20 == 7
    }

    /// Industry of a domestic employer (placement enterprises have none).
    fn industry(&self, employer: usize) -> &'static (&'static str, &'static [&'static str]) {
        let mut rng = self.rng(EMPLOYER, employer);
        rng.next_u64(); // the id
        rng.pick(catalog::INDUSTRIES)
    }

    pub fn employer(&self, index: usize) -> Employer {
        let mut rng = self.rng(EMPLOYER, index);
        let id = EmployerId(rng.uuid());
        let (industry, _) = *rng.pick(catalog::INDUSTRIES);
        let commune = rng.pick(self.communes);
        let tax_code = demo_tax_code(index, &commune.province_code);
        let placement = index < self.plan.placement_enterprises;
        let (name, kind) = if placement {
            let issued = self.config.as_of - Duration::days(rng.between(200, 2500));
            let licence = PlacementLicence::new(
                &format!("{}/LĐTBXH-GP", rng.between(10, 480)),
                issued,
                Some(issued + Duration::days(365 * 7)),
            )
            .unwrap_or_else(|e| panic!("demo licence is valid: {e}"));
            (catalog::PLACEMENT_ENTERPRISES[index % catalog::PLACEMENT_ENTERPRISES.len()].to_owned(), EmployerKind::PlacementEnterprise { licence })
        } else {
            let form = rng.weighted(catalog::COMPANY_FORMS, |(_, w)| *w).0;
            let core = rng.pick(catalog::COMPANY_CORES);
            (format!("{form} {industry} {core}"), EmployerKind::Domestic)
        };
        Employer {
            id,
            name,
            kind,
            tax_code: Some(tax_code),
            province_code: commune.province_code.clone(),
            commune_code: Some(commune.code.clone()),
            address: Some(format!("Số {} đường {}, {}", rng.between(1, 300), rng.pick(catalog::COMPANY_CORES), commune.name)),
            phone: Some(demo_phone(&mut rng)),
            email: None,
        }
    }

    pub fn fair(&self, index: usize) -> JobFair {
        let mut rng = self.rng(FAIR, index);
        let id = JobFairId(rng.uuid());
        let commune = rng.pick(self.communes);
        let province = AdminCatalog::embedded().province(&commune.province_code);
        let day = self.config.as_of + Duration::days(rng.between(-90, 60));
        // 07:30 in Việt Nam (UTC+7) is 00:30 UTC.
        let starts_at = Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(0, 30, 0).unwrap_or_default()));
        let status = if day < self.config.as_of - Duration::days(14) {
            FairStatus::Reported
        } else if day < self.config.as_of {
            FairStatus::Closed
        } else if day <= self.config.as_of + Duration::days(30) {
            FairStatus::RegistrationOpen
        } else {
            FairStatus::Announced
        };
        let title = rng
            .pick(catalog::FAIR_TITLES)
            .replace("{commune}", &commune.name)
            .replace("{n}", &(index + 1).to_string())
            .replace("{month}", &day.month().to_string());
        JobFair {
            id,
            code: format!("PGD-{}-{:05}", day.year(), index + 1),
            title,
            format: *rng.weighted(FairFormat::ALL, |f| match f {
                FairFormat::Onsite => 5,
                FairFormat::Mobile => 3,
                FairFormat::Hybrid => 1,
                FairFormat::Online => 1,
            }),
            organiser: format!(
                "Trung tâm Dịch vụ việc làm {}",
                province.map_or_else(|| "tỉnh".to_owned(), |p| p.name_with_type.clone())
            ),
            commune_code: commune.code.clone(),
            venue: format!("Hội trường Ủy ban nhân dân {}", commune.name),
            starts_at,
            ends_at: starts_at + Duration::hours(4),
            status,
        }
    }

    /// Employers that took a booth at fair `index`.
    pub fn fair_employer_registrations(&self, index: usize) -> Vec<FairRegistration> {
        let mut rng = self.rng(FAIR, index);
        let fair_id = JobFairId(rng.uuid());
        let mut employers = BTreeSet::new();
        while employers.len() < self.plan.booths_per_fair {
            employers.insert(rng.below(self.plan.employers));
        }
        let registered_at = Utc.from_utc_datetime(&(self.config.as_of - Duration::days(rng.between(91, 120))).and_time(NaiveTime::MIN));
        employers
            .into_iter()
            .map(|employer| FairRegistration {
                id: FairRegistrationId(rng.uuid()),
                fair_id,
                participant: FairParticipant::Employer(self.employer_id(employer)),
                registered_at,
                checked_in_at: None,
            })
            .collect()
    }

    pub fn vacancy(&self, index: usize) -> Vacancy {
        if Self::is_job_order(index) { self.job_order(index) } else { self.domestic_vacancy(index) }
    }

    fn posting_dates(&self, rng: &mut Rng) -> (chrono::DateTime<Utc>, NaiveDate, VacancyStatus) {
        let posted = self.config.as_of - Duration::days(rng.between(0, 75));
        let deadline = posted + Duration::days(rng.between(20, 60));
        let status = if deadline >= self.config.as_of { VacancyStatus::Open } else { VacancyStatus::Closed };
        let posted_at = Utc.from_utc_datetime(&posted.and_time(NaiveTime::from_hms_opt(rng.between(1, 10) as u32, 0, 0).unwrap_or_default()));
        (posted_at, deadline, status)
    }

    fn domestic_vacancy(&self, index: usize) -> Vacancy {
        let mut rng = self.rng(VACANCY, index);
        let id = VacancyId(rng.uuid());
        let domestic_employers = self.plan.employers - self.plan.placement_enterprises;
        let employer = self.plan.placement_enterprises + rng.below(domestic_employers.max(1));
        let (_, iscos) = self.industry(employer);
        let candidates: Vec<&OccupationTemplate> = catalog::OCCUPATIONS.iter().filter(|t| iscos.contains(&t.isco)).collect();
        let template = if candidates.is_empty() {
            rng.weighted(catalog::OCCUPATIONS, |t| t.weight)
        } else {
            *rng.weighted(&candidates, |t| t.weight)
        };
        let employer_record = self.employer(employer);
        let workplace = if rng.percent(70) {
            employer_record.commune_code.clone().unwrap_or_else(|| rng.pick(self.communes).code.clone())
        } else {
            self.commune_near(&mut rng, &employer_record.province_code).code.clone()
        };
        let salary = domestic_salary(&mut rng, template);
        let (posted_at, deadline, status) = self.posting_dates(&mut rng);
        let min_qualification = Qualification::parse(template.min_qualification).unwrap_or(Qualification::NoQualification);
        let mut must_have: Vec<Requirement> = template.must_have.iter().map(|t| Requirement::Text((*t).to_owned())).collect();
        if min_qualification > Qualification::NoQualification {
            must_have.insert(0, Requirement::Qualification(min_qualification));
        }
        let nice_to_have = template.nice_to_have.iter().map(|t| Requirement::Text((*t).to_owned())).collect();
        Vacancy {
            id,
            employer_id: employer_record.id,
            title: rng.pick(template.titles).to_string(),
            description: ad_text(template.duties, template.must_have, template.nice_to_have, template.benefits),
            occupation: IscoCode::parse(template.isco).unwrap_or_else(|e| panic!("catalog ISCO code: {e}")),
            employment_type: EmploymentType::parse(template.employment_type).unwrap_or(EmploymentType::FullTime),
            quantity: quantity(&mut rng),
            salary_text: salary.display_vi(),
            salary,
            workplace: Workplace::Domestic { commune_code: workplace },
            requirements: Requirements { must_have, nice_to_have },
            deadline: Some(deadline),
            fair_id: rng.percent(10).then(|| self.fair_id(rng.below(self.plan.fairs))),
            status,
            posted_at,
        }
    }

    fn job_order(&self, index: usize) -> Vacancy {
        let mut rng = self.rng(VACANCY, index);
        let id = VacancyId(rng.uuid());
        let template: &OverseasTemplate = rng.weighted(catalog::OVERSEAS, |t| t.weight);
        let enterprise = rng.below(self.plan.placement_enterprises);
        let currency = Currency::parse(template.currency).unwrap_or(Currency::Usd);
        let scale = 10_i64.pow(currency.minor_units());
        let low = template.monthly_wage.0;
        let high = template.monthly_wage.1.max(low);
        let salary = SalaryRange::new(Some(low * scale), (high > low).then_some(high * scale), currency, PayPeriod::Month, false)
            .unwrap_or_else(|e| panic!("catalog wage is valid: {e}"));
        let (posted_at, deadline, status) = self.posting_dates(&mut rng);
        let mut must_have: Vec<Requirement> = template.must_have.iter().map(|t| Requirement::Text((*t).to_owned())).collect();
        if let Ok(certificate) = LanguageCertificate::parse(template.language_requirement) {
            must_have.insert(0, Requirement::Language(certificate));
        }
        let programme = OverseasProgramme::parse(template.programme).unwrap_or(OverseasProgramme::Other);
        Vacancy {
            id,
            employer_id: self.employer_id(enterprise),
            title: rng.pick(template.titles).to_string(),
            description: ad_text(template.duties, template.must_have, template.nice_to_have, template.benefits),
            occupation: IscoCode::parse(template.isco).unwrap_or_else(|e| panic!("catalog ISCO code: {e}")),
            employment_type: if programme == OverseasProgramme::SeasonalE8 { EmploymentType::Seasonal } else { EmploymentType::FullTime },
            quantity: quantity(&mut rng),
            salary_text: salary.display_vi(),
            salary,
            workplace: Workplace::Overseas {
                country: CountryCode::parse(template.country).unwrap_or_else(|e| panic!("catalog country: {e}")),
                programme,
                contract_months: u16::try_from(template.contract_months).ok(),
            },
            requirements: Requirements {
                must_have,
                nice_to_have: template.nice_to_have.iter().map(|t| Requirement::Text((*t).to_owned())).collect(),
            },
            deadline: Some(deadline),
            fair_id: None,
            status,
            posted_at,
        }
    }

    /// A worker profile with, sometimes, a fair registration and an overseas registration.
    pub fn worker(&self, index: usize) -> (WorkerProfile, Option<FairRegistration>, Option<OverseasRegistration>) {
        let as_of = self.config.as_of;
        let mut rng = self.rng(WORKER, index);
        let id = WorkerId(rng.uuid());
        let sex = if rng.percent(50) { Sex::Male } else { Sex::Female };
        let surname = rng.weighted(SURNAME_WEIGHTS, |(_, w)| *w).0;
        let given = rng.pick(if sex == Sex::Male { &NAMES.male } else { &NAMES.female });
        let age = if rng.percent(70) { rng.between(18, 35) } else { rng.between(36, 55) };
        let birth = NaiveDate::from_yo_opt(as_of.year() - age as i32, rng.between(1, 365) as u32).unwrap_or(as_of);
        let birth = if birth > as_of - Duration::days(365 * 18) { as_of - Duration::days(365 * 18 + 5) } else { birth };
        let date_of_birth = DateOfBirth::new(birth, as_of).unwrap_or_else(|e| panic!("demo birth date: {e}"));
        let commune = rng.pick(self.communes);
        let template = rng.weighted(catalog::OCCUPATIONS, |t| t.weight);
        let isco = IscoCode::parse(template.isco).unwrap_or_else(|e| panic!("catalog ISCO code: {e}"));
        let ethnic_minority = rng.percent(14);
        let willing_abroad = age <= 39 && rng.percent(30);
        let country = match rng.below(10) {
            0..=4 => "JP",
            5..=7 => "KR",
            _ => "TW",
        };
        let mut languages = Vec::new();
        if willing_abroad && country == "JP" && rng.percent(50) {
            languages.push(LanguageCertificate::Jlpt(if rng.percent(60) { JlptLevel::N5 } else { JlptLevel::N4 }));
        }
        if willing_abroad && country == "KR" && rng.percent(40) {
            languages.push(LanguageCertificate::EpsTopik { score: rng.between(80, 180) as u16 });
        }
        let months = rng.between(0, 96) as u16;
        let occupation_history = if months >= 6 {
            let lines = catalog::EXPERIENCE_LINES_BY_ISCO.iter().find(|(code, _)| *code == template.isco).map(|(_, lines)| *lines);
            let years = (months / 12).max(1).to_string();
            let title = match lines {
                Some(lines) => rng.pick(lines).replace("{years}", &years),
                None => {
                    let job = rng.pick(template.titles);
                    // "{title}" sits mid-sentence: lower-case its first letter.
                    let mut chars = job.chars();
                    let job = chars.next().map(|c| c.to_lowercase().chain(chars).collect::<String>()).unwrap_or_default();
                    rng.pick(catalog::EXPERIENCE_LINES).replace("{title}", &job).replace("{years}", &years)
                }
            };
            vec![PastJob { occupation: Some(isco.clone()), title, employer: None, months }]
        } else {
            Vec::new()
        };
        let mut skills: Vec<String> = template.skills.iter().map(|s| (*s).to_owned()).collect();
        skills.truncate(rng.between(1, skills.len().max(1) as i64) as usize);
        let mut priority_groups = BTreeSet::new();
        if ethnic_minority {
            priority_groups.insert(PriorityGroup::EthnicMinority);
        }
        match rng.below(100) {
            0..=4 => priority_groups.insert(PriorityGroup::PoorHousehold),
            5..=10 => priority_groups.insert(PriorityGroup::NearPoorHousehold),
            11..=12 => priority_groups.insert(PriorityGroup::Disability),
            13..=15 if sex == Sex::Male => priority_groups.insert(PriorityGroup::DemobilisedSoldier),
            16..=17 => priority_groups.insert(PriorityGroup::Returnee),
            _ => false,
        };
        let registered = Utc.from_utc_datetime(&(as_of - Duration::days(rng.between(1, 365))).and_time(NaiveTime::MIN));
        let mut consents = vec![Consent { purpose: ConsentPurpose::Matching, granted_at: registered, withdrawn_at: None }];
        if rng.percent(60) {
            consents.push(Consent { purpose: ConsentPurpose::ShareWithEmployers, granted_at: registered, withdrawn_at: None });
        }
        if willing_abroad {
            consents.push(Consent { purpose: ConsentPurpose::ShareWithPlacementEnterprises, granted_at: registered, withdrawn_at: None });
        }
        let cccd = rng.percent(85).then(|| demo_cccd(index, sex, birth.year()));
        let worker = WorkerProfile {
            id,
            full_name: format!("{surname} {given}"),
            sex,
            date_of_birth,
            cccd,
            phone: rng.percent(90).then(|| demo_phone(&mut rng)),
            email: None,
            ethnicity: Some(if ethnic_minority { rng.pick(ETHNIC_MINORITIES).to_string() } else { "Kinh".to_owned() }),
            residence_commune: commune.code.clone(),
            address_as_written: self.address_as_written(&mut rng, commune),
            general_education: *rng.weighted(GeneralEducation::ALL, |g| match g {
                GeneralEducation::None => 2,
                GeneralEducation::Primary => 8,
                GeneralEducation::LowerSecondary => 30,
                GeneralEducation::UpperSecondary => 60,
            }),
            qualification: *rng.weighted(Qualification::ALL, |q| match q {
                Qualification::NoQualification => 45,
                Qualification::SoCap => 15,
                Qualification::TrungCap => 14,
                Qualification::CaoDang => 12,
                Qualification::DaiHoc => 12,
                Qualification::ThacSi => 2,
                Qualification::TienSi => 0,
            }),
            occupation_history,
            skills,
            languages,
            certificates: Vec::new(),
            desired: DesiredWork {
                occupation: Some(isco),
                title: Some(template.titles[0].to_owned()),
                min_monthly_vnd: Some(template.monthly_vnd.0 / 500_000 * 500_000),
                employment_type: EmploymentType::parse(template.employment_type).ok(),
                willing_abroad,
                countries: if willing_abroad { vec![CountryCode::parse(country).unwrap_or_else(|_| CountryCode::vietnam())] } else { Vec::new() },
            },
            availability: match rng.below(10) {
                0..=6 => Availability::Immediately,
                7..=8 => Availability::From(as_of + Duration::days(rng.between(7, 60))),
                _ => Availability::NotLooking,
            },
            priority_groups,
            consents,
        };
        let fair_registration = rng.percent(10).then(|| FairRegistration {
            id: FairRegistrationId(rng.uuid()),
            fair_id: self.fair_id(rng.below(self.plan.fairs)),
            participant: FairParticipant::Worker(id),
            registered_at: registered,
            checked_in_at: None,
        });
        let job_orders = self.plan.vacancies / 20;
        let overseas_registration = (willing_abroad && job_orders > 0 && rng.percent(30)).then(|| {
            let order_index = rng.below(job_orders) * 20 + 7;
            let order = self.job_order(order_index);
            let Workplace::Overseas { country, programme, .. } = order.workplace else { unreachable!("job orders are overseas") };
            OverseasRegistration {
                id: OverseasRegistrationId(rng.uuid()),
                worker_id: id,
                job_order_id: Some(self.vacancy_id(order_index)),
                country,
                programme,
                stage: *rng.pick(&[OverseasStage::Lead, OverseasStage::Counselled, OverseasStage::Applied, OverseasStage::Prescreened]),
                registered_at: registered,
                note: None,
            }
        });
        (worker, fair_registration, overseas_registration)
    }

    /// Three in ten people still write their pre-2025 address (commune, district, province).
    fn address_as_written(&self, rng: &mut Rng, commune: &Commune) -> Option<String> {
        let village = format!("Thôn {}", rng.between(1, 12));
        match self.legacy_by_new.get(commune.code.as_str()) {
            Some(old_units) if rng.percent(30) => {
                let old = rng.pick(old_units);
                Some(format!(
                    "{village}, {}, {}, {}",
                    old.old_name.as_deref().unwrap_or_default(),
                    old.old_district_name,
                    old.old_province_name
                ))
            }
            _ => {
                let province = AdminCatalog::embedded().province(&commune.province_code);
                Some(format!("{village}, {}, {}", commune.name, province.map_or("", |p| p.name_with_type.as_str())))
            }
        }
    }
}

/// The usual sections of a Vietnamese job ad.
fn ad_text(duties: &[&str], must: &[&str], nice: &[&str], benefits: &[&str]) -> String {
    let section = |heading: &str, lines: &[&str]| -> String {
        if lines.is_empty() {
            return String::new();
        }
        let body: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
        format!("{heading}\n{}\n", body.join("\n"))
    };
    [
        section("Mô tả công việc:", duties),
        section("Yêu cầu:", must),
        section("Ưu tiên:", nice),
        section("Quyền lợi:", benefits),
    ]
    .concat()
    .trim_end()
    .to_owned()
}

fn quantity(rng: &mut Rng) -> NonZeroU32 {
    let n = if rng.percent(70) { rng.between(1, 10) } else { rng.between(10, 200) };
    NonZeroU32::new(n as u32).unwrap_or(NonZeroU32::MIN)
}

/// "8 - 12 triệu", "Từ 8 triệu", "Lên đến 15 triệu" or "Thỏa thuận", in the usual proportions.
fn domestic_salary(rng: &mut Rng, template: &OccupationTemplate) -> SalaryRange {
    let (low, high) = template.monthly_vnd;
    let round = |v: i64| (v / 500_000).max(1) * 500_000;
    let min = round(rng.between(low, (low + high) / 2));
    let max = round(rng.between((low + high) / 2, high)).max(min);
    let (min, max, negotiable) = match rng.below(10) {
        0 => (None, None, true),
        1 => (Some(min), None, false),
        2 => (None, Some(max), false),
        _ => (Some(min), Some(max), false),
    };
    SalaryRange::new(min, max, Currency::Vnd, PayPeriod::Month, negotiable)
        .unwrap_or_else(|e| panic!("catalog salary is valid: {e}"))
}

fn demo_phone(rng: &mut Rng) -> PhoneNumber {
    let number = format!("0{}{:07}", rng.pick(MOBILE_PREFIXES), rng.between(0, 9_999_999));
    PhoneNumber::parse(&number).unwrap_or_else(|e| panic!("demo phone {number}: {e}"))
}

/// Unique per worker index: the last six digits count workers, the prefix every million.
fn demo_cccd(index: usize, sex: Sex, birth_year: i32) -> Cccd {
    let prefix = CCCD_PREFIXES[(index / 1_000_000) % CCCD_PREFIXES.len()];
    let century = match (birth_year >= 2000, sex) {
        (false, Sex::Male) => 0,
        (false, Sex::Female) => 1,
        (true, Sex::Male) => 2,
        (true, Sex::Female) => 3,
    };
    let number = format!("{prefix}{century}{:02}{:06}", birth_year % 100, index % 1_000_000);
    Cccd::parse(&number).unwrap_or_else(|e| panic!("demo CCCD {number}: {e}"))
}

/// A valid, unique enterprise tax code (MST) for employer `index`: the sequence part is drawn
/// from a block of 11 numbers per employer, one of which always has a usable check digit.
fn demo_tax_code(index: usize, province: &ProvinceCode) -> TaxCode {
    const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];
    for offset in 0..11 {
        let head = format!("{}{:07}", province.as_str(), (index * 11 + offset) % 10_000_000);
        let sum: u32 = head.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        let check = 10 - sum % 11;
        if check < 10
            && let Ok(code) = TaxCode::parse(&format!("{head}{check}"))
        {
            return code;
        }
    }
    panic!("no valid tax code in the block of employer {index}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn config() -> DemoConfig {
        DemoConfig { seed: 7, as_of: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), vacancies: 400, workers: 300 }
    }

    #[test]
    fn same_seed_gives_the_same_records() {
        let (a, b) = (Generator::new(config()), Generator::new(config()));
        for i in [0, 7, 123, 399] {
            assert_eq!(a.vacancy(i), b.vacancy(i));
        }
        assert_eq!(a.worker(42), b.worker(42));
        assert_eq!(a.employer(3), b.employer(3));
        let other = Generator::new(DemoConfig { seed: 8, ..config() });
        assert_ne!(a.vacancy(0).id, other.vacancy(0).id);
    }

    #[test]
    fn every_generated_record_is_valid() {
        let generator = Generator::new(config());
        let plan = generator.plan();
        for i in 0..plan.employers {
            generator.employer(i).validate().unwrap();
        }
        for i in 0..plan.fairs {
            generator.fair(i).validate().unwrap();
        }
        for i in 0..plan.vacancies {
            generator.vacancy(i).validate().unwrap_or_else(|e| panic!("vacancy {i}: {e}"));
        }
        for i in 0..plan.workers {
            generator.worker(i).0.validate().unwrap_or_else(|e| panic!("worker {i}: {e}"));
        }
    }

    #[test]
    fn data_looks_like_vietnamese_job_ads() {
        let generator = Generator::new(config());
        let vacancies: Vec<_> = (0..200).map(|i| generator.vacancy(i)).collect();
        let texts: BTreeSet<String> = vacancies.iter().map(|v| v.salary_text.clone()).collect();
        assert!(texts.iter().any(|t| t.contains(" triệu")), "{texts:?}");
        assert!(texts.contains("Thỏa thuận"), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("yên/tháng") || t.contains("won/tháng")), "{texts:?}");
        assert!(vacancies.iter().filter(|v| v.workplace.is_overseas()).count() == 10);
        assert!(vacancies[0].description.starts_with("Mô tả công việc:"));
        let tax_codes: BTreeSet<_> = (0..generator.plan().employers).map(|i| generator.employer(i).tax_code).collect();
        assert_eq!(tax_codes.len(), generator.plan().employers, "tax codes are unique");
    }
}
