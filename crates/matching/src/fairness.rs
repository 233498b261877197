//! Fairness report for a ranking or shortlist: how much attention (exposure) each group gets
//! compared with its share of the eligible pool, by sex, age band, ethnicity (minority or
//! not), disability and province.
//!
//! Exposure of rank r (1 = top) is 1 / log₂(1 + r), the usual position discount: the first
//! place counts 1, the third 0.5. A group's exposure share divided by its pool share is 1 when
//! the ranking treats it like the pool; below the alert ratio (0.8 by default, the
//! "four-fifths" rule of thumb) the report raises an alert. Only aggregates leave this module.

use std::collections::BTreeMap;

use caunoi_domain::reference::AdminCatalog;
use chrono::NaiveDate;
use serde::Serialize;

use crate::features::WorkerFeatures;
use crate::message::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Sex,
    AgeBand,
    EthnicMinority,
    Disability,
    Province,
}

impl Attribute {
    pub const ALL: [Attribute; 5] = [Self::Sex, Self::AgeBand, Self::EthnicMinority, Self::Disability, Self::Province];

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Sex => "Giới tính",
            Self::AgeBand => "Nhóm tuổi",
            Self::EthnicMinority => "Dân tộc",
            Self::Disability => "Khuyết tật",
            Self::Province => "Tỉnh, thành phố",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FairnessConfig {
    /// Exposure ratio under which a group is flagged.
    pub alert_ratio: f64,
    /// Groups smaller than this in the pool are reported but never flagged (too few to judge).
    pub min_pool_count: usize,
}

impl Default for FairnessConfig {
    fn default() -> Self {
        Self { alert_ratio: 0.8, min_pool_count: 10 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupExposure {
    pub attribute: Attribute,
    /// Stable code: "female", "25-34", "minority", "disability", "01"…
    pub group: String,
    pub label_vi: String,
    pub ranked_count: usize,
    pub exposure_share: f64,
    pub pool_count: usize,
    pub pool_share: f64,
    /// exposure_share ÷ pool_share; `None` when the group is absent from the pool.
    pub ratio: Option<f64>,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessReport {
    pub ranked: usize,
    pub pool: usize,
    pub groups: Vec<GroupExposure>,
    pub alerts: Vec<Message>,
}

/// Exposure weight of a 1-based rank.
pub fn position_weight(rank: usize) -> f64 {
    1.0 / ((1 + rank) as f64).log2()
}

fn age_band(age: u32) -> (&'static str, &'static str) {
    match age {
        0..=24 => ("15-24", "Dưới 25 tuổi"),
        25..=34 => ("25-34", "25–34 tuổi"),
        35..=44 => ("35-44", "35–44 tuổi"),
        45..=54 => ("45-54", "45–54 tuổi"),
        _ => ("55+", "Từ 55 tuổi"),
    }
}

/// The group of a worker for one attribute: (code, Vietnamese label).
fn group_of(worker: &WorkerFeatures, attribute: Attribute, on: NaiveDate) -> (String, String) {
    match attribute {
        Attribute::Sex => (worker.sex.code().to_owned(), worker.sex.label_vi().to_owned()),
        Attribute::AgeBand => {
            let (code, label) = age_band(worker.age_on(on));
            (code.to_owned(), label.to_owned())
        }
        Attribute::EthnicMinority => match worker.ethnic_minority {
            Some(true) => ("minority".into(), "Dân tộc thiểu số".into()),
            Some(false) => ("kinh".into(), "Dân tộc Kinh".into()),
            None => ("unknown".into(), "Chưa ghi dân tộc".into()),
        },
        Attribute::Disability => {
            if worker.has_disability() {
                ("disability".into(), "Người khuyết tật".into())
            } else {
                ("no_disability".into(), "Không ghi nhận khuyết tật".into())
            }
        }
        Attribute::Province => match &worker.province {
            Some(code) => {
                let name = AdminCatalog::embedded().province(code).map(|p| p.name.clone()).unwrap_or_else(|| code.to_string());
                (code.to_string(), name)
            }
            None => ("unknown".into(), "Chưa xác định".into()),
        },
    }
}

/// Exposure of each group in `ranking` (best first) against its share of `pool`.
pub fn fairness_report(ranking: &[&WorkerFeatures], pool: &[&WorkerFeatures], on: NaiveDate, config: &FairnessConfig) -> FairnessReport {
    let total_exposure: f64 = (1..=ranking.len()).map(position_weight).sum();
    let mut groups = Vec::new();
    let mut alerts = Vec::new();
    for attribute in Attribute::ALL {
        // code → (label, ranked count, exposure, pool count)
        let mut tally: BTreeMap<String, (String, usize, f64, usize)> = BTreeMap::new();
        for (position, worker) in ranking.iter().enumerate() {
            let (code, label) = group_of(worker, attribute, on);
            let entry = tally.entry(code).or_insert((label, 0, 0.0, 0));
            entry.1 += 1;
            entry.2 += position_weight(position + 1);
        }
        for worker in pool {
            let (code, label) = group_of(worker, attribute, on);
            tally.entry(code).or_insert((label, 0, 0.0, 0)).3 += 1;
        }
        for (group, (label_vi, ranked_count, exposure, pool_count)) in tally {
            let exposure_share = if total_exposure > 0.0 { exposure / total_exposure } else { 0.0 };
            let pool_share = if pool.is_empty() { 0.0 } else { pool_count as f64 / pool.len() as f64 };
            let ratio = (pool_share > 0.0).then(|| exposure_share / pool_share);
            let flagged = !ranking.is_empty()
                && pool_count >= config.min_pool_count
                && ratio.is_some_and(|r| r < config.alert_ratio);
            if flagged {
                let r = ratio.unwrap_or_default();
                alerts.push(Message::new(
                    format!(
                        "{} — {}: được hiển thị {:.0}% so với tỷ lệ {:.0}% trong nhóm đủ điều kiện (tỷ số {:.2} < {:.2})",
                        attribute.label_vi(),
                        label_vi,
                        exposure_share * 100.0,
                        pool_share * 100.0,
                        r,
                        config.alert_ratio
                    ),
                    format!(
                        "{attribute:?} {group}: {:.0}% of exposure against {:.0}% of the eligible pool (ratio {r:.2} < {:.2})",
                        exposure_share * 100.0,
                        pool_share * 100.0,
                        config.alert_ratio
                    ),
                ));
            }
            groups.push(GroupExposure {
                attribute,
                group,
                label_vi,
                ranked_count,
                exposure_share,
                pool_count,
                pool_share,
                ratio,
                flagged,
            });
        }
    }
    FairnessReport { ranked: ranking.len(), pool: pool.len(), groups, alerts }
}
