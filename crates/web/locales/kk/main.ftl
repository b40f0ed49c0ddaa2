# «Кабинет» — қазақ тіліндегі хабарлар. Әр кілт en/ және ru/ каталогтарында да бар (мұны тест тексереді).

app-name = Бизнес Кабинет
nav-main = Басты мәзір
nav-language = Тіл
service-mobile = Мобильді байланыс
nav-numbers = Нөмірлерді басқару
company-select = Компания
company-switch = Ауысу
bin = БСН
signout = Шығу

## Кіру
signin-title = Бизнес Кабинетке кіру
signin-lead = Компанияңыздың нөмірлерін бір рет басу арқылы басқарыңыз.
signin-phone = Телефон нөмірі
signin-phone-hint = Әкімшінің нөмірі, мысалы +7 701 211 21 01
signin-password = Құпиясөзіңіз
signin-submit = Кіру
signin-otp-note = Қауіпсіздік мақсатында әр кіру кезінде бір реттік код қажет. Біздің желі абоненттері оны SMS арқылы алады, басқа операторлардың нөмірлері — есептік жазбаға байланыстырылған электрондық пошта мекенжайына.
signin-law-note = Әкімшінің нөмірі қазақстандық операторда тіркелген болуы тиіс.
signin-wrong = Телефон нөмірі немесе құпиясөз қате.
signin-too-many = Кіру әрекеттері тым көп. 15 минуттан кейін қайталап көріңіз.
signin-no-email = Бұл есептік жазбаға электрондық пошта байланыстырылмаған, сондықтан кодты жіберу мүмкін емес. Жеке менеджеріңізге хабарласыңыз.
otp-title = Нөмірді растаңыз
otp-lead = Алты таңбалы код жіберілді: { $destination }. Кабинетке кіру үшін оны төменде енгізіңіз.
otp-code = Бір реттік код
otp-submit = Жалғастыру
otp-resend = Кодты қайта жіберу
otp-resend-in = Кодты қайта жіберу (## секундтан кейін)
otp-resend-wait-short = Кодты қайта жіберу ({ $seconds } секундтан кейін)
otp-resend-wait = Жаңа кодты { $seconds } секундтан кейін жіберуге болады.
otp-resent = Жаңа код жіберілді.
otp-back = Кіру бетіне оралу
otp-format = Код алты цифрдан тұрады.
otp-wrong = { $left ->
    [one] Код қате. { $left } әрекет қалды.
   *[other] Код қате. { $left } әрекет қалды.
}
otp-dead = Бұл кодтың мерзімі өтті немесе ол тым көп рет қате енгізілді. Жаңа код жіберіңіз.
otp-message = Бизнес Кабинетке кіру коды: { $code }. Код 5 минут бойы жарамды. Оны ешкімге айтпаңыз.
otp-subject = Кіру коды

## Қателер
error-title = Бірдеңе дұрыс болмады
error-back = Нөмірлерді басқаруға оралу
error-not-found = Мұнда ештеңе табылмады. Нөмір басқа компанияға тиесілі болуы мүмкін.
error-forbidden = Бұл компанияда мұндай әрекетті орындауға құқығыңыз жоқ.
error-no-company = Есептік жазбаңызға әзірге бірде-бір компания байланыстырылмаған. Әр компания сізге қолжетімділік беру туралы операторға өтінім беруі тиіс.
error-csrf = Форманың жарамдылық мерзімі өтті. Артқа оралып, бетті жаңартыңыз да, қайталап көріңіз.
error-bad-request = Сұрауды оқу мүмкін болмады.
error-operator = Оператор жүйесі қазір жауап бермей тұр. 2–3 минут күтіп, бетті жаңартыңыз да, қайталап көріңіз.
error-internal = Ішкі қате орын алды. Кейінірек қайталап көріңіз.
error-msisdn = Қазақстандық мобильді нөмірді енгізіңіз: 7-ден басталатын 11 цифр, мысалы +7 701 211 21 01.
error-bin = БСН/ЖСН дұрыс бақылау цифры бар 12 цифрдан тұрады.
error-iccid = SIM-карта нөмірі (ICCID) — картаның артқы жағында басылғандай, 89-дан басталатын 19–20 цифр.
error-imei = IMEI 14 цифрдан немесе дұрыс бақылау цифры бар 15 цифрдан тұрады.

## Нөмірлерді басқару
numbers-total = { $count ->
    [one] { $count } нөмір
   *[other] { $count } нөмір
}
numbers-found = { $count ->
    [one] { $count } нөмір табылды
   *[other] { $count } нөмір табылды
}
numbers-found-at-least = { $count } нөмірден астам табылды — іздеуді нақтылаңыз
numbers-search-label = Нөмір немесе жеке шот бойынша іздеу
numbers-search-placeholder = Нөмір немесе жеке шот
numbers-search-invalid = Тек нөмірдің немесе жеке шоттың цифрлары бойынша іздеңіз.
numbers-empty = Нөмірлер табылмады.
search = Іздеу
col-number = Нөмір
col-account = Жеке шот
col-tariff = Тарифтік жоспар
col-billing = Есеп айырысу әдісі
col-state = Мәртебе
col-available = Қолжетімді қаражат (жеке лимит)
col-remaining = Кредиттік лимит қалдығы / баланс қалдығы
col-actions = Әрекеттер
menu-profile = Нөмір туралы ақпарат
pager-label = Беттер
pager-prev = Алдыңғы
pager-next = Келесі
billing-credit = Кредиттік
billing-advance = Аванстық
state-active = Белсенді
state-blocked = Бұғатталған
state-blocked-debt = Бұғатталған / Берешек
state-processing = Өңделуде

## Нөмір профилі
crumbs-label = Сіз осындасыз
profile-title = Нөмір туралы ақпарат
profile-state-since = Мәртебенің соңғы өзгерген күні
profile-refresh = Жаңарту
money-title = Баланс және лимиттер
money-tariff = Тариф
money-individual-limit = Жеке лимит
money-available = Қолжетімді қаражат (жеке лимит)
money-credit-limit = Жеке шоттың кредиттік лимиті
money-remaining-credit = Кредиттік лимит қалдығы
money-prepaid-balance = Баланс қалдығы
money-past-debt = Өткен кезеңдер бойынша берешек
money-roaming-debt = Роуминг бойынша өтелмеген сома
general-title = Жалпы ақпарат
general-billing = Есеп айырысу әдісі
general-registration-form = Тіркеу нысаны
general-account = Жеке шот
general-account-type = Жеке шот түрі
general-esim = eSIM
general-ban-ussd = SMS / USSD арқылы басқаруға тыйым
general-ban-details = Өзіне-өзі қызмет көрсету жүйесінде детализацияны қарауға тыйым
general-ban-selfcare = Өзіне-өзі қызмет көрсету жүйесіне кіруге тыйым
general-subscription-block = Жазылымдарды бұғаттау
general-hidden-id = Жасырын нөмір
account-separate = Бөлек
account-common = Ортақ
flag-on = Қосулы
flag-off = Өшірулі
flag-yes = Иә
flag-no = Жоқ
sim-title = SIM-карта және құрылғы
sim-replaced = Ауыстырылған күні
sim-imei-note = Осы нөмірмен соңғы рет тіркелген IMEI көрсетілген.
phone-title = Келісімшарт бойынша телефон
phone-none = Бұл нөмірде келісімшарт бойынша телефон жоқ.
phone-status = Мәртебе
phone-activated-on = Белсендірілген күні
phone-terminates-on = Аяқталу күні
phone-term = Келісімшарт мерзімі
phone-monthly = Ай сайынғы төлем
phone-price = Келісімшарт бойынша құны
phone-promotion = Акция атауы
phone-device = Құрылғы атауы
phone-device-type = Құрылғы түрі
phone-activated = Белсендірілген
phone-terminated = Аяқталған
phone-term-months = { $months } ай
allowance-tariff-title = Тарифтік жоспар бойынша қалдықтар
allowance-extra-title = Қосымша қалдықтар
allowance-none = Қалдықтар жоқ.
allowance-available = Қолжетімді
allowance-connected = Қосылған күні
allowance-until = Жарамдылық мерзімі
allowance-unlimited = Шексіз
allowance-of = { $total } ішінен { $available }
unit-sms = { $n } SMS
unit-mb = { $n } МБ
unit-min = { $n } мин
services-title = Қызметтер
services-note = Қосылған қызметтер іске қосулы. Бұл нөмірге қосуға болмайтын қызметтер сұр түспен көрсетілген.
services-terms = Қызмет көрсету шарттары
service-active = Қосылған
service-available = Қолжетімді
service-unavailable = Қолжетімсіз
group-calls-sms = Қоңыраулар және SMS
group-data = Интернет
group-roaming = Роуминг
group-additional = Қосымша қызметтер
group-promotions = Акциялар

## Шығыс хабарлар (әзірлеуші режимі)
outbox-title = Шығыс хабарлар (SMS және e-mail)
outbox-note = Әзірлеуші режимі: жұмыс ортасында SMS немесе e-mail арқылы жеткізілетін хабарлар мұнда көрсетіледі.
outbox-time = Уақыт
outbox-channel = Арна
outbox-to = Кімге
outbox-text = Мәтін
outbox-empty = Шығыс хабарлар жоқ.

## Нөмірмен операциялар
op-block = Бұғаттау
op-unblock = Бұғаттан шығару
op-cancel = Болдырмау
op-block-title = Нөмірді бұғаттау
op-block-question = Бұл нөмірді бұғаттағыңыз келетініне сенімдісіз бе?
op-unblock-title = Нөмірді бұғаттан шығару
op-unblock-question = Бұл нөмірді бұғаттан шығарғыңыз келетініне сенімдісіз бе?
op-processing = Сұрауыңыз қабылданды және өңделуде. Бет өздігінен жаңартылады.
op-success = Мәртебе сәтті өзгертілді.
op-failure = Сұрау орындалмады: { $reason }
op-debt-note = Нөмір жеке шот бойынша төленбеген есептеулер үшін бұғатталған, сондықтан оны осы жерден бұғаттан шығару мүмкін емес. Берешек төленгеннен кейін оператор нөмірді бұғаттан шығарады.
reason-in-progress = бұл нөмірдің басқа өзгерісі әлі өңделуде
reason-already-blocked = нөмір бұғатталған
reason-not-blocked = нөмір бұғатталмаған
reason-blocked-for-debt = берешек үшін бұғатталған нөмірді әкімші бұғаттан шығара алмайды
reason-network-failure = желі сұрауды орындай алмады; 2–3 минут күтіп, қайталап көріңіз
reason-unknown-number = нөмір бұл компанияға тиесілі емес
reason-operator-unavailable = оператор жүйесі жауап бермеді
reason-bad-request = сұрауды оқу мүмкін болмады

## Құжаттар мен есептер: әрекеттер тарихы
nav-reports = Құжаттар мен есептер
history-title = Әрекеттер тарихы
history-lead = Компанияңыз әкімшілерінің Кабинеттегі әрекеттер тарихын қарау.
period-label = Кезеңнің басы мен соңын таңдаңыз
period-to = Кезеңнің соңы
request = Сұрау
period-invalid = Кезеңді кк-аа-жжжж → кк-аа-жжжж түрінде көрсетіңіз.
period-reversed = Кезеңнің басы оның соңынан кейін тұр.
period-too-long = Кезең 3 жылдан аспауы керек.
history-count = { $count ->
    [one] { $count } әрекет
   *[other] { $count } әрекет
}
history-action = Әрекет
history-status = Мәртебе
history-when = Күні мен уақыты
history-admin = Әкімші
status-success = Сәтті
status-failure = Қате
status-processing = Өңделуде
action-block = { $number } нөмірін бұғаттау
action-unblock = { $number } нөмірін бұғаттан шығару

op-confirm-yes = Иә, сенімдімін
op-continue = Жалғастыру
op-service-on-title = Қызметті қосу
op-service-on-question = «{ $name }» пакетін қосқыңыз келетініне сенімдісіз бе?
op-service-off-title = Қызметті өшіру
op-service-off-question = «{ $name }» пакетін өшіргіңіз келетініне сенімдісіз бе?
op-ban-on-title = Тыйым салу
op-ban-on-question = «{ $name }» орнатқыңыз келетініне сенімдісіз бе?
op-ban-off-title = Тыйымды алу
op-ban-off-question = «{ $name }» алып тастағыңыз келетініне сенімдісіз бе?
ban-set = Орнату
ban-remove = Алып тастау
reason-not-active = бұл тек «Белсенді» мәртебесіндегі нөмірлер үшін мүмкін
reason-service-unavailable = бұл қызметті осы нөмірге қосу мүмкін емес
reason-already-on = қызмет қосылған
reason-already-off = қызмет қосылмаған
reason-family-conflict = осы түрдегі пакет қосылып тұр; алдымен оны өшіріңіз
reason-unknown-service = мұндай қызмет жоқ
reason-ban-already-set = тыйым орнатылған
reason-ban-not-set = тыйым орнатылмаған
action-service-on = { $number } нөміріне «{ $name }» қызметін қосу
action-service-off = { $number } нөмірінде «{ $name }» қызметін өшіру
action-ban-on = { $number } нөміріне «{ $name }» орнату
action-ban-off = { $number } нөмірінен «{ $name }» алып тастау
op-sim-title = SIM-картаны ауыстыру
op-sim-lead = Жаңа SIM-картаның нөмірін енгізіңіз: ол картаның сыртқы жағында басылған.
op-sim-iccid = SIM-карта нөмірі (ICCID)
op-sim-hint = 89-дан басталатын 19–20 цифр. Ауыстыру тек «Белсенді» мәртебесіндегі нөмірлер үшін мүмкін.
op-sim-question = Нөмірді { $iccid } SIM-картасына ауыстырғыңыз келетініне сенімдісіз бе?
reason-same-sim = нөмір осы SIM-картаны пайдаланып тұр
reason-iccid-in-use = бұл SIM-карта басқа нөмірде қолданылады
action-sim-replacement = { $number } нөмірінде SIM-картаны ауыстыру
secret-code = Құпия код
secret-none = Орнатылмаған
secret-sent-at = Жіберілді { $when }
secret-send = Құпия кодты жіберу
secret-delete = Құпия кодты жою
secret-send-title = Құпия кодты жіберу
secret-send-question = Бұл нөмірге жаңа құпия кодты SMS арқылы жіберу керек пе? Нөмір пайдаланушысы нөмір туралы ақпарат пен детализацияны көре алады, бірақ қызметтерді өзгерте алмайды. Бұрынғы код жарамсыз болады.
secret-delete-title = Құпия кодты жою
secret-delete-question = Құпия кодты жойғыңыз келетініне сенімдісіз бе? Нөмір пайдаланушысы онымен енді кіре алмайды.
secret-sms = Өзіне-өзі қызмет көрсетуге арналған құпия кодыңыз: { $code }. Ол арқылы нөмір туралы ақпаратты көруге болады; оны ешкімге айтпаңыз.
reason-no-secret-code = нөмірде құпия код жоқ
action-secret-code-sent = { $number } нөміріне құпия код жіберу
action-secret-code-deleted = { $number } нөмірінің құпия кодын жою
fwd-title = Қоңырауды бағыттау
fwd-number = Нөмір: { $number }
fwd-active = Қолданыстағы ережелер
fwd-none = Қоңырауды бағыттау бапталмаған.
fwd-remove = Жою
fwd-add-title = Ереже қосу
fwd-kind = Бағыттау түрі
fwd-direction = Бағыты
fwd-to-number = Нөмірге
fwd-to-a-service = Қызметке
fwd-to-service = «{ $name }» қызметі
fwd-add = Қосу
op-back = Артқа
fwd-kind-unconditional = Шартсыз
fwd-kind-busy = Бос емес болса
fwd-kind-no-answer = Жауап бермесе
fwd-kind-unreachable = Қолжетімсіз болса
fwd-remove-question = «{ $kind }» бағыттауын жойғыңыз келетініне сенімдісіз бе?
fwd-error-kind = Бағыттау түрін таңдаңыз.
fwd-error-direction = Бағытты таңдаңыз: нөмірге немесе қызметке.
fwd-error-service = Қызметті таңдаңыз.
reason-forwarding-exists = бұл түрдегі ереже орнатылған; алдымен оны жойыңыз
reason-forwarding-conflict = шартсыз бағыттау мен бос емес, жауапсыз немесе қолжетімсіз кездегі бағыттау бірін-бірі жоққа шығарады; алдымен басқа ережелерді жойыңыз
reason-forward-to-self = қоңырауларды осы нөмірдің өзіне бағыттауға болмайды
reason-no-forwarding = бұл түрдегі ереже орнатылмаған
action-forwarding-on = { $number } нөмірінде «{ $name }» бағыттау
action-forwarding-off = { $number } нөмірінде «{ $name }» бағыттауын жою
download-xlsx = XLS жүктеу
report-as-of = { $when } жағдай бойынша деректер
