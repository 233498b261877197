//! sea-orm entities: one module per table created by `caunoi-migrations`. Plain rows — the
//! store's repository modules translate them to and from domain records.

macro_rules! entity {
    ($module:ident, $table:literal { $($(#[$attr:meta])* $field:ident : $ty:ty,)+ }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[sea_orm::model]
            #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                $($(#[$attr])* pub $field: $ty,)+
            }

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entity!(reference_dataset, "reference_datasets" {
    #[sea_orm(primary_key, auto_increment = false)]
    name: String,
    fingerprint: String,
    row_count: i32,
    loaded_at: DateTimeUtc,
});

entity!(province, "provinces" {
    #[sea_orm(primary_key, auto_increment = false)]
    code: String,
    name: String,
    name_folded: String,
    kind: String,
    slug: String,
    name_with_type: String,
});

entity!(commune, "communes" {
    #[sea_orm(primary_key, auto_increment = false)]
    code: String,
    name: String,
    name_folded: String,
    kind: String,
    province_code: String,
    lat: f64,
    lon: f64,
    area_km2: Option<f64>,
});

entity!(legacy_commune, "legacy_communes" {
    #[sea_orm(primary_key)]
    id: i32,
    old_province_code: String,
    old_province_name: String,
    old_district_code: String,
    old_district_name: String,
    old_code: Option<String>,
    old_name: Option<String>,
    old_name_folded: Option<String>,
    new_code: String,
    split: bool,
    is_default_new: bool,
});

entity!(occupation, "occupations" {
    #[sea_orm(primary_key, auto_increment = false)]
    code: String,
    level: i16,
    parent_code: Option<String>,
    label_vi: String,
    label_en: String,
});

entity!(country, "countries" {
    #[sea_orm(primary_key, auto_increment = false)]
    code: String,
    name_vi: String,
    name_en: String,
});

entity!(employer, "employers" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    kind: String,
    name: String,
    name_folded: String,
    tax_code: Option<String>,
    licence_number: Option<String>,
    licence_issued_on: Option<Date>,
    licence_valid_until: Option<Date>,
    province_code: String,
    commune_code: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    licence_status: Option<String>,
    /// JSON array of the licence's branches.
    #[sea_orm(column_type = "Text")]
    licence_branches: String,
});

entity!(job_fair, "job_fairs" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    code: String,
    title: String,
    format: String,
    organiser: String,
    province_code: String,
    commune_code: String,
    venue: String,
    starts_at: DateTimeUtc,
    ends_at: DateTimeUtc,
    status: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    kind: Option<String>,
    capacity: Option<i32>,
    /// JSON array of priority-group codes.
    #[sea_orm(column_type = "Text")]
    target_groups: String,
    /// JSON array of co-host names.
    #[sea_orm(column_type = "Text")]
    co_hosts: String,
    online_url: Option<String>,
    places_version: i64,
});

entity!(vacancy, "vacancies" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    employer_id: Uuid,
    title: String,
    description: String,
    isco_code: String,
    employment_type: String,
    quantity: i32,
    salary_min: Option<i64>,
    salary_max: Option<i64>,
    salary_currency: String,
    salary_period: String,
    salary_negotiable: bool,
    salary_text: String,
    is_overseas: bool,
    workplace_commune_code: Option<String>,
    workplace_province_code: Option<String>,
    country_code: String,
    programme: Option<String>,
    contract_months: Option<i16>,
    #[sea_orm(column_type = "JsonBinary")]
    requirements: Json,
    deadline: Option<Date>,
    fair_id: Option<Uuid>,
    status: String,
    posted_at: DateTimeUtc,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
});

entity!(worker_profile, "worker_profiles" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    full_name: String,
    sex: String,
    date_of_birth: Date,
    cccd: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    ethnicity: Option<String>,
    residence_commune_code: String,
    residence_province_code: String,
    address_as_written: Option<String>,
    general_education: String,
    qualification: String,
    #[sea_orm(column_type = "JsonBinary")]
    occupation_history: Json,
    #[sea_orm(column_type = "JsonBinary")]
    skills: Json,
    #[sea_orm(column_type = "JsonBinary")]
    languages: Json,
    /// Vocational certificates (migration 000007).
    #[sea_orm(column_type = "JsonBinary")]
    certificates: Json,
    desired_isco_code: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    desired: Json,
    willing_abroad: bool,
    availability: String,
    available_from: Option<Date>,
    #[sea_orm(column_type = "JsonBinary")]
    priority_groups: Json,
    #[sea_orm(column_type = "JsonBinary")]
    consents: Json,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
});

