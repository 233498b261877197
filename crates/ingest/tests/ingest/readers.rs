use std::io::Cursor;
use std::path::Path;

use caunoi_ingest::IngestError;
use caunoi_ingest::pipeline::open_file;
use caunoi_ingest::sources::{Item, feed, json, jsonld, table};

fn split(items: impl Iterator<Item = Result<Item, IngestError>>) -> (Vec<caunoi_ingest::raw::SourceRecord>, Vec<caunoi_store::ingest::Quarantined>) {
    let (mut records, mut rejected) = (Vec::new(), Vec::new());
    for item in items {
        match item.unwrap() {
            Item::Record(r) => records.push(*r),
            Item::Rejected(q) => rejected.push(q),
        }
    }
    (records, rejected)
}

#[test]
fn ndjson_streams_records_and_rejects_bad_lines() {
    let body = "{\"id\":\"1\",\"title\":\"Thợ hàn\"}\n\n  \n{\"id\":2,\"title\":\"Phụ hồ\",\"quantity\":3}\n{not json}\n[1,2]\n{\"id\":\"3\",\"headline\":\"Lái xe\",\"description\":{\"text\":\"Lái xe tải\"}}\n";
    let (records, rejected) = split(json::records(Cursor::new(body.as_bytes().to_vec())));
    assert_eq!(records.len(), 3);
    assert_eq!(records[1].raw.external_id.as_deref(), Some("2"));
    assert_eq!(records[1].raw.quantity.as_deref(), Some("3"));
    assert_eq!(records[2].raw.title.as_deref(), Some("Lái xe"));
    assert_eq!(records[2].raw.description.as_deref(), Some("Lái xe tải"));
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0].raw, "{not json}");
    assert_eq!(rejected[0].error.code, "record.malformed");
}

#[test]
fn json_arrays_are_split_element_by_element() {
    let body = r#" [ {"id":"a","title":"x, [y] {z}","description":"quote \" and \\ and ]"},
        {"id":"b","title":"t","nested":{"list":[1,{"k":"]"}]}} , "text", {"id":"c","title":"u"} ] "#;
    let (records, rejected) = split(json::records(Cursor::new(body.as_bytes().to_vec())));
    let ids: Vec<_> = records.iter().map(|r| r.raw.external_id.clone().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(records[0].raw.title.as_deref(), Some("x, [y] {z}"));
    assert_eq!(rejected.len(), 1, "the string element");
    let (none, _) = split(json::records(Cursor::new(b"[]".to_vec())));
    assert!(none.is_empty());
}

#[test]
fn csv_with_vietnamese_headers_with_or_without_diacritics() {
    let with_marks = "\u{FEFF}Mã tin,Vị trí tuyển dụng,Tên doanh nghiệp,Mức lương,Nơi làm việc,Cột lạ\nA1,Thợ hàn,Công ty A,8 - 12 triệu,\"Phường Ba Đình, Hà Nội\",x\n,,,,,\n";
    let (records, _) = split(table::csv_records(Cursor::new(with_marks.as_bytes().to_vec())).unwrap());
    assert_eq!(records.len(), 1, "blank rows are skipped");
    let raw = &records[0].raw;
    assert_eq!((raw.external_id.as_deref(), raw.title.as_deref(), raw.salary.as_deref()), (Some("A1"), Some("Thợ hàn"), Some("8 - 12 triệu")));
    assert_eq!(raw.location.as_deref(), Some("Phường Ba Đình, Hà Nội"));
    assert!(records[0].original.contains("Cột lạ"), "unknown columns stay in the raw record: {}", records[0].original);

    let without_marks = "MA TIN;VI TRI TUYEN DUNG;TEN DOANH NGHIEP;MUC LUONG;NOI LAM VIEC;SO LUONG\nB1;Phụ hồ;Công ty B;Thỏa thuận;Phường Ba Đình, Hà Nội;4\n";
    let (records, _) = split(table::csv_records(Cursor::new(without_marks.as_bytes().to_vec())).unwrap());
    assert_eq!(records[0].raw.quantity.as_deref(), Some("4"));
    assert_eq!(records[0].raw.title.as_deref(), Some("Phụ hồ"));

    match table::csv_records(Cursor::new(b"foo,bar\n1,2\n".to_vec())) {
        Err(IngestError::MissingColumn { header, .. }) => assert_eq!(header, "Vị trí tuyển dụng"),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("accepted a sheet without a title column"),
    }
}

#[test]
fn every_template_header_is_recognised() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/vacancies-template.csv");
    let text = std::fs::read_to_string(&template).unwrap();
    let header_line = text.lines().next().unwrap();
    for header in header_line.split(',') {
        assert!(table::field_for_header(header).is_some(), "template header {header} is not recognised");
        assert!(table::field_for_header(&caunoi_domain::text::fold(header)).is_some(), "{header} without diacritics");
    }
    let (records, rejected) = split(open_file(&template).unwrap());
    assert_eq!((records.len(), rejected.len()), (3, 0));
}

