//! The team store: projects on a PostgreSQL/PostGIS server, with history, safe concurrent
//! saves, and tables that QGIS opens directly.
//!
//! Every save is a revision. Rows are versioned (`valid_from`/`valid_to` revisions), so any
//! revision can be read back, and a save writes only the rows that changed. A save takes a row
//! lock on its project first, so saves of one project queue behind each other and never
//! deadlock; one based on an older revision runs the three-way merge of `edit::merge`
//! (base, mine, theirs = head) inside that same transaction.
//!
//! Part of `io`: only the command line and the app call it, never the panels.

mod connect;
mod data_rows;
mod edition;
mod edition_dir;
mod read;
mod rows;
mod schema;
mod store;
mod words;
mod write;

pub use connect::{Environment, Target, config_for, connect, password_from_file};
pub use edition::{
    EditionData, EditionPushed, EditionVersion, editions, find_edition, load_edition, push_edition,
};
pub use edition_dir::{read_edition_dir, write_edition_dir};
pub use read::{ProjectHead, Revision, load, log, projects};
pub use rows::Parts;
pub use schema::{SCHEMA_VERSION, init};
pub use store::{Pushed, after_save, push};

use postgres::error::SqlState;

/// Where a `.onemap` file came from in the team store: the project's name there and the
/// revision the file is based on. Kept in the file so that a later push merges from it.
pub use crate::model::project::DbOrigin;

/// What went wrong talking to the team store. Messages name the server (never with its
/// password), the project and the revision, and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database address is not valid: {0}")]
    BadUrl(String),

    #[error("could not connect to {target}: {reason}")]
    Connect { target: Target, reason: String },

    #[error(
        "{target} has no PostGIS: {reason} (an administrator runs `CREATE EXTENSION postgis;` in that database, or `onemap db init` as its owner)"
    )]
    NoPostgis { target: Target, reason: String },

    #[error("{target} has no OneMap tables: run `onemap db init URL` first")]
    NotInitialized { target: Target },

    #[error(
        "{target} holds OneMap tables of schema version {found}, from a newer OneMap; this one knows version {supported}: update OneMap"
    )]
    NewerSchema {
        target: Target,
        found: i32,
        supported: i32,
    },

    #[error(
        "{target} holds OneMap tables of schema version {found}; this OneMap needs version {needed} for {what}: run `onemap db init URL` as the database's owner to update them"
    )]
    OlderSchema {
        target: Target,
        found: i32,
        needed: i32,
        /// What needs the newer tables: "saving", "plan editions".
        what: &'static str,
    },

    #[error("{target} has no plan edition named {name:?}{}", known_editions(.known))]
    NoEdition {
        target: Target,
        name: String,
        /// The names it has, to say what there is.
        known: Vec<String>,
    },

    #[error("plan edition {name:?} has no version {version} (its newest is {newest})")]
    NoEditionVersion {
        name: String,
        version: i32,
        newest: i32,
    },

    #[error("{target} has no project named {project:?}")]
    NoProject { target: Target, project: String },

    #[error("project {project:?} has no revision {revision} (its newest is {head})")]
    NoRevision {
        project: String,
        revision: i32,
        head: i32,
    },

    #[error(
        "project {project:?} already exists in the database (revision {head}), and this file was not pulled from it: pull it with `onemap db pull`, or push under another --project name"
    )]
    Unrelated { project: String, head: i32 },

    #[error(
        "this file is based on revision {base} of {project:?}, but the database's newest is {head}: it was pulled from another database"
    )]
    AheadOfServer {
        project: String,
        base: i32,
        head: i32,
    },

    #[error("the server refused: {0}")]
    Refused(String),

    #[error("{table} row {key} of project {project:?} cannot be read: {message}")]
    BadRow {
        project: String,
        table: &'static str,
        key: String,
        message: String,
    },

    #[error("{what}: {reason}")]
    Server {
        what: String,
        reason: String,
        /// Another save got in the way (serialization failure, deadlock): run it again.
        retryable: bool,
    },
}

impl DbError {
    /// A failure of a statement or of the connection, while doing `what`.
    fn server(what: impl Into<String>, e: &postgres::Error) -> Self {
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return Self::Refused(server_words(e));
        }
        Self::Server {
            what: what.into(),
            reason: server_words(e),
            retryable: matches!(
                e.code(),
                Some(&SqlState::T_R_SERIALIZATION_FAILURE) | Some(&SqlState::T_R_DEADLOCK_DETECTED)
            ),
        }
    }

    /// Whether the transaction may simply be run again (another save got in the way).
    fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Server {
                retryable: true,
                ..
            }
        )
    }
}

fn known_editions(known: &[String]) -> String {
    if known.is_empty() {
        " (it holds none: push one with `onemap db edition push DIR URL`)".into()
    } else {
        format!(" (it holds {})", known.join(", "))
    }
}

/// The server's own message when there is one (`password authentication failed for user
/// "li"`), else the client's.
fn server_words(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    }
}
