//! The team store's errors in the interface language, for the app (the command line prints
//! them in English, as the other subcommands do). What the server itself said stays in its
//! words: it is what an administrator searches for.

use super::DbError;
use crate::model::UiLanguage;

impl DbError {
    /// The message in `lang`.
    pub fn in_language(&self, lang: UiLanguage) -> String {
        match lang {
            UiLanguage::English => self.to_string(),
            UiLanguage::Chinese => self.in_chinese(),
        }
    }

    fn in_chinese(&self) -> String {
        match self {
            Self::BadUrl(reason) => format!("数据库地址无效：{reason}"),
            Self::Connect { target, reason } => format!("无法连接到 {target}：{reason}"),
            Self::NoPostgis { target, reason } => format!(
                "{target} 没有 PostGIS：{reason}（请管理员在该数据库中运行 `CREATE EXTENSION postgis;`，或由其所有者运行 `onemap db init`）"
            ),
            Self::NotInitialized { target } => {
                format!("{target} 中没有 OneMap 的表：请先运行 `onemap db init URL`")
            }
            Self::NewerSchema {
                target,
                found,
                supported,
            } => format!(
                "{target} 中 OneMap 表的结构版本为 {found}，来自更新的 OneMap；本程序只认识版本 {supported}：请更新 OneMap"
            ),
            Self::OlderSchema {
                target,
                found,
                needed,
                what,
            } => {
                let what = match *what {
                    "plan editions" => "规划版本",
                    _ => "保存",
                };
                format!(
                    "{target} 中 OneMap 表的结构版本为 {found}；本程序的{what}功能需要版本 {needed}：请由数据库所有者运行 `onemap db init URL` 更新"
                )
            }
            Self::NoEdition {
                target,
                name,
                known,
            } => {
                let known = if known.is_empty() {
                    "（其中没有任何规划版本：用 `onemap db edition push DIR URL` 上传）".to_owned()
                } else {
                    format!("（其中有：{}）", known.join("、"))
                };
                format!("{target} 中没有名为 {name:?} 的规划版本{known}")
            }
            Self::NoEditionVersion {
                name,
                version,
                newest,
            } => format!("规划版本 {name:?} 没有第 {version} 版（最新为第 {newest} 版）"),
            Self::NoProject { target, project } => {
                format!("{target} 中没有名为 {project:?} 的项目")
            }
            Self::NoRevision {
                project,
                revision,
                head,
            } => format!("项目 {project:?} 没有修订版 {revision}（最新为 {head}）"),
            Self::Unrelated { project, head } => format!(
                "数据库中已有项目 {project:?}（修订版 {head}），而此项目并非从中取出：请先从数据库打开它，或以另一个项目名发布"
            ),
            Self::AheadOfServer {
                project,
                base,
                head,
            } => format!(
                "此项目基于 {project:?} 的修订版 {base}，而数据库的最新修订版为 {head}：它来自另一个数据库"
            ),
            Self::Refused(reason) => format!("服务器拒绝：{reason}"),
            Self::BadRow {
                project,
                table,
                key,
                message,
            } => format!("项目 {project:?} 的 {table} 行 {key} 无法读取：{message}"),
            Self::Server { what, reason, .. } => format!("数据库操作失败（{what}）：{reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_in_chinese_and_names_the_server_and_project() {
        let target = super::super::Target("li@gis.example:5432/plan".into());
        let errors = [
            DbError::Connect {
                target: target.clone(),
                reason: "connection refused".into(),
            },
            DbError::NoProject {
                target,
                project: "plan".into(),
            },
        ];
        for e in errors {
            let zh = e.in_language(UiLanguage::Chinese);
            assert!(zh.contains("无法连接") || zh.contains("没有名为"), "{zh}");
            assert!(zh.contains("li@gis.example:5432/plan"), "{zh}");
            assert_eq!(e.in_language(UiLanguage::English), e.to_string());
        }
    }
}
