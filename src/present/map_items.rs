//! A large map's features drawn straight onto an export's image, as the app's map canvas draws
//! them (`map::canvas`): in bands of rows, one per core, each band painting, tessellating and
//! rasterizing the features that reach its rows a run at a time (`map::canvas_runs`).
//!
//! Painted whole into egui's shapes first, the 1M-vertex layer's features were some 40 MB of
//! meshes, made on both cores, then tessellated and rasterized chunk by chunk with both cores
//! waiting for each other at every chunk, each looking at every triangle. Here each core draws
//! its rows from start to end; a run's buffers are used again for the next.
//!
//! The triangles are those the map canvas makes for the screen (tessellated against the whole
//! map), blended in the same order: the joined bands are the picture one thread would draw.

use std::sync::Arc;

use egui::Shape;
use egui::epaint::{PaintCallback, TessellationOptions};

use crate::map::MapFrame;
use crate::map::canvas_runs::draw_band_runs;

use super::raster::{Image, Textures, rasterize_rows};

/// Maps with at least this many items (in the scene and the overlay) have their features
/// drawn apart, as the app draws them from its map canvas's picture from this many on.
pub const APART_FROM: usize = crate::map::paint_cache::CACHED_FROM;

/// Stands in a slide's shapes for the map's features, drawn apart (see [`draw_items_onto`]).
pub struct ItemsApart;

/// The shape that stands for the features of a map in `frame`'s rectangle.
pub fn items_apart_marker(frame: &MapFrame<'_>) -> Shape {
    Shape::Callback(PaintCallback {
        rect: frame.rect,
        callback: Arc::new(ItemsApart),
    })
}

/// Draws the features `frame` shows onto `image`, whose pixel (0, 0) is the corner of
/// `frame.rect` at `ppp` pixels per point, in one band of rows per core.
pub fn draw_items_onto(
    frame: &MapFrame<'_>,
    image: &mut Image,
    textures: &Textures,
    tessellation: (f32, TessellationOptions),
) {
    // One band per core. (Two to eight per core, each band's pixels then fitting in a core's
    // cache, were measured slower: features near a seam are painted once per band.)
    let bands = std::thread::available_parallelism().map_or(1, |n| n.get());
    draw_items_in_bands(frame, image, textures, tessellation, bands);
}

/// [`draw_items_onto`] in `bands` bands of rows (at least one), each on a thread of its own.
pub fn draw_items_in_bands(
    frame: &MapFrame<'_>,
    image: &mut Image,
    textures: &Textures,
    (ppp, options): (f32, TessellationOptions),
    bands: usize,
) {
    let size = [image.width, image.height];
    if size[0] == 0 || size[1] == 0 {
        return;
    }
    let band_rows = size[1].div_ceil(bands.max(1));
    let draw = |(i, rows): (usize, &mut [[u8; 4]])| {
        let top = i * band_rows;
        let bottom = top + rows.len() / size[0];
        draw_band_runs(frame, top..bottom, size, (ppp, options), &mut |run| {
            rasterize_rows(rows, top, size, &run, textures, ppp);
            run
        })
    };
    let mut bands = image.pixels.chunks_mut(size[0] * band_rows).enumerate();
    let first = bands.next();
    let timing = std::thread::scope(|scope| {
        let others: Vec<_> = bands.map(|band| scope.spawn(move || draw(band))).collect();
        let mut drawn: Vec<_> = first.map(draw).into_iter().collect();
        for other in others {
            drawn.push(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        drawn
    });
    if std::env::var_os("ONEMAP_TIMING").is_some() {
        for (i, band) in timing.iter().enumerate() {
            eprintln!(
                "  band {i}: {} items in {} runs ({} vertices) painted in {:.0} ms, rasterized in {:.0} ms",
                band.items,
                band.runs,
                band.vertices,
                band.painting.as_secs_f64() * 1000.0,
                band.rasterizing.as_secs_f64() * 1000.0
            );
        }
    }
}
