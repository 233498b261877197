//! Plans and results through the store, on a fixture with known numbers: fairs, interactions,
//! check-ins, headcounts and overseas departures in two communes of Hà Nội (00004 Ba Đình, 00008
//! Ngọc Hà) and one of Tuyên Quang (00691 Hà Giang 2), across December 2025 and January 2026,
//! plus one fair in December 2024 for the comparison with last year.

use std::collections::BTreeSet;

use caunoi_domain::fairs::{InteractionKind, TicketToken};
use caunoi_domain::overseas::ReturnReason;
use caunoi_domain::plans::{Figure, PlanArea, PlanPeriod, ReportPeriod};
use caunoi_domain::records::*;
use caunoi_domain::{CommuneCode, ProvinceCode};
use caunoi_store::Store;
use caunoi_store::bulk::{self, Batch};
use caunoi_store::fairs::{self, FairPlan, Interaction};
use caunoi_store::overseas::{self, TransitionInput};
use caunoi_store::plans::{self, Breakdown, ResultArea, ResultQuery, ResultRow, ResultsReport};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::fixtures::*;
use crate::on_each_backend;

const A1: &str = "00004";
const A2: &str = "00008";
const B1: &str = "00691";

fn commune(code: &str) -> ResultArea {
    ResultArea::Commune(CommuneCode::parse(code).unwrap())
}

fn province(code: &str) -> ResultArea {
    ResultArea::Province(ProvinceCode::parse(code).unwrap())
}

fn person(commune: &str, groups: &[PriorityGroup]) -> WorkerProfile {
    WorkerProfile {
        id: WorkerId::new(),
        cccd: None,
        phone: None,
        residence_commune: CommuneCode::parse(commune).unwrap(),
        priority_groups: groups.iter().copied().collect(),
        ..worker()
    }
}

/// A fair at `venue` starting at 9:00 in Vietnam on the day, with places for `seekers`,
/// moved to in progress (or left open to registration when `held` is false).
async fn fair_at(
    store: &Store,
    code: &str,
    venue: &str,
    (y, m, d): (i32, u32, u32),
    seekers: &[WorkerId],
    held: bool,
) -> (JobFairId, DateTime<Utc>, Vec<TicketToken>) {
    let starts_at = at(y, m, d, 2);
    let record = JobFair {
        id: JobFairId::new(),
        code: code.into(),
        commune_code: CommuneCode::parse(venue).unwrap(),
        starts_at,
        ends_at: starts_at + Duration::hours(8),
        status: FairStatus::Draft,
        ..fair()
    };
    let id = fairs::create_fair(store, record, FairPlan::default()).await.unwrap().fair.id;
    advance(store, id, FairStatus::RegistrationOpen).await;
    let mut tickets = Vec::new();
    for seeker in seekers {
        tickets.push(fairs::register_seeker(store, id, *seeker, false).await.unwrap().ticket);
    }
    if held {
        advance(store, id, FairStatus::InProgress).await;
    }
    (id, starts_at, tickets)
}

async fn interact(store: &Store, fair: JobFairId, at: DateTime<Utc>, worker: WorkerId, kinds: &[InteractionKind]) {
    for kind in kinds {
        let interaction = Interaction {
            id: Uuid::now_v7(),
            fair_id: fair,
            worker_id: worker,
            vacancy_id: None,
            employer_id: None,
            kind: *kind,
            note: None,
            at: at + Duration::hours(1),
            recorded_by: None,
        };
        fairs::record_interaction(store, interaction).await.unwrap();
    }
}

/// A worker selected for `order` on `selected`, prepared from `first` and departed on `departed`.
async fn departure(
    store: &Store,
    worker: WorkerId,
    order: VacancyId,
    selected: (i32, u32, u32),
    first: (i32, u32, u32),
    departed: (i32, u32, u32),
) -> OverseasRegistrationId {
    let registration = select(store, worker, order, noon(selected.0, selected.1, selected.2)).await.unwrap();
    let id = registration.registration.id;
    prepare_departure(store, id, date(first.0, first.1, first.2)).await;
    let input = move_at(noon(departed.0, departed.1, departed.2));
    overseas::transition(store, id, OverseasStage::Departed, input).await.unwrap();
    id
}

