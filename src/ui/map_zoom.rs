//! Zooming the editor's map with the wheel, a trackpad, a pinch or a double-click: by a
//! measured amount (not walkers', whose step depends on the frame rate), about the pointer,
//! within the zooms the map supports.

use egui::{Pos2, Rect, Ui};
use walkers::{MapMemory, lon_lat};

use crate::map::ScreenTransform;

/// How far one notch of a mouse wheel zooms, in zoom levels.
pub const LEVELS_PER_NOTCH: f64 = 0.5;

/// How many points of a trackpad's (or a smooth wheel's) scroll make one zoom level.
pub const POINTS_PER_LEVEL: f64 = 200.0;

/// The zoom levels this frame's wheel and pinch ask for over the map: half a level a notch,
/// and in proportion to the distance for trackpads, which send many small steps.
pub fn zoom_levels(ui: &Ui, map: &egui::Response) -> f64 {
    if !map.contains_pointer() {
        return 0.0;
    }
    ui.input(|i| {
        i.events
            .iter()
            .map(|e| match e {
                egui::Event::MouseWheel { unit, delta, .. } => {
                    let dy = f64::from(delta.y);
                    match unit {
                        egui::MouseWheelUnit::Line => dy * LEVELS_PER_NOTCH,
                        egui::MouseWheelUnit::Page => dy,
                        egui::MouseWheelUnit::Point => dy / POINTS_PER_LEVEL,
                    }
                }
                egui::Event::Zoom(factor) if *factor > 0.0 => f64::from(*factor).log2(),
                _ => 0.0,
            })
            .sum()
    })
}

/// Zooms by `levels`, within the zooms the map supports, keeping the place under `pointer`
/// where it is on the screen. `transform` is this frame's, `map` the map's rect.
pub fn zoom_about(
    memory: &mut MapMemory,
    transform: &ScreenTransform,
    map: Rect,
    pointer: Pos2,
    levels: f64,
) {
    let range = crate::model::well_formed::ZOOM_RANGE;
    let from = memory.zoom();
    let to = (from + levels).clamp(*range.start(), *range.end());
    // The screen is linear in Web Mercator: the new centre is where, on today's screen, the
    // pointer's place would be the centre after scaling by 2^(to − from).
    let scale = 2f64.powf(to - from) as f32;
    let centre = pointer + (map.center() - pointer) / scale;
    let c = transform.to_lonlat(centre);
    memory.center_at(lon_lat(c.x, c.y));
    // Within the range by the clamp above; walkers refuses nothing else.
    let _ = memory.set_zoom(to);
}
