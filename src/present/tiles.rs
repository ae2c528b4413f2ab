//! Tiles for a headless slide: read and decoded on the spot (an export waits for its tiles,
//! the screen does not), from the same readers and cache as the app's. A tile that fails is
//! left blank and counted; an online tile neither cached nor allowed from the network is
//! counted apart, so that the export can refuse rather than write a map with holes.

use std::collections::HashMap;
use std::sync::Arc;

use egui::epaint::TextureId;
use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use crate::io::tiles::{OpenOptions, TileError, TileSource, decode, open_source};
use crate::map::tiles::TileTextures;
use crate::model::tile_basemap::{BasemapChoice, TileId};

/// How an export draws tiles: the basemap to use instead of the project's, and how sources
/// are opened. By default online sources read only their cache.
#[derive(Clone, Debug, Default)]
pub struct TileSettings {
    /// `--basemap`: replaces the project's (or scene's) choice.
    pub basemap: Option<BasemapChoice>,
    pub open: OpenOptions,
}

/// The tiles of one headless rendering.
pub struct HeadlessTiles {
    source: Arc<dyn TileSource>,
    /// The render pass's context, taken from its painter.
    ctx: Option<Context>,
    /// Kept until the rendering is rasterized: a dropped handle frees its texture.
    loaded: HashMap<TileId, Option<TextureHandle>>,
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

    /// Sets the context textures are loaded into (the render pass's).
    pub fn use_context(&mut self, ctx: &Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
    }

    fn load(&mut self, id: TileId) -> Option<TextureHandle> {
        let ctx = self.ctx.clone()?;
        let read = self
            .source
            .read(id)
            .and_then(|b| b.map(|b| decode(id, &b)).transpose());
        match read {
            Ok(Some(tile)) => {
                let image =
                    ColorImage::from_rgba_unmultiplied([tile.width, tile.height], &tile.rgba);
                let name = format!("tile {}/{}/{}", id.z, id.x, id.y);
                Some(ctx.load_texture(name, image, TextureOptions::LINEAR))
            }
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
    fn texture(&mut self, id: TileId, request: bool) -> Option<TextureId> {
        if !self.loaded.contains_key(&id) {
            if !request {
                return None;
            }
            let t = self.load(id);
            self.loaded.insert(id, t);
        }
        self.loaded.get(&id)?.as_ref().map(TextureHandle::id)
    }

    fn zooms(&self) -> (u8, u8) {
        self.source.zooms()
    }
}
