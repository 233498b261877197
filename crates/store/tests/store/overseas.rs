//! Overseas contract labour through the store: licences and the publish guards of a job order,
//! selections under concurrency never above the order's places, the pipeline's history and
//! guards, a returnee's profile, the worklist and the public verification.

use caunoi_domain::overseas::{
    DocumentId, DocumentType, Eligibility, ReturnReason, SupplyContractStatus, TaskKind, TaskSeverity,
};
use caunoi_domain::records::*;
use caunoi_domain::{CommuneCode, CountryCode, ProvinceCode};
use caunoi_store::bulk::{self, Batch};
use caunoi_store::change_log::{self, ChangedEntity};
use caunoi_store::overseas::{self, Area, TransitionInput};
use caunoi_store::records as repo;
use caunoi_store::{Store, StoreError};
use chrono::{DateTime, Utc};

use crate::fixtures::*;
use crate::on_each_backend;

/// The stable code of a refusal (validation error or conflict), or a panic naming what came.
fn refusal<T: std::fmt::Debug>(result: Result<T, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Invalid(error)) => error.code,
        Err(StoreError::Conflict { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// `n` profiles like the fixture's, without its CCCD and phone (unique on the table).
async fn workers(store: &Store, n: usize) -> Vec<WorkerId> {
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        ids.push(
            repo::insert_worker(store, WorkerProfile { id: WorkerId::new(), cccd: None, phone: None, ..worker() })
                .await
                .unwrap(),
        );
    }
    ids
}

#[tokio::test]
async fn a_job_order_is_published_only_with_a_valid_licence_an_approved_contract_and_fees_within_the_cap() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let licence = PlacementLicence::new("123/LĐTBXH-GP", date(2022, 3, 1), Some(date(2026, 6, 30))).unwrap();
        let enterprise =
            Employer { kind: EmployerKind::PlacementEnterprise { licence: licence.clone() }, ..placement_enterprise() };
        let employer = enterprise.id;
        let order = draft_order(employer, 10);
        let id = order.id;
        let domestic = repo::insert_employer(store, employer_fixture()).await.unwrap();
        let domestic_order = draft_order(domestic, 5);
        let plain = vacancy(employer);
        bulk::write(
            store,
            Batch {
                employers: vec![enterprise],
                vacancies: vec![order, domestic_order.clone(), plain.clone()],
                ..Batch::default()
            },
        )
        .await
        .unwrap();

        // Only an overseas vacancy of a placement enterprise takes details; the ministry's
        // approval is not the enterprise's to record.
        assert_eq!(
            refusal(overseas::save_job_order(store, order_details(plain.id, "DH-X", 0)).await),
            "job_order.not_overseas"
        );
        assert_eq!(
            refusal(overseas::save_job_order(store, order_details(domestic_order.id, "DH-Y", 0)).await),
            "job_order.not_placement_enterprise"
        );
        let mut self_approved = order_details(id, "DH-2026-0001", 40_000_000);
        self_approved.supply_contract.status = SupplyContractStatus::Approved;
        self_approved.supply_contract.decision_no = Some("1/QĐ".into());
        self_approved.supply_contract.approved_on = Some(date(2026, 11, 1));
        assert_eq!(
            refusal(overseas::save_job_order(store, self_approved).await),
            "supply_contract.approval_not_recorded"
        );
        let saved = overseas::save_job_order(store, order_details(id, "dh-2026-0001", 40_000_000)).await.unwrap();
        assert_eq!(saved.details.code.as_deref(), Some("DH-2026-0001"));
        assert_eq!((saved.places, saved.places_left, saved.vacancy.status), (10, 10, VacancyStatus::Draft));

        // The licence expired on 30 June.
        assert_eq!(refusal(overseas::publish_job_order(store, id, publish_day()).await), "licence.expired");
        let renewed = PlacementLicence {
            valid_until: Some(date(2029, 3, 1)),
            branches: vec![LicenceBranch {
                name: "Chi nhánh Đà Nẵng".into(),
                province_code: ProvinceCode::parse("48").unwrap(),
                address: None,
            }],
            ..licence
        };
        let updated = overseas::upsert_licence(store, employer, renewed.clone()).await.unwrap();
        assert_eq!(updated.kind, EmployerKind::PlacementEnterprise { licence: renewed.clone() });
        assert_eq!(
            refusal(overseas::publish_job_order(store, id, publish_day()).await),
            "job_order.supply_contract_not_approved"
        );
        let approved =
            overseas::approve_supply_contract(store, id, "1234/QLLĐNN-TT", date(2026, 11, 20)).await.unwrap();
        assert!(approved.details.supply_contract.is_approved_on(publish_day()));

        // A service fee above 3 months' wage (91,800,000 đ at the order's rate) is refused.
        overseas::save_job_order(store, order_details(id, "DH-2026-0001", 91_800_001)).await.unwrap();
        assert_eq!(
            refusal(overseas::publish_job_order(store, id, publish_day()).await),
            "fee.service_fee_above_ceiling"
        );
        let saved = overseas::save_job_order(store, order_details(id, "DH-2026-0001", 91_800_000)).await.unwrap();
        assert_eq!(
            saved.details.supply_contract.decision_no.as_deref(),
            Some("1234/QLLĐNN-TT"),
            "the approval is kept"
        );

        let before = change_log::changes_since(store, 0, 100_000).await.unwrap().len();
        let published = overseas::publish_job_order(store, id, publish_day()).await.unwrap();
        assert_eq!(published.vacancy.status, VacancyStatus::Open);
        assert_eq!(published.published_on, Some(publish_day()));
        let changes = change_log::changes_since(store, 0, 100_000).await.unwrap();
        assert_eq!(changes.len(), before + 1);
        assert_eq!((changes[before].entity, changes[before].entity_id), (ChangedEntity::Vacancy, id.0));
        assert_eq!(repo::get_vacancy(store, id).await.unwrap().status, VacancyStatus::Open);

        // Published orders stay within the law; a new supply contract drops the approval.
        assert_eq!(
            refusal(overseas::save_job_order(store, order_details(id, "DH-2026-0001", 95_000_000)).await),
            "fee.service_fee_above_ceiling"
        );
        let mut other_contract = order_details(id, "DH-2026-0001", 40_000_000);
        other_contract.supply_contract.reference = "HĐCU-2026/99".into();
        assert_eq!(
            refusal(overseas::save_job_order(store, other_contract).await),
            "job_order.supply_contract_not_approved"
        );
        // A suspended licence no longer publishes.
        let suspended = PlacementLicence { status: LicenceStatus::Suspended, ..renewed };
        overseas::upsert_licence(store, employer, suspended).await.unwrap();
        assert_eq!(refusal(overseas::publish_job_order(store, id, publish_day()).await), "licence.suspended");

        // Codes are unique; unknown orders are not found.
        let second = draft_order(employer, 3);
        repo::insert_vacancy(store, second.clone()).await.unwrap();
        assert_eq!(
            refusal(overseas::save_job_order(store, order_details(second.id, "DH-2026-0001", 0)).await),
            "job_order.code_taken"
        );
        assert!(matches!(overseas::get_job_order(store, VacancyId::new()).await, Err(StoreError::NotFound { .. })));
    })
    .await;
}

