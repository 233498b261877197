use chrono::{TimeZone, Utc};
use serde_json::json;

use caunoi_domain::records::{VacancyStatus, Workplace};
use caunoi_domain::{Currency, PayPeriod};
use caunoi_ingest::normalise::Normaliser;
use caunoi_ingest::raw::{RawVacancy, SourceRecord};
use caunoi_store::ingest::{Incoming, IncomingVacancy, Quarantined};

fn normaliser() -> Normaliser {
    Normaliser::new(Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap())
}

fn record(value: serde_json::Value) -> SourceRecord {
    SourceRecord { raw: serde_json::from_value(value.clone()).unwrap(), original: value.to_string(), position: None }
}

fn upsert(value: serde_json::Value) -> IncomingVacancy {
    match normaliser().prepare(record(value)) {
        Ok(Incoming::Upsert(v)) => *v,
        other => panic!("{other:?}"),
    }
}

fn rejected(value: serde_json::Value) -> Quarantined {
    match normaliser().prepare(record(value)) {
        Err(q) => q,
        Ok(other) => panic!("accepted: {other:?}"),
    }
}

#[test]
fn a_domestic_posting_is_fully_normalised() {
    let v = upsert(json!({
        "id": "A-1",
        "title": "Tho\u{031B}\u{0323} ha\u{0300}n",
        "employer": "Cty TNHH Cơ khí Phú Thành",
        "tax_code": "0300588569",
        "salary": "8 - 12 triệu",
        "location": "Thị trấn Phùng, huyện Đan Phượng, Hà Nội",
        "quantity": "5 người",
        "deadline": "30/12/2026",
        "employment_type": "Toàn thời gian",
        "description": "Hàn kết cấu thép. Chỉ tuyển nam, dưới 35 tuổi.",
    }));
    assert_eq!(v.external_id, "A-1");
    assert_eq!(v.vacancy.title, "Thợ hàn", "NFC");
    assert_eq!(v.vacancy.occupation.as_str(), "7212");
    assert_eq!(v.vacancy.salary.min(), Some(8_000_000));
    assert_eq!(v.vacancy.salary_text, "8 - 12 triệu");
    assert_eq!(v.vacancy.workplace, Workplace::Domestic { commune_code: caunoi_domain::CommuneCode::parse("09784").unwrap() });
    assert_eq!(v.vacancy.quantity.get(), 5);
    assert_eq!(v.vacancy.deadline, chrono::NaiveDate::from_ymd_opt(2026, 12, 30));
    assert_eq!(v.vacancy.status, VacancyStatus::Open);
    assert_eq!(v.employer.name, "Công ty TNHH Cơ khí Phú Thành");
    assert_eq!(v.employer.tax_code.as_ref().map(|t| t.as_str().to_owned()), Some("0300588569".to_owned()));
    assert_eq!(v.flags["location"]["via_legacy"], true);
    let grounds: Vec<&str> = v.flags["discrimination"].as_array().unwrap().iter().map(|f| f["ground"].as_str().unwrap()).collect();
    assert_eq!(grounds, ["sex", "age"]);
    assert!(v.flags["occupation"]["confidence"].as_f64().unwrap() > 0.9);
}

