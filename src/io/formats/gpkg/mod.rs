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
    let wal = check_is_sqlite(path)?;
    let conn = open_read_only(path, wal).map_err(|e| sql_error(path, e))?;
    // Belt and braces: no statement of ours may write.
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| sql_error(path, e))?;
    read::read_tables(&conn, path, options)
}

/// Opens the database read-only. A database in WAL mode would get `-wal` and `-shm` files
/// beside it from a plain read-only connection, which stay there: when it has no `-wal` file
/// (nothing written since its last checkpoint), it is opened as immutable, which makes SQLite
/// create nothing and take no lock. With a `-wal` file (another program has it open), the
/// WAL's content must be read, so it is opened as usual.
fn open_read_only(path: &Path, wal: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut wal_file = path.as_os_str().to_owned();
    wal_file.push("-wal");
    if wal
        && !Path::new(&wal_file).exists()
        && let Some(uri) = immutable_uri(path)
    {
        return Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI);
    }
    Connection::open_with_flags(path, flags)
}

/// `file:PATH?immutable=1`, the path percent-encoded (SQLite URI filenames); `None` for a path
/// that is not Unicode.
fn immutable_uri(path: &Path) -> Option<String> {
    use std::fmt::Write as _;
    let text = path.to_str()?;
    let text = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.to_owned()
    };
    let mut uri = String::from("file:");
    // A Windows drive path (C:/…) is written file:///C:/… .
    if text.as_bytes().get(1) == Some(&b':') {
        uri.push_str("///");
    }
    for (i, b) in text.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (b == b':' && i == 1);
        if keep {
            uri.push(char::from(b));
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri.push_str("?immutable=1");
    Some(uri)
}

/// Refuses a file that is not an SQLite database before SQLite sees it, in words a planner
/// understands. Says whether the database is in WAL mode (header bytes 18 and 19).
fn check_is_sqlite(path: &Path) -> Result<bool, IoError> {
    use std::io::Read as _;
    let mut head = [0u8; 20];
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
    if filled < head.len() || &head[..16] != SQLITE_MAGIC {
        return Err(IoError::invalid(
            path,
            "is not a GeoPackage: it is not an SQLite database (a GeoPackage is one)",
        ));
    }
    Ok(head[18] == 2 || head[19] == 2)
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
    fn immutable_uris_are_percent_encoded() {
        assert_eq!(
            immutable_uri(Path::new("/tmp/规划 #1?.gpkg")).unwrap(),
            "file:/tmp/%E8%A7%84%E5%88%92%20%231%3F.gpkg?immutable=1"
        );
        assert_eq!(
            immutable_uri(Path::new("C:/data/a.gpkg")).unwrap(),
            "file:///C:/data/a.gpkg?immutable=1"
        );
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("站点"), "\"站点\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
