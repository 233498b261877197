//! The web pages: first over plain HTTP (what a phone without script gets, both languages, page
//! weight, who may open what), then the main journeys of each kind of user in a real headless
//! Chromium — a seeker searches "tho han" and takes a place at a fair, staff approve a booth,
//! check the seeker in by ticket code and record a hire, an employer posts a vacancy that staff
//! publish and that then appears in search. Screenshots go to `target/web-screenshots/`.

use caunoi_domain::access::Role;
use caunoi_domain::records::{VacancyStatus, Workplace};
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::testing::backends;
use base64::Engine as _;
use serde_json::{Value, json};

use crate::browser::{self, Browser};
use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

fn ba_dinh_staff() -> Role {
    Role::CommuneStaff { commune: CommuneCode::parse("00004").unwrap(), province: ProvinceCode::parse("01").unwrap() }
}

/// A welding job in Ba Đình, so "tho han" has something to find whatever the demo data holds.
async fn welding_vacancy(app: &TestApp) -> caunoi_domain::records::Vacancy {
    let today = caunoi_api::today();
    let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 200).await.unwrap();
    let mut welding = vacancies
        .into_iter()
        .find(|v| matches!(v.workplace, Workplace::Domestic { .. }) && v.status == VacancyStatus::Open && v.deadline.is_none_or(|d| d >= today))
        .unwrap();
    welding.id = caunoi_domain::records::VacancyId(uuid::Uuid::now_v7());
    welding.title = "Thợ hàn MIG/MAG kết cấu thép".into();
    welding.description = "Hàn kết cấu thép nhà xưởng bằng máy hàn MIG. Làm việc tại phường Ba Đình.".into();
    welding.occupation = caunoi_domain::IscoCode::parse("7212").unwrap();
    welding.workplace = Workplace::Domestic { commune_code: CommuneCode::parse("00004").unwrap() };
    welding.fair_id = None;
    caunoi_store::records::insert_vacancy(&app.db.store, welding.clone()).await.unwrap();
    app.catch_up().await;
    welding
}

/// Pages are small: a seeker on a weak connection downloads a few tens of KB.
const MAX_PAGE_BYTES: usize = 60 * 1024;

