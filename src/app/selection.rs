//! Selecting several placements (Shift-click, a box, the table), and what acts on a selection:
//! delete, copy, cut, paste, duplicate and bulk attribute edits, each one undo step.

use geo::{BoundingRect, Intersects};

use crate::edit::{Edit, copy};
use crate::model::project::{Placement, PlacementId};
use crate::model::{Bilingual, FeatureId};

use super::OneMapApp;
use super::handle::wrong_family;
use crate::command::AppCommand;

/// How far a paste or a duplicate lands from the original, in pixels at the current zoom.
const PASTE_OFFSET_PX: f64 = 16.0;

impl OneMapApp {
    /// The selected placements, the inspected one first.
    pub fn selected_placements(&self) -> Vec<PlacementId> {
        let mut ids: Vec<PlacementId> = self
            .selected
            .iter()
            .map(|f| PlacementId(f.0.clone()))
            .filter(|id| self.doc.project.placements.contains_key(id))
            .collect();
        ids.extend(
            self.multi
                .iter()
                .filter(|id| !ids.contains(id) && self.doc.project.placements.contains_key(id))
                .cloned()
                .collect::<Vec<_>>(),
        );
        ids
    }

    /// Replaces the selection; the first is the one the inspector shows.
    pub(super) fn select_many(&mut self, ids: Vec<PlacementId>) {
        let mut ids = ids.into_iter();
        self.selected = ids.next().map(|id| FeatureId(id.0));
        self.multi = ids.collect();
    }

    /// Adds a placement to the selection, or takes it out (Shift-click, Ctrl-click in the table).
    pub(super) fn toggle_selected(&mut self, id: PlacementId) {
        let mut ids = self.selected_placements();
        match ids.iter().position(|i| *i == id) {
            Some(at) => {
                ids.remove(at);
            }
            None => ids.push(id),
        }
        self.select_many(ids);
    }

    /// Selects the placements whose geometry meets a lon/lat box (adding to the selection).
    pub(super) fn select_in_box(&mut self, rect: geo::Rect<f64>) {
        let mut ids = self.selected_placements();
        let polygon = rect.to_polygon();
        for (id, p) in &self.doc.project.placements {
            if !ids.contains(id) && p.geometry.to_geo().intersects(&polygon) {
                ids.push(id.clone());
            }
        }
        self.select_many(ids);
    }

    fn selected_copies(&self) -> Vec<Placement> {
        self.selected_placements()
            .iter()
            .filter_map(|id| self.doc.project.placements.get(id).cloned())
            .collect()
    }

    pub(super) fn delete_selected(&mut self) {
        let ids = self.selected_placements();
        if ids.is_empty()
            && let Some(id) = self.selected.clone()
        {
            // A plan feature: taken out of the sketched plan (the baseline keeps it).
            self.remove_plan_feature(&id);
            return;
        }
        let label = match ids.as_slice() {
            [] => return,
            [one] => {
                let name = self
                    .doc
                    .project
                    .placements
                    .get(one)
                    .map_or(one.0.as_str(), |p| p.name_zh.as_str());
                Bilingual::new(format!("删除 {name}"), format!("delete {name}"))
            }
            many => Bilingual::new(
                format!("删除 {} 个项目布局", many.len()),
                format!("delete {} placements", many.len()),
            ),
        };
        let edits = ids.into_iter().map(Edit::RemovePlacement).collect();
        self.edit(Edit::Batch { label, edits });
        self.select_many(Vec::new());
    }

    /// Copies the selection to OneMap's clipboard, and as GeoJSON to the system's.
    pub(super) fn copy_selected(&mut self, ctx: Option<&egui::Context>) {
        let copied = self.selected_copies();
        if copied.is_empty() {
            return;
        }
        if let Some(ctx) = ctx {
            let mut project = self.doc.project.clone();
            project.placements = self
                .selected_placements()
                .into_iter()
                .zip(copied.iter().cloned())
                .collect();
            let geojson = crate::io::export::export_geojson(&project, &[]);
            ctx.copy_text(geojson.to_string());
        }
        self.clipboard = copied;
    }

    /// Pastes the clipboard beside where it was copied from, as one step, and selects it.
    pub(super) fn paste(&mut self) {
        let originals = self.clipboard.clone();
        self.add_copies(&originals, ("粘贴", "paste"));
    }

    pub(super) fn duplicate_selected(&mut self) {
        let originals = self.selected_copies();
        self.add_copies(&originals, ("创建副本", "duplicate"));
    }

    /// Adds copies of `originals` as one step named with `verb` (Chinese, English).
    fn add_copies(&mut self, originals: &[Placement], (verb_zh, verb): (&str, &str)) {
        if originals.is_empty() {
            return;
        }
        let step = self
            .last_transform
            .map_or(0.01, |t| t.deg_per_px() * PASTE_OFFSET_PX);
        let made = copy::copies(&self.doc.project, originals, (step, -step));
        let label = match made.as_slice() {
            [(_, one)] => Bilingual::new(
                format!("{verb_zh} {}", one.name_zh),
                format!("{verb} {}", one.name_zh),
            ),
            many => Bilingual::new(
                format!("{verb_zh} {} 个项目布局", many.len()),
                format!("{verb} {} placements", many.len()),
            ),
        };
        let ids: Vec<PlacementId> = made.iter().map(|(id, _)| id.clone()).collect();
        self.edit(copy::add_all(label, made));
        self.select_many(ids);
    }

    /// Applies a change to every selected placement as one step ("set status of 3 placements").
    pub(super) fn bulk_edit(
        &mut self,
        (what_zh, what): (&str, &str),
        change: impl Fn(&mut Placement),
    ) {
        let ids = self.selected_placements();
        let edits: Vec<Edit> = ids
            .iter()
            .filter_map(|id| {
                let mut placement = self.doc.project.placements.get(id)?.clone();
                change(&mut placement);
                Some(Edit::SetPlacement {
                    id: id.clone(),
                    placement,
                })
            })
            .collect();
        let label = Bilingual::new(
            format!("设置 {} 个项目布局的{what_zh}", edits.len()),
            format!("set {what} of {} placements", edits.len()),
        );
        self.edit(Edit::Batch { label, edits });
    }
}

impl OneMapApp {
    /// The selection and what acts on it: the clipboard, and bringing a feature into view.
    pub(super) fn run_selection_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::Select(id) => {
                self.selected = id;
                self.multi.clear();
            }
            AppCommand::ToggleSelect(id) => self.toggle_selected(id),
            AppCommand::SelectInBox(rect) => self.select_in_box(rect),
            AppCommand::SelectMany(ids) => self.select_many(ids),
            AppCommand::Copy => self.copy_selected(self.ctx.clone().as_ref()),
            AppCommand::Cut => {
                self.copy_selected(self.ctx.clone().as_ref());
                self.delete_selected();
            }
            AppCommand::Paste => self.paste(),
            AppCommand::CopyText(text) => {
                if let Some(ctx) = &self.ctx {
                    ctx.copy_text(text);
                }
            }
            AppCommand::Duplicate => self.duplicate_selected(),
            AppCommand::SelectAndShow(id) => {
                self.multi.clear();
                if let Some(bbox) = self.feature(&id).and_then(|f| f.geometry.bounding_rect()) {
                    self.zoom_to(bbox);
                }
                self.selected = Some(id);
            }
            other => wrong_family("selection", &other),
        }
    }
}
