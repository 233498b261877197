//! Overseas contract labour (Law 69/2020/QH14; DOMAIN.md §4–7): what a job order (đơn hàng)
//! needs beside its vacancy — the labour-supply contract and its approval, interview dates, the
//! itemised worker cost schedule —, the fee guard against the ceiling table, what publishing an
//! order requires, the placement pipeline's legal moves and their guards (R-OV-S1), evidence
//! documents and the checklist per stage (R-OV-D1), deadline tasks (R-OV-S2), support policies
//! and loans (§5.10), and what a returnee's profile gains. Pure: the store runs these inside
//! its transactions; the API exposes them.
//!
//! Every figure that law or practice sets — fee ceilings, day counts, documents per stage,
//! support amounts — is a row of a CSV in `data/` (compiled in) with its dates, legal reference
//! and whether it was verified (DOMAIN.md §10.1). Figures DOMAIN.md marks as recalled ([R]) are
//! rows with `verified = false`, never constants here: a new law is a new row.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};

use crate::codes::IscoCode;
use crate::country::CountryCode;
use crate::error::ValidationError;
use crate::money::{Currency, Money, PayPeriod};
use crate::qualifications::LanguageCertificate;
use crate::records::{
    Employer, EmployerKind, LifeCycle, OverseasProgramme, OverseasRegistrationId, OverseasStage, PastJob,
    PriorityGroup, Vacancy, VacancyId, WorkerId, WorkerProfile, Workplace, clean_optional, clean_text, refused_move,
};
use crate::reference::{OccupationCatalog, country};
use crate::text::normalize;
pub use crate::rule_table::Effective;
use crate::rule_table::{
    because, is_identifier, optional_text, provenance, read_rows, table_error, thousandths, unique_ids, vnd_amount,
};

/// A problem found, as data (for answers that list several, such as public verification).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

impl From<&ValidationError> for Finding {
    fn from(error: &ValidationError) -> Self {
        Self {
            field: error.field.clone(),
            code: error.code.to_owned(),
            message_vi: error.message_vi.clone(),
            message_en: error.message_en.clone(),
        }
    }
}

fn vn_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

// =============================================================================================
// Job orders: what an order adds to its vacancy

code_enum!(
    /// Registration of the labour-supply contract with the ministry (R-OV-A4).
    SupplyContractStatus, "supply_contract_status" {
        Submitted => "submitted", "Đã nộp đăng ký";
        Approved => "approved", "Đã được chấp thuận";
        Rejected => "rejected", "Không được chấp thuận";
    }
);

/// The labour-supply contract (hợp đồng cung ứng lao động) behind a job order and its
/// registration with the ministry (DOLAB). No fee may be collected, and no order published,
/// before it is approved (Law 69 Art. 23; R-OV-P2).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplyContract {
    /// The contract's number as signed with the partner.
    pub reference: String,
    pub foreign_partner: String,
    pub status: SupplyContractStatus,
    pub submitted_on: Option<NaiveDate>,
    /// Number of the ministry's approval (văn bản chấp thuận).
    pub decision_no: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

impl SupplyContract {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_text("job_order.supply_contract.reference", &mut self.reference, 100)?;
        clean_text("job_order.supply_contract.foreign_partner", &mut self.foreign_partner, 300)?;
        clean_optional("job_order.supply_contract.decision_no", &mut self.decision_no, 100)?;
        if self.status == SupplyContractStatus::Approved && (self.decision_no.is_none() || self.approved_on.is_none()) {
            return Err(ValidationError::new(
                "job_order.supply_contract.decision_no",
                "supply_contract.approval_incomplete",
                "Hợp đồng cung ứng đã được chấp thuận phải có số văn bản chấp thuận và ngày chấp thuận.",
                "An approved supply contract needs the approval's number and date.",
            ));
        }
        if let (Some(submitted), Some(approved)) = (self.submitted_on, self.approved_on)
            && approved < submitted
        {
            return Err(ValidationError::new(
                "job_order.supply_contract.approved_on",
                "supply_contract.dates",
                "Ngày chấp thuận không thể trước ngày nộp đăng ký.",
                "The approval cannot predate the submission.",
            ));
        }
        Ok(())
    }

    /// Approved on or before `date`.
    pub fn is_approved_on(&self, date: NaiveDate) -> bool {
        self.status == SupplyContractStatus::Approved && self.approved_on.is_some_and(|on| on <= date)
    }
}

code_enum!(
    /// A line of the worker cost schedule (R-FEE-2).
    CostItem, "cost_item" {
        ServiceFee => "service_fee", "Tiền dịch vụ";
        FundContribution => "fund_contribution", "Đóng góp Quỹ Hỗ trợ việc làm ngoài nước";
        Airfare => "airfare", "Vé máy bay";
        Passport => "passport", "Hộ chiếu";
        Visa => "visa", "Thị thực";
        CriminalRecord => "criminal_record", "Lý lịch tư pháp";
        HealthCheck => "health_check", "Khám sức khỏe";
        LanguageTraining => "language_training", "Đào tạo ngoại ngữ";
        SkillsTraining => "skills_training", "Đào tạo kỹ năng nghề";
        Orientation => "orientation", "Giáo dục định hướng";
        Deposit => "deposit", "Tiền ký quỹ";
        /// Paid to an intermediary, by the enterprise only (Law 69 Art. 7(8)).
        Brokerage => "brokerage", "Tiền môi giới";
        Other => "other", "Khoản khác";
    }
);

code_enum!(
    /// Who pays a cost line.
    Payer, "payer" {
        Worker => "worker", "Người lao động";
        Enterprise => "enterprise", "Doanh nghiệp";
        ForeignPartner => "foreign_partner", "Đối tác nước ngoài";
    }
);

/// One line of the worker cost schedule: what, how much, who pays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostLine {
    pub item: CostItem,
    /// Required for `other`.
    pub description: Option<String>,
    pub amount: Money,
    pub payer: Payer,
}

/// A dated rate to compare fees in đồng with a ceiling in the contract currency (R-FEE-3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRate {
    /// The contract (wage) currency.
    pub currency: Currency,
    /// Đồng for 1,000 units of `currency` (e.g. 170,000 for 1,000 yên), so no rate is rounded
    /// to whole đồng per unit.
    pub vnd_per_thousand_units: i64,
    pub on: NaiveDate,
    /// Where the rate comes from ("Vietcombank, tỷ giá bán").
    pub source: String,
}

/// What an overseas job order (R-OV-A5) adds to its [`Vacancy`] (which has the title,
/// occupation, quantity of places, wage, country, programme and contract length).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobOrderDetails {
    pub vacancy_id: VacancyId,
    /// Human reference such as "DH-2026-0042", unique.
    pub code: Option<String>,
    /// Ngành nghề as the supply contract names it.
    pub sector: String,
    /// "8 giờ/ngày, 5 ngày/tuần".
    pub working_hours: String,
    /// A named scheme within the programme whose rules differ, such as `im_japan`.
    pub scheme: Option<String>,
    pub supply_contract: SupplyContract,
    pub interview_dates: Vec<NaiveDate>,
    /// The worker cost schedule (R-FEE-2), disclosed publicly (R-FEE-5).
    pub costs: Vec<CostLine>,
    pub exchange_rate: Option<ExchangeRate>,
}

impl JobOrderDetails {
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        if let Some(code) = self.code.take() {
            let code = normalize(&code).to_uppercase();
            if !code.is_empty() {
                let ok = (3..=40).contains(&code.len())
                    && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-/._".contains(&b));
                if !ok {
                    return Err(ValidationError::new(
                        "job_order.code",
                        "job_order.code",
                        "Mã đơn hàng gồm 3–40 chữ cái không dấu, chữ số hoặc các dấu - / . _",
                        "A job order code has 3 to 40 ASCII letters, digits or - / . _",
                    ));
                }
                self.code = Some(code);
            }
        }
        clean_text("job_order.sector", &mut self.sector, 200)?;
        clean_text("job_order.working_hours", &mut self.working_hours, 300)?;
        if let Some(scheme) = self.scheme.take() {
            let scheme = normalize(&scheme).to_lowercase();
            if !scheme.is_empty() {
                if !is_identifier(&scheme) {
                    return Err(ValidationError::new(
                        "job_order.scheme",
                        "job_order.scheme",
                        "Mã chương trình con chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (ví dụ im_japan).",
                        "A scheme code is lower-case ASCII letters, digits and underscores (e.g. im_japan).",
                    ));
                }
                self.scheme = Some(scheme);
            }
        }
        self.supply_contract.validate()?;
        self.interview_dates.sort_unstable();
        self.interview_dates.dedup();
        if self.interview_dates.len() > 50 || self.costs.len() > 100 {
            return Err(ValidationError::new(
                "job_order",
                "job_order.too_many",
                "Tối đa 50 ngày phỏng vấn và 100 dòng chi phí.",
                "At most 50 interview dates and 100 cost lines.",
            ));
        }
        for line in &mut self.costs {
            clean_optional("job_order.costs.description", &mut line.description, 300)?;
            if line.item == CostItem::Other && line.description.is_none() {
                return Err(ValidationError::new(
                    "job_order.costs.description",
                    "job_order.cost_description",
                    "Khoản chi phí \"Khoản khác\" phải ghi rõ nội dung.",
                    "A cost line of kind \"other\" needs a description.",
                ));
            }
        }
        if let Some(rate) = &mut self.exchange_rate {
            clean_text("job_order.exchange_rate.source", &mut rate.source, 200)?;
            if rate.vnd_per_thousand_units <= 0 || rate.currency == Currency::Vnd {
                return Err(ValidationError::new(
                    "job_order.exchange_rate",
                    "job_order.exchange_rate",
                    "Tỷ giá phải là số đồng dương cho 1.000 đơn vị ngoại tệ của hợp đồng.",
                    "The rate must be a positive number of đồng per 1,000 units of the contract's foreign currency.",
                ));
            }
        }
        Ok(())
    }
}

// =============================================================================================
// Fee ceilings (R-FEE-1) and the fee guard (R-FEE-2)

code_enum!(
    /// What a row of the fee table limits (`wage` rows convert wage periods to a month).
    FeeKind, "fee" {
        ServiceFee => "service_fee", "Tiền dịch vụ";
        Brokerage => "brokerage", "Tiền môi giới";
        Wage => "wage", "Quy đổi kỳ lương";
    }
);

code_enum!(
    FeeBasis, "fee_basis" {
        /// `value` months of the basic wage per 12 months of contract.
        MonthsPer12 => "months_per_12", "Số tháng lương cho mỗi 12 tháng làm việc";
        /// At most `value` months of wage in all, for contracts of `min_contract_months` or more.
        CapMonths => "cap_months", "Tối đa số tháng lương cho cả hợp đồng";
        /// Nothing may be charged.
        Zero => "zero", "Không được thu";
        HoursPerMonth => "hours_per_month", "Số giờ làm việc mỗi tháng";
        DaysPerMonth => "days_per_month", "Số ngày làm việc mỗi tháng";
    }
);

/// Rows that compete for the same part of a ceiling: the most specific applicable row wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Rate,
    Cap,
    Hours,
    Days,
}

impl FeeBasis {
    fn slot(self) -> Slot {
        match self {
            Self::MonthsPer12 | Self::Zero => Slot::Rate,
            Self::CapMonths => Slot::Cap,
            Self::HoursPerMonth => Slot::Hours,
            Self::DaysPerMonth => Slot::Days,
        }
    }
}

/// A row of `overseas-fee-ceilings.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeRule {
    pub id: String,
    pub fee: FeeKind,
    pub basis: FeeBasis,
    /// Scope; empty means any.
    pub country: Option<CountryCode>,
    pub programme: Option<OverseasProgramme>,
    pub scheme: Option<String>,
    /// ISCO groups (any level) the row is limited to.
    pub occupations: Vec<IscoCode>,
    pub min_contract_months: Option<u16>,
    /// In thousandths: 1.5 months is 1500, 26 days is 26000.
    pub value_milli: i64,
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
    pub note: String,
}

/// The facts of a job order the fee table is scoped by.
struct OrderScope<'a> {
    country: &'a CountryCode,
    programme: OverseasProgramme,
    scheme: Option<&'a str>,
    occupation: &'a IscoCode,
    contract_months: Option<u16>,
}

impl<'a> OrderScope<'a> {
    fn of(vacancy: &'a Vacancy, scheme: Option<&'a str>) -> Result<Self, ValidationError> {
        match &vacancy.workplace {
            Workplace::Overseas { country, programme, contract_months } => Ok(Self {
                country,
                programme: *programme,
                scheme,
                occupation: &vacancy.occupation,
                contract_months: *contract_months,
            }),
            Workplace::Domestic { .. } => Err(not_overseas()),
        }
    }
}

fn not_overseas() -> ValidationError {
    ValidationError::new(
        "vacancy.workplace",
        "job_order.not_overseas",
        "Tin tuyển dụng này không phải đơn hàng đi làm việc ở nước ngoài.",
        "This vacancy is not an overseas job order.",
    )
}

impl FeeRule {
    fn specificity(&self) -> usize {
        [self.country.is_some(), self.programme.is_some(), self.scheme.is_some(), !self.occupations.is_empty()]
            .into_iter()
            .filter(|set| *set)
            .count()
    }

    fn applies(&self, scope: &OrderScope<'_>, on: NaiveDate) -> bool {
        self.effective.in_force_on(on)
            && self.country.as_ref().is_none_or(|c| c == scope.country)
            && self.programme.is_none_or(|p| p == scope.programme)
            && self.scheme.as_deref().is_none_or(|s| Some(s) == scope.scheme)
            && (self.occupations.is_empty() || self.occupations.iter().any(|group| scope.occupation.is_within(group)))
            && self.min_contract_months.is_none_or(|min| scope.contract_months.is_some_and(|m| m >= min))
    }

    fn same_scope(&self, other: &FeeRule) -> bool {
        self.fee == other.fee
            && self.basis.slot() == other.basis.slot()
            && self.country == other.country
            && self.programme == other.programme
            && self.scheme == other.scheme
            && self.occupations == other.occupations
            && self.min_contract_months == other.min_contract_months
    }

    fn applied(&self) -> AppliedRule {
        AppliedRule { id: self.id.clone(), legal_ref: self.legal_ref.clone(), verified: self.verified }
    }
}

/// A row a result rests on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppliedRule {
    pub id: String,
    pub legal_ref: String,
    pub verified: bool,
}

/// The legal ceiling of one kind of fee for one job order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeCap {
    pub fee: FeeKind,
    /// In the currency the schedule is compared in ([`FeeCheck::currency`]).
    pub ceiling: Money,
    /// The ceiling in months of the basic wage, in thousandths (3 months = 3000).
    pub months_of_wage_milli: i64,
    /// The basic monthly wage it was computed from, in the contract currency (`None` when
    /// nothing may be charged, which needs no wage).
    pub monthly_wage: Option<Money>,
    pub rules: Vec<AppliedRule>,
    /// Every row it rests on is verified; otherwise the ceiling is indicative.
    pub verified: bool,
}

#[derive(serde::Deserialize)]
struct FeeRow {
    id: String,
    fee: String,
    basis: String,
    country: String,
    programme: String,
    scheme: String,
    occupations: String,
    min_contract_months: String,
    value: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    note: String,
}

const FEE_FILE: &str = "overseas-fee-ceilings.csv";

/// The fee ceiling table (`data/overseas-fee-ceilings.csv`).
#[derive(Debug, Clone)]
pub struct FeeRules {
    rules: Vec<FeeRule>,
}

