//! The viewer driven headless with egui_kittest: no display, no GPU needed except for the
//! image snapshot (Mesa's software renderer).

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::drawn;

use egui::accesskit::Toggled;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::map::scene::merc;
use onemap::model::{FeatureId, LabelLanguage};

fn app() -> OneMapApp {
    let data =
        AppData::load(&DataDir::at(env!("CARGO_MANIFEST_DIR"))).expect("the built-in data loads");
    assert!(data.problems.is_empty(), "{:?}", data.problems);
    let default_project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&default_project);
    assert!(
        app.files.dialog.is_none(),
        "the default project opens without complaint"
    );
    app
}

fn harness() -> Harness<'static, OneMapApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        // A flight to a scene lasts 0.8 s: 4 steps of 0.25 s and a last frame.
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app());
    h.run();
    h
}

/// A primary click at a screen position, as a mouse would do it.
fn click_at(h: &mut Harness<'_, OneMapApp>, pos: egui::Pos2) {
    h.event(egui::Event::PointerMoved(pos));
    h.step();
    let button = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    h.event(button(true));
    h.step();
    h.event(button(false));
    h.run();
}

#[test]
fn the_default_map_shows_every_plan_layer_fitted_to_the_plan_area() {
    let h = harness();
    for layer in [
        "ecological",
        "sections",
        "coordination",
        "city_boundaries",
        "blueways",
        "greenways",
        "corridors",
        "urban_tiers",
        "cities",
    ] {
        assert!(
            drawn(&h, layer) > 0,
            "{layer} is not drawn: {:?}",
            h.state().last_draw.items_per_layer
        );
    }
    let labels = &h.state().last_draw.labels;
    assert!(labels.iter().any(|l| l == "上海主城区"), "{labels:?}");
    let t = h.state().last_transform.unwrap();
    let shanghai = t.to_screen(merc(geo::Coord {
        x: 121.47,
        y: 31.23,
    }));
    let zhoushan = t.to_screen(merc(geo::Coord { x: 122.2, y: 30.0 }));
    let rect = h.ctx.content_rect();
    assert!(
        rect.contains(shanghai) && rect.contains(zhoushan),
        "the plan area is in view"
    );
}

#[test]
fn toggling_a_layer_and_a_tier_changes_what_is_drawn() {
    let mut h = harness();
    assert_eq!(drawn(&h, "corridors"), 12);
    let checkbox = h.get_by_label("主次走廊");
    assert_eq!(checkbox.accesskit_node().toggled(), Some(Toggled::True));
    checkbox.click();
    h.run();
    assert_eq!(drawn(&h, "corridors"), 0);
    assert_eq!(
        h.get_by_label("主次走廊").accesskit_node().toggled(),
        Some(Toggled::False)
    );

    let before = drawn(&h, "urban_tiers");
    h.get_by_label("5 全球功能支撑性节点").click();
    h.run();
    assert_eq!(
        drawn(&h, "urban_tiers"),
        before - 19,
        "the 19 tier-5 nodes are hidden"
    );
    // The tier buttons are at the foot of the layers panel, below the fold at this window
    // height since the basemap has its built-up areas' row: scrolled to, as a user would.
    h.get_by_label("1…2").scroll_to_me();
    h.run();
    h.get_by_label("1…2").click();
    h.run();
    assert_eq!(h.state().view().tiers, [true, true, false, false, false]);
    assert_eq!(
        drawn(&h, "urban_tiers"),
        4,
        "tiers 1 and 2: Shanghai, Suzhou, Ningbo, Lingang"
    );
}

#[test]
fn searching_suzhou_selects_suzhou() {
    let mut h = harness();
    h.get_by_label("搜索").click();
    h.run();
    h.get_by_label("搜索").type_text("苏州");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().selected, Some(FeatureId("city.suzhou".into())));
    h.get_by_label("江苏省");
}

#[test]
fn clicking_a_feature_fills_the_inspector() {
    let mut h = harness();
    let t = h.state().last_transform.unwrap();
    // Ningbo's seat: a tier-2 node with the city seat on top of it.
    let ningbo = t.to_screen(merc(geo::Coord {
        x: 121.5494,
        y: 29.8782,
    }));
    click_at(&mut h, ningbo);
    assert_eq!(h.state().selected, Some(FeatureId("city.ningbo".into())));
    h.get_by_label("浙江省");
    h.get_by_label("9404283");
}

#[test]
fn the_language_switch_changes_labels() {
    let mut h = harness();
    assert!(h.state().last_draw.labels.iter().any(|l| l == "苏州"));
    h.get_by_label("English").click();
    h.run();
    assert_eq!(h.state().view().language, LabelLanguage::English);
    let labels = &h.state().last_draw.labels;
    assert!(labels.iter().any(|l| l == "Suzhou"), "{labels:?}");
    assert!(!labels.iter().any(|l| l == "苏州"));
    h.get_by_label("中文 + English").click();
    h.run();
    assert!(
        h.state()
            .last_draw
            .labels
            .iter()
            .any(|l| l == "苏州\nSuzhou")
    );
}

#[test]
fn the_default_map_matches_its_golden_image() {
    let mut h = harness();
    h.run();
    h.snapshot("default_map");
}

