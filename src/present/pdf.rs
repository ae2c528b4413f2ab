//! Vector PDF from egui's shapes before tessellation, through `krilla`: the same shapes the PNG
//! rasterizer and the SVG writer get, so the three cannot drift apart.
//!
//! Paths stay paths (a filled mesh becomes the outline recovered from its triangles, as in the
//! SVG). Text is real text: each row of a galley is drawn as glyphs of the bundled font at the
//! positions egui laid them out at, with their characters attached, so that it can be searched
//! and copied. krilla embeds the font as a subset of the glyphs used (a CID font with a
//! ToUnicode map), so a page costs tens of kilobytes of font, not 2.4 MB.
//!
//! Why krilla and not `svg2pdf` over the SVG we write: svg2pdf lays the SVG's text out again
//! (usvg and rustybuzz), so glyphs would land where usvg puts them, not where egui put them on
//! screen and in the PNG; krilla's `draw_glyphs` takes our glyph positions as they are.

use egui::epaint::{ClippedShape, Mesh, PathStroke, TextShape};
use std::collections::HashMap;

use egui::{Color32, Pos2, Shape, TextureId};
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::raster::Textures;
use super::render::Rendered;

/// A PDF point is 1/72 in; an egui point in an export is a CSS pixel, 1/96 in.
pub const PDF_POINTS_PER_POINT: f32 = 72.0 / 96.0;

/// What the document says about itself (File › Properties in a PDF reader).
#[derive(Clone, Debug, Default)]
pub struct PdfInfo {
    pub title: String,
    pub author: String,
}

/// The PDF of `pages`, one page each, sized as their canvases (at 96 points to the inch), on
/// `background` (what the PNG is filled with first).
pub fn to_pdf(pages: &[Rendered], background: Color32, info: &PdfInfo) -> Result<Vec<u8>, String> {
    let font = Font::new(krilla::Data::from(crate::doc::NOTO_SANS_SC), 0)
        .ok_or_else(|| "the bundled font cannot be read".to_owned())?;
    let glyphs = GlyphMap::new()?;
    let mut document = krilla::Document::new();
    let mut metadata = krilla::metadata::Metadata::new().creator("OneMap".to_owned());
    if !info.title.is_empty() {
        metadata = metadata.title(info.title.clone());
    }
    if !info.author.is_empty() {
        metadata = metadata.authors(vec![info.author.clone()]);
    }
    document.set_metadata(metadata);
    for rendered in pages {
        // The tiles as images, each made once; texture ids are one rendering's: per page.
        let mut images = HashMap::new();
        let size = rendered.size_in_points() * PDF_POINTS_PER_POINT;
        let settings = PageSettings::from_wh(size.x, size.y)
            .ok_or_else(|| format!("{} × {} pt is not a page size", size.x, size.y))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface.push_transform(&Transform::from_scale(
            PDF_POINTS_PER_POINT,
            PDF_POINTS_PER_POINT,
        ));
        let mut writer = PageWriter {
            surface: &mut surface,
            font: &font,
            glyphs: &glyphs,
            textures: &rendered.textures,
            images: &mut images,
            clip: egui::Rect::EVERYTHING,
        };
        let page_rect = egui::Rect::from_min_size(Pos2::ZERO, rendered.size_in_points());
        writer.draw(
            rounded_rect(page_rect, 0.0),
            background,
            0.0,
            Color32::TRANSPARENT,
        );
        writer.shapes(&rendered.shapes);
        surface.pop();
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| e.to_string())
}

/// Characters to glyph ids of the bundled font (its `cmap`).
struct GlyphMap {
    cmap: read_fonts::tables::cmap::Cmap<'static>,
}

impl GlyphMap {
    fn new() -> Result<Self, String> {
        use read_fonts::TableProvider as _;
        let font = read_fonts::FontRef::new(crate::doc::NOTO_SANS_SC)
            .map_err(|e| format!("the bundled font cannot be read: {e}"))?;
        let cmap = font
            .cmap()
            .map_err(|e| format!("the bundled font has no character map: {e}"))?;
        Ok(Self { cmap })
    }

