//! Tiles under the map: which tiles of the Web Mercator grid cover the view, and their meshes.
//! A tile not loaded yet is stood in for by the nearest loaded tile of a lower zoom (its part
//! that covers the same ground), so that zooming in never flashes blank. Used by the editor,
//! presenter mode and the headless export alike; where the textures come from is the caller's.

use std::sync::Arc;

use egui::epaint::{Mesh, TextureId, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, pos2};

use super::draw::ScreenTransform;
use crate::model::tile_basemap::{TileId, VectorPaint, VectorTile};

/// Lower zoom levels searched for a stand-in.
const FALLBACK_LEVELS: u8 = 8;
/// More tiles than this in view is a zoom far below the source's: nothing is drawn.
const MAX_TILES: usize = 1024;

/// A tile loaded: an image's texture, or a vector tile's triangles.
#[derive(Clone, Debug)]
pub enum TileLook {
    Texture(TextureId),
    Vector(Arc<VectorTile>),
}

/// Where the tiles come from, loaded.
pub trait TileTextures {
    /// The tile `id` if it is loaded. With `request`, a tile not loaded yet is asked for.
    fn tile(&mut self, id: TileId, request: bool) -> Option<TileLook>;
    /// The zoom levels the source has tiles for, lowest and highest.
    fn zooms(&self) -> (u8, u8);
    /// How many device pixels wide a tile is drawn: 256 for images; vector tiles are made
    /// for 512, and drawing them at 256 would draw four times the features.
    fn tile_pixels(&self) -> f64 {
        256.0
    }
    /// The context whose fonts lay out vector tiles' labels (none: no labels).
    fn fonts(&self) -> Option<egui::Context> {
        None
    }
    /// Vector features as one mesh each rather than one mesh per style rule: SVG and PDF
    /// exports draw a mesh as one even-odd path around its outline, where two overlapping
    /// features of a rule (crossing roads, a lake in two tiles' buffers) would cancel out.
    /// The screen draws triangles and takes the fewer, larger meshes.
    fn per_feature(&self) -> bool {
        false
    }
}

/// What [`tile_shapes`] drew.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TileDraw {
    /// Tiles in view at the zoom chosen.
    pub wanted: usize,
    /// Of those, drawn from their own texture.
    pub exact: usize,
    /// Drawn from a lower zoom's tile while their own loads.
    pub stand_ins: usize,
}

/// The tile zoom for a view: tiles about 256 device pixels wide, within the source's range.
pub fn tile_zoom(transform: &ScreenTransform, pixels_per_point: f32, zooms: (u8, u8)) -> u8 {
    tile_zoom_for(transform, pixels_per_point, zooms, 256.0)
}

/// [`tile_zoom`] for tiles `tile_pixels` device pixels wide.
pub fn tile_zoom_for(
    transform: &ScreenTransform,
    pixels_per_point: f32,
    zooms: (u8, u8),
    tile_pixels: f64,
) -> u8 {
    let z = (transform.scale * f64::from(pixels_per_point) / tile_pixels)
        .log2()
        .round();
    (z.clamp(0.0, 30.0) as u8).clamp(zooms.0, zooms.1.max(zooms.0))
}

/// The tiles of zoom `z` that cover `rect`, row by row.
pub fn tiles_in_view(transform: &ScreenTransform, rect: Rect, z: u8) -> Vec<TileId> {
    let n = f64::from(1u32 << z);
    let to_merc = |p: Pos2| {
        [
            (f64::from(p.x) - transform.offset[0]) / transform.scale,
            (f64::from(p.y) - transform.offset[1]) / transform.scale,
        ]
    };
    let (a, b) = (to_merc(rect.min), to_merc(rect.max));
    let last = (1u32 << z) - 1;
    let index = |m: f64| (m * n).floor().clamp(0.0, f64::from(last)) as u32;
    if b[0] <= 0.0 || a[0] >= 1.0 || b[1] <= 0.0 || a[1] >= 1.0 {
        return Vec::new();
    }
    let (x0, x1, y0, y1) = (index(a[0]), index(b[0]), index(a[1]), index(b[1]));
    let count = (x1 - x0 + 1) as usize * (y1 - y0 + 1) as usize;
    if count > MAX_TILES {
        return Vec::new();
    }
    (y0..=y1)
        .flat_map(|y| (x0..=x1).map(move |x| TileId { z, x, y }))
        .collect()
}

