//! A plan edition: the layers read from a `layers/` folder.

use std::collections::BTreeMap;

use super::feature::{FeatureId, PlanFeature};
use super::region::Region;

/// One plan layer, read from one GeoJSON FeatureCollection. Features keep the file's order.
#[derive(Clone, Debug, Default)]
pub struct PlanLayer {
    /// The file's stem, e.g. `corridors`; style and settings refer to the layer by it.
    pub id: String,
    /// The collection's top-level `note`, which says when the whole layer is our sketch.
    pub note: Option<String>,
    /// The layer whose features this one describes again, under the same ids (foreign member
    /// `same_ids_as`): `city_boundaries` gives the territories of the `cities`.
    pub same_ids_as: Option<String>,
    pub features: Vec<PlanFeature>,
}

/// All layers of a plan edition, by layer id.
#[derive(Clone, Debug)]
pub struct Plan {
    pub region: Region,
    pub layers: BTreeMap<String, PlanLayer>,
}

impl Plan {
    pub fn new(region: Region) -> Self {
        Self {
            region,
            layers: BTreeMap::new(),
        }
    }

    /// Every feature of every layer, layers in id order.
    pub fn features(&self) -> impl Iterator<Item = &PlanFeature> {
        self.layers.values().flat_map(|l| l.features.iter())
    }

    pub fn layer(&self, id: &str) -> Option<&PlanLayer> {
        self.layers.get(id)
    }

    pub fn feature(&self, id: &FeatureId) -> Option<&PlanFeature> {
        self.features().find(|f| &f.id == id)
    }
}
