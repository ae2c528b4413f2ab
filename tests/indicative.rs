//! What is sketched looks sketched (issue 13, part 1): the legend splits sourced from
//! indicative, the map and every slide carry the notice while a sketch is in view, and the
//! View option that hides the sketches takes them off the map, the legend and the exports.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{drawn, onemap, root, with_corridors_slide};

use egui::epaint::ClippedShape;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::map::DrawStats;
use onemap::model::LabelLanguage;
use onemap::model::indicative::{NOTICE_EN, NOTICE_ZH, hide_toggle_text};
use onemap::present::export::{Canvas, find_scene, transform_for};

fn harness() -> Harness<'static, OneMapApp> {
    let data = AppData::load(&DataDir::at(root())).expect("the built-in data loads");
    let project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&project);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

/// Every text painted in the last frame (map labels, legend rows, notices), row by row.
fn painted_texts(shapes: &[ClippedShape]) -> Vec<String> {
    fn collect(shape: &egui::Shape, out: &mut Vec<String>) {
        match shape {
            egui::Shape::Text(t) => out.extend(t.galley.text().lines().map(str::to_owned)),
            egui::Shape::Vec(v) => v.iter().for_each(|s| collect(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for s in shapes {
        collect(&s.shape, &mut out);
    }
    out
}

fn texts(h: &Harness<'_, OneMapApp>) -> Vec<String> {
    painted_texts(&h.output().shapes)
}

#[test]
fn the_legend_splits_sourced_from_sketched_and_the_option_hides_the_sketches() {
    let mut h = harness();
    let shown = texts(&h);
    let has = |texts: &[String], wanted: &str| texts.iter().any(|t| t == wanted);
    // Tier 4 has sourced nodes (松江) and inferred ones (嘉定): two rows.
    assert!(has(&shown, "全球功能性节点 · 依据规划"), "{shown:?}");
    assert!(has(&shown, "全球功能性节点 · 示意"), "{shown:?}");
    // Every corridor is sketched: its entry says so, and so do their labels.
    assert!(has(&shown, "区域发展走廊 · 示意"), "{shown:?}");
    assert!(
        shown.iter().any(|t| t.ends_with("走廊（示意）")),
        "a corridor's label carries the mark: {shown:?}"
    );
    // Sourced features are not marked.
    assert!(has(&shown, "上海主城区"), "{shown:?}");
    assert!(!shown.iter().any(|t| t.starts_with("上海主城区（")));
    // The notice, in both languages, because sketches are in view.
    assert!(h.state().last_draw.indicative > 0);
    assert!(
        has(&shown, NOTICE_ZH) && has(&shown, NOTICE_EN),
        "{shown:?}"
    );
    let corridors = drawn(&h, "corridors");
    assert_eq!(corridors, 12);

    // The View option (a toggle by the label language) hides every sketch, as one undo step.
    h.get_by_label(&hide_toggle_text(LabelLanguage::Chinese))
        .click();
    h.run();
    assert!(h.state().view().hide_indicative);
    assert_eq!(h.state().last_draw.indicative, 0);
    assert_eq!(drawn(&h, "corridors"), 0, "every corridor is a sketch");
    assert_eq!(drawn(&h, "cities"), 9, "sourced layers stay");
    let hidden = texts(&h);
    assert!(
        !has(&hidden, NOTICE_ZH) && !has(&hidden, NOTICE_EN),
        "{hidden:?}"
    );
    assert!(
        !hidden
            .iter()
            .any(|t| t.contains("示意") && !t.contains("隐藏示意"))
    );
    assert!(
        has(&hidden, "全球功能性节点"),
        "tier 4 keeps its sourced nodes, unsplit: {hidden:?}"
    );
    assert!(!has(&hidden, "区域发展走廊 · 示意"));

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(!h.state().view().hide_indicative, "undone");
    assert_eq!(drawn(&h, "corridors"), corridors);
    assert!(has(&texts(&h), NOTICE_ZH));
}

#[test]
fn the_legend_words_follow_the_language() {
    let mut h = harness();
    h.get_by_label("English").click();
    h.run();
    let shown = texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t == "Global functional node · sourced"),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|t| t == "Global functional node · indicative")
    );
    // The notice is bilingual whatever the language.
    assert!(shown.iter().any(|t| t == NOTICE_ZH));
    h.get_by_label("中文 + English").click();
    h.run();
    let shown = texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t == "全球功能性节点 Global functional node · 示意 indicative"),
        "{shown:?}"
    );
}

