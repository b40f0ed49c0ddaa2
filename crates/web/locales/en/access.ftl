## Signing in and out, error pages, the actions history, input errors.
