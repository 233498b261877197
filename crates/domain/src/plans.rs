//! Plans and results (issue #9): the indicators offices report on, as data
//! (`data/indicators.csv`); yearly or quarterly targets per commune or province; figures kept as
//! exact hundredths (a percent target of 72,50% stays 72,50); reporting periods; the Vietnamese
//! formatting of a result ("8.624", "112,06%"); and a self-contained SVG chart of achievement
//! over a year.
//!
//! Computed indicators name a *source*: one store query each. A `manual` indicator exists only in
//! the catalogue and takes values entered by staff, so adding one is a new CSV row, not code.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};

use crate::error::ValidationError;
use crate::records::OverseasProgramme;
use crate::reference::AdminCatalog;
use crate::text::group_thousands;
use crate::{CommuneCode, CountryCode, ProvinceCode};

pub const INDICATORS_CSV: &str = include_str!("../data/indicators.csv");

// ---------------------------------------------------------------------------------------------
// Indicators

/// How an indicator is computed: one store query per computed source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IndicatorSource {
    /// Distinct seekers per fair interviewed, CV taken, appointment set or hired on the spot.
    Referrals,
    /// Distinct seekers per fair hired on the spot.
    Hires,
    /// Fairs that took place (in progress or later, not cancelled).
    FairsHeld,
    /// Checked-in tickets plus anonymous headcounts of the fairs held.
    FairAttendees,
    /// Moves to `departed` in the overseas stage history.
    Departures,
    /// Hired on the spot or departed, for workers of poor or near-poor households.
    PoorPlaced,
    /// Distinct seekers per fair who signed up for vocational training.
    TrainingSignups,
    /// Moves to `reintegration` in the overseas stage history.
    Reintegrated,
    /// Vocational classes that started running (by the day they opened).
    ClassesOpened,
    /// Trainees holding a seat in the classes that opened.
    TraineesEnrolled,
    /// Trainees who completed with a certificate (by the day of completion).
    TraineesCertified,
    /// Residents holding a vocational certificate or a qualification from sơ cấp up, as a
    /// percentage of the labour force entered for the area (`labour_force`).
    CertifiedShare,
    /// Entered by staff (a survey figure); never computed, never summed.
    Manual,
}

impl IndicatorSource {
    pub const ALL: [Self; 13] = [
        Self::Referrals,
        Self::Hires,
        Self::FairsHeld,
        Self::FairAttendees,
        Self::Departures,
        Self::PoorPlaced,
        Self::TrainingSignups,
        Self::Reintegrated,
        Self::ClassesOpened,
        Self::TraineesEnrolled,
        Self::TraineesCertified,
        Self::CertifiedShare,
        Self::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Referrals => "referrals",
            Self::Hires => "hires",
            Self::FairsHeld => "fairs_held",
            Self::FairAttendees => "fair_attendees",
            Self::Departures => "departures",
            Self::PoorPlaced => "poor_placed",
            Self::TrainingSignups => "training_signups",
            Self::Reintegrated => "reintegrated",
            Self::ClassesOpened => "classes_opened",
            Self::TraineesEnrolled => "trainees_enrolled",
            Self::TraineesCertified => "trainees_certified",
            Self::CertifiedShare => "certified_share",
            Self::Manual => "manual",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == input.trim())
    }
}

/// Narrows a departures source to a market and/or a programme (`country=JP`, `programme=eps`,
/// both separated by `;`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorFilter {
    pub country: Option<CountryCode>,
    pub programme: Option<OverseasProgramme>,
}

impl IndicatorFilter {
    fn parse(text: &str) -> Result<Option<Self>, String> {
        let mut filter = Self::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) =
                part.split_once('=').ok_or_else(|| format!("bộ lọc \"{part}\" không có dạng khóa=giá trị"))?;
            match key.trim() {
                "country" => filter.country = Some(CountryCode::parse(value).map_err(|e| e.message_vi)?),
                "programme" => filter.programme = Some(OverseasProgramme::parse(value).map_err(|e| e.message_vi)?),
                other => return Err(format!("bộ lọc không biết khóa \"{other}\" (chỉ có country, programme)")),
            }
        }
        Ok((filter != Self::default()).then_some(filter))
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// "người", "phiên", "lượt người", "%".
    pub unit_vi: String,
    pub source: IndicatorSource,
    pub filter: Option<IndicatorFilter>,
    pub notes: String,
}

impl Indicator {
    pub fn is_manual(&self) -> bool {
        self.source == IndicatorSource::Manual
    }

    /// A ratio is not summed over communes: a province's value is its own.
    pub fn is_ratio(&self) -> bool {
        self.unit_vi == "%"
    }

