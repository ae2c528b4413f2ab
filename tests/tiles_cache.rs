//! The online tile cache honours its server's word (issue 18): a tile is kept while
//! `Cache-Control: max-age` (or `Expires`) says it is fresh, then asked for again with its
//! ETag or Last-Modified, and a 304 keeps it without a download; a stale tile is still drawn
//! when the server is gone; "clear cache" empties it. A server on 127.0.0.1 started here,
//! which counts requests and records their validators.
// Tests may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::loopback::Loopback;
use onemap::io::tiles::freshness::clear_cache;
use onemap::io::tiles::{OpenOptions, TileError, open_source};
use onemap::model::tile_basemap::{BasemapChoice, OnlineSource, TileId};

const TILE: TileId = TileId { z: 3, x: 6, y: 3 };

/// What the server saw: each request's path and its conditional headers.
#[derive(Default)]
struct Seen {
    requests: Vec<(String, Option<String>, Option<String>)>,
}

struct Server {
    http: Loopback,
    seen: Arc<Mutex<Seen>>,
}

impl Server {
    /// `/fresh/…` is good for an hour (ETag "v1"), `/nocache/…` must be asked about each time
    /// (ETag "v1": 304 to If-None-Match "v1"), `/expired/…` expired in 1970 (Last-Modified:
    /// 304 to If-Modified-Since of it), `/nostore/…` may not be kept.
    fn start() -> Self {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let s = seen.clone();
        let http = Loopback::start(move |stream| serve(stream, &s));
        Self { http, seen }
    }

    fn choice(&self, kind: &str) -> BasemapChoice {
        BasemapChoice::Online(OnlineSource::Custom {
            template: self.http.template(kind),
            attribution: String::new(),
            gcj02: false,
        })
    }

    fn requests(&self) -> Vec<(String, Option<String>, Option<String>)> {
        self.seen.lock().unwrap().requests.clone()
    }

    fn stop(&mut self) {
        self.http.stop();
    }
}

const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

fn serve(mut stream: std::net::TcpStream, seen: &Mutex<Seen>) {
    stream.set_nonblocking(false).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let (mut etag, mut since) = (None, None);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) <= 2 {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            let value = Some(value.trim().to_owned());
            match name.to_ascii_lowercase().as_str() {
                "if-none-match" => etag = value,
                "if-modified-since" => since = value,
                _ => {}
            }
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let kind = path.split('/').nth(1).unwrap_or("").to_owned();
    let not_modified = (kind == "nocache" && etag.as_deref() == Some("\"v1\""))
        || (kind == "expired" && since.as_deref() == Some(LAST_MODIFIED));
    seen.lock().unwrap().requests.push((path, etag, since));
    let headers = match kind.as_str() {
        "fresh" => "Cache-Control: max-age=3600\r\nETag: \"v1\"\r\n".to_owned(),
        "nocache" => "Cache-Control: no-cache\r\nETag: \"v1\"\r\n".to_owned(),
        "expired" => {
            format!("Expires: Thu, 01 Jan 1970 00:00:00 GMT\r\nLast-Modified: {LAST_MODIFIED}\r\n")
        }
        _ => "Cache-Control: no-store\r\n".to_owned(),
    };
    let (status, body) = if not_modified {
        ("304 Not Modified", Vec::new())
    } else {
        ("200 OK", png())
    };
    let head = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn png() -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([0, 160, 0, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-cache-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(cache: &std::path::Path, offline: bool) -> OpenOptions {
    OpenOptions {
        cache_dir: Some(cache.to_owned()),
        offline,
        timeout: Some(Duration::from_secs(5)),
        ..Default::default()
    }
}

/// Reads the tile of `kind` `times` times, each through a newly opened source (as the app
/// and an export would), and returns what the server saw.
fn read_times(
    server: &Server,
    kind: &str,
    cache: &std::path::Path,
    times: usize,
) -> Vec<(String, Option<String>, Option<String>)> {
    for _ in 0..times {
        let source = open_source(&server.choice(kind), &options(cache, false))
            .unwrap()
            .unwrap();
        assert_eq!(source.read(TILE).unwrap().unwrap(), png());
    }
    server
        .requests()
        .into_iter()
        .filter(|(p, _, _)| p.starts_with(&format!("/{kind}/")))
        .collect()
}

#[test]
fn a_fresh_tile_is_not_asked_for_again_and_a_stale_one_is_revalidated() {
    let server = Server::start();
    let cache = scratch("revalidate");
    // Fresh for an hour: one request for three reads.
    assert_eq!(read_times(&server, "fresh", &cache, 3).len(), 1);
    // no-cache: asked each time, with its ETag after the first; 304 keeps the tile.
    let seen = read_times(&server, "nocache", &cache, 3);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].1, None);
    assert!(
        seen[1..]
            .iter()
            .all(|(_, etag, _)| etag.as_deref() == Some("\"v1\""))
    );
    // Expired: asked again with If-Modified-Since of its Last-Modified.
    let seen = read_times(&server, "expired", &cache, 2);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].2.as_deref(), Some(LAST_MODIFIED));
    // no-store: never kept, so asked each time without validators, and not there offline.
    let seen = read_times(&server, "nostore", &cache, 2);
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|(_, e, s)| e.is_none() && s.is_none()));
    let offline = open_source(&server.choice("nostore"), &options(&cache, true))
        .unwrap()
        .unwrap();
    assert!(matches!(
        offline.read(TILE),
        Err(TileError::NotCached { .. })
    ));
}

#[test]
fn a_stale_tile_is_still_drawn_when_its_server_is_gone_and_clearing_empties_the_cache() {
    let mut server = Server::start();
    let cache = scratch("stale");
    read_times(&server, "expired", &cache, 1);
    let choice = server.choice("expired");
    server.stop();
    // Online, stale, and the server does not answer: the cached tile rather than a hole.
    let source = open_source(&choice, &options(&cache, false))
        .unwrap()
        .unwrap();
    assert_eq!(source.read(TILE).unwrap().unwrap(), png());
    assert_eq!(clear_cache(&cache).unwrap(), 1);
    let offline = open_source(&choice, &options(&cache, true))
        .unwrap()
        .unwrap();
    assert!(matches!(
        offline.read(TILE),
        Err(TileError::NotCached { .. })
    ));
    let e = source.read(TILE).unwrap_err().to_string();
    assert!(e.contains("127.0.0.1"), "{e}");
}
