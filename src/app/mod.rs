//! The application: owns the data and the view state, lays out the panels, and applies what
//! the panels ask for ([`AppCommand`]) in one place, after the UI of the frame is drawn.

pub mod command;
pub mod fonts;

use egui::{Key, Pos2, Rect, Ui};
use geo::{BoundingRect, Coord};
use walkers::{Map, MapMemory, lon_lat};

use crate::io::{DataDir, IoError, read_basemap, read_plan, read_style};
use crate::map::hit_test::hit_test;
use crate::map::{DrawStats, ItemKey, MapFrame, Scene, ScreenTransform};
use crate::model::search::SearchHit;
use crate::model::style::Style;
use crate::model::view::ViewSettings;
use crate::model::{Basemap, FeatureId, Plan, Region};
use crate::ui;

pub use command::AppCommand;
pub use fonts::install_fonts;

/// The data the app shows, read once at start.
pub struct AppData {
    pub plan: Plan,
    pub basemap: Basemap,
    pub style: Style,
    /// `assets/ATTRIBUTION.md`, shown in the About box.
    pub attribution: String,
    /// Files that could not be read. Shown to the user, never skipped silently.
    pub problems: Vec<String>,
}

impl AppData {
    /// Reads the plan layers, basemap, style and attributions. Only a missing or broken style
    /// is fatal; a broken layer or basemap is reported and the rest still opens.
    pub fn load(dir: &DataDir) -> Result<Self, IoError> {
        let style = read_style(&dir.style())?;
        let mut problems = Vec::new();
        let plan = match read_plan(&dir.layers(), Region::SHANGHAI_METROPOLITAN_AREA) {
            Ok(load) => {
                problems.extend(load.errors.iter().map(ToString::to_string));
                load.plan
            }
            Err(e) => {
                problems.push(e.to_string());
                Plan::new(Region::SHANGHAI_METROPOLITAN_AREA)
            }
        };
        let basemap = read_basemap(&dir.basemap()).unwrap_or_else(|e| {
            problems.push(e.to_string());
            Basemap::default()
        });
        let attribution = std::fs::read_to_string(dir.attribution()).unwrap_or_else(|e| {
            problems.push(format!(
                "could not read {}: {e}",
                dir.attribution().display()
            ));
            String::new()
        });
        Ok(Self {
            plan,
            basemap,
            style,
            attribution,
            problems,
        })
    }
}

/// State of the search box.
#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

pub struct OneMapApp {
    pub data: AppData,
    pub scene: Scene,
    pub view: ViewSettings,
    pub memory: MapMemory,
    pub hovered: Option<ItemKey>,
    pub selected: Option<FeatureId>,
    /// The pointer's lon/lat while it is over the map.
    pub cursor: Option<Coord<f64>>,
    pub search: SearchState,
    pub show_about: bool,
    /// Whether the user closed the bar that lists unreadable data files.
    pub problems_dismissed: bool,
    /// Set until the map has been fitted to the plan area once its size is known.
    fit_pending: bool,
    /// The map's rectangle in the last frame, for zooming to features.
    last_map_rect: Option<Rect>,
    /// How lon/lat mapped to the screen in the last frame.
    pub last_transform: Option<ScreenTransform>,
    /// What the map drew in the last frame.
    pub last_draw: DrawStats,
}

