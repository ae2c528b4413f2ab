//! What the team-store dialogs (File › Open from database…, File › Publish to database…)
//! show and ask the app to do. The app runs the connection on a worker thread; the dialogs
//! only read these forms and push commands.

/// A project of the store as the Open dialog lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbProjectRow {
    pub name: String,
    pub head: i32,
    pub author: String,
    /// RFC 3339, UTC.
    pub time: String,
}

/// File › Open from database…: the connection, the projects found there, and the choice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DbOpenForm {
    /// A libpq connection string or URI; kept for this session only, never in a file.
    pub url: String,
    /// The projects listed from `url`; `None` until listed.
    pub projects: Option<Vec<DbProjectRow>>,
    pub selected: Option<String>,
    /// A revision to open read-only; empty for the newest, opened for editing.
    pub revision: String,
    /// A connection is under way.
    pub busy: bool,
    /// Why listing failed, in the interface language.
    pub error: Option<String>,
}

impl DbOpenForm {
    /// The revision typed: `Some(None)` for none (the newest), `None` when what was typed is
    /// not a whole number above 0.
    pub fn revision(&self) -> Option<Option<i32>> {
        let text = self.revision.trim();
        if text.is_empty() {
            return Some(None);
        }
        text.parse::<i32>().ok().filter(|r| *r > 0).map(Some)
    }
}

/// File › Publish to database…: where, under which name, and the revision's message.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DbPublishForm {
    pub url: String,
    pub project: String,
    pub message: String,
    /// The revision the open project is based on, when it came from the store.
    pub based_on: Option<(String, i32)>,
    /// A publish is under way.
    pub busy: bool,
    /// Cancel was pressed after the publish began writing: it is waited for.
    pub cancelling: bool,
}

/// Opening a project of the store.
#[derive(Clone, Debug, PartialEq)]
pub struct DbOpenRequest {
    pub url: String,
    pub project: String,
    /// A revision, opened read-only; `None` for the newest, opened for editing.
    pub revision: Option<i32>,
}

/// Publishing the open project to the store.
#[derive(Clone, Debug, PartialEq)]
pub struct DbPublishRequest {
    pub url: String,
    pub project: String,
    pub message: String,
}

/// A three-way merge that a refused publish opened: the store's project, the revision the
/// open project was based on, and the newest (theirs). Nothing was written to the store.
#[derive(Clone, Debug, PartialEq)]
pub struct DbMerge {
    pub project: String,
    pub base: i32,
    pub head: i32,
}
