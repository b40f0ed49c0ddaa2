# Құжаттар мен есептер: бухгалтерлік құжаттардың қойындылары (000 және 004 нұсқаулықтары).

## Шот-фактура нөмірі бойынша ұялы нөмірді іздеу
invoice-search-title = Шот-фактура нөмірі бойынша ұялы нөмірді іздеу
invoice-search-lead = ЭШФ АЖ-да алынған электрондық шот-фактураның тіркеу нөмірі немесе есепке алу жүйесінің нөмірі бойынша ұялы (GSM) нөмір(лер)ді анықтауға мүмкіндік береді.
invoice-search-by = Деректерді енгізіңіз
invoice-search-by-registration = Тіркеу нөмірі
invoice-search-by-system = Есепке алу жүйесінің нөмірі
invoice-search-number = Нөмір
invoice-search-number-hint = Тіркеу нөмірі ESF-123456789012-20261130-4001234567 түрінде болады; есепке алу жүйесінің нөмірі тек цифрлардан тұрады.
invoice-search-year = Жыл
invoice-search-output = Шығару
invoice-search-as-xlsx = XLSX файлы
invoice-search-error-empty = Шот-фактураның нөмірін енгізіңіз.
invoice-search-error-registration = Тіркеу нөмірі: ESF-, БСН-ның 12 цифры, күннің 8 цифры және дербес шоттың 10 цифры, сызықша арқылы.
invoice-search-error-system = Есепке алу жүйесінің нөмірі 6-дан 20-ға дейін цифрдан тұрады.
invoice-search-error-year = Тізімнен жылды таңдаңыз.
invoice-search-none = Шот-фактура табылмады
invoice-search-none-text = Таңдалған жылы компанияда осы нөмірмен шот-фактура жоқ. Нөмірді, нөмір түрін және жылды тексеріңіз.
invoice-search-count = Шот-фактурада { $count } нөмір
invoice-search-phone = Телефон нөмірі
invoice-search-invoice = Шот-фактура нөмірі
invoice-search-sheet = Нөмірлер
invoice-search-file-title = { $invoice } шот-фактурасы бойынша ұялы нөмірлер
action-invoice-numbers = { $subject } шот-фактура нөмірі бойынша ұялы нөмірлер тізімін алу
reason-invoice-not-found = компанияда мұндай шот-фактура жоқ
