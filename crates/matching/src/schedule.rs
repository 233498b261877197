//! Interview schedules for a job fair: seekers, employers with a capacity per time slot, and
//! match scores; each seeker meets an employer at most once, is never double-booked in a slot
//! and has at most `max_interviews`; the total score is maximised. Deterministic.
//!
//! # Method and why it is exact
//!
//! 1. **Which pairs meet** — a maximum-weight b-matching, solved as a min-cost flow:
//!    source → seeker (capacity `min(max_interviews, slots)`) → employer (capacity 1, cost
//!    −score) → sink (capacity Σₜ capacity(e, t)). Any valid schedule is such a b-matching (a
//!    seeker has at most one interview per slot, an employer at most its total capacity), so
//!    its optimum is an **upper bound** on every schedule.
//! 2. **When they meet** — the chosen pairs are coloured with slots. Employer e is split into
//!    interviewers k = 1..maxₜ capacity(e, t); interviewer k sits in the slots where
//!    capacity(e, t) ≥ k, and takes at most that many pairs. When an employer's capacity is
//!    the same in every slot, every interviewer sits in all T slots and every seeker and
//!    interviewer has at most T pairs, so by König's edge-colouring theorem the bipartite
//!    graph is T-colourable: alternating-path (Kempe) swaps always succeed and every chosen
//!    pair gets a slot. The schedule then reaches the upper bound: **optimal**.
//!
//! With capacities that vary across slots the problem contains class–teacher timetabling with
//! unavailabilities, which is NP-complete (Even, Itai and Shamir, 1976), so no exact
//! polynomial method is known. The same steps then place what they can, fill the remaining
//! capacity greedily by score, and report the gap to the upper bound; `proven_optimal` is true
//! only when the bound is reached.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use uuid::Uuid;

use crate::flow::FlowNetwork;

