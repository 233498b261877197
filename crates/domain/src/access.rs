//! Who may do what: roles with their scope, and the rules for reading personal data.
//!
//! Least privilege (Law 91/2025 on personal-data protection, DOMAIN.md §10.3): a commune's staff
//! see that commune's workers, a province's staff that province's, an employer only the
//! candidates who consented to share with employers, a seeker only their own profile. Every
//! decision names its reason, which the audit log records.

use uuid::Uuid;

use crate::codes::{CommuneCode, ProvinceCode};
use crate::records::{ConsentPurpose, EmployerId, WorkerId, WorkerProfile};

/// The kinds of account (stored as these codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Seeker,
    Employer,
    CommuneStaff,
    ProvinceStaff,
    Admin,
}

impl RoleKind {
    pub const ALL: &'static [Self] = &[Self::Seeker, Self::Employer, Self::CommuneStaff, Self::ProvinceStaff, Self::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Self::Seeker => "seeker",
            Self::Employer => "employer",
            Self::CommuneStaff => "commune_staff",
            Self::ProvinceStaff => "province_staff",
            Self::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Seeker => "Người tìm việc",
            Self::Employer => "Doanh nghiệp",
            Self::CommuneStaff => "Cán bộ cấp xã",
            Self::ProvinceStaff => "Cán bộ cấp tỉnh",
            Self::Admin => "Quản trị viên",
        }
    }
}

/// A role with what it is scoped to. Invalid combinations (staff without a place, an employer
/// without an employer record) cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A job seeker; `worker` is set once they have registered a profile.
    Seeker { worker: Option<WorkerId> },
    /// A domestic employer or a licensed placement enterprise.
    Employer { employer: EmployerId, placement_enterprise: bool },
    CommuneStaff { commune: CommuneCode, province: ProvinceCode },
    ProvinceStaff { province: ProvinceCode },
    Admin,
}

impl Role {
    pub fn kind(&self) -> RoleKind {
        match self {
            Self::Seeker { .. } => RoleKind::Seeker,
            Self::Employer { .. } => RoleKind::Employer,
            Self::CommuneStaff { .. } => RoleKind::CommuneStaff,
            Self::ProvinceStaff { .. } => RoleKind::ProvinceStaff,
            Self::Admin => RoleKind::Admin,
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Self::CommuneStaff { .. } | Self::ProvinceStaff { .. } | Self::Admin)
    }

    /// Whether this role's area contains a commune (admins: everywhere; others: nowhere).
    pub fn covers(&self, commune: &CommuneCode, province: &ProvinceCode) -> bool {
        match self {
            Self::CommuneStaff { commune: own, .. } => own == commune,
            Self::ProvinceStaff { province: own } => own == province,
            Self::Admin => true,
            Self::Seeker { .. } | Self::Employer { .. } => false,
        }
    }

    /// The area a staff member works in; `None` for seekers and employers.
    pub fn staff_area(&self) -> Option<Area> {
        match self {
            Self::CommuneStaff { commune, .. } => Some(Area::Commune(commune.clone())),
            Self::ProvinceStaff { province } => Some(Area::Province(province.clone())),
            Self::Admin => Some(Area::Everywhere),
            Self::Seeker { .. } | Self::Employer { .. } => None,
        }
    }
}

/// The area a staff member's searches and lists are limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    Everywhere,
    Province(ProvinceCode),
    Commune(CommuneCode),
}

/// Someone acting: an account and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Uuid,
    pub role: Role,
}

/// Why reading a worker's personal data is allowed (recorded in the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessBasis {
    OwnProfile,
    StaffOfArea,
    EmployerWithConsent,
    PlacementEnterpriseWithConsent,
}

impl AccessBasis {
    pub fn code(self) -> &'static str {
        match self {
            Self::OwnProfile => "own_profile",
            Self::StaffOfArea => "staff_of_area",
            Self::EmployerWithConsent => "employer_with_consent",
            Self::PlacementEnterpriseWithConsent => "placement_enterprise_with_consent",
        }
    }
}

/// Why it is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccessDenied {
    #[error("Hồ sơ này thuộc địa bàn khác; bạn chỉ xem được người lao động trong địa bàn được giao.")]
    OutsideArea,
    #[error("Người lao động chưa đồng ý chia sẻ hồ sơ với doanh nghiệp.")]
    NoConsent,
    #[error("Bạn không có quyền xem hồ sơ người lao động.")]
    NotAllowed,
}

impl AccessDenied {
    pub fn code(self) -> &'static str {
        match self {
            Self::OutsideArea => "OUTSIDE_SCOPE",
            Self::NoConsent => "NO_CONSENT",
            Self::NotAllowed => "FORBIDDEN",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            Self::OutsideArea => "This profile belongs to another area; you may only see workers in your assigned area.",
            Self::NoConsent => "The worker has not consented to share their profile with employers.",
            Self::NotAllowed => "You may not see worker profiles.",
        }
    }
}

