//! The operator port: everything Cabinet asks of the operator's billing and network goes
//! through [`OperatorPort`]. The embedded simulator implements it; an operator that deploys
//! Cabinet writes an adapter for its own billing system behind the same trait.
//!
//! Every call names the customer (the company's BIN) whose data it wants: an adapter must
//! answer nothing about numbers of other customers. That is the second wall behind Cabinet's
//! own company scoping.

use crate::{Bin, Localized, Money, Msisdn};
use serde::{Deserialize, Serialize};

/// Why the operator did not answer.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// The billing system cannot be reached or failed; worth trying again later.
    #[error("the operator's system is unavailable: {0}")]
    Unavailable(String),
}

pub type OperatorResult<T> = Result<T, OperatorError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingMethod {
    /// Postpaid: charges run against the account's credit limit.
    Credit,
    /// Prepaid: charges come out of the number's balance.
    Advance,
}

impl BillingMethod {
    pub fn code(self) -> &'static str {
        match self {
            BillingMethod::Credit => "credit",
            BillingMethod::Advance => "advance",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "credit" => Some(BillingMethod::Credit),
            "advance" => Some(BillingMethod::Advance),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberState {
    Active,
    Blocked,
    /// Blocked by the operator for unpaid charges; the administrator cannot unblock it.
    BlockedDebt,
    /// A change of state was requested and the network has not confirmed it yet.
    Processing,
}

impl NumberState {
    pub fn code(self) -> &'static str {
        match self {
            NumberState::Active => "active",
            NumberState::Blocked => "blocked",
            NumberState::BlockedDebt => "blocked_debt",
            NumberState::Processing => "processing",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "active" => Some(NumberState::Active),
            "blocked" => Some(NumberState::Blocked),
            "blocked_debt" => Some(NumberState::BlockedDebt),
            "processing" => Some(NumberState::Processing),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// One number on the account.
    Separate,
    /// Several numbers share the account and its credit limit.
    Common,
}

/// One row of Number management.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberSummary {
    pub msisdn: Msisdn,
    pub account_no: String,
    pub tariff: Localized,
    pub billing: BillingMethod,
    pub state: NumberState,
    /// The number's own spending cap for the bill cycle, if the company set one.
    pub individual_limit: Option<Money>,
    /// What is left of the individual limit until the end of the bill cycle.
    pub available_funds: Option<Money>,
    /// Remaining credit limit of the account (credit) or the prepaid balance (advance).
    pub remaining: Money,
}

/// Which slice of a customer's numbers to list. Pages are cut by number (keyset), so the
/// thousandth page costs what the first does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberQuery {
    /// Digits to find anywhere in the number or the account number.
    pub digits: Option<String>,
    /// List numbers after this one (next page).
    pub after: Option<String>,
    /// List numbers before this one (previous page).
    pub before: Option<String>,
    pub limit: u32,
    /// With `digits`: also count the matches, up to this cap, in the same call.
    pub count_cap: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberPage {
    pub items: Vec<NumberSummary>,
    pub has_prev: bool,
    pub has_next: bool,
    /// How many numbers match the digits, when the query asked (`count_cap`).
    pub matched: Option<MatchCount>,
}

/// How many numbers matched, counted up to a cap so that a broad search stays cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchCount {
    Exactly(u64),
    AtLeast(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceKind {
    OnNetCalls,
    OffNetMinutes,
    LandlineMinutes,
    InternationalMinutes,
    Sms,
    Data,
}

impl AllowanceKind {
    pub fn code(self) -> &'static str {
        match self {
            AllowanceKind::OnNetCalls => "on_net_calls",
            AllowanceKind::OffNetMinutes => "off_net_minutes",
            AllowanceKind::LandlineMinutes => "landline_minutes",
            AllowanceKind::InternationalMinutes => "international_minutes",
            AllowanceKind::Sms => "sms",
            AllowanceKind::Data => "data",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            AllowanceKind::OnNetCalls,
            AllowanceKind::OffNetMinutes,
            AllowanceKind::LandlineMinutes,
            AllowanceKind::InternationalMinutes,
            AllowanceKind::Sms,
            AllowanceKind::Data,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// An allowance left on the number: voice in seconds, SMS in messages, data in kilobytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allowance {
    pub kind: AllowanceKind,
    pub name: Localized,
    /// From the tariff (Remaining allowance) or from a package (Additional allowances).
    pub from_tariff: bool,
    pub unlimited: bool,
    pub available: i64,
    pub total: i64,
    pub connected_ms: i64,
    pub until_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceGroup {
    CallsSms,
    Data,
    Roaming,
    Additional,
    Promotions,
}

impl ServiceGroup {
    pub const ALL: [ServiceGroup; 5] = [
        ServiceGroup::CallsSms,
        ServiceGroup::Data,
        ServiceGroup::Roaming,
        ServiceGroup::Additional,
        ServiceGroup::Promotions,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceGroup::CallsSms => "calls_sms",
            ServiceGroup::Data => "data",
            ServiceGroup::Roaming => "roaming",
            ServiceGroup::Additional => "additional",
            ServiceGroup::Promotions => "promotions",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        ServiceGroup::ALL.into_iter().find(|g| g.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    Active,
    Available,
    Unavailable,
}

/// A service of the catalog as it stands on one number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceEntry {
    pub code: String,
    pub group: ServiceGroup,
    pub name: Localized,
    pub terms: Localized,
    pub price: Money,
    /// Volume of a package (`10 GB`, `50 minutes`), where the service has one.
    pub volume: Option<Localized>,
    /// Services of one family exclude each other (two data packs, say).
    pub family: Option<String>,
    pub status: ServiceStatus,
}

/// A device bought in instalments with the number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractPhone {
    pub device_name: String,
    pub device_type: Localized,
    pub active: bool,
    pub activated_ms: i64,
    pub terminates_ms: i64,
    pub term_months: u32,
    pub monthly_payment: Money,
    pub contract_price: Money,
    pub promotion: String,
}

/// Everything the number profile shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberProfile {
    pub summary: NumberSummary,
    pub state_changed_ms: i64,
    pub account_type: AccountType,
    pub credit_limit: Option<Money>,
    pub past_debt: Money,
    pub roaming_debt: Money,
    pub registration_form: String,
    pub esim: bool,
    pub ban_ussd: bool,
    pub ban_selfcare_details: bool,
    pub ban_selfcare: bool,
    pub subscription_block: bool,
    pub hidden_caller_id: bool,
    pub in_roaming: bool,
    pub sim_replaced_ms: Option<i64>,
    pub pin1: String,
    pub pin2: String,
    pub puk1: String,
    pub puk2: String,
    pub iccid: String,
    pub last_imei: Option<String>,
    pub contract_phones: Vec<ContractPhone>,
    pub allowances: Vec<Allowance>,
    pub services: Vec<ServiceEntry>,
    /// Call forwarding rules in force.
    pub forwardings: Vec<Forwarding>,
    /// Services calls may be forwarded to.
    pub forward_services: Vec<ForwardService>,
    /// The eSIM issued and not yet expired, if any.
    pub esim_activation: Option<EsimActivation>,
    /// Devices (IMEI) registered with this number.
    pub registered_imeis: Vec<String>,
}

/// A ban the administrator can set on a number (shown in General information).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ban {
    /// Managing the number's services by SMS / USSD.
    UssdControl,
    /// Usage details in the employee's self-care.
    SelfcareDetails,
    /// The employee's self-care altogether.
    SelfcareAccess,
    /// Paid subscriptions (content services).
    SubscriptionBlock,
    /// Hidden caller ID.
    HiddenCallerId,
}

impl Ban {
    pub const ALL: [Ban; 5] =
        [Ban::UssdControl, Ban::SelfcareDetails, Ban::SelfcareAccess, Ban::SubscriptionBlock, Ban::HiddenCallerId];

    pub fn code(self) -> &'static str {
        match self {
            Ban::UssdControl => "ussd_control",
            Ban::SelfcareDetails => "selfcare_details",
            Ban::SelfcareAccess => "selfcare_access",
            Ban::SubscriptionBlock => "subscription_block",
            Ban::HiddenCallerId => "hidden_caller_id",
        }
    }

    pub fn from_code(code: &str) -> Option<Ban> {
        Ban::ALL.into_iter().find(|b| b.code() == code)
    }

    /// Whether the ban is set in this profile.
    pub fn is_set(self, p: &NumberProfile) -> bool {
        match self {
            Ban::UssdControl => p.ban_ussd,
            Ban::SelfcareDetails => p.ban_selfcare_details,
            Ban::SelfcareAccess => p.ban_selfcare,
            Ban::SubscriptionBlock => p.subscription_block,
            Ban::HiddenCallerId => p.hidden_caller_id,
        }
    }
}

/// When calls are forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForwardKind {
    Unconditional,
    Busy,
    NoAnswer,
    Unreachable,
}

impl ForwardKind {
    pub const ALL: [ForwardKind; 4] =
        [ForwardKind::Unconditional, ForwardKind::Busy, ForwardKind::NoAnswer, ForwardKind::Unreachable];

