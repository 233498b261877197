//! `caunoi` — one binary: `serve` (the default), `migrate`, `demo`.
//!
//! A bare `cargo run --release` creates `./data/caunoi.sqlite`, migrates it, loads the
//! reference data, fills an empty database with demo data and serves http://127.0.0.1:8080.
//! `DATABASE_URL=postgres://…` switches to PostgreSQL.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use caunoi_api::AppState;
use caunoi_demo::{DemoConfig, Progress};
use caunoi_store::{Store, reference};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Parser)]
#[command(name = "caunoi", version, about = "Cầu Nối — việc làm trong nước và đi làm việc ở nước ngoài / jobs at home and abroad")]
struct Cli {
    /// Directory for the embedded SQLite database (and, later, search indexes).
    #[arg(long, env = "CAUNOI_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Database URL; defaults to SQLite in the data directory. `postgres://…` for PostgreSQL.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate, load reference data, add demo data to an empty database, and serve HTTP.
    Serve(ServeArgs),
    /// Apply database migrations and load reference data, then exit.
    Migrate,
    /// Fill an empty database with deterministic demo data.
    Demo(DemoArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen one is logged).
    #[arg(long, env = "CAUNOI_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Do not add demo data, even to an empty database.
    #[arg(long, env = "CAUNOI_NO_DEMO")]
    no_demo: bool,
    #[command(flatten)]
    demo: DemoArgs,
}

#[derive(Debug, Args, Clone)]
struct DemoArgs {
    /// Number of vacancies (one in twenty is an overseas job order).
    #[arg(long, default_value_t = 2_000)]
    vacancies: usize,
    /// Number of worker profiles.
    #[arg(long, default_value_t = 5_000)]
    workers: usize,
    /// Seed: the same seed and date give the same data.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Date the data is generated "as of" (YYYY-MM-DD); defaults to today.
    #[arg(long)]
    as_of: Option<NaiveDate>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        Self { bind: "127.0.0.1:8080".into(), no_demo: false, demo: DemoArgs { vacancies: 2_000, workers: 5_000, seed: 2025, as_of: None } }
    }
}

impl DemoArgs {
    fn config(&self) -> DemoConfig {
        DemoConfig {
            seed: self.seed,
            as_of: self.as_of.unwrap_or_else(|| chrono::Local::now().date_naive()),
            vacancies: self.vacancies,
            workers: self.workers,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let store = open_store(&cli).await?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Migrate => Ok(()),
        Command::Demo(args) => {
            load_demo(&store, &args).await?;
            Ok(())
        }
        Command::Serve(args) => serve(store, args).await,
    }
}

/// Connects, migrates and loads reference data: every command starts from a current schema.
async fn open_store(cli: &Cli) -> anyhow::Result<Store> {
    let url = match &cli.database_url {
        Some(url) if !url.is_empty() => url.clone(),
        _ => {
            std::fs::create_dir_all(&cli.data_dir)
                .with_context(|| format!("cannot create data directory {}", cli.data_dir.display()))?;
            format!("sqlite://{}?mode=rwc", cli.data_dir.join("caunoi.sqlite").display())
        }
    };
    let store = Store::connect(&url).await.with_context(|| format!("cannot open database {}", redact(&url)))?;
    store.migrate().await.context("migration failed")?;
    for outcome in reference::load(&store).await.context("loading reference data failed")? {
        if outcome.loaded {
            tracing::info!(dataset = outcome.name, rows = outcome.rows, "reference data loaded");
        }
    }
    tracing::info!(database = %redact(&url), "database ready");
    Ok(store)
}

/// A URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

async fn load_demo(store: &Store, args: &DemoArgs) -> anyhow::Result<()> {
    let config = args.config();
    let started = Instant::now();
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, còn {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Dữ liệu mẫu / demo data");
    let plan = caunoi_demo::populate(store, config, |Progress { written, total }| {
        bar.set_length(total as u64);
        bar.set_position(written as u64);
    })
    .await?;
    bar.finish_and_clear();
    let size = store.size_bytes().await.unwrap_or(0);
    tracing::info!(
        employers = plan.employers,
        fairs = plan.fairs,
        vacancies = plan.vacancies,
        workers = plan.workers,
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        database_mb = size / 1_048_576,
        seed = config.seed,
        as_of = %config.as_of,
        "demo data loaded"
    );
    Ok(())
}

async fn serve(store: Store, args: ServeArgs) -> anyhow::Result<()> {
    if !args.no_demo && caunoi_demo::is_empty(&store).await? {
        load_demo(&store, &args.demo).await?;
    }
    let listener = tokio::net::TcpListener::bind(&args.bind).await.with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    tracing::info!("Cầu Nối đang chạy tại / listening on http://{address}");
    caunoi_api::serve(listener, AppState { store }).await?;
    tracing::info!("stopped");
    Ok(())
}
