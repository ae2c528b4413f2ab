//! The three-way merge view: for each conflict, what the open project (mine) and the other
//! version (theirs) did to the common ancestor, and the merged choice; then write the result.

use super::tr;
use egui::{RichText, Ui};

use crate::command::{AppCommand, MergeState, PathPurpose};
use crate::edit::merge::words::{self, Side, by_subject};
use crate::map::changes::{ADDED, CHANGED};
use crate::model::diff::Subject;
use crate::model::diff_words::{field_title, subject_words, value_words};

pub fn merge_panel_ui(ui: &mut Ui, m: &MergeState, commands: &mut Vec<AppCommand>) {
    let lang = super::ui_language(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{}: {} {} · {} {}",
                tr(ui.ctx(), "三方合并", "Three-way merge"),
                tr(ui.ctx(), "共同祖先", "base"),
                m.base_path.display(),
                tr(ui.ctx(), "他们的", "theirs"),
                m.theirs_path.display()
            ))
            .strong(),
        );
        let (taken, conflicts) = (m.taken_cleanly, m.result.conflicts.len());
        ui.label(match lang {
            crate::model::UiLanguage::Chinese => {
                format!("已无冲突地采用他们的改动 {taken} 处，冲突字段 {conflicts} 个")
            }
            crate::model::UiLanguage::English => format!(
                "{taken} {} of theirs taken cleanly, {conflicts} conflicting {}",
                if taken == 1 { "change" } else { "changes" },
                if conflicts == 1 { "field" } else { "fields" }
            ),
        });
        // A refused publish: the result becomes the open project, published again by the user.
        if m.db.is_some()
            && ui
                .button(tr(
                    ui.ctx(),
                    "采用合并结果（然后再次发布）",
                    "Take the merged result (then publish again)",
                ))
                .clicked()
        {
            commands.push(AppCommand::TakeDbMerge);
        }
        if ui
            .button(tr(ui.ctx(), "写出合并结果…", "Write merged…"))
            .clicked()
        {
            commands.push(AppCommand::AskPath(PathPurpose::WriteMerged));
        }
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::CloseMerge);
        }
    });
    if let Some(db) = &m.db {
        let text = match lang {
            crate::model::UiLanguage::Chinese => format!(
                "发布被拒绝：自修订版 {} 以来，修订版 {} 改动了相同的字段。数据库中未写入任何内容。",
                db.base, db.head
            ),
            crate::model::UiLanguage::English => format!(
                "Not published: revision {} changed the same fields since revision {}. Nothing was written to the database.",
                db.head, db.base
            ),
        };
        ui.colored_label(CHANGED, text);
    }
    ui.separator();
    if m.result.conflicts.is_empty() {
        ui.label(tr(
            ui.ctx(),
            "没有冲突：每处改动只在一方，或双方相同。",
            "No conflicts: every change was made on one side only, or alike on both.",
        ));
        return;
    }
    // One row per subject in conflict, a line per conflicting field in each cell, in the
    // words `onemap merge` prints; the choice takes mine or theirs for all of its fields.
    let base_lines = by_subject(&m.result.conflicts, Side::Base);
    let mut subjects: Vec<(&Subject, &str)> = Vec::new();
    for c in &m.result.conflicts {
        if subjects.last().is_none_or(|(s, _)| **s != c.subject) {
            subjects.push((&c.subject, &c.name));
        }
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("conflicts")
            .striped(true)
            .max_col_width(380.0)
            .num_columns(4)
            .show(ui, |ui| {
                ui.label(RichText::new(tr(ui.ctx(), "冲突", "Conflict")).strong());
                ui.label(RichText::new(tr(ui.ctx(), "我的", "Mine")).strong());
                ui.label(RichText::new(tr(ui.ctx(), "合并", "Merged")).strong());
                ui.label(RichText::new(tr(ui.ctx(), "他们的", "Theirs")).strong());
                ui.end_row();
                let lang = super::ui_language(ui.ctx());
                for (subject, name) in subjects {
                    let theirs = m.take_theirs.contains(subject);
                    let cell = |lines: &std::collections::BTreeMap<Subject, String>| {
                        lines
                            .get(subject)
                            .map(|l| field_lines(l, lang))
                            .unwrap_or_default()
                    };
                    // A placement's or scene's name is "中文 / English" (as `onemap merge`
                    // prints it): the panel shows the interface language's half.
                    let name = match (subject, name.split_once(" / ")) {
                        (Subject::Placement(_) | Subject::Scene(_), Some((zh, en))) => {
                            lang.pick(zh, en)
                        }
                        _ => name,
                    };
                    ui.vertical(|ui| {
                        let title = match lang {
                            crate::model::UiLanguage::English => words::subject(subject, name),
                            crate::model::UiLanguage::Chinese if name.is_empty() => {
                                subject_words(subject, lang)
                            }
                            crate::model::UiLanguage::Chinese => {
                                format!("{} «{name}»", subject_words(subject, lang))
                            }
                        };
                        ui.label(RichText::new(title).strong());
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!(
                                    "{} — {}",
                                    tr(ui.ctx(), "共同祖先", "base"),
                                    cell(&base_lines)
                                ))
                                .weak(),
                            )
                            .wrap(),
                        );
                    });
                    ui.add(egui::Label::new(cell(&m.mine_lines)).wrap());
                    ui.horizontal(|ui| {
                        if ui
                            .radio(!theirs, tr(ui.ctx(), "← 我的", "← mine"))
                            .clicked()
                        {
                            commands.push(AppCommand::ResolveConflict(subject.clone(), false));
                        }
                        if ui
                            .radio(theirs, tr(ui.ctx(), "他们的 →", "theirs →"))
                            .clicked()
                        {
                            commands.push(AppCommand::ResolveConflict(subject.clone(), true));
                        }
                    });
                    ui.add(
                        egui::Label::new(RichText::new(cell(&m.theirs_lines)).color(if theirs {
                            ADDED
                        } else {
                            CHANGED
                        }))
                        .wrap(),
                    );
                    ui.end_row();
                }
            });
    });
}

/// The lines of a conflict's cell ("horizon: 2050", as `onemap merge` words them), with the
/// fields' names and the values' words in the interface language.
fn field_lines(lines: &str, lang: crate::model::UiLanguage) -> String {
    lines
        .lines()
        .map(|line| match line.split_once(": ") {
            Some((field, value)) => {
                format!("{}: {}", field_title(field, lang), value_words(value, lang))
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