    pub fn code(self) -> &'static str {
        match self {
            ForwardKind::Unconditional => "unconditional",
            ForwardKind::Busy => "busy",
            ForwardKind::NoAnswer => "no_answer",
            ForwardKind::Unreachable => "unreachable",
        }
    }

    pub fn from_code(code: &str) -> Option<ForwardKind> {
        ForwardKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where calls are forwarded: another number, or one of the operator's services
/// (voicemail, "Missed call notification 2050").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "value", rename_all = "snake_case")]
pub enum ForwardTarget {
    Number(String),
    Service(String),
}

/// A forwarding rule on a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    pub kind: ForwardKind,
    pub target: ForwardTarget,
}

/// A service calls can be forwarded to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardService {
    pub code: String,
    pub name: Localized,
}

/// An eSIM issued for a number: the phone scans `lpa` (as a QR code) until `expires_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsimActivation {
    /// `LPA:1$<SM-DP+ address>$<matching id>`, what the QR code carries.
    pub lpa: String,
    pub expires_ms: i64,
}

/// A change to a number that the administrator asks of the network. Later issues add
/// forwarding, eSIM, secret codes and device registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    Block,
    Unblock,
    /// Connect (`on`) or disconnect a service of the catalog.
    SetService {
        code: String,
        on: bool,
    },
    /// Set (`on`) or remove a ban.
    SetBan {
        ban: Ban,
        on: bool,
    },
    /// Move the number to a new SIM card (its ICCID, from the card's back).
    ReplaceSim {
        iccid: String,
    },
    /// Add a call forwarding rule.
    AddForwarding {
        kind: ForwardKind,
        target: ForwardTarget,
    },
    /// Remove the rule of this kind.
    RemoveForwarding {
        kind: ForwardKind,
    },
    /// Move the number to the eSIM issued for it (after the phone installed it).
    ChangeToEsim,
    /// Register a device (IMEI, 14 digits) with the company's BIN and this number.
    RegisterImei {
        imei: String,
    },
    /// Keep the device's existing registration and add this BIN and number to it.
    RegisterDuplicateImei {
        imei: String,
    },
    /// Move a device registered to another BIN/IIN and number (its previous owner, named by
    /// the administrator) to the company's BIN and this number.
    ReregisterImei {
        imei: String,
        prev_msisdn: String,
        prev_owner: String,
    },
    /// Remove the device's registration with this number.
    RemoveImei {
        imei: String,
    },
}

