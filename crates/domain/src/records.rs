//! The records Cầu Nối keeps: employers, vacancies (domestic openings and overseas job orders),
//! worker profiles, job fairs, fair registrations and overseas registrations.
//!
//! Fields are built from validated value types, so most invariants hold by construction; the
//! few that span several fields are checked by each record's `validate`, which the store calls
//! before every write.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::num::NonZeroU32;

use chrono::{DateTime, NaiveDate, Utc};

use crate::codes::{CommuneCode, IscoCode, ProvinceCode};
use crate::country::CountryCode;
use crate::error::ValidationError;
use crate::identity::{Cccd, PhoneNumber, TaxCode};
use crate::money::SalaryRange;
use crate::person::{DateOfBirth, Sex};
use crate::qualifications::{GeneralEducation, LanguageCertificate, Qualification};
use crate::reference::{AdminCatalog, OccupationCatalog, require_country};
use crate::text::normalize_cow;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new time-ordered (v7) identifier: inserts stay clustered in B-tree indexes.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(EmployerId);
id_type!(VacancyId);
id_type!(WorkerId);
id_type!(JobFairId);
id_type!(FairRegistrationId);
id_type!(OverseasRegistrationId);

/// Implements `code()`, `parse()`, `label_vi()`, `ALL` and string serde for a code enum.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        #[cfg(feature = "openapi")]
        crate::openapi::schema!(codes $name, concat!($field, ": ", $($code, " "),+));

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }

            pub fn label_vi(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            pub fn parse(input: &str) -> Result<Self, ValidationError> {
                let wanted = crate::text::fold(input).replace([' ', '-'], "_");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == wanted || crate::text::fold(v.label_vi()).replace([' ', '-'], "_") == wanted)
                    .ok_or_else(|| {
                        let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                        ValidationError::new(
                            $field,
                            concat!($field, ".unknown"),
                            format!("Giá trị \"{}\" không hợp lệ; chấp nhận: {}.", input, allowed.join(", ")),
                            format!("Unknown value \"{}\"; expected one of: {}.", input, allowed.join(", ")),
                        )
                    })
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for &'static str {
            fn from(value: $name) -> Self {
                value.code()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl crate::records::CodeEnum for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label_vi(self) -> &'static str {
                $name::label_vi(self)
            }
        }
    };
}

/// What every [`code_enum!`] offers, for helpers shared by several enums (life-cycle errors).
pub trait CodeEnum: Copy + 'static {
    fn code(self) -> &'static str;
    fn label_vi(self) -> &'static str;
}

/// What a life cycle calls the thing that moves, for [`refused_move`].
pub(crate) struct LifeCycle {
    pub field: &'static str,
    pub code: &'static str,
    /// Lower case, as in the middle of a sentence: "phiên", "hồ sơ".
    pub noun_vi: &'static str,
    /// As at the start of a sentence: "A fair", "A placement".
    pub noun_en: &'static str,
    /// Said of a final state, e.g. " (chỉ có thể đính chính kèm lý do)"; may be empty.
    pub final_hint_vi: &'static str,
}

/// The error for a move that a life cycle does not allow: both states by their Vietnamese
/// labels and the moves that are possible, or that the state is final.
pub(crate) fn refused_move<S: CodeEnum>(cycle: &LifeCycle, from: S, to: S, allowed: &[S]) -> ValidationError {
    let codes: Vec<&str> = allowed.iter().map(|s| s.code()).collect();
    let labels: Vec<&str> = allowed.iter().map(|s| s.label_vi()).collect();
    let message_vi = if allowed.is_empty() {
        let mut noun = cycle.noun_vi.chars();
        let capitalised: String = noun.next().map(|c| c.to_uppercase().chain(noun).collect()).unwrap_or_default();
        format!(
            "{capitalised} đang ở trạng thái \"{}\", không thể chuyển tiếp{}.",
            from.label_vi(),
            cycle.final_hint_vi
        )
    } else {
        format!(
            "Không thể chuyển {} từ \"{}\" sang \"{}\"; chỉ có thể chuyển sang: {}.",
            cycle.noun_vi,
            from.label_vi(),
            to.label_vi(),
            labels.join(", ")
        )
    };
    let allowed_en = if codes.is_empty() { "none".to_owned() } else { codes.join(", ") };
    ValidationError::new(
        cycle.field,
        cycle.code,
        message_vi,
        format!("{} cannot move from {} to {}; allowed: {allowed_en}.", cycle.noun_en, from.code(), to.code()),
    )
}