#[test]
fn a_broken_layer_file_is_reported_by_name_and_the_rest_still_opens() {
    let root = std::env::temp_dir().join(format!("onemap-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let copy = |from: &str| {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
        for entry in std::fs::read_dir(&src).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                let dst = root.join(from).join(p.file_name().unwrap());
                std::fs::create_dir_all(dst.parent().unwrap()).unwrap();
                std::fs::copy(&p, dst).unwrap();
            }
        }
    };
    copy("layers");
    copy("assets");
    copy("assets/basemap");
    std::fs::write(
        root.join("layers/corridors.geojson"),
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .unwrap();
    let data = AppData::load(&DataDir::at(&root)).unwrap();
    assert_eq!(data.problems.len(), 1);
    assert!(
        data.problems[0].contains("corridors.geojson is not valid JSON at line 1"),
        "{}",
        data.problems[0]
    );
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), OneMapApp::new(data));
    h.run();
    assert_eq!(drawn(&h, "corridors"), 0);
    assert!(drawn(&h, "sections") > 0, "the other layers still draw");
    h.get_by_label("关闭").click();
    h.run();
    assert!(h.state().problems_dismissed);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn ctrl_shift_s_opens_save_as_with_the_path_field_ready_for_typing() {
    use onemap::command::{Dialog, PathPurpose};
    let mut h = harness();
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::S,
    );
    h.run();
    assert!(matches!(
        &h.state().files.dialog,
        Some(Dialog::PathPrompt {
            purpose: PathPurpose::SaveAs,
            ..
        })
    ));
    h.event(egui::Event::Text("-copy".into()));
    h.run();
    let Some(Dialog::PathPrompt { text, .. }) = &h.state().files.dialog else {
        panic!("the dialog stays open")
    };
    assert!(
        text.ends_with("sma-2022.onemap-copy"),
        "typing goes straight to the path field: {text}"
    );
}

#[test]
fn hiding_a_layer_is_undone_with_ctrl_z_and_redone_with_ctrl_y() {
    let mut h = harness();
    h.get_by_label("主次走廊").click();
    h.run();
    assert_eq!(drawn(&h, "corridors"), 0);
    assert!(h.state().doc.is_dirty());
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("hide layer Primary and secondary corridors"),
        "the step calls the layer by its name, not its id"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(drawn(&h, "corridors"), 12);
    assert!(
        !h.state().doc.is_dirty(),
        "undoing back to the saved state is clean again"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.run();
    assert_eq!(drawn(&h, "corridors"), 0);
}

#[test]
fn the_checks_panel_lists_findings_and_an_acknowledgement_is_saved_and_undoable() {
    let mut h = harness();
    assert_eq!(
        h.state().findings.len(),
        5,
        "the default project's routes raise five findings"
    );
    let first = h.state().findings[0].id.clone();
    h.get_by_label("检查").click();
    h.run();
    assert!(h.state().checks_open);
    h.get_all_by_label("确认…").next().unwrap().click();
    h.run();
    assert_eq!(
        h.state().ack_draft.as_ref().map(|d| d.0.clone()),
        Some(first.clone())
    );
    h.get_by_label("理由").click();
    h.run();
    h.get_by_label("理由")
        .type_text("extends to Taizhou by design");
    h.run();
    h.get_by_label("确认").click();
    h.run();
    let ack = h
        .state()
        .doc
        .project
        .acknowledgements
        .get(&first)
        .cloned()
        .expect("acknowledged");
    assert_eq!(ack.reason, "extends to Taizhou by design");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        h.state().doc.project.acknowledgements.is_empty(),
        "acknowledging is one undo step"
    );
}

#[test]
fn drawing_an_industrial_park_in_taihu_raises_the_ecology_warning_and_undo_removes_it() {
    use onemap::model::checks::Rule;
    let mut h = harness();
    let before = h.state().findings.len();
    h.state_mut().draw_action = "industry".into();
    h.key_press(egui::Key::G);
    h.run();
    assert_eq!(h.state().tool, onemap::command::Tool::Polygon);
    let t = h.state().last_transform.unwrap();
    for (lon, lat) in [
        (120.15, 31.12),
        (120.25, 31.12),
        (120.25, 31.2),
        (120.15, 31.2),
    ] {
        click_at(&mut h, t.to_screen(merc(geo::Coord { x: lon, y: lat })));
    }
    assert_eq!(h.state().draft.len(), 4);
    h.key_press(egui::Key::Enter);
    h.run();
    let id = onemap::model::project::PlacementId("placement.new-1".into());
    assert!(
        h.state().doc.project.placements.contains_key(&id),
        "the drawing became a placement"
    );
    let warning = h
        .state()
        .findings
        .iter()
        .find(|f| f.rule == Rule::EcologicalCore && f.placement == id.0)
        .cloned();
    let warning = warning.expect("the industrial park in Taihu's core is flagged");
    assert!(warning.overlap_km2.unwrap() > 50.0, "{}", warning.message);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(!h.state().doc.project.placements.contains_key(&id));
    assert_eq!(h.state().findings.len(), before);
}

#[test]
fn the_placement_form_renames_with_one_undoable_step_and_refuses_an_empty_name() {
    let mut h = harness();
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::Select(Some(FeatureId(
            "placement.husuhu-railway".into(),
        )))]);
    h.run();
    h.get_by_label("跨界：涉及两个或以上城市");
    let field = "英文名称";
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, field)
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, field)
        .type_text("Husuhu HSR");
    h.key_press(egui::Key::Enter);
    h.run();
    let id = onemap::model::project::PlacementId("placement.husuhu-railway".into());
    assert_eq!(h.state().doc.project.placements[&id].name_en, "Husuhu HSR");
    assert_eq!(h.state().doc.history.undo_label(), Some("edit 沪苏湖铁路"));
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, field)
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().doc.project.placements[&id].name_en,
        "Husuhu HSR",
        "an empty name is refused"
    );
    assert!(h.state().form.error.is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        h.state().doc.project.placements[&id].name_en,
        "Shanghai–Suzhou–Huzhou railway"
    );
}

/// A primary-button drag from `from` to `to` in several pointer moves, as a mouse would do it.
fn drag(h: &mut Harness<'_, OneMapApp>, from: egui::Pos2, to: egui::Pos2) {
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    h.event(egui::Event::PointerMoved(from));
    h.step();
    h.event(button(from, true));
    h.step();
    for k in 1..=10 {
        let t = k as f32 / 10.0;
        h.event(egui::Event::PointerMoved(from + (to - from) * t));
        h.step();
    }
    h.event(button(to, false));
    h.run();
}

