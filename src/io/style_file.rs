//! Reading `assets/style.ron`.

use std::path::Path;

use crate::model::style::Style;

use super::error::IoError;

pub fn read_style(path: &Path) -> Result<Style, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::read(path, e))?;
    parse_style(path, &text)
}

pub fn parse_style(path: &Path, text: &str) -> Result<Style, IoError> {
    ron::from_str(text).map_err(|e| IoError::ron(path, "style", &e))
}
