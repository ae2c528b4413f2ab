//! Saving (pushing) a project as a new revision: one transaction, merged with the saves made
//! since the file's base revision when there were any.

use postgres::{Client, Transaction};

use super::read::load_revision;
use super::rows::Parts;
use super::schema::check_at_least;
use super::write::write_changes;
use super::{DbError, DbOrigin, Target};
use crate::edit::merge::{Conflict, merge3};
use crate::model::project::Project;

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
    check_at_least(client, target, "saving")?;
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
