//! The command line: `cabinet [serve]`, `migrate`, `seed`, `company create`, `admin create`,
//! `admin grant`, `staff create|password|remove`, `requests list|approve|reject`, `outbox`, `billing close`, `billing pay`, `billing allocate`, `billing daily`.

use crate::config::{FlagOverrides, Settings};
use crate::{app, commands, demo, telemetry};
use anyhow::{Context, Result};
use cabinet_core::Bin;
use cabinet_core::time::OperatorZone;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(name = "cabinet", version, about = "Cabinet: the corporate self-service portal of a mobile operator")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Default)]
pub struct Global {
    /// Configuration file (default: ./cabinet.toml if present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Data folder for the embedded store (default ./data).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://… or postgres://… (default: SQLite in the data folder).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Seed a demo operator into an empty store (default: true only on a loopback address
    /// with no proxy configured).
    #[arg(long, global = true)]
    pub demo: Option<bool>,
    /// Developer pages such as /dev/outbox (default: as --demo, under the same condition).
    #[arg(long, global = true)]
    pub dev: Option<bool>,
    /// Log JSON lines.
    #[arg(long, global = true)]
    pub log_json: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the portal (the default).
    Serve,
    /// Apply schema migrations and exit.
    Migrate,
    /// Seed a deterministic simulated company with N numbers.
    Seed {
        #[arg(long, default_value_t = 1000)]
        numbers: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The company's BIN (default: made from the seed).
        #[arg(long)]
        bin: Option<String>,
        /// The company's name (default: "Demo company <seed>").
        #[arg(long)]
        name: Option<String>,
        /// Leave the history's last N finished billing months open (for `billing close`).
        #[arg(long, default_value_t = 0)]
        open_months: u32,
    },
    /// Companies.
    #[command(subcommand)]
    Company(CompanyCommand),
    /// Administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Billing months of the simulated operator.
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Accounts of the operator console (/operator).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Companies' requests for administrator access (Register).
    #[command(subcommand)]
    Requests(RequestsCommand),
    /// Print the newest SMS and e-mail messages of the outbox.
    Outbox {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum BillingCommand {
    /// Close a month that is over: one invoice per account (again: nothing more).
    Close {
        /// YYYY-MM, for example 2026-11.
        #[arg(long)]
        month: String,
        /// Only this customer (default: every customer).
        #[arg(long)]
        bin: Option<String>,
    },
    /// Record a payment received through a channel: to a credit account, or unallocated at
    /// the customer level (a bank transfer that named no valid account).
    Pay {
        #[arg(long)]
        bin: String,
        /// The credit account it pays.
        #[arg(long)]
        account: Option<String>,
        /// Keep it at the customer level until it is allocated.
        #[arg(long)]
        unallocated: bool,
        /// Tenge, with up to two decimals: 1234.56.
        #[arg(long)]
        amount: String,
        /// kaspi, card, terminal or bank_transfer.
        #[arg(long, default_value = "bank_transfer")]
        channel: String,
        /// The channel's reference (a bank transfer's payment order number); the same
        /// reference again records nothing more.
        #[arg(long)]
        reference: String,
    },
    /// Allocate an unallocated payment to one of the customer's credit accounts (once).
    Allocate {
        #[arg(long)]
        bin: String,
        /// The payment order's number.
        #[arg(long)]
        reference: String,
        #[arg(long)]
        account: String,
    },
    /// Run the day's billing now: overdue invoices put their accounts' numbers into
    /// Blocked / Debt (the portal runs it once a day by itself, and not again on a day run
    /// by hand).
    Daily,
}

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Create an account of the operator console.
    Create {
        /// Letters, digits, '.', '_' or '-'.
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// At least 10 characters, not containing the login, not a common password (or the
        /// CABINET_STAFF_PASSWORD variable).
        #[arg(long, env = "CABINET_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Give a member of staff a new password (their sessions end).
    Password {
        #[arg(long)]
        login: String,
        #[arg(long, env = "CABINET_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Remove a member of staff (their sessions end at once).
    Remove {
        #[arg(long)]
        login: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum RequestsCommand {
    /// The requests waiting for a decision, then the latest decided.
    List,
    /// Approve a request: the company and the administrator's account are created if
    /// needed, access is granted with the full role, and the applicant is told.
    Approve {
        #[arg(long)]
        id: String,
    },
    /// Reject a request; the applicant is told the reason.
    Reject {
        #[arg(long)]
        id: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CompanyCommand {
    /// Create a company.
    Create {
        #[arg(long)]
        bin: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an administrator.
    Create {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: String,
        /// Needed for numbers of other operators (their codes go by e-mail).
        #[arg(long)]
        email: Option<String>,
        /// The administrator's password (or the CABINET_ADMIN_PASSWORD variable). Without
        /// one the account is not activated: its owner sets a password with "Forgot
        /// password?" on the sign-in page (a code by SMS, or a link by e-mail).
        #[arg(long, env = "CABINET_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Give an administrator access to a company.
    Grant {
        #[arg(long)]
        phone: String,
        #[arg(long)]
        bin: String,
        /// full, operations, read_only or accountant.
        #[arg(long, default_value = "full")]
        role: String,
    },
}

pub async fn run(cli: Cli) -> Result<()> {
    let g = &cli.global;
    let flags = FlagOverrides {
        listen: g.listen.clone(),
        data_dir: g.data_dir.clone(),
        database_url: g.database_url.clone(),
        demo: g.demo,
        dev: g.dev,
        log_json: g.log_json,
    };
    let settings = Settings::load(g.config.as_ref(), &flags)?;
    let serving = matches!(cli.command, None | Some(Command::Serve));
    if serving {
        telemetry::init_logs(settings.log_json);
    }
    let zone = OperatorZone::named(&settings.time_zone)?;
    match cli.command {
        None | Some(Command::Serve) => serve(settings, &zone).await,
        Some(Command::Migrate) => {
            app::open_store(&settings).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Some(Command::Seed { numbers, seed, bin, name, open_months }) => {
            if numbers == 0 || numbers > 2_000_000 {
                anyhow::bail!("--numbers must be between 1 and 2000000");
            }
            let bin = match bin {
                Some(b) => Bin::parse(&b).map_err(|_| {
                    anyhow::anyhow!("BIN/IIN must be 12 digits with a valid structure and control digit: {b:?}")
                })?,
                None => commands::default_bin(seed),
            };
            let name = name.unwrap_or_else(|| format!("Demo company {seed}"));
            let db = app::open_store(&settings).await?;
            let started = Instant::now();
            if open_months > 3 {
                anyhow::bail!("--open-months must be between 0 and 3 (the history is 90 days)");
            }
            let report = commands::seed_leaving_open(&db, &bin, &name, numbers, seed, &zone, open_months).await?;
            println!(
                "Seeded {} numbers for {name} (BIN {bin}) in {:.1} s.",
                report.numbers,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some(Command::Company(CompanyCommand::Create { bin, name })) => {
            let db = app::open_store(&settings).await?;
            let c = commands::company_create(&db, &bin, &name).await?;
            println!("Company {} (BIN {}) created.", c.name, c.bin);
            Ok(())
        }
        Some(Command::Admin(AdminCommand::Create { phone, name, email, password })) => {
            let db = app::open_store(&settings).await?;
            let prefixes = settings.prefixes();
            let args = commands::AdminArgsOwned { phone, name, email, password };
            let a = commands::admin_create(&db, args.borrow(&prefixes)).await?;
            if a.password_hash.is_some() {
                println!("Administrator {} ({}) created.", a.name, a.phone);
            } else {
                println!(
                    "Administrator {} ({}) created, not activated: they set a password with \"Forgot password?\" on the sign-in page.",
                    a.name, a.phone
                );
            }
            Ok(())
        }
        Some(Command::Admin(AdminCommand::Grant { phone, bin, role })) => {
            let db = app::open_store(&settings).await?;
            commands::admin_grant(&db, &phone, &bin, &role).await?;
            println!("Access granted.");
            Ok(())
        }
        Some(Command::Billing(BillingCommand::Close { month, bin })) => {
            let now = cabinet_core::time::now_ms();
            let (month, bin) = commands::billing_close_args(&month, bin.as_deref(), &zone, now)?;
            let db = app::open_store(&settings).await?;
            println!("{}", commands::billing_close(&db, &zone, month, bin.as_ref(), now).await?);
            Ok(())
        }
        Some(Command::Billing(BillingCommand::Pay { bin, account, unallocated, amount, channel, reference })) => {
            let args =
                commands::billing_pay_args(&bin, account.as_deref(), unallocated, &amount, &channel, &reference)?;
            let db = app::open_store(&settings).await?;
            println!("{}", commands::billing_pay(&db, &args, cabinet_core::time::now_ms()).await?);
            Ok(())
        }
        Some(Command::Billing(BillingCommand::Allocate { bin, reference, account })) => {
            let (bin, reference, account) = commands::billing_allocate_args(&bin, &reference, &account)?;
            let db = app::open_store(&settings).await?;
            let now = cabinet_core::time::now_ms();
            println!("{}", commands::billing_allocate(&db, &bin, &reference, &account, now).await?);
            Ok(())
        }
        Some(Command::Billing(BillingCommand::Daily)) => {
            let db = app::open_store(&settings).await?;
            println!("{}", commands::billing_daily(&db, &zone, cabinet_core::time::now_ms()).await?);
            Ok(())
        }
        Some(Command::Staff(StaffCommand::Create { login, name, password })) => {
            let db = app::open_store(&settings).await?;
            let s = commands::staff_create(&db, &login, &name, &password).await?;
            println!("Operator console account {} ({}) created.", s.login, s.name);
            Ok(())
        }
        Some(Command::Staff(StaffCommand::Password { login, password })) => {
            let db = app::open_store(&settings).await?;
            commands::staff_password(&db, &login, &password).await?;
            println!("Password changed; the member of staff's sessions have ended.");
            Ok(())
        }
        Some(Command::Staff(StaffCommand::Remove { login })) => {
            let db = app::open_store(&settings).await?;
            commands::staff_remove(&db, &login).await?;
            println!("Removed; their sessions have ended.");
            Ok(())
        }
        Some(Command::Requests(RequestsCommand::List)) => {
            let db = app::open_store(&settings).await?;
            commands::requests_list(&db, &zone).await
        }
        Some(Command::Requests(RequestsCommand::Approve { id })) => {
            let config = settings.web_config()?;
            let base = settings.public_origin.clone().unwrap_or_else(|| format!("http://{}", settings.listen));
            let db = app::open_store(&settings).await?;
            let operator = cabinet_sim::Simulator::new(db.clone());
            println!("{}", commands::requests_approve(&db, &operator, &config, base.trim_end_matches('/'), &id).await?);
            Ok(())
        }
        Some(Command::Requests(RequestsCommand::Reject { id, reason })) => {
            let config = settings.web_config()?;
            let db = app::open_store(&settings).await?;
            println!("{}", commands::requests_reject(&db, &config, &id, &reason).await?);
            Ok(())
        }
        Some(Command::Outbox { limit }) => {
            let db = app::open_store(&settings).await?;
            commands::print_outbox(&db, limit.clamp(1, 1000), &zone).await
        }
    }
}

async fn serve(settings: Settings, zone: &OperatorZone) -> Result<()> {
    // Before anything is written: a missing or short secret stops here, and so do missing
    // delivery channels (without them no sign-in could finish).
    settings.web_config()?;
    settings.channels()?;
    warn_dev_and_demo(&settings);
    let db = app::open_store(&settings).await?;
    if settings.demo()
        && let Some(logins) = demo::seed_if_empty(&db, zone).await.context("seeding the demo")?
    {
        println!("Demo data seeded. Sign in with (password \"{}\"):", demo::DEMO_PASSWORD);
        for l in logins {
            println!("  {}  {}  (code by {})", l.phone, l.name, l.channel);
        }
    }
    crate::housekeeping::spawn(db.clone(), zone.clone());
    let portal = app::Portal::bind(&settings, db).await?;
    println!("Cabinet is listening on http://{}", portal.addr);
    if settings.dev_mode() {
        println!("Dev mode: one-time codes appear at http://{}/dev/outbox and in `cabinet outbox`.", portal.addr);
    }
    portal.serve(app::shutdown_signal()).await
}

/// Demo data and developer pages are for trying Cabinet out: say so loudly when they are on,
/// and louder when others can reach them.
fn warn_dev_and_demo(settings: &Settings) {
    let (demo, dev) = (settings.demo(), settings.dev_mode());
    if !demo && !dev {
        return;
    }
    let what = match (demo, dev) {
        (true, true) => "DEMO DATA and DEVELOPER PAGES (/dev/outbox shows every one-time code) are ON",
        (true, false) => "DEMO DATA is ON (demo administrators with a published password)",
        _ => "DEVELOPER PAGES are ON (/dev/outbox shows every one-time code)",
    };
    if settings.local_only() {
        tracing::warn!(listen = %settings.listen, "{what}: fine on this machine only; set demo = false and dev = false for real use");
    } else {
        tracing::warn!(
            listen = %settings.listen,
            "!!! {what} where other machines can reach them (not loopback, or behind a proxy): anyone who can connect can sign in as a demo \
             administrator or read codes. Turn them off (demo = false, dev = false) unless this is a test system !!!"
        );
    }
}
