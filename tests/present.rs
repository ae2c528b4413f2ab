//! Exports: `onemap export` at pixel and paper sizes, SVG contents, a golden image of a scene,
//! and bad input. Headless: no display, no GPU (the PNG is rasterized in software).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root, with_corridors_slide};

use std::path::{Path, PathBuf};

use onemap::present::export::{Canvas, render_project};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-present-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn default_project() -> String {
    root()
        .join("assets/projects/sma-2022.onemap")
        .display()
        .to_string()
}

fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn export_writes_the_requested_pixel_and_paper_sizes() {
    let dir = scratch("sizes");
    let png = dir.join("cities.png");
    let (code, out, err) = onemap(&[
        "export",
        &default_project(),
        "--out",
        png.to_str().unwrap(),
        "--scene",
        "cities",
        "--width",
        "800",
        "--height",
        "450",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(png_size(&png), (800, 450));

    let a4 = dir.join("a4.png");
    let (code, _, err) = onemap(&[
        "export",
        &default_project(),
        "--out",
        a4.to_str().unwrap(),
        "--paper",
        "a4",
        "--dpi",
        "150",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(png_size(&a4), (1754, 1240), "A4 landscape at 150 dpi");
}

#[test]
fn the_svg_is_xml_with_vector_paths_the_title_and_the_legend() {
    let dir = scratch("svg");
    let svg = dir.join("corridors.svg");
    let (code, _, err) = onemap(&[
        "export",
        &default_project(),
        "--out",
        svg.to_str().unwrap(),
        "--scene",
        "corridors",
        "--width",
        "1280",
        "--height",
        "720",
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for wanted in ["七条区域发展廊道", "图例", "N"] {
        assert!(texts.contains(&wanted), "{wanted} is a text of the SVG");
    }
    // The legend entry carries its status ("区域发展走廊 · 示意" while the corridors are sketched).
    assert!(
        texts.iter().any(|t| t.starts_with("区域发展走廊")),
        "the corridors' legend entry"
    );
    assert!(texts.iter().any(|t| t.contains("GSHHG")), "attribution");
    assert!(texts.iter().any(|t| t.ends_with(" km")), "scale bar");
    // Areas, lines and runs of dashes are all paths (of relative moves, to keep the file small).
    let paths = doc.descendants().filter(|n| n.has_tag_name("path")).count();
    let open = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("fill") == Some("none"))
        .count();
    assert!(
        paths > 100 && open > 100,
        "{paths} paths, {open} of them lines"
    );
    assert!(
        text.contains("@font-face"),
        "the font travels with the file"
    );
}

#[test]
fn plain_geojson_layers_export_and_bad_input_exits_2_without_writing() {
    let dir = scratch("geojson");
    let out = dir.join("layers.png");
    // Two well-formed layers of different geometry types (the plan's own files).
    let points = root().join("layers/cities.geojson");
    let lines = root().join("layers/greenways.geojson");
    let (code, _, err) = onemap(&[
        "export",
        "--geojson",
        points.to_str().unwrap(),
        "--geojson",
        lines.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--width",
        "640",
        "--height",
        "480",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(png_size(&out), (640, 480));

    let broken = dir.join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let bad = dir.join("bad.png");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--geojson".into(), broken.display().to_string()],
            "broken.geojson",
        ),
        // Entries the one reader does not let through (an unclosed ring, a non-Feature)
        // refuse a plain layer export, as they refuse a plan layer.
        (
            vec![
                "--geojson".into(),
                root()
                    .join("tests/fixtures/all_geometries.geojson")
                    .display()
                    .to_string(),
            ],
            "is not closed",
        ),
        (
            vec![default_project(), "--scene".into(), "nope".into()],
            "no scene named `nope`",
        ),
        (
            vec![dir.join("missing.onemap").display().to_string()],
            "missing.onemap",
        ),
    ];
    for (args, message) in cases {
        let mut all: Vec<&str> = vec!["export"];
        all.extend(args.iter().map(String::as_str));
        all.extend(["--out", bad.to_str().unwrap()]);
        let (code, _, err) = onemap(&all);
        assert_eq!(code, 2, "{all:?}: {err}");
        assert!(err.contains(message), "{all:?}: {err}");
        assert!(!bad.exists(), "nothing written for {all:?}");
    }
    let (code, _, err) = onemap(&[
        "export",
        &default_project(),
        "--out",
        dir.join("x.jpg").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(".png, .svg or .pdf"), "{err}");
}

/// Pixels whose channels differ by more than `tolerance`, as a share of all.
pub fn share_differing(a: &[u8], b: &[u8], tolerance: u8) -> f64 {
    assert_eq!(a.len(), b.len());
    let differing = a
        .chunks_exact(4)
        .zip(b.chunks_exact(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) > tolerance)
        })
        .count();
    differing as f64 / (a.len() / 4) as f64
}

#[test]
fn a_scene_matches_its_golden_image() {
    let rendered = with_corridors_slide(false, |inputs, area| {
        render_project(inputs, area, Canvas::pixels(960, 540).unwrap())
    });
    let image = rendered.to_image(egui::Color32::WHITE);
    let golden_path = root().join("tests/snapshots/scene_corridors.png");
    let new_path = root().join("tests/snapshots/scene_corridors.new.png");
    let _ = std::fs::remove_file(&new_path);
    let png = onemap::present::render::encode_png(&image).unwrap();
    // The share of pixels that differ by more than anti-aliasing; all of them when the sizes
    // differ, none can be compared when there is no golden image.
    let share = read_rgba(&golden_path).map(|golden| {
        if golden.len() == image.as_bytes().len() {
            share_differing(image.as_bytes(), &golden, 24)
        } else {
            1.0
        }
    });
    if let Some(share) = share {
        eprintln!(
            "{:.4}% of pixels differ from the golden image by more than 24",
            share * 100.0
        );
    }
    let matches = share.is_some_and(|s| s <= 0.002);
    match SnapshotMode::from_env() {
        SnapshotMode::UpdateAll => std::fs::write(&golden_path, &png).unwrap(),
        SnapshotMode::UpdateFailing if !matches => std::fs::write(&golden_path, &png).unwrap(),
        _ if matches => {}
        _ => {
            // Never bless itself: a missing or different golden image fails, and the new
            // rendering is left beside it to look at before updating.
            std::fs::write(&new_path, &png).unwrap();
            match share {
                None => panic!(
                    "no golden image at {}; look at {} and run with UPDATE_SNAPSHOTS=1 to accept it",
                    golden_path.display(),
                    new_path.display()
                ),
                Some(share) => panic!(
                    "{:.3}% of pixels differ from the golden image; see {}",
                    share * 100.0,
                    new_path.display()
                ),
            }
        }
    }
}

/// What `UPDATE_SNAPSHOTS` asks for, read as egui_kittest reads it for its own snapshots
/// (tests/ui.rs), so that one variable means the same for every golden image: unset or 0 to
/// test, 1 to rewrite the images that fail, `force` to rewrite them all.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SnapshotMode {
    Test,
    UpdateFailing,
    UpdateAll,
}

impl SnapshotMode {
    fn from_env() -> Self {
        match std::env::var("UPDATE_SNAPSHOTS").as_deref() {
            Err(_) | Ok("false" | "0" | "no" | "off") => Self::Test,
            Ok("true" | "1" | "yes" | "on") => Self::UpdateFailing,
            Ok("force") => Self::UpdateAll,
            Ok(other) => panic!("unsupported value for UPDATE_SNAPSHOTS: {other:?}"),
        }
    }
}

/// The RGBA pixels of a PNG file, or `None` when there is no such file.
fn read_rgba(path: &Path) -> Option<Vec<u8>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut pixels).unwrap();
    Some(pixels)
}
