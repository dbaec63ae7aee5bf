"""The acceptance certificate as data: its fields, their canonical bytes and the verification code."""
