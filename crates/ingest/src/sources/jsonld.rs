//! schema.org `JobPosting` in `<script type="application/ld+json">` blocks of HTML pages
//! (objects, arrays and `@graph` containers), mapped onto the raw record.

use serde_json::{Map, Value, json};

use caunoi_domain::ValidationError;
use caunoi_store::ingest::Quarantined;

use crate::raw::bounded;
use crate::sources::{Item, item_from_value, malformed};

fn find_ignore_case(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let lower_needle = needle.to_ascii_lowercase();
    haystack.get(from..)?.to_ascii_lowercase().find(&lower_needle).map(|i| i + from)
}

/// The JSON texts of the page's JSON-LD script blocks.
fn script_blocks(html: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut position = 0;
    while let Some(start) = find_ignore_case(html, "<script", position) {
        let Some(tag_end) = html[start..].find('>').map(|i| start + i) else { break };
        let tag = &html[start..tag_end];
        let Some(close) = find_ignore_case(html, "</script", tag_end) else { break };
        if tag.to_ascii_lowercase().contains("application/ld+json") {
            blocks.push(html[tag_end + 1..close].trim());
        }
        position = close + 1;
    }
    blocks
}

fn is_job_posting(value: &Value) -> bool {
    match value.get("@type") {
        Some(Value::String(t)) => t == "JobPosting",
        Some(Value::Array(types)) => types.iter().any(|t| t == "JobPosting"),
        _ => false,
    }
}

fn collect_postings(value: Value, found: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| collect_postings(v, found)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_postings(graph, found);
            }
            let object = Value::Object(map);
            if is_job_posting(&object) {
                found.push(object);
            }
        }
        _ => {}
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => text(map.get("value")).or_else(|| text(map.get("name"))),
        Value::Array(items) => text(items.first()),
        _ => None,
    }
}

/// Strips HTML tags and decodes the few entities ads use.
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// `baseSalary` (MonetaryAmount) → wage text the salary parser reads.
fn salary_text(salary: &Value) -> Option<String> {
    let currency = text(salary.get("currency")).unwrap_or_default();
    let value = salary.get("value")?;
    let (low, high, unit) = match value {
        Value::Object(_) => (
            text(value.get("minValue")).or_else(|| text(value.get("value"))),
            text(value.get("maxValue")),
            text(value.get("unitText")).unwrap_or_else(|| "MONTH".to_owned()),
        ),
        other => (text(Some(other)), None, "MONTH".to_owned()),
    };
    let period = match unit.to_ascii_uppercase().as_str() {
        "HOUR" => "giờ",
        "DAY" => "ngày",
        "YEAR" => "năm",
        _ => "tháng",
    };
    let amounts = match (low, high) {
        (Some(low), Some(high)) => format!("{low} - {high}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => return None,
    };
    Some(format!("{amounts} {currency}/{period}"))
}

fn location(posting: &Value) -> (Option<String>, Option<String>) {
    let place = match posting.get("jobLocation") {
        Some(Value::Array(places)) => places.first(),
        other => other,
    };
    let Some(address) = place.and_then(|p| p.get("address")) else { return (None, None) };
    if let Value::String(s) = address {
        return (Some(s.clone()), None);
    }
    let parts: Vec<String> =
        ["streetAddress", "addressLocality", "addressRegion"].iter().filter_map(|k| text(address.get(*k))).collect();
    let country = text(address.get("addressCountry"));
    ((!parts.is_empty()).then(|| parts.join(", ")), country)
}

fn employment_type(value: Option<&Value>) -> Option<String> {
    Some(
        match text(value)?.to_ascii_uppercase().as_str() {
            "PART_TIME" => "part_time",
            "TEMPORARY" | "SEASONAL" => "seasonal",
            "INTERN" => "internship",
            _ => "full_time",
        }
        .to_owned(),
    )
}

/// One `JobPosting` → the fields of a raw record.
fn to_raw(posting: &Value, fallback_id: String) -> Value {
    let (place, country) = location(posting);
    let organisation = posting.get("hiringOrganization");
    let occupation = text(posting.get("occupationalCategory")).filter(|c| c.len() == 4 && c.chars().all(|d| d.is_ascii_digit()));
    let mut record = Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            record.insert(key.to_owned(), Value::String(value));
        }
    };
    put("external_id", Some(text(posting.get("identifier")).unwrap_or(fallback_id)));
    put("title", text(posting.get("title")));
    put("description", text(posting.get("description")).map(|d| plain_text(&d)));
    put("employer_name", organisation.and_then(|o| text(o.get("name")).or_else(|| o.as_str().map(str::to_owned))));
    put("employer_tax_code", organisation.and_then(|o| text(o.get("taxID"))));
    put("salary", posting.get("baseSalary").and_then(salary_text));
    put("location", place);
    put("country", country.filter(|c| !c.eq_ignore_ascii_case("VN") && !c.eq_ignore_ascii_case("Vietnam")));
    put("employment_type", employment_type(posting.get("employmentType")));
    put("occupation_code", occupation);
    put("quantity", text(posting.get("totalJobOpenings")));
    put("deadline", text(posting.get("validThrough")));
    put("posted_at", text(posting.get("datePosted")));
    Value::Object(record)
}

