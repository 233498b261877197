//! The web pages: server-rendered HTML in Vietnamese first (English on a switch), with one small
//! script (`web/app.js`) that submits forms to the JSON API and fills lists from it. Search and
//! vacancy pages are rendered here in full, so they work without the script; the other pages are
//! shells whose data the script loads from the same API every other client uses, so no rule is
//! written twice.
//!
//! Templates live in `web/` and are compiled into the binary. In them `[[Việt|English]]` is
//! a phrase in both languages and `{{name}}` a value from the page's path.

mod search;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use caunoi_domain::access::Role;

use crate::AppState;
use crate::auth::Caller;

/// The language of a page: `vi` unless the visitor chose English (cookie `caunoi_lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

pub const LANG_COOKIE: &str = "caunoi_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// One phrase in the page's language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Vi => vi,
            Self::En => en,
        }
    }

    fn from_headers(headers: &HeaderMap) -> Self {
        if crate::auth::cookie(headers, LANG_COOKIE) == Some("en") { Self::En } else { Self::Vi }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_headers(&parts.headers))
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Resolves every `[[Việt|English]]` of a template into one language.
pub fn translate(template: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let phrase = &after[..end];
        let (vi, en) = phrase.split_once('|').unwrap_or((phrase, phrase));
        out.push_str(lang.pick(vi, en));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Who may open a page. Data on every page comes from the API, which checks again; this only
/// sends people to the sign-in page or tells them the page is not for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Anyone,
    SignedIn,
    Seeker,
    Employer,
    Staff,
}

impl Audience {
    fn admits(self, role: Option<&Role>) -> bool {
        match (self, role) {
            (Self::Anyone, _) => true,
            (_, None) => false,
            (Self::SignedIn, Some(_)) => true,
            (Self::Seeker, Some(role)) => matches!(role, Role::Seeker { .. }),
            (Self::Employer, Some(role)) => matches!(role, Role::Employer { .. }),
            (Self::Staff, Some(role)) => role.is_staff(),
        }
    }
}

const LAYOUT: &str = include_str!("../../../../web/layout.html");
const SCRIPT: &str = include_str!("../../../../web/app.js");
/// jsQR 1.4.0 (Apache-2.0, `web/vendor/`), fetched by the check-in screen only when the browser
/// has no `BarcodeDetector` of its own (desktop and Linux Chromium, Firefox, Safari).
const QR_DECODER: &str = include_str!("../../../../web/vendor/jsQR.js");

/// The navigation for each kind of visitor: (path, Vietnamese, English).
fn navigation(role: Option<&Role>) -> &'static [(&'static str, &'static str, &'static str)] {
    const COMMON: &[(&str, &str, &str)] = &[
        ("/viec-lam", "Tìm việc", "Jobs"),
        ("/phien-giao-dich", "Phiên giao dịch", "Job fairs"),
        ("/nuoc-ngoai", "Đi làm việc ở nước ngoài", "Work abroad"),
        ("/hoc-nghe", "Học nghề", "Training"),
        ("/dang-nhap", "Đăng nhập", "Sign in"),
    ];
    const SEEKER: &[(&str, &str, &str)] = &[
        ("/viec-lam", "Tìm việc", "Jobs"),
        ("/ca-nhan/goi-y", "Việc hợp với tôi", "For me"),
        ("/phien-giao-dich", "Phiên giao dịch", "Job fairs"),
        ("/nuoc-ngoai", "Nước ngoài", "Abroad"),
        ("/hoc-nghe", "Học nghề", "Training"),
        ("/ca-nhan", "Hồ sơ của tôi", "My profile"),
    ];
    const EMPLOYER: &[(&str, &str, &str)] = &[
        ("/doanh-nghiep", "Tin tuyển dụng", "My vacancies"),
        ("/doanh-nghiep/dang-tin", "Đăng tin", "Post a vacancy"),
        ("/doanh-nghiep/tai-tep", "Tải tệp", "Upload a file"),
        ("/phien-giao-dich", "Phiên giao dịch", "Job fairs"),
        ("/viec-lam", "Tìm việc", "Jobs"),
    ];
    const STAFF: &[(&str, &str, &str)] = &[
        ("/can-bo", "Bàn làm việc", "Desk"),
        ("/can-bo/dang-ky-lao-dong", "Đăng ký lao động", "Walk-in"),
        ("/can-bo/phien-giao-dich", "Phiên giao dịch", "Fairs"),
        ("/can-bo/nuoc-ngoai", "Nước ngoài", "Overseas"),
        ("/can-bo/ke-hoach", "Kế hoạch", "Plans"),
        ("/can-bo/dao-tao", "Đào tạo", "Training"),
        ("/viec-lam", "Việc làm", "Jobs"),
    ];
    match role {
        None => COMMON,
        Some(Role::Seeker { .. }) => SEEKER,
        Some(Role::Employer { .. }) => EMPLOYER,
        Some(_) => STAFF,
    }
}

