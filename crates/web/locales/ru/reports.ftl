# Мои отчёты: отчёты, которые готовятся в фоне, приходят на почту и хранятся для скачивания.
nav-my-reports = Мои отчёты
reports-title = Мои отчёты
reports-lead = Отчёты, которые вы запросили: детализации за длинный период и отчёты по платежам. Готовый файл приходит на вашу электронную почту и хранится здесь до указанной даты.
reports-empty-title = Отчётов пока нет
reports-empty-text = Детализация больше чем за неделю и отчёт по платежам по номеру готовятся здесь: запросите их на страницах номера.
reports-col-title = Отчёт
reports-col-asked = Запрошен
reports-col-state = Статус
reports-col-size = Размер
reports-col-expires = Хранится до
reports-col-file = Файл
reports-download = Скачать
report-state-queued = В очереди
report-state-running = Формируется
report-state-ready = Готов
report-state-failed = Ошибка
report-error-operator-unavailable = Система оператора не ответила. Запросите отчёт ещё раз позже.
report-error-number-not-found = Номер больше не принадлежит компании.
report-error-internal-error = Не удалось сформировать файл. Запросите отчёт ещё раз.
report-error-forbidden = У вас больше нет доступа к этой компании.
report-error-bad-request = Запрос отчёта не распознан. Запросите отчёт ещё раз.
report-title-usage = Детализация { $number }, { $from } → { $to }, { $format }
report-title-payments = Отчёт по платежам { $number }, { $from } → { $to }, { $format }
report-accepted = Ваш запрос на формирование отчёта принят.
report-accepted-link = Мои отчёты
report-email-subject = Отчёт готов: { $title }
report-email-attached = Ваш отчёт «{ $title }» во вложении.
report-email-too-large = Ваш отчёт «{ $title }» готов. Файл слишком большой для письма: скачайте его в разделе «Мои отчёты» в Кабинете.
report-email-kept = Отчёт также доступен в разделе «Мои отчёты» в Кабинете до { $until }.
usage-files-as-report = Файлы за период длиннее { $days ->
    [one] { $days } дня
   *[other] { $days } дней
} готовятся как отчёт: он придёт на электронную почту и появится в разделе «Мои отчёты».
payments-report-title = Отчёт по платежам
payments-report-link = Отчёт по платежам на e-mail
payments-report-lead = Подготовка данных может занять некоторое время. Сформированный отчёт по платежам будет отправлен на вашу электронную почту. Время, на которое данные в отчёте актуальны, указано в отчёте.
payments-report-limit = Максимальный период запроса — 3 месяца от текущей даты.
payments-report-too-old = Отчёт по платежам доступен только за последние три месяца: выберите начало периода не раньше { $date }.
size-bytes = { $n } Б
size-kb = { $n } КБ
size-mb = { $n } МБ
