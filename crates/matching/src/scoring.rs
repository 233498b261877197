//! A transparent weighted score of how well a worker fits a vacancy, 0–100.
//!
//! Each factor yields a fit between 0 and 1; the score is Σ weightᵢ·fitᵢ over the factors that
//! apply to the pair, divided by the sum of their weights, times 100. Every factor is returned
//! with its points (its share of the 100) and a Vietnamese phrase, so staff and seekers see
//! why ("cùng nhóm nghề 7212 Thợ hàn…", "thiếu JLPT N4 — có N5", "cách nơi ở 12 km").
//!
//! Fits are computed without building text ([`score`]); phrases are rendered only for the
//! pairs someone looks at ([`explain`]), from the same computation.

use caunoi_domain::records::{Availability, EmploymentType, Requirement};
use caunoi_domain::IscoCode;
use chrono::NaiveDate;
use serde::Serialize;

use crate::features::{VacancyFeatures, WageConversion, WorkerFeatures, contains_words};
use crate::message::{Message, date_vi};
use crate::requirements::{assess, occupation_label, related_experience_months};

/// Relative weight of each factor. Only ratios matter; the defaults sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreWeights {
    pub occupation: f64,
    pub skills: f64,
    pub experience: f64,
    pub education: f64,
    pub language: f64,
    pub distance: f64,
    pub wage: f64,
    pub availability: f64,
    pub preferences: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        Self {
            occupation: 30.0,
            skills: 15.0,
            experience: 10.0,
            education: 10.0,
            language: 10.0,
            distance: 10.0,
            wage: 8.0,
            availability: 4.0,
            preferences: 3.0,
        }
    }
}

/// Everything that tunes the score. Operators' configuration, not law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoringConfig {
    pub weights: ScoreWeights,
    pub wages: WageConversion,
    /// Distance at which the distance fit is one half (it is 1 at the door and falls smoothly).
    pub distance_half_km: f64,
    /// Related experience that earns full credit when the vacancy states no figure.
    pub experience_full_months: u16,
    /// Days of waiting until the worker is available at which the availability fit reaches 0.
    pub availability_horizon_days: i64,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        Self {
            weights: ScoreWeights::default(),
            wages: WageConversion::default(),
            distance_half_km: 25.0,
            experience_full_months: 24,
            availability_horizon_days: 90,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    Occupation,
    Skills,
    Experience,
    Education,
    Language,
    Distance,
    Wage,
    Availability,
    Preferences,
}

impl FactorKind {
    pub const ALL: [FactorKind; 9] = [
        Self::Occupation,
        Self::Skills,
        Self::Experience,
        Self::Education,
        Self::Language,
        Self::Distance,
        Self::Wage,
        Self::Availability,
        Self::Preferences,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Occupation => "Nghề nghiệp",
            Self::Skills => "Kỹ năng",
            Self::Experience => "Kinh nghiệm",
            Self::Education => "Trình độ",
            Self::Language => "Ngoại ngữ",
            Self::Distance => "Khoảng cách",
            Self::Wage => "Tiền lương",
            Self::Availability => "Thời gian sẵn sàng",
            Self::Preferences => "Mong muốn",
        }
    }

    fn weight(self, w: &ScoreWeights) -> f64 {
        match self {
            Self::Occupation => w.occupation,
            Self::Skills => w.skills,
            Self::Experience => w.experience,
            Self::Education => w.education,
            Self::Language => w.language,
            Self::Distance => w.distance,
            Self::Wage => w.wage,
            Self::Availability => w.availability,
            Self::Preferences => w.preferences,
        }
    }
}

/// One factor of one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    pub kind: FactorKind,
    /// Whether the factor applies to this pair (e.g. no distance for a job abroad).
    pub applies: bool,
    pub weight: f64,
    pub fit: f64,
    /// Contribution to the 0–100 score.
    pub points: f64,
    pub explanation: Message,
}

/// The score of a pair with every factor explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBreakdown {
    pub total: f64,
    pub factors: Vec<Factor>,
}

/// Where the occupation fit came from.
#[derive(Debug, Clone, PartialEq)]
enum OccupationSource {
    Desired,
    Experience(u16),
}