/// Builds the fixture; the numbers the tests expect are in the comments.
async fn fixture(store: &Store) {
    use InteractionKind::*;
    use PriorityGroup::*;
    let people = [
        person(A1, &[PoorHousehold]),     // w1
        person(A1, &[]),                  // w2
        person(A2, &[NearPoorHousehold]), // w3
        person(B1, &[]),                  // w4
        person(A2, &[]),                  // w5, departs in December
        person(B1, &[PoorHousehold]),     // w6, departs in January, returns, reintegrated
    ];
    let w: Vec<WorkerId> = people.iter().map(|p| p.id).collect();
    bulk::write(store, Batch { workers: people.to_vec(), ..Batch::default() }).await.unwrap();

    // F0, Ba Đình, 12/12/2024: last year. 3 at the door; w2 interviewed.
    let (f0, t0, _) = fair_at(store, "PGD-2024-12", A1, (2024, 12, 12), &[w[1]], true).await;
    fairs::record_headcount(store, f0, 3, None).await.unwrap();
    interact(store, f0, t0, w[1], &[Interviewed]).await;
    advance(store, f0, FairStatus::Closed).await;

    // F1, Ba Đình, 10/12/2025: w1, w2 checked in and 10 at the door (12 attendees).
    // Referred: w1, w2 (Ba Đình), w4 (Hà Giang 2). Hired: w1 (poor). Training: w2.
    let (f1, t1, tickets) = fair_at(store, "PGD-2025-12", A1, (2025, 12, 10), &[w[0], w[1], w[3]], true).await;
    for ticket in &tickets[..2] {
        fairs::check_in(store, f1, ticket, t1 + Duration::minutes(10)).await.unwrap();
    }
    fairs::record_headcount(store, f1, 10, None).await.unwrap();
    interact(store, f1, t1, w[0], &[Interviewed, HiredOnSpot]).await;
    interact(store, f1, t1, w[1], &[CvTaken, AppointmentSet, TrainingSignup]).await;
    interact(store, f1, t1, w[3], &[Interviewed]).await;
    advance(store, f1, FairStatus::Closed).await;

    // F2, Ngọc Hà, 15/01/2026, still in progress: w1 checked in and 4 at the door (5).
    // Referred: w1 (Ba Đình, again: another fair), w3 (Ngọc Hà, near-poor, hired, training).
    let (f2, t2, tickets) = fair_at(store, "PGD-2026-01A", A2, (2026, 1, 15), &[w[0], w[2]], true).await;
    fairs::check_in(store, f2, &tickets[0], t2 + Duration::minutes(10)).await.unwrap();
    fairs::record_headcount(store, f2, 4, None).await.unwrap();
    interact(store, f2, t2, w[0], &[Interviewed]).await;
    interact(store, f2, t2, w[2], &[HiredOnSpot, TrainingSignup]).await;

    // F3, Hà Giang 2, 20/01/2026: 7 at the door. w2 hired (Ba Đình); w4 only counselled.
    let (f3, t3, _) = fair_at(store, "PGD-2026-01B", B1, (2026, 1, 20), &[w[1], w[3]], true).await;
    fairs::record_headcount(store, f3, 7, None).await.unwrap();
    interact(store, f3, t3, w[1], &[HiredOnSpot]).await;
    interact(store, f3, t3, w[3], &[Counselled]).await;
    advance(store, f3, FairStatus::Closed).await;

    // F4, Ba Đình, 05/01/2026: registration still open, not held; counts nowhere.
    fair_at(store, "PGD-2026-01C", A1, (2026, 1, 5), &[w[0]], false).await;

    // Departures to Japan (TITP): w5 (Ngọc Hà) on 20/12/2025, w6 (Hà Giang 2, poor) on
    // 10/01/2026, who returns early and is reintegrated on 30/01/2026.
    let (_, order) = published_order_on(store, "DH-2025-10", 5, date(2025, 10, 1)).await;
    departure(store, w[4], order, (2025, 10, 25), (2025, 11, 1), (2025, 12, 20)).await;
    let back = departure(store, w[5], order, (2025, 11, 15), (2025, 11, 20), (2026, 1, 10)).await;
    let early = TransitionInput { return_reason: Some(ReturnReason::Illness), ..move_at(noon(2026, 1, 25)) };
    overseas::transition(store, back, OverseasStage::ReturnedEarly, early).await.unwrap();
    overseas::transition(store, back, OverseasStage::Liquidated, move_at(noon(2026, 1, 28))).await.unwrap();
    overseas::transition(store, back, OverseasStage::Reintegration, move_at(noon(2026, 1, 30))).await.unwrap();
}