fn parse_fee_row(row: usize, r: FeeRow) -> Result<FeeRule, ValidationError> {
    let bad = |code: &'static str, vi: String, en: String| table_error(FEE_FILE, row, code, vi, en);
    let fee = FeeKind::parse(&r.fee).map_err(because(FEE_FILE, row, "rule_table.fee"))?;
    let basis = FeeBasis::parse(&r.basis).map_err(because(FEE_FILE, row, "rule_table.basis"))?;
    let fits = match fee {
        FeeKind::ServiceFee | FeeKind::Brokerage => {
            matches!(basis, FeeBasis::MonthsPer12 | FeeBasis::CapMonths | FeeBasis::Zero)
        }
        FeeKind::Wage => matches!(basis, FeeBasis::HoursPerMonth | FeeBasis::DaysPerMonth),
    };
    if !fits {
        return Err(bad(
            "rule_table.basis",
            format!("cách tính \"{}\" không dùng được cho \"{}\".", basis.code(), fee.code()),
            format!("basis \"{}\" does not apply to \"{}\".", basis.code(), fee.code()),
        ));
    }
    let value_milli = match (basis, r.value.as_str()) {
        (FeeBasis::Zero, "") => 0,
        (FeeBasis::Zero, _) => {
            return Err(bad(
                "rule_table.value",
                "dòng \"zero\" không có giá trị.".into(),
                "a \"zero\" row has no value.".into(),
            ));
        }
        (_, text) => thousandths(FEE_FILE, row, text)?,
    };
    let min_contract_months = if r.min_contract_months.is_empty() {
        None
    } else {
        Some(r.min_contract_months.parse::<u16>().map_err(|_| {
            bad(
                "rule_table.min_contract_months",
                format!("số tháng \"{}\" không hợp lệ.", r.min_contract_months),
                format!("month count \"{}\" is not valid.", r.min_contract_months),
            )
        })?)
    };
    if (basis == FeeBasis::CapMonths) != min_contract_months.is_some() {
        return Err(bad(
            "rule_table.min_contract_months",
            "dòng \"cap_months\" (và chỉ dòng đó) phải có min_contract_months.".into(),
            "cap_months rows, and only they, need min_contract_months.".into(),
        ));
    }
    let country = optional_text(&r.country).map(|c| CountryCode::parse(&c)).transpose().map_err(because(
        FEE_FILE,
        row,
        "rule_table.country",
    ))?;
    let programme = optional_text(&r.programme).map(|p| OverseasProgramme::parse(&p)).transpose().map_err(because(
        FEE_FILE,
        row,
        "rule_table.programme",
    ))?;
    let scheme = optional_text(&r.scheme);
    if scheme.as_deref().is_some_and(|s| !is_identifier(s)) {
        return Err(bad(
            "rule_table.scheme",
            "mã chương trình con không hợp lệ.".into(),
            "invalid scheme code.".into(),
        ));
    }
    let mut occupations = Vec::new();
    for code in r.occupations.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        let code = IscoCode::parse(code).map_err(because(FEE_FILE, row, "rule_table.occupations"))?;
        OccupationCatalog::embedded().require(&code).map_err(because(FEE_FILE, row, "rule_table.occupations"))?;
        occupations.push(code);
    }
    occupations.sort();
    let p = provenance(FEE_FILE, row, &r.effective_from, &r.effective_to, &r.verified, &r.legal_ref)?;
    Ok(FeeRule {
        id: r.id,
        fee,
        basis,
        country,
        programme,
        scheme,
        occupations,
        min_contract_months,
        value_milli,
        effective: p.effective,
        verified: p.verified,
        legal_ref: p.legal_ref,
        note: r.note,
    })
}

/// Integer arithmetic on amounts: sums and products of a few i64s fit in i128.
fn to_i64(value: i128) -> Result<i64, ValidationError> {
    i64::try_from(value).map_err(|_| {
        ValidationError::new("job_order.costs", "fee.overflow", "Số tiền quá lớn.", "The amount is too large.")
    })
}

fn money(amount: i128, currency: Currency) -> Result<Money, ValidationError> {
    Money::new(to_i64(amount.max(0))?, currency)
}

fn minor_per_major(currency: Currency) -> i128 {
    10_i128.pow(currency.minor_units())
}

impl FeeRules {
    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let rows = read_rows::<FeeRow>(FEE_FILE, text)?;
        unique_ids(FEE_FILE, rows.iter().map(|(n, r)| (*n, r.id.as_str())))?;
        let mut rules: Vec<(usize, FeeRule)> = Vec::with_capacity(rows.len());
        for (number, row) in rows {
            let rule = parse_fee_row(number, row)?;
            if let Some((_, earlier)) =
                rules.iter().find(|(_, other)| other.same_scope(&rule) && other.effective.overlaps(&rule.effective))
            {
                return Err(table_error(
                    FEE_FILE,
                    number,
                    "rule_table.overlap",
                    format!("trùng phạm vi và thời gian hiệu lực với dòng \"{}\".", earlier.id),
                    format!("same scope and overlapping dates as row \"{}\".", earlier.id),
                ));
            }
            rules.push((number, rule));
        }
        Ok(Self { rules: rules.into_iter().map(|(_, rule)| rule).collect() })
    }

    pub fn rules(&self) -> &[FeeRule] {
        &self.rules
    }

    /// The row that sets `slot` of `fee` for the order on `on`: the most specific of those in
    /// force (a market or programme row over the general rule), the lowest value among equals.
    fn resolve(&self, fee: FeeKind, slot: Slot, scope: &OrderScope<'_>, on: NaiveDate) -> Option<&FeeRule> {
        let applicable = self.rules.iter().filter(|r| r.fee == fee && r.basis.slot() == slot && r.applies(scope, on));
        applicable.fold(None, |best: Option<&FeeRule>, rule| match best {
            Some(b) if (b.specificity(), -b.value_milli) >= (rule.specificity(), -rule.value_milli) => Some(b),
            _ => Some(rule),
        })
    }

    /// The basic monthly wage in minor units of its currency: the lower bound of the range,
    /// a yearly figure divided by 12, a daily or hourly one times the table's days or hours.
    fn monthly_wage(
        &self,
        vacancy: &Vacancy,
        scope: &OrderScope<'_>,
        on: NaiveDate,
        used: &mut Vec<AppliedRule>,
    ) -> Result<i128, ValidationError> {
        let salary = &vacancy.salary;
        let minimum = salary.min().ok_or_else(|| {
            ValidationError::new(
                "vacancy.salary",
                "fee.wage_unknown",
                "Cần ghi mức lương cơ bản tối thiểu của hợp đồng để tính trần tiền dịch vụ.",
                "The contract's minimum basic wage is needed to compute the service-fee ceiling.",
            )
        })?;
        let minimum = i128::from(minimum);
        let per = |slot: Slot, used: &mut Vec<AppliedRule>| -> Result<i128, ValidationError> {
            let rule = self
                .resolve(FeeKind::Wage, slot, scope, on)
                .ok_or_else(|| no_rule("vacancy.salary", "quy đổi kỳ lương", "wage period conversion", on))?;
            used.push(rule.applied());
            Ok(minimum * i128::from(rule.value_milli) / 1000)
        };
        Ok(match salary.period() {
            PayPeriod::Month => minimum,
            PayPeriod::Year => minimum / 12,
            PayPeriod::Day => per(Slot::Days, used)?,
            PayPeriod::Hour => per(Slot::Hours, used)?,
        })
    }

    /// The ceiling of `fee` (service fee or brokerage) for a job order on `on`, in the contract
    /// currency; `None` when no row of the table covers it.
    fn ceiling(
        &self,
        fee: FeeKind,
        vacancy: &Vacancy,
        scope: &OrderScope<'_>,
        on: NaiveDate,
    ) -> Result<Option<FeeCap>, ValidationError> {
        let currency = vacancy.salary.currency();
        let Some(rate) = self.resolve(fee, Slot::Rate, scope, on) else { return Ok(None) };
        let mut rules = vec![rate.applied()];
        if rate.basis == FeeBasis::Zero {
            return Ok(Some(FeeCap {
                fee,
                ceiling: Money::new(0, currency)?,
                months_of_wage_milli: 0,
                monthly_wage: None,
                verified: rate.verified,
                rules,
            }));
        }
        let months = scope.contract_months.ok_or_else(|| {
            ValidationError::new(
                "vacancy.workplace.contract_months",
                "fee.contract_months_unknown",
                "Cần ghi thời hạn hợp đồng (số tháng) để tính trần tiền dịch vụ.",
                "The contract length in months is needed to compute the ceiling.",
            )
        })?;
        // Months of wage, as a fraction over 12,000: rate (thousandths) × contract months / 12.
        let mut numerator = i128::from(rate.value_milli) * i128::from(months);
        let mut denominator: i128 = 12_000;
        if let Some(cap) = self.resolve(fee, Slot::Cap, scope, on)
            && i128::from(cap.value_milli) * 12 < numerator
        {
            rules.push(cap.applied());
            numerator = i128::from(cap.value_milli);
            denominator = 1000;
        }
        let wage = self.monthly_wage(vacancy, scope, on, &mut rules)?;
        let verified = rules.iter().all(|r| r.verified);
        Ok(Some(FeeCap {
            fee,
            ceiling: money(wage * numerator / denominator, currency)?,
            months_of_wage_milli: to_i64(numerator * 1000 / denominator)?,
            monthly_wage: Some(money(wage, currency)?),
            rules,
            verified,
        }))
    }
}

fn no_rule(field: &str, what_vi: &str, what_en: &str, on: NaiveDate) -> ValidationError {
    ValidationError::new(
        field,
        "fee.no_rule",
        format!("Bảng quy định không có dòng {what_vi} nào có hiệu lực ngày {} cho đơn hàng này.", vn_date(on)),
        format!("No {what_en} row of the rule table is in force on {on} for this order."),
    )
}

/// A job order's cost schedule against the ceilings: what the worker pays, the legal caps and
/// any breach found. Amounts of the service fee and brokerage are compared in `currency`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeCheck {
    /// The contract currency, or đồng when fee lines are in đồng (with the order's rate).
    pub currency: Currency,
    pub service_fee: Option<FeeCap>,
    pub service_fee_by_worker: Money,
    pub service_fee_by_partner: Money,
    /// What the worker may be asked for at most: the ceiling less the partner's part.
    pub service_fee_allowed: Option<Money>,
    pub brokerage: Option<FeeCap>,
    pub brokerage_by_enterprise: Money,
    /// All the worker pays, one total per currency of the schedule.
    pub worker_total: Vec<Money>,
    /// Breaches; empty when the schedule is within the law.
    pub violations: Vec<Finding>,
}

/// Converts amounts to the comparison currency; fee lines are in the contract currency, or in
/// đồng with the order's exchange rate.
struct Converter {
    wage: Currency,
    target: Currency,
    /// Đồng per 1,000 units of the wage currency.
    rate: Option<i128>,
}

impl Converter {
    fn new(lines: &[&CostLine], wage: Currency, rate: Option<&ExchangeRate>) -> Result<Self, ValidationError> {
        let other: Vec<Currency> = lines.iter().map(|l| l.amount.currency()).filter(|c| *c != wage).collect();
        if other.is_empty() {
            return Ok(Self { wage, target: wage, rate: None });
        }
        if other.iter().any(|c| *c != Currency::Vnd) {
            return Err(ValidationError::new(
                "job_order.costs",
                "fee.currency",
                format!(
                    "Tiền dịch vụ và tiền môi giới phải ghi bằng đồng hoặc bằng đồng tiền của hợp đồng ({}).",
                    wage.code()
                ),
                format!("Service fee and brokerage must be in đồng or in the contract currency ({}).", wage.code()),
            ));
        }
        match rate {
            Some(rate) if rate.currency == wage => {
                Ok(Self { wage, target: Currency::Vnd, rate: Some(i128::from(rate.vnd_per_thousand_units)) })
            }
            _ => Err(ValidationError::new(
                "job_order.exchange_rate",
                "fee.exchange_rate_missing",
                format!(
                    "Cần tỷ giá {} sang đồng (có ngày và nguồn) để so tiền dịch vụ ghi bằng đồng với trần tính theo lương.",
                    wage.code()
                ),
                format!(
                    "A dated {}-to-đồng rate is needed to compare fees in đồng with a wage-based ceiling.",
                    wage.code()
                ),
            )),
        }
    }

    /// Into the comparison currency; a ceiling rounds down, a payment rounds up, so rounding
    /// never lets an overcharge through.
    fn convert(&self, amount: &Money, round_up: bool) -> i128 {
        let value = i128::from(amount.amount_minor());
        match self.rate {
            Some(rate) if amount.currency() == self.wage => {
                let numerator = value * rate;
                let denominator = 1000 * minor_per_major(self.wage);
                if round_up { (numerator + denominator - 1) / denominator } else { numerator / denominator }
            }
            _ => value,
        }
    }

    fn cap(&self, cap: Option<FeeCap>) -> Result<Option<FeeCap>, ValidationError> {
        cap.map(|cap| Ok(FeeCap { ceiling: money(self.convert(&cap.ceiling, false), self.target)?, ..cap })).transpose()
    }

    fn sum<'a>(&self, lines: impl Iterator<Item = &'a CostLine>) -> i128 {
        lines.map(|l| self.convert(&l.amount, true)).sum()
    }
}

fn brokerage_by_worker() -> ValidationError {
    ValidationError::new(
        "job_order.costs",
        "fee.brokerage_by_worker",
        "Người lao động không phải trả tiền môi giới (Luật 69/2020/QH14, Điều 7): tiền môi giới chỉ do doanh nghiệp trả.",
        "Workers must not pay brokerage (Law 69/2020, Art. 7): only the enterprise pays it.",
    )
}

impl FeeRules {
    /// The cost schedule of a job order against the ceilings on `on`. An `Err` means the check
    /// cannot be made (no wage, no contract length, no rate, no rule for a fee the worker is
    /// asked for); breaches are in [`FeeCheck::violations`].
    pub fn assess(
        &self,
        vacancy: &Vacancy,
        details: &JobOrderDetails,
        on: NaiveDate,
    ) -> Result<FeeCheck, ValidationError> {
        self.evaluate(vacancy, details, on).map(|(check, _)| check)
    }

    /// [`FeeRules::assess`], refusing a schedule with a breach (the first one found; a
    /// brokerage paid by the worker always comes first).
    pub fn check(
        &self,
        vacancy: &Vacancy,
        details: &JobOrderDetails,
        on: NaiveDate,
    ) -> Result<FeeCheck, ValidationError> {
        match self.evaluate(vacancy, details, on)? {
            (_, Some(first)) => Err(first),
            (check, None) => Ok(check),
        }
    }

    /// The check and its first breach.
    fn evaluate(
        &self,
        vacancy: &Vacancy,
        details: &JobOrderDetails,
        on: NaiveDate,
    ) -> Result<(FeeCheck, Option<ValidationError>), ValidationError> {
        let scope = OrderScope::of(vacancy, details.scheme.as_deref())?;
        let mut violations: Vec<ValidationError> = Vec::new();
        if details.costs.iter().any(|l| l.item == CostItem::Brokerage && l.payer == Payer::Worker) {
            violations.push(brokerage_by_worker());
        }
        let of =
            |item: CostItem, payer: Payer| details.costs.iter().filter(move |l| l.item == item && l.payer == payer);
        let compared: Vec<&CostLine> =
            details.costs.iter().filter(|l| matches!(l.item, CostItem::ServiceFee | CostItem::Brokerage)).collect();
        let convert = Converter::new(&compared, vacancy.salary.currency(), details.exchange_rate.as_ref())?;
        let currency = convert.target;
        let by_worker = convert.sum(of(CostItem::ServiceFee, Payer::Worker));
        let by_partner = convert.sum(of(CostItem::ServiceFee, Payer::ForeignPartner));
        let brokerage_paid = convert.sum(of(CostItem::Brokerage, Payer::Enterprise));

        // A ceiling that cannot be computed matters only when the worker is asked for a fee.
        let service_fee = match self.ceiling(FeeKind::ServiceFee, vacancy, &scope, on) {
            Ok(Some(cap)) => Some(cap),
            Ok(None) if by_worker > 0 => {
                return Err(no_rule("job_order.costs", "trần tiền dịch vụ", "service-fee ceiling", on));
            }
            Err(error) if by_worker > 0 => return Err(error),
            Ok(None) | Err(_) => None,
        };
        let service_fee = convert.cap(service_fee)?;
        let allowed = service_fee.as_ref().map(|cap| (i128::from(cap.ceiling.amount_minor()) - by_partner).max(0));
        if let (Some(cap), Some(allowed)) = (&service_fee, allowed)
            && by_worker > allowed
        {
            let (paid, ceiling, partner, allowed) =
                (money(by_worker, currency)?, &cap.ceiling, money(by_partner, currency)?, money(allowed, currency)?);
            violations.push(ValidationError::new(
                "job_order.costs",
                "fee.service_fee_above_ceiling",
                format!(
                    "Tiền dịch vụ thu của người lao động ({paid}) vượt mức được phép ({allowed}: trần {ceiling} trừ phần đối tác nước ngoài trả {partner})."
                ),
                format!(
                    "The service fee charged to the worker ({paid}) exceeds what is allowed ({allowed}: ceiling {ceiling} less {partner} paid by the foreign partner)."
                ),
            ));
        }

        let brokerage = if brokerage_paid > 0 {
            convert.cap(self.ceiling(FeeKind::Brokerage, vacancy, &scope, on)?)?
        } else {
            None
        };
        if let Some(cap) = &brokerage
            && brokerage_paid > i128::from(cap.ceiling.amount_minor())
        {
            let paid = money(brokerage_paid, currency)?;
            violations.push(ValidationError::new(
                "job_order.costs",
                "fee.brokerage_above_ceiling",
                format!("Tiền môi giới doanh nghiệp trả ({paid}) vượt trần {}.", cap.ceiling),
                format!("Brokerage paid by the enterprise ({paid}) exceeds the ceiling {}.", cap.ceiling),
            ));
        }

        let mut totals: Vec<Money> = Vec::new();
        for line in details.costs.iter().filter(|l| l.payer == Payer::Worker) {
            let currency = line.amount.currency();
            let previous = totals.iter().position(|m| m.currency() == currency);
            let sum =
                i128::from(line.amount.amount_minor()) + previous.map_or(0, |i| i128::from(totals[i].amount_minor()));
            let total = money(sum, currency)?;
            match previous {
                Some(i) => totals[i] = total,
                None => totals.push(total),
            }
        }
        let check = FeeCheck {
            currency,
            service_fee,
            service_fee_by_worker: money(by_worker, currency)?,
            service_fee_by_partner: money(by_partner, currency)?,
            service_fee_allowed: allowed.map(|a| money(a, currency)).transpose()?,
            brokerage,
            brokerage_by_enterprise: money(brokerage_paid, currency)?,
            worker_total: totals,
            violations: violations.iter().map(Finding::from).collect(),
        };
        Ok((check, violations.into_iter().next()))
    }
}

