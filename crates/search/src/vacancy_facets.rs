//! The facet counts of a vacancy results page — province, ISCO major group, market, employment
//! type, overseas programme — from one packed number per vacancy.
//!
//! tantivy's `FacetCollector` reads a multi-valued column for every hit (one ordinal per facet,
//! five per vacancy) and maps each ordinal to its root's child: for a search with 50,000 hits that
//! was an eighth of its time. Here each dimension is a small number — a position in a fixed list
//! (the 2025 provinces, the ten ISCO major groups, two-letter market codes, the domain's
//! employment types and programmes) — and the five are packed into one fast column, so a hit
//! costs one column read and five increments.

use caunoi_domain::AdminCatalog;
use caunoi_domain::records::{EmploymentType, OverseasProgramme};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::document::VacancyDocument;

/// The fast u64 column holding [`key`].
pub(crate) const COLUMN: &str = "facet_key";

/// Where one dimension sits in the packed key; slot 0 means "none".
#[derive(Debug, Clone, Copy)]
struct Dimension {
    shift: u32,
    slots: usize,
    /// Where its counts start in [`Counts::slots`].
    offset: usize,
}

impl Dimension {
    fn slot(self, key: u64) -> usize {
        // The mask keeps the slot below `slots` whatever the key holds.
        usize::try_from((key >> self.shift) & (self.slots as u64 - 1)).unwrap_or(0)
    }

    fn pack(self, slot: usize) -> u64 {
        if slot < self.slots { (slot as u64) << self.shift } else { 0 }
    }
}

const PROVINCE: Dimension = Dimension { shift: 0, slots: 64, offset: 0 };
const ISCO: Dimension = Dimension { shift: 6, slots: 16, offset: 64 };
const MARKET: Dimension = Dimension { shift: 10, slots: 1024, offset: 80 };
const KIND: Dimension = Dimension { shift: 20, slots: 16, offset: 1104 };
const PROGRAMME: Dimension = Dimension { shift: 24, slots: 16, offset: 1120 };
const SLOTS: usize = 1136;

fn province_slot(code: &str) -> usize {
    AdminCatalog::embedded().provinces().iter().position(|p| p.code.as_str() == code).map_or(0, |i| i + 1)
}

fn market_slot(code: &str) -> usize {
    match code.as_bytes() {
        &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => usize::from(a - b'A') * 26 + usize::from(b - b'A') + 1,
        _ => 0,
    }
}

fn market_code(slot: usize) -> Option<String> {
    let n = slot.checked_sub(1).filter(|n| *n < 26 * 26)?;
    let letter = |i: usize| char::from(b'A' + u8::try_from(i).unwrap_or(0));
    Some([letter(n / 26), letter(n % 26)].iter().collect())
}

fn isco_slot(code: &str) -> usize {
    code.chars().next().and_then(|c| c.to_digit(10)).map_or(0, |d| d as usize + 1)
}

fn code_slot<'a>(codes: impl Iterator<Item = &'a str>, code: &str) -> usize {
    codes.into_iter().position(|c| c == code).map_or(0, |i| i + 1)
}

/// The packed facet values of a vacancy.
pub(crate) fn key(document: &VacancyDocument) -> u64 {
    PROVINCE.pack(document.province_code.as_deref().map_or(0, province_slot))
        | ISCO.pack(isco_slot(document.isco.as_str()))
        | MARKET.pack(market_slot(&document.country))
        | KIND.pack(code_slot(EmploymentType::ALL.iter().map(|t| t.code()), &document.employment_type))
        | PROGRAMME.pack(document.programme.as_deref().map_or(0, |p| code_slot(OverseasProgramme::ALL.iter().map(|t| t.code()), p)))
}

/// Where a vacancy is, read from its [`key`]: the province's slot (0 abroad) above the
/// market's (`VN` at home).
pub(crate) fn place(key: u64) -> u64 {
    (PROVINCE.slot(key) * MARKET.slots + MARKET.slot(key)) as u64
}