#[test]
fn overseas_orders_take_the_destination_currency_and_are_not_scanned() {
    let v = upsert(json!({
        "id": "JP-7", "title": "Đơn hàng chế biến thực phẩm đi Nhật (TTS 3 năm)", "employer": "Công ty CP Nhân lực Quốc tế",
        "country": "Nhật Bản", "programme": "titp", "contract_months": "36 tháng", "salary": "18 man",
        "description": "Nam/nữ từ 18 đến 30 tuổi theo quy định chương trình.",
    }));
    match &v.vacancy.workplace {
        Workplace::Overseas { country, contract_months, .. } => {
            assert_eq!(country.as_str(), "JP");
            assert_eq!(*contract_months, Some(36));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((v.vacancy.salary.currency(), v.vacancy.salary.min(), v.vacancy.salary.period()), (Currency::Jpy, Some(180_000), PayPeriod::Month));
    assert!(v.flags["discrimination"].as_array().unwrap().is_empty());
}

#[test]
fn expired_deadlines_close_and_missing_wages_are_negotiable() {
    let v = upsert(json!({"title": "Phụ hồ", "employer": "Hộ kinh doanh Minh Phát", "commune_code": "00004", "deadline": "01/11/2026"}));
    assert_eq!(v.vacancy.status, VacancyStatus::Closed);
    assert!(v.vacancy.salary.is_negotiable());
    assert_eq!(v.flags["salary_missing"], true);
    assert!(v.external_id.starts_with("auto-"), "derived id: {}", v.external_id);
    let again = upsert(json!({"title": "Phụ hồ", "employer": "Hộ kinh doanh Minh Phát", "commune_code": "00004", "salary": "Thỏa thuận"}));
    assert_eq!(again.external_id, v.external_id, "same employer, title and place give the same derived id");
    // A pre-2025 commune code leads to its successor.
    let old_code = upsert(json!({"title": "Phụ hồ", "employer": "X", "commune_code": "00001"}));
    assert_eq!(old_code.vacancy.workplace, Workplace::Domestic { commune_code: caunoi_domain::CommuneCode::parse("00097").unwrap() });
}

#[test]
fn bad_records_are_quarantined_with_field_code_and_vietnamese_reason() {
    let cases = [
        (json!({"employer": "A", "location": "Phường Ba Đình, Hà Nội"}), "title", "field.missing"),
        (json!({"title": "Thợ hàn", "location": "Phường Ba Đình, Hà Nội"}), "employer_name", "field.missing"),
        (json!({"title": "Thợ hàn", "employer": "A"}), "location", "field.missing"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Xã Tân Lập"}), "location", "location.ambiguous"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Atlantis"}), "location", "location.not_found"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Hà Nội"}), "location", "location.commune_missing"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Phường Ba Đình, Hà Nội", "salary": "liên hệ"}), "salary", "salary.unparsed"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Phường Ba Đình, Hà Nội", "tax_code": "123"}), "employer_tax_code", "tax_code.format"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Phường Ba Đình, Hà Nội", "quantity": "0"}), "quantity", "quantity.invalid"),
        (json!({"title": "Thợ hàn", "employer": "A", "location": "Phường Ba Đình, Hà Nội", "deadline": "31/02/2026"}), "deadline", "date.invalid"),
        (json!({"title": "xyzzy qwerty", "employer": "A", "location": "Phường Ba Đình, Hà Nội"}), "title", "occupation.unknown"),
        (json!({"title": "Thợ hàn", "employer": "A", "country": "Atlantis"}), "country", "country.unknown"),
        (json!({"removed": true}), "external_id", "field.missing"),
    ];
    for (value, field, code) in cases {
        let q = rejected(value.clone());
        assert_eq!((q.error.field.as_str(), q.error.code), (field, code), "{value}");
        assert!(!q.error.message_vi.is_empty() && !q.error.message_en.is_empty());
        assert_eq!(q.raw, value.to_string(), "the raw record is kept verbatim");
    }
}

#[test]
fn tombstones_and_content_hashes() {
    match normaliser().prepare(record(json!({"id": "X-1", "removed": true}))) {
        Ok(Incoming::Remove { external_id }) => assert_eq!(external_id, "X-1"),
        other => panic!("{other:?}"),
    }
    let a: RawVacancy = serde_json::from_value(json!({"id": "1", "title": "Thợ hàn", "quantity": 3})).unwrap();
    let b: RawVacancy = serde_json::from_str(r#"{ "quantity": "3", "title": "Thợ hàn", "id": 1 }"#).unwrap();
    assert_eq!(a.content_hash(), b.content_hash(), "key order and number/text form do not change the hash");
    let c: RawVacancy = serde_json::from_value(json!({"id": "1", "title": "Thợ hàn", "quantity": 4})).unwrap();
    assert_ne!(a.content_hash(), c.content_hash());
}