code_enum!(
    /// Hình thức làm việc.
    EmploymentType, "employment_type" {
        FullTime => "full_time", "Toàn thời gian";
        PartTime => "part_time", "Bán thời gian";
        Seasonal => "seasonal", "Thời vụ";
        Internship => "internship", "Thực tập";
    }
);

code_enum!(
    /// Overseas work programmes (DOMAIN.md §6–8).
    OverseasProgramme, "programme" {
        /// Japan Technical Intern Training Program (thực tập sinh kỹ năng).
        Titp => "titp", "Thực tập sinh kỹ năng Nhật Bản (TITP)";
        /// Japan Specified Skilled Worker (kỹ năng đặc định).
        Ssw => "ssw", "Kỹ năng đặc định Nhật Bản (SSW)";
        /// Japan Employment for Skill Development, replacing TITP from 2027.
        Esd => "esd", "Chương trình dục thành lao động Nhật Bản (ESD)";
        /// Korea Employment Permit System (E-9), via COLAB only.
        Eps => "eps", "Chương trình EPS Hàn Quốc";
        /// Korea seasonal work (E-8), local government to local government.
        SeasonalE8 => "seasonal_e8", "Lao động thời vụ Hàn Quốc (E-8)";
        TaiwanContract => "taiwan_contract", "Hợp đồng lao động Đài Loan";
        Other => "other", "Chương trình khác";
    }
);

code_enum!(
    VacancyStatus, "vacancy_status" {
        Draft => "draft", "Bản nháp";
        Open => "open", "Đang tuyển";
        Closed => "closed", "Đã đóng";
    }
);

code_enum!(
    /// Nhóm ưu tiên — priority groups for support policies (DOMAIN.md §2.3, §5.10). Sensitive.
    PriorityGroup, "priority_group" {
        PoorHousehold => "poor_household", "Hộ nghèo";
        NearPoorHousehold => "near_poor_household", "Hộ cận nghèo";
        Disability => "disability", "Người khuyết tật";
        EthnicMinority => "ethnic_minority", "Người dân tộc thiểu số";
        DemobilisedSoldier => "demobilised_soldier", "Bộ đội, công an xuất ngũ";
        Returnee => "returnee", "Người lao động về nước";
        LandRecovered => "land_recovered", "Hộ bị thu hồi đất nông nghiệp";
        PersonWithMeritRelative => "merit_relative", "Thân nhân người có công";
    }
);

code_enum!(
    /// Purposes a worker consents to (Law 91/2025 on personal-data protection): each separately.
    ConsentPurpose, "consent_purpose" {
        /// Keep the profile and use it for job matching by staff.
        Matching => "matching", "Dùng hồ sơ để giới thiệu việc làm";
        /// Show the profile (without identity numbers) to domestic employers.
        ShareWithEmployers => "share_with_employers", "Chia sẻ hồ sơ với nhà tuyển dụng";
        /// Share with licensed overseas placement enterprises.
        ShareWithPlacementEnterprises => "share_with_placement_enterprises", "Chia sẻ hồ sơ với doanh nghiệp đưa người lao động đi làm việc ở nước ngoài";
        /// Transfer to a foreign partner (cross-border transfer).
        ShareWithForeignPartners => "share_with_foreign_partners", "Chuyển hồ sơ cho đối tác nước ngoài";
    }
);

