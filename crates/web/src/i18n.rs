//! Message catalogs (Project Fluent, `locales/{ru,en,kk}/*.ftl`: `main`, and one file per
//! part — `layout` (design system, header, lists), `access` (sign-in, errors, history),
//! `operations` (a number's profile and operations), `money`, `reports` (My reports), `documents` (the accounting documents' tabs)), embedded at compile
//! time. Templates get a `Tr` for the visitor's language and look every string up in it.

use cabinet_core::operator::MatchCount;
use cabinet_core::{Locale, Localized, Money};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks: they would show up in HTML attributes and files.
        // Numbers are grouped in thousands as money is (Fluent itself does not group).
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let en = bundle.locales.first().is_some_and(|l| l.language.as_str() == "en");
            bundle.set_formatter(Some(if en { group_en } else { group_ru_kk }));
        },
    };
}

fn group_en<M>(v: &FluentValue, _: &M) -> Option<String> {
    group(v, Locale::En)
}

/// Russian and Kazakh group alike (a no-break space).
fn group_ru_kk<M>(v: &FluentValue, _: &M) -> Option<String> {
    group(v, Locale::Ru)
}

/// A whole number argument, grouped; anything else is left to Fluent.
fn group(v: &FluentValue, locale: Locale) -> Option<String> {
    match v {
        FluentValue::Number(n)
            if n.value.fract() == 0.0 && n.value.abs() < 1e15 && n.options.minimum_fraction_digits.is_none() =>
        {
            Some(cabinet_core::money::format_count(n.value as i64, locale))
        }
        _ => None,
    }
}

static RU: LanguageIdentifier = langid!("ru");
static EN: LanguageIdentifier = langid!("en");
static KK: LanguageIdentifier = langid!("kk");

/// Every message of each catalog formatted without arguments, by locale. A list page shows
/// a dozen labels per row, and formatting each through Fluent cost more than the rest of
/// the page.
static PLAIN: LazyLock<Vec<(Locale, HashMap<String, String>)>> = LazyLock::new(|| {
    catalog_keys()
        .into_iter()
        .map(|(locale, keys)| {
            let lang = Tr::new(locale).lang();
            (locale, keys.into_iter().filter_map(|k| LOCALES.try_lookup(lang, &k).map(|text| (k, text))).collect())
        })
        .collect()
});

