use caunoi_domain::records::*;
use caunoi_domain::{CommuneCode, CountryCode};
use caunoi_store::bulk::{self, Batch};
use caunoi_store::change_log::{self, ChangedEntity, Operation};
use caunoi_store::records as repo;
use caunoi_store::{StoreError, stats};
use chrono::Utc;

use crate::fixtures::*;
use crate::on_each_backend;

#[tokio::test]
async fn vacancy_round_trips_and_every_change_is_logged() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let employer_id = repo::insert_employer(store, employer()).await.unwrap();
        let mut posted = vacancy(employer_id);
        posted.title = "  Thợ  hàn\u{0065}\u{0301}  ".into(); // NFD "é" and stray spaces
        let id = repo::insert_vacancy(store, posted.clone()).await.unwrap();

        let stored = repo::get_vacancy(store, id).await.unwrap();
        assert_eq!(stored.title, "Thợ hàn\u{00e9}", "title is NFC-normalised and trimmed");
        assert_eq!(stored.salary, posted.salary);
        assert_eq!(stored.requirements, posted.requirements);
        assert_eq!(stored.workplace, posted.workplace);

        let mut changed = stored.clone();
        changed.quantity = std::num::NonZeroU32::new(9).unwrap();
        repo::update_vacancy(store, changed).await.unwrap();
        assert_eq!(repo::get_vacancy(store, id).await.unwrap().quantity.get(), 9);

        repo::delete_vacancy(store, id).await.unwrap();
        assert!(matches!(repo::get_vacancy(store, id).await, Err(StoreError::NotFound { .. })));

        let log = change_log::changes_since(store, 0, 100).await.unwrap();
        let ops: Vec<_> = log.iter().map(|c| (c.entity, c.entity_id, c.operation)).collect();
        assert_eq!(
            ops,
            [
                (ChangedEntity::Vacancy, id.0, Operation::Upsert),
                (ChangedEntity::Vacancy, id.0, Operation::Upsert),
                (ChangedEntity::Vacancy, id.0, Operation::Delete)
            ]
        );
        assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(change_log::latest_seq(store).await.unwrap(), log[2].seq);
        assert_eq!(change_log::changes_since(store, log[1].seq, 100).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn overseas_job_order_and_registration_round_trip() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let enterprise = repo::insert_employer(store, placement_enterprise()).await.unwrap();
        let stored_enterprise = repo::get_employer(store, enterprise).await.unwrap();
        assert!(matches!(stored_enterprise.kind, EmployerKind::PlacementEnterprise { ref licence } if licence.number == "123/LĐTBXH-GP"));

        let order = job_order(enterprise);
        let order_id = repo::insert_vacancy(store, order.clone()).await.unwrap();
        assert_eq!(repo::get_vacancy(store, order_id).await.unwrap().workplace, order.workplace);

        let worker_id = repo::insert_worker(store, worker()).await.unwrap();
        let registration = OverseasRegistration {
            id: OverseasRegistrationId::new(),
            worker_id,
            job_order_id: Some(order_id),
            country: CountryCode::parse("JP").unwrap(),
            programme: OverseasProgramme::Titp,
            stage: OverseasStage::Lead,
            registered_at: Utc::now(),
            note: Some("Đăng ký tại phiên giao dịch".into()),
        };
        repo::register_overseas(store, registration.clone()).await.unwrap();
        let stored = repo::overseas_registrations_of(store, worker_id).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].job_order_id, Some(order_id));
        assert_eq!(stored[0].stage, OverseasStage::Lead);

        let overview = stats::overview(store).await.unwrap();
        assert_eq!((overview.placement_enterprises, overview.overseas_job_orders, overview.overseas_registrations), (1, 1, 1));
    })
    .await;
}

#[tokio::test]
async fn worker_profile_round_trips_with_sensitive_fields() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let original = worker();
        let id = repo::insert_worker(store, original.clone()).await.unwrap();
        let stored = repo::get_worker(store, id).await.unwrap();
        assert_eq!(stored, original);
        assert!(stored.has_consent(ConsentPurpose::Matching));
        assert!(!stored.has_consent(ConsentPurpose::ShareWithEmployers));
        // Debug output (logs) never carries the full CCCD or phone number.
        let debug = format!("{stored:?}");
        assert!(!debug.contains("001098012345") && debug.contains("2345"), "{debug}");
        assert!(!debug.contains("987654321"), "{debug}");
        let log = change_log::changes_since(store, 0, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].entity, ChangedEntity::WorkerProfile);
    })
    .await;
}

