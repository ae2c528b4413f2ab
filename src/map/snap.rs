//! Snapping: a pointer near a vertex or a segment of something on the map jumps onto it, so
//! that a sketched line can start exactly on a corridor, a river or a shore.
//!
//! Candidates are the plan features and placements that are shown, and the basemap's shores and
//! rivers (boundaries and labels are not things one draws against). Vertices win over segments
//! within the tolerance, so that a corner is easy to hit.

use egui::{Pos2, Rect, Vec2};
use geo::Coord;

use super::draw::MapFrame;
use super::scene::{Item, ItemKey, Merc};

/// The default pixel tolerance.
pub const TOLERANCE_PX: f32 = 10.0;

/// Basemap layers one can snap to.
const SNAP_BASEMAP_LAYERS: [&str; 2] = ["basemap.land", "basemap.rivers"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapKind {
    Vertex,
    Segment,
}

/// Where the pointer snapped to.
#[derive(Clone, Debug, PartialEq)]
pub struct Snap {
    pub at: Coord<f64>,
    pub screen: Pos2,
    pub kind: SnapKind,
    pub key: ItemKey,
}

/// The snap target within `tolerance_px` of `pointer`, ignoring `exclude` (the feature being
/// edited, which would otherwise hold its own vertex in place).
pub fn snap(
    frame: &MapFrame<'_>,
    pointer: Pos2,
    tolerance_px: f32,
    exclude: Option<&ItemKey>,
) -> Option<Snap> {
    let near = Rect::from_center_size(pointer, Vec2::splat(2.0 * tolerance_px));
    let area = frame.transform.lonlat_rect(near);
    let merc_box = merc_box(frame, near);
    let mut best_vertex: Option<(f32, Merc, &Item)> = None;
    let mut best_segment: Option<(f32, Pos2, &Item)> = None;
    for scene in [frame.scene, frame.overlay] {
        for i in scene.items_in(area) {
            let item = &scene.items[i];
            if !snappable(item) || !frame.shown(item) || Some(&item.key) == exclude {
                continue;
            }
            // The full-detail geometry: a snapped vertex must be a real one.
            let Some(lod) = item.lods.first() else {
                continue;
            };
            let mut consider = |(v, s): (Nearest<Merc>, Nearest<Pos2>)| {
                if let Some((d, m)) = v
                    && best_vertex.is_none_or(|b| d < b.0)
                {
                    best_vertex = Some((d, m, item));
                }
                if let Some((d, p)) = s
                    && best_segment.is_none_or(|b| d < b.0)
                {
                    best_segment = Some((d, p, item));
                }
            };
            for line in &lod.lines {
                consider(nearest_on_line(frame, line.iter(), &merc_box, pointer));
            }
            for m in &item.points {
                consider(nearest_on_line(
                    frame,
                    std::iter::once(*m),
                    &merc_box,
                    pointer,
                ));
            }
        }
    }
    if let Some((_, m, item)) = best_vertex.filter(|b| b.0 <= tolerance_px) {
        // The vertex's own coordinate, not its round trip through Mercator.
        return Some(Snap {
            at: exact_coord(item, m),
            screen: frame.transform.to_screen(m),
            kind: SnapKind::Vertex,
            key: item.key.clone(),
        });
    }
    best_segment
        .filter(|b| b.0 <= tolerance_px)
        .map(|(_, screen, item)| Snap {
            at: frame.transform.to_lonlat(screen),
            screen,
            kind: SnapKind::Segment,
            key: item.key.clone(),
        })
}

/// The coordinate of the item's geometry that projects to `m`, or `m` back in lon/lat. The
/// map keeps its lines' positions as `f32` offsets (see `map::lod`): the vertex is the one
/// nearest `m`, within far less than the distance between two of them.
fn exact_coord(item: &Item, m: Merc) -> Coord<f64> {
    use geo::CoordsIter as _;
    let d2 = |c: Coord<f64>| {
        let p = super::scene::merc(c);
        (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2)
    };
    item.geometry
        .as_ref()
        .and_then(|g| g.coords_iter().min_by(|a, b| d2(*a).total_cmp(&d2(*b))))
        .filter(|c| d2(*c) < SAME_VERTEX * SAME_VERTEX)
        .unwrap_or_else(|| super::scene::lonlat_from_merc(m))
}

/// Within this (normalized Mercator, 4 cm) a stored position is its geometry's vertex.
const SAME_VERTEX: f64 = 1e-9;

fn snappable(item: &Item) -> bool {
    match &item.key {
        ItemKey::Feature(_) => true,
        ItemKey::Basemap(_) => SNAP_BASEMAP_LAYERS.contains(&item.layer.as_str()),
    }
}

/// The Mercator box of a screen rectangle (min and max corners).
fn merc_box(frame: &MapFrame<'_>, r: Rect) -> [Merc; 2] {
    let a = super::scene::merc(frame.transform.to_lonlat(r.min));
    let b = super::scene::merc(frame.transform.to_lonlat(r.max));
    [
        [a[0].min(b[0]), a[1].min(b[1])],
        [a[0].max(b[0]), a[1].max(b[1])],
    ]
}

type Nearest<T> = Option<(f32, T)>;

/// The nearest vertex and the nearest point on a segment of one line. Segments whose box misses
/// the search box are skipped before anything is projected: the shore has many vertices.
fn nearest_on_line(
    frame: &MapFrame<'_>,
    line: impl Iterator<Item = Merc> + Clone,
    b: &[Merc; 2],
    pointer: Pos2,
) -> (Nearest<Merc>, Nearest<Pos2>) {
    let inside =
        |m: &Merc| m[0] >= b[0][0] && m[0] <= b[1][0] && m[1] >= b[0][1] && m[1] <= b[1][1];
    let mut vertex: Nearest<Merc> = None;
    let mut segment: Nearest<Pos2> = None;
    for m in line.clone().filter(|m| inside(m)) {
        let d = frame.transform.to_screen(m).distance(pointer);
        if vertex.is_none_or(|v| d < v.0) {
            vertex = Some((d, m));
        }
    }
    let mut previous: Option<Merc> = None;
    for end in line {
        let Some(start) = previous.replace(end) else {
            continue;
        };
        let (lo_x, hi_x) = (start[0].min(end[0]), start[0].max(end[0]));
        let (lo_y, hi_y) = (start[1].min(end[1]), start[1].max(end[1]));
        if hi_x < b[0][0] || lo_x > b[1][0] || hi_y < b[0][1] || lo_y > b[1][1] {
            continue;
        }
        let (a, c) = (
            frame.transform.to_screen(start),
            frame.transform.to_screen(end),
        );
        let p = nearest_point_on_segment(pointer, a, c);
        let d = p.distance(pointer);
        if segment.is_none_or(|s| d < s.0) {
            segment = Some((d, p));
        }
    }
    (vertex, segment)
}

/// The point of segment `a`–`b` nearest to `p`.
pub fn nearest_point_on_segment(p: Pos2, a: Pos2, b: Pos2) -> Pos2 {
    let ab = b - a;
    let len_sq = ab.length_sq();
    if len_sq <= f32::EPSILON {
        return a;
    }
    let t = ((p - a).dot(ab) / len_sq).clamp(0.0, 1.0);
    a + ab * t
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn the_nearest_point_on_a_segment_is_the_foot_of_the_perpendicular_or_an_end() {
        let (a, b) = (pos2(0.0, 0.0), pos2(10.0, 0.0));
        assert_eq!(
            nearest_point_on_segment(pos2(4.0, 3.0), a, b),
            pos2(4.0, 0.0)
        );
        assert_eq!(nearest_point_on_segment(pos2(-5.0, 1.0), a, b), a);
        assert_eq!(nearest_point_on_segment(pos2(12.0, -2.0), a, b), b);
        assert_eq!(nearest_point_on_segment(pos2(3.0, 3.0), a, a), a);
    }

    #[test]
    fn a_vertex_kept_as_an_f32_offset_snaps_to_the_features_exact_coordinate() {
        // A polygon a few km across: its map form keeps positions as f32 offsets (`map::lod`),
        // which are not the Mercator of its coordinates to the last bit.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let style = crate::io::read_style(&root.join("assets/style.ron")).unwrap();
        let ring = vec![
            (121.123_456_789, 31.234_567_891),
            (121.163_456_789, 31.234_567_891),
            (121.163_456_789, 31.264_567_891),
            (121.123_456_789, 31.264_567_891),
        ];
        let feature = crate::model::PlanFeature {
            id: crate::model::FeatureId("p1".into()),
            layer: "placements".into(),
            geometry: geo::Polygon::new(ring.clone().into(), Vec::new()).into(),
            properties: Default::default(),
        };
        let scene = crate::map::Scene::build_overlay(&[feature], &style);
        let item = scene
            .items
            .iter()
            .find(|i| i.geometry.is_some())
            .expect("the polygon's item, with its geometry");
        let line = item.lods[0].lines.iter().next().expect("its outline");
        let mut vertices = 0;
        for m in line.iter() {
            let exact = exact_coord(item, m);
            assert!(
                ring.iter().any(|&(x, y)| exact == Coord { x, y }),
                "{m:?} gave {exact:?}"
            );
            vertices += 1;
        }
        assert!(vertices >= 4);
    }
}
