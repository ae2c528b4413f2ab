//! Opening a file for reading: only a regular file within a size limit is read. A FIFO would
//! make the read wait forever and a device could be endless, so both are refused first, and a
//! directory is called a directory rather than "not valid JSON".

use std::path::Path;

use super::error::IoError;

/// The file's size, if `path` is a regular file of at most `max_bytes` bytes (symbolic links
/// are followed). `what` names the kind of file in the "too large" error.
pub fn regular_file_size(path: &Path, max_bytes: u64, what: &'static str) -> Result<u64, IoError> {
    let meta = std::fs::metadata(path).map_err(|e| IoError::read(path, e))?;
    if meta.is_dir() {
        return Err(IoError::NotAFile {
            path: path.to_owned(),
            what: "is a directory",
        });
    }
    if !meta.is_file() {
        return Err(IoError::NotAFile {
            path: path.to_owned(),
            what: "is not a regular file (a FIFO, socket or device?)",
        });
    }
    if meta.len() > max_bytes {
        return Err(IoError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit: max_bytes,
            what,
        });
    }
    Ok(meta.len())
}
