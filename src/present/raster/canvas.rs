//! The map canvas's rasterizer (see `map::canvas`): the export's, onto a transparent picture
//! with a white texture where egui's white texel is (the features use no other texel), on a
//! thread of its own.
//!
//! The canvas's worker paints and tessellates a run of features, hands it over, and paints
//! the next while this thread rasterizes the last: with the two in turn on one thread, the
//! 1M-vertex layer's picture took painting plus rasterizing (~180 + ~200 ms), and one core
//! was idle while the worker painted. Two runs' buffers go back and forth (see
//! [`Raster::draw`]): no more is held than one run's more, and nothing is allocated again.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use egui::epaint::ClippedPrimitive;
use egui::{Color32, ColorImage};

use crate::map::canvas::Raster;

use super::{Image, Textures, cores, rasterize_on};

/// Starts a picture of `size` pixels at `pixels_per_point` for the map canvas, rasterized on a
/// thread of its own (or, if none can be started, on the caller's).
pub fn canvas_raster(size: [usize; 2], pixels_per_point: f32) -> Box<dyn Raster> {
    let mut picture = Picture::new(size, pixels_per_point);
    let (jobs, queue) = channel::<Vec<ClippedPrimitive>>();
    let (done, drawn) = channel();
    let spawned = std::thread::Builder::new()
        .name("onemap canvas raster".into())
        .spawn(move || {
            for mut primitives in queue {
                picture.draw(&primitives);
                // The worker reuses the first mesh's room (`canvas_runs::RunBuffers`); any
                // others are freed here, off its thread.
                primitives.truncate(1);
                // The canvas may have stopped waiting (it panicked): nothing to hand back.
                let _ = done.send(primitives);
            }
            picture
        });
    match spawned {
        Ok(thread) => Box::new(CanvasRaster::Worker {
            jobs,
            drawn,
            thread,
            queued: 0,
        }),
        Err(e) => {
            log::warn!("the map canvas's rasterizer runs on the worker: {e}");
            Box::new(CanvasRaster::Here(Picture::new(size, pixels_per_point)))
        }
    }
}

/// The picture being drawn and what draws it.
struct Picture {
    image: Image,
    textures: Textures,
    pixels_per_point: f32,
    /// Threads to rasterize on: every core but one, left to the canvas's worker, which paints
    /// the next run meanwhile. On 2 cores that is one thread: the 1M-vertex layer's picture came
    /// sooner than on both (0.345-0.359 s against 0.353-0.387 s from the click on Import, five
    /// alternated runs of `examples/import_large`; `cargo bench --bench import_large`, file
    /// chosen to the layer shown, 446 and 418 ms against 458 and 477 ms), but a picture zoomed
    /// in, where little is painted and the plan's fills cover every pixel, came later
    /// (`frame_large`, catching up after a pan: 238 against 157 ms).
    threads: usize,
}

impl Picture {
    fn new(size: [usize; 2], pixels_per_point: f32) -> Self {
        let white = ColorImage::new([1, 1], vec![Color32::WHITE]);
        let mut white_texel = egui::TexturesDelta::default();
        white_texel.set.insert(
            egui::TextureId::default(),
            std::iter::once(egui::epaint::ImageDelta::full(
                white,
                egui::TextureOptions::LINEAR,
            ))
            .collect(),
        );
        let mut textures = Textures::default();
        textures.apply(&white_texel);
        white_texel.clear();
        Self {
            image: Image::new(size[0], size[1], Color32::TRANSPARENT),
            textures,
            pixels_per_point,
            threads: cores().saturating_sub(1).max(1),
        }
    }

    fn draw(&mut self, primitives: &[ClippedPrimitive]) {
        rasterize_on(
            &mut self.image,
            primitives,
            &self.textures,
            self.pixels_per_point,
            self.threads,
        );
    }
}

enum CanvasRaster {
    /// Rasterized on the canvas's worker, each run as it is handed over.
    Here(Picture),
    /// Rasterized on a thread of its own, in the order handed over.
    Worker {
        jobs: Sender<Vec<ClippedPrimitive>>,
        drawn: Receiver<Vec<ClippedPrimitive>>,
        thread: JoinHandle<Picture>,
        /// Runs handed over whose buffers have not come back.
        queued: usize,
    },
}

impl CanvasRaster {
    /// The picture with every run handed over drawn on it. A panic of the rasterizer's thread
    /// goes on here, as if it had happened on the worker (the canvas then sees no picture).
    fn picture(self) -> Picture {
        match self {
            CanvasRaster::Here(picture) => picture,
            CanvasRaster::Worker { jobs, thread, .. } => {
                drop(jobs);
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }
        }
    }
}

