//! MBTiles (https://github.com/mapbox/mbtiles-spec): SQLite with a `tiles` table whose rows
//! count from the south (TMS), and a `metadata` table of names and values.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{TileError, TileId, TileSource};

pub struct MbTiles {
    path: PathBuf,
    db: Mutex<Connection>,
    zooms: (u8, u8),
    attribution: String,
    vector: bool,
}

impl MbTiles {
    pub fn open(path: &Path) -> Result<Self, TileError> {
        let shown = path.display().to_string();
        let err = |m: String| TileError::source(shown.clone(), m);
        let db = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| err(format!("not an SQLite file: {e}")))?;
        let has_tiles: bool = db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'tiles'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| err(format!("not an SQLite file: {e}")))?;
        if !has_tiles {
            return Err(err(
                "has no `tiles` table, so it is not an MBTiles file".into()
            ));
        }
        let meta = |name: &str| -> Option<String> {
            db.query_row("SELECT value FROM metadata WHERE name = ?1", [name], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .ok()
            .flatten()
        };
        let vector = meta("format").is_some_and(|f| f.eq_ignore_ascii_case("pbf"));
        let attribution = meta("attribution").unwrap_or_default();
        let zooms: (Option<i64>, Option<i64>) = db
            .query_row(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| err(format!("its `tiles` table cannot be read: {e}")))?;
        let (Some(lo), Some(hi)) = zooms else {
            return Err(err("has no tiles".into()));
        };
        let clamp = |z: i64| z.clamp(0, 30) as u8;
        Ok(Self {
            path: path.to_owned(),
            db: Mutex::new(db),
            zooms: (clamp(lo), clamp(hi)),
            attribution,
            vector,
        })
    }

    /// Whether it holds vector tiles (MVT, `format` pbf).
    pub fn is_vector(&self) -> bool {
        self.vector
    }
}

impl TileSource for MbTiles {
    fn read(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let tms_row = (1i64 << id.z) - 1 - i64::from(id.y);
        let db = self
            .db
            .lock()
            .map_err(|_| TileError::source(self.path.display().to_string(), "reader poisoned"))?;
        db.query_row(
            "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            (i64::from(id.z), i64::from(id.x), tms_row),
            |r| r.get::<_, Vec<u8>>(0),
        )
        .optional()
        .map_err(|e| TileError::source(self.path.display().to_string(), e.to_string()))
    }

    fn zooms(&self) -> (u8, u8) {
        self.zooms
    }

    fn attribution(&self) -> String {
        self.attribution.clone()
    }
}

/// Writes an MBTiles file of PNG tiles, for fixtures and tests.
pub fn write_mbtiles(
    out: &Path,
    tiles: &[(TileId, Vec<u8>)],
    attribution: &str,
) -> rusqlite::Result<()> {
    let db = Connection::open(out)?;
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
    )?;
    db.execute(
        "INSERT INTO metadata VALUES ('format', 'png'), ('attribution', ?1)",
        [attribution],
    )?;
    for (id, bytes) in tiles {
        db.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            (
                i64::from(id.z),
                i64::from(id.x),
                (1i64 << id.z) - 1 - i64::from(id.y),
                bytes,
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_from_the_south_and_missing_tiles_are_none() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("t.mbtiles");
        let id = TileId { z: 3, x: 6, y: 1 };
        write_mbtiles(&f, &[(id, vec![7, 7])], "somebody").unwrap();
        let m = MbTiles::open(&f).unwrap();
        assert_eq!(m.read(id).unwrap(), Some(vec![7, 7]));
        assert_eq!(m.read(TileId { z: 3, x: 6, y: 6 }).unwrap(), None);
        assert_eq!(m.zooms(), (3, 3));
        assert_eq!(m.attribution(), "somebody");
    }

    #[test]
    fn a_database_with_no_tiles_table_is_named_and_refused() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("empty.mbtiles");
        Connection::open(&f)
            .unwrap()
            .execute_batch("CREATE TABLE other (a INTEGER);")
            .unwrap();
        let e = MbTiles::open(&f).err().unwrap().to_string();
        assert!(
            e.contains("empty.mbtiles") && e.contains("no `tiles` table"),
            "{e}"
        );
        let g = dir.path().join("text.mbtiles");
        std::fs::write(&g, "hello, not sqlite at all, just some text").unwrap();
        let e = MbTiles::open(&g).err().unwrap().to_string();
        assert!(e.contains("text.mbtiles"), "{e}");
    }
}
