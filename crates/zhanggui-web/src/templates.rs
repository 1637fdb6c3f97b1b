//! The HTML templates, compiled into the binary and parsed once at start-up (minijinja,
//! HTML-escaped by default).

use minijinja::Environment;

use crate::error::AppError;

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    (
        "diagnosis.html",
        include_str!("../templates/diagnosis.html"),
    ),
    ("products.html", include_str!("../templates/products.html")),
    ("product.html", include_str!("../templates/product.html")),
    ("traffic.html", include_str!("../templates/traffic.html")),
    ("members.html", include_str!("../templates/members.html")),
    ("profit.html", include_str!("../templates/profit.html")),
    ("ads.html", include_str!("../templates/ads.html")),
    ("segments.html", include_str!("../templates/segments.html")),
    ("desk.html", include_str!("../templates/desk.html")),
    ("import.html", include_str!("../templates/import.html")),
    (
        "dictionary.html",
        include_str!("../templates/dictionary.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
    ("audit.html", include_str!("../templates/audit.html")),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    /// Parses every template; a template that does not parse is a bug caught by the tests.
    pub fn new() -> Templates {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("template {name} does not parse: {e}");
            }
        }
        Templates { env }
    }

    pub fn render(&self, name: &str, ctx: &serde_json::Value) -> Result<String, AppError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| AppError::Internal(format!("rendering {name}: {e:#}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_template_parses_and_escapes_what_it_shows() {
        let t = Templates::new();
        let html = t
            .render(
                "login.html",
                &serde_json::json!({
                    "tr": Lang::Zh.words(),
                    "html_lang": "zh-CN",
                    "next": "/",
                    "error": "<script>alert(1)</script>",
                }),
            )
            .unwrap();
        assert!(html.contains("&lt;script&gt;"), "text is escaped");
        assert!(html.contains("登录"));
    }
}
