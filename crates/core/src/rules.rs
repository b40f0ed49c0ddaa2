//! The rules an operation on a number must pass before it is sent to the operator. Both the
//! web layer (to refuse at once, with the manual's message) and the simulator (which, like
//! a real network, refuses on its own) apply them.

use crate::operator::{NumberState, Operation};

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
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::InProgress => "in_progress",
            Refusal::AlreadyBlocked => "already_blocked",
            Refusal::NotBlocked => "not_blocked",
            Refusal::BlockedForDebt => "blocked_for_debt",
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        [Refusal::InProgress, Refusal::AlreadyBlocked, Refusal::NotBlocked, Refusal::BlockedForDebt]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// Whether `op` may be asked for a number in `state`.
pub fn check(op: &Operation, state: NumberState) -> Result<(), Refusal> {
    match (op, state) {
        (_, NumberState::Processing) => Err(Refusal::InProgress),
        (Operation::Block, NumberState::Active) => Ok(()),
        (Operation::Block, NumberState::Blocked | NumberState::BlockedDebt) => Err(Refusal::AlreadyBlocked),
        (Operation::Unblock, NumberState::Blocked) => Ok(()),
        (Operation::Unblock, NumberState::BlockedDebt) => Err(Refusal::BlockedForDebt),
        (Operation::Unblock, NumberState::Active) => Err(Refusal::NotBlocked),
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
        for r in [Refusal::InProgress, Refusal::AlreadyBlocked, Refusal::NotBlocked, Refusal::BlockedForDebt] {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
    }
}
