//! Interview schedules: valid, deterministic, and optimal against brute force on small cases
//! (always when each employer's capacity is the same in every slot; otherwise whenever the
//! schedule claims it).

use std::collections::{HashMap, HashSet};

use caunoi_matching::{Employer, InterviewOption, Schedule, ScheduleRequest, Seeker, schedule};
use proptest::prelude::*;
use uuid::Uuid;

fn id(kind: u128, n: usize) -> Uuid {
    Uuid::from_u128(kind << 64 | n as u128)
}

fn check_valid(request: &ScheduleRequest, result: &Schedule) {
    let max: HashMap<Uuid, u32> = request.seekers.iter().map(|s| (s.id, s.max_interviews)).collect();
    let capacity: HashMap<Uuid, &Vec<u32>> = request.employers.iter().map(|e| (e.id, &e.capacity)).collect();
    let mut per_seeker: HashMap<Uuid, u32> = HashMap::new();
    let mut seeker_slot = HashSet::new();
    let mut pair = HashSet::new();
    let mut used: HashMap<(Uuid, usize), u32> = HashMap::new();
    for interview in &result.interviews {
        assert!(interview.slot < request.slots);
        assert!(seeker_slot.insert((interview.seeker, interview.slot)), "seeker double-booked: {interview:?}");
        assert!(pair.insert((interview.seeker, interview.employer)), "pair met twice: {interview:?}");
        *per_seeker.entry(interview.seeker).or_default() += 1;
        *used.entry((interview.employer, interview.slot)).or_default() += 1;
        assert!(request.options.iter().any(|o| o.seeker == interview.seeker && o.employer == interview.employer && o.vacancy == interview.vacancy));
    }
    for (seeker, count) in per_seeker {
        assert!(count <= max[&seeker]);
    }
    for ((employer, slot), count) in used {
        assert!(count <= capacity[&employer][slot], "capacity exceeded");
    }
    let total: f64 = result.interviews.iter().map(|i| i.score).sum();
    assert!((total - result.total_score).abs() < 1e-6);
    assert!(result.total_score <= result.upper_bound + 1e-6);
}

/// The best total over every assignment of each (seeker, employer) pair to no slot or one slot.
fn brute_force(request: &ScheduleRequest) -> f64 {
    let mut best: HashMap<(usize, usize), f64> = HashMap::new();
    let seeker_index: HashMap<Uuid, usize> = request.seekers.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let employer_index: HashMap<Uuid, usize> = request.employers.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    for o in &request.options {
        let key = (seeker_index[&o.seeker], employer_index[&o.employer]);
        let entry = best.entry(key).or_insert(0.0);
        *entry = entry.max(o.score);
    }
    let mut pairs: Vec<((usize, usize), f64)> = best.into_iter().filter(|(_, s)| *s > 0.0).collect();
    pairs.sort_by_key(|p| p.0);
    struct State {
        seeker_slot: Vec<Vec<bool>>,
        seeker_count: Vec<u32>,
        load: Vec<Vec<u32>>,
    }
    fn go(i: usize, pairs: &[((usize, usize), f64)], request: &ScheduleRequest, state: &mut State) -> f64 {
        if i == pairs.len() {
            return 0.0;
        }
        let ((s, e), score) = pairs[i];
        let mut best = go(i + 1, pairs, request, state);
        if state.seeker_count[s] < request.seekers[s].max_interviews {
            for t in 0..request.slots {
                if !state.seeker_slot[s][t] && state.load[e][t] < request.employers[e].capacity[t] {
                    state.seeker_slot[s][t] = true;
                    state.seeker_count[s] += 1;
                    state.load[e][t] += 1;
                    best = best.max(score + go(i + 1, pairs, request, state));
                    state.seeker_slot[s][t] = false;
                    state.seeker_count[s] -= 1;
                    state.load[e][t] -= 1;
                }
            }
        }
        best
    }
    let mut state = State {
        seeker_slot: vec![vec![false; request.slots]; request.seekers.len()],
        seeker_count: vec![0; request.seekers.len()],
        load: vec![vec![0; request.slots]; request.employers.len()],
    };
    go(0, &pairs, request, &mut state)
}

