//! The search and vacancy pages, rendered in full on the server: a seeker on a weak phone gets
//! results, facets and highlights in one small HTML response, with or without the script.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use caunoi_domain::records::{EmployerId, Vacancy, VacancyId, VacancyStatus, Workplace};
use caunoi_domain::reference::{self, AdminCatalog, OccupationCatalog};
use caunoi_domain::text::group_thousands;
use caunoi_domain::{IscoCode, ProvinceCode};
use caunoi_store::records;
use uuid::Uuid;

use super::{Lang, Page, encode_component, escape, not_found_page};
use crate::auth::Caller;
use crate::search::{SearchParams, blocking};
use crate::{ApiError, AppState};

/// The filters a facet link or the form may set, in the order they appear in links.
const FILTERS: &[&str] = &["q", "province", "isco", "overseas", "country", "programme", "type", "sort", "near"];

/// The query string without empty values (an unfilled form field is not a filter).
fn filled_pairs(uri: &Uri) -> Vec<(String, String)> {
    let Some(query) = uri.query() else { return Vec::new() };
    let Ok(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&format!("/?{query}").parse().unwrap_or_default()) else {
        return Vec::new();
    };
    pairs.0.into_iter().map(|(k, v)| (k, v.trim().to_owned())).filter(|(_, v)| !v.is_empty()).collect()
}

fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode_component(v))).collect::<Vec<_>>().join("&")
}

/// The current filters with one changed (or removed, with `None`), back on page 1.
fn link_with(pairs: &[(String, String)], key: &str, value: Option<&str>) -> String {
    let mut next: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != key && k != "page" && FILTERS.contains(&k.as_str())).cloned().collect();
    if let Some(value) = value {
        next.push((key.to_owned(), value.to_owned()));
    }
    format!("/viec-lam?{}", escape(&query_string(&next)))
}

fn value_of<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn province_name(code: &str) -> String {
    ProvinceCode::parse(code).ok().and_then(|c| AdminCatalog::embedded().province(&c).map(|p| p.name.clone())).unwrap_or_else(|| code.to_owned())
}

