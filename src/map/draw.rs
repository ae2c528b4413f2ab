//! Painting the prepared scene for one frame. The only place that turns map data into pixels.

use egui::epaint::{Mesh, PathStroke, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, pos2, vec2};
use geo::Coord;

use crate::model::style::{Rgba, Style};
use crate::model::view::ViewSettings;

use super::clip::{along, clip_polyline, dash_offset};
use super::hairline::{SMALL_MESH_VERTICES, flush, spans_few_pixels};
use super::labels::{LabelCandidate, place_labels};
use super::paint_cache::{CACHED_FROM, PaintCache, Tessellation};
use super::scene::{Item, ItemKey, Merc, Scene};
/// Where it always was, for the swatches and sketches that draw symbols too.
pub use super::symbols::symbol_shape;

/// Normalized Web Mercator to screen: `screen = merc * scale + offset`. Exact for walkers'
/// projection, which is linear in normalized Mercator at a given zoom.
#[derive(Clone, Copy, Debug)]
pub struct ScreenTransform {
    pub scale: f64,
    pub offset: [f64; 2],
}

impl ScreenTransform {
    /// The transform of a map of zoom `zoom` whose centre `center` (lon/lat) is drawn at `at`.
    pub fn new(zoom: f64, center: Coord<f64>, at: Pos2) -> Self {
        let scale = 2f64.powf(zoom) * 256.0;
        let c = super::scene::merc(center);
        Self {
            scale,
            offset: [
                f64::from(at.x) - c[0] * scale,
                f64::from(at.y) - c[1] * scale,
            ],
        }
    }

    #[inline]
    pub fn to_screen(&self, m: Merc) -> Pos2 {
        pos2(
            (m[0] * self.scale + self.offset[0]) as f32,
            (m[1] * self.scale + self.offset[1]) as f32,
        )
    }

    /// Screen to lon/lat.
    pub fn to_lonlat(&self, p: Pos2) -> Coord<f64> {
        let x = (f64::from(p.x) - self.offset[0]) / self.scale;
        let y = (f64::from(p.y) - self.offset[1]) / self.scale;
        super::scene::lonlat_from_merc([x, y])
    }

    /// The map zoom (walkers' and the tiles'): 256 pixels span the world at zoom 0.
    pub fn zoom(&self) -> f64 {
        (self.scale / 256.0).log2()
    }

    /// Degrees of longitude per screen pixel.
    pub fn deg_per_px(&self) -> f64 {
        360.0 / self.scale
    }

    /// The lon/lat box seen through a screen rectangle.
    pub fn lonlat_rect(&self, r: Rect) -> geo::Rect<f64> {
        geo::Rect::new(
            self.to_lonlat(r.left_bottom()),
            self.to_lonlat(r.right_top()),
        )
    }
}

/// What one frame drew: items per layer and the label texts that found room. For tests and
/// benchmarks, which assert on what is drawn rather than on pixels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DrawStats {
    pub items_per_layer: std::collections::BTreeMap<String, usize>,
    pub labels: Vec<String>,
    /// How many of the items drawn are our sketches (`status: indicative`): while any is,
    /// the map carries the notice that says so.
    pub indicative: usize,
    /// How a large map's features were drawn by the map's canvas (see [`super::canvas`]);
    /// `None` when no canvas was asked.
    pub canvas: Option<super::canvas::CanvasUse>,
    /// Layers in view (by `Item::layer`) whose features this frame left out: the map's canvas
    /// is drawing them into its next picture (see [`super::pending`]), and the map says so.
    pub drawing: Vec<String>,
}

impl DrawStats {
    /// Counts an item in view, drawn at `opacity`.
    pub(super) fn count(&mut self, item: &Item, opacity: f32) {
        if item.indicative && opacity > 0.01 {
            self.indicative += 1;
        }
        // Cloned only for a layer's first item: a large file has tens of thousands.
        match self.items_per_layer.get_mut(item.layer.as_str()) {
            Some(n) => *n += 1,
            None => {
                self.items_per_layer.insert(item.layer.to_string(), 1);
            }
        }
    }
}

