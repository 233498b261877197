//! Job fairs through the store: the life cycle, booths, places under concurrency, check-ins
//! exactly once, interactions and follow-ups, and the report against a hand-built fair.

use std::collections::{BTreeSet, HashSet};
use std::num::NonZeroU32;

use caunoi_domain::fairs::{BoothStatus, FollowUpStatus, InteractionKind, PlaceStatus, TicketToken};
use caunoi_domain::records::*;
use caunoi_domain::{CommuneCode, DateOfBirth, IscoCode, Qualification, Sex};
use caunoi_store::bulk::{self, Batch};
use caunoi_store::fair_report::{self, Period, RollupArea};
use caunoi_store::fairs::{self, Amendment, CheckIn, FairFilter, FairPlan, FollowUp, Interaction};
use caunoi_store::records as repo;
use caunoi_store::{Store, StoreError};
use chrono::Utc;
use uuid::Uuid;

use crate::fixtures::*;
use crate::on_each_backend;

/// The code of a validation error, or a panic naming what came instead.
fn invalid_code<T: std::fmt::Debug>(result: Result<T, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Invalid(error)) => error.code,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn conflict_code<T: std::fmt::Debug>(result: Result<T, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Conflict { code, .. }) => code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// A fair with this code and capacity, moved on to `status`.
async fn fair_in(store: &Store, code: &str, capacity: Option<u32>, status: FairStatus) -> JobFairId {
    let fair = JobFair { id: JobFairId::new(), code: code.into(), status: FairStatus::Draft, ..fair() };
    let created = fairs::create_fair(store, fair, FairPlan { capacity, ..FairPlan::default() }).await.unwrap();
    advance(store, created.fair.id, status).await;
    created.fair.id
}

fn domestic_employer() -> Employer {
    Employer { id: EmployerId::new(), tax_code: None, ..employer() }
}

