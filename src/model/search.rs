//! Finding features and places by Chinese or English name. One place is one hit: the city
//! seat, its tier node, its territory and the basemap's place name of 苏州 are found together,
//! as a city, and shown with the extent of its territory.

use std::collections::BTreeMap;

use geo::{BoundingRect, Coord, Rect};

use super::basemap::Basemap;
use super::feature::{FeatureId, PlanFeature};
use super::plan::Plan;

/// What a hit is, said in words rather than by a layer id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    /// A city of the plan (its seat, its node of the urban system, its territory).
    City,
    /// A territory without a city of the plan.
    AdminArea,
    /// A place name of the basemap (a town or district).
    PlaceName,
    /// A lake, river or sea named on the basemap.
    Water,
    /// A feature of another plan layer or of the project: the layer's id, for its name.
    Layer(String),
}

impl HitKind {
    /// The kind in words, Chinese and English; a plan layer is named by the caller, which has
    /// the style.
    pub fn words(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::City => Some(("城市", "City")),
            Self::AdminArea => Some(("行政区", "Administrative area")),
            Self::PlaceName => Some(("地名", "Place name")),
            Self::Water => Some(("水体", "Lake or river")),
            Self::Layer(_) => None,
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub name_zh: String,
    pub name_en: String,
    pub kind: HitKind,
    /// The feature choosing the hit selects (a city: its seat); basemap places have none.
    pub feature: Option<FeatureId>,
    /// What choosing the hit brings into view: a city, the extent of its territory.
    pub bbox: Rect<f64>,
}

/// The plan layers whose features are places, merged by name with the basemap's places.
const CITY_LAYERS: [&str; 2] = ["cities", "urban_tiers"];
const TERRITORY_LAYER: &str = "city_boundaries";

/// How well a name matches: exact (0), prefix (1), substring (2).
fn rank_of(q: &str, zh: &str, en: &str) -> Option<u8> {
    let (zh, en) = (zh.to_lowercase(), en.to_lowercase());
    if zh == q || en == q {
        Some(0)
    } else if zh.starts_with(q) || en.starts_with(q) {
        Some(1)
    } else if zh.contains(q) || en.contains(q) {
        Some(2)
    } else {
        None
    }
}

/// The pieces of one place found under one name, before they become a hit.
#[derive(Default)]
struct Place {
    name_en: String,
    rank: u8,
    city: Option<FeatureId>,
    territory: Option<(FeatureId, Rect<f64>)>,
    basemap_place: bool,
    water: bool,
    bbox: Option<Rect<f64>>,
}

impl Place {
    fn add(&mut self, rank: u8, name_en: &str, bbox: Rect<f64>) {
        if self.name_en.is_empty() {
            self.name_en = name_en.to_owned();
        }
        self.rank = if self.bbox.is_none() {
            rank
        } else {
            self.rank.min(rank)
        };
        self.bbox = Some(self.bbox.map_or(bbox, |b| union(b, bbox)));
    }

