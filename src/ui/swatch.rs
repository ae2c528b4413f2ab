//! Swatches in the layers panel: the small picture of a paint that the legend also shows
//! (drawn by [`crate::doc::swatch`]).

use egui::{Sense, Ui, vec2};

use crate::doc::swatch::{SWATCH_SIZE, swatch_shapes};
use crate::model::style::{LayerStyle, Paint};

/// The paint that stands for a whole layer: its own, or its first variant's.
pub fn layer_paint(layer: &LayerStyle) -> Paint {
    match layer.variants.first() {
        Some(v) => layer.paint.merged(&v.paint),
        None => layer.paint.clone(),
    }
}

pub fn swatch_ui(ui: &mut Ui, paint: &Paint, opacity: f32) {
    let (rect, _) = ui.allocate_exact_size(SWATCH_SIZE, Sense::hover());
    ui.painter().extend(swatch_shapes(paint, rect, opacity));
}

/// A data layer's swatch, as the map draws its kinds of geometry.
pub fn data_swatch_ui(
    ui: &mut Ui,
    paint: &Paint,
    kinds: crate::doc::swatch::GeometryKinds,
    opacity: f32,
) {
    let (rect, _) = ui.allocate_exact_size(SWATCH_SIZE, Sense::hover());
    ui.painter().extend(crate::doc::swatch::data_swatch_shapes(
        paint, kinds, rect, opacity,
    ));
}

/// Space for a swatch that has none, so that rows stay aligned.
pub fn swatch_space(ui: &mut Ui) {
    ui.allocate_exact_size(vec2(SWATCH_SIZE.x, SWATCH_SIZE.y), Sense::hover());
}
