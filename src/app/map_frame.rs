//! Around the map panel: fitting the map and flying it before the panel draws, what the panel
//! reads from the app, and keeping what it saw until the next frame.

use egui::Ui;

use crate::command::{AppCommand, Tool};
use crate::map::ItemKey;
use crate::model::FeatureId;
use crate::ui::map_panel::{MapPanel, map_ui};

use super::OneMapApp;

impl OneMapApp {
    /// The keys of everything selected: the inspected feature and any other placements.
    pub fn selection_keys(&self) -> Vec<ItemKey> {
        let mut keys: Vec<ItemKey> = self
            .selected
            .iter()
            .cloned()
            .map(ItemKey::Feature)
            .collect();
        keys.extend(
            self.multi
                .iter()
                .map(|id| ItemKey::Feature(FeatureId(id.0.clone()))),
        );
        keys
    }

    /// Zooms by `levels` about the map's centre (the keys), within the zooms the map supports:
    /// a step past the end stops at it rather than being refused.
    pub(super) fn zoom_by(&mut self, levels: f64) {
        let range = crate::model::well_formed::ZOOM_RANGE;
        let to = (self.memory.zoom() + levels).clamp(*range.start(), *range.end());
        // Within the range by the clamp.
        let _ = self.memory.set_zoom(to);
    }

    /// Keeps what is under the pointer where it is when the map's panel changes size (a
    /// placement's form opens beside it): without this, walkers keeps the centre, and the map
    /// jumps under the pointer by half the change, which loses a drag that opened the form.
    /// With the pointer off the new map (the panel opened under it), the centre is kept, so
    /// that what was clicked near the edge slides into view rather than under the panel.
    fn keep_map_in_place(&mut self, ctx: &egui::Context, rect: egui::Rect) {
        let id = egui::Id::unique("onemap.map_panel_rect");
        let last: Option<egui::Rect> = ctx.data(|d| d.get_temp(id));
        ctx.data_mut(|d| d.insert_temp(id, rect));
        let (Some(last), Some(transform)) = (last, self.last_transform) else {
            return;
        };
        // Walkers' map is the left half of the panel when two versions show side by side.
        let map_rect = if self.compare.as_ref().is_some_and(|c| c.side_by_side) {
            egui::Rect::from_min_max(rect.min, egui::pos2(rect.center().x, rect.max.y))
        } else {
            rect
        };
        let pointer_on_map = ctx
            .pointer_hover_pos()
            .is_some_and(|p| map_rect.contains(p));
        if last == rect || self.fit_pending || !pointer_on_map {
            return;
        }
        // The zoom is unchanged, so keeping the pointer's place keeps every place: the one
        // drawn at the new map's centre becomes its centre.
        let centre = transform.to_lonlat(map_rect.center());
        self.memory.center_at(walkers::lon_lat(centre.x, centre.y));
    }

    /// The map panel of the editor, with the app's state for this frame.
    pub(super) fn map_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let rect = ui.available_rect_before_wrap();
        self.keep_map_in_place(ui.ctx(), rect);
        if self.fit_pending && rect.width() > 10.0 && rect.height() > 10.0 {
            let area = self.plan_area();
            self.fit(area, rect);
            self.fit_pending = false;
        }
        if let Some(bbox) = self.pending_zoom.take() {
            self.fit(bbox, rect);
        }
        if let Some(bbox) = self.pending_centre.take() {
            self.centre_on(bbox, rect);
        }
        self.last_map_size = rect.size();
        self.advance_flight(ui.ctx(), rect.size());
        let tool = self.tool;
        let selected_editable = self.selected.clone().filter(|f| self.is_editable(f));
        let vertex_handles = (tool == Tool::Vertices)
            .then(|| {
                selected_editable
                    .as_ref()
                    .and_then(|f| self.editable_geometry(f))
            })
            .flatten()
            .map(|(_, g)| crate::ui::tools::handles(&g));
        let editing = match tool {
            Tool::Vertices => selected_editable.clone(),
            Tool::Move => self.move_drag.as_ref().map(|m| m.0.clone()),
            _ => None,
        }
        .map(ItemKey::Feature);
        let options = self.tile_options();
        self.tiles
            .sync(ui.ctx(), &self.doc.project.settings.basemap, &options);
        let panel = MapPanel {
            tiles_under: self.tiles.is_active(),
            scene: &self.scene,
            style: &self.data.style,
            plan: &self.data.plan,
            doc: &self.doc,
            hovered: self.hovered.as_ref(),
            selection: self.selection_keys(),
            tool,
            draft: &self.draft,
            vertex_handles,
            editing,
            snap_on: self.snap_on,
            moving: self.move_drag.is_some(),
            vertex_dragging: self.vertex_drag.is_some(),
            selected_vertex: self.selected_vertex,
            box_start: self.box_start,
            comments: &self.review.review.comments,
            sketch_view: self.sketch_view,
            compare: self.compare.as_ref(),
            review: self.review_mode,
            canvas: Some(rasterize_canvas),
        };
        let seen = map_ui(
            ui,
            &panel,
            &mut self.memory,
            self.tiles.textures(),
            commands,
        );
        self.tiles.end_frame();
        self.box_start = seen.box_start;
        self.last_transform = Some(seen.transform);
        self.last_draw = seen.stats;
        self.hovered = seen.hovered;
        self.cursor = seen.cursor;
        self.snapped = seen.snapped;
    }
}

