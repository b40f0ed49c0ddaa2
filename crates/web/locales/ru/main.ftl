# «Кабинет» — сообщения на русском. Каждый ключ есть и в en/, и в kk/ (это проверяет тест).

app-name = Бизнес Кабинет
nav-main = Главное меню
nav-language = Язык
service-mobile = Мобильная связь
nav-numbers = Управление номерами
company-select = Компания
company-switch = Перейти
bin = БИН
signout = Выйти

## Вход
signin-title = Вход в Бизнес Кабинет
signin-lead = Управляйте номерами в один клик!
signin-phone = Номер телефона
signin-phone-hint = Номер Администратора, например +7 701 211 21 01
signin-password = Ваш пароль
signin-submit = Войти
signin-otp-note = В целях безопасности при каждом входе требуется одноразовый код. Абоненты нашей сети получают его по SMS, номера других операторов — на e-mail, привязанный к учетной записи.
signin-law-note = Номер Администратора должен быть зарегистрирован у казахстанского оператора.
signin-wrong = Неверный номер телефона или пароль.
signin-no-email = К учетной записи не привязан e-mail, поэтому код отправить нельзя. Обратитесь к своему персональному менеджеру.
otp-title = Подтвердите номер
otp-lead = Шестизначный код отправлен на { $destination }. Введите его ниже, чтобы войти в Кабинет.
otp-code = Одноразовый код
otp-submit = Продолжить
otp-resend = Отправить код повторно
otp-resend-in = Отправить код повторно (через ## сек)
otp-resend-wait-short = Отправить код повторно (через { $seconds } сек)
otp-resend-wait = Новый код можно отправить через { $seconds } сек.
otp-resent = Новый код отправлен.
otp-back = Назад ко входу
otp-format = Код состоит из шести цифр.
otp-wrong = { $left ->
    [one] Неверный код. Осталась { $left } попытка.
    [few] Неверный код. Осталось { $left } попытки.
   *[other] Неверный код. Осталось { $left } попыток.
}
otp-dead = Срок действия кода истек или он слишком много раз введен неверно. Отправьте новый код.
otp-message = Код для входа в Бизнес Кабинет: { $code }. Действует 5 минут. Никому его не сообщайте.
otp-subject = Код для входа

## Ошибки
error-title = Что-то пошло не так
error-back = Вернуться к управлению номерами
error-not-found = Страница не найдена. Проверьте адрес или вернитесь к управлению номерами.
error-forbidden = У вас нет права на это действие в этой компании.
error-no-company = К вашей учетной записи пока не привязана ни одна компания. Каждая компания должна подать оператору заявку на предоставление вам доступа.
error-csrf = Срок действия формы истек. Вернитесь, обновите страницу и попробуйте снова.
error-bad-request = Не удалось прочитать запрос.
error-operator = Система оператора сейчас не отвечает. Подождите 2–3 минуты, обновите страницу и попробуйте снова.
error-internal = Произошла внутренняя ошибка. Попробуйте позже.

## Управление номерами
numbers-total = { $count ->
    [one] { $count } номер
    [few] { $count } номера
   *[other] { $count } номеров
}
numbers-found = { $count ->
    [one] Найден { $count } номер
    [few] Найдено { $count } номера
   *[other] Найдено { $count } номеров
}
numbers-found-at-least = Найдено больше { $count } номеров — уточните запрос
numbers-search-label = Поиск по номеру или лицевому счету
numbers-search-placeholder = Номер или лицевой счет
numbers-search-invalid = Ищите только по цифрам номера или лицевого счета.
numbers-empty = Номера не найдены.
search = Поиск
col-number = Номер
col-account = Лицевой счет
col-tariff = Тарифный план
col-billing = Метод расчета
col-state = Статус
col-available = Доступные средства (индивидуальный лимит)
col-remaining = Остаток кредитного лимита / остаток баланса
col-actions = Действия
menu-profile = Информация по номеру
pager-label = Страницы
pager-prev = Назад
pager-next = Далее
billing-credit = Кредитный
billing-advance = Авансовый
state-active = Активный
state-blocked = Заблокирован
state-blocked-debt = Заблокирован / Долг
state-processing = В обработке

## Профиль номера
crumbs-label = Вы здесь
profile-title = Информация по номеру
profile-state-since = Дата последнего изменения статуса
profile-refresh = Обновить
money-title = Баланс и лимиты
money-tariff = Тариф
money-individual-limit = Индивидуальный лимит
money-available = Доступные средства (индивидуальный лимит)
money-credit-limit = Кредитный лимит лицевого счета
money-remaining-credit = Остаток кредитного лимита
money-prepaid-balance = Остаток баланса
money-past-debt = Задолженность за прошедшие периоды
money-roaming-debt = Непогашенная сумма за роуминг
general-title = Общая информация
general-billing = Метод расчета
general-registration-form = Регистрационная форма
general-account = Лицевой счет
general-account-type = Тип лицевого счета
general-esim = eSIM
general-ban-ussd = Запрет на SMS / USSD управление
general-ban-details = Запрет на просмотр детализации в самообслуживании
general-ban-selfcare = Запрет на доступ в самообслуживание
general-subscription-block = Блокировка подписок
general-hidden-id = Скрытый номер
account-separate = Отдельный
account-common = Общий
flag-on = Включен
flag-off = Отключен
flag-yes = Да
flag-no = Нет
sim-title = SIM-карта и устройство
sim-replaced = Дата замены
sim-imei-note = Указан последний зафиксированный IMEI устройства, использовавшегося с этим номером.
phone-title = Контрактный телефон
phone-none = На этом номере нет контрактного телефона.
phone-status = Статус
phone-activated-on = Дата активации
phone-terminates-on = Дата окончания
phone-term = Срок контракта
phone-monthly = Ежемесячный платеж
phone-price = Стоимость по контракту
phone-promotion = Название акции
phone-device = Наименование устройства
phone-device-type = Тип устройства
phone-activated = Активирован
phone-terminated = Завершен
phone-term-months = { $months } мес.
allowance-tariff-title = Остатки по тарифному плану
allowance-extra-title = Дополнительно
allowance-none = Остатков нет.
allowance-available = Доступно
allowance-connected = Дата подключения
allowance-until = Доступно до
allowance-unlimited = Безлимит
allowance-of = { $available } из { $total }
unit-sms = { $n } SMS
unit-mb = { $n } МБ
unit-min = { $n } мин
services-title = Услуги
services-note = Подключенные услуги включены. Услуги, которые нельзя подключить на этот номер, показаны серым.
services-terms = Условия услуги
service-active = Подключена
service-available = Доступна
service-unavailable = Недоступна
group-calls-sms = Звонки и SMS
group-data = Интернет
group-roaming = Роуминг
group-additional = Дополнительные услуги
group-promotions = Акции

## Исходящие сообщения (режим разработчика)
outbox-title = Исходящие (SMS и e-mail)
outbox-note = Режим разработчика: все SMS и письма с состоянием доставки. Если SMS-шлюз или SMTP-сервер не настроен, сообщения остаются здесь и не отправляются.
outbox-time = Время
outbox-channel = Канал
outbox-to = Кому
outbox-text = Текст
outbox-empty = Исходящих нет.
outbox-state = Доставка
outbox-state-pending = Ожидает отправки
outbox-state-sent = Отправлено
outbox-state-failed = Не доставлено
outbox-state-kept = Оставлено здесь (канал не настроен)
outbox-attempts = { $n ->
    [one] { $n } попытка
    [few] { $n } попытки
   *[other] { $n } попыток
}
outbox-redacted = Скрыто после доставки (содержало код)

## Операции с номером
op-block = Блокировка
op-unblock = Разблокировка
op-cancel = Отмена
op-block-title = Блокировка номера
op-block-question = Вы уверены, что хотите заблокировать этот номер?
op-unblock-title = Разблокировка номера
op-unblock-question = Вы уверены, что хотите разблокировать этот номер?
op-processing = Ваш запрос принят и обрабатывается. Страница обновится сама.
op-success = Статус успешно изменен.
op-failure = Запрос не выполнен: { $reason }
op-debt-note = Номер заблокирован за неоплаченные начисления по лицевому счету, поэтому разблокировать его здесь нельзя. После оплаты задолженности оператор разблокирует номер.
reason-in-progress = другое изменение этого номера еще обрабатывается
reason-already-blocked = номер уже заблокирован
reason-not-blocked = номер не заблокирован
reason-blocked-for-debt = номер, заблокированный за задолженность, администратор разблокировать не может
reason-network-failure = сеть не смогла выполнить запрос; подождите 2–3 минуты и попробуйте снова
reason-unknown-number = номер не принадлежит этой компании
reason-operator-unavailable = система оператора не ответила
reason-bad-request = не удалось прочитать запрос

## Документы и отчеты: история действий
nav-reports = Документы и отчеты
history-title = История действий
history-lead = Просмотр истории действий администраторов вашей компании в Кабинете.
period-label = Выберите начало и конец периода
period-to = Конец периода
request = Запросить
period-reversed = Начало периода позже его конца.
period-too-long = Период может охватывать не более 3 лет.
history-count = { $count ->
    [one] { $count } действие
    [few] { $count } действия
   *[other] { $count } действий
}
history-action = Действие
history-status = Статус
history-when = Дата и время
history-admin = Администратор
status-success = Успешно
status-failure = Ошибка
status-processing = В обработке
action-block = Блокировка номера { $number }
action-unblock = Разблокировка номера { $number }

op-confirm-yes = Да, я уверен
op-continue = Продолжить
op-service-on-title = Подключение услуги
op-service-on-question = Вы уверены, что хотите подключить пакет «{ $name }»?
op-service-off-title = Отключение услуги
op-service-off-question = Вы уверены, что хотите отключить пакет «{ $name }»?
op-ban-on-title = Установка запрета
op-ban-on-question = Вы уверены, что хотите установить «{ $name }»?
op-ban-off-title = Снятие запрета
op-ban-off-question = Вы уверены, что хотите снять «{ $name }»?
reason-not-active = это возможно только для номеров в статусе «Активный»
reason-service-unavailable = эту услугу нельзя подключить на этот номер
reason-already-on = услуга уже подключена
reason-already-off = услуга не подключена
reason-family-conflict = уже подключен пакет того же вида; сначала отключите его
reason-unknown-service = такой услуги нет
reason-ban-already-set = запрет уже установлен
reason-ban-not-set = запрет не установлен
action-service-on = Подключение услуги «{ $name }» на номере { $number }
action-service-off = Отключение услуги «{ $name }» на номере { $number }
action-ban-on = Установка «{ $name }» на номере { $number }
action-ban-off = Снятие «{ $name }» на номере { $number }
op-sim-title = Замена SIM-карты
op-sim-lead = Введите номер новой SIM-карты: он напечатан на ее обороте.
op-sim-iccid = Номер SIM-карты (ICCID)
op-sim-hint = 19–20 цифр, начиная с 89. Замена возможна только для номеров в статусе «Активный».
op-sim-question = Вы уверены, что хотите перенести номер на SIM-карту { $iccid }?
reason-same-sim = номер уже использует эту SIM-карту
reason-iccid-in-use = эта SIM-карта используется на другом номере
action-sim-replacement = Замена SIM-карты на номере { $number }
secret-code = Секретный код
secret-none = Не задан
secret-sent-at = Отправлен { $when }
secret-send = Отправить секретный код
secret-delete = Удалить секретный код
secret-send-title = Отправка секретного кода
secret-send-question = Отправить новый секретный код на этот номер по SMS? Пользователь номера сможет просматривать информацию по номеру и детализацию, но не сможет менять услуги. Прежний код перестанет действовать.
secret-delete-title = Удаление секретного кода
secret-delete-question = Вы уверены, что хотите удалить секретный код? Пользователь номера больше не сможет входить с ним.
reason-no-secret-code = у номера нет секретного кода
action-secret-code-sent = Отправка секретного кода на номер { $number }
action-secret-code-deleted = Удаление секретного кода номера { $number }
fwd-title = Переадресация
fwd-number = Номер: { $number }
fwd-active = Действующие правила
fwd-none = Переадресация не настроена.
fwd-remove = Удалить
fwd-add-title = Добавить правило
fwd-kind = Тип переадресации
fwd-direction = Направление
fwd-to-number = На номер
fwd-to-a-service = На услугу
fwd-to-service = Услуга «{ $name }»
fwd-add = Добавить
op-back = Назад
fwd-kind-unconditional = Безусловная
fwd-kind-busy = Если занято
fwd-kind-no-answer = Если нет ответа
fwd-kind-unreachable = Если недоступен
fwd-remove-question = Вы уверены, что хотите удалить переадресацию «{ $kind }»?
fwd-error-kind = Выберите тип переадресации.
fwd-error-direction = Выберите направление: на номер или на услугу.
fwd-error-service = Выберите услугу.
reason-forwarding-exists = правило этого типа уже задано; сначала удалите его
reason-forwarding-conflict = безусловная переадресация и переадресация при занятости, без ответа или недоступности исключают друг друга; сначала удалите другие правила
reason-forward-to-self = нельзя переадресовать звонки на этот же номер
reason-no-forwarding = правило этого типа не задано
action-forwarding-on = Переадресация «{ $name }» на номере { $number }
action-forwarding-off = Удаление переадресации «{ $name }» на номере { $number }
download-xlsx = Скачать XLS
report-as-of = Данные на { $when }
esim-title = Замена на eSIM
esim-careful = Внимание! Прежде чем начать, убедитесь, что ваша модель смартфона поддерживает eSIM. Это можно узнать на сайте производителя или в настройках смартфона. Сначала выберите операционную систему смартфона:
esim-ios-path = Выполните шаги: Настройки – Сотовая связь – Добавить сотовый тариф / Добавить eSIM – По QR-коду.
esim-android-path = Выполните шаги: Настройки – Подключения – Диспетчер SIM-карт – Добавить eSIM – Сканировать QR-код.
esim-step-wifi = Убедитесь, что Wi-Fi включен.
esim-step-settings-ios = В настройках выберите Настройки – Сотовая связь – Добавить тариф.
esim-step-settings-android = В настройках выберите Подключения – Диспетчер SIM-карт – Добавить eSIM.
esim-step-issue = Когда будете готовы, нажмите «Выпустить eSIM», чтобы получить QR-код.
esim-step-scan = Отсканируйте QR-код телефоном и нажмите «Добавить».
esim-step-activating = Когда на экране телефона появится «Активация…», отметьте «Я уверен, что eSIM настроена» и нажмите «Перейти на eSIM».
esim-terms = QR-код действует 1 день. После этого снова выберите «Выпустить eSIM». Стоимость услуги — 0 ₸. Услуга недоступна в роуминге и при заблокированном номере: чтобы получить eSIM, сначала разблокируйте номер.
esim-issue = Выпустить eSIM
esim-qr-alt = QR-код для установки eSIM
esim-valid-until = Действует до { $when }
esim-sure = Я уверен, что eSIM настроена
esim-imei-note = Если после установки eSIM пропала связь, перезагрузите телефон. Если связь не появилась, зарегистрируйте IMEI телефона на БИН компании; IMEI есть в настройках телефона.
esim-change = Перейти на eSIM
esim-tick-first = Сначала отметьте «Я уверен, что eSIM настроена».
esim-confirm-question = Вы уверены, что настройки на телефоне выполнены?
op-success-esim-replacement = Готово! Вы успешно заменили SIM-карту на eSIM.
reason-in-roaming = услуга недоступна в роуминге
reason-esim-not-issued = eSIM для номера не выпущена или срок ее действия истек: снова выберите «Выпустить eSIM»
action-esim-issue = Выпуск eSIM для номера { $number }
action-esim-replacement = Замена на eSIM на номере { $number }
imei-title = Регистрация устройства (IMEI)
imei-last = Последний зафиксированный IMEI
imei-status = Статус регистрации
imei-registered = Устройство зарегистрировано
imei-not-registered = Устройство не зарегистрировано с этим номером.
imei-results-note = Результаты запросов отображаются в «Истории запросов» (оператор также отправляет их по SMS).
imei-registration = Регистрация устройств
imei-register = Зарегистрировать
imei-duplicate = Зарегистрировать дубликат
imei-prev-number = Номер прежнего владельца
imei-prev-owner = ИИН/БИН прежнего владельца
imei-reregister = Перерегистрировать
imei-registered-list = Устройства, зарегистрированные с этим номером
imei-remove = Удалить
imei-history = История запросов
imei-history-empty = Запросов пока нет.
imei-condition = Состояние
imei-state-registered = Устройство зарегистрировано
imei-state-duplicate = Дубликат успешно зарегистрирован
imei-state-removed = Регистрация снята
imei-state-failed = Ошибка: { $reason }
imei-accept-terms = Сначала примите условия перерегистрации и регистрации дубликата.
reason-imei-already-registered = устройство уже зарегистрировано с этим номером
reason-imei-not-registered = устройство не зарегистрировано с этим номером
reason-imei-registered-elsewhere = IMEI зарегистрирован с другим номером; зарегистрируйте дубликат или перерегистрируйте его
reason-imei-other-operator = IMEI привязан к номеру другого оператора; зарегистрируйте дубликат или перерегистрируйте его
reason-previous-owner-mismatch = номер или ИИН/БИН прежнего владельца не совпадают с регистрацией
action-imei-register = Регистрация устройства { $number } (IMEI { $name })
action-imei-duplicate = Регистрация дубликата устройства { $number } (IMEI { $name })
action-imei-reregister = Перерегистрация устройства { $number } (IMEI { $name })
action-imei-remove = Снятие регистрации устройства { $number } (IMEI { $name })
imei-sms-done = Ваш запрос по устройству с IMEI { $imei } выполнен. Подробности — в истории запросов.
imei-sms-failed = Ваш запрос по устройству с IMEI { $imei } не выполнен. Причина — в истории запросов.

## Ограничения входа (задача 8: безопасность входа)
signin-locked = Слишком много попыток входа. Попробуйте снова после { $until }.
otp-locked = Для этой учетной записи слишком много раз введен неверный код. В целях безопасности вход по коду приостановлен до { $until }.