    fn into_hit(self, name_zh: String) -> Option<(u8, SearchHit)> {
        let kind = if self.city.is_some() {
            HitKind::City
        } else if self.territory.is_some() {
            HitKind::AdminArea
        } else if self.basemap_place {
            HitKind::PlaceName
        } else {
            HitKind::Water
        };
        let bbox = match &self.territory {
            Some((_, extent)) => *extent,
            None => self.bbox?,
        };
        let feature = self.city.or(self.territory.map(|(id, _)| id));
        let hit = SearchHit {
            name_zh,
            name_en: self.name_en,
            kind,
            feature,
            bbox,
        };
        Some((self.rank, hit))
    }
}

fn union(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

fn point_box(c: Coord<f64>) -> Rect<f64> {
    Rect::new(c, c)
}

/// Hits for `query` (case-insensitive substring of either name), best first: exact names before
/// partial ones, then cities, territories, place names, water and other features, then by
/// name. At most `limit` hits.
pub fn search(
    plan: &Plan,
    extra: &[PlanFeature],
    basemap: &Basemap,
    query: &str,
    limit: usize,
) -> Vec<SearchHit> {
    search_among(plan, extra, &[], basemap, query, limit)
}

/// Like [`search`], among two lists of the project's features (its own, and data layers'
/// features put in map form for the search).
pub fn search_among(
    plan: &Plan,
    extra: &[PlanFeature],
    more: &[PlanFeature],
    basemap: &Basemap,
    query: &str,
    limit: usize,
) -> Vec<SearchHit> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut places: BTreeMap<String, Place> = BTreeMap::new();
    let mut others: Vec<(u8, SearchHit)> = Vec::new();
    for f in plan.features().chain(extra).chain(more) {
        let (Some(rank), Some(bbox)) = (
            rank_of(&q, f.name_zh(), f.name_en()),
            f.geometry.bounding_rect(),
        ) else {
            continue;
        };
        let is_place = CITY_LAYERS.contains(&f.layer.as_str()) || f.layer == TERRITORY_LAYER;
        if is_place && !f.name_zh().is_empty() {
            let place = places.entry(f.name_zh().to_owned()).or_default();
            place.add(rank, f.name_en(), bbox);
            if f.layer == TERRITORY_LAYER {
                place.territory = Some((f.id.clone(), bbox));
            } else if f.layer == CITY_LAYERS[0] || place.city.is_none() {
                // The seat in `cities` is the city; a tier node stands in where there is none.
                place.city = Some(f.id.clone());
            }
            continue;
        }
        let hit = SearchHit {
            name_zh: f.name_zh().to_owned(),
            name_en: f.name_en().to_owned(),
            kind: HitKind::Layer(f.layer.clone()),
            feature: Some(f.id.clone()),
            bbox,
        };
        others.push((rank, hit));
    }
    add_basemap(&mut places, &mut others, basemap, &q);
    let mut hits: Vec<(u8, SearchHit)> = places
        .into_iter()
        .filter_map(|(name_zh, place)| place.into_hit(name_zh))
        .chain(others)
        .collect();
    hits.sort_by(|a, b| {
        (a.0, &a.1.kind, &a.1.name_en, &a.1.name_zh).cmp(&(
            b.0,
            &b.1.kind,
            &b.1.name_en,
            &b.1.name_zh,
        ))
    });
    hits.into_iter().take(limit).map(|(_, h)| h).collect()
}

/// The basemap's place names, lakes and water names, merged into the places found by name.
/// A town (a place shown from some zoom on) is a hit of its own unless the plan has a place of
/// its name: many towns share a name (seven 新桥), and one hit spanning them all would zoom
/// out to half the region.
fn add_basemap(
    places: &mut BTreeMap<String, Place>,
    others: &mut Vec<(u8, SearchHit)>,
    basemap: &Basemap,
    q: &str,
) {
    for p in &basemap.places {
        if let Some(rank) = rank_of(q, &p.name_zh, &p.name_en) {
            if p.min_zoom.is_some() && !places.contains_key(&p.name_zh) {
                others.push((
                    rank,
                    SearchHit {
                        name_zh: p.name_zh.clone(),
                        name_en: p.name_en.clone(),
                        kind: HitKind::PlaceName,
                        feature: None,
                        bbox: point_box(p.position.0),
                    },
                ));
                continue;
            }
            let place = places.entry(p.name_zh.clone()).or_default();
            place.add(rank, &p.name_en, point_box(p.position.0));
            place.basemap_place = true;
        }
    }
    for lake in basemap.lakes.iter().filter(|l| !l.name_zh.is_empty()) {
        if let (Some(rank), Some(bbox)) = (
            rank_of(q, &lake.name_zh, &lake.name_en),
            lake.shape.bounding_rect(),
        ) {
            let place = places.entry(lake.name_zh.clone()).or_default();
            place.add(rank, &lake.name_en, bbox);
            place.water = true;
        }
    }
    for w in &basemap.water_labels {
        if let Some(rank) = rank_of(q, &w.name_zh, &w.name_en) {
            let place = places.entry(w.name_zh.clone()).or_default();
            place.add(rank, &w.name_en, point_box(w.position.0));
            place.water = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::basemap::{BasemapPlace, Lake, PlaceKind};
    use crate::model::plan::PlanLayer;
    use geo::{Geometry, Point, polygon};

    fn feature(layer: &str, id: &str, zh: &str, en: &str, geometry: Geometry<f64>) -> PlanFeature {
        let json = serde_json::json!({"id": id, "name_zh": zh, "name_en": en});
        let properties = json.as_object().unwrap().clone().into_iter().collect();
        PlanFeature {
            id: FeatureId(id.into()),
            layer: layer.into(),
            geometry,
            properties,
        }
    }

    fn plan_of(layers: Vec<(&str, PlanFeature)>) -> Plan {
        let mut plan = Plan::new(crate::model::Region::SHANGHAI_METROPOLITAN_AREA);
        for (id, f) in layers {
            plan.layers
                .entry(id.to_owned())
                .or_insert_with(|| PlanLayer {
                    id: id.to_owned(),
                    ..Default::default()
                })
                .features
                .push(f);
        }
        plan
    }

    fn square(x: f64, y: f64, size: f64) -> Geometry<f64> {
        Geometry::Polygon(polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
        ])
    }

    fn territory() -> PlanFeature {
        let shape = square(120.0, 30.8, 1.0);
        feature("city_boundaries", "city.suzhou", "苏州", "Suzhou", shape)
    }

    fn suzhou() -> (Plan, Basemap) {
        let seat = Geometry::Point(Point::new(120.6, 31.3));
        let plan = plan_of(vec![
            (
                "cities",
                feature("cities", "city.suzhou", "苏州", "Suzhou", seat.clone()),
            ),
            (
                "urban_tiers",
                feature("urban_tiers", "tier.suzhou", "苏州", "Suzhou", seat),
            ),
            ("city_boundaries", territory()),
            (
                "greenways",
                feature(
                    "greenways",
                    "greenway.suzhou_creek",
                    "上海市级3号绿道（苏州河）",
                    "Suzhou Creek greenway",
                    Geometry::Point(Point::new(121.4, 31.2)),
                ),
            ),
        ]);
        let basemap = Basemap {
            places: vec![BasemapPlace {
                name_zh: "苏州".into(),
                name_en: "Suzhou".into(),
                kind: PlaceKind::Prefecture,
                position: Point::new(120.62, 31.31),
                min_zoom: None,
                source: String::new(),
            }],
            lakes: vec![Lake {
                name_zh: "淀山湖".into(),
                name_en: "Dianshan Lake".into(),
                shape: polygon![(x: 120.9, y: 31.05), (x: 121.0, y: 31.05), (x: 121.0, y: 31.15)],
            }],
            ..Default::default()
        };
        (plan, basemap)
    }

    #[test]
    fn a_city_is_one_hit_that_shows_its_territory() {
        let (plan, basemap) = suzhou();
        for query in ["苏州", "suzhou"] {
            let hits = search(&plan, &[], &basemap, query, 12);
            let cities: Vec<_> = hits.iter().filter(|h| h.name_zh == "苏州").collect();
            assert_eq!(cities.len(), 1, "{query}: {hits:?}");
            let city = cities[0];
            assert_eq!(city.kind, HitKind::City);
            assert_eq!(city.feature, Some(FeatureId("city.suzhou".into())));
            assert_eq!(city.bbox, square(120.0, 30.8, 1.0).bounding_rect().unwrap());
            assert_eq!(hits[0].name_zh, "苏州", "the exact name comes first");
        }
        let hits = search(&plan, &[], &basemap, "苏州", 12);
        assert_eq!(hits.len(), 2, "the city and the greenway: {hits:?}");
        assert_eq!(hits[1].kind, HitKind::Layer("greenways".into()));
    }

    #[test]
    fn towns_of_one_name_are_hits_of_their_own() {
        let (plan, mut basemap) = suzhou();
        for (x, y) in [(120.5, 31.0), (121.4, 31.8)] {
            basemap.places.push(BasemapPlace {
                name_zh: "新桥".into(),
                name_en: "Xinqiao".into(),
                kind: PlaceKind::Town,
                position: Point::new(x, y),
                min_zoom: Some(10.0),
                source: "GeoNames cities500".into(),
            });
        }
        let hits = search(&plan, &[], &basemap, "新桥", 12);
        assert_eq!(hits.len(), 2, "{hits:?}");
        for hit in &hits {
            assert_eq!(hit.kind, HitKind::PlaceName);
            assert_eq!(hit.bbox.width(), 0.0, "one town, not the box of both");
        }
    }

    #[test]
    fn a_territory_alone_is_an_administrative_area_and_a_basemap_name_a_place_name() {
        let (plan, mut basemap) = suzhou();
        basemap.places.push(BasemapPlace {
            name_zh: "昆山".into(),
            name_en: "Kunshan".into(),
            kind: PlaceKind::County,
            position: Point::new(120.95, 31.38),
            min_zoom: None,
            source: String::new(),
        });
        let hits = search(&plan, &[], &basemap, "Kunshan", 12);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, HitKind::PlaceName);
        assert_eq!(hits[0].feature, None);
        let only_territory = plan_of(vec![("city_boundaries", territory())]);
        let hits = search(&only_territory, &[], &Basemap::default(), "苏州", 12);
        assert_eq!(hits[0].kind, HitKind::AdminArea);
    }

    #[test]
    fn a_named_lake_of_the_basemap_is_found_with_its_extent() {
        let (plan, basemap) = suzhou();
        let hits = search(&plan, &[], &basemap, "淀山湖", 12);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].kind, HitKind::Water);
        assert_eq!(
            hits[0].bbox,
            basemap.lakes[0].shape.bounding_rect().unwrap()
        );
        assert_eq!(search(&plan, &[], &basemap, "dianshan", 12).len(), 1);
    }
}
