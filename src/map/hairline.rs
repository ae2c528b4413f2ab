//! Features a few pixels across (a large layer's small polygons at overview scale): their
//! outlines are drawn without egui's feathering, and they are gathered into a few large meshes.
//!
//! egui feathers every stroke: a pixel-wide ramp on each side, four triangles a segment for a
//! stroke thinner than a pixel (a ridge two pixels wide at the stroke's width as opacity), six
//! for a wider one, and eight vertices a dash. Around a polygon a few pixels across the
//! feathering does not show, and it was most of the triangles of a 1M-vertex layer: of its
//! export, and of each frame of the app at the layer's extent, where egui copies every vertex
//! handed to it. Here such an outline is a strip without feathering, two triangles a segment:
//! a pixel wide with the same ink for a hairline, the stroke's width otherwise, cut into the
//! same dashes as egui cuts a dashed stroke (one quad a dash). Dashes are kept however small
//! the polygon, so a dashed layer stays dashed wherever a dash can be seen. A feature at most
//! [`TINY_PX`] across is one dot: a square over its extent and the outline's half width, in
//! the outline's ink over its fill, as its outline would cover it all anyway.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Shape, Vec2};

use crate::model::style::{Paint, Rgba};

use super::clip::{clip_polyline, dash_offset};
use super::draw::{MapFrame, color};
use super::lod::Lod;

/// Strokes at most this many pixels wide are hairlines: egui paints them as a feathered ridge
/// two pixels wide, at the stroke's width as opacity.
pub(super) const HAIRLINE_PX: f32 = 0.9;
/// Features at most this many pixels wide and high are drawn as one dot.
pub(super) const TINY_PX: f32 = 2.0;
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

impl MapFrame<'_> {
    /// Appends an item a few pixels across to `small`: its fill, then its `stroke` (colour and
    /// width in points) unfeathered and dashed as the paint says; or, at most [`TINY_PX`]
    /// across, one dot. `lines` are its lines on screen, outer rings included.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paint_small(
        &self,
        p: &Paint,
        lod: &Lod,
        lines: &[Vec<Pos2>],
        (stroke, width): (Rgba, f32),
        opacity: f32,
        ppp: f32,
        small: &mut Mesh,
    ) {
        // A stroke thinner than a hairline is a pixel wide at its width as opacity, the ink of
        // egui's feathered ridge.
        let (half, ink) = if width * ppp <= HAIRLINE_PX {
            (
                0.5 / ppp,
                color(stroke, opacity).gamma_multiply(width * ppp),
            )
        } else {
            (0.5 * width, color(stroke, opacity))
        };
        let fill = match (p.fill, &lod.fill) {
            (Some(fill), Some(mesh)) => Some((color(fill, opacity), mesh)),
            _ => None,
        };
        let extent = lines
            .iter()
            .fold(Rect::NOTHING, |r, pts| r.union(Rect::from_points(pts)));
        if extent.width().max(extent.height()) * ppp <= TINY_PX {
            let c = fill.map_or(ink, |(fill, _)| over(ink, fill));
            dot(small, extent.expand(half), c);
            return;
        }
        if let Some((fill, mesh)) = fill {
            self.fill_into(small, lod, mesh, fill);
        }
        for pts in lines {
            match p.dash_px {
                Some((dash, gap)) => {
                    for run in clip_polyline(pts, self.pattern_rect(dash + gap + width)) {
                        let offset = dash_offset(run.start, dash, gap);
                        dashes(small, &run.points, half, ink, (dash, gap), offset);
                    }
                }
                None => hairline(small, pts, half, ink),
            }
        }
    }
}

/// Premultiplied `top` over `bottom`.
pub(super) fn over(top: Color32, bottom: Color32) -> Color32 {
    let keep = 255 - u16::from(top.a());
    let mix = |t: u8, b: u8| t.saturating_add(((u16::from(b) * keep + 127) / 255) as u8);
    Color32::from_rgba_premultiplied(
        mix(top.r(), bottom.r()),
        mix(top.g(), bottom.g()),
        mix(top.b(), bottom.b()),
        mix(top.a(), bottom.a()),
    )
}

/// A filled rectangle, two triangles.
fn dot(mesh: &mut Mesh, r: Rect, c: Color32) {
    let base = mesh.vertices.len() as u32;
    for p in [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
    ] {
        mesh.colored_vertex(p, c);
    }
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base, base + 2, base + 3);
}

/// The dashes of a line, `2 × half` wide, without feathering: cut as egui cuts a dashed
/// stroke (`Shape::dashed_line_many_with_offset`: `offset` of gap first, then dash and gap in
/// turn), each dash a strip along its points (see [`hairline`]).
pub(super) fn dashes(
    mesh: &mut Mesh,
    pts: &[Pos2],
    half: f32,
    ink: Color32,
    (dash, gap): (f32, f32),
    offset: f32,
) {
    let mut position = offset;
    let mut drawing = false;
    let mut current: Vec<Pos2> = Vec::new();
    let add = |current: &mut Vec<Pos2>, p: Pos2| {
        if current.last() != Some(&p) {
            current.push(p);
        }
    };
    for w in pts.windows(2) {
        let (start, end) = (w[0], w[1]);
        let length = (end - start).length();
        while position < length {
            add(&mut current, start + (end - start) * (position / length));
            if drawing {
                hairline(mesh, &current, half, ink);
                current.clear();
                position += gap;
            } else {
                position += dash;
            }
            drawing = !drawing;
        }
        if drawing {
            add(&mut current, end);
        }
        position -= length;
    }
    if drawing {
        hairline(mesh, &current, half, ink);
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
    fn dashes_are_cut_as_egui_cuts_them_each_a_strip() {
        // 20 px with dashes of 6 and gaps of 3, from the start: 0–6, 9–15 and 18–20.
        let line = [pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(20.0, 0.0)];
        let mut mesh = Mesh::default();
        dashes(&mut mesh, &line, 1.0, Color32::BLACK, (6.0, 3.0), 0.0);
        let xs: Vec<f32> = mesh.vertices.iter().step_by(2).map(|v| v.pos.x).collect();
        // The second dash runs over the vertex at 10: three points, one strip.
        assert_eq!(xs, [0.0, 6.0, 9.0, 10.0, 15.0, 18.0, 20.0]);
        assert_eq!(mesh.indices.len(), (1 + 2 + 1) * 2 * 3);
        assert!(mesh.vertices.iter().all(|v| v.pos.y.abs() == 1.0));
        // With an offset, a gap comes first.
        let mut offset = Mesh::default();
        dashes(&mut offset, &line, 1.0, Color32::BLACK, (6.0, 3.0), 2.0);
        assert_eq!(offset.vertices[0].pos.x, 2.0);
    }

    #[test]
    fn over_is_premultiplied_alpha_over() {
        let ink = Color32::from_rgba_premultiplied(100, 0, 50, 128);
        let fill = Color32::from_rgba_premultiplied(40, 40, 40, 40);
        assert_eq!(
            over(ink, fill),
            Color32::from_rgba_premultiplied(120, 20, 70, 148)
        );
        assert_eq!(over(Color32::BLACK, fill), Color32::BLACK);
    }

    #[test]
    fn few_pixels_is_a_box_up_to_twelve_pixels_a_side() {
        assert!(spans_few_pixels(&[pos2(0.0, 0.0), pos2(12.0, 12.0)]));
        assert!(!spans_few_pixels(&[pos2(0.0, 0.0), pos2(12.5, 1.0)]));
    }
}
