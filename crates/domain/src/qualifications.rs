//! What a worker has learnt: general schooling, professional/vocational qualification, and
//! foreign-language certificates that overseas programmes require (JLPT/JFT-Basic/NAT-TEST for
//! Japan, TOPIK/EPS-TOPIK for Korea).

use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::text::fold;

/// Folded (lower-case, no diacritics) with punctuation other than `/` turned into single spaces,
/// so "Trung học cơ sở (THCS)", "trung hoc co so - thcs" and "TRUNG HỌC CƠ SỞ THCS" compare equal.
fn match_key(input: &str) -> String {
    let spaced: String =
        fold(input).chars().map(|c| if c.is_ascii_alphanumeric() || c == '/' { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Implements `Display` (the code), `FromStr` and the string conversions serde uses for a
/// code enum with `code()` and `parse()`.
macro_rules! code_enum_impls {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
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
    };
}

/// Japanese-Language Proficiency Test level; ordered by proficiency, so `N1 > N5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum JlptLevel {
    N5,
    N4,
    N3,
    N2,
    N1,
}

impl JlptLevel {
    /// Ascending proficiency.
    pub const ALL: &'static [Self] = &[Self::N5, Self::N4, Self::N3, Self::N2, Self::N1];

    pub fn code(self) -> &'static str {
        match self {
            Self::N5 => "N5",
            Self::N4 => "N4",
            Self::N3 => "N3",
            Self::N2 => "N2",
            Self::N1 => "N1",
        }
    }

    pub fn label_vi(self) -> &'static str {
        self.code()
    }

    /// The number in the level's name: N4 → 4.
    pub fn number(self) -> u8 {
        match self {
            Self::N5 => 5,
            Self::N4 => 4,
            Self::N3 => 3,
            Self::N2 => 2,
            Self::N1 => 1,
        }
    }

    fn from_number(number: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|level| level.number() == number)
    }

    /// Accepts "N4", "n4", "JLPT N4".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = match_key(input).replace(' ', "");
        let key = key.strip_prefix("jlpt").unwrap_or(&key);
        key.strip_prefix('n').and_then(|digits| digits.parse::<u8>().ok()).and_then(Self::from_number).ok_or_else(
            || {
                ValidationError::new(
                    "jlpt_level",
                    "jlpt_level.unknown",
                    format!("Cấp độ JLPT \"{input}\" không hợp lệ; chấp nhận: N5, N4, N3, N2, N1."),
                    format!("Unknown JLPT level \"{input}\"; expected N5, N4, N3, N2 or N1."),
                )
            },
        )
    }
}

code_enum_impls!(JlptLevel);

/// A language test result a worker holds.
///
/// Build values with [`LanguageCertificate::parse`]: the variants are public for matching, and
/// deserialisation re-validates through `parse`, so an out-of-range TOPIK level or EPS-TOPIK
/// score never enters from outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum LanguageCertificate {
    /// Japanese-Language Proficiency Test.
    Jlpt(JlptLevel),
    /// Japan Foundation Test for Basic Japanese; A2 is the pass mark for Specified Skilled Worker (i).
    JftBasic { passed_a2: bool },
    /// NAT-TEST; its levels 5Q–1Q correspond to N5–N1.
    NatTest(JlptLevel),
    /// Test of Proficiency in Korean, level 1–6 (TOPIK I: 1–2, TOPIK II: 3–6).
    Topik(u8),
    /// The Korean test of the Employment Permit System, scored out of 200.
    EpsTopik { score: u16 },
}

const EPS_TOPIK_MAX_SCORE: u16 = 200;

