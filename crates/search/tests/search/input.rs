//! Whatever a user types, search answers with results or an empty list — never an error.

use caunoi_search::{VacancyIndex, VacancyQuery, WorkerIndex, WorkerQuery};

use crate::corpus::doc;

/// SplitMix64, so the generated inputs are the same on every run.
struct Inputs(u64);

impl Inputs {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A string mixing Vietnamese letters, combining marks, punctuation, quotes, emoji,
    /// query-syntax characters and arbitrary code points.
    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "thợ", "hàn", "đ", "Đ", "\u{0301}", "\u{0323}", "\"", "'", "(", ")", "[", "]", "{", "}", ":", "*", "?", "~", "^", "-",
            "+", "!", "\\", "/", "AND", "OR", "NOT", " ", "  ", "\t", "\n", "😀", "👩‍🔧", "🇻🇳", "; DROP TABLE vacancies; --", "%", "_",
            "\u{0}", "\u{200b}", "\u{feff}", "ｆｕｌｌ", "ガ", "한", "𝔘", "a", "e", "1", "9999999999999999999999",
        ];
        let len = self.next() % 40;
        (0..len)
            .map(|_| {
                if self.next().is_multiple_of(5) {
                    char::from_u32((self.next() % 0x10FFFF) as u32).map(String::from).unwrap_or_default()
                } else {
                    PIECES[(self.next() % PIECES.len() as u64) as usize].to_owned()
                }
            })
            .collect()
    }
}

#[test]
fn any_query_text_gives_results_or_nothing() {
    let index = VacancyIndex::in_memory().unwrap();
    index.upsert(&doc(1, "Thợ hàn điện", "7212", Some("00004"), "VN")).unwrap();
    index.commit(1).unwrap();
    let profiles = WorkerIndex::in_memory().unwrap();
    profiles.upsert(&crate::workers::document(1, "Thợ hàn", "7212", "00004")).unwrap();
    profiles.commit(1).unwrap();
    let fixed = [
        String::new(),
        " ".repeat(10),
        "x".repeat(10 * 1024),
        "thợ hàn ".repeat(1300),
        "!!!???...".into(),
        "\"unbalanced quote".into(),
        "tho\u{031b}\u{0323} ha\u{0300}n".into(), // NFD
        "' OR 1=1 --".into(),
        "title:hàn AND (".into(),
        "🙂🙂🙂".into(),
    ];
    let mut generated = Inputs(20261121);
    let inputs = fixed.into_iter().chain((0..2_000).map(|_| generated.string()));
    for input in inputs {
        let query = VacancyQuery { text: input.clone(), limit: 10, offset: 5_000_000, ..VacancyQuery::default() };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.search(&query)));
        match result {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("error for {input:?}: {e}"),
            Err(_) => panic!("panic for {input:?}"),
        }
        let query = VacancyQuery { text: input.clone(), limit: 10, ..VacancyQuery::default() };
        assert!(index.search(&query).is_ok(), "{input:?}");
        let suggestions = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.complete(&input, 8)));
        assert!(matches!(suggestions, Ok(Ok(_))), "typeahead for {input:?}");
        let workers = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            profiles.search(&WorkerQuery { text: input.clone(), limit: 10, ..WorkerQuery::default() })
        }));
        assert!(matches!(workers, Ok(Ok(_))), "worker search for {input:?}");
    }
    // NFD input finds the NFC document.
    let nfd = VacancyQuery { text: "tho\u{031b}\u{0300} ha\u{0300}n".into(), limit: 10, ..VacancyQuery::default() };
    assert_eq!(index.search(&nfd).unwrap().total, 1);
}
