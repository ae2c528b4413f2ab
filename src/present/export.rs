//! Export of a slide as PNG or SVG, at a pixel size or a paper size: the project's scenes, or
//! plain GeoJSON layers. Headless: no display and no GPU.

use std::path::{Path, PathBuf};

use egui::{Color32, Rect};
use thiserror::Error;

use crate::doc::AppData;
use crate::doc::Document;
use crate::io::IoError;
use crate::map::{ItemKey, MapFrame, Scene, ScreenTransform};
use crate::model::project::{MapView, NamedScene, Project};
use crate::model::style::{GroupStyle, LayerStyle, Paint, Rgba, Style};
use crate::model::view::ViewSettings;
use crate::model::{FeatureId, PlanFeature};

use super::render::{Rendered, encode_png, render, size_in_points};
use super::slide::{HIGH_CONTRAST_LINES, PROJECTOR_SCALE, Slide, short_attribution};
use super::tiles::{HeadlessTiles, TileSettings};
use super::{fit_view, zoom_for_canvas};
use crate::map::tiles::tile_shapes;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{path}: the output must end in .png or .svg")]
    Format { path: PathBuf },
    #[error("the project has no scene named `{name}`; it has: {known}")]
    NoScene { name: String, known: String },
    #[error("{width}×{height} px is not a size that can be exported (1 to 30000 px a side)")]
    Size { width: u32, height: u32 },
    #[error("{0}")]
    Io(#[from] IoError),
    #[error("could not encode the PNG: {0}")]
    Png(String),
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
                format!("{}：输出文件须以 .png 或 .svg 结尾", path.display())
            }
            (Self::NoScene { name, known }, Chinese) => {
                format!("项目中没有名为「{name}」的场景；现有：{known}")
            }
            (Self::Size { width, height }, Chinese) => {
                format!("{width}×{height} 像素不是可导出的尺寸（每边 1 至 30000 像素）")
            }
            (Self::Io(e), Chinese) => e.in_language(lang),
            (Self::Png(e), Chinese) => format!("无法编码 PNG：{e}"),
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
            _ => Err(ExportError::Format {
                path: path.to_owned(),
            }),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    /// Landscape width and height in millimetres.
    fn mm(self) -> (f32, f32) {
        match self {
            Self::A4 => (297.0, 210.0),
            Self::A3 => (420.0, 297.0),
        }
    }
}

/// The pixel size of an export and its scale factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Canvas {
    pub width_px: u32,
    pub height_px: u32,
    /// Pixels per point: text and symbols are this much larger than at 1:1.
    pub pixels_per_point: f32,
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
        })
    }

    /// A landscape sheet at a resolution: A3 at 300 dpi is 4961 × 3508 px. A point is a CSS
    /// pixel (1/96 in), so text has the size it has on screen.
    pub fn paper(paper: Paper, dpi: u32) -> Result<Self, ExportError> {
        let (w, h) = paper.mm();
        let px = |mm: f32| (mm / 25.4 * dpi as f32).round() as u32;
        let mut canvas = Self::pixels(px(w), px(h))?;
        canvas.pixels_per_point = dpi as f32 / 96.0;
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
    mut tiles: Option<&mut HeadlessTiles>,
) -> Rendered {
    let camera = inputs.spec.camera(area, canvas.size_in_points());
    let ground = color32(inputs.style.background);
    render(
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
            inputs
                .slide_on(rect, transform, tiles.is_some())
                .paint(painter);
        },
    )
}

/// Writes a rendering as PNG or SVG, atomically.
pub fn write(rendered: Rendered, background: Color32, out: &Path) -> Result<(), ExportError> {
    let bytes = match Format::of(out)? {
        Format::Png => encode_png(&rendered.to_image(background))
            .map_err(|e| ExportError::Png(e.to_string()))?,
        Format::Svg => rendered.to_svg().into_bytes(),
    };
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
    let (rendered, warnings) =
        render_slide(data, project, Some(project_path), &spec, canvas, tiles)?;
    write(rendered, color32(data.style.no_data), out)?;
    Ok(warnings)
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
    render_slide(data, project, Some(project_path), &spec, canvas, &tiles).map(|r| r.0)
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
    let (rendered, warnings) = render_slide(data, project, project_path, &spec, canvas, tiles)?;
    write(rendered, color32(data.style.no_data), out)?;
    Ok(warnings)
}

