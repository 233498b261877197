//! Eligibility rules as data: an effective-dated table (`data/eligibility-rules.csv`, compiled
//! in) where each row has an id, the programme it belongs to, the check and its parameters,
//! the dates it is in force, its legal or programme reference and whether the figure was
//! verified ([V]) or only recalled ([R]) — DOMAIN.md §10.1. Laws change: a new figure is a new
//! row with a new `effective_from`, never an edit in code.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use caunoi_domain::records::OverseasProgramme;
use caunoi_domain::{GeneralEducation, IscoCode, JlptLevel};
use chrono::NaiveDate;
use serde::Serialize;

use crate::message::Message;

const RULES_CSV: &str = include_str!("../data/eligibility-rules.csv");
const EPS_SECTORS_CSV: &str = include_str!("../data/eps-sectors.csv");

/// How far a rule's figure can be trusted (DOMAIN.md legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// [V] confirmed by a public secondary source.
    Verified,
    /// [R] recalled, not verified: staff should treat the result as indicative.
    Recalled,
    /// [T] seen in a contract template: practice, not law.
    Template,
}

impl Verification {
    fn parse(code: &str) -> Option<Self> {
        match code {
            "V" => Some(Self::Verified),
            "R" => Some(Self::Recalled),
            "T" => Some(Self::Template),
            _ => None,
        }
    }

    pub fn marker(self) -> &'static str {
        match self {
            Self::Verified => "[V]",
            Self::Recalled => "[R]",
            Self::Template => "[T]",
        }
    }
}

/// Which vacancies a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "programme", rename_all = "snake_case")]
pub enum RuleScope {
    /// Every domestic vacancy.
    Domestic,
    /// Every overseas job order (Law 69/2020 base conditions).
    Overseas,
    /// Job orders of one overseas programme.
    Programme(OverseasProgramme),
}

/// Korea EPS sectors, each with its own EPS-TOPIK pass mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EpsSector {
    Manufacturing,
    Construction,
    Agriculture,
    Fishery,
    Services,
}

impl EpsSector {
    pub const ALL: &'static [Self] =
        &[Self::Manufacturing, Self::Construction, Self::Agriculture, Self::Fishery, Self::Services];

    pub fn code(self) -> &'static str {
        match self {
            Self::Manufacturing => "manufacturing",
            Self::Construction => "construction",
            Self::Agriculture => "agriculture",
            Self::Fishery => "fishery",
            Self::Services => "services",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Manufacturing => "sản xuất chế tạo",
            Self::Construction => "xây dựng",
            Self::Agriculture => "nông nghiệp",
            Self::Fishery => "ngư nghiệp",
            Self::Services => "dịch vụ",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// The Japanese tests a rule accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JapaneseTest {
    Jlpt,
    JftBasic,
    NatTest,
}

impl JapaneseTest {
    fn parse(code: &str) -> Option<Self> {
        match code {
            "jlpt" => Some(Self::Jlpt),
            "jft_basic" => Some(Self::JftBasic),
            "nat_test" => Some(Self::NatTest),
            _ => None,
        }
    }
}

/// What a rule checks, with its parameters from the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// Age in full years on the evaluation date, bounds inclusive (`max = 39` fails on the 40th birthday).
    AgeBand { min: Option<u32>, max: Option<u32> },
    /// A document the worker must hold (evidence key).
    Document { key: String },
    /// A yes/no fact that must be declared `true` (evidence key).
    Declaration { key: String },
    /// Cumulative months already worked in a country under the programme, at most `months`.
    MaxPriorStay { country: String, months: u16 },
    /// EPS-TOPIK score at least the pass mark of the job order's sector.
    EpsTopik { pass_marks: BTreeMap<EpsSector, u16> },
    /// A Japanese certificate of at least `min`, from an accepted test, unless `exempt` is declared.
    JapaneseLevel { min: JlptLevel, accept: Vec<JapaneseTest>, exempt: Option<String> },
    /// A skills test passed in the job order's field (same first `match_digits` ISCO digits).
    SkillsTest { match_digits: u8, exempt: Option<String> },
    /// The programme takes workers only between these dates (evaluation date).
    ProgrammeWindow { open_from: Option<NaiveDate>, open_to: Option<NaiveDate> },
    /// General education of at least this level.
    MinGeneralEducation { level: GeneralEducation },
}

