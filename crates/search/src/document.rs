//! What the vacancy index holds for one vacancy: the record's text plus the place names and
//! amounts derived from reference data, so the index alone can answer a search.

use caunoi_domain::reference::AdminCatalog;
use caunoi_domain::records::{Vacancy, VacancyStatus, Workplace};
use caunoi_domain::{CommuneCode, Currency, IscoCode};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// VND per unit of each currency, to filter and sort wages in one currency. A configuration
/// value (operators set current rates), not a legal constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExchangeRates {
    pub jpy: f64,
    pub krw: f64,
    pub twd: f64,
    pub usd: f64,
    pub eur: f64,
}

impl Default for ExchangeRates {
    /// Approximate rates of late 2026, for demo and tests.
    fn default() -> Self {
        Self { jpy: 170.0, krw: 18.0, twd: 820.0, usd: 26_300.0, eur: 30_500.0 }
    }
}

impl ExchangeRates {
    /// A minor-unit amount in whole VND.
    pub fn to_vnd(&self, amount_minor: i64, currency: Currency) -> u64 {
        let whole = amount_minor as f64 / 10_f64.powi(currency.minor_units() as i32);
        let rate = match currency {
            Currency::Vnd => 1.0,
            Currency::Jpy => self.jpy,
            Currency::Krw => self.krw,
            Currency::Twd => self.twd,
            Currency::Usd => self.usd,
            Currency::Eur => self.eur,
        };
        (whole * rate).max(0.0).round() as u64
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VacancyDocument {
    pub id: Uuid,
    pub title: String,
    /// Description and requirement lines.
    pub body: String,
    pub employer_name: String,
    pub isco: IscoCode,
    pub employment_type: String,
    pub commune_code: Option<String>,
    pub province_code: Option<String>,
    /// Commune and province names, and the pre-2025 names of the units that formed the commune.
    pub place_names: String,
    pub country: String,
    pub programme: Option<String>,
    /// Monthly-equivalent wage bounds in VND (as posted per period; no conversion across periods).
    pub salary_min_vnd: Option<u64>,
    pub salary_max_vnd: Option<u64>,
    pub fair_id: Option<Uuid>,
    pub deadline: Option<NaiveDate>,
    pub posted_at: DateTime<Utc>,
    pub open: bool,
}

impl VacancyDocument {
    pub fn from_vacancy(vacancy: &Vacancy, employer_name: &str, rates: &ExchangeRates) -> Self {
        let (commune_code, province_code, country, programme) = match &vacancy.workplace {
            Workplace::Domestic { commune_code } => (
                Some(commune_code.as_str().to_owned()),
                vacancy.workplace_province().map(|p| p.as_str().to_owned()),
                "VN".to_owned(),
                None,
            ),
            Workplace::Overseas { country, programme, .. } => {
                (None, None, country.as_str().to_owned(), Some(programme.code().to_owned()))
            }
        };
        let mut body = vacancy.description.clone();
        for requirement in vacancy.requirements.must_have.iter().chain(&vacancy.requirements.nice_to_have) {
            if let caunoi_domain::records::Requirement::Skill(text) | caunoi_domain::records::Requirement::Text(text) = requirement {
                body.push('\n');
                body.push_str(text);
            }
        }
        let currency = vacancy.salary.currency();
        Self {
            id: vacancy.id.0,
            title: vacancy.title.clone(),
            body,
            employer_name: employer_name.to_owned(),
            isco: vacancy.occupation.clone(),
            employment_type: vacancy.employment_type.code().to_owned(),
            place_names: match &vacancy.workplace {
                Workplace::Domestic { commune_code } => place_names(commune_code.as_str()),
                Workplace::Overseas { country, programme, .. } => market_names(country.as_str(), Some(programme.label_vi())),
            },
            commune_code,
            province_code,
            country,
            programme,
            salary_min_vnd: vacancy.salary.min().map(|a| rates.to_vnd(a, currency)),
            salary_max_vnd: vacancy.salary.max().map(|a| rates.to_vnd(a, currency)),
            fair_id: vacancy.fair_id.map(|f| f.0),
            deadline: vacancy.deadline,
            posted_at: vacancy.posted_at,
            open: vacancy.status == VacancyStatus::Open,
        }
    }
}

/// How people name an overseas market: the country in Vietnamese, the programme, and the usual
/// words for working abroad ("xuất khẩu lao động").
pub fn market_names(country_code: &str, programme_label: Option<&str>) -> String {
    let country = caunoi_domain::CountryCode::parse(country_code)
        .ok()
        .and_then(|code| caunoi_domain::reference::country(&code))
        .map(|c| c.name_vi.clone())
        .unwrap_or_default();
    let mut names = vec![country];
    names.extend(programme_label.map(str::to_owned));
    names.push("xuất khẩu lao động, đi làm việc ở nước ngoài".to_owned());
    names.join(", ")
}

/// "Phường Hồng Hà, Thành phố Hà Nội, Phường Phúc Xá, Quận Ba Đình, …": the names people may
/// type for a place, new and old.
pub fn place_names(commune_code: &str) -> String {
    let admin = AdminCatalog::embedded();
    let Ok(code) = CommuneCode::parse(commune_code) else { return String::new() };
    let Some(commune) = admin.commune(&code) else { return String::new() };
    let mut names = vec![commune.name.clone()];
    if let Some(province) = admin.province(&commune.province_code) {
        names.push(province.name_with_type.clone());
    }
    for old in admin.predecessors_of(&code) {
        for name in [old.old_name.as_deref().unwrap_or_default(), &old.old_district_name, &old.old_province_name] {
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    names.join(", ")
}