/// A whole page: the layout around a body, in the visitor's language.
pub struct Page<'a> {
    pub lang: Lang,
    pub caller: Option<&'a Caller>,
    pub path: &'a str,
    pub title: (&'a str, &'a str),
    /// HTML, already escaped where it holds data; may still contain `[[vi|en]]` phrases.
    pub body: String,
    /// Extra elements for `<head>` (JSON-LD, for instance).
    pub head: String,
}

impl Page<'_> {
    pub fn render(self) -> Html<String> {
        let role = self.caller.map(Caller::role);
        let nav = navigation(role)
            .iter()
            .map(|(href, vi, en)| {
                let current = if *href == self.path { " aria-current=\"page\"" } else { "" };
                format!("<a href=\"{href}\"{current}>{}</a>", self.lang.pick(vi, en))
            })
            .collect::<Vec<_>>()
            .join("");
        let account = match self.caller {
            Some(caller) => format!(
                "<span class=\"who\">{}</span> <button type=\"button\" data-sign-out>[[Đăng xuất|Sign out]]</button>",
                escape(&caller.0.display_name)
            ),
            None => String::new(),
        };
        let (switch_to, switch_label) = match self.lang {
            Lang::Vi => ("en", "English"),
            Lang::En => ("vi", "Tiếng Việt"),
        };
        let html = LAYOUT
            .replace("{{lang}}", self.lang.code())
            .replace("{{title}}", &escape(self.lang.pick(self.title.0, self.title.1)))
            .replace("{{head}}", &self.head)
            .replace("{{nav}}", &nav)
            .replace("{{account}}", &account)
            .replace("{{switch_href}}", &format!("/ngon-ngu/{switch_to}?next={}", escape(self.path)))
            .replace("{{switch_label}}", switch_label)
            .replace("{{body}}", &self.body);
        Html(translate(&html, self.lang))
    }
}

/// A page whose body is a template file, with `{{name}}` filled from the path.
struct Shell {
    path: &'static str,
    template: &'static str,
    title: (&'static str, &'static str),
    audience: Audience,
}

macro_rules! shell {
    ($path:literal, $file:literal, $vi:literal, $en:literal, $audience:ident) => {
        Shell { path: $path, template: include_str!(concat!("../../../../web/pages/", $file)), title: ($vi, $en), audience: Audience::$audience }
    };
}

/// Pieces several pages share: `{{name}}` → the file.
const PARTIALS: &[(&str, &str)] = &[("{{vacancy_fields}}", include_str!("../../../../web/vacancy-fields.html"))];

