//! Facts derived from a placement's geometry: its size, and which cities and zones it touches
//! (a spatial join on `city_boundaries` and `sections`).

use geo::Geometry;

use super::measure::{area_km2, length_km};
use super::plan::Plan;
use super::spatial::IndexedGeometry;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Derived {
    pub length_km: Option<f64>,
    pub area_km2: Option<f64>,
    /// Names (zh) of the cities whose territory the geometry touches, in layer order.
    pub cities: Vec<String>,
    /// Names (zh) of the strategic coordination zones it touches.
    pub zones: Vec<String>,
}

impl Derived {
    /// Two or more cities: the placement needs cross-border coordination.
    pub fn cross_border(&self) -> bool {
        self.cities.len() >= 2
    }
}

pub fn derive(plan: &Plan, g: &Geometry<f64>) -> Derived {
    // The geometry may be a huge outline: indexed once for every feature it is tested against.
    let indexed = IndexedGeometry::new(g);
    let touched = |layer: &str| -> Vec<String> {
        plan.layer(layer)
            .map(|l| {
                l.features
                    .iter()
                    .filter(|f| indexed.intersects(&f.geometry))
                    .map(|f| f.name_zh().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (length_km, area_km2) = match g {
        Geometry::LineString(l) => (Some(length_km(l)), None),
        Geometry::Polygon(p) => (None, Some(area_km2(&geo::MultiPolygon(vec![p.clone()])))),
        _ => (None, None),
    };
    Derived {
        length_km,
        area_km2,
        cities: touched("city_boundaries"),
        zones: touched("sections"),
    }
}
