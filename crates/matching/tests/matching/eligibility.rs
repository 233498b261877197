//! Rules per programme at their boundaries: the day before and the day of a birthday, the day
//! before and the day a rule or programme starts or ends.

use caunoi_domain::records::{OverseasProgramme, Requirement};
use caunoi_domain::{GeneralEducation, IscoCode, JlptLevel, LanguageCertificate, Qualification};
use caunoi_matching::evidence::{declarations, documents};
use caunoi_matching::{Eligibility, EligibilityContext, Outcome, SkillsTest, WorkerEvidence, evaluate};

use crate::fixtures::*;

fn outcome_of(eligibility: &Eligibility, rule_id: &str) -> Outcome {
    eligibility
        .results
        .iter()
        .find(|r| r.rule_id == rule_id)
        .unwrap_or_else(|| panic!("rule {rule_id} not evaluated; got {:?}", eligibility.results.iter().map(|r| &r.rule_id).collect::<Vec<_>>()))
        .outcome
}

fn applied(eligibility: &Eligibility, rule_id: &str) -> bool {
    eligibility.results.iter().any(|r| r.rule_id == rule_id)
}

#[test]
fn law_69_requires_18_full_years_from_the_18th_birthday() {
    let order = features(&job_order(OverseasProgramme::Titp, "JP", "7212"));
    let worker = worker(ymd(2008, 12, 1));
    let before = evaluate(&worker, &order, &EligibilityContext::on(ymd(2026, 11, 30)));
    let on_birthday = evaluate(&worker, &order, &EligibilityContext::on(ymd(2026, 12, 1)));
    assert_eq!(outcome_of(&before, "law69.min_age"), Outcome::Fail);
    assert_eq!(before.outcome, Outcome::Fail);
    let explanation = &before.results.iter().find(|r| r.rule_id == "law69.min_age").unwrap().explanation.vi;
    assert!(explanation.contains("chưa đủ 18 tuổi") && explanation.contains("01/12/2026"), "{explanation}");
    assert_eq!(outcome_of(&on_birthday, "law69.min_age"), Outcome::Pass);
    // Base rules apply to every overseas programme, not to domestic vacancies.
    let domestic = evaluate(&worker, &features(&domestic_vacancy(HANOI, "7212")), &EligibilityContext::on(ymd(2026, 11, 30)));
    assert!(!applied(&domestic, "law69.min_age"));
    assert_eq!(outcome_of(&domestic, "domestic.min_age"), Outcome::Pass);
}

#[test]
fn law_69_does_not_apply_before_it_took_effect() {
    let order = features(&job_order(OverseasProgramme::Titp, "JP", "7212"));
    let worker = worker(ymd(2004, 5, 1));
    assert!(!applied(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2021, 12, 31))), "law69.min_age"));
    assert!(applied(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2022, 1, 1))), "law69.min_age"));
}

#[test]
fn orientation_certificate_is_unknown_until_recorded_and_names_the_course() {
    let order = features(&job_order(OverseasProgramme::Titp, "JP", "7212"));
    let worker = worker(ymd(2000, 1, 1));
    let on = ymd(2026, 12, 1);
    let without = evaluate(&worker, &order, &EligibilityContext::on(on));
    assert_eq!(outcome_of(&without, "law69.orientation"), Outcome::Unknown);
    let gap = without.results.iter().find(|r| r.rule_id == "law69.orientation").unwrap().gap.clone().unwrap();
    assert!(gap.training.unwrap().vi.contains("giáo dục định hướng"));
    let evidence = WorkerEvidence::default().with_document(documents::ORIENTATION_CERTIFICATE, ymd(2026, 10, 2));
    let with = evaluate(&worker, &order, &EligibilityContext::on(on).with_evidence(&evidence));
    assert_eq!(outcome_of(&with, "law69.orientation"), Outcome::Pass);
}

