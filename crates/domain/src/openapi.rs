//! OpenAPI schemas of the domain types (feature `openapi`, turned on by the API crate). Types
//! whose JSON is a validated string — codes, identity numbers, code enums — describe themselves
//! here by hand, from the same `ALL` / `code()` the parser uses, so the document cannot drift
//! from what is accepted; plain records derive their schema next to their definition.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// A string that must be one of `codes`.
pub(crate) fn codes(codes: impl IntoIterator<Item = &'static str>, description: &str) -> RefOr<Schema> {
    let codes: Vec<&str> = codes.into_iter().collect();
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(codes))
            .description(Some(description))
            .build(),
    ))
}

/// A validated string, with its rule and an example.
pub(crate) fn string(description: &str, pattern: Option<&str>, example: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(description))
            .pattern(pattern)
            .examples([example])
            .build(),
    ))
}

/// `PartialSchema` + `ToSchema` for a type from one of the two builders above.
macro_rules! schema {
    (codes $name:ty, $description:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::codes(<$name>::ALL.iter().map(|v| v.code()), $description)
            }
        }
        impl utoipa::ToSchema for $name {}
    };
    (string $name:ty, $description:expr, $pattern:expr, $example:expr) => {
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::string($description, $pattern, $example)
            }
        }
        impl utoipa::ToSchema for $name {}
    };
}

use crate::access::RoleKind;
use crate::money::{Currency, PayPeriod};
use crate::person::Sex;
use crate::qualifications::{GeneralEducation, JlptLevel, LanguageCertificate, Qualification};
use crate::{Cccd, CommuneCode, CountryCode, IscoCode, PhoneNumber, ProvinceCode, TaxCode};

schema!(string crate::fairs::TicketToken, "Mã vé QR: chuỗi ngẫu nhiên, không chứa thông tin cá nhân (opaque ticket token).", Some("^[A-Za-z0-9_-]{22,64}$"), "q3Jx0aZ8c1Vn2-mP4kL7tR9wY5bE6hUs");
schema!(codes Sex, "Giới tính (sex): male | female.");
schema!(codes RoleKind, "Vai trò (role).");
schema!(codes Currency, "Tiền tệ (currency), ISO 4217 lower-case.");
schema!(codes PayPeriod, "Kỳ trả lương (pay period).");
schema!(codes JlptLevel, "Cấp độ JLPT (JLPT level).");
schema!(codes GeneralEducation, "Trình độ giáo dục phổ thông (general education completed).");
schema!(codes Qualification, "Trình độ chuyên môn kỹ thuật (vocational or academic qualification).");
schema!(string IscoCode, "Mã nghề ISCO-08, 1–4 chữ số (ISCO-08 group, 1 to 4 digits).", Some("^[0-9]{1,4}$"), "7212");
schema!(string ProvinceCode, "Mã tỉnh/thành phố (2025 province code, 2 digits).", Some("^[0-9]{2}$"), "01");
schema!(string CommuneCode, "Mã xã/phường (2025 commune code, 5 digits).", Some("^[0-9]{5}$"), "00004");
schema!(string CountryCode, "Mã quốc gia ISO 3166-1 alpha-2 (country code).", Some("^[A-Z]{2}$"), "JP");
schema!(string Cccd, "Số định danh cá nhân (CCCD), 12 chữ số; dữ liệu nhạy cảm (sensitive; masked in lists).", Some("^[0-9]{12}$"), "001095012345");
schema!(string TaxCode, "Mã số thuế (tax code): 10 digits, or 10-3 for a branch.", Some("^[0-9]{10}(-[0-9]{3})?$"), "0101234567");
schema!(string PhoneNumber, "Số điện thoại di động (Vietnamese mobile number; sensitive, masked in lists).", None, "0912345678");
schema!(string LanguageCertificate, "Chứng chỉ ngoại ngữ (language certificate): JLPT N5–N1, NAT-TEST N5–N1, JFT-Basic A2, TOPIK 1–6, EPS-TOPIK <score>.", None, "JLPT N4");

pub(crate) use schema;