    /// The manual indicator a computed share divides by.
    pub const LABOUR_FORCE: &'static str = "labour_force";

    /// Counts add up from communes to provinces to the nation; manual values and ratios do not.
    pub fn is_additive(&self) -> bool {
        !self.is_manual() && !self.is_ratio()
    }
}

/// The indicators, in the catalogue's order.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCatalog {
    indicators: Vec<Indicator>,
}

static INDICATORS: LazyLock<IndicatorCatalog> = LazyLock::new(|| {
    IndicatorCatalog::from_csv(INDICATORS_CSV).unwrap_or_else(|e| panic!("embedded indicators.csv is invalid: {e}"))
});

fn catalogue_error(row: usize, message: impl Into<String>) -> ValidationError {
    let message = message.into();
    ValidationError::new(
        "indicators",
        "indicators.row",
        format!("indicators.csv, dòng dữ liệu {row}: {message}"),
        format!("indicators.csv, data row {row}: {message}"),
    )
}

impl IndicatorCatalog {
    /// The catalogue compiled into this build (a test loads it, so this cannot panic in a
    /// released build).
    pub fn embedded() -> &'static IndicatorCatalog {
        &INDICATORS
    }

    /// Reads `code,name_vi,name_en,unit_vi,source,filter,notes`; `#` lines are comments. A bad
    /// row (unknown source, duplicate code, malformed filter, missing name) is an error naming it.
    pub fn from_csv(text: &str) -> Result<Self, ValidationError> {
        let mut reader =
            csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
        let mut indicators: Vec<Indicator> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 1;
            let record = record.map_err(|e| catalogue_error(row, e.to_string()))?;
            let field = |n: usize| record.get(n).map(crate::text::normalize).unwrap_or_default();
            let code = field(0);
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(catalogue_error(row, format!("mã \"{code}\" phải gồm chữ thường, số và dấu _")));
            }
            if indicators.iter().any(|x| x.code == code) {
                return Err(catalogue_error(row, format!("mã \"{code}\" bị trùng")));
            }
            let (name_vi, name_en, unit_vi) = (field(1), field(2), field(3));
            if name_vi.is_empty() || name_en.is_empty() || unit_vi.is_empty() {
                return Err(catalogue_error(row, "thiếu tên tiếng Việt, tên tiếng Anh hoặc đơn vị"));
            }
            let source = IndicatorSource::parse(&field(4))
                .ok_or_else(|| catalogue_error(row, format!("nguồn \"{}\" không có", field(4))))?;
            let filter = IndicatorFilter::parse(&field(5)).map_err(|m| catalogue_error(row, m))?;
            if filter.is_some() && source != IndicatorSource::Departures {
                return Err(catalogue_error(row, "chỉ nguồn departures có bộ lọc thị trường, chương trình"));
            }
            if source == IndicatorSource::CertifiedShare && unit_vi != "%" {
                return Err(catalogue_error(row, "nguồn certified_share là tỷ lệ, đơn vị phải là %"));
            }
            indicators.push(Indicator { code, name_vi, name_en, unit_vi, source, filter, notes: field(6) });
        }
        let divides = indicators.iter().any(|i| i.source == IndicatorSource::CertifiedShare);
        let labour_force = indicators.iter().find(|i| i.code == Indicator::LABOUR_FORCE);
        if divides && !labour_force.is_some_and(Indicator::is_manual) {
            return Err(catalogue_error(indicators.len(), "nguồn certified_share cần chỉ tiêu nhập tay labour_force (lực lượng lao động)"));
        }
        Ok(Self { indicators })
    }

    pub fn all(&self) -> &[Indicator] {
        &self.indicators
    }

    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The indicator, or a Vietnamese error listing the known codes.
    pub fn require(&self, code: &str) -> Result<&Indicator, ValidationError> {
        self.get(code.trim()).ok_or_else(|| {
            let known: Vec<&str> = self.indicators.iter().map(|i| i.code.as_str()).collect();
            ValidationError::new(
                "indicator",
                "indicator.unknown",
                format!("Chỉ tiêu \"{code}\" không có trong danh mục; có: {}.", known.join(", ")),
                format!("Unknown indicator \"{code}\"; known: {}.", known.join(", ")),
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Figures

/// An exact figure in hundredths: counts are whole, a percent target keeps two decimals
/// (72,50%) without floating-point drift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure(i64);

impl Figure {
    pub const ZERO: Self = Self(0);

    pub fn from_hundredths(hundredths: i64) -> Self {
        Self(hundredths)
    }

    /// `count` as a percentage of `whole` (to the hundredth, rounded half up); `None` when
    /// `whole` is not positive.
    pub fn share(count: u64, whole: Figure) -> Option<Self> {
        if whole.0 <= 0 {
            return None;
        }
        // count / (whole/100) × 100 % × 100 hundredths.
        let scaled = i128::from(count) * 1_000_000 * 2 + i128::from(whole.0);
        i64::try_from(scaled / (2 * i128::from(whole.0))).ok().map(Self)
    }

    pub fn from_count(count: u64) -> Self {
        Self(i64::try_from(count).unwrap_or(i64::MAX / 100).saturating_mul(100))
    }

    /// Rounded to the nearest hundredth (spreadsheet cells arrive as floating point).
    pub fn from_f64(value: f64) -> Option<Self> {
        let scaled = (value * 100.0).round();
        #[allow(clippy::cast_possible_truncation, reason = "out-of-range values are dropped; the cast saturates")]
        (scaled.is_finite() && scaled.abs() < 9e15).then_some(Self(scaled as i64))
    }

    /// Vietnamese or plain input: "8.624" (dots group thousands), "112,06" (comma before the
    /// decimals), "72.5" (a dot not followed by three digits is a decimal point).
    pub fn parse_vi(input: &str) -> Option<Self> {
        let text: String = input.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, text),
        };
        let normalised = if text.contains(',') {
            text.replace('.', "").replace(',', ".")
        } else if text.split('.').skip(1).all(|g| g.len() == 3) && text.contains('.') {
            text.replace('.', "")
        } else {
            text
        };
        let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 2 {
            return None;
        }
        if !fraction.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().ok()? };
        let value = whole.checked_mul(100)?.checked_add(fraction)?;
        Some(Self(if negative { -value } else { value }))
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    #[allow(clippy::cast_precision_loss, reason = "report figures stay far below 2^53")]
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// "8.624", "72,5", "-12": thousands with dots, decimals (when any) after a comma.
    pub fn format_vi(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, cents) = (abs / 100, abs % 100);
        let fraction = match cents {
            0 => String::new(),
            c if c % 10 == 0 => format!(",{}", c / 10),
            c => format!(",{c:02}"),
        };
        format!("{sign}{}{fraction}", group_thousands(whole))
    }
}

impl std::ops::Add for Figure {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Figure {
    type Output = Self;
    fn sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }
}

impl std::iter::Sum for Figure {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_vi())
    }
}

