"""Teledermatology at the station: the identifier check on a consult's text, what leaves (pseudonymised
like research uploads), sending through the consult outbox and filing the specialist's replies, and short
WebM clips for more information. Qt-free; the window and `dermdesk consult` drive it."""