/// One slide of a project rendered in memory, as the data dir styles it, over the tiles of
/// its basemap when it has a tile basemap; with the warnings.
fn render_slide(
    data: &AppData,
    project: Project,
    project_path: Option<&Path>,
    spec: &SlideSpec,
    canvas: Canvas,
    tiles: &TileSettings,
) -> Result<(Rendered, Vec<String>), ExportError> {
    let style = data
        .base_style
        .with_overrides(&project.layer_order, &project.style_overrides);
    let scene = Scene::build(&data.plan, &data.basemap, &style);
    let doc = Document::on_plan(
        project,
        project_path.map(Path::to_owned),
        data.shared_plan.clone(),
        &style,
    );
    let mut spec = spec.clone();
    if let Some(b) = &tiles.basemap {
        spec.settings.basemap = b.clone();
    }
    let (mut headless, mut warnings) =
        HeadlessTiles::for_slide(&spec.settings.basemap, tiles, project_path);
    if let Some(h) = &headless {
        h.fill_attribution(&mut spec.settings.basemap);
    }
    let date = today();
    let inputs = SlideInputs {
        plan: &data.plan,
        style: &style,
        attribution: &data.attribution,
        scene: &scene,
        doc: &doc,
        spec: &spec,
        high_contrast: false,
        date: &date,
    };
    let area = super::plan_area(&data.plan);
    let rendered = render_project_on(&inputs, area, canvas, headless.as_mut());
    if let Some(h) = &headless {
        warnings.extend(h.outcome(&spec.settings.basemap)?);
    }
    Ok((rendered, warnings))
}

/// Prints how long each stage of an export took, when ONEMAP_TIMING is set (for benchmarks).
struct StageTimer {
    start: std::time::Instant,
    on: bool,
}

impl StageTimer {
    fn new() -> Self {
        Self {
            start: std::time::Instant::now(),
            on: std::env::var_os("ONEMAP_TIMING").is_some(),
        }
    }

