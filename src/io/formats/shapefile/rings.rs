//! Polygons from the rings of a Shapefile polygon record.
//!
//! A record is a flat list of rings: outer rings run clockwise, holes counter-clockwise, in any
//! order (ESRI's writers put each outer ring before its holes, others do not). Each hole goes to
//! the smallest outer ring that contains it; a hole that no outer ring contains becomes a
//! polygon of its own, and a record whose rings all run counter-clockwise (written without
//! regard to orientation) has only outer rings. One polygon is a `Polygon`, several a
//! `MultiPolygon`.

use geo::{Coord, Geometry, LineString, MultiPolygon, Polygon};

struct Ring {
    coords: Vec<Coord<f64>>,
    /// Twice the signed area: negative when clockwise.
    area2: f64,
    min: Coord<f64>,
    max: Coord<f64>,
}

impl Ring {
    fn new(coords: Vec<Coord<f64>>) -> Self {
        let area2 = coords
            .windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum();
        let mut min = coord(f64::INFINITY, f64::INFINITY);
        let mut max = coord(f64::NEG_INFINITY, f64::NEG_INFINITY);
        for c in &coords {
            min = coord(min.x.min(c.x), min.y.min(c.y));
            max = coord(max.x.max(c.x), max.y.max(c.y));
        }
        Self {
            coords,
            area2,
            min,
            max,
        }
    }

    fn holds_box_of(&self, other: &Ring) -> bool {
        self.min.x <= other.min.x
            && self.min.y <= other.min.y
            && self.max.x >= other.max.x
            && self.max.y >= other.max.y
    }

    /// Whether `p` is inside (even-odd rule; a point on the edge may go either way).
    fn contains(&self, p: Coord<f64>) -> bool {
        let mut inside = false;
        for w in self.coords.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
                if p.x < x {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

fn coord(x: f64, y: f64) -> Coord<f64> {
    Coord { x, y }
}

/// The polygon or multipolygon of a record's rings; `None` when it has no ring with points.
pub(super) fn assemble(rings: impl Iterator<Item = Vec<Coord<f64>>>) -> Option<Geometry<f64>> {
    let rings: Vec<Ring> = rings.filter(|r| !r.is_empty()).map(Ring::new).collect();
    let any_clockwise = rings.iter().any(|r| r.area2 <= 0.0);
    let (outers, holes): (Vec<Ring>, Vec<Ring>) = rings
        .into_iter()
        .partition(|r| r.area2 <= 0.0 || !any_clockwise);
    let mut polygons: Vec<(Ring, Vec<LineString<f64>>)> =
        outers.into_iter().map(|r| (r, Vec::new())).collect();
    for hole in holes {
        match owner(&polygons, &hole) {
            Some(i) => polygons[i].1.push(LineString::from(hole.coords)),
            None => polygons.push((hole, Vec::new())),
        }
    }
    let mut polygons: Vec<Polygon<f64>> = polygons
        .into_iter()
        .map(|(outer, holes)| Polygon::new(LineString::from(outer.coords), holes))
        .collect();
    match polygons.len() {
        0 => None,
        1 => polygons.pop().map(Geometry::Polygon),
        _ => Some(MultiPolygon::new(polygons).into()),
    }
}

/// The index of the smallest outer ring that contains `hole`.
fn owner(polygons: &[(Ring, Vec<LineString<f64>>)], hole: &Ring) -> Option<usize> {
    if polygons.len() == 1 {
        return Some(0);
    }
    // A vertex of the hole may lie on its outer ring's edge; the middle of its first edge
    // rarely does.
    let probe = match hole.coords.as_slice() {
        [a, b, ..] => coord((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
        [a] => *a,
        [] => return None,
    };
    polygons
        .iter()
        .enumerate()
        .filter(|(_, (outer, _))| outer.holds_box_of(hole) && outer.contains(probe))
        .min_by(|(_, (a, _)), (_, (b, _))| a.area2.abs().total_cmp(&b.area2.abs()))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, size: f64, clockwise: bool) -> Vec<Coord<f64>> {
        let mut ring = vec![
            coord(x, y),
            coord(x + size, y),
            coord(x + size, y + size),
            coord(x, y + size),
            coord(x, y),
        ];
        if clockwise {
            ring.reverse();
        }
        ring
    }

    #[test]
    fn holes_go_to_the_outer_ring_that_contains_them_in_any_order() {
        let rings = vec![
            square(11.0, 1.0, 2.0, false), // hole of the second square
            square(0.0, 0.0, 5.0, true),
            square(10.0, 0.0, 5.0, true),
            square(1.0, 1.0, 1.0, false), // hole of the first square
        ];
        let Some(Geometry::MultiPolygon(m)) = assemble(rings.into_iter()) else {
            panic!("two polygons")
        };
        assert_eq!(m.0.len(), 2);
        assert_eq!(m.0[0].exterior().0[0], coord(0.0, 0.0));
        assert_eq!(m.0[0].interiors().len(), 1);
        assert_eq!(m.0[0].interiors()[0].0[0], coord(1.0, 1.0));
        assert_eq!(m.0[1].interiors()[0].0[0], coord(11.0, 1.0));
    }

    #[test]
    fn counter_clockwise_only_rings_are_outer_rings() {
        let rings = vec![square(0.0, 0.0, 1.0, false)];
        assert!(matches!(
            assemble(rings.into_iter()),
            Some(Geometry::Polygon(_))
        ));
    }

    #[test]
    fn a_hole_outside_every_outer_ring_is_a_polygon_of_its_own() {
        let rings = vec![
            square(0.0, 0.0, 1.0, true),
            square(5.0, 5.0, 1.0, true),
            square(20.0, 20.0, 1.0, false),
        ];
        let Some(Geometry::MultiPolygon(m)) = assemble(rings.into_iter()) else {
            panic!("three polygons")
        };
        assert_eq!(m.0.len(), 3);
    }
}