    /// The glyph of `c`; a character the font lacks is its .notdef box (glyph 0), so that the
    /// text still reads and copies as written.
    fn glyph(&self, c: char) -> u32 {
        self.cmap.map_codepoint(c).map_or(0, |g| g.to_u32())
    }
}

struct PageWriter<'s, 'a> {
    surface: &'s mut Surface<'a>,
    font: &'s Font,
    glyphs: &'s GlyphMap,
    /// The textures of the page's textured meshes (the tiles under the map).
    textures: &'s Textures,
    /// The images cut out of them, by texture and texels (krilla writes an image once however
    /// often it is drawn).
    images: &'s mut HashMap<(TextureId, [usize; 4]), Option<Image>>,
    /// The clip rectangle of the shapes being drawn.
    clip: egui::Rect,
}

impl PageWriter<'_, '_> {
    /// Consecutive shapes with the same clip share one clip path; shapes clipped to nothing
    /// are left out.
    fn shapes(&mut self, shapes: &[ClippedShape]) {
        // The clip rectangle of the open group, and whether a clip path was pushed for it.
        let mut open: Option<(egui::Rect, bool)> = None;
        for clipped in shapes {
            let r = clipped.clip_rect;
            if open.map(|(o, _)| o) != Some(r) {
                if let Some((_, true)) = open {
                    self.surface.pop();
                }
                let clip = krilla::geom::Rect::from_ltrb(r.left(), r.top(), r.right(), r.bottom())
                    .and_then(|rect| {
                        let mut b = PathBuilder::new();
                        b.push_rect(rect);
                        b.finish()
                    });
                if let Some(path) = &clip {
                    self.surface.push_clip_path(path, &FillRule::NonZero);
                }
                open = Some((r, clip.is_some()));
            }
            if open.is_some_and(|(_, pushed)| pushed) {
                self.clip = r;
                self.shape(&clipped.shape);
            }
        }
        if let Some((_, true)) = open {
            self.surface.pop();
        }
    }

    fn shape(&mut self, s: &Shape) {
        match s {
            Shape::Noop | Shape::Callback(_) => {}
            Shape::Vec(v) => v.iter().for_each(|s| self.shape(s)),
            Shape::Circle(c) => {
                let path = ellipse(c.center, c.radius, c.radius);
                self.draw(path, c.fill, c.stroke.width, c.stroke.color);
            }
            Shape::Ellipse(e) => {
                let path = ellipse(e.center, e.radius.x, e.radius.y);
                self.draw(path, e.fill, e.stroke.width, e.stroke.color);
            }
            Shape::LineSegment { points, stroke } => {
                let path = polyline(points, false);
                self.draw(path, Color32::TRANSPARENT, stroke.width, stroke.color);
            }
            Shape::Path(p) => {
                let path = polyline(&p.points, p.closed);
                let fill = if p.closed {
                    p.fill
                } else {
                    Color32::TRANSPARENT
                };
                self.draw(path, fill, p.stroke.width, path_color(&p.stroke));
            }
            Shape::Rect(r) => {
                // egui strokes a rectangle inside, on or outside its edge.
                let half = r.stroke.width / 2.0;
                let stroke_rect = match r.stroke_kind {
                    egui::StrokeKind::Inside => r.rect.shrink(half),
                    egui::StrokeKind::Middle => r.rect,
                    egui::StrokeKind::Outside => r.rect.expand(half),
                };
                let radius = f32::from(r.corner_radius.nw);
                self.draw(
                    rounded_rect(r.rect, radius),
                    r.fill,
                    0.0,
                    Color32::TRANSPARENT,
                );
                self.draw(
                    rounded_rect(stroke_rect, radius),
                    Color32::TRANSPARENT,
                    r.stroke.width,
                    r.stroke.color,
                );
            }
            Shape::Text(t) => self.text(t),
            Shape::Mesh(m) if m.texture_id != TextureId::default() => self.textured(m),
            Shape::Mesh(m) => self.mesh(m),
            // Not used by the map or the slide.
            Shape::Band(_) | Shape::QuadraticBezier(_) | Shape::CubicBezier(_) => {}
        }
    }

