//! The application: owns the data, the open project and the view state, lays out the panels,
//! and applies what the panels ask for ([`AppCommand`]) in one place, after the frame's UI.
//! The top layer: it may use every other, and it is the only one that changes the project,
//! opens a file dialog or schedules the recovery journal. Nothing below names it.

mod data_layers;
pub mod db;
mod db_edition;
mod drawing;
mod export_image;
mod file_commands;
pub mod files;
mod handle;
pub mod help;
pub mod import;
pub mod journal;
mod layout;
mod map_frame;
pub mod presenter;
pub mod quit;
pub mod review;
mod scenes;
mod selection;
mod sketch;
pub mod tile_note;
pub mod tiles;

use std::path::{Path, PathBuf};

use egui::{Key, Rect, Ui};
use geo::Coord;
use walkers::{MapMemory, lon_lat};

use crate::command::{PathPurpose, SketchView};
use crate::doc::Document;
use crate::map::{DrawStats, ItemKey, Scene, ScreenTransform};
use crate::model::view::ViewSettings;
use crate::model::{FeatureId, PlanFeature};
use crate::ui;
use files::FileState;

// What `main.rs` and the tests need to start the GUI, next to `OneMapApp` itself.
pub use crate::command::AppCommand;
pub use crate::doc::{AppData, install_fonts};

pub struct OneMapApp {
    pub data: AppData,
    pub scene: Scene,
    pub doc: Document,
    pub files: FileState,
    pub memory: MapMemory,
    pub hovered: Option<ItemKey>,
    pub selected: Option<FeatureId>,
    /// The pointer's lon/lat while it is over the map.
    pub cursor: Option<Coord<f64>>,
    pub search: ui::toolbar::SearchState,
    pub show_about: bool,
    /// Whether the user closed the bar that lists unreadable data files.
    pub problems_dismissed: bool,
    /// Set until the map has been fitted to the plan area once its size is known.
    fit_pending: bool,
    /// A box to bring into view at the next frame.
    pending_zoom: Option<geo::Rect<f64>>,
    /// A box to centre the map on at the next frame (fitted if too large at that zoom).
    pending_centre: Option<geo::Rect<f64>>,
    /// How lon/lat mapped to the screen in the last frame.
    pub last_transform: Option<ScreenTransform>,
    /// What the map drew in the last frame.
    pub last_draw: DrawStats,
    /// The window title last sent, so it is only sent when it changes.
    last_title: String,
    /// The user chose to quit and nothing is left unsaved.
    quit_requested: bool,
    /// The layer order and style overrides the scenes were built with.
    applied_overrides: Option<(
        std::collections::BTreeMap<String, u32>,
        std::collections::BTreeMap<String, crate::model::style::Paint>,
    )>,
    /// Plan-check findings of the project as it is now.
    pub findings: Vec<crate::model::checks::Finding>,
    /// The document revision the findings were computed for.
    checked_revision: Option<u64>,
    /// The finding whose acknowledgement is being written, and the reason so far.
    pub ack_draft: Option<(String, String)>,
    /// Whether the Checks panel is open (the status bar always shows the count).
    pub checks_open: bool,
    pub tool: crate::command::Tool,
    /// The vertices of the drawing under way, lon/lat.
    pub draft: Vec<Coord<f64>>,
    /// The system action new placements belong to.
    pub draw_action: String,
    /// Text buffers of the placement form.
    pub form: ui::placement_form::FormState,
    /// The placement whose vertex is being dragged (as it was after any insert) and the vertex.
    vertex_drag: Option<(
        FeatureId,
        crate::model::project::PlacementGeometry,
        usize,
        usize,
    )>,
    /// The vertex (ring, index) of the selected placement that Delete removes.
    pub selected_vertex: Option<(usize, usize)>,
    /// Placements selected besides `selected` (Shift-click, a box, the table).
    pub multi: std::collections::BTreeSet<crate::model::project::PlacementId>,
    /// Where a Shift+drag selection box began, on screen.
    box_start: Option<egui::Pos2>,
    /// Whether pointers snap to what is on the map (S toggles).
    pub snap_on: bool,
    /// Where the pointer snapped in the last frame.
    pub snapped: Option<crate::map::snap::Snap>,
    /// Placements copied with Ctrl+C, for Ctrl+V.
    clipboard: Vec<crate::model::project::Placement>,
    /// How sketches of the plan layers show.
    pub sketch_view: SketchView,
    /// Review mode: the project is read-only, comments go to its sidecar.
    pub review_mode: bool,
    pub review: crate::command::ReviewState,
    /// A comparison with another version, while the compare panel is open.
    pub compare: Option<crate::command::CompareState>,
    /// A three-way merge while its conflicts are resolved.
    pub merge: Option<crate::command::MergeState>,
    /// Presenter mode, when on.
    pub presenting: Option<presenter::Presenter>,
    /// A flight of the map to a scene under way.
    pub flight: Option<presenter::Flight>,
    /// The size of the map in the last frame, in points.
    pub last_map_size: egui::Vec2,
    /// Whether the left panel shows the scenes (else the layers).
    pub scenes_tab: bool,
    /// The scene selected in the scenes panel, and its text fields.
    pub scene_form: ui::scenes_panel::SceneForm,
    /// The egui context of the last frame, for the system clipboard.
    ctx: Option<egui::Context>,
    /// Whether the placement table is open.
    pub table_open: bool,
    pub table: ui::placement_table::TableState,
    /// The open attribute tables of data layers, by layer id.
    pub data_tables: std::collections::BTreeMap<String, ui::data_table::DataTableState>,
    /// Where the attribute tables were on the screen in the last frame (the map centres a
    /// feature chosen in one beside them, not under them).
    pub data_table_rects: Vec<egui::Rect>,
    /// Cities and zones each placement touches, for the table; recomputed with the checks.
    pub placement_facts: std::collections::BTreeMap<
        crate::model::project::PlacementId,
        crate::model::derived::Derived,
    >,
    /// The placement being moved, as it was when the drag began, and where the drag began.
    move_drag: Option<(
        FeatureId,
        crate::model::project::PlacementGeometry,
        Coord<f64>,
    )>,
    /// Preferences (the interface language) and help.
    pub help: help::HelpState,
    /// The tile basemap, when the view's choice is not the built-in one.
    pub tiles: tiles::BasemapTiles,
    pub basemap_picker: ui::basemap_picker::PickerState,
    /// The team store: the connection of this session and the work under way.
    pub db: db::DbSession,
}

