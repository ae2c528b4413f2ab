//! Undo and redo by snapshots of the project. Projects are small (plan layers are not in
//! them), so a snapshot per step is cheap and no edit needs a hand-written inverse.
//!
//! A gesture (a drag of a slider, later of a vertex) is one step: [`History::begin`] takes the
//! snapshot, the edits of the gesture apply without one, and [`History::commit`] records the
//! step only if something changed.

use std::collections::VecDeque;

use crate::model::project::Project;
use crate::model::{Bilingual, UiLanguage};

use super::{Edit, EditError};

/// At least this many steps can be undone.
pub const MAX_STEPS: usize = 100;

#[derive(Clone, Debug)]
struct Step {
    label: Bilingual,
    before: Project,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<(Bilingual, Project)>,
    /// The snapshot taken when the current gesture began.
    open: Option<Step>,
}

impl History {
    /// Applies an edit as its own step, or as part of the open gesture. Returns whether the
    /// project changed; an edit that changes nothing makes no step.
    pub fn apply(&mut self, edit: &Edit, project: &mut Project) -> Result<bool, EditError> {
        self.apply_labelled(edit, project, edit.label())
    }

    /// As [`Self::apply`], the step called `label` (e.g. from [`Edit::label_named`], which
    /// needs the names of layers that the project alone does not hold).
    pub fn apply_labelled(
        &mut self,
        edit: &Edit,
        project: &mut Project,
        label: Bilingual,
    ) -> Result<bool, EditError> {
        let before = project.clone();
        edit.apply(project)?;
        if *project == before {
            return Ok(false);
        }
        if self.open.is_none() {
            self.push(Step { label, before });
        }
        Ok(true)
    }

    /// Starts a gesture: what follows until [`Self::commit`] is one step.
    pub fn begin(&mut self, label: Bilingual, project: &Project) {
        if self.open.is_none() {
            self.open = Some(Step {
                label,
                before: project.clone(),
            });
        }
    }

    /// Ends the gesture; it becomes a step if it changed anything.
    pub fn commit(&mut self, project: &Project) {
        if let Some(step) = self.open.take()
            && step.before != *project
        {
            self.push(step);
        }
    }

    pub fn in_gesture(&self) -> bool {
        self.open.is_some()
    }