#[test]
fn the_issue_5_acceptance_draw_in_taihu_warn_move_out_clear_undo_to_start() {
    use onemap::model::checks::Rule;
    let mut h = harness();
    let start = h.state().doc.project.clone();
    // Drawn at exact positions; snapping has its own test.
    let taihu = [
        (120.15, 31.12),
        (120.25, 31.12),
        (120.25, 31.2),
        (120.15, 31.2),
    ];
    draw(&mut h, "industry", egui::Key::G, &taihu);
    let id = "placement.new-1";
    let core_warning = |h: &Harness<'_, OneMapApp>| {
        h.state()
            .findings
            .iter()
            .any(|f| f.rule == Rule::EcologicalCore && f.placement == id)
    };
    assert!(core_warning(&h), "drawn inside Taihu's core: warned");

    h.key_press(egui::Key::M);
    h.run();
    assert_eq!(h.state().tool, onemap::command::Tool::Move);
    // The new placement is selected, so its form narrowed the map: take the transform again.
    let t = h.state().last_transform.unwrap();
    let at = |lon: f64, lat: f64| t.to_screen(merc(geo::Coord { x: lon, y: lat }));
    drag(&mut h, at(120.2, 31.16), at(120.45, 31.70));
    let moved = h.state().doc.project.placements[&onemap::model::project::PlacementId(id.into())]
        .geometry
        .clone();
    let onemap::model::project::PlacementGeometry::Polygon(rings) = &moved else {
        panic!("still a polygon")
    };
    assert!(
        (rings[0][0].0 - 120.40).abs() < 0.01 && (rings[0][0].1 - 31.66).abs() < 0.01,
        "{:?}",
        rings[0][0]
    );
    assert!(
        !core_warning(&h),
        "moved out of the core: the warning clears: {:?}",
        h.state()
            .findings
            .iter()
            .filter(|f| f.placement == id)
            .map(|f| &f.message)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("move 新项目 1"),
        "the whole drag is one step"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        core_warning(&h),
        "undoing the move puts it back in the core"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc.project, start, "undone back to the start");
}

#[test]
fn vertices_are_dragged_inserted_at_midpoints_and_deleted_each_as_one_step() {
    use onemap::model::project::PlacementId;
    let mut h = harness();
    h.state_mut().snap_on = false;
    h.key_press(egui::Key::G);
    h.run();
    let t = h.state().last_transform.unwrap();
    let at = |t: &onemap::map::ScreenTransform, lon: f64, lat: f64| {
        t.to_screen(merc(geo::Coord { x: lon, y: lat }))
    };
    for (lon, lat) in [(120.0, 30.6), (120.4, 30.6), (120.4, 30.9), (120.0, 30.9)] {
        click_at(&mut h, at(&t, lon, lat));
    }
    h.key_press(egui::Key::Enter);
    h.run();
    let id = PlacementId("placement.new-1".into());
    let ring = |h: &Harness<'_, OneMapApp>| {
        h.state().doc.project.placements[&id]
            .geometry
            .vertex_rings()[0]
            .clone()
    };
    assert_eq!(ring(&h).len(), 4);
    h.key_press(egui::Key::E);
    h.run();
    let t = h.state().last_transform.unwrap();

    drag(&mut h, at(&t, 120.4, 30.9), at(&t, 120.5, 31.0));
    let moved = ring(&h)[2];
    assert!(
        (moved.0 - 120.5).abs() < 0.01 && (moved.1 - 31.0).abs() < 0.01,
        "{moved:?}"
    );
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("edit vertices of 新项目 1")
    );

    drag(&mut h, at(&t, 120.2, 30.6), at(&t, 120.2, 30.5));
    assert_eq!(ring(&h).len(), 5, "dragging a midpoint inserts a vertex");
    assert!((ring(&h)[1].1 - 30.5).abs() < 0.01, "{:?}", ring(&h));

    click_at(&mut h, at(&t, 120.0, 30.9));
    assert!(h.state().selected_vertex.is_some());
    h.key_press(egui::Key::Delete);
    h.run();
    assert_eq!(ring(&h).len(), 4, "Delete removes the selected vertex");
    assert!(
        h.state().doc.project.placements.contains_key(&id),
        "not the placement"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(ring(&h).len(), 5);
}

/// A click with modifiers held, as a mouse and keyboard would do it.
fn click_with(h: &mut Harness<'_, OneMapApp>, pos: egui::Pos2, modifiers: egui::Modifiers) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    h.event(egui::Event::PointerMoved(pos));
    h.step();
    let button = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    };
    h.event(button(true));
    h.step();
    h.event(button(false));
    h.step();
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::default()));
    h.run();
}

/// Draws with the tool of `key` into `target` (an action, or `layer:ID` for a sketch) at exact
/// positions (snapping off): a click at each lon/lat, then Enter.
fn draw(h: &mut Harness<'_, OneMapApp>, target: &str, key: egui::Key, points: &[(f64, f64)]) {
    h.state_mut().snap_on = false;
    h.state_mut().draw_action = target.into();
    h.key_press(key);
    h.run();
    for &(lon, lat) in points {
        let p = screen_of(h, lon, lat);
        click_at(h, p);
    }
    h.key_press(egui::Key::Enter);
    h.run();
}

fn screen_of(h: &Harness<'_, OneMapApp>, lon: f64, lat: f64) -> egui::Pos2 {
    h.state()
        .last_transform
        .unwrap()
        .to_screen(merc(geo::Coord { x: lon, y: lat }))
}

fn pid(id: &str) -> onemap::model::project::PlacementId {
    onemap::model::project::PlacementId(id.into())
}

