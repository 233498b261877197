use caunoi_ingest::occupation::OccupationClassifier;

#[test]
fn titles_map_to_isco_unit_groups() {
    let cases = [
        ("Công nhân may công nghiệp", "8153", 0.9),
        ("CÔNG NHÂN MAY CÔNG NGHIỆP", "8153", 0.9),
        ("cong nhan may cong nghiep", "8153", 0.9),
        ("Thợ hàn", "7212", 0.9),
        ("Tuyển gấp thợ hàn điện", "7212", 0.6),
        ("Tài xế xe tải", "8332", 0.9),
        ("Lái xe", "8322", 0.9),
        ("Kế toán tổng hợp", "2411", 0.6),
        ("Nhân viên telesales", "5244", 0.6),
        ("Phụ hồ", "9313", 0.9),
        ("Thợ điện", "7411", 0.9),
        ("Lập trình viên Java", "2512", 0.6),
        ("Nhân viên bảo vệ", "5414", 0.6),
        ("Đầu bếp nhà hàng", "5120", 0.6),
    ];
    for (title, code, min_confidence) in cases {
        let found = OccupationClassifier::embedded().classify(title).unwrap_or_else(|| panic!("{title}: no match"));
        assert_eq!(found.code.as_str(), code, "{title}: {found:?}");
        assert!(found.confidence >= min_confidence && found.confidence <= 1.0, "{title}: {}", found.confidence);
    }
}

#[test]
fn catalog_labels_are_a_lower_confidence_fallback() {
    // Not in the synonym table; shares words with the ISCO-08 label of 2261 "Bác sĩ nha khoa"-like groups.
    if let Some(found) = OccupationClassifier::embedded().classify("Kỹ thuật viên phòng thí nghiệm hóa học") {
        assert!(found.confidence < 0.7, "{found:?}");
    }
    assert_eq!(OccupationClassifier::embedded().classify("xyzzy qwerty"), None);
    assert_eq!(OccupationClassifier::embedded().classify(""), None);
}