fn employer_fixture() -> Employer {
    employer()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_selections_for_ten_places_select_ten() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let (_, order) = published_order(&store, "DH-RUSH", 10).await;
        let people = workers(&store, 50).await;
        let tasks: Vec<_> = people
            .iter()
            .map(|worker| {
                let store = store.clone();
                let worker = *worker;
                tokio::spawn(async move { select(&store, worker, order, noon(2026, 12, 20)).await })
            })
            .collect();
        let (mut selected, mut refused) = (Vec::new(), 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(registration) => selected.push(registration),
                Err(error) => {
                    assert_eq!(refusal::<()>(Err(error)), "overseas.no_places_left");
                    refused += 1;
                }
            }
        }
        assert_eq!((selected.len(), refused), (10, 40), "on {}", db.backend_name());
        assert!(
            selected
                .iter()
                .all(|r| r.registration.stage == OverseasStage::Selected && r.selected_on == Some(date(2026, 12, 20)))
        );
        let job_order = overseas::get_job_order(&store, order).await.unwrap();
        assert_eq!((job_order.selected, job_order.places_left), (10, 0));
        let all = overseas::registrations_for_order(&store, order).await.unwrap();
        assert_eq!(all.len(), 50);
        assert_eq!(all.iter().filter(|r| r.registration.stage.holds_place()).count(), 10);
        assert_eq!(all.iter().filter(|r| r.registration.stage == OverseasStage::Prescreened).count(), 40);
        let history = overseas::history(&store, selected[0].registration.id).await.unwrap();
        let stages: Vec<_> = history.iter().map(|h| (h.seq, h.to)).collect();
        assert_eq!(
            stages,
            [
                (1, OverseasStage::Lead),
                (2, OverseasStage::Applied),
                (3, OverseasStage::Prescreened),
                (4, OverseasStage::Selected)
            ]
        );
        assert_eq!(history[3].eligibility, Some(Eligibility::Pass));
        // A withdrawal frees a place for the next one.
        let waiting = all.iter().find(|r| r.registration.stage == OverseasStage::Prescreened).unwrap().registration.id;
        let pass = TransitionInput { eligibility: Some(Eligibility::Pass), ..move_at(noon(2026, 12, 21)) };
        assert_eq!(
            refusal(overseas::transition(&store, waiting, OverseasStage::Selected, pass.clone()).await),
            "overseas.no_places_left"
        );
        let withdraw =
            TransitionInput { reason: Some("Gia đình không đồng ý".into()), ..move_at(noon(2026, 12, 21)) };
        overseas::transition(&store, selected[0].registration.id, OverseasStage::Withdrawn, withdraw).await.unwrap();
        overseas::transition(&store, waiting, OverseasStage::Selected, pass).await.unwrap();
        assert_eq!(overseas::get_job_order(&store, order).await.unwrap().places_left, 0);
    })
    .await;
}

