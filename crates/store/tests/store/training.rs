//! Vocational training through the store: the class life cycle, capacity and the waiting list
//! under concurrency, withdrawal with promotion, attendance, completion putting the certificate
//! on the profile (and in the change log), graduate follow-up, the survey (all or nothing) with
//! its summary and balance against vacancies, and enrolment leads from fair sign-ups.

use std::collections::BTreeSet;

use caunoi_domain::records::*;
use caunoi_domain::training::*;
use caunoi_domain::{CommuneCode, IscoCode, Qualification, Sex};
use caunoi_store::bulk::{self, Batch};
use caunoi_store::plans::ResultArea;
use caunoi_store::records as repo;
use caunoi_store::training::{self as tr, ClassFilter, Completion};
use caunoi_store::{Store, StoreError, change_log};

use crate::fixtures::*;
use crate::on_each_backend;

fn invalid_code<T: std::fmt::Debug>(result: Result<T, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Invalid(error)) => error.code,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn provider(store: &Store) -> ProviderId {
    let provider = TrainingProvider {
        id: ProviderId::new(),
        name: "Trung tâm Giáo dục nghề nghiệp Ba Đình".into(),
        kind: ProviderKind::Centre,
        commune_code: CommuneCode::parse("00004").unwrap(),
        address: None,
        registration_no: Some("GCN-01/2024".into()),
    };
    tr::create_provider(store, provider).await.unwrap().id
}

fn class(provider: ProviderId, capacity: u32, status: ClassStatus) -> TrainingClass {
    TrainingClass {
        id: ClassId::new(),
        provider_id: provider,
        title: "Hàn điện cơ bản".into(),
        trade: IscoCode::parse("7212").unwrap(),
        skills: vec!["Hàn TIG".into(), "hàn điện".into()],
        level: TrainingLevel::SoCap,
        commune_code: CommuneCode::parse("00004").unwrap(),
        venue: "Xưởng thực hành".into(),
        starts_on: date(2027, 1, 4),
        ends_on: date(2027, 4, 30),
        capacity,
        funding: Funding::StateSupported,
        status,
    }
}

