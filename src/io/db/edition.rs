//! Plan editions in the team store: an edition (`edition.ron`, its layers and `SOURCES.md`)
//! pushed as a numbered version, listed, and read back whole. `layers/` stays the offline
//! default; a project opened from the store draws on the store's edition of the name it records.
//!
//! Versions are never changed once written: pushing an edition again makes its next version
//! (or nothing, when it is the same). The features are PostGIS rows with their Chinese and
//! English names as columns and every property as JSON; the views `edition_points`,
//! `edition_lines` and `edition_polygons` show each edition's newest version to QGIS.

use std::collections::BTreeMap;

use geo_traits::to_geo::ToGeoGeometry;
use postgres::{Client, Transaction};
use serde_json::Value;

use super::rows::content_hash;
use super::schema::check_editions;
use super::{DbError, Target};
use crate::model::edition::Edition;
use crate::model::{FeatureId, Plan, PlanFeature, PlanLayer, Region};

/// A plan edition as a `layers/` folder holds it.
#[derive(Clone, Debug)]
pub struct EditionData {
    pub edition: Edition,
    pub plan: Plan,
    /// `SOURCES.md`: where every feature's `source` key leads.
    pub sources: String,
}

/// One stored version of an edition, as `onemap db edition list` shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EditionVersion {
    /// The edition's id (`sma-2022`): the name projects record.
    pub name: String,
    pub version: i32,
    pub name_zh: String,
    pub name_en: String,
    /// The database role that pushed it.
    pub author: String,
    /// RFC 3339, UTC.
    pub time: String,
    pub message: String,
    pub layers: i64,
    pub features: i64,
}

/// What an edition push did.
#[derive(Debug, PartialEq, Eq)]
pub enum EditionPushed {
    Saved {
        version: i32,
        features: usize,
    },
    /// The newest version already holds exactly this edition: nothing was written.
    Unchanged {
        version: i32,
    },
}

/// A stable hash of everything an edition holds, to tell a repeated push from a new version.
fn edition_hash(data: &EditionData, rows: &FeatureRows) -> Result<i64, String> {
    let mut text = serde_json::to_string(&data.edition).map_err(|e| e.to_string())?;
    text.push('\u{0}');
    text.push_str(&data.sources);
    for layer in data.plan.layers.values() {
        let meta = (&layer.id, &layer.note, &layer.same_ids_as);
        text.push_str(&serde_json::to_string(&meta).map_err(|e| e.to_string())?);
    }
    for i in 0..rows.layer.len() {
        let row = (&rows.layer[i], &rows.feature_id[i], &rows.properties[i]);
        text.push_str(&serde_json::to_string(&row).map_err(|e| e.to_string())?);
        text.extend(rows.wkb[i].iter().map(|b| format!("{b:02x}")));
    }
    Ok(content_hash(&text))
}

/// The features of a plan as columns, for one multi-row insert (`unnest`): one statement, not
/// one per feature.
#[derive(Default)]
struct FeatureRows {
    layer: Vec<String>,
    position: Vec<i32>,
    feature_id: Vec<String>,
    name_zh: Vec<Option<String>>,
    name_en: Vec<Option<String>>,
    kind: Vec<Option<String>>,
    status: Vec<Option<String>>,
    source: Vec<Option<String>>,
    properties: Vec<String>,
    wkb: Vec<Vec<u8>>,
}

impl FeatureRows {
    fn of(plan: &Plan) -> Result<Self, DbError> {
        let mut rows = Self::default();
        for layer in plan.layers.values() {
            for (position, feature) in layer.features.iter().enumerate() {
                let bad = |message: String| DbError::BadRow {
                    project: String::new(),
                    table: "edition_features",
                    key: format!("{}/{}", layer.id, feature.id.0),
                    message,
                };
                let text = |key: &str| feature.properties.get(key).and_then(|v| v.as_str());
                rows.layer.push(layer.id.clone());
                rows.position
                    .push(i32::try_from(position).map_err(|_| bad("too many features".into()))?);
                rows.feature_id.push(feature.id.0.clone());
                rows.name_zh.push(text("name_zh").map(str::to_owned));
                rows.name_en.push(text("name_en").map(str::to_owned));
                rows.kind.push(text("kind").map(str::to_owned));
                rows.status.push(text("status").map(str::to_owned));
                rows.source.push(text("source").map(str::to_owned));
                rows.properties.push(
                    serde_json::to_string(&feature.properties).map_err(|e| bad(e.to_string()))?,
                );
                let mut wkb = Vec::new();
                let options = wkb::writer::WriteOptions {
                    endianness: wkb::Endianness::LittleEndian,
                };
                wkb::writer::write_geometry(&mut wkb, &feature.geometry, &options)
                    .map_err(|e| bad(e.to_string()))?;
                rows.wkb.push(wkb);
            }
        }
        Ok(rows)
    }
}

