//! HTTP pulls for one source: conditional requests (ETag / Last-Modified → 304), a total and a
//! connect timeout, retries of transient failures (timeouts, connection errors, 5xx, 429) with
//! exponential backoff and full jitter, a body-size limit enforced while streaming, and a
//! minimum interval between requests (the source's rate limit).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ETAG, HeaderName, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER};
use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("Hết thời gian chờ khi tải {url} (timed out)")]
    Timeout { url: String },
    #[error("Máy chủ trả lời {status} cho {url} (HTTP {status})")]
    Status { url: String, status: u16 },
    #[error("Nội dung tại {url} vượt giới hạn {limit} byte (body larger than the limit)")]
    TooLarge { url: String, limit: usize },
    #[error("Không kết nối được tới {url}: {reason} (transport error)")]
    Transport { url: String, reason: String },
    #[error("Bỏ cuộc sau {attempts} lần thử: {last} (gave up)")]
    GaveUp { attempts: u32, last: Box<FetchError> },
}

impl FetchError {
    fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Status { status, .. } => *status >= 500 || *status == 429,
            Self::TooLarge { .. } | Self::GaveUp { .. } => false,
        }
    }
}

/// How one source is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub max_body_bytes: usize,
    /// Minimum time between two requests to the source.
    pub min_interval: Duration,
    /// PEM certificates trusted for HTTPS besides the system's roots (a partner's private CA);
    /// empty for none.
    pub extra_root_certificates_pem: Vec<u8>,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 4,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_body_bytes: 50 * 1024 * 1024,
            min_interval: Duration::from_secs(1),
            extra_root_certificates_pem: Vec::new(),
        }
    }
}

/// Validators of a previous response, sent back to get a 304 when nothing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    NotModified,
    Body { bytes: Vec<u8>, validators: Validators },
}

/// A client for one source (its rate limit is per fetcher).
pub struct Fetcher {
    client: reqwest::Client,
    policy: FetchPolicy,
    auth: Option<(HeaderName, HeaderValue)>,
    last_request: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for Fetcher {
    // The auth header is a secret: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("policy", &self.policy).field("auth", &self.auth.as_ref().map(|(name, _)| name)).finish()
    }
}

impl Fetcher {
    /// `auth` is a header name and value (e.g. `Authorization: Bearer …`).
    pub fn new(policy: FetchPolicy, auth: Option<(String, String)>) -> Result<Self, FetchError> {
        let transport = |reason: String| FetchError::Transport { url: String::new(), reason };
        let mut builder = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.connect_timeout)
            .user_agent(concat!("caunoi-ingest/", env!("CARGO_PKG_VERSION")));
        if !policy.extra_root_certificates_pem.is_empty() {
            let roots = reqwest::Certificate::from_pem_bundle(&policy.extra_root_certificates_pem)
                .map_err(|e| transport(format!("extra root certificates: {e}")))?;
            builder = builder.tls_certs_merge(roots);
        }
        let client = builder.build().map_err(|e| transport(e.to_string()))?;
        let auth = auth
            .map(|(name, value)| {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| transport(format!("auth header name: {e}")))?;
                let mut value = HeaderValue::from_str(&value).map_err(|_| transport("auth header value is not valid header text".to_owned()))?;
                value.set_sensitive(true);
                Ok::<_, FetchError>((name, value))
            })
            .transpose()?;
        Ok(Self { client, policy, auth, last_request: Mutex::new(None) })
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// GET with retries; a 304 is [`Fetched::NotModified`].
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut attempt = 0;
        loop {
            let (result, retry_after) = self.attempt(url, validators).await;
            match result {
                Ok(fetched) => return Ok(fetched),
                Err(error) if error.is_transient() && attempt < self.policy.max_retries => {
                    let delay = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    tracing::debug!(url, attempt, delay_ms = delay.as_millis() as u64, %error, "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) if attempt > 0 => return Err(FetchError::GaveUp { attempts: attempt + 1, last: Box::new(error) }),
                Err(error) => return Err(error),
            }
        }
    }

    /// Exponential backoff with full jitter: uniform in [0, min(max, base · 2^attempt)].
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.policy.backoff_base.saturating_mul(2u32.saturating_pow(attempt)).min(self.policy.backoff_max);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }

    /// Waits until the source's minimum interval since the previous request has passed.
    async fn wait_turn(&self) {
        let mut last = self.last_request.lock().await;
        if let Some(previous) = *last {
            tokio::time::sleep_until(previous + self.policy.min_interval).await;
        }
        *last = Some(Instant::now());
    }

    async fn attempt(&self, url: &str, validators: &Validators) -> (Result<Fetched, FetchError>, Option<Duration>) {
        self.wait_turn().await;
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, modified);
        }
        if let Some((name, value)) = &self.auth {
            request = request.header(name.clone(), value.clone());
        }
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                FetchError::Timeout { url: url.to_owned() }
            } else {
                FetchError::Transport { url: url.to_owned(), reason: with_causes(&e) }
            }
        };
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => return (Err(transport(error)), None),
        };
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return (Ok(Fetched::NotModified), None);
        }
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|seconds| Duration::from_secs(seconds).min(self.policy.backoff_max));
            return (Err(FetchError::Status { url: url.to_owned(), status: status.as_u16() }), retry_after);
        }
        let limit = self.policy.max_body_bytes;
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return (Err(FetchError::TooLarge { url: url.to_owned(), limit }), None);
        }
        let header = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
        let validators = Validators { etag: header(ETAG), last_modified: header(LAST_MODIFIED) };
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return (Err(FetchError::TooLarge { url: url.to_owned(), limit }), None);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => return (Err(transport(error)), None),
            }
        }
        (Ok(Fetched::Body { bytes, validators }), None)
    }
}

/// An error with its chain of causes ("error sending request …: invalid peer certificate:
/// UnknownIssuer"): the outer message of a transport error rarely says what went wrong.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let message = inner.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = inner.source();
    }
    text
}