// A plain number in JSON: clients chart it; the exact hundredths stay inside.
impl serde::Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.to_f64())
    }
}

impl<'de> serde::Deserialize<'de> for Figure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Self::from_f64(value).ok_or_else(|| serde::de::Error::custom("figure out of range"))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Figure {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some("A figure with at most two decimals."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Figure {}

/// Actual as a percentage of plan; `None` without a plan or with a zero plan.
pub fn percent_of_plan(actual: Figure, plan: Figure) -> Option<f64> {
    (plan.0 > 0).then(|| actual.to_f64() / plan.to_f64() * 100.0)
}

/// "112,06%": two decimals after a comma, thousands grouped with dots ("1.250,00%").
pub fn format_percent_vi(percent: f64) -> String {
    let hundredths = Figure::from_f64(percent).unwrap_or_default();
    let sign = if hundredths.is_negative() { "-" } else { "" };
    let abs = hundredths.0.unsigned_abs();
    format!("{sign}{},{:02}%", group_thousands(abs / 100), abs % 100)
}

/// Change against last year, as a percentage; `None` when last year had nothing.
pub fn percent_change(actual: Figure, last_year: Figure) -> Option<f64> {
    (last_year.0 > 0).then(|| (actual.to_f64() - last_year.to_f64()) / last_year.to_f64() * 100.0)
}

// ---------------------------------------------------------------------------------------------
// Areas, periods, plans

/// Where a plan or a manual value applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanArea {
    Commune(CommuneCode),
    Province(ProvinceCode),
}

impl PlanArea {
    /// "commune" or "province", as stored.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Commune(_) => "commune",
            Self::Province(_) => "province",
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Self::Commune(c) => c.as_str(),
            Self::Province(p) => p.as_str(),
        }
    }

    /// A five-digit commune code or a two-digit province code, which must exist.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = input.trim();
        let area = if code.len() <= 2 {
            Self::Province(ProvinceCode::parse(code)?)
        } else {
            Self::Commune(CommuneCode::parse(code)?)
        };
        area.require_exists()?;
        Ok(area)
    }

    pub fn from_stored(kind: &str, code: &str) -> Result<Self, ValidationError> {
        match kind {
            "province" => Ok(Self::Province(ProvinceCode::parse(code)?)),
            _ => Ok(Self::Commune(CommuneCode::parse(code)?)),
        }
    }

    pub fn require_exists(&self) -> Result<(), ValidationError> {
        let admin = AdminCatalog::embedded();
        match self {
            Self::Commune(c) => admin.require_commune(c).map(|_| ()),
            Self::Province(p) => admin.require_province(p).map(|_| ()),
        }
    }

    /// "Phường Ba Đình", "Thành phố Hà Nội"; the code when unknown.
    pub fn name(&self) -> String {
        let admin = AdminCatalog::embedded();
        match self {
            Self::Commune(c) => admin.commune(c).map_or_else(|| c.to_string(), |c| c.name.clone()),
            Self::Province(p) => admin.province(p).map_or_else(|| p.to_string(), |p| p.name_with_type.clone()),
        }
    }
}

