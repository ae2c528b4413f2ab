//! Exports: `onemap export` at pixel and paper sizes, SVG contents, a golden image of a scene,
//! and bad input. Headless: no display, no GPU (the PNG is rasterized in software).

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};

use onemap::app::AppData;
use onemap::app::document::Document;
use onemap::io::DataDir;
use onemap::map::Scene;
use onemap::present::export::{Canvas, SlideInputs, SlideSpec, find_scene, render_project};

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
    let paths = doc.descendants().filter(|n| n.has_tag_name("path")).count();
    let lines = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .count();
    assert!(paths > 5 && lines > 100, "{paths} paths, {lines} lines");
    assert!(
        text.contains("@font-face"),
        "the font travels with the file"
    );
}

#[test]
fn plain_geojson_layers_export_and_bad_input_exits_2_without_writing() {
    let dir = scratch("geojson");
    let out = dir.join("layers.png");
    let fixture = root().join("tests/fixtures/all_geometries.geojson");
    let (code, _, err) = onemap(&[
        "export",
        "--geojson",
        fixture.to_str().unwrap(),
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
    assert!(err.contains(".png or .svg"), "{err}");
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
    let data = AppData::load(&DataDir::at(root())).unwrap();
    let project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    let spec = SlideSpec::of(&project, Some(find_scene(&project, "corridors").unwrap()));
    let scene = Scene::build(&data.plan, &data.basemap, &data.style);
    let doc = Document::new(project, None, &data.style);
    let inputs = SlideInputs {
        plan: &data.plan,
        style: &data.style,
        attribution: &data.attribution,
        scene: &scene,
        doc: &doc,
        spec: &spec,
        high_contrast: false,
        // Fixed, so that the image does not change with the day.
        date: "2026-11-28",
    };
    let area = onemap::present::plan_area(&data.plan);
    let rendered = render_project(&inputs, area, Canvas::pixels(960, 540).unwrap());
    let image = rendered.to_image(egui::Color32::WHITE);
    let golden_path = root().join("tests/snapshots/scene_corridors.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !golden_path.exists() {
        std::fs::write(
            &golden_path,
            onemap::present::render::encode_png(&image).unwrap(),
        )
        .unwrap();
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&golden_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut golden = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut golden).unwrap();
    let share = share_differing(image.as_bytes(), &golden, 24);
    if share > 0.002 {
        let new = root().join("tests/snapshots/scene_corridors.new.png");
        std::fs::write(&new, onemap::present::render::encode_png(&image).unwrap()).unwrap();
        panic!(
            "{:.3}% of pixels differ from the golden image; see {}",
            share * 100.0,
            new.display()
        );
    }
}