#[tokio::test]
async fn a_class_moves_through_its_life_cycle() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let provider = provider(store).await;
        let created = tr::create_class(store, class(provider, 20, ClassStatus::Planned)).await.unwrap();
        assert_eq!((created.seats_left, created.provider_name.as_str()), (20, "Trung tâm Giáo dục nghề nghiệp Ba Đình"));
        let id = created.class.id;
        let people = workers(store, 1).await;
        // Planned: no enrolment yet.
        assert_eq!(invalid_code(tr::enrol(store, id, people[0], EnrolmentSource::WalkIn, None).await), "class.not_enrolling");
        assert_eq!(invalid_code(tr::transition_class(store, id, ClassStatus::Finished, date(2027, 1, 1)).await), "class.transition");
        tr::transition_class(store, id, ClassStatus::Enrolling, date(2026, 12, 1)).await.unwrap();
        let running = tr::transition_class(store, id, ClassStatus::Running, date(2027, 1, 4)).await.unwrap();
        assert_eq!((running.class.status, running.opened_on), (ClassStatus::Running, Some(date(2027, 1, 4))));
        assert_eq!(invalid_code(tr::transition_class(store, id, ClassStatus::Cancelled, date(2027, 1, 5)).await), "class.transition");
        // Invalid classes never reach the database; an unknown provider is not found.
        let backwards = TrainingClass { ends_on: date(2026, 12, 1), ..class(provider, 5, ClassStatus::Planned) };
        assert_eq!(invalid_code(tr::create_class(store, backwards).await), "class.dates");
        let orphan = tr::create_class(store, class(ProviderId::new(), 5, ClassStatus::Planned)).await;
        assert!(matches!(orphan, Err(StoreError::NotFound { .. })), "{orphan:?}");
        let listed = tr::list_classes(store, &ClassFilter { status: Some(ClassStatus::Running), ..ClassFilter::default() }).await.unwrap();
        assert_eq!(listed.len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_simultaneous_enrolments_for_twenty_five_seats() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let provider = provider(&store).await;
        let id = tr::create_class(&store, class(provider, 25, ClassStatus::Enrolling)).await.unwrap().class.id;
        let people = workers(&store, 60).await;
        let tasks: Vec<_> = people
            .iter()
            .map(|worker| {
                let store = store.clone();
                let worker = *worker;
                tokio::spawn(async move { tr::enrol(&store, id, worker, EnrolmentSource::WalkIn, None).await })
            })
            .collect();
        let mut enrolments = Vec::new();
        for task in tasks {
            enrolments.push(task.await.unwrap().unwrap());
        }
        let enrolled = enrolments.iter().filter(|e| e.status == EnrolmentStatus::Enrolled).count();
        let waiting: BTreeSet<u32> = enrolments.iter().filter_map(|e| e.waiting_position).collect();
        assert_eq!(enrolled, 25, "on {}", db.backend_name());
        assert_eq!(waiting, (1..=35).collect(), "every waiting enrolment has its own place in line");
        let view = tr::get_class(&store, id).await.unwrap();
        assert_eq!((view.enrolled, view.waiting, view.seats_left), (25, 35, 0));
        // A second enrolment of the same worker is a conflict.
        let again = tr::enrol(&store, id, people[0], EnrolmentSource::WalkIn, None).await;
        assert!(matches!(again, Err(StoreError::Conflict { code: "enrolment.exists", .. })), "{again:?}");

        // Withdrawing a seat holder promotes the first in line; withdrawing a waiting one promotes no one.
        let listed = tr::enrolments(&store, id).await.unwrap();
        let holder = listed.iter().find(|e| e.status == EnrolmentStatus::Enrolled).unwrap().worker_id;
        let first = listed.iter().find(|e| e.waiting_position == Some(1)).unwrap().worker_id;
        let (withdrawn, promoted) = tr::withdraw(&store, id, holder).await.unwrap();
        assert_eq!(withdrawn.status, EnrolmentStatus::Withdrawn);
        assert_eq!(promoted.map(|p| (p.worker_id, p.status)), Some((first, EnrolmentStatus::Enrolled)));
        let second = tr::enrolments(&store, id).await.unwrap().into_iter().find(|e| e.waiting_position == Some(1)).unwrap();
        let (_, none) = tr::withdraw(&store, id, second.worker_id).await.unwrap();
        assert!(none.is_none());
        let view = tr::get_class(&store, id).await.unwrap();
        assert_eq!((view.enrolled, view.waiting), (25, 33));
        // The one who withdrew may enrol again, at the end of the line.
        let back = tr::enrol(&store, id, holder, EnrolmentSource::WalkIn, None).await.unwrap();
        assert_eq!((back.status, back.waiting_position), (EnrolmentStatus::Waiting, Some(34)));
        // Starting the class closes the waiting list.
        tr::transition_class(&store, id, ClassStatus::Running, date(2027, 1, 4)).await.unwrap();
        let view = tr::get_class(&store, id).await.unwrap();
        assert_eq!((view.enrolled, view.waiting), (25, 0));
    })
    .await;
}

