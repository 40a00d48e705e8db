//! The ticket lifecycle: which state changes are legal, what a customer follow-up does, and every state
//! change the engine makes on its own, keyed by state types and the configured [`LifecycleStates`].

mod automatic;
mod follow_up;
mod states;
mod transitions;

pub(crate) use automatic::{StateChange, Target, Trigger, target};
pub use follow_up::{FollowUpAction, follow_up_action};
pub use states::LifecycleStates;
pub(crate) use states::StateRole;
pub(crate) use transitions::check_mergeable;
pub use transitions::check_transition;
