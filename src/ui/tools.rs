//! Drawing tools: add a point, draw a line or a polygon, with the length or area shown live.
//! Clicks add vertices; double-click, a click on the last vertex (or a polygon's first) or
//! Enter finishes; Esc cancels; Backspace removes the last vertex. A finished drawing becomes a placement in one undoable step (the app makes it).
//! Here: the tool buttons and keys, the draft and the vertex tool's handles on the map.

use super::tr;
use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, Ui, vec2};
use geo::{Coord, LineString, Polygon};

use crate::command::{AppCommand, Handle, ReviewState, Tool};
use crate::map::ScreenTransform;
use crate::map::scene::merc;
use crate::model::measure::{area_km2, length_km};

/// The tool buttons and the action a new placement belongs to.
pub fn tools_ui(
    ui: &mut Ui,
    tool: Tool,
    snap_on: bool,
    action: &str,
    actions: &[(String, String)],
    commands: &mut Vec<AppCommand>,
) {
    for t in Tool::ALL {
        if ui
            .selectable_label(tool == t, t.label(super::ui_language(ui.ctx())))
            .on_hover_text(t.tooltip(super::ui_language(ui.ctx())))
            .clicked()
        {
            commands.push(AppCommand::SetTool(t));
        }
    }
    ui.separator();
    if ui
        .selectable_label(snap_on, tr(ui.ctx(), "吸附 (S)", "Snap (S)"))
        .on_hover_text(tr(ui.ctx(), "吸附到规划图层、项目、河流与岸线的顶点和线段（按住 Alt 自由绘制）", "Snap to vertices and segments of plan layers, placements, rivers and shores (hold Alt to draw freely)"))
        .clicked()
    {
        commands.push(AppCommand::ToggleSnap);
    }
    ui.separator();
    let current = actions
        .iter()
        .find(|(id, _)| id == action)
        .map_or(action, |(_, name)| name.as_str());
    egui::ComboBox::from_label(tr(ui.ctx(), "新项目的行动", "Action of new placements"))
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (id, name) in actions {
                if ui.selectable_label(id == action, name).clicked() {
                    commands.push(AppCommand::SetDrawAction(id.clone()));
                }
            }
        });
}

/// The tools row in review mode: a banner that says so, and the two tools that change nothing.
pub fn review_tools_ui(
    ui: &mut Ui,
    tool: Tool,
    review: &ReviewState,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(
        egui::RichText::new(tr(ui.ctx(), "审阅模式（只读）", "Review mode — read-only"))
            .strong()
            .color(Color32::from_rgb(255, 190, 60)),
    )
    .on_hover_text(tr(ui.ctx(), "项目文件不会被写入。评论随添加随保存，存于其旁的 .review.onemap 文件中。", "The project file is never written. Comments are saved as you add them, in the .review.onemap file beside it."));
    for t in Tool::REVIEW {
        if ui
            .selectable_label(tool == t, t.label(super::ui_language(ui.ctx())))
            .on_hover_text(t.tooltip(super::ui_language(ui.ctx())))
            .clicked()
        {
            commands.push(AppCommand::SetTool(t));
        }
    }
    if ui
        .button(super::comments_panel::comments_title(
            ui.ctx(),
            review.review.open_count(),
        ))
        .clicked()
    {
        commands.push(AppCommand::ToggleComments);
    }
    if ui
        .button(tr(ui.ctx(), "退出审阅", "Leave review"))
        .on_hover_text(tr(
            ui.ctx(),
            "改为编辑此项目（评论仍保存在旁注文件中）",
            "Edit this project instead (its comments stay in the sidecar)",
        ))
        .clicked()
    {
        commands.push(AppCommand::LeaveReview);
    }
}

/// Tool keys, and the drawing keys while a drawing is under way.
pub fn tool_keys(ui: &Ui, tool: Tool, drawing: bool, review: bool, commands: &mut Vec<AppCommand>) {
    ui.input(|i| {
        if !i.modifiers.is_none() {
            return;
        }
        let tools: &[Tool] = if review { &Tool::REVIEW } else { &Tool::ALL };
        for t in tools.iter().copied() {
            if i.key_pressed(t.key()) {
                commands.push(AppCommand::SetTool(t));
            }
        }
        if tool.draws() {
            if i.key_pressed(egui::Key::Enter) {
                commands.push(AppCommand::FinishDrawing);
            }
            if i.key_pressed(egui::Key::Backspace) && drawing {
                commands.push(AppCommand::RemoveLastVertex);
            }
        }
        // Esc clears a measurement (the app's Esc); with nothing measured it leaves the tool.
        if tool == Tool::Measure && !drawing && i.key_pressed(egui::Key::Escape) {
            commands.push(AppCommand::SetTool(Tool::Select));
        }
        if i.key_pressed(egui::Key::Delete) && !review {
            commands.push(AppCommand::DeleteSelected);
        }
        if i.key_pressed(egui::Key::S) {
            commands.push(AppCommand::ToggleSnap);
        }
        if i.key_pressed(egui::Key::T) {
            commands.push(AppCommand::ToggleTable);
        }
    });
}

