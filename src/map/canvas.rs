//! A large map's features as one picture, rendered off the UI thread: QGIS's map canvas cache.
//!
//! With a layer of 50,000 polygons at its full extent, a frame that hands egui the features'
//! triangles costs tens of milliseconds however they are cached: picking the items in view and
//! counting them, then copying 2.4 million vertices into egui's output (and, in the app, up to
//! the GPU), every frame. Here a worker thread paints and tessellates the features of the view
//! as a frame would, rasterizes them in software (the export's rasterizer, handed in by the
//! app: this layer does not know it) into an image of the view and a margin around it, and the
//! frame shows that image as one texture: its cost no longer depends on the data.
//!
//! What the hand did is what the map does:
//! - the picture is used only while everything it was painted from is unchanged (the data,
//!   the style, every layer's visibility and opacity, the view settings, the map's size; the
//!   [`Look`]); after any such change, until a picture of the new look arrives, the frames
//!   paint the features themselves, but not those of the largest layers in view (see
//!   [`super::pending`]): those are left out, named in [`DrawStats::drawing`] for the map to
//!   say that they are being drawn, rather than painted and tessellated whole on the UI
//!   thread (tens of milliseconds a frame, and the whole layer's mesh in memory at once, next
//!   to the worker's) or shown from a picture that is no longer right;
//! - the worker can draw the picture in bands of rows, on threads of its own (see
//!   `canvas_runs`: the bands joined are the picture one thread would draw); each band paints,
//!   tessellates and rasterizes its features in runs of items (see [`RUN`]), so that it never
//!   holds more than a run's shapes and triangles besides the picture;
//! - while the view moves (a pan, a zoom), the last picture of the same look is shown moved
//!   and scaled with it as a stand-in, and once the view stands still (a frame with the view of
//!   the frame before) a picture of that view is ordered; when it lands the map shows exactly
//!   that view's features;
//! - hover and selection outlines, sketched plan features' outlines and labels are drawn over
//!   the picture every frame, as over the painted features.
//!
//! The counts of what is in view ([`DrawStats`]) and the label candidates are made by the
//! worker for the picture's view: while the view moves they are the stand-in's, until the
//! picture of the new view lands.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use egui::epaint::{ClippedPrimitive, TessellationOptions};
use egui::{Color32, ColorImage, Pos2, Rect, Shape, TextureHandle, TextureOptions, pos2, vec2};

use super::canvas_runs::{bands, draw_band};
use super::draw::{DrawStats, MapFrame, ScreenTransform};
use super::frame_look::FrameLook;
use super::paint_cache::{CACHED_FROM, PaintCache, Tessellation};
use super::scene::{Item, Scene};

/// A picture being rasterized: egui's primitives are drawn onto it in order, a run at a time
/// (premultiplied alpha, transparent where nothing is drawn). Texture coordinates refer to a
/// texture that is white everywhere: the features use only egui's white texel.
pub trait Raster {
    /// Draws these primitives over what is drawn already, in the order handed over: now, or
    /// on another thread while the caller paints its next run. Hands back a buffer for the
    /// caller's next run: these primitives once drawn, or those of an earlier run, or none.
    fn draw(&mut self, primitives: Vec<ClippedPrimitive>) -> Vec<ClippedPrimitive>;
    /// The picture.
    fn finish(self: Box<Self>) -> ColorImage;
    /// The picture's `rows` only, row-major: the rows of a band (see `canvas_runs`), the
    /// others not drawn. A rasterizer that can hand them over without the other rows should.
    fn rows(self: Box<Self>, rows: std::ops::Range<usize>) -> Vec<Color32> {
        let image = self.finish();
        let width = image.size[0];
        image
            .pixels
            .get(rows.start * width..rows.end * width)
            .map(<[Color32]>::to_vec)
            .unwrap_or_default()
    }
}

/// Starts a picture of `[width, height]` pixels, at `pixels_per_point` (handed in by the app:
/// the export's rasterizer, which this layer does not know). Called on the worker.
pub type Rasterizer = fn([usize; 2], f32) -> Box<dyn Raster>;

/// The worker paints, tessellates and rasterizes at most this many items at a time, and
/// ([`RUN_VERTICES`]) about this many of their vertices: a run's shapes and triangles are all
/// it holds besides the picture. The whole 1M-vertex layer's mesh is about 2.4 million
/// vertices (egui's meshes grow by doubling: up to twice that in memory); a run, some 50,000.
pub const RUN: usize = 1024;
/// See [`RUN`]: a run ends once its items' lines have this many vertices at the picture's
/// scale (one item larger than that is a run of its own).
pub const RUN_VERTICES: usize = 1 << 15;

