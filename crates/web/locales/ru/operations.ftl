## A number's profile and the operations on it: confirmations, results, device registration.

# Why a control cannot be used now (shown next to it, disabled).
why-processing = По номеру выполняется другой запрос
why-blocked = Номер заблокирован
why-blocked-debt = Номер заблокирован за долг
why-unavailable = Недоступна для подключения на этом номере
why-roaming = Номер в роуминге
why-family = Подключена «{ $name }»: сначала отключите её
op-refused-now = Сейчас это невозможно: { $reason }.
op-form-problem = Проверьте введённые данные

# What an operation changed: shown once, where the administrator acted.
fwd-phrase-unconditional = всех вызовов
fwd-phrase-busy = при занятости
fwd-phrase-no-answer = при отсутствии ответа
fwd-phrase-unreachable = при недоступности
fwd-notice-service = услугу «{ $name }»
done-block = Номер заблокирован
done-unblock = Номер разблокирован
done-service-on = Услуга «{ $name }» подключена
done-service-off = Услуга «{ $name }» отключена
done-ban-on = «{ $name }»: включен
done-ban-off = «{ $name }»: отключен
done-sim-replacement = Номер переведен на SIM-карту { $name }
done-forwarding-on = Переадресация { $kind } на { $target } установлена
done-forwarding-off = Переадресация { $name } снята
done-esim-issue = eSIM выпущена: отсканируйте QR-код
done-imei-register = Устройство { $name } зарегистрировано на этот номер
done-imei-duplicate = Дубликат устройства { $name } зарегистрирован на этот номер
done-imei-reregister = Устройство { $name } перерегистрировано на этот номер
done-imei-remove = Регистрация устройства { $name } снята
done-secret-code-sent = Секретный код отправлен на номер в SMS
done-secret-code-deleted = Секретный код удален
failed-block = Номер не заблокирован: { $reason }
failed-unblock = Номер не разблокирован: { $reason }
failed-service-on = Услуга «{ $name }» не подключена: { $reason }
failed-service-off = Услуга «{ $name }» не отключена: { $reason }
failed-ban-on = «{ $name }» не включен: { $reason }
failed-ban-off = «{ $name }» не отключен: { $reason }
failed-sim-replacement = SIM-карта не заменена на { $name }: { $reason }
failed-forwarding-on = Переадресация { $name } не установлена: { $reason }
failed-forwarding-off = Переадресация { $name } не снята: { $reason }
failed-esim-replacement = Номер не переведен на eSIM: { $reason }
failed-esim-issue = eSIM не выпущена: { $reason }
failed-imei-register = Устройство { $name } не зарегистрировано: { $reason }
failed-imei-duplicate = Дубликат устройства { $name } не зарегистрирован: { $reason }
failed-imei-reregister = Устройство { $name } не перерегистрировано: { $reason }
failed-imei-remove = Регистрация устройства { $name } не снята: { $reason }
failed-secret-code-sent = Секретный код не отправлен: { $reason }
failed-secret-code-deleted = Секретный код не удален: { $reason }

# Device registration, in the manuals' steps.
imei-hint = 14 или 15 цифр: наберите *#06# на телефоне, чтобы их увидеть.
imei-register-question = Вы уверены, что хотите зарегистрировать устройство с IMEI { $imei } на этот номер?
imei-remove-question = Вы уверены, что хотите снять регистрацию устройства с IMEI { $imei }?
imei-rereg-title = Перерегистрация устройства (IMEI)
imei-rereg-lead = Снятие регистрации IMEI устройства с прежнего БИН/ИИН и номера, и регистрация по БИН компании и текущему номеру.
imei-dup-title = Регистрация дубликата (IMEI)
imei-dup-lead = Регистрация IMEI устройства по БИН компании и текущему номеру без снятия текущей регистрации.
imei-terms-text = Продолжая перерегистрацию или регистрацию дубликата, Вы подтверждаете, что ознакомлены с условиями. Регистрация абонентского устройства сотрудника за корпоративным номером не является передачей права собственности на абонентское устройство юридическому лицу или ИП.
imei-i-confirm = Подтверждаю
services-locked-processing = По номеру выполняется другой запрос: переключатели станут доступны, когда он завершится.
services-locked-blocked = Номер заблокирован: услуги можно подключать и отключать только на номере в статусе «Активный»; запреты менять можно.
services-locked-debt = Номер заблокирован за долг: услуги можно подключать и отключать только на номере в статусе «Активный»; запреты менять можно.
