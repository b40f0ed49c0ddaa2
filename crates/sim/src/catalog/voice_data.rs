//! The catalog's calls-and-SMS and data services, in the order the profile lists them.
//! Names and prices of the packages follow the original portal's screens (manuals 2021-2025).

use super::{Availability, GB, MIN, Service, Text, t, tenge, units};
use AllowanceKind::{Data, InternationalMinutes, LandlineMinutes, OffNetMinutes, Sms};
use cabinet_core::operator::{AllowanceKind, ServiceGroup};

const NO_M2M: Availability = Availability::NotOnTariffs(&["m2m"]);

/// A pack of minutes to other networks; the caller adds its grant (a const fn cannot build
/// a `'static` slice from its arguments, a static's own initializer can).
const fn offnet(code: &'static str, price: i64, name: Text, volume: Text) -> Service {
    Service {
        code,
        group: ServiceGroup::CallsSms,
        name,
        terms: t(
            "Минуты на звонки абонентам других сотовых операторов Казахстана. Действуют 30 дней с момента подключения.",
            "Minutes for calls to subscribers of other Kazakhstan mobile operators. Valid for 30 days from activation.",
            "Қазақстанның басқа ұялы байланыс операторларының абоненттеріне қоңырау шалуға арналған минуттар. Қосылған сәттен бастап 30 күн жарамды.",
        ),
        price,
        volume: Some(volume),
        family: Some("offnet_pack"),
        availability: NO_M2M,
        grants: &[],
    }
}

/// A data pack of the one family; the caller adds its grant.
const fn data_pack(code: &'static str, price: i64, name: Text, volume: Text) -> Service {
    Service {
        code,
        group: ServiceGroup::Data,
        name,
        terms: t(
            "Дополнительный интернет-трафик на 30 дней с момента подключения. Пакеты не суммируются: новый пакет заменяет прежний.",
            "Extra mobile data for 30 days from activation. Packs do not add up: a new pack replaces the previous one.",
            "Қосылған сәттен бастап 30 күнге қосымша интернет-трафик. Пакеттер қосылмайды: жаңа пакет алдыңғысын алмастырады.",
        ),
        price,
        volume: Some(volume),
        family: Some("data_pack"),
        availability: Availability::Always,
        grants: &[],
    }
}

