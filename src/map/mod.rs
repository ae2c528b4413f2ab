//! Everything that knows about walkers and screen pixels: the prepared scene, painting, labels
//! and hit tests. Coordinates come in as lon/lat and leave as screen positions only here.
//! A core layer, on `model` alone: it never names the document, the panels or the app.

pub mod basemap_items;
pub mod canvas;
pub mod canvas_runs;
pub mod changes;
pub mod clip;
pub mod data_summary;
pub mod draw;
mod frame_look;
pub mod hairline;
pub mod hit_test;
pub mod indicative;
pub mod labels;
pub mod lod;
pub mod marks;
pub mod paint_cache;
pub mod pending;
pub mod scale_bar;
pub mod scene;
pub mod snap;
pub mod symbols;
pub mod tiles;

pub use canvas::{CanvasUse, MapCanvas};
pub use draw::{DrawStats, MapFrame, ScreenTransform};
pub use paint_cache::PaintCache;
pub use scene::{ItemKey, Scene};
