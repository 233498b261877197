//! A run: records stream from a reader through normalisation (on a blocking thread) into
//! batches, applied by the store while the next is being prepared and committed a few at a time.
//! Memory holds at most a few batches, whatever the size of the input.

use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::Path;

use chrono::{DateTime, Utc};

use caunoi_store::Store;
use caunoi_store::ingest::{self, BatchGroup, Incoming, IngestBatch, IngestCounts, Quarantined, RunId};

use crate::error::IngestError;
use crate::normalise::Normaliser;
use crate::similarity;
use crate::raw::SourceRecord;
use crate::sources::{Item, json, table};

/// Records normalised and applied together (what memory holds per batch).
pub const DEFAULT_BATCH: usize = 2_000;
/// Records per transaction, at least: batches are committed together until they reach it.
pub const DEFAULT_COMMIT_EVERY: u64 = 10_000;
/// Prepared batches waiting for the store.
const QUEUE: usize = 2;
/// Threads normalising one batch (normalisation is CPU-bound; the store writes meanwhile).
const MAX_NORMALISE_THREADS: usize = 4;

/// A stream of records read from a source.
pub type Records = Box<dyn Iterator<Item = Result<Item, IngestError>> + Send>;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The source's name: with the external id, the identity of each record.
    pub source: String,
    /// `file`, `push`, `feed`, `jsonld` (for the run report).
    pub kind: String,
    pub batch_size: usize,
    /// Batches share a transaction until it holds this many records.
    pub commit_every: u64,
    pub now: DateTime<Utc>,
}

impl IngestOptions {
    pub fn new(source: impl Into<String>, kind: impl Into<String>) -> Self {
        Self { source: source.into(), kind: kind.into(), batch_size: DEFAULT_BATCH, commit_every: DEFAULT_COMMIT_EVERY, now: Utc::now() }
    }
}

/// What a run did.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestReport {
    pub run: RunId,
    pub source: String,
    pub counts: IngestCounts,
}

type Prepared = (Vec<Incoming>, Vec<Quarantined>);

/// Runs records through normalisation and the store, writing a run report.
///
/// A failure (unreadable input, database down) stops the run: what was committed before it
/// stays (whole transactions of at least [`IngestOptions::commit_every`] records), the failing
/// transaction is rolled back whole, and the run report is marked failed with the committed
/// counts. Re-running the source then skips what was committed as "unchanged".
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
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_NORMALISE_THREADS);
    let producer = tokio::task::spawn_blocking(move || {
        let mut pending: Vec<SourceRecord> = Vec::with_capacity(batch_size);
        let mut rejected: Vec<Quarantined> = Vec::new();
        let prepare = |pending: &mut Vec<SourceRecord>, rejected: &mut Vec<Quarantined>| -> Prepared {
            let mut upserts = Vec::with_capacity(pending.len());
            let mut quarantined = std::mem::take(rejected);
            for result in normalise_parallel(&normaliser, std::mem::take(pending), workers) {
                match result {
                    Ok(incoming) => upserts.push(incoming),
                    Err(rejected) => quarantined.push(rejected),
                }
            }
            (upserts, quarantined)
        };
        for item in records {
            match item {
                Ok(Item::Record(record)) => pending.push(*record),
                Ok(Item::Rejected(quarantined)) => rejected.push(quarantined),
                Err(error) => {
                    // The receiver may be gone already (it stopped on its own failure).
                    sender.blocking_send(Err(error)).ok();
                    return;
                }
            }
            if pending.len() + rejected.len() >= batch_size && sender.blocking_send(Ok(prepare(&mut pending, &mut rejected))).is_err() {
                return;
            }
        }
        if !pending.is_empty() || !rejected.is_empty() {
            sender.blocking_send(Ok(prepare(&mut pending, &mut rejected))).ok();
        }
    });

    let mut counts = IngestCounts::default();
    let mut failure: Option<IngestError> = None;
    let mut group: Option<(BatchGroup, IngestCounts)> = None;
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
        let applied = async {
            let (writer, pending) = match &mut group {
                Some(open) => open,
                None => group.insert((BatchGroup::begin(store).await?, IngestCounts::default())),
            };
            *pending += writer.apply(batch).await?;
            if pending.received >= options.commit_every {
                let (writer, pending) = group.take().expect("a group is open");
                writer.commit().await?;
                return Ok::<_, caunoi_store::StoreError>(Some(pending));
            }
            Ok(None)
        };
        match applied.await {
            Ok(committed) => {
                counts += committed.unwrap_or_default();
                let mut shown = counts;
                if let Some((_, pending)) = &group {
                    shown += *pending;
                }
                progress(&shown);
            }
            Err(error) => {
                failure = Some(error.into());
                break;
            }
        }
    }
    // What is left of the last group is committed unless the run failed (then it rolls back).
    if let Some((writer, pending)) = group.take()
        && failure.is_none()
    {
        match writer.commit().await {
            Ok(()) => counts += pending,
            Err(error) => failure = Some(error.into()),
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

/// Normalises records on up to `workers` threads, keeping their order.
#[allow(clippy::result_large_err, reason = "a quarantined record moves straight into the batch's list; boxing it buys nothing")]
fn normalise_parallel(normaliser: &Normaliser, records: Vec<SourceRecord>, workers: usize) -> Vec<Result<Incoming, Quarantined>> {
    const MIN_PER_THREAD: usize = 64;
    if workers <= 1 || records.len() < 2 * MIN_PER_THREAD {
        return records.into_iter().map(|record| normaliser.prepare(record)).collect();
    }
    let per_thread = records.len().div_ceil(workers);
    let mut parts: Vec<Vec<SourceRecord>> = Vec::with_capacity(workers);
    let mut rest = records.into_iter();
    loop {
        let part: Vec<SourceRecord> = rest.by_ref().take(per_thread).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(|record| normaliser.prepare(record)).collect::<Vec<_>>()))
            .collect();
        // A panic in a parser is a bug: it propagates rather than losing records silently.
        handles.into_iter().flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
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

/// A file uploaded by an employer (CSV or XLSX bytes): every row is posted as that employer,
/// whatever the file's employer columns say, so one employer cannot post in another's name,
/// and as a draft that the area's staff review before it is public.
pub async fn ingest_employer_upload(
    store: &Store,
    employer: &caunoi_domain::records::Employer,
    format: UploadFormat,
    bytes: Vec<u8>,
) -> Result<IngestReport, IngestError> {
    let rows: Records = match format {
        UploadFormat::Csv => table::csv_records(Cursor::new(bytes))?,
        UploadFormat::Xlsx => table::xlsx_bytes_records(bytes)?,
    };
    let name = employer.name.clone();
    let tax_code = employer.tax_code.as_ref().map(|t| t.as_str().to_owned());
    let as_employer = rows.map(move |item| match item {
        Ok(Item::Record(mut record)) => {
            record.raw.employer_name = Some(name.clone());
            record.raw.employer_tax_code = tax_code.clone();
            // Like a vacancy posted through the form, an uploaded one waits for staff review.
            record.raw.status = Some("draft".to_owned());
            Ok(Item::Record(record))
        }
        other => other,
    });
    let source = format!("upload:{}", employer.id.0);
    ingest(store, IngestOptions::new(source, "file"), Box::new(as_employer), |_| {}).await
}

/// The formats an upload may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadFormat {
    Csv,
    Xlsx,
}
