//! The dialogs the app opens and the panels show: a typed path for a file operation, the
//! question about unsaved changes, the offer to recover a journal, and messages.

use crate::model::UiLanguage;
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
    /// The dialog's title in the interface language.
    pub fn title(&self, lang: UiLanguage) -> String {
        let pick = |zh: &str, en: &str| lang.pick(zh, en).to_owned();
        match self {
            Self::Open => pick("打开项目", "Open project"),
            Self::SaveAs => pick("项目另存为", "Save project as"),
            Self::Import => pick("导入 GeoJSON", "Import GeoJSON"),
            Self::ExportGeojson => pick("导出 GeoJSON", "Export GeoJSON"),
            Self::ExportCsv => pick("导出项目表 CSV", "Export placement table (CSV)"),
            Self::Locate(name) => match lang {
                UiLanguage::Chinese => format!("定位草图图层 {name} 的文件"),
                UiLanguage::English => format!("Locate the file of sketch layer {name}"),
            },
            Self::OpenForReview => pick("打开以审阅（只读）", "Open for review (read-only)"),
            Self::CompareWith => pick("与另一版本对比", "Compare with another version"),
            Self::MergeBase => pick(
                "三方合并 1/2：共同祖先（基础版本）",
                "Three-way merge 1/2: the common ancestor (base)",
            ),
            Self::MergeTheirs(_) => pick(
                "三方合并 2/2：另一版本（他们的）",
                "Three-way merge 2/2: the other version (theirs)",
            ),
            Self::WriteMerged => pick("写出合并结果", "Write the merged project"),
            Self::WriteReport => pick(
                "写出审阅报告（Markdown）",
                "Write a review report (Markdown)",
            ),
            Self::ExportSketchLayer(layer) => match lang {
                UiLanguage::Chinese => format!("导出含草图的图层 {layer}（GeoJSON）"),
                UiLanguage::English => format!("Export layer {layer} with the sketches (GeoJSON)"),
            },
            Self::ApplyBaseline => pick(
                "草图作为新规划基线（新文件夹）",
                "Apply the sketches as a new plan edition (a new folder)",
            ),
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