/// The actual of an indicator in the report's area (its first row for the code), in units.
fn actual(report: &ResultsReport, code: &str) -> Option<f64> {
    row_of(report, code, &report.area_code).actual.map(Figure::to_f64)
}

fn row_of<'r>(report: &'r ResultsReport, code: &str, area_code: &str) -> &'r ResultRow {
    report
        .rows
        .iter()
        .find(|r| r.code == code && r.area_code == area_code)
        .unwrap_or_else(|| panic!("no row {code} for {area_code:?}"))
}

async fn report(store: &Store, area: ResultArea, period: ReportPeriod) -> ResultsReport {
    plans::results(store, &ResultQuery { area, period, indicators: None, breakdown: None }).await.unwrap()
}

/// Every computed indicator over December 2025 – January 2026, per area:
/// (code, Ba Đình, Ngọc Hà, Hà Giang 2).
const EXPECTED: [(&str, u64, u64, u64); 10] = [
    ("workers_referred", 4, 1, 1),
    ("workers_hired", 2, 1, 0),
    ("fairs_held", 1, 1, 1),
    ("fair_attendees", 12, 5, 7),
    ("workers_departed", 0, 1, 1),
    ("workers_departed_japan", 0, 1, 1),
    ("workers_departed_eps", 0, 0, 0),
    ("poor_households_placed", 1, 1, 1),
    ("training_signups", 1, 1, 0),
    ("returnees_reintegrated", 0, 0, 1),
];

#[tokio::test]
async fn plans_every_indicator_is_computed_per_commune_province_and_nation_over_a_range_crossing_the_year() {
    on_each_backend(|db| async move {
        let store = &db.store;
        fixture(store).await;
        let range = ReportPeriod::Range { from: date(2025, 12, 1), to: date(2026, 1, 31) };
        let reports = [
            report(store, commune(A1), range).await,
            report(store, commune(A2), range).await,
            report(store, commune(B1), range).await,
            report(store, province("01"), range).await,
            report(store, province("08"), range).await,
            report(store, ResultArea::Nation, range).await,
        ];
        for (code, a1, a2, b1) in EXPECTED {
            #[allow(clippy::cast_precision_loss, reason = "small counts")]
            let expected = [a1, a2, b1, a1 + a2, b1, a1 + a2 + b1].map(|n| Some(n as f64));
            let got = reports.each_ref().map(|r| actual(r, code));
            assert_eq!(got, expected, "{code}: Ba Đình, Ngọc Hà, Hà Giang 2, Hà Nội, Tuyên Quang, nation");
        }
        // A manual indicator has no value until one is entered, and a range has no plan.
        assert_eq!(actual(&reports[5], "trained_labour_ratio"), None);
        assert!(reports[5].rows.iter().all(|r| r.plan.is_none() && r.percent_vi.is_none()));
        assert_eq!(reports[3].period_label_vi, "Từ 01/12/2025 đến 31/01/2026");

        // The same range a year earlier: only F0.
        let nation = &reports[5];
        let referred = row_of(nation, "workers_referred", "");
        assert_eq!(referred.last_year_actual, Some(Figure::from_count(1)));
        assert_eq!(referred.change, Some(Figure::from_count(5)));
        assert_eq!(referred.change_percent_vi.as_deref(), Some("500,00%"));

        // Months split it; the monthly series adds up to the same.
        let december = report(store, ResultArea::Nation, ReportPeriod::Month { year: 2025, month: 12 }).await;
        let january = report(store, ResultArea::Nation, ReportPeriod::Month { year: 2026, month: 1 }).await;
        for (code, dec, jan) in [
            ("workers_referred", 3.0, 3.0),
            ("workers_hired", 1.0, 2.0),
            ("fair_attendees", 12.0, 12.0),
            ("workers_departed", 1.0, 1.0),
            ("poor_households_placed", 1.0, 2.0),
        ] {
            assert_eq!((actual(&december, code), actual(&january, code)), (Some(dec), Some(jan)), "{code}");
        }
        let series = plans::monthly_series(store, &province("01"), "workers_referred", 2026).await.unwrap();
        assert_eq!(series.len(), 12);
        assert_eq!(series[0], (1, Figure::from_count(3)));
        assert!(series[1..].iter().all(|(_, n)| *n == Figure::ZERO));
        let series = plans::monthly_series(store, &ResultArea::Nation, "fair_attendees", 2025).await.unwrap();
        assert_eq!(series[11], (12, Figure::from_count(12)));
    })
    .await;
}

