//! Geodesic measures on the WGS84 ellipsoid (geo's `Geodesic`, Karney's algorithm from
//! geographiclib). Every length, area and distance the program reports is measured here, so
//! that one distance is one number in the checks, the diff and the scale bar alike.

use geo::orient::{Direction, Orient};
use geo::{
    Closest, CoordsIter, Distance, Geodesic, GeodesicArea, HaversineClosestPoint, Length,
    LineString, MultiPolygon, Point,
};

/// Area in km². Rings are oriented first: for a clockwise ring the geodesic area is that of
/// the rest of the Earth.
pub fn area_km2(polygons: &MultiPolygon<f64>) -> f64 {
    polygons.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// Length in km.
pub fn length_km(line: &LineString<f64>) -> f64 {
    Geodesic.length(line) / 1000.0
}

/// Length in km along lon/lat points.
pub fn path_length_km(points: &[geo::Coord<f64>]) -> f64 {
    length_km(&LineString::from(points.to_vec()))
}

/// Area in km² of the polygon the lon/lat points enclose (closed back to the first), or
/// `None` for fewer than three points.
pub fn enclosed_area_km2(points: &[geo::Coord<f64>]) -> Option<f64> {
    if points.len() < 3 {
        return None;
    }
    let mut ring = points.to_vec();
    ring.push(points[0]);
    let polygon = geo::Polygon::new(LineString::from(ring), vec![]);
    Some(area_km2(&MultiPolygon(vec![polygon])))
}

/// Distance in metres between two lon/lat points.
pub fn distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic.distance(a, b)
}

/// Metres from a point to the nearest point of a line. The nearest point is found on the
/// sphere (geo has no ellipsoidal closest point; over the few km this is used for, the two
/// agree to well under a metre) and the distance to it is measured on the ellipsoid. `None`
/// for a line without a single nearest point (an empty one).
pub fn distance_to_line_m(p: Point<f64>, line: &LineString<f64>) -> Option<f64> {
    match line.haversine_closest_point(&p) {
        Closest::Intersection(c) | Closest::SinglePoint(c) => Some(distance_m(p, c)),
        Closest::Indeterminate => None,
    }
}

/// The Hausdorff distance between the vertices of two geometries, in metres: the farthest
/// any vertex of one is from the nearest vertex of the other. The same definition as geo's
/// `HausdorffDistance`, which only measures in the plane of the coordinates (degrees).
pub fn hausdorff_m(a: &impl CoordsIter<Scalar = f64>, b: &impl CoordsIter<Scalar = f64>) -> f64 {
    fn directed(from: &impl CoordsIter<Scalar = f64>, to: &impl CoordsIter<Scalar = f64>) -> f64 {
        from.coords_iter()
            .map(|c| {
                to.coords_iter()
                    .map(|d| distance_m(Point(c), Point(d)))
                    .fold(f64::INFINITY, f64::min)
            })
            .fold(0.0, f64::max)
    }
    directed(a, b).max(directed(b, a))
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

    #[test]
    fn a_point_to_a_line_and_two_lines_apart_measure_the_same_metres() {
        // A meridian at 121°E, and a point 0.01° of longitude east of it at 31°N: on the
        // WGS84 ellipsoid a degree of longitude there is 95 504 m (a cos φ / √(1 − e² sin² φ)).
        let meridian = LineString::from(vec![(121.0, 30.9), (121.0, 31.1)]);
        let p = Point::new(121.01, 31.0);
        let to_line = distance_to_line_m(p, &meridian).unwrap();
        assert!((to_line - 955.04).abs() < 0.5, "{to_line}");
        let shifted = LineString::from(vec![(121.01, 30.9), (121.01, 31.1)]);
        let apart = hausdorff_m(&meridian, &shifted);
        // The ends lie on the parallels of 30.9° and 31.1°; the degree of longitude is longer
        // on the southern one (956.04 m per 0.01°), so that end is the farthest apart.
        assert!((apart - 956.04).abs() < 0.5, "{apart}");
        assert_eq!(hausdorff_m(&meridian, &meridian), 0.0);
    }
}
