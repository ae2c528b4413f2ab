//! `onemap info` and `onemap convert`: what the import dialog detects in a data file, and
//! conversion between the formats OneMap reads and writes, like `ogrinfo` and `ogr2ogr`.

use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::io::data_file::{TableCrs, geometry_types, table_crs, table_to_wgs84, wgs84_extent};
use crate::io::formats::{self, DataTable, Dataset, ReadOptions, WriteOptions, encoding};
use crate::io::output_guard::{Writes, check_output};
use crate::model::crs::Crs;

/// The input choices shared by `info` and `convert`, as the user typed them.
pub struct InputChoices<'a> {
    pub crs: Option<&'a str>,
    pub encoding: Option<&'a str>,
    pub layer: Option<&'a str>,
}

struct Parsed {
    crs: Option<Crs>,
    options: ReadOptions<'static>,
}

fn parse_choices(choices: &InputChoices) -> Result<Parsed, String> {
    let crs = match choices.crs {
        Some(text) => Some(Crs::parse(text).map_err(|e| format!("--crs {text}: {e}"))?),
        None => None,
    };
    let encoding = match choices.encoding {
        Some(label) => Some(encoding::from_label(label).ok_or_else(|| {
            format!("--encoding {label}: not an encoding OneMap knows (try gbk or utf-8)")
        })?),
        None => None,
    };
    Ok(Parsed {
        crs,
        options: ReadOptions {
            encoding,
            table: choices.layer.map(str::to_owned),
            ..ReadOptions::default()
        },
    })
}

fn open(file: &Path, choices: &InputChoices) -> Result<(Dataset, Option<Crs>), String> {
    let parsed = parse_choices(choices)?;
    let dataset = formats::read(file, &parsed.options).map_err(|e| e.to_string())?;
    if let Some(layer) = choices.layer
        && !dataset.tables.iter().any(|t| t.name == layer)
    {
        let names: Vec<&str> = dataset.tables.iter().map(|t| t.name.as_str()).collect();
        return Err(format!(
            "{}: has no layer {layer}; its layers are: {}",
            file.display(),
            names.join(", ")
        ));
    }
    Ok((dataset, parsed.crs))
}

/// `onemap info FILE`: exit 0 when the file can be read, 2 when it cannot.
#[allow(clippy::print_stdout)]
pub fn info(file: &Path, choices: &InputChoices, json: bool) -> ExitCode {
    let (dataset, chosen) = match open(file, choices) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let tables: Vec<Value> = dataset
        .tables
        .iter()
        .filter(|t| choices.layer.is_none_or(|l| t.name == l))
        .map(|t| table_info(t, chosen.as_ref()))
        .collect();
    let report = json!({
        "file": file.display().to_string(),
        "format": dataset.format.name(),
        "layers": tables,
    });
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", info_text(&report));
    }
    ExitCode::SUCCESS
}

fn table_info(table: &DataTable, chosen: Option<&Crs>) -> Value {
    let crs = table_crs(table, chosen);
    let wgs84_extent = crs
        .crs
        .as_ref()
        .and_then(|c| wgs84_extent(table, c))
        .map(|r| json!([r.min().x, r.min().y, r.max().x, r.max().y]));
    let types: serde_json::Map<String, Value> = geometry_types(&table.features)
        .into_iter()
        .map(|(k, n)| (k.to_owned(), json!(n)))
        .collect();
    json!({
        "name": table.name,
        "features": table.features.len(),
        "geometry_types": types,
        "fields": table.fields.iter().map(|f| json!({"name": f.name, "type": f.kind.name()})).collect::<Vec<_>>(),
        "encoding": table.encoding.map(|e| json!({
            "name": encoding::display_name(e.encoding),
            "source": match e.source {
                formats::EncodingSource::Declared => "declared",
                formats::EncodingSource::Guessed => "guessed",
                formats::EncodingSource::Chosen => "chosen",
            },
        })),
        "crs": crs_json(&crs),
        "extent_wgs84": wgs84_extent,
        "skipped": table.skipped,
    })
}

