//! Export of a slide as PNG, SVG or PDF: at a pixel size, the slide as presenter mode shows it;
//! on a sheet of paper, the print layout (`super::print`). The project's scenes, or plain
//! GeoJSON layers. Headless: no display and no GPU.

use std::path::{Path, PathBuf};

use egui::{Color32, Rect};
use thiserror::Error;

use crate::doc::AppData;
use crate::doc::Document;
use crate::io::IoError;
use crate::map::{ItemKey, MapFrame, Scene, ScreenTransform};
use crate::model::FeatureId;
use crate::model::project::{MapView, NamedScene, Project};
use crate::model::style::{Rgba, Style};
use crate::model::view::ViewSettings;

use super::render::{Rendered, encode_png, render, size_in_points};
use super::slide::{HIGH_CONTRAST_LINES, PROJECTOR_SCALE, Slide, short_attribution};
use super::tiles::{HeadlessTiles, TileSettings};
use super::{fit_view, zoom_for_canvas};
use crate::map::tiles::tile_shapes;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{path}: the output must end in .png, .svg or .pdf")]
    Format { path: PathBuf },
    #[error("{path}: a map book is a PDF: the output must end in .pdf")]
    BookFormat { path: PathBuf },
    #[error("a scale of 1:{0} is not one a map can be printed at (1:1000 to 1:50000000)")]
    Scale(u32),
    #[error("the project has no scene named `{name}`; it has: {known}")]
    NoScene { name: String, known: String },
    #[error("{width}×{height} px is not a size that can be exported (1 to 30000 px a side)")]
    Size { width: u32, height: u32 },
    #[error("{0}")]
    Io(#[from] IoError),
    #[error("could not encode the PNG: {0}")]
    Png(String),
    #[error("could not write the PDF: {0}")]
    Pdf(String),
    #[error(
        "{count} tile(s) of the basemap {basemap} are neither cached nor local; \
         run again with --allow-network to download them, or choose --basemap builtin"
    )]
    TilesNotCached { count: usize, basemap: String },
}

impl ExportError {
    /// The error in the interface language (English: as displayed, the command line's words).
    pub fn in_language(&self, lang: crate::model::UiLanguage) -> String {
        use crate::model::UiLanguage::{Chinese, English};
        match (self, lang) {
            (_, English) => self.to_string(),
            (Self::Format { path }, Chinese) => {
                format!("{}：输出文件须以 .png、.svg 或 .pdf 结尾", path.display())
            }
            (Self::BookFormat { path }, Chinese) => {
                format!("{}：地图册是 PDF 文件，须以 .pdf 结尾", path.display())
            }
            (Self::Scale(n), Chinese) => {
                format!("比例尺 1:{n} 无法用于打印（须在 1:1000 至 1:50000000 之间）")
            }
            (Self::NoScene { name, known }, Chinese) => {
                format!("项目中没有名为「{name}」的场景；现有：{known}")
            }
            (Self::Size { width, height }, Chinese) => {
                format!("{width}×{height} 像素不是可导出的尺寸（每边 1 至 30000 像素）")
            }
            (Self::Io(e), Chinese) => e.in_language(lang),
            (Self::Png(e), Chinese) => format!("无法编码 PNG：{e}"),
            (Self::Pdf(e), Chinese) => format!("无法写出 PDF：{e}"),
            (Self::TilesNotCached { count, basemap }, Chinese) => format!(
                "底图 {basemap} 有 {count} 个瓦片既未缓存也不在本地；请加 --allow-network 下载，或改用内置底图"
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Pdf,
}

impl Format {
    pub fn of(path: &Path) -> Result<Self, ExportError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(Self::Png),
            Some("svg") => Ok(Self::Svg),
            Some("pdf") => Ok(Self::Pdf),
            _ => Err(ExportError::Format {
                path: path.to_owned(),
            }),
        }
    }
}

pub use super::paper::{Paper, Sheet, parse_scale};
pub(crate) use super::prepared::{Prepared, background};

/// The pixel size of an export and its scale factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Canvas {
    pub width_px: u32,
    pub height_px: u32,
    /// Pixels per point: text and symbols are this much larger than at 1:1.
    pub pixels_per_point: f32,
    /// The sheet of paper, for the print layout; `None`: a slide at a pixel size.
    pub sheet: Option<Sheet>,
}

