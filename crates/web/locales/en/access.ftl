## Signing in and out, error pages, the actions history, input errors.

## Signing out
signout-done = You have signed out. Sign in again to continue.

## Error pages
error-number-not-found = This number is not among your company's numbers. It may belong to another company: pick that company in the header.

## Phone numbers
error-msisdn-empty = Enter the phone number, e.g. +7 701 211 21 01.
error-msisdn-characters = A phone number may hold only digits, spaces, dashes, brackets and a plus at the start.
error-msisdn-too-few = The number is too short: after +7 come 10 digits, e.g. +7 701 211 21 01.
error-msisdn-too-many = The number is too long: after +7 come 10 digits, e.g. +7 701 211 21 01.
error-msisdn-not-mobile = This is not a Kazakhstan mobile number: it must start with +7 7, e.g. +7 701 211 21 01.

## BIN/IIN
error-bin-empty = Enter the BIN/IIN: 12 digits.
error-bin-characters = A BIN/IIN may hold only digits (spaces and dashes between them are allowed).
error-bin-length = A BIN/IIN has exactly 12 digits.
error-bin-kind = No BIN/IIN has this fifth digit: it is 0–3 in an IIN and 4–6 in a BIN. Check the number.
error-bin-month = Digits 3–4 of a BIN are the month of registration (01–12). Check the number.
error-bin-attribute = The sixth digit of a BIN is 0–3 (head office, branch, representative office, farm). Check the number.
error-bin-century = The seventh digit of an IIN is 1–6 (century of birth and sex). Check the number.
error-bin-birth-date = The first six digits of an IIN are a date of birth, and there is no such date. Check the number.
error-bin-control-digit = The last (control) digit does not match: there is a typo in this BIN/IIN.

## SIM card numbers (ICCID)
error-iccid-empty = Enter the SIM card number (ICCID) from the back of the card.
error-iccid-characters = The SIM card number may hold only digits (spaces and dashes between them are allowed).
error-iccid-length = The SIM card number has 19 or 20 digits: check that none is missing or extra.
error-iccid-prefix = The SIM card number starts with 89: check the first digits.
error-iccid-check-digit = The last (check) digit does not match: there is a typo in the SIM card number.

## IMEI
error-imei-empty = Enter the IMEI: dial *#06# on the device to see it.
error-imei-characters = An IMEI may hold only digits (spaces and dashes between them are allowed).
error-imei-length = An IMEI has 14 digits, or 15 with the check digit: check that none is missing or extra.
error-imei-check-digit = The 15th (check) digit does not match: there is a typo in the IMEI.

## The actions history: the period
period-from = Beginning of period
period-hint = As dd-mm-yyyy, e.g. 01-03-2026.
period-from-empty = Enter the beginning of the period.
period-to-empty = Enter the end of the period.
period-from-format = Enter the beginning of the period as dd-mm-yyyy, e.g. 01-03-2026.
period-to-format = Enter the end of the period as dd-mm-yyyy, e.g. 31-03-2026.
period-from-no-such-date = There is no such date as the beginning of the period: check the day and the month.
period-to-no-such-date = There is no such date as the end of the period: check the day and the month.
period-from-future = The beginning of the period cannot be in the future.
period-to-future = The end of the period cannot be after today.
error-summary-title = There is a problem
history-empty-title = No actions in this period
history-empty-text = Nobody in your company acted in Cabinet between these dates. Choose another period.
history-range = { $range } of { $total }

## Password recovery: first sign-in and forgotten password
signin-forgot = Forgot password?
signin-first-time = Signing in for the first time? Use “Forgot password?” to set your password.
forgot-title = Password recovery
forgot-lead = To restore your password, enter the administrator's phone number and click “Next”.
forgot-next = Next
forgot-how = Numbers of our network receive a six-digit code by SMS; for numbers of other operators a link to set the password is sent to the administrator's e-mail address.
forgot-locked = Too many password recovery requests. Please try again after { $until }.
forgot-code-title = Confirm the number
forgot-code-lead = If { $destination } is an administrator's number, a six-digit code has been sent to it by SMS. Enter it below to set a new password.
forgot-code-message = Your Business Cabinet password recovery code: { $code }. It is valid for 5 minutes. Do not tell it to anyone.
forgot-sent-title = Check your e-mail
forgot-sent-lead = If this phone number belongs to an administrator whose account has an e-mail address, a link to set a new password has been sent to that address. The link works once, for 30 minutes.
forgot-sent-spam = Didn't get the e-mail? Be sure to check your spam or junk folder. If the administrator's e-mail address or phone number is outdated, contact your account manager.
forgot-link-subject = Business Cabinet: link to reset credentials
forgot-link-message = Someone (we hope you) asked to set a new password for Business Cabinet. To do it, open the link below. If it was not you, ignore this message: your password stays as it is.
forgot-link-expires = The link works once and expires in { $minutes } minutes.
forgot-link-dead = This link no longer works: it has been used or has expired. Ask for a new one below.
new-password-title = Update password
new-password-lead = Enter a new password and confirm it.
new-password-label = New password
new-password-again = Confirm password
new-password-rule-length = At least { $min } characters.
new-password-rule-phone = Not your phone number.
new-password-rule-common = Not a common password (such as “password123” or “qwertyuiop”).
new-password-sign-out = Sign out on other devices
new-password-save = Save
password-rule-short = The password must be at least { $min } characters long.
password-rule-long = The password must be at most 128 characters long.
password-rule-phone = The password must not contain your phone number.
password-rule-common = This password is too common: guessers try it first. Choose another one.
password-rule-mismatch = The two passwords do not match.
account-updated = Your account has been updated. Sign in with your new password.

