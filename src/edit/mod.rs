//! Changes to a project. Every change is an [`Edit`], applied through the [`History`], so that
//! each one can be undone and none can bypass the dirty marker or the recovery journal.
//! A core layer, on `model` alone; no GUI crate.

pub mod copy;
pub mod from_data;
pub mod history;
pub mod labels;
pub mod merge;
pub mod vertices;

use thiserror::Error;

use crate::model::Bilingual;
use crate::model::project::{
    Acknowledgement, Placement, PlacementId, Project, SketchLayer, SketchSource,
};
use crate::model::style::Paint;
use crate::model::view::ViewCommand;

pub use history::History;

/// One change to a project, as the UI asks for it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    View(ViewCommand),
    AddSketch {
        id: String,
        layer: SketchLayer,
    },
    RemoveSketch(String),
    SetSketchSource {
        id: String,
        source: SketchSource,
    },
    SetSketchVisible {
        id: String,
        visible: bool,
    },
    SetSketchOpacity {
        id: String,
        opacity: f32,
    },
    /// Sets (or with `None` clears) the attribute that names and labels a data layer's features.
    SetSketchLabelField {
        id: String,
        field: Option<String>,
    },
    /// Sets (or with `None` clears) a layer's drawing order.
    SetLayerOrder {
        layer: String,
        order: Option<u32>,
    },
    /// Sets (or with `None` clears) a layer's paint override.
    SetStyleOverride {
        layer: String,
        paint: Option<Paint>,
    },
    AddPlacement {
        id: PlacementId,
        placement: Placement,
    },
    RemovePlacement(PlacementId),
    /// Replaces a placement (attributes, geometry), e.g. after a move.
    SetPlacement {
        id: PlacementId,
        placement: Placement,
    },
    /// Records a planner's justification for a plan-check finding.
    Acknowledge {
        finding: String,
        acknowledgement: Acknowledgement,
    },
    /// Replaces the scenes (add, update, rename, reorder and delete are each one of these).
    SetScenes {
        label: Bilingual,
        scenes: Vec<crate::model::project::NamedScene>,
    },
    /// Replaces all view settings at once (showing a scene's layers in the editor).
    SetSettings {
        label: Bilingual,
        settings: crate::model::view::ViewSettings,
    },
    /// Sets (or with `None` reverts to the plan) the project's override of a plan feature.
    SetPlanOverride {
        id: String,
        value: Option<crate::model::overrides::PlanOverride>,
    },
    /// Replaces the notes pinned to map locations.
    SetNotes(Vec<crate::model::project::MapNote>),
    /// Sets the project's title, author and map approval number (File › Project properties…).
    SetProjectInfo(crate::model::project::ProjectInfo),
    /// Several edits as one undo step (a bulk edit, a paste, deleting a multiple selection).
    /// All apply or none does.
    Batch {
        label: Bilingual,
        edits: Vec<Edit>,
    },
}

#[derive(Debug, Error, PartialEq)]
pub enum EditError {
    #[error("there is no sketch layer `{0}`")]
    NoSketch(String),
    #[error("a sketch layer `{0}` exists already")]
    SketchExists(String),
    #[error("there is no placement `{0}`")]
    NoPlacement(String),
    #[error("a placement `{0}` exists already")]
    PlacementExists(String),
    #[error("placement `{0}`: {1}")]
    Degenerate(String, String),
}

/// The placement as it may be stored: without repeated vertices (see [`vertices`]).
fn cleaned(id: &PlacementId, placement: &Placement) -> Result<Placement, EditError> {
    let geometry = vertices::without_repeats(&placement.geometry)
        .map_err(|e| EditError::Degenerate(id.0.clone(), e))?;
    Ok(Placement {
        geometry,
        ..placement.clone()
    })
}