impl Operation {
    /// The action's kind in the actions history.
    pub fn kind(&self) -> &'static str {
        match self {
            Operation::Block => "block",
            Operation::Unblock => "unblock",
            Operation::SetService { on: true, .. } => "service_on",
            Operation::SetService { on: false, .. } => "service_off",
            Operation::SetBan { on: true, .. } => "ban_on",
            Operation::SetBan { on: false, .. } => "ban_off",
            Operation::ReplaceSim { .. } => "sim_replacement",
            Operation::AddForwarding { .. } => "forwarding_on",
            Operation::RemoveForwarding { .. } => "forwarding_off",
            Operation::ChangeToEsim => "esim_replacement",
            Operation::RegisterImei { .. } => "imei_register",
            Operation::RegisterDuplicateImei { .. } => "imei_duplicate",
            Operation::ReregisterImei { .. } => "imei_reregister",
            Operation::RemoveImei { .. } => "imei_remove",
        }
    }
}

/// Where a submitted operation stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OperationState {
    /// Accepted; the network has not confirmed yet.
    Pending,
    Done,
    /// The network refused or failed; `reason` is a code (see `rules::Refusal`) or the
    /// operator's own words.
    Failed {
        reason: String,
    },
}

/// Why the operator refused a balance transfer; nothing moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TransferRefusal {
    #[error("the sender and the recipient are the same number")]
    SameNumber,
    /// The amount is zero (negative amounts never parse).
    #[error("the amount must be more than zero")]
    NotPositive,
    /// Not one of the customer's numbers (another company's number is told the same).
    #[error("the sender is not one of the company's numbers")]
    UnknownSender,
    #[error("the recipient is not one of the company's numbers")]
    UnknownRecipient,
    /// Only an advance (prepaid) number has a balance of its own to give or receive; a
    /// credit number's account is settled by payments.
    #[error("the sender is not an advance number")]
    SenderNotAdvance,
    #[error("the recipient is not an advance number")]
    RecipientNotAdvance,
    /// The sender's balance is less than the amount.
    #[error("the sender's balance is less than the amount")]
    NotEnoughMoney,
}