/// The screen rectangle of a tile.
pub fn tile_rect(transform: &ScreenTransform, id: TileId) -> Rect {
    let n = f64::from(1u32 << id.z);
    let at = |x: u32, y: u32| {
        pos2(
            (f64::from(x) / n * transform.scale + transform.offset[0]) as f32,
            (f64::from(y) / n * transform.scale + transform.offset[1]) as f32,
        )
    };
    Rect::from_min_max(at(id.x, id.y), at(id.x + 1, id.y + 1))
}

/// The tiles under the view (textured meshes, or vector tiles' triangles and labels) over a
/// plain `ground`, and what was drawn.
pub fn tile_shapes(
    transform: &ScreenTransform,
    rect: Rect,
    pixels_per_point: f32,
    ground: Color32,
    textures: &mut dyn TileTextures,
) -> (Vec<Shape>, TileDraw) {
    let zooms = textures.zooms();
    let z = tile_zoom_for(transform, pixels_per_point, zooms, textures.tile_pixels());
    let wanted = tiles_in_view(transform, rect, z);
    let mut draw = TileDraw {
        wanted: wanted.len(),
        ..Default::default()
    };
    let mut meshes: Vec<Mesh> = Vec::new();
    let mut add = |texture: TextureId, r: Rect, uv: Rect| {
        let i = match meshes.iter().position(|m| m.texture_id == texture) {
            Some(i) => i,
            None => {
                meshes.push(Mesh::with_texture(texture));
                meshes.len() - 1
            }
        };
        meshes[i].add_rect_with_uv(r, uv, Color32::WHITE);
    };
    // Vector tiles: their own, and the lower-zoom tiles standing in (drawn first, whole:
    // each tile of its own covers them with its background).
    let mut vectors: Vec<(Rect, Arc<VectorTile>)> = Vec::new();
    let mut stand_in_vectors: Vec<(TileId, Arc<VectorTile>)> = Vec::new();
    for id in wanted {
        let r = tile_rect(transform, id);
        let full = Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0));
        match textures.tile(id, true) {
            Some(TileLook::Texture(t)) => {
                add(t, r, full);
                draw.exact += 1;
                continue;
            }
            Some(TileLook::Vector(v)) => {
                vectors.push((r, v));
                draw.exact += 1;
                continue;
            }
            None => {}
        }
        let stand_in = (1..=FALLBACK_LEVELS.min(id.z - zooms.0.min(id.z)))
            .filter_map(|levels| id.ancestor(levels))
            .find_map(|(parent, uv)| Some((parent, textures.tile(parent, false)?, uv)));
        match stand_in {
            Some((_, TileLook::Texture(t), [u0, v0, u1, v1])) => {
                add(t, r, Rect::from_min_max(pos2(u0, v0), pos2(u1, v1)));
                draw.stand_ins += 1;
            }
            Some((parent, TileLook::Vector(v), _)) => {
                if !stand_in_vectors.iter().any(|(p, _)| *p == parent) {
                    stand_in_vectors.push((parent, v));
                }
                draw.stand_ins += 1;
            }
            None => {}
        }
    }
    let mut shapes = vec![Shape::rect_filled(rect, 0.0, ground)];
    shapes.extend(meshes.into_iter().map(Shape::mesh));
    if !stand_in_vectors.is_empty() {
        let parents: Vec<(Rect, Arc<VectorTile>)> = stand_in_vectors
            .into_iter()
            .map(|(id, v)| (tile_rect(transform, id), v))
            .collect();
        let meshes = vector_meshes(&parents, textures.per_feature());
        shapes.extend(meshes.into_iter().map(Shape::mesh));
    }
    if !vectors.is_empty() {
        let meshes = vector_meshes(&vectors, textures.per_feature());
        shapes.extend(meshes.into_iter().map(Shape::mesh));
        if let Some(ctx) = textures.fonts() {
            shapes.extend(vector_labels(&ctx, &vectors, rect));
        }
    }
    (shapes, draw)
}

