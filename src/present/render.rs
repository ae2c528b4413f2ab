//! Running egui without a window: one pass paints a slide into shapes, which become a PNG
//! through the software rasterizer or an SVG through [`super::svg`].

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::epaint::{ClippedShape, Mesh, PaintCallback, Primitive};
use egui::{Color32, Painter, Pos2, Rect, Shape, ViewportId, vec2};

use super::map_items::ItemsApart;
use super::raster::{Image, Textures, rasterize_meshes};

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
        self.to_image_with(background, &mut |_: &mut Image, _: &Textures| {})
    }

    /// [`Self::to_image`], with `apart` drawing onto the image where the shapes hold an
    /// [`ItemsApart`] marker (see `super::map_items`), in order with the shapes around it.
    pub fn to_image_with(
        self,
        background: Color32,
        apart: &mut dyn FnMut(&mut Image, &Textures),
    ) -> Image {
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
            let (chunk, direct) = set_meshes_aside(chunk);
            let primitives = self.ctx.tessellate(chunk, self.pixels_per_point);
            let mut meshes: Vec<(Rect, &Mesh)> = Vec::new();
            for p in &primitives {
                match &p.primitive {
                    Primitive::Mesh(m) => meshes.push((p.clip_rect, m)),
                    Primitive::Callback(c) => {
                        if let Some(SetAside(i)) = c.callback.downcast_ref::<SetAside>() {
                            let mesh = &direct[*i];
                            // What egui's tessellator checks before it copies a mesh.
                            if mesh.is_valid() && p.clip_rect.intersects(mesh.calc_bounds()) {
                                meshes.push((p.clip_rect, &**mesh));
                            }
                        } else if c.callback.downcast_ref::<ItemsApart>().is_some() {
                            triangles += count_triangles(&meshes);
                            rasterize_meshes(
                                &mut image,
                                &meshes,
                                &self.textures,
                                self.pixels_per_point,
                            );
                            meshes.clear();
                            apart(&mut image, &self.textures);
                        }
                    }
                }
            }
            triangles += count_triangles(&meshes);
            rasterize_meshes(&mut image, &meshes, &self.textures, self.pixels_per_point);
        }
        if std::env::var_os("ONEMAP_TIMING").is_some() {
            eprintln!("triangles rasterized (besides features drawn apart): {triangles}");
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

fn count_triangles(meshes: &[(Rect, &Mesh)]) -> usize {
    meshes.iter().map(|(_, m)| m.indices.len() / 3).sum()
}

/// Stands in for a mesh set aside from egui's tessellator, by its index: the tessellator keeps
/// paint callbacks in order among the meshes it makes.
struct SetAside(usize);

/// A chunk's meshes (already triangles) replaced by [`SetAside`] callbacks, and the meshes.
/// egui's tessellator would copy each into its output (a large layer's small polygons are
/// meshes of thousands of vertices, see `map::hairline`, and the fills of the others a mesh
/// each), on one core while the other waits: the rasterizer reads them where they are.
fn set_meshes_aside(chunk: Vec<ClippedShape>) -> (Vec<ClippedShape>, Vec<Arc<Mesh>>) {
    let mut direct = Vec::new();
    let chunk = chunk
        .into_iter()
        .map(|s| match s.shape {
            Shape::Mesh(mesh) if s.transform_after_tessellation == TSTransform::IDENTITY => {
                let marker = PaintCallback {
                    rect: s.clip_rect,
                    callback: Arc::new(SetAside(direct.len())),
                };
                direct.push(mesh);
                ClippedShape {
                    shape: Shape::Callback(marker),
                    ..s
                }
            }
            shape => ClippedShape { shape, ..s },
        })
        .collect();
    (chunk, direct)
}

/// PNG bytes of an image (8-bit RGBA; the image is opaque, so premultiplied equals straight).
pub fn encode_png(image: &Image) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width as u32, image.height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fastest);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(image.as_bytes())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::Vertex;
    use egui::{Stroke, pos2};

    fn triangle(corners: [(f32, f32); 3], color: Color32) -> Shape {
        let mut mesh = Mesh::default();
        for (x, y) in corners {
            mesh.vertices.push(Vertex {
                pos: pos2(x, y),
                uv: egui::epaint::WHITE_UV,
                color,
            });
        }
        mesh.indices = vec![0, 1, 2];
        Shape::mesh(mesh)
    }

    #[test]
    fn meshes_set_aside_from_the_tessellator_draw_as_if_tessellated_in_order() {
        // Translucent meshes between strokes, text and rectangles, and one beyond the clip:
        // drawn over each other, so the order of every piece shows in the pixels.
        let rendered = render(120, 80, 1.5, |painter, rect| {
            painter.rect_filled(rect.shrink(4.0), 0.0, Color32::from_rgb(230, 240, 250));
            painter.add(triangle(
                [(5.0, 5.0), (70.0, 10.0), (20.0, 50.0)],
                Color32::from_rgba_premultiplied(100, 0, 0, 120),
            ));
            painter.line_segment(
                [pos2(0.0, 0.0), pos2(80.0, 53.0)],
                Stroke::new(3.0, Color32::from_rgba_premultiplied(0, 90, 0, 160)),
            );
            painter.add(triangle(
                [(10.0, 40.0), (75.0, 20.0), (60.0, 52.0)],
                Color32::from_rgba_premultiplied(0, 0, 120, 140),
            ));
            painter.text(
                pos2(30.0, 30.0),
                egui::Align2::CENTER_CENTER,
                "OneMap",
                egui::FontId::proportional(12.0),
                Color32::BLACK,
            );
            painter.add(triangle(
                [(500.0, 500.0), (600.0, 500.0), (500.0, 600.0)],
                Color32::RED,
            ));
            painter.circle_filled(pos2(60.0, 40.0), 6.0, Color32::from_black_alpha(100));
        });
        let mut tessellated = Image::new(120, 80, Color32::WHITE);
        let primitives = rendered.ctx.tessellate(rendered.shapes.clone(), 1.5);
        super::super::raster::rasterize(&mut tessellated, &primitives, &rendered.textures, 1.5);
        let image = rendered.to_image(Color32::WHITE);
        assert!(image.pixels.iter().any(|p| *p != [255; 4]));
        assert_eq!(image, tessellated);
    }
}