/// May `actor` read `worker`'s profile (personal data included)?
pub fn may_read_worker(actor: &Actor, worker: &WorkerProfile) -> Result<AccessBasis, AccessDenied> {
    match &actor.role {
        Role::Seeker { worker: Some(own) } if *own == worker.id => Ok(AccessBasis::OwnProfile),
        Role::Seeker { .. } => Err(AccessDenied::NotAllowed),
        Role::Employer { placement_enterprise, .. } => {
            let (purpose, basis) = if *placement_enterprise {
                (ConsentPurpose::ShareWithPlacementEnterprises, AccessBasis::PlacementEnterpriseWithConsent)
            } else {
                (ConsentPurpose::ShareWithEmployers, AccessBasis::EmployerWithConsent)
            };
            if worker.has_consent(purpose) { Ok(basis) } else { Err(AccessDenied::NoConsent) }
        }
        role => {
            let province = worker.residence_province().ok_or(AccessDenied::OutsideArea)?;
            if role.covers(&worker.residence_commune, &province) { Ok(AccessBasis::StaffOfArea) } else { Err(AccessDenied::OutsideArea) }
        }
    }
}

/// May `actor` change `worker`'s profile? The owner, and staff of the worker's area.
pub fn may_edit_worker(actor: &Actor, worker: &WorkerProfile) -> Result<AccessBasis, AccessDenied> {
    match may_read_worker(actor, worker)? {
        basis @ (AccessBasis::OwnProfile | AccessBasis::StaffOfArea) => Ok(basis),
        AccessBasis::EmployerWithConsent | AccessBasis::PlacementEnterpriseWithConsent => Err(AccessDenied::NotAllowed),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn staff(role: Role) -> Actor {
        Actor { account_id: Uuid::nil(), role }
    }

    fn worker_in(commune: &str) -> WorkerProfile {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        WorkerProfile {
            id: WorkerId(Uuid::from_u128(1)),
            full_name: "Nguyễn Văn An".into(),
            sex: crate::Sex::Male,
            date_of_birth: crate::DateOfBirth::new(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), today).unwrap(),
            cccd: None,
            phone: None,
            email: None,
            ethnicity: None,
            residence_commune: CommuneCode::parse(commune).unwrap(),
            address_as_written: None,
            general_education: crate::GeneralEducation::UpperSecondary,
            qualification: crate::Qualification::NoQualification,
            occupation_history: Vec::new(),
            skills: Vec::new(),
            languages: Vec::new(),
            certificates: Vec::new(),
            desired: crate::records::DesiredWork::default(),
            availability: crate::records::Availability::Immediately,
            priority_groups: std::collections::BTreeSet::new(),
            consents: Vec::new(),
        }
    }

    #[test]
    fn staff_see_their_area_only() {
        let worker = worker_in("00004"); // Phường Ba Đình, Hà Nội (01)
        let ba_dinh = CommuneCode::parse("00004").unwrap();
        let hanoi = ProvinceCode::parse("01").unwrap();
        let commune_staff = staff(Role::CommuneStaff { commune: ba_dinh, province: hanoi.clone() });
        assert_eq!(may_read_worker(&commune_staff, &worker), Ok(AccessBasis::StaffOfArea));
        let other_commune = staff(Role::CommuneStaff { commune: CommuneCode::parse("00097").unwrap(), province: hanoi.clone() });
        assert_eq!(may_read_worker(&other_commune, &worker), Err(AccessDenied::OutsideArea));
        assert_eq!(may_read_worker(&staff(Role::ProvinceStaff { province: hanoi }), &worker), Ok(AccessBasis::StaffOfArea));
        let other_province = staff(Role::ProvinceStaff { province: ProvinceCode::parse("79").unwrap() });
        assert_eq!(may_read_worker(&other_province, &worker), Err(AccessDenied::OutsideArea));
        assert_eq!(may_read_worker(&staff(Role::Admin), &worker), Ok(AccessBasis::StaffOfArea));
    }

    #[test]
    fn employers_need_consent_and_seekers_see_only_themselves() {
        let mut worker = worker_in("00004");
        let employer = staff(Role::Employer { employer: EmployerId(Uuid::nil()), placement_enterprise: false });
        assert_eq!(may_read_worker(&employer, &worker), Err(AccessDenied::NoConsent));
        worker.consents.push(crate::records::Consent {
            purpose: ConsentPurpose::ShareWithEmployers,
            granted_at: chrono::Utc::now(),
            withdrawn_at: None,
        });
        assert_eq!(may_read_worker(&employer, &worker), Ok(AccessBasis::EmployerWithConsent));
        assert_eq!(may_edit_worker(&employer, &worker), Err(AccessDenied::NotAllowed));
        let enterprise = staff(Role::Employer { employer: EmployerId(Uuid::nil()), placement_enterprise: true });
        assert_eq!(may_read_worker(&enterprise, &worker), Err(AccessDenied::NoConsent), "consent is per purpose");
        worker.consents[0].withdrawn_at = Some(chrono::Utc::now());
        assert_eq!(may_read_worker(&employer, &worker), Err(AccessDenied::NoConsent), "withdrawn consent no longer counts");

        let owner = staff(Role::Seeker { worker: Some(worker.id) });
        assert_eq!(may_edit_worker(&owner, &worker), Ok(AccessBasis::OwnProfile));
        let someone_else = staff(Role::Seeker { worker: Some(WorkerId(Uuid::from_u128(9))) });
        assert_eq!(may_read_worker(&someone_else, &worker), Err(AccessDenied::NotAllowed));
    }
}
