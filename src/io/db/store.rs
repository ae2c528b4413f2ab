//! Reading a revision, listing the history, and saving (pushing) a project as a new revision.

use std::collections::{BTreeMap, BTreeSet};

use postgres::{Client, Transaction};

use super::rows::{
    CommentRow, Parts, bare_placement, content_hash, from_wkb, hash_of, placement_hash, to_wkb,
};
use super::schema::check;
use super::{DbError, DbOrigin, Target};
use crate::edit::merge::{Conflict, merge3};
use crate::model::overrides::PlanOverride;
use crate::model::project::{Comment, Placement, PlacementStatus, Project};

/// One entry of a project's history.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Revision {
    pub revision: i32,
    /// The database role that saved it.
    pub author: String,
    /// RFC 3339, UTC.
    pub time: String,
    pub message: String,
    /// The revision the saved file was based on (none for the first save of a project).
    pub base: Option<i32>,
}

/// What a push did.
#[derive(Debug)]
pub enum Pushed {
    /// Saved as a new revision: mine as it is, or `merged` (mine merged with the saves made
    /// since its base, the head it was merged with in `merged_from`), with its origin set.
    Saved {
        revision: i32,
        merged_from: Option<i32>,
        merged: Option<Box<Project>>,
        rows_written: usize,
    },
    /// The database already held exactly this project: no revision was made.
    Unchanged { revision: i32 },
    /// Both sides changed the same fields since the base: nothing was written.
    Conflicts { head: i32, conflicts: Vec<Conflict> },
}

/// What the saving side holds after a save as `revision`: the merged project, or its own with
/// its origin moved to that revision.
pub fn after_save(
    mine: Project,
    name: &str,
    revision: i32,
    merged: Option<Box<Project>>,
) -> Project {
    merged.map(|m| *m).unwrap_or_else(|| {
        let mut mine = mine;
        mine.origin = Some(DbOrigin {
            project: name.into(),
            revision,
        });
        mine
    })
}

/// How many times a save that another one got in the way of is tried again.
const ATTEMPTS: usize = 5;

/// Saves `mine` as project `name`: one transaction, all of it or nothing.
pub fn push(
    client: &mut Client,
    target: &Target,
    name: &str,
    mine: &Project,
    message: &str,
) -> Result<Pushed, DbError> {
    check(client, target)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match push_once(client, target, name, mine, message) {
            Err(e) if e.is_retryable() && attempt < ATTEMPTS => continue,
            other => return other,
        }
    }
}

fn push_once(
    client: &mut Client,
    target: &Target,
    name: &str,
    mine: &Project,
    message: &str,
) -> Result<Pushed, DbError> {
    let mut tx = client
        .transaction()
        .map_err(|e| DbError::server("could not start the save", &e))?;
    let (project_id, head) = lock_project(&mut tx, name)?;
    let base = mine
        .origin
        .as_ref()
        .filter(|o| o.project == name)
        .map(|o| o.revision);
    let (merged, merged_from) = match base {
        _ if head == 0 => (None, None),
        None => {
            return Err(DbError::Unrelated {
                project: name.into(),
                head,
            });
        }
        Some(b) if b > head => {
            return Err(DbError::AheadOfServer {
                project: name.into(),
                base: b,
                head,
            });
        }
        Some(b) if b == head => (None, None),
        Some(b) => {
            let base_project = load_revision(&mut tx, target, name, project_id, b)?;
            let theirs = load_revision(&mut tx, target, name, project_id, head)?;
            let merge = merge3(&base_project, mine, &theirs);
            if !merge.conflicts.is_empty() {
                // Nothing written: the transaction is dropped, which rolls it back.
                return Ok(Pushed::Conflicts {
                    head,
                    conflicts: merge.conflicts,
                });
            }
            (Some(merge.merged), Some(head))
        }
    };
    let wanted = merged.as_ref().unwrap_or(mine);
    let parts = Parts::except_placements(wanted).map_err(|message| DbError::BadRow {
        project: name.into(),
        table: "project",
        key: String::new(),
        message,
    })?;
    let revision = head + 1;
    let rows_written = write_changes(&mut tx, project_id, revision, wanted, &parts)?;
    if rows_written == 0 {
        return Ok(Pushed::Unchanged { revision: head });
    }
    tx.execute(
        "INSERT INTO onemap.revisions (project_id, revision, message, base) VALUES ($1, $2, $3, $4)",
        &[&project_id, &revision, &message, &base.filter(|_| head > 0)],
    )
    .map_err(|e| DbError::server("could not record the revision", &e))?;
    tx.execute(
        "UPDATE onemap.projects SET head = $2 WHERE id = $1",
        &[&project_id, &revision],
    )
    .map_err(|e| DbError::server("could not move the project's head", &e))?;
    tx.commit()
        .map_err(|e| DbError::server("could not commit the save", &e))?;
    let merged = merged.map(|mut project| {
        project.origin = Some(DbOrigin {
            project: name.into(),
            revision,
        });
        Box::new(project)
    });
    Ok(Pushed::Saved {
        revision,
        merged_from,
        merged,
        rows_written,
    })
}

