//! Online XYZ tiles, opt-in, with a disk cache shared by the app and the headless export:
//! `<cache>/<source>/{z}/{x}/{y}.tile`, where `<source>` is a hash of the URL template (the
//! user's key left out). Offline ("cache only"), the cache is read and the network never is.
//! Online, a cached tile is used while its server's cache headers say it is fresh, then asked
//! for again with its validators (see [`super::freshness`]); a stale tile the server cannot
//! be asked about (no network, an error) is still drawn, as a blank would help nobody.
//!
//! HTTP is reqwest (pure Rust, rustls with the ring provider), driven by a small runtime of
//! each worker thread: the app's tile workers and the export's thread call [`TileSource::read`]
//! synchronously.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::freshness::Freshness;
use super::{OpenOptions, TileError, TileId, TileSource};
use crate::model::tile_basemap::OnlineSource;

/// How long one tile may take by default.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

pub struct OnlineTiles {
    /// With `{z}`, `{x}`, `{y}` and perhaps `{s}` (a server number) still to fill in.
    template: String,
    /// The template as the cache knows it: without the user's key.
    cache: Option<PathBuf>,
    offline: bool,
    timeout: Duration,
    zooms: (u8, u8),
}

/// Where online tiles are cached: `ONEMAP_CACHE_DIR`, else the user's cache folder.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ONEMAP_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("onemap").join("tiles"))
}

/// The URL template of an online source, with `{key}` where the user's key goes.
pub fn online_template(source: &OnlineSource) -> String {
    match source {
        OnlineSource::OpenStreetMap => "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
        OnlineSource::Tianditu(layer) => tianditu_template(layer.code()),
        OnlineSource::Custom { template, .. } => template.clone(),
    }
}

/// The template of one Tianditu WMTS layer (`vec`, `img`, `cva`, `cia`) in Web Mercator.
pub fn tianditu_template(code: &str) -> String {
    format!(
        "https://t{{s}}.tianditu.gov.cn/{code}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0\
         &LAYER={code}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles\
         &TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{key}}"
    )
}

/// FNV-1a: a stable name for a template's cache folder (std's hasher may change between
/// releases, and the cache outlives them).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl OnlineTiles {
    pub fn new(source: &OnlineSource, options: &OpenOptions) -> Result<Self, TileError> {
        let zooms = match source {
            OnlineSource::Tianditu(_) => (1, 18),
            _ => (0, 19),
        };
        Self::from_template(online_template(source), zooms, options)
    }

    /// Tiles of a URL template (`{key}` where the user's Tianditu key goes).
    pub fn from_template(
        template: String,
        zooms: (u8, u8),
        options: &OpenOptions,
    ) -> Result<Self, TileError> {
        for part in ["{z}", "{x}", "{y}"] {
            if !template.contains(part) {
                return Err(TileError::source(
                    template.clone(),
                    format!("the URL template has no {part}"),
                ));
            }
        }
        let cache = options
            .cache_dir
            .as_ref()
            .map(|d| d.join(format!("{:016x}", fnv1a(&template))));
        let template = if template.contains("{key}") {
            if options.tianditu_key.trim().is_empty() {
                return Err(TileError::source(
                    template,
                    "天地图 Tianditu needs your own key (Preferences of the basemap picker)",
                ));
            }
            template.replace("{key}", options.tianditu_key.trim())
        } else {
            template
        };
        Ok(Self {
            template,
            cache,
            offline: options.offline,
            timeout: options.timeout.unwrap_or(DEFAULT_TIMEOUT),
            zooms,
        })
    }

    fn url(&self, id: TileId) -> String {
        self.template
            .replace("{z}", &id.z.to_string())
            .replace("{x}", &id.x.to_string())
            .replace("{y}", &id.y.to_string())
            .replace("{s}", &((id.x + id.y) % 8).to_string())
    }

    fn cached_file(&self, id: TileId) -> Option<PathBuf> {
        self.cache.as_ref().map(|c| {
            c.join(id.z.to_string())
                .join(id.x.to_string())
                .join(format!("{}.tile", id.y))
        })
    }

    /// Whether a tile is in the cache (the export asks before it would need the network).
    pub fn is_cached(&self, id: TileId) -> bool {
        self.cached_file(id).is_some_and(|f| f.is_file())
    }
}

