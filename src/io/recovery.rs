//! The recovery journal: while a project has unsaved changes, a copy of it is written here every
//! 30 s and after every structural edit. After a crash or kill, the next start offers it back.
//! It is deleted when the work is saved, deliberately discarded, or the app quits cleanly.
//!
//! A journal records which saved file its work began from ([`FileStamp`]). A journal whose
//! file has been saved again since (by this session before it was killed, or by another) holds
//! older work than the file: the next start does not offer it, and keeps it aside under a name
//! that says so rather than deleting it. A journal that holds exactly what is saved is removed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::project::Project;

use super::atomic::atomic_write;
use super::error::IoError;
use super::project_file::{load_project, parse_project, project_to_string};

/// The extension of a journal that is offered at start.
pub const JOURNAL_EXTENSION: &str = "recovery";

/// The extension a journal is given when it is kept aside: older than its saved file.
pub const KEPT_ASIDE_EXTENSION: &str = "older-than-saved";

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

/// Which version of a saved file this is: its size, modification time and (on Unix) inode.
/// A save writes a new file and renames it into place, so every save changes the inode and the
/// time, and no hash of the whole file has to be computed on every journal write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    /// Seconds and nanoseconds since the Unix epoch.
    pub modified: (u64, u32),
    /// The inode (0 where the platform has none).
    pub inode: u64,
}

impl FileStamp {
    /// The stamp of the file at `path` as it is now, if it can be read.
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        let since_epoch = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Self {
            len: meta.len(),
            modified: (since_epoch.as_secs(), since_epoch.subsec_nanos()),
            inode,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct JournalFile {
    /// The project file the work belongs to, if it had been saved before.
    original: Option<PathBuf>,
    /// The version of `original` the work began from (absent in journals of older releases).
    #[serde(default)]
    based_on: Option<FileStamp>,
    written: String,
    /// The project, in the project file format (so its version travels with it).
    project: String,
}

/// Unsaved work found in a journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    pub file: PathBuf,
    pub original: Option<PathBuf>,
    pub based_on: Option<FileStamp>,
    pub written: String,
    pub project: Project,
}

/// Writes (atomically) the journal of this session, with no record of the saved file's version.
pub fn write_journal(
    file: &Path,
    original: Option<&Path>,
    written: &str,
    project: &Project,
) -> Result<(), IoError> {
    write_journal_based_on(file, original, None, written, project)
}

/// Writes (atomically) the journal of this session: work that began from `original` as it was
/// when stamped `based_on`.
pub fn write_journal_based_on(
    file: &Path,
    original: Option<&Path>,
    based_on: Option<FileStamp>,
    written: &str,
    project: &Project,
) -> Result<(), IoError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| IoError::write(dir, e))?;
    }
    let journal = JournalFile {
        original: original.map(Path::to_owned),
        based_on,
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
        based_on: j.based_on,
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
        .filter(|p| p.extension().is_some_and(|e| e == JOURNAL_EXTENSION))
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

/// What a journal found at start holds, compared with its saved file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Work the saved file does not have (or there is no saved file): offered.
    Unsaved,
    /// Exactly what the saved file holds: nothing to recover.
    AlreadySaved,
    /// Work on a version of the file that has been saved again since: not offered.
    OlderThanSaved,
}

/// How `journal` stands against its saved file as that file is now.
pub fn standing(journal: &Journal) -> Standing {
    let Some(original) = &journal.original else {
        return Standing::Unsaved;
    };
    // No file (moved, deleted): the journal may be all that is left of the work.
    let Some(now) = FileStamp::of(original) else {
        return Standing::Unsaved;
    };
    if load_project(original).is_ok_and(|saved| saved == journal.project) {
        return Standing::AlreadySaved;
    }
    let older = match journal.based_on {
        Some(base) => base != now,
        // A journal of an older release: older if the file was saved at or after the journal's
        // last write (both are whole seconds, so a tie is taken as older: kept, not offered).
        None => super::clock::rfc3339(now.modified.0) >= journal.written,
    };
    if older {
        Standing::OlderThanSaved
    } else {
        Standing::Unsaved
    }
}

/// Renames a journal so that it is no longer offered, keeping it beside the others:
/// `NAME.recovery` becomes `NAME.older-than-saved`. Returns where it is now.
pub fn keep_aside(file: &Path) -> Result<PathBuf, IoError> {
    let kept = file.with_extension(KEPT_ASIDE_EXTENSION);
    std::fs::rename(file, &kept).map_err(|e| IoError::write(&kept, e))?;
    Ok(kept)
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
