//! What the UI asks the app to do, and the state panels read: the vocabulary `ui` and `app`
//! share. Panels never change the app's state themselves: they push [`AppCommand`]s, and
//! the app applies them once per frame, after the UI.
//!
//! Why a shared module (as rerun's viewer context sits below both its panels and its viewer)
//! and not panels that return intents (as walkers' `wanderers` does): our panels already take
//! what they read as arguments and push commands into one queue, so the cycle was only in where
//! the types lived. Moving them here breaks it by changing import lines, with the panel
//! functions and the order commands run in unchanged; returning intents would have rewritten
//! every panel's signature and merged many per-panel outcomes into one queue again.
//!
//! It may import the layers below it (`model`, `edit`, `io`, `map`, `doc`), never `ui` or `app`.

pub mod db;
pub mod dialog;
pub mod import;
pub mod state;
pub mod tool;

use std::path::PathBuf;

use geo::Rect;

use crate::model::FeatureId;
use crate::model::view::ViewCommand;

pub use dialog::{
    AfterConfirm, Dialog, ExportBookForm, ExportBookRequest, ExportImageForm, ExportImageRequest,
    ImageSize, ImportProgress, PaperSize, PathPurpose,
};
// What a recovery journal holds: the app reads it, the recovery dialog shows it.
pub use crate::io::recovery::Journal;
pub use db::{DbMerge, DbOpenForm, DbOpenRequest, DbProjectRow, DbPublishForm, DbPublishRequest};
pub use state::{CompareState, MergeState, ReviewState, SketchView};
pub use tool::{Handle, Tool};

