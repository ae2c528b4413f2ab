//! The map panel: draws the map, the selection, the tool's handles and the snap indicator, and
//! turns pointer gestures into commands for the tool in use. It reads the frame's state
//! ([`MapPanel`]) and reports what it saw ([`MapSeen`]); the app keeps that until the next frame.

use super::tr;
use egui::{Color32, Pos2, Rect, Stroke, Ui};
use geo::Coord;
use walkers::{Map, MapMemory, Projector, lon_lat};

use crate::command::{AppCommand, CompareState, Handle, SketchView, Tool};
use crate::doc::Document;
use crate::doc::legend::{LegendPlace, legend_and_scale_ui};
use crate::map::hit_test::{hit_test, hit_test_where, hits};
use crate::map::marks::{comment_pins, snap_indicator};
use crate::map::scene::{Item, Scene};
use crate::map::snap::{Snap, TOLERANCE_PX, snap};
use crate::map::{DrawStats, ItemKey, MapFrame, ScreenTransform};
use crate::model::Plan;
use crate::model::project::PlacementId;
use crate::model::review::{Anchor, ReviewComment};
use crate::model::style::Style;

use super::tools::{self, PrimaryDrag};

/// Where walkers' map is anchored; every screen transform is built from its projection.
const ANCHOR: Coord<f64> = Coord { x: 121.0, y: 31.0 };

/// What the map panel reads: the app's state, borrowed for one frame.
pub struct MapPanel<'a> {
    pub scene: &'a Scene,
    pub style: &'a Style,
    pub plan: &'a Plan,
    pub doc: &'a Document,
    pub hovered: Option<&'a ItemKey>,
    /// The keys of everything selected.
    pub selection: Vec<ItemKey>,
    pub tool: Tool,
    /// The vertices of the drawing under way, lon/lat.
    pub draft: &'a [Coord<f64>],
    /// The selected feature's handles, when the vertex tool is on and it can be edited.
    pub vertex_handles: Option<Vec<(Handle, (f64, f64))>>,
    /// The feature being edited: not a snap target, as it would hold its own vertex.
    pub editing: Option<ItemKey>,
    pub snap_on: bool,
    /// A placement is being moved.
    pub moving: bool,
    /// A vertex is being dragged.
    pub vertex_dragging: bool,
    pub selected_vertex: Option<(usize, usize)>,
    /// Where a Shift+drag selection box began, on screen.
    pub box_start: Option<Pos2>,
    pub comments: &'a [ReviewComment],
    pub sketch_view: SketchView,
    pub compare: Option<&'a CompareState>,
    /// Review mode: the project is read-only (the context menu offers comments, no edits).
    pub review: bool,
    /// A tile basemap is drawn under the map instead of the built-in one.
    pub tiles_under: bool,
    /// Draws a large map's features from a picture rendered off the UI thread with this
    /// rasterizer (see `map::canvas`); `None`: painted every frame.
    pub canvas: Option<crate::map::canvas::Rasterizer>,
}

/// What the map panel saw this frame, for the app to keep until the next.
pub struct MapSeen {
    pub box_start: Option<Pos2>,
    /// How lon/lat mapped to the screen.
    pub transform: ScreenTransform,
    /// What the map drew.
    pub stats: DrawStats,
    pub hovered: Option<ItemKey>,
    /// The pointer's lon/lat while it is over the map.
    pub cursor: Option<Coord<f64>>,
    /// Where the pointer snapped.
    pub snapped: Option<Snap>,
}

/// What the map closure found out this frame, applied after it (the map borrows the memory).
struct Gestures {
    hover: Option<ItemKey>,
    cursor: Option<Coord<f64>>,
    /// A click, and what it hit.
    clicked: Option<Option<ItemKey>>,
    transform: ScreenTransform,
    stats: DrawStats,
    snapped: Option<Snap>,
    double: bool,
    /// Every click of this frame on the map, in order: where on screen, and the lon/lat it
    /// aims at (snapped when snapping is on). A slow frame can gather several.
    map_clicks: Vec<(Pos2, Coord<f64>)>,
    /// The box being dragged for a box selection: its corners on screen.
    box_drag: Option<(Pos2, Pos2)>,
    box_ended: bool,
}

/// What the map's frame is drawn within: the whole panel (two maps side by side share it),
/// and the tiles under the map, if its basemap is a tile source.
struct Around<'t> {
    full: Rect,
    tiles: Option<&'t mut dyn crate::map::tiles::TileTextures>,
}

