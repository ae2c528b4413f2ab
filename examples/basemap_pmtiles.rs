//! Makes a raster PMTiles basemap from our own rendering of the built-in basemap (no internet):
//! every 256 px tile of zooms 8 to 13 over 淀山湖 and its surroundings, painted headless as the
//! export paints, then written with `onemap::io::tiles::pmtiles::write_pmtiles`. Used for the
//! README's screenshot of a local PMTiles basemap.
//!
//!     cargo run --example basemap_pmtiles -- /tmp/dianshan.pmtiles
//!
//! Labels are placed tile by tile, so a name near a tile's edge may be cut: this is a
//! rendering to show tiles with, not a cartographic product.

// An example is a crate of its own; a panic is its failure report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;

use egui::Color32;
use onemap::app::AppData;
use onemap::io::DataDir;
use onemap::io::tiles::pmtiles::write_pmtiles;
use onemap::map::{MapFrame, Scene, ScreenTransform};
use onemap::model::tile_basemap::TileId;
use onemap::model::view::ViewSettings;
use onemap::present::raster::Image;
use onemap::present::render::{encode_png, render};

/// Lon/lat box of the tiles: 淀山湖, 朱家角, 青浦 and the lakes to the west.
const WEST: f64 = 120.80;
const EAST: f64 = 121.15;
const SOUTH: f64 = 30.98;
const NORTH: f64 = 31.25;

fn tile_range(z: u8) -> (u32, u32, u32, u32) {
    let n = f64::from(1u32 << z);
    let x = |lon: f64| ((lon + 180.0) / 360.0 * n) as u32;
    let y =
        |lat: f64| ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32;
    (x(WEST), x(EAST), y(NORTH), y(SOUTH))
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/dianshan.pmtiles".into());
    let data = AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let scene = Scene::build(&data.plan, &data.basemap, &data.style);
    let overlay = Scene::build_overlay(&[], &data.style);
    let mut view = ViewSettings::from_style(&data.style);
    // The basemap alone: the plan's layers are drawn by the app over the tiles.
    for (id, g) in view.groups.iter_mut() {
        g.visible = id == "basemap";
    }
    let sketches = BTreeMap::new();
    let no = std::collections::BTreeSet::new();
    let mut tiles = Vec::new();
    for z in 8..=13u8 {
        let (x0, x1, y0, y1) = tile_range(z);
        for x in x0..=x1 {
            for y in y0..=y1 {
                let rendered = render(256, 256, 1.0, |painter, rect| {
                    // The tile's north-west corner at the canvas's.
                    let n = f64::from(1u32 << z);
                    let merc = [f64::from(x) / n, f64::from(y) / n];
                    let scale = 256.0 * n;
                    let transform = ScreenTransform {
                        scale,
                        offset: [-merc[0] * scale, -merc[1] * scale],
                    };
                    let frame = MapFrame {
                        scene: &scene,
                        overlay: &overlay,
                        sketches: &sketches,
                        style: &data.style,
                        view: &view,
                        transform,
                        rect,
                        hovered: None,
                        selected: &[],
                        symbol_scale: 1.0,
                        line_scale: 1.0,
                        hidden: &no,
                        sketched: &no,
                        sketches_shown: false,
                        tiles_under: false,
                    };
                    let (shapes, _) = frame.shapes(painter);
                    painter.extend(shapes);
                });
                let image: Image = rendered.to_image(Color32::WHITE);
                tiles.push((TileId { z, x, y }, encode_png(&image).unwrap()));
            }
        }
        println!("zoom {z}: {} tiles so far", tiles.len());
    }
    let meta = r#"{"attribution":"OneMap built-in basemap, rendered as tiles (examples/basemap_pmtiles.rs)"}"#;
    write_pmtiles(std::path::Path::new(&out), &tiles, 2, meta).unwrap();
    println!("wrote {out}: {} tiles", tiles.len());
}