impl LanguageCertificate {
    /// Accepts the usual spellings: "JLPT N4", "N4", "NAT-TEST N4", "NAT 4Q", "JFT-Basic A2",
    /// "JFT Basic", "TOPIK 3", "TOPIK II cấp 4", "EPS-TOPIK 152", "EPS TOPIK: 152 điểm".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = match_key(input);
        let tokens: Vec<&str> = key.split(' ').filter(|t| !t.is_empty()).collect();
        let level_error = |why_vi: &str, why_en: &str| {
            ValidationError::new(
                "language_certificate",
                "language_certificate.level",
                format!("Chứng chỉ \"{input}\" có cấp độ hoặc điểm không hợp lệ: {why_vi}."),
                format!("Certificate \"{input}\" has an invalid level or score: {why_en}."),
            )
        };
        // A bare level ("N4") is how ads write JLPT.
        if let [only] = tokens.as_slice()
            && let Some(level) = jlpt_level(&[only], false)
        {
            return Ok(Self::Jlpt(level));
        }
        match tokens.as_slice() {
            ["eps", "topik", rest @ ..] | ["epstopik", rest @ ..] | ["eps", rest @ ..] => {
                let score = rest
                    .iter()
                    .filter(|t| !matches!(**t, "diem" | "score"))
                    .map(|t| t.strip_suffix("/200").unwrap_or(t))
                    .collect::<String>();
                match score.parse::<u16>() {
                    Ok(score) if score <= EPS_TOPIK_MAX_SCORE => Ok(Self::EpsTopik { score }),
                    _ => Err(level_error("điểm EPS-TOPIK là số từ 0 đến 200", "an EPS-TOPIK score is 0 to 200")),
                }
            }
            ["topik", rest @ ..] => {
                let (band, rest) = match rest {
                    ["i", rest @ ..] => (Some(1..=2), rest),
                    ["ii", rest @ ..] => (Some(3..=6), rest),
                    _ => (None, rest),
                };
                let level = rest
                    .iter()
                    .filter(|t| !matches!(**t, "cap" | "level" | "muc"))
                    .copied()
                    .collect::<String>()
                    .parse::<u8>()
                    .ok()
                    .filter(|level| (1..=6).contains(level));
                match (level, band) {
                    (Some(level), Some(band)) if !band.contains(&level) => Err(level_error(
                        "TOPIK I gồm cấp 1–2, TOPIK II gồm cấp 3–6",
                        "TOPIK I covers levels 1–2 and TOPIK II levels 3–6",
                    )),
                    (Some(level), _) => Ok(Self::Topik(level)),
                    (None, _) => Err(level_error("cấp TOPIK là số từ 1 đến 6", "a TOPIK level is 1 to 6")),
                }
            }
            ["jlpt", rest @ ..] => jlpt_level(rest, false)
                .map(Self::Jlpt)
                .ok_or_else(|| level_error("cấp JLPT là N5, N4, N3, N2 hoặc N1", "a JLPT level is N5 to N1")),
            ["nat", "test", rest @ ..] | ["nattest", rest @ ..] | ["nat", rest @ ..] => {
                jlpt_level(rest, true).map(Self::NatTest).ok_or_else(|| {
                    level_error("cấp NAT-TEST là 5Q đến 1Q (N5 đến N1)", "a NAT-TEST level is 5Q to 1Q (N5 to N1)")
                })
            }
            ["jft", "basic", rest @ ..] | ["jftbasic", rest @ ..] | ["jft", rest @ ..] => match rest {
                [] | ["a1"] => Ok(Self::JftBasic { passed_a2: false }),
                _ if rest.contains(&"a2") => Ok(Self::JftBasic { passed_a2: true }),
                _ => Err(level_error("kết quả JFT-Basic là A1 hoặc A2", "a JFT-Basic result is A1 or A2")),
            },
            _ => Err(ValidationError::new(
                "language_certificate",
                "language_certificate.unknown",
                format!(
                    "Không nhận ra chứng chỉ ngoại ngữ \"{input}\"; chấp nhận: JLPT N5–N1, JFT-Basic A2, NAT-TEST N5–N1, TOPIK 1–6, EPS-TOPIK (điểm)."
                ),
                format!(
                    "Unknown language certificate \"{input}\"; expected JLPT N5–N1, JFT-Basic A2, NAT-TEST N5–N1, TOPIK 1–6 or EPS-TOPIK (score)."
                ),
            )),
        }
    }

    /// Canonical form: "JLPT N4", "JFT-Basic A2" / "JFT-Basic", "NAT-TEST N4", "TOPIK 3", "EPS-TOPIK 152".
    pub fn code(&self) -> String {
        match self {
            Self::Jlpt(level) => format!("JLPT {level}"),
            Self::JftBasic { passed_a2: true } => "JFT-Basic A2".to_owned(),
            Self::JftBasic { passed_a2: false } => "JFT-Basic".to_owned(),
            Self::NatTest(level) => format!("NAT-TEST {level}"),
            Self::Topik(level) => format!("TOPIK {level}"),
            Self::EpsTopik { score } => format!("EPS-TOPIK {score}"),
        }
    }

    pub fn label_vi(&self) -> String {
        match self {
            Self::Jlpt(level) => format!("Tiếng Nhật JLPT {level}"),
            Self::JftBasic { passed_a2: true } => "Tiếng Nhật JFT-Basic (đạt A2)".to_owned(),
            Self::JftBasic { passed_a2: false } => "Tiếng Nhật JFT-Basic (chưa đạt A2)".to_owned(),
            Self::NatTest(level) => format!("Tiếng Nhật NAT-TEST {} (tương đương {level})", nat_test_grade(*level)),
            Self::Topik(level) => format!("Tiếng Hàn TOPIK cấp {level}"),
            Self::EpsTopik { score } => format!("Tiếng Hàn EPS-TOPIK {score} điểm"),
        }
    }

    /// The JLPT level this certificate is accepted as: JFT-Basic A2 counts as N4 (the Specified
    /// Skilled Worker bar), NAT-TEST levels map one to one.
    /// The language it certifies, in Vietnamese ("tiếng Nhật"), as language classes name it.
    pub fn language_vi(&self) -> &'static str {
        match self {
            Self::Jlpt(_) | Self::JftBasic { .. } | Self::NatTest(_) => "tiếng Nhật",
            Self::Topik(_) | Self::EpsTopik { .. } => "tiếng Hàn",
        }
    }

    pub fn japanese_level(&self) -> Option<JlptLevel> {
        match self {
            Self::Jlpt(level) | Self::NatTest(level) => Some(*level),
            Self::JftBasic { passed_a2: true } => Some(JlptLevel::N4),
            _ => None,
        }
    }

    /// The TOPIK level (1–6); EPS-TOPIK is a score, not a level, so it gives `None`.
    pub fn korean_topik_level(&self) -> Option<u8> {
        match self {
            Self::Topik(level) => Some(*level),
            _ => None,
        }
    }
}

