//! What the engine reads from a worker profile or a vacancy, derived once so that scoring a
//! pair is cheap: folded skills and text, coordinates of the commune, wages in VND a month.
//!
//! Features hold no CCCD, phone, name or address text: a pool of a million of them is safe to
//! keep in memory and to log by id.

use std::collections::BTreeSet;

use caunoi_domain::records::{
    Availability, EmploymentType, OverseasProgramme, PriorityGroup, Requirement, Vacancy, VacancyStatus, WorkerProfile,
    Workplace,
};
use caunoi_domain::reference::{AdminCatalog, haversine_km};
use caunoi_domain::text::fold;
use caunoi_domain::{
    CommuneCode, CountryCode, Currency, DateOfBirth, GeneralEducation, IscoCode, LanguageCertificate, PayPeriod,
    ProvinceCode, Qualification, Sex,
};
use caunoi_search::ExchangeRates;
use chrono::NaiveDate;
use uuid::Uuid;

/// A point on the map (degrees).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    fn of_commune(code: &CommuneCode) -> Option<Self> {
        AdminCatalog::embedded().commune(code).map(|c| Self { lat: c.lat, lon: c.lon })
    }

    /// Great-circle distance in kilometres (the domain's haversine, as the search "near" filter uses).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        haversine_km((self.lat, self.lon), (other.lat, other.lon))
    }
}

/// One skill as written and in folded form for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub label: String,
    pub folded: String,
}

impl Skill {
    pub fn new(label: &str) -> Self {
        Self { label: label.to_owned(), folded: fold(label) }
    }

    /// The same skill, whatever diacritics or case: "Hàn MIG" = "han mig"; a longer name
    /// containing the other as whole words also counts ("Hàn MIG/MAG" covers "hàn mig").
    pub fn matches(&self, other_folded: &str) -> bool {
        self.folded == other_folded || contains_words(&self.folded, other_folded) || contains_words(other_folded, &self.folded)
    }
}

/// Whether `needle` occurs in `haystack` at word boundaries (both already folded).
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let bytes = haystack.as_bytes();
    haystack.match_indices(needle).any(|(start, _)| {
        let end = start + needle.len();
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after_ok = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        before_ok && after_ok
    })
}

/// Months of work in one occupation (when known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Experience {
    pub occupation: Option<IscoCode>,
    pub months: u16,
}

/// The matching view of a worker profile.
#[derive(Debug, Clone)]
pub struct WorkerFeatures {
    pub id: Uuid,
    pub sex: Sex,
    pub date_of_birth: DateOfBirth,
    pub residence_commune: CommuneCode,
    pub province: Option<ProvinceCode>,
    pub location: Option<GeoPoint>,
    pub general_education: GeneralEducation,
    pub qualification: Qualification,
    pub languages: Vec<LanguageCertificate>,
    pub skills: Vec<Skill>,
    pub experience: Vec<Experience>,
    pub desired_occupation: Option<IscoCode>,
    pub desired_min_monthly_vnd: Option<i64>,
    pub desired_employment_type: Option<EmploymentType>,
    pub willing_abroad: bool,
    pub desired_countries: Vec<CountryCode>,
    pub availability: Availability,
    pub priority_groups: BTreeSet<PriorityGroup>,
    /// From the priority group or the recorded ethnicity (anything but Kinh); `None` if unrecorded.
    pub ethnic_minority: Option<bool>,
}

impl WorkerFeatures {
    pub fn from_profile(profile: &WorkerProfile) -> Self {
        let ethnic_minority = profile.ethnic_minority();
        Self {
            id: profile.id.0,
            sex: profile.sex,
            date_of_birth: profile.date_of_birth,
            residence_commune: profile.residence_commune.clone(),
            province: profile.residence_province(),
            location: GeoPoint::of_commune(&profile.residence_commune),
            general_education: profile.general_education,
            // Certificates count: a sơ cấp certificate is a sơ cấp qualification, its skills are skills.
            qualification: profile.highest_qualification(),
            languages: profile.languages.clone(),
            skills: profile.all_skills().iter().map(|s| Skill::new(s)).collect(),
            experience: profile
                .occupation_history
                .iter()
                .map(|job| Experience { occupation: job.occupation.clone(), months: job.months })
                .collect(),
            desired_occupation: profile.desired.occupation.clone(),
            desired_min_monthly_vnd: profile.desired.min_monthly_vnd,
            desired_employment_type: profile.desired.employment_type,
            willing_abroad: profile.desired.willing_abroad,
            desired_countries: profile.desired.countries.clone(),
            availability: profile.availability.clone(),
            priority_groups: profile.priority_groups.clone(),
            ethnic_minority,
        }
    }

