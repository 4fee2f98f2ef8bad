"""Store failures, each with a message a person can act on (shown as one line by the CLI)."""


class StoreError(Exception):
    """Any records-store failure."""


class BadDatabaseURL(StoreError):
    """The configured database URL is malformed or names an unsupported database."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now (down, refused, locked)."""


class SchemaTooNew(StoreError):
    """The database was migrated by a newer app; writing to it with this one could corrupt it."""


class RecordRejected(StoreError):
    """This record cannot be stored as it is (missing field, too long, refused by the database); retrying won't help."""


class RecordExists(RecordRejected):
    """A closed record for this call id is already stored (or a new call reused a stored id): never replaced."""
