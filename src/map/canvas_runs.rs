//! The map canvas worker's bands of rows and its buffers for one run of items at a time (see
//! `canvas.rs`).
//!
//! The picture can be cut into bands of rows (see [`DEFAULT_BANDS`] for why it is one by
//! default), each painted, tessellated and rasterized on a thread of its own: a band takes the items that can reach it (in drawing order) and
//! draws them clipped to its rows. The triangles are the ones one thread would make for the
//! whole picture (tessellated against the whole picture's clip), blended in the same order
//! onto the same pixels, so the joined bands are that picture exactly. With one thread, the
//! 1M-vertex layer's picture spent a third of its time painting and tessellating on one core
//! (the rasterizer's bands having nothing to do meanwhile), and each of the rasterizer's bands
//! looked at every triangle of the picture.

use std::ops::Range;
use std::time::{Duration, Instant};

use egui::emath::TSTransform;
use egui::epaint::{ClippedPrimitive, ClippedShape, TessellationOptions, Tessellator};
use egui::{Color32, Rect, Shape, pos2};

use super::canvas::Rasterizer;
use super::draw::MapFrame;
use super::scene::Item;

/// At most this many bands, whatever the number of cores: a band's seam costs items drawn
/// twice.
const MAX_BANDS: usize = 8;

/// How many bands the worker draws a picture in unless told otherwise: one. Measured with the
/// app's allocator setting (`memory::set_allocator_options`: freed memory given back at
/// once), the 1M-vertex layer's picture came no sooner in two bands than in one on this
/// 2-core machine (click on Import to the picture shown 0.45-0.60 s against 0.43-0.58 s,
/// alternated runs, `examples/import_large`), and the import's peak was ~20 MiB higher
/// (146-154 against 127-131 MiB), which took it over the bar of 3x the file; the
/// export's rasterizer, which the worker calls, still uses every core for its own bands.
const DEFAULT_BANDS: usize = 1;

/// The picture's rows cut into `count` bands, by default [`DEFAULT_BANDS`] (at least one band,
/// even of no rows). The export's rasterizer draws a picture in one band of rows per core,
/// the same rows, so that each of ours is drawn by one of its threads, the others finding
/// nothing to draw in their rows.
pub(super) fn bands(height: usize, count: Option<usize>) -> Vec<Range<usize>> {
    let count = count.unwrap_or(DEFAULT_BANDS).clamp(1, MAX_BANDS);
    let rows = height.div_ceil(count).max(1);
    // `max(1)`: a picture of no rows is one band of none.
    (0..height.max(1))
        .step_by(rows)
        .map(|top| top..(top + rows).min(height))
        .collect()
}

/// How far beyond its geometry's bounding box an item's paint reaches, in points: half the
/// widest stroke (16 px in the style, 8 for a data layer), an arrow's barb, half the largest
/// point symbol (26 px) with its outline, egui's feathering; with room to spare, scaled as
/// the frame scales symbols and lines. An item further than this from a band draws nothing
/// in it.
fn reach(frame: &MapFrame<'_>) -> f32 {
    8.0 + 32.0 * frame.symbol_scale.max(frame.line_scale).max(1.0)
}

/// One band of the picture, drawn.
pub(super) struct Band {
    /// Its rows' pixels, row-major (premultiplied).
    pub pixels: Vec<Color32>,
    pub runs: BandRuns,
}

/// What a band's runs were: how many items, runs and vertices, and the time they took.
pub struct BandRuns {
    pub items: usize,
    pub runs: usize,
    pub vertices: usize,
    pub painting: Duration,
    /// Waiting for the rasterizer (see `draw_band`).
    pub rasterizing: Duration,
}

/// A band drawn with the picture's rasterizer: [`draw_band_runs`], then its rows.
pub(super) fn draw_band(
    frame: &MapFrame<'_>,
    rows: Range<usize>,
    size: [usize; 2],
    tessellation: (f32, TessellationOptions),
    rasterize: Rasterizer,
) -> Band {
    let mut raster = rasterize(size, tessellation.0);
    let mut runs = draw_band_runs(frame, rows.clone(), size, tessellation, &mut |run| {
        raster.draw(run)
    });
    let at = Instant::now();
    let pixels = raster.rows(rows);
    runs.rasterizing += at.elapsed();
    Band { pixels, runs }
}

