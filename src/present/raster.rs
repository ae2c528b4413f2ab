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

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, Mesh, Primitive, TextureId, Vertex};
use egui::{Color32, TexturesDelta};

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

/// A texture as the GPU would hold it.
#[derive(Clone, Debug)]
struct Texture {
    width: usize,
    height: usize,
    pixels: Vec<Color32>,
}

impl Texture {
    /// Bilinear sample at normalized coordinates, like a GPU's linear sampler with clamping.
    fn sample(&self, u: f32, v: f32) -> [f32; 4] {
        let x = (u * self.width as f32 - 0.5).clamp(0.0, (self.width - 1) as f32);
        let y = (v * self.height as f32 - 0.5).clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |x: usize, y: usize| self.pixels[y * self.width + x].to_array();
        let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
        let mut out = [0.0; 4];
        for i in 0..4 {
            let top = f32::from(a[i]) * (1.0 - fx) + f32::from(b[i]) * fx;
            let bottom = f32::from(c[i]) * (1.0 - fx) + f32::from(d[i]) * fx;
            out[i] = (top * (1.0 - fy) + bottom * fy) / 255.0;
        }
        out
    }
}

/// The textures egui asked for, kept up to date from its frame outputs.
#[derive(Default)]
pub struct Textures {
    textures: HashMap<TextureId, Texture>,
}

impl Textures {
    /// The size of a texture, width and height.
    pub fn size(&self, id: TextureId) -> Option<(usize, usize)> {
        self.textures.get(&id).map(|t| (t.width, t.height))
    }

    /// A texture's pixels as RGBA bytes (straight alpha), for the PDF writer.
    pub fn rgba(&self, id: TextureId) -> Option<Vec<u8>> {
        let t = self.textures.get(&id)?;
        Some(
            t.pixels
                .iter()
                .flat_map(|c| c.to_srgba_unmultiplied())
                .collect(),
        )
    }

    /// A texture as PNG bytes (straight alpha), for the SVG writer.
    pub fn png(&self, id: TextureId) -> Option<Vec<u8>> {
        let t = self.textures.get(&id)?;
        let rgba = self.rgba(id)?;
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, t.width as u32, t.height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().ok()?;
        writer.write_image_data(&rgba).ok()?;
        writer.finish().ok()?;
        Some(out)
    }

