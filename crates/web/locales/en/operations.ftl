## A number's profile and the operations on it: confirmations, results, device registration.

# Why a control cannot be used now (shown next to it, disabled).
why-processing = A change to this number is being processed
why-blocked = The number is blocked
why-blocked-debt = The number is blocked for debt
why-unavailable = Cannot be connected to this number
why-roaming = The number is in roaming
why-family = «{ $name }» is connected: switch it off first
op-refused-now = This cannot be done now: { $reason }.
op-form-problem = There is a problem

# What an operation changed: shown once, where the administrator acted.
fwd-phrase-unconditional = of all calls
fwd-phrase-busy = when busy
fwd-phrase-no-answer = when there is no answer
fwd-phrase-unreachable = when unreachable
fwd-notice-service = the service «{ $name }»
done-block = The number is blocked
done-unblock = The number is unblocked
done-service-on = «{ $name }» is on
done-service-off = «{ $name }» is off
done-ban-on = «{ $name }» is on
done-ban-off = «{ $name }» is off
done-sim-replacement = The SIM card is now { $name }
done-forwarding-on = Forwarding { $kind } to { $target } is set
done-forwarding-off = Forwarding { $name } is removed
done-esim-issue = The eSIM has been issued: scan the QR code
done-imei-register = The device { $name } is registered with this number
done-imei-duplicate = A duplicate of the device { $name } is registered with this number
done-imei-reregister = The device { $name } is re-registered to this number
done-imei-remove = The registration of the device { $name } is removed
done-secret-code-sent = The secret code has been sent to the number by SMS
done-secret-code-deleted = The secret code has been deleted
failed-block = The number was not blocked: { $reason }
failed-unblock = The number was not unblocked: { $reason }
failed-service-on = «{ $name }» was not switched on: { $reason }
failed-service-off = «{ $name }» was not switched off: { $reason }
failed-ban-on = «{ $name }» was not switched on: { $reason }
failed-ban-off = «{ $name }» was not switched off: { $reason }
failed-sim-replacement = The SIM card was not replaced with { $name }: { $reason }
failed-forwarding-on = Forwarding { $name } was not set: { $reason }
failed-forwarding-off = Forwarding { $name } was not removed: { $reason }
failed-esim-replacement = The number was not moved to the eSIM: { $reason }
failed-esim-issue = The eSIM was not issued: { $reason }
failed-imei-register = The device { $name } was not registered: { $reason }
failed-imei-duplicate = A duplicate of the device { $name } was not registered: { $reason }
failed-imei-reregister = The device { $name } was not re-registered: { $reason }
failed-imei-remove = The registration of the device { $name } was not removed: { $reason }
failed-secret-code-sent = The secret code was not sent: { $reason }
failed-secret-code-deleted = The secret code was not deleted: { $reason }

# Device registration, in the manuals' steps.
imei-hint = 14 or 15 digits: dial *#06# on the phone to see them.
imei-register-question = Are you sure you want to register the device with IMEI { $imei } with this number?
imei-remove-question = Are you sure you want to remove the registration of the device with IMEI { $imei }?
imei-rereg-title = Device re-registration (IMEI)
imei-rereg-lead = Deregistration of the device's IMEI from the previous BIN/IIN and number, and registration with the company's BIN and this number.
imei-dup-title = Duplicate registration (IMEI)
imei-dup-lead = Registration of the device's IMEI with the company's BIN and this number, without removing the current registration.
imei-terms-text = By continuing to re-register or register a duplicate, you confirm that you have read the terms. Registration of an employee's device with a corporate number does not transfer the ownership of the device to the legal entity or individual entrepreneur.
imei-i-confirm = I confirm
services-locked-processing = A change to this number is being processed: the switches can be turned when it is done.
services-locked-blocked = The number is blocked: services can be switched only on an Active number; bans can still be changed.
services-locked-debt = The number is blocked for debt: services can be switched only on an Active number; bans can still be changed.
