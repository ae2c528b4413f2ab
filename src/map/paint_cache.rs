//! A large map's features, tessellated once per view and reused while nothing changes.
//!
//! With a layer of tens of thousands of polygons in view, most of a frame was egui's
//! tessellation of their outlines: the same triangles, frame after frame, while the map stood
//! still. Here the features' shapes are tessellated with epaint's own tessellator, with the
//! options, pixels per point and clip rectangle egui would use, so the triangles are the ones
//! egui would make; while the view, the data and every setting that shapes the picture are
//! unchanged, the frame only hands egui the finished meshes. Hover and selection outlines and
//! labels are drawn over them each frame, as before, so they need no new tessellation.
//!
//! A pan moves every vertex by the same amount. The first pan after a change paints the
//! features again, with a margin of [`PAN_MARGIN`] points around the view (items, dashes,
//! dots and hatching are made out to it, and nothing inside it is culled); while later pans
//! stay within that margin, the kept shapes are handed over moved, not painted again. Dashes
//! and hatching are fixed to the map, so the moved shapes are the ones a fresh frame would
//! make, up to the rounding of the vertices' positions (and egui's rounding of axis-aligned
//! lines to pixels, after a move by a fraction of one); once the pan stops (a frame with the
//! view of the frame before), they are painted again for that view.

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::epaint::{ClippedShape, Primitive, TessellationOptions, Tessellator};
use egui::{Rect, Shape, Vec2, vec2};

use super::draw::MapFrame;
use super::frame_look::FrameLook;
use super::scene::Item;

/// Maps of at least this many items (a large layer loaded) are painted through the cache:
/// below it a frame is cheap, and the cache would only cost memory.
pub const CACHED_FROM: usize = 4096;

/// After a pan the features are painted this many points beyond each side of the view, so
/// that pans within it reuse them (moved).
pub const PAN_MARGIN: f32 = 128.0;

/// Everything the features' triangles depend on. Hover and selection are not in it: they
/// are drawn over the features, never into them.
#[derive(Clone, PartialEq)]
struct Key {
    scene: u64,
    overlay: u64,
    scale: f64,
    offset: [f64; 2],
    rect: Rect,
    clip: Rect,
    ppp: f32,
    options: TessellationOptions,
    font_image_size: [usize; 2],
    settings: FrameLook,
}

/// What egui needs to tessellate as it would: its options and its font atlas's size.
#[derive(Clone, Copy)]
pub struct Tessellation {
    pub ppp: f32,
    pub options: TessellationOptions,
    pub font_image_size: [usize; 2],
    /// The clip rectangle the shapes are painted with.
    pub clip: Rect,
}

impl Tessellation {
    /// The settings of `painter`'s context.
    pub fn of(painter: &egui::Painter) -> Self {
        let ctx = painter.ctx();
        Self {
            ppp: painter.pixels_per_point(),
            options: ctx.tessellation_options(|o| *o),
            font_image_size: ctx.fonts(|f| f.font_image_size()),
            clip: painter.clip_rect(),
        }
    }
}

/// The last view's tessellated features. Kept by the map panel from frame to frame.
#[derive(Default)]
pub struct PaintCache {
    key: Option<Key>,
    /// Whether the shapes were painted with [`PAN_MARGIN`] around the view (after a pan).
    wide: bool,
    /// The view's offset in the frame before, and whether that frame was handed the shapes
    /// moved.
    last: Option<([f64; 2], bool)>,
    /// The features' shapes: runs of them tessellated into meshes, and between the runs the
    /// shapes only egui can tessellate as it does (see [`tessellated_alike`]).
    shapes: Vec<Shape>,
    /// How many times the features were tessellated: for tests and benchmarks.
    pub tessellations: u64,
}

impl PaintCache {
    /// The cache kept in `ctx`'s memory for the map widget `id`, from frame to frame.
    pub fn kept(ctx: &egui::Context, id: egui::Id) -> Arc<egui::mutex::Mutex<Self>> {
        ctx.memory_mut(|m| {
            m.data
                .get_temp_mut_or_default::<Arc<egui::mutex::Mutex<Self>>>(id)
                .clone()
        })
    }

