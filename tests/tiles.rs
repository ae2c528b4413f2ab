//! Tile basemaps (issue 18): local PMTiles, MBTiles and XYZ folders, online tiles from a
//! loopback server started here (never the internet), the cache and the offline switch, tiles
//! that fail, the export's --basemap and --allow-network, and tiles lining up with WGS84.
// Tests may unwrap: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::loopback::Loopback;
use common::{onemap, root};
use onemap::io::tiles::mbtiles::write_mbtiles;
use onemap::io::tiles::pmtiles::write_pmtiles;
use onemap::io::tiles::{OpenOptions, TileError, decode, open_source};
use onemap::model::tile_basemap::{BasemapChoice, OnlineSource, TileId};

/// A 256 px PNG tile of one colour.
fn png(rgb: [u8; 3]) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn scratch(name: &str) -> PathBuf {
    common::scratch_dir("tiles", name)
}

/// A tile server on 127.0.0.1: `/ok/…` serves a green PNG, `/404/…` and `/500/…` those
/// statuses, `/slow/…` answers after 3 s, `/corrupt/…` a PNG signature and garbage.
/// Each request is answered on a thread of its own.
fn tile_server() -> Loopback {
    Loopback::start(|stream| {
        std::thread::spawn(move || serve(stream));
    })
}

