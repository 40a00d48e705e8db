//! The groups every customer user is in: Znuny's SysConfig setting `CustomerGroupAlwaysGroups`, kept in
//! the database since OTRS 6 (`sysconfig_modified` when an admin changed it, else `sysconfig_default`),
//! as YAML (`---\n- users\n`). Znuny gives those groups every customer permission, so they become
//! grants of `ro` and `rw` to every customer user.

use super::Directory;
use crate::db::Db;
use crate::error::Result;
use crate::lookups::Lookups;
use chamado::{Grant, GrantSubject, Permission, PermissionSet, Record};

/// The setting's name.
pub(super) const SETTING: &str = "CustomerGroupAlwaysGroups";

pub(super) async fn read(db: &Db, l: &Lookups, d: &mut Directory) -> Result<()> {
    // A system-wide change that is deployed wins over the default.
    let modified = format!(
        "SELECT effective_value FROM sysconfig_modified WHERE name = '{SETTING}' AND user_id IS NULL \
         AND is_valid = 1 AND is_dirty = 0"
    );
    let default = format!("SELECT effective_value FROM sysconfig_default WHERE name = '{SETTING}' AND is_valid = 1");
    let mut value = db.rows("sysconfig_modified", &modified).await?.first().map(|r| r.text(0));
    if value.is_none() {
        value = db.rows("sysconfig_default", &default).await?.first().map(|r| r.text(0));
    }
    let Some(value) = value else {
        d.skip(
            "setting",
            SETTING,
            "the database holds no value for it (SysConfig not deployed): grant the groups every customer user \
             should have with `chamado-admin grants default-group GROUP rw` (Znuny's default is group users)",
        );
        return Ok(());
    };
    let permissions = PermissionSet::of(&[Permission::Ro, Permission::Rw]);
    for group in yaml_list(&value) {
        if l.groups.values().any(|g| *g == group) {
            d.push(Record::Grant(Grant::group(GrantSubject::DefaultCustomerUsers, group, permissions)));
        } else {
            d.skip("grant", format!("{SETTING} {group}"), "the group does not exist");
        }
    }
    Ok(())
}

/// The items of a YAML list of strings as Znuny writes one (`- users`, `- 'two words'`, `- "x"`).
fn yaml_list(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter_map(|line| line.trim().strip_prefix("- ").or_else(|| (line.trim() == "-").then_some("")))
        .map(unquote)
        .filter(|s| !s.is_empty())
        .collect()
}

fn unquote(item: &str) -> String {
    let item = item.trim();
    if let Some(inner) = item.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    if let Some(inner) = item.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return inner.replace("\\\"", "\"").replace("\\\\", "\\");
    }
    item.to_string()
}

#[cfg(test)]
mod tests {
    use super::yaml_list;

    #[test]
    fn reads_the_lists_znuny_writes() {
        assert_eq!(yaml_list("---\n- users\n"), ["users"]);
        assert_eq!(yaml_list("---\n- users\n- 'two words'\n- \"it's\"\n"), ["users", "two words", "it's"]);
        assert_eq!(yaml_list("--- []\n"), Vec::<String>::new());
        assert_eq!(yaml_list("garbage: {\n-\n"), Vec::<String>::new());
    }
}
