//! The open project: the project itself, where it lives, what is on disk, and its sketch
//! layers as loaded. Whether it has unsaved changes is a comparison with what was saved, so
//! undoing back to the saved state is clean again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::io::geojson_import::ImportedFeature;
use crate::io::sketch::{LoadedLayer, load_data_layer};
use crate::map::Scene;
use crate::map::scene::SKETCH_PREFIX;
use crate::model::project::{Placement, Project, SketchLayer};
use crate::model::style::Style;
use crate::model::{FeatureId, PlanFeature};

mod prepare;

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
    /// Each loaded data layer's attribute fields, in the file's order (see
    /// [`crate::io::sketch::LoadedLayer`]).
    pub sketch_fields: BTreeMap<String, Vec<String>>,
    /// Bumped whenever the sketch layers are read again, so that what is derived from their
    /// features (an attribute table's order) knows when to redo, and only then.
    pub sketches_generation: u64,
    /// What each data layer's items in [`Self::overlay`] were prepared from (see
    /// [`DataPrepared`]), so that a rebuild after an edit elsewhere reuses them.
    data_prepared: BTreeMap<String, DataPrepared>,
    /// The project's placements and plan sketches in map form. A data layer's features are
    /// not copied here: they live once, in [`Self::sketches`], and [`Self::feature`] and
    /// [`Self::data_features`] make their map form when asked.
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
    /// The style `overlay` was prepared with.
    prepared_with: Option<Style>,
    /// Data layers the import has just read, taken by the next reload instead of reading
    /// their files again when the project's layer is still the one they were read for.
    preloaded: BTreeMap<String, (SketchLayer, LoadedLayer)>,
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
        Self::build(project, path, None, style)
    }

    /// A document whose sketches apply to `plan`, built once: [`Self::new`] then
    /// [`Self::set_base_plan`] would prepare every feature twice (seconds for a huge one).
    pub fn on_plan(
        project: Project,
        path: Option<PathBuf>,
        plan: std::sync::Arc<crate::model::Plan>,
        style: &Style,
    ) -> Self {
        Self::build(project, path, Some(plan), style)
    }

    fn build(
        project: Project,
        path: Option<PathBuf>,
        base_plan: Option<std::sync::Arc<crate::model::Plan>>,
        style: &Style,
    ) -> Self {
        let mut doc = Self {
            saved: project.clone(),
            project,
            path,
            sketches: BTreeMap::new(),
            sketch_fields: BTreeMap::new(),
            sketches_generation: 0,
            data_prepared: BTreeMap::new(),
            features: Vec::new(),
            overlay: Scene::build_overlay(&[], style),
            history: crate::edit::History::default(),
            revision: 0,
            read_only: false,
            base_plan,
            sketch: SketchState2::default(),
            prepared_with: None,
            preloaded: BTreeMap::new(),
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
            .unwrap_or_else(|| match &self.project.origin {
                // Opened from the team store, not saved to a file.
                Some(o) => format!("{}@{}", o.project, o.revision),
                None => self.project.meta.title_zh.clone(),
            });
        let dirty = if self.is_dirty() { " •" } else { "" };
        format!("{name}{dirty} — OneMap 上海大都市圈一张图")
    }

    /// Hands the next [`Self::reload_sketches`] a data layer the import has read already:
    /// used for the layer `id` when the project's layer is `layer` then (its file is not read
    /// a second time), dropped otherwise. The caller vouches that `loaded` is what
    /// `load_data_layer` would read (see `io::sketch::loads_as_imported`).
    pub fn preload(&mut self, id: String, layer: SketchLayer, loaded: LoadedLayer) {
        self.preloaded.insert(id, (layer, loaded));
    }

    /// Reads every sketch layer again (after opening, or after a file was located).
    pub fn reload_sketches(&mut self) {
        let dir = self.dir();
        self.sketches.clear();
        self.sketch_fields.clear();
        let mut preloaded = std::mem::take(&mut self.preloaded);
        for (name, layer) in &self.project.sketch_layers {
            let loaded = match preloaded.remove(name) {
                Some((read_for, loaded)) if read_for == *layer => Ok(loaded),
                _ => load_data_layer(&dir, name, layer),
            };
            let state = match loaded {
                Ok(loaded) => {
                    self.sketch_fields.insert(name.clone(), loaded.fields);
                    SketchState::Loaded(loaded.features)
                }
                Err(e) => SketchState::Missing(crate::model::Bilingual::new(
                    e.in_language(crate::model::UiLanguage::Chinese),
                    e.in_language(crate::model::UiLanguage::English),
                )),
            };
            self.sketches.insert(name.clone(), state);
        }
        self.sketches_generation = next_revision();
    }

    /// Rebuilds the map form of the project's features; call after every project change.
    pub fn rebuild(&mut self, style: &Style) {
        let mut features: Vec<PlanFeature> = self
            .project
            .placements
            .iter()
            .map(|(id, p)| placement_feature(&id.0, p))
            .collect();
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
        let same_style = self.prepared_with.as_ref() == Some(style);
        let mut old = std::mem::replace(&mut self.overlay, Scene::build_overlay(&[], style));
        let (data_items, data_layers) =
            self.data_layer_items(&mut old, style, same_style, features.len());
        // Unchanged features keep their prepared items, when the style is the same.
        let previous = same_style.then_some((self.features.as_slice(), &old));
        self.overlay =
            Scene::build_overlay_with_data(&features, style, previous, data_items, data_layers);
        self.prepared_with = Some(style.clone());
        self.features = features;
        self.revision = next_revision();
    }

    /// The overlay items of every loaded data layer, in layer order, and their summaries. A
    /// layer prepared from the same read and the same settings with the same style keeps its
    /// items (moved out of `old`); the others are prepared one feature at a time, so that a
    /// large layer's features are never copied whole. The old items of those are dropped
    /// first, so a changed layer is not held twice. `room_for_others`: how many more items the
    /// overlay will have.
    fn data_layer_items(
        &mut self,
        old: &mut Scene,
        style: &Style,
        same_style: bool,
        room_for_others: usize,
    ) -> (
        Vec<crate::map::scene::Item>,
        BTreeMap<String, crate::map::data_summary::DataLayerSummary>,
    ) {
        let wanted: BTreeMap<String, DataPrepared> = self
            .sketches
            .iter()
            .filter(|(_, state)| matches!(state, SketchState::Loaded(_)))
            .map(|(name, _)| (name.clone(), self.data_prepared_now(name)))
            .collect();
        let reused = |name: &str| same_style && self.data_prepared.get(name) == wanted.get(name);
        drop(old.take_items(|item| {
            item.layer
                .strip_prefix(SKETCH_PREFIX)
                .is_some_and(|name| !reused(name))
        }));
        let count: usize = wanted
            .keys()
            .filter_map(|name| match self.sketches.get(name) {
                Some(SketchState::Loaded(features)) => Some(features.len()),
                _ => None,
            })
            .sum();
        // Room for the project's other items too, which join these (see
        // `Scene::build_overlay_with_data`): the vector is not grown (copied) again.
        let mut items = Vec::with_capacity(count + room_for_others);
        let mut summaries = BTreeMap::new();
        for name in wanted.keys() {
            let layer_id = format!("{SKETCH_PREFIX}{name}");
            if reused(name) {
                items.extend(old.take_items(|item| item.layer == layer_id));
                if let Some(summary) = old.data_layers.get(&layer_id) {
                    summaries.insert(layer_id, *summary);
                }
                continue;
            }
            let summary = self.prepare_layer(name, style, &mut items);
            summaries.insert(layer_id, summary);
        }
        self.data_prepared = wanted;
        (items, summaries)
    }

    /// What a data layer's map form is made from, besides the style.
    fn data_prepared_now(&self, name: &str) -> DataPrepared {
        DataPrepared {
            generation: self.sketches_generation,
            label_field: self
                .project
                .sketch_layers
                .get(name)
                .and_then(|l| l.label_field.clone()),
        }
    }

    /// The map form of a loaded data layer's features, made one at a time, in file order.
    pub fn layer_features<'d>(&'d self, name: &'d str) -> impl Iterator<Item = PlanFeature> + 'd {
        let features = match self.sketches.get(name) {
            Some(SketchState::Loaded(features)) => features.as_slice(),
            _ => &[],
        };
        let form = self.data_form(name);
        features
            .iter()
            .enumerate()
            .map(move |(i, f)| form.plan_feature(i, f))
    }

    /// The map form of every loaded data layer's features, layer by layer (see
    /// [`Self::layer_features`]).
    pub fn data_features(&self) -> impl Iterator<Item = PlanFeature> + '_ {
        self.sketches
            .keys()
            .flat_map(|name| self.layer_features(name))
    }

    /// How a data layer's features get their map form.
    fn data_form<'d>(&'d self, name: &'d str) -> DataForm<'d> {
        DataForm {
            name,
            label_field: self
                .project
                .sketch_layers
                .get(name)
                .and_then(|l| l.label_field.as_deref()),
            named_by: self.sketch_fields.get(name).and_then(name_field),
        }
    }

    /// A feature in map form: a placement's or a plan sketch's as kept, a data layer's made
    /// from its one copy in [`Self::sketches`].
    pub fn feature(&self, id: &FeatureId) -> Option<std::borrow::Cow<'_, PlanFeature>> {
        if let Some((layer, index)) = parse_data_feature_id(id)
            && let Some(SketchState::Loaded(features)) = self.sketches.get(layer)
        {
            let f = features.get(index)?;
            return Some(std::borrow::Cow::Owned(
                self.data_form(layer).plan_feature(index, f),
            ));
        }
        self.features
            .iter()
            .find(|f| &f.id == id)
            .map(std::borrow::Cow::Borrowed)
    }

    /// A data layer feature's name in map form (its `name_zh`), without copying its geometry
    /// (the inspector asks in every frame).
    pub fn data_feature_title(&self, id: &FeatureId) -> Option<String> {
        let (layer, _, f) = self.data_feature(id)?;
        let properties = self.data_form(layer).properties(f);
        Some(
            properties
                .get("name_zh")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        )
    }

    /// Search hits among the plan, the project's features and its data layers (see
    /// [`crate::model::search::search`]). Only a data feature with an attribute or a layer
    /// name holding the query is put in map form for the search.
    pub fn search(
        &self,
        plan: &crate::model::Plan,
        basemap: &crate::model::Basemap,
        query: &str,
        limit: usize,
    ) -> Vec<crate::model::search::SearchHit> {
        let q = query.trim().to_lowercase();
        let mut data = Vec::new();
        if !q.is_empty() {
            for (name, state) in &self.sketches {
                let SketchState::Loaded(features) = state else {
                    continue;
                };
                let form = self.data_form(name);
                let layer_matches = name.to_lowercase().contains(&q);
                data.extend(
                    features
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| layer_matches || mentions(f, &q))
                        .map(|(i, f)| form.plan_feature(i, f)),
                );
            }
        }
        crate::model::search::search_among(plan, &self.features, &data, basemap, query, limit)
    }

    /// A data layer's feature as read from its file, by its map id: the layer's id, the
    /// feature's index in the layer, and the feature.
    pub fn data_feature<'d>(
        &'d self,
        id: &'d FeatureId,
    ) -> Option<(&'d str, usize, &'d ImportedFeature)> {
        let (layer, index) = parse_data_feature_id(id)?;
        match self.sketches.get(layer)? {
            SketchState::Loaded(features) => Some((layer, index, features.get(index)?)),
            SketchState::Missing(_) => None,
        }
    }
}

