//! Tile basemaps: one reader per format (PMTiles, MBTiles, a folder of `{z}/{x}/{y}` images,
//! online XYZ servers with a disk cache), each giving a tile's bytes, and one decoder to RGBA.
//! The app's tile workers and the headless export both read through here, so that a tile the
//! screen shows is the tile a slide shows.
//!
//! Why our own readers and not walkers' `HttpTiles`/`PmTiles`: those are bound to an egui
//! context and an async runtime thread, and their cache (HTTP semantics, cacache) cannot be
//! read synchronously by the headless export nor be told "cache only". The PMTiles v3 format is
//! a header, varint directories and gzip (flate2 is already ours), which a synchronous reader
//! covers in a few hundred lines; the `pmtiles` crate's reader is async only.

pub mod folder;
pub mod freshness;
mod layered;
pub mod mbtiles;
mod online;
pub mod pmtiles;
pub mod vector;
pub mod vector_style;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

pub use crate::model::tile_basemap::TileId;
use crate::model::tile_basemap::{BasemapChoice, OnlineSource, VectorTile, gcj02_reason};
pub use layered::{Layered, VectorTiles};
pub use online::{OnlineTiles, cache_dir, online_template};
pub use vector_style::VectorStyle;

#[derive(Debug, Error, Clone)]
pub enum TileError {
    #[error("{path}: {message}")]
    Source { path: String, message: String },
    #[error("tile {z}/{x}/{y}: {message}")]
    Tile {
        z: u8,
        x: u32,
        y: u32,
        message: String,
    },
    #[error("tile {z}/{x}/{y} is not in the cache and the network is off")]
    NotCached { z: u8, x: u32, y: u32 },
}

impl TileError {
    fn tile(id: TileId, message: impl Into<String>) -> Self {
        Self::Tile {
            z: id.z,
            x: id.x,
            y: id.y,
            message: message.into(),
        }
    }

