//! What a command may write to: never one of its own inputs, and never a name that says
//! "OneMap project" unless it writes a project. Checked before anything is written, so that a
//! slip on the command line (`onemap export-geojson p.onemap p.onemap`) cannot replace a
//! project with something else.

use std::path::Path;

use super::error::IoError;

/// What a command writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes {
    /// A OneMap project (`*.onemap`).
    Project,
    /// Anything else, described for the message: "GeoJSON", "an image".
    Other(&'static str),
}

/// Refuses `out` when it is one of `inputs` (the same file by any path: `./p.onemap`,
/// `p.onemap`, a symbolic or hard link), or when it ends in `.onemap` and the command does not
/// write a project.
pub fn check_output<'a>(
    out: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
    writes: Writes,
) -> Result<(), IoError> {
    for input in inputs {
        if same_file(out, input) {
            return Err(IoError::invalid(
                out,
                format!(
                    "is also an input of this command ({}); a command never writes over its \
                     own input, so nothing was written",
                    input.display()
                ),
            ));
        }
    }
    if let Writes::Other(what) = writes
        && is_project_name(out)
    {
        return Err(IoError::invalid(
            out,
            format!(
                "the name ends in .onemap, which is for OneMap projects, and this command writes \
                 {what}; choose another name (nothing was written)"
            ),
        ));
    }
    Ok(())
}

/// Whether two paths name one file. Compared by the file system's identity of the file, found
/// without opening either: opening a FIFO would wait for a writer (which is also why the
/// `same-file` crate, which opens both, is not used). An output that does not exist yet is no
/// input's file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Resolves `.`, `..` and links; hard links are not detected here.
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

fn is_project_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("onemap"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("onemap-output-guard-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_same_file_by_another_path_is_refused() {
        let dir = scratch("same");
        let input = dir.join("p.onemap");
        std::fs::write(&input, "x").unwrap();
        let dotted = dir.join(".").join("p.onemap");
        let err = check_output(&dotted, [input.as_path()], Writes::Project).unwrap_err();
        assert!(
            err.to_string().contains("is also an input of this command"),
            "{err}"
        );
        #[cfg(unix)]
        {
            let hard = dir.join("hard.geojson");
            std::fs::hard_link(&input, &hard).unwrap();
            assert!(check_output(&hard, [input.as_path()], Writes::Other("GeoJSON")).is_err());
        }
        let other = dir.join("q.onemap");
        assert!(check_output(&other, [input.as_path()], Writes::Project).is_ok());
        std::fs::write(&other, "x").unwrap();
        assert!(
            check_output(&other, [input.as_path()], Writes::Project).is_ok(),
            "an existing file that is not an input may be replaced"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_output_is_compared_without_waiting_for_a_writer() {
        let dir = scratch("fifo");
        let input = dir.join("p.onemap");
        std::fs::write(&input, "x").unwrap();
        let fifo = dir.join("pipe.geojson");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opening the FIFO to compare would block here for ever.
        assert!(check_output(&fifo, [input.as_path()], Writes::Other("GeoJSON")).is_ok());
    }

    #[test]
    fn a_project_name_is_only_for_projects() {
        let out = Path::new("does-not-exist/out.ONEMAP");
        let err = check_output(out, [], Writes::Other("GeoJSON")).unwrap_err();
        assert!(err.to_string().contains("writes GeoJSON"), "{err}");
        assert!(check_output(out, [], Writes::Project).is_ok());
        assert!(check_output(Path::new("out.geojson"), [], Writes::Other("GeoJSON")).is_ok());
    }
}
