//! The scene's spatial index of its items' boxes, and their union (see [`super::Scene::items_in`]).

use geo::Rect;
use rstar::primitives::{GeomWithData, Rectangle};

use super::Item;

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
