//! Reading the data files: plan layers (GeoJSON), the basemap (GeoJSON) and the style (RON).
//! Every error names the file and what is wrong with it. All GeoJSON, whichever command reads
//! it, goes through one reader with one set of rules (`geojson_reader`).
//! A core layer, on `model` alone; no GUI crate. The panels (`ui`) never call it: files are
//! read and written by the app, the document layer, the exports and the command line.

pub mod atomic;
pub mod baseline;
pub mod basemap_file;
pub mod clock;
pub mod data_dir;
pub mod data_file;
pub mod db;
pub mod edition_file;
pub mod error;
pub mod export;
pub mod formats;
pub mod geojson_fields;
pub mod geojson_import;
pub mod geojson_reader;
pub mod layer_file;
pub mod open;
pub mod output_guard;
pub mod paths;
pub mod preferences;
pub mod project_file;
pub mod project_tables;
pub mod recent;
pub mod recovery;
pub mod review_file;
mod ron_words;
pub mod sketch;
pub mod style_file;
pub mod tiles;
pub mod user_dirs;

pub use basemap_file::read_basemap;
pub use data_dir::DataDir;
pub use edition_file::read_edition;
pub use error::IoError;
pub use layer_file::{read_layer, read_plan};
pub use project_file::{load_project, save_project};
pub use style_file::read_style;