#[tokio::test]
async fn pages_work_without_script_in_vietnamese_and_english() {
    let app = spawn_app(backends()[0]).await;
    welding_vacancy(&app).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = |path: &str| client.get(format!("{}{path}", app.address));

    // Search without script: results, facet counts and highlighted words in the HTML itself.
    let response = page("/viec-lam?q=tho+han").send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!doctype html>\n<html lang=\"vi\">"), "Vietnamese by default");
    assert!(html.contains("Tìm thấy <strong>"), "a count of results");
    let first_hit = html.split("<li class=\"hit\">").nth(1).expect("at least one hit for tho han");
    assert!(first_hit.to_lowercase().contains("hàn"), "a welding job first: {first_hit}");
    assert!(html.contains("<b>"), "matched words are highlighted");
    assert!(html.contains("class=\"facet\""), "facets with counts");
    assert!(html.len() < MAX_PAGE_BYTES, "search page is {} bytes", html.len());
    // Empty filter fields from the form are no filters; hostile text is shown escaped.
    let filtered = page("/viec-lam?q=%3Cscript%3Ealert(1)%3C/script%3E&province=&overseas=&sort=").send().await.unwrap();
    assert_eq!(filtered.status(), 200);
    let filtered = filtered.text().await.unwrap();
    assert!(!filtered.contains("<script>alert"), "escaped");
    assert!(filtered.contains("&lt;script&gt;"));
    let bad_sort = page("/viec-lam?q=may&sort=cheapest").send().await.unwrap().text().await.unwrap();
    assert!(bad_sort.contains("role=\"alert\""), "a bad parameter is said on the page, not an error page");

    // The vacancy page carries schema.org JobPosting for search engines.
    let id = first_hit.split("href=\"/viec-lam/").nth(1).unwrap().split('"').next().unwrap();
    let vacancy = page(&format!("/viec-lam/{id}")).send().await.unwrap().text().await.unwrap();
    let json_ld = vacancy.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let posting: Value = serde_json::from_str(json_ld).unwrap();
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["identifier"], id);
    assert!(posting["hiringOrganization"]["name"].is_string());
    assert_eq!(page("/viec-lam/not-a-uuid").send().await.unwrap().status(), 404);

    // English on a switch, remembered in a cookie; the switch never leaves the site.
    let switch = page("/ngon-ngu/en?next=/viec-lam%3Fq%3Dmay").send().await.unwrap();
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/viec-lam?q=may");
    let cookie = switch.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(cookie, "caunoi_lang=en");
    let english = page("/viec-lam?q=may").header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Find a job"), "English page");
    let fairs = page("/phien-giao-dich").header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(fairs.contains("Job fairs") && !fairs.contains("[["), "shell pages are translated too");
    let outside = page("/ngon-ngu/vi?next=//evil.example/").send().await.unwrap();
    assert_eq!(outside.headers()["location"], "/");

    // Who may open what: anonymous visitors are sent to sign in, others told the page is not theirs.
    let profile = page("/ca-nhan").send().await.unwrap();
    assert_eq!(profile.status(), 303);
    assert_eq!(profile.headers()["location"], "/dang-nhap?next=/ca-nhan");
    let seeker = app.signed_in("xem@example.vn", Role::Seeker { worker: None }).await;
    let staff_page = page("/can-bo").bearer_auth(&seeker).send().await.unwrap();
    assert_eq!(staff_page.status(), 403);
    assert!(staff_page.text().await.unwrap().contains("không dành cho tài khoản của bạn"));
    assert_eq!(page("/phien-giao-dich/%3Cx%3E").send().await.unwrap().status(), 404, "path values are ids, never echoed");

    // Every page opens for its audience, is small and loads nothing from another site.
    let staff = app.signed_in("canbo@example.vn", ba_dinh_staff()).await;
    let employer = {
        let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 1).await.unwrap();
        app.signed_in("hr-web@example.vn", Role::Employer { employer: vacancies[0].employer_id, placement_enterprise: false }).await
    };
    let some_id = "0190f1d2-0000-7000-8000-000000000001";
    for (path, token) in [
        ("/dang-nhap", None),
        ("/dang-ky", None),
        ("/phien-giao-dich", None),
        ("/nuoc-ngoai", None),
        ("/nuoc-ngoai/kiem-tra", None),
        ("/hoc-nghe", None),
        ("/ca-nhan", Some(&seeker)),
        ("/ca-nhan/goi-y", Some(&seeker)),
        ("/doanh-nghiep", Some(&employer)),
        ("/doanh-nghiep/dang-tin", Some(&employer)),
        ("/doanh-nghiep/tai-tep", Some(&employer)),
        ("/can-bo", Some(&staff)),
        ("/can-bo/dang-ky-lao-dong", Some(&staff)),
        ("/can-bo/phien-giao-dich", Some(&staff)),
        ("/can-bo/nuoc-ngoai", Some(&staff)),
        ("/can-bo/cach-ly", Some(&staff)),
        ("/can-bo/ke-hoach", Some(&staff)),
        ("/can-bo/dao-tao", Some(&staff)),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_owned(), t))
    .chain([
        (format!("/phien-giao-dich/{some_id}"), None),
        (format!("/nuoc-ngoai/don-hang/{some_id}"), None),
        (format!("/doanh-nghiep/viec-lam/{some_id}"), Some(&employer)),
        (format!("/ung-vien/{some_id}"), Some(&staff)),
        (format!("/can-bo/phien-giao-dich/{some_id}"), Some(&staff)),
        (format!("/can-bo/phien-giao-dich/{some_id}/check-in"), Some(&staff)),
    ]) {
        let request = page(&path);
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.len() < MAX_PAGE_BYTES, "{path} is {} bytes", html.len());
        assert!(!html.contains("[[") && !html.contains("{{"), "{path} has an unresolved placeholder");
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "{path} loads from another site");
        assert!(html.contains("<h1"), "{path} has a heading");
    }
    // The upload template's headers are ones the reader maps.
    let template = page("/static/mau-tin-tuyen-dung.csv").send().await.unwrap().text().await.unwrap();
    let headers: Vec<&str> = template.trim_start_matches('\u{feff}').trim_end().split(',').collect();
    assert!(headers.contains(&"Vị trí tuyển dụng") && headers.contains(&"Mã xã"), "{headers:?}");
    assert!(headers.iter().all(|h| caunoi_ingest::sources::table::field_for_header(h).is_some()), "{headers:?}");
    let script = page("/static/app.js").send().await.unwrap();
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    let assets = script.bytes().await.unwrap().len() + page("/static/app.css").send().await.unwrap().bytes().await.unwrap().len();
    assert!(assets < 40 * 1024, "script and style are {assets} bytes");
    // The QR decoder for browsers without BarcodeDetector is ours to serve, compressed on the wire;
    // no page loads it up front.
    let decoder = page("/static/jsqr.js").header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!((decoder.status().as_u16(), decoder.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned())), (200, Some("gzip".to_owned())));
    let check_in = page(&format!("/can-bo/phien-giao-dich/{some_id}/check-in")).bearer_auth(&staff).send().await.unwrap().text().await.unwrap();
    assert!(!check_in.contains("jsqr.js"), "fetched only when needed");
}

