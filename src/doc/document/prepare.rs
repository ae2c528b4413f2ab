//! A data layer's map items, prepared on every core. Each feature's item (its map form, its
//! levels of detail, its triangles) depends on that feature alone, and preparing the 50,000
//! features of the 1M-vertex layer took about 110 ms on the UI thread after the import, one
//! core doing it while the other stood idle: the features are cut into one consecutive part
//! per core, and the parts' items joined in file order, so that the overlay is the same.

use crate::io::geojson_import::ImportedFeature;
use crate::map::data_summary::DataLayerSummary;
use crate::map::scene::{Item, data_item};
use crate::model::style::Style;

use super::{DataForm, Document, SketchState};

/// Below this many features per core, one core prepares them all: a thread costs more than
/// it saves on a small layer.
const PER_THREAD_FROM: usize = 2048;

impl Document {
    /// Appends the items of the data layer `name` to `items`, in file order; its summary.
    pub(super) fn prepare_layer(
        &self,
        name: &str,
        style: &Style,
        items: &mut Vec<Item>,
    ) -> DataLayerSummary {
        let features = match self.sketches.get(name) {
            Some(SketchState::Loaded(features)) => features.as_slice(),
            _ => &[],
        };
        let form = self.data_form(name);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let parts = cores.min(features.len() / PER_THREAD_FROM).max(1);
        let part_len = features.len().div_ceil(parts).max(1);
        let form = &form;
        std::thread::scope(|scope| {
            // The first part on this thread; the others on threads of their own, or here too
            // if one cannot be started.
            let others: Vec<_> = features
                .chunks(part_len)
                .enumerate()
                .skip(1)
                .map(|(k, part)| {
                    let start = k * part_len;
                    let spawned = std::thread::Builder::new()
                        .name("onemap data items".into())
                        .spawn_scoped(scope, move || {
                            let mut items = Vec::with_capacity(part.len());
                            let summary = prepare(form, start, part, style, &mut items);
                            (items, summary)
                        });
                    (start, part, spawned.ok())
                })
                .collect();
            let first = &features[..part_len.min(features.len())];
            let mut summary = prepare(form, 0, first, style, items);
            for (start, part, spawned) in others {
                let part_summary = match spawned {
                    Some(handle) => match handle.join() {
                        Ok((part_items, part_summary)) => {
                            items.extend(part_items);
                            part_summary
                        }
                        // As if it had panicked here.
                        Err(panic) => std::panic::resume_unwind(panic),
                    },
                    None => prepare(form, start, part, style, items),
                };
                summary = summary.merged(part_summary);
            }
            summary
        })
    }
}

/// The items of `features` (the layer's from index `start` on), appended to `items`; their
/// summary.
fn prepare(
    form: &DataForm<'_>,
    start: usize,
    features: &[ImportedFeature],
    style: &Style,
    items: &mut Vec<Item>,
) -> DataLayerSummary {
    let mut summary = DataLayerSummary::default();
    for (i, f) in features.iter().enumerate() {
        let f = form.plan_feature(start + i, f);
        summary.add(&f);
        items.extend(data_item(&f, style));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::attributes::Attributes;

    /// `n` small squares in a row, every third marked indicative, each named.
    fn squares(n: usize) -> Vec<ImportedFeature> {
        (0..n)
            .map(|i| {
                let (x, y) = (
                    121.0 + (i % 200) as f64 * 0.002,
                    31.0 + (i / 200) as f64 * 0.002,
                );
                let ring = vec![
                    (x, y),
                    (x + 0.001, y),
                    (x + 0.001, y + 0.001),
                    (x, y + 0.001),
                ];
                let square = geo::Polygon::new(ring.into(), Vec::new());
                let mut properties = Attributes::default();
                properties.insert("name".into(), format!("square {i}").into());
                if i % 3 == 0 {
                    properties.insert("status".into(), "indicative".into());
                }
                ImportedFeature {
                    geometry: square.into(),
                    properties,
                    id: None,
                }
            })
            .collect()
    }

    #[test]
    fn a_large_layer_prepared_in_parts_is_prepared_as_in_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let style = crate::io::read_style(&root.join("assets/style.ron")).unwrap();
        let project =
            crate::io::load_project(&root.join("assets/projects/sma-2022.onemap")).unwrap();
        let mut doc = Document::new(project, None, &style);
        // Parts on two cores or more, with a last part shorter than the others.
        let n = 4 * PER_THREAD_FROM + 7;
        doc.sketches
            .insert("big".into(), SketchState::Loaded(squares(n)));
        let mut in_parts = Vec::new();
        let summary = doc.prepare_layer("big", &style, &mut in_parts);
        let mut in_one = Vec::new();
        let Some(SketchState::Loaded(features)) = doc.sketches.get("big") else {
            unreachable!()
        };
        let one = prepare(&doc.data_form("big"), 0, features, &style, &mut in_one);
        assert_eq!(summary, one);
        assert_eq!(
            (summary.features, summary.not_indicative),
            (n, n - n.div_ceil(3))
        );
        assert_eq!(in_parts.len(), n);
        for (a, b) in in_parts.iter().zip(&in_one) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
        // File order: the n-th item is the n-th feature.
        let last = crate::map::scene::ItemKey::Feature(super::super::data_feature_id("big", n - 1));
        assert_eq!(in_parts[n - 1].key, last);
    }
}