/// The modifier keys as the map's gestures read them.
#[derive(Clone, Copy)]
struct Keys {
    shift: bool,
    alt: bool,
}

impl MapPanel<'_> {
    /// Tools that add vertices with clicks.
    fn drawing(&self) -> bool {
        self.tool.draws()
    }

    /// Shift+drag in the Select tool draws a selection box instead of panning.
    fn boxing(&self, keys: Keys) -> bool {
        self.tool == Tool::Select && (keys.shift || self.box_start.is_some())
    }

    /// The map as the editor shows it, on `rect` through `transform`.
    pub(super) fn frame(&self, transform: ScreenTransform, rect: Rect) -> MapFrame<'_> {
        // Sketches alone replace their baseline features; against the baseline both show.
        let hidden = match self.sketch_view {
            SketchView::Alone => &self.doc.sketch.replaced,
            _ => &crate::map::draw::NO_FEATURES,
        };
        MapFrame {
            scene: self.scene,
            overlay: &self.doc.overlay,
            sketches: &self.doc.project.sketch_layers,
            style: self.style,
            view: &self.doc.project.settings,
            transform,
            rect,
            hovered: self.hovered,
            selected: &self.selection,
            symbol_scale: 1.0,
            line_scale: 1.0,
            hidden,
            sketched: &self.doc.sketch.sketched,
            sketches_shown: self.sketch_view != SketchView::Hidden,
            tiles_under: self.tiles_under,
        }
    }
}

/// Draws the map and turns this frame's pointer gestures into commands.
pub fn map_ui(
    ui: &mut Ui,
    panel: &MapPanel<'_>,
    memory: &mut MapMemory,
    tiles: Option<&mut dyn crate::map::tiles::TileTextures>,
    commands: &mut Vec<AppCommand>,
) -> MapSeen {
    let keys = ui.input(|i| Keys {
        shift: i.modifiers.shift,
        alt: i.modifiers.alt,
    });
    let tool = panel.tool;
    let map = Map::new(None, memory, lon_lat(ANCHOR.x, ANCHOR.y))
        .zoom_with_ctrl(false)
        // The wheel, pinches and double-clicks zoom here (`zoom_about`), not in walkers,
        // whose wheel step depends on the frame rate (1.3 levels a notch, seen).
        .zoom_gesture(false)
        .double_click_to_zoom(false)
        .drag_pan_buttons(if tool.drags_features() || panel.boxing(keys) {
            egui::DragPanButtons::SECONDARY | egui::DragPanButtons::MIDDLE
        } else {
            egui::DragPanButtons::PRIMARY
        });
    // Side by side: the current version on the left, the other on the right, one view.
    let full = ui.available_rect_before_wrap();
    let side_by_side = panel.compare.is_some_and(|c| c.side_by_side);
    let map_rect = if side_by_side {
        Rect::from_min_max(full.min, egui::pos2(full.center().x, full.max.y))
    } else {
        full
    };
    let mut tool_commands = Vec::new();
    // An id of its own: an automatic one changes when a side panel opens (a placement's form,
    // opened by the press that starts a move), and egui would drop the drag under way.
    let scope = egui::UiBuilder::new()
        .max_rect(map_rect)
        .scope_id(egui::Id::unique("onemap.map_panel"));
    let result = ui.scope_builder(scope, |ui| {
        map.show(ui, |ui, response, projector, _memory| {
            map_frame_ui(
                ui,
                response,
                projector,
                panel,
                keys,
                Around { full, tiles },
                &mut tool_commands,
            )
        })
    });
    let g = result.inner.inner;
    let map_response = &result.inner.response;
    // While drawing, a double-click finishes the drawing instead of zooming.
    let double_zoom = map_response.double_clicked() && !panel.drawing();
    let levels =
        super::map_zoom::zoom_levels(ui, map_response) + if double_zoom { 1.0 } else { 0.0 };
    if let Some(pointer) = map_response.hover_pos().filter(|_| levels != 0.0) {
        super::map_zoom::zoom_about(memory, &g.transform, map_response.rect, pointer, levels);
        ui.ctx().request_repaint();
    }
    commands.extend(tool_commands);
    super::context_menu::map_context_menu(ui, panel, map_response, &g.transform, commands);
    if tool == Tool::Measure {
        super::measure::measure_readout_ui(
            ui,
            map_response.rect,
            super::ui_language(ui.ctx()).as_label_language(),
            panel.draft,
            commands,
        );
    }
    let box_start = box_selection(&g, commands);
    after_gestures(panel, &g, keys, commands);
    cursor_icon(ui.ctx(), panel, g.hover.is_some(), g.box_drag.is_some());
    MapSeen {
        box_start,
        transform: g.transform,
        stats: g.stats,
        hovered: g.hover,
        cursor: g.cursor,
        snapped: g.snapped,
    }
}

