//! Sketching the plan itself: the editing tools work on the features of the editable plan
//! layers too, and every change becomes an override in the project, keyed by the feature's id.
//! The baseline files are never written.

use crate::edit::Edit;
use crate::model::FeatureId;
use crate::model::overrides::{EDITABLE_LAYERS, PlanOverride, editable_geometry};
use crate::model::project::{PlacementGeometry, PlacementId};

use super::OneMapApp;

impl OneMapApp {
    /// Whether a feature can be edited with the tools: a placement, or a point, line or
    /// polygon of an editable plan layer (not in review mode).
    pub fn is_editable(&self, id: &FeatureId) -> bool {
        !self.review_mode && self.editable_geometry(id).is_some()
    }

    /// The name and geometry of an editable feature as the project has it now.
    pub fn editable_geometry(&self, id: &FeatureId) -> Option<(String, PlacementGeometry)> {
        if let Some(p) = self.doc.project.placements.get(&PlacementId(id.0.clone())) {
            return Some((p.name_zh.clone(), p.geometry.clone()));
        }
        let f = self.feature(id)?;
        if !EDITABLE_LAYERS.contains(&f.layer.as_str()) {
            return None;
        }
        Some((f.name_zh().to_owned(), editable_geometry(&f.geometry)?))
    }

    /// Gives an editable feature a new geometry: a placement directly, a plan feature as an
    /// override (added features keep being added ones).
    pub(super) fn set_geometry(&mut self, id: &FeatureId, geometry: PlacementGeometry) {
        let pid = PlacementId(id.0.clone());
        if let Some(p) = self.doc.project.placements.get(&pid).cloned() {
            self.edit(Edit::SetPlacement {
                id: pid,
                placement: crate::model::project::Placement { geometry, ..p },
            });
            return;
        }
        let Some(layer) = self.feature(id).map(|f| f.layer.clone()) else {
            return;
        };
        let value = match self.doc.project.plan_overrides.get(&id.0).cloned() {
            Some(PlanOverride::Added {
                layer,
                name_zh,
                name_en,
                kind,
                ..
            }) => PlanOverride::Added {
                layer,
                name_zh,
                name_en,
                kind,
                geometry,
            },
            Some(PlanOverride::Modified {
                name_zh, name_en, ..
            }) => PlanOverride::Modified {
                layer,
                geometry: Some(geometry),
                name_zh,
                name_en,
            },
            _ => PlanOverride::Modified {
                layer,
                geometry: Some(geometry),
                name_zh: None,
                name_en: None,
            },
        };
        self.edit(Edit::SetPlanOverride {
            id: id.0.clone(),
            value: Some(value),
        });
    }

    /// Takes a plan feature out of the sketched plan (a sketched new one is dropped).
    pub(super) fn remove_plan_feature(&mut self, id: &FeatureId) {
        let Some(f) = self.feature(id) else {
            return;
        };
        if !EDITABLE_LAYERS.contains(&f.layer.as_str()) {
            return;
        }
        let value = match self.doc.project.plan_overrides.get(&id.0) {
            Some(PlanOverride::Added { .. }) => None,
            _ => Some(PlanOverride::Removed {
                layer: f.layer.clone(),
            }),
        };
        self.edit(Edit::SetPlanOverride {
            id: id.0.clone(),
            value,
        });
        self.selected = None;
    }

    /// Drops the project's sketch of one feature: the baseline returns.
    pub(super) fn revert_to_plan(&mut self, id: &str) {
        if self.doc.project.plan_overrides.contains_key(id) {
            self.edit(Edit::SetPlanOverride {
                id: id.to_owned(),
                value: None,
            });
        }
    }

    /// Drops every sketch of a layer, as one step.
    pub(super) fn revert_layer(&mut self, layer: &str) {
        let edits: Vec<Edit> = self
            .doc
            .project
            .plan_overrides
            .iter()
            .filter(|(_, o)| o.layer() == layer)
            .map(|(id, _)| Edit::SetPlanOverride {
                id: id.clone(),
                value: None,
            })
            .collect();
        if !edits.is_empty() {
            self.edit(Edit::Batch {
                label: crate::model::Bilingual::new(
                    format!("将 {layer} 的全部草绘还原为规划"),
                    format!("revert all sketches of {layer}"),
                ),
                edits,
            });
        }
    }

    /// A new feature drawn into a plan layer (the draw target `layer:NAME`).
    pub(super) fn add_plan_feature(&mut self, layer: &str, geometry: PlacementGeometry) {
        let prefix = layer.trim_end_matches('s');
        let n = (1..)
            .find(|n| {
                let id = format!("{prefix}.sketch-{n}");
                !self.doc.project.plan_overrides.contains_key(&id)
                    && self.data.plan.feature(&FeatureId(id)).is_none()
            })
            .unwrap_or(1);
        let id = format!("{prefix}.sketch-{n}");
        let kind = self
            .data
            .plan
            .layer(layer)
            .and_then(|l| l.features.first())
            .map(|f| f.kind().to_owned())
            .unwrap_or_default();
        self.edit(Edit::SetPlanOverride {
            id: id.clone(),
            value: Some(PlanOverride::Added {
                layer: layer.to_owned(),
                name_zh: format!("草图 {n}"),
                name_en: format!("Sketch {n}"),
                kind,
                geometry,
            }),
        });
        self.selected = Some(FeatureId(id));
    }
}

impl OneMapApp {
    pub(super) fn export_sketch_layer(&mut self, layer: &str, path: &std::path::Path) {
        let effective =
            crate::model::overrides::apply(&self.data.plan, &self.doc.project.plan_overrides);
        match crate::io::baseline::write_effective_layer(&effective, layer, path) {
            Ok(n) => {
                let text = match self.lang() {
                    crate::model::UiLanguage::Chinese => format!(
                        "已将 {layer} 的 {n} 个要素（基准加草绘）写入 {}",
                        path.display()
                    ),
                    crate::model::UiLanguage::English => format!(
                        "{n} features of {layer} (baseline and sketches) written to {}",
                        path.display()
                    ),
                };
                self.files.info("Sketch exported", text)
            }
            Err(e) => self
                .files
                .error("Could not export the sketch", e.in_language(self.lang())),
        }
    }

    pub(super) fn apply_baseline(&mut self, target: &std::path::Path) {
        let effective =
            crate::model::overrides::apply(&self.data.plan, &self.doc.project.plan_overrides);
        let mut changed: Vec<String> = self
            .doc
            .project
            .plan_overrides
            .values()
            .map(|o| o.layer().to_owned())
            .collect();
        changed.sort();
        changed.dedup();
        match crate::io::baseline::write_new_baseline(
            &self.data.dir.layers(),
            &effective,
            &changed,
            target,
        ) {
            Ok(()) => {
                let text = match self.lang() {
                    crate::model::UiLanguage::Chinese => format!(
                        "{}，其中 {} 个图层有改动；使用前请在 edition.ron 中给它一个新的 id。当前图层没有改变。",
                        target.display(),
                        changed.len()
                    ),
                    crate::model::UiLanguage::English => format!(
                        "{} with {} layer(s) changed; give it a new id in edition.ron before use. The current layers are unchanged.",
                        target.display(),
                        changed.len()
                    ),
                };
                self.files.info("New plan edition written", text)
            }
            Err(e) => self.files.error(
                "Could not write the new plan edition",
                e.in_language(self.lang()),
            ),
        }
    }
}
