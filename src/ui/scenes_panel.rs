//! The scenes panel: the project's scenes in presentation order. Add one from the current view,
//! show one, update it, rename it and give it titles, reorder by dragging its handle (or with
//! the arrows), delete it; and start presenting. Every change is one undo step.

use super::tr;
use egui::{RichText, Ui};

use crate::command::AppCommand;
use crate::edit::Edit;
use crate::model::project::{NamedScene, Project};

/// The selected scene and the text buffers of its fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SceneForm {
    pub selected: Option<usize>,
    /// Name, title zh, title en, subtitle zh, subtitle en.
    fields: [String; 5],
    /// The scene the buffers were loaded from; when it changes (an undo), they reload.
    loaded: Option<NamedScene>,
}

impl SceneForm {
    pub fn select(&mut self, index: usize) {
        self.selected = Some(index);
        self.loaded = None;
    }
}

fn set(label: crate::model::Bilingual, scenes: Vec<NamedScene>) -> AppCommand {
    AppCommand::Edit(Box::new(Edit::SetScenes { label, scenes }))
}

const FIELDS: [(&str, &str); 5] = [
    ("名称", "Name"),
    ("标题（中文）", "Title (zh)"),
    ("标题（英文）", "Title (en)"),
    ("副标题（中文）", "Subtitle (zh)"),
    ("副标题（英文）", "Subtitle (en)"),
];

fn field(scene: &mut NamedScene, i: usize) -> &mut String {
    match i {
        0 => &mut scene.name,
        1 => &mut scene.title_zh,
        2 => &mut scene.title_en,
        3 => &mut scene.subtitle_zh,
        _ => &mut scene.subtitle_en,
    }
}

pub fn scenes_panel_ui(
    ui: &mut Ui,
    project: &Project,
    form: &mut SceneForm,
    commands: &mut Vec<AppCommand>,
) {
    let scenes = &project.scenes;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(tr(ui.ctx(), "+ 添加当前视图", "+ Add current view"))
            .on_hover_text(tr(ui.ctx(), "以地图当前内容新建场景：视野、图层、选择", "A new scene of what the map shows now: view, layers, selection"))
            .clicked()
        {
            commands.push(AppCommand::AddScene);
        }
        if ui
            .add_enabled(!scenes.is_empty(), egui::Button::new(tr(ui.ctx(), "演示 (F5)", "Present (F5)")))
            .on_hover_text(tr(ui.ctx(), "全屏；PageDown、→ 或空格：下一页；PageUp 或 ←：上一页；H：高对比度；Esc：退出", "Full screen; PageDown, → or Space: next; PageUp or ←: back; H: high contrast; Esc: exit"))
            .clicked()
        {
            commands.push(AppCommand::Present(form.selected));
        }
    });
    ui.weak(tr(
        ui.ctx(),
        "拖动 ≡ 调整顺序；点击场景即可显示。",
        "Drag ≡ to reorder; click a scene to show it.",
    ));
    ui.separator();
    let mut moved: Option<(usize, usize)> = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (i, scene) in scenes.iter().enumerate() {
            let row = ui.horizontal(|ui| {
                ui.dnd_drag_source(ui.scope_id().with(("scene-handle", i)), i, |ui| {
                    ui.label("≡");
                })
                .response
                .on_hover_cursor(egui::CursorIcon::Grab);
                let lang = super::ui_language(ui.ctx());
                let title = match super::lang::name(lang, &scene.title_zh, &scene.title_en) {
                    "" => scene.name.as_str(),
                    title => title,
                };
                let text = format!("{}. {title}", i + 1);
                if ui
                    .selectable_label(form.selected == Some(i), text)
                    .clicked()
                {
                    commands.push(AppCommand::GoToScene(i));
                }
            });
            if let Some(from) = row.response.dnd_release_payload::<usize>() {
                moved = Some((*from, i));
            }
        }
    });
    if let Some((from, to)) = moved
        && from != to
    {
        commands.push(reorder(scenes, from, to));
        form.select(to);
    }
    let Some(i) = form.selected.filter(|i| *i < scenes.len()) else {
        return;
    };
    ui.separator();
    scene_fields_ui(ui, scenes, i, form, commands);
}

fn reorder(scenes: &[NamedScene], from: usize, to: usize) -> AppCommand {
    let mut v = scenes.to_vec();
    let scene = v.remove(from);
    let label = crate::model::Bilingual::new(
        format!("移动场景 {}", scene.name),
        format!("move scene {}", scene.name),
    );
    v.insert(to.min(v.len()), scene);
    set(label, v)
}

fn scene_fields_ui(
    ui: &mut Ui,
    scenes: &[NamedScene],
    i: usize,
    form: &mut SceneForm,
    commands: &mut Vec<AppCommand>,
) {
    let scene = &scenes[i];
    if form.loaded.as_ref() != Some(scene) {
        let mut s = scene.clone();
        form.fields = std::array::from_fn(|f| field(&mut s, f).clone());
        form.loaded = Some(scene.clone());
    }
    ui.label(RichText::new(format!("{} {}", tr(ui.ctx(), "场景", "Scene"), i + 1)).strong());
    for (f, (zh, en)) in FIELDS.iter().enumerate() {
        let label = tr(ui.ctx(), zh, en);
        ui.label(label);
        let response =
            ui.add(egui::TextEdit::singleline(&mut form.fields[f]).desired_width(f32::INFINITY));
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
        if response.lost_focus() {
            let text = form.fields[f].trim().to_owned();
            let mut changed = scene.clone();
            let taken = f == 0
                && scenes
                    .iter()
                    .enumerate()
                    .any(|(j, s)| j != i && s.name == text);
            if (f == 0 && text.is_empty()) || taken {
                // A scene needs a name of its own: `onemap export --scene` finds it by name.
                form.fields[f] = scene.name.clone();
            } else if *field(&mut changed, f) != text {
                *field(&mut changed, f) = text;
                let mut v = scenes.to_vec();
                v[i] = changed;
                let label = crate::model::Bilingual::new(
                    format!("重命名场景 {}", scene.name),
                    format!("rename scene {}", scene.name),
                );
                commands.push(set(label, v));
            }
        }
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(tr(ui.ctx(), "更新为当前视图", "Update"))
            .on_hover_text(tr(
                ui.ctx(),
                "把当前视野、图层和选择存入此场景",
                "Store the current view, layers and selection in this scene",
            ))
            .clicked()
        {
            commands.push(AppCommand::UpdateScene(i));
        }
        if ui.add_enabled(i > 0, egui::Button::new("▲")).clicked() {
            commands.push(reorder(scenes, i, i - 1));
            form.select(i - 1);
        }
        if ui
            .add_enabled(i + 1 < scenes.len(), egui::Button::new("▼"))
            .clicked()
        {
            commands.push(reorder(scenes, i, i + 1));
            form.select(i + 1);
        }
        if ui.button(tr(ui.ctx(), "删除", "Delete")).clicked() {
            let mut v = scenes.to_vec();
            v.remove(i);
            let label = crate::model::Bilingual::new(
                format!("删除场景 {}", scene.name),
                format!("delete scene {}", scene.name),
            );
            commands.push(set(label, v));
            form.selected = None;
        }
    });
}