// =============================================================================================
// Publishing and public verification

fn not_placement_enterprise() -> ValidationError {
    ValidationError::new(
        "employer",
        "job_order.not_placement_enterprise",
        "Chỉ doanh nghiệp được cấp phép dịch vụ đưa người lao động đi làm việc ở nước ngoài mới được đăng đơn hàng.",
        "Only licensed placement enterprises may publish overseas job orders.",
    )
}

fn contract_not_approved(on: NaiveDate) -> ValidationError {
    ValidationError::new(
        "job_order.supply_contract.status",
        "job_order.supply_contract_not_approved",
        format!("Hợp đồng cung ứng lao động chưa được Bộ chấp thuận đăng ký (tính đến ngày {}).", vn_date(on)),
        format!("The labour-supply contract is not approved by the ministry as of {on}."),
    )
}

/// The enterprise's licence, if it may place workers on `on`.
fn valid_licence(employer: &Employer, on: NaiveDate) -> Result<(), ValidationError> {
    match &employer.kind {
        EmployerKind::PlacementEnterprise { licence } => licence.check_valid_on(on),
        EmployerKind::Domestic => Err(not_placement_enterprise()),
    }
}

/// What any job order is, licence aside: an overseas vacancy of a placement enterprise.
pub fn require_job_order(vacancy: &Vacancy, employer: &Employer) -> Result<(), ValidationError> {
    if !vacancy.workplace.is_overseas() {
        return Err(not_overseas());
    }
    match employer.kind {
        EmployerKind::PlacementEnterprise { .. } => Ok(()),
        EmployerKind::Domestic => Err(not_placement_enterprise()),
    }
}

/// What publishing a job order (its vacancy going `open`) on `on` needs, in this order: an
/// overseas vacancy of a placement enterprise whose licence is valid that day, a supply
/// contract approved by then, and a cost schedule within the ceilings. The error names the
/// first that fails.
pub fn check_publishable(
    vacancy: &Vacancy,
    employer: &Employer,
    details: &JobOrderDetails,
    fees: &FeeRules,
    on: NaiveDate,
) -> Result<FeeCheck, ValidationError> {
    require_job_order(vacancy, employer)?;
    valid_licence(employer, on)?;
    if !details.supply_contract.is_approved_on(on) {
        return Err(contract_not_approved(on));
    }
    fees.check(vacancy, details, on)
}

/// What the public may check about a job order (R-OV-P2, R-FEE-5).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderVerdict {
    /// The enterprise's licence is valid on the day.
    pub licensed: bool,
    pub licence_problem: Option<Finding>,
    pub contract_approved: bool,
    /// "Đã được Bộ Nội vụ chấp thuận đăng ký hợp đồng": shown only when the approval's
    /// reference is present (R-OV-P2).
    pub approval_badge: bool,
    pub fees_within_ceiling: bool,
    /// The schedule with its legal caps; `None` when it cannot be checked (see `fee_problem`).
    pub fees: Option<FeeCheck>,
    pub fee_problem: Option<Finding>,
}

pub fn verdict(
    vacancy: &Vacancy,
    employer: &Employer,
    details: &JobOrderDetails,
    fees: &FeeRules,
    on: NaiveDate,
) -> OrderVerdict {
    let licence = valid_licence(employer, on).err();
    let contract_approved = details.supply_contract.is_approved_on(on);
    let assessed = fees.assess(vacancy, details, on);
    let (fees, fee_problem) = match assessed {
        Ok(check) => {
            let first = check.violations.first().cloned();
            (Some(check), first)
        }
        Err(error) => (None, Some(Finding::from(&error))),
    };
    OrderVerdict {
        licensed: licence.is_none(),
        licence_problem: licence.as_ref().map(Finding::from),
        contract_approved,
        approval_badge: contract_approved && details.supply_contract.decision_no.is_some(),
        fees_within_ceiling: fee_problem.is_none(),
        fees,
        fee_problem,
    }
}

// =============================================================================================
// Documents (R-OV-D1)

id_type!(DocumentId);

code_enum!(
    /// Evidence kept for a placement (R-OV-D1).
    DocumentType, "document_type" {
        Cccd => "cccd", "Căn cước công dân";
        Passport => "passport", "Hộ chiếu";
        CriminalRecord => "criminal_record", "Phiếu lý lịch tư pháp";
        HealthCertificate => "health_certificate", "Giấy chứng nhận sức khỏe";
        OrientationCertificate => "orientation_certificate", "Chứng chỉ hoàn thành giáo dục định hướng";
        LanguageCertificate => "language_certificate", "Chứng chỉ ngoại ngữ";
        SkillsTest => "skills_test", "Kết quả thi kỹ năng nghề";
        Diploma => "diploma", "Văn bằng, chứng chỉ đào tạo";
        WorkerContract => "worker_contract", "Hợp đồng đưa người lao động đi làm việc ở nước ngoài";
        SupplyContractApproval => "supply_contract_approval", "Văn bản chấp thuận hợp đồng cung ứng lao động";
        Visa => "visa", "Thị thực (visa)";
        Coe => "coe", "Giấy chứng nhận tư cách lưu trú (COE)";
        Ccvi => "ccvi", "Giấy xác nhận cấp thị thực (CCVI)";
        EmploymentPermit => "employment_permit", "Giấy phép lao động";
        StandardLaborContract => "standard_labor_contract", "Hợp đồng lao động tiêu chuẩn (EPS)";
        DepositCertificate => "deposit_certificate", "Giấy xác nhận ký quỹ";
        LoanContract => "loan_contract", "Hợp đồng vay vốn";
        FundReceipt => "fund_receipt", "Biên lai đóng Quỹ Hỗ trợ việc làm ngoài nước";
        FeeReceipt => "fee_receipt", "Biên lai, hóa đơn thu tiền";
        /// The worker's signed consent to leave later than the departure window (R-OV-S1).
        DepartureDelayConsent => "departure_delay_consent", "Văn bản đồng ý lùi thời hạn xuất cảnh";
        ReturnConfirmation => "return_confirmation", "Xác nhận về nước";
        LiquidationMinutes => "liquidation_minutes", "Biên bản thanh lý hợp đồng";
        Other => "other", "Giấy tờ khác";
    }
);

/// A document held for a placement. Numbers of identity documents are personal data: they are
/// left out of `Debug`.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    pub id: DocumentId,
    pub kind: DocumentType,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    /// What the document says that matters later: "JLPT N3" on a language certificate, the
    /// trade of a skills test, what an `other` document is.
    pub detail: Option<String>,
    /// SHA-256 of the scanned file, hex (R-OV-D1: signed documents are hashed).
    pub file_hash: Option<String>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("issued_on", &self.issued_on)
            .field("expires_on", &self.expires_on)
            .finish_non_exhaustive()
    }
}

impl Document {
    /// A document of `kind` with its dates, under a new id; the rest is filled in as known.
    pub fn new(kind: DocumentType, issued_on: Option<NaiveDate>, expires_on: Option<NaiveDate>) -> Self {
        Self {
            id: DocumentId::new(),
            kind,
            number: None,
            issuer: None,
            issued_on,
            expires_on,
            detail: None,
            file_hash: None,
        }
    }

    pub fn validate(&mut self) -> Result<(), ValidationError> {
        clean_optional("document.number", &mut self.number, 50)?;
        clean_optional("document.issuer", &mut self.issuer, 300)?;
        clean_optional("document.detail", &mut self.detail, 200)?;
        if let (Some(issued), Some(expires)) = (self.issued_on, self.expires_on)
            && expires < issued
        {
            return Err(ValidationError::new(
                "document.expires_on",
                "document.dates",
                "Ngày hết hạn của giấy tờ không thể trước ngày cấp.",
                "A document cannot expire before it was issued.",
            ));
        }
        if let Some(hash) = self.file_hash.take() {
            let hash = hash.trim().to_ascii_lowercase();
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ValidationError::new(
                    "document.file_hash",
                    "document.file_hash",
                    "Mã băm của tệp phải là SHA-256 dạng 64 ký tự hex.",
                    "The file hash must be a SHA-256 in 64 hex characters.",
                ));
            }
            self.file_hash = Some(hash);
        }
        if self.kind == DocumentType::Other && self.detail.is_none() {
            return Err(ValidationError::new(
                "document.detail",
                "document.detail_required",
                "Giấy tờ loại \"Giấy tờ khác\" phải ghi rõ là giấy tờ gì.",
                "A document of kind \"other\" needs a description.",
            ));
        }
        Ok(())
    }

    /// Issued by `date` (when the issue date is known) and not expired on it.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.issued_on.is_none_or(|issued| issued <= date) && self.expires_on.is_none_or(|expires| date <= expires)
    }
}

/// A row of `overseas-documents.csv`: one of `any_of` is needed to reach `stage`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRequirement {
    pub id: String,
    pub stage: OverseasStage,
    /// `None`: every programme.
    pub programme: Option<OverseasProgramme>,
    pub any_of: Vec<DocumentType>,
    /// Must be valid (issued, not expired) on the day of the move.
    pub must_be_valid: bool,
    /// The move is refused without it; otherwise it is a checklist reminder.
    pub blocking: bool,
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
    pub note: String,
}

/// How a requirement stands against the documents held.
enum Holding<'a> {
    Present(&'a Document),
    Expired(&'a Document),
    Missing,
}

impl DocumentRequirement {
    fn holding<'a>(&self, documents: &'a [Document], on: NaiveDate) -> Holding<'a> {
        let mut matching: Vec<&Document> = documents.iter().filter(|d| self.any_of.contains(&d.kind)).collect();
        // The one that lasts longest is the one to show.
        matching.sort_by_key(|d| std::cmp::Reverse(d.expires_on.unwrap_or(NaiveDate::MAX)));
        match (matching.iter().find(|d| !self.must_be_valid || d.is_valid_on(on)), matching.first()) {
            (Some(document), _) => Holding::Present(document),
            (None, Some(document)) => Holding::Expired(document),
            (None, None) => Holding::Missing,
        }
    }

    fn names_vi(&self) -> String {
        self.any_of.iter().map(|t| t.label_vi()).collect::<Vec<_>>().join(" hoặc ")
    }

    fn field(&self) -> String {
        format!("documents.{}", self.any_of.first().map_or("", |t| t.code()))
    }

    /// The guard: `Err` when a blocking requirement is not met on `on`.
    fn require(&self, documents: &[Document], on: NaiveDate) -> Result<(), ValidationError> {
        let codes: Vec<&str> = self.any_of.iter().map(|t| t.code()).collect();
        match self.holding(documents, on) {
            Holding::Present(_) => Ok(()),
            Holding::Expired(_) => Err(ValidationError::new(
                self.field(),
                "overseas.document_expired",
                format!("{} không còn hiệu lực vào ngày {} ({}).", self.names_vi(), vn_date(on), self.legal_ref),
                format!("{} is not valid on {on}.", codes.join(" or ")),
            )),
            Holding::Missing => Err(ValidationError::new(
                self.field(),
                "overseas.document_missing",
                format!("Còn thiếu giấy tờ: {} ({}).", self.names_vi(), self.legal_ref),
                format!("Missing document: {}.", codes.join(" or ")),
            )),
        }
    }
}

#[derive(serde::Deserialize)]
struct DocumentRow {
    id: String,
    stage: String,
    programme: String,
    documents: String,
    must_be_valid: String,
    blocking: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    note: String,
}

const DOCUMENT_FILE: &str = "overseas-documents.csv";

/// Which documents each step needs (`data/overseas-documents.csv`).
#[derive(Debug, Clone)]
pub struct DocumentRules {
    rules: Vec<DocumentRequirement>,
}

fn flag(file: &'static str, row: usize, column: &str, text: &str) -> Result<bool, ValidationError> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(table_error(
            file,
            row,
            "rule_table.flag",
            format!("cột {column} phải là true hoặc false (nhận được \"{other}\")."),
            format!("{column} must be true or false (got \"{other}\")."),
        )),
    }
}

impl DocumentRules {
    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let rows = read_rows::<DocumentRow>(DOCUMENT_FILE, text)?;
        unique_ids(DOCUMENT_FILE, rows.iter().map(|(n, r)| (*n, r.id.as_str())))?;
        let mut rules = Vec::with_capacity(rows.len());
        for (row, r) in rows {
            let stage = OverseasStage::parse(&r.stage).map_err(because(DOCUMENT_FILE, row, "rule_table.stage"))?;
            if stage.rank().is_none() {
                return Err(table_error(
                    DOCUMENT_FILE,
                    row,
                    "rule_table.stage",
                    format!("\"{}\" không phải một bước của quy trình.", r.stage),
                    format!("\"{}\" is not a step of the pipeline.", r.stage),
                ));
            }
            let programme = optional_text(&r.programme)
                .map(|p| OverseasProgramme::parse(&p))
                .transpose()
                .map_err(because(DOCUMENT_FILE, row, "rule_table.programme"))?;
            let any_of = r
                .documents
                .split('|')
                .map(|t| DocumentType::parse(t.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(because(DOCUMENT_FILE, row, "rule_table.documents"))?;
            let p = provenance(DOCUMENT_FILE, row, &r.effective_from, &r.effective_to, &r.verified, &r.legal_ref)?;
            rules.push(DocumentRequirement {
                id: r.id,
                stage,
                programme,
                any_of,
                must_be_valid: flag(DOCUMENT_FILE, row, "must_be_valid", &r.must_be_valid)?,
                blocking: flag(DOCUMENT_FILE, row, "blocking", &r.blocking)?,
                effective: p.effective,
                verified: p.verified,
                legal_ref: p.legal_ref,
                note: r.note,
            });
        }
        Ok(Self { rules })
    }

    pub fn rules(&self) -> &[DocumentRequirement] {
        &self.rules
    }

    /// The requirements in force on `on` for a programme.
    pub fn for_programme(
        &self,
        programme: OverseasProgramme,
        on: NaiveDate,
    ) -> impl Iterator<Item = &DocumentRequirement> {
        self.rules.iter().filter(move |r| r.programme.is_none_or(|p| p == programme) && r.effective.in_force_on(on))
    }
}

code_enum!(
    ChecklistStatus, "checklist_status" {
        Present => "present", "Đã có";
        Expiring => "expiring", "Sắp hết hạn";
        Expired => "expired", "Đã hết hạn";
        Missing => "missing", "Còn thiếu";
    }
);

/// One line of a registration's document checklist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    pub requirement: String,
    pub needed_for: OverseasStage,
    pub any_of: Vec<DocumentType>,
    pub blocking: bool,
    pub must_be_valid: bool,
    /// Needed by now or for the next step.
    pub due: bool,
    pub status: ChecklistStatus,
    pub document_id: Option<DocumentId>,
    pub expires_on: Option<NaiveDate>,
    pub legal_ref: String,
    pub verified: bool,
}

/// Every document the programme's steps need, and how each stands on `on`: present, expiring
/// within the notice period, expired or missing. `due` marks those needed by now or for the
/// next step of the main line.
pub fn checklist(
    stage: OverseasStage,
    programme: OverseasProgramme,
    documents: &[Document],
    on: NaiveDate,
    rules: &OverseasRules,
) -> Vec<ChecklistItem> {
    let notice = rules.deadlines.days(DeadlineKey::DocumentExpiryNotice, on).unwrap_or(0);
    let horizon = on.checked_add_days(chrono::Days::new(u64::from(notice))).unwrap_or(on);
    let mut items: Vec<ChecklistItem> = rules
        .documents
        .for_programme(programme, on)
        .map(|requirement| {
            let (status, document) = match requirement.holding(documents, on) {
                Holding::Present(d) if requirement.must_be_valid && d.expires_on.is_some_and(|e| e <= horizon) => {
                    (ChecklistStatus::Expiring, Some(d))
                }
                Holding::Present(d) => (ChecklistStatus::Present, Some(d)),
                Holding::Expired(d) => (ChecklistStatus::Expired, Some(d)),
                Holding::Missing => (ChecklistStatus::Missing, None),
            };
            ChecklistItem {
                requirement: requirement.id.clone(),
                needed_for: requirement.stage,
                any_of: requirement.any_of.clone(),
                blocking: requirement.blocking,
                must_be_valid: requirement.must_be_valid,
                due: matches!((stage.rank(), requirement.stage.rank()), (Some(now), Some(needed)) if needed <= now + 1),
                status,
                document_id: document.map(|d| d.id),
                expires_on: document.and_then(|d| d.expires_on),
                legal_ref: requirement.legal_ref.clone(),
                verified: requirement.verified,
            }
        })
        .collect();
    items.sort_by_key(|item| item.needed_for.rank());
    items
}

