//! Remote pulls against a real local HTTP server (axum on port 0, and a raw TCP server for a
//! chunked body without a length).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::AsyncWriteExt;

use caunoi_ingest::fetch::{FetchError, FetchPolicy, Fetched, Fetcher, Validators};
use caunoi_ingest::schedule::{SourceConfig, SourceKind, pull_once};
use caunoi_store::ingest as store_ingest;
use caunoi_store::testing::{TestDatabase, backends};

#[derive(Clone, Default)]
struct Hits {
    flaky: Arc<AtomicUsize>,
    missing: Arc<AtomicUsize>,
    since: Arc<Mutex<Vec<String>>>,
}

const JOBS_PAGE: &str = r#"<html><script type="application/ld+json">{"@context":"https://schema.org","@type":"JobPosting",
  "identifier":"P-1","title":"Thợ hàn","hiringOrganization":{"name":"Công ty TNHH Cơ khí Phú Thành"},
  "jobLocation":{"address":{"addressLocality":"Phường Ba Đình","addressRegion":"Hà Nội"}},
  "baseSalary":{"currency":"VND","value":{"minValue":9000000,"maxValue":13000000,"unitText":"MONTH"}},
  "description":"Hàn kết cấu thép","validThrough":"2099-12-31"}</script></html>"#;

fn conditional(headers: &HeaderMap, etag: &'static str, body: &'static str) -> Response {
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == etag) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([(header::ETAG, HeaderValue::from_static(etag))], body).into_response()
}

async fn start(hits: Hits) -> String {
    let app = Router::new()
        .route("/slow", get(|| async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "late"
        }))
        .route("/etag", get(|headers: HeaderMap| async move { conditional(&headers, "\"v1\"", "body v1") }))
        .route("/modified", get(|headers: HeaderMap| async move {
            const STAMP: &str = "Tue, 01 Dec 2026 10:00:00 GMT";
            if headers.get(header::IF_MODIFIED_SINCE).is_some_and(|v| v == STAMP) {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            ([(header::LAST_MODIFIED, HeaderValue::from_static(STAMP))], "fresh").into_response()
        }))
        .route("/flaky", get(|State(hits): State<Hits>| async move {
            if hits.flaky.fetch_add(1, Ordering::SeqCst) < 2 { (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response() } else { "ok".into_response() }
        }))
        .route("/missing", get(|State(hits): State<Hits>| async move {
            hits.missing.fetch_add(1, Ordering::SeqCst);
            StatusCode::NOT_FOUND
        }))
        .route("/big", get(|| async { vec![b'x'; 2 * 1024 * 1024] }))
        .route("/jobs.html", get(|headers: HeaderMap| async move { conditional(&headers, "\"jobs-1\"", JOBS_PAGE) }))
        .route("/broken.html", get(|| async { r#"<script type="application/ld+json">{"@type":"JobPosting","title":</script>"# }))
        .route("/feed/snapshot", get(|| async {
            r#"{"items":[
              {"id":"F-1","title":"Phụ hồ","employer":"Công ty CP Xây dựng Sông Hồng","location":"Phường Ba Đình, Hà Nội","salary":"300k/ngày","description":"Phụ hồ công trình"},
              {"id":"F-2","title":"Thợ điện","employer":"Công ty CP Xây dựng Sông Hồng","location":"Phường Ba Đình, Hà Nội","salary":"10 - 12 triệu","description":"Đi dây điện"}
            ],"next":"c1"}"#
        }))
        .route("/feed/changes", get(|State(hits): State<Hits>, Query(query): Query<std::collections::HashMap<String, String>>| async move {
            hits.since.lock().unwrap().push(query.get("since").cloned().unwrap_or_default());
            r#"{"changes":[
              {"id":"F-1","title":"Phụ hồ","employer":"Công ty CP Xây dựng Sông Hồng","location":"Phường Ba Đình, Hà Nội","salary":"350k/ngày","description":"Phụ hồ công trình"},
              {"id":"F-2","removed":true}
            ],"next":"c2"}"#
        }))
        .with_state(hits);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

/// A server that streams a chunked body larger than any test limit, with no Content-Length.
async fn start_chunked() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 1024];
                let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut request).await;
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n").await;
                let chunk = vec![b'y'; 64 * 1024];
                for _ in 0..64 {
                    let head = format!("{:x}\r\n", chunk.len());
                    if socket.write_all(head.as_bytes()).await.is_err() || socket.write_all(&chunk).await.is_err() || socket.write_all(b"\r\n").await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    format!("http://{address}")
}

