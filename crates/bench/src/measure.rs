//! Latency percentiles, throughput, process memory and sizes on disk.

use std::path::Path;
use std::time::Duration;

/// Latencies of one engine on one query class.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    durations: Vec<Duration>,
}

impl Samples {
    pub fn push(&mut self, duration: Duration) {
        self.durations.push(duration);
    }

    pub fn len(&self) -> usize {
        self.durations.len()
    }

    pub fn extend(&mut self, other: Samples) {
        self.durations.extend(other.durations);
    }

    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// The `p`-th percentile (nearest rank), e.g. 0.99.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.durations.is_empty() {
            return Duration::ZERO;
        }
        let mut sorted = self.durations.clone();
        sorted.sort_unstable();
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    pub fn total(&self) -> Duration {
        self.durations.iter().sum()
    }

    /// Queries per second, one after another on one thread.
    pub fn per_second(&self) -> f64 {
        let total = self.total().as_secs_f64();
        if total == 0.0 { 0.0 } else { self.durations.len() as f64 / total }
    }
}

/// Peak and current resident memory of this process, in KiB (`VmHWM`, `VmRSS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub peak_kib: u64,
    pub current_kib: u64,
}

impl Memory {
    /// Read from /proc/self/status (zero where that does not exist).
    pub fn of_this_process() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        Self { peak_kib: field("VmHWM:"), current_kib: field("VmRSS:") }
    }
}

/// Bytes of the files under `dir`.
pub fn dir_size(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let metadata = entry.metadata()?;
        total += if metadata.is_dir() { dir_size(&entry.path())? } else { metadata.len() };
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples = Samples::default();
        for ms in 1..=100 {
            samples.push(Duration::from_millis(ms));
        }
        assert_eq!(samples.percentile(0.5), Duration::from_millis(50));
        assert_eq!(samples.percentile(0.99), Duration::from_millis(99));
        assert_eq!(samples.percentile(1.0), Duration::from_millis(100));
        assert!((samples.per_second() - 100.0 / 5.05).abs() < 1e-9);
    }
}
