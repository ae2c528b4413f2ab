//! Presenter mode: the slide of each scene full screen, stepped through with the keys a
//! presentation clicker sends, with a short flight between scenes. Also the flight itself,
//! which the editor uses too when a scene is chosen.

use egui::{Align2, Color32, FontId, Key, Ui, vec2};
use walkers::{Map, lon_lat};

use crate::map::ScreenTransform;
use crate::map::scene::{lonlat_from_merc, merc};
use crate::model::project::MapView;
use crate::present::export::{SlideInputs, SlideSpec, today};
use crate::present::{fit_view, zoom_for_canvas};

use super::{AppCommand, OneMapApp};

/// A flight lasts this long: under a second, as a presenter expects.
pub const FLIGHT_SECONDS: f64 = 0.8;

#[derive(Clone, Debug, PartialEq)]
pub struct Presenter {
    /// The scene shown (an index into the project's scenes).
    pub index: usize,
    pub high_contrast: bool,
}

/// An animated move of the map to a scene's view.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    from: ([f64; 2], f64),
    /// Where to, in scene terms (`None`: the whole plan area).
    to: Option<MapView>,
    /// `egui` time when it began; minus infinity lands at once.
    started: f64,
}

impl OneMapApp {
    /// Starts a flight from where the map is to a scene view.
    pub(super) fn fly_to(&mut self, to: Option<MapView>, now: f64) {
        let from = self
            .memory
            .detached()
            .unwrap_or_else(|| lon_lat(121.0, 31.0));
        self.flight = Some(Flight {
            from: (
                merc(geo::Coord {
                    x: from.x(),
                    y: from.y(),
                }),
                self.memory.zoom(),
            ),
            to,
            started: now,
        });
    }

    /// Moves the map along the flight under way, for a map of `size` points.
    pub(super) fn advance_flight(&mut self, ctx: &egui::Context, size: egui::Vec2) {
        let Some(f) = self.flight.clone() else {
            return;
        };
        let target = match f.to {
            Some(v) => MapView {
                center: v.center,
                zoom: zoom_for_canvas(v.zoom, size),
            },
            None => fit_view(self.plan_area(), size),
        };
        let now = ctx.input(|i| i.time);
        let t = ((now - f.started) / FLIGHT_SECONDS).clamp(0.0, 1.0);
        let (center, zoom) = if t >= 1.0 {
            self.flight = None;
            (target.center, target.zoom)
        } else {
            // Smoothstep: starts and lands gently.
            let e = t * t * (3.0 - 2.0 * t);
            let to = merc(geo::Coord {
                x: target.center.0,
                y: target.center.1,
            });
            let m = [
                f.from.0[0] + (to[0] - f.from.0[0]) * e,
                f.from.0[1] + (to[1] - f.from.0[1]) * e,
            ];
            ctx.request_repaint();
            let c = lonlat_from_merc(m);
            ((c.x, c.y), f.from.1 + (target.zoom - f.from.1) * e)
        };
        self.memory.center_at(lon_lat(center.0, center.1));
        // Clamped by zoom_for_canvas and fit_view to valid zooms.
        let _ = self.memory.set_zoom(zoom.clamp(0.0, 26.0));
    }

    /// Enters presenter mode at a scene.
    pub fn present(&mut self, ctx: Option<&egui::Context>, index: usize) {
        let count = self.doc.project.scenes.len();
        let index = index.min(count.saturating_sub(1));
        self.presenting = Some(Presenter {
            index,
            high_contrast: self.presenting.as_ref().is_some_and(|p| p.high_contrast),
        });
        if let Some(ctx) = ctx {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        self.show_scene(index, f64::NEG_INFINITY);
    }

    /// Shows scene `index` in presenter mode, flying there from `now` (minus infinity: at once).
    pub fn show_scene(&mut self, index: usize, now: f64) {
        if let Some(p) = self.presenting.as_mut() {
            p.index = index;
        }
        let view = self.doc.project.scenes.get(index).and_then(|s| s.view);
        self.fly_to(view, now);
    }

    pub(super) fn present_step(&mut self, forward: bool, now: f64) {
        let Some(p) = &self.presenting else {
            return;
        };
        let count = self.doc.project.scenes.len();
        let index = if forward {
            (p.index + 1).min(count.saturating_sub(1))
        } else {
            p.index.saturating_sub(1)
        };
        if index != p.index {
            self.show_scene(index, now);
        }
    }

    pub(super) fn stop_presenting(&mut self, ctx: Option<&egui::Context>) {
        self.presenting = None;
        self.flight = None;
        if let Some(ctx) = ctx {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
    }

    /// What a slide of the open project needs: the app's data with `spec` on top.
    pub fn slide_inputs<'a>(
        &'a self,
        spec: &'a SlideSpec,
        high_contrast: bool,
        date: &'a str,
    ) -> SlideInputs<'a> {
        SlideInputs {
            plan: &self.data.plan,
            style: &self.data.style,
            attribution: &self.data.attribution,
            scene: &self.scene,
            doc: &self.doc,
            spec,
            high_contrast,
            date,
        }
    }