// =============================================================================================
// The placement pipeline (R-OV-S1)

code_enum!(
    /// The eligibility verdict the caller computed (the matching engine): the domain takes it
    /// as given, so it does not depend on matching.
    Eligibility, "eligibility" {
        Pass => "pass", "Đủ điều kiện";
        /// Facts needed to decide are not recorded.
        Unknown => "unknown", "Chưa đủ thông tin để kết luận";
        Fail => "fail", "Không đủ điều kiện";
    }
);

code_enum!(
    /// Why a worker came back before the end of the contract (R-OV-S1); drives Fund support
    /// (§5.9) and the service-fee refund (R-FEE-4).
    ReturnReason, "return_reason" {
        OccupationalAccident => "occupational_accident", "Tai nạn lao động";
        Illness => "illness", "Ốm đau, bệnh tật";
        EmployerBankrupt => "employer_bankrupt", "Chủ sử dụng lao động phá sản, giải thể";
        /// Disaster, epidemic, war, political instability, recession.
        ForceMajeure => "force_majeure", "Bất khả kháng";
        /// The worker ended the contract because of abuse, forced labour or sexual harassment.
        Abuse => "abuse", "Bị ngược đãi, cưỡng bức lao động, quấy rối tình dục";
        WorkerFault => "worker_fault", "Lỗi của người lao động";
        Other => "other", "Lý do khác";
    }
);

impl ReturnReason {
    /// Not the worker's fault: the service fee is refunded in proportion (Law 69 Art. 23).
    pub fn is_not_at_fault(self) -> bool {
        self != Self::WorkerFault
    }
}

/// The stages before departure from selection on (T0 has passed; the departure window runs).
const AFTER_SELECTION: &[OverseasStage] = &[
    OverseasStage::Selected,
    OverseasStage::Training,
    OverseasStage::OrientationDone,
    OverseasStage::MedicalOk,
    OverseasStage::ContractSigned,
    OverseasStage::FeesSettled,
    OverseasStage::FundPaid,
    OverseasStage::DocsReady,
];

/// The ways a placement ends abroad: the contract has ended and must be liquidated.
const CONTRACT_ENDED: &[OverseasStage] = &[
    OverseasStage::ReturnedOnTime,
    OverseasStage::ReturnedEarly,
    OverseasStage::Absconded,
    OverseasStage::Deceased,
    OverseasStage::Missing,
    OverseasStage::Returned,
];

const OVERSEAS_LIFE_CYCLE: LifeCycle = LifeCycle {
    field: "stage",
    code: "overseas.transition",
    noun_vi: "hồ sơ",
    noun_en: "A placement",
    final_hint_vi: "",
};

impl OverseasStage {
    /// The legal moves (R-OV-S1). Forward one step on the main line (training is optional,
    /// counselling and source preparation may be skipped); withdrawal any time before
    /// departure; rejection at the selection stages; after selection, the enterprise's failure
    /// to send the worker in time or force majeure; abroad, extension and the ways back; then
    /// liquidation and reintegration.
    pub fn next_states(self) -> &'static [OverseasStage] {
        use OverseasStage::*;
        match self {
            Lead => &[Counselled, SourcePrep, Applied, Withdrawn],
            Counselled => &[SourcePrep, Applied, Withdrawn],
            SourcePrep => &[Applied, Withdrawn],
            Applied => &[Prescreened, Rejected, Withdrawn],
            Prescreened => &[Selected, Rejected, Withdrawn],
            Selected => &[Training, OrientationDone, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            Training => &[OrientationDone, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            OrientationDone => &[MedicalOk, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            MedicalOk => &[ContractSigned, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            ContractSigned => &[FeesSettled, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            FeesSettled => &[FundPaid, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            FundPaid => &[DocsReady, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            DocsReady => &[Departed, Withdrawn, EnterpriseFailed180d, ForceMajeureCancelled],
            Departed => &[WorkingAbroad, ReturnedEarly, Deceased, Missing],
            WorkingAbroad => &[Extended, ReturnedOnTime, ReturnedEarly, Absconded, Deceased, Missing],
            Extended => &[WorkingAbroad, ReturnedOnTime, ReturnedEarly, Absconded, Deceased, Missing],
            ReturnedOnTime | ReturnedEarly | Absconded | Deceased | Missing => &[Liquidated],
            // Rows from before returns had a reason: classify them, or liquidate.
            Returned => &[ReturnedOnTime, ReturnedEarly, Liquidated],
            Liquidated => &[Reintegration],
            Reintegration | Withdrawn | Rejected | EnterpriseFailed180d | ForceMajeureCancelled => &[],
        }
    }

    /// Position on the main line (the returns share one); `None` for the side exits.
    pub fn rank(self) -> Option<u8> {
        use OverseasStage::*;
        Some(match self {
            Lead => 0,
            Counselled => 1,
            SourcePrep => 2,
            Applied => 3,
            Prescreened => 4,
            Selected => 5,
            Training => 6,
            OrientationDone => 7,
            MedicalOk => 8,
            ContractSigned => 9,
            FeesSettled => 10,
            FundPaid => 11,
            DocsReady => 12,
            Departed => 13,
            WorkingAbroad => 14,
            Extended => 15,
            ReturnedOnTime | ReturnedEarly | Absconded | Deceased | Missing | Returned => 16,
            Liquidated => 17,
            Reintegration => 18,
            Withdrawn | Rejected | EnterpriseFailed180d | ForceMajeureCancelled => return None,
        })
    }

    /// Counts against the job order's places: selected and every later main-line stage.
    pub fn holds_place(self) -> bool {
        self.rank().is_some_and(|rank| rank >= 5)
    }

    /// No move leads on.
    pub fn is_final(self) -> bool {
        self.next_states().is_empty()
    }

    /// Selected and not yet departed: the departure window runs.
    pub fn awaits_departure(self) -> bool {
        AFTER_SELECTION.contains(&self)
    }

    /// The placement ended abroad (returned, absconded, died, missing): liquidation is due.
    pub fn contract_ended(self) -> bool {
        CONTRACT_ENDED.contains(&self)
    }

    /// A return with the worker back in Vietnam: the profile gains the experience.
    pub fn is_return(self) -> bool {
        matches!(self, Self::ReturnedOnTime | Self::ReturnedEarly)
    }

    /// `to` if the pipeline allows the move and its guards pass on `ctx.on`, else why not.
    pub fn transition(self, to: OverseasStage, ctx: &TransitionContext<'_>) -> Result<OverseasStage, ValidationError> {
        if !self.next_states().contains(&to) {
            let before_contract = self.rank().is_some_and(|r| r < 9);
            if to == Self::FeesSettled && before_contract {
                return Err(ValidationError::new(
                    "stage",
                    "overseas.fees_before_contract",
                    format!(
                        "Chưa được thu tiền của người lao động: hồ sơ đang ở bước \"{}\", chỉ thu sau khi đã ký hợp đồng (Luật 69/2020/QH14, Điều 23).",
                        self.label_vi()
                    ),
                    format!(
                        "No money may be collected from the worker before the contract is signed (the placement is {}).",
                        self.code()
                    ),
                ));
            }
            return Err(refused_move(&OVERSEAS_LIFE_CYCLE, self, to, self.next_states()));
        }
        ctx.guard(self, to)?;
        Ok(to)
    }
}

/// The job order as a move sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderState {
    /// Published and taking applications (vacancy status open).
    pub open: bool,
    /// The supply contract is approved on the day of the move.
    pub supply_contract_approved: bool,
    /// Places not yet held by a selected (or later) registration.
    pub places_left: u32,
}

/// Everything the guards of a move look at, gathered by the caller (the store, inside the
/// transaction that makes the move).
#[derive(Debug, Clone, Copy)]
pub struct TransitionContext<'a> {
    /// The Vietnamese calendar day of the move.
    pub on: NaiveDate,
    pub programme: OverseasProgramme,
    /// The job order applied to; `None` for a registration of interest in a market only.
    pub order: Option<OrderState>,
    /// From the matching engine; `None` when not evaluated.
    pub eligibility: Option<Eligibility>,
    /// T0, the day of selection.
    pub selected_on: Option<NaiveDate>,
    /// Every stage the registration has been in.
    pub reached: &'a [OverseasStage],
    pub documents: &'a [Document],
    pub return_reason: Option<ReturnReason>,
    /// Why, in the actor's words.
    pub reason: Option<&'a str>,
    pub rules: &'a OverseasRules,
}

fn guard_error(
    field: &'static str,
    code: &'static str,
    vi: impl Into<String>,
    en: impl Into<String>,
) -> ValidationError {
    ValidationError::new(field, code, vi, en)
}

impl TransitionContext<'_> {
    fn days_since_selection(&self) -> Result<(NaiveDate, i64), ValidationError> {
        let t0 = self.selected_on.ok_or_else(|| {
            guard_error(
                "selected_on",
                "overseas.selected_on_unknown",
                "Không rõ ngày trúng tuyển của hồ sơ, nên không tính được thời hạn xuất cảnh.",
                "The day of selection is not known, so the departure window cannot be checked.",
            )
        })?;
        Ok((t0, (self.on - t0).num_days()))
    }

    fn window(&self) -> Result<i64, ValidationError> {
        self.rules.deadlines.days(DeadlineKey::DepartureWindow, self.on).map(i64::from).ok_or_else(|| {
            guard_error(
                "rules",
                "rule_table.missing",
                format!("Bảng thời hạn không có thời hạn xuất cảnh có hiệu lực ngày {}.", vn_date(self.on)),
                format!("No departure window is in force on {}.", self.on),
            )
        })
    }

    fn has_delay_consent(&self) -> bool {
        self.documents.iter().any(|d| d.kind == DocumentType::DepartureDelayConsent && d.is_valid_on(self.on))
    }

    fn reason_given(&self) -> bool {
        self.reason.is_some_and(|r| !normalize(r).is_empty())
    }

    fn guard(&self, from: OverseasStage, to: OverseasStage) -> Result<(), ValidationError> {
        use OverseasStage::*;
        if to.rank().is_some_and(|r| r >= 3) && self.order.is_none() {
            return Err(guard_error(
                "job_order",
                "overseas.job_order_required",
                "Hồ sơ chưa gắn với đơn hàng nào: cần chọn đơn hàng trước khi nộp hồ sơ.",
                "The registration is for no job order: choose one before applying.",
            ));
        }
        if let Some(order) = self.order {
            if to == Applied && !order.open {
                return Err(guard_error(
                    "job_order",
                    "overseas.job_order_not_open",
                    "Đơn hàng không còn (hoặc chưa) nhận hồ sơ.",
                    "The job order is not taking applications.",
                ));
            }
            if to == Selected && order.places_left == 0 {
                return Err(guard_error(
                    "job_order",
                    "overseas.no_places_left",
                    "Đơn hàng đã đủ số người trúng tuyển.",
                    "Every place of the job order is taken.",
                ));
            }
            if matches!(to, ContractSigned | FeesSettled) && !order.supply_contract_approved {
                return Err(contract_not_approved(self.on).for_field("job_order.supply_contract"));
            }
        }
        if matches!(to, Selected | ContractSigned) {
            match (self.eligibility, to) {
                (None, _) => {
                    return Err(guard_error(
                        "eligibility",
                        "overseas.eligibility_not_checked",
                        "Chưa kiểm tra điều kiện của người lao động (Luật 69/2020/QH14, Điều 44).",
                        "The worker's eligibility has not been checked (Law 69/2020, Art. 44).",
                    ));
                }
                (Some(Eligibility::Fail), _) => {
                    return Err(guard_error(
                        "eligibility",
                        "overseas.not_eligible",
                        "Người lao động không đủ điều kiện của đơn hàng hoặc chương trình.",
                        "The worker does not meet the order's or the programme's conditions.",
                    ));
                }
                // Selection may go ahead while some facts are still to come (the orientation
                // certificate, say); the contract needs every condition met.
                (Some(Eligibility::Unknown), ContractSigned) => {
                    return Err(guard_error(
                        "eligibility",
                        "overseas.eligibility_unknown",
                        "Chưa đủ thông tin để kết luận người lao động đủ điều kiện; cần bổ sung trước khi ký hợp đồng.",
                        "Eligibility is not established yet; complete it before the contract is signed.",
                    ));
                }
                _ => {}
            }
        }
        for requirement in
            self.rules.documents.for_programme(self.programme, self.on).filter(|r| r.stage == to && r.blocking)
        {
            requirement.require(self.documents, self.on)?;
        }
        match to {
            Departed => {
                if !self.reached.contains(&MedicalOk) {
                    return Err(guard_error(
                        "stage",
                        "overseas.medical_not_passed",
                        "Người lao động chưa đạt khám sức khỏe.",
                        "The worker has not passed the health check.",
                    ));
                }
                if !self.reached.contains(&FundPaid) {
                    return Err(guard_error(
                        "stage",
                        "overseas.fund_not_paid",
                        "Người lao động chưa đóng Quỹ Hỗ trợ việc làm ngoài nước.",
                        "The worker has not paid into the Overseas Employment Support Fund.",
                    ));
                }
                let (t0, days) = self.days_since_selection()?;
                let window = self.window()?;
                if days > window && !self.has_delay_consent() {
                    return Err(guard_error(
                        "departed_on",
                        "overseas.departure_window",
                        format!(
                            "Đã {days} ngày kể từ ngày trúng tuyển {}, quá thời hạn {window} ngày; cần văn bản người lao động đồng ý lùi thời hạn xuất cảnh.",
                            vn_date(t0)
                        ),
                        format!(
                            "{days} days since selection on {t0}, beyond the {window}-day window; the worker's written consent to a delay is needed."
                        ),
                    ));
                }
            }
            EnterpriseFailed180d => {
                let (t0, days) = self.days_since_selection()?;
                let window = self.window()?;
                if days <= window {
                    return Err(guard_error(
                        "stage",
                        "overseas.window_not_over",
                        format!(
                            "Mới {days} ngày kể từ ngày trúng tuyển {}; thời hạn đưa đi là {window} ngày.",
                            vn_date(t0)
                        ),
                        format!("Only {days} days since selection on {t0}; the window is {window} days."),
                    ));
                }
            }
            ReturnedEarly if self.return_reason.is_none() => {
                return Err(guard_error(
                    "return_reason",
                    "overseas.return_reason_required",
                    "Cần ghi lý do về nước trước hạn.",
                    "The reason for the early return is required.",
                ));
            }
            _ => {}
        }
        let needs_reason =
            matches!(to, Withdrawn | Rejected | EnterpriseFailed180d | ForceMajeureCancelled | Absconded)
                || (to == ReturnedEarly && self.return_reason == Some(ReturnReason::Other));
        if needs_reason && !self.reason_given() {
            return Err(guard_error(
                "reason",
                "overseas.reason_required",
                format!("Cần ghi lý do khi chuyển hồ sơ từ \"{}\" sang \"{}\".", from.label_vi(), to.label_vi()),
                format!("A reason is required to move from {} to {}.", from.code(), to.code()),
            ));
        }
        Ok(())
    }
}

// =============================================================================================
// Deadlines and tasks (R-OV-S2)

code_enum!(
    /// Day counts of the placement (`data/overseas-deadlines.csv`).
    DeadlineKey, "deadline" {
        /// From selection (T0) to departure.
        DepartureWindow => "departure_window_days", "Thời hạn đưa người lao động xuất cảnh";
        /// From selection to the warning that the window is closing.
        DepartureWarning => "departure_warning_days", "Thời điểm cảnh báo sắp hết thời hạn xuất cảnh";
        /// From the end of the contract to its liquidation.
        LiquidationWindow => "liquidation_window_days", "Thời hạn thanh lý hợp đồng";
        /// How far ahead an expiring document is flagged.
        DocumentExpiryNotice => "document_expiry_notice_days", "Báo trước giấy tờ sắp hết hạn";
    }
);

/// A row of `overseas-deadlines.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadline {
    pub key: DeadlineKey,
    pub days: u32,
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
    pub note: String,
}

#[derive(serde::Deserialize)]
struct DeadlineRow {
    key: String,
    days: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    note: String,
}

const DEADLINE_FILE: &str = "overseas-deadlines.csv";

/// The day counts (`data/overseas-deadlines.csv`): every key has rows, none overlapping.
#[derive(Debug, Clone)]
pub struct DeadlineRules {
    rows: Vec<Deadline>,
}

impl DeadlineRules {
    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let mut rows: Vec<Deadline> = Vec::new();
        let mut last_row = 0;
        for (row, r) in read_rows::<DeadlineRow>(DEADLINE_FILE, text)? {
            last_row = row;
            let key = DeadlineKey::parse(&r.key).map_err(because(DEADLINE_FILE, row, "rule_table.key"))?;
            let days = r.days.parse::<u32>().map_err(|_| {
                table_error(
                    DEADLINE_FILE,
                    row,
                    "rule_table.value",
                    format!("số ngày \"{}\" không hợp lệ.", r.days),
                    format!("day count \"{}\" is not valid.", r.days),
                )
            })?;
            let p = provenance(DEADLINE_FILE, row, &r.effective_from, &r.effective_to, &r.verified, &r.legal_ref)?;
            if rows.iter().any(|d| d.key == key && d.effective.overlaps(&p.effective)) {
                return Err(table_error(
                    DEADLINE_FILE,
                    row,
                    "rule_table.overlap",
                    format!("\"{}\" đã có dòng khác cùng thời gian hiệu lực.", key.code()),
                    format!("\"{}\" already has a row in force at the same time.", key.code()),
                ));
            }
            rows.push(Deadline {
                key,
                days,
                effective: p.effective,
                verified: p.verified,
                legal_ref: p.legal_ref,
                note: r.note,
            });
        }
        if let Some(missing) = DeadlineKey::ALL.iter().find(|k| !rows.iter().any(|d| d.key == **k)) {
            return Err(table_error(
                DEADLINE_FILE,
                last_row,
                "rule_table.missing_key",
                format!("thiếu dòng cho \"{}\".", missing.code()),
                format!("no row for \"{}\".", missing.code()),
            ));
        }
        Ok(Self { rows })
    }

    pub fn rows(&self) -> &[Deadline] {
        &self.rows
    }

    /// The day count in force on `on`.
    pub fn days(&self, key: DeadlineKey, on: NaiveDate) -> Option<u32> {
        self.rows.iter().find(|d| d.key == key && d.effective.in_force_on(on)).map(|d| d.days)
    }
}

code_enum!(
    TaskKind, "task_kind" {
        DepartureDue => "departure_due", "Sắp hết thời hạn đưa người lao động xuất cảnh";
        DepartureOverdue => "departure_overdue", "Quá thời hạn đưa người lao động xuất cảnh";
        LiquidationDue => "liquidation_due", "Đến hạn thanh lý hợp đồng";
        LiquidationOverdue => "liquidation_overdue", "Quá hạn thanh lý hợp đồng";
        DocumentExpiring => "document_expiring", "Giấy tờ sắp hết hạn";
    }
);

code_enum!(
    TaskSeverity, "task_severity" {
        Warning => "warning", "Cảnh báo";
        Breach => "breach", "Quá hạn";
    }
);

/// Something to do about a registration by a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub kind: TaskKind,
    pub severity: TaskSeverity,
    pub registration_id: OverseasRegistrationId,
    pub worker_id: WorkerId,
    pub due_on: NaiveDate,
    pub document_id: Option<DocumentId>,
    pub document_type: Option<DocumentType>,
    pub message_vi: String,
    pub message_en: String,
}

