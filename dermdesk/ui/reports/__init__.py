"""Sign-off: the diagnosis form and the visit report."""
