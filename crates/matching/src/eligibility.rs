//! Evaluating a worker against a vacancy on a date: every applicable rule of the table plus
//! the vacancy's own must-have requirements, each giving pass, fail or unknown (missing data)
//! with a Vietnamese explanation (English beside it) and, when something is missing, the step
//! that would close the gap (R-OV-E1: base rules ∧ programme rules ∧ job-order rules).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::evidence::{WorkerEvidence, documents};
use crate::features::{VacancyFeatures, WorkerFeatures};
use crate::message::{Gap, Message, date_vi};
use crate::requirements::{assess, assess_eps_topik, assess_general_education, assess_japanese, occupation_label};
use crate::rules::{Check, Rule, RuleTable, Verification};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    /// Data needed to decide is not recorded (shown as a step to take, never as a rejection).
    Unknown,
    Fail,
}

impl Outcome {
    fn from_met(met: Option<bool>) -> Self {
        match met {
            Some(true) => Self::Pass,
            Some(false) => Self::Fail,
            None => Self::Unknown,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pass => "Đạt",
            Self::Unknown => "Chưa đủ thông tin",
            Self::Fail => "Không đạt",
        }
    }
}

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleSource {
    /// A row of the rule table, with its legal reference and how far its figure is verified.
    Table { legal_ref: String, verified: Verification },
    /// A must-have requirement written in the vacancy.
    Vacancy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    pub rule_id: String,
    pub title: Message,
    pub source: RuleSource,
    pub outcome: Outcome,
    pub explanation: Message,
    pub gap: Option<Gap>,
}

/// The verdict for one worker and one vacancy on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub on: NaiveDate,
    /// The worst outcome of all rules: one failure fails, else one unknown makes it unknown.
    pub outcome: Outcome,
    pub results: Vec<RuleResult>,
}

impl Eligibility {
    pub fn failed(&self) -> impl Iterator<Item = &RuleResult> {
        self.results.iter().filter(|r| r.outcome == Outcome::Fail)
    }

    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.results.iter().filter_map(|r| r.gap.as_ref())
    }
}

/// What an evaluation needs besides the worker and the vacancy.
#[derive(Debug, Clone, Copy)]
pub struct EligibilityContext<'a> {
    pub table: &'a RuleTable,
    /// The day to judge on (ages, rule dates): today, or a programme round's reference date.
    pub on: NaiveDate,
    /// Scheme or agreement variants that apply to this job order (e.g. `im_japan`).
    pub variants: &'a [String],
    pub evidence: &'a WorkerEvidence,
}

impl<'a> EligibilityContext<'a> {
    /// The embedded table, no variants, no recorded evidence.
    pub fn on(on: NaiveDate) -> Self {
        Self { table: RuleTable::embedded(), on, variants: &[], evidence: WorkerEvidence::none() }
    }

    pub fn with_evidence(self, evidence: &'a WorkerEvidence) -> Self {
        Self { evidence, ..self }
    }

    pub fn with_variants(self, variants: &'a [String]) -> Self {
        Self { variants, ..self }
    }
}

/// Evaluates every applicable rule and must-have requirement.
pub fn evaluate(worker: &WorkerFeatures, vacancy: &VacancyFeatures, context: &EligibilityContext<'_>) -> Eligibility {
    let mut results: Vec<RuleResult> = context
        .table
        .applicable(vacancy.programme(), context.variants, context.on)
        .map(|rule| evaluate_rule(rule, worker, vacancy, context))
        .collect();
    for (index, requirement) in vacancy.must_have.iter().enumerate() {
        let assessment = assess(requirement, worker, vacancy);
        results.push(RuleResult {
            rule_id: format!("vacancy.must_have.{index}"),
            title: Message::new("Yêu cầu của nhà tuyển dụng", "Employer's requirement"),
            source: RuleSource::Vacancy,
            outcome: Outcome::from_met(assessment.met),
            explanation: assessment.message,
            gap: assessment.gap,
        });
    }
    let outcome = results.iter().map(|r| r.outcome).max().unwrap_or(Outcome::Pass);
    Eligibility { on: context.on, outcome, results }
}

/// The first day on which someone born on `dob` is `years` old in full years.
fn date_reaching_age(worker: &WorkerFeatures, years: u32) -> Option<NaiveDate> {
    let mut day = worker.date_of_birth.date().checked_add_months(Months::new(years * 12))?;
    // 29 February birthdays count from 1 March in common years (DateOfBirth::age_on).
    while worker.age_on(day) < years {
        day = day.succ_opt()?;
    }
    Some(day)
}

