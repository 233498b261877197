//! A run: records stream from a reader through normalisation (on a blocking thread) into
//! batches, each applied in one transaction by the store while the next is being prepared.
//! Memory holds at most a few batches, whatever the size of the input.

use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::Path;

use chrono::{DateTime, Utc};

use caunoi_store::Store;
use caunoi_store::ingest::{self, Incoming, IngestBatch, IngestCounts, Quarantined, RunId};

use crate::error::IngestError;
use crate::normalise::Normaliser;
use crate::similarity;
use crate::sources::{Item, json, table};

/// Records per transaction.
pub const DEFAULT_BATCH: usize = 2_000;
/// Prepared batches waiting for the store.
const QUEUE: usize = 2;

/// A stream of records read from a source.
pub type Records = Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The source's name: with the external id, the identity of each record.
    pub source: String,
    /// `file`, `push`, `feed`, `jsonld` (for the run report).
    pub kind: String,
    pub batch_size: usize,
    pub now: DateTime<Utc>,
}

impl IngestOptions {
    pub fn new(source: impl Into<String>, kind: impl Into<String>) -> Self {
        Self { source: source.into(), kind: kind.into(), batch_size: DEFAULT_BATCH, now: Utc::now() }
    }
}

/// What a run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestReport {
    pub run: RunId,
    pub source: String,
    pub counts: IngestCounts,
}

type Prepared = (Vec<Incoming>, Vec<Quarantined>);

/// Runs records through normalisation and the store, writing a run report.
///
/// A failure (unreadable input, database down) stops the run: batches committed before it stay,
/// the failing batch is not half-applied, and the run report is marked failed.
pub async fn ingest(
    store: &Store,
    options: IngestOptions,
    records: Records,
    mut progress: impl FnMut(&IngestCounts),
) -> Result<IngestReport, IngestError> {
    let run = ingest::start_run(store, &options.source, &options.kind).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Prepared, IngestError>>(QUEUE);
    let normaliser = Normaliser::new(options.now);
    let batch_size = options.batch_size.max(1);
    let producer = tokio::task::spawn_blocking(move || {
        let mut upserts = Vec::with_capacity(batch_size);
        let mut rejected = Vec::new();
        for item in records {
            match item {
                Ok(Item::Record(record)) => match normaliser.prepare(record) {
                    Ok(incoming) => upserts.push(incoming),
                    Err(quarantined) => rejected.push(quarantined),
                },
                Ok(Item::Rejected(quarantined)) => rejected.push(quarantined),
                Err(error) => {
                    // The receiver may be gone already (it stopped on its own failure).
                    sender.blocking_send(Err(error)).ok();
                    return;
                }
            }
            if upserts.len() + rejected.len() >= batch_size {
                let batch = (std::mem::take(&mut upserts), std::mem::take(&mut rejected));
                if sender.blocking_send(Ok(batch)).is_err() {
                    return;
                }
            }
        }
        if !upserts.is_empty() || !rejected.is_empty() {
            sender.blocking_send(Ok((upserts, rejected))).ok();
        }
    });

    let mut counts = IngestCounts::default();
    let mut failure: Option<IngestError> = None;
    while let Some(prepared) = receiver.recv().await {
        let (records, quarantined) = match prepared {
            Ok(batch) => batch,
            Err(error) => {
                failure = Some(error);
                break;
            }
        };
        let batch = IngestBatch {
            run,
            source: options.source.clone(),
            records,
            quarantined,
            max_simhash_distance: similarity::MAX_DISTANCE,
        };
        match ingest::apply_batch(store, batch).await {
            Ok(applied) => {
                counts += applied;
                progress(&counts);
            }
            Err(error) => {
                failure = Some(error.into());
                break;
            }
        }
    }
    drop(receiver);
    if let Err(error) = producer.await {
        failure.get_or_insert(IngestError::Read(format!("the reader stopped: {error}")));
    }
    ingest::finish_run(store, run, counts, failure.as_ref().map(ToString::to_string)).await?;
    match failure {
        Some(error) => Err(error),
        None => Ok(IngestReport { run, source: options.source, counts }),
    }
}

/// Opens a file by its extension: `.csv`, `.xlsx`/`.xlsm`, `.json`, `.ndjson`/`.jsonl`.
pub fn open_file(path: &Path) -> Result<Records, IngestError> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let open = || File::open(path).map(BufReader::new).map_err(|e| IngestError::Read(format!("{}: {e}", path.display())));
    match extension.as_str() {
        "csv" => table::csv_records(open()?),
        "xlsx" | "xlsm" => table::xlsx_records(path),
        "json" | "ndjson" | "jsonl" => Ok(json::records(open()?)),
        other => Err(IngestError::UnsupportedFile(other.to_owned())),
    }
}

/// The source name of a file import when none is given: `file:<file name>`.
pub fn file_source_name(path: &Path) -> String {
    format!("file:{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("unnamed"))
}

/// Imports a file (see [`open_file`]).
pub async fn ingest_file(
    store: &Store,
    path: &Path,
    source: Option<String>,
    progress: impl FnMut(&IngestCounts),
) -> Result<IngestReport, IngestError> {
    let records = open_file(path)?;
    let source = source.unwrap_or_else(|| file_source_name(path));
    ingest(store, IngestOptions::new(source, "file"), records, progress).await
}

/// A partner push: a JSON array or NDJSON body, as the API receives it.
pub async fn ingest_push(store: &Store, source: &str, body: Vec<u8>) -> Result<IngestReport, IngestError> {
    ingest(store, IngestOptions::new(source, "push"), json::records(Cursor::new(body)), |_| {}).await
}