    pub fn apply(&mut self, delta: &TexturesDelta) {
        for (id, d) in delta
            .set
            .iter()
            .flat_map(|(id, ds)| ds.iter().map(move |d| (id, d)))
        {
            let egui::ImageData::Color(image) = &d.image;
            let [w, h] = image.size;
            match d.pos {
                None => {
                    self.textures.insert(
                        *id,
                        Texture {
                            width: w,
                            height: h,
                            pixels: image.pixels.clone(),
                        },
                    );
                }
                Some([x0, y0]) => {
                    if let Some(t) = self.textures.get_mut(id) {
                        for y in 0..h {
                            for x in 0..w {
                                if x0 + x < t.width && y0 + y < t.height {
                                    t.pixels[(y0 + y) * t.width + x0 + x] = image.pixels[y * w + x];
                                }
                            }
                        }
                    }
                }
            }
        }
        for id in &delta.free {
            self.textures.remove(id);
        }
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
        p: &'a ClippedPrimitive,
        textures: &'a Textures,
        size: [usize; 2],
        ppp: f32,
    ) -> Option<Self> {
        let Primitive::Mesh(mesh) = &p.primitive else {
            return None;
        };
        let texture = textures.textures.get(&mesh.texture_id)?;
        let clip = [
            (p.clip_rect.min.x * ppp).round().max(0.0) as i64,
            (p.clip_rect.min.y * ppp).round().max(0.0) as i64,
            ((p.clip_rect.max.x * ppp).round() as i64).min(size[0] as i64),
            ((p.clip_rect.max.y * ppp).round() as i64).min(size[1] as i64),
        ];
        if clip[0] >= clip[2] || clip[1] >= clip[3] || mesh.indices.is_empty() {
            return None;
        }
        let scale = ppp * ONE as f32;
        let fixed = mesh
            .vertices
            .iter()
            .map(|v| {
                let (x, y) = (v.pos.x * ppp, v.pos.y * ppp);
                (x.abs() < GUARD_BAND_PX && y.abs() < GUARD_BAND_PX)
                    .then(|| [round(v.pos.x * scale), round(v.pos.y * scale)])
            })
            .collect();
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
    let width = image.width;
    let height = image.height;
    if width == 0 || height == 0 {
        return;
    }
    let prepared: Vec<Prepared<'_>> = primitives
        .iter()
        .filter_map(|p| Prepared::new(p, textures, [width, height], pixels_per_point))
        .collect();
    // One band per core: each core looks at every triangle once and draws the part in its
    // rows. (Sorting triangles into lists per band first, to look at each only once, was
    // measured slower: most are rejected in a few instructions.)
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let band_rows = height.div_ceil(threads);
    let prepared = &prepared;
    std::thread::scope(|scope| {
        for (i, rows) in image.pixels.chunks_mut(width * band_rows).enumerate() {
            let top = i * band_rows;
            let band = Band {
                top,
                bottom: (top + rows.len() / width).min(height),
                width,
                pixels: rows,
            };
            scope.spawn(move || draw_band(band, prepared, pixels_per_point));
        }
    });
}

struct Band<'a> {
    top: usize,
    bottom: usize,
    width: usize,
    pixels: &'a mut [[u8; 4]],
}

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
                let v = [0, 1, 2].map(|k| &vertices[t[k] as usize]);
                triangle_float(&mut band, v, m.texture, ppp, clip, &mut texels);
            }
            continue;
        };
        for t in corners {
            let p = [0, 1, 2].map(|k| fixed[t[k] as usize]);
            // Most triangles of a large map lie outside this band, or cover no pixel centre
            // (the thin feathered edges of strokes): both are found before anything else.
            let Some(rows) = centres(p[0][1], p[1][1], p[2][1], clip[1], clip[3]) else {
                continue;
            };
            let Some(columns) = centres(p[0][0], p[1][0], p[2][0], clip[0], clip[2]) else {
                continue;
            };
            let v = [0, 1, 2].map(|k| &vertices[t[k] as usize]);
            triangle_fixed(&mut band, v, p, columns, rows, m.texture, &mut texels);
        }
    }
}

/// The first and last pixel (inclusive) whose centre lies between the smallest and largest of
/// three fixed-point coordinates, within `lo..hi`; `None` if there is none.
fn centres(a: i32, b: i32, c: i32, lo: i64, hi: i64) -> Option<(i64, i64)> {
    let (min, max) = (a.min(b).min(c) as i64, a.max(b).max(c) as i64);
    // Pixel n's centre is at n·ONE + HALF; shifts round towards minus infinity.
    let first = ((min - HALF + ONE - 1) >> SUBPIXEL_BITS).max(lo);
    let last = ((max - HALF) >> SUBPIXEL_BITS).min(hi - 1);
    (first <= last).then_some((first, last))
}

// `f32::round`, `ceil` and `floor` are library calls without SSE 4.1; pixel coordinates fit
// in i32.
fn round(x: f32) -> i32 {
    (x + if x < 0.0 { -0.5 } else { 0.5 }) as i32
}

fn ceil(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t < x { t + 1.0 } else { t }
}

fn floor(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t > x { t - 1.0 } else { t }
}

/// A triangle's colours and texture coordinates, and its one colour when nothing varies.
struct Shading {
    colors: [[f32; 4]; 3],
    uvs: [(f32, f32); 3],
    flat_texel: Option<[f32; 4]>,
    flat_src: Option<[f32; 4]>,
}

impl Shading {
    fn new(v: [&Vertex; 3], texture: &Texture, texels: &mut TexelCache) -> Self {
        let colors = v.map(|v| v.color.to_array().map(f32::from));
        let uvs = v.map(|v| (v.uv.x, v.uv.y));
        let flat_uv = uvs[0] == uvs[1] && uvs[1] == uvs[2];
        let flat_texel = flat_uv.then(|| {
            if texels.uv != Some(uvs[0]) {
                texels.texel = texture.sample(uvs[0].0, uvs[0].1);
                texels.uv = Some(uvs[0]);
            }
            texels.texel
        });
        let flat_color = colors[0] == colors[1] && colors[1] == colors[2];
        let flat_src = match (flat_color, flat_texel) {
            (true, Some(t)) => Some([
                colors[0][0] * t[0],
                colors[0][1] * t[1],
                colors[0][2] * t[2],
                colors[0][3] * t[3],
            ]),
            _ => None,
        };
        Self {
            colors,
            uvs,
            flat_texel,
            flat_src,
        }
    }

