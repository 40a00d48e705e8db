//! The rules the server enforces on strings and closed sets, as JSON Schema, so that the OpenAPI
//! document says exactly what is accepted: nothing the schema allows is refused for its shape, and
//! nothing it forbids is taken. Each schema mirrors one engine check, named at the function; the
//! schemathesis run (`tests/schemathesis.sh`, positive and negative data) finds any difference.
//!
//! Patterns are written for both ECMA-262 (what OpenAPI means) and Python's `re` (what schemathesis
//! generates with): explicit character ranges, no `\s`, `\d` or `.` (whose meaning differs between
//! them), and every rule about white space spells out Rust's `char::is_whitespace` set.

use chamado::{FollowUpPolicy, Permission, StateType};
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{OneOfBuilder, RefOr};

/// The characters of Rust's `char::is_whitespace`, as the inside of a regex character class.
macro_rules! white_space {
    () => {
        r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// Control characters (`char::is_control`, Unicode `Cc`) and white space together: what a name may
/// neither start nor end with.
macro_rules! control_or_space {
    () => {
        r"\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// The longest name (`chamado::validate_name`), in characters.
pub const NAME_MAX: usize = 200;

/// `chamado::validate_name`: no control characters, no white space at either end (with `minLength`
/// 1 and `maxLength` 200).
pub const NAME_PATTERN: &str =
    concat!("^[^", control_or_space!(), r"]([^\u0000-\u001f\u007f-\u009f]*[^", control_or_space!(), "])?$");

/// `Service::validate`: a name whose `::`-separated parts are none blank. A run of colons splits
/// left to right, so a blank part is a leading `::`, four colons in a row, a final pair, or a pair
/// with only white space before the next pair.
pub const SERVICE_PATTERN: &str = concat!(
    r"^(?!::)(?![\s\S]*::::)(?![\s\S]*[^:]::$)(?![\s\S]*[^:]::[",
    white_space!(),
    "]+::)[^",
    control_or_space!(),
    r"]([^\u0000-\u001f\u007f-\u009f]*[^",
    control_or_space!(),
    "])?$"
);

/// Text that must not be blank (titles, article bodies, search queries): one character that is not
/// white space somewhere (the engine trims before it checks).
pub const NOT_BLANK_PATTERN: &str = concat!("[^", white_space!(), "]");

/// `CustomerUser::validate`: empty, or `local@domain` with both parts non-empty and no white space or
/// control character anywhere.
pub const EMAIL_PATTERN: &str = concat!("^([^", control_or_space!(), "]+@[^", control_or_space!(), "@]+)?$");

/// A listing cursor as the API hands it out (`next_cursor`): `<milliseconds>.<ticket id>`.
pub const CURSOR_PATTERN: &str = r"^-?[0-9]{1,18}\.[0-9]{1,19}$";

/// The `Idempotency-Key` header: 1 to 200 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,200}$";

/// True when `cursor` has the shape of [`CURSOR_PATTERN`] (which keeps both numbers in range).
pub fn cursor_shape_ok(cursor: &str) -> bool {
    let Some((at, id)) = cursor.split_once('.') else { return false };
    let at = at.strip_prefix('-').unwrap_or(at);
    let digits = |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    digits(at, 18) && digits(id, 19)
}

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::new(Type::String) };
    ObjectBuilder::new().schema_type(ty)
}

fn named(pattern: &str, nullable: bool) -> Object {
    string(nullable).min_length(Some(1)).max_length(Some(NAME_MAX)).pattern(Some(pattern)).build()
}

/// A directory name or login (`validate_name`).
pub fn name() -> Object {
    named(NAME_PATTERN, false)
}

/// A directory name, or `null` for "unchanged".
pub fn name_or_null() -> Object {
    named(NAME_PATTERN, true)
}

/// `PriorityDef::validate`: a directory name that is not a number (`3`, `+3`, `003` read as levels).
pub const PRIORITY_NAME_PATTERN: &str = concat!(
    r"^(?!\+?[0-9]+$)[^",
    control_or_space!(),
    r"]([^\u0000-\u001f\u007f-\u009f]*[^",
    control_or_space!(),
    "])?$"
);

/// A priority's name.
pub fn priority_name() -> Object {
    named(PRIORITY_NAME_PATTERN, false)
}

/// A priority's name, or `null` for "unchanged".
pub fn priority_name_or_null() -> Object {
    named(PRIORITY_NAME_PATTERN, true)
}

/// A service name (`Parent::Child`, `Service::validate`).
pub fn service_name() -> Object {
    named(SERVICE_PATTERN, false)
}

/// Text that must not be blank.
pub fn not_blank() -> Object {
    string(false).min_length(Some(1)).pattern(Some(NOT_BLANK_PATTERN)).build()
}

/// Text that must not be blank, or `null` for "unchanged".
pub fn not_blank_or_null() -> Object {
    string(true).min_length(Some(1)).pattern(Some(NOT_BLANK_PATTERN)).build()
}

/// An email address, or empty for none.
pub fn email() -> Object {
    string(false).pattern(Some(EMAIL_PATTERN)).build()
}

/// An email address, empty for none, or `null` for "unchanged".
pub fn email_or_null() -> Object {
    string(true).pattern(Some(EMAIL_PATTERN)).build()
}

/// A password that is set: not empty.
pub fn password() -> Object {
    string(false).min_length(Some(1)).build()
}

/// A new password, or `null` for "unchanged".
pub fn password_or_null() -> Object {
    string(true).min_length(Some(1)).build()
}

fn one_of_names(names: impl IntoIterator<Item = &'static str>, nullable: bool) -> Object {
    let mut values: Vec<Option<&str>> = names.into_iter().map(Some).collect();
    if nullable {
        values.push(None);
    }
    string(nullable).enum_values(Some(values)).build()
}

/// One of the seven agent permissions.
pub fn permission() -> Object {
    one_of_names(Permission::ALL.into_iter().map(Permission::as_str), false)
}

/// A customer-side permission: `ro` or `rw`.
pub fn customer_permission() -> Object {
    one_of_names([Permission::Ro.as_str(), Permission::Rw.as_str()], false)
}

/// A list of agent permissions.
pub fn permissions() -> Array {
    ArrayBuilder::new().items(permission()).build()
}

/// Agent permissions by group name, e.g. `{"users": ["rw"]}`.
pub fn group_permissions() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(RefOr::T(Schema::Array(permissions()))))
        .build()
}

