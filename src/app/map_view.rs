//! The map panel: draws the map, the selection, the tool's handles and the snap indicator, and
//! turns pointer gestures into commands for the tool in use.

use egui::{Color32, Pos2, Rect, Shape, Stroke, Ui};
use geo::Coord;
use walkers::{Map, lon_lat};

use crate::map::hit_test::{hit_test, hit_test_where};
use crate::map::snap::{Snap, SnapKind, TOLERANCE_PX, snap};
use crate::map::{ItemKey, MapFrame, ScreenTransform};
use crate::model::FeatureId;
use crate::model::project::PlacementId;
use crate::ui;

use super::tools::{self, Tool};
use super::{AppCommand, OneMapApp, SketchView};

/// What the map closure found out this frame, applied after it (the map borrows the app).
struct Gestures {
    hover: Option<ItemKey>,
    cursor: Option<Coord<f64>>,
    /// A click, and what it hit.
    clicked: Option<Option<ItemKey>>,
    transform: ScreenTransform,
    stats: crate::map::DrawStats,
    snapped: Option<Snap>,
    double: bool,
    /// A click's lon/lat, snapped when snapping is on.
    map_click: Option<Coord<f64>>,
    /// The box being dragged for a box selection: its corners on screen.
    box_drag: Option<(Pos2, Pos2)>,
    box_ended: bool,
}

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

    pub(super) fn map_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let rect = ui.available_rect_before_wrap();
        if self.fit_pending && rect.width() > 10.0 && rect.height() > 10.0 {
            let area = self.plan_area();
            self.fit(area, rect);
            self.fit_pending = false;
        }
        if let Some(bbox) = self.pending_zoom.take() {
            self.fit(bbox, rect);
        }
        self.last_map_size = rect.size();
        self.advance_flight(ui.ctx(), rect.size());
        let (shift, alt) = ui.input(|i| (i.modifiers.shift, i.modifiers.alt));
        let tool = self.tool;
        let drawing = tool.draws();
        // Shift+drag in the Select tool draws a selection box instead of panning.
        let boxing = tool == Tool::Select && (shift || self.box_start.is_some());
        let selection = self.selection_keys();
        let (scene, style, doc, hovered, plan) = (
            &self.scene,
            &self.data.style,
            &self.doc,
            &self.hovered,
            &self.data.plan,
        );
        let draft = &self.draft;
        let selected_editable = self.selected.clone().filter(|f| self.is_editable(f));
        // The selected feature's handles, when the vertex tool is on.
        let vertex_handles = (tool == Tool::Vertices)
            .then(|| {
                selected_editable
                    .as_ref()
                    .and_then(|f| self.editable_geometry(f))
            })
            .flatten()
            .map(|(_, g)| tools::handles(&g));
        // The placement being edited is not a snap target: it would hold its own vertex.
        let editing = match tool {
            Tool::Vertices => selected_editable.clone(),
            Tool::Move => self.move_drag.as_ref().map(|m| m.0.clone()),
            _ => None,
        }
        .map(ItemKey::Feature);
        let snapping = self.snap_on && !alt && tool.snaps();
        let (moving, vertex_dragging) = (self.move_drag.is_some(), self.vertex_drag.is_some());
        let (selected_vertex, box_start) = (self.selected_vertex, self.box_start);
        let comments = &self.review.review.comments;
        // Sketches alone replace their baseline features; against the baseline both show.
        let sketch_hidden = match self.sketch_view {
            SketchView::Alone => &self.doc.sketch.replaced,
            _ => &crate::map::draw::NO_FEATURES,
        };
        let sketches_shown = self.sketch_view != SketchView::Hidden;
        let compare = self.compare.as_ref();
        let mut tool_commands = Vec::new();
        let map = Map::new(None, &mut self.memory, lon_lat(121.0, 31.0))
            .zoom_with_ctrl(false)
            // While drawing, a double-click finishes the drawing instead of zooming.
            .double_click_to_zoom(!drawing)
            .drag_pan_buttons(if tool.drags_features() || boxing {
                egui::DragPanButtons::SECONDARY | egui::DragPanButtons::MIDDLE
            } else {
                egui::DragPanButtons::PRIMARY
            });
        // Side by side: the current version on the left, the other on the right, one view.
        let full = ui.available_rect_before_wrap();
        let side_by_side = compare.is_some_and(|c| c.side_by_side);
        let map_rect = if side_by_side {
            Rect::from_min_max(full.min, egui::pos2(full.center().x, full.max.y))
        } else {
            full
        };
        let result = ui.scope_builder(egui::UiBuilder::new().max_rect(map_rect), |ui| {
            map.show(ui, |ui, response, projector, _memory| {
                let anchor = Coord { x: 121.0, y: 31.0 };
                let at = projector.project(lon_lat(anchor.x, anchor.y)).to_pos2();
                let frame = MapFrame {
                    scene,
                    overlay: &doc.overlay,
                    sketches: &doc.project.sketch_layers,
                    style,
                    view: &doc.project.settings,
                    transform: ScreenTransform::new(projector.zoom(), anchor, at),
                    rect: response.rect,
                    hovered: hovered.as_ref(),
                    selected: &selection,
                    symbol_scale: 1.0,
                    line_scale: 1.0,
                    hidden: sketch_hidden,
                    sketched: &doc.sketch.sketched,
                    sketches_shown,
                };
                let painter = ui.painter().with_clip_rect(response.rect);
                let (shapes, stats) = frame.shapes(&painter);
                painter.extend(shapes);
                ui::overlays::legend_and_scale_ui(&painter, &frame, plan, &doc.features, 0.0);
                if stats.indicative > 0 {
                    painter.extend(editor_notice(&painter, response.rect, side_by_side));
                }
                let pointer = response.hover_pos();
                let snap_at = |p: Pos2| {
                    snapping
                        .then(|| snap(&frame, p, TOLERANCE_PX, editing.as_ref()))
                        .flatten()
                };
                // Where the pointer aims: the snap target if there is one.
                let aim =
                    |p: Pos2| snap_at(p).map_or_else(|| frame.transform.to_lonlat(p), |s| s.at);
                let snapped = pointer.and_then(snap_at);
                if drawing {
                    let rubber_band = snapped.as_ref().map(|s| s.screen).or(pointer);
                    painter.extend(tools::draft_shapes(
                        &painter,
                        &frame.transform,
                        tool,
                        draft,
                        rubber_band,
                    ));
                }
                let hover = if drawing || boxing {
                    None
                } else {
                    pointer.and_then(|p| hit_test(&frame, p))
                };
                let click_pos = response
                    .clicked()
                    .then(|| response.interact_pointer_pos())
                    .flatten();
                let only_placements = |item: &crate::map::scene::Item| item.layer == "placements";
                // Placements and the features of the plan layers one may sketch.
                let editable = |item: &crate::map::scene::Item| {
                    item.layer == "placements"
                        || crate::model::overrides::EDITABLE_LAYERS.contains(&item.layer.as_str())
                };
                let clicked = click_pos.map(|p| {
                    if tool == Tool::Vertices {
                        hit_test_where(&frame, p, editable)
                    } else if tool == Tool::Select && shift {
                        // Only placements can be selected together.
                        hit_test_where(&frame, p, only_placements)
                    } else {
                        hit_test(&frame, p)
                    }
                });
                let map_click = click_pos.map(aim);
                let drag = tools::primary_drag(ui, response);
                if let Some(handles) = &vertex_handles {
                    painter.extend(tools::handle_shapes(
                        &frame.transform,
                        handles,
                        selected_vertex,
                    ));
                    if let Some(p) = drag.started_at
                        && let Some(h) = tools::handle_at(&frame.transform, handles, p, 8.0)
                    {
                        tool_commands.push(AppCommand::VertexGrab(h));
                    }
                    if vertex_dragging && let Some(p) = drag.now {
                        tool_commands.push(AppCommand::VertexTo(aim(p)));
                    }
                    if vertex_dragging && drag.ended {
                        tool_commands.push(AppCommand::VertexRelease);
                    }
                    if let Some(p) = click_pos {
                        let vertex = match tools::handle_at(&frame.transform, handles, p, 8.0) {
                            Some(tools::Handle::Vertex { ring, index }) => Some((ring, index)),
                            _ => None,
                        };
                        tool_commands.push(AppCommand::SelectVertex(vertex));
                    }
                }
                if tool == Tool::Move {
                    if let Some(p) = drag.started_at
                        && let Some(ItemKey::Feature(f)) = hit_test_where(&frame, p, editable)
                    {
                        tool_commands.push(AppCommand::MoveStart {
                            id: f,
                            at: frame.transform.to_lonlat(p),
                        });
                    }
                    if moving && let Some(p) = drag.now {
                        tool_commands.push(AppCommand::MoveTo(aim(p)));
                    }
                    if moving && drag.ended {
                        tool_commands.push(AppCommand::MoveEnd);
                    }
                }
                let box_drag = if boxing {
                    let start = box_start.or(drag.started_at);
                    start.zip(drag.now.or(pointer))
                } else {
                    None
                };
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
                if let Some(c) = compare {
                    painter.extend(crate::map::changes::change_shapes(
                        &frame.transform,
                        &doc.project,
                        &c.other,
                        &c.changes,
                    ));
                }
                painter.extend(comment_pins(
                    &painter,
                    &frame.transform,
                    &doc.project,
                    comments,
                ));
                if tool == Tool::Comment
                    && let Some(p) = click_pos
                {
                    let anchor = match hit_test_where(&frame, p, only_placements) {
                        Some(ItemKey::Feature(f)) => {
                            crate::model::review::Anchor::Placement(PlacementId(f.0))
                        }
                        _ => {
                            let c = frame.transform.to_lonlat(p);
                            crate::model::review::Anchor::Location(
                                crate::model::project::round7(c.x),
                                crate::model::project::round7(c.y),
                            )
                        }
                    };
                    tool_commands.push(AppCommand::StartComment(anchor));
                }
                if let Some(s) = &snapped {
                    painter.extend(snap_indicator(s));
                }
                if let Some(c) = compare.filter(|c| c.side_by_side) {
                    let right =
                        Rect::from_min_max(egui::pos2(full.center().x, full.min.y), full.max);
                    let other = MapFrame {
                        scene,
                        overlay: &c.other_overlay,
                        sketches: &c.other.sketch_layers,
                        style,
                        view: &doc.project.settings,
                        transform: ScreenTransform::new(
                            projector.zoom(),
                            anchor,
                            at + egui::vec2(right.min.x - response.rect.min.x, 0.0),
                        ),
                        rect: right,
                        hovered: None,
                        selected: &[],
                        symbol_scale: 1.0,
                        line_scale: 1.0,
                        hidden: &crate::map::draw::NO_FEATURES,
                        sketched: &crate::map::draw::NO_FEATURES,
                        sketches_shown: true,
                    };
                    let right_painter = ui.ctx().layer_painter(ui.layer_id()).with_clip_rect(right);
                    let (shapes, other_stats) = other.shapes(&right_painter);
                    right_painter.extend(shapes);
                    if other_stats.indicative > 0 {
                        right_painter.extend(editor_notice(&right_painter, right, true));
                    }
                    right_painter.extend(crate::map::changes::change_shapes(
                        &other.transform,
                        &doc.project,
                        &c.other,
                        &c.changes,
                    ));
                    for (r, text) in [
                        (response.rect, "当前版本 This version".to_owned()),
                        (right, format!("对比版本 Other: {}", c.other_path.display())),
                    ] {
                        let painter = ui.ctx().layer_painter(ui.layer_id()).with_clip_rect(r);
                        let galley = painter.layout_no_wrap(
                            text,
                            egui::FontId::proportional(14.0),
                            Color32::BLACK,
                        );
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
                Gestures {
                    hover,
                    cursor: pointer.map(|p| frame.transform.to_lonlat(p)),
                    clicked,
                    transform: frame.transform,
                    stats,
                    snapped,
                    double: response.double_clicked(),
                    map_click,
                    box_drag,
                    box_ended: boxing && drag.ended,
                }
            })
        });
        let g = result.inner.inner;
        commands.extend(tool_commands);
        self.box_start = g.box_drag.map(|(a, _)| a);
        if g.box_ended
            && let Some((a, b)) = g.box_drag
        {
            let (p, q) = (g.transform.to_lonlat(a), g.transform.to_lonlat(b));
            commands.push(AppCommand::SelectInBox(geo::Rect::new(p, q)));
            self.box_start = None;
        }
        if drawing {
            // The second click of a double-click finishes; it adds no vertex of its own.
            if g.double {
                commands.push(AppCommand::FinishDrawing);
            } else if let Some(c) = g.map_click {
                commands.push(AppCommand::AddVertex(c));
                if tool == Tool::Point {
                    commands.push(AppCommand::FinishDrawing);
                }
            }
        }
        let on_handle = picked_a_vertex(commands);
        let clicked = match (tool, g.clicked) {
            // Drawing adds vertices and commenting pins a comment: neither selects.
            _ if drawing || tool == Tool::Comment => None,
            // In the vertex tool a click on a handle, or on nothing editable, keeps the selection.
            (Tool::Vertices, Some(None)) => None,
            (Tool::Vertices, Some(_)) if on_handle => None,
            (_, c) => c,
        };
        self.cursor_icon(ui.ctx(), g.hover.is_some(), g.box_drag.is_some());
        self.last_transform = Some(g.transform);
        self.last_draw = g.stats;
        self.hovered = g.hover;
        self.cursor = g.cursor;
        self.snapped = g.snapped;
        match clicked {
            Some(Some(ItemKey::Feature(id))) if tool == Tool::Select && shift => {
                let id = PlacementId(id.0);
                if self.doc.project.placements.contains_key(&id) {
                    commands.push(AppCommand::ToggleSelect(id));
                }
            }
            // Shift-click on nothing keeps the selection.
            Some(None) if tool == Tool::Select && shift => {}
            Some(hit) => commands.push(AppCommand::Select(match hit {
                Some(ItemKey::Feature(id)) => Some(id),
                _ => None,
            })),
            None => {}
        }
    }

    /// Each mode has its own pointer, so that the mode in use can be seen where one looks.
    fn cursor_icon(&self, ctx: &egui::Context, over_feature: bool, boxing: bool) {
        use egui::CursorIcon as C;
        let icon = match self.tool {
            _ if boxing => C::Crosshair,
            Tool::Select if over_feature => C::PointingHand,
            Tool::Select => C::Default,
            Tool::Move if self.move_drag.is_some() => C::Grabbing,
            Tool::Move => C::Grab,
            Tool::Vertices if self.vertex_drag.is_some() => C::Move,
            Tool::Vertices => C::Cell,
            Tool::Point | Tool::Line | Tool::Polygon => C::Crosshair,
            Tool::Comment => C::ContextMenu,
        };
        ctx.set_cursor_icon(icon);
    }
}