/// The picture covers the view and this many points beyond each side, for pans.
pub const MARGIN: f32 = 128.0;

/// Everything the picture depends on besides where the map is (scale and offset).
#[derive(Clone, PartialEq)]
pub struct Look {
    scene: u64,
    overlay: u64,
    rect: Rect,
    /// Points beyond each side of the view: [`MARGIN`], or less for the texture to fit.
    margin: f32,
    ppp: f32,
    options: TessellationOptions,
    settings: FrameLook,
}

impl Look {
    fn of(frame: &MapFrame<'_>, margin: f32, ppp: f32, options: TessellationOptions) -> Self {
        Self {
            scene: frame.scene.revision(),
            overlay: frame.overlay.revision(),
            rect: frame.rect,
            margin,
            ppp,
            options,
            settings: FrameLook::of(frame),
        }
    }

    /// Whether `frame` (with these settings) looks as this, without cloning anything.
    fn matches(
        &self,
        frame: &MapFrame<'_>,
        margin: f32,
        ppp: f32,
        options: &TessellationOptions,
    ) -> bool {
        self.scene == frame.scene.revision()
            && self.overlay == frame.overlay.revision()
            && self.rect == frame.rect
            && self.margin == margin
            && self.ppp == ppp
            && &self.options == options
            && self.settings.matches(frame)
    }
}

/// An item of the scene (`false`) or of the overlay (`true`), by index.
type ItemRef = (bool, usize);

/// A rendered picture, as the worker hands it back.
struct Rendered {
    look: Look,
    transform: ScreenTransform,
    /// The picture's rectangle on screen (points) at `transform`.
    area: Rect,
    image: ColorImage,
    stats: DrawStats,
    /// Items with a label in the view, in drawing order.
    labelled: Vec<ItemRef>,
    took: Duration,
}

/// The picture shown, as a texture.
struct Picture {
    look: Look,
    transform: ScreenTransform,
    area: Rect,
    texture: TextureHandle,
    stats: DrawStats,
    labelled: Vec<ItemRef>,
}

/// A picture being rendered.
struct Job {
    done: Receiver<Rendered>,
}

/// The map's canvas, kept by the map panel from frame to frame.
#[derive(Default)]
pub struct MapCanvas {
    picture: Option<Picture>,
    job: Option<Job>,
    /// The view of the frame before: a frame with the same view stands still.
    last_view: Option<(f64, [f64; 2], Rect)>,
    /// How long the last picture took to render on the worker, for `ONEMAP_TIMING` and the
    /// benchmark.
    pub last_render: Option<Duration>,
    /// Pictures rendered so far: for tests and benchmarks.
    pub renders: u64,
    /// How many bands of rows the worker draws a picture in: one unless set (see
    /// `canvas_runs::DEFAULT_BANDS`; tests set it, to see that the bands join into the picture
    /// one band would be).
    pub bands: Option<usize>,
    /// The worker could not start or stopped without a picture: the frames paint everything
    /// themselves from then on, rather than leave layers out for a picture that never comes.
    failed: bool,
}

/// How a frame drew the features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanvasUse {
    /// From the picture of exactly this view.
    Current,
    /// From the picture of another view of the same look, moved and scaled.
    StandIn,
    /// Painted by the frame: a map whose picture would not fit in a texture, or whose
    /// worker failed.
    Painted,
    /// Painted by the frame but for the largest layers in view (named in
    /// [`DrawStats::drawing`]): their picture of this look is being drawn.
    Pending,
}

impl MapCanvas {
    /// The canvas kept in `ctx`'s memory for the map widget `id`, from frame to frame.
    pub fn kept(ctx: &egui::Context, id: egui::Id) -> Arc<egui::mutex::Mutex<Self>> {
        ctx.memory_mut(|m| {
            m.data
                .get_temp_mut_or_default::<Arc<egui::mutex::Mutex<Self>>>(id.with("canvas"))
                .clone()
        })
    }

    /// Whether a picture is being rendered.
    pub fn rendering(&self) -> bool {
        self.job.is_some()
    }