#[test]
fn xlsx_sheets_are_read_like_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vacancies.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["Mã tin", "Vị trí tuyển dụng", "Tên doanh nghiệp", "Mã số thuế", "Số lượng", "Hạn nộp hồ sơ", "Nơi làm việc"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "X1").unwrap();
    sheet.write_string(1, 1, "Thợ hàn").unwrap();
    sheet.write_string(1, 2, "Công ty A").unwrap();
    // A tax code typed as a number loses its leading zero in Excel.
    sheet.write_number(1, 3, 300_588_569.0).unwrap();
    sheet.write_number(1, 4, 12.0).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 12, 30).unwrap();
    sheet.write_datetime_with_format(1, 5, &date, &format).unwrap();
    sheet.write_string(1, 6, "Phường Ba Đình, Hà Nội").unwrap();
    workbook.save(&path).unwrap();

    let (records, rejected) = split(open_file(&path).unwrap());
    assert!(rejected.is_empty());
    let raw = &records[0].raw;
    assert_eq!(raw.employer_tax_code.as_deref(), Some("0300588569"));
    assert_eq!(raw.quantity.as_deref(), Some("12"));
    assert_eq!(raw.deadline.as_deref(), Some("2026-12-30"));
    assert!(matches!(open_file(&dir.path().join("x.pdf")), Err(IngestError::UnsupportedFile(_))));
}

#[test]
fn xlsx_rows_stream_in_order_and_a_sheet_without_a_title_column_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    // The table starts at column B, and row 101 is left blank.
    for (column, header) in ["Mã tin", "Vị trí", "Doanh nghiệp"].iter().enumerate() {
        sheet.write_string(0, column as u16 + 1, *header).unwrap();
    }
    for row in 1..=3_000u32 {
        if row == 101 {
            continue;
        }
        sheet.write_string(row, 1, format!("R{row}")).unwrap();
        sheet.write_string(row, 2, "Công nhân may").unwrap();
        sheet.write_string(row, 3, "Công ty May Nam Định").unwrap();
    }
    workbook.save(&path).unwrap();

    let mut rows = open_file(&path).unwrap();
    let first: Vec<_> = rows.by_ref().take(3).map(|item| match item.unwrap() {
        Item::Record(record) => record.raw.external_id.unwrap(),
        Item::Rejected(rejected) => panic!("{rejected:?}"),
    }).collect();
    assert_eq!(first, ["R1", "R2", "R3"]);
    assert_eq!(rows.count(), 2_999 - 3, "every other non-blank row follows");

    for (name, headers) in [("no-title.xlsx", &["Mã tin", "Lương"][..]), ("empty.xlsx", &[][..])] {
        let path = dir.path().join(name);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (column, header) in headers.iter().enumerate() {
            sheet.write_string(0, column as u16, *header).unwrap();
        }
        workbook.save(&path).unwrap();
        assert!(matches!(open_file(&path), Err(IngestError::MissingColumn { .. })), "{name}");
    }
}

#[test]
fn json_ld_job_postings_in_html() {
    let page = r#"<html><head>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Organization","name":"X"},
        {"@type":"JobPosting","identifier":{"@type":"PropertyValue","name":"ACME","value":"J-9"},"title":"Thợ hàn",
         "description":"<p>Hàn <b>MIG</b>&nbsp;và TIG</p>","datePosted":"2026-11-20","validThrough":"2026-12-31T23:59:59+07:00",
         "employmentType":"FULL_TIME","hiringOrganization":{"@type":"Organization","name":"Công ty A","taxID":"0300588569"},
         "jobLocation":{"@type":"Place","address":{"@type":"PostalAddress","addressLocality":"Phường Ba Đình","addressRegion":"Hà Nội","addressCountry":"VN"}},
         "baseSalary":{"@type":"MonetaryAmount","currency":"VND","value":{"@type":"QuantitativeValue","minValue":8000000,"maxValue":12000000,"unitText":"MONTH"}}}]}
      </script>
      <SCRIPT TYPE="application/ld+json">[{"@type":"JobPosting","title":"Phụ hồ"}]</SCRIPT>
      <script>var notJsonLd = 1;</script>
      <script type="application/ld+json">{ "@type": "JobPosting", "title": </script>
    </head></html>"#;
    let items = jsonld::postings("https://jobs.example/p/1", page);
    let records: Vec<_> = items.iter().filter_map(|i| if let Item::Record(r) = i { Some(r) } else { None }).collect();
    let rejected: Vec<_> = items.iter().filter_map(|i| if let Item::Rejected(q) = i { Some(q) } else { None }).collect();
    assert_eq!(records.len(), 2);
    let first = &records[0].raw;
    assert_eq!(first.external_id.as_deref(), Some("J-9"));
    assert_eq!(first.employer_tax_code.as_deref(), Some("0300588569"));
    assert_eq!(first.location.as_deref(), Some("Phường Ba Đình, Hà Nội"));
    assert_eq!(first.salary.as_deref(), Some("8000000 - 12000000 VND/tháng"));
    assert_eq!(first.employment_type.as_deref(), Some("full_time"));
    assert!(first.description.as_deref().unwrap().contains("MIG"));
    assert!(!first.description.as_deref().unwrap().contains('<'));
    assert_eq!(records[1].raw.external_id.as_deref(), Some("https://jobs.example/p/1#1"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].error.code, "jsonld.malformed");

    let empty = jsonld::postings("https://jobs.example/none", "<html><body>Không có tin</body></html>");
    assert!(matches!(&empty[..], [Item::Rejected(q)] if q.error.code == "jsonld.no_job_posting"));
}