entity!(fair_registration, "fair_registrations" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    worker_id: Option<Uuid>,
    employer_id: Option<Uuid>,
    registered_at: DateTimeUtc,
    checked_in_at: Option<DateTimeUtc>,
});

entity!(overseas_registration, "overseas_registrations" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    worker_id: Uuid,
    job_order_id: Option<Uuid>,
    country_code: String,
    programme: String,
    stage: String,
    registered_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    note: Option<String>,
    selected_on: Option<Date>,
    departed_on: Option<Date>,
    ended_on: Option<Date>,
});

entity!(change_log, "change_log" {
    #[sea_orm(primary_key)]
    seq: i64,
    entity: String,
    entity_id: Uuid,
    operation: String,
    changed_at: DateTimeUtc,
});

entity!(account, "accounts" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    login: String,
    password_hash: String,
    display_name: String,
    role: String,
    scope_province_code: Option<String>,
    scope_commune_code: Option<String>,
    employer_id: Option<Uuid>,
    worker_id: Option<Uuid>,
    disabled: bool,
    created_at: DateTimeUtc,
});

entity!(session, "sessions" {
    #[sea_orm(primary_key, auto_increment = false)]
    token_hash: String,
    account_id: Uuid,
    created_at: DateTimeUtc,
    expires_at: DateTimeUtc,
});

entity!(api_key, "api_keys" {
    #[sea_orm(primary_key, auto_increment = false)]
    key_hash: String,
    account_id: Uuid,
    label: String,
    created_at: DateTimeUtc,
    revoked_at: Option<DateTimeUtc>,
});

entity!(login_attempt, "login_attempts" {
    #[sea_orm(primary_key)]
    id: i64,
    login: String,
    succeeded: bool,
    attempted_at: DateTimeUtc,
});

entity!(audit_entry, "audit_log" {
    #[sea_orm(primary_key)]
    id: i64,
    at: DateTimeUtc,
    actor_account_id: Option<Uuid>,
    actor_role: String,
    action: String,
    entity: String,
    entity_id: String,
    basis: String,
    detail: Option<String>,
});

entity!(fair_booth, "fair_booths" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    employer_id: Uuid,
    status: String,
    number: Option<i32>,
    /// JSON array of interview capacities per slot.
    #[sea_orm(column_type = "Text")]
    slot_capacity: String,
    requested_at: DateTimeUtc,
    decided_at: Option<DateTimeUtc>,
    decided_by: Option<Uuid>,
});

entity!(fair_booth_vacancy, "fair_booth_vacancies" {
    #[sea_orm(primary_key, auto_increment = false)]
    booth_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    vacancy_id: Uuid,
});

entity!(fair_place, "fair_places" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    worker_id: Uuid,
    ticket: String,
    status: String,
    walk_in: bool,
    registered_at: DateTimeUtc,
    checked_in_at: Option<DateTimeUtc>,
    cancelled_at: Option<DateTimeUtc>,
});

entity!(fair_headcount, "fair_headcounts" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    count: i32,
    recorded_at: DateTimeUtc,
    recorded_by: Option<Uuid>,
});

entity!(fair_interaction, "fair_interactions" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    worker_id: Uuid,
    vacancy_id: Option<Uuid>,
    employer_id: Option<Uuid>,
    kind: String,
    note: Option<String>,
    at: DateTimeUtc,
    recorded_by: Option<Uuid>,
});

entity!(fair_follow_up, "fair_follow_ups" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    interaction_id: Uuid,
    day: i16,
    status: String,
    checked_on: Date,
    recorded_by: Option<Uuid>,
    recorded_at: DateTimeUtc,
});

entity!(fair_amendment, "fair_amendments" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    fair_id: Uuid,
    version: i32,
    field: String,
    #[sea_orm(column_type = "JsonBinary")]
    value: Json,
    reason: String,
    amended_by: Option<Uuid>,
    at: DateTimeUtc,
});