#[tokio::test]
async fn plans_roll_up_with_percent_of_plan_manual_values_and_last_year() {
    on_each_backend(|db| async move {
        let store = &db.store;
        fixture(store).await;
        let now = Utc::now();
        let plan = |indicator: &str, area: &str, year, quarter, target| caunoi_domain::plans::Plan {
            indicator: indicator.into(),
            area: PlanArea::parse(area).unwrap(),
            period: PlanPeriod { year, quarter },
            target,
            entered_by: None,
            entered_at: now,
        };
        // 2026 (so far: January): Hà Nội referred 3 (Ba Đình 2, Ngọc Hà 1), Tuyên Quang 0.
        plans::upsert_plan(store, plan("workers_referred", "01", 2026, None, Figure::from_count(99))).await.unwrap();
        // Entered again: replaced, not added.
        plans::upsert_plan(store, plan("workers_referred", "01", 2026, None, Figure::from_count(4))).await.unwrap();
        plans::upsert_plan(store, plan("workers_referred", "08", 2026, None, Figure::from_count(2))).await.unwrap();
        plans::upsert_plan(store, plan("workers_referred", A1, 2026, None, Figure::from_count(3))).await.unwrap();
        plans::upsert_plan(store, plan("workers_hired", A1, 2025, Some(4), Figure::from_count(4))).await.unwrap();
        assert_eq!(plans::plans_of_year(store, 2026, None).await.unwrap().len(), 3);

        let hanoi = report(store, province("01"), ReportPeriod::Year(2026)).await;
        let row = row_of(&hanoi, "workers_referred", "01");
        assert_eq!((row.actual, row.plan), (Some(Figure::from_count(3)), Some(Figure::from_count(4))));
        assert_eq!(row.percent_vi.as_deref(), Some("75,00%"));
        // The nation's plan is the provinces' added up: 3 of 6.
        let nation = report(store, ResultArea::Nation, ReportPeriod::Year(2026)).await;
        let row = row_of(&nation, "workers_referred", "");
        assert_eq!(
            (row.actual, row.plan, row.percent_vi.as_deref()),
            (Some(Figure::from_count(3)), Some(Figure::from_count(6)), Some("50,00%"))
        );
        let ba_dinh = report(store, commune(A1), ReportPeriod::Year(2026)).await;
        assert_eq!(row_of(&ba_dinh, "workers_referred", A1).percent_vi.as_deref(), Some("66,67%"));
        // A quarter takes the quarter's plan; last year is the same quarter of 2024.
        let q4 = report(store, commune(A1), ReportPeriod::Quarter { year: 2025, quarter: 4 }).await;
        let hired = row_of(&q4, "workers_hired", A1);
        assert_eq!(
            (hired.actual, hired.plan, hired.percent_vi.as_deref()),
            (Some(Figure::from_count(1)), Some(Figure::from_count(4)), Some("25,00%"))
        );
        let referred = row_of(&q4, "workers_referred", A1);
        assert_eq!(referred.last_year_actual, Some(Figure::from_count(1)));
        assert_eq!(
            (referred.change, referred.change_percent_vi.as_deref()),
            (Some(Figure::from_count(1)), Some("100,00%"))
        );
        let attendees = row_of(&q4, "fair_attendees", A1);
        assert_eq!(
            (attendees.actual, attendees.last_year_actual),
            (Some(Figure::from_count(12)), Some(Figure::from_count(3)))
        );
        assert_eq!(attendees.change_percent_vi.as_deref(), Some("300,00%"));
        // A month has no plan.
        let month = report(store, province("01"), ReportPeriod::Month { year: 2026, month: 1 }).await;
        assert_eq!(row_of(&month, "workers_referred", "01").plan, None);

        // Manual values: the province's own, not its communes' added up; none for the nation.
        let ratio = |area: &str, value| {
            plans::record_manual_value(
                store,
                "trained_labour_ratio",
                PlanArea::parse(area).unwrap(),
                PlanPeriod { year: 2026, quarter: None },
                value,
                "Điều tra lao động việc làm 2026",
                None,
            )
        };
        ratio("01", Figure::from_hundredths(7250)).await.unwrap();
        ratio(A1, Figure::from_hundredths(8000)).await.unwrap();
        let computed = plans::record_manual_value(
            store,
            "fairs_held",
            PlanArea::parse("01").unwrap(),
            PlanPeriod { year: 2026, quarter: None },
            Figure::from_count(1),
            "",
            None,
        )
        .await;
        assert!(matches!(computed, Err(caunoi_store::StoreError::Invalid(e)) if e.code == "indicator.computed"));
        let hanoi = report(store, province("01"), ReportPeriod::Year(2026)).await;
        assert_eq!(actual(&hanoi, "trained_labour_ratio"), Some(72.5));
        let nation = report(store, ResultArea::Nation, ReportPeriod::Year(2026)).await;
        assert_eq!(actual(&nation, "trained_labour_ratio"), None);

        // Breakdowns: communes of Hà Nội, provinces of the nation.
        let query = ResultQuery {
            area: province("01"),
            period: ReportPeriod::Year(2026),
            indicators: Some(vec!["workers_referred".into(), "trained_labour_ratio".into()]),
            breakdown: Some(Breakdown::Commune),
        };
        let by_commune = plans::results(store, &query).await.unwrap();
        let areas: Vec<(&str, &str, Option<f64>)> = by_commune
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.area_code.as_str(), r.actual.map(Figure::to_f64)))
            .collect();
        assert_eq!(
            areas,
            [
                ("workers_referred", "01", Some(3.0)),
                ("workers_referred", A1, Some(2.0)),
                ("workers_referred", A2, Some(1.0)),
                ("trained_labour_ratio", "01", Some(72.5)),
                ("trained_labour_ratio", A1, Some(80.0)),
            ]
        );
        let query = ResultQuery {
            area: ResultArea::Nation,
            breakdown: Some(Breakdown::Province),
            indicators: Some(vec!["workers_referred".into()]),
            ..query
        };
        let by_province = plans::results(store, &query).await.unwrap();
        let rows: Vec<(&str, Option<f64>, Option<&str>)> = by_province
            .rows
            .iter()
            .map(|r| (r.area_code.as_str(), r.actual.map(Figure::to_f64), r.percent_vi.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [("", Some(3.0), Some("50,00%")), ("01", Some(3.0), Some("75,00%")), ("08", Some(0.0), Some("0,00%"))]
        );
        let bad = ResultQuery { area: commune(A1), breakdown: Some(Breakdown::Province), ..query };
        assert!(plans::results(store, &bad).await.is_err());

        // Exports and the chart.
        let csv = by_commune.to_csv();
        assert!(
            csv.starts_with("\u{FEFF}Mã chỉ tiêu / Indicator code,Chỉ tiêu / Indicator,Đơn vị tính / Unit,"),
            "{csv}"
        );
        assert!(
            csv.contains(
                "workers_referred,Số lao động được giới thiệu việc làm,người,01,Thành phố Hà Nội,3,4,75,\"75,00%\","
            ),
            "{csv}"
        );
        assert!(by_commune.to_xlsx().unwrap().starts_with(b"PK"));
        let svg = plans::achievement_chart(store, &province("01"), "workers_referred", 2026).await.unwrap();
        for month in ["T1", "T6", "T12"] {
            assert!(svg.contains(&format!(">{month}</text>")), "{month}");
        }
        assert!(svg.contains("Kế hoạch năm: 4") && svg.contains("đạt 75,00% kế hoạch"), "{svg}");
    })
    .await;
}

