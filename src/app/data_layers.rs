//! Data layers in the app: their attribute tables, centring the map on a feature chosen in one,
//! and copying features into placements (one undo step).

use geo::BoundingRect;

use crate::map::scene::{lonlat_from_merc, merc};

use crate::command::AppCommand;
use crate::doc::document::{SketchState, attribute_text, name_field};
use crate::edit::from_data::{DataFeatureCopy, placements_from_data};
use crate::model::FeatureId;
use crate::model::project::PlacementId;
use crate::ui::data_table::{DataTableInput, data_table_window};

use super::OneMapApp;
use super::handle::wrong_family;

/// A feature is centred at the zoom the map has when its box takes at most this share of the
/// map's width and height; a larger one is fitted.
const FITS_IN_VIEW: f32 = 0.8;

impl OneMapApp {
    pub(super) fn run_data_layer_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::SelectAndCentre(id) => {
                self.multi.clear();
                if let Some(bbox) = self.feature(&id).and_then(|f| f.geometry.bounding_rect()) {
                    self.pending_centre = Some(bbox);
                }
                self.selected = Some(id);
            }
            AppCommand::ToggleDataTable(layer) => {
                if self.data_tables.remove(&layer).is_none() {
                    self.data_tables.insert(layer, Default::default());
                }
            }
            AppCommand::CopyToPlacements(ids) => self.copy_to_placements(&ids),
            other => wrong_family("data layer", &other),
        }
    }

    /// Centres the map on a lon/lat box at the current zoom, or fits it when it is too large
    /// to be seen whole at that zoom: in the part of the map that no attribute table covers, so
    /// that the feature chosen in a table is not hidden behind it.
    pub(super) fn centre_on(&mut self, bbox: geo::Rect<f64>, rect: egui::Rect) {
        let visible = uncovered_part(rect, &self.data_table_rects);
        let (a, b) = (merc(bbox.min()), merc(bbox.max()));
        let zoom = self.memory.zoom();
        let px = |zoom: f64, d: f64| d * 2f64.powf(zoom) * 256.0;
        let fits = px(zoom, (b[0] - a[0]).abs()) <= f64::from(visible.width() * FITS_IN_VIEW)
            && px(zoom, (b[1] - a[1]).abs()) <= f64::from(visible.height() * FITS_IN_VIEW);
        let zoom = if fits {
            zoom
        } else {
            crate::present::fit_view(bbox, visible.size()).zoom
        };
        // Within the map's zooms (fit_view clamps to them); a refusal would keep the zoom.
        let _ = self.memory.set_zoom(zoom);
        // The map's centre that puts the box's centre at the middle of the visible part.
        let shift = visible.center() - rect.center();
        let centre = lonlat_from_merc([
            (a[0] + b[0]) / 2.0 - f64::from(shift.x) / px(zoom, 1.0),
            (a[1] + b[1]) / 2.0 - f64::from(shift.y) / px(zoom, 1.0),
        ]);
        self.memory.center_at(walkers::lon_lat(centre.x, centre.y));
    }

    /// Makes placements of data-layer features as one step and selects them; says which could
    /// not be copied and why.
    fn copy_to_placements(&mut self, ids: &[FeatureId]) {
        let mut copies = Vec::new();
        for id in ids {
            let Some((layer_id, index, feature)) = self.doc.data_feature(id) else {
                continue;
            };
            let Some(layer) = self.doc.project.sketch_layers.get(layer_id) else {
                continue;
            };
            let fields = self
                .doc
                .sketch_fields
                .get(layer_id)
                .map_or(&[][..], Vec::as_slice);
            let text = |field: &str| {
                feature
                    .properties
                    .get(field)
                    .map(attribute_text)
                    .filter(|t| !t.trim().is_empty())
            };
            // The label field names it; else the data's own name, as search finds it.
            let name = match &layer.label_field {
                Some(field) => text(field),
                None => text("name_zh").or_else(|| name_field(fields).and_then(|f| text(f))),
            };
            copies.push(DataFeatureCopy {
                layer_id,
                layer_name: &layer.name,
                index,
                name,
                geometry: &feature.geometry,
                attributes: fields
                    .iter()
                    .filter_map(|f| Some((f.clone(), text(f)?)))
                    .collect(),
            });
        }
        let action = self.copy_action();
        let horizon = self
            .data
            .edition
            .as_ref()
            .and_then(|e| e.horizons.get(1).copied())
            .unwrap_or(2035);
        let copied = placements_from_data(&self.doc.project, &copies, &action, horizon);
        let made: Vec<PlacementId> = copied.made.iter().map(|(id, _)| id.clone()).collect();
        if let Some(edit) = copied.edit() {
            let before = self.doc.project.placements.len();
            self.edit(edit);
            if self.doc.project.placements.len() > before {
                self.select_many(made);
            }
        }
        if !copied.refused.is_empty() {
            let lang = self.help.prefs.ui_language;
            self.files.info(
                lang.pick("未能复制的要素", "Features not copied"),
                format!(
                    "{}\n\n{}",
                    lang.pick(
                        "规划项目只能是点、线或面；以下要素未复制为规划项目：",
                        "A placement is a point, a line or a polygon; these features were not copied to placements:",
                    ),
                    copied.refused.join("\n")
                ),
            );
        }
    }

    /// The system action copies go to: the one new drawings go to, or the edition's first
    /// when the drawing target is a plan layer.
    fn copy_action(&self) -> String {
        if !self.draw_action.starts_with("layer:") {
            return self.draw_action.clone();
        }
        self.data
            .edition
            .as_ref()
            .and_then(|e| e.actions.first())
            .map_or_else(|| "transport".to_owned(), |a| a.id.clone())
    }

    /// The inspector of a data layer's feature.
    pub(super) fn data_feature_inspector_ui(
        &self,
        ui: &mut egui::Ui,
        id: &FeatureId,
        commands: &mut Vec<AppCommand>,
    ) {
        let Some((layer_id, index, feature)) = self.doc.data_feature(id) else {
            return;
        };
        let Some(layer) = self.doc.project.sketch_layers.get(layer_id) else {
            return;
        };
        let count = match self.doc.sketches.get(layer_id) {
            Some(SketchState::Loaded(features)) => features.len(),
            _ => 0,
        };
        let view = crate::ui::data_feature::DataFeatureView {
            layer_id,
            layer_name: &layer.name,
            index,
            count,
            title: &self
                .doc
                .data_feature_title(id)
                .unwrap_or_else(|| layer.name.clone()),
            feature,
            fields: self
                .doc
                .sketch_fields
                .get(layer_id)
                .map_or(&[][..], Vec::as_slice),
            label_field: layer.label_field.as_deref(),
            read_only: self.doc.read_only || self.review_mode,
        };
        crate::ui::data_feature::data_feature_ui(ui, &view, commands);
    }

    /// The open attribute tables, a window each; a table whose layer is gone closes.
    pub(super) fn data_tables_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let doc = &self.doc;
        self.data_tables.retain(|id, _| {
            matches!(doc.sketches.get(id), Some(SketchState::Loaded(_)))
                && doc.project.sketch_layers.contains_key(id)
        });
        let mut rects = Vec::new();
        for (id, state) in &mut self.data_tables {
            let (Some(SketchState::Loaded(features)), Some(layer)) =
                (doc.sketches.get(id), doc.project.sketch_layers.get(id))
            else {
                continue;
            };
            let input = DataTableInput {
                layer_id: id,
                layer_name: &layer.name,
                features,
                fields: doc.sketch_fields.get(id).map_or(&[][..], Vec::as_slice),
                generation: doc.sketches_generation,
                selection: self.selected.as_ref(),
                read_only: doc.read_only || self.review_mode,
            };
            let (open, rect) = data_table_window(ctx, &input, state, commands);
            if !open {
                commands.push(AppCommand::ToggleDataTable(id.clone()));
            }
            rects.extend(rect);
        }
        self.data_table_rects = rects;
    }
}