impl Edit {
    /// Applies the edit. An edit that cannot apply leaves the project unchanged.
    pub fn apply(&self, project: &mut Project) -> Result<(), EditError> {
        match self {
            Edit::View(v) => {
                project.settings.apply(v);
            }
            Edit::AddSketch { id, layer } => {
                if project.sketch_layers.contains_key(id) {
                    return Err(EditError::SketchExists(id.clone()));
                }
                project.sketch_layers.insert(id.clone(), layer.clone());
            }
            Edit::RemoveSketch(id) => {
                project
                    .sketch_layers
                    .remove(id)
                    .ok_or_else(|| EditError::NoSketch(id.clone()))?;
            }
            Edit::SetSketchSource { id, source } => sketch(project, id)?.source = source.clone(),
            Edit::SetSketchVisible { id, visible } => sketch(project, id)?.visible = *visible,
            Edit::SetSketchOpacity { id, opacity } => {
                sketch(project, id)?.opacity = opacity.clamp(0.0, 1.0)
            }
            Edit::SetSketchLabelField { id, field } => {
                sketch(project, id)?.label_field = field.clone()
            }
            Edit::SetLayerOrder { layer, order } => match order {
                Some(o) => {
                    project.layer_order.insert(layer.clone(), *o);
                }
                None => {
                    project.layer_order.remove(layer);
                }
            },
            Edit::SetStyleOverride { layer, paint } => match paint {
                Some(p) => {
                    project.style_overrides.insert(layer.clone(), p.clone());
                }
                None => {
                    project.style_overrides.remove(layer);
                }
            },
            Edit::AddPlacement { id, placement } => {
                if project.placements.contains_key(id) {
                    return Err(EditError::PlacementExists(id.0.clone()));
                }
                let placement = cleaned(id, placement)?;
                project.placements.insert(id.clone(), placement);
            }
            Edit::RemovePlacement(id) => {
                project
                    .placements
                    .remove(id)
                    .ok_or_else(|| EditError::NoPlacement(id.0.clone()))?;
            }
            Edit::SetPlacement { id, placement } => {
                let placement = cleaned(id, placement)?;
                let slot = project
                    .placements
                    .get_mut(id)
                    .ok_or_else(|| EditError::NoPlacement(id.0.clone()))?;
                *slot = placement;
            }
            Edit::Acknowledge {
                finding,
                acknowledgement,
            } => {
                project
                    .acknowledgements
                    .insert(finding.clone(), acknowledgement.clone());
            }
            Edit::SetScenes { scenes, .. } => project.scenes = scenes.clone(),
            Edit::SetNotes(notes) => project.notes = notes.clone(),
            Edit::SetProjectInfo(info) => project.meta.set_info(info),
            Edit::SetPlanOverride { id, value } => match value {
                Some(v) => {
                    project.plan_overrides.insert(id.clone(), v.clone());
                }
                None => {
                    project.plan_overrides.remove(id);
                }
            },
            Edit::SetSettings { settings, .. } => project.settings = settings.clone(),
            Edit::Batch { edits, .. } => {
                let mut changed = project.clone();
                for edit in edits {
                    edit.apply(&mut changed)?;
                }
                *project = changed;
            }
        }
        Ok(())
    }
}

fn sketch<'p>(project: &'p mut Project, id: &str) -> Result<&'p mut SketchLayer, EditError> {
    project
        .sketch_layers
        .get_mut(id)
        .ok_or_else(|| EditError::NoSketch(id.to_owned()))
}

impl Edit {
    /// Whether the edit changes what the project contains (not only how it is shown); such
    /// edits are written to the recovery journal at once.
    pub fn is_structural(&self) -> bool {
        matches!(
            self,
            Edit::AddSketch { .. }
                | Edit::RemoveSketch(_)
                | Edit::SetSketchSource { .. }
                | Edit::AddPlacement { .. }
                | Edit::RemovePlacement(_)
                | Edit::SetPlacement { .. }
                | Edit::SetScenes { .. }
                | Edit::SetNotes(_)
                | Edit::SetProjectInfo(_)
                | Edit::SetPlanOverride { .. }
        ) || matches!(self, Edit::Batch { edits, .. } if edits.iter().any(Edit::is_structural))
    }
}
