//! The open project: the project itself, where it lives, what is on disk, and its sketch
//! layers as loaded. Whether it has unsaved changes is a comparison with what was saved, so
//! undoing back to the saved state is clean again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::io::geojson_import::ImportedFeature;
use crate::io::sketch::load_sketch;
use crate::map::Scene;
use crate::map::scene::SKETCH_PREFIX;
use crate::model::project::{Placement, Project};
use crate::model::style::Style;
use crate::model::{FeatureId, PlanFeature};

/// A sketch layer as loaded: its features, or why they could not be read (a missing
/// referenced file, for instance). The reference in the project is never changed by this.
#[derive(Clone, Debug)]
pub enum SketchState {
    Loaded(Vec<ImportedFeature>),
    /// Why, in both interface languages.
    Missing(crate::model::Bilingual),
}

pub struct Document {
    pub project: Project,
    /// The project file, once saved or opened.
    pub path: Option<PathBuf>,
    /// What was last read from or written to disk.
    saved: Project,
    pub sketches: BTreeMap<String, SketchState>,
    /// The project's own features (placements and sketches) in map form.
    pub features: Vec<PlanFeature>,
    pub overlay: Scene,
    /// Undo and redo of this project's edits; a new document starts with none.
    pub history: crate::edit::History,
    /// Bumped by every rebuild, so that what is derived from the project knows when to redo.
    pub revision: u64,
    /// Open for review: panels show no controls that would change the project.
    pub read_only: bool,
    /// The plan edition the project's sketches apply to (set by the app).
    base_plan: Option<std::sync::Arc<crate::model::Plan>>,
    /// What the project's sketches do to the plan, as of the last rebuild.
    pub sketch: SketchState2,
}

/// The project's sketch of the plan, as applied to the baseline.
#[derive(Clone, Debug, Default)]
pub struct SketchState2 {
    /// Added or modified plan features, drawn as sketches.
    pub sketched: std::collections::BTreeSet<FeatureId>,
    /// Baseline features the sketch removes or replaces (hidden when sketches show alone).
    pub replaced: std::collections::BTreeSet<FeatureId>,
    /// Overrides whose baseline feature is gone from this edition.
    pub orphans: Vec<String>,
}

impl Document {
    pub fn new(project: Project, path: Option<PathBuf>, style: &Style) -> Self {
        let mut doc = Self {
            saved: project.clone(),
            project,
            path,
            sketches: BTreeMap::new(),
            features: Vec::new(),
            overlay: Scene::build_overlay(&[], style),
            history: crate::edit::History::default(),
            revision: 0,
            read_only: false,
            base_plan: None,
            sketch: SketchState2::default(),
        };
        doc.reload_sketches();
        doc.rebuild(style);
        doc
    }

    /// Sets the plan the project's sketches apply to, and rebuilds.
    pub fn set_base_plan(&mut self, plan: std::sync::Arc<crate::model::Plan>, style: &Style) {
        self.base_plan = Some(plan);
        self.rebuild(style);
    }

    pub fn is_dirty(&self) -> bool {
        self.project != self.saved
    }

    /// Treats the project as it is now as unchanged (review mode: navigation is not an edit).
    pub fn accept_as_saved(&mut self) {
        self.saved = self.project.clone();
    }

