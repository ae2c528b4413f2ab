//! What the legend and the layers panel say of each data layer, worked out once when the
//! project's overlay is built rather than from every feature in every frame: how many features
//! it has, which of them are marked sourced or indicative, and which kinds of geometry it holds.

use std::collections::BTreeMap;

use geo::Geometry;

use crate::model::PlanFeature;
use crate::model::feature::Status;

/// The kinds of geometry a data layer holds, which its swatch shows: a data layer's paint has a
/// point symbol, a fill and a stroke whatever its features are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeometryKinds {
    pub points: bool,
    pub lines: bool,
    pub polygons: bool,
}

impl GeometryKinds {
    /// The kinds among `geometries`.
    pub fn of<'a>(geometries: impl IntoIterator<Item = &'a Geometry<f64>>) -> Self {
        let mut kinds = Self::default();
        for g in geometries {
            kinds = kinds.or(Self::of_one(g));
        }
        kinds
    }

    fn of_one(g: &Geometry<f64>) -> Self {
        use Geometry as G;
        let mut kinds = Self::default();
        match g {
            G::Point(_) | G::MultiPoint(_) => kinds.points = true,
            G::Line(_) | G::LineString(_) | G::MultiLineString(_) => kinds.lines = true,
            G::Polygon(_) | G::MultiPolygon(_) | G::Rect(_) | G::Triangle(_) => {
                kinds.polygons = true
            }
            G::GeometryCollection(c) => kinds = Self::of(&c.0),
        }
        kinds
    }

    pub fn or(self, other: Self) -> Self {
        Self {
            points: self.points || other.points,
            lines: self.lines || other.lines,
            polygons: self.polygons || other.polygons,
        }
    }
}

/// One data layer, summed up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DataLayerSummary {
    pub features: usize,
    /// Features not marked `status: indicative` (shown when the view hides sketches).
    pub not_indicative: usize,
    /// Whether any feature is marked `status: sourced`, and any `indicative`.
    pub sourced: bool,
    pub indicative: bool,
    pub geometry: GeometryKinds,
}

impl DataLayerSummary {
    /// Counts one more feature of the layer.
    pub fn add(&mut self, f: &PlanFeature) {
        self.features += 1;
        match f.status() {
            Some(Status::Indicative) => self.indicative = true,
            Some(Status::Sourced) => {
                self.sourced = true;
                self.not_indicative += 1;
            }
            None => self.not_indicative += 1,
        }
        self.geometry = self.geometry.or(GeometryKinds::of_one(&f.geometry));
    }

    /// Two parts of a layer (counted apart, say on two cores) summed up as one.
    pub fn merged(self, other: Self) -> Self {
        Self {
            features: self.features + other.features,
            not_indicative: self.not_indicative + other.not_indicative,
            sourced: self.sourced || other.sourced,
            indicative: self.indicative || other.indicative,
            geometry: self.geometry.or(other.geometry),
        }
    }
}

/// The data layers among the project's `features`, by their overlay layer id (`sketch:ID`).
pub fn summarize(features: &[PlanFeature]) -> BTreeMap<String, DataLayerSummary> {
    let mut out: BTreeMap<String, DataLayerSummary> = BTreeMap::new();
    for f in features
        .iter()
        .filter(|f| f.layer.starts_with(super::scene::SKETCH_PREFIX))
    {
        // Features of one layer come one after another: look the layer up once per run.
        let summary = match out.last_entry() {
            Some(e) if *e.key() == f.layer => e.into_mut(),
            _ => out.entry(f.layer.clone()).or_default(),
        };
        summary.add(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeatureId;

    fn feature(layer: &str, status: Option<&str>, geometry: Geometry<f64>) -> PlanFeature {
        let mut properties = std::collections::BTreeMap::new();
        if let Some(s) = status {
            properties.insert("status".to_owned(), s.into());
        }
        PlanFeature {
            id: FeatureId("f".into()),
            layer: layer.into(),
            geometry,
            properties,
        }
    }

    #[test]
    fn each_data_layer_is_summed_up_by_status_and_geometry() {
        let point: Geometry<f64> = geo::Point::new(121.0, 31.0).into();
        let line: Geometry<f64> = geo::LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]).into();
        let features = [
            feature("placements", Some("indicative"), point.clone()),
            feature("sketch:a", None, point.clone()),
            feature("sketch:a", Some("indicative"), line),
            feature("sketch:b", Some("sourced"), point),
        ];
        let s = summarize(&features);
        assert_eq!(s.len(), 2, "placements are not a data layer");
        let a = s["sketch:a"];
        assert_eq!((a.features, a.not_indicative), (2, 1));
        assert!(a.indicative && !a.sourced);
        assert!(a.geometry.points && a.geometry.lines && !a.geometry.polygons);
        assert!(s["sketch:b"].sourced);
    }

    #[test]
    fn merged_summaries_count_both_parts() {
        let a = DataLayerSummary {
            features: 3,
            not_indicative: 2,
            sourced: false,
            indicative: true,
            geometry: GeometryKinds {
                points: true,
                lines: false,
                polygons: false,
            },
        };
        let b = DataLayerSummary {
            features: 4,
            not_indicative: 4,
            sourced: true,
            indicative: false,
            geometry: GeometryKinds {
                points: false,
                lines: false,
                polygons: true,
            },
        };
        let m = a.merged(b);
        assert_eq!((m.features, m.not_indicative), (7, 6));
        assert!(m.sourced && m.indicative);
        assert!(m.geometry.points && m.geometry.polygons && !m.geometry.lines);
    }
}
