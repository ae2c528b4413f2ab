//! The state panels read that the app keeps: how sketches show, the review comments, and an
//! open comparison or three-way merge.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::model::diff::{Change, Subject};
use crate::model::project::Project;
use crate::model::review::{Anchor, Review};

/// How the project's sketch of the plan layers is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SketchView {
    /// The plan as sketched: sketches in place of the features they change.
    #[default]
    Alone,
    /// Sketches over the unchanged baseline, to compare.
    WithBaseline,
    /// The baseline only.
    Hidden,
}

/// The review comments of the open project, and the one being written.
#[derive(Clone, Debug, Default)]
pub struct ReviewState {
    pub review: Review,
    /// The sidecar file; `None` while the project has no file.
    pub path: Option<PathBuf>,
    /// A comment being written: where it is pinned, and its text so far.
    pub draft: Option<(Anchor, String)>,
    /// Reply fields, by comment id.
    pub replies: std::collections::BTreeMap<String, String>,
    /// Whether the comments panel is open (always, in review mode).
    pub open: bool,
}

/// A comparison of the open project (old) with another version (new).
pub struct CompareState {
    pub other: Project,
    pub other_path: PathBuf,
    pub changes: Vec<Change>,
    pub accepted: BTreeSet<Subject>,
    /// The other version's placements as a scene, to draw old and new together.
    pub other_overlay: crate::map::Scene,
    /// Two maps, this version and the other, with one view.
    pub side_by_side: bool,
}

/// A three-way merge of the open project (mine) with another version (theirs) of a common
/// ancestor, while its conflicts are being resolved.
pub struct MergeState {
    pub base_path: PathBuf,
    pub theirs_path: PathBuf,
    pub theirs: Project,
    pub result: crate::edit::merge::Merge3,
    /// One line per conflict for each side: what base → mine and base → theirs did.
    pub mine_lines: std::collections::BTreeMap<Subject, String>,
    pub theirs_lines: std::collections::BTreeMap<Subject, String>,
    /// Conflicts resolved with "theirs"; the others keep "mine".
    pub take_theirs: BTreeSet<Subject>,
    /// How many subjects came from theirs without conflict.
    pub taken_cleanly: usize,
    /// Set when a publish to the team store was refused with these conflicts.
    pub db: Option<super::DbMerge>,
}
