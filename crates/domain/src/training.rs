//! Vocational training for rural workers (issue #11): the training-needs survey a commune runs
//! (điều tra nhu cầu học nghề), providers and their classes with a life cycle, enrolment with
//! capacity and a waiting list, completion with a certificate that joins the worker's profile,
//! the six-month follow-up of graduates, the state support a trainee is entitled to (a rule
//! table with dates and legal references, `data/training-support-policies.csv`), and which
//! upcoming classes close a skill gap that matching found. Pure: the store enforces these under
//! concurrency, the API exposes them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use chrono::{Months, NaiveDate};

use crate::codes::{CommuneCode, IscoCode};
use crate::error::ValidationError;
use crate::money::{Currency, Money};
use crate::overseas::AmountRule;
use crate::person::Sex;
use crate::qualifications::{LanguageCertificate, Qualification};
use crate::records::{
    JobFairId, LifeCycle, PriorityGroup, WorkerId, WorkerProfile, clean_optional, clean_text, refused_move,
};
use crate::reference::{AdminCatalog, CommuneKind, OccupationCatalog};
use crate::rule_table::{Effective, because, is_identifier, provenance, read_rows, table_error, unique_ids, vnd_amount};
use crate::text::{fold, normalize};

id_type!(ProviderId);
id_type!(ClassId);
id_type!(EnrolmentId);
id_type!(SurveyResponseId);

// =============================================================================================
// Codes

code_enum!(
    /// Training levels of Law 74/2014/QH13 offered to rural workers (DOMAIN.md §2.2).
    TrainingLevel, "training_level" {
        /// Đào tạo dưới 3 tháng: a certificate, no qualification level.
        UnderThreeMonths => "under_3_months", "Đào tạo dưới 3 tháng";
        SoCap => "so_cap", "Sơ cấp";
        TrungCap => "trung_cap", "Trung cấp";
        CaoDang => "cao_dang", "Cao đẳng";
        /// Đào tạo thường xuyên (continuing training): a certificate only.
        Continuing => "continuing", "Đào tạo thường xuyên";
    }
);

impl TrainingLevel {
    /// The qualification a completed course gives, if it gives one.
    pub fn qualification(self) -> Option<Qualification> {
        match self {
            Self::SoCap => Some(Qualification::SoCap),
            Self::TrungCap => Some(Qualification::TrungCap),
            Self::CaoDang => Some(Qualification::CaoDang),
            Self::UnderThreeMonths | Self::Continuing => None,
        }
    }

    /// What completing it is certified by.
    pub fn certificate_kind(self) -> CertificateKind {
        match self {
            Self::UnderThreeMonths | Self::Continuing => CertificateKind::TrainingCertificate,
            Self::SoCap => CertificateKind::SoCapCertificate,
            Self::TrungCap => CertificateKind::TrungCapDiploma,
            Self::CaoDang => CertificateKind::CaoDangDiploma,
        }
    }
}

code_enum!(
    CertificateKind, "certificate_kind" {
        TrainingCertificate => "training_certificate", "Chứng chỉ đào tạo";
        SoCapCertificate => "so_cap_certificate", "Chứng chỉ sơ cấp";
        TrungCapDiploma => "trung_cap_diploma", "Bằng tốt nghiệp trung cấp";
        CaoDangDiploma => "cao_dang_diploma", "Bằng tốt nghiệp cao đẳng";
        /// Chứng chỉ kỹ năng nghề quốc gia (bậc 1–5).
        NationalSkills => "national_skills", "Chứng chỉ kỹ năng nghề quốc gia";
    }
);

code_enum!(
    ProviderKind, "provider_kind" {
        VocationalSchool => "vocational_school", "Trường trung cấp, cao đẳng";
        Centre => "centre", "Trung tâm giáo dục nghề nghiệp";
        Enterprise => "enterprise", "Doanh nghiệp, hợp tác xã";
        Other => "other", "Cơ sở khác";
    }
);

code_enum!(
    /// A class's life cycle.
    ClassStatus, "class_status" {
        Planned => "planned", "Dự kiến";
        Enrolling => "enrolling", "Đang tuyển sinh";
        Running => "running", "Đang học";
        Finished => "finished", "Đã kết thúc";
        Cancelled => "cancelled", "Đã hủy";
    }
);

const CLASS_LIFE_CYCLE: LifeCycle = LifeCycle {
    field: "status",
    code: "class.transition",
    noun_vi: "lớp học",
    noun_en: "A class",
    final_hint_vi: "",
};

impl ClassStatus {
    /// Forward one step, or cancelled before the class starts.
    pub fn next_states(self) -> &'static [ClassStatus] {
        use ClassStatus::*;
        match self {
            Planned => &[Enrolling, Cancelled],
            Enrolling => &[Running, Cancelled],
            Running => &[Finished],
            Finished | Cancelled => &[],
        }
    }

    pub fn transition(self, to: ClassStatus) -> Result<ClassStatus, ValidationError> {
        if self.next_states().contains(&to) {
            return Ok(to);
        }
        Err(refused_move(&CLASS_LIFE_CYCLE, self, to, self.next_states()))
    }

    /// Workers may enrol (or join the waiting list) and withdraw.
    pub fn accepts_enrolment(self) -> bool {
        self == ClassStatus::Enrolling
    }

    /// Attendance is kept while the class runs.
    pub fn accepts_attendance(self) -> bool {
        self == ClassStatus::Running
    }

    /// Results are recorded once the class has run.
    pub fn accepts_results(self) -> bool {
        matches!(self, ClassStatus::Running | ClassStatus::Finished)
    }

    /// Shown to seekers as a class they can still join or wait for.
    pub fn is_upcoming(self) -> bool {
        matches!(self, ClassStatus::Planned | ClassStatus::Enrolling)
    }
}

code_enum!(
    /// A worker's place in a class.
    EnrolmentStatus, "enrolment_status" {
        Enrolled => "enrolled", "Đã ghi danh";
        Waiting => "waiting", "Danh sách chờ";
        Withdrawn => "withdrawn", "Đã rút";
        Completed => "completed", "Hoàn thành, được cấp chứng chỉ";
        NotCompleted => "not_completed", "Không hoàn thành";
    }
);

