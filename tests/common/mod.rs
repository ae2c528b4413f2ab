//! Helpers shared by the integration tests.

use std::path::Path;
use std::process::Command;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `onemap` binary on the repository's data: exit code, stdout, stderr.
pub fn onemap(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(args)
        .arg("--data")
        .arg(root())
        .output()
        .expect("the onemap binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
