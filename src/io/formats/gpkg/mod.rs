//! GeoPackage (OGC 12-128r18, GeoPackage 1.4): an SQLite database with a table per layer.
//! SQLite is compiled into OneMap (`rusqlite` with its `bundled` feature), so nothing is needed
//! on the planners' PCs. Every vector table is read (`gpkg_contents` rows of data type
//! `features` and their `gpkg_geometry_columns` row), with the CRS of its `srs_id`.
//!
//! Reading opens the file read-only: the input is never modified (not even a journal).

mod blob;
mod read;
mod schema;
mod write;

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{DataTable, ReadOptions};
use crate::io::error::IoError;

pub use write::write;

/// The 16 bytes every SQLite 3 database begins with.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub fn read(path: &Path, options: &ReadOptions) -> Result<Vec<DataTable>, IoError> {
    check_is_sqlite(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(path, e))?;
    // Belt and braces: no statement of ours may write.
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| sql_error(path, e))?;
    read::read_tables(&conn, path, options)
}

/// Refuses a file that is not an SQLite database before SQLite sees it, in words a planner
/// understands.
fn check_is_sqlite(path: &Path) -> Result<(), IoError> {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| IoError::read(path, e))?;
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(IoError::read(path, e)),
        }
    }
    if filled < head.len() || &head != SQLITE_MAGIC {
        return Err(IoError::invalid(
            path,
            "is not a GeoPackage: it is not an SQLite database (a GeoPackage is one)",
        ));
    }
    Ok(())
}

/// An SQLite error, said with the file's name.
fn sql_error(path: &Path, e: rusqlite::Error) -> IoError {
    IoError::invalid(path, format!("could not be read as a GeoPackage: {e}"))
}

/// An SQL identifier in double quotes, inner quotes doubled: any table or column name is safe.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("站点"), "\"站点\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