#[test]
fn shift_click_selects_several_placements_and_delete_removes_them_in_one_step() {
    let mut h = harness();
    let start = h.state().doc.project.clone();
    // Selecting opens the inspector, which narrows the map: positions are taken anew each time.
    let airport = screen_of(&h, 121.1, 32.0);
    click_with(&mut h, airport, egui::Modifiers::SHIFT);
    let qingcaosha = screen_of(&h, 121.58, 31.45);
    click_with(&mut h, qingcaosha, egui::Modifiers::SHIFT);
    assert_eq!(
        h.state().selected_placements(),
        [
            pid("placement.nantong-new-airport"),
            pid("placement.qingcaosha-protection")
        ]
    );
    // Shift-click again takes one out, and back in.
    let qingcaosha = screen_of(&h, 121.58, 31.45);
    click_with(&mut h, qingcaosha, egui::Modifiers::SHIFT);
    assert_eq!(h.state().selected_placements().len(), 1);
    let qingcaosha = screen_of(&h, 121.58, 31.45);
    click_with(&mut h, qingcaosha, egui::Modifiers::SHIFT);
    h.key_press(egui::Key::Delete);
    h.run();
    let placements = &h.state().doc.project.placements;
    assert!(!placements.contains_key(&pid("placement.nantong-new-airport")));
    assert!(!placements.contains_key(&pid("placement.qingcaosha-protection")));
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("delete 2 placements")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc.project, start, "one undo brings both back");
}

#[test]
fn a_shift_drag_box_selects_the_placements_it_meets_without_panning() {
    let mut h = harness();
    // The selection opens a form beside the map, which keeps the map where it was on screen.
    let before = screen_of(&h, 121.0, 31.0);
    let (from, to) = (screen_of(&h, 121.45, 31.52), screen_of(&h, 121.72, 31.38));
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::SHIFT));
    drag(&mut h, from, to);
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::default()));
    h.run();
    let selected = h.state().selected_placements();
    assert!(selected.contains(&pid("placement.qingcaosha-protection")));
    assert!(!selected.contains(&pid("placement.nantong-new-airport")));
    let rect = geo::Rect::new(
        geo::Coord {
            x: 121.45,
            y: 31.52,
        },
        geo::Coord {
            x: 121.72,
            y: 31.38,
        },
    )
    .to_polygon();
    for id in &selected {
        use geo::Intersects as _;
        let g = h.state().doc.project.placements[id].geometry.to_geo();
        assert!(g.intersects(&rect), "{id:?} meets the box");
    }
    let after = screen_of(&h, 121.0, 31.0);
    assert!(
        after.distance(before) < 1.0,
        "the map did not pan: {before:?} → {after:?}"
    );
}

#[test]
fn copy_paste_and_duplicate_add_offset_copies_each_as_one_step() {
    let mut h = harness();
    let start = h.state().doc.project.clone();
    let airport = screen_of(&h, 121.1, 32.0);
    click_at(&mut h, airport);
    assert_eq!(
        h.state().selected_placements(),
        [pid("placement.nantong-new-airport")]
    );
    h.event(egui::Event::Copy);
    h.run();
    h.event(egui::Event::Paste(String::new()));
    h.run();
    let copy = &h.state().doc.project.placements[&pid("placement.copy-1")];
    assert_eq!(copy.name_zh, "南通新机场 副本");
    let onemap::model::project::PlacementGeometry::Point((x, y)) = copy.geometry else {
        panic!("a point")
    };
    assert!(
        x > 121.1 && y < 32.0 && x - 121.1 < 0.2,
        "offset a little: {x} {y}"
    );
    assert_eq!(h.state().selected_placements(), [pid("placement.copy-1")]);
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("paste 南通新机场 副本")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run();
    assert!(
        h.state()
            .doc
            .project
            .placements
            .contains_key(&pid("placement.copy-2"))
    );
    for _ in 0..2 {
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run();
    }
    assert_eq!(h.state().doc.project, start);
}

#[test]
fn drawing_snaps_to_a_nearby_vertex_and_s_turns_snapping_off() {
    let mut h = harness();
    h.key_press(egui::Key::L);
    h.run();
    // Five pixels off the airport, a point placement.
    let near = screen_of(&h, 121.1, 32.0) + egui::vec2(5.0, -3.0);
    h.event(egui::Event::PointerMoved(near));
    h.run();
    let snapped = h
        .state()
        .snapped
        .clone()
        .expect("the indicator shows a snap");
    assert_eq!(snapped.kind, onemap::map::snap::SnapKind::Vertex);
    click_at(&mut h, near);
    assert_eq!(h.state().draft[0], geo::Coord { x: 121.1, y: 32.0 });

    // Near the middle of a long segment of the 沪苏湖 railway: onto a segment (of the railway,
    // or of what runs along it), not onto a vertex.
    // Zoomed in, so that no vertex is within the tolerance.
    h.state_mut()
        .memory
        .center_at(walkers::lon_lat(121.0, 31.004));
    h.state_mut().memory.set_zoom(13.0).unwrap();
    h.run();
    let (a, b) = ((121.05, 31.0), (120.82, 31.02));
    let lat = a.1 + (a.0 - 121.0) / (a.0 - b.0) * (b.1 - a.1);
    let mid = screen_of(&h, 121.0, lat) + egui::vec2(0.0, 4.0);
    h.event(egui::Event::PointerMoved(mid));
    h.run();
    let snapped = h.state().snapped.clone().expect("a segment nearby");
    assert_eq!(
        snapped.kind,
        onemap::map::snap::SnapKind::Segment,
        "{snapped:?}"
    );
    click_at(&mut h, mid);
    let on = h.state().draft[1];
    assert_eq!(on, snapped.at);
    let onemap::map::ItemKey::Feature(id) = &snapped.key else {
        panic!("a plan feature or placement: {snapped:?}")
    };
    let g = h.state().feature(id).expect("it exists").geometry.clone();
    use geo::{Distance as _, Euclidean};
    let metres_off = Euclidean.distance(&geo::Point(on), &g) * 111_000.0;
    assert!(metres_off < 20.0, "on {id:?}: {metres_off} m off");

    h.key_press(egui::Key::S);
    h.run();
    assert!(!h.state().snap_on);
    click_at(&mut h, mid);
    assert!(
        h.state().snapped.is_none(),
        "no indicator when snapping is off"
    );
    let free = h.state().draft[2];
    let metres_off = Euclidean.distance(&geo::Point(free), &g) * 111_000.0;
    assert!(
        metres_off > 40.0,
        "where the pointer is: {metres_off} m off"
    );
}