/// An employer's CSV: good rows become drafts under the employer's own name, a bad row comes
/// back with its field and reason, and the same file again changes nothing.
#[tokio::test]
async fn an_employer_uploads_a_csv_and_sees_each_rejected_row() {
    for backend in backends() {
        let app = spawn_app(backend).await;
        let vacancies = caunoi_store::records::vacancies_after(&app.db.store, None, 1).await.unwrap();
        let own = vacancies[0].employer_id;
        let employer = app.signed_in("tai-tep@example.vn", Role::Employer { employer: own, placement_enterprise: false }).await;
        let csv = "Mã tin,Vị trí tuyển dụng,Tên doanh nghiệp,Mức lương,Mã xã,Mã nghề,Mô tả công việc,Số lượng\n\
            T-1,Thợ hàn ống,Công ty Khác Hẳn,9 - 13 triệu,00004,7212,Hàn ống áp lực,3\n\
            T-2,Công nhân may,Công ty Khác Hẳn,7 - 9 triệu,00004,7533,May công nghiệp,10\n\
            T-3,Thợ điện,Công ty Khác Hẳn,8 triệu,99999,7411,Lắp điện,2\n";
        let upload = |token: Option<&str>| {
            let request = app.client.post(format!("{}/api/v1/vacancies/upload", app.address)).header("content-type", "text/csv").body(csv);
            match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            }
        };
        assert_eq!(upload(None).send().await.unwrap().status(), 401);
        let staff = app.signed_in("canbo-tai@example.vn", ba_dinh_staff()).await;
        assert_eq!(upload(Some(&staff)).send().await.unwrap().status(), 403, "staff import through /vacancies/import");
        let first = upload(Some(&employer)).send().await.unwrap();
        assert_eq!(first.status(), 200, "on {}", app.db.backend_name());
        let report = json_of(first).await;
        assert_eq!((report["counts"]["inserted"].as_u64(), report["counts"]["quarantined"].as_u64()), (Some(2), Some(1)), "{report}");
        let rejected = report["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!((rejected[0]["external_id"].as_str(), rejected[0]["row"].as_i64()), (Some("T-3"), Some(4)), "the row as the sheet numbers it");
        assert!(rejected[0]["field"].as_str().unwrap().contains("commune"), "{report}");
        assert!(rejected[0]["raw"].as_str().unwrap().contains("Thợ điện"), "the row as read");
        // Posted as the caller's employer, waiting for review.
        let mine = json_of(app.get_as("/api/v1/vacancies/mine", &employer).await).await;
        let uploaded: Vec<&Value> = mine.as_array().unwrap().iter().filter(|v| v["title"] == "Thợ hàn ống" || v["title"] == "Công nhân may").collect();
        assert_eq!(uploaded.len(), 2, "{mine}");
        assert!(uploaded.iter().all(|v| v["status"] == "draft" && v["employer_id"] == own.0.to_string()));
        let review = json_of(app.get_as("/api/v1/vacancies/review", &staff).await).await;
        assert!(review.as_array().unwrap().iter().any(|v| v["title"] == "Thợ hàn ống"), "staff of the commune see it for review: {review}");
        assert_eq!(app.get_as("/api/v1/vacancies/review", &employer).await.status(), 403);
        let again = json_of(upload(Some(&employer)).send().await.unwrap()).await;
        assert_eq!((again["counts"]["inserted"].as_u64(), again["counts"]["unchanged"].as_u64()), (Some(0), Some(2)), "{again}");
        // The same template as an XLSX workbook, as staff fill it in Excel.
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, line) in csv.lines().enumerate() {
            for (column, cell) in line.split(',').enumerate() {
                let cell = if row == 0 { cell.to_owned() } else { cell.replace("T-", "X-") };
                sheet.write_string(row as u32, column as u16, cell).unwrap();
            }
        }
        let xlsx = workbook.save_to_buffer().unwrap();
        let sheet_upload = app
            .client
            .post(format!("{}/api/v1/vacancies/upload", app.address))
            .bearer_auth(&employer)
            .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .body(xlsx)
            .send()
            .await
            .unwrap();
        assert_eq!(sheet_upload.status(), 200);
        let sheet_report = json_of(sheet_upload).await;
        assert_eq!(
            (sheet_report["counts"]["inserted"].as_u64(), sheet_report["rejected"][0]["external_id"].as_str(), sheet_report["rejected"][0]["row"].as_i64()),
            (Some(2), Some("X-3"), Some(4)),
            "{sheet_report}"
        );
        let unreadable = app.client.post(format!("{}/api/v1/vacancies/upload", app.address)).bearer_auth(&employer).header("content-type", "text/csv").body("a,b\n1,2\n").send().await.unwrap();
        assert_eq!(unreadable.status(), 422);
        assert_eq!(json_of(unreadable).await["error"]["code"], "UNREADABLE_FILE");
    }
}

