//! The three languages of the portal.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ru,
    En,
    Kk,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Ru, Locale::En, Locale::Kk];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
            Locale::Kk => "kk",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code {
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            "kk" => Some(Locale::Kk),
            _ => None,
        }
    }

    /// The language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ru => "Русский",
            Locale::En => "English",
            Locale::Kk => "Қазақша",
        }
    }
}

/// A text the operator supplies in each language (tariff and service names).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Localized {
    pub ru: String,
    pub en: String,
    pub kk: String,
}

impl Localized {
    pub fn new(ru: impl Into<String>, en: impl Into<String>, kk: impl Into<String>) -> Self {
        Localized { ru: ru.into(), en: en.into(), kk: kk.into() }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ru => &self.ru,
            Locale::En => &self.en,
            Locale::Kk => &self.kk,
        }
    }
}
