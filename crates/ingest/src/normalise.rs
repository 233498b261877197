//! One raw record → a vacancy ready to store, or the reason it cannot be (pure: no I/O).

use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use caunoi_domain::records::{EmploymentType, OverseasProgramme, Requirement, Requirements, Vacancy, VacancyId, VacancyStatus, Workplace};
use caunoi_domain::text::{fold, normalize};
use caunoi_domain::{AdminCatalog, CommuneCode, CountryCode, Currency, EmployerId, IscoCode, OccupationCatalog, SalaryRange, TaxCode, ValidationError};
use caunoi_store::ingest::{EmployerHint, Incoming, IncomingVacancy, Quarantined};

use crate::deadline::parse_date;
use crate::discrimination::DiscriminationScanner;
use crate::location::LocationIndex;
use crate::occupation::OccupationClassifier;
use crate::raw::{SourceRecord, bounded};
use crate::salary::parse_salary;
use crate::similarity::simhash_folded;

/// Vietnam's offset: dates without a time are Vietnamese calendar dates.
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

fn missing(field: &str, what_vi: &str, what_en: &str) -> ValidationError {
    ValidationError::new(field, "field.missing", format!("Thiếu {what_vi}."), format!("The {what_en} is missing."))
}

/// Normalises records against the embedded reference data, as of a given day.
#[derive(Clone, Copy)]
pub struct Normaliser {
    locations: &'static LocationIndex,
    occupations: &'static OccupationClassifier,
    discrimination: &'static DiscriminationScanner,
    /// Postings whose deadline is before this day are stored closed.
    pub today: NaiveDate,
    /// When a record has no publication time.
    pub now: DateTime<Utc>,
}

