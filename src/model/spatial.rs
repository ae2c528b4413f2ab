//! Spatial predicates that stay fast when one geometry is huge (a digitized outline of hundreds
//! of thousands of vertices) and is tested against every plan feature.
//!
//! geo's `Intersects` between two lines or areas compares every segment of one with every
//! segment of the other: 400,000 × 500 segment tests for each plan feature. Here the segments
//! of the geometry tested many times go into an R-tree once (by runs of consecutive segments),
//! and each segment of the other is looked up in it by its box, so a test costs about the size
//! of the small geometry.

use geo::{
    BoundingRect, Coord, Geometry, Intersects, Line, LineString, LinesIter, MultiPolygon, Point,
    Polygon, Rect,
};
use rstar::{AABB, Envelope, RTree, RTreeObject};

/// A geometry with an R-tree of its segments, for many `intersects` tests against it.
pub struct IndexedGeometry<'a> {
    geometry: &'a Geometry<f64>,
    bbox: Option<Rect<f64>>,
    segments: Vec<Line<f64>>,
    runs: RTree<Run>,
}

/// Runs of this many consecutive segments share an entry of the R-tree: consecutive segments
/// lie together, so their box stays small, and the tree is built 16 times faster (a huge
/// outline has hundreds of thousands of segments); a lookup then tests each segment of a run
/// whose box it meets.
const RUN: usize = 16;

/// The box of `segments[first..first + RUN]`.
struct Run {
    envelope: AABB<Point<f64>>,
    first: usize,
}

impl RTreeObject for Run {
    type Envelope = AABB<Point<f64>>;

    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl<'a> IndexedGeometry<'a> {
    pub fn new(geometry: &'a Geometry<f64>) -> Self {
        let segments = if has_segments_only(geometry) {
            segments(geometry)
        } else {
            Vec::new()
        };
        let runs = segments
            .chunks(RUN)
            .enumerate()
            .map(|(i, run)| Run {
                envelope: run
                    .iter()
                    .map(RTreeObject::envelope)
                    .reduce(|a, b| a.merged(&b))
                    .unwrap_or_else(AABB::new_empty),
                first: i * RUN,
            })
            .collect();
        Self {
            geometry,
            bbox: geometry.bounding_rect(),
            segments,
            runs: RTree::bulk_load(runs),
        }
    }

    pub fn geometry(&self) -> &'a Geometry<f64> {
        self.geometry
    }

    /// Whether a segment crosses or touches one of this geometry's.
    fn crosses(&self, line: &Line<f64>) -> bool {
        let envelope = line.envelope();
        self.runs
            .locate_in_envelope_intersecting(&envelope)
            .flat_map(|run| &self.segments[run.first..(run.first + RUN).min(self.segments.len())])
            .any(|s| s.envelope().intersects(&envelope) && s.intersects(line))
    }

    /// Whether the two geometries share at least one point, as geo's `Intersects` says.
    pub fn intersects(&self, other: &Geometry<f64>) -> bool {
        let (Some(a), Some(b)) = (self.bbox, other.bounding_rect()) else {
            return false;
        };
        if !a.intersects(&b) {
            return false;
        }
        if !has_segments_only(self.geometry) || !has_segments_only(other) {
            // Points and collections: geo's own test, linear in the size of this geometry.
            return self.geometry.intersects(other);
        }
        // Without a crossing, either one lies inside the other, part by part, or they are
        // disjoint: a part lies inside iff its first vertex does.
        segments(other).iter().any(|line| self.crosses(line))
            || first_vertices(other)
                .into_iter()
                .any(|c| self.geometry.intersects(&c))
            || first_vertices(self.geometry)
                .into_iter()
                .any(|c| other.intersects(&c))
    }
}

/// A coordinate's x or y.
type Axis = fn(Coord<f64>) -> f64;

/// The part of the polygons inside `rect` (Sutherland–Hodgman, linear): the same area, with
/// at most zero-width slivers along the rectangle's sides, which a boolean operation ignores.
/// An overlay with an area inside `rect` gives the same result for it, but without the
/// vertices elsewhere: a huge outline's overlap with each small plan area costs that area's
/// share of the outline, not the whole outline.
pub fn clip_to_rect(polygons: &MultiPolygon<f64>, rect: Rect<f64>) -> MultiPolygon<f64> {
    let (min, max) = (rect.min(), rect.max());
    let ring = |r: &LineString<f64>| -> LineString<f64> {
        let mut pts: Vec<Coord<f64>> = r.0.clone();
        // The four sides: a position is kept on the side's inner half-plane.
        let sides: [(Axis, f64, bool); 4] = [
            (|c| c.x, min.x, true),
            (|c| c.x, max.x, false),
            (|c| c.y, min.y, true),
            (|c| c.y, max.y, false),
        ];
        for (axis, limit, above) in sides {
            let inside = |c: Coord<f64>| {
                if above {
                    axis(c) >= limit
                } else {
                    axis(c) <= limit
                }
            };
            let mut out = Vec::with_capacity(pts.len());
            for (i, &b) in pts.iter().enumerate() {
                let a = pts[(i + pts.len() - 1) % pts.len()];
                if inside(a) != inside(b) {
                    let t = (limit - axis(a)) / (axis(b) - axis(a));
                    out.push(Coord {
                        x: a.x + t * (b.x - a.x),
                        y: a.y + t * (b.y - a.y),
                    });
                }
                if inside(b) {
                    out.push(b);
                }
            }
            pts = out;
        }
        let mut ring = LineString(pts);
        ring.close();
        ring
    };
    MultiPolygon(
        polygons
            .0
            .iter()
            .map(|p| {
                let holes = p.interiors().iter().map(ring);
                Polygon::new(
                    ring(p.exterior()),
                    holes.filter(|h| h.0.len() >= 4).collect(),
                )
            })
            .filter(|p| p.exterior().0.len() >= 4)
            .collect(),
    )
}

