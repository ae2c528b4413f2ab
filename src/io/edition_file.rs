//! Reading `layers/edition.ron`.

use std::path::Path;

use crate::model::edition::Edition;

use super::error::IoError;

pub fn read_edition(path: &Path) -> Result<Edition, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::read(path, e))?;
    ron::from_str(&text).map_err(|e| IoError::ron(path, "plan edition file", &e))
}
