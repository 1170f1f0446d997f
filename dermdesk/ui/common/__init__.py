"""What every screen shares: the one worker helper, the records session, form helpers, patient banner."""
