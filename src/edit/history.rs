//! Undo and redo by snapshots of the project. Projects are small (plan layers are not in
//! them), so a snapshot per step is cheap and no edit needs a hand-written inverse.
//!
//! A gesture (a drag of a slider, later of a vertex) is one step: [`History::begin`] takes the
//! snapshot, the edits of the gesture apply without one, and [`History::commit`] records the
//! step only if something changed.

use std::collections::VecDeque;

use crate::model::project::Project;

use super::{Edit, EditError};

/// At least this many steps can be undone.
pub const MAX_STEPS: usize = 100;

#[derive(Clone, Debug)]
struct Step {
    label: String,
    before: Project,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<(String, Project)>,
    /// The snapshot taken when the current gesture began.
    open: Option<Step>,
}

impl History {
    /// Applies an edit as its own step, or as part of the open gesture. Returns whether the
    /// project changed; an edit that changes nothing makes no step.
    pub fn apply(&mut self, edit: &Edit, project: &mut Project) -> Result<bool, EditError> {
        let before = project.clone();
        edit.apply(project)?;
        if *project == before {
            return Ok(false);
        }
        if self.open.is_none() {
            self.push(Step {
                label: edit.label(),
                before,
            });
        }
        Ok(true)
    }

    /// Starts a gesture: what follows until [`Self::commit`] is one step.
    pub fn begin(&mut self, label: impl Into<String>, project: &Project) {
        if self.open.is_none() {
            self.open = Some(Step {
                label: label.into(),
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
    pub fn undo(&mut self, project: &mut Project) -> Option<String> {
        self.commit(project);
        let step = self.undo.pop_back()?;
        let after = std::mem::replace(project, step.before);
        self.redo.push((step.label.clone(), after));
        Some(step.label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, project: &mut Project) -> Option<String> {
        let (label, after) = self.redo.pop()?;
        let before = std::mem::replace(project, after);
        self.undo.push_back(Step {
            label: label.clone(),
            before,
        });
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
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
        assert_eq!(h.undo(&mut p).as_deref(), Some("hide layer corridors"));
        assert_eq!(p, original);
        assert_eq!(h.redo(&mut p).as_deref(), Some("hide layer corridors"));
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
        h.begin("opacity of corridors", &p);
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
}