/// Numbered pins of the review comments: orange while open, grey once resolved.
fn comment_pins(
    painter: &egui::Painter,
    t: &ScreenTransform,
    project: &crate::model::project::Project,
    comments: &[crate::model::review::ReviewComment],
) -> Vec<Shape> {
    use crate::model::review::{Anchor, CommentStatus};
    let mut shapes = Vec::new();
    for c in comments {
        let at = match &c.anchor {
            Anchor::Placement(id) => project
                .placements
                .get(id)
                .and_then(|p| p.geometry.positions().next()),
            Anchor::Location(x, y) => Some((*x, *y)),
        };
        let Some((x, y)) = at else {
            continue;
        };
        let p = t.to_screen(crate::map::scene::merc(Coord { x, y }));
        let fill = match c.status {
            CommentStatus::Open => Color32::from_rgb(240, 130, 0),
            CommentStatus::Resolved => Color32::from_gray(150),
        };
        let tip = p;
        let head = p + egui::vec2(0.0, -16.0);
        shapes.push(Shape::line_segment([tip, head], Stroke::new(2.0, fill)));
        shapes.push(Shape::circle_filled(head, 9.0, fill));
        shapes.push(Shape::circle_stroke(
            head,
            9.0,
            Stroke::new(1.5, Color32::WHITE),
        ));
        let number = painter.layout_no_wrap(
            c.id.trim_start_matches('c').to_owned(),
            egui::FontId::proportional(10.0),
            Color32::WHITE,
        );
        let at = egui::Align2::CENTER_CENTER.anchor_size(head, number.size());
        shapes.push(Shape::galley(at.min, number, Color32::WHITE));
    }
    shapes
}