fn rgba(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// Vector tiles' backgrounds, fills and lines, the rules in the style's order across all
/// tiles (a road of one tile over the water of its neighbour): one mesh per rule, or with
/// `per_feature` one mesh per polygon or line (see [`TileTextures::per_feature`]).
fn vector_meshes(tiles: &[(Rect, Arc<VectorTile>)], per_feature: bool) -> Vec<Mesh> {
    let mut ground = Mesh::default();
    let mut by_rule: std::collections::BTreeMap<u16, (Mesh, Vec<Mesh>)> = Default::default();
    let vertex = |pos: Pos2, color: Color32| Vertex {
        pos,
        uv: WHITE_UV,
        color,
    };
    for (r, tile) in tiles {
        ground.add_colored_rect(*r, rgba(tile.background));
        let (w, h) = (r.width(), r.height());
        let at = |p: &[f32; 2]| pos2(r.min.x + p[0] * w, r.min.y + p[1] * h);
        for paint in &tile.paints {
            match paint {
                VectorPaint::Fill {
                    order,
                    color,
                    points,
                    triangles,
                    parts,
                } => {
                    let color = rgba(*color);
                    let placed = points.iter().map(|p| vertex(at(p), color));
                    let (merged, separate) = by_rule.entry(*order).or_default();
                    add_paint(
                        merged,
                        per_feature.then_some(separate),
                        placed,
                        triangles,
                        parts,
                    );
                }
                VectorPaint::Line {
                    order,
                    color,
                    width,
                    points,
                    extrude,
                    triangles,
                    parts,
                } => {
                    let (color, half) = (rgba(*color), width / 2.0);
                    let placed = points.iter().zip(extrude).map(|(p, e)| {
                        let o = at(p);
                        vertex(pos2(o.x + e[0] * half, o.y + e[1] * half), color)
                    });
                    let (merged, separate) = by_rule.entry(*order).or_default();
                    add_paint(
                        merged,
                        per_feature.then_some(separate),
                        placed,
                        triangles,
                        parts,
                    );
                }
                VectorPaint::Labels { .. } => {}
            }
        }
    }
    let mut meshes = vec![ground];
    for (merged, separate) in by_rule.into_values() {
        if !merged.is_empty() {
            meshes.push(merged);
        }
        meshes.extend(separate);
    }
    meshes
}

/// One paint's vertices and triangles: appended to the rule's mesh, or (with `separate`)
/// cut into one mesh per part.
fn add_paint(
    merged: &mut Mesh,
    separate: Option<&mut Vec<Mesh>>,
    placed: impl Iterator<Item = Vertex>,
    triangles: &[u32],
    parts: &[[u32; 2]],
) {
    let Some(out) = separate else {
        let base = merged.vertices.len() as u32;
        merged.vertices.extend(placed);
        merged.indices.extend(triangles.iter().map(|i| base + i));
        return;
    };
    let vertices: Vec<Vertex> = placed.collect();
    for (k, &[v0, t0]) in parts.iter().enumerate() {
        let [v1, t1] = parts
            .get(k + 1)
            .copied()
            .unwrap_or([vertices.len() as u32, triangles.len() as u32]);
        let (Some(vs), Some(ts)) = (
            vertices.get(v0 as usize..v1 as usize),
            triangles.get(t0 as usize..t1 as usize),
        ) else {
            continue;
        };
        // Parts are made whole by io::tiles::vector; a damaged one is left out, not drawn wrong.
        if ts.iter().all(|i| (v0..v1).contains(i)) {
            let mut mesh = Mesh::default();
            mesh.vertices.extend_from_slice(vs);
            mesh.indices.extend(ts.iter().map(|i| i - v0));
            out.push(mesh);
        }
    }
}

/// The vector tiles' labels, centred on their points, with a pale halo; a label that would
/// overlap one already placed is left out.
fn vector_labels(ctx: &egui::Context, tiles: &[(Rect, Arc<VectorTile>)], view: Rect) -> Vec<Shape> {
    let mut placed: Vec<Rect> = Vec::new();
    let mut shapes = Vec::new();
    for (r, tile) in tiles {
        for paint in &tile.paints {
            let VectorPaint::Labels {
                color,
                size,
                labels,
                ..
            } = paint
            else {
                continue;
            };
            for (p, text) in labels {
                let at = pos2(r.min.x + p[0] * r.width(), r.min.y + p[1] * r.height());
                if !view.contains(at) {
                    continue;
                }
                let font = egui::FontId::proportional(*size);
                let galley =
                    ctx.fonts_mut(|f| f.layout(text.clone(), font, rgba(*color), f32::INFINITY));
                let min = at - galley.size() / 2.0;
                let bounds = Rect::from_min_size(min, galley.size()).expand(2.0);
                if placed.iter().any(|b| b.intersects(bounds)) {
                    continue;
                }
                placed.push(bounds);
                let halo = Color32::from_white_alpha(220);
                for d in [[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0]] {
                    shapes.push(Shape::galley_with_override_text_color(
                        min + egui::vec2(d[0], d[1]),
                        galley.clone(),
                        halo,
                    ));
                }
                shapes.push(Shape::galley(min, galley, rgba(*color)));
            }
        }
    }
    shapes
}

/// The tiles' attribution in the map's top-right corner, small, on a pale ground.
pub fn attribution_shapes(painter: &egui::Painter, map: Rect, text: String) -> Vec<Shape> {
    let ink = Color32::from_gray(40);
    let galley = painter.layout_no_wrap(text, egui::FontId::proportional(10.0), ink);
    let at = pos2(map.right() - galley.size().x - 6.0, map.top() + 3.0);
    let ground = Rect::from_min_size(at, galley.size()).expand(2.0);
    vec![
        Shape::rect_filled(ground, 2.0, Color32::from_white_alpha(200)),
        Shape::galley(at, galley, ink),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Loaded {
        have: BTreeMap<TileId, TextureId>,
        asked: Vec<TileId>,
    }

    impl TileTextures for Loaded {
        fn tile(&mut self, id: TileId, request: bool) -> Option<TileLook> {
            if request {
                self.asked.push(id);
            }
            self.have.get(&id).copied().map(TileLook::Texture)
        }
        fn zooms(&self) -> (u8, u8) {
            (0, 18)
        }
    }

    fn view(zoom: f64) -> (ScreenTransform, Rect) {
        let rect = Rect::from_min_max(Pos2::ZERO, pos2(800.0, 600.0));
        let t = ScreenTransform::new(zoom, geo::Coord { x: 121.0, y: 31.0 }, rect.center());
        (t, rect)
    }

    #[test]
    fn the_view_is_covered_by_tiles_of_its_zoom() {
        let (t, rect) = view(13.0);
        assert_eq!(tile_zoom(&t, 1.0, (0, 18)), 13);
        assert_eq!(tile_zoom(&t, 2.0, (0, 18)), 14);
        assert_eq!(tile_zoom(&t, 1.0, (0, 10)), 10);
        let tiles = tiles_in_view(&t, rect, 13);
        // 800 × 600 points of 256-point tiles: 4 or 5 across, 3 or 4 down.
        assert!((12..=20).contains(&tiles.len()), "{}", tiles.len());
        let union = tiles
            .iter()
            .map(|id| tile_rect(&t, *id))
            .reduce(|a, b| a.union(b))
            .unwrap();
        assert!(union.contains_rect(rect), "{union:?}");
    }

    #[test]
    fn a_tile_not_loaded_is_drawn_from_a_lower_zoom_and_asked_for() {
        let (t, rect) = view(13.0);
        let parent_texture = TextureId::User(7);
        let mut have = BTreeMap::new();
        for id in tiles_in_view(&t, rect, 13) {
            have.insert(id.ancestor(5).unwrap().0, parent_texture);
        }
        let mut loaded = Loaded {
            have,
            asked: Vec::new(),
        };
        let (shapes, draw) = tile_shapes(&t, rect, 1.0, Color32::WHITE, &mut loaded);
        assert_eq!(draw.exact, 0);
        assert_eq!(draw.stand_ins, draw.wanted);
        assert_eq!(loaded.asked.len(), draw.wanted);
        assert!(loaded.asked.iter().all(|id| id.z == 13));
        // The ground, then one mesh of the stand-in's texture.
        assert_eq!(shapes.len(), 2);
    }
}
