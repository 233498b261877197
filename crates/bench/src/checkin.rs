//! Fair check-in load: the tickets of one fair scanned over HTTP on loopback by concurrent
//! clients against the real server (each ticket once, plus a share scanned a second time, in
//! random order), and — the peer, in the same run — the same number of check-ins of a second
//! fair made through the store directly, without HTTP. Counts every answer and the database's
//! own tally, so a double check-in cannot go unnoticed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use caunoi_domain::access::Role;
use caunoi_domain::fairs::TicketToken;
use caunoi_domain::records::{FairFormat, FairStatus, JobFair, JobFairId};
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::Store;
use caunoi_store::accounts::{self, NewAccount};
use caunoi_store::fairs::{self, CheckIn, FairPlan};

use crate::measure::Samples;

#[derive(Debug, Clone, Copy)]
pub struct CheckinConfig {
    /// Tickets per fair (each checked in once).
    pub tickets: usize,
    /// Scans of an already checked-in ticket, mixed in.
    pub rescans: usize,
    /// Clients scanning at the same time.
    pub concurrency: usize,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct CheckinRun {
    pub backend: &'static str,
    pub scans: usize,
    pub wall: Duration,
    pub latencies: Samples,
    /// 200 answers (first check-ins), 409 answers (already checked in), anything else.
    pub first: usize,
    pub again: usize,
    pub errors: usize,
    /// What the database says afterwards.
    pub stored_checked_in: u32,
    /// The peer: check-ins through the store, no HTTP.
    pub direct_wall: Duration,
    pub direct_first: usize,
}

impl CheckinRun {
    pub fn per_second(&self) -> f64 {
        self.scans as f64 / self.wall.as_secs_f64()
    }