/// A fair in Ba Đình open for registration and an employer with a welding job there; returns
/// the fair id, the employer's login and the vacancy.
async fn fair_open_for_registration(app: &TestApp, staff: &str) -> (String, String, caunoi_domain::records::Vacancy) {
    let starts = chrono::Utc::now() + chrono::Duration::days(7);
    let plan = json!({
        "code": "PGD-WEB-0001", "title": "Phiên giao dịch việc làm phường Ba Đình", "format": "onsite", "organiser": "Trung tâm Dịch vụ việc làm Hà Nội",
        "commune_code": "00004", "venue": "Nhà văn hóa phường", "starts_at": starts, "ends_at": starts + chrono::Duration::hours(6), "capacity": 50
    });
    let created = app.post("/api/v1/fairs", Some(staff), plan).await;
    assert_eq!(created.status(), 201);
    let fair = json_of(created).await["id"].as_str().unwrap().to_owned();
    for to in ["announced", "registration_open"] {
        assert_eq!(app.post(&format!("/api/v1/fairs/{fair}/status"), Some(staff), json!({"to": to})).await.status(), 200);
    }
    let vacancy = welding_vacancy(app).await;
    app.account("hr-fair@example.vn", Role::Employer { employer: vacancy.employer_id, placement_enterprise: false }).await;
    (fair, "hr-fair@example.vn".to_owned(), vacancy)
}