#[tokio::test]
async fn completion_puts_the_certificate_on_the_profile() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let provider = provider(store).await;
        let id = tr::create_class(store, class(provider, 5, ClassStatus::Enrolling)).await.unwrap().class.id;
        let (passer, failer) = {
            let ids = workers(store, 2).await;
            (ids[0], ids[1])
        };
        for w in [passer, failer] {
            tr::enrol(store, id, w, EnrolmentSource::Survey, None).await.unwrap();
        }
        // Attendance only while it runs, only for trainees, only on the class's days.
        assert_eq!(invalid_code(tr::record_attendance(store, id, date(2027, 1, 4), &[passer]).await), "class.not_running");
        tr::transition_class(store, id, ClassStatus::Running, date(2027, 1, 4)).await.unwrap();
        tr::record_attendance(store, id, date(2027, 1, 4), &[passer, failer]).await.unwrap();
        tr::record_attendance(store, id, date(2027, 1, 5), &[passer]).await.unwrap();
        // Marking a day again replaces it.
        let marked = tr::record_attendance(store, id, date(2027, 1, 5), &[passer]).await.unwrap();
        let of = |w: WorkerId| marked.iter().find(|e| e.worker_id == w).unwrap().attendance;
        assert_eq!((of(passer).days_present, of(passer).days_recorded), (2, 2));
        assert_eq!((of(failer).days_present, of(failer).days_recorded), (1, 2));
        assert_eq!(invalid_code(tr::record_attendance(store, id, date(2026, 12, 1), &[passer]).await), "attendance.date");
        assert_eq!(invalid_code(tr::record_attendance(store, id, date(2027, 1, 6), &[WorkerId::new()]).await), "attendance.not_enrolled");

        let seq_before = change_log::latest_seq(store).await.unwrap();
        let done = tr::complete(
            store,
            id,
            Completion { worker_id: passer, passed: true, certificate_number: Some("SC-2027-001".into()), issued_on: date(2027, 5, 2) },
        )
        .await
        .unwrap();
        assert_eq!(done.status, EnrolmentStatus::Completed);
        assert_eq!(done.follow_up_due, Some(date(2027, 11, 2)));
        let certificate = done.certificate.unwrap();
        assert_eq!((certificate.kind, certificate.number.as_deref()), (CertificateKind::SoCapCertificate, Some("SC-2027-001")));
        let profile = repo::get_worker(store, passer).await.unwrap();
        assert_eq!(profile.certificates.len(), 1);
        assert_eq!(profile.certificates[0].class_id, Some(id));
        assert!(profile.all_skills().iter().any(|s| s == "Hàn TIG"));
        // The profile change went through the change log (the worker index follows).
        let changes = change_log::changes_since(store, seq_before, 10).await.unwrap();
        assert!(changes.iter().any(|c| c.entity_id == passer.0), "{changes:?}");
        // Once only.
        let twice = tr::complete(store, id, Completion { worker_id: passer, passed: true, certificate_number: None, issued_on: date(2027, 5, 2) }).await;
        assert_eq!(invalid_code(twice), "completion.not_enrolled");
        let failed = tr::complete(store, id, Completion { worker_id: failer, passed: false, certificate_number: None, issued_on: date(2027, 5, 2) })
            .await
            .unwrap();
        assert_eq!((failed.status, failed.certificate.is_none()), (EnrolmentStatus::NotCompleted, true));
        assert!(repo::get_worker(store, failer).await.unwrap().certificates.is_empty());

        // Six months on: due, then recorded.
        let commune = ResultArea::Commune(CommuneCode::parse("00004").unwrap());
        assert!(tr::due_graduate_follow_ups(store, &commune, date(2027, 11, 1)).await.unwrap().is_empty());
        assert_eq!(tr::due_graduate_follow_ups(store, &commune, date(2027, 11, 2)).await.unwrap().len(), 1);
        assert_eq!(
            invalid_code(tr::record_graduate_follow_up(store, id, failer, GraduateOutcome::Employed, date(2027, 11, 2)).await),
            "follow_up.not_graduate"
        );
        tr::record_graduate_follow_up(store, id, passer, GraduateOutcome::Employed, date(2027, 11, 3)).await.unwrap();
        assert!(tr::due_graduate_follow_ups(store, &commune, date(2027, 12, 1)).await.unwrap().is_empty());
        let report = tr::graduate_report(store, &commune, (date(2027, 1, 1), date(2027, 12, 31))).await.unwrap();
        assert_eq!((report.graduates, report.followed_up, report.with_work), (1, 1, 1));
        assert_eq!(report.with_work_percent, Some(100.0));
    })
    .await;
}

