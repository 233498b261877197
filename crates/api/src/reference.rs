//! Reference data: provinces, communes (searchable, old names resolve), occupations.

use axum::Json;
use caunoi_domain::reference::{Commune, Occupation, Province};
use caunoi_domain::text::fold;
use caunoi_domain::{AdminCatalog, OccupationCatalog};

use crate::extract::Params;
use crate::openapi::Invalid;

/// `GET /api/v1/provinces` — the 34 provinces in force since 1 July 2025.
#[utoipa::path(get, path = "/api/v1/provinces", tag = "reference", security(()),
    responses((status = 200, description = "34 tỉnh, thành phố (từ 1/7/2025) — provinces", body = Vec<Province>)))]
pub async fn provinces() -> Json<&'static [Province]> {
    Json(AdminCatalog::embedded().provinces())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommuneParams {
    /// Name, with or without diacritics; pre-2025 commune names resolve to their successor.
    q: Option<String>,
    /// Province code (2025).
    province: Option<String>,
    /// 1–500, default 50.
    limit: Option<usize>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CommuneHit {
    #[serde(flatten)]
    commune: Commune,
    /// When found through a pre-2025 name: "Phường Phúc Xá, Quận Ba Đình (cũ)".
    #[serde(skip_serializing_if = "Option::is_none")]
    matched_old_name: Option<String>,
}

/// `GET /api/v1/communes?q=phuc xa` — 2025 communes by name, or by the name of a unit that
/// merged into them.
#[utoipa::path(get, path = "/api/v1/communes", tag = "reference", security(()), params(CommuneParams),
    responses((status = 200, description = "Xã, phường, đặc khu; tên cũ (trước 2025) cũng tìm được — communes; pre-2025 names resolve", body = Vec<CommuneHit>), Invalid))]
pub async fn communes(Params(params): Params<CommuneParams>) -> Json<Vec<CommuneHit>> {
    let admin = AdminCatalog::embedded();
    let wanted = params.q.as_deref().map(fold).unwrap_or_default();
    let limit = params.limit.unwrap_or(50).clamp(1, 500);
    let in_province = |c: &Commune| params.province.as_deref().is_none_or(|p| c.province_code.as_str() == p);
    let mut hits: Vec<CommuneHit> = admin
        .communes()
        .iter()
        .filter(|c| in_province(c) && (wanted.is_empty() || fold(&c.name).contains(&wanted)))
        .take(limit)
        .map(|c| CommuneHit { commune: c.clone(), matched_old_name: None })
        .collect();
    if !wanted.is_empty() && hits.len() < limit {
        for old in admin.legacy_communes() {
            let Some(name) = old.old_name.as_deref() else { continue };
            if !fold(name).contains(&wanted) || hits.iter().any(|h| h.commune.code == old.new_code) {
                continue;
            }
            if let Some(new) = admin.commune(&old.new_code).filter(|c| in_province(c)) {
                hits.push(CommuneHit { commune: new.clone(), matched_old_name: Some(format!("{name}, {} (cũ)", old.old_district_name)) });
                if hits.len() == limit {
                    break;
                }
            }
        }
    }
    Json(hits)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccupationParams {
    /// Label (diacritics optional) or code prefix.
    q: Option<String>,
    /// 1–4: major group … unit group.
    level: Option<u8>,
}

/// `GET /api/v1/occupations?q=han` — ISCO-08 groups with Vietnamese labels.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "reference", security(()), params(OccupationParams),
    responses((status = 200, description = "Nhóm nghề ISCO-08 với tên tiếng Việt — occupations", body = Vec<Occupation>), Invalid))]
pub async fn occupations(Params(params): Params<OccupationParams>) -> Json<Vec<Occupation>> {
    let wanted = params.q.as_deref().map(fold).unwrap_or_default();
    Json(
        OccupationCatalog::embedded()
            .all()
            .iter()
            .filter(|o| params.level.is_none_or(|level| o.code.as_str().len() == usize::from(level)))
            .filter(|o| wanted.is_empty() || fold(&o.label_vi).contains(&wanted) || o.code.as_str().starts_with(&wanted))
            .cloned()
            .collect(),
    )
}
