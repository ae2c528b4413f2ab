//! How our sketches look: one visual language for every feature with `status: indicative`
//! (plan features and `indicative: true` placements), readable without a key.
//!
//! - The feature's own paint is drawn ghosted (at [`GHOST`] of its opacity), so that hue and
//!   width still say which layer it is;
//! - over it, its lines and outlines are dotted in the same hue, fully opaque. No style in
//!   `assets/style.ron` uses dots (sourced features are solid or dashed), so a dotted line is
//!   always a sketch, whatever the layer's own dash;
//! - filled areas are hatched with "/" strokes;
//! - point symbols get a dotted outline around a ghosted fill;
//! - labels carry "（示意）" / "(indicative)" (see [`crate::model::indicative::map_label`]).
//!
//! Sketches in a project (a planner's overrides of a plan feature) keep their own look, the
//! layer's paint with a dashed magenta outline, so that the three never pass for each other.

use egui::{Color32, FontId, Pos2, Rect, Shape, Stroke, pos2, vec2};

use crate::model::style::{Paint, Rgba, Symbol};

use super::clip::{Run, along, clip_polyline, hatch};
use super::draw::{MapFrame, color, symbol_shape};
use super::scene::{Item, ItemKey};

/// The share of its paint's opacity an indicative feature's fill and stroke keep.
pub const GHOST: f32 = 0.4;
/// Hatch strokes are this far apart (points, before the projector scale).
pub const HATCH_SPACING: f32 = 7.0;
/// Hatch strokes are painted in pieces at most this long (pixels).
const HATCH_PIECE_PX: f32 = 16.0;
/// The amber of the notice's border and the inspector's "示意" text.
pub const NOTICE_AMBER: Color32 = Color32::from_rgb(190, 110, 0);

/// The radius of the dots along a line `width` pixels wide, and their spacing.
pub fn dot_pattern(width: f32) -> (f32, f32) {
    let radius = (width * 0.5).clamp(1.4, 3.0);
    (radius, (radius * 4.0).max(5.5))
}

/// A paint's colour made opaque enough to read as a dot or hatch stroke: a translucent band
/// (a corridor) still gets solid dots.
fn solid(c: Rgba, min_alpha: u8) -> Rgba {
    Rgba(c.0, c.1, c.2, c.3.max(min_alpha))
}

/// The colour of the hatch strokes: the outline's hue (the fill's when there is none), as
/// strong as the fill, within bounds, so that a faintly tinted zone is faintly hatched.
fn hatch_color(p: &Paint) -> Option<Rgba> {
    let fill = p.fill?;
    let hue = p.stroke.unwrap_or(fill);
    let alpha = (f32::from(fill.3) * 1.5).clamp(45.0, 150.0) as u8;
    Some(Rgba(hue.0, hue.1, hue.2, alpha))
}

/// Dots along a clipped line.
fn dots(runs: &[Run], c: Color32, (radius, spacing): (f32, f32), shapes: &mut Vec<Shape>) {
    along(runs, spacing, 0.0, |at, _| {
        shapes.push(Shape::circle_filled(at, radius, c))
    });
}

