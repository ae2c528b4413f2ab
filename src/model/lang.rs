//! Which language map labels are shown in.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelLanguage {
    #[default]
    Chinese,
    English,
    Both,
}

impl LabelLanguage {
    pub const ALL: [Self; 3] = [Self::Chinese, Self::English, Self::Both];

    /// The label for a feature with these names. Falls back to the other language when one is
    /// missing, so a feature never goes unlabelled just because a translation is absent.
    pub fn label(self, zh: &str, en: &str) -> String {
        match self {
            Self::Chinese if !zh.is_empty() => zh.to_owned(),
            Self::English if !en.is_empty() => en.to_owned(),
            Self::Both if !zh.is_empty() && !en.is_empty() => format!("{zh}\n{en}"),
            _ if zh.is_empty() => en.to_owned(),
            _ => zh.to_owned(),
        }
    }

    /// The name of the choice itself, as shown on the switch.
    pub fn title(self) -> &'static str {
        match self {
            Self::Chinese => "中文",
            Self::English => "English",
            Self::Both => "中文 + English",
        }
    }
}

/// The language of the interface: menus, panels, dialogs. One at a time, chosen apart from the
/// label language, which only says how the map (and its legend and exports) names features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum UiLanguage {
    #[default]
    Chinese,
    English,
}

impl UiLanguage {
    pub const ALL: [Self; 2] = [Self::Chinese, Self::English];

    /// The text in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Chinese => zh,
            Self::English => en,
        }
    }

    /// The name of the choice, in its own language so that anyone can find their way back.
    pub fn title(self) -> &'static str {
        match self {
            Self::Chinese => "中文",
            Self::English => "English",
        }
    }

    /// The label language that reads the same, for text shared with the map (the legend's words).
    pub fn as_label_language(self) -> LabelLanguage {
        match self {
            Self::Chinese => LabelLanguage::Chinese,
            Self::English => LabelLanguage::English,
        }
    }
}

/// A text in both interface languages, for words made where the language is not at hand (an
/// error kept with the state it explains, a step of the undo history), said when shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn pick(&self, lang: UiLanguage) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// A name in a label language, on one line (both: Chinese first), as the legend shows it.
pub fn ui_name(language: LabelLanguage, zh: &str, en: &str) -> String {
    match language {
        LabelLanguage::Chinese => zh.to_owned(),
        LabelLanguage::English => en.to_owned(),
        LabelLanguage::Both => format!("{zh} {en}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_translation_falls_back_to_the_other_language() {
        assert_eq!(LabelLanguage::English.label("苏州", ""), "苏州");
        assert_eq!(LabelLanguage::Chinese.label("", "Suzhou"), "Suzhou");
        assert_eq!(LabelLanguage::Both.label("苏州", "Suzhou"), "苏州\nSuzhou");
        assert_eq!(LabelLanguage::Both.label("苏州", ""), "苏州");
    }
}