#[test]
fn presenter_mode_shows_the_notice_on_the_slide() {
    let mut h = harness();
    let corridors = h
        .state()
        .doc
        .project
        .scenes
        .iter()
        .position(|s| s.name == "corridors")
        .expect("the default project has a corridors scene");
    h.state_mut().present(None, corridors);
    h.run();
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "七条区域发展廊道"), "{shown:?}");
    assert!(shown.iter().any(|t| t == NOTICE_ZH), "{shown:?}");
    assert!(shown.iter().any(|t| t == NOTICE_EN), "{shown:?}");
}

/// What a slide of a scene draws, painted headless as an export paints it.
fn slide_stats(hide_indicative: bool) -> DrawStats {
    with_corridors_slide(hide_indicative, |inputs, area| {
        let canvas = Canvas::pixels(960, 540).unwrap();
        let camera = inputs.spec.camera(area, canvas.size_in_points());
        let mut stats = DrawStats::default();
        onemap::present::render::render(
            canvas.width_px,
            canvas.height_px,
            canvas.pixels_per_point,
            |painter, rect| {
                stats = inputs
                    .slide(rect, transform_for(camera, rect))
                    .paint(painter);
            },
        );
        stats
    })
}

#[test]
fn the_option_takes_the_sketches_off_a_slide() {
    let all = slide_stats(false);
    let sourced = slide_stats(true);
    assert!(all.indicative > 0 && sourced.indicative == 0);
    assert_eq!(all.items_per_layer.get("corridors"), Some(&12));
    assert_eq!(sourced.items_per_layer.get("corridors"), None);
    let count = |s: &DrawStats, layer: &str| s.items_per_layer.get(layer).copied();
    assert_eq!(count(&all, "cities"), count(&sourced, "cities"));
    assert!(all.labels.iter().any(|l| l.ends_with("（示意）")));
    assert!(!sourced.labels.iter().any(|l| l.contains("示意")));
}

fn svg_texts(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_exported_svg_carries_the_notice_unless_a_scene_hides_the_sketches() {
    let dir = std::env::temp_dir().join(format!("onemap-indicative-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let export = |project: &std::path::Path, out: &std::path::Path| {
        let (code, _, err) = onemap(&[
            "export",
            project.to_str().unwrap(),
            "--scene",
            "corridors",
            "--out",
            out.to_str().unwrap(),
            "--width",
            "1280",
            "--height",
            "720",
        ]);
        assert_eq!(code, 0, "{err}");
    };
    let default_project = root().join("assets/projects/sma-2022.onemap");
    let with = dir.join("with.svg");
    export(&default_project, &with);
    let texts = svg_texts(&with);
    assert!(texts.iter().any(|t| t == NOTICE_ZH), "{texts:?}");
    assert!(texts.iter().any(|t| t == NOTICE_EN), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "区域发展走廊 · 示意"),
        "{texts:?}"
    );

    // The same scene saved with the option on: it round-trips through the file, and the
    // export has neither sketches nor notice.
    let mut project = onemap::io::load_project(&default_project).unwrap();
    let scene = project
        .scenes
        .iter_mut()
        .find(|s| s.name == "corridors")
        .unwrap();
    let mut settings = scene
        .settings
        .clone()
        .expect("the corridors scene has its own settings");
    settings.hide_indicative = true;
    scene.settings = Some(settings);
    let sourced_only = dir.join("sourced-only.onemap");
    onemap::io::save_project(&sourced_only, &project).unwrap();
    let reread = onemap::io::load_project(&sourced_only).unwrap();
    assert!(
        find_scene(&reread, "corridors")
            .unwrap()
            .settings
            .as_ref()
            .is_some_and(|s| s.hide_indicative),
        "the scene keeps the option"
    );
    let without = dir.join("without.svg");
    export(&sourced_only, &without);
    let texts = svg_texts(&without);
    assert!(!texts.iter().any(|t| t.contains("示意")), "{texts:?}");
    assert!(!texts.iter().any(|t| t == NOTICE_EN));
    assert!(
        texts.iter().any(|t| t == "七条区域发展廊道"),
        "the slide is still there"
    );
}