    /// The whole window in presenter mode: the slide, and a small scene counter.
    pub(super) fn presenter_ui(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        ui.input(|i| {
            let next = [Key::PageDown, Key::ArrowRight, Key::Space];
            let previous = [Key::PageUp, Key::ArrowLeft];
            if next.iter().any(|k| i.key_pressed(*k)) {
                commands.push(AppCommand::PresentStep(true));
            }
            if previous.iter().any(|k| i.key_pressed(*k)) {
                commands.push(AppCommand::PresentStep(false));
            }
            if i.key_pressed(Key::Escape) || i.key_pressed(Key::F5) {
                commands.push(AppCommand::StopPresenting);
            }
            if i.key_pressed(Key::H) {
                commands.push(AppCommand::ToggleHighContrast);
            }
        });
        let Some(presenter) = self.presenting.clone() else {
            return;
        };
        let scenes = &self.doc.project.scenes;
        let spec = SlideSpec::of(&self.doc.project, scenes.get(presenter.index));
        let count = scenes.len();
        let date = today();
        // The map fills the window: no panels in presenter mode.
        let rect = ui.ctx().content_rect();
        self.advance_flight(ui.ctx(), rect.size());
        let options = self.tile_options();
        self.tiles.sync(ui.ctx(), &spec.settings.basemap, &options);
        let tiles_under = self.tiles.is_active();
        let tiles = self.tiles.textures();
        let ground = crate::map::draw::color(self.data.style.background, 1.0);
        // Field by field, not `slide_inputs`: the map below borrows `self.memory` mutably.
        let inputs = SlideInputs {
            plan: &self.data.plan,
            style: &self.data.style,
            attribution: &self.data.attribution,
            scene: &self.scene,
            doc: &self.doc,
            spec: &spec,
            high_contrast: presenter.high_contrast,
            date: &date,
        };
        let mut shown_transform = None;
        // The whole window, whatever margins the ui we are given has.
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            ui.set_clip_rect(rect);
            let map = Map::new(None, &mut self.memory, lon_lat(121.0, 31.0))
                .zoom_with_ctrl(false)
                .double_click_to_zoom(false);
            map.show(ui, |ui, response, projector, _memory| {
                let anchor = geo::Coord { x: 121.0, y: 31.0 };
                let at = projector.project(lon_lat(anchor.x, anchor.y)).to_pos2();
                let transform = ScreenTransform::new(projector.zoom(), anchor, at);
                shown_transform = Some(transform);
                let painter = ui.painter().with_clip_rect(response.rect);
                if let Some(tiles) = tiles {
                    let ppp = ui.ctx().pixels_per_point();
                    let (shapes, _) = crate::map::tiles::tile_shapes(
                        &transform,
                        response.rect,
                        ppp,
                        ground,
                        tiles,
                    );
                    painter.extend(shapes);
                }
                let slide = inputs.slide_on(response.rect, transform, tiles_under);
                slide.paint(&painter);
                if count > 0 {
                    let s = slide.frame.symbol_scale;
                    painter.text(
                        response.rect.right_top() + vec2(-70.0 * s, 14.0 * s),
                        Align2::RIGHT_TOP,
                        format!("{} / {count}", presenter.index + 1),
                        FontId::proportional(12.0 * s),
                        Color32::from_gray(90),
                    );
                }
            });
        });
        self.tiles.end_frame();
        self.last_transform = shown_transform.or(self.last_transform);
        self.run_commands(commands);
    }
}