/// A queue's follow-up policy.
pub fn follow_up() -> Object {
    one_of_names(
        [FollowUpPolicy::Possible, FollowUpPolicy::Reject, FollowUpPolicy::NewTicket].map(|p| p.as_str()),
        false,
    )
}

/// A state type.
pub fn state_type() -> Object {
    one_of_names(StateType::ALL.into_iter().map(StateType::as_str), false)
}

/// `lock` or `unlock`, or `null` for "unchanged".
pub fn lock_or_null() -> Object {
    one_of_names(["lock", "unlock"], true)
}

/// A priority: a level 1 to 5, or one of `spellings`; with `null` when `nullable`.
pub fn priority(spellings: &[String], nullable: bool) -> RefOr<Schema> {
    let level = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(5)).build();
    let name = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(spellings.iter().cloned())).build();
    let mut one_of = OneOfBuilder::new()
        .item(level)
        .item(name)
        .description(Some("A level 1 (very low) to 5 (very high), or its name: `3`, `3 normal` or `normal`"));
    if nullable {
        one_of = one_of.item(ObjectBuilder::new().schema_type(Type::Null).build());
    }
    RefOr::T(Schema::OneOf(one_of.build()))
}

/// A person's language: one of the tags chamado speaks (`chamado_i18n::Language::all`), or `null`
/// for none (the browser's, else the system's). Mirrors `crate::locale::check_language`.
pub fn language_or_null() -> Object {
    let mut values: Vec<Option<String>> = crate::locale::language_tags().into_iter().map(Some).collect();
    values.push(None);
    string(true).enum_values(Some(values)).build()
}

/// An agent's time zone: an IANA name as the zone database spells it (`America/Sao_Paulo`), or `null`
/// for the system's. Mirrors `crate::locale::check_time_zone`.
pub fn time_zone_or_null() -> Object {
    let mut values: Vec<Option<String>> = chamado_i18n::TimeZoneName::all().into_iter().map(Some).collect();
    values.push(None);
    string(true).max_length(Some(64)).enum_values(Some(values)).build()
}
