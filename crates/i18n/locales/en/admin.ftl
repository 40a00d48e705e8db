# The admin screens (/admin): menu, headings, lists, forms, notices and refusals.

## Frame and menu
admin-title = Admin
admin-menu-customers = Customers
admin-menu-customer-users = Customer users
admin-menu-default-groups = Default groups
admin-menu-default-services = Default services
admin-menu-agents = Agents
admin-menu-roles = Roles
admin-menu-groups = Groups
admin-menu-queues = Queues
admin-menu-services = Services
admin-menu-states = States
admin-menu-priorities = Priorities
admin-index-choose = Choose a screen above.

## Notices after a change
admin-notice-saved = Saved.
admin-notice-done = Done.

## Buttons and shared words
admin-save = Save
admin-save-and-finish = Save and finish
admin-search = Search
admin-cancel = Cancel
admin-valid = valid
admin-invalid = invalid
admin-none-choice = (none)
admin-language-default = System default
admin-time-zone-default = System default

## Headings
admin-heading-customers = Customers
admin-heading-customer = Customer { $id }
admin-heading-customer-groups = Groups of customer { $id }
admin-heading-customer-users = Customer users
admin-heading-customer-user = Customer user { $login }
admin-heading-customer-user-groups = Customer user <-> Groups: { $login }
admin-heading-customer-user-services = Customer user <-> Services: { $login }
admin-heading-default-groups = Default groups of all customer users
admin-heading-default-services = Change default services
admin-heading-agents = Agents
admin-heading-agent = Agent { $login }
admin-heading-agent-groups = Groups of agent { $login }
admin-heading-agent-token = New API token of { $login }
admin-heading-roles = Roles
admin-heading-role = Role { $name }
admin-heading-role-groups = Groups of role { $name }
admin-heading-groups = Groups
admin-heading-group = Group { $name }
admin-heading-group-customer-users = Customer users of group { $group }
admin-heading-queues = Queues
admin-heading-queue = Queue { $name }
admin-heading-services = Services
admin-heading-service = Service { $name }
admin-heading-states = States
admin-heading-state = State { $name }
admin-heading-priorities = Priorities
admin-heading-priority = Priority { $name }

## Table columns
admin-col-login = Login
admin-col-name = Name
admin-col-customer = Customer
admin-col-customer-user = Customer user
admin-col-id = ID
admin-col-language = Language
admin-col-valid = Valid
admin-col-groups = Groups
admin-col-group = Group
admin-col-links = Links
admin-col-comment = Comment
admin-col-level = Level
admin-col-follow-up = Follow-up
admin-col-type = Type
admin-col-next-state = Next state

## Links
admin-link-groups = Groups
admin-link-services = Services
admin-link-customer-users = Customer users

## Form fields
admin-field-login = Login
admin-field-name = Name
admin-field-first-name = First name
admin-field-last-name = Last name
admin-field-email = Email
admin-field-phone = Phone
admin-field-customer-id = Customer ID
admin-field-extra-customers = Extra customers (IDs, comma separated)
admin-field-password = Password
admin-field-password-console = Password (for the console)
admin-field-password-keep = New password (leave empty to keep)
admin-field-language = Language
admin-field-time-zone = Time zone
admin-field-valid = Valid
admin-field-street = Street
admin-field-zip = ZIP
admin-field-city = City
admin-field-country = Country
admin-field-url = URL
admin-field-comment = Comment
admin-field-group = Group
admin-field-follow-up = Follow-up on closed tickets
admin-field-parent-service = Parent service
admin-field-type = Type
admin-field-next-state = Next state (pending auto states: where a ticket goes when due)

## Customers
admin-customers-search = Search customers
admin-customers-none = No customer matches.
admin-customers-add = Add customer
admin-customer-groups-link = Groups of this customer

## Customer users
admin-customer-users-search = Search customer users
admin-customer-users-none = No customer user matches.
admin-customer-users-add = Add customer user

## Agents
admin-agents-search = Search agents
admin-agents-none = No agent matches.
admin-agents-add = Add agent
admin-agent-tokens =
    { $count ->
        [one] 1 API token. Resetting revokes it and shows a new token once.
       *[other] { $count } API tokens. Resetting revokes them and shows a new token once.
    }
