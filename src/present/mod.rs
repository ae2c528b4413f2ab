//! Presenting and exporting the map: the slide every view of a scene is painted with, the
//! headless renderer and the PNG, SVG and PDF writers, the print layout and the map book. Headless: it builds on `doc`, `map`, `io`
//! and `model`, never on the GUI (`command`, `ui`, `app`), so an export needs no window.

pub mod book;
pub mod export;
pub mod fontsubset;
pub mod geojson_export;
pub mod map_items;
pub mod paper;
pub mod pdf;
pub mod prepared;
pub mod print;
pub mod raster;
pub mod render;
pub mod slide;
pub mod svg;
pub mod tiles;

use crate::map::scene::{lonlat_from_merc, merc};
use crate::model::project::MapView;

/// Scenes are framed for this canvas (a 1080p projector, in points): on any other canvas the
/// zoom is adjusted so that the same area shows.
pub const REFERENCE_SIZE: egui::Vec2 = egui::vec2(1920.0, 1080.0);

/// The centre and zoom that fit a lon/lat box into a canvas of `size` points, less a margin.
/// A single point is shown at town scale.
pub fn fit_view(area: geo::Rect<f64>, size: egui::Vec2) -> MapView {
    let (a, b) = (merc(area.min()), merc(area.max()));
    let (dx, dy) = ((b[0] - a[0]).abs(), (b[1] - a[1]).abs());
    const MARGIN: f64 = 0.92;
    const POINT_ZOOM: f64 = 11.0;
    let zoom = if dx < 1e-9 && dy < 1e-9 {
        POINT_ZOOM
    } else {
        let zoom_x = (f64::from(size.x) * MARGIN / (dx.max(1e-9) * 256.0)).log2();
        let zoom_y = (f64::from(size.y) * MARGIN / (dy.max(1e-9) * 256.0)).log2();
        zoom_x.min(zoom_y).clamp(2.0, 16.0)
    };
    let c = lonlat_from_merc([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
    MapView {
        center: (c.x, c.y),
        zoom,
    }
}

/// The zoom that shows on a canvas of `size` points the area a scene's zoom shows on the
/// reference canvas (the whole of it, whichever side is tighter).
pub fn zoom_for_canvas(scene_zoom: f64, size: egui::Vec2) -> f64 {
    let ratio = (size.x / REFERENCE_SIZE.x).min(size.y / REFERENCE_SIZE.y);
    (scene_zoom + f64::from(ratio.max(1e-3)).log2()).clamp(0.0, 26.0)
}

/// The inverse of [`zoom_for_canvas`]: the scene zoom of what a canvas shows now.
pub fn scene_zoom_from_canvas(canvas_zoom: f64, size: egui::Vec2) -> f64 {
    let ratio = (size.x / REFERENCE_SIZE.x).min(size.y / REFERENCE_SIZE.y);
    canvas_zoom - f64::from(ratio.max(1e-3)).log2()
}

/// The plan area: the box of the nine municipal territories, or the plan region.
pub fn plan_area(plan: &crate::model::Plan) -> geo::Rect<f64> {
    use geo::BoundingRect as _;
    plan.layer("city_boundaries")
        .and_then(|l| {
            geo::GeometryCollection(l.features.iter().map(|f| f.geometry.clone()).collect())
                .bounding_rect()
        })
        .unwrap_or_else(|| plan.region.rect())
}
