//! Facts that eligibility rules need but a [`WorkerProfile`](caunoi_domain::WorkerProfile) does
//! not record: documents held, self-declarations, past stays abroad, programme skills tests.
//!
//! Everything is optional: a fact nobody recorded makes the rule *unknown*, never *failed*,
//! so that missing paperwork is shown as a step to take rather than hidden as a rejection.

use std::collections::BTreeMap;

use caunoi_domain::IscoCode;
use chrono::NaiveDate;

/// Document keys used by the embedded rule table.
pub mod documents {
    /// Chứng chỉ hoàn thành khóa giáo dục định hướng (Law 69/2020 Art. 44(5)).
    pub const ORIENTATION_CERTIFICATE: &str = "orientation_certificate";
}

/// Declaration keys used by the embedded rule table.
pub mod declarations {
    pub const NOT_BARRED_FROM_EXIT: &str = "not_barred_from_exit";
    pub const NEVER_DEPORTED_FROM_KOREA: &str = "never_deported_from_korea";
    pub const NO_IMPRISONABLE_OFFENCE: &str = "no_imprisonable_offence";
    pub const NO_RELATIVES_ILLEGAL_IN_KOREA: &str = "no_relatives_illegal_in_korea";
    /// Completed Japan TITP stage (ii): exempts from SSW tests in the related field.
    pub const TITP_II_COMPLETED: &str = "titp_ii_completed";
}

/// A programme skills test the worker passed (e.g. a Japanese SSW field test).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkillsTest {
    /// The occupation the test certifies.
    pub occupation: IscoCode,
    pub passed_on: NaiveDate,
}

/// Recorded facts about one worker, keyed as the rule table names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorkerEvidence {
    /// Document key → date obtained.
    pub documents: BTreeMap<String, NaiveDate>,
    /// Declaration key → what was declared (self-declared or checked by staff).
    pub declarations: BTreeMap<String, bool>,
    /// Country code → cumulative months already worked there under the programme (known values only).
    pub prior_stay_months: BTreeMap<String, u16>,
    /// Skills tests passed; `None` when nobody recorded whether there are any.
    pub skills_tests: Option<Vec<SkillsTest>>,
}

impl WorkerEvidence {
    /// No fact recorded: every rule that needs one is unknown.
    pub fn none() -> &'static WorkerEvidence {
        static NONE: std::sync::LazyLock<WorkerEvidence> = std::sync::LazyLock::new(WorkerEvidence::default);
        &NONE
    }

    pub fn with_document(mut self, key: &str, on: NaiveDate) -> Self {
        self.documents.insert(key.to_owned(), on);
        self
    }

    pub fn with_declaration(mut self, key: &str, value: bool) -> Self {
        self.declarations.insert(key.to_owned(), value);
        self
    }

    pub fn with_prior_stay(mut self, country: &str, months: u16) -> Self {
        self.prior_stay_months.insert(country.to_owned(), months);
        self
    }

    pub fn with_skills_tests(mut self, tests: Vec<SkillsTest>) -> Self {
        self.skills_tests = Some(tests);
        self
    }

    pub fn declared(&self, key: &str) -> Option<bool> {
        self.declarations.get(key).copied()
    }
}
