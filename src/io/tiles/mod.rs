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
pub mod mbtiles;
mod online;
pub mod pmtiles;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

pub use crate::model::tile_basemap::TileId;
use crate::model::tile_basemap::{BasemapChoice, gcj02_reason};
pub use online::{OnlineTiles, cache_dir, online_template};

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
}

/// A decoded tile: straight (unpremultiplied) RGBA, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedTile {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// Decodes PNG or JPEG bytes. Vector tiles (MVT) are refused with a message: this build
/// draws raster tiles only.
pub fn decode(id: TileId, bytes: &[u8]) -> Result<DecodedTile, TileError> {
    if bytes.is_empty() {
        return Err(TileError::tile(id, "the tile is empty"));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) || bytes.first() == Some(&0x1a) {
        return Err(TileError::tile(
            id,
            "a vector tile (MVT); only raster tiles (PNG, JPEG) are drawn",
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
        BasemapChoice::Local { path, .. } => {
            let path = Path::new(path);
            match &options.base_dir {
                Some(base) if path.is_relative() => open_local(&base.join(path))?,
                _ => open_local(path)?,
            }
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
        Some("pmtiles") => Ok(Arc::new(pmtiles::PmTiles::open(path)?)),
        Some("mbtiles") => Ok(Arc::new(mbtiles::MbTiles::open(path)?)),
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
