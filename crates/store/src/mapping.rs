//! Translation between domain records and table rows. Reading a row back re-validates every
//! value through the domain parsers, so a hand-edited row surfaces as `StoreError::Corrupt`
//! instead of an invalid record.

use std::num::NonZeroU32;

use caunoi_domain::records::*;
use caunoi_domain::text::fold;
use caunoi_domain::{
    Cccd, CommuneCode, CountryCode, Currency, DateOfBirth, GeneralEducation, IscoCode, PayPeriod, PhoneNumber,
    ProvinceCode, Qualification, SalaryRange, Sex, TaxCode,
};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::entities::{employer, fair_registration, job_fair, overseas_registration, vacancy, worker_profile};
use crate::error::{StoreError, StoreResult};

fn json(value: &impl Serialize) -> serde_json::Value {
    // Serialising plain data structs cannot fail (no maps with non-string keys).
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Parses a stored column, naming the record if it does not parse.
struct Reader {
    entity: &'static str,
    id: String,
}

impl Reader {
    fn new(entity: &'static str, id: impl ToString) -> Self {
        Self { entity, id: id.to_string() }
    }

    fn parse<T, E: std::fmt::Display>(&self, column: &str, result: Result<T, E>) -> StoreResult<T> {
        result.map_err(|e| StoreError::corrupt(self.entity, &self.id, format!("{column}: {e}")))
    }

    fn json<T: DeserializeOwned>(&self, column: &str, value: serde_json::Value) -> StoreResult<T> {
        self.parse(column, serde_json::from_value(value))
    }

    fn optional<T, E: std::fmt::Display>(
        &self,
        column: &str,
        value: Option<String>,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> StoreResult<Option<T>> {
        value.map(|v| self.parse(column, parse(&v))).transpose()
    }
}

pub(crate) fn employer_row(employer: &Employer, now: DateTime<Utc>) -> employer::ActiveModel {
    let licence = match &employer.kind {
        EmployerKind::PlacementEnterprise { licence } => Some(licence),
        EmployerKind::Domestic => None,
    };
    employer::ActiveModel {
        id: Set(employer.id.0),
        kind: Set(employer.kind.code().to_owned()),
        name: Set(employer.name.clone()),
        name_folded: Set(fold(&employer.name)),
        tax_code: Set(employer.tax_code.as_ref().map(|t| t.as_str().to_owned())),
        licence_number: Set(licence.map(|l| l.number.clone())),
        licence_issued_on: Set(licence.map(|l| l.issued_on)),
        licence_valid_until: Set(licence.and_then(|l| l.valid_until)),
        province_code: Set(employer.province_code.as_str().to_owned()),
        commune_code: Set(employer.commune_code.as_ref().map(|c| c.as_str().to_owned())),
        address: Set(employer.address.clone()),
        phone: Set(employer.phone.as_ref().map(|p| p.as_str().to_owned())),
        email: Set(employer.email.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        licence_status: Set(licence.map(|l| l.status.code().to_owned())),
        licence_branches: Set(licence.map_or_else(|| "[]".to_owned(), |l| json(&l.branches).to_string())),
    }
}

pub(crate) fn employer_from_row(row: employer::Model) -> StoreResult<Employer> {
    let r = Reader::new("employer", row.id);
    let kind = match row.kind.as_str() {
        "domestic" => EmployerKind::Domestic,
        "placement_enterprise" => {
            let number = r.parse("licence_number", row.licence_number.ok_or("missing"))?;
            let issued_on = r.parse("licence_issued_on", row.licence_issued_on.ok_or("missing"))?;
            let mut licence = r.parse("licence", PlacementLicence::new(&number, issued_on, row.licence_valid_until))?;
            // Rows from before licences had a status held licences in force.
            if let Some(status) = &row.licence_status {
                licence.status = r.parse("licence_status", LicenceStatus::parse(status))?;
            }
            licence.branches = r.parse("licence_branches", serde_json::from_str(&row.licence_branches))?;
            EmployerKind::PlacementEnterprise { licence }
        }
        other => return Err(StoreError::corrupt("employer", row.id, format!("kind {other}"))),
    };
    Ok(Employer {
        id: EmployerId(row.id),
        name: row.name,
        kind,
        tax_code: r.optional("tax_code", row.tax_code, TaxCode::parse)?,
        province_code: r.parse("province_code", ProvinceCode::parse(&row.province_code))?,
        commune_code: r.optional("commune_code", row.commune_code, CommuneCode::parse)?,
        address: row.address,
        phone: r.optional("phone", row.phone, PhoneNumber::parse)?,
        email: row.email,
    })
}

pub(crate) fn vacancy_row(vacancy: &Vacancy, now: DateTime<Utc>) -> vacancy::ActiveModel {
    let (commune, province, country, programme, contract_months) = match &vacancy.workplace {
        Workplace::Domestic { commune_code } => (
            Some(commune_code.as_str().to_owned()),
            vacancy.workplace_province().map(|p| p.as_str().to_owned()),
            CountryCode::VIETNAM.to_owned(),
            None,
            None,
        ),
        Workplace::Overseas { country, programme, contract_months } => (
            None,
            None,
            country.as_str().to_owned(),
            Some(programme.code().to_owned()),
            contract_months.map(|m| i16::try_from(m).unwrap_or(i16::MAX)),
        ),
    };
    vacancy::ActiveModel {
        id: Set(vacancy.id.0),
        employer_id: Set(vacancy.employer_id.0),
        title: Set(vacancy.title.clone()),
        description: Set(vacancy.description.clone()),
        isco_code: Set(vacancy.occupation.as_str().to_owned()),
        employment_type: Set(vacancy.employment_type.code().to_owned()),
        quantity: Set(i32::try_from(vacancy.quantity.get()).unwrap_or(i32::MAX)),
        salary_min: Set(vacancy.salary.min()),
        salary_max: Set(vacancy.salary.max()),
        salary_currency: Set(vacancy.salary.currency().code().to_owned()),
        salary_period: Set(vacancy.salary.period().code().to_owned()),
        salary_negotiable: Set(vacancy.salary.is_negotiable()),
        salary_text: Set(vacancy.salary_text.clone()),
        is_overseas: Set(vacancy.workplace.is_overseas()),
        workplace_commune_code: Set(commune),
        workplace_province_code: Set(province),
        country_code: Set(country),
        programme: Set(programme),
        contract_months: Set(contract_months),
        requirements: Set(json(&vacancy.requirements)),
        deadline: Set(vacancy.deadline),
        fair_id: Set(vacancy.fair_id.map(|f| f.0)),
        status: Set(vacancy.status.code().to_owned()),
        posted_at: Set(vacancy.posted_at),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub(crate) fn vacancy_from_row(row: vacancy::Model) -> StoreResult<Vacancy> {
    let r = Reader::new("vacancy", row.id);
    let currency = r.parse("salary_currency", Currency::parse(&row.salary_currency))?;
    let period = r.parse("salary_period", PayPeriod::parse(&row.salary_period))?;
    let salary = r.parse(
        "salary",
        SalaryRange::new(row.salary_min, row.salary_max, currency, period, row.salary_negotiable),
    )?;
    let workplace = if row.is_overseas {
        Workplace::Overseas {
            country: r.parse("country_code", CountryCode::parse(&row.country_code))?,
            programme: r.parse("programme", OverseasProgramme::parse(row.programme.as_deref().unwrap_or("")))?,
            contract_months: row.contract_months.and_then(|m| u16::try_from(m).ok()),
        }
    } else {
        let commune = r.parse("workplace_commune_code", row.workplace_commune_code.ok_or("missing"))?;
        Workplace::Domestic { commune_code: r.parse("workplace_commune_code", CommuneCode::parse(&commune))? }
    };
    Ok(Vacancy {
        id: VacancyId(row.id),
        employer_id: EmployerId(row.employer_id),
        title: row.title,
        description: row.description,
        occupation: r.parse("isco_code", IscoCode::parse(&row.isco_code))?,
        employment_type: r.parse("employment_type", EmploymentType::parse(&row.employment_type))?,
        quantity: r.parse("quantity", u32::try_from(row.quantity).ok().and_then(NonZeroU32::new).ok_or("not positive"))?,
        salary,
        salary_text: row.salary_text,
        workplace,
        requirements: r.json("requirements", row.requirements)?,
        deadline: row.deadline,
        fair_id: row.fair_id.map(JobFairId),
        status: r.parse("status", VacancyStatus::parse(&row.status))?,
        posted_at: row.posted_at,
    })
}

pub(crate) fn worker_row(worker: &WorkerProfile, now: DateTime<Utc>) -> worker_profile::ActiveModel {
    let (availability, available_from) = match &worker.availability {
        Availability::Immediately => ("immediately", None),
        Availability::From(date) => ("from", Some(*date)),
        Availability::NotLooking => ("not_looking", None),
    };
    worker_profile::ActiveModel {
        id: Set(worker.id.0),
        full_name: Set(worker.full_name.clone()),
        sex: Set(worker.sex.code().to_owned()),
        date_of_birth: Set(worker.date_of_birth.date()),
        cccd: Set(worker.cccd.as_ref().map(|c| c.as_str().to_owned())),
        phone: Set(worker.phone.as_ref().map(|p| p.as_str().to_owned())),
        email: Set(worker.email.clone()),
        ethnicity: Set(worker.ethnicity.clone()),
        residence_commune_code: Set(worker.residence_commune.as_str().to_owned()),
        residence_province_code: Set(worker.residence_province().map(|p| p.as_str().to_owned()).unwrap_or_default()),
        address_as_written: Set(worker.address_as_written.clone()),
        general_education: Set(worker.general_education.code().to_owned()),
        qualification: Set(worker.qualification.code().to_owned()),
        occupation_history: Set(json(&worker.occupation_history)),
        skills: Set(json(&worker.skills)),
        languages: Set(json(&worker.languages)),
        certificates: Set(json(&worker.certificates)),
        desired_isco_code: Set(worker.desired.occupation.as_ref().map(|c| c.as_str().to_owned())),
        desired: Set(json(&worker.desired)),
        willing_abroad: Set(worker.desired.willing_abroad),
        availability: Set(availability.to_owned()),
        available_from: Set(available_from),
        priority_groups: Set(json(&worker.priority_groups)),
        consents: Set(json(&worker.consents)),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

pub(crate) fn worker_from_row(row: worker_profile::Model) -> StoreResult<WorkerProfile> {
    let r = Reader::new("worker_profile", row.id);
    let availability = match (row.availability.as_str(), row.available_from) {
        ("immediately", _) => Availability::Immediately,
        ("from", Some(date)) => Availability::From(date),
        ("not_looking", _) => Availability::NotLooking,
        (other, _) => return Err(StoreError::corrupt("worker_profile", row.id, format!("availability {other}"))),
    };
    // The birth date was validated against the day it was entered; re-check only its shape.
    let date_of_birth = r.parse("date_of_birth", DateOfBirth::new(row.date_of_birth, row.created_at.date_naive()))?;
    Ok(WorkerProfile {
        id: WorkerId(row.id),
        full_name: row.full_name,
        sex: r.parse("sex", Sex::parse(&row.sex))?,
        date_of_birth,
        cccd: r.optional("cccd", row.cccd, Cccd::parse)?,
        phone: r.optional("phone", row.phone, PhoneNumber::parse)?,
        email: row.email,
        ethnicity: row.ethnicity,
        residence_commune: r.parse("residence_commune_code", CommuneCode::parse(&row.residence_commune_code))?,
        address_as_written: row.address_as_written,
        general_education: r.parse("general_education", GeneralEducation::parse(&row.general_education))?,
        qualification: r.parse("qualification", Qualification::parse(&row.qualification))?,
        occupation_history: r.json("occupation_history", row.occupation_history)?,
        skills: r.json("skills", row.skills)?,
        languages: r.json("languages", row.languages)?,
        certificates: r.json("certificates", row.certificates)?,
        desired: r.json("desired", row.desired)?,
        availability,
        priority_groups: r.json("priority_groups", row.priority_groups)?,
        consents: r.json("consents", row.consents)?,
    })
}

pub(crate) fn fair_row(fair: &JobFair, now: DateTime<Utc>) -> job_fair::ActiveModel {
    job_fair::ActiveModel {
        id: Set(fair.id.0),
        code: Set(fair.code.clone()),
        title: Set(fair.title.clone()),
        format: Set(fair.format.code().to_owned()),
        organiser: Set(fair.organiser.clone()),
        province_code: Set(fair.province_code().map(|p| p.as_str().to_owned()).unwrap_or_default()),
        commune_code: Set(fair.commune_code.as_str().to_owned()),
        venue: Set(fair.venue.clone()),
        starts_at: Set(fair.starts_at),
        ends_at: Set(fair.ends_at),
        status: Set(fair.status.code().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        // The plan columns keep their defaults here; `fairs::create_fair` sets them.
        kind: NotSet,
        capacity: NotSet,
        target_groups: NotSet,
        co_hosts: NotSet,
        online_url: NotSet,
        places_version: NotSet,
    }
}

pub(crate) fn fair_from_row(row: job_fair::Model) -> StoreResult<JobFair> {
    let r = Reader::new("job_fair", row.id);
    Ok(JobFair {
        id: JobFairId(row.id),
        code: row.code,
        title: row.title,
        format: r.parse("format", FairFormat::parse(&row.format))?,
        organiser: row.organiser,
        commune_code: r.parse("commune_code", CommuneCode::parse(&row.commune_code))?,
        venue: row.venue,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        status: r.parse("status", FairStatus::parse(&row.status))?,
    })
}

pub(crate) fn fair_registration_row(registration: &FairRegistration) -> fair_registration::ActiveModel {
    let (worker_id, employer_id) = match registration.participant {
        FairParticipant::Worker(id) => (Some(id.0), None),
        FairParticipant::Employer(id) => (None, Some(id.0)),
    };
    fair_registration::ActiveModel {
        id: Set(registration.id.0),
        fair_id: Set(registration.fair_id.0),
        worker_id: Set(worker_id),
        employer_id: Set(employer_id),
        registered_at: Set(registration.registered_at),
        checked_in_at: Set(registration.checked_in_at),
    }
}

pub(crate) fn fair_registration_from_row(row: fair_registration::Model) -> StoreResult<FairRegistration> {
    let participant = match (row.worker_id, row.employer_id) {
        (Some(worker), None) => FairParticipant::Worker(WorkerId(worker)),
        (None, Some(employer)) => FairParticipant::Employer(EmployerId(employer)),
        _ => return Err(StoreError::corrupt("fair_registration", row.id, "needs exactly one participant")),
    };
    Ok(FairRegistration {
        id: FairRegistrationId(row.id),
        fair_id: JobFairId(row.fair_id),
        participant,
        registered_at: row.registered_at,
        checked_in_at: row.checked_in_at,
    })
}

pub(crate) fn overseas_row(registration: &OverseasRegistration, now: DateTime<Utc>) -> overseas_registration::ActiveModel {
    overseas_registration::ActiveModel {
        id: Set(registration.id.0),
        worker_id: Set(registration.worker_id.0),
        job_order_id: Set(registration.job_order_id.map(|v| v.0)),
        country_code: Set(registration.country.as_str().to_owned()),
        programme: Set(registration.programme.code().to_owned()),
        stage: Set(registration.stage.code().to_owned()),
        registered_at: Set(registration.registered_at),
        updated_at: Set(now),
        note: Set(registration.note.clone()),
        // The pipeline's dates are set by `overseas::transition`, never by a batch.
        selected_on: Set(None),
        departed_on: Set(None),
        ended_on: Set(None),
    }
}

pub(crate) fn overseas_from_row(row: overseas_registration::Model) -> StoreResult<OverseasRegistration> {
    let r = Reader::new("overseas_registration", row.id);
    Ok(OverseasRegistration {
        id: OverseasRegistrationId(row.id),
        worker_id: WorkerId(row.worker_id),
        job_order_id: row.job_order_id.map(VacancyId),
        country: r.parse("country_code", CountryCode::parse(&row.country_code))?,
        programme: r.parse("programme", OverseasProgramme::parse(&row.programme))?,
        stage: r.parse("stage", OverseasStage::parse(&row.stage))?,
        registered_at: row.registered_at,
        note: row.note,
    })
}