    /// Takes a finished picture, if one has landed, as the one shown when it is of the
    /// current look (a picture of an older look is dropped).
    fn receive(&mut self, ctx: &egui::Context, look_now: impl Fn(&Look) -> bool) {
        let Some(job) = &self.job else {
            return;
        };
        let rendered = match job.done.try_recv() {
            Ok(r) => r,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                // The worker panicked: the frames paint the features themselves.
                log::error!("the map canvas's worker stopped without a picture");
                self.job = None;
                self.failed = true;
                return;
            }
        };
        self.job = None;
        self.renders += 1;
        self.last_render = Some(rendered.took);
        if std::env::var_os("ONEMAP_TIMING").is_some() {
            eprintln!(
                "map canvas rendered {}x{} px in {:.1} ms",
                rendered.image.size[0],
                rendered.image.size[1],
                rendered.took.as_secs_f64() * 1000.0
            );
        }
        if !look_now(&rendered.look) {
            return;
        }
        let texture = match self.picture.take() {
            Some(mut p) => {
                p.texture.set(rendered.image, TextureOptions::LINEAR);
                p.texture
            }
            None => ctx.load_texture("onemap.map_canvas", rendered.image, TextureOptions::LINEAR),
        };
        self.picture = Some(Picture {
            look: rendered.look,
            transform: rendered.transform,
            area: rendered.area,
            texture,
            stats: rendered.stats,
            labelled: rendered.labelled,
        });
    }

    /// Starts the worker on `frame`'s view.
    fn order(
        &mut self,
        frame: &MapFrame<'_>,
        look: Look,
        rasterize: Rasterizer,
        ctx: &egui::Context,
    ) {
        let (send, done) = std::sync::mpsc::channel();
        let order = Order {
            scene: frame.scene.clone(),
            overlay: frame.overlay.clone(),
            look,
            transform: frame.transform,
            bands: self.bands,
        };
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("onemap map canvas".into())
            .spawn(move || {
                let rendered = order.render(rasterize);
                // The canvas may be gone (the map closed): nothing to hand it to.
                let _ = send.send(rendered);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.job = Some(Job { done }),
            Err(e) => {
                log::error!("the map canvas's worker could not start: {e}");
                self.failed = true;
            }
        }
    }
}

/// What the worker needs: its own (cheap) clones of the scenes, and the look.
struct Order {
    scene: Scene,
    overlay: Scene,
    look: Look,
    transform: ScreenTransform,
    /// See [`MapCanvas::bands`].
    bands: Option<usize>,
}

