//! Typeahead and the "near" filter.

use caunoi_domain::CommuneCode;
use caunoi_search::{Near, SuggestionKind, VacancyIndex, VacancyQuery};

use crate::corpus::doc;

fn sample() -> VacancyIndex {
    let index = VacancyIndex::in_memory().unwrap();
    // 00004 Phường Ba Đình and 00097 Phường Hồng Hà (Hà Nội, ~2 km apart); 26740 Phường Sài Gòn.
    index.upsert(&doc(1, "Thợ hàn điện", "7212", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(2, "Thợ hàn điện", "7212", Some("00097"), "VN")).unwrap();
    index.upsert(&doc(3, "Thợ hàn ống công nghệ", "7212", Some("26740"), "VN")).unwrap();
    index.upsert(&doc(4, "Công nhân may công nghiệp", "7533", Some("26740"), "VN")).unwrap();
    index.upsert(&doc(5, "Đơn hàng hàn kết cấu đi Nhật", "7212", None, "JP")).unwrap();
    index.commit(5).unwrap();
    index
}

fn texts(index: &VacancyIndex, typed: &str, kind: SuggestionKind) -> Vec<String> {
    index.complete(typed, 10).unwrap().into_iter().filter(|s| s.kind == kind).map(|s| s.text).collect()
}

#[test]
fn titles_complete_as_typed_with_or_without_diacritics() {
    let index = sample();
    for typed in ["tho h", "thợ h", "THO HA", "Thợ hàn"] {
        let titles = texts(&index, typed, SuggestionKind::Title);
        // The most frequent title first (two vacancies), written as posted.
        assert_eq!(titles.first().map(String::as_str), Some("Thợ hàn điện"), "{typed}");
        assert!(titles.contains(&"Thợ hàn ống công nghệ".to_owned()), "{typed}: {titles:?}");
        assert!(!titles.iter().any(|t| t.starts_with("Công nhân")), "{typed}");
    }
    // A word inside a title completes too.
    assert_eq!(texts(&index, "cong nghiep", SuggestionKind::Title), ["Công nhân may công nghiệp"]);
    let counts: Vec<u64> = index.complete("tho han d", 10).unwrap().iter().filter(|s| s.kind == SuggestionKind::Title).map(|s| s.count).collect();
    assert_eq!(counts, [2]);
    // A completed word (trailing space) does not complete into longer words.
    assert!(texts(&index, "tho han ", SuggestionKind::Title).len() == 2);
    assert!(texts(&index, "zzz", SuggestionKind::Title).is_empty());
}

#[test]
fn employers_and_places_complete_including_old_names() {
    let index = sample();
    assert_eq!(texts(&index, "minh ph", SuggestionKind::Employer), ["Công ty TNHH Minh Phát"]);
    let places = index.complete("ba dinh", 10).unwrap();
    let ba_dinh = places.iter().find(|s| s.text.starts_with("Phường Ba Đình")).expect("Ba Đình suggested");
    assert_eq!(ba_dinh.code.as_deref(), Some("00004"));
    // Pre-2025 names resolve: Phường Phúc Xá (quận Ba Đình) is now part of Phường Hồng Hà.
    let old = index.complete("phuc xa", 10).unwrap();
    assert!(old.iter().any(|s| s.kind == SuggestionKind::Place && s.code.as_deref() == Some("00097")), "{old:?}");
    let provinces = texts(&index, "ha n", SuggestionKind::Place);
    assert_eq!(provinces.first().map(String::as_str), Some("Thành phố Hà Nội"), "{provinces:?}");
}

#[test]
fn deleted_vacancies_leave_the_suggestions() {
    let index = sample();
    index.delete(uuid::Uuid::from_u128(3)).unwrap();
    index.commit(6).unwrap();
    assert_eq!(texts(&index, "tho han", SuggestionKind::Title), ["Thợ hàn điện"]);
}

#[test]
fn near_keeps_workplaces_within_the_radius() {
    let index = sample();
    let near = |km: f64| {
        let query = VacancyQuery {
            text: "hàn".into(),
            near: Some(Near { commune: CommuneCode::parse("00004").unwrap(), radius_km: km }),
            limit: 10,
            ..VacancyQuery::default()
        };
        let mut ids: Vec<u128> = index.search(&query).unwrap().hits.iter().map(|h| h.id.as_u128()).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(near(0.5), [1]);
    assert_eq!(near(10.0), [1, 2]);
    assert_eq!(near(2_000.0), [1, 2, 3], "overseas job orders have no commune");
}
