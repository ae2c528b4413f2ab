//! Small pictures of a paint, for the legend and the layers panel.

use egui::{Rect, Shape, Stroke, pos2};

pub use crate::map::data_summary::GeometryKinds;
use crate::map::draw::{color, symbol_shape};
use crate::model::style::{Paint, Rgba};

pub const SWATCH_SIZE: egui::Vec2 = egui::Vec2::new(24.0, 14.0);

/// The shapes of a swatch for `paint` inside `rect`.
pub fn swatch_shapes(paint: &Paint, rect: Rect, opacity: f32) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if let Some(symbol) = paint.symbol {
        let size = paint.symbol_px.unwrap_or(8.0).min(rect.height() + 2.0);
        let fill = color(paint.fill.unwrap_or(Rgba(60, 60, 60, 255)), opacity);
        symbol_shape(symbol, rect.center(), size, fill, Stroke::NONE, &mut shapes);
    } else if let Some(fill) = paint.fill {
        let r = rect.shrink(1.0);
        shapes.push(Shape::rect_filled(r, 2.0, color(fill, opacity)));
        if let Some(stroke) = paint.stroke {
            let stroke = Stroke::new(
                paint.width_px.unwrap_or(1.0).min(2.5),
                color(stroke, opacity),
            );
            let outline = vec![
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            push_line(&mut shapes, outline, stroke, paint.dash_px);
        }
    } else if let Some(stroke) = paint.stroke {
        let stroke = Stroke::new(
            paint.width_px.unwrap_or(1.0).min(rect.height()),
            color(stroke, opacity),
        );
        let y = rect.center().y;
        push_line(
            &mut shapes,
            vec![pos2(rect.left() + 1.0, y), pos2(rect.right() - 1.0, y)],
            stroke,
            paint.dash_px,
        );
    }
    shapes
}

fn push_line(
    shapes: &mut Vec<Shape>,
    pts: Vec<egui::Pos2>,
    stroke: Stroke,
    dash: Option<(f32, f32)>,
) {
    match dash {
        Some((d, g)) => shapes.extend(Shape::dashed_line(&pts, stroke, d.min(6.0), g.min(4.0))),
        None => shapes.push(Shape::line(pts, stroke)),
    }
}

/// A data layer's swatch as the map draws its features: an area (fill and outline) when it
/// has polygons, else a line when it has lines, else its point symbol with its outline.
pub fn data_swatch_shapes(
    paint: &Paint,
    kinds: GeometryKinds,
    rect: Rect,
    opacity: f32,
) -> Vec<Shape> {
    let mut shown = paint.clone();
    if kinds.polygons || kinds.lines {
        shown.symbol = None;
        if !kinds.polygons {
            shown.fill = None;
        }
        return swatch_shapes(&shown, rect, opacity);
    }
    let Some(symbol) = paint.symbol else {
        return swatch_shapes(paint, rect, opacity);
    };
    let mut shapes = Vec::new();
    let size = paint.symbol_px.unwrap_or(8.0).min(rect.height() + 2.0);
    let fill = color(paint.fill.unwrap_or(Rgba(60, 60, 60, 255)), opacity);
    let outline = Stroke::new(
        paint.width_px.unwrap_or(1.0).min(2.5),
        color(paint.stroke.unwrap_or(Rgba(255, 255, 255, 255)), opacity),
    );
    symbol_shape(symbol, rect.center(), size, fill, outline, &mut shapes);
    shapes
}