/// The period a plan or a manual value is for: a year, or one quarter of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPeriod {
    pub year: i32,
    pub quarter: Option<u8>,
}

impl PlanPeriod {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if !(2000..=2100).contains(&self.year) {
            return Err(ValidationError::new(
                "year",
                "plan.year",
                format!("Năm {} không hợp lệ (từ 2000 đến 2100).", self.year),
                format!("Year {} is out of range (2000–2100).", self.year),
            ));
        }
        if let Some(q) = self.quarter
            && !(1..=4).contains(&q)
        {
            return Err(ValidationError::new(
                "quarter",
                "plan.quarter",
                format!("Quý {q} không hợp lệ: quý phải từ 1 đến 4."),
                format!("Quarter {q} is invalid: it must be 1 to 4."),
            ));
        }
        Ok(())
    }
}

/// A target for one indicator, area and year (or quarter). One per indicator, area and period:
/// entering it again replaces it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub indicator: String,
    pub area: PlanArea,
    pub period: PlanPeriod,
    pub target: Figure,
    pub entered_by: Option<uuid::Uuid>,
    pub entered_at: chrono::DateTime<chrono::Utc>,
}

/// Checks what a plan and a manual value share: a known indicator, a valid period, a target or
/// value not negative, an area that exists.
pub fn validate_entry(
    catalog: &IndicatorCatalog,
    indicator: &str,
    area: &PlanArea,
    period: &PlanPeriod,
    figure: Figure,
) -> Result<(), ValidationError> {
    catalog.require(indicator)?;
    period.validate()?;
    if figure.is_negative() {
        return Err(ValidationError::new(
            "target",
            "plan.negative",
            format!("Giá trị {} âm: kế hoạch và kết quả không được nhỏ hơn 0.", figure.format_vi()),
            format!("{} is negative: plans and values cannot be below 0.", figure.format_vi()),
        ));
    }
    area.require_exists()
}

impl Plan {
    pub fn validate(&self, catalog: &IndicatorCatalog) -> Result<(), ValidationError> {
        validate_entry(catalog, &self.indicator, &self.area, &self.period, self.target)
    }
}

/// A value of a manual indicator entered by staff, with where it comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualValue {
    pub indicator: String,
    pub area: PlanArea,
    pub period: PlanPeriod,
    pub value: Figure,
    /// "Điều tra lao động việc làm 2025, Cục Thống kê".
    pub source_note: String,
    pub entered_by: Option<uuid::Uuid>,
    pub entered_at: chrono::DateTime<chrono::Utc>,
}

impl ManualValue {
    /// Also refuses a computed indicator: its value comes from the records.
    pub fn validate(&self, catalog: &IndicatorCatalog) -> Result<(), ValidationError> {
        validate_entry(catalog, &self.indicator, &self.area, &self.period, self.value)?;
        if !catalog.require(&self.indicator)?.is_manual() {
            return Err(ValidationError::new(
                "indicator",
                "indicator.computed",
                format!("Chỉ tiêu \"{}\" được tính từ dữ liệu, không nhập tay.", self.indicator),
                format!("Indicator \"{}\" is computed from the records, not entered.", self.indicator),
            ));
        }
        Ok(())
    }
}

/// The period a result is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    Year(i32),
    Quarter {
        year: i32,
        quarter: u8,
    },
    Month {
        year: i32,
        month: u8,
    },
    /// Inclusive; may cross a year.
    Range {
        from: NaiveDate,
        to: NaiveDate,
    },
}

fn invalid_period(what: &str) -> ValidationError {
    ValidationError::new(
        "period",
        "period.invalid",
        format!("Kỳ báo cáo không hợp lệ: {what}."),
        format!("Invalid reporting period: {what}."),
    )
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, ValidationError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| invalid_period(&format!("{day}/{month}/{year}")))
}

fn last_day_of_month(year: i32, month: u32) -> Result<NaiveDate, ValidationError> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    ymd(y, m, 1)?.pred_opt().ok_or_else(|| invalid_period("tháng"))
}