impl TransferRefusal {
    /// The stable code kept in the actions history.
    pub fn code(self) -> &'static str {
        match self {
            TransferRefusal::SameNumber => "same_number",
            TransferRefusal::NotPositive => "not_positive",
            TransferRefusal::UnknownSender => "unknown_sender",
            TransferRefusal::UnknownRecipient => "unknown_recipient",
            TransferRefusal::SenderNotAdvance => "sender_not_advance",
            TransferRefusal::RecipientNotAdvance => "recipient_not_advance",
            TransferRefusal::NotEnoughMoney => "not_enough_money",
        }
    }

    pub const ALL: [TransferRefusal; 7] = [
        TransferRefusal::SameNumber,
        TransferRefusal::NotPositive,
        TransferRefusal::UnknownSender,
        TransferRefusal::UnknownRecipient,
        TransferRefusal::SenderNotAdvance,
        TransferRefusal::RecipientNotAdvance,
        TransferRefusal::NotEnoughMoney,
    ];

    pub fn from_code(code: &str) -> Option<TransferRefusal> {
        TransferRefusal::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A balance transfer the operator made: one ledger transaction, and both balances after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferDone {
    /// The operator's reference of the ledger transaction.
    pub reference: String,
    pub sender_balance: Money,
    pub recipient_balance: Money,
}

/// What a usage record is: calls by destination, SMS, data at home; calls, data and the
/// roaming packs' fees abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UsageKind {
    OnNetCall,
    OffNetCall,
    LandlineCall,
    InternationalCall,
    Sms,
    Data,
    /// A call made or received abroad (`UsageRecord::roaming` says where and which way).
    RoamingCall,
    /// A data session abroad.
    RoamingData,
    /// A roaming pack's fee: a daily one on a day the pack was used, or a pack's price.
    RoamingFee,
}

/// How a usage kind is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageUnit {
    Seconds,
    Messages,
    Kilobytes,
    /// Fees charged (a day's, a pack's): counted.
    Fees,
}

impl UsageKind {
    pub const ALL: [UsageKind; 9] = [
        UsageKind::OnNetCall,
        UsageKind::OffNetCall,
        UsageKind::LandlineCall,
        UsageKind::InternationalCall,
        UsageKind::Sms,
        UsageKind::Data,
        UsageKind::RoamingCall,
        UsageKind::RoamingData,
        UsageKind::RoamingFee,
    ];

