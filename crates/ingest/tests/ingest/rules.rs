use chrono::NaiveDate;

use caunoi_ingest::deadline::parse_date;
use caunoi_ingest::discrimination::DiscriminationScanner;
use caunoi_ingest::similarity::{MAX_DISTANCE, distance, simhash};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn deadlines_in_the_forms_ads_use() {
    let reference = date(2026, 12, 1);
    let cases = [
        ("30/12/2026", date(2026, 12, 30)),
        ("30-12-2026", date(2026, 12, 30)),
        ("30.12.2026", date(2026, 12, 30)),
        ("2026-12-30", date(2026, 12, 30)),
        ("2026-12-30T17:00:00+07:00", date(2026, 12, 30)),
        ("Hạn nộp hồ sơ: 05/01/2027", date(2027, 1, 5)),
        ("ngày 5 tháng 1 năm 2027", date(2027, 1, 5)),
        ("30/12/26", date(2026, 12, 30)),
        ("30/12", date(2026, 12, 30)),
        ("15/11", date(2027, 11, 15)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_date("deadline", text, reference).unwrap_or_else(|e| panic!("{text}: {e}")), expected, "{text}");
    }
    for text in ["31/02/2026", "abc", "", "99/99/9999", "12"] {
        let error = parse_date("deadline", text, reference).unwrap_err();
        assert_eq!(error.code, "date.invalid", "{text}");
        assert_eq!(error.field, "deadline");
    }
}

#[test]
fn discriminatory_conditions_are_flagged_by_ground() {
    let on = date(2026, 12, 1);
    let scanner = DiscriminationScanner::embedded();
    let grounds = |text: &str| {
        let mut grounds: Vec<String> = scanner.scan(text, on).into_iter().map(|f| f.ground).collect();
        grounds.sort();
        grounds
    };
    assert_eq!(grounds("Chỉ tuyển nữ, ngoại hình ưa nhìn, tuổi từ 18-25"), ["age", "appearance", "sex"]);
    assert_eq!(grounds("CHI TUYEN NAM, duoi 30 tuoi"), ["age", "sex"]);
    assert_eq!(grounds("Giới tính: Nam. Độ tuổi 20 - 35"), ["age", "sex"]);
    assert_eq!(grounds("Ưu tiên nữ chưa lập gia đình"), ["marital_status", "sex"]);
    assert_eq!(grounds("Cam kết không mang thai trong 2 năm"), ["pregnancy"]);
    assert_eq!(grounds("Nữ, chiều cao từ 1m60"), ["appearance"]);
    // Lawful or neutral wording.
    assert!(grounds("Từ đủ 18 tuổi, Nam/Nữ không yêu cầu").is_empty());
    assert!(grounds("Làm việc tại Hà Nam, hỗ trợ lao động nữ nuôi con nhỏ").is_empty());
    assert!(grounds("Đủ 18 tuổi trở lên, sức khỏe tốt").is_empty());
    let flag = &scanner.scan("chỉ tuyển nam", on)[0];
    assert!(flag.legal_reference.contains("Bộ luật Lao động"), "{flag:?}");
}

#[test]
fn rules_apply_from_their_effective_date() {
    let scanner = DiscriminationScanner::from_csv(
        "ground,pattern,effective_from,legal_reference,note\nappearance,ngoai hinh,2027-01-01,Test rule,\n",
    );
    assert!(scanner.scan("Ngoại hình khá", date(2026, 12, 31)).is_empty());
    assert_eq!(scanner.scan("Ngoại hình khá", date(2027, 1, 1)).len(), 1);
}

#[test]
fn simhash_is_close_for_edited_copies_and_far_for_other_ads() {
    let ad = "Công nhân may công nghiệp. Thực hiện công đoạn may trên dây chuyền theo phân công của tổ trưởng. \
              Vận hành máy may 1 kim, 2 kim, máy vắt sổ. Đóng BHXH đầy đủ, hỗ trợ ăn trưa, xe đưa đón.";
    let retyped = "CONG NHAN MAY CONG NGHIEP - Thực hiện công đoạn may trên dây chuyền theo phân công của tổ trưởng; \
                   vận hành máy may 1 kim, 2 kim, máy vắt sổ. Đóng BHXH đầy đủ, hỗ trợ ăn trưa và xe đưa đón!";
    let other = "Lập trình viên Java. Phát triển hệ thống ngân hàng lõi, viết kiểm thử tự động, review mã nguồn. \
                 Yêu cầu 2 năm kinh nghiệm Spring Boot, PostgreSQL. Lương tháng 13, bảo hiểm sức khỏe cao cấp.";
    assert!(distance(simhash(ad), simhash(retyped)) <= MAX_DISTANCE, "{}", distance(simhash(ad), simhash(retyped)));
    assert!(distance(simhash(ad), simhash(other)) > MAX_DISTANCE, "{}", distance(simhash(ad), simhash(other)));
    assert_eq!(simhash(ad), simhash(ad));
}