fn server(what: &str, name: &str) -> impl Fn(postgres::Error) -> DbError {
    let what = format!("could not {what} plan edition {name:?}");
    move |e| DbError::server(what.clone(), &e)
}

/// Saves `data` as the next version of its edition (named by its id): one transaction, all
/// of it or nothing. An editor may; the server refuses a reviewer.
pub fn push_edition(
    client: &mut Client,
    target: &Target,
    data: &EditionData,
    message: &str,
) -> Result<EditionPushed, DbError> {
    check_editions(client, target)?;
    let name = data.edition.id.as_str();
    let rows = FeatureRows::of(&data.plan)?;
    let hash = edition_hash(data, &rows).map_err(|message| DbError::BadRow {
        project: String::new(),
        table: "editions",
        key: name.into(),
        message,
    })?;
    let edition_json = serde_json::to_string(&data.edition).map_err(|e| DbError::BadRow {
        project: String::new(),
        table: "editions",
        key: name.into(),
        message: e.to_string(),
    })?;
    let mut tx = client.transaction().map_err(server("start saving", name))?;
    // Two pushes of one edition take their versions one after the other.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('onemap.edition:' || $1, 0))",
        &[&name],
    )
    .map_err(server("lock", name))?;
    let newest = tx
        .query_opt(
            "SELECT version, hash FROM onemap.editions WHERE name = $1 \
             ORDER BY version DESC LIMIT 1",
            &[&name],
        )
        .map_err(server("read", name))?
        .map(|r| (r.get::<_, i32>(0), r.get::<_, i64>(1)));
    if let Some((version, old)) = newest
        && old == hash
    {
        return Ok(EditionPushed::Unchanged { version });
    }
    let version = newest.map_or(1, |(v, _)| v + 1);
    let id: i32 = tx
        .query_one(
            "INSERT INTO onemap.editions (name, version, name_zh, name_en, message, edition, \
             sources, hash) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8) RETURNING id",
            &[
                &name,
                &version,
                &data.edition.name_zh,
                &data.edition.name_en,
                &message,
                &edition_json,
                &data.sources,
                &hash,
            ],
        )
        .map_err(server("save", name))?
        .get(0);
    write_layers(&mut tx, id, &data.plan, name)?;
    write_features(&mut tx, id, &rows, name)?;
    tx.commit().map_err(server("commit", name))?;
    Ok(EditionPushed::Saved {
        version,
        features: rows.layer.len(),
    })
}

fn write_layers(tx: &mut Transaction<'_>, id: i32, plan: &Plan, name: &str) -> Result<(), DbError> {
    let layers: Vec<&PlanLayer> = plan.layers.values().collect();
    let ids: Vec<&str> = layers.iter().map(|l| l.id.as_str()).collect();
    let notes: Vec<Option<&str>> = layers.iter().map(|l| l.note.as_deref()).collect();
    let same: Vec<Option<&str>> = layers.iter().map(|l| l.same_ids_as.as_deref()).collect();
    tx.execute(
        "INSERT INTO onemap.edition_layers (edition_id, layer, note, same_ids_as) \
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])",
        &[&id, &ids, &notes, &same],
    )
    .map(|_| ())
    .map_err(server("save the layers of", name))
}

fn write_features(
    tx: &mut Transaction<'_>,
    id: i32,
    rows: &FeatureRows,
    name: &str,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO onemap.edition_features (edition_id, layer, position, feature_id, name_zh, \
         name_en, kind, status, source, properties, geom) \
         SELECT $1, l, p, f, nz, ne, k, s, src, props::jsonb, ST_GeomFromWKB(g, 4326) \
         FROM unnest($2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], \
         $8::text[], $9::text[], $10::text[], $11::bytea[]) \
         AS t(l, p, f, nz, ne, k, s, src, props, g)",
        &[
            &id,
            &rows.layer,
            &rows.position,
            &rows.feature_id,
            &rows.name_zh,
            &rows.name_en,
            &rows.kind,
            &rows.status,
            &rows.source,
            &rows.properties,
            &rows.wkb,
        ],
    )
    .map(|_| ())
    .map_err(server("save the features of", name))
}

/// Every stored version of every edition, by name and version.
pub fn editions(client: &mut Client, target: &Target) -> Result<Vec<EditionVersion>, DbError> {
    check_editions(client, target)?;
    let rows = client
        .query(
            "SELECT e.name, e.version, e.name_zh, e.name_en, e.author, \
             to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), e.message, \
             (SELECT count(*) FROM onemap.edition_layers l WHERE l.edition_id = e.id), \
             (SELECT count(*) FROM onemap.edition_features f WHERE f.edition_id = e.id) \
             FROM onemap.editions e ORDER BY e.name, e.version",
            &[],
        )
        .map_err(|e| {
            DbError::server(format!("could not list the plan editions of {target}"), &e)
        })?;
    Ok(rows
        .iter()
        .map(|r| EditionVersion {
            name: r.get(0),
            version: r.get(1),
            name_zh: r.get(2),
            name_en: r.get(3),
            author: r.get(4),
            time: r.get(5),
            message: r.get(6),
            layers: r.get(7),
            features: r.get(8),
        })
        .collect())
}

