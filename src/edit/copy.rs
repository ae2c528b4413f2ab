//! Copies of placements, for duplicate and paste: fresh ids, names marked as copies, moved a
//! little so that the copy is seen beside the original rather than hidden under it.

use crate::model::project::{Placement, PlacementId, Project};

/// An id `placement.{stem}-N` that neither the project nor `taken` uses.
pub fn unused_id(project: &Project, taken: &[PlacementId], stem: &str) -> PlacementId {
    (1..)
        .map(|n| PlacementId(format!("placement.{stem}-{n}")))
        .find(|id| !project.placements.contains_key(id) && !taken.contains(id))
        .unwrap_or_else(|| PlacementId(format!("placement.{stem}")))
}

/// Copies of `originals`, offset by `(dx, dy)` degrees, with ids unused in `project`.
pub fn copies(
    project: &Project,
    originals: &[Placement],
    (dx, dy): (f64, f64),
) -> Vec<(PlacementId, Placement)> {
    let mut out: Vec<(PlacementId, Placement)> = Vec::with_capacity(originals.len());
    for p in originals {
        let taken: Vec<PlacementId> = out.iter().map(|(id, _)| id.clone()).collect();
        let id = unused_id(project, &taken, "copy");
        let copy = Placement {
            name_zh: format!("{} 副本", p.name_zh),
            name_en: format!("{} (copy)", p.name_en),
            geometry: p.geometry.translated(dx, dy),
            // The discussion belongs to the original.
            comments: Vec::new(),
            ..p.clone()
        };
        out.push((id, copy));
    }
    out
}

/// The one-step edit that adds `copies`.
pub fn add_all(
    label: crate::model::Bilingual,
    copies: Vec<(PlacementId, Placement)>,
) -> super::Edit {
    super::Edit::Batch {
        label,
        edits: copies
            .into_iter()
            .map(|(id, placement)| super::Edit::AddPlacement { id, placement })
            .collect(),
    }
}