async fn sign_in_through_the_page(browser: &Browser, app: &TestApp, login: &str, next: &str) {
    browser.goto(&format!("{}/dang-nhap?next={next}", app.address)).await;
    browser.fill("input[name=login]", login).await;
    browser.fill("input[name=password]", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    // The whole address: the sign-in page's own address names `next` too.
    browser.wait_for_url(&format!("{}{next}", app.address)).await;
}

async fn sign_out(browser: &Browser) {
    browser.click("[data-sign-out]").await;
    browser.wait_for_text("body", "Dành cho ai").await;
}

#[tokio::test]
async fn seekers_staff_and_employers_go_through_their_journeys_in_a_browser() {
    if !browser::available() {
        return;
    }
    for backend in backends() {
        let app = spawn_app(backend).await;
        let staff_token = app.signed_in("xa-web@example.vn", ba_dinh_staff()).await;
        let (fair, employer_login, welding) = fair_open_for_registration(&app, &staff_token).await;
        let (welding_id, welding_title) = (welding.id.0, welding.title.clone());
        // "Near me": within the radius, nearest first; a commune at the other end of the country has none.
        let near = json_of(app.get("/api/v1/fairs?near=00004&radius_km=5").await).await;
        assert!(near.as_array().unwrap().iter().any(|f| f["id"] == fair.as_str()), "{near}");
        let ca_mau = caunoi_domain::AdminCatalog::embedded().communes_of(&ProvinceCode::parse("96").unwrap()).next().unwrap().code.clone();
        let far = json_of(app.get(&format!("/api/v1/fairs?near={}&radius_km=30", ca_mau.as_str())).await).await;
        assert!(!far.as_array().unwrap().iter().any(|f| f["id"] == fair.as_str()), "{far}");
        assert_eq!(app.get("/api/v1/fairs?near=99999").await.status(), 422);
        let booth_vacancy_title = welding_title.clone();
        let browser = Browser::start().await;
        let name = |step: &str| format!("{}-{step}", app.db.backend_name());

        // The employer asks for a booth at the fair, for its welding job.
        sign_in_through_the_page(&browser, &app, &employer_login, &format!("/phien-giao-dich/{fair}")).await;
        browser.click(&format!("input[name=vacancies][value='{welding_id}']")).await;
        browser.click("form[data-api$='/booths'] button[type=submit]").await;
        browser.wait_for_text("form[data-api$='/booths'] .notice", "Đã gửi đề nghị").await;
        browser.screenshot(&name("0-employer-booth-request")).await;
        sign_out(&browser).await;

        // A seeker on a phone searches without diacritics, with suggestions as they type.
        browser.goto(&format!("{}/viec-lam", app.address)).await;
        browser.fill("#q", "tho han").await;
        browser.wait_for_script("return document.querySelectorAll('#q-suggestions option').length > 0", "typeahead suggestions").await;
        browser.click("form.search button[type=submit]").await;
        browser.wait_for_url("q=tho+han").await;
        let first = browser.wait_for_text("ol.hits li.hit h2", "").await;
        assert!(first.to_lowercase().contains("hàn"), "a welding job first: {first}");
        assert_eq!(browser.script("return window.innerWidth").await, 360, "a phone's width");
        browser.assert_fits_width().await;
        browser.screenshot(&name("1-seeker-search")).await;

        // … creates an account and a profile …
        browser.goto(&format!("{}/dang-ky", app.address)).await;
        browser.fill("input[name=display_name]", "Lò Văn Hàn").await;
        browser.fill("input[name=login]", "lo.van.han@example.vn").await;
        browser.fill("input[name=password]", PASSWORD).await;
        browser.click("#register-form button[type=submit]").await;
        browser.wait_for_url("/dang-nhap").await;
        browser.fill("input[name=login]", "lo.van.han@example.vn").await;
        browser.fill("input[name=password]", PASSWORD).await;
        browser.click("form button[type=submit]").await;
        browser.wait_for_url("/ca-nhan").await;
        browser.fill("input[name=full_name]", "Lò Văn Hàn").await;
        browser.select("select[name=sex]", "male").await;
        browser.fill("input[name=date_of_birth]", "12/05/1999").await;
        browser.fill("input[name=cccd]", "bad").await;
        browser.fill("input[name=residence_commune]", "00004").await;
        browser.fill("input[name='desired.title']", "Thợ hàn").await;
        browser.fill("input[name='desired.occupation']", "7212").await;
        browser.click("input[name=consents][value=matching]").await;
        browser.click("input[name=consents][value=share_with_employers]").await;
        browser.click("#profile button[type=submit]").await;
        // A bad ID number is said next to its field, in Vietnamese.
        let error = browser.wait_for_text(".field-error", "CCCD").await;
        assert!(!error.is_empty());
        assert_eq!(browser.script("return document.querySelector('input[name=cccd]').getAttribute('aria-invalid')").await, "true");
        browser.screenshot(&name("2-seeker-profile-error")).await;
        browser.fill("input[name=cccd]", "001099012345").await;
        browser.click("#profile button[type=submit]").await;
        browser.wait_for_text("#profile .notice", "Đã lưu hồ sơ").await;
        app.catch_up().await;

        // Recommendations say why: the welding job next door, with its score factors.
        browser.goto(&format!("{}/ca-nhan/goi-y", app.address)).await;
        browser.wait_for_text("ol.cards", &welding_title).await;
        browser.click("ol.cards details summary").await;
        let why = browser.wait_for_text("ol.cards details .why", "").await;
        assert!(why.len() > 10, "every factor in words: {why}");
        browser.assert_fits_width().await;
        browser.screenshot(&name("2b-seeker-recommendations")).await;

        // … and takes a place at the fair, getting a QR ticket.
        browser.goto(&format!("{}/phien-giao-dich", app.address)).await;
        browser.click("a[href='/phien-giao-dich?near=00004']").await;
        browser.wait_for_url("near=00004").await;
        browser.wait_for_text("ul.cards", "Phiên giao dịch việc làm phường Ba Đình").await;
        browser.click(&format!("ul.cards a[href='/phien-giao-dich/{fair}']")).await;
        browser.wait_for_text("h1", "Ba Đình").await;
        browser.click("#register-place button[type=submit]").await;
        // Shown in groups of four for reading aloud or typing; the check-in desk ignores the spaces.
        let ticket = browser.wait_for_text("#my-place .ticket-code", "").await;
        assert_eq!(ticket.replace(' ', "").len(), 32, "the ticket code: {ticket}");
        assert!(ticket.contains(' '), "grouped: {ticket}");
        let qr_loaded = browser.script("const img = document.querySelector('#my-place img'); return img.complete && img.naturalWidth > 0").await;
        assert_eq!(qr_loaded, true, "the QR image is shown");
        // What a camera held over this screen would see: the ticket's QR image as served, on white.
        let (width, height) = (640, 480);
        let seen = browser
            .script(&format!(
                "const img = document.querySelector('#my-place img'); const c = document.createElement('canvas'); c.width = {width}; c.height = {height};
                 const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height); g.drawImage(img, 180, 100, 280, 280);
                 const px = g.getImageData(0, 0, c.width, c.height).data; let grey = '';
                 for (let i = 0; i < px.length; i += 4) grey += String.fromCharCode(px[i]);
                 return btoa(grey)"
            ))
            .await;
        let grey = base64::engine::general_purpose::STANDARD.decode(seen.as_str().unwrap()).unwrap();
        let camera = tempfile::Builder::new().suffix(".y4m").tempfile().unwrap();
        browser::write_y4m(camera.path(), width, height, &grey);
        browser.assert_fits_width().await;
        browser.screenshot(&name("3-seeker-ticket")).await;
        sign_out(&browser).await;

        // Staff at an office PC approve the booth, open the fair and check the seeker in.
        browser.as_desktop().await;
        sign_in_through_the_page(&browser, &app, "xa-web@example.vn", &format!("/can-bo/phien-giao-dich/{fair}")).await;
        browser.click("form[data-api$='/decision'] button[type=submit]").await;
        browser.wait_for_text("[data-template=booth-row]", "Đã duyệt").await;
        browser.click("form[data-api$='/schedule'] button[type=submit]").await;
        browser.wait_for_text("#schedule", "Số buổi phỏng vấn đề xuất").await;
        // Approval puts the booth's opening at the fair: listed for the fair and linked from the vacancy.
        let at_fair = json_of(app.get(&format!("/api/v1/fairs/{fair}/vacancies")).await).await;
        assert_eq!(at_fair[0]["title"], booth_vacancy_title.as_str(), "{at_fair}");
        assert_eq!(at_fair[0]["fair_id"], fair.as_str(), "{at_fair}");
        browser.select("#fair-status select[name=to]", "in_progress").await;
        browser.click("#fair-status button[type=submit]").await;
        browser.wait_for_text("[data-source$='/places']", "Đã xác nhận").await;
        browser.wait_for_text(".status", "Đang diễn ra").await;
        // A second seeker's ticket code, read out at the desk: typed in, spaces and all.
        let (other_seeker, _) = crate::fairs::seeker(&app, "hanh-web@example.vn", "001301019999", "0911009999").await;
        let other_place = json_of(app.post(&format!("/api/v1/fairs/{fair}/places"), Some(&other_seeker), json!({})).await).await;
        let typed: String = other_place["ticket"].as_str().unwrap_or_else(|| panic!("{other_place}")).chars().collect::<Vec<_>>().chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
        let check_in_page = format!("/can-bo/phien-giao-dich/{fair}/check-in");
        browser.goto(&format!("{}{check_in_page}", app.address)).await;
        browser.fill("#ticket", &typed).await;
        browser.click("#check-in button[type=submit]").await;
        browser.wait_for_text("#checked-in .notice", "Check-in thành công").await;
        sign_out(&browser).await;

        // At the door, staff point a phone's camera at the first seeker's ticket. This Chromium has no
        // BarcodeDetector, so the page fetches jsQR and reads the camera's frames itself.
        let phone = Browser::start_with_camera(camera.path()).await;
        sign_in_through_the_page(&phone, &app, "xa-web@example.vn", &check_in_page).await;
        phone.click("[data-scan]").await;
        phone.wait_for_text("#checked-in .notice", "Check-in thành công").await;
        let reader = phone.script("return ['BarcodeDetector' in window, typeof window.jsQR]").await;
        assert_eq!(reader, json!([false, "function"]), "read by the vendored decoder");
        assert_eq!(phone.script("return document.getElementById('scanner').hidden").await, true, "the camera is put away");
        phone.assert_fits_width().await;
        phone.screenshot(&name("4-staff-check-in-camera")).await;
        // The same ticket twice is refused with the time of the first scan.
        phone.fill("#ticket", &ticket).await;
        phone.click("#check-in button[type=submit]").await;
        phone.wait_for_text("#check-in [role=alert]", "check-in").await;
        // A hire is recorded for the person just checked in.
        phone.select("#checked-in select[name=kind]", "hired_on_spot").await;
        let offered = phone.text("#checked-in select[name=vacancy_id]").await;
        assert!(offered.contains(&booth_vacancy_title), "the booth's opening is offered: {offered}");
        phone.click("#checked-in form.outcome button[type=submit]").await;
        phone.wait_for_text("#checked-in .notice.result", "Đã ghi kết quả").await;
        phone.quit().await;
        let report = json_of(app.get_as(&format!("/api/v1/fairs/{fair}/report"), &staff_token).await).await;
        assert!(report.to_string().contains("\"hired_on_spot\":1"), "the hire is in the fair's report: {report}");
        let attendees = json_of(app.get_as(&format!("/api/v1/fairs/{fair}/places"), &staff_token).await).await;
        assert_eq!(attendees["checked_in"], 2, "both seekers checked in, one by camera, one by typed code: {attendees}");

        // An employer posts a vacancy; staff publish it; it is found in search.
        sign_in_through_the_page(&browser, &app, &employer_login, "/doanh-nghiep/dang-tin").await;
        browser.fill("input[name=title]", "Thợ hàn ống áp lực Cầu Nối").await;
        browser.fill("input[name=occupation]", "7212").await;
        browser.fill("input[name=salary_text]", "9 - 13 triệu").await;
        browser.fill("input[name='workplace.commune_code']", "00004").await;
        browser.fill("textarea[name=description]", "Hàn ống áp lực cho công trình cấp nước. Có chứng chỉ hàn 3G.").await;
        browser.click("#vacancy button[type=submit]").await;
        browser.wait_for_url("/viec-lam/").await;
        browser.wait_for_text("h1", "Thợ hàn ống áp lực Cầu Nối").await;
        browser.wait_for_text(".facts", "Bản nháp").await;
        browser.screenshot(&name("5-employer-posted")).await;
        // … corrects the pay on the edit page, which opens filled in.
        let posted = browser.url().await.rsplit('/').next().unwrap().to_owned();
        browser.goto(&format!("{}/doanh-nghiep/viec-lam/{posted}", app.address)).await;
        browser.wait_for_script("return document.querySelector('input[name=title]').value === 'Thợ hàn ống áp lực Cầu Nối'", "the form is filled in").await;
        browser.fill("input[name=salary_text]", "10 - 14 triệu").await;
        browser.click("#vacancy button[type=submit]").await;
        browser.wait_for_url(&format!("{}/viec-lam/{posted}", app.address)).await;
        browser.wait_for_text(".facts", "10 - 14 triệu").await;
        // The employer's consenting candidates for the opening at the fair, explained, and an
        // interview outcome recorded there.
        browser.goto(&format!("{}/viec-lam/{welding_id}", app.address)).await;
        browser.click(&format!("a[href='/ung-vien/{welding_id}?fair={fair}']")).await;
        browser.wait_for_text("ol.cards", "Lò Văn Hàn").await;
        browser.select("ol.cards form.outcome select[name=kind]", "interviewed").await;
        browser.click("ol.cards form.outcome button[type=submit]").await;
        browser.wait_for_text("ol.cards form.outcome .notice", "Đã ghi").await;
        browser.screenshot(&name("5b-employer-candidates")).await;
        // A file of vacancies: the result names the row that was refused and why.
        let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        std::fs::write(file.path(), "Mã tin,Vị trí tuyển dụng,Mức lương,Mã xã,Mã nghề,Mô tả công việc\nW-1,Thợ sơn tĩnh điện,8 - 10 triệu,00004,7132,Sơn tĩnh điện\nW-2,Thợ phụ hồ,7 triệu,99999,9313,Phụ hồ\n").unwrap();
        browser.goto(&format!("{}/doanh-nghiep/tai-tep", app.address)).await;
        browser.fill("input[type=file]", &file.path().display().to_string()).await;
        browser.click("#upload button[type=submit]").await;
        let result = browser.wait_for_text("#upload-result", "W-2").await;
        assert!(result.contains("Thợ phụ hồ") && result.contains("commune"), "the refused row, its field and reason: {result}");
        let row = browser.wait_for_text("#upload-result tbody tr td:first-child", "3").await;
        assert_eq!(row.trim(), "3", "the refused row's number as the sheet shows it (the header is row 1)");
        browser.screenshot(&name("5c-employer-upload")).await;
        sign_out(&browser).await;
        sign_in_through_the_page(&browser, &app, "xa-web@example.vn", "/can-bo").await;
        browser.wait_for_text("[data-template=draft]", "Thợ hàn ống áp lực Cầu Nối").await;
        browser.click("[data-template=draft] form button[type=submit]").await;
        browser.wait_until_gone("[data-template=draft]", "Thợ hàn ống áp lực Cầu Nối").await;
        app.catch_up().await;
        browser.goto(&format!("{}/viec-lam?q=tho+han+ong+ap+luc", app.address)).await;
        browser.wait_for_text("ol.hits", "Thợ hàn ống áp lực Cầu Nối").await;
        browser.screenshot(&name("6-vacancy-in-search")).await;
        browser.quit().await;
    }
}

