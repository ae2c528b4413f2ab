//! The guard every placement passes on its way into a project: no vertex repeated next to
//! itself (a click on the last vertex, a vertex dragged onto its neighbour), and no shape left
//! below its minimum once repeats are gone.

use crate::model::project::{PlacementGeometry, round7};

/// Whether two positions are one as saved (to 1e-7°, about 1 cm).
pub fn same_position(a: (f64, f64), b: (f64, f64)) -> bool {
    round7(a.0) == round7(b.0) && round7(a.1) == round7(b.1)
}

/// The geometry without consecutive repeated positions (a polygon ring stays closed), or why
/// what is left is not a shape: a line of fewer than 2 distinct positions, a ring of fewer
/// than 3.
pub fn without_repeats(geometry: &PlacementGeometry) -> Result<PlacementGeometry, String> {
    let dedup = |positions: &[(f64, f64)]| {
        let mut out = positions.to_vec();
        out.dedup_by(|b, a| same_position(*a, *b));
        out
    };
    match geometry {
        PlacementGeometry::Point(p) => Ok(PlacementGeometry::Point(*p)),
        PlacementGeometry::LineString(line) => {
            let line = dedup(line);
            if line.len() < 2 {
                return Err(format!(
                    "a line needs 2 distinct positions or more; it has {}",
                    line.len()
                ));
            }
            Ok(PlacementGeometry::LineString(line))
        }
        PlacementGeometry::Polygon(rings) => rings
            .iter()
            .enumerate()
            .map(|(r, ring)| {
                let ring = dedup(ring);
                // Closed: first = last, so 3 distinct positions make 4.
                if ring.len() < 4 {
                    return Err(format!(
                        "ring {r} needs 3 distinct positions or more; it has {}",
                        ring.len().saturating_sub(1)
                    ));
                }
                Ok(ring)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(PlacementGeometry::Polygon),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_go_and_rings_stay_closed() {
        let line = PlacementGeometry::LineString(vec![(1.0, 1.0), (2.0, 2.0), (2.0, 2.0)]);
        assert_eq!(
            without_repeats(&line),
            Ok(PlacementGeometry::LineString(vec![(1.0, 1.0), (2.0, 2.0)]))
        );
        let ring = vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 0.0),
            (0.0, 0.0),
        ];
        assert_eq!(
            without_repeats(&PlacementGeometry::Polygon(vec![ring])),
            Ok(PlacementGeometry::Polygon(vec![vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 0.0)
            ]]))
        );
        // Within 1e-7°: one position as saved.
        let near = PlacementGeometry::LineString(vec![(1.0, 1.0), (1.0 + 1e-9, 1.0)]);
        assert!(without_repeats(&near).is_err());
        let flat = vec![(0.0, 0.0), (1.0, 0.0), (1.0, 0.0), (0.0, 0.0)];
        assert!(without_repeats(&PlacementGeometry::Polygon(vec![flat])).is_err());
    }
}
