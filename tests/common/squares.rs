//! A data layer "big" of small squares around Shanghai, for the map's drawing tests.

use std::collections::BTreeMap;

use onemap::map::scene::SKETCH_PREFIX;
use onemap::model::project::{SketchLayer, SketchSource};
use onemap::model::{FeatureId, PlanFeature};

/// Where the grid starts, its squares' pitch and side, in degrees.
pub struct Grid {
    pub origin: (f64, f64),
    pub pitch: f64,
    pub side: f64,
}

/// `n` squares of `grid`, 80 to a row, the first `moved` of them shifted 0.002° east.
pub fn squares(grid: &Grid, n: usize, moved: usize) -> Vec<PlanFeature> {
    (0..n)
        .map(|i| {
            let shift = if i < moved { 0.002 } else { 0.0 };
            let x = grid.origin.0 + (i % 80) as f64 * grid.pitch + shift;
            let y = grid.origin.1 + (i / 80) as f64 * grid.pitch;
            let s = grid.side;
            let ring = vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s)];
            PlanFeature {
                id: FeatureId(format!("p{i}")),
                layer: format!("{SKETCH_PREFIX}big"),
                geometry: geo::Polygon::new(ring.into(), vec![]).into(),
                properties: BTreeMap::new(),
            }
        })
        .collect()
}

/// The project's entry for the layer "big".
pub fn big_layer(visible: bool, opacity: f32) -> BTreeMap<String, SketchLayer> {
    let layer = SketchLayer {
        name: "big".into(),
        source: SketchSource::Referenced("big.geojson".into()),
        visible,
        opacity,
        choices: Default::default(),
        label_field: None,
    };
    BTreeMap::from([("big".to_owned(), layer)])
}
