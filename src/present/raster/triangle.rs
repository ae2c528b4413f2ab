//! One triangle drawn into a band of rows: its pixel centres, colours interpolated, blended
//! premultiplied "over"; in fixed point (exact shared edges) or, beyond the guard band, in
//! floating point.

use egui::epaint::Vertex;

use super::texture::Texture;
use super::{Band, HALF, ONE};

// `f32::round`, `ceil` and `floor` are library calls without SSE 4.1; pixel coordinates fit
// in i32.
// Half away from zero, without a branch (-0.0 too goes to 0).
#[inline(always)]
pub(super) fn round(x: f32) -> i32 {
    (x + 0.5f32.copysign(x)) as i32
}

fn ceil(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t < x { t + 1.0 } else { t }
}

fn floor(x: f32) -> f32 {
    let t = x as i32 as f32;
    if t > x { t - 1.0 } else { t }
}

/// How a triangle is coloured.
enum Shading {
    /// One well-formed colour over a white texel, as fills and strokes are: blended in integers, which
    /// give exactly what [`blend`] gives and need no division a pixel.
    Ink(Ink),
    /// Anything else: text, images, colours that vary.
    Varying(Varying),
}

impl Shading {
    #[inline(always)]
    fn new(v: [&Vertex; 3], texture: &Texture, texels: &mut TexelCache) -> Self {
        let flat_uv = v[0].uv == v[1].uv && v[1].uv == v[2].uv;
        let flat_color = v[0].color == v[1].color && v[1].color == v[2].color;
        let flat_texel = flat_uv.then(|| texels.sample(texture, (v[0].uv.x, v[0].uv.y)));
        if flat_color
            && flat_texel == Some([1.0; 4])
            && let Some(ink) = Ink::new(v[0].color)
        {
            return Self::Ink(ink);
        }
        let colors = v.map(|v| v.color.to_array().map(f32::from));
        let flat_src = match (flat_color, flat_texel) {
            (true, Some(t)) => Some([
                colors[0][0] * t[0],
                colors[0][1] * t[1],
                colors[0][2] * t[2],
                colors[0][3] * t[3],
            ]),
            _ => None,
        };
        Self::Varying(Varying {
            colors,
            uvs: v.map(|v| (v.uv.x, v.uv.y)),
            flat_texel,
            flat_src,
        })
    }

    /// Blends the colour at barycentric weights `w` over `dst`.
    #[inline(always)]
    fn blend(&self, dst: &mut [u8; 4], texture: &Texture, w: impl FnOnce() -> [f32; 3]) {
        match self {
            Self::Ink(ink) => ink.blend(dst),
            Self::Varying(v) => blend(dst, v.at(texture, w)),
        }
    }
}

/// A triangle's colours and texture coordinates, and its one colour when nothing varies.
struct Varying {
    colors: [[f32; 4]; 3],
    uvs: [(f32, f32); 3],
    flat_texel: Option<[f32; 4]>,
    flat_src: Option<[f32; 4]>,
}

impl Varying {
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

/// A well-formed premultiplied colour (no channel above the alpha, as egui's colours are),
/// ready to be blended "over" in integers.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ink {
    /// `255 src + 127` for the four channels in the four 16-bit lanes of a `u64`.
    lanes: u64,
    /// 255 minus the alpha: how much of the pixel below is kept, in 255ths.
    keep: u64,
}

/// The low byte of each 16-bit lane.
const LOW_BYTES: u64 = 0x00FF_00FF_00FF_00FF;

impl Ink {
    /// `None` for a colour with a channel above its alpha: it takes [`blend`].
    pub(super) fn new(c: egui::Color32) -> Option<Self> {
        let src = c.to_array().map(u64::from);
        src[..3].iter().all(|&s| s <= src[3]).then(|| Self {
            lanes: (0..4).fold(0, |l, i| l | (255 * src[i] + 127) << (16 * i)),
            keep: 255 - src[3],
        })
    }

    /// The same as [`blend`] with the colour as floats, exactly: it rounds
    /// `src + old × keep / 255` to nearest, (255 src + old keep + 127) / 255 in integers. That
    /// sum is never a half (255 is odd), and f32's error is far smaller than the 1/510 by which
    /// it misses one, so both round alike (`blend_in_integers_is_blend` tries every case).
    ///
    /// The four channels at once, in one `u64`, a channel a 16-bit lane: `old × keep` is at
    /// most 255², so one multiplication makes all four products without a carry between lanes;
    /// with `255 src + 127` the sum stays below 65 153 (as src ≤ alpha); and below 65 535,
    /// `x / 255` rounded down is `(x + (x >> 8) + 1) >> 8`. Channel by channel, this blend was
    /// a fifth of the rasterizer's instructions on a 1M-vertex layer (callgrind).
    #[inline(always)]
    pub(super) fn blend(self, dst: &mut [u8; 4]) {
        if self.keep == 255 {
            return;
        }
        let old = u64::from(u32::from_le_bytes(*dst));
        let spread = (old & 0xFF)
            | (old & 0xFF00) << 8
            | (old & 0xFF_0000) << 16
            | (old & 0xFF00_0000) << 24;
        let x = spread * self.keep + self.lanes;
        let q = ((x + ((x >> 8) & LOW_BYTES) + 0x0001_0001_0001_0001) >> 8) & LOW_BYTES;
        // Lanes 0 and 1 into bytes 0 and 1, lanes 2 and 3 into bytes 4 and 5; then those down.
        let pairs = q | q >> 8;
        let packed = (pairs & 0xFFFF) | (pairs >> 16 & 0xFFFF_0000);
        *dst = (packed as u32).to_le_bytes();
    }
}

