//! The binary's commands: bad arguments get a clear message and change nothing.

use cabinet_store::testing::empty_db;
use std::process::{Command, Output};

fn cabinet(url: &str, dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cabinet"))
        .args(["--database-url", url, "--data-dir", dir.to_str().unwrap()])
        .args(args)
        .env_remove("CABINET_ADMIN_PASSWORD")
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn refused(o: &Output, says: &str) {
    assert!(!o.status.success(), "should have failed: {}", String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(says), "expected {says:?} in {err}");
}

#[tokio::test]
async fn operator_staff_create_companies_and_administrators_from_the_command_line() {
    let db = empty_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cabinet(&db.url, dir.path(), args);

    refused(&run(&["company", "create", "--bin", "940740000012", "--name", "X"]), "control digit");
    // A right control digit is not enough: all zeros has no date, type or century digit.
    refused(&run(&["company", "create", "--bin", "000000000000", "--name", "X"]), "structure");
    refused(&run(&["company", "create", "--bin", "940740000015", "--name", "  "]), "name");
    assert!(ok(&run(&["company", "create", "--bin", "940740000015", "--name", "ТОО Кабинет"])).contains("created"));
    refused(&run(&["company", "create", "--bin", "940740000015", "--name", "Again"]), "already exists");

    refused(&run(&["admin", "create", "--phone", "12345", "--name", "A", "--password", "long-enough"]), "11 digits");
    refused(
        &run(&["admin", "create", "--phone", "77071234567", "--name", "A", "--password", "long-enough"]),
        "--email",
    );
    refused(&run(&["admin", "create", "--phone", "77012112101", "--name", "A", "--password", "short"]), "at least 10");
    refused(&run(&["admin", "create", "--phone", "77012112101", "--name", "A", "--password", "qwertyuiop"]), "common");
    refused(
        &run(&[
            "admin",
            "create",
            "--phone",
            "77012112101",
            "--name",
            "A",
            "--email",
            "nope",
            "--password",
            "long-enough",
        ]),
        "e-mail",
    );
    ok(&run(&["admin", "create", "--phone", "+7 701 211 21 01", "--name", "Алия", "--password", "long-enough"]));
    // Without a password: not activated until its owner sets one by "Forgot password?".
    let out = ok(&run(&["admin", "create", "--phone", "77755550011", "--name", "Дана"]));
    assert!(out.contains("not activated"), "{out}");
    let dana = cabinet_store::admins::by_phone(&db, &cabinet_core::Msisdn::parse("77755550011").unwrap()).await;
    assert_eq!(dana.unwrap().unwrap().password_hash, None);

    refused(&run(&["admin", "grant", "--phone", "77012112101", "--bin", "050540001331"]), "no company");
    refused(&run(&["admin", "grant", "--phone", "77019999999", "--bin", "940740000015"]), "no administrator");
    refused(&run(&["admin", "grant", "--phone", "77012112101", "--bin", "940740000015", "--role", "god"]), "role");
    ok(&run(&["admin", "grant", "--phone", "77012112101", "--bin", "940740000015"]));

    let admin = cabinet_store::admins::by_phone(&db, &cabinet_core::Msisdn::parse("77012112101").unwrap())
        .await
        .unwrap()
        .unwrap();
    let companies = cabinet_store::admins::companies_of(&db, &admin.id).await.unwrap();
    assert_eq!(companies.len(), 1, "exactly the one good grant");
    assert_eq!(cabinet_store::companies::count(&db).await.unwrap(), 1, "refused commands created nothing");
}

#[tokio::test]
async fn seed_makes_a_deterministic_company() {
    let db = empty_db().await;
    let dir = tempfile::tempdir().unwrap();
    refused(&cabinet(&db.url, dir.path(), &["seed", "--numbers", "0"]), "--numbers");
    refused(&cabinet(&db.url, dir.path(), &["seed", "--numbers", "5", "--bin", "123"]), "BIN");
    let out = ok(&cabinet(&db.url, dir.path(), &["seed", "--numbers", "50", "--seed", "3", "--bin", "940740000015"]));
    assert!(out.contains("Seeded 50 numbers"), "{out}");
    let bin = cabinet_core::Bin::parse("940740000015").unwrap();
    assert!(cabinet_store::companies::by_bin(&db, &bin).await.unwrap().is_some());
    let out = ok(&cabinet(&db.url, dir.path(), &["outbox"]));
    assert!(out.contains("empty"));
}

/// Operator staff's accounts and the companies' requests for access, from the command line.
#[tokio::test]
async fn staff_accounts_and_requests_for_access_from_the_command_line() {
    let db = empty_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cabinet(&db.url, dir.path(), args);
    let create = |login: &str, password: &str| {
        run(&["staff", "create", "--login", login, "--name", "Айгерим Сейтова", "--password", password])
    };
    refused(&create("aigerim", "short"), "at least 10");
    refused(&create("aigerim", "aigerim-2026-winter"), "login");
    refused(&create("a b", "Жасыл алма 2026!"), "letters, digits");
    assert!(ok(&create("aigerim", "Жасыл алма 2026!")).contains("created"));
    refused(&create("Aigerim", "Жасыл алма 2026!"), "already exists");

    assert!(ok(&run(&["requests", "list"])).contains("No requests are waiting"));
    refused(&run(&["requests", "approve", "--id", "nope"]), "no such request");
    // A request for a customer the simulator has (seeded) from a phone with no account.
    ok(&run(&["seed", "--numbers", "5", "--seed", "3", "--bin", "940740000015"]));
    let bin = cabinet_core::Bin::parse("940740000015").unwrap();
    let phone = cabinet_core::Msisdn::parse("77015557201").unwrap();
    let new = cabinet_store::access_requests::NewRequest {
        bin: &bin,
        company_name: "ТОО Кабинет",
        admin_name: "Дана Даулет",
        phone: &phone,
        email: "dana@example.kz",
        locale: "ru",
        letter_name: "letter.pdf",
        letter: crate::registration::LETTER,
    };
    let id = cabinet_store::access_requests::submit(&db, &new, 0).await.unwrap().expect("stored");
    let listed = ok(&run(&["requests", "list"]));
    assert!(listed.contains(&id) && listed.contains("pending") && listed.contains("77015557201"), "{listed}");
    refused(&run(&["requests", "reject", "--id", &id, "--reason", " "]), "give the reason");
    assert!(ok(&run(&["requests", "approve", "--id", &id])).contains("account was created"));
    refused(&run(&["requests", "approve", "--id", &id]), "decided already");
    let admin = cabinet_store::admins::by_phone(&db, &phone).await.unwrap().expect("the account");
    assert_eq!(cabinet_store::admins::companies_of(&db, &admin.id).await.unwrap()[0].role, "full");
    let told = cabinet_store::outbox::latest(&db, 10).await.unwrap();
    assert!(told.iter().any(|m| m.recipient == "77015557201" && m.body.contains("одобрен")), "told in Russian");
}

#[test]
fn settings_come_from_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    std::fs::write(dir.path().join("cabinet.toml"), format!("database_url = \"{}\"\n", url("file.db"))).unwrap();
    let migrate = |env: Option<&str>, flag: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cabinet"));
        c.current_dir(dir.path()).env_remove("CABINET_DATABASE_URL");
        if let Some(e) = env {
            c.env("CABINET_DATABASE_URL", e);
        }
        if let Some(f) = flag {
            c.args(["--database-url", f]);
        }
        ok(&c.arg("migrate").output().unwrap());
    };
    migrate(None, None);
    assert!(dir.path().join("file.db").exists(), "the file's setting");
    migrate(Some(&url("env.db")), None);
    assert!(dir.path().join("env.db").exists(), "the environment wins over the file");
    migrate(Some(&url("env2.db")), Some(&url("flag.db")));
    assert!(dir.path().join("flag.db").exists(), "the flag wins over the environment");
    assert!(!dir.path().join("env2.db").exists());
}