    fn source(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Source {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A source of tiles: their encoded bytes, by grid position.
pub trait TileSource: Send + Sync {
    /// The tile's bytes (PNG, JPEG…), or `None` where the source has no tile (outside its
    /// coverage: drawn blank, not an error).
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError>;
    /// The zoom levels that hold tiles, lowest and highest.
    fn zooms(&self) -> (u8, u8);
    /// The attribution its metadata gives, if any.
    fn attribution(&self) -> String {
        String::new()
    }
    /// Forgets a tile that turned out unreadable, so that a cache does not keep serving it.
    fn discard(&self, _id: TileId) {}
    /// The online source, for asking what is cached.
    fn is_online(&self) -> Option<&OnlineTiles> {
        None
    }
    /// For vector tiles (MVT): the style they are drawn with.
    fn vector_style(&self) -> Option<&VectorStyle> {
        None
    }
    /// Tiles drawn over these ones (Tianditu's annotation layer over its base).
    fn overlay(&self) -> Option<&dyn TileSource> {
        None
    }
}

/// A tile ready to draw: an image, or a vector tile's triangles.
#[derive(Clone, Debug)]
pub enum TileContent {
    Raster(DecodedTile),
    Vector(Arc<VectorTile>),
}

/// Reads and decodes one tile of `source` (with its overlay, if it has one): `None` where the
/// source has no tile. The app's workers and the headless export both load tiles here.
pub fn load_tile(source: &dyn TileSource, id: TileId) -> Result<Option<TileContent>, TileError> {
    let Some(bytes) = source.read(id)? else {
        return Ok(None);
    };
    if let Some(style) = source.vector_style() {
        let tile = vector::prepare(id, &bytes, style)?;
        return Ok(Some(TileContent::Vector(Arc::new(tile))));
    }
    let mut tile = decode(id, &bytes)?;
    if let Some(overlay) = source.overlay()
        && let Some(bytes) = overlay.read(id)?
    {
        layered::draw_over(&mut tile, &decode(id, &bytes)?);
    }
    Ok(Some(TileContent::Raster(tile)))
}

/// A decoded tile: straight (unpremultiplied) RGBA, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedTile {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// Decodes PNG, JPEG or WebP bytes. A vector tile (MVT) in a raster source is refused with a
/// message (vector sources go through [`vector::prepare`]).
pub fn decode(id: TileId, bytes: &[u8]) -> Result<DecodedTile, TileError> {
    if bytes.is_empty() {
        return Err(TileError::tile(id, "the tile is empty"));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) || bytes.first() == Some(&0x1a) {
        return Err(TileError::tile(
            id,
            "a vector tile (MVT) where an image (PNG, JPEG, WebP) was expected",
        ));
    }
    let image = image::load_from_memory(bytes)
        .map_err(|e| TileError::tile(id, format!("not a readable image: {e}")))?
        .to_rgba8();
    Ok(DecodedTile {
        width: image.width() as usize,
        height: image.height() as usize,
        rgba: image.into_raw(),
    })
}

/// How sources are opened: where online tiles are cached, whether the network may be used,
/// and the user's Tianditu key.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    pub cache_dir: Option<PathBuf>,
    /// Cache only: online sources read their cache and never the network.
    pub offline: bool,
    pub tianditu_key: String,
    /// How long one online tile may take.
    pub timeout: Option<std::time::Duration>,
    /// The project's folder: a relative local path is found from there.
    pub base_dir: Option<PathBuf>,
}

/// Opens the source a choice names (`None` for the built-in basemap). Every error names the
/// file or URL and what is wrong; a source marked GCJ-02 is refused.
pub fn open_source(
    choice: &BasemapChoice,
    options: &OpenOptions,
) -> Result<Option<Arc<dyn TileSource>>, TileError> {
    if let Some(why) = choice.refusal() {
        return Err(TileError::source(choice.describe(), why));
    }
    let source: Arc<dyn TileSource> = match choice {
        BasemapChoice::Builtin => return Ok(None),
        BasemapChoice::Local { path, style, .. } => {
            let found = |p: &str| {
                let p = Path::new(p);
                match &options.base_dir {
                    Some(base) if p.is_relative() => base.join(p),
                    _ => p.to_owned(),
                }
            };
            let style = (!style.trim().is_empty()).then(|| found(style.trim()));
            open_local_styled(&found(path), style.as_deref())?
        }
        BasemapChoice::Online(OnlineSource::Tianditu(layer)) if layer.overlay_code().is_some() => {
            Arc::new(Layered::tianditu(*layer, options)?)
        }
        BasemapChoice::Online(online) => Arc::new(OnlineTiles::new(online, options)?),
    };
    let attribution = source.attribution();
    if let Some(why) = gcj02_reason(&attribution) {
        return Err(TileError::source(
            choice.describe(),
            format!("refused, its metadata says {why}: GCJ-02 tiles lie off the plan layers"),
        ));
    }
    Ok(Some(source))
}

/// A local file or folder, by what it is.
pub fn open_local(path: &Path) -> Result<Arc<dyn TileSource>, TileError> {
    open_local_styled(path, None)
}

/// [`open_local`]; vector tiles are drawn with the style file `style`, else with
/// `NAME.style.json` beside `NAME.pmtiles` (or `.mbtiles`) if there is one, else with the
/// built-in style.
pub fn open_local_styled(
    path: &Path,
    style: Option<&Path>,
) -> Result<Arc<dyn TileSource>, TileError> {
    let styled = |source: Arc<dyn TileSource>| -> Result<Arc<dyn TileSource>, TileError> {
        let beside = path.with_extension("style.json");
        let style = match style {
            Some(s) => VectorStyle::load(s)?,
            None if beside.is_file() => VectorStyle::load(&beside)?,
            None => VectorStyle::builtin(),
        };
        Ok(Arc::new(VectorTiles::new(source, style)))
    };
    let shown = path.display().to_string();
    if path.is_dir() {
        return Ok(Arc::new(folder::FolderTiles::open(path)?));
    }
    if !path.exists() {
        return Err(TileError::source(shown, "no such file or folder"));
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pmtiles") => {
            let tiles = pmtiles::PmTiles::open(path)?;
            match tiles.is_vector() {
                true => styled(Arc::new(tiles)),
                false => Ok(Arc::new(tiles)),
            }
        }
        Some("mbtiles") => {
            let tiles = mbtiles::MbTiles::open(path)?;
            match tiles.is_vector() {
                true => styled(Arc::new(tiles)),
                false => Ok(Arc::new(tiles)),
            }
        }
        _ => Err(TileError::source(
            shown,
            "not a tile basemap: expected a .pmtiles or .mbtiles file, or a folder of {z}/{x}/{y} images",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_image_and_a_vector_tile_are_errors_not_panics() {
        let id = TileId { z: 3, x: 1, y: 2 };
        let e = decode(id, b"\x89PNG\r\n\x1a\nnot really").unwrap_err();
        assert!(e.to_string().starts_with("tile 3/1/2: "), "{e}");
        let e = decode(id, &[0x1f, 0x8b, 0, 0]).unwrap_err();
        assert!(e.to_string().contains("vector tile"), "{e}");
        let style = VectorStyle::builtin();
        for bad in [
            &b"\x1f\x8b\x08garbage"[..],
            b"\x1a\xff\xff\xff\xff\x0f",
            b"not a tile",
        ] {
            let e = vector::prepare(id, bad, &style).unwrap_err().to_string();
            assert!(
                e.starts_with("tile 3/1/2: ") && e.contains("vector tile"),
                "{e}"
            );
        }
        assert!(decode(id, &[]).is_err());
    }

    #[test]
    fn a_file_of_another_kind_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("map.geojson");
        std::fs::write(&f, "{}").unwrap();
        let e = open_local(&f).err().unwrap().to_string();
        assert!(e.contains("map.geojson") && e.contains(".pmtiles"), "{e}");
        let e = open_local(&dir.path().join("gone.pmtiles"))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("gone.pmtiles"), "{e}");
    }
}