    /// The premultiplied colour (0–255) at barycentric weights `w`.
    fn at(&self, texture: &Texture, w: impl FnOnce() -> [f32; 3]) -> [f32; 4] {
        if let Some(s) = self.flat_src {
            return s;
        }
        let [w0, w1, w2] = w();
        let (colors, uvs) = (&self.colors, &self.uvs);
        let mut c = [0.0; 4];
        for (i, c) in c.iter_mut().enumerate() {
            *c = colors[0][i] * w0 + colors[1][i] * w1 + colors[2][i] * w2;
        }
        let t = self.flat_texel.unwrap_or_else(|| {
            texture.sample(
                uvs[0].0 * w0 + uvs[1].0 * w1 + uvs[2].0 * w2,
                uvs[0].1 * w0 + uvs[1].1 * w1 + uvs[2].1 * w2,
            )
        });
        [c[0] * t[0], c[1] * t[1], c[2] * t[2], c[3] * t[3]]
    }
}

/// Premultiplied-alpha "over", rounded to nearest as a GPU writes an 8-bit target.
fn blend(dst: &mut [u8; 4], src: [f32; 4]) {
    if src[3] <= 0.0 {
        return;
    }
    let keep = 1.0 - src[3] / 255.0;
    let old = *dst;
    // One 4-byte store, not four 1-byte ones: the next triangle usually reads this pixel
    // straight back, and a load can only be forwarded from a single store.
    *dst =
        std::array::from_fn(|i| (src[i] + f32::from(old[i]) * keep + 0.5).clamp(0.0, 255.0) as u8);
}

/// The last flat texel sampled: fills and strokes all sample the atlas's one white texel.
#[derive(Default)]
struct TexelCache {
    uv: Option<(f32, f32)>,
    texel: [f32; 4],
}

/// Whether a pixel centre exactly on the edge from `a` to `b` belongs to the triangle: it does
/// when the edge points "down, or left when level" (a top-left style rule). The triangle on the
/// other side walks the edge the other way, so exactly one of them draws such a pixel.
fn owns<T: PartialOrd>(a: (T, T), b: (T, T)) -> bool {
    b.1 > a.1 || (b.1 == a.1 && b.0 < a.0)
}

/// Draws one triangle with fixed-point vertices `p` over the pixel `columns` and `rows`
/// (inclusive) that its bounding box and the clip leave.
fn triangle_fixed(
    band: &mut Band<'_>,
    v: [&Vertex; 3],
    p: [[i32; 2]; 3],
    columns: (i64, i64),
    rows: (i64, i64),
    texture: &Texture,
    texels: &mut TexelCache,
) {
    let mut v = v;
    let mut p = p.map(|[x, y]| (x as i64, y as i64));
    let mut area = (p[1].0 - p[0].0) * (p[2].1 - p[0].1) - (p[1].1 - p[0].1) * (p[2].0 - p[0].0);
    if area == 0 {
        return;
    }
    // One winding for all, so that a shared edge is walked in opposite directions.
    if area < 0 {
        v.swap(1, 2);
        p.swap(1, 2);
        area = -area;
    }
    let inv = 1.0 / area as f32;
    // The edge facing vertex i: e_i(x, y) = dx (y − a.y) − dy (x − a.x), vertex i's weight
    // before normalizing. Pixels on an edge the triangle does not own are moved just outside
    // (−1), so that "inside" is all three ≥ 0.
    let edges = [(p[1], p[2]), (p[2], p[0]), (p[0], p[1])];
    let (x0, y0) = (columns.0 * ONE + HALF, rows.0 * ONE + HALF);
    let mut row_e = [0i64; 3];
    let mut step_x = [0i64; 3];
    let mut step_y = [0i64; 3];
    let mut bias = [0i64; 3];
    for (i, (a, b)) in edges.into_iter().enumerate() {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        bias[i] = i64::from(!owns(a, b));
        row_e[i] = dx * (y0 - a.1) - dy * (x0 - a.0) - bias[i];
        step_x[i] = -dy * ONE;
        step_y[i] = dx * ONE;
    }
    // Shading is set up at the first pixel covered: most slivers cover none.
    let mut shading: Option<Shading> = None;
    for y in rows.0..=rows.1 {
        let row = (y as usize - band.top) * band.width;
        let mut e = row_e;
        for x in columns.0..=columns.1 {
            if (e[0] | e[1] | e[2]) >= 0 {
                let sh = shading.get_or_insert_with(|| Shading::new(v, texture, texels));
                let src = sh.at(texture, || [0, 1, 2].map(|i| (e[i] + bias[i]) as f32 * inv));
                blend(&mut band.pixels[row + x as usize], src);
            }
            for i in 0..3 {
                e[i] += step_x[i];
            }
        }
        for i in 0..3 {
            row_e[i] += step_y[i];
        }
    }
}