/// The closed outline of a tier symbol, as [`symbol_shape`] draws it.
pub fn symbol_outline(symbol: Symbol, at: Pos2, size: f32) -> Vec<Pos2> {
    let r = size * 0.5;
    let polygon = |corners: &[(f32, f32)]| -> Vec<Pos2> {
        corners
            .iter()
            .chain(corners.first())
            .map(|(x, y)| at + vec2(*x, *y))
            .collect()
    };
    match symbol {
        Symbol::Circle => (0..=24)
            .map(|k| {
                let a = std::f32::consts::TAU * k as f32 / 24.0;
                at + vec2(a.cos(), a.sin()) * r
            })
            .collect(),
        Symbol::Square => {
            let h = size * 0.85 * 0.5;
            polygon(&[(-h, -h), (h, -h), (h, h), (-h, h)])
        }
        Symbol::Diamond => polygon(&[(0.0, -r), (r, 0.0), (0.0, r), (-r, 0.0)]),
        Symbol::Triangle => polygon(&[(0.0, -r), (r * 0.9, r * 0.6), (-r * 0.9, r * 0.6)]),
        Symbol::Star => (0..=10)
            .map(|k| {
                let radius = if k % 2 == 0 { r } else { r * 0.45 };
                let a = std::f32::consts::PI * (k as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
                at + vec2(a.cos(), a.sin()) * radius
            })
            .collect(),
    }
}

/// A point symbol drawn as a sketch: a ghosted fill inside a dotted outline.
fn sketched_symbol(
    symbol: Symbol,
    at: Pos2,
    size: f32,
    fill: Rgba,
    opacity: f32,
    shapes: &mut Vec<Shape>,
) {
    symbol_shape(
        symbol,
        at,
        size,
        color(fill, opacity * GHOST),
        Stroke::NONE,
        shapes,
    );
    let outline = symbol_outline(symbol, at, size);
    let radius = (size * 0.07).clamp(0.9, 2.0);
    let runs = [Run {
        points: outline,
        start: 0.0,
    }];
    dots(
        &runs,
        color(solid(fill, 230), opacity),
        (radius, radius * 3.2),
        shapes,
    );
}

impl MapFrame<'_> {
    /// A plan feature as the project sketches it (drawn with the magenta outline instead).
    pub(super) fn is_project_sketch(&self, item: &Item) -> bool {
        item.from_project && matches!(&item.key, ItemKey::Feature(id) if self.sketched.contains(id))
    }

    /// Paints an indicative item in the sketch look (see the module's documentation).
    pub(super) fn paint_indicative(&self, item: &Item, opacity: f32, shapes: &mut Vec<Shape>) {
        let p = &item.paint;
        if let Some(lod) = item.lod_for(self.transform.deg_per_px()) {
            if let (Some(fill), Some(mesh)) = (p.fill, &lod.fill) {
                shapes.push(Shape::mesh(self.mesh(
                    lod,
                    mesh,
                    color(fill, opacity * GHOST),
                )));
                if let Some(c) = hatch_color(p) {
                    let rings: Vec<Vec<Pos2>> = lod
                        .lines
                        .from_line(mesh.first_ring)
                        .map(|l| self.screen_line(l))
                        .collect();
                    self.hatch(&rings, color(c, opacity), shapes);
                }
            }
            if let Some(stroke) = p.stroke {
                let width = p.width_px.unwrap_or(1.0) * self.line_scale;
                let pattern = dot_pattern(width);
                for line in &lod.lines {
                    let pts = self.screen_line(line);
                    if pts.len() < 2 {
                        continue;
                    }
                    shapes.push(Shape::line(
                        pts.clone(),
                        Stroke::new(width, color(stroke, opacity * GHOST)),
                    ));
                    if p.arrows == Some(true) {
                        let hue = Rgba(stroke.0, stroke.1, stroke.2, 150);
                        self.arrows(&pts, width, color(hue, opacity), shapes);
                    }
                    let runs = clip_polyline(&pts, self.pattern_rect(pattern.1));
                    dots(&runs, color(solid(stroke, 220), opacity), pattern, shapes);
                }
            }
        }
        if let Some(symbol) = p.symbol {
            let size = p.symbol_px.unwrap_or(6.0) * self.symbol_scale;
            let fill = p.fill.unwrap_or(Rgba(60, 60, 60, 255));
            for m in &item.points {
                let at = self.transform.to_screen(*m);
                sketched_symbol(symbol, at, size, fill, opacity, shapes);
            }
        }
    }

    /// The hover or selection outline of a sketch: a faint glow under bright dots, so that a
    /// highlighted sketch (a scene's highlighted placements) still reads as one.
    pub(super) fn paint_sketch_outline(&self, item: &Item, c: Color32, shapes: &mut Vec<Shape>) {
        let glow = Stroke::new(6.0, c.gamma_multiply(0.2));
        // On the feature's own dots, so that the two patterns do not fill each other's gaps.
        let (radius, spacing) = dot_pattern(item.paint.width_px.unwrap_or(1.0) * self.line_scale);
        let pattern = ((radius + 0.8).max(2.2), spacing);
        if let Some(lod) = item.lod_for(self.transform.deg_per_px()) {
            for line in &lod.lines {
                let pts = self.screen_line(line);
                let runs = clip_polyline(&pts, self.pattern_rect(pattern.1));
                for run in &runs {
                    shapes.push(Shape::line(run.points.clone(), glow));
                }
                dots(&runs, c, pattern, shapes);
            }
        }
        let r = item.paint.symbol_px.unwrap_or(6.0) * self.symbol_scale * 0.5 + 4.0;
        for m in &item.points {
            let at = self.transform.to_screen(*m);
            shapes.push(Shape::circle_stroke(at, r, glow));
            let ring = [Run {
                points: symbol_outline(Symbol::Circle, at, 2.0 * r),
                start: 0.0,
            }];
            dots(&ring, c, (2.0, 5.5), shapes);
        }
    }

    /// "/" hatching inside the rings, fixed to the map as it pans.
    fn hatch(&self, rings: &[Vec<Pos2>], c: Color32, shapes: &mut Vec<Shape>) {
        let spacing = HATCH_SPACING * self.symbol_scale;
        let o = self.transform.offset;
        let phase = (o[0] + o[1]).rem_euclid(f64::from(spacing)) as f32;
        let stroke = Stroke::new(1.0 * self.line_scale, c);
        for [a, b] in hatch(rings, self.pattern_rect(2.0), spacing, phase) {
            // In short pieces: a rasterizer scans a triangle's bounding box, which for one
            // stroke across the view would be the whole view (exports spent seconds on it).
            let pieces = ((b - a).length() / HATCH_PIECE_PX).ceil().max(1.0);
            for i in 0..pieces as usize {
                let t = |k: usize| a + (b - a) * (k as f32 / pieces);
                shapes.push(Shape::line_segment([t(i), t(i + 1)], stroke));
            }
        }
    }
}