#[tokio::test]
async fn moves_are_guarded_and_the_history_is_append_only() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let (_, order) = published_order(store, "DH-GUARD", 5).await;
        let worker = workers(store, 1).await[0];
        let registration =
            overseas::register(store, worker, Some(order), japan(), OverseasProgramme::Titp).await.unwrap();
        let id = registration.registration.id;
        assert_eq!(registration.registration.stage, OverseasStage::Lead);
        assert_eq!(
            refusal(overseas::register(store, worker, Some(order), japan(), OverseasProgramme::Titp).await),
            "overseas.already_registered"
        );
        assert_eq!(
            refusal(
                overseas::register(
                    store,
                    worker,
                    Some(order),
                    CountryCode::parse("KR").unwrap(),
                    OverseasProgramme::Eps
                )
                .await
            ),
            "overseas.order_mismatch"
        );
        assert!(matches!(
            overseas::register(store, WorkerId::new(), None, japan(), OverseasProgramme::Ssw).await,
            Err(StoreError::NotFound { .. })
        ));

        let day = noon(2026, 12, 10);
        // A registration for a market only gets an order before it applies.
        let market =
            overseas::register(store, worker, None, japan(), OverseasProgramme::Titp).await.unwrap().registration.id;
        assert_eq!(
            refusal(overseas::transition(store, market, OverseasStage::Applied, move_at(day)).await),
            "overseas.job_order_required"
        );
        assert_eq!(refusal(overseas::assign_job_order(store, market, order).await), "overseas.already_registered");
        let newcomer = workers(store, 1).await[0];
        let market =
            overseas::register(store, newcomer, None, japan(), OverseasProgramme::Titp).await.unwrap().registration.id;
        let assigned = overseas::assign_job_order(store, market, order).await.unwrap();
        assert_eq!(assigned.registration.job_order_id, Some(order));
        overseas::transition(store, market, OverseasStage::Applied, move_at(day)).await.unwrap();
        assert_eq!(refusal(overseas::assign_job_order(store, market, order).await), "overseas.order_fixed");
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::Departed, move_at(day)).await),
            "overseas.transition"
        );
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::FeesSettled, move_at(day)).await),
            "overseas.fees_before_contract"
        );
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::Withdrawn, move_at(day)).await),
            "overseas.reason_required"
        );
        let foreign = TransitionInput { documents: vec![DocumentId::new()], ..move_at(day) };
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::Applied, foreign).await),
            "overseas.evidence_unknown"
        );
        overseas::transition(store, id, OverseasStage::Applied, move_at(day)).await.unwrap();
        overseas::transition(store, id, OverseasStage::Prescreened, move_at(day)).await.unwrap();
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::Selected, move_at(day)).await),
            "overseas.eligibility_not_checked"
        );
        let failed = TransitionInput { eligibility: Some(Eligibility::Fail), ..move_at(day) };
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::Selected, failed).await),
            "overseas.not_eligible"
        );
        let unknown = TransitionInput { eligibility: Some(Eligibility::Unknown), ..move_at(day) };
        overseas::transition(store, id, OverseasStage::Selected, unknown).await.unwrap();
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::OrientationDone, move_at(day)).await),
            "overseas.document_missing"
        );
        // Refused moves leave nothing behind.
        let history = overseas::history(store, id).await.unwrap();
        assert_eq!(
            history.iter().map(|h| h.to).collect::<Vec<_>>(),
            [OverseasStage::Lead, OverseasStage::Applied, OverseasStage::Prescreened, OverseasStage::Selected]
        );
        assert_eq!(history[1].from, Some(OverseasStage::Lead));
        assert!(history[1].actor.is_some() && history[1].on == date(2026, 12, 10));
        assert_eq!(overseas::get_registration(store, id).await.unwrap().registration.stage, OverseasStage::Selected);

        // Documents are validated and listed; the checklist shows what is missing.
        let mut bad = document(DocumentType::Passport, date(2026, 1, 1), Some(date(2025, 1, 1)));
        assert_eq!(refusal(overseas::add_document(store, id, bad.clone()).await), "document.dates");
        bad.expires_on = Some(date(2036, 1, 1));
        bad.number = Some(" C1234567 ".into());
        let passport = overseas::add_document(store, id, bad).await.unwrap();
        assert_eq!(passport.number.as_deref(), Some("C1234567"));
        assert_eq!(overseas::documents(store, id).await.unwrap(), [passport]);
        let checklist = overseas::checklist(store, id, date(2026, 12, 10)).await.unwrap();
        let item = |requirement: &str| checklist.iter().find(|i| i.requirement == requirement).unwrap().status;
        assert_eq!(item("docs_ready.passport"), caunoi_domain::overseas::ChecklistStatus::Present);
        assert_eq!(item("orientation_done.certificate"), caunoi_domain::overseas::ChecklistStatus::Missing);

        // A registration written by a batch (the demo), for an order without details, moves too.
        let plain = draft_order(repo::get_vacancy(store, order).await.unwrap().employer_id, 2);
        repo::insert_vacancy(store, plain.clone()).await.unwrap();
        let legacy = OverseasRegistration {
            id: OverseasRegistrationId::new(),
            worker_id: workers(store, 1).await[0],
            job_order_id: Some(plain.id),
            country: japan(),
            programme: OverseasProgramme::Titp,
            stage: OverseasStage::Lead,
            registered_at: Utc::now(),
            note: None,
        };
        repo::register_overseas(store, legacy.clone()).await.unwrap();
        let moved = overseas::transition(store, legacy.id, OverseasStage::Counselled, move_at(day)).await.unwrap();
        assert_eq!(moved.registration.stage, OverseasStage::Counselled);
        assert_eq!(overseas::history(store, legacy.id).await.unwrap().len(), 1);
        // Its order is a draft without an approved contract: applying is refused.
        assert_eq!(
            refusal(overseas::transition(store, legacy.id, OverseasStage::Applied, move_at(day)).await),
            "overseas.job_order_not_open"
        );
    })
    .await;
}