impl Raster for CanvasRaster {
    fn draw(&mut self, primitives: Vec<ClippedPrimitive>) -> Vec<ClippedPrimitive> {
        match self {
            CanvasRaster::Here(picture) => {
                picture.draw(&primitives);
                primitives
            }
            CanvasRaster::Worker {
                jobs,
                drawn,
                queued,
                ..
            } => {
                if let Err(unsent) = jobs.send(primitives) {
                    // The thread is gone (it panicked): `finish` says so.
                    return unsent.0;
                }
                *queued += 1;
                // One run rasterized while the next is painted: the one before this, once
                // drawn, is the buffer to paint the next into.
                if *queued < 2 {
                    return Vec::new();
                }
                match drawn.recv() {
                    Ok(buffer) => {
                        *queued -= 1;
                        buffer
                    }
                    Err(_) => Vec::new(),
                }
            }
        }
    }

    fn finish(self: Box<Self>) -> ColorImage {
        let image = self.picture().image;
        let size = [image.width, image.height];
        // The pixels become the picture's in place (both are four bytes, premultiplied): the
        // picture is not held twice.
        let pixels = image
            .pixels
            .into_iter()
            .map(|[r, g, b, a]| Color32::from_rgba_premultiplied(r, g, b, a))
            .collect();
        ColorImage::new(size, pixels)
    }

    fn rows(self: Box<Self>, rows: std::ops::Range<usize>) -> Vec<Color32> {
        let image = self.picture().image;
        let width = image.width;
        let mut pixels = image.pixels;
        let end = (rows.end * width).min(pixels.len());
        let start = (rows.start * width).min(end);
        pixels.truncate(end);
        // The rows above were not drawn (another band's); those of the first band become
        // the picture's in place, in a buffer with room for the whole picture.
        if start > 0 {
            pixels.drain(..start);
        }
        pixels
            .into_iter()
            .map(|[r, g, b, a]| Color32::from_rgba_premultiplied(r, g, b, a))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{Mesh, Primitive, Vertex, WHITE_UV};
    use egui::{Rect, pos2};

    /// A translucent triangle, drawn only within `clip` (points).
    fn triangle(corners: [(f32, f32); 3], red: u8, clip: Rect) -> ClippedPrimitive {
        let mut mesh = Mesh::default();
        for (x, y) in corners {
            mesh.vertices.push(Vertex {
                pos: pos2(x, y),
                uv: WHITE_UV,
                color: Color32::from_rgba_premultiplied(red, 0, 40, 120),
            });
        }
        mesh.indices = vec![0, 1, 2];
        ClippedPrimitive {
            clip_rect: clip,
            primitive: Primitive::Mesh(mesh),
        }
    }

    /// A translucent triangle across an 8 by 6 picture, drawn only within `rows` (points).
    fn drawn(rows: Rect) -> Box<dyn Raster> {
        let mut raster = canvas_raster([8, 6], 1.0);
        raster.draw(vec![triangle(
            [(0.0, 0.0), (8.0, 1.0), (2.0, 6.0)],
            90,
            rows,
        )]);
        raster
    }

    #[test]
    fn a_band_of_the_canvas_picture_is_those_rows_of_the_whole_picture() {
        let whole = drawn(Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 6.0))).finish();
        assert!(whole.pixels.iter().any(|p| *p != Color32::TRANSPARENT));
        let mut joined = drawn(Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 2.0))).rows(0..2);
        joined.extend(drawn(Rect::from_min_max(pos2(0.0, 2.0), pos2(8.0, 6.0))).rows(2..6));
        assert_eq!(joined, whole.pixels);
    }

    #[test]
    fn runs_drawn_on_the_rasterizers_thread_blend_in_the_order_handed_over() {
        // Forty runs of overlapping translucent triangles, each a different red: blended out of
        // order, the pixels they share would differ.
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(64.0, 48.0));
        let runs: Vec<Vec<ClippedPrimitive>> = (0..40u8)
            .map(|i| {
                let x = f32::from(i);
                vec![
                    triangle([(x, 0.0), (x + 30.0, 10.0), (x + 5.0, 48.0)], i * 6, clip),
                    triangle([(0.0, x), (64.0, x + 3.0), (20.0, 40.0)], 255 - i * 6, clip),
                ]
            })
            .collect();
        let mut raster = canvas_raster([64, 48], 1.0);
        assert!(matches!(
            raster.draw(runs[0].clone()),
            ref b if b.is_empty()
        ));
        let mut handed_back = 0;
        for run in &runs[1..] {
            // From the second run on, each call waits for the run before and hands its buffer
            // back: two runs' buffers at most.
            let buffer = raster.draw(run.clone());
            handed_back += usize::from(!buffer.is_empty());
        }
        assert_eq!(handed_back, runs.len() - 1);
        let picture = raster.finish();
        let mut expected = Picture::new([64, 48], 1.0);
        for run in &runs {
            expected.draw(run);
        }
        let expected: Vec<Color32> = expected
            .image
            .pixels
            .iter()
            .map(|&[r, g, b, a]| Color32::from_rgba_premultiplied(r, g, b, a))
            .collect();
        assert!(expected.iter().any(|p| *p != Color32::TRANSPARENT));
        assert_eq!(picture.pixels, expected);
    }
}
