//! The team-store dialogs: File › Open from database… (a connection, the projects found
//! there with their newest revision, and one to open) and File › Publish to database… (a
//! connection, the project's name and the revision's message). They only fill their forms
//! and push commands: the app connects, on a worker thread.

use egui::{Color32, Context, RichText, Ui};

use crate::command::{AppCommand, DbOpenForm, DbOpenRequest, DbPublishForm, DbPublishRequest};

use super::tr;

/// The width of the dialogs' content, in points: room for a connection string.
const WIDTH: f32 = 520.0;

fn window<'a>(ctx: &Context, zh: &'a str, en: &'a str) -> egui::Window<'a> {
    egui::Window::new(tr(ctx, zh, en))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .collapsible(false)
        .resizable(false)
}

/// The connection field, with where the password comes from; returns its response.
fn connection_field(ui: &mut Ui, url: &mut String) -> egui::Response {
    let label = ui.label(tr(
        ui.ctx(),
        "连接（libpq 连接字符串或 URI）",
        "Connection (a libpq connection string or URI)",
    ));
    let field = ui
        .add(
            egui::TextEdit::singleline(url)
                .hint_text("host=gis.example dbname=plan user=li")
                .desired_width(WIDTH),
        )
        .labelled_by(label.id);
    ui.label(
        RichText::new(tr(
            ui.ctx(),
            "密码不会被保存：请通过 PGPASSWORD、~/.pgpass 或服务文件（service=…）提供。",
            "The password is never saved: give it through PGPASSWORD, ~/.pgpass or a service file (service=…).",
        ))
        .weak(),
    );
    field
}

fn busy_note(ui: &mut Ui, zh: &str, en: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(tr(ui.ctx(), zh, en));
    });
}

/// File › Open from database…; returns whether it closes.
pub fn open_from_db_ui(
    ctx: &Context,
    form: &mut DbOpenForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    window(ctx, "从数据库打开", "Open from database").show(ctx, |ui| {
        ui.set_width(WIDTH);
        connection_field(ui, &mut form.url);
        let can_list = !form.busy && !form.url.trim().is_empty();
        if ui
            .add_enabled(
                can_list,
                egui::Button::new(tr(ctx, "列出项目", "List projects")),
            )
            .clicked()
        {
            commands.push(AppCommand::ListDbProjects(form.url.trim().to_owned()));
        }
        if form.busy {
            busy_note(ui, "正在连接…", "Connecting…");
        }
        if let Some(error) = &form.error {
            let text = RichText::new(error).color(Color32::from_rgb(200, 50, 40));
            ui.add(egui::Label::new(text).wrap());
        }
        if let Some(projects) = &form.projects {
            ui.separator();
            projects_ui(ui, projects, &mut form.selected);
            revision_ui(ui, &mut form.revision);
        }
        ui.separator();
        ui.horizontal(|ui| {
            let revision = form.revision();
            let ready = !form.busy && form.selected.is_some() && revision.is_some();
            if ui
                .add_enabled(ready, egui::Button::new(tr(ctx, "打开", "Open")))
                .clicked()
                && let (Some(project), Some(revision)) = (form.selected.clone(), revision)
            {
                commands.push(AppCommand::OpenFromDb(DbOpenRequest {
                    url: form.url.trim().to_owned(),
                    project,
                    revision,
                }));
                form.busy = true;
            }
            cancel_button(ui, form.busy, true, commands, &mut close);
        });
    });
    close
}

/// Cancel: while the app talks to the store, stops that (the dialog stays, to try again);
/// else closes the dialog.
fn cancel_button(
    ui: &mut Ui,
    busy: bool,
    enabled: bool,
    commands: &mut Vec<AppCommand>,
    close: &mut bool,
) {
    let button = egui::Button::new(tr(ui.ctx(), "取消", "Cancel"));
    if ui.add_enabled(enabled, button).clicked() {
        if busy {
            commands.push(AppCommand::CancelDbJob);
        } else {
            *close = true;
        }
    }
}