#[test]
fn eps_age_band_ends_on_the_40th_birthday() {
    let order = features(&job_order(OverseasProgramme::Eps, "KR", "7212"));
    let worker = worker(ymd(1987, 6, 15));
    let day_before = evaluate(&worker, &order, &EligibilityContext::on(ymd(2027, 6, 14)));
    let birthday = evaluate(&worker, &order, &EligibilityContext::on(ymd(2027, 6, 15)));
    assert_eq!(outcome_of(&day_before, "eps.age"), Outcome::Pass);
    assert_eq!(outcome_of(&birthday, "eps.age"), Outcome::Fail);
    // And starts on the 18th.
    let young = crate::fixtures::worker(ymd(2009, 3, 10));
    assert_eq!(outcome_of(&evaluate(&young, &order, &EligibilityContext::on(ymd(2027, 3, 9))), "eps.age"), Outcome::Fail);
    assert_eq!(outcome_of(&evaluate(&young, &order, &EligibilityContext::on(ymd(2027, 3, 10))), "eps.age"), Outcome::Pass);
}

#[test]
fn eps_age_rule_changes_on_its_effective_date() {
    let order = features(&job_order(OverseasProgramme::Eps, "KR", "7212"));
    let forty = worker(ymd(1982, 6, 1));
    let old_rule = evaluate(&forty, &order, &EligibilityContext::on(ymd(2022, 12, 31)));
    assert_eq!(outcome_of(&old_rule, "eps.age_pre2023"), Outcome::Pass);
    assert!(!applied(&old_rule, "eps.age"));
    let new_rule = evaluate(&forty, &order, &EligibilityContext::on(ymd(2023, 1, 1)));
    assert!(!applied(&new_rule, "eps.age_pre2023"));
    assert_eq!(outcome_of(&new_rule, "eps.age"), Outcome::Fail);
}

#[test]
fn eps_topik_pass_mark_depends_on_the_sector() {
    let on = ymd(2026, 12, 1);
    let manufacturing = features(&job_order(OverseasProgramme::Eps, "KR", "7212"));
    let fishery = features(&job_order(OverseasProgramme::Eps, "KR", "6221"));
    let scored = |score: u16| {
        with(profile(ymd(2000, 1, 1)), |p| p.languages = vec![LanguageCertificate::EpsTopik { score }])
    };
    let context = EligibilityContext::on(on);
    assert_eq!(outcome_of(&evaluate(&scored(110), &manufacturing, &context), "eps.topik"), Outcome::Pass);
    assert_eq!(outcome_of(&evaluate(&scored(109), &manufacturing, &context), "eps.topik"), Outcome::Fail);
    assert_eq!(outcome_of(&evaluate(&scored(60), &fishery, &context), "eps.topik"), Outcome::Pass);
    assert_eq!(outcome_of(&evaluate(&scored(59), &fishery, &context), "eps.topik"), Outcome::Fail);
    let none = evaluate(&worker(ymd(2000, 1, 1)), &manufacturing, &context);
    let result = none.results.iter().find(|r| r.rule_id == "eps.topik").unwrap();
    assert_eq!(result.outcome, Outcome::Fail);
    assert!(result.explanation.vi.contains("chưa có điểm EPS-TOPIK"), "{}", result.explanation.vi);
    assert!(result.gap.as_ref().unwrap().training.as_ref().unwrap().vi.contains("EPS-TOPIK"));
}

#[test]
fn eps_declarations_and_prior_stay_are_unknown_until_recorded() {
    let order = features(&job_order(OverseasProgramme::Eps, "KR", "7212"));
    let worker = worker(ymd(2000, 1, 1));
    let on = ymd(2026, 12, 1);
    let bare = evaluate(&worker, &order, &EligibilityContext::on(on));
    for rule in ["eps.never_deported", "eps.no_relatives_illegal", "eps.no_imprisonable_offence", "eps.prior_stay"] {
        assert_eq!(outcome_of(&bare, rule), Outcome::Unknown, "{rule}");
    }
    let clean = WorkerEvidence::default()
        .with_declaration(declarations::NEVER_DEPORTED_FROM_KOREA, true)
        .with_prior_stay("KR", 60);
    let checked = evaluate(&worker, &order, &EligibilityContext::on(on).with_evidence(&clean));
    assert_eq!(outcome_of(&checked, "eps.never_deported"), Outcome::Pass);
    assert_eq!(outcome_of(&checked, "eps.prior_stay"), Outcome::Pass);
    let deported = WorkerEvidence::default()
        .with_declaration(declarations::NEVER_DEPORTED_FROM_KOREA, false)
        .with_prior_stay("KR", 61);
    let failed = evaluate(&worker, &order, &EligibilityContext::on(on).with_evidence(&deported));
    assert_eq!(outcome_of(&failed, "eps.never_deported"), Outcome::Fail);
    assert_eq!(outcome_of(&failed, "eps.prior_stay"), Outcome::Fail);
    assert_eq!(failed.outcome, Outcome::Fail);
}