/// How near (in pixels) a click must be to the drawing's last vertex to be on it: the
/// second click of a double-click egui did not see lands on the first's pixel, give or take a
/// hand's tremble. Further off (and 4 px off is a vertex a snap can place) it adds a vertex.
pub const ON_LAST_VERTEX_PX: f32 = 3.0;

/// How near a click must be to a polygon's first vertex to close it there: its marker's size.
pub const ON_FIRST_VERTEX_PX: f32 = 6.0;

/// Whether a click at `pointer` (aiming at `aim`, where it snapped) lands on the last vertex
/// of the drawing, or on the first vertex of a polygon of three or more: such a click
/// finishes the drawing and adds no vertex.
pub fn on_draft_end(
    t: &ScreenTransform,
    tool: Tool,
    draft: &[Coord<f64>],
    pointer: Pos2,
    aim: Coord<f64>,
) -> bool {
    let on = |v: Option<&Coord<f64>>, px: f32| {
        v.is_some_and(|v| *v == aim || t.to_screen(merc(*v)).distance(pointer) <= px)
    };
    on(draft.last(), ON_LAST_VERTEX_PX)
        || (tool == Tool::Polygon && draft.len() >= 3 && on(draft.first(), ON_FIRST_VERTEX_PX))
}

/// Geodesic length (km) of a line, or area (km²) of a ring, as the draft stands; for the
/// measure tool, both.
pub fn measure_text(
    language: crate::model::LabelLanguage,
    tool: Tool,
    vertices: &[Coord<f64>],
) -> Option<String> {
    match tool {
        Tool::Line if vertices.len() >= 2 => Some(format!(
            "{:.2} km",
            length_km(&LineString::from(vertices.to_vec()))
        )),
        Tool::Polygon if vertices.len() >= 3 => {
            let mut ring = vertices.to_vec();
            ring.push(vertices[0]);
            let area = area_km2(&geo::MultiPolygon(vec![Polygon::new(
                LineString::from(ring),
                vec![],
            )]));
            Some(format!("{area:.2} km²"))
        }
        Tool::Measure => super::measure::measure_text(language, vertices),
        _ => None,
    }
}

/// The draft drawn over the map, with the rubber band to the pointer and the live measure.
pub fn draft_shapes(
    painter: &egui::Painter,
    t: &ScreenTransform,
    language: crate::model::LabelLanguage,
    tool: Tool,
    vertices: &[Coord<f64>],
    pointer: Option<Pos2>,
) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let mut pts: Vec<Pos2> = vertices.iter().map(|c| t.to_screen(merc(*c))).collect();
    let mut with_pointer = vertices.to_vec();
    if let Some(p) = pointer {
        pts.push(p);
        with_pointer.push(t.to_lonlat(p));
    }
    let stroke = Stroke::new(2.5, Color32::from_rgb(230, 30, 120));
    if tool == Tool::Polygon && pts.len() >= 3 {
        let mut ring = pts.clone();
        ring.push(pts[0]);
        shapes.push(Shape::line(ring, stroke));
    } else if pts.len() >= 2 {
        shapes.push(Shape::line(pts.clone(), stroke));
    }
    for p in pts.iter().take(vertices.len()) {
        shapes.push(Shape::circle_filled(*p, 4.0, Color32::WHITE));
        shapes.push(Shape::circle_stroke(*p, 4.0, stroke));
    }
    if let (Some(p), Some(text)) = (pointer, measure_text(language, tool, &with_pointer)) {
        let galley = painter.layout_no_wrap(
            text,
            FontId::proportional(14.0),
            Color32::from_rgb(120, 10, 60),
        );
        let rect = Align2::LEFT_BOTTOM
            .anchor_size(p + vec2(12.0, -8.0), galley.size())
            .expand(3.0);
        shapes.push(Shape::rect_filled(
            rect,
            3.0,
            Color32::from_white_alpha(230),
        ));
        shapes.push(Shape::galley(
            rect.min + vec2(3.0, 3.0),
            galley,
            Color32::BLACK,
        ));
    }
    shapes
}

