//! Benchmark of bulk NDJSON ingestion through the full path (read + parse + normalise +
//! dedupe + store + change log) on SQLite and, when `TEST_DATABASE_URL` is set, PostgreSQL.
//!
//! Records come from the deterministic demo generator, written as NDJSON to a temporary file
//! the way a partner would send them (employer by name and tax code, wage and place as text,
//! no ISCO code — the title is classified). Licensed placement enterprises are registered
//! first (overseas orders are accepted only from them); domestic employers are created by
//! the ingestion itself. Each database is fresh. Reports records/second for a first import and
//! for a re-import of the same file (all "unchanged"), and the peak resident memory sampled
//! during each run, for the full file and a tenth of it (flat memory ⇒ streaming).
//!
//! `cargo run --release -p caunoi-ingest --features bench --bin ingest-bench -- --records 100000`
#![allow(clippy::print_stdout, reason = "the benchmark prints its report")]

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::json;

use caunoi_demo::{DemoConfig, Generator};
use caunoi_domain::AdminCatalog;
use caunoi_domain::records::{EmployerKind, Workplace};
use caunoi_ingest::ingest_file;
use caunoi_store::bulk::{self, Batch};
use caunoi_store::testing::{Backend, TestDatabase, backends};
use caunoi_store::{change_log, stats};

/// Resident memory now, from /proc (Linux); 0 elsewhere.
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

/// Samples RSS every 20 ms until stopped; returns the peak.
struct RssSampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    fn start() -> Self {
        let peak = Arc::new(AtomicU64::new(rss_bytes()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_bytes(), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        Self { peak, stop, thread: Some(thread) }
    }

    fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

fn argument(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// Writes `count` generated vacancies as NDJSON; every tenth domestic one uses its commune's
/// pre-2025 address.
fn write_ndjson(generator: &Generator, count: usize, path: &Path) -> std::io::Result<u64> {
    let admin = AdminCatalog::embedded();
    let employers: HashMap<_, _> = (0..generator.plan().employers).map(|i| generator.employer(i)).map(|e| (e.id, e)).collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    for index in 0..count {
        let vacancy = generator.vacancy(index);
        let employer = &employers[&vacancy.employer_id];
        let mut record = json!({
            "id": format!("BENCH-{index}"),
            "title": vacancy.title,
            "description": vacancy.description,
            "employer": employer.name,
            "tax_code": employer.tax_code.as_ref().map(|t| t.as_str().to_owned()),
            "salary": vacancy.salary_text,
            "quantity": vacancy.quantity.get(),
            "employment_type": vacancy.employment_type.code(),
            "deadline": vacancy.deadline.map(|d| d.format("%d/%m/%Y").to_string()),
            "posted_at": vacancy.posted_at.to_rfc3339(),
        });
        match &vacancy.workplace {
            Workplace::Domestic { commune_code } => {
                let commune = admin.commune(commune_code);
                let province = commune.and_then(|c| admin.province(&c.province_code));
                let legacy = admin.predecessors_of(commune_code).into_iter().find(|u| u.old_name.is_some() && !u.split);
                let location = match (index % 10, legacy) {
                    (3, Some(old)) => format!("{}, {}, {}", old.old_name.clone().unwrap_or_default(), old.old_district_name, old.old_province_name),
                    _ => format!("{}, {}", commune.map_or("", |c| c.name.as_str()), province.map_or("", |p| p.name_with_type.as_str())),
                };
                record["location"] = json!(location);
            }
            Workplace::Overseas { country, programme, contract_months } => {
                record["country"] = json!(country.as_str());
                record["programme"] = json!(programme.code());
                record["contract_months"] = json!(contract_months);
            }
        }
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

struct Run {
    seconds: f64,
    counts: caunoi_store::ingest::IngestCounts,
    peak_rss: u64,
}

async fn run_once(db: &TestDatabase, path: &Path, source: &str) -> anyhow::Result<Run> {
    let sampler = RssSampler::start();
    let started = Instant::now();
    let report = ingest_file(&db.store, path, Some(source.to_owned()), |_| {}).await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(Run { seconds, counts: report.counts, peak_rss: sampler.finish() })
}

async fn fresh_database(backend: Backend, generator: &Generator) -> anyhow::Result<TestDatabase> {
    let db = TestDatabase::new(backend).await;
    let placement: Vec<_> = (0..generator.plan().employers)
        .map(|i| generator.employer(i))
        .filter(|e| matches!(e.kind, EmployerKind::PlacementEnterprise { .. }))
        .collect();
    bulk::write(&db.store, Batch { employers: placement, ..Batch::default() }).await?;
    Ok(db)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let records: usize = argument("--records").and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let as_of = NaiveDate::from_ymd_opt(2026, 12, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    let generator = Generator::new(DemoConfig { seed: 2025, as_of, vacancies: records, workers: 0 });
    let dir = tempfile::tempdir()?;
    let full = dir.path().join("vacancies.ndjson");
    let tenth = dir.path().join("vacancies-tenth.ndjson");
    let started = Instant::now();
    let full_bytes = write_ndjson(&generator, records, &full)?;
    let tenth_bytes = write_ndjson(&generator, records / 10, &tenth)?;
    println!(
        "generated {records} records ({:.1} MB NDJSON) and {} ({:.1} MB) in {:.1} s",
        full_bytes as f64 / 1e6,
        records / 10,
        tenth_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| backend | file | records | run | seconds | records/s | inserted | unchanged | duplicate | quarantined | change-log rows | peak RSS during run |");
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for backend in backends() {
        let name = match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        };
        for (label, path, count) in [("tenth", &tenth, records / 10), ("full", &full, records)] {
            let db = fresh_database(backend, &generator).await?;
            for run in ["first import", "re-import"] {
                let result = run_once(&db, path, "bench").await?;
                let seq = change_log::latest_seq(&db.store).await?;
                println!(
                    "| {name} | {label} | {count} | {run} | {:.1} | {:.0} | {} | {} | {} | {} | {seq} | {:.0} MB |",
                    result.seconds,
                    count as f64 / result.seconds.max(1e-9),
                    result.counts.inserted,
                    result.counts.unchanged,
                    result.counts.duplicate,
                    result.counts.quarantined,
                    result.peak_rss as f64 / 1_048_576.0,
                );
            }
            let overview = stats::overview(&db.store).await?;
            if label == "full" {
                let sample = caunoi_store::ingest::quarantine(&db.store, Some("bench"), 5).await?;
                let reasons: Vec<String> = sample.iter().map(|q| format!("{} ({})", q.code, q.field)).collect();
                println!("|  | | | {name}: {} employers, {} open vacancies; sample quarantine reasons: {} | | | | | | | | |", overview.employers, overview.open_vacancies, reasons.join(", "));
            }
        }
    }
    Ok(())
}
