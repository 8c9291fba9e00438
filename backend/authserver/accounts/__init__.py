"""Accounts: password hashes, login sessions, double-clicked signups, notifications to the user."""
