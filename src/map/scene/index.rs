//! The scene's spatial index of its items' boxes, and their union (see [`super::Scene::items_in`]).

use geo::Rect;
use rstar::primitives::{GeomWithData, Rectangle};

use super::{Item, Scene};

impl Scene {
    /// [`Self::items_in`] for a query or two (the bands of a picture): the items' boxes looked
    /// at one by one while the index is not built yet. Building it for the 50,000 items of a
    /// 1M-vertex layer took one core ~10 ms (in an export, the other band's thread waiting for
    /// it); looking at every box takes well under a millisecond.
    pub fn items_in_without_index(&self, rect: Rect<f64>) -> Vec<usize> {
        if self.index.get().is_some() {
            return self.items_in(rect);
        }
        (0..self.items.len())
            .filter(|&i| meets(&self.items[i].bbox, &rect))
            .collect()
    }
}

/// Whether two boxes meet (edges included, as the index's query).
fn meets(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

pub(super) type IndexEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The index's entries: each item's box, with its place in drawing order.
pub(super) fn index_entries(items: &[Item]) -> Vec<IndexEntry> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (min, max) = (item.bbox.min(), item.bbox.max());
            GeomWithData::new(Rectangle::from_corners([min.x, min.y], [max.x, max.y]), i)
        })
        .collect()
}

/// The union of the items' boxes; `None` for no items or a box that is not finite.
pub(super) fn extent_of(items: &[Item]) -> Option<Rect<f64>> {
    let mut boxes = items.iter().map(|item| item.bbox);
    let first = boxes.next()?;
    let (mut min, mut max) = (first.min(), first.max());
    for b in boxes {
        min.x = min.x.min(b.min().x);
        min.y = min.y.min(b.min().y);
        max.x = max.x.max(b.max().x);
        max.y = max.y.max(b.max().y);
    }
    let finite = items.iter().all(|item| {
        let (a, b) = (item.bbox.min(), item.bbox.max());
        a.x.is_finite() && a.y.is_finite() && b.x.is_finite() && b.y.is_finite()
    });
    finite.then(|| Rect::new(min, max))
}

#[cfg(test)]
mod tests {
    use super::super::Scene;
    use geo::{Rect, coord};

    /// What `items_in` must answer: the items whose box meets `rect`, in drawing order.
    fn brute_force(scene: &Scene, rect: Rect<f64>) -> Vec<usize> {
        (0..scene.items.len())
            .filter(|&i| {
                let b = scene.items[i].bbox;
                b.min().x <= rect.max().x
                    && rect.min().x <= b.max().x
                    && b.min().y <= rect.max().y
                    && rect.min().y <= b.max().y
            })
            .collect()
    }

    #[test]
    fn a_query_taking_in_every_item_or_some_finds_what_the_boxes_meet() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let style = crate::io::read_style(&root.join("assets/style.ron")).unwrap();
        let features: Vec<crate::model::PlanFeature> = (0..40)
            .map(|i| {
                let (x, y) = (
                    120.0 + f64::from(i % 8) * 0.2,
                    30.0 + f64::from(i / 8) * 0.2,
                );
                crate::model::PlanFeature {
                    id: crate::model::FeatureId(format!("p{i}")),
                    layer: "placements".into(),
                    geometry: geo::Point::new(x, y).into(),
                    properties: Default::default(),
                }
            })
            .collect();
        let scene = Scene::build_overlay(&features, &style);
        assert!(scene.items.len() >= 40);
        let all = Rect::new(coord! { x: 100.0, y: 20.0 }, coord! { x: 140.0, y: 40.0 });
        let some = Rect::new(coord! { x: 120.1, y: 30.1 }, coord! { x: 120.5, y: 30.5 });
        let none = Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 });
        for rect in [all, some, none, all] {
            let without_index = scene.items_in_without_index(rect);
            assert_eq!(scene.items_in(rect), brute_force(&scene, rect), "{rect:?}");
            assert_eq!(
                without_index,
                brute_force(&scene, rect),
                "{rect:?}, no index yet"
            );
            assert_eq!(
                scene.items_in_without_index(rect),
                without_index,
                "{rect:?}"
            );
        }
        assert_eq!(scene.items_in(all).len(), scene.items.len());
        assert!(!scene.items_in(some).is_empty() && scene.items_in(some).len() < 40);
    }
}
