//! SVG from egui's shapes before tessellation: real vector paths and real text.
//!
//! Fills are triangle meshes by then (egui fills only convex shapes, so polygons were
//! triangulated); each mesh's outline is recovered from its triangles (the edges used once)
//! and written as one path with the even-odd rule, so that a filled area is one shape, not a
//! seam of triangles. Text is written as `<text>` per row, in Noto Sans SC, the bundled font.

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
        font_base64()
    );
    // Consecutive shapes with the same clip share one group.
    let mut clips: Vec<egui::Rect> = Vec::new();
    let mut open: Option<egui::Rect> = None;
    for clipped in shapes {
        let r = clipped.clip_rect;
        if open != Some(r) {
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
        shape(&mut svg, &clipped.shape, &mut images);
    }
    if open.is_some() {
        svg.push_str("</g>\n");
    }
    svg.push_str("</svg>\n");
    svg
}

/// The bundled font (a subset of Noto Sans SC), for the SVG's @font-face: the file then shows
/// its text in the same font in any browser or editor, installed or not.
fn font_base64() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(crate::doc::NOTO_SANS_SC)
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

fn points(pts: &[Pos2]) -> String {
    let mut s = String::with_capacity(pts.len() * 14);
    for p in pts {
        let _ = write!(s, "{:.2},{:.2} ", p.x, p.y);
    }
    s
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shape(svg: &mut String, s: &Shape, images: &mut Images<'_>) {
    match s {
        Shape::Noop | Shape::Callback(_) => {}
        Shape::Vec(v) => v.iter().for_each(|s| shape(svg, s, images)),
        Shape::Circle(c) => {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.2}" cy="{:.2}" r="{:.2}" {} {}/>"#,
                c.center.x,
                c.center.y,
                c.radius,
                fill_or_none(c.fill),
                stroke(c.stroke.width, c.stroke.color)
            );
        }
        Shape::Ellipse(e) => {
            let _ = writeln!(
                svg,
                r#"<ellipse cx="{:.2}" cy="{:.2}" rx="{:.2}" ry="{:.2}" {} {}/>"#,
                e.center.x,
                e.center.y,
                e.radius.x,
                e.radius.y,
                fill_or_none(e.fill),
                stroke(e.stroke.width, e.stroke.color)
            );
        }
        Shape::LineSegment {
            points: p,
            stroke: st,
        } => {
            let _ = writeln!(
                svg,
                r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" {}/>"#,
                p[0].x,
                p[0].y,
                p[1].x,
                p[1].y,
                stroke(st.width, st.color)
            );
        }
        Shape::Path(p) => {
            let color = match p.stroke.color {
                egui::epaint::ColorMode::Solid(c) => c,
                egui::epaint::ColorMode::UV(_) => Color32::GRAY,
            };
            let tag = if p.closed { "polygon" } else { "polyline" };
            let fill = if p.closed {
                fill_or_none(p.fill)
            } else {
                r#"fill="none""#.to_owned()
            };
            let _ = writeln!(
                svg,
                r#"<{tag} points="{}" {fill} {} stroke-linejoin="round" stroke-linecap="butt"/>"#,
                points(&p.points),
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
        format!(r#"{} stroke-width="{width:.2}""#, paint("stroke", c))
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
            let _ = writeln!(
                svg,
                r#"<polygon points="{}" {}/>"#,
                points(&p),
                paint("fill", m.vertices[t[0] as usize].color)
            );
        }
        return;
    }
    let mut d = String::new();
    for ring in outline(m) {
        let _ = write!(d, "M{:.2},{:.2}", ring[0].x, ring[0].y);
        for p in &ring[1..] {
            let _ = write!(d, "L{:.2},{:.2}", p.x, p.y);
        }
        d.push('Z');
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
