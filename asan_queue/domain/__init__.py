"""Pure domain rules: no Flask, no SQLAlchemy (checked by import-linter)."""