#[tokio::test]
async fn the_life_cycle_is_enforced_and_a_reported_fair_is_locked() {
    on_each_backend(|db| async move {
        let store = &db.store;
        // The plan is validated and normalised before anything is written.
        let draft = JobFair { status: FairStatus::Draft, ..fair() };
        let zero = FairPlan { capacity: Some(0), ..FairPlan::default() };
        assert_eq!(invalid_code(fairs::create_fair(store, draft.clone(), zero).await), "fair.capacity");
        let bad_url = FairPlan { online_url: Some("meet.google.com/abc".into()), ..FairPlan::default() };
        assert_eq!(invalid_code(fairs::create_fair(store, draft.clone(), bad_url).await), "fair.online_url");
        let running = JobFair { status: FairStatus::InProgress, ..draft.clone() };
        assert_eq!(invalid_code(fairs::create_fair(store, running, FairPlan::default()).await), "fair.initial_status");
        let backwards = JobFair { ends_at: draft.starts_at, ..draft.clone() };
        assert_eq!(invalid_code(fairs::create_fair(store, backwards, FairPlan::default()).await), "fair.dates");

        let plan = FairPlan {
            kind: Some(caunoi_domain::fairs::FairKind::Mobile),
            capacity: Some(300),
            target_groups: vec![
                PriorityGroup::PoorHousehold,
                PriorityGroup::EthnicMinority,
                PriorityGroup::PoorHousehold,
            ],
            // NFD "Đoàn Thanh niên" with stray spaces, twice.
            co_hosts: vec![
                "  UBND phường Ba Đình ".into(),
                "Đoa\u{0300}n Thanh  nie\u{0302}n".into(),
                "Đoàn Thanh niên".into(),
            ],
            online_url: Some(" https://meet.google.com/abc-defg-hij ".into()),
        };
        let created = fairs::create_fair(store, draft.clone(), plan).await.unwrap();
        let id = created.fair.id;
        assert_eq!(created.plan.co_hosts, ["UBND phường Ba Đình", "Đoàn Thanh niên"], "NFC, trimmed, once each");
        assert_eq!(created.plan.target_groups, [PriorityGroup::PoorHousehold, PriorityGroup::EthnicMinority]);
        assert_eq!(created.plan.online_url.as_deref(), Some("https://meet.google.com/abc-defg-hij"));
        assert_eq!((created.confirmed, created.waiting, created.checked_in, created.amendments), (0, 0, 0, 0));
        assert_eq!(fairs::get_fair(store, id).await.unwrap(), created);
        let again = JobFair { id: JobFairId::new(), ..draft.clone() };
        assert_eq!(conflict_code(fairs::create_fair(store, again, FairPlan::default()).await), "fair.code_taken");
        assert!(matches!(fairs::get_fair(store, JobFairId::new()).await, Err(StoreError::NotFound { .. })));

        // Illegal moves name the allowed ones; drafts are not public.
        let jump = fairs::transition_fair(store, id, FairStatus::InProgress, None).await;
        assert_eq!(invalid_code(jump), "fair.transition");
        let public = FairFilter { public_only: true, ..FairFilter::default() };
        assert!(fairs::list_fairs(store, &public).await.unwrap().is_empty());
        assert_eq!(invalid_code(fairs::amend_fair(store, id, amendment(), None).await), "fair.not_reported");

        advance(store, id, FairStatus::Announced).await;
        assert_eq!(fairs::list_fairs(store, &public).await.unwrap().len(), 1);
        let here = FairFilter {
            commune: Some("00004".into()),
            from: Some(date(2026, 12, 5)),
            to: Some(date(2026, 12, 5)),
            ..FairFilter::default()
        };
        assert_eq!(fairs::list_fairs(store, &here).await.unwrap().len(), 1, "the fair's day in Vietnam, inclusive");
        for filter in [
            FairFilter { commune: Some("00008".into()), ..FairFilter::default() },
            FairFilter { from: Some(date(2026, 12, 6)), ..FairFilter::default() },
            FairFilter { to: Some(date(2026, 12, 4)), ..FairFilter::default() },
            FairFilter { status: Some(FairStatus::Draft), ..FairFilter::default() },
        ] {
            assert!(fairs::list_fairs(store, &filter).await.unwrap().is_empty(), "{filter:?}");
        }
        assert_eq!(
            fairs::list_fairs(store, &FairFilter { province: Some("01".into()), ..FairFilter::default() })
                .await
                .unwrap()
                .len(),
            1
        );

        // No cancelling once it runs; reported is final and locks the fair.
        advance(store, id, FairStatus::InProgress).await;
        assert_eq!(
            invalid_code(fairs::transition_fair(store, id, FairStatus::Cancelled, None).await),
            "fair.transition"
        );
        advance(store, id, FairStatus::Reported).await;
        for to in FairStatus::ALL {
            assert_eq!(invalid_code(fairs::transition_fair(store, id, *to, None).await), "fair.locked", "{to}");
        }
        let worker = workers(store, 1).await[0];
        assert_eq!(invalid_code(fairs::register_seeker(store, id, worker, true).await), "fair.locked");
        assert_eq!(invalid_code(fairs::record_headcount(store, id, 3, None).await), "fair.locked");
        let edited = JobFair { venue: "Hội trường khác".into(), status: FairStatus::Reported, ..draft.clone() };
        assert_eq!(invalid_code(fairs::update_fair(store, edited, FairPlan::default()).await), "fair.locked");

        // Corrections: amendments with a reason, versioned.
        let no_reason = Amendment { reason: "  ".into(), ..amendment() };
        assert_eq!(invalid_code(fairs::amend_fair(store, id, no_reason, None).await), "text.empty");
        let by = Uuid::now_v7();
        assert_eq!(fairs::amend_fair(store, id, amendment(), Some(by)).await.unwrap().amendments, 1);
        let second =
            Amendment {
                field: "hired_on_spot".into(), value: serde_json::json!(12), reason: "Bổ sung kết quả".into()
            };
        let amended = fairs::amend_fair(store, id, second, None).await.unwrap();
        assert_eq!(
            (amended.amendments, amended.fair.status, amended.fair.venue.as_str()),
            (2, FairStatus::Reported, "Nhà văn hóa phường")
        );
        let recorded = fairs::amendments(store, id).await.unwrap();
        assert_eq!(recorded.iter().map(|a| a.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            (recorded[0].by, recorded[0].amendment.value.clone()),
            (Some(by), serde_json::json!("Hội trường UBND phường"))
        );
    })
    .await;
}

fn amendment() -> Amendment {
    Amendment {
        field: "venue".into(),
        value: serde_json::json!("Hội trường UBND phường"),
        reason: "Đổi địa điểm do mưa".into(),
    }
}

#[tokio::test]
async fn an_edit_keeps_the_status_and_a_larger_capacity_confirms_the_waiting() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let id = fair_in(store, "PGD-EDIT", Some(1), FairStatus::RegistrationOpen).await;
        let people = workers(store, 3).await;
        for worker in &people {
            fairs::register_seeker(store, id, *worker, false).await.unwrap();
        }
        let stored = fairs::get_fair(store, id).await.unwrap();
        assert_eq!((stored.confirmed, stored.waiting), (1, 2));
        let moved = JobFair { status: FairStatus::InProgress, ..stored.fair.clone() };
        assert_eq!(
            invalid_code(fairs::update_fair(store, moved, stored.plan.clone()).await),
            "fair.status_by_transition"
        );
        let edited = JobFair { venue: "Sân vận động phường".into(), ..stored.fair.clone() };
        let updated =
            fairs::update_fair(store, edited, FairPlan { capacity: Some(2), ..stored.plan.clone() }).await.unwrap();
        assert_eq!((updated.fair.venue.as_str(), updated.confirmed, updated.waiting), ("Sân vận động phường", 2, 1));
        let second = fairs::place_of(store, id, people[1]).await.unwrap().unwrap();
        assert_eq!(
            (second.status, second.waiting_position),
            (PlaceStatus::Confirmed, None),
            "the first waiting is promoted"
        );
        let shrink = FairPlan { capacity: Some(1), ..updated.plan.clone() };
        assert_eq!(
            invalid_code(fairs::update_fair(store, updated.fair.clone(), shrink).await),
            "fair.capacity_below_confirmed"
        );
        let unlimited =
            fairs::update_fair(store, updated.fair.clone(), FairPlan { capacity: None, ..updated.plan }).await.unwrap();
        assert_eq!((unlimited.confirmed, unlimited.waiting), (3, 0));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_simultaneous_registrations_for_two_hundred_places() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let id = fair_in(&store, "PGD-RUSH", Some(200), FairStatus::RegistrationOpen).await;
        let people = workers(&store, 500).await;
        let tasks: Vec<_> = people
            .iter()
            .map(|worker| {
                let store = store.clone();
                let worker = *worker;
                tokio::spawn(async move { fairs::register_seeker(&store, id, worker, false).await })
            })
            .collect();
        let mut places = Vec::new();
        for task in tasks {
            places.push(task.await.unwrap().unwrap());
        }
        let confirmed = places.iter().filter(|p| p.status == PlaceStatus::Confirmed).count();
        let waiting = places.iter().filter(|p| p.status == PlaceStatus::Waiting).count();
        assert_eq!((confirmed, waiting), (200, 300), "on {}", db.backend_name());
        let fair = fairs::get_fair(&store, id).await.unwrap();
        assert_eq!((fair.confirmed, fair.waiting), (200, 300));
        // Every waiting place got its own position, 1…300, and every ticket is distinct.
        let positions: BTreeSet<u32> = places.iter().filter_map(|p| p.waiting_position).collect();
        assert_eq!(positions, (1..=300).collect());
        let tickets: HashSet<&str> = places.iter().map(|p| p.ticket.as_str()).collect();
        assert_eq!(tickets.len(), 500);
        assert!(places.iter().all(|p| p.ticket.as_str().len() == 32));
        // The list agrees: confirmed places were all registered before any waiting one.
        let listed = fairs::places(&store, id).await.unwrap();
        assert_eq!(listed.len(), 500);
        let first_waiting = listed.iter().position(|p| p.status == PlaceStatus::Waiting).unwrap();
        assert_eq!(first_waiting, 200);
        assert_eq!(listed.iter().filter_map(|p| p.waiting_position).collect::<Vec<_>>(), (1..=300).collect::<Vec<_>>());
        let again = fairs::register_seeker(&store, id, people[0], false).await;
        assert_eq!(conflict_code(again), "fair.already_registered");
        let unknown = fairs::register_seeker(&store, id, WorkerId::new(), false).await;
        assert!(matches!(unknown, Err(StoreError::NotFound { .. })), "{unknown:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_simultaneous_scans_check_two_hundred_tickets_in_exactly_once() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let id = fair_in(&store, "PGD-SCAN", Some(200), FairStatus::RegistrationOpen).await;
        let people = workers(&store, 201).await;
        let mut tickets = Vec::new();
        for worker in &people {
            tickets.push(fairs::register_seeker(&store, id, *worker, false).await.unwrap().ticket);
        }
        let waiting_ticket = tickets.pop().unwrap();
        let early = fairs::check_in(&store, id, &tickets[0], Utc::now()).await;
        assert_eq!(invalid_code(early), "fair.not_in_progress");
        advance(&store, id, FairStatus::InProgress).await;

        // Every ticket twice, every other ticket a third time: 500 scans at once.
        let mut scans: Vec<TicketToken> = tickets.iter().flat_map(|t| [t.clone(), t.clone()]).collect();
        scans.extend(tickets.iter().step_by(2).cloned());
        assert_eq!(scans.len(), 500);
        let tasks: Vec<_> = scans
            .into_iter()
            .map(|ticket| {
                let store = store.clone();
                tokio::spawn(async move { fairs::check_in(&store, id, &ticket, Utc::now()).await })
            })
            .collect();
        let mut first = Vec::new();
        let mut again = 0;
        for task in tasks {
            match task.await.unwrap().unwrap() {
                CheckIn::First(place) => first.push(place.ticket),
                CheckIn::Again(place) => {
                    assert!(place.checked_in_at.is_some());
                    again += 1;
                }
            }
        }
        assert_eq!((first.len(), again), (200, 300), "on {}", db.backend_name());
        assert_eq!(first.iter().collect::<HashSet<_>>().len(), 200, "no ticket checked in twice");
        assert_eq!(fairs::get_fair(&store, id).await.unwrap().checked_in, 200);

        // A later scan says when; a waiting ticket is refused; an unknown one is not found.
        let CheckIn::Again(place) = fairs::check_in(&store, id, &tickets[7], Utc::now()).await.unwrap() else {
            panic!("checked in already")
        };
        let stored = fairs::places(&store, id).await.unwrap().into_iter().find(|p| p.ticket == tickets[7]).unwrap();
        assert_eq!(place.checked_in_at, stored.checked_in_at);
        assert_eq!(
            invalid_code(fairs::check_in(&store, id, &waiting_ticket, Utc::now()).await),
            "ticket.not_confirmed"
        );
        let unknown = TicketToken::parse("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        assert!(matches!(fairs::check_in(&store, id, &unknown, Utc::now()).await, Err(StoreError::NotFound { .. })));
        let other = fair_in(&store, "PGD-OTHER", None, FairStatus::InProgress).await;
        assert!(
            matches!(fairs::check_in(&store, other, &tickets[0], Utc::now()).await, Err(StoreError::NotFound { .. })),
            "tickets belong to one fair"
        );
        // A checked-in place cannot be given back.
        assert_eq!(invalid_code(fairs::cancel_place(&store, id, people[0]).await), "place.checked_in");
    })
    .await;
}