impl Order {
    /// Paints, tessellates and rasterizes the features of the view and its margin, and counts
    /// what is in the view.
    fn render(self, rasterize: Rasterizer) -> Rendered {
        let started = Instant::now();
        let look = &self.look;
        let ppp = look.ppp;
        // The picture's corner on the pixel grid, so that it is drawn pixel for pixel.
        let m = vec2(look.margin, look.margin);
        let corner = ((look.rect.min - m) * ppp).floor() / ppp;
        let far = ((look.rect.max + m) * ppp).ceil() / ppp;
        let area = Rect::from_min_max(corner, far);
        let frame = MapFrame {
            scene: &self.scene,
            overlay: &self.overlay,
            sketches: &look.settings.sketches,
            style: &look.settings.style,
            view: &look.settings.view,
            transform: self.transform,
            rect: look.rect,
            hovered: None,
            selected: &[],
            symbol_scale: look.settings.symbol_scale,
            line_scale: look.settings.line_scale,
            hidden: &look.settings.hidden,
            sketched: &look.settings.sketched,
            sketches_shown: look.settings.sketches_shown,
            tiles_under: look.settings.tiles_under,
        };
        // The same map with the picture's corner at the origin, grown by the margin.
        let local = MapFrame {
            transform: ScreenTransform {
                scale: self.transform.scale,
                offset: [
                    self.transform.offset[0] - f64::from(corner.x),
                    self.transform.offset[1] - f64::from(corner.y),
                ],
            },
            rect: Rect::from_min_size(Pos2::ZERO, area.size()),
            ..frame
        };
        let size = [
            (area.width() * ppp).round() as usize,
            (area.height() * ppp).round() as usize,
        ];
        let draw = |rows| draw_band(&local, rows, size, (ppp, look.options), rasterize);
        let bands = bands(size[1], self.bands);
        // The other bands on threads of their own (or here, if one cannot be started), the
        // first band and the counting here.
        let ((stats, labelled), counting, drawn) = std::thread::scope(|scope| {
            let others: Vec<_> = bands
                .iter()
                .skip(1)
                .map(|rows| {
                    let spawned = std::thread::Builder::new()
                        .name("onemap map band".into())
                        .spawn_scoped(scope, || draw(rows.clone()));
                    (rows.clone(), spawned.ok())
                })
                .collect();
            let counts = counted(&frame);
            let counting = started.elapsed();
            let mut drawn = vec![draw(bands[0].clone())];
            for (rows, spawned) in others {
                drawn.push(match spawned.map(|h| h.join()) {
                    Some(Ok(band)) => band,
                    // As if it had panicked here: the canvas sees no picture come.
                    Some(Err(panic)) => std::panic::resume_unwind(panic),
                    None => draw(rows),
                });
            }
            (counts, counting, drawn)
        });
        if std::env::var_os("ONEMAP_TIMING").is_some() {
            eprintln!(
                "map canvas: {} items in view, counted in {:.0} ms; {} bands of rows",
                stats.items_per_layer.values().sum::<usize>(),
                counting.as_secs_f64() * 1000.0,
                drawn.len()
            );
            for (rows, band) in bands.iter().zip(&drawn) {
                eprintln!(
                    "  rows {rows:?}: {} items painted and tessellated ({} vertices, {} runs) \
                     in {:.0} ms, waited {:.0} ms for the rasterizer",
                    band.runs.items,
                    band.runs.vertices,
                    band.runs.runs,
                    band.runs.painting.as_secs_f64() * 1000.0,
                    band.runs.rasterizing.as_secs_f64() * 1000.0
                );
            }
        }
        let mut pixels = Vec::new();
        for band in drawn {
            if pixels.is_empty() {
                // The first band's buffer has room for the whole picture.
                pixels = band.pixels;
            } else {
                pixels.extend(band.pixels);
            }
        }
        let image = if pixels.len() == size[0] * size[1] {
            ColorImage::new(size, pixels)
        } else {
            // A rasterizer that drew fewer rows than asked: nothing to show rather than a
            // picture out of place.
            ColorImage::new(size, vec![Color32::TRANSPARENT; size[0] * size[1]])
        };
        Rendered {
            look: self.look,
            transform: self.transform,
            area,
            image,
            stats,
            labelled,
            took: started.elapsed(),
        }
    }
}

impl MapFrame<'_> {
    /// `items` cut into runs of at most [`RUN`] items and about [`RUN_VERTICES`] vertices.
    pub(super) fn runs<'i, 'a>(&self, items: &'i [&'a Item]) -> Vec<&'i [&'a Item]> {
        let deg_per_px = self.transform.deg_per_px();
        let mut runs = Vec::new();
        let (mut start, mut vertices) = (0, 0);
        for (k, item) in items.iter().enumerate() {
            if k > start && (k - start >= RUN || vertices >= RUN_VERTICES) {
                runs.push(&items[start..k]);
                (start, vertices) = (k, 0);
            }
            vertices += item.points.len()
                + item
                    .lod_for(deg_per_px)
                    .map_or(0, |lod| lod.lines.vertex_count());
        }
        if start < items.len() {
            runs.push(&items[start..]);
        }
        runs
    }
}

/// What a frame counts of the items in view, and those with a label.
fn counted(frame: &MapFrame<'_>) -> (DrawStats, Vec<ItemRef>) {
    let mut stats = DrawStats::default();
    let mut labelled = Vec::new();
    let view = frame.transform.lonlat_rect(frame.rect.expand(24.0));
    for (in_overlay, scene) in [(false, frame.scene), (true, frame.overlay)] {
        for i in scene.items_in(view) {
            let item = &scene.items[i];
            if !frame.shown(item) {
                continue;
            }
            stats.count(item, frame.opacity(item));
            if item.label.is_some() {
                labelled.push((in_overlay, i));
            }
        }
    }
    (stats, labelled)
}

