//! SVG from egui's shapes before tessellation: real vector paths and real text.
//!
//! Fills are triangle meshes by then (egui fills only convex shapes, so polygons were
//! triangulated); each mesh's outline is recovered from its triangles (the edges used once)
//! and written as one path with the even-odd rule, so that a filled area is one shape, not a
//! seam of triangles. Text is written as `<text>` per row, in Noto Sans SC, the bundled font,
//! embedded cut down to the characters the file uses (`super::fontsubset`).
//!
//! Kept small (an A3 sheet of the default project well under 1 MB): coordinates to 0.1 point
//! (0.03 mm on paper), lines and outlines as paths of relative moves, and runs of short line
//! segments or dots of one paint (the dashes and dots of our sketches) as one element each.

use std::collections::HashMap;
use std::fmt::Write as _;

use egui::epaint::{ClippedShape, Mesh, TextShape};
use egui::{Color32, Pos2, Shape};

/// Images of textured meshes (tiles under the map) as PNG data URIs, each encoded once.
struct Images<'a> {
    textures: &'a super::raster::Textures,
    uris: HashMap<egui::TextureId, Option<String>>,
}

/// The SVG document of `shapes` on a `width_px` × `height_px` canvas; tiles come from
/// `textures`.
pub fn to_svg(
    shapes: &[ClippedShape],
    width_px: u32,
    height_px: u32,
    ppp: f32,
    textures: &super::raster::Textures,
) -> String {
    let mut images = Images {
        textures,
        uris: HashMap::new(),
    };
    let mut svg = String::with_capacity(1 << 20);
    let _ = write!(
        svg,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" viewBox="0 0 {} {}" font-family="Noto Sans SC, sans-serif">
<style>@font-face {{ font-family: "Noto Sans SC"; src: url(data:font/ttf;base64,{}) format("truetype"); }}</style>
"#,
        width_px as f32 / ppp,
        height_px as f32 / ppp,
        font_base64(shapes)
    );
    let mut batch = Batch::default();
    // Consecutive shapes with the same clip share one group.
    let mut clips: Vec<egui::Rect> = Vec::new();
    let mut open: Option<egui::Rect> = None;
    for clipped in shapes {
        let r = clipped.clip_rect;
        if open != Some(r) {
            batch.flush(&mut svg);
            if open.is_some() {
                svg.push_str("</g>\n");
            }
            let id = match clips.iter().position(|c| *c == r) {
                Some(i) => i,
                None => {
                    clips.push(r);
                    let i = clips.len() - 1;
                    let _ = writeln!(
                        svg,
                        r#"<clipPath id="c{i}"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/></clipPath>"#,
                        r.min.x,
                        r.min.y,
                        r.width(),
                        r.height()
                    );
                    i
                }
            };
            let _ = writeln!(svg, r#"<g clip-path="url(#c{id})">"#);
            open = Some(r);
        }
        shape(&mut svg, &mut batch, &clipped.shape, &mut images);
    }
    batch.flush(&mut svg);
    if open.is_some() {
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>\n");
    svg
}

/// The bundled font (Noto Sans SC) with the characters of `shapes`, for the SVG's
/// @font-face: the file then shows its text in the same font in any browser or editor,
/// installed or not. Should subsetting fail, the whole font goes in: a larger file, but the
/// same picture.
fn font_base64(shapes: &[ClippedShape]) -> String {
    use base64::Engine as _;
    let mut chars = std::collections::BTreeSet::new();
    for clipped in shapes {
        text_chars(&clipped.shape, &mut chars);
    }
    let font = match super::fontsubset::subset_font(chars) {
        Ok(subset) => std::borrow::Cow::Owned(subset),
        Err(e) => {
            log::warn!("SVG export: {e}; the whole font is embedded");
            std::borrow::Cow::Borrowed(crate::doc::NOTO_SANS_SC)
        }
    };
    base64::engine::general_purpose::STANDARD.encode(font)
}

/// The characters of the texts of a shape.
fn text_chars(shape: &Shape, chars: &mut std::collections::BTreeSet<char>) {
    match shape {
        Shape::Text(t) => chars.extend(
            t.galley
                .rows
                .iter()
                .flat_map(|r| r.row.glyphs.iter().map(|g| g.chr)),
        ),
        Shape::Vec(v) => v.iter().for_each(|s| text_chars(s, chars)),
        _ => {}
    }
}

/// `fill="#rrggbb" fill-opacity="a"` style attributes of a premultiplied colour.
fn paint(attr: &str, c: Color32) -> String {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    if a == 255 {
        format!(r##"{attr}="#{r:02x}{g:02x}{b:02x}""##)
    } else {
        format!(
            r##"{attr}="#{r:02x}{g:02x}{b:02x}" {attr}-opacity="{:.3}""##,
            f32::from(a) / 255.0
        )
    }
}

/// A coordinate or length to 0.1, without trailing zeros: `12.3`, `12`, `-0.5`.
fn num(v: f32) -> String {
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{:.1}", tenths as f64 / 10.0)
    }
}

/// Path data through `pts`: an absolute move, then relative lines between the points rounded
/// to 0.1 (the rounding does not add up along the line); `Z` when closed.
fn path_data(d: &mut String, pts: &[Pos2], close: bool) {
    let Some(first) = pts.first() else { return };
    let tenth = |v: f32| (v * 10.0).round() as i64;
    let (mut x, mut y) = (tenth(first.x), tenth(first.y));
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    for (i, p) in pts[1..].iter().enumerate() {
        let (nx, ny) = (tenth(p.x), tenth(p.y));
        let (dx, dy) = ((nx - x) as f32 / 10.0, (ny - y) as f32 / 10.0);
        let sep = if i == 0 { "l" } else { " " };
        let _ = write!(d, "{sep}{},{}", num(dx), num(dy));
        (x, y) = (nx, ny);
    }
    if close {
        d.push('Z');
    }
}

/// Runs of consecutive shapes of one paint written as one element: line segments as one path
/// (a segment that starts where the last ended continues it), filled dots as one path of
/// zero-length round-capped strokes, outlined dots as circles in one group. Flushed before any
/// other shape and at a change of clip.
#[derive(Default)]
struct Batch {
    /// The paint attributes of the run and what it is of.
    key: Option<(String, Run)>,
    body: String,
    /// Where the path's pen is, in tenths of a point.
    pen: Option<(i64, i64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Lines,
    Dots,
    Circles,
}

impl Batch {
    fn start(&mut self, svg: &mut String, key: String, run: Run) {
        if self
            .key
            .as_ref()
            .is_some_and(|(k, r)| *k != key || *r != run)
        {
            self.flush(svg);
        }
        if self.key.is_none() {
            self.key = Some((key, run));
        }
    }

    /// Moves the pen to `p` (relative to where it is, if anywhere); whether it moved.
    fn move_to(&mut self, p: Pos2) -> bool {
        let to = ((p.x * 10.0).round() as i64, (p.y * 10.0).round() as i64);
        let moved = match self.pen {
            Some(at) if at == to => false,
            Some((x, y)) => {
                let (dx, dy) = ((to.0 - x) as f32 / 10.0, (to.1 - y) as f32 / 10.0);
                let _ = write!(self.body, "m{},{}", num(dx), num(dy));
                true
            }
            None => {
                let _ = write!(self.body, "M{},{}", num(p.x), num(p.y));
                true
            }
        };
        self.pen = Some(to);
        moved
    }

    fn line_to(&mut self, p: Pos2) {
        let to = ((p.x * 10.0).round() as i64, (p.y * 10.0).round() as i64);
        let (x, y) = self.pen.unwrap_or(to);
        let (dx, dy) = ((to.0 - x) as f32 / 10.0, (to.1 - y) as f32 / 10.0);
        let _ = write!(self.body, "l{},{}", num(dx), num(dy));
        self.pen = Some(to);
    }

    fn flush(&mut self, svg: &mut String) {
        self.pen = None;
        let Some((key, run)) = self.key.take() else {
            return;
        };
        match run {
            Run::Lines => {
                let _ = writeln!(svg, r#"<path d="{}" fill="none" {key}/>"#, self.body);
            }
            Run::Dots => {
                let _ = writeln!(
                    svg,
                    r#"<path d="{}" fill="none" stroke-linecap="round" {key}/>"#,
                    self.body
                );
            }
            Run::Circles => {
                let _ = writeln!(svg, "<g {key}>{}</g>", self.body);
            }
        }
        self.body.clear();
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shape(svg: &mut String, batch: &mut Batch, s: &Shape, images: &mut Images<'_>) {
    match s {
        Shape::Vec(v) => return v.iter().for_each(|s| shape(svg, batch, s, images)),
        Shape::Circle(c) if c.stroke.width <= 0.0 || c.stroke.color.a() == 0 => {
            if c.fill.a() > 0 && c.radius > 0.0 {
                // A dot: a zero-length stroke as wide as the dot, with round caps.
                let key = stroke(c.radius * 2.0, c.fill);
                batch.start(svg, key, Run::Dots);
                batch.move_to(c.center);
                batch.body.push_str("h0");
            }
            return;
        }
        Shape::Circle(c) => {
            let key = format!(
                "{} {}",
                fill_or_none(c.fill),
                stroke(c.stroke.width, c.stroke.color)
            );
            batch.start(svg, key, Run::Circles);
            let _ = write!(
                batch.body,
                r#"<circle cx="{}" cy="{}" r="{}"/>"#,
                num(c.center.x),
                num(c.center.y),
                num(c.radius),
            );
            return;
        }
        Shape::LineSegment {
            points: p,
            stroke: st,
        } => {
            let key = stroke(st.width, st.color);
            if key.is_empty() {
                return;
            }
            batch.start(svg, key, Run::Lines);
            batch.move_to(p[0]);
            batch.line_to(p[1]);
            return;
        }
        _ => batch.flush(svg),
    }
    match s {
        Shape::Noop | Shape::Callback(_) | Shape::Vec(_) | Shape::Circle(_) => {}
        Shape::Ellipse(e) => {
            let _ = writeln!(
                svg,
                r#"<ellipse cx="{}" cy="{}" rx="{}" ry="{}" {} {}/>"#,
                num(e.center.x),
                num(e.center.y),
                num(e.radius.x),
                num(e.radius.y),
                fill_or_none(e.fill),
                stroke(e.stroke.width, e.stroke.color)
            );
        }
        Shape::LineSegment { .. } => {}
        Shape::Path(p) => {
            let color = match p.stroke.color {
                egui::epaint::ColorMode::Solid(c) => c,
                egui::epaint::ColorMode::UV(_) => Color32::GRAY,
            };
            let fill = if p.closed {
                fill_or_none(p.fill)
            } else {
                r#"fill="none""#.to_owned()
            };
            let mut d = String::with_capacity(p.points.len() * 9);
            path_data(&mut d, &p.points, p.closed);
            let _ = writeln!(
                svg,
                r#"<path d="{d}" {fill} {} stroke-linejoin="round"/>"#,
                stroke(p.stroke.width, color)
            );
        }
        Shape::Rect(r) => {
            let cr = r.corner_radius.nw as f32;
            let _ = writeln!(
                svg,
                r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" rx="{cr}" {} {}/>"#,
                r.rect.min.x,
                r.rect.min.y,
                r.rect.width(),
                r.rect.height(),
                fill_or_none(r.fill),
                stroke(r.stroke.width, r.stroke.color)
            );
        }
        Shape::Text(t) => text(svg, t),
        Shape::Mesh(m) if m.texture_id != egui::TextureId::default() => textured(svg, m, images),
        Shape::Mesh(m) => mesh(svg, m),
        // Not used by the map or the slide.
        Shape::Band(_) | Shape::QuadraticBezier(_) | Shape::CubicBezier(_) => {}
    }
}

fn fill_or_none(c: Color32) -> String {
    if c.a() == 0 {
        r#"fill="none""#.to_owned()
    } else {
        paint("fill", c)
    }
}

fn stroke(width: f32, c: Color32) -> String {
    if width <= 0.0 || c.a() == 0 {
        String::new()
    } else {
        format!(
            r#"{} stroke-width="{}""#,
            paint("stroke", c),
            num(width.max(0.05))
        )
    }
}

fn text(svg: &mut String, t: &TextShape) {
    let galley = &t.galley;
    for placed in &galley.rows {
        let Some(first) = placed.row.glyphs.first() else {
            continue;
        };
        let content: String = placed.row.glyphs.iter().map(|g| g.chr).collect();
        // The map's and the slide's texts are one section each (one font, one colour).
        let Some(section) = galley.job.sections.first() else {
            continue;
        };
        let color = t
            .override_text_color
            .unwrap_or(if section.format.color == Color32::PLACEHOLDER {
                t.fallback_color
            } else {
                section.format.color
            })
            .gamma_multiply(t.opacity_factor);
        let x = t.pos.x + placed.pos.x + first.pos.x;
        let y = t.pos.y + placed.pos.y + first.pos.y;
        let _ = writeln!(
            svg,
            r#"<text x="{x:.2}" y="{y:.2}" font-size="{:.2}" {} xml:space="preserve">{}</text>"#,
            section.format.font_id.size,
            paint("fill", color),
            escape(&content)
        );
    }
}

/// A textured mesh (tiles: quads of four vertices) as images, each quad showing the part of
/// the texture its corners map.
fn textured(svg: &mut String, m: &Mesh, images: &mut Images<'_>) {
    let textures = images.textures;
    let uri = images.uris.entry(m.texture_id).or_insert_with(|| {
        textures.png(m.texture_id).map(|png| {
            use base64::Engine as _;
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            )
        })
    });
    let (Some(uri), Some((w, h))) = (uri.as_ref(), textures.size(m.texture_id)) else {
        return;
    };
    let (w, h) = (w as f32, h as f32);
    for quad in m.vertices.chunks_exact(4) {
        let r = egui::Rect::from_points(&quad.iter().map(|v| v.pos).collect::<Vec<_>>());
        let uv = egui::Rect::from_points(&quad.iter().map(|v| v.uv).collect::<Vec<_>>());
        let _ = writeln!(
            svg,
            r#"<svg x="{:.3}" y="{:.3}" width="{:.3}" height="{:.3}" viewBox="{:.3} {:.3} {:.3} {:.3}" preserveAspectRatio="none"><image width="{w}" height="{h}" href="{uri}"/></svg>"#,
            r.min.x,
            r.min.y,
            r.width(),
            r.height(),
            uv.min.x * w,
            uv.min.y * h,
            uv.width() * w,
            uv.height() * h,
        );
    }
}

/// A mesh of one colour as one path around its outline; a mesh of several colours (a rare
/// gradient) as its triangles.
fn mesh(svg: &mut String, m: &Mesh) {
    let Some(first) = m.vertices.first() else {
        return;
    };
    let one_colour = m.vertices.iter().all(|v| v.color == first.color);
    if !one_colour {
        for t in m.indices.chunks_exact(3) {
            let p: Vec<Pos2> = t.iter().map(|i| m.vertices[*i as usize].pos).collect();
            let mut d = String::new();
            path_data(&mut d, &p, true);
            let _ = writeln!(
                svg,
                r#"<path d="{d}" {}/>"#,
                paint("fill", m.vertices[t[0] as usize].color)
            );
        }
        return;
    }
    let mut d = String::new();
    for ring in outline(m) {
        path_data(&mut d, &ring, true);
    }
    if !d.is_empty() {
        let _ = writeln!(
            svg,
            r#"<path d="{d}" fill-rule="evenodd" {}/>"#,
            paint("fill", first.color)
        );
    }
}

/// The rings around a triangle mesh: its edges that belong to one triangle only, chained.
/// Vertices are matched by position, since a mesh may repeat a vertex.
pub fn outline(m: &Mesh) -> Vec<Vec<Pos2>> {
    /// A position, by its exact bits.
    type Key = (u32, u32);
    let key = |p: Pos2| -> Key { (p.x.to_bits(), p.y.to_bits()) };
    let mut count: HashMap<(Key, Key), i32> = HashMap::new();
    let mut directed: Vec<(Key, Key)> = Vec::new();
    for t in m.indices.chunks_exact(3) {
        for (a, b) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] {
            let (a, b) = (
                key(m.vertices[a as usize].pos),
                key(m.vertices[b as usize].pos),
            );
            if a == b {
                continue;
            }
            let undirected = if a < b { (a, b) } else { (b, a) };
            *count.entry(undirected).or_default() += 1;
            directed.push((a, b));
        }
    }
    let mut next: HashMap<Key, Vec<Key>> = HashMap::new();
    for (a, b) in directed {
        let undirected = if a < b { (a, b) } else { (b, a) };
        if count.get(&undirected) == Some(&1) {
            next.entry(a).or_default().push(b);
        }
    }
    let pos = |k: Key| Pos2::new(f32::from_bits(k.0), f32::from_bits(k.1));
    let mut starts: Vec<Key> = next.keys().copied().collect();
    starts.sort_unstable();
    let mut rings = Vec::new();
    for start in starts {
        while let Some(mut at) = next.get_mut(&start).and_then(Vec::pop) {
            let mut ring = vec![pos(start)];
            while at != start {
                ring.push(pos(at));
                match next.get_mut(&at).and_then(Vec::pop) {
                    Some(n) => at = n,
                    None => break,
                }
            }
            if ring.len() >= 3 {
                rings.push(ring);
            }
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{Vertex, WHITE_UV};
    use egui::pos2;

    #[test]
    fn the_outline_of_a_triangulated_square_with_a_hole_is_its_two_rings() {
        // A 4×4 square with a 2×2 hole, as 8 triangles.
        let outer = [(0., 0.), (4., 0.), (4., 4.), (0., 4.)];
        let inner = [(1., 1.), (3., 1.), (3., 3.), (1., 3.)];
        let mut m = Mesh::default();
        for (x, y) in outer.iter().chain(inner.iter()) {
            m.vertices.push(Vertex {
                pos: pos2(*x, *y),
                uv: WHITE_UV,
                color: Color32::RED,
            });
        }
        for i in 0..4u32 {
            let j = (i + 1) % 4;
            m.indices.extend([i, j, 4 + j, i, 4 + j, 4 + i]);
        }
        let rings = outline(&m);
        assert_eq!(rings.len(), 2);
        assert!(rings.iter().all(|r| r.len() == 4));
    }
}
