//! Remote sources pulled by the server on a schedule. Configuration is a JSON file named by
//! `CAUNOI_INGEST_SOURCES` (a list of [`SourceConfig`]); secrets are not in it — an auth header's
//! value is read from the environment variable the config names. Pull state (validators per
//! URL, the feed cursor) lives in `ingest_sources`, so a restart resumes where it stopped.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use caunoi_domain::ValidationError;
use caunoi_store::Store;
use caunoi_store::ingest::{self, Quarantined};

use crate::error::IngestError;
use crate::fetch::{FetchError, FetchPolicy, Fetched, Fetcher, Validators};
use crate::pipeline::{self, IngestOptions, IngestReport};
use crate::raw::bounded;
use crate::sources::{Item, feed, jsonld};

/// The environment variable naming the sources file.
pub const SOURCES_ENV: &str = "CAUNOI_INGEST_SOURCES";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceKind {
    /// Pages carrying schema.org `JobPosting` JSON-LD.
    JsonLd { urls: Vec<String> },
    /// A snapshot URL (first pull) and a changes URL (`since=<cursor>` is appended).
    Feed { snapshot_url: String, changes_url: String },
}

impl SourceKind {
    fn code(&self) -> &'static str {
        match self {
            Self::JsonLd { .. } => "jsonld",
            Self::Feed { .. } => "feed",
        }
    }
}

/// An auth header whose value comes from an environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct AuthHeader {
    pub name: String,
    pub value_env: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SourceConfig {
    pub name: String,
    #[serde(flatten)]
    pub kind: SourceKind,
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    #[serde(default)]
    pub auth_header: Option<AuthHeader>,
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    #[serde(default)]
    pub max_body_bytes: Option<usize>,
    #[serde(default)]
    pub max_retries: Option<u32>,
    #[serde(default)]
    pub min_request_interval_ms: Option<u64>,
    /// A PEM file of certificates to trust for this source's HTTPS besides the system's roots.
    #[serde(default)]
    pub ca_certificate_file: Option<std::path::PathBuf>,
}

fn default_interval() -> u64 {
    900
}

impl SourceConfig {
    pub fn policy(&self) -> FetchPolicy {
        let mut policy = FetchPolicy::default();
        if let Some(seconds) = self.timeout_secs {
            policy.timeout = Duration::from_secs(seconds);
        }
        if let Some(bytes) = self.max_body_bytes {
            policy.max_body_bytes = bytes;
        }
        if let Some(retries) = self.max_retries {
            policy.max_retries = retries;
        }
        if let Some(millis) = self.min_request_interval_ms {
            policy.min_interval = Duration::from_millis(millis);
        }
        policy
    }

    /// The source's fetcher, with its auth header read from the environment.
    pub fn fetcher(&self) -> Result<Fetcher, IngestError> {
        let auth = match &self.auth_header {
            None => None,
            Some(header) => {
                let value = std::env::var(&header.value_env)
                    .map_err(|_| IngestError::Config(format!("{}: environment variable {} is not set", self.name, header.value_env)))?;
                Some((header.name.clone(), value))
            }
        };
        let mut policy = self.policy();
        if let Some(path) = &self.ca_certificate_file {
            policy.extra_root_certificates_pem =
                std::fs::read(path).map_err(|e| IngestError::Config(format!("{}: {}: {e}", self.name, path.display())))?;
        }
        Ok(Fetcher::new(policy, auth)?)
    }
}

/// Reads a sources file (a JSON list).
pub fn load_sources(path: &Path) -> Result<Vec<SourceConfig>, IngestError> {
    let text = std::fs::read_to_string(path).map_err(|e| IngestError::Config(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| IngestError::Config(format!("{}: {e}", path.display())))
}

/// The sources named by [`SOURCES_ENV`]; none when it is unset.
pub fn configured_sources() -> Result<Vec<SourceConfig>, IngestError> {
    match std::env::var(SOURCES_ENV) {
        Ok(path) if !path.trim().is_empty() => load_sources(Path::new(&path)),
        _ => Ok(Vec::new()),
    }
}

/// What is remembered between pulls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct PullState {
    #[serde(default)]
    pub validators: BTreeMap<String, Validators>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn fetch_failed(url: &str, error: &FetchError) -> Item {
    Item::Rejected(Quarantined {
        external_id: Some(url.to_owned()),
        position: None,
        raw: bounded(url),
        error: ValidationError::new(
            "fetch",
            "fetch.failed",
            format!("Không tải được {url}: {error}"),
            format!("Could not fetch {url}: {error}"),
        ),
    })
}

/// One pull of a source: fetch, ingest, remember validators and cursor.
pub async fn pull_once(store: &Store, config: &SourceConfig, fetcher: &Fetcher) -> Result<IngestReport, IngestError> {
    let mut state: PullState = ingest::source_state(store, &config.name)
        .await?
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    let started = Utc::now();
    let mut items: Vec<Item> = Vec::new();
    match &config.kind {
        SourceKind::JsonLd { urls } => {
            for url in urls {
                let known = state.validators.get(url).cloned().unwrap_or_default();
                match fetcher.get(url, &known).await {
                    Ok(Fetched::NotModified) => {}
                    Ok(Fetched::Body { bytes, validators }) => {
                        items.extend(jsonld::postings(url, &String::from_utf8_lossy(&bytes)));
                        state.validators.insert(url.clone(), validators);
                    }
                    Err(error) => {
                        tracing::warn!(source = config.name, url, %error, "page not fetched");
                        items.push(fetch_failed(url, &error));
                    }
                }
            }
        }
        SourceKind::Feed { snapshot_url, changes_url } => {
            let url = match &state.cursor {
                None => snapshot_url.clone(),
                Some(cursor) => {
                    let separator = if changes_url.contains('?') { '&' } else { '?' };
                    format!("{changes_url}{separator}since={}", encode_query(cursor))
                }
            };
            let known = state.validators.get(&url).cloned().unwrap_or_default();
            match fetcher.get(&url, &known).await? {
                Fetched::NotModified => {}
                Fetched::Body { bytes, validators } => {
                    let (page, next) = feed::page(&bytes)?;
                    items = page;
                    state.cursor = Some(next.unwrap_or_else(|| started.to_rfc3339()));
                    state.validators.insert(url, validators);
                }
            }
        }
    }
    let records: pipeline::Records = Box::new(items.into_iter().map(Ok));
    let report = pipeline::ingest(store, IngestOptions::new(config.name.clone(), config.kind.code()), records, |_| {}).await?;
    let state = serde_json::to_value(&state).map_err(|e| IngestError::Config(e.to_string()))?;
    ingest::save_source_state(store, &config.name, config.kind.code(), state).await?;
    Ok(report)
}

/// Pulls every source on its interval for as long as the server runs; a failed pull is logged
/// and retried at the next interval.
pub async fn run(store: Store, sources: Vec<SourceConfig>) {
    let mut tasks = tokio::task::JoinSet::new();
    for config in sources {
        let fetcher = match config.fetcher() {
            Ok(fetcher) => fetcher,
            Err(error) => {
                tracing::error!(source = config.name, %error, "source disabled");
                continue;
            }
        };
        let store = store.clone();
        tasks.spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_secs(config.interval_secs.max(1)));
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticker.tick().await;
                match pull_once(&store, &config, &fetcher).await {
                    Ok(report) => tracing::info!(source = config.name, counts = ?report.counts, "source pulled"),
                    Err(error) => tracing::warn!(source = config.name, %error, "source pull failed"),
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
}
