//! The score: explained factors, the ISCO hierarchy, distance, wages, and monotonicity
//! properties (more matching skills or a closer home never lower it).

use caunoi_domain::records::{OverseasProgramme, PriorityGroup, Requirement};
use caunoi_domain::reference::AdminCatalog;
use caunoi_domain::{JlptLevel, LanguageCertificate};
use caunoi_matching::ranking::{RankKey, compare, top_k};
use caunoi_matching::scoring::{explain, score};
use caunoi_matching::{EligibilityContext, FactorKind, Matcher, PriorityPolicy, ScoringConfig};
use proptest::prelude::*;

use crate::fixtures::*;

const ON: (i32, u32, u32) = (2026, 12, 1);

fn on() -> chrono::NaiveDate {
    ymd(ON.0, ON.1, ON.2)
}

#[test]
fn every_factor_is_explained_and_points_add_up() {
    let vacancy = features(&domestic_vacancy(HANOI_NEAR, "7212"));
    let breakdown = explain(&worker(ymd(1998, 4, 2)), &vacancy, on(), &ScoringConfig::default());
    assert_eq!(breakdown.factors.len(), FactorKind::ALL.len());
    let sum: f64 = breakdown.factors.iter().map(|f| f.points).sum();
    assert!((sum - breakdown.total).abs() < 1e-9, "{sum} vs {}", breakdown.total);
    let phrase = |kind: FactorKind| breakdown.factors.iter().find(|f| f.kind == kind).unwrap().explanation.vi.clone();
    assert_eq!(phrase(FactorKind::Occupation), "cùng nhóm nghề 7212 Thợ hàn và thợ cắt kim loại (đã làm 24 tháng)");
    assert_eq!(phrase(FactorKind::Distance), "cách nơi ở 2 km");
    assert_eq!(phrase(FactorKind::Skills), "tin tuyển dụng cần: Hàn MIG, Đọc bản vẽ kỹ thuật");
    assert_eq!(phrase(FactorKind::Wage), "lương đến 12 triệu/tháng, đạt mức mong muốn 9 triệu");
    assert_eq!(phrase(FactorKind::Availability), "sẵn sàng đi làm ngay");
    let education = breakdown.factors.iter().find(|f| f.kind == FactorKind::Education).unwrap();
    assert!(!education.applies && education.points == 0.0, "the ad asks for no education level");
    assert_eq!(score(&worker(ymd(1998, 4, 2)), &vacancy, on(), &ScoringConfig::default()), breakdown.total);
}

#[test]
fn occupation_fit_follows_the_isco_hierarchy() {
    let worker = with(profile(ymd(1998, 4, 2)), |p| p.occupation_history.clear());
    let config = ScoringConfig::default();
    let scores: Vec<f64> = ["7212", "7213", "7221", "7311", "5120"]
        .iter()
        .map(|code| {
            let breakdown = explain(&worker, &features(&domestic_vacancy(HANOI, code)), on(), &config);
            breakdown.factors.iter().find(|f| f.kind == FactorKind::Occupation).unwrap().fit
        })
        .collect();
    assert_eq!(scores, [1.0, 0.75, 0.5, 0.2, 0.0]);
    let minor = explain(&worker, &features(&domestic_vacancy(HANOI, "7213")), on(), &config);
    let text = &minor.factors[0].explanation.vi;
    assert!(text.starts_with("cùng nhóm nghề cấp 3 721 "), "{text}");
}

#[test]
fn distance_counts_at_home_only() {
    let config = ScoringConfig::default();
    let worker = worker(ymd(1998, 4, 2));
    let near = score(&worker, &features(&domestic_vacancy(HANOI_NEAR, "7212")), on(), &config);
    let far = score(&worker, &features(&domestic_vacancy(SOUTH, "7212")), on(), &config);
    assert!(near > far, "{near} > {far}");
    let abroad = explain(&worker, &features(&job_order(OverseasProgramme::Titp, "JP", "7212")), on(), &config);
    let distance = abroad.factors.iter().find(|f| f.kind == FactorKind::Distance).unwrap();
    assert!(!distance.applies);
}

