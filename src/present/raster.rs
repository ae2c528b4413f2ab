//! A software rasterizer for egui's tessellated output, so that an export needs no display and
//! no GPU and still comes from exactly the triangles the screen draws.
//!
//! It does what egui's GPU back-ends do: every triangle is sampled at pixel centres, vertex
//! colours and texture coordinates are interpolated, the texture (the font atlas) is sampled
//! bilinearly, colours stay in gamma space, and blending is premultiplied-alpha "over". egui
//! feathers edges itself (no multisampling), so the result matches the screen to within the
//! rounding of anti-aliased edges.
//!
//! The image is drawn in bands of rows, one per core; there is no texture-size limit, so any
//! paper size renders.

mod canvas;
mod texture;
mod triangle;

pub use canvas::canvas_raster;

use egui::epaint::{ClippedPrimitive, Mesh, Primitive};
use egui::{Color32, Rect};

use texture::Texture;
pub use texture::Textures;
use triangle::{TexelCache, round, triangle_fixed, triangle_float};

/// An RGBA image with premultiplied, gamma-space pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    /// Row-major RGBA.
    pub pixels: Vec<[u8; 4]>,
}

impl Image {
    pub fn new(width: usize, height: usize, background: Color32) -> Self {
        Self {
            width,
            height,
            pixels: vec![background.to_array(); width * height],
        }
    }

    pub fn pixel(&self, x: usize, y: usize) -> [u8; 4] {
        self.pixels[y * self.width + x]
    }

    /// The pixels as bytes, RGBA.
    pub fn as_bytes(&self) -> &[u8] {
        self.pixels.as_flattened()
    }
}

/// Sub-pixel precision of vertex positions: 1/256 of a pixel, as GPUs snap them. Edge
/// functions are then exact integers, so two triangles sharing an edge agree on every pixel
/// centre along it: no seam, and no pixel blended twice in a translucent fill.
const SUBPIXEL_BITS: u32 = 8;
const ONE: i64 = 1 << SUBPIXEL_BITS;
const HALF: i64 = ONE / 2;
/// Vertices further out than this many pixels (only at extreme zooms) could overflow the
/// integer edge functions; their meshes take the floating-point path.
const GUARD_BAND_PX: f32 = (1 << 21) as f32;

/// One mesh ready for the bands: its vertices snapped to fixed-point pixels once, not once per
/// triangle and band.
struct Prepared<'a> {
    mesh: &'a Mesh,
    texture: &'a Texture,
    /// Pixel columns and rows whose centres are drawn: x0..x1, y0..y1, ends excluded.
    clip: [i64; 4],
    /// `None` when a vertex is outside the guard band.
    fixed: Option<Vec<[i32; 2]>>,
}

