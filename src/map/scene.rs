//! The map's prepared geometry: everything that can be computed once, not per frame.
//!
//! Coordinates are kept in normalized Web Mercator (0..1 over the world, as walkers projects),
//! because screen positions are then one multiply-add away (see [`ScreenTransform`]). Polygons
//! are triangulated once (egui only fills convex shapes), large geometries get coarser levels
//! of detail, and every item's lon/lat box goes into an R-tree for culling and hit tests.

use geo::{
    BoundingRect, Coord, CoordsIter, Euclidean, Geometry, InteriorPoint, InterpolatableLine,
    LineString, MultiPolygon, Polygon, Rect,
};
use std::sync::{Arc, OnceLock};

use rstar::RTree;

use crate::model::style::{LabelPaint, LayerStyle, Paint, Style};
use crate::model::{Basemap, FeatureId, Plan, PlanFeature};

pub use super::lod::{FillMesh, Line, Lod};

mod index;
mod shared;
use super::lod::{HUGE_VERTICES, thinned_polygon};
use index::{IndexEntry, extent_of, index_entries};
pub use shared::Name;

/// A point in normalized Web Mercator: x and y in 0..1, y growing southwards.
pub type Merc = [f64; 2];

/// Normalized Web Mercator of a lon/lat coordinate, exactly as walkers projects it.
pub fn merc(c: Coord<f64>) -> Merc {
    let x = (1.0 + c.x.to_radians() / std::f64::consts::PI) / 2.0;
    // Mercator's asinh(tan φ), as ln((1 + sin φ) / (1 − sin φ)) / 2: equal to within 1e-14
    // and a third of the time (a large file sends a million vertices through here). The
    // poles stay finite.
    let s =
        c.y.to_radians()
            .sin()
            .clamp(-1.0 + f64::EPSILON, 1.0 - f64::EPSILON);
    let y = (1.0 - 0.5 * ((1.0 + s) / (1.0 - s)).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// The lon/lat of a normalized Web Mercator point; the inverse of [`merc`].
pub fn lonlat_from_merc(m: Merc) -> Coord<f64> {
    let lon = (m[0] * 2.0 - 1.0) * 180.0;
    let lat = ((1.0 - m[1] * 2.0) * std::f64::consts::PI)
        .sinh()
        .atan()
        .to_degrees();
    Coord { x: lon, y: lat }
}

/// What an item on the map is: a plan feature, or a part of the basemap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKey {
    Feature(FeatureId),
    Basemap(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelPlacement {
    /// To the right of a point symbol.
    BesidePoint,
    /// Centred on the anchor (areas, lines, water names).
    Centred,
}

#[derive(Clone, Debug)]
pub struct Label {
    pub name_zh: String,
    pub name_en: String,
    pub anchor: Merc,
    pub paint: LabelPaint,
    pub placement: LabelPlacement,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub key: ItemKey,
    /// Shared by the items of a group or layer (see `shared`).
    pub group: Name,
    pub layer: Name,
    pub draw_order: u32,
    /// Shared by consecutive items with the same paint.
    pub paint: Arc<Paint>,
    pub tier: Option<u8>,
    /// Lon/lat bounding box.
    pub bbox: Rect<f64>,
    /// Finest first.
    pub lods: Box<[Lod]>,
    pub points: Box<[Merc]>,
    /// Boxed, as the geometry: most of a large data layer's items have none, and an item is
    /// kept for every feature (8 bytes each instead of the label's 80 and the geometry's 56).
    pub label: Option<Box<Label>>,
    /// The lon/lat geometry, kept for hit tests and snapping on plan features and
    /// placements; `None` for data layers' features (hit tests use their finest level).
    pub geometry: Option<Box<Geometry<f64>>>,
    /// An item of the project's overlay (placements, sketches), not of the plan's scene.
    pub from_project: bool,
    /// Our sketch (`status: indicative`), drawn as one (see `map::indicative`).
    pub indicative: bool,
    /// Drawn only from this map zoom on (the basemap's towns); `None`: at every zoom.
    pub min_zoom: Option<f64>,
}

impl Item {
    /// The coarsest level of detail whose error stays under about a pixel.
    pub fn lod_for(&self, deg_per_px: f64) -> Option<&Lod> {
        self.lods
            .iter()
            .rev()
            .find(|l| l.tolerance_deg <= 0.7 * deg_per_px)
            .or_else(|| self.lods.first())
    }
}

/// Sorts items by draw order, stably (items of one layer keep their file order). The order is
/// found on (draw order, position) pairs and the items moved into it in place: a stable sort
/// of the items themselves takes scratch room for half of them (9.4 MB, a tenth of the
/// document's peak with the 1M-vertex layer, heaptrack).
fn in_draw_order(items: &mut [Item]) {
    if items.is_sorted_by_key(|i| i.draw_order) {
        return;
    }
    let mut order: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .map(|(k, item)| (item.draw_order, k))
        .collect();
    // The pairs are unique, so an unstable sort orders them as a stable one would.
    order.sort_unstable();
    // `from[k]`: the position whose item goes to position `k`. Each cycle of the permutation
    // is followed once, by swaps; a position done points to itself.
    let mut from: Vec<usize> = order.into_iter().map(|(_, k)| k).collect();
    for start in 0..items.len() {
        let mut at = start;
        while from[at] != at {
            let next = from[at];
            from[at] = at;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Everything the map draws, in drawing order. A clone is cheap and shares the items and the
/// index: the map's canvas (see `map::canvas`) paints a clone on another thread.
#[derive(Clone)]
pub struct Scene {
    pub items: Arc<Vec<Item>>,
    /// The basemap's frame in Mercator (north-west and south-east corners), if it has one.
    pub frame: Option<[Merc; 2]>,
    /// The project's overlay: each data layer summed up, for the legend (by `sketch:ID`).
    pub data_layers: std::collections::BTreeMap<String, super::data_summary::DataLayerSummary>,
    /// Built on the first query that does not take in every item (a hit test, a snap, a view
    /// zoomed in): an export or a view of the whole layer never needs it, and bulk-loading it
    /// for 50,000 items is a serial step of ~15 ms on the thread that builds the scene.
    index: Arc<OnceLock<RTree<IndexEntry>>>,
    /// The union of the items' boxes, `None` when there are none or one is not finite (then
    /// every query goes through the index).
    extent: Option<Rect<f64>>,
    /// Unique to this build of the scene: a scene's items change only by building a new one,
    /// so a picture painted from it (see `map::paint_cache`) is current while this is.
    revision: u64,
}

/// The revision of the next scene built.
static NEXT_REVISION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Scene {
    pub fn build(plan: &Plan, basemap: &Basemap, style: &Style) -> Self {
        let mut items = Vec::new();
        super::basemap_items::add_basemap(&mut items, basemap, style);
        for layer in plan.layers.values() {
            let Some(layer_style) = style.layer(&layer.id) else {
                log::warn!(
                    "layer {} has no style in assets/style.ron and is not drawn",
                    layer.id
                );
                continue;
            };
            let group = group_id(style, &layer.id);
            for f in &layer.features {
                let mut item = feature_item(f, layer_style, &group);
                item.geometry = Some(Box::new(f.geometry.clone()));
                items.push(item);
            }
        }
        Self::from_items(items, basemap)
    }

    /// The project's own features (placements, sketch layers) as a scene of their own, drawn
    /// over the plan; rebuilt when the project changes, unlike the plan's scene.
    pub fn build_overlay(features: &[PlanFeature], style: &Style) -> Self {
        Self::build_overlay_reusing(features, style, None)
    }

    /// Like [`Self::build_overlay`], taking the items of `previous` (the features an overlay
    /// was built from with the same style, and that overlay) for the features that have not
    /// changed: after an edit only what changed is prepared again, not a huge outline beside it
    /// (half a second for 400,000 vertices).
    pub fn build_overlay_reusing(
        features: &[PlanFeature],
        style: &Style,
        previous: Option<(&[PlanFeature], &Scene)>,
    ) -> Self {
        Self::build_overlay_with_data(features, style, previous, Vec::new(), Default::default())
    }

    /// Like [`Self::build_overlay_reusing`], with the items of the project's data layers
    /// prepared by the caller (see [`data_item`]) and their summaries: the document keeps a
    /// data layer's features once, and makes each feature's map form only while its item is
    /// prepared, instead of holding a copy of a large layer for this.
    pub fn build_overlay_with_data(
        features: &[PlanFeature],
        style: &Style,
        previous: Option<(&[PlanFeature], &Scene)>,
        data_items: Vec<Item>,
        data_layers: std::collections::BTreeMap<String, super::data_summary::DataLayerSummary>,
    ) -> Self {
        use std::collections::HashMap;
        // The previous items by feature id, with the feature each was prepared from.
        let previous: HashMap<&FeatureId, (&PlanFeature, &Item)> = match previous {
            Some((old_features, old)) => {
                let by_id: HashMap<&FeatureId, &PlanFeature> =
                    old_features.iter().map(|f| (&f.id, f)).collect();
                old.items
                    .iter()
                    .filter_map(|item| match &item.key {
                        ItemKey::Feature(id) => by_id.get(id).map(|f| (&f.id, (*f, item))),
                        ItemKey::Basemap(_) => None,
                    })
                    .collect()
            }
            None => HashMap::new(),
        };
        // The data items (a large layer's 50,000) are the vector the others join, in front of
        // them and in their order: a second buffer of that size is not made.
        let mut items = data_items;
        let data_count = items.len();
        items.extend(features.iter().filter_map(|f| {
            if let Some((old, item)) = previous.get(&f.id)
                && *old == f
            {
                return Some((*item).clone());
            }
            let mut item = overlay_item(f, style)?;
            // A data layer's features are kept by the document already (and are not
            // edited on the map): a third copy of a large layer's lon/lat is not needed
            // for hit tests, which use its Mercator rings (see `map::hit_test`).
            if !f.layer.starts_with(SKETCH_PREFIX) {
                item.geometry = Some(Box::new(f.geometry.clone()));
            }
            Some(item)
        }));
        items.rotate_left(data_count);
        let mut scene = Self::from_items(items, &Basemap::default());
        scene.data_layers = super::data_summary::summarize(features);
        scene.data_layers.extend(data_layers);
        scene
    }

    /// Takes the items `take` picks out of the scene (in drawing order), leaving the rest: a
    /// data layer's items that the next overlay reuses are moved, not copied.
    pub fn take_items(&mut self, take: impl Fn(&Item) -> bool) -> Vec<Item> {
        // The items are shared with the map canvas's worker while it paints this scene: then
        // (and only then) they are copied rather than moved.
        let items = std::sync::Arc::try_unwrap(std::mem::take(&mut self.items))
            .unwrap_or_else(|shared| (*shared).clone());
        let (taken, kept): (Vec<Item>, Vec<Item>) = items.into_iter().partition(take);
        let frame = self.frame;
        let data_layers = std::mem::take(&mut self.data_layers);
        *self = Self::from_items(kept, &Basemap::default());
        self.frame = frame;
        self.data_layers = data_layers;
        taken
    }

    /// Like [`Self::build_overlay`], for drawing only, at `px_deg` degrees of longitude a
    /// pixel: the geometries are first simplified to the pixel (see
    /// [`super::lod::simplified_to_pixel`]; the fills are made of the vertices kept, so
    /// fewer triangles to make, tessellate and rasterize), the items keep no lon/lat geometry
    /// (so hit tests cannot pick them), and each feature is dropped once it is prepared. For
    /// exports of large files, where copies would double the memory.
    pub fn build_overlay_for_drawing(
        mut features: Vec<PlanFeature>,
        style: &Style,
        px_deg: f64,
    ) -> Self {
        let data_layers = super::data_summary::summarize(&features);
        // Features are independent: prepared on every core, in order.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per_thread = features.len().div_ceil(threads).max(1);
        let mut parts = Vec::new();
        while features.len() > per_thread {
            let rest = features.split_off(per_thread);
            parts.push(features);
            features = rest;
        }
        parts.push(features);
        let total = parts.iter().map(Vec::len).sum();
        let prepare = |part: Vec<PlanFeature>, items: &mut Vec<Item>| {
            items.extend(part.into_iter().filter_map(|mut f| {
                f.geometry = super::lod::simplified_to_pixel(f.geometry, px_deg);
                overlay_item(&f, style)
            }));
        };
        let mut parts = parts.into_iter();
        let first = parts.next().unwrap_or_default();
        let items: Vec<Item> = std::thread::scope(|scope| {
            let others: Vec<_> = parts
                .map(|part| {
                    scope.spawn(move || {
                        let mut items = Vec::with_capacity(part.len());
                        prepare(part, &mut items);
                        items
                    })
                })
                .collect();
            // The first part on this thread, into room for all: only the others' items are
            // moved (collecting every part's into a new list copied some 7 MB on one core).
            let mut items = Vec::with_capacity(total);
            prepare(first, &mut items);
            for other in others {
                // A panic while preparing is a bug: it goes on up, nothing is left out silently.
                items.extend(
                    other
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                );
            }
            items
        });
        let mut scene = Self::from_items(items, &Basemap::default());
        scene.data_layers = data_layers;
        scene
    }

    fn from_items(mut items: Vec<Item>, basemap: &Basemap) -> Self {
        in_draw_order(&mut items);
        let extent = extent_of(&items);
        let frame = basemap.frame.map(|r| {
            [
                merc(Coord {
                    x: r.min().x,
                    y: r.max().y,
                }),
                merc(Coord {
                    x: r.max().x,
                    y: r.min().y,
                }),
            ]
        });
        Self {
            items: Arc::new(items),
            frame,
            data_layers: Default::default(),
            index: Arc::new(OnceLock::new()),
            extent,
            revision: NEXT_REVISION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Indices of the items whose box meets the lon/lat rectangle, in drawing order.
    pub fn items_in(&self, rect: Rect<f64>) -> Vec<usize> {
        let takes_in_all = self.extent.is_some_and(|e| {
            rect.min().x <= e.min().x
                && rect.min().y <= e.min().y
                && rect.max().x >= e.max().x
                && rect.max().y >= e.max().y
        });
        if takes_in_all {
            // Every item's box lies inside the extent, so inside `rect`: what the index would
            // find, without building it.
            return (0..self.items.len()).collect();
        }
        let envelope =
            rstar::AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut found: Vec<usize> = self
            .index
            .get_or_init(|| RTree::bulk_load(index_entries(&self.items)))
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// Unique to this build of the scene (see the field).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn item(&self, key: &ItemKey) -> Option<&Item> {
        self.items.iter().find(|i| &i.key == key)
    }
}

/// A data layer feature's item for [`Scene::build_overlay_with_data`] (it keeps no lon/lat
/// geometry: hit tests and snapping use its Mercator rings); `None` when the style has no
/// `sketch` layer.
pub fn data_item(f: &PlanFeature, style: &Style) -> Option<Item> {
    overlay_item(f, style)
}

/// A project feature's item, styled by its layer (sketch layers share the style `sketch`);
/// `None` for a layer the style does not know. Its geometry is left for the caller to set.
fn overlay_item(f: &PlanFeature, style: &Style) -> Option<Item> {
    let style_id = if f.layer.starts_with(SKETCH_PREFIX) {
        "sketch"
    } else {
        f.layer.as_str()
    };
    let mut layer_style = std::borrow::Cow::Borrowed(style.layer(style_id)?);
    if let Some(paint) = style.data_layer_paints.get(&f.layer) {
        let own = layer_style.to_mut();
        own.paint = own.paint.merged(paint);
    }
    // A data layer labelled by an attribute gets a label paint unless its own paint has one.
    if f.properties.contains_key(crate::model::style::LABEL_FIELD)
        && layer_style.paint.label.is_none()
    {
        layer_style.to_mut().paint.label = Some(DATA_LABEL);
    }
    let mut item = feature_item(f, &layer_style, &group_id(style, style_id));
    item.layer = Name::new(&f.layer);
    item.from_project = true;
    Some(item)
}

/// Labels of data layers, by default: small and dark, after the plan's own labels.
const DATA_LABEL: crate::model::style::LabelPaint = crate::model::style::LabelPaint {
    size_px: 12.0,
    color: crate::model::style::Rgba(40, 40, 40, 255),
    priority: 90,
};

/// Data (sketch) layers' ids in the overlay are `sketch:NAME`; they share the style `sketch`,
/// with the project's paint for each over it.
pub const SKETCH_PREFIX: &str = crate::model::style::DATA_LAYER_PREFIX;

fn feature_item(f: &PlanFeature, layer_style: &LayerStyle, group: &str) -> Item {
    let paint = layer_style.paint_for(f);
    let label = paint.label.and_then(|lp| {
        let anchor = label_anchor(&f.geometry)?;
        let placement = match f.geometry {
            Geometry::Point(_) | Geometry::MultiPoint(_) => LabelPlacement::BesidePoint,
            _ => LabelPlacement::Centred,
        };
        Some(Label {
            name_zh: f.name_zh().to_owned(),
            name_en: f.name_en().to_owned(),
            anchor: merc(anchor),
            paint: lp,
            placement,
        })
    });
    let mut item = item_from_geometry(
        ItemKey::Feature(f.id.clone()),
        group,
        layer_style,
        paint,
        &f.geometry,
    );
    item.tier = f.tier();
    item.label = label.map(Box::new);
    item.indicative = crate::model::indicative::is_indicative(f);
    item
}

fn group_id(style: &Style, layer: &str) -> String {
    style
        .group_of(layer)
        .map(|g| g.id.clone())
        .unwrap_or_default()
}

fn label_anchor(g: &Geometry<f64>) -> Option<Coord<f64>> {
    match g {
        Geometry::Point(p) => Some(p.0),
        Geometry::LineString(l) => l.point_at_ratio_from_start(&Euclidean, 0.5).map(|p| p.0),
        Geometry::MultiLineString(m) => {
            m.0.first()?
                .point_at_ratio_from_start(&Euclidean, 0.5)
                .map(|p| p.0)
        }
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) if g.coords_count() > HUGE_VERTICES => {
            // geo's interior point sweeps and relates the whole outline: seconds for 400,000
            // vertices. Thinned to a few thousand, the outline moves by less than a
            // 2,500th of its length; the point sought is the middle of its widest span.
            let radius = outline_length_deg(g) / 5000.0;
            let thinned: Vec<Polygon<f64>> = match g {
                Geometry::Polygon(p) => vec![thinned_polygon(p, radius)],
                Geometry::MultiPolygon(m) => {
                    m.0.iter().map(|p| thinned_polygon(p, radius)).collect()
                }
                _ => Vec::new(),
            };
            MultiPolygon(thinned).interior_point().map(|p| p.0)
        }
        other => other.interior_point().map(|p| p.0),
    }
}

/// The length of all the rings of an area, in degrees.
fn outline_length_deg(g: &Geometry<f64>) -> f64 {
    use geo::{Length, LinesIter};
    match g {
        Geometry::Polygon(p) => p.lines_iter().map(|l| Euclidean.length(&l)).sum(),
        Geometry::MultiPolygon(m) => m.lines_iter().map(|l| Euclidean.length(&l)).sum(),
        _ => 0.0,
    }
}

pub(super) fn item_from_geometry(
    key: ItemKey,
    group: &str,
    style: &LayerStyle,
    paint: Paint,
    g: &Geometry<f64>,
) -> Item {
    let bbox = g
        .bounding_rect()
        .unwrap_or(Rect::new(Coord::zero(), Coord::zero()));
    let mut points = Vec::new();
    let mut lines: Vec<LineString<f64>> = Vec::new();
    let mut polygons: Vec<Polygon<f64>> = Vec::new();
    collect(g, &mut points, &mut lines, &mut polygons);
    let lods = super::lod::levels(lines, polygons, g.coords_count(), paint.fill.is_some());
    Item {
        key,
        group: Name::new(group),
        layer: Name::new(&style.id),
        draw_order: style.draw_order,
        paint: shared::shared_paint(paint),
        tier: None,
        bbox,
        lods: lods.into_boxed_slice(),
        points: points.into_iter().map(merc).collect(),
        label: None,
        geometry: None,
        from_project: false,
        indicative: false,
        min_zoom: None,
    }
}

fn collect(
    g: &Geometry<f64>,
    points: &mut Vec<Coord<f64>>,
    lines: &mut Vec<LineString<f64>>,
    polys: &mut Vec<Polygon<f64>>,
) {
    match g {
        Geometry::Point(p) => points.push(p.0),
        Geometry::MultiPoint(m) => points.extend(m.0.iter().map(|p| p.0)),
        Geometry::Line(l) => lines.push(LineString::from(vec![l.start, l.end])),
        Geometry::LineString(l) => lines.push(l.clone()),
        Geometry::MultiLineString(m) => lines.extend(m.0.iter().cloned()),
        Geometry::Polygon(p) => polys.push(p.clone()),
        Geometry::MultiPolygon(m) => polys.extend(m.0.iter().cloned()),
        Geometry::Rect(r) => polys.push(r.to_polygon()),
        Geometry::Triangle(t) => polys.push(t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            c.0.iter().for_each(|g| collect(g, points, lines, polys))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_equals_the_textbook_formula_and_round_trips() {
        for i in 0..=1700 {
            let lat = -85.0 + i as f64 * 0.1;
            let textbook = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
            let m = merc(Coord { x: 121.5, y: lat });
            assert!(
                (m[1] - textbook).abs() < 1e-14,
                "{lat}: {} vs {textbook}",
                m[1]
            );
            let back = lonlat_from_merc(m);
            assert!((back.y - lat).abs() < 1e-9 && (back.x - 121.5).abs() < 1e-9);
        }
        for pole in [-90.0, 90.0] {
            assert!(merc(Coord { x: 0.0, y: pole })[1].is_finite());
        }
    }

    #[test]
    fn items_are_put_in_draw_order_stably_in_place() {
        let point = Geometry::Point(geo::Point::new(121.0, 31.0));
        let item = |k: usize, order: u32| {
            let style = LayerStyle {
                id: format!("layer{order}"),
                name_zh: String::new(),
                name_en: String::new(),
                draw_order: order,
                visible: true,
                paint: Paint::default(),
                variants: Vec::new(),
            };
            let key = ItemKey::Basemap(format!("{k}"));
            item_from_geometry(key, "g", &style, Paint::default(), &point)
        };
        let orders = [3, 1, 3, 2, 1, 0, 2, 3, 1, 0];
        let mut items: Vec<Item> = orders
            .iter()
            .enumerate()
            .map(|(k, &o)| item(k, o))
            .collect();
        in_draw_order(&mut items);
        let keys: Vec<String> = items
            .iter()
            .map(|i| match &i.key {
                ItemKey::Basemap(k) => k.clone(),
                ItemKey::Feature(f) => f.0.clone(),
            })
            .collect();
        assert_eq!(keys, ["5", "9", "1", "4", "8", "3", "6", "0", "2", "7"]);
        assert!(
            items
                .iter()
                .all(|i| i.layer == format!("layer{}", i.draw_order))
        );
    }
}