#[tokio::test]
async fn cancelling_a_confirmed_place_promotes_the_first_waiting() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let id = fair_in(store, "PGD-CANCEL", Some(2), FairStatus::RegistrationOpen).await;
        let people = workers(store, 5).await;
        let mut places = Vec::new();
        for worker in &people {
            places.push(fairs::register_seeker(store, id, *worker, false).await.unwrap());
        }
        let statuses: Vec<_> = places.iter().map(|p| (p.status, p.waiting_position)).collect();
        assert_eq!(
            statuses,
            [
                (PlaceStatus::Confirmed, None),
                (PlaceStatus::Confirmed, None),
                (PlaceStatus::Waiting, Some(1)),
                (PlaceStatus::Waiting, Some(2)),
                (PlaceStatus::Waiting, Some(3))
            ]
        );

        // A waiting seeker leaving frees no place; the others move up.
        let (left, promoted) = fairs::cancel_place(store, id, people[3]).await.unwrap();
        assert_eq!((left.status, promoted), (PlaceStatus::Cancelled, None));
        assert_eq!(fairs::place_of(store, id, people[4]).await.unwrap().unwrap().waiting_position, Some(2));

        // A confirmed one leaving gives the place to the first waiting, at once.
        let (cancelled, promoted) = fairs::cancel_place(store, id, people[0]).await.unwrap();
        assert_eq!(cancelled.status, PlaceStatus::Cancelled);
        let promoted = promoted.unwrap();
        assert_eq!(
            (promoted.worker_id, promoted.status, promoted.ticket.clone()),
            (people[2], PlaceStatus::Confirmed, places[2].ticket.clone())
        );
        assert_eq!(fairs::place_of(store, id, people[2]).await.unwrap().unwrap().status, PlaceStatus::Confirmed);
        assert_eq!(fairs::place_of(store, id, people[4]).await.unwrap().unwrap().waiting_position, Some(1));
        let fair = fairs::get_fair(store, id).await.unwrap();
        assert_eq!((fair.confirmed, fair.waiting), (2, 1));

        // Cancelling again changes nothing; registering again goes to the end with a new ticket.
        let (again, none) = fairs::cancel_place(store, id, people[0]).await.unwrap();
        assert_eq!((again.status, none), (PlaceStatus::Cancelled, None));
        let back = fairs::register_seeker(store, id, people[0], false).await.unwrap();
        assert_eq!((back.id, back.status, back.waiting_position), (places[0].id, PlaceStatus::Waiting, Some(2)));
        assert_ne!(back.ticket, places[0].ticket, "the old ticket is void");
        let stored = fairs::place_of(store, id, people[0]).await.unwrap().unwrap();
        assert_eq!((stored.status, stored.ticket), (PlaceStatus::Waiting, back.ticket), "the database holds the new place");
        assert!(matches!(fairs::cancel_place(store, id, WorkerId::new()).await, Err(StoreError::NotFound { .. })));
        assert_eq!(fairs::place_of(store, id, WorkerId::new()).await.unwrap(), None);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn booths_are_checked_and_numbered_one_two_three_in_order_of_approval() {
    on_each_backend(|db| async move {
        let store = db.store.clone();
        let id = fair_in(&store, "PGD-BOOTHS", None, FairStatus::Draft).await;
        let employers: Vec<Employer> = (0..12).map(|_| domestic_employer()).collect();
        let vacancies: Vec<Vacancy> = employers.iter().map(|e| vacancy(e.id)).collect();
        bulk::write(&store, Batch { employers: employers.clone(), vacancies: vacancies.clone(), ..Batch::default() })
            .await
            .unwrap();
        let request =
            |i: usize| fairs::request_booth(&store, id, employers[i].id, vec![vacancies[i].id], vec![2, 2, 1]);
        assert_eq!(invalid_code(request(0).await), "fair.not_accepting_booths");
        advance(&store, id, FairStatus::Planned).await;

        // Only one's own open vacancies; overseas job orders only from a licensed enterprise.
        let not_own = fairs::request_booth(&store, id, employers[0].id, vec![vacancies[1].id], vec![]).await;
        assert_eq!(invalid_code(not_own), "booth.vacancy_not_own");
        let mut closed = vacancy(employers[0].id);
        closed.status = VacancyStatus::Closed;
        let closed = repo::insert_vacancy(&store, closed).await.unwrap();
        assert_eq!(
            invalid_code(fairs::request_booth(&store, id, employers[0].id, vec![closed], vec![]).await),
            "booth.vacancy_not_open"
        );
        let order_of_domestic = repo::insert_vacancy(&store, job_order(employers[0].id)).await.unwrap();
        let refused = fairs::request_booth(&store, id, employers[0].id, vec![order_of_domestic], vec![]).await;
        assert_eq!(invalid_code(refused), "booth.overseas_needs_licence");
        let lapsed = Employer {
            id: EmployerId::new(),
            kind: EmployerKind::PlacementEnterprise {
                licence: PlacementLicence::new("9/GP", date(2019, 1, 1), Some(date(2026, 6, 30))).unwrap(),
            },
            tax_code: Some(caunoi_domain::TaxCode::parse("0300588569").unwrap()),
            ..placement_enterprise()
        };
        let lapsed_id = repo::insert_employer(&store, lapsed).await.unwrap();
        let lapsed_order = repo::insert_vacancy(&store, job_order(lapsed_id)).await.unwrap();
        let refused = fairs::request_booth(&store, id, lapsed_id, vec![lapsed_order], vec![]).await;
        assert_eq!(invalid_code(refused), "booth.overseas_needs_licence", "licence expired before the fair");
        let licensed = repo::insert_employer(&store, placement_enterprise()).await.unwrap();
        let order = repo::insert_vacancy(&store, job_order(licensed)).await.unwrap();
        let overseas_booth = fairs::request_booth(&store, id, licensed, vec![order, order], vec![3]).await.unwrap();
        assert_eq!(
            (overseas_booth.status, overseas_booth.number, overseas_booth.vacancies.clone()),
            (BoothStatus::Requested, None, vec![order])
        );
        let missing = fairs::request_booth(&store, id, EmployerId::new(), vec![], vec![]).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");

        let mut requested = Vec::new();
        for i in 0..12 {
            requested.push(request(i).await.unwrap());
        }
        assert_eq!(conflict_code(request(0).await), "booth.already_requested");
        assert_eq!(requested[0].slot_capacity, [2, 2, 1]);

        // Ten approvals at once draw ten distinct numbers 1…10; a rejection draws none.
        let tasks: Vec<_> = requested[..10]
            .iter()
            .map(|booth| {
                let store = store.clone();
                let booth = booth.id;
                tokio::spawn(async move { fairs::decide_booth(&store, booth, true, None).await })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            let booth = task.await.unwrap().unwrap();
            assert_eq!(booth.status, BoothStatus::Approved);
            numbers.push(booth.number.unwrap());
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=10).collect::<Vec<_>>(), "on {}", db.backend_name());
        let rejected = fairs::decide_booth(&store, requested[10].id, false, Some(Uuid::now_v7())).await.unwrap();
        assert_eq!((rejected.status, rejected.number), (BoothStatus::Rejected, None));
        assert_eq!(
            invalid_code(fairs::decide_booth(&store, requested[10].id, true, None).await),
            "booth.already_decided"
        );
        let next = fairs::decide_booth(&store, overseas_booth.id, true, None).await.unwrap();
        assert_eq!(next.number, Some(11));
        assert!(matches!(
            fairs::decide_booth(&store, Uuid::now_v7(), true, None).await,
            Err(StoreError::NotFound { .. })
        ));

        // Listed: approved by number, then the others.
        let listed = fairs::booths(&store, id).await.unwrap();
        assert_eq!(listed.len(), 13);
        assert_eq!(listed.iter().filter_map(|b| b.number).collect::<Vec<_>>(), (1..=11).collect::<Vec<_>>());
        assert_eq!(
            listed[11..].iter().map(|b| b.status).collect::<BTreeSet<_>>(),
            BTreeSet::from([BoothStatus::Requested, BoothStatus::Rejected])
        );
    })
    .await;
}

