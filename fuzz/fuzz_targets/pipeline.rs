//! Past loading: any bytes that load as a project go on through what `onemap check` and
//! `onemap export` do with it (the checks, the document, a small slide of its view and of its
//! first scenes, painted to pixels and to SVG) without a panic. The crashes issue 15 found lived
//! here, after a loader that said OK.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use onemap::doc::AppData;
use onemap::io::DataDir;
use onemap::io::project_file::parse_project;
use onemap::model::checks::{run_checks, unacknowledged};
use onemap::present::export::{Canvas, render_project_slide};
use onemap::present::render::encode_png;

/// The repository's plan, basemap and style, read once: every input is drawn over them.
fn app_data() -> &'static AppData {
    static DATA: OnceLock<AppData> = OnceLock::new();
    DATA.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        AppData::load(&DataDir::at(root)).expect("the repository's data loads")
    })
}

/// How many of a project's scenes are painted per input, beside its own view: enough to reach
/// scene settings (zoom, layers, legend), few enough to keep the fuzzer fast.
const SCENES_PAINTED: usize = 2;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are tried too, with the bad bytes replaced.
    let text = &*String::from_utf8_lossy(data);
    let path = Path::new("fuzz.onemap");
    let Ok(project) = parse_project(path, text) else {
        return;
    };
    let app = app_data();
    if let Some(edition) = &app.edition {
        let findings = run_checks(&project, &app.plan, edition);
        let _ = unacknowledged(&findings, &project);
    }
    let canvas = Canvas::pixels(96, 64).expect("a small canvas is valid");
    let scenes = project.scenes.iter().take(SCENES_PAINTED).map(|s| Some(s.name.clone()));
    for scene in std::iter::once(None).chain(scenes) {
        let rendered = render_project_slide(app, project.clone(), path, scene.as_deref(), canvas)
            .expect("a loaded project's own scene renders");
        let _svg = rendered.to_svg();
        let png = encode_png(&rendered.to_image(egui::Color32::WHITE));
        assert!(png.is_ok(), "a rendered slide encodes as PNG");
    }
});
