//! Reading the corpus back out of a database as index documents, page by page, the way the
//! search crate's rebuild does: vacancy rows in id order, their employers' names, then
//! [`VacancyDocument::from_vacancy`] — so every engine indexes the same text and values.

use std::collections::BTreeSet;

use caunoi_domain::records::{EmployerId, VacancyId};
use caunoi_search::{ExchangeRates, VacancyDocument};
use caunoi_store::{Store, records};

use crate::BenchError;

/// Vacancies read per page (the same page size as the search crate's rebuild).
pub const PAGE: u64 = 5_000;

pub struct DocumentPages<'a> {
    store: &'a Store,
    rates: ExchangeRates,
    after: Option<VacancyId>,
    done: bool,
}

impl<'a> DocumentPages<'a> {
    pub fn new(store: &'a Store, rates: ExchangeRates) -> Self {
        Self { store, rates, after: None, done: false }
    }

    /// The next page of documents, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<VacancyDocument>>, BenchError> {
        if self.done {
            return Ok(None);
        }
        let vacancies = records::vacancies_after(self.store, self.after, PAGE).await?;
        let Some(last) = vacancies.last() else {
            self.done = true;
            return Ok(None);
        };
        self.after = Some(last.id);
        let employers: Vec<EmployerId> = vacancies.iter().map(|v| v.employer_id).collect::<BTreeSet<_>>().into_iter().collect();
        let names = records::employer_names(self.store, &employers).await?;
        let documents = vacancies
            .iter()
            .map(|v| VacancyDocument::from_vacancy(v, names.get(&v.employer_id).map_or("", String::as_str), &self.rates))
            .collect();
        Ok(Some(documents))
    }
}
