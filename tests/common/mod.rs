//! Helpers shared by the integration tests.
// Each test crate uses some of them.
#![allow(dead_code)]

pub mod huge;
pub mod loopback;
pub mod pointer;
pub mod postgis;
pub mod squares;
pub mod ui_tour;

use std::path::{Path, PathBuf};
use std::process::Command;

use onemap::model::diff::{Change, ChangeKind, Subject};
use onemap::model::project::{PlacementGeometry, PlacementId, Project};

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

/// `onemap export PROJECT --out OUT --width W --height H --basemap BASEMAP`, which must
/// succeed; what it printed on stderr.
pub fn export_on_basemap(project: &Path, basemap: &Path, out: &Path, [w, h]: [u32; 2]) -> String {
    let (code, stdout, err) = onemap(&[
        "export",
        &project.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--width",
        &w.to_string(),
        "--height",
        &h.to_string(),
        "--basemap",
        &basemap.to_string_lossy(),
    ]);
    assert_eq!(code, 0, "{stdout}{err}");
    err
}

/// Issue 7's four acceptance edits: the 沪苏湖 railway moved `rail_shift_deg` south, the 淀山湖
/// greenway deleted, an industrial park added (`placement.new-1`), 青草沙 renamed.
pub fn acceptance_edits(project: &mut Project, rail_shift_deg: f64) {
    let pid = |s: &str| PlacementId(s.into());
    let rail = project
        .placements
        .get_mut(&pid("placement.husuhu-railway"))
        .expect("the default project has the 沪苏湖 railway");
    rail.geometry = rail.geometry.translated(0.0, -rail_shift_deg);
    project
        .placements
        .remove(&pid("placement.dianshan-greenway"));
    let mut park = project.placements[&pid("placement.nantong-new-airport")].clone();
    park.name_zh = "苏州工业园新片区".into();
    park.name_en = "Suzhou industrial park extension".into();
    park.action = "industry".into();
    park.geometry = PlacementGeometry::Polygon(vec![vec![
        (120.75, 31.30),
        (120.80, 31.30),
        (120.80, 31.34),
        (120.75, 31.34),
        (120.75, 31.30),
    ]]);
    project.placements.insert(pid("placement.new-1"), park);
    project
        .placements
        .get_mut(&pid("placement.qingcaosha-protection"))
        .expect("the default project has 青草沙")
        .name_zh = "青草沙水源地保护区".into();
}

/// What changed and how, in the order a diff lists it.
pub fn change_kinds(changes: &[Change]) -> Vec<(Subject, ChangeKind)> {
    changes
        .iter()
        .map(|c| (c.subject.clone(), c.kind))
        .collect()
}

/// The exit code and peak resident memory (bytes) of a child process, from its own rusage.
// The child is reaped by `wait4`, which `Child` does not offer, for its rusage.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)]
pub fn run_measured(args: &[&str]) -> (i32, u64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 writes into the two locals only.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: waits for our own child; the pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, u64::try_from(usage.ru_maxrss).unwrap() * 1024)
}

/// Runs `paint` on the default project's corridors slide as an export builds it (the built-in
/// data, the scene's own settings with `hide_indicative` set as asked, a fixed date so that
/// images do not change with the day) and returns what it gives.
pub fn with_corridors_slide<R>(
    hide_indicative: bool,
    paint: impl FnOnce(&onemap::present::export::SlideInputs<'_>, geo::Rect<f64>) -> R,
) -> R {
    use onemap::present::export::{SlideInputs, SlideSpec, find_scene};
    let data = onemap::doc::AppData::load(&onemap::io::DataDir::at(root())).unwrap();
    let project = onemap::io::load_project(&data.dir.default_project()).unwrap();
    let mut spec = SlideSpec::of(&project, Some(find_scene(&project, "corridors").unwrap()));
    spec.settings.hide_indicative = hide_indicative;
    let scene = onemap::map::Scene::build(&data.plan, &data.basemap, &data.style);
    let doc = onemap::doc::Document::new(project, None, &data.style);
    let inputs = SlideInputs {
        plan: &data.plan,
        style: &data.style,
        attribution: &data.attribution,
        scene: &scene,
        doc: &doc,
        spec: &spec,
        high_contrast: false,
        date: "2026-11-28",
    };
    paint(&inputs, onemap::present::plan_area(&data.plan))
}

/// How many items of `layer` the app's last frame drew.
pub fn drawn(h: &egui_kittest::Harness<'_, onemap::app::OneMapApp>, layer: &str) -> usize {
    h.state()
        .last_draw
        .items_per_layer
        .get(layer)
        .copied()
        .unwrap_or(0)
}

/// A copy of the default project in a fresh folder of its own (`onemap-TAG-NAME-PID` in the
/// temporary folder), and an empty recovery-journal folder beside it.
pub fn project_with_journals(tag: &str, name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("onemap-{tag}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.onemap");
    std::fs::copy(root().join("assets/projects/sma-2022.onemap"), &file).unwrap();
    let journals = dir.join("journals");
    std::fs::create_dir_all(&journals).unwrap();
    (file, journals)
}

/// An empty scratch folder for one test: `onemap-PREFIX-PID-NAME` in the temporary folder.
pub fn scratch_dir(prefix: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Whether an oracle program (GDAL, poppler, …) answers `tool version_arg`. Outside CI a
/// missing one skips the check with a note; in CI its absence is a failure, since `.ci/run`
/// installs `package`.
pub fn oracle_installed(tool: &str, version_arg: &str, package: &str) -> bool {
    if Command::new(tool).arg(version_arg).output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{tool} is missing in CI: .ci/run must install {package}"
    );
    eprintln!("{tool} not installed (apt-get install {package}); its checks did not run");
    false
}
