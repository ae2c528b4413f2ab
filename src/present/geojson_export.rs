//! Export of plain GeoJSON layers (`onemap export --geojson`): fitted to their extent, each
//! file a layer of its own paint, with no basemap or plan.

use std::path::{Path, PathBuf};

use egui::Color32;

use crate::map::{MapFrame, Scene};
use crate::model::style::{GroupStyle, LayerStyle, Paint, Rgba, Style};
use crate::model::view::ViewSettings;
use crate::model::{FeatureId, PlanFeature};

use super::export::{Canvas, ExportError, Format, today, transform_for, write, write_png};
use super::fit_view;
use super::map_items::{APART_FROM, draw_items_onto, items_apart_marker};
use super::render::render;
use super::slide::{PROJECTOR_SCALE, Slide};
use crate::map::paint_cache::Tessellation;

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
            let wall = self.start.elapsed().as_secs_f64() * 1000.0;
            match cpu_and_faults() {
                Some((cpu, faults)) => eprintln!(
                    "{stage}: {wall:.1} ms (process CPU time {cpu:.1} ms, {faults} page faults)"
                ),
                None => eprintln!("{stage}: {wall:.1} ms"),
            }
        }
    }
}

/// The process's CPU time so far (all threads, in ms) and its minor page faults: how much of
/// a stage ran on both cores, and what touching fresh memory cost.
#[cfg(target_os = "linux")]
#[allow(clippy::useless_conversion)] // `c_long` is 32 bits on some targets.
fn cpu_and_faults() -> Option<(f64, i64)> {
    // SAFETY: getrusage fills the zeroed struct it is handed, plain integers.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0).then_some(usage)
    }?;
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    Some((
        ms(usage.ru_utime) + ms(usage.ru_stime),
        i64::from(usage.ru_minflt),
    ))
}

#[cfg(not(target_os = "linux"))]
fn cpu_and_faults() -> Option<(f64, i64)> {
    None
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

/// `prefix` followed by `n` in decimal: `format!` for each of a large layer's features, on
/// one core, took ~10 ms.
fn numbered(prefix: &str, n: usize) -> String {
    let mut digits = [0u8; 20];
    let (mut rest, mut start) = (n, digits.len());
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(prefix.len() + digits.len() - start);
    s.push_str(prefix);
    s.extend(digits[start..].iter().map(|&d| char::from(d)));
    s
}

/// The smallest rectangle holding both.
fn union(a: Option<geo::Rect<f64>>, b: Option<geo::Rect<f64>>) -> Option<geo::Rect<f64>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(geo::Rect::new(
            geo::Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            geo::Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )),
        (a, b) => a.or(b),
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
    let mut features: Vec<PlanFeature> = Vec::new();
    let mut has_points = Vec::new();
    let mut bbox: Option<geo::Rect<f64>> = None;
    for (i, path) in paths.iter().enumerate() {
        let layer_id = format!("geojson.{i}");
        // Each feature is made, and its geometry's extent found, as it is read, on the
        // reader's cores: afterwards, on one core, going over a 1M-vertex layer's coordinates
        // again took ~10 ms, and moving its features into a new list ~5 ms. Only the ids are
        // made here (a feature does not know its place in the file until the file is read).
        let layer = crate::io::geojson_reader::read_geometries_as(path, |geometry| {
            let extent = geometry.bounding_rect();
            let feature = PlanFeature {
                id: FeatureId(String::new()),
                layer: layer_id.clone(),
                geometry,
                properties: Default::default(),
            };
            (feature, extent)
        })?;
        has_points.push(layer.iter().any(|(f, _)| {
            matches!(
                f.geometry,
                geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_)
            )
        }));
        let prefix = format!("{layer_id}.");
        // In place: the pairs' room becomes the features'.
        let mut layer: Vec<PlanFeature> = layer
            .into_iter()
            .enumerate()
            .map(|(n, (mut feature, extent))| {
                bbox = union(bbox, extent);
                feature.id = FeatureId(numbered(&prefix, n));
                feature
            })
            .collect();
        if features.is_empty() {
            features = layer;
        } else {
            features.append(&mut layer);
        }
    }
    timer.done("read");
    let style = geojson_style(&names, &has_points);
    let bbox = bbox.unwrap_or_else(|| {
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
    let format = Format::of(out)?;
    let sketches = Default::default();
    let map = |rect: egui::Rect| MapFrame {
        scene: &empty,
        overlay: &overlay,
        sketches: &sketches,
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
    };
    // A large layer's features are drawn onto the image apart from the other shapes, as the
    // app's map canvas draws them for the screen (see `super::map_items`). An SVG or a PDF
    // holds the shapes themselves.
    let apart = format == Format::Png && overlay.items.len() >= APART_FROM;
    let mut tessellation = None;
    let rendered = render(
        canvas.width_px,
        canvas.height_px,
        canvas.pixels_per_point,
        |painter, rect| {
            let slide = Slide {
                frame: map(rect),
                plan: &plan,
                project_features: &legend_features,
                title: title.clone(),
                subtitle: String::new(),
                attribution: attribution.clone(),
                date: date.clone(),
                high_contrast: false,
            };
            if apart {
                let t = Tessellation::of(painter);
                tessellation = Some((t.ppp, t.options));
                slide.paint_items_apart(painter, items_apart_marker(&slide.frame));
            } else {
                slide.paint(painter);
            }
        },
    );
    timer.done("paint");
    // The triangles are made from the shapes alone: the prepared geometry can go. Freeing it
    // (most of it made on other threads, whose memory the allocator then has to take back)
    // took one core ~15 ms; for a PNG it is freed on the other core while this one encodes
    // the image, which is done on one core. (Freed while the image is rasterized, on both
    // cores, it showed no gain.)
    let result = match format {
        Format::Png => {
            let frame = map(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                canvas.size_in_points(),
            ));
            let image = rendered.to_image_with(Color32::WHITE, &mut |image, textures| {
                if let Some(tessellation) = tessellation {
                    draw_items_onto(&frame, image, textures, tessellation);
                }
            });
            timer.done("rasterize");
            std::thread::scope(|scope| {
                scope.spawn(move || drop(overlay));
                write_png(&image, out)
            })
        }
        Format::Svg | Format::Pdf => {
            drop(overlay);
            write(rendered, Color32::WHITE, out)
        }
    };
    timer.done("rasterize and write");
    result
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn numbered_is_the_prefix_and_the_number_in_decimal() {
        for n in [0, 7, 10, 99, 1000, 49_999, usize::MAX] {
            assert_eq!(numbered("geojson.0.", n), format!("geojson.0.{n}"));
        }
    }
}