prop_compose! {
    fn small_request(uniform: bool)(
        seekers in 1usize..=4,
        employers in 1usize..=3,
        slots in 1usize..=3,
        seed in any::<u64>(),
    ) -> ScheduleRequest {
        // A small deterministic generator per case, so shrinking keeps cases readable.
        let mut state = seed | 1;
        let mut next = move |bound: u64| { state ^= state << 13; state ^= state >> 7; state ^= state << 17; state % bound };
        let seekers: Vec<Seeker> = (0..seekers).map(|i| Seeker { id: id(1, i), max_interviews: 1 + next(3) as u32 }).collect();
        let employers: Vec<Employer> = (0..employers)
            .map(|e| {
                let base = next(3) as u32;
                let capacity = (0..slots).map(|_| if uniform { base.max(1) } else { next(3) as u32 }).collect();
                Employer { id: id(2, e), capacity }
            })
            .collect();
        let mut options = Vec::new();
        for s in &seekers {
            for (e, employer) in employers.iter().enumerate() {
                for v in 0..2 {
                    if next(4) > 0 {
                        options.push(InterviewOption { seeker: s.id, employer: employer.id, vacancy: id(3, e * 10 + v), score: next(100_000) as f64 / 1000.0 });
                    }
                }
            }
        }
        ScheduleRequest { slots, seekers, employers, options }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn uniform_capacity_schedules_are_optimal(request in small_request(true)) {
        let result = schedule(&request).unwrap();
        check_valid(&request, &result);
        let optimum = brute_force(&request);
        prop_assert!((result.total_score - optimum).abs() < 1e-6, "got {} optimum {}", result.total_score, optimum);
        prop_assert!(result.proven_optimal);
        prop_assert!((result.upper_bound - optimum).abs() < 1e-6);
    }

    #[test]
    fn varying_capacity_schedules_are_valid_bounded_and_honest(request in small_request(false)) {
        let result = schedule(&request).unwrap();
        check_valid(&request, &result);
        let optimum = brute_force(&request);
        prop_assert!(result.total_score <= optimum + 1e-6);
        prop_assert!(optimum <= result.upper_bound + 1e-6, "bound {} below optimum {}", result.upper_bound, optimum);
        if result.proven_optimal {
            prop_assert!((result.total_score - optimum).abs() < 1e-6);
        }
    }

    #[test]
    fn schedules_do_not_depend_on_input_order(request in small_request(false)) {
        let mut shuffled = request.clone();
        shuffled.options.reverse();
        prop_assert_eq!(schedule(&request).unwrap(), schedule(&shuffled).unwrap());
    }
}

#[test]
fn a_seeker_is_never_double_booked_even_when_two_employers_want_the_same_slot() {
    // Both employers sit only in slot 0; the seeker wants both: only one interview can happen.
    let request = ScheduleRequest {
        slots: 2,
        seekers: vec![Seeker { id: id(1, 0), max_interviews: 2 }],
        employers: vec![Employer { id: id(2, 0), capacity: vec![1, 0] }, Employer { id: id(2, 1), capacity: vec![1, 0] }],
        options: vec![
            InterviewOption { seeker: id(1, 0), employer: id(2, 0), vacancy: id(3, 0), score: 80.0 },
            InterviewOption { seeker: id(1, 0), employer: id(2, 1), vacancy: id(3, 1), score: 60.0 },
        ],
    };
    let result = schedule(&request).unwrap();
    check_valid(&request, &result);
    assert_eq!(result.interviews.len(), 1);
    assert_eq!(result.interviews[0].employer, id(2, 0));
    assert_eq!(result.upper_bound, 140.0);
    assert!(!result.proven_optimal, "the flow bound counts both; the schedule says it is not proven");
}

#[test]
fn bad_requests_are_refused_with_codes() {
    let seeker = Seeker { id: id(1, 0), max_interviews: 1 };
    let employer = Employer { id: id(2, 0), capacity: vec![1] };
    let base = ScheduleRequest { slots: 1, seekers: vec![seeker.clone()], employers: vec![employer.clone()], options: vec![] };
    let wrong_slots = ScheduleRequest { slots: 2, ..base.clone() };
    assert_eq!(schedule(&wrong_slots).unwrap_err().code, "schedule.capacity_length");
    let twice = ScheduleRequest { seekers: vec![seeker.clone(), seeker], ..base.clone() };
    assert_eq!(schedule(&twice).unwrap_err().code, "schedule.duplicate_seeker");
    let stranger = ScheduleRequest {
        options: vec![InterviewOption { seeker: id(9, 9), employer: employer.id, vacancy: id(3, 0), score: 1.0 }],
        ..base.clone()
    };
    assert_eq!(schedule(&stranger).unwrap_err().code, "schedule.unknown_party");
    let nan = ScheduleRequest {
        options: vec![InterviewOption { seeker: id(1, 0), employer: employer.id, vacancy: id(3, 0), score: f64::NAN }],
        ..base
    };
    let error = schedule(&nan).unwrap_err();
    assert_eq!(error.code, "schedule.score");
    assert!(!error.message_vi.is_empty());
}
