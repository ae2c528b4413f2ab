//! Scenes in the editor: made from the current view, updated, shown; and the commands of
//! presenter mode.

use crate::edit::Edit;
use crate::model::Bilingual;
use crate::model::project::{MapView, NamedScene, PlacementId};
use crate::present::scene_zoom_from_canvas;

use super::OneMapApp;

impl OneMapApp {
    fn now(&self) -> f64 {
        self.ctx.as_ref().map_or(0.0, |c| c.input(|i| i.time))
    }

    /// What the editor shows now, as a scene's view: the zoom in reference-canvas terms.
    pub(super) fn current_view(&self) -> MapView {
        let center = self
            .memory
            .detached()
            .unwrap_or_else(|| walkers::lon_lat(121.0, 31.0));
        MapView {
            center: (center.x(), center.y()),
            zoom: scene_zoom_from_canvas(self.memory.zoom(), self.last_map_size),
        }
        .rounded()
    }

    pub(super) fn add_scene(&mut self) {
        let mut scenes = self.doc.project.scenes.clone();
        let n = (scenes.len() + 1..)
            .find(|n| !scenes.iter().any(|s| s.name == format!("scene-{n}")))
            .unwrap_or(scenes.len() + 1);
        let scene = NamedScene {
            name: format!("scene-{n}"),
            title_zh: format!("场景 {n}"),
            title_en: format!("Scene {n}"),
            subtitle_zh: String::new(),
            subtitle_en: String::new(),
            view: Some(self.current_view()),
            settings: Some(self.doc.project.settings.clone()),
            highlighted: self.selected_placements(),
        };
        let label = Bilingual::new(
            format!("添加场景 {}", scene.name),
            format!("add scene {}", scene.name),
        );
        scenes.push(scene);
        let index = scenes.len() - 1;
        self.edit(Edit::SetScenes { label, scenes });
        self.scene_form.select(index);
    }

    pub(super) fn update_scene(&mut self, index: usize) {
        let mut scenes = self.doc.project.scenes.clone();
        let view = self.current_view();
        let highlighted = self.selected_placements();
        let Some(scene) = scenes.get_mut(index) else {
            return;
        };
        scene.view = Some(view);
        scene.settings = Some(self.doc.project.settings.clone());
        scene.highlighted = highlighted;
        let label = Bilingual::new(
            format!("更新场景 {}", scene.name),
            format!("update scene {}", scene.name),
        );
        self.edit(Edit::SetScenes { label, scenes });
    }

    /// Shows a scene in the editor: its layers (one undo step), its highlights selected, and a
    /// flight to its view.
    pub(super) fn go_to_scene(&mut self, index: usize) {
        let Some(scene) = self.doc.project.scenes.get(index).cloned() else {
            return;
        };
        if let Some(settings) = scene.settings.clone() {
            self.edit(Edit::SetSettings {
                label: Bilingual::new(
                    format!("显示场景 {}", scene.name),
                    format!("show scene {}", scene.name),
                ),
                settings,
            });
        }
        let highlighted: Vec<PlacementId> = scene
            .highlighted
            .iter()
            .filter(|id| self.doc.project.placements.contains_key(id))
            .cloned()
            .collect();
        self.select_many(highlighted);
        self.scene_form.select(index);
        let now = self.now();
        self.fly_to(scene.view, now);
    }

    pub(super) fn start_presenting(&mut self, at: Option<usize>) {
        let index = at.or(self.scene_form.selected).unwrap_or(0);
        let ctx = self.ctx.clone();
        self.present(ctx.as_ref(), index);
    }

    pub(super) fn step_presenting(&mut self, forward: bool) {
        let now = self.now();
        self.present_step(forward, now);
    }

    pub(super) fn end_presenting(&mut self) {
        let ctx = self.ctx.clone();
        self.stop_presenting(ctx.as_ref());
    }
}
