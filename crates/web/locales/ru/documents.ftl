# Документы и отчёты: вкладки бухгалтерских документов (руководства 000 и 004).

## Поиск мобильного номера по номеру счета-фактуры
invoice-search-title = Поиск мобильного номера по номеру счета-фактуры
invoice-search-lead = Позволяет определить мобильный (GSM) номер(а) по регистрационному номеру или номеру учётной системы из электронного счета-фактуры, полученного в ИС ЭСФ.
invoice-search-by = Введите данные
invoice-search-by-registration = Регистрационный номер
invoice-search-by-system = Номер учётной системы
invoice-search-number = Номер
invoice-search-number-hint = Регистрационный номер имеет вид ESF-123456789012-20261130-4001234567; номер учётной системы — только цифры.
invoice-search-year = Год
invoice-search-output = Вывод
invoice-search-as-xlsx = Файл формата XLSX
invoice-search-error-empty = Введите номер счета-фактуры.
invoice-search-error-registration = Регистрационный номер: ESF-, 12 цифр БИН, 8 цифр даты и 10 цифр лицевого счёта через дефис.
invoice-search-error-system = Номер учётной системы — от 6 до 20 цифр.
invoice-search-error-year = Выберите год из списка.
invoice-search-none = Счёт-фактура не найден
invoice-search-none-text = У компании нет счета-фактуры с этим номером за выбранный год. Проверьте номер, тип номера и год.
invoice-search-count = { $count ->
    [one] { $count } номер в счёте-фактуре
    [few] { $count } номера в счёте-фактуре
   *[other] { $count } номеров в счёте-фактуре
}
invoice-search-phone = Номер телефона
invoice-search-invoice = Номер счета-фактуры
invoice-search-sheet = Номера
invoice-search-file-title = Мобильные номера по счёту-фактуре { $invoice }
action-invoice-numbers = Получение списка мобильных номеров по номеру счета-фактуры { $subject }
reason-invoice-not-found = у компании нет такого счета-фактуры

## Акт выполненных работ и расшифровка к счету-фактуре
acts-title = Акт выполненных работ и расшифровка к счету-фактуре
acts-lead = Позволяет скачать акты выполненных работ по услугам сотовой связи с расшифровкой по номерам. Поиск по лицевому счёту или номеру телефона, году и месяцу либо по номеру счета-фактуры. Документы за месяц публикуются после 5-го числа следующего месяца.
acts-q = Лицевой счёт или номер телефона
acts-q-hint = Оставьте пустым, чтобы увидеть все лицевые счета компании.
acts-year = Год
acts-month = Месяц
acts-all = Все
acts-invoice = Номер счета-фактуры
acts-find = Найти
acts-error-subject = Введите лицевой счёт (8 или 10 цифр) или номер телефона (+7 и десять цифр).
acts-error-year = Выберите год из списка.
acts-error-month = Выберите месяц из списка вместе с годом.
acts-error-invoice = Введите регистрационный номер счета-фактуры (ESF-…) или номер учётной системы (цифры).
acts-none = Документы не найдены
acts-none-text = По этому запросу нет опубликованных документов. Документы за прошлый месяц появляются после 5-го числа.
acts-more = Показаны только 100 последних документов: уточните поиск по лицевому счёту, году или месяцу.
acts-col-account = Лицевой счёт
acts-col-number = Номер документа
acts-col-date = Дата
acts-col-status = Статус
acts-col-type = Тип АВР
acts-col-action = Действие
acts-viewed = Просмотрен
acts-new = Новый
acts-original = Оригинальный
acts-download-pdf = Скачать PDF
acts-download-xlsx = Загрузить в Excel
action-acts-search = Запрос доступных актов выполненных работ для компании { $subject } (БИН)
action-act-download = Скачивание акта выполненных работ { $subject }

## Текст документов
month-1 = январь
month-2 = февраль
month-3 = март
month-4 = апрель
month-5 = май
month-6 = июнь
month-7 = июль
month-8 = август
month-9 = сентябрь
month-10 = октябрь
month-11 = ноябрь
month-12 = декабрь
doc-act-title = Акт выполненных работ № { $number } от { $date }
doc-act-heading = АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)
doc-act-lead = { $operator } оказал следующие услуги сотовой связи за { $period } г.
doc-act-services = Оказанные услуги
doc-act-statement = Вышеперечисленные услуги оказаны полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.
doc-act-sheet = Акт
doc-breakdown-heading = Расшифровка к счёту-фактуре по номерам
doc-breakdown-title = Расшифровка к счёту-фактуре № { $number } за { $period } г.
doc-breakdown-sheet = Расшифровка
doc-operator = Исполнитель
doc-customer = Заказчик
doc-bin = БИН
doc-address = Адрес
doc-bank = Банк
doc-iban = ИИК
doc-bik = БИК
doc-account = Лицевой счёт
doc-invoice-registration = Электронный счёт-фактура
doc-side-operator = От исполнителя
doc-side-customer = От заказчика
doc-signatory = Директор
doc-seal = М.П.
doc-col-number = Номер
doc-col-service = Услуга
doc-col-unit = Ед. изм.
doc-col-quantity = Кол-во
doc-col-net = Сумма без НДС
doc-col-vat = НДС
doc-col-total = Сумма с НДС
doc-total-net = Итого без НДС
doc-total-vat = НДС { $rate }
doc-total = Итого с НДС
doc-group-subscription = Абонентская плата
doc-group-usage = Звонки, SMS и мобильный интернет
doc-group-roaming = Роуминг
doc-group-services = Дополнительные услуги
doc-group-packages = Пакеты
doc-unit-month = мес.
doc-unit-connection = подкл.
doc-unit-sms = SMS
doc-unit-mb = МБ
doc-unit-fee = сут.
doc-unit-minute = мин

## Расшифровка к счету-фактуре
breakdown-title = Расшифровка к счету-фактуре
breakdown-lead = Позволяет скачать расшифровку к счёту-фактуре за услуги сотовой связи: начисления по каждому номеру лицевого счёта за месяц.
breakdown-account = Лицевой счёт
breakdown-month = Год и месяц
breakdown-format = Формат файла
breakdown-error-account = Введите номер лицевого счёта: 8 или 10 цифр.
breakdown-error-month = Выберите месяц с { $from } по { $to }.
breakdown-none = Счёт-фактура не найден
breakdown-none-text = У лицевого счёта нет счета-фактуры за этот месяц. Проверьте номер лицевого счёта и месяц.
action-invoice-breakdown = Расшифровка к счёту-фактуре по лицевому счёту и месяцу { $subject }
