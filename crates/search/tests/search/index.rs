use caunoi_domain::IscoCode;
use caunoi_search::{SortBy, VacancyIndex, VacancyQuery};
use chrono::NaiveDate;
use uuid::Uuid;

use crate::corpus::doc;

fn sample() -> VacancyIndex {
    let index = VacancyIndex::in_memory().unwrap();
    // 00004 Phường Ba Đình (Hà Nội, 01); 16273 is elsewhere.
    index.upsert(&doc(1, "Thợ hàn điện", "7212", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(2, "Nhân viên bán hàng", "5223", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(3, "Kỹ sư xây dựng", "2142", Some("16273"), "VN")).unwrap();
    index.upsert(&doc(4, "Đơn hàng hàn kết cấu đi Nhật", "7212", None, "JP")).unwrap();
    index.commit(4).unwrap();
    index
}

fn ids(index: &VacancyIndex, query: &VacancyQuery) -> Vec<u128> {
    index.search(query).unwrap().hits.iter().map(|h| h.id.as_u128()).collect()
}

fn text(text: &str) -> VacancyQuery {
    VacancyQuery { text: text.into(), limit: 10, ..VacancyQuery::default() }
}

#[test]
fn accents_and_case_do_not_matter_but_exact_spelling_ranks_first() {
    let index = sample();
    for query in ["thợ hàn", "tho han", "THỢ HÀN", "Tho Han"] {
        assert_eq!(ids(&index, &text(query))[0], 1, "{query}");
    }
    // "hàng" (goods) is not "hàn" (weld): typed with diacritics, the seller comes first.
    assert_eq!(ids(&index, &text("bán hàng"))[0], 2);
}

#[test]
fn filters_narrow_and_facets_count() {
    let index = sample();
    let mut query = text("hàn");
    query.overseas = Some(true);
    assert_eq!(ids(&index, &query), [4]);
    query.overseas = Some(false);
    assert_eq!(ids(&index, &query), [1]);

    let all = index.search(&VacancyQuery { limit: 10, ..VacancyQuery::default() }).unwrap();
    assert_eq!(all.total, 4);
    assert!(all.markets.contains(&("JP".to_owned(), 1)) && all.markets.contains(&("VN".to_owned(), 3)), "{:?}", all.markets);
    assert!(all.provinces.contains(&("01".to_owned(), 2)), "{:?}", all.provinces);
    assert!(all.occupations.contains(&("7".to_owned(), 2)), "{:?}", all.occupations);

    let hanoi = VacancyQuery { province: Some("01".into()), limit: 10, ..VacancyQuery::default() };
    let mut found = ids(&index, &hanoi);
    found.sort_unstable();
    assert_eq!(found, [1, 2]);
}

#[test]
fn isco_filter_works_at_every_level() {
    let index = sample();
    for (code, expected) in [("7", 2), ("72", 2), ("721", 2), ("7212", 2), ("2", 1), ("5223", 1), ("9", 0)] {
        let query = VacancyQuery { isco: Some(IscoCode::parse(code).unwrap()), limit: 10, ..VacancyQuery::default() };
        assert_eq!(index.search(&query).unwrap().total, expected, "ISCO {code}");
    }
}

#[test]
fn expired_closed_and_deleted_vacancies_disappear() {
    let index = sample();
    let mut closed = doc(5, "Thợ hàn ống", "7212", Some("00004"), "VN");
    closed.open = false;
    let mut expired = doc(6, "Thợ hàn khung", "7212", Some("00004"), "VN");
    expired.deadline = NaiveDate::from_ymd_opt(2026, 1, 1);
    index.upsert(&closed).unwrap();
    index.upsert(&expired).unwrap();
    index.delete(Uuid::from_u128(1)).unwrap();
    index.commit(7).unwrap();
    let mut query = text("hàn");
    let mut found = ids(&index, &query);
    found.sort_unstable();
    assert_eq!(found, [4, 5, 6], "without the open filter; 1 is deleted");
    query.open_on = NaiveDate::from_ymd_opt(2026, 11, 21);
    assert_eq!(ids(&index, &query), [4], "5 is closed, 6 expired");
}

#[test]
fn filters_remembered_per_segment_follow_later_changes() {
    // "Open today" and "in Vietnam" keep most documents, so the index keeps them as bitsets per
    // segment; a vacancy closed or added after that must still be filtered right.
    let index = sample();
    let mut query = text("hàn");
    query.open_on = NaiveDate::from_ymd_opt(2026, 11, 21);
    query.overseas = Some(false);
    assert_eq!(ids(&index, &query), [1]);
    let mut closed = doc(1, "Thợ hàn điện", "7212", Some("00004"), "VN");
    closed.open = false;
    index.upsert(&closed).unwrap();
    index.upsert(&doc(7, "Thợ hàn bồn", "7212", Some("16273"), "VN")).unwrap();
    index.commit(5).unwrap();
    assert_eq!(ids(&index, &query), [7], "1 closed since, 7 new");
    query.open_on = None;
    let mut found = ids(&index, &query);
    found.sort_unstable();
    assert_eq!(found, [1, 7], "closed vacancies are still found without the open filter");
    query.open_on = NaiveDate::from_ymd_opt(2026, 11, 21);
    query.overseas = Some(true);
    assert_eq!(ids(&index, &query), [4]);
}

#[test]
fn upsert_replaces_and_commit_remembers_the_sequence_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = VacancyIndex::open(dir.path()).unwrap();
        assert_eq!(index.applied_seq().unwrap(), 0);
        index.upsert(&doc(1, "Thợ hàn", "7212", Some("00004"), "VN")).unwrap();
        index.upsert(&doc(1, "Thợ hàn điện bậc 3", "7212", Some("00004"), "VN")).unwrap();
        index.commit(42).unwrap();
        // Uncommitted work is lost on a crash, and the sequence says where to resume.
        index.upsert(&doc(2, "Lái xe", "8322", Some("00004"), "VN")).unwrap();
    }
    let index = VacancyIndex::open(dir.path()).unwrap();
    assert_eq!(index.applied_seq().unwrap(), 42);
    assert_eq!(index.num_docs(), 1);
    let results = index.search(&text("tho han")).unwrap();
    assert_eq!(results.hits[0].title, "Thợ hàn điện bậc 3");
}

