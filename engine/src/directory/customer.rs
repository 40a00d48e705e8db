use super::validate_name;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// A customer: the unit that uses services (a company, a department). OTRS calls its key the CustomerID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    /// The CustomerID, unique.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Street address.
    pub street: String,
    /// Postal code.
    pub zip: String,
    /// City.
    pub city: String,
    /// Country.
    pub country: String,
    /// Web address.
    pub url: String,
    /// Free text for agents.
    pub comment: String,
    /// Invalid customers are kept, but their users cannot act through the company.
    pub valid: bool,
}

impl Default for Customer {
    fn default() -> Self {
        Customer {
            id: String::new(),
            name: String::new(),
            street: String::new(),
            zip: String::new(),
            city: String::new(),
            country: String::new(),
            url: String::new(),
            comment: String::new(),
            valid: true,
        }
    }
}

impl Customer {
    /// A valid customer with an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Customer { id: id.into(), name: name.into(), ..Default::default() }
    }

    /// Checks the fields an admin entered.
    pub fn validate(&self) -> Result<()> {
        validate_name(chamado_i18n::key("error-field-customer-id"), &self.id)?;
        validate_name(chamado_i18n::key("error-field-customer-name"), &self.name)
    }
}