#[test]
fn the_placement_table_selects_zooms_and_bulk_edits_in_one_step() {
    use egui::accesskit::Role;
    use onemap::model::project::PlacementStatus;
    let mut h = harness();
    h.key_press(egui::Key::T);
    h.run();
    assert!(h.state().table_open);
    let before = h.state().last_transform.unwrap();
    // The table has more rows than fit: scroll the row into view, as a user would.
    h.get_by_role_and_label(Role::Button, "沪苏湖铁路")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "沪苏湖铁路").click();
    h.run();
    assert_eq!(
        h.state().selected_placements(),
        [pid("placement.husuhu-railway")]
    );
    assert_ne!(
        h.state().last_transform.unwrap().deg_per_px(),
        before.deg_per_px(),
        "zoomed to the placement"
    );
    h.get_by_role_and_label(Role::Button, "沪乍杭高铁")
        .scroll_to_me();
    h.run();
    let row = h.get_by_role_and_label(Role::Button, "沪乍杭高铁");
    row.click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    assert_eq!(h.state().selected_placements().len(), 2);
    h.get_by_role_and_label(Role::ComboBox, "批量状态").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "建成").click();
    h.run();
    let project = &h.state().doc.project;
    for id in ["placement.husuhu-railway", "placement.huzhahang-hsr"] {
        assert_eq!(
            project.placements[&pid(id)].status,
            PlacementStatus::Completed
        );
    }
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("set status of 2 placements")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        h.state().doc.project.placements[&pid("placement.huzhahang-hsr")].status,
        PlacementStatus::UnderConstruction
    );
    assert_eq!(
        h.state().doc.project.placements[&pid("placement.husuhu-railway")].status,
        PlacementStatus::Completed
    );
}

#[test]
fn the_placement_table_filters_and_sorts() {
    use onemap::model::project::PlacementStatus;
    use onemap::ui::placement_table::{Column, TableState, rows};
    let mut h = harness();
    h.run();
    let app = h.state();
    let all = |state: &TableState| rows(&app.data, &app.doc.project, &app.placement_facts, state);
    assert_eq!(all(&TableState::default()).len(), 15);
    let planned = all(&TableState {
        status: Some(PlacementStatus::Planned),
        ..Default::default()
    });
    assert!(
        planned
            .iter()
            .all(|id| app.doc.project.placements[id].status == PlacementStatus::Planned)
    );
    assert_eq!(planned.len(), 2);
    let in_nantong = all(&TableState {
        city: Some("南通".into()),
        ..Default::default()
    });
    assert!(in_nantong.contains(&pid("placement.nantong-new-airport")));
    assert!(!in_nantong.contains(&pid("placement.jinshan-pinghu-rail")));
    let by_horizon = all(&TableState {
        sort: Column::Horizon,
        descending: true,
        ..Default::default()
    });
    let years: Vec<u16> = by_horizon
        .iter()
        .map(|id| app.doc.project.placements[id].horizon)
        .collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
}

#[test]
fn onemap_check_reports_the_same_findings_as_the_checks_panel() {
    let mut h = harness();
    let taihu = [(120.15, 31.12), (120.25, 31.12), (120.25, 31.2)];
    draw(&mut h, "industry", egui::Key::G, &taihu);
    let file = std::env::temp_dir().join(format!("onemap-panel-{}.onemap", std::process::id()));
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::SaveAs(file.clone())]);
    h.run();
    let mut panel: Vec<String> = h.state().findings.iter().map(|f| f.id.clone()).collect();
    panel.sort();
    assert!(
        panel
            .iter()
            .any(|id| id.starts_with("ecological_core:placement.new-1"))
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onemap"))
        .args(["check", "--json", "--data", env!("CARGO_MANIFEST_DIR")])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut cli: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    cli.sort();
    assert_eq!(cli, panel);
    let _ = std::fs::remove_file(&file);
}

#[test]
fn presenter_mode_steps_with_the_clicker_keys_and_esc_returns_to_the_editor() {
    let mut h = harness();
    let scenes = h.state().doc.project.scenes.len();
    assert!(scenes >= 6, "the default project tells its story in scenes");
    h.key_press(egui::Key::F5);
    h.run();
    let index = |h: &Harness<'_, OneMapApp>| h.state().presenting.as_ref().map(|p| p.index);
    assert_eq!(index(&h), Some(0));
    assert!(
        h.query_by_label("选择 (V)").is_none(),
        "the editor's panels are hidden"
    );
    for (key, want) in [
        (egui::Key::PageDown, 1),
        (egui::Key::ArrowRight, 2),
        (egui::Key::Space, 3),
        (egui::Key::PageUp, 2),
        (egui::Key::ArrowLeft, 1),
        (egui::Key::ArrowLeft, 0),
        (egui::Key::PageUp, 0),
    ] {
        h.key_press(key);
        h.run();
        assert_eq!(index(&h), Some(want), "after {key:?}");
    }
    for _ in 0..scenes + 2 {
        h.key_press(egui::Key::PageDown);
        h.run();
    }
    assert_eq!(index(&h), Some(scenes - 1), "the last scene stays");
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(index(&h), None);
    h.get_by_label("选择 (V)");
}

