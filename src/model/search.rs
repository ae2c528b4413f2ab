//! Finding features and places by Chinese or English name.

use geo::{BoundingRect, Coord, Rect};

use super::basemap::Basemap;
use super::feature::FeatureId;
use super::plan::Plan;

/// One search result. Basemap places have no feature id: choosing one only moves the map.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub feature: Option<FeatureId>,
    pub name_zh: String,
    pub name_en: String,
    /// The layer id, or `basemap` for places.
    pub layer: String,
    pub bbox: Rect<f64>,
}

/// Layers whose hits come first, in this order; other plan layers follow, then basemap places.
const PREFERRED_LAYERS: [&str; 3] = ["cities", "urban_tiers", "sections"];

/// Hits for `query` (case-insensitive substring of either name), best first: exact names
/// before partial ones, then by layer preference, then by name. At most `limit` hits.
pub fn search(
    plan: &Plan,
    extra: &[super::feature::PlanFeature],
    basemap: &Basemap,
    query: &str,
    limit: usize,
) -> Vec<SearchHit> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, usize, SearchHit)> = Vec::new();
    let rank_of = |zh: &str, en: &str| -> Option<u8> {
        let (zh, en) = (zh.to_lowercase(), en.to_lowercase());
        if zh == q || en == q {
            Some(0)
        } else if zh.starts_with(&q) || en.starts_with(&q) {
            Some(1)
        } else if zh.contains(&q) || en.contains(&q) {
            Some(2)
        } else {
            None
        }
    };
    for f in plan.features().chain(extra.iter()) {
        let Some(rank) = rank_of(f.name_zh(), f.name_en()) else {
            continue;
        };
        let layer_rank = PREFERRED_LAYERS
            .iter()
            .position(|l| *l == f.layer)
            .unwrap_or(PREFERRED_LAYERS.len());
        let Some(bbox) = f.geometry.bounding_rect() else {
            continue;
        };
        hits.push((
            rank,
            layer_rank,
            SearchHit {
                feature: Some(f.id.clone()),
                name_zh: f.name_zh().to_owned(),
                name_en: f.name_en().to_owned(),
                layer: f.layer.clone(),
                bbox,
            },
        ));
    }
    for p in &basemap.places {
        if let Some(rank) = rank_of(&p.name_zh, &p.name_en) {
            let c: Coord<f64> = p.position.0;
            hits.push((
                rank,
                PREFERRED_LAYERS.len() + 1,
                SearchHit {
                    feature: None,
                    name_zh: p.name_zh.clone(),
                    name_en: p.name_en.clone(),
                    layer: "basemap".into(),
                    bbox: Rect::new(c, c),
                },
            ));
        }
    }
    hits.sort_by(|a, b| (a.0, a.1, &a.2.name_en).cmp(&(b.0, b.1, &b.2.name_en)));
    hits.into_iter().take(limit).map(|(_, _, h)| h).collect()
}