fn crs_json(crs: &TableCrs) -> Value {
    json!({
        "name": crs.crs.as_ref().map(Crs::label),
        "epsg": crs.crs.as_ref().and_then(Crs::epsg),
        "source": crs.source.word(),
        "problem": crs.problem,
        "candidates": crs.guesses.iter().map(|g| json!({
            "name": g.crs.label(),
            "epsg": g.crs.epsg(),
            "reason": g.reason,
        })).collect::<Vec<_>>(),
    })
}

/// The report in lines, like `ogrinfo -so`.
fn info_text(report: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = format!("{}: {}\n", s(&report["file"]), s(&report["format"]));
    for t in report["layers"].as_array().into_iter().flatten() {
        let types: Vec<String> = t["geometry_types"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        out += &format!(
            "layer {}: {} features ({})\n",
            s(&t["name"]),
            t["features"],
            types.join(", ")
        );
        if t["encoding"].is_object() {
            let e = &t["encoding"];
            out += &format!("  encoding: {} ({})\n", s(&e["name"]), s(&e["source"]));
        }
        let crs = &t["crs"];
        match crs["name"].as_str() {
            Some(name) => out += &format!("  CRS: {name} ({})\n", s(&crs["source"])),
            None => out += "  CRS: unknown\n",
        }
        if let Some(problem) = crs["problem"].as_str() {
            out += &format!("  CRS problem: {problem}\n");
        }
        for c in crs["candidates"].as_array().into_iter().flatten().skip(1) {
            out += &format!("  CRS candidate: {} ({})\n", s(&c["name"]), s(&c["reason"]));
        }
        if let Some(e) = t["extent_wgs84"].as_array() {
            let n: Vec<String> = e
                .iter()
                .map(|v| format!("{:.6}", v.as_f64().unwrap_or(f64::NAN)))
                .collect();
            out += &format!(
                "  extent (WGS84): {}, {} – {}, {}\n",
                n[0], n[1], n[2], n[3]
            );
        }
        out += "  fields:\n";
        for f in t["fields"].as_array().into_iter().flatten() {
            out += &format!("    {}: {}\n", s(&f["name"]), s(&f["type"]));
        }
        for line in t["skipped"].as_array().into_iter().flatten() {
            out += &format!("  skipped: {}\n", s(line));
        }
    }
    out
}

/// Output choices of `convert`.
pub struct OutputChoices<'a> {
    pub crs: Option<&'a str>,
    pub encoding: Option<&'a str>,
}

