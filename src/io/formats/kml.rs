//! KML and KMZ.

use std::path::Path;

use super::{DataTable, Format, ReadOptions, WriteOptions, not_yet};
use crate::io::error::IoError;

pub fn read(
    path: &Path,
    _format: Format,
    _options: &ReadOptions,
) -> Result<Vec<DataTable>, IoError> {
    Err(not_yet(path, "Reading KML"))
}

pub fn write(
    path: &Path,
    _format: Format,
    _tables: &[DataTable],
    _options: &WriteOptions,
) -> Result<(), IoError> {
    Err(not_yet(path, "Writing KML"))
}
