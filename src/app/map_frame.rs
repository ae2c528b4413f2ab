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
            canvas: Some(crate::present::raster::canvas_raster),
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
