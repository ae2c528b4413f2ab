//! The `*.onemap` project file: RON with a `version`, read through typed migrations.
//!
//! Output is deterministic (ordered maps, pretty-printed, coordinates rounded to 1e-7°), so
//! saving twice gives the same bytes and a change to one placement changes only its lines:
//! project files diff cleanly in git, which makes them reviewable.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::project::Project;

use super::atomic::atomic_write;
use super::error::IoError;

/// The version this OneMap writes. Bump it on every incompatible change and add a typed
/// migration from the previous version's struct in [`parse_project`].
pub const CURRENT_VERSION: u32 = 1;

/// Project files above this size are refused before they are read into memory. Plan layers
/// and large GeoJSON are referenced, not embedded, so a real project stays far below it.
pub const MAX_PROJECT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// Version 1 of the file: the version header and the project.
#[derive(Serialize, Deserialize)]
struct FileV1 {
    version: u32,
    project: Project,
}

/// Reads a project file, refusing one above [`MAX_PROJECT_BYTES`] before reading it.
pub fn load_project(path: &Path) -> Result<Project, IoError> {
    super::open::regular_file_size(path, MAX_PROJECT_BYTES, "project files")?;
    let text = std::fs::read_to_string(path).map_err(|e| IoError::read(path, e))?;
    parse_project(path, &text)
}

/// What the file is called in errors.
const WHAT: &str = "OneMap project";

/// Parses a project; `path` is only used in errors.
pub fn parse_project(path: &Path, text: &str) -> Result<Project, IoError> {
    // A current file is read in one pass (a 15 MB project takes about a second a pass). Only
    // when that fails is the version read on its own, to tell which error to report.
    let current = match ron::from_str::<FileV1>(text) {
        Ok(file) if file.version == CURRENT_VERSION => return checked(path, file.project),
        other => other,
    };
    let probe: VersionProbe = ron::from_str(text).map_err(|e| read_error(path, text, &e))?;
    let project = match probe.version {
        1 => current.map_err(|e| read_error(path, text, &e))?.project,
        v if v > CURRENT_VERSION => {
            return Err(IoError::NewerVersion {
                path: path.to_owned(),
                found: v,
                supported: CURRENT_VERSION,
            });
        }
        v => {
            return Err(IoError::UnknownVersion {
                path: path.to_owned(),
                found: v,
            });
        }
    };
    checked(path, project)
}

/// The project if it is well formed. Every path that reads a project (open, journals,
/// validate, diff, merge) comes here.
fn checked(path: &Path, project: Project) -> Result<Project, IoError> {
    crate::model::well_formed::check_project(&project)
        .map_err(|m| IoError::invalid(path, m.to_string()))?;
    Ok(project)
}

/// A file that does not begin like a project (`(version: …, project: …)`) is "not a OneMap
/// project file"; a project damaged further on is "not a valid OneMap project at line L".
fn read_error(path: &Path, text: &str, e: &ron::error::SpannedError) -> IoError {
    use ron::error::Error as E;
    let wrong_kind = text.trim().is_empty()
        || match &e.code {
            // Only the file's outermost group is named by these: the file is something else.
            E::ExpectedDifferentStructName { .. }
            | E::ExpectedNamedStructLike(_)
            | E::ExpectedStructName(_)
            | E::ExpectedAttribute => true,
            E::MissingStructField { field, .. } => matches!(*field, "version" | "project"),
            _ => false,
        };
    if wrong_kind {
        IoError::WrongKind {
            path: path.to_owned(),
            what: WHAT,
        }
    } else {
        IoError::ron(path, WHAT, e)
    }
}

/// The file's text: deterministic, pretty-printed RON.
pub fn project_to_string(project: &Project) -> Result<String, IoError> {
    let file = FileV1 {
        version: CURRENT_VERSION,
        project: project.rounded(),
    };
    let config = ron::ser::PrettyConfig::new().indentor("  ".to_owned());
    ron::ser::to_string_pretty(&file, config)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| {
            IoError::invalid(
                Path::new("project"),
                format!("could not be written as RON: {e}"),
            )
        })
}

/// Saves atomically, keeping the previous file as `FILE.bak`.
pub fn save_project(path: &Path, project: &Project) -> Result<(), IoError> {
    let text = project_to_string(project)?;
    atomic_write(path, text.as_bytes(), true)
}