    /// The kinds used at home, rated against the tariff.
    pub const HOME: [UsageKind; 6] = [
        UsageKind::OnNetCall,
        UsageKind::OffNetCall,
        UsageKind::LandlineCall,
        UsageKind::InternationalCall,
        UsageKind::Sms,
        UsageKind::Data,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UsageKind::OnNetCall => "on_net_call",
            UsageKind::OffNetCall => "off_net_call",
            UsageKind::LandlineCall => "landline_call",
            UsageKind::InternationalCall => "international_call",
            UsageKind::Sms => "sms",
            UsageKind::Data => "data",
            UsageKind::RoamingCall => "roaming_call",
            UsageKind::RoamingData => "roaming_data",
            UsageKind::RoamingFee => "roaming_fee",
        }
    }

    pub fn from_code(code: &str) -> Option<UsageKind> {
        UsageKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn unit(self) -> UsageUnit {
        match self {
            UsageKind::Sms => UsageUnit::Messages,
            UsageKind::Data | UsageKind::RoamingData => UsageUnit::Kilobytes,
            UsageKind::RoamingFee => UsageUnit::Fees,
            _ => UsageUnit::Seconds,
        }
    }

    /// The tariff's allowance this kind draws on; none for roaming (abroad only a roaming
    /// pack's allowance applies).
    pub fn allowance(self) -> Option<AllowanceKind> {
        match self {
            UsageKind::OnNetCall => Some(AllowanceKind::OnNetCalls),
            UsageKind::OffNetCall => Some(AllowanceKind::OffNetMinutes),
            UsageKind::LandlineCall => Some(AllowanceKind::LandlineMinutes),
            UsageKind::InternationalCall => Some(AllowanceKind::InternationalMinutes),
            UsageKind::Sms => Some(AllowanceKind::Sms),
            UsageKind::Data => Some(AllowanceKind::Data),
            UsageKind::RoamingCall | UsageKind::RoamingData | UsageKind::RoamingFee => None,
        }
    }

    pub fn is_roaming(self) -> bool {
        matches!(self, UsageKind::RoamingCall | UsageKind::RoamingData | UsageKind::RoamingFee)
    }
}

/// Where a roaming record was made: the zone that prices it and the country; for a call,
/// which way it went; for a fee, the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roaming {
    /// The operator's roaming zone (1–4).
    pub zone: u8,
    pub country: Localized,
    /// A call the number received.
    pub incoming: bool,
    /// The pack a fee is for.
    pub pack: Option<Localized>,
}

/// One call, message or data session of a number, rated: how much of it came from the
/// allowances and what the rest cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRecord {
    pub at_ms: i64,
    pub kind: UsageKind,
    /// The other party's number, or the access point of a data session.
    pub other: String,
    /// Seconds, messages, kilobytes or fees (`kind.unit()`).
    pub quantity: i64,
    /// The part of `quantity` the allowances (the tariff's at home, a pack's abroad) covered.
    pub from_allowance: i64,
    pub charge: Money,
    /// Where a roaming record was made; None at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roaming: Option<Roaming>,
}

/// A period's records of one kind added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageTotal {
    pub kind: UsageKind,
    pub records: u64,
    pub quantity: i64,
    pub from_allowance: i64,
    pub charge: Money,
}

/// A number's usage in a period: the records in time order and their totals by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    pub records: Vec<UsageRecord>,
    pub totals: Vec<UsageTotal>,
}

/// How a change of an advance number's balance came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BalanceMoveKind {
    /// Money paid in: the channel's code (kaspi, card, terminal, bank_transfer) and its
    /// reference.
    TopUp { channel: String, reference: String },
    /// A balance transfer from another of the customer's numbers.
    TransferIn { from: String, reference: String },
    /// A balance transfer to another of the customer's numbers.
    TransferOut { to: String, reference: String },
    /// A charge for a service (a package connected): the service's name.
    Charge { service: Localized, reference: String },
    /// A month's invoice settled from the balance: the month (`YYYY-MM`) and the invoice's
    /// system number.
    Invoice { month: String, invoice: String, reference: String },
    /// Calls, messages and data of the open month, taken day by day up to and including
    /// `last_day` (`YYYY-MM-DD`); the month's invoice takes only the rest.
    Usage { last_day: String, reference: String },
}

/// One change of an advance number's balance: its payment history's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceMove {
    pub at_ms: i64,
    pub kind: BalanceMoveKind,
    /// Positive when money came in.
    pub amount: Money,
    pub balance_before: Money,
    pub balance_after: Money,
}

