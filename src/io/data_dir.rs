//! Where the data files are: the folder that holds `layers/` and `assets/`.

use std::path::{Path, PathBuf};

use super::error::IoError;

/// The root of the data: `layers/` (the plan edition) and `assets/` (basemap, style).
#[derive(Clone, Debug)]
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    /// Looks in `$ONEMAP_DATA`, then the working folder and its parents, then beside the
    /// executable and its parents, and last in the source tree the binary was built from, so
    /// that `cargo run` works from any folder of the checkout.
    pub fn locate() -> Result<Self, IoError> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os("ONEMAP_DATA") {
            candidates.push(PathBuf::from(dir));
        }
        if let Ok(cwd) = std::env::current_dir() {
            candidates.extend(cwd.ancestors().map(Path::to_path_buf));
        }
        if let Some(exe_dir) = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(Path::to_path_buf))
        {
            candidates.extend(exe_dir.ancestors().map(Path::to_path_buf));
        }
        candidates.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        candidates
            .into_iter()
            .find(|dir| dir.join("layers").is_dir() && dir.join("assets/style.ron").is_file())
            .map(|root| Self { root })
            .ok_or_else(|| IoError::DataDirNotFound("layers/".into()))
    }

    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn layers(&self) -> PathBuf {
        self.root.join("layers")
    }

    pub fn edition(&self) -> PathBuf {
        self.root.join("layers/edition.ron")
    }

    /// The project `cargo run` opens.
    pub fn default_project(&self) -> PathBuf {
        self.root.join("assets/projects/sma-2022.onemap")
    }

    pub fn basemap(&self) -> PathBuf {
        self.root.join("assets/basemap/basemap.geojson")
    }

    pub fn style(&self) -> PathBuf {
        self.root.join("assets/style.ron")
    }

    pub fn attribution(&self) -> PathBuf {
        self.root.join("assets/ATTRIBUTION.md")
    }
}
