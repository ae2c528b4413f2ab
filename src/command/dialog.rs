//! The dialogs the app opens and the panels show: a typed path for a file operation, the
//! question about unsaved changes, the offer to recover a journal, and messages.

use std::path::PathBuf;

use super::Journal;

/// What a typed-path dialog is for.
#[derive(Clone, Debug, PartialEq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Import,
    ExportGeojson,
    ExportCsv,
    /// Find the file of a sketch layer whose reference is missing.
    Locate(String),
    OpenForReview,
    CompareWith,
    /// The common ancestor of a three-way merge (then its other version is asked for).
    MergeBase,
    /// The other version of a three-way merge with the open project.
    MergeTheirs(PathBuf),
    /// Where the merge of a comparison goes.
    WriteMerged,
    /// Where a review report (Markdown, with its PNG beside it) goes.
    WriteReport,
    /// Where a plan layer with the project's sketches goes, as GeoJSON.
    ExportSketchLayer(String),
    /// The folder of a new plan edition with the sketches applied.
    ApplyBaseline,
}

impl PathPurpose {
    pub fn title(&self) -> String {
        match self {
            Self::Open => "打开项目 Open project".into(),
            Self::SaveAs => "另存为 Save project as".into(),
            Self::Import => "导入 GeoJSON Import GeoJSON".into(),
            Self::ExportGeojson => "导出 GeoJSON Export GeoJSON".into(),
            Self::ExportCsv => "导出 CSV Export placement table".into(),
            Self::Locate(name) => format!("定位文件 Locate the file of sketch layer {name}"),
            Self::OpenForReview => "打开以审阅 Open for review (read-only)".into(),
            Self::CompareWith => "对比 Compare with another version".into(),
            Self::MergeBase => "三方合并 1/2: the common ancestor (base)".into(),
            Self::MergeTheirs(_) => "三方合并 2/2: the other version (theirs)".into(),
            Self::WriteMerged => "写出合并结果 Write the merged project".into(),
            Self::WriteReport => "审阅报告 Write a review report (Markdown)".into(),
            Self::ExportSketchLayer(layer) => {
                format!("导出草图 Export layer {layer} with the sketches (GeoJSON)")
            }
            Self::ApplyBaseline => {
                "新基线 Apply the sketches as a new plan edition (a new folder)".into()
            }
        }
    }

    /// The file type a system dialog filters for: its name and extensions.
    pub fn extensions(&self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Open
            | Self::SaveAs
            | Self::OpenForReview
            | Self::CompareWith
            | Self::MergeBase
            | Self::MergeTheirs(_)
            | Self::WriteMerged => ("OneMap project", &["onemap"]),
            Self::WriteReport => ("Markdown", &["md"]),
            Self::ExportSketchLayer(_) => ("GeoJSON", &["geojson"]),
            Self::ApplyBaseline => ("Folder", &[]),
            Self::Import | Self::ExportGeojson | Self::Locate(_) => {
                ("GeoJSON", &["geojson", "json"])
            }
            Self::ExportCsv => ("CSV", &["csv"]),
        }
    }

    /// Whether the system dialog asks for a file to write (else one to read).
    pub fn saving(&self) -> bool {
        matches!(
            self,
            Self::SaveAs
                | Self::ExportGeojson
                | Self::ExportCsv
                | Self::WriteMerged
                | Self::WriteReport
                | Self::ExportSketchLayer(_)
                | Self::ApplyBaseline
        )
    }
}

/// What to do once unsaved changes have been saved or discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterConfirm {
    New,
    Open(PathBuf),
    /// Open a project for review.
    Review(PathBuf),
    Quit,
}

impl AfterConfirm {
    /// The unsaved-changes question before this, in Chinese and in English.
    pub fn question(&self) -> (&'static str, &'static str) {
        match self {
            Self::Quit => (
                "项目有未保存的更改。退出前要保存吗？",
                "The project has changes that are not saved. Save them before quitting?",
            ),
            Self::New | Self::Open(_) | Self::Review(_) => (
                "项目有未保存的更改。要先保存吗？",
                "The project has changes that are not saved. Save them first?",
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Dialog {
    PathPrompt {
        purpose: PathPurpose,
        text: String,
        gcj02: bool,
        /// Set when the dialog opens, so that the path field takes the keyboard once.
        focus: bool,
    },
    ConfirmUnsaved(AfterConfirm),
    Recovery(Box<Journal>),
    Message {
        title: String,
        text: String,
        error: bool,
    },
}

/// A GeoJSON import under way, as its progress window shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportProgress {
    pub path: PathBuf,
    /// How much of the file has been read, 0 to 1.
    pub fraction: f32,
}