code_enum!(
    /// Hình thức tổ chức phiên giao dịch việc làm.
    FairFormat, "fair_format" {
        Onsite => "onsite", "Trực tiếp";
        Online => "online", "Trực tuyến";
        Hybrid => "hybrid", "Kết hợp trực tiếp và trực tuyến";
        Mobile => "mobile", "Lưu động";
    }
);

code_enum!(
    /// Fair life cycle (DOMAIN.md R-JF-2); transitions are enforced by the fairs feature.
    FairStatus, "fair_status" {
        Draft => "draft", "Bản nháp";
        Planned => "planned", "Đã lên kế hoạch";
        Announced => "announced", "Đã thông báo";
        RegistrationOpen => "registration_open", "Đang nhận đăng ký";
        InProgress => "in_progress", "Đang diễn ra";
        Closed => "closed", "Đã kết thúc";
        ResultsEntered => "results_entered", "Đã nhập kết quả";
        Reported => "reported", "Đã báo cáo";
        Cancelled => "cancelled", "Đã hủy";
    }
);

code_enum!(
    /// Overseas placement pipeline (DOMAIN.md R-OV-S1); the legal moves and their guards are in
    /// [`crate::overseas`]. `returned` is the code of older rows, before the reason of a return
    /// was recorded: it can still be classified, but no move leads to it any more.
    OverseasStage, "overseas_stage" {
        Lead => "lead", "Đăng ký quan tâm";
        Counselled => "counselled", "Đã tư vấn";
        SourcePrep => "source_prep", "Chuẩn bị nguồn";
        Applied => "applied", "Đã nộp hồ sơ đơn hàng";
        Prescreened => "prescreened", "Đã sơ tuyển";
        Selected => "selected", "Trúng tuyển";
        Training => "training", "Đang đào tạo";
        OrientationDone => "orientation_done", "Đã hoàn thành giáo dục định hướng";
        MedicalOk => "medical_ok", "Đạt khám sức khỏe";
        ContractSigned => "contract_signed", "Đã ký hợp đồng";
        FeesSettled => "fees_settled", "Đã nộp các khoản chi phí";
        FundPaid => "fund_paid", "Đã đóng Quỹ Hỗ trợ việc làm ngoài nước";
        DocsReady => "docs_ready", "Đủ giấy tờ xuất cảnh";
        Departed => "departed", "Đã xuất cảnh";
        WorkingAbroad => "working_abroad", "Đang làm việc ở nước ngoài";
        Extended => "extended", "Đã gia hạn hợp đồng";
        ReturnedOnTime => "returned_on_time", "Về nước đúng hạn";
        ReturnedEarly => "returned_early", "Về nước trước hạn";
        Absconded => "absconded", "Bỏ trốn, cư trú bất hợp pháp";
        Deceased => "deceased", "Tử vong";
        Missing => "missing", "Mất tích";
        Liquidated => "liquidated", "Đã thanh lý hợp đồng";
        Reintegration => "reintegration", "Hỗ trợ tái hòa nhập";
        Returned => "returned", "Đã về nước";
        Withdrawn => "withdrawn", "Người lao động rút hồ sơ";
        Rejected => "rejected", "Không trúng tuyển";
        EnterpriseFailed180d => "enterprise_failed_180d", "Doanh nghiệp không đưa đi được trong thời hạn";
        ForceMajeureCancelled => "force_majeure_cancelled", "Hủy do bất khả kháng";
    }
);

/// Normalised text (NFC, whitespace collapsed) that is present and at most `max_chars`
/// characters long.
fn checked_text<'a>(field: &'static str, text: Cow<'a, str>, max_chars: usize) -> Result<Cow<'a, str>, ValidationError> {
    if text.is_empty() {
        return Err(ValidationError::new(
            field,
            "text.empty",
            "Trường này không được để trống.",
            "This field must not be empty.",
        ));
    }
    // Counting characters is needed only when the bytes could exceed the limit.
    if text.len() > max_chars {
        let chars = text.chars().count();
        if chars > max_chars {
            return Err(ValidationError::new(
                field,
                "text.too_long",
                format!("Nội dung dài {chars} ký tự, tối đa {max_chars} ký tự."),
                format!("Text is {chars} characters long; at most {max_chars} allowed."),
            ));
        }
    }
    Ok(text)
}

