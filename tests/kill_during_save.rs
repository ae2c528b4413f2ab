//! Issue 15: a save killed at any moment (`kill -9`, no chance to clean up) leaves the project
//! and its `.bak` each whole: the old version or the new one, never a broken or empty file.
//! `onemap merge … -o OUT` saves a project over OUT as the app's Save does (same writer, with a
//! backup); it is killed at moments spread over a whole run.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::root;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use onemap::io::DataDir;

/// Kills that must land while a save runs, spread over the quickest run.
const KILLS: u32 = 60;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-kill-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn merge_into(dir: &Path, out: &Path) -> Command {
    let input = dir.join("in.onemap");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onemap"));
    cmd.arg("merge")
        .args([&input, &input, &input])
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Whether `path` is a whole project, when it exists.
fn whole_or_absent(path: &Path, round: u32) {
    if path.exists()
        && let Err(e) = onemap::io::load_project(path)
    {
        panic!("after kill {round}, {} is broken: {e}", path.display());
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_project_and_its_backup_whole() {
    let dir = scratch();
    std::fs::copy(DataDir::at(root()).default_project(), dir.join("in.onemap")).unwrap();
    let out = dir.join("out.onemap");
    let bak = dir.join("out.onemap.bak");

    // Whole runs: the project exists (so later saves keep a backup), and the quickest run sets
    // where the kills fall (the first run of a process is often the slowest).
    let quickest = (0..5)
        .map(|_| {
            let start = Instant::now();
            assert!(merge_into(&dir, &out).status().unwrap().success());
            start.elapsed()
        })
        .min()
        .unwrap();

    // Kills that land after the command has finished prove nothing, so the test goes on until
    // KILLS of them have landed while it ran, at moments spread over the quickest run.
    let mut killed_in_flight = 0;
    let mut round = 0;
    while killed_in_flight < KILLS {
        assert!(
            round < 20 * KILLS,
            "only {killed_in_flight} of {round} kills landed during a save (quickest run {quickest:?})"
        );
        let delay = quickest.mul_f64(f64::from(round % KILLS) / f64::from(KILLS));
        let mut child = merge_into(&dir, &out).spawn().unwrap();
        std::thread::sleep(delay);
        // SIGKILL: the process gets no chance to clean up.
        if child.try_wait().unwrap().is_none() {
            killed_in_flight += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        assert!(out.exists(), "after kill {round} the project is gone");
        whole_or_absent(&out, round);
        whole_or_absent(&bak, round);
        round += 1;
    }
    // What a kill can leave behind is a hidden temporary file named after the project
    // (`.out.onemap.XXXXXX.saving`), never another name.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let known = ["in.onemap", "out.onemap", "out.onemap.bak"].contains(&name.as_str())
            || (name.starts_with(".out.onemap") && name.ends_with(".saving"))
            || (name.starts_with(".out.onemap.bak") && name.ends_with(".saving"));
        assert!(known, "a kill left {name}");
    }
}
