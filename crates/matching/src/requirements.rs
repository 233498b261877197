//! A vacancy's own requirements checked against a worker: one comparison per requirement kind,
//! used both by eligibility (must-haves are rules) and by scoring (how close the worker is).

use caunoi_domain::records::Requirement;
use caunoi_domain::reference::OccupationCatalog;
use caunoi_domain::text::fold;
use caunoi_domain::training::SkillNeed;
use caunoi_domain::{GeneralEducation, IscoCode, JlptLevel, LanguageCertificate, Qualification};

use crate::features::{VacancyFeatures, WorkerFeatures};
use crate::message::{Gap, Message};
use crate::rules::JapaneseTest;

/// How one requirement compares with what the worker has.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// `Some(true)` met, `Some(false)` not met, `None` cannot be checked automatically.
    pub met: Option<bool>,
    /// 0 (nothing of it) to 1 (fully met); partial credit for being close.
    pub fit: f64,
    pub message: Message,
    pub gap: Option<Gap>,
}

/// "7212 Thợ hàn và thợ cắt kim loại" (code and Vietnamese label), or the code alone.
pub fn occupation_label(code: &IscoCode) -> String {
    match OccupationCatalog::embedded().get(code) {
        Some(occupation) => format!("{} {}", code, occupation.label_vi),
        None => code.to_string(),
    }
}

fn occupation_label_en(code: &IscoCode) -> String {
    match OccupationCatalog::embedded().get(code) {
        Some(occupation) => format!("{} {}", code, occupation.label_en),
        None => code.to_string(),
    }
}

/// Partial credit for being `steps` levels short: one step is half-way there.
fn closeness(steps: usize) -> f64 {
    0.5_f64.powi(steps as i32)
}

/// Best Japanese level among accepted tests, with the certificate that gives it.
pub fn best_japanese(worker: &WorkerFeatures, accept: &[JapaneseTest]) -> Option<(JlptLevel, LanguageCertificate)> {
    worker
        .languages
        .iter()
        .filter(|c| match c {
            LanguageCertificate::Jlpt(_) => accept.contains(&JapaneseTest::Jlpt),
            LanguageCertificate::JftBasic { .. } => accept.contains(&JapaneseTest::JftBasic),
            LanguageCertificate::NatTest(_) => accept.contains(&JapaneseTest::NatTest),
            _ => false,
        })
        .filter_map(|c| c.japanese_level().map(|level| (level, *c)))
        .max_by_key(|(level, _)| *level)
}

pub fn best_eps_topik(worker: &WorkerFeatures) -> Option<u16> {
    worker
        .languages
        .iter()
        .filter_map(|c| match c {
            LanguageCertificate::EpsTopik { score } => Some(*score),
            _ => None,
        })
        .max()
}

fn best_topik(worker: &WorkerFeatures) -> Option<u8> {
    worker.languages.iter().filter_map(LanguageCertificate::korean_topik_level).max()
}

/// Japanese level comparison shared by vacancy requirements and the SSW rule.
pub fn assess_japanese(worker: &WorkerFeatures, required: JlptLevel, accept: &[JapaneseTest]) -> Assessment {
    let wanted = format!("JLPT {}", required.code());
    match best_japanese(worker, accept) {
        Some((level, certificate)) if level >= required => Assessment {
            met: Some(true),
            fit: 1.0,
            message: Message::new(
                format!("có {} (yêu cầu {wanted})", certificate.code()),
                format!("holds {} ({wanted} required)", certificate.code()),
            ),
            gap: None,
        },
        found => {
            let (steps, has_vi, has_en) = match found {
                Some((level, certificate)) => {
                    (required as usize - level as usize, format!("có {}", certificate.code()), format!("holds {}", certificate.code()))
                }
                None => (required as usize + 1, "chưa có chứng chỉ tiếng Nhật".to_owned(), "no Japanese certificate".to_owned()),
            };
            Assessment {
                met: Some(false),
                fit: if found.is_some() { closeness(steps) } else { 0.0 },
                message: Message::new(format!("thiếu {wanted} — {has_vi}"), format!("lacks {wanted} — {has_en}")),
                gap: Some(Gap {
                    missing: Message::new(format!("Tiếng Nhật {wanted}"), format!("Japanese {wanted}")),
                    training: Some(Message::new(
                        format!("Khóa tiếng Nhật đến trình độ {} và thi JLPT hoặc JFT-Basic", required.code()),
                        format!("Japanese course to level {} and a JLPT or JFT-Basic test", required.code()),
                    )),
                    need: Some(SkillNeed::Language(LanguageCertificate::Jlpt(required))),
                }),
            }
        }
    }
}

