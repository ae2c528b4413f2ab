//! Sources made of other sources: vector tiles with their style, and a base with an overlay
//! (Tianditu's annotation layer over its vector or imagery layer, composited per tile so that
//! the map, the cache and the export see one tile).

use std::sync::Arc;

use super::online::tianditu_template;
use super::{DecodedTile, OnlineTiles, OpenOptions, TileError, TileId, TileSource, VectorStyle};
use crate::model::tile_basemap::TiandituLayer;

/// Vector tiles (MVT) and the style they are drawn with.
pub struct VectorTiles {
    inner: Arc<dyn TileSource>,
    style: VectorStyle,
}

impl VectorTiles {
    pub fn new(inner: Arc<dyn TileSource>, style: VectorStyle) -> Self {
        Self { inner, style }
    }
}

impl TileSource for VectorTiles {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        self.inner.read(id)
    }
    fn zooms(&self) -> (u8, u8) {
        self.inner.zooms()
    }
    fn attribution(&self) -> String {
        self.inner.attribution()
    }
    fn vector_style(&self) -> Option<&VectorStyle> {
        Some(&self.style)
    }
}

/// A base and the tiles drawn over it.
pub struct Layered {
    base: Arc<dyn TileSource>,
    overlay: Arc<dyn TileSource>,
}

impl Layered {
    pub fn new(base: Arc<dyn TileSource>, overlay: Arc<dyn TileSource>) -> Self {
        Self { base, overlay }
    }

    /// A Tianditu layer with its annotation layer (`cva` over `vec`, `cia` over `img`).
    pub fn tianditu(layer: TiandituLayer, options: &OpenOptions) -> Result<Self, TileError> {
        let zooms = (1, 18);
        let base = OnlineTiles::from_template(tianditu_template(layer.code()), zooms, options)?;
        let code = layer.overlay_code().unwrap_or("cva");
        let overlay = OnlineTiles::from_template(tianditu_template(code), zooms, options)?;
        Ok(Self::new(Arc::new(base), Arc::new(overlay)))
    }
}

impl TileSource for Layered {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        self.base.read(id)
    }
    fn zooms(&self) -> (u8, u8) {
        self.base.zooms()
    }
    fn discard(&self, id: TileId) {
        self.base.discard(id);
        self.overlay.discard(id);
    }
    fn attribution(&self) -> String {
        self.base.attribution()
    }
    fn is_online(&self) -> Option<&OnlineTiles> {
        self.base.is_online()
    }
    fn overlay(&self) -> Option<&dyn TileSource> {
        Some(self.overlay.as_ref())
    }
}

/// Draws `over` on `base` ("source over"), both straight RGBA; an overlay of another size is
/// sampled at the nearest pixel.
pub fn draw_over(base: &mut DecodedTile, over: &DecodedTile) {
    if over.width == 0 || over.height == 0 {
        return;
    }
    for y in 0..base.height {
        let oy = y * over.height / base.height.max(1);
        for x in 0..base.width {
            let ox = x * over.width / base.width.max(1);
            let (b, o) = ((y * base.width + x) * 4, (oy * over.width + ox) * 4);
            let (Some(dst), Some(src)) = (base.rgba.get_mut(b..b + 4), over.rgba.get(o..o + 4))
            else {
                continue;
            };
            let sa = f32::from(src[3]) / 255.0;
            let da = f32::from(dst[3]) / 255.0;
            let out_a = sa + da * (1.0 - sa);
            if out_a <= 0.0 {
                continue;
            }
            for c in 0..3 {
                let v = (f32::from(src[c]) * sa + f32::from(dst[c]) * da * (1.0 - sa)) / out_a;
                dst[c] = v.round() as u8;
            }
            dst[3] = (out_a * 255.0).round() as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_covers_the_base_where_it_is_opaque_only() {
        let mut base = DecodedTile {
            width: 2,
            height: 1,
            rgba: vec![0, 0, 255, 255, 0, 0, 255, 255],
        };
        let over = DecodedTile {
            width: 2,
            height: 1,
            rgba: vec![255, 255, 255, 255, 255, 0, 0, 0],
        };
        draw_over(&mut base, &over);
        assert_eq!(base.rgba, vec![255, 255, 255, 255, 0, 0, 255, 255]);
    }
}