#[tokio::test]
async fn interactions_need_a_place_and_a_booth_vacancy_and_hires_are_followed_up() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let id = fair_in(store, "PGD-BOOTH", None, FairStatus::RegistrationOpen).await;
        let (a, b) = (domestic_employer(), domestic_employer());
        let (va, vb, elsewhere) = (vacancy(a.id), vacancy(b.id), vacancy(b.id));
        bulk::write(
            store,
            Batch {
                employers: vec![a.clone(), b.clone()],
                vacancies: vec![va.clone(), vb.clone(), elsewhere.clone()],
                ..Batch::default()
            },
        )
        .await
        .unwrap();
        for (employer, vacancy) in [(a.id, va.id), (b.id, vb.id)] {
            let booth = fairs::request_booth(store, id, employer, vec![vacancy], vec![]).await.unwrap();
            fairs::decide_booth(store, booth.id, true, None).await.unwrap();
        }
        let people = workers(store, 2).await;
        fairs::register_seeker(store, id, people[0], false).await.unwrap();
        let hired_at = at(2026, 12, 5, 3);
        let interaction = |kind, vacancy: Option<VacancyId>| Interaction {
            id: Uuid::now_v7(),
            fair_id: id,
            worker_id: people[0],
            vacancy_id: vacancy,
            employer_id: None,
            kind,
            note: Some("  Ứng viên   có kinh nghiệm ".into()),
            at: hired_at,
            recorded_by: None,
        };
        let early = fairs::record_interaction(store, interaction(InteractionKind::Interviewed, Some(va.id))).await;
        assert_eq!(invalid_code(early), "fair.not_accepting_outcomes");
        advance(store, id, FairStatus::InProgress).await;

        let stranger = Interaction { worker_id: people[1], ..interaction(InteractionKind::Interviewed, Some(va.id)) };
        assert_eq!(invalid_code(fairs::record_interaction(store, stranger).await), "interaction.no_place");
        let not_here =
            fairs::record_interaction(store, interaction(InteractionKind::Interviewed, Some(elsewhere.id))).await;
        assert_eq!(invalid_code(not_here), "interaction.vacancy_not_at_fair");
        let mismatch =
            Interaction { employer_id: Some(b.id), ..interaction(InteractionKind::Interviewed, Some(va.id)) };
        assert_eq!(invalid_code(fairs::record_interaction(store, mismatch).await), "interaction.employer_mismatch");
        let absent =
            Interaction { employer_id: Some(EmployerId::new()), ..interaction(InteractionKind::Counselled, None) };
        assert_eq!(invalid_code(fairs::record_interaction(store, absent).await), "interaction.employer_not_at_fair");

        let counselled =
            fairs::record_interaction(store, interaction(InteractionKind::Counselled, None)).await.unwrap();
        assert_eq!((counselled.note.as_deref(), counselled.employer_id), (Some("Ứng viên có kinh nghiệm"), None));
        let hire =
            fairs::record_interaction(store, interaction(InteractionKind::HiredOnSpot, Some(va.id))).await.unwrap();
        assert_eq!(hire.employer_id, Some(a.id), "the booth's employer");
        assert_eq!(fairs::interactions(store, id).await.unwrap(), [counselled.clone(), hire.clone()]);

        // Follow-ups: hires only, at 30 and 90 days, once each; due from the hire's day.
        let check = |interaction_id, day, status, checked_on| FollowUp {
            id: Uuid::now_v7(),
            interaction_id,
            day,
            status,
            checked_on,
            recorded_by: None,
        };
        let not_hire =
            fairs::record_follow_up(store, check(counselled.id, 30, FollowUpStatus::Started, date(2027, 1, 4))).await;
        assert_eq!(invalid_code(not_hire), "follow_up.not_a_hire");
        assert_eq!(
            invalid_code(
                fairs::record_follow_up(store, check(hire.id, 45, FollowUpStatus::Started, date(2027, 1, 4))).await
            ),
            "follow_up.day"
        );
        assert_eq!(
            invalid_code(
                fairs::record_follow_up(store, check(hire.id, 30, FollowUpStatus::Started, date(2026, 12, 1))).await
            ),
            "follow_up.checked_on"
        );
        let unknown =
            fairs::record_follow_up(store, check(Uuid::now_v7(), 30, FollowUpStatus::Started, date(2027, 1, 4))).await;
        assert!(matches!(unknown, Err(StoreError::NotFound { .. })));

        assert!(fairs::due_follow_ups(store, id, date(2027, 1, 3)).await.unwrap().is_empty());
        let due = fairs::due_follow_ups(store, id, date(2027, 1, 4)).await.unwrap();
        assert_eq!(
            due.iter().map(|d| (d.interaction_id, d.worker_id, d.vacancy_id, d.day, d.due_on)).collect::<Vec<_>>(),
            [(hire.id, people[0], Some(va.id), 30, date(2027, 1, 4))]
        );
        fairs::record_follow_up(store, check(hire.id, 30, FollowUpStatus::Started, date(2027, 1, 4))).await.unwrap();
        let twice =
            fairs::record_follow_up(store, check(hire.id, 30, FollowUpStatus::StillEmployed, date(2027, 1, 5))).await;
        assert_eq!(conflict_code(twice), "follow_up.duplicate");
        assert!(fairs::due_follow_ups(store, id, date(2027, 1, 4)).await.unwrap().is_empty());
        let late = fairs::due_follow_ups(store, id, date(2027, 3, 10)).await.unwrap();
        assert_eq!(late.iter().map(|d| (d.day, d.due_on)).collect::<Vec<_>>(), [(90, date(2027, 3, 5))]);

        // After the report is locked, outcomes are refused but follow-ups still come in.
        advance(store, id, FairStatus::Reported).await;
        assert_eq!(
            invalid_code(
                fairs::record_interaction(store, interaction(InteractionKind::Interviewed, Some(va.id))).await
            ),
            "fair.locked"
        );
        fairs::record_follow_up(store, check(hire.id, 90, FollowUpStatus::StillEmployed, date(2027, 3, 10)))
            .await
            .unwrap();
        assert_eq!(fairs::follow_ups(store, id).await.unwrap().len(), 2);
    })
    .await;
}

