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
            Self::Import => pick("导入数据", "Import data"),
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
            Self::Import => ("Data files", crate::io::formats::Format::READ_EXTENSIONS),
            Self::ExportGeojson | Self::Locate(_) => ("GeoJSON", &["geojson", "json"]),
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
    /// Open a project of the team store.
    OpenFromDb(super::DbOpenRequest),
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
            Self::New | Self::Open(_) | Self::Review(_) | Self::OpenFromDb(_) => (
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
    /// File › Export image….
    ExportImage(Box<ExportImageForm>),
    /// File › Export map book (PDF)….
    ExportBook(Box<ExportBookForm>),
    /// File › Import data…, once the file was read: what was detected, and the choices.
    ImportData(Box<super::import::ImportForm>),
    /// File › Open from database….
    OpenFromDb(Box<super::DbOpenForm>),
    /// File › Publish to database….
    PublishToDb(Box<super::DbPublishForm>),
    /// File › Project properties…: the title, author and 审图号, as edited so far.
    ProjectProperties(Box<crate::model::project::ProjectInfo>),
}

/// An import under way (reading the file), as its progress window shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportProgress {
    pub path: PathBuf,
    /// How much of the file has been read, 0 to 1.
    pub fraction: f32,
}

/// A paper size of an image export (landscape), as `onemap export --paper` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperSize {
    A4,
    A3,
    A2,
    A1,
    A0,
}

impl PaperSize {
    pub const ALL: [Self; 5] = [Self::A4, Self::A3, Self::A2, Self::A1, Self::A0];

    pub fn name(self) -> &'static str {
        match self {
            Self::A4 => "A4",
            Self::A3 => "A3",
            Self::A2 => "A2",
            Self::A1 => "A1",
            Self::A0 => "A0",
        }
    }
}

/// What File › Export map book (PDF)… writes: a cover and every scene, as
/// `onemap export --all-scenes` does.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportBookRequest {
    pub path: PathBuf,
    /// A sheet of paper for the print layout; `None`: the slides as presenter mode shows them.
    pub paper: Option<PaperSize>,
    pub portrait: bool,
}

/// The Export map book dialog's choices while they are made.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportBookForm {
    pub path: String,
    pub paper: Option<PaperSize>,
    pub portrait: bool,
    /// How many scenes the book will have (its pages are one more, with the cover).
    pub scenes: usize,
}

impl ExportBookForm {
    /// A4 landscape: a hand-out.
    pub fn new(path: String, scenes: usize) -> Self {
        Self {
            path,
            paper: Some(PaperSize::A4),
            portrait: false,
            scenes,
        }
    }

    /// The path, ending in .pdf.
    pub fn path_with_extension(&self) -> PathBuf {
        PathBuf::from(self.path.trim()).with_extension("pdf")
    }

    pub fn request(&self) -> ExportBookRequest {
        ExportBookRequest {
            path: self.path_with_extension(),
            paper: self.paper,
            portrait: self.portrait && self.paper.is_some(),
        }
    }
}

/// The size of an exported image: pixels, or a sheet of paper at a resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageSize {
    Pixels { width: u32, height: u32 },
    Paper { paper: PaperSize, dpi: u32 },
}

/// What File › Export image… writes: the current view or a scene, PNG or SVG (by the path's
/// extension), at a size.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportImageRequest {
    pub path: PathBuf,
    /// A scene's name; `None` for the map as the editor shows it now.
    pub scene: Option<String>,
    pub size: ImageSize,
}

/// The Export image dialog's choices while they are made.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportImageForm {
    pub path: String,
    /// The project's scenes: name, Chinese title, English title.
    pub scenes: Vec<(String, String, String)>,
    pub scene: Option<String>,
    pub svg: bool,
    /// `None`: the pixel size below.
    pub paper: Option<PaperSize>,
    pub dpi: u32,
    pub width: u32,
    pub height: u32,
}

impl ExportImageForm {
    /// The defaults of `onemap export`: 1920 × 1080 px PNG; paper at 300 dpi.
    pub fn new(path: String, scenes: Vec<(String, String, String)>) -> Self {
        Self {
            path,
            scenes,
            scene: None,
            svg: false,
            paper: None,
            dpi: 300,
            width: 1920,
            height: 1080,
        }
    }

    /// The path with the extension of the chosen format.
    pub fn path_with_extension(&self) -> PathBuf {
        let ext = if self.svg { "svg" } else { "png" };
        PathBuf::from(self.path.trim()).with_extension(ext)
    }

    pub fn request(&self) -> ExportImageRequest {
        ExportImageRequest {
            path: self.path_with_extension(),
            scene: self.scene.clone(),
            size: match self.paper {
                Some(paper) => ImageSize::Paper {
                    paper,
                    dpi: self.dpi,
                },
                None => ImageSize::Pixels {
                    width: self.width,
                    height: self.height,
                },
            },
        }
    }
}