impl EnrolmentStatus {
    /// Holds a seat of the class's capacity.
    pub fn holds_seat(self) -> bool {
        matches!(self, Self::Enrolled | Self::Completed | Self::NotCompleted)
    }
}

code_enum!(
    /// How a worker came to enrol.
    EnrolmentSource, "enrolment_source" {
        WalkIn => "walk_in", "Đăng ký trực tiếp";
        /// From a training sign-up at a job fair (an enrolment lead).
        Fair => "fair", "Đăng ký học nghề tại phiên giao dịch việc làm";
        Survey => "survey", "Từ điều tra nhu cầu học nghề";
        Online => "online", "Tự đăng ký trực tuyến";
    }
);

code_enum!(
    /// When a surveyed person can study.
    PreferredTime, "preferred_time" {
        Daytime => "daytime", "Ban ngày";
        Evening => "evening", "Buổi tối";
        Weekend => "weekend", "Cuối tuần";
        OffSeason => "off_season", "Lúc nông nhàn";
        Any => "any", "Lúc nào cũng được";
    }
);

code_enum!(
    /// Where a survey answer was taken.
    SurveySource, "survey_source" {
        WalkIn => "walk_in", "Tại trụ sở xã";
        Fair => "fair", "Tại phiên giao dịch việc làm";
        Import => "import", "Nhập từ danh sách của xã";
    }
);

code_enum!(
    /// A graduate six months on.
    GraduateOutcome, "graduate_outcome" {
        Employed => "employed", "Có việc làm (làm công hưởng lương)";
        SelfEmployed => "self_employed", "Tự tạo việc làm";
        Abroad => "abroad", "Đi làm việc ở nước ngoài";
        Unemployed => "unemployed", "Chưa có việc làm";
        Unreachable => "unreachable", "Không liên lạc được";
    }
);

impl GraduateOutcome {
    pub fn has_work(self) -> bool {
        matches!(self, Self::Employed | Self::SelfEmployed | Self::Abroad)
    }
}

/// Graduates are followed up this many months after completion.
pub const FOLLOW_UP_MONTHS: u32 = 6;

/// The day a graduate's follow-up falls due.
pub fn follow_up_due(completed_on: NaiveDate) -> NaiveDate {
    completed_on.checked_add_months(Months::new(FOLLOW_UP_MONTHS)).unwrap_or(completed_on)
}

// =============================================================================================
// Certificates on the profile

/// A certificate or diploma a worker holds, from a class here or entered by staff. Part of the
/// worker's profile: matching counts its skills and qualification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VocationalCertificate {
    pub kind: CertificateKind,
    /// Số hiệu văn bằng, chứng chỉ.
    pub number: Option<String>,
    pub issued_on: NaiveDate,
    /// The trade (ISCO-08).
    pub trade: IscoCode,
    /// "Hàn điện", "May công nghiệp".
    pub title: String,
    pub level: TrainingLevel,
    /// What it certifies the holder can do; matching reads these as skills.
    #[serde(default)]
    pub skills: Vec<String>,
    pub issuer: String,
    /// The class here that led to it.
    pub class_id: Option<ClassId>,
}

impl VocationalCertificate {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("certificate.title", &mut self.title, 200)?;
        clean_text("certificate.issuer", &mut self.issuer, 300)?;
        clean_optional("certificate.number", &mut self.number, 50)?;
        self.skills = clean_list("certificate.skills", std::mem::take(&mut self.skills))?;
        OccupationCatalog::embedded().require(&self.trade)?;
        Ok(())
    }
}

/// Trimmed, NFC, non-empty, without repeats (compared folded), each at most 100 characters.
fn clean_list(field: &'static str, items: Vec<String>) -> Result<Vec<String>, ValidationError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for mut item in items {
        clean_text(field, &mut item, 100)?;
        if seen.insert(fold(&item)) {
            out.push(item);
        }
    }
    if out.len() > 30 {
        return Err(ValidationError::new(field, "list.too_long", "Danh sách quá dài (tối đa 30).", "The list is too long (at most 30)."));
    }
    Ok(out)
}

impl WorkerProfile {
    /// Skills as written plus those the worker's certificates attest (no repeats, folded).
    pub fn all_skills(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.skills
            .iter()
            .chain(self.certificates.iter().flat_map(|c| c.skills.iter().chain(std::iter::once(&c.title))))
            .filter(|s| seen.insert(fold(s)))
            .cloned()
            .collect()
    }

    /// The recorded qualification, or a higher one a certificate gives.
    pub fn highest_qualification(&self) -> Qualification {
        self.certificates.iter().filter_map(|c| c.level.qualification()).fold(self.qualification, Ord::max)
    }
}

// =============================================================================================
// Providers and classes

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingProvider {
    #[serde(default)]
    pub id: ProviderId,
    pub name: String,
    pub kind: ProviderKind,
    pub commune_code: CommuneCode,
    pub address: Option<String>,
    /// Giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp.
    pub registration_no: Option<String>,
}

impl TrainingProvider {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("provider.name", &mut self.name, 300)?;
        clean_optional("provider.address", &mut self.address, 500)?;
        clean_optional("provider.registration_no", &mut self.registration_no, 50)?;
        AdminCatalog::embedded().require_commune(&self.commune_code)?;
        Ok(())
    }
}

/// Who pays for a class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Funding {
    /// State-supported: trainees get the support of `training-support-policies.csv` their
    /// groups entitle them to (see [`support_for`]).
    StateSupported,
    /// The trainee pays the tuition.
    Tuition { amount: Money },
    /// An employer trains for its own vacancies.
    Employer,
}