/// What the deadline rules need to know of a registration.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationFacts<'a> {
    pub id: OverseasRegistrationId,
    pub worker_id: WorkerId,
    pub stage: OverseasStage,
    /// T0.
    pub selected_on: Option<NaiveDate>,
    pub departed_on: Option<NaiveDate>,
    /// When the placement ended abroad (returned, absconded, died, missing).
    pub ended_on: Option<NaiveDate>,
    /// From the job order.
    pub contract_months: Option<u16>,
    pub documents: &'a [Document],
}

fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// The tasks due or coming on `today` (R-OV-S2): the departure window closing (warning from
/// the warning day, breach once past) unless the worker consented to a delay; the liquidation
/// deadline once a contract has ended (at a return, or by its term while still abroad); and
/// documents of active placements expiring within the notice period. Breaches first, then by
/// due date. A deadline with no row in force on `today` gives no task.
pub fn tasks(registrations: &[RegistrationFacts<'_>], today: NaiveDate, rules: &OverseasRules) -> Vec<Task> {
    let days = |key| rules.deadlines.days(key, today);
    let mut tasks = Vec::new();
    for r in registrations {
        let task = |kind: TaskKind, severity, due_on, document: Option<&Document>, vi: String, en: String| Task {
            kind,
            severity,
            registration_id: r.id,
            worker_id: r.worker_id,
            due_on,
            document_id: document.map(|d| d.id),
            document_type: document.map(|d| d.kind),
            message_vi: vi,
            message_en: en,
        };
        let consented =
            r.documents.iter().any(|d| d.kind == DocumentType::DepartureDelayConsent && d.is_valid_on(today));
        if r.stage.awaits_departure()
            && !consented
            && let (Some(t0), Some(window), Some(warning)) =
                (r.selected_on, days(DeadlineKey::DepartureWindow), days(DeadlineKey::DepartureWarning))
        {
            let due = add_days(t0, window);
            let elapsed = (today - t0).num_days();
            if today > due {
                tasks.push(task(
                    TaskKind::DepartureOverdue,
                    TaskSeverity::Breach,
                    due,
                    None,
                    format!(
                        "Đã {elapsed} ngày kể từ ngày trúng tuyển {} mà người lao động chưa xuất cảnh (hạn {}).",
                        vn_date(t0),
                        vn_date(due)
                    ),
                    format!("{elapsed} days since selection on {t0} without departure (due {due})."),
                ));
            } else if elapsed >= i64::from(warning) {
                tasks.push(task(
                    TaskKind::DepartureDue,
                    TaskSeverity::Warning,
                    due,
                    None,
                    format!(
                        "Người lao động trúng tuyển ngày {} cần xuất cảnh trước hết ngày {}.",
                        vn_date(t0),
                        vn_date(due)
                    ),
                    format!("Selected on {t0}; must depart by {due}."),
                ));
            }
        }
        let ended = if r.stage.contract_ended() {
            r.ended_on
        } else if r.stage == OverseasStage::WorkingAbroad {
            // Still recorded abroad after the contract's term: it has ended all the same.
            r.departed_on
                .zip(r.contract_months)
                .and_then(|(departed, months)| departed.checked_add_months(Months::new(u32::from(months))))
                .filter(|end| *end <= today)
        } else {
            None
        };
        if let (Some(end), Some(window)) = (ended, days(DeadlineKey::LiquidationWindow)) {
            let due = add_days(end, window);
            let (kind, severity) = if today > due {
                (TaskKind::LiquidationOverdue, TaskSeverity::Breach)
            } else {
                (TaskKind::LiquidationDue, TaskSeverity::Warning)
            };
            tasks.push(task(
                kind,
                severity,
                due,
                None,
                format!("Hợp đồng kết thúc ngày {}; phải thanh lý trước hết ngày {}.", vn_date(end), vn_date(due)),
                format!("The contract ended on {end}; liquidate it by {due}."),
            ));
        }
        let active = !r.stage.is_final() && r.stage != OverseasStage::Liquidated;
        if active && let Some(notice) = days(DeadlineKey::DocumentExpiryNotice) {
            let horizon = add_days(today, notice);
            for document in r.documents {
                if let Some(expires) = document.expires_on.filter(|e| *e >= today && *e <= horizon) {
                    tasks.push(task(
                        TaskKind::DocumentExpiring,
                        TaskSeverity::Warning,
                        expires,
                        Some(document),
                        format!("{} hết hạn ngày {}.", document.kind.label_vi(), vn_date(expires)),
                        format!("{} expires on {expires}.", document.kind.code()),
                    ));
                }
            }
        }
    }
    tasks.sort_by_key(|t| (t.severity != TaskSeverity::Breach, t.due_on));
    tasks
}

// =============================================================================================
// Support policies and loans (§5.10, R-POL-1)

code_enum!(
    PolicyKind, "policy_kind" {
        Loan => "loan", "Cho vay ưu đãi";
        Support => "support", "Hỗ trợ";
    }
);

code_enum!(
    PolicyProvider, "policy_provider" {
        Vbsp => "vbsp", "Ngân hàng Chính sách xã hội";
        Nef => "nef", "Quỹ quốc gia về việc làm";
        StateBudget => "state_budget", "Ngân sách nhà nước";
        Fund => "fund", "Quỹ Hỗ trợ việc làm ngoài nước";
    }
);

code_enum!(
    /// How a policy's amount is set.
    AmountRule, "amount_rule" {
        /// `percent` of the costs in the worker contract.
        ShareOfContractCosts => "share_of_contract_costs", "Tỷ lệ trên chi phí ghi trong hợp đồng";
        Cap => "cap", "Tối đa";
        Fixed => "fixed", "Mức cố định";
        PerDay => "per_day", "Theo ngày";
        PerMonth => "per_month", "Theo tháng";
        PerCourse => "per_course", "Theo khóa học";
        PerTrip => "per_trip", "Theo lượt đi lại";
        ActualCost => "actual_cost", "Theo chi phí thực tế";
        /// The law names the support; the amount is set elsewhere.
        NotSet => "not_set", "Chưa quy định mức";
    }
);

/// A row of `overseas-support-policies.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportPolicy {
    pub id: String,
    pub kind: PolicyKind,
    pub provider: PolicyProvider,
    /// A worker in any of these groups qualifies.
    pub groups: Vec<PriorityGroup>,
    /// `None`: any programme.
    pub programme: Option<OverseasProgramme>,
    /// What it pays for: `work_abroad_costs`, `eps_deposit`, `language_training`, …
    pub item: String,
    pub amount_rule: AmountRule,
    /// In đồng, for fixed, capped and per-unit amounts.
    pub amount: Option<Money>,
    pub percent: Option<u8>,
    pub effective: Effective,
    pub verified: bool,
    pub legal_ref: String,
    pub title_vi: String,
    pub title_en: String,
    pub note: String,
}

#[derive(serde::Deserialize)]
struct PolicyRow {
    id: String,
    kind: String,
    provider: String,
    groups: String,
    programme: String,
    item: String,
    amount_rule: String,
    amount_vnd: String,
    percent: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    title_vi: String,
    title_en: String,
    note: String,
}

const POLICY_FILE: &str = "overseas-support-policies.csv";

/// The policies (`data/overseas-support-policies.csv`).
#[derive(Debug, Clone)]
pub struct SupportPolicies {
    policies: Vec<SupportPolicy>,
}

fn parse_policy(row: usize, r: PolicyRow) -> Result<SupportPolicy, ValidationError> {
    let bad = |code: &'static str, vi: String, en: String| table_error(POLICY_FILE, row, code, vi, en);
    let kind = PolicyKind::parse(&r.kind).map_err(because(POLICY_FILE, row, "rule_table.kind"))?;
    let provider = PolicyProvider::parse(&r.provider).map_err(because(POLICY_FILE, row, "rule_table.provider"))?;
    let groups = r
        .groups
        .split('|')
        .map(|g| PriorityGroup::parse(g.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(because(POLICY_FILE, row, "rule_table.groups"))?;
    let programme = optional_text(&r.programme).map(|p| OverseasProgramme::parse(&p)).transpose().map_err(because(
        POLICY_FILE,
        row,
        "rule_table.programme",
    ))?;
    if !is_identifier(&r.item) {
        return Err(bad(
            "rule_table.item",
            format!("mã khoản hỗ trợ \"{}\" không hợp lệ.", r.item),
            format!("invalid item code \"{}\".", r.item),
        ));
    }
    let amount_rule = AmountRule::parse(&r.amount_rule).map_err(because(POLICY_FILE, row, "rule_table.amount_rule"))?;
    let amount = vnd_amount(POLICY_FILE, row, &r.amount_vnd)?;
    let percent = optional_text(&r.percent)
        .map(|text| {
            text.parse::<u8>().ok().filter(|p| (1..=100).contains(p)).ok_or_else(|| {
                bad(
                    "rule_table.percent",
                    format!("tỷ lệ \"{text}\" phải từ 1 đến 100."),
                    format!("percent \"{text}\" must be 1 to 100."),
                )
            })
        })
        .transpose()?;
    let needs_amount = matches!(
        amount_rule,
        AmountRule::Cap
            | AmountRule::Fixed
            | AmountRule::PerDay
            | AmountRule::PerMonth
            | AmountRule::PerCourse
            | AmountRule::PerTrip
    );
    let needs_percent = amount_rule == AmountRule::ShareOfContractCosts;
    if needs_amount != amount.is_some() || needs_percent != percent.is_some() {
        return Err(bad(
            "rule_table.amount",
            format!("cách tính \"{}\" không khớp với cột amount_vnd/percent.", amount_rule.code()),
            format!("amount rule \"{}\" does not match the amount_vnd/percent columns.", amount_rule.code()),
        ));
    }
    if r.title_vi.is_empty() || r.title_en.is_empty() {
        return Err(bad("rule_table.title", "thiếu tên chính sách.".into(), "the title is missing.".into()));
    }
    let p = provenance(POLICY_FILE, row, &r.effective_from, &r.effective_to, &r.verified, &r.legal_ref)?;
    Ok(SupportPolicy {
        id: r.id,
        kind,
        provider,
        groups,
        programme,
        item: r.item,
        amount_rule,
        amount,
        percent,
        effective: p.effective,
        verified: p.verified,
        legal_ref: p.legal_ref,
        title_vi: r.title_vi,
        title_en: r.title_en,
        note: r.note,
    })
}

impl SupportPolicies {
    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let rows = read_rows::<PolicyRow>(POLICY_FILE, text)?;
        unique_ids(POLICY_FILE, rows.iter().map(|(n, r)| (*n, r.id.as_str())))?;
        let policies = rows.into_iter().map(|(row, r)| parse_policy(row, r)).collect::<Result<Vec<_>, _>>()?;
        Ok(Self { policies })
    }

    pub fn all(&self) -> &[SupportPolicy] {
        &self.policies
    }
}

/// A policy a worker qualifies for, and through which of their groups.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyMatch {
    pub policy: SupportPolicy,
    pub through: Vec<PriorityGroup>,
}

/// The policies in force on `on` that a worker qualifies for: through a recorded priority
/// group, or as an ethnic minority when the recorded ethnicity says so. Programme-specific
/// policies (the EPS deposit loan) only for that programme.
pub fn policies_for(
    worker: &WorkerProfile,
    programme: Option<OverseasProgramme>,
    on: NaiveDate,
    rules: &OverseasRules,
) -> Vec<PolicyMatch> {
    let mut groups: BTreeSet<PriorityGroup> = worker.priority_groups.clone();
    if worker.ethnic_minority() == Some(true) {
        groups.insert(PriorityGroup::EthnicMinority);
    }
    rules
        .policies
        .all()
        .iter()
        .filter(|p| p.effective.in_force_on(on) && p.programme.is_none_or(|only| programme == Some(only)))
        .filter_map(|policy| {
            let through: Vec<PriorityGroup> = policy.groups.iter().copied().filter(|g| groups.contains(g)).collect();
            (!through.is_empty()).then(|| PolicyMatch { policy: policy.clone(), through })
        })
        .collect()
}

// =============================================================================================
// Returnees

/// What a placement abroad taught, for the profile of a worker who came back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverseasExperience {
    pub country: CountryCode,
    pub programme: OverseasProgramme,
    pub occupation: Option<IscoCode>,
    pub employer: Option<String>,
    pub months: u16,
    pub languages: Vec<LanguageCertificate>,
    /// Trades of skills tests passed.
    pub skills: Vec<String>,
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
pub fn whole_months(from: NaiveDate, to: NaiveDate) -> u16 {
    let months = (to.year() - from.year()) * 12 + i32::try_from(to.month()).unwrap_or(0)
        - i32::try_from(from.month()).unwrap_or(0)
        - i32::from(to.day() < from.day());
    u16::try_from(months.max(0)).unwrap_or(u16::MAX)
}

impl OverseasExperience {
    /// The experience of a placement from departure to return; language certificates and skills
    /// tests come from the registration's documents (their `detail`).
    pub fn of_placement(
        country: CountryCode,
        programme: OverseasProgramme,
        occupation: Option<IscoCode>,
        employer: Option<String>,
        departed_on: NaiveDate,
        returned_on: NaiveDate,
        documents: &[Document],
    ) -> Self {
        let details =
            |kind: DocumentType| documents.iter().filter(move |d| d.kind == kind).filter_map(|d| d.detail.as_deref());
        let mut languages: Vec<LanguageCertificate> = Vec::new();
        for certificate in
            details(DocumentType::LanguageCertificate).filter_map(|text| LanguageCertificate::parse(text).ok())
        {
            if !languages.contains(&certificate) {
                languages.push(certificate);
            }
        }
        let mut skills: Vec<String> = Vec::new();
        for skill in details(DocumentType::SkillsTest).map(normalize) {
            if !skill.is_empty() && !skills.contains(&skill) {
                skills.push(skill);
            }
        }
        Self {
            country,
            programme,
            occupation,
            employer,
            months: whole_months(departed_on, returned_on),
            languages,
            skills,
        }
    }