impl Normaliser {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            locations: LocationIndex::embedded(),
            occupations: OccupationClassifier::embedded(),
            discrimination: DiscriminationScanner::embedded(),
            today: now.with_timezone(&vietnam()).date_naive(),
            now,
        }
    }

    /// The record as an upsert or a tombstone, or quarantined with the first reason found.
    #[allow(clippy::result_large_err, reason = "quarantining is a normal outcome, moved straight into the batch's list")]
    pub fn prepare(&self, record: SourceRecord) -> Result<Incoming, Quarantined> {
        let SourceRecord { raw, original, position } = record;
        let external_id = raw.external_id.as_deref().map(normalize).filter(|id| !id.is_empty());
        let reject = |error: ValidationError| Quarantined { external_id: external_id.clone(), position, raw: bounded(&original), error };
        if raw.removed {
            return match &external_id {
                Some(id) => Ok(Incoming::Remove { external_id: id.clone() }),
                None => Err(reject(missing("external_id", "mã tin của tin bị gỡ", "id of the withdrawn posting"))),
            };
        }
        self.vacancy(&raw, external_id.clone(), &original, position).map(|v| Incoming::Upsert(Box::new(v))).map_err(reject)
    }

    fn vacancy(
        &self,
        raw: &crate::raw::RawVacancy,
        external_id: Option<String>,
        original: &str,
        position: Option<u64>,
    ) -> Result<IncomingVacancy, ValidationError> {
        let title = raw.title.as_deref().map(normalize).filter(|t| !t.is_empty()).ok_or_else(|| missing("title", "tên vị trí tuyển dụng", "job title"))?;
        let employer_name = raw
            .employer_name
            .as_deref()
            .map(employer_name)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| missing("employer_name", "tên doanh nghiệp tuyển dụng", "employer name"))?;
        let tax_code = raw
            .employer_tax_code
            .as_deref()
            .map(|t| TaxCode::parse(t).map_err(|e| e.for_field("employer_tax_code")))
            .transpose()?;
        let location_text = [raw.location.as_deref(), raw.province.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
        let (workplace, via_legacy) = self.workplace(raw, &location_text)?;
        let default_currency = match &workplace {
            Workplace::Domestic { .. } => Currency::Vnd,
            Workplace::Overseas { country, .. } => match country.as_str() {
                "JP" => Currency::Jpy,
                "KR" => Currency::Krw,
                "TW" => Currency::Twd,
                "DE" | "FR" | "IT" | "ES" | "NL" | "AT" | "BE" | "FI" | "IE" | "PT" | "SK" | "SI" | "LT" | "LV" | "EE" | "GR" | "HR" => Currency::Eur,
                _ => Currency::Usd,
            },
        };
        let (salary, salary_text, salary_missing) = match raw.salary.as_deref().map(normalize).filter(|s| !s.is_empty()) {
            Some(text) => (parse_salary(&text, default_currency)?, text, false),
            None => (SalaryRange::negotiable(default_currency, caunoi_domain::PayPeriod::Month), "Thỏa thuận".to_owned(), true),
        };
        let (occupation, confidence, matched) = self.occupation(raw, &title)?;
        let employment_type = raw
            .employment_type
            .as_deref()
            .map(|t| EmploymentType::parse(&employment_type_key(t)).map_err(|e| e.for_field("employment_type")))
            .transpose()?
            .unwrap_or(EmploymentType::FullTime);
        let quantity = match raw.quantity.as_deref() {
            None => NonZeroU32::MIN,
            Some(text) => quantity(text)?,
        };
        let posted_at = match raw.posted_at.as_deref() {
            None => self.now,
            Some(text) => timestamp(text).or_else(|| {
                parse_date("posted_at", text, self.today).ok().map(vietnam_midnight)
            }).ok_or_else(|| ValidationError::new("posted_at", "date.invalid", format!("Không đọc được ngày đăng \"{text}\"."), format!("Cannot read the publication date \"{text}\".")))?,
        };
        let deadline = raw.deadline.as_deref().map(|d| parse_date("deadline", d, posted_at.date_naive())).transpose()?;
        let status = match raw.status.as_deref().map(fold).as_deref() {
            Some("closed" | "da dong" | "het han") => VacancyStatus::Closed,
            Some("draft" | "ban nhap") => VacancyStatus::Draft,
            _ if deadline.is_some_and(|d| d < self.today) => VacancyStatus::Closed,
            _ => VacancyStatus::Open,
        };
        let requirement_lines: Vec<Requirement> = raw
            .requirements
            .as_deref()
            .map(|text| {
                text.split(['\n', ';', '•'])
                    .map(normalize)
                    .map(|line| line.trim_start_matches(['-', '+', '*']).trim().to_owned())
                    .filter(|line| !line.is_empty())
                    .take(30)
                    .map(|line| Requirement::Text(line.chars().take(500).collect()))
                    .collect()
            })
            .unwrap_or_default();
        let description = [raw.description.as_deref(), raw.requirements.as_deref(), raw.benefits.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let description = if description.is_empty() { title.clone() } else { description };

        // Folded once: the discrimination scan and the SimHash both read the folded text.
        let folded_text = fold(&format!("{title}\n{description}"));
        let discrimination = match &workplace {
            Workplace::Domestic { .. } => self.discrimination.scan_folded(&folded_text, posted_at.date_naive()),
            Workplace::Overseas { .. } => Vec::new(),
        };
        let place_key = match &workplace {
            Workplace::Domestic { commune_code } => commune_code.to_string(),
            Workplace::Overseas { country, programme, .. } => format!("{country}:{programme}"),
        };
        let title_key = fold(&title).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        let external_id = external_id.unwrap_or_else(|| derived_id(&employer_name, tax_code.as_ref(), &title, &location_text, raw.country.as_deref()));
        let flags = json!({
            "discrimination": discrimination,
            "occupation": { "code": occupation.as_str(), "confidence": confidence, "matched": matched },
            "location": { "input": location_text, "via_legacy": via_legacy },
            "salary_missing": salary_missing,
        });
        let text_hash = simhash_folded(&folded_text);
        let mut vacancy = Vacancy {
            id: VacancyId::new(),
            // Resolved by the store (tax code, then name).
            employer_id: EmployerId(uuid::Uuid::nil()),
            title,
            description,
            occupation,
            employment_type,
            quantity,
            salary,
            salary_text,
            workplace,
            requirements: Requirements { must_have: requirement_lines, nice_to_have: Vec::new() },
            deadline,
            fair_id: None,
            status,
            posted_at,
        };
        // Here, on the normalising threads, rather than only in the store's single writer: a
        // record that would fail is quarantined early, and the store's own check finds the
        // text normal already and copies nothing.
        vacancy.validate()?;
        Ok(IncomingVacancy {
            external_id,
            content_hash: raw.content_hash(),
            vacancy,
            employer: EmployerHint { name: employer_name, tax_code },
            title_key,
            place_key,
            simhash: text_hash,
            flags,
            raw: bounded(original),
            position,
        })
    }

    fn workplace(&self, raw: &crate::raw::RawVacancy, location_text: &str) -> Result<(Workplace, bool), ValidationError> {
        if let Some(country) = raw.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let country = country_code(country)?;
            if country.as_str() != CountryCode::VIETNAM {
                let programme = raw
                    .programme
                    .as_deref()
                    .map(|p| OverseasProgramme::parse(p).map_err(|e| e.for_field("programme")))
                    .transpose()?
                    .unwrap_or(OverseasProgramme::Other);
                let contract_months = raw.contract_months.as_deref().and_then(|m| m.trim().split(|c: char| !c.is_ascii_digit()).next()?.parse().ok());
                return Ok((Workplace::Overseas { country, programme, contract_months }, false));
            }
        }
        if let Some(code) = raw.commune_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let code = CommuneCode::parse(code).map_err(|e| e.for_field("commune_code"))?;
            let admin = AdminCatalog::embedded();
            if admin.commune(&code).is_some() {
                return Ok((Workplace::Domestic { commune_code: code }, false));
            }
            // A pre-2025 commune code: its (default) successor.
            if let Some(successor) = admin.successors_of(code.as_str()).first() {
                return Ok((Workplace::Domestic { commune_code: successor.new_code.clone() }, true));
            }
            admin.require_commune(&code).map_err(|e| e.for_field("commune_code"))?;
        }
        if location_text.is_empty() {
            return Err(missing("location", "nơi làm việc (xã/phường, tỉnh/thành phố)", "workplace"));
        }
        let (commune_code, via_legacy) = self.locations.resolve(location_text).require_commune(location_text)?;
        Ok((Workplace::Domestic { commune_code }, via_legacy))
    }

    fn occupation(&self, raw: &crate::raw::RawVacancy, title: &str) -> Result<(IscoCode, f32, String), ValidationError> {
        if let Some(code) = raw.occupation_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let code = IscoCode::parse(code).map_err(|e| e.for_field("occupation_code"))?;
            OccupationCatalog::embedded().require(&code).map_err(|e| e.for_field("occupation_code"))?;
            return Ok((code, 1.0, "source".to_owned()));
        }
        let found = self.occupations.classify(title).ok_or_else(|| {
            ValidationError::new(
                "title",
                "occupation.unknown",
                format!("Không xác định được nghề (mã ISCO-08) từ tên vị trí \"{title}\"; hãy ghi mã nghề."),
                format!("Cannot tell the occupation (ISCO-08) from the title \"{title}\"; give the occupation code."),
            )
        })?;
        Ok((found.code, found.confidence, found.matched))
    }
}

