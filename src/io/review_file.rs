//! The review sidecar `NAME.review.onemap` next to `NAME.onemap`: versioned RON, written
//! atomically. The reviewed project file itself is never written by a review.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::review::Review;

use super::atomic::atomic_write;
use super::error::IoError;

pub const REVIEW_VERSION: u32 = 1;

#[derive(Deserialize)]
struct Probe {
    version: u32,
}

#[derive(Serialize, Deserialize)]
struct ReviewFileV1 {
    version: u32,
    review: Review,
}

/// The sidecar of a project file: `plan.onemap` → `plan.review.onemap`.
pub fn sidecar_path(project: &Path) -> PathBuf {
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    project.with_file_name(format!("{stem}.review.onemap"))
}

/// The project a sidecar belongs to, when `path` is one.
pub fn reviewed_path(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".review.onemap")?;
    Some(path.with_file_name(format!("{stem}.onemap")))
}

/// Reads a sidecar; `Ok(None)` when there is none.
pub fn load_review(path: &Path) -> Result<Option<Review>, IoError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(IoError::read(path, e)),
    };
    let probe: Probe = ron::from_str(&text).map_err(|e| IoError::ron(path, "review file", &e))?;
    match probe.version {
        1 => {
            let review = ron::from_str::<ReviewFileV1>(&text)
                .map_err(|e| IoError::ron(path, "review file", &e))?
                .review;
            crate::model::well_formed::check_review(&review)
                .map_err(|m| IoError::invalid(path, m.to_string()))?;
            Ok(Some(review))
        }
        found if found > REVIEW_VERSION => Err(IoError::NewerVersion {
            path: path.to_owned(),
            found,
            supported: REVIEW_VERSION,
        }),
        found => Err(IoError::UnknownVersion {
            path: path.to_owned(),
            found,
        }),
    }
}

pub fn save_review(path: &Path, review: &Review) -> Result<(), IoError> {
    let file = ReviewFileV1 {
        version: REVIEW_VERSION,
        review: review.clone(),
    };
    let config = ron::ser::PrettyConfig::new().indentor("  ".to_owned());
    let text = ron::ser::to_string_pretty(&file, config)
        .map_err(|e| IoError::invalid(path, format!("could not be written as RON: {e}")))?;
    atomic_write(path, format!("{text}\n").as_bytes(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sidecar_sits_next_to_the_project_and_leads_back_to_it() {
        let p = Path::new("/x/plan v2.onemap");
        assert_eq!(sidecar_path(p), Path::new("/x/plan v2.review.onemap"));
        assert_eq!(reviewed_path(&sidecar_path(p)).as_deref(), Some(p));
        assert_eq!(reviewed_path(p), None);
    }
}