#[test]
fn feed_pages_with_cursor_and_tombstones() {
    let (items, cursor) = feed::page(br#"{"items":[{"id":"1","title":"A"},{"id":"2","removed":true},7],"next":"2026-12-01T00:00:00Z"}"#).unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(cursor.as_deref(), Some("2026-12-01T00:00:00Z"));
    assert!(matches!(&items[1], Item::Record(r) if r.raw.removed));
    assert!(matches!(&items[2], Item::Rejected(_)));
    let (items, cursor) = feed::page(br#"[{"id":"1"}]"#).unwrap();
    assert_eq!((items.len(), cursor), (1, None));
    assert!(matches!(feed::page(b"{\"x\":1}"), Err(IngestError::Feed(_))));
    assert!(matches!(feed::page(b"<html>"), Err(IngestError::Feed(_))));
}

/// What the vacancy page publishes as JSON-LD is what the JSON-LD reader takes in.
#[test]
fn the_job_posting_of_a_vacancy_page_reads_back() {
    let vacancy: caunoi_domain::records::Vacancy = serde_json::from_value(serde_json::json!({
        "id": "0190f1d2-0000-7000-8000-000000000001", "employer_id": "0190f1d2-0000-7000-8000-000000000002",
        "title": "Thợ hàn MIG </script>", "description": "Hàn kết cấu thép.\nCa ngày.", "occupation": "7212",
        "employment_type": "full_time", "quantity": 5,
        "salary": {"min": 8000000, "max": 12000000, "currency": "VND", "period": "month", "negotiable": false},
        "salary_text": "8 - 12 triệu", "workplace": {"kind": "domestic", "commune_code": "00004"},
        "requirements": {"must_have": [], "nice_to_have": []}, "deadline": "2026-12-31", "fair_id": null,
        "status": "open", "posted_at": "2026-11-20T03:00:00Z"
    }))
    .unwrap();
    let employer: caunoi_domain::records::Employer = serde_json::from_value(serde_json::json!({
        "id": "0190f1d2-0000-7000-8000-000000000002", "name": "Công ty Cơ khí Đông Anh", "kind": {"kind": "domestic"},
        "tax_code": "0100109106", "province_code": "01", "commune_code": null, "address": null, "phone": null, "email": null
    }))
    .unwrap();
    let posting = jsonld::job_posting(&vacancy, &employer, "/viec-lam/1");
    let page = format!("<html><head><script type=\"application/ld+json\">{}</script></head></html>", posting.to_string().replace("</", "<\\/"));
    let items = jsonld::postings("http://localhost/viec-lam/1", &page);
    let [Item::Record(record)] = &items[..] else { panic!("one posting: {items:?}") };
    let raw = &record.raw;
    assert_eq!(raw.external_id.as_deref(), Some("0190f1d2-0000-7000-8000-000000000001"));
    assert_eq!(raw.title.as_deref(), Some("Thợ hàn MIG </script>"));
    assert_eq!(raw.employer_name.as_deref(), Some("Công ty Cơ khí Đông Anh"));
    assert_eq!(raw.employer_tax_code.as_deref(), Some("0100109106"));
    assert_eq!(raw.location.as_deref(), Some("Phường Ba Đình, Hà Nội"));
    assert_eq!(raw.salary.as_deref(), Some("8000000 - 12000000 VND/tháng"));
    assert_eq!(raw.employment_type.as_deref(), Some("full_time"));
    assert_eq!(raw.deadline.as_deref(), Some("2026-12-31"));
    assert_eq!(raw.occupation_code.as_deref(), Some("7212"));
}