/// The largest part of `map` that none of the `covers` (windows over it) covers, or the whole
/// map when what is left would be too small to show anything in.
fn uncovered_part(map: egui::Rect, covers: &[egui::Rect]) -> egui::Rect {
    const SMALLEST: f32 = 120.0;
    let mut free = map;
    for cover in covers {
        if !cover.intersects(free) {
            continue;
        }
        let parts = [
            egui::Rect::from_min_max(free.min, egui::pos2(free.max.x, cover.min.y)),
            egui::Rect::from_min_max(egui::pos2(free.min.x, cover.max.y), free.max),
            egui::Rect::from_min_max(free.min, egui::pos2(cover.min.x, free.max.y)),
            egui::Rect::from_min_max(egui::pos2(cover.max.x, free.min.y), free.max),
        ];
        let Some(best) = parts
            .into_iter()
            .filter(|p| p.width() >= SMALLEST && p.height() >= SMALLEST)
            .max_by(|a, b| a.area().total_cmp(&b.area()))
        else {
            return map;
        };
        free = best;
    }
    free
}

#[cfg(test)]
mod tests {
    use super::uncovered_part;
    use egui::{Rect, pos2};

    #[test]
    fn a_table_over_the_bottom_of_the_map_leaves_the_top_and_a_small_map_is_kept_whole() {
        let map = Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0));
        let table = Rect::from_min_max(pos2(100.0, 350.0), pos2(700.0, 700.0));
        assert_eq!(
            uncovered_part(map, &[table]),
            Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 350.0))
        );
        let elsewhere = Rect::from_min_max(pos2(900.0, 0.0), pos2(1000.0, 100.0));
        assert_eq!(uncovered_part(map, &[elsewhere]), map);
        let everything = Rect::from_min_max(pos2(-10.0, -10.0), pos2(810.0, 610.0));
        assert_eq!(uncovered_part(map, &[everything]), map);
    }
}
