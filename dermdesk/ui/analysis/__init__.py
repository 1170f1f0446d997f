"""The analysis panel: the live and still classification beside the live view."""