pub const MAX_CLASS_CAPACITY: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingClass {
    #[serde(default)]
    pub id: ClassId,
    pub provider_id: ProviderId,
    /// "Hàn điện cơ bản — khóa 3/2026".
    pub title: String,
    /// The trade taught (ISCO-08, any level).
    pub trade: IscoCode,
    /// What the class teaches, as a worker's skills and a vacancy's requirements name them.
    #[serde(default)]
    pub skills: Vec<String>,
    pub level: TrainingLevel,
    /// Where it is taught.
    pub commune_code: CommuneCode,
    pub venue: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: u32,
    pub funding: Funding,
    #[serde(default = "planned")]
    pub status: ClassStatus,
}

fn planned() -> ClassStatus {
    ClassStatus::Planned
}

impl TrainingClass {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("class.title", &mut self.title, 200)?;
        clean_text("class.venue", &mut self.venue, 300)?;
        self.skills = clean_list("class.skills", std::mem::take(&mut self.skills))?;
        OccupationCatalog::embedded().require(&self.trade)?;
        AdminCatalog::embedded().require_commune(&self.commune_code)?;
        if self.ends_on < self.starts_on {
            return Err(ValidationError::new(
                "class.ends_on",
                "class.dates",
                "Ngày kết thúc trước ngày khai giảng.",
                "The class ends before it starts.",
            ));
        }
        if self.level == TrainingLevel::UnderThreeMonths
            && self.starts_on.checked_add_months(Months::new(3)).is_some_and(|limit| self.ends_on >= limit)
        {
            return Err(ValidationError::new(
                "class.ends_on",
                "class.duration",
                "Lớp đào tạo dưới 3 tháng phải kết thúc trong vòng 3 tháng kể từ ngày khai giảng.",
                "An under-3-month course must end within three months of its start.",
            ));
        }
        if !(1..=MAX_CLASS_CAPACITY).contains(&self.capacity) {
            return Err(ValidationError::new(
                "class.capacity",
                "class.capacity",
                format!("Sĩ số phải từ 1 đến {MAX_CLASS_CAPACITY}."),
                format!("Capacity must be 1 to {MAX_CLASS_CAPACITY}."),
            ));
        }
        if let Funding::Tuition { amount } = &self.funding
            && (amount.currency() != Currency::Vnd || amount.amount_minor() <= 0)
        {
            return Err(ValidationError::new(
                "class.funding",
                "class.tuition",
                "Học phí phải là số tiền dương bằng đồng.",
                "Tuition must be a positive amount in đồng.",
            ));
        }
        Ok(())
    }

    /// Whether the class teaches what a worker lacks.
    pub fn teaches(&self, need: &SkillNeed) -> bool {
        let skill_texts = || self.skills.iter().chain(std::iter::once(&self.title)).map(|s| fold(s));
        match need {
            SkillNeed::Skill(skill) => {
                let wanted = fold(skill);
                !wanted.is_empty() && skill_texts().any(|taught| taught.contains(&wanted) || wanted.contains(&taught))
            }
            SkillNeed::Qualification { level, occupation } => {
                self.level.qualification().is_some_and(|given| given >= *level)
                    && occupation.as_ref().is_none_or(|o| same_field(&self.trade, o))
            }
            SkillNeed::Occupation(occupation) => same_field(&self.trade, occupation),
            SkillNeed::Language(certificate) => {
                let language = fold(certificate.language_vi());
                skill_texts().any(|taught| taught.contains(&language))
            }
        }
    }
}

/// Same ISCO-08 minor group (three digits), or one code is a group containing the other.
fn same_field(a: &IscoCode, b: &IscoCode) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    let digits = a.len().min(b.len()).min(3);
    a[..digits] == b[..digits]
}

// =============================================================================================
// Skill gaps → classes

/// What a worker lacks for a vacancy, in terms a class can teach. Matching attaches one to each
/// gap it reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SkillNeed {
    Skill(String),
    /// A qualification level, in the vacancy's trade when known.
    Qualification { level: Qualification, occupation: Option<IscoCode> },
    Occupation(IscoCode),
    Language(LanguageCertificate),
}

/// An upcoming class that closes a gap, and how far it is from the worker's home.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassSuggestion {
    pub class_id: ClassId,
    pub title: String,
    pub level: TrainingLevel,
    pub commune_code: CommuneCode,
    pub starts_on: NaiveDate,
    pub status: ClassStatus,
    /// From the worker's home commune to the class's (straight line).
    pub distance_km: Option<f64>,
    pub seats_left: u32,
    pub message_vi: String,
    pub message_en: String,
}

/// A class with its seats left, as the store lists upcoming classes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassOffer {
    pub class: TrainingClass,
    pub seats_left: u32,
}

/// Classes not yet started that teach `need`, nearest first, within `max_km` of the worker's
/// home (classes without known distance come last), at most `limit`.
pub fn suggest_classes(
    need: &SkillNeed,
    home: &CommuneCode,
    offers: &[ClassOffer],
    today: NaiveDate,
    max_km: f64,
    limit: usize,
) -> Vec<ClassSuggestion> {
    let catalog = AdminCatalog::embedded();
    let mut found: Vec<ClassSuggestion> = offers
        .iter()
        .filter(|o| o.class.status.is_upcoming() && o.class.starts_on >= today && o.class.teaches(need))
        .filter_map(|o| {
            let distance_km = catalog.distance_km(home, &o.class.commune_code);
            if distance_km.is_some_and(|d| d > max_km) {
                return None;
            }
            let place = catalog.commune(&o.class.commune_code).map_or(o.class.commune_code.to_string(), |c| c.name.clone());
            let far = distance_km.map(|d| format!(", cách nhà khoảng {} km", d.round())).unwrap_or_default();
            let far_en = distance_km.map(|d| format!(", about {} km from home", d.round())).unwrap_or_default();
            Some(ClassSuggestion {
                class_id: o.class.id,
                title: o.class.title.clone(),
                level: o.class.level,
                commune_code: o.class.commune_code.clone(),
                starts_on: o.class.starts_on,
                status: o.class.status,
                distance_km,
                seats_left: o.seats_left,
                message_vi: format!(
                    "Lớp \"{}\" ({}) khai giảng {} tại {}{far}.",
                    o.class.title,
                    o.class.level.label_vi(),
                    o.class.starts_on.format("%d/%m/%Y"),
                    place
                ),
                message_en: format!(
                    "Class \"{}\" ({}) starts {} in {}{far_en}.",
                    o.class.title,
                    o.class.level.code(),
                    o.class.starts_on,
                    place
                ),
            })
        })
        .collect();
    found.sort_by(|a, b| {
        a.distance_km.unwrap_or(f64::MAX).total_cmp(&b.distance_km.unwrap_or(f64::MAX)).then(a.starts_on.cmp(&b.starts_on))
    });
    found.truncate(limit);
    found
}