/// One frame inside walkers' map: paints everything over it and reads the pointer.
fn map_frame_ui(
    ui: &mut Ui,
    response: &egui::Response,
    projector: &Projector,
    panel: &MapPanel<'_>,
    keys: Keys,
    around: Around<'_>,
    tool_commands: &mut Vec<AppCommand>,
) -> Gestures {
    let Around { full, tiles } = around;
    let tool = panel.tool;
    let (drawing, boxing) = (panel.drawing(), panel.boxing(keys));
    let at = projector.project(lon_lat(ANCHOR.x, ANCHOR.y)).to_pos2();
    let frame = panel.frame(
        ScreenTransform::new(projector.zoom(), ANCHOR, at),
        response.rect,
    );
    let painter = ui.painter().with_clip_rect(response.rect);
    if let Some(tiles) = tiles {
        let ground = crate::map::draw::color(panel.style.background, 1.0);
        let ppp = ui.ctx().pixels_per_point();
        let (shapes, _) =
            crate::map::tiles::tile_shapes(&frame.transform, response.rect, ppp, ground, tiles);
        painter.extend(shapes);
    }
    let tiles_attribution = panel
        .tiles_under
        .then(|| panel.doc.project.settings.basemap.attribution());
    let cache = crate::map::PaintCache::kept(ui.ctx(), response.id);
    let (shapes, stats) = match panel.canvas {
        Some(rasterize) => {
            let canvas = crate::map::MapCanvas::kept(ui.ctx(), response.id);
            let (shapes, stats, _) =
                frame.shapes_canvas(&painter, &mut canvas.lock(), &mut cache.lock(), rasterize);
            (shapes, stats)
        }
        None => frame.shapes_cached(&painter, &mut cache.lock()),
    };
    painter.extend(shapes);
    let legend = legend_and_scale_ui(
        &painter,
        &frame,
        panel.plan,
        &panel.doc.features,
        0.0,
        LegendPlace::Editor,
    );
    super::legend_controls::legend_controls_ui(ui, legend, frame.view.legend, tool_commands);
    let side_by_side = panel.compare.is_some_and(|c| c.side_by_side);
    if stats.indicative > 0 {
        painter.extend(editor_notice(&painter, response.rect, side_by_side));
    }
    if !stats.drawing.is_empty() {
        let text = super::drawing_note::drawing_text(
            super::ui_language(ui.ctx()),
            &stats.drawing,
            &panel.doc.project.sketch_layers,
            panel.style,
        );
        let top = if side_by_side { 40.0 } else { 10.0 };
        painter.extend(super::drawing_note::drawing_note(
            &painter,
            response.rect,
            top,
            text,
        ));
    }
    if let Some(text) = tiles_attribution {
        painter.extend(crate::map::tiles::attribution_shapes(
            &painter,
            response.rect,
            text,
        ));
    }
    let pointer = response.hover_pos();
    let snapping = panel.snap_on && !keys.alt && tool.snaps();
    let snap_at = |p: Pos2| {
        snapping
            .then(|| snap(&frame, p, TOLERANCE_PX, panel.editing.as_ref()))
            .flatten()
    };
    // Where the pointer aims: the snap target if there is one.
    let aim = |p: Pos2| snap_at(p).map_or_else(|| frame.transform.to_lonlat(p), |s| s.at);
    let snapped = pointer.and_then(snap_at);
    if drawing {
        let rubber_band = snapped.as_ref().map(|s| s.screen).or(pointer);
        painter.extend(tools::draft_shapes(
            &painter,
            &frame.transform,
            // The measure's words are the interface's, as the readout's.
            super::ui_language(ui.ctx()).as_label_language(),
            tool,
            panel.draft,
            rubber_band,
        ));
    }
    let hover = pointer
        .filter(|_| !drawing && !boxing)
        .and_then(|p| hit_test(&frame, p));
    let click_pos = response
        .clicked()
        .then(|| response.interact_pointer_pos())
        .flatten();
    let clicked = click_pos.map(|p| click_target(&frame, tool, keys, p, panel.selection.first()));
    let drag = tools::primary_drag(ui, response);
    if let Some(handles) = &panel.vertex_handles {
        painter.extend(tools::handle_shapes(
            &frame.transform,
            handles,
            panel.selected_vertex,
        ));
        vertex_gestures(
            &frame,
            panel,
            handles,
            &drag,
            click_pos,
            &aim,
            tool_commands,
        );
    }
    if tool == Tool::Move {
        move_gestures(&frame, panel, &drag, &aim, tool_commands);
    }
    let box_drag = if boxing {
        let start = panel.box_start.or(drag.started_at);
        start.zip(drag.now.or(pointer))
    } else {
        None
    };
    if tool == Tool::Comment
        && let Some(p) = click_pos
    {
        tool_commands.push(AppCommand::StartComment(comment_anchor(&frame, p)));
    }
    marks_ui(&painter, &frame, panel, box_drag, snapped.as_ref());
    if let Some(c) = panel.compare.filter(|c| c.side_by_side) {
        let transform = ScreenTransform::new(
            projector.zoom(),
            ANCHOR,
            at + egui::vec2(full.center().x - response.rect.min.x, 0.0),
        );
        side_by_side_ui(ui, panel, c, transform, response.rect, full);
    }
    Gestures {
        hover,
        cursor: pointer.map(|p| frame.transform.to_lonlat(p)),
        clicked,
        transform: frame.transform,
        stats,
        snapped,
        double: response.double_clicked(),
        map_clicks: click_pos
            .map(|_| tools::frame_clicks(ui))
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p, aim(p)))
            .collect(),
        box_drag,
        box_ended: boxing && drag.ended,
    }
}

