//! Reading the data files: plan layers (GeoJSON), the basemap (GeoJSON) and the style (RON).
//! Every error names the file and what is wrong with it.

pub mod basemap_file;
pub mod data_dir;
pub mod error;
pub mod layer_file;
pub mod style_file;

pub use basemap_file::read_basemap;
pub use data_dir::DataDir;
pub use error::IoError;
pub use layer_file::{read_layer, read_plan};
pub use style_file::read_style;
