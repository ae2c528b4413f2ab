//! Which plan feature is under the pointer. Points win over lines, lines over areas, and of
//! overlapping areas the smallest wins, so that a small zone inside a large one can be picked.

use egui::{Pos2, Rect};
use geo::{Area, Contains, Point};

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
    let near = Rect::from_center_size(pointer, egui::Vec2::splat(2.0 * (TOLERANCE_PX + 14.0)));
    let area = frame.transform.lonlat_rect(near);
    let candidates: Vec<&Item> = [frame.scene, frame.overlay]
        .into_iter()
        .flat_map(|scene| {
            scene
                .items_in(area)
                .into_iter()
                .map(move |i| &scene.items[i])
        })
        .filter(|item| matches!(item.key, ItemKey::Feature(_)) && frame.shown(item) && keep(item))
        .collect();
    let point_hit = candidates.iter().rev().find(|item| {
        let r = item.paint.symbol_px.unwrap_or(6.0) * frame.symbol_scale * 0.5 + TOLERANCE_PX;
        item.points
            .iter()
            .any(|m| frame.transform.to_screen(*m).distance(pointer) <= r)
    });
    if let Some(item) = point_hit {
        return Some(item.key.clone());
    }
    let is_area = |item: &Item| item.lods.first().is_some_and(|l| l.fill.is_some());
    let line_hit = candidates
        .iter()
        .rev()
        .filter(|i| !is_area(i))
        .find(|item| {
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
        });
    if let Some(item) = line_hit {
        return Some(item.key.clone());
    }
    let at = Point::from(frame.transform.to_lonlat(pointer));
    candidates
        .iter()
        .filter(|i| is_area(i))
        .filter_map(|item| {
            let g = item.geometry.as_ref()?;
            g.contains(&at).then(|| (g.unsigned_area(), item))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, item)| item.key.clone())
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
