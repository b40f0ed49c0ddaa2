//! `cabinet billing pay`, `allocate` and `daily`: operator staff record a payment that came
//! through a channel (to a credit account, or unallocated at the customer level when a bank
//! transfer named no valid account), allocate an unallocated one to an account, and run the
//! day's billing (overdue invoices block their accounts). Arguments are checked before the
//! store is touched; a refusal changes nothing.

use anyhow::{Context, Result, anyhow, bail};
use cabinet_core::operator::PaymentChannel;
use cabinet_core::{Bin, Locale, Money};
use cabinet_sim::billing::{self, IncomingPayment, PayTo, Received};
use cabinet_store::Db;

/// A payment as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayArgs {
    pub bin: Bin,
    /// None: unallocated.
    pub account: Option<String>,
    pub amount: Money,
    pub channel: PaymentChannel,
    pub reference: String,
}

/// The longest reference accepted (a payment order's number is a few digits).
const MAX_REFERENCE: usize = 64;

fn bin_arg(bin: &str) -> Result<Bin> {
    Bin::parse(bin)
        .map_err(|_| anyhow!("--bin: BIN/IIN must be 12 digits with a valid structure and control digit: {bin:?}"))
}

fn account_arg(account: &str) -> Result<String> {
    let a = account.trim();
    if a.is_empty() || a.len() > 20 || !a.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--account: an account number is digits only: {account:?}");
    }
    Ok(a.to_string())
}

fn reference_arg(reference: &str) -> Result<String> {
    let r = reference.trim();
    if r.is_empty() || r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_control) {
        bail!(
            "--reference: the payment's reference (a payment order's number), 1 to {MAX_REFERENCE} characters: {reference:?}"
        );
    }
    Ok(r.to_string())
}

/// Checks `billing pay`'s arguments: exactly one of an account or `--unallocated`, an amount
/// in tenge above zero, a known channel (unallocated: a bank transfer only), a reference.
pub fn pay_args(
    bin: &str,
    account: Option<&str>,
    unallocated: bool,
    amount: &str,
    channel: &str,
    reference: &str,
) -> Result<PayArgs> {
    let bin = bin_arg(bin)?;
    let account = match (account, unallocated) {
        (Some(_), true) | (None, false) => bail!("name the account (--account A) or --unallocated, one of them"),
        (Some(a), false) => Some(account_arg(a)?),
        (None, true) => None,
    };
    let amount = Money::parse_tenge(amount)
        .map_err(|_| anyhow!("--amount: tenge with up to two decimals, such as 1234.56: {amount:?}"))?;
    if amount.tiyn() <= 0 {
        bail!("--amount must be more than zero");
    }
    let codes: Vec<&str> = PaymentChannel::ALL.iter().map(|c| c.code()).collect();
    let channel = PaymentChannel::from_code(channel.trim())
        .ok_or_else(|| anyhow!("--channel must be one of {}: {channel:?}", codes.join(", ")))?;
    if account.is_none() && channel != PaymentChannel::BankTransfer {
        bail!("an unallocated payment comes by bank transfer only (--channel bank_transfer)");
    }
    Ok(PayArgs { bin, account, amount, channel, reference: reference_arg(reference)? })
}

/// Receives the payment and says what it did.
pub async fn pay(db: &Db, args: &PayArgs, now_ms: i64) -> Result<String> {
    let to = args.account.as_deref().map_or(PayTo::Unallocated, PayTo::Account);
    let payment = IncomingPayment {
        to,
        amount: args.amount,
        channel: args.channel,
        reference: &args.reference,
        received_ms: now_ms,
    };
    let got = billing::receive(db, &args.bin, &payment).await.context("recording the payment")?;
    let amount = args.amount.format(Locale::En);
    let (bin, reference, channel) = (&args.bin, &args.reference, args.channel.code());
    match got {
        Err(refusal) => bail!("refused, nothing changed: {refusal}"),
        Ok(Received::Before) => Ok(format!("Payment {reference} of BIN {bin} was received before: nothing changed.")),
        Ok(Received::Unallocated) => Ok(format!(
            "Received {amount} by {channel} ({reference}) for BIN {bin}, unallocated: it waits for \
             `cabinet billing allocate --bin {bin} --reference {reference} --account …`."
        )),
        Ok(Received::ToAccount(paid)) => Ok(format!(
            "Received {amount} by {channel} ({reference}) for account {} of BIN {bin}. {}",
            args.account.as_deref().unwrap_or_default(),
            account_after(paid)
        )),
    }
}