/// The translator for one request.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    fn lang(&self) -> &'static LanguageIdentifier {
        match self.locale {
            Locale::Ru => &RU,
            Locale::En => &EN,
            Locale::Kk => &KK,
        }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.text_of(key).into_owned()
    }

    /// The message `key`, borrowed from the per-language table when it has no arguments:
    /// what templates print, a hundred labels a page, without a copy each.
    pub fn l(&self, key: &str) -> Cow<'static, str> {
        self.text_of(key)
    }

    fn text_of(&self, key: &str) -> Cow<'static, str> {
        let plain = PLAIN.iter().find(|(l, _)| *l == self.locale).and_then(|(_, texts)| texts.get(key));
        match plain {
            Some(text) => Cow::Borrowed(text.as_str()),
            None => Cow::Owned(LOCALES.lookup(self.lang(), key)),
        }
    }

    /// The message `key`, or None when no catalog has it.
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.lang(), key)
    }

    /// The message `key` with one argument, or None when no catalog has it.
    pub fn try_t1(&self, key: &str, name: &'static str, value: impl Into<FluentArg>) -> Option<String> {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed(name), value.into().0);
        LOCALES.try_lookup_with_args(self.lang(), key, &args)
    }

    /// The message `key` with two arguments, or None when no catalog has it.
    pub fn try_t2(
        &self,
        key: &str,
        a: (&'static str, impl Into<FluentArg>),
        b: (&'static str, impl Into<FluentArg>),
    ) -> Option<String> {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed(a.0), a.1.into().0);
        args.insert(Cow::Borrowed(b.0), b.1.into().0);
        LOCALES.try_lookup_with_args(self.lang(), key, &args)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl Into<FluentArg>) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed(name), value.into().0);
        LOCALES.lookup_with_args(self.lang(), key, &args)
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: (&'static str, impl Into<FluentArg>),
        b: (&'static str, impl Into<FluentArg>),
    ) -> String {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed(a.0), a.1.into().0);
        args.insert(Cow::Borrowed(b.0), b.1.into().0);
        LOCALES.lookup_with_args(self.lang(), key, &args)
    }

    /// The message `key` with any number of arguments.
    pub fn tn(&self, key: &str, args: Vec<(&'static str, FluentArg)>) -> String {
        let args = args.into_iter().map(|(k, v)| (Cow::Borrowed(k), v.0)).collect();
        LOCALES.lookup_with_args(self.lang(), key, &args)
    }

    pub fn money(&self, m: &Money) -> String {
        m.format(self.locale)
    }

    pub fn opt_money(&self, m: &Option<Money>) -> String {
        match m {
            Some(m) => m.format(self.locale),
            None => "—".to_string(),
        }
    }

    pub fn text<'a>(&self, l: &'a Localized) -> &'a str {
        l.get(self.locale)
    }

    pub fn lang_code(&self) -> &'static str {
        self.locale.code()
    }

    /// "1 234 номера" / "at least 1,000 numbers".
    pub fn match_count(&self, c: &MatchCount) -> String {
        match c {
            MatchCount::Exactly(n) => self.t1("numbers-found", "count", *n as i64),
            MatchCount::AtLeast(n) => self.t1("numbers-found-at-least", "count", *n as i64),
        }
    }
}