    pub fn age_on(&self, date: NaiveDate) -> u32 {
        self.date_of_birth.age_on(date)
    }

    pub fn has_disability(&self) -> bool {
        self.priority_groups.contains(&PriorityGroup::Disability)
    }
}

/// How wages quoted per hour, day or year become monthly figures. A convention of the
/// operator (not law): 26 working days and 208 hours a month by default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WageConversion {
    pub rates: ExchangeRates,
    pub days_per_month: f64,
    pub hours_per_month: f64,
}

impl Default for WageConversion {
    fn default() -> Self {
        Self { rates: ExchangeRates::default(), days_per_month: 26.0, hours_per_month: 208.0 }
    }
}

impl WageConversion {
    /// A minor-unit amount per `period` in whole VND per month.
    pub fn monthly_vnd(&self, amount_minor: i64, currency: Currency, period: PayPeriod) -> u64 {
        let vnd = self.rates.to_vnd(amount_minor, currency) as f64;
        let monthly = match period {
            PayPeriod::Hour => vnd * self.hours_per_month,
            PayPeriod::Day => vnd * self.days_per_month,
            PayPeriod::Month => vnd,
            PayPeriod::Year => vnd / 12.0,
        };
        monthly.round() as u64
    }
}

/// The matching view of a vacancy or job order.
#[derive(Debug, Clone)]
pub struct VacancyFeatures {
    pub id: Uuid,
    pub title: String,
    pub occupation: IscoCode,
    pub employment_type: EmploymentType,
    /// Country and programme of an overseas job order.
    pub overseas: Option<(CountryCode, OverseasProgramme)>,
    pub commune: Option<CommuneCode>,
    pub province: Option<ProvinceCode>,
    pub location: Option<GeoPoint>,
    /// Monthly wage bounds in VND; both `None` when negotiable.
    pub wage_min_vnd: Option<u64>,
    pub wage_max_vnd: Option<u64>,
    pub must_have: Vec<Requirement>,
    pub nice_to_have: Vec<Requirement>,
    /// Folded title, description and requirement texts, to find a worker's skills in an ad
    /// that lists none as structured requirements.
    pub folded_text: String,
    pub deadline: Option<NaiveDate>,
    pub open: bool,
    pub posted_at: chrono::DateTime<chrono::Utc>,
}

impl VacancyFeatures {
    pub fn from_vacancy(vacancy: &Vacancy, wages: &WageConversion) -> Self {
        let (overseas, commune) = match &vacancy.workplace {
            Workplace::Domestic { commune_code } => (None, Some(commune_code.clone())),
            Workplace::Overseas { country, programme, .. } => (Some((country.clone(), *programme)), None),
        };
        let salary = &vacancy.salary;
        let monthly = |amount: Option<i64>| amount.map(|a| wages.monthly_vnd(a, salary.currency(), salary.period()));
        let mut text = format!("{} {}", vacancy.title, vacancy.description);
        for requirement in vacancy.requirements.must_have.iter().chain(&vacancy.requirements.nice_to_have) {
            if let Requirement::Text(t) | Requirement::Skill(t) = requirement {
                text.push(' ');
                text.push_str(t);
            }
        }
        Self {
            id: vacancy.id.0,
            title: vacancy.title.clone(),
            occupation: vacancy.occupation.clone(),
            employment_type: vacancy.employment_type,
            overseas,
            location: commune.as_ref().and_then(GeoPoint::of_commune),
            province: vacancy.workplace_province(),
            commune,
            wage_min_vnd: monthly(salary.min()),
            wage_max_vnd: monthly(salary.max()),
            must_have: vacancy.requirements.must_have.clone(),
            nice_to_have: vacancy.requirements.nice_to_have.clone(),
            folded_text: fold(&text),
            deadline: vacancy.deadline,
            open: vacancy.status == VacancyStatus::Open,
            posted_at: vacancy.posted_at,
        }
    }

    pub fn programme(&self) -> Option<OverseasProgramme> {
        self.overseas.as_ref().map(|(_, p)| *p)
    }

    /// Open and not past its deadline on `date`.
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.open && self.deadline.is_none_or(|d| d >= date)
    }
}