/// What a frame of the map needs besides the scene.
pub struct MapFrame<'a> {
    pub scene: &'a Scene,
    /// The project's placements and sketch layers, drawn over the plan.
    pub overlay: &'a Scene,
    /// Visibility and opacity of the sketch layers, by name.
    pub sketches: &'a std::collections::BTreeMap<String, crate::model::project::SketchLayer>,
    pub style: &'a Style,
    pub view: &'a ViewSettings,
    pub transform: ScreenTransform,
    /// The map's rectangle on screen.
    pub rect: Rect,
    pub hovered: Option<&'a ItemKey>,
    /// Everything selected (several placements after a box or Shift-click selection).
    pub selected: &'a [ItemKey],
    /// Multiplies symbol and label sizes (1 on screen; larger for projectors).
    pub symbol_scale: f32,
    /// Multiplies line widths (the high-contrast slide theme draws them wider).
    pub line_scale: f32,
    /// Plan features not drawn (replaced or removed by the project's sketch).
    pub hidden: &'a std::collections::BTreeSet<crate::model::FeatureId>,
    /// Sketched plan features, outlined as sketches.
    pub sketched: &'a std::collections::BTreeSet<crate::model::FeatureId>,
    /// Whether sketched plan features are drawn at all.
    pub sketches_shown: bool,
    /// Tiles are drawn under the map: the built-in basemap and the background are not.
    pub tiles_under: bool,
}

/// No features: for frames that hide none.
pub static NO_FEATURES: std::collections::BTreeSet<crate::model::FeatureId> =
    std::collections::BTreeSet::new();

pub fn color(c: Rgba, opacity: f32) -> Color32 {
    Color32::from_rgba_unmultiplied(
        c.0,
        c.1,
        c.2,
        (f32::from(c.3) * opacity.clamp(0.0, 1.0)).round() as u8,
    )
}