/// Lines and areas: the geometries whose every point is on a segment or inside a ring.
fn has_segments_only(g: &Geometry<f64>) -> bool {
    matches!(
        g,
        Geometry::Line(_)
            | Geometry::LineString(_)
            | Geometry::MultiLineString(_)
            | Geometry::Polygon(_)
            | Geometry::MultiPolygon(_)
            | Geometry::Rect(_)
            | Geometry::Triangle(_)
    )
}

/// Every segment of a line or area (geo has no `LinesIter` for `Geometry` itself).
fn segments(g: &Geometry<f64>) -> Vec<Line<f64>> {
    match g {
        Geometry::Line(l) => vec![*l],
        Geometry::LineString(l) => l.lines_iter().collect(),
        Geometry::MultiLineString(m) => m.lines_iter().collect(),
        Geometry::Polygon(p) => p.lines_iter().collect(),
        Geometry::MultiPolygon(m) => m.lines_iter().collect(),
        Geometry::Rect(r) => r.lines_iter().collect(),
        Geometry::Triangle(t) => t.lines_iter().collect(),
        _ => Vec::new(),
    }
}

/// The first vertex of each line, and of each polygon's outer ring.
fn first_vertices(g: &Geometry<f64>) -> Vec<Coord<f64>> {
    match g {
        Geometry::Line(l) => vec![l.start],
        Geometry::LineString(l) => l.0.first().copied().into_iter().collect(),
        Geometry::MultiLineString(m) => m.0.iter().filter_map(|l| l.0.first().copied()).collect(),
        Geometry::Polygon(p) => p.exterior().0.first().copied().into_iter().collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .filter_map(|p| p.exterior().0.first().copied())
                .collect()
        }
        Geometry::Rect(r) => vec![r.min()],
        Geometry::Triangle(t) => vec![t.v1()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, Point, Polygon, polygon};

    fn square(x: f64, y: f64, d: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d)]
    }

    #[test]
    fn a_polygon_clipped_to_a_rectangle_overlaps_an_area_inside_it_as_much() {
        use geo::{Area, BooleanOps};
        // A concave ring (a comb) with a hole, and an area inside the rectangle.
        let comb = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (8.0, 10.0),
                (8.0, 2.0),
                (6.0, 2.0),
                (6.0, 10.0),
                (4.0, 10.0),
                (4.0, 2.0),
                (2.0, 2.0),
                (2.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            vec![square(0.5, 0.5, 1.0).exterior().clone()],
        );
        let area = MultiPolygon(vec![square(1.0, 1.0, 6.0)]);
        let rect = area.bounding_rect().unwrap();
        let whole = MultiPolygon(vec![comb]);
        let clipped = clip_to_rect(&whole, rect);
        let (a, b) = (
            whole.intersection(&area).unsigned_area(),
            clipped.intersection(&area).unsigned_area(),
        );
        assert!((a - b).abs() < 1e-9 && a > 10.0, "{a} vs {b}");
        assert!(clipped.unsigned_area() <= rect.unsigned_area() + 1e-9);
        assert!(
            clip_to_rect(&whole, Rect::new((20.0, 20.0), (21.0, 21.0)))
                .0
                .is_empty()
        );
    }

    /// A ring with a hole, and lines, points and areas placed every way against it: the
    /// answer is geo's own, every time.
    #[test]
    fn agrees_with_geo_in_every_arrangement() {
        let frame = Polygon::new(
            square(0.0, 0.0, 10.0).exterior().clone(),
            vec![square(3.0, 3.0, 4.0).exterior().clone()],
        );
        let others: Vec<Geometry<f64>> = vec![
            square(1.0, 1.0, 1.0).into(),                            // inside
            square(4.0, 4.0, 1.0).into(),                            // in the hole
            square(2.0, 2.0, 2.0).into(),                            // across the hole's edge
            square(-5.0, -5.0, 20.0).into(),                         // around everything
            square(20.0, 20.0, 1.0).into(),                          // apart
            square(10.0, 0.0, 1.0).into(),                           // touching the outer edge
            LineString::from(vec![(4.0, 4.0), (6.0, 6.0)]).into(),   // in the hole
            LineString::from(vec![(1.0, 1.0), (5.0, 5.0)]).into(),   // into the hole
            LineString::from(vec![(-1.0, 5.0), (11.0, 5.0)]).into(), // across
            Point::new(5.0, 5.0).into(),
            Point::new(1.0, 5.0).into(),
            MultiPolygon(vec![square(20.0, 20.0, 1.0), square(1.0, 8.0, 1.0)]).into(),
        ];
        let indexed_frame: Geometry<f64> = frame.into();
        let index = IndexedGeometry::new(&indexed_frame);
        for (i, other) in others.iter().enumerate() {
            assert_eq!(
                index.intersects(other),
                indexed_frame.intersects(other),
                "case {i}"
            );
            let reverse = IndexedGeometry::new(other);
            assert_eq!(
                reverse.intersects(&indexed_frame),
                other.intersects(&indexed_frame),
                "case {i}, the other way"
            );
        }
    }
}