/// Normalises every free-text field of a record in place and checks it is present and bounded.
/// Text that is normal already is left where it is (no copy).
pub fn clean_text(field: &'static str, value: &mut String, max_chars: usize) -> Result<(), ValidationError> {
    if let Cow::Owned(normalised) = checked_text(field, normalize_cow(value), max_chars)? {
        *value = normalised;
    }
    Ok(())
}

pub(crate) fn clean_optional(
    field: &'static str,
    value: &mut Option<String>,
    max_chars: usize,
) -> Result<(), ValidationError> {
    if let Some(mut text) = value.take() {
        if let Cow::Owned(normalised) = normalize_cow(&text) {
            text = normalised;
        }
        if !text.is_empty() {
            clean_text(field, &mut text, max_chars)?;
            *value = Some(text);
        }
    }
    Ok(())
}

code_enum!(
    /// Status of a licence to send workers abroad (DOMAIN.md R-OV-A1).
    LicenceStatus, "licence_status" {
        Valid => "valid", "Còn hiệu lực";
        Suspended => "suspended", "Bị đình chỉ";
        Revoked => "revoked", "Bị thu hồi";
        /// Handed back by the enterprise.
        Returned => "returned", "Đã nộp lại";
    }
);

impl LicenceStatus {
    /// Rows written before licences had a status held valid ones.
    fn valid() -> Self {
        Self::Valid
    }
}

/// A branch the enterprise has assigned to the placement service (R-OV-A1; each such branch
/// adds to the enterprise's deposit).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LicenceBranch {
    pub name: String,
    pub province_code: ProvinceCode,
    pub address: Option<String>,
}

/// A licence to send workers abroad (giấy phép hoạt động dịch vụ đưa người lao động đi làm
/// việc ở nước ngoài), issued by the ministry (DOLAB).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacementLicence {
    pub number: String,
    pub issued_on: NaiveDate,
    /// `None` when the licence has no end date.
    pub valid_until: Option<NaiveDate>,
    #[serde(default = "LicenceStatus::valid")]
    pub status: LicenceStatus,
    #[serde(default)]
    pub branches: Vec<LicenceBranch>,
}

impl PlacementLicence {
    /// A licence in force, without branches.
    pub fn new(number: &str, issued_on: NaiveDate, valid_until: Option<NaiveDate>) -> Result<Self, ValidationError> {
        let mut licence = Self {
            number: number.to_owned(),
            issued_on,
            valid_until,
            status: LicenceStatus::Valid,
            branches: Vec::new(),
        };
        licence.validate()?;
        Ok(licence)
    }