#[test]
fn foreign_wages_are_compared_in_vnd_a_month() {
    let worker = with(profile(ymd(1998, 4, 2)), |p| p.desired.min_monthly_vnd = Some(30_000_000));
    let breakdown = explain(&worker, &features(&job_order(OverseasProgramme::Titp, "JP", "7212")), on(), &ScoringConfig::default());
    let wage = breakdown.factors.iter().find(|f| f.kind == FactorKind::Wage).unwrap();
    // ¥200,000 at 170 VND = 34m VND.
    assert_eq!(wage.fit, 1.0);
    assert_eq!(wage.explanation.vi, "lương đến 34 triệu/tháng, đạt mức mong muốn 30 triệu");
}

#[test]
fn language_factor_says_what_is_missing() {
    let mut order = job_order(OverseasProgramme::Ssw, "JP", "7212");
    order.requirements.must_have = vec![Requirement::Language(LanguageCertificate::Jlpt(JlptLevel::N4))];
    order.requirements.nice_to_have = vec![Requirement::Skill("hàn TIG".into())];
    let worker = with(profile(ymd(1998, 4, 2)), |p| p.languages = vec![LanguageCertificate::Jlpt(JlptLevel::N5)]);
    let order = features(&order);
    let breakdown = explain(&worker, &order, on(), &ScoringConfig::default());
    let language = breakdown.factors.iter().find(|f| f.kind == FactorKind::Language).unwrap();
    assert_eq!(language.explanation.vi, "thiếu JLPT N4 — có JLPT N5");
    assert_eq!(language.fit, 0.5);
    let explanation = Matcher::default().explain(&worker, &order, &EligibilityContext::on(on()));
    let missing: Vec<(&str, bool)> = explanation.gaps.iter().map(|g| (g.gap.missing.vi.as_str(), g.required)).collect();
    assert!(missing.contains(&("Tiếng Nhật JLPT N4", true)), "{missing:?}");
    assert!(missing.contains(&("Kỹ năng hàn TIG", false)), "{missing:?}");
    assert!(explanation.gaps.iter().all(|g| g.gap.training.is_some() || g.gap.missing.vi.contains("kinh nghiệm")));
}

#[test]
fn priority_groups_break_ties_visibly_and_never_change_scores() {
    let policy = PriorityPolicy::default();
    let id = |n: u128| uuid::Uuid::from_u128(n);
    let plain = RankKey { id: id(1), score: 70.4, priority: false };
    let priority = RankKey { id: id(2), score: 70.1, priority: true };
    let better = RankKey { id: id(3), score: 71.2, priority: false };
    let ranked = top_k(vec![plain, priority, better], 3, |k| *k, &policy);
    assert_eq!(ranked.iter().map(|k| k.id).collect::<Vec<_>>(), [id(3), id(2), id(1)]);
    assert_eq!(ranked[1].score, 70.1, "the score itself is untouched");
    // Without the policy only the score (then the id) orders.
    let ranked = top_k(vec![plain, priority, better], 3, |k| *k, &PriorityPolicy::none());
    assert_eq!(ranked.iter().map(|k| k.id).collect::<Vec<_>>(), [id(3), id(1), id(2)]);
    assert_eq!(compare(&plain, &plain, &policy), std::cmp::Ordering::Equal);
    let worker = with(profile(ymd(1998, 4, 2)), |p| {
        p.priority_groups.insert(PriorityGroup::PoorHousehold);
    });
    let explanation = Matcher::default().explain(&worker, &features(&domestic_vacancy(HANOI, "7212")), &EligibilityContext::on(on()));
    assert_eq!(explanation.priority_groups, [PriorityGroup::PoorHousehold]);
    assert_eq!(explanation.priority_note.unwrap().vi, "Ưu tiên khi đồng điểm (chính sách): Hộ nghèo");
}