fn serve(mut stream: std::net::TcpStream) {
    stream.set_nonblocking(false).unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request's head.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) <= 2 {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, body): (&str, Vec<u8>) = match path.split('/').nth(1).unwrap_or("") {
        "ok" => ("200 OK", png([0, 160, 0])),
        "404" => ("404 Not Found", b"no".to_vec()),
        "500" => ("500 Internal Server Error", b"broken".to_vec()),
        "corrupt" => ("200 OK", b"\x89PNG\r\n\x1a\ngarbage, not a png".to_vec()),
        "slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", png([0, 0, 200]))
        }
        _ => ("404 Not Found", Vec::new()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn online(template: String) -> BasemapChoice {
    BasemapChoice::Online(OnlineSource::Custom {
        template,
        attribution: "test server".into(),
        gcj02: false,
    })
}

fn options(cache: &Path, offline: bool) -> OpenOptions {
    OpenOptions {
        cache_dir: Some(cache.to_owned()),
        offline,
        tianditu_key: String::new(),
        timeout: Some(Duration::from_millis(800)),
        base_dir: None,
    }
}

const TILE: TileId = TileId {
    z: 10,
    x: 856,
    y: 417,
};

#[test]
fn online_tiles_are_cached_and_served_offline_after_the_server_stops() {
    let mut server = tile_server();
    let cache = scratch("cache");
    let choice = online(server.template("ok"));
    let source = open_source(&choice, &options(&cache, false))
        .unwrap()
        .unwrap();
    let bytes = source.read(TILE).unwrap().unwrap();
    assert_eq!(decode(TILE, &bytes).unwrap().rgba[..4], [0, 160, 0, 255]);
    server.stop();
    let offline = open_source(&choice, &options(&cache, true))
        .unwrap()
        .unwrap();
    assert_eq!(
        offline.read(TILE).unwrap().unwrap(),
        bytes,
        "from the cache"
    );
    let other = TileId { x: 857, ..TILE };
    assert!(matches!(
        offline.read(other),
        Err(TileError::NotCached { .. })
    ));
    // Online again but the server is gone: an error, not a hang or a panic.
    let gone = open_source(&choice, &options(&cache, false))
        .unwrap()
        .unwrap();
    assert!(gone.read(other).is_err());
}

#[test]
fn a_404_a_500_a_timeout_and_a_corrupt_png_are_errors_that_say_so() {
    let server = tile_server();
    let cache = scratch("failures");
    let read = |kind: &str| {
        let s = open_source(&online(server.template(kind)), &options(&cache, false))
            .unwrap()
            .unwrap();
        s.read(TILE)
            .and_then(|b| decode(TILE, &b.unwrap()).map(|_| ()))
            .unwrap_err()
            .to_string()
    };
    assert!(read("404").contains("HTTP 404"), "{}", read("404"));
    assert!(read("500").contains("HTTP 500"));
    let started = std::time::Instant::now();
    assert!(read("slow").contains("did not answer"));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(read("corrupt").contains("not a readable image"));
}

/// The app's tile layer: a tile that fails is left blank and the status note says why, and a
/// good tile becomes a texture; both without the UI thread waiting.
#[test]
fn the_apps_tile_layer_notes_a_failure_and_loads_a_good_tile_in_the_background() {
    use onemap::app::tiles::BasemapTiles;
    let server = tile_server();
    let cache = scratch("app");
    let ctx = egui::Context::default();
    for (kind, good) in [("404", false), ("ok", true)] {
        let mut tiles = BasemapTiles::default();
        tiles.sync(
            &ctx,
            &online(server.template(kind)),
            &options(&cache, false),
        );
        assert!(tiles.is_active());
        let mut got = None;
        for _ in 0..200 {
            got = tiles.textures().unwrap().tile(TILE, true);
            tiles.end_frame();
            if got.is_some() || tiles.failed() > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if good {
            assert!(got.is_some(), "the tile was loaded");
            assert!(tiles.note.is_none());
        } else {
            assert!(got.is_none());
            assert_eq!(tiles.failed(), 1);
            let note = tiles.note_text(onemap::model::UiLanguage::English).unwrap();
            assert!(note.contains("HTTP 404"), "{note}");
        }
    }
}

#[test]
fn pmtiles_mbtiles_and_folders_give_the_same_tile() {
    let dir = scratch("local");
    let tile = png([200, 30, 30]);
    let tiles = vec![(TILE, tile.clone())];
    let pm = dir.join("t.pmtiles");
    write_pmtiles(&pm, &tiles, 2, r#"{"attribution":"made here"}"#).unwrap();
    let mb = dir.join("t.mbtiles");
    write_mbtiles(&mb, &tiles, "made here").unwrap();
    let folder = dir.join("xyz");
    std::fs::create_dir_all(folder.join("10/856")).unwrap();
    std::fs::write(folder.join("10/856/417.png"), &tile).unwrap();
    for path in [&pm, &mb, &folder] {
        let choice = BasemapChoice::Local {
            path: path.display().to_string(),
            attribution: String::new(),
            style: String::new(),
        };
        let s = open_source(&choice, &OpenOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(
            s.read(TILE).unwrap().as_ref(),
            Some(&tile),
            "{}",
            path.display()
        );
        assert_eq!(s.zooms(), (10, 10));
    }
}

#[test]
fn a_gcj02_source_is_refused_with_a_message() {
    let choice = BasemapChoice::from_arg(
        "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8",
    );
    let e = open_source(&choice, &OpenOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("GCJ-02"), "{e}");
    let dir = scratch("gcj");
    let pm = dir.join("gcj.pmtiles");
    write_pmtiles(
        &pm,
        &[(TILE, png([1, 2, 3]))],
        2,
        r#"{"attribution":"GCJ-02 tiles"}"#,
    )
    .unwrap();
    let local = BasemapChoice::Local {
        path: pm.display().to_string(),
        attribution: String::new(),
        style: String::new(),
    };
    let e = open_source(&local, &OpenOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("gcj.pmtiles") && e.contains("GCJ-02"), "{e}");
}

// --- Exports -------------------------------------------------------------------------------

/// Web Mercator, written out here apart from the program's: normalized x and y.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
    (x, y)
}

const CROSS: (f64, f64) = (121.1, 31.05);

/// Tiles of zoom `z` around the cross, white, with a magenta cross drawn at its lon/lat.
fn cross_tiles(z: u8) -> Vec<(TileId, Vec<u8>)> {
    let n = f64::from(1u32 << z);
    let (mx, my) = mercator(CROSS.0, CROSS.1);
    let (px, py) = (mx * n * 256.0, my * n * 256.0);
    let (tx, ty) = ((px / 256.0) as u32, (py / 256.0) as u32);
    let mut out = Vec::new();
    for y in ty - 3..=ty + 3 {
        for x in tx - 4..=tx + 4 {
            let mut img = image::RgbaImage::from_pixel(256, 256, image::Rgba([255, 255, 255, 255]));
            // Three pixels wide, so that sampling between pixels leaves its middle whole.
            let (col, row) = (px.floor() as i64, py.floor() as i64);
            for j in 0..256i64 {
                for i in 0..256i64 {
                    let (gx, gy) = (i64::from(x) * 256 + i, i64::from(y) * 256 + j);
                    let on_v = (gx - col).abs() <= 1 && (gy - row).abs() < 40;
                    let on_h = (gy - row).abs() <= 1 && (gx - col).abs() < 40;
                    if on_v || on_h {
                        img.put_pixel(i as u32, j as u32, image::Rgba([255, 0, 255, 255]));
                    }
                }
            }
            let mut bytes = std::io::Cursor::new(Vec::new());
            img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
            out.push((TileId { z, x, y }, bytes.into_inner()));
        }
    }
    out
}

/// The default project with every layer hidden, looking at the cross at canvas zoom 12.
fn cross_project(dir: &Path, size: egui::Vec2) -> PathBuf {
    let mut project =
        onemap::io::load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    for g in project.settings.groups.values_mut() {
        g.visible = false;
    }
    project.view = Some(onemap::model::project::MapView {
        center: (121.0, 31.0),
        zoom: onemap::present::scene_zoom_from_canvas(12.0, size),
    });
    let path = dir.join("cross.onemap");
    onemap::io::save_project(&path, &project).unwrap();
    path
}

/// The share of an image's pixels that are the test server's green.
fn green_share(path: &Path) -> f64 {
    let img = read_png(path);
    let green = img.pixels().filter(|p| p.0[..3] == [0, 160, 0]).count();
    green as f64 / f64::from(img.width() * img.height())
}

fn read_png(path: &Path) -> image::RgbaImage {
    image::open(path).unwrap().to_rgba8()
}

/// Where the cross is in an image, to a fraction of a pixel: the magenta-weighted mean
/// column of its vertical arm and row of its horizontal arm (pixel centres at +0.5), each arm
/// read away from where they meet. `near` is a first guess within a few pixels.
fn find_cross(img: &image::RgbaImage, near: (f64, f64)) -> (f64, f64) {
    let weight = |x: i64, y: i64| {
        let p = img.get_pixel(x as u32, y as u32).0;
        // White is 0; magenta (255, 0, 255) is 1: the green channel is what the cross removes.
        f64::from(255 - p[1]) / 255.0 * f64::from(p[0].min(p[2]) > 150)
    };
    let (nx, ny) = (near.0 as i64, near.1 as i64);
    let (mut sx, mut wx, mut sy, mut wy) = (0.0, 0.0, 0.0, 0.0);
    for d in 8..30 {
        for side in [-1, 1] {
            for k in -6..=6 {
                let w = weight(nx + k, ny + side * d);
                sx += w * ((nx + k) as f64 + 0.5);
                wx += w;
                let w = weight(nx + side * d, ny + k);
                sy += w * ((ny + k) as f64 + 0.5);
                wy += w;
            }
        }
    }
    assert!(wx > 20.0 && wy > 20.0, "no cross near {near:?}");
    (sx / wx, sy / wy)
}

#[test]
fn a_cross_drawn_at_a_known_lon_lat_lands_on_its_pixel_in_the_export() {
    let dir = scratch("cross");
    let (w, h) = (800u32, 600u32);
    let size = egui::vec2(w as f32, h as f32);
    let project = cross_project(&dir, size);
    let tiles: Vec<_> = (11..=13).flat_map(cross_tiles).collect();
    let pm = dir.join("cross.pmtiles");
    write_pmtiles(&pm, &tiles, 2, r#"{"attribution":"cross test"}"#).unwrap();
    let out = dir.join("cross.png");
    common::export_on_basemap(&project, &pm, &out, [w, h]);
    // The map's centre (121.0, 31.0) is the canvas's centre; at zoom 12 a normalized unit is
    // 256 * 2^12 pixels (1 point is 1 pixel on an 800 × 600 canvas).
    let scale = 256.0 * 2f64.powi(12);
    let (cx, cy) = mercator(121.0, 31.0);
    let (mx, my) = mercator(CROSS.0, CROSS.1);
    let expected = (
        f64::from(w) / 2.0 + (mx - cx) * scale,
        f64::from(h) / 2.0 + (my - cy) * scale,
    );
    let (x, y) = find_cross(&read_png(&out), expected);
    // Within a pixel, the half pixel of the tile's own drawing included.
    assert!(
        (x - expected.0).abs() <= 1.0 && (y - expected.1).abs() <= 1.0,
        "cross at ({x:.2}, {y:.2}), expected ({:.2}, {:.2})",
        expected.0,
        expected.1
    );
}

#[test]
fn an_export_needing_uncached_online_tiles_exits_2_unless_the_network_is_allowed() {
    let dir = scratch("network");
    let mut server = tile_server();
    let project = cross_project(&dir, egui::vec2(320.0, 240.0));
    let out = dir.join("online.png");
    let cache = dir.join("cache");
    let template = server.template("ok");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "export",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--width",
            "320",
            "--height",
            "240",
            "--basemap",
            &template,
        ];
        args.extend_from_slice(extra);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
            .args(&args)
            .arg("--data")
            .arg(root())
            .env("ONEMAP_CACHE_DIR", &cache)
            .env("ONEMAP_CONFIG_DIR", dir.join("config"))
            .output()
            .unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--allow-network"), "{err}");
    assert!(!out.exists(), "nothing written");
    let (code, err) = run(&["--allow-network"]);
    assert_eq!(code, 0, "{err}");
    assert!(green_share(&out) > 0.3, "the server's tile under the map");
    // The server is gone: the cache alone serves the same export.
    server.stop();
    std::fs::remove_file(&out).unwrap();
    let (code, err) = run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(green_share(&out) > 0.3);
}

#[test]
fn bad_tile_files_are_named_and_the_builtin_basemap_is_used() {
    let dir = scratch("bad");
    let truncated = dir.join("cut.pmtiles");
    write_pmtiles(&truncated, &[(TILE, png([1, 1, 1]))], 2, "{}").unwrap();
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..130]).unwrap();
    let no_table = dir.join("empty.mbtiles");
    rusqlite::Connection::open(&no_table)
        .unwrap()
        .execute_batch("CREATE TABLE metadata (name TEXT, value TEXT);")
        .unwrap();
    let empty = dir.join("empty-folder");
    std::fs::create_dir_all(&empty).unwrap();
    let project = root().join("assets/projects/sma-2022.onemap");
    let builtin = dir.join("builtin.png");
    let (code, _, err) = onemap(&[
        "export",
        project.to_str().unwrap(),
        "--out",
        builtin.to_str().unwrap(),
        "--width",
        "320",
        "--height",
        "240",
    ]);
    assert_eq!(code, 0, "{err}");
    for (bad, words) in [
        (&truncated, "truncated"),
        (&no_table, "no `tiles` table"),
        (&empty, "has no tiles"),
    ] {
        let out = dir.join("bad.png");
        let (code, _, err) = onemap(&[
            "export",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--width",
            "320",
            "--height",
            "240",
            "--basemap",
            bad.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let name = bad.file_name().unwrap().to_str().unwrap();
        assert!(err.contains(name) && err.contains(words), "{err}");
        assert!(err.contains("built-in basemap"), "{err}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(&builtin).unwrap(),
            "the built-in basemap, as without --basemap"
        );
    }
}

#[test]
fn an_svg_export_carries_the_tiles_as_images() {
    let dir = scratch("svg");
    let project = cross_project(&dir, egui::vec2(400.0, 300.0));
    let pm = dir.join("cross.pmtiles");
    write_pmtiles(&pm, &cross_tiles(11), 2, r#"{"attribution":"cross test"}"#).unwrap();
    let out = dir.join("cross.svg");
    let (code, stdout, err) = onemap(&[
        "export",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--width",
        "400",
        "--height",
        "300",
        "--basemap",
        pm.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{err}");
    let svg = std::fs::read_to_string(&out).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    let images = svg.matches("<image ").count();
    assert!(images >= 2, "{images} tile images");
    assert!(svg.contains("data:image/png;base64,"));
    assert!(
        svg.contains("Tiles: cross test"),
        "the tiles' attribution on the slide"
    );
}

/// Presenter mode draws the scene's tile basemap (read by the app's workers), and the editor's
/// map too; the project's choice is what both read.
#[test]
fn presenter_mode_and_the_editor_draw_the_tiles_of_the_projects_basemap() {
    use onemap::app::{AppData, OneMapApp, install_fonts};
    let dir = scratch("presenter");
    let pm = dir.join("cross.pmtiles");
    let tiles: Vec<_> = (5..=12).flat_map(cross_tiles_at_zoom).collect();
    write_pmtiles(&pm, &tiles, 2, r#"{"attribution":"cross test"}"#).unwrap();
    let data = AppData::load(&onemap::io::DataDir::at(root())).unwrap();
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = OneMapApp::new(data);
    app.doc.project.settings.basemap = BasemapChoice::Local {
        path: pm.display().to_string(),
        attribution: String::new(),
        style: String::new(),
    };
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let frames = |app: &mut OneMapApp| {
        for _ in 0..300 {
            // No GPU to upload textures to: dropped on purpose.
            ctx.run_ui(input(), |ui| app.ui(ui)).textures_delta.clear();
            if app.tiles.loaded() > 0 && app.tiles.loading() == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    frames(&mut app);
    assert!(app.tiles.loaded() > 0, "the editor's map asked for tiles");
    assert!(
        !app.last_draw
            .items_per_layer
            .keys()
            .any(|l| l.starts_with("basemap")),
        "the built-in basemap is not drawn under tiles: {:?}",
        app.last_draw.items_per_layer.keys().collect::<Vec<_>>()
    );
    app.tiles = Default::default();
    app.present(None, 0);
    frames(&mut app);
    assert!(app.presenting.is_some());
    assert!(
        app.tiles.loaded() > 0,
        "the presenter's slide asked for tiles"
    );
}

/// Tiles of any zoom around the cross: its own tiles from zoom 8, plain ones over the
/// plan region below (the fitted views of the tests reach zoom 5).
fn cross_tiles_at_zoom(z: u8) -> Vec<(TileId, Vec<u8>)> {
    if z >= 8 {
        return cross_tiles(z);
    }
    let n = f64::from(1u32 << z);
    let tx = |lon: f64| ((lon + 180.0) / 360.0 * n) as u32;
    let ty = |lat: f64| {
        let (_, y) = mercator(0.0, lat);
        (y * n) as u32
    };
    let plain = png([240, 240, 250]);
    let mut out = Vec::new();
    for x in tx(116.0)..=tx(126.0) {
        for y in ty(36.0)..=ty(27.0) {
            out.push((TileId { z, x, y }, plain.clone()));
        }
    }
    out
}

/// The basemap is saved per project and per scene: a scene with its own tile basemap exports
/// over its tiles, the project as set up over the built-in basemap, after a save and a load.
#[test]
fn a_scene_keeps_its_own_basemap_through_a_save_and_a_load() {
    let dir = scratch("scene");
    let pm = dir.join("red.pmtiles");
    let red: Vec<_> = (5..=12)
        .flat_map(cross_tiles_at_zoom)
        .map(|(id, _)| (id, png([220, 0, 0])))
        .collect();
    write_pmtiles(&pm, &red, 2, "{}").unwrap();
    let size = egui::vec2(320.0, 240.0);
    let path = cross_project(&dir, size);
    let mut project = onemap::io::load_project(&path).unwrap();
    let mut settings = project.settings.clone();
    settings.basemap = BasemapChoice::Local {
        path: "red.pmtiles".into(),
        attribution: "red".into(),
        style: String::new(),
    };
    project.scenes.insert(
        0,
        onemap::model::project::NamedScene {
            name: "tiled".into(),
            title_zh: "瓦片".into(),
            title_en: "Tiled".into(),
            subtitle_zh: String::new(),
            subtitle_en: String::new(),
            view: project.view,
            settings: Some(settings),
            highlighted: Vec::new(),
        },
    );
    onemap::io::save_project(&path, &project).unwrap();
    let read = onemap::io::load_project(&path).unwrap();
    assert!(read.settings.basemap.is_builtin());
    assert_eq!(
        read.scenes[0].settings.as_ref().unwrap().basemap,
        project.scenes[0].settings.as_ref().unwrap().basemap
    );
    let red_share = |scene: Option<&str>| {
        let out = dir.join("scene.png");
        let mut args = vec![
            "export",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--width",
            "320",
            "--height",
            "240",
        ];
        if let Some(s) = scene {
            args.extend(["--scene", s]);
        }
        let (code, _, err) = onemap(&args);
        assert_eq!(code, 0, "{err}");
        let img = read_png(&out);
        let red = img.pixels().filter(|p| p.0[..3] == [220, 0, 0]).count();
        red as f64 / f64::from(img.width() * img.height())
    };
    // The relative path is found from the project's folder.
    assert!(red_share(Some("tiled")) > 0.3);
    assert_eq!(red_share(None), 0.0);
}