/// NFC, and "Cty" written out, so the same employer folds to the same name.
fn employer_name(name: &str) -> String {
    let name = normalize(name);
    let lower = fold(&name);
    for short in ["cty.", "cty"] {
        if lower.starts_with(short) && name.len() > short.len() {
            let rest = name[short.len()..].trim_start();
            return normalize(&format!("Công ty {rest}"));
        }
    }
    name
}

/// "Toàn thời gian", "full time", "Full-time", "part time" → the codes `EmploymentType::parse` knows.
fn employment_type_key(text: &str) -> String {
    match fold(text).replace(['-', '_'], " ").trim() {
        "full time" | "fulltime" => "full_time".to_owned(),
        "part time" | "parttime" => "part_time".to_owned(),
        "temporary" | "seasonal" | "thoi vu" => "seasonal".to_owned(),
        "intern" | "internship" => "internship".to_owned(),
        _ => text.to_owned(),
    }
}

fn quantity(text: &str) -> Result<NonZeroU32, ValidationError> {
    let digits: String = text.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<u32>().ok().and_then(NonZeroU32::new).ok_or_else(|| {
        ValidationError::new(
            "quantity",
            "quantity.invalid",
            format!("Số lượng tuyển \"{text}\" phải là số nguyên dương."),
            format!("The number of openings \"{text}\" must be a positive whole number."),
        )
    })
}

fn timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc))
}

fn vietnam_midnight(date: NaiveDate) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN);
    vietnam().from_local_datetime(&local).single().map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// ISO alpha-2 code, or a country's Vietnamese or English name ("Nhật Bản", "Japan").
fn country_code(text: &str) -> Result<CountryCode, ValidationError> {
    if let Ok(code) = CountryCode::parse(text) {
        return Ok(code);
    }
    let wanted = fold(text);
    caunoi_domain::reference::countries()
        .iter()
        .find(|c| fold(&c.name_vi) == wanted || fold(&c.name_en) == wanted || (wanted == "nhat" && c.code.as_str() == "JP") || (wanted == "han quoc" && c.code.as_str() == "KR"))
        .map(|c| c.code.clone())
        .ok_or_else(|| {
            ValidationError::new(
                "country",
                "country.unknown",
                format!("Không nhận ra quốc gia \"{text}\"; hãy ghi mã ISO (JP, KR, TW…) hoặc tên nước."),
                format!("Unknown country \"{text}\"; give an ISO code (JP, KR, TW…) or the country's name."),
            )
        })
}

/// An id for rows that carry none (spreadsheets): the same employer, title and place give
/// the same id, so re-importing the file is idempotent and an edited wage updates in place.
fn derived_id(employer: &str, tax_code: Option<&TaxCode>, title: &str, location: &str, country: Option<&str>) -> String {
    let who = tax_code.map_or_else(|| fold(employer), |t| t.as_str().to_owned());
    let key = format!("{who}|{}|{}|{}", fold(title), fold(location), fold(country.unwrap_or_default()));
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("auto-{hex}")
}