    /// "Thợ hàn tại Nhật Bản": the occupation (or else the programme) and the country.
    pub fn title(&self) -> String {
        let what = self
            .occupation
            .as_ref()
            .and_then(|code| OccupationCatalog::embedded().get(code))
            .map_or_else(|| self.programme.label_vi().to_owned(), |o| o.label_vi.clone());
        let place = country(&self.country).map_or_else(|| self.country.as_str().to_owned(), |c| c.name_vi.clone());
        let title = format!("{what} tại {place}");
        title.chars().take(200).collect()
    }
}

/// Adds an overseas placement to a returnee's profile so matching values it: a past job (once,
/// however often it is called), the language certificates and skills not yet listed, and the
/// returnee priority group. Returns whether anything changed.
pub fn add_overseas_experience(profile: &mut WorkerProfile, experience: &OverseasExperience) -> bool {
    let before = profile.clone();
    let job = PastJob {
        occupation: experience.occupation.clone(),
        title: experience.title(),
        employer: experience.employer.as_deref().map(|e| e.chars().take(300).collect()),
        months: experience.months,
    };
    if !profile.occupation_history.contains(&job) {
        profile.occupation_history.push(job);
    }
    for certificate in &experience.languages {
        if !profile.languages.contains(certificate) {
            profile.languages.push(*certificate);
        }
    }
    for skill in &experience.skills {
        let skill: String = skill.chars().take(100).collect();
        if !profile.skills.contains(&skill) {
            profile.skills.push(skill);
        }
    }
    profile.priority_groups.insert(PriorityGroup::Returnee);
    *profile != before
}

// =============================================================================================
// The tables together

pub const FEE_CEILINGS_CSV: &str = include_str!("../data/overseas-fee-ceilings.csv");
pub const DOCUMENTS_CSV: &str = include_str!("../data/overseas-documents.csv");
pub const DEADLINES_CSV: &str = include_str!("../data/overseas-deadlines.csv");
pub const SUPPORT_POLICIES_CSV: &str = include_str!("../data/overseas-support-policies.csv");

/// The overseas rule tables.
#[derive(Debug, Clone)]
pub struct OverseasRules {
    pub fees: FeeRules,
    pub documents: DocumentRules,
    pub deadlines: DeadlineRules,
    pub policies: SupportPolicies,
}

static EMBEDDED: LazyLock<OverseasRules> = LazyLock::new(|| {
    OverseasRules::from_csv(FEE_CEILINGS_CSV, DOCUMENTS_CSV, DEADLINES_CSV, SUPPORT_POLICIES_CSV)
        .unwrap_or_else(|e| panic!("embedded overseas rule tables are invalid: {e}"))
});

