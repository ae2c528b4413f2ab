//! Paths of files a project references, stored relative to the project file's folder so that a
//! project folder can be moved or copied to another machine. The only place paths are converted.

use std::path::{Component, Path, PathBuf};

/// How a referenced file's path is stored: relative to `project_dir`, with `/` separators.
/// A file on another drive (no relative path exists) is stored absolute.
pub fn to_stored(project_dir: &Path, file: &Path) -> String {
    let relative = pathdiff::diff_paths(file, project_dir).unwrap_or_else(|| file.to_owned());
    let parts: Vec<String> = relative
        .components()
        .map(|c| match c {
            Component::ParentDir => "..".to_owned(),
            Component::CurDir => ".".to_owned(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    if relative.is_absolute() {
        relative.to_string_lossy().into_owned()
    } else {
        parts.join("/")
    }
}

/// The file a stored path refers to, for a project in `project_dir`.
pub fn resolve(project_dir: &Path, stored: &str) -> PathBuf {
    let p = Path::new(stored);
    if p.is_absolute() {
        p.to_owned()
    } else {
        project_dir.join(p)
    }
}

/// A stored path rewritten for a project that moves from `old_dir` to `new_dir` (Save As).
pub fn rebase(stored: &str, old_dir: &Path, new_dir: &Path) -> String {
    to_stored(new_dir, &normalize(&resolve(old_dir, stored)))
}

/// Removes `.` and `a/..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_stored_relative_with_forward_slashes() {
        let dir = Path::new("/work/plans");
        assert_eq!(
            to_stored(dir, Path::new("/work/plans/data/a.geojson")),
            "data/a.geojson"
        );
        assert_eq!(
            to_stored(dir, Path::new("/work/shared/b.geojson")),
            "../shared/b.geojson"
        );
        assert_eq!(
            resolve(dir, "data/a.geojson"),
            PathBuf::from("/work/plans/data/a.geojson")
        );
    }

    #[test]
    fn saving_into_another_folder_rewrites_the_relative_path() {
        let stored = rebase(
            "data/a.geojson",
            Path::new("/work/plans"),
            Path::new("/work/review/v2"),
        );
        assert_eq!(stored, "../../plans/data/a.geojson");
        assert_eq!(
            normalize(&resolve(Path::new("/work/review/v2"), &stored)),
            PathBuf::from("/work/plans/data/a.geojson")
        );
    }
}
