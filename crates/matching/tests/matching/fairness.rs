//! Exposure by group against the eligible pool.

use caunoi_domain::Sex;
use caunoi_domain::records::PriorityGroup;
use caunoi_matching::fairness::{Attribute, position_weight};
use caunoi_matching::{FairnessConfig, WorkerFeatures, fairness_report};

use crate::fixtures::*;

fn person(n: usize, sex: Sex) -> WorkerFeatures {
    with(profile(ymd(1990 + (n % 10) as i32, 1, 1)), |p| {
        p.id = caunoi_domain::WorkerId(uuid::Uuid::from_u128(n as u128));
        p.sex = sex;
        if n.is_multiple_of(4) {
            p.ethnicity = Some("Tày".into());
        }
        if n.is_multiple_of(10) {
            p.priority_groups.insert(PriorityGroup::Disability);
        }
    })
}

#[test]
fn position_discount() {
    assert_eq!(position_weight(1), 1.0);
    assert_eq!(position_weight(3), 0.5);
    assert!(position_weight(10) < position_weight(9));
}

#[test]
fn a_men_only_shortlist_from_a_mixed_pool_raises_an_alert() {
    let pool: Vec<WorkerFeatures> = (0..40).map(|n| person(n, if n % 2 == 0 { Sex::Male } else { Sex::Female })).collect();
    let pool_refs: Vec<&WorkerFeatures> = pool.iter().collect();
    let men_first: Vec<&WorkerFeatures> = pool.iter().filter(|w| w.sex == Sex::Male).take(10).collect();
    let report = fairness_report(&men_first, &pool_refs, ymd(2026, 12, 1), &FairnessConfig::default());
    let female = report.groups.iter().find(|g| g.attribute == Attribute::Sex && g.group == "female").unwrap();
    assert_eq!(female.ranked_count, 0);
    assert_eq!(female.pool_share, 0.5);
    assert_eq!(female.ratio, Some(0.0));
    assert!(female.flagged);
    assert!(report.alerts.iter().any(|a| a.vi.starts_with("Giới tính — Nữ")), "{:?}", report.alerts);
    let male = report.groups.iter().find(|g| g.attribute == Attribute::Sex && g.group == "male").unwrap();
    assert!((male.ratio.unwrap() - 2.0).abs() < 1e-9);
    // Shares of one attribute add up to one.
    let total: f64 = report.groups.iter().filter(|g| g.attribute == Attribute::AgeBand).map(|g| g.exposure_share).sum();
    assert!((total - 1.0).abs() < 1e-9);
    for attribute in Attribute::ALL {
        assert!(report.groups.iter().any(|g| g.attribute == attribute), "{attribute:?}");
    }
    let minority = report.groups.iter().find(|g| g.attribute == Attribute::EthnicMinority && g.group == "minority").unwrap();
    assert_eq!(minority.pool_count, 10);
    let province = report.groups.iter().find(|g| g.attribute == Attribute::Province).unwrap();
    assert_eq!(province.label_vi, "Hà Nội");
}

#[test]
fn an_alternating_shortlist_is_not_flagged() {
    let pool: Vec<WorkerFeatures> = (0..40).map(|n| person(n, if n % 2 == 0 { Sex::Male } else { Sex::Female })).collect();
    let pool_refs: Vec<&WorkerFeatures> = pool.iter().collect();
    let alternating: Vec<&WorkerFeatures> = pool.iter().take(10).collect();
    let report = fairness_report(&alternating, &pool_refs, ymd(2026, 12, 1), &FairnessConfig::default());
    let sex_flags: Vec<_> = report.groups.iter().filter(|g| g.attribute == Attribute::Sex && g.flagged).collect();
    assert!(sex_flags.is_empty(), "{sex_flags:?}");
}