    fn push(&mut self, step: Step) {
        self.undo.push_back(step);
        while self.undo.len() > MAX_STEPS {
            self.undo.pop_front();
        }
        self.redo.clear();
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self, project: &mut Project) -> Option<Bilingual> {
        self.commit(project);
        let step = self.undo.pop_back()?;
        let after = std::mem::replace(project, step.before);
        self.redo.push((step.label.clone(), after));
        Some(step.label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, project: &mut Project) -> Option<Bilingual> {
        let (label, after) = self.redo.pop()?;
        let before = std::mem::replace(project, after);
        self.undo.push_back(Step {
            label: label.clone(),
            before,
        });
        Some(label)
    }

    /// The name of the step Undo would take back (in English, as `onemap` and tests say it).
    pub fn undo_label(&self) -> Option<&str> {
        self.undo_label_in(UiLanguage::English)
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo_label_in(UiLanguage::English)
    }

    /// The name of the step Undo would take back, in the interface language.
    pub fn undo_label_in(&self, lang: UiLanguage) -> Option<&str> {
        self.undo.back().map(|s| s.label.pick(lang))
    }

    pub fn redo_label_in(&self, lang: UiLanguage) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.pick(lang))
    }

    /// Forgets everything, e.g. when another project is opened.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelLanguage;
    use crate::model::view::{ViewCommand, ViewSettings};

    fn project() -> Project {
        Project::new(
            "test",
            ViewSettings::from_style(&crate::model::style::Style {
                background: crate::model::style::Rgba(0, 0, 0, 255),
                no_data: crate::model::style::Rgba(0, 0, 0, 255),
                highlight: crate::model::style::Rgba(0, 0, 0, 255),
                selection: crate::model::style::Rgba(0, 0, 0, 255),
                groups: vec![],
                data_layer_paints: Default::default(),
            }),
            "now",
        )
    }

    fn hide(layer: &str) -> Edit {
        Edit::View(ViewCommand::SetLayerVisible(layer.into(), false))
    }

    #[test]
    fn an_edit_and_its_undo_and_redo() {
        let mut p = project();
        let mut h = History::default();
        let original = p.clone();
        assert!(h.apply(&hide("corridors"), &mut p).unwrap());
        assert!(!p.settings.layer("corridors").visible);
        assert_eq!(h.undo_label(), Some("hide layer corridors"));
        assert_eq!(
            h.undo(&mut p).map(|l| l.en),
            Some("hide layer corridors".to_owned())
        );
        assert_eq!(p, original);
        assert_eq!(
            h.redo(&mut p).map(|l| l.zh),
            Some("隐藏图层 corridors".to_owned())
        );
        assert!(!p.settings.layer("corridors").visible);
    }

    #[test]
    fn an_edit_that_changes_nothing_is_no_step() {
        let mut p = project();
        let mut h = History::default();
        h.apply(
            &Edit::View(ViewCommand::SetLanguage(LabelLanguage::Chinese)),
            &mut p,
        )
        .unwrap();
        assert_eq!(h.undo_label(), None);
    }

    #[test]
    fn a_drag_is_one_step() {
        let mut p = project();
        let mut h = History::default();
        h.begin(
            Bilingual::new("corridors 的不透明度", "opacity of corridors"),
            &p,
        );
        for o in [0.9, 0.7, 0.5, 0.3] {
            h.apply(
                &Edit::View(ViewCommand::SetLayerOpacity("corridors".into(), o)),
                &mut p,
            )
            .unwrap();
        }
        h.commit(&p);
        assert_eq!(p.settings.layer("corridors").opacity, 0.3);
        h.undo(&mut p);
        assert_eq!(p.settings.layer("corridors").opacity, 1.0);
        assert_eq!(h.undo_label(), None, "the whole drag was one step");
    }

    #[test]
    fn at_least_a_hundred_steps_can_be_undone_and_a_new_edit_clears_redo() {
        let mut p = project();
        let mut h = History::default();
        for i in 0..150 {
            h.apply(
                &Edit::View(ViewCommand::SetLayerOpacity(
                    "x".into(),
                    (i % 2) as f32 * 0.5,
                )),
                &mut p,
            )
            .unwrap();
        }
        let mut undone = 0;
        while h.undo(&mut p).is_some() {
            undone += 1;
        }
        assert_eq!(undone, MAX_STEPS);
        h.redo(&mut p);
        h.apply(&hide("y"), &mut p).unwrap();
        assert_eq!(h.redo_label(), None);
    }

    #[test]
    fn a_failing_edit_changes_nothing_and_makes_no_step() {
        let mut p = project();
        let mut h = History::default();
        let before = p.clone();
        assert_eq!(
            h.apply(&Edit::RemoveSketch("nope".into()), &mut p),
            Err(EditError::NoSketch("nope".into()))
        );
        assert_eq!(p, before);
        assert_eq!(h.undo_label(), None);
    }

    fn placement(name: &str, x: f64) -> crate::model::project::Placement {
        crate::model::project::Placement {
            name_zh: name.into(),
            name_en: name.into(),
            action: "transport".into(),
            section: None,
            lead_city: None,
            participants: vec![],
            status: crate::model::project::PlacementStatus::Proposed,
            horizon: 2035,
            geometry: crate::model::project::PlacementGeometry::Point((x, 31.0)),
            description: String::new(),
            source: "test".into(),
            indicative: true,
            comments: vec![],
        }
    }

    #[test]
    fn a_batch_is_one_step_and_applies_all_or_nothing() {
        use crate::model::project::PlacementId;
        let mut p = project();
        let mut h = History::default();
        let add = |id: &str, x| Edit::AddPlacement {
            id: PlacementId(id.into()),
            placement: placement(id, x),
        };
        let batch = Edit::Batch {
            label: Bilingual::new("粘贴 2 个项目布局", "paste 2 placements"),
            edits: vec![add("placement.a", 120.0), add("placement.b", 121.0)],
        };
        assert!(h.apply(&batch, &mut p).unwrap());
        assert_eq!(p.placements.len(), 2);
        assert_eq!(h.undo_label(), Some("paste 2 placements"));
        h.undo(&mut p);
        assert!(p.placements.is_empty(), "one undo removes both");
        assert_eq!(h.undo_label(), None);

        // The second edit fails: the first must not stay applied.
        let failing = Edit::Batch {
            label: Bilingual::new("坏", "bad"),
            edits: vec![
                add("placement.c", 120.0),
                Edit::RemovePlacement(PlacementId("placement.nope".into())),
            ],
        };
        let before = p.clone();
        assert!(h.apply(&failing, &mut p).is_err());
        assert_eq!(p, before);
        assert_eq!(h.undo_label(), None);
    }

    #[test]
    fn copies_get_fresh_ids_new_names_an_offset_and_no_comments() {
        use crate::model::project::{Comment, PlacementGeometry, PlacementId};
        let mut p = project();
        let mut original = placement("沪苏湖铁路", 120.5);
        original.comments.push(Comment {
            author: "a".into(),
            time: "t".into(),
            text: "x".into(),
        });
        p.placements
            .insert(PlacementId("placement.copy-1".into()), original.clone());
        let made = crate::edit::copy::copies(&p, &[original.clone(), original], (0.01, -0.02));
        let ids: Vec<&str> = made.iter().map(|(id, _)| id.0.as_str()).collect();
        assert_eq!(ids, ["placement.copy-2", "placement.copy-3"]);
        assert_eq!(made[0].1.name_zh, "沪苏湖铁路 副本");
        assert_eq!(
            made[0].1.geometry,
            PlacementGeometry::Point((120.51, 30.98))
        );
        assert!(made[0].1.comments.is_empty());
        let mut h = History::default();
        h.apply(
            &crate::edit::copy::add_all(Bilingual::new("粘贴", "paste"), made),
            &mut p,
        )
        .unwrap();
        assert_eq!(p.placements.len(), 3);
        h.undo(&mut p);
        assert_eq!(p.placements.len(), 1);
    }
}