fn plan_sheet(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, title) in ["Ma chi tieu", "Dia ban (ma xa hoac ma tinh)", "Nam", "Quy", "Ke hoach"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(c).unwrap(), *title).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap();
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap();
            // Numbers as a spreadsheet keeps them; codes as text (leading zeros).
            match cell.parse::<f64>() {
                Ok(n) if c >= 2 => sheet.write_number(r, c, n).map(|_| ()).unwrap(),
                _ => sheet.write_string(r, c, *cell).map(|_| ()).unwrap(),
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn plans_import_from_xlsx_is_all_or_nothing_and_reports_the_bad_row() {
    on_each_backend(|db| async move {
        let store = &db.store;
        let good = [
            ["workers_referred", "01", "2026", "", "8624"],
            ["fairs_held", "00004", "2026", "1", "22"],
            ["trained_labour_ratio", "01", "2026", "", "72.5"],
        ];
        let mut with_bad = good.to_vec();
        with_bad.insert(1, ["fairs_held", "00004", "2026", "5", "3"]);
        let refused = plans::import_plans_xlsx(store, &plan_sheet(&with_bad), None).await.unwrap();
        assert_eq!(refused.applied, 0);
        let problems: Vec<(u32, &str)> = refused.rejected.iter().map(|p| (p.row, p.code.as_str())).collect();
        assert_eq!(problems, [(3, "plan.quarter")]);
        assert!(refused.rejected[0].message_vi.contains("Quý 5"), "{}", refused.rejected[0].message_vi);
        assert!(plans::plans_of_year(store, 2026, None).await.unwrap().is_empty(), "nothing half-applied");

        let mut twice = good.to_vec();
        twice.push(["workers_referred", "01", "2026", "", "1"]);
        let refused = plans::import_plans_xlsx(store, &plan_sheet(&twice), None).await.unwrap();
        assert_eq!(
            refused.rejected.iter().map(|p| (p.row, p.code.as_str())).collect::<Vec<_>>(),
            [(5, "plan_import.duplicate")]
        );

        let applied = plans::import_plans_xlsx(store, &plan_sheet(&good), None).await.unwrap();
        assert_eq!((applied.applied, applied.rejected.len()), (3, 0));
        let stored = plans::plans_of_year(store, 2026, None).await.unwrap();
        let targets: BTreeSet<(String, String, Option<u8>, i64)> = stored
            .iter()
            .map(|p| (p.indicator.clone(), p.area.code().to_owned(), p.period.quarter, p.target.hundredths()))
            .collect();
        assert_eq!(
            targets,
            BTreeSet::from([
                ("fairs_held".to_owned(), A1.to_owned(), Some(1), 2200),
                ("trained_labour_ratio".to_owned(), "01".to_owned(), None, 7250),
                ("workers_referred".to_owned(), "01".to_owned(), None, 862_400),
            ])
        );
        // Imported again with another target: replaced.
        let again =
            plans::import_plans_xlsx(store, &plan_sheet(&[["workers_referred", "01", "2026", "", "9000"]]), None)
                .await
                .unwrap();
        assert_eq!(again.applied, 1);
        let area = PlanArea::parse("01").unwrap();
        let stored = plans::plans_of_year(store, 2026, Some(&area)).await.unwrap();
        assert_eq!(
            stored.iter().find(|p| p.indicator == "workers_referred").map(|p| p.target),
            Some(Figure::from_count(9000))
        );
        assert!(
            plans::import_plans_xlsx(store, b"not a workbook", None).await.unwrap().rejected[0].code
                == "plan_import.file"
        );
    })
    .await;
}
