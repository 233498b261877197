//! The worker-profile index: filters staff need, and no identity data inside.

use std::collections::BTreeSet;

use caunoi_domain::records::{ConsentPurpose, PriorityGroup};
use caunoi_domain::{CommuneCode, GeneralEducation, IscoCode, JlptLevel, LanguageCertificate, Qualification, Sex};
use caunoi_search::{Near, WorkerDocument, WorkerIndex, WorkerQuery};
use chrono::NaiveDate;
use uuid::Uuid;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn document(n: u128, desired: &str, isco: &str, commune: &str) -> WorkerDocument {
    let commune_code = CommuneCode::parse(commune).unwrap();
    WorkerDocument {
        id: Uuid::from_u128(n),
        desired: desired.to_owned(),
        skills: "hàn TIG, đọc bản vẽ".to_owned(),
        experience: "Thợ phụ hàn, 24 tháng".to_owned(),
        occupations: vec![IscoCode::parse(isco).unwrap()],
        province_code: caunoi_domain::AdminCatalog::embedded().commune(&commune_code).map(|c| c.province_code.as_str().to_owned()),
        commune_code: commune.to_owned(),
        sex: Sex::Male,
        date_of_birth: ymd(2000, 6, 10),
        general_education: GeneralEducation::UpperSecondary,
        qualification: Qualification::SoCap,
        languages: Vec::new(),
        willing_abroad: false,
        countries: Vec::new(),
        priority_groups: Vec::new(),
        available_from: Some(NaiveDate::MIN),
        consents: vec![ConsentPurpose::Matching],
    }
}

fn sample() -> WorkerIndex {
    let index = WorkerIndex::in_memory().unwrap();
    index.upsert(&document(1, "Thợ hàn điện", "7212", "00004")).unwrap();
    let mut japan = document(2, "Thợ hàn đi Nhật", "7212", "00097");
    japan.sex = Sex::Female;
    japan.date_of_birth = ymd(2008, 2, 29);
    japan.languages = vec![LanguageCertificate::Jlpt(JlptLevel::N3)];
    japan.willing_abroad = true;
    japan.countries = vec!["JP".into()];
    japan.priority_groups = vec![PriorityGroup::EthnicMinority];
    japan.consents = vec![ConsentPurpose::Matching, ConsentPurpose::ShareWithPlacementEnterprises];
    index.upsert(&japan).unwrap();
    let mut nurse = document(3, "Điều dưỡng viên", "3221", "26740");
    nurse.skills = "chăm sóc người cao tuổi".into();
    nurse.experience = String::new();
    nurse.qualification = Qualification::CaoDang;
    nurse.languages = vec![LanguageCertificate::Topik(3), LanguageCertificate::EpsTopik { score: 150 }];
    nurse.available_from = None;
    index.upsert(&nurse).unwrap();
    index.commit(3).unwrap();
    index
}

fn ids(index: &WorkerIndex, query: WorkerQuery) -> BTreeSet<u128> {
    index.search(&WorkerQuery { limit: 100, ..query }).unwrap().hits.iter().map(|h| h.id.as_u128()).collect()
}

fn set(ids: &[u128]) -> BTreeSet<u128> {
    ids.iter().copied().collect()
}

#[test]
fn text_without_diacritics_finds_desired_work_and_skills() {
    let index = sample();
    assert_eq!(ids(&index, WorkerQuery { text: "tho han".into(), ..WorkerQuery::default() }), set(&[1, 2]));
    assert_eq!(ids(&index, WorkerQuery { text: "dieu duong".into(), ..WorkerQuery::default() }), set(&[3]));
    assert_eq!(ids(&index, WorkerQuery { text: "cham soc nguoi cao tuoi".into(), ..WorkerQuery::default() }), set(&[3]));
}

#[test]
fn filters_select_what_staff_ask_for() {
    let index = sample();
    let q = WorkerQuery::default;
    assert_eq!(ids(&index, WorkerQuery { isco: Some(IscoCode::parse("72").unwrap()), ..q() }), set(&[1, 2]));
    assert_eq!(ids(&index, WorkerQuery { province: Some("79".into()), ..q() }), set(&[3]));
    assert_eq!(ids(&index, WorkerQuery { sex: Some(Sex::Female), ..q() }), set(&[2]));
    assert_eq!(ids(&index, WorkerQuery { min_japanese: Some(JlptLevel::N4), ..q() }), set(&[2]), "N3 satisfies at least N4");
    assert!(ids(&index, WorkerQuery { min_japanese: Some(JlptLevel::N2), ..q() }).is_empty());
    assert_eq!(ids(&index, WorkerQuery { min_topik: Some(2), ..q() }), set(&[3]));
    assert_eq!(ids(&index, WorkerQuery { min_eps_topik_score: Some(150), ..q() }), set(&[3]));
    assert!(ids(&index, WorkerQuery { min_eps_topik_score: Some(151), ..q() }).is_empty());
    assert_eq!(ids(&index, WorkerQuery { min_qualification: Some(Qualification::TrungCap), ..q() }), set(&[3]));
    assert_eq!(ids(&index, WorkerQuery { willing_abroad: Some(true), country: Some("JP".into()), ..q() }), set(&[2]));
    assert_eq!(ids(&index, WorkerQuery { priority_groups: vec![PriorityGroup::EthnicMinority, PriorityGroup::Disability], ..q() }), set(&[2]));
    assert_eq!(ids(&index, WorkerQuery { available_by: Some(ymd(2026, 12, 1)), ..q() }), set(&[1, 2]), "not looking is never available");
    assert_eq!(ids(&index, WorkerQuery { consent: Some(ConsentPurpose::ShareWithPlacementEnterprises), ..q() }), set(&[2]));
    let near = Near { commune: CommuneCode::parse("00004").unwrap(), radius_km: 10.0 };
    assert_eq!(ids(&index, WorkerQuery { near: Some(near), ..q() }), set(&[1, 2]));
    let results = index.search(&WorkerQuery { limit: 10, ..q() }).unwrap();
    assert!(results.sexes.contains(&("female".to_owned(), 1)), "{:?}", results.sexes);
    assert!(results.occupations.contains(&("7".to_owned(), 2)), "{:?}", results.occupations);
}

#[test]
fn age_bounds_are_exact_on_birthdays_including_29_february() {
    let index = sample();
    // Worker 2 was born on 29 February 2008: 18 from 1 March 2026 (a common year).
    let adults = |on: NaiveDate| ids(&index, WorkerQuery { min_age: Some(18), as_of: Some(on), ..WorkerQuery::default() });
    assert_eq!(adults(ymd(2026, 2, 28)), set(&[1, 3]));
    assert_eq!(adults(ymd(2026, 3, 1)), set(&[1, 2, 3]));
    // Worker 1, born 10 June 2000, is 25 until 9 June 2026 and 26 from the 10th.
    let up_to_25 = |on: NaiveDate| ids(&index, WorkerQuery { min_age: Some(20), max_age: Some(25), as_of: Some(on), ..WorkerQuery::default() });
    assert_eq!(up_to_25(ymd(2026, 6, 9)), set(&[1, 3]));
    assert_eq!(up_to_25(ymd(2026, 6, 10)), BTreeSet::new());
}