    /// Normalises the number and branch texts, checks the dates and that branch provinces
    /// exist; a branch listed twice is kept once.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("licence.number", &mut self.number, 50)?;
        if self.valid_until.is_some_and(|until| until < self.issued_on) {
            return Err(ValidationError::new(
                "licence.valid_until",
                "licence.dates",
                "Ngày hết hiệu lực của giấy phép phải sau ngày cấp.",
                "A licence cannot expire before it was issued.",
            ));
        }
        let mut branches: Vec<LicenceBranch> = Vec::with_capacity(self.branches.len());
        for mut branch in std::mem::take(&mut self.branches) {
            clean_text("licence.branches.name", &mut branch.name, 300)?;
            clean_optional("licence.branches.address", &mut branch.address, 500)?;
            AdminCatalog::embedded()
                .require_province(&branch.province_code)
                .map_err(|e| e.for_field("licence.branches.province_code"))?;
            if !branches.contains(&branch) {
                branches.push(branch);
            }
        }
        if branches.len() > 100 {
            return Err(ValidationError::new(
                "licence.branches",
                "licence.branches",
                "Tối đa 100 chi nhánh.",
                "At most 100 branches.",
            ));
        }
        self.branches = branches;
        Ok(())
    }

    /// Whether the enterprise may place workers on `date`: the licence is in force (not
    /// suspended, revoked or handed back) and the day is within its dates; else why not.
    pub fn check_valid_on(&self, date: NaiveDate) -> Result<(), ValidationError> {
        let number = &self.number;
        let refused = |code: &'static str, vi: String, en: String| Err(ValidationError::new("licence", code, vi, en));
        match self.status {
            LicenceStatus::Valid => {}
            LicenceStatus::Suspended => {
                return refused(
                    "licence.suspended",
                    format!("Giấy phép số {number} đang bị đình chỉ."),
                    format!("Licence {number} is suspended."),
                );
            }
            LicenceStatus::Revoked => {
                return refused(
                    "licence.revoked",
                    format!("Giấy phép số {number} đã bị thu hồi."),
                    format!("Licence {number} has been revoked."),
                );
            }
            LicenceStatus::Returned => {
                return refused(
                    "licence.returned",
                    format!("Giấy phép số {number} đã được doanh nghiệp nộp lại."),
                    format!("Licence {number} has been handed back."),
                );
            }
        }
        if date < self.issued_on {
            return refused(
                "licence.not_yet_valid",
                format!("Giấy phép số {number} chỉ có hiệu lực từ ngày {}.", self.issued_on.format("%d/%m/%Y")),
                format!("Licence {number} is valid only from {}.", self.issued_on),
            );
        }
        if let Some(until) = self.valid_until
            && date > until
        {
            return refused(
                "licence.expired",
                format!(
                    "Giấy phép số {number} đã hết hiệu lực (có hiệu lực đến hết ngày {}).",
                    until.format("%d/%m/%Y")
                ),
                format!("Licence {number} expired after {until}."),
            );
        }
        Ok(())
    }

    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.check_valid_on(date).is_ok()
    }
}

/// Domestic employers recruit for themselves; placement enterprises hold a licence and post
/// overseas job orders.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EmployerKind {
    Domestic,
    PlacementEnterprise { licence: PlacementLicence },
}

impl EmployerKind {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domestic => "domestic",
            Self::PlacementEnterprise { .. } => "placement_enterprise",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Employer {
    pub id: EmployerId,
    pub name: String,
    pub kind: EmployerKind,
    pub tax_code: Option<TaxCode>,
    pub province_code: ProvinceCode,
    pub commune_code: Option<CommuneCode>,
    pub address: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
}

impl Employer {
    /// Normalises text and checks that the places exist and belong together.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("employer.name", &mut self.name, 300)?;
        clean_optional("employer.address", &mut self.address, 500)?;
        clean_optional("employer.email", &mut self.email, 200)?;
        let admin = AdminCatalog::embedded();
        admin.require_province(&self.province_code).map_err(|e| e.for_field("employer.province_code"))?;
        if let Some(commune) = &self.commune_code {
            let found = admin.require_commune(commune).map_err(|e| e.for_field("employer.commune_code"))?;
            if found.province_code != self.province_code {
                return Err(commune_outside_province("employer.commune_code", commune, &self.province_code));
            }
        }
        if let EmployerKind::PlacementEnterprise { licence } = &mut self.kind {
            licence.validate().map_err(|e| {
                let field = format!("employer.{}", e.field);
                e.for_field(field)
            })?;
        }
        if matches!(self.kind, EmployerKind::PlacementEnterprise { .. }) && self.tax_code.is_none() {
            return Err(ValidationError::new(
                "employer.tax_code",
                "employer.tax_code_required",
                "Doanh nghiệp dịch vụ đưa người lao động đi làm việc ở nước ngoài phải có mã số thuế.",
                "A licensed placement enterprise must have a tax code.",
            ));
        }
        Ok(())
    }
}