/// What a data layer's items were prepared from, besides the style: its read (the documents's
/// generation of sketch layers) and its label field.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DataPrepared {
    generation: u64,
    label_field: Option<String>,
}

/// How a data layer's features get their map form: named by the label field, else by the
/// layer's name field, else by the layer.
struct DataForm<'d> {
    name: &'d str,
    label_field: Option<&'d str>,
    named_by: Option<&'d String>,
}

impl DataForm<'_> {
    fn plan_feature(&self, index: usize, f: &ImportedFeature) -> PlanFeature {
        PlanFeature {
            id: data_feature_id(self.name, index),
            layer: format!("{SKETCH_PREFIX}{}", self.name),
            geometry: f.geometry.clone(),
            properties: self.properties(f),
        }
    }

    /// The feature's properties in map form: its attributes, its names and its layer.
    fn properties(&self, f: &ImportedFeature) -> BTreeMap<String, Value> {
        let mut properties: BTreeMap<String, Value> = f
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match (self.label_field, self.named_by) {
            (Some(field), _) => label_by(&mut properties, field),
            (None, Some(field)) => name_by(&mut properties, field),
            (None, None) => {}
        }
        properties
            .entry("name_zh".into())
            .or_insert_with(|| Value::String(self.name.to_owned()));
        properties.insert("sketch_layer".into(), Value::String(self.name.to_owned()));
        properties
    }
}