/// `onemap convert IN OUT`: exit 0 when written, 2 on any error, with nothing written.
#[allow(clippy::print_stdout)]
pub fn convert(
    input: &Path,
    out: &Path,
    choices: &InputChoices,
    output: &OutputChoices,
    data: Option<&Path>,
) -> ExitCode {
    match try_convert(input, out, choices, output, data) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn try_convert(
    input: &Path,
    out: &Path,
    choices: &InputChoices,
    output: &OutputChoices,
    data: Option<&Path>,
) -> Result<String, String> {
    check_output(out, [input], Writes::Other("the converted file")).map_err(|e| e.to_string())?;
    let out_format = formats::Format::of_path(out).ok_or_else(|| {
        format!(
            "{}: the output's extension names no format OneMap writes (.geojson, .shp, .gpkg, .kml, .kmz, .csv)",
            out.display()
        )
    })?;
    if !out_format.writable() {
        return Err(format!(
            "{}: OneMap does not write {}",
            out.display(),
            out_format.name()
        ));
    }
    let target = match output.crs {
        Some(text) => Some(Crs::parse(text).map_err(|e| format!("--to-crs {text}: {e}"))?),
        None => None,
    };
    let out_encoding = match output.encoding {
        Some(label) => Some(encoding::from_label(label).ok_or_else(|| {
            format!("--to-encoding {label}: not an encoding OneMap knows (gbk or utf-8)")
        })?),
        None => None,
    };
    let mut tables = Vec::new();
    if is_project(input) {
        for table in project_tables(input, data)?
            .into_iter()
            .filter(|t| choices.layer.is_none_or(|l| t.name == l))
        {
            tables.push(match &target {
                Some(target) => crate::io::data_file::from_wgs84(input, table, target)
                    .map_err(|e| e.to_string())?,
                None => table,
            });
        }
    } else {
        let (dataset, chosen) = open(input, choices)?;
        for table in dataset
            .tables
            .into_iter()
            .filter(|t| choices.layer.is_none_or(|l| t.name == l))
        {
            tables.push(table_in(input, table, chosen.as_ref(), target.as_ref())?);
        }
    }
    if tables.is_empty() {
        return Err(format!(
            "{}: has no layer {}",
            input.display(),
            choices.layer.unwrap_or_default()
        ));
    }
    let options = WriteOptions {
        encoding: out_encoding,
        crs_wkt: match &target {
            Some(t) => Some(t.to_wkt().map_err(|e| format!("--to-crs: {e}"))?),
            None => None,
        },
        crs_epsg: target.as_ref().and_then(Crs::epsg),
    };
    formats::write(out, &tables, &options).map_err(|e| e.to_string())?;
    let features: usize = tables.iter().map(|t| t.features.len()).sum();
    Ok(format!(
        "wrote {} ({} layer{}, {features} feature{}, {})",
        out.display(),
        tables.len(),
        if tables.len() == 1 { "" } else { "s" },
        if features == 1 { "" } else { "s" },
        target.as_ref().map_or("WGS84".to_owned(), Crs::label)
    ))
}

fn is_project(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onemap"))
}

/// A project's placements, plan layers (with its sketches) and data layers, as tables.
fn project_tables(input: &Path, data: Option<&Path>) -> Result<Vec<DataTable>, String> {
    let project = crate::io::load_project(input).map_err(|e| e.to_string())?;
    let dir = super::data_dir(data)?;
    let plan = crate::io::read_plan(
        &dir.layers(),
        crate::model::Region::SHANGHAI_METROPOLITAN_AREA,
    )
    .map_err(|e| e.to_string())?
    .plan;
    let project_dir = input.parent().unwrap_or(Path::new("."));
    let mut data_layers = Vec::new();
    for (id, layer) in &project.sketch_layers {
        let features = crate::io::sketch::load_sketch(project_dir, id, layer)
            .map_err(|e| format!("{}: data layer {id}: {e}", input.display()))?;
        data_layers.push((id.clone(), features));
    }
    Ok(crate::io::project_tables::project_tables(
        &project,
        &plan,
        &data_layers,
    ))
}

/// One table converted into WGS84 (and then into `target`, when given), in place.
fn table_in(
    input: &Path,
    table: DataTable,
    chosen: Option<&Crs>,
    target: Option<&Crs>,
) -> Result<DataTable, String> {
    let crs = table_crs(&table, chosen);
    let Some(source) = crs.usable_without_asking() else {
        return Err(unknown_crs_message(input, &table, &crs));
    };
    let source = source.clone();
    let mut converted = table;
    table_to_wgs84(input, &mut converted, &source).map_err(|e| e.to_string())?;
    converted.crs = formats::DeclaredCrs::Epsg(4326);
    if let Some(target) = target {
        converted = crate::io::data_file::from_wgs84(input, converted, target)
            .map_err(|e| e.to_string())?;
        converted.crs = match target.epsg() {
            Some(code) => formats::DeclaredCrs::Epsg(code),
            None => formats::DeclaredCrs::Wkt(target.to_wkt().map_err(|e| e.to_string())?),
        };
    }
    Ok(converted)
}

fn unknown_crs_message(input: &Path, table: &DataTable, crs: &TableCrs) -> String {
    let mut text = format!(
        "{}: layer {}: its coordinate system is not declared",
        input.display(),
        table.name
    );
    if let Some(problem) = &crs.problem {
        text = format!("{}: layer {}: {problem}", input.display(), table.name);
    }
    match crs.guesses.first() {
        Some(best) => {
            let flag = best
                .crs
                .epsg()
                .map_or_else(|| "a PROJ string".to_owned(), |c| format!("EPSG:{c}"));
            text += &format!(
                "; its coordinates look like {} ({}): confirm with --crs {flag}, or give another",
                best.crs.label(),
                best.reason
            );
        }
        None => text += "; give it with --crs EPSG:N or a PROJ string",
    }
    text
}