    fn draw(&mut self, path: Option<Path>, fill: Color32, width: f32, stroke: Color32) {
        let Some(path) = path else { return };
        let fill = (fill.a() > 0).then(|| Fill {
            paint: rgb_of(fill).into(),
            opacity: opacity(fill),
            rule: FillRule::NonZero,
        });
        let stroke = (width > 0.0 && stroke.a() > 0).then(|| Stroke {
            paint: rgb_of(stroke).into(),
            width,
            opacity: opacity(stroke),
            line_join: LineJoin::Round,
            line_cap: LineCap::Butt,
            ..Stroke::default()
        });
        if fill.is_none() && stroke.is_none() {
            return;
        }
        self.surface.set_fill(fill);
        self.surface.set_stroke(stroke);
        self.surface.draw_path(&path);
    }

    /// A mesh of one colour as one even-odd path around its outline; a mesh of several colours
    /// (a rare gradient) as its triangles.
    fn mesh(&mut self, m: &Mesh) {
        let Some(first) = m.vertices.first() else {
            return;
        };
        if m.vertices.iter().all(|v| v.color == first.color) {
            let mut b = PathBuilder::new();
            for ring in super::svg::outline(m) {
                push_ring(&mut b, &ring, true);
            }
            self.fill_even_odd(b.finish(), first.color);
        } else {
            for t in m.indices.chunks_exact(3) {
                let p: Vec<Pos2> = t.iter().map(|i| m.vertices[*i as usize].pos).collect();
                self.fill_even_odd(polyline(&p, true), m.vertices[t[0] as usize].color);
            }
        }
    }

    /// A textured mesh (tiles: quads of four vertices) as images, each quad clipped to its
    /// rectangle and showing the part of the texture its corners map. Only the part inside
    /// the clip, cut out of the texture: an overzoomed tile is tens of thousands of points
    /// wide, more than PDF readers draw (poppler left it out), and shows a few of its texels.
    fn textured(&mut self, m: &Mesh) {
        let Some((w, h)) = self.textures.size(m.texture_id) else {
            return;
        };
        let (wf, hf) = (w as f32, h as f32);
        for quad in m.vertices.chunks_exact(4) {
            let whole = egui::Rect::from_points(&quad.iter().map(|v| v.pos).collect::<Vec<_>>());
            let whole_uv = egui::Rect::from_points(&quad.iter().map(|v| v.uv).collect::<Vec<_>>());
            // The part of the quad inside the clip (an overzoomed tile is far larger than the
            // page), and the part of the texture on it.
            let r = whole.intersect(self.clip);
            if r.width() <= 0.0 || r.height() <= 0.0 || whole.width() <= 0.0 {
                continue;
            }
            let to_uv = |p: Pos2| {
                let t = (p - whole.min) / whole.size();
                whole_uv.min + t * whole_uv.size()
            };
            let uv = egui::Rect::from_min_max(to_uv(r.min), to_uv(r.max));
            if uv.width() <= 0.0 || uv.height() <= 0.0 {
                continue;
            }
            // The texels the quad shows, whole ones.
            let x0 = ((uv.min.x * wf).floor().max(0.0) as usize).min(w - 1);
            let y0 = ((uv.min.y * hf).floor().max(0.0) as usize).min(h - 1);
            let x1 = ((uv.max.x * wf).ceil() as usize).clamp(x0 + 1, w);
            let y1 = ((uv.max.y * hf).ceil() as usize).clamp(y0 + 1, h);
            let textures = self.textures;
            let image = self
                .images
                .entry((m.texture_id, [x0, y0, x1, y1]))
                .or_insert_with(|| {
                    let rgba = textures.rgba(m.texture_id)?;
                    let rows = (y0..y1).flat_map(|y| &rgba[(y * w + x0) * 4..(y * w + x1) * 4]);
                    let crop: Vec<u8> = rows.copied().collect();
                    Some(Image::from_rgba8(crop, (x1 - x0) as u32, (y1 - y0) as u32))
                })
                .clone();
            // Points a texel, and where the cut-out's corner lands.
            let (sx, sy) = (
                r.width() / (uv.width() * wf),
                r.height() / (uv.height() * hf),
            );
            let left = r.min.x - (uv.min.x * wf - x0 as f32) * sx;
            let top = r.min.y - (uv.min.y * hf - y0 as f32) * sy;
            let size = Size::from_wh((x1 - x0) as f32 * sx, (y1 - y0) as f32 * sy);
            let (Some(image), Some(clip), Some(size)) = (image, rounded_rect(r, 0.0), size) else {
                continue;
            };
            self.surface.push_clip_path(&clip, &FillRule::NonZero);
            self.surface
                .push_transform(&Transform::from_translate(left, top));
            self.surface.draw_image(image, size);
            self.surface.pop();
            self.surface.pop();
        }
    }