/// Adds a document of `kind` valid from `from` to `to`.
#[tokio::test]
async fn a_returnee_gains_the_overseas_job_in_the_transaction_of_the_return() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let (_, order) = published_order(store, "DH-RETURN", 5).await;
        let worker = workers(store, 1).await[0];
        let registration = select(store, worker, order, noon(2026, 12, 20)).await.unwrap();
        let id = registration.registration.id;
        let step = |to: OverseasStage, at: DateTime<Utc>, evidence: Vec<DocumentId>| async move {
            let input = TransitionInput { documents: evidence, eligibility: Some(Eligibility::Pass), ..move_at(at) };
            overseas::transition(store, id, to, input).await
        };
        // The visa is valid from 1 March to 30 May 2027.
        prepare_departure(store, id, date(2027, 1, 20)).await;
        assert_eq!(refusal(step(OverseasStage::Departed, noon(2027, 6, 2), vec![]).await), "overseas.document_expired");
        let departed = step(OverseasStage::Departed, noon(2027, 4, 2), vec![]).await.unwrap();
        assert_eq!(departed.departed_on, Some(date(2027, 4, 2)));
        step(OverseasStage::WorkingAbroad, noon(2027, 4, 3), vec![]).await.unwrap();
        let mut n3 = document(DocumentType::LanguageCertificate, date(2028, 12, 4), None);
        n3.detail = Some("JLPT N3".into());
        overseas::add_document(store, id, n3).await.unwrap();

        let before = change_log::changes_since(store, 0, 100_000).await.unwrap().len();
        let returned = step(OverseasStage::ReturnedOnTime, noon(2030, 4, 2), vec![]).await.unwrap();
        assert_eq!(returned.ended_on, Some(date(2030, 4, 2)));
        let profile = repo::get_worker(store, worker).await.unwrap();
        let job = profile.occupation_history.last().unwrap();
        assert_eq!(job.occupation, Some(caunoi_domain::IscoCode::parse("7514").unwrap()));
        assert!(job.title.ends_with("tại Nhật Bản"), "{}", job.title);
        assert_eq!((job.months, job.employer.as_deref()), (36, Some("Kanto Food Cooperative")));
        assert!(profile.languages.contains(&caunoi_domain::LanguageCertificate::parse("JLPT N3").unwrap()));
        assert!(profile.priority_groups.contains(&PriorityGroup::Returnee));
        let changes = change_log::changes_since(store, 0, 100_000).await.unwrap();
        assert_eq!(changes.len(), before + 1, "the profile change is logged for the worker index");
        assert_eq!((changes[before].entity, changes[before].entity_id), (ChangedEntity::WorkerProfile, worker.0));

        // The return is recorded with its date; liquidation is now due.
        let history = overseas::history(store, id).await.unwrap();
        assert_eq!(history.len(), 13);
        assert_eq!(history.last().unwrap().to, OverseasStage::ReturnedOnTime);
        let commune = Area::Commune(CommuneCode::parse("00004").unwrap());
        let tasks = overseas::worklist(store, &commune, date(2030, 4, 10)).await.unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!((tasks[0].kind, tasks[0].due_on), (TaskKind::LiquidationDue, date(2030, 9, 29)));
        let early = TransitionInput { return_reason: Some(ReturnReason::Illness), ..move_at(noon(2030, 4, 3)) };
        assert_eq!(
            refusal(overseas::transition(store, id, OverseasStage::ReturnedEarly, early).await),
            "overseas.transition"
        );
    })
    .await;
}

