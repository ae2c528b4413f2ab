//! The SQL of a new GeoPackage: the required tables (GeoPackage 1.3, §1.1.2, §1.1.3, §2.1.5,
//! §2.3), the three SRS rows every GeoPackage has, and the R-tree spatial index extension
//! (Annex F.3) with the triggers that keep it up to date when QGIS or GDAL edit the file later.

use super::quote_ident;

/// `PRAGMA application_id`: 'GPKG' in ASCII.
pub(super) const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` of GeoPackage 1.3.0 (what the tables below follow).
pub(super) const USER_VERSION: i32 = 10300;

pub(super) const CREATE_CORE: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
";

/// EPSG:4326 as GDAL and the GeoPackage specification's example write it.
pub(super) const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// The name of a table's R-tree: `rtree_<table>_<column>` (Annex F.3).
pub(super) fn rtree_name(table: &str, column: &str) -> String {
    format!("rtree_{table}_{column}")
}

pub(super) fn create_rtree(table: &str, column: &str) -> String {
    format!(
        "CREATE VIRTUAL TABLE {} USING rtree(id, minx, maxx, miny, maxy)",
        quote_ident(&rtree_name(table, column))
    )
}

/// The six triggers of Annex F.3 (GeoPackage 1.3). They call the `ST_*` functions that QGIS
/// and GDAL provide; they are created after the rows are in, since OneMap fills the index
/// itself and has no such functions.
pub(super) fn rtree_triggers(table: &str, column: &str, fid: &str) -> String {
    let rtree = rtree_name(table, column);
    let trigger = |suffix: &str| quote_ident(&format!("{rtree}_{suffix}"));
    let (t, c, i, r) = (
        quote_ident(table),
        quote_ident(column),
        quote_ident(fid),
        quote_ident(&rtree),
    );
    let insert_new = format!(
        "INSERT OR REPLACE INTO {r} VALUES (NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));"
    );
    let has_new = format!("(NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))");
    let no_new = format!("(NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))");
    [
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {t} WHEN {has_new} BEGIN {insert_new} END;",
            trigger("insert")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {c} ON {t} WHEN OLD.{i} = NEW.{i} AND {has_new} BEGIN {insert_new} END;",
            trigger("update1")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {c} ON {t} WHEN OLD.{i} = NEW.{i} AND {no_new} BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END;",
            trigger("update2")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND {has_new} BEGIN DELETE FROM {r} WHERE id = OLD.{i}; {insert_new} END;",
            trigger("update3")
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.{i} != NEW.{i} AND {no_new} BEGIN DELETE FROM {r} WHERE id IN (OLD.{i}, NEW.{i}); END;",
            trigger("update4")
        ),
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {t} WHEN OLD.{c} NOT NULL BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END;",
            trigger("delete")
        ),
    ]
    .join("\n")
}
