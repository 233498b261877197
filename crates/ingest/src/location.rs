//! Workplace text → 2025 commune and province codes.
//!
//! People write "Phường Bến Nghé, Quận 1, TP.HCM" (pre-2025: ward, district, city),
//! "xa tan lap, huyen dan phuong, ha noi" (no diacritics), "P. Ba Đình, HN", or only a
//! province. The text is split on commas; the rightmost part that names a province (2025 name
//! or a pre-2025 one) fixes the province; a district part (quận/huyện/thị xã) marks a pre-2025
//! address, resolved through the legacy map (`AdminCatalog::successors_of`) to the commune that
//! now contains it. When several communes fit, the answer is [`Location::Ambiguous`] with the
//! candidates — never a silent guess.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use caunoi_domain::reference::LegacyCommune;
use caunoi_domain::text::fold;
use caunoi_domain::{AdminCatalog, CommuneCode, ProvinceCode, ValidationError};

const ABBREVIATIONS_CSV: &str = include_str!("../data/place-abbreviations.csv");

/// Where a posting's text places the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Commune {
        commune: CommuneCode,
        province: ProvinceCode,
        /// Found through a pre-2025 address.
        via_legacy: bool,
    },
    /// Several communes fit; `province` is set when they share one.
    Ambiguous { province: Option<ProvinceCode>, candidates: Vec<CommuneCode> },
    /// Only the province is known.
    ProvinceOnly { province: ProvinceCode },
    NotFound,
}

impl Location {
    /// The commune, or the error to quarantine the record with.
    pub fn require_commune(&self, input: &str) -> Result<(CommuneCode, bool), ValidationError> {
        match self {
            Self::Commune { commune, via_legacy, .. } => Ok((commune.clone(), *via_legacy)),
            Self::Ambiguous { candidates, .. } => {
                let admin = AdminCatalog::embedded();
                let names: Vec<String> = candidates
                    .iter()
                    .take(8)
                    .map(|code| admin.commune(code).map_or_else(|| code.to_string(), |c| format!("{} ({code})", c.name)))
                    .collect();
                let more = if candidates.len() > 8 { format!(" và {} nơi khác", candidates.len() - 8) } else { String::new() };
                Err(ValidationError::new(
                    "location",
                    "location.ambiguous",
                    format!(
                        "Địa điểm \"{input}\" khớp với nhiều xã/phường: {}{more}. Hãy ghi rõ xã/phường hoặc mã xã.",
                        names.join(", ")
                    ),
                    format!("The place \"{input}\" matches {} communes; name the commune or give its code.", candidates.len()),
                ))
            }
            Self::ProvinceOnly { province } => Err(ValidationError::new(
                "location",
                "location.commune_missing",
                format!("Địa điểm \"{input}\" chỉ có tỉnh/thành phố ({province}); cần ghi xã/phường nơi làm việc."),
                format!("The place \"{input}\" names only a province ({province}); the commune is needed."),
            )),
            Self::NotFound => Err(ValidationError::new(
                "location",
                "location.not_found",
                format!("Không tìm thấy xã/phường, tỉnh/thành phố nào khớp với \"{input}\"."),
                format!("No commune or province matches \"{input}\"."),
            )),
        }
    }
}

/// Type words that begin unit names, longest first so "thi xa" wins over "xa".
const UNIT_PREFIXES: &[&str] =
    &["thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "quan", "huyen", "tinh", "xa"];
const DISTRICT_PREFIXES: &[&str] = &["quan", "huyen", "thi xa"];
/// Parts that name something smaller than a commune (street, village, industrial zone).
const SUB_COMMUNE_PREFIXES: &[&str] =
    &["so", "duong", "thon", "ap", "to", "khu pho", "ngo", "hem", "ngach", "kcn", "khu cong nghiep", "toa nha"];

fn strip_prefix<'a>(name: &'a str, prefixes: &[&str]) -> (Option<&'static str>, &'a str) {
    for prefix in UNIT_PREFIXES {
        if prefixes.contains(prefix)
            && let Some(rest) = name.strip_prefix(prefix)
            && let Some(rest) = rest.strip_prefix(' ')
            && !rest.is_empty()
        {
            return (Some(prefix), rest);
        }
    }
    (None, name)
}