/// EPS-TOPIK comparison shared by vacancy requirements and the EPS rule.
pub fn assess_eps_topik(worker: &WorkerFeatures, pass_mark: u16) -> Assessment {
    let gap = || Gap {
        missing: Message::new(format!("EPS-TOPIK từ {pass_mark} điểm"), format!("EPS-TOPIK of {pass_mark} points or more")),
        training: Some(Message::new(
            "Khóa tiếng Hàn ôn thi EPS-TOPIK (đăng ký thi qua Trung tâm Lao động ngoài nước)",
            "Korean course for the EPS-TOPIK test (registration through COLAB)",
        )),
        need: Some(SkillNeed::Language(LanguageCertificate::EpsTopik { score: pass_mark })),
    };
    match best_eps_topik(worker) {
        Some(score) if score >= pass_mark => Assessment {
            met: Some(true),
            fit: 1.0,
            message: Message::new(
                format!("EPS-TOPIK {score} điểm (cần {pass_mark})"),
                format!("EPS-TOPIK {score} points ({pass_mark} needed)"),
            ),
            gap: None,
        },
        Some(score) => Assessment {
            met: Some(false),
            fit: f64::from(score) / f64::from(pass_mark.max(1)),
            message: Message::new(
                format!("thiếu EPS-TOPIK {pass_mark} điểm — có {score}"),
                format!("lacks EPS-TOPIK {pass_mark} — has {score}"),
            ),
            gap: Some(gap()),
        },
        None => Assessment {
            met: Some(false),
            fit: 0.0,
            message: Message::new(
                format!("chưa có điểm EPS-TOPIK (cần {pass_mark})"),
                format!("no EPS-TOPIK score ({pass_mark} needed)"),
            ),
            gap: Some(gap()),
        },
    }
}

fn ordinal<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

pub fn assess_general_education(worker: &WorkerFeatures, required: GeneralEducation) -> Assessment {
    let has = worker.general_education;
    if has >= required {
        return Assessment {
            met: Some(true),
            fit: 1.0,
            message: Message::new(
                format!("học vấn {} (yêu cầu {})", has.label_vi(), required.label_vi()),
                format!("education {} ({} required)", has.code(), required.code()),
            ),
            gap: None,
        };
    }
    let steps = ordinal(GeneralEducation::ALL, &required) - ordinal(GeneralEducation::ALL, &has);
    Assessment {
        met: Some(false),
        fit: closeness(steps),
        message: Message::new(
            format!("thiếu học vấn {} — có {}", required.label_vi(), has.label_vi()),
            format!("lacks {} education — has {}", required.code(), has.code()),
        ),
        gap: Some(Gap {
            missing: Message::new(required.label_vi(), required.code()),
            training: Some(Message::new(
                format!("Học bổ túc văn hóa (giáo dục thường xuyên) lên {}", required.label_vi()),
                format!("Continuing general education up to {}", required.code()),
            )),
            need: None,
        }),
    }
}

pub fn assess_qualification(worker: &WorkerFeatures, required: Qualification, occupation: &IscoCode) -> Assessment {
    let has = worker.qualification;
    if has >= required {
        return Assessment {
            met: Some(true),
            fit: 1.0,
            message: Message::new(
                format!("trình độ {} (yêu cầu {})", has.label_vi(), required.label_vi()),
                format!("qualification {} ({} required)", has.code(), required.code()),
            ),
            gap: None,
        };
    }
    let steps = ordinal(Qualification::ALL, &required) - ordinal(Qualification::ALL, &has);
    Assessment {
        met: Some(false),
        fit: closeness(steps),
        message: Message::new(
            format!("thiếu trình độ {} — có {}", required.label_vi(), has.label_vi()),
            format!("lacks a {} qualification — has {}", required.code(), has.code()),
        ),
        gap: Some(Gap {
            missing: Message::new(format!("Trình độ {}", required.label_vi()), format!("{} qualification", required.code())),
            training: Some(Message::new(
                format!("Học nghề trình độ {} nghề {}", required.label_vi(), occupation_label(occupation)),
                format!("Vocational training at {} level in {}", required.code(), occupation_label_en(occupation)),
            )),
            need: Some(SkillNeed::Qualification { level: required, occupation: Some(occupation.clone()) }),
        }),
    }
}

/// Months of experience in the vacancy's sub-major group (two ISCO digits).
pub fn related_experience_months(worker: &WorkerFeatures, occupation: &IscoCode) -> u32 {
    let group = occupation.ancestors().into_iter().nth(1).unwrap_or_else(|| occupation.clone());
    worker
        .experience
        .iter()
        .filter(|job| job.occupation.as_ref().is_some_and(|o| o.is_within(&group)))
        .map(|job| u32::from(job.months))
        .sum()
}

