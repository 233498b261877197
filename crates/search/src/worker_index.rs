//! The worker-profile index, for staff only: text over desired work, skills and experience;
//! filters on place, age, sex, occupation, languages, education, willingness to work abroad,
//! priority groups, availability and consent in force.
//!
//! Privacy invariant: no name, CCCD, phone, e-mail or address goes into this index — only what
//! matching needs. Priority groups are indexed (unstored) because policy programmes select on
//! them; who may filter on them is the API's decision.


use caunoi_domain::records::{Availability, ConsentPurpose, PriorityGroup, WorkerProfile};
use caunoi_domain::{GeneralEducation, IscoCode, JlptLevel, LanguageCertificate, OccupationCatalog, Qualification, Sex};
use chrono::NaiveDate;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions,
};
use tantivy::{DocAddress, Searcher, Term};
use uuid::Uuid;

use crate::SearchError;
use crate::analysis::{BIGRAM, EXACT, FOLD};
use crate::live::{IdFields, LiveIndex};
use crate::text_query::{self, Clause, TextFields};
use crate::vacancy_index::{Near, isco_facet, near_filter};

/// Most candidates one search returns (candidate generation for matching takes thousands).
pub const MAX_WORKER_HITS: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Fields {
    ids: IdFields,
    desired: Field,
    desired_exact: Field,
    skills: Field,
    experience: Field,
    all_bigram: Field,
    facets: Field,
    province: Field,
    commune: Field,
    sex: Field,
    birth_day: Field,
    general_education: Field,
    qualification: Field,
    languages: Field,
    eps_topik_score: Field,
    willing_abroad: Field,
    countries: Field,
    priority: Field,
    available_from_day: Field,
    consents: Field,
}

// Frequencies without positions, as in the vacancy index (no phrase queries).
fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// Worker profiles keep tantivy's default order (their searches are not the slow ones).
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings::default()
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        ids: IdFields::add_to(&mut b),
        desired: b.add_text_field("desired", text(FOLD)),
        desired_exact: b.add_text_field("desired_exact", text(EXACT)),
        skills: b.add_text_field("skills", text(FOLD)),
        experience: b.add_text_field("experience", text(FOLD)),
        all_bigram: b.add_text_field("all_bigram", text(BIGRAM)),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        province: b.add_text_field("province", STRING),
        commune: b.add_text_field("commune", STRING),
        sex: b.add_text_field("sex", STRING),
        birth_day: b.add_i64_field("birth_day", INDEXED | FAST),
        general_education: b.add_u64_field("general_education", INDEXED | FAST),
        qualification: b.add_u64_field("qualification", INDEXED | FAST),
        languages: b.add_text_field("languages", STRING),
        eps_topik_score: b.add_u64_field("eps_topik_score", INDEXED | FAST),
        willing_abroad: b.add_u64_field("willing_abroad", INDEXED | FAST),
        countries: b.add_text_field("countries", STRING),
        priority: b.add_text_field("priority", STRING),
        available_from_day: b.add_i64_field("available_from_day", INDEXED | FAST),
        consents: b.add_text_field("consents", STRING),
    };
    (b.build(), fields)
}

fn day_number(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// Rank of a level in its ascending list (the enums are declared in ascending order).
fn rank<T: PartialEq>(all: &[T], value: &T) -> u64 {
    all.iter().position(|v| v == value).unwrap_or(0) as u64
}

/// Language terms a certificate satisfies: JLPT/NAT-TEST N3 also satisfies "at least N4" and
/// "at least N5", so a "minimum level" filter is one term.
fn language_terms(certificate: &LanguageCertificate) -> Vec<String> {
    match certificate {
        LanguageCertificate::Jlpt(level) | LanguageCertificate::NatTest(level) => {
            // N1 is the highest: number 1..=5, smaller is better.
            (level.number()..=5).map(|n| format!("ja_n{n}")).collect()
        }
        LanguageCertificate::JftBasic { passed_a2: true } => vec!["jft_a2".to_owned()],
        LanguageCertificate::JftBasic { passed_a2: false } => Vec::new(),
        LanguageCertificate::Topik(level) => (1..=*level).map(|n| format!("topik_{n}")).collect(),
        LanguageCertificate::EpsTopik { .. } => Vec::new(),
    }
}

/// What the worker index holds for one profile. No identity or contact data.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerDocument {
    pub id: Uuid,
    /// Desired job title and occupation label.
    pub desired: String,
    pub skills: String,
    /// Past job titles and occupation labels.
    pub experience: String,
    /// Desired and past occupations (ISCO), each indexed at every level.
    pub occupations: Vec<IscoCode>,
    pub province_code: Option<String>,
    pub commune_code: String,
    pub sex: Sex,
    pub date_of_birth: NaiveDate,
    pub general_education: GeneralEducation,
    pub qualification: Qualification,
    pub languages: Vec<LanguageCertificate>,
    pub willing_abroad: bool,
    pub countries: Vec<String>,
    pub priority_groups: Vec<PriorityGroup>,
    /// `None`: not looking for work.
    pub available_from: Option<NaiveDate>,
    pub consents: Vec<ConsentPurpose>,
}

