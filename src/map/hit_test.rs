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
        return match &item.geometry {
            Some(g) => g.contains(&at),
            None => item
                .lods
                .first()
                .is_some_and(|lod| inside_fill(lod, super::scene::merc(at.0))),
        };
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

/// Whether `m` is inside the level's filled rings (even-odd: a hole's inside is out), in
/// Mercator, where the outline is drawn straight.
fn inside_fill(lod: &super::scene::Lod, m: super::scene::Merc) -> bool {
    let Some(fill) = &lod.fill else {
        return false;
    };
    let mut inside = false;
    for ring in lod.lines.from_line(fill.first_ring) {
        for (a, b) in ring.segments() {
            if (a[1] > m[1]) != (b[1] > m[1])
                && m[0] < a[0] + (m[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0])
            {
                inside = !inside;
            }
        }
    }
    inside
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
    fn a_fill_without_its_lon_lat_is_hit_inside_its_rings_not_in_its_holes() {
        use geo::{LineString, Polygon};
        let ring = |x0: f64, y0: f64, d: f64| {
            LineString::from(vec![
                (x0, y0),
                (x0 + d, y0),
                (x0 + d, y0 + d),
                (x0, y0 + d),
                (x0, y0),
            ])
        };
        let square = Polygon::new(ring(121.0, 31.0, 0.1), vec![ring(121.04, 31.04, 0.02)]);
        let lods = crate::map::lod::levels(vec![], vec![square], 10, true);
        let at = |x: f64, y: f64| crate::map::scene::merc(geo::Coord { x, y });
        assert!(inside_fill(&lods[0], at(121.01, 31.01)));
        assert!(inside_fill(&lods[0], at(121.09, 31.09)));
        assert!(!inside_fill(&lods[0], at(121.05, 31.05)), "in the hole");
        assert!(!inside_fill(&lods[0], at(121.11, 31.05)), "east of it");
        assert!(!inside_fill(&lods[0], at(121.05, 30.99)), "south of it");
        let unfilled = crate::map::lod::levels(vec![], vec![], 0, true);
        assert!(!inside_fill(&unfilled[0], at(121.05, 31.05)));
    }

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
