//! The OpenAPI 3.1 `webhooks` section: one entry per event type, describing the request a subscribed
//! receiver gets (the Standard Webhooks headers and the versioned JSON body, whose schemas are the
//! components `WebhookPayloadV1`, `WebhookDataV1`, `TicketPayloadV1`, ...) and what its answers mean.

use chamado::EventType;
use utoipa::Modify;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, PathsBuilder, Ref, RefOr, Required, ResponseBuilder, ResponsesBuilder};

/// Adds the `webhooks` section to the document.
pub(crate) struct WebhooksSection;

impl Modify for WebhooksSection {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let mut paths = PathsBuilder::new();
        for t in EventType::ALL {
            paths = paths.path(t.as_str(), PathItem::new(HttpMethod::Post, operation(t)));
        }
        openapi.webhooks = Some(paths.build());
    }
}

/// What an event means, for the reader of the document.
fn summary(t: EventType) -> &'static str {
    match t {
        EventType::TicketCreated => "A ticket was opened (by any channel)",
        EventType::ArticleAdded => "An article was added to a ticket (data.article)",
        EventType::StateChanged => "A ticket's state changed (data.change: from, to)",
        EventType::QueueChanged => "A ticket moved to another queue (data.change: from, to)",
        EventType::OwnerChanged => "A ticket's owner changed (data.change.to)",
        EventType::ResponsibleChanged => "A ticket's responsible agent changed (data.change.to)",
        EventType::PriorityChanged => "A ticket's priority changed (data.change: from, to)",
        EventType::LockChanged => "A ticket was locked or unlocked (data.change.locked)",
        EventType::TitleChanged => "A ticket's title changed (data.change: from, to)",
        EventType::TicketCustomerChanged => "A ticket's customer or customer user changed",
        EventType::ServiceChanged => "A ticket's service changed",
        EventType::SlaChanged => "A ticket's SLA changed",
        EventType::Merged => "A ticket was merged into another; sent for both (data.merge)",
        EventType::EscalationWarning => "An escalation clock reached its warning point (data.escalation)",
        EventType::EscalationBreach => "An escalation clock reached its due time (data.escalation)",
        EventType::CustomerChanged => "A customer (company) was added or changed (data.customer, no ticket)",
        EventType::CustomerUserChanged => "A customer user was added or changed (data.customer_user, no ticket)",
    }
}

fn header(name: &str, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).build()))
        .build()
}

/// The request a receiver gets for events of type `t`.
fn operation(t: EventType) -> utoipa::openapi::path::Operation {
    // The common body, with `type` held to this event's name.
    let this_type = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("type", ObjectBuilder::new().schema_type(Type::String).enum_values(Some([t.as_str()])))
        .required("type")
        .build();
    let body = Schema::AllOf(
        AllOfBuilder::new().item(RefOr::Ref(Ref::from_schema_name("WebhookPayloadV1"))).item(this_type).build(),
    );
    let request = RequestBodyBuilder::new()
        .description(Some("The event: `{type, timestamp, data}`, data schema version 1"))
        .required(Some(Required::True))
        .content("application/json", ContentBuilder::new().schema(Some(body)).build())
        .build();
    let responses = ResponsesBuilder::new()
        .response("2XX", ResponseBuilder::new().description("Delivered: the next event of the ticket follows"))
        .response(
            "410",
            ResponseBuilder::new()
                .description("Gone: the subscription is disabled until an admin enables it again; this and the waiting deliveries become dead letters"),
        )
        .response(
            "default",
            ResponseBuilder::new().description(
                "Any other answer, or none within the subscription's timeout, is retried with exponential backoff \
                 and jitter for 24 hours (a Retry-After is honoured), then kept as a dead letter to replay; later \
                 events of the same ticket wait for it",
            ),
        )
        .build();
    OperationBuilder::new()
        .operation_id(Some(format!("webhook_{}", t.as_str().replace('.', "_"))))
        .tag("webhooks")
        .summary(Some(summary(t)))
        .description(Some(
            "Sent by POST to each enabled subscription that chose this event (and whose queue and group filters \
             the ticket passes), signed by the Standard Webhooks scheme. Events of one ticket arrive in order; a \
             delivery may arrive more than once (after a crash or a replay), always with the same webhook-id.",
        ))
        .parameter(header(
            "webhook-id",
            "The event's id (`evt_<n>`): the same on every attempt and replay of this event, so receivers drop duplicates",
        ))
        .parameter(header("webhook-timestamp", "When this attempt was sent, in Unix seconds"))
        .parameter(header(
            "webhook-signature",
            "Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per active secret, of \
             `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64-decoded secret after `whsec_`",
        ))
        .request_body(Some(request))
        .responses(responses)
        .build()
}