impl WorkerDocument {
    pub fn from_profile(profile: &WorkerProfile) -> Self {
        let occupations_catalog = OccupationCatalog::embedded();
        let label = |code: &IscoCode| occupations_catalog.get(code).map(|o| o.label_vi.clone()).unwrap_or_default();
        let mut desired = profile.desired.title.clone().unwrap_or_default();
        if let Some(code) = &profile.desired.occupation {
            desired.push_str(", ");
            desired.push_str(&label(code));
        }
        let experience: Vec<String> = profile
            .occupation_history
            .iter()
            .map(|job| match &job.occupation {
                Some(code) => format!("{}, {}", job.title, label(code)),
                None => job.title.clone(),
            })
            .collect();
        let occupations: Vec<IscoCode> = profile
            .desired
            .occupation
            .iter()
            .chain(profile.occupation_history.iter().filter_map(|job| job.occupation.as_ref()))
            .cloned()
            .collect();
        Self {
            id: profile.id.0,
            desired,
            skills: profile.all_skills().join(", "),
            experience: experience.join("\n"),
            occupations,
            province_code: profile.residence_province().map(|p| p.as_str().to_owned()),
            commune_code: profile.residence_commune.as_str().to_owned(),
            sex: profile.sex,
            date_of_birth: profile.date_of_birth.date(),
            general_education: profile.general_education,
            qualification: profile.highest_qualification(),
            languages: profile.languages.clone(),
            willing_abroad: profile.desired.willing_abroad,
            countries: profile.desired.countries.iter().map(|c| c.as_str().to_owned()).collect(),
            priority_groups: profile.priority_groups.iter().copied().collect(),
            available_from: match &profile.availability {
                Availability::Immediately => Some(NaiveDate::MIN),
                Availability::From(date) => Some(*date),
                Availability::NotLooking => None,
            },
            consents: ConsentPurpose::ALL.iter().copied().filter(|p| profile.has_consent(*p)).collect(),
        }
    }
}