impl Canvas {
    /// A pixel size. Larger than the 1080p reference, everything scales up with it, so that
    /// a 4K export looks like the presentation, only sharper.
    pub fn pixels(width_px: u32, height_px: u32) -> Result<Self, ExportError> {
        if !(1..=30_000).contains(&width_px) || !(1..=30_000).contains(&height_px) {
            return Err(ExportError::Size {
                width: width_px,
                height: height_px,
            });
        }
        let ratio = (width_px as f32 / super::REFERENCE_SIZE.x)
            .min(height_px as f32 / super::REFERENCE_SIZE.y);
        Ok(Self {
            width_px,
            height_px,
            pixels_per_point: ratio.max(1.0),
            sheet: None,
        })
    }

    /// A landscape sheet at a resolution: A3 at 300 dpi is 4961 × 3508 px. A point is a CSS
    /// pixel (1/96 in), so text has the size it has on screen.
    pub fn paper(paper: Paper, dpi: u32) -> Result<Self, ExportError> {
        Self::sheet(
            Sheet {
                paper,
                portrait: false,
                scale: None,
            },
            dpi,
        )
    }

    /// A sheet of paper at a resolution, for the print layout.
    pub fn sheet(sheet: Sheet, dpi: u32) -> Result<Self, ExportError> {
        if let Some(n) = sheet.scale
            && !(1_000..=50_000_000).contains(&n)
        {
            return Err(ExportError::Scale(n));
        }
        let (w, h) = sheet.mm();
        let px = |mm: f32| (mm / 25.4 * dpi as f32).round() as u32;
        let mut canvas = Self::pixels(px(w), px(h))?;
        canvas.pixels_per_point = dpi as f32 / 96.0;
        canvas.sheet = Some(sheet);
        Ok(canvas)
    }

    pub fn size_in_points(&self) -> egui::Vec2 {
        size_in_points(self.width_px, self.height_px, self.pixels_per_point)
    }
}

/// What a slide shows: the view settings, where, the highlights and the title.
#[derive(Clone, Debug, PartialEq)]
pub struct SlideSpec {
    pub settings: ViewSettings,
    pub view: Option<MapView>,
    pub highlighted: Vec<ItemKey>,
    pub title: String,
    pub subtitle: String,
}

impl SlideSpec {
    /// A scene of the project, or (with `None`) the project as it is set up.
    pub fn of(project: &Project, scene: Option<&NamedScene>) -> Self {
        match scene {
            Some(s) => {
                let settings = s
                    .settings
                    .clone()
                    .unwrap_or_else(|| project.settings.clone());
                let language = settings.language;
                Self {
                    title: s.title(language),
                    subtitle: s.subtitle(language),
                    view: s.view,
                    highlighted: s
                        .highlighted
                        .iter()
                        .map(|id| ItemKey::Feature(FeatureId(id.0.clone())))
                        .collect(),
                    settings,
                }
            }
            None => Self {
                title: project
                    .settings
                    .language
                    .label(&project.meta.title_zh, &project.meta.title_en),
                subtitle: String::new(),
                view: project.view,
                highlighted: Vec::new(),
                settings: project.settings.clone(),
            },
        }
    }

    /// The centre and zoom on a canvas of `size` points; `area` when the spec has no view.
    pub fn camera(&self, area: geo::Rect<f64>, size: egui::Vec2) -> MapView {
        match self.view {
            Some(v) => MapView {
                center: v.center,
                zoom: zoom_for_canvas(v.zoom, size),
            },
            None => fit_view(area, size),
        }
    }
}

