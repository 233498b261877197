//! `caunoi-bench search --vacancies 100000`: the search benchmark (see the library's docs).

// The allocator of the `caunoi` binary, so indexing is measured as the product runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use caunoi_bench::corpus;
use caunoi_bench::{Corpora, RunConfig};
use caunoi_demo::DemoConfig;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "caunoi-bench", about = "Benchmarks of Cầu Nối (run with --release)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Vacancy search: tantivy against PostgreSQL FTS and SQLite FTS5 on the same corpus.
    Search(SearchArgs),
    /// The mix's searches, several runs each, on the index an earlier `search` run built.
    Probe(ProbeArgs),
    /// Fair check-ins over HTTP on loopback, SQLite and PostgreSQL, against the store directly.
    Checkin(CheckinArgs),
}

#[derive(clap::Args)]
struct CheckinArgs {
    #[arg(long, default_value_t = 20_000)]
    tickets: usize,
    #[arg(long, default_value_t = 2_000)]
    rescans: usize,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    #[arg(long, default_value = "data/bench")]
    data_dir: PathBuf,
    #[command(flatten)]
    server: PostgresArgs,
    #[arg(long, default_value_t = 2025)]
    seed: u64,
}

/// The PostgreSQL server both benchmarks compare against.
#[derive(clap::Args)]
struct PostgresArgs {
    /// PostgreSQL server (a user that may create databases); each benchmark uses its own
    /// database there.
    #[arg(long, env = "CAUNOI_BENCH_POSTGRES", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// Leave PostgreSQL out.
    #[arg(long)]
    no_postgres: bool,
}

async fn checkin(args: CheckinArgs) -> anyhow::Result<()> {
    use caunoi_bench::checkin::{self, CheckinConfig};
    let config = CheckinConfig { tickets: args.tickets, rescans: args.rescans, concurrency: args.concurrency, seed: args.seed };
    let demo = DemoConfig { seed: args.seed, as_of: chrono::Utc::now().date_naive(), vacancies: 100, workers: args.tickets };
    let mut stores = vec![("SQLite", corpus::open_sqlite(&args.data_dir.join("checkin.sqlite"), true).await?)];
    if !args.server.no_postgres {
        stores.push(("PostgreSQL", corpus::open_postgres(&args.server.postgres, "caunoi_bench_checkin", true).await?));
    }
    let mut runs = Vec::new();
    for (backend, store) in stores {
        store.migrate().await?;
        caunoi_store::reference::load(&store).await?;
        log(format!("{backend}: {} demo workers", args.tickets));
        caunoi_demo::populate(&store, demo, |_| {}).await?;
        runs.push(checkin::run(store, backend, config, log).await?);
    }
    let markdown = checkin::markdown(&config, &runs);
    std::io::stdout().lock().write_all(markdown.as_bytes())?;
    for run in &runs {
        anyhow::ensure!(
            run.first == config.tickets && run.stored_checked_in as usize == config.tickets && run.errors == 0,
            "{}: {} first check-ins, {} in the database, {} errors for {} tickets",
            run.backend, run.first, run.stored_checked_in, run.errors, config.tickets
        );
    }
    Ok(())
}

#[derive(clap::Args)]
struct SearchArgs {
    /// Vacancies in the generated corpus.
    #[arg(long, default_value_t = 100_000)]
    vacancies: usize,
    /// Where the SQLite corpus, the tantivy index and the report live (kept between runs).
    #[arg(long, default_value = "data/bench")]
    data_dir: PathBuf,
    #[command(flatten)]
    server: PostgresArgs,
    /// Regenerate the corpus (drops the SQLite file and the PostgreSQL database).
    #[arg(long)]
    fresh: bool,
    /// Keep indexes of an earlier run over the same corpus (build figures are then not measured).
    #[arg(long)]
    reuse_indexes: bool,
    #[arg(long, default_value_t = 2)]
    warmup_rounds: usize,
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Demo generator seed and "today" (the same values give the same corpus).
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    #[arg(long, default_value = "2026-11-21")]
    as_of: NaiveDate,
}

