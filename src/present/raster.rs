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

use egui::epaint::{ClippedPrimitive, Primitive, TextureId, Vertex};
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
    // One band per core: each core looks at every triangle once and draws the part in its rows.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let band_rows = height.div_ceil(threads);
    std::thread::scope(|scope| {
        for (i, rows) in image.pixels.chunks_mut(width * band_rows).enumerate() {
            let top = i * band_rows;
            let band = Band {
                top,
                bottom: (top + rows.len() / width).min(height),
                width,
                pixels: rows,
            };
            scope.spawn(move || draw_band(band, primitives, textures, pixels_per_point));
        }
    });
}

struct Band<'a> {
    top: usize,
    bottom: usize,
    width: usize,
    pixels: &'a mut [[u8; 4]],
}

fn draw_band(mut band: Band<'_>, primitives: &[ClippedPrimitive], textures: &Textures, ppp: f32) {
    let mut texels = TexelCache::default();
    for p in primitives {
        let Primitive::Mesh(mesh) = &p.primitive else {
            continue;
        };
        let Some(texture) = textures.textures.get(&mesh.texture_id) else {
            continue;
        };
        let clip = [
            (p.clip_rect.min.x * ppp).round().max(0.0),
            (p.clip_rect.min.y * ppp).round().max(band.top as f32),
            (p.clip_rect.max.x * ppp).round().min(band.width as f32),
            (p.clip_rect.max.y * ppp).round().min(band.bottom as f32),
        ];
        if clip[0] >= clip[2] || clip[1] >= clip[3] {
            continue;
        }
        texels.texture = mesh.texture_id;
        texels.uv = None;
        for t in mesh.indices.chunks_exact(3) {
            let v = [
                &mesh.vertices[t[0] as usize],
                &mesh.vertices[t[1] as usize],
                &mesh.vertices[t[2] as usize],
            ];
            triangle(&mut band, v, texture, ppp, clip, &mut texels);
        }
    }
}

// `f32::ceil` and `floor` are library calls without SSE 4.1; pixel coordinates fit in i32.
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
}

/// The last flat texel sampled: fills and strokes all sample the atlas's one white texel.
#[derive(Default)]
struct TexelCache {
    texture: TextureId,
    uv: Option<(f32, f32)>,
    texel: [f32; 4],
}

/// Draws one triangle, clipped to `clip` (x0, y0, x1, y1 in pixels).
fn triangle(
    band: &mut Band<'_>,
    v: [&Vertex; 3],
    texture: &Texture,
    ppp: f32,
    clip: [f32; 4],
    texels: &mut TexelCache,
) {
    // Most triangles of a large map lie outside this band, or cover no pixel centre (the thin
    // feathered edges of strokes): both are found before anything else is computed.
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
    // One winding for all, so that a shared edge is walked in opposite directions by its two
    // triangles and the tie rule below gives its pixels to exactly one of them.
    if area < 0.0 {
        v.swap(1, 2);
        p.swap(1, 2);
        area = -area;
    }
    let inv = 1.0 / area;
    // Edge functions, linear in x and y: e_i(x, y) = a_i x + b_i y + c_i, the weight of vertex
    // i (before normalizing) from the edge facing it.
    let edge = |a: (f32, f32), b: (f32, f32)| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        (-dy, dx, dy * a.0 - dx * a.1)
    };
    let e = [edge(p[1], p[2]), edge(p[2], p[0]), edge(p[0], p[1])];
    // A pixel centre exactly on an edge belongs to the triangle for which the edge points
    // "down, or left when level" (a top-left style rule).
    let owns = |a: (f32, f32), b: (f32, f32)| b.1 > a.1 || (b.1 == a.1 && b.0 < a.0);
    let ties = [owns(p[1], p[2]), owns(p[2], p[0]), owns(p[0], p[1])];
    let inside = |w: f32, tie: bool| w > 0.0 || (w == 0.0 && tie);
    // Shading is set up at the first pixel covered: most slivers cover none.
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
            let (colors, uvs, flat_texel) = (&sh.colors, &sh.uvs, sh.flat_texel);
            let src = match sh.flat_src {
                Some(s) => s,
                None => {
                    let (w0, w1, w2) = (w[0] * inv, w[1] * inv, w[2] * inv);
                    let mut c = [0.0; 4];
                    for (i, c) in c.iter_mut().enumerate() {
                        *c = colors[0][i] * w0 + colors[1][i] * w1 + colors[2][i] * w2;
                    }
                    let t = flat_texel.unwrap_or_else(|| {
                        texture.sample(
                            uvs[0].0 * w0 + uvs[1].0 * w1 + uvs[2].0 * w2,
                            uvs[0].1 * w0 + uvs[1].1 * w1 + uvs[2].1 * w2,
                        )
                    });
                    [c[0] * t[0], c[1] * t[1], c[2] * t[2], c[3] * t[3]]
                }
            };
            if src[3] <= 0.0 {
                continue;
            }
            let dst = &mut band.pixels[row + x as usize];
            let keep = 1.0 - src[3] / 255.0;
            for i in 0..4 {
                // Rounded to nearest, as a GPU writes an 8-bit target.
                dst[i] = (src[i] + f32::from(dst[i]) * keep + 0.5).clamp(0.0, 255.0) as u8;
            }
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
}