/// Draws one triangle in floating point, clipped to `clip` (x0, y0, x1, y1 in pixels): for
/// meshes with vertices beyond the guard band.
fn triangle_float(
    band: &mut Band<'_>,
    v: [&Vertex; 3],
    texture: &Texture,
    ppp: f32,
    clip: [f32; 4],
    texels: &mut TexelCache,
) {
    let ys = [v[0].pos.y * ppp, v[1].pos.y * ppp, v[2].pos.y * ppp];
    let min_y = ys[0].min(ys[1]).min(ys[2]).max(clip[1]);
    let max_y = ys[0].max(ys[1]).max(ys[2]).min(clip[3]);
    let (y0, y1) = (ceil(min_y - 0.5), floor(max_y - 0.5));
    if y0 > y1 {
        return;
    }
    let xs = [v[0].pos.x * ppp, v[1].pos.x * ppp, v[2].pos.x * ppp];
    let min_x = xs[0].min(xs[1]).min(xs[2]).max(clip[0]);
    let max_x = xs[0].max(xs[1]).max(xs[2]).min(clip[2]);
    let (x0, x1) = (ceil(min_x - 0.5), floor(max_x - 0.5));
    if x0 > x1 {
        return;
    }
    let mut v = v;
    let mut p = [(xs[0], ys[0]), (xs[1], ys[1]), (xs[2], ys[2])];
    let mut area = (p[1].0 - p[0].0) * (p[2].1 - p[0].1) - (p[1].1 - p[0].1) * (p[2].0 - p[0].0);
    if area.abs() < 1e-12 {
        return;
    }
    if area < 0.0 {
        v.swap(1, 2);
        p.swap(1, 2);
        area = -area;
    }
    let inv = 1.0 / area;
    let edge = |a: (f32, f32), b: (f32, f32)| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        (-dy, dx, dy * a.0 - dx * a.1)
    };
    let e = [edge(p[1], p[2]), edge(p[2], p[0]), edge(p[0], p[1])];
    let ties = [owns(p[1], p[2]), owns(p[2], p[0]), owns(p[0], p[1])];
    let inside = |w: f32, tie: bool| w > 0.0 || (w == 0.0 && tie);
    let mut shading: Option<Shading> = None;
    for y in y0 as i64..=y1 as i64 {
        let py = y as f32 + 0.5;
        let row = (y as usize - band.top) * band.width;
        for x in x0 as i64..=x1 as i64 {
            let px = x as f32 + 0.5;
            let w = e.map(|(a, b, c)| a * px + b * py + c);
            if !(inside(w[0], ties[0]) && inside(w[1], ties[1]) && inside(w[2], ties[2])) {
                continue;
            }
            let sh = shading.get_or_insert_with(|| Shading::new(v, texture, texels));
            let src = sh.at(texture, || w.map(|w| w * inv));
            blend(&mut band.pixels[row + x as usize], src);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{Mesh, WHITE_UV};
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
