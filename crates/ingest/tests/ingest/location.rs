use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_ingest::location::{Location, LocationIndex};

fn resolved(text: &str) -> (String, bool) {
    match LocationIndex::embedded().resolve(text) {
        Location::Commune { commune, via_legacy, .. } => (commune.to_string(), via_legacy),
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn current_commune_names_with_and_without_diacritics() {
    let cases = [
        ("Phường Ba Đình, Hà Nội", "00004"),
        ("phuong ba dinh, ha noi", "00004"),
        ("PHƯỜNG BA ĐÌNH, THÀNH PHỐ HÀ NỘI", "00004"),
        ("P. Ba Đình, HN", "00004"),
        ("Phường Sài Gòn, TP.HCM", "26740"),
        ("Phường Sài Gòn, TP HCM", "26740"),
        ("phuong sai gon, tphcm", "26740"),
        ("Phường Bến Thành, Thành phố Hồ Chí Minh", "26743"),
        ("Số 12 đường Lê Lợi, Phường Bến Thành, TP.HCM", "26743"),
        ("Xã Tân Lập, Quảng Trị", "19462"),
        ("Xã Tân Lập, tỉnh Lâm Đồng", "23134"),
        ("Xã Đan Phượng, Hà Nội", "09784"),
        ("Phu\u{031B}o\u{031B}\u{0300}ng Ba \u{0110}i\u{0300}nh, Ha\u{0300} No\u{0302}\u{0323}i", "00004"),
    ];
    for (text, code) in cases {
        assert_eq!(resolved(text), (code.to_owned(), false), "{text}");
    }
}

#[test]
fn pre_2025_addresses_resolve_to_the_commune_that_now_contains_them() {
    let cases = [
        ("Phường Bến Nghé, Quận 1, TP.HCM", "26740"),
        ("P. Bến Nghé, Q.1, TP.HCM", "26740"),
        ("phuong ben nghe, q1, ho chi minh", "26740"),
        ("Phường Tân Định, Quận 1, Thành phố Hồ Chí Minh", "26737"),
        ("Phường Phúc Xá, Quận Ba Đình, Hà Nội", "00097"),
        ("phuong phuc xa, quan ba dinh, ha noi", "00097"),
        ("Thị trấn Phùng, huyện Đan Phượng, Hà Nội", "09784"),
        ("thi tran phung, huyen dan phuong, tp ha noi", "09784"),
        ("Xã Thuận Hòa, huyện Vị Xuyên, tỉnh Hà Giang", "00922"),
        ("xa thuan hoa, huyen vi xuyen, ha giang", "00922"),
    ];
    for (text, code) in cases {
        assert_eq!(resolved(text), (code.to_owned(), true), "{text}");
    }
}

#[test]
fn ambiguous_places_are_reported_with_candidates() {
    match LocationIndex::embedded().resolve("Xã Tân Lập") {
        Location::Ambiguous { candidates, .. } => {
            for code in ["19462", "23134", "25489"] {
                assert!(candidates.contains(&CommuneCode::parse(code).unwrap()), "{code} in {candidates:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    // A pre-2025 district alone: the wards that took it over, in one province.
    match LocationIndex::embedded().resolve("Q.1, TP.HCM") {
        Location::Ambiguous { province, candidates } => {
            assert_eq!(province, Some(ProvinceCode::parse("79").unwrap()));
            assert!(candidates.len() >= 3, "{candidates:?}");
            assert!(candidates.contains(&CommuneCode::parse("26740").unwrap()));
        }
        other => panic!("{other:?}"),
    }
    let error = LocationIndex::embedded().resolve("Xã Tân Lập").require_commune("Xã Tân Lập").unwrap_err();
    assert_eq!(error.code, "location.ambiguous");
    assert!(error.message_vi.contains("Tân Lập"), "{}", error.message_vi);
}

#[test]
fn diacritics_tell_apart_names_that_fold_alike() {
    // "Tân Thạnh" and "Tân Thành" fold to the same "tan thanh".
    assert_eq!(resolved("Xã Tân Thạnh, Tây Ninh"), ("27826".to_owned(), false));
    assert_eq!(resolved("Xã Tân Thành, Tây Ninh"), ("25534".to_owned(), false));
    assert_eq!(resolved("Xã Ba Tơ, Quảng Ngãi"), ("21484".to_owned(), false));
    assert_eq!(resolved("Xã Thanh An, Thành phố Hồ Chí Minh"), ("25807".to_owned(), false));
    assert_eq!(resolved("Xã Thạnh An, Thành phố Hồ Chí Minh"), ("27676".to_owned(), false));
    // Without diacritics both fit: reported, not guessed.
    assert!(matches!(LocationIndex::embedded().resolve("xa tan thanh, tay ninh"), Location::Ambiguous { candidates, .. } if candidates.len() >= 2));
}

#[test]
fn province_only_and_unknown_places() {
    assert_eq!(LocationIndex::embedded().resolve("Hà Nội"), Location::ProvinceOnly { province: ProvinceCode::parse("01").unwrap() });
    assert_eq!(LocationIndex::embedded().resolve("TP.HCM"), Location::ProvinceOnly { province: ProvinceCode::parse("79").unwrap() });
    assert_eq!(LocationIndex::embedded().resolve("HN"), Location::ProvinceOnly { province: ProvinceCode::parse("01").unwrap() });
    assert_eq!(LocationIndex::embedded().resolve("tinh ha giang"), Location::ProvinceOnly { province: ProvinceCode::parse("08").unwrap() });
    assert_eq!(LocationIndex::embedded().resolve("Atlantis"), Location::NotFound);
    assert_eq!(LocationIndex::embedded().resolve(""), Location::NotFound);
    assert_eq!(LocationIndex::embedded().resolve("Hà Nội").require_commune("Hà Nội").unwrap_err().code, "location.commune_missing");
    assert_eq!(LocationIndex::embedded().resolve("Atlantis").require_commune("Atlantis").unwrap_err().code, "location.not_found");
}