impl MapFrame<'_> {
    /// Whether an item is drawn at all under the current view settings.
    pub fn shown(&self, item: &Item) -> bool {
        if self.tiles_under && item.group == "basemap" {
            return false;
        }
        if let ItemKey::Feature(id) = &item.key {
            if !item.from_project && self.hidden.contains(id) {
                return false;
            }
            if item.from_project && !self.sketches_shown && self.sketched.contains(id) {
                return false;
            }
        }
        if item.indicative && self.view.hide_indicative {
            return false;
        }
        // A little slack: an export at zoom 11 asks for exactly 11.
        if item
            .min_zoom
            .is_some_and(|z| self.transform.zoom() + 1e-6 < z)
        {
            return false;
        }
        if let Some(name) = item.layer.strip_prefix(super::scene::SKETCH_PREFIX) {
            return self.view.group(&item.group).visible
                && self.sketches.get(name).is_some_and(|s| s.visible);
        }
        self.view.layer_shown(&item.group, &item.layer) && self.view.tier_shown(item.tier)
    }

    /// The opacity an item is drawn with.
    pub fn opacity(&self, item: &Item) -> f32 {
        if let Some(name) = item.layer.strip_prefix(super::scene::SKETCH_PREFIX) {
            return self.view.group(&item.group).opacity
                * self.sketches.get(name).map_or(1.0, |s| s.opacity);
        }
        self.view.opacity(&item.group, &item.layer)
    }

    /// An item of either scene by key.
    pub fn item(&self, key: &ItemKey) -> Option<&Item> {
        self.scene.item(key).or_else(|| self.overlay.item(key))
    }

    /// The items in view, in drawing order.
    pub fn visible_items(&self) -> impl Iterator<Item = &Item> {
        let view = self.transform.lonlat_rect(self.rect.expand(24.0));
        [self.scene, self.overlay]
            .into_iter()
            .flat_map(move |scene| {
                scene
                    .items_in(view)
                    .into_iter()
                    .map(move |i| &scene.items[i])
            })
            .filter(|item| self.shown(item))
    }

    /// Paints the whole map into `shapes`: background, features in cartographic order, the
    /// hover and selection outlines, then the labels that do not collide.
    /// `painter` is used only to lay out label text.
    pub fn shapes(&self, painter: &egui::Painter) -> (Vec<Shape>, DrawStats) {
        let mut shapes = Vec::with_capacity(4096);
        let stats = self.paint_into(painter, None, &mut shapes);
        (shapes, stats)
    }

    /// [`Self::shapes`], with the features of a view of many items tessellated once and kept
    /// in `cache` while the view and the data stay the same (see [`super::paint_cache`]).
    pub fn shapes_cached(
        &self,
        painter: &egui::Painter,
        cache: &mut PaintCache,
    ) -> (Vec<Shape>, DrawStats) {
        let mut shapes = Vec::with_capacity(4096);
        let stats = self.paint_into(painter, Some(cache), &mut shapes);
        (shapes, stats)
    }

    pub(super) fn paint_into(
        &self,
        painter: &egui::Painter,
        cache: Option<&mut PaintCache>,
        shapes: &mut Vec<Shape>,
    ) -> DrawStats {
        self.paint_around(painter, shapes, |items, shapes| match cache {
            Some(cache) if self.scene.items.len() + self.overlay.items.len() >= CACHED_FROM => {
                cache.paint(self, items, Tessellation::of(painter), shapes);
            }
            _ => self.paint_items(items, painter.pixels_per_point(), shapes),
        })
    }

    /// [`Self::shapes`] with `apart` in the place of the features, which the caller draws
    /// there itself: an export draws a large map's features straight onto its image, in bands
    /// of rows on every core, as the app's map canvas draws them (see `present::map_items`).
    pub fn shapes_with_items_apart(
        &self,
        painter: &egui::Painter,
        apart: Shape,
    ) -> (Vec<Shape>, DrawStats) {
        let mut shapes = Vec::with_capacity(256);
        let stats = self.paint_around(painter, &mut shapes, |_, shapes| shapes.push(apart));
        (shapes, stats)
    }

    /// The background, the items in view as `paint_items` paints them, then what goes over
    /// them; the counts of the items.
    fn paint_around(
        &self,
        painter: &egui::Painter,
        shapes: &mut Vec<Shape>,
        paint_items: impl FnOnce(&[&Item], &mut Vec<Shape>),
    ) -> DrawStats {
        let mut stats = DrawStats::default();
        self.paint_background(shapes);
        let items: Vec<&Item> = self.visible_items().collect();
        paint_items(&items, shapes);
        for item in &items {
            stats.count(item, self.opacity(item));
        }
        self.paint_over(painter, &items, stats, shapes)
    }

    /// The ground under the features: the basemap's frame, or the background.
    pub(super) fn paint_background(&self, shapes: &mut Vec<Shape>) {
        match self.scene.frame {
            _ if self.tiles_under => {}
            Some([nw, se]) => {
                shapes.push(Shape::rect_filled(
                    self.rect,
                    0.0,
                    color(self.style.no_data, 1.0),
                ));
                let frame =
                    Rect::from_min_max(self.transform.to_screen(nw), self.transform.to_screen(se));
                shapes.push(Shape::rect_filled(
                    frame.intersect(self.rect),
                    0.0,
                    color(self.style.background, 1.0),
                ));
            }
            None => shapes.push(Shape::rect_filled(
                self.rect,
                0.0,
                color(self.style.background, 1.0),
            )),
        }
    }

    /// What is drawn over the features: sketched plan features' outlines, the hover and
    /// selection outlines, then the labels of `items` (those in view) that do not collide.
    pub(super) fn paint_over(
        &self,
        painter: &egui::Painter,
        items: &[&Item],
        mut stats: DrawStats,
        shapes: &mut Vec<Shape>,
    ) -> DrawStats {
        let labels = items
            .iter()
            .filter_map(|item| {
                Some(LabelCandidate {
                    label: item.label.as_deref()?,
                    indicative: item.indicative,
                    opacity: self.opacity(item),
                    symbol_px: item.paint.symbol_px.unwrap_or(0.0) * self.symbol_scale,
                })
            })
            .collect();
        // Sketched plan features: a dashed magenta outline says "our sketch, not the plan".
        if !self.sketched.is_empty() {
            let stroke = Stroke::new(1.6, Color32::from_rgb(200, 0, 160));
            for item in self.overlay.items.iter().filter(|i| {
                matches!(&i.key, ItemKey::Feature(id) if self.sketched.contains(id))
                    && self.shown(i)
            }) {
                if let Some(lod) = item.lod_for(self.transform.deg_per_px()) {
                    for line in &lod.lines {
                        self.dashed(&self.screen_line(line), stroke, (6.0, 4.0), shapes);
                    }
                }
            }
        }
        let outlined = self
            .hovered
            .into_iter()
            .map(|k| (k, self.style.highlight))
            .chain(self.selected.iter().map(|k| (k, self.style.selection)));
        for (key, c) in outlined {
            if let Some(item) = self.item(key) {
                self.paint_outline(item, color(c, 1.0), shapes);
            }
        }
        stats.labels = place_labels(labels, self, painter, shapes);
        stats
    }

    /// Paints items in order. Many items (a large imported layer) are painted on every core,
    /// each core a run of them, and the runs joined in order.
    pub(super) fn paint_items(&self, items: &[&Item], ppp: f32, shapes: &mut Vec<Shape>) {
        const PARALLEL_FROM: usize = 4096;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let paint_run = |run: &[&Item], out: &mut Vec<Shape>| {
            // Consecutive items a few pixels across share one mesh (see `paint_item`).
            let mut small = Mesh::default();
            for item in run {
                self.paint_item(item, self.opacity(item), ppp, &mut small, out);
            }
            flush(&mut small, out);
        };
        if items.len() < PARALLEL_FROM || threads < 2 {
            paint_run(items, shapes);
            return;
        }
        let runs: Vec<Vec<Shape>> = std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(items.len().div_ceil(threads))
                .map(|run| {
                    scope.spawn(move || {
                        let mut out = Vec::with_capacity(run.len() * 2);
                        paint_run(run, &mut out);
                        out
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for run in runs {
            shapes.extend(run);
        }
    }

    /// Paints an item. One a few pixels across, with an outline, is appended to `small`
    /// instead (see [`Self::paint_small`]): a large layer's many small polygons become a few
    /// large meshes, not two shapes each. Anything else first pushes `small`.
    fn paint_item(
        &self,
        item: &Item,
        opacity: f32,
        ppp: f32,
        small: &mut Mesh,
        shapes: &mut Vec<Shape>,
    ) {
        if item.indicative && !self.is_project_sketch(item) {
            flush(small, shapes);
            self.paint_indicative(item, opacity, shapes);
            return;
        }
        let p = &item.paint;
        if let Some(lod) = item.lod_for(self.transform.deg_per_px()) {
            let width = p.width_px.unwrap_or(1.0) * self.line_scale;
            let lines: Vec<Vec<Pos2>> = match p.stroke {
                Some(_) => lod.lines.iter().map(|l| self.screen_line(l)).collect(),
                None => Vec::new(),
            };
            // A feature a few pixels across goes to `small`, without egui's feathering (see
            // `super::hairline`); arrows need room, and are drawn as usual.
            let few_pixels = p.arrows != Some(true)
                && !lines.is_empty()
                && lines.iter().all(|pts| spans_few_pixels(pts));
            match p.stroke {
                Some(stroke) if few_pixels => {
                    self.paint_small(p, lod, &lines, (stroke, width), opacity, ppp, small);
                    if small.vertices.len() >= SMALL_MESH_VERTICES {
                        flush(small, shapes);
                    }
                }
                stroke => {
                    flush(small, shapes);
                    if let (Some(fill), Some(mesh)) = (p.fill, &lod.fill) {
                        shapes.push(Shape::mesh(self.mesh(lod, mesh, color(fill, opacity))));
                    }
                    if let Some(stroke) = stroke {
                        let stroke = Stroke::new(width, color(stroke, opacity));
                        self.strokes(item, lines, stroke, opacity, shapes);
                    }
                }
            }
        }
        if p.symbol.is_some() {
            flush(small, shapes);
        }
        if let Some(symbol) = p.symbol {
            let size = p.symbol_px.unwrap_or(6.0) * self.symbol_scale;
            let fill = color(p.fill.unwrap_or(Rgba(60, 60, 60, 255)), opacity);
            let outline = Stroke::new(
                p.width_px.unwrap_or(1.0),
                color(p.stroke.unwrap_or(Rgba(255, 255, 255, 255)), opacity),
            );
            for m in &item.points {
                symbol_shape(
                    symbol,
                    self.transform.to_screen(*m),
                    size,
                    fill,
                    outline,
                    shapes,
                );
            }
        }
    }

    /// An item's lines on screen, with its stroke, dashes and arrows.
    fn strokes(
        &self,
        item: &Item,
        lines: Vec<Vec<Pos2>>,
        stroke: Stroke,
        opacity: f32,
        shapes: &mut Vec<Shape>,
    ) {
        let p = &item.paint;
        for pts in lines {
            if pts.len() < 2 {
                continue;
            }
            if p.arrows == Some(true) {
                // The band is translucent; its arrows are drawn in the same hue, opaque.
                let hue = p.stroke.unwrap_or(Rgba(0, 0, 0, 255));
                self.arrows(
                    &pts,
                    stroke.width,
                    color(Rgba(hue.0, hue.1, hue.2, 230), opacity),
                    shapes,
                );
            }
            match p.dash_px {
                Some(pattern) => {
                    // One shape for the line's dashes, not one a dash: a large layer's
                    // outlines are half a million dashes, and egui's paint list, which holds
                    // 96 bytes a shape, is copied twice in a frame (Painter::extend, then
                    // GraphicLayers::drain). Tessellated the same.
                    let mut dashes = Vec::new();
                    self.dashed(&pts, stroke, pattern, &mut dashes);
                    if !dashes.is_empty() {
                        shapes.push(Shape::Vec(dashes));
                    }
                }
                None => shapes.push(Shape::line(pts, stroke)),
            }
        }
    }

    /// Chevrons along a corridor band, pointing from its first vertex to its last; only
    /// where the band is in view (see [`super::clip`]).
    pub(super) fn arrows(&self, pts: &[Pos2], band_px: f32, c: Color32, shapes: &mut Vec<Shape>) {
        const SPACING_PX: f32 = 110.0;
        let size = (band_px * 0.45).max(4.0);
        let runs = clip_polyline(pts, self.pattern_rect(size));
        let stroke = PathStroke::new(2.0, c);
        along(&runs, SPACING_PX, SPACING_PX * 0.5, |tip, dir| {
            let normal = vec2(-dir.y, dir.x);
            let back = tip - dir * size;
            shapes.push(Shape::line(
                vec![back + normal * size * 0.7, tip, back - normal * size * 0.7],
                stroke.clone(),
            ));
        });
    }

    /// The view, grown by `margin` pixels: patterns are made only inside it.
    pub(super) fn pattern_rect(&self, margin: f32) -> Rect {
        self.rect.expand(margin.max(0.0) + 8.0)
    }

    /// A dashed line, dashed only where it is in view; the dashes stay put as the map pans.
    pub(super) fn dashed(
        &self,
        pts: &[Pos2],
        stroke: Stroke,
        (dash, gap): (f32, f32),
        shapes: &mut Vec<Shape>,
    ) {
        for run in clip_polyline(pts, self.pattern_rect(dash + gap + stroke.width)) {
            Shape::dashed_line_many_with_offset(
                &run.points,
                stroke,
                &[dash],
                &[gap],
                dash_offset(run.start, dash, gap),
                shapes,
            );
        }
    }

    /// A bright outline around an item, for hover and selection.
    fn paint_outline(&self, item: &Item, c: Color32, shapes: &mut Vec<Shape>) {
        if item.indicative && !self.is_project_sketch(item) {
            self.paint_sketch_outline(item, c, shapes);
            return;
        }
        let stroke = Stroke::new(3.0, c);
        if let Some(lod) = item.lod_for(self.transform.deg_per_px()) {
            for line in &lod.lines {
                shapes.push(Shape::line(self.screen_line(line), stroke));
            }
        }
        let r = item.paint.symbol_px.unwrap_or(6.0) * self.symbol_scale * 0.5 + 4.0;
        for m in &item.points {
            shapes.push(Shape::circle_stroke(
                self.transform.to_screen(*m),
                r,
                stroke,
            ));
        }
    }

    pub(super) fn mesh(
        &self,
        lod: &super::scene::Lod,
        fill: &super::scene::FillMesh,
        c: Color32,
    ) -> Mesh {
        let mut mesh = Mesh::default();
        self.fill_into(&mut mesh, lod, fill, c);
        mesh
    }

    /// Appends a level's fill, on screen, to `out`.
    pub(super) fn fill_into(
        &self,
        out: &mut Mesh,
        lod: &super::scene::Lod,
        fill: &super::scene::FillMesh,
        c: Color32,
    ) {
        let base = out.vertices.len() as u32;
        out.vertices.extend(fill.vertices(lod).map(|m| Vertex {
            pos: self.transform.to_screen(m),
            uv: WHITE_UV,
            color: c,
        }));
        out.indices
            .extend(fill.indices(lod).iter().map(|i| base + i));
    }

    /// A line on screen, with vertices closer than about a pixel to the last kept one dropped:
    /// at overview scales the data has several vertices per pixel, and tessellating them all
    /// would cost most of the frame.
    pub fn screen_line(&self, line: super::scene::Line<'_>) -> Vec<Pos2> {
        let mut out: Vec<Pos2> = Vec::with_capacity(line.len());
        let last_index = line.len().saturating_sub(1);
        for (i, m) in line.iter().enumerate() {
            let p = self.transform.to_screen(m);
            match out.last() {
                Some(last) if i != last_index && (p - *last).length_sq() < 0.8 => {}
                _ => out.push(p),
            }
        }
        out
    }
}
