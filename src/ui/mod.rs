//! Panels. They read the app's data and view settings and push [`crate::app::AppCommand`]s;
//! they never change the plan or the settings themselves.

pub mod about;
pub mod checks_panel;
pub mod comments_panel;
pub mod compare_panel;
pub mod inspector;
pub mod layers_panel;
pub mod merge_panel;
pub mod overlays;
pub mod placement_form;
pub mod placement_table;
pub mod plan_about;
pub mod scenes_panel;
pub mod status_bar;
pub mod swatch;
pub mod toolbar;

use crate::model::LabelLanguage;

/// A name in the UI's language, which follows the label language (both: Chinese first).
pub fn ui_name(language: LabelLanguage, zh: &str, en: &str) -> String {
    match language {
        LabelLanguage::Chinese => zh.to_owned(),
        LabelLanguage::English => en.to_owned(),
        LabelLanguage::Both => format!("{zh} {en}"),
    }
}