/// "n4" (and for NAT-TEST also "4q" and "4") as a level.
fn jlpt_level(tokens: &[&str], nat_test: bool) -> Option<JlptLevel> {
    let joined: String = tokens.concat();
    let digits = match joined.strip_prefix('n') {
        Some(digits) => digits,
        None if nat_test => joined.strip_suffix('q').unwrap_or(&joined),
        None => return None,
    };
    if digits.len() != 1 {
        return None;
    }
    digits.parse::<u8>().ok().and_then(JlptLevel::from_number)
}

/// NAT-TEST grade names: N4 ↔ "4Q".
fn nat_test_grade(level: JlptLevel) -> String {
    format!("{}Q", level.number())
}

impl fmt::Display for LanguageCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl FromStr for LanguageCertificate {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for LanguageCertificate {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LanguageCertificate> for String {
    fn from(value: LanguageCertificate) -> Self {
        value.code()
    }
}

/// Highest general-school level completed (trình độ giáo dục phổ thông); ascending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum GeneralEducation {
    None,
    Primary,
    LowerSecondary,
    UpperSecondary,
}

impl GeneralEducation {
    pub const ALL: &'static [Self] = &[Self::None, Self::Primary, Self::LowerSecondary, Self::UpperSecondary];

    pub fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Primary => "primary",
            Self::LowerSecondary => "lower_secondary",
            Self::UpperSecondary => "upper_secondary",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::None => "Chưa qua đào tạo phổ thông",
            Self::Primary => "Tiểu học",
            Self::LowerSecondary => "Trung học cơ sở (THCS)",
            Self::UpperSecondary => "Trung học phổ thông (THPT)",
        }
    }

    /// Accepts the codes, the Vietnamese names with or without diacritics, "THCS"/"THPT",
    /// "cấp 1/2/3", an optional "tốt nghiệp"/"hết" in front, and the grade completed in the
    /// 12-year system: "lớp 9", "lớp 9/12", "12/12".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = match_key(input);
        let key =
            ["tot nghiep ", "hoc het ", "het "].iter().find_map(|prefix| key.strip_prefix(prefix)).unwrap_or(&key);
        let found = match key {
            "none" | "khong" | "chua di hoc" | "chua qua dao tao pho thong" => Some(Self::None),
            "primary" | "tieu hoc" | "cap 1" => Some(Self::Primary),
            "lower secondary" | "lower_secondary" | "thcs" | "trung hoc co so" | "trung hoc co so thcs" | "cap 2" => {
                Some(Self::LowerSecondary)
            }
            "upper secondary"
            | "upper_secondary"
            | "thpt"
            | "trung hoc pho thong"
            | "trung hoc pho thong thpt"
            | "cap 3" => Some(Self::UpperSecondary),
            other => Self::from_grade(other),
        };
        found.ok_or_else(|| {
            ValidationError::new(
                "general_education",
                "general_education.unknown",
                format!("Trình độ giáo dục phổ thông \"{input}\" không hợp lệ; ví dụ: Tiểu học, THCS, THPT, 12/12."),
                format!("Unknown general education level \"{input}\"; e.g. primary, lower_secondary, upper_secondary, 12/12."),
            )
        })
    }

    /// Grade completed out of 12: 12 → upper secondary, 9–11 → lower secondary, 5–8 → primary,
    /// 1–4 → none (primary school not finished).
    fn from_grade(key: &str) -> Option<Self> {
        let grade = key.strip_prefix("lop ").unwrap_or(key);
        let grade = grade.strip_suffix("/12").unwrap_or(grade);
        match grade.parse::<u8>().ok()? {
            12 => Some(Self::UpperSecondary),
            9..=11 => Some(Self::LowerSecondary),
            5..=8 => Some(Self::Primary),
            1..=4 => Some(Self::None),
            _ => None,
        }
    }
}

