## As telas do console para SLAs e escalonamento: os relógios na visão de filas e no zoom, a ação
## Cliente, o relatório de SLA, e as telas de administração de calendários, SLAs e das metas de
## escalonamento das filas.

## Tempo útil nos relógios.
console-sla-hours-minutes = { $hours } h { $minutes } min
console-sla-minutes = { $minutes } min
console-sla-left = faltam { $time }
console-sla-overdue = vencido há { $time }
console-sla-paused = pausado
console-sla-paused-with = pausado, { $time }

## Visão de filas.
console-sla-time-left = Tempo restante
console-sla-sorted-by-left = Ordenado por tempo útil restante.
console-sla-sort-by-left = Ordenar por tempo restante
console-sla-escalation = Escalonamento
console-sla-filter-escalated = Escalonados
console-sla-filter-at-risk = Em risco
console-sla-only-escalated = Só chamados escalonados: um relógio passou do vencimento.
console-sla-only-at-risk = Só chamados em risco: um relógio passou do ponto de aviso.
console-sla-show-all = Mostrar todos os chamados

## Zoom: os relógios.
console-sla-sla = SLA
console-sla-calendar = Calendário
console-sla-queue-targets = as metas da fila
console-sla-around-the-clock = 24 horas (UTC)
console-sla-escalated = escalonado
console-sla-at-risk = em risco
console-sla-first-response-time = Tempo de Primeira Resposta
console-sla-update-time = Tempo de Atualização
console-sla-solution-time = Tempo de Solução
console-sla-due = vence { $when }
console-sla-met = cumprido: { $time }, { $when }
console-sla-missed = não cumprido: { $time }, { $when }
console-sla-not-running = parado

## Zoom: a ação Cliente.
console-sla-customer-action = Cliente, serviço e SLA
console-sla-service-pick = Serviço (escolha um para ver seus SLAs)
console-sla-show-slas = Mostrar seus SLAs
console-sla-no-service = Nenhum serviço
console-sla-service-chosen = Serviço: { $service }
console-sla-no-sla = Nenhum SLA
console-sla-change-customer = Alterar cliente, serviço e SLA
console-sla-done-customer = O cliente, o serviço e o SLA foram salvos.

## O relatório de SLA.
console-sla-reports = Relatórios
console-sla-report = Relatório de SLA
console-sla-report-intro = Chamados abertos no período nas filas que você pode ler, por fila e SLA: quantas vezes os tempos de primeira resposta e de solução foram cumpridos, e o tempo útil que levaram (mediana e percentil 90). Um relógio ainda correndo depois do vencimento conta como não cumprido.
console-sla-report-from = De
console-sla-report-to = Até (incluído)
console-sla-report-all-queues = Todas as filas
console-sla-report-all-slas = Todos os SLAs
console-sla-report-show = Mostrar
console-sla-report-none = Nenhum chamado aberto no período tem um relógio terminado ou vencido.
console-sla-report-tickets = Chamados
console-sla-report-met = Cumprido
console-sla-report-median = Mediana
console-sla-report-p90 = Percentil 90
console-sla-report-percent = { $whole },{ $tenths } %
console-sla-report-date-invalid = { $date } não é uma data (AAAA-MM-DD).
console-sla-report-period-invalid = O período deve terminar depois de começar.

## Administração: calendários.
admin-sla-calendars = Calendários
admin-sla-calendars-intro = Horário de trabalho e feriados em um fuso horário: os relógios de escalonamento contam só o tempo útil.
admin-sla-calendars-add = Adicionar calendário
admin-sla-calendars-none = Nenhum calendário ainda.
admin-sla-calendars-all = Todos os calendários
admin-sla-calendar = Calendário { $name }
admin-sla-col-hours = Horário de trabalho
admin-sla-col-holidays = Feriados
admin-sla-hours-a-week = { $hours } h por semana
admin-sla-field-time-zone = Fuso horário
admin-sla-field-hours = Horário de trabalho
admin-sla-field-hours-hint = Por dia, horários de-até separados por vírgulas, p. ex. 09:00-12:00, 13:00-18:00; deixe o dia vazio se não houver trabalho.
admin-sla-field-holidays = Feriados
admin-sla-field-holidays-hint = Um por linha: MM-DD todo ano (12-25), AAAA-MM-DD uma vez (2026-12-24).
admin-sla-day-mon = Segunda-feira
admin-sla-day-tue = Terça-feira
admin-sla-day-wed = Quarta-feira
admin-sla-day-thu = Quinta-feira
admin-sla-day-fri = Sexta-feira
admin-sla-day-sat = Sábado
admin-sla-day-sun = Domingo
admin-sla-interval-malformed = { $day }: { $text } não é um intervalo de horas (escreva 09:00-17:00).

## Administração: SLAs e o escalonamento das filas.
admin-sla-slas = SLAs
admin-sla-slas-intro = Em quanto tempo os chamados dos serviços do SLA são respondidos, atualizados e solucionados, em minutos úteis do seu calendário. Os atendentes escolhem um SLA do serviço do chamado.
admin-sla-slas-add = Adicionar SLA
admin-sla-slas-none = Nenhum SLA ainda.
admin-sla-slas-all = Todos os SLAs
admin-sla-sla = SLA { $name }
admin-sla-no-calendar = Um SLA precisa de um calendário: adicione um antes.
admin-sla-col-first-response = Primeira resposta (min)
admin-sla-col-update = Atualização (min)
admin-sla-col-solution = Solução (min)
admin-sla-field-calendar = Calendário
admin-sla-targets-hint = Metas em minutos úteis do calendário; 0 ou vazio: esse relógio não corre.
admin-sla-field-first-response = Tempo de Primeira Resposta (minutos)
admin-sla-field-update = Tempo de Atualização (minutos)
admin-sla-field-solution = Tempo de Solução (minutos)
admin-sla-field-notify = Avisar antes (por cento da meta)
admin-sla-field-pause = Os relógios pausam nestes tipos de estado
admin-sla-field-services = Serviços
admin-sla-minutes-invalid = O tempo de { $clock } deve ser um número inteiro de minutos, não { $value }.
admin-sla-percent-invalid = Avisar antes deve ser um número inteiro por cento, não { $value }.
admin-sla-queue-escalation = Escalonamento dos chamados sem SLA
admin-sla-queue-escalation-hint = Os chamados sem SLA seguem estas metas; 0 ou vazio: esse relógio não corre.
admin-sla-queue-around-the-clock = 24 horas (UTC)