impl OverseasRules {
    /// The tables compiled into this build (checked by a test, so this cannot panic in a
    /// released build).
    pub fn embedded() -> &'static OverseasRules {
        &EMBEDDED
    }

    pub fn from_csv(fees: &str, documents: &str, deadlines: &str, policies: &str) -> Result<Self, ValidationError> {
        Ok(Self {
            fees: FeeRules::from_csv(fees)?,
            documents: DocumentRules::from_csv(documents)?,
            deadlines: DeadlineRules::from_csv(deadlines)?,
            policies: SupportPolicies::from_csv(policies)?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

    use std::collections::BTreeSet;
    use std::num::NonZeroU32;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::codes::CommuneCode;
    use crate::money::SalaryRange;
    use crate::person::{DateOfBirth, Sex};
    use crate::qualifications::{GeneralEducation, Qualification};
    use crate::records::*;
    use crate::{ProvinceCode, TaxCode};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rules() -> &'static OverseasRules {
        OverseasRules::embedded()
    }

    const ON: (i32, u32, u32) = (2026, 12, 1);

    fn on() -> NaiveDate {
        date(ON.0, ON.1, ON.2)
    }

    fn order(country: &str, programme: OverseasProgramme, months: Option<u16>, salary: SalaryRange) -> Vacancy {
        Vacancy {
            id: VacancyId::new(),
            employer_id: EmployerId::new(),
            title: "Đơn hàng chế biến thực phẩm".into(),
            description: "Chế biến thực phẩm.".into(),
            occupation: IscoCode::parse("7514").unwrap(),
            employment_type: EmploymentType::FullTime,
            quantity: NonZeroU32::new(10).unwrap(),
            salary_text: salary.display_vi(),
            salary,
            workplace: Workplace::Overseas {
                country: CountryCode::parse(country).unwrap(),
                programme,
                contract_months: months,
            },
            requirements: Requirements::default(),
            deadline: None,
            fair_id: None,
            status: VacancyStatus::Draft,
            posted_at: Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap(),
        }
    }

    fn vnd_month(amount: i64) -> SalaryRange {
        SalaryRange::new(Some(amount), None, Currency::Vnd, PayPeriod::Month, false).unwrap()
    }

    fn approved() -> SupplyContract {
        SupplyContract {
            reference: "HĐCU-2026/15".into(),
            foreign_partner: "Kanto Food Cooperative".into(),
            status: SupplyContractStatus::Approved,
            submitted_on: Some(date(2026, 10, 1)),
            decision_no: Some("1234/QLLĐNN-TT".into()),
            approved_on: Some(date(2026, 10, 20)),
        }
    }

    fn line(item: CostItem, amount: i64, currency: Currency, payer: Payer) -> CostLine {
        CostLine { item, description: None, amount: Money::new(amount, currency).unwrap(), payer }
    }

    fn details(vacancy: &Vacancy, costs: Vec<CostLine>) -> JobOrderDetails {
        JobOrderDetails {
            vacancy_id: vacancy.id,
            code: Some("dh-2026-0001".into()),
            sector: "Chế biến thực phẩm".into(),
            working_hours: "8 giờ/ngày, 5 ngày/tuần".into(),
            scheme: None,
            supply_contract: approved(),
            interview_dates: vec![date(2026, 12, 15)],
            costs,
            exchange_rate: None,
        }
    }

    fn service_fee(amount: i64, currency: Currency) -> CostLine {
        line(CostItem::ServiceFee, amount, currency, Payer::Worker)
    }

    fn fee_code(result: Result<FeeCheck, ValidationError>) -> &'static str {
        result.unwrap_err().code
    }

    // ---- fee ceilings -------------------------------------------------------------------

    #[test]
    fn embedded_tables_load_and_recalled_rows_are_marked_unverified() {
        let rules = rules();
        let cap = rules.fees.rules().iter().find(|r| r.id == "law69.service_fee_cap_36m").unwrap();
        assert!(!cap.verified, "the 36-month cap is recalled [R]");
        assert_eq!(cap.value_milli, 3000);
        assert!(rules.fees.rules().iter().find(|r| r.id == "law69.service_fee").unwrap().verified);
        assert_eq!(rules.deadlines.days(DeadlineKey::DepartureWindow, on()), Some(180));
        assert!(!rules.documents.rules().is_empty() && !rules.policies.all().is_empty());
    }

    #[test]
    fn service_fee_exactly_at_the_ceiling_passes_and_one_dong_over_fails() {
        // 12 months at 20 million a month: one month of wage.
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(12), vnd_month(20_000_000));
        let at_cap = details(&vacancy, vec![service_fee(20_000_000, Currency::Vnd)]);
        let check = rules().fees.check(&vacancy, &at_cap, on()).unwrap();
        let cap = check.service_fee.unwrap();
        assert_eq!(cap.ceiling.amount_minor(), 20_000_000);
        assert_eq!(cap.months_of_wage_milli, 1000);
        assert_eq!(cap.rules[0].id, "law69.service_fee");
        let over = details(&vacancy, vec![service_fee(20_000_001, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &over, on())), "fee.service_fee_above_ceiling");
        // Two instalments count together.
        let split =
            details(&vacancy, vec![service_fee(10_000_000, Currency::Vnd), service_fee(10_000_001, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &split, on())), "fee.service_fee_above_ceiling");
    }

    #[test]
    fn the_foreign_partners_part_comes_off_what_the_worker_may_pay() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(24), vnd_month(15_000_000));
        let partner = line(CostItem::ServiceFee, 10_000_000, Currency::Vnd, Payer::ForeignPartner);
        // Ceiling 2 months = 30 million; the partner pays 10, so the worker at most 20.
        let ok = details(&vacancy, vec![partner.clone(), service_fee(20_000_000, Currency::Vnd)]);
        let check = rules().fees.check(&vacancy, &ok, on()).unwrap();
        assert_eq!(check.service_fee_allowed.unwrap().amount_minor(), 20_000_000);
        let over = details(&vacancy, vec![partner, service_fee(20_000_001, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &over, on())), "fee.service_fee_above_ceiling");
    }

    #[test]
    fn contracts_of_36_months_or_more_are_capped_at_three_months_from_an_unverified_row() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(48), vnd_month(10_000_000));
        let at_cap = details(&vacancy, vec![service_fee(30_000_000, Currency::Vnd)]);
        let cap = rules().fees.check(&vacancy, &at_cap, on()).unwrap().service_fee.unwrap();
        assert_eq!((cap.ceiling.amount_minor(), cap.months_of_wage_milli), (30_000_000, 3000));
        assert!(cap.rules.iter().any(|r| r.id == "law69.service_fee_cap_36m"));
        assert!(!cap.verified, "a ceiling resting on a recalled row is indicative");
        let over = details(&vacancy, vec![service_fee(30_000_001, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &over, on())), "fee.service_fee_above_ceiling");
        // 36 months: one month per 12 is exactly the cap; 30 months is below it.
        let three_years = order("TW", OverseasProgramme::TaiwanContract, Some(36), vnd_month(10_000_000));
        let cap = rules().fees.assess(&three_years, &details(&three_years, vec![]), on()).unwrap();
        assert_eq!(cap.service_fee.unwrap().ceiling.amount_minor(), 30_000_000);
        let thirty = order("TW", OverseasProgramme::TaiwanContract, Some(30), vnd_month(10_000_000));
        let cap = rules().fees.assess(&thirty, &details(&thirty, vec![]), on()).unwrap().service_fee.unwrap();
        assert_eq!(cap.ceiling.amount_minor(), 25_000_000);
        assert!(cap.verified);
    }

    #[test]
    fn seafarers_have_their_own_ceiling() {
        let mut vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(12), vnd_month(20_000_000));
        vacancy.occupation = IscoCode::parse("8350").unwrap();
        let cap = rules().fees.assess(&vacancy, &details(&vacancy, vec![]), on()).unwrap().service_fee.unwrap();
        assert_eq!(cap.ceiling.amount_minor(), 30_000_000);
    }

    #[test]
    fn im_japan_titp_and_eps_allow_no_service_fee() {
        let salary = SalaryRange::new(Some(180_000), None, Currency::Jpy, PayPeriod::Month, false).unwrap();
        let vacancy = order("JP", OverseasProgramme::Titp, Some(36), salary);
        let mut im_japan = details(&vacancy, vec![service_fee(1, Currency::Jpy)]);
        im_japan.scheme = Some("im_japan".into());
        assert_eq!(fee_code(rules().fees.check(&vacancy, &im_japan, on())), "fee.service_fee_above_ceiling");
        im_japan.costs = vec![service_fee(0, Currency::Jpy), line(CostItem::Visa, 2_870, Currency::Jpy, Payer::Worker)];
        let cap = rules().fees.check(&vacancy, &im_japan, on()).unwrap().service_fee.unwrap();
        assert_eq!((cap.ceiling.amount_minor(), cap.rules[0].id.as_str()), (0, "im_japan.no_service_fee"));
        // The same order outside the scheme has the general ceiling: 3 months = 540,000 yên.
        let general = details(&vacancy, vec![service_fee(540_000, Currency::Jpy)]);
        assert!(rules().fees.check(&vacancy, &general, on()).is_ok());

        let eps = order("KR", OverseasProgramme::Eps, Some(58), vnd_month(45_000_000));
        let charged = details(&eps, vec![service_fee(1, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&eps, &charged, on())), "fee.service_fee_above_ceiling");
    }

    #[test]
    fn brokerage_paid_by_the_worker_is_refused_whatever_the_amount() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(36), vnd_month(20_000_000));
        for amount in [0, 1, 5_000_000] {
            let schedule = details(&vacancy, vec![line(CostItem::Brokerage, amount, Currency::Vnd, Payer::Worker)]);
            assert_eq!(fee_code(rules().fees.check(&vacancy, &schedule, on())), "fee.brokerage_by_worker");
        }
        // It comes first, before a service fee over the ceiling.
        let both = details(
            &vacancy,
            vec![service_fee(99_000_000, Currency::Vnd), line(CostItem::Brokerage, 1, Currency::Vnd, Payer::Worker)],
        );
        assert_eq!(fee_code(rules().fees.check(&vacancy, &both, on())), "fee.brokerage_by_worker");
        let assessed = rules().fees.assess(&vacancy, &both, on()).unwrap();
        assert_eq!(assessed.violations.len(), 2);
        // The enterprise may pay brokerage up to its own ceiling (0.5 month per 12, 1.5 at 36+).
        let enterprise =
            details(&vacancy, vec![line(CostItem::Brokerage, 30_000_000, Currency::Vnd, Payer::Enterprise)]);
        assert!(rules().fees.check(&vacancy, &enterprise, on()).is_ok());
        let over = details(&vacancy, vec![line(CostItem::Brokerage, 30_000_001, Currency::Vnd, Payer::Enterprise)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &over, on())), "fee.brokerage_above_ceiling");
        // Japan: no brokerage at all.
        let japan = order("JP", OverseasProgramme::Ssw, Some(36), vnd_month(30_000_000));
        let paid = details(&japan, vec![line(CostItem::Brokerage, 1, Currency::Vnd, Payer::Enterprise)]);
        assert_eq!(fee_code(rules().fees.check(&japan, &paid, on())), "fee.brokerage_above_ceiling");
    }

    #[test]
    fn fees_in_dong_are_compared_with_a_wage_in_yen_through_the_dated_rate() {
        let salary = SalaryRange::new(Some(180_000), Some(200_000), Currency::Jpy, PayPeriod::Month, false).unwrap();
        let vacancy = order("JP", OverseasProgramme::Titp, Some(36), salary);
        let mut schedule = details(&vacancy, vec![service_fee(40_000_000, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &schedule, on())), "fee.exchange_rate_missing");
        schedule.exchange_rate = Some(ExchangeRate {
            currency: Currency::Jpy,
            vnd_per_thousand_units: 170_000,
            on: on(),
            source: "Vietcombank".into(),
        });
        // 3 months × 180,000 yên × 170 đ = 91,800,000 đ.
        let check = rules().fees.check(&vacancy, &schedule, on()).unwrap();
        assert_eq!(check.currency, Currency::Vnd);
        assert_eq!(check.service_fee.unwrap().ceiling.amount_minor(), 91_800_000);
        schedule.costs = vec![service_fee(91_800_001, Currency::Vnd)];
        assert_eq!(fee_code(rules().fees.check(&vacancy, &schedule, on())), "fee.service_fee_above_ceiling");
        schedule.costs = vec![service_fee(91_800_000, Currency::Vnd)];
        assert!(rules().fees.check(&vacancy, &schedule, on()).is_ok());
        schedule.costs = vec![service_fee(100, Currency::Usd)];
        assert_eq!(fee_code(rules().fees.check(&vacancy, &schedule, on())), "fee.currency");
    }

    #[test]
    fn hourly_wages_are_converted_to_a_month_by_the_table() {
        let salary = SalaryRange::new(Some(1_000), None, Currency::Jpy, PayPeriod::Hour, false).unwrap();
        let vacancy = order("JP", OverseasProgramme::Ssw, Some(12), salary);
        let cap = rules().fees.assess(&vacancy, &details(&vacancy, vec![]), on()).unwrap().service_fee.unwrap();
        assert_eq!(cap.monthly_wage.unwrap().amount_minor(), 208_000);
        assert!(cap.rules.iter().any(|r| r.id == "wage.hours_per_month" && !r.verified));
    }

    #[test]
    fn a_ceiling_that_cannot_be_computed_matters_only_when_the_worker_pays_a_fee() {
        let negotiable = order(
            "TW",
            OverseasProgramme::TaiwanContract,
            Some(12),
            SalaryRange::negotiable(Currency::Vnd, PayPeriod::Month),
        );
        assert!(rules().fees.check(&negotiable, &details(&negotiable, vec![]), on()).is_ok());
        let charged = details(&negotiable, vec![service_fee(1, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&negotiable, &charged, on())), "fee.wage_unknown");
        let open_ended = order("TW", OverseasProgramme::TaiwanContract, None, vnd_month(10_000_000));
        let charged = details(&open_ended, vec![service_fee(1, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&open_ended, &charged, on())), "fee.contract_months_unknown");
        // Before Law 69 there is no row: a fee cannot be checked.
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(12), vnd_month(10_000_000));
        let charged = details(&vacancy, vec![service_fee(1, Currency::Vnd)]);
        assert_eq!(fee_code(rules().fees.check(&vacancy, &charged, date(2021, 6, 1))), "fee.no_rule");
    }

    const FEE_HEADER: &str = "id,fee,basis,country,programme,scheme,occupations,min_contract_months,value,effective_from,effective_to,verified,legal_ref,note\n";

    fn fee_table(rows: &str) -> Result<FeeRules, ValidationError> {
        FeeRules::from_csv(&format!("# comment\n{FEE_HEADER}{rows}"))
    }

    #[test]
    fn the_fee_table_loader_rejects_malformed_rows() {
        let good = "a,service_fee,months_per_12,,,,,,1,2022-01-01,,true,Luật 69,\n";
        assert!(fee_table(good).is_ok());
        let cases = [
            ("a,service_fee,months_per_12,,,,,,\"1,5\",2022-01-01,,true,Luật 69,\n", "rule_table.value"),
            ("a,service_fee,months_per_12,,,,,,-1,2022-01-01,,true,Luật 69,\n", "rule_table.value"),
            ("a,service_fee,months_per_12,,,,,,1.2345,2022-01-01,,true,Luật 69,\n", "rule_table.value"),
            ("a,service_fee,months_per_12,,,,,,1,01/01/2022,,true,Luật 69,\n", "rule_table.date"),
            ("a,service_fee,months_per_12,,,,,,1,2022-01-01,2021-01-01,true,Luật 69,\n", "rule_table.dates"),
            ("a,service_fee,months_per_12,,,,,,1,2022-01-01,,yes,Luật 69,\n", "rule_table.verified"),
            ("a,service_fee,months_per_12,,,,,,1,2022-01-01,,true,,\n", "rule_table.legal_ref"),
            ("a,service_fee,zero,,,,,,1,2022-01-01,,true,Luật 69,\n", "rule_table.value"),
            ("a,service_fee,cap_months,,,,,,3,2022-01-01,,true,Luật 69,\n", "rule_table.min_contract_months"),
            ("a,service_fee,hours_per_month,,,,,,208,2022-01-01,,true,Luật 69,\n", "rule_table.basis"),
            ("a,deposit,months_per_12,,,,,,1,2022-01-01,,true,Luật 69,\n", "rule_table.fee"),
            ("a,service_fee,months_per_12,JPN,,,,,1,2022-01-01,,true,Luật 69,\n", "rule_table.country"),
            ("a,service_fee,months_per_12,,titp2,,,,1,2022-01-01,,true,Luật 69,\n", "rule_table.programme"),
            ("a,service_fee,months_per_12,,,,99999,,1,2022-01-01,,true,Luật 69,\n", "rule_table.occupations"),
            ("a,service_fee,months_per_12,,,,,,1,2022-01-01\n", "rule_table.unreadable"),
            (&format!("{good}{good}"), "rule_table.id"),
            (&format!("{good}b,service_fee,months_per_12,,,,,,2,2023-01-01,,true,Luật 69,\n"), "rule_table.overlap"),
        ];
        for (rows, code) in cases {
            let error = fee_table(rows).unwrap_err();
            assert_eq!(error.code, code, "{rows}: {error:?}");
            assert!(error.field.starts_with("overseas-fee-ceilings.csv:"), "{}", error.field);
        }
        // The same scope in successive periods is how a law change is written.
        let succession = format!("{}b,service_fee,months_per_12,,,,,,2,,2021-12-31,true,Luật cũ,\n", good);
        assert!(fee_table(&succession).is_ok());
    }

    #[test]
    fn the_other_loaders_reject_malformed_rows() {
        let doc_header =
            "id,stage,programme,documents,must_be_valid,blocking,effective_from,effective_to,verified,legal_ref,note\n";
        let doc = |row: &str| DocumentRules::from_csv(&format!("{doc_header}{row}\n")).map(|_| ()).unwrap_err().code;
        assert_eq!(doc("a,departed,,visa|tourist_card,true,true,2022-01-01,,true,x,"), "rule_table.documents");
        assert_eq!(doc("a,withdrawn,,visa,true,true,2022-01-01,,true,x,"), "rule_table.stage");
        assert_eq!(doc("a,departed,,visa,yes,true,2022-01-01,,true,x,"), "rule_table.flag");
        let deadline_header = "key,days,effective_from,effective_to,verified,legal_ref,note\n";
        let complete: String =
            DeadlineKey::ALL.iter().map(|k| format!("{},30,2022-01-01,,false,x,\n", k.code())).collect();
        assert!(DeadlineRules::from_csv(&format!("{deadline_header}{complete}")).is_ok());
        let missing = complete.lines().skip(1).map(|l| format!("{l}\n")).collect::<String>();
        assert_eq!(
            DeadlineRules::from_csv(&format!("{deadline_header}{missing}")).unwrap_err().code,
            "rule_table.missing_key"
        );
        let twice = format!("{complete}departure_window_days,90,2025-01-01,,false,x,\n");
        assert_eq!(
            DeadlineRules::from_csv(&format!("{deadline_header}{twice}")).unwrap_err().code,
            "rule_table.overlap"
        );
        let policy_header = "id,kind,provider,groups,programme,item,amount_rule,amount_vnd,percent,effective_from,effective_to,verified,legal_ref,title_vi,title_en,note\n";
        let policy =
            |row: &str| SupportPolicies::from_csv(&format!("{policy_header}{row}\n")).map(|_| ()).unwrap_err().code;
        assert_eq!(policy("a,loan,vbsp,poor_household,,x,cap,,,,,true,x,t,t,"), "rule_table.amount");
        assert_eq!(
            policy("a,loan,vbsp,poor_household,,x,share_of_contract_costs,,120,,,true,x,t,t,"),
            "rule_table.percent"
        );
        assert_eq!(policy("a,loan,vbsp,rich_household,,x,not_set,,,,,true,x,t,t,"), "rule_table.groups");
        assert_eq!(policy("a,loan,bank,poor_household,,x,not_set,,,,,true,x,t,t,"), "rule_table.provider");
    }

    // ---- publishing and verification ----------------------------------------------------

    fn enterprise(licence: PlacementLicence) -> Employer {
        Employer {
            id: EmployerId::new(),
            name: "Công ty Cổ phần Nhân lực Quốc tế Hoàng Long".into(),
            kind: EmployerKind::PlacementEnterprise { licence },
            tax_code: Some(TaxCode::parse("0101248141").unwrap()),
            province_code: ProvinceCode::parse("01").unwrap(),
            commune_code: None,
            address: None,
            phone: None,
            email: None,
        }
    }

    fn licence(valid_until: NaiveDate) -> PlacementLicence {
        PlacementLicence::new("123/LĐTBXH-GP", date(2022, 3, 1), Some(valid_until)).unwrap()
    }

    #[test]
    fn publishing_needs_a_valid_licence_an_approved_contract_and_fees_within_the_ceiling() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(36), vnd_month(20_000_000));
        let ok = details(&vacancy, vec![service_fee(20_000_000, Currency::Vnd)]);
        let valid = enterprise(licence(date(2029, 3, 1)));
        assert!(check_publishable(&vacancy, &valid, &ok, &rules().fees, on()).is_ok());

        let expired = enterprise(licence(date(2026, 11, 30)));
        assert_eq!(
            check_publishable(&vacancy, &expired, &ok, &rules().fees, on()).unwrap_err().code,
            "licence.expired"
        );
        // The last day of validity still counts.
        assert!(check_publishable(&vacancy, &expired, &ok, &rules().fees, date(2026, 11, 30)).is_ok());
        let mut suspended = licence(date(2029, 3, 1));
        suspended.status = LicenceStatus::Suspended;
        assert_eq!(
            check_publishable(&vacancy, &enterprise(suspended), &ok, &rules().fees, on()).unwrap_err().code,
            "licence.suspended"
        );
        let mut revoked = licence(date(2029, 3, 1));
        revoked.status = LicenceStatus::Revoked;
        assert_eq!(
            check_publishable(&vacancy, &enterprise(revoked), &ok, &rules().fees, on()).unwrap_err().code,
            "licence.revoked"
        );
        let domestic = Employer { kind: EmployerKind::Domestic, ..valid.clone() };
        assert_eq!(
            check_publishable(&vacancy, &domestic, &ok, &rules().fees, on()).unwrap_err().code,
            "job_order.not_placement_enterprise"
        );

        let mut submitted = ok.clone();
        submitted.supply_contract.status = SupplyContractStatus::Submitted;
        let error = check_publishable(&vacancy, &valid, &submitted, &rules().fees, on()).unwrap_err();
        assert_eq!(
            (error.code, error.field.as_str()),
            ("job_order.supply_contract_not_approved", "job_order.supply_contract.status")
        );
        // Approved only from its date.
        assert!(check_publishable(&vacancy, &valid, &ok, &rules().fees, date(2026, 10, 19)).is_err());

        let over = details(&vacancy, vec![service_fee(60_000_001, Currency::Vnd)]);
        assert_eq!(
            check_publishable(&vacancy, &valid, &over, &rules().fees, on()).unwrap_err().code,
            "fee.service_fee_above_ceiling"
        );
        let domestic_vacancy = Vacancy {
            workplace: Workplace::Domestic { commune_code: CommuneCode::parse("00004").unwrap() },
            ..vacancy
        };
        assert_eq!(
            check_publishable(&domestic_vacancy, &valid, &ok, &rules().fees, on()).unwrap_err().code,
            "job_order.not_overseas"
        );
    }

    #[test]
    fn the_public_verdict_shows_the_caps_even_when_a_fee_is_over() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(12), vnd_month(20_000_000));
        let over = details(&vacancy, vec![service_fee(25_000_000, Currency::Vnd)]);
        let verdict = verdict(&vacancy, &enterprise(licence(date(2029, 3, 1))), &over, &rules().fees, on());
        assert!(verdict.licensed && verdict.contract_approved && verdict.approval_badge);
        assert!(!verdict.fees_within_ceiling);
        assert_eq!(verdict.fee_problem.unwrap().code, "fee.service_fee_above_ceiling");
        assert_eq!(verdict.fees.unwrap().service_fee.unwrap().ceiling.amount_minor(), 20_000_000);
        let expired = super::verdict(&vacancy, &enterprise(licence(date(2025, 1, 1))), &over, &rules().fees, on());
        assert!(!expired.licensed);
        assert_eq!(expired.licence_problem.unwrap().code, "licence.expired");
    }

    #[test]
    fn job_order_details_are_normalised() {
        let vacancy = order("TW", OverseasProgramme::TaiwanContract, Some(12), vnd_month(20_000_000));
        let mut d = details(&vacancy, vec![]);
        d.scheme = Some(" IM_Japan ".into());
        d.interview_dates = vec![date(2026, 12, 20), date(2026, 12, 15), date(2026, 12, 20)];
        d.validate().unwrap();
        assert_eq!(d.code.as_deref(), Some("DH-2026-0001"));
        assert_eq!(d.scheme.as_deref(), Some("im_japan"));
        assert_eq!(d.interview_dates, vec![date(2026, 12, 15), date(2026, 12, 20)]);
        let mut incomplete = details(&vacancy, vec![]);
        incomplete.supply_contract.decision_no = None;
        assert_eq!(incomplete.validate().unwrap_err().code, "supply_contract.approval_incomplete");
        let mut other = details(&vacancy, vec![line(CostItem::Other, 1, Currency::Vnd, Payer::Worker)]);
        assert_eq!(other.validate().unwrap_err().code, "job_order.cost_description");
        let mut bad_code = details(&vacancy, vec![]);
        bad_code.code = Some("đơn hàng 1".into());
        assert_eq!(bad_code.validate().unwrap_err().code, "job_order.code");
    }

    // ---- the pipeline ----------------------------------------------------------------------

    fn document(kind: DocumentType, issued: NaiveDate, expires: Option<NaiveDate>) -> Document {
        Document::new(kind, Some(issued), expires)
    }

    /// One document of every kind, valid on [`on`].
    fn every_document() -> Vec<Document> {
        DocumentType::ALL.iter().map(|k| document(*k, date(2026, 1, 1), Some(date(2028, 1, 1)))).collect()
    }

    const OPEN_ORDER: OrderState = OrderState { open: true, supply_contract_approved: true, places_left: 3 };

    /// A context under which every legal move's guards pass.
    fn permissive<'a>(documents: &'a [Document], reached: &'a [OverseasStage]) -> TransitionContext<'a> {
        TransitionContext {
            on: on(),
            programme: OverseasProgramme::Titp,
            order: Some(OPEN_ORDER),
            eligibility: Some(Eligibility::Pass),
            // Past the window (for enterprise_failed_180d); the delay consent lets departure through.
            selected_on: Some(date(2026, 5, 1)),
            reached,
            documents,
            return_reason: Some(ReturnReason::Other),
            reason: Some("Theo đề nghị của người lao động"),
            rules: rules(),
        }
    }

    #[test]
    fn every_pair_of_stages_is_allowed_exactly_when_the_pipeline_says_so() {
        let documents = every_document();
        let reached = [OverseasStage::MedicalOk, OverseasStage::FundPaid];
        let ctx = permissive(&documents, &reached);
        let mut legal = 0;
        for from in OverseasStage::ALL {
            for to in OverseasStage::ALL {
                let result = from.transition(*to, &ctx);
                let allowed = from.next_states().contains(to);
                assert_eq!(result.is_ok(), allowed, "{from} → {to}: {result:?}");
                if let Err(error) = result {
                    let expected = if *to == OverseasStage::FeesSettled && from.rank().is_some_and(|r| r < 9) {
                        "overseas.fees_before_contract"
                    } else {
                        "overseas.transition"
                    };
                    assert_eq!(error.code, expected, "{from} → {to}");
                    assert!(error.message_vi.contains(from.label_vi()), "{}", error.message_vi);
                    if error.code == "overseas.transition" && !from.is_final() {
                        for next in from.next_states() {
                            assert!(error.message_vi.contains(next.label_vi()), "{}", error.message_vi);
                        }
                    }
                } else {
                    legal += 1;
                }
            }
        }
        assert!(legal > 60, "{legal} legal moves");
        // Withdrawal any time before departure, never after.
        for stage in OverseasStage::ALL.iter().filter(|s| s.rank().is_some_and(|r| r < 13)) {
            assert!(stage.next_states().contains(&OverseasStage::Withdrawn), "{stage}");
        }
        for stage in OverseasStage::ALL.iter().filter(|s| s.rank().is_some_and(|r| r >= 13)) {
            assert!(!stage.next_states().contains(&OverseasStage::Withdrawn), "{stage}");
        }
        // Rejection only at the selection stages.
        let rejecting: Vec<_> =
            OverseasStage::ALL.iter().filter(|s| s.next_states().contains(&OverseasStage::Rejected)).collect();
        assert_eq!(rejecting, [&OverseasStage::Applied, &OverseasStage::Prescreened]);
        // No move leads back to the legacy `returned`, and the old codes still parse.
        assert!(OverseasStage::ALL.iter().all(|s| !s.next_states().contains(&OverseasStage::Returned)));
        for code in [
            "lead",
            "counselled",
            "source_prep",
            "applied",
            "prescreened",
            "selected",
            "training",
            "orientation_done",
            "medical_ok",
            "contract_signed",
            "docs_ready",
            "departed",
            "working_abroad",
            "returned",
            "withdrawn",
            "rejected",
        ] {
            assert_eq!(OverseasStage::parse(code).unwrap().code(), code);
        }
        let final_error = OverseasStage::Reintegration.transition(OverseasStage::Lead, &ctx).unwrap_err();
        assert!(final_error.message_vi.contains("không thể chuyển tiếp"), "{}", final_error.message_vi);
    }

    /// Expects `from → to` under `ctx` to fail with `code`.
    fn refused(from: OverseasStage, to: OverseasStage, ctx: &TransitionContext<'_>, code: &str) {
        let error = from.transition(to, ctx).unwrap_err();
        assert_eq!(error.code, code, "{from} → {to}: {}", error.message_vi);
        assert!(!error.message_vi.is_empty() && !error.message_en.is_empty());
    }

    #[test]
    fn each_guard_refuses_with_its_own_code() {
        use OverseasStage::*;
        let documents = every_document();
        let reached = [MedicalOk, FundPaid];
        let base = permissive(&documents, &reached);

        refused(Lead, Applied, &TransitionContext { order: None, ..base }, "overseas.job_order_required");
        refused(
            Lead,
            Applied,
            &TransitionContext { order: Some(OrderState { open: false, ..OPEN_ORDER }), ..base },
            "overseas.job_order_not_open",
        );
        refused(
            Prescreened,
            Selected,
            &TransitionContext { order: Some(OrderState { places_left: 0, ..OPEN_ORDER }), ..base },
            "overseas.no_places_left",
        );
        refused(
            Prescreened,
            Selected,
            &TransitionContext { eligibility: None, ..base },
            "overseas.eligibility_not_checked",
        );
        refused(
            Prescreened,
            Selected,
            &TransitionContext { eligibility: Some(Eligibility::Fail), ..base },
            "overseas.not_eligible",
        );
        // Unknown is enough to select, not to sign.
        assert!(
            Prescreened
                .transition(Selected, &TransitionContext { eligibility: Some(Eligibility::Unknown), ..base })
                .is_ok()
        );
        refused(
            MedicalOk,
            ContractSigned,
            &TransitionContext { eligibility: Some(Eligibility::Unknown), ..base },
            "overseas.eligibility_unknown",
        );
        let unapproved =
            TransitionContext { order: Some(OrderState { supply_contract_approved: false, ..OPEN_ORDER }), ..base };
        refused(MedicalOk, ContractSigned, &unapproved, "job_order.supply_contract_not_approved");
        refused(ContractSigned, FeesSettled, &unapproved, "job_order.supply_contract_not_approved");
        refused(MedicalOk, FeesSettled, &base, "overseas.fees_before_contract");

        // Documents: missing, and expired on the day.
        let without = |kinds: &[DocumentType]| -> Vec<Document> {
            documents.iter().filter(|d| !kinds.contains(&d.kind)).cloned().collect()
        };
        let no_orientation = without(&[DocumentType::OrientationCertificate]);
        let error = Training
            .transition(OrientationDone, &TransitionContext { documents: &no_orientation, ..base })
            .unwrap_err();
        assert_eq!(
            (error.code, error.field.as_str()),
            ("overseas.document_missing", "documents.orientation_certificate")
        );
        refused(
            DocsReady,
            Departed,
            &TransitionContext { documents: &no_orientation, ..base },
            "overseas.document_missing",
        );
        let no_receipt = without(&[DocumentType::FeeReceipt]);
        refused(
            ContractSigned,
            FeesSettled,
            &TransitionContext { documents: &no_receipt, ..base },
            "overseas.document_missing",
        );
        let no_fund_receipt = without(&[DocumentType::FundReceipt]);
        refused(
            FeesSettled,
            FundPaid,
            &TransitionContext { documents: &no_fund_receipt, ..base },
            "overseas.document_missing",
        );
        let mut expired_visa =
            without(&[DocumentType::Visa, DocumentType::Coe, DocumentType::Ccvi, DocumentType::EmploymentPermit]);
        expired_visa.push(document(DocumentType::Visa, date(2026, 1, 1), Some(date(2026, 11, 30))));
        let error =
            DocsReady.transition(Departed, &TransitionContext { documents: &expired_visa, ..base }).unwrap_err();
        assert_eq!((error.code, error.field.as_str()), ("overseas.document_expired", "documents.visa"));
        // Any one entry document will do: a COE alone.
        let mut coe_only = without(&[DocumentType::Visa, DocumentType::Ccvi, DocumentType::EmploymentPermit]);
        coe_only.retain(|d| d.kind != DocumentType::DepartureDelayConsent);
        let in_window = TransitionContext { documents: &coe_only, selected_on: Some(date(2026, 7, 1)), ..base };
        assert!(DocsReady.transition(Departed, &in_window).is_ok());
        // EPS needs the standard labour contract as well.
        let no_slc = without(&[DocumentType::StandardLaborContract]);
        assert!(MedicalOk.transition(ContractSigned, &TransitionContext { documents: &no_slc, ..base }).is_ok());
        let eps = TransitionContext { documents: &no_slc, programme: OverseasProgramme::Eps, ..base };
        refused(MedicalOk, ContractSigned, &eps, "overseas.document_missing");

        // Departure: health check passed, Fund paid, within 180 days of T0 or with consent.
        refused(
            DocsReady,
            Departed,
            &TransitionContext { reached: &[FundPaid], ..in_window },
            "overseas.medical_not_passed",
        );
        refused(
            DocsReady,
            Departed,
            &TransitionContext { reached: &[MedicalOk], ..in_window },
            "overseas.fund_not_paid",
        );
        refused(
            DocsReady,
            Departed,
            &TransitionContext { selected_on: None, ..in_window },
            "overseas.selected_on_unknown",
        );
        // 1 June to 1 December is 183 days: too late without consent, fine with it.
        let late = TransitionContext { selected_on: Some(date(2026, 6, 1)), ..in_window };
        refused(DocsReady, Departed, &late, "overseas.departure_window");
        assert!(DocsReady.transition(Departed, &TransitionContext { documents: &documents, ..late }).is_ok());
        // Exactly 180 days is still in time.
        let day_180 = TransitionContext { selected_on: Some(date(2026, 6, 4)), ..in_window };
        assert!(DocsReady.transition(Departed, &day_180).is_ok());
        refused(DocsReady, EnterpriseFailed180d, &day_180, "overseas.window_not_over");
        let day_181 = TransitionContext { selected_on: Some(date(2026, 6, 3)), ..in_window };
        assert!(DocsReady.transition(EnterpriseFailed180d, &day_181).is_ok());
        refused(DocsReady, Departed, &day_181, "overseas.departure_window");

        // Returns and side exits.
        refused(
            WorkingAbroad,
            ReturnedEarly,
            &TransitionContext { return_reason: None, ..base },
            "overseas.return_reason_required",
        );
        refused(WorkingAbroad, ReturnedEarly, &TransitionContext { reason: None, ..base }, "overseas.reason_required");
        assert!(
            WorkingAbroad
                .transition(
                    ReturnedEarly,
                    &TransitionContext { reason: None, return_reason: Some(ReturnReason::Illness), ..base }
                )
                .is_ok()
        );
        for (from, to) in
            [(Lead, Withdrawn), (Applied, Rejected), (Selected, ForceMajeureCancelled), (WorkingAbroad, Absconded)]
        {
            refused(from, to, &TransitionContext { reason: Some("  "), ..base }, "overseas.reason_required");
        }
        assert!(
            WorkingAbroad
                .transition(ReturnedOnTime, &TransitionContext { reason: None, return_reason: None, ..base })
                .is_ok()
        );
    }

    #[test]
    fn places_are_held_from_selection_on_and_freed_by_the_side_exits() {
        use OverseasStage::*;
        for stage in OverseasStage::ALL {
            let expected = !matches!(
                stage,
                Lead | Counselled
                    | SourcePrep
                    | Applied
                    | Prescreened
                    | Withdrawn
                    | Rejected
                    | EnterpriseFailed180d
                    | ForceMajeureCancelled
            );
            assert_eq!(stage.holds_place(), expected, "{stage}");
        }
    }

    // ---- documents, tasks ------------------------------------------------------------------

    #[test]
    fn the_checklist_says_what_is_missing_expiring_or_expired() {
        let documents = vec![
            document(DocumentType::Passport, date(2020, 1, 1), Some(date(2026, 12, 20))),
            document(DocumentType::HealthCertificate, date(2025, 1, 1), Some(date(2025, 7, 1))),
            document(DocumentType::Cccd, date(2021, 1, 1), Some(date(2036, 1, 1))),
        ];
        let items = checklist(OverseasStage::OrientationDone, OverseasProgramme::Titp, &documents, on(), rules());
        let status = |id: &str| items.iter().find(|i| i.requirement == id).unwrap();
        assert_eq!(status("applied.identity").status, ChecklistStatus::Present);
        assert_eq!(status("docs_ready.passport").status, ChecklistStatus::Expiring);
        assert_eq!(status("medical_ok.health").status, ChecklistStatus::Expired);
        assert!(status("medical_ok.health").due, "the next step");
        assert_eq!(status("docs_ready.entry").status, ChecklistStatus::Missing);
        assert!(!status("docs_ready.entry").due);
        assert!(items.iter().all(|i| i.requirement != "eps.contract_signed.slc"), "EPS rows only for EPS");
        assert!(items.windows(2).all(|w| w[0].needed_for.rank() <= w[1].needed_for.rank()));
    }

    fn facts<'a>(stage: OverseasStage, documents: &'a [Document]) -> RegistrationFacts<'a> {
        RegistrationFacts {
            id: OverseasRegistrationId::new(),
            worker_id: WorkerId::new(),
            stage,
            selected_on: None,
            departed_on: None,
            ended_on: None,
            contract_months: Some(36),
            documents,
        }
    }

    #[test]
    fn deadlines_become_tasks() {
        let none: &[Document] = &[];
        let today = on();
        let t0 = |days: u64| today.checked_sub_days(chrono::Days::new(days)).unwrap();
        let kinds = |r: RegistrationFacts<'_>| {
            tasks(&[r], today, rules()).into_iter().map(|t| (t.kind, t.severity)).collect::<Vec<_>>()
        };
        let selected =
            |days| RegistrationFacts { selected_on: Some(t0(days)), ..facts(OverseasStage::MedicalOk, none) };
        assert!(kinds(selected(149)).is_empty());
        assert_eq!(kinds(selected(150)), [(TaskKind::DepartureDue, TaskSeverity::Warning)]);
        assert_eq!(kinds(selected(180)), [(TaskKind::DepartureDue, TaskSeverity::Warning)]);
        assert_eq!(kinds(selected(181)), [(TaskKind::DepartureOverdue, TaskSeverity::Breach)]);
        let warning = tasks(&[selected(150)], today, rules()).remove(0);
        assert_eq!(warning.due_on, date(2026, 12, 31));
        let consent = [document(DocumentType::DepartureDelayConsent, t0(10), None)];
        assert!(kinds(RegistrationFacts { documents: &consent, ..selected(200) }).is_empty());
        // Departed: no departure task.
        assert!(
            kinds(RegistrationFacts {
                stage: OverseasStage::WorkingAbroad,
                departed_on: Some(t0(30)),
                ..selected(200)
            })
            .is_empty()
        );

        let returned =
            |days| RegistrationFacts { ended_on: Some(t0(days)), ..facts(OverseasStage::ReturnedOnTime, none) };
        assert_eq!(kinds(returned(10)), [(TaskKind::LiquidationDue, TaskSeverity::Warning)]);
        assert_eq!(kinds(returned(181)), [(TaskKind::LiquidationOverdue, TaskSeverity::Breach)]);
        assert!(kinds(RegistrationFacts { stage: OverseasStage::Liquidated, ..returned(10) }).is_empty());
        // Abroad past the contract's term.
        let abroad =
            RegistrationFacts { departed_on: Some(date(2023, 10, 1)), ..facts(OverseasStage::WorkingAbroad, none) };
        assert_eq!(kinds(abroad), [(TaskKind::LiquidationDue, TaskSeverity::Warning)]);

        let passport = [document(DocumentType::Passport, date(2020, 1, 1), Some(date(2026, 12, 31)))];
        let expiring = tasks(&[facts(OverseasStage::Applied, &passport)], today, rules());
        assert_eq!(expiring.len(), 1);
        assert_eq!(
            (expiring[0].kind, expiring[0].document_type),
            (TaskKind::DocumentExpiring, Some(DocumentType::Passport))
        );
        let later = [document(DocumentType::Passport, date(2020, 1, 1), Some(date(2027, 1, 1)))];
        assert!(tasks(&[facts(OverseasStage::Applied, &later)], today, rules()).is_empty());
        // Breaches come first.
        let all = tasks(&[returned(10), selected(181)], today, rules());
        assert_eq!(all[0].severity, TaskSeverity::Breach);
    }

    // ---- policies, returnees -----------------------------------------------------------------

    fn worker(groups: &[PriorityGroup], ethnicity: Option<&str>) -> WorkerProfile {
        WorkerProfile {
            id: WorkerId::new(),
            full_name: "Nguyễn Văn An".into(),
            sex: Sex::Male,
            date_of_birth: DateOfBirth::new(date(1998, 5, 17), on()).unwrap(),
            cccd: None,
            phone: None,
            email: None,
            ethnicity: ethnicity.map(str::to_owned),
            residence_commune: CommuneCode::parse("00004").unwrap(),
            address_as_written: None,
            general_education: GeneralEducation::UpperSecondary,
            qualification: Qualification::TrungCap,
            occupation_history: vec![],
            skills: vec![],
            languages: vec![LanguageCertificate::parse("JLPT N4").unwrap()],
            certificates: Vec::new(),
            desired: DesiredWork::default(),
            availability: Availability::Immediately,
            priority_groups: groups.iter().copied().collect::<BTreeSet<_>>(),
            consents: vec![],
        }
    }

    #[test]
    fn workers_qualify_for_the_policies_of_their_groups_in_force_on_the_day() {
        let ids = |w: &WorkerProfile, programme, on| {
            policies_for(w, programme, on, rules()).into_iter().map(|m| m.policy.id).collect::<Vec<_>>()
        };
        let near_poor = worker(&[PriorityGroup::NearPoorHousehold], Some("Kinh"));
        let found = ids(&near_poor, None, on());
        assert!(
            found.contains(&"d61.loan_nef".to_owned()) && !found.contains(&"d61.loan_vbsp".to_owned()),
            "{found:?}"
        );
        assert!(!found.contains(&"eps.deposit_loan".to_owned()), "EPS only");
        assert!(ids(&near_poor, Some(OverseasProgramme::Eps), on()).contains(&"eps.deposit_loan".to_owned()));
        // Ethnicity as written counts; the 2021–2025 programme ended with 2025.
        let tay = worker(&[], Some("Tày"));
        let in_2025 = ids(&tay, None, date(2025, 6, 1));
        assert!(
            in_2025.contains(&"c55.language".to_owned()) && in_2025.contains(&"d61.loan_vbsp".to_owned()),
            "{in_2025:?}"
        );
        assert!(!in_2025.contains(&"law74.pre_departure".to_owned()));
        let in_2026 = ids(&tay, None, on());
        assert!(!in_2026.contains(&"c55.language".to_owned()) && in_2026.contains(&"law74.pre_departure".to_owned()));
        let matched = policies_for(&tay, None, on(), rules());
        assert!(matched.iter().all(|m| m.through == [PriorityGroup::EthnicMinority]));
        let language = policies_for(&tay, None, date(2025, 6, 1), rules())
            .into_iter()
            .find(|m| m.policy.id == "c55.language")
            .unwrap();
        assert_eq!(language.policy.amount.unwrap().amount_minor(), 4_000_000);
        assert!(ids(&worker(&[], Some("Kinh")), None, on()).is_empty());
    }

    #[test]
    fn a_returnee_gains_the_overseas_job_once() {
        let mut documents = vec![document(DocumentType::LanguageCertificate, date(2025, 1, 1), None)];
        documents[0].detail = Some("JLPT N3".into());
        let mut skills = document(DocumentType::SkillsTest, date(2025, 1, 1), None);
        skills.detail = Some("Chế biến thực phẩm cấp 2".into());
        documents.push(skills);
        let experience = OverseasExperience::of_placement(
            CountryCode::parse("JP").unwrap(),
            OverseasProgramme::Titp,
            Some(IscoCode::parse("7514").unwrap()),
            Some("Kanto Food".into()),
            date(2023, 3, 10),
            date(2026, 3, 9),
            &documents,
        );
        assert_eq!(experience.months, 35);
        let mut profile = worker(&[], None);
        assert!(add_overseas_experience(&mut profile, &experience));
        assert_eq!(profile.occupation_history.len(), 1);
        let job = &profile.occupation_history[0];
        assert_eq!(job.title, "Thợ bảo quản rau, quả và các thực phẩm có liên quan tại Nhật Bản");
        assert_eq!((job.months, job.employer.as_deref()), (35, Some("Kanto Food")));
        assert!(profile.languages.contains(&LanguageCertificate::parse("N3").unwrap()));
        assert!(profile.skills.contains(&"Chế biến thực phẩm cấp 2".to_owned()));
        assert!(profile.priority_groups.contains(&PriorityGroup::Returnee));
        assert!(!add_overseas_experience(&mut profile, &experience), "a second call changes nothing");
        profile.validate().unwrap();
        assert_eq!(whole_months(date(2024, 1, 31), date(2024, 2, 29)), 0);
        assert_eq!(whole_months(date(2024, 1, 31), date(2024, 3, 31)), 2);
    }

    #[test]
    fn licences_carry_status_and_branches() {
        let mut licence = licence(date(2029, 3, 1));
        licence.branches = vec![
            LicenceBranch {
                name: " Chi nhánh  Đà Nẵng ".into(),
                province_code: ProvinceCode::parse("48").unwrap(),
                address: None,
            },
            LicenceBranch {
                name: "Chi nhánh Đà Nẵng".into(),
                province_code: ProvinceCode::parse("48").unwrap(),
                address: None,
            },
        ];
        licence.validate().unwrap();
        assert_eq!(licence.branches.len(), 1);
        assert!(licence.is_valid_on(date(2022, 3, 1)) && !licence.is_valid_on(date(2022, 2, 28)));
        assert_eq!(licence.check_valid_on(date(2022, 2, 28)).unwrap_err().code, "licence.not_yet_valid");
        licence.status = LicenceStatus::Returned;
        assert_eq!(licence.check_valid_on(on()).unwrap_err().code, "licence.returned");
        // Rows stored before licences had a status read as valid.
        let json = r#"{"number":"1/GP","issued_on":"2022-01-01","valid_until":null}"#;
        let old: PlacementLicence = serde_json::from_str(json).unwrap();
        assert_eq!((old.status, old.branches.len()), (LicenceStatus::Valid, 0));
    }
}
