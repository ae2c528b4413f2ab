//! Writing a revision: only the rows whose content changed since the head. A changed row is
//! closed (`valid_to` = the new revision) and written anew; so every revision stays readable.

use std::collections::{BTreeMap, BTreeSet};

use postgres::Transaction;

use super::DbError;
use super::data_rows::replace_data_features;
use super::rows::{
    CommentRow, Parts, bare_placement, content_hash, hash_of, placement_hash, to_wkb,
};
use crate::model::overrides::PlanOverride;
use crate::model::project::{Placement, Project};

/// The current rows' hashes of one table, by key.
fn head_hashes(
    tx: &mut Transaction<'_>,
    table: &str,
    key: &str,
    project_id: i32,
) -> Result<BTreeMap<String, i64>, DbError> {
    let sql = format!(
        "SELECT {key}, hash FROM onemap.{table} WHERE project_id = $1 AND valid_to IS NULL"
    );
    let rows = tx
        .query(&sql, &[&project_id])
        .map_err(|e| DbError::server(format!("could not read the current {table}"), &e))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The keys whose rows must be closed (changed or removed) and the rows to write (changed
/// or added), for one table.
fn changed<'a, K, T>(
    current: &BTreeMap<String, i64>,
    wanted: &'a BTreeMap<K, T>,
    hash: impl Fn(&T) -> i64,
) -> (Vec<String>, Vec<(&'a K, &'a T, i64)>)
where
    K: Ord + AsRef<str>,
{
    let mut close = Vec::new();
    let mut write = Vec::new();
    for (key, value) in wanted {
        let h = hash(value);
        match current.get(key.as_ref()) {
            Some(old) if *old == h => {}
            Some(_) => {
                close.push(key.as_ref().to_owned());
                write.push((key, value, h));
            }
            None => write.push((key, value, h)),
        }
    }
    let wanted_keys: BTreeSet<&str> = wanted.keys().map(AsRef::as_ref).collect();
    close.extend(
        current
            .keys()
            .filter(|k| !wanted_keys.contains(k.as_str()))
            .cloned(),
    );
    (close, write)
}

fn close_rows(
    tx: &mut Transaction<'_>,
    table: &str,
    key: &str,
    project_id: i32,
    revision: i32,
    keys: &[String],
) -> Result<(), DbError> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE onemap.{table} SET valid_to = $2 \
         WHERE project_id = $1 AND {key} = ANY($3) AND valid_to IS NULL"
    );
    tx.execute(&sql, &[&project_id, &revision, &keys])
        .map(|_| ())
        .map_err(|e| DbError::server(format!("could not replace rows of {table}"), &e))
}

/// Writes the rows that differ from the head; returns how many rows were closed or written.
/// `parts` are the project's rows but its placements' own, which come from `project`.
pub(super) fn write_changes(
    tx: &mut Transaction<'_>,
    project_id: i32,
    revision: i32,
    project: &Project,
    parts: &Parts,
) -> Result<usize, DbError> {
    let mut count = 0;
    let current = head_hashes(tx, "placements", "placement_id", project_id)?;
    let by_key: BTreeMap<&str, &Placement> = project
        .placements
        .iter()
        .map(|(id, p)| (id.0.as_str(), p))
        .collect();
    let (close, write) = changed(&current, &by_key, |p| placement_hash(p));
    count += close.len() + write.len();
    close_rows(
        tx,
        "placements",
        "placement_id",
        project_id,
        revision,
        &close,
    )?;
    let rows: Vec<(&str, Placement, i64)> = write
        .into_iter()
        .map(|(key, p, hash)| (*key, bare_placement(p), hash))
        .collect();
    write_placements(tx, project_id, revision, &rows)?;

    let current = head_hashes(tx, "plan_overrides", "feature_id", project_id)?;
    let (close, write) = changed(&current, &parts.overrides, hash_of);
    count += close.len() + write.len();
    close_rows(
        tx,
        "plan_overrides",
        "feature_id",
        project_id,
        revision,
        &close,
    )?;
    write_overrides(tx, project_id, revision, &write)?;

    let current = head_hashes(tx, "comments", "comment_key", project_id)?;
    let (close, write) = changed(&current, &parts.comments, comment_hash);
    count += close.len() + write.len();
    close_rows(tx, "comments", "comment_key", project_id, revision, &close)?;
    write_comments(tx, project_id, revision, &write)?;

    let current = head_hashes(tx, "items", "item_key", project_id)?;
    let (close, write) = changed(&current, &parts.items, |text| content_hash(text));
    count += close.len() + write.len();
    close_rows(tx, "items", "item_key", project_id, revision, &close)?;
    if !write.is_empty() {
        let insert = tx
            .prepare(
                "INSERT INTO onemap.items (project_id, item_key, valid_from, hash, data) \
                 VALUES ($1, $2, $3, $4, $5::text::jsonb)",
            )
            .map_err(|e| DbError::server("could not prepare the items", &e))?;
        for (key, text, hash) in &write {
            tx.execute(&insert, &[&project_id, key, &revision, hash, text])
                .map_err(|e| DbError::server(format!("could not write item {key}"), &e))?;
        }
    }
    let written: Vec<(&String, &String)> = write.iter().map(|(k, t, _)| (*k, *t)).collect();
    count += replace_data_features(tx, project_id, revision, &close, &written)?;
    Ok(count)
}