/// What is drawn over the map besides the tools: the selection box, the changes of a
/// comparison, the comment pins and the snap indicator.
fn marks_ui(
    painter: &egui::Painter,
    frame: &MapFrame<'_>,
    panel: &MapPanel<'_>,
    box_drag: Option<(Pos2, Pos2)>,
    snapped: Option<&Snap>,
) {
    if let Some((a, b)) = box_drag {
        let r = Rect::from_two_pos(a, b);
        painter.rect_filled(r, 0.0, Color32::from_rgba_unmultiplied(40, 110, 220, 30));
        painter.rect_stroke(
            r,
            0.0,
            Stroke::new(1.5, Color32::from_rgb(40, 110, 220)),
            egui::StrokeKind::Middle,
        );
    }
    if let Some(c) = panel.compare {
        painter.extend(crate::map::changes::change_shapes(
            &frame.transform,
            &panel.doc.project,
            &c.other,
            &c.changes,
        ));
    }
    painter.extend(comment_pins(
        painter,
        &frame.transform,
        &panel.doc.project,
        panel.comments,
    ));
    if let Some(s) = snapped {
        painter.extend(snap_indicator(s));
    }
}

/// What a click at `p` hits, for the tool in use: the topmost feature drawn there, or with
/// Alt in the Select tool the next one under the pointer after `selected`, round and round.
fn click_target(
    frame: &MapFrame<'_>,
    tool: Tool,
    keys: Keys,
    p: Pos2,
    selected: Option<&ItemKey>,
) -> Option<ItemKey> {
    if tool == Tool::Select && keys.alt && !keys.shift {
        let under = hits(frame, p, |_| true);
        let next = selected
            .and_then(|s| under.iter().position(|k| k == s))
            .map_or(0, |i| (i + 1) % under.len());
        under.get(next).cloned()
    } else if tool == Tool::Vertices {
        hit_test_where(frame, p, editable)
    } else if tool == Tool::Select && keys.shift {
        // Only placements can be selected together.
        hit_test_where(frame, p, only_placements)
    } else {
        hit_test(frame, p)
    }
}

fn only_placements(item: &Item) -> bool {
    item.layer == "placements"
}

/// Placements and the features of the plan layers one may sketch.
fn editable(item: &Item) -> bool {
    item.layer == "placements"
        || crate::model::overrides::EDITABLE_LAYERS.contains(&item.layer.as_str())
}