/// "Phường Ba Đình" → "ba dinh"; "Quận 1" → "1".
fn bare(name: &str) -> String {
    let folded = clean(&fold(name));
    strip_prefix(&folded, UNIT_PREFIXES).1.to_owned()
}

/// The bare name keeping its diacritics, lower case: "Xã Tân Thạnh" → "tân thạnh". Folding
/// makes "Tân Thạnh" and "Tân Thành" equal; when the text was written with diacritics, this
/// tells them apart.
fn exact_bare(name: &str) -> String {
    let lower = caunoi_domain::text::normalize(name).to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let skip = UNIT_PREFIXES
        .iter()
        .map(|prefix| prefix.split(' ').collect::<Vec<_>>())
        .find(|prefix| prefix.len() < words.len() && folded.iter().zip(prefix).all(|(w, p)| w == p) && folded.len() >= prefix.len())
        .map_or(0, |prefix| prefix.len());
    words[skip..].join(" ")
}

/// Dashes and dots to spaces, one space between words.
fn clean(folded: &str) -> String {
    folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct LocationIndex {
    admin: &'static AdminCatalog,
    provinces: HashMap<String, BTreeSet<ProvinceCode>>,
    communes: HashMap<String, Vec<usize>>,
    legacy_communes: HashMap<String, Vec<usize>>,
    legacy_districts: HashMap<String, Vec<usize>>,
    /// Whole-part abbreviations ("tp.hcm") and prefix abbreviations ("q." → "quan ").
    whole: HashMap<String, String>,
    prefixes: Vec<(String, String)>,
}

static INDEX: LazyLock<LocationIndex> = LazyLock::new(LocationIndex::build);

impl LocationIndex {
    /// The index over the embedded catalog, built once.
    pub fn embedded() -> &'static LocationIndex {
        &INDEX
    }

    fn build() -> Self {
        let admin = AdminCatalog::embedded();
        let mut provinces: HashMap<String, BTreeSet<ProvinceCode>> = HashMap::new();
        for province in admin.provinces() {
            provinces.entry(bare(&province.name)).or_default().insert(province.code.clone());
        }
        let mut communes: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, commune) in admin.communes().iter().enumerate() {
            communes.entry(bare(&commune.name)).or_default().push(i);
        }
        let mut legacy_communes: HashMap<String, Vec<usize>> = HashMap::new();
        let mut legacy_districts: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, unit) in admin.legacy_communes().iter().enumerate() {
            if let Some(name) = &unit.old_name {
                legacy_communes.entry(bare(name)).or_default().push(i);
            }
            legacy_districts.entry(bare(&unit.old_district_name)).or_default().push(i);
            // Pre-2025 provinces ("Tỉnh Hà Giang") lead to the province their communes are in now.
            if let Some(new_province) = admin.commune(&unit.new_code).map(|c| c.province_code.clone()) {
                let key = bare(&unit.old_province_name);
                let entry = provinces.entry(key).or_default();
                if entry.len() < 4 {
                    entry.insert(new_province);
                }
            }
        }
        let mut whole = HashMap::new();
        let mut prefixes = Vec::new();
        let mut reader = csv::Reader::from_reader(ABBREVIATIONS_CSV.as_bytes());
        for row in reader.records().flatten() {
            let (Some(abbreviation), Some(expansion)) = (row.get(0), row.get(1)) else { continue };
            if abbreviation.ends_with('.') {
                prefixes.push((abbreviation.to_owned(), expansion.to_owned()));
            } else {
                whole.insert(abbreviation.to_owned(), expansion.to_owned());
            }
        }
        prefixes.sort_by_key(|(abbreviation, _)| std::cmp::Reverse(abbreviation.len()));
        Self { admin, provinces, communes, legacy_communes, legacy_districts, whole, prefixes }
    }

    /// Expands abbreviations in one comma-separated part and cleans it.
    fn expand(&self, part: &str) -> String {
        let trimmed = part.trim().trim_end_matches('.');
        if let Some(expansion) = self.whole.get(trimmed) {
            return expansion.clone();
        }
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(expansion) = self.whole.get(&compact) {
            return expansion.clone();
        }
        // "q1", "p12": a district or ward number glued to its letter.
        for (letter, word) in [("q", "quan"), ("p", "phuong")] {
            if let Some(number) = compact.strip_prefix(letter).map(|n| n.trim_start_matches('.'))
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
            {
                return format!("{word} {number}");
            }
        }
        for (abbreviation, expansion) in &self.prefixes {
            if let Some(rest) = trimmed.strip_prefix(abbreviation.as_str()) {
                let rest = clean(rest);
                let rest = self.whole.get(&rest).cloned().unwrap_or(rest);
                return clean(&format!("{expansion}{rest}"));
            }
        }
        clean(trimmed)
    }

    fn new_province_of(&self, unit: &LegacyCommune) -> Option<&ProvinceCode> {
        self.admin.commune(&unit.new_code).map(|c| &c.province_code)
    }

    /// Resolves free text to a commune (or says why it cannot).
    pub fn resolve(&self, text: &str) -> Location {
        let folded = fold(text);
        if folded.len() > 500 {
            return Location::NotFound;
        }
        let mut parts: Vec<String> =
            folded.split([',', ';', '|', '\n']).map(|p| self.expand(p)).filter(|p| !p.is_empty()).collect();
        parts.retain(|p| !SUB_COMMUNE_PREFIXES.iter().any(|s| p == s || p.strip_prefix(s).is_some_and(|rest| rest.starts_with(' '))));
        if parts.is_empty() {
            return Location::NotFound;
        }
        // Names as written with their diacritics, to choose between names that fold alike.
        let written: HashSet<String> = if text.is_ascii() {
            HashSet::new()
        } else {
            // Text written with diacritics: a name without any ("Thanh An") is meant without.
            text.split([',', ';', '|', '\n']).map(exact_bare).collect()
        };

        // Province: the rightmost part that names one.
        let mut province: Option<BTreeSet<ProvinceCode>> = None;
        let mut province_part = None;
        for (i, part) in parts.iter().enumerate().rev() {
            let (prefix, name) = strip_prefix(part, &["tinh", "thanh pho"]);
            if let Some(codes) = self.provinces.get(name) {
                // A bare name that is also a commune name counts only as the last part.
                if prefix.is_some() || i == parts.len() - 1 || !self.communes.contains_key(name) {
                    province = Some(codes.clone());
                    province_part = Some(i);
                    break;
                }
            }
        }
        let in_province = |code: &ProvinceCode| province.as_ref().is_none_or(|set| set.contains(code));

        // District (pre-2025): "quận 1", "huyện đan phượng", "thị xã sơn tây".
        let mut district_rows: Option<Vec<usize>> = None;
        let mut district_part = None;
        for (i, part) in parts.iter().enumerate() {
            if Some(i) == province_part {
                continue;
            }
            let (prefix, name) = strip_prefix(part, DISTRICT_PREFIXES);
            let is_city_district = prefix.is_none() && part.starts_with("thanh pho ");
            if prefix.is_none() && !is_city_district {
                continue;
            }
            let name = if is_city_district { &part["thanh pho ".len()..] } else { name };
            if let Some(rows) = self.legacy_districts.get(name) {
                let rows: Vec<usize> = rows
                    .iter()
                    .copied()
                    .filter(|&r| self.new_province_of(&self.admin.legacy_communes()[r]).is_some_and(in_province))
                    .collect();
                if !rows.is_empty() {
                    district_rows = Some(rows);
                    district_part = Some(i);
                    break;
                }
            }
        }

        // Commune: the first remaining part that matches something.
        for (i, part) in parts.iter().enumerate() {
            if Some(i) == province_part || Some(i) == district_part {
                continue;
            }
            let name = strip_prefix(part, &["phuong", "xa", "thi tran", "dac khu"]).1;
            let legacy = self.legacy_successors(name, district_rows.as_deref(), &in_province, &written);
            let candidates: Vec<&caunoi_domain::reference::Commune> = self
                .communes
                .get(name)
                .map(|rows| rows.iter().map(|&r| &self.admin.communes()[r]).filter(|c| in_province(&c.province_code)).collect())
                .unwrap_or_default();
            let exact: Vec<&&caunoi_domain::reference::Commune> =
                candidates.iter().filter(|c| written.contains(&exact_bare(&c.name))).collect();
            let current: BTreeSet<CommuneCode> = if candidates.len() > 1 && !exact.is_empty() {
                exact.iter().map(|c| c.code.clone()).collect()
            } else {
                candidates.iter().map(|c| c.code.clone()).collect()
            };
            // With a district the address is pre-2025: read it through the legacy map first.
            let (found, via_legacy) = if district_rows.is_some() && !legacy.is_empty() {
                (legacy, true)
            } else if !current.is_empty() {
                (current, false)
            } else {
                (legacy, true)
            };
            if !found.is_empty() {
                return self.decide(found, via_legacy, province.as_ref());
            }
        }
        if let Some(rows) = district_rows {
            let found: BTreeSet<CommuneCode> = rows.iter().map(|&r| self.admin.legacy_communes()[r].new_code.clone()).collect();
            return self.decide(found, true, province.as_ref());
        }
        match province {
            Some(set) if set.len() == 1 => set.into_iter().next().map_or(Location::NotFound, |province| Location::ProvinceOnly { province }),
            Some(_) => Location::NotFound,
            None => Location::NotFound,
        }
    }

    /// The 2025 successors (default one per old commune) of old communes called `name`.
    fn legacy_successors(
        &self,
        name: &str,
        district_rows: Option<&[usize]>,
        in_province: &impl Fn(&ProvinceCode) -> bool,
        written: &HashSet<String>,
    ) -> BTreeSet<CommuneCode> {
        let Some(rows) = self.legacy_communes.get(name) else { return BTreeSet::new() };
        let legacy = self.admin.legacy_communes();
        let district_codes: Option<BTreeSet<&str>> =
            district_rows.map(|rows| rows.iter().map(|&r| legacy[r].old_district_code.as_str()).collect());
        let fitting: Vec<&LegacyCommune> = rows
            .iter()
            .map(|&r| &legacy[r])
            .filter(|unit| district_codes.as_ref().is_none_or(|codes| codes.contains(unit.old_district_code.as_str())))
            .filter(|unit| self.new_province_of(unit).is_some_and(in_province))
            .collect();
        let exact: Vec<&&LegacyCommune> =
            fitting.iter().filter(|unit| unit.old_name.as_deref().is_some_and(|n| written.contains(&exact_bare(n)))).collect();
        let old_codes: BTreeSet<&str> = if exact.is_empty() {
            fitting.iter().map(|unit| unit.old_code.as_deref().unwrap_or_default()).collect()
        } else {
            exact.iter().map(|unit| unit.old_code.as_deref().unwrap_or_default()).collect()
        };
        old_codes
            .into_iter()
            .filter_map(|old| self.admin.successors_of(old).first().map(|unit| unit.new_code.clone()))
            .collect()
    }

    fn decide(&self, found: BTreeSet<CommuneCode>, via_legacy: bool, province: Option<&BTreeSet<ProvinceCode>>) -> Location {
        if found.len() == 1
            && let Some(commune) = found.first().cloned()
        {
            let province = self.admin.commune(&commune).map(|c| c.province_code.clone());
            return match province {
                Some(province) => Location::Commune { commune, province, via_legacy },
                None => Location::NotFound,
            };
        }
        let provinces: BTreeSet<ProvinceCode> =
            found.iter().filter_map(|code| self.admin.commune(code).map(|c| c.province_code.clone())).collect();
        let shared = if provinces.len() == 1 { provinces.into_iter().next() } else { province.filter(|p| p.len() == 1).and_then(|p| p.iter().next().cloned()) };
        Location::Ambiguous { province: shared, candidates: found.into_iter().collect() }
    }
}