struct Decision {
    outcome: Outcome,
    explanation: Message,
    gap: Option<Gap>,
}

fn decided(outcome: Outcome, vi: impl Into<String>, en: impl Into<String>) -> Decision {
    Decision { outcome, explanation: Message::new(vi, en), gap: None }
}

fn evaluate_rule(rule: &Rule, worker: &WorkerFeatures, vacancy: &VacancyFeatures, context: &EligibilityContext<'_>) -> RuleResult {
    let decision = decide(rule, worker, vacancy, context);
    RuleResult {
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        source: RuleSource::Table { legal_ref: rule.legal_ref.clone(), verified: rule.verified },
        outcome: decision.outcome,
        explanation: decision.explanation,
        gap: decision.gap,
    }
}

fn decide(rule: &Rule, worker: &WorkerFeatures, vacancy: &VacancyFeatures, context: &EligibilityContext<'_>) -> Decision {
    let on = context.on;
    let evidence = context.evidence;
    match &rule.check {
        Check::AgeBand { min, max } => {
            let age = worker.age_on(on);
            let band_vi = match (min, max) {
                (Some(lo), Some(hi)) => format!("từ {lo} đến {hi} tuổi"),
                (Some(lo), None) => format!("từ đủ {lo} tuổi"),
                (None, Some(hi)) => format!("không quá {hi} tuổi"),
                (None, None) => String::new(),
            };
            if let Some(lo) = min.filter(|lo| age < *lo) {
                let from = date_reaching_age(worker, lo).map(date_vi).unwrap_or_default();
                return decided(
                    Outcome::Fail,
                    format!("chưa đủ {lo} tuổi: {age} tuổi vào ngày {}, đủ {lo} tuổi từ {from}", date_vi(on)),
                    format!("under {lo}: {age} on {on}, turns {lo} on {from}"),
                );
            }
            if let Some(hi) = max.filter(|hi| age > *hi) {
                return decided(
                    Outcome::Fail,
                    format!("quá độ tuổi {band_vi}: {age} tuổi vào ngày {}", date_vi(on)),
                    format!("over the age band: {age} on {on} (at most {hi})"),
                );
            }
            decided(Outcome::Pass, format!("{age} tuổi, trong độ tuổi {band_vi}"), format!("aged {age}, within the band"))
        }
        Check::Document { key } => match evidence.documents.get(key) {
            Some(date) => decided(
                Outcome::Pass,
                format!("{} (ngày {})", rule.title.vi, date_vi(*date)),
                format!("{} (dated {date})", rule.title.en),
            ),
            None => Decision {
                outcome: Outcome::Unknown,
                explanation: Message::new(
                    format!("chưa có thông tin: {}", lower_first(&rule.title.vi)),
                    format!("not recorded: {}", rule.title.en),
                ),
                gap: Some(Gap {
                    missing: rule.title.clone(),
                    training: (key == documents::ORIENTATION_CERTIFICATE).then(|| {
                        Message::new(
                            "Khóa bồi dưỡng kiến thức cần thiết (giáo dục định hướng) trước khi đi làm việc ở nước ngoài",
                            "Pre-departure orientation education course",
                        )
                    }),
                    need: None,
                }),
            },
        },
        Check::Declaration { key } => match evidence.declared(key) {
            Some(true) => decided(Outcome::Pass, format!("đã cam kết: {}", lower_first(&rule.title.vi)), format!("declared: {}", rule.title.en)),
            Some(false) => decided(
                Outcome::Fail,
                format!("không đáp ứng: {}", lower_first(&rule.title.vi)),
                format!("not met: {}", rule.title.en),
            ),
            None => Decision {
                outcome: Outcome::Unknown,
                explanation: Message::new(
                    format!("chưa có khai báo: {}", lower_first(&rule.title.vi)),
                    format!("not declared yet: {}", rule.title.en),
                ),
                gap: Some(Gap {
                    missing: rule.title.clone(),
                    training: Some(Message::new("Người lao động khai báo, cán bộ kiểm tra giấy tờ", "Worker's declaration, checked by staff")),
                    need: None,
                }),
            },
        },
        Check::MaxPriorStay { country, months } => match evidence.prior_stay_months.get(country) {
            Some(stayed) if stayed <= months => decided(
                Outcome::Pass,
                format!("đã ở {country} {stayed} tháng (tối đa {months})"),
                format!("{stayed} months already in {country} (at most {months})"),
            ),
            Some(stayed) => decided(
                Outcome::Fail,
                format!("đã ở {country} {stayed} tháng, quá {months} tháng"),
                format!("{stayed} months already in {country}, over {months}"),
            ),
            None => decided(
                Outcome::Unknown,
                format!("chưa có thông tin thời gian đã làm việc tại {country}"),
                format!("prior stay in {country} not recorded"),
            ),
        },
        Check::EpsTopik { pass_marks } => {
            let sector = context.table.eps_sector(&vacancy.occupation);
            match pass_marks.get(&sector) {
                Some(mark) => {
                    let a = assess_eps_topik(worker, *mark);
                    Decision {
                        outcome: Outcome::from_met(a.met),
                        explanation: Message::new(
                            format!("{} (ngành {})", a.message.vi, sector.label_vi()),
                            format!("{} ({} sector)", a.message.en, sector.code()),
                        ),
                        gap: a.gap,
                    }
                }
                None => decided(
                    Outcome::Unknown,
                    format!("bảng quy tắc chưa có điểm đạt cho ngành {}", sector.label_vi()),
                    format!("no pass mark in the rule table for the {} sector", sector.code()),
                ),
            }
        }
        Check::JapaneseLevel { min, accept, exempt } => {
            if exempt.as_deref().is_some_and(|key| evidence.declared(key) == Some(true)) {
                return decided(
                    Outcome::Pass,
                    "được miễn yêu cầu tiếng Nhật (đã hoàn thành thực tập kỹ năng số 2)",
                    "exempt from the Japanese requirement (completed TITP ii)",
                );
            }
            let a = assess_japanese(worker, *min, accept);
            Decision { outcome: Outcome::from_met(a.met), explanation: a.message, gap: a.gap }
        }
        Check::SkillsTest { match_digits, exempt } => {
            if exempt.as_deref().is_some_and(|key| evidence.declared(key) == Some(true)) {
                return decided(
                    Outcome::Pass,
                    "được miễn thi kỹ năng (đã hoàn thành thực tập kỹ năng số 2)",
                    "exempt from the skills test (completed TITP ii)",
                );
            }
            let digits = usize::from(*match_digits).min(vacancy.occupation.as_str().len());
            let field = &vacancy.occupation.as_str()[..digits];
            let gap = || Gap {
                missing: Message::new(
                    format!("Kỳ thi kỹ năng ngành {}", occupation_label(&vacancy.occupation)),
                    format!("Skills test in {}", vacancy.occupation),
                ),
                training: Some(Message::new(
                    "Ôn và đăng ký kỳ thi kỹ năng đặc định của ngành",
                    "Prepare and register for the field's skills test",
                )),
                need: None,
            };
            match &evidence.skills_tests {
                None => Decision {
                    outcome: Outcome::Unknown,
                    explanation: Message::new("chưa có thông tin về kỳ thi kỹ năng", "skills tests not recorded"),
                    gap: Some(gap()),
                },
                Some(tests) => match tests.iter().find(|t| t.occupation.as_str().starts_with(field)) {
                    Some(test) => decided(
                        Outcome::Pass,
                        format!("đạt kỳ thi kỹ năng nghề {} ngày {}", occupation_label(&test.occupation), date_vi(test.passed_on)),
                        format!("passed the skills test for {} on {}", test.occupation, test.passed_on),
                    ),
                    None => Decision {
                        outcome: Outcome::Fail,
                        explanation: Message::new(
                            format!("chưa đạt kỳ thi kỹ năng của ngành {}", occupation_label(&vacancy.occupation)),
                            format!("no skills test passed for {}", vacancy.occupation),
                        ),
                        gap: Some(gap()),
                    },
                },
            }
        }
        Check::ProgrammeWindow { open_from, open_to } => {
            if let Some(from) = open_from.filter(|from| on < *from) {
                return decided(
                    Outcome::Fail,
                    format!("chương trình chỉ nhận lao động từ ngày {}", date_vi(from)),
                    format!("the programme takes workers only from {from}"),
                );
            }
            if let Some(to) = open_to.filter(|to| on > *to) {
                return decided(
                    Outcome::Fail,
                    format!("chương trình đã kết thúc ngày {}", date_vi(to)),
                    format!("the programme ended on {to}"),
                );
            }
            decided(Outcome::Pass, "chương trình đang trong thời gian thực hiện", "the programme is running")
        }
        Check::MinGeneralEducation { level } => {
            let a = assess_general_education(worker, *level);
            Decision { outcome: Outcome::from_met(a.met), explanation: a.message, gap: a.gap }
        }
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
