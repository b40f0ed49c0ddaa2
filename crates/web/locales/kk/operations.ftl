## A number's profile and the operations on it: confirmations, results, device registration.

# Why a control cannot be used now (shown next to it, disabled).
why-processing = Нөмір бойынша басқа сұрау өңделуде
why-blocked = Нөмір бұғатталған
why-blocked-debt = Нөмір берешек үшін бұғатталған
why-unavailable = Бұл нөмірге қосуға болмайды
why-roaming = Нөмір роумингте
why-family = «{ $name }» қосулы: алдымен оны өшіріңіз
op-refused-now = Мұны қазір орындау мүмкін емес: { $reason }.
op-form-problem = Енгізілген деректерді тексеріңіз

# What an operation changed: shown once, where the administrator acted.
fwd-phrase-unconditional = барлық қоңыраулар
fwd-phrase-busy = бос емес болғанда
fwd-phrase-no-answer = жауап болмағанда
fwd-phrase-unreachable = қолжетімсіз болғанда
fwd-notice-service = «{ $name }» қызметі
done-block = Нөмір бұғатталды
done-unblock = Нөмір бұғаттан шығарылды
done-service-on = «{ $name }» қызметі қосылды
done-service-off = «{ $name }» қызметі өшірілді
done-ban-on = «{ $name }» қосылды
done-ban-off = «{ $name }» өшірілді
done-sim-replacement = Нөмір { $name } SIM-картасына ауыстырылды
done-forwarding-on = Қоңырауларды бағыттау орнатылды: { $kind } → { $target }
done-forwarding-off = Қоңырауларды бағыттау алынып тасталды: { $name }
done-esim-issue = eSIM шығарылды: QR-кодты сканерлеңіз
done-imei-register = { $name } құрылғысы осы нөмірге тіркелді
done-imei-duplicate = { $name } құрылғысының телнұсқасы осы нөмірге тіркелді
done-imei-reregister = { $name } құрылғысы осы нөмірге қайта тіркелді
done-imei-remove = { $name } құрылғысының тіркеуі алынды
done-secret-code-sent = Құпия код нөмірге SMS арқылы жіберілді
done-secret-code-deleted = Құпия код жойылды
failed-block = Нөмір бұғатталмады: { $reason }
failed-unblock = Нөмір бұғаттан шығарылмады: { $reason }
failed-service-on = «{ $name }» қызметі қосылмады: { $reason }
failed-service-off = «{ $name }» қызметі өшірілмеді: { $reason }
failed-ban-on = «{ $name }» қосылмады: { $reason }
failed-ban-off = «{ $name }» өшірілмеді: { $reason }
failed-sim-replacement = SIM-карта { $name } картасына ауыстырылмады: { $reason }
failed-forwarding-on = Қоңырауларды бағыттау орнатылмады ({ $name }): { $reason }
failed-forwarding-off = Қоңырауларды бағыттау алынбады ({ $name }): { $reason }
failed-esim-replacement = Нөмір eSIM-ге ауыстырылмады: { $reason }
failed-esim-issue = eSIM шығарылмады: { $reason }
failed-imei-register = { $name } құрылғысы тіркелмеді: { $reason }
failed-imei-duplicate = { $name } құрылғысының телнұсқасы тіркелмеді: { $reason }
failed-imei-reregister = { $name } құрылғысы қайта тіркелмеді: { $reason }
failed-imei-remove = { $name } құрылғысының тіркеуі алынбады: { $reason }
failed-secret-code-sent = Құпия код жіберілмеді: { $reason }
failed-secret-code-deleted = Құпия код жойылмады: { $reason }

# Device registration, in the manuals' steps.
imei-hint = 14 немесе 15 цифр: оларды көру үшін телефонда *#06# теріңіз.
imei-register-question = IMEI { $imei } құрылғысын осы нөмірге тіркегіңіз келетініне сенімдісіз бе?
imei-remove-question = IMEI { $imei } құрылғысының тіркеуін алып тастағыңыз келетініне сенімдісіз бе?
imei-rereg-title = Құрылғыны қайта тіркеу (IMEI)
imei-rereg-lead = Құрылғы IMEI тіркеуін бұрынғы БСН/ЖСН мен нөмірден алып, компанияның БСН-і мен осы нөмірге тіркеу.
imei-dup-title = Телнұсқаны тіркеу (IMEI)
imei-dup-lead = Қазіргі тіркеуді алмай, құрылғы IMEI-ін компанияның БСН-і мен осы нөмірге тіркеу.
imei-terms-text = Қайта тіркеуді немесе телнұсқаны тіркеуді жалғастыра отырып, сіз шарттармен танысқаныңызды растайсыз. Қызметкердің құрылғысын корпоративтік нөмірге тіркеу құрылғыға меншік құқығын заңды тұлғаға немесе ЖК-ге беру болып табылмайды.
imei-i-confirm = Растаймын
services-locked-processing = Нөмір бойынша басқа сұрау өңделуде: ол аяқталғанда ауыстырғыштар қолжетімді болады.
services-locked-blocked = Нөмір бұғатталған: қызметтерді тек «Белсенді» нөмірде қосуға және өшіруге болады; тыйымдарды өзгертуге болады.
services-locked-debt = Нөмір берешек үшін бұғатталған: қызметтерді тек «Белсенді» нөмірде қосуға және өшіруге болады; тыйымдарды өзгертуге болады.