/// Every page that is a template over the API.
const SHELLS: &[Shell] = &[
    shell!("/dang-nhap", "sign-in.html", "Đăng nhập", "Sign in", Anyone),
    shell!("/dang-ky", "register.html", "Đăng ký tài khoản", "Create an account", Anyone),
    shell!("/phien-giao-dich", "fairs.html", "Phiên giao dịch việc làm", "Job fairs", Anyone),
    shell!("/phien-giao-dich/{id}", "fair.html", "Phiên giao dịch việc làm", "Job fair", Anyone),
    shell!("/nuoc-ngoai", "overseas.html", "Đi làm việc ở nước ngoài", "Working abroad", Anyone),
    shell!("/nuoc-ngoai/don-hang/{id}", "job-order.html", "Đơn hàng đi làm việc ở nước ngoài", "Overseas job order", Anyone),
    shell!("/nuoc-ngoai/kiem-tra", "verify.html", "Kiểm tra đơn hàng, doanh nghiệp", "Check an order or an enterprise", Anyone),
    shell!("/hoc-nghe", "classes.html", "Lớp học nghề", "Vocational classes", Anyone),
    shell!("/ca-nhan", "profile.html", "Hồ sơ của tôi", "My profile", Seeker),
    shell!("/ca-nhan/goi-y", "recommendations.html", "Việc làm hợp với tôi", "Jobs for me", Seeker),
    shell!("/doanh-nghiep", "employer.html", "Tin tuyển dụng của doanh nghiệp", "My vacancies", Employer),
    shell!("/doanh-nghiep/dang-tin", "vacancy-form.html", "Đăng tin tuyển dụng", "Post a vacancy", Employer),
    shell!("/doanh-nghiep/viec-lam/{id}", "vacancy-edit.html", "Sửa tin tuyển dụng", "Edit a vacancy", Employer),
    shell!("/doanh-nghiep/tai-tep", "upload.html", "Tải tệp tin tuyển dụng", "Upload vacancies", Employer),
    shell!("/ung-vien/{id}", "candidates.html", "Ứng viên phù hợp", "Matching candidates", SignedIn),
    shell!("/can-bo", "staff.html", "Bàn làm việc của cán bộ", "Staff desk", Staff),
    shell!("/can-bo/dang-ky-lao-dong", "walk-in.html", "Đăng ký người lao động", "Register a worker", Staff),
    shell!("/can-bo/phien-giao-dich", "staff-fairs.html", "Quản lý phiên giao dịch", "Manage job fairs", Staff),
    shell!("/can-bo/phien-giao-dich/{id}", "staff-fair.html", "Điều hành phiên giao dịch", "Run a job fair", Staff),
    shell!("/can-bo/phien-giao-dich/{id}/check-in", "check-in.html", "Check-in người tham gia", "Check-in", Staff),
    shell!("/can-bo/nuoc-ngoai", "pipeline.html", "Người lao động đi làm việc ở nước ngoài", "Overseas pipeline", Staff),
    shell!("/can-bo/cach-ly", "quarantine.html", "Bản ghi bị từ chối", "Rejected records", Staff),
    shell!("/can-bo/ke-hoach", "plans.html", "Kế hoạch và kết quả", "Plans and results", Staff),
    shell!("/can-bo/dao-tao", "training.html", "Đào tạo nghề", "Vocational training", Staff),
];

/// `(code, label)` pairs of a code list, for `{{options:NAME}}` (a select's options) and
/// `{{checks:NAME:FIELD}}` (checkboxes that send an array) in templates: the lists come from the
/// domain, so a form never offers a code the API would refuse.
fn code_list(name: &str) -> Option<Vec<(String, String)>> {
    use caunoi_domain::records::{CodeEnum, ConsentPurpose, EmploymentType, FairFormat, FairStatus, OverseasProgramme, PriorityGroup};
    fn of<T: CodeEnum>(all: &[T]) -> Vec<(String, String)> {
        all.iter().map(|v| (v.code().to_owned(), v.label_vi().to_owned())).collect()
    }
    Some(match name {
        "general_education" => caunoi_domain::GeneralEducation::ALL.iter().map(|v| (v.code().to_owned(), v.label_vi().to_owned())).collect(),
        "qualification" => caunoi_domain::Qualification::ALL.iter().map(|v| (v.code().to_owned(), v.label_vi().to_owned())).collect(),
        "employment_type" => of(EmploymentType::ALL),
        "programme" => of(OverseasProgramme::ALL),
        "priority_group" => of(PriorityGroup::ALL),
        "consent" => of(ConsentPurpose::ALL),
        "fair_format" => of(FairFormat::ALL),
        "fair_kind" => of(caunoi_domain::fairs::FairKind::ALL),
        "fair_status" => of(FairStatus::ALL),
        "interaction" => of(caunoi_domain::fairs::InteractionKind::ALL),
        "preferred_time" => of(caunoi_domain::training::PreferredTime::ALL),
        "province" => caunoi_domain::AdminCatalog::embedded().provinces().iter().map(|p| (p.code.as_str().to_owned(), p.name.clone())).collect(),
        _ => return None,
    })
}

/// Every code list a page may show as words, as JSON for the script (`data-format="label:NAME"`):
/// the API sends codes (`registration_open`), people read labels ("Đang nhận đăng ký").
fn labels_json() -> &'static str {
    static LABELS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LABELS.get_or_init(|| {
        use caunoi_domain::fairs::{BoothStatus, FairKind, InteractionKind, PlaceStatus};
        use caunoi_domain::overseas::{CostItem, Payer, SupplyContractStatus, TaskKind, TaskSeverity};
        use caunoi_domain::records::{CodeEnum, EmploymentType, FairFormat, FairStatus, OverseasProgramme, OverseasStage, VacancyStatus};
        use caunoi_domain::training::{ClassStatus, EnrolmentStatus};
        fn of<T: CodeEnum>(all: &[T]) -> serde_json::Value {
            all.iter().map(|v| (v.code().to_owned(), serde_json::Value::from(v.label_vi()))).collect::<serde_json::Map<_, _>>().into()
        }
        serde_json::json!({
            "fair_status": of(FairStatus::ALL), "fair_format": of(FairFormat::ALL), "fair_kind": of(FairKind::ALL),
            "booth_status": of(BoothStatus::ALL), "place_status": of(PlaceStatus::ALL), "interaction": of(InteractionKind::ALL),
            "vacancy_status": of(VacancyStatus::ALL), "employment_type": of(EmploymentType::ALL), "programme": of(OverseasProgramme::ALL),
            "overseas_stage": of(OverseasStage::ALL), "task_kind": of(TaskKind::ALL), "task_severity": of(TaskSeverity::ALL),
            "cost_item": of(CostItem::ALL), "payer": of(Payer::ALL), "supply_contract_status": of(SupplyContractStatus::ALL),
            "class_status": of(ClassStatus::ALL), "enrolment_status": of(EnrolmentStatus::ALL),
            "country": caunoi_domain::reference::countries().iter().map(|c| (c.code.as_str().to_owned(), serde_json::Value::from(c.name_vi.clone()))).collect::<serde_json::Map<_, _>>(),
        })
        .to_string()
    })
}

