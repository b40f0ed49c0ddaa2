//! The demo installation: on first start of an empty store, a simulated operator with two
//! companies and two administrators, so that every screen has something real to show.

use crate::commands;
use anyhow::Result;
use cabinet_core::time::{OperatorZone, now_ms};
use cabinet_core::{Bin, Msisdn};
use cabinet_store::{Db, admins, companies};

pub const DEMO_PASSWORD: &str = "cabinet-demo";

pub struct DemoLogin {
    pub phone: String,
    pub name: String,
    pub channel: &'static str,
}

/// Seeds the demo into an empty store; returns the logins, or None if the store had data.
pub async fn seed_if_empty(db: &Db, zone: &OperatorZone) -> Result<Option<Vec<DemoLogin>>> {
    if companies::count(db).await? > 0 {
        return Ok(None);
    }
    let main = Bin::parse("940740000015")?;
    let branch = Bin::parse("050540001331")?;
    commands::seed(db, &main, "ТОО «Кабинет»", 1_000, 1, zone).await?;
    commands::seed(db, &branch, "Филиал ТОО «Кабинет» в г. Астана", 150, 2, zone).await?;
    let now = now_ms();
    let hash = cabinet_store::password::hash(DEMO_PASSWORD.into()).await;
    let main_c = companies::by_bin(db, &main).await?.expect("seeded");
    let branch_c = companies::by_bin(db, &branch).await?.expect("seeded");

    let aliya_phone = Msisdn::parse("77012112101")?;
    let aliya = admins::create(
        db,
        admins::NewAdmin {
            phone: &aliya_phone,
            name: "Усанова Алия",
            email: Some("aliya@example.kz"),
            password_hash: Some(&hash),
        },
        now,
    )
    .await?;
    admins::grant(db, &aliya, &main_c, "full", now).await?;
    admins::grant(db, &aliya, &branch_c, "full", now).await?;

    let erlan_phone = Msisdn::parse("77071234567")?;
    let erlan = admins::create(
        db,
        admins::NewAdmin {
            phone: &erlan_phone,
            name: "Ерлан Сейткали",
            email: Some("erlan@example.kz"),
            password_hash: Some(&hash),
        },
        now,
    )
    .await?;
    admins::grant(db, &erlan, &branch_c, "full", now).await?;

    Ok(Some(vec![
        DemoLogin { phone: aliya_phone.pretty(), name: aliya.name, channel: "SMS" },
        DemoLogin { phone: erlan_phone.pretty(), name: erlan.name, channel: "e-mail" },
    ]))
}
