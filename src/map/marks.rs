//! Marks drawn over the map in the editor: the pins of review comments and where the pointer
//! snapped.

use egui::{Color32, Rect, Shape, Stroke};
use geo::Coord;

use super::ScreenTransform;
use super::snap::{Snap, SnapKind};
use crate::model::review::ReviewComment;

/// Numbered pins of the review comments: orange while open, grey once resolved.
pub fn comment_pins(
    painter: &egui::Painter,
    t: &ScreenTransform,
    project: &crate::model::project::Project,
    comments: &[ReviewComment],
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
pub fn snap_indicator(s: &Snap) -> Vec<Shape> {
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