impl OneMapApp {
    pub fn new(data: AppData) -> Self {
        let scene = Scene::build(&data.plan, &data.basemap, &data.style);
        let view = ViewSettings::from_style(&data.style);
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(121.0, 31.0));
        // Valid by construction (0..=26); a failure would only leave walkers' default zoom.
        let _ = memory.set_zoom(8.0);
        Self {
            data,
            scene,
            view,
            memory,
            hovered: None,
            selected: None,
            cursor: None,
            search: SearchState::default(),
            show_about: false,
            problems_dismissed: false,
            fit_pending: true,
            last_map_rect: None,
            last_transform: None,
            last_draw: DrawStats::default(),
        }
    }

    /// The plan area: the box of the nine municipal territories, or the plan region.
    pub fn plan_area(&self) -> geo::Rect<f64> {
        self.data
            .plan
            .layer("city_boundaries")
            .and_then(|l| {
                let all = geo::GeometryCollection(
                    l.features.iter().map(|f| f.geometry.clone()).collect(),
                );
                all.bounding_rect()
            })
            .unwrap_or_else(|| self.data.plan.region.rect())
    }

    /// Draws one frame of the whole app.
    pub fn ui(&mut self, ui: &mut Ui) {
        let mut commands = Vec::new();
        self.shortcuts(ui, &mut commands);
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui::toolbar::toolbar_ui(ui, &self.data, &self.view, &mut self.search, &mut commands);
        });
        if !self.data.problems.is_empty() && !self.problems_dismissed {
            egui::Panel::top("problems").show(ui, |ui| {
                ui::status_bar::problems_ui(ui, &self.data.problems, &mut commands);
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            ui::status_bar::status_bar_ui(ui, &self.data, self.cursor, self.memory.zoom());
        });
        egui::Panel::left("layers")
            .default_size(290.0)
            .show(ui, |ui| {
                ui::layers_panel::layers_panel_ui(ui, &self.data, &self.view, &mut commands);
            });
        if let Some(feature) = self
            .selected
            .as_ref()
            .and_then(|id| self.data.plan.feature(id))
        {
            egui::Panel::right("inspector")
                .default_size(300.0)
                .show(ui, |ui| {
                    ui::inspector::inspector_ui(ui, feature, &self.data.style, &mut commands);
                });
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map_ui(ui, &mut commands));
        if self.show_about {
            ui::about::about_window(ui.ctx(), &self.data.attribution, &mut commands);
        }
        self.run_commands(commands);
    }

    fn shortcuts(&self, ui: &Ui, commands: &mut Vec<AppCommand>) {
        // Keys only act on the map when no text field has the keyboard.
        if ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        ui.input(|i| {
            if i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals) {
                commands.push(AppCommand::ZoomIn);
            }
            if i.key_pressed(Key::Minus) {
                commands.push(AppCommand::ZoomOut);
            }
            if i.key_pressed(Key::Num0) {
                commands.push(AppCommand::Home);
            }
            if i.key_pressed(Key::Escape) {
                commands.push(AppCommand::Select(None));
            }
        });
    }

    fn map_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let rect = ui.available_rect_before_wrap();
        self.last_map_rect = Some(rect);
        if self.fit_pending && rect.width() > 10.0 && rect.height() > 10.0 {
            let area = self.plan_area();
            self.fit(area, rect);
            self.fit_pending = false;
        }
        let home = lon_lat(121.0, 31.0);
        let selected_key = self.selected.clone().map(ItemKey::Feature);
        let (scene, style, view, hovered, plan) = (
            &self.scene,
            &self.data.style,
            &self.view,
            &self.hovered,
            &self.data.plan,
        );
        let map = Map::new(None, &mut self.memory, home)
            .zoom_with_ctrl(false)
            .double_click_to_zoom(true);
        let result = map.show(ui, |ui, response, projector, _memory| {
            let anchor = Coord { x: 121.0, y: 31.0 };
            let at = projector.project(lon_lat(anchor.x, anchor.y)).to_pos2();
            let frame = MapFrame {
                scene,
                style,
                view,
                transform: ScreenTransform::new(projector.zoom(), anchor, at),
                rect: response.rect,
                hovered: hovered.as_ref(),
                selected: selected_key.as_ref(),
                symbol_scale: 1.0,
            };
            let painter = ui.painter().with_clip_rect(response.rect);
            let (shapes, stats) = frame.shapes(&painter);
            painter.extend(shapes);
            ui::overlays::legend_and_scale_ui(&painter, &frame, plan);
            let pointer = response.hover_pos();
            let hover = pointer.and_then(|p| hit_test(&frame, p));
            let clicked = response.clicked().then(|| {
                response
                    .interact_pointer_pos()
                    .and_then(|p| hit_test(&frame, p))
            });
            (
                hover,
                pointer.map(|p| frame.transform.to_lonlat(p)),
                clicked,
                frame.transform,
                stats,
            )
        });
        let (hover, cursor, clicked, transform, stats) = result.inner;
        self.last_transform = Some(transform);
        self.last_draw = stats;
        if hover.is_some() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        }
        self.hovered = hover;
        self.cursor = cursor;
        if let Some(hit) = clicked {
            let feature = match hit {
                Some(ItemKey::Feature(id)) => Some(id),
                _ => None,
            };
            commands.push(AppCommand::Select(feature));
        }
    }

    /// Centres the map on a lon/lat box and zooms so that it fills `rect`, less a margin.
    /// A single point is shown at town scale instead.
    fn fit(&mut self, area: geo::Rect<f64>, rect: Rect) {
        use crate::map::scene::{lonlat_from_merc, merc};
        let (a, b) = (merc(area.min()), merc(area.max()));
        let (dx, dy) = ((b[0] - a[0]).abs(), (b[1] - a[1]).abs());
        const MARGIN: f64 = 0.92;
        const POINT_ZOOM: f64 = 11.0;
        let zoom = if dx < 1e-9 && dy < 1e-9 {
            POINT_ZOOM
        } else {
            let zoom_x = (f64::from(rect.width()) * MARGIN / (dx.max(1e-9) * 256.0)).log2();
            let zoom_y = (f64::from(rect.height()) * MARGIN / (dy.max(1e-9) * 256.0)).log2();
            zoom_x.min(zoom_y).clamp(2.0, 16.0)
        };
        let c = lonlat_from_merc([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
        self.memory.center_at(lon_lat(c.x, c.y));
        // Clamped above, so always a valid zoom.
        let _ = self.memory.set_zoom(zoom);
    }

    /// Applies the commands of a frame, in order. The one place that changes the app's state.
    pub fn run_commands(&mut self, commands: Vec<AppCommand>) {
        for command in commands {
            match command {
                AppCommand::View(v) => {
                    self.view.apply(&v);
                }
                AppCommand::Select(id) => self.selected = id,
                AppCommand::SelectAndShow(id) => {
                    if let Some(bbox) = self
                        .data
                        .plan
                        .feature(&id)
                        .and_then(|f| f.geometry.bounding_rect())
                    {
                        self.zoom_to(bbox);
                    }
                    self.selected = Some(id);
                }
                AppCommand::ZoomTo(bbox) => self.zoom_to(bbox),
                AppCommand::ZoomIn => {
                    let _ = self.memory.zoom_in();
                }
                AppCommand::ZoomOut => {
                    let _ = self.memory.zoom_out();
                }
                AppCommand::Home => self.fit_pending = true,
                AppCommand::ShowAbout(show) => self.show_about = show,
                AppCommand::DismissProblems => self.problems_dismissed = true,
            }
        }
    }

    fn zoom_to(&mut self, bbox: geo::Rect<f64>) {
        let rect = self
            .last_map_rect
            .unwrap_or(Rect::from_min_size(Pos2::ZERO, egui::vec2(1000.0, 700.0)));
        self.fit(bbox, rect);
    }
}