entity!(job_order, "job_orders" {
    #[sea_orm(primary_key, auto_increment = false)]
    vacancy_id: Uuid,
    code: Option<String>,
    sector: String,
    working_hours: String,
    scheme: Option<String>,
    supply_reference: String,
    foreign_partner: String,
    supply_status: String,
    supply_submitted_on: Option<Date>,
    supply_decision_no: Option<String>,
    supply_approved_on: Option<Date>,
    /// JSON array of dates.
    #[sea_orm(column_type = "Text")]
    interview_dates: String,
    /// JSON array of cost lines.
    #[sea_orm(column_type = "Text")]
    costs: String,
    /// JSON exchange rate.
    #[sea_orm(column_type = "Text", nullable)]
    exchange_rate: Option<String>,
    published_on: Option<Date>,
    places_version: i64,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
});

entity!(overseas_stage_history, "overseas_stage_history" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    registration_id: Uuid,
    seq: i32,
    from_stage: Option<String>,
    to_stage: String,
    on_date: Date,
    at: DateTimeUtc,
    actor: Option<Uuid>,
    reason: Option<String>,
    return_reason: Option<String>,
    eligibility: Option<String>,
    /// JSON array of document ids.
    #[sea_orm(column_type = "Text")]
    evidence: String,
});

entity!(overseas_document, "overseas_documents" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    registration_id: Uuid,
    kind: String,
    number: Option<String>,
    issuer: Option<String>,
    issued_on: Option<Date>,
    expires_on: Option<Date>,
    detail: Option<String>,
    file_hash: Option<String>,
    recorded_at: DateTimeUtc,
});

entity!(plan, "plans" {
    #[sea_orm(primary_key, auto_increment = false)]
    indicator: String,
    #[sea_orm(primary_key, auto_increment = false)]
    area_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    area_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    year: i32,
    /// 1–4, or 0 for the whole year.
    #[sea_orm(primary_key, auto_increment = false)]
    quarter: i16,
    target_hundredths: i64,
    entered_by: Option<Uuid>,
    entered_at: DateTimeUtc,
});

entity!(manual_value, "manual_values" {
    #[sea_orm(primary_key, auto_increment = false)]
    indicator: String,
    #[sea_orm(primary_key, auto_increment = false)]
    area_kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    area_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    year: i32,
    /// 1–4, or 0 for the whole year.
    #[sea_orm(primary_key, auto_increment = false)]
    quarter: i16,
    value_hundredths: i64,
    #[sea_orm(column_type = "Text")]
    source_note: String,
    entered_by: Option<Uuid>,
    entered_at: DateTimeUtc,
});

entity!(training_provider, "training_providers" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    name: String,
    name_folded: String,
    kind: String,
    commune_code: String,
    province_code: String,
    address: Option<String>,
    registration_no: Option<String>,
    created_at: DateTimeUtc,
});

entity!(training_class, "training_classes" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    provider_id: Uuid,
    title: String,
    trade: String,
    /// JSON array.
    #[sea_orm(column_type = "Text")]
    skills: String,
    level: String,
    commune_code: String,
    province_code: String,
    venue: String,
    starts_on: Date,
    ends_on: Date,
    capacity: i32,
    /// JSON.
    #[sea_orm(column_type = "Text")]
    funding: String,
    status: String,
    opened_on: Option<Date>,
    seats_version: i64,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
});

entity!(training_enrolment, "training_enrolments" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    class_id: Uuid,
    worker_id: Uuid,
    status: String,
    source: String,
    fair_id: Option<Uuid>,
    enrolled_at: DateTimeUtc,
    withdrawn_at: Option<DateTimeUtc>,
    completed_on: Option<Date>,
    /// JSON certificate.
    #[sea_orm(column_type = "Text", nullable)]
    certificate: Option<String>,
    follow_up_outcome: Option<String>,
    followed_up_on: Option<Date>,
});

entity!(training_attendance, "training_attendance" {
    #[sea_orm(primary_key, auto_increment = false)]
    enrolment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    on_date: Date,
    present: bool,
});

entity!(training_survey_response, "training_survey_responses" {
    #[sea_orm(primary_key, auto_increment = false)]
    id: Uuid,
    commune_code: String,
    province_code: String,
    worker_id: Option<Uuid>,
    respondent_name: String,
    sex: Option<String>,
    birth_year: Option<i32>,
    /// JSON array of {text, occupation}.
    #[sea_orm(column_type = "Text")]
    trades: String,
    preferred_time: String,
    preferred_place: Option<String>,
    needs_support: bool,
    /// JSON array of codes.
    #[sea_orm(column_type = "Text")]
    priority_groups: String,
    source: String,
    fair_id: Option<Uuid>,
    surveyed_on: Date,
    recorded_by: Option<Uuid>,
    recorded_at: DateTimeUtc,
});