    fn fill_even_odd(&mut self, path: Option<Path>, color: Color32) {
        let Some(path) = path else { return };
        if color.a() == 0 {
            return;
        }
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill {
            paint: rgb_of(color).into(),
            opacity: opacity(color),
            rule: FillRule::EvenOdd,
        }));
        self.surface.draw_path(&path);
    }

    /// Each row as a run of glyphs at egui's positions, with its characters for copying.
    fn text(&mut self, t: &TextShape) {
        let galley = &t.galley;
        // The map's and the slide's texts are one section each (one font, one colour).
        let Some(section) = galley.job.sections.first() else {
            return;
        };
        let color = t
            .override_text_color
            .unwrap_or(if section.format.color == Color32::PLACEHOLDER {
                t.fallback_color
            } else {
                section.format.color
            })
            .gamma_multiply(t.opacity_factor);
        if color.a() == 0 {
            return;
        }
        let size = section.format.font_id.size;
        if size <= 0.0 {
            return;
        }
        let rotated = t.angle != 0.0;
        if rotated {
            self.surface.push_transform(&Transform::from_rotate_at(
                t.angle.to_degrees(),
                t.pos.x,
                t.pos.y,
            ));
        }
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill {
            paint: rgb_of(color).into(),
            opacity: opacity(color),
            rule: FillRule::NonZero,
        }));
        for placed in &galley.rows {
            let row = &placed.row.glyphs;
            let Some(first) = row.first() else { continue };
            let mut text = String::with_capacity(row.len() * 3);
            let mut glyphs = Vec::with_capacity(row.len());
            for (start, end) in clusters(row) {
                // A cluster's characters share its advance: egui shapes "ffi" into one ligature
                // glyph (followed by zero-width glyphs for the other characters), which is not
                // in the character map; its letters are drawn one by one in its room instead.
                let room =
                    row.get(end).map_or(row[start].advance_width, |n| n.pos.x) - row[start].pos.x;
                let each = room / (end - start) as f32;
                for g in &row[start..end] {
                    let from = text.len();
                    text.push(g.chr);
                    glyphs.push(KrillaGlyph::new(
                        GlyphId::new(self.glyphs.glyph(g.chr)),
                        each / size,
                        0.0,
                        (g.pos.y - first.pos.y) / size,
                        0.0,
                        from..text.len(),
                        None,
                    ));
                }
            }
            let at = Point::from_xy(
                t.pos.x + placed.pos.x + first.pos.x,
                t.pos.y + placed.pos.y + first.pos.y,
            );
            self.surface
                .draw_glyphs(at, &glyphs, self.font.clone(), &text, size, false);
        }
        if rotated {
            self.surface.pop();
        }
    }
}