#[tokio::test]
async fn the_worklist_shows_the_departure_window_closing_at_t0_plus_150() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let (_, order) = published_order(store, "DH-WORK", 5).await;
        let people = workers(store, 2).await;
        let registration = select(store, people[0], order, noon(2026, 12, 20)).await.unwrap();
        let id = registration.registration.id;
        // Another worker, still a lead: nothing is due.
        overseas::register(store, people[1], Some(order), japan(), OverseasProgramme::Titp).await.unwrap();
        let commune = Area::Commune(CommuneCode::parse("00004").unwrap());
        let t0 = date(2026, 12, 20);
        let day = |n: u64| t0.checked_add_days(chrono::Days::new(n)).unwrap();
        assert!(overseas::worklist(store, &commune, day(149)).await.unwrap().is_empty());
        let tasks = overseas::worklist(store, &commune, day(150)).await.unwrap();
        assert_eq!(tasks.len(), 1);
        let task = &tasks[0];
        assert_eq!(
            (task.kind, task.severity, task.registration_id, task.worker_id),
            (TaskKind::DepartureDue, TaskSeverity::Warning, id, people[0])
        );
        assert_eq!(task.due_on, day(180));
        assert!(task.message_vi.contains("20/12/2026"), "{}", task.message_vi);
        let province =
            overseas::worklist(store, &Area::Province(ProvinceCode::parse("01").unwrap()), day(150)).await.unwrap();
        assert_eq!(province, tasks);
        assert!(
            overseas::worklist(store, &Area::Commune(CommuneCode::parse("00007").unwrap()), day(150))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            overseas::worklist(store, &Area::Province(ProvinceCode::parse("79").unwrap()), day(150))
                .await
                .unwrap()
                .is_empty()
        );
        // Past the window it is a breach; an expiring passport shows too.
        hold(store, id, DocumentType::Passport, date(2020, 1, 1), Some(day(190))).await;
        let late = overseas::worklist(store, &commune, day(181)).await.unwrap();
        let kinds: Vec<_> = late.iter().map(|t| (t.kind, t.severity)).collect();
        assert_eq!(
            kinds,
            [(TaskKind::DepartureOverdue, TaskSeverity::Breach), (TaskKind::DocumentExpiring, TaskSeverity::Warning)]
        );
        // The enterprise may now record its failure to send the worker.
        let failed = TransitionInput {
            reason: Some("Đối tác hoãn nhận lao động".into()),
            ..move_at(noon(2027, 6, 20))
        };
        overseas::transition(store, id, OverseasStage::EnterpriseFailed180d, failed).await.unwrap();
        assert!(overseas::worklist(store, &commune, day(181)).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn verification_answers_by_order_code_vacancy_id_name_and_licence_number() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let (employer, order) = published_order(store, "DH-2026-0042", 10).await;
        let day = publish_day();
        let answer = overseas::verify(store, " dh-2026-0042 ", day).await.unwrap();
        assert_eq!(answer.orders.len(), 1);
        let check = &answer.orders[0];
        assert_eq!(check.vacancy_id, order);
        assert!(check.enterprise.licensed && check.verdict.licensed);
        assert_eq!(check.enterprise.licence.valid_until, Some(date(2029, 3, 1)));
        assert!(check.verdict.contract_approved && check.verdict.approval_badge && check.verdict.fees_within_ceiling);
        assert_eq!((check.places, check.places_left), (10, 10));
        let fees = check.verdict.fees.as_ref().unwrap();
        assert_eq!(fees.service_fee.as_ref().unwrap().ceiling, vnd(91_800_000));
        assert_eq!(fees.service_fee_by_worker, vnd(40_000_000));
        assert_eq!(check.costs.len(), 3);
        assert!(answer.enterprises.is_empty());
        let by_id = overseas::verify(store, &order.to_string(), day).await.unwrap();
        assert_eq!(by_id.orders.len(), 1);

        // By name without diacritics, and by licence number typed without them.
        let by_name = overseas::verify(store, "nhan luc quoc te hoang long", day).await.unwrap();
        assert!(by_name.orders.is_empty());
        assert_eq!(by_name.enterprises.len(), 1);
        assert_eq!((by_name.enterprises[0].employer_id, by_name.enterprises[0].open_job_orders), (employer, 1));
        let by_licence = overseas::find_enterprises(store, "123/LDTBXH", day).await.unwrap();
        assert_eq!(by_licence.len(), 1);
        // After the licence's end it says so.
        let later = overseas::verify(store, "123/LĐTBXH-GP", date(2029, 3, 2)).await.unwrap();
        assert!(!later.enterprises[0].licensed);
        assert_eq!(later.enterprises[0].licence_problem.as_ref().unwrap().code, "licence.expired");
        assert!(overseas::verify(store, "DH-NONE", day).await.unwrap().orders.is_empty());
        assert_eq!(refusal(overseas::verify(store, "  ", day).await), "verify.query_empty");
        assert_eq!(refusal(overseas::find_enterprises(store, "h", day).await), "enterprise.query_too_short");
    })
    .await;
}