#[test]
fn bad_settings_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cabinet"));
        c.current_dir(dir.path()).env_remove("CABINET_DATABASE_URL").args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    refused(&run(&["--database-url", "mysql://x/y", "migrate"], &[]), "unsupported database URL");
    refused(&run(&["migrate"], &[("CABINET_DEFAULT_LANGUAGE", "de")]), "default_language");
    refused(&run(&["migrate"], &[("CABINET_OPERATOR_PREFIXES", "701,7x2")]), "operator_prefixes");
    refused(&run(&["migrate"], &[("CABINET_TIME_ZONE", "Mars/Olympus")]), "time zone");
    refused(&run(&["--config", "nope.toml", "migrate"], &[]), "does not exist");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[tokio::test]
async fn the_demo_is_seeded_once_into_an_empty_store() {
    let db = cabinet_store::testing::test_db().await;
    cabinet_sim::Simulator::new(db.db.clone()).migrate().await.unwrap();
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    let logins = cabinet::demo::seed_if_empty(&db, &zone).await.unwrap().expect("seeded");
    assert_eq!(logins.iter().map(|l| l.phone.as_str()).collect::<Vec<_>>(), ["+7 701 211 21 01", "+7 707 123 45 67"]);
    assert!(cabinet::demo::seed_if_empty(&db, &zone).await.unwrap().is_none(), "not twice");
    assert_eq!(cabinet_store::companies::count(&db).await.unwrap(), 2);
    let aliya = cabinet_store::admins::by_phone(&db, &cabinet_core::Msisdn::parse("77012112101").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cabinet_store::admins::companies_of(&db, &aliya.id).await.unwrap().len(), 2);
    assert!(cabinet_store::password::verify(cabinet::demo::DEMO_PASSWORD.into(), aliya.password_hash.unwrap()).await);
}

