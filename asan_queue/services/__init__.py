"""Use cases: fn(session, ..., now) -> result. Validate, mutate, commit, then publish."""