/// A legend swatch of `paint` drawn as a sketch, inside `rect`.
pub fn swatch_shapes(paint: &Paint, rect: Rect, opacity: f32) -> Vec<Shape> {
    let mut shapes = Vec::new();
    if let Some(symbol) = paint.symbol {
        let size = paint.symbol_px.unwrap_or(8.0).min(rect.height() + 2.0);
        let fill = paint.fill.unwrap_or(Rgba(60, 60, 60, 255));
        sketched_symbol(symbol, rect.center(), size, fill, opacity, &mut shapes);
    } else if let Some(fill) = paint.fill {
        let r = rect.shrink(1.0);
        shapes.push(Shape::rect_filled(r, 2.0, color(fill, opacity * GHOST)));
        let ring = vec![
            r.left_top(),
            r.right_top(),
            r.right_bottom(),
            r.left_bottom(),
            r.left_top(),
        ];
        if let Some(c) = hatch_color(paint) {
            let stroke = Stroke::new(1.0, color(c, opacity));
            for segment in hatch(std::slice::from_ref(&ring), r, 4.0, 0.0) {
                shapes.push(Shape::line_segment(segment, stroke));
            }
        }
        let stroke = paint.stroke.unwrap_or(fill);
        let runs = [Run {
            points: ring,
            start: 0.0,
        }];
        dots(
            &runs,
            color(solid(stroke, 220), opacity),
            (1.1, 3.6),
            &mut shapes,
        );
    } else if let Some(stroke) = paint.stroke {
        let width = paint.width_px.unwrap_or(1.0).min(rect.height());
        let y = rect.center().y;
        let pts = vec![pos2(rect.left() + 1.0, y), pos2(rect.right() - 1.0, y)];
        shapes.push(Shape::line(
            pts.clone(),
            Stroke::new(width, color(stroke, opacity * GHOST)),
        ));
        let (radius, _) = dot_pattern(width);
        let runs = [Run {
            points: pts,
            start: 0.0,
        }];
        dots(
            &runs,
            color(solid(stroke, 220), opacity),
            (radius.min(2.2), radius.min(2.2) * 3.0 + 1.5),
            &mut shapes,
        );
    }
    shapes
}

/// The notice that the map shows sketches, laid out and ready to place.
pub struct Notice {
    rows: Vec<std::sync::Arc<egui::Galley>>,
    scale: f32,
    pub size: egui::Vec2,
}

impl Notice {
    const PAD: f32 = 6.0;
    /// Room on the left for a sample of the dotted line.
    const SAMPLE: f32 = 26.0;