/// A worker of the report fixture.
fn attendee(
    sex: Sex,
    born: chrono::NaiveDate,
    ethnicity: Option<&str>,
    commune: &str,
    groups: &[PriorityGroup],
) -> WorkerProfile {
    WorkerProfile {
        id: WorkerId::new(),
        cccd: None,
        phone: None,
        sex,
        date_of_birth: DateOfBirth::new(born, date(2026, 11, 21)).unwrap(),
        ethnicity: ethnicity.map(str::to_owned),
        residence_commune: CommuneCode::parse(commune).unwrap(),
        priority_groups: groups.iter().copied().collect(),
        ..worker()
    }
}

#[tokio::test]
async fn the_report_counts_a_hand_built_fair() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let id = fair_in(store, "PGD-REPORT", Some(5), FairStatus::Planned).await;

        // Employers: A domestic, B a licensed placement enterprise, C rejected.
        let (a, c) = (domestic_employer(), domestic_employer());
        let b = placement_enterprise();
        let a1 = Vacancy { quantity: NonZeroU32::new(5).unwrap(), ..vacancy(a.id) }; // 7212, sơ cấp required
        let a2 = Vacancy {
            occupation: IscoCode::parse("5120").unwrap(),
            quantity: NonZeroU32::new(3).unwrap(),
            requirements: Requirements::default(),
            ..vacancy(a.id)
        };
        let a3 = Vacancy { quantity: NonZeroU32::new(100).unwrap(), ..vacancy(a.id) }; // not brought
        let b1 = Vacancy { quantity: NonZeroU32::new(10).unwrap(), ..job_order(b.id) }; // 7514, overseas
        let c1 = Vacancy { quantity: NonZeroU32::new(50).unwrap(), ..vacancy(c.id) };
        bulk::write(
            store,
            Batch {
                employers: vec![a.clone(), b.clone(), c.clone()],
                vacancies: vec![a1.clone(), a2.clone(), a3, b1.clone(), c1.clone()],
                ..Batch::default()
            },
        )
        .await
        .unwrap();
        let booth_a = fairs::request_booth(store, id, a.id, vec![a1.id, a2.id], vec![2]).await.unwrap();
        let booth_b = fairs::request_booth(store, id, b.id, vec![b1.id], vec![1]).await.unwrap();
        let booth_c = fairs::request_booth(store, id, c.id, vec![c1.id], vec![1]).await.unwrap();
        fairs::decide_booth(store, booth_a.id, true, None).await.unwrap();
        fairs::decide_booth(store, booth_b.id, true, None).await.unwrap();
        fairs::decide_booth(store, booth_c.id, false, None).await.unwrap();

        // Seekers; ages on the fair's day, 5 December 2026.
        let people = [
            attendee(Sex::Male, date(1998, 5, 17), Some("Kinh"), "00004", &[]), // 28
            attendee(Sex::Female, date(2004, 1, 1), Some("Tày"), "00004", &[]), // 22, minority
            attendee(Sex::Female, date(1980, 6, 1), None, "00008", &[PriorityGroup::EthnicMinority]), // 46, minority
            attendee(Sex::Male, date(1960, 1, 1), None, "00004", &[]),          // 66, unknown
            attendee(Sex::Female, date(1990, 12, 6), Some("Kinh"), "00004", &[]), // cancels
            attendee(Sex::Male, date(1995, 1, 1), Some("Kinh"), "00004", &[]),  // promoted, absent
            attendee(Sex::Male, date(2000, 1, 1), Some("Kinh"), "00004", &[]),  // walk-in, waits
        ];
        let w: Vec<WorkerId> = people.iter().map(|p| p.id).collect();
        bulk::write(store, Batch { workers: people.to_vec(), ..Batch::default() }).await.unwrap();
        advance(store, id, FairStatus::RegistrationOpen).await;
        let mut tickets = Vec::new();
        for worker in &w[..6] {
            tickets.push(fairs::register_seeker(store, id, *worker, false).await.unwrap().ticket);
        }
        let (_, promoted) = fairs::cancel_place(store, id, w[4]).await.unwrap();
        assert_eq!(promoted.unwrap().worker_id, w[5]);
        advance(store, id, FairStatus::InProgress).await;
        let walk_in = fairs::register_seeker(store, id, w[6], true).await.unwrap();
        assert_eq!(walk_in.status, PlaceStatus::Waiting);
        for ticket in &tickets[..4] {
            assert!(matches!(fairs::check_in(store, id, ticket, at(2026, 12, 5, 2)).await.unwrap(), CheckIn::First(_)));
        }
        assert_eq!(fairs::record_headcount(store, id, 5, None).await.unwrap(), 5);
        assert_eq!(fairs::record_headcount(store, id, 3, None).await.unwrap(), 8);
        assert_eq!(invalid_code(fairs::record_headcount(store, id, 0, None).await), "headcount.count");

        let mut hires = Vec::new();
        for (who, kind, vacancy) in [
            (0, InteractionKind::Counselled, None),
            (0, InteractionKind::Interviewed, Some(a1.id)),
            (0, InteractionKind::HiredOnSpot, Some(a1.id)),
            (1, InteractionKind::Interviewed, Some(a1.id)),
            (1, InteractionKind::Interviewed, Some(a2.id)),
            (1, InteractionKind::Passed, Some(a2.id)),
            (1, InteractionKind::HiredOnSpot, Some(a2.id)),
            (2, InteractionKind::CvTaken, Some(b1.id)),
            (2, InteractionKind::OverseasSignup, Some(b1.id)),
            (3, InteractionKind::TrainingSignup, None),
            (3, InteractionKind::AppointmentSet, Some(a2.id)),
            (5, InteractionKind::Interviewed, Some(a2.id)),
        ] {
            let recorded = fairs::record_interaction(
                store,
                Interaction {
                    id: Uuid::now_v7(),
                    fair_id: id,
                    worker_id: w[who],
                    vacancy_id: vacancy,
                    employer_id: None,
                    kind,
                    note: None,
                    at: at(2026, 12, 5, 3),
                    recorded_by: None,
                },
            )
            .await
            .unwrap();
            if kind == InteractionKind::HiredOnSpot {
                hires.push(recorded.id);
            }
        }
        let check = |interaction_id, day, status, checked_on| FollowUp {
            id: Uuid::now_v7(),
            interaction_id,
            day,
            status,
            checked_on,
            recorded_by: None,
        };
        fairs::record_follow_up(store, check(hires[0], 30, FollowUpStatus::Started, date(2027, 1, 4))).await.unwrap();
        fairs::record_follow_up(store, check(hires[0], 90, FollowUpStatus::StillEmployed, date(2027, 3, 5)))
            .await
            .unwrap();
        fairs::record_follow_up(store, check(hires[1], 30, FollowUpStatus::NotStarted, date(2027, 1, 4)))
            .await
            .unwrap();
        advance(store, id, FairStatus::Reported).await;
        fairs::amend_fair(store, id, amendment(), None).await.unwrap();

        let report = fair_report::fair_report(store, id).await.unwrap();
        assert_eq!(
            (report.code.as_str(), report.date, report.status),
            ("PGD-REPORT", date(2026, 12, 5), FairStatus::Reported)
        );
        assert_eq!((report.commune_code.as_str(), report.commune_name.as_str()), ("00004", "Phường Ba Đình"));
        assert_eq!((report.province_code.as_str(), report.province_name.as_str()), ("01", "Thành phố Hà Nội"));
        assert_eq!((report.enterprises, report.placement_enterprises), (2, 1));
        assert_eq!((report.vacancies, report.openings), (3, 18));
        let groups = |g: &[fair_report::VacancyGroup]| {
            g.iter().map(|g| (g.code.clone(), g.vacancies, g.openings)).collect::<Vec<_>>()
        };
        assert_eq!(groups(&report.by_occupation), [("5".into(), 1, 3), ("7".into(), 2, 15)]);
        assert!(report.by_occupation[1].label.starts_with("Thợ"), "{}", report.by_occupation[1].label);
        assert_eq!(
            groups(&report.by_qualification),
            [("not_required".into(), 2, 13), (Qualification::SoCap.code().into(), 1, 5)]
        );
        assert_eq!(
            (report.domestic.vacancies, report.domestic.openings, report.overseas.vacancies, report.overseas.openings),
            (2, 8, 1, 10)
        );
        assert_eq!(
            (report.registered, report.confirmed, report.waiting, report.cancelled, report.walk_ins),
            (6, 5, 1, 1, 1)
        );
        assert_eq!((report.attendees_identified, report.attendees_anonymous, report.attendees_total), (4, 8, 12));
        let counts = |g: &[fair_report::GroupCount]| g.iter().map(|g| (g.code.clone(), g.count)).collect::<Vec<_>>();
        assert_eq!(counts(&report.attendees_by_sex), [("female".into(), 2), ("male".into(), 2)]);
        assert_eq!(
            counts(&report.attendees_by_age_band),
            [("15-24".into(), 1), ("25-34".into(), 1), ("35-44".into(), 0), ("45-54".into(), 1), ("55+".into(), 1)]
        );
        assert_eq!(
            counts(&report.attendees_by_ethnicity),
            [("ethnic_minority".into(), 2), ("kinh".into(), 1), ("unknown".into(), 1)]
        );
        assert_eq!(counts(&report.attendees_by_commune), [("00004".into(), 3), ("00008".into(), 1)]);
        assert_eq!(report.attendees_by_commune[1].label, "Phường Ngọc Hà");
        let o = &report.outcomes;
        assert_eq!(
            (
                o.counselled,
                o.interviewed,
                o.passed,
                o.hired_on_spot,
                o.cv_taken,
                o.appointments,
                o.training_signups,
                o.overseas_signups
            ),
            (1, 3, 1, 2, 1, 1, 1, 1)
        );
        assert_eq!(o.by_kind.iter().find(|k| k.code == "interviewed").unwrap().count, 3);
        let follow: Vec<_> = report
            .follow_ups
            .iter()
            .map(|f| (f.day, f.hires, f.recorded, f.started, f.still_employed, f.not_started, f.left, f.unreachable))
            .collect();
        assert_eq!(follow, [(30, 2, 2, 1, 0, 1, 0, 0), (90, 2, 1, 0, 1, 0, 0, 0)]);
        assert_eq!(report.amendments.len(), 1);

        // CSV: BOM, Vietnamese headers first, one row per indicator; XLSX is a zip.
        let csv = report.to_csv();
        assert!(csv.starts_with("\u{FEFF}Chỉ tiêu / Indicator,Phân loại / Breakdown,Số lượng / Count\r\n"), "{csv}");
        for row in [
            "Chỉ tiêu tuyển dụng / Openings,,18\r\n",
            "Tuyển dụng tại phiên / Hired on the spot,,2\r\n",
            "Người tham gia không khai danh tính / Anonymous attendees,,8\r\n",
            "Người tham gia theo dân tộc / Attendees by ethnicity,Dân tộc thiểu số,2\r\n",
            "Theo dõi sau 90 ngày / Follow-up at 90 days,vẫn đang làm việc / still employed,1\r\n",
        ] {
            assert!(csv.contains(row), "{row} missing from\n{csv}");
        }
        assert!(report.to_xlsx().unwrap().starts_with(b"PK"));

        // Roll-ups: another fair in January, a cancelled one in December (not counted).
        let january = JobFair {
            id: JobFairId::new(),
            code: "PGD-JAN".into(),
            status: FairStatus::Draft,
            starts_at: at(2027, 1, 10, 1),
            ends_at: at(2027, 1, 10, 9),
            ..fair()
        };
        let january = fairs::create_fair(store, january, FairPlan::default()).await.unwrap().fair.id;
        fairs::record_headcount(store, advance(store, january, FairStatus::InProgress).await.fair.id, 40, None)
            .await
            .unwrap();
        let cancelled = fair_in(store, "PGD-CANCELLED", None, FairStatus::Announced).await;
        fairs::transition_fair(store, cancelled, FairStatus::Cancelled, None).await.unwrap();

        let months =
            fair_report::rollup(store, &FairFilter::default(), Period::Month, RollupArea::Commune).await.unwrap();
        assert_eq!(
            months.iter().map(|r| (r.period.as_str(), r.area_code.as_str(), r.fairs)).collect::<Vec<_>>(),
            [("2026-12", "00004", 1), ("2027-01", "00004", 1)]
        );
        let december = &months[0];
        assert_eq!(december.area_name, "Phường Ba Đình");
        assert_eq!(
            (
                december.enterprises,
                december.placement_enterprises,
                december.vacancies,
                december.openings,
                december.overseas_openings
            ),
            (
                report.enterprises,
                report.placement_enterprises,
                report.vacancies,
                report.openings,
                report.overseas.openings
            )
        );
        assert_eq!(
            (december.registered, december.walk_ins, december.attendees_identified, december.attendees_anonymous),
            (report.registered, report.walk_ins, report.attendees_identified, report.attendees_anonymous)
        );
        assert_eq!(
            (
                december.counselled,
                december.interviewed,
                december.passed,
                december.hired_on_spot,
                december.cv_taken,
                december.appointments,
                december.training_signups,
                december.overseas_signups
            ),
            (
                o.counselled,
                o.interviewed,
                o.passed,
                o.hired_on_spot,
                o.cv_taken,
                o.appointments,
                o.training_signups,
                o.overseas_signups
            )
        );
        assert_eq!((months[1].attendees_anonymous, months[1].enterprises), (40, 0));
        let quarters =
            fair_report::rollup(store, &FairFilter::default(), Period::Quarter, RollupArea::Province).await.unwrap();
        assert_eq!(
            quarters
                .iter()
                .map(|r| (r.period.as_str(), r.area_code.as_str(), r.area_name.as_str(), r.fairs))
                .collect::<Vec<_>>(),
            [("2026-Q4", "01", "Thành phố Hà Nội", 1), ("2027-Q1", "01", "Thành phố Hà Nội", 1)]
        );
        let years = fair_report::rollup(
            store,
            &FairFilter { from: Some(date(2027, 1, 1)), ..FairFilter::default() },
            Period::Year,
            RollupArea::Province,
        )
        .await
        .unwrap();
        assert_eq!(
            years.iter().map(|r| (r.period.as_str(), r.fairs, r.attendees_anonymous)).collect::<Vec<_>>(),
            [("2027", 1, 40)]
        );
        assert!(
            fair_report::rollup(
                store,
                &FairFilter { commune: Some("00008".into()), ..FairFilter::default() },
                Period::Year,
                RollupArea::Commune
            )
            .await
            .unwrap()
            .is_empty()
        );

        let csv = fair_report::rollup_csv(&months);
        assert!(
            csv.starts_with("\u{FEFF}Kỳ báo cáo / Period,Mã địa bàn / Area code,Địa bàn / Area,Số phiên / Fairs,"),
            "{csv}"
        );
        assert!(csv.contains("\r\n2026-12,00004,Phường Ba Đình,1,2,1,3,18,10,6,1,4,8,1,3,1,2,1,1,1,1\r\n"), "{csv}");
        assert!(fair_report::rollup_xlsx(&months).unwrap().starts_with(b"PK"));
    })
    .await;
}
