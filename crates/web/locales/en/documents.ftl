# Documents and reports: the accounting documents' tabs (manuals 000 and 004).

## Search for mobile number by invoice number
invoice-search-title = Search for mobile number by invoice number
invoice-search-lead = Find the mobile numbers on an electronic invoice (ESF) by its registration number or its invoice number in the billing system.
invoice-search-by = Search by
invoice-search-by-registration = Registration number
invoice-search-by-system = Invoice number
invoice-search-number = Number
invoice-search-number-hint = The registration number looks like ESF-123456789012-20261130-4001234567; the invoice number is digits only.
invoice-search-year = Year of the invoice
invoice-search-output = Output
invoice-search-as-xlsx = XLSX file
invoice-search-error-empty = Enter the invoice's number.
invoice-search-error-registration = A registration number is ESF-, the 12 digits of the BIN, the 8 of the date and the 10 of the account, separated by dashes.
invoice-search-error-system = An invoice number is 6 to 20 digits.
invoice-search-error-year = Choose a year from the list.
invoice-search-none = No invoice found
invoice-search-none-text = The company has no invoice with this number in the year chosen. Check the number, the kind of number and the year.
invoice-search-count = { $count ->
    [one] { $count } number on the invoice
   *[other] { $count } numbers on the invoice
}
invoice-search-phone = Phone number
invoice-search-invoice = Invoice number
invoice-search-sheet = Numbers
invoice-search-file-title = Mobile numbers on invoice { $invoice }
action-invoice-numbers = Getting a list of mobile numbers by invoice number { $subject }
reason-invoice-not-found = no such invoice of the company
