//! Customer users: what an admin sends to add or change one, what the API shows (never the password hash).

use crate::customers::set;
use chamado::CustomerUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A customer user to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUserIn {
    /// Login, unique.
    #[schema(schema_with = crate::rules::name)]
    pub login: String,
    /// Email address.
    #[serde(default)]
    #[schema(schema_with = crate::rules::email)]
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// The primary customer (CustomerID).
    #[serde(default)]
    pub customer_id: String,
    /// Portal password (stored as an Argon2id hash); without one the user cannot log in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::password_or_null)]
    pub password: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: String,
    /// Further customers the user belongs to.
    #[serde(default)]
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    #[serde(default = "crate::yes")]
    pub valid: bool,
    /// The language of the user's pages and mail (`pt-BR`); `null` for the browser's, else the system's.
    #[serde(default)]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<String>,
}

impl CustomerUserIn {
    /// The customer user to store, validated; without the password, which its holder hashes.
    pub fn to_customer_user(&self) -> Result<CustomerUser, chamado::Error> {
        let mut u = CustomerUser::new(self.login.clone(), self.email.clone(), self.customer_id.clone());
        u.first_name.clone_from(&self.first_name);
        u.last_name.clone_from(&self.last_name);
        u.phone.clone_from(&self.phone);
        u.extra_customer_ids.clone_from(&self.extra_customer_ids);
        u.valid = self.valid;
        crate::locale::check_language(self.language.as_deref())?;
        u.language.clone_from(&self.language);
        u.validate()?;
        Ok(u)
    }
}

/// A customer user as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomerUserOut {
    /// Login.
    pub login: String,
    /// Email address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number.
    pub phone: String,
    /// The primary customer.
    pub customer_id: String,
    /// Further customers.
    pub extra_customer_ids: Vec<String>,
    /// Valid or not.
    pub valid: bool,
    /// Whether a portal password is set.
    pub has_password: bool,
    /// Other identities (e.g. `telegram:123`).
    pub identities: Vec<String>,
    /// The user's own language, or `null` (the browser's, else the system's).
    #[serde(default)]
    pub language: Option<String>,
}

impl From<CustomerUser> for CustomerUserOut {
    fn from(u: CustomerUser) -> Self {
        CustomerUserOut {
            has_password: u.password_hash.is_some(),
            login: u.login,
            email: u.email,
            first_name: u.first_name,
            last_name: u.last_name,
            phone: u.phone,
            customer_id: u.customer_id,
            extra_customer_ids: u.extra_customer_ids,
            valid: u.valid,
            identities: u.identities,
            language: u.language,
        }
    }
}

/// Changes to a customer user; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUserPatch {
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::email_or_null)]
    pub email: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Primary customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Further customers (replaces the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_customer_ids: Option<Vec<String>>,
    /// New password.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::password_or_null)]
    pub password: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    /// The user's language: a tag sets it, `null` clears it (the browser's, else the system's),
    /// absent leaves it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<Option<String>>,
}

impl CustomerUserPatch {
    /// Applies the set fields to `u`, all but the password (which its holder hashes); refuses a
    /// language not spelled as the schema lists it.
    pub fn apply(&self, u: &mut CustomerUser) -> Result<(), chamado::Error> {
        set(&mut u.email, &self.email);
        set(&mut u.first_name, &self.first_name);
        set(&mut u.last_name, &self.last_name);
        set(&mut u.phone, &self.phone);
        set(&mut u.customer_id, &self.customer_id);
        if let Some(x) = &self.extra_customer_ids {
            u.extra_customer_ids.clone_from(x);
        }
        if let Some(v) = self.valid {
            u.valid = v;
        }
        if let Some(language) = &self.language {
            crate::locale::check_language(language.as_deref())?;
            u.language.clone_from(language);
        }
        Ok(())
    }
}

/// Customer users found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerUserList {
    /// In login order (or search order).
    pub customer_users: Vec<CustomerUserOut>,
}
