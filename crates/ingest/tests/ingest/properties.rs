//! Parsers never panic, whatever the input.

use std::io::Cursor;

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use caunoi_domain::Currency;
use caunoi_ingest::deadline::parse_date;
use caunoi_ingest::discrimination::DiscriminationScanner;
use caunoi_ingest::location::LocationIndex;
use caunoi_ingest::normalise::Normaliser;
use caunoi_ingest::occupation::OccupationClassifier;
use caunoi_ingest::raw::{RawVacancy, SourceRecord};
use caunoi_ingest::salary::parse_salary;
use caunoi_ingest::similarity::simhash;
use caunoi_ingest::sources::{feed, json, jsonld, table};

fn wage_like() -> impl Strategy<Value = String> {
    "(Từ |Trên |Lên đến |\\$|¥)?[0-9]{0,12}([.,][0-9]{1,4}){0,3}( ?(triệu|tr|k|man|nghìn|tỷ|yên|USD|đ|won))?( ?- ?[0-9.,]{0,10}( ?(triệu|tr|man))?)?(/tháng|/giờ|/ngày|/năm)?( thỏa thuận)?"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn salary_parser_never_panics(text in "\\PC{0,60}") {
        let _ = parse_salary(&text, Currency::Vnd);
    }

    #[test]
    fn wage_like_text_gives_a_valid_range_or_an_error(text in wage_like()) {
        if let Ok(range) = parse_salary(&text, Currency::Vnd) {
            prop_assert!(range.min().is_none_or(|low| range.max().is_none_or(|high| low <= high)));
            prop_assert!(range.min().is_some() || range.max().is_some() || range.is_negotiable());
        }
    }

    #[test]
    fn place_title_date_and_rule_readers_never_panic(text in "\\PC{0,80}") {
        let _ = LocationIndex::embedded().resolve(&text);
        let _ = OccupationClassifier::embedded().classify(&text);
        let _ = parse_date("deadline", &text, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let _ = DiscriminationScanner::embedded().scan(&text, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let _ = simhash(&text);
        let _ = jsonld::postings("http://x/", &text);
    }

    #[test]
    fn byte_readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for item in json::records(Cursor::new(bytes.clone())).take(50) {
            let _ = item;
        }
        if let Ok(rows) = table::csv_records(Cursor::new(bytes.clone())) {
            for item in rows.take(50) {
                let _ = item;
            }
        }
        let _ = feed::page(&bytes);
    }

    #[test]
    fn normaliser_never_panics(
        title in proptest::option::of("\\PC{0,30}"),
        employer in proptest::option::of("\\PC{0,20}"),
        salary in proptest::option::of(wage_like()),
        location in proptest::option::of("\\PC{0,40}"),
        quantity in proptest::option::of("\\PC{0,6}"),
        deadline in proptest::option::of("[0-9/\\-]{0,12}"),
        country in proptest::option::of("\\PC{0,6}"),
    ) {
        let raw = RawVacancy { title, employer_name: employer, salary, location, quantity, deadline, country, ..RawVacancy::default() };
        let normaliser = Normaliser::new(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        let _ = normaliser.prepare(SourceRecord { raw, original: String::new(), position: None });
    }
}