/// How a payment reached the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentChannel {
    Kaspi,
    Card,
    Terminal,
    /// A bank transfer; its reference is the payment order's number.
    BankTransfer,
}

impl PaymentChannel {
    pub const ALL: [PaymentChannel; 4] =
        [PaymentChannel::Kaspi, PaymentChannel::Card, PaymentChannel::Terminal, PaymentChannel::BankTransfer];

    pub fn code(self) -> &'static str {
        match self {
            PaymentChannel::Kaspi => "kaspi",
            PaymentChannel::Card => "card",
            PaymentChannel::Terminal => "terminal",
            PaymentChannel::BankTransfer => "bank_transfer",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentChannel> {
        PaymentChannel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Whose payments to list: those to the customer's credit accounts (including unallocated
/// payments once allocated to one) or the top-ups of its advance numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentsOf {
    CreditAccounts,
    AdvanceNumbers,
}

/// Where a listing of payments goes on from: the last payment of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PaymentCursor {
    pub received_ms: i64,
    pub id: i64,
}

/// Which of the customer's payments to list: received in `[from_ms, to_ms)`, oldest first,
/// after `after`, at most `limit` (a report reads a period page by page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentQuery {
    pub which: PaymentsOf,
    pub from_ms: i64,
    pub to_ms: i64,
    pub after: Option<PaymentCursor>,
    pub limit: u32,
}

/// Which invoices the register lists: of the months `from_month` to `to_month` (`YYYY-MM`,
/// both included), after `after` (month, account) in register order, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegisterQuery {
    pub from_month: String,
    pub to_month: String,
    pub after: Option<(String, String)>,
    pub limit: u32,
}

/// What a customer owed the operator at a moment and how that moved: the figures of a
/// reconciliation statement. Owed is positive; money paid ahead (advance balances, payments
/// not yet allocated) makes it negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    pub opening: Money,
    pub periods: Vec<SettlementPeriod>,
}

/// One period of a settlement: what the operator charged (invoices, usage and packages
/// paid from balances) and what the customer paid (payments and top-ups). Money moved
/// between the customer's own numbers and accounts (transfers, allocations) is neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementPeriod {
    pub charges: Money,
    pub payments: Money,
}

impl Settlement {
    /// Owed at the end of each period, in order: the opening, plus charges, less payments.
    pub fn closings(&self) -> Vec<Money> {
        let mut owed = self.opening.tiyn();
        self.periods
            .iter()
            .map(|p| {
                owed += p.charges.tiyn() - p.payments.tiyn();
                Money(owed)
            })
            .collect()
    }
}

/// One day of a number's roaming package: where it was, the package's fee for the day and
/// the data it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoamingPackageDay {
    pub msisdn: String,
    /// The day's first instant, in the operator's zone.
    pub day_ms: i64,
    pub country: Localized,
    pub fee: Money,
    pub data_kb: i64,
}

/// A page of package days, and the number the next page starts after (None: no more).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoamingPackagePage {
    pub days: Vec<RoamingPackageDay>,
    pub next: Option<String>,
}

/// A payment the operator received for one of the customer's accounts or numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub received_ms: i64,
    /// The channel's code: kaspi, card, terminal, bank_transfer.
    pub channel: String,
    /// The channel's reference (a bank transfer's payment order number).
    pub reference: String,
    /// The credit account it went to (`PaymentsOf::CreditAccounts`).
    pub account_no: Option<String>,
    /// The advance number it topped up (`PaymentsOf::AdvanceNumbers`).
    pub msisdn: Option<String>,
    pub amount: Money,
    /// Where the next page starts.
    pub cursor: PaymentCursor,
}

/// A payment the operator received for the customer (by bank transfer) but could not put to
/// an account: it waits at the customer level until the customer says where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnallocatedPayment {
    pub received_ms: i64,
    /// The payment order's number.
    pub reference: String,
    pub amount: Money,
}

