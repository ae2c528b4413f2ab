//! What a plan-check finding says, kept as data (the rule's facts and the names in both
//! languages) so that it can be said in the interface language. `onemap check` prints the
//! words it always has ([`FindingText::message`]: English sentences with the Chinese names, a
//! contract); the app says it in Chinese, or in English with the English names.

use super::lang::UiLanguage;

/// A name in both languages (either may be empty; the other stands in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    pub zh: String,
    pub en: String,
}

impl Names {
    pub fn new(zh: &str, en: &str) -> Self {
        Self {
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }

    fn in_chinese(&self) -> &str {
        if self.zh.is_empty() {
            &self.en
        } else {
            &self.zh
        }
    }

    fn in_english(&self) -> &str {
        if self.en.is_empty() {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// An area of the plan that a finding names, and whether it is our sketch (`indicative`): a
/// finding never states a sketch as the plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaName {
    pub names: Names,
    pub sketched: bool,
}

/// What the check found, with its numbers and the areas it names.
#[derive(Clone, Debug, PartialEq)]
pub enum Says {
    /// A building polygon takes this much of an ecological core.
    TakesCore { core: AreaName, km2: f64 },
    /// A building line runs this far through an ecological core; `corridor`: the line is a
    /// sketched corridor of the plan, not a placement.
    RunsThroughCore {
        core: AreaName,
        km: f64,
        corridor: bool,
    },
    /// A building point lies inside an ecological core.
    InsideCore { core: AreaName },
    /// A line crosses a water-source protection area.
    CrossesWater { water: AreaName, corridor: bool },
    /// No position lies in the plan area; `waters_sketched`: its waters are sketched zones.
    WhollyOutside { waters_sketched: bool },
    /// Some positions lie outside the plan area.
    PartlyOutside {
        outside: usize,
        of: usize,
        waters_sketched: bool,
    },
    /// The declared zone does not touch the geometry.
    SectionMismatch { zone: AreaName },
    /// The declared lead city does not touch the geometry.
    LeadCityMismatch { city: AreaName },
    /// An end of a greenway or blue way is this far from the network.
    Disconnected { km: f64 },
}

/// A finding's words: what it is about (a placement or a sketched corridor) and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingText {
    pub subject: Names,
    pub says: Says,
}

/// Which words an English sentence takes: the command line's (Chinese names, "示意"), or the
/// English interface's (English names, "indicative").
#[derive(Clone, Copy)]
struct English {
    chinese_names: bool,
}

impl English {
    fn name(self, names: &Names) -> &str {
        if self.chinese_names {
            names.in_chinese()
        } else {
            names.in_english()
        }
    }

    fn mark(self) -> &'static str {
        if self.chinese_names {
            "示意"
        } else {
            "indicative"
        }
    }

    /// "the sketched (示意) ecological core area 太湖", as `area_words` has always said it.
    fn area(self, what: &str, area: &AreaName) -> String {
        let name = self.name(&area.names);
        if area.sketched {
            format!("the sketched ({}) {what} {name}", self.mark())
        } else {
            format!("the {what} {name}")
        }
    }
}

impl FindingText {
    /// The words of `onemap check` (and of its JSON `message`): unchanged, a contract.
    pub fn message(&self) -> String {
        self.english(English {
            chinese_names: true,
        })
    }

    /// The words in the interface language.
    pub fn in_language(&self, lang: UiLanguage) -> String {
        match lang {
            UiLanguage::Chinese => self.chinese(),
            UiLanguage::English => self.english(English {
                chinese_names: false,
            }),
        }
    }

    fn english(&self, words: English) -> String {
        let name = words.name(&self.subject);
        let mark = words.mark();
        let core = |c: &AreaName| words.area("ecological core area", c);
        match &self.says {
            Says::TakesCore { core: c, km2 } => format!("{name} takes {km2:.2} km² of {}", core(c)),
            Says::RunsThroughCore {
                core: c,
                km,
                corridor,
            } => format!(
                "{}{name} runs {km:.2} km through {}",
                corridor_words(*corridor),
                core(c)
            ),
            Says::InsideCore { core: c } => format!("{name} is inside {}", core(c)),
            Says::CrossesWater { water, corridor } => format!(
                "{}{name} crosses {}",
                corridor_words(*corridor),
                words.area("water-source protection area", water)
            ),
            Says::WhollyOutside { waters_sketched } => {
                let area = if *waters_sketched {
                    format!("the nine cities and their waters, sketched as zones ({mark})")
                } else {
                    "the nine cities and their waters".to_owned()
                };
                format!("{name} lies wholly outside the plan area ({area})")
            }
            Says::PartlyOutside {
                outside,
                of,
                waters_sketched,
            } => {
                let note = if *waters_sketched {
                    format!(" (its waters: sketched zones, {mark})")
                } else {
                    String::new()
                };
                format!(
                    "{name} lies partly outside the plan area{note}: {outside} of {of} positions"
                )
            }
            Says::SectionMismatch { zone } => format!(
                "{name} is declared in {} but does not touch it",
                words.area("zone", zone)
            ),
            Says::LeadCityMismatch { city } => {
                let territory = if city.sketched {
                    format!("its sketched ({mark}) territory")
                } else {
                    "its territory".to_owned()
                };
                format!(
                    "{name} is led by {} but does not touch {territory}",
                    words.name(&city.names)
                )
            }
            Says::Disconnected { km } => format!(
                "{name} is not connected to the network: an end is {km:.1} km from it (more than 1 km)"
            ),
        }
    }

