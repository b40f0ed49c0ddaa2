//! The catalog's roaming, additional and promotional services, in the order the profile
//! lists them. "Registration on roaming network" is shown but never switchable, as in the
//! original portal.

use super::{Availability, MB, MIN, Service, t, tenge, units};
use AllowanceKind::{Data, OffNetMinutes};
use cabinet_core::operator::{AllowanceKind, ServiceGroup};

const NO_M2M: Availability = Availability::NotOnTariffs(&["m2m"]);

pub(super) static ROAMING_AND_MORE: &[Service] = &[
    // Roaming
    Service {
        code: "roaming",
        group: ServiceGroup::Roaming,
        name: t("Роуминг", "Roaming", "Роуминг"),
        terms: t(
            "Связь за рубежом в сетях операторов-партнёров. Услуги оплачиваются по роуминговым тарифам.",
            "Service abroad in partner operators' networks. Usage is charged at roaming rates.",
            "Шетелде серіктес операторлардың желілерінде байланыс. Қызметтер роуминг тарифтері бойынша төленеді.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: Availability::Always,
        grants: &[],
    },
    Service {
        code: "roaming_registration",
        group: ServiceGroup::Roaming,
        name: t(
            "Регистрация в роуминговой сети",
            "Registration on roaming network",
            "Роуминг желісінде тіркелу",
        ),
        terms: t(
            "Подключается только через контакт-центр для корпоративных клиентов.",
            "Set up only through the corporate customer contact centre.",
            "Тек корпоративтік клиенттерге арналған байланыс орталығы арқылы қосылады.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: Availability::Never,
        grants: &[],
    },
    Service {
        code: "business_travel",
        group: ServiceGroup::Roaming,
        name: t("Бизнес поездка", "Business travel", "Іссапар"),
        terms: t(
            "Пакет для поездок за рубеж: суточная плата списывается только в дни, когда вы пользуетесь связью в роуминге.",
            "A package for trips abroad: the daily fee is charged only on days you use your phone in roaming.",
            "Шетелге сапарларға арналған пакет: тәуліктік төлем тек роумингте байланысты пайдаланған күндері алынады.",
        ),
        price: tenge(1_990),
        volume: Some(t(
            "30 минут и 500 МБ в сутки",
            "30 minutes and 500 MB a day",
            "Тәулігіне 30 минут және 500 МБ",
        )),
        family: Some("roaming_pack"),
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "atlas_pro",
        group: ServiceGroup::Roaming,
        name: t("Атлас Про", "Atlas Pro", "Атлас Про"),
        terms: t(
            "950 ₸ в сутки. После 100 МБ скорость снижается до 128 кбит/с до конца суток. Список стран — на сайте.",
            "950 ₸ a day. After 100 MB the speed drops to 128 kbps until the end of the day. The list of countries is on the website.",
            "Тәулігіне 950 ₸. 100 МБ-тан кейін жылдамдық тәулік соңына дейін 128 кбит/с-қа төмендейді. Елдер тізімі сайтта.",
        ),
        price: tenge(950),
        volume: Some(t(
            "Безлимитный интернет, первые 100 МБ в сутки на максимальной скорости",
            "Unlimited data, the first 100 MB a day at full speed",
            "Шексіз интернет, тәулігіне алғашқы 100 МБ ең жоғары жылдамдықта",
        )),
        family: Some("roaming_pack"),
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "atlas_pro_50mb",
        group: ServiceGroup::Roaming,
        name: t(
            "Дополнительные 50 МБ в роуминге",
            "Extra 50 MB in roaming",
            "Роумингте қосымша 50 МБ",
        ),
        terms: t(
            "50 МБ на высокой скорости до конца суток к пакету «Атлас Про». Количество пакетов не ограничено.",
            "50 MB at high speed until the end of the day, on top of Atlas Pro. Any number of packs.",
            "«Атлас Про» пакетіне қосымша тәулік соңына дейін жоғары жылдамдықтағы 50 МБ. Пакеттер саны шектелмейді.",
        ),
        price: tenge(400),
        volume: Some(t("50 МБ", "50 MB", "50 МБ")),
        family: None,
        availability: NO_M2M,
        grants: &[units(Data, 50 * MB)],
    },
    Service {
        code: "roaming_1gb",
        group: ServiceGroup::Roaming,
        name: t("1 ГБ в роуминге", "1 GB in roaming", "Роумингте 1 ГБ"),
        terms: t(
            "Интернет в роуминге на 7 дней в странах зоны пакета.",
            "Roaming data for 7 days in the package's countries.",
            "Пакет аймағындағы елдерде 7 күнге роумингтегі интернет.",
        ),
        price: tenge(4_990),
        volume: Some(t("1 ГБ", "1 GB", "1 ГБ")),
        family: Some("roaming_pack"),
        availability: Availability::Always,
        grants: &[],
    },
    // Additional services
    Service {
        code: "missed_call_2050",
        group: ServiceGroup::Additional,
        name: t(
            "Уведомления о пропущенных звонках 2050",
            "Missed call notification 2050",
            "Өткізіп алған қоңыраулар туралы хабарлама 2050",
        ),
        terms: t(
            "SMS о звонках, поступивших, когда телефон был выключен или вне зоны сети. Работает через переадресацию на 2050.",
            "An SMS about calls that came while the phone was off or out of coverage. Works through call forwarding to 2050.",
            "Телефон өшірулі немесе желі аймағынан тыс болғанда түскен қоңыраулар туралы SMS. 2050 нөміріне бағыттау арқылы жұмыс істейді.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "voicemail",
        group: ServiceGroup::Additional,
        name: t("Голосовая почта", "Voicemail", "Дауыстық пошта"),
        terms: t(
            "Принимает голосовые сообщения, когда вы не можете ответить. Плата ежемесячная.",
            "Takes voice messages when you cannot answer. Monthly fee.",
            "Сіз жауап бере алмағанда дауыстық хабарламаларды қабылдайды. Төлем ай сайын алынады.",
        ),
        price: tenge(300),
        volume: None,
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "call_waiting",
        group: ServiceGroup::Additional,
        name: t("Ожидание вызова", "Call waiting", "Қоңырауды күту"),
        terms: t(
            "Сообщает о новом вызове во время разговора.",
            "Tells you about a new call during a conversation.",
            "Сөйлесу кезінде жаңа қоңырау туралы хабарлайды.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "content_ban",
        group: ServiceGroup::Additional,
        name: t(
            "Запрет платного контента",
            "Paid content ban",
            "Ақылы контентке тыйым",
        ),
        terms: t(
            "Запрещает подписки и платные SMS на короткие номера.",
            "Bars subscriptions and premium SMS to short numbers.",
            "Жазылымдарға және қысқа нөмірлерге ақылы SMS жіберуге тыйым салады.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: Availability::Always,
        grants: &[],
    },
    Service {
        code: "hello_tune",
        group: ServiceGroup::Additional,
        name: t("Мелодия вместо гудка", "Hello tune", "Гудоктың орнына әуен"),
        terms: t(
            "Звонящие слышат выбранную вами мелодию вместо гудков.",
            "Callers hear a tune of your choice instead of ringing.",
            "Қоңырау шалушылар гудоктың орнына сіз таңдаған әуенді естиді.",
        ),
        price: tenge(250),
        volume: None,
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    // Promotions
    Service {
        code: "double_data",
        group: ServiceGroup::Promotions,
        name: t("Двойной интернет", "Double data", "Екі есе интернет"),
        terms: t(
            "Удваивает интернет-трафик тарифа на 3 месяца.",
            "Doubles the tariff's data allowance for 3 months.",
            "Тарифтің интернет-трафигін 3 айға екі есе арттырады.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: Availability::NotOnTariffs(&["kcell", "m2m", "corp_11"]),
        grants: &[],
    },
    Service {
        code: "loyalty_bonus",
        group: ServiceGroup::Promotions,
        name: t("Бонус за верность", "Loyalty bonus", "Адалдық бонусы"),
        terms: t(
            "100 минут в месяц на звонки в другие сети РК для номеров, обслуживающихся больше года.",
            "100 minutes a month for calls to other KZ networks, for numbers served for over a year.",
            "Бір жылдан астам қызмет көрсетіліп жүрген нөмірлерге ай сайын ҚР басқа желілеріне қоңырау шалуға 100 минут.",
        ),
        price: 0,
        volume: Some(t("100 минут", "100 minutes", "100 минут")),
        family: None,
        availability: Availability::NotOnTariffs(&["kcell", "m2m"]),
        grants: &[units(OffNetMinutes, 100 * MIN)],
    },
    Service {
        code: "business_phone_plus",
        group: ServiceGroup::Promotions,
        name: t(
            "Business Phone Plus",
            "Business Phone Plus",
            "Business Phone Plus",
        ),
        terms: t(
            "Смартфон в рассрочку на 12 или 24 месяца с ежемесячным платежом на лицевой счёт.",
            "A smartphone in instalments over 12 or 24 months, paid monthly through the account.",
            "Смартфон 12 немесе 24 айға бөліп төлеуге, ай сайынғы төлем дербес шот арқылы алынады.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: Availability::CreditOnly,
        grants: &[],
    },
];