#[tokio::test]
async fn invalid_commune_is_rejected_with_a_vietnamese_message_and_nothing_is_written() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let mut bad = worker();
        bad.residence_commune = CommuneCode::parse("99999").unwrap();
        let err = repo::insert_worker(store, bad).await.unwrap_err();
        let StoreError::Invalid(err) = err else { panic!("expected a validation error, got {err:?}") };
        assert_eq!(err.code, "commune_code.unknown");
        assert_eq!(err.field, "worker.residence_commune", "a single record names its own field");
        assert!(err.message_vi.contains("Không có xã/phường"), "{}", err.message_vi);
        assert_eq!(stats::overview(store).await.unwrap().workers, 0);
        assert!(change_log::changes_since(store, 0, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn cccd_that_contradicts_the_birth_date_is_rejected() {
    on_each_backend(|db| async move {
        let mut bad = worker();
        bad.date_of_birth = caunoi_domain::DateOfBirth::new(date(2001, 1, 1), date(2026, 11, 21)).unwrap();
        let err = repo::insert_worker(&db.store, bad).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref e) if e.code == "cccd.mismatch"), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn a_batch_with_one_bad_record_writes_nothing() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let employer = employer();
        let mut vacancies: Vec<_> = (0..5).map(|_| vacancy(employer.id)).collect();
        vacancies[3].title = "   ".into();
        let err = bulk::write(store, Batch { employers: vec![employer], vacancies, ..Batch::default() }).await.unwrap_err();
        let StoreError::Invalid(err) = err else { panic!("expected a validation error, got {err:?}") };
        assert_eq!((err.field.as_str(), err.code), ("vacancies[3].vacancy.title", "text.empty"));
        let overview = stats::overview(store).await.unwrap();
        assert_eq!((overview.employers, overview.open_vacancies), (0, 0));
    })
    .await;
}

#[tokio::test]
async fn a_batch_failing_inside_the_database_is_rolled_back_whole() {
    on_each_backend(|db| async move {
        let store = &db.store;
        // Both profiles are valid alone; the second repeats the first one's CCCD.
        let first = worker();
        let second = WorkerProfile { id: WorkerId::new(), ..worker() };
        let err = bulk::write(store, Batch { workers: vec![first, second], ..Batch::default() }).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { code: "cccd.taken", .. }), "{err:?}");
        assert_eq!(stats::overview(store).await.unwrap().workers, 0);
        assert!(change_log::changes_since(store, 0, 10).await.unwrap().is_empty());

        // And a single duplicate after a successful insert is a conflict too.
        repo::insert_worker(store, worker()).await.unwrap();
        let err = repo::insert_worker(store, WorkerProfile { id: WorkerId::new(), ..worker() }).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { field: "worker.cccd", .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn vacancy_of_an_unknown_employer_is_rejected() {
    on_each_backend(|db| async move {
        let err = repo::insert_vacancy(&db.store, vacancy(EmployerId::new())).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref e) if e.code == "reference.not_found"), "{err:?}");
        assert!(change_log::changes_since(&db.store, 0, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn one_registration_per_worker_and_fair() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let fair_id = repo::insert_fair(store, fair()).await.unwrap();
        assert_eq!(repo::get_fair(store, fair_id).await.unwrap().code, "PGD-2026-0001");
        let worker_id = repo::insert_worker(store, worker()).await.unwrap();
        let employer_id = repo::insert_employer(store, employer()).await.unwrap();
        let register = |participant| FairRegistration {
            id: FairRegistrationId::new(),
            fair_id,
            participant,
            registered_at: Utc::now(),
            checked_in_at: None,
        };
        repo::register_for_fair(store, register(FairParticipant::Worker(worker_id))).await.unwrap();
        repo::register_for_fair(store, register(FairParticipant::Employer(employer_id))).await.unwrap();
        let err = repo::register_for_fair(store, register(FairParticipant::Worker(worker_id))).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { code: "fair_registration.duplicate", .. }), "{err:?}");
        assert_eq!(repo::fair_registrations(store, fair_id).await.unwrap().len(), 2);

        let err = repo::insert_fair(store, JobFair { id: JobFairId::new(), ..fair() }).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { code: "fair.code_taken", .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_writers_get_distinct_increasing_sequences() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let employer_id = repo::insert_employer(&store, employer()).await.unwrap();
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { repo::insert_vacancy(&store, vacancy(employer_id)).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let log = change_log::changes_since(&store, 0, 100).await.unwrap();
        assert_eq!(log.len(), 16);
        assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    })
    .await;
}

#[tokio::test]
async fn a_tampered_row_is_reported_as_corrupt() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let employer_id = repo::insert_employer(store, employer()).await.unwrap();
        let id = repo::insert_vacancy(store, vacancy(employer_id)).await.unwrap();
        db.execute("UPDATE vacancies SET salary_currency = 'XYZ'").await;
        let err = repo::get_vacancy(store, id).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { entity: "vacancy", .. }), "{err:?}");
    })
    .await;
}
