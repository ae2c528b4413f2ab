//! How long a cached online tile is good for, as its server said (RFC 9111, in the part tile
//! servers use): `Cache-Control: max-age` (else `Expires`, else a week, which OpenStreetMap's
//! tile policy asks of clients when a server says nothing); `no-cache` means ask again each
//! time; `no-store` means do not keep it. A stale tile is asked for again with its validators
//! (`If-None-Match` with its ETag, `If-Modified-Since` with its Last-Modified), so that an
//! unchanged tile costs a 304 and no download. Kept beside the tile as `{y}.meta`, a few
//! `key value` lines.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// When a server says nothing: a week.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Freshness {
    /// Seconds since 1970 until which the tile is fresh.
    pub expires: u64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The server asked that the tile not be kept.
    pub no_store: bool,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Freshness {
    /// From a response's headers, received now.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let text = |name: reqwest::header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_owned())
        };
        let control = text(reqwest::header::CACHE_CONTROL)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let directives: Vec<&str> = control.split(',').map(str::trim).collect();
        let max_age = directives.iter().find_map(|d| {
            d.strip_prefix("max-age=")
                .and_then(|n| n.trim_matches('"').parse::<u64>().ok())
        });
        let no_cache = directives.contains(&"no-cache");
        let expires_at = text(reqwest::header::EXPIRES).map(|e| {
            httpdate::parse_http_date(&e)
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                // An unreadable Expires ("0", "-1") means already expired.
                .map_or(0, |d| d.as_secs())
        });
        let expires = if no_cache {
            0
        } else if let Some(age) = max_age {
            now().saturating_add(age)
        } else if let Some(at) = expires_at {
            at
        } else {
            now().saturating_add(DEFAULT_LIFETIME.as_secs())
        };
        Self {
            expires,
            etag: text(reqwest::header::ETAG),
            last_modified: text(reqwest::header::LAST_MODIFIED),
            no_store: directives.contains(&"no-store"),
        }
    }

    pub fn is_fresh(&self) -> bool {
        now() < self.expires
    }

    /// Where a tile's freshness is kept: beside it.
    pub fn file_of(tile: &Path) -> PathBuf {
        tile.with_extension("meta")
    }

    /// A tile's freshness; `None` for a tile cached without one (by an older OneMap), which
    /// is then stale.
    pub fn read(tile: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(Self::file_of(tile)).ok()?;
        let mut f = Self::default();
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("expires", v)) => f.expires = v.trim().parse().ok()?,
                Some(("etag", v)) => f.etag = Some(v.trim().to_owned()),
                Some(("last-modified", v)) => f.last_modified = Some(v.trim().to_owned()),
                _ => {}
            }
        }
        Some(f)
    }

    pub fn write(&self, tile: &Path) {
        let mut text = format!("expires {}\n", self.expires);
        for (key, value) in [("etag", &self.etag), ("last-modified", &self.last_modified)] {
            if let Some(v) = value.as_ref().filter(|v| !v.contains('\n')) {
                text.push_str(&format!("{key} {v}\n"));
            }
        }
        // A failure only costs a revalidation later.
        let _ = crate::io::atomic::atomic_write(&Self::file_of(tile), text.as_bytes(), false);
    }
}

/// Empties the tile cache `dir`: only the folders OneMap made there (one per server, named by
/// a 16-digit hash), never anything else a user keeps in it. Returns the tiles removed.
pub fn clear_cache(dir: &Path) -> std::io::Result<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let ours = name
            .to_str()
            .is_some_and(|n| n.len() == 16 && n.chars().all(|c| c.is_ascii_hexdigit()));
        if ours && entry.path().is_dir() {
            removed += count_tiles(&entry.path());
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(removed)
}

fn count_tiles(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    count_tiles(&p)
                } else {
                    usize::from(p.extension().is_some_and(|x| x == "tile"))
                }
            })
            .sum()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn max_age_wins_then_expires_then_a_week() {
        let f = Freshness::from_headers(&headers(&[
            ("cache-control", "public, max-age=3600"),
            ("expires", "Thu, 01 Jan 1970 00:00:00 GMT"),
            ("etag", "\"v1\""),
        ]));
        assert!(f.is_fresh() && f.expires <= now() + 3600 && f.expires + 5 >= now() + 3600);
        assert_eq!(f.etag.as_deref(), Some("\"v1\""));
        let past =
            Freshness::from_headers(&headers(&[("expires", "Thu, 01 Jan 1970 00:01:00 GMT")]));
        assert_eq!(past.expires, 60);
        assert!(!past.is_fresh());
        let none = Freshness::from_headers(&HeaderMap::new());
        assert!(none.expires >= now() + 6 * 24 * 3600);
        let again = Freshness::from_headers(&headers(&[("cache-control", "no-cache, no-store")]));
        assert!(!again.is_fresh() && again.no_store);
    }

    #[test]
    fn freshness_round_trips_beside_its_tile_and_clearing_keeps_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("0123456789abcdef/3/1");
        std::fs::create_dir_all(&ours).unwrap();
        let tile = ours.join("2.tile");
        std::fs::write(&tile, b"png").unwrap();
        let f = Freshness {
            expires: 42,
            etag: Some("\"abc\"".into()),
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
            no_store: false,
        };
        f.write(&tile);
        assert_eq!(Freshness::read(&tile), Some(f));
        let mine = dir.path().join("notes.txt");
        std::fs::write(&mine, "keep").unwrap();
        assert_eq!(clear_cache(dir.path()).unwrap(), 1);
        assert!(!tile.exists() && mine.exists());
    }
}