/// The last flat texel sampled: fills and strokes all sample the atlas's one white texel.
#[derive(Default)]
pub(super) struct TexelCache {
    pub(super) uv: Option<(f32, f32)>,
    texel: [f32; 4],
}

impl TexelCache {
    /// The texel at `uv`, sampled again only when `uv` changed.
    #[inline(always)]
    fn sample(&mut self, texture: &Texture, uv: (f32, f32)) -> [f32; 4] {
        if self.uv != Some(uv) {
            self.texel = texture.sample(uv.0, uv.1);
            self.uv = Some(uv);
        }
        self.texel
    }
}

/// Whether a pixel centre exactly on the edge from `a` to `b` belongs to the triangle: it does
/// when the edge points "down, or left when level" (a top-left style rule). The triangle on the
/// other side walks the edge the other way, so exactly one of them draws such a pixel.
fn owns<T: PartialOrd>(a: (T, T), b: (T, T)) -> bool {
    b.1 > a.1 || (b.1 == a.1 && b.0 < a.0)
}

/// Draws one triangle with fixed-point vertices `p` over the pixel `columns` and `rows`
/// (inclusive) that its bounding box and the clip leave.
#[inline(always)]
pub(super) fn triangle_fixed(
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
    // The shading is matched once, outside the loop over pixels: each kind gets a loop of its
    // own that keeps the edge functions in registers. (Set up lazily, at the first pixel
    // covered, inside one loop for both kinds, it spilled them: the loop was a third of the
    // rasterizer's instructions. Slivers that cover no pixel centre now pay for the setup.)
    match Shading::new(v, texture, texels) {
        Shading::Ink(ink) => covered(band, columns, rows, row_e, [step_x, step_y], |dst, _| {
            ink.blend(dst);
        }),
        Shading::Varying(varying) => {
            covered(band, columns, rows, row_e, [step_x, step_y], |dst, e| {
                let w = || [0, 1, 2].map(|i| (e[i] + bias[i]) as f32 * inv);
                blend(dst, varying.at(texture, w));
            });
        }
    }
}

/// Calls `draw` with each pixel whose centre is inside (all three edge functions `e` ≥ 0,
/// `row_e` at the first pixel, `steps` along x and y) and its edge functions.
#[inline(always)]
fn covered(
    band: &mut Band<'_>,
    columns: (i64, i64),
    rows: (i64, i64),
    mut row_e: [i64; 3],
    [step_x, step_y]: [[i64; 3]; 2],
    mut draw: impl FnMut(&mut [u8; 4], [i64; 3]),
) {
    for y in rows.0..=rows.1 {
        let row = (y as usize - band.top) * band.width;
        let mut e = row_e;
        for x in columns.0..=columns.1 {
            if (e[0] | e[1] | e[2]) >= 0 {
                draw(&mut band.pixels[row + x as usize], e);
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
pub(super) fn triangle_float(
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
            sh.blend(&mut band.pixels[row + x as usize], texture, || {
                w.map(|w| w * inv)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blend_in_integers_is_blend() {
        // Every colour channel over every pixel value at every opacity.
        for a in 0..=255u8 {
            for c in 0..=255u8 {
                // Also channels of their own, so that a mix-up of the lanes of the one-`u64`
                // blend shows: well-formed colours (every channel at most the alpha) take it.
                for [r, g, b] in [[c, c, c], [c, c / 2, c / 3], [c / 3, c, 255 - c]] {
                    let Some(ink) = Ink::new(egui::Color32::from_rgba_premultiplied(r, g, b, a))
                    else {
                        // Not well-formed: such a colour is blended in floats.
                        assert!(r > a || g > a || b > a);
                        continue;
                    };
                    let src = [r, g, b, a].map(f32::from);
                    for old in 0..=255u8 {
                        let pixel = [old, 255 - old, old / 3, 255 - old / 2];
                        let (mut by_ink, mut by_float) = (pixel, pixel);
                        ink.blend(&mut by_ink);
                        blend(&mut by_float, src);
                        assert_eq!(by_ink, by_float, "{r} {g} {b} at alpha {a} over {pixel:?}");
                    }
                }
            }
        }
    }
}