fn answer(commune: &str, trade: Option<&str>, groups: &[PriorityGroup], support: bool) -> SurveyResponse {
    SurveyResponse {
        id: SurveyResponseId::new(),
        commune_code: CommuneCode::parse(commune).unwrap(),
        worker_id: None,
        respondent_name: "Lò Văn Pâng".into(),
        sex: Some(Sex::Male),
        birth_year: Some(1990),
        trades: vec![WantedTrade { text: "hàn".into(), occupation: trade.map(|t| IscoCode::parse(t).unwrap()) }],
        preferred_time: PreferredTime::OffSeason,
        preferred_place: None,
        needs_support: support,
        priority_groups: groups.iter().copied().collect(),
        source: SurveySource::WalkIn,
        fair_id: None,
        surveyed_on: date(2026, 11, 20),
    }
}

#[tokio::test]
async fn the_survey_is_all_or_nothing_and_sums_against_vacancies() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let bad = SurveyResponse { trades: vec![], ..answer("00004", Some("7212"), &[], false) };
        let refused = tr::record_survey(store, vec![answer("00004", Some("7212"), &[], false), bad], None).await.unwrap();
        assert_eq!(refused.imported, 0);
        assert_eq!(refused.rejected.iter().map(|r| (r.row, r.code.as_str())).collect::<Vec<_>>(), vec![(2, "survey.trades")]);
        let area = ResultArea::Commune(CommuneCode::parse("00004").unwrap());
        let year = (date(2026, 1, 1), date(2026, 12, 31));
        assert_eq!(tr::survey_summary(store, &area, year).await.unwrap().respondents, 0, "nothing of the refused batch");

        let batch = vec![
            answer("00004", Some("7212"), &[PriorityGroup::PoorHousehold], true),
            answer("00004", Some("7212"), &[], false),
            answer("00004", Some("7531"), &[], true),
            answer("00008", None, &[], false),
        ];
        assert_eq!(tr::record_survey(store, batch, None).await.unwrap().imported, 4);
        let summary = tr::survey_summary(store, &area, year).await.unwrap();
        assert_eq!(summary.respondents, 3);
        assert_eq!((summary.by_trade["7212"].people, summary.by_trade["7212"].need_support), (2, 1));
        assert_eq!(summary.by_priority_group["poor_household"].people, 1);
        let province = ResultArea::Province(caunoi_domain::ProvinceCode::parse("01").unwrap());
        assert_eq!(tr::survey_summary(store, &province, year).await.unwrap().respondents, 4);

        // Demand: an open vacancy for 5 welders in the commune; supply: one class of 3 seats.
        let employer = Employer { id: EmployerId::new(), tax_code: None, ..employer() };
        let vacancy = vacancy(employer.id);
        bulk::write(store, Batch { employers: vec![employer], vacancies: vec![vacancy], ..Batch::default() }).await.unwrap();
        let provider = provider(store).await;
        tr::create_class(store, class(provider, 3, ClassStatus::Planned)).await.unwrap();
        let rows = tr::trade_balance(store, &area, year).await.unwrap();
        let welding = rows.iter().find(|r| r.trade == "7212").unwrap();
        assert_eq!((welding.vacancy_places, welding.class_seats, welding.wanting, welding.shortfall), (5, 3, 2, 2));
        assert_eq!(rows[0].trade, "7212", "shortfalls first");
    })
    .await;
}

#[tokio::test]
async fn a_worker_of_another_commune_is_a_lead_until_enrolled() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let people = workers(store, 1).await;
        let area = ResultArea::Commune(CommuneCode::parse("00004").unwrap());
        assert!(tr::leads(store, &area).await.unwrap().is_empty());
        let fair = held_fair_with_signup(store, people[0]).await;
        let leads = tr::leads(store, &area).await.unwrap();
        assert_eq!(leads.iter().map(|l| (l.worker_id, l.fair_id)).collect::<Vec<_>>(), vec![(people[0], fair)]);
        assert_eq!(leads[0].desired_occupation.as_ref().map(ToString::to_string).as_deref(), Some("7212"));
        let provider = provider(store).await;
        let id = tr::create_class(store, class(provider, 5, ClassStatus::Enrolling)).await.unwrap().class.id;
        tr::enrol(store, id, people[0], EnrolmentSource::Fair, Some(fair)).await.unwrap();
        assert!(tr::leads(store, &area).await.unwrap().is_empty());
        // The certificate's qualification is what matching reads.
        assert_eq!(repo::get_worker(store, people[0]).await.unwrap().highest_qualification(), Qualification::TrungCap);
    })
    .await;
}

