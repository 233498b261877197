//! The peers: full-text search as PostgreSQL and SQLite offer it, built over the same documents
//! as the tantivy index, in the corpus's own database.
//!
//! - **PostgreSQL**: `unaccent` behind an IMMUTABLE wrapper (so it may appear in index
//!   expressions), a `tsvector` per vacancy — title weight A, employer and place names B, body
//!   C — with a GIN index; `websearch_to_tsquery` on the unaccented query, `ts_rank_cd`
//!   ordering; typeahead as phrase-prefix `tsquery`s (`tho <-> h:*`) on GIN expression indexes
//!   over titles and employers.
//! - **SQLite**: an FTS5 table (`unicode61 remove_diacritics 2`, prefix indexes) over text
//!   folded in Rust with [`caunoi_domain::text::fold`] first, because FTS5 does not fold đ→d;
//!   `bm25` ordering with the same column weights; typeahead as FTS5 phrase-prefix queries.
//!
//! Filter values (province, ISCO code, market, open, deadline) sit in a plain table beside the
//! text, copied from the same documents — each peer's best case: no join to the normalised
//! `vacancies` table, whose workplace and ISCO columns hold the same values. Filters are WHERE
//! clauses, facets GROUP BY counts over the matching rows, all in one statement.

use std::sync::atomic::{AtomicI64, Ordering};

use caunoi_domain::text::{fold, normalize};
use caunoi_search::VacancyDocument;
use caunoi_store::{DbBackend, Store};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait, Value};
use uuid::Uuid;

use crate::BenchError;
use crate::engine::Outcome;
use crate::mix::{Filters, SearchRequest};

/// Column weights, title : employer : places : body, as PostgreSQL's A : B : B : C
/// (`ts_rank_cd`'s default weights 1.0 : 0.4 : 0.4 : 0.2) — the same proportions for `bm25`.
const BM25_WEIGHTS: &str = "10.0, 4.0, 4.0, 2.0";

/// Rows per INSERT statement (PostgreSQL allows 65,535 parameters, SQLite 32,766).
const ROWS_PER_INSERT: usize = 500;

/// Facets counted on a results page, with the SQL expression of each bucket (job orders abroad
/// have no province, and no province bucket — as in the tantivy index).
const FACETS: &[(&str, &str)] = &[
    ("province", "province"),
    ("isco", "substr(isco, 1, 1)"),
    ("market", "country"),
    ("type", "employment_type"),
];

const POSTGRES_SETUP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    // unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes the
    // wrapper safe to declare IMMUTABLE, which expression indexes require.
    "CREATE OR REPLACE FUNCTION caunoi_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT \
     AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
    "CREATE OR REPLACE FUNCTION caunoi_words(text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT \
     AS $$ SELECT to_tsvector('simple'::regconfig, public.caunoi_unaccent($1)) $$",
    "DROP TABLE IF EXISTS bench_search",
    "CREATE TABLE bench_search (\
     vacancy_id uuid PRIMARY KEY, title text NOT NULL, employer text NOT NULL, province text, isco text NOT NULL, \
     country text NOT NULL, employment_type text NOT NULL, is_open boolean NOT NULL, deadline_day integer, \
     document tsvector NOT NULL)",
];

const POSTGRES_INDEXES: &[&str] = &[
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX bench_search_document ON bench_search USING gin (document)",
    "CREATE INDEX bench_search_title_words ON bench_search USING gin (caunoi_words(title))",
    "CREATE INDEX bench_search_employer_words ON bench_search USING gin (caunoi_words(employer))",
];

const SQLITE_SETUP: &[&str] = &[
    "DROP TABLE IF EXISTS bench_fts",
    "DROP TABLE IF EXISTS bench_docs",
    "CREATE TABLE bench_docs (\
     doc INTEGER PRIMARY KEY, vacancy_id TEXT NOT NULL, title TEXT NOT NULL, employer TEXT NOT NULL, province TEXT, \
     isco TEXT NOT NULL, country TEXT NOT NULL, employment_type TEXT NOT NULL, is_open INTEGER NOT NULL, deadline_day INTEGER)",
    "CREATE VIRTUAL TABLE bench_fts USING fts5(title, employer, places, body, \
     tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')",
];

const SQLITE_INDEXES: &[&str] = &["INSERT INTO bench_fts(bench_fts) VALUES ('optimize')"];

/// Days since 1970-01-01, as the tantivy index compares deadlines.
fn day_number(date: NaiveDate) -> i32 {
    i32::try_from(date.signed_duration_since(NaiveDate::default()).num_days()).unwrap_or(i32::MAX)
}

