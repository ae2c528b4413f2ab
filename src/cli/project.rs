//! The subcommands that read one plan file or project and report on it: `validate`, `check`
//! and `export-geojson`. Contracts, as every subcommand (see `cli`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::data_dir;
use crate::io::geojson_reader::{PropertiesMode, ReadOptions};
use crate::io::output_guard::{Writes, check_output};
use crate::io::sketch::load_sketch_with_report;
use crate::io::{export, load_project, paths, read_edition, read_plan};
use crate::model::Region;
use crate::model::project_check::project_problems;

fn is_geojson(file: &Path) -> bool {
    match file.extension().and_then(|e| e.to_str()) {
        Some("geojson" | "json") => true,
        Some("onemap") => false,
        // No telling extension: JSON starts with `{`, a project with `(`. Only a regular file is
        // looked into (a FIFO would never answer); anything else is refused by the loader.
        _ => {
            std::fs::metadata(file).is_ok_and(|m| m.is_file())
                && std::fs::File::open(file)
                    .and_then(|f| {
                        let mut head = Vec::new();
                        std::io::Read::read_to_end(&mut std::io::Read::take(f, 4096), &mut head)
                            .map(|_| head)
                    })
                    .ok()
                    .and_then(|b| b.iter().copied().find(|c| !c.is_ascii_whitespace()))
                    == Some(b'{')
        }
    }
}

/// A GeoJSON file's problems, one per line, as every command that reads it finds them.
#[allow(clippy::print_stdout)]
fn validate_geojson(file: &Path) -> ExitCode {
    let shown = file.display();
    let options = ReadOptions::new(PropertiesMode::Skip);
    let read = match crate::io::geojson_reader::read_file(file, &options, |_| ()) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let report = &read.report;
    for p in &report.problems {
        println!("{shown}: {p}");
    }
    let features = read.features.len();
    let without_geometry = report.problems.len() - report.errors().count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut summary = format!("{features} feature{} read", plural(features));
    if without_geometry > 0 {
        summary.push_str(&format!(", {without_geometry} without geometry"));
    }
    if report.has_errors() {
        let errors = report.errors().count();
        println!("{shown}: {summary}, {errors} with problems");
        ExitCode::from(1)
    } else {
        println!("{shown}: OK, {summary}");
        ExitCode::SUCCESS
    }
}

#[allow(clippy::print_stdout)]
pub(super) fn validate(file: &Path, data: Option<&Path>) -> ExitCode {
    let shown = file.display();
    if is_geojson(file) {
        return validate_geojson(file);
    }
    let project = match load_project(file) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut problems = Vec::new();
    match data_dir(data).and_then(|d| {
        let edition = read_edition(&d.edition()).map_err(|e| e.to_string())?;
        let plan = read_plan(&d.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
            .map_err(|e| e.to_string())?
            .plan;
        Ok((edition, plan))
    }) {
        Ok((edition, plan)) => problems.extend(project_problems(&project, &edition, &plan)),
        Err(e) => problems.push(format!(
            "the plan layers could not be read to check against: {e}"
        )),
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    // Lines that are not problems: features without geometry, valid GeoJSON.
    let mut notes = 0;
    for (name, layer) in &project.sketch_layers {
        match load_sketch_with_report(dir, name, layer) {
            Err(e) => problems.push(format!("sketch layer {name}: {e}")),
            // What its import skips, as `validate` on the GeoJSON itself lists it.
            Ok((path, imported)) => {
                for p in &imported.report.skipped {
                    problems.push(format!("{}: {p}", sketch_source(name, &path)));
                    notes += usize::from(!p.is_error());
                }
            }
        }
    }
    for p in &problems {
        println!("{shown}: {p}");
    }
    if problems.len() == notes {
        println!(
            "{shown}: OK, {} placements, {} sketch layers",
            project.placements.len(),
            project.sketch_layers.len()
        );
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// How a line names the GeoJSON of a sketch layer: `sketch layer NAME`, and its file when it
/// has one (the reader names an embedded layer `sketch layer NAME` already).
fn sketch_source(name: &str, path: &Path) -> String {
    let layer = format!("sketch layer {name}");
    if path == Path::new(&layer) {
        layer
    } else {
        format!("{layer}: {}", path.display())
    }
}

#[allow(clippy::print_stdout)]
pub(super) fn export_geojson(project_path: &Path, out: &Path) -> ExitCode {
    let project = match load_project(project_path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let dir = project_path.parent().unwrap_or(Path::new("."));
    let sketch_files: Vec<PathBuf> = project
        .sketch_layers
        .values()
        .filter_map(|l| match &l.source {
            crate::model::project::SketchSource::Referenced(p) => Some(paths::resolve(dir, p)),
            crate::model::project::SketchSource::Embedded(_) => None,
        })
        .collect();
    let inputs = std::iter::once(project_path).chain(sketch_files.iter().map(PathBuf::as_path));
    if let Err(e) = check_output(out, inputs, Writes::Other("GeoJSON")) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let mut sketches = Vec::new();
    for (name, layer) in &project.sketch_layers {
        match load_sketch_with_report(dir, name, layer) {
            Ok((path, imported)) => {
                for p in &imported.report.skipped {
                    eprintln!("warning: {}: {p}", sketch_source(name, &path));
                }
                sketches.push((name.clone(), imported.features));
            }
            // The placements are still worth exporting; the missing layer is named.
            Err(e) => eprintln!("warning: sketch layer {name} not exported: {e}"),
        }
    }
    match export::write_geojson(out, &project, &sketches) {
        Ok(()) => {
            let n = project.placements.len() + sketches.iter().map(|(_, f)| f.len()).sum::<usize>();
            println!("wrote {n} features to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

#[allow(clippy::print_stdout)]
pub(super) fn check(project_path: &Path, json: bool, data: Option<&Path>) -> ExitCode {
    let project = match load_project(project_path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let plan_and_edition = data_dir(data).and_then(|d| {
        let edition = read_edition(&d.edition()).map_err(|e| e.to_string())?;
        let plan = read_plan(&d.layers(), Region::SHANGHAI_METROPOLITAN_AREA)
            .map_err(|e| e.to_string())?
            .plan;
        Ok((edition, plan))
    });
    let (edition, plan) = match plan_and_edition {
        Ok(x) => x,
        Err(e) => {
            eprintln!("the plan layers could not be read to check against: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = crate::model::checks::run_checks(&project, &plan, &edition);
    let open = crate::model::checks::unacknowledged(&findings, &project);
    if json {
        let rows: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| {
                let mut v = serde_json::to_value(f).unwrap_or_default();
                if let (Some(obj), Some(ack)) = (v.as_object_mut(), project.acknowledgements.get(&f.id)) {
                    obj.insert("acknowledged".into(), serde_json::json!({"author": ack.author, "time": ack.time, "reason": ack.reason}));
                }
                v
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
    } else {
        for f in &findings {
            match project.acknowledgements.get(&f.id) {
                Some(ack) => println!(
                    "{}\t{}\tacknowledged by {}: {}",
                    f.id, f.message, ack.author, ack.reason
                ),
                None => println!("{}\t{}", f.id, f.message),
            }
        }
    }
    if open.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