/// One row of the rule table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub id: String,
    pub scope: RuleScope,
    /// Empty for rules of the whole programme; otherwise the rule applies only when the
    /// evaluation names this variant (a scheme or a provincial agreement, e.g. `im_japan`).
    pub variant: Option<String>,
    pub check: Check,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub verified: Verification,
    pub legal_ref: String,
    pub title: Message,
    pub note: String,
}

impl Rule {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.effective_from.is_none_or(|from| from <= date) && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// Why a rule table could not be read: the row (1 = first data row), a stable code, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message_vi} ({message_en})")]
pub struct RuleTableError {
    pub row: usize,
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

fn row_error(row: usize, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> RuleTableError {
    let (vi, en) = (vi.into(), en.into());
    RuleTableError {
        row,
        code,
        message_vi: format!("Bảng quy tắc, dòng {row}: {vi}"),
        message_en: format!("Rule table, row {row}: {en}"),
    }
}

/// The rules in force for matching, and the ISCO → EPS sector map their checks use.
#[derive(Debug, Clone)]
pub struct RuleTable {
    rules: Vec<Rule>,
    /// (ISCO prefix, sector), longest prefix first.
    eps_sectors: Vec<(String, EpsSector)>,
}

static EMBEDDED: LazyLock<RuleTable> = LazyLock::new(|| {
    RuleTable::from_csv(RULES_CSV, EPS_SECTORS_CSV)
        .unwrap_or_else(|e| panic!("embedded eligibility rule table is invalid: {e}"))
});

#[derive(serde::Deserialize)]
struct RuleRow {
    id: String,
    programme: String,
    variant: String,
    check: String,
    params: String,
    effective_from: String,
    effective_to: String,
    verified: String,
    legal_ref: String,
    title_vi: String,
    title_en: String,
    note: String,
}

#[derive(serde::Deserialize)]
struct SectorRow {
    isco_prefix: String,
    sector: String,
}

impl RuleTable {
    /// The table shipped with this build.
    pub fn embedded() -> &'static RuleTable {
        &EMBEDDED
    }

    /// Reads a rule table and an EPS sector map (same columns as the files in `data/`).
    pub fn from_csv(rules_csv: &str, eps_sectors_csv: &str) -> Result<Self, RuleTableError> {
        let mut rules = Vec::new();
        let mut ids = HashSet::new();
        for (index, row) in csv::Reader::from_reader(rules_csv.as_bytes()).deserialize::<RuleRow>().enumerate() {
            let number = index + 1;
            let row = row.map_err(|e| {
                row_error(number, "rules.csv", format!("không đọc được dòng ({e})."), format!("unreadable row ({e})."))
            })?;
            let rule = parse_rule(number, row)?;
            if !ids.insert(rule.id.clone()) {
                return Err(row_error(
                    number,
                    "rules.duplicate_id",
                    format!("mã quy tắc \"{}\" bị trùng.", rule.id),
                    format!("duplicate rule id \"{}\".", rule.id),
                ));
            }
            rules.push(rule);
        }
        let mut eps_sectors = Vec::new();
        for (index, row) in csv::Reader::from_reader(eps_sectors_csv.as_bytes()).deserialize::<SectorRow>().enumerate() {
            let number = index + 1;
            let row = row.map_err(|e| {
                row_error(number, "eps_sectors.csv", format!("không đọc được dòng ({e})."), format!("unreadable row ({e})."))
            })?;
            IscoCode::parse(&row.isco_prefix).map_err(|e| {
                row_error(number, "eps_sectors.isco", e.message_vi.clone(), e.message_en.clone())
            })?;
            let sector = EpsSector::parse(&row.sector).ok_or_else(|| {
                row_error(
                    number,
                    "eps_sectors.sector",
                    format!("ngành EPS \"{}\" không hợp lệ.", row.sector),
                    format!("unknown EPS sector \"{}\".", row.sector),
                )
            })?;
            eps_sectors.push((row.isco_prefix, sector));
        }
        eps_sectors.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(Self { rules, eps_sectors })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The EPS sector of an occupation: the longest matching prefix, manufacturing otherwise
    /// (the sector most EPS quotas go to).
    pub fn eps_sector(&self, occupation: &IscoCode) -> EpsSector {
        self.eps_sectors
            .iter()
            .find(|(prefix, _)| occupation.as_str().starts_with(prefix.as_str()))
            .map(|(_, sector)| *sector)
            .unwrap_or(EpsSector::Manufacturing)
    }

    /// Rules in force on `date` for a vacancy of this kind; variant rules only when named.
    pub fn applicable<'a>(
        &'a self,
        overseas: Option<OverseasProgramme>,
        variants: &'a [String],
        date: NaiveDate,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |rule| {
            let scope_matches = match (rule.scope, overseas) {
                (RuleScope::Domestic, None) => true,
                (RuleScope::Overseas, Some(_)) => true,
                (RuleScope::Programme(p), Some(programme)) => p == programme,
                _ => false,
            };
            let variant_matches = rule.variant.as_ref().is_none_or(|v| variants.iter().any(|named| named == v));
            scope_matches && variant_matches && rule.in_force_on(date)
        })
    }
}

fn parse_rule(row: usize, r: RuleRow) -> Result<Rule, RuleTableError> {
    let bad = |code: &'static str, vi: String, en: String| row_error(row, code, vi, en);
    if r.id.trim().is_empty() || r.legal_ref.trim().is_empty() || r.title_vi.trim().is_empty() {
        return Err(bad(
            "rules.missing_field",
            "thiếu mã quy tắc, căn cứ pháp lý hoặc tên quy tắc.".into(),
            "a rule needs an id, a legal reference and a title.".into(),
        ));
    }
    let scope = match r.programme.as_str() {
        "domestic" => RuleScope::Domestic,
        "overseas" => RuleScope::Overseas,
        code => RuleScope::Programme(OverseasProgramme::parse(code).map_err(|e| {
            bad("rules.programme", e.message_vi.clone(), e.message_en.clone())
        })?),
    };
    let date = |field: &str, text: &str| -> Result<Option<NaiveDate>, RuleTableError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map(Some).map_err(|_| {
            bad("rules.date", format!("ngày {field} \"{text}\" phải có dạng YYYY-MM-DD."), format!("{field} \"{text}\" must be YYYY-MM-DD."))
        })
    };
    let effective_from = date("effective_from", &r.effective_from)?;
    let effective_to = date("effective_to", &r.effective_to)?;
    if let (Some(from), Some(to)) = (effective_from, effective_to)
        && to < from
    {
        return Err(bad(
            "rules.dates",
            "ngày hết hiệu lực trước ngày có hiệu lực.".into(),
            "effective_to is before effective_from.".into(),
        ));
    }
    let verified = Verification::parse(r.verified.trim()).ok_or_else(|| {
        bad("rules.verified", format!("mức xác minh \"{}\" phải là V, R hoặc T.", r.verified), format!("verified \"{}\" must be V, R or T.", r.verified))
    })?;
    let params = parse_params(&r.params).map_err(|(vi, en)| bad("rules.params", vi, en))?;
    let check = parse_check(&r.check, &params).map_err(|(vi, en)| bad("rules.check", vi, en))?;
    Ok(Rule {
        id: r.id.trim().to_owned(),
        scope,
        variant: Some(r.variant.trim().to_owned()).filter(|v| !v.is_empty()),
        check,
        effective_from,
        effective_to,
        verified,
        legal_ref: r.legal_ref,
        title: Message::new(r.title_vi, r.title_en),
        note: r.note,
    })
}