fn occupation_name(code: &str, lang: Lang) -> String {
    IscoCode::parse(code)
        .ok()
        .and_then(|c| OccupationCatalog::embedded().get(&c).map(|o| lang.pick(&o.label_vi, &o.label_en).to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

fn market_name(code: &str, lang: Lang) -> String {
    if code == "VN" {
        return lang.pick("Trong nước", "In Vietnam").to_owned();
    }
    caunoi_domain::CountryCode::parse(code)
        .ok()
        .and_then(|c| reference::country(&c).map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

fn code_label<T: caunoi_domain::records::CodeEnum>(parse: fn(&str) -> Result<T, caunoi_domain::ValidationError>, code: &str) -> String {
    parse(code).map(|v| v.label_vi().to_owned()).unwrap_or_else(|_| code.to_owned())
}

/// Where a vacancy is, in words.
pub fn place_of(workplace: &Workplace, lang: Lang) -> String {
    match workplace {
        Workplace::Domestic { commune_code } => {
            AdminCatalog::embedded().place_name(commune_code).unwrap_or_else(|| commune_code.as_str().to_owned())
        }
        Workplace::Overseas { country, programme, .. } => format!("{} — {}", market_name(country.as_str(), lang), programme.label_vi()),
    }
}

fn facet_block(title: &str, key: &str, values: &[(String, u64)], pairs: &[(String, String)], name: impl Fn(&str) -> String) -> String {
    if values.is_empty() {
        return String::new();
    }
    let chosen = value_of(pairs, key);
    let mut html = format!("<details class=\"facet\" open><summary>{title}</summary><ul>");
    for (value, count) in values.iter().take(12) {
        let (href, current) = if chosen == Some(value.as_str()) {
            (link_with(pairs, key, None), " aria-current=\"true\"")
        } else {
            (link_with(pairs, key, Some(value)), "")
        };
        let _ = write!(html, "<li><a href=\"{href}\"{current}>{} <span class=\"count\">{}</span></a></li>", escape(&name(value)), group_thousands(*count));
    }
    html.push_str("</ul></details>");
    html
}

/// A select of the search form; `any` is the label of its empty choice, if it has one.
fn select(name: &str, label: &str, any: Option<&str>, options: &[(String, String)], chosen: Option<&str>) -> String {
    let mut html = format!("<label>{label}<select name=\"{name}\">");
    if let Some(any) = any {
        let _ = write!(html, "<option value=\"\">{any}</option>");
    }
    for (value, text) in options {
        let selected = if chosen == Some(value.as_str()) { " selected" } else { "" };
        let _ = write!(html, "<option value=\"{}\"{selected}>{}</option>", escape(value), escape(text));
    }
    html.push_str("</select></label>");
    html
}

/// `GET /viec-lam?q=tho+han&province=01` — the search page.
pub async fn results(State(state): State<AppState>, caller: Option<Caller>, lang: Lang, uri: Uri) -> Result<Response, ApiError> {
    let pairs = filled_pairs(&uri);
    let params: SearchParams = format!("/?{}", query_string(&pairs))
        .parse::<Uri>()
        .ok()
        .and_then(|u| Query::<SearchParams>::try_from_uri(&u).ok())
        .map(|Query(p)| p)
        .unwrap_or_default();
    let per_page = params.per_page.unwrap_or(20).clamp(1, 100);
    let page = params.page.unwrap_or(1).max(1);
    let today = crate::today();
    let mut notice = String::new();
    let query = match params.clone().into_query(today) {
        Ok(query) => Some(query),
        Err(ApiError::Client { message_vi, message_en, .. }) => {
            notice = format!("<p class=\"form-error\" role=\"alert\">{}</p>", escape(lang.pick(&message_vi, &message_en)));
            None
        }
        Err(other) => return Err(other),
    };
    let results = match query {
        Some(query) => {
            let indexes = Arc::clone(&state.indexes);
            blocking(move || indexes.vacancies.search(&query)).await?
        }
        None => caunoi_search::VacancyResults::default(),
    };
    let ids: Vec<VacancyId> = results.hits.iter().map(|h| VacancyId(h.id)).collect();
    let vacancies = records::vacancies_by_ids(&state.store, &ids).await?;
    let employers = records::employer_names(&state.store, &vacancies.iter().map(|v| v.employer_id).collect::<Vec<EmployerId>>()).await?;

    let typed = value_of(&pairs, "q").unwrap_or_default();
    let provinces: Vec<(String, String)> =
        AdminCatalog::embedded().provinces().iter().map(|p| (p.code.as_str().to_owned(), p.name.clone())).collect();
    let where_options = vec![("false".to_owned(), lang.pick("Trong nước", "In Vietnam").to_owned()), ("true".to_owned(), lang.pick("Nước ngoài", "Abroad").to_owned())];
    let sorts = vec![
        ("relevance".to_owned(), lang.pick("Phù hợp nhất", "Best match").to_owned()),
        ("newest".to_owned(), lang.pick("Mới nhất", "Newest").to_owned()),
        ("salary".to_owned(), lang.pick("Lương cao nhất", "Highest pay").to_owned()),
    ];
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>[[Tìm việc làm|Find a job]]</h1>
<form class=\"search\" method=\"get\" action=\"/viec-lam\" role=\"search\">
<label for=\"q\">[[Nghề, công việc, doanh nghiệp hoặc nơi làm việc (gõ không dấu cũng được)|Job, employer or place (diacritics optional)]]</label>
<div class=\"row\"><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" autocomplete=\"off\" list=\"q-suggestions\" data-complete=\"/api/v1/vacancies/complete\" placeholder=\"[[ví dụ: tho han, công nhân may, Nhật Bản|e.g. tho han, sewing, Japan]]\">
<button type=\"submit\">[[Tìm|Search]]</button></div>
<datalist id=\"q-suggestions\"></datalist>
<div class=\"filters\">{}{}{}</div>
</form>{notice}",
        escape(typed),
        select("province", "[[Tỉnh, thành phố|Province]]", Some("[[Tất cả|All]]"), &provinces, value_of(&pairs, "province")),
        select("overseas", "[[Trong nước / nước ngoài|Home or abroad]]", Some("[[Tất cả|All]]"), &where_options, value_of(&pairs, "overseas")),
        select("sort", "[[Sắp xếp|Sort]]", None, &sorts, value_of(&pairs, "sort")),
    );
    let _ = write!(
        body,
        "<p class=\"total\" data-total=\"{}\">[[Tìm thấy|Found]] <strong>{}</strong> [[việc làm|jobs]]</p><div class=\"results\"><aside aria-label=\"[[Bộ lọc|Filters]]\">{}{}{}{}{}</aside><ol class=\"hits\" start=\"{}\">",
        results.total,
        group_thousands(results.total as u64),
        facet_block(lang.pick("Tỉnh, thành phố", "Province"), "province", &results.provinces, &pairs, province_name),
        facet_block(lang.pick("Nhóm nghề", "Occupation group"), "isco", &results.occupations, &pairs, |c| occupation_name(c, lang)),
        facet_block(lang.pick("Thị trường", "Market"), "country", &results.markets, &pairs, |c| market_name(c, lang)),
        facet_block(lang.pick("Hình thức", "Type"), "type", &results.employment_types, &pairs, |c| code_label(caunoi_domain::records::EmploymentType::parse, c)),
        facet_block(lang.pick("Chương trình", "Programme"), "programme", &results.programmes, &pairs, |c| code_label(caunoi_domain::records::OverseasProgramme::parse, c)),
        (page - 1) * per_page + 1,
    );
    for hit in &results.hits {
        let vacancy = vacancies.iter().find(|v| v.id.0 == hit.id);
        let employer = vacancy.and_then(|v| employers.get(&v.employer_id)).map(String::as_str).unwrap_or_default();
        let (place, salary) = vacancy.map(|v| (place_of(&v.workplace, lang), v.salary.display_vi())).unwrap_or_default();
        let _ = write!(
            body,
            "<li class=\"hit\"><h2><a href=\"/viec-lam/{}\">{}</a></h2><p class=\"meta\">{} · {} · <strong>{}</strong></p><p class=\"snippet\">{}</p></li>",
            hit.id,
            escape(&hit.title),
            escape(employer),
            escape(&place),
            escape(&salary),
            // The index escapes the excerpt and marks matches with <b>.
            hit.snippet,
        );
    }
    if results.hits.is_empty() {
        body.push_str("<li class=\"empty\">[[Chưa có việc làm phù hợp. Hãy thử từ khác hoặc bỏ bớt bộ lọc.|No jobs match. Try other words or fewer filters.]]</li>");
    }
    body.push_str("</ol></div><nav class=\"pages\" aria-label=\"[[Trang|Pages]]\">");
    let base: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "page").cloned().collect();
    if page > 1 {
        let mut previous = base.clone();
        previous.push(("page".into(), (page - 1).to_string()));
        let _ = write!(body, "<a rel=\"prev\" href=\"/viec-lam?{}\">[[← Trang trước|← Previous]]</a>", escape(&query_string(&previous)));
    }
    if page * per_page < results.total {
        let mut next = base;
        next.push(("page".into(), (page + 1).to_string()));
        let _ = write!(body, "<a rel=\"next\" href=\"/viec-lam?{}\">[[Trang sau →|Next →]]</a>", escape(&query_string(&next)));
    }
    body.push_str("</nav>");
    Ok(Page { lang, caller: caller.as_ref(), path: "/viec-lam", title: ("Tìm việc làm", "Find a job"), body, head: String::new() }.render().into_response())
}

/// `GET /viec-lam/{id}` — one vacancy, with its schema.org `JobPosting` for search engines.
pub async fn vacancy(State(state): State<AppState>, caller: Option<Caller>, lang: Lang, Path(id): Path<String>) -> Result<Response, ApiError> {
    let path = format!("/viec-lam/{id}");
    let Ok(id) = Uuid::parse_str(&id) else { return Ok(not_found_page(lang, caller.as_ref(), &path)) };
    let vacancy = match records::get_vacancy(&state.store, VacancyId(id)).await {
        Ok(v) => v,
        Err(caunoi_store::StoreError::NotFound { .. }) => return Ok(not_found_page(lang, caller.as_ref(), &path)),
        Err(other) => return Err(other.into()),
    };
    let role = caller.as_ref().map(Caller::role);
    let owner = matches!(role, Some(caunoi_domain::access::Role::Employer { employer, .. }) if *employer == vacancy.employer_id);
    let staff = role.is_some_and(caunoi_domain::access::Role::is_staff);
    if vacancy.status != VacancyStatus::Open && !owner && !staff {
        return Ok(not_found_page(lang, caller.as_ref(), &path));
    }
    let employer = records::get_employer(&state.store, vacancy.employer_id).await?;
    let posting = caunoi_ingest::sources::jsonld::job_posting(&vacancy, &employer, &format!("/viec-lam/{id}"));
    // `</` inside a script element would end it early.
    let head = format!("<script type=\"application/ld+json\">{}</script>", posting.to_string().replace("</", "<\\/"));
    Ok(Page { lang, caller: caller.as_ref(), path: &path, title: (&vacancy.title, &vacancy.title), body: vacancy_body(&vacancy, &employer.name, lang, owner, staff), head }
        .render()
        .into_response())
}

fn vacancy_body(vacancy: &Vacancy, employer: &str, lang: Lang, owner: bool, staff: bool) -> String {
    let mut body = String::new();
    let deadline = vacancy.deadline.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| lang.pick("Không ghi", "Not stated").to_owned());
    let _ = write!(
        body,
        "<article class=\"vacancy\"><h1>{}</h1><p class=\"employer\">{}</p><dl class=\"facts\">\
<dt>[[Nơi làm việc|Where]]</dt><dd>{}</dd><dt>[[Mức lương|Pay]]</dt><dd>{}</dd><dt>[[Nghề (ISCO-08)|Occupation (ISCO-08)]]</dt><dd>{} ({})</dd>\
<dt>[[Hình thức|Type]]</dt><dd>{}</dd><dt>[[Số lượng cần tuyển|Openings]]</dt><dd>{}</dd><dt>[[Hạn nộp hồ sơ|Apply by]]</dt><dd>{}</dd><dt>[[Trạng thái|Status]]</dt><dd>{}</dd></dl>",
        escape(&vacancy.title),
        escape(employer),
        escape(&place_of(&vacancy.workplace, lang)),
        escape(&if vacancy.salary_text.is_empty() { vacancy.salary.display_vi() } else { vacancy.salary_text.clone() }),
        escape(&occupation_name(vacancy.occupation.as_str(), lang)),
        vacancy.occupation.as_str(),
        vacancy.employment_type.label_vi(),
        vacancy.quantity,
        deadline,
        vacancy.status.label_vi(),
    );
    let requirements: Vec<String> = vacancy.requirements.must_have.iter().map(|r| format!("<li>{}</li>", escape(&r.label_vi()))).collect();
    if !requirements.is_empty() {
        let _ = write!(body, "<h2>[[Yêu cầu|Requirements]]</h2><ul>{}</ul>", requirements.join(""));
    }
    let preferred: Vec<String> = vacancy.requirements.nice_to_have.iter().map(|r| format!("<li>{}</li>", escape(&r.label_vi()))).collect();
    if !preferred.is_empty() {
        let _ = write!(body, "<h2>[[Ưu tiên|Preferred]]</h2><ul>{}</ul>", preferred.join(""));
    }
    let _ = write!(body, "<h2>[[Mô tả công việc|Description]]</h2><div class=\"description\">{}</div>", escape(&vacancy.description).replace('\n', "<br>"));
    body.push_str("<p class=\"actions\">");
    if let Some(fair) = vacancy.fair_id {
        let _ = write!(body, "<a class=\"button\" href=\"/phien-giao-dich/{}\">[[Gặp nhà tuyển dụng tại phiên giao dịch|Meet the employer at the job fair]]</a> ", fair.0);
    }
    if vacancy.workplace.is_overseas() {
        let _ = write!(body, "<a class=\"button\" href=\"/nuoc-ngoai/don-hang/{}\">[[Chi phí và đăng ký|Costs and registration]]</a> ", vacancy.id.0);
    }
    if owner {
        let _ = write!(body, "<a class=\"button\" href=\"/doanh-nghiep/viec-lam/{}\">[[Sửa tin|Edit]]</a> ", vacancy.id.0);
    }
    if owner || staff {
        // With the fair the vacancy is at, the candidates page can record outcomes there.
        let fair = vacancy.fair_id.map(|f| format!("?fair={}", f.0)).unwrap_or_default();
        let _ = write!(body, "<a class=\"button\" href=\"/ung-vien/{}{fair}\">[[Ứng viên phù hợp|Matching candidates]]</a>", vacancy.id.0);
    }
    body.push_str("</p></article>");
    body
}
