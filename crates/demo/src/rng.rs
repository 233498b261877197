//! A small seeded generator (SplitMix64). Own code rather than `rand`, so the same seed gives
//! the same demo data whatever version of a dependency is resolved.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one record: independent of how many records came before it.
    pub fn for_record(seed: u64, kind: u64, index: u64) -> Self {
        let mut rng = Self(seed ^ kind.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.0 ^= rng.next_u64() ^ index.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        // Multiply-shift: unbiased enough for demo data and branch-free.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = u64::try_from(high - low).unwrap_or(0) + 1;
        low + i64::try_from(self.next_u64() % span).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An item chosen with probability proportional to `weight`.
    pub fn weighted<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
        let total: u64 = items.iter().map(|i| u64::from(weight(i))).sum();
        let mut target = self.next_u64() % total.max(1);
        for item in items {
            let w = u64::from(weight(item));
            if target < w {
                return item;
            }
            target -= w;
        }
        &items[items.len() - 1]
    }

    /// A random (version 4) UUID drawn from this generator: deterministic per seed.
    pub fn uuid(&mut self) -> uuid::Uuid {
        let bytes = (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_sequence_and_records_are_independent() {
        let a: Vec<u64> = (0..5).map(|i| Rng::for_record(42, 1, i).next_u64()).collect();
        let b: Vec<u64> = (0..5).rev().map(|i| Rng::for_record(42, 1, i).next_u64()).collect();
        assert_eq!(a, b.into_iter().rev().collect::<Vec<_>>());
        assert_ne!(Rng::for_record(42, 1, 0).next_u64(), Rng::for_record(43, 1, 0).next_u64());
        assert_ne!(Rng::for_record(42, 1, 0).next_u64(), Rng::for_record(42, 2, 0).next_u64());
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::for_record(1, 1, 1);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
        assert!((0..10_000).all(|_| (3..=9).contains(&rng.between(3, 9))));
    }
}
