//! An export's memory stays bounded at any zoom (issue 15: dashed lines were cut into dashes
//! along their whole length, on screen or not, and an export at zoom 22 took 2.5 GiB). The
//! corridors scene of the default project is exported at zooms 12, 16, 20 and the map's maximum,
//! centred on Suzhou where corridors, zones and greenways cross, and each process's peak
//! resident memory is read from its own rusage.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")]

mod common;
use common::{root, run_measured};

use onemap::io::{DataDir, load_project, save_project};
use onemap::model::project::MapView;

/// The bar the issue sets for the default project, at any zoom.
const BAR: u64 = 300 << 20;

#[test]
fn the_corridors_scene_exports_within_300_mib_at_any_zoom() {
    let dir = std::env::temp_dir().join(format!("onemap-zoom-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = load_project(&DataDir::at(root()).default_project()).unwrap();
    for zoom in [12.0, 16.0, 20.0, 26.0] {
        let mut project = base.clone();
        let scene = project
            .scenes
            .iter_mut()
            .find(|s| s.name == "corridors")
            .expect("the default project has the corridors scene");
        scene.view = Some(MapView {
            center: (120.62, 31.30),
            zoom,
        });
        let path = dir.join(format!("zoom-{zoom}.onemap"));
        save_project(&path, &project).unwrap();
        let out = dir.join(format!("zoom-{zoom}.png"));
        let (code, peak) = run_measured(&[
            "export",
            path.to_str().unwrap(),
            "--scene",
            "corridors",
            "--out",
            out.to_str().unwrap(),
            "--width",
            "1920",
            "--height",
            "1080",
            "--data",
            root().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "export at zoom {zoom}");
        assert!(
            peak <= BAR,
            "export at zoom {zoom} peaked at {} MiB",
            peak >> 20
        );
        eprintln!("zoom {zoom}: {} MiB", peak >> 20);
    }
    if std::env::var_os("ONEMAP_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