code_enum_impls!(GeneralEducation);

/// Professional and vocational qualification (trình độ chuyên môn kỹ thuật); ascending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Qualification {
    NoQualification,
    SoCap,
    TrungCap,
    CaoDang,
    DaiHoc,
    ThacSi,
    TienSi,
}

impl Qualification {
    pub const ALL: &'static [Self] =
        &[Self::NoQualification, Self::SoCap, Self::TrungCap, Self::CaoDang, Self::DaiHoc, Self::ThacSi, Self::TienSi];

    pub fn code(self) -> &'static str {
        match self {
            Self::NoQualification => "none",
            Self::SoCap => "so_cap",
            Self::TrungCap => "trung_cap",
            Self::CaoDang => "cao_dang",
            Self::DaiHoc => "dai_hoc",
            Self::ThacSi => "thac_si",
            Self::TienSi => "tien_si",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::NoQualification => "Không có trình độ chuyên môn kỹ thuật",
            Self::SoCap => "Sơ cấp",
            Self::TrungCap => "Trung cấp",
            Self::CaoDang => "Cao đẳng",
            Self::DaiHoc => "Đại học",
            Self::ThacSi => "Thạc sĩ",
            Self::TienSi => "Tiến sĩ",
        }
    }

    /// Level in the Vietnamese Qualifications Framework (8 levels). Sơ cấp spans levels 1–3
    /// (sơ cấp I–III) and reports its lowest, 1.
    pub fn vqf_level(self) -> Option<u8> {
        match self {
            Self::NoQualification => None,
            Self::SoCap => Some(1),
            Self::TrungCap => Some(4),
            Self::CaoDang => Some(5),
            Self::DaiHoc => Some(6),
            Self::ThacSi => Some(7),
            Self::TienSi => Some(8),
        }
    }

    /// Accepts the codes and the Vietnamese names with or without diacritics, optionally after
    /// "trình độ"; also the pre-2014 names on old diplomas ("trung cấp nghề", "cao đẳng nghề")
    /// and the "-sỹ" spelling.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let key = match_key(input).replace('_', " ");
        let key = key.strip_prefix("trinh do ").unwrap_or(&key);
        let found = match key {
            "none" | "khong" | "khong co" | "chua qua dao tao" | "khong co trinh do chuyen mon ky thuat" => {
                Some(Self::NoQualification)
            }
            "so cap" | "so cap nghe" | "so cap i" | "so cap ii" | "so cap iii" | "so cap 1" | "so cap 2"
            | "so cap 3" => Some(Self::SoCap),
            "trung cap" | "trung cap nghe" | "trung cap chuyen nghiep" => Some(Self::TrungCap),
            "cao dang" | "cao dang nghe" => Some(Self::CaoDang),
            "dai hoc" => Some(Self::DaiHoc),
            "thac si" | "thac sy" => Some(Self::ThacSi),
            "tien si" | "tien sy" => Some(Self::TienSi),
            _ => None,
        };
        found.ok_or_else(|| {
            ValidationError::new(
                "qualification",
                "qualification.unknown",
                format!(
                    "Trình độ chuyên môn kỹ thuật \"{input}\" không hợp lệ; chấp nhận: Sơ cấp, Trung cấp, Cao đẳng, Đại học, Thạc sĩ, Tiến sĩ hoặc Không có."
                ),
                format!("Unknown qualification \"{input}\"; expected one of: {}.", Self::codes().join(", ")),
            )
        })
    }

    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|q| q.code()).collect()
    }
}