fn commune_outside_province(field: &'static str, commune: &CommuneCode, province: &ProvinceCode) -> ValidationError {
    ValidationError::new(
        field,
        "commune_code.province_mismatch",
        format!("Xã/phường mã {commune} không thuộc tỉnh/thành phố mã {province}."),
        format!("Commune {commune} is not in province {province}."),
    )
}

/// One requirement of a vacancy. Structured kinds can be checked by the matching engine;
/// `Text` keeps what an employer wrote that fits no structure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Requirement {
    Qualification(Qualification),
    GeneralEducation(GeneralEducation),
    Language(LanguageCertificate),
    ExperienceMonths(u16),
    Skill(String),
    Text(String),
}

impl Requirement {
    /// As a line on a vacancy page: "Trình độ: Sơ cấp", "Kinh nghiệm: 12 tháng".
    pub fn label_vi(&self) -> String {
        match self {
            Self::Qualification(q) => format!("Trình độ chuyên môn: {}", q.label_vi()),
            Self::GeneralEducation(g) => format!("Học vấn: {}", g.label_vi()),
            Self::Language(l) => format!("Ngoại ngữ: {}", l.label_vi()),
            Self::ExperienceMonths(months) => format!("Kinh nghiệm: {months} tháng"),
            Self::Skill(skill) => format!("Kỹ năng: {skill}"),
            Self::Text(text) => text.clone(),
        }
    }
}

/// Requirements split as ads split them: "Yêu cầu" (must) and "Ưu tiên" (nice to have).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requirements {
    pub must_have: Vec<Requirement>,
    pub nice_to_have: Vec<Requirement>,
}

/// Where the job is: a commune at home, or a country and programme abroad.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Workplace {
    Domestic { commune_code: CommuneCode },
    Overseas { country: CountryCode, programme: OverseasProgramme, contract_months: Option<u16> },
}

impl Workplace {
    pub fn is_overseas(&self) -> bool {
        matches!(self, Self::Overseas { .. })
    }
}

/// A domestic opening or an overseas job order (đơn hàng).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vacancy {
    pub id: VacancyId,
    pub employer_id: EmployerId,
    pub title: String,
    /// Full text as posted: duties, requirements, benefits in the usual sections.
    pub description: String,
    pub occupation: IscoCode,
    pub employment_type: EmploymentType,
    #[cfg_attr(feature = "openapi", schema(value_type = u32, minimum = 1))]
    pub quantity: NonZeroU32,
    pub salary: SalaryRange,
    /// The wage as the employer wrote it ("8 - 12 triệu", "Thỏa thuận"), kept verbatim.
    pub salary_text: String,
    pub workplace: Workplace,
    pub requirements: Requirements,
    /// Hạn nộp hồ sơ — last day to apply, a Vietnamese calendar date.
    pub deadline: Option<NaiveDate>,
    pub fair_id: Option<JobFairId>,
    pub status: VacancyStatus,
    pub posted_at: DateTime<Utc>,
}

impl Vacancy {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("vacancy.title", &mut self.title, 200)?;
        clean_text("vacancy.description", &mut self.description, 20_000)?;
        clean_text("vacancy.salary_text", &mut self.salary_text, 200)?;
        OccupationCatalog::embedded().require(&self.occupation).map_err(|e| e.for_field("vacancy.occupation"))?;
        match &self.workplace {
            Workplace::Domestic { commune_code } => {
                AdminCatalog::embedded()
                    .require_commune(commune_code)
                    .map_err(|e| e.for_field("vacancy.workplace.commune_code"))?;
            }
            Workplace::Overseas { country, .. } => {
                require_country(country).map_err(|e| e.for_field("vacancy.workplace.country"))?;
                if country.as_str() == CountryCode::VIETNAM {
                    return Err(ValidationError::new(
                        "vacancy.workplace.country",
                        "vacancy.overseas_in_vietnam",
                        "Đơn hàng đi làm việc ở nước ngoài không thể có nơi làm việc tại Việt Nam.",
                        "An overseas job order cannot be located in Vietnam.",
                    ));
                }
            }
        }
        for requirement in self.requirements.must_have.iter_mut().chain(self.requirements.nice_to_have.iter_mut()) {
            if let Requirement::Skill(text) | Requirement::Text(text) = requirement {
                clean_text("vacancy.requirements", text, 500)?;
            }
        }
        Ok(())
    }

    /// The province of a domestic workplace (overseas job orders have none).
    pub fn workplace_province(&self) -> Option<ProvinceCode> {
        match &self.workplace {
            Workplace::Domestic { commune_code } => {
                AdminCatalog::embedded().commune(commune_code).map(|c| c.province_code.clone())
            }
            Workplace::Overseas { .. } => None,
        }
    }
}

