//! Import the same files twice, edit, import through another source and withdraw: count rows,
//! on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use caunoi_domain::records::{Employer, EmployerKind, PlacementLicence};
use caunoi_domain::{AdminCatalog, CommuneCode, EmployerId, TaxCode, VacancyId};
use caunoi_ingest::{ingest_file, ingest_push};
use caunoi_store::ingest as store_ingest;
use caunoi_store::testing::{TestDatabase, backends};
use caunoi_store::{Store, change_log, records, stats};

const HEADER: &str = "Mã tin,Vị trí tuyển dụng,Tên doanh nghiệp,Mã số thuế,Mức lương,Nơi làm việc,Tỉnh/Thành phố,Số lượng,Mô tả công việc,Yêu cầu,Hạn nộp hồ sơ,Quốc gia,Chương trình";

fn rows(prefix: &str, first_wage: &str) -> Vec<Vec<String>> {
    let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<String>>();
    vec![
        row(&[&format!("{prefix}-001"), "Công nhân may công nghiệp", "Công ty TNHH May mặc Hòa Bình", "0300588569", first_wage, "Phường Bến Thành", "TP.HCM", "30", "May trên dây chuyền theo phân công của tổ trưởng, kiểm tra đường may", "Chăm chỉ", "31/12/2099", "", ""]),
        row(&[&format!("{prefix}-002"), "Thợ hàn", "Công ty TNHH May mặc Hòa Bình", "0300588569", "Từ 10 triệu", "Xã Thuận Hòa, huyện Vị Xuyên", "Hà Giang", "5", "Hàn kết cấu thép theo bản vẽ kỹ thuật của xưởng cơ khí", "Có chứng chỉ hàn 3G", "31/12/2099", "", ""]),
        row(&[&format!("{prefix}-003"), "Đơn hàng chế biến thực phẩm đi Nhật (TTS 3 năm)", "Công ty CP Cung ứng Nhân lực Quốc tế", "0301234562", "18 man", "", "", "20", "Chế biến cơm hộp trong nhà máy thực phẩm tại Aichi", "Từ đủ 18 tuổi", "31/12/2099", "Nhật Bản", "titp"]),
        row(&[&format!("{prefix}-004"), "Thợ điện", "Công ty TNHH Điện Sáng", "", "8 triệu", "Xã Tân Lập", "", "2", "Lắp đặt điện dân dụng", "", "31/12/2099", "", ""]),
        row(&[&format!("{prefix}-005"), "Nhân viên lễ tân", "Công ty TNHH Điện Sáng", "", "7 - 9 triệu", "Phường Ba Đình", "Hà Nội", "1", "Đón tiếp khách, nghe điện thoại, quản lý lịch hẹn của văn phòng", "Chỉ tuyển nữ, ngoại hình ưa nhìn", "31/12/2099", "", ""]),
    ]
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(HEADER.split(',')).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in HEADER.split(',').enumerate() {
        // The same headers typed without diacritics.
        sheet.write_string(0, column as u16, caunoi_domain::text::fold(header).to_uppercase()).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

async fn register_placement_enterprise(store: &Store) -> EmployerId {
    let commune = &AdminCatalog::embedded().communes()[0];
    let employer = Employer {
        id: EmployerId::new(),
        name: "Công ty Cổ phần Cung ứng Nhân lực Quốc tế".to_owned(),
        kind: EmployerKind::PlacementEnterprise {
            licence: PlacementLicence::new("123/LĐTBXH-GP", NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(), None).unwrap(),
        },
        tax_code: Some(TaxCode::parse("0301234562").unwrap()),
        province_code: commune.province_code.clone(),
        commune_code: Some(commune.code.clone()),
        address: None,
        phone: None,
        email: None,
    };
    records::insert_employer(store, employer).await.unwrap()
}

async fn vacancy_of(store: &Store, source: &str, external_id: &str) -> caunoi_domain::records::Vacancy {
    let link = store_ingest::link(store, source, external_id).await.unwrap().unwrap_or_else(|| panic!("{source}/{external_id}"));
    records::get_vacancy(store, VacancyId(link.vacancy_id)).await.unwrap()
}

#[tokio::test]
async fn importing_the_same_file_twice_inserts_nothing_new() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let store = &db.store;
        let name = db.backend_name();
        let placement = register_placement_enterprise(store).await;
        let dir = tempfile::tempdir().unwrap();
        let csv: PathBuf = dir.path().join("tin-tuyen-dung.csv");
        write_csv(&csv, &rows("VD", "8 - 12 triệu"));
        let source = Some("so-ldtbxh-hcm".to_owned());

        let first = ingest_file(store, &csv, source.clone(), |_| {}).await.unwrap();
        assert_eq!((first.counts.received, first.counts.inserted, first.counts.quarantined), (5, 4, 1), "{name}: {:?}", first.counts);
        assert_eq!(stats::overview(store).await.unwrap().open_vacancies, 4);
        assert_eq!(stats::overview(store).await.unwrap().employers, 3, "{name}: the placement enterprise + two employers created once");
        assert_eq!(store_ingest::link_count(store, None).await.unwrap(), 4);
        assert_eq!(change_log::latest_seq(store).await.unwrap(), 4, "{name}: one change-log row per inserted vacancy");

        let second = ingest_file(store, &csv, source.clone(), |_| {}).await.unwrap();
        assert_eq!((second.counts.inserted, second.counts.unchanged, second.counts.updated, second.counts.quarantined), (0, 4, 0, 1), "{name}: {:?}", second.counts);
        assert_eq!(stats::overview(store).await.unwrap().open_vacancies, 4);
        assert_eq!(change_log::latest_seq(store).await.unwrap(), 4, "{name}: unchanged records write nothing");

        // Normalised content, employer matching and flags.
        let sewing = vacancy_of(store, "so-ldtbxh-hcm", "VD-001").await;
        assert_eq!(sewing.workplace_province().map(|p| p.to_string()), Some("79".to_owned()));
        assert_eq!(sewing.occupation.as_str(), "8153");
        let welder = vacancy_of(store, "so-ldtbxh-hcm", "VD-002").await;
        assert_eq!(welder.employer_id, sewing.employer_id, "{name}: same tax code, same employer");
        assert_eq!(welder.workplace, caunoi_domain::records::Workplace::Domestic { commune_code: CommuneCode::parse("00922").unwrap() });
        let order = vacancy_of(store, "so-ldtbxh-hcm", "VD-003").await;
        assert_eq!(order.employer_id, placement, "{name}: matched to the registered enterprise by tax code");
        let receptionist = store_ingest::link(store, "so-ldtbxh-hcm", "VD-005").await.unwrap().unwrap();
        let grounds: Vec<&str> = receptionist.flags["discrimination"].as_array().unwrap().iter().map(|f| f["ground"].as_str().unwrap()).collect();
        assert_eq!(grounds, ["sex", "appearance"], "{name}: flagged, not rejected");

        // Nothing lost: the ambiguous row is quarantined with its reason, once per run.
        let quarantined = store_ingest::quarantine(store, Some("so-ldtbxh-hcm"), 10).await.unwrap();
        assert_eq!(quarantined.len(), 2);
        let entry = &quarantined[0];
        assert_eq!((entry.external_id.as_deref(), entry.field.as_str(), entry.code.as_str()), (Some("VD-004"), "location", "location.ambiguous"));
        assert_eq!(entry.position, Some(5), "{name}: the sheet's row 5 (the header is row 1)");
        assert!(entry.raw.contains("Xã Tân Lập") && entry.message_vi.contains("Tân Lập"), "{entry:?}");

        // An edited wage updates the vacancy in place, with one change-log row.
        write_csv(&csv, &rows("VD", "9 - 13 triệu"));
        let edited = ingest_file(store, &csv, source.clone(), |_| {}).await.unwrap();
        assert_eq!((edited.counts.updated, edited.counts.unchanged, edited.counts.inserted), (1, 3, 0), "{name}: {:?}", edited.counts);
        let sewing_after = vacancy_of(store, "so-ldtbxh-hcm", "VD-001").await;
        assert_eq!((sewing_after.id, sewing_after.salary.min()), (sewing.id, Some(9_000_000)));
        assert_eq!(change_log::latest_seq(store).await.unwrap(), 5);

        // The same postings from another source (an XLSX without diacritics in its headers) are
        // near-duplicates linked to the canonical vacancies.
        let xlsx = dir.path().join("cong-viec.xlsx");
        write_xlsx(&xlsx, &rows("X", "9 - 13 triệu"));
        let other = ingest_file(store, &xlsx, Some("cong-thong-tin-tinh".to_owned()), |_| {}).await.unwrap();
        assert_eq!((other.counts.duplicate, other.counts.inserted, other.counts.quarantined), (4, 0, 1), "{name}: {:?}", other.counts);
        let sheet_reject = store_ingest::quarantine(store, Some("cong-thong-tin-tinh"), 1).await.unwrap();
        assert_eq!(sheet_reject[0].position, Some(5), "{name}: the workbook's row 5, as Excel numbers it");
        assert_eq!(stats::overview(store).await.unwrap().open_vacancies, 4);
        let duplicate = store_ingest::link(store, "cong-thong-tin-tinh", "X-001").await.unwrap().unwrap();
        assert!(duplicate.is_duplicate);
        assert_eq!(VacancyId(duplicate.canonical_vacancy_id), sewing.id);

        // A partner push withdrawing a posting closes its vacancy.
        let push = ingest_push(store, "so-ldtbxh-hcm", b"{\"id\":\"VD-002\",\"removed\":true}\n".to_vec()).await.unwrap();
        assert_eq!(push.counts.removed, 1);
        assert_eq!(stats::overview(store).await.unwrap().open_vacancies, 3);

        // One report row per run, newest first.
        let runs = store_ingest::runs(store, None, 10).await.unwrap();
        assert_eq!(runs.len(), 5);
        assert_eq!((runs[0].kind.as_str(), runs[0].status.as_str(), runs[0].removed), ("push", "finished", 1));
        assert_eq!(runs[1].duplicate, 4);
    }
}

