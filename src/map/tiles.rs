//! Tiles under the map: which tiles of the Web Mercator grid cover the view, and their meshes.
//! A tile not loaded yet is stood in for by the nearest loaded tile of a lower zoom (its part
//! that covers the same ground), so that zooming in never flashes blank. Used by the editor,
//! presenter mode and the headless export alike; where the textures come from is the caller's.

use egui::epaint::{Mesh, TextureId};
use egui::{Color32, Pos2, Rect, Shape, pos2};

use super::draw::ScreenTransform;
use crate::model::tile_basemap::TileId;

/// Lower zoom levels searched for a stand-in.
const FALLBACK_LEVELS: u8 = 8;
/// More tiles than this in view is a zoom far below the source's: nothing is drawn.
const MAX_TILES: usize = 1024;

/// Where the textures of tiles come from.
pub trait TileTextures {
    /// The texture of `id` if it is loaded. With `request`, a tile not loaded yet is asked for.
    fn texture(&mut self, id: TileId, request: bool) -> Option<TextureId>;
    /// The zoom levels the source has tiles for, lowest and highest.
    fn zooms(&self) -> (u8, u8);
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
    let z = (transform.scale * f64::from(pixels_per_point) / 256.0)
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

/// The tiles under the view as textured meshes, over a plain `ground`, and what was drawn.
pub fn tile_shapes(
    transform: &ScreenTransform,
    rect: Rect,
    pixels_per_point: f32,
    ground: Color32,
    textures: &mut dyn TileTextures,
) -> (Vec<Shape>, TileDraw) {
    let zooms = textures.zooms();
    let z = tile_zoom(transform, pixels_per_point, zooms);
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
    for id in wanted {
        let r = tile_rect(transform, id);
        let full = Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0));
        if let Some(t) = textures.texture(id, true) {
            add(t, r, full);
            draw.exact += 1;
            continue;
        }
        let stand_in = (1..=FALLBACK_LEVELS.min(id.z - zooms.0.min(id.z)))
            .filter_map(|levels| id.ancestor(levels))
            .find_map(|(parent, uv)| Some((textures.texture(parent, false)?, uv)));
        if let Some((t, [u0, v0, u1, v1])) = stand_in {
            add(t, r, Rect::from_min_max(pos2(u0, v0), pos2(u1, v1)));
            draw.stand_ins += 1;
        }
    }
    let mut shapes = vec![Shape::rect_filled(rect, 0.0, ground)];
    shapes.extend(meshes.into_iter().map(Shape::mesh));
    (shapes, draw)
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
        fn texture(&mut self, id: TileId, request: bool) -> Option<TextureId> {
            if request {
                self.asked.push(id);
            }
            self.have.get(&id).copied()
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