    fn chinese(&self) -> String {
        // A name that ends in a Latin letter or digit ("新项目 1") is set off from the Chinese
        // that follows by a space, as Chinese typesetting does.
        let subject = self.subject.in_chinese();
        let name = if subject.ends_with(|c: char| c.is_ascii_alphanumeric()) {
            format!("{subject} ")
        } else {
            subject.to_owned()
        };
        let area = |what: &str, a: &AreaName| {
            let sketched = if a.sketched { "示意" } else { "" };
            format!("{sketched}{what}「{}」", a.names.in_chinese())
        };
        let core = |c: &AreaName| area("生态核心区", c);
        let corridor = |yes: bool| if yes { "示意走廊" } else { "" };
        let waters = |sketched: bool| {
            if sketched {
                "（其水域为示意板块）"
            } else {
                ""
            }
        };
        match &self.says {
            Says::TakesCore { core: c, km2 } => format!("{name}占用{} {km2:.2} km²", core(c)),
            Says::RunsThroughCore {
                core: c,
                km,
                corridor: yes,
            } => format!("{}{name}穿过{} {km:.2} km", corridor(*yes), core(c)),
            Says::InsideCore { core: c } => format!("{name}位于{}内", core(c)),
            Says::CrossesWater {
                water,
                corridor: yes,
            } => format!("{}{name}穿越{}", corridor(*yes), area("水源保护区", water)),
            Says::WhollyOutside { waters_sketched } => format!(
                "{name}完全位于规划范围（九市及其水域）之外{}",
                waters(*waters_sketched)
            ),
            Says::PartlyOutside {
                outside,
                of,
                waters_sketched,
            } => format!(
                "{name}部分位于规划范围之外{}：{of} 个位置中有 {outside} 个",
                waters(*waters_sketched)
            ),
            Says::SectionMismatch { zone } => {
                format!("{name}申报位于{}，但与之不相交", area("板块", zone))
            }
            Says::LeadCityMismatch { city } => {
                let sketched = if city.sketched { "（示意）" } else { "" };
                format!(
                    "{name}由{}牵头，但未触及其辖区{sketched}",
                    city.names.in_chinese()
                )
            }
            Says::Disconnected { km } => {
                format!("{name}未接入网络：一端距网络 {km:.1} km（超过 1 km）")
            }
        }
    }
}

fn corridor_words(corridor: bool) -> &'static str {
    if corridor {
        "the sketched corridor "
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taihu(sketched: bool) -> AreaName {
        AreaName {
            names: Names::new("太湖", "Taihu"),
            sketched,
        }
    }

    fn text(says: Says) -> FindingText {
        FindingText {
            subject: Names::new("沪苏湖铁路", "Shanghai–Suzhou–Huzhou railway"),
            says,
        }
    }

    #[test]
    fn the_command_line_words_are_as_before_and_each_language_speaks_its_own() {
        let t = text(Says::RunsThroughCore {
            core: taihu(true),
            km: 1.054,
            corridor: false,
        });
        assert_eq!(
            t.message(),
            "沪苏湖铁路 runs 1.05 km through the sketched (示意) ecological core area 太湖"
        );
        assert_eq!(
            t.in_language(UiLanguage::English),
            "Shanghai–Suzhou–Huzhou railway runs 1.05 km through the sketched (indicative) ecological core area Taihu"
        );
        assert_eq!(
            t.in_language(UiLanguage::Chinese),
            "沪苏湖铁路穿过示意生态核心区「太湖」 1.05 km"
        );
        let t = text(Says::LeadCityMismatch { city: taihu(false) });
        assert_eq!(
            t.message(),
            "沪苏湖铁路 is led by 太湖 but does not touch its territory"
        );
        assert_eq!(
            t.in_language(UiLanguage::Chinese),
            "沪苏湖铁路由太湖牵头，但未触及其辖区"
        );
    }

    #[test]
    fn a_missing_name_falls_back_to_the_other_language() {
        let t = FindingText {
            subject: Names::new("", "Stray greenway"),
            says: Says::Disconnected { km: 45.73 },
        };
        assert_eq!(
            t.in_language(UiLanguage::Chinese),
            "Stray greenway 未接入网络：一端距网络 45.7 km（超过 1 km）"
        );
        assert_eq!(
            t.message(),
            "Stray greenway is not connected to the network: an end is 45.7 km from it (more than 1 km)"
        );
    }
}
