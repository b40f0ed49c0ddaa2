## A number's profile and the operations on it: confirmations, results, device registration.