#[tokio::test]
async fn a_partner_push_in_ndjson_matches_employers_by_tax_code_then_name() {
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let store = &db.store;
        let placement = register_placement_enterprise(store).await;
        let body = [
            r#"{"id":"P1","title":"Thợ hàn","employer":"CÔNG TY CỔ PHẦN CUNG ỨNG NHÂN LỰC QUỐC TẾ","country":"JP","programme":"ssw","salary":"20 man"}"#,
            r#"{"id":"P2","title":"Phụ hồ","employer":"Tên khác hẳn","tax_code":"0301234562","country":"KR","programme":"eps","salary":"2.096.270 won"}"#,
            r#"{"id":"P3","title":"Phụ hồ","employer":"Công ty chưa đăng ký","country":"TW","salary":"28.590 Đài tệ"}"#,
            r#"{"id":"P4","title":"Phụ hồ","employer":"Công ty A","location":"Phường Ba Đình, Hà Nội","quantity":"-3"}"#,
            r#"{"id":"P5" "title"}"#,
        ]
        .join("\n");
        let report = ingest_push(store, "doi-tac-a", body.into_bytes()).await.unwrap();
        assert_eq!((report.counts.inserted, report.counts.quarantined), (2, 3), "{:?}", report.counts);
        for id in ["P1", "P2"] {
            assert_eq!(vacancy_of(store, "doi-tac-a", id).await.employer_id, placement, "{id}");
        }
        // Each reject keeps its NDJSON line, whichever step refused it: the store (3), the
        // normaliser (4) or the reader (5).
        let mut lines: Vec<(i64, String)> = store_ingest::quarantine(store, Some("doi-tac-a"), 10)
            .await
            .unwrap()
            .into_iter()
            .map(|q| (q.position.unwrap_or(0), q.code))
            .collect();
        lines.sort();
        let expected = [(3, "employer.not_registered"), (4, "quantity.invalid"), (5, "record.malformed")];
        assert_eq!(lines.iter().map(|(line, code)| (*line, code.as_str())).collect::<Vec<_>>(), expected);
    }
}