/// The vertex tool: grab, drag and release a handle, or click one to select it.
fn vertex_gestures(
    frame: &MapFrame<'_>,
    panel: &MapPanel<'_>,
    handles: &[(Handle, (f64, f64))],
    drag: &PrimaryDrag,
    click_pos: Option<Pos2>,
    aim: &dyn Fn(Pos2) -> Coord<f64>,
    tool_commands: &mut Vec<AppCommand>,
) {
    if let Some(p) = drag.started_at
        && let Some(h) = tools::handle_at(&frame.transform, handles, p, 8.0)
    {
        tool_commands.push(AppCommand::VertexGrab(h));
    }
    if panel.vertex_dragging
        && let Some(p) = drag.now
    {
        tool_commands.push(AppCommand::VertexTo(aim(p)));
    }
    if panel.vertex_dragging && (drag.ended || drag.now.is_none()) {
        tool_commands.push(AppCommand::VertexRelease);
    }
    if let Some(p) = click_pos {
        let vertex = match tools::handle_at(&frame.transform, handles, p, 8.0) {
            Some(Handle::Vertex { ring, index }) => Some((ring, index)),
            _ => None,
        };
        tool_commands.push(AppCommand::SelectVertex(vertex));
    }
}

/// The move tool: a drag that starts on an editable feature moves it.
fn move_gestures(
    frame: &MapFrame<'_>,
    panel: &MapPanel<'_>,
    drag: &PrimaryDrag,
    aim: &dyn Fn(Pos2) -> Coord<f64>,
    tool_commands: &mut Vec<AppCommand>,
) {
    if let Some(p) = drag.started_at
        && let Some(ItemKey::Feature(f)) = hit_test_where(frame, p, editable)
    {
        tool_commands.push(AppCommand::MoveStart {
            id: f,
            at: frame.transform.to_lonlat(p),
        });
    }
    if panel.moving
        && let Some(p) = drag.now
    {
        tool_commands.push(AppCommand::MoveTo(aim(p)));
    }
    // A drag that ends unseen (egui dropped it) ends the move too: no gesture is left open.
    if panel.moving && (drag.ended || drag.now.is_none()) {
        tool_commands.push(AppCommand::MoveEnd);
    }
}

/// What a click of the comment tool pins a comment to: a placement, or the place itself.
fn comment_anchor(frame: &MapFrame<'_>, p: Pos2) -> Anchor {
    match hit_test_where(frame, p, only_placements) {
        Some(ItemKey::Feature(f)) => Anchor::Placement(PlacementId(f.0)),
        _ => {
            let c = frame.transform.to_lonlat(p);
            Anchor::Location(
                crate::model::project::round7(c.x),
                crate::model::project::round7(c.y),
            )
        }
    }
}

/// The other version on the right half of the map, with the changes, and a caption on each.
fn side_by_side_ui(
    ui: &Ui,
    panel: &MapPanel<'_>,
    c: &CompareState,
    transform: ScreenTransform,
    left: Rect,
    full: Rect,
) {
    let right = Rect::from_min_max(egui::pos2(full.center().x, full.min.y), full.max);
    let other = MapFrame {
        scene: panel.scene,
        overlay: &c.other_overlay,
        sketches: &c.other.sketch_layers,
        style: panel.style,
        view: &panel.doc.project.settings,
        transform,
        rect: right,
        hovered: None,
        selected: &[],
        symbol_scale: 1.0,
        line_scale: 1.0,
        hidden: &crate::map::draw::NO_FEATURES,
        sketched: &crate::map::draw::NO_FEATURES,
        sketches_shown: true,
        tiles_under: false,
    };
    let right_painter = ui.ctx().layer_painter(ui.layer_id()).with_clip_rect(right);
    let (shapes, other_stats) = other.shapes(&right_painter);
    right_painter.extend(shapes);
    if other_stats.indicative > 0 {
        right_painter.extend(editor_notice(&right_painter, right, true));
    }
    right_painter.extend(crate::map::changes::change_shapes(
        &other.transform,
        &panel.doc.project,
        &c.other,
        &c.changes,
    ));
    for (r, text) in [
        (left, tr(ui.ctx(), "当前版本", "This version").to_owned()),
        (
            right,
            format!(
                "{}: {}",
                tr(ui.ctx(), "对比版本", "Other"),
                c.other_path.display()
            ),
        ),
    ] {
        let painter = ui.ctx().layer_painter(ui.layer_id()).with_clip_rect(r);
        let galley = painter.layout_no_wrap(text, egui::FontId::proportional(14.0), Color32::BLACK);
        let at = r.center_top() + egui::vec2(-galley.size().x / 2.0, 8.0);
        painter.rect_filled(
            Rect::from_min_size(at, galley.size()).expand(4.0),
            3.0,
            Color32::from_white_alpha(230),
        );
        painter.galley(at, galley, Color32::BLACK);
    }
    ui.ctx().layer_painter(ui.layer_id()).vline(
        full.center().x,
        full.y_range(),
        Stroke::new(2.0, Color32::from_gray(60)),
    );
}