/// Folded search words: ASCII letters and digits for Vietnamese, split at everything else, so
/// that nothing the user typed can reach the query syntax.
fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Numbered placeholders (`$1` on PostgreSQL, `?1` on SQLite, so one value may be used twice)
/// and their values.
struct Binds {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Binds {
    fn new(backend: DbBackend) -> Self {
        Self { backend, values: Vec::new() }
    }

    fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => format!("${}", self.values.len()),
            _ => format!("?{}", self.values.len()),
        }
    }

    fn statement(self, sql: &str) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

pub struct SqlPeer {
    store: Store,
    next_doc: AtomicI64,
}

impl SqlPeer {
    /// A peer in `store`'s database (PostgreSQL or SQLite, by the store's back-end).
    pub fn new(store: Store) -> Self {
        Self { store, next_doc: AtomicI64::new(1) }
    }

    fn postgres(&self) -> bool {
        self.store.backend() == DbBackend::Postgres
    }

    pub fn name(&self) -> &'static str {
        if self.postgres() { "PostgreSQL FTS" } else { "SQLite FTS5" }
    }

    async fn execute_all(&self, statements: &[&str]) -> Result<(), BenchError> {
        let txn = self.store.connection().begin().await?;
        for sql in statements {
            txn.execute_unprepared(sql).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Drops and recreates the peer's tables (empty).
    pub async fn create(&self) -> Result<(), BenchError> {
        self.execute_all(if self.postgres() { POSTGRES_SETUP } else { SQLITE_SETUP }).await?;
        self.next_doc.store(1, Ordering::Relaxed);
        Ok(())
    }

    /// Documents in the peer (None when its tables do not exist).
    pub async fn num_docs(&self) -> Result<Option<u64>, BenchError> {
        let exists = if self.postgres() {
            "SELECT CAST(count(*) AS bigint) AS n FROM pg_class WHERE relname = 'bench_search'"
        } else {
            "SELECT count(*) AS n FROM sqlite_master WHERE name IN ('bench_fts', 'bench_docs')"
        };
        if self.count(exists).await? == 0 {
            return Ok(None);
        }
        let table = if self.postgres() { "bench_search" } else { "bench_docs" };
        Ok(Some(self.count(&format!("SELECT CAST(count(*) AS bigint) AS n FROM {table}")).await?))
    }

    async fn count(&self, sql: &str) -> Result<u64, BenchError> {
        let row = self.store.connection().query_one_raw(Statement::from_string(self.store.backend(), sql)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.map_or(0, |n| n.max(0) as u64))
    }

    /// Adds documents (one transaction per call).
    pub async fn insert(&self, documents: &[VacancyDocument]) -> Result<(), BenchError> {
        let txn = self.store.connection().begin().await?;
        for chunk in documents.chunks(ROWS_PER_INSERT) {
            for statement in self.insert_statements(chunk) {
                txn.execute_raw(statement).await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    fn insert_statements(&self, documents: &[VacancyDocument]) -> Vec<Statement> {
        let backend = self.store.backend();
        let mut binds = Binds::new(backend);
        let mut rows = Vec::with_capacity(documents.len());
        if self.postgres() {
            for d in documents {
                let row = [
                    binds.bind(d.id),
                    binds.bind(d.title.clone()),
                    binds.bind(d.employer_name.clone()),
                    binds.bind(d.place_names.clone()),
                    binds.bind(d.body.clone()),
                    binds.bind(d.province_code.clone()),
                    binds.bind(d.isco.as_str().to_owned()),
                    binds.bind(d.country.clone()),
                    binds.bind(d.employment_type.clone()),
                    binds.bind(d.open),
                    binds.bind(d.deadline.map(day_number)),
                ];
                rows.push(format!("({})", row.join(", ")));
            }
            let sql = format!(
                "INSERT INTO bench_search (vacancy_id, title, employer, province, isco, country, employment_type, is_open, deadline_day, document) \
                 SELECT v.id, v.title, v.employer, v.province, v.isco, v.country, v.employment_type, v.is_open, v.deadline_day, \
                 setweight(caunoi_words(v.title), 'A') || setweight(caunoi_words(v.employer), 'B') || \
                 setweight(caunoi_words(v.places), 'B') || setweight(caunoi_words(v.body), 'C') \
                 FROM (VALUES {}) AS v(id, title, employer, places, body, province, isco, country, employment_type, is_open, deadline_day)",
                rows.join(", ")
            );
            return vec![binds.statement(&sql)];
        }
        let first = self.next_doc.fetch_add(documents.len() as i64, Ordering::Relaxed);
        let mut text = Binds::new(backend);
        let mut text_rows = Vec::with_capacity(documents.len());
        for (doc, d) in (first..).zip(documents) {
            let row = [
                binds.bind(doc),
                binds.bind(d.id.to_string()),
                binds.bind(d.title.clone()),
                binds.bind(d.employer_name.clone()),
                binds.bind(d.province_code.clone()),
                binds.bind(d.isco.as_str().to_owned()),
                binds.bind(d.country.clone()),
                binds.bind(d.employment_type.clone()),
                binds.bind(i32::from(d.open)),
                binds.bind(d.deadline.map(day_number)),
            ];
            rows.push(format!("({})", row.join(", ")));
            let folded = [
                text.bind(doc),
                text.bind(fold(&d.title)),
                text.bind(fold(&d.employer_name)),
                text.bind(fold(&d.place_names)),
                text.bind(fold(&d.body)),
            ];
            text_rows.push(format!("({})", folded.join(", ")));
        }
        vec![
            binds.statement(&format!(
                "INSERT INTO bench_docs (doc, vacancy_id, title, employer, province, isco, country, employment_type, is_open, deadline_day) VALUES {}",
                rows.join(", ")
            )),
            text.statement(&format!("INSERT INTO bench_fts (rowid, title, employer, places, body) VALUES {}", text_rows.join(", "))),
        ]
    }

    /// Builds the indexes after loading (faster than maintaining them row by row) and refreshes
    /// the planner's statistics.
    pub async fn finish(&self) -> Result<(), BenchError> {
        if self.postgres() {
            self.execute_all(POSTGRES_INDEXES).await?;
            self.store.connection().execute_unprepared("ANALYZE bench_search").await?;
        } else {
            self.execute_all(SQLITE_INDEXES).await?;
            self.store.connection().execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    /// Bytes of the peer's tables and indexes.
    pub async fn size_bytes(&self) -> Result<u64, BenchError> {
        self.count(if self.postgres() {
            "SELECT CAST(pg_total_relation_size('bench_search') AS bigint) AS n"
        } else {
            "SELECT CAST(coalesce(sum(pgsize), 0) AS INTEGER) AS n FROM dbstat WHERE name LIKE 'bench_%'"
        })
        .await
    }

    fn filter_clauses(binds: &mut Binds, filters: &Filters) -> String {
        let mut sql = String::new();
        if let Some(province) = &filters.province {
            sql += &format!(" AND s.province = {}", binds.bind(province.clone()));
        }
        if let Some(isco) = &filters.isco {
            sql += &format!(" AND s.isco LIKE {}", binds.bind(format!("{isco}%")));
        }
        match filters.overseas {
            Some(true) => sql += " AND s.country <> 'VN'",
            Some(false) => sql += " AND s.country = 'VN'",
            None => {}
        }
        if let Some(country) = &filters.country {
            sql += &format!(" AND s.country = {}", binds.bind(country.clone()));
        }
        if let Some(day) = filters.open_on {
            let open = if binds.backend == DbBackend::Postgres { "s.is_open" } else { "s.is_open = 1" };
            sql += &format!(" AND {open} AND (s.deadline_day IS NULL OR s.deadline_day >= {})", binds.bind(day_number(day)));
        }
        sql
    }

    /// Top hits, the total, and facet counts when asked — one statement over the matches.
    pub async fn search(&self, request: &SearchRequest) -> Result<Outcome, BenchError> {
        let backend = self.store.backend();
        let mut binds = Binds::new(backend);
        let (matches, float) = if self.postgres() {
            let query = binds.bind(normalize(&request.text));
            (
                format!(
                    "SELECT s.vacancy_id::text AS id, s.province, s.isco, s.country, s.employment_type, \
                     ts_rank_cd(s.document, q.query)::float8 AS score \
                     FROM bench_search s, (SELECT websearch_to_tsquery('simple', caunoi_unaccent({query})) AS query) q \
                     WHERE s.document @@ q.query"
                ),
                "float8",
            )
        } else {
            let terms = words(&request.text);
            if terms.is_empty() {
                return Ok(Outcome::default());
            }
            let expression = terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" ");
            let expression = binds.bind(expression);
            (
                format!(
                    "SELECT s.vacancy_id AS id, s.province, s.isco, s.country, s.employment_type, \
                     -bm25(bench_fts, {BM25_WEIGHTS}) AS score \
                     FROM bench_fts JOIN bench_docs s ON s.doc = bench_fts.rowid WHERE bench_fts MATCH {expression}"
                ),
                "REAL",
            )
        };
        let filters = Self::filter_clauses(&mut binds, &request.filters);
        let limit = binds.bind(request.limit.clamp(1, 100) as i64);
        let mut parts = vec![
            format!("SELECT 'hit' AS kind, id AS bucket, score AS value FROM (SELECT id, score FROM m ORDER BY score DESC, id LIMIT {limit}) top"),
            format!("SELECT 'total', '', CAST(count(*) AS {float}) FROM m"),
        ];
        if request.facets {
            for (name, expression) in FACETS {
                parts.push(format!(
                    "SELECT '{name}', {expression}, CAST(count(*) AS {float}) FROM m WHERE {expression} IS NOT NULL GROUP BY {expression}"
                ));
            }
        }
        let sql = format!("WITH m AS MATERIALIZED ({matches}{filters}) {}", parts.join(" UNION ALL "));
        let rows = self.store.connection().query_all_raw(binds.statement(&sql)).await?;
        let mut outcome = Outcome::default();
        let mut hits: Vec<(f64, Uuid)> = Vec::new();
        for row in rows {
            let kind: String = row.try_get("", "kind")?;
            let bucket: String = row.try_get("", "bucket")?;
            let value: f64 = row.try_get("", "value")?;
            match kind.as_str() {
                "hit" => hits.extend(Uuid::parse_str(&bucket).ok().map(|id| (value, id))),
                "total" => outcome.total = value as u64,
                _ => outcome.facet_buckets += 1,
            }
        }
        // UNION ALL keeps no order: sort the hits again, as the subquery did.
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.to_string().cmp(&b.1.to_string())));
        outcome.ids = hits.into_iter().map(|(_, id)| id).collect();
        Ok(outcome)
    }

    /// Typeahead: the most frequent titles and employer names with a phrase starting with what
    /// was typed, and place names (provinces, communes) with a word start matching it.
    pub async fn complete(&self, typed: &str, limit: usize) -> Result<Vec<String>, BenchError> {
        let terms = words(typed);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        // A trailing space means the last word is complete.
        let prefix = !typed.ends_with(char::is_whitespace);
        let limit = limit.clamp(1, 20);
        let mut groups = Vec::new();
        for column in ["title", "employer"] {
            let mut binds = Binds::new(self.store.backend());
            let sql = if self.postgres() {
                let mut query = terms.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(" <-> ");
                if prefix {
                    query.push_str(":*");
                }
                format!(
                    "SELECT {column} AS text, count(*) AS n FROM bench_search WHERE caunoi_words({column}) @@ to_tsquery('simple', {}) \
                     GROUP BY {column} ORDER BY n DESC, {column} LIMIT {}",
                    binds.bind(query),
                    binds.bind(limit as i64)
                )
            } else {
                let star = if prefix { "*" } else { "" };
                let expression = format!("{column} : \"{}\"{star}", terms.join(" "));
                format!(
                    "SELECT s.{column} AS text, count(*) AS n FROM bench_fts JOIN bench_docs s ON s.doc = bench_fts.rowid \
                     WHERE bench_fts MATCH {} GROUP BY s.{column} ORDER BY n DESC, s.{column} LIMIT {}",
                    binds.bind(expression),
                    binds.bind(limit as i64)
                )
            };
            groups.push(self.texts(binds.statement(&sql)).await?);
        }
        let mut binds = Binds::new(self.store.backend());
        let mut key = terms.join(" ");
        if !prefix {
            key.push(' ');
        }
        let starts = binds.bind(format!("{key}%"));
        let inside = binds.bind(format!("% {key}%"));
        let sql = format!(
            "SELECT text FROM (\
             SELECT name_with_type AS text, 0 AS rank FROM provinces WHERE name_folded LIKE {starts} OR name_folded LIKE {inside} \
             UNION ALL SELECT name, 1 FROM communes WHERE name_folded LIKE {starts} OR name_folded LIKE {inside}) places \
             ORDER BY rank, length(text), text LIMIT {}",
            binds.bind(limit as i64)
        );
        groups.push(self.texts(binds.statement(&sql)).await?);
        Ok(interleave(groups, limit))
    }

    async fn texts(&self, statement: Statement) -> Result<Vec<String>, BenchError> {
        let rows = self.store.connection().query_all_raw(statement).await?;
        Ok(rows.iter().map(|row| row.try_get::<String>("", "text")).collect::<Result<_, _>>()?)
    }
}

/// One of each kind in turn (title, employer, place, …) so that every kind shows.
fn interleave(groups: Vec<Vec<String>>, limit: usize) -> Vec<String> {
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest).flat_map(|i| groups.iter().filter_map(move |g| g.get(i).cloned())).take(limit).collect()
}
