//! The map tools' commands: drawing a placement, moving one, editing its vertices, deleting.

use geo::Coord;

use crate::command::{AppCommand, Handle, Tool};
use crate::edit::Edit;
use crate::model::FeatureId;
use crate::model::project::{Placement, PlacementGeometry, PlacementId, PlacementStatus, Project};

use super::OneMapApp;
use super::handle::wrong_family;

impl OneMapApp {
    /// The map tools: drawing, moving a placement, editing vertices, deleting.
    pub(super) fn run_tool_command(&mut self, command: AppCommand) {
        match command {
            AppCommand::ToggleSnap => self.snap_on = !self.snap_on,
            AppCommand::SetTool(tool) => {
                self.tool = tool;
                self.draft.clear();
                self.selected_vertex = None;
            }
            AppCommand::SetDrawAction(action) => self.draw_action = action,
            AppCommand::AddVertex(c) => self.draft.push(c),
            AppCommand::MoveStart { id, at } => {
                if let Some((name, geometry)) = self.editable_geometry(&id) {
                    self.doc.history.begin(
                        crate::model::Bilingual::new(
                            format!("移动 {name}"),
                            format!("move {name}"),
                        ),
                        &self.doc.project,
                    );
                    self.selected = Some(id.clone());
                    self.move_drag = Some((id, geometry, at));
                }
            }
            AppCommand::MoveTo(at) => {
                if let Some((id, original, start)) = self.move_drag.clone() {
                    self.set_geometry(&id, original.translated(at.x - start.x, at.y - start.y));
                }
            }
            AppCommand::MoveEnd => {
                self.move_drag = None;
                self.doc.history.commit(&self.doc.project);
                // The drag's frames skipped the journal; the finished move is written now.
                self.project_changed(true);
            }
            AppCommand::RemoveLastVertex => {
                self.draft.pop();
            }
            AppCommand::CancelDrawing => self.draft.clear(),
            AppCommand::FinishDrawing => self.finish_drawing(),
            AppCommand::VertexGrab(handle) => self.grab_vertex(handle),
            AppCommand::VertexTo(at) => {
                if let Some((id, base, ring, index)) = self.vertex_drag.clone() {
                    self.set_geometry(&id, base.with_vertex_moved(ring, index, (at.x, at.y)));
                }
            }
            AppCommand::VertexRelease => {
                self.vertex_drag = None;
                self.doc.history.commit(&self.doc.project);
                self.project_changed(true);
            }
            AppCommand::SelectVertex(v) => self.selected_vertex = v,
            AppCommand::DeleteSelected
                if self.tool == Tool::Vertices && self.selected_vertex.is_some() =>
            {
                self.delete_selected_vertex()
            }
            AppCommand::DeleteSelected => self.delete_selected(),
            other => wrong_family("tool", &other),
        }
    }

    /// Makes a placement (or a sketch of a plan feature) of the drawing under way.
    fn finish_drawing(&mut self) {
        // A measurement stays on screen until Esc; it never becomes a placement.
        if self.tool == Tool::Measure {
            return;
        }
        let horizon = self
            .data
            .edition
            .as_ref()
            .and_then(|e| e.horizons.get(1).copied())
            .unwrap_or(2035);
        let author = if self.doc.project.meta.author.is_empty() {
            "a planner".to_owned()
        } else {
            self.doc.project.meta.author.clone()
        };
        let made = placement_from_draft(
            &self.doc.project,
            self.tool,
            &self.draft,
            &self.draw_action,
            horizon,
            &author,
        );
        if let Some((id, placement)) = made {
            self.draft.clear();
            // The draw target is a system action, or `layer:NAME` to sketch the plan.
            match self.draw_action.strip_prefix("layer:").map(str::to_owned) {
                Some(layer) => self.add_plan_feature(&layer, placement.geometry),
                None => {
                    self.edit(Edit::AddPlacement {
                        id: id.clone(),
                        placement,
                    });
                    self.selected = Some(FeatureId(id.0));
                }
            }
        }
    }

    /// Starts dragging a handle of the selected feature, as one undo step until released; a
    /// midpoint handle inserts its vertex first.
    fn grab_vertex(&mut self, handle: Handle) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        if let Some((name, geometry)) = self.editable_geometry(&id) {
            self.doc.history.begin(
                crate::model::Bilingual::new(
                    format!("编辑 {name} 的顶点"),
                    format!("edit vertices of {name}"),
                ),
                &self.doc.project,
            );
            let (ring, index, geometry) = match handle {
                Handle::Vertex { ring, index } => (ring, index, geometry),
                Handle::Midpoint { ring, after, at } => (
                    ring,
                    after + 1,
                    geometry.with_vertex_inserted(ring, after, at),
                ),
            };
            self.set_geometry(&id, geometry.clone());
            self.selected_vertex = Some((ring, index));
            self.vertex_drag = Some((id, geometry, ring, index));
        }
    }

    /// Removes the selected vertex, unless the line or ring would be left too short.
    fn delete_selected_vertex(&mut self) {
        let id = self.selected.clone().unwrap_or(FeatureId(String::new()));
        if let (Some((_, g)), Some((ring, index))) =
            (self.editable_geometry(&id), self.selected_vertex)
        {
            match g.with_vertex_removed(ring, index) {
                Some(geometry) => {
                    self.set_geometry(&id, geometry);
                    self.selected_vertex = None;
                }
                None => self.files.info(
                    "Vertex kept",
                    self.help
                        .prefs
                        .ui_language
                        .pick(
                            "线至少保留 2 个顶点，多边形的环至少保留 3 个。",
                            "A line keeps at least 2 vertices and a polygon ring at least 3.",
                        )
                        .into(),
                ),
            }
        }
    }
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
    // As saved (to 1e-7°), without a vertex repeated by a click on the last one; a polygon's
    // last vertex on its first is the ring closing, not a vertex of its own.
    let mut distinct: Vec<(f64, f64)> = vertices.iter().map(|c| (c.x, c.y)).collect();
    distinct.dedup_by(|b, a| crate::edit::vertices::same_position(*a, *b));
    if tool == Tool::Polygon
        && distinct.len() > 1
        && crate::edit::vertices::same_position(distinct[0], distinct[distinct.len() - 1])
    {
        distinct.pop();
    }
    let geometry = match tool {
        Tool::Point => PlacementGeometry::Point(*distinct.first()?),
        Tool::Line if distinct.len() >= 2 => PlacementGeometry::LineString(distinct),
        Tool::Polygon if distinct.len() >= 3 => {
            distinct.push(distinct[0]);
            PlacementGeometry::Polygon(vec![distinct])
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