fn expand_code_lists(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or(after.len());
        let directive = &after[..end];
        let expanded = match directive.split(':').collect::<Vec<_>>()[..] {
            ["options", list] => code_list(list).map(|items| {
                items.iter().map(|(code, label)| format!("<option value=\"{code}\">{}</option>", escape(label))).collect::<String>()
            }),
            ["checks", list, field] => code_list(list).map(|items| {
                items
                    .iter()
                    .map(|(code, label)| {
                        format!("<label><input type=\"checkbox\" name=\"{field}\" value=\"{code}\" data-type=\"array\"> {}</label>", escape(label))
                    })
                    .collect::<String>()
            }),
            _ => None,
        };
        match expanded {
            Some(html) => out.push_str(&html),
            None => {
                out.push_str("{{");
                out.push_str(directive);
                if end < after.len() {
                    out.push_str("}}");
                }
            }
        }
        rest = after.get(end + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The visitor's kind, as templates name it in `<!--for:seeker,staff-->…<!--end-->` blocks.
fn visitor_kind(role: Option<&Role>) -> &'static str {
    match role {
        None => "anon",
        Some(Role::Seeker { .. }) => "seeker",
        Some(Role::Employer { .. }) => "employer",
        Some(_) => "staff",
    }
}

/// Keeps the `<!--for:…-->` blocks meant for this visitor and drops the others, so a page
/// neither shows nor loads what is not for them.
fn keep_blocks_for(template: &str, kind: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("<!--for:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 8..];
        let Some(close) = after.find("-->") else { break };
        let kinds = &after[..close];
        let inner_and_rest = &after[close + 3..];
        let end = inner_and_rest.find("<!--end-->").unwrap_or(inner_and_rest.len());
        if kinds.split(',').any(|k| k.trim() == kind) {
            out.push_str(&inner_and_rest[..end]);
        }
        rest = inner_and_rest.get(end + 10..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Path values are ids and codes; anything else is refused rather than echoed.
fn safe_value(value: &str) -> bool {
    !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

async fn shell_page(
    shell: &'static Shell,
    caller: Option<Caller>,
    lang: Lang,
    values: HashMap<String, String>,
    path: String,
) -> Response {
    if !shell.audience.admits(caller.as_ref().map(Caller::role)) {
        if caller.is_none() {
            return redirect(&format!("/dang-nhap?next={}", encode_component(&path)));
        }
        let body = "<h1>[[Trang này không dành cho tài khoản của bạn|This page is not for your account]]</h1><p><a href=\"/\">[[Về trang chủ|Home]]</a></p>".to_owned();
        let page = Page { lang, caller: caller.as_ref(), path: &path, title: shell.title, body, head: String::new() };
        return (StatusCode::FORBIDDEN, page.render()).into_response();
    }
    if !values.values().all(|v| safe_value(v)) {
        return not_found_page(lang, caller.as_ref(), &path);
    }
    let with_partials = PARTIALS.iter().fold(shell.template.to_owned(), |page, (name, html)| page.replace(name, html));
    let mut body = expand_code_lists(&keep_blocks_for(&with_partials, visitor_kind(caller.as_ref().map(Caller::role))));
    for (name, value) in &values {
        body = body.replace(&format!("{{{{{name}}}}}"), value);
    }
    // A data block, not a script: the page's security policy allows no inline script.
    let head = format!("<script type=\"application/json\" id=\"labels\">{}</script>", labels_json());
    Page { lang, caller: caller.as_ref(), path: &path, title: shell.title, body, head }.render().into_response()
}

pub fn not_found_page(lang: Lang, caller: Option<&Caller>, path: &str) -> Response {
    let body = "<h1>[[Không tìm thấy trang|Page not found]]</h1><p><a href=\"/viec-lam\">[[Tìm việc làm|Search jobs]]</a></p>".to_owned();
    let page = Page { lang, caller, path, title: ("Không tìm thấy", "Not found"), body, head: String::new() };
    (StatusCode::NOT_FOUND, page.render()).into_response()
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response()
}

/// Percent-encodes a query value.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// `/ngon-ngu/en?next=/viec-lam` — remembers the language and goes back.
async fn choose_language(Path(code): Path<String>, Query(next): Query<Next>) -> Response {
    let code = if code == "en" { "en" } else { "vi" };
    // Only paths of this site: never an open redirect.
    let next = next.next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or_else(|| "/".to_owned());
    (
        StatusCode::SEE_OTHER,
        [(SET_COOKIE, format!("{LANG_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000")), (LOCATION, next)],
    )
        .into_response()
}

/// The CSV template employers fill in Excel: the first header of each column the reader knows,
/// in the reader's own table, so the template and the reader cannot disagree.
async fn upload_template() -> impl IntoResponse {
    let headers: Vec<&str> = caunoi_ingest::sources::table::HEADERS
        .iter()
        .filter(|(field, _)| !matches!(*field, "employer_name" | "employer_tax_code" | "status" | "removed"))
        .map(|(_, names)| names[0])
        .collect();
    // With a byte-order mark, Excel opens UTF-8 with its diacritics intact.
    let body = format!("\u{feff}{}\r\n", headers.join(","));
    (
        [(CONTENT_TYPE, "text/csv; charset=utf-8"), (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"mau-tin-tuyen-dung.csv\"")],
        body,
    )
}

fn javascript(source: &'static str) -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], source)
}

/// The routes of the web pages.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/viec-lam", get(search::results))
        .route("/viec-lam/{id}", get(search::vacancy))
        .route("/ngon-ngu/{code}", get(choose_language))
        .route("/static/app.js", get(|| async { javascript(SCRIPT) }))
        .route("/static/jsqr.js", get(|| async { javascript(QR_DECODER) }))
        .route("/static/mau-tin-tuyen-dung.csv", get(upload_template));
    for shell in SHELLS {
        router = router.route(
            shell.path,
            get(move |caller: Option<Caller>, lang: Lang, values: Option<Path<HashMap<String, String>>>, uri: axum::http::Uri| {
                shell_page(shell, caller, lang, values.map(|Path(v)| v).unwrap_or_default(), uri.path().to_owned())
            }),
        );
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_resolve_in_either_language() {
        let template = "<a>[[Tìm việc|Jobs]]</a> [[Chỉ tiếng Việt]] [[dở";
        assert_eq!(translate(template, Lang::Vi), "<a>Tìm việc</a> Chỉ tiếng Việt [[dở");
        assert_eq!(translate(template, Lang::En), "<a>Jobs</a> Chỉ tiếng Việt [[dở");
    }

    #[test]
    fn every_shell_template_is_balanced_and_has_a_heading() {
        for shell in SHELLS {
            assert_eq!(shell.template.matches("[[").count(), shell.template.matches("]]").count(), "{}", shell.path);
            assert!(shell.template.contains("<h1"), "{} has a heading", shell.path);
        }
    }

    #[test]
    fn code_lists_expand_into_options_and_checkboxes() {
        let html = expand_code_lists("<select>{{options:employment_type}}</select>{{checks:consent:consents}}{{id}}{{options:nothing}}");
        assert!(html.contains("<option value=\"full_time\">Toàn thời gian</option>"), "{html}");
        assert!(html.contains("name=\"consents\" value=\"matching\" data-type=\"array\""), "{html}");
        assert!(html.ends_with("{{id}}{{options:nothing}}"), "{html}");
    }

    #[test]
    fn blocks_are_kept_only_for_their_visitors() {
        let template = "a<!--for:seeker,anon-->S<!--end-->b<!--for:staff-->T<!--end-->c";
        assert_eq!(keep_blocks_for(template, "seeker"), "aSbc");
        assert_eq!(keep_blocks_for(template, "staff"), "abTc");
        assert_eq!(keep_blocks_for(template, "employer"), "abc");
    }

    #[test]
    fn path_values_are_ids_or_codes() {
        assert!(safe_value("0190f1d2-aaaa-7bbb-8ccc-000000000001"));
        assert!(!safe_value("<script>"));
        assert!(!safe_value(""));
    }
}
