//! One GeoJSON file, one report: every path that reads GeoJSON, in the library and on the
//! command line, finds the same problems in the same file (issue 14, part 2).
//!
//! Each path is asked what it says about each fixture: the entries it did not read, as
//! "feature N …" lines, or the error that stopped it (with the file's name taken out). The
//! reader's report is the reference, and each path is held to it by its policy:
//! - reporting paths (the reader, the sketch import, a project's sketch layer, `validate` of
//!   the file or of a project that refers to it, the warnings of `export-geojson`) list every
//!   entry not read;
//! - paths that refuse a file with problems (a plan layer, the basemap, `export --geojson`)
//!   list them all in their error. A plan layer needs a geometry in every feature, so it
//!   refuses a `"geometry": null` too; a drawing has nothing to show for one and goes on.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{onemap, root};
use onemap::io::IoError;
use onemap::io::geojson_import::{
    ImportOptions, Progress, import_geojson_file, import_geojson_str,
};
use onemap::io::geojson_reader::{
    self as reader, Feature, GeoJson, PropertiesMode, ReadOptions, read_bytes, read_file, read_str,
};
use onemap::io::sketch::load_sketch_with_report;
use onemap::model::project::{SketchLayer, SketchSource};

/// What a path says about a file.
type Said = Result<Vec<String>, String>;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onemap-paths-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// An error's text without the names the file goes by, so that paths can be compared.
fn error_text(text: &str, names: &[&str]) -> String {
    names
        .iter()
        .fold(text.trim().to_owned(), |t, n| t.replace(n, "FILE"))
}

/// An error that lists entries, one line each ("FILE: feature 1 …"), as those lines; any other
/// error as its text.
fn from_error(text: &str, names: &[&str]) -> Said {
    let text = error_text(text, names);
    let listed: Vec<String> = text
        .lines()
        .filter_map(|l| l.find("FILE: feature ").map(|at| l[at + 6..].to_owned()))
        .collect();
    if listed.is_empty() {
        Err(text)
    } else {
        Ok(listed)
    }
}

