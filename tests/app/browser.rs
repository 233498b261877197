//! A real browser for the web tests: Debian's Chromium, headless, driven through ChromeDriver's
//! W3C WebDriver protocol (plain HTTP + JSON, so reqwest is the whole client). Screenshots go to
//! `target/web-screenshots/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// W3C WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    client: reqwest::Client,
    session_url: String,
    driver: Child,
    _profile: tempfile::TempDir,
    screenshots: PathBuf,
}

/// Whether the browser tests may be skipped on this machine. CI installs Chromium and sets
/// `CAUNOI_REQUIRE_BROWSER=1`, so there a missing browser fails the run instead.
pub fn available() -> bool {
    let present = std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(std::env::var_os("CAUNOI_REQUIRE_BROWSER").is_none(), "CAUNOI_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing");
        eprintln!("skipping browser test: install Debian's chromium and chromium-driver to run it");
    }
    present
}

/// Writes a grey `width`×`height` picture (one byte per pixel, row by row) as a Y4M video of a
/// few identical frames: the format Chromium's fake camera plays.
pub fn write_y4m(path: &std::path::Path, width: usize, height: usize, grey: &[u8]) {
    assert_eq!(grey.len(), width * height, "one byte per pixel");
    let mut video = format!("YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    let chroma = vec![128u8; 2 * (width / 2) * (height / 2)];
    for _ in 0..10 {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(grey);
        video.extend_from_slice(&chroma);
    }
    std::fs::write(path, video).unwrap();
}

impl Browser {
    /// A fresh headless Chromium with its own profile, as a phone (see [`Browser::as_phone`]).
    pub async fn start() -> Self {
        Self::launch(&[]).await
    }

    /// A phone whose camera films `video` (a Y4M file, see [`write_y4m`]) in a loop, and whose user
    /// allows the camera when asked.
    pub async fn start_with_camera(video: &std::path::Path) -> Self {
        Self::launch(&[
            "--use-fake-device-for-media-stream".to_owned(),
            "--use-fake-ui-for-media-stream".to_owned(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ])
        .await
    }

    async fn launch(extra_args: &[String]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while client.get(format!("{base}/status")).send().await.is_err() {
            assert!(started.elapsed() < WAIT, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        // The machine has no internet: background connections would only fail.
        let mut args: Vec<String> = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,900", "--lang=vi"]
            .map(str::to_owned)
            .to_vec();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.extend_from_slice(extra_args);
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
        }}});
        let response: Value = client.post(format!("{base}/session")).json(&capabilities).send().await.unwrap().json().await.unwrap();
        let session = response["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {response}")).to_owned();
        let screenshots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/web-screenshots");
        std::fs::create_dir_all(&screenshots).unwrap();
        let browser = Self { client, session_url: format!("{base}/session/{session}"), driver, _profile: profile, screenshots };
        browser.as_phone().await;
        browser
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let request = self.client.request(method, format!("{}{path}", self.session_url));
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        let response: Value = request.send().await.unwrap().json().await.unwrap();
        response["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.command(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn goto(&self, url: &str) {
        let value = self.post("/url", json!({"url": url})).await;
        assert!(value.is_null(), "navigate to {url}: {value}");
    }

    /// A phone's screen, 360 × 780 CSS pixels (headless windows cannot be narrower than 500,
    /// so the page is told the device's metrics through the DevTools protocol).
    pub async fn as_phone(&self) {
        let metrics = json!({"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": true});
        let value = self.post("/goog/cdp/execute", json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": metrics})).await;
        assert!(value.is_object(), "emulate a phone: {value}");
    }

    /// An office PC's window.
    pub async fn as_desktop(&self) {
        self.post("/goog/cdp/execute", json!({"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}})).await;
        self.post("/window/rect", json!({"width": 1280, "height": 900})).await;
    }

    /// The element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let value = self.post("/element", json!({"using": "css selector", "value": css})).await;
            if let Some(id) = value[ELEMENT].as_str() {
                return id.to_owned();
            }
            assert!(started.elapsed() < WAIT, "no element {css} on {}: {value}\n{}", self.url().await, self.text("body").await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        let value = self.post(&format!("/element/{id}/click"), json!({})).await;
        assert!(value.is_null(), "click {css}: {value}");
    }

    /// Types into a field (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.post(&format!("/element/{id}/clear"), json!({})).await;
        let value = self.post(&format!("/element/{id}/value"), json!({"text": text})).await;
        assert!(value.is_null(), "type into {css}: {value}");
    }

    /// Chooses an option of a select by its value.
    pub async fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]")).await;
    }

    pub async fn text(&self, css: &str) -> String {
        let value = self.post("/element", json!({"using": "css selector", "value": css})).await;
        let Some(id) = value[ELEMENT].as_str() else { return String::new() };
        self.command(reqwest::Method::GET, &format!("/element/{id}/text"), None).await.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the element shows text containing `needle` (any text, for ""); returns it.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.text(css).await;
            if !text.trim().is_empty() && text.contains(needle) {
                return text;
            }
            assert!(started.elapsed() < WAIT, "{css} never said {needle:?}; it says {text:?} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element no longer shows `needle`.
    pub async fn wait_until_gone(&self, css: &str, needle: &str) {
        let started = Instant::now();
        while self.text(css).await.contains(needle) {
            assert!(started.elapsed() < WAIT, "{css} still says {needle:?} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the address contains `needle`.
    pub async fn wait_for_url(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let url = self.url().await;
            if url.contains(needle) {
                return url;
            }
            assert!(started.elapsed() < WAIT, "never reached {needle}; at {url}: {}", self.text("body").await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn url(&self) -> String {
        self.command(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// Runs a script in the page and returns its result.
    pub async fn script(&self, source: &str) -> Value {
        self.post("/execute/sync", json!({"script": source, "args": []})).await
    }

    /// Waits until a script returns `true`.
    pub async fn wait_for_script(&self, source: &str, what: &str) {
        let started = Instant::now();
        while self.script(source).await != Value::Bool(true) {
            assert!(started.elapsed() < WAIT, "never true: {what} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page fits the screen's width: nothing needs sideways scrolling.
    pub async fn assert_fits_width(&self) {
        let widths = self.script("return [window.innerWidth, document.documentElement.scrollWidth]").await;
        assert!(widths[1].as_i64() <= widths[0].as_i64(), "sideways scrolling on {}: {widths}", self.url().await);
    }

    /// Saves a PNG of the viewport as `target/web-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let value = self.command(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.screenshots.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn quit(mut self) {
        self.command(reqwest::Method::DELETE, "", None).await;
        self.driver.kill().ok();
        self.driver.wait().ok();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test still stops its driver (and with it the browser).
        self.driver.kill().ok();
    }
}