#[test]
fn sorts_by_newest_and_salary_and_pages_stably() {
    let index = sample();
    let newest = VacancyQuery { sort: SortBy::Newest, limit: 10, ..VacancyQuery::default() };
    assert_eq!(ids(&index, &newest), [4, 3, 2, 1]);
    let richest = VacancyQuery { sort: SortBy::SalaryHighest, limit: 10, ..VacancyQuery::default() };
    assert_eq!(ids(&index, &richest), [4, 3, 2, 1]);
    let page = |offset| ids(&index, &VacancyQuery { sort: SortBy::Newest, limit: 2, offset, ..VacancyQuery::default() });
    assert_eq!([page(0), page(2)].concat(), [4, 3, 2, 1]);
}

#[test]
fn snippets_highlight_the_original_words() {
    let index = sample();
    let hit = &index.search(&text("tho han")).unwrap().hits[0];
    assert!(hit.snippet.contains("<b>Thợ</b> <b>hàn</b>"), "{}", hit.snippet);
}

#[test]
fn typos_are_tolerated_on_words_the_index_does_not_know() {
    let index = VacancyIndex::in_memory().unwrap();
    index.upsert(&doc(1, "Nhân viên nghiên cứu thị trường", "2431", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(2, "Thợ điện", "7411", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(3, "Điều dưỡng viên", "3221", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(4, "Thợ hàn", "7212", Some("00004"), "VN")).unwrap();
    index.upsert(&doc(5, "Kế toán tiền lương", "3313", Some("00004"), "VN")).unwrap();
    index.commit(5).unwrap();
    // "nghieen" (7 letters) is one typo from "nghien".
    assert_eq!(ids(&index, &text("nghieen cuu")), [1]);
    // "dieu" is a real syllable of the index: it is not taken as a typo of "dien".
    assert_eq!(ids(&index, &text("dieu")), [3]);
    // Nor is "duong" (5 letters, a word of the index) a typo of "luong" (lương).
    assert_eq!(ids(&index, &text("duong")), [3]);
    // "hna" exists nowhere, so it is a typo — of "han".
    assert_eq!(ids(&index, &text("tho hna"))[0], 4);
    // Two-letter tokens never get a typo.
    assert!(ids(&index, &text("xq")).is_empty());
}

#[test]
fn salary_range_filters_overlap_the_posted_range_and_programmes_are_counted() {
    let index = sample();
    // doc(n) posts 8 + 0.1n to 12 + 0.1n million VND.
    let at_least = VacancyQuery { min_salary_vnd: Some(12_350_000), limit: 10, ..VacancyQuery::default() };
    assert_eq!(ids(&index, &at_least), [4]);
    let at_most = VacancyQuery { max_salary_vnd: Some(8_150_000), limit: 10, ..VacancyQuery::default() };
    assert_eq!(ids(&index, &at_most), [1]);
    let both = VacancyQuery { min_salary_vnd: Some(12_250_000), max_salary_vnd: Some(8_350_000), limit: 10, ..VacancyQuery::default() };
    assert_eq!(ids(&index, &both), [3]);
    let all = index.search(&VacancyQuery { limit: 10, ..VacancyQuery::default() }).unwrap();
    assert_eq!(all.programmes, [("titp".to_owned(), 1)]);
}

#[test]
fn one_word_of_three_may_be_missing_only_when_every_word_finds_too_few() {
    // A stray word ("gấp") empties nothing: with every word required there is no hit, so the
    // search allows one missing word.
    let index = sample();
    assert_eq!(ids(&index, &text("thợ hàn điện gấp"))[0], 1);

    // When every word finds a page of hits, documents missing a word are not added.
    let index = VacancyIndex::in_memory().unwrap();
    for n in 0..12 {
        index.upsert(&doc(n, "Công nhân may công nghiệp", "8153", Some("00004"), "VN")).unwrap();
    }
    for n in 100..105 {
        index.upsert(&doc(n, "Công nhân cơ khí", "7223", Some("00004"), "VN")).unwrap();
    }
    index.commit(17).unwrap();
    let every = index.search(&VacancyQuery { text: "công nhân may".into(), limit: 100, ..VacancyQuery::default() }).unwrap();
    assert_eq!(every.total, 12, "only the sewing jobs");
    // Fewer than a page with every word: the one-missing rule widens the result.
    let two_missing = index.search(&VacancyQuery { text: "công nhân cơ khí chính xác".into(), limit: 100, ..VacancyQuery::default() }).unwrap();
    assert_eq!(two_missing.total, 0, "two words missing is too many");
    let wider = index.search(&VacancyQuery { text: "công nhân cơ khí giỏi".into(), limit: 100, ..VacancyQuery::default() }).unwrap();
    assert_eq!(wider.total, 5, "{:?}", wider.hits);
}