const SKILL_POOL: &[&str] = &["Hàn MIG", "Hàn TIG", "Đọc bản vẽ kỹ thuật", "Cắt plasma", "Mài kim loại", "Lái xe nâng", "May công nghiệp"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn more_matching_skills_never_lower_the_score(
        has in proptest::collection::vec(any::<bool>(), SKILL_POOL.len()),
        must in proptest::collection::vec(any::<bool>(), SKILL_POOL.len()),
        nice in proptest::collection::vec(any::<bool>(), SKILL_POOL.len()),
        extra in 0..SKILL_POOL.len(),
        structured in any::<bool>(),
    ) {
        let mut vacancy = domestic_vacancy(HANOI, "7212");
        if structured {
            vacancy.requirements.must_have = SKILL_POOL.iter().zip(&must).filter(|(_, m)| **m).map(|(s, _)| Requirement::Skill((*s).into())).collect();
            vacancy.requirements.nice_to_have = SKILL_POOL.iter().zip(&nice).filter(|(_, n)| **n).map(|(s, _)| Requirement::Skill((*s).into())).collect();
        } else {
            vacancy.description = format!("Cần: {}", SKILL_POOL.iter().zip(&must).filter(|(_, m)| **m).map(|(s, _)| *s).collect::<Vec<_>>().join(", "));
        }
        let vacancy = features(&vacancy);
        let skills: Vec<String> = SKILL_POOL.iter().zip(&has).filter(|(_, h)| **h).map(|(s, _)| (*s).to_owned()).collect();
        let before = with(profile(ymd(1998, 4, 2)), |p| p.skills = skills.clone());
        let after = with(profile(ymd(1998, 4, 2)), |p| {
            p.skills = skills.clone();
            if !p.skills.iter().any(|s| s == SKILL_POOL[extra]) {
                p.skills.push(SKILL_POOL[extra].to_owned());
            }
        });
        let config = ScoringConfig::default();
        let (s0, s1) = (score(&before, &vacancy, on(), &config), score(&after, &vacancy, on(), &config));
        prop_assert!(s1 >= s0 - 1e-9, "{} < {}", s1, s0);
    }

    #[test]
    fn a_closer_home_never_lowers_the_score(a in 0usize..3321, b in 0usize..3321, v in 0usize..3321) {
        let communes = AdminCatalog::embedded().communes();
        let (a, b, v) = (&communes[a % communes.len()], &communes[b % communes.len()], &communes[v % communes.len()]);
        let vacancy = features(&domestic_vacancy(v.code.as_str(), "7212"));
        let at = |code: &caunoi_domain::CommuneCode| with(profile(ymd(1998, 4, 2)), |p| p.residence_commune = code.clone());
        let (wa, wb) = (at(&a.code), at(&b.code));
        let (da, db) = (wa.location.unwrap().distance_km(vacancy.location.unwrap()), wb.location.unwrap().distance_km(vacancy.location.unwrap()));
        let config = ScoringConfig::default();
        let (sa, sb) = (score(&wa, &vacancy, on(), &config), score(&wb, &vacancy, on(), &config));
        if da <= db {
            prop_assert!(sa >= sb - 1e-9, "closer {da} km scored {sa} < {sb} at {db} km");
        } else {
            prop_assert!(sb >= sa - 1e-9);
        }
    }
}

#[test]
fn a_vocational_certificate_closes_the_gap_it_certifies() {
    use caunoi_domain::records::Requirements;
    use caunoi_domain::training::{CertificateKind, SkillNeed, TrainingLevel, VocationalCertificate};
    use caunoi_domain::Qualification;
    let mut vacancy = domestic_vacancy(HANOI_NEAR, "7212");
    vacancy.requirements = Requirements {
        must_have: vec![Requirement::Skill("Hàn TIG".into()), Requirement::Qualification(Qualification::TrungCap)],
        nice_to_have: vec![],
    };
    let vacancy = features(&vacancy);
    let context = EligibilityContext::on(on());
    let before = Matcher::default().explain(&worker(ymd(1998, 4, 2)), &vacancy, &context);
    let needs: Vec<&SkillNeed> = before.gaps.iter().filter_map(|g| g.gap.need.as_ref()).collect();
    assert!(needs.contains(&&SkillNeed::Skill("Hàn TIG".into())), "{needs:?}");
    assert!(needs.iter().any(|n| matches!(n, SkillNeed::Qualification { level: Qualification::TrungCap, .. })), "{needs:?}");

    let certified = with(profile(ymd(1998, 4, 2)), |p| {
        p.certificates.push(VocationalCertificate {
            kind: CertificateKind::TrungCapDiploma,
            number: Some("TC-01".into()),
            issued_on: ymd(2026, 6, 30),
            trade: isco("7212"),
            title: "Hàn".into(),
            level: TrainingLevel::TrungCap,
            skills: vec!["hàn TIG".into()],
            issuer: "Trường Trung cấp nghề".into(),
            class_id: None,
        });
    });
    let after = Matcher::default().explain(&certified, &vacancy, &context);
    assert!(after.gaps.is_empty(), "{:?}", after.gaps);
    assert!(after.score.total > before.score.total);
}
