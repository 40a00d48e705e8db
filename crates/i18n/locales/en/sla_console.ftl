## The console's screens for SLAs and escalation: the clocks in the queue view and the zoom, the
## Customer action, the SLA report, and the admin screens for calendars, SLAs and the queues' fallback
## escalation targets.

## Working time on the clocks.
console-sla-hours-minutes = { $hours } h { $minutes } min
console-sla-minutes = { $minutes } min
console-sla-left = { $time } left
console-sla-overdue = overdue by { $time }
console-sla-paused = paused
console-sla-paused-with = paused, { $time }

## Queue view.
console-sla-time-left = Time left
console-sla-sorted-by-left = Sorted by working time left.
console-sla-sort-by-left = Sort by time left
console-sla-escalation = Escalation
console-sla-filter-escalated = Escalated
console-sla-filter-at-risk = At risk
console-sla-only-escalated = Only escalated tickets: a clock passed its due time.
console-sla-only-at-risk = Only tickets at risk: a clock passed its warning point.
console-sla-show-all = Show all tickets

## Zoom: the clocks.
console-sla-sla = SLA
console-sla-calendar = Calendar
console-sla-queue-targets = the queue's targets
console-sla-around-the-clock = around the clock (UTC)
console-sla-escalated = escalated
console-sla-at-risk = at risk
console-sla-first-response-time = First response time
console-sla-update-time = Update time
console-sla-solution-time = Solution time
console-sla-due = due { $when }
console-sla-met = met: { $time }, { $when }
console-sla-missed = missed: { $time }, { $when }
console-sla-not-running = not running

## Zoom: the Customer action.
console-sla-customer-action = Customer, service and SLA
console-sla-service-pick = Service (choose one to see its SLAs)
console-sla-show-slas = Show its SLAs
console-sla-no-service = No service
console-sla-service-chosen = Service: { $service }
console-sla-no-sla = No SLA
console-sla-change-customer = Change customer, service and SLA
console-sla-done-customer = The customer, service and SLA were saved.

## The SLA report.
console-sla-reports = Reports
console-sla-report = SLA report
console-sla-report-intro = Tickets opened in the period in the queues you may read, per queue and SLA: how often the first response and solution times were met, and the working time they took (median and 90th percentile). A clock still running past its due time counts as missed.
console-sla-report-from = From
console-sla-report-to = To (included)
console-sla-report-all-queues = All queues
console-sla-report-all-slas = All SLAs
console-sla-report-show = Show
console-sla-report-none = No ticket opened in the period has a clock that finished or is overdue.
console-sla-report-tickets = Tickets
console-sla-report-met = Met
console-sla-report-median = Median
console-sla-report-p90 = 90th percentile
console-sla-report-percent = { $whole }.{ $tenths } %
console-sla-report-date-invalid = { $date } is not a date (YYYY-MM-DD).
console-sla-report-period-invalid = The period must end after it starts.

## Admin: calendars.
admin-sla-calendars = Calendars
admin-sla-calendars-intro = Working hours and holidays in a time zone: the escalation clocks count only working time.
admin-sla-calendars-add = Add calendar
admin-sla-calendars-none = No calendar yet.
admin-sla-calendars-all = All calendars
admin-sla-calendar = Calendar { $name }
admin-sla-col-hours = Working hours
admin-sla-col-holidays = Holidays
admin-sla-hours-a-week = { $hours } h a week
admin-sla-field-time-zone = Time zone
admin-sla-field-hours = Working hours
admin-sla-field-hours-hint = Per day, from-to times separated by commas, e.g. 09:00-12:00, 13:00-18:00; leave a day empty for no work.
admin-sla-field-holidays = Holidays
admin-sla-field-holidays-hint = One per line: MM-DD every year (12-25), YYYY-MM-DD once (2026-12-24).
admin-sla-day-mon = Monday
admin-sla-day-tue = Tuesday
admin-sla-day-wed = Wednesday
admin-sla-day-thu = Thursday
admin-sla-day-fri = Friday
admin-sla-day-sat = Saturday
admin-sla-day-sun = Sunday
admin-sla-interval-malformed = { $day }: { $text } is not a time range (write 09:00-17:00).

## Admin: SLAs and the queues' escalation.
admin-sla-slas = SLAs
admin-sla-slas-intro = How soon tickets of the SLA's services are answered, updated and solved, in working minutes of its calendar. Agents pick an SLA of a ticket's service.
admin-sla-slas-add = Add SLA
admin-sla-slas-none = No SLA yet.
admin-sla-slas-all = All SLAs
admin-sla-sla = SLA { $name }
admin-sla-no-calendar = An SLA needs a calendar: add one first.
admin-sla-col-first-response = First response (min)
admin-sla-col-update = Update (min)
admin-sla-col-solution = Solution (min)
admin-sla-field-calendar = Calendar
admin-sla-targets-hint = Targets in working minutes of the calendar; 0 or empty: that clock does not run.
admin-sla-field-first-response = First response time (minutes)
admin-sla-field-update = Update time (minutes)
admin-sla-field-solution = Solution time (minutes)
admin-sla-field-notify = Notify before (percent of the target)
admin-sla-field-pause = The clocks pause in these state types
admin-sla-field-services = Services
admin-sla-minutes-invalid = The { $clock } time must be a whole number of minutes, not { $value }.
admin-sla-percent-invalid = Notify before must be a whole percent, not { $value }.
admin-sla-queue-escalation = Escalation of tickets without an SLA
admin-sla-queue-escalation-hint = Tickets without an SLA follow these targets; 0 or empty: that clock does not run.
admin-sla-queue-around-the-clock = Around the clock (UTC)