/// The handles of a geometry, with their lon/lat positions.
pub fn handles(g: &crate::model::project::PlacementGeometry) -> Vec<(Handle, (f64, f64))> {
    let closed = matches!(g, crate::model::project::PlacementGeometry::Polygon(_));
    let mut out = Vec::new();
    for (r, ring) in g.vertex_rings().iter().enumerate() {
        for (i, v) in ring.iter().enumerate() {
            out.push((Handle::Vertex { ring: r, index: i }, *v));
        }
        let segments = if closed {
            ring.len()
        } else {
            ring.len().saturating_sub(1)
        };
        if ring.len() >= 2 {
            for i in 0..segments {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                out.push((
                    Handle::Midpoint {
                        ring: r,
                        after: i,
                        at: mid,
                    },
                    mid,
                ));
            }
        }
    }
    out
}

/// The handle within `radius_px` of `p`, vertices before midpoints.
pub fn handle_at(
    t: &ScreenTransform,
    handles: &[(Handle, (f64, f64))],
    p: Pos2,
    radius_px: f32,
) -> Option<Handle> {
    let near = |h: &&(Handle, (f64, f64))| {
        t.to_screen(merc(Coord { x: h.1.0, y: h.1.1 })).distance(p) <= radius_px
    };
    handles
        .iter()
        .filter(|h| matches!(h.0, Handle::Vertex { .. }))
        .find(near)
        .or_else(|| {
            handles
                .iter()
                .filter(|h| matches!(h.0, Handle::Midpoint { .. }))
                .find(near)
        })
        .map(|h| h.0)
}

/// Handles drawn over the selected placement: squares on vertices, dots on midpoints.
pub fn handle_shapes(
    t: &ScreenTransform,
    handles: &[(Handle, (f64, f64))],
    selected: Option<(usize, usize)>,
) -> Vec<Shape> {
    let dark = Stroke::new(1.5, Color32::from_rgb(40, 40, 40));
    handles
        .iter()
        .map(|(h, v)| {
            let p = t.to_screen(merc(Coord { x: v.0, y: v.1 }));
            match h {
                Handle::Vertex { ring, index } => {
                    let fill = if selected == Some((*ring, *index)) {
                        Color32::from_rgb(230, 30, 120)
                    } else {
                        Color32::WHITE
                    };
                    let r = egui::Rect::from_center_size(p, vec2(9.0, 9.0));
                    Shape::Vec(vec![
                        Shape::rect_filled(r, 1.0, fill),
                        Shape::rect_stroke(r, 1.0, dark, egui::StrokeKind::Outside),
                    ])
                }
                Handle::Midpoint { .. } => Shape::Vec(vec![
                    Shape::circle_filled(p, 3.5, Color32::from_white_alpha(200)),
                    Shape::circle_stroke(p, 3.5, dark),
                ]),
            }
        })
        .collect()
}

/// Where each primary click of this frame was released, in order. egui reports one click a
/// frame; a slow frame (a software renderer, a busy machine) can gather several, each a
/// vertex to a drawing tool. A release counts when its press (in this frame, or before it)
/// was within egui's click distance.
pub fn frame_clicks(ui: &Ui) -> Vec<Pos2> {
    let max = ui.ctx().options(|o| o.input_options.max_click_dist);
    ui.input(|i| {
        let mut press: Option<Pos2> = None;
        let mut clicks = Vec::new();
        for e in &i.events {
            if let egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                ..
            } = e
            {
                if *pressed {
                    press = Some(*pos);
                } else if press.is_none_or(|p| p.distance(*pos) <= max) {
                    clicks.push(*pos);
                }
            }
        }
        clicks
    })
}

/// A primary-button drag on the map as a tool sees it.
pub struct PrimaryDrag {
    /// Where the button went down, in the frame the drag starts. (A drag is only reported once
    /// the pointer has moved past egui's threshold, which can be off a small target.)
    pub started_at: Option<Pos2>,
    /// The pointer, while the drag goes on.
    pub now: Option<Pos2>,
    /// The drag ended this frame.
    pub ended: bool,
}

pub fn primary_drag(ui: &Ui, response: &egui::Response) -> PrimaryDrag {
    let primary = egui::PointerButton::Primary;
    let grab = ui
        .input(|i| i.pointer.press_origin())
        .or_else(|| response.interact_pointer_pos());
    PrimaryDrag {
        started_at: if response.drag_started_by(primary) {
            grab
        } else {
            None
        },
        now: if response.dragged_by(primary) {
            response.interact_pointer_pos()
        } else {
            None
        },
        ended: response.drag_stopped(),
    }
}