impl TileSource for OnlineTiles {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let file = self.cached_file(id);
        let cached = file.as_ref().and_then(|f| std::fs::read(f).ok());
        let freshness = file.as_deref().and_then(Freshness::read);
        if let Some(bytes) = &cached
            && (self.offline || freshness.as_ref().is_some_and(Freshness::is_fresh))
        {
            return Ok(Some(bytes.clone()));
        }
        if self.offline {
            return Err(TileError::NotCached {
                z: id.z,
                x: id.x,
                y: id.y,
            });
        }
        // Validators only for a tile we still have.
        let validators = freshness.filter(|_| cached.is_some());
        match fetch(&self.url(id), self.timeout, validators.as_ref()) {
            Ok(Fetched::Body(bytes, fresh)) => {
                if let Some(f) = &file {
                    if fresh.no_store {
                        let _ = std::fs::remove_file(f);
                        let _ = std::fs::remove_file(Freshness::file_of(f));
                    } else {
                        store(f, &bytes);
                        fresh.write(f);
                    }
                }
                Ok(Some(bytes))
            }
            Ok(Fetched::NotModified(fresh)) => match (cached, &file) {
                (Some(bytes), Some(f)) => {
                    fresh.write(f);
                    Ok(Some(bytes))
                }
                _ => Err(TileError::tile(
                    id,
                    "the server answered 304 for a tile not cached",
                )),
            },
            Err(message) => cached.map(Some).ok_or_else(|| TileError::tile(id, message)),
        }
    }

    fn discard(&self, id: TileId) {
        if let Some(f) = self.cached_file(id) {
            let _ = std::fs::remove_file(Freshness::file_of(&f));
            let _ = std::fs::remove_file(f);
        }
    }

    fn zooms(&self) -> (u8, u8) {
        self.zooms
    }

    fn is_online(&self) -> Option<&OnlineTiles> {
        Some(self)
    }
}

/// Keeps a tile in the cache, whole or not at all: a failure only costs a later download.
fn store(file: &Path, bytes: &[u8]) {
    if let Some(dir) = file.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = crate::io::atomic::atomic_write(file, bytes, false);
    }
}

thread_local! {
    /// Each thread's runtime and client: a connection pool belongs to the runtime that drives it.
    static NET: RefCell<Option<(tokio::runtime::Runtime, reqwest::Client)>> =
        const { RefCell::new(None) };
}

fn client() -> Result<(tokio::runtime::Runtime, reqwest::Client), String> {
    // Already installed by another thread is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no network runtime: {e}"))?;
    let client = reqwest::Client::builder()
        .user_agent(concat!("onemap/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("no HTTP client: {e}"))?;
    Ok((runtime, client))
}

/// What a GET brought: the tile, or (to a conditional GET) word that the cached one stands.
enum Fetched {
    Body(Vec<u8>, Freshness),
    NotModified(Freshness),
}

/// One GET, whole body, within `timeout`; conditional on `validators` when given.
fn fetch(url: &str, timeout: Duration, validators: Option<&Freshness>) -> Result<Fetched, String> {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url)
        .to_owned();
    NET.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(client()?);
        }
        let Some((runtime, client)) = cell.as_ref() else {
            return Err("no HTTP client".to_owned());
        };
        runtime.block_on(async {
            let get = async {
                let mut request = client.get(url);
                if let Some(v) = validators {
                    if let Some(etag) = &v.etag {
                        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
                    }
                    if let Some(date) = &v.last_modified {
                        request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
                    }
                }
                let response = request.send().await.map_err(|e| format!("{host}: {e}"))?;
                let status = response.status();
                let fresh = Freshness::from_headers(response.headers());
                if status == reqwest::StatusCode::NOT_MODIFIED && validators.is_some() {
                    return Ok(Fetched::NotModified(fresh));
                }
                if !status.is_success() {
                    return Err(format!("{host} answered HTTP {}", status.as_u16()));
                }
                response
                    .bytes()
                    .await
                    .map(|b| Fetched::Body(b.to_vec(), fresh))
                    .map_err(|e| format!("{host}: {e}"))
            };
            tokio::time::timeout(timeout, get)
                .await
                .map_err(|_| format!("{host} did not answer within {} s", timeout.as_secs_f32()))?
        })
    })
}