#[tokio::test]
async fn operator_staff_close_a_billing_month_once() {
    let db = empty_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cabinet(&db.url, dir.path(), args);
    let zone = cabinet_core::time::OperatorZone::named("Asia/Almaty").unwrap();
    let today = zone.civil_date(cabinet_core::time::now_ms()).unwrap();
    let this_month = cabinet_core::time::BillingMonth::of(today).to_string();

    refused(&run(&["billing", "close", "--month", "2026-13"]), "between 01 and 12");
    refused(&run(&["billing", "close", "--month", "11.2026"]), "YYYY-MM");
    refused(&run(&["billing", "close", "--month", &this_month]), "not over");
    refused(&run(&["billing", "close", "--month", "2026-06", "--bin", "940740000012"]), "BIN");
    let untouched = sqlx::query("SELECT COUNT(*) FROM _sim_migrations").fetch_one(db.pool()).await;
    assert!(untouched.is_err(), "refused arguments never opened the store");

    ok(&run(&["seed", "--numbers", "40", "--seed", "3", "--bin", "940740000015"]));
    refused(&run(&["billing", "close", "--month", "2026-06", "--bin", "050540001331"]), "no customer");
    let out = ok(&run(&["billing", "close", "--month", "2026-06", "--bin", "940740000015"]));
    let bin = cabinet_core::Bin::parse("940740000015").unwrap();
    let sim = cabinet_sim::Simulator::new(db.db.clone());
    let q = cabinet_core::operator::InvoiceQuery { month: Some("2026-06".into()), limit: 1000, ..Default::default() };
    let invoices = cabinet_core::operator::OperatorPort::invoices(&sim, &bin, &q).await.unwrap();
    assert!(!invoices.is_empty());
    let total = cabinet_core::Money(invoices.iter().map(|i| i.total.tiyn()).sum());
    let says = format!("{} invoices, {} in all", invoices.len(), total.format(cabinet_core::Locale::En));
    assert!(out.contains("Closed 2026-06 for BIN 940740000015") && out.contains(&says), "{out} / {says}");
    assert!(out.contains("numbers put into Blocked / Debt for invoices unpaid past their due date"), "{out}");
    let again = ok(&run(&["billing", "close", "--month", "2026-06"]));
    assert!(again.contains("Closed 2026-06 for all customers: 0 invoices"), "{again}");
    assert_eq!(cabinet_core::operator::OperatorPort::invoices(&sim, &bin, &q).await.unwrap(), invoices);
}

