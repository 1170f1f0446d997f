"""Sending consented, pseudonymised cases to the central service and taking signed models back.

Qt-free: `deidentify` decides what leaves, `records.outbox` queues cases in the transaction that makes
them shareable, `uploader` sends them, `updates` fetches, verifies and installs signed model packages.
"""
