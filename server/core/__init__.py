"""Settings, database engine and logging of the server."""