#[derive(clap::Args)]
struct ProbeArgs {
    /// The corpus size whose index to use (`<data-dir>/<size>/tantivy`).
    #[arg(long, default_value_t = 100_000)]
    vacancies: usize,
    #[arg(long, default_value = "data/bench")]
    data_dir: PathBuf,
    /// Runs of each query (after one unmeasured pass).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    #[arg(long, default_value = "2026-11-21")]
    as_of: NaiveDate,
    /// Only the queries whose label contains this ("lai xe", "isco=83").
    #[arg(long)]
    only: Option<String>,
}

async fn probe(args: ProbeArgs) -> anyhow::Result<()> {
    let index_dir = args.data_dir.join(size_label(args.vacancies)).join("tantivy");
    let rows = caunoi_bench::probe::probe(&index_dir, args.as_of, args.runs, args.only.as_deref()).await?;
    std::io::stdout().lock().write_all(caunoi_bench::probe::markdown(&rows).as_bytes())?;
    Ok(())
}

/// "100k", "1m", or the number: names the corpus's files and database.
fn size_label(vacancies: usize) -> String {
    match vacancies {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn log(line: String) {
    eprintln!("[{}] {line}", chrono::Utc::now().format("%H:%M:%S"));
}

async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let label = size_label(args.vacancies);
    let dir = args.data_dir.join(&label);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let demo = DemoConfig { seed: args.seed, as_of: args.as_of, vacancies: args.vacancies, workers: 0 };
    let progress = |engine: &'static str| {
        let mut next = 0;
        move |p: caunoi_demo::Progress| {
            if p.written >= next {
                log(format!("corpus {engine}: {}/{} records", p.written, p.total));
                next = p.written + 100_000;
            }
        }
    };

    let sqlite = corpus::open_sqlite(&dir.join("corpus.sqlite"), args.fresh).await?;
    let judged_sqlite = corpus::open_sqlite(&dir.join("judged.sqlite"), true).await?;
    let (postgres, judged_postgres) = if args.server.no_postgres {
        (None, None)
    } else {
        let corpus_db = corpus::open_postgres(&args.server.postgres, &format!("caunoi_bench_{label}"), args.fresh).await?;
        let judged_db = corpus::open_postgres(&args.server.postgres, &format!("caunoi_bench_{label}_judged"), true).await?;
        (Some(corpus_db), Some(judged_db))
    };
    let started = std::time::Instant::now();
    match &postgres {
        // Both databases are filled at once: each load is mostly one core's work.
        Some(pg) => {
            let (a, b) = tokio::join!(
                corpus::fill(&sqlite, "SQLite", demo, progress("SQLite")),
                corpus::fill(pg, "PostgreSQL", demo, progress("PostgreSQL"))
            );
            a?;
            b?;
        }
        None => corpus::fill(&sqlite, "SQLite", demo, progress("SQLite")).await?,
    }
    log(format!("corpus ready in {:.0} s", started.elapsed().as_secs_f64()));

    let config = RunConfig {
        index_dir: dir.join("tantivy"),
        as_of: args.as_of,
        warmup_rounds: args.warmup_rounds,
        rounds: args.rounds,
        reuse_indexes: args.reuse_indexes,
        judged_dir: caunoi_search::relevance::default_dir(),
    };
    let corpora = Corpora { sqlite, postgres, judged_sqlite, judged_postgres };
    let report = caunoi_bench::run(&config, &corpora, log).await?;
    let markdown = report.markdown();
    let report_path = dir.join("report.md");
    std::fs::write(&report_path, &markdown).with_context(|| format!("writing {}", report_path.display()))?;
    log(format!("report written to {}", report_path.display()));
    std::io::stdout().lock().write_all(markdown.as_bytes())?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Search(args) => search(args).await,
        Command::Checkin(args) => checkin(args).await,
        Command::Probe(args) => probe(args).await,
    }
}
