# Cabinet — English messages. Every key here exists in ru/ and kk/ too (a test checks).

app-name = Business Cabinet
nav-main = Main menu
nav-language = Language
service-mobile = Mobile connection
nav-numbers = Number management
company-select = Company
company-switch = Switch
bin = BIN
signout = Sign out

## Sign-in
signin-title = Sign in to Business Cabinet
signin-lead = Manage your company's numbers in one click.
signin-phone = Phone number
signin-phone-hint = The administrator's number, e.g. +7 701 211 21 01
signin-password = Your password
signin-submit = Log in
signin-otp-note = For security, a one-time code is required each time you log in. Numbers of our network receive it by SMS; numbers of other operators receive it at the e-mail address linked to the account.
signin-law-note = The administrator's number must be registered with a Kazakhstani operator.
signin-wrong = Wrong phone number or password.
signin-too-many = Too many sign-in attempts. Please try again in 15 minutes.
signin-no-email = No e-mail address is linked to this account, so the code cannot be sent. Please contact your account manager.
otp-title = Confirm the number
otp-lead = A six-digit code has been sent to { $destination }. Enter it below to log in to your account.
otp-code = One-time code
otp-submit = Continue
otp-resend = Send code again
otp-resend-in = Send code again (in ## sec)
otp-resend-wait-short = Send code again (in { $seconds } sec)
otp-resend-wait = A new code can be sent in { $seconds } sec.
otp-resent = A new code has been sent.
otp-back = Back to sign-in
otp-format = The code is six digits.
otp-wrong = { $left ->
    [one] Wrong code. { $left } attempt left.
   *[other] Wrong code. { $left } attempts left.
}
otp-dead = This code has expired or was entered wrongly too many times. Send a new code.
otp-message = Your Business Cabinet code: { $code }. It is valid for 5 minutes. Do not tell it to anyone.
otp-subject = Your sign-in code

## Errors
error-title = Something went wrong
error-back = Back to number management
error-not-found = Nothing was found here. The number may belong to another company.
error-forbidden = You do not have the right to do this in this company.
error-no-company = No company is linked to your account yet. Each company must ask the operator to grant you access.
error-csrf = The form has expired. Go back, reload the page and try again.
error-bad-request = The request could not be read.
error-operator = The operator's system is not answering right now. Wait 2–3 minutes, refresh the page and try again.
error-internal = An internal error occurred. Please try again later.
error-msisdn = Enter a Kazakhstan mobile number: 11 digits starting with 7, e.g. +7 701 211 21 01.
error-bin = A BIN/IIN is 12 digits with a valid control digit.
error-iccid = The SIM card number (ICCID) is 19–20 digits starting with 89, as printed on the back of the card.
error-imei = An IMEI is 14 digits, or 15 with a valid check digit.

## Number management
numbers-total = { $count ->
    [one] { $count } number
   *[other] { $count } numbers
}
numbers-found = { $count ->
    [one] { $count } number found
   *[other] { $count } numbers found
}
numbers-found-at-least = More than { $count } numbers found — refine the search
numbers-search-label = Search by number or account number
numbers-search-placeholder = Number or account number
numbers-search-invalid = Search by digits of a number or an account number only.
numbers-empty = No numbers found.
search = Search
col-number = Number
col-account = Account number
col-tariff = Tariff plan
col-billing = Method of payment
col-state = State
col-available = Available funds (individual limit)
col-remaining = Remaining credit limit / prepaid balance
col-actions = Actions
menu-profile = Number information
pager-label = Pages
pager-prev = Previous
pager-next = Next
billing-credit = Credit
billing-advance = Advance
state-active = Active
state-blocked = Blocked
state-blocked-debt = Blocked / Debt
state-processing = Processing

## Number profile
crumbs-label = You are here
profile-title = Number information
profile-state-since = Date of the last change of state
profile-refresh = Refresh
money-title = Balance and limits
money-tariff = Tariff
money-individual-limit = Individual limit
money-available = Available funds (individual limit)
money-credit-limit = Account credit limit
money-remaining-credit = Remaining credit limit
money-prepaid-balance = Prepaid balance
money-past-debt = Debt for past periods
money-roaming-debt = Outstanding roaming amount
general-title = General information
general-billing = Method of payment
general-registration-form = Registration form
general-account = Account number
general-account-type = Account type
general-esim = eSIM
general-ban-ussd = Ban on SMS / USSD control
general-ban-details = Ban on self-care usage details
general-ban-selfcare = Ban on self-care access
general-subscription-block = Subscription blocking
general-hidden-id = Hidden caller ID
account-separate = Separate
account-common = Common
flag-on = Enabled
flag-off = Disabled
flag-yes = Yes
flag-no = No
sim-title = SIM card and device
sim-replaced = Replacement date
sim-imei-note = The IMEI shown is the last one seen with this number.
phone-title = Contract phone
phone-none = No contract phone on this number.
phone-status = Status
phone-activated-on = Activation date
phone-terminates-on = Termination date
phone-term = Contract term
phone-monthly = Monthly payment
phone-price = Contract price
phone-promotion = Name of promotional offer
phone-device = Device name
phone-device-type = Device type
phone-activated = Activated
phone-terminated = Terminated
phone-term-months = { $months } mths
allowance-tariff-title = Remaining allowance
allowance-extra-title = Additional allowances
allowance-none = No allowances.
allowance-available = Available
allowance-connected = Connection date
allowance-until = Available until
allowance-unlimited = Unlimited
allowance-of = { $available } of { $total }
unit-sms = { $n } SMS
unit-mb = { $n } MB
unit-min = { $n } min
services-title = Services
services-note = Connected services are switched on. Services that cannot be connected to this number are greyed out.
services-terms = Terms of service
service-active = Connected
service-available = Available
service-unavailable = Unavailable
group-calls-sms = Calls and SMS
group-data = Data
group-roaming = Roaming
group-additional = Additional services
group-promotions = Promotions

## Developer outbox
outbox-title = Outbox (SMS and e-mail)
outbox-note = Dev mode: messages that a production installation would deliver by SMS or e-mail are shown here instead.
outbox-time = Time
outbox-channel = Channel
outbox-to = To
outbox-text = Text
outbox-empty = The outbox is empty.

## Operations on a number
op-block = Block
op-unblock = Unblock
op-cancel = Cancel
op-block-title = Block number
op-block-question = Are you sure you want to block this number?
op-unblock-title = Unblock number
op-unblock-question = Are you sure you want to unblock this number?
op-processing = Your request has been accepted and is being processed. The page will update by itself.
op-success = Status has been successfully changed.
op-failure = The request failed: { $reason }
op-debt-note = The number is blocked for unpaid charges on the account, so it cannot be unblocked here. Once the debt is paid, the operator unblocks it.
reason-in-progress = another change to this number is still being processed
reason-already-blocked = the number is already blocked
reason-not-blocked = the number is not blocked
reason-blocked-for-debt = a number blocked for debt cannot be unblocked by the administrator
reason-network-failure = the network could not carry out the request; wait 2–3 minutes and try again
reason-unknown-number = the number does not belong to this company
reason-operator-unavailable = the operator's system did not answer
reason-bad-request = the request could not be read

## Documents and reports: actions history
nav-reports = Documents and reports
history-title = Actions history
history-lead = The history of actions of your company's administrators in Cabinet.
period-label = Select beginning and end of period
period-to = End of period
request = Request
period-invalid = Enter the period as dd-mm-yyyy → dd-mm-yyyy.
period-reversed = The beginning of the period is after its end.
period-too-long = The period may cover at most 3 years.
history-count = { $count ->
    [one] { $count } action
   *[other] { $count } actions
}
history-action = Action
history-status = Status
history-when = Date and time
history-admin = Administrator
status-success = Success
status-failure = Failure
status-processing = Processing
action-block = Block number { $number }
action-unblock = Unblock number { $number }

op-confirm-yes = Yes, I am sure
op-continue = Continue
op-service-on-title = Connect a service
op-service-on-question = Are you sure you want to connect the package "{ $name }"?
op-service-off-title = Disable a service
op-service-off-question = Are you sure you want to disable the package "{ $name }"?
op-ban-on-title = Set a ban
op-ban-on-question = Are you sure you want to set "{ $name }"?
op-ban-off-title = Remove a ban
op-ban-off-question = Are you sure you want to remove "{ $name }"?
ban-set = Set
ban-remove = Remove
reason-not-active = this is possible only for numbers in the Active status
reason-service-unavailable = this service cannot be connected to this number
reason-already-on = the service is already connected
reason-already-off = the service is not connected
reason-family-conflict = a package of the same kind is already connected; disable it first
reason-unknown-service = there is no such service
reason-ban-already-set = the ban is already set
reason-ban-not-set = the ban is not set
action-service-on = Service activation "{ $name }" on number { $number }
action-service-off = Service deactivation "{ $name }" on number { $number }
action-ban-on = Setting "{ $name }" on number { $number }
action-ban-off = Removing "{ $name }" on number { $number }
op-sim-title = SIM card replacement
op-sim-lead = Enter the number of the new SIM card: it is printed on the back of the card.
op-sim-iccid = SIM card number (ICCID)
op-sim-hint = 19–20 digits starting with 89. Replacement is possible only for numbers in the Active status.
op-sim-question = Are you sure you want to move the number to the SIM card { $iccid }?
reason-same-sim = the number already uses this SIM card
reason-iccid-in-use = this SIM card is in use on another number
action-sim-replacement = SIM replacement on number { $number }
secret-code = Secret code
secret-none = Not set
secret-sent-at = Sent { $when }
secret-send = Send secret code
secret-delete = Delete secret code
secret-send-title = Send secret code
secret-send-question = Send a new secret code to this number by SMS? The number's user can then see the number's information and usage details, but never change services. An earlier code stops working.
secret-delete-title = Delete secret code
secret-delete-question = Are you sure you want to delete the secret code? The number's user will no longer be able to sign in with it.
secret-sms = Your secret code for self-care: { $code }. It lets you see this number's information; do not tell it to anyone.
reason-no-secret-code = the number has no secret code
action-secret-code-sent = Sending a secret code to number { $number }
action-secret-code-deleted = Deleting the secret code of number { $number }
fwd-title = Call forwarding
fwd-number = Number: { $number }
fwd-active = Rules in force
fwd-none = No call forwarding is set.
fwd-remove = Remove
fwd-add-title = Add a rule
fwd-kind = Type of forwarding
fwd-direction = Direction
fwd-to-number = To a number
fwd-to-a-service = To a service
fwd-to-service = Service "{ $name }"
fwd-add = Add
op-back = Back
fwd-kind-unconditional = Unconditional
fwd-kind-busy = When busy
fwd-kind-no-answer = When there is no answer
fwd-kind-unreachable = When unreachable
fwd-remove-question = Are you sure you want to remove the forwarding "{ $kind }"?
fwd-error-kind = Select the type of forwarding.
fwd-error-direction = Select the direction: to a number or to a service.
fwd-error-service = Select the service.
reason-forwarding-exists = a rule of this type is already set; remove it first
reason-forwarding-conflict = unconditional forwarding and forwarding on busy, no answer or unreachable exclude each other; remove the other rules first
reason-forward-to-self = calls cannot be forwarded to the number itself
reason-no-forwarding = no rule of this type is set
action-forwarding-on = Call forwarding "{ $name }" on number { $number }
action-forwarding-off = Removing call forwarding "{ $name }" on number { $number }
download-xlsx = Download XLS
report-as-of = Data as of { $when }