/// Finds a scene by name (or, failing that, by title in either language).
pub fn find_scene<'p>(project: &'p Project, name: &str) -> Result<&'p NamedScene, ExportError> {
    project
        .scenes
        .iter()
        .find(|s| s.name == name)
        .or_else(|| {
            project
                .scenes
                .iter()
                .find(|s| s.title_zh == name || s.title_en == name)
        })
        .ok_or_else(|| ExportError::NoScene {
            name: name.to_owned(),
            known: project
                .scenes
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Today's date for the slide, UTC.
pub fn today() -> String {
    crate::io::clock::now_rfc3339()
        .split('T')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Everything needed to paint a slide of a project.
pub struct SlideInputs<'a> {
    pub plan: &'a crate::model::Plan,
    /// The style with the project's overrides.
    pub style: &'a Style,
    /// `assets/ATTRIBUTION.md`.
    pub attribution: &'a str,
    pub scene: &'a Scene,
    pub doc: &'a Document,
    pub spec: &'a SlideSpec,
    pub high_contrast: bool,
    pub date: &'a str,
}

impl SlideInputs<'_> {
    /// The slide on `rect` with the map seen through `transform`.
    pub fn slide(&self, rect: Rect, transform: ScreenTransform) -> Slide<'_> {
        self.slide_on(rect, transform, false)
    }

    /// [`Self::slide`], drawn over tiles (`tiles_under`): without the built-in basemap, and
    /// with the tiles' attribution added to the slide's.
    pub fn slide_on(&self, rect: Rect, transform: ScreenTransform, tiles_under: bool) -> Slide<'_> {
        let mut attribution = short_attribution(self.attribution);
        if tiles_under {
            attribution =
                super::tiles::with_tiles(&attribution, &self.spec.settings.basemap.attribution());
        }
        Slide {
            frame: MapFrame {
                scene: self.scene,
                overlay: &self.doc.overlay,
                sketches: &self.doc.project.sketch_layers,
                style: self.style,
                view: &self.spec.settings,
                transform,
                rect,
                hovered: None,
                selected: &self.spec.highlighted,
                symbol_scale: PROJECTOR_SCALE,
                line_scale: if self.high_contrast {
                    HIGH_CONTRAST_LINES
                } else {
                    1.0
                },
                hidden: &self.doc.sketch.replaced,
                sketched: &self.doc.sketch.sketched,
                sketches_shown: true,
                tiles_under,
            },
            plan: self.plan,
            project_features: &self.doc.features,
            title: self.spec.title.clone(),
            subtitle: self.spec.subtitle.clone(),
            attribution,
            date: self.date.to_owned(),
            high_contrast: self.high_contrast,
        }
    }
}

/// The transform that puts `camera` at the centre of `rect`.
pub fn transform_for(camera: MapView, rect: Rect) -> ScreenTransform {
    let center = geo::Coord {
        x: camera.center.0,
        y: camera.center.1,
    };
    ScreenTransform::new(camera.zoom, center, rect.center())
}

/// Renders a slide of the project headless.
pub fn render_project(inputs: &SlideInputs<'_>, area: geo::Rect<f64>, canvas: Canvas) -> Rendered {
    render_project_on(inputs, area, canvas, None)
}

/// [`render_project`] over `tiles`, when the slide's basemap is a tile source.
pub fn render_project_on(
    inputs: &SlideInputs<'_>,
    area: geo::Rect<f64>,
    canvas: Canvas,
    tiles: Option<&mut HeadlessTiles>,
) -> Rendered {
    render_slide_counting(inputs, area, canvas, tiles).0
}

/// [`render_project_on`], and how many of the items drawn are our sketches.
pub(crate) fn render_slide_counting(
    inputs: &SlideInputs<'_>,
    area: geo::Rect<f64>,
    canvas: Canvas,
    mut tiles: Option<&mut HeadlessTiles>,
) -> (Rendered, usize) {
    let camera = inputs.spec.camera(area, canvas.size_in_points());
    let ground = color32(inputs.style.background);
    let mut indicative = 0;
    let rendered = render(
        canvas.width_px,
        canvas.height_px,
        canvas.pixels_per_point,
        |painter, rect| {
            let transform = transform_for(camera, rect);
            if let Some(tiles) = tiles.as_deref_mut() {
                tiles.use_context(painter.ctx());
                let ppp = canvas.pixels_per_point;
                painter.extend(tile_shapes(&transform, rect, ppp, ground, tiles).0);
            }
            indicative = inputs
                .slide_on(rect, transform, tiles.is_some())
                .paint(painter)
                .indicative;
        },
    );
    (rendered, indicative)
}