/// Whether any of a data feature's attributes, as text, holds `query` (lower case): its names
/// in map form come from its attributes or its layer's name.
fn mentions(f: &ImportedFeature, query: &str) -> bool {
    f.properties
        .values()
        .any(|v| attribute_text(v).to_lowercase().contains(query))
}

/// The map id of a data layer's feature: `sketch.LAYER.INDEX`.
pub fn data_feature_id(layer: &str, index: usize) -> FeatureId {
    FeatureId(format!("sketch.{layer}.{index}"))
}

/// The layer id and index of a data layer feature's map id (a layer id may hold dots: the
/// index is after the last one).
pub fn parse_data_feature_id(id: &FeatureId) -> Option<(&str, usize)> {
    let (layer, index) = id.0.strip_prefix("sketch.")?.rsplit_once('.')?;
    Some((layer, index.parse().ok()?))
}

/// The attribute fields that name a feature when a data layer has no label field: the usual
/// names in Chinese GIS data (`mc` is 名称's pinyin initials), matched without case.
pub const NAME_FIELDS: [&str; 3] = ["name", "名称", "mc"];

/// The first of a layer's fields that is a name field (see [`NAME_FIELDS`]).
pub fn name_field<'a>(fields: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    let fields: Vec<&String> = fields.into_iter().collect();
    NAME_FIELDS
        .iter()
        .find_map(|wanted| fields.iter().copied().find(|f| f.to_lowercase() == *wanted))
}

/// Names a data layer's feature by its layer's name field (see [`name_field`]) unless it has
/// a name of its own, so that search finds it and the inspector titles it (the map does not
/// label it: that is the label field's choice).
fn name_by(properties: &mut BTreeMap<String, Value>, field: &str) {
    if properties.contains_key("name_zh") {
        return;
    }
    let Some(text) = properties.get(field).and_then(value_text) else {
        return;
    };
    properties.insert("name_zh".into(), Value::String(text.clone()));
    properties.insert("name_en".into(), Value::String(text));
}

/// An attribute's value as text; `None` for null.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        other => Some(attribute_text(other)),
    }
}

/// An attribute's value as the table and the inspector show it: text as it is (中文 too), a
/// number as written, a list joined with 、, null as nothing.
pub fn attribute_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items
            .iter()
            .map(attribute_text)
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

/// Labels a data layer's feature by one of its attributes: the value becomes its name in both
/// languages, and `label_field` tells the map to draw it (`map::scene`).
fn label_by(properties: &mut BTreeMap<String, Value>, field: &str) {
    let Some(text) = properties.get(field).and_then(value_text) else {
        return;
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
