//! `caunoi` — one binary: `serve` (the default), `migrate`, `demo`.
//!
//! A bare `cargo run --release` creates `./data/caunoi.sqlite`, migrates it, loads the
//! reference data, fills an empty database with demo data and serves http://127.0.0.1:8080.
//! `DATABASE_URL=postgres://…` switches to PostgreSQL.

mod import;

// mimalloc: ingestion, indexing and request handling allocate many small strings; glibc's
// allocator was a fifth of an import's CPU profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use caunoi_api::AppState;
use caunoi_demo::{DemoConfig, Progress};
use caunoi_search::{ExchangeRates, Indexes, sync};
use caunoi_store::{Store, reference};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Parser)]
#[command(name = "caunoi", version, about = "Cầu Nối — việc làm trong nước và đi làm việc ở nước ngoài / jobs at home and abroad")]
struct Cli {
    /// Directory for the embedded SQLite database and this node's search indexes.
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
    /// Rebuild the search indexes (vacancies, worker profiles) from the database, with progress bars.
    Reindex,
    /// Import records from a file (vacancies: CSV, XLSX, JSON, NDJSON), with a progress bar and a summary.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Create an administrator or staff account (the first administrator starts here).
    CreateAccount(CreateAccountArgs),
}

#[derive(Debug, Args)]
struct CreateAccountArgs {
    /// E-mail address or phone number.
    #[arg(long)]
    login: String,
    /// Taken from the environment so it stays out of the shell history and `ps`.
    #[arg(long, env = "CAUNOI_ACCOUNT_PASSWORD", hide_env_values = true)]
    password: String,
    #[arg(long, default_value = "Quản trị viên")]
    display_name: String,
    /// admin, province_staff (needs --province) or commune_staff (needs --commune).
    #[arg(long, default_value = "admin")]
    role: String,
    #[arg(long)]
    province: Option<String>,
    #[arg(long)]
    commune: Option<String>,
}

impl CreateAccountArgs {
    fn role(&self) -> anyhow::Result<caunoi_domain::access::Role> {
        use caunoi_domain::access::Role;
        Ok(match self.role.as_str() {
            "admin" => Role::Admin,
            "province_staff" => Role::ProvinceStaff {
                province: caunoi_domain::ProvinceCode::parse(self.province.as_deref().context("--province is required")?)?,
            },
            "commune_staff" => {
                let commune = caunoi_domain::CommuneCode::parse(self.commune.as_deref().context("--commune is required")?)?;
                let province = caunoi_domain::AdminCatalog::embedded().require_commune(&commune)?.province_code.clone();
                Role::CommuneStaff { commune, province }
            }
            other => anyhow::bail!("unknown role {other:?}: use admin, province_staff or commune_staff"),
        })
    }
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
    let index_dir = cli.data_dir.join("index");
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Migrate => Ok(()),
        Command::Demo(args) => {
            load_demo(&store, &args).await?;
            Ok(())
        }
        Command::Reindex => {
            let indexes = Indexes::open(&index_dir).context("cannot open the search indexes")?;
            reindex(&indexes, &store).await
        }
        Command::Serve(args) => serve(store, &index_dir, args).await,
        Command::Import(command) => import::run(&store, command).await,
        Command::CreateAccount(args) => {
            let new = caunoi_store::accounts::NewAccount {
                role: args.role()?,
                login: args.login,
                password: args.password,
                display_name: args.display_name,
            };
            let account = caunoi_store::accounts::create_account(&store, new).await?;
            tracing::info!(login = %account.login, role = account.role_kind.code(), "account created");
            Ok(())
        }
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
    let bar = progress_bar("Dữ liệu mẫu / demo data", 0);
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

fn progress_bar(message: &'static str, total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, còn {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Rebuilds both search indexes from the database, each with its progress bar.
async fn reindex(indexes: &Indexes, store: &Store) -> anyhow::Result<()> {
    let rates = ExchangeRates::default();
    let started = Instant::now();
    let bar = progress_bar("Chỉ mục việc làm / vacancy index", caunoi_store::stats::vacancy_count(store).await?);
    let vacancies = sync::rebuild(&indexes.vacancies, store, &rates, |n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    let bar = progress_bar("Chỉ mục hồ sơ / worker index", caunoi_store::stats::worker_count(store).await?);
    let workers = sync::rebuild(&indexes.workers, store, &rates, |n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        vacancies,
        workers,
        seconds = format!("{seconds:.1}"),
        per_second = format!("{:.0}", (vacancies + workers) as f64 / seconds.max(0.001)),
        applied_seq = indexes.applied_seq()?,
        "search indexes rebuilt"
    );
    Ok(())
}

/// Brings the indexes up to date: a full rebuild for a new index over existing data, else replay.
async fn prepare_indexes(indexes: &Indexes, store: &Store) -> anyhow::Result<()> {
    if indexes.applied_seq()? == 0 && caunoi_store::change_log::latest_seq(store).await? > 0 {
        reindex(indexes, store).await
    } else {
        let (vacancies, workers) = indexes.catch_up(store, &ExchangeRates::default()).await?;
        tracing::info!(vacancies, workers, applied_seq = indexes.applied_seq()?, "search indexes caught up");
        Ok(())
    }
}

/// Follows the change log for the life of the server; a failed round is logged and retried.
fn follow_change_log(indexes: Arc<Indexes>, store: Store) {
    tokio::spawn(async move {
        let rates = ExchangeRates::default();
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if let Err(error) = indexes.catch_up(&store, &rates).await {
                tracing::warn!(%error, "search indexes could not catch up; retrying");
            }
        }
    });
}

async fn serve(store: Store, index_dir: &std::path::Path, args: ServeArgs) -> anyhow::Result<()> {
    if !args.no_demo && caunoi_demo::is_empty(&store).await? {
        load_demo(&store, &args.demo).await?;
    }
    let indexes = Arc::new(Indexes::open(index_dir).context("cannot open the search indexes")?);
    prepare_indexes(&indexes, &store).await?;
    follow_change_log(Arc::clone(&indexes), store.clone());
    tokio::spawn(caunoi_ingest::schedule::run(store.clone(), caunoi_ingest::schedule::configured_sources()?));
    let listener = tokio::net::TcpListener::bind(&args.bind).await.with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    tracing::info!("Cầu Nối đang chạy tại / listening on http://{address}");
    caunoi_api::serve(listener, AppState::new(store, indexes)).await?;
    tracing::info!("stopped");
    Ok(())
}
