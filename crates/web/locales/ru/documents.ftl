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
