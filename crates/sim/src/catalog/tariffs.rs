//! The tariff plans: monthly fee and what it buys every billing month.

use super::{GB, MB, MIN, Tariff, t, tenge, units, unlimited};
use AllowanceKind::{Data, InternationalMinutes, LandlineMinutes, OffNetMinutes, OnNetCalls, Sms};
use cabinet_core::operator::AllowanceKind;

pub static TARIFFS: &[Tariff] = &[
    Tariff {
        code: "bc_specialist",
        name: t("Бизнес Класс Специалист", "Business Class Specialist", "Бизнес Класс Маман"),
        monthly_fee: tenge(4_990),
        grants: &[
            unlimited(OnNetCalls),
            units(OffNetMinutes, 200 * MIN),
            units(LandlineMinutes, 50 * MIN),
            units(Sms, 500),
            units(Data, 20 * GB),
        ],
    },
    Tariff {
        code: "bc_junior",
        name: t("Бизнес Класс Junior", "Business Class Junior", "Бизнес Класс Junior"),
        monthly_fee: tenge(2_990),
        grants: &[unlimited(OnNetCalls), units(OffNetMinutes, 100 * MIN), units(Sms, 300), units(Data, 10 * GB)],
    },
    Tariff {
        code: "bc_expert",
        name: t("Бизнес Класс Эксперт", "Business Class Expert", "Бизнес Класс Сарапшы"),
        monthly_fee: tenge(7_990),
        grants: &[
            unlimited(OnNetCalls),
            units(OffNetMinutes, 500 * MIN),
            units(LandlineMinutes, 100 * MIN),
            units(InternationalMinutes, 30 * MIN),
            units(Sms, 1000),
            units(Data, 40 * GB),
        ],
    },
    Tariff {
        code: "bc_leader",
        name: t("Бизнес Класс Лидер", "Business Class Leader", "Бизнес Класс Көшбасшы"),
        monthly_fee: tenge(12_990),
        grants: &[
            unlimited(OnNetCalls),
            units(OffNetMinutes, 1000 * MIN),
            units(LandlineMinutes, 200 * MIN),
            units(InternationalMinutes, 60 * MIN),
            units(Sms, 2000),
            units(Data, 80 * GB),
        ],
    },
    Tariff {
        code: "carte_blanche_1000",
        name: t("Карт Бланш+ 1000", "Carte Blanche+ 1000", "Карт Бланш+ 1000"),
        monthly_fee: tenge(1_000),
        grants: &[unlimited(OnNetCalls), units(OffNetMinutes, 50 * MIN), units(Sms, 150), units(Data, 3 * GB)],
    },
    Tariff {
        code: "corp_11",
        name: t("11 корп", "11 corp", "11 корп"),
        monthly_fee: tenge(1_100),
        grants: &[unlimited(OnNetCalls), units(Data, 5 * GB)],
    },
    Tariff { code: "base", name: t("Базовый", "Base", "Базалық"), monthly_fee: 0, grants: &[] },
    Tariff {
        code: "m2m",
        name: t("M2M", "M2M", "M2M"),
        monthly_fee: tenge(300),
        grants: &[units(Sms, 50), units(Data, 500 * MB)],
    },
];
