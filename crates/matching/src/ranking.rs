//! Ordering matches: by score, with policy priority groups as a visible, configurable
//! tie-break (never a penalty), then by id so that equal inputs always give equal rankings.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use caunoi_domain::records::PriorityGroup;
use serde::Serialize;
use uuid::Uuid;

use crate::features::WorkerFeatures;
use crate::message::Message;

/// Which priority groups break ties, and how wide a tie is.
///
/// Scores are grouped into bands of `band_points` (floor of score ÷ band); inside a band,
/// workers in a listed group come first, then higher scores, then lower ids. With
/// `band_points = 0` only exactly equal scores are ties. Nobody's score is ever changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityPolicy {
    pub groups: BTreeSet<PriorityGroup>,
    pub band_points: f64,
}

impl Default for PriorityPolicy {
    /// The groups of the Employment Law 2025 Art. 14 and Decree 61/2015 support lists
    /// (DOMAIN.md §5.10) that a profile records, within one score point.
    fn default() -> Self {
        Self { groups: PriorityGroup::ALL.iter().copied().collect(), band_points: 1.0 }
    }
}

impl PriorityPolicy {
    /// No tie-break by priority group.
    pub fn none() -> Self {
        Self { groups: BTreeSet::new(), band_points: 0.0 }
    }

    /// The listed groups this worker belongs to (empty: no tie-break applies).
    pub fn groups_of(&self, worker: &WorkerFeatures) -> Vec<PriorityGroup> {
        worker.priority_groups.intersection(&self.groups).copied().collect()
    }

    fn band(&self, score: f64) -> i64 {
        if self.band_points > 0.0 { (score / self.band_points).floor() as i64 } else { (score * 1e9).round() as i64 }
    }

    /// "Ưu tiên khi đồng điểm: Hộ nghèo, Người dân tộc thiểu số".
    pub fn note(groups: &[PriorityGroup]) -> Option<Message> {
        (!groups.is_empty()).then(|| {
            let vi: Vec<&str> = groups.iter().map(|g| g.label_vi()).collect();
            let en: Vec<&str> = groups.iter().map(|g| g.code()).collect();
            Message::new(
                format!("Ưu tiên khi đồng điểm (chính sách): {}", vi.join(", ")),
                format!("Policy tie-break priority: {}", en.join(", ")),
            )
        })
    }
}

/// One ranked item: what the order depends on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RankKey {
    pub id: Uuid,
    pub score: f64,
    pub priority: bool,
}

/// Best first.
pub fn compare(a: &RankKey, b: &RankKey, policy: &PriorityPolicy) -> Ordering {
    policy
        .band(b.score)
        .cmp(&policy.band(a.score))
        .then_with(|| b.priority.cmp(&a.priority))
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.id.cmp(&b.id))
}

/// The best `k` items, best first (O(n) selection, then a sort of the k).
pub fn top_k<T>(mut items: Vec<T>, k: usize, key: impl Fn(&T) -> RankKey, policy: &PriorityPolicy) -> Vec<T> {
    let order = |a: &T, b: &T| compare(&key(a), &key(b), policy);
    if k == 0 {
        return Vec::new();
    }
    if items.len() > k {
        items.select_nth_unstable_by(k - 1, order);
        items.truncate(k);
    }
    items.sort_by(order);
    items
}