/// The postings of one page: records, a quarantined entry per malformed block, and one for a
/// page that carries no `JobPosting` at all.
pub fn postings(url: &str, html: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut postings = Vec::new();
    for block in script_blocks(html) {
        match serde_json::from_str::<Value>(block) {
            Ok(value) => collect_postings(value, &mut postings),
            Err(error) => {
                let mut rejected = malformed(block, &error.to_string());
                rejected.error = ValidationError::new(
                    "jsonld",
                    "jsonld.malformed",
                    format!("Khối JSON-LD trên trang {url} không đúng cú pháp JSON ({error})."),
                    format!("A JSON-LD block on {url} is not valid JSON ({error})."),
                );
                rejected.external_id = Some(url.to_owned());
                items.push(Item::Rejected(rejected));
            }
        }
    }
    if postings.is_empty() && items.is_empty() {
        items.push(Item::Rejected(Quarantined {
            external_id: Some(url.to_owned()),
            position: None,
            raw: bounded(html),
            error: ValidationError::new(
                "jsonld",
                "jsonld.no_job_posting",
                format!("Trang {url} không có tin tuyển dụng dạng schema.org JobPosting."),
                format!("The page {url} carries no schema.org JobPosting."),
            ),
        }));
    }
    let several = postings.len() > 1;
    for (i, posting) in postings.iter().enumerate() {
        let fallback = if several { format!("{url}#{i}") } else { url.to_owned() };
        let original = json!(posting).to_string();
        items.push(item_from_value(to_raw(posting, fallback), original));
    }
    items
}

/// A vacancy as a schema.org `JobPosting`, for the vacancy's web page: what search engines and
/// job aggregators read, and what [`postings`] reads back (the two are tested against each
/// other). `url` is the page's address.
pub fn job_posting(vacancy: &caunoi_domain::records::Vacancy, employer: &caunoi_domain::records::Employer, url: &str) -> Value {
    use caunoi_domain::records::{EmploymentType, Workplace};
    use caunoi_domain::{AdminCatalog, PayPeriod};
    let employment_type = match vacancy.employment_type {
        EmploymentType::FullTime => "FULL_TIME",
        EmploymentType::PartTime => "PART_TIME",
        EmploymentType::Seasonal => "TEMPORARY",
        EmploymentType::Internship => "INTERN",
    };
    let address = match &vacancy.workplace {
        Workplace::Domestic { commune_code } => {
            let catalog = AdminCatalog::embedded();
            let commune = catalog.commune(commune_code);
            let province = commune.and_then(|c| catalog.province(&c.province_code));
            json!({
                "@type": "PostalAddress",
                "addressLocality": commune.map(|c| c.name.clone()),
                "addressRegion": province.map(|p| p.name.clone()),
                "addressCountry": "VN",
            })
        }
        Workplace::Overseas { country, .. } => json!({"@type": "PostalAddress", "addressCountry": country.as_str()}),
    };
    let mut posting = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "identifier": vacancy.id.0.to_string(),
        "url": url,
        "title": vacancy.title,
        "description": vacancy.description,
        "datePosted": caunoi_domain::vietnam_date(vacancy.posted_at).to_string(),
        "employmentType": employment_type,
        "occupationalCategory": vacancy.occupation.as_str(),
        "totalJobOpenings": vacancy.quantity.get(),
        "hiringOrganization": {"@type": "Organization", "name": employer.name, "taxID": employer.tax_code.as_ref().map(|t| t.as_str().to_owned())},
        "jobLocation": {"@type": "Place", "address": address},
    });
    if let Some(deadline) = vacancy.deadline {
        posting["validThrough"] = json!(deadline.to_string());
    }
    let salary = &vacancy.salary;
    if salary.min().is_some() || salary.max().is_some() {
        let unit = match salary.period() {
            PayPeriod::Hour => "HOUR",
            PayPeriod::Day => "DAY",
            PayPeriod::Month => "MONTH",
            PayPeriod::Year => "YEAR",
        };
        let whole = |m: caunoi_domain::Money| m.whole_units();
        posting["baseSalary"] = json!({
            "@type": "MonetaryAmount",
            "currency": salary.currency().code(),
            "value": {"@type": "QuantitativeValue", "minValue": salary.min_money().map(whole), "maxValue": salary.max_money().map(whole), "unitText": unit},
        });
    }
    posting
}