// =============================================================================================
// Training-needs survey

/// A trade someone wants to learn: as said, and the ISCO-08 code it was classified as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WantedTrade {
    pub text: String,
    pub occupation: Option<IscoCode>,
}

/// One answer to the commune's training-needs survey: a registered worker, or a person of a
/// household (by name) who has no profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResponse {
    #[serde(default)]
    pub id: SurveyResponseId,
    /// The commune that ran the survey (where the person lives).
    pub commune_code: CommuneCode,
    pub worker_id: Option<WorkerId>,
    pub respondent_name: String,
    pub sex: Option<Sex>,
    pub birth_year: Option<u16>,
    pub trades: Vec<WantedTrade>,
    pub preferred_time: PreferredTime,
    pub preferred_place: Option<String>,
    /// Asks for support (tuition, meals, travel).
    pub needs_support: bool,
    #[serde(default)]
    pub priority_groups: BTreeSet<PriorityGroup>,
    pub source: SurveySource,
    pub fair_id: Option<JobFairId>,
    pub surveyed_on: NaiveDate,
}

impl SurveyResponse {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("survey.respondent_name", &mut self.respondent_name, 150)?;
        clean_optional("survey.preferred_place", &mut self.preferred_place, 300)?;
        AdminCatalog::embedded().require_commune(&self.commune_code)?;
        if self.trades.is_empty() || self.trades.len() > 5 {
            return Err(ValidationError::new(
                "survey.trades",
                "survey.trades",
                "Ghi từ 1 đến 5 nghề muốn học.",
                "Give one to five trades to learn.",
            ));
        }
        for trade in &mut self.trades {
            clean_text("survey.trades", &mut trade.text, 200)?;
            if let Some(code) = &trade.occupation {
                OccupationCatalog::embedded().require(code)?;
            }
        }
        if let Some(year) = self.birth_year {
            let this_year = chrono::Datelike::year(&self.surveyed_on);
            if !(i32::from(year) >= this_year - 100 && i32::from(year) <= this_year - 14) {
                return Err(ValidationError::new(
                    "survey.birth_year",
                    "survey.birth_year",
                    "Năm sinh không hợp lệ (người được khảo sát phải từ 14 tuổi).",
                    "Invalid birth year (respondents are at least 14).",
                ));
            }
        }
        if self.source == SurveySource::Fair && self.fair_id.is_none() {
            return Err(ValidationError::new(
                "survey.fair_id",
                "survey.fair_missing",
                "Khảo sát tại phiên giao dịch việc làm phải ghi phiên nào.",
                "A survey taken at a job fair must name the fair.",
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The commune's survey list as a spreadsheet

/// The columns of the survey sheet (headers with or without diacritics, any case). The first
/// name is the template's; "Họ và tên" and "Nghề muốn học" are required.
pub const SURVEY_HEADERS: &[(&str, &[&str])] = &[
    ("name", &["Họ và tên", "Họ tên", "Tên"]),
    ("commune", &["Mã xã", "Mã xã/phường"]),
    ("sex", &["Giới tính"]),
    ("birth_year", &["Năm sinh"]),
    ("trades", &["Nghề muốn học", "Nghề đăng ký học", "Nghề"]),
    ("time", &["Thời gian học", "Thời gian có thể học"]),
    ("place", &["Địa điểm học", "Nơi học"]),
    ("support", &["Cần hỗ trợ", "Đề nghị hỗ trợ"]),
    ("groups", &["Nhóm ưu tiên", "Đối tượng"]),
    ("date", &["Ngày khảo sát", "Ngày điều tra"]),
];

fn header_key(text: &str) -> String {
    fold(text).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Where each survey field is in a sheet's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyColumns(BTreeMap<&'static str, usize>);

impl SurveyColumns {
    pub fn from_header(header: &[String]) -> Result<Self, ValidationError> {
        let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        let mut found = BTreeMap::new();
        for (field, names) in SURVEY_HEADERS {
            if let Some(index) = keys.iter().position(|k| names.iter().any(|n| header_key(n) == *k)) {
                found.insert(*field, index);
            }
        }
        for (required, label) in [("name", "Họ và tên"), ("trades", "Nghề muốn học")] {
            if !found.contains_key(required) {
                return Err(ValidationError::new(
                    "header",
                    "survey_import.header",
                    format!("Thiếu cột \"{label}\"; tiêu đề: {}.", SURVEY_HEADERS.iter().map(|(_, n)| n[0]).collect::<Vec<_>>().join(" | ")),
                    format!("Missing column \"{label}\"."),
                ));
            }
        }
        Ok(Self(found))
    }

    /// One row as a survey answer, validated. `commune` is used when the row has no code;
    /// `classify` turns a trade as written into an ISCO-08 code.
    pub fn parse_row(
        &self,
        cells: &[String],
        commune: Option<&CommuneCode>,
        today: NaiveDate,
        classify: &dyn Fn(&str) -> Option<IscoCode>,
    ) -> Result<SurveyResponse, ValidationError> {
        let cell = |field: &str| self.0.get(field).and_then(|i| cells.get(*i)).map(|c| normalize(c)).filter(|c| !c.is_empty());
        let commune_code = match cell("commune") {
            Some(code) => CommuneCode::parse(&format!("{code:0>5}"))?,
            None => commune.cloned().ok_or_else(|| {
                ValidationError::new("commune", "survey.commune_missing", "Thiếu mã xã.", "The commune code is missing.")
            })?,
        };
        let trades = cell("trades")
            .map(|text| {
                text.split([';', ',', '\n'])
                    .map(normalize)
                    .filter(|t| !t.is_empty())
                    .map(|text| WantedTrade { occupation: classify(&text), text })
                    .collect()
            })
            .unwrap_or_default();
        let yes = |text: &str| matches!(fold(text).as_str(), "co" | "x" | "yes" | "1" | "can" | "true");
        let mut response = SurveyResponse {
            id: SurveyResponseId::new(),
            commune_code,
            worker_id: None,
            respondent_name: cell("name").unwrap_or_default(),
            sex: cell("sex").map(|s| Sex::parse(&s)).transpose()?,
            birth_year: cell("birth_year")
                .map(|y| {
                    y.parse::<u16>().map_err(|_| {
                        ValidationError::new("birth_year", "survey.birth_year", format!("Năm sinh \"{y}\" không hợp lệ."), format!("Invalid birth year \"{y}\"."))
                    })
                })
                .transpose()?,
            trades,
            preferred_time: cell("time").map(|t| PreferredTime::parse(&t)).transpose()?.unwrap_or(PreferredTime::Any),
            preferred_place: cell("place"),
            needs_support: cell("support").is_some_and(|s| yes(&s)),
            priority_groups: cell("groups")
                .map(|text| text.split([';', ',']).map(str::trim).filter(|g| !g.is_empty()).map(PriorityGroup::parse).collect())
                .transpose()?
                .unwrap_or_default(),
            source: SurveySource::Import,
            fair_id: None,
            surveyed_on: cell("date")
                .map(|d| {
                    NaiveDate::parse_from_str(&d, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(&d, "%Y-%m-%d")).map_err(|_| {
                        ValidationError::new("date", "survey.date", format!("Ngày \"{d}\" phải có dạng dd/mm/yyyy."), format!("Date \"{d}\" must be dd/mm/yyyy."))
                    })
                })
                .transpose()?
                .unwrap_or(today),
        };
        response.validate()?;
        Ok(response)
    }
}

/// How many people want a trade, and of them how many ask for support.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedCount {
    pub people: u32,
    pub need_support: u32,
}

impl NeedCount {
    fn add(&mut self, response: &SurveyResponse) {
        self.people += 1;
        self.need_support += u32::from(response.needs_support);
    }
}

/// The survey summed up: by commune, by trade (ISCO unit group, or "unclassified"), by priority
/// group, and by preferred time. A person wanting two trades counts once per trade.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySummary {
    pub respondents: u32,
    pub by_commune: BTreeMap<String, NeedCount>,
    pub by_trade: BTreeMap<String, NeedCount>,
    pub by_priority_group: BTreeMap<String, NeedCount>,
    pub by_preferred_time: BTreeMap<String, NeedCount>,
}

/// The key of a trade in summaries: its ISCO code, or this for a trade no code was found for.
pub const UNCLASSIFIED: &str = "unclassified";

pub fn summarise(responses: &[SurveyResponse]) -> SurveySummary {
    let mut summary = SurveySummary::default();
    for response in responses {
        summary.respondents += 1;
        summary.by_commune.entry(response.commune_code.to_string()).or_default().add(response);
        let trades: BTreeSet<String> = response
            .trades
            .iter()
            .map(|t| t.occupation.as_ref().map_or(UNCLASSIFIED.to_owned(), ToString::to_string))
            .collect();
        for trade in trades {
            summary.by_trade.entry(trade).or_default().add(response);
        }
        for group in &response.priority_groups {
            summary.by_priority_group.entry(group.code().to_owned()).or_default().add(response);
        }
        summary.by_preferred_time.entry(response.preferred_time.code().to_owned()).or_default().add(response);
    }
    summary
}

/// For one trade: what employers ask for against what training supplies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TradeBalance {
    pub trade: String,
    pub label_vi: String,
    /// Places in open vacancies of the trade.
    pub vacancy_places: u32,
    /// Certificates in the trade held by workers of the area.
    pub trained: u32,
    /// Seats in classes of the trade not yet finished.
    pub class_seats: u32,
    /// Surveyed people who want to learn it.
    pub wanting: u32,
    /// `vacancy_places − trained − class_seats`, when positive: workers employers want that
    /// training does not yet supply.
    pub shortfall: u32,
}

/// Joins demand (vacancy places per trade), supply (trained, seats) and the survey, per ISCO
/// unit group; shortfalls first, then by demand.
pub fn balance(
    vacancy_places: &BTreeMap<String, u32>,
    trained: &BTreeMap<String, u32>,
    class_seats: &BTreeMap<String, u32>,
    summary: &SurveySummary,
) -> Vec<TradeBalance> {
    let trades: BTreeSet<&String> = vacancy_places
        .keys()
        .chain(trained.keys())
        .chain(class_seats.keys())
        .chain(summary.by_trade.keys().filter(|k| k.as_str() != UNCLASSIFIED))
        .collect();
    let get = |map: &BTreeMap<String, u32>, key: &str| map.get(key).copied().unwrap_or(0);
    let mut rows: Vec<TradeBalance> = trades
        .into_iter()
        .map(|trade| {
            let label_vi = IscoCode::parse(trade)
                .ok()
                .and_then(|code| OccupationCatalog::embedded().get(&code).map(|o| o.label_vi.clone()))
                .unwrap_or_default();
            let demand = get(vacancy_places, trade);
            let trained_here = get(trained, trade);
            let seats = get(class_seats, trade);
            TradeBalance {
                trade: trade.clone(),
                label_vi,
                vacancy_places: demand,
                trained: trained_here,
                class_seats: seats,
                wanting: summary.by_trade.get(trade.as_str()).map_or(0, |c| c.people),
                shortfall: demand.saturating_sub(trained_here.saturating_add(seats)),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.shortfall.cmp(&a.shortfall).then(b.vacancy_places.cmp(&a.vacancy_places)).then(a.trade.cmp(&b.trade)));
    rows
}

/// The ISCO unit group (four digits) a code belongs to, for summaries; shorter codes stay.
pub fn unit_group(code: &IscoCode) -> String {
    code.as_str().chars().take(4).collect()
}

// =============================================================================================
// Support for trainees (rule table)

code_enum!(
    /// Who a training-support row is for: the priority groups of the profile, and rural workers
    /// (living in a xã, not a phường), which the profile does not record but the address shows.
    Beneficiary, "beneficiary" {
        Disability => "disability", "Người khuyết tật";
        PoorHousehold => "poor_household", "Hộ nghèo";
        NearPoorHousehold => "near_poor_household", "Hộ cận nghèo";
        EthnicMinority => "ethnic_minority", "Người dân tộc thiểu số";
        LandRecovered => "land_recovered", "Hộ bị thu hồi đất nông nghiệp";
        MeritRelative => "merit_relative", "Thân nhân người có công";
        DemobilisedSoldier => "demobilised_soldier", "Bộ đội, công an xuất ngũ";
        Returnee => "returnee", "Người lao động về nước";
        RuralWorker => "rural_worker", "Lao động nông thôn";
    }
);

/// A row of `training-support-policies.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingSupport {
    pub id: String,
    pub beneficiaries: Vec<Beneficiary>,
    pub levels: Vec<TrainingLevel>,
    /// `tuition`, `meals`, `travel`…: a trainee gets the highest row of each item.
    pub item: String,
    pub amount_rule: AmountRule,
    pub amount: Option<Money>,
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
    pub title_vi: String,
    pub title_en: String,
    pub note: String,
}

#[derive(serde::Deserialize)]
struct SupportRow {
    id: String,
    beneficiaries: String,
    levels: String,
    item: String,
    amount_rule: String,
    amount_vnd: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    title_vi: String,
    title_en: String,
    note: String,
}

const SUPPORT_FILE: &str = "training-support-policies.csv";
pub const TRAINING_SUPPORT_CSV: &str = include_str!("../data/training-support-policies.csv");

fn codes<T>(text: &str, parse: impl Fn(&str) -> Result<T, ValidationError>) -> Result<Vec<T>, ValidationError> {
    text.split('|').map(str::trim).filter(|s| !s.is_empty()).map(parse).collect()
}

fn parse_support(row: usize, r: SupportRow) -> Result<TrainingSupport, ValidationError> {
    let beneficiaries = codes(&r.beneficiaries, Beneficiary::parse).map_err(because(SUPPORT_FILE, row, "rule_table.groups"))?;
    let levels = codes(&r.levels, TrainingLevel::parse).map_err(because(SUPPORT_FILE, row, "rule_table.levels"))?;
    if beneficiaries.is_empty() || levels.is_empty() {
        return Err(table_error(
            SUPPORT_FILE,
            row,
            "rule_table.groups",
            "thiếu đối tượng hoặc trình độ đào tạo.",
            "beneficiaries or levels are missing.",
        ));
    }
    if !is_identifier(&r.item) {
        return Err(table_error(SUPPORT_FILE, row, "rule_table.item", "mã khoản hỗ trợ không hợp lệ.", "invalid item code."));
    }
    let amount_rule = AmountRule::parse(&r.amount_rule).map_err(because(SUPPORT_FILE, row, "rule_table.amount_rule"))?;
    let amount = vnd_amount(SUPPORT_FILE, row, &r.amount_vnd)?;
    if amount.is_none() != matches!(amount_rule, AmountRule::ActualCost | AmountRule::NotSet) {
        return Err(table_error(
            SUPPORT_FILE,
            row,
            "rule_table.amount",
            "cách tính không khớp với cột amount_vnd.",
            "the amount rule does not match amount_vnd.",
        ));
    }
    if r.title_vi.is_empty() || r.title_en.is_empty() {
        return Err(table_error(SUPPORT_FILE, row, "rule_table.title", "thiếu tên chính sách.", "the title is missing."));
    }
    let p = provenance(SUPPORT_FILE, row, &r.effective_from, &r.effective_to, &r.verified, &r.legal_ref)?;
    Ok(TrainingSupport {
        id: r.id,
        beneficiaries,
        levels,
        item: r.item,
        amount_rule,
        amount,
        effective: p.effective,
        verified: p.verified,
        legal_ref: p.legal_ref,
        title_vi: r.title_vi,
        title_en: r.title_en,
        note: r.note,
    })
}

/// The support table (`data/training-support-policies.csv`).
#[derive(Debug, Clone)]
pub struct TrainingSupports {
    rows: Vec<TrainingSupport>,
}

static EMBEDDED_SUPPORTS: LazyLock<TrainingSupports> =
    LazyLock::new(|| TrainingSupports::from_csv(TRAINING_SUPPORT_CSV).expect("the embedded training-support table is valid"));

impl TrainingSupports {
    pub fn embedded() -> &'static TrainingSupports {
        &EMBEDDED_SUPPORTS
    }

    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let rows = read_rows::<SupportRow>(SUPPORT_FILE, text)?;
        unique_ids(SUPPORT_FILE, rows.iter().map(|(n, r)| (*n, r.id.as_str())))?;
        Ok(Self { rows: rows.into_iter().map(|(row, r)| parse_support(row, r)).collect::<Result<_, _>>()? })
    }

