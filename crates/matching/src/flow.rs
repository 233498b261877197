//! Min-cost flow by successive shortest paths with Johnson potentials (primal–dual): Dijkstra
//! on reduced costs, then a blocking flow along the zero-reduced-cost arcs, repeated.
//!
//! Costs are integers (no rounding drift). Deterministic: arcs are scanned in insertion order
//! and ties in Dijkstra are broken by node number.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone)]
struct Arc {
    to: usize,
    capacity: i64,
    cost: i64,
}

/// A flow network; node 0.. are plain indices.
#[derive(Debug, Clone, Default)]
pub struct FlowNetwork {
    arcs: Vec<Arc>,
    /// Outgoing arc indices per node; arc `i ^ 1` is the reverse of arc `i`.
    adjacency: Vec<Vec<usize>>,
}

/// What [`FlowNetwork::min_cost_flow`] achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowResult {
    pub flow: i64,
    pub cost: i64,
}

impl FlowNetwork {
    pub fn new(nodes: usize) -> Self {
        Self { arcs: Vec::new(), adjacency: vec![Vec::new(); nodes] }
    }

    /// Adds an arc and returns its id (to read its flow later).
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, capacity, cost });
        self.arcs.push(Arc { to: from, capacity: 0, cost: -cost });
        self.adjacency[from].push(id);
        self.adjacency[to].push(id + 1);
        id
    }

    /// Flow on an arc (the residual capacity of its reverse).
    pub fn flow(&self, arc: usize) -> i64 {
        self.arcs[arc ^ 1].capacity
    }

    /// Sends flow from `source` to `sink` while it lowers the total cost (so with negative
    /// costs this maximises value rather than flow), never more than `max_flow`.
    ///
    /// Initial potentials come from Bellman–Ford, so negative arc costs are allowed as long as
    /// the network has no negative cycle (true of the acyclic networks built here).
    pub fn min_cost_flow(&mut self, source: usize, sink: usize, max_flow: i64, only_improving: bool) -> FlowResult {
        let n = self.adjacency.len();
        let mut potential = self.bellman_ford(source);
        let mut total = FlowResult { flow: 0, cost: 0 };
        let mut distance = vec![i64::MAX; n];
        while total.flow < max_flow {
            if !self.dijkstra(source, &potential, &mut distance) || distance[sink] == i64::MAX {
                break;
            }
            for v in 0..n {
                if distance[v] != i64::MAX {
                    potential[v] += distance[v];
                }
            }
            let path_cost = potential[sink] - potential[source];
            if only_improving && path_cost >= 0 {
                break;
            }
            // Blocking flow on arcs whose reduced cost is zero (all shortest paths).
            let mut level = vec![false; n];
            for v in 0..n {
                level[v] = distance[v] != i64::MAX;
            }
            let mut next_arc = vec![0usize; n];
            let mut on_path = vec![false; n];
            loop {
                let pushed = self.augment(source, sink, max_flow - total.flow, &potential, &level, &mut next_arc, &mut on_path);
                if pushed == 0 {
                    break;
                }
                total.flow += pushed;
                total.cost += pushed * path_cost;
                if total.flow >= max_flow {
                    break;
                }
            }
        }
        total
    }

    fn bellman_ford(&self, source: usize) -> Vec<i64> {
        let n = self.adjacency.len();
        let mut distance = vec![i64::MAX; n];
        distance[source] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if distance[u] == i64::MAX {
                    continue;
                }
                for &a in &self.adjacency[u] {
                    let arc = &self.arcs[a];
                    if arc.capacity > 0 && distance[u] + arc.cost < distance[arc.to] {
                        distance[arc.to] = distance[u] + arc.cost;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Unreachable nodes keep potential 0; they stay unreachable until flow reaches them,
        // which can only happen through reachable nodes, whose potentials are exact.
        distance.iter().map(|d| if *d == i64::MAX { 0 } else { *d }).collect()
    }

    fn dijkstra(&self, source: usize, potential: &[i64], distance: &mut [i64]) -> bool {
        distance.fill(i64::MAX);
        distance[source] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0_i64, source)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > distance[u] {
                continue;
            }
            for &a in &self.adjacency[u] {
                let arc = &self.arcs[a];
                if arc.capacity <= 0 {
                    continue;
                }
                let reduced = arc.cost + potential[u] - potential[arc.to];
                let candidate = d + reduced;
                if candidate < distance[arc.to] {
                    distance[arc.to] = candidate;
                    heap.push(Reverse((candidate, arc.to)));
                }
            }
        }
        true
    }

    #[allow(clippy::too_many_arguments, reason = "the blocking-flow state of one phase")]
    fn augment(
        &mut self,
        u: usize,
        sink: usize,
        limit: i64,
        potential: &[i64],
        level: &[bool],
        next_arc: &mut [usize],
        on_path: &mut [bool],
    ) -> i64 {
        if u == sink {
            return limit;
        }
        on_path[u] = true;
        while next_arc[u] < self.adjacency[u].len() {
            let a = self.adjacency[u][next_arc[u]];
            let (to, capacity, cost) = {
                let arc = &self.arcs[a];
                (arc.to, arc.capacity, arc.cost)
            };
            if capacity > 0 && level[to] && !on_path[to] && cost + potential[u] - potential[to] == 0 {
                let pushed = self.augment(to, sink, limit.min(capacity), potential, level, next_arc, on_path);
                if pushed > 0 {
                    self.arcs[a].capacity -= pushed;
                    self.arcs[a ^ 1].capacity += pushed;
                    on_path[u] = false;
                    return pushed;
                }
            }
            next_arc[u] += 1;
        }
        on_path[u] = false;
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_cheaper_of_two_paths_then_the_other() {
        // 0 → 1 → 3 costs 2, 0 → 2 → 3 costs 5; each capacity 1.
        let mut net = FlowNetwork::new(4);
        net.add_arc(0, 1, 1, 1);
        net.add_arc(1, 3, 1, 1);
        net.add_arc(0, 2, 1, 2);
        net.add_arc(2, 3, 1, 3);
        assert_eq!(net.clone().min_cost_flow(0, 3, 1, false), FlowResult { flow: 1, cost: 2 });
        assert_eq!(net.min_cost_flow(0, 3, 10, false), FlowResult { flow: 2, cost: 7 });
    }

    #[test]
    fn maximum_weight_stops_when_more_flow_would_cost() {
        // Values as negative costs: one path is worth 5, the other would lose 1.
        let mut net = FlowNetwork::new(4);
        net.add_arc(0, 1, 1, 0);
        net.add_arc(1, 3, 1, -5);
        net.add_arc(0, 2, 1, 0);
        net.add_arc(2, 3, 1, 1);
        assert_eq!(net.min_cost_flow(0, 3, 10, true), FlowResult { flow: 1, cost: -5 });
    }

    #[test]
    fn reroutes_through_reverse_arcs() {
        // The greedy first path 0-1-2-3 must be undone to reach flow 2.
        let mut net = FlowNetwork::new(4);
        let a = net.add_arc(0, 1, 1, 1);
        net.add_arc(0, 2, 1, 10);
        let middle = net.add_arc(1, 2, 1, 0);
        net.add_arc(1, 3, 1, 10);
        net.add_arc(2, 3, 1, 1);
        let result = net.min_cost_flow(0, 3, 2, false);
        assert_eq!(result, FlowResult { flow: 2, cost: 22 });
        assert_eq!(net.flow(a), 1);
        assert_eq!(net.flow(middle), 0);
    }
}
