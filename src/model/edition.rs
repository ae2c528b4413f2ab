//! A plan edition's identity, horizons and system actions (`layers/edition.ron`).

use serde::{Deserialize, Serialize};

/// One of the plan's system actions; each has a project library of placements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub lead_zh: String,
    /// Whether the action builds on land, and so must keep out of ecological space.
    pub building: bool,
    /// The action's framework focus (框架重点), point by point as the plan states it. Editions
    /// written before the focus was recorded have none.
    #[serde(default)]
    pub focus_zh: Vec<String>,
    /// The same points in English (a translation; the Chinese is the source's wording).
    #[serde(default)]
    pub focus_en: Vec<String>,
}

impl Action {
    /// The lead department and the focus, one point a line, Chinese with English beneath:
    /// the action picker's tooltip and the "About this plan" text.
    pub fn focus_text(&self) -> String {
        let mut lines = vec![format!(
            "{} · {}（{}牵头）",
            self.name_zh, self.name_en, self.lead_zh
        )];
        for (i, zh) in self.focus_zh.iter().enumerate() {
            lines.push(format!("• {zh}"));
            if let Some(en) = self.focus_en.get(i) {
                lines.push(format!("  {en}"));
            }
        }
        lines.join("\n")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edition {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub source: String,
    pub horizons: Vec<u16>,
    pub actions: Vec<Action>,
}

impl Edition {
    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r#"(id: "e", name_zh: "规划", name_en: "Plan", source: "[k]", horizons: [2035],
        actions: [(id: "a", name_zh: "行动", name_en: "Action", lead_zh: "某局", building: false)])"#;

    #[test]
    fn an_edition_without_action_focus_still_reads() {
        let e: Edition = ron::from_str(OLD).unwrap();
        assert!(e.actions[0].focus_zh.is_empty());
        assert_eq!(e.actions[0].focus_text(), "行动 · Action（某局牵头）");
    }

    #[test]
    fn the_focus_text_lists_each_point_with_its_translation() {
        let mut e: Edition = ron::from_str(OLD).unwrap();
        e.actions[0].focus_zh = vec!["甲".into(), "乙".into()];
        e.actions[0].focus_en = vec!["A".into()];
        assert_eq!(
            e.actions[0].focus_text(),
            "行动 · Action（某局牵头）\n• 甲\n  A\n• 乙"
        );
    }
}
