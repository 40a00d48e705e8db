//! Customers (companies): the body an admin sends and reads, and the patch rule.

use chamado::Customer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A customer (company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerBody {
    /// The CustomerID, unique.
    #[schema(schema_with = crate::rules::name)]
    pub id: String,
    /// Name.
    #[schema(schema_with = crate::rules::name)]
    pub name: String,
    /// Street.
    #[serde(default)]
    pub street: String,
    /// Postal code.
    #[serde(default)]
    pub zip: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Country.
    #[serde(default)]
    pub country: String,
    /// Web address.
    #[serde(default)]
    pub url: String,
    /// Free text.
    #[serde(default)]
    pub comment: String,
    /// Invalid customers are kept but grant nothing.
    #[serde(default = "crate::yes")]
    pub valid: bool,
}

impl From<Customer> for CustomerBody {
    fn from(c: Customer) -> Self {
        CustomerBody {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

impl From<CustomerBody> for Customer {
    fn from(c: CustomerBody) -> Self {
        Customer {
            id: c.id,
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country,
            url: c.url,
            comment: c.comment,
            valid: c.valid,
        }
    }
}

/// Changes to a customer; unset fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = crate::rules::name_or_null)]
    pub name: Option<String>,
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Web address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Valid or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
}

impl CustomerPatch {
    /// Applies the set fields to `c`.
    pub fn apply(&self, c: &mut Customer) {
        set(&mut c.name, &self.name);
        set(&mut c.street, &self.street);
        set(&mut c.zip, &self.zip);
        set(&mut c.city, &self.city);
        set(&mut c.country, &self.country);
        set(&mut c.url, &self.url);
        set(&mut c.comment, &self.comment);
        if let Some(v) = self.valid {
            c.valid = v;
        }
    }
}

/// Replaces `field` when a value is given.
pub(crate) fn set(field: &mut String, v: &Option<String>) {
    if let Some(v) = v {
        field.clone_from(v);
    }
}

/// Customers found.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerList {
    /// In id order (or search order).
    pub customers: Vec<CustomerBody>,
}
