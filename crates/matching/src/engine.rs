//! A pair explained in full: score with its factors, eligibility with its rules, the gaps and
//! the training that would close them, and any policy priority applied.

use caunoi_domain::records::{PriorityGroup, Requirement};
use serde::Serialize;
use uuid::Uuid;

use crate::eligibility::{Eligibility, EligibilityContext, Outcome, evaluate};
use crate::features::{VacancyFeatures, WorkerFeatures};
use crate::message::{Gap, Message};
use crate::ranking::{PriorityPolicy, RankKey};
use crate::requirements::assess;
use crate::scoring::{ScoreBreakdown, ScoringConfig, explain, score};

/// Scoring and ranking configuration (the rule table travels in each [`EligibilityContext`]).
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pub scoring: ScoringConfig,
    pub priority: PriorityPolicy,
}

/// A worker and a vacancy, explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchExplanation {
    pub worker_id: Uuid,
    pub vacancy_id: Uuid,
    pub score: ScoreBreakdown,
    pub eligibility: Eligibility,
    /// Missing must-haves and rules (`required = true`), then missing nice-to-haves.
    pub gaps: Vec<RequirementGap>,
    pub priority_groups: Vec<PriorityGroup>,
    pub priority_note: Option<Message>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementGap {
    pub required: bool,
    pub gap: Gap,
}

/// A scored candidate before explanation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored {
    pub id: Uuid,
    pub score: f64,
    pub priority: bool,
    pub eligibility: Outcome,
}

impl Scored {
    pub fn key(&self) -> RankKey {
        RankKey { id: self.id, score: self.score, priority: self.priority }
    }
}

impl Matcher {
    /// Eligibility verdict and score of a pair, the cheap way (no text kept).
    pub fn score_pair(&self, worker: &WorkerFeatures, vacancy: &VacancyFeatures, context: &EligibilityContext<'_>) -> (Outcome, f64) {
        let outcome = evaluate(worker, vacancy, context).outcome;
        (outcome, score(worker, vacancy, context.on, &self.scoring))
    }

    pub fn is_priority(&self, worker: &WorkerFeatures) -> bool {
        worker.priority_groups.iter().any(|g| self.priority.groups.contains(g))
    }

    /// Everything about one pair.
    pub fn explain(&self, worker: &WorkerFeatures, vacancy: &VacancyFeatures, context: &EligibilityContext<'_>) -> MatchExplanation {
        let eligibility = evaluate(worker, vacancy, context);
        let mut gaps: Vec<RequirementGap> =
            eligibility.gaps().map(|gap| RequirementGap { required: true, gap: gap.clone() }).collect();
        for requirement in &vacancy.nice_to_have {
            if matches!(requirement, Requirement::Text(_)) {
                continue;
            }
            if let Some(gap) = assess(requirement, worker, vacancy).gap {
                gaps.push(RequirementGap { required: false, gap });
            }
        }
        let priority_groups = self.priority.groups_of(worker);
        MatchExplanation {
            worker_id: worker.id,
            vacancy_id: vacancy.id,
            score: explain(worker, vacancy, context.on, &self.scoring),
            eligibility,
            gaps,
            priority_note: PriorityPolicy::note(&priority_groups),
            priority_groups,
        }
    }
}