/// Paints and tessellates the `items` (in drawing order) that reach the picture's `rows`, a
/// run at a time, each run handed to `draw` to be drawn in those rows only, onto a picture of
/// `size` pixels. `frame` is the map with the picture's corner at the origin. `draw` hands
/// back a buffer for the next run (see [`super::canvas::Raster::draw`]).
pub fn draw_band_runs(
    frame: &MapFrame<'_>,
    rows: Range<usize>,
    size: [usize; 2],
    (ppp, options): (f32, TessellationOptions),
    draw: &mut dyn FnMut(Vec<ClippedPrimitive>) -> Vec<ClippedPrimitive>,
) -> BandRuns {
    let started = Instant::now();
    let whole = rows.start == 0 && rows.end >= size[1];
    let clip = Rect::from_min_max(
        pos2(frame.rect.min.x, rows.start as f32 / ppp),
        pos2(frame.rect.max.x, rows.end as f32 / ppp),
    );
    let near = frame.transform.lonlat_rect(clip.expand(reach(frame)));
    let mine = band_items(frame, (!whole).then_some(near));
    // `rasterizing`: the time this thread waited for the rasterizer, which may draw a run
    // while this one paints the next.
    let (mut vertices, mut rasterizing) = (0, Duration::ZERO);
    let runs = frame.runs(&mine);
    let mut buffers = RunBuffers::new(ppp, options, frame.rect);
    for run in &runs {
        let primitives = buffers.tessellated(frame, run, ppp, clip);
        vertices += primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum::<usize>();
        let at = Instant::now();
        buffers.primitives = draw(std::mem::take(&mut buffers.primitives));
        rasterizing += at.elapsed();
    }
    BandRuns {
        items: mine.len(),
        runs: runs.len(),
        vertices,
        painting: started.elapsed() - rasterizing,
        rasterizing,
    }
}

/// The items the picture shows ([`MapFrame::visible_items`], in drawing order) that reach
/// `near` (a band and what reaches it; `None`: the whole picture), each band looking up its
/// own in the scenes' indexes.
fn band_items<'a>(frame: &MapFrame<'a>, near: Option<geo::Rect<f64>>) -> Vec<&'a Item> {
    // As `visible_items`: what lies in the picture, grown by 24 points.
    let view = frame.transform.lonlat_rect(frame.rect.expand(24.0));
    let mut items = Vec::new();
    for scene in [frame.scene, frame.overlay] {
        let found = scene.items_in_without_index(near.unwrap_or(view));
        items.extend(
            found
                .into_iter()
                .map(|i| &scene.items[i])
                .filter(|item| near.is_none() || overlaps(&item.bbox, &view))
                .filter(|item| frame.shown(item)),
        );
    }
    items
}

fn overlaps(a: &geo::Rect<f64>, b: &geo::Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// The worker's buffers for a run's shapes and triangles, kept from run to run: a run's mesh
/// grows by doubling to a few MB, and made afresh for each of a large layer's ~50 runs it was
/// freed and allocated again each time (the 1M-vertex import's peak: 212-224 -> 207-214 MiB).
/// The triangles go to the rasterizer, which hands back an earlier run's (see
/// [`super::canvas::Raster::draw`]).
pub(super) struct RunBuffers {
    tessellator: Tessellator,
    clip: Rect,
    shapes: Vec<Shape>,
    pub(super) primitives: Vec<ClippedPrimitive>,
}

impl RunBuffers {
    pub(super) fn new(ppp: f32, options: TessellationOptions, clip: Rect) -> Self {
        Self {
            tessellator: Tessellator::new(ppp, options, [1, 1], Vec::new()),
            clip,
            shapes: Vec::new(),
            primitives: Vec::new(),
        }
    }

    /// A run of items painted and tessellated as the picture's own (clipped to the picture),
    /// into the last run's buffers, to be drawn only within `rows` (a band of the picture).
    /// No prepared discs: circles are tessellated as paths, with egui's white texel only.
    pub(super) fn tessellated(
        &mut self,
        frame: &MapFrame<'_>,
        run: &[&Item],
        ppp: f32,
        rows: Rect,
    ) -> &[ClippedPrimitive] {
        self.shapes.clear();
        frame.paint_items(run, ppp, &mut self.shapes);
        // The first mesh is kept with its capacity (the tessellator appends to the last
        // primitive while the clip and texture match, as all of a run's paths do).
        self.primitives.truncate(1);
        if let Some(ClippedPrimitive {
            primitive: egui::epaint::Primitive::Mesh(mesh),
            clip_rect,
        }) = self.primitives.first_mut()
        {
            // Not Mesh::clear, which drops the vertices' buffer.
            mesh.indices.clear();
            mesh.vertices.clear();
            // The picture's clip again (the band's was set for drawing), for the tessellator
            // to append to this mesh.
            *clip_rect = self.clip;
        }
        // Tessellated against the whole picture, so that a shape's triangles are the same
        // in every band it reaches; drawn only in the band's rows.
        for shape in self.shapes.drain(..) {
            self.tessellator.tessellate_clipped_shape(
                ClippedShape {
                    clip_rect: self.clip,
                    shape,
                    transform_after_tessellation: TSTransform::IDENTITY,
                },
                &mut self.primitives,
            );
        }
        for p in &mut self.primitives {
            p.clip_rect = p.clip_rect.intersect(rows);
        }
        &self.primitives
    }
}