impl ReportPeriod {
    /// First and last day (Vietnamese dates, inclusive).
    pub fn bounds(&self) -> Result<(NaiveDate, NaiveDate), ValidationError> {
        match *self {
            Self::Year(y) => Ok((ymd(y, 1, 1)?, ymd(y, 12, 31)?)),
            Self::Quarter { year, quarter } => {
                if !(1..=4).contains(&quarter) {
                    return Err(invalid_period("quý phải từ 1 đến 4"));
                }
                let first = u32::from(quarter) * 3 - 2;
                Ok((ymd(year, first, 1)?, last_day_of_month(year, first + 2)?))
            }
            Self::Month { year, month } => {
                if !(1..=12).contains(&month) {
                    return Err(invalid_period("tháng phải từ 1 đến 12"));
                }
                Ok((ymd(year, u32::from(month), 1)?, last_day_of_month(year, u32::from(month))?))
            }
            Self::Range { from, to } => {
                if from > to {
                    return Err(invalid_period("ngày bắt đầu sau ngày kết thúc"));
                }
                Ok((from, to))
            }
        }
    }

    /// The period a plan is entered for, when this is one (a year or a quarter); months and
    /// arbitrary ranges have no plan.
    pub fn plan_period(&self) -> Option<PlanPeriod> {
        match *self {
            Self::Year(year) => Some(PlanPeriod { year, quarter: None }),
            Self::Quarter { year, quarter } => Some(PlanPeriod { year, quarter: Some(quarter) }),
            Self::Month { .. } | Self::Range { .. } => None,
        }
    }

    /// The same period a year earlier (29 February becomes 28 February).
    pub fn last_year(&self) -> Self {
        let back = |d: NaiveDate| {
            d.with_year(d.year() - 1).or_else(|| d.pred_opt().and_then(|p| p.with_year(d.year() - 1))).unwrap_or(d)
        };
        match *self {
            Self::Year(y) => Self::Year(y - 1),
            Self::Quarter { year, quarter } => Self::Quarter { year: year - 1, quarter },
            Self::Month { year, month } => Self::Month { year: year - 1, month },
            Self::Range { from, to } => Self::Range { from: back(from), to: back(to) },
        }
    }