impl MapFrame<'_> {
    /// [`Self::shapes_cached`], with the features of a large map drawn from `canvas`'s picture
    /// when it has one of this look (see the module's notes), `rasterize` rendering pictures
    /// on a worker. Small maps are painted as by [`Self::shapes_cached`].
    pub fn shapes_canvas(
        &self,
        painter: &egui::Painter,
        canvas: &mut MapCanvas,
        cache: &mut PaintCache,
        rasterize: Rasterizer,
    ) -> (Vec<Shape>, DrawStats, CanvasUse) {
        if self.scene.items.len() + self.overlay.items.len() < CACHED_FROM {
            let (shapes, stats) = self.shapes_cached(painter, cache);
            return (shapes, stats, CanvasUse::Painted);
        }
        let t = Tessellation::of(painter);
        let ctx = painter.ctx();
        let Some(margin) = margin(self.rect, t.ppp, ctx.input(|i| i.max_texture_side)) else {
            // A map wider than a texture can be: painted by the frame.
            let mut shapes = Vec::with_capacity(256);
            let mut stats = self.paint_into(painter, Some(cache), &mut shapes);
            stats.canvas = Some(CanvasUse::Painted);
            return (shapes, stats, CanvasUse::Painted);
        };
        canvas.receive(ctx, |look| look.matches(self, margin, t.ppp, &t.options));
        let view = (self.transform.scale, self.transform.offset, self.rect);
        let still = canvas.last_view == Some(view);
        canvas.last_view = Some(view);
        let picture = canvas
            .picture
            .as_ref()
            .filter(|p| p.look.matches(self, margin, t.ppp, &t.options));
        let used = match picture {
            Some(p) if same_view(&p.transform, &self.transform) => CanvasUse::Current,
            Some(_) => CanvasUse::StandIn,
            None if canvas.failed => CanvasUse::Painted,
            None => CanvasUse::Pending,
        };
        if used != CanvasUse::Current && !canvas.failed {
            if canvas.job.is_none() && (still || picture.is_none()) {
                let look = Look::of(self, margin, t.ppp, t.options);
                canvas.order(self, look, rasterize, ctx);
            } else if !still {
                // The view moved: one more frame sees whether it stands still (egui paints
                // no frame without input). A worker busy with another picture asks for a
                // frame when it is done.
                ctx.request_repaint();
            }
        }
        let mut shapes = Vec::with_capacity(256);
        let mut stats = match canvas
            .picture
            .as_ref()
            .filter(|_| matches!(used, CanvasUse::Current | CanvasUse::StandIn))
        {
            Some(p) => {
                // The picture replaces the features: the frames' own tessellation is freed.
                cache.clear();
                self.paint_background(&mut shapes);
                shapes.push(p.shape(&self.transform));
                let items: Vec<&Item> = p
                    .labelled
                    .iter()
                    .filter_map(|&(in_overlay, i)| {
                        let scene = if in_overlay { self.overlay } else { self.scene };
                        scene.items.get(i)
                    })
                    .collect();
                self.paint_over(painter, &items, p.stats.clone(), &mut shapes)
            }
            None if used == CanvasUse::Pending => {
                // Nothing of the largest layers is tessellated here: their picture is coming.
                cache.clear();
                self.paint_pending(painter, &mut shapes)
            }
            None => self.paint_into(painter, Some(cache), &mut shapes),
        };
        stats.canvas = Some(used);
        (shapes, stats, used)
    }
}

impl Picture {
    /// The picture drawn where the map at `now` puts it.
    fn shape(&self, now: &ScreenTransform) -> Shape {
        let k = now.scale / self.transform.scale;
        let at = |p: Pos2, then: &ScreenTransform| {
            pos2(
                ((f64::from(p.x) - then.offset[0]) * k + now.offset[0]) as f32,
                ((f64::from(p.y) - then.offset[1]) * k + now.offset[1]) as f32,
            )
        };
        let rect = Rect::from_min_max(
            at(self.area.min, &self.transform),
            at(self.area.max, &self.transform),
        );
        Shape::image(
            self.texture.id(),
            rect,
            Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0)),
            Color32::WHITE,
        )
    }
}

/// The margin of a picture of a map in `rect`: [`MARGIN`], or less so that the picture fits
/// in a texture of `max_side` pixels; `None` if the map alone does not.
fn margin(rect: Rect, ppp: f32, max_side: usize) -> Option<f32> {
    // A pixel for the rounding of the picture's corners to the pixel grid, each side.
    let room = (max_side as f32 / ppp - rect.width().max(rect.height())) / 2.0 - 1.0 / ppp;
    (room >= 0.0).then_some(room.min(MARGIN))
}

fn same_view(a: &ScreenTransform, b: &ScreenTransform) -> bool {
    a.scale == b.scale && a.offset == b.offset
}
