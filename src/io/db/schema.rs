//! The tables, their version, and the roles that guard them.
//!
//! Everything lives in the `onemap` schema. Feature tables hold every revision of every row
//! (`valid_from` is the revision that wrote it, `valid_to` the one that replaced or removed it,
//! NULL while it is current); the views `placement_points`, `placement_lines`,
//! `placement_polygons`, `plan_sketches` and `notes` show the current rows, one geometry type
//! each, as QGIS wants a layer.
//!
//! The server enforces who may write what, through two group roles: `onemap_editor` may push
//! anything, `onemap_reviewer` may read everything and write only comments.

use postgres::Client;
use postgres::error::SqlState;

use super::{DbError, Target};

/// The schema version this OneMap writes. A database holding a newer one is refused.
/// Version 2 added the plan editions (`editions`, `edition_layers`, `edition_features`) and
/// the embedded data layers' features (`data_features`).
pub const SCHEMA_VERSION: i32 = 2;

const TABLES: &str = r#"
CREATE SCHEMA IF NOT EXISTS onemap;
CREATE TABLE IF NOT EXISTS onemap.schema_version (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS onemap.projects (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    head integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS onemap.revisions (
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    revision integer NOT NULL,
    author text NOT NULL DEFAULT current_user,
    time timestamptz NOT NULL DEFAULT now(),
    message text NOT NULL DEFAULT '',
    base integer,
    PRIMARY KEY (project_id, revision)
);
CREATE TABLE IF NOT EXISTS onemap.placements (
    fid bigserial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    placement_id text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    action text NOT NULL,
    section text,
    lead_city text,
    participants text[] NOT NULL DEFAULT '{}',
    status text NOT NULL,
    horizon integer NOT NULL,
    description text NOT NULL DEFAULT '',
    source text NOT NULL DEFAULT '',
    indicative boolean NOT NULL DEFAULT false,
    hash bigint NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE TABLE IF NOT EXISTS onemap.plan_overrides (
    fid bigserial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    feature_id text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    layer text NOT NULL,
    change text NOT NULL CHECK (change IN ('added', 'modified', 'removed')),
    name_zh text,
    name_en text,
    kind text,
    hash bigint NOT NULL,
    geom geometry(Geometry, 4326)
);
CREATE TABLE IF NOT EXISTS onemap.comments (
    fid bigserial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    comment_key text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    placement_id text,
    position integer NOT NULL,
    author text NOT NULL,
    time text NOT NULL,
    text text NOT NULL,
    hash bigint NOT NULL,
    geom geometry(Point, 4326)
);
CREATE TABLE IF NOT EXISTS onemap.items (
    fid bigserial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    item_key text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    hash bigint NOT NULL,
    data jsonb NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS placements_current ON onemap.placements (project_id, placement_id) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS placements_history ON onemap.placements (project_id, valid_from);
CREATE INDEX IF NOT EXISTS placements_geom ON onemap.placements USING gist (geom);
CREATE UNIQUE INDEX IF NOT EXISTS plan_overrides_current ON onemap.plan_overrides (project_id, feature_id) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS plan_overrides_geom ON onemap.plan_overrides USING gist (geom);
CREATE UNIQUE INDEX IF NOT EXISTS comments_current ON onemap.comments (project_id, comment_key) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS comments_geom ON onemap.comments USING gist (geom);
CREATE UNIQUE INDEX IF NOT EXISTS items_current ON onemap.items (project_id, item_key) WHERE valid_to IS NULL;
CREATE TABLE IF NOT EXISTS onemap.editions (
    id serial PRIMARY KEY,
    name text NOT NULL,
    version integer NOT NULL,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    author text NOT NULL DEFAULT current_user,
    time timestamptz NOT NULL DEFAULT now(),
    message text NOT NULL DEFAULT '',
    edition jsonb NOT NULL,
    sources text NOT NULL DEFAULT '',
    hash bigint NOT NULL,
    UNIQUE (name, version)
);
CREATE TABLE IF NOT EXISTS onemap.edition_layers (
    edition_id integer NOT NULL REFERENCES onemap.editions (id),
    layer text NOT NULL,
    note text,
    same_ids_as text,
    PRIMARY KEY (edition_id, layer)
);
CREATE TABLE IF NOT EXISTS onemap.edition_features (
    fid bigserial PRIMARY KEY,
    edition_id integer NOT NULL REFERENCES onemap.editions (id),
    layer text NOT NULL,
    position integer NOT NULL,
    feature_id text NOT NULL,
    name_zh text,
    name_en text,
    kind text,
    status text,
    source text,
    properties jsonb NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL,
    UNIQUE (edition_id, layer, position)
);
CREATE INDEX IF NOT EXISTS edition_features_geom ON onemap.edition_features USING gist (geom);
CREATE TABLE IF NOT EXISTS onemap.data_features (
    fid bigserial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES onemap.projects (id),
    item_key text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    layer_name text NOT NULL,
    position integer NOT NULL,
    label text,
    properties jsonb NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX IF NOT EXISTS data_features_current ON onemap.data_features (project_id, item_key) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS data_features_geom ON onemap.data_features USING gist (geom);
"#;

/// The current rows as layers, one geometry type each (QGIS asks for the type of a generic
/// geometry column; a typed view it opens at once).
fn views() -> String {
    let placement_view = |name: &str, kind: &str, pg_type: &str| {
        format!(
            "CREATE OR REPLACE VIEW onemap.{name} AS SELECT p.fid, pr.name AS project, \
             p.placement_id, p.name_zh, p.name_en, p.action, p.section, p.lead_city, \
             array_to_string(p.participants, ',') AS participants, p.status, p.horizon, \
             p.description, p.source, p.indicative, p.valid_from AS revision, \
             p.geom::geometry({pg_type}, 4326) AS geom \
             FROM onemap.placements p JOIN onemap.projects pr ON pr.id = p.project_id \
             WHERE p.valid_to IS NULL AND GeometryType(p.geom) = '{kind}';\n"
        )
    };
    let mut sql = placement_view("placement_points", "POINT", "Point");
    sql += &placement_view("placement_lines", "LINESTRING", "LineString");
    sql += &placement_view("placement_polygons", "POLYGON", "Polygon");
    sql += "CREATE OR REPLACE VIEW onemap.plan_sketches AS SELECT o.fid, pr.name AS project, \
            o.feature_id, o.layer, o.change, o.name_zh, o.name_en, o.kind, \
            o.valid_from AS revision, o.geom \
            FROM onemap.plan_overrides o JOIN onemap.projects pr ON pr.id = o.project_id \
            WHERE o.valid_to IS NULL AND o.geom IS NOT NULL;\n";
    sql += &edition_views();
    sql += &data_views();
    sql += "CREATE OR REPLACE VIEW onemap.notes AS SELECT c.fid, pr.name AS project, \
            c.author, c.time, c.text, c.valid_from AS revision, c.geom \
            FROM onemap.comments c JOIN onemap.projects pr ON pr.id = c.project_id \
            WHERE c.valid_to IS NULL AND c.geom IS NOT NULL;\n";
    sql
}

/// The newest version of each stored plan edition, one geometry type a view (multi-part, so
/// that a layer of points and multi-points is one QGIS layer).
fn edition_views() -> String {
    let view = |name: &str, kinds: &str, pg_type: &str| {
        format!(
            "CREATE OR REPLACE VIEW onemap.{name} AS SELECT f.fid, e.name AS edition, \
             e.version, f.layer, f.feature_id, f.name_zh, f.name_en, f.kind, f.status, f.source, \
             f.properties::text AS properties, \
             ST_Multi(f.geom)::geometry({pg_type}, 4326) AS geom \
             FROM onemap.edition_features f JOIN onemap.editions e ON e.id = f.edition_id \
             WHERE e.version = (SELECT max(version) FROM onemap.editions n WHERE n.name = e.name) \
             AND GeometryType(f.geom) IN ({kinds});\n"
        )
    };
    let mut sql = view("edition_points", "'POINT', 'MULTIPOINT'", "MultiPoint");
    sql += &view(
        "edition_lines",
        "'LINESTRING', 'MULTILINESTRING'",
        "MultiLineString",
    );
    sql += &view(
        "edition_polygons",
        "'POLYGON', 'MULTIPOLYGON'",
        "MultiPolygon",
    );
    sql
}

/// The current features of the projects' embedded data layers, one geometry type a view.
fn data_views() -> String {
    let view = |name: &str, kinds: &str, pg_type: &str| {
        format!(
            "CREATE OR REPLACE VIEW onemap.{name} AS SELECT d.fid, pr.name AS project, \
             substr(d.item_key, length('sketch_layers/') + 1) AS layer, d.layer_name, \
             d.position, d.label, d.properties::text AS properties, d.valid_from AS revision, \
             ST_Multi(d.geom)::geometry({pg_type}, 4326) AS geom \
             FROM onemap.data_features d JOIN onemap.projects pr ON pr.id = d.project_id \
             WHERE d.valid_to IS NULL AND GeometryType(d.geom) IN ({kinds});\n"
        )
    };
    let mut sql = view("data_points", "'POINT', 'MULTIPOINT'", "MultiPoint");
    sql += &view(
        "data_lines",
        "'LINESTRING', 'MULTILINESTRING'",
        "MultiLineString",
    );
    sql += &view("data_polygons", "'POLYGON', 'MULTIPOLYGON'", "MultiPolygon");
    sql
}

const ROLES: &str = r#"
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onemap_editor') THEN
        CREATE ROLE onemap_editor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onemap_reviewer') THEN
        CREATE ROLE onemap_reviewer NOLOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA onemap TO onemap_editor, onemap_reviewer;
GRANT SELECT ON ALL TABLES IN SCHEMA onemap TO onemap_editor, onemap_reviewer;
GRANT INSERT, UPDATE ON onemap.placements, onemap.plan_overrides, onemap.items, onemap.comments,
    onemap.revisions, onemap.projects TO onemap_editor;
GRANT INSERT ON onemap.editions, onemap.edition_layers, onemap.edition_features TO onemap_editor;
GRANT INSERT, UPDATE ON onemap.data_features TO onemap_editor;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA onemap TO onemap_editor;
GRANT INSERT, UPDATE ON onemap.comments TO onemap_reviewer;
GRANT INSERT ON onemap.revisions TO onemap_reviewer;
GRANT UPDATE (head) ON onemap.projects TO onemap_reviewer;
GRANT USAGE ON SEQUENCE onemap.comments_fid_seq TO onemap_reviewer;
"#;

/// Creates the schema, or brings an existing one of this version up to date; safe to run
/// again. Needs PostGIS in the database, or the right to create it.
pub fn init(client: &mut Client, target: &Target) -> Result<(), DbError> {
    ensure_postgis(client, target)?;
    if let Some(found) = schema_version(client, target)?
        && found > SCHEMA_VERSION
    {
        return Err(newer(target, found));
    }
    let mut tx = client
        .transaction()
        .map_err(|e| DbError::server("could not start the schema transaction", &e))?;
    // Two inits at once would both create the tables: one waits for the other here.
    tx.batch_execute("SELECT pg_advisory_xact_lock(7277916843)")
        .map_err(|e| DbError::server("could not lock the schema", &e))?;
    tx.batch_execute(TABLES)
        .and_then(|()| tx.batch_execute(&views()))
        .map_err(|e| DbError::server("could not create the OneMap tables", &e))?;
    tx.batch_execute(ROLES).map_err(|e| {
        DbError::server(
            "could not create the onemap_editor and onemap_reviewer roles",
            &e,
        )
    })?;
    let version = tx
        .query_opt("SELECT version FROM onemap.schema_version", &[])
        .map_err(|e| DbError::server("could not read the schema version", &e))?;
    let written = if version.is_none() {
        "INSERT INTO onemap.schema_version (version) VALUES ($1)"
    } else {
        // An older schema is brought up to this version: the tables above are only added.
        "UPDATE onemap.schema_version SET version = $1 WHERE version < $1"
    };
    tx.execute(written, &[&SCHEMA_VERSION])
        .map_err(|e| DbError::server("could not write the schema version", &e))?;
    tx.commit()
        .map_err(|e| DbError::server("could not commit the schema", &e))
}

/// Checks that the database holds OneMap tables this version can use.
pub fn check(client: &mut Client, target: &Target) -> Result<(), DbError> {
    usable_version(client, target).map(|_| ())
}

/// The schema version, when this OneMap can use it.
fn usable_version(client: &mut Client, target: &Target) -> Result<i32, DbError> {
    match schema_version(client, target)? {
        Some(found) if found > SCHEMA_VERSION => Err(newer(target, found)),
        Some(found) => Ok(found),
        None => {
            if has_postgis(client, target)? {
                Err(DbError::NotInitialized {
                    target: target.clone(),
                })
            } else {
                Err(DbError::NoPostgis {
                    target: target.clone(),
                    reason: "the postgis extension is not installed".into(),
                })
            }
        }
    }
}

/// As [`check`], and that the schema has the plan editions' tables.
pub fn check_editions(client: &mut Client, target: &Target) -> Result<(), DbError> {
    check_at_least(client, target, "plan editions")
}

/// As [`check`], and that the schema is this version's, for `what` (older tables may be read,
/// but saving writes tables they lack).
pub fn check_at_least(
    client: &mut Client,
    target: &Target,
    what: &'static str,
) -> Result<(), DbError> {
    match usable_version(client, target)? {
        found if found < SCHEMA_VERSION => Err(DbError::OlderSchema {
            target: target.clone(),
            found,
            needed: SCHEMA_VERSION,
            what,
        }),
        _ => Ok(()),
    }
}

fn newer(target: &Target, found: i32) -> DbError {
    DbError::NewerSchema {
        target: target.clone(),
        found,
        supported: SCHEMA_VERSION,
    }
}

/// The version in `onemap.schema_version`, or `None` when there are no OneMap tables.
fn schema_version(client: &mut Client, target: &Target) -> Result<Option<i32>, DbError> {
    match client.query_opt("SELECT max(version) FROM onemap.schema_version", &[]) {
        Ok(row) => Ok(row.and_then(|r| r.get::<_, Option<i32>>(0))),
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => Ok(None),
        Err(e) => Err(DbError::server(
            format!("could not read the schema version of {target}"),
            &e,
        )),
    }
}

fn has_postgis(client: &mut Client, target: &Target) -> Result<bool, DbError> {
    client
        .query_opt("SELECT 1 FROM pg_extension WHERE extname = 'postgis'", &[])
        .map(|r| r.is_some())
        .map_err(|e| DbError::server(format!("could not ask {target} for PostGIS"), &e))
}

fn ensure_postgis(client: &mut Client, target: &Target) -> Result<(), DbError> {
    if has_postgis(client, target)? {
        return Ok(());
    }
    client
        .batch_execute("CREATE EXTENSION IF NOT EXISTS postgis")
        .map_err(|e| DbError::NoPostgis {
            target: target.clone(),
            reason: super::server_words(&e),
        })
}