impl<'a> Prepared<'a> {
    fn new(
        (clip_rect, mesh): (Rect, &'a Mesh),
        textures: &'a Textures,
        size: [usize; 2],
        ppp: f32,
    ) -> Option<Self> {
        let texture = textures.textures.get(&mesh.texture_id)?;
        let clip = [
            (clip_rect.min.x * ppp).round().max(0.0) as i64,
            (clip_rect.min.y * ppp).round().max(0.0) as i64,
            ((clip_rect.max.x * ppp).round() as i64).min(size[0] as i64),
            ((clip_rect.max.y * ppp).round() as i64).min(size[1] as i64),
        ];
        if clip[0] >= clip[2] || clip[1] >= clip[3] || mesh.indices.is_empty() {
            return None;
        }
        // The check first, then the conversion in a loop of its own without branches: this runs
        // on one core, before the bands, for every vertex (a tenth of the rasterizer's
        // instructions on a 1M-vertex layer, collected as `Option`s vertex by vertex).
        let in_guard_band = mesh.vertices.iter().all(|v| {
            let (x, y) = (v.pos.x * ppp, v.pos.y * ppp);
            x.abs() < GUARD_BAND_PX && y.abs() < GUARD_BAND_PX
        });
        let scale = ppp * ONE as f32;
        let fixed = in_guard_band.then(|| {
            mesh.vertices
                .iter()
                .map(|v| [round(v.pos.x * scale), round(v.pos.y * scale)])
                .collect()
        });
        Some(Self {
            mesh,
            texture,
            clip,
            fixed,
        })
    }
}

/// Rasterizes egui's primitives into `image`. `pixels_per_point` converts their points to pixels.
pub fn rasterize(
    image: &mut Image,
    primitives: &[ClippedPrimitive],
    textures: &Textures,
    pixels_per_point: f32,
) {
    rasterize_on(image, primitives, textures, pixels_per_point, cores());
}

/// The cores of this machine (at least one).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// As [`rasterize`], on at most `threads` threads.
fn rasterize_on(
    image: &mut Image,
    primitives: &[ClippedPrimitive],
    textures: &Textures,
    pixels_per_point: f32,
    threads: usize,
) {
    let meshes = meshes_of(primitives);
    rasterize_meshes_on(image, &meshes, textures, pixels_per_point, threads);
}

/// The meshes among egui's primitives, each with its clip rectangle (callbacks draw nothing here).
fn meshes_of(primitives: &[ClippedPrimitive]) -> Vec<(Rect, &Mesh)> {
    primitives
        .iter()
        .filter_map(|p| match &p.primitive {
            Primitive::Mesh(mesh) => Some((p.clip_rect, mesh)),
            Primitive::Callback(_) => None,
        })
        .collect()
}

/// Rasterizes meshes, each with its clip rectangle (in points), in order into `image`. The
/// indices of every mesh must be valid ([`Mesh::is_valid`]), as egui's tessellator makes them.
pub fn rasterize_meshes(
    image: &mut Image,
    meshes: &[(Rect, &Mesh)],
    textures: &Textures,
    pixels_per_point: f32,
) {
    rasterize_meshes_on(image, meshes, textures, pixels_per_point, cores());
}

/// As [`rasterize_meshes`], on at most `threads` threads.
fn rasterize_meshes_on(
    image: &mut Image,
    meshes: &[(Rect, &Mesh)],
    textures: &Textures,
    pixels_per_point: f32,
    threads: usize,
) {
    let width = image.width;
    let height = image.height;
    if width == 0 || height == 0 {
        return;
    }
    let threads = threads.max(1);
    let prepared = prepare(meshes, textures, [width, height], pixels_per_point, threads);
    // One band per core: each core looks at every triangle once and draws the part in its
    // rows. (Sorting triangles into lists per band first, to look at each only once, was
    // measured slower: most are rejected in a few instructions. So were bands of 16 to 128
    // rows, sorted so, meant to keep a band's pixels in the cache: on a 1M-vertex layer the
    // sorting, on one core, cost more than the cache saved.)
    let band_rows = height.div_ceil(threads);
    let prepared = &prepared;
    let bands = image
        .pixels
        .chunks_mut(width * band_rows)
        .enumerate()
        .map(|(i, rows)| {
            let top = i * band_rows;
            Band {
                top,
                bottom: (top + rows.len() / width).min(height),
                width,
                pixels: rows,
            }
        });
    if threads == 1 {
        // One band, on this thread (the map canvas's rasterizer runs on a thread of its own).
        bands.for_each(|band| draw_band(band, prepared, pixels_per_point));
        return;
    }
    std::thread::scope(|scope| {
        for band in bands {
            scope.spawn(move || draw_band(band, prepared, pixels_per_point));
        }
    });
}

/// Rasterizes egui's primitives in order into one band of rows of an image of `size` pixels,
/// on this thread: `rows` are the pixels of rows `top..` (whole rows, as many as it holds).
/// What falls outside these rows is not drawn; the bands of a picture drawn so one by one
/// (each on a thread of its own, say) join into the picture [`rasterize`] draws.
pub fn rasterize_rows(
    rows: &mut [[u8; 4]],
    top: usize,
    size: [usize; 2],
    primitives: &[ClippedPrimitive],
    textures: &Textures,
    pixels_per_point: f32,
) {
    let width = size[0];
    if width == 0 || rows.is_empty() {
        return;
    }
    let meshes = meshes_of(primitives);
    let prepared = prepare(&meshes, textures, size, pixels_per_point, 1);
    let band = Band {
        top,
        bottom: (top + rows.len() / width).min(size[1]),
        width,
        pixels: rows,
    };
    draw_band(band, &prepared, pixels_per_point);
}

/// The meshes made ready for the bands, in order; a chunk of many vertices on two cores, each
/// half of them (converting the vertices to fixed point is otherwise the one part of
/// rasterizing that runs on one core, while the other waits).
fn prepare<'a>(
    meshes: &[(Rect, &'a Mesh)],
    textures: &'a Textures,
    size: [usize; 2],
    ppp: f32,
    threads: usize,
) -> Vec<Prepared<'a>> {
    const PARALLEL_FROM: usize = 1 << 14;
    let some = |meshes: &[(Rect, &'a Mesh)]| -> Vec<Prepared<'a>> {
        meshes
            .iter()
            .filter_map(|&m| Prepared::new(m, textures, size, ppp))
            .collect()
    };
    let total: usize = meshes.iter().map(|(_, m)| m.vertices.len()).sum();
    if total < PARALLEL_FROM || threads < 2 || meshes.len() < 2 {
        return some(meshes);
    }
    // The first mesh past half the vertices starts the second half.
    let mut seen = 0;
    let middle = meshes
        .iter()
        .position(|(_, m)| {
            seen += m.vertices.len();
            seen > total / 2
        })
        .map_or(meshes.len(), |i| i.max(1));
    let (first, second) = meshes.split_at(middle);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| some(second));
        let mut prepared = some(first);
        prepared.extend(
            second
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        prepared
    })
}

struct Band<'a> {
    top: usize,
    bottom: usize,
    width: usize,
    pixels: &'a mut [[u8; 4]],
}

