//! The plane geometry of CAD entities: object coordinate systems (an entity drawn mirrored has
//! its extrusion along −Z, and its x along the world's −x), the placement of a block by an
//! INSERT, and arcs (ARC, CIRCLE, ELLIPSE, polyline bulges) as vertices.
//!
//! Arcs become vertices at most 4° apart, as GDAL's DXF driver makes them (its default
//! `OGR_ARC_STEPSIZE`): a circle is 90 segments, which is within 0.06 % of the radius.

use geo::Coord;

/// The largest angle between two vertices of a linearised arc.
const ARC_STEP_DEGREES: f64 = 4.0;

/// A plane affine map: `x' = a·x + b·y + c`, `y' = d·x + e·y + f`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Affine {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
}

impl Affine {
    pub const IDENTITY: Self = Self {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 0.0,
        e: 1.0,
        f: 0.0,
    };

    pub fn translate(dx: f64, dy: f64) -> Self {
        Self {
            c: dx,
            f: dy,
            ..Self::IDENTITY
        }
    }

    pub fn scale(sx: f64, sy: f64) -> Self {
        Self {
            a: sx,
            e: sy,
            ..Self::IDENTITY
        }
    }

    pub fn rotate_degrees(angle: f64) -> Self {
        let (sin, cos) = angle.to_radians().sin_cos();
        Self {
            a: cos,
            b: -sin,
            d: sin,
            e: cos,
            ..Self::IDENTITY
        }
    }

    /// An entity's object coordinate system (OCS) in world coordinates, by AutoCAD's
    /// "arbitrary axis algorithm" from the extrusion direction; z (elevation) is dropped, since
    /// the map is the plan view. A zero or non-finite extrusion is taken as +Z.
    pub fn ocs(normal: [f64; 3]) -> Self {
        let length = (normal[0].powi(2) + normal[1].powi(2) + normal[2].powi(2)).sqrt();
        if !length.is_finite() || length == 0.0 {
            return Self::IDENTITY;
        }
        let n = normal.map(|v| v / length);
        let limit = 1.0 / 64.0;
        let ax = if n[0].abs() < limit && n[1].abs() < limit {
            cross([0.0, 1.0, 0.0], n)
        } else {
            cross([0.0, 0.0, 1.0], n)
        };
        let ax_length = (ax[0].powi(2) + ax[1].powi(2) + ax[2].powi(2)).sqrt();
        let ax = ax.map(|v| v / ax_length);
        let ay = cross(n, ax);
        Self {
            a: ax[0],
            b: ay[0],
            c: 0.0,
            d: ax[1],
            e: ay[1],
            f: 0.0,
        }
    }

    /// `self` after `inner`: a point is mapped by `inner` first.
    pub fn then_after(&self, inner: &Self) -> Self {
        Self {
            a: self.a * inner.a + self.b * inner.d,
            b: self.a * inner.b + self.b * inner.e,
            c: self.a * inner.c + self.b * inner.f + self.c,
            d: self.d * inner.a + self.e * inner.d,
            e: self.d * inner.b + self.e * inner.e,
            f: self.d * inner.c + self.e * inner.f + self.f,
        }
    }

    pub fn apply(&self, x: f64, y: f64) -> Coord<f64> {
        Coord {
            x: self.a * x + self.b * y + self.c,
            y: self.d * x + self.e * y + self.f,
        }
    }
}

fn cross(u: [f64; 3], v: [f64; 3]) -> [f64; 3] {
    [
        u[1] * v[2] - u[2] * v[1],
        u[2] * v[0] - u[0] * v[2],
        u[0] * v[1] - u[1] * v[0],
    ]
}

/// How many segments an arc of `sweep` radians gets.
fn segments(sweep: f64) -> usize {
    let steps = (sweep.abs().to_degrees() / ARC_STEP_DEGREES).ceil();
    // The cast is saturating; a sweep is at most a full turn, so steps ≤ 90.
    (steps as usize).clamp(1, 90)
}

/// The vertices of an arc around `center` (counter-clockwise from `start` by `sweep`, both in
/// radians), first and last included.
pub(super) fn arc(center: Coord<f64>, radius: f64, start: f64, sweep: f64) -> Vec<Coord<f64>> {
    let n = segments(sweep);
    (0..=n)
        .map(|i| {
            let angle = start + sweep * (i as f64) / (n as f64);
            Coord {
                x: center.x + radius * angle.cos(),
                y: center.y + radius * angle.sin(),
            }
        })
        .collect()
}

/// The sweep from `start` to `end` degrees, counter-clockwise, in radians, in (0, 2π].
pub(super) fn ccw_sweep(start_degrees: f64, end_degrees: f64) -> f64 {
    let mut sweep = (end_degrees - start_degrees).rem_euclid(360.0);
    if sweep == 0.0 {
        sweep = 360.0;
    }
    sweep.to_radians()
}

