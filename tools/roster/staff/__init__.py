"""The change path (session, change set, ids) and the libraries of the staff commands."""
