//! A planner's sketch of the plan itself: changes to plan features kept in the project as
//! overrides keyed by the feature's stable id, on top of the baseline in `layers/`, which is
//! never written. Opening a project applies them to the plan edition in use; an override whose
//! baseline feature is gone is kept, and reported as orphaned.

use std::collections::BTreeMap;

use geo::Geometry;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::feature::{FeatureId, PlanFeature};
use super::plan::Plan;
use super::project::PlacementGeometry;

/// The plan layers a project may sketch.
pub const EDITABLE_LAYERS: [&str; 5] = [
    "corridors",
    "greenways",
    "blueways",
    "ecological",
    "sections",
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PlanOverride {
    /// A new feature of a plan layer.
    Added {
        layer: String,
        name_zh: String,
        name_en: String,
        /// The `kind` property (styles vary by it), e.g. `primary` for a corridor.
        #[serde(default)]
        kind: String,
        geometry: PlacementGeometry,
    },
    /// A baseline feature with a new geometry and/or names.
    Modified {
        layer: String,
        #[serde(default)]
        geometry: Option<PlacementGeometry>,
        #[serde(default)]
        name_zh: Option<String>,
        #[serde(default)]
        name_en: Option<String>,
    },
    /// A baseline feature taken out.
    Removed { layer: String },
}

impl PlanOverride {
    pub fn layer(&self) -> &str {
        match self {
            Self::Added { layer, .. } | Self::Modified { layer, .. } | Self::Removed { layer } => {
                layer
            }
        }
    }

    pub fn kind_str(&self) -> &'static str {
        match self {
            Self::Added { .. } => "added",
            Self::Modified { .. } => "modified",
            Self::Removed { .. } => "removed",
        }
    }
}

/// The plan as a project sketches it.
#[derive(Clone, Debug)]
pub struct EffectivePlan {
    pub plan: Plan,
    /// Overrides whose baseline feature (or layer) does not exist in this edition.
    pub orphans: Vec<String>,
    /// Features drawn as sketches (added or modified), with what happened to them.
    pub sketched: BTreeMap<FeatureId, &'static str>,
    /// Baseline features the project removed.
    pub removed: Vec<FeatureId>,
}

/// A plan geometry as an editable one, when it is a point, a line or a polygon.
pub fn editable_geometry(g: &Geometry<f64>) -> Option<PlacementGeometry> {
    let pos = |c: &geo::Coord<f64>| (c.x, c.y);
    match g {
        Geometry::Point(p) => Some(PlacementGeometry::Point(pos(&p.0))),
        Geometry::LineString(l) => {
            Some(PlacementGeometry::LineString(l.0.iter().map(pos).collect()))
        }
        Geometry::Polygon(p) => Some(PlacementGeometry::Polygon(
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| r.0.iter().map(pos).collect())
                .collect(),
        )),
        _ => None,
    }
}

/// Applies `overrides` to `base`.
pub fn apply(base: &Plan, overrides: &BTreeMap<String, PlanOverride>) -> EffectivePlan {
    let mut plan = base.clone();
    let mut out = EffectivePlan {
        plan: Plan::new(base.region),
        orphans: Vec::new(),
        sketched: BTreeMap::new(),
        removed: Vec::new(),
    };
    for (id, o) in overrides {
        let fid = FeatureId(id.clone());
        let Some(layer) = plan.layers.get_mut(o.layer()) else {
            out.orphans.push(id.clone());
            continue;
        };
        let at = layer.features.iter().position(|f| f.id == fid);
        match (o, at) {
            (PlanOverride::Removed { .. }, Some(i)) => {
                layer.features.remove(i);
                out.removed.push(fid);
            }
            (
                PlanOverride::Modified {
                    geometry,
                    name_zh,
                    name_en,
                    ..
                },
                Some(i),
            ) => {
                let f = &mut layer.features[i];
                if let Some(g) = geometry {
                    f.geometry = g.to_geo();
                }
                if let Some(n) = name_zh {
                    f.properties
                        .insert("name_zh".into(), Value::String(n.clone()));
                }
                if let Some(n) = name_en {
                    f.properties
                        .insert("name_en".into(), Value::String(n.clone()));
                }
                mark_sketch(f);
                out.sketched.insert(fid, "modified");
            }
            (
                PlanOverride::Added {
                    layer: layer_id,
                    name_zh,
                    name_en,
                    kind,
                    geometry,
                },
                None,
            ) => {
                let mut properties = BTreeMap::new();
                let mut put = |k: &str, v: &str| {
                    properties.insert(k.to_owned(), Value::String(v.to_owned()));
                };
                put("id", id);
                put("name_zh", name_zh);
                put("name_en", name_en);
                put("kind", kind);
                let mut f = PlanFeature {
                    id: fid.clone(),
                    layer: layer_id.clone(),
                    geometry: geometry.to_geo(),
                    properties,
                };
                mark_sketch(&mut f);
                layer.features.push(f);
                out.sketched.insert(fid, "added");
            }
            // Modified or removed with no baseline feature, or added over an existing one.
            _ => out.orphans.push(id.clone()),
        }
    }
    out.plan = plan;
    out
}

/// A sketched feature says so: it is ours, not the plan's.
fn mark_sketch(f: &mut PlanFeature) {
    f.properties
        .insert("status".into(), Value::String("indicative".into()));
    f.properties.insert(
        "source".into(),
        Value::String("sketched in a OneMap project (override of the plan layer)".into()),
    );
}
