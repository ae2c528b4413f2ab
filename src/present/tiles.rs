//! Tiles for a headless slide: read and decoded on the spot (an export waits for its tiles,
//! the screen does not), from the same readers and cache as the app's. A tile that fails is
//! left blank and counted; an online tile neither cached nor allowed from the network is
//! counted apart, so that the export can refuse rather than write a map with holes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use crate::io::tiles::{OpenOptions, TileContent, TileError, TileSource, load_tile, open_source};
use crate::map::tiles::{TileLook, TileTextures};
use crate::model::tile_basemap::{BasemapChoice, TileId};

use super::export::ExportError;

/// How an export draws tiles: the basemap to use instead of the project's, and how sources
/// are opened. By default online sources read only their cache.
#[derive(Clone, Debug, Default)]
pub struct TileSettings {
    /// `--basemap`: replaces the project's (or scene's) choice.
    pub basemap: Option<BasemapChoice>,
    pub open: OpenOptions,
}

/// A tile loaded: an image's texture, or a vector tile's triangles.
enum Loaded {
    Texture(TextureHandle),
    Vector(Arc<crate::model::tile_basemap::VectorTile>),
}

/// The tiles of one headless rendering.
pub struct HeadlessTiles {
    source: Arc<dyn TileSource>,
    /// The render pass's context, taken from its painter.
    ctx: Option<Context>,
    /// Kept until the rendering is rasterized: a dropped handle frees its texture.
    loaded: HashMap<TileId, Option<Loaded>>,
    /// Tiles that could not be drawn, and why (the first few).
    pub failures: Vec<String>,
    pub failed: usize,
    /// Online tiles that are not cached while the network is off.
    pub not_cached: usize,
}

impl HeadlessTiles {
    /// The tiles of `choice`; `Ok(None)` for the built-in basemap, an error naming the file
    /// or URL when it cannot be opened.
    pub fn open(choice: &BasemapChoice, options: &OpenOptions) -> Result<Option<Self>, TileError> {
        Ok(open_source(choice, options)?.map(|source| Self {
            source,
            ctx: None,
            loaded: HashMap::new(),
            failures: Vec::new(),
            failed: 0,
            not_cached: 0,
        }))
    }

    /// The tiles of a slide's basemap: `settings`' override, else the project's choice (a
    /// relative path found from the project's folder). A source that cannot be opened is a
    /// warning, and the built-in basemap is drawn.
    pub fn for_slide(
        choice: &BasemapChoice,
        settings: &TileSettings,
        project_path: Option<&Path>,
    ) -> (Option<Self>, Vec<String>) {
        let mut open = settings.open.clone();
        if settings.basemap.is_none() {
            open.base_dir = project_path.and_then(Path::parent).map(Path::to_owned);
        }
        match Self::open(choice, &open) {
            Ok(tiles) => (tiles, Vec::new()),
            Err(e) => (None, vec![format!("{e}; the built-in basemap is drawn")]),
        }
    }

    /// After the rendering: an error when online tiles were needed that are neither cached
    /// nor allowed from the network, else the warnings about tiles that failed.
    pub fn outcome(&self, choice: &BasemapChoice) -> Result<Vec<String>, ExportError> {
        if self.not_cached > 0 {
            return Err(ExportError::TilesNotCached {
                count: self.not_cached,
                basemap: choice.describe(),
            });
        }
        Ok((self.failed > 0)
            .then(|| {
                format!(
                    "{} tile(s) could not be drawn and are blank: {}",
                    self.failed,
                    self.failures.join("; ")
                )
            })
            .into_iter()
            .collect())
    }

    /// A local choice with no attribution of its own (`--basemap PATH`) takes its source's.
    pub fn fill_attribution(&self, choice: &mut BasemapChoice) {
        if let BasemapChoice::Local { attribution, .. } = choice
            && attribution.trim().is_empty()
        {
            *attribution = self.source.attribution();
        }
    }

    /// Sets the context textures are loaded into (the render pass's).
    pub fn use_context(&mut self, ctx: &Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
    }

    fn load(&mut self, id: TileId) -> Option<Loaded> {
        let ctx = self.ctx.clone()?;
        match load_tile(self.source.as_ref(), id) {
            Ok(Some(TileContent::Raster(tile))) => {
                let image =
                    ColorImage::from_rgba_unmultiplied([tile.width, tile.height], &tile.rgba);
                let name = format!("tile {}/{}/{}", id.z, id.x, id.y);
                let texture = ctx.load_texture(name, image, TextureOptions::LINEAR);
                Some(Loaded::Texture(texture))
            }
            Ok(Some(TileContent::Vector(tile))) => Some(Loaded::Vector(tile)),
            Ok(None) => None,
            Err(TileError::NotCached { .. }) => {
                self.not_cached += 1;
                None
            }
            Err(e) => {
                self.failed += 1;
                if self.failures.len() < 5 {
                    self.failures.push(e.to_string());
                }
                None
            }
        }
    }
}

impl TileTextures for HeadlessTiles {
    fn tile(&mut self, id: TileId, request: bool) -> Option<TileLook> {
        if !self.loaded.contains_key(&id) {
            if !request {
                return None;
            }
            let t = self.load(id);
            self.loaded.insert(id, t);
        }
        Some(match self.loaded.get(&id)?.as_ref()? {
            Loaded::Texture(t) => TileLook::Texture(t.id()),
            Loaded::Vector(v) => TileLook::Vector(v.clone()),
        })
    }

    fn zooms(&self) -> (u8, u8) {
        self.source.zooms()
    }

    fn tile_pixels(&self) -> f64 {
        if self.source.vector_style().is_some() {
            512.0
        } else {
            256.0
        }
    }

    fn fonts(&self) -> Option<Context> {
        self.ctx.clone()
    }

    fn per_feature(&self) -> bool {
        true
    }
}

/// The slide's attribution line over tiles: the tiles' sources in place of the built-in
/// basemap's (which is not drawn), the plan layers' kept.
pub fn with_tiles(attribution: &str, tiles: &str) -> String {
    match attribution.split_once(". Plan layers:") {
        Some((basemap, plan)) if basemap.starts_with("Basemap:") => {
            format!("{tiles}. Plan layers:{plan}")
        }
        _ => format!("{tiles} · {attribution}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tiles_sources_replace_the_builtin_basemaps_and_the_plans_stay() {
        let line = "Basemap: GSHHG, Natural Earth. Plan layers: the 2022 plan; indicative";
        assert_eq!(
            with_tiles(line, "Tiles: © OpenStreetMap contributors"),
            "Tiles: © OpenStreetMap contributors. Plan layers: the 2022 plan; indicative"
        );
        assert_eq!(with_tiles("Data: x", "Tiles: y"), "Tiles: y · Data: x");
    }
}
