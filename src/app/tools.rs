//! Drawing tools: add a point, draw a line or a polygon, with the length or area shown live.
//! Clicks add vertices; double-click or Enter finishes; Esc cancels; Backspace removes the
//! last vertex. A finished drawing becomes a placement in one undoable step.

use egui::{Align2, Color32, FontId, Pos2, Shape, Stroke, Ui, vec2};
use geo::{Coord, LineString, Polygon};

use crate::map::ScreenTransform;
use crate::map::scene::merc;
use crate::model::measure::{area_km2, length_km};
use crate::model::project::{Placement, PlacementGeometry, PlacementId, PlacementStatus, Project};

use super::AppCommand;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    #[default]
    Select,
    Point,
    Line,
    Polygon,
    /// Drag a placement to move it: a deliberate mode, so a pan never moves anything by accident.
    Move,
}

impl Tool {
    pub const ALL: [Self; 5] = [
        Self::Select,
        Self::Move,
        Self::Point,
        Self::Line,
        Self::Polygon,
    ];

    /// Tools that add vertices with clicks.
    pub fn draws(self) -> bool {
        matches!(self, Self::Point | Self::Line | Self::Polygon)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Select => "选择 Select (V)",
            Self::Point => "点 Point (P)",
            Self::Line => "线 Line (L)",
            Self::Polygon => "面 Polygon (G)",
            Self::Move => "移动 Move (M)",
        }
    }

    fn key(self) -> egui::Key {
        match self {
            Self::Select => egui::Key::V,
            Self::Point => egui::Key::P,
            Self::Line => egui::Key::L,
            Self::Polygon => egui::Key::G,
            Self::Move => egui::Key::M,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Self::Select => "Click a feature to inspect it",
            Self::Point => "Click to place a point placement",
            Self::Line => {
                "Click to add vertices; double-click or Enter finishes, Backspace removes the last, Esc cancels"
            }
            Self::Polygon => {
                "Click to add vertices; double-click or Enter closes the polygon, Backspace removes the last, Esc cancels"
            }
            Self::Move => "Drag a placement to move it; pan with the right or middle button",
        }
    }
}

/// The tool buttons and the action a new placement belongs to.
pub fn tools_ui(
    ui: &mut Ui,
    tool: Tool,
    action: &str,
    actions: &[(String, String)],
    commands: &mut Vec<AppCommand>,
) {
    for t in Tool::ALL {
        if ui
            .selectable_label(tool == t, t.label())
            .on_hover_text(t.tooltip())
            .clicked()
        {
            commands.push(AppCommand::SetTool(t));
        }
    }
    let current = actions
        .iter()
        .find(|(id, _)| id == action)
        .map_or(action, |(_, name)| name.as_str());
    egui::ComboBox::from_label("新项目的行动 Action of new placements")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (id, name) in actions {
                if ui.selectable_label(id == action, name).clicked() {
                    commands.push(AppCommand::SetDrawAction(id.clone()));
                }
            }
        });
}

/// Tool keys, and the drawing keys while a drawing is under way.
pub fn tool_keys(ui: &Ui, tool: Tool, drawing: bool, commands: &mut Vec<AppCommand>) {
    ui.input(|i| {
        if !i.modifiers.is_none() {
            return;
        }
        for t in Tool::ALL {
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
        if i.key_pressed(egui::Key::Delete) {
            commands.push(AppCommand::DeleteSelected);
        }
    });
}

/// Geodesic length (km) of a line, or area (km²) of a ring, as the draft stands.
pub fn measure_text(tool: Tool, vertices: &[Coord<f64>]) -> Option<String> {
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
        _ => None,
    }
}

/// The draft drawn over the map, with the rubber band to the pointer and the live measure.
pub fn draft_shapes(
    painter: &egui::Painter,
    t: &ScreenTransform,
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
    if let (Some(p), Some(text)) = (pointer, measure_text(tool, &with_pointer)) {
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

/// The placement a finished draft makes, or `None` when it has too few vertices.
pub fn placement_from_draft(
    project: &Project,
    tool: Tool,
    vertices: &[Coord<f64>],
    action: &str,
    horizon: u16,
    author: &str,
) -> Option<(PlacementId, Placement)> {
    let pos = |c: &Coord<f64>| (c.x, c.y);
    let geometry = match tool {
        Tool::Point => PlacementGeometry::Point(pos(vertices.first()?)),
        Tool::Line if vertices.len() >= 2 => {
            PlacementGeometry::LineString(vertices.iter().map(pos).collect())
        }
        Tool::Polygon if vertices.len() >= 3 => {
            let mut ring: Vec<(f64, f64)> = vertices.iter().map(pos).collect();
            ring.push(ring[0]);
            PlacementGeometry::Polygon(vec![ring])
        }
        _ => return None,
    };
    let n = (1..).find(|n| {
        !project
            .placements
            .contains_key(&PlacementId(format!("placement.new-{n}")))
    })?;
    let placement = Placement {
        name_zh: format!("新项目 {n}"),
        name_en: format!("New placement {n}"),
        action: action.to_owned(),
        section: None,
        lead_city: None,
        participants: Vec::new(),
        status: PlacementStatus::Proposed,
        horizon,
        geometry,
        description: String::new(),
        source: format!("sketched in OneMap by {author}"),
        indicative: true,
        comments: Vec::new(),
    };
    Some((PlacementId(format!("placement.new-{n}")), placement))
}
