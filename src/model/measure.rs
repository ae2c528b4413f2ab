//! Geodesic measures on the WGS84 ellipsoid (geo's `Geodesic`, Karney's algorithm from
//! geographiclib). Every length, area and distance the program reports is measured here, so
//! that one distance is one number in the checks, the diff and the scale bar alike.

use geo::orient::{Direction, Orient};
use geo::{
    Closest, Coord, CoordsIter, Distance, Geodesic, GeodesicArea, HaversineClosestPoint, Length,
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
    let (a, b): (Vec<Coord<f64>>, Vec<Coord<f64>>) =
        (a.coords_iter().collect(), b.coords_iter().collect());
    // The two directions are independent: side by side.
    std::thread::scope(|scope| {
        let back = scope.spawn(|| directed_hausdorff_m(&b, &a));
        let there = directed_hausdorff_m(&a, &b);
        there.max(back.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })
}

/// The smallest radius of curvature of the WGS84 ellipsoid (the meridian's, at the equator):
/// no geodesic bends more sharply than a circle of this radius.
const MIN_CURVATURE_RADIUS_M: f64 = 6_378_137.0 * (1.0 - WGS84_E2);
const WGS84_E2: f64 = (2.0 - 1.0 / 298.257_223_563) / 298.257_223_563;

/// Earth-centred coordinates (metres) of a lon/lat position on the WGS84 ellipsoid.
fn ecef(c: Coord<f64>) -> [f64; 3] {
    let (lat, lon) = (c.y.to_radians(), c.x.to_radians());
    let n = 6_378_137.0 / (1.0 - WGS84_E2 * lat.sin().powi(2)).sqrt();
    [
        n * lat.cos() * lon.cos(),
        n * lat.cos() * lon.sin(),
        n * (1.0 - WGS84_E2) * lat.sin(),
    ]
}

/// The straight-line distance between two Earth-centred points, in metres.
fn chord_m(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The longest a geodesic can be between two points `chord` metres apart in a straight line
/// (Schur: a curve bending no more than a circle is no longer than that circle's arc).
fn longest_geodesic_m(chord: f64) -> f64 {
    let r = MIN_CURVATURE_RADIUS_M;
    let half = chord / (2.0 * r);
    if half >= 1.0 {
        f64::INFINITY
    } else {
        2.0 * r * half.asin()
    }
}

/// The farthest any of `from` is from the nearest of `to`, in metres (geodesic).
///
/// Quadratic done naively (a 400,000-vertex outline: 1.6·10¹¹ geodesics). Instead distances
/// are first taken in a straight line (chords) in an R-tree of Earth-centred coordinates, with
/// the early break of Taha and Hanbury (2015): a vertex with any neighbour nearer than the
/// farthest found so far cannot be the farthest, and one lookup of that neighbour says so. A
/// geodesic is never shorter than its chord and at most [`longest_geodesic_m`] of it (within
/// about 10⁻⁵ over 100 km), so only the vertices that could be the farthest, and only their
/// neighbours within that bound, are then measured on the ellipsoid. The result is exactly the
/// naive one.
fn directed_hausdorff_m(from: &[Coord<f64>], to: &[Coord<f64>]) -> f64 {
    use rstar::RTree;
    use rstar::primitives::GeomWithData;
    if from.is_empty() {
        return 0.0;
    }
    if to.is_empty() {
        return f64::INFINITY;
    }
    let tree = RTree::bulk_load(
        to.iter()
            .map(|c| GeomWithData::new(ecef(*c), *c))
            .collect::<Vec<_>>(),
    );
    let points: Vec<[f64; 3]> = from.iter().map(|c| ecef(*c)).collect();
    // Vertices taken spread out over the outline, so that a large distance is found early.
    const STRIDE: usize = 64;
    let spread = (0..STRIDE).flat_map(|k| (k..points.len()).step_by(STRIDE));
    // The farthest chord from a vertex to its nearest neighbour: a floor for the result.
    let mut floor = 0.0f64;
    for i in spread {
        let p = points[i];
        if tree
            .locate_within_distance(p, floor * floor)
            .next()
            .is_none()
            && let Some(q) = tree.nearest_neighbor(&p)
        {
            floor = floor.max(chord_m(p, *q.geom()));
        }
    }
    // Only a vertex without any neighbour nearer (in a straight line) than this can have its
    // nearest geodesic neighbour as far as the floor.
    let near =
        2.0 * MIN_CURVATURE_RADIUS_M * (floor / (2.0 * MIN_CURVATURE_RADIUS_M)).min(1.0).sin();
    let near2 = (near * (1.0 - 1e-9)).powi(2);
    from.iter()
        .zip(&points)
        .filter(|(_, p)| tree.locate_within_distance(**p, near2).next().is_none())
        .map(|(c, p)| {
            let nearest = tree
                .nearest_neighbor(p)
                .map_or(f64::INFINITY, |q| chord_m(*p, *q.geom()));
            let reach = longest_geodesic_m(nearest);
            tree.nearest_neighbor_iter_with_distance_2(p)
                .take_while(|(_, d2)| d2.sqrt() <= reach)
                .map(|(q, _)| distance_m(Point(*c), Point(q.data)))
                .fold(f64::INFINITY, f64::min)
        })
        .fold(0.0, f64::max)
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

    /// Every vertex against every vertex, as the definition reads.
    fn naive_hausdorff_m(a: &[Coord<f64>], b: &[Coord<f64>]) -> f64 {
        let directed = |from: &[Coord<f64>], to: &[Coord<f64>]| {
            from.iter()
                .map(|c| {
                    to.iter()
                        .map(|d| distance_m(Point(*c), Point(*d)))
                        .fold(f64::INFINITY, f64::min)
                })
                .fold(0.0, f64::max)
        };
        directed(a, b).max(directed(b, a))
    }

    #[test]
    fn the_indexed_hausdorff_distance_is_the_naive_one() {
        // Wavy rings of different sizes and vertex counts, near and far apart, from a metre
        // to a few hundred kilometres, at the plan's latitudes and far from them.
        let ring = |cx: f64, cy: f64, r: f64, n: usize, phase: f64| -> Vec<Coord<f64>> {
            (0..n)
                .map(|k| {
                    let a = std::f64::consts::TAU * k as f64 / n as f64 + phase;
                    let rr = r * (1.0 + 0.2 * (5.0 * a).sin());
                    Coord {
                        x: cx + rr * a.cos(),
                        y: cy + rr * a.sin(),
                    }
                })
                .collect()
        };
        let cases = [
            (
                ring(121.0, 31.0, 0.1, 300, 0.0),
                ring(121.01, 31.0, 0.1, 200, 0.3),
            ),
            (
                ring(121.0, 31.0, 0.1, 300, 0.0),
                ring(121.0, 31.0, 0.1, 300, 1e-7),
            ),
            (
                ring(121.0, 31.0, 0.5, 250, 0.0),
                ring(119.5, 30.2, 0.05, 90, 0.0),
            ),
            (
                ring(10.0, 70.0, 2.0, 200, 0.0),
                ring(12.0, 69.0, 1.0, 150, 0.1),
            ),
            (
                ring(121.0, 31.0, 0.1, 1, 0.0),
                ring(121.0, 31.0, 0.1, 1, 0.0),
            ),
        ];
        for (i, (a, b)) in cases.iter().enumerate() {
            let (fast, naive) = (
                hausdorff_m(&LineString(a.clone()), &LineString(b.clone())),
                naive_hausdorff_m(a, b),
            );
            assert!(
                (fast - naive).abs() <= 1e-9 * naive.max(1.0),
                "case {i}: {fast} vs {naive}"
            );
        }
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
