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
//! (`--profile-file PATH` runs one first import of PATH alone, for a profiler).
#![allow(clippy::print_stdout, reason = "the benchmark prints its report")]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use serde_json::json;

use caunoi_demo::{DemoConfig, Generator};
use caunoi_domain::AdminCatalog;
use caunoi_domain::records::{EmployerKind, Workplace};
use caunoi_ingest::ingest_file;
use caunoi_store::bulk::{self, Batch};
use caunoi_store::testing::{Backend, TestDatabase, backends};
use caunoi_store::{change_log, stats};

/// Peak resident memory of this process so far (VmHWM, Linux); 0 elsewhere.
fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
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

#[derive(serde::Serialize, serde::Deserialize)]
struct Run {
    seconds: f64,
    counts: caunoi_store::ingest::IngestCounts,
}

async fn run_once(db: &TestDatabase, path: &Path, source: &str) -> anyhow::Result<Run> {
    let started = Instant::now();
    let report = ingest_file(&db.store, path, Some(source.to_owned()), |_| {}).await?;
    Ok(Run { seconds: started.elapsed().as_secs_f64(), counts: report.counts })
}

/// What one child process measured.
#[derive(serde::Serialize, serde::Deserialize)]
struct ChildReport {
    normalise_seconds: f64,
    first: Run,
    again: Run,
    change_log_rows: i64,
    employers: u64,
    open_vacancies: u64,
    quarantine_sample: Vec<String>,
    /// Peer: the same vacancies written as already-validated records through `store::bulk::write`
    /// (no parsing, normalisation or dedupe), on another fresh database.
    bulk_write_seconds: f64,
    peak_rss: u64,
}

/// Read + parse + normalise only (no store): the CPU part of the path.
fn normalise_only(path: &Path) -> anyhow::Result<f64> {
    let normaliser = caunoi_ingest::normalise::Normaliser::new(chrono::Utc::now());
    let started = Instant::now();
    for item in caunoi_ingest::pipeline::open_file(path)? {
        if let caunoi_ingest::sources::Item::Record(record) = item? {
            std::hint::black_box(normaliser.prepare(*record).is_ok());
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// One measurement in its own process, so its peak memory is its own.
/// Writes `count` generated vacancies (and all employers) with `store::bulk::write`, timing the vacancies.
async fn bulk_write_peer(backend: Backend, generator: &Generator, count: usize) -> anyhow::Result<f64> {
    let db = TestDatabase::new(backend).await;
    let employers: Vec<_> = (0..generator.plan().employers).map(|i| generator.employer(i)).collect();
    bulk::write(&db.store, Batch { employers, ..Batch::default() }).await?;
    let started = Instant::now();
    for start in (0..count).step_by(caunoi_ingest::pipeline::DEFAULT_BATCH) {
        let vacancies: Vec<_> = (start..(start + caunoi_ingest::pipeline::DEFAULT_BATCH).min(count))
            .map(|i| {
                let mut vacancy = generator.vacancy(i);
                vacancy.fair_id = None;
                vacancy
            })
            .collect();
        bulk::write(&db.store, Batch { vacancies, ..Batch::default() }).await?;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn child(path: &Path, backend: Backend, generator: &Generator, count: usize) -> anyhow::Result<()> {
    let normalise_seconds = normalise_only(path)?;
    let db = fresh_database(backend, generator).await?;
    let first = run_once(&db, path, "bench").await?;
    let again = run_once(&db, path, "bench").await?;
    let overview = stats::overview(&db.store).await?;
    let sample = caunoi_store::ingest::quarantine(&db.store, Some("bench"), 3).await?;
    // Peak memory of the ingestion runs, before the peer's.
    let peak_rss = peak_rss_bytes();
    let bulk_write_seconds = bulk_write_peer(backend, generator, count).await?;
    let report = ChildReport {
        bulk_write_seconds,
        normalise_seconds,
        first,
        again,
        change_log_rows: change_log::latest_seq(&db.store).await?,
        employers: overview.employers,
        open_vacancies: overview.open_vacancies,
        quarantine_sample: sample.iter().map(|q| format!("{}: {}", q.code, q.message_vi)).collect(),
        peak_rss,
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
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
    if let Some(file) = argument("--profile-file") {
        // One first import of `file` (written first when missing) and nothing else: the run
        // to put under a profiler.
        let path = Path::new(&file);
        if !path.exists() {
            write_ndjson(&generator, records, path)?;
        }
        let backend = if argument("--child-backend").as_deref() == Some("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let db = fresh_database(backend, &generator).await?;
        let run = run_once(&db, path, "bench").await?;
        println!("{:.2} s, {:?}", run.seconds, run.counts);
        return Ok(());
    }
    if let Some(file) = argument("--child-file") {
        let backend = if argument("--child-backend").as_deref() == Some("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let count = argument("--child-count").and_then(|n| n.parse().ok()).unwrap_or(records);
        return child(Path::new(&file), backend, &generator, count).await;
    }
    let dir = tempfile::tempdir()?;
    let full = dir.path().join("vacancies.ndjson");
    let tenth = dir.path().join("vacancies-tenth.ndjson");
    let started = Instant::now();
    let full_bytes = write_ndjson(&generator, records, &full)?;
    let tenth_bytes = write_ndjson(&generator, records / 10, &tenth)?;
    println!(
        "generated {records} records ({:.1} MB NDJSON) and {} ({:.1} MB) in {:.1} s; {} CPU threads",
        full_bytes as f64 / 1e6,
        records / 10,
        tenth_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    println!();
    println!("| backend | records | parse+normalise only, rec/s | first import s | first import rec/s | inserted | quarantined | re-import rec/s (all unchanged) | peer: bulk::write rec/s | import ÷ peer | change-log rows | peak RSS of the process |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut samples = Vec::new();
    for backend in backends() {
        let (name, code) = match backend {
            Backend::Sqlite => ("SQLite", "sqlite"),
            Backend::Postgres => ("PostgreSQL", "postgres"),
        };
        for (path, count) in [(&tenth, records / 10), (&full, records)] {
            let output = std::process::Command::new(std::env::current_exe()?)
                .args(["--records", &records.to_string(), "--child-file", &path.display().to_string(), "--child-backend", code, "--child-count", &count.to_string()])
                .stderr(std::process::Stdio::inherit())
                .output()?;
            anyhow::ensure!(output.status.success(), "{name} run failed");
            let report: ChildReport = serde_json::from_slice(&output.stdout)?;
            let rate = |seconds: f64| count as f64 / seconds.max(1e-9);
            println!(
                "| {name} | {count} | {:.0} | {:.1} | {:.0} | {} | {} | {:.0} | {:.0} | {:.2} | {} | {:.0} MB |",
                rate(report.normalise_seconds),
                report.first.seconds,
                rate(report.first.seconds),
                report.first.counts.inserted,
                report.first.counts.quarantined,
                rate(report.again.seconds),
                rate(report.bulk_write_seconds),
                report.bulk_write_seconds / report.first.seconds.max(1e-9),
                report.change_log_rows,
                report.peak_rss as f64 / 1_048_576.0,
            );
            if count == records {
                samples.push(format!("{name}: {} employers, {} open vacancies; quarantine sample: {}", report.employers, report.open_vacancies, report.quarantine_sample.join(" | ")));
            }
        }
    }
    println!();
    for sample in samples {
        println!("- {sample}");
    }
    Ok(())
}
