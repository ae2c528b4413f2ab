//! Plan checks: does a placement respect the plan? The plan's central rule is "ecology first":
//! building space must not take ecological space. Each finding has a stable id, so that an
//! acknowledgement (a planner's written justification) stays attached to it across saves.

use geo::indexed::IntervalTreeMultiPolygon;
use geo::{
    BooleanOps, BoundingRect, Contains, Geometry, Intersects, LineString, MultiLineString,
    MultiPolygon, Point, Polygon, Rect,
};
use serde::Serialize;

use super::edition::Edition;
use super::finding_text::{AreaName, FindingText, Names, Says};
use super::indicative::is_indicative;
use super::lang::UiLanguage;
use super::plan::Plan;
use super::project::{PlacementGeometry, Project};
use super::spatial::{IndexedGeometry, clip_to_rect};

/// How far (m) a greenway or blue way's end may be from the existing network.
pub const CONNECT_TOLERANCE_M: f64 = 1000.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A building-type placement takes ecological core space.
    EcologicalCore,
    /// A line placement crosses a water-source protection area.
    WaterSource,
    /// A placement lies partly or wholly outside the plan area.
    OutsidePlanArea,
    /// The declared section does not touch the geometry.
    SectionMismatch,
    /// The declared lead city does not touch the geometry.
    LeadCityMismatch,
    /// A greenway or blue way does not connect to the network.
    Disconnected,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcologicalCore => "ecological_core",
            Self::WaterSource => "water_source",
            Self::OutsidePlanArea => "outside_plan_area",
            Self::SectionMismatch => "section_mismatch",
            Self::LeadCityMismatch => "lead_city_mismatch",
            Self::Disconnected => "disconnected",
        }
    }

    /// The rule's name in the interface language, as the Checks panel tags a finding.
    pub fn title(self, lang: UiLanguage) -> &'static str {
        let (zh, en) = match self {
            Self::EcologicalCore => ("生态核心区", "ecological core"),
            Self::WaterSource => ("水源保护区", "water source"),
            Self::OutsidePlanArea => ("规划范围", "plan area"),
            Self::SectionMismatch => ("所在板块", "zone"),
            Self::LeadCityMismatch => ("牵头城市", "lead city"),
            Self::Disconnected => ("网络连通", "network"),
        };
        lang.pick(zh, en)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// `rule:placement[:other feature]`, stable across runs.
    pub id: String,
    pub rule: Rule,
    pub placement: String,
    /// What `onemap check` prints: English sentences with the Chinese names (a contract).
    pub message: String,
    /// The same finding as data, to be said in the interface language.
    #[serde(skip)]
    pub text: FindingText,
    /// Lon/lat box to zoom to: west, south, east, north.
    pub bbox: [f64; 4],
    /// Overlapping area in km², where the rule is about areas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlap_km2: Option<f64>,
}

impl Finding {
    /// What the finding says, in the interface language.
    pub fn in_language(&self, lang: UiLanguage) -> String {
        self.text.in_language(lang)
    }
}

/// An area of the plan that placements are checked against.
struct Area {
    id: String,
    /// Its names, and whether it is our sketch (`status: indicative`): findings say so.
    name: AreaName,
    shape: MultiPolygon<f64>,
    /// The same shape as a geometry, for [`IndexedGeometry::intersects`].
    geometry: Geometry<f64>,
}

fn polygons(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        _ => MultiPolygon(vec![]),
    }
}

fn bbox_of(g: &Geometry<f64>) -> [f64; 4] {
    g.bounding_rect()
        .map_or([0.0; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y])
}

