//! Reading the team store: a project as it was at any revision, and its history.

use std::collections::BTreeMap;

use postgres::{Client, Transaction};

use super::rows::{CommentRow, Parts, from_wkb};
use super::schema::check;
use super::{DbError, DbOrigin, Target};
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

/// What a revision is read with: the transaction, and the project and revision it reads,
/// for the queries and their errors.
struct At<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    target: &'t Target,
    name: &'t str,
    project_id: i32,
    revision: i32,
}

impl At<'_, '_> {
    fn query(&mut self, what: &str, sql: &str) -> Result<Vec<postgres::Row>, DbError> {
        let (project_id, revision) = (self.project_id, self.revision);
        self.tx.query(sql, &[&project_id, &revision]).map_err(|e| {
            DbError::server(
                format!(
                    "could not read the {what} of {:?} from {}",
                    self.name, self.target
                ),
                &e,
            )
        })
    }

    fn bad(&self, table: &'static str, key: &str, message: String) -> DbError {
        DbError::BadRow {
            project: self.name.into(),
            table,
            key: key.into(),
            message,
        }
    }
}

/// Project `name` as it was at `revision`, checked as a project file is.
pub(super) fn load_revision(
    tx: &mut Transaction<'_>,
    target: &Target,
    name: &str,
    project_id: i32,
    revision: i32,
) -> Result<Project, DbError> {
    let mut at = At {
        tx,
        target,
        name,
        project_id,
        revision,
    };
    let parts = Parts {
        placements: read_placements(&mut at)?,
        overrides: read_overrides(&mut at)?,
        comments: read_comments(&mut at)?,
        items: read_items(&mut at)?,
    };
    let key = format!("at revision {revision}");
    let mut project = parts.into_project().map_err(|m| at.bad("items", &key, m))?;
    project.meta.modified = revision_time(&mut at)?;
    crate::model::well_formed::check_project(&project)
        .map_err(|m| at.bad("placements", &key, m.to_string()))?;
    Ok(project)
}

/// When the revision was saved, RFC 3339 UTC: the project's `modified` time.
fn revision_time(at: &mut At<'_, '_>) -> Result<String, DbError> {
    let rows = at.query(
        "revision",
        "SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
         FROM onemap.revisions WHERE project_id = $1 AND revision = $2",
    )?;
    let revision = at.revision.to_string();
    rows.first()
        .map(|row| row.get(0))
        .ok_or_else(|| at.bad("revisions", &revision, "is missing".into()))
}

fn read_placements(at: &mut At<'_, '_>) -> Result<BTreeMap<String, Placement>, DbError> {
    let sql = format!(
        "SELECT placement_id, name_zh, name_en, action, section, lead_city, participants, \
         status, horizon, description, source, indicative, ST_AsBinary(geom) \
         FROM onemap.placements WHERE {AT}"
    );
    let mut placements = BTreeMap::new();
    for row in at.query("placements", &sql)? {
        let key: String = row.get(0);
        let status: String = row.get(7);
        let status = PlacementStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == status)
            .ok_or_else(|| at.bad("placements", &key, format!("unknown status {status:?}")))?;
        let horizon: i32 = row.get(8);
        let horizon = u16::try_from(horizon).map_err(|_| {
            at.bad(
                "placements",
                &key,
                format!("horizon {horizon} is not a year"),
            )
        })?;
        let wkb: Vec<u8> = row.get(12);
        let geometry = from_wkb(&wkb).map_err(|m| at.bad("placements", &key, m))?;
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
        placements.insert(key, placement);
    }
    Ok(placements)
}

fn read_overrides(at: &mut At<'_, '_>) -> Result<BTreeMap<String, PlanOverride>, DbError> {
    let sql = format!(
        "SELECT feature_id, layer, change, name_zh, name_en, kind, ST_AsBinary(geom) \
         FROM onemap.plan_overrides WHERE {AT}"
    );
    let mut overrides = BTreeMap::new();
    for row in at.query("plan sketches", &sql)? {
        let key: String = row.get(0);
        let wkb: Option<Vec<u8>> = row.get(6);
        let geometry = wkb
            .map(|w| from_wkb(&w))
            .transpose()
            .map_err(|m| at.bad("plan_overrides", &key, m))?;
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
                let message = "an added feature has no geometry".into();
                return Err(at.bad("plan_overrides", &key, message));
            }
            ("modified", geometry) => PlanOverride::Modified {
                layer,
                geometry,
                name_zh,
                name_en,
            },
            _ => PlanOverride::Removed { layer },
        };
        overrides.insert(key, o);
    }
    Ok(overrides)
}

fn read_comments(at: &mut At<'_, '_>) -> Result<BTreeMap<String, CommentRow>, DbError> {
    let sql = format!(
        "SELECT comment_key, placement_id, position, author, time, text, ST_X(geom), \
         ST_Y(geom) FROM onemap.comments WHERE {AT}"
    );
    let mut comments = BTreeMap::new();
    for row in at.query("comments", &sql)? {
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
        comments.insert(row.get(0), comment);
    }
    Ok(comments)
}

fn read_items(at: &mut At<'_, '_>) -> Result<BTreeMap<String, String>, DbError> {
    let sql = format!("SELECT item_key, data::text FROM onemap.items WHERE {AT}");
    Ok(at
        .query("settings", &sql)?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
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

/// A project of the store with its newest revision, as File › Open from database… lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProjectHead {
    pub name: String,
    /// The newest revision (0 for a project whose first save was never committed).
    pub head: i32,
    /// Who saved the newest revision, and when (RFC 3339, UTC); empty at revision 0.
    pub author: String,
    pub time: String,
}

/// Every project of the store, by name.
pub fn projects(client: &mut Client, target: &Target) -> Result<Vec<ProjectHead>, DbError> {
    check(client, target)?;
    let rows = client
        .query(
            "SELECT p.name, p.head, coalesce(r.author, ''), \
             coalesce(to_char(r.time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') \
             FROM onemap.projects p \
             LEFT JOIN onemap.revisions r ON r.project_id = p.id AND r.revision = p.head \
             ORDER BY p.name",
            &[],
        )
        .map_err(|e| DbError::server(format!("could not list the projects of {target}"), &e))?;
    Ok(rows
        .iter()
        .map(|r| ProjectHead {
            name: r.get(0),
            head: r.get(1),
            author: r.get(2),
            time: r.get(3),
        })
        .collect())
}