    /// Records that the project as it is now is what is on disk at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved = self.project.clone();
    }

    /// The folder referenced files are relative to.
    pub fn dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_owned)
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
    }

    /// "name.onemap •" style title for the window.
    pub fn title(&self) -> String {
        let name = self
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.project.meta.title_zh.clone());
        let dirty = if self.is_dirty() { " •" } else { "" };
        format!("{name}{dirty} — OneMap 上海大都市圈一张图")
    }

    /// Reads every sketch layer again (after opening, or after a file was located).
    pub fn reload_sketches(&mut self) {
        let dir = self.dir();
        self.sketches = self
            .project
            .sketch_layers
            .iter()
            .map(|(name, layer)| {
                let state = match load_sketch(&dir, name, layer) {
                    Ok(f) => SketchState::Loaded(f),
                    Err(e) => SketchState::Missing(crate::model::Bilingual::new(
                        e.in_language(crate::model::UiLanguage::Chinese),
                        e.in_language(crate::model::UiLanguage::English),
                    )),
                };
                (name.clone(), state)
            })
            .collect();
    }

    /// Rebuilds the map form of the project's features; call after every project change.
    pub fn rebuild(&mut self, style: &Style) {
        let mut features: Vec<PlanFeature> = self
            .project
            .placements
            .iter()
            .map(|(id, p)| placement_feature(&id.0, p))
            .collect();
        for (name, state) in &self.sketches {
            let label_field = self
                .project
                .sketch_layers
                .get(name)
                .and_then(|l| l.label_field.as_deref());
            if let SketchState::Loaded(fs) = state {
                for (i, f) in fs.iter().enumerate() {
                    let mut properties: BTreeMap<String, Value> =
                        f.properties.clone().into_iter().collect();
                    if let Some(field) = label_field {
                        label_by(&mut properties, field);
                    }
                    properties
                        .entry("name_zh".into())
                        .or_insert_with(|| Value::String(name.clone()));
                    properties.insert("sketch_layer".into(), Value::String(name.clone()));
                    features.push(PlanFeature {
                        id: FeatureId(format!("sketch.{name}.{i}")),
                        layer: format!("{SKETCH_PREFIX}{name}"),
                        geometry: f.geometry.clone(),
                        properties,
                    });
                }
            }
        }
        self.sketch = SketchState2::default();
        if let Some(base) = &self.base_plan
            && !self.project.plan_overrides.is_empty()
        {
            let effective = crate::model::overrides::apply(base, &self.project.plan_overrides);
            for id in effective.sketched.keys() {
                if let Some(f) = effective.plan.feature(id) {
                    features.push(f.clone());
                }
                if effective.sketched.get(id) == Some(&"modified") {
                    self.sketch.replaced.insert(id.clone());
                }
            }
            self.sketch.sketched = effective.sketched.keys().cloned().collect();
            self.sketch.replaced.extend(effective.removed);
            self.sketch.orphans = effective.orphans;
        }
        self.overlay = Scene::build_overlay(&features, style);
        self.features = features;
        self.revision = next_revision();
    }

    pub fn feature(&self, id: &FeatureId) -> Option<&PlanFeature> {
        self.features.iter().find(|f| &f.id == id)
    }
}

/// Labels a data layer's feature by one of its attributes: the value becomes its name in both
/// languages, and `label_field` tells the map to draw it (`map::scene`).
fn label_by(properties: &mut BTreeMap<String, Value>, field: &str) {
    let text = match properties.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return,
        Some(other) => other.to_string(),
    };
    properties.insert("name_zh".into(), Value::String(text.clone()));
    properties.insert("name_en".into(), Value::String(text));
    properties.insert(
        crate::model::style::LABEL_FIELD.into(),
        Value::String(field.to_owned()),
    );
}

/// Revisions are unique across documents, so that a newly opened project never looks like
/// one whose checks are already done.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A placement in the form the map, inspector and search use.
pub fn placement_feature(id: &str, p: &Placement) -> PlanFeature {
    let mut props: BTreeMap<String, Value> = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        props.insert(k.to_owned(), v);
    };
    put("id", id.into());
    put("name_zh", p.name_zh.clone().into());
    put("name_en", p.name_en.clone().into());
    put("kind", p.action.clone().into());
    put("action", p.action.clone().into());
    put(
        "status",
        if p.indicative {
            "indicative"
        } else {
            "sourced"
        }
        .into(),
    );
    put("project_status", p.status.as_str().into());
    put("horizon", p.horizon.into());
    if let Some(s) = &p.section {
        put("section", s.clone().into());
    }
    if let Some(c) = &p.lead_city {
        put("lead_city", c.clone().into());
    }
    put(
        "participants",
        Value::Array(p.participants.iter().cloned().map(Value::String).collect()),
    );
    put("description", p.description.clone().into());
    put("source", p.source.clone().into());
    put("comments", p.comments.len().into());
    PlanFeature {
        id: FeatureId(id.to_owned()),
        layer: "placements".into(),
        geometry: p.geometry.to_geo(),
        properties: props,
    }
}