/// What an invoice line charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceLineKind {
    /// The tariff's monthly fee.
    Subscription,
    /// Usage of one kind beyond the allowances, at the tariff's prices; abroad, at the
    /// roaming zone's prices beyond the roaming pack, and the packs' fees.
    Usage(UsageKind),
    /// A service's monthly fee.
    Service,
    /// Packages connected in the month (their price, charged when connected).
    Package,
}

/// One line of an invoice: one number's charge of one kind, before VAT, and its VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub msisdn: String,
    pub kind: InvoiceLineKind,
    /// The tariff's, usage kind's, service's or package's code.
    pub code: String,
    pub name: Localized,
    /// Units charged: months (1), started minutes, messages, started megabytes, connections.
    pub quantity: i64,
    pub net: Money,
    pub vat: Money,
}

/// An invoice of one of the customer's accounts for a billing month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// The electronic invoice's registration number.
    pub registration_no: String,
    /// The billing system's number of the invoice.
    pub system_no: String,
    pub account_no: String,
    /// `YYYY-MM`.
    pub month: String,
    pub billing: BillingMethod,
    pub issued_ms: i64,
    pub due_ms: i64,
    pub net: Money,
    /// VAT in basis points (1600 = 16%), as in force for the month.
    pub vat_rate_bp: i64,
    pub vat: Money,
    /// net + vat.
    pub total: Money,
    /// How much of the total is settled; `paid_ms` is when it was settled in full.
    pub paid: Money,
    pub paid_ms: Option<i64>,
}

/// An invoice with its lines, numbers in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    pub invoice: Invoice,
    pub lines: Vec<InvoiceLine>,
}

/// Which of the customer's invoices to list: every filter given must hold. Newest month
/// first, then by account; at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    pub account_no: Option<String>,
    /// `YYYY-MM`.
    pub month: Option<String>,
    /// Invoices with a line for this number.
    pub msisdn: Option<String>,
    /// The registration number or the system number.
    pub number: Option<String>,
    pub limit: u32,
}

/// One number as the list of numbers report shows it (manual 004: "mobile number, billing
/// method, credit limit, amount owed, balance, remaining credit limit, tariff, current
/// number status"): the figures the number's profile shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberListRow {
    pub msisdn: Msisdn,
    pub account_no: String,
    pub billing: BillingMethod,
    /// The account's credit limit (credit numbers only).
    pub credit_limit: Option<Money>,
    /// The account's debt for past periods.
    pub past_debt: Money,
    /// The prepaid balance (advance numbers only).
    pub balance: Option<Money>,
    /// The account's credit limit less this period's charges (credit numbers only).
    pub remaining_credit: Option<Money>,
    pub tariff: Localized,
    pub state: NumberState,
}

/// A device (IMEI) registered with one of the customer's numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRegistration {
    pub msisdn: Msisdn,
    pub imei: String,
    /// Registered as a duplicate: the device was already registered with another number.
    pub duplicate: bool,
    pub registered_ms: i64,
}

/// Where a page of device registrations starts: after this number's registration of this
/// IMEI (registrations come ordered by number, then IMEI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCursor {
    pub msisdn: String,
    pub imei: String,
}