#[test]
fn a_presenter_screenshot_and_the_exported_png_of_a_scene_match() {
    use onemap::present::export::{Canvas, SlideSpec, render_project, today};
    let mut h = harness();
    let scene = 3;
    h.state_mut().present(None, scene);
    h.run();
    let shot = h.render().expect("a screenshot of presenter mode");
    let app = h.state();
    let spec = SlideSpec::of(&app.doc.project, app.doc.project.scenes.get(scene));
    let date = today();
    let inputs = app.slide_inputs(&spec, false, &date);
    let area = onemap::present::plan_area(&app.data.plan);
    let exported = render_project(&inputs, area, Canvas::pixels(1400, 900).unwrap())
        .to_image(egui::Color32::WHITE);
    let (mut a, mut b) = (shot.as_raw().clone(), exported.as_bytes().to_vec());
    assert_eq!(a.len(), b.len(), "the same size");
    // The scene counter is presenter mode's own (top right, left of the north arrow).
    for y in 0..60 {
        for x in 1400 - 220..1400 - 70 {
            let i = (y * 1400 + x) * 4;
            a[i..i + 4].copy_from_slice(&[0; 4]);
            b[i..i + 4].copy_from_slice(&[0; 4]);
        }
    }
    // Pixels with a channel that differs by more than `tolerance` of 255.
    let differing = |tolerance: u8| {
        a.chunks_exact(4)
            .zip(b.chunks_exact(4))
            .filter(|(p, q)| {
                p.iter()
                    .zip(q.iter())
                    .any(|(x, y)| x.abs_diff(*y) > tolerance)
            })
            .count()
    };
    let (loose, strict) = (differing(64), differing(8));
    let pixels = 1400 * 900;
    let largest = a.iter().zip(&b).map(|(x, y)| x.abs_diff(*y)).max();
    eprintln!(
        "differing pixels of {pixels}: {loose} by > 64, {strict} by > 8; largest difference {largest:?}"
    );
    // The README's claim: no pixel differs by more than 64 of 255, and at most 0.001 % by
    // more than 8 (anti-aliased edges).
    assert_eq!(loose, 0, "pixels that differ by more than 64 of 255");
    assert!(
        strict as f64 <= pixels as f64 * 0.001 / 100.0,
        "{strict} pixels ({:.4}%) differ by more than 8 of 255",
        strict as f64 / pixels as f64 * 100.0
    );
}

#[test]
fn scenes_are_added_shown_renamed_reordered_and_deleted_each_as_one_undo_step() {
    let mut h = harness();
    let start = h.state().doc.project.clone();
    let names = |h: &Harness<'_, OneMapApp>| -> Vec<String> {
        h.state()
            .doc
            .project
            .scenes
            .iter()
            .map(|s| s.name.clone())
            .collect()
    };
    let undo = |h: &mut Harness<'_, OneMapApp>| {
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run();
    };
    h.get_by_label("场景").click();
    h.run();

    // Showing a scene sets its layers (one step) and flies there.
    h.get_by_label("2. 七条区域发展廊道").click();
    h.run();
    assert!(!h.state().doc.project.settings.group("ecological").visible);
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("show scene corridors")
    );

    h.get_by_label("+ 添加当前视图").click();
    h.run();
    let added = h.state().doc.project.scenes.last().unwrap().clone();
    assert_eq!(added.name, "scene-10");
    assert_eq!(
        added.settings.as_ref(),
        Some(&h.state().doc.project.settings)
    );
    assert!(added.view.is_some());
    undo(&mut h);
    assert_eq!(names(&h).len(), 9);

    // Select the second scene again, and rename its title.
    h.get_by_label("2. 七条区域发展廊道").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "标题（英文）")
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "标题（英文）")
        .type_text("The corridors");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().doc.project.scenes[1].title_en, "The corridors");
    undo(&mut h);
    assert_eq!(
        h.state().doc.project.scenes[1].title_en,
        "Seven regional development corridors"
    );

    h.get_by_label("▼").click();
    h.run();
    assert_eq!(names(&h)[..3], ["cities", "ecology", "corridors"]);
    undo(&mut h);
    assert_eq!(names(&h)[..3], ["cities", "corridors", "ecology"]);

    h.get_by_label("2. 七条区域发展廊道").click();
    h.run();
    h.get_by_label("删除").click();
    h.run();
    assert!(!names(&h).contains(&"corridors".to_owned()));
    undo(&mut h);
    undo(&mut h);
    assert_eq!(h.state().doc.project, start, "all undone");
}

/// A copy of the default project in a folder of its own, and its path.
fn project_copy(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("onemap-ui-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan v2.onemap");
    std::fs::copy(
        onemap::io::DataDir::at(env!("CARGO_MANIFEST_DIR")).default_project(),
        &path,
    )
    .unwrap();
    path
}

