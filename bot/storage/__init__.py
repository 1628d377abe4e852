"""The project's database: engine, schema and migrations."""
