//! What agents choose about being told: "My queues" and, per notification kind, the channels.

use super::{Actor, Admin, Engine};
use crate::directory::{NotificationChannel, NotificationChoice, NotificationDef, NotificationKind};
use crate::error::{Error, Result};
use chamado_i18n::Message;

/// An agent's notification settings as a page or the API shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSettings {
    /// "My queues".
    pub my_queues: Vec<String>,
    /// One row per notification kind, in [`NotificationKind::ALL`] order.
    pub kinds: Vec<NotificationSetting>,
    /// Whether the agent linked a Telegram chat (Telegram notifications go nowhere without one).
    pub telegram_linked: bool,
}

/// One notification kind for one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSetting {
    /// The kind and what the admin set for it.
    pub def: NotificationDef,
    /// By mail (the agent's choice, else the admin's default).
    pub email: bool,
    /// By Telegram (the agent's choice, else the admin's default).
    pub telegram: bool,
}

impl NotificationSetting {
    /// Whether `channel` is on.
    pub fn wants(&self, channel: NotificationChannel) -> bool {
        match channel {
            NotificationChannel::Email => self.email,
            NotificationChannel::Telegram => self.telegram,
        }
    }
}

impl Engine {
    /// The calling agent's notification settings.
    pub async fn notification_settings(&self, actor: &Actor) -> Result<NotificationSettings> {
        let agent = self.acting_agent(actor).await?;
        let kinds = self
            .notification_defs()
            .await?
            .into_iter()
            .map(|def| {
                let own = agent.notifications.iter().find(|c| c.kind == def.kind).filter(|_| def.agent_may_choose);
                let (email, telegram) = match own {
                    Some(c) => (c.email, c.telegram),
                    None => (def.email, def.telegram),
                };
                NotificationSetting { def, email, telegram }
            })
            .collect();
        Ok(NotificationSettings {
            my_queues: agent.my_queues.clone(),
            kinds,
            telegram_linked: agent.telegram_chat.is_some(),
        })
    }

    /// Sets the calling agent's "My queues" (queues the agent may read; others are refused) and, when
    /// `choices` is given, the channels per notification kind. A choice for a kind whose settings do
    /// not let agents choose is refused.
    pub async fn set_notification_settings(
        &self,
        actor: &Actor,
        my_queues: Vec<String>,
        choices: Option<Vec<NotificationChoice>>,
    ) -> Result<()> {
        let mut agent = self.acting_agent(actor).await?;
        let access = self.agent_access(&agent.login).await?;
        let mut queues: Vec<String> = Vec::with_capacity(my_queues.len());
        for name in my_queues {
            let q = self.queue(&name).await?;
            if !access.has(&q.group, crate::permissions::Permission::Ro) {
                return Err(Error::not_found(Message::new("error-queue-not-found").arg("name", format!("{name:?}"))));
            }
            if !queues.contains(&q.name) {
                queues.push(q.name);
            }
        }
        agent.my_queues = queues;
        if let Some(choices) = choices {
            let defs = self.notification_defs().await?;
            let mut kept: Vec<NotificationChoice> = Vec::with_capacity(choices.len());
            for c in choices {
                let may = defs.iter().find(|d| d.kind == c.kind).is_some_and(|d| d.agent_may_choose);
                let def_is = defs.iter().find(|d| d.kind == c.kind).map(|d| (d.email, d.telegram));
                if !may && def_is != Some((c.email, c.telegram)) {
                    return Err(Error::permission_denied(
                        Message::new("error-notification-not-choosable").arg("kind", c.kind.as_str()),
                    ));
                }
                kept.retain(|k| k.kind != c.kind);
                kept.push(c);
            }
            kept.sort_by_key(|c| NotificationKind::ALL.iter().position(|k| *k == c.kind));
            agent.notifications = kept;
        }
        Admin { engine: self, actor: "system".to_string() }.put_agent_keeping(agent, None).await
    }

    /// Forgets the Telegram chat the calling agent linked: Telegram notifications stop.
    pub async fn unlink_agent_chat(&self, actor: &Actor) -> Result<()> {
        let mut agent = self.acting_agent(actor).await?;
        if agent.telegram_chat.take().is_none() {
            return Ok(());
        }
        Admin { engine: self, actor: "system".to_string() }.put_agent_keeping(agent, None).await
    }

    async fn acting_agent(&self, actor: &Actor) -> Result<crate::directory::Agent> {
        let Actor::Agent(login) = actor else {
            return Err(Error::permission_denied(Message::new("error-notifications-agents-only")));
        };
        self.agent(login)
            .await?
            .ok_or_else(|| Error::not_found(Message::new("error-agent-not-found").arg("login", format!("{login:?}"))))
    }
}
