//! The rules an operation on a number must pass before it is sent to the operator. Both the
//! web layer (to refuse at once, with the manual's message) and the simulator (which, like
//! a real network, refuses on its own) apply them.

use crate::operator::{ForwardKind, ForwardTarget, NumberProfile, NumberState, Operation, ServiceEntry, ServiceStatus};

/// Why an operation cannot be done on the number as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("another change to this number is still being processed")]
    InProgress,
    #[error("the number is already blocked")]
    AlreadyBlocked,
    #[error("the number is not blocked")]
    NotBlocked,
    /// FAQ: a number blocked for debt cannot be unblocked by the administrator.
    #[error("the number is blocked for debt")]
    BlockedForDebt,
    /// Services change only on Active numbers.
    #[error("the number is not active")]
    NotActive,
    #[error("the service cannot be connected to this number")]
    ServiceUnavailable,
    #[error("the service is already connected")]
    AlreadyOn,
    #[error("the service is not connected")]
    AlreadyOff,
    /// Another service of the same family is connected (two data packs, say).
    #[error("a service of the same kind is connected")]
    FamilyConflict,
    #[error("no such service")]
    UnknownService,
    #[error("the ban is already set")]
    BanAlreadySet,
    #[error("the ban is not set")]
    BanNotSet,
    /// The new SIM is the one the number already has.
    #[error("the number already uses this SIM card")]
    SameSim,
    /// The network knows the SIM card on another number.
    #[error("the SIM card is in use on another number")]
    IccidInUse,
    #[error("a forwarding rule of this kind is already set")]
    ForwardingExists,
    /// Unconditional forwarding and the conditional kinds exclude each other.
    #[error("unconditional and conditional forwarding exclude each other")]
    ForwardingConflict,
    #[error("calls cannot be forwarded to the number itself")]
    ForwardToSelf,
    #[error("no forwarding rule of this kind is set")]
    NoForwarding,
    /// eSIM: not while roaming (manual).
    #[error("the number is in roaming")]
    InRoaming,
    #[error("no eSIM has been issued, or it expired")]
    EsimNotIssued,
    #[error("the device is already registered with this number")]
    ImeiAlreadyRegistered,
    #[error("the device is not registered with this number")]
    ImeiNotRegistered,
    /// The network has the device registered to another number of this operator.
    #[error("the device is registered to another number")]
    ImeiRegisteredElsewhere,
    /// The manual's failure: the IMEI is bound to another operator's number.
    #[error("the device is registered to another operator's number")]
    ImeiOtherOperator,
    /// Re-registration named a previous owner the registry does not know.
    #[error("the previous owner's number or IIN/BIN does not match the registration")]
    PreviousOwnerMismatch,
}

/// Whether an eSIM may be issued for the number: free, but not while roaming or blocked.
pub fn check_esim_issue(p: &NumberProfile) -> Result<(), Refusal> {
    match p.summary.state {
        NumberState::Processing => Err(Refusal::InProgress),
        NumberState::Active if p.in_roaming => Err(Refusal::InRoaming),
        NumberState::Active => Ok(()),
        _ => Err(Refusal::NotActive),
    }
}

/// Whether a secret code may be sent to the number by SMS: only an Active number receives
/// it, and not while another change is being processed.
pub fn check_secret_code(state: NumberState) -> Result<(), Refusal> {
    match state {
        NumberState::Active => Ok(()),
        NumberState::Processing => Err(Refusal::InProgress),
        NumberState::Blocked | NumberState::BlockedDebt => Err(Refusal::NotActive),
    }
}

