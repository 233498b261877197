//! `caunoi import vacancies FILE [--source NAME]`: a CSV/XLSX sheet (Vietnamese headers, see
//! crates/ingest/README.md) or a JSON/NDJSON batch, with a progress bar and a summary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use caunoi_ingest::pipeline::file_source_name;
use caunoi_store::Store;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import vacancies from .csv, .xlsx, .json or .ndjson; re-importing the same file changes nothing.
    Vacancies(VacancyImport),
}

#[derive(Debug, Args)]
pub struct VacancyImport {
    /// The file to import.
    file: PathBuf,
    /// Source name: with each record's id ("Mã tin") it identifies the record across imports.
    /// Defaults to `file:<file name>`.
    #[arg(long)]
    source: Option<String>,
}

/// Lines in a text file, as the progress bar's length (records ≈ lines; unknown for XLSX).
fn approximate_records(path: &Path) -> u64 {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if !matches!(extension.as_str(), "csv" | "json" | "ndjson" | "jsonl") {
        return 0;
    }
    let Ok(file) = std::fs::File::open(path) else { return 0 };
    let lines = BufReader::new(file).split(b'\n').count() as u64;
    if extension == "csv" { lines.saturating_sub(1) } else { lines }
}

pub async fn run(store: &Store, command: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Vacancies(args) = command;
    let source = args.source.unwrap_or_else(|| file_source_name(&args.file));
    let bar = crate::progress_bar("Nhập tin tuyển dụng / importing vacancies", approximate_records(&args.file));
    let started = Instant::now();
    let report = caunoi_ingest::ingest_file(store, &args.file, Some(source.clone()), |counts| {
        bar.set_length(bar.length().unwrap_or(0).max(counts.received));
        bar.set_position(counts.received);
    })
    .await
    .with_context(|| format!("import of {} failed", args.file.display()))?;
    bar.finish_and_clear();
    let quarantined = caunoi_store::ingest::quarantine(store, Some(&source), report.counts.quarantined.min(20)).await?;
    print_summary(&args.file, &source, &report, started.elapsed().as_secs_f64(), &quarantined);
    Ok(())
}

#[allow(clippy::print_stdout, reason = "the summary is the command's output")]
fn print_summary(
    file: &Path,
    source: &str,
    report: &caunoi_ingest::IngestReport,
    seconds: f64,
    quarantined: &[caunoi_store::ingest::ingest_quarantine::Model],
) {
    let c = &report.counts;
    println!("Đã nhập {} / imported {} (nguồn / source: {source}, {seconds:.1} s)", file.display(), file.display());
    let rows = [
        ("bản ghi đọc được / received", c.received),
        ("thêm mới / inserted", c.inserted),
        ("cập nhật / updated", c.updated),
        ("không đổi / unchanged", c.unchanged),
        ("trùng tin nguồn khác / duplicate", c.duplicate),
        ("đã gỡ / removed", c.removed),
        ("cách ly / quarantined", c.quarantined),
    ];
    for (label, value) in rows {
        // Pad by characters, not bytes: the labels are Vietnamese.
        let padding = 34usize.saturating_sub(label.chars().count());
        println!("  {label}{} {value:>8}", " ".repeat(padding));
    }
    for entry in quarantined.iter().filter(|q| q.run_id == report.run.0) {
        let id = entry.external_id.as_deref().unwrap_or("—");
        let row = entry.position.map(|p| format!("dòng/row {p}, ")).unwrap_or_default();
        println!("    [{}] {row}{id}: {} ({})", entry.code, entry.message_vi, entry.field);
    }
    if c.quarantined > 0 {
        println!("  Các bản ghi bị cách ly được lưu kèm lý do để cán bộ xử lý. / Quarantined records are kept with their reason for staff.");
    }
}
