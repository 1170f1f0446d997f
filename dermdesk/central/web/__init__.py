"""The dermatologists' web pages: accounts with a second factor, sessions, the queue, the case page, the
answer forms and the administrators' figures, server-rendered by the central service (`pages`)."""