const ALL: [Refusal; 25] = [
    Refusal::InProgress,
    Refusal::AlreadyBlocked,
    Refusal::NotBlocked,
    Refusal::BlockedForDebt,
    Refusal::NotActive,
    Refusal::ServiceUnavailable,
    Refusal::AlreadyOn,
    Refusal::AlreadyOff,
    Refusal::FamilyConflict,
    Refusal::UnknownService,
    Refusal::BanAlreadySet,
    Refusal::BanNotSet,
    Refusal::SameSim,
    Refusal::IccidInUse,
    Refusal::ForwardingExists,
    Refusal::ForwardingConflict,
    Refusal::ForwardToSelf,
    Refusal::NoForwarding,
    Refusal::InRoaming,
    Refusal::EsimNotIssued,
    Refusal::ImeiAlreadyRegistered,
    Refusal::ImeiNotRegistered,
    Refusal::ImeiRegisteredElsewhere,
    Refusal::ImeiOtherOperator,
    Refusal::PreviousOwnerMismatch,
];

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::InProgress => "in_progress",
            Refusal::AlreadyBlocked => "already_blocked",
            Refusal::NotBlocked => "not_blocked",
            Refusal::BlockedForDebt => "blocked_for_debt",
            Refusal::NotActive => "not_active",
            Refusal::ServiceUnavailable => "service_unavailable",
            Refusal::AlreadyOn => "already_on",
            Refusal::AlreadyOff => "already_off",
            Refusal::FamilyConflict => "family_conflict",
            Refusal::UnknownService => "unknown_service",
            Refusal::BanAlreadySet => "ban_already_set",
            Refusal::BanNotSet => "ban_not_set",
            Refusal::SameSim => "same_sim",
            Refusal::IccidInUse => "iccid_in_use",
            Refusal::ForwardingExists => "forwarding_exists",
            Refusal::ForwardingConflict => "forwarding_conflict",
            Refusal::ForwardToSelf => "forward_to_self",
            Refusal::NoForwarding => "no_forwarding",
            Refusal::InRoaming => "in_roaming",
            Refusal::EsimNotIssued => "esim_not_issued",
            Refusal::ImeiAlreadyRegistered => "imei_already_registered",
            Refusal::ImeiNotRegistered => "imei_not_registered",
            Refusal::ImeiRegisteredElsewhere => "imei_registered_elsewhere",
            Refusal::ImeiOtherOperator => "imei_other_operator",
            Refusal::PreviousOwnerMismatch => "previous_owner_mismatch",
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Whether `op` may be asked for a number in `state` (what the op itself needs of the
/// number's services and bans is checked by `check_service` and `check_ban`).
pub fn check(op: &Operation, state: NumberState) -> Result<(), Refusal> {
    match (op, state) {
        (_, NumberState::Processing) => Err(Refusal::InProgress),
        (Operation::SetService { .. }, NumberState::Active) => Ok(()),
        (Operation::SetService { .. }, _) => Err(Refusal::NotActive),
        (Operation::SetBan { .. }, _) => Ok(()),
        // FAQ: SIM change is only available for numbers in the Active status.
        (Operation::ReplaceSim { .. }, NumberState::Active) => Ok(()),
        (Operation::ReplaceSim { .. }, _) => Err(Refusal::NotActive),
        (Operation::AddForwarding { .. }, NumberState::Active) => Ok(()),
        (Operation::AddForwarding { .. }, _) => Err(Refusal::NotActive),
        (Operation::RemoveForwarding { .. }, _) => Ok(()),
        (Operation::ChangeToEsim, NumberState::Active) => Ok(()),
        (Operation::ChangeToEsim, _) => Err(Refusal::NotActive),
        (
            Operation::RegisterImei { .. }
            | Operation::RegisterDuplicateImei { .. }
            | Operation::ReregisterImei { .. }
            | Operation::RemoveImei { .. },
            _,
        ) => Ok(()),
        (Operation::Block, NumberState::Active) => Ok(()),
        (Operation::Block, NumberState::Blocked | NumberState::BlockedDebt) => Err(Refusal::AlreadyBlocked),
        (Operation::Unblock, NumberState::Blocked) => Ok(()),
        (Operation::Unblock, NumberState::BlockedDebt) => Err(Refusal::BlockedForDebt),
        (Operation::Unblock, NumberState::Active) => Err(Refusal::NotBlocked),
    }
}

/// Everything the operation needs of the number as the operator describes it: its state
/// (`state` may be Processing when a request is still open) and its services and bans.
pub fn check_on(op: &Operation, p: &NumberProfile, state: NumberState) -> Result<(), Refusal> {
    check(op, state)?;
    match op {
        Operation::SetService { code, on } => check_service(&p.services, code, *on).map_err(|(r, _)| r),
        Operation::SetBan { ban, on } => check_ban(ban.is_set(p), *on),
        Operation::ReplaceSim { iccid } if *iccid == p.iccid => Err(Refusal::SameSim),
        Operation::AddForwarding { kind, target } => check_forwarding(p, *kind, target),
        Operation::RemoveForwarding { kind } if !p.forwardings.iter().any(|f| f.kind == *kind) => {
            Err(Refusal::NoForwarding)
        }
        Operation::ChangeToEsim if p.in_roaming => Err(Refusal::InRoaming),
        Operation::ChangeToEsim if p.esim_activation.is_none() => Err(Refusal::EsimNotIssued),
        Operation::RegisterImei { imei }
        | Operation::RegisterDuplicateImei { imei }
        | Operation::ReregisterImei { imei, .. }
            if p.registered_imeis.contains(imei) =>
        {
            Err(Refusal::ImeiAlreadyRegistered)
        }
        Operation::RemoveImei { imei } if !p.registered_imeis.contains(imei) => Err(Refusal::ImeiNotRegistered),
        Operation::Block
        | Operation::Unblock
        | Operation::ReplaceSim { .. }
        | Operation::RemoveForwarding { .. }
        | Operation::ChangeToEsim
        | Operation::RegisterImei { .. }
        | Operation::RegisterDuplicateImei { .. }
        | Operation::ReregisterImei { .. }
        | Operation::RemoveImei { .. } => Ok(()),
    }
}

/// Whether a forwarding rule may be added: one rule per kind; unconditional forwarding
/// takes every call, so it excludes the conditional kinds and they exclude it; never to the
/// number itself; a service must be one the operator offers.
pub fn check_forwarding(p: &NumberProfile, kind: ForwardKind, target: &ForwardTarget) -> Result<(), Refusal> {
    match target {
        ForwardTarget::Number(n) if *n == p.summary.msisdn.as_str() => return Err(Refusal::ForwardToSelf),
        ForwardTarget::Service(code) if !p.forward_services.iter().any(|s| s.code == *code) => {
            return Err(Refusal::UnknownService);
        }
        _ => {}
    }
    for f in &p.forwardings {
        if f.kind == kind {
            return Err(Refusal::ForwardingExists);
        }
        if (f.kind == ForwardKind::Unconditional) != (kind == ForwardKind::Unconditional) {
            return Err(Refusal::ForwardingConflict);
        }
    }
    Ok(())
}

/// Whether the service `code` may be switched `on` (or off) given the number's services as
/// the operator lists them. On a conflict, the service in the way is returned too.
pub fn check_service<'a>(
    services: &'a [ServiceEntry],
    code: &str,
    on: bool,
) -> Result<(), (Refusal, Option<&'a ServiceEntry>)> {
    let Some(s) = services.iter().find(|s| s.code == code) else {
        return Err((Refusal::UnknownService, None));
    };
    match (on, s.status) {
        (true, ServiceStatus::Active) => Err((Refusal::AlreadyOn, None)),
        (true, ServiceStatus::Unavailable) => Err((Refusal::ServiceUnavailable, None)),
        (true, ServiceStatus::Available) => {
            let rival = s.family.as_ref().and_then(|f| {
                services
                    .iter()
                    .find(|o| o.code != s.code && o.status == ServiceStatus::Active && o.family.as_ref() == Some(f))
            });
            match rival {
                Some(r) => Err((Refusal::FamilyConflict, Some(r))),
                None => Ok(()),
            }
        }
        (false, ServiceStatus::Active) => Ok(()),
        (false, _) => Err((Refusal::AlreadyOff, None)),
    }
}

