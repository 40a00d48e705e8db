//! The JSON Schema of mail accounts: each field as the engine takes it, and the rules joining fields.

use super::*;

pub(super) fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::new(Type::String) };
    ObjectBuilder::new().schema_type(ty)
}

pub(super) fn integer(min: u32, max: u32, nullable: bool) -> Object {
    let ty = if nullable { SchemaType::from_iter([Type::Integer, Type::Null]) } else { SchemaType::new(Type::Integer) };
    ObjectBuilder::new().schema_type(ty).minimum(Some(min)).maximum(Some(max)).build()
}

pub(super) fn enumerated(values: &[&'static str], nullable: bool) -> Object {
    let mut v: Vec<Option<&str>> = values.iter().copied().map(Some).collect();
    if nullable {
        v.push(None);
    }
    string(nullable).enum_values(Some(v)).build()
}

pub(super) fn no_control(min: usize, max: usize, nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(Some(format!("^[^{CONTROL}]{}$", if min == 0 { "*" } else { "+" })))
        .build()
}

pub(super) fn null() -> Object {
    ObjectBuilder::new().schema_type(Type::Null).build()
}

pub(super) fn or_null(s: impl Into<RefOr<Schema>>) -> Schema {
    Schema::OneOf(OneOfBuilder::new().item(s).item(null()).build())
}

/// An account name.
pub fn account_name() -> Object {
    string(false).min_length(Some(1)).max_length(Some(64)).pattern(Some(NAME_PATTERN)).build()
}

pub(super) fn protocol() -> Object {
    enumerated(&["imap", "pop3"], false)
}
pub(super) fn protocol_or_null() -> Object {
    enumerated(&["imap", "pop3"], true)
}
pub(super) fn tls() -> Object {
    enumerated(&["implicit", "starttls", "none"], false)
}
pub(super) fn tls_or_null() -> Object {
    enumerated(&["implicit", "starttls", "none"], true)
}
pub(super) fn host_schema(nullable: bool) -> Object {
    string(nullable).min_length(Some(1)).max_length(Some(253)).pattern(Some(HOST_PATTERN)).build()
}
pub(super) fn host() -> Object {
    host_schema(false)
}
pub(super) fn host_or_null() -> Object {
    host_schema(true)
}
pub(super) fn port_or_null() -> Object {
    integer(1, 65_535, true)
}
pub(super) fn login() -> Object {
    no_control(1, LOGIN_MAX, false)
}
pub(super) fn login_or_null() -> Object {
    no_control(1, LOGIN_MAX, true)
}
pub(super) fn password_schema(nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(1))
        .max_length(Some(PASSWORD_MAX))
        .pattern(Some(r"^[^\u0000\u000a\u000d]+$"))
        .build()
}
pub(super) fn password() -> Object {
    password_schema(false)
}
pub(super) fn password_or_null() -> Object {
    password_schema(true)
}

pub(super) fn token_url() -> Object {
    let loopback = loopback_host_pattern();
    // `::1` bare is no host here: its colons read as a port separator.
    let loopback = loopback.replace("|::1|", "|");
    string(false)
        .min_length(Some(9))
        .max_length(Some(TOKEN_URL_MAX))
        .pattern(Some(format!(
            "^(https://[^{CONTROL_OR_SPACE}]+|http://{loopback}(:[0-9]*)?(/[^{CONTROL_OR_SPACE}]*)?)$"
        )))
        .build()
}

pub(super) fn oauth2_object(required: bool) -> ObjectBuilder {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("refresh_token", no_control(1, OAUTH_MAX, !required))
        .property("client_id", no_control(1, OAUTH_MAX, !required))
        .property("client_secret", no_control(0, OAUTH_MAX, !required))
        .property("token_url", if required { token_url() } else { or_null_obj(token_url()) })
        .property("scope", no_control(0, OAUTH_MAX, !required))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    if required {
        o = o.required("refresh_token").required("client_id").required("token_url");
    }
    o
}

pub(super) fn or_null_obj(o: Object) -> Object {
    let mut o = o;
    o.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    o
}

pub(super) fn oauth2_in() -> Object {
    oauth2_object(true).description(Some("An OAuth2 client for XOAUTH2")).build()
}

pub(super) fn oauth2_patch_or_null() -> Schema {
    or_null(oauth2_object(false).description(Some("Changes to the OAuth2 client")).build())
}

