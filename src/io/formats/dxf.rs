//! DXF.

use std::path::Path;

use super::{DataTable, ReadOptions, not_yet};
use crate::io::error::IoError;

pub fn read(path: &Path, _options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    Err(not_yet(path, "Reading DXF"))
}
