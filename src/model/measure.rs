//! Geodesic measures on the WGS84 ellipsoid.

use geo::orient::{Direction, Orient};
use geo::{Geodesic, GeodesicArea, Length, LineString, MultiPolygon};

/// Area in km². Rings are oriented first: for a clockwise ring the geodesic area is that of
/// the rest of the Earth.
pub fn area_km2(polygons: &MultiPolygon<f64>) -> f64 {
    polygons.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// Length in km.
pub fn length_km(line: &LineString<f64>) -> f64 {
    Geodesic.length(line) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, polygon};

    #[test]
    fn area_does_not_depend_on_ring_orientation() {
        let ccw: Polygon<f64> = polygon![(x: 121.0, y: 31.0), (x: 121.1, y: 31.0), (x: 121.1, y: 31.1), (x: 121.0, y: 31.1)];
        let cw: Polygon<f64> = polygon![(x: 121.0, y: 31.0), (x: 121.0, y: 31.1), (x: 121.1, y: 31.1), (x: 121.1, y: 31.0)];
        let a = area_km2(&MultiPolygon(vec![ccw]));
        let b = area_km2(&MultiPolygon(vec![cw]));
        // 0.1° × 0.1° at 31°N: about 11.1 km × 9.5 km.
        assert!((a - 105.7).abs() < 1.0, "{a}");
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }

    #[test]
    fn shanghai_to_suzhou_is_about_84_km() {
        let line = LineString::from(vec![(121.4737, 31.2304), (120.5853, 31.2989)]);
        assert!(
            (length_km(&line) - 84.0).abs() < 2.0,
            "{}",
            length_km(&line)
        );
    }
}
