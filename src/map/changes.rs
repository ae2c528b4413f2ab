//! The change map of a comparison: added placements in green, removed in red, changed ones in
//! amber with their old geometry in red beneath, so that both show together.

use egui::{Color32, Pos2, Shape, Stroke};

use crate::model::diff::{Change, ChangeKind, Subject};
use crate::model::project::{PlacementGeometry, PlacementId, Project};

use super::ScreenTransform;
use super::scene::merc;

pub const ADDED: Color32 = Color32::from_rgb(20, 160, 60);
pub const REMOVED: Color32 = Color32::from_rgb(215, 40, 40);
pub const CHANGED: Color32 = Color32::from_rgb(240, 160, 0);

/// Shapes of every placement change, old geometry first.
pub fn change_shapes(
    t: &ScreenTransform,
    old: &Project,
    new: &Project,
    changes: &[Change],
) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for c in changes {
        let Subject::Placement(id) = &c.subject else {
            continue;
        };
        let id = PlacementId(id.clone());
        let (before, after) = (
            old.placements.get(&id).map(|p| &p.geometry),
            new.placements.get(&id).map(|p| &p.geometry),
        );
        match c.kind {
            ChangeKind::Added => after
                .iter()
                .for_each(|g| draw(t, g, ADDED, false, &mut shapes)),
            ChangeKind::Removed => before
                .iter()
                .for_each(|g| draw(t, g, REMOVED, false, &mut shapes)),
            ChangeKind::GeometryChanged | ChangeKind::GeometryAndAttributesChanged => {
                before
                    .iter()
                    .for_each(|g| draw(t, g, REMOVED, true, &mut shapes));
                after
                    .iter()
                    .for_each(|g| draw(t, g, CHANGED, false, &mut shapes));
            }
            ChangeKind::AttributesChanged => after
                .iter()
                .for_each(|g| draw(t, g, CHANGED, false, &mut shapes)),
            ChangeKind::Changed => {}
        }
    }
    shapes
}

fn draw(t: &ScreenTransform, g: &PlacementGeometry, c: Color32, old: bool, out: &mut Vec<Shape>) {
    let width = if old { 2.5 } else { 4.0 };
    let stroke = Stroke::new(width, c);
    for ring in g.vertex_rings() {
        let mut pts: Vec<Pos2> = ring
            .iter()
            .map(|(x, y)| t.to_screen(merc(geo::Coord { x: *x, y: *y })))
            .collect();
        match g {
            PlacementGeometry::Point(_) => {
                if let Some(p) = pts.first() {
                    out.push(Shape::circle_stroke(*p, 9.0, stroke));
                }
            }
            _ => {
                if matches!(g, PlacementGeometry::Polygon(_))
                    && let Some(first) = pts.first().copied()
                {
                    pts.push(first);
                }
                if old {
                    out.extend(Shape::dashed_line(&pts, stroke, 8.0, 5.0));
                } else {
                    out.push(Shape::line(pts, stroke));
                }
            }
        }
    }
}