/// A past job as the worker tells it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PastJob {
    pub occupation: Option<IscoCode>,
    pub title: String,
    pub employer: Option<String>,
    pub months: u16,
}

/// What the worker is looking for. Every field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DesiredWork {
    pub occupation: Option<IscoCode>,
    pub title: Option<String>,
    /// Lowest acceptable monthly income in VND.
    pub min_monthly_vnd: Option<i64>,
    pub employment_type: Option<EmploymentType>,
    pub willing_abroad: bool,
    pub countries: Vec<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "from", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Availability {
    Immediately,
    From(NaiveDate),
    NotLooking,
}

/// A consent given for one purpose; withdrawn consents are kept with their withdrawal date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub purpose: ConsentPurpose,
    pub granted_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A job seeker's profile. CCCD, phone, ethnicity and priority groups are sensitive personal
/// data: masked in `Debug`, never put in search indexes, shown only to authorised staff.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerProfile {
    pub id: WorkerId,
    pub full_name: String,
    pub sex: Sex,
    pub date_of_birth: DateOfBirth,
    pub cccd: Option<Cccd>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
    pub ethnicity: Option<String>,
    pub residence_commune: CommuneCode,
    /// The address as the worker wrote it, possibly pre-2025 ("xã X, huyện Y").
    pub address_as_written: Option<String>,
    pub general_education: GeneralEducation,
    pub qualification: Qualification,
    pub occupation_history: Vec<PastJob>,
    pub skills: Vec<String>,
    pub languages: Vec<LanguageCertificate>,
    /// Vocational certificates and diplomas (from classes here or entered by staff).
    #[serde(default)]
    pub certificates: Vec<crate::training::VocationalCertificate>,
    pub desired: DesiredWork,
    pub availability: Availability,
    pub priority_groups: BTreeSet<PriorityGroup>,
    pub consents: Vec<Consent>,
}

impl std::fmt::Debug for WorkerProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Identity and sensitive fields stay out of logs.
        f.debug_struct("WorkerProfile")
            .field("id", &self.id)
            .field("residence_commune", &self.residence_commune)
            .field("cccd", &self.cccd.as_ref().map(Cccd::masked))
            .field("phone", &self.phone.as_ref().map(PhoneNumber::masked))
            .finish_non_exhaustive()
    }
}

