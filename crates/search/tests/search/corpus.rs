//! Documents for tests, built directly (no database needed: the index only sees documents).

use caunoi_domain::IscoCode;
use caunoi_search::VacancyDocument;
use caunoi_search::document::place_names;
use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

pub fn doc(n: u128, title: &str, isco: &str, commune: Option<&str>, country: &str) -> VacancyDocument {
    let province = commune.and_then(|c| {
        caunoi_domain::AdminCatalog::embedded()
            .commune(&caunoi_domain::CommuneCode::parse(c).ok()?)
            .map(|c| c.province_code.as_str().to_owned())
    });
    VacancyDocument {
        id: Uuid::from_u128(n),
        title: title.to_owned(),
        body: format!("Mô tả công việc: {title}."),
        employer_name: "Công ty TNHH Minh Phát".to_owned(),
        isco: IscoCode::parse(isco).unwrap(),
        employment_type: "full_time".to_owned(),
        commune_code: commune.map(str::to_owned),
        province_code: province,
        place_names: commune.map(place_names).unwrap_or_default(),
        country: country.to_owned(),
        programme: (country != "VN").then(|| "titp".to_owned()),
        salary_min_vnd: Some(8_000_000 + n as u64 * 100_000),
        salary_max_vnd: Some(12_000_000 + n as u64 * 100_000),
        fair_id: None,
        deadline: NaiveDate::from_ymd_opt(2026, 12, 31),
        posted_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(n as i64),
        open: true,
    }
}
