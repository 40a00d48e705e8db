use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One group permission. Agents may hold any; customer users only `ro` and `rw`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// See tickets in the group's queues.
    Ro,
    /// Move tickets into the group's queues.
    MoveInto,
    /// Create tickets in the group's queues.
    Create,
    /// Add internal notes.
    Note,
    /// Become or set the owner.
    Owner,
    /// Change the priority.
    Priority,
    /// Full rights; implies every other permission.
    Rw,
}

impl Permission {
    /// All permissions in OTRS's order.
    pub const ALL: [Permission; 7] = [
        Permission::Ro,
        Permission::MoveInto,
        Permission::Create,
        Permission::Note,
        Permission::Owner,
        Permission::Priority,
        Permission::Rw,
    ];

    /// The OTRS name (`move_into`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Ro => "ro",
            Permission::MoveInto => "move_into",
            Permission::Create => "create",
            Permission::Note => "note",
            Permission::Owner => "owner",
            Permission::Priority => "priority",
            Permission::Rw => "rw",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            Error::validation(chamado_i18n::Message::new("error-permission-unknown").arg("text", format!("{s:?}")))
        })
    }
}

/// A set of permissions. `rw` implies all the others; nothing else implies anything.
///
/// ```
/// use chamado::{Permission, PermissionSet};
/// let rw = PermissionSet::of(&[Permission::Rw]);
/// assert!(rw.allows(Permission::Priority));
/// let ro = PermissionSet::of(&[Permission::Ro]);
/// assert!(!ro.allows(Permission::Note));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(u8);

impl PermissionSet {
    /// No permission.
    pub const EMPTY: PermissionSet = PermissionSet(0);

    /// A set of the given permissions.
    pub fn of(perms: &[Permission]) -> Self {
        PermissionSet(perms.iter().fold(0, |acc, p| acc | p.bit()))
    }

    /// True when `p` is held, directly or through `rw`.
    pub fn allows(self, p: Permission) -> bool {
        self.0 & (p.bit() | Permission::Rw.bit()) != 0
    }

    /// True when `p` itself is in the set (no implication).
    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// The union.
    pub fn union(self, other: PermissionSet) -> Self {
        PermissionSet(self.0 | other.0)
    }

    /// True when nothing is held.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The permissions in the set, in OTRS's order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.contains(*p))
    }

    /// Adds a permission.
    pub fn insert(&mut self, p: Permission) {
        self.0 |= p.bit();
    }
}

impl Serialize for PermissionSet {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Permission::as_str))
    }
}

impl<'de> Deserialize<'de> for PermissionSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut set = PermissionSet::EMPTY;
        for n in names {
            set.insert(n.parse().map_err(serde::de::Error::custom)?);
        }
        Ok(set)
    }
}