/// The project's id and head revision, its row locked until the transaction ends (so saves of
/// one project run one after the other); a new project is created at revision 0.
fn lock_project(tx: &mut Transaction<'_>, name: &str) -> Result<(i32, i32), DbError> {
    const LOCK: &str = "SELECT id, head FROM onemap.projects WHERE name = $1 FOR UPDATE";
    let locked = tx
        .query_opt(LOCK, &[&name])
        .map_err(|e| DbError::server("could not lock the project", &e))?;
    if let Some(row) = locked {
        return Ok((row.get(0), row.get(1)));
    }
    tx.execute(
        "INSERT INTO onemap.projects (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
        &[&name],
    )
    .map_err(|e| DbError::server("could not create the project", &e))?;
    let row = tx
        .query_one(LOCK, &[&name])
        .map_err(|e| DbError::server("could not lock the new project", &e))?;
    Ok((row.get(0), row.get(1)))
}

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
fn write_changes(
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
    let insert = tx
        .prepare(
            "INSERT INTO onemap.items (project_id, item_key, valid_from, hash, data) \
             VALUES ($1, $2, $3, $4, $5::text::jsonb)",
        )
        .map_err(|e| DbError::server("could not prepare the items", &e))?;
    for (key, text, hash) in write {
        tx.execute(&insert, &[&project_id, key, &revision, &hash, text])
            .map_err(|e| DbError::server(format!("could not write item {key}"), &e))?;
    }
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

/// Project `name` at `revision` (its newest without one), with its origin set to it.
pub fn load(
    client: &mut Client,
    target: &Target,
    name: &str,
    revision: Option<i32>,
) -> Result<Project, DbError> {
    check(client, target)?;
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()
        .map_err(|e| DbError::server("could not start reading", &e))?;
    let row = tx
        .query_opt(
            "SELECT id, head FROM onemap.projects WHERE name = $1",
            &[&name],
        )
        .map_err(|e| DbError::server("could not find the project", &e))?
        .ok_or_else(|| DbError::NoProject {
            target: target.clone(),
            project: name.into(),
        })?;
    let (project_id, head): (i32, i32) = (row.get(0), row.get(1));
    let revision = revision.unwrap_or(head);
    if revision < 1 || revision > head {
        return Err(DbError::NoRevision {
            project: name.into(),
            revision,
            head,
        });
    }
    let mut project = load_revision(&mut tx, target, name, project_id, revision)?;
    project.origin = Some(DbOrigin {
        project: name.into(),
        revision,
    });
    Ok(project)
}

/// The rows valid at `revision`.
const AT: &str = "project_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)";

fn load_revision(
    tx: &mut Transaction<'_>,
    target: &Target,
    name: &str,
    project_id: i32,
    revision: i32,
) -> Result<Project, DbError> {
    let read = |what: &str, e: postgres::Error| {
        DbError::server(
            format!("could not read the {what} of {name:?} from {target}"),
            &e,
        )
    };
    let bad = |table: &'static str, key: &str, message: String| DbError::BadRow {
        project: name.into(),
        table,
        key: key.into(),
        message,
    };
    let mut parts = Parts::default();
    let sql = format!(
        "SELECT placement_id, name_zh, name_en, action, section, lead_city, participants, \
         status, horizon, description, source, indicative, ST_AsBinary(geom) \
         FROM onemap.placements WHERE {AT}"
    );
    for row in tx
        .query(&sql, &[&project_id, &revision])
        .map_err(|e| read("placements", e))?
    {
        let key: String = row.get(0);
        let status: String = row.get(7);
        let status = PlacementStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == status)
            .ok_or_else(|| bad("placements", &key, format!("unknown status {status:?}")))?;
        let horizon: i32 = row.get(8);
        let horizon = u16::try_from(horizon).map_err(|_| {
            bad(
                "placements",
                &key,
                format!("horizon {horizon} is not a year"),
            )
        })?;
        let wkb: Vec<u8> = row.get(12);
        let geometry = from_wkb(&wkb).map_err(|m| bad("placements", &key, m))?;
        let placement = Placement {
            name_zh: row.get(1),
            name_en: row.get(2),
            action: row.get(3),
            section: row.get(4),
            lead_city: row.get(5),
            participants: row.get(6),
            status,
            horizon,
            geometry,
            description: row.get(9),
            source: row.get(10),
            indicative: row.get(11),
            comments: Vec::new(),
        };
        parts.placements.insert(key, placement);
    }
    let sql = format!(
        "SELECT feature_id, layer, change, name_zh, name_en, kind, ST_AsBinary(geom) \
         FROM onemap.plan_overrides WHERE {AT}"
    );
    for row in tx
        .query(&sql, &[&project_id, &revision])
        .map_err(|e| read("plan sketches", e))?
    {
        let key: String = row.get(0);
        let wkb: Option<Vec<u8>> = row.get(6);
        let geometry = wkb
            .map(|w| from_wkb(&w))
            .transpose()
            .map_err(|m| bad("plan_overrides", &key, m))?;
        let layer: String = row.get(1);
        let change: String = row.get(2);
        let name_zh: Option<String> = row.get(3);
        let name_en: Option<String> = row.get(4);
        let o = match (change.as_str(), geometry) {
            ("added", Some(geometry)) => PlanOverride::Added {
                layer,
                name_zh: name_zh.unwrap_or_default(),
                name_en: name_en.unwrap_or_default(),
                kind: row.get::<_, Option<String>>(5).unwrap_or_default(),
                geometry,
            },
            ("added", None) => {
                return Err(bad(
                    "plan_overrides",
                    &key,
                    "an added feature has no geometry".into(),
                ));
            }
            ("modified", geometry) => PlanOverride::Modified {
                layer,
                geometry,
                name_zh,
                name_en,
            },
            _ => PlanOverride::Removed { layer },
        };
        parts.overrides.insert(key, o);
    }
    let sql = format!(
        "SELECT comment_key, placement_id, position, author, time, text, ST_X(geom), ST_Y(geom) \
         FROM onemap.comments WHERE {AT}"
    );
    for row in tx
        .query(&sql, &[&project_id, &revision])
        .map_err(|e| read("comments", e))?
    {
        let x: Option<f64> = row.get(6);
        let y: Option<f64> = row.get(7);
        let comment = CommentRow {
            placement: row.get(1),
            position: row.get(2),
            comment: Comment {
                author: row.get(3),
                time: row.get(4),
                text: row.get(5),
            },
            at: x.zip(y),
        };
        parts.comments.insert(row.get(0), comment);
    }
    let sql = format!("SELECT item_key, data::text FROM onemap.items WHERE {AT}");
    for row in tx
        .query(&sql, &[&project_id, &revision])
        .map_err(|e| read("settings", e))?
    {
        parts.items.insert(row.get(0), row.get(1));
    }
    let project = parts
        .into_project()
        .map_err(|m| bad("items", &format!("at revision {revision}"), m))?;
    crate::model::well_formed::check_project(&project).map_err(|m| {
        bad(
            "placements",
            &format!("at revision {revision}"),
            m.to_string(),
        )
    })?;
    Ok(project)
}

/// The history of project `name`, oldest first.
pub fn log(client: &mut Client, target: &Target, name: &str) -> Result<Vec<Revision>, DbError> {
    check(client, target)?;
    let rows = client
        .query(
            "SELECT r.revision, r.author, \
             to_char(r.time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), r.message, r.base \
             FROM onemap.revisions r JOIN onemap.projects p ON p.id = r.project_id \
             WHERE p.name = $1 ORDER BY r.revision",
            &[&name],
        )
        .map_err(|e| DbError::server(format!("could not read the history of {name:?}"), &e))?;
    if rows.is_empty() {
        let exists = client
            .query_opt("SELECT 1 FROM onemap.projects WHERE name = $1", &[&name])
            .map_err(|e| DbError::server("could not find the project", &e))?;
        if exists.is_none() {
            return Err(DbError::NoProject {
                target: target.clone(),
                project: name.into(),
            });
        }
    }
    Ok(rows
        .iter()
        .map(|r| Revision {
            revision: r.get(0),
            author: r.get(1),
            time: r.get(2),
            message: r.get(3),
            base: r.get(4),
        })
        .collect())
}
