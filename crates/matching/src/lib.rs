//! Matching engine of Cầu Nối: which workers may take which vacancies (eligibility rules as
//! effective-dated data), how well they fit (a transparent weighted score, every factor
//! explained in Vietnamese), top-K in both directions with candidates drawn from the search
//! indexes, a fairness report on exposure, and interview schedules for job fairs.
//!
//! Architecture invariant: knows nothing of HTTP or the database. Inputs are domain records
//! (or their [`features`]), search indexes and the rule table; outputs are plain values.

pub mod candidates;
pub mod eligibility;
pub mod engine;
pub mod evidence;
pub mod fairness;
pub mod features;
pub mod message;
pub mod ranking;
pub mod requirements;
pub mod rules;
pub mod schedule;
pub mod scoring;
mod flow;

pub use eligibility::{Eligibility, EligibilityContext, Outcome, RuleResult, RuleSource, evaluate};
pub use engine::{MatchExplanation, Matcher, RequirementGap, Scored};
pub use evidence::{SkillsTest, WorkerEvidence};
pub use features::{GeoPoint, VacancyFeatures, WageConversion, WorkerFeatures};
pub use message::{Gap, Message};
pub use ranking::{PriorityPolicy, RankKey};
pub use rules::{Check, Rule, RuleScope, RuleTable, RuleTableError, Verification};
pub use scoring::{Factor, FactorKind, ScoreBreakdown, ScoreWeights, ScoringConfig};
pub use candidates::{
    CandidateFilters, CandidatePool, CandidateResults, MatchingError, RankedMatch, RecommendationScope, VacancyCandidates, VacancyCatalogue,
    VacancySource, WorkerPool, WorkerSource,
    candidate_pool, rank_pool, recommend_batch, top_candidates, top_vacancies,
};
pub use fairness::{FairnessConfig, FairnessReport, fairness_report};
pub use schedule::{Employer, Interview, InterviewOption, Schedule, ScheduleError, ScheduleRequest, Seeker, schedule};
