//! The frame's layout: toolbar, tools row, side and bottom panels around the map. Panels only
//! read the state and push commands, applied after the frame.

use egui::Ui;

use super::*;

impl OneMapApp {
    /// Draws one frame of the whole app.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.ctx = Some(ui.ctx().clone());
        ui::lang::set_ui_language(ui.ctx(), self.help.prefs.ui_language);
        // Ctrl+Q and close requests, in presenter mode too (see app/quit.rs).
        self.logic(ui.ctx());
        self.restyle();
        self.recheck();
        if self.presenting.is_some() {
            self.presenter_ui(ui);
            self.keep_journal(ui.ctx());
            self.update_title(ui.ctx());
            return;
        }
        let mut commands = Vec::new();
        self.shortcuts(ui, &mut commands);
        self.window_events(ui.ctx(), &mut commands);
        self.top_panels_ui(ui, &mut commands);
        self.bottom_panels_ui(ui, &mut commands);
        self.left_panel_ui(ui, &mut commands);
        self.inspector_panel_ui(ui, &mut commands);
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map_panel_ui(ui, &mut commands));
        if self.show_about {
            ui::about::about_window(
                ui.ctx(),
                &self.data.attribution,
                self.data.edition.as_ref(),
                &self.data.plan,
                &mut commands,
            );
        }
        self.help_ui(ui.ctx(), &mut commands);
        ui::basemap_picker::basemap_picker_ui(ui.ctx(), &mut self.basemap_picker, &mut commands);
        self.data_tables_ui(ui.ctx(), &mut commands);
        self.files.poll_browse();
        self.poll_basemap_browse(ui.ctx());
        if let Some(note) = &self.db.note {
            ui::db_dialogs::db_status_ui(ui.ctx(), note.pick(self.help.prefs.ui_language));
        }
        let import = self.files.import_progress();
        ui::dialogs::dialogs_ui(
            ui.ctx(),
            &mut self.files.dialog,
            import.as_ref(),
            self.files.desktop,
            &mut commands,
        );
        self.run_commands(commands);
        self.finish_import();
        self.finish_db_job();
        self.keep_journal(ui.ctx());
        self.update_title(ui.ctx());
    }

    /// The toolbar with the tools row, and the bar that lists unreadable data files.
    fn top_panels_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui::toolbar::toolbar_ui(
                ui,
                &self.data,
                &self.doc,
                &self.files.recent,
                &mut self.search,
                commands,
            );
            let lang = ui::ui_language(ui.ctx());
            let actions: Vec<(String, String)> = self
                .data
                .edition
                .as_ref()
                .map(|e| {
                    e.actions
                        .iter()
                        .map(|a| (a.id.clone(), lang.pick(&a.name_zh, &a.name_en).to_owned()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
                .into_iter()
                // Or a plan layer, to sketch the plan itself.
                .chain(
                    crate::model::overrides::EDITABLE_LAYERS
                        .iter()
                        .filter_map(|id| self.data.style.layer(id))
                        .map(|l| {
                            (
                                format!("layer:{}", l.id),
                                format!(
                                    "{} · {}",
                                    lang.pick("草图", "Sketch"),
                                    lang.pick(&l.name_zh, &l.name_en)
                                ),
                            )
                        }),
                )
                .collect();
            // Wrapped: in a small window (English names are long) the row goes on below
            // rather than past the edge.
            ui.horizontal_wrapped(|ui| {
                if self.review_mode {
                    ui::tools::review_tools_ui(ui, self.tool, &self.review, commands);
                } else {
                    ui::tools::tools_ui(
                        ui,
                        self.tool,
                        self.snap_on,
                        &self.draw_action,
                        &actions,
                        commands,
                    );
                }
                ui.separator();
                if ui
                    .button(lang.pick("演示 (F5)", "Present (F5)"))
                    .on_hover_text(lang.pick(
                        "全屏放映项目的场景",
                        "Full-screen slides of the project's scenes",
                    ))
                    .clicked()
                {
                    commands.push(AppCommand::Present(None));
                }
            });
        });
        if !self.data.problems.is_empty() && !self.problems_dismissed {
            egui::Panel::top("problems").show(ui, |ui| {
                ui::status_bar::problems_ui(ui, &self.data.problems, commands);
            });
        }
    }

    /// The status bar and the panels along the bottom, and the comments on the right, in the
    /// order egui lays them out.
    fn bottom_panels_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui::status_bar::checks_summary_ui(
                    ui,
                    &self.findings,
                    &self.doc.project,
                    self.checks_open,
                    commands,
                );
                if !self.review_mode && !self.review.review.comments.is_empty() {
                    let text = ui::comments_panel::comments_title(
                        ui.ctx(),
                        self.review.review.open_count(),
                    );
                    if ui.selectable_label(self.review.open, text).clicked() {
                        commands.push(AppCommand::ToggleComments);
                    }
                }
                ui::status_bar::status_bar_ui(
                    ui,
                    &self.data,
                    &self.doc,
                    self.cursor,
                    self.memory.zoom(),
                );
                ui::status_bar::tiles_status_ui(
                    ui,
                    self.tiles.loading(),
                    self.tiles.note_text(self.help.prefs.ui_language).as_deref(),
                    self.view().basemap.attribution(),
                );
            });
        });
        if self.checks_open && !self.findings.is_empty() {
            // About ten findings at first (a third of the window at most); the rest scroll.
            let height = (ui.available_height() / 3.0).clamp(130.0, 280.0);
            egui::Panel::bottom("checks")
                .resizable(true)
                .default_size(height)
                .show(ui, |ui| {
                    ui::checks_panel::checks_panel_ui(
                        ui,
                        &self.findings,
                        &self.doc.project,
                        &mut self.ack_draft,
                        commands,
                    );
                });
        }
        if let Some(compare) = &self.compare {
            egui::Panel::bottom("compare")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| {
                    ui::compare_panel::compare_panel_ui(ui, compare, commands);
                });
        }
        if let Some(merge) = &self.merge {
            egui::Panel::bottom("merge")
                .resizable(true)
                .default_size(240.0)
                .show(ui, |ui| {
                    ui::merge_panel::merge_panel_ui(ui, merge, commands);
                });
        }
        if self.review.open {
            egui::Panel::right("comments")
                .default_size(300.0)
                .show(ui, |ui| {
                    ui::comments_panel::comments_panel_ui(
                        ui,
                        &self.doc.project,
                        &mut self.review,
                        self.review_mode,
                        commands,
                    );
                });
        }
        if self.table_open {
            let selection = self.selected_placements();
            egui::Panel::bottom("placement_table")
                .resizable(true)
                .default_size(200.0)
                .show(ui, |ui| {
                    ui::placement_table::placement_table_ui(
                        ui,
                        &self.data,
                        &self.doc.project,
                        &self.placement_facts,
                        &selection,
                        &mut self.table,
                        commands,
                    );
                });
        }
    }

    /// The left panel: the layers or the scenes.
    fn left_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        egui::Panel::left("layers")
            .default_size(290.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(
                        &mut self.scenes_tab,
                        false,
                        ui::tr(ui.ctx(), "图层", "Layers"),
                    );
                    ui.selectable_value(
                        &mut self.scenes_tab,
                        true,
                        ui::tr(ui.ctx(), "场景", "Scenes"),
                    );
                });
                ui.separator();
                if !self.doc.project.plan_overrides.is_empty() {
                    ui::layers_panel::sketch_view_ui(
                        ui,
                        self.sketch_view,
                        &self.doc,
                        &self.data.style,
                        commands,
                    );
                }
                if self.scenes_tab {
                    ui::scenes_panel::scenes_panel_ui(
                        ui,
                        &self.doc.project,
                        &mut self.scene_form,
                        commands,
                    );
                } else {
                    ui::layers_panel::layers_panel_ui(ui, &self.data, &self.doc, commands);
                }
            });
    }

    /// The right panel: the placement form, or the inspector of another feature.
    fn inspector_panel_ui(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let placement_id = self
            .selected
            .as_ref()
            .map(|f| crate::model::project::PlacementId(f.0.clone()));
        // In review mode a placement shows in the read-only inspector, not the form.
        let placement_id = placement_id.filter(|_| !self.review_mode);
        if let Some((id, placement)) = placement_id.and_then(|id| {
            self.doc
                .project
                .placements
                .get(&id)
                .map(|p| (id, p.clone()))
        }) {
            let derived =
                crate::model::derived::derive(&self.data.plan, &placement.geometry.to_geo());
            egui::Panel::right("inspector")
                .default_size(320.0)
                .show(ui, |ui| {
                    ui::placement_form::placement_form_ui(
                        ui,
                        &self.data,
                        &id,
                        &placement,
                        &derived,
                        &mut self.form,
                        commands,
                    );
                });
        } else if let Some(id) = self.selected.clone()
            && self.doc.data_feature(&id).is_some()
        {
            egui::Panel::right("inspector")
                .default_size(300.0)
                .show(ui, |ui| self.data_feature_inspector_ui(ui, &id, commands));
        } else if let Some(feature) = self.selected.as_ref().and_then(|id| self.feature(id)) {
            egui::Panel::right("inspector")
                .default_size(300.0)
                .show(ui, |ui| {
                    let sketch = self
                        .doc
                        .project
                        .plan_overrides
                        .get(&feature.id.0)
                        .map(|o| o.kind_str());
                    ui::inspector::inspector_ui(
                        ui,
                        &feature,
                        &self.data.style,
                        sketch,
                        !self.review_mode,
                        commands,
                    );
                });
        }
    }
}
