//! Job fairs (phiên / sàn giao dịch việc làm, DOMAIN.md §3.5): the life cycle and its legal
//! transitions, booths, seekers' places (confirmed or on the waiting list), tickets, what
//! happens at the booths and the 30/90-day follow-up. Pure: the store enforces these under
//! concurrency, the API exposes them.

use crate::error::ValidationError;
use crate::records::FairStatus;

code_enum!(
    /// Kind of fair (R-JF-1).
    FairKind, "fair_kind" {
        Periodic => "periodic", "Định kỳ";
        Mobile => "mobile", "Lưu động";
        Thematic => "thematic", "Chuyên đề";
        Online => "online", "Trực tuyến";
        Hybrid => "hybrid", "Kết hợp trực tiếp và trực tuyến";
        MultiProvince => "multi_province", "Liên kết nhiều tỉnh";
    }
);

code_enum!(
    /// An employer's booth request (R-JF-3).
    BoothStatus, "booth_status" {
        Requested => "requested", "Chờ duyệt";
        Approved => "approved", "Đã duyệt";
        Rejected => "rejected", "Từ chối";
        Withdrawn => "withdrawn", "Đã rút";
    }
);

code_enum!(
    /// A seeker's place at a fair.
    PlaceStatus, "place_status" {
        Confirmed => "confirmed", "Đã xác nhận";
        Waiting => "waiting", "Danh sách chờ";
        Cancelled => "cancelled", "Đã hủy";
    }
);

code_enum!(
    /// What happened between a seeker and a booth (R-JF-5), each tied to a vacancy.
    InteractionKind, "interaction" {
        /// The seeker marked a vacancy of a booth as interesting (before or at the fair).
        Interested => "interested", "Quan tâm";
        Counselled => "counselled", "Được tư vấn";
        Interviewed => "interviewed", "Đã phỏng vấn";
        Passed => "passed", "Đạt yêu cầu";
        HiredOnSpot => "hired_on_spot", "Tuyển dụng tại phiên";
        CvTaken => "cv_taken", "Nhận hồ sơ";
        AppointmentSet => "appointment_set", "Hẹn phỏng vấn sau";
        TrainingSignup => "training_signup", "Đăng ký học nghề";
        OverseasSignup => "overseas_signup", "Đăng ký đi làm việc ở nước ngoài";
    }
);

code_enum!(
    /// What a 30- or 90-day check found about someone hired at a fair.
    FollowUpStatus, "follow_up_status" {
        Started => "started", "Đã đi làm";
        StillEmployed => "still_employed", "Vẫn đang làm việc";
        NotStarted => "not_started", "Chưa đi làm";
        Left => "left", "Đã nghỉ việc";
        Unreachable => "unreachable", "Không liên lạc được";
    }
);

const FAIR_LIFE_CYCLE: crate::records::LifeCycle = crate::records::LifeCycle {
    field: "status",
    code: "fair.transition",
    noun_vi: "phiên",
    noun_en: "A fair",
    final_hint_vi: " (chỉ có thể đính chính kèm lý do)",
};

/// The days after the fair at which hires are followed up.
pub const FOLLOW_UP_DAYS: [u16; 2] = [30, 90];

impl FairStatus {
    /// The states this one may move to (R-JF-2): forward one step (draft may skip `planned`),
    /// or `cancelled` from any state before `in_progress`. `reported` is final: corrections are
    /// amendments with a reason, not transitions.
    pub fn next_states(self) -> &'static [FairStatus] {
        use FairStatus::*;
        match self {
            Draft => &[Planned, Announced, Cancelled],
            Planned => &[Announced, Cancelled],
            Announced => &[RegistrationOpen, Cancelled],
            RegistrationOpen => &[InProgress, Cancelled],
            InProgress => &[Closed],
            Closed => &[ResultsEntered],
            ResultsEntered => &[Reported],
            Reported | Cancelled => &[],
        }
    }

    /// `to` if the life cycle allows it, else an error saying which moves are possible.
    pub fn transition(self, to: FairStatus) -> Result<FairStatus, ValidationError> {
        if self.next_states().contains(&to) {
            return Ok(to);
        }
        Err(crate::records::refused_move(&FAIR_LIFE_CYCLE, self, to, self.next_states()))
    }

    /// Seekers may register (online pre-registration) or be registered as walk-ins.
    pub fn accepts_registrations(self) -> bool {
        matches!(self, FairStatus::RegistrationOpen | FairStatus::InProgress)
    }

    /// Employers may ask for a booth.
    pub fn accepts_booths(self) -> bool {
        matches!(self, FairStatus::Planned | FairStatus::Announced | FairStatus::RegistrationOpen)
    }

    /// Tickets are scanned and outcomes recorded while the fair runs; outcomes may be entered
    /// until the results are complete.
    pub fn accepts_check_ins(self) -> bool {
        self == FairStatus::InProgress
    }

    pub fn accepts_outcomes(self) -> bool {
        matches!(self, FairStatus::InProgress | FairStatus::Closed)
    }

    /// Locked: changes only as amendments with a reason.
    pub fn is_locked(self) -> bool {
        self == FairStatus::Reported
    }

    /// Shown to the public (announced and later, but not drafts or cancelled ones).
    pub fn is_public(self) -> bool {
        !matches!(self, FairStatus::Draft | FairStatus::Planned | FairStatus::Cancelled)
    }
}

/// The opaque token a QR ticket carries: random, URL-safe, and nothing else (no name, no id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketToken(String);

impl TicketToken {
    /// 22–64 URL-safe base64 characters (the store issues 32: 192 random bits).
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let token = input.trim();
        let ok = (22..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(token.to_owned()))
        } else {
            Err(ValidationError::new("token", "ticket.format", "Mã vé không hợp lệ.", "The ticket code is not valid."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TicketToken {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TicketToken> for String {
    fn from(value: TicketToken) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_illegal_transition_is_refused_with_the_allowed_moves() {
        for from in FairStatus::ALL {
            for to in FairStatus::ALL {
                let result = from.transition(*to);
                assert_eq!(result.is_ok(), from.next_states().contains(to), "{from} → {to}");
                if let Err(error) = result {
                    assert_eq!(error.code, "fair.transition");
                    assert!(error.message_vi.contains(from.label_vi()), "{}", error.message_vi);
                }
            }
        }
        // Cancelled from any state before in progress, never after.
        for status in [FairStatus::Draft, FairStatus::Planned, FairStatus::Announced, FairStatus::RegistrationOpen] {
            assert!(status.transition(FairStatus::Cancelled).is_ok());
        }
        for status in [FairStatus::InProgress, FairStatus::Closed, FairStatus::ResultsEntered, FairStatus::Reported] {
            assert!(status.transition(FairStatus::Cancelled).is_err());
        }
        assert!(FairStatus::Reported.next_states().is_empty() && FairStatus::Reported.is_locked());
    }

    #[test]
    fn tickets_are_opaque_url_safe_tokens() {
        assert!(TicketToken::parse("abcDEF0123456789_-abcdef0123456").is_ok());
        assert!(TicketToken::parse("short").is_err());
        assert!(TicketToken::parse("has space in it 0123456789abcdef").is_err());
    }
}
