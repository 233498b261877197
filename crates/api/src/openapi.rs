//! The OpenAPI 3.1 document. It is generated from the handlers themselves: every API route is
//! registered through `utoipa_axum`'s `routes!`, which takes the path, method, parameters and
//! responses from the handler's `#[utoipa::path]`, so a route cannot be served without being
//! documented. Served at `/api/openapi.json`; Swagger UI at `/api/docs/`, from files compiled
//! into the binary (no CDN), so it works offline.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::auth::SESSION_COOKIE;
use crate::error::ErrorBody;

pub const DOCUMENT_PATH: &str = "/api/openapi.json";
pub const DOCS_UI_PATH: &str = "/api/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cầu Nối API",
        description = "Cầu Nối — sàn giao dịch việc làm cấp xã và đưa người lao động đi làm việc ở nước ngoài.\n\n\
            Commune-level job fairs and overseas contract-labour placement for Vietnam's public employment service.\n\n\
            Lỗi luôn có dạng `{\"error\":{\"code\":\"…\",\"message\":\"…\"}}`: `code` là mã tiếng Anh ổn định, \
            `message` là thông báo tiếng Việt (`message_en`: English). Errors always carry a stable English code and a Vietnamese message.\n\n\
            Đăng nhập (sign in): `POST /api/v1/sessions` đặt cookie `caunoi_session`; đối tác dùng `Authorization: Bearer cn_…`.",
        license(name = "MIT"),
    ),
    modifiers(&SecuritySchemes),
    components(schemas(ErrorBody)),
    security(("session" = []), ("bearer" = [])),
    tags(
        (name = "accounts", description = "Tài khoản, đăng nhập, nhật ký truy cập — accounts, sessions, audit log"),
        (name = "workers", description = "Hồ sơ người lao động — worker profiles (personal data; audited)"),
        (name = "vacancies", description = "Việc làm và đơn hàng — vacancies and overseas job orders"),
        (name = "search", description = "Tìm kiếm việc làm, gợi ý khi gõ — vacancy search and typeahead"),
        (name = "matching", description = "Gợi ý việc làm, ứng viên phù hợp, điều kiện chương trình — recommendations, candidates, eligibility"),
        (name = "fairs", description = "Phiên giao dịch việc làm: kế hoạch, gian hàng, đăng ký, vé QR, check-in, kết quả, báo cáo — job fairs"),
        (name = "overseas", description = "Đi làm việc ở nước ngoài: kiểm tra đơn hàng, giấy phép, đơn hàng, hồ sơ qua các bước — overseas contract labour"),
        (name = "training", description = "Đào tạo nghề: điều tra nhu cầu, cơ sở và lớp đào tạo, ghi danh, chứng chỉ, gợi ý lớp học — vocational training"),
        (name = "plans", description = "Kế hoạch và kết quả thực hiện theo chỉ tiêu — plans and results"),
        (name = "partners", description = "Phân phối tin tuyển dụng cho đối tác — partner distribution"),
        (name = "reference", description = "Danh mục: tỉnh, xã, nghề — reference data"),
        (name = "operations", description = "Tình trạng hệ thống — health and readiness"),
    )
)]
pub struct ApiDoc;

/// Cookie sessions for the web, bearer tokens (session tokens or partner keys) for programs.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))));
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// 401: no valid session or key.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 401, description = "Chưa đăng nhập — not signed in (UNAUTHENTICATED)")]
pub struct Unauthenticated(ErrorBody);

/// 403: signed in, but this role or area may not do this.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 403, description = "Không có quyền — wrong role or outside the caller's area (e.g. OUTSIDE_AREA, STAFF_ONLY, NO_CONSENT)")]
pub struct Forbidden(ErrorBody);

/// 404.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 404, description = "Không tìm thấy — not found (NOT_FOUND)")]
pub struct NotFound(ErrorBody);

/// 409: a unique value already in use.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 409, description = "Trùng dữ liệu — conflict with an existing record (e.g. LOGIN_TAKEN, CCCD_DUPLICATE)")]
pub struct Conflict(ErrorBody);

/// 422: validation, with the field named.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 422, description = "Dữ liệu không hợp lệ — validation failed; `field` names the field")]
pub struct Invalid(ErrorBody);

/// 429.
#[derive(IntoResponses)]
#[allow(dead_code, reason = "describes a response in the document; never built")]
#[response(status = 429, description = "Quá nhiều yêu cầu — rate limited or too many sign-in attempts")]
pub struct TooMany(ErrorBody);