    fn done(&self, stage: &str) {
        if self.on {
            eprintln!(
                "{stage}: {:.1} ms",
                self.start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

fn color32(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0, c.1, c.2, c.3)
}

/// Paints of the layers of a plain GeoJSON export, one per file, in turn.
const GEOJSON_PAINTS: [(Rgba, Rgba); 4] = [
    (Rgba(60, 130, 200, 110), Rgba(25, 70, 140, 255)),
    (Rgba(230, 120, 40, 110), Rgba(150, 70, 10, 255)),
    (Rgba(80, 170, 90, 110), Rgba(30, 100, 40, 255)),
    (Rgba(170, 80, 170, 110), Rgba(100, 30, 100, 255)),
];

/// Plain GeoJSON layers as a style of their own: one group, a layer per file. Layers with
/// points get a symbol (which is also what their legend swatch shows).
pub fn geojson_style(names: &[String], has_points: &[bool]) -> Style {
    let layers = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let points = has_points.get(i).copied().unwrap_or(false);
            let (fill, stroke) = GEOJSON_PAINTS[i % GEOJSON_PAINTS.len()];
            LayerStyle {
                id: format!("geojson.{i}"),
                name_zh: name.clone(),
                name_en: name.clone(),
                draw_order: 10 + i as u32,
                visible: true,
                paint: Paint {
                    fill: Some(fill),
                    stroke: Some(stroke),
                    width_px: Some(0.8),
                    symbol: points.then_some(crate::model::style::Symbol::Circle),
                    symbol_px: points.then_some(5.0),
                    ..Paint::default()
                },
                variants: Vec::new(),
            }
        })
        .collect();
    Style {
        background: Rgba(255, 255, 255, 255),
        no_data: Rgba(255, 255, 255, 255),
        highlight: Rgba(255, 160, 0, 255),
        selection: Rgba(230, 30, 120, 255),
        groups: vec![GroupStyle {
            id: "geojson".into(),
            name_zh: "GeoJSON".into(),
            name_en: "GeoJSON".into(),
            layers,
        }],
        data_layer_paints: Default::default(),
    }
}

/// Exports plain GeoJSON layers, fitted to their extent, with no basemap or plan.
pub fn export_geojson_layers(
    paths: &[PathBuf],
    canvas: Canvas,
    out: &Path,
) -> Result<(), ExportError> {
    use geo::BoundingRect as _;
    Format::of(out)?;
    let timer = StageTimer::new();
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let mut features = Vec::new();
    let mut has_points = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let layer = crate::io::geojson_reader::read_geometries(path)?;
        has_points.push(
            layer
                .iter()
                .any(|g| matches!(g, geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_))),
        );
        features.extend(
            layer
                .into_iter()
                .enumerate()
                .map(|(n, geometry)| PlanFeature {
                    id: FeatureId(format!("geojson.{i}.{n}")),
                    layer: format!("geojson.{i}"),
                    geometry,
                    properties: Default::default(),
                }),
        );
    }
    timer.done("read");
    let style = geojson_style(&names, &has_points);
    let bbox = features
        .iter()
        .filter_map(|f| f.geometry.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::Coord {
                    x: a.min().x.min(b.min().x),
                    y: a.min().y.min(b.min().y),
                },
                geo::Coord {
                    x: a.max().x.max(b.max().x),
                    y: a.max().y.max(b.max().y),
                },
            )
        })
        .unwrap_or_else(|| {
            geo::Rect::new(
                geo::Coord { x: 118.9, y: 28.8 },
                geo::Coord { x: 123.2, y: 32.8 },
            )
        });
    // The legend needs to know only which layers have features: one of each is kept.
    let mut legend_features: Vec<PlanFeature> = Vec::new();
    for f in &features {
        if legend_features.last().is_none_or(|l| l.layer != f.layer) {
            legend_features.push(PlanFeature {
                geometry: geo::Geometry::Point(geo::Point::new(0.0, 0.0)),
                ..f.clone()
            });
        }
    }
    let camera = fit_view(bbox, canvas.size_in_points());
    // Degrees of longitude a pixel of the output, to simplify the geometries to.
    let px_deg = 360.0 / (2f64.powf(camera.zoom) * 256.0) / f64::from(canvas.pixels_per_point);
    let overlay = Scene::build_overlay_for_drawing(features, &style, px_deg);
    timer.done("prepare");
    let empty = Scene::build_overlay(&[], &style);
    let settings = ViewSettings::from_style(&style);
    let date = today();
    let plan = crate::model::Plan::new(crate::model::Region::SHANGHAI_METROPOLITAN_AREA);
    let title = names.join(", ");
    let attribution = format!("Data: {title}");
    let rendered = render(
        canvas.width_px,
        canvas.height_px,
        canvas.pixels_per_point,
        |painter, rect| {
            let slide = Slide {
                frame: MapFrame {
                    scene: &empty,
                    overlay: &overlay,
                    sketches: &Default::default(),
                    style: &style,
                    view: &settings,
                    transform: transform_for(camera, rect),
                    rect,
                    hovered: None,
                    selected: &[],
                    symbol_scale: PROJECTOR_SCALE,
                    line_scale: 1.0,
                    hidden: &crate::map::draw::NO_FEATURES,
                    sketched: &crate::map::draw::NO_FEATURES,
                    sketches_shown: true,
                    tiles_under: false,
                },
                plan: &plan,
                project_features: &legend_features,
                title: title.clone(),
                subtitle: String::new(),
                attribution: attribution.clone(),
                date: date.clone(),
                high_contrast: false,
            };
            slide.paint(painter);
        },
    );
    timer.done("paint");
    // The triangles are made from the shapes alone: the prepared geometry can go.
    drop(overlay);
    let result = write(rendered, Color32::WHITE, out);
    timer.done("rasterize and write");
    result
}
