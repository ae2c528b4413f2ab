//! Which plan feature is under the pointer. The pick order is the drawing order: the
//! feature drawn on top is picked first, so that what one clicks is what one sees, and two
//! clicks on one spot pick the same feature. [`hits`] lists all of them, topmost first, for
//! Alt+click to cycle through.

use egui::{Pos2, Rect};
use geo::{Contains, Point};

use super::draw::MapFrame;
use super::scene::{Item, ItemKey};

/// How far from a line or symbol, in pixels, a pointer still counts as on it.
const TOLERANCE_PX: f32 = 5.0;

pub fn hit_test(frame: &MapFrame<'_>, pointer: Pos2) -> Option<ItemKey> {
    hit_test_where(frame, pointer, |_| true)
}

/// Like [`hit_test`], among the items `keep` accepts only (e.g. the placements, for moving).
pub fn hit_test_where(
    frame: &MapFrame<'_>,
    pointer: Pos2,
    keep: impl Fn(&Item) -> bool,
) -> Option<ItemKey> {
    hits(frame, pointer, keep).into_iter().next()
}

/// Every feature under the pointer that `keep` accepts, the topmost drawn first (the plan's
/// scene is drawn in its items' order, then the project's overlay over it).
pub fn hits(frame: &MapFrame<'_>, pointer: Pos2, keep: impl Fn(&Item) -> bool) -> Vec<ItemKey> {
    let near = Rect::from_center_size(pointer, egui::Vec2::splat(2.0 * (TOLERANCE_PX + 14.0)));
    let area = frame.transform.lonlat_rect(near);
    let at = Point::from(frame.transform.to_lonlat(pointer));
    let mut found: Vec<ItemKey> = [frame.scene, frame.overlay]
        .into_iter()
        .flat_map(|scene| {
            scene
                .items_in(area)
                .into_iter()
                .map(move |i| &scene.items[i])
        })
        .filter(|item| matches!(item.key, ItemKey::Feature(_)) && frame.shown(item) && keep(item))
        .filter(|item| is_hit(frame, item, pointer, at))
        .map(|item| item.key.clone())
        .collect();
    found.reverse();
    // A feature drawn as several items (a symbol and its line) is listed once.
    let mut once: Vec<ItemKey> = Vec::with_capacity(found.len());
    for key in found {
        if !once.contains(&key) {
            once.push(key);
        }
    }
    once
}

/// Whether the pointer (at `at`, lon/lat) is on the item: on its symbol, within half its
/// width of its line, or inside its area.
fn is_hit(frame: &MapFrame<'_>, item: &Item, pointer: Pos2, at: Point<f64>) -> bool {
    let r = item.paint.symbol_px.unwrap_or(6.0) * frame.symbol_scale * 0.5 + TOLERANCE_PX;
    if item
        .points
        .iter()
        .any(|m| frame.transform.to_screen(*m).distance(pointer) <= r)
    {
        return true;
    }
    let is_area = item.lods.first().is_some_and(|l| l.fill.is_some());
    if is_area {
        return item.geometry.as_ref().is_some_and(|g| g.contains(&at));
    }
    let half_width = item.paint.width_px.unwrap_or(1.0) * 0.5 + TOLERANCE_PX;
    item.lod_for(frame.transform.deg_per_px())
        .is_some_and(|lod| {
            lod.lines.iter().any(|line| {
                frame
                    .screen_line(line)
                    .windows(2)
                    .any(|w| distance_to_segment(pointer, w[0], w[1]) <= half_width)
            })
        })
}

pub fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len_sq = ab.length_sq();
    if len_sq <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len_sq).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn distance_to_a_segment_is_measured_to_its_nearest_point() {
        assert_eq!(
            distance_to_segment(pos2(5.0, 3.0), pos2(0.0, 0.0), pos2(10.0, 0.0)),
            3.0
        );
        assert_eq!(
            distance_to_segment(pos2(13.0, 4.0), pos2(0.0, 0.0), pos2(10.0, 0.0)),
            5.0
        );
    }
}