#[test]
fn reviewer_mode_disables_editing_and_comments_go_to_the_sidecar_only() {
    use onemap::model::review::{Anchor, CommentStatus};
    let file = project_copy("review");
    // Version 2: two placements changed, as a planner sends them for review.
    let mut v2 = onemap::io::load_project(&file).unwrap();
    v2.placements
        .get_mut(&pid("placement.nantong-new-airport"))
        .unwrap()
        .horizon = 2050;
    v2.placements
        .get_mut(&pid("placement.qingcaosha-protection"))
        .unwrap()
        .name_zh = "青草沙水源地保护区".into();
    onemap::io::save_project(&file, &v2).unwrap();
    let before = std::fs::read(&file).unwrap();
    let mut h = harness();
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::OpenForReview(file.clone())]);
    h.run();
    assert!(h.state().review_mode);
    h.get_by_label("审阅模式（只读）");
    for tool in ["点 (P)", "线 (L)", "移动 (M)", "顶点 (E)"] {
        assert!(h.query_by_label(tool).is_none(), "{tool} is not offered");
    }
    // Keys that would edit do nothing.
    let airport = screen_of(&h, 121.1, 32.0);
    click_at(&mut h, airport);
    assert_eq!(
        h.state().selected_placements(),
        [pid("placement.nantong-new-airport")]
    );
    assert!(
        h.query_by_label("中文名称").is_none(),
        "no editable form, the read-only inspector"
    );
    h.key_press(egui::Key::Delete);
    h.key_press(egui::Key::P);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    h.state_mut().files.dialog = None;
    assert!(
        h.state()
            .doc
            .project
            .placements
            .contains_key(&pid("placement.nantong-new-airport"))
    );
    assert_eq!(h.state().tool, onemap::command::Tool::Select);

    // Comment on a placement, then on a place.
    h.key_press(egui::Key::C);
    h.run();
    for (lon, lat, text) in [
        (121.1, 32.0, "机场选址需与北沿江高铁站协调"),
        (121.58, 31.45, "Why the new name?"),
        (120.6, 30.4, "Why no project here?"),
    ] {
        let at = screen_of(&h, lon, lat);
        click_at(&mut h, at);
        let field = egui::accesskit::Role::TextInput;
        h.get_by_role_and_label(field, "评论内容").click();
        h.run();
        h.get_by_role_and_label(field, "评论内容").type_text(text);
        h.run();
        h.get_by_label("添加评论").click();
        h.run();
    }

    let sidecar = file.with_file_name("plan v2.review.onemap");
    let review = onemap::io::review_file::load_review(&sidecar)
        .unwrap()
        .expect("the sidecar is written");
    assert_eq!(review.comments.len(), 3);
    assert_eq!(
        review.comments[0].anchor,
        Anchor::Placement(pid("placement.nantong-new-airport"))
    );
    assert_eq!(
        review.comments[1].anchor,
        Anchor::Placement(pid("placement.qingcaosha-protection"))
    );
    assert!(matches!(review.comments[2].anchor, Anchor::Location(..)));
    assert_eq!(review.comments[0].status, CommentStatus::Open);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the reviewed file is untouched"
    );

    // The author opens the project: the comments are there, to answer, resolve and merge.
    let mut h = harness();
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::Open(file.clone())]);
    h.run();
    assert!(!h.state().review_mode);
    assert_eq!(h.state().review.review.comments.len(), 3);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "回复 c1")
        .click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "回复 c1")
        .type_text("已协调，站距 450 m");
    h.run();
    h.get_all_by_label("回复").next().unwrap().click();
    h.run();
    h.get_all_by_label("解决").next().unwrap().click();
    h.run();
    let review = onemap::io::review_file::load_review(&sidecar)
        .unwrap()
        .unwrap();
    assert_eq!(review.comments[0].replies.len(), 1);
    assert_eq!(review.comments[0].status, CommentStatus::Resolved);
    h.get_by_label("合并到项目").click();
    h.run();
    let project = &h.state().doc.project;
    let thread = &project.placements[&pid("placement.nantong-new-airport")].comments;
    assert!(
        thread.iter().any(|c| c.text.contains("机场选址")),
        "{thread:?}"
    );
    assert_eq!(project.notes.len(), 1);
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("merge 3 review comments")
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "merged in memory, not yet saved"
    );
}

#[test]
fn the_compare_view_lists_changes_to_accept_or_reject_and_writes_the_merge() {
    use onemap::model::diff::{ChangeKind, Subject};
    let v1 = project_copy("compare");
    let dir = v1.parent().unwrap().to_owned();
    let mut project = onemap::io::load_project(&v1).unwrap();
    common::acceptance_edits(&mut project, 0.03);
    let v2 = dir.join("v2.onemap");
    onemap::io::save_project(&v2, &project).unwrap();

    let mut h = harness();
    h.state_mut().run_commands(vec![
        onemap::app::AppCommand::Open(v1.clone()),
        onemap::app::AppCommand::CompareWith(v2.clone()),
    ]);
    h.run();
    let kinds: Vec<ChangeKind> = h
        .state()
        .compare
        .as_ref()
        .unwrap()
        .changes
        .iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Removed,
            ChangeKind::GeometryChanged,
            ChangeKind::Added,
            ChangeKind::AttributesChanged
        ]
    );
    // Keep the greenway: reject its deletion.
    h.get_by_label("接受 环淀山湖绿道").click();
    h.run();
    let accepted = &h.state().compare.as_ref().unwrap().accepted;
    assert!(!accepted.contains(&Subject::Placement("placement.dianshan-greenway".into())));
    assert_eq!(accepted.len(), 3);
    let merged_path = dir.join("merged.onemap");
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::WriteMerged(
            merged_path.clone(),
        )]);
    h.run();
    let merged = onemap::io::load_project(&merged_path).unwrap();
    assert!(
        merged
            .placements
            .contains_key(&pid("placement.dianshan-greenway"))
    );
    assert!(merged.placements.contains_key(&pid("placement.new-1")));
    assert_eq!(
        merged.placements[&pid("placement.qingcaosha-protection")].name_zh,
        "青草沙水源地保护区"
    );
    assert_eq!(
        merged.placements[&pid("placement.husuhu-railway")].geometry,
        project.placements[&pid("placement.husuhu-railway")].geometry
    );
    let report = dir.join("report.md");
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::WriteReport(report.clone())]);
    h.run();
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("| 1 | 1 | 1 | 1 | 0 | 0 |"), "{md}");
    // Written in the interface language: Chinese, the default.
    assert!(md.contains("![变化图"), "{md}");
    assert!(dir.join("report.png").exists());
}

