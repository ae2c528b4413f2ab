//! Features a few pixels across (a large layer's small polygons at overview scale): their
//! outlines are drawn without egui's feathering, and they are gathered into a few large meshes.
//!
//! egui paints a stroke thinner than a pixel as a feathered ridge two pixels wide, at the
//! stroke's width as opacity: four triangles a segment. Around a polygon a few pixels across
//! the feathering does not show, and it was most of the triangles of a 1M-vertex layer's
//! export. Here such an outline is a strip one pixel wide with the same ink, two triangles a
//! segment, appended with the polygon's fill to one mesh for many consecutive features.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Shape, Vec2};

/// Strokes at most this many pixels wide are hairlines: egui paints them as a feathered ridge
/// two pixels wide, at the stroke's width as opacity.
pub(super) const HAIRLINE_PX: f32 = 0.9;
/// Lines within a box this many pixels wide and high are "a few pixels": their feathering
/// does not show.
const FEW_PIXELS: f32 = 12.0;

/// Whether the points lie within a box a few pixels wide and high.
pub(super) fn spans_few_pixels(pts: &[Pos2]) -> bool {
    let r = Rect::from_points(pts);
    r.width() <= FEW_PIXELS && r.height() <= FEW_PIXELS
}

/// Small items' meshes are pushed when they reach this many vertices: large enough that a
/// layer of small polygons is a few hundred shapes, small enough to be tessellated and drawn
/// in chunks (see `present::render`).
pub(super) const SMALL_MESH_VERTICES: usize = 1 << 15;

/// Pushes the mesh of small items painted so far, if any, leaving it empty.
pub(super) fn flush(small: &mut Mesh, shapes: &mut Vec<Shape>) {
    if !small.is_empty() {
        shapes.push(Shape::mesh(std::mem::take(small)));
    }
}

/// A hairline around a feature a few pixels across, appended to `mesh` without egui's
/// feathering: a strip `2 × half` wide (a pixel), two triangles a segment where egui's
/// feathered ridge takes four, in `ink`: the stroke's colour at its width as opacity, the same
/// ink as the ridge. A large map's small polygons are mostly such outlines. The joints are
/// mitred (the mitre at most twice the half width, so that a sharp corner stays close).
pub(super) fn hairline(mesh: &mut Mesh, pts: &[Pos2], half: f32, ink: Color32) {
    let closed = pts.len() > 3 && pts.first() == pts.last();
    let pts = if closed { &pts[..pts.len() - 1] } else { pts };
    let n = pts.len();
    if n < 2 {
        return;
    }
    let normal = |a: Pos2, b: Pos2| (b - a).normalized().rot90();
    let base = mesh.vertices.len() as u32;
    for i in 0..n {
        let before = (i > 0 || closed).then(|| normal(pts[(i + n - 1) % n], pts[i]));
        let after = (i + 1 < n || closed).then(|| normal(pts[i], pts[(i + 1) % n]));
        let m = match (before, after) {
            (Some(a), Some(b)) => {
                let mid = (a + b).normalized();
                mid / mid.dot(b).max(0.5)
            }
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => Vec2::ZERO,
        };
        mesh.colored_vertex(pts[i] + m * half, ink);
        mesh.colored_vertex(pts[i] - m * half, ink);
    }
    let segments = if closed { n } else { n - 1 } as u32;
    for i in 0..segments {
        let (a, b) = (base + 2 * i, base + 2 * ((i + 1) % n as u32));
        mesh.add_triangle(a, a + 1, b);
        mesh.add_triangle(a + 1, b + 1, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn a_closed_ring_is_a_strip_a_pixel_wide_two_triangles_a_segment() {
        let ring = [
            pos2(0.0, 0.0),
            pos2(4.0, 0.0),
            pos2(4.0, 3.0),
            pos2(0.0, 3.0),
            pos2(0.0, 0.0),
        ];
        let mut mesh = Mesh::default();
        hairline(&mut mesh, &ring, 0.5, Color32::from_black_alpha(200));
        assert_eq!(
            mesh.vertices.len(),
            8,
            "two a corner, the closing one not repeated"
        );
        assert_eq!(
            mesh.indices.len(),
            4 * 2 * 3,
            "two triangles for each of four sides"
        );
        // Each corner's two vertices are mitred: half a pixel from both sides, across.
        for (corner, pair) in ring.iter().zip(mesh.vertices.chunks_exact(2)) {
            for v in pair {
                let d = v.pos - *corner;
                assert!(
                    (d.x.abs() - 0.5).abs() < 1e-4 && (d.y.abs() - 0.5).abs() < 1e-4,
                    "{d:?}"
                );
            }
        }
        let mut open = Mesh::default();
        hairline(&mut open, &ring[..3], 0.5, Color32::BLACK);
        assert_eq!((open.vertices.len(), open.indices.len()), (6, 12));
    }

    #[test]
    fn few_pixels_is_a_box_up_to_twelve_pixels_a_side() {
        assert!(spans_few_pixels(&[pos2(0.0, 0.0), pos2(12.0, 12.0)]));
        assert!(!spans_few_pixels(&[pos2(0.0, 0.0), pos2(12.5, 1.0)]));
    }
}
