//! The textures egui asks for (the font atlas, images), kept as a GPU would hold them.

use std::collections::HashMap;

use egui::epaint::TextureId;
use egui::{Color32, TexturesDelta};

/// A texture as the GPU would hold it.
#[derive(Clone, Debug)]
pub(super) struct Texture {
    pub(super) width: usize,
    pub(super) height: usize,
    pub(super) pixels: Vec<Color32>,
}

impl Texture {
    /// Bilinear sample at normalized coordinates, like a GPU's linear sampler with clamping.
    pub(super) fn sample(&self, u: f32, v: f32) -> [f32; 4] {
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
    pub(super) textures: HashMap<TextureId, Texture>,
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