/// The vertices after `from` along a polyline segment to `to` with `bulge` (the tangent of a
/// quarter of the arc's angle, positive counter-clockwise): `to` alone when straight.
pub(super) fn bulge_segment(from: Coord<f64>, to: Coord<f64>, bulge: f64) -> Vec<Coord<f64>> {
    let chord = ((to.x - from.x).powi(2) + (to.y - from.y).powi(2)).sqrt();
    if bulge == 0.0 || !bulge.is_finite() || chord == 0.0 {
        return vec![to];
    }
    let sweep = 4.0 * bulge.atan();
    // The centre is off the chord's midpoint, to its left for a counter-clockwise arc, by
    // half the chord times cot(sweep/2) = (1 − b²)/(2b).
    let offset = (chord / 2.0) * (1.0 - bulge * bulge) / (2.0 * bulge);
    let (ux, uy) = ((to.x - from.x) / chord, (to.y - from.y) / chord);
    let center = Coord {
        x: (from.x + to.x) / 2.0 - uy * offset,
        y: (from.y + to.y) / 2.0 + ux * offset,
    };
    let radius = ((from.x - center.x).powi(2) + (from.y - center.y).powi(2)).sqrt();
    let start = (from.y - center.y).atan2(from.x - center.x);
    let mut points = arc(center, radius, start, sweep);
    points.remove(0);
    // The end is the vertex itself, not its recomputation.
    if let Some(last) = points.last_mut() {
        *last = to;
    }
    points
}

/// The vertices of an ellipse (WCS) from parameter `start` by `sweep` radians: `center`,
/// the end of its major axis relative to the centre, the minor/major ratio and the extrusion
/// (the minor axis is the extrusion × major axis).
pub(super) fn ellipse(
    center: [f64; 3],
    major: [f64; 3],
    ratio: f64,
    normal: [f64; 3],
    start: f64,
    sweep: f64,
) -> Vec<Coord<f64>> {
    let minor = cross(normal, major);
    let minor_length = (minor[0].powi(2) + minor[1].powi(2) + minor[2].powi(2)).sqrt();
    let major_length = (major[0].powi(2) + major[1].powi(2) + major[2].powi(2)).sqrt();
    let scale = if minor_length > 0.0 {
        ratio * major_length / minor_length
    } else {
        0.0
    };
    let n = segments(sweep);
    (0..=n)
        .map(|i| {
            let t = start + sweep * (i as f64) / (n as f64);
            let (sin, cos) = t.sin_cos();
            Coord {
                x: center[0] + major[0] * cos + minor[0] * scale * sin,
                y: center[1] + major[1] * cos + minor[1] * scale * sin,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Coord<f64>, b: Coord<f64>) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn mirrored_entities_have_their_x_flipped() {
        let mirrored = Affine::ocs([0.0, 0.0, -1.0]);
        assert!(close(mirrored.apply(-3.0, 4.0), Coord { x: 3.0, y: 4.0 }));
        assert!(close(
            Affine::ocs([0.0, 0.0, 1.0]).apply(3.0, 4.0),
            Coord { x: 3.0, y: 4.0 }
        ));
        assert_eq!(Affine::ocs([0.0, 0.0, 0.0]), Affine::IDENTITY);
    }

    #[test]
    fn an_insert_scales_rotates_then_moves() {
        // Block point (10, 5) with base (10, 0), scaled 2, turned 90°, put at (100, 200).
        let placement = Affine::translate(100.0, 200.0)
            .then_after(&Affine::rotate_degrees(90.0))
            .then_after(&Affine::scale(2.0, 2.0))
            .then_after(&Affine::translate(-10.0, 0.0));
        assert!(close(
            placement.apply(10.0, 5.0),
            Coord { x: 90.0, y: 200.0 }
        ));
    }

    #[test]
    fn a_bulge_of_one_is_a_half_circle_on_the_right() {
        let points = bulge_segment(Coord { x: 0.0, y: 0.0 }, Coord { x: 100.0, y: 0.0 }, 1.0);
        assert_eq!(points.len(), 45);
        assert!(close(points[44], Coord { x: 100.0, y: 0.0 }));
        // Counter-clockwise from (0,0) around (50,0): below the chord, through (50,−50).
        for p in &points {
            let r = ((p.x - 50.0).powi(2) + p.y.powi(2)).sqrt();
            assert!((r - 50.0).abs() < 1e-6 && p.y <= 1e-9, "{p:?}");
        }
        let lowest = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        assert!((lowest + 50.0).abs() < 0.05, "{lowest}");
        assert_eq!(
            bulge_segment(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 0.0 }, 0.0).len(),
            1
        );
    }

    #[test]
    fn arcs_and_ellipses_are_at_most_four_degrees_a_segment() {
        let quarter = arc(Coord { x: 0.0, y: 0.0 }, 20.0, 0.0, ccw_sweep(0.0, 90.0));
        // 90° / 4° = 22.5: 23 segments, 24 vertices.
        assert_eq!(quarter.len(), 24);
        assert!(close(quarter[23], Coord { x: 0.0, y: 20.0 }));
        assert!((ccw_sweep(350.0, 10.0).to_degrees() - 20.0).abs() < 1e-9);
        assert!((ccw_sweep(0.0, 360.0).to_degrees() - 360.0).abs() < 1e-9);
        let e = ellipse(
            [0.0, 0.0, 0.0],
            [30.0, 0.0, 0.0],
            0.5,
            [0.0, 0.0, 1.0],
            0.0,
            std::f64::consts::TAU,
        );
        assert_eq!(e.len(), 91);
        assert!(close(e[0], Coord { x: 30.0, y: 0.0 }));
        assert!(close(e[90], Coord { x: 30.0, y: 0.0 }));
        // 88° round: near the end of the minor axis, 15 north (counter-clockwise about +Z).
        let t = 88f64.to_radians();
        assert!(close(
            e[22],
            Coord {
                x: 30.0 * t.cos(),
                y: 15.0 * t.sin()
            }
        ));
    }
}