fn policy() -> FetchPolicy {
    FetchPolicy {
        timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(300),
        max_retries: 3,
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        max_body_bytes: 1024 * 1024,
        min_interval: Duration::ZERO,
        extra_root_certificates_pem: Vec::new(),
    }
}

/// An HTTPS server on loopback for `localhost`, its certificate issued by a throwaway CA (not
/// in the system's roots); answers every request with `page`. Returns the base URL and the
/// CA certificate (PEM).
async fn start_https(page: &'static str) -> (String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::PrivateKeyDer;

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "Cau Noi test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_owned()]).unwrap().signed_by(&server_key, &ca).unwrap();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![server_cert.der().clone()], PrivateKeyDer::try_from(server_key.serialize_der()).unwrap())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to answer.
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tokio::io::AsyncReadExt::read(&mut tls, &mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", page.len());
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(page.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), ca.pem())
}

#[tokio::test]
async fn timeouts_are_retried_then_reported() {
    let base = start(Hits::default()).await;
    let fetcher = Fetcher::new(FetchPolicy { max_retries: 1, ..policy() }, None).unwrap();
    match fetcher.get(&format!("{base}/slow"), &Validators::default()).await {
        Err(FetchError::GaveUp { attempts, last }) => {
            assert_eq!(attempts, 2);
            assert!(matches!(*last, FetchError::Timeout { .. }), "{last}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn conditional_requests_get_304() {
    let base = start(Hits::default()).await;
    let fetcher = Fetcher::new(policy(), None).unwrap();
    for path in ["/etag", "/modified"] {
        let url = format!("{base}{path}");
        let Fetched::Body { validators, .. } = fetcher.get(&url, &Validators::default()).await.unwrap() else { panic!("first fetch of {path}") };
        assert!(validators.etag.is_some() || validators.last_modified.is_some(), "{path}: {validators:?}");
        assert_eq!(fetcher.get(&url, &validators).await.unwrap(), Fetched::NotModified, "{path}");
    }
}

#[tokio::test]
async fn server_errors_are_retried_until_success_and_client_errors_are_not() {
    let hits = Hits::default();
    let base = start(hits.clone()).await;
    let fetcher = Fetcher::new(policy(), None).unwrap();
    match fetcher.get(&format!("{base}/flaky"), &Validators::default()).await.unwrap() {
        Fetched::Body { bytes, .. } => assert_eq!(bytes, b"ok"),
        other => panic!("{other:?}"),
    }
    assert_eq!(hits.flaky.load(Ordering::SeqCst), 3, "two 503s, then success");
    let error = fetcher.get(&format!("{base}/missing"), &Validators::default()).await.unwrap_err();
    assert!(matches!(error, FetchError::Status { status: 404, .. }), "{error}");
    assert_eq!(hits.missing.load(Ordering::SeqCst), 1, "a 404 is not retried");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_or_without_a_length() {
    let base = start(Hits::default()).await;
    let fetcher = Fetcher::new(policy(), None).unwrap();
    let error = fetcher.get(&format!("{base}/big"), &Validators::default()).await.unwrap_err();
    assert!(matches!(error, FetchError::TooLarge { limit: 1_048_576, .. }), "{error}");
    let chunked = start_chunked().await;
    let error = fetcher.get(&format!("{chunked}/stream"), &Validators::default()).await.unwrap_err();
    assert!(matches!(error, FetchError::TooLarge { .. }), "{error}");
}

#[tokio::test]
async fn requests_to_a_source_respect_its_minimum_interval() {
    let base = start(Hits::default()).await;
    let fetcher = Fetcher::new(FetchPolicy { min_interval: Duration::from_millis(150), ..policy() }, None).unwrap();
    let started = Instant::now();
    for _ in 0..3 {
        fetcher.get(&format!("{base}/etag"), &Validators::default()).await.unwrap();
    }
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[test]
fn backoff_grows_exponentially_within_its_cap_with_jitter() {
    let fetcher = Fetcher::new(FetchPolicy { backoff_base: Duration::from_millis(100), backoff_max: Duration::from_millis(1_000), ..policy() }, None).unwrap();
    for attempt in 0..8 {
        let ceiling = Duration::from_millis((100u64 << attempt).min(1_000));
        let delays: Vec<Duration> = (0..50).map(|_| fetcher.backoff(attempt)).collect();
        assert!(delays.iter().all(|d| *d <= ceiling), "attempt {attempt}");
        if attempt > 0 {
            assert!(delays.iter().any(|d| *d != delays[0]), "jitter varies the delay");
        }
    }
}

#[tokio::test]
async fn json_ld_pages_and_feeds_are_pulled_into_the_store() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let hits = Hits::default();
        let base = start(hits.clone()).await;
        let pages = SourceConfig {
            name: "trang-viec-lam".to_owned(),
            kind: SourceKind::JsonLd { urls: vec![format!("{base}/jobs.html"), format!("{base}/broken.html")] },
            interval_secs: 60,
            auth_header: None,
            timeout_secs: Some(2),
            max_body_bytes: None,
            max_retries: Some(0),
            min_request_interval_ms: Some(0),
            ca_certificate_file: None,
        };
        let fetcher = pages.fetcher().unwrap();
        let first = pull_once(&db.store, &pages, &fetcher).await.unwrap();
        assert_eq!((first.counts.inserted, first.counts.quarantined), (1, 1), "{}: {:?}", db.backend_name(), first.counts);
        let second = pull_once(&db.store, &pages, &fetcher).await.unwrap();
        assert_eq!((second.counts.received, second.counts.inserted, second.counts.quarantined), (1, 0, 1), "jobs.html answers 304");
        let quarantined = store_ingest::quarantine(&db.store, Some("trang-viec-lam"), 10).await.unwrap();
        assert!(quarantined.iter().all(|q| q.code == "jsonld.malformed"), "{quarantined:?}");

        let feed = SourceConfig {
            name: "doi-tac-feed".to_owned(),
            kind: SourceKind::Feed { snapshot_url: format!("{base}/feed/snapshot"), changes_url: format!("{base}/feed/changes") },
            ..pages.clone()
        };
        let fetcher = feed.fetcher().unwrap();
        let snapshot = pull_once(&db.store, &feed, &fetcher).await.unwrap();
        assert_eq!(snapshot.counts.inserted, 2, "{:?}", snapshot.counts);
        let changes = pull_once(&db.store, &feed, &fetcher).await.unwrap();
        assert_eq!((changes.counts.updated, changes.counts.removed), (1, 1), "{:?}", changes.counts);
        assert_eq!(hits.since.lock().unwrap().as_slice(), ["c1"]);
        let edited = store_ingest::link(&db.store, "doi-tac-feed", "F-1").await.unwrap().unwrap();
        let vacancy = caunoi_store::records::get_vacancy(&db.store, caunoi_domain::VacancyId(edited.vacancy_id)).await.unwrap();
        assert_eq!(vacancy.salary.min(), Some(350_000));
        let removed = store_ingest::link(&db.store, "doi-tac-feed", "F-2").await.unwrap().unwrap();
        let closed = caunoi_store::records::get_vacancy(&db.store, caunoi_domain::VacancyId(removed.vacancy_id)).await.unwrap();
        assert_eq!(closed.status, caunoi_domain::VacancyStatus::Closed);
        let state = store_ingest::source_state(&db.store, "doi-tac-feed").await.unwrap().unwrap();
        assert_eq!(state["cursor"], "c2");
    }
}

#[tokio::test]
async fn https_sources_are_verified_and_a_source_can_trust_its_own_ca() {
    let (base, ca_pem) = start_https(JOBS_PAGE).await;
    let url = format!("{base}/jobs.html");
    let https_policy = FetchPolicy { timeout: Duration::from_secs(5), connect_timeout: Duration::from_secs(5), max_retries: 0, ..policy() };

    // The system's roots do not know the test CA: refused, and the message says why.
    let untrusted = Fetcher::new(https_policy.clone(), None).unwrap();
    let error = untrusted.get(&url, &Validators::default()).await.unwrap_err();
    assert!(matches!(&error, FetchError::Transport { reason, .. } if reason.contains("certificate")), "{error}");

    let trusted = Fetcher::new(FetchPolicy { extra_root_certificates_pem: ca_pem.clone().into_bytes(), ..https_policy }, None).unwrap();
    let Fetched::Body { bytes, .. } = trusted.get(&url, &Validators::default()).await.unwrap() else { panic!("no body") };
    assert_eq!(bytes, JOBS_PAGE.as_bytes());

    // A scheduled source names its CA in the sources file and is pulled into the store.
    let directory = tempfile::tempdir().unwrap();
    let ca_file = directory.path().join("doi-tac-ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let source: SourceConfig = serde_json::from_value(serde_json::json!({
            "name": "trang-https", "kind": "json_ld", "urls": [url],
            "timeout_secs": 5, "max_retries": 0, "min_request_interval_ms": 0,
            "ca_certificate_file": ca_file,
        }))
        .unwrap();
        let report = pull_once(&db.store, &source, &source.fetcher().unwrap()).await.unwrap();
        assert_eq!(report.counts.inserted, 1, "{}: {:?}", db.backend_name(), report.counts);
    }
}