/// The glyph clusters of a row, as index ranges: a glyph and the zero-width glyphs egui puts
/// after it for the other characters of its cluster.
fn clusters(row: &[egui::epaint::text::Glyph]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, g) in row.iter().enumerate() {
        match out.last_mut() {
            Some(last) if g.advance_width == 0.0 => last.1 = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

fn path_color(stroke: &PathStroke) -> Color32 {
    match stroke.color {
        egui::epaint::ColorMode::Solid(c) => c,
        egui::epaint::ColorMode::UV(_) => Color32::GRAY,
    }
}

/// The colour of a premultiplied egui colour, without its alpha.
fn rgb_of(c: Color32) -> rgb::Color {
    let [r, g, b, _] = c.to_srgba_unmultiplied();
    rgb::Color::new(r, g, b)
}

fn opacity(c: Color32) -> NormalizedF32 {
    NormalizedF32::new(f32::from(c.a()) / 255.0).unwrap_or(NormalizedF32::ONE)
}

fn push_ring(b: &mut PathBuilder, ring: &[Pos2], close: bool) {
    let Some(first) = ring.first() else { return };
    b.move_to(first.x, first.y);
    for p in &ring[1..] {
        b.line_to(p.x, p.y);
    }
    if close {
        b.close();
    }
}

fn polyline(points: &[Pos2], closed: bool) -> Option<Path> {
    if points.len() < 2 {
        return None;
    }
    let mut b = PathBuilder::new();
    push_ring(&mut b, points, closed);
    b.finish()
}

/// An ellipse as four cubic Béziers (the usual 0.5523 handle length).
fn ellipse(c: Pos2, rx: f32, ry: f32) -> Option<Path> {
    if rx <= 0.0 || ry <= 0.0 {
        return None;
    }
    const K: f32 = 0.552_284_8;
    let (kx, ky) = (rx * K, ry * K);
    let mut b = PathBuilder::new();
    b.move_to(c.x + rx, c.y);
    b.cubic_to(c.x + rx, c.y + ky, c.x + kx, c.y + ry, c.x, c.y + ry);
    b.cubic_to(c.x - kx, c.y + ry, c.x - rx, c.y + ky, c.x - rx, c.y);
    b.cubic_to(c.x - rx, c.y - ky, c.x - kx, c.y - ry, c.x, c.y - ry);
    b.cubic_to(c.x + kx, c.y - ry, c.x + rx, c.y - ky, c.x + rx, c.y);
    b.close();
    b.finish()
}

/// A rectangle with round corners of `radius` (egui's panels), or a plain one.
fn rounded_rect(r: egui::Rect, radius: f32) -> Option<Path> {
    if !r.is_positive() {
        return None;
    }
    let radius = radius.min(r.width() / 2.0).min(r.height() / 2.0).max(0.0);
    let mut b = PathBuilder::new();
    if radius <= 0.0 {
        let rect = krilla::geom::Rect::from_ltrb(r.left(), r.top(), r.right(), r.bottom())?;
        b.push_rect(rect);
        return b.finish();
    }
    let k = radius * (1.0 - 0.552_284_8);
    let (l, t, rt, bm) = (r.left(), r.top(), r.right(), r.bottom());
    b.move_to(l + radius, t);
    b.line_to(rt - radius, t);
    b.cubic_to(rt - k, t, rt, t + k, rt, t + radius);
    b.line_to(rt, bm - radius);
    b.cubic_to(rt, bm - k, rt - k, bm, rt - radius, bm);
    b.line_to(l + radius, bm);
    b.cubic_to(l + k, bm, l, bm - k, l, bm - radius);
    b.line_to(l, t + radius);
    b.cubic_to(l, t + k, l + k, t, l + radius, t);
    b.close();
    b.finish()
}