pub(super) fn folder() -> Object {
    string(false)
        .min_length(Some(1))
        .max_length(Some(FOLDER_MAX))
        .pattern(Some(format!(r#"^[^{CONTROL}"\\]+$"#)))
        .build()
}

pub(super) fn folders_schema() -> ArrayBuilder {
    ArrayBuilder::new().items(folder()).min_items(Some(1)).max_items(Some(MailAccount::MAX_FOLDERS)).unique_items(true)
}
pub(super) fn folders() -> Schema {
    Schema::Array(folders_schema().build())
}
pub(super) fn folders_or_null() -> Schema {
    Schema::Array(folders_schema().schema_type(SchemaType::from_iter([Type::Array, Type::Null])).build())
}

pub(super) fn after_import_schema() -> OneOfBuilder {
    let mv = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("move", folder())
        .required("move")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    OneOfBuilder::new().item(enumerated(&["keep", "delete"], false)).item(mv)
}
pub(super) fn after_import() -> Schema {
    Schema::OneOf(after_import_schema().build())
}
pub(super) fn after_import_or_null() -> Schema {
    Schema::OneOf(after_import_schema().item(null()).build())
}

pub(super) fn first_sync_schema() -> OneOfBuilder {
    let since = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("since", string(false).pattern(Some(DATE_PATTERN)).build())
        .required("since")
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    OneOfBuilder::new().item(enumerated(&["all"], false)).item(since)
}
pub(super) fn first_sync() -> Schema {
    Schema::OneOf(first_sync_schema().build())
}
pub(super) fn first_sync_or_null() -> Schema {
    Schema::OneOf(first_sync_schema().item(null()).build())
}

pub(super) fn poll_seconds() -> Object {
    integer(MailAccount::MIN_POLL_SECONDS, MailAccount::MAX_POLL_SECONDS, false)
}
pub(super) fn poll_seconds_or_null() -> Object {
    integer(MailAccount::MIN_POLL_SECONDS, MailAccount::MAX_POLL_SECONDS, true)
}
pub(super) fn authserv_id_schema(nullable: bool) -> Object {
    string(nullable).max_length(Some(AUTHSERV_ID_MAX)).pattern(Some(format!("^[^{CONTROL_OR_SPACE}]*$"))).build()
}
pub(super) fn authserv_id() -> Object {
    authserv_id_schema(false)
}
pub(super) fn authserv_id_or_null() -> Object {
    authserv_id_schema(true)
}

/// `tls: none` only with a loopback host (in a patch: with one, or with none given).
pub(super) fn tls_rule(patch: bool) -> utoipa::openapi::schema::AnyOf {
    let none = ObjectBuilder::new()
        .required("tls")
        .property("tls", enumerated(&["none"], false))
        .property("host", string(patch).pattern(Some(format!("^{}$", loopback_host_pattern()))).build());
    let other = ObjectBuilder::new().property("tls", enumerated(&["implicit", "starttls"], patch));
    AnyOfBuilder::new().item(other).item(none).build()
}

/// POP3 reads only `INBOX` and cannot move (in a patch: as far as the patch says).
pub(super) fn pop3_rule(patch: bool) -> utoipa::openapi::schema::AnyOf {
    let inbox_only = ArrayBuilder::new().items(string(false).pattern(Some("^[Ii][Nn][Bb][Oo][Xx]$")).build());
    let inbox_only =
        if patch { inbox_only.schema_type(SchemaType::from_iter([Type::Array, Type::Null])) } else { inbox_only };
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().property("protocol", enumerated(&["imap"], patch)))
        .item(
            ObjectBuilder::new()
                .required("protocol")
                .property("protocol", enumerated(&["pop3"], false))
                .property("folders", inbox_only.build())
                .property("after_import", enumerated(&["keep", "delete"], patch)),
        )
        .build()
}

/// The body of `POST /mail-accounts` as documented: [`MailAccountIn`]'s fields with the rules that
/// join them (one credential; no TLS only to this machine; POP3 reads only `INBOX` and cannot move).
pub struct NewMailAccount;

impl PartialSchema for NewMailAccount {
    fn schema() -> RefOr<Schema> {
        let one_credential = OneOfBuilder::new()
            .item(ObjectBuilder::new().required("password"))
            .item(ObjectBuilder::new().required("oauth2"))
            .build();
        let tls_rule = tls_rule(false);
        let pop3_rule = pop3_rule(false);
        RefOr::T(Schema::AllOf(
            AllOfBuilder::new()
                .item(<MailAccountIn as PartialSchema>::schema())
                .item(Schema::OneOf(one_credential))
                .item(Schema::AnyOf(tls_rule))
                .item(Schema::AnyOf(pop3_rule))
                .description(Some(
                    "A mail account to add: exactly one of `password` and `oauth2`; `tls: none` only to \
                     this machine; POP3 reads only INBOX and cannot move messages",
                ))
                .build(),
        ))
    }
}

impl ToSchema for NewMailAccount {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <MailAccountIn as ToSchema>::schemas(schemas);
    }
}

/// The body of `PATCH /mail-accounts/{name}` as documented: [`MailAccountPatch`], not both a password
/// and an OAuth2 client.
pub struct MailAccountChanges;

impl PartialSchema for MailAccountChanges {
    fn schema() -> RefOr<Schema> {
        let not_both = AnyOfBuilder::new()
            .item(ObjectBuilder::new().property("password", null()))
            .item(ObjectBuilder::new().property("oauth2", null()))
            .build();
        RefOr::T(Schema::AllOf(
            AllOfBuilder::new()
                .item(<MailAccountPatch as PartialSchema>::schema())
                .item(Schema::AnyOf(not_both))
                .item(Schema::AnyOf(tls_rule(true)))
                .item(Schema::AnyOf(pop3_rule(true)))
                .description(Some("Changes to a mail account (merge patch); not both `password` and `oauth2`"))
                .build(),
        ))
    }
}

impl ToSchema for MailAccountChanges {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <MailAccountPatch as ToSchema>::schemas(schemas);
    }
}