async fn fill_walk_in(browser: &Browser) {
    browser.fill("#walk-in input[name=full_name]", "Hà Thị Lan").await;
    browser.select("#walk-in select[name=sex]", "female").await;
    browser.fill("#walk-in input[name=date_of_birth]", "03/04/2000").await;
    browser.fill("#walk-in input[name=cccd]", "001300098765").await;
    browser.fill("#walk-in input[name=residence_commune]", "00004").await;
    browser.fill("#walk-in input[name='desired.title']", "Công nhân may").await;
    browser.click("#walk-in input[name=consents][value=matching]").await;
    browser.click("#walk-in button[type=submit]").await;
}

/// The staff desk's other pages in a browser: a walk-in registration (a duplicate refused next
/// to its field), a survey response, results with their chart, the overseas tasks, the
/// rejected records, and the English switch.
#[tokio::test]
async fn staff_register_walk_ins_enter_surveys_and_read_results_in_a_browser() {
    if !browser::available() {
        return;
    }
    for backend in backends() {
        let app = spawn_app(backend).await;
        app.account("van-phong@example.vn", ba_dinh_staff()).await;
        let browser = Browser::start().await;
        browser.as_desktop().await;
        let name = |step: &str| format!("{}-{step}", app.db.backend_name());
        sign_in_through_the_page(&browser, &app, "van-phong@example.vn", "/can-bo").await;

        browser.goto(&format!("{}/can-bo/dang-ky-lao-dong", app.address)).await;
        fill_walk_in(&browser).await;
        browser.wait_for_text("#walk-in-result", "Hà Thị Lan").await;
        fill_walk_in(&browser).await;
        browser.wait_for_text("#walk-in [role=alert]", "").await;
        browser.screenshot(&name("7-staff-walk-in-duplicate")).await;
        app.catch_up().await;
        let found = app.get_as("/api/v1/workers/search?q=cong+nhan+may", &app.sign_in("van-phong@example.vn", PASSWORD).await).await.text().await.unwrap();
        assert!(found.contains("Hà Thị Lan"), "the walk-in is a profile staff can find: {found}");

        browser.goto(&format!("{}/can-bo/dao-tao", app.address)).await;
        browser.fill("#survey input[name='responses.0.commune_code']", "00004").await;
        browser.fill("#survey input[name='responses.0.respondent_name']", "Lò Thị Mai").await;
        browser.fill("#survey input[name='responses.0.trades.0.text']", "thợ hàn").await;
        browser.click("#survey button[type=submit]").await;
        browser.wait_for_text("#survey .notice", "Đã lưu phiếu").await;
        let staff = app.sign_in("van-phong@example.vn", PASSWORD).await;
        let summary = json_of(app.get_as("/api/v1/training/survey/summary?area=00004", &staff).await).await;
        assert!(summary.to_string().contains("7212"), "the answer is counted under welding: {summary}");

        browser.goto(&format!("{}/can-bo/ke-hoach?year=2026&indicator=workers_referred", app.address)).await;
        browser.wait_for_text("tbody[data-source]", "Số lao động được giới thiệu việc làm").await;
        let chart = browser.script("const img = document.querySelector('img.chart'); return img && img.complete && img.naturalWidth > 0").await;
        assert_eq!(chart, true, "the chart is drawn");
        browser.screenshot(&name("8-staff-results")).await;

        browser.goto(&format!("{}/can-bo/nuoc-ngoai", app.address)).await;
        browser.wait_for_text(".board", "").await;
        browser.goto(&format!("{}/can-bo/cach-ly", app.address)).await;
        browser.wait_for_text("tbody[data-source]", "").await;

        // English on a switch, the data's own words staying as they are.
        browser.click("a.lang").await;
        browser.wait_for_text("h1", "Rejected vacancy records").await;
        browser.screenshot(&name("9-staff-english")).await;
        browser.quit().await;
    }
}