fn comment_hash(row: &CommentRow) -> i64 {
    hash_of(&(&row.placement, row.position, &row.comment, row.at))
}

fn bad_geometry(key: &str, message: String) -> DbError {
    DbError::BadRow {
        project: String::new(),
        table: "placements",
        key: key.into(),
        message,
    }
}

fn write_placements(
    tx: &mut Transaction<'_>,
    project_id: i32,
    revision: i32,
    rows: &[(&str, Placement, i64)],
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let insert = tx
        .prepare(
            "INSERT INTO onemap.placements (project_id, placement_id, valid_from, name_zh, \
             name_en, action, section, lead_city, participants, status, horizon, description, \
             source, indicative, hash, geom) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, ST_GeomFromWKB($16, 4326))",
        )
        .map_err(|e| DbError::server("could not prepare the placements", &e))?;
    for (key, p, hash) in rows {
        let wkb = to_wkb(&p.geometry).map_err(|m| bad_geometry(key, m))?;
        let horizon = i32::from(p.horizon);
        tx.execute(
            &insert,
            &[
                &project_id,
                key,
                &revision,
                &p.name_zh,
                &p.name_en,
                &p.action,
                &p.section,
                &p.lead_city,
                &p.participants,
                &p.status.as_str(),
                &horizon,
                &p.description,
                &p.source,
                &p.indicative,
                hash,
                &wkb,
            ],
        )
        .map_err(|e| DbError::server(format!("could not write placement {key}"), &e))?;
    }
    Ok(())
}

fn write_overrides(
    tx: &mut Transaction<'_>,
    project_id: i32,
    revision: i32,
    rows: &[(&String, &PlanOverride, i64)],
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let insert = tx
        .prepare(
            "INSERT INTO onemap.plan_overrides (project_id, feature_id, valid_from, layer, change, \
             name_zh, name_en, kind, hash, geom) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             ST_GeomFromWKB($10, 4326))",
        )
        .map_err(|e| DbError::server("could not prepare the plan sketches", &e))?;
    for (key, o, hash) in rows {
        let (change, name_zh, name_en, kind, geometry) = match o {
            PlanOverride::Added {
                name_zh,
                name_en,
                kind,
                geometry,
                ..
            } => (
                "added",
                Some(name_zh),
                Some(name_en),
                Some(kind),
                Some(geometry),
            ),
            PlanOverride::Modified {
                geometry,
                name_zh,
                name_en,
                ..
            } => (
                "modified",
                name_zh.as_ref(),
                name_en.as_ref(),
                None,
                geometry.as_ref(),
            ),
            PlanOverride::Removed { .. } => ("removed", None, None, None, None),
        };
        let wkb = geometry
            .map(to_wkb)
            .transpose()
            .map_err(|m| bad_geometry(key, m))?;
        tx.execute(
            &insert,
            &[
                &project_id,
                key,
                &revision,
                &o.layer(),
                &change,
                &name_zh,
                &name_en,
                &kind,
                hash,
                &wkb,
            ],
        )
        .map_err(|e| DbError::server(format!("could not write plan sketch {key}"), &e))?;
    }
    Ok(())
}

fn write_comments(
    tx: &mut Transaction<'_>,
    project_id: i32,
    revision: i32,
    rows: &[(&String, &CommentRow, i64)],
) -> Result<(), DbError> {
    if rows.is_empty() {
        return Ok(());
    }
    let insert = tx
        .prepare(
            "INSERT INTO onemap.comments (project_id, comment_key, valid_from, placement_id, \
             position, author, time, text, hash, geom) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, ST_SetSRID(ST_MakePoint($10, $11), 4326))",
        )
        .map_err(|e| DbError::server("could not prepare the comments", &e))?;
    for (key, row, hash) in rows {
        let (x, y) = (row.at.map(|a| a.0), row.at.map(|a| a.1));
        tx.execute(
            &insert,
            &[
                &project_id,
                key,
                &revision,
                &row.placement,
                &row.position,
                &row.comment.author,
                &row.comment.time,
                &row.comment.text,
                hash,
                &x,
                &y,
            ],
        )
        .map_err(|e| DbError::server(format!("could not write comment {key}"), &e))?;
    }
    Ok(())
}
