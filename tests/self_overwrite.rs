//! Issue 15: no command writes over its own input, and only a command that writes a project
//! writes to a name ending in `.onemap`. Refused with exit code 2, and nothing is written.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{onemap, root};

use std::path::{Path, PathBuf};

use onemap::io::DataDir;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-overwrite-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn default_text() -> String {
    std::fs::read_to_string(DataDir::at(root()).default_project()).unwrap()
}

fn str_path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn export_geojson_never_writes_over_its_project() {
    let dir = scratch("self-overwrite");
    let project = dir.join("p.onemap");
    std::fs::write(&project, default_text()).unwrap();
    let before = bytes(&project);
    let dotted = dir.join(".").join("p.onemap");
    for out in [&project, &dotted] {
        let (code, _, err) = onemap(&["export-geojson", str_path(&project), str_path(out)]);
        assert_eq!(code, 2, "{}: {err}", out.display());
        assert!(err.contains("is also an input of this command"), "{err}");
        assert_eq!(bytes(&project), before, "the project is untouched");
    }
    #[cfg(unix)]
    {
        let link = dir.join("link.geojson");
        std::os::unix::fs::symlink(&project, &link).unwrap();
        let (code, _, err) = onemap(&["export-geojson", str_path(&project), str_path(&link)]);
        assert_eq!(code, 2, "through a symlink: {err}");
        assert_eq!(bytes(&project), before);
    }
    assert!(!dir.join("p.onemap.bak").exists());
}

#[test]
fn export_geojson_refuses_an_output_named_like_a_project() {
    let dir = scratch("onemap-ext");
    let project = dir.join("p.onemap");
    std::fs::write(&project, default_text()).unwrap();
    let out = dir.join("other.onemap");
    let (code, _, err) = onemap(&["export-geojson", str_path(&project), str_path(&out)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(".onemap"), "{err}");
    assert!(!out.exists(), "nothing is written");

    let geojson = dir.join("p.geojson");
    let (code, _, err) = onemap(&["export-geojson", str_path(&project), str_path(&geojson)]);
    assert_eq!(code, 0, "a GeoJSON name is fine: {err}");
}

#[test]
fn export_geojson_never_writes_over_a_sketch_layer_it_reads() {
    let dir = scratch("sketch-input");
    let sketch = dir.join("roads.geojson");
    let sketch_text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"r"},"geometry":{"type":"LineString","coordinates":[[121.0,31.0],[121.1,31.1]]}}]}"#;
    std::fs::write(&sketch, sketch_text).unwrap();
    let project = dir.join("p.onemap");
    let text = default_text().replacen(
        "    sketch_layers: {},",
        r#"    sketch_layers: {"roads": (name: "roads", source: Referenced("roads.geojson"))},"#,
        1,
    );
    assert!(text.contains("roads.geojson"));
    std::fs::write(&project, text).unwrap();
    let (code, _, err) = onemap(&["export-geojson", str_path(&project), str_path(&sketch)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is also an input of this command"), "{err}");
    assert_eq!(std::fs::read_to_string(&sketch).unwrap(), sketch_text);
}

#[test]
fn merge_never_writes_over_one_of_its_inputs() {
    let dir = scratch("merge-self");
    let [base, mine, theirs] = ["base", "mine", "theirs"].map(|n| {
        let p = dir.join(format!("{n}.onemap"));
        std::fs::write(&p, default_text()).unwrap();
        p
    });
    for out in [&base, &mine, &theirs] {
        let (code, _, err) = onemap(&[
            "merge",
            str_path(&base),
            str_path(&mine),
            str_path(&theirs),
            "-o",
            str_path(out),
        ]);
        assert_eq!(code, 2, "-o {}: {err}", out.display());
        assert!(err.contains("is also an input of this command"), "{err}");
        assert!(
            !dir.join(format!(
                "{}.bak",
                out.file_name().unwrap().to_str().unwrap()
            ))
            .exists()
        );
    }
    let merged = dir.join("merged.onemap");
    let (code, _, err) = onemap(&[
        "merge",
        str_path(&base),
        str_path(&mine),
        str_path(&theirs),
        "-o",
        str_path(&merged),
    ]);
    assert_eq!(code, 0, "a new project file is fine: {err}");
}

#[test]
fn export_never_writes_over_a_geojson_layer_it_draws() {
    let dir = scratch("export-self");
    // A GeoJSON layer whose name ends in .svg: the export would write its SVG over it.
    let layer = dir.join("layer.svg");
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[121.0,31.0]}}]}"#;
    std::fs::write(&layer, text).unwrap();
    let (code, _, err) = onemap(&[
        "export",
        "--geojson",
        str_path(&layer),
        "--out",
        str_path(&layer),
        "--width",
        "64",
        "--height",
        "36",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is also an input of this command"), "{err}");
    assert_eq!(std::fs::read_to_string(&layer).unwrap(), text);
}