impl OneMapApp {
    /// The app on a new, empty project. Nothing on disk is touched until
    /// [`Self::enable_desktop_services`] (recent files, recovery journal, file dialogs).
    pub fn new(data: AppData) -> Self {
        let scene = Scene::build(&data.plan, &data.basemap, &data.style);
        let doc = Document::on_plan(
            data.new_project(),
            None,
            data.shared_plan.clone(),
            &data.style,
        );
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(121.0, 31.0));
        // Valid by construction (0..=26); a failure would only leave walkers' default zoom.
        let _ = memory.set_zoom(8.0);
        Self {
            data,
            scene,
            doc,
            files: FileState::default(),
            memory,
            hovered: None,
            selected: None,
            cursor: None,
            search: Default::default(),
            show_about: false,
            problems_dismissed: false,
            fit_pending: true,
            pending_zoom: None,
            pending_centre: None,
            last_transform: None,
            last_draw: DrawStats::default(),
            last_title: String::new(),
            quit_requested: false,
            applied_overrides: Some(Default::default()),
            findings: Vec::new(),
            checked_revision: None,
            ack_draft: None,
            checks_open: false,
            tool: crate::command::Tool::Select,
            draft: Vec::new(),
            draw_action: "transport".into(),
            form: ui::placement_form::FormState::default(),
            move_drag: None,
            vertex_drag: None,
            selected_vertex: None,
            multi: Default::default(),
            box_start: None,
            snap_on: true,
            snapped: None,
            clipboard: Vec::new(),
            ctx: None,
            sketch_view: SketchView::Alone,
            review_mode: false,
            review: Default::default(),
            compare: None,
            merge: None,
            presenting: None,
            flight: None,
            last_map_size: crate::present::REFERENCE_SIZE,
            scenes_tab: false,
            scene_form: Default::default(),
            table_open: false,
            table: Default::default(),
            data_tables: Default::default(),
            data_table_rects: Vec::new(),
            placement_facts: Default::default(),
            help: Default::default(),
            tiles: Default::default(),
            basemap_picker: Default::default(),
            db: Default::default(),
        }
    }

    /// The smallest window the app lets itself be made: its panels, dialogs and help are laid
    /// out (and tested) to fit it.
    pub const MIN_WINDOW_SIZE: [f32; 2] = [1024.0, 700.0];

    pub fn enable_desktop_services(&mut self) {
        self.files.enable_desktop();
        self.help
            .use_preferences_file(crate::io::preferences::default_preferences_file());
    }

    /// Opens the project given on the command line (or the default one). If it cannot be read,
    /// the app still starts, on a new untitled project, and says so in a dialog that names the
    /// file (kept in [`FileState::start_error`] for the command line to print as well). Then
    /// offers any unsaved work left by a session that crashed, after that dialog.
    pub fn open_at_start(&mut self, path: &Path) {
        if let Err(e) = self.try_open(path) {
            let then = match self.lang() {
                crate::model::UiLanguage::Chinese => format!(
                    "OneMap 已改为新建一个未命名项目。没有向 {} 写入任何内容。",
                    path.display()
                ),
                crate::model::UiLanguage::English => format!(
                    "OneMap started with a new, untitled project instead. Nothing was written to {}.",
                    path.display()
                ),
            };
            let text = format!("{}\n\n{then}", e.in_language(self.lang()));
            self.files.error("Could not open the project", text);
            // The command line prints it in English, as the other subcommands do.
            self.files.start_error = Some(e.to_string());
        }
        self.files.offer_recovery();
    }

    /// Opens a project for review (`onemap --review FILE`): nothing to recover, nothing saved.
    pub fn open_for_review_at_start(&mut self, path: &Path) {
        self.open_for_review(path);
    }

    pub fn view(&self) -> &ViewSettings {
        &self.doc.project.settings
    }

    /// How tile sources are opened: the user's cache, offline switch and key.
    pub fn tile_options(&self) -> crate::io::tiles::OpenOptions {
        crate::io::tiles::OpenOptions {
            cache_dir: crate::io::tiles::cache_dir(),
            offline: self.help.prefs.tiles_offline,
            tianditu_key: self.help.prefs.tianditu_key.clone(),
            timeout: None,
            base_dir: self
                .doc
                .path
                .as_deref()
                .and_then(Path::parent)
                .map(Path::to_owned),
        }
    }

    /// A feature of the plan or of the project.
    /// A feature of the project (placements, sketches: a sketched plan feature as sketched) or
    /// of the plan.
    pub fn feature(&self, id: &FeatureId) -> Option<std::borrow::Cow<'_, PlanFeature>> {
        self.doc
            .feature(id)
            .or_else(|| self.data.plan.feature(id).map(std::borrow::Cow::Borrowed))
    }

    /// The plan area: the box of the nine municipal territories, or the plan region.
    pub fn plan_area(&self) -> geo::Rect<f64> {
        crate::present::plan_area(&self.data.plan)
    }

    /// Applies the project's layer order and style overrides when they changed: the plan's
    /// scene is rebuilt with the effective style (not per frame: only after such an edit).
    pub fn restyle(&mut self) {
        let wanted = (
            self.doc.project.layer_order.clone(),
            self.doc.project.style_overrides.clone(),
        );
        if self.applied_overrides.as_ref() == Some(&wanted) {
            return;
        }
        self.data.style = self.data.base_style.with_overrides(&wanted.0, &wanted.1);
        self.scene = Scene::build(&self.data.plan, &self.data.basemap, &self.data.style);
        self.doc.rebuild(&self.data.style);
        self.applied_overrides = Some(wanted);
    }

    /// Recomputes the plan checks when the project has changed since they last ran.
    pub fn recheck(&mut self) {
        if self.checked_revision == Some(self.doc.revision) {
            return;
        }
        self.findings = match &self.data.edition {
            Some(edition) => {
                crate::model::checks::run_checks(&self.doc.project, &self.data.plan, edition)
            }
            None => Vec::new(),
        };
        self.placement_facts = self
            .doc
            .project
            .placements
            .iter()
            .map(|(id, p)| {
                let facts = crate::model::derived::derive(&self.data.plan, &p.geometry.to_geo());
                (id.clone(), facts)
            })
            .collect();
        self.checked_revision = Some(self.doc.revision);
    }

    fn shortcuts(&self, ui: &Ui, commands: &mut Vec<AppCommand>) {
        use egui::{KeyboardShortcut, Modifiers};
        // Ctrl+Shift+S first: consuming Ctrl+S would also match it.
        let shortcuts = [
            (
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S),
                AppCommand::AskPath(PathPurpose::SaveAs),
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::S),
                AppCommand::Save,
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
                AppCommand::AskPath(PathPurpose::Open),
            ),
            (
                KeyboardShortcut::new(Modifiers::COMMAND, Key::N),
                AppCommand::New,
            ),
            (
                KeyboardShortcut::new(Modifiers::NONE, Key::F5),
                AppCommand::Present(None),
            ),
        ];
        for (shortcut, command) in shortcuts {
            if ui.ctx().input_mut(|i| i.consume_shortcut(&shortcut)) {
                commands.push(command);
            }
        }
        // A focused text field has its own undo; the project's waits until it is done.
        if !ui.ctx().memory(|m| m.focused().is_some()) {
            let history = [
                (
                    KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
                    AppCommand::Redo,
                ),
                (
                    KeyboardShortcut::new(Modifiers::COMMAND, Key::Z),
                    AppCommand::Undo,
                ),
                (
                    KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
                    AppCommand::Redo,
                ),
            ];
            for (shortcut, command) in history {
                if ui.ctx().input_mut(|i| i.consume_shortcut(&shortcut)) {
                    commands.push(command);
                }
            }
        }
        // Keys only act on the map when no text field has the keyboard.
        if ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        ui::tools::tool_keys(
            ui,
            self.tool,
            !self.draft.is_empty(),
            self.review_mode,
            commands,
        );
        ui.input(|i| {
            for event in &i.events {
                match event {
                    egui::Event::Copy => commands.push(AppCommand::Copy),
                    egui::Event::Cut => commands.push(AppCommand::Cut),
                    egui::Event::Paste(_) => commands.push(AppCommand::Paste),
                    _ => {}
                }
            }
            if i.modifiers.command_only() && i.key_pressed(Key::D) {
                commands.push(AppCommand::Duplicate);
            }
        });
        ui.input(|i| {
            if i.modifiers.is_none() {
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
                    commands.push(if self.draft.is_empty() {
                        AppCommand::Select(None)
                    } else {
                        AppCommand::CancelDrawing
                    });
                }
            }
        });
    }

    /// Files dropped on the window (its close button is [`Self::logic`]'s).
    fn window_events(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            match path.extension().and_then(|e| e.to_str()) {
                Some("onemap") => commands.push(AppCommand::Open(path)),
                _ if crate::io::formats::Format::of_path(&path).is_some() => {
                    commands.push(AppCommand::DetectData(path))
                }
                _ => self.files.error(
                    "Cannot open",
                    format!(
                        "{}: {}",
                        path.display(),
                        self.lang().pick(
                            "OneMap 打开 .onemap 项目，导入数据文件（.geojson、.shp、.zip、.gpkg、.kml、.kmz、.dxf、.csv）",
                            "OneMap opens .onemap projects and imports data files (.geojson, .shp, .zip, .gpkg, .kml, .kmz, .dxf, .csv)"
                        )
                    ),
                ),
            }
        }
    }

    /// Centres the map on a lon/lat box and zooms so that it fills `rect`, less a margin.
    /// A single point is shown at town scale instead.
    fn fit(&mut self, area: geo::Rect<f64>, rect: Rect) {
        let view = crate::present::fit_view(area, rect.size());
        self.memory.center_at(lon_lat(view.center.0, view.center.1));
        // fit_view clamps to valid zooms.
        let _ = self.memory.set_zoom(view.zoom);
    }

    /// Brings a box into view on the next frame, when the map's size is known: selecting
    /// something opens the inspector, which narrows the map.
    fn zoom_to(&mut self, bbox: geo::Rect<f64>) {
        self.pending_zoom = Some(bbox);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.doc.title();
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
        if self.quit_requested {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
