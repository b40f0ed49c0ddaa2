//! The operator's product catalog: tariff plans and the services that can be switched on a
//! number, with their names in Russian, English and Kazakh. It is static data in the binary
//! (the real operator's catalog changes by release, not at run time); the database keeps only
//! codes, so renaming a product here renames it everywhere at once.

mod roaming_more;
mod tariffs;
mod voice_data;

use cabinet_core::Localized;
use cabinet_core::operator::{AllowanceKind, BillingMethod, NumberState, ServiceGroup, ServiceStatus};

pub use tariffs::TARIFFS;

/// A text in the three languages of the portal, as a compile-time constant.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub ru: &'static str,
    pub en: &'static str,
    pub kk: &'static str,
}

impl Text {
    pub fn localized(&self) -> Localized {
        Localized::new(self.ru, self.en, self.kk)
    }
}

const fn t(ru: &'static str, en: &'static str, kk: &'static str) -> Text {
    Text { ru, en, kk }
}

/// A price in tenge, as tiyn.
const fn tenge(t: i64) -> i64 {
    t * 100
}

/// Seconds in a minute, kilobytes in a megabyte and a gigabyte: allowances are kept in the
/// units the port reports (voice in seconds, data in kilobytes).
pub const MIN: i64 = 60;
pub const MB: i64 = 1024;
pub const GB: i64 = 1024 * 1024;

/// Part of a tariff or a package: so much of one kind of traffic per period.
#[derive(Debug, Clone, Copy)]
pub struct Grant {
    pub kind: AllowanceKind,
    /// None means unlimited.
    pub amount: Option<i64>,
}

const fn unlimited(kind: AllowanceKind) -> Grant {
    Grant { kind, amount: None }
}

const fn units(kind: AllowanceKind, amount: i64) -> Grant {
    Grant { kind, amount: Some(amount) }
}

#[derive(Debug)]
pub struct Tariff {
    pub code: &'static str,
    pub name: Text,
    /// Monthly fee in tiyn.
    pub monthly_fee: i64,
    /// What the fee buys every billing month.
    pub grants: &'static [Grant],
}

/// When a service may be switched on (before the number's own state is considered).
#[derive(Debug, Clone, Copy)]
pub enum Availability {
    Always,
    /// Shown to every number but never switchable from the portal (the original greys out
    /// "Registration on roaming network" this way).
    Never,
    NotOnTariffs(&'static [&'static str]),
    /// Only numbers on credit (postpaid) billing.
    CreditOnly,
}

#[derive(Debug, Clone, Copy)]
pub struct Service {
    pub code: &'static str,
    pub group: ServiceGroup,
    pub name: Text,
    pub terms: Text,
    /// Price in tiyn (per month, per day or once, as the terms say).
    pub price: i64,
    pub volume: Option<Text>,
    /// Services of one family replace each other (two data packs of one line cannot be on
    /// one number at once).
    pub family: Option<&'static str>,
    pub availability: Availability,
    /// Allowances the package adds while it is on.
    pub grants: &'static [Grant],
}

impl Service {
    /// A package: charged its price when connected, with allowances for 30 days.
    pub fn is_package(&self) -> bool {
        !self.grants.is_empty()
    }

    /// The fee charged for every billing month the service is on: services that are neither
    /// packages (charged when connected) nor of a family (roaming packs charge by the day of
    /// use, and data or minute packs are packages).
    pub fn monthly_fee(&self) -> Option<i64> {
        (self.price > 0 && !self.is_package() && self.family.is_none()).then_some(self.price)
    }

    /// Whether the catalog lets this service be switched on a number with this tariff and
    /// billing method.
    pub fn offered_to(&self, tariff_code: &str, billing: BillingMethod) -> bool {
        match self.availability {
            Availability::Always => true,
            Availability::Never => false,
            Availability::NotOnTariffs(codes) => !codes.contains(&tariff_code),
            Availability::CreditOnly => billing == BillingMethod::Credit,
        }
    }

    /// The service's status on a number: connected services are Active (the administrator
    /// must see what is on the number whatever its state); the others can be switched on
    /// only when the catalog offers them and the number is Active.
    pub fn status_on(
        &self,
        connected: bool,
        tariff_code: &str,
        billing: BillingMethod,
        state: NumberState,
    ) -> ServiceStatus {
        if connected {
            ServiceStatus::Active
        } else if state != NumberState::Active || !self.offered_to(tariff_code, billing) {
            ServiceStatus::Unavailable
        } else {
            ServiceStatus::Available
        }
    }
}

/// Every service, grouped as the profile shows them (Calls & SMS, Data, Roaming, Additional,
/// Promotions). The groups live in two files; they are joined here at compile time.
pub static SERVICES: [Service; SERVICE_COUNT] = join(voice_data::VOICE_AND_DATA, roaming_more::ROAMING_AND_MORE);