/// The projects of the store: name, newest revision, who saved it and when.
fn projects_ui(
    ui: &mut Ui,
    projects: &[crate::command::DbProjectRow],
    selected: &mut Option<String>,
) {
    if projects.is_empty() {
        ui.label(tr(
            ui.ctx(),
            "此数据库中还没有项目：先发布一个（文件 > 发布到数据库…）。",
            "No projects in this database yet: publish one first (File: Publish to database…).",
        ));
        return;
    }
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .show(ui, |ui| {
            egui::Grid::new("db-projects")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for (zh, en) in [
                        ("项目", "Project"),
                        ("最新修订版", "Newest revision"),
                        ("保存者", "Saved by"),
                        ("时间（UTC）", "Time (UTC)"),
                    ] {
                        ui.label(RichText::new(tr(ui.ctx(), zh, en)).strong());
                    }
                    ui.end_row();
                    for p in projects {
                        let chosen = selected.as_deref() == Some(p.name.as_str());
                        if ui.selectable_label(chosen, &p.name).clicked() {
                            *selected = Some(p.name.clone());
                        }
                        ui.label(p.head.to_string());
                        ui.label(&p.author);
                        ui.label(p.time.replace('T', " ").trim_end_matches('Z').to_owned());
                        ui.end_row();
                    }
                });
        });
}

fn revision_ui(ui: &mut Ui, revision: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(tr(ui.ctx(), "修订版", "Revision"));
        ui.add(egui::TextEdit::singleline(revision).desired_width(60.0))
            .labelled_by(label.id);
        ui.label(
            RichText::new(tr(
                ui.ctx(),
                "留空：最新修订版，可编辑；较早的修订版以只读方式打开。",
                "Empty: the newest, to edit; an older revision opens read-only.",
            ))
            .weak(),
        );
    });
    if revision
        .trim()
        .parse::<i32>()
        .map_or(!revision.trim().is_empty(), |r| r < 1)
    {
        ui.colored_label(
            Color32::from_rgb(200, 50, 40),
            tr(
                ui.ctx(),
                "修订版是大于 0 的整数。",
                "A revision is a whole number above 0.",
            ),
        );
    }
}

/// File › Publish to database…; returns whether it closes.
pub fn publish_to_db_ui(
    ctx: &Context,
    form: &mut DbPublishForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    window(ctx, "发布到数据库", "Publish to database").show(ctx, |ui| {
        ui.set_width(WIDTH);
        connection_field(ui, &mut form.url);
        egui::Grid::new("db-publish").num_columns(2).show(ui, |ui| {
            let label = ui.label(tr(ctx, "项目名", "Project name"));
            ui.add(egui::TextEdit::singleline(&mut form.project).desired_width(300.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr(ctx, "说明", "Message"));
            ui.add(egui::TextEdit::singleline(&mut form.message).desired_width(300.0))
                .labelled_by(label.id);
            ui.end_row();
        });
        let based = match (&form.based_on, super::ui_language(ctx)) {
            (Some((p, r)), crate::model::UiLanguage::Chinese) => {
                format!("基于 {p} 的修订版 {r}：其后保存的修改会合并进来；有冲突时打开合并视图，不写入任何内容。")
            }
            (Some((p, r)), crate::model::UiLanguage::English) => format!(
                "Based on revision {r} of {p}: what was saved since is merged in; conflicts open the merge view and write nothing."
            ),
            (None, _) => tr(
                ctx,
                "此项目不是从数据库打开的：发布将新建该项目（若该名称已被占用则拒绝）。",
                "This project did not come from the database: publishing creates the project (refused if the name is taken).",
            )
            .to_owned(),
        };
        ui.add(egui::Label::new(RichText::new(based).weak()).wrap());
        if form.cancelling {
            busy_note(
                ui,
                "已开始写入：正在等待它整体完成或整体撤销…",
                "Already writing: waiting for it to finish or roll back as a whole…",
            );
        } else if form.busy {
            busy_note(ui, "正在发布…", "Publishing…");
        }
        ui.separator();
        ui.horizontal(|ui| {
            let ready =
                !form.busy && !form.url.trim().is_empty() && !form.project.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr(ctx, "发布", "Publish")))
                .clicked()
            {
                commands.push(AppCommand::PublishToDb(DbPublishRequest {
                    url: form.url.trim().to_owned(),
                    project: form.project.trim().to_owned(),
                    message: form.message.trim().to_owned(),
                }));
                form.busy = true;
            }
            cancel_button(ui, form.busy, !form.cancelling, commands, &mut close);
        });
    });
    close
}

/// The note shown while the app talks to the store (the window stays usable).
pub fn db_status_ui(ctx: &Context, note: &str) {
    egui::Window::new(tr(ctx, "数据库", "Database"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
        .collapsible(false)
        .resizable(false)
        .title_bar(true)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(note);
            });
        });
}
