"""Accounts: signing in, locking when idle, the administrator's account page."""