/// Whether a ban may be set (`on`) or removed, given whether it is set now.
pub fn check_ban(is_set: bool, on: bool) -> Result<(), Refusal> {
    match (is_set, on) {
        (true, true) => Err(Refusal::BanAlreadySet),
        (false, false) => Err(Refusal::BanNotSet),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberState::*;

    #[test]
    fn block_and_unblock_follow_the_manual() {
        assert_eq!(check(&Operation::Block, Active), Ok(()));
        assert_eq!(check(&Operation::Block, Blocked), Err(Refusal::AlreadyBlocked));
        assert_eq!(check(&Operation::Block, BlockedDebt), Err(Refusal::AlreadyBlocked));
        assert_eq!(check(&Operation::Unblock, Blocked), Ok(()));
        assert_eq!(check(&Operation::Unblock, BlockedDebt), Err(Refusal::BlockedForDebt));
        assert_eq!(check(&Operation::Unblock, Active), Err(Refusal::NotBlocked));
        for op in [Operation::Block, Operation::Unblock] {
            assert_eq!(check(&op, Processing), Err(Refusal::InProgress));
        }
    }

    #[test]
    fn refusal_codes_round_trip() {
        for r in ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
    }

    fn svc(code: &str, family: Option<&str>, status: ServiceStatus) -> ServiceEntry {
        ServiceEntry {
            code: code.into(),
            group: crate::operator::ServiceGroup::Data,
            name: crate::Localized::new(code, code, code),
            terms: crate::Localized::default(),
            price: crate::Money(0),
            volume: None,
            family: family.map(str::to_string),
            status,
        }
    }

    #[test]
    fn services_change_only_on_active_numbers_and_respect_families() {
        let on = Operation::SetService { code: "x".into(), on: true };
        assert_eq!(check(&on, Active), Ok(()));
        assert_eq!(check(&on, Blocked), Err(Refusal::NotActive));
        assert_eq!(check(&on, BlockedDebt), Err(Refusal::NotActive));
        let list = [
            svc("pack5", Some("data"), ServiceStatus::Active),
            svc("pack10", Some("data"), ServiceStatus::Available),
            svc("travel", None, ServiceStatus::Available),
            svc("roamreg", None, ServiceStatus::Unavailable),
        ];
        assert_eq!(check_service(&list, "travel", true), Ok(()));
        let (r, rival) = check_service(&list, "pack10", true).unwrap_err();
        assert_eq!((r, rival.map(|s| s.code.as_str())), (Refusal::FamilyConflict, Some("pack5")));
        assert_eq!(check_service(&list, "pack5", true).unwrap_err().0, Refusal::AlreadyOn);
        assert_eq!(check_service(&list, "roamreg", true).unwrap_err().0, Refusal::ServiceUnavailable);
        assert_eq!(check_service(&list, "pack5", false), Ok(()));
        assert_eq!(check_service(&list, "travel", false).unwrap_err().0, Refusal::AlreadyOff);
        assert_eq!(check_service(&list, "nope", true).unwrap_err().0, Refusal::UnknownService);
    }

    #[test]
    fn sim_replacement_only_on_active_numbers() {
        let op = Operation::ReplaceSim { iccid: "8999702200121068527".into() };
        assert_eq!(check(&op, Active), Ok(()));
        for s in [Blocked, BlockedDebt] {
            assert_eq!(check(&op, s), Err(Refusal::NotActive));
        }
    }

    #[test]
    fn bans_toggle_and_work_on_blocked_numbers_too() {
        let ban = Operation::SetBan { ban: crate::operator::Ban::UssdControl, on: true };
        assert_eq!(check(&ban, Blocked), Ok(()));
        assert_eq!(check(&ban, Processing), Err(Refusal::InProgress));
        assert_eq!(check_ban(false, true), Ok(()));
        assert_eq!(check_ban(true, true), Err(Refusal::BanAlreadySet));
        assert_eq!(check_ban(true, false), Ok(()));
        assert_eq!(check_ban(false, false), Err(Refusal::BanNotSet));
    }
}