fn assess_experience(worker: &WorkerFeatures, required: u16, occupation: &IscoCode) -> Assessment {
    let months = related_experience_months(worker, occupation);
    let required = u32::from(required);
    let met = months >= required;
    Assessment {
        met: Some(met),
        fit: if required == 0 { 1.0 } else { (f64::from(months) / f64::from(required)).min(1.0) },
        message: if met {
            Message::new(
                format!("{months} tháng kinh nghiệm trong nghề (yêu cầu {required})"),
                format!("{months} months of related experience ({required} required)"),
            )
        } else {
            Message::new(
                format!("thiếu kinh nghiệm: cần {required} tháng — có {months}"),
                format!("lacks experience: {required} months needed — has {months}"),
            )
        },
        gap: (!met).then(|| Gap {
            missing: Message::new(format!("{required} tháng kinh nghiệm"), format!("{required} months of experience")),
            training: None,
            need: None,
        }),
    }
}

fn assess_skill(worker: &WorkerFeatures, skill: &str) -> Assessment {
    let folded = fold(skill);
    let found = worker.skills.iter().find(|s| s.matches(&folded));
    match found {
        Some(s) => Assessment {
            met: Some(true),
            fit: 1.0,
            message: Message::new(format!("có kỹ năng {}", s.label), format!("has the skill {}", s.label)),
            gap: None,
        },
        None => Assessment {
            met: Some(false),
            fit: 0.0,
            message: Message::new(format!("thiếu kỹ năng {skill}"), format!("lacks the skill {skill}")),
            gap: Some(Gap {
                missing: Message::new(format!("Kỹ năng {skill}"), format!("Skill {skill}")),
                training: Some(Message::new(format!("Bồi dưỡng kỹ năng: {skill}"), format!("Short course: {skill}"))),
                need: Some(SkillNeed::Skill(skill.to_owned())),
            }),
        },
    }
}

fn assess_language(worker: &WorkerFeatures, required: &LanguageCertificate) -> Assessment {
    const ANY_JAPANESE: &[JapaneseTest] = &[JapaneseTest::Jlpt, JapaneseTest::JftBasic, JapaneseTest::NatTest];
    match required {
        LanguageCertificate::EpsTopik { score } => assess_eps_topik(worker, *score),
        LanguageCertificate::Topik(level) => match best_topik(worker) {
            Some(has) if has >= *level => Assessment {
                met: Some(true),
                fit: 1.0,
                message: Message::new(format!("có TOPIK {has} (yêu cầu TOPIK {level})"), format!("holds TOPIK {has} (TOPIK {level} required)")),
                gap: None,
            },
            has => Assessment {
                met: Some(false),
                fit: has.map_or(0.0, |h| closeness(usize::from(level - h))),
                message: match has {
                    Some(h) => Message::new(format!("thiếu TOPIK {level} — có TOPIK {h}"), format!("lacks TOPIK {level} — has TOPIK {h}")),
                    None => Message::new(format!("thiếu TOPIK {level} — chưa có chứng chỉ"), format!("lacks TOPIK {level} — no certificate")),
                },
                gap: Some(Gap {
                    missing: Message::new(format!("Tiếng Hàn TOPIK {level}"), format!("Korean TOPIK {level}")),
                    training: Some(Message::new(format!("Khóa tiếng Hàn đến TOPIK cấp {level}"), format!("Korean course to TOPIK level {level}"))),
                    need: Some(SkillNeed::Language(LanguageCertificate::Topik(*level))),
                }),
            },
        },
        // JLPT, NAT-TEST and JFT-Basic all state a Japanese level; a JFT-Basic below A2 asks for the entry level.
        other => assess_japanese(worker, other.japanese_level().unwrap_or(JlptLevel::N5), ANY_JAPANESE),
    }
}

/// Compares one requirement of `vacancy` with `worker`.
pub fn assess(requirement: &Requirement, worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Assessment {
    match requirement {
        Requirement::Qualification(q) => assess_qualification(worker, *q, &vacancy.occupation),
        Requirement::GeneralEducation(g) => assess_general_education(worker, *g),
        Requirement::Language(certificate) => assess_language(worker, certificate),
        Requirement::ExperienceMonths(months) => assess_experience(worker, *months, &vacancy.occupation),
        Requirement::Skill(skill) => assess_skill(worker, skill),
        Requirement::Text(text) => Assessment {
            met: None,
            fit: 0.0,
            message: Message::new(format!("cán bộ cần kiểm tra: {text}"), format!("to be checked by staff: {text}")),
            gap: None,
        },
    }
}
