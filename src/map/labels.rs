//! Label placement: a halo for legibility, and collision avoidance. Labels are placed in order
//! of priority (tier 1 first); one that would overlap a placed label is dropped.

use egui::{Align2, Color32, FontId, Rect, Shape, vec2};

use crate::model::style::Rgba;

use super::draw::{MapFrame, color};
use super::scene::{Label, LabelPlacement};

pub struct LabelCandidate<'a> {
    pub label: &'a Label,
    /// The feature is our sketch: its label carries the mark "（示意）".
    pub indicative: bool,
    pub opacity: f32,
    /// The size of the symbol the label sits beside, to keep clear of it.
    pub symbol_px: f32,
}

/// The halo is drawn as the text in white, offset by a pixel in eight directions.
const HALO_OFFSETS: [(f32, f32); 8] = [
    (-1., -1.),
    (0., -1.),
    (1., -1.),
    (-1., 0.),
    (1., 0.),
    (-1., 1.),
    (0., 1.),
    (1., 1.),
];

/// Two labels of one name closer than this (in pixels) name one place: the second is dropped.
const SAME_NAME_PX: f32 = 120.0;

/// Places and paints the labels; returns the texts that were placed.
pub fn place_labels(
    mut candidates: Vec<LabelCandidate<'_>>,
    frame: &MapFrame<'_>,
    painter: &egui::Painter,
    shapes: &mut Vec<Shape>,
) -> Vec<String> {
    let mut texts = Vec::new();
    // Stable: among equal priorities, drawing order decides.
    candidates.sort_by_key(|c| c.label.paint.priority);
    let mut placed: Vec<Rect> = Vec::new();
    // The names placed and where: a basemap town of the same name as a plan node beside it
    // (奉贤 the town, 奉贤 the node) would say the same twice.
    let mut named: Vec<(&str, egui::Pos2)> = Vec::new();
    let bounds = frame.rect.shrink(2.0);
    for c in candidates {
        let text = crate::model::indicative::map_label(
            frame.view.language,
            &c.label.name_zh,
            &c.label.name_en,
            c.indicative,
        );
        if text.is_empty() || c.opacity <= 0.01 {
            continue;
        }
        let size = c.label.paint.size_px * frame.symbol_scale;
        let text_color = color(c.label.paint.color, c.opacity);
        let galley = painter.layout(
            text.clone(),
            FontId::proportional(size),
            text_color,
            f32::INFINITY,
        );
        let anchor = frame.transform.to_screen(c.label.anchor);
        let (align, at) = match c.label.placement {
            LabelPlacement::BesidePoint => (
                Align2::LEFT_CENTER,
                anchor + vec2(c.symbol_px * 0.5 + 3.0, 0.0),
            ),
            LabelPlacement::Centred => (Align2::CENTER_CENTER, anchor),
        };
        let rect = align.anchor_size(at, galley.size());
        if !bounds.contains_rect(rect) || placed.iter().any(|p| p.intersects(rect.expand(1.0))) {
            continue;
        }
        let name = c.label.name_zh.as_str();
        if !name.is_empty()
            && named
                .iter()
                .any(|(n, p)| *n == name && p.distance(anchor) < SAME_NAME_PX)
        {
            continue;
        }
        named.push((name, anchor));
        placed.push(rect);
        let halo = painter.layout(
            text.clone(),
            FontId::proportional(size),
            color(Rgba(255, 255, 255, 230), c.opacity),
            f32::INFINITY,
        );
        for (dx, dy) in HALO_OFFSETS {
            shapes.push(Shape::galley(
                rect.min + vec2(dx, dy),
                halo.clone(),
                Color32::WHITE,
            ));
        }
        shapes.push(Shape::galley(rect.min, galley, text_color));
        texts.push(text);
    }
    texts
}