/// Writes a rendering as PNG, SVG or PDF, atomically.
pub fn write(rendered: Rendered, background: Color32, out: &Path) -> Result<(), ExportError> {
    write_titled(rendered, background, &super::pdf::PdfInfo::default(), out)
}

/// [`write`], with the title and author a PDF carries in its properties.
pub fn write_titled(
    rendered: Rendered,
    background: Color32,
    info: &super::pdf::PdfInfo,
    out: &Path,
) -> Result<(), ExportError> {
    let bytes = match Format::of(out)? {
        Format::Png => return write_png(&rendered.to_image(background), out),
        Format::Svg => rendered.to_svg().into_bytes(),
        Format::Pdf => {
            super::pdf::to_pdf(&[rendered], background, info).map_err(ExportError::Pdf)?
        }
    };
    crate::io::atomic::atomic_write(out, &bytes, false)?;
    Ok(())
}

/// Writes an image as a PNG file.
pub(crate) fn write_png(image: &super::raster::Image, out: &Path) -> Result<(), ExportError> {
    let bytes = encode_png(image).map_err(|e| ExportError::Png(e.to_string()))?;
    crate::io::atomic::atomic_write(out, &bytes, false)?;
    Ok(())
}

/// Exports a project (one of its scenes, or its current setup) as the data dir styles it.
pub fn export_project(
    data: &AppData,
    project: Project,
    project_path: &Path,
    scene_name: Option<&str>,
    canvas: Canvas,
    out: &Path,
) -> Result<(), ExportError> {
    let tiles = TileSettings::default();
    export_project_with(data, project, project_path, scene_name, canvas, out, &tiles).map(drop)
}

/// [`export_project`] with the tiles drawn as `tiles` says; returns the warnings (a tile
/// source that cannot be opened, tiles that failed).
pub fn export_project_with(
    data: &AppData,
    project: Project,
    project_path: &Path,
    scene_name: Option<&str>,
    canvas: Canvas,
    out: &Path,
    tiles: &TileSettings,
) -> Result<Vec<String>, ExportError> {
    Format::of(out)?;
    let scene_def = scene_name.map(|n| find_scene(&project, n)).transpose()?;
    let spec = SlideSpec::of(&project, scene_def);
    export_slide(data, project, Some(project_path), spec, canvas, out, tiles)
}

/// The slide `export_project` writes, rendered in memory: what the fuzzer paints.
pub fn render_project_slide(
    data: &AppData,
    project: Project,
    project_path: &Path,
    scene_name: Option<&str>,
    canvas: Canvas,
) -> Result<Rendered, ExportError> {
    let scene_def = scene_name.map(|n| find_scene(&project, n)).transpose()?;
    let spec = SlideSpec::of(&project, scene_def);
    let tiles = TileSettings::default();
    let prepared = Prepared::new(data, project, Some(project_path), &tiles);
    prepared
        .render(data, &spec, canvas)
        .map(|(rendered, _)| rendered)
}

/// Exports one slide of a project as the data dir styles it: what `onemap export` and the
/// app's File › Export image… both run. Returns the warnings, as [`export_project_with`].
pub fn export_slide(
    data: &AppData,
    project: Project,
    project_path: Option<&Path>,
    spec: SlideSpec,
    canvas: Canvas,
    out: &Path,
    tiles: &TileSettings,
) -> Result<Vec<String>, ExportError> {
    Format::of(out)?;
    let prepared = Prepared::new(data, project, project_path, tiles);
    let (rendered, warnings) = prepared.render(data, &spec, canvas)?;
    let info = prepared.pdf_info(&spec);
    write_titled(rendered, color32(data.style.no_data), &info, out)?;
    Ok(warnings)
}

pub(crate) fn color32(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0, c.1, c.2, c.3)
}

pub use super::geojson_export::{export_geojson_layers, geojson_style};