#[inline(never)] // one function in profiles, whatever the inlining of the scope around it
fn draw_band(mut band: Band<'_>, prepared: &[Prepared<'_>], ppp: f32) {
    let mut texels = TexelCache::default();
    let (top, bottom) = (band.top as i64, band.bottom as i64);
    for m in prepared {
        let clip = [
            m.clip[0],
            m.clip[1].max(top),
            m.clip[2],
            m.clip[3].min(bottom),
        ];
        if clip[1] >= clip[3] {
            continue;
        }
        // Another mesh may have another texture.
        texels.uv = None;
        let vertices = &m.mesh.vertices;
        let corners = m.mesh.indices.chunks_exact(3);
        let Some(fixed) = &m.fixed else {
            let clip = clip.map(|c| c as f32);
            for t in corners {
                let v = [
                    &vertices[t[0] as usize],
                    &vertices[t[1] as usize],
                    &vertices[t[2] as usize],
                ];
                triangle_float(&mut band, v, m.texture, ppp, clip, &mut texels);
            }
            continue;
        };
        for t in corners {
            let p = three(fixed, t);
            // Most triangles of a large map lie outside this band, or cover no pixel centre
            // (the thin feathered edges of strokes): both are found before anything else.
            let Some(rows) = centres(p[0][1], p[1][1], p[2][1], clip[1], clip[3]) else {
                continue;
            };
            let Some(columns) = centres(p[0][0], p[1][0], p[2][0], clip[0], clip[2]) else {
                continue;
            };
            let v = [
                &vertices[t[0] as usize],
                &vertices[t[1] as usize],
                &vertices[t[2] as usize],
            ];
            triangle_fixed(&mut band, v, p, columns, rows, m.texture, &mut texels);
        }
    }
}

/// The items at a triangle's three corners.
#[inline(always)]
fn three<T: Copy>(items: &[T], corners: &[u32]) -> [T; 3] {
    [
        items[corners[0] as usize],
        items[corners[1] as usize],
        items[corners[2] as usize],
    ]
}