#[tokio::test]
async fn plans_count_classes_trainees_certificates_and_the_certified_share() {
    use caunoi_domain::plans::{Figure, PlanArea, PlanPeriod, ReportPeriod};
    use caunoi_store::plans::{self, ResultQuery};
    on_each_backend(|db| async move {
        let store = &db.store;
        let provider = provider(store).await;
        let id = tr::create_class(store, class(provider, 5, ClassStatus::Enrolling)).await.unwrap().class.id;
        // One worker without any qualification, one with a recorded trung cấp (the fixture).
        let untrained = WorkerProfile { id: WorkerId::new(), cccd: None, phone: None, qualification: Qualification::NoQualification, ..worker() };
        let trained = WorkerProfile { id: WorkerId::new(), cccd: None, phone: None, ..worker() };
        bulk::write(store, Batch { workers: vec![untrained.clone(), trained.clone()], ..Batch::default() }).await.unwrap();
        for w in [untrained.id, trained.id] {
            tr::enrol(store, id, w, EnrolmentSource::WalkIn, None).await.unwrap();
        }
        tr::transition_class(store, id, ClassStatus::Running, date(2027, 1, 4)).await.unwrap();
        tr::complete(store, id, Completion { worker_id: untrained.id, passed: true, certificate_number: None, issued_on: date(2027, 5, 2) })
            .await
            .unwrap();
        let commune = CommuneCode::parse("00004").unwrap();
        let query = |codes: &[&str]| ResultQuery {
            area: ResultArea::Commune(commune.clone()),
            period: ReportPeriod::Year(2027),
            indicators: Some(codes.iter().map(|c| (*c).to_owned()).collect()),
            breakdown: None,
        };
        let report = plans::results(store, &query(&["classes_opened", "trainees_enrolled", "trainees_certified", "certified_labour_share"])).await.unwrap();
        let actual = |code: &str| report.rows.iter().find(|r| r.code == code).unwrap().actual;
        assert_eq!(actual("classes_opened"), Some(Figure::from_count(1)));
        assert_eq!(actual("trainees_enrolled"), Some(Figure::from_count(2)));
        assert_eq!(actual("trainees_certified"), Some(Figure::from_count(1)));
        assert_eq!(actual("certified_labour_share"), None, "no labour force entered");
        // Last year nothing had happened yet.
        let before = plans::results(store, &ResultQuery { period: ReportPeriod::Year(2026), ..query(&["trainees_certified"]) }).await.unwrap();
        assert_eq!(before.rows[0].actual, Some(Figure::from_count(0)));

        // 2 of the commune's residents qualified (the certificate, the trung cấp) of a labour force of 8.
        plans::record_manual_value(store, "labour_force", PlanArea::Commune(commune.clone()), PlanPeriod { year: 2027, quarter: None }, Figure::from_count(8), "Thống kê xã 2027", None)
            .await
            .unwrap();
        let share = plans::results(store, &query(&["certified_labour_share"])).await.unwrap();
        assert_eq!(share.rows[0].actual, Some(Figure::from_hundredths(2500)), "{share:?}");
        assert_eq!(share.rows[0].unit_vi, "%");
        let series = plans::monthly_series(store, &ResultArea::Commune(commune), "certified_labour_share", 2027).await;
        assert!(matches!(series, Err(StoreError::Invalid(_))), "a share has no monthly series");
    })
    .await;
}