## My profile
account-title = My profile
account-details = Administrator
account-name = Name
account-email = E-mail
account-no-email = not given
account-email-change = Change e-mail
account-email-how = The address changes once you open the link we send to it. One-time codes for numbers of other operators, recovery links and reports go to this address.
account-new-email = New e-mail address
account-current-password = Current password
account-email-save = Send the link
account-password-change = Change password
account-password-save = Change password
account-sessions = Where you are signed in
account-session-since = Signed in { $when }
account-session-until = until { $when }
account-session-this = (this browser)
account-end-others = Sign out everywhere else
account-current-wrong = The current password is wrong.
account-password-locked = The current password has been entered wrongly too many times. Please try again after { $until }.
account-password-changed = Your password has been changed.
account-email-sent = We have sent a link to the new address. The address changes when you open it.
account-email-changed = Your e-mail address has been changed.
account-email-link-dead = This link no longer works: it has been used or has expired. Ask for a new one.
account-sessions-ended = You have been signed out everywhere else.
account-email-subject = Business Cabinet: confirm your new e-mail address
account-email-message = To make { $email } the e-mail address of your Business Cabinet account, open the link below. If you did not ask for this, ignore this message.
account-email-expires = The link works once and expires in { $hours } hours.
account-companies = My companies
account-companies-how = A short name of your own for each company: the company switcher shows it instead of the full name. Only you see it; leave it empty for the full name.
account-alias = Short name
account-alias-save = Save
account-alias-saved = The short name has been saved.
account-alias-long = The short name may have at most { $max } characters.
account-alias-invalid = The short name may not contain line breaks or other control characters.

## Company administrators
company-admins-title = Company administrators
company-admins-lead = Who administers { $company } in Business Cabinet, and what each may do.
company-admins-role = Role
company-admins-you = (you)
company-admins-actions = Access
company-admins-change = Change
company-admins-remove = Remove access
company-admins-not-activated = Not activated yet: signs in the first time with “Forgot password?”
company-admins-grant = Give access
company-admins-grant-how = The administrator's phone number and role. If the phone has no Business Cabinet account yet, give the name (and the e-mail address for a number of another operator): the account is created and its owner sets a password with “Forgot password?” on the sign-in page.
company-admins-name-hint = Needed only for a phone without an account.
company-admins-email-hint = Needed for a number of another operator without an account (its codes go by e-mail).
company-admins-grant-save = Give access
company-admins-granted = Access given.
company-admins-role-changed = The role has been changed.
company-admins-removed = The access has been removed.
company-admins-already = This administrator has access to the company already: change the role in the list.
company-admins-name-needed = This phone has no account yet: give the administrator's name (up to 200 characters).
company-admins-email-needed = This phone has no account yet and is another operator's number: give an e-mail address for its codes.
company-admins-not-yourself = You cannot change your own access. Ask another administrator with the full role.
company-admins-last-full = The company must keep an administrator with the full role.
role-full = Full
role-operations = Operations
role-accountant = Accountant
role-read_only = Read only
role-full-means = everything, including administrators' access.
role-operations-means = operations on numbers; no documents, payments or transfers.
role-accountant-means = documents, reports, payments and transfers; no operations on numbers.
role-read_only-means = sees numbers, documents and the history; changes nothing.
action-admin-access-granted = Access to the company given to { $subject }
action-admin-role-changed = Role changed: { $subject }
action-admin-access-removed = Access to the company removed from { $subject }

## Employee self-care
selfcare-title = Self-care for a number's user
selfcare-lead = See your work number's balance, allowances and usage details.
selfcare-phone = Your number
selfcare-phone-hint = The work number the code was sent to, e.g. +7 701 054 20 06
selfcare-code = Secret code
selfcare-code-hint = The eight digits your company's administrator sent to this number by SMS.
selfcare-note = Only the company's administrator can change the number's services; ask them for a new code if you lost it.
signin-selfcare-link = Using a company number? See it in self-care
selfcare-admin-link = Company administrator? Sign in here
selfcare-wrong = Wrong number or secret code.
selfcare-locked = Too many wrong codes. Please try again after { $until }.
selfcare-barred = Your company has barred self-care access for this number.
selfcare-details-barred = Your company has barred usage details for this number.
selfcare-number-title = My number
selfcare-services = Connected services
selfcare-no-services = No services connected.
selfcare-services-note = Services are connected and disconnected by your company's administrator.
secret-sms = Your secret code for self-care: { $code }. Sign in with this number at { $link }. Do not tell it to anyone.