/// A value for a message argument.
pub struct FluentArg(FluentValue<'static>);

impl From<i64> for FluentArg {
    fn from(v: i64) -> Self {
        FluentArg(FluentValue::from(v))
    }
}

impl From<&i64> for FluentArg {
    fn from(v: &i64) -> Self {
        FluentArg(FluentValue::from(*v))
    }
}

impl From<String> for FluentArg {
    fn from(v: String) -> Self {
        FluentArg(FluentValue::from(v))
    }
}

impl From<&str> for FluentArg {
    fn from(v: &str) -> Self {
        FluentArg(FluentValue::from(v.to_string()))
    }
}

/// Every message key of each catalog, for the completeness test.
pub fn catalog_keys() -> Vec<(Locale, Vec<String>)> {
    // Each language has one file per part of the portal; the loader reads them all.
    macro_rules! catalog {
        ($lang:literal) => {
            [
                include_str!(concat!("../locales/", $lang, "/main.ftl")),
                include_str!(concat!("../locales/", $lang, "/layout.ftl")),
                include_str!(concat!("../locales/", $lang, "/access.ftl")),
                include_str!(concat!("../locales/", $lang, "/registration.ftl")),
                include_str!(concat!("../locales/", $lang, "/operations.ftl")),
                include_str!(concat!("../locales/", $lang, "/money.ftl")),
                include_str!(concat!("../locales/", $lang, "/reports.ftl")),
                include_str!(concat!("../locales/", $lang, "/documents.ftl")),
                include_str!(concat!("../locales/", $lang, "/lists.ftl")),
            ]
        };
    }
    let sources = [(Locale::Ru, catalog!("ru")), (Locale::En, catalog!("en")), (Locale::Kk, catalog!("kk"))];
    sources
        .into_iter()
        .map(|(locale, files)| {
            let keys = files
                .iter()
                .flat_map(|src| src.lines())
                .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
                .collect();
            (locale, keys)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_has_the_same_keys() {
        let all = catalog_keys();
        let (_, en) = all.iter().find(|(l, _)| *l == Locale::En).unwrap();
        assert!(en.len() > 50);
        for (locale, keys) in &all {
            let mut a = keys.clone();
            let mut b = en.clone();
            a.sort();
            b.sort();
            let missing: Vec<_> = b.iter().filter(|k| !a.contains(k)).collect();
            let extra: Vec<_> = a.iter().filter(|k| !b.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{locale:?}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let en: Vec<String> = catalog_keys().into_iter().find(|(l, _)| *l == Locale::En).unwrap().1;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut used = Vec::new();
        for folder in ["templates", "src", "src/pages"] {
            for entry in std::fs::read_dir(format!("{dir}{folder}")).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for marker in [".t(\"", ".l(\"", ".t1(\"", ".t2(\""] {
                    for part in text.split(marker).skip(1) {
                        if let Some(end) = part.find('"') {
                            let key = &part[..end];
                            if key.chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                                && !key.is_empty()
                            {
                                used.push((path.display().to_string(), key.to_string()));
                            }
                        }
                    }
                }
            }
        }
        // Keys chosen in code (`match … => "state-active"`) are literals in the page and error
        // modules: every kebab-case literal there must be a key, but for a few header names.
        let not_keys = ["hx-request", "hx-boosted", "x-csrf-token"];
        for file in ["src/error.rs", "src/pages/numbers.rs", "src/pages/profile.rs", "src/pages/signin.rs"] {
            let text = std::fs::read_to_string(format!("{dir}{file}")).unwrap();
            for (i, lit) in text.split('"').enumerate() {
                let kebab =
                    lit.contains('-') && lit.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if i % 2 == 1 && kebab && !lit.starts_with('-') && !not_keys.contains(&lit) {
                    used.push((file.to_string(), lit.to_string()));
                }
            }
        }
        assert!(used.len() > 30, "found only {} uses", used.len());
        let missing: Vec<_> = used.iter().filter(|(_, k)| !en.contains(k)).collect();
        assert!(missing.is_empty(), "keys used but not in the catalogs: {missing:?}");
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let ru = Tr::new(Locale::Ru);
        assert_eq!(ru.t1("numbers-total", "count", 1), "1 номер");
        assert_eq!(ru.t1("numbers-total", "count", 3), "3 номера");
        assert_eq!(ru.t1("numbers-total", "count", 5), "5 номеров");
        assert_eq!(ru.t1("numbers-total", "count", 21), "21 номер");
        assert_eq!(ru.t1("numbers-total", "count", 111), "111 номеров");
        let en = Tr::new(Locale::En);
        assert_eq!(en.t1("numbers-total", "count", 1), "1 number");
        assert_eq!(en.t1("numbers-total", "count", 2), "2 numbers");
    }

    #[test]
    fn counts_in_messages_are_grouped_as_money_is() {
        let ru = Tr::new(Locale::Ru);
        assert_eq!(ru.t1("numbers-found", "count", 12_345), "Найдено 12\u{a0}345 номеров");
        assert_eq!(ru.t1("numbers-total", "count", 1_001), "1\u{a0}001 номер");
        assert_eq!(ru.money(&Money::from_tenge(12_345)), "12\u{a0}345,00\u{a0}₸");
        let en = Tr::new(Locale::En);
        assert_eq!(en.t1("numbers-total", "count", 12_345), "12,345 numbers");
        assert_eq!(en.t1("numbers-total", "count", 999), "999 numbers");
        let kk = Tr::new(Locale::Kk);
        assert!(
            kk.t1("numbers-total", "count", 12_345).contains("12\u{a0}345"),
            "{}",
            kk.t1("numbers-total", "count", 12_345)
        );
        assert!(kk.t1("history-count", "count", 1_000_000).contains("1\u{a0}000\u{a0}000"));
    }

    #[test]
    fn the_three_languages_differ() {
        let key = "nav-numbers";
        let texts: Vec<String> = Locale::ALL.iter().map(|l| Tr::new(*l).t(key)).collect();
        assert_eq!(texts[0], "Управление номерами");
        assert_eq!(texts[1], "Number management");
        assert_ne!(texts[2], texts[0]);
        assert_ne!(texts[2], texts[1]);
    }
}
