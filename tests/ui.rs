//! The viewer driven headless with egui_kittest: no display, no GPU needed except for the
//! image snapshot (Mesa's software renderer).

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

fn drawn(h: &Harness<'_, OneMapApp>, layer: &str) -> usize {
    h.state()
        .last_draw
        .items_per_layer
        .get(layer)
        .copied()
        .unwrap_or(0)
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
    h.get_by_label("搜索 Search").click();
    h.run();
    h.get_by_label("搜索 Search").type_text("苏州");
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
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().problems_dismissed);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn ctrl_shift_s_opens_save_as_with_the_path_field_ready_for_typing() {
    use onemap::app::files::{Dialog, PathPurpose};
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
        Some("hide layer corridors")
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
    h.get_by_label("Checks").click();
    h.run();
    assert!(h.state().checks_open);
    h.get_all_by_label("确认… Acknowledge…")
        .next()
        .unwrap()
        .click();
    h.run();
    assert_eq!(
        h.state().ack_draft.as_ref().map(|d| d.0.clone()),
        Some(first.clone())
    );
    h.get_by_label("理由 Reason").click();
    h.run();
    h.get_by_label("理由 Reason")
        .type_text("extends to Taizhou by design");
    h.run();
    h.get_by_label("确认 Acknowledge").click();
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
    assert_eq!(h.state().tool, onemap::app::tools::Tool::Polygon);
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
    h.get_by_label("跨界 cross-border: touches two or more cities");
    let field = "英文名称 Name (en)";
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
    h.state_mut().draw_action = "industry".into();
    h.key_press(egui::Key::G);
    h.run();
    let t = h.state().last_transform.unwrap();
    let at = |lon: f64, lat: f64| t.to_screen(merc(geo::Coord { x: lon, y: lat }));
    for (lon, lat) in [
        (120.15, 31.12),
        (120.25, 31.12),
        (120.25, 31.2),
        (120.15, 31.2),
    ] {
        click_at(&mut h, at(lon, lat));
    }
    h.key_press(egui::Key::Enter);
    h.run();
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
    assert_eq!(h.state().tool, onemap::app::tools::Tool::Move);
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
