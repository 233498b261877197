//! The rule table is data: the embedded one is complete, and a broken one is refused with a
//! clear reason and a stable code.

use caunoi_matching::rules::EpsSector;
use caunoi_matching::{RuleScope, RuleTable, Verification};

use crate::fixtures::*;

const HEADER: &str = "id,programme,variant,check,params,effective_from,effective_to,verified,legal_ref,title_vi,title_en,note\n";
const SECTORS: &str = "isco_prefix,sector,note\n71,construction,x\n";

fn table_error(rows: &str) -> &'static str {
    RuleTable::from_csv(&format!("{HEADER}{rows}"), SECTORS).unwrap_err().code
}

#[test]
fn embedded_table_covers_every_programme_with_references() {
    let table = RuleTable::embedded();
    for rule in table.rules() {
        assert!(!rule.legal_ref.trim().is_empty(), "{}", rule.id);
        assert!(!rule.title.vi.is_empty() && !rule.title.en.is_empty(), "{}", rule.id);
    }
    let ids: Vec<&str> = table.rules().iter().map(|r| r.id.as_str()).collect();
    for expected in ["law69.min_age", "law69.orientation", "eps.age", "eps.topik", "eps.never_deported", "eps.prior_stay", "ssw.japanese", "ssw.skills_test", "titp.im_japan_age", "e8.pilot", "esd.start"] {
        assert!(ids.contains(&expected), "{expected} missing");
    }
    // The recalled figure stays marked as such.
    assert_eq!(table.rule("eps.age_pre2023").unwrap().verified, Verification::Recalled);
    assert_eq!(table.rule("eps.age").unwrap().verified, Verification::Verified);
    assert_eq!(table.rule("law69.min_age").unwrap().scope, RuleScope::Overseas);
}

#[test]
fn eps_sectors_by_longest_prefix() {
    let table = RuleTable::embedded();
    assert_eq!(table.eps_sector(&isco("7212")), EpsSector::Manufacturing);
    assert_eq!(table.eps_sector(&isco("7112")), EpsSector::Construction);
    assert_eq!(table.eps_sector(&isco("6111")), EpsSector::Agriculture);
    assert_eq!(table.eps_sector(&isco("6221")), EpsSector::Fishery);
    assert_eq!(table.eps_sector(&isco("9216")), EpsSector::Fishery);
    assert_eq!(table.eps_sector(&isco("9211")), EpsSector::Agriculture);
    assert_eq!(table.eps_sector(&isco("9311")), EpsSector::Manufacturing);
    assert_eq!(table.eps_sector(&isco("9313")), EpsSector::Construction);
}

#[test]
fn broken_tables_are_refused_with_a_code() {
    let ok = "a,overseas,,age_band,min=18,2022-01-01,,V,ref,Tuổi,Age,\n";
    assert!(RuleTable::from_csv(&format!("{HEADER}{ok}"), SECTORS).is_ok());
    assert_eq!(table_error(&format!("{ok}{ok}")), "rules.duplicate_id");
    assert_eq!(table_error("a,overseas,,age_band,min=18,01/01/2022,,V,ref,Tuổi,Age,\n"), "rules.date");
    assert_eq!(table_error("a,overseas,,age_band,min=18,2022-01-01,2021-01-01,V,ref,Tuổi,Age,\n"), "rules.dates");
    assert_eq!(table_error("a,overseas,,age_band,,2022-01-01,,V,ref,Tuổi,Age,\n"), "rules.check");
    assert_eq!(table_error("a,overseas,,age_band,min=x,2022-01-01,,V,ref,Tuổi,Age,\n"), "rules.check");
    assert_eq!(table_error("a,overseas,,age_band,min18,2022-01-01,,V,ref,Tuổi,Age,\n"), "rules.params");
    assert_eq!(table_error("a,overseas,,magic,min=18,2022-01-01,,V,ref,Tuổi,Age,\n"), "rules.check");
    assert_eq!(table_error("a,mars,,age_band,min=18,2022-01-01,,V,ref,Tuổi,Age,\n"), "rules.programme");
    assert_eq!(table_error("a,overseas,,age_band,min=18,2022-01-01,,X,ref,Tuổi,Age,\n"), "rules.verified");
    assert_eq!(table_error("a,overseas,,age_band,min=18,2022-01-01,,V,,Tuổi,Age,\n"), "rules.missing_field");
    assert_eq!(table_error("a,eps,,eps_topik,mining=80,2022-01-01,,V,ref,EPS,EPS,\n"), "rules.check");
    let error = RuleTable::from_csv(&format!("{HEADER}{ok}a,overseas,,age_band,,2022-01-01,,V,ref,T,T,\n"), SECTORS).unwrap_err();
    assert_eq!(error.row, 2);
    assert!(error.message_vi.starts_with("Bảng quy tắc, dòng 2"), "{}", error.message_vi);
    assert!(RuleTable::from_csv(&format!("{HEADER}{ok}"), "isco_prefix,sector,note\n71,mining,x\n").is_err());
}
