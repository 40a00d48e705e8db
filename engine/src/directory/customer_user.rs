use super::validate_name;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A person of a customer who opens tickets (by mail, portal, chat or phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerUser {
    /// Login, unique.
    pub login: String,
    /// Email address; matched case-insensitively for mail intake.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number.
    pub phone: String,
    /// The primary customer (CustomerID).
    pub customer_id: String,
    /// Further customers this user belongs to.
    pub extra_customer_ids: Vec<String>,
    /// Invalid users are kept but cannot act.
    pub valid: bool,
    /// Password hash (the HTTP adapter's format); `None` means no portal login.
    pub password_hash: Option<String>,
    /// Other identities that map to this user, e.g. `telegram:12345`.
    pub identities: Vec<String>,
    /// The language of the pages, mails and chat messages this user gets (a tag such as `pt-BR`);
    /// `None` follows the browser, the chat app or the system default.
    pub language: Option<String>,
}

impl Default for CustomerUser {
    fn default() -> Self {
        CustomerUser {
            login: String::new(),
            email: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            phone: String::new(),
            customer_id: String::new(),
            extra_customer_ids: Vec::new(),
            valid: true,
            password_hash: None,
            identities: Vec::new(),
            language: None,
        }
    }
}

impl CustomerUser {
    /// A valid customer user of `customer_id`.
    pub fn new(login: impl Into<String>, email: impl Into<String>, customer_id: impl Into<String>) -> Self {
        CustomerUser { login: login.into(), email: email.into(), customer_id: customer_id.into(), ..Default::default() }
    }

    /// Every customer this user belongs to, primary first.
    pub fn customer_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.customer_id.as_str())
            .chain(self.extra_customer_ids.iter().map(String::as_str))
            .filter(|c| !c.is_empty())
    }

    /// True when the user belongs to `customer_id`.
    pub fn belongs_to(&self, customer_id: &str) -> bool {
        self.customer_ids().any(|c| c == customer_id)
    }

    /// The keys under which stores index this user for lookups: `email:<lowercase address>` and every
    /// identity. Stores index exactly these, so lookups agree across adapters.
    pub fn lookup_keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(1 + self.identities.len());
        if !self.email.is_empty() {
            keys.push(email_key(&self.email));
        }
        keys.extend(self.identities.iter().cloned());
        keys
    }

    /// `First Last`, or the login when no name is set.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() { self.login.clone() } else { name.to_string() }
    }

    /// Checks the fields an admin entered.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-customer-user-login"), &self.login)?;
        if !self.email.is_empty() && !looks_like_email(&self.email) {
            return Err(Error::validation(
                chamado_i18n::Message::new("error-email-invalid").arg("email", format!("{:?}", self.email)),
            ));
        }
        for id in &self.identities {
            validate_name(chamado_i18n::key("error-field-identity"), id)?;
        }
        Ok(())
    }
}

/// The lookup key for an email address (`email:` + lowercase address).
pub fn email_key(address: &str) -> String {
    format!("email:{}", address.trim().to_lowercase())
}

fn looks_like_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}