/// What each factor found, kept small so that scoring a million pairs builds no text.
#[derive(Debug, Clone, PartialEq)]
enum Detail {
    Occupation { shared_digits: usize, source: Option<OccupationSource> },
    StructuredSkills { must: usize, must_met: usize, nice: usize, nice_met: usize },
    SkillsInText { matched: Vec<usize> },
    Experience { months: u32, wanted: u32 },
    Requirements { indices: Vec<(bool, usize)> },
    NoRequirement,
    Distance { km: f64 },
    Abroad,
    NoLocation,
    Wage { offered: u64, desired: i64 },
    WageNegotiable,
    WageUnknown,
    Availability { from: Option<NaiveDate>, not_looking: bool },
    Preferences { type_match: Option<bool>, abroad: AbroadFit },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AbroadFit {
    DomesticJob,
    Wanted,
    OtherCountry,
    NotWilling,
}

struct Fit {
    kind: FactorKind,
    applies: bool,
    fit: f64,
    detail: Detail,
}

/// Shared ISCO digits: 4 same unit group, 3 same minor, 2 same sub-major, 1 same major.
pub fn shared_isco_digits(a: &IscoCode, b: &IscoCode) -> usize {
    a.as_str().bytes().zip(b.as_str().bytes()).take_while(|(x, y)| x == y).count()
}

fn occupation_fit_of(shared_digits: usize) -> f64 {
    match shared_digits {
        4.. => 1.0,
        3 => 0.75,
        2 => 0.5,
        1 => 0.2,
        _ => 0.0,
    }
}

fn occupation(worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Fit {
    let desired = worker.desired_occupation.iter().map(|o| (shared_isco_digits(o, &vacancy.occupation), OccupationSource::Desired));
    let past = worker.experience.iter().filter_map(|job| {
        job.occupation.as_ref().map(|o| (shared_isco_digits(o, &vacancy.occupation), OccupationSource::Experience(job.months)))
    });
    // On equal depth, work done says more than a wish: prefer experience, then the longest.
    let rank = |source: &OccupationSource| match source {
        OccupationSource::Desired => 0,
        OccupationSource::Experience(months) => 1 + u32::from(*months),
    };
    let best = desired.chain(past).max_by_key(|(digits, source)| (*digits, rank(source)));
    let shared_digits = best.as_ref().map_or(0, |(d, _)| *d);
    Fit {
        kind: FactorKind::Occupation,
        applies: true,
        fit: occupation_fit_of(shared_digits),
        detail: Detail::Occupation { shared_digits, source: best.map(|(_, s)| s) },
    }
}

fn skills_in(list: &[Requirement]) -> Vec<&str> {
    list.iter().filter_map(|r| if let Requirement::Skill(s) = r { Some(s.as_str()) } else { None }).collect()
}

fn skill_requirements(vacancy: &VacancyFeatures) -> (Vec<&str>, Vec<&str>) {
    (skills_in(&vacancy.must_have), skills_in(&vacancy.nice_to_have))
}

/// Skills a worker has and the ad asks for: structured skill requirements when the ad has
/// them (must-haves count double), otherwise the worker's skills found in the ad's text
/// (three found is full credit). Adding a matching skill never lowers the fit.
fn skills(worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Fit {
    const FULL_CREDIT_IN_TEXT: usize = 3;
    let (must, nice) = skill_requirements(vacancy);
    if must.is_empty() && nice.is_empty() {
        let matched: Vec<usize> = worker
            .skills
            .iter()
            .enumerate()
            .filter(|(_, s)| contains_words(&vacancy.folded_text, &s.folded))
            .map(|(i, _)| i)
            .collect();
        return Fit {
            kind: FactorKind::Skills,
            applies: true,
            fit: matched.len().min(FULL_CREDIT_IN_TEXT) as f64 / FULL_CREDIT_IN_TEXT as f64,
            detail: Detail::SkillsInText { matched },
        };
    }
    let has = |skill: &&str| {
        let folded = caunoi_domain::text::fold(skill);
        worker.skills.iter().any(|s| s.matches(&folded))
    };
    let must_met = must.iter().filter(|s| has(s)).count();
    let nice_met = nice.iter().filter(|s| has(s)).count();
    let fit = (2 * must_met + nice_met) as f64 / (2 * must.len() + nice.len()) as f64;
    Fit {
        kind: FactorKind::Skills,
        applies: true,
        fit,
        detail: Detail::StructuredSkills { must: must.len(), must_met, nice: nice.len(), nice_met },
    }
}

fn experience(worker: &WorkerFeatures, vacancy: &VacancyFeatures, config: &ScoringConfig) -> Fit {
    let stated = vacancy
        .must_have
        .iter()
        .chain(&vacancy.nice_to_have)
        .filter_map(|r| if let Requirement::ExperienceMonths(m) = r { Some(u32::from(*m)) } else { None })
        .max();
    let wanted = stated.unwrap_or(u32::from(config.experience_full_months)).max(1);
    let months = related_experience_months(worker, &vacancy.occupation);
    Fit {
        kind: FactorKind::Experience,
        applies: true,
        fit: (f64::from(months) / f64::from(wanted)).min(1.0),
        detail: Detail::Experience { months, wanted },
    }
}

/// Mean fit of the requirements of one family (education or language), must-haves and nice-to-haves.
fn requirement_family(
    kind: FactorKind,
    worker: &WorkerFeatures,
    vacancy: &VacancyFeatures,
    in_family: fn(&Requirement) -> bool,
) -> Fit {
    let indexed = vacancy.must_have.iter().enumerate().map(|(i, r)| (true, i, r));
    let indexed = indexed.chain(vacancy.nice_to_have.iter().enumerate().map(|(i, r)| (false, i, r)));
    let mut indices = Vec::new();
    let mut total = 0.0;
    for (must, index, requirement) in indexed.filter(|(_, _, r)| in_family(r)) {
        total += assess(requirement, worker, vacancy).fit;
        indices.push((must, index));
    }
    if indices.is_empty() {
        return Fit { kind, applies: false, fit: 0.0, detail: Detail::NoRequirement };
    }
    Fit { kind, applies: true, fit: total / indices.len() as f64, detail: Detail::Requirements { indices } }
}

fn distance(worker: &WorkerFeatures, vacancy: &VacancyFeatures, config: &ScoringConfig) -> Fit {
    if vacancy.overseas.is_some() {
        return Fit { kind: FactorKind::Distance, applies: false, fit: 0.0, detail: Detail::Abroad };
    }
    match (worker.location, vacancy.location) {
        (Some(home), Some(work)) => {
            let km = home.distance_km(work);
            let ratio = km / config.distance_half_km.max(0.001);
            Fit { kind: FactorKind::Distance, applies: true, fit: 1.0 / (1.0 + ratio * ratio), detail: Detail::Distance { km } }
        }
        _ => Fit { kind: FactorKind::Distance, applies: false, fit: 0.0, detail: Detail::NoLocation },
    }
}

fn wage(worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Fit {
    const NEGOTIABLE_FIT: f64 = 0.5;
    let Some(desired) = worker.desired_min_monthly_vnd.filter(|d| *d > 0) else {
        return Fit { kind: FactorKind::Wage, applies: false, fit: 0.0, detail: Detail::WageUnknown };
    };
    match vacancy.wage_max_vnd.or(vacancy.wage_min_vnd) {
        Some(offered) => {
            let ratio = offered as f64 / desired as f64;
            Fit { kind: FactorKind::Wage, applies: true, fit: ratio.min(1.0).powi(2), detail: Detail::Wage { offered, desired } }
        }
        None => Fit { kind: FactorKind::Wage, applies: true, fit: NEGOTIABLE_FIT, detail: Detail::WageNegotiable },
    }
}

fn availability(worker: &WorkerFeatures, on: NaiveDate, config: &ScoringConfig) -> Fit {
    let (fit, detail) = match &worker.availability {
        Availability::Immediately => (1.0, Detail::Availability { from: None, not_looking: false }),
        Availability::From(from) => {
            let wait = (*from - on).num_days().max(0) as f64;
            let horizon = config.availability_horizon_days.max(1) as f64;
            ((1.0 - wait / horizon).max(0.0), Detail::Availability { from: Some(*from), not_looking: false })
        }
        Availability::NotLooking => (0.0, Detail::Availability { from: None, not_looking: true }),
    };
    Fit { kind: FactorKind::Availability, applies: true, fit, detail }
}

fn preferences(worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Fit {
    let type_match = worker.desired_employment_type.map(|t| t == vacancy.employment_type);
    let abroad = match &vacancy.overseas {
        None => AbroadFit::DomesticJob,
        Some(_) if !worker.willing_abroad => AbroadFit::NotWilling,
        Some((country, _)) if worker.desired_countries.is_empty() || worker.desired_countries.contains(country) => {
            AbroadFit::Wanted
        }
        Some(_) => AbroadFit::OtherCountry,
    };
    let abroad_fit = match abroad {
        AbroadFit::DomesticJob | AbroadFit::Wanted => 1.0,
        AbroadFit::OtherCountry => 0.5,
        AbroadFit::NotWilling => 0.0,
    };
    let fit = match type_match {
        Some(matched) => (abroad_fit + if matched { 1.0 } else { 0.0 }) / 2.0,
        None => abroad_fit,
    };
    Fit { kind: FactorKind::Preferences, applies: true, fit, detail: Detail::Preferences { type_match, abroad } }
}

fn is_education(r: &Requirement) -> bool {
    matches!(r, Requirement::Qualification(_) | Requirement::GeneralEducation(_))
}

fn is_language(r: &Requirement) -> bool {
    matches!(r, Requirement::Language(_))
}

fn fits(worker: &WorkerFeatures, vacancy: &VacancyFeatures, on: NaiveDate, config: &ScoringConfig) -> [Fit; 9] {
    [
        occupation(worker, vacancy),
        skills(worker, vacancy),
        experience(worker, vacancy, config),
        requirement_family(FactorKind::Education, worker, vacancy, is_education),
        requirement_family(FactorKind::Language, worker, vacancy, is_language),
        distance(worker, vacancy, config),
        wage(worker, vacancy),
        availability(worker, on, config),
        preferences(worker, vacancy),
    ]
}

fn total_of(fits: &[Fit], weights: &ScoreWeights) -> (f64, f64) {
    let applicable_weight: f64 = fits.iter().filter(|f| f.applies).map(|f| f.kind.weight(weights)).sum();
    let weighted: f64 = fits.iter().filter(|f| f.applies).map(|f| f.kind.weight(weights) * f.fit).sum();
    let total = if applicable_weight > 0.0 { 100.0 * weighted / applicable_weight } else { 0.0 };
    (total, applicable_weight)
}

/// The 0–100 score of a pair on `on`, without explanations.
pub fn score(worker: &WorkerFeatures, vacancy: &VacancyFeatures, on: NaiveDate, config: &ScoringConfig) -> f64 {
    total_of(&fits(worker, vacancy, on, config), &config.weights).0
}

/// The score with every factor's points and phrase.
pub fn explain(worker: &WorkerFeatures, vacancy: &VacancyFeatures, on: NaiveDate, config: &ScoringConfig) -> ScoreBreakdown {
    let fits = fits(worker, vacancy, on, config);
    let (total, applicable_weight) = total_of(&fits, &config.weights);
    let factors = fits
        .iter()
        .map(|f| {
            let weight = f.kind.weight(&config.weights);
            let points = if f.applies && applicable_weight > 0.0 { 100.0 * weight * f.fit / applicable_weight } else { 0.0 };
            Factor { kind: f.kind, applies: f.applies, weight, fit: f.fit, points, explanation: render(&f.detail, worker, vacancy) }
        })
        .collect();
    ScoreBreakdown { total, factors }
}

fn isco_prefix(code: &IscoCode, digits: usize) -> IscoCode {
    code.ancestors().into_iter().nth(digits.saturating_sub(1)).unwrap_or_else(|| code.clone())
}

fn vnd_millions(amount: f64) -> String {
    let millions = amount / 1_000_000.0;
    let text = format!("{millions:.1}");
    text.strip_suffix(".0").unwrap_or(&text).replace('.', ",")
}

fn render(detail: &Detail, worker: &WorkerFeatures, vacancy: &VacancyFeatures) -> Message {
    match detail {
        Detail::Occupation { shared_digits, source } => {
            let how_vi = match source {
                Some(OccupationSource::Desired) => " (nghề mong muốn)".to_owned(),
                Some(OccupationSource::Experience(months)) => format!(" (đã làm {months} tháng)"),
                None => String::new(),
            };
            let how_en = match source {
                Some(OccupationSource::Desired) => " (desired occupation)".to_owned(),
                Some(OccupationSource::Experience(months)) => format!(" ({months} months of work)"),
                None => String::new(),
            };
            if *shared_digits == 0 {
                return Message::new(
                    format!("khác nhóm nghề {}", occupation_label(&vacancy.occupation.major())),
                    format!("different major group than {}", vacancy.occupation.major()),
                );
            }
            let group = isco_prefix(&vacancy.occupation, *shared_digits);
            let (level_vi, level_en) = match shared_digits {
                4.. => ("cùng nhóm nghề", "same unit group"),
                3 => ("cùng nhóm nghề cấp 3", "same minor group"),
                2 => ("cùng nhóm nghề cấp 2", "same sub-major group"),
                _ => ("cùng nhóm nghề cấp 1", "same major group"),
            };
            Message::new(format!("{level_vi} {}{how_vi}", occupation_label(&group)), format!("{level_en} {group}{how_en}"))
        }
        Detail::StructuredSkills { must, must_met, nice, nice_met } => Message::new(
            format!("có {must_met}/{must} kỹ năng bắt buộc và {nice_met}/{nice} kỹ năng ưu tiên"),
            format!("{must_met}/{must} required and {nice_met}/{nice} preferred skills"),
        ),
        Detail::SkillsInText { matched } if matched.is_empty() => {
            Message::new("không thấy kỹ năng nào của người lao động trong tin tuyển dụng", "none of the worker's skills appear in the ad")
        }
        Detail::SkillsInText { matched } => {
            let names: Vec<&str> = matched.iter().filter_map(|i| worker.skills.get(*i)).map(|s| s.label.as_str()).collect();
            Message::new(format!("tin tuyển dụng cần: {}", names.join(", ")), format!("the ad mentions: {}", names.join(", ")))
        }
        Detail::Experience { months, wanted } => Message::new(
            format!("{months} tháng kinh nghiệm trong nhóm nghề (đủ điểm từ {wanted} tháng)"),
            format!("{months} months of related experience (full credit from {wanted})"),
        ),
        Detail::Requirements { indices } => {
            let phrases: Vec<Message> = indices
                .iter()
                .filter_map(|(must, i)| if *must { vacancy.must_have.get(*i) } else { vacancy.nice_to_have.get(*i) })
                .map(|r| assess(r, worker, vacancy).message)
                .collect();
            Message::new(
                phrases.iter().map(|m| m.vi.as_str()).collect::<Vec<_>>().join("; "),
                phrases.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("; "),
            )
        }
        Detail::NoRequirement => Message::new("tin tuyển dụng không yêu cầu", "not required by the ad"),
        Detail::Distance { km } => Message::new(format!("cách nơi ở {km:.0} km"), format!("{km:.0} km from home")),
        Detail::Abroad => Message::new("làm việc ở nước ngoài", "work abroad"),
        Detail::NoLocation => Message::new("không xác định được vị trí", "location unknown"),
        Detail::Wage { offered, desired } => {
            let (o, d) = (vnd_millions(*offered as f64), vnd_millions(*desired as f64));
            if *offered as i64 >= *desired {
                Message::new(format!("lương đến {o} triệu/tháng, đạt mức mong muốn {d} triệu"), format!("pays up to {o}m VND/month, meets the wish of {d}m"))
            } else {
                Message::new(format!("lương đến {o} triệu/tháng, thấp hơn mức mong muốn {d} triệu"), format!("pays up to {o}m VND/month, below the wish of {d}m"))
            }
        }
        Detail::WageNegotiable => Message::new("lương thỏa thuận", "wage negotiable"),
        Detail::WageUnknown => Message::new("người lao động chưa nêu mức lương mong muốn", "no desired wage stated"),
        Detail::Availability { not_looking: true, .. } => Message::new("hiện không tìm việc", "not looking for work now"),
        Detail::Availability { from: Some(from), .. } => {
            Message::new(format!("có thể đi làm từ {}", date_vi(*from)), format!("available from {from}"))
        }
        Detail::Availability { .. } => Message::new("sẵn sàng đi làm ngay", "available immediately"),
        Detail::Preferences { type_match, abroad } => {
            let mut vi = Vec::new();
            let mut en = Vec::new();
            match type_match {
                Some(true) => {
                    vi.push(format!("đúng hình thức {}", vacancy.employment_type.label_vi().to_lowercase()));
                    en.push(format!("wanted {}", vacancy.employment_type.code()));
                }
                Some(false) => {
                    let wanted = worker.desired_employment_type.unwrap_or(EmploymentType::FullTime);
                    vi.push(format!("muốn làm {}", wanted.label_vi().to_lowercase()));
                    en.push(format!("wants {}", wanted.code()));
                }
                None => {}
            }
            match abroad {
                AbroadFit::DomesticJob => {}
                AbroadFit::Wanted => {
                    vi.push("muốn đi làm việc ở nước này".to_owned());
                    en.push("wants to work in this country".to_owned());
                }
                AbroadFit::OtherCountry => {
                    vi.push("muốn đi nước khác".to_owned());
                    en.push("prefers another country".to_owned());
                }
                AbroadFit::NotWilling => {
                    vi.push("không muốn đi làm việc ở nước ngoài".to_owned());
                    en.push("does not want to work abroad".to_owned());
                }
            }
            if vi.is_empty() {
                Message::new("không nêu mong muốn riêng", "no stated preference")
            } else {
                Message::new(vi.join(", "), en.join(", "))
            }
        }
    }
}