#[derive(Clone, Debug)]
pub enum AppCommand {
    View(ViewCommand),
    /// Opens the basemap picker.
    ShowBasemapPicker,
    /// The basemap picked: opened first, and refused (with a note) when it cannot be read.
    PickBasemap(crate::model::tile_basemap::BasemapChoice),
    /// The user's Tianditu key and the offline switch, kept in the preferences.
    SetTilePreferences {
        tianditu_key: String,
        offline: bool,
    },
    /// Any other change to the project, applied through the undo history.
    Edit(Box<crate::edit::Edit>),
    Select(Option<FeatureId>),
    /// Selects a feature and brings it into view.
    SelectAndShow(FeatureId),
    /// Selects a feature and centres the map on it, at the same zoom if it fits in view.
    SelectAndCentre(FeatureId),
    /// Opens or closes a data layer's attribute table.
    ToggleDataTable(String),
    /// Makes placements of data layers' features, as one undo step.
    CopyToPlacements(Vec<FeatureId>),
    /// Brings a lon/lat box into view.
    ZoomTo(Rect<f64>),
    ZoomIn,
    ZoomOut,
    /// Fits the whole plan area.
    Home,
    ShowAbout(bool),
    /// Opens the Export image dialog.
    AskExportImage,
    /// Writes an image of the current view or a scene, as `onemap export` does.
    ExportImage(ExportImageRequest),
    /// Opens the Export map book dialog.
    AskExportBook,
    /// Opens File › Project properties… on the project's title, author and 审图号.
    AskProjectProperties,
    /// The project properties as applied: one undo step, or nothing when they are unchanged.
    SetProjectInfo(crate::model::project::ProjectInfo),
    /// Writes the map book (PDF), as `onemap export --all-scenes` does.
    ExportBook(ExportBookRequest),
    /// Shows or hides the keyboard-shortcut sheet (F1).
    ShowShortcuts(bool),
    /// Shows or hides the quick start for this session.
    ShowQuickStart(bool),
    /// Hides the quick start for good (remembered in the preferences).
    DismissQuickStart,
    /// Shows or hides where the user guide (the README) is.
    ShowReadme(bool),
    /// Switches the interface language (and remembers it).
    SetUiLanguage(crate::model::UiLanguage),
    /// Closes the bar that lists data files that could not be read.
    DismissProblems,
    /// Shows the typed-path dialog for a file operation.
    AskPath(PathPurpose),
    /// Opens the system file dialog for the typed-path dialog; its answer fills the path.
    Browse(PathPurpose),
    New,
    Open(PathBuf),
    Save,
    SaveAs(PathBuf),
    /// A GeoJSON imported without the dialog, as it declares itself (scripts and tests); the
    /// menu and dropped files go through [`AppCommand::DetectData`] and the import dialog.
    Import {
        path: PathBuf,
        gcj02: bool,
    },
    CancelImport,
    /// File › Import data…: reads a data file of any format (off the UI thread) and shows
    /// what was detected in the import dialog.
    DetectData(PathBuf),
    /// Reads the file of the import dialog again with another encoding or CSV columns.
    RereadData(import::ReadChoices),
    /// Imports what the import dialog confirmed: one data layer per table, one undo step.
    ImportData(import::ImportRequest),
    ExportGeojson(PathBuf),
    ExportCsv(PathBuf),
    /// Points a sketch layer whose file is missing at a file.
    Locate {
        name: String,
        path: PathBuf,
    },
    RemoveSketch(String),
    SetSketchVisible(String, bool),
    SetSketchOpacity(String, f32),
    /// Saves, then goes on with what unsaved changes held up.
    SaveThen(AfterConfirm),
    DiscardThen(AfterConfirm),
    Restore(Box<Journal>),
    /// Starts a gesture (a slider drag): what follows until `EndGesture` is one undo step.
    BeginGesture(crate::model::Bilingual),
    EndGesture,
    Undo,
    Redo,
    ToggleChecks,
    SetTool(Tool),
    /// The system action new placements belong to.
    SetDrawAction(String),
    AddVertex(geo::Coord<f64>),
    /// A drag in the Move tool started on a placement, at this lon/lat.
    MoveStart {
        id: FeatureId,
        at: geo::Coord<f64>,
    },
    MoveTo(geo::Coord<f64>),
    MoveEnd,
    /// A drag in the Vertices tool started on a handle of the selected placement.
    VertexGrab(Handle),
    VertexTo(geo::Coord<f64>),
    VertexRelease,
    /// The vertex (ring, index) that Delete removes.
    SelectVertex(Option<(usize, usize)>),
    RemoveLastVertex,
    FinishDrawing,
    CancelDrawing,
    /// Deletes the selected placements (or, in the vertex tool, the selected vertex).
    DeleteSelected,
    /// Adds a placement to the selection or takes it out.
    ToggleSelect(crate::model::project::PlacementId),
    /// Adds the placements that meet a lon/lat box to the selection.
    SelectInBox(Rect<f64>),
    /// Replaces the selection.
    SelectMany(Vec<crate::model::project::PlacementId>),
    Copy,
    /// Puts a text (a measurement, coordinates) on the system clipboard.
    CopyText(String),
    Cut,
    Paste,
    Duplicate,
    ToggleSnap,
    ToggleTable,
    /// Enters presenter mode, at a scene (or the one selected in the scenes panel).
    Present(Option<usize>),
    /// Next (true) or previous scene in presenter mode.
    PresentStep(bool),
    StopPresenting,
    ToggleHighContrast,
    /// Adds a scene made of the current view, layers and selection.
    AddScene,
    /// Makes a scene the current view, layers and selection.
    UpdateScene(usize),
    /// Shows a scene in the editor: its layers, its highlights, and a flight to its view.
    GoToScene(usize),
    /// Sets an attribute of every selected placement, as one step.
    BulkEdit(BulkChange),
    /// Adds a planner's comment to a placement; the app signs and dates it.
    CommentOnPlacement {
        id: crate::model::project::PlacementId,
        text: String,
    },
    /// Opens a project read-only, for review: comments go to its sidecar.
    OpenForReview(PathBuf),
    /// Leaves review mode: the same project, editable.
    LeaveReview,
    /// Starts a comment pinned to a placement or a location (the comment tool's click).
    StartComment(crate::model::review::Anchor),
    CancelComment,
    /// Adds the comment being written.
    AddComment(String),
    Reply {
        comment: String,
        text: String,
    },
    SetCommentStatus {
        comment: String,
        status: crate::model::review::CommentStatus,
    },
    ToggleComments,
    /// Copies the review comments into the project (placement comments and map notes), as one
    /// undo step.
    MergeComments,
    /// Compares the project with another version of it.
    CompareWith(PathBuf),
    /// Accepts (true) or rejects a change of the comparison.
    AcceptChange(crate::model::diff::Subject, bool),
    AcceptAllChanges(bool),
    CloseCompare,
    /// Drops the project's sketch of a plan feature.
    RevertToPlan(String),
    /// Drops every sketch of a plan layer, as one step.
    RevertLayer(String),
    SetSketchView(SketchView),
    ExportSketchLayer {
        layer: String,
        path: PathBuf,
    },
    ApplyBaseline(PathBuf),
    /// Three-way merge of the open project (mine) with another version (theirs) of a base.
    Merge3 {
        base: PathBuf,
        theirs: PathBuf,
    },
    /// Resolves a conflict of the three-way merge: theirs (true) or mine.
    ResolveConflict(crate::model::diff::Subject, bool),
    CloseMerge,
    ToggleSideBySide,
    WriteMerged(PathBuf),
    WriteReport(PathBuf),
    /// File › Open from database…: shows its dialog.
    AskOpenFromDb,
    /// Lists the projects of a store (the Open from database dialog's List button).
    ListDbProjects(String),
    /// Opens a project of the store (asking about unsaved changes first).
    OpenFromDb(DbOpenRequest),
    /// File › Publish to database…: shows its dialog.
    AskPublishToDb,
    /// Saves the open project as a new revision in the store; conflicts open the merge view.
    PublishToDb(DbPublishRequest),
    /// Takes the resolved merge of a refused publish as the open project, based on the
    /// store's newest revision (nothing is written until it is published again).
    TakeDbMerge,
    /// Opens the reason field for acknowledging a finding (`None` closes it).
    DraftAcknowledgement(Option<String>),
    Acknowledge {
        finding: String,
        reason: String,
    },
    DiscardJournal(PathBuf),
    Quit,
}

/// An attribute set on several placements at once, from the placement table.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkChange {
    Action(String),
    Section(Option<String>),
    Status(crate::model::project::PlacementStatus),
    Horizon(u16),
}
