//! The map canvas worker's buffers for one run of items at a time (see `canvas.rs`).

use egui::emath::TSTransform;
use egui::epaint::{ClippedPrimitive, ClippedShape, TessellationOptions, Tessellator};
use egui::{Rect, Shape};

use super::draw::MapFrame;
use super::scene::Item;

/// The worker's buffers for a run's shapes and triangles, kept from run to run: a run's mesh
/// grows by doubling to a few MB, and made afresh for each of a large layer's ~50 runs it was
/// freed and allocated again each time (the 1M-vertex import's peak: 212-224 -> 207-214 MiB).
pub(super) struct RunBuffers {
    tessellator: Tessellator,
    clip: Rect,
    shapes: Vec<Shape>,
    primitives: Vec<ClippedPrimitive>,
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
    /// into the last run's buffers. No prepared discs: circles are tessellated as paths, with
    /// egui's white texel only.
    pub(super) fn tessellated(
        &mut self,
        frame: &MapFrame<'_>,
        run: &[&Item],
        ppp: f32,
    ) -> &[ClippedPrimitive] {
        self.shapes.clear();
        frame.paint_items(run, ppp, &mut self.shapes);
        // The first mesh is kept with its capacity (the tessellator appends to the last
        // primitive while the clip and texture match, as all of a run's paths do).
        self.primitives.truncate(1);
        if let Some(ClippedPrimitive {
            primitive: egui::epaint::Primitive::Mesh(mesh),
            ..
        }) = self.primitives.first_mut()
        {
            // Not Mesh::clear, which drops the vertices' buffer.
            mesh.indices.clear();
            mesh.vertices.clear();
        }
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
        &self.primitives
    }
}