/// Every finding for the project's placements, in placement order.
pub fn run_checks(project: &Project, plan: &Plan, edition: &Edition) -> Vec<Finding> {
    // Placements are checked against the plan as the project sketches it.
    let effective = super::overrides::apply(plan, &project.plan_overrides);
    let plan = &effective.plan;
    let feature_polys = |layer: &str, keep: &dyn Fn(&super::PlanFeature) -> bool| -> Vec<Area> {
        plan.layer(layer)
            .map(|l| {
                l.features
                    .iter()
                    .filter(|f| keep(f))
                    .map(|f| {
                        let shape = polygons(&f.geometry);
                        Area {
                            id: f.id.0.clone(),
                            name: AreaName {
                                names: Names::new(f.name_zh(), f.name_en()),
                                sketched: is_indicative(f),
                            },
                            geometry: Geometry::MultiPolygon(shape.clone()),
                            shape,
                        }
                    })
                    .filter(|a| !a.shape.0.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let cores = feature_polys("ecological", &|f| f.text("protection") == "core");
    let water = feature_polys("blueways", &|f| f.kind() == "water_source");
    let cities = feature_polys("city_boundaries", &|_| true);
    let sections = feature_polys("sections", &|_| true);
    let network = |layer: &str| -> Vec<LineString<f64>> {
        plan.layer(layer)
            .map(|l| {
                l.features
                    .iter()
                    .flat_map(|f| lines_of(&f.geometry))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The plan area's waters are the zones' outlines: say so when those are sketched.
    let waters_sketched = sections.iter().any(|a| a.name.sketched);
    // The plan area is the nine territories plus the waters of the five zones: Tianditu's
    // territories stop at the shore, while the plan covers about 4.7万 km² of sea as well.
    // Every position of every placement is looked up in these: indexed once, each lookup
    // costs about the logarithm of the outline's size.
    let plan_area: Vec<(Rect<f64>, IntervalTreeMultiPolygon<f64>)> = cities
        .iter()
        .chain(sections.iter())
        .filter_map(|a| {
            Some((
                a.shape.bounding_rect()?,
                IntervalTreeMultiPolygon::new(&a.shape),
            ))
        })
        .collect();
    let in_plan_area = |pt: &Point<f64>| {
        plan_area
            .iter()
            .any(|(bbox, area)| bbox.intersects(pt) && area.contains(pt))
    };
    let mut out = Vec::new();
    for (id, p) in &project.placements {
        let g = p.geometry.to_geo();
        // A placement may be a huge outline: its segments are indexed once for all the
        // plan features it is tested against.
        let indexed = IndexedGeometry::new(&g);
        let bbox = bbox_of(&g);
        let subject = Names::new(&p.name_zh, &p.name_en);
        let mut find = |rule: Rule, other: Option<&str>, says: Says, overlap_km2: Option<f64>| {
            let id_text = match other {
                Some(o) => format!("{}:{}:{o}", rule.as_str(), id.0),
                None => format!("{}:{}", rule.as_str(), id.0),
            };
            let text = FindingText {
                subject: subject.clone(),
                says,
            };
            out.push(Finding {
                id: id_text,
                rule,
                placement: id.0.clone(),
                message: text.message(),
                text,
                bbox,
                overlap_km2,
            });
        };
        let building = edition.action(&p.action).is_some_and(|a| a.building);
        if building {
            for core_area in &cores {
                let (core_id, core) = (&core_area.id, &core_area.shape);
                let core_name = &core_area.name;
                if !indexed.intersects(&core_area.geometry) {
                    continue;
                }
                match &p.geometry {
                    PlacementGeometry::Polygon(_) => {
                        // Only the placement's part near the core takes part in the overlay.
                        let near = match core.bounding_rect() {
                            Some(r) => clip_to_rect(&polygons(&g), r),
                            None => MultiPolygon(vec![]),
                        };
                        let overlap = super::measure::area_km2(&near.intersection(core));
                        find(
                            Rule::EcologicalCore,
                            Some(core_id),
                            Says::TakesCore {
                                core: core_name.clone(),
                                km2: overlap,
                            },
                            Some(overlap),
                        );
                    }
                    PlacementGeometry::LineString(l) => {
                        let inside = core.clip(&MultiLineString(vec![line(l)]), false);
                        let km: f64 = inside.0.iter().map(super::measure::length_km).sum();
                        find(
                            Rule::EcologicalCore,
                            Some(core_id),
                            Says::RunsThroughCore {
                                core: core_name.clone(),
                                km,
                                corridor: false,
                            },
                            Some(0.0),
                        );
                    }
                    PlacementGeometry::Point(_) => {
                        find(
                            Rule::EcologicalCore,
                            Some(core_id),
                            Says::InsideCore {
                                core: core_name.clone(),
                            },
                            Some(0.0),
                        );
                    }
                }
            }
        }
        if let PlacementGeometry::LineString(_) = &p.geometry {
            for w in &water {
                if indexed.intersects(&w.geometry) {
                    find(
                        Rule::WaterSource,
                        Some(&w.id),
                        Says::CrossesWater {
                            water: w.name.clone(),
                            corridor: false,
                        },
                        None,
                    );
                }
            }
        }
        let positions: Vec<Point<f64>> = p.geometry.positions().map(Point::from).collect();
        let outside = positions.iter().filter(|pt| !in_plan_area(pt)).count();
        if outside == positions.len() {
            find(
                Rule::OutsidePlanArea,
                None,
                Says::WhollyOutside { waters_sketched },
                None,
            );
        } else if outside > 0 {
            find(
                Rule::OutsidePlanArea,
                None,
                Says::PartlyOutside {
                    outside,
                    of: positions.len(),
                    waters_sketched,
                },
                None,
            );
        }
        if let Some(section) = &p.section
            && let Some(zone) = sections.iter().find(|a| &a.id == section)
            && !indexed.intersects(&zone.geometry)
        {
            find(
                Rule::SectionMismatch,
                None,
                Says::SectionMismatch {
                    zone: zone.name.clone(),
                },
                None,
            );
        }
        if let Some(lead) = &p.lead_city
            && let Some(city) = cities.iter().find(|a| &a.id == lead)
            && !indexed.intersects(&city.geometry)
        {
            find(
                Rule::LeadCityMismatch,
                None,
                Says::LeadCityMismatch {
                    city: city.name.clone(),
                },
                None,
            );
        }
        let network_layer = match p.action.as_str() {
            "greenways" => Some("greenways"),
            "blueways" => Some("blueways"),
            _ => None,
        };
        if let (Some(layer), PlacementGeometry::LineString(l)) = (network_layer, &p.geometry) {
            let mut net = network(layer);
            for (other_id, other) in &project.placements {
                if other_id != id && other.action == p.action {
                    net.extend(lines_of(&other.geometry.to_geo()));
                }
            }
            let ends = [l.first(), l.last()];
            let loose: Vec<f64> = ends
                .into_iter()
                .flatten()
                .map(|c| distance_to_network(Point::from(*c), &net))
                .filter(|d| *d > CONNECT_TOLERANCE_M)
                .collect();
            if let Some(worst) = loose.iter().copied().reduce(f64::max) {
                find(
                    Rule::Disconnected,
                    None,
                    Says::Disconnected { km: worst / 1000.0 },
                    None,
                );
            }
        }
    }
    sketch_checks(&effective, &cores, &water, &mut out);
    out
}

/// Sketched corridors (building space, like the transport placements) against the ecological
/// cores and the water sources.
fn sketch_checks(
    effective: &super::overrides::EffectivePlan,
    cores: &[Area],
    water: &[Area],
    out: &mut Vec<Finding>,
) {
    for fid in effective.sketched.keys() {
        let Some(f) = effective.plan.feature(fid) else {
            continue;
        };
        if f.layer != "corridors" {
            continue;
        }
        let lines = MultiLineString(lines_of(&f.geometry));
        let bbox = bbox_of(&f.geometry);
        let indexed = IndexedGeometry::new(&f.geometry);
        let subject = Names::new(f.name_zh(), f.name_en());
        let mut push = |rule: Rule, other: &str, says: Says, overlap_km2: Option<f64>| {
            let text = FindingText {
                subject: subject.clone(),
                says,
            };
            out.push(Finding {
                id: format!("{}:{}:{other}", rule.as_str(), fid.0),
                rule,
                placement: fid.0.clone(),
                message: text.message(),
                text,
                bbox,
                overlap_km2,
            });
        };
        for core_area in cores {
            let (core_id, core) = (&core_area.id, &core_area.shape);
            if !indexed.intersects(&core_area.geometry) {
                continue;
            }
            let km: f64 = core
                .clip(&lines, false)
                .0
                .iter()
                .map(super::measure::length_km)
                .sum();
            push(
                Rule::EcologicalCore,
                core_id,
                Says::RunsThroughCore {
                    core: core_area.name.clone(),
                    km,
                    corridor: true,
                },
                Some(0.0),
            );
        }
        for w in water {
            if indexed.intersects(&w.geometry) {
                push(
                    Rule::WaterSource,
                    &w.id,
                    Says::CrossesWater {
                        water: w.name.clone(),
                        corridor: true,
                    },
                    None,
                );
            }
        }
    }
}

fn line(pts: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(pts.to_vec())
}

fn lines_of(g: &Geometry<f64>) -> Vec<LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l.clone()],
        Geometry::MultiLineString(m) => m.0.clone(),
        Geometry::Polygon(p) => vec![p.exterior().clone()],
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .map(|p: &Polygon<f64>| p.exterior().clone())
                .collect()
        }
        _ => vec![],
    }
}

/// Metres from a point to the nearest line of the network (infinite when there is none).
fn distance_to_network(p: Point<f64>, net: &[LineString<f64>]) -> f64 {
    net.iter()
        .filter_map(|l| super::measure::distance_to_line_m(p, l))
        .fold(f64::INFINITY, f64::min)
}

/// Findings nobody has acknowledged yet.
pub fn unacknowledged<'a>(findings: &'a [Finding], project: &Project) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| !project.acknowledgements.contains_key(&f.id))
        .collect()
}