#[test]
fn ssw_needs_n4_or_jft_basic_a2_unless_titp_ii_was_completed() {
    let order = features(&job_order(OverseasProgramme::Ssw, "JP", "7212"));
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    let holding = |c: LanguageCertificate| with(profile(ymd(2000, 1, 1)), |p| p.languages = vec![c]);
    let n5 = evaluate(&holding(LanguageCertificate::Jlpt(JlptLevel::N5)), &order, &context);
    let result = n5.results.iter().find(|r| r.rule_id == "ssw.japanese").unwrap();
    assert_eq!(result.outcome, Outcome::Fail);
    assert_eq!(result.explanation.vi, "thiếu JLPT N4 — có JLPT N5");
    for accepted in [LanguageCertificate::Jlpt(JlptLevel::N4), LanguageCertificate::Jlpt(JlptLevel::N2), LanguageCertificate::JftBasic { passed_a2: true }] {
        assert_eq!(outcome_of(&evaluate(&holding(accepted), &order, &context), "ssw.japanese"), Outcome::Pass, "{accepted}");
    }
    // The rule lists JLPT and JFT-Basic only.
    assert_eq!(outcome_of(&evaluate(&holding(LanguageCertificate::NatTest(JlptLevel::N4)), &order, &context), "ssw.japanese"), Outcome::Fail);
    let exempt = WorkerEvidence::default().with_declaration(declarations::TITP_II_COMPLETED, true);
    let worker = worker(ymd(2000, 1, 1));
    let exempted = evaluate(&worker, &order, &context.with_evidence(&exempt));
    assert_eq!(outcome_of(&exempted, "ssw.japanese"), Outcome::Pass);
    assert_eq!(outcome_of(&exempted, "ssw.skills_test"), Outcome::Pass);
}

#[test]
fn ssw_skills_test_must_be_in_the_field() {
    let order = features(&job_order(OverseasProgramme::Ssw, "JP", "7212"));
    let worker = worker(ymd(2000, 1, 1));
    let context = EligibilityContext::on(ymd(2026, 12, 1));
    assert_eq!(outcome_of(&evaluate(&worker, &order, &context), "ssw.skills_test"), Outcome::Unknown);
    let test = |code: &str| WorkerEvidence::default().with_skills_tests(vec![SkillsTest { occupation: isco(code), passed_on: ymd(2026, 5, 1) }]);
    let same_field = test("7214");
    let other_field = test("5120");
    assert_eq!(outcome_of(&evaluate(&worker, &order, &context.with_evidence(&same_field)), "ssw.skills_test"), Outcome::Pass);
    assert_eq!(outcome_of(&evaluate(&worker, &order, &context.with_evidence(&other_field)), "ssw.skills_test"), Outcome::Fail);
}

#[test]
fn esd_takes_workers_from_1_april_2027() {
    let order = features(&job_order(OverseasProgramme::Esd, "JP", "7212"));
    let worker = worker(ymd(2000, 1, 1));
    assert_eq!(outcome_of(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2027, 3, 31))), "esd.start"), Outcome::Fail);
    assert_eq!(outcome_of(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2027, 4, 1))), "esd.start"), Outcome::Pass);
}

