//! The fixed query mix: what a job seeker types on a phone (often without diacritics), with the
//! filters and facet counts of a results page, and typeahead prefixes. Deterministic: the same
//! list every run, on every engine.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryClass {
    FreeText,
    Filtered,
    Faceted,
    Typeahead,
}

impl QueryClass {
    pub const ALL: [QueryClass; 4] = [Self::FreeText, Self::Filtered, Self::Faceted, Self::Typeahead];

    pub fn label(self) -> &'static str {
        match self {
            Self::FreeText => "free text",
            Self::Filtered => "text + filters",
            Self::Faceted => "text + filters + facets",
            Self::Typeahead => "typeahead",
        }
    }
}

/// Filters as a results page sends them: exact codes, never free text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// 2025 province code ("79").
    pub province: Option<String>,
    /// ISCO-08 code at any level ("7", "72", "7212"): a prefix of the vacancy's unit group.
    pub isco: Option<String>,
    /// `Some(true)`: abroad only; `Some(false)`: in Vietnam only.
    pub overseas: Option<bool>,
    /// Market, ISO 3166-1 alpha-2 ("JP", "VN").
    pub country: Option<String>,
    /// Open and not past its deadline on this day.
    pub open_on: Option<NaiveDate>,
}

/// A search (top hits and total; facet counts when asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub facets: bool,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Search(SearchRequest),
    /// What the user has typed so far, and how many suggestions to show.
    Complete { typed: String, limit: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixQuery {
    pub class: QueryClass,
    pub request: Request,
}

impl MixQuery {
    /// A short label for reports ("tho han · province=79").
    pub fn label(&self) -> String {
        match &self.request {
            Request::Complete { typed, .. } => format!("\"{typed}\""),
            Request::Search(search) => {
                let f = &search.filters;
                let mut parts = vec![format!("\"{}\"", search.text)];
                parts.extend(f.province.as_ref().map(|p| format!("province={p}")));
                parts.extend(f.isco.as_ref().map(|i| format!("isco={i}")));
                parts.extend(f.overseas.map(|o| format!("overseas={o}")));
                parts.extend(f.country.as_ref().map(|c| format!("market={c}")));
                parts.extend(f.open_on.map(|_| "open".to_owned()));
                parts.join(" · ")
            }
        }
    }
}

/// Results per page.
pub const PAGE_SIZE: usize = 10;
/// Suggestions shown under the search box.
pub const SUGGESTIONS: usize = 8;

/// The free-text queries (also the texts of the tantivy cost profile).
pub const FREE_TEXT: &[&str] = &[
    "tho han",
    "thợ hàn",
    "công nhân may",
    "cong nhan may",
    "ky su xay dung",
    "kỹ sư xây dựng",
    "lai xe",
    "dieu duong",
    "điều dưỡng",
    "ke toan",
    "nhan vien ban hang",
    "bao ve",
    "dau bep",
    "tho dien",
    "lap trinh vien",
    "don hang di nhat",
];

/// (text, province, ISCO prefix, overseas, market, open only)
type FilteredSpec = (&'static str, Option<&'static str>, Option<&'static str>, Option<bool>, Option<&'static str>, bool);

const FILTERED: &[FilteredSpec] = &[
    ("tho han", Some("79"), None, None, None, true),
    ("công nhân may", Some("24"), None, None, None, true),
    ("lai xe", None, Some("83"), Some(false), None, true),
    ("ky su", None, Some("21"), Some(false), None, false),
    ("dieu duong", None, None, Some(true), None, true),
    ("che bien thuc pham", None, None, None, Some("JP"), false),
    ("nhan vien", Some("48"), Some("5"), None, None, true),
    ("cong nhan", Some("31"), Some("8"), Some(false), None, true),
    ("tho dien", None, Some("7"), None, None, true),
    ("nong nghiep", None, None, None, Some("KR"), true),
];

const TYPEAHEAD: &[&str] = &["tho h", "cong nh", "ky s", "Bac N", "dieu d", "lai x", "nhan vien b", "thợ đ", "ha n", "don hang"];

/// The whole mix, in a fixed order. `as_of` is the corpus's "today" (for the open filter).
pub fn query_mix(as_of: NaiveDate) -> Vec<MixQuery> {
    let search = |class, text: &str, filters: Filters| MixQuery {
        class,
        request: Request::Search(SearchRequest { text: text.to_owned(), filters, facets: class == QueryClass::Faceted, limit: PAGE_SIZE }),
    };
    let mut mix: Vec<MixQuery> = FREE_TEXT.iter().map(|text| search(QueryClass::FreeText, text, Filters::default())).collect();
    for class in [QueryClass::Filtered, QueryClass::Faceted] {
        for (text, province, isco, overseas, country, open) in FILTERED {
            let filters = Filters {
                province: province.map(str::to_owned),
                isco: isco.map(str::to_owned),
                overseas: *overseas,
                country: country.map(str::to_owned),
                open_on: open.then_some(as_of),
            };
            mix.push(search(class, text, filters));
        }
    }
    mix.extend(TYPEAHEAD.iter().map(|typed| MixQuery {
        class: QueryClass::Typeahead,
        request: Request::Complete { typed: (*typed).to_owned(), limit: SUGGESTIONS },
    }));
    mix
}