/// Scores are compared as integers in thousandths of a point, so the flow is exact.
const SCORE_SCALE: f64 = 1000.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seeker {
    pub id: Uuid,
    pub max_interviews: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employer {
    pub id: Uuid,
    /// Interviews the employer can hold at once, per slot (length = number of slots).
    pub capacity: Vec<u32>,
}

/// A possible interview: a seeker for one of the employer's vacancies, with its match score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterviewOption {
    pub seeker: Uuid,
    pub employer: Uuid,
    pub vacancy: Uuid,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleRequest {
    pub slots: usize,
    pub seekers: Vec<Seeker>,
    pub employers: Vec<Employer>,
    pub options: Vec<InterviewOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interview {
    pub seeker: Uuid,
    pub employer: Uuid,
    pub vacancy: Uuid,
    pub slot: usize,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    /// Sorted by slot, employer, seeker.
    pub interviews: Vec<Interview>,
    pub total_score: f64,
    /// No schedule can score more than this.
    pub upper_bound: f64,
    pub proven_optimal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message_vi} ({message_en})")]
pub struct ScheduleError {
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

fn invalid(code: &'static str, vi: String, en: String) -> ScheduleError {
    ScheduleError { code, message_vi: vi, message_en: en }
}

/// One candidate pair after keeping each (seeker, employer)'s best vacancy.
#[derive(Debug, Clone)]
struct Pair {
    seeker: usize,
    employer: usize,
    vacancy: Uuid,
    weight: i64,
    score: f64,
}

/// Position of each seeker and employer id in the request.
type Positions = HashMap<Uuid, usize>;

fn validate(request: &ScheduleRequest) -> Result<(Positions, Positions), ScheduleError> {
    let mut seekers = HashMap::new();
    for (i, s) in request.seekers.iter().enumerate() {
        if seekers.insert(s.id, i).is_some() {
            return Err(invalid("schedule.duplicate_seeker", format!("Người tìm việc {} bị lặp.", s.id), format!("Seeker {} is listed twice.", s.id)));
        }
    }
    let mut employers = HashMap::new();
    for (i, e) in request.employers.iter().enumerate() {
        if employers.insert(e.id, i).is_some() {
            return Err(invalid("schedule.duplicate_employer", format!("Nhà tuyển dụng {} bị lặp.", e.id), format!("Employer {} is listed twice.", e.id)));
        }
        if e.capacity.len() != request.slots {
            return Err(invalid(
                "schedule.capacity_length",
                format!("Nhà tuyển dụng {} có {} số liệu sức chứa, cần đúng {} (một cho mỗi ca).", e.id, e.capacity.len(), request.slots),
                format!("Employer {} has {} capacities; exactly {} (one per slot) are needed.", e.id, e.capacity.len(), request.slots),
            ));
        }
    }
    for option in &request.options {
        if !option.score.is_finite() {
            return Err(invalid("schedule.score", "Điểm phù hợp phải là số hữu hạn.".into(), "A match score must be finite.".into()));
        }
        if !seekers.contains_key(&option.seeker) || !employers.contains_key(&option.employer) {
            return Err(invalid(
                "schedule.unknown_party",
                "Một lựa chọn phỏng vấn nêu người tìm việc hoặc nhà tuyển dụng không có trong danh sách.".into(),
                "An interview option names a seeker or employer that is not listed.".into(),
            ));
        }
    }
    Ok((seekers, employers))
}

/// Best vacancy per (seeker, employer) with a positive score; ties by vacancy id.
fn best_pairs(request: &ScheduleRequest, seekers: &HashMap<Uuid, usize>, employers: &HashMap<Uuid, usize>) -> Vec<Pair> {
    let mut best: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    for option in &request.options {
        let weight = (option.score * SCORE_SCALE).round() as i64;
        if weight <= 0 {
            continue;
        }
        let (seeker, employer) = (seekers[&option.seeker], employers[&option.employer]);
        let candidate = Pair { seeker, employer, vacancy: option.vacancy, weight, score: option.score };
        best.entry((seeker, employer))
            .and_modify(|p| {
                if (candidate.weight, std::cmp::Reverse(candidate.vacancy)) > (p.weight, std::cmp::Reverse(p.vacancy)) {
                    *p = candidate.clone();
                }
            })
            .or_insert(candidate);
    }
    best.into_values().collect()
}

/// Builds the schedule. See the module documentation for the method.
pub fn schedule(request: &ScheduleRequest) -> Result<Schedule, ScheduleError> {
    let (seeker_index, employer_index) = validate(request)?;
    let pairs = best_pairs(request, &seeker_index, &employer_index);
    let slots = request.slots;
    let (n_seekers, n_employers) = (request.seekers.len(), request.employers.len());

    // Stage 1: which pairs meet.
    let source = 0;
    let sink = 1 + n_seekers + n_employers;
    let mut network = FlowNetwork::new(sink + 1);
    for (i, seeker) in request.seekers.iter().enumerate() {
        let budget = (seeker.max_interviews as usize).min(slots);
        network.add_arc(source, 1 + i, budget as i64, 0);
    }
    let pair_arcs: Vec<usize> =
        pairs.iter().map(|p| network.add_arc(1 + p.seeker, 1 + n_seekers + p.employer, 1, -p.weight)).collect();
    for (e, employer) in request.employers.iter().enumerate() {
        let total: u32 = employer.capacity.iter().sum();
        network.add_arc(1 + n_seekers + e, sink, i64::from(total), 0);
    }
    let flow = network.min_cost_flow(source, sink, i64::MAX, true);
    let upper_bound_weight = -flow.cost;
    let chosen: Vec<usize> = (0..pairs.len()).filter(|&i| network.flow(pair_arcs[i]) > 0).collect();

    // Stage 2: when they meet.
    let mut slotter = Slotter::new(request, n_seekers);
    let mut unplaced = Vec::new();
    for &p in &chosen {
        if !slotter.place(&pairs[p], p) {
            unplaced.push(p);
        }
    }
    if !unplaced.is_empty() {
        slotter.fill_greedily(&pairs);
    }

    let mut interviews: Vec<Interview> = slotter
        .placed
        .iter()
        .map(|&(p, slot)| {
            let pair = &pairs[p];
            Interview {
                seeker: request.seekers[pair.seeker].id,
                employer: request.employers[pair.employer].id,
                vacancy: pair.vacancy,
                slot,
                score: pair.score,
            }
        })
        .collect();
    interviews.sort_by_key(|i| (i.slot, i.employer, i.seeker));
    let achieved_weight: i64 = slotter.placed.iter().map(|&(p, _)| pairs[p].weight).sum();
    Ok(Schedule {
        total_score: interviews.iter().map(|i| i.score).sum(),
        upper_bound: upper_bound_weight as f64 / SCORE_SCALE,
        proven_optimal: achieved_weight >= upper_bound_weight,
        interviews,
    })
}

/// Slot assignment: seekers and employer interviewers as the two sides of a bipartite graph,
/// slots as edge colours.
struct Slotter {
    slots: usize,
    /// Per seeker, per slot: the placed pair (index into `placed`) using it.
    seeker_slots: Vec<Vec<Option<usize>>>,
    /// Per interviewer, per slot: the placed pair using it; `None` also where unavailable.
    interviewer_slots: Vec<Vec<Option<usize>>>,
    interviewer_available: Vec<Vec<bool>>,
    /// Interviewers of each employer, and how many pairs each still takes.
    interviewers_of: Vec<Vec<usize>>,
    interviewer_room: Vec<usize>,
    /// (pair, slot) per placement, and the interviewer and seeker it uses.
    placed: Vec<(usize, usize)>,
    placed_ends: Vec<(usize, usize)>,
    seeker_budget: Vec<usize>,
    used_pairs: Vec<bool>,
}

impl Slotter {
    fn new(request: &ScheduleRequest, n_seekers: usize) -> Self {
        let slots = request.slots;
        let mut interviewer_available = Vec::new();
        let mut interviewers_of = Vec::new();
        for employer in &request.employers {
            let most = employer.capacity.iter().copied().max().unwrap_or(0);
            let mut own = Vec::new();
            for k in 1..=most {
                own.push(interviewer_available.len());
                interviewer_available.push(employer.capacity.iter().map(|c| *c >= k).collect::<Vec<bool>>());
            }
            interviewers_of.push(own);
        }
        let interviewer_room = interviewer_available.iter().map(|a| a.iter().filter(|x| **x).count()).collect();
        Self {
            slots,
            seeker_slots: vec![vec![None; slots]; n_seekers],
            interviewer_slots: vec![vec![None; slots]; interviewer_available.len()],
            interviewer_available,
            interviewers_of,
            interviewer_room,
            placed: Vec::new(),
            placed_ends: Vec::new(),
            seeker_budget: request.seekers.iter().map(|s| (s.max_interviews as usize).min(slots)).collect(),
            used_pairs: Vec::new(),
        }
    }

    /// Places a pair in some slot, recolouring along an alternating path if needed.
    fn place(&mut self, pair: &Pair, pair_index: usize) -> bool {
        if self.seeker_budget[pair.seeker] == 0 {
            return false;
        }
        let u = pair.seeker;
        let interviewers = self.interviewers_of[pair.employer].clone();
        // An interviewer with room; among them, prefer one sharing a free slot with the seeker.
        let with_room: Vec<usize> = interviewers.into_iter().filter(|&v| self.interviewer_room[v] > 0).collect();
        for &v in &with_room {
            if let Some(slot) = (0..self.slots).find(|&t| self.free_at_seeker(u, t) && self.free_at_interviewer(v, t)) {
                self.commit(pair_index, u, v, slot);
                return true;
            }
        }
        for &v in &with_room {
            let alphas: Vec<usize> =
                (0..self.slots).filter(|&t| self.free_at_seeker(u, t) && self.interviewer_available[v][t]).collect();
            let betas: Vec<usize> = (0..self.slots).filter(|&t| self.free_at_interviewer(v, t)).collect();
            for &alpha in &alphas {
                for &beta in &betas {
                    if self.swap_path(v, alpha, beta) {
                        self.commit(pair_index, u, v, alpha);
                        return true;
                    }
                }
            }
        }
        false
    }

    fn free_at_seeker(&self, u: usize, t: usize) -> bool {
        self.seeker_slots[u][t].is_none()
    }

    fn free_at_interviewer(&self, v: usize, t: usize) -> bool {
        self.interviewer_available[v][t] && self.interviewer_slots[v][t].is_none()
    }

    fn commit(&mut self, pair_index: usize, u: usize, v: usize, slot: usize) {
        let id = self.placed.len();
        self.placed.push((pair_index, slot));
        self.placed_ends.push((u, v));
        self.seeker_slots[u][slot] = Some(id);
        self.interviewer_slots[v][slot] = Some(id);
        self.interviewer_room[v] -= 1;
        self.seeker_budget[u] -= 1;
        if self.used_pairs.len() <= pair_index {
            self.used_pairs.resize(pair_index + 1, false);
        }
        self.used_pairs[pair_index] = true;
    }

    /// Swaps colours α and β along the alternating path that starts at interviewer `v` with
    /// its α edge, so that α becomes free at `v`. Refused (nothing changed) when the path's
    /// far end is an interviewer not sitting in the colour it would receive.
    fn swap_path(&mut self, v: usize, alpha: usize, beta: usize) -> bool {
        // Walk: interviewer --α--> seeker --β--> interviewer --α--> ...
        let mut path = Vec::new();
        let mut at_interviewer = true;
        let mut node = v;
        let mut colour = alpha;
        loop {
            let edge = if at_interviewer { self.interviewer_slots[node][colour] } else { self.seeker_slots[node][colour] };
            let Some(edge) = edge else { break };
            path.push(edge);
            let (u, w) = self.placed_ends[edge];
            node = if at_interviewer { u } else { w };
            at_interviewer = !at_interviewer;
            colour = if colour == alpha { beta } else { alpha };
            if path.len() > self.placed.len() {
                return false;
            }
        }
        // The path's far end (`node`) receives the other colour on its last edge: when it is
        // an interviewer, it must sit in that slot.
        if let Some(&last) = path.last() {
            let new_colour = if self.placed[last].1 == alpha { beta } else { alpha };
            if at_interviewer && !self.interviewer_available[node][new_colour] {
                return false;
            }
        }
        if !self.interviewer_available[v][beta] {
            return false;
        }
        for &edge in &path {
            let (u, w) = self.placed_ends[edge];
            let old = self.placed[edge].1;
            self.seeker_slots[u][old] = None;
            self.interviewer_slots[w][old] = None;
        }
        for &edge in &path {
            let (u, w) = self.placed_ends[edge];
            let new = if self.placed[edge].1 == alpha { beta } else { alpha };
            self.placed[edge].1 = new;
            self.seeker_slots[u][new] = Some(edge);
            self.interviewer_slots[w][new] = Some(edge);
        }
        true
    }

    /// After some chosen pairs could not be placed: the remaining pairs, best first, wherever
    /// a seeker and an interviewer share a free slot.
    fn fill_greedily(&mut self, pairs: &[Pair]) {
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by(|&a, &b| pairs[b].weight.cmp(&pairs[a].weight).then(a.cmp(&b)));
        let mut met: Vec<Vec<bool>> = vec![Vec::new(); self.seeker_slots.len()];
        for &(p, _) in &self.placed {
            let pair = &pairs[p];
            if met[pair.seeker].len() <= pair.employer {
                met[pair.seeker].resize(pair.employer + 1, false);
            }
            met[pair.seeker][pair.employer] = true;
        }
        for p in order {
            let pair = &pairs[p];
            let already = met[pair.seeker].get(pair.employer).copied().unwrap_or(false);
            if already || self.used_pairs.get(p).copied().unwrap_or(false) || self.seeker_budget[pair.seeker] == 0 {
                continue;
            }
            let u = pair.seeker;
            let spot = self.interviewers_of[pair.employer]
                .clone()
                .into_iter()
                .filter(|&v| self.interviewer_room[v] > 0)
                .find_map(|v| (0..self.slots).find(|&t| self.free_at_seeker(u, t) && self.free_at_interviewer(v, t)).map(|t| (v, t)));
            if let Some((v, t)) = spot {
                self.commit(p, u, v, t);
                if met[u].len() <= pair.employer {
                    met[u].resize(pair.employer + 1, false);
                }
                met[u][pair.employer] = true;
            }
        }
    }
}
