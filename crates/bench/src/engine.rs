//! The three engines behind one interface: the tantivy vacancy index, and the SQL peers.

use caunoi_domain::IscoCode;
use caunoi_search::{VacancyIndex, VacancyQuery};
use uuid::Uuid;

use crate::BenchError;
use crate::mix::{Request, SearchRequest};
use crate::sql_peer::SqlPeer;

/// What a query returned: enough to check that engines answer, never used for timing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Matching vacancies (for a search) or suggestions (for typeahead).
    pub total: u64,
    /// Top vacancy ids, best first (empty for typeahead).
    pub ids: Vec<Uuid>,
    /// Suggestion texts (typeahead only).
    pub suggestions: Vec<String>,
    /// Facet buckets with a count (0 when no facets were asked for or computed).
    pub facet_buckets: usize,
}

pub enum Engine {
    /// Boxed: the index is much larger than a peer's handle.
    Tantivy(Box<VacancyIndex>),
    Sql(SqlPeer),
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Tantivy(_) => "tantivy",
            Self::Sql(peer) => peer.name(),
        }
    }

    pub async fn run(&self, request: &Request) -> Result<Outcome, BenchError> {
        match (self, request) {
            (Self::Tantivy(index), Request::Search(search)) => Ok(tantivy_search(index, search)?),
            (Self::Tantivy(index), Request::Complete { typed, limit }) => {
                let suggestions: Vec<String> = index.complete(typed, *limit)?.into_iter().map(|s| s.text).collect();
                Ok(Outcome { total: suggestions.len() as u64, suggestions, ..Outcome::default() })
            }
            (Self::Sql(peer), Request::Search(search)) => peer.search(search).await,
            (Self::Sql(peer), Request::Complete { typed, limit }) => {
                let suggestions = peer.complete(typed, *limit).await?;
                Ok(Outcome { total: suggestions.len() as u64, suggestions, ..Outcome::default() })
            }
        }
    }
}

/// The index's own search. It always counts facets (the results page shows them), so its
/// "free text" and "text + filters" figures include facet collection the peers skip.
fn tantivy_search(index: &VacancyIndex, search: &SearchRequest) -> Result<Outcome, caunoi_search::SearchError> {
    let f = &search.filters;
    let query = VacancyQuery {
        text: search.text.clone(),
        province: f.province.clone(),
        isco: f.isco.as_deref().and_then(|code| IscoCode::parse(code).ok()),
        overseas: f.overseas,
        country: f.country.clone(),
        open_on: f.open_on,
        limit: search.limit,
        ..VacancyQuery::default()
    };
    let results = index.search(&query)?;
    let facet_buckets = results.provinces.len() + results.occupations.len() + results.markets.len() + results.employment_types.len();
    Ok(Outcome {
        total: results.total as u64,
        ids: results.hits.iter().map(|hit| hit.id).collect(),
        suggestions: Vec::new(),
        facet_buckets: if search.facets { facet_buckets } else { 0 },
    })
}
