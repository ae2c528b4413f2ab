//! Running egui without a window: one pass paints a slide into shapes, which become a PNG
//! through the software rasterizer or an SVG through [`super::svg`].

use egui::epaint::{ClippedShape, Primitive};
use egui::{Color32, Painter, Pos2, Rect, ViewportId, vec2};

use super::raster::{Image, Textures, rasterize};

/// What one headless pass painted.
pub struct Rendered {
    pub shapes: Vec<ClippedShape>,
    pub textures: Textures,
    pub width_px: u32,
    pub height_px: u32,
    pub pixels_per_point: f32,
    ctx: egui::Context,
}

/// The size of the canvas in points.
pub fn size_in_points(width_px: u32, height_px: u32, pixels_per_point: f32) -> egui::Vec2 {
    vec2(
        width_px as f32 / pixels_per_point,
        height_px as f32 / pixels_per_point,
    )
}

/// Paints with `paint` on a canvas of `width_px` × `height_px` pixels, `pixels_per_point`
/// pixels to a point, as the screen would at that scale factor.
pub fn render(
    width_px: u32,
    height_px: u32,
    pixels_per_point: f32,
    mut paint: impl FnMut(&Painter, Rect),
) -> Rendered {
    let ctx = egui::Context::default();
    crate::doc::install_fonts(&ctx);
    let size = size_in_points(width_px, height_px, pixels_per_point);
    let mut input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
        max_texture_side: Some(16_384),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(pixels_per_point);
    }
    let mut textures = Textures::default();
    // The fonts set above take effect from the next pass.
    let mut warm_up = ctx.run_ui(input.clone(), |_| {});
    textures.apply(&warm_up.textures_delta);
    warm_up.textures_delta.clear();
    let mut output = ctx.run_ui(input, |ui| {
        let rect = Rect::from_min_size(Pos2::ZERO, size);
        paint(&ui.painter().with_clip_rect(rect), rect);
    });
    textures.apply(&output.textures_delta);
    output.textures_delta.clear();
    Rendered {
        shapes: output.shapes,
        textures,
        width_px,
        height_px,
        pixels_per_point,
        ctx,
    }
}

impl Rendered {
    /// The pixels, tessellated by egui exactly as for the screen and rasterized in software.
    /// Shapes go through in chunks, in order, so that the triangles of a large map never all
    /// exist at once; each chunk is handed to the tessellator, not copied.
    pub fn to_image(self, background: Color32) -> Image {
        const SHAPES_PER_CHUNK: usize = 4096;
        // Meshes already hold their triangles (a large layer's small polygons are a few large
        // meshes, see `map::hairline`): a chunk also ends at this many mesh vertices.
        const VERTICES_PER_CHUNK: usize = 1 << 18;
        let mut image = Image::new(self.width_px as usize, self.height_px as usize, background);
        let mut shapes = self.shapes.into_iter();
        let mut triangles = 0;
        loop {
            let mut chunk: Vec<ClippedShape> = Vec::new();
            let mut vertices = 0;
            while chunk.len() < SHAPES_PER_CHUNK && vertices < VERTICES_PER_CHUNK {
                let Some(shape) = shapes.next() else { break };
                if let egui::Shape::Mesh(m) = &shape.shape {
                    vertices += m.vertices.len();
                }
                chunk.push(shape);
            }
            if chunk.is_empty() {
                break;
            }
            let primitives = self.ctx.tessellate(chunk, self.pixels_per_point);
            triangles += primitives
                .iter()
                .map(|p| match &p.primitive {
                    Primitive::Mesh(m) => m.indices.len() / 3,
                    Primitive::Callback(_) => 0,
                })
                .sum::<usize>();
            rasterize(
                &mut image,
                &primitives,
                &self.textures,
                self.pixels_per_point,
            );
        }
        if std::env::var_os("ONEMAP_TIMING").is_some() {
            eprintln!("triangles rasterized: {triangles}");
        }
        image
    }

    /// The canvas in points (CSS pixels): the page size of a PDF, at 96 points to the inch.
    pub fn size_in_points(&self) -> egui::Vec2 {
        size_in_points(self.width_px, self.height_px, self.pixels_per_point)
    }

    pub fn to_svg(&self) -> String {
        super::svg::to_svg(
            &self.shapes,
            self.width_px,
            self.height_px,
            self.pixels_per_point,
            &self.textures,
        )
    }
}

/// PNG bytes of an image (8-bit RGBA; the image is opaque, so premultiplied equals straight).
pub fn encode_png(image: &Image) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width as u32, image.height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(image.as_bytes())?;
    }
    Ok(out)
}
