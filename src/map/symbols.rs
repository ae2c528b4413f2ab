//! The five tier symbols, drawn at a point: on the map, in the legend's swatches and in
//! sketches.

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2, vec2};

use crate::model::style::Symbol;

/// The five tier symbols.
pub fn symbol_shape(
    symbol: Symbol,
    at: Pos2,
    size: f32,
    fill: Color32,
    outline: Stroke,
    shapes: &mut Vec<Shape>,
) {
    let r = size * 0.5;
    match symbol {
        Symbol::Circle => shapes.push(Shape::circle_filled(at, r, fill)),
        Symbol::Square => shapes.push(Shape::rect_filled(
            Rect::from_center_size(at, Vec2::splat(size * 0.85)),
            0.0,
            fill,
        )),
        Symbol::Diamond => shapes.push(Shape::convex_polygon(
            vec![
                at + vec2(0.0, -r),
                at + vec2(r, 0.0),
                at + vec2(0.0, r),
                at + vec2(-r, 0.0),
            ],
            fill,
            Stroke::NONE,
        )),
        Symbol::Triangle => shapes.push(Shape::convex_polygon(
            vec![
                at + vec2(0.0, -r),
                at + vec2(r * 0.9, r * 0.6),
                at + vec2(-r * 0.9, r * 0.6),
            ],
            fill,
            Stroke::NONE,
        )),
        Symbol::Star => {
            // A star is not convex: a fan of triangles from its centre.
            let mut mesh = Mesh::default();
            mesh.colored_vertex(at, fill);
            for k in 0..10 {
                let radius = if k % 2 == 0 { r } else { r * 0.45 };
                let angle = std::f32::consts::PI * (k as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
                mesh.colored_vertex(at + vec2(angle.cos(), angle.sin()) * radius, fill);
            }
            for k in 0..10u32 {
                mesh.add_triangle(0, 1 + k, 1 + (k + 1) % 10);
            }
            shapes.push(Shape::mesh(mesh));
        }
    }
    if outline.width > 0.0 && outline.color.a() > 0 {
        match symbol {
            Symbol::Circle => shapes.push(Shape::circle_stroke(at, r, outline)),
            Symbol::Square => shapes.push(Shape::rect_stroke(
                Rect::from_center_size(at, Vec2::splat(size * 0.85)),
                0.0,
                outline,
                egui::StrokeKind::Outside,
            )),
            _ => {}
        }
    }
}