/// A square on a snapped vertex, a diamond on a snapped segment.
fn snap_indicator(s: &Snap) -> Vec<Shape> {
    let c = Color32::from_rgb(255, 120, 0);
    let stroke = Stroke::new(2.0, c);
    let p = s.screen;
    match s.kind {
        SnapKind::Vertex => {
            let r = Rect::from_center_size(p, egui::vec2(12.0, 12.0));
            vec![Shape::rect_stroke(r, 0.0, stroke, egui::StrokeKind::Middle)]
        }
        SnapKind::Segment => {
            let d = 7.0;
            vec![Shape::closed_line(
                vec![
                    p + egui::vec2(0.0, -d),
                    p + egui::vec2(d, 0.0),
                    p + egui::vec2(0.0, d),
                    p + egui::vec2(-d, 0.0),
                ],
                stroke,
            )]
        }
    }
}

/// Whether this frame's commands picked a vertex (a click on a vertex handle).
fn picked_a_vertex(commands: &[AppCommand]) -> bool {
    commands
        .iter()
        .any(|c| matches!(c, AppCommand::SelectVertex(Some(_))))
}

/// The small notice in the editor's map (the slide has a larger one) that the map shows our
/// sketches: at the top left, below the version caption when two versions are side by side.
fn editor_notice(painter: &egui::Painter, map: Rect, below_caption: bool) -> Vec<Shape> {
    let notice =
        crate::map::indicative::Notice::layout(painter, 0.85, false, Color32::from_gray(25));
    let top = if below_caption { 40.0 } else { 10.0 };
    notice.shapes(
        map.min + egui::vec2(10.0, top),
        Color32::from_white_alpha(225),
    )
}