type ParamError = (String, String);

fn parse_params(text: &str) -> Result<BTreeMap<String, String>, ParamError> {
    let mut params = BTreeMap::new();
    for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            return Err((format!("tham số \"{pair}\" phải có dạng khóa=giá_trị."), format!("parameter \"{pair}\" must be key=value.")));
        };
        params.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(params)
}

fn parse_check(kind: &str, params: &BTreeMap<String, String>) -> Result<Check, ParamError> {
    let required = |key: &str| -> Result<&String, ParamError> {
        params.get(key).ok_or_else(|| {
            (format!("quy tắc loại {kind} cần tham số \"{key}\"."), format!("a {kind} rule needs parameter \"{key}\"."))
        })
    };
    let number = |key: &str, value: &str| -> Result<u32, ParamError> {
        value.parse::<u32>().map_err(|_| {
            (format!("tham số {key}=\"{value}\" phải là số nguyên."), format!("parameter {key}=\"{value}\" must be an integer."))
        })
    };
    let optional_number = |key: &str| params.get(key).map(|v| number(key, v)).transpose();
    let optional_date = |key: &str| -> Result<Option<NaiveDate>, ParamError> {
        params
            .get(key)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| (format!("tham số {key}=\"{v}\" phải là ngày YYYY-MM-DD."), format!("parameter {key}=\"{v}\" must be a YYYY-MM-DD date.")))
            })
            .transpose()
    };
    let exempt = params.get("exempt").cloned();
    let check = match kind {
        "age_band" => {
            let (min, max) = (optional_number("min")?, optional_number("max")?);
            if min.is_none() && max.is_none() {
                return Err(("quy tắc tuổi cần min hoặc max.".into(), "an age_band rule needs min or max.".into()));
            }
            Check::AgeBand { min, max }
        }
        "document" => Check::Document { key: required("key")?.clone() },
        "declaration" => Check::Declaration { key: required("key")?.clone() },
        "max_prior_stay" => {
            let months = number("months", required("months")?)?;
            Check::MaxPriorStay {
                country: required("country")?.clone(),
                months: u16::try_from(months).map_err(|_| ("số tháng quá lớn.".to_owned(), "months out of range.".to_owned()))?,
            }
        }
        "eps_topik" => {
            let mut pass_marks = BTreeMap::new();
            for (key, value) in params {
                let sector = EpsSector::parse(key)
                    .ok_or_else(|| (format!("ngành EPS \"{key}\" không hợp lệ."), format!("unknown EPS sector \"{key}\".")))?;
                let mark = number(key, value)?;
                if mark > 200 {
                    return Err(("điểm EPS-TOPIK tối đa là 200.".into(), "an EPS-TOPIK mark is at most 200.".into()));
                }
                pass_marks.insert(sector, mark as u16);
            }
            if pass_marks.is_empty() {
                return Err(("cần ít nhất một điểm đạt theo ngành.".into(), "at least one sector pass mark is needed.".into()));
            }
            Check::EpsTopik { pass_marks }
        }
        "japanese_level" => {
            let min = JlptLevel::parse(required("min")?).map_err(|e| (e.message_vi, e.message_en))?;
            let accept = required("accept")?
                .split('|')
                .map(|t| {
                    JapaneseTest::parse(t.trim())
                        .ok_or_else(|| (format!("loại kỳ thi \"{t}\" không hợp lệ."), format!("unknown test \"{t}\".")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Check::JapaneseLevel { min, accept, exempt }
        }
        "skills_test" => {
            let digits = optional_number("match_digits")?.unwrap_or(4);
            if !(1..=4).contains(&digits) {
                return Err(("match_digits phải từ 1 đến 4.".into(), "match_digits must be 1 to 4.".into()));
            }
            Check::SkillsTest { match_digits: digits as u8, exempt }
        }
        "programme_window" => {
            let (open_from, open_to) = (optional_date("open_from")?, optional_date("open_to")?);
            if open_from.is_none() && open_to.is_none() {
                return Err(("cần open_from hoặc open_to.".into(), "open_from or open_to is needed.".into()));
            }
            Check::ProgrammeWindow { open_from, open_to }
        }
        "min_general_education" => Check::MinGeneralEducation {
            level: GeneralEducation::parse(required("level")?).map_err(|e| (e.message_vi, e.message_en))?,
        },
        other => {
            return Err((format!("loại kiểm tra \"{other}\" không được hỗ trợ."), format!("unsupported check kind \"{other}\".")));
        }
    };
    Ok(check)
}