pub(super) static VOICE_AND_DATA: &[Service] = &[
    // Calls and SMS
    Service {
        grants: &[units(OffNetMinutes, 50 * MIN)],
        ..offnet(
            "offnet_50",
            tenge(390),
            t(
                "50 минут на звонки в другие сети РК",
                "50 minutes for calls to other KZ networks",
                "ҚР басқа желілеріне қоңырау шалуға 50 минут",
            ),
            t("50 минут", "50 minutes", "50 минут"),
        )
    },
    Service {
        grants: &[units(OffNetMinutes, 70 * MIN)],
        ..offnet(
            "offnet_70",
            tenge(490),
            t(
                "70 минут на звонки в другие сети РК",
                "70 minutes for calls to other KZ networks",
                "ҚР басқа желілеріне қоңырау шалуға 70 минут",
            ),
            t("70 минут", "70 minutes", "70 минут"),
        )
    },
    Service {
        grants: &[units(OffNetMinutes, 150 * MIN)],
        ..offnet(
            "offnet_150",
            tenge(900),
            t(
                "150 минут на звонки в другие сети РК",
                "150 minutes for calls to other KZ networks",
                "ҚР басқа желілеріне қоңырау шалуға 150 минут",
            ),
            t("150 минут", "150 minutes", "150 минут"),
        )
    },
    Service {
        code: "landline_10",
        group: ServiceGroup::CallsSms,
        name: t(
            "10 минут на звонки на городские номера РК",
            "10 min to domestic landline calls",
            "ҚР қалалық нөмірлеріне қоңырау шалуға 10 минут",
        ),
        terms: LANDLINE_TERMS,
        price: tenge(149),
        volume: Some(t("10 минут", "10 minutes", "10 минут")),
        family: Some("landline_pack"),
        availability: NO_M2M,
        grants: &[units(LandlineMinutes, 10 * MIN)],
    },
    Service {
        code: "landline_30",
        group: ServiceGroup::CallsSms,
        name: t(
            "30 минут на звонки на городские номера РК",
            "30 min to domestic landline calls",
            "ҚР қалалық нөмірлеріне қоңырау шалуға 30 минут",
        ),
        terms: LANDLINE_TERMS,
        price: tenge(390),
        volume: Some(t("30 минут", "30 minutes", "30 минут")),
        family: Some("landline_pack"),
        availability: NO_M2M,
        grants: &[units(LandlineMinutes, 30 * MIN)],
    },
    Service {
        code: "sms_100",
        group: ServiceGroup::CallsSms,
        name: t("100 SMS на все сотовые номера РК", "100 SMS to all KZ mobiles", "ҚР барлық ұялы нөмірлеріне 100 SMS"),
        terms: SMS_TERMS,
        price: tenge(190),
        volume: Some(t("100 SMS", "100 SMS", "100 SMS")),
        family: Some("sms_pack"),
        availability: Availability::Always,
        grants: &[units(Sms, 100)],
    },
    Service {
        code: "sms_500",
        group: ServiceGroup::CallsSms,
        name: t("500 SMS на все сотовые номера РК", "500 SMS to all KZ mobiles", "ҚР барлық ұялы нөмірлеріне 500 SMS"),
        terms: SMS_TERMS,
        price: tenge(690),
        volume: Some(t("500 SMS", "500 SMS", "500 SMS")),
        family: Some("sms_pack"),
        availability: Availability::Always,
        grants: &[units(Sms, 500)],
    },
    Service {
        code: "intl_calls",
        group: ServiceGroup::CallsSms,
        name: t("Международные звонки", "International calls", "Халықаралық қоңыраулар"),
        terms: t(
            "Открывает исходящие звонки за рубеж. Звонки оплачиваются по тарифам международной связи.",
            "Opens outgoing calls abroad. Calls are charged at international rates.",
            "Шетелге шығыс қоңырауларды ашады. Қоңыраулар халықаралық байланыс тарифтері бойынша төленеді.",
        ),
        price: 0,
        volume: None,
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "intl_30",
        group: ServiceGroup::CallsSms,
        name: t(
            "30 минут на международные звонки",
            "30 minutes of international calls",
            "Халықаралық қоңырауларға 30 минут",
        ),
        terms: t(
            "Минуты на звонки в страны СНГ, Европы, в США и Китай. Действуют 30 дней с момента подключения.",
            "Minutes for calls to the CIS, Europe, the USA and China. Valid for 30 days from activation.",
            "ТМД, Еуропа елдеріне, АҚШ пен Қытайға қоңырау шалуға арналған минуттар. Қосылған сәттен бастап 30 күн жарамды.",
        ),
        price: tenge(990),
        volume: Some(t("30 минут", "30 minutes", "30 минут")),
        family: None,
        availability: Availability::NotOnTariffs(&["base", "m2m"]),
        grants: &[units(InternationalMinutes, 30 * MIN)],
    },
    // Data
    Service {
        grants: &[units(Data, GB)],
        ..data_pack(
            "data_1gb",
            tenge(490),
            t("Интернет-пакет 1 ГБ", "Data pack 1 GB", "1 ГБ интернет-пакеті"),
            t("1 ГБ", "1 GB", "1 ГБ"),
        )
    },
    Service {
        grants: &[units(Data, 5 * GB)],
        ..data_pack(
            "data_5gb",
            tenge(1_490),
            t("Интернет-пакет 5 ГБ", "Data pack 5 GB", "5 ГБ интернет-пакеті"),
            t("5 ГБ", "5 GB", "5 ГБ"),
        )
    },
    Service {
        grants: &[units(Data, 10 * GB)],
        ..data_pack(
            "data_10gb",
            tenge(2_490),
            t("Интернет-пакет 10 ГБ", "Data pack 10 GB", "10 ГБ интернет-пакеті"),
            t("10 ГБ", "10 GB", "10 ГБ"),
        )
    },
    Service {
        grants: &[units(Data, 30 * GB)],
        ..data_pack(
            "data_30gb",
            tenge(3_990),
            t("Интернет-пакет 30 ГБ", "Data pack 30 GB", "30 ГБ интернет-пакеті"),
            t("30 ГБ", "30 GB", "30 ГБ"),
        )
    },
    Service {
        code: "night_unlimited",
        group: ServiceGroup::Data,
        name: t("Безлимитный ночной интернет", "Unlimited night data", "Шексіз түнгі интернет"),
        terms: t(
            "Интернет без ограничения трафика с 01:00 до 07:00. Абонентская плата списывается ежемесячно.",
            "Data with no traffic limit from 01:00 to 07:00. The fee is charged monthly.",
            "01:00-ден 07:00-ге дейін трафик шектеусіз интернет. Абоненттік төлем ай сайын алынады.",
        ),
        price: tenge(990),
        volume: Some(t(
            "Безлимит с 01:00 до 07:00",
            "Unlimited from 01:00 to 07:00",
            "01:00-ден 07:00-ге дейін шексіз",
        )),
        family: None,
        availability: NO_M2M,
        grants: &[],
    },
    Service {
        code: "messengers_unlimited",
        group: ServiceGroup::Data,
        name: t("Безлимит на мессенджеры", "Unlimited messengers", "Мессенджерлерге шексіз"),
        terms: t(
            "WhatsApp и Telegram без расхода интернет-трафика. Звонки через мессенджеры не входят.",
            "WhatsApp and Telegram without using your data allowance. Calls through messengers are not included.",
            "WhatsApp пен Telegram интернет-трафикті жұмсамай. Мессенджерлер арқылы қоңыраулар кірмейді.",
        ),
        price: tenge(690),
        volume: None,
        family: None,
        availability: Availability::NotOnTariffs(&["base", "m2m"]),
        grants: &[],
    },
];

const LANDLINE_TERMS: Text = t(
    "Минуты на звонки на городские (стационарные) номера Казахстана. Действуют 30 дней с момента подключения.",
    "Minutes for calls to landline numbers in Kazakhstan. Valid for 30 days from activation.",
    "Қазақстандағы қалалық (стационарлық) нөмірлерге қоңырау шалуға арналған минуттар. Қосылған сәттен бастап 30 күн жарамды.",
);

const SMS_TERMS: Text = t(
    "SMS на номера всех сотовых операторов Казахстана. Действуют 30 дней с момента подключения.",
    "Text messages to numbers of all Kazakhstan mobile operators. Valid for 30 days from activation.",
    "Қазақстанның барлық ұялы байланыс операторларының нөмірлеріне SMS. Қосылған сәттен бастап 30 күн жарамды.",
);
