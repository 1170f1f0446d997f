"""Tests of the patient records core (dermdesk.records) and its commands, on SQLite and PostgreSQL."""
