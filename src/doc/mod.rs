//! The headless document layer: what a map of the plan is made of, with no window, no panel and
//! no file dialog. The GUI (`app`, `ui`) and the headless paths (`present`, `cli`) both build
//! on it, so an export draws the same document the screen does without needing the GUI's types.
//!
//! - [`data`]: the plan data read once from the data folder ([`AppData`]).
//! - [`document`]: an open project with its sketches applied to the plan and its features
//!   prepared for drawing ([`Document`]).
//! - [`fonts`]: the bundled CJK font, for the screen and for exports alike.
//! - [`legend`] and [`swatch`]: the legend and scale bar painted over every map, on screen
//!   and on slides.
//!
//! It imports `model`, `edit`, `io` and `map`, never `present`, `app`, `ui` or `command`.

pub mod data;
pub mod document;
pub mod fonts;
pub mod legend;
pub mod swatch;

pub use crate::io::geojson_import::ImportedFeature;
pub use data::AppData;
pub use document::{Document, SketchState};
pub use fonts::{NOTO_SANS_SC, install_fonts};