const SERVICE_COUNT: usize = voice_data::VOICE_AND_DATA.len() + roaming_more::ROAMING_AND_MORE.len();

const fn join<const N: usize>(a: &[Service], b: &[Service]) -> [Service; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

pub fn tariff(code: &str) -> Option<&'static Tariff> {
    TARIFFS.iter().find(|t| t.code == code)
}

/// The tariff's name, or the bare code for a tariff the catalog no longer knows (so that a
/// list never fails on one odd row).
pub fn tariff_name(code: &str) -> Localized {
    match tariff(code) {
        Some(t) => t.name.localized(),
        None => Localized::new(code, code, code),
    }
}

pub fn service(code: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.code == code)
}

/// What the profile calls an allowance of the tariff plan, by kind (names as in the
/// original's "Remaining allowance" section).
pub fn allowance_name(kind: AllowanceKind) -> Text {
    use AllowanceKind::{Data, InternationalMinutes, LandlineMinutes, OffNetMinutes, OnNetCalls, Sms};
    match kind {
        OnNetCalls => t("Звонки внутри сети", "Calls within the network", "Желі ішіндегі қоңыраулар"),
        OffNetMinutes => t(
            "Звонки на других сотовых операторов РК",
            "Calls to other KZ mobile networks",
            "ҚР басқа ұялы операторларына қоңыраулар",
        ),
        LandlineMinutes => {
            t("Минуты на городские номера РК", "Minutes to KZ landlines", "ҚР қалалық нөмірлеріне минуттар")
        }
        InternationalMinutes => t("Международные звонки", "International calls", "Халықаралық қоңыраулар"),
        Sms => t("SMS на все сотовые номера РК", "SMS to all KZ mobiles", "ҚР барлық ұялы нөмірлеріне SMS"),
        Data => t("Интернет круглосуточный", "Internet, round the clock", "Тәулік бойы интернет"),
    }
}

/// The kind of device sold with a contract phone.
pub fn device_type_name(code: &str) -> Localized {
    let text = match code {
        "tablet" => t("Планшет", "Tablet", "Планшет"),
        "watch" => t("Смарт-часы", "Smart watch", "Смарт-сағат"),
        "router" => t("Роутер", "Router", "Роутер"),
        _ => t("Телефон", "Phone", "Телефон"),
    };
    text.localized()
}

/// The services calls can be forwarded to.
pub static FORWARD_SERVICES: [(&str, Text); 2] = [
    (
        "missed_calls_2050",
        t(
            "Уведомления о пропущенных звонках 2050",
            "Missed call notification 2050",
            "2050 өткізіп алынған қоңыраулар туралы хабарлама",
        ),
    ),
    ("voicemail", t("Голосовая почта", "Voicemail", "Дауыстық пошта")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_texts_complete() {
        let mut codes = HashSet::new();
        for s in SERVICES {
            assert!(codes.insert(s.code), "duplicate service {}", s.code);
            for text in [Some(s.name), Some(s.terms), s.volume].into_iter().flatten() {
                assert!(!text.ru.is_empty() && !text.en.is_empty() && !text.kk.is_empty(), "{}", s.code);
            }
            assert!(s.price >= 0);
        }
        let mut tariffs = HashSet::new();
        for t in TARIFFS {
            assert!(tariffs.insert(t.code), "duplicate tariff {}", t.code);
        }
        for s in SERVICES {
            if let Availability::NotOnTariffs(codes) = s.availability {
                assert!(codes.iter().all(|c| tariff(c).is_some()), "{} names an unknown tariff", s.code);
            }
        }
    }

    #[test]
    fn every_group_has_services_and_families_have_two_members() {
        for g in ServiceGroup::ALL {
            assert!(SERVICES.iter().any(|s| s.group == g), "{g:?} is empty");
        }
        for s in SERVICES.iter().filter(|s| s.family.is_some()) {
            assert!(SERVICES.iter().filter(|o| o.family == s.family).count() >= 2, "{} is alone in its family", s.code);
        }
    }

    #[test]
    fn status_rules() {
        let reg = service("roaming_registration").unwrap();
        assert_eq!(
            reg.status_on(false, "bc_specialist", BillingMethod::Credit, NumberState::Active),
            ServiceStatus::Unavailable
        );
        let pack = service("offnet_50").unwrap();
        assert_eq!(
            pack.status_on(false, "bc_specialist", BillingMethod::Credit, NumberState::Active),
            ServiceStatus::Available
        );
        assert_eq!(
            pack.status_on(false, "bc_specialist", BillingMethod::Credit, NumberState::Blocked),
            ServiceStatus::Unavailable
        );
        assert_eq!(
            pack.status_on(true, "bc_specialist", BillingMethod::Credit, NumberState::Blocked),
            ServiceStatus::Active
        );
        assert_eq!(
            pack.status_on(false, "m2m", BillingMethod::Credit, NumberState::Active),
            ServiceStatus::Unavailable
        );
    }
}