fn account_after(paid: billing::AccountPayment) -> String {
    format!(
        "The account owes {} now; {} numbers taken out of Blocked / Debt.",
        paid.debt.format(Locale::En),
        paid.unblocked
    )
}

/// Checks `billing allocate`'s arguments.
pub fn allocate_args(bin: &str, reference: &str, account: &str) -> Result<(Bin, String, String)> {
    Ok((bin_arg(bin)?, reference_arg(reference)?, account_arg(account)?))
}

/// Allocates the unallocated payment to the account and says what it did.
pub async fn allocate(db: &Db, bin: &Bin, reference: &str, account: &str, now_ms: i64) -> Result<String> {
    match billing::allocate(db, bin, reference, account, now_ms).await.context("allocating the payment")? {
        Err(refusal) => bail!("refused, nothing changed: {refusal}"),
        Ok(done) => Ok(format!(
            "Allocated payment {reference} of {} to account {account} of BIN {bin}. {}",
            done.amount.format(Locale::En),
            account_after(done.account)
        )),
    }
}

/// Runs the day's billing for every customer now (the portals then skip it that day).
pub async fn daily(db: &Db, zone: &cabinet_core::time::OperatorZone, now_ms: i64) -> Result<String> {
    let r = billing::daily_by_hand(db, zone, now_ms).await.context("the daily billing run")?;
    Ok(format!(
        "Daily billing for {} customers: usage of the month taken from {} advance numbers' balances; {} credit numbers' charges of the period brought up to the day; {} numbers put into Blocked / Debt for invoices unpaid past their due date.",
        r.customers, r.usage_charged, r.credit_accrued, r.blocked
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_checked_before_anything_is_touched() {
        let ok = pay_args("940740000015", None, true, "1 234,56", "bank_transfer", " PO-123 ").unwrap();
        assert_eq!((ok.amount, ok.account, ok.reference.as_str()), (Money(123_456), None, "PO-123"));
        let bad = |r: Result<PayArgs>, says: &str| {
            let e = r.unwrap_err().to_string();
            assert!(e.contains(says), "{says:?} in {e}");
        };
        bad(pay_args("940740000012", None, true, "1", "bank_transfer", "P"), "control digit");
        bad(pay_args("940740000015", Some("123"), true, "1", "bank_transfer", "P"), "one of them");
        bad(pay_args("940740000015", None, false, "1", "bank_transfer", "P"), "one of them");
        bad(pay_args("940740000015", Some("12a"), false, "1", "kaspi", "P"), "digits only");
        bad(pay_args("940740000015", None, true, "1.234", "bank_transfer", "P"), "two decimals");
        bad(pay_args("940740000015", None, true, "-5", "bank_transfer", "P"), "two decimals");
        bad(pay_args("940740000015", None, true, "0.00", "bank_transfer", "P"), "more than zero");
        bad(pay_args("940740000015", None, true, "1", "cash", "P"), "one of kaspi, card, terminal, bank_transfer");
        bad(pay_args("940740000015", None, true, "1", "kaspi", "P"), "bank transfer only");
        bad(pay_args("940740000015", Some("1"), false, "1", "kaspi", " "), "--reference");
        assert!(pay_args("940740000015", Some("10021376"), false, "5", "card", "C-1").is_ok());
    }
}