    pub fn all(&self) -> &[TrainingSupport] {
        &self.rows
    }
}

/// A support item a trainee is entitled to, and through which of their groups.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportEntitlement {
    pub support: TrainingSupport,
    pub through: Vec<Beneficiary>,
}

/// Who the worker is for the support table: their recorded groups, ethnic minority when the
/// recorded ethnicity says so, and rural worker when their commune is a xã.
pub fn beneficiaries_of(worker: &WorkerProfile) -> BTreeSet<Beneficiary> {
    let mut out: BTreeSet<Beneficiary> =
        worker.priority_groups.iter().filter_map(|g| Beneficiary::parse(g.code()).ok()).collect();
    if worker.ethnic_minority() == Some(true) {
        out.insert(Beneficiary::EthnicMinority);
    }
    if AdminCatalog::embedded().commune(&worker.residence_commune).is_some_and(|c| c.kind == CommuneKind::Commune) {
        out.insert(Beneficiary::RuralWorker);
    }
    out
}

/// What a worker gets for a state-supported class, per item the highest row in force on the
/// class's first day that one of their groups opens (someone in several groups gets the highest
/// level once, not the sum). Nothing for a class paid by tuition or by an employer.
pub fn support_for(worker: &WorkerProfile, class: &TrainingClass, table: &TrainingSupports) -> Vec<SupportEntitlement> {
    if class.funding != Funding::StateSupported {
        return Vec::new();
    }
    let groups = beneficiaries_of(worker);
    let mut best: BTreeMap<&str, SupportEntitlement> = BTreeMap::new();
    for support in table.all() {
        if !support.effective.in_force_on(class.starts_on) || !support.levels.contains(&class.level) {
            continue;
        }
        let through: Vec<Beneficiary> = support.beneficiaries.iter().copied().filter(|b| groups.contains(b)).collect();
        if through.is_empty() {
            continue;
        }
        let amount = |s: &TrainingSupport| s.amount.map_or(0, |m| m.amount_minor());
        let better = best.get(support.item.as_str()).is_none_or(|current| amount(support) > amount(&current.support));
        if better {
            best.insert(&support.item, SupportEntitlement { support: support.clone(), through });
        }
    }
    best.into_values().collect()
}

