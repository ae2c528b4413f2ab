//! Shapefile.

use std::path::Path;

use super::{DataTable, ReadOptions, WriteOptions, not_yet};
use crate::io::error::IoError;

pub fn read(path: &Path, _options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    Err(not_yet(path, "Reading Shapefile"))
}

pub fn write(path: &Path, _tables: &[DataTable], _options: &WriteOptions) -> Result<(), IoError> {
    Err(not_yet(path, "Writing Shapefile"))
}