#[test]
fn seasonal_e8_pilot_window_and_agreement_variant() {
    let order = features(&job_order(OverseasProgramme::SeasonalE8, "KR", "6111"));
    let worker = worker(ymd(1990, 1, 1));
    assert_eq!(outcome_of(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2026, 12, 31))), "e8.pilot"), Outcome::Pass);
    assert_eq!(outcome_of(&evaluate(&worker, &order, &EligibilityContext::on(ymd(2027, 1, 1))), "e8.pilot"), Outcome::Fail);
    // The Hòa Bình–Buyeo criteria apply only to that agreement's drives.
    let young = crate::fixtures::with(profile(ymd(2003, 6, 1)), |p| p.general_education = GeneralEducation::Primary);
    let on = ymd(2026, 6, 1);
    let general = evaluate(&young, &order, &EligibilityContext::on(on));
    assert!(!applied(&general, "e8.hoa_binh_age"));
    let variants = vec!["hoa_binh_buyeo_2023".to_owned()];
    let agreement = evaluate(&young, &order, &EligibilityContext::on(on).with_variants(&variants));
    assert_eq!(outcome_of(&agreement, "e8.hoa_binh_age"), Outcome::Fail);
    assert_eq!(outcome_of(&agreement, "e8.hoa_binh_education"), Outcome::Fail);
    // 25 on the day.
    assert_eq!(outcome_of(&evaluate(&young, &order, &EligibilityContext::on(ymd(2028, 5, 31)).with_variants(&variants)), "e8.hoa_binh_age"), Outcome::Fail);
    assert_eq!(outcome_of(&evaluate(&young, &order, &EligibilityContext::on(ymd(2028, 6, 1)).with_variants(&variants)), "e8.hoa_binh_age"), Outcome::Pass);
}

#[test]
fn titp_im_japan_age_bands_by_date() {
    let order = features(&job_order(OverseasProgramme::Titp, "JP", "7212"));
    let variants = vec!["im_japan".to_owned()];
    let worker = worker(ymd(1996, 3, 1));
    let context = |on| EligibilityContext::on(on).with_variants(&variants);
    // 18–30 from 2022: the day before the 31st birthday passes, the birthday fails.
    assert_eq!(outcome_of(&evaluate(&worker, &order, &context(ymd(2027, 2, 28))), "titp.im_japan_age"), Outcome::Pass);
    assert_eq!(outcome_of(&evaluate(&worker, &order, &context(ymd(2027, 3, 1))), "titp.im_japan_age"), Outcome::Fail);
    // Before 2022 the band started at 20.
    let nineteen = crate::fixtures::worker(ymd(2002, 6, 1));
    let old = evaluate(&nineteen, &order, &context(ymd(2021, 12, 31)));
    assert_eq!(outcome_of(&old, "titp.im_japan_age_pre2022"), Outcome::Fail);
    let new = evaluate(&nineteen, &order, &context(ymd(2022, 1, 1)));
    assert!(!applied(&new, "titp.im_japan_age_pre2022"));
    assert_eq!(outcome_of(&new, "titp.im_japan_age"), Outcome::Pass);
}

#[test]
fn vacancy_must_haves_are_rules_too() {
    let mut vacancy = domestic_vacancy(HANOI, "7212");
    vacancy.requirements.must_have = vec![
        Requirement::Qualification(Qualification::TrungCap),
        Requirement::Language(LanguageCertificate::Jlpt(JlptLevel::N4)),
        Requirement::ExperienceMonths(12),
        Requirement::Skill("hàn mig".into()),
        Requirement::Text("Sức khỏe tốt".into()),
    ];
    let result = evaluate(&worker(ymd(2000, 1, 1)), &features(&vacancy), &EligibilityContext::on(ymd(2026, 12, 1)));
    let outcomes: Vec<Outcome> = (0..5).map(|i| outcome_of(&result, &format!("vacancy.must_have.{i}"))).collect();
    assert_eq!(outcomes, [Outcome::Fail, Outcome::Fail, Outcome::Pass, Outcome::Pass, Outcome::Unknown]);
    assert_eq!(result.outcome, Outcome::Fail);
    let qualification = result.results.iter().find(|r| r.rule_id == "vacancy.must_have.0").unwrap();
    assert_eq!(qualification.explanation.vi, "thiếu trình độ Trung cấp — có Sơ cấp");
    assert!(qualification.gap.as_ref().unwrap().training.as_ref().unwrap().vi.contains("7212 Thợ hàn"));
    let language = result.results.iter().find(|r| r.rule_id == "vacancy.must_have.1").unwrap();
    assert_eq!(language.explanation.vi, "thiếu JLPT N4 — chưa có chứng chỉ tiếng Nhật");
    let _ = IscoCode::parse("7212").unwrap();
}