fn lines(problems: &[reader::Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

fn from_io<T>(
    result: Result<T, IoError>,
    on_ok: impl FnOnce(T) -> Vec<String>,
    names: &[&str],
) -> Said {
    match result {
        Ok(v) => Ok(on_ok(v)),
        Err(IoError::Features { problems, .. }) => Ok(lines(&problems)),
        Err(e) => from_error(&e.to_string(), names),
    }
}

fn report<T>(file: GeoJson<T>) -> Vec<String> {
    lines(&file.report.problems)
}

/// A project with one sketch layer, `s`, that refers to `file`.
fn project_with_sketch(dir: &Path, file: &Path) -> PathBuf {
    let mut project =
        onemap::io::load_project(&root().join("assets/projects/sma-2022.onemap")).unwrap();
    project.sketch_layers.insert(
        "s".into(),
        SketchLayer {
            name: "s".into(),
            source: SketchSource::Referenced(file.display().to_string()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        },
    );
    let path = dir.join("with-sketch.onemap");
    onemap::io::save_project(&path, &project).unwrap();
    path
}

/// Every path's answer, by name.
fn every_path(file: &Path, dir: &Path) -> Vec<(&'static str, Said)> {
    let shown = file.display().to_string();
    let names: &[&str] = &[&shown, "sketch layer s"];
    let bytes = std::fs::read(file).unwrap();
    let text = String::from_utf8(bytes.clone()).ok();
    let keep = |f: Feature| f;
    let progress = Progress::default();
    let mut said: Vec<(&'static str, Said)> = vec![
        (
            "reader, properties kept",
            from_io(
                read_file(file, &ReadOptions::new(PropertiesMode::Keep), keep),
                report,
                names,
            ),
        ),
        (
            "reader, properties skipped",
            from_io(
                read_file(file, &ReadOptions::new(PropertiesMode::Skip), keep),
                report,
                names,
            ),
        ),
        (
            "reader, with progress",
            from_io(
                read_file(
                    file,
                    &ReadOptions {
                        progress: Some(&progress),
                        ..ReadOptions::new(PropertiesMode::Keep)
                    },
                    keep,
                ),
                report,
                names,
            ),
        ),
        (
            "reader, bytes",
            from_io(
                read_bytes(file, &bytes, &ReadOptions::new(PropertiesMode::Skip), keep),
                report,
                names,
            ),
        ),
        (
            "sketch import",
            from_io(
                import_geojson_file(file, ImportOptions::default(), &Progress::default()),
                |l| lines(&l.report.skipped),
                names,
            ),
        ),
        (
            "plan layer",
            from_io(onemap::io::read_layer(file), |_| vec![], names),
        ),
        (
            "basemap",
            from_io(onemap::io::read_basemap(file), |_| vec![], names),
        ),
        (
            "export --geojson (library)",
            from_io(reader::read_geometries(file), |_| vec![], names),
        ),
    ];
    if let Some(text) = &text {
        said.push((
            "reader, text",
            from_io(
                read_str(file, text, PropertiesMode::Keep, keep),
                report,
                names,
            ),
        ));
        said.push((
            "sketch import, text",
            from_io(
                import_geojson_str(file, text, ImportOptions::default()),
                |l| lines(&l.report.skipped),
                names,
            ),
        ));
        said.push((
            "plan layer, text",
            from_io(
                onemap::io::layer_file::parse_layer(file, text),
                |_| vec![],
                names,
            ),
        ));
        let embedded = SketchLayer {
            name: "s".into(),
            source: SketchSource::Embedded(text.clone()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        };
        said.push((
            "embedded sketch layer",
            from_io(
                load_sketch_with_report(dir, "s", &embedded),
                |(_, l)| lines(&l.report.skipped),
                names,
            ),
        ));
    }
    let referenced = SketchLayer {
        name: "s".into(),
        source: SketchSource::Referenced(shown.clone()),
        visible: true,
        opacity: 1.0,
        choices: Default::default(),
        label_field: None,
    };
    said.push((
        "referenced sketch layer",
        from_io(
            load_sketch_with_report(dir, "s", &referenced),
            |(_, l)| lines(&l.report.skipped),
            names,
        ),
    ));
    said.extend(command_line(file, dir, names));
    said
}

/// The subcommands: `validate` on the file and on a project that refers to it, `export
/// --geojson`, and `export-geojson` of that project.
fn command_line(file: &Path, dir: &Path, names: &[&str]) -> Vec<(&'static str, Said)> {
    let shown = names[0];
    let (code, out, err) = onemap(&["validate", shown]);
    let validate = match code {
        0 | 1 => Ok(out
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{shown}: ")))
            .filter(|l| l.starts_with("feature "))
            .map(str::to_owned)
            .collect()),
        _ => Err(error_text(&err, names)),
    };
    let image = dir.join("x.png");
    let (code, _, err) = onemap(&[
        "export",
        "--geojson",
        shown,
        "--out",
        image.to_str().unwrap(),
        "--width",
        "64",
        "--height",
        "48",
    ]);
    let export = if code == 0 {
        Ok(vec![])
    } else {
        from_error(&err, names)
    };
    let project = project_with_sketch(dir, file);
    let project_shown = project.display().to_string();
    let (_, out, _) = onemap(&["validate", &project_shown]);
    let prefix = format!("{project_shown}: sketch layer s: ");
    let in_project = out.find(&prefix).map_or(Ok(vec![]), |at| {
        from_error(&out[at + prefix.len()..], names)
    });
    let (code, _, err) = onemap(&[
        "export-geojson",
        &project_shown,
        dir.join("out.geojson").to_str().unwrap(),
    ]);
    assert_eq!(
        code, 0,
        "the placements are exported whatever the sketch: {err}"
    );
    let warning = "warning: sketch layer s not exported: ";
    let exported = match err.find(warning) {
        Some(at) => from_error(&err[at + warning.len()..], names),
        None if err.contains("warning: sketch layer s: ") => from_error(&err, names),
        None => Ok(vec![]),
    };
    vec![
        ("onemap validate FILE", validate),
        ("onemap export --geojson FILE", export),
        ("onemap validate PROJECT (sketch layer)", in_project),
        ("onemap export-geojson PROJECT (sketch layer)", exported),
    ]
}

/// What a path with the given policy must say, from what the reader reports.
fn expected(path: &str, reference: &Said) -> Option<Said> {
    // A referenced data layer in a projected CRS is read through the data-file path (issue
    // 17), which proposes the CRS for the user to confirm instead of refusing the file; so
    // are the commands that read a project's data layers.
    if path.contains("sketch layer")
        && reference
            .as_ref()
            .is_err_and(|e| e.contains("is probably in a projected coordinate system"))
    {
        return None;
    }
    let Ok(problems) = reference else {
        return Some(reference.clone());
    };
    let refuses_all = path.starts_with("plan layer") || path == "basemap";
    let refuses_errors = path.starts_with("export") || path == "onemap export --geojson FILE";
    let has_errors = problems.iter().any(|p| !p.ends_with("has no geometry"));
    if refuses_all {
        // With nothing wrong, a plan layer and the basemap have rules of their own (ids, kinds).
        return (!problems.is_empty()).then(|| reference.clone());
    }
    if refuses_errors && !has_errors {
        return Some(Ok(vec![]));
    }
    Some(reference.clone())
}

fn check(file: &Path) -> Said {
    let dir = scratch(&format!(
        "check-{}",
        file.file_stem().unwrap().to_str().unwrap()
    ));
    let said = every_path(file, &dir);
    let reference = said[0].1.clone();
    for (path, what) in &said {
        if let Some(expected) = expected(path, &reference) {
            assert_eq!(what, &expected, "{}: {path}", file.display());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    reference
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

#[test]
fn every_path_reports_the_same_problems_in_all_geometries() {
    assert_eq!(
        check(&fixture("all_geometries.geojson")).unwrap(),
        [
            "feature 7 has no geometry",
            "feature 8 has a polygon ring that is not closed",
            "feature 9 is not a Feature",
        ]
    );
}

#[test]
fn the_subcommands_keep_their_exit_codes() {
    let dir = scratch("exit-codes");
    let image = dir.join("x.png");
    let image = image.to_str().unwrap();
    let export = |file: &str| {
        onemap(&[
            "export",
            "--geojson",
            file,
            "--out",
            image,
            "--width",
            "64",
            "--height",
            "48",
        ])
        .0
    };
    let validate = |file: &str| onemap(&["validate", file]).0;
    let [all, null, projected] = [
        "all_geometries.geojson",
        "null_geometry.geojson",
        "projected.geojson",
    ]
    .map(|f| fixture(f).to_str().unwrap().to_owned());
    assert_eq!(
        (validate(&all), export(&all)),
        (1, 2),
        "problems: validate 1, export refuses"
    );
    assert_eq!(
        (validate(&null), export(&null)),
        (0, 0),
        "a null geometry is fine"
    );
    assert_eq!(
        (validate(&projected), export(&projected)),
        (2, 2),
        "unreadable"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_path_reports_each_rule_the_same_way() {
    assert_eq!(
        check(&fixture("problems.geojson")).unwrap(),
        [
            "feature 1 (bad.open-ring) has a polygon ring that is not closed",
            "feature 2 (bad.short-ring) has a polygon ring of 3 positions; a ring needs at least 4",
            "feature 3 (bad.short-line) has a line of 1 position; a line needs at least 2",
            "feature 4 (bad.short-position) has a position of 1 number; it needs longitude and latitude",
            "feature 5 (bad.text-coordinate) has a coordinate that is not a number",
            "feature 6 (bad.unknown-type) has a geometry of unknown type `Circle`",
            "feature 7 (bad.nesting) has MultiPolygon coordinates nested wrongly",
            "feature 8 has properties that are not an object",
            "feature 9 is not a Feature",
            "feature 10 is not a JSON object",
            "feature 11 (bad.nested-open-ring) has a polygon ring that is not closed",
            "feature 12 (no.geometry) has no geometry",
        ]
    );
}

#[test]
fn a_null_geometry_is_valid_and_reported_everywhere_it_matters() {
    assert_eq!(
        check(&fixture("null_geometry.geojson")).unwrap(),
        ["feature 1 (a.placeholder) has no geometry"]
    );
    let (code, out, _) = onemap(&[
        "validate",
        fixture("null_geometry.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "RFC 7946 §3.2: {out}");
    assert!(
        out.ends_with("OK, 2 features read, 1 without geometry\n"),
        "{out}"
    );
}

#[test]
fn a_file_that_cannot_be_read_gives_the_same_error_everywhere() {
    assert_eq!(
        check(&fixture("projected.geojson")).unwrap_err(),
        "FILE: coordinate (351234.5, 3456789) is outside ±180/±90; the file is probably in a projected coordinate system and must be reprojected to WGS84 (EPSG:4326) first"
    );
    // As a data layer, the same file is not refused for being projected: its CRS is guessed
    // and offered, to be confirmed.
    let dir = scratch("projected-layer");
    let said = every_path(&fixture("projected.geojson"), &dir);
    let (_, layer) = said
        .iter()
        .find(|(path, _)| *path == "referenced sketch layer")
        .unwrap();
    let why = layer.as_ref().unwrap_err();
    assert!(
        why.contains("coordinate system is unknown") && why.contains("EPSG:"),
        "{why}"
    );
    assert_eq!(
        check(&fixture("truncated.geojson")).unwrap_err(),
        "FILE is not valid JSON at line 3, column 105: EOF while parsing a list at line 3 column 105"
    );
    let dir = scratch("latin1");
    let latin1 = dir.join("latin1.geojson");
    let mut bytes = br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "S"#.to_vec();
    bytes.extend_from_slice(b"\xe3o Paulo\"}, \"geometry\": null}]}");
    std::fs::write(&latin1, bytes).unwrap();
    assert_eq!(
        check(&latin1).unwrap_err(),
        "FILE: not UTF-8 text (an invalid byte at line 1, column 89)"
    );
}

#[test]
fn a_directory_or_a_fifo_is_refused_by_validate_without_waiting() {
    let dir = scratch("not-a-file");
    let (code, _, err) = onemap(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.trim_end().ends_with("is a directory"), "{err}");
    let folder_named_geojson = dir.join("folder.geojson");
    std::fs::create_dir_all(&folder_named_geojson).unwrap();
    let (code, _, err) = onemap(&["validate", folder_named_geojson.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.trim_end().ends_with("folder.geojson is a directory"),
        "{err}"
    );
    #[cfg(unix)]
    for name in ["pipe.geojson", "pipe.onemap", "pipe"] {
        let fifo = dir.join(name);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            continue;
        }
        // Nobody writes to the FIFO: a reader of it would wait forever.
        let (code, _, err) = onemap(&["validate", fifo.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}");
        assert!(err.contains("is not a regular file"), "{name}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