admin-agent-token-reset = Reset API token
admin-agent-groups-link = Groups of this agent
admin-agent-no-roles = No roles yet.
admin-agent-add-role = Add one.
admin-agent-save-roles = Save roles
admin-roles-heading = Roles
admin-token-copy-now = Copy it now; it is not shown again.
admin-token-back = Back to the agent

## Permission grids
admin-grant-cell-group = { $permission } on { $group }
admin-grant-cell-user = { $permission } for { $login }
admin-grants-no-groups = No group yet.

## Groups
admin-groups-search = Search groups
admin-groups-none = No group matches.
admin-groups-add = Add or update a group
admin-groups-save = Save group
admin-groups-all = All groups
admin-group-rename-note = A new name renames the group; its queues and permissions follow. An invalid group grants nothing.
admin-group-customer-users-link = Customer users of this group

## Roles
admin-roles-search = Search roles
admin-roles-none = No role matches.
admin-roles-add = Add or update a role
admin-roles-save = Save role
admin-roles-all = All roles
admin-role-rename-note = A new name renames the role; its permissions and members follow. An invalid role grants nothing.
admin-role-groups-link = Groups of this role

## Queues
admin-queues-search = Search queues
admin-queues-none = No queue matches.
admin-queues-add = Add or update a queue
admin-queues-save = Save queue
admin-queues-all = All queues
admin-queue-note = A queue keeps its name (tickets carry it). An invalid queue takes no new tickets.
admin-follow-up-possible = possible
admin-follow-up-reject = reject
admin-follow-up-new-ticket = new ticket

## Services
admin-services-search = Search services
admin-services-none = No service matches.
admin-services-add = Add or update a service
admin-services-save = Save service
admin-services-all = All services
admin-services-select-all = Select all services
admin-services-no-valid = No valid service yet.
admin-services-add-one = Add one.
admin-service-holders = Who has it
admin-service-unusable = This service or one above it is invalid: nobody can choose it now.
admin-service-default = A default service: every customer user has it.
admin-service-not-default = Not a default service.
admin-service-customer-users = Customer users
admin-service-no-customer-users = No customer user has it directly.
admin-service-customers = Customers
admin-service-no-customers = No customer has users with it.
admin-service-change = Change
admin-service-note = A service keeps its name (tickets carry it); add a new one and make this one invalid to replace it.

## States
admin-states-search = Search states
admin-states-none = No state matches.
admin-states-add = Add state
admin-states-all = All states
admin-state-type-label = Type:
admin-state-note = A state keeps its name and type (tickets carry them). An invalid state cannot be set.
admin-state-type-new = new
admin-state-type-open = open
admin-state-type-pending-reminder = pending reminder
admin-state-type-pending-auto = pending auto
admin-state-type-closed = closed
admin-state-type-merged = merged
admin-state-type-removed = removed

## Priorities
admin-priorities-all = All priorities
admin-priority-level = Level:
admin-priority-note = Tickets keep the level: a new name shows on every ticket of it. An invalid priority cannot be set.

## Refusals
admin-missing-customer = Customer "{ $key }" not found.
admin-missing-customer-user = Customer user "{ $key }" not found.
admin-missing-agent = Agent "{ $key }" not found.
admin-missing-role = Role "{ $key }" not found.
admin-missing-group = Group "{ $key }" not found.
admin-missing-queue = Queue "{ $key }" not found.
admin-missing-service = Service "{ $key }" not found.
admin-missing-state = State "{ $key }" not found.
admin-missing-priority = Priority "{ $key }" not found.
admin-missing-record = "{ $key }" not found.
admin-missing-mail-account = Mail account "{ $key }" not found.
admin-duplicate-customer = Customer "{ $key }" already exists.
admin-duplicate-customer-user = Customer user "{ $key }" already exists.
admin-duplicate-agent = Agent "{ $key }" already exists.
admin-duplicate-state = State "{ $key }" already exists.
admin-duplicate-record = "{ $key }" already exists.