/// Edition `name` at `version` (its newest without one), with the version read.
pub fn load_edition(
    client: &mut Client,
    target: &Target,
    name: &str,
    version: Option<i32>,
) -> Result<(EditionData, i32), DbError> {
    check_editions(client, target)?;
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()
        .map_err(server("start reading", name))?;
    let newest: Option<i32> = tx
        .query_one(
            "SELECT max(version) FROM onemap.editions WHERE name = $1",
            &[&name],
        )
        .map_err(server("find", name))?
        .get(0);
    let Some(newest) = newest else {
        let known = tx
            .query(
                "SELECT DISTINCT name FROM onemap.editions ORDER BY name",
                &[],
            )
            .map_err(server("find", name))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        return Err(DbError::NoEdition {
            target: target.clone(),
            name: name.into(),
            known,
        });
    };
    let version = version.unwrap_or(newest);
    let row = tx
        .query_opt(
            "SELECT id, edition::text, sources FROM onemap.editions \
             WHERE name = $1 AND version = $2",
            &[&name, &version],
        )
        .map_err(server("read", name))?
        .ok_or_else(|| DbError::NoEditionVersion {
            name: name.into(),
            version,
            newest,
        })?;
    let bad = |key: &str, message: String| DbError::BadRow {
        project: String::new(),
        table: "editions",
        key: format!("{name} version {version}{key}"),
        message,
    };
    let id: i32 = row.get(0);
    let edition_text: String = row.get(1);
    let edition: Edition = serde_json::from_str(&edition_text)
        .map_err(|e| bad("", format!("its edition is not one OneMap reads: {e}")))?;
    let plan = read_plan(&mut tx, id, name, &bad)?;
    Ok((
        EditionData {
            edition,
            plan,
            sources: row.get(2),
        },
        version,
    ))
}

fn read_plan(
    tx: &mut Transaction<'_>,
    id: i32,
    name: &str,
    bad: &dyn Fn(&str, String) -> DbError,
) -> Result<Plan, DbError> {
    let mut plan = Plan::new(Region::SHANGHAI_METROPOLITAN_AREA);
    for row in tx
        .query(
            "SELECT layer, note, same_ids_as FROM onemap.edition_layers WHERE edition_id = $1",
            &[&id],
        )
        .map_err(server("read the layers of", name))?
    {
        let layer: String = row.get(0);
        plan.layers.insert(
            layer.clone(),
            PlanLayer {
                id: layer,
                note: row.get(1),
                same_ids_as: row.get(2),
                features: Vec::new(),
            },
        );
    }
    for row in tx
        .query(
            "SELECT layer, feature_id, properties::text, ST_AsBinary(geom) \
             FROM onemap.edition_features WHERE edition_id = $1 ORDER BY layer, position",
            &[&id],
        )
        .map_err(server("read the features of", name))?
    {
        let layer: String = row.get(0);
        let feature_id: String = row.get(1);
        let key = format!(", feature {layer}/{feature_id}");
        let text: String = row.get(2);
        let properties: BTreeMap<String, Value> = serde_json::from_str(&text)
            .map_err(|e| bad(&key, format!("its properties are not a JSON object: {e}")))?;
        let wkb: Vec<u8> = row.get(3);
        let geometry = wkb::reader::read_wkb(&wkb)
            .map_err(|e| bad(&key, format!("broken geometry: {e}")))?
            .try_to_geometry()
            .ok_or_else(|| bad(&key, "an empty geometry".into()))?;
        let Some(target_layer) = plan.layers.get_mut(&layer) else {
            return Err(bad(
                &key,
                "its layer is not among the edition's layers".into(),
            ));
        };
        target_layer.features.push(PlanFeature {
            id: FeatureId(feature_id),
            layer,
            geometry,
            properties,
        });
    }
    Ok(plan)
}

/// The newest version of edition `name`, or `None` when the store has none of that name (or
/// predates plan editions): a project opened from the store then draws on `layers/`.
pub fn find_edition(
    client: &mut Client,
    target: &Target,
    name: &str,
) -> Result<Option<(EditionData, i32)>, DbError> {
    match load_edition(client, target, name, None) {
        Ok(found) => Ok(Some(found)),
        Err(DbError::NoEdition { .. } | DbError::OlderSchema { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
