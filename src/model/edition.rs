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