/// Where the selection box begins next frame; a finished box selects what it meets.
fn box_selection(g: &Gestures, commands: &mut Vec<AppCommand>) -> Option<Pos2> {
    if g.box_ended
        && let Some((a, b)) = g.box_drag
    {
        let (p, q) = (g.transform.to_lonlat(a), g.transform.to_lonlat(b));
        commands.push(AppCommand::SelectInBox(geo::Rect::new(p, q)));
        return None;
    }
    g.box_drag.map(|(a, _)| a)
}

/// The commands of this frame's clicks: a vertex for the drawing, or a selection.
fn after_gestures(panel: &MapPanel<'_>, g: &Gestures, keys: Keys, commands: &mut Vec<AppCommand>) {
    let tool = panel.tool;
    let drawing = panel.drawing();
    if drawing {
        // A double-click finishes with its position as the last vertex, once. Its first
        // click may have added that vertex already, or (both clicks in one frame) not; and a
        // double-click egui did not see (its frames too far apart) is a click on the last
        // vertex, which finishes too. So a click on the last vertex never repeats it.
        let mut draft = panel.draft.to_vec();
        let last = g.map_clicks.len().saturating_sub(1);
        for (i, &(p, c)) in g.map_clicks.iter().enumerate() {
            let on_end = tools::on_draft_end(&g.transform, tool, &draft, p, c);
            if !on_end {
                commands.push(AppCommand::AddVertex(c));
                draft.push(c);
            }
            if on_end || (i == last && g.double) || tool == Tool::Point {
                commands.push(AppCommand::FinishDrawing);
                draft.clear();
            }
        }
    }
    let on_handle = picked_a_vertex(commands);
    let clicked = match (tool, g.clicked.clone()) {
        // Drawing adds vertices and commenting pins a comment: neither selects.
        _ if drawing || tool == Tool::Comment => None,
        // In the vertex tool a click on a handle, or on nothing editable, keeps the selection.
        (Tool::Vertices, Some(None)) => None,
        (Tool::Vertices, Some(_)) if on_handle => None,
        (_, c) => c,
    };
    match clicked {
        Some(Some(ItemKey::Feature(id))) if tool == Tool::Select && keys.shift => {
            let id = PlacementId(id.0);
            if panel.doc.project.placements.contains_key(&id) {
                commands.push(AppCommand::ToggleSelect(id));
            }
        }
        // Shift-click on nothing keeps the selection.
        Some(None) if tool == Tool::Select && keys.shift => {}
        Some(hit) => commands.push(AppCommand::Select(match hit {
            Some(ItemKey::Feature(id)) => Some(id),
            _ => None,
        })),
        None => {}
    }
}

/// Each mode has its own pointer, so that the mode in use can be seen where one looks.
fn cursor_icon(ctx: &egui::Context, panel: &MapPanel<'_>, over_feature: bool, boxing: bool) {
    use egui::CursorIcon as C;
    let icon = match panel.tool {
        _ if boxing => C::Crosshair,
        Tool::Select if over_feature => C::PointingHand,
        Tool::Select => C::Default,
        Tool::Move if panel.moving => C::Grabbing,
        Tool::Move => C::Grab,
        Tool::Vertices if panel.vertex_dragging => C::Move,
        Tool::Vertices => C::Cell,
        Tool::Point | Tool::Line | Tool::Polygon | Tool::Measure => C::Crosshair,
        Tool::Comment => C::ContextMenu,
    };
    ctx.set_cursor_icon(icon);
}

/// Whether this frame's commands picked a vertex (a click on a vertex handle).
fn picked_a_vertex(commands: &[AppCommand]) -> bool {
    commands
        .iter()
        .any(|c| matches!(c, AppCommand::SelectVertex(Some(_))))
}

/// The small notice in the editor's map (the slide has a larger one) that the map shows our
/// sketches: at the top left, below the version caption when two versions are side by side.
fn editor_notice(painter: &egui::Painter, map: Rect, below_caption: bool) -> Vec<egui::Shape> {
    let notice =
        crate::map::indicative::Notice::layout(painter, 0.85, false, Color32::from_gray(25));
    let top = if below_caption { 40.0 } else { 10.0 };
    notice.shapes(
        map.min + egui::vec2(10.0, top),
        Color32::from_white_alpha(225),
    )
}