    /// "Năm 2026", "Quý IV/2026", "Tháng 12/2025", "Từ 01/12/2025 đến 31/01/2026".
    pub fn label_vi(&self) -> String {
        match *self {
            Self::Year(y) => format!("Năm {y}"),
            Self::Quarter { year, quarter } => {
                let roman =
                    ["I", "II", "III", "IV"].get(usize::from(quarter.saturating_sub(1))).copied().unwrap_or("?");
                format!("Quý {roman}/{year}")
            }
            Self::Month { year, month } => format!("Tháng {month}/{year}"),
            Self::Range { from, to } => format!("Từ {} đến {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Plan import (the rows of a spreadsheet, already read as text)

/// The columns of a plan sheet, in the order of [`PLAN_HEADERS`].
pub const PLAN_HEADERS: [&str; 5] = ["Mã chỉ tiêu", "Địa bàn (mã xã hoặc mã tỉnh)", "Năm", "Quý", "Kế hoạch"];

/// Where each of [`PLAN_HEADERS`] is among `headers` (with or without diacritics, any case; the
/// area column may be headed just "Địa bàn").
pub fn plan_columns(headers: &[String]) -> Result<[usize; 5], ValidationError> {
    let folded: Vec<String> = headers.iter().map(|h| crate::text::fold(h)).collect();
    let mut found = [0usize; 5];
    for (slot, wanted) in found.iter_mut().zip(PLAN_HEADERS) {
        let key = crate::text::fold(wanted);
        let short = key.split(" (").next().unwrap_or(&key).to_owned();
        *slot = folded.iter().position(|h| *h == key || *h == short).ok_or_else(|| {
            ValidationError::new(
                "header",
                "plan_import.header",
                format!("Thiếu cột \"{wanted}\"; tiêu đề cần có: {}.", PLAN_HEADERS.join(" | ")),
                format!("Missing column \"{wanted}\"; the header needs: {}.", PLAN_HEADERS.join(" | ")),
            )
        })?;
    }
    Ok(found)
}

/// One row of a plan sheet, read as text: indicator, area, year, quarter (empty = whole year),
/// target. The reason it is refused is in Vietnamese.
pub fn parse_plan_row(
    catalog: &IndicatorCatalog,
    cells: [&str; 5],
    entered_by: Option<uuid::Uuid>,
    entered_at: chrono::DateTime<chrono::Utc>,
) -> Result<Plan, ValidationError> {
    let [indicator, area, year, quarter, target] = cells.map(str::trim);
    let indicator = catalog.require(indicator)?.code.clone();
    let area = PlanArea::parse(area)?;
    let year = year.parse::<i32>().map_err(|_| {
        ValidationError::new(
            "year",
            "plan.year",
            format!("Năm \"{year}\" không phải số."),
            format!("Year \"{year}\" is not a number."),
        )
    })?;
    let quarter = match quarter {
        "" => None,
        q => Some(q.parse::<u8>().map_err(|_| {
            ValidationError::new(
                "quarter",
                "plan.quarter",
                format!("Quý \"{q}\" không hợp lệ: quý phải từ 1 đến 4."),
                format!("Quarter \"{q}\" is invalid: it must be 1 to 4."),
            )
        })?),
    };
    let target = Figure::parse_vi(target).ok_or_else(|| {
        ValidationError::new(
            "target",
            "plan.target",
            format!("Kế hoạch \"{target}\" không phải số (tối đa 2 chữ số thập phân)."),
            format!("Target \"{target}\" is not a number (at most 2 decimals)."),
        )
    })?;
    let plan = Plan { indicator, area, period: PlanPeriod { year, quarter }, target, entered_by, entered_at };
    plan.validate(catalog)?;
    Ok(plan)
}

// ---------------------------------------------------------------------------------------------
// Chart

const MONTHS_VI: [&str; 12] = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12"];

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Achievement over the months of a year, as self-contained SVG text (generic font family, no
/// scripts, no external references): bars of monthly actuals against the left axis, the line of
/// the cumulative actual and the yearly plan as a dashed line against the right axis.
pub fn achievement_chart_svg(
    title: &str,
    unit_vi: &str,
    year: i32,
    monthly: &[Figure; 12],
    yearly_plan: Option<Figure>,
) -> String {
    const W: f64 = 760.0;
    const H: f64 = 420.0;
    const LEFT: f64 = 70.0;
    const RIGHT: f64 = 70.0;
    const TOP: f64 = 60.0;
    const BOTTOM: f64 = 70.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / 12.0;

    let mut cumulative = [Figure::ZERO; 12];
    let mut running = Figure::ZERO;
    for (c, m) in cumulative.iter_mut().zip(monthly) {
        running = running + *m;
        *c = running;
    }
    let bar_max = monthly.iter().map(|f| f.to_f64()).fold(1.0, f64::max);
    let line_max = cumulative.iter().map(|f| f.to_f64()).chain(yearly_plan.map(Figure::to_f64)).fold(1.0, f64::max);
    let bar_y = |v: f64| TOP + plot_h - v / bar_max * plot_h;
    let line_y = |v: f64| TOP + plot_h - v / line_max * plot_h;

    let mut svg = String::new();
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" \
         font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{}\">\n",
        xml_escape(title)
    ));
    svg.push_str(&format!("<title>{}</title>\n", xml_escape(title)));
    svg.push_str(&format!("<rect width=\"{W}\" height=\"{H}\" fill=\"#ffffff\"/>\n"));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{} — năm {year}</text>\n",
        W / 2.0,
        xml_escape(title)
    ));
    // Axes.
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n",
        TOP + plot_h,
        LEFT + plot_w,
        TOP + plot_h
    ));
    svg.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\">Hằng tháng ({}): tối đa {}</text>\n",
        TOP - 10.0,
        xml_escape(unit_vi),
        Figure::from_f64(bar_max).unwrap_or_default().format_vi()
    ));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">Lũy kế: tối đa {}</text>\n",
        LEFT + plot_w,
        TOP - 10.0,
        Figure::from_f64(line_max).unwrap_or_default().format_vi()
    ));
    // Bars and month labels.
    let mut points = Vec::with_capacity(12);
    for (i, (month, label)) in monthly.iter().zip(MONTHS_VI).enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "i < 12")]
        let x = LEFT + slot * i as f64;
        let y = bar_y(month.to_f64());
        svg.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4a90d9\"><title>{label}: {}</title></rect>\n",
            x + slot * 0.2,
            slot * 0.6,
            TOP + plot_h - y,
            month.format_vi()
        ));
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{label}</text>\n",
            x + slot / 2.0,
            TOP + plot_h + 16.0
        ));
        points.push(format!("{:.1},{:.1}", x + slot / 2.0, line_y(cumulative[i].to_f64())));
    }
    svg.push_str(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#d9534f\" stroke-width=\"2\"/>\n",
        points.join(" ")
    ));
    if let Some(plan) = yearly_plan {
        let y = line_y(plan.to_f64());
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#2e7d32\" stroke-dasharray=\"6 4\"/>\n",
            LEFT + plot_w
        ));
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#2e7d32\">Kế hoạch năm: {}</text>\n",
            LEFT + plot_w,
            y - 4.0,
            plan.format_vi()
        ));
    }
    // Legend.
    let total = cumulative[11];
    let achieved = yearly_plan
        .and_then(|p| percent_of_plan(total, p))
        .map(|p| format!(" (đạt {} kế hoạch)", format_percent_vi(p)))
        .unwrap_or_default();
    let legend_y = H - 20.0;
    svg.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#4a90d9\"/><text x=\"{}\" y=\"{legend_y}\">Thực hiện hằng tháng</text>\n",
        legend_y - 10.0,
        LEFT + 16.0
    ));
    svg.push_str(&format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#d9534f\" stroke-width=\"2\"/><text x=\"{}\" y=\"{legend_y}\">Lũy kế: {}{}</text>\n",
        LEFT + 170.0,
        legend_y - 4.0,
        LEFT + 190.0,
        legend_y - 4.0,
        LEFT + 194.0,
        total.format_vi(),
        xml_escape(&achieved)
    ));
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i64) -> Figure {
        Figure::from_hundredths(n)
    }

    #[test]
    fn percent_and_thousands_are_formatted_the_vietnamese_way() {
        assert_eq!(format_percent_vi(112.0645), "112,06%");
        assert_eq!(format_percent_vi(100.0), "100,00%");
        assert_eq!(format_percent_vi(1250.5), "1.250,50%");
        assert_eq!(format_percent_vi(-3.456), "-3,46%");
        assert_eq!(Figure::from_count(8624).format_vi(), "8.624");
        assert_eq!(f(7250).format_vi(), "72,5");
        assert_eq!(f(7205).format_vi(), "72,05");
        assert_eq!(f(-1200).format_vi(), "-12");
        let percent = percent_of_plan(Figure::from_count(8624), Figure::from_count(7696)).unwrap_or_default();
        assert_eq!(format_percent_vi(percent), "112,06%");
        assert_eq!(percent_of_plan(Figure::from_count(3), Figure::ZERO), None);
        assert_eq!(percent_change(Figure::from_count(3), Figure::from_count(2)), Some(50.0));
    }

    #[test]
    fn figures_parse_vietnamese_and_plain_input() {
        assert_eq!(Figure::parse_vi("8.624"), Some(Figure::from_count(8624)));
        assert_eq!(Figure::parse_vi("1.234.567"), Some(Figure::from_count(1_234_567)));
        assert_eq!(Figure::parse_vi("112,06"), Some(f(11206)));
        assert_eq!(Figure::parse_vi("72.5"), Some(f(7250)));
        assert_eq!(Figure::parse_vi("-5"), Some(f(-500)));
        assert_eq!(Figure::parse_vi("1,234"), None);
        assert_eq!(Figure::parse_vi("abc"), None);
        assert_eq!(Figure::parse_vi(""), None);
        assert_eq!(Figure::from_f64(0.1 + 0.2), Some(f(30)));
    }

    #[test]
    fn the_embedded_catalogue_loads_with_computed_and_manual_indicators() {
        let catalog = IndicatorCatalog::embedded();
        for source in IndicatorSource::ALL {
            assert!(catalog.all().iter().any(|i| i.source == source), "no indicator for {source:?}");
        }
        let ratio = catalog.require("trained_labour_ratio").unwrap_or_else(|e| panic!("{e}"));
        assert!(ratio.is_manual() && ratio.is_ratio() && !ratio.is_additive());
        // 3 786 certified of a labour force of 10 000: 37,86 %.
        assert_eq!(Figure::share(3786, Figure::from_count(10_000)), Some(Figure::from_hundredths(3786)));
        assert_eq!(Figure::share(1, Figure::from_count(3)), Some(Figure::from_hundredths(3333)));
        assert_eq!(Figure::share(2, Figure::from_count(3)), Some(Figure::from_hundredths(6667)));
        assert_eq!(Figure::share(5, Figure::ZERO), None);
        let japan = catalog.require("workers_departed_japan").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(japan.filter.as_ref().and_then(|f| f.country.clone()).map(|c| c.to_string()), Some("JP".into()));
        let poor = catalog.require("poor_households_placed").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(poor.name_vi, "Số lao động thuộc hộ nghèo, hộ cận nghèo có việc làm");
        assert_eq!(catalog.require("nope").map(|_| ()).unwrap_err().code, "indicator.unknown");
    }

    #[test]
    fn a_bad_catalogue_row_is_refused_with_its_row_number() {
        let header = "code,name_vi,name_en,unit_vi,source,filter,notes\n";
        let good = "a,Tên,Name,người,hires,,\n";
        let cases = [
            ("b,Tên,Name,người,guess,,\n", "nguồn"),
            ("a,Tên,Name,người,hires,,\n", "trùng"),
            ("b,Tên,Name,người,departures,market=JP,\n", "khóa"),
            ("b,Tên,Name,người,hires,country=JP,\n", "departures"),
            ("B C,Tên,Name,người,hires,,\n", "chữ thường"),
            ("b,,Name,người,hires,,\n", "thiếu"),
        ];
        for (row, needle) in cases {
            let err = IndicatorCatalog::from_csv(&format!("# comment\n{header}{good}{row}")).unwrap_err();
            assert!(err.message_vi.contains("dòng dữ liệu 2"), "{}", err.message_vi);
            assert!(err.message_vi.contains(needle), "{}", err.message_vi);
        }
        // A manual indicator is one more row, nothing else.
        let added = IndicatorCatalog::from_csv(&format!("{header}{good}x,Tỷ lệ X,X ratio,%,manual,,\n"));
        assert!(added.is_ok_and(|c| c.require("x").is_ok_and(Indicator::is_manual)));
    }

    #[test]
    fn periods_have_bounds_plans_and_last_years() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            ReportPeriod::Quarter { year: 2026, quarter: 4 }.bounds().ok(),
            Some((d(2026, 10, 1), d(2026, 12, 31)))
        );
        assert_eq!(ReportPeriod::Month { year: 2024, month: 2 }.bounds().ok(), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert!(ReportPeriod::Quarter { year: 2026, quarter: 5 }.bounds().is_err());
        let range = ReportPeriod::Range { from: d(2025, 12, 1), to: d(2026, 1, 31) };
        assert_eq!(range.plan_period(), None);
        assert_eq!(range.last_year(), ReportPeriod::Range { from: d(2024, 12, 1), to: d(2025, 1, 31) });
        let leap = ReportPeriod::Range { from: d(2024, 2, 29), to: d(2024, 3, 1) };
        assert_eq!(leap.last_year(), ReportPeriod::Range { from: d(2023, 2, 28), to: d(2023, 3, 1) });
        assert_eq!(ReportPeriod::Year(2026).plan_period(), Some(PlanPeriod { year: 2026, quarter: None }));
        assert_eq!(ReportPeriod::Quarter { year: 2026, quarter: 4 }.label_vi(), "Quý IV/2026");
    }

    #[test]
    fn plan_rows_are_validated_in_vietnamese() {
        let catalog = IndicatorCatalog::embedded();
        let now = chrono::Utc::now();
        let row = |cells| parse_plan_row(catalog, cells, None, now);
        let plan = row(["workers_referred", "00004", "2026", "", "8.624"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((plan.area.kind(), plan.target), ("commune", Figure::from_count(8624)));
        assert!(row(["trained_labour_ratio", "01", "2026", "2", "72,5"]).is_ok());
        let code = |cells| row(cells).map(|_| ()).unwrap_err().code;
        assert_eq!(code(["x", "00004", "2026", "", "1"]), "indicator.unknown");
        assert_eq!(code(["fairs_held", "00004", "2026", "5", "1"]), "plan.quarter");
        assert_eq!(code(["fairs_held", "00004", "2026", "", "-1"]), "plan.negative");
        assert!(row(["fairs_held", "99999", "2026", "", "1"]).is_err());
        assert!(row(["fairs_held", "98", "2026", "", "1"]).is_err());
        assert_eq!(code(["fairs_held", "01", "năm", "", "1"]), "plan.year");
        let columns = plan_columns(&["Ke hoach", "Ma chi tieu", "Dia ban", "Nam", "Quy"].map(String::from));
        assert_eq!(columns.ok(), Some([1, 2, 3, 4, 0]));
        assert!(plan_columns(&["Mã chỉ tiêu".to_owned()]).is_err());
    }

    #[test]
    fn the_chart_is_self_contained_svg_with_the_months() {
        let mut monthly = [Figure::ZERO; 12];
        monthly[0] = Figure::from_count(3);
        monthly[11] = Figure::from_count(1200);
        let svg =
            achievement_chart_svg("Giới thiệu việc làm <xã>", "người", 2026, &monthly, Some(Figure::from_count(1000)));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        for month in MONTHS_VI {
            assert!(svg.contains(&format!(">{month}</text>")), "{month}");
        }
        assert!(svg.contains("Kế hoạch năm: 1.000"));
        assert!(svg.contains("Lũy kế: 1.203 (đạt 120,30% kế hoạch)"));
        assert!(svg.contains("&lt;xã&gt;"));
        assert!(!svg.contains("<script") && !svg.contains("href") && !svg.contains("@font-face"));
    }
}
