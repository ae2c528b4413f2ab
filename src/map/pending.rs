//! What a frame of a large map shows while the canvas's picture of a new look is drawn (see
//! [`super::canvas`]): after a change of data, style, visibility or opacity, the picture shown
//! before is no longer right, and the new one takes the worker a moment.
//!
//! Painting every feature on the UI thread meanwhile, as the frames did, cost tens of
//! milliseconds a frame and held the whole layer's shapes and mesh (hundreds of megabytes for
//! the 1M-vertex layer) next to the worker's. Instead the frame paints the map as it is now but
//! for its largest layers in view, the fewest that leave fewer than [`CACHED_FROM`] items to
//! paint, and names those in [`DrawStats::drawing`]: the map says that they are being drawn.
//! Nothing hidden is shown, and nothing is shown from a picture of another look.

use std::collections::{BTreeSet, HashMap};

use egui::Shape;

use super::draw::{DrawStats, MapFrame};
use super::paint_cache::CACHED_FROM;
use super::scene::Item;

impl MapFrame<'_> {
    /// Paints the map without its largest layers in view (see the module's notes).
    pub(super) fn paint_pending(
        &self,
        painter: &egui::Painter,
        shapes: &mut Vec<Shape>,
    ) -> DrawStats {
        self.paint_background(shapes);
        let items: Vec<&Item> = self.visible_items().collect();
        let left_out = largest_layers(&items);
        let painted: Vec<&Item> = items
            .into_iter()
            .filter(|item| !left_out.contains(item.layer.as_str()))
            .collect();
        self.paint_items(&painted, painter.pixels_per_point(), shapes);
        let mut stats = DrawStats::default();
        for item in &painted {
            stats.count(item, self.opacity(item));
        }
        let mut stats = self.paint_over(painter, &painted, stats, shapes);
        stats.drawing = left_out.into_iter().map(str::to_owned).collect();
        stats
    }
}

/// The fewest layers of `items`, largest first, without which fewer than [`CACHED_FROM`]
/// items are left; none when there are fewer already.
pub fn largest_layers<'a>(items: &[&'a Item]) -> BTreeSet<&'a str> {
    let mut left_out = BTreeSet::new();
    if items.len() < CACHED_FROM {
        return left_out;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for item in items {
        *counts.entry(item.layer.as_str()).or_default() += 1;
    }
    let mut layers: Vec<(&str, usize)> = counts.into_iter().collect();
    // Largest first; among layers of a size, by name, so that frames agree.
    layers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut left = items.len();
    for (layer, n) in layers {
        if left < CACHED_FROM {
            break;
        }
        left_out.insert(layer);
        left -= n;
    }
    left_out
}