    /// Pushes the features `items` of `frame`: the kept shapes while the view and everything
    /// else the picture depends on are unchanged, else freshly painted and tessellated ones,
    /// kept for the next frame.
    pub fn paint(
        &mut self,
        frame: &MapFrame<'_>,
        items: &[&Item],
        t: Tessellation,
        shapes: &mut Vec<Shape>,
    ) {
        let reuse = self.reuse(frame, &t);
        self.last = Some((frame.transform.offset, matches!(reuse, Reuse::Moved(_))));
        match reuse {
            Reuse::AsKept => shapes.extend(self.shapes.iter().cloned()),
            Reuse::Moved(by) => {
                shapes.extend(self.shapes.iter().map(|s| {
                    let mut s = s.clone();
                    s.translate(by);
                    s
                }));
            }
            Reuse::No { panned } => {
                let started = std::time::Instant::now();
                let mut painted = Vec::with_capacity(items.len() * 2);
                if panned {
                    // The frame grown by the margin: its items, patterns and culling reach out
                    // to it. The shapes are still clipped to the map's rectangle by egui.
                    let wide = MapFrame {
                        rect: frame.rect.expand(PAN_MARGIN),
                        ..*frame
                    };
                    let items: Vec<&Item> = wide.visible_items().collect();
                    wide.paint_items(&items, t.ppp, &mut painted);
                } else {
                    frame.paint_items(items, t.ppp, &mut painted);
                }
                let clip = if panned {
                    t.clip.expand(PAN_MARGIN)
                } else {
                    t.clip
                };
                self.shapes = tessellate(painted, &Tessellation { clip, ..t });
                self.tessellations += 1;
                self.key = Some(key(frame, &t));
                self.wide = panned;
                if std::env::var_os("ONEMAP_TIMING").is_some() {
                    eprintln!(
                        "map features painted and tessellated into {} shapes: {:.1} ms",
                        self.shapes.len(),
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                }
                shapes.extend(self.shapes.iter().cloned());
            }
        }
    }

    /// Drops the kept shapes (the map's canvas shows the features): their memory is freed.
    pub fn clear(&mut self) {
        self.key = None;
        self.last = None;
        self.shapes = Vec::new();
    }

    /// Whether the kept meshes show `frame` as it would be painted now, as they are or moved.
    fn reuse(&self, frame: &MapFrame<'_>, t: &Tessellation) -> Reuse {
        let Some(k) = &self.key else {
            return Reuse::No { panned: false };
        };
        let same_but_offset = k.scene == frame.scene.revision()
            && k.overlay == frame.overlay.revision()
            && k.scale == frame.transform.scale
            && k.rect == frame.rect
            && k.clip == t.clip
            && k.ppp == t.ppp
            && k.options == t.options
            && k.font_image_size == t.font_image_size
            && k.settings.matches(frame);
        if !same_but_offset {
            return Reuse::No { panned: false };
        }
        let o = frame.transform.offset;
        if k.offset == o {
            return Reuse::AsKept;
        }
        let by = vec2((o[0] - k.offset[0]) as f32, (o[1] - k.offset[1]) as f32);
        if !(self.wide && by.x.abs() <= PAN_MARGIN && by.y.abs() <= PAN_MARGIN) {
            Reuse::No { panned: true }
        } else if self.last == Some((o, true)) {
            // The pan has stopped: painted again for this view, the map shows exactly what a
            // fresh frame shows (egui rounds axis-aligned lines to pixels, which a move by a
            // fraction of a pixel does not).
            Reuse::No { panned: false }
        } else {
            Reuse::Moved(by)
        }
    }
}

/// How a frame can use the kept shapes.
enum Reuse {
    AsKept,
    /// Moved by a pan of this many points.
    Moved(Vec2),
    /// Not at all: paint again, with the pan margin after a pan.
    No {
        panned: bool,
    },
}

fn key(frame: &MapFrame<'_>, t: &Tessellation) -> Key {
    Key {
        scene: frame.scene.revision(),
        overlay: frame.overlay.revision(),
        scale: frame.transform.scale,
        offset: frame.transform.offset,
        rect: frame.rect,
        clip: t.clip,
        ppp: t.ppp,
        options: t.options,
        font_image_size: t.font_image_size,
        settings: FrameLook::of(frame),
    }
}

/// Shapes whose triangles do not depend on egui's font atlas: all but circles (small ones are
/// drawn from discs prepared in the atlas) and text.
fn tessellated_alike(shape: &Shape) -> bool {
    match shape {
        Shape::Vec(shapes) => shapes.iter().all(tessellated_alike),
        Shape::Circle(_) | Shape::Text(_) | Shape::Callback(_) => false,
        _ => true,
    }
}

/// The shapes, with each run of them that egui would tessellate alike tessellated, as
/// egui's tessellator makes them with the same settings, into meshes; the others as they are.
fn tessellate(shapes: Vec<Shape>, t: &Tessellation) -> Vec<Shape> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for shape in shapes {
        if tessellated_alike(&shape) {
            run.push(ClippedShape {
                clip_rect: t.clip,
                shape,
                transform_after_tessellation: TSTransform::IDENTITY,
            });
        } else {
            out.extend(meshes(std::mem::take(&mut run), t));
            out.push(shape);
        }
    }
    out.extend(meshes(run, t));
    out
}

fn meshes(run: Vec<ClippedShape>, t: &Tessellation) -> impl Iterator<Item = Shape> {
    Tessellator::new(t.ppp, t.options, t.font_image_size, Vec::new())
        .tessellate_shapes(run)
        .into_iter()
        .filter_map(|p| match p.primitive {
            Primitive::Mesh(mesh) => Some(Shape::Mesh(Arc::new(mesh))),
            Primitive::Callback(_) => None,
        })
}