    /// The bilingual notice at `scale` (1 in the editor, larger on a slide): Chinese over
    /// English, or both on one line when `one_line`.
    pub fn layout(painter: &egui::Painter, scale: f32, one_line: bool, text: Color32) -> Self {
        use crate::model::indicative::{NOTICE_EN, NOTICE_ZH, notice_one_line};
        let row = |t: String, size: f32| {
            painter.layout_no_wrap(t, FontId::proportional(size * scale), text)
        };
        let rows = if one_line {
            vec![row(notice_one_line(), 11.0)]
        } else {
            vec![
                row(NOTICE_ZH.to_owned(), 14.0),
                row(NOTICE_EN.to_owned(), 11.5),
            ]
        };
        let text_w = rows.iter().map(|g| g.size().x).fold(0.0, f32::max);
        let text_h: f32 = rows.iter().map(|g| g.size().y).sum();
        Self {
            rows,
            scale,
            size: vec2(
                (Self::SAMPLE + 2.0 * Self::PAD) * scale + text_w,
                2.0 * Self::PAD * scale + text_h,
            ),
        }
    }

    /// The notice's shapes with its top-left corner at `at`: a panel with an amber border, a
    /// sample of the sketch line, and the text.
    pub fn shapes(self, at: Pos2, panel: Color32) -> Vec<Shape> {
        let s = self.scale;
        let rect = Rect::from_min_size(at, self.size);
        let mut shapes = vec![
            Shape::rect_filled(rect, 3.0 * s, panel),
            Shape::rect_stroke(
                rect,
                3.0 * s,
                Stroke::new(1.5 * s, NOTICE_AMBER),
                egui::StrokeKind::Inside,
            ),
        ];
        let pad = Self::PAD * s;
        let first_h = self.rows.first().map_or(0.0, |g| g.size().y);
        let y = rect.top() + pad + first_h * 0.5;
        let sample = [Run {
            points: vec![
                pos2(rect.left() + pad, y),
                pos2(rect.left() + pad + (Self::SAMPLE - 6.0) * s, y),
            ],
            start: 0.0,
        }];
        shapes.push(Shape::line(
            sample[0].points.clone(),
            Stroke::new(3.0 * s, NOTICE_AMBER.gamma_multiply(GHOST)),
        ));
        dots(&sample, NOTICE_AMBER, dot_pattern(3.0 * s), &mut shapes);
        let x = rect.left() + pad + Self::SAMPLE * s;
        let mut y = rect.top() + pad;
        for g in self.rows {
            let h = g.size().y;
            shapes.push(Shape::galley(pos2(x, y), g, Color32::PLACEHOLDER));
            y += h;
        }
        shapes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbols_outline_is_closed_and_surrounds_it() {
        let at = pos2(50.0, 50.0);
        for symbol in [
            Symbol::Circle,
            Symbol::Square,
            Symbol::Diamond,
            Symbol::Triangle,
            Symbol::Star,
        ] {
            let outline = symbol_outline(symbol, at, 20.0);
            assert_eq!(outline.first(), outline.last(), "{symbol:?} is closed");
            assert!(
                outline.iter().all(|p| {
                    let d = *p - at;
                    d.x.abs().max(d.y.abs()) <= 10.0 + 1e-3
                }),
                "{symbol:?} stays within its size"
            );
        }
    }

    #[test]
    fn dots_are_visible_on_thin_lines_and_kept_small_on_corridor_bands() {
        let (thin, thin_gap) = dot_pattern(1.0);
        let (band, band_gap) = dot_pattern(16.0);
        assert!(thin >= 1.4 && band <= 3.0);
        assert!(
            thin_gap > 2.0 * thin && band_gap > 2.0 * band,
            "dots, not a line"
        );
        let corridor = Paint {
            stroke: Some(Rgba(214, 60, 70, 95)),
            ..Paint::default()
        };
        assert_eq!(solid(corridor.stroke.unwrap(), 220).3, 220);
        assert_eq!(hatch_color(&corridor), None, "a line has nothing to hatch");
        let zone = Paint {
            fill: Some(Rgba(0, 140, 160, 22)),
            stroke: Some(Rgba(0, 140, 160, 255)),
            ..Paint::default()
        };
        assert_eq!(hatch_color(&zone), Some(Rgba(0, 140, 160, 45)));
    }
}
