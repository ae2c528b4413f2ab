//! Which plan edition the app draws on: `layers/`, or the team store's edition of the name a
//! project opened from the store records. A file project always draws on `layers/`.

use crate::io::db;

use super::OneMapApp;

/// The edition read from `layers/` at start, kept while a store's edition is in use.
pub(super) struct LayersEdition {
    plan: crate::model::Plan,
    shared: std::sync::Arc<crate::model::Plan>,
    edition: Option<crate::model::edition::Edition>,
}

impl OneMapApp {
    /// Draws the plan from `edition` (a store's), or, without one, from `layers/` again.
    pub(super) fn use_db_edition(&mut self, edition: Option<(db::EditionData, i32)>) {
        let Some((data, version)) = edition else {
            return self.use_layers_edition();
        };
        if self.db.layers_edition.is_none() {
            self.db.layers_edition = Some(LayersEdition {
                plan: self.data.plan.clone(),
                shared: self.data.shared_plan.clone(),
                edition: self.data.edition.clone(),
            });
        }
        self.db.edition = Some((data.edition.id.clone(), version));
        self.data.shared_plan = std::sync::Arc::new(data.plan.clone());
        self.data.plan = data.plan;
        self.data.edition = Some(data.edition);
        self.plan_replaced();
    }

    /// A file project draws on `layers/`: puts it back if a store's edition was in use.
    pub(super) fn use_layers_edition(&mut self) {
        let Some(layers) = self.db.layers_edition.take() else {
            return;
        };
        self.db.edition = None;
        self.data.plan = layers.plan;
        self.data.shared_plan = layers.shared;
        self.data.edition = layers.edition;
        self.plan_replaced();
    }

    /// After the plan changed under the app: its scene, and the style applied to it.
    fn plan_replaced(&mut self) {
        self.scene =
            crate::map::Scene::build(&self.data.plan, &self.data.basemap, &self.data.style);
        self.applied_overrides = None;
        self.checked_revision = None;
    }
}