    pub fn direct_per_second(&self, tickets: usize) -> f64 {
        tickets as f64 / self.direct_wall.as_secs_f64()
    }
}

const COMMUNE: &str = "00004";

/// A fair in progress with `tickets` confirmed places (workers taken from the store).
async fn fair_with_tickets(store: &Store, code: &str, workers: &[caunoi_domain::records::WorkerId]) -> anyhow::Result<(JobFairId, Vec<TicketToken>)> {
    let starts_at = chrono::Utc::now();
    let fair = JobFair {
        id: JobFairId::new(),
        code: code.to_owned(),
        title: format!("Phiên đo tải {code}"),
        format: FairFormat::Onsite,
        organiser: "Trung tâm Dịch vụ việc làm".to_owned(),
        commune_code: CommuneCode::parse(COMMUNE)?,
        venue: "Nhà văn hóa".to_owned(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(8),
        status: FairStatus::Draft,
    };
    let id = fair.id;
    fairs::create_fair(store, fair, FairPlan::default()).await?;
    for to in [FairStatus::Announced, FairStatus::RegistrationOpen] {
        fairs::transition_fair(store, id, to, None).await?;
    }
    let mut tickets = Vec::with_capacity(workers.len());
    for worker in workers {
        tickets.push(fairs::register_seeker(store, id, *worker, false).await?.ticket);
    }
    fairs::transition_fair(store, id, FairStatus::InProgress, None).await?;
    Ok((id, tickets))
}

/// Runs the load against `store` (already migrated and holding at least `tickets` workers).
pub async fn run(store: Store, backend: &'static str, config: CheckinConfig, log: impl Fn(String)) -> anyhow::Result<CheckinRun> {
    let workers = caunoi_store::records::worker_ids(&store, config.tickets).await?;
    anyhow::ensure!(workers.len() == config.tickets, "{} workers in the store, {} needed", workers.len(), config.tickets);
    let tag = uuid::Uuid::now_v7().simple().to_string();
    log(format!("{backend}: registering {} seekers at two fairs", config.tickets));
    let (http_fair, http_tickets) = fair_with_tickets(&store, &format!("LOAD-{}", &tag[..12]), &workers).await?;
    let (direct_fair, direct_tickets) = fair_with_tickets(&store, &format!("PEER-{}", &tag[..12]), &workers).await?;

    // Staff of the venue's commune, signed in.
    let login = format!("load-{tag}@example.vn");
    let role = Role::CommuneStaff { commune: CommuneCode::parse(COMMUNE)?, province: ProvinceCode::parse("01")? };
    let account = accounts::create_account(&store, NewAccount { login, password: "mat-khau-do-tai".into(), display_name: "Đo tải".into(), role }).await?;
    let token = accounts::start_session(&store, account.id, chrono::Utc::now()).await?;

    let indexes = Arc::new(caunoi_search::Indexes::in_memory()?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(caunoi_api::serve(listener, caunoi_api::AppState::new(store.clone(), indexes)));

    // Every ticket once, and `rescans` of them again, in random order.
    let mut scans: Vec<String> = http_tickets.iter().map(|t| t.as_str().to_owned()).collect();
    let mut rng = fastrand::Rng::with_seed(config.seed);
    for _ in 0..config.rescans {
        let again = scans[rng.usize(..http_tickets.len())].clone();
        scans.push(again);
    }
    rng.shuffle(&mut scans);
    let scans = Arc::new(scans);
    let next = Arc::new(AtomicUsize::new(0));
    let url = format!("http://{address}/api/v1/fairs/{}/check-ins", http_fair.0);
    let client = reqwest::Client::builder().pool_max_idle_per_host(config.concurrency).build()?;
    log(format!("{backend}: {} scans over HTTP, {} clients", scans.len(), config.concurrency));
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..config.concurrency {
        let (scans, next, client, url, token) = (Arc::clone(&scans), Arc::clone(&next), client.clone(), url.clone(), token.clone());
        clients.push(tokio::spawn(async move {
            let (mut samples, mut first, mut again, mut errors) = (Samples::default(), 0, 0, 0);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(ticket) = scans.get(i) else { break };
                let sent = Instant::now();
                let response = client.post(&url).bearer_auth(&token).json(&serde_json::json!({ "ticket": ticket })).send().await;
                match response.map(|r| r.status().as_u16()) {
                    Ok(200) => first += 1,
                    Ok(409) => again += 1,
                    _ => errors += 1,
                }
                samples.push(sent.elapsed());
            }
            (samples, first, again, errors)
        }));
    }
    let (mut latencies, mut first, mut again, mut errors) = (Samples::default(), 0, 0, 0);
    for client in clients {
        let (samples, f, a, e) = client.await?;
        latencies.extend(samples);
        first += f;
        again += a;
        errors += e;
    }
    let wall = started.elapsed();
    server.abort();
    let stored_checked_in = fairs::get_fair(&store, http_fair).await?.checked_in;

    // The peer: the same number of first check-ins, through the store, same concurrency.
    log(format!("{backend}: {} check-ins through the store directly", direct_tickets.len()));
    let direct_tickets = Arc::new(direct_tickets);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..config.concurrency {
        let (tickets, next, store) = (Arc::clone(&direct_tickets), Arc::clone(&next), store.clone());
        tasks.push(tokio::spawn(async move {
            let mut first = 0;
            while let Some(ticket) = tickets.get(next.fetch_add(1, Ordering::Relaxed)) {
                if let Ok(CheckIn::First(_)) = fairs::check_in(&store, direct_fair, ticket, chrono::Utc::now()).await {
                    first += 1;
                }
            }
            first
        }));
    }
    let mut direct_first = 0;
    for task in tasks {
        direct_first += task.await.context("peer task")?;
    }
    let direct_wall = started.elapsed();
    Ok(CheckinRun { backend, scans: scans.len(), wall, latencies, first, again, errors, stored_checked_in, direct_wall, direct_first })
}

/// The Markdown table of the runs (one row per back-end).
pub fn markdown(config: &CheckinConfig, runs: &[CheckinRun]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut out = format!(
        "Check-in load: {} tickets per fair, {} re-scans mixed in, {} concurrent clients, loopback HTTP.\n\n\
         | back-end | scans/s over HTTP | p50 / p95 / p99 / max ms | 200 first / 409 again / other | checked in (database) | peer: store directly, check-ins/s | HTTP ÷ direct |\n|---|---|---|---|---|---|---|\n",
        config.tickets, config.rescans, config.concurrency
    );
    for run in runs {
        let l = &run.latencies;
        out.push_str(&format!(
            "| {} | {:.0} | {:.1} / {:.1} / {:.1} / {:.1} | {} / {} / {} | {} | {:.0} | {:.2} |\n",
            run.backend,
            run.per_second(),
            ms(l.percentile(0.50)),
            ms(l.percentile(0.95)),
            ms(l.percentile(0.99)),
            ms(l.percentile(1.0)),
            run.first,
            run.again,
            run.errors,
            run.stored_checked_in,
            run.direct_per_second(config.tickets),
            run.per_second() / run.direct_per_second(config.tickets),
        ));
    }
    out
}
