//! The recovery journal: while a project has unsaved changes, a copy of it is written here every
//! 30 s and after every structural edit. After a crash or kill, the next start offers it back.
//! It is deleted when the work is saved or deliberately discarded.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::project::Project;

use super::atomic::atomic_write;
use super::error::IoError;
use super::project_file::{parse_project, project_to_string};

/// Where journals live: `$ONEMAP_RECOVERY_DIR`, else `$XDG_DATA_HOME/onemap/recovery`, else
/// `~/.local/share/onemap/recovery`.
pub fn default_journal_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ONEMAP_RECOVERY_DIR") {
        return Some(PathBuf::from(d));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("onemap/recovery"))
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    /// The project file the work belongs to, if it had been saved before.
    original: Option<PathBuf>,
    written: String,
    /// The project, in the project file format (so its version travels with it).
    project: String,
}

/// Unsaved work found in a journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    pub file: PathBuf,
    pub original: Option<PathBuf>,
    pub written: String,
    pub project: Project,
}

/// Writes (atomically) the journal of this session.
pub fn write_journal(
    file: &Path,
    original: Option<&Path>,
    written: &str,
    project: &Project,
) -> Result<(), IoError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| IoError::write(dir, e))?;
    }
    let journal = JournalFile {
        original: original.map(Path::to_owned),
        written: written.to_owned(),
        project: project_to_string(project)?,
    };
    let text = ron::ser::to_string_pretty(&journal, ron::ser::PrettyConfig::default())
        .map_err(|e| IoError::invalid(file, format!("journal could not be written: {e}")))?;
    atomic_write(file, text.as_bytes(), false)
}

pub fn read_journal(file: &Path) -> Result<Journal, IoError> {
    let text = std::fs::read_to_string(file).map_err(|e| IoError::read(file, e))?;
    let j: JournalFile =
        ron::from_str(&text).map_err(|e| IoError::ron(file, "recovery journal", &e))?;
    Ok(Journal {
        file: file.to_owned(),
        original: j.original,
        written: j.written,
        project: parse_project(file, &j.project)?,
    })
}

/// Journals left behind in `dir`, newest first. Unreadable ones are returned as errors, so
/// that they can be reported rather than silently ignored.
pub fn find_journals(dir: &Path) -> Vec<Result<Journal, IoError>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "recovery"))
        .collect();
    files.sort();
    let mut journals: Vec<Result<Journal, IoError>> =
        files.iter().map(|f| read_journal(f)).collect();
    journals.sort_by(|a, b| match (a, b) {
        (Ok(a), Ok(b)) => b.written.cmp(&a.written),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => std::cmp::Ordering::Equal,
    });
    journals
}

pub fn remove_journal(file: &Path) {
    if file.exists()
        && let Err(e) = std::fs::remove_file(file)
    {
        log::warn!(
            "could not remove the recovery journal {}: {e}",
            file.display()
        );
    }
}