/// Hits per value of each dimension.
#[derive(Debug, Clone)]
pub struct Counts {
    slots: Vec<u64>,
}

impl Default for Counts {
    fn default() -> Self {
        Self { slots: vec![0; SLOTS] }
    }
}

impl Counts {
    fn add(&mut self, key: u64) {
        for dimension in [PROVINCE, ISCO, MARKET, KIND, PROGRAMME] {
            self.slots[dimension.offset + dimension.slot(key)] += 1;
        }
    }

    /// The non-zero counts of a dimension (slot 0, "none", left out), by value as text.
    fn named(&self, dimension: Dimension, name: impl Fn(usize) -> Option<String>) -> Vec<(String, u64)> {
        let counts = &self.slots[dimension.offset..dimension.offset + dimension.slots];
        let mut named: Vec<(String, u64)> =
            counts.iter().enumerate().skip(1).filter(|(_, n)| **n > 0).filter_map(|(slot, n)| Some((name(slot)?, *n))).collect();
        named.sort();
        named
    }

    /// Counts per 2025 province code ("01").
    pub fn provinces(&self) -> Vec<(String, u64)> {
        let provinces = AdminCatalog::embedded().provinces();
        self.named(PROVINCE, |slot| provinces.get(slot - 1).map(|p| p.code.as_str().to_owned()))
    }

    /// Counts per ISCO-08 major group ("7").
    pub fn occupations(&self) -> Vec<(String, u64)> {
        self.named(ISCO, |slot| Some((slot - 1).to_string()))
    }

    /// Counts per market, ISO 3166-1 alpha-2 ("VN", "JP").
    pub fn markets(&self) -> Vec<(String, u64)> {
        self.named(MARKET, market_code)
    }

    /// Counts per employment type code ("full_time").
    pub fn employment_types(&self) -> Vec<(String, u64)> {
        self.named(KIND, |slot| EmploymentType::ALL.get(slot - 1).map(|t| t.code().to_owned()))
    }

    /// Counts per overseas programme code ("titp").
    pub fn programmes(&self) -> Vec<(String, u64)> {
        self.named(PROGRAMME, |slot| OverseasProgramme::ALL.get(slot - 1).map(|p| p.code().to_owned()))
    }
}

/// Collects [`Counts`] of the hits.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetCounter;

impl Collector for FacetCounter {
    type Fruit = Counts;
    type Child = SegmentCounter;

    fn for_segment(&self, _segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounter> {
        Ok(SegmentCounter { keys: reader.fast_fields().u64(COLUMN)?, counts: Counts::default() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total = Counts::default();
        for fruit in fruits {
            for (sum, n) in total.slots.iter_mut().zip(fruit.slots) {
                *sum += n;
            }
        }
        Ok(total)
    }
}

pub struct SegmentCounter {
    keys: Column<u64>,
    counts: Counts,
}

impl SegmentCollector for SegmentCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(key) = self.keys.first(doc) {
            self.counts.add(key);
        }
    }

    fn harvest(self) -> Counts {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::{ISCO, KIND, MARKET, PROGRAMME, PROVINCE, market_code, market_slot};

    #[test]
    fn dimensions_do_not_overlap_and_markets_round_trip() {
        let dimensions = [PROVINCE, ISCO, MARKET, KIND, PROGRAMME];
        for pair in dimensions.windows(2) {
            assert_eq!(pair[0].offset + pair[0].slots, pair[1].offset);
            assert_eq!(pair[0].shift + pair[0].slots.trailing_zeros(), pair[1].shift);
        }
        for code in ["VN", "JP", "KR", "TW", "DE", "AA", "ZZ"] {
            assert_eq!(market_code(market_slot(code)).as_deref(), Some(code));
        }
        assert_eq!(market_slot("vn"), 0);
        assert_eq!(market_slot("VNM"), 0);
        assert_eq!(market_code(0), None);
    }
}