/// NDJSON lines of `n` distinct domestic postings numbered from `first`.
fn postings(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!(r#"{{"id":"G{i}","title":"Công nhân lắp ráp {i}","employer":"Công ty TNHH Linh kiện Số {i}","location":"Phường Bến Thành, TP.HCM","salary":"8 triệu"}}"#))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn batches_commit_in_groups_and_a_failure_rolls_back_only_the_open_group() {
    use caunoi_ingest::{IngestError, IngestOptions, ingest};
    for backend in backends() {
        let db = TestDatabase::new(backend).await;
        let store = &db.store;
        let name = db.backend_name();
        // Batches of 2 records, a transaction per 4 or more: 11 records make 6 batches in
        // 3 transactions (4 + 4 + 3 records).
        let options = |source: &str| IngestOptions { batch_size: 2, commit_every: 4, ..IngestOptions::new(source, "push") };
        let records = caunoi_ingest::sources::json::records(std::io::Cursor::new(postings(1, 11).into_bytes()));
        let mut seen = Vec::new();
        let report = ingest(store, options("nhom"), records, |counts| seen.push(counts.received)).await.unwrap();
        assert_eq!((report.counts.received, report.counts.inserted), (11, 11), "{name}: {:?}", report.counts);
        assert_eq!(seen, [2, 4, 6, 8, 10, 11], "{name}: progress after every batch");
        assert_eq!(store_ingest::link_count(store, Some("nhom")).await.unwrap(), 11);
        assert_eq!(change_log::latest_seq(store).await.unwrap(), 11, "{name}: one change-log row each");

        // The reader fails after 6 records: the first transaction (4 records) stays, the open
        // one (records 5 and 6) is rolled back whole, and the report says so.
        let good = caunoi_ingest::sources::json::records(std::io::Cursor::new(postings(101, 6).into_bytes()));
        let failing = good.chain(std::iter::once(Err(IngestError::Read("kết nối bị ngắt".to_owned()))));
        let failed = ingest(store, options("dut-quang"), Box::new(failing), |_| {}).await;
        assert!(matches!(failed, Err(IngestError::Read(_))), "{name}: {failed:?}");
        assert_eq!(store_ingest::link_count(store, Some("dut-quang")).await.unwrap(), 4, "{name}: committed group only");
        assert_eq!(change_log::latest_seq(store).await.unwrap(), 15, "{name}: no change-log row for rolled-back records");
        let run = &store_ingest::runs(store, Some("dut-quang"), 1).await.unwrap()[0];
        assert_eq!((run.status.as_str(), run.inserted), ("failed", 4), "{name}: {run:?}");
        assert!(run.error.as_deref().is_some_and(|e| e.contains("kết nối bị ngắt")), "{name}: {run:?}");

        // Running the source again completes it: the committed four are unchanged.
        let again = caunoi_ingest::sources::json::records(std::io::Cursor::new(postings(101, 6).into_bytes()));
        let retry = ingest(store, options("dut-quang"), again, |_| {}).await.unwrap();
        assert_eq!((retry.counts.unchanged, retry.counts.inserted), (4, 2), "{name}: {:?}", retry.counts);
    }
}