#[tokio::test]
async fn operator_staff_record_payments_allocate_them_and_run_the_daily_billing() {
    use cabinet_core::operator::{BillingMethod, NumberQuery, OperatorPort};
    use cabinet_core::{Locale, Money};
    let db = empty_db().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cabinet(&db.url, dir.path(), args);
    let pay = |extra: &[&str]| {
        let mut args = vec!["billing", "pay", "--bin", "940740000015"];
        args.extend_from_slice(extra);
        run(&args)
    };

    let po = ["--reference", "PO-123"];
    refused(&pay(&["--unallocated", "--amount", "12.345", "--reference", "PO-1"]), "two decimals");
    refused(&pay(&["--unallocated", "--amount", "abc", "--reference", "PO-1"]), "two decimals");
    refused(&pay(&["--unallocated", "--amount", "0", "--reference", "PO-1"]), "more than zero");
    refused(&pay(&["--unallocated", "--amount", "5", "--channel", "cash", "--reference", "PO-1"]), "--channel");
    refused(
        &pay(&["--unallocated", "--amount", "5", "--channel", "kaspi", "--reference", "PO-1"]),
        "bank transfer only",
    );
    refused(&pay(&["--account", "1", "--unallocated", "--amount", "5", "--reference", "PO-1"]), "one of them");
    refused(&pay(&["--amount", "5", "--reference", "PO-1"]), "one of them");
    refused(
        &run(&["billing", "pay", "--bin", "940740000012", "--unallocated", "--amount", "5", "--reference", "P"]),
        "BIN",
    );
    refused(
        &run(&["billing", "allocate", "--bin", "940740000015", "--reference", " ", "--account", "1"]),
        "--reference",
    );
    let untouched = sqlx::query("SELECT COUNT(*) FROM _sim_migrations").fetch_one(db.pool()).await;
    assert!(untouched.is_err(), "refused arguments never opened the store");

    ok(&run(&["seed", "--numbers", "60", "--seed", "3", "--bin", "940740000015"]));
    let bin = cabinet_core::Bin::parse("940740000015").unwrap();
    let sim = cabinet_sim::Simulator::new(db.db.clone());
    let seeded = sim.unallocated_payments(&bin).await.unwrap();
    let out = ok(&pay(&["--unallocated", "--amount", "1234.56", "--channel", "bank_transfer", po[0], po[1]]));
    assert!(out.contains("unallocated"), "{out}");
    let again = ok(&pay(&["--unallocated", "--amount", "1234.56", po[0], po[1]]));
    assert!(again.contains("received before: nothing changed"), "{again}");
    let listed = sim.unallocated_payments(&bin).await.unwrap();
    assert_eq!(listed.len(), seeded.len() + 1);
    assert!(listed.iter().any(|p| p.reference == "PO-123" && p.amount == Money(123_456)));

    let numbers = sim.list_numbers(&bin, &NumberQuery { limit: 100, ..Default::default() }).await.unwrap().items;
    let credit = numbers.iter().find(|n| n.billing == BillingMethod::Credit).expect("a credit number");
    let advance = numbers.iter().find(|n| n.billing == BillingMethod::Advance).expect("an advance number");
    let account = credit.account_no.as_str();
    let debt = || async { sim.number_profile(&bin, &credit.msisdn).await.unwrap().unwrap().past_debt };
    let before = debt().await;
    refused(
        &run(&["billing", "allocate", "--bin", "940740000015", po[0], po[1], "--account", "1"]),
        "not one of the customer's",
    );
    let to_advance = ["billing", "allocate", "--bin", "940740000015", po[0], po[1], "--account", &advance.account_no];
    refused(&run(&to_advance), "advance account");
    refused(
        &run(&["billing", "allocate", "--bin", "940740000015", "--reference", "PO-999", "--account", account]),
        "no unallocated payment",
    );
    assert_eq!(sim.unallocated_payments(&bin).await.unwrap(), listed, "refusals changed nothing");
    assert_eq!(debt().await, before);

    let out = ok(&run(&["billing", "allocate", "--bin", "940740000015", po[0], po[1], "--account", account]));
    let says = format!("Allocated payment PO-123 of {} to account {account}", Money(123_456).format(Locale::En));
    assert!(out.contains(&says), "{out}");
    assert_eq!(debt().await, Money(before.tiyn() - 123_456));
    assert_eq!(sim.unallocated_payments(&bin).await.unwrap(), seeded);
    let twice = run(&["billing", "allocate", "--bin", "940740000015", po[0], po[1], "--account", account]);
    refused(&twice, &format!("allocated before, to account {account}"));
    assert_eq!(debt().await, Money(before.tiyn() - 123_456));

    let out = ok(&pay(&["--account", account, "--amount", "10", "--channel", "kaspi", "--reference", "K-1"]));
    assert!(
        out.contains(&format!("Received {} by kaspi (K-1) for account {account}", Money(1_000).format(Locale::En))),
        "{out}"
    );
    assert_eq!(debt().await, Money(before.tiyn() - 124_456));

    let out = ok(&run(&["billing", "daily"]));
    assert!(out.contains("Daily billing for 1 customers") && out.contains("Blocked / Debt"), "{out}");
    let books = cabinet_sim::ledger::check_books(&db.db, &bin).await.unwrap();
    assert_eq!((books.total, books.mismatched_unallocated), (0, None));
    assert!(books.unbalanced_txns.is_empty() && books.mismatched_accounts.is_empty());
}