/// A search over worker profiles (staff). All filters are optional and combine with AND.
#[derive(Debug, Clone, Default)]
pub struct WorkerQuery {
    pub text: String,
    pub province: Option<String>,
    pub commune: Option<String>,
    pub near: Option<Near>,
    /// Desired or past occupation, ISCO code at any level.
    pub isco: Option<IscoCode>,
    pub sex: Option<Sex>,
    /// Age bounds (inclusive) on `as_of` (today when absent).
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    pub as_of: Option<NaiveDate>,
    pub min_general_education: Option<GeneralEducation>,
    pub min_qualification: Option<Qualification>,
    /// At least this JLPT / NAT-TEST level (N4 accepts N4, N3, N2, N1).
    pub min_japanese: Option<JlptLevel>,
    pub jft_basic_a2: bool,
    pub min_topik: Option<u8>,
    pub min_eps_topik_score: Option<u16>,
    pub willing_abroad: Option<bool>,
    /// Wants to work in this country (code).
    pub country: Option<String>,
    /// Belongs to at least one of these groups.
    pub priority_groups: Vec<PriorityGroup>,
    /// Looking for work and available on or before this day.
    pub available_by: Option<NaiveDate>,
    /// Only profiles whose owner has given this consent (and not withdrawn it).
    pub consent: Option<ConsentPurpose>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkerHit {
    pub id: Uuid,
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerResults {
    pub total: usize,
    pub hits: Vec<WorkerHit>,
    /// Counts per province, per ISCO major group, per sex.
    pub provinces: Vec<(String, u64)>,
    pub occupations: Vec<(String, u64)>,
    pub sexes: Vec<(String, u64)>,
}

pub struct WorkerIndex {
    live: LiveIndex,
    fields: Fields,
}

fn filter(query: impl Query + 'static) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(query), 0.0)))
}

fn exact(field: Field, value: &str) -> (Occur, Box<dyn Query>) {
    filter(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

fn at_least_u64(field: Field, min: u64) -> (Occur, Box<dyn Query>) {
    filter(RangeQuery::new(std::ops::Bound::Included(Term::from_field_u64(field, min)), std::ops::Bound::Unbounded))
}

impl WorkerIndex {
    pub fn upsert(&self, document: &WorkerDocument) -> Result<(), SearchError> {
        self.live.replace(document.id, self.tantivy_document(document))
    }

    /// A document for a rebuild, which cleared the index (see [`LiveIndex::add_new`]).
    pub(crate) fn add_new(&self, document: &WorkerDocument) -> Result<(), SearchError> {
        self.live.add_new(document.id, self.tantivy_document(document))
    }

    fn tantivy_document(&self, document: &WorkerDocument) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.desired, &document.desired);
        doc.add_text(f.desired_exact, &document.desired);
        doc.add_text(f.skills, &document.skills);
        doc.add_text(f.experience, &document.experience);
        doc.add_text(f.all_bigram, format!("{}\n{}\n{}", document.desired, document.skills, document.experience));
        for code in &document.occupations {
            doc.add_facet(f.facets, isco_facet(code));
        }
        if let Some(province) = &document.province_code {
            doc.add_text(f.province, province);
            doc.add_facet(f.facets, Facet::from_path(["province", province.as_str()]));
        }
        doc.add_text(f.commune, &document.commune_code);
        doc.add_text(f.sex, document.sex.code());
        doc.add_facet(f.facets, Facet::from_path(["sex", document.sex.code()]));
        doc.add_i64(f.birth_day, day_number(document.date_of_birth));
        doc.add_u64(f.general_education, rank(GeneralEducation::ALL, &document.general_education));
        doc.add_u64(f.qualification, rank(Qualification::ALL, &document.qualification));
        let mut eps_score = 0;
        for certificate in &document.languages {
            for term in language_terms(certificate) {
                doc.add_text(f.languages, term);
            }
            if let LanguageCertificate::EpsTopik { score } = certificate {
                eps_score = eps_score.max(u64::from(*score));
            }
        }
        doc.add_u64(f.eps_topik_score, eps_score);
        doc.add_u64(f.willing_abroad, u64::from(document.willing_abroad));
        for country in &document.countries {
            doc.add_text(f.countries, country);
        }
        for group in &document.priority_groups {
            doc.add_text(f.priority, group.code());
        }
        doc.add_i64(f.available_from_day, document.available_from.map_or(i64::MAX, day_number));
        for consent in &document.consents {
            doc.add_text(f.consents, consent.code());
        }
        doc
    }

    crate::live::delegate_to_live!();

    fn text_fields(&self) -> TextFields {
        let f = self.fields;
        TextFields {
            folded: vec![(f.desired, 3.0), (f.skills, 2.0), (f.experience, 1.5)],
            fuzzy: vec![(f.desired, 0.6), (f.skills, 0.4)],
            exact: Some(f.desired_exact),
            bigrams: vec![(f.all_bigram, 3.0)],
            vocabulary: vec![f.desired, f.skills, f.experience],
        }
    }

    fn filters(&self, query: &WorkerQuery) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.fields;
        let mut filters = Vec::new();
        if let Some(province) = &query.province {
            filters.push(exact(f.province, province));
        }
        if let Some(commune) = &query.commune {
            filters.push(exact(f.commune, commune));
        }
        if let Some(near) = &query.near {
            filters.push((Occur::Must, near_filter(f.commune, near)));
        }
        if let Some(code) = &query.isco {
            filters.push(filter(TermQuery::new(Term::from_facet(f.facets, &isco_facet(code)), IndexRecordOption::Basic)));
        }
        if let Some(sex) = query.sex {
            filters.push(exact(f.sex, sex.code()));
        }
        let today = query.as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
        if query.min_age.is_some() || query.max_age.is_some() {
            let latest = query.min_age.map(|years| caunoi_domain::DateOfBirth::latest_for_age(years, today));
            // Age ≤ max ⇔ not yet max + 1 ⇔ born after the latest birth date for max + 1.
            let earliest = query.max_age.map(|years| caunoi_domain::DateOfBirth::latest_for_age(years.saturating_add(1), today));
            let lower = earliest.map_or(std::ops::Bound::Unbounded, |d| std::ops::Bound::Excluded(Term::from_field_i64(f.birth_day, day_number(d))));
            let upper = latest.map_or(std::ops::Bound::Unbounded, |d| std::ops::Bound::Included(Term::from_field_i64(f.birth_day, day_number(d))));
            filters.push(filter(RangeQuery::new(lower, upper)));
        }
        if let Some(level) = query.min_general_education {
            filters.push(at_least_u64(f.general_education, rank(GeneralEducation::ALL, &level)));
        }
        if let Some(level) = query.min_qualification {
            filters.push(at_least_u64(f.qualification, rank(Qualification::ALL, &level)));
        }
        if let Some(level) = query.min_japanese {
            filters.push(exact(f.languages, &format!("ja_n{}", level.number())));
        }
        if query.jft_basic_a2 {
            filters.push(exact(f.languages, "jft_a2"));
        }
        if let Some(level) = query.min_topik {
            filters.push(exact(f.languages, &format!("topik_{}", level.max(1))));
        }
        if let Some(score) = query.min_eps_topik_score {
            filters.push(at_least_u64(f.eps_topik_score, u64::from(score.max(1))));
        }
        if let Some(willing) = query.willing_abroad {
            filters.push(filter(TermQuery::new(Term::from_field_u64(f.willing_abroad, u64::from(willing)), IndexRecordOption::Basic)));
        }
        if let Some(country) = &query.country {
            filters.push(exact(f.countries, country));
        }
        if !query.priority_groups.is_empty() {
            let terms = query.priority_groups.iter().map(|g| Term::from_field_text(f.priority, g.code()));
            filters.push(filter(TermSetQuery::new(terms)));
        }
        if let Some(day) = query.available_by {
            let upper = std::ops::Bound::Included(Term::from_field_i64(f.available_from_day, day_number(day)));
            filters.push(filter(RangeQuery::new(std::ops::Bound::Unbounded, upper)));
        }
        if let Some(consent) = query.consent {
            filters.push(exact(f.consents, consent.code()));
        }
        filters
    }

    /// Runs a search; never fails on what the user typed. Without text, hits come in a stable
    /// order (index order) so pagination is deterministic.
    pub fn search(&self, query: &WorkerQuery) -> Result<WorkerResults, SearchError> {
        let searcher = self.live.searcher();
        let filters = self.filters(query);
        let run = |text| self.search_with(&searcher, query, &filters, text);
        text_query::search_with_fallback(&searcher, &query.text, &self.text_fields(), &filters, run, |results| results.total)
    }

    fn search_with(&self, searcher: &Searcher, query: &WorkerQuery, filters: &[Clause], text: Option<Box<dyn Query>>) -> Result<WorkerResults, SearchError> {
        let mut clauses = text_query::clauses_of(filters);
        match text {
            Some(text) => clauses.push((Occur::Must, text)),
            None => clauses.push(filter(AllQuery)),
        }
        let combined = BooleanQuery::new(clauses);
        let limit = query.limit.clamp(1, MAX_WORKER_HITS);
        let top = TopDocs::with_limit(limit).and_offset(query.offset.min(100_000)).order_by_score();
        let mut facets = FacetCollector::for_field("facets");
        for root in ["/province", "/isco", "/sex"] {
            facets.add_facet(root);
        }
        let (addresses, total, facet_counts): (Vec<(f32, DocAddress)>, usize, _) = searcher.search(&combined, &(top, Count, facets))?;
        // Ids come from the id columns, not the doc store (pools of thousands of hits).
        let ids = crate::live::read_ids(searcher, &addresses.iter().map(|(_, a)| *a).collect::<Vec<_>>())?;
        let hits = addresses.iter().zip(ids).filter_map(|((score, _), id)| id.map(|id| WorkerHit { id, score: *score })).collect();
        let children = |root: &str| crate::live::facet_children(&facet_counts, root);
        Ok(WorkerResults { total, hits, provinces: children("/province"), occupations: children("/isco"), sexes: children("/sex") })
    }
}
