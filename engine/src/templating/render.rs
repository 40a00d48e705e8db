//! Checking and rendering templates in a sandboxed MiniJinja environment.

use super::TemplateContext;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior};

/// Work a template may do (MiniJinja fuel: roughly one unit per instruction).
const FUEL: u64 = 200_000;
/// How deep templates may nest (loops, macros).
const RECURSION: usize = 32;
/// The most a template may produce, in bytes.
const MAX_OUTPUT: usize = 256 * 1024;

/// Why a template did not render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The line of the template at fault (1-based), when known.
    pub line: Option<usize>,
    /// What was wrong, in MiniJinja's (English) words.
    pub detail: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

fn environment(undefined: UndefinedBehavior) -> Environment<'static> {
    // No loader: `include`, `import` and `extends` find nothing.
    let mut env = Environment::new();
    env.set_undefined_behavior(undefined);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION);
    // Plain-text output: mail bodies and chat messages, never HTML.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}

fn error(e: &minijinja::Error) -> TemplateError {
    let mut detail = e.kind().to_string();
    if let Some(d) = e.detail() {
        detail.push_str(": ");
        detail.push_str(d);
    }
    TemplateError { line: e.line(), detail }
}

/// Checks a template as it is saved: it must parse and render against [`TemplateContext::sample`],
/// reading only variables that exist.
pub fn check(source: &str) -> Result<(), TemplateError> {
    let env = environment(UndefinedBehavior::Strict);
    render_with(&env, source, &TemplateContext::sample()).map(|_| ())
}

/// Renders a template with `ctx`; unknown variables render empty.
pub fn render(source: &str, ctx: &TemplateContext) -> Result<String, TemplateError> {
    let env = environment(UndefinedBehavior::Chainable);
    render_with(&env, source, ctx)
}

fn render_with(env: &Environment<'static>, source: &str, ctx: &TemplateContext) -> Result<String, TemplateError> {
    if !source.contains("{{") && !source.contains("{%") && !source.contains("{#") {
        // Most texts are plain: no need to compile them.
        return Ok(source.to_string());
    }
    let out = env.render_str(source, Value::from(Serde(ctx))).map_err(|e| error(&e))?;
    if out.len() > MAX_OUTPUT {
        return Err(TemplateError { line: None, detail: format!("the text is longer than {MAX_OUTPUT} bytes") });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn renders_variables_and_filters() {
        let ctx = TemplateContext::sample();
        let out = render("[{{ ticket.number }}] {{ customer_user.first_name | upper }}", &ctx).unwrap();
        assert_eq!(out, "[2026120610000017] JOÃO");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let err = check("Hello\n{{ ticket.number }}\n{% if %}\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn an_unknown_variable_is_refused_on_save_but_renders_empty_when_sent() {
        let err = check("Dear {{ custmer.name }}").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        assert_eq!(render("Dear {{ custmer.name }}!", &TemplateContext::sample()).unwrap(), "Dear !");
    }

    #[test]
    fn runaway_loops_run_out_of_fuel() {
        let err = render(
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            &TemplateContext::sample(),
        )
        .unwrap_err();
        assert!(!err.detail.is_empty());
    }

    #[test]
    fn templates_cannot_include_or_import() {
        assert!(check("{% include 'x' %}").is_err());
        assert!(check("{% import 'x' as y %}").is_err());
    }

    #[test]
    fn output_is_never_html_escaped() {
        let mut ctx = TemplateContext::sample();
        ctx.ticket.title = "<b>&".into();
        assert_eq!(render("{{ ticket.title }}", &ctx).unwrap(), "<b>&");
    }
}