/// What Cabinet asks of the operator.
#[async_trait::async_trait]
pub trait OperatorPort: Send + Sync + 'static {
    /// The customer's registered name, or None when the operator has no customer with this
    /// BIN/IIN (a company's request for access is checked against it).
    async fn customer_name(&self, customer: &Bin) -> OperatorResult<Option<String>>;

    /// How many numbers the customer has.
    async fn number_count(&self, customer: &Bin) -> OperatorResult<u64>;

    /// One page of the customer's numbers, ordered by number.
    async fn list_numbers(&self, customer: &Bin, query: &NumberQuery) -> OperatorResult<NumberPage>;

    /// How many of the customer's numbers contain these digits, up to `cap`.
    async fn count_matches(&self, customer: &Bin, digits: &str, cap: u64) -> OperatorResult<MatchCount>;

    /// The number's profile, or None when the number is not the customer's.
    async fn number_profile(&self, customer: &Bin, msisdn: &Msisdn) -> OperatorResult<Option<NumberProfile>>;

    /// Issues an eSIM for the number (free; valid one day): what the phone scans. A refusal
    /// comes back as its reason code (`rules::Refusal`), as for operations.
    async fn issue_esim(&self, customer: &Bin, msisdn: &Msisdn) -> OperatorResult<Result<EsimActivation, String>>;

    /// Asks the network for a change to one of the customer's numbers. Idempotent on `key`:
    /// asking again with the same key changes nothing more and tells where that request
    /// stands, so a job may repeat the call after a crash and the change happens once.
    async fn submit(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        operation: &Operation,
        key: &str,
    ) -> OperatorResult<OperationState>;

    /// Moves `amount` from one of the customer's advance numbers to another, as one balanced
    /// ledger transaction, or refuses and moves nothing. Idempotent on `key`: the same key
    /// again moves nothing more and answers as the first time did.
    async fn transfer(
        &self,
        customer: &Bin,
        from: &Msisdn,
        to: &Msisdn,
        amount: Money,
        key: &str,
    ) -> OperatorResult<Result<TransferDone, TransferRefusal>>;

    /// The changes of an advance number's balance in `[from_ms, to_ms)`, oldest first, or
    /// None when the number is not the customer's.
    async fn balance_moves(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<Vec<BalanceMove>>>;

    /// The number's usage records in `[from_ms, to_ms)` (up to now), rated against its
    /// tariff, or None when the number is not the customer's.
    async fn usage(
        &self,
        customer: &Bin,
        msisdn: &Msisdn,
        from_ms: i64,
        to_ms: i64,
    ) -> OperatorResult<Option<UsageReport>>;

    /// The customer's invoices that match `query`.
    async fn invoices(&self, customer: &Bin, query: &InvoiceQuery) -> OperatorResult<Vec<Invoice>>;

    /// One of the customer's invoices with its lines, by registration or system number; None
    /// when the customer has no such invoice.
    async fn invoice(&self, customer: &Bin, number: &str) -> OperatorResult<Option<InvoiceDocument>>;

    /// The customer's payments not yet allocated to an account, oldest first.
    async fn unallocated_payments(&self, customer: &Bin) -> OperatorResult<Vec<UnallocatedPayment>>;

    /// The customer's payments that match `query`: to its credit accounts or its advance
    /// numbers, in a period, a page at a time.
    async fn payments(&self, customer: &Bin, query: &PaymentQuery) -> OperatorResult<Vec<Payment>>;

    /// The customer's invoices of the months `query` spans, oldest month first and by
    /// account, a page at a time (the invoice register).
    async fn invoice_register(&self, customer: &Bin, query: &RegisterQuery) -> OperatorResult<Vec<Invoice>>;

    /// The customer's settlement with the operator over consecutive periods (a
    /// reconciliation statement): what it owed at `bounds[0]`, then for each
    /// `[bounds[i], bounds[i + 1])` what it was charged and what it paid.
    async fn settlement(&self, customer: &Bin, bounds: &[i64]) -> OperatorResult<Settlement>;

    /// The days in `[from_ms, to_ms)` on which the customer's numbers with the Atlas Pro
    /// roaming package used it, for up to `numbers` of those numbers after `after` (in
    /// number order): a report reads them a page of numbers at a time.
    async fn roaming_package_days(
        &self,
        customer: &Bin,
        (from_ms, to_ms): (i64, i64),
        after: Option<&str>,
        numbers: u32,
    ) -> OperatorResult<RoamingPackagePage>;

    /// Up to `limit` of the customer's numbers after `after`, ordered by number, with the
    /// figures of the list of numbers report: a report of 100,000 numbers reads them a page
    /// at a time.
    async fn number_list_rows(
        &self,
        customer: &Bin,
        after: Option<&Msisdn>,
        limit: u32,
    ) -> OperatorResult<Vec<NumberListRow>>;

    /// Up to `limit` of the devices registered with the customer's numbers, after `after`,
    /// ordered by number and IMEI.
    async fn device_registrations(
        &self,
        customer: &Bin,
        after: Option<&DeviceCursor>,
        limit: u32,
    ) -> OperatorResult<Vec<DeviceRegistration>>;
}