impl WorkerProfile {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("worker.full_name", &mut self.full_name, 150)?;
        clean_optional("worker.email", &mut self.email, 200)?;
        clean_optional("worker.ethnicity", &mut self.ethnicity, 50)?;
        clean_optional("worker.address_as_written", &mut self.address_as_written, 500)?;
        AdminCatalog::embedded()
            .require_commune(&self.residence_commune)
            .map_err(|e| e.for_field("worker.residence_commune"))?;
        if let Some(cccd) = &self.cccd {
            // The card encodes sex and birth year; a mismatch is a typing error in one of them.
            if cccd.birth_year() != chrono::Datelike::year(&self.date_of_birth.date()) || cccd.sex() != self.sex {
                return Err(ValidationError::new(
                    "worker.cccd",
                    "cccd.mismatch",
                    "Số CCCD không khớp với năm sinh hoặc giới tính đã khai.",
                    "The CCCD number does not match the declared birth year or sex.",
                ));
            }
        }
        for job in &mut self.occupation_history {
            clean_text("worker.occupation_history.title", &mut job.title, 200)?;
            clean_optional("worker.occupation_history.employer", &mut job.employer, 300)?;
        }
        for skill in &mut self.skills {
            clean_text("worker.skills", skill, 100)?;
        }
        for certificate in &mut self.certificates {
            certificate.validate()?;
        }
        clean_optional("worker.desired.title", &mut self.desired.title, 200)?;
        for country in &self.desired.countries {
            require_country(country).map_err(|e| e.for_field("worker.desired.countries"))?;
        }
        Ok(())
    }

    /// Whether the worker belongs to an ethnic minority (not Kinh): from the priority group when
    /// recorded, else from the ethnicity as written; `None` when neither says.
    pub fn ethnic_minority(&self) -> Option<bool> {
        if self.priority_groups.contains(&PriorityGroup::EthnicMinority) {
            Some(true)
        } else {
            self.ethnicity.as_deref().map(|e| crate::text::fold(e) != "kinh")
        }
    }

    /// Consent currently in force for a purpose.
    pub fn has_consent(&self, purpose: ConsentPurpose) -> bool {
        self.consents.iter().any(|c| c.purpose == purpose && c.withdrawn_at.is_none())
    }

    pub fn residence_province(&self) -> Option<ProvinceCode> {
        AdminCatalog::embedded().commune(&self.residence_commune).map(|c| c.province_code.clone())
    }
}

/// A job fair (phiên/sàn giao dịch việc làm), held in a commune.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobFair {
    pub id: JobFairId,
    /// Human reference such as "PGD-2026-0042".
    pub code: String,
    pub title: String,
    pub format: FairFormat,
    /// Organising agency, e.g. "Trung tâm Dịch vụ việc làm tỉnh Lạng Sơn".
    pub organiser: String,
    pub commune_code: CommuneCode,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: FairStatus,
}

impl JobFair {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("fair.code", &mut self.code, 40)?;
        clean_text("fair.title", &mut self.title, 300)?;
        clean_text("fair.organiser", &mut self.organiser, 300)?;
        clean_text("fair.venue", &mut self.venue, 300)?;
        AdminCatalog::embedded().require_commune(&self.commune_code).map_err(|e| e.for_field("fair.commune_code"))?;
        if self.ends_at <= self.starts_at {
            return Err(ValidationError::new(
                "fair.ends_at",
                "fair.dates",
                "Thời gian kết thúc phiên giao dịch phải sau thời gian bắt đầu.",
                "A fair must end after it starts.",
            ));
        }
        Ok(())
    }

    pub fn province_code(&self) -> Option<ProvinceCode> {
        AdminCatalog::embedded().commune(&self.commune_code).map(|c| c.province_code.clone())
    }
}

/// Who registered for a fair: a job seeker, or an employer taking a booth.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FairParticipant {
    Worker(WorkerId),
    Employer(EmployerId),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FairRegistration {
    pub id: FairRegistrationId,
    pub fair_id: JobFairId,
    pub participant: FairParticipant,
    pub registered_at: DateTime<Utc>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

/// A worker's registration for work abroad, optionally for a specific job order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverseasRegistration {
    pub id: OverseasRegistrationId,
    pub worker_id: WorkerId,
    pub job_order_id: Option<VacancyId>,
    pub country: CountryCode,
    pub programme: OverseasProgramme,
    pub stage: OverseasStage,
    pub registered_at: DateTime<Utc>,
    pub note: Option<String>,
}

impl OverseasRegistration {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        require_country(&self.country).map_err(|e| e.for_field("overseas.country"))?;
        clean_optional("overseas.note", &mut self.note, 2000)?;
        Ok(())
    }
}