code_enum_impls!(Qualification);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cert(input: &str) -> LanguageCertificate {
        LanguageCertificate::parse(input).unwrap()
    }

    fn cert_error(input: &str) -> &'static str {
        LanguageCertificate::parse(input).unwrap_err().code
    }

    #[test]
    fn jlpt_levels_order_by_proficiency() {
        assert!(JlptLevel::N1 > JlptLevel::N5);
        assert!(JlptLevel::N3 > JlptLevel::N4);
        assert_eq!(JlptLevel::ALL.iter().max(), Some(&JlptLevel::N1));
        assert_eq!(JlptLevel::parse("jlpt n2").unwrap(), JlptLevel::N2);
        assert_eq!(JlptLevel::parse("N6").unwrap_err().code, "jlpt_level.unknown");
        assert_eq!(serde_json::to_string(&JlptLevel::N3).unwrap(), "\"N3\"");
    }

    #[test]
    fn language_certificate_parses_japanese_tests() {
        use JlptLevel::*;
        assert_eq!(cert("JLPT N4"), LanguageCertificate::Jlpt(N4));
        assert_eq!(cert("jlpt n3"), LanguageCertificate::Jlpt(N3));
        assert_eq!(cert("N4"), LanguageCertificate::Jlpt(N4));
        assert_eq!(cert("n1"), LanguageCertificate::Jlpt(N1));
        assert_eq!(cert("JLPT-N5"), LanguageCertificate::Jlpt(N5));
        assert_eq!(cert("JFT-Basic A2"), LanguageCertificate::JftBasic { passed_a2: true });
        assert_eq!(cert("JFT Basic"), LanguageCertificate::JftBasic { passed_a2: false });
        assert_eq!(cert("jft-basic a1"), LanguageCertificate::JftBasic { passed_a2: false });
        assert_eq!(cert("NAT-TEST N4"), LanguageCertificate::NatTest(N4));
        assert_eq!(cert("NAT N3"), LanguageCertificate::NatTest(N3));
        assert_eq!(cert("NAT-TEST 4Q"), LanguageCertificate::NatTest(N4));
        assert_eq!(cert("nat test 5"), LanguageCertificate::NatTest(N5));
    }

    #[test]
    fn language_certificate_parses_korean_tests() {
        assert_eq!(cert("TOPIK 3"), LanguageCertificate::Topik(3));
        assert_eq!(cert("TOPIK II cấp 4"), LanguageCertificate::Topik(4));
        assert_eq!(cert("topik i cap 2"), LanguageCertificate::Topik(2));
        assert_eq!(cert("TOPIK cấp 6"), LanguageCertificate::Topik(6));
        assert_eq!(cert("EPS-TOPIK 152"), LanguageCertificate::EpsTopik { score: 152 });
        assert_eq!(cert("EPS TOPIK: 152"), LanguageCertificate::EpsTopik { score: 152 });
        assert_eq!(cert("eps-topik 152 điểm"), LanguageCertificate::EpsTopik { score: 152 });
        assert_eq!(cert("EPS-TOPIK 200/200"), LanguageCertificate::EpsTopik { score: 200 });
        assert_eq!(cert("EPS-TOPIK 0"), LanguageCertificate::EpsTopik { score: 0 });
    }

    #[test]
    fn language_certificate_rejects_bad_levels_and_unknown_tests() {
        assert_eq!(cert_error("TOPIK 7"), "language_certificate.level");
        assert_eq!(cert_error("TOPIK 0"), "language_certificate.level");
        assert_eq!(cert_error("TOPIK"), "language_certificate.level");
        assert_eq!(cert_error("TOPIK II cấp 2"), "language_certificate.level");
        assert_eq!(cert_error("TOPIK I cấp 3"), "language_certificate.level");
        assert_eq!(cert_error("EPS-TOPIK 201"), "language_certificate.level");
        assert_eq!(cert_error("EPS-TOPIK 99999"), "language_certificate.level");
        assert_eq!(cert_error("EPS-TOPIK"), "language_certificate.level");
        assert_eq!(cert_error("JLPT N6"), "language_certificate.level");
        assert_eq!(cert_error("JLPT"), "language_certificate.level");
        assert_eq!(cert_error("NAT-TEST 6Q"), "language_certificate.level");
        assert_eq!(cert_error("JFT-Basic B1"), "language_certificate.level");
        assert_eq!(cert_error("IELTS 6.5"), "language_certificate.unknown");
        assert_eq!(cert_error("N6"), "language_certificate.unknown");
        assert_eq!(cert_error(""), "language_certificate.unknown");
    }

    #[test]
    fn language_certificate_canonical_codes_round_trip() {
        let all = [
            LanguageCertificate::Jlpt(JlptLevel::N4),
            LanguageCertificate::JftBasic { passed_a2: true },
            LanguageCertificate::JftBasic { passed_a2: false },
            LanguageCertificate::NatTest(JlptLevel::N4),
            LanguageCertificate::Topik(3),
            LanguageCertificate::EpsTopik { score: 152 },
        ];
        let codes: Vec<String> = all.iter().map(LanguageCertificate::code).collect();
        assert_eq!(codes, ["JLPT N4", "JFT-Basic A2", "JFT-Basic", "NAT-TEST N4", "TOPIK 3", "EPS-TOPIK 152"]);
        for certificate in all {
            assert_eq!(cert(&certificate.code()), certificate);
            let json = serde_json::to_string(&certificate).unwrap();
            assert_eq!(json, format!("\"{}\"", certificate.code()));
            assert_eq!(serde_json::from_str::<LanguageCertificate>(&json).unwrap(), certificate);
        }
        assert!(serde_json::from_str::<LanguageCertificate>("\"TOPIK 9\"").is_err());
    }

    #[test]
    fn language_certificate_labels_and_levels() {
        assert_eq!(cert("TOPIK 3").label_vi(), "Tiếng Hàn TOPIK cấp 3");
        assert_eq!(cert("EPS-TOPIK 152").label_vi(), "Tiếng Hàn EPS-TOPIK 152 điểm");
        assert_eq!(cert("NAT-TEST N4").label_vi(), "Tiếng Nhật NAT-TEST 4Q (tương đương N4)");
        assert_eq!(cert("JFT-Basic A2").japanese_level(), Some(JlptLevel::N4));
        assert_eq!(cert("JFT-Basic").japanese_level(), None);
        assert_eq!(cert("NAT-TEST N3").japanese_level(), Some(JlptLevel::N3));
        assert_eq!(cert("JLPT N2").japanese_level(), Some(JlptLevel::N2));
        assert_eq!(cert("TOPIK 4").japanese_level(), None);
        assert_eq!(cert("TOPIK 4").korean_topik_level(), Some(4));
        assert_eq!(cert("EPS-TOPIK 152").korean_topik_level(), None);
        assert_eq!(cert("JLPT N2").korean_topik_level(), None);
    }

    #[test]
    fn general_education_parse() {
        use GeneralEducation::*;
        for (input, expected) in [
            ("none", None),
            ("primary", Primary),
            ("lower_secondary", LowerSecondary),
            ("upper_secondary", UpperSecondary),
            ("Tiểu học", Primary),
            ("tieu hoc", Primary),
            ("Trung học cơ sở", LowerSecondary),
            ("Trung học cơ sở (THCS)", LowerSecondary),
            ("THCS", LowerSecondary),
            ("thpt", UpperSecondary),
            ("Tốt nghiệp THPT", UpperSecondary),
            ("trung hoc pho thong", UpperSecondary),
            ("Chưa qua đào tạo phổ thông", None),
            ("lớp 9/12", LowerSecondary),
            ("Lớp 9", LowerSecondary),
            ("12/12", UpperSecondary),
            ("lớp 12", UpperSecondary),
            ("7/12", Primary),
            ("3/12", None),
            ("hết cấp 2", LowerSecondary),
        ] {
            assert_eq!(GeneralEducation::parse(input).unwrap(), expected, "{input}");
        }
        for bad in ["đại học", "13/12", "lớp 0", "9/10", ""] {
            assert_eq!(GeneralEducation::parse(bad).unwrap_err().code, "general_education.unknown", "{bad}");
        }
    }

    #[test]
    fn general_education_codes_labels_order_serde() {
        let codes: Vec<&str> = GeneralEducation::ALL.iter().map(|g| g.code()).collect();
        assert_eq!(codes, ["none", "primary", "lower_secondary", "upper_secondary"]);
        assert_eq!(GeneralEducation::UpperSecondary.label_vi(), "Trung học phổ thông (THPT)");
        assert!(GeneralEducation::UpperSecondary > GeneralEducation::LowerSecondary);
        assert!(GeneralEducation::Primary > GeneralEducation::None);
        for level in GeneralEducation::ALL {
            assert_eq!(GeneralEducation::parse(level.label_vi()).unwrap(), *level);
            let json = serde_json::to_string(level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.code()));
            assert_eq!(serde_json::from_str::<GeneralEducation>(&json).unwrap(), *level);
        }
    }

    #[test]
    fn qualification_parse_with_or_without_diacritics() {
        use Qualification::*;
        for (input, expected) in [
            ("cao dang", CaoDang),
            ("Cao đẳng", CaoDang),
            ("Đại học", DaiHoc),
            ("dai_hoc", DaiHoc),
            ("Trình độ trung cấp", TrungCap),
            ("trung cấp nghề", TrungCap),
            ("Sơ cấp", SoCap),
            ("Thạc sỹ", ThacSi),
            ("tien si", TienSi),
            ("none", NoQualification),
            ("Không có trình độ chuyên môn kỹ thuật", NoQualification),
        ] {
            assert_eq!(Qualification::parse(input).unwrap(), expected, "{input}");
        }
        for bad in ["dh", "THPT", "bachelor", ""] {
            assert_eq!(Qualification::parse(bad).unwrap_err().code, "qualification.unknown", "{bad}");
        }
    }

    #[test]
    fn qualification_codes_labels_levels_order_serde() {
        let codes: Vec<&str> = Qualification::ALL.iter().map(|q| q.code()).collect();
        assert_eq!(codes, ["none", "so_cap", "trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si"]);
        let levels: Vec<Option<u8>> = Qualification::ALL.iter().map(|q| q.vqf_level()).collect();
        assert_eq!(levels, [None, Some(1), Some(4), Some(5), Some(6), Some(7), Some(8)]);
        assert!(Qualification::TienSi > Qualification::DaiHoc);
        assert!(Qualification::SoCap > Qualification::NoQualification);
        for q in Qualification::ALL {
            assert_eq!(Qualification::parse(q.code()).unwrap(), *q);
            assert_eq!(Qualification::parse(q.label_vi()).unwrap(), *q);
            assert_eq!(q.code().parse::<Qualification>().unwrap(), *q);
            let json = serde_json::to_string(q).unwrap();
            assert_eq!(serde_json::from_str::<Qualification>(&json).unwrap(), *q);
        }
        assert_eq!(serde_json::to_string(&Qualification::CaoDang).unwrap(), "\"cao_dang\"");
        assert!(serde_json::from_str::<Qualification>("\"phd\"").is_err());
    }
}