/// The map canvas's rasterizer (see `map::canvas`): the export's, onto a transparent image, with
/// a white texture where egui's white texel would be (the features use no other texel).
fn rasterize_canvas(
    size: [usize; 2],
    pixels_per_point: f32,
) -> Box<dyn crate::map::canvas::Raster> {
    use crate::present::raster::{Image, Textures};
    let white = egui::ColorImage::new([1, 1], vec![egui::Color32::WHITE]);
    let mut white_texel = egui::TexturesDelta::default();
    white_texel.set.insert(
        egui::TextureId::default(),
        std::iter::once(egui::epaint::ImageDelta::full(
            white,
            egui::TextureOptions::LINEAR,
        ))
        .collect(),
    );
    let mut textures = Textures::default();
    textures.apply(&white_texel);
    white_texel.clear();
    Box::new(CanvasRaster {
        image: Image::new(size[0], size[1], egui::Color32::TRANSPARENT),
        textures,
        pixels_per_point,
    })
}

/// A picture of the map canvas being rasterized, a run of features at a time.
struct CanvasRaster {
    image: crate::present::raster::Image,
    textures: crate::present::raster::Textures,
    pixels_per_point: f32,
}

impl crate::map::canvas::Raster for CanvasRaster {
    fn draw(&mut self, primitives: &[egui::epaint::ClippedPrimitive]) {
        crate::present::raster::rasterize(
            &mut self.image,
            primitives,
            &self.textures,
            self.pixels_per_point,
        );
    }

    fn finish(self: Box<Self>) -> egui::ColorImage {
        let size = [self.image.width, self.image.height];
        // The pixels become the picture's in place (both are four bytes, premultiplied): the
        // picture is not held twice.
        let pixels = self
            .image
            .pixels
            .into_iter()
            .map(|[r, g, b, a]| egui::Color32::from_rgba_premultiplied(r, g, b, a))
            .collect();
        egui::ColorImage::new(size, pixels)
    }

    fn rows(self: Box<Self>, rows: std::ops::Range<usize>) -> Vec<egui::Color32> {
        let width = self.image.width;
        let mut pixels = self.image.pixels;
        let end = (rows.end * width).min(pixels.len());
        let start = (rows.start * width).min(end);
        pixels.truncate(end);
        // The rows above were not drawn (another band's); those of the first band become
        // the picture's in place, in a buffer with room for the whole picture.
        if start > 0 {
            pixels.drain(..start);
        }
        pixels
            .into_iter()
            .map(|[r, g, b, a]| egui::Color32::from_rgba_premultiplied(r, g, b, a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{ClippedPrimitive, Mesh, Primitive, Vertex, WHITE_UV};
    use egui::{Color32, Rect, pos2};

    /// A translucent triangle across an 8 by 6 picture, drawn only within `rows` (points).
    fn drawn(rows: Rect) -> Box<dyn crate::map::canvas::Raster> {
        let mut raster = rasterize_canvas([8, 6], 1.0);
        let mut mesh = Mesh::default();
        for (x, y) in [(0.0, 0.0), (8.0, 1.0), (2.0, 6.0)] {
            mesh.vertices.push(Vertex {
                pos: pos2(x, y),
                uv: WHITE_UV,
                color: Color32::from_rgba_premultiplied(90, 0, 0, 120),
            });
        }
        mesh.indices = vec![0, 1, 2];
        raster.draw(&[ClippedPrimitive {
            clip_rect: rows,
            primitive: Primitive::Mesh(mesh),
        }]);
        raster
    }

    #[test]
    fn a_band_of_the_canvas_picture_is_those_rows_of_the_whole_picture() {
        let whole = drawn(Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 6.0))).finish();
        assert!(whole.pixels.iter().any(|p| *p != Color32::TRANSPARENT));
        let mut joined = drawn(Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 2.0))).rows(0..2);
        joined.extend(drawn(Rect::from_min_max(pos2(0.0, 2.0), pos2(8.0, 6.0))).rows(2..6));
        assert_eq!(joined, whole.pixels);
    }
}