/// The first and last pixel (inclusive) whose centre lies between the smallest and largest of
/// three fixed-point coordinates, within `lo..hi`; `None` if there is none.
#[inline(always)]
fn centres(a: i32, b: i32, c: i32, lo: i64, hi: i64) -> Option<(i64, i64)> {
    let (min, max) = (a.min(b).min(c) as i64, a.max(b).max(c) as i64);
    // Pixel n's centre is at n·ONE + HALF; shifts round towards minus infinity.
    let first = ((min - HALF + ONE - 1) >> SUBPIXEL_BITS).max(lo);
    let last = ((max - HALF) >> SUBPIXEL_BITS).min(hi - 1);
    (first <= last).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{Mesh, TextureId, Vertex, WHITE_UV};
    use egui::{Rect, pos2};

    fn white_texture() -> Textures {
        let mut t = Textures::default();
        t.textures.insert(
            TextureId::default(),
            Texture {
                width: 1,
                height: 1,
                pixels: vec![Color32::WHITE],
            },
        );
        t
    }

    #[test]
    fn a_square_of_two_triangles_covers_exactly_its_pixels_and_blends_over() {
        let mut mesh = Mesh::default();
        let c = Color32::from_rgba_premultiplied(100, 0, 0, 128);
        for (x, y) in [(2.0, 2.0), (6.0, 2.0), (6.0, 6.0), (2.0, 6.0)] {
            mesh.vertices.push(Vertex {
                pos: pos2(x, y),
                uv: WHITE_UV,
                color: c,
            });
        }
        mesh.indices = vec![0, 1, 2, 0, 2, 3];
        let prim = ClippedPrimitive {
            clip_rect: Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 8.0)),
            primitive: Primitive::Mesh(mesh),
        };
        let mut image = Image::new(8, 8, Color32::WHITE);
        rasterize(&mut image, &[prim], &white_texture(), 1.0);
        let covered = image.pixels.iter().filter(|p| **p != [255; 4]).count();
        assert_eq!(covered, 16, "4×4 pixels, none twice along the diagonal");
        // 100 + 255 × (1 − 128/255) = 227 red; 0 + 255 × 0.498 = 127 green and blue.
        assert_eq!(image.pixel(3, 3), [227, 127, 127, 255]);
        assert_eq!(image.pixel(1, 1), [255; 4]);
    }

    fn triangle(corners: [(f32, f32); 3], color: Color32) -> ClippedPrimitive {
        let mut mesh = Mesh::default();
        for (x, y) in corners {
            mesh.vertices.push(Vertex {
                pos: pos2(x, y),
                uv: WHITE_UV,
                color,
            });
        }
        mesh.indices = vec![0, 1, 2];
        ClippedPrimitive {
            clip_rect: Rect::from_min_max(pos2(0.0, 0.0), pos2(8.0, 8.0)),
            primitive: Primitive::Mesh(mesh),
        }
    }

    #[test]
    fn a_triangle_reaching_past_the_guard_band_draws_like_one_that_does_not() {
        // The lower-left half of the image, below the diagonal from (0, 0) to (8, 8): once with
        // corners nearby (integer path) and once reaching 10⁸ px away (floating-point path).
        let red = Color32::from_rgb(200, 0, 0);
        let near = triangle([(0.0, 0.0), (8.0, 8.0), (0.0, 8.0)], red);
        let far = triangle([(0.0, 0.0), (1e8, 1e8), (0.0, 1e8)], red);
        let draw = |p: ClippedPrimitive| {
            let mut image = Image::new(8, 8, Color32::WHITE);
            rasterize(&mut image, &[p], &white_texture(), 1.0);
            image
        };
        let (near, far) = (draw(near), draw(far));
        assert_eq!(near.pixel(1, 6), [200, 0, 0, 255]);
        assert_eq!(near.pixel(6, 1), [255; 4]);
        assert_eq!(near, far);
    }

    #[test]
    fn vertex_colours_are_interpolated_across_a_triangle() {
        let mut p = triangle([(0.0, 0.0), (8.0, 0.0), (0.0, 8.0)], Color32::BLACK);
        let Primitive::Mesh(mesh) = &mut p.primitive else {
            unreachable!()
        };
        mesh.vertices[1].color = Color32::from_rgb(255, 0, 0);
        let mut image = Image::new(8, 8, Color32::WHITE);
        rasterize(&mut image, &[p], &white_texture(), 1.0);
        // Red grows with x along the top row: 255 × x/8 at pixel centres x + 0.5.
        let reds: Vec<u8> = (0..7).map(|x| image.pixel(x, 0)[0]).collect();
        assert!(reds.windows(2).all(|w| w[0] < w[1]), "{reds:?}");
        assert_eq!(reds[0], 16, "{reds:?}");
    }
}