/// Normalised trade text of a survey answer ("  may  công nghiệp " → "may công nghiệp").
pub fn trade_text(text: &str) -> String {
    normalize(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::DateOfBirth;
    use crate::qualifications::GeneralEducation;
    use crate::records::{Availability, DesiredWork};

    fn class(status: ClassStatus, skills: &[&str], level: TrainingLevel, commune: &str, starts: &str) -> TrainingClass {
        let starts_on = NaiveDate::parse_from_str(starts, "%Y-%m-%d").unwrap();
        TrainingClass {
            id: ClassId::new(),
            provider_id: ProviderId::new(),
            title: format!("Lớp {}", skills.first().copied().unwrap_or("nghề")),
            trade: IscoCode::parse("7212").unwrap(),
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            level,
            commune_code: CommuneCode::parse(commune).unwrap(),
            venue: "Nhà văn hóa xã".into(),
            starts_on,
            ends_on: starts_on + chrono::Duration::days(60),
            capacity: 30,
            funding: Funding::StateSupported,
            status,
        }
    }

    fn worker(commune: &str, groups: &[PriorityGroup]) -> WorkerProfile {
        WorkerProfile {
            id: WorkerId::new(),
            full_name: "Nguyễn Văn An".into(),
            sex: Sex::Male,
            date_of_birth: DateOfBirth::new(NaiveDate::from_ymd_opt(1998, 3, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap(),
            cccd: None,
            phone: None,
            email: None,
            ethnicity: None,
            residence_commune: CommuneCode::parse(commune).unwrap(),
            address_as_written: None,
            general_education: GeneralEducation::LowerSecondary,
            qualification: Qualification::NoQualification,
            occupation_history: vec![],
            skills: vec!["Lái máy cày".into()],
            languages: vec![],
            certificates: vec![],
            desired: DesiredWork::default(),
            availability: Availability::Immediately,
            priority_groups: groups.iter().copied().collect(),
            consents: vec![],
        }
    }

    #[test]
    fn class_life_cycle_moves_forward_or_cancels_before_it_runs() {
        for from in ClassStatus::ALL {
            for to in ClassStatus::ALL {
                let result = from.transition(*to);
                assert_eq!(result.is_ok(), from.next_states().contains(to), "{from} → {to}");
                if let Err(error) = result {
                    assert_eq!(error.code, "class.transition");
                    assert!(error.message_vi.contains(from.label_vi()), "{}", error.message_vi);
                }
            }
        }
        assert!(ClassStatus::Running.transition(ClassStatus::Cancelled).is_err());
        assert!(ClassStatus::Enrolling.accepts_enrolment() && !ClassStatus::Planned.accepts_enrolment());
        assert!(!ClassStatus::Finished.accepts_attendance() && ClassStatus::Finished.accepts_results());
    }

    #[test]
    fn a_class_is_validated() {
        let mut ok = class(ClassStatus::Planned, &["hàn điện"], TrainingLevel::UnderThreeMonths, "00004", "2026-03-01");
        assert!(ok.validate().is_ok());
        let mut long = ok.clone();
        long.ends_on = long.starts_on + chrono::Duration::days(100);
        assert_eq!(long.validate().unwrap_err().code, "class.duration");
        let mut backwards = ok.clone();
        backwards.ends_on = backwards.starts_on - chrono::Duration::days(1);
        assert_eq!(backwards.validate().unwrap_err().code, "class.dates");
        let mut empty = ok.clone();
        empty.capacity = 0;
        assert_eq!(empty.validate().unwrap_err().code, "class.capacity");
    }

    #[test]
    fn classes_that_teach_a_gap_are_suggested_nearest_first() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let near = class(ClassStatus::Enrolling, &["Hàn điện", "hàn TIG"], TrainingLevel::SoCap, "00004", "2026-03-01");
        let far = class(ClassStatus::Planned, &["hàn điện"], TrainingLevel::SoCap, "25747", "2026-03-01");
        let started = class(ClassStatus::Running, &["hàn điện"], TrainingLevel::SoCap, "00004", "2026-01-01");
        let sewing = class(ClassStatus::Enrolling, &["may công nghiệp"], TrainingLevel::SoCap, "00004", "2026-03-01");
        let offers: Vec<ClassOffer> =
            [&far, &near, &started, &sewing].into_iter().map(|c| ClassOffer { class: c.clone(), seats_left: 5 }).collect();
        let home = CommuneCode::parse("00008").unwrap();
        let need = SkillNeed::Skill("han dien".into());
        let found = suggest_classes(&need, &home, &offers, today, 2000.0, 10);
        assert_eq!(found.iter().map(|s| s.class_id).collect::<Vec<_>>(), vec![near.id, far.id]);
        assert!(found[0].message_vi.contains("khai giảng 01/03/2026"), "{}", found[0].message_vi);
        // Beyond the radius: only the near one.
        assert_eq!(suggest_classes(&need, &home, &offers, today, 50.0, 10).len(), 1);
        // A qualification gap in the trade: sơ cấp classes of the same minor group qualify.
        let level = SkillNeed::Qualification { level: Qualification::SoCap, occupation: Some(IscoCode::parse("7212").unwrap()) };
        assert_eq!(suggest_classes(&level, &home, &offers, today, 50.0, 10).len(), 2);
        let higher = SkillNeed::Qualification { level: Qualification::TrungCap, occupation: None };
        assert!(suggest_classes(&higher, &home, &offers, today, 50.0, 10).is_empty());
    }

    #[test]
    fn certificates_add_skills_and_qualification_to_the_profile() {
        let mut w = worker("00004", &[]);
        assert_eq!(w.highest_qualification(), Qualification::NoQualification);
        w.certificates.push(VocationalCertificate {
            kind: CertificateKind::SoCapCertificate,
            number: Some("SC-001".into()),
            issued_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            trade: IscoCode::parse("7212").unwrap(),
            title: "Hàn điện".into(),
            level: TrainingLevel::SoCap,
            skills: vec!["hàn TIG".into(), "lái máy cày".into()],
            issuer: "Trường Trung cấp nghề".into(),
            class_id: None,
        });
        assert_eq!(w.highest_qualification(), Qualification::SoCap);
        assert_eq!(w.all_skills(), vec!["Lái máy cày", "hàn TIG", "Hàn điện"]);
    }

    #[test]
    fn the_survey_sums_by_commune_trade_and_group() {
        let response = |commune: &str, trades: &[Option<&str>], groups: &[PriorityGroup], support: bool| SurveyResponse {
            id: SurveyResponseId::new(),
            commune_code: CommuneCode::parse(commune).unwrap(),
            worker_id: None,
            respondent_name: "Lò Thị Mai".into(),
            sex: Some(Sex::Female),
            birth_year: Some(1995),
            trades: trades
                .iter()
                .map(|code| WantedTrade { text: "nghề".into(), occupation: code.map(|c| IscoCode::parse(c).unwrap()) })
                .collect(),
            preferred_time: PreferredTime::OffSeason,
            preferred_place: None,
            needs_support: support,
            priority_groups: groups.iter().copied().collect(),
            source: SurveySource::WalkIn,
            fair_id: None,
            surveyed_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        };
        let responses = vec![
            response("00004", &[Some("7531"), Some("7212")], &[PriorityGroup::PoorHousehold], true),
            response("00004", &[Some("7531"), Some("7531")], &[], false),
            response("00008", &[None], &[PriorityGroup::PoorHousehold], true),
        ];
        let summary = summarise(&responses);
        assert_eq!(summary.respondents, 3);
        assert_eq!(summary.by_commune["00004"], NeedCount { people: 2, need_support: 1 });
        assert_eq!(summary.by_trade["7531"], NeedCount { people: 2, need_support: 1 });
        assert_eq!(summary.by_trade[UNCLASSIFIED].people, 1);
        assert_eq!(summary.by_priority_group["poor_household"], NeedCount { people: 2, need_support: 2 });

        let demand = BTreeMap::from([("7531".to_owned(), 40), ("7212".to_owned(), 5)]);
        let trained = BTreeMap::from([("7531".to_owned(), 10)]);
        let seats = BTreeMap::from([("7212".to_owned(), 25)]);
        let rows = balance(&demand, &trained, &seats, &summary);
        assert_eq!(rows[0].trade, "7531");
        assert_eq!((rows[0].shortfall, rows[0].wanting), (30, 2));
        assert_eq!(rows[1].shortfall, 0);
    }

    #[test]
    fn support_gives_the_highest_level_per_item_once() {
        let table = TrainingSupports::embedded();
        assert!(!table.all().is_empty());
        let state = class(ClassStatus::Enrolling, &["hàn"], TrainingLevel::SoCap, "00004", "2026-03-01");
        // A ward (phường) resident of a poor household with a disability.
        let poor_disabled = worker("00004", &[PriorityGroup::PoorHousehold, PriorityGroup::Disability]);
        let got = support_for(&poor_disabled, &state, table);
        let tuition: Vec<&SupportEntitlement> = got.iter().filter(|e| e.support.item == "tuition").collect();
        assert_eq!(tuition.len(), 1, "one tuition row, the highest");
        assert!(tuition[0].through.contains(&Beneficiary::Disability));
        // A ward resident in no group gets nothing; a tuition-paid class gives nothing.
        assert!(support_for(&worker("00004", &[]), &state, table).is_empty());
        let paid = TrainingClass { funding: Funding::Tuition { amount: Money::from_major(3_000_000, Currency::Vnd).unwrap() }, ..state };
        assert!(support_for(&poor_disabled, &paid, table).is_empty());
    }

    #[test]
    fn a_broken_support_row_names_its_file_and_row() {
        let header = "id,beneficiaries,levels,item,amount_rule,amount_vnd,effective_from,effective_to,verified,legal_ref,title_vi,title_en,note\n";
        let bad = |row: &str| TrainingSupports::from_csv(&format!("{header}{row}\n")).unwrap_err();
        let error = bad("x,martian,so_cap,tuition,per_course,100,,,false,QĐ,a,b,");
        assert_eq!(error.code, "rule_table.groups");
        assert!(error.message_vi.contains("Dòng 1 của training-support-policies.csv"), "{}", error.message_vi);
        assert_eq!(bad("x,disability,so_cap,tuition,per_course,,,,false,QĐ,a,b,").code, "rule_table.amount");
        assert_eq!(bad("x,disability,so_cap,tuition,per_course,100,,,maybe,QĐ,a,b,").code, "rule_table.verified");
    }
}