#[test]
fn the_three_way_merge_view_resolves_a_conflict_with_theirs_and_writes_the_merge() {
    let mine_path = project_copy("merge3");
    let dir = mine_path.parent().unwrap().to_owned();
    let base = onemap::io::load_project(&mine_path).unwrap();
    let base_path = dir.join("base.onemap");
    onemap::io::save_project(&base_path, &base).unwrap();
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    let airport = pid("placement.nantong-new-airport");
    mine.placements.get_mut(&airport).unwrap().horizon = 2050;
    theirs.placements.get_mut(&airport).unwrap().horizon = 2025;
    theirs
        .placements
        .remove(&pid("placement.dianshan-greenway"));
    onemap::io::save_project(&mine_path, &mine).unwrap();
    let theirs_path = dir.join("theirs.onemap");
    onemap::io::save_project(&theirs_path, &theirs).unwrap();

    let mut h = harness();
    h.state_mut().run_commands(vec![
        onemap::app::AppCommand::Open(mine_path.clone()),
        onemap::app::AppCommand::Merge3 {
            base: base_path,
            theirs: theirs_path,
        },
    ]);
    h.run();
    let m = h.state().merge.as_ref().expect("the merge view is open");
    assert_eq!(m.result.conflicts.len(), 1);
    assert_eq!(m.taken_cleanly, 1, "the deletion comes from theirs");
    h.get_by_label("我的");
    h.get_by_label("他们的");
    // The conflicting field in words, in the interface's language (Chinese, the default;
    // `onemap merge` prints "horizon: 2050").
    h.get_by_label("期限: 2050");
    h.get_by_label("期限: 2025");
    assert!(h.query_by_label_contains("horizon").is_none());
    // The placement by its Chinese name only (`onemap merge` prints "中文 / English").
    h.get_by_label_contains("«南通新机场»");
    assert!(h.query_by_label_contains("Nantong new airport").is_none());
    h.get_by_label("他们的 →").click();
    h.run();
    let out = dir.join("merged.onemap");
    h.state_mut()
        .run_commands(vec![onemap::app::AppCommand::WriteMerged(out.clone())]);
    h.run();
    let merged = onemap::io::load_project(&out).unwrap();
    assert_eq!(
        merged.placements[&airport].horizon, 2025,
        "theirs, as chosen"
    );
    assert!(
        !merged
            .placements
            .contains_key(&pid("placement.dianshan-greenway"))
    );
}

fn layer_bytes() -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out: Vec<_> =
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("layers"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
    out.sort();
    out
}

#[test]
fn a_corridor_is_realigned_by_dragging_a_vertex_reverted_and_the_baseline_never_written() {
    use onemap::app::AppCommand;
    let before = layer_bytes();
    let mut h = harness();
    h.state_mut().snap_on = false;
    let corridor = FeatureId("corridor.husuhu".into());
    h.key_press(egui::Key::E);
    h.state_mut()
        .run_commands(vec![AppCommand::Select(Some(corridor.clone()))]);
    h.run();
    let (from, to) = (screen_of(&h, 121.22, 31.04), screen_of(&h, 121.15, 30.93));
    drag(&mut h, from, to);
    // The inspector grows by the sketch badge during the drag, and the map narrows: where the
    // pointer let go is read with the last frame's transform.
    let target = h.state().last_transform.unwrap().to_lonlat(to);
    let o = h
        .state()
        .doc
        .project
        .plan_overrides
        .get("corridor.husuhu")
        .cloned();
    let Some(onemap::model::overrides::PlanOverride::Modified {
        geometry: Some(g), ..
    }) = o
    else {
        panic!("a sketch of the corridor: {o:?}")
    };
    let moved = g.vertex_rings()[0][1];
    assert!(
        (moved.0 - target.x).abs() < 0.01 && (moved.1 - target.y).abs() < 0.01,
        "{moved:?} {target:?}"
    );
    assert!(moved.1 < 31.0, "moved south: {moved:?}");
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("edit vertices of 沪苏湖走廊")
    );
    assert!(h.state().doc.sketch.sketched.contains(&corridor));
    assert!(
        h.state().doc.sketch.replaced.contains(&corridor),
        "the baseline is replaced"
    );

    // Revert to plan from the inspector, then undo the revert.
    h.get_by_label("恢复为规划").click();
    h.run();
    assert!(h.state().doc.project.plan_overrides.is_empty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc.project.plan_overrides.len(), 1);

    // Saved and opened again, it is still a sketch; the baseline files never changed.
    let file = project_copy("sketch");
    h.state_mut()
        .run_commands(vec![AppCommand::SaveAs(file.clone())]);
    h.run();
    let mut h2 = harness();
    h2.state_mut().run_commands(vec![AppCommand::Open(file)]);
    h2.run();
    assert!(h2.state().doc.sketch.sketched.contains(&corridor));
    assert_eq!(layer_bytes(), before, "layers/ untouched");
}

#[test]
fn a_greenway_link_is_drawn_into_the_plan_layer_as_a_sketch() {
    let mut h = harness();
    let link = [(120.95, 31.15), (121.05, 31.45), (121.15, 31.62)];
    draw(&mut h, "layer:greenways", egui::Key::L, &link);
    let o = &h.state().doc.project.plan_overrides;
    assert!(
        matches!(
            o.get("greenway.sketch-1"),
            Some(onemap::model::overrides::PlanOverride::Added { layer, .. }) if layer == "greenways"
        ),
        "{o:?}"
    );
    assert!(
        h.state().doc.project.placements.len() == 15,
        "no placement was made"
    );
    assert!(
        h.state()
            .doc
            .sketch
            .sketched
            .contains(&FeatureId("greenway.sketch-1".into()))
    );
    assert_eq!(
        h.state().doc.history.undo_label(),
        Some("sketch greenway.sketch-1")
    );
}

#[test]
fn about_this_plan_shows_the_zones_goals_and_the_actions_focus() {
    let mut h = harness();
    h.get_by_label("帮助").click();
    h.run();
    h.get_by_label("关于本规划与数据来源…").click();
    h.run();
    h.get_by_label("环太湖战略协同区").scroll_to_me();
    h.run();
    h.get_by_label("环太湖战略协同区").click();
    h.run();
    h.get_by_label_contains("共建人与自然和谐共处的世界级魅力湖区");
    h.get_by_label_contains("推进环太湖科创圈建设");
    h.get_by_label("交通一体化行动").scroll_to_me();
    h.run();
    h.get_by_label("交通一体化行动").click();
    h.run();
    h.get_by_label_contains("加强区域港口协作与联动");
}