/// Working abroad, in a browser: the open order with every cost the worker pays, the public
/// check of the order and its enterprise, registration, and the stage on the seeker's profile.
#[tokio::test]
async fn a_seeker_checks_an_overseas_order_and_registers_in_a_browser() {
    if !browser::available() {
        return;
    }
    for backend in backends() {
        let app = spawn_app(backend).await;
        let (order, title) = crate::overseas::published_job_order(&app).await;
        let seeker = app.signed_in("di-nhat@example.vn", Role::Seeker { worker: None }).await;
        let profile = json!({"full_name": "Trần Văn Nam", "sex": "male", "date_of_birth": "12/04/2001", "residence_commune": "00004",
            "desired": {"title": "Chế biến thực phẩm", "willing_abroad": true, "countries": ["JP"]}, "consents": ["matching"]});
        assert_eq!(app.post("/api/v1/workers/me", Some(&seeker), profile).await.status(), 201);
        let browser = Browser::start().await;
        let name = |step: &str| format!("{}-{step}", app.db.backend_name());

        browser.goto(&format!("{}/nuoc-ngoai", app.address)).await;
        browser.wait_for_text("ol.cards", &title).await;
        browser.click(&format!("ol.cards a[href='/nuoc-ngoai/don-hang/{order}']")).await;
        browser.wait_for_text("h1", &title).await;
        let costs = browser.wait_for_text("[data-source$='/job-orders/{order}'] table".replace("{order}", &order).as_str(), "VND").await;
        assert!(costs.contains("40.000.000 VND") && costs.contains("Người lao động"), "every cost with its payer: {costs}");
        browser.assert_fits_width().await;
        browser.screenshot(&name("10-seeker-job-order")).await;
        browser.click("a[href^='/nuoc-ngoai/kiem-tra']").await;
        let verdict = browser.wait_for_text("ul.cards", "Giấy phép còn hiệu lực").await;
        assert!(verdict.contains("Hợp đồng cung ứng đã được chấp thuận") && verdict.contains("Chi phí trong mức trần"), "{verdict}");
        browser.assert_fits_width().await;
        browser.screenshot(&name("11-seeker-verify")).await;

        sign_in_through_the_page(&browser, &app, "di-nhat@example.vn", &format!("/nuoc-ngoai/don-hang/{order}")).await;
        browser.click("#register-overseas button[type=submit]").await;
        browser.wait_for_url(&format!("{}/ca-nhan", app.address)).await;
        browser.wait_for_text("[data-template=my-overseas]", "Đăng ký quan tâm").await;
        browser.assert_fits_width().await;
        browser.screenshot(&name("12-seeker-overseas-status")).await;
        browser.quit().await;
    }
}
